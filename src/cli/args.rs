//! Command-line arguments. Parsing only: nothing here touches disk or network.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Where `--help` tells a newcomer to start (a build without the demo
/// feature has no demo to offer).
#[cfg(feature = "demo")]
macro_rules! start_here {
    () => {
        "Start with `regwatch demo` (offline). "
    };
}
#[cfg(not(feature = "demo"))]
macro_rules! start_here {
    () => {
        ""
    };
}

/// Track regulatory change: fetch sources, keep every version, show what changed.
#[derive(Debug, Parser)]
#[command(name = "regwatch", version, about, long_about = None, propagate_version = true)]
#[command(after_help = concat!(
    start_here!(),
    "Exit codes: 0 ok, 1 some feeds failed \
(fetch, demo), problems found (verify) or substantive changes (diff), 2 usage, config or \
store error, 4 every feed failed (fetch: are you offline?). `run` has its own scale: \
1 means news was delivered (see `regwatch run --help`).\n\
The options above apply to every command: `regwatch fetch --quiet` and \
`regwatch --quiet fetch` are the same."
))]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command accepts. Shown once, in `regwatch --help`: each
/// command's own help lists only its own options ([`command`]).
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Configuration file [env: REGWATCH_CONFIG] [default: ./feeds.yaml]
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Snapshot store directory [env: REGWATCH_STORE] [default: `store` in the config]
    #[arg(long, global = true, value_name = "DIR")]
    pub store: Option<PathBuf>,
    /// Print nothing on success (errors still go to stderr; `check` and
    /// `verify` still print their result)
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more (e.g. unchanged items)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// When to colour output (NO_COLOR is honoured by `auto`)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and NO_COLOR is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// `--format` for commands that list things.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ListFormat {
    /// Human-readable text.
    #[default]
    Text,
    /// JSON Lines, one record per line (see docs/JSON.md).
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fetch feeds and store new versions
    Fetch(FetchArgs),
    /// Show the version history of feeds or items
    Log(LogArgs),
    /// Print one stored version's content or metadata
    Show(ShowArgs),
    /// Validate the configuration file
    Check(FormatArg),
    /// Check the store's hash chains and objects
    Verify(FormatArg),
    /// Parse a file, URL or stored version into the document model and print it
    Parse(ParseArgs),
    /// Compare two versions (stored or files): flags, changed provisions, formatting
    Diff(DiffArgs),
    /// List every flag across the store's history, newest first
    Changes(ChangesArgs),
    /// The cron job: fetch, store, diff, email one summary per recipient, send reminders
    Run(RunArgs),
    /// Upcoming comment deadlines, effective and compliance dates
    Deadlines(DeadlinesArgs),
    /// List the outbox: composed messages and their delivery state
    Outbox(OutboxArgs),
    /// Run the whole pipeline offline on a bundled two-day history of BIS sources
    #[cfg(feature = "demo")]
    Demo(DemoArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    Completions(CompletionsArgs),
    /// Print the manual page (roff) to stdout
    Man,
}

