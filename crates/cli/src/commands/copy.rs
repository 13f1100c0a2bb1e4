//! `beacon copy --from DB --to DB`: moves a whole database between backends (a council that
//! started on a laptop's SQLite file moves to a PostgreSQL server, or back), then checks that
//! every council reads back from the target exactly as from the source.
//!
//! The councils' data is written in one transaction, then their governance in another: users
//! with their ids, password hashes and grants, every quarter's place in its life, every
//! publication with its frozen files, multi-factor sign-in (each user's secret, last accepted
//! time step and recovery code hashes, and the councils that require it), and the audit trail
//! row for row with its head, so the chain verifies on the target hash for hash. Copying
//! writes no audit rows of its own.
//!
//! Every table of migrations 0001-0013 is carried, except these, on purpose:
//! - `sessions` and `mfa_pending` (sign-ins waiting for their code): a copy is a move to
//!   another server, and a session or a half-done sign-in belongs to the server it was made
//!   on; everyone signs in again on the target, with their password and, if on, their code.
//! - `sign_in_failures` (the sign-in throttle): its rows last fifteen minutes and are keyed to
//!   client addresses and device cookies of the old server; carrying them would only lock
//!   people out of the new one for a while.
//! - `api_tokens` (personal API tokens, 0012): credentials for the server they were made on,
//!   like sessions; after a move their owners make new ones on the target's account page and
//!   give them to their systems (docs/api.md says so).
//! - `revocations`: a counter that tells running servers that sessions changed; with no
//!   session copied there is nothing for it to say, and the target keeps its own.
//! - the national benchmarking set (`national_*`, with `national_links`, which ties a council
//!   to its code in the national register): shared reference data, not a council's, loaded
//!   on the target with `beacon national load` from the published files.
//!
//! Every version of a plan kept whole (`plan_versions`, 0024) comes over too, so a plan's earlier
//! versions can still be compared on the target.
//!
//! The calendars and notices (migration 0013) come over whole: each council's calendar, people's
//! addresses and choices, the subscribers, and the outbox with its ids, so a notice sent on the
//! source stays sent and one waiting is sent from the target, once.
//!
//! The target must hold no council, user or audit row: copying never merges into or
//! overwrites existing data.

use crate::store::AnyStore;
use beacon_app::migrate::{GovernanceDump, export_governance};
use beacon_app::{ChangeSet, CouncilChanges, Governance, Store};
use beacon_domain::plan::PlanDocument;

/// Copies every council of `from` into the empty database `to`.
pub async fn run(from: &str, to: &str) -> Result<(), String> {
    let shown = Shown {
        from: crate::store::describe(from),
        to: crate::store::describe(to),
    };
    let (source, target) = open_both(from, to, &shown).await?;
    refuse_unless_empty(&target, &shown).await?;
    let (datasets, governance) = read_source(&source, &shown).await?;
    write_target(&target, &datasets, &governance, &shown).await?;
    let after = check_councils(&source, &target, &datasets, &shown).await?;
    let copied = check_governance(&target, &governance, &shown.from, &shown.to).await?;
    say_copied(&datasets, &after, &copied, &shown);
    // Everything into the .db file itself, so that the file alone is the whole copy.
    target.close().await.map_err(|e| e.to_string())
}

/// The two databases as messages name them (passwords in URLs redacted).
struct Shown {
    from: String,
    to: String,
}

/// Opens the source (which must exist) and the target (a new SQLite file is made readable by
/// its owner only).
async fn open_both(from: &str, to: &str, shown: &Shown) -> Result<(AnyStore, AnyStore), String> {
    if from == to {
        return Err(format!(
            "--from and --to are the same database ({})",
            shown.from
        ));
    }
    crate::store::check_scheme(from).map_err(|e| format!("--from: {e}"))?;
    if !beacon_store_postgres::is_postgres_url(from) && !crate::store::sqlite_path(from).is_file() {
        return Err(format!("--from {}: no such database file", shown.from));
    }
    let source = crate::store::open(from)
        .await
        .map_err(|e| format!("--from: {e}"))?;
    crate::store::check_scheme(to).map_err(|e| format!("--to: {e}"))?;
    if !beacon_store_postgres::is_postgres_url(to) {
        let path = crate::store::sqlite_path(to);
        if !path.exists() {
            // A new SQLite file holds every password hash: readable by its owner only.
            super::backup::private_file(path).map_err(|e| format!("--to {}: {e}", shown.to))?;
        }
    }
    let target = crate::store::open(to)
        .await
        .map_err(|e| format!("--to: {e}"))?;
    Ok((source, target))
}

