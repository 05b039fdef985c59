//! regwatch: a regulatory change tracker for export-compliance teams.
//!
//! The library is a pipeline whose modules read like a sentence:
//! [`config`] → [`fetch`] → [`store`] → [`parse`] (into the [`model`]) (→ diff →
//! report/notify, to come). Each stage takes and returns plain serde types; [`pipeline`] runs
//! them in order and [`demo`] serves a bundled two-day history to them.
//! The `regwatch` binary (`src/main.rs`, `src/cli/`) is a thin shell over this.

#![deny(missing_docs)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod config;
pub mod demo;
pub mod diff;
pub mod fetch;
pub mod model;
pub mod parse;
pub mod pipeline;
pub mod report;
pub mod store;
