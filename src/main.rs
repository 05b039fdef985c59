//! The `regwatch` binary: parse arguments, run, exit with the code.

mod cli;

use clap::FromArgMatches;

fn main() -> std::process::ExitCode {
    let parsed = cli::args::command()
        .try_get_matches()
        .and_then(|m| cli::args::Cli::from_arg_matches(&m));
    let args = match parsed {
        Ok(a) => a,
        Err(e) => {
            let _ = e.print();
            // `run` promises cron wrappers 3 for usage errors; --help and
            // --version are not errors.
            let code = if !e.use_stderr() {
                0
            } else if subcommand().as_deref() == Some("run") {
                cli::exit_code::RUN_CONFIG
            } else {
                cli::exit_code::ERROR
            };
            return std::process::ExitCode::from(code);
        }
    };
    std::process::ExitCode::from(cli::run(args))
}

/// The first argument that is not an option or an option's value.
fn subcommand() -> Option<String> {
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--config" || a == "--store" || a == "--color" {
            args.next();
        } else if !a.starts_with('-') {
            return Some(a);
        }
    }
    None
}
