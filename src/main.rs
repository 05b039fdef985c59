//! The `regwatch` binary: parse arguments, run, exit with the code.

mod cli;

use clap::Parser;

fn main() -> std::process::ExitCode {
    let args = match cli::args::Cli::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let _ = e.print();
            // `run` promises cron wrappers 3 for usage errors; --help and
            // --version are not errors.
            let code = if !e.use_stderr() {
                0
            } else if std::env::args().skip(1).any(|a| a == "run") {
                cli::exit_code::RUN_CONFIG
            } else {
                cli::exit_code::ERROR
            };
            return std::process::ExitCode::from(code);
        }
    };
    std::process::ExitCode::from(cli::run(args))
}
