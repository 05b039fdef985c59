//! Version references: how users name one stored version.
//!
//! ```text
//! FEED/ITEM@N          the N-th version (1 = first)
//! FEED/ITEM@latest     the newest (also FEED/ITEM alone)
//! FEED/ITEM@-K         K versions before the newest (@-1 = previous)
//! FEED/ITEM@2024-09-06 the newest version dated on or before that day
//! FEED@...             the same, for a feed with exactly one item
//! 3f9a0c1d             a version hash prefix (at least 6 hex digits)
//! ```

use chrono::NaiveDate;

use super::{Store, StoreError, Version};

/// Which version of an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selector {
    /// The newest.
    Latest,
    /// By 1-based sequence number.
    Seq(u32),
    /// K before the newest.
    Back(u32),
    /// Newest with effective date on or before.
    Date(NaiveDate),
}

/// A parsed reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionRef {
    /// An item (or single-item feed) and a selector.
    Item {
        /// Feed id.
        feed: String,
        /// Item key; `None` means the feed's only item.
        item: Option<String>,
        /// Which version.
        selector: Selector,
    },
    /// A prefix of a version hash (or a bare feed id, decided at resolve time).
    HashOrFeed(String),
}

impl VersionRef {
    /// Returns the parsed reference, or a message saying what is wrong.
    pub fn parse(s: &str) -> Result<VersionRef, StoreError> {
        let bad = |why: &str| {
            StoreError::BadRef(format!(
                "bad version reference `{s}`: {why} (forms: FEED/ITEM@N, @latest, @-1, @YYYY-MM-DD, or a hash prefix)"
            ))
        };
        let s = s.trim();
        if s.is_empty() {
            return Err(bad("empty"));
        }
        let (path, sel) = match s.split_once('@') {
            Some((p, sel)) => (p, Some(sel)),
            None => (s, None),
        };
        let selector = match sel {
            None | Some("latest") => Selector::Latest,
            Some(x) if x.starts_with('-') => {
                let k: u32 = x[1..].parse().map_err(|_| bad("`@-K` needs a number"))?;
                if k == 0 {
                    Selector::Latest
                } else {
                    Selector::Back(k)
                }
            }
            Some(x) if x.len() == 10 && x.as_bytes()[4] == b'-' => Selector::Date(
                NaiveDate::parse_from_str(x, "%Y-%m-%d").map_err(|_| bad("not a date"))?,
            ),
            Some(x) => {
                let n: u32 = x.parse().map_err(|_| bad("unknown selector after `@`"))?;
                if n == 0 {
                    return Err(bad("versions count from 1"));
                }
                Selector::Seq(n)
            }
        };
        match path.split_once('/') {
            Some((feed, item)) if !feed.is_empty() && !item.is_empty() && !item.contains('/') => {
                Ok(VersionRef::Item {
                    feed: feed.to_string(),
                    item: Some(item.to_string()),
                    selector,
                })
            }
            Some(_) => Err(bad("expected FEED/ITEM")),
            None if sel.is_some() => Ok(VersionRef::Item {
                feed: path.to_string(),
                item: None,
                selector,
            }),
            None => Ok(VersionRef::HashOrFeed(path.to_string())),
        }
    }
}

impl Store {
    /// Returns the version a reference names (see [`Store::resolve_noting`]).
    pub fn resolve(&self, r: &VersionRef) -> Result<Version, StoreError> {
        self.resolve_noting(r).map(|(v, _)| v)
    }

