//! The command-line shell over the library: arguments in, exit code out.

pub mod args;
mod cmd_demo;
mod cmd_diff;
mod cmd_fetch;
mod cmd_parse;
mod cmd_run;
mod cmd_store;
mod error;
pub mod exit_code;
mod settings;
pub mod ui;

use args::{Cli, Command};
use regwatch::fetch::human_bytes;
use ui::Ui;

/// Runs the parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> u8 {
    let ui = Ui::new(&cli.global);
    let result = match &cli.command {
        Command::Fetch(a) => cmd_fetch::fetch(&ui, &cli.global, a),
        Command::Log(a) => cmd_store::log(&ui, &cli.global, a),
        Command::Show(a) => cmd_store::show(&ui, &cli.global, a),
        Command::Check(a) => cmd_fetch::check(&ui, &cli.global, a),
        Command::Verify(a) => cmd_store::verify(&ui, &cli.global, a),
        Command::Parse(a) => cmd_parse::parse(&ui, &cli.global, a),
        Command::Diff(a) => cmd_diff::diff(&ui, &cli.global, a),
        Command::Changes(a) => cmd_diff::changes(&ui, &cli.global, a),
        Command::Run(a) => cmd_run::run(&ui, &cli.global, a),
        Command::Deadlines(a) => cmd_run::deadlines(&ui, &cli.global, a),
        Command::Outbox(a) => cmd_run::outbox(&ui, &cli.global, a),
        Command::Demo(a) => cmd_demo::demo(&ui, a),
    };
    let code = match result {
        Ok(code) => code,
        Err(e) => error::report(&ui, &e),
    };
    ui.exit_code(code)
}

/// Returns a tokio runtime for commands that touch the network.
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?)
}
