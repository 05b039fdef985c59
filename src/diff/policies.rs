//! License review policies: how license applications will be reviewed.
//!
//! The EAR states a review policy in a handful of fixed phrases: "reviewed
//! on a case-by-case basis", "with a presumption of denial", "a policy of
//! denial", "a presumption of approval", "a general policy of approval"
//! (§ 744.21(e), part 742, the Entity List's "License review policy"
//! column). [`policies`] reads them from a provision's text; [`compare`]
//! raises `review_policy_changed` for a provision matched across versions
//! whose set of stated policies changed. A sentence reworded around the
//! same policy raises nothing, and neither does a phrase outside a sentence
//! about review, licenses or applications ("costs determined on a
//! case-by-case basis"). The Entity List's rows are left to
//! `entity_modified` (field `review_policy`), never flagged twice.

use serde::{Deserialize, Serialize};

use super::ear_tables::ENTITY_LIST;
use super::{Change, ChangeKind, Evidence, Finding, Flag};
use crate::parse::text::sentences;

/// A license review policy, normalised from the EAR's wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewPolicy {
    /// "on a case-by-case basis", "case-by-case review".
    CaseByCase,
    /// "a presumption of denial".
    PresumptionOfDenial,
    /// "a presumption of approval".
    PresumptionOfApproval,
    /// "a policy of denial", "a general policy of denial", "will generally
    /// be denied".
    PolicyOfDenial,
    /// "a general policy of approval", "a policy of approval", "will
    /// generally be approved".
    GeneralPolicyOfApproval,
}

/// The phrases, lower-case, and the policy each states.
const PHRASES: &[(&str, ReviewPolicy)] = &[
    ("case-by-case", ReviewPolicy::CaseByCase),
    ("case by case", ReviewPolicy::CaseByCase),
    ("presumption of denial", ReviewPolicy::PresumptionOfDenial),
    (
        "presumption of approval",
        ReviewPolicy::PresumptionOfApproval,
    ),
    ("policy of denial", ReviewPolicy::PolicyOfDenial),
    ("policy of approval", ReviewPolicy::GeneralPolicyOfApproval),
    // Part 742's other wording of the same two policies.
    (
        "will generally be approved",
        ReviewPolicy::GeneralPolicyOfApproval,
    ),
    ("will generally be denied", ReviewPolicy::PolicyOfDenial),
];

/// Words that make a sentence one about reviewing license applications.
const CONTEXT: &[&str] = &["review", "licens", "application"];

/// The policies a text states, each once, in the order first stated, with
/// the sentences stating them.
pub fn policies(text: &str) -> (Vec<ReviewPolicy>, Vec<&str>) {
    let mut out: Vec<ReviewPolicy> = Vec::new();
    let mut evidence = Vec::new();
    for s in sentences(text) {
        let lower = s.to_lowercase();
        if !CONTEXT.iter().any(|w| lower.contains(w)) {
            continue;
        }
        let mut here: Vec<(usize, ReviewPolicy)> = PHRASES
            .iter()
            .filter_map(|(p, policy)| lower.find(p).map(|at| (at, *policy)))
            .collect();
        if here.is_empty() {
            continue;
        }
        evidence.push(s);
        here.sort_by_key(|(at, _)| *at);
        for (_, p) in here {
            if !out.contains(&p) {
                out.push(p);
            }
        }
    }
    (out, evidence)
}