/// Copying never merges: the target must hold no council, user or audit row.
async fn refuse_unless_empty(target: &AnyStore, shown: &Shown) -> Result<(), String> {
    let shown_to = &shown.to;
    let already = target.councils().await.map_err(|e| e.to_string())?;
    if !already.is_empty() {
        let refs: Vec<String> = already.iter().map(|c| c.reference.to_string()).collect();
        return Err(format!(
            "--to {shown_to} already holds {} ({}); copy into an empty database",
            if refs.len() == 1 {
                "a council"
            } else {
                "councils"
            },
            refs.join(", ")
        ));
    }
    let (target_users, (target_trail, target_head)) = (
        target.users().await.map_err(|e| e.to_string())?,
        target.audit_trail().await.map_err(|e| e.to_string())?,
    );
    if !target_users.is_empty() || !target_trail.is_empty() || target_head.is_some() {
        return Err(format!(
            "--to {shown_to} already holds users or an audit trail ({} users, {} audit rows); copy into an empty database",
            target_users.len(),
            target_trail.len()
        ));
    }
    Ok(())
}

/// A council's data and every version of its plans kept whole (the current ones included).
type Council = (beacon_app::CouncilData, Vec<PlanDocument>);

/// Every version of each plan of `data` that `store` keeps whole, oldest first, plan by plan.
async fn kept_versions(
    store: &AnyStore,
    data: &beacon_app::CouncilData,
) -> Result<Vec<PlanDocument>, String> {
    let c = &data.council.reference;
    let mut kept = Vec::new();
    for p in &data.plans {
        let r = &p.plan.reference;
        for v in store.plan_versions(c, r).await.map_err(|e| e.to_string())? {
            let doc = store
                .plan_version(c, r, v)
                .await
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("version {v} of plan {r} vanished while copying"))?;
            kept.push(doc);
        }
    }
    Ok(kept)
}

/// Every council of the source and its governance, refused if its audit chain is broken.
async fn read_source(
    source: &AnyStore,
    shown: &Shown,
) -> Result<(Vec<Council>, GovernanceDump), String> {
    let shown_from = &shown.from;
    let mut datasets = Vec::new();
    for council in source.councils().await.map_err(|e| e.to_string())? {
        let data = source
            .council_data(&council.reference)
            .await
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("council {} vanished while copying", council.reference))?;
        let versions = kept_versions(source, &data).await?;
        datasets.push((data, versions));
    }
    let governance = export_governance(source).await.map_err(|e| {
        format!(
            "reading users, quarter states, publications and the audit trail of {shown_from}: {e}"
        )
    })?;
    // A broken chain would be copied broken: say so now, before anything is written.
    beacon_app::audit::verify(&governance.audit, governance.audit_head.clone()).map_err(|b| {
        format!(
            "the audit trail of {shown_from} does not verify ({b}); nothing was copied. Run `beacon audit verify` on it to see where it breaks"
        )
    })?;
    Ok((datasets, governance))
}

/// Writes the councils' data in one transaction, then their governance in another.
async fn write_target(
    target: &AnyStore,
    datasets: &[Council],
    governance: &GovernanceDump,
    shown: &Shown,
) -> Result<(), String> {
    let shown_to = &shown.to;
    // The data as stored, without audit notes or quarter guards: the source's own audit
    // trail and quarter states come over verbatim below.
    let changes = ChangeSet {
        councils: datasets
            .iter()
            .map(|(data, versions)| CouncilChanges {
                kept_versions: versions.clone(),
                ..CouncilChanges::everything(data)
            })
            .collect(),
        ..Default::default()
    };
    target
        .apply(&changes)
        .await
        .map_err(|e| format!("writing to {shown_to} failed, and nothing was written: {e}"))?;
    target.restore(governance).await.map_err(|e| {
        format!(
            "the councils' data was written to {shown_to}, but writing its users, quarter states, publications and audit trail failed, and none of them was written: {e}\n\
             {shown_to} is now incomplete; it was empty before, so drop it (or delete the file), create it empty again and run the copy again"
        )
    })
}

