//! The Commerce Country Chart and the Entity List, compared as records.
//!
//! Pure functions over two [`CountryChart`]s or two entity lists return
//! typed [`Finding`]s; [`compare`] adds them to a diff as [`Flag`]s.
//!
//! - Chart rows are matched by ISO code (else by name as written); every
//!   cell whose X comes or goes is one `country_chart_changed`, and so is
//!   a changed row note ("See part 746 …", column `note`).
//! - Entities are matched by normalised name and country, then — among
//!   those left — by aliases within the same country (a renamed entry whose
//!   new or old name, or any alias, matches is a modification), then by
//!   order among duplicates. What is left is `entity_added` /
//!   `entity_removed`; a matched pair that differs gives one
//!   `entity_modified` per field. Each finding carries the latest Federal
//!   Register citation of the row as it now stands (none for a removal:
//!   the row is gone).

use std::collections::{HashMap, VecDeque};

use serde::{Deserialize, Serialize};

use super::{Diff, EntityFinding, Evidence, Finding, Flag};
use crate::model::{ChartRow, CountryChart, Document, EntityListEntry, FrCitation};

/// The chart's provision, for flags.
const CHART: &str = "Supplement No. 1 to Part 738";
/// The Entity List's provision, for flags.
pub(crate) const ENTITY_LIST: &str = "Supplement No. 4 to Part 744";

/// A field of an Entity List entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityField {
    /// The party's name.
    Name,
    /// Its aliases.
    Aliases,
    /// Its addresses.
    Addresses,
    /// The license requirement.
    LicenseRequirement,
    /// The license review policy.
    ReviewPolicy,
    /// The FR citations.
    Citations,
}

impl EntityField {
    /// Snake-case name, as in a flag's `field`.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityField::Name => "name",
            EntityField::Aliases => "aliases",
            EntityField::Addresses => "addresses",
            EntityField::LicenseRequirement => "license_requirement",
            EntityField::ReviewPolicy => "review_policy",
            EntityField::Citations => "citations",
        }
    }
}

/// Cell-by-cell differences of two charts.
pub fn chart_changes(before: &CountryChart, after: &CountryChart) -> Vec<Finding> {
    let key = |r: &ChartRow| r.iso.clone().unwrap_or_else(|| r.country.clone());
    let old: HashMap<String, &ChartRow> = before.rows.iter().map(|r| (key(r), r)).collect();
    let new: HashMap<String, &ChartRow> = after.rows.iter().map(|r| (key(r), r)).collect();
    let mut columns: Vec<&String> = after.columns.iter().collect();
    columns.extend(before.columns.iter().filter(|c| !after.columns.contains(c)));
    let mut out = Vec::new();
    let mut cells = |b: Option<&ChartRow>, a: Option<&ChartRow>| {
        let Some(row) = a.or(b) else { return };
        let mark = |r: Option<&ChartRow>, c: &String| {
            if r.is_some_and(|r| r.marks.contains(c)) {
                "X".to_string()
            } else {
                String::new()
            }
        };
        let note = |r: Option<&ChartRow>| r.and_then(|r| r.note.clone()).unwrap_or_default();
        let mut push = |column: &str, before: String, after: String| {
            if before != after {
                out.push(Finding::CountryChartChanged {
                    country: row.iso.clone(),
                    label: row.country.clone(),
                    column: column.to_string(),
                    before,
                    after,
                    provision: CHART.to_string(),
                });
            }
        };
        for c in &columns {
            push(c, mark(b, c), mark(a, c));
        }
        push("note", note(b), note(a));
    };
    for r in &after.rows {
        cells(old.get(&key(r)).copied(), Some(r));
    }
    for r in &before.rows {
        if !new.contains_key(&key(r)) {
            cells(Some(r), None);
        }
    }
    out
}

