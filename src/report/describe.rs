//! Findings in words: the one place a [`Finding`] becomes a sentence.
//!
//! The terminal, Markdown and HTML diffs, the summary (email, Markdown,
//! JSON, webhook), `changes` and the JSON `message` all call [`finding`]
//! or [`headline`], so a finding reads the same everywhere. The diff stage
//! produces data only.

use crate::diff::words::shorten;
use crate::diff::{
    DateFinding, DocumentFinding, EccnField, Finding, Flag, FlagKind, OtherDocumentDate,
    ReviewPolicy,
};
use crate::model::{DateKind, DocKind};

/// The finding in one sentence, without the contained document it is in
/// (renderers that show `document` apart use this).
pub fn finding(f: &Finding) -> String {
    match f {
        Finding::DocumentAdded(d) => document_added(d),
        Finding::DocumentRemoved(d) => format!("No longer listed: {}", document_name(d)),
        Finding::LicenseExceptionAdded(x) => match (&x.eccn, &x.line) {
            (Some(eccn), Some(line)) => format!(
                "ECCN {eccn}: License Exception {} line added ({})",
                x.exception,
                shorten(line, 80)
            ),
            (Some(eccn), None) => {
                format!("ECCN {eccn}: License Exception {} line added", x.exception)
            }
            (None, _) => format!("License Exception {} added ({})", x.exception, x.provision),
        },
        Finding::LicenseExceptionRemoved(x) => match &x.eccn {
            Some(eccn) => format!(
                "ECCN {eccn}: License Exception {} line removed",
                x.exception
            ),
            None => format!(
                "License Exception {} removed ({})",
                x.exception, x.provision
            ),
        },
        Finding::CountryAdded(c) => format!("{} added to {}", country(c), c.list),
        Finding::CountryRemoved(c) => format!("{} removed from {}", country(c), c.list),
        Finding::CountryChartChanged {
            label,
            column,
            before,
            after,
            ..
        } => format!(
            "Commerce Country Chart: {label}, {column} changed from {} to {}",
            cell(before),
            cell(after)
        ),
        Finding::EntityAdded(e) => format!(
            "Entity List: {} ({}) added{}",
            e.name,
            e.country_name,
            citation(e)
        ),
        Finding::EntityRemoved(e) => {
            format!("Entity List: {} ({}) removed", e.name, e.country_name)
        }
        Finding::EntityModified {
            entity: e, field, ..
        } => format!(
            "Entity List: {} ({}): {} changed{}",
            e.name,
            e.country_name,
            field.as_str().replace('_', " "),
            citation(e)
        ),
        Finding::EccnAdded(e) => format!("ECCN {} added ({})", e.eccn, ccl(&e.within)),
        Finding::EccnRemoved(e) => format!("ECCN {} removed ({})", e.eccn, ccl(&e.within)),
        Finding::EccnModified {
            eccn,
            field,
            exception,
            added,
            removed,
            reworded,
            before,
            after,
            ..
        } => match field {
            EccnField::Heading => format!("ECCN {eccn}: heading changed"),
            EccnField::ReasonsForControl => {
                let mut what = Vec::new();
                if !added.is_empty() {
                    what.push(format!("{} added", added.join(", ")));
                }
                if !removed.is_empty() {
                    what.push(format!("{} removed", removed.join(", ")));
                }
                format!(
                    "ECCN {eccn}: reasons for control changed ({})",
                    what.join("; ")
                )
            }
            EccnField::LicenseExceptions => {
                let x = exception.as_deref().unwrap_or("?");
                let (before, after) = (
                    before.as_deref().unwrap_or(""),
                    after.as_deref().unwrap_or(""),
                );
                // A limiting line that arrived or went ("N/A", "may not be
                // used to ship …"): say which way, never "added".
                match (before.is_empty(), after.is_empty()) {
                    (true, false) => format!(
                        "ECCN {eccn}: License Exception {x} limited ({})",
                        shorten(after, 80)
                    ),
                    (false, true) => format!(
                        "ECCN {eccn}: License Exception {x} no longer limited (was: {})",
                        shorten(before, 80)
                    ),
                    _ => format!("ECCN {eccn}: License Exception {x} line changed"),
                }
            }
            EccnField::Items => {
                let what = gained_lost_changed(added, removed, reworded, "reworded", |names| {
                    let noun = if names.len() == 1 { "item" } else { "items" };
                    format!("{noun} {}", names.join(", "))
                });
                format!("ECCN {eccn}: {}", what.join("; "))
            }
            EccnField::LicenseRequirements => {
                let what = gained_lost_changed(added, removed, reworded, "changed", |rows| {
                    let noun = if rows.len() == 1 { "row" } else { "rows" };
                    let named: Vec<String> = rows.iter().map(|r| format!("“{r}”")).collect();
                    format!("license requirement {noun} {}", named.join(", "))
                });
                if what.is_empty() {
                    format!("ECCN {eccn}: license requirements changed")
                } else {
                    format!("ECCN {eccn}: {}", what.join("; "))
                }
            }
            EccnField::RelatedControls => format!("ECCN {eccn}: Related Controls changed"),
            EccnField::Notes => {
                let what =
                    gained_lost_changed(added, removed, reworded, "reworded", |n| n.join(", "));
                format!("ECCN {eccn}: notes changed ({})", what.join("; "))
            }
            EccnField::Text => format!("ECCN {eccn}: entry text changed"),
        },
        Finding::ListEntryAdded(l) => format!("ECCN {} added to {}", l.eccn, l.list),
        Finding::ListEntryRemoved(l) => format!("ECCN {} removed from {}", l.eccn, l.list),
        Finding::DateChanged {
            field,
            before,
            after,
            days,
            scope,
            ..
        } => format!(
            "{} moved from {before} to {after} ({})",
            date_subject(*field, scope.as_deref()),
            shift(*field, *days)
        ),
        Finding::DateAdded(d) => format!("{} set: {}", subject(d), d.date),
        Finding::DateRemoved(d) => {
            format!("{} no longer stated (was {})", subject(d), d.date)
        }
        Finding::EffectiveDateChanged(o) => other_date(DateKind::Effective, o),
        Finding::ComplianceDateChanged(o) => other_date(DateKind::Compliance, o),
        Finding::DefinedTermAdded {
            term,
            defined_in,
            provision,
            ..
        } => {
            format!("Defined term '{term}' introduced in {provision} (as defined in {defined_in})")
        }
        Finding::ReviewPolicyChanged {
            provision,
            before,
            after,
            ..
        } => format!(
            "License review policy changed in {provision}: {} → {}",
            policy_words(before),
            policy_words(after)
        ),
    }
}

