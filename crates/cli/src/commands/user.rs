//! `beacon user add|grant|revoke|disable|enable|reset|list`: accounts from the command line. Every change is
//! in the audit trail as made by `cli:` and the operating-system user.

use crate::actor::cli_actor;
use crate::args::UserCommand;
use crate::store::AnyStore;
use beacon_app::access::{Grant, Role};
use beacon_app::accounts::{self, UserChange};
use beacon_app::{Governance, Store};
use beacon_domain::organisation::CouncilRef;

/// A password from standard input, or a new random one (printed by the caller).
fn password(from_stdin: bool) -> Result<(String, bool), String> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
        return Ok((line.trim_end_matches(['\r', '\n']).to_string(), false));
    }
    Ok((
        accounts::generate_password().map_err(|e| e.to_string())?,
        true,
    ))
}

/// A council's ref from `--council`.
fn council_ref(council: &str) -> Result<CouncilRef, String> {
    council
        .parse()
        .map_err(|e| format!("--council {council:?}: {e}"))
}

/// A role on a council (or on one unit of it) from the command line's words.
fn grant(role: &str, council: &str, unit: Option<&str>) -> Result<Grant, String> {
    Ok(Grant {
        role: role.parse()?,
        council: council_ref(council)?,
        unit: unit
            .map(|u| u.parse().map_err(|e| format!("--unit {u:?}: {e}")))
            .transpose()?,
    })
}

/// Refuses a role on a council the database does not hold, or on a unit that is not part of
/// it: such an account would see only "Page not found".
async fn check_exists(store: &AnyStore, grant: &Grant) -> Result<(), String> {
    let data = store
        .council_data(&grant.council)
        .await
        .map_err(|e| e.to_string())?;
    let Some(data) = data else {
        let known: Vec<String> = store
            .councils()
            .await
            .map_err(|e| e.to_string())?
            .iter()
            .map(|c| c.reference.to_string())
            .collect();
        return Err(format!(
            "--council {}: there is no such council in the database (it holds: {}); nothing was changed",
            grant.council,
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        ));
    };
    if let Some(unit) = &grant.unit
        && !data.units.iter().any(|u| &u.reference == unit)
    {
        return Err(format!(
            "--unit {unit}: {} has no such unit (`beacon status` and the council's pages list \
             its units); nothing was changed",
            grant.council
        ));
    }
    Ok(())
}

/// The roles a user holds now.
async fn existing(store: &AnyStore, username: &str) -> Result<Vec<Grant>, String> {
    Ok(store
        .user_by_name(&accounts::username_key(username))
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("There is no user {username:?}"))?
        .grants)
}

pub async fn run(store: &AnyStore, cmd: UserCommand) -> Result<(), String> {
    let by = cli_actor();
    match cmd {
        UserCommand::Add {
            username,
            name,
            role,
            council,
            unit,
            password_stdin,
        } => {
            let grant = grant(&role, &council, unit.as_deref())?;
            check_exists(store, &grant).await?;
            let (pw, generated) = password(password_stdin)?;
            accounts::add_user(store, &username, &name, &pw, vec![grant.clone()], &by)
                .await
                .map_err(|e| e.to_string())?;
            println!("Added {username} ({name}): {grant}.");
            if generated {
                println!("Password: {pw}");
            }
        }
        UserCommand::Disable { username } => {
            accounts::change_user(store, &username, UserChange::Disable, &by)
                .await
                .map_err(|e| e.to_string())?;
            println!("Disabled {username}; all their sessions have ended.");
        }
        UserCommand::Enable { username } => {
            accounts::change_user(store, &username, UserChange::Enable, &by)
                .await
                .map_err(|e| e.to_string())?;
            println!("Enabled {username}.");
        }
        UserCommand::Reset {
            username,
            password_stdin,
        } => {
            let (pw, generated) = password(password_stdin)?;
            accounts::change_user(store, &username, UserChange::Password(pw.clone()), &by)
                .await
                .map_err(|e| e.to_string())?;
            println!("Reset the password of {username}; all their sessions have ended.");
            if generated {
                println!("Password: {pw}");
            }
        }
        UserCommand::Grant {
            username,
            role,
            council,
            unit,
        } => {
            let grant = grant(&role, &council, unit.as_deref())?;
            check_exists(store, &grant).await?;
            let mut grants = existing(store, &username).await?;
            if grants.contains(&grant) {
                return Err(format!("{username} already has that role: {grant}"));
            }
            grants.push(grant.clone());
            accounts::change_user(store, &username, UserChange::Grants(grants), &by)
                .await
                .map_err(|e| e.to_string())?;
            println!("{username} is now also {grant}; all their sessions have ended.");
        }
        UserCommand::Revoke {
            username,
            council,
            role,
        } => {
            let council = council_ref(&council)?;
            let role: Option<Role> = role.as_deref().map(str::parse).transpose()?;
            let grants = existing(store, &username).await?;
            let kept: Vec<Grant> = grants
                .iter()
                .filter(|g| g.council != council || role.is_some_and(|r| g.role != r))
                .cloned()
                .collect();
            if kept.len() == grants.len() {
                return Err(format!("{username} has no such role on {council}"));
            }
            accounts::change_user(store, &username, UserChange::Grants(kept), &by)
                .await
                .map_err(|e| e.to_string())?;
            println!("Took away {username}'s roles on {council}; all their sessions have ended.");
        }
        UserCommand::MfaReset { username } => super::mfa::reset(store, &username, &by).await?,
        UserCommand::RequireMfa { council, off } => {
            super::mfa::require(store, &council_ref(&council)?, !off, &by).await?;
        }
        UserCommand::List => {
            for u in store.users().await.map_err(|e| e.to_string())? {
                let grants: Vec<String> = u.grants.iter().map(ToString::to_string).collect();
                println!(
                    "{:<16} {:<24} {}{}",
                    u.username,
                    u.display_name,
                    grants.join("; "),
                    if u.disabled { " (disabled)" } else { "" }
                );
            }
        }
    }
    Ok(())
}
