//! `beacon`: the one binary. A thin shim: parse the command line, run the command, print any
//! error to stderr and exit non-zero.

mod actor;
mod args;
mod commands;
mod example;
mod mail;
mod output;
mod store;

use clap::{CommandFactory, FromArgMatches};
use std::io::IsTerminal;

/// Reads the command line, noting whether `--db` was left to its default.
fn parse() -> args::Cli {
    let matches = args::Cli::command().get_matches();
    let defaulted = matches.value_source("db") == Some(clap::parser::ValueSource::DefaultValue);
    match args::Cli::from_arg_matches(&matches) {
        Ok(mut cli) => {
            cli.db_defaulted = defaulted;
            cli
        }
        Err(e) => e.exit(),
    }
}

/// Log lines to standard error, filtered by `BEACON_LOG` (`warn` by default; targets are
/// `beacon::access`, `beacon::csrf`, `beacon_web`, `sqlx`, …), as text (coloured only on a
/// terminal) or as JSON objects, one a line.
fn logging(format: args::LogFormat) {
    let filter =
        tracing_subscriber::EnvFilter::try_from_env("BEACON_LOG").unwrap_or_else(|_| "warn".into());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    match format {
        args::LogFormat::Text => builder.init(),
        args::LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .init(),
    }
}

fn main() -> std::process::ExitCode {
    let cli = parse();
    logging(cli.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
