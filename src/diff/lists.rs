//! Named lists: who entered and who left.
//!
//! A list's identity is its provision, its name and the words that
//! introduce it (the parser names lists that way, never by position).
//! Lists are matched by provision and name, then by name alone (the
//! provision was redesignated), then, among the lists of one provision and
//! kind, by the most members in common (the heading the name comes from
//! was reworded), then by provision and kind when that is unambiguous on
//! both sides. A country joining `License Exception IEC — Eligible
//! destinations` or `Country Group D:5` is the kind of news users pay for;
//! a country moving columns of the Country Groups table shows as one exit
//! and one entry.

use std::collections::HashSet;

use super::{CountryFinding, Diff, Evidence, Finding, Flag, ListEntryFinding};
use crate::model::{Document, ListKind, ListMember, NamedList};

/// Compares the named lists of two documents.
/// `moves` are the provisions the structural pass found redesignated
/// (old id, new id): a list follows its provision.
pub fn compare(
    before: &Document,
    after: &Document,
    moves: &[(String, String)],
    label: Option<&str>,
    diff: &mut Diff,
) {
    let pairs = match_lists(&before.lists, &after.lists, moves);
    // A list rewritten into others of the same section ("(a) … in China,
    // Russia, or Venezuela" split into (a)(1) and (a)(2)): members that
    // went from a vanished list to a new one neither left nor joined.
    let vanished = loose_members(pairs.iter().filter(|p| p.1.is_none()).filter_map(|p| p.0));
    let appeared = loose_members(pairs.iter().filter(|p| p.0.is_none()).filter_map(|p| p.1));
    for (b, a) in pairs {
        match (b, a) {
            // An ECCN list inside a provision that is itself new (a new CCL
            // entry's "items controlled by 4A906.b, …") is part of that
            // addition, not news of its own. Country lists always count:
            // "who became eligible" matters even in a new section.
            (None, Some(a)) => {
                let mut a = a.clone();
                // A list that grew out of names the provision already made
                // ("ECCNs 3A090, 4A090, or …" gaining 4E091 becomes a list
                // of three): those names did not join.
                let named_before = |id: &str| {
                    before
                        .entities
                        .iter()
                        .any(|e| e.id == id && e.provisions.contains(&a.provision))
                };
                a.members.retain(|m| {
                    !vanished.contains(&(section(&a.provision), a.kind, m.id.as_str()))
                        && !named_before(&m.id)
                });
                if a.kind == ListKind::Eccns && before.provision(&a.provision).is_none() {
                    continue;
                }
                members(None, &a, label, diff);
            }
            (Some(b), None) => {
                let mut b = b.clone();
                b.members.retain(|m| {
                    !appeared.contains(&(section(&b.provision), b.kind, m.id.as_str()))
                });
                if b.kind == ListKind::Eccns && after.provision(&b.provision).is_none() {
                    continue;
                }
                gone(&b, after, label, diff);
            }
            (Some(b), Some(a)) => members(Some(b), a, label, diff),
            (None, None) => {}
        }
    }
}

/// `§ 744.21(a)(1)` → `§ 744.21`; a supplement is its own section.
fn section(provision: &str) -> &str {
    provision.split('(').next().unwrap_or(provision).trim_end()
}

/// (section, kind, member) of every member of some lists.
fn loose_members<'a>(
    lists: impl Iterator<Item = &'a NamedList>,
) -> HashSet<(&'a str, ListKind, &'a str)> {
    lists
        .flat_map(|l| {
            l.members
                .iter()
                .map(move |m| (section(&l.provision), l.kind, m.id.as_str()))
        })
        .collect()
}

/// A list that is gone: its members left, except those the provision
/// still names.
fn gone(b: &NamedList, after: &Document, label: Option<&str>, diff: &mut Diff) {
    // The parser only makes a list of two or more members, so a list that
    // shrank to one is gone; members the provision still names have not
    // left.
    let still_named = |id: &str| {
        after
            .entities
            .iter()
            .any(|e| e.id == id && e.provisions.contains(&b.provision))
    };
    for m in b.members.iter().filter(|m| !still_named(&m.id)) {
        diff.flags.extend(flag(false, m, Some(b), None, label));
    }
}

