//! Renders a [`Digest`] as a subject line, plain text, Markdown, HTML and
//! JSON. Every channel uses these, so an email, a file and a webhook say
//! the same thing in their own medium.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::describe;
use super::diff_html::escape;
use super::diff_text::plural;
use super::output::{Formatter, Output, to_string};
use super::record::{Record, RecordType};
use crate::deadlines::{Deadline, days_phrase, evidence_words};
use crate::diff::words::{EditOp, one_line, shorten};
use crate::summary::{
    ChangedDocument, Digest, FeedDigest, FlagNote, KeyChange, NewDocument, ReminderKind,
    ReminderNote,
};

/// `text` escaped for HTML, with every ISO date and FR document number
/// kept on one line (a narrow window would otherwise break "2024-11-05"
/// or "2024-99001" at the hyphen).
fn escape_dates(text: &str) -> String {
    static DATE: std::sync::LazyLock<Option<regex::Regex>> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"\b\d{4}-(?:\d{2}-\d{2}|\d{5})\b").ok());
    let e = escape(text);
    match DATE.as_ref() {
        Some(re) => re
            .replace_all(&e, "<span class=\"nowrap\">$0</span>")
            .into_owned(),
        None => e,
    }
}

/// " (if no public comment is received …)" for a conditional date and
/// " (moved from 2024-11-05)" (" by FR Doc. …" when another document
/// moved it) for a deadline that moved, else "".
fn moved_suffix(d: &Deadline) -> String {
    let mut s = String::new();
    if let Some(c) = &d.condition {
        let _ = write!(s, " ({})", shorten(c, 120));
    }
    if let Some(m) = d.moved_note() {
        let _ = write!(s, " ({m})");
    }
    s
}

/// A flag note's sentence: its flag in words, else (an outbox entry
/// written before flags were kept) the sentence it stored.
fn note_message(f: &FlagNote) -> Cow<'_, str> {
    match &f.flag {
        Some(flag) => Cow::Owned(describe::headline(flag)),
        None => Cow::Borrowed(&f.message),
    }
}

/// A key change's sentence, as [`note_message`].
fn key_message(k: &KeyChange) -> Cow<'_, str> {
    match &k.flag {
        Some(flag) => Cow::Owned(describe::headline(flag)),
        None => Cow::Borrowed(&k.message),
    }
}

/// A key change in a few words, for the subject line, as [`note_message`].
fn key_brief(k: &KeyChange) -> Cow<'_, str> {
    match &k.flag {
        Some(flag) => Cow::Owned(describe::brief(flag)),
        None => Cow::Borrowed(&k.brief),
    }
}

/// The summary as its JSON carries it: every flag in words (`brief`,
/// `message`, docs/JSON.md) and not the typed flag the outbox keeps.
pub fn worded(d: &Digest) -> Digest {
    let mut d = with_words(d);
    for k in &mut d.key_changes {
        k.flag = None;
    }
    for n in flag_notes(&mut d) {
        n.flag = None;
    }
    d
}

/// The summary as the outbox keeps it: the typed flags (which renderers
/// word, so a message resent later reads in the current words) and their
/// words as of now beside them. The outbox is a record, not a cache: when
/// a later version cannot read a stored flag any more, the entry still
/// loads (the flag is read leniently, see `summary::FlagNote::flag`) and
/// renders from these words.
pub fn with_words(d: &Digest) -> Digest {
    let mut d = d.clone();
    for k in &mut d.key_changes {
        k.brief = key_brief(k).into_owned();
        k.message = key_message(k).into_owned();
    }
    for n in flag_notes(&mut d) {
        n.message = note_message(n).into_owned();
    }
    d
}

/// Every flag note of a summary: changed documents' and new documents'.
fn flag_notes(d: &mut Digest) -> impl Iterator<Item = &mut FlagNote> {
    d.feeds.iter_mut().flat_map(|f| {
        f.changed
            .iter_mut()
            .flat_map(|c| c.flags.iter_mut())
            .chain(f.new_documents.iter_mut().flat_map(|n| n.news.iter_mut()))
    })
}

/// Key changes a subject line names before "(+N more)".
const SUBJECT_CHANGES: usize = 3;

/// Characters of one change in the subject line before it is cut with `…`.
const SUBJECT_CHANGE_CHARS: usize = 72;

