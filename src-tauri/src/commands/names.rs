/// Every command of the app: `generate_handler!` in lib.rs, build.rs and
/// capabilities/default.json must list the same names.
pub const NAMES: &[&str] = &[
    "status", "setup", "staff", "login", "logout", "session", "add_staff", "journal",
    "departments", "find_product", "search_products", "create_product", "import_catalog",
    "price_sale", "record_sale", "receipt", "reprint", "park", "parked", "unpark",
    "find_sale", "refund", "void_sale",
];
