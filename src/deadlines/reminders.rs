//! Reminder policy: which reminders and "deadline moved" notices are due
//! for a list of deadlines, given what was sent before.
//!
//! Why here and not in the job or the report: the rule (one reminder per
//! offset, the nearest offset only, none again once a nearer one went out
//! for the same date, a notice when the date moved since it was announced)
//! is about deadlines, and is tested as such. The job supplies the ledger
//! read from the outbox; the report only renders what this returns.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Deadline;

/// Which reminder of a deadline's date a [`ReminderKey`] names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReminderSlot {
    /// The reminder sent this many days (or fewer) before the date.
    Days(u32),
    /// The notice that the deadline moved to this date.
    Moved,
}

/// The ledger key of one reminder: the deadline, its date and which
/// reminder. Written in outbox entries as `<uid>|<date>|<offset>` or
/// `<uid>|<date>|moved`, the form regwatch has always used, so entries
/// written by older versions are read and recognised as sent.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ReminderKey {
    /// The deadline's uid ([`Deadline::uid`]).
    pub uid: String,
    /// The date the reminder was about.
    pub date: NaiveDate,
    /// Which reminder.
    pub slot: ReminderSlot,
}

impl fmt::Display for ReminderKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.slot {
            ReminderSlot::Days(n) => write!(f, "{}|{}|{n}", self.uid, self.date),
            ReminderSlot::Moved => write!(f, "{}|{}|moved", self.uid, self.date),
        }
    }
}

/// Why a string is not a [`ReminderKey`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad reminder key `{key}`: {why} (form: UID|YYYY-MM-DD|DAYS or UID|YYYY-MM-DD|moved)")]
pub struct BadReminderKey {
    /// The string.
    pub key: String,
    /// What is wrong with it.
    pub why: &'static str,
}

impl FromStr for ReminderKey {
    type Err = BadReminderKey;

    fn from_str(s: &str) -> Result<ReminderKey, BadReminderKey> {
        let bad = |why| BadReminderKey {
            key: s.to_string(),
            why,
        };
        let mut parts = s.rsplitn(3, '|');
        let slot = parts.next().ok_or_else(|| bad("empty"))?;
        let date = parts.next().ok_or_else(|| bad("no date"))?;
        let uid = parts.next().ok_or_else(|| bad("no uid"))?;
        if uid.is_empty() {
            return Err(bad("no uid"));
        }
        let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| bad("not a date"))?;
        let slot = match slot {
            "moved" => ReminderSlot::Moved,
            n => ReminderSlot::Days(n.parse().map_err(|_| bad("not a day count or `moved`"))?),
        };
        Ok(ReminderKey {
            uid: uid.to_string(),
            date,
            slot,
        })
    }
}

impl TryFrom<String> for ReminderKey {
    type Error = BadReminderKey;

    fn try_from(s: String) -> Result<ReminderKey, BadReminderKey> {
        s.parse()
    }
}

impl From<ReminderKey> for String {
    fn from(k: ReminderKey) -> String {
        k.to_string()
    }
}

/// A reminder due now, or a deadline that moved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reminder {
    /// Ledger key: `<uid>|<date>|<offset>` or `<uid>|<date>|moved`.
    pub key: ReminderKey,
    /// Reminder or moved notice.
    pub kind: ReminderKind,
    /// The deadline as it stands now.
    pub deadline: Deadline,
    /// The reminder offset that fell due (days before).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u32>,
    /// For a moved deadline: the date announced before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<NaiveDate>,
}

/// Kinds of [`Reminder`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderKind {
    /// The deadline is `offset` days away or nearer.
    Reminder,
    /// The deadline's date changed since it was last announced.
    Moved,
}

/// What a recipient has been sent before, from its outbox entries.
#[derive(Debug, Clone, Default)]
pub struct Sent {
    /// The reminders sent.
    pub keys: BTreeSet<ReminderKey>,
    /// The date last announced for each deadline uid (in a summary's
    /// deadline list or a reminder).
    pub announced: BTreeMap<String, NaiveDate>,
}

/// The reminders and moved notices due for `deadlines` (already narrowed
/// to one recipient's feeds), with `offsets` in days before the date:
///
/// - a deadline whose date differs from the one last announced gets one
///   "moved" notice per new date;
/// - a deadline `d` days away gets one reminder for the nearest offset
///   `o >= d`, unless a reminder for the same date with an offset `<= o`
///   was sent already (a nearer one supersedes a farther one);
/// - past deadlines get nothing.
pub fn reminders(deadlines: &[Deadline], offsets: &[u32], sent: &Sent) -> Vec<Reminder> {
    let mut out = Vec::new();
    for d in deadlines.iter().filter(|d| d.days_left >= 0) {
        if let Some(told) = sent.announced.get(&d.uid)
            && *told != d.date
        {
            let key = ReminderKey {
                uid: d.uid.clone(),
                date: d.date,
                slot: ReminderSlot::Moved,
            };
            if !sent.keys.contains(&key) {
                out.push(Reminder {
                    key,
                    kind: ReminderKind::Moved,
                    deadline: d.clone(),
                    offset: None,
                    previous: Some(*told),
                });
            }
        }
        let Some(offset) = offsets
            .iter()
            .copied()
            .filter(|&o| d.days_left <= i64::from(o))
            .min()
        else {
            continue;
        };
        let already = sent.keys.iter().any(|k| {
            k.uid == d.uid
                && k.date == d.date
                && matches!(k.slot, ReminderSlot::Days(n) if n <= offset)
        });
        if !already {
            out.push(Reminder {
                key: ReminderKey {
                    uid: d.uid.clone(),
                    date: d.date,
                    slot: ReminderSlot::Days(offset),
                },
                kind: ReminderKind::Reminder,
                deadline: d.clone(),
                offset: Some(offset),
                previous: None,
            });
        }
    }
    out
}