/// The email subject. It names the top changes ("regwatch: ECCN 3C909
/// added; Korea, South added to IEC; comment deadline moved to 2024-12-05
/// (+2 more)"); without a flag it counts ("regwatch: 3 changes, 1 deadline
/// in 7 days").
pub fn subject(d: &Digest) -> String {
    let c = &d.counts;
    let mut parts = Vec::new();
    let changes = c.new_documents + c.changed_documents;
    if !d.key_changes.is_empty() {
        // A subject is read in a list of mail: each change short.
        let named: Vec<String> = d
            .key_changes
            .iter()
            .take(SUBJECT_CHANGES)
            .map(|k| shorten(&key_brief(k), SUBJECT_CHANGE_CHARS))
            .collect();
        // Everything else that is news: flags not named, new documents,
        // and changed documents without a flag.
        let flagged: std::collections::BTreeSet<&str> =
            d.key_changes.iter().map(|k| k.version.as_str()).collect();
        let unflagged = d
            .feeds
            .iter()
            .flat_map(|f| &f.changed)
            .filter(|ch| ch.flags.is_empty() && !flagged.contains(ch.after.as_str()))
            .count();
        let more = c.flags.saturating_sub(named.len()) + c.new_documents + unflagged;
        let mut s = named.join("; ");
        if more > 0 {
            let _ = write!(s, " (+{more} more)");
        }
        parts.push(s);
    } else if changes > 0 {
        let mut s = plural(changes, "change", "changes");
        if d.profile.is_some() && c.matching > 0 {
            let _ = write!(
                s,
                " ({} your profile)",
                plural(c.matching, "matches", "match")
            );
        }
        parts.push(s);
    }
    let due: Vec<&ReminderNote> = d
        .reminders
        .iter()
        .filter(|r| r.kind == ReminderKind::Reminder)
        .collect();
    if let Some(soonest) = due.iter().map(|r| r.deadline.days_left).min() {
        let when = match soonest {
            0 => "today".to_string(),
            1 => "tomorrow".to_string(),
            n => format!("in {n} days"),
        };
        parts.push(format!(
            "{} {when}",
            plural(due.len(), "deadline", "deadlines")
        ));
    }
    let moved = d
        .reminders
        .iter()
        .filter(|r| r.kind == ReminderKind::Moved)
        .count();
    // A moved deadline is usually one of the named changes already.
    if moved > 0 && d.key_changes.is_empty() {
        parts.push(format!("{} moved", plural(moved, "deadline", "deadlines")));
    }
    if parts.is_empty() {
        parts.push("nothing new".into());
    }
    let prefix = if d.since.is_some() {
        "regwatch (re-report)"
    } else {
        "regwatch"
    };
    format!("{prefix}: {}", parts.join(", "))
}

/// "… and 2 more flags below": what the "Key changes" block leaves to
/// the listing below, if anything.
fn key_changes_more(d: &Digest) -> Option<String> {
    let more = d.counts.flags.saturating_sub(d.key_changes.len());
    (more > 0).then(|| format!("… and {} below", plural(more, "more flag", "more flags")))
}

/// Where a changed document's link goes: its diff page, else its source.
fn changed_link(c: &ChangedDocument) -> Option<&str> {
    c.diff_link.as_deref().or(c.link.as_deref())
}

/// "Diff" or "Source", for a link line.
fn link_label(c: &ChangedDocument) -> &'static str {
    if c.diff_link.is_some() {
        "Diff"
    } else {
        "Source"
    }
}

/// A reminder's evidence: its own (an API field in words) and every
/// other document stating the same period.
fn reminder_evidence(r: &ReminderNote) -> Vec<String> {
    deadline_evidence(&r.deadline, r.previous.or(r.deadline.moved_from))
}

fn deadline_evidence(d: &Deadline, was: Option<chrono::NaiveDate>) -> Vec<String> {
    let mut out = vec![evidence_words(&d.evidence, was)];
    for s in &d.sources {
        out.push(format!(
            "{}: {}",
            s.name(),
            evidence_words(&s.evidence, None)
        ));
    }
    out
}

/// " (also stated in FR Doc. 2024-99001)" for a deadline that several
/// documents state.
fn also_suffix(d: &Deadline) -> String {
    if d.sources.is_empty() {
        return String::new();
    }
    let names: Vec<String> = d.sources.iter().map(|s| s.name()).collect();
    format!(" (also stated in {})", names.join(", "))
}

/// The key change's line: "★ ECCN 3C909 added (…) — 15 CFR part 774".
fn key_line(k: &KeyChange) -> String {
    format!("{} — {}", key_message(k), k.document)
}

