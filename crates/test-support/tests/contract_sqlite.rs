//! The store contract on SQLite: every story on a fresh database file of its own.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

beacon_test_support::contract_suite!(beacon_test_support::TempDb::new().await);
