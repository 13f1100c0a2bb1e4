//! `beacon init [PLAN FILES…] --admin USERNAME`: a new Beacon in one step. Creates the database
//! (a SQLite file; for PostgreSQL, its tables in the database created beforehand), puts in the
//! first council from its plan files, and creates the council's first administrator, printing
//! each thing it did. Everything is checked before anything is written.

use crate::actor::cli_actor;
use crate::output;
use crate::store::AnyStore;
use beacon_app::access::{Grant, Role};
use beacon_app::{Governance, Store, accounts};
use beacon_domain::organisation::CouncilRef;
use std::path::PathBuf;

/// The first administrator to create.
pub struct Admin {
    pub username: String,
    pub name: String,
    /// The council to administer, when the database holds several.
    pub council: Option<String>,
    pub password_stdin: bool,
}

pub async fn run(store: &AnyStore, paths: &[PathBuf], admin: Option<Admin>) -> Result<(), String> {
    let before = store.councils().await.map_err(|e| e.to_string())?;
    if !paths.is_empty() && !before.is_empty() {
        let refs: Vec<String> = before.iter().map(|c| c.reference.to_string()).collect();
        return Err(format!(
            "the database already holds councils ({}); nothing was changed. `beacon init` puts \
             in the first council: load more plan files with `beacon load`",
            refs.join(", ")
        ));
    }
    // Read everything first, so that a mistake in any file or argument changes nothing.
    let sources = if paths.is_empty() {
        Vec::new()
    } else {
        beacon_interchange::read_paths(paths).map_err(|e| e.to_string())?
    };
    let password = match &admin {
        Some(a) => Some(admin_password(store, a).await?),
        None => None,
    };
    let by = cli_actor();
    if !sources.is_empty() {
        let report = beacon_interchange::load_sources(store, &sources, &by)
            .await
            .map_err(|e| e.to_string())?;
        print!("{}", output::load(&report));
    }
    let councils = store.councils().await.map_err(|e| e.to_string())?;
    for c in &councils {
        println!("Council {} ({}) is in the database.", c.name, c.reference);
    }
    let (Some(admin), Some((password, generated))) = (admin, password) else {
        if councils.is_empty() {
            println!(
                "The database is ready and empty: put a council in with `beacon init PLAN-FILES \
                 --admin USERNAME` or `beacon load`."
            );
        }
        return Ok(());
    };
    let council = which_council(&councils, admin.council.as_deref())?;
    let grant = Grant {
        role: Role::Administrator,
        council,
        unit: None,
    };
    accounts::add_user(
        store,
        &admin.username,
        &admin.name,
        &password,
        vec![grant.clone()],
        &by,
    )
    .await
    .map_err(|e| format!("the council was put in, but the administrator was not added: {e}"))?;
    println!("Added {} ({}): {grant}.", admin.username, admin.name);
    if generated {
        println!(
            "Password: {password}\nGive it to them privately; they can change it once signed in."
        );
    }
    Ok(())
}

/// The administrator's password (from standard input, or new and random, printed later),
/// after checking that the username is free and the password acceptable.
async fn admin_password(store: &AnyStore, admin: &Admin) -> Result<(String, bool), String> {
    if store
        .user_by_name(&accounts::username_key(&admin.username))
        .await
        .map_err(|e| e.to_string())?
        .is_some()
    {
        return Err(format!(
            "--admin {}: there is already a user of that name; nothing was changed",
            admin.username
        ));
    }
    let (password, generated) = if admin.password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
        (line.trim_end_matches(['\r', '\n']).to_string(), false)
    } else {
        (
            accounts::generate_password().map_err(|e| e.to_string())?,
            true,
        )
    };
    accounts::check_password(&password).map_err(|e| format!("--password-stdin: {e}"))?;
    Ok((password, generated))
}

/// The council the administrator is for: the one named, or the only one held.
fn which_council(
    councils: &[beacon_domain::organisation::Council],
    named: Option<&str>,
) -> Result<CouncilRef, String> {
    match named {
        Some(n) => {
            let r: CouncilRef = n.parse().map_err(|e| format!("--council {n:?}: {e}"))?;
            if councils.iter().any(|c| c.reference == r) {
                Ok(r)
            } else {
                Err(format!(
                    "--council {r}: there is no such council in the database; the administrator was not added"
                ))
            }
        }
        None => match councils {
            [only] => Ok(only.reference.clone()),
            [] => Err(
                "--admin needs a council: give the council's plan files to put it in first"
                    .to_string(),
            ),
            _ => Err(
                "the database holds several councils: say which with --council; the administrator was not added"
                    .to_string(),
            ),
        },
    }
}