/// The headline under the title: counts in words.
fn headline(d: &Digest) -> String {
    let c = &d.counts;
    let mut parts = Vec::new();
    if c.new_documents > 0 {
        parts.push(plural(c.new_documents, "new document", "new documents"));
    }
    if c.changed_documents > 0 {
        parts.push(plural(
            c.changed_documents,
            "changed document",
            "changed documents",
        ));
    }
    if c.flags > 0 {
        parts.push(plural(c.flags, "flag", "flags"));
    }
    if c.formatting_only > 0 {
        parts.push(format!("{} formatting only", c.formatting_only));
    }
    if c.hidden > 0 {
        parts.push(format!("{} outside your profile not shown", c.hidden));
    }
    if parts.is_empty() {
        "No new or changed documents.".into()
    } else {
        format!("{}.", parts.join(", "))
    }
}

fn reminder_line(r: &ReminderNote) -> String {
    let d = &r.deadline;
    match r.kind {
        ReminderKind::Moved => format!(
            "{} moved from {} to {} ({}){}: {}",
            d.label(),
            r.previous
                .map_or_else(|| "?".to_string(), |p| p.to_string()),
            d.when(),
            days_phrase(d.days_left),
            d.moved_by
                .as_ref()
                .map(|b| format!(" by {b}"))
                .unwrap_or_default(),
            d.subject()
        ),
        ReminderKind::Reminder => format!(
            "{} {} ({}): {}",
            d.label(),
            days_phrase(d.days_left),
            d.when(),
            d.subject()
        ),
    }
}

fn doc_ids(d: &Deadline) -> String {
    let mut ids = Vec::new();
    if let Some(n) = &d.document {
        ids.push(format!("FR Doc. {n}"));
    }
    if let Some(c) = &d.citation {
        ids.push(c.clone());
    }
    ids.join(", ")
}

fn new_doc_facts(n: &NewDocument) -> (String, String) {
    let mut ids = Vec::new();
    for s in [&n.doc_type, &n.agency, &n.citation].into_iter().flatten() {
        ids.push(s.clone());
    }
    if let Some(num) = &n.document_number {
        ids.push(format!("FR Doc. {num}"));
    }
    let dates = n
        .dates
        .iter()
        .map(|k| {
            let mut s = format!(
                "{} {}",
                crate::deadlines::label(k.kind).replace(" date", ""),
                k.date
            );
            if let Some(c) = &k.condition {
                let _ = write!(s, " {}", shorten(c, 120));
            }
            s
        })
        .map(|s| s.replace("Comment deadline", "Comments close"))
        .chain(n.news.iter().map(|f| note_message(f).into_owned()))
        .collect::<Vec<_>>()
        .join(" · ");
    (ids.join(" · "), dates)
}

/// A flag note's evidence on one line: its word-level excerpt, each
/// deleted or inserted run marked by `mark` (with its spaces outside the
/// marks: CommonMark does not close `**` after a space, "**Korea, South;
/// **the"), the rest escaped by `esc`; else its sentence, escaped.
fn excerpt_with(
    f: &FlagNote,
    esc: &dyn Fn(&str) -> String,
    mark: &dyn Fn(EditOp, &str) -> String,
) -> Option<String> {
    if f.excerpt.is_empty() {
        return f.evidence.as_ref().map(|e| esc(e));
    }
    let mut s = String::new();
    for e in &f.excerpt {
        let core = e.text.trim();
        if e.op == EditOp::Equal || core.is_empty() {
            s.push_str(&esc(&e.text));
            continue;
        }
        let lead = &e.text[..e.text.len() - e.text.trim_start().len()];
        let trail = &e.text[e.text.trim_end().len()..];
        s.push_str(lead);
        s.push_str(&mark(e.op, &one_line(core)));
        s.push_str(trail);
    }
    Some(one_line(&s))
}

/// [`excerpt_with`] as the formatter `o` marks edits and escapes values
/// (`[-old-]{+new+}` in text, `~~old~~ **new**` in Markdown).
fn excerpt(o: &dyn Formatter, f: &FlagNote) -> Option<String> {
    let kind = o.output();
    excerpt_with(f, &|s| o.escaped(s), &|op, s| {
        to_string(kind, |w| w.edit(op, s))
    })
}

fn feed_title(f: &FeedDigest) -> String {
    match &f.name {
        Some(n) => format!("{n} [{}]", f.feed),
        None => f.feed.clone(),
    }
}

