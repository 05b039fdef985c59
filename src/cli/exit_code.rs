//! The exit-code table, documented in the README.

/// Everything worked (fetch), the store is intact (verify), the config is valid (check).
pub const OK: u8 = 0;
/// `fetch`/`demo`: at least one feed or item failed; the others were stored.
/// `verify`: the store has problems.
pub const PARTIAL: u8 = 1;
/// `diff`: substantive changes found (like diff(1)'s 1).
pub const DIFFERENT: u8 = 1;
/// Usage, configuration or store error: nothing was done.
pub const ERROR: u8 = 2;
/// `run`: news (changes or reminders) was composed and delivered.
pub const NEWS: u8 = 1;
/// `run`: some feeds or deliveries failed; everything else was delivered.
pub const RUN_FAILED: u8 = 2;
/// `run`: configuration or usage error; nothing was fetched or sent.
pub const RUN_CONFIG: u8 = 3;
/// `fetch` and `run`: every feed failed, nothing was fetched (often
/// no network: the message asks "are you offline?").
pub const ALL_FAILED: u8 = 4;

/// The exit code of a command stopped by an error of `kind`: the one place
/// that maps (command, kind) to a code. `command` is `None` when the
/// command line named none.
pub fn for_error(command: Option<&str>, kind: super::error::ErrorKind) -> u8 {
    use super::error::ErrorKind;
    match (command, kind) {
        // `run` promises cron wrappers 3 for "fix the setup".
        (Some("run"), ErrorKind::Usage | ErrorKind::Config) => RUN_CONFIG,
        _ => ERROR,
    }
}
