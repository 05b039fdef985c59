//! The `regwatch` binary: parse arguments, run, exit with the code.

mod cli;

use clap::FromArgMatches;

/// mimalloc: parsing a 2 MB eCFR part makes and frees a few hundred
/// thousand small allocations; with glibc's allocator they were a third
/// of the parse (benches/parse.rs uses the same allocator).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let parsed = cli::args::command()
        .try_get_matches()
        .and_then(|m| cli::args::Cli::from_arg_matches(&m));
    let args = match parsed {
        Ok(a) => a,
        Err(e) => {
            // --help and --version are not errors.
            if !e.use_stderr() {
                let _ = e.print();
                return std::process::ExitCode::from(cli::exit_code::OK);
            }
            let (command, json) = refused_command();
            if json {
                // Like every other error of a `--format json` command: an
                // `error` record on stdout, the text on stderr.
                use std::io::Write;
                let _ = writeln!(std::io::stdout(), "{}", cli::error::usage_record(&e));
            }
            let _ = e.print();
            let code = cli::exit_code::for_error(command.as_deref(), cli::error::ErrorKind::Usage);
            return std::process::ExitCode::from(code);
        }
    };
    std::process::ExitCode::from(cli::run(args))
}

/// The subcommand a refused command line names, and whether it asks for
/// `--format json`, as far as clap can tell.
fn refused_command() -> (Option<String>, bool) {
    let Ok(m) = cli::args::command().ignore_errors(true).try_get_matches() else {
        return (None, false);
    };
    let Some((name, sub)) = m.subcommand() else {
        return (None, false);
    };
    let json = sub
        .try_get_raw("format")
        .ok()
        .flatten()
        .is_some_and(|mut v| v.any(|v| v == "json"));
    (Some(name.to_string()), json)
}
