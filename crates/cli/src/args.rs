//! The command line, as clap reads it.

use beacon_domain::Ref;
use beacon_domain::organisation::CouncilRef;
use beacon_domain::period::{FinancialYear, Quarter, QuarterNo};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "beacon",
    version,
    about = "Beacon: performance management for councils"
)]
pub struct Cli {
    /// The database: a SQLite file path (or sqlite://PATH), or a PostgreSQL URL
    /// (postgres://USER@HOST/DATABASE).
    #[arg(
        long,
        global = true,
        env = "BEACON_DATABASE_URL",
        default_value = "beacon.db"
    )]
    pub db: String,
    /// Whether --db was left to its default (no --db, no BEACON_DATABASE_URL).
    #[arg(skip)]
    pub db_defaulted: bool,
    /// How log lines are written to standard error: text, or json (one object a line).
    #[arg(
        long,
        global = true,
        env = "BEACON_LOG_FORMAT",
        value_enum,
        default_value = "text"
    )]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
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
        /// Load the example and its demo users (with their published password) even into a
        /// database that already holds councils.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        web: WebArgs,
    },
    /// Create the database (SQLite) or its tables (PostgreSQL), put in the first council from
    /// its plan files and create its first administrator, saying what was done.
    Init {
        /// Plan files or directories of them: the first council (all or nothing).
        paths: Vec<PathBuf>,
        /// The first administrator's username (a random password is printed, unless
        /// --password-stdin).
        #[arg(long)]
        admin: Option<String>,
        /// The administrator's name, as pages and the audit trail show it.
        #[arg(long, requires = "admin")]
        admin_name: Option<String>,
        /// The council the administrator administers (needed only when several are loaded).
        #[arg(long, requires = "admin")]
        council: Option<String>,
        /// Read the administrator's password from the first line of standard input.
        #[arg(long, requires = "admin")]
        password_stdin: bool,
    },
    /// Back the whole database up into one new file, readable only by its owner: a SQLite
    /// copy (VACUUM INTO), or for PostgreSQL a pg_dump custom-format dump; with a manifest
    /// (FILE.manifest.json) that `beacon restore --verify` checks against.
    Backup {
        /// The file to write; it must not exist.
        #[arg(long)]
        to: PathBuf,
    },
    /// Restore a backup made by `beacon backup` into --db (a new SQLite file, or an empty
    /// PostgreSQL database, via pg_restore), bring it up to date and, with --verify, check it.
    Restore {
        /// The backup file.
        #[arg(long)]
        from: PathBuf,
        /// Check the restored database against the backup's manifest: every table's row
        /// count, the audit trail's chain and head, every publication's files.
        #[arg(long)]
        verify: bool,
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
    /// Compare two plans: added, removed and changed objectives, milestones, indicators
    /// (targets included), risks, equality actions and budget changes.
    #[command(subcommand)]
    Diff(Diff),
    /// Make next year's plan from a plan: its years roll on, milestones not complete are
    /// carried, targets stay with their years; the new plan is a draft to review.
    #[command(subcommand)]
    Refresh(Refresh),
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
    /// The quarter's collection workbook: write the template, load a filled one back.
    #[command(subcommand)]
    Collect(Collect),
    /// Bulk set-up: load indicator definitions, targets and values from XLSX or CSV files
    /// (docs/spreadsheet-formats.md), all or nothing.
    Setup {
        /// XLSX workbooks or CSV files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The council the files are for.
        #[arg(long)]
        council: String,
        /// Check and report, but load nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Load a Beacon server with GET requests on keep-alive connections and print requests
    /// per second and p50/p90/p99 latency (for `scripts/bench-api`; plain http:// only).
    /// Hidden: a tool for Beacon's own benchmarks.
    #[command(hide = true)]
    BenchHttp {
        /// The URL to ask for, http://HOST:PORT/PATH.
        url: String,
        /// How many connections at once.
        #[arg(long, default_value_t = 64)]
        connections: usize,
        /// For how many seconds.
        #[arg(long, default_value_t = 10.0)]
        secs: f64,
        /// A header to send with every request, "Name: value" (repeatable).
        #[arg(long = "header")]
        headers: Vec<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Typeset a report as PDF: the report's JSON on standard input, the PDF on standard
    /// output. Hidden: `beacon serve` runs it as a child process for each PDF, so the
    /// typesetter's memory is returned when the child ends.
    #[command(hide = true)]
    TypesetPdf,
    /// Copy a whole database to an empty one, SQLite or PostgreSQL, and check it arrived.
    Copy {
        /// The database to copy: a SQLite path, sqlite://PATH or postgres://URL.
        #[arg(long)]
        from: String,
        /// The empty database to copy into (a new SQLite file is created).
        #[arg(long)]
        to: String,
    },
    /// Write a report: a unit's quarterly monitoring report, or a plan document.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Serve the web app. /healthz answers while the process is up; /readyz only while the
    /// database answers and its schema is current. SIGTERM or Ctrl+C stops it after the
    /// requests in flight have finished.
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        #[command(flatten)]
        web: WebArgs,
        #[command(flatten)]
        mail: MailArgs,
    },
    /// Add, disable, enable or reset a user.
    #[command(subcommand)]
    User(UserCommand),
    /// The audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// The national benchmarking set: other councils' values, quartiles and neighbours.
    #[command(subcommand)]
    National(NationalCommand),
    /// The council's calendar: each quarter's collection, sign-off and board dates.
    #[command(subcommand)]
    Calendar(CalendarCommand),
    /// What is missing from a quarter, unit by unit, and who is responsible for each item.
    Missing {
        /// The council's ref.
        #[arg(long)]
        council: CouncilRef,
        /// The financial year, such as 2012/13.
        #[arg(long)]
        year: FinancialYear,
        /// The quarter, 1 to 4.
        #[arg(long, value_parser = quarter_no)]
        quarter: QuarterNo,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Notices by email: write today's reminders and send what is due (or, with --dry-run,
    /// print what would go out); set people's addresses and the council's subscribers.
    Notify(NotifyArgs),
    /// Submit a unit's quarter for sign-off (needs a contributor's role on the unit).
    Submit {
        #[command(flatten)]
        step: StepArgs,
    },
    /// Sign off a submitted quarter (an approver); it is then locked.
    SignOff {
        #[command(flatten)]
        step: StepArgs,
    },
    /// Send a submitted quarter back to its unit, with the reason (an approver).
    SendBack {
        #[command(flatten)]
        step: StepArgs,
        /// Why it is being sent back (required).
        #[arg(long)]
        reason: String,
    },
    /// Reopen a signed-off or published quarter, with the reason (an approver).
    Reopen {
        #[command(flatten)]
        step: StepArgs,
        /// Why it is being reopened (required).
        #[arg(long)]
        reason: String,
    },
    /// Publish a signed-off quarter (a performance officer): its monitoring report in every
    /// format and its open data are frozen as the next version.
    Publish {
        #[command(flatten)]
        step: StepArgs,
        /// What changed since the last publication (required when publishing again).
        #[arg(long)]
        note: Option<String>,
    },
}

/// A step in a unit's quarter's life, and who takes it.
#[derive(Debug, clap::Args)]
pub struct StepArgs {
    /// The council's ref.
    #[arg(long)]
    pub council: CouncilRef,
    /// The unit (directorate or department) whose quarter it is.
    #[arg(long)]
    pub unit: Ref,
    /// The financial year, such as 2012/13.
    #[arg(long)]
    pub year: FinancialYear,
    /// The quarter, 1 to 4.
    #[arg(long, value_parser = quarter_no)]
    pub quarter: QuarterNo,
    /// The Beacon user taking the step: their roles are checked, and the quarter and audit
    /// trail record them.
    #[arg(long = "as", value_name = "USER")]
    pub user: String,
}

impl StepArgs {
    pub fn quarter(&self) -> Quarter {
        self.year.quarter(self.quarter)
    }
}

/// A quarter's number, 1 to 4.
fn quarter_no(s: &str) -> Result<QuarterNo, String> {
    let n: u8 = s
        .parse()
        .map_err(|_| format!("{s:?} is not a quarter: expected 1, 2, 3 or 4"))?;
    QuarterNo::from_number(n).map_err(|e| e.to_string())
}

/// How pages are served.
#[derive(Debug, Clone, clap::Args)]
pub struct WebArgs {
    /// Send the session cookie over plain HTTP too. Only for trying Beacon on a private
    /// network without HTTPS; never needed behind a proxy that terminates HTTPS (use
    /// --public-origin there), and browsers send secure cookies to http://localhost anyway.
    #[arg(long)]
    pub insecure_cookies: bool,
    /// The origin users reach Beacon at: scheme and host, no path (https://beacon.example.gov.uk).
    /// Needed behind a proxy; forms from any other origin are refused (and logged).
    #[arg(long, env = "BEACON_PUBLIC_ORIGIN")]
    pub public_origin: Option<String>,
    /// Serve Prometheus metrics at /metrics on this address (keep it on loopback), apart from
    /// the pages.
    #[arg(long, env = "BEACON_METRICS_ADDR")]
    pub metrics_addr: Option<String>,
    /// Connections served at once; more wait until one ends (default 1024). Hidden: the
    /// defaults suit every deployment; for tests and trials.
    #[arg(long, env = "BEACON_MAX_CONNECTIONS", hide = true,
          value_parser = clap::value_parser!(u64).range(1..=65_536))]
    pub max_connections: Option<u64>,
    /// Seconds a request's line and headers may take to arrive (default 10). Hidden.
    #[arg(long, env = "BEACON_HEADER_TIMEOUT", hide = true, value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub header_timeout: Option<u64>,
    /// Seconds a whole request, its body included, may take (default 180). Hidden.
    #[arg(long, env = "BEACON_REQUEST_TIMEOUT", hide = true, value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub request_timeout: Option<u64>,
    /// Requests a second one API token may make, after a burst of six seconds' worth
    /// (default 100). Hidden: for benchmarks and trials.
    #[arg(long, env = "BEACON_API_RATE", hide = true, value_name = "PER_SECOND",
          value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    pub api_rate: Option<u64>,
}