#[derive(Debug, Args)]
#[command(after_help = "Install, for example:\n  \
regwatch completions bash > ~/.local/share/bash-completion/completions/regwatch\n  \
regwatch completions zsh > ~/.zfunc/_regwatch     (with fpath+=~/.zfunc in ~/.zshrc)\n  \
regwatch completions fish > ~/.config/fish/completions/regwatch.fish")]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Returns the whole command-line interface: global options shown once
/// (in `regwatch --help`), each command's help listing only its own
/// options. Clap copies a global option into every command unless that
/// command already has one with the same id, so each command gets a hidden
/// copy first: still accepted anywhere, never listed twice. (`demo`
/// ignores `--config` and `--store`, so no help offers them there.)
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    let cmd = Cli::command();
    let globals: Vec<clap::Arg> = cmd
        .get_arguments()
        .filter(|a| a.is_global_set())
        .cloned()
        .collect();
    cmd.mut_subcommands(|mut sub| {
        for a in &globals {
            sub = sub.arg(a.clone().hide(true));
        }
        let own = sub
            .get_after_help()
            .map(|h| format!("{h}\n"))
            .unwrap_or_default();
        sub.after_help(format!(
            "{own}Global options (--config, --store, --quiet, --verbose, --color): \
             see `regwatch --help`."
        ))
    })
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit status (its own scale, unlike the other commands' 1 = failure): \
0 nothing new, 1 news: changes or reminders composed and delivered (not an error), \
2 some feeds or deliveries failed (the rest was delivered), 3 configuration or usage \
error, 4 every feed failed (nothing could be fetched; with --no-fetch nothing is fetched). \
A wrapper that alerts on failure tests for 2 or more, not for non-zero.\n\
Crontab (weekdays at 07:15; --quiet prints nothing on success, failures still go to \
stderr, which cron mails; cron ignores the exit status, so exit 1 for news is harmless):\n  \
15 7 * * 1-5  cd /srv/regwatch && regwatch run --quiet"
)]
pub struct RunArgs {
    /// Print what would be sent; write no outbox entry and send nothing
    /// (new versions are still fetched and stored)
    #[arg(long)]
    pub dry_run: bool,
    /// Re-report every change dated on or after DATE (YYYY-MM-DD), even if
    /// already sent; reminders are not repeated
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub since: Option<chrono::NaiveDate>,
    /// Do not fetch: summarise what the store already holds
    #[arg(long)]
    pub no_fetch: bool,
    /// Wait for another run's store lock instead of exiting at once
    #[arg(long)]
    pub wait: bool,
    /// Output format of the run report
    #[arg(long, value_enum, default_value_t)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct DeadlinesArgs {
    /// Only this feed (default: all)
    #[arg(value_name = "FEED")]
    pub feed: Option<String>,
    /// Only deadlines within this many days (`90d`, `12w`, `90`)
    #[arg(long, value_name = "DAYS", value_parser = parse_days)]
    pub within: Option<u32>,
    /// Include past deadlines
    #[arg(long)]
    pub all: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = DeadlineFormat::Table)]
    pub format: DeadlineFormat,
    /// Write the output to FILE instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `deadlines --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DeadlineFormat {
    /// A table for the terminal.
    Table,
    /// JSON Lines (docs/JSON.md).
    Json,
    /// An iCalendar file (RFC 5545), one all-day event per deadline.
    Ics,
}

/// Parses a `YYYY-MM-DD` date, saying which format it wants.
fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date: write YYYY-MM-DD, e.g. 2024-10-01"))
}

/// Parses `90d`, `12w` or `90` into days.
fn parse_days(s: &str) -> Result<u32, String> {
    let s = s.trim();
    let (num, mult) = match s.strip_suffix(['d', 'D']) {
        Some(n) => (n, 1),
        None => match s.strip_suffix(['w', 'W']) {
            Some(n) => (n, 7),
            None => (s, 1),
        },
    };
    num.trim()
        .parse::<u32>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .ok_or_else(|| format!("`{s}` is not a number of days (e.g. 90d, 12w, 30)"))
}

#[derive(Debug, Args)]
pub struct OutboxArgs {
    /// Also list messages delivered on every channel
    #[arg(long)]
    pub all: bool,
    /// Mark a failed or unconfirmed message (id or id prefix) pending again
    /// and deliver it now
    #[arg(long, value_name = "ID")]
    pub resend: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct FormatArg {
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct FetchArgs {
    /// Feeds to fetch (default: all)
    #[arg(value_name = "FEED")]
    pub feeds: Vec<String>,
    /// Wait for another run's store lock instead of failing at once
    #[arg(long)]
    pub wait: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// A feed or FEED/ITEM (default: everything)
    #[arg(value_name = "FEED[/ITEM]")]
    pub target: Option<String>,
    /// Show at most N versions per item, newest first
    #[arg(short = 'n', long, value_name = "N")]
    pub limit: Option<usize>,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// FEED/ITEM@N, FEED/ITEM@latest, FEED/ITEM@-1, FEED/ITEM@YYYY-MM-DD, or a hash prefix
    #[arg(value_name = "REF")]
    pub reference: String,
    /// Which stored part to print
    #[arg(long, value_enum, default_value_t = PartChoice::Content)]
    pub part: PartChoice,
    /// Print the version record instead of its bytes
    #[arg(long)]
    pub info: bool,
    /// Print the parsed document model (a notice card, or JSON with --format json)
    #[arg(long, conflicts_with_all = ["info", "part"])]
    pub parsed: bool,
    /// Output format: json prints the version record as stored (like --info),
    /// or the model with --parsed
    #[arg(long, value_enum, default_value_t)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct ParseArgs {
    /// A file path, an http(s) URL, or a stored version (FEED/ITEM@N, hash prefix, …)
    #[arg(value_name = "FILE|URL|REF")]
    pub target: String,
    /// Output: a notice card (text, markdown) or the model as JSON
    #[arg(long, value_enum, default_value_t = DocFormat::Text)]
    pub format: DocFormat,
    /// Insist on an input format instead of detecting it
    #[arg(long = "as", value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormat>,
    /// CSS selector narrowing an HTML page before parsing
    #[arg(long, value_name = "CSS")]
    pub selector: Option<String>,
}

/// `parse --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocFormat {
    /// A notice card for the terminal.
    Text,
    /// The same card in Markdown.
    Markdown,
    /// The model as one JSON line (see docs/MODEL.md).
    Json,
}

/// `parse --as`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// Federal Register API document JSON.
    FrJson,
    /// Federal Register API search response JSON.
    FrSearch,
    /// Federal Register full-text XML (one document).
    FrXml,
    /// A daily Federal Register issue (FEDREG XML).
    FrIssue,
    /// eCFR XML.
    Ecfr,
    /// GPO annual-edition CFR XML.
    Cfr,
    /// HTML.
    Html,
    /// Markdown.
    Markdown,
    /// Plain text.
    Text,
}

