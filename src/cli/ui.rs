//! The one console writer. Reports go to stdout, progress, warnings and
//! errors to stderr; colour only when asked or on a terminal without
//! NO_COLOR; progress bars only on a terminal (never under cron).
//!
//! Text from outside (file names, titles, ids, a server's error message)
//! can hold control characters: a newline that forges a line, ESC
//! sequences that rewrite the screen, a right-to-left override that
//! reverses what follows. Everything printed here passes [`sanitize`]; a
//! printer that puts such a value inside a line escapes it with [`clean`]
//! (both in `regwatch::report::terminal`).

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::borrow::Cow;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicU8, Ordering};

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use regwatch::fetch::{HttpClient, Progress, ProgressSink};
use regwatch::report::record::{Record, RecordType};

pub use regwatch::report::terminal::{clean, sanitize};

use super::args::{ColorChoice, GlobalArgs};

/// The one palette, shared with the report renderers.
pub use regwatch::report::terminal::Style;

/// Stdout is writable.
const STDOUT_OPEN: u8 = 0;
/// The reader went away (EPIPE, `| head`): output is dropped quietly.
const STDOUT_CLOSED: u8 = 1;
/// Writing failed otherwise (disk full, I/O error): said once, exit ≥ 2.
const STDOUT_FAILED: u8 = 2;

/// Console settings for this process.
pub struct Ui {
    color: bool,
    verbosity: i8,
    stdout_tty: bool,
    stderr_tty: bool,
    /// One of the `STDOUT_*` states (atomic: printers run in callbacks).
    stdout: AtomicU8,
}

