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