fn versions(c: &ChangedDocument) -> String {
    match &c.before {
        Some(b) => format!(
            "{b} → {}",
            c.after
                .rsplit('@')
                .next()
                .map_or(c.after.clone(), |s| format!("@{s}"))
        ),
        None => c.after.clone(),
    }
}

fn formatting_line(f: &FeedDigest) -> Option<String> {
    if f.formatting_only.is_empty() {
        return None;
    }
    let names: Vec<String> = f
        .formatting_only
        .iter()
        .take(5)
        .map(|i| i.title.clone().unwrap_or_else(|| i.item.clone()))
        .collect();
    let more = f.formatting_only.len().saturating_sub(names.len());
    let mut s = format!(
        "Only formatting changed in {}: {}",
        plural(f.formatting_only.len(), "document", "documents"),
        names.join("; ")
    );
    if more > 0 {
        let _ = write!(s, " and {more} more");
    }
    Some(s)
}

/// Plain text, for the email's text part, stdout and `.txt` files.
pub fn text(d: &Digest) -> String {
    to_string(Output::Plain, |f| write_text(d, f))
}

/// The text summary, written to `o`.
pub fn write_text(d: &Digest, o: &mut dyn Formatter) {
    let _ = writeln!(o, "{}", subject(d));
    let _ = writeln!(
        o,
        "For {} · {}",
        d.recipient,
        d.generated_at.format("%Y-%m-%d %H:%M UTC")
    );
    if let Some(s) = d.since {
        let _ = writeln!(o, "Re-report of changes since {s}.");
    }
    let _ = writeln!(o, "{}", headline(d));
    if !d.key_changes.is_empty() {
        let _ = writeln!(o, "\nKEY CHANGES");
        for k in &d.key_changes {
            let star = if k.matches.is_empty() { "-" } else { "★" };
            let _ = writeln!(o, "  {star} {}", key_line(k));
            if let Some(l) = &k.link {
                let _ = writeln!(o, "    {l}");
            }
        }
        if let Some(more) = key_changes_more(d) {
            let _ = writeln!(o, "  {more}");
        }
    }
    if !d.reminders.is_empty() {
        let _ = writeln!(o, "\nREMINDERS");
        for r in &d.reminders {
            let _ = writeln!(o, "  ! {}", reminder_line(r));
            let ids = doc_ids(&r.deadline);
            if !ids.is_empty() {
                let _ = writeln!(o, "    {ids}");
            }
            for e in reminder_evidence(r) {
                let _ = writeln!(o, "    Evidence: {e}");
            }
            if let Some(l) = &r.deadline.link {
                let _ = writeln!(o, "    {l}");
            }
        }
    }
    for f in &d.feeds {
        let _ = writeln!(o, "\n== {} ==", feed_title(f));
        if !f.new_documents.is_empty() {
            let _ = writeln!(o, "New:");
            for n in &f.new_documents {
                let star = if n.matches.is_empty() { "*" } else { "★" };
                let _ = writeln!(o, "  {star} {}", n.title);
                if let Some(note) = &n.note {
                    let _ = writeln!(o, "    ! {note}");
                }
                let (ids, dates) = new_doc_facts(n);
                if !ids.is_empty() {
                    let _ = writeln!(o, "    {ids}");
                }
                if !dates.is_empty() {
                    let _ = writeln!(o, "    {dates}");
                }
                if let Some(l) = &n.link {
                    let _ = writeln!(o, "    {l}");
                }
                if !n.matches.is_empty() {
                    let _ = writeln!(o, "    Matches your profile: {}", n.matches.join(", "));
                }
            }
        }
        if !f.changed.is_empty() {
            let _ = writeln!(o, "Changed:");
            for c in &f.changed {
                let star = if c.matches.is_empty() { "*" } else { "★" };
                let _ = writeln!(
                    o,
                    "  {star} {} ({})",
                    c.title.as_deref().unwrap_or(&c.item),
                    versions(c)
                );
                if let Some(note) = &c.note {
                    let _ = writeln!(o, "    ! {note}");
                }
                if let Some(l) = changed_link(c) {
                    let _ = writeln!(o, "    {}: {l}", link_label(c));
                }
                if !c.matches.is_empty() {
                    let _ = writeln!(o, "    Matches your profile: {}", c.matches.join(", "));
                }
                for fl in &c.flags {
                    let mark = if fl.matches.is_empty() { "-" } else { "★" };
                    let _ = writeln!(o, "    {mark} {}", note_message(fl));
                    if let Some(st) = &fl.stated {
                        let _ = writeln!(o, "        {st}");
                    }
                    if let Some(x) = excerpt(o, fl) {
                        let _ = writeln!(o, "        “{x}”");
                    }
                }
                if c.more_flags > 0 {
                    let _ = writeln!(
                        o,
                        "    … and {} more flags (regwatch diff {})",
                        c.more_flags, c.after
                    );
                }
                if c.flags.is_empty() && c.note.is_none() {
                    let _ = writeln!(
                        o,
                        "    {} (regwatch diff {})",
                        super::diff_text::counts(&c.summary),
                        c.after
                    );
                }
            }
        }
        if let Some(l) = formatting_line(f) {
            let _ = writeln!(o, "{l}");
        }
        if f.more > 0 {
            let _ = writeln!(o, "… and {} more (regwatch changes {})", f.more, f.feed);
        }
    }
    if !d.deadlines.is_empty() {
        let _ = writeln!(o, "\nUPCOMING DEADLINES");
        for dl in &d.deadlines {
            let moved = moved_suffix(dl);
            let _ = writeln!(
                o,
                "  {}  {:<12} {}: {}{moved}{}",
                dl.date,
                days_phrase(dl.days_left),
                dl.label(),
                dl.subject(),
                also_suffix(dl)
            );
        }
    }
}

