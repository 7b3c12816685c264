//! End-to-end tests of Relais: the real `relais` binary, and the real `relais-app` window
//! driven over WebDriver. Run through `cargo xtask test`, which builds the binaries, starts
//! a virtual screen and sets RELAIS_BIN, RELAIS_APP_BIN, TAURI_DRIVER and DISPLAY.

mod support;
mod window;

mod app;
mod archive_window;
mod auditor;
mod avoirs;
mod avoirs_screen_window;
mod avoirs_window;
mod catalog;
mod cli;
mod cli_fr;
mod controls;
mod counter;
mod customer_display;
mod day;
mod finding;
mod importer;
mod integrity;
mod keys;
mod layout;
mod order_slip;
mod orders;
mod package;
mod printer;
mod recovery;
mod runbook;
mod scale;
mod screens;
mod security;
mod shop;
mod shop_export;
mod shop_manage_window;
mod shop_mdns;
mod shop_window;
mod till_printer;
mod watch;
