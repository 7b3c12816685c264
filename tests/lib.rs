//! Empty: this package only holds the end-to-end test binary (main.rs and its modules).