/// Review policies in the EAR's words, in the order stated.
fn policy_words(policies: &[ReviewPolicy]) -> String {
    let words: Vec<&str> = policies
        .iter()
        .map(|p| match p {
            ReviewPolicy::CaseByCase => "case-by-case",
            ReviewPolicy::PresumptionOfDenial => "presumption of denial",
            ReviewPolicy::PresumptionOfApproval => "presumption of approval",
            ReviewPolicy::PolicyOfDenial => "policy of denial",
            ReviewPolicy::GeneralPolicyOfApproval => "general policy of approval",
        })
        .collect();
    words.join(", ")
}

/// "Effective date of 89 FR 72926 delayed from 2024-11-05 to 2025-01-06
/// (62 days later) by FR Doc. 2024-27001".
fn other_date(kind: DateKind, o: &OtherDocumentDate) -> String {
    let verb = if o.days >= 0 {
        "delayed"
    } else {
        "brought forward"
    };
    let n = o.days.unsigned_abs();
    let unit = if n == 1 { "day" } else { "days" };
    let side = if o.days >= 0 { "later" } else { "earlier" };
    let mut s = format!(
        "{} of {} {verb} from {} to {} ({n} {unit} {side})",
        capitalize(date_name(kind)),
        o.of_document,
        o.before,
        o.after
    );
    if let Some(by) = &o.by {
        s.push_str(&format!(" by {}", doc_ref(by)));
    }
    s
}

/// "FR Doc. 2024-19633" for a document number, else the name as given.
fn doc_ref(name: &str) -> String {
    let number = name.len() >= 7
        && name.contains('-')
        && name.chars().all(|c| c.is_ascii_digit() || c == '-');
    if number {
        format!("FR Doc. {name}")
    } else {
        name.to_string()
    }
}