/// Pairs lists across versions; unmatched ones pair with `None`.
fn match_lists<'a>(
    before: &'a [NamedList],
    after: &'a [NamedList],
    moves: &[(String, String)],
) -> Vec<(Option<&'a NamedList>, Option<&'a NamedList>)> {
    // Where a list's provision went, and its name with the citation updated.
    let moved = |l: &NamedList| -> (String, String) {
        match moves.iter().find(|(old, _)| *old == l.provision) {
            Some((old, new)) => (new.clone(), l.name.replace(old.as_str(), new)),
            None => (l.provision.clone(), l.name.clone()),
        }
    };
    let mut used = vec![false; before.len()];
    let mut out = Vec::new();
    let find = |used: &[bool], pred: &dyn Fn(&NamedList) -> bool| -> Option<usize> {
        let hits: Vec<usize> = (0..before.len())
            .filter(|&i| !used[i] && pred(&before[i]))
            .collect();
        (hits.len() == 1).then(|| hits[0])
    };
    let mut pending: Vec<&NamedList> = Vec::new();
    for a in after {
        let hit = find(&used, &|b| b.provision == a.provision && b.name == a.name)
            .or_else(|| find(&used, &|b| b.name == a.name))
            .or_else(|| {
                find(&used, &|b| {
                    moved(b) == (a.provision.clone(), a.name.clone())
                })
            });
        match hit {
            Some(i) => {
                used[i] = true;
                out.push((Some(&before[i]), Some(a)));
            }
            None => pending.push(a),
        }
    }
    // Then by members: of the unmatched lists of the same provision and
    // kind, the one sharing most members (a reworded heading renames every
    // list of a section at once).
    let mut rest = Vec::new();
    for a in pending {
        let ids: HashSet<&str> = a.members.iter().map(|m| m.id.as_str()).collect();
        let best = (0..before.len())
            .filter(|&i| !used[i] && moved(&before[i]).0 == a.provision && before[i].kind == a.kind)
            .map(|i| {
                let shared = before[i]
                    .members
                    .iter()
                    .filter(|m| ids.contains(m.id.as_str()))
                    .count();
                (shared, i)
            })
            .filter(|(shared, _)| *shared > 0)
            .max_by_key(|(shared, i)| (*shared, std::cmp::Reverse(*i)));
        match best {
            Some((_, i)) => {
                used[i] = true;
                out.push((Some(&before[i]), Some(a)));
            }
            None => rest.push(a),
        }
    }
    for a in rest {
        let same_place = |l: &NamedList| l.provision == a.provision && l.kind == a.kind;
        let unique_after = after.iter().filter(|l| same_place(l)).count() == 1;
        let hit = find(&used, &|b| moved(b).0 == a.provision && b.kind == a.kind)
            .filter(|_| unique_after);
        match hit {
            Some(i) => {
                used[i] = true;
                out.push((Some(&before[i]), Some(a)));
            }
            None => out.push((None, Some(a))),
        }
    }
    for (i, b) in before.iter().enumerate() {
        if !used[i] {
            out.push((Some(b), None));
        }
    }
    out
}

fn members(before: Option<&NamedList>, after: &NamedList, label: Option<&str>, diff: &mut Diff) {
    let old: HashSet<&str> = before
        .map(|b| b.members.iter().map(|m| m.id.as_str()).collect())
        .unwrap_or_default();
    let new: HashSet<&str> = after.members.iter().map(|m| m.id.as_str()).collect();
    for m in &after.members {
        if !old.contains(m.id.as_str()) {
            diff.flags.extend(flag(true, m, before, Some(after), label));
        }
    }
    if let Some(b) = before {
        for m in &b.members {
            if !new.contains(m.id.as_str()) {
                diff.flags
                    .extend(flag(false, m, Some(b), Some(after), label));
            }
        }
    }
}