/// Markdown, for `.md` files and Teams webhooks.
pub fn markdown(d: &Digest) -> String {
    to_string(Output::Markdown, |f| write_markdown(d, f))
}

/// The Markdown summary, written to `o` (a [`super::output::Markdown`]
/// formatter escapes its values).
pub fn write_markdown(d: &Digest, o: &mut dyn Formatter) {
    let _ = writeln!(o, "# {}\n", o.escaped(&subject(d)));
    let _ = writeln!(
        o,
        "For **{}** · {}",
        o.escaped(&d.recipient),
        d.generated_at.format("%Y-%m-%d %H:%M UTC")
    );
    if let Some(s) = d.since {
        let _ = writeln!(o, "\nRe-report of changes since {s}.");
    }
    let _ = writeln!(o, "\n{}", o.escaped(&headline(d)));
    if !d.key_changes.is_empty() {
        let _ = writeln!(o, "\n## Key changes\n");
        for k in &d.key_changes {
            let star = if k.matches.is_empty() { "" } else { "★ " };
            let line = o.escaped(&key_line(k));
            match &k.link {
                Some(l) => {
                    let _ = writeln!(o, "- {star}[{line}](<{l}>)");
                }
                None => {
                    let _ = writeln!(o, "- {star}{line}");
                }
            }
        }
        if let Some(more) = key_changes_more(d) {
            let _ = writeln!(o, "\n{more}");
        }
    }
    if !d.reminders.is_empty() {
        let _ = writeln!(o, "\n## Reminders\n");
        for r in &d.reminders {
            let _ = writeln!(o, "- ⏰ **{}**", o.escaped(&reminder_line(r)));
            for e in reminder_evidence(r) {
                let _ = writeln!(o, "  > {}  ", o.escaped(&e));
            }
        }
    }
    for f in &d.feeds {
        let _ = writeln!(o, "\n## {}\n", o.escaped(&feed_title(f)));
        if !f.new_documents.is_empty() {
            let _ = writeln!(o, "### New\n");
            for n in &f.new_documents {
                let star = if n.matches.is_empty() { "" } else { "★ " };
                match &n.link {
                    Some(l) => {
                        let _ = writeln!(o, "- {star}**[{}]({l})**", o.escaped(&n.title));
                    }
                    None => {
                        let _ = writeln!(o, "- {star}**{}**", o.escaped(&n.title));
                    }
                }
                if let Some(note) = &n.note {
                    let _ = writeln!(o, "  ⚠ {}  ", o.escaped(note));
                }
                let (ids, dates) = new_doc_facts(n);
                for line in [ids, dates].into_iter().filter(|s| !s.is_empty()) {
                    let _ = writeln!(o, "  {}  ", o.escaped(&line));
                }
                if !n.matches.is_empty() {
                    let _ = writeln!(
                        o,
                        "  *Matches your profile: {}*",
                        o.escaped(&n.matches.join(", "))
                    );
                }
            }
        }
        if !f.changed.is_empty() {
            let _ = writeln!(o, "\n### Changed\n");
            for c in &f.changed {
                let star = if c.matches.is_empty() { "" } else { "★ " };
                let name = o.escaped(c.title.as_deref().unwrap_or(&c.item));
                let name = match changed_link(c) {
                    Some(l) => format!("[{name}](<{l}>)"),
                    None => name,
                };
                let _ = writeln!(o, "- {star}**{name}** (`{}`)", versions(c));
                if let Some(note) = &c.note {
                    let _ = writeln!(o, "  - ⚠ {}", o.escaped(note));
                }
                for fl in &c.flags {
                    let _ = writeln!(o, "  - {}", o.escaped(&note_message(fl)));
                    if let Some(st) = &fl.stated {
                        let _ = writeln!(o, "    {}  ", o.escaped(st));
                    }
                    if let Some(x) = excerpt(o, fl) {
                        let _ = writeln!(o, "    > {x}");
                    }
                }
                if c.more_flags > 0 {
                    let _ = writeln!(o, "  - … and {} more flags", c.more_flags);
                }
            }
        }
        if let Some(l) = formatting_line(f) {
            let _ = writeln!(o, "\n*{}*", o.escaped(&l));
        }
        if f.more > 0 {
            let _ = writeln!(o, "\n… and {} more", f.more);
        }
    }
    if !d.deadlines.is_empty() {
        let _ = writeln!(o, "\n## Upcoming deadlines\n");
        let _ = writeln!(o, "| Date | When | Deadline | Document |");
        let _ = writeln!(o, "|---|---|---|---|");
        for dl in &d.deadlines {
            let moved = moved_suffix(dl);
            let _ = writeln!(
                o,
                "| {} | {} | {}{} | {}{} |",
                dl.date,
                days_phrase(dl.days_left),
                dl.label(),
                o.escaped(&moved),
                o.escaped(dl.subject()).replace('|', "\\|"),
                o.escaped(&also_suffix(dl))
            );
        }
    }
}

