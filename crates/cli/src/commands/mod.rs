//! One module per subcommand; `run` opens the database and dispatches.

mod audit;
mod collect;
mod copy;
mod demo;
mod export;
mod lifecycle;
mod load;
mod report;
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
    // `copy` names its own two databases; every other command works on --db.
    if let Command::Copy { from, to } = &cli.command {
        return copy::run(from, to).await;
    }
    let store = crate::store::open(&cli.db).await?;
    match cli.command {
        Command::Demo {
            addr,
            no_serve,
            web,
        } => {
            demo::run(
                &store,
                &crate::store::describe(&cli.db),
                &addr,
                no_serve,
                &web,
            )
            .await
        }
        Command::Load { paths } => load::run(&store, &paths).await,
        Command::Export(e) => export::run(&store, e).await,
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
        Command::Serve { addr, web } => serve::run(store, &addr, &web).await,
        Command::User(u) => user::run(&store, u).await,
        Command::Audit(a) => audit::run(&store, a).await,
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
    }
}
