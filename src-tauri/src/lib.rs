//! The Relais desktop app: opens the till's store and serves the commands the UI calls.
//! All the logic lives in relais-store and relais-core; this crate only wires them to Tauri.

mod commands;
mod display;
mod drives;
mod error;
mod lan;
mod single;
mod state;
mod watch;

pub use error::ApiError;

pub use state::AppState;

/// The till's window takes the whole screen. `maximized` in tauri.conf.json asks the window
/// manager for it; a till PC in a kiosk session (or the virtual screen of the tests) has no
/// window manager, and the window would stay at its default size in a corner.
fn fill_screen(app: &tauri::App) {
    use tauri::Manager;
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    if window.is_maximized().unwrap_or(false) {
        return;
    }
    let monitor = window
        .current_monitor()
        .ok()
        .flatten()
        .or_else(|| window.primary_monitor().ok().flatten());
    if let Some(monitor) = monitor {
        let _ = window.set_position(*monitor.position());
        let _ = window.set_size(*monitor.size());
    }
}

/// WebKit settings for a till, given through the environment WebKitGTK reads, unless the
/// variable is already set (to keep WebKit's default, set it before starting Relais):
///
/// - `WEBKIT_DISABLE_COMPOSITING_MODE=1`: accelerated compositing renders the page through
///   OpenGL, which on a till PC without a GPU driver (and under the tests' virtual screen) is
///   Mesa's software renderer, whose buffers and LLVM JIT cost the page's process about
///   90 MB (262 → 172 MB resident) for nothing a till screen needs. Staff see the same screen.
/// - `JSC_useJIT=false`: JavaScriptCore's compilers keep machine code and heaps of their own;
///   the page's scripts are small (a sale screen, a few lists) and the interpreter runs them
///   (resident pages of the app's processes 268 → 254 MB, measured by the bench).
const WEBKIT_SETTINGS: [(&str, &str); 2] = [
    ("WEBKIT_DISABLE_COMPOSITING_MODE", "1"),
    ("JSC_useJIT", "false"),
];

fn set_webkit_settings() {
    for (var, value) in WEBKIT_SETTINGS {
        if std::env::var_os(var).is_none() {
            // Before any thread exists (the first thing `run` does), so nothing reads the
            // environment meanwhile.
            std::env::set_var(var, value);
        }
    }
}

/// Starts the app; returns when the window is closed.
pub fn run() {
    set_webkit_settings();
    let dir = relais_store::resolve_data_dir(None);
    let instance = match single::claim(&dir) {
        single::Claim::First(instance) => instance,
        single::Claim::AlreadyRunning => {
            eprintln!(
                "relais-app: Relais est déjà ouvert sur {} : sa fenêtre passe au premier plan.",
                dir.display()
            );
            return;
        }
    };
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(AppState::open(dir))
        .setup(|app| {
            fill_screen(app);
            display::open_at_start(app.handle());
            Ok(())
        })
        .on_window_event(display::on_window_event)
        .invoke_handler(tauri::generate_handler![
            commands::till::status,
            commands::till::setup,
            commands::till::first_manager,
            commands::till::staff,
            commands::till::login,
            commands::till::acknowledge_lost_tail,
            commands::till::logout,
            commands::till::session,
            commands::till::set_lang,
            commands::till::add_staff,
            commands::till::journal,
            commands::catalog::departments,
            commands::catalog::sale_settings,
            commands::catalog::set_department,
            commands::catalog::move_department,
            commands::sale::abandon_cart,
            commands::catalog::set_sale_settings,
            commands::catalog::find_product,
            commands::catalog::scan_code,
            commands::catalog::scale_rules,
            commands::catalog::set_scale_rules,
            commands::catalog::search_products,
            commands::catalog::create_product,
            commands::catalog::import_catalog,
            commands::sale::price_sale,
            commands::sale::record_sale,
            commands::sale::receipt,
            commands::sale::reprint,
            commands::sale::park,
            commands::sale::parked,
            commands::sale::unpark,
            commands::sale::find_sale,
            commands::sale::refund,
            commands::sale::void_sale,
            commands::avoir::avoir_issue,
            commands::avoir::avoir_check,
            commands::sale::qr_code,
            commands::manager::open_day,
            commands::manager::x_report,
            commands::manager::cash_movement,
            commands::manager::close_day,
            commands::manager::close_period,
            commands::manager::closures,
            commands::manager::create_order,
            commands::manager::orders,
            commands::manager::order,
            commands::manager::order_ready,
            commands::manager::collect_order,
            commands::manager::cancel_order,
            commands::manager::import_paper,
            commands::manager::export,
            commands::compliance::archive,
            commands::compliance::tax_audit,
            commands::manager::verify_bundle,
            commands::manager::reentry_status,
            commands::manager::reentry_left,
            commands::manager::saas_check,
            commands::manager::set_saas_status_url,
            commands::manager::check_saas_now,
            commands::manager::mark_reentered,
            commands::manager::import_reentries,
            commands::manager::outage,
            commands::manager::outage_start,
            commands::manager::outage_end,
            commands::manager::backup,
            commands::manager::configure_backups,
            commands::manager::backup_folder,
            commands::manager::backup_settings,
            commands::manager::public_key,
            commands::till::setup_demo,
            commands::till::restore_backup,
            commands::till::health,
            commands::till::list_backups,
            commands::till::till_zone,
            commands::till::vat_rates,
            commands::till::set_staff_active,
            commands::till::change_pin,
            commands::printer::printer_settings,
            commands::printer::set_printer_settings,
            commands::printer::print_test_page,
            commands::printer::print_receipt,
            commands::printer::open_drawer,
            commands::printer::print_report,
            commands::display::display_settings,
            commands::display::set_display_settings,
            commands::catalog::hide_department,
            commands::sale::day_tickets,
            commands::files::removable_drives,
            commands::avoir::avoir_list,
            commands::avoir::avoir_sell,
            commands::avoir::avoir_external,
            commands::avoir::avoir_settings,
            commands::avoir::set_avoir_settings,
            commands::avoir::refund_to_avoir,
            commands::printer::print_avoir_slip,
            commands::printer::print_order_slip,
            commands::shop::shop_status,
            commands::shop::shop_invitation,
            commands::shop::shop_join,
            commands::shop::shop_unpair,
            commands::shop::shop_x,
            commands::shop::shop_set_listen,
            commands::shop::shop_export_tills,
            commands::shop::export_shop,
        ])
        .build(tauri::generate_context!())
        .expect("error while building the Relais window")
        .run(move |app, event| match event {
            tauri::RunEvent::Ready => instance.attach(app.clone()),
            tauri::RunEvent::ExitRequested { .. } | tauri::RunEvent::Exit => instance.closing(),
            _ => {}
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each setting is given to WebKit unless someone set the variable before.
    #[test]
    fn webkit_settings_are_set_unless_already_chosen() {
        let (kept, kept_value) = WEBKIT_SETTINGS[0];
        std::env::set_var(kept, "0");
        for (var, _) in &WEBKIT_SETTINGS[1..] {
            std::env::remove_var(var);
        }
        set_webkit_settings();
        assert_eq!(std::env::var(kept).unwrap(), "0", "{kept} was chosen");
        assert_ne!(kept_value, "0");
        for (var, value) in &WEBKIT_SETTINGS[1..] {
            assert_eq!(std::env::var(var).unwrap(), *value, "{var}");
        }
    }
}