/// `review_policy_changed` for each provision of `changes` (the provision
/// pass's output for one document) that was kept (modified, moved or
/// renumbered), states a policy on both sides, and states a different set
/// of policies now. The Entity List's supplement is left to its rows.
pub fn compare(changes: &[Change], label: Option<&str>) -> Vec<Flag> {
    let mut out = Vec::new();
    for c in changes {
        let kept = matches!(
            c.kind,
            ChangeKind::Modified | ChangeKind::Moved | ChangeKind::Renumbered
        );
        let (Some(before), Some(after)) = (&c.before, &c.after) else {
            continue;
        };
        if !kept || c.provision == ENTITY_LIST {
            continue;
        }
        let (old, old_evidence) = policies(before);
        let (new, new_evidence) = policies(after);
        let same = old.len() == new.len() && old.iter().all(|p| new.contains(p));
        if old.is_empty() || new.is_empty() || same {
            continue;
        }
        out.push(Flag::new(
            Finding::ReviewPolicyChanged {
                provision: c.provision.clone(),
                before: old,
                after: new,
                evidence: Evidence {
                    before: Some(old_evidence.join(" ")),
                    after: Some(new_evidence.join(" ")),
                },
            },
            label,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::ReviewPolicy::*;
    use super::*;

    /// § 744.21(e)(1) before 2020 (reconstructed, tests/fixtures/precision)
    /// and as of 2026-09-01 (eCFR, verbatim).
    const E1_2017: &str = "(e) License review standards. (1) Applications to export, reexport, or transfer (in-country) items described in paragraph (a) of this section will be reviewed on a case-by-case basis to determine whether the export, reexport, or transfer (in-country) would make a material contribution to the military capabilities of the People's Republic of China, Russia, or Venezuela and would result in advancing the country's military activities contrary to the national security interests of the United States.";
    const E1_2026: &str = "(e) License review standards. (1) Applications to export, reexport, or transfer (in-country) items described in paragraph (a)(1) of this section will be reviewed with a presumption of denial. Applications to export, reexport, or transfer (in-country) items described in paragraph (a)(2) of this section will be reviewed with a policy of denial except for food and medicine designated as EAR99, which will be reviewed under a case-by-case review policy, unless otherwise stated in the license review policy column on the Entity List (supplement no. 4 to this part).";

    #[test]
    fn real_wording_is_normalised() {
        assert_eq!(policies(E1_2017).0, [CaseByCase]);
        assert_eq!(
            policies(E1_2026).0,
            [PresumptionOfDenial, PolicyOfDenial, CaseByCase]
        );
        // Entity List "License review policy" cells (eCFR 2026-09-01).
        for (cell, want) in [
            ("Presumption of denial.", vec![PresumptionOfDenial]),
            (
                "Case-by-case review for ECCNs 1A004.c, 1A004.d, 1A995; presumption of denial for all other items subject to the EAR.",
                vec![CaseByCase, PresumptionOfDenial],
            ),
            (
                "Policy of denial for all items subject to the EAR. See § 746.8(b).",
                vec![PolicyOfDenial],
            ),
        ] {
            // A cell alone names no review; in a review sentence it does.
            assert_eq!(
                policies(&format!("License review policy: {cell}")).0,
                want,
                "{cell}"
            );
        }
        assert_eq!(
            policies("Applications will be reviewed under a general policy of approval.").0,
            [GeneralPolicyOfApproval]
        );
        assert_eq!(
            policies("Applications will be reviewed with a presumption of approval.").0,
            [PresumptionOfApproval]
        );
        // Part 742's wording of the same policies.
        assert_eq!(
            policies("Applications for these items will generally be approved.").0,
            [GeneralPolicyOfApproval]
        );
        assert_eq!(
            policies("Such license applications will generally be denied.").0,
            [PolicyOfDenial]
        );
        // An abbreviation does not end the sentence that names the review.
        assert_eq!(
            policies(
                "License applications will be reviewed by the U.S. Government with a presumption of denial."
            )
            .0,
            [PresumptionOfDenial]
        );
        assert_eq!(
            policies(
                "Items listed in supplement no. 4 to this part: license applications are reviewed with a policy of denial."
            )
            .0,
            [PolicyOfDenial]
        );
    }

    #[test]
    fn a_phrase_outside_a_review_sentence_is_no_policy() {
        // Real 29 CFR / 1 CFR wording (corpus, ECFR-title1).
        let (found, evidence) = policies(
            "For other forms of duplication, you will be charged actual cost as determined on a case-by-case basis. The Commission will notify requesters of the fees.",
        );
        assert!(found.is_empty(), "{found:?}");
        assert!(evidence.is_empty());
    }

    fn modified(before: &str, after: &str) -> Change {
        let mut c = Change::new(ChangeKind::Modified, "§ 744.21(e)(1)".into());
        c.before = Some(before.into());
        c.after = Some(after.into());
        c
    }

    #[test]
    fn a_changed_policy_is_flagged_with_both_sides() {
        let flags = compare(&[modified(E1_2017, E1_2026)], None);
        assert_eq!(flags.len(), 1, "{flags:#?}");
        let Finding::ReviewPolicyChanged {
            provision,
            before,
            after,
            evidence,
        } = &flags[0].finding
        else {
            panic!("{flags:#?}")
        };
        assert_eq!(provision, "§ 744.21(e)(1)");
        assert_eq!(before, &[CaseByCase]);
        assert_eq!(after, &[PresumptionOfDenial, PolicyOfDenial, CaseByCase]);
        assert!(
            evidence
                .before
                .as_deref()
                .is_some_and(|s| s.contains("material contribution")),
            "{evidence:?}"
        );
        assert!(
            evidence
                .after
                .as_deref()
                .is_some_and(|s| s.contains("presumption of denial")
                    && s.contains("policy of denial")
                    && s.ends_with("(supplement no. 4 to this part).")
                    && !s.contains("License review standards")),
            "{evidence:?}"
        );
        let json = serde_json::to_value(&flags[0]).unwrap_or_default();
        assert_eq!(json["kind"], "review_policy_changed");
        assert_eq!(json["before"], serde_json::json!(["case_by_case"]));
    }

    #[test]
    fn rewording_around_the_same_policy_and_the_entity_list_are_not_flagged() {
        let reworded = E1_2017.replace(
            "will be reviewed on a case-by-case basis to determine whether",
            "will be reviewed case-by-case to decide if",
        );
        assert_ne!(reworded, E1_2017);
        assert!(compare(&[modified(E1_2017, &reworded)], None).is_empty());
        // A policy first stated, or no longer stated, is a rewrite the
        // provision pass shows; not this flag.
        let silent = "Applications will be reviewed by BIS.";
        assert!(compare(&[modified(silent, E1_2026)], None).is_empty());
        // The Entity List's table is compared row by row elsewhere.
        let mut table = modified(
            "Huawei | For all items | Presumption of denial",
            "Huawei | For all items | Policy of denial for all items subject to the EAR",
        );
        table.provision = ENTITY_LIST.into();
        assert!(compare(&[table], None).is_empty());
        // An added provision is not a kept one.
        let mut added = modified(E1_2017, E1_2026);
        added.kind = ChangeKind::Added;
        assert!(compare(&[added], None).is_empty());
    }
}
