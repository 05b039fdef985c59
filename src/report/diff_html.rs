//! A diff as one self-contained HTML page (inline CSS, no scripts, no
//! external resources) that a person can open from disk or an email
//! attachment: verdict, flags with their evidence, changed provisions with
//! inline `<del>`/`<ins>`, formatting-only places folded away.

use std::fmt::Write;

use super::diff_text::{Sides, counts, formatting_line};
use super::{describe, excerpt};
use crate::diff::{ChangeKind, Diff, Direction, EditOp, FlagKind, FormattingScope};

const STYLE: &str = "
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1f2328}
h1{font-size:1.4rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
.sides{color:#57606a;margin:0}.verdict{font-weight:600;padding:.6rem .8rem;border-radius:6px;margin:1rem 0}
.yes{background:#fff8c5;border:1px solid #d4a72c}.no{background:#dafbe1;border:1px solid #4ac26b}
.flag{border-left:4px solid #8c959f;padding:.3rem .8rem;margin:.6rem 0;background:#f6f8fa}
.flag.add{border-color:#1a7f37}.flag.del{border-color:#cf222e}.flag.mod{border-color:#bf8700}
.kind{font-size:12px;color:#57606a;margin-left:.5rem}
.where{color:#57606a;font-size:.9rem}.ev{font-size:.9rem;margin:.2rem 0 0}.ev b{color:#57606a;font-weight:500}
.change{margin:1rem 0;padding:.5rem .8rem;border:1px solid #d0d7de;border-radius:6px}
.change h3{font-size:1rem;margin:0 0 .4rem}.text{white-space:pre-wrap}
del{background:#ffebe9;color:#82071e}ins{background:#dafbe1;color:#116329;text-decoration:none}
.warn{color:#9a6700}details{margin-top:1rem}table{border-collapse:collapse}td{padding:.1rem .6rem;border-bottom:1px solid #eaeef2}
";

/// A provision's whole text, cut only when pathological (see `excerpt`).
fn body(text: &Option<String>) -> String {
    excerpt::cap(text.as_deref().unwrap_or(""), excerpt::HTML.total)
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn class(kind: FlagKind) -> &'static str {
    match kind.direction() {
        Direction::Added => "add",
        Direction::Removed => "del",
        Direction::Changed => "mod",
    }
}

/// Renders the page.
pub fn render(diff: &Diff, sides: &Sides) -> String {
    let mut h = String::with_capacity(16 * 1024);
    let title = format!(
        "regwatch diff: {} → {}",
        sides.before.name, sides.after.name
    );
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{STYLE}</style></head><body>\n<h1>{}</h1>\n",
        escape(&title),
        escape(&title)
    );
    for (label, side) in [("Before", &sides.before), ("After", &sides.after)] {
        let mut d = side.title.clone().unwrap_or_default();
        if let Some(date) = &side.date {
            d = format!("{d} ({date})");
        }
        if !d.trim().is_empty() {
            let _ = writeln!(
                h,
                "<p class=\"sides\"><b>{label}:</b> {}</p>",
                escape(d.trim())
            );
        }
    }
    let (cls, verdict) = if diff.substantive {
        (
            "yes",
            format!("Substantive changes: {}.", counts(&diff.summary)),
        )
    } else {
        ("no", "No substantive change.".to_string())
    };
    let tail = formatting_line(&diff.summary)
        .map(|t| format!(" {t}"))
        .unwrap_or_default();
    let _ = writeln!(
        h,
        "<p class=\"verdict {cls}\">{}{}</p>",
        escape(&verdict),
        escape(&tail)
    );
    for w in &diff.warnings {
        let _ = writeln!(h, "<p class=\"warn\">Warning: {}</p>", escape(w));
    }

    if !diff.flags.is_empty() {
        h.push_str("<h2>What changed</h2>\n");
        for f in &diff.flags {
            let _ = write!(
                h,
                "<div class=\"flag {}\"><b>{}</b><span class=\"kind\">{}</span>",
                class(f.kind()),
                escape(&describe::finding(&f.finding)),
                describe::kind_words(f.kind())
            );
            let place: Vec<&str> = [f.document.as_deref(), f.provision()]
                .into_iter()
                .flatten()
                .collect();
            if !place.is_empty() {
                let _ = write!(
                    h,
                    "<div class=\"where\">in {}</div>",
                    escape(&place.join(" › "))
                );
            }
            for (label, text) in describe::evidence_sides(f) {
                let t = excerpt::cap(&text, excerpt::HTML.edit);
                let _ = write!(h, "<p class=\"ev\"><b>{label}:</b> {}</p>", escape(&t));
            }
            h.push_str("</div>\n");
        }
    }

    if !diff.changes.is_empty() {
        h.push_str("<h2>Changed provisions</h2>\n");
        for c in &diff.changes {
            let verb = match c.kind {
                ChangeKind::Added => "added".to_string(),
                ChangeKind::Removed => "removed".to_string(),
                ChangeKind::Modified => "modified".to_string(),
                ChangeKind::Moved => format!(
                    "moved from {}",
                    c.before_provision.as_deref().unwrap_or("?")
                ),
                ChangeKind::Renumbered => format!(
                    "redesignated from {}",
                    c.before_provision.as_deref().unwrap_or("?")
                ),
            };
            let name = match &c.document {
                Some(d) => format!("{d} › {}", c.provision),
                None => c.provision.clone(),
            };
            let _ = write!(
                h,
                "<div class=\"change\"><h3>{} <span class=\"kind\">{}</span></h3>",
                escape(&name),
                escape(&verb)
            );
            if let Some(before) = &c.before_heading {
                let _ = match (before.is_empty(), c.heading.as_deref()) {
                    (true, Some(now)) => {
                        write!(h, "<p>Heading added: <ins>{}</ins></p>", escape(now))
                    }
                    (false, None) => {
                        write!(h, "<p>Heading removed: <del>{}</del></p>", escape(before))
                    }
                    (_, now) => write!(
                        h,
                        "<p>Heading: <del>{}</del> <ins>{}</ins></p>",
                        escape(before),
                        escape(now.unwrap_or(""))
                    ),
                };
            } else if let Some(heading) = &c.heading {
                let _ = write!(h, "<p><b>{}</b></p>", escape(heading));
            }
            h.push_str("<div class=\"text\">");
            match c.kind {
                ChangeKind::Added => {
                    let _ = write!(h, "<ins>{}</ins>", escape(&body(&c.after)));
                }
                ChangeKind::Removed => {
                    let _ = write!(h, "<del>{}</del>", escape(&body(&c.before)));
                }
                _ if c.words.is_empty() => {
                    h.push_str(&escape(&body(&c.after)));
                }
                _ => {
                    for e in &excerpt::bound(&c.words, excerpt::HTML) {
                        let _ = match e.op {
                            EditOp::Equal => write!(h, "{}", escape(&e.text)),
                            EditOp::Delete => write!(h, "<del>{}</del>", escape(&e.text)),
                            EditOp::Insert => write!(h, "<ins>{}</ins>", escape(&e.text)),
                        };
                    }
                }
            }
            h.push_str("</div></div>\n");
        }
    }

    if !diff.formatting_only.is_empty() {
        let _ = write!(
            h,
            "<details><summary>Formatting only, not substantive: {}</summary><table>",
            escape(
                formatting_line(&diff.summary)
                    .unwrap_or_default()
                    .trim_start_matches("Formatting only: ")
            )
        );
        for f in &diff.formatting_only {
            let place = match (f.scope, &f.provision) {
                (FormattingScope::Source, _) => format!("source ({} passages)", f.places),
                (_, Some(p)) => match &f.document {
                    Some(d) => format!("{d} › {p}"),
                    None => p.clone(),
                },
                (_, None) => "document".to_string(),
            };
            let kinds: Vec<&str> = f.kinds.iter().map(|k| k.label()).collect();
            let example = match (&f.example.before, &f.example.after) {
                (Some(b), Some(a)) => format!(
                    "<del>{}</del> → <ins>{}</ins>",
                    escape(&super::diff_text::clip(b, 160)),
                    escape(&super::diff_text::clip(a, 160))
                ),
                _ => String::new(),
            };
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{example}</td></tr>",
                escape(&place),
                escape(&kinds.join(", "))
            );
        }
        h.push_str("</table></details>\n");
    }
    h.push_str("<p class=\"sides\">Made by regwatch.</p></body></html>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{EccnFinding, Evidence, Finding, Flag};

    #[test]
    fn page_is_self_contained_and_escaped() {
        let mut d = Diff::default();
        let added = EccnFinding {
            eccn: "4A906".into(),
            heading: "Computers".into(),
            within: Some("<script>".into()),
            provision: "ECCN 4A906".into(),
            evidence: Evidence::default(),
        };
        d.flags.push(Flag::new(Finding::EccnAdded(added), None));
        d.finish();
        let page = render(&d, &Sides::default());
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(page.contains("ECCN 4A906 added (&lt;script&gt;)"));
        assert!(!page.contains("<script"));
        assert!(!page.contains("http://") && !page.contains("https://"));
        assert!(page.trim_end().ends_with("</html>"));
    }

    /// A reader sees kinds and API dates in words; codes stay in JSON.
    #[test]
    fn page_says_kinds_and_api_dates_in_words() {
        let mut d = Diff::default();
        let day = |s: &str| s.parse().unwrap();
        d.flags.push(Flag::new(
            Finding::DateChanged {
                field: crate::model::DateKind::CommentsClose,
                before: day("2024-11-05"),
                after: day("2024-12-05"),
                days: 30,
                scope: None,
                provision: None,
                evidence: Evidence {
                    before: Some("comments_close_on: 2024-11-05".into()),
                    after: Some("comments_close_on: 2024-12-05".into()),
                },
            },
            None,
        ));
        d.finish();
        let page = render(&d, &Sides::default());
        assert!(!page.contains("date_changed"), "{page}");
        assert!(!page.contains("comments_close_on"), "{page}");
        assert!(page.contains("Date changed"), "{page}");
        assert!(
            page.contains("Federal Register: comments close 2024-12-05"),
            "{page}"
        );
    }
}