/// Checks every council reads back from the target as it was read, and every count matches;
/// returns the target's counts.
async fn check_councils(
    source: &AnyStore,
    target: &AnyStore,
    datasets: &[Council],
    shown: &Shown,
) -> Result<beacon_app::stats::Stats, String> {
    let (shown_from, shown_to) = (&shown.from, &shown.to);
    for (want, versions) in datasets {
        let got = target
            .council_data(&want.council.reference)
            .await
            .map_err(|e| e.to_string())?;
        if got.as_ref() != Some(want) {
            return Err(format!(
                "council {} does not read back from {shown_to} as it was in {shown_from}",
                want.council.reference
            ));
        }
        if &kept_versions(target, want).await? != versions {
            return Err(format!(
                "the kept versions of council {}'s plans do not read back from {shown_to} as they were in {shown_from}",
                want.council.reference
            ));
        }
    }
    let (before, after) = (
        source.stats().await.map_err(|e| e.to_string())?,
        target.stats().await.map_err(|e| e.to_string())?,
    );
    if before != after {
        return Err(format!(
            "the counts differ after copying: {shown_from} has {before:?}, {shown_to} has {after:?}"
        ));
    }
    Ok(after)
}

/// Says what was copied.
fn say_copied(
    datasets: &[Council],
    after: &beacon_app::stats::Stats,
    copied: &GovernanceDump,
    shown: &Shown,
) {
    let (shown_from, shown_to) = (&shown.from, &shown.to);
    println!(
        "Copied {} {} from {shown_from} to {shown_to}; every council reads back the same.",
        datasets.len(),
        if datasets.len() == 1 {
            "council"
        } else {
            "councils"
        }
    );
    print!("{}", crate::output::stats(after));
    println!(
        "audit trail: {} rows, chain verified, the same as in {shown_from}\n\
         users: {}\nquarter states: {}\npublications: {}\n\
         multi-factor sign-in: on for {} users, required by {} councils\n\
         calendars: {}\nnotices: {} (with {} addresses and {} subscribers)",
        copied.audit.len(),
        copied.users.len(),
        copied.quarter_count(),
        copied.publications.len(),
        copied
            .mfa
            .iter()
            .filter(|m| m.confirmed_at.is_some())
            .count(),
        copied.mfa_required.len(),
        copied.notices.calendars.len(),
        copied.notices.outbox.len(),
        copied.notices.contacts.len(),
        copied.notices.subscribers.len()
    );
}

/// Reads the target's governance back and checks it is the source's, verbatim, and that its
/// audit chain verifies. Returns what was read.
async fn check_governance(
    target: &AnyStore,
    want: &GovernanceDump,
    shown_from: &str,
    shown_to: &str,
) -> Result<GovernanceDump, String> {
    let got = export_governance(target)
        .await
        .map_err(|e| format!("reading back the governance of {shown_to}: {e}"))?;
    let rows = beacon_app::audit::verify(&got.audit, got.audit_head.clone())
        .map_err(|b| format!("the audit trail copied to {shown_to} does not verify: {b}"))?;
    let differs = |what: &str, a: usize, b: usize| {
        format!("{what} of {shown_to} ({b}) are not those of {shown_from} ({a}) after copying")
    };
    if got.audit != want.audit || got.audit_head != want.audit_head {
        return Err(differs("the audit rows", want.audit.len(), rows));
    }
    if got.users != want.users {
        return Err(differs("the users", want.users.len(), got.users.len()));
    }
    if got.quarters != want.quarters {
        return Err(differs(
            "the quarter states",
            want.quarter_count(),
            got.quarter_count(),
        ));
    }
    if got.publications != want.publications {
        return Err(differs(
            "the publications",
            want.publications.len(),
            got.publications.len(),
        ));
    }
    if got.mfa != want.mfa || got.mfa_required != want.mfa_required {
        return Err(differs(
            "the multi-factor sign-in settings",
            want.mfa.len() + want.mfa_required.len(),
            got.mfa.len() + got.mfa_required.len(),
        ));
    }
    if got.notices != want.notices {
        return Err(differs(
            "the calendars and notices",
            want.notices.outbox.len(),
            got.notices.outbox.len(),
        ));
    }
    Ok(got)
}
