//! A notice card: the facts of one parsed document at a glance — title,
//! agency, identifiers, key dates with their evidence, provisions, ECCNs,
//! license exceptions, countries and enumerations.

use super::output::{Formatter, Markup, Output, to_string};
use crate::model::{DateKind, DateSource, Document, EntityKind, Provision};

/// How many provisions a card lists before eliding the rest.
const MAX_PROVISIONS: usize = 60;

/// [`card`] into a `String`, with the formatter `kind` names: plain text
/// for terminals, Markdown for email, tickets and wikis.
pub fn card_string(doc: &Document, kind: Output) -> String {
    to_string(kind, |f| card(doc, f))
}

/// Renders `doc` (or, for a collection, a line per document) as a card.
pub fn card(doc: &Document, out: &mut dyn Formatter) {
    if !doc.documents.is_empty() {
        collection(out, doc);
        return;
    }
    single(out, doc);
}

/// A heading after a blank line; in text, the title (level 1) is
/// underlined instead.
fn heading(out: &mut dyn Formatter, level: usize, text: &str) {
    if level == 1 && out.markup() == Markup::Text {
        out.styled(super::terminal::Style::Bold, text);
        let _ = writeln!(out, "\n{}", "=".repeat(display_width(text).min(100)));
    } else {
        out.write_str("\n");
        out.heading(level, text);
    }
}

/// Terminal columns: CJK characters take two.
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if ('\u{2E80}'..='\u{9FFF}').contains(&c) || ('\u{FF00}'..='\u{FFEF}').contains(&c) {
                2
            } else {
                1
            }
        })
        .sum()
}

fn bullet(out: &mut dyn Formatter, text: &str) {
    match out.markup() {
        Markup::Markdown => {
            // Outline depth is leading spaces: Markdown nests by indenting the dash.
            let body = text.trim_start();
            let indent = text.len() - body.len();
            let _ = writeln!(out, "{}- {body}", " ".repeat(indent));
        }
        Markup::Text => {
            let _ = writeln!(out, "  {text}");
        }
    }
}

fn kind_label(doc: &Document) -> &'static str {
    use crate::model::DocKind::*;
    match doc.meta.kind {
        Rule => "Rule",
        ProposedRule => "Proposed rule",
        Notice => "Notice",
        PresidentialDocument => "Presidential document",
        Regulation => "Regulation text",
        Collection => "Collection",
        Report => "Report",
        Unknown => "Document",
    }
}

fn identity_line(doc: &Document) -> String {
    let m = &doc.meta;
    let mut parts = vec![kind_label(doc).to_string()];
    if !m.agencies.is_empty() {
        parts.push(m.agencies.join(", "));
    }
    if let Some(n) = &m.document_number {
        parts.push(format!("FR Doc. {n}"));
    }
    if let Some(c) = &m.fr_citation {
        parts.push(c.clone());
    }
    if !m.rins.is_empty() {
        parts.push(format!("RIN {}", m.rins.join(", ")));
    }
    if !m.dockets.is_empty() {
        parts.push(format!("Docket {}", m.dockets.join(", ")));
    }
    parts.join(" · ")
}