impl WebArgs {
    /// How fast one API token may ask: the default, or the operator's rate.
    pub fn api_rate(&self) -> beacon_web::api::RateLimit {
        match self.api_rate {
            Some(n) => beacon_web::api::RateLimit {
                burst: n as f64 * 6.0,
                per_second: n as f64,
            },
            None => beacon_web::api::RateLimit::default(),
        }
    }

    /// The server's bounds: the defaults, with any the operator set in their place.
    pub fn limits(&self) -> beacon_web::Limits {
        let d = beacon_web::Limits::default();
        let secs = std::time::Duration::from_secs;
        beacon_web::Limits {
            max_connections: self
                .max_connections
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or(d.max_connections),
            header_timeout: self.header_timeout.map_or(d.header_timeout, secs),
            request_timeout: self.request_timeout.map_or(d.request_timeout, secs),
        }
    }
}

/// Where notices are sent from.
#[derive(Debug, Clone, clap::Args)]
pub struct MailArgs {
    /// The SMTP server notices are sent through: smtp://HOST:PORT, smtp://HOST?tls=required,
    /// smtps://USER:PASSWORD@HOST. Without one, notices are kept in the outbox (and shown on
    /// the notices page) until one is configured.
    #[arg(long, env = "BEACON_SMTP_URL")]
    pub smtp: Option<String>,
    /// The address notices come from.
    #[arg(
        long,
        env = "BEACON_MAIL_FROM",
        default_value = "Beacon <beacon@localhost>"
    )]
    pub mail_from: String,
}

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct NotifyArgs {
    #[command(subcommand)]
    pub command: Option<NotifyCommand>,
    /// Print the reminders due today and the notices waiting, and send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Act as at this time (RFC 3339, e.g. 2012-10-16T08:00:00Z) instead of now: to catch up
    /// on a day missed.
    #[arg(long)]
    pub at: Option<chrono::DateTime<chrono::Utc>>,
    #[command(flatten)]
    pub mail: MailArgs,
}

