//! `beacon user add|disable|enable|reset|list`: accounts from the command line. Every change is
//! in the audit trail as made by `cli:` and the operating-system user.

use crate::actor::cli_actor;
use crate::args::UserCommand;
use crate::store::AnyStore;
use beacon_app::Governance;
use beacon_app::access::{Grant, Role};
use beacon_app::accounts::{self, UserChange};

/// A password from standard input, or a new random one (printed by the caller).
fn password(from_stdin: bool) -> Result<(String, bool), String> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
        return Ok((line.trim_end_matches(['\r', '\n']).to_string(), false));
    }
    // 20 random characters from an alphabet without look-alikes: about 100 bits.
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY346789";
    let bytes = accounts::random_bytes::<20>().map_err(|e| e.to_string())?;
    let p = bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect();
    Ok((p, true))
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
            let role: Role = role.parse()?;
            let grant = Grant {
                role,
                council: council
                    .parse()
                    .map_err(|e| format!("--council {council:?}: {e}"))?,
                unit: unit
                    .as_deref()
                    .map(|u| u.parse().map_err(|e| format!("--unit {u:?}: {e}")))
                    .transpose()?,
            };
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
