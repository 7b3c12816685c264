//! What the `relais` command says to a French manager after an outage: kinds by their French
//! names, counts agreed with their nouns, local times, a confirmation for every change, the
//! lines of a re-entry file it could not apply; and a help line for every option.

use crate::cli::{init, EXAMPLE_SALE};
use crate::support::{relais, relais_bin, DataDir};
use std::process::Command;

/// One command of the session and what it must (and must not) print.
struct Step {
    args: &'static [&'static str],
    /// The exit status expected.
    exit: i32,
    stdout: &'static [&'static str],
    stderr: &'static [&'static str],
    /// Never on standard output: English codes, UTC instants, wrong agreements.
    not: &'static [&'static str],
}

const fn step(
    args: &'static [&'static str],
    stdout: &'static [&'static str],
    not: &'static [&'static str],
) -> Step {
    Step {
        args,
        exit: 0,
        stdout,
        stderr: &[],
        not,
    }
}

/// The session, in order; `FILE` stands for the re-entry file written beforehand.
const SESSION: &[Step] = &[
    step(
        &["status"],
        &["Ventes : 1", "Chaîne intègre : ", " enregistrements"],
        &["ventes:", "intègre:"],
    ),
    step(
        &["reentry", "status"],
        &[
            "Vente",
            "1 à ressaisir sur 1",
            "Mouvement de caisse",
            "Reste à ressaisir : 2 enregistrements",
        ],
        &["sale", "cash_movement", "restent"],
    ),
    step(
        &["reentry", "status", "--json"],
        &[r#""kind":"sale""#, r#""kind":"cash_movement""#],
        &["Vente"],
    ),
    step(
        &["reentry", "left"],
        &[
            "T1-000001",
            "Vente",
            "T1-M000001",
            "Mouvement de caisse",
            "timbres",
        ],
        &["cash_movement"],
    ),
    step(&["outage", "show"], &["Aucune panne enregistrée."], &[]),
    step(
        &[
            "outage",
            "start",
            "--at",
            "2026-11-25 08:00",
            "--reason",
            "Rançongiciel",
            "--operator",
            "alice",
        ],
        &["Panne enregistrée depuis le 25/11/2026 08:00:00 : Rançongiciel"],
        &[],
    ),
    step(
        &["outage", "show"],
        &["Panne depuis le 25/11/2026 08:00:00 — Rançongiciel — en cours"],
        &["2026-11-25T", "T07:00"],
    ),
    step(
        &["outage", "show", "--json"],
        &[
            r#""started_at":"2026-11-25T07:00:00.000Z""#,
            r#""ended_at":null"#,
        ],
        &["25/11/2026"],
    ),
    step(
        &[
            "outage",
            "status-page",
            "status.example.fr",
            "--operator",
            "alice",
        ],
        &["Adresse de la page d'état enregistrée : https://status.example.fr"],
        &[],
    ),
    step(
        &["outage", "show"],
        &["Page d'état surveillée par l'app : https://status.example.fr"],
        &[],
    ),
    step(
        &["outage", "status-page", "--operator", "alice"],
        &["Adresse de la page d'état supprimée"],
        &[],
    ),
    step(
        &[
            "outage",
            "end",
            "--at",
            "2026-11-26 18:30",
            "--operator",
            "alice",
        ],
        &["Fin de panne enregistrée : service rétabli le 26/11/2026 18:30:00"],
        &[],
    ),
    step(
        &["outage", "show"],
        &["— service rétabli le 26/11/2026 18:30:00"],
        &["Page d'état", "en cours"],
    ),
    step(
        &[
            "reentry",
            "mark",
            "T1-000001",
            "--ref",
            "OCT-1",
            "--operator",
            "alice",
        ],
        &["T1-000001 est marqué ressaisi (réf. SaaS OCT-1)."],
        &[],
    ),
    step(
        &["reentry", "mark", "T1-000001", "--operator", "alice"],
        &["T1-000001 était déjà marqué ressaisi."],
        &[],
    ),
    // The valid lines are applied all the same; the unknown one is counted, named, and the
    // exit status says the file was not entirely applied.
    Step {
        args: &["reentry", "import", "FILE", "--operator", "alice"],
        exit: 1,
        stdout: &[
            "1 enregistrement marqué ressaisi, 1 déjà marqué, 1 ligne inconnue (ligne 2)",
            "Les autres lignes ont été appliquées",
        ],
        stderr: &["ligne 2 : « T1-000099 » introuvable ou pas à ressaisir"],
        not: &["marqués 1"],
    },
    step(
        &["reentry", "status"],
        &["Vente", "0 à ressaisir sur 1", "Tout a été ressaisi."],
        &[],
    ),
    step(
        &["export", "--out", "USB", "--operator", "alice"],
        &[" enregistrements, 1 vente)"],
        &["1 ventes"],
    ),
    step(
        &["verify"],
        &[
            "enregistrements intègres (",
            "vente 1",
            "mouvement de caisse 1",
        ],
        &["sale", "cash_movement"],
    ),
    step(
        &["--lang", "en", "reentry", "status"],
        &["Sale", "Cash movement", "Everything has been re-entered."],
        &["Vente"],
    ),
];

#[test]
fn a_french_manager_reads_french_local_times_and_confirmations() {
    let data = DataDir::new();
    init(&data);
    let usb = DataDir::new();
    let file = data.path().join("ressaisie.csv");
    std::fs::write(
        &file,
        "numéro;référence\nT1-000099;X1\nT1-M000001;X2\nT1-000001;X3\n",
    )
    .unwrap();
    let setup: [(&[&str], &str); 2] = [
        (&["sale", "record", "-"], EXAMPLE_SALE),
        (
            &[
                "day",
                "cash-out",
                "5",
                "--reason",
                "timbres",
                "--category",
                "paid_out",
                "--operator",
                "alice",
            ],
            "",
        ),
    ];
    for (args, stdin) in setup {
        assert!(relais(&data, args, stdin).status.success(), "{args:?}");
    }
    for step in SESSION {
        // French unless the step names its language.
        let mut args = match step.args.first() {
            Some(&"--lang") => vec![],
            _ => vec!["--lang", "fr"],
        };
        args.extend(step.args.iter().map(|a| match *a {
            "FILE" => file.to_str().unwrap(),
            "USB" => usb.path().to_str().unwrap(),
            other => other,
        }));
        let output = relais(&data, &args, "");
        let (stdout, stderr) = (
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr),
        );
        let shown = format!(
            "relais {}:\n--- stdout\n{stdout}--- stderr\n{stderr}",
            args.join(" ")
        );
        assert_eq!(output.status.code(), Some(step.exit), "{shown}");
        for wanted in step.stdout {
            assert!(stdout.contains(wanted), "lacks {wanted:?}: {shown}");
        }
        for wanted in step.stderr {
            assert!(
                stderr.contains(wanted),
                "lacks {wanted:?} on stderr: {shown}"
            );
        }
        for unwanted in step.not {
            assert!(!stdout.contains(unwanted), "says {unwanted:?}: {shown}");
        }
    }
}

