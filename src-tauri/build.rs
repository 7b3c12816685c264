include!("src/commands/names.rs");

fn main() {
    // Declaring the app's commands makes Tauri generate `allow-<command>` permissions, so a
    // command is callable only when a capability (capabilities/*.json) grants it.
    let manifest = tauri_build::AppManifest::new().commands(NAMES);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri-build failed (is ui/dist built? is icons/icon.png an RGBA PNG?)");
}
