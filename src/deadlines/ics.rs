//! Deadlines as an iCalendar feed (RFC 5545): one all-day event per
//! deadline.
//!
//! Why these properties: `UID` is the deadline's stable identity and
//! `SEQUENCE` only grows, so a calendar subscribed to the file moves an
//! extended comment deadline in place instead of showing two events;
//! `DTSTAMP` is the fetch time of the version the date was read from, so the
//! same store always gives byte-identical output (no churn for subscribers).

use std::fmt::Write as _;

use chrono::{DateTime, Days, Utc};

use super::Deadline;

/// Longest content line in octets, without the CRLF (RFC 5545 §3.1).
const LINE_OCTETS: usize = 75;

/// Renders `deadlines` as a VCALENDAR named `name`.
pub fn render(deadlines: &[Deadline], name: &str) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(
        &mut out,
        &format!(
            "PRODID:-//regwatch//regwatch {}//EN",
            env!("CARGO_PKG_VERSION")
        ),
    );
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    line(&mut out, &format!("X-WR-CALNAME:{}", text(name)));
    for d in deadlines {
        event(&mut out, d);
    }
    line(&mut out, "END:VCALENDAR");
    out
}

fn event(out: &mut String, d: &Deadline) {
    let next_day = d.date.checked_add_days(Days::new(1)).unwrap_or(d.date);
    line(out, "BEGIN:VEVENT");
    line(out, &format!("UID:{}", d.uid));
    line(out, &format!("DTSTAMP:{}", utc(d.updated)));
    line(out, &format!("LAST-MODIFIED:{}", utc(d.updated)));
    line(out, &format!("SEQUENCE:{}", d.sequence));
    line(
        out,
        &format!("DTSTART;VALUE=DATE:{}", d.date.format("%Y%m%d")),
    );
    line(
        out,
        &format!("DTEND;VALUE=DATE:{}", next_day.format("%Y%m%d")),
    );
    let mut summary = format!("{}: {}", d.label(), d.subject());
    if let Some(p) = &d.provision {
        let _ = write!(summary, " ({p})");
    }
    if d.condition.is_some() {
        summary.push_str(" (conditional)");
    }
    line(out, &format!("SUMMARY:{}", text(&summary)));
    line(out, &format!("DESCRIPTION:{}", text(&description(d))));
    if let Some(link) = &d.link {
        line(out, &format!("URL:{}", link.replace(['\r', '\n'], "")));
    }
    line(
        out,
        &format!("CATEGORIES:regwatch,{}", d.kind.as_str().replace('_', "-")),
    );
    line(out, "TRANSP:TRANSPARENT");
    line(out, "STATUS:CONFIRMED");
    line(out, "END:VEVENT");
}

fn description(d: &Deadline) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{} {}", d.label(), d.when());
    if let Some(from) = d.moved_from {
        match &d.moved_by {
            Some(by) => {
                let _ = writeln!(s, "Moved from {from} to {} by {by}.", d.date);
            }
            None => {
                let _ = writeln!(s, "Moved from {from} to {}.", d.date);
            }
        }
    }
    let mut ids = Vec::new();
    if let Some(n) = &d.document {
        ids.push(format!("FR Doc. {n}"));
    }
    if let Some(c) = &d.citation {
        ids.push(c.clone());
    }
    if !ids.is_empty() {
        let _ = writeln!(s, "{}", ids.join(", "));
    }
    let _ = writeln!(
        s,
        "Evidence: {}",
        super::evidence_words(&d.evidence, d.moved_from)
    );
    for x in &d.sources {
        let _ = writeln!(
            s,
            "Also stated in {}: {}",
            x.name(),
            super::evidence_words(&x.evidence, None)
        );
    }
    if let Some(link) = &d.link {
        let _ = writeln!(s, "{link}");
    }
    let _ = write!(s, "Source: regwatch {}", d.version);
    s
}

fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded at 75 octets without splitting a
/// UTF-8 character, each physical line ending in CRLF.
fn line(out: &mut String, content: &str) {
    let mut rest = content;
    let mut first = true;
    while !rest.is_empty() {
        // Continuation lines start with a space, which counts toward the limit.
        let room = if first { LINE_OCTETS } else { LINE_OCTETS - 1 };
        let mut cut = rest.len().min(room);
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        if !first {
            out.push(' ');
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n");
        rest = &rest[cut..];
        first = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_long_lines_on_character_boundaries() {
        let mut out = String::new();
        let long = format!("SUMMARY:{}", "é".repeat(100));
        line(&mut out, &long);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= LINE_OCTETS, "{} octets: {l}", l.len());
        }
        let unfolded = out.replace("\r\n ", "").replace("\r\n", "");
        assert_eq!(unfolded, long);
    }

    #[test]
    fn escapes_text_values() {
        assert_eq!(text("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
    }
}