#[derive(Debug, Subcommand)]
pub enum NotifyCommand {
    /// Set a user's email address and how they take their notices.
    Contact {
        username: String,
        #[arg(long)]
        email: String,
        /// One message a day instead of each notice as it happens.
        #[arg(long)]
        digest: bool,
        /// Only the notices the person's role needs (no early reminder).
        #[arg(long)]
        essential_only: bool,
    },
    /// Tell an address of every report the council publishes (or, with --remove, stop).
    Subscribe {
        #[arg(long)]
        council: CouncilRef,
        email: String,
        #[arg(long)]
        remove: bool,
    },
    /// The latest notices: sent, waiting and failed.
    List {
        #[arg(long)]
        council: Option<CouncilRef>,
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// A year's dates, quarter by quarter.
    Show {
        #[arg(long)]
        council: CouncilRef,
        /// The financial year, such as 2012/13.
        #[arg(long)]
        year: FinancialYear,
        #[arg(long)]
        json: bool,
    },
    /// Change the council's rule (each given number of working days from the quarter's end).
    Set {
        #[arg(long)]
        council: CouncilRef,
        #[arg(long)]
        opens_after: Option<u16>,
        #[arg(long)]
        closes_after: Option<u16>,
        #[arg(long)]
        sign_off_after: Option<u16>,
        /// Working days after the quarter's end the board meets ("none": set per quarter).
        #[arg(long)]
        board_after: Option<String>,
        #[arg(long)]
        papers_before: Option<u16>,
        #[arg(long)]
        remind_before: Option<u16>,
        /// The committee that receives the report.
        #[arg(long)]
        committee: Option<String>,
        /// The user making the change (a performance officer or administrator).
        #[arg(long = "as", value_name = "USER")]
        user: String,
    },
    /// Set one quarter's dates by hand (YYYY-MM-DD); --clear goes back to the rule.
    Quarter {
        #[arg(long)]
        council: CouncilRef,
        #[arg(long)]
        year: FinancialYear,
        #[arg(long, value_parser = quarter_no)]
        quarter: QuarterNo,
        #[arg(long)]
        opens: Option<chrono::NaiveDate>,
        #[arg(long)]
        closes: Option<chrono::NaiveDate>,
        #[arg(long)]
        sign_off: Option<chrono::NaiveDate>,
        #[arg(long)]
        papers: Option<chrono::NaiveDate>,
        #[arg(long)]
        board: Option<chrono::NaiveDate>,
        #[arg(long)]
        clear: bool,
        #[arg(long = "as", value_name = "USER")]
        user: String,
    },
    /// Replace the council's calendar with a TOML file ([rule] and [[quarters]]; see
    /// docs/running-the-quarter.md), all or nothing.
    Load {
        file: PathBuf,
        #[arg(long)]
        council: CouncilRef,
        #[arg(long = "as", value_name = "USER")]
        user: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user with one role on a council, or on one unit of it and the units under it.
    /// Prints a new random password unless --password-stdin is given.
    Add {
        username: String,
        /// The name pages and the audit trail show.
        #[arg(long)]
        name: String,
        /// administrator | performance-officer | contributor | approver | councillor
        #[arg(long)]
        role: String,
        #[arg(long)]
        council: String,
        /// Limit the role to this unit and the units under it.
        #[arg(long)]
        unit: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Disable a user and end all their sessions.
    Disable { username: String },
    /// Enable a disabled user.
    Enable { username: String },
    /// Set a new password (random and printed, unless --password-stdin) and end all sessions.
    Reset {
        username: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Give a user one more role on a council, or on one unit of it and the units under it.
    /// Ends the user's sessions; the role applies when they sign in again.
    Grant {
        username: String,
        /// administrator | performance-officer | contributor | approver | councillor
        #[arg(long)]
        role: String,
        #[arg(long)]
        council: String,
        #[arg(long)]
        unit: Option<String>,
    },
    /// Take away a user's roles on a council: all of them, or only --role. Ends their sessions.
    Revoke {
        username: String,
        #[arg(long)]
        council: String,
        #[arg(long)]
        role: Option<String>,
    },
    /// List users and their roles.
    List,
    /// Clear a user's multi-factor sign-in (a lost phone): they sign in with their password
    /// alone, or set up a new app first if their council requires it. Ends their sessions.
    MfaReset { username: String },
    /// Require multi-factor sign-in of a council's administrators and performance officers
    /// (they set it up at their next sign-in), or with --off no longer.
    RequireMfa {
        #[arg(long)]
        council: String,
        #[arg(long)]
        off: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum NationalCommand {
    /// Load national files, all or nothing: tidy values (council,indicator,period,value), wide
    /// published tables (.xlsx or .csv, one sheet per indicator), the register
    /// (code,name,region,type), indicators (indicator,name,polarity) or comparison groups
    /// (council,kind,member, after the register that lists their councils).
    Load {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Load comparison groups (council,kind,member), replacing each council's group of a kind.
    Groups { file: PathBuf },
    /// A council's position on every national indicator in a period.
    Position {
        /// The council's code in the national register.
        #[arg(long)]
        council: String,
        /// The period, as the files label it.
        #[arg(long)]
        period: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Link a Beacon council to its code in the national register: its indicator pages,
    /// dashboard and reports then show its national position; with --contribute, every
    /// publication also gives its published values to the national set.
    Link {
        /// The Beacon council (its ref, such as halton).
        #[arg(long)]
        council: String,
        /// Its code in the national register (such as E06000006).
        #[arg(long)]
        code: String,
        /// Give the council's published values to the national set each time it publishes.
        #[arg(long)]
        contribute: bool,
    },
    /// Write a deterministic synthetic set in the tidy shape (for benchmarks).
    Generate {
        #[arg(long, default_value_t = 400)]
        councils: u32,
        #[arg(long, default_value_t = 2000)]
        indicators: u32,
        #[arg(long, default_value_t = 40)]
        periods: u32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The CSV file to write.
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the whole audit trail's hash chain; names the first row that does not hold.
    Verify,
}

/// A council's quarter.
/// `beacon report …`: which report.
#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// The quarterly monitoring report ("Directorate Performance Overview Report") of a
    /// directorate or department.
    Monitoring {
        #[command(flatten)]
        quarter: QuarterArgs,
        /// The directorate or department's ref (CED, CED-CFD).
        #[arg(long)]
        unit: String,
        #[command(flatten)]
        output: ReportOutput,
    },
    /// The board's cover report: the committee paper carrying a unit's quarterly monitoring
    /// report (purpose, recommendation, key messages, implications), with the report appended.
    Cover {
        #[command(flatten)]
        quarter: QuarterArgs,
        /// The directorate or department's ref (CED, CED-CFD).
        #[arg(long)]
        unit: String,
        /// The officer's words: a TOML file with any of committee, meeting, officer, purpose,
        /// recommendation, policy, financial, risk, equality (what is left out is a placeholder
        /// to replace; committee and meeting default to the council's calendar).
        #[arg(long)]
        text: Option<PathBuf>,
        #[command(flatten)]
        output: ReportOutput,
    },
    /// The annual outturn report: every indicator's year-end value against its target, status
    /// and direction of travel, by priority, with a chart per priority.
    Outturn {
        #[command(flatten)]
        year: YearArgs,
        /// The directorate or department's ref (CED, CED-CFD).
        #[arg(long)]
        unit: String,
        #[command(flatten)]
        output: ReportOutput,
    },
    /// The community strategy's annual progress report: the indicators linked to each theme,
    /// with baseline, each year's target and outturn, and progress.
    Community {
        #[command(flatten)]
        year: YearArgs,
        #[command(flatten)]
        output: ReportOutput,
    },
    /// The annual review of targets: each indicator's history, outturn and forecast, next
    /// year's target and the one proposed, with the rationale, for the board to agree.
    TargetReview {
        #[command(flatten)]
        year: YearArgs,
        /// The directorate or department's ref (CED, CED-CFD).
        #[arg(long)]
        unit: String,
        #[command(flatten)]
        output: ReportOutput,
    },
    /// A plan's objectives with their milestones per year, and its indicator tables.
    Plan {
        /// The plan's ref.
        #[arg(long)]
        plan: String,
        /// The council (needed only when the database holds several).
        #[arg(long)]
        council: Option<String>,
        #[command(flatten)]
        output: ReportOutput,
    },
}

/// A report's format and where to write it.
#[derive(Debug, clap::Args)]
pub struct ReportOutput {
    #[arg(long, value_enum)]
    pub format: ReportFormat,
    /// The file to write (`-` for standard output); for csv a directory (one file per table)
    /// or a file ending .zip. By default a name made from the council, unit and quarter.
    #[arg(short = 'o', long)]
    pub out: Option<PathBuf>,
}

/// The formats a report can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Html,
    Pdf,
    Docx,
    Xlsx,
    Csv,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct QuarterArgs {
    /// The council's ref.
    #[arg(long)]
    pub council: CouncilRef,
    /// The financial year, such as 2012/13.
    #[arg(long)]
    pub year: FinancialYear,
    /// The quarter, 1 to 4.
    #[arg(long, value_parser = quarter_no)]
    pub quarter: QuarterNo,
}

/// A council's financial year.
#[derive(Debug, clap::Args)]
pub struct YearArgs {
    /// The council's ref.
    #[arg(long)]
    pub council: CouncilRef,
    /// The financial year, such as 2012/13.
    #[arg(long)]
    pub year: FinancialYear,
}

impl QuarterArgs {
    pub fn quarter(&self) -> Quarter {
        self.year.quarter(self.quarter)
    }
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
        /// Targets the board agreed in the annual review of targets, written into the file:
        /// a CSV with the columns Indicator, Year and Target (the review's proposed-targets
        /// file, as amended), each applied where the plan holds the indicator and covers the year.
        #[arg(long)]
        targets: Option<PathBuf>,
    },
    /// A whole council: organisation, frames, plans, quarters and budget statements.
    Council {
        /// The council's ref.
        reference: String,
        #[arg(short = 'o', long)]
        out: PathBuf,
    },
    /// A list as a spreadsheet: indicators | values | milestones | risks | budget-lines.
    Table {
        /// indicators | values | milestones | risks | budget-lines
        kind: String,
        #[arg(long)]
        council: String,
        /// Only this plan's items (budget lines: the plan's unit's statements).
        #[arg(long)]
        plan: Option<String>,
        /// xlsx | csv (default: from the file's extension).
        #[arg(long)]
        format: Option<String>,
        /// The file to write.
        #[arg(short = 'o', long)]
        out: PathBuf,
    },
    /// A quarter's open data: a CSV and a JSON file, one row per indicator.
    OpenData {
        #[command(flatten)]
        quarter: QuarterArgs,
        /// The directory to write into.
        #[arg(short = 'o', long)]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum Collect {
    /// Write a unit's collection workbook (.xlsx) or CSV for a quarter.
    Template {
        #[command(flatten)]
        quarter: QuarterArgs,
        /// The unit (directorate or department) reporting.
        #[arg(long)]
        unit: String,
        /// The plan, when several cover the quarter for the unit.
        #[arg(long)]
        plan: Option<String>,
        /// The file to write: .xlsx or .csv.
        #[arg(short = 'o', long)]
        out: PathBuf,
    },
    /// Check a filled-in workbook or CSV and load it: every problem is listed and nothing is
    /// loaded unless there are none.
    Import {
        /// The .xlsx or .csv file.
        file: PathBuf,
        /// Refuse the file unless it is for this unit.
        #[arg(long)]
        unit: Option<String>,
        /// Check and report, but load nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// A plan, or one version of it: `CYPD-2011-14` or `CYPD-2011-14@2`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanAt {
    pub plan: Ref,
    pub version: Option<u32>,
}

impl std::str::FromStr for PlanAt {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (plan, version) = match s.rsplit_once('@') {
            Some((p, v)) => {
                let n = v.parse::<u32>().map_err(|_| {
                    format!("{v:?} is not a version number: write a plan and its version as CYPD-2011-14@2")
                })?;
                (p, Some(n))
            }
            None => (s, None),
        };
        Ok(PlanAt {
            plan: plan
                .parse()
                .map_err(|e: beacon_domain::ParseError| e.to_string())?,
            version,
        })
    }
}

#[derive(Debug, Subcommand)]
pub enum Diff {
    /// Two plans of a council, or two versions of one, by their refs (the earlier first):
    /// `beacon diff plan CYPD-2011-14 CYPD-2012-15`, `beacon diff plan CED-2012-13@1 CED-2012-13@3`.
    Plan {
        /// The earlier plan (the original of a refresh), or `REF@VERSION`.
        from: PlanAt,
        /// The later plan, or `REF@VERSION`.
        to: PlanAt,
        /// The council (needed only when the database holds several).
        #[arg(long)]
        council: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum Refresh {
    /// Refresh a plan for the year after its first.
    Plan {
        /// The plan to refresh.
        reference: Ref,
        /// The new plan's ref, such as CYPD-2012-15.
        #[arg(long = "ref", value_name = "REF")]
        new_ref: Ref,
        /// The new plan's title (the old one's by default).
        #[arg(long)]
        title: Option<String>,
        /// The council (needed only when the database holds several).
        #[arg(long)]
        council: Option<String>,
        /// The Beacon user refreshing it: a performance officer or administrator.
        #[arg(long = "as", value_name = "USER")]
        user: String,
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