/// The finding in one sentence, led by the contained document it concerns
/// when there is one (`2024-19633: Comment deadline moved …`), for the
/// one-line lists (summary, `changes`, the JSON `message`). A document
/// entering or leaving a collection, and one changing another rule's
/// date, names itself.
pub fn headline(f: &Flag) -> String {
    let sentence = finding(&f.finding);
    match (&f.document, &f.finding) {
        (
            _,
            Finding::DocumentAdded(_)
            | Finding::DocumentRemoved(_)
            | Finding::EffectiveDateChanged(_)
            | Finding::ComplianceDateChanged(_),
        )
        | (None, _) => sentence,
        (Some(d), _) => format!("{d}: {sentence}"),
    }
}

/// The finding in a few words, for a subject line and the summary's "Key
/// changes" block: "ECCN 3C909 added", "Korea, South added to IEC",
/// "comment deadline moved to 2024-12-05". Kinds with no shorter form use
/// [`finding`].
pub fn brief(f: &Flag) -> String {
    let short = brief_finding(&f.finding);
    match (&f.document, &f.finding) {
        (_, Finding::DocumentAdded(_) | Finding::DocumentRemoved(_)) | (None, _) => short,
        (Some(d), _) => format!("{d}: {short}"),
    }
}

fn brief_finding(f: &Finding) -> String {
    match f {
        Finding::CountryAdded(c) => format!("{} added to {}", place(c), short_list(&c.list)),
        Finding::CountryRemoved(c) => {
            format!("{} removed from {}", place(c), short_list(&c.list))
        }
        Finding::EccnAdded(e) => format!("ECCN {} added", e.eccn),
        Finding::EccnRemoved(e) => format!("ECCN {} removed", e.eccn),
        Finding::EntityAdded(e) => {
            format!("{} ({}) added to the Entity List", e.name, e.country_name)
        }
        Finding::EntityRemoved(e) => {
            format!(
                "{} ({}) removed from the Entity List",
                e.name, e.country_name
            )
        }
        Finding::ListEntryAdded(l) => format!("ECCN {} added to {}", l.eccn, short_list(&l.list)),
        Finding::ListEntryRemoved(l) => {
            format!("ECCN {} removed from {}", l.eccn, short_list(&l.list))
        }
        Finding::DateChanged {
            field,
            after,
            scope,
            ..
        } => {
            let what = match scope {
                Some(p) => format!("{} of {p}", date_name(*field)),
                None => date_name(*field).to_string(),
            };
            format!("{what} moved to {after}")
        }
        other => finding(other),
    }
}

/// A list's short name: a license exception's symbol ("IEC" for "License
/// Exception Implemented Export Controls (IEC) — Eligible destinations"),
/// else the name before its " — " qualifier.
fn short_list(list: &str) -> &str {
    let head = list.split(" — ").next().unwrap_or(list);
    if head.starts_with("License Exception")
        && let Some(open) = head.rfind('(')
        && let Some(sym) = head[open + 1..].strip_suffix(')')
        && !sym.is_empty()
    {
        return sym;
    }
    head
}

/// A flag kind in words ("Country added", "Date changed"), for the pages
/// a person reads; JSON keeps the code ([`FlagKind::as_str`]).
pub fn kind_words(k: FlagKind) -> &'static str {
    match k {
        FlagKind::DocumentAdded => "Document added",
        FlagKind::DocumentRemoved => "Document removed",
        FlagKind::LicenseExceptionAdded => "License exception added",
        FlagKind::LicenseExceptionRemoved => "License exception removed",
        FlagKind::CountryAdded => "Country added",
        FlagKind::CountryRemoved => "Country removed",
        FlagKind::CountryChartChanged => "Country Chart changed",
        FlagKind::EntityAdded => "Entity added",
        FlagKind::EntityRemoved => "Entity removed",
        FlagKind::EntityModified => "Entity changed",
        FlagKind::EccnAdded => "ECCN added",
        FlagKind::EccnRemoved => "ECCN removed",
        FlagKind::EccnModified => "ECCN changed",
        FlagKind::ListEntryAdded => "ECCN added to a list",
        FlagKind::ListEntryRemoved => "ECCN removed from a list",
        FlagKind::DateChanged => "Date changed",
        FlagKind::DateAdded => "Date added",
        FlagKind::DateRemoved => "Date removed",
        FlagKind::EffectiveDateChanged => "Effective date changed",
        FlagKind::ComplianceDateChanged => "Compliance date changed",
        FlagKind::ReviewPolicyChanged => "Review policy changed",
        FlagKind::DefinedTermAdded => "Defined term added",
    }
}

