//! The command-line shell over the library: arguments in, exit code out.

pub mod args;
#[cfg(feature = "demo")]
mod cmd_demo;
mod cmd_diff;
mod cmd_fetch;
mod cmd_parse;
mod cmd_run;
mod cmd_store;
pub mod error;
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
        #[cfg(feature = "demo")]
        Command::Demo(a) => cmd_demo::demo(&ui, a),
        Command::Completions(a) => completions(&ui, a.shell),
        Command::Man => man(&ui),
    };
    let code = match result {
        Ok(code) => code,
        Err(e) => error::report(&ui, Some(cli.command.name()), cli.command.json(), e.into()),
    };
    ui.exit_code(code)
}

/// `regwatch completions SHELL`: the completion script on stdout.
fn completions(ui: &Ui, shell: clap_complete::Shell) -> anyhow::Result<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut args::command(), "regwatch", &mut out);
    ui.out_bytes(&out);
    Ok(exit_code::OK)
}

/// `regwatch man`: one roff page on stdout: the top-level page (global
/// options, the command list, exit codes), then a section per command with
/// its own options.
fn man(ui: &Ui) -> anyhow::Result<u8> {
    let cmd = args::command();
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut out)?;
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("regwatch {}", sub.get_name());
        let page = clap_mangen::Man::new(sub.clone().bin_name(name.clone()));
        out.extend_from_slice(format!(".SH \"{}\"\n", name.to_uppercase()).as_bytes());
        let mut section = Vec::new();
        page.render_description_section(&mut section)?;
        page.render_synopsis_section(&mut section)?;
        page.render_options_section(&mut section)?;
        page.render_extra_section(&mut section)?;
        out.extend(demote_headings(&section));
    }
    ui.out_bytes(&out);
    Ok(exit_code::OK)
}

/// Turns a command page's `.SH` sections into `.SS` subsections, so each
/// command reads as one section of the whole page.
fn demote_headings(roff: &[u8]) -> Vec<u8> {
    String::from_utf8_lossy(roff)
        .lines()
        .map(|l| match l.strip_prefix(".SH ") {
            Some(rest) => format!(".SS {rest}\n"),
            None => format!("{l}\n"),
        })
        .collect::<String>()
        .into_bytes()
}

/// Returns a tokio runtime for commands that touch the network.
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?)
}

/// `1 feed`, `2 feeds`: a count with the noun that fits it.
fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