/// `show --part`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PartChoice {
    /// The main content (full text, page selection, file).
    Content,
    /// Structured metadata (Federal Register API JSON, feed entry).
    Metadata,
    /// The page exactly as received, when the content was derived from it.
    Raw,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit status: 0 no substantive change (formatting only, or identical), \
1 substantive changes, 2 error.\n\
Examples:\n  regwatch diff ear/part-740            previous vs latest version\n  \
regwatch diff ear/part-740@1 ear/part-740@2 --format html -o diff.html\n  \
regwatch diff old.xml new.xml --format unified --word"
)]
pub struct DiffArgs {
    /// Old version: a stored version (FEED/ITEM@N, @latest, @-1, @YYYY-MM-DD,
    /// hash prefix) or a file. Alone, FEED/ITEM[@N] is compared with the
    /// version before it.
    #[arg(value_name = "A")]
    pub a: String,
    /// New version: a stored version or a file
    #[arg(value_name = "B")]
    pub b: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Unchanged lines (unified) or words (text, markdown) shown around each
    /// change [default: 3 lines, 8 words]
    #[arg(long, value_name = "N")]
    pub context: Option<usize>,
    /// Word-level view: whole provisions with highlights (text, markdown),
    /// `[-old-]{+new+}` inline (unified)
    #[arg(long)]
    pub word: bool,
    /// Compare the stored bytes line by line without parsing (unified or json)
    #[arg(long)]
    pub raw: bool,
    /// Write the output to FILE instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `diff --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Terminal summary: flags in plain English, then changed provisions.
    Text,
    /// Unified diff of the parsed text (or of the bytes with --raw).
    Unified,
    /// The text summary in Markdown.
    Markdown,
    /// One JSON object (see docs/DIFF.md).
    Json,
    /// A self-contained HTML page.
    Html,
}

#[derive(Debug, Args)]
pub struct ChangesArgs {
    /// Only this feed (default: all)
    #[arg(value_name = "FEED")]
    pub feed: Option<String>,
    /// Only versions dated on or after DATE (YYYY-MM-DD; a version's date is
    /// its as-of date when the source has one, else the day it was fetched)
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub since: Option<chrono::NaiveDate>,
    /// Also list versions whose changes were formatting only
    #[arg(long)]
    pub all: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Keep the demo store in DIR (default: a new temporary directory)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

impl Command {
    /// The subcommand's name, as typed.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Fetch(_) => "fetch",
            Command::Log(_) => "log",
            Command::Show(_) => "show",
            Command::Check(_) => "check",
            Command::Verify(_) => "verify",
            Command::Parse(_) => "parse",
            Command::Diff(_) => "diff",
            Command::Changes(_) => "changes",
            Command::Run(_) => "run",
            Command::Deadlines(_) => "deadlines",
            Command::Outbox(_) => "outbox",
            #[cfg(feature = "demo")]
            Command::Demo(_) => "demo",
            Command::Completions(_) => "completions",
            Command::Man => "man",
        }
    }

    /// True when the command was asked for `--format json`: its errors are
    /// then `error` records on stdout too.
    pub fn json(&self) -> bool {
        let list = |f: &ListFormat| *f == ListFormat::Json;
        match self {
            Command::Fetch(a) => list(&a.format),
            Command::Log(a) => list(&a.format),
            Command::Show(a) => list(&a.format),
            Command::Check(a) | Command::Verify(a) => list(&a.format),
            Command::Parse(a) => a.format == DocFormat::Json,
            Command::Diff(a) => a.format == DiffFormat::Json,
            Command::Changes(a) => list(&a.format),
            Command::Run(a) => list(&a.format),
            Command::Deadlines(a) => a.format == DeadlineFormat::Json,
            Command::Outbox(a) => list(&a.format),
            #[cfg(feature = "demo")]
            Command::Demo(_) => false,
            Command::Completions(_) | Command::Man => false,
        }
    }
}