/// "Huawei Technologies Co., Ltd." → "huawei technologies co ltd".
fn normalise(name: &str) -> String {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

fn country_key(e: &EntityListEntry) -> String {
    e.iso.clone().unwrap_or_else(|| normalise(&e.country))
}

fn names(e: &EntityListEntry) -> Vec<String> {
    std::iter::once(&e.name)
        .chain(&e.aliases)
        .map(|n| normalise(n))
        .collect()
}

/// Pairs of (old index, new index) for the same party, and the rest.
fn match_entities(
    before: &[EntityListEntry],
    after: &[EntityListEntry],
) -> (Vec<(usize, usize)>, Vec<usize>, Vec<usize>) {
    let key = |e: &EntityListEntry| (country_key(e), normalise(&e.name));
    let mut by_key: HashMap<(String, String), VecDeque<usize>> = HashMap::new();
    for (i, e) in before.iter().enumerate() {
        by_key.entry(key(e)).or_default().push_back(i);
    }
    let mut pairs = Vec::new();
    let mut used = vec![false; before.len()];
    let mut left = Vec::new();
    for (j, e) in after.iter().enumerate() {
        match by_key.get_mut(&key(e)).and_then(VecDeque::pop_front) {
            Some(i) => {
                used[i] = true;
                pairs.push((i, j));
            }
            None => left.push(j),
        }
    }
    // Renamed entries: a name or alias in common, same country. The
    // index keeps this linear however many entries are left.
    let mut by_name: HashMap<(String, String), Vec<usize>> = HashMap::new();
    for (i, b) in before.iter().enumerate().filter(|(i, _)| !used[*i]) {
        let country = country_key(b);
        for n in names(b) {
            by_name.entry((country.clone(), n)).or_default().push(i);
        }
    }
    let mut added = Vec::new();
    for j in left {
        let a = &after[j];
        let country = country_key(a);
        let found = names(a).into_iter().find_map(|n| {
            by_name
                .get(&(country.clone(), n))
                .and_then(|is| is.iter().copied().find(|i| !used[*i]))
        });
        match found {
            Some(i) => {
                used[i] = true;
                pairs.push((i, j));
            }
            None => added.push(j),
        }
    }
    let removed = (0..before.len()).filter(|i| !used[*i]).collect();
    pairs.sort_by_key(|p| p.1);
    (pairs, removed, added)
}

fn latest(e: &EntityListEntry) -> Option<FrCitation> {
    e.citations.last().cloned()
}

fn joined(items: &[String]) -> String {
    items.join("; ")
}

/// Entry-by-entry differences of two entity lists.
pub fn entity_changes(before: &[EntityListEntry], after: &[EntityListEntry]) -> Vec<Finding> {
    let (pairs, removed, added) = match_entities(before, after);
    let mut out = Vec::new();
    for (i, j) in pairs {
        let (b, a) = (&before[i], &after[j]);
        let cites = |e: &EntityListEntry| {
            e.citations
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        };
        let fields = [
            (EntityField::Name, b.name.clone(), a.name.clone()),
            (EntityField::Aliases, joined(&b.aliases), joined(&a.aliases)),
            (
                EntityField::Addresses,
                joined(&b.addresses),
                joined(&a.addresses),
            ),
            (
                EntityField::LicenseRequirement,
                b.license_requirement.clone(),
                a.license_requirement.clone(),
            ),
            (
                EntityField::ReviewPolicy,
                b.review_policy.clone(),
                a.review_policy.clone(),
            ),
            (EntityField::Citations, cites(b), cites(a)),
        ];
        for (field, before, after) in fields {
            if before != after {
                out.push(Finding::EntityModified {
                    entity: entity(a, latest(a), None, Some(a)),
                    field,
                    before,
                    after,
                });
            }
        }
    }
    for j in added {
        let a = &after[j];
        out.push(Finding::EntityAdded(entity(a, latest(a), None, Some(a))));
    }
    for i in removed {
        let b = &before[i];
        out.push(Finding::EntityRemoved(entity(b, None, Some(b), None)));
    }
    out
}

/// The finding's view of a party: `e` (the row as it now stands, or the
/// removed one), its citation, and the rows each side says it in.
fn entity(
    e: &EntityListEntry,
    citation: Option<FrCitation>,
    before: Option<&EntityListEntry>,
    after: Option<&EntityListEntry>,
) -> EntityFinding {
    EntityFinding {
        name: e.name.clone(),
        country: e.iso.clone(),
        country_name: e.country.clone(),
        citation,
        provision: ENTITY_LIST.to_string(),
        evidence: Evidence {
            before: before.map(describe),
            after: after.map(describe),
        },
    }
}

/// Compares the two documents' Country Charts and Entity Lists and adds
/// the findings to `diff` as flags.
pub fn compare(before: &Document, after: &Document, label: Option<&str>, diff: &mut Diff) {
    if let (Some(b), Some(a)) = (&before.country_chart, &after.country_chart) {
        for f in chart_changes(b, a) {
            diff.flags.push(Flag::new(f, label));
        }
    }
    if !(before.entity_list.is_empty() && after.entity_list.is_empty()) {
        for f in entity_changes(&before.entity_list, &after.entity_list) {
            diff.flags.push(Flag::new(f, label));
        }
    }
}

/// One line for a row: name, aliases, addresses, requirement, policy, citations.
fn describe(e: &EntityListEntry) -> String {
    let mut s = e.name.clone();
    if !e.aliases.is_empty() {
        s.push_str(&format!(", a.k.a. {}", joined(&e.aliases)));
    }
    if !e.addresses.is_empty() {
        s.push_str(&format!(" — {}", joined(&e.addresses)));
    }
    let cites: Vec<String> = e.citations.iter().map(ToString::to_string).collect();
    format!(
        "{s} | {} | {} | {}",
        e.license_requirement,
        e.review_policy,
        cites.join("; ")
    )
}