impl Ui {
    /// Returns the console for the given global options.
    pub fn new(g: &GlobalArgs) -> Self {
        let stdout_tty = std::io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match g.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => stdout_tty && !no_color,
        };
        let verbosity = if g.quiet { -1 } else { g.verbose.min(3) as i8 };
        Ui {
            color,
            verbosity,
            stdout_tty,
            stderr_tty: std::io::stderr().is_terminal(),
            stdout: AtomicU8::new(STDOUT_OPEN),
        }
    }

    /// True when output is coloured.
    pub fn color(&self) -> bool {
        self.color
    }

    /// Returns the verbosity: -1 quiet, 0 normal, 1+ verbose.
    pub fn verbosity(&self) -> i8 {
        self.verbosity
    }

    /// Returns `text` (escaped with [`clean`]) styled when colour is on.
    pub fn paint(&self, style: Style, text: &str) -> String {
        regwatch::report::terminal::paint(style, &clean(text), self.color)
    }

    /// Writes a line of report to stdout (see [`Ui::out_bytes`] for a
    /// stdout that cannot be written).
    /// Control characters are escaped ([`sanitize`]), except the line
    /// breaks and tabs of the report itself and, with colour on, our own
    /// colour codes. JSON lines stay valid JSON with the same strings.
    pub fn out(&self, line: &str) {
        let line = sanitize(line, true, self.color);
        let mut text = String::with_capacity(line.len() + 1);
        text.push_str(&line);
        text.push('\n');
        self.out_bytes(text.as_bytes());
    }

    /// Writes data the user asked for as it is (`show`, a unified diff,
    /// iCalendar): byte for byte into a pipe or a file, but on a terminal
    /// with its control characters escaped (all but `\n`, `\t` and the
    /// `\r` of a CRLF line end, as iCalendar has), so a stored page cannot
    /// drive the terminal (`ESC` sequences, a lone `\r`).
    pub fn out_data(&self, bytes: &[u8]) {
        if self.stdout_tty {
            let text = String::from_utf8_lossy(bytes);
            let lines: Vec<Cow<'_, str>> = text
                .split("\r\n")
                .map(|l| sanitize(l, true, false))
                .collect();
            self.out_bytes(lines.join("\r\n").as_bytes());
        } else {
            self.out_bytes(bytes);
        }
    }

    /// Prints one `--format json` line: `data` in its record envelope.
    pub fn record<T: serde::Serialize>(&self, kind: RecordType, data: T) {
        self.out(&Record::new(kind, data).to_line());
    }

    /// Writes raw bytes to stdout, unescaped: data the user asked for as
    /// it is (`show`, a unified diff, iCalendar). When the reader has gone
    /// (`| head -1`), the rest of the output is dropped quietly and the
    /// command carries on to the exit status it would have had anyway; any
    /// other write error is said once and makes the status at least 2
    /// ([`Ui::exit_code`]). Never ends the process: a closed stdout must
    /// not cut a run short or turn its result into a success.
    pub fn out_bytes(&self, bytes: &[u8]) {
        if self.stdout.load(Ordering::Relaxed) != STDOUT_OPEN {
            return;
        }
        let mut stdout = std::io::stdout().lock();
        if let Err(e) = stdout.write_all(bytes).and_then(|_| stdout.flush()) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                self.stdout.store(STDOUT_CLOSED, Ordering::Relaxed);
            } else {
                self.stdout.store(STDOUT_FAILED, Ordering::Relaxed);
                to_stderr(&format!("regwatch: cannot write to stdout: {e}"));
            }
        }
    }

    /// The exit status for a command that returned `code`: unchanged, or at
    /// least 2 (`ERROR`) when its report could not be written to stdout.
    /// A reader that closed the pipe early changes nothing.
    pub fn exit_code(&self, code: u8) -> u8 {
        if self.stdout.load(Ordering::Relaxed) == STDOUT_FAILED {
            code.max(super::exit_code::ERROR)
        } else {
            code
        }
    }

    /// Writes a note (what was written where) to stderr unless quiet.
    pub fn note(&self, msg: &str) {
        if self.verbosity >= 0 {
            to_stderr(&self.one_line(msg));
        }
    }

    /// Writes a warning to stderr unless quiet.
    pub fn warn(&self, msg: &str) {
        if self.verbosity >= 0 {
            to_stderr(&format!(
                "{} {}",
                self.paint(Style::Warn, "warning:"),
                self.one_line(msg)
            ));
        }
    }

    /// Writes a failure that did not stop the command (a feed, a
    /// delivery) to stderr, even with `--quiet`: cron mails stderr, so a
    /// quiet cron job still tells about what failed.
    pub fn problem(&self, msg: &str) {
        to_stderr(&format!(
            "{} {}",
            self.paint(Style::Error, "failed:"),
            self.one_line(msg)
        ));
    }

    /// Writes an error, and its hints, to stderr (always).
    pub fn error(&self, msg: &str, hints: &[String]) {
        to_stderr(&format!(
            "{} {}",
            self.paint(Style::Error, "error:"),
            self.one_line(msg)
        ));
        for h in hints {
            to_stderr(&format!(
                "  {} {}",
                self.paint(Style::Bold, "hint:"),
                self.one_line(h)
            ));
        }
    }

    /// A message for stderr as one line: every control escaped, newlines
    /// too, so a quoted server message cannot forge a line of its own.
    fn one_line<'a>(&self, msg: &'a str) -> Cow<'a, str> {
        sanitize(msg, false, self.color)
    }

    /// True when progress is drawn: stderr is a terminal and not `--quiet`.
    fn shows_progress(&self) -> bool {
        self.stderr_tty && self.verbosity >= 0
    }

    /// Returns the display of a fetch run: one line per feed in progress
    /// (`bis-rules  37/412 documents`, bytes of a large download) above an
    /// overall `fetching n/N feeds` bar; all hidden off a terminal.
    pub fn fetch_progress(&self, feeds: usize) -> FetchProgress {
        if !self.shows_progress() {
            return FetchProgress {
                multi: MultiProgress::with_draw_target(ProgressDrawTarget::hidden()),
                overall: ProgressBar::hidden(),
                feeds: Arc::new(Mutex::new(HashMap::new())),
                visible: false,
            };
        }
        let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
        let overall = multi.add(self.progress(feeds as u64, "fetching"));
        FetchProgress {
            multi,
            overall,
            feeds: Arc::new(Mutex::new(HashMap::new())),
            visible: true,
        }
    }

    /// Returns a progress bar on a terminal, or a hidden one elsewhere.
    pub fn progress(&self, len: u64, what: &str) -> ProgressBar {
        if !self.shows_progress() {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
        let style =
            ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> ");
        bar.set_style(style);
        bar.set_message(what.to_string());
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    }
}