const STYLE: &str = "body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1f2328;max-width:56em;margin:1em auto;padding:0 1em;line-height:1.45}\
h1{font-size:1.3em}h2{font-size:1.1em;border-bottom:1px solid #d0d7de;padding-bottom:.2em;margin-top:1.6em}h3{font-size:1em;margin-bottom:.3em}\
ul{padding-left:1.2em}li{margin:.4em 0}.meta{color:#57606a;font-size:.9em}.match{background:#fff8c5;border-radius:3px;padding:0 .3em;font-size:.85em}\
blockquote{margin:.3em 0 .3em .5em;padding-left:.6em;border-left:3px solid #d0d7de;color:#424a53;font-size:.92em}\
del{background:#ffebe9;color:#82071e}ins{background:#dafbe1;color:#116329;text-decoration:none}\
.reminder{background:#fff1e5;border:1px solid #ffb77c;border-radius:6px;padding:.5em .8em;margin:.5em 0}\
table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:.25em .6em;text-align:left;font-size:.92em}\
td.date,.nowrap{white-space:nowrap}table{width:100%}td{vertical-align:top}.key{background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:.3em 1em .5em;margin:.8em 0}\
.key h2{margin-top:.4em;border:0}.key li{margin:.25em 0}";

/// A standalone HTML page, for the email's HTML part and `.html` files.
/// Styles are inline in a `<style>` block that mail clients keep.
pub fn html(d: &Digest) -> String {
    let mut o = String::new();
    let subject = subject(d);
    let title = escape(&subject);
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title><style>{STYLE}</style></head><body>\n<h1>{}</h1>\n<p class=\"meta\">For {} · {}</p>\n<p>{}</p>\n",
        escape_dates(&subject),
        escape(&d.recipient),
        d.generated_at.format("%Y-%m-%d %H:%M UTC"),
        escape_dates(&headline(d))
    );
    if let Some(s) = d.since {
        let _ = writeln!(o, "<p class=\"meta\">Re-report of changes since {s}.</p>");
    }
    if !d.key_changes.is_empty() {
        let _ = writeln!(o, "<div class=\"key\"><h2>Key changes</h2>\n<ul>");
        for k in &d.key_changes {
            let star = if k.matches.is_empty() { "" } else { "★ " };
            let text = format!(
                "{}<strong>{}</strong> <span class=\"meta\">— {}</span>",
                star,
                escape_dates(&key_message(k)),
                escape(&k.document)
            );
            let _ = match &k.link {
                Some(l) => writeln!(o, "<li><a href=\"{}\">{text}</a></li>", escape(l)),
                None => writeln!(o, "<li>{text}</li>"),
            };
        }
        let _ = writeln!(o, "</ul>");
        if let Some(more) = key_changes_more(d) {
            let _ = writeln!(o, "<p class=\"meta\">{more}</p>");
        }
        let _ = writeln!(o, "</div>");
    }
    if !d.reminders.is_empty() {
        let _ = writeln!(o, "<h2>Reminders</h2>");
        for r in &d.reminders {
            let title = match &r.deadline.link {
                Some(l) => format!(
                    "<a href=\"{}\">{}</a>",
                    escape(l),
                    escape_dates(&reminder_line(r))
                ),
                None => escape_dates(&reminder_line(r)),
            };
            let evidence: Vec<String> = reminder_evidence(r)
                .iter()
                .map(|e| escape_dates(e))
                .collect();
            let _ = writeln!(
                o,
                "<div class=\"reminder\"><strong>{title}</strong><br><span class=\"meta\">{}</span><blockquote>{}</blockquote></div>",
                escape(&doc_ids(&r.deadline)),
                evidence.join("<br>")
            );
        }
    }
    for f in &d.feeds {
        let _ = writeln!(o, "<h2>{}</h2>", escape(&feed_title(f)));
        if !f.new_documents.is_empty() {
            let _ = writeln!(o, "<h3>New</h3>\n<ul>");
            for n in &f.new_documents {
                let title = match &n.link {
                    Some(l) => format!("<a href=\"{}\">{}</a>", escape(l), escape(&n.title)),
                    None => escape(&n.title),
                };
                let (ids, dates) = new_doc_facts(n);
                let _ = write!(o, "<li><strong>{title}</strong>");
                if let Some(note) = &n.note {
                    let _ = write!(o, "<br><span class=\"meta\">⚠ {}</span>", escape(note));
                }
                for line in [ids, dates].into_iter().filter(|s| !s.is_empty()) {
                    let _ = write!(o, "<br><span class=\"meta\">{}</span>", escape_dates(&line));
                }
                if !n.matches.is_empty() {
                    let _ = write!(
                        o,
                        "<br><span class=\"match\">★ {}</span>",
                        escape(&n.matches.join(", "))
                    );
                }
                let _ = writeln!(o, "</li>");
            }
            let _ = writeln!(o, "</ul>");
        }
        if !f.changed.is_empty() {
            let _ = writeln!(o, "<h3>Changed</h3>\n<ul>");
            for c in &f.changed {
                let name = escape(c.title.as_deref().unwrap_or(&c.item));
                let name = match changed_link(c) {
                    Some(l) => format!("<a href=\"{}\">{name}</a>", escape(l)),
                    None => name,
                };
                let _ = write!(
                    o,
                    "<li><strong>{name}</strong> <span class=\"meta\">{}</span>",
                    escape(&versions(c))
                );
                if !c.matches.is_empty() {
                    let _ = write!(
                        o,
                        " <span class=\"match\">★ {}</span>",
                        escape(&c.matches.join(", "))
                    );
                }
                let _ = writeln!(o, "<ul>");
                if let Some(note) = &c.note {
                    let _ = writeln!(o, "<li>⚠ {}</li>", escape(note));
                }
                for fl in &c.flags {
                    let _ = write!(o, "<li>{}", escape_dates(&note_message(fl)));
                    if let Some(st) = &fl.stated {
                        let _ = write!(o, "<br><span class=\"meta\">{}</span>", escape_dates(st));
                    }
                    if let Some(x) = excerpt_with(fl, &escape, &|op, s| match op {
                        EditOp::Delete => format!("<del>{}</del>", escape(s)),
                        _ => format!("<ins>{}</ins>", escape(s)),
                    }) {
                        let _ = write!(o, "<blockquote>{x}</blockquote>");
                    }
                    let _ = writeln!(o, "</li>");
                }
                if c.more_flags > 0 {
                    let _ = writeln!(o, "<li>… and {} more flags</li>", c.more_flags);
                }
                let _ = writeln!(o, "</ul></li>");
            }
            let _ = writeln!(o, "</ul>");
        }
        if let Some(l) = formatting_line(f) {
            let _ = writeln!(o, "<p class=\"meta\">{}</p>", escape(&l));
        }
        if f.more > 0 {
            let _ = writeln!(o, "<p class=\"meta\">… and {} more</p>", f.more);
        }
    }
    if !d.deadlines.is_empty() {
        let _ = writeln!(
            o,
            "<h2>Upcoming deadlines</h2>\n<table><tr><th>Date</th><th>Deadline</th><th>Document</th></tr>"
        );
        for dl in &d.deadlines {
            let moved = moved_suffix(dl);
            let doc = match &dl.link {
                Some(l) => format!("<a href=\"{}\">{}</a>", escape(l), escape(dl.subject())),
                None => escape(dl.subject()),
            };
            let _ = writeln!(
                o,
                "<tr><td class=\"date\">{}<br><span class=\"meta\">{}</span></td><td>{}{}</td><td>{doc}{}</td></tr>",
                dl.date,
                days_phrase(dl.days_left),
                dl.label(),
                escape_dates(&moved),
                escape_dates(&also_suffix(dl))
            );
        }
        let _ = writeln!(o, "</table>");
    }
    let _ = writeln!(
        o,
        "<p class=\"meta\">Sent by regwatch. Each changed document links to {}.</p>\n</body></html>",
        if d.feeds
            .iter()
            .flat_map(|f| &f.changed)
            .any(|c| c.diff_link.is_some())
        {
            "its diff"
        } else {
            "its source"
        }
    );
    o
}

