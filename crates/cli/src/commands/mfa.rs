//! `beacon user mfa-reset` and `beacon user require-mfa`: multi-factor sign-in from the command
//! line, for an administrator. Both are in the audit trail as made by `cli:` and the
//! operating-system user.

use crate::store::AnyStore;
use beacon_app::Store;
use beacon_app::audit::Actor;
use beacon_app::mfa;
use beacon_domain::organisation::CouncilRef;

/// Clears a user's app and recovery codes (a lost phone) and ends their sessions.
pub async fn reset(store: &AnyStore, username: &str, by: &Actor) -> Result<(), String> {
    if mfa::reset(store, username, by)
        .await
        .map_err(|e| e.to_string())?
    {
        println!(
            "Cleared {username}'s multi-factor sign-in; all their sessions have ended. They sign in with their password, and set up a new app if their council requires one."
        );
    } else {
        println!("{username} has no multi-factor sign-in set up; nothing changed.");
    }
    Ok(())
}

/// Requires MFA of a council's administrators and performance officers, or no longer.
pub async fn require(
    store: &AnyStore,
    council: &CouncilRef,
    required: bool,
    by: &Actor,
) -> Result<(), String> {
    if store
        .council_data(council)
        .await
        .map_err(|e| e.to_string())?
        .is_none()
    {
        return Err(format!("There is no council {council} in the database"));
    }
    let changed = mfa::set_required(store, council, required, by)
        .await
        .map_err(|e| e.to_string())?;
    let now = if required {
        "requires multi-factor sign-in of its administrators and performance officers"
    } else {
        "does not require multi-factor sign-in"
    };
    println!(
        "{council} {now}{}.",
        if changed { "" } else { " (as it already did)" }
    );
    Ok(())
}
