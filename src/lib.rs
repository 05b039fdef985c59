//! regwatch: a regulatory change tracker for export-compliance teams.
//!
//! The library is a pipeline whose modules read like a sentence:
//! [`config`] → [`fetch`] → [`store`] → [`parse`] (into the [`model`]) →
//! [`diff`] → [`deadlines`] → [`summary`] → [`report`] → [`notify`]. Each stage takes and
//! returns plain serde types; [`pipeline`] runs fetch → store → parse,
//! [`job`] is the whole cron run, and [`demo`] serves a bundled two-day
//! history to them.
//! The `regwatch` binary (`src/main.rs`, `src/cli/`) is a thin shell over this.

#![deny(missing_docs)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod config;
pub mod deadlines;
#[cfg(feature = "demo")]
pub mod demo;
pub mod diff;
pub mod fetch;
pub mod job;
pub mod model;
pub mod notify;
pub mod parse;
pub mod pipeline;
pub mod report;
pub mod store;
pub mod summary;
