//! Who the command line acts as in the audit trail: `cli:` and the operating-system user, at
//! the time the command runs (the edge reads the clock; the domain is given the time).

use beacon_app::audit::Actor;

// The edge reads the clock; the domain is given the time.
#[allow(clippy::disallowed_methods)]
pub fn cli_actor() -> Actor {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".into());
    Actor::new(format!("cli:{user}"), chrono::Utc::now())
}
