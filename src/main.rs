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
            // --help and --version are not errors.
            if !e.use_stderr() {
                return std::process::ExitCode::from(cli::exit_code::OK);
            }
            let code =
                cli::exit_code::for_error(subcommand().as_deref(), cli::error::ErrorKind::Usage);
            return std::process::ExitCode::from(code);
        }
    };
    std::process::ExitCode::from(cli::run(args))
}

/// The subcommand the command line names, as far as clap can tell from a
/// command line it refused.
fn subcommand() -> Option<String> {
    cli::args::command()
        .ignore_errors(true)
        .try_get_matches()
        .ok()?
        .subcommand_name()
        .map(str::to_string)
}
