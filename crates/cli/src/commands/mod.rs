//! One module per subcommand; `run` opens the database and dispatches.

mod audit;
mod backup;
mod bench_http;
mod calendar;
mod collect;
mod copy;
mod demo;
mod export;
mod init;
mod lifecycle;
mod load;
mod mfa;
mod missing;
mod national;
mod notify;
mod plans;
mod report;
mod restore;
mod serve;
mod setup;
mod stats;
mod status;
mod user;

use crate::args::{Cli, Command};
use crate::store::AnyStore;
use beacon_app::lifecycle::Step;

/// Runs a parsed command line.
pub async fn run(cli: Cli) -> Result<(), String> {
    // `bench-http` opens no database.
    if let Command::BenchHttp {
        url,
        connections,
        secs,
        headers,
        json,
    } = &cli.command
    {
        return bench_http::run(url, *connections, *secs, headers, *json).await;
    }
    // `typeset-pdf` opens no database either: it is the server's child typesetter.
    if let Command::TypesetPdf = &cli.command {
        return typeset_pdf();
    }
    // `copy` names its own two databases; every other command works on --db.
    if let Command::Copy { from, to } = &cli.command {
        return copy::run(from, to).await;
    }
    // `restore` writes its database before opening it.
    if let Command::Restore { from, verify } = &cli.command {
        return restore::run(&cli.db, from, *verify).await;
    }
    // `demo` parses its example on another thread while the database opens.
    let example = matches!(cli.command, Command::Demo { .. }).then(demo::parse_example);
    let store = open(&cli).await?;
    match cli.command {
        Command::Demo {
            addr,
            no_serve,
            force,
            web,
        } => {
            let db = crate::store::describe(&cli.db);
            let example = example.ok_or("the example was not parsed")?;
            demo::run(&store, &db, example, &addr, no_serve, force, &web).await
        }
        Command::Init {
            paths,
            admin,
            admin_name,
            council,
            password_stdin,
        } => {
            let admin = admin.map(|username| init::Admin {
                name: admin_name.unwrap_or_else(|| username.clone()),
                username,
                council,
                password_stdin,
            });
            init::run(&store, &paths, admin).await
        }
        Command::Backup { to } => backup::run(&store, &cli.db, &to).await,
        Command::Restore { .. } => Err("restore is run before the database is opened".into()),
        Command::Load { paths } => load::run(&store, &paths).await,
        Command::Export(e) => export::run(&store, e).await,
        Command::Diff(d) => plans::diff(&store, d).await,
        Command::Refresh(r) => plans::refresh(&store, r).await,
        Command::Stats { json } => stats::run(&store, json).await,
        Command::Status {
            quarter,
            plan,
            unit,
            json,
        } => status::list(&store, &quarter, plan.as_deref(), unit.as_deref(), json).await,
        Command::SetStatus {
            quarter,
            plan,
            indicator,
            milestone,
            status,
            reason,
            by,
        } => {
            status::set(
                &store, &quarter, &plan, indicator, milestone, &status, &reason, &by,
            )
            .await
        }
        Command::Collect(c) => collect::run(&store, c).await,
        Command::Setup {
            files,
            council,
            dry_run,
        } => setup::run(&store, &files, &council, dry_run).await,
        Command::Report(r) => report::run(&store, r).await,
        Command::Serve { addr, web, mail } => serve::run(store, &addr, &web, &mail).await,
        Command::Calendar(c) => calendar::run(&store, c).await,
        Command::Missing {
            council,
            year,
            quarter,
            json,
        } => missing::run(&store, &council, year.quarter(quarter), json).await,
        Command::Notify(n) => notify::run(&store, n).await,
        Command::User(u) => user::run(&store, u).await,
        Command::Audit(a) => audit::run(&store, a).await,
        Command::National(n) => national::run(&store, n).await,
        Command::Submit { step } => lifecycle::run(&store, &step, Step::Submit, None).await,
        Command::SignOff { step } => lifecycle::run(&store, &step, Step::SignOff, None).await,
        Command::SendBack { step, reason } => {
            lifecycle::run(&store, &step, Step::SendBack, Some(reason)).await
        }
        Command::Reopen { step, reason } => {
            lifecycle::run(&store, &step, Step::Reopen, Some(reason)).await
        }
        Command::Publish { step, note } => lifecycle::run(&store, &step, Step::Publish, note).await,
        Command::Copy { .. } => Err("copy is run before the database is opened".into()),
        Command::BenchHttp { .. } => Err("bench-http is run before the database is opened".into()),
        Command::TypesetPdf => Err("typeset-pdf is run before the database is opened".into()),
    }
}

/// `beacon typeset-pdf`: a report's JSON from standard input to a PDF on standard output.
fn typeset_pdf() -> Result<(), String> {
    use std::io::{Read, Write};
    let mut json = Vec::new();
    std::io::stdin()
        .read_to_end(&mut json)
        .map_err(|e| format!("cannot read the report from standard input: {e}"))?;
    let pdf = beacon_reports_pdf::render_json(json).map_err(|e| e.to_string())?;
    let mut out = std::io::stdout().lock();
    out.write_all(&pdf)
        .and_then(|()| out.flush())
        .map_err(|e| format!("cannot write the PDF to standard output: {e}"))
}

/// Opens `--db` for a command, saying on standard error which database it is and which
/// migrations were applied. Only `demo` and `init` create a SQLite database that is missing;
/// every other command refuses, so a mistyped path or a forgotten environment file is never
/// taken for an empty database.
async fn open(cli: &Cli) -> Result<AnyStore, String> {
    let create = matches!(cli.command, Command::Demo { .. } | Command::Init { .. });
    let shown = crate::store::describe(&cli.db);
    let defaulted = if cli.db_defaulted {
        " (the default: neither --db nor BEACON_DATABASE_URL is set)"
    } else {
        ""
    };
    crate::store::check_scheme(&cli.db)?;
    if !create
        && !beacon_store_postgres::is_postgres_url(&cli.db)
        && !crate::store::sqlite_path(&cli.db).exists()
    {
        return Err(format!(
            "there is no database at {shown}{defaulted}. Point --db (or BEACON_DATABASE_URL, \
             as the service's environment file does) at the database to use, or create one \
             with `beacon init`"
        ));
    }
    let (store, applied) = crate::store::open_reporting(&cli.db, create).await?;
    if applied.is_empty() {
        eprintln!("Database: {shown}{defaulted}; schema up to date.");
    } else {
        eprintln!(
            "Database: {shown}{defaulted}; applied migration{} {}.",
            if applied.len() == 1 { "" } else { "s" },
            applied.join(", ")
        );
    }
    Ok(store)
}
