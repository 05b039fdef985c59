//! The error boundary: every failure that reaches `main` passes here once,
//! as a [`CommandError`], to be printed with hints (and, with
//! `--format json`, as an `error` record) and mapped to an exit code by
//! [`exit_code::for_error`].

use std::error::Error as StdError;

use regwatch::config::ConfigError;
use regwatch::diff::stored::DiffError;
use regwatch::fetch::FetchError;
use regwatch::job::JobError;
use regwatch::notify::NotifyError;
use regwatch::parse::ParseError;
use regwatch::parse::stored::ModelError;
use regwatch::report::record::{ErrorData, Record, RecordType};
use regwatch::store::StoreError;

use super::exit_code;
use super::ui::Ui;

/// An error the CLI raises itself, with advice on what to do.
#[derive(Debug)]
pub struct Advised {
    /// What is wrong, and why.
    pub message: String,
    /// What to do about it (printed as `hint:`).
    pub hint: String,
}

impl std::fmt::Display for Advised {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Advised {}

/// What kind of failure stopped a command: decides the exit code (with
/// the command) and is the `kind` of an `error` record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The command line was wrong.
    Usage,
    /// The configuration could not be read or is invalid.
    Config,
    /// The store is damaged, of another format, or unreadable.
    Store,
    /// Another run holds the store's lock.
    StoreLocked,
    /// A fetch failed.
    Fetch,
    /// An input could not be parsed.
    Parse,
    /// A delivery could not be made.
    Notify,
    /// Anything else (a file that cannot be read or written, …).
    Other,
}

impl ErrorKind {
    /// The `kind` of an `error` record.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Usage => "usage",
            ErrorKind::Config => "config",
            ErrorKind::Store => "store",
            ErrorKind::StoreLocked => "store_locked",
            ErrorKind::Fetch => "fetch",
            ErrorKind::Parse => "parse",
            ErrorKind::Notify => "notify",
            ErrorKind::Other => "other",
        }
    }
}

/// A command's fatal error: what kind, the error itself, and what to do.
#[derive(Debug)]
pub struct CommandError {
    /// What kind of failure.
    pub kind: ErrorKind,
    /// The error, with its causes.
    pub source: anyhow::Error,
    /// What to do about it.
    pub hints: Vec<String>,
    /// File, line and column (0 when unknown) the error is about.
    pub location: Option<(String, usize, usize)>,
}

impl CommandError {
    /// The message with every cause not already in it.
    pub fn message(&self) -> String {
        let mut msg = self.source.to_string();
        for cause in self.source.chain().skip(1) {
            let c = cause.to_string();
            if !msg.contains(&c) {
                msg.push_str(": ");
                msg.push_str(&c);
            }
        }
        msg
    }

    /// The `data` of the `error` record.
    pub fn data(&self) -> ErrorData {
        let (file, line, column) = match &self.location {
            Some((f, l, c)) => (
                Some(f.clone()),
                (*l > 0).then_some(*l),
                (*c > 0).then_some(*c),
            ),
            None => (None, None, None),
        };
        ErrorData {
            kind: self.kind.name().into(),
            message: self.message(),
            hints: self.hints.clone(),
            file,
            line,
            column,
        }
    }
}

/// Finds a library error anywhere in the chain, looking through the
/// library's `#[error(transparent)]` wrappers (whose `source()` skips the
/// wrapped error itself).
/// The context of a parse failure: which file or version could not be
/// parsed ("cannot parse FILE"), kept as data so an `error` record can
/// name the file beside the line and column.
#[derive(Debug)]
pub struct CannotParse(pub String);

impl std::fmt::Display for CannotParse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot parse {}", self.0)
    }
}

fn find<'a, T: StdError + 'static>(
    err: &'a anyhow::Error,
    unwrap: impl Fn(&'a (dyn StdError + 'static)) -> Option<&'a T>,
) -> Option<&'a T> {
    err.chain()
        .find_map(|c| c.downcast_ref::<T>().or_else(|| unwrap(c)))
}

fn wrapped_store_error<'a>(c: &'a (dyn StdError + 'static)) -> Option<&'a StoreError> {
    let model = |m: &'a ModelError| match m {
        ModelError::Store(s) => Some(s),
        ModelError::Parse { .. } => None,
    };
    if let Some(JobError::Store(s)) = c.downcast_ref::<JobError>() {
        return Some(s);
    }
    if let Some(NotifyError::Store(s)) = c.downcast_ref::<NotifyError>() {
        return Some(s);
    }
    if let Some(m) = c.downcast_ref::<ModelError>() {
        return model(m);
    }
    match c.downcast_ref::<DiffError>() {
        Some(DiffError::Store(s)) => Some(s),
        Some(DiffError::Model(m)) => model(m),
        None => None,
    }
}

