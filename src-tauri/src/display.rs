//! The customer display: a second window, facing the customer, that shows the sale being
//! rung up, its total, the change and « Merci ». Off by default (a manager's setting, kept by
//! the store: `DisplaySettings`). The window opens with the app when the setting is on, on
//! the second monitor if there is one (borderless, the whole of that screen), else as a
//! separate window; the till's window keeps the keyboard (a scanner types into it).
//!
//! The window loads the same UI as the till, which picks the display by the window's label;
//! the till's window sends it what to show as Tauri events (`ui/src/display/`). The display's
//! capability (capabilities/customer.json) grants events only, no command of the till.

use tauri::{AppHandle, Manager, Monitor, WebviewUrl, WebviewWindow, WebviewWindowBuilder};

/// The display window's label, which the UI and capabilities/customer.json know it by.
pub const LABEL: &str = "customer";
/// The till's own window (tauri.conf.json).
const MAIN: &str = "main";

/// Opens or closes the customer display to match `enabled`; nothing when it already does.
pub fn show(app: &AppHandle, enabled: bool) -> tauri::Result<()> {
    match (app.get_webview_window(LABEL), enabled) {
        (None, true) => open(app).map(|_| ()),
        (Some(window), false) => window.destroy(),
        _ => Ok(()),
    }
}

/// At start-up: the display opens if the till has it on. A store that cannot be read (the
/// lock screen then says why) opens no display.
pub fn open_at_start(app: &AppHandle) {
    let state = app.state::<crate::AppState>();
    let enabled = state
        .store()
        .ok()
        .and_then(|store| store.display_settings().ok())
        .is_some_and(|settings| settings.enabled);
    if let Err(error) = show(app, enabled) {
        eprintln!("relais-app: the customer display did not open: {error}");
    }
}

/// The till's window gone, the display goes with it (else the app would stay open on it).
pub fn on_window_event(window: &tauri::Window, event: &tauri::WindowEvent) {
    if window.label() == MAIN && matches!(event, tauri::WindowEvent::Destroyed) {
        if let Some(display) = window.app_handle().get_webview_window(LABEL) {
            let _ = display.destroy();
        }
    }
}

fn open(app: &AppHandle) -> tauri::Result<WebviewWindow> {
    let second = second_monitor(app);
    let window = WebviewWindowBuilder::new(app, LABEL, WebviewUrl::App("index.html".into()))
        .title("Relais — afficheur client")
        .inner_size(1024.0, 600.0)
        .min_inner_size(480.0, 320.0)
        .decorations(second.is_none())
        .focused(false)
        .build()?;
    if let Some(monitor) = second {
        window.set_position(*monitor.position())?;
        window.set_size(*monitor.size())?;
    }
    if let Some(main) = app.get_webview_window(MAIN) {
        let _ = main.set_focus();
    }
    Ok(window)
}

/// A monitor other than the one the till's window is on, if the PC has one.
fn second_monitor(app: &AppHandle) -> Option<Monitor> {
    let till = app
        .get_webview_window(MAIN)?
        .current_monitor()
        .ok()
        .flatten()?;
    let monitors = app.available_monitors().ok()?;
    pick_other(&monitors, |m| *m.position() == *till.position()).cloned()
}

/// The first of `monitors` that `is_till` refuses.
fn pick_other<M>(monitors: &[M], is_till: impl Fn(&M) -> bool) -> Option<&M> {
    monitors.iter().find(|m| !is_till(m))
}

#[cfg(test)]
mod tests {
    use super::pick_other;

    /// The display goes to a monitor the till is not on; with one monitor, none is picked
    /// (the display is then a window of its own on the same screen).
    #[test]
    fn the_display_takes_a_monitor_the_till_is_not_on() {
        // (monitors by their x position, the till's, the one picked)
        let cases: [(&[i32], i32, Option<i32>); 4] = [
            (&[0], 0, None),
            (&[0, 1920], 0, Some(1920)),
            (&[0, 1920], 1920, Some(0)),
            (&[-1280, 0, 1920], 0, Some(-1280)),
        ];
        for (monitors, till, picked) in cases {
            assert_eq!(
                pick_other(monitors, |x| *x == till).copied(),
                picked,
                "{monitors:?}, till at {till}"
            );
        }
    }
}
