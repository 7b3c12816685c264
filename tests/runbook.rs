//! docs/OPERATIONS.md is executable: every `sh` block of its French section is run, in order,
//! as the manager of a fresh shop would type it, with the real `relais` on the PATH.

use crate::support::{relais_bin, workspace_root, DataDir};
use std::process::Command;

/// The `sh` blocks of the runbook's French section, in order.
fn runbook_commands() -> String {
    let text = std::fs::read_to_string(workspace_root().join("docs/OPERATIONS.md"))
        .expect("docs/OPERATIONS.md");
    let french = text
        .split("# Relais — outage-day runbook (English)")
        .next()
        .expect("a French section");
    let mut script = String::new();
    let mut inside = false;
    for line in french.lines() {
        match (inside, line.trim()) {
            (false, "```sh") => inside = true,
            (true, "```") => inside = false,
            (true, _) => {
                script.push_str(line);
                script.push('\n');
            }
            _ => {}
        }
    }
    script
}

#[test]
fn the_runbook_works_step_by_step() {
    let script = runbook_commands();
    assert!(
        script.lines().count() >= 20,
        "the runbook has its commands:\n{script}"
    );
    let home = DataDir::new();
    let usb = home.path().join("usb");
    std::fs::create_dir_all(&usb).unwrap();
    let root = workspace_root();
    std::fs::copy(
        root.join("tests/corpus/catalog/epicerie-excel-fr.csv"),
        usb.join("tarifs.csv"),
    )
    .unwrap();
    std::fs::copy(
        root.join("docs/modele-papier.csv"),
        usb.join("ventes-papier.csv"),
    )
    .unwrap();
    std::fs::write(
        usb.join("references-saas.csv"),
        "T1-000002;VENTE-88413\nT1-000003;VENTE-88414\n",
    )
    .unwrap();
    let bin_dir = relais_bin().parent().unwrap().to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = Command::new("bash")
        .args(["-euo", "pipefail", "-c", &script])
        .env("HOME", home.path())
        .env("USB", &usb)
        .env("PATH", path)
        .env("LANG", "fr_FR.UTF-8")
        .env_remove("RELAIS_DATA_DIR")
        .env_remove("RELAIS_PIN")
        .env_remove("RELAIS_MANAGER_PIN")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the runbook failed:\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
    );
    for expected in [
        "importés 5",
        "bordereaux enregistrés 4",
        "CLÔTURE Z T1-Z000001",
        "Sauvegarde vérifiée",
        "Caisse restaurée",
        "export intègre",
        "T1, T2",
    ] {
        assert!(
            stdout.contains(expected),
            "the runbook's output lacks {expected:?}:\n{stdout}"
        );
    }
    assert!(usb
        .join("boutique/relais-boutique-T1-T2/report.html")
        .is_file());
}
