//! All integration tests, compiled into one binary (faster to build and
//! link than one binary per file). `every_test_file_is_registered` fails
//! when a file under tests/ is not listed here.

mod common;

mod architecture;
mod bodies;
mod cli;
mod config;
mod corpus;
mod date_changes;
mod dates;
mod diff;
mod ear_tables;
mod ecfr_markdown;
mod fetchers;
mod json_records;
mod notify;
mod parse;
mod precision;
mod renderings;
mod shell;
mod store;
mod unreadable;