impl From<anyhow::Error> for CommandError {
    fn from(err: anyhow::Error) -> Self {
        let mut kind = ErrorKind::Other;
        let mut hints = Vec::new();
        let mut location = None;
        if let Some(a) = find::<Advised>(&err, |_| None) {
            hints.push(a.hint.clone());
        }
        if let Some(c) = find::<ConfigError>(&err, |_| None) {
            kind = ErrorKind::Config;
            if let Some(h) = c.hint() {
                hints.push(h.to_string());
            }
            match c {
                ConfigError::Io { path, .. } => {
                    // A build without the demo (`--no-default-features`)
                    // does not offer it.
                    let demo = if cfg!(feature = "demo") {
                        ", or try `regwatch demo`"
                    } else {
                        ""
                    };
                    hints.push(format!(
                        "create {} (see the README), pass --config FILE{demo}",
                        path.display()
                    ));
                    location = Some((path.display().to_string(), 0, 0));
                }
                ConfigError::Invalid {
                    path, line, column, ..
                } => {
                    location = Some((
                        path.display().to_string(),
                        usize::try_from(*line).unwrap_or(0),
                        usize::try_from(*column).unwrap_or(0),
                    ))
                }
            }
        } else if let Some(s) = find::<StoreError>(&err, wrapped_store_error) {
            kind = ErrorKind::Store;
            match s {
                StoreError::Locked { .. } => {
                    kind = ErrorKind::StoreLocked;
                    hints.push("wait for that run to finish, or pass --wait".into())
                }
                StoreError::Corrupt { path, line, .. } => {
                    hints.push("run `regwatch verify` to see every damaged file".into());
                    location = Some((path.display().to_string(), line.unwrap_or(0), 0));
                }
                StoreError::Format { .. } => {
                    hints.push("use the regwatch version that wrote this store".into())
                }
                StoreError::Unmarked { root } => hints.push(format!(
                    "restore {} from a backup or git (for this regwatch it reads {{\"format\": {}}}), then run `regwatch verify`; or pass --store for another folder",
                    root.join("STORE.json").display(),
                    regwatch::store::FORMAT
                )),
                _ => {}
            }
        } else if find::<FetchError>(&err, |_| None).is_some() {
            kind = ErrorKind::Fetch;
        } else if let Some(p) = find::<ParseError>(&err, |_| None) {
            kind = ErrorKind::Parse;
            let at = match p {
                ParseError::Xml { line, column, .. } | ParseError::Json { line, column, .. } => {
                    Some((*line, *column))
                }
                _ => None,
            };
            if let (Some((line, column)), Some(CannotParse(file))) =
                (at, err.downcast_ref::<CannotParse>())
            {
                location = Some((file.clone(), line, column));
            }
        } else if find::<NotifyError>(&err, |_| None).is_some() {
            kind = ErrorKind::Notify;
        }
        CommandError {
            kind,
            source: err,
            hints,
            location,
        }
    }
}

/// The `error` record (one JSON line) for a command line clap refused:
/// kind `usage`, clap's first line as the message, its tips as hints.
pub fn usage_record(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let message = lines
        .next()
        .unwrap_or_default()
        .trim_start_matches("error:")
        .trim()
        .to_string();
    let mut hints: Vec<String> = lines
        .filter_map(|l| l.strip_prefix("tip:"))
        .map(|t| t.trim().to_string())
        .collect();
    hints.push("run with --help for the options".to_string());
    let data = ErrorData {
        kind: ErrorKind::Usage.name().into(),
        message,
        hints,
        file: None,
        line: None,
        column: None,
    };
    Record::new(RecordType::Error, data).to_line()
}

/// Prints `err` (with hints; as an `error` record too when `json`) and
/// returns the exit code `command` gives it.
pub fn report(ui: &Ui, command: Option<&str>, json: bool, err: CommandError) -> u8 {
    if json {
        ui.record(RecordType::Error, err.data());
    }
    ui.error(&err.message(), &err.hints);
    exit_code::for_error(command, err.kind)
}