/// The summary record (`{"type":"summary","schema_version":…,"data":…}`),
/// pretty-printed.
pub fn json(d: &Digest) -> String {
    Record::new(RecordType::Summary, &worded(d)).to_pretty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::Flag;
    use crate::summary::Counts;

    /// One changed document with one flag note and its key change; `flag`
    /// as the summary stores it now, else the sentences an older entry
    /// stored.
    fn digest(flag: Option<Flag>, message: &str, brief: &str) -> Digest {
        let note = FlagNote {
            kind: crate::diff::FlagKind::DateChanged,
            message: message.into(),
            provision: None,
            excerpt: Vec::new(),
            evidence: None,
            stated: None,
            matches: Vec::new(),
            flag: flag.clone(),
        };
        let changed = ChangedDocument {
            item: "2024-99001".into(),
            title: Some("Rule".into()),
            before: Some("fr/2024-99001@1".into()),
            after: "fr/2024-99001@2".into(),
            fetched_at: chrono::DateTime::default(),
            flags: vec![note],
            more_flags: 0,
            summary: crate::diff::Summary::default(),
            link: None,
            diff_link: None,
            matches: Vec::new(),
            note: None,
        };
        Digest {
            recipient: "desk".into(),
            generated_at: chrono::DateTime::default(),
            since: None,
            profile: None,
            counts: Counts {
                changed_documents: 1,
                flags: 1,
                ..Counts::default()
            },
            key_changes: vec![KeyChange {
                kind: crate::diff::FlagKind::DateChanged,
                brief: brief.into(),
                message: message.into(),
                document: "Rule".into(),
                version: "fr/2024-99001@2".into(),
                matches: Vec::new(),
                link: None,
                flag,
            }],
            feeds: vec![FeedDigest {
                feed: "fr".into(),
                name: None,
                new_documents: Vec::new(),
                changed: vec![changed],
                formatting_only: Vec::new(),
                more: 0,
            }],
            reminders: Vec::new(),
            deadlines: Vec::new(),
        }
    }

    /// The renderers word a stored flag (the report's wording, which the
    /// profile never matches: "extended" is ours, not the rule's), and
    /// show an older entry's stored sentences as they are.
    #[test]
    fn flags_are_worded_when_rendered_and_old_sentences_shown_as_stored() {
        let flag = crate::summary::profile::comment_deadline_moved();
        let sentence = describe::headline(&flag);
        assert!(sentence.contains("extended"), "{sentence}");
        let now = digest(Some(flag.clone()), "", "");
        assert!(subject(&now).contains(&describe::brief(&flag)));
        for out in [text(&now), markdown(&now), html(&now)] {
            assert!(out.matches("extended by 30 days").count() >= 2, "{out}");
        }
        let old = digest(None, "Stored sentence", "stored brief");
        assert_eq!(subject(&old), "regwatch: stored brief");
        for out in [text(&old), markdown(&old), html(&old)] {
            assert_eq!(out.matches("Stored sentence").count(), 2, "{out}");
            assert!(!out.contains("extended"), "{out}");
        }
        // The JSON says it in words, as before flags were kept.
        let w = worded(&now);
        assert_eq!(w.key_changes[0].message, sentence);
        assert_eq!(w.key_changes[0].brief, describe::brief(&flag));
        assert_eq!(w.feeds[0].changed[0].flags[0].message, sentence);
        assert!(w.key_changes[0].flag.is_none() && w.feeds[0].changed[0].flags[0].flag.is_none());
        let j = json(&now);
        assert!(j.contains(&sentence) && !j.contains("\"flag\""), "{j}");
        assert_eq!(worded(&old), old);
    }
}
