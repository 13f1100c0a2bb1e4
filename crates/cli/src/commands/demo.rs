//! `beacon demo`: load the bundled example council, say what was loaded, and serve it.

use crate::args::WebArgs;
use crate::store::AnyStore;
use crate::{example, output};
use beacon_app::access::{Grant, Role};
use beacon_app::accounts::NewUser;
use beacon_app::{Governance, Store, accounts};
use beacon_domain::organisation::CouncilRef;

/// The password of every demo user: the demo is for trying Beacon on one's own machine.
pub const DEMO_PASSWORD: &str = "beacon-demo-2012";

/// One demo user per role: (username, name, role, unit, the demo password hashed). The
/// password is published, so its Argon2id hashes (Beacon's parameters, a salt each) are written
/// here once instead of computed at every start: five hashes were most of `beacon demo`'s
/// start (docs/performance.md). A test checks each is the demo password's.
type DemoUser = (
    &'static str,
    &'static str,
    Role,
    Option<&'static str>,
    &'static str,
);
const DEMO_USERS: [DemoUser; 5] = [
    (
        "admin",
        "Ada Administrator",
        Role::Administrator,
        None,
        "$argon2id$v=19$m=19456,t=2,p=1$65IXMlPVTgebpvaf0nJxig$DqmCSik3KCb4IfXqJhgwBfGLD9zJ2OjJ7OXS8RZv4gM",
    ),
    (
        "performance",
        "Pat Performance",
        Role::PerformanceOfficer,
        None,
        "$argon2id$v=19$m=19456,t=2,p=1$2mf6AbP4TqtR+nhC+1ljcQ$fJ5hfJo9vJpPKQlF44r6NUYcy2Tnu5ZCiq0P1hFuloA",
    ),
    (
        "contributor",
        "Chris Contributor",
        Role::Contributor,
        Some("CED"),
        "$argon2id$v=19$m=19456,t=2,p=1$jgm9foJz+6818TL5VJ5VxQ$6QDnF+9LEge8NhvbF4FCXQ2WylYMU3MBEop3HsNwydw",
    ),
    (
        "approver",
        "Alex Approver",
        Role::Approver,
        Some("CED"),
        "$argon2id$v=19$m=19456,t=2,p=1$qyJ8cRdyao9H6hNIYVNtuQ$ON/ebnMslsrO4rC9RqmGGY0BgXQu2IVdbII8uBWHE8w",
    ),
    (
        "councillor",
        "Cllr Morgan",
        Role::Councillor,
        None,
        "$argon2id$v=19$m=19456,t=2,p=1$vR49uNYyLJiCsh1O8A7JdA$Cmo6tqM2pPOUq1Kx+cKa0tMaovqIm2HB9tOrJOZANVw",
    ),
];

/// Adds the demo users that are missing, in one transaction.
async fn demo_users(store: &AnyStore) -> Result<(), String> {
    let council: CouncilRef = "halton".parse().map_err(|e| format!("{e}"))?;
    let existing = store.users().await.map_err(|e| e.to_string())?;
    let mut missing = Vec::new();
    for (username, name, role, unit, hash) in DEMO_USERS {
        if !existing.iter().any(|u| u.username == username) {
            let grant = Grant {
                role,
                council: council.clone(),
                unit: unit
                    .map(str::parse)
                    .transpose()
                    .map_err(|e| format!("{e}"))?,
            };
            missing.push(NewUser {
                username: username.into(),
                display_name: name.into(),
                password_hash: hash.into(),
                grants: vec![grant],
            });
        }
    }
    if !missing.is_empty() {
        accounts::add_users_hashed(store, missing, &crate::actor::cli_actor())
            .await
            .map_err(|e| e.to_string())?;
    }
    println!("\nDemo users (password {DEMO_PASSWORD}); sign in at /sign-in on the address below:");
    for (username, _, role, unit, _) in DEMO_USERS {
        println!(
            "  {username:<12} {}{}",
            role.label(),
            unit.map(|u| format!(" of {u}")).unwrap_or_default()
        );
    }
    Ok(())
}