#[cfg(test)]
pub(super) mod tests {
    use chrono::{NaiveDate, TimeZone, Utc};

    use super::{ReminderKey, ReminderKind, ReminderSlot, Sent, reminders};
    use crate::deadlines::Deadline;
    use crate::model::DateKind;
    use crate::store::VersionId;

    const OFFSETS: [u32; 3] = [30, 7, 1];

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// A comment deadline on `date`, `days_left` days from today.
    /// A comment deadline of 2024-19633 on `date` (tests of the stage).
    pub(in crate::deadlines) fn deadline(date: &str, days_left: i64) -> Deadline {
        Deadline {
            uid: "0123456789abcdef@regwatch".into(),
            kind: DateKind::CommentsClose,
            date: day(date),
            days_left,
            moved_from: None,
            moved_by: None,
            condition: None,
            feed: "bis".into(),
            item: "2024-19633".into(),
            version: VersionId::new("bis", "2024-19633", 1),
            document: None,
            title: None,
            citation: None,
            provision: None,
            evidence: "Comments must be received by …".into(),
            link: None,
            sources: Vec::new(),
            sequence: 0,
            updated: Utc.with_ymd_and_hms(2024, 10, 1, 6, 0, 0).unwrap(),
        }
    }

    fn keys(sent: &[&str]) -> Sent {
        Sent {
            keys: sent.iter().map(|k| k.parse().unwrap()).collect(),
            ..Sent::default()
        }
    }

    fn due(d: &Deadline, sent: &Sent) -> Vec<String> {
        reminders(std::slice::from_ref(d), &OFFSETS, sent)
            .iter()
            .map(|r| r.key.to_string())
            .collect()
    }

    #[test]
    fn the_nearest_offset_the_deadline_is_inside_of_falls_due() {
        let none = Sent::default();
        let uid = "0123456789abcdef@regwatch";
        // Days left → the offset due (none: too far, or past).
        let table = [
            (31, None),
            (30, Some(30)),
            (8, Some(30)),
            (7, Some(7)),
            (2, Some(7)),
            (1, Some(1)),
            (0, Some(1)),
            (-1, None),
        ];
        for (days_left, offset) in table {
            let want: Vec<String> = offset
                .map(|o| format!("{uid}|2024-12-31|{o}"))
                .into_iter()
                .collect();
            assert_eq!(
                due(&deadline("2024-12-31", days_left), &none),
                want,
                "{days_left} days left"
            );
        }
        let r = &reminders(&[deadline("2024-12-31", 5)], &OFFSETS, &none)[0];
        assert_eq!((r.kind, r.offset), (ReminderKind::Reminder, Some(7)));
    }

    #[test]
    fn a_reminder_sent_is_not_sent_again_and_a_nearer_one_supersedes_farther_ones() {
        let uid = "0123456789abcdef@regwatch";
        let sent30 = keys(&[&format!("{uid}|2024-12-31|30")]);
        assert!(due(&deadline("2024-12-31", 20), &sent30).is_empty());
        assert_eq!(
            due(&deadline("2024-12-31", 6), &sent30),
            [format!("{uid}|2024-12-31|7")]
        );
        // The 1-day reminder went out (a late first run): 7 and 30 never follow.
        let sent1 = keys(&[&format!("{uid}|2024-12-31|1")]);
        assert!(due(&deadline("2024-12-31", 1), &sent1).is_empty());
        // Sent for another date (the deadline moved) does not count.
        let other = keys(&[&format!("{uid}|2024-11-30|7")]);
        assert_eq!(
            due(&deadline("2024-12-31", 7), &other),
            [format!("{uid}|2024-12-31|7")]
        );
    }

    #[test]
    fn a_moved_deadline_gets_one_notice_per_new_date() {
        let uid = "0123456789abcdef@regwatch";
        let mut sent = Sent::default();
        sent.announced.insert(uid.into(), day("2024-11-30"));
        let d = deadline("2024-12-31", 40);
        let out = reminders(std::slice::from_ref(&d), &OFFSETS, &sent);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].kind, ReminderKind::Moved);
        assert_eq!(out[0].previous, Some(day("2024-11-30")));
        assert_eq!(out[0].key.to_string(), format!("{uid}|2024-12-31|moved"));
        sent.keys.insert(out[0].key.clone());
        assert!(due(&d, &sent).is_empty(), "the notice is sent once");
        // Announced on its current date: no notice.
        sent.announced.insert(uid.into(), day("2024-12-31"));
        sent.keys.clear();
        assert!(due(&d, &sent).is_empty());
    }

    #[test]
    fn reminder_keys_keep_the_string_form_outbox_entries_hold() {
        for s in [
            "0123456789abcdef@regwatch|2024-12-31|30",
            "0123456789abcdef@regwatch|2024-12-31|moved",
        ] {
            let k: ReminderKey = s.parse().unwrap();
            assert_eq!(k.uid, "0123456789abcdef@regwatch");
            assert_eq!(k.date, day("2024-12-31"));
            assert_eq!(k.to_string(), s);
            assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{s}\""));
        }
        let k: ReminderKey = "u|2024-12-31|7".parse().unwrap();
        assert_eq!(k.slot, ReminderSlot::Days(7));
        for bad in [
            "",
            "u",
            "u|2024-12-31",
            "|2024-12-31|7",
            "u|31.12.2024|7",
            "u|2024-12-31|soon",
        ] {
            let err = bad.parse::<ReminderKey>().unwrap_err().to_string();
            assert!(err.contains("bad reminder key"), "{bad}: {err}");
        }
    }
}