/// `relais ARGS --help`.
fn help(args: &[&str]) -> String {
    let output = Command::new(relais_bin())
        .args(args)
        .arg("--help")
        .output()
        .unwrap();
    assert!(output.status.success(), "relais {args:?} --help");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The items of a section of a help text ("Commands", "Arguments", "Options"): each item's
/// first line, without its indentation.
fn section(help: &str, title: &str) -> Vec<String> {
    let mut inside = false;
    let mut items = Vec::new();
    for line in help.lines() {
        if !line.starts_with(' ') {
            inside = line.trim_end() == format!("{title}:");
        } else if inside {
            let item = line.trim_start();
            // Continuation lines of a wrapped description are indented past the names.
            if line.len() - item.len() <= 6 {
                items.push(item.to_string());
            }
        }
    }
    items
}

#[test]
fn every_option_and_argument_of_every_command_is_explained() {
    let mut commands: Vec<Vec<String>> = vec![vec![]];
    let mut checked = 0;
    let mut undocumented = Vec::new();
    while let Some(command) = commands.pop() {
        let args: Vec<&str> = command.iter().map(String::as_str).collect();
        let text = help(&args);
        for sub in section(&text, "Commands") {
            let name = sub.split_whitespace().next().unwrap().to_string();
            if name != "help" {
                commands.push([command.clone(), vec![name]].concat());
            }
        }
        for item in section(&text, "Arguments")
            .into_iter()
            .chain(section(&text, "Options"))
        {
            // "--shop <SHOP>  Shop name…": the description follows two spaces or more.
            let description = item.split_once("  ").map(|(_, d)| d.trim()).unwrap_or("");
            checked += 1;
            if description.is_empty() || description.starts_with("[default") {
                undocumented.push(format!("relais {}: {item}", command.join(" ")));
            }
        }
    }
    assert!(
        undocumented.is_empty(),
        "no help line:\n{}",
        undocumented.join("\n")
    );
    assert!(
        checked > 150,
        "only {checked} options and arguments were found"
    );
}
