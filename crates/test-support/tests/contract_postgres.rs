//! The store contract on PostgreSQL: every story on a fresh database of its own, on a real
//! server this test binary starts (see `beacon_test_support::postgres`). Without PostgreSQL
//! installed these tests fail, saying how to install it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

beacon_test_support::contract_suite!(beacon_test_support::TempPg::new().await);