/// A council's plans, quarters and budget statements, one line each.
fn summary(data: &beacon_app::dataset::CouncilData) {
    println!("\n{} ({}):", data.council.name, data.council.reference);
    for p in &data.plans {
        let milestones = p
            .objectives
            .iter()
            .map(|o| o.milestones.len())
            .sum::<usize>();
        println!(
            "  plan {}: {} ({}): {} objectives, {} milestones, {} indicators",
            p.plan.reference,
            p.plan.title,
            p.plan.years,
            p.objectives.len(),
            milestones,
            p.indicators.len()
        );
    }
    for q in &data.quarters {
        println!(
            "  quarter {} {}: {} ({} values, {} commentary paragraphs)",
            q.header.unit,
            q.header.period,
            q.header.title,
            q.values.len(),
            q.commentary.len()
        );
    }
    for s in &data.statements {
        println!(
            "  budget statement {} {}: {} ({} lines)",
            s.reference,
            s.period,
            s.title,
            s.lines.len()
        );
    }
}

/// Refuses a database that holds councils unless it is a demo database already (its demo
/// administrator still has the demo password): the demo users' password is published, and must
/// never be added to a live database by mistake.
async fn check_not_live(store: &AnyStore, db: &str) -> Result<(), String> {
    let councils = store.councils().await.map_err(|e| e.to_string())?;
    if councils.is_empty() {
        return Ok(());
    }
    let demo_admin = store
        .user_by_name(DEMO_USERS[0].0)
        .await
        .map_err(|e| e.to_string())?;
    if demo_admin.is_some_and(|u| accounts::password_matches(DEMO_PASSWORD, &u.password_hash)) {
        return Ok(());
    }
    let refs: Vec<String> = councils.iter().map(|c| c.reference.to_string()).collect();
    Err(format!(
        "{db} already holds councils ({}) and is not a demo database: the demo would add users \
         whose password is published. Nothing was changed. Use a new database for the demo \
         (beacon --db demo.db demo), or add --force if you really mean this one",
        refs.join(", ")
    ))
}

/// The example council's files being parsed, on a thread of their own: parsing needs no
/// database, and was as long as opening a new one (docs/performance.md).
pub type Example = tokio::task::JoinHandle<
    Result<beacon_interchange::ParsedSources<'static>, beacon_interchange::LoadError>,
>;

/// Starts parsing the example council's files.
pub fn parse_example() -> Example {
    tokio::task::spawn_blocking(|| beacon_interchange::parse_sources(example::halton()))
}

pub async fn run(
    store: &AnyStore,
    db: &str,
    example: Example,
    addr: &str,
    no_serve: bool,
    force: bool,
    web: &WebArgs,
) -> Result<(), String> {
    if !force {
        check_not_live(store, db).await?;
    }
    let parsed = example
        .await
        .map_err(|e| format!("parsing the example stopped: {e}"))?
        .map_err(|e| e.to_string())?;
    let dataset = beacon_interchange::read_parsed(store, &parsed)
        .await
        .map_err(|e| e.to_string())?;
    let report = beacon_interchange::load_dataset(store, &dataset, &crate::actor::cli_actor())
        .await
        .map_err(|e| e.to_string())?;
    println!("Database: {db}");
    print!("{}", output::load(&report));
    println!("{}", super::national::load_demo(store).await?);
    // What was loaded, from the files as loaded (the load wrote all of it or nothing), not
    // read back: a council read whole was a fifth of the demo's start (docs/performance.md).
    for council in &dataset.councils {
        summary(council);
    }
    println!();
    print!(
        "{}",
        output::stats(&store.stats().await.map_err(|e| e.to_string())?)
    );
    demo_users(store).await?;
    if no_serve {
        return Ok(());
    }
    let mail = crate::args::MailArgs {
        smtp: None,
        mail_from: "Beacon <beacon@localhost>".into(),
    };
    super::serve::run(store.clone(), addr, web, &mail).await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each demo user signs in with the published demo password, at Beacon's own parameters.
    #[test]
    fn every_demo_user_has_the_demo_password() {
        for (username, _, _, _, hash) in DEMO_USERS {
            assert!(
                accounts::password_matches(DEMO_PASSWORD, hash),
                "{username}'s hash is not the demo password's"
            );
            assert!(
                hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
                "{username}'s hash is not at Beacon's parameters"
            );
        }
    }
}
