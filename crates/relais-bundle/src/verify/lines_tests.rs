use super::*;

/// Lines are parsed in batches on several threads and come back in their order; reading
/// stops at the first unreadable line, which is named by its number.
#[test]
fn lines_come_back_in_order_up_to_the_first_unreadable_one() {
    let parse = |bytes: Vec<u8>| {
        let mut file = tempfile::tempfile().unwrap();
        std::io::Write::write_all(&mut file, &bytes).unwrap();
        std::io::Seek::rewind(&mut file).unwrap();
        std::thread::scope(|scope| {
            parsed_lines(scope, file)
                .flatten()
                .map(|line| line.map(|l| l.stored.pos).map_err(|d| d.0))
                .collect::<Vec<_>>()
        })
    };
    let numbered = |n: u64| -> Vec<u8> {
        (1..=n)
            .flat_map(|pos| format!("{{\"pos\":{pos}}}\n").into_bytes())
            .collect()
    };
    let all = parse(numbered(1000));
    assert_eq!(all, (1..=1000).map(Ok).collect::<Vec<_>>());
    assert_eq!(parse(numbered(512)).len(), 512, "a last batch that is full");

    let mut broken = numbered(700);
    let at = broken.len() - 100 * 13;
    broken.splice(at..at, b"not json\n".iter().copied());
    let lines = parse(broken);
    let first_error = lines.iter().position(Result::is_err).unwrap();
    assert!(lines[..first_error]
        .iter()
        .enumerate()
        .all(|(i, l)| *l == Ok(i as u64 + 1)));
    assert!(lines[first_error]
        .as_ref()
        .unwrap_err()
        .contains("not JSON"));

    let mut invalid = numbered(400);
    invalid.splice(3000..3000, [b'"', 0xff, b'"', b'\n']);
    let lines = parse(invalid);
    let first_error = lines.iter().position(Result::is_err).unwrap();
    assert!(first_error > 256, "in the second batch: {first_error}");
    assert!(lines[..first_error].iter().all(Result::is_ok));
    assert!(
        lines[first_error].as_ref().unwrap_err().contains("UTF-8"),
        "{lines:?}"
    );
}