/// A flag's evidence, side by side, as a reader sees it: an API field
/// (`comments_close_on: 2024-12-05`) in words ("Federal Register: comments
/// close 2024-12-05"), a sentence in quotes.
pub fn evidence_sides(f: &Flag) -> Vec<(&'static str, String)> {
    let ev = f.evidence();
    [("before", &ev.before), ("after", &ev.after)]
        .into_iter()
        .filter_map(|(label, t)| {
            t.as_deref()
                .map(|t| (label, crate::deadlines::evidence_words(t, None)))
        })
        .collect()
}

/// A flag as JSON, with its `message` ([`headline`]) beside the data.
pub fn flag_json(f: &Flag) -> serde_json::Value {
    let mut v = serde_json::to_value(f).unwrap_or(serde_json::Value::Null);
    if let Some(o) = v.as_object_mut() {
        o.insert(
            "message".to_string(),
            serde_json::Value::String(headline(f)),
        );
    }
    v
}

fn document_added(d: &DocumentFinding) -> String {
    let mut s = match d.doc_type {
        Some(k) => format!("New {}: {}", doc_kind(k), document_name(d)),
        None => format!(
            "New item: {}",
            d.title.as_deref().unwrap_or("an untitled document")
        ),
    };
    if let Some(c) = &d.citation {
        s.push_str(&format!(", {c}"));
    }
    s
}

/// A short name for a document: "FR Doc. 2024-19633 (Commerce Control
/// List Additions …)".
fn document_name(d: &DocumentFinding) -> String {
    let title = d.title.as_deref().map(|t| shorten(t, 90));
    match (&d.number, title) {
        (Some(n), Some(t)) => format!("FR Doc. {n} ({t})"),
        (Some(n), None) => format!("FR Doc. {n}"),
        (None, Some(t)) => t,
        (None, None) => "an untitled document".to_string(),
    }
}

fn doc_kind(k: DocKind) -> &'static str {
    match k {
        DocKind::Rule => "rule",
        DocKind::ProposedRule => "proposed rule",
        DocKind::Notice => "notice",
        DocKind::PresidentialDocument => "presidential document",
        DocKind::Regulation => "regulation",
        DocKind::Collection => "collection",
        DocKind::Report => "report",
        DocKind::Unknown => "document",
    }
}

/// How a country finding names its place: a region by its name in the
/// EAR's words, whatever form the list used ("… (LNR) regions of
/// Ukraine" shared with another region); a country as the list writes it.
fn place(c: &crate::diff::CountryFinding) -> &str {
    c.region
        .as_deref()
        .and_then(crate::model::countries::name_of)
        .unwrap_or(&c.label)
}

fn country(c: &crate::diff::CountryFinding) -> String {
    if let Some(id) = &c.region {
        return format!("{} ({id})", place(c));
    }
    if c.label != c.country {
        format!("{} ({})", c.label, c.country)
    } else {
        c.country.clone()
    }
}

fn cell(v: &str) -> &str {
    if v.is_empty() { "blank" } else { v }
}

fn citation(e: &crate::diff::EntityFinding) -> String {
    e.citation
        .as_ref()
        .map(|c| format!(" ({c})"))
        .unwrap_or_default()
}

fn ccl(within: &Option<String>) -> &str {
    within.as_deref().unwrap_or("Commerce Control List")
}

/// How a date kind reads in a sentence.
fn date_name(kind: DateKind) -> &'static str {
    match kind {
        DateKind::Effective => "effective date",
        DateKind::Compliance => "compliance date",
        DateKind::CommentsOpen => "comment period opening",
        DateKind::CommentsClose => "comment deadline",
        DateKind::Published => "publication date",
        DateKind::AsOf => "as-of date",
        DateKind::Other => "date",
    }
}

fn subject(d: &DateFinding) -> String {
    date_subject(d.field, d.scope.as_deref())
}

