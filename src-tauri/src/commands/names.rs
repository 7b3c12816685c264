/// Every command of the app: `generate_handler!` in lib.rs, build.rs and
/// capabilities/default.json must list the same names.
pub const NAMES: &[&str] = &[
    "status", "setup", "first_manager", "staff", "login", "acknowledge_lost_tail", "logout", "session", "add_staff", "journal",
    "departments", "sale_settings", "set_sale_settings", "abandon_cart", "set_department", "move_department", "find_product", "scan_code", "scale_rules", "set_scale_rules", "search_products", "create_product", "import_catalog",
    "price_sale", "record_sale", "receipt", "reprint", "park", "parked", "unpark",
    "qr_code",
    "find_sale", "refund", "void_sale", "avoir_issue", "avoir_check",
    "open_day", "x_report", "cash_movement", "close_day", "close_period", "closures", "create_order", "orders", "order", "order_ready", "collect_order", "cancel_order", "import_paper", "export", "verify_bundle", "reentry_status", "reentry_left", "saas_check", "set_saas_status_url", "check_saas_now", "mark_reentered", "import_reentries", "outage", "outage_start", "outage_end", "backup", "configure_backups", "backup_folder", "backup_settings", "public_key", "setup_demo", "restore_backup", "health", "list_backups", "till_zone", "vat_rates",
    "set_staff_active", "change_pin", "set_lang",
    "archive", "tax_audit",
    "printer_settings", "set_printer_settings", "print_test_page", "print_receipt", "open_drawer", "print_report",
    "display_settings", "set_display_settings",
    "hide_department",
    "day_tickets", "removable_drives",
    "avoir_list", "avoir_sell", "avoir_external", "avoir_settings", "set_avoir_settings", "refund_to_avoir", "print_avoir_slip",
    "print_order_slip",
    "shop_status", "shop_invitation", "shop_join", "shop_unpair", "shop_x",
    "shop_set_listen", "shop_export_tills", "export_shop",
];