/// One feed's line in a [`FetchProgress`].
struct FeedLine {
    bar: ProgressBar,
    /// What the items are (`documents`), once known.
    unit: Option<&'static str>,
}

/// The progress display of a fetch (see [`Ui::fetch_progress`]): it turns
/// the library's [`Progress`] events into terminal lines.
pub struct FetchProgress {
    multi: MultiProgress,
    overall: ProgressBar,
    feeds: Arc<Mutex<HashMap<String, FeedLine>>>,
    visible: bool,
}

impl FetchProgress {
    /// `client`, reporting to this display when it is drawn (when nothing
    /// is drawn the client gets no sink, so fetchers build no events).
    pub fn attach(&self, client: HttpClient) -> HttpClient {
        match self.sink() {
            Some(sink) => client.with_progress(sink),
            None => client,
        }
    }

    /// The sink to hand the HTTP client, or `None` when nothing is drawn.
    fn sink(&self) -> Option<ProgressSink> {
        if !self.visible {
            return None;
        }
        let multi = self.multi.clone();
        let overall = self.overall.clone();
        let feeds = self.feeds.clone();
        Some(Arc::new(move |event: Progress| {
            let mut feeds = feeds.lock().unwrap_or_else(|p| p.into_inner());
            let feed = match &event {
                Progress::Items { feed, .. }
                | Progress::ItemDone { feed, .. }
                | Progress::Bytes { feed, .. } => feed.clone(),
            };
            // A line is built whole before it is shown, so no half-set
            // frame (`0/0`) is ever drawn.
            let (len, template, unit) = match &event {
                Progress::Items { total, unit, .. } => {
                    (*total, "  {prefix:<24} {pos}/{len} {msg}", Some(*unit))
                }
                _ => (0, "  {prefix:<24} {msg}", None),
            };
            let line = feeds.entry(feed.clone()).or_insert_with(|| {
                let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::hidden())
                    .with_style(feed_style(template))
                    .with_prefix(clean(&feed).into_owned())
                    .with_message(unit.unwrap_or(""));
                FeedLine {
                    bar: multi.insert_before(&overall, bar),
                    unit,
                }
            });
            match event {
                Progress::Items { total, unit, .. } => {
                    if line.unit.is_none() {
                        line.bar.set_style(feed_style(template));
                    }
                    line.unit = Some(unit);
                    line.bar.set_length(total);
                    line.bar.set_message(unit);
                }
                Progress::ItemDone { .. } => line.bar.inc(1),
                Progress::Bytes {
                    received, total, ..
                } => {
                    let bytes = match total {
                        Some(t) => format!(
                            "{} of {}",
                            super::human_bytes(received),
                            super::human_bytes(t)
                        ),
                        None => super::human_bytes(received),
                    };
                    line.bar.set_message(match line.unit {
                        Some(u) => format!("{u}, downloading {bytes}"),
                        None => format!("downloading {bytes}"),
                    });
                }
            }
        }))
    }

    /// A feed finished: its line goes, the overall count moves on.
    pub fn feed_done(&self, feed: &str) {
        let mut feeds = self.feeds.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(line) = feeds.remove(feed) {
            line.bar.finish_and_clear();
            self.multi.remove(&line.bar);
        }
        self.overall.inc(1);
    }

    /// Runs `f` (which prints) with the bars cleared, then redraws them.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.multi.suspend(f)
    }

    /// Clears every line.
    pub fn finish(&self) {
        let feeds = self.feeds.lock().unwrap_or_else(|p| p.into_inner());
        for line in feeds.values() {
            line.bar.finish_and_clear();
        }
        self.overall.finish_and_clear();
        let _ = self.multi.clear();
    }
}

/// A feed line's style from `template` (a constant that parses).
fn feed_style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar())
}

/// Writes one line to stderr. A stderr nobody reads (closed pipe) is
/// ignored: unlike `eprintln!`, this never panics, so the exit status
/// stays the command's own.
fn to_stderr(line: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err
        .write_all(line.as_bytes())
        .and_then(|()| err.write_all(b"\n"));
}