    /// Returns the version a reference names and, when its item's history
    /// has a damaged line after it, that line's error: `FEED/ITEM@N` of a
    /// version whose lines up to it parse still resolves (show it as a
    /// warning). `@latest`, `@-K` and `@DATE` need the whole file, so they
    /// fail on any damaged line, naming it.
    pub fn resolve_noting(
        &self,
        r: &VersionRef,
    ) -> Result<(Version, Option<StoreError>), StoreError> {
        match r {
            VersionRef::Item {
                feed,
                item,
                selector,
            } => {
                let item = match item {
                    Some(i) => i.clone(),
                    None => self.only_item(feed)?,
                };
                let lines = self.read_history(feed, &item)?;
                if let Some((line, damage)) = lines.damage(feed, &item) {
                    let history = lines.versions_before(line);
                    return match selector {
                        Selector::Seq(_) => match pick(&history, *selector) {
                            Some(v) => Ok((v.clone(), Some(damage))),
                            None => Err(damage),
                        },
                        _ => Err(damage),
                    };
                }
                let history = lines.versions();
                if history.is_empty() {
                    return Err(StoreError::BadRef(format!(
                        "no versions stored for `{feed}/{item}`"
                    )));
                }
                let v = pick(&history, *selector).cloned().ok_or_else(|| {
                    StoreError::BadRef(format!(
                        "`{feed}/{item}` has {} version(s); none matches {}",
                        history.len(),
                        describe(*selector)
                    ))
                })?;
                Ok((v, None))
            }
            VersionRef::HashOrFeed(s) => {
                if self.feed_ids()?.iter().any(|f| f == s) {
                    let item = self.only_item(s)?;
                    return self.resolve_noting(&VersionRef::Item {
                        feed: s.clone(),
                        item: Some(item),
                        selector: Selector::Latest,
                    });
                }
                if s.len() < 6 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(StoreError::BadRef(format!(
                        "`{s}` is neither a feed nor a hash prefix (at least 6 hex digits)"
                    )));
                }
                let prefix = s.to_ascii_lowercase();
                let mut found: Vec<Version> = Vec::new();
                let all = self.all_histories()?;
                for (_, _, history) in all.items.into_iter().chain(all.partial) {
                    found.extend(history.into_iter().filter(|v| v.hash.starts_with(&prefix)));
                }
                match found.len() {
                    0 => Err(StoreError::BadRef(format!(
                        "no version hash starts with `{s}`"
                    ))),
                    1 => Ok((found.remove(0), None)),
                    n => Err(StoreError::BadRef(format!(
                        "`{s}` matches {n} versions ({}); give more digits",
                        found
                            .iter()
                            .map(Version::reference)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))),
                }
            }
        }
    }

    fn only_item(&self, feed: &str) -> Result<String, StoreError> {
        let items = self.item_keys(feed)?;
        match items.as_slice() {
            [one] => Ok(one.clone()),
            [] => Err(StoreError::BadRef(format!(
                "feed `{feed}` has no stored items"
            ))),
            many => Err(StoreError::BadRef(format!(
                "feed `{feed}` has {} items; name one as {feed}/ITEM (e.g. {feed}/{})",
                many.len(),
                many[0]
            ))),
        }
    }
}

/// Returns the version `selector` picks from a non-empty history.
pub(crate) fn pick(history: &[Version], selector: Selector) -> Option<&Version> {
    match selector {
        Selector::Latest => history.last(),
        Selector::Seq(n) => history.iter().find(|v| v.seq == n),
        Selector::Back(k) => history
            .len()
            .checked_sub(1 + k as usize)
            .and_then(|i| history.get(i)),
        Selector::Date(d) => history.iter().rev().find(|v| v.effective_date() <= d),
    }
}

fn describe(s: Selector) -> String {
    match s {
        Selector::Latest => "@latest".into(),
        Selector::Seq(n) => format!("@{n}"),
        Selector::Back(k) => format!("@-{k}"),
        Selector::Date(d) => format!("a date on or before {d}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_parse() {
        let item = |f: &str, i: Option<&str>, s| VersionRef::Item {
            feed: f.into(),
            item: i.map(Into::into),
            selector: s,
        };
        assert_eq!(
            VersionRef::parse("bis/2024-19633@3").unwrap(),
            item("bis", Some("2024-19633"), Selector::Seq(3))
        );
        assert_eq!(
            VersionRef::parse("bis/2024-19633").unwrap(),
            item("bis", Some("2024-19633"), Selector::Latest)
        );
        assert_eq!(
            VersionRef::parse("ear/part-740@-1").unwrap(),
            item("ear", Some("part-740"), Selector::Back(1))
        );
        assert_eq!(
            VersionRef::parse("ear/part-740@2024-09-06").unwrap(),
            item(
                "ear",
                Some("part-740"),
                Selector::Date(NaiveDate::from_ymd_opt(2024, 9, 6).unwrap())
            )
        );
        assert_eq!(
            VersionRef::parse("news@latest").unwrap(),
            item("news", None, Selector::Latest)
        );
        assert_eq!(
            VersionRef::parse("3f9a0c1d").unwrap(),
            VersionRef::HashOrFeed("3f9a0c1d".into())
        );
        for bad in [
            "",
            "a/b@0",
            "a/b@x",
            "a/b@2024-13-01",
            "/x",
            "a/b/c",
            "a/b@-x",
        ] {
            assert!(VersionRef::parse(bad).is_err(), "{bad}");
        }
    }
}