fn single(out: &mut dyn Formatter, doc: &Document) {
    let m = &doc.meta;
    heading(out, 1, m.title.as_deref().unwrap_or("(untitled document)"));
    let _ = writeln!(out, "{}", identity_line(doc));
    if let Some(a) = &m.action {
        let _ = writeln!(out, "Action: {a}");
    }
    if !m.cfr_parts.is_empty() {
        let _ = writeln!(out, "CFR: {}", m.cfr_parts.join(", "));
    }
    if let Some(u) = m.source_urls.first() {
        let _ = writeln!(out, "Source: {u}");
    }

    heading(out, 2, "Key dates");
    let mut dates: Vec<_> = doc
        .dates
        .iter()
        .filter(|d| d.kind != DateKind::Other)
        .collect();
    dates.sort_by_key(|d| (d.kind, d.date));
    if dates.is_empty() {
        bullet(out, "none stated");
    }
    for d in dates {
        let scope = d
            .provision
            .as_deref()
            .map(|p| format!(" (for {p})"))
            .unwrap_or_default();
        let from = match d.source {
            DateSource::Api => format!("[{}]", d.evidence),
            DateSource::Text => format!("“{}”", d.evidence),
        };
        let derived = if d.derived { " (computed)" } else { "" };
        bullet(
            out,
            &format!("{:<15} {}{scope}{derived} — {from}", d.kind.label(), d.date),
        );
    }
    for c in &doc.date_conflicts {
        let text: Vec<String> = c.text.iter().map(|d| d.to_string()).collect();
        bullet(
            out,
            &format!(
                "! {}: the API says {}, the text says {} — “{}”",
                c.kind.label(),
                c.api,
                text.join(", "),
                c.evidence
            ),
        );
    }

    if !doc.provisions.is_empty() {
        let mut lines = Vec::new();
        for p in &doc.provisions {
            outline(p, 0, &mut lines);
        }
        heading(out, 2, &format!("Provisions ({})", lines.len()));
        for l in lines.iter().take(MAX_PROVISIONS) {
            bullet(out, l);
        }
        if lines.len() > MAX_PROVISIONS {
            bullet(
                out,
                &format!(
                    "… and {} more (see --format json)",
                    lines.len() - MAX_PROVISIONS
                ),
            );
        }
    }

    if !doc.amendments.is_empty() {
        heading(out, 2, "Amendments");
        for a in &doc.amendments {
            bullet(out, &a.instruction);
        }
    }

    if !doc.eccn_entries.is_empty() {
        heading(out, 2, &format!("CCL entries ({})", doc.eccn_entries.len()));
        for e in &doc.eccn_entries {
            let les: Vec<String> = e
                .license_exceptions
                .iter()
                .map(|l| format!("{}: {}", l.symbol, l.text))
                .collect();
            bullet(
                out,
                &format!(
                    "{} {} [{}]{}",
                    e.eccn,
                    e.heading,
                    e.reasons_for_control.join(", "),
                    if les.is_empty() {
                        String::new()
                    } else {
                        format!(" — {}", les.join("; "))
                    }
                ),
            );
        }
    }

    for (kind, title) in [
        (EntityKind::Eccn, "ECCNs"),
        (EntityKind::LicenseException, "License exceptions"),
        (EntityKind::CountryGroup, "Country groups"),
        (EntityKind::Country, "Countries"),
        (EntityKind::Technology, "Technologies"),
        (EntityKind::CfrCitation, "CFR citations"),
        (EntityKind::FrCitation, "FR citations"),
    ] {
        let items: Vec<String> = doc
            .entities_of(kind)
            .map(|e| match (&e.name, kind) {
                (Some(n), EntityKind::Country) => format!("{n} ({})", e.id),
                (Some(n), EntityKind::LicenseException) => format!("{} — {n}", e.id),
                _ => e.id.clone(),
            })
            .collect();
        if !items.is_empty() {
            heading(out, 2, &format!("{title} ({})", items.len()));
            let _ = writeln!(
                out,
                "{}{}",
                if out.markup() == Markup::Text {
                    "  "
                } else {
                    ""
                },
                items.join(", ")
            );
        }
    }

    if !doc.lists.is_empty() {
        heading(out, 2, &format!("Lists ({})", doc.lists.len()));
        for l in &doc.lists {
            let members: Vec<&str> = l.members.iter().map(|m| m.id.as_str()).collect();
            let members = if members.is_empty() {
                "(none)".to_string()
            } else {
                members.join(", ")
            };
            bullet(out, &format!("{}: {members}", l.name));
        }
    }
    if !doc.warnings.is_empty() {
        heading(out, 2, "Parser notes");
        for w in &doc.warnings {
            bullet(out, w);
        }
    }
}

fn outline(p: &Provision, depth: usize, out: &mut Vec<String>) {
    if depth > 2 {
        return;
    }
    let label = match &p.heading {
        Some(h) => format!("{}{} — {h}", "  ".repeat(depth), p.id),
        None => format!("{}{}", "  ".repeat(depth), p.id),
    };
    out.push(label);
    for c in &p.children {
        outline(c, depth + 1, out);
    }
}

fn collection(out: &mut dyn Formatter, doc: &Document) {
    heading(out, 1, doc.meta.title.as_deref().unwrap_or("Collection"));
    let _ = writeln!(out, "{} documents", doc.documents.len());
    for d in &doc.documents {
        let dates: Vec<String> = [
            DateKind::Effective,
            DateKind::CommentsClose,
            DateKind::Compliance,
        ]
        .into_iter()
        .filter_map(|k| d.date(k).map(|f| format!("{} {}", k.as_str(), f.date)))
        .collect();
        bullet(
            out,
            &format!(
                "{} {} — {}{}",
                kind_label(d),
                d.meta.document_number.as_deref().unwrap_or("?"),
                d.meta.title.as_deref().unwrap_or("(untitled)"),
                if dates.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", dates.join("; "))
                }
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One layout, the formatter's markup: a text card underlines its
    /// title and indents its lists, Markdown uses `#` and `-`, and only
    /// an ANSI formatter makes headings bold.
    #[test]
    fn a_card_is_written_in_the_formatters_markup() {
        let mut d = Document::new(crate::model::SourceFormat::Text);
        d.meta.title = Some("Rule".into());
        d.warnings.push("odd".into());
        assert_eq!(
            card_string(&d, Output::Plain),
            "Rule\n====\nDocument\n\nKey dates\n  none stated\n\nParser notes\n  odd\n"
        );
        assert_eq!(
            card_string(&d, Output::Markdown),
            "\n# Rule\n\nDocument\n\n## Key dates\n\n- none stated\n\n## Parser notes\n\n- odd\n"
        );
        let ansi = card_string(&d, Output::Ansi);
        assert!(
            ansi.starts_with("\u{1b}[1mRule\u{1b}[0m\n====\n")
                && ansi.contains("\n\u{1b}[1mKey dates\u{1b}[0m\n"),
            "{ansi}"
        );
    }
}
