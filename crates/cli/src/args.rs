//! The command line, as clap reads it.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "beacon",
    version,
    about = "Beacon: performance management for councils"
)]
pub struct Cli {
    /// The database: a SQLite file path (or sqlite://PATH).
    #[arg(
        long,
        global = true,
        env = "BEACON_DATABASE_URL",
        default_value = "beacon.db"
    )]
    pub db: String,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load the bundled example council (Halton) and serve it.
    Demo {
        /// Where to serve the web app.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        /// Load and print, but do not serve.
        #[arg(long)]
        no_serve: bool,
    },
    /// Load plan files or directories of them (all or nothing).
    Load {
        /// Files or directories.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Write stored data back as plan files.
    #[command(subcommand)]
    Export(Export),
    /// Count what the database holds.
    Stats {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Every indicator, milestone, risk and budget statement of a quarter with its status,
    /// direction of travel and the reason.
    Status {
        #[command(flatten)]
        quarter: QuarterArgs,
        /// Only this plan.
        #[arg(long)]
        plan: Option<String>,
        /// Only this unit's plans and statements.
        #[arg(long)]
        unit: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Set an indicator's or milestone's status by hand, with a reason.
    SetStatus {
        #[command(flatten)]
        quarter: QuarterArgs,
        /// The plan the item belongs to.
        #[arg(long)]
        plan: String,
        /// The indicator (any of its codes).
        #[arg(
            long,
            conflicts_with = "milestone",
            required_unless_present = "milestone"
        )]
        indicator: Option<String>,
        /// The milestone's ref.
        #[arg(long)]
        milestone: Option<String>,
        /// green | amber | red | not-assessed
        #[arg(long)]
        status: String,
        /// Why the computed status is not the right one (required).
        #[arg(long)]
        reason: String,
        /// Who is setting it.
        #[arg(long)]
        by: String,
    },
    /// Serve the web app.
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
    },
}

/// A council's quarter.
#[derive(Debug, clap::Args)]
pub struct QuarterArgs {
    /// The council's ref.
    #[arg(long)]
    pub council: String,
    /// The financial year, such as 2012/13.
    #[arg(long)]
    pub year: String,
    /// The quarter, 1 to 4.
    #[arg(long)]
    pub quarter: u8,
}

#[derive(Debug, Subcommand)]
pub enum Export {
    /// One plan's file.
    Plan {
        /// The plan's ref.
        reference: String,
        /// The council (needed only when the database holds several).
        #[arg(long)]
        council: Option<String>,
        /// The directory to write into.
        #[arg(short = 'o', long)]
        out: PathBuf,
    },
    /// A whole council: organisation, frames, plans, quarters and budget statements.
    Council {
        /// The council's ref.
        reference: String,
        #[arg(short = 'o', long)]
        out: PathBuf,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