/// "Comment deadline", "Effective date of § 1.16(t)".
fn date_subject(kind: DateKind, scope: Option<&str>) -> String {
    let s = match scope {
        Some(p) => format!("{} of {p}", date_name(kind)),
        None => date_name(kind).to_string(),
    };
    capitalize(&s)
}

/// "extended by 30 days", "delayed by 1 day", "brought forward by 14 days".
fn shift(kind: DateKind, days: i64) -> String {
    let n = days.unsigned_abs();
    let unit = if n == 1 { "day" } else { "days" };
    let verb = match (kind, days > 0) {
        (DateKind::CommentsClose, true) => "extended",
        (DateKind::CommentsClose, false) => "shortened",
        (_, true) => "delayed",
        (_, false) => "brought forward",
    };
    format!("{verb} by {n} {unit}")
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| {
        f.to_uppercase().collect::<String>() + c.as_str()
    })
}

/// "NAMES added", "NAMES removed", "NAMES VERB" for the non-empty groups,
/// each group named by `name`.
fn gained_lost_changed(
    added: &[String],
    removed: &[String],
    changed: &[String],
    changed_verb: &str,
    name: impl Fn(&[String]) -> String,
) -> Vec<String> {
    [
        (added, "added"),
        (removed, "removed"),
        (changed, changed_verb),
    ]
    .into_iter()
    .filter(|(group, _)| !group.is_empty())
    .map(|(group, verb)| format!("{} {verb}", name(group)))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind in words, one per line (`headline`, then the JSON
    /// `message`): a wording change is a reviewed snapshot diff.
    #[test]
    fn every_kind_in_words() {
        let lines: Vec<String> = crate::diff::tests::every_kind()
            .iter()
            .map(|f| format!("{:<26} {}", f.kind().as_str(), headline(f)))
            .collect();
        insta::assert_snapshot!(lines.join("\n"));
    }

    /// Subject lines and the key-changes block use the short form.
    #[test]
    fn brief_names_the_change_in_few_words() {
        let lines: Vec<String> = crate::diff::tests::every_kind()
            .iter()
            .map(|f| brief_finding(&f.finding))
            .collect();
        assert!(lines.iter().any(|l| l == "ECCN 3C909 added"), "{lines:#?}");
        assert!(
            lines.iter().any(|l| l == "Korea, South added to IEC"),
            "{lines:#?}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l == "comment deadline moved to 2024-11-20"),
            "{lines:#?}"
        );
        assert_eq!(
            short_list(
                "License Exception Implemented Export Controls (IEC) — Eligible destinations"
            ),
            "IEC"
        );
        assert_eq!(
            short_list("Country Group A:5 — members"),
            "Country Group A:5"
        );
    }

    /// Pages people read say a kind in words, never its JSON code.
    #[test]
    fn kinds_in_words_are_not_codes() {
        for f in crate::diff::tests::every_kind() {
            let w = kind_words(f.kind());
            assert!(!w.contains('_'), "{w}");
            assert_ne!(w, f.kind().as_str());
        }
    }

    /// A region is named in the EAR's words with its id, however the list
    /// wrote it ("… (LNR) regions of Ukraine" shares its words with DNR).
    #[test]
    fn a_region_reads_as_the_region_of_its_country() {
        let f = Flag::from(Finding::CountryAdded(crate::diff::CountryFinding {
            country: "UA".into(),
            region: Some("UA-LNR".into()),
            label: "Luhansk People's Republic (LNR) regions of Ukraine".into(),
            list: "Restrictions on all License Exceptions (§ 740.2(a)(6)) — sanctioned destination"
                .into(),
            provision: "§ 740.2(a)(6)".into(),
            evidence: crate::diff::Evidence::default(),
        }));
        assert_eq!(
            headline(&f),
            "so-called Luhansk People's Republic (LNR) region of Ukraine (UA-LNR) added to Restrictions on all License Exceptions (§ 740.2(a)(6)) — sanctioned destination"
        );
        assert_eq!(
            brief(&f),
            "so-called Luhansk People's Republic (LNR) region of Ukraine added to Restrictions on all License Exceptions (§ 740.2(a)(6))"
        );
    }

    #[test]
    fn json_message_is_the_headline() {
        for f in crate::diff::tests::every_kind() {
            assert_eq!(flag_json(&f)["message"], headline(&f));
        }
    }
}
