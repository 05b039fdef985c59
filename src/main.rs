//! The `regwatch` binary: parse arguments, run, exit with the code.

mod cli;

use clap::Parser;

fn main() -> std::process::ExitCode {
    let args = cli::args::Cli::parse();
    std::process::ExitCode::from(cli::run(args))
}