/// One member entering (`added`) or leaving a list; `before` and `after`
/// are the list's two versions (one may be missing) and give the evidence.
fn flag(
    added: bool,
    m: &ListMember,
    before: Option<&NamedList>,
    after: Option<&NamedList>,
    label: Option<&str>,
) -> Option<Flag> {
    // The list as it stands now names the flag; a list that is gone, as it was.
    let list = after.or(before)?;
    let mut evidence = Evidence {
        before: before.map(|l| l.evidence.clone()),
        after: after.map(|l| l.evidence.clone()),
    };
    if evidence.before == evidence.after {
        // A table column's evidence is its heading, the same on both
        // sides: show the members instead.
        let roll = |l: &NamedList| {
            let names: Vec<&str> = l.members.iter().map(|m| m.label.as_str()).collect();
            format!("{}: {}", l.name, names.join(", "))
        };
        evidence.before = before.map(roll);
        evidence.after = after.map(roll);
    }
    let (name, provision) = (list.name.clone(), list.provision.clone());
    let finding = match list.kind {
        ListKind::Countries => {
            // A region is its own member; the finding names its country
            // too, so whoever watches Ukraine hears of its regions.
            let (country, region) = match crate::model::countries::region(&m.id) {
                Some(r) => (r.parent.to_string(), Some(m.id.clone())),
                None => (m.id.clone(), None),
            };
            let c = CountryFinding {
                country,
                region,
                label: m.label.clone(),
                list: name,
                provision,
                evidence,
            };
            if added {
                Finding::CountryAdded(c)
            } else {
                Finding::CountryRemoved(c)
            }
        }
        ListKind::Eccns => {
            let l = ListEntryFinding {
                eccn: m.id.clone(),
                list: name,
                provision,
                evidence,
            };
            if added {
                Finding::ListEntryAdded(l)
            } else {
                Finding::ListEntryRemoved(l)
            }
        }
    };
    Some(Flag::new(finding, label))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::FlagKind;
    use crate::model::SourceFormat;

    fn list(name: &str, provision: &str, ids: &[(&str, &str)]) -> NamedList {
        NamedList {
            name: name.into(),
            kind: ListKind::Countries,
            provision: provision.into(),
            evidence: format!(
                "Eligible destinations: {}.",
                ids.iter().map(|(_, l)| *l).collect::<Vec<_>>().join(", ")
            ),
            members: ids
                .iter()
                .map(|(id, label)| ListMember {
                    id: (*id).into(),
                    label: (*label).into(),
                })
                .collect(),
        }
    }

    fn doc(lists: Vec<NamedList>) -> Document {
        let mut d = Document::new(SourceFormat::EcfrXml);
        d.lists = lists;
        d
    }

    const IEC: &str = "License Exception IEC — Eligible destinations (§ 740.24(b))";

    #[test]
    fn country_joins_and_leaves() {
        let before = doc(vec![list(
            IEC,
            "§ 740.24(b)",
            &[("AU", "Australia"), ("JP", "Japan")],
        )]);
        let after = doc(vec![list(
            IEC,
            "§ 740.24(b)",
            &[("AU", "Australia"), ("KR", "Korea, South")],
        )]);
        let mut d = Diff::default();
        compare(&before, &after, &[], None, &mut d);
        assert_eq!(d.flags.len(), 2);
        let Finding::CountryAdded(added) = &d.flags[0].finding else {
            panic!("{:#?}", d.flags[0]);
        };
        assert_eq!(added.country, "KR");
        assert_eq!(added.label, "Korea, South");
        assert_eq!(added.list, IEC);
        assert_eq!(added.provision, "§ 740.24(b)");
        assert!(
            added
                .evidence
                .after
                .as_deref()
                .unwrap_or("")
                .contains("Korea, South")
        );
        assert!(
            added
                .evidence
                .before
                .as_deref()
                .unwrap_or("")
                .contains("Japan")
        );
        let removed = &d.flags[1];
        assert_eq!(removed.kind(), FlagKind::CountryRemoved);
        assert_eq!(removed.finding.country(), Some("JP"));
    }

    #[test]
    fn a_region_joins_as_itself_and_names_its_country() {
        let name =
            "Restrictions on all License Exceptions (§ 740.2(a)(6)) — sanctioned destination";
        let before = doc(vec![list(
            name,
            "§ 740.2(a)(6)",
            &[("CU", "Cuba"), ("UA-CRIMEA", "Crimea region of Ukraine")],
        )]);
        let after = doc(vec![list(
            name,
            "§ 740.2(a)(6)",
            &[
                ("CU", "Cuba"),
                ("UA-CRIMEA", "Crimea region of Ukraine"),
                ("UA-DNR", "so-called Donetsk People's Republic (DNR)"),
            ],
        )]);
        let mut d = Diff::default();
        compare(&before, &after, &[], None, &mut d);
        assert_eq!(d.flags.len(), 1, "{:#?}", d.flags);
        let Finding::CountryAdded(c) = &d.flags[0].finding else {
            panic!("{:#?}", d.flags[0]);
        };
        assert_eq!(c.country, "UA");
        assert_eq!(c.region.as_deref(), Some("UA-DNR"));
        let json = serde_json::to_value(&d.flags[0]).unwrap_or_default();
        assert_eq!(json["country"], "UA");
        assert_eq!(json["region"], "UA-DNR");
        // Leaving works the same way; a whole country has no `region`.
        let mut d = Diff::default();
        compare(&after, &before, &[], None, &mut d);
        let gone = serde_json::to_value(&d.flags[0]).unwrap_or_default();
        assert_eq!(gone["kind"], "country_removed");
        assert_eq!(gone["region"], "UA-DNR");
        let with_iran = doc(vec![list(
            name,
            "§ 740.2(a)(6)",
            &[
                ("CU", "Cuba"),
                ("UA-CRIMEA", "Crimea region of Ukraine"),
                ("IR", "Iran"),
            ],
        )]);
        let mut d = Diff::default();
        compare(&before, &with_iran, &[], None, &mut d);
        let whole = serde_json::to_value(&d.flags[0]).unwrap_or_default();
        assert_eq!(whole["country"], "IR");
        assert!(whole.get("region").is_none(), "{whole}");
    }

    #[test]
    fn renamed_list_is_matched_by_its_provision() {
        let before = doc(vec![list(
            "Old heading",
            "§ 740.24(b)",
            &[("AU", "Australia")],
        )]);
        let after = doc(vec![list(
            "New heading",
            "§ 740.24(b)",
            &[("AU", "Australia"), ("CA", "Canada")],
        )]);
        let mut d = Diff::default();
        compare(&before, &after, &[], None, &mut d);
        assert_eq!(d.flags.len(), 1);
        assert_eq!(d.flags[0].finding.country(), Some("CA"));
    }

    #[test]
    fn list_follows_a_redesignated_provision() {
        let name = |p: &str| format!("License Exception IEC — Eligible destinations ({p})");
        let before = doc(vec![list(
            &name("§ 740.24(b)"),
            "§ 740.24(b)",
            &[("AU", "Australia")],
        )]);
        let after = doc(vec![list(
            &name("§ 740.25(b)"),
            "§ 740.25(b)",
            &[("AU", "Australia")],
        )]);
        let mut d = Diff::default();
        let moves = [("§ 740.24(b)".to_string(), "§ 740.25(b)".to_string())];
        compare(&before, &after, &moves, None, &mut d);
        assert!(d.flags.is_empty(), "{:#?}", d.flags);
    }

    fn flagged(d: &Diff) -> Vec<(FlagKind, &str, &str)> {
        d.flags
            .iter()
            .map(|f| {
                (
                    f.kind(),
                    f.finding.country().unwrap_or(""),
                    f.provision().unwrap_or(""),
                )
            })
            .collect()
    }

    #[test]
    fn reworded_heading_with_two_lists_in_a_provision_matches_by_members() {
        let p = "§ 744.21(b)";
        let before = doc(vec![
            list(
                "Military end uses in China, Russia, or Venezuela (§ 744.21(b)) — end use in",
                p,
                &[("CN", "China"), ("RU", "Russia"), ("VE", "Venezuela")],
            ),
            list(
                "Military end uses in China, Russia, or Venezuela (§ 744.21(b)) — except",
                p,
                &[("AU", "Australia"), ("JP", "Japan")],
            ),
        ]);
        let after = doc(vec![
            list(
                "Military end uses or end users (§ 744.21(b)) — end use in",
                p,
                &[
                    ("BY", "Belarus"),
                    ("CN", "China"),
                    ("RU", "Russia"),
                    ("VE", "Venezuela"),
                ],
            ),
            list(
                "Military end uses or end users (§ 744.21(b)) — except",
                p,
                &[("AU", "Australia"), ("JP", "Japan")],
            ),
        ]);
        let mut d = Diff::default();
        compare(&before, &after, &[], None, &mut d);
        assert_eq!(flagged(&d), [(FlagKind::CountryAdded, "BY", p)]);
    }

    #[test]
    fn list_split_into_new_paragraphs_flags_only_newcomers() {
        let before = doc(vec![list(
            "General prohibition (§ 744.21(a))",
            "§ 744.21(a)",
            &[("CN", "China"), ("RU", "Russia"), ("VE", "Venezuela")],
        )]);
        let after = doc(vec![
            list(
                "General prohibition (§ 744.21(a)(1))",
                "§ 744.21(a)(1)",
                &[("MM", "Burma"), ("CN", "China"), ("VE", "Venezuela")],
            ),
            list(
                "General prohibition (§ 744.21(a)(2))",
                "§ 744.21(a)(2)",
                &[("BY", "Belarus"), ("RU", "Russia")],
            ),
        ]);
        let mut d = Diff::default();
        compare(&before, &after, &[], None, &mut d);
        assert_eq!(
            flagged(&d),
            [
                (FlagKind::CountryAdded, "MM", "§ 744.21(a)(1)"),
                (FlagKind::CountryAdded, "BY", "§ 744.21(a)(2)"),
            ]
        );
    }

    #[test]
    fn list_grown_out_of_names_the_provision_made_flags_only_the_newcomer() {
        let p = "§ 740.2(a)(9)(ii)(A)";
        let mut before = doc(vec![]);
        before.provisions.push(crate::model::Provision::new(
            p,
            crate::model::ProvisionKind::Paragraph,
            None,
        ));
        for id in ["3A090", "4A090"] {
            before.entities.push(crate::model::Entity {
                kind: crate::model::EntityKind::Eccn,
                id: id.into(),
                name: None,
                provisions: vec![p.into()],
            });
        }
        let mut eccns = list(
            "ECCNs: Restrictions (§ 740.2(a)(9)(ii)(A))",
            p,
            &[("3A090", "3A090"), ("4A090", "4A090"), ("4E091", "4E091")],
        );
        eccns.kind = ListKind::Eccns;
        let after = doc(vec![eccns]);
        let mut d = Diff::default();
        compare(&before, &after, &[], None, &mut d);
        let got: Vec<(FlagKind, Option<&str>)> = d
            .flags
            .iter()
            .map(|f| (f.kind(), f.finding.eccn()))
            .collect();
        assert_eq!(
            got,
            [(FlagKind::ListEntryAdded, Some("4E091"))],
            "{:#?}",
            d.flags
        );
    }

    #[test]
    fn column_change_in_country_groups() {
        let s = "Supplement No. 1 to Part 740";
        let before = doc(vec![
            list("Country Group A:5", s, &[("AU", "Australia")]),
            list("Country Group A:6", s, &[("IN", "India")]),
        ]);
        let after = doc(vec![
            list(
                "Country Group A:5",
                s,
                &[("AU", "Australia"), ("IN", "India")],
            ),
            list("Country Group A:6", s, &[]),
        ]);
        let mut d = Diff::default();
        compare(&before, &after, &[], None, &mut d);
        let got: Vec<(FlagKind, &str)> = d
            .flags
            .iter()
            .map(|f| (f.kind(), f.finding.names()[0]))
            .collect();
        assert_eq!(
            got,
            [
                (FlagKind::CountryAdded, "Country Group A:5"),
                (FlagKind::CountryRemoved, "Country Group A:6")
            ]
        );
    }
}
