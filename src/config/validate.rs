//! Turns the raw YAML shape into the typed [`Config`], one check at a time.
//!
//! Each check knows the location of the value it looks at, so a user sees
//! `feeds.yaml:14:15: ...` and a hint rather than a generic parse failure.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use chrono::NaiveDate;
use serde_saphyr::{Location, Spanned};
use url::Url;

use super::raw::{RawConfig, RawFeed, RawHttp};
use super::{
    Config, ConfigError, EcfrSpec, FederalRegisterSpec, FeedSpec, FileSpec, HeaderSpec,
    HeaderValue, HtmlSpec, HttpSettings, RssSpec, Source, SourceKind,
};

/// The `kind:` names, in documentation order.
fn kind_names() -> Vec<&'static str> {
    SourceKind::ALL.iter().map(|k| k.as_str()).collect()
}

/// Keys every feed may carry.
const COMMON_KEYS: [&str; 3] = ["id", "kind", "name"];
/// Keys every network feed may carry.
const NETWORK_KEYS: [&str; 3] = ["headers", "max_bytes", "timeout_secs"];

/// Returns the keys specific to one kind.
fn kind_keys(kind: SourceKind) -> &'static [&'static str] {
    match kind {
        SourceKind::FederalRegister => &[
            "base_url",
            "agencies",
            "types",
            "terms",
            "since",
            "per_page",
            "max_documents",
        ],
        SourceKind::Ecfr => &["base_url", "title", "part", "parts", "since"],
        SourceKind::Rss => &["url", "follow_links"],
        SourceKind::Html => &["url", "selector"],
        SourceKind::File => &["path"],
    }
}

/// Keys of the top level and of the `http:` section.
const FILE_KEYS: [&str; 13] = [
    "store",
    "notify",
    "http",
    "feeds",
    "user_agent",
    "connect_timeout_secs",
    "timeout_secs",
    "retries",
    "backoff_ms",
    "max_retry_after_secs",
    "per_host_concurrency",
    "politeness_delay_ms",
    "max_bytes",
];

/// Returns every key the file may contain anywhere, for "did you mean"
/// hints; derived from the per-kind tables so the two cannot drift.
fn all_keys() -> Vec<&'static str> {
    let mut keys: Vec<&str> = FILE_KEYS.to_vec();
    keys.extend_from_slice(&COMMON_KEYS);
    keys.extend_from_slice(&NETWORK_KEYS);
    keys.extend(
        SourceKind::ALL
            .iter()
            .flat_map(|k| kind_keys(*k).iter().copied()),
    );
    keys.extend(["name", "value", "value_env"]);
    keys.extend_from_slice(&super::notify::NOTIFY_KEYS);
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Federal Register document type codes accepted by the search API.
const FR_TYPES: [&str; 4] = ["RULE", "PRORULE", "NOTICE", "PRESDOCU"];

pub(super) struct Ctx<'a> {
    pub(super) path: &'a Path,
}

impl Ctx<'_> {
    pub(super) fn err(
        &self,
        at: Option<Location>,
        message: impl Into<String>,
        hint: Option<String>,
    ) -> ConfigError {
        let (line, column) = at.map(|l| (l.line(), l.column())).unwrap_or((0, 0));
        ConfigError::Invalid {
            path: self.path.to_path_buf(),
            line,
            column,
            message: message.into(),
            hint,
        }
    }
}

pub(super) fn validate(text: &str, path: &Path) -> Result<Config, ConfigError> {
    let cx = Ctx { path };
    let raw: RawConfig = if text.trim().is_empty() {
        return Err(cx.err(None, "the file is empty", Some(example_hint())));
    } else {
        serde_saphyr::from_str(text).map_err(|e| yaml_error(&cx, &e, text))?
    };
    let base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let store = match &raw.store {
        Some(s) if s.value.trim().is_empty() => {
            return Err(cx.err(Some(s.referenced), "`store` is empty", None));
        }
        Some(s) => base_dir.join(&s.value),
        None => base_dir.join("snapshots"),
    };
    let http = http_settings(&cx, raw.http.unwrap_or_default())?;
    let raw_feeds = raw.feeds.unwrap_or_default();
    let mut feeds = Vec::with_capacity(raw_feeds.len());
    let mut seen: HashMap<String, Location> = HashMap::new();
    for feed in raw_feeds {
        let at = feed.referenced;
        let spec = feed_spec(&cx, feed.value, at, &base_dir)?;
        if let Some(first) = seen.get(&spec.id) {
            return Err(cx.err(
                Some(at),
                format!("duplicate feed id `{}`", spec.id),
                Some(format!(
                    "feed ids must be unique; `{}` is first used on line {}",
                    spec.id,
                    first.line()
                )),
            ));
        }
        seen.insert(spec.id.clone(), at);
        feeds.push(spec);
    }
    let feed_ids: Vec<String> = feeds.iter().map(|f| f.id.clone()).collect();
    let notify =
        super::notify::recipients(&cx, raw.notify.unwrap_or_default(), &feed_ids, &base_dir)?;
    let links = super::notify::links(&cx, raw.links, &notify, &base_dir)?;
    Ok(Config {
        path: path.to_path_buf(),
        store,
        http,
        feeds,
        notify,
        links,
    })
}

fn example_hint() -> String {
    "start from the shipped feeds.yaml; the README documents every key".into()
}

/// Rewrites a YAML/serde error into our one-line form: the key it is
/// about, what was expected there and an example, never the YAML
/// library's own vocabulary.
fn yaml_error(cx: &Ctx<'_>, e: &serde_saphyr::Error, text: &str) -> ConfigError {
    let full = e.without_snippet().to_string();
    // The message proper is the first line, without the library's own location suffix.
    let first = full.lines().next().unwrap_or("invalid YAML").trim();
    let message = match first.find(" at line ") {
        Some(i) => &first[..i],
        None => first,
    };
    let message = message.trim_start_matches("error: ");
    let at = e.location();
    let (key, value) = at
        .map(|l| key_at(text, l.line(), l.column()))
        .unwrap_or_default();
    // A list entry (`- …`) that should have been a section of keys.
    let entry = at.is_some_and(|l| {
        let line = text
            .lines()
            .nth(usize::try_from(l.line()).unwrap_or(0).saturating_sub(1));
        let col = usize::try_from(l.column()).unwrap_or(0).saturating_sub(1);
        line.is_some_and(|t| {
            let before: String = t.chars().take(col).collect();
            before.trim_end().ends_with('-') && last_key(&before).is_none()
        })
    });
    if entry && (message.contains("expected mapping") || message.contains("expected struct")) {
        let whose = key.as_deref().unwrap_or("this list");
        return cx.err(
            at,
            format!(
                "each entry of `{whose}` must be a section of `key: value` lines{}",
                value.map(|v| format!(", not `{v}`")).unwrap_or_default()
            ),
            Some(if whose == "feeds" {
                "e.g. `- id: bis-rules` with `kind: federal_register` and its other keys \
                 indented under it"
                    .into()
            } else {
                "indent the entry's keys under its `- `".into()
            }),
        );
    }
    let (message, hint) = explain(message, key.as_deref(), value.as_deref());
    cx.err(at, message, hint)
}

/// Returns our message and hint for the YAML library's `raw` message about
/// `key` (when known) holding `value`.
fn explain(raw: &str, key: Option<&str>, value: Option<&str>) -> (String, Option<String>) {
    let example = key.and_then(example_for);
    let eg = |what: &str| match (key, example) {
        (Some(k), Some(x)) => Some(format!("{what}, e.g. `{k}: {x}`")),
        _ => Some(what.to_string()),
    };
    let name = key.map_or_else(|| "this value".to_string(), |k| format!("`{k}`"));
    let got = value
        .filter(|v| !v.is_empty())
        .map(|v| format!(", not `{v}`"))
        .unwrap_or_default();
    if let Some(rest) = raw.strip_prefix("unknown field `")
        && let Some((field, _)) = rest.split_once('`')
    {
        let hint = match closest(field, &all_keys()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => "see the feeds.yaml reference in the README for the valid keys".to_string(),
        };
        return (format!("unknown key `{field}`"), Some(hint));
    }
    if let Some(rest) = raw.strip_prefix("duplicate mapping key: ") {
        let dup = rest.split(',').next().unwrap_or(rest).trim();
        return (
            format!("key `{dup}` is given twice in the same entry"),
            Some(format!(
                "keep one `{dup}:` line (a later one does not replace an earlier one)"
            )),
        );
    }
    if raw.contains("tabs disallowed") || raw.contains("tab") && raw.contains("indent") {
        return (
            "a tab character indents this line; YAML indents with spaces only".into(),
            Some(
                "replace the tabs with spaces (two per level, as in the shipped feeds.yaml)".into(),
            ),
        );
    }
    if raw.starts_with("invalid floating point")
        || raw.starts_with("invalid u")
        || raw.starts_with("invalid i")
    {
        return (format!("{name} must be a number{got}"), eg("write digits"));
    }
    if raw.starts_with("invalid boolean") {
        return (
            format!("{name} must be true or false{got}"),
            eg("write `true` or `false`"),
        );
    }
    if raw.contains("untagged enum OneOrMany") {
        return (
            format!("{name} must be one value or a list of values, of the kind shown{got}"),
            eg("write the values in brackets"),
        );
    }
    if raw.contains("expected sequence") {
        return (
            format!("{name} must be a list{got}"),
            eg("write `- ` items"),
        );
    }
    if raw.contains("expected string") {
        return (
            format!("{name} must be a single text value{got}"),
            Some("quote it if in doubt: `key: \"text\"`".into()),
        );
    }
    if raw.starts_with("while parsing")
        || raw.contains("did not find expected")
        || raw.contains("mapping values are not allowed")
    {
        return (
            "the layout is broken here (indentation, or a missing space after `:` or `-`)".into(),
            Some(
                "the keys of one entry must line up under each other, list items start with \
                 `- `, and each `key:` is followed by a space (see the shipped feeds.yaml)"
                    .into(),
            ),
        );
    }
    if raw.contains("expected mapping") || raw.contains("expected struct") {
        return (
            format!("{name} must be a section of `key: value` lines{got}"),
            Some(match key {
                Some(k) => format!(
                    "indent its keys under `{k}:`; the README's feeds.yaml reference lists them"
                ),
                None => "the file is made of `key: value` lines: store, http, feeds, notify \
                         (the README's feeds.yaml reference shows the layout)"
                    .to_string(),
            }),
        );
    }
    if raw.contains("untagged enum BoolOr") {
        return (
            format!("{name} must be `true` or a section such as `format: markdown`{got}"),
            Some("e.g. `stdout: true`".into()),
        );
    }
    if raw.contains("untagged enum StringOrNumber") || raw.starts_with("invalid type") {
        return (
            format!("{name} has the wrong kind of value{got}"),
            eg("see the README's feeds.yaml reference"),
        );
    }
    let raw = match key {
        Some(k) => format!("at `{k}`: {raw}"),
        None => raw.to_string(),
    };
    (raw, Some(example_hint()))
}

/// An example value for each key whose type a user can get wrong.
fn example_for(key: &str) -> Option<&'static str> {
    Some(match key {
        "timeout_secs" => "60",
        "connect_timeout_secs" => "10",
        "retries" => "3",
        "backoff_ms" => "500",
        "max_retry_after_secs" => "120",
        "per_host_concurrency" => "1",
        "politeness_delay_ms" => "500",
        "max_bytes" => "67108864",
        "per_page" => "100",
        "max_documents" => "2000",
        "title" => "15",
        "part" => "740",
        "parts" => "[740]",
        "agencies" => "[industry-and-security-bureau]",
        "types" => "[RULE, PRORULE, NOTICE]",
        "terms" => "[\"entity list\"]",
        "follow_links" => "true",
        "port" => "587",
        "to" => "[team@example.com]",
        "cc" => "[legal@example.com]",
        "remind_days" => "[30, 7, 1]",
        "deadline_days" => "90",
        "formats" => "[html, markdown]",
        "eccns" => "[3B001, 4A906]",
        "countries" => "[CN, RU]",
        "exceptions" => "[IEC]",
        "keywords" => "[quantum]",
        "only_matching" => "true",
        "allow_plaintext_auth" => "false",
        "stdout" => "true",
        "headers" => "[{name: X-Api-Key, value_env: FR_API_KEY}]",
        _ => return None,
    })
}

/// Returns the key whose value sits at `line`:`column` (1-based) of
/// `text`, and the value as written there when it is a plain scalar: the
/// last `key:` before the column on that line, else the nearest less
/// indented `key:` line above (a list item's key).
fn key_at(text: &str, line: u64, column: u64) -> (Option<String>, Option<String>) {
    let lines: Vec<&str> = text.lines().collect();
    let Some(idx) = usize::try_from(line).ok().and_then(|l| l.checked_sub(1)) else {
        return (None, None);
    };
    let Some(here) = lines.get(idx) else {
        return (None, None);
    };
    let col = usize::try_from(column).unwrap_or(0).saturating_sub(1);
    let prefix: String = here.chars().take(col).collect();
    let value = {
        let rest: String = here.chars().skip(col).collect();
        let v = rest.split(" #").next().unwrap_or("").trim();
        let v = v.trim_matches(|c| c == '"' || c == '\'');
        (!v.is_empty() && !v.starts_with(['[', '{']) && v.chars().count() <= 60)
            .then(|| v.to_string())
    };
    if let Some(k) = last_key(&prefix) {
        return (Some(k), value);
    }
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut limit = indent(here);
    for l in lines[..idx].iter().rev() {
        if l.trim().is_empty() || l.trim_start().starts_with('#') {
            continue;
        }
        if indent(l) < limit || (indent(l) == limit && !l.trim_start().starts_with('-')) {
            if let Some(k) = last_key(l) {
                return (Some(k), value);
            }
            limit = indent(l);
        }
    }
    (None, value)
}

/// The last `key:` (followed by a space or the end of the text) in `s`.
fn last_key(s: &str) -> Option<String> {
    let mut found = None;
    let bytes = s.as_bytes();
    for (i, _) in s.match_indices(':') {
        let next = bytes.get(i + 1).copied();
        if next.is_some_and(|b| b != b' ' && b != b'\t') {
            continue;
        }
        let start = s[..i]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(0, |p| p + 1);
        if start < i {
            found = Some(s[start..i].to_string());
        }
    }
    found
}

/// Returns the candidate within edit distance 2 of `word`, if any.
pub(super) fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

pub(super) fn secs(cx: &Ctx<'_>, v: &Spanned<f64>, key: &str) -> Result<Duration, ConfigError> {
    if v.value.is_finite() && v.value > 0.0 && v.value <= 86_400.0 {
        Ok(Duration::from_secs_f64(v.value))
    } else {
        Err(cx.err(
            Some(v.referenced),
            format!("`{key}` must be a number of seconds between 0 and 86400"),
            None,
        ))
    }
}

fn http_settings(cx: &Ctx<'_>, raw: RawHttp) -> Result<HttpSettings, ConfigError> {
    let mut s = HttpSettings::default();
    if let Some(ua) = raw.user_agent {
        if ua.value.trim().is_empty() || ua.value.contains(['\r', '\n']) {
            return Err(cx.err(
                Some(ua.referenced),
                "`user_agent` must be one non-empty line",
                None,
            ));
        }
        s.user_agent = ua.value;
    }
    if let Some(v) = raw.connect_timeout_secs {
        s.connect_timeout = secs(cx, &v, "connect_timeout_secs")?;
    }
    if let Some(v) = raw.timeout_secs {
        s.timeout = secs(cx, &v, "timeout_secs")?;
    }
    if let Some(v) = raw.retries {
        s.retries = v.min(10);
    }
    if let Some(v) = raw.backoff_ms {
        s.backoff = Duration::from_millis(v);
    }
    if let Some(v) = raw.max_retry_after_secs {
        s.max_retry_after = Duration::from_secs(v);
    }
    if let Some(v) = raw.per_host_concurrency {
        if v.value == 0 || v.value > 64 {
            return Err(cx.err(
                Some(v.referenced),
                "`per_host_concurrency` must be between 1 and 64",
                None,
            ));
        }
        s.per_host_concurrency = v.value;
    }
    if let Some(v) = raw.politeness_delay_ms {
        s.politeness_delay = Duration::from_millis(v);
    }
    if let Some(v) = raw.max_bytes {
        if v.value == 0 {
            return Err(cx.err(Some(v.referenced), "`max_bytes` must be positive", None));
        }
        s.max_bytes = v.value;
    }
    Ok(s)
}

/// Lists the optional keys present on a feed entry, with their locations.
fn present_keys(f: &RawFeed) -> Vec<(&'static str, Location)> {
    fn at<T>(v: &Option<Spanned<T>>) -> Option<Location> {
        v.as_ref().map(|s| s.referenced)
    }
    let candidates = [
        ("agencies", at(&f.agencies)),
        ("types", at(&f.types)),
        ("terms", at(&f.terms)),
        ("since", at(&f.since)),
        ("per_page", at(&f.per_page)),
        ("max_documents", at(&f.max_documents)),
        ("title", at(&f.title)),
        ("part", at(&f.part)),
        ("parts", at(&f.parts)),
        ("base_url", at(&f.base_url)),
        ("url", at(&f.url)),
        ("follow_links", at(&f.follow_links)),
        ("selector", at(&f.selector)),
        ("path", at(&f.path)),
        ("headers", at(&f.headers)),
        ("max_bytes", at(&f.max_bytes)),
        ("timeout_secs", at(&f.timeout_secs)),
    ];
    candidates
        .into_iter()
        .filter_map(|(k, l)| l.map(|l| (k, l)))
        .collect()
}

fn feed_spec(
    cx: &Ctx<'_>,
    f: RawFeed,
    at: Location,
    base_dir: &Path,
) -> Result<FeedSpec, ConfigError> {
    let id = match &f.id {
        None => {
            return Err(cx.err(
                Some(at),
                "feed has no `id`",
                Some("add e.g. `id: bis-rules`".into()),
            ));
        }
        Some(id) => id,
    };
    check_id(cx, id, "feed")?;
    let kind = match &f.kind {
        None => {
            return Err(cx.err(
                Some(at),
                format!("feed `{}` has no `kind`", id.value),
                Some(format!("kinds: {}", kind_names().join(", "))),
            ));
        }
        Some(k) => k,
    };
    let Some(kind) = SourceKind::parse(&kind.value) else {
        let names = kind_names();
        let hint = match closest(&kind.value, &names) {
            Some(best) => format!("did you mean `{best}`? kinds: {}", names.join(", ")),
            None => format!("kinds: {}", names.join(", ")),
        };
        return Err(cx.err(
            Some(kind.referenced),
            format!("unknown feed kind `{}`", kind.value),
            Some(hint),
        ));
    };
    let kind_name = kind.as_str();
    let network = kind.is_network();
    for (key, loc) in present_keys(&f) {
        let allowed = kind_keys(kind).contains(&key) || (network && NETWORK_KEYS.contains(&key));
        if !allowed {
            let mut keys: Vec<&str> = COMMON_KEYS.to_vec();
            keys.extend_from_slice(kind_keys(kind));
            if network {
                keys.extend_from_slice(&NETWORK_KEYS);
            }
            return Err(cx.err(
                Some(loc),
                format!("key `{key}` does not apply to kind `{kind_name}`"),
                Some(format!("keys for {kind_name}: {}", keys.join(", "))),
            ));
        }
    }
    let id_s = id.value.clone();
    let source = match kind {
        SourceKind::FederalRegister => Source::FederalRegister(federal_register(cx, &f)?),
        SourceKind::Ecfr => Source::Ecfr(ecfr(cx, &f, at, &id_s)?),
        SourceKind::Rss => Source::Rss(RssSpec {
            url: required_url(cx, &f.url, "url", at, &id_s)?,
            follow_links: f.follow_links.as_ref().is_some_and(|b| b.value),
        }),
        SourceKind::Html => {
            let selector = match &f.selector {
                Some(s) => {
                    if let Err(e) = scraper::Selector::parse(&s.value) {
                        return Err(cx.err(
                            Some(s.referenced),
                            format!(
                                "`selector` is not a valid CSS selector: `{}` ({})",
                                s.value,
                                selector_problem(&e)
                            ),
                            Some("e.g. `div.art-con` or `#content article`".into()),
                        ));
                    }
                    Some(s.value.clone())
                }
                None => None,
            };
            Source::Html(HtmlSpec {
                url: required_url(cx, &f.url, "url", at, &id_s)?,
                selector,
            })
        }
        SourceKind::File => match &f.path {
            Some(p) if !p.value.trim().is_empty() => Source::File(FileSpec {
                path: base_dir.join(&p.value),
            }),
            Some(p) => return Err(cx.err(Some(p.referenced), "`path` is empty", None)),
            None => {
                return Err(cx.err(
                    Some(at),
                    format!("feed `{id_s}` (kind file) needs `path`"),
                    Some("a file or a directory, relative to feeds.yaml".into()),
                ));
            }
        },
    };
    let headers = headers(cx, &f.headers)?;
    let timeout = match &f.timeout_secs {
        Some(v) => Some(secs(cx, v, "timeout_secs")?),
        None => None,
    };
    if let Some(m) = &f.max_bytes
        && m.value == 0
    {
        return Err(cx.err(Some(m.referenced), "`max_bytes` must be positive", None));
    }
    Ok(FeedSpec {
        id: id_s,
        name: f.name.clone(),
        source,
        headers,
        max_bytes: f.max_bytes.as_ref().map(|m| m.value),
        timeout,
    })
}

/// Says what is wrong with a CSS selector in plain words (the selector
/// library's own text for some mistakes is "please report this to the
/// developer" plus an internal name).
fn selector_problem(kind: &scraper::error::SelectorErrorKind) -> String {
    use scraper::error::SelectorErrorKind as K;
    match kind {
        K::UnexpectedSelectorParseError(inner) => {
            let name = format!("{inner:?}");
            match name.as_str() {
                "ClassNeedsIdent" => "a `.` must be followed by a class name".into(),
                "EmptySelector" => "nothing to select: empty, or `#` or `.` without a name".into(),
                "DanglingCombinator" => "a combinator (`>`, `+`, `~`) has nothing after it".into(),
                "NoIdentForPseudo" => "a `:` must be followed by a pseudo-class name".into(),
                "UnsupportedPseudoClassOrElement" => "unsupported pseudo-class".into(),
                "UnexpectedIdent" => "a name where none belongs".into(),
                n if n.contains("Attr") => "a malformed `[attribute]` test".into(),
                _ => "a malformed selector".into(),
            }
        }
        other => {
            let text = other.to_string();
            if text.contains("report this") {
                "a malformed selector".into()
            } else if text == "Unexpected EOL" {
                "it ends too early".into()
            } else {
                text.to_lowercase()
            }
        }
    }
}

pub(super) fn parse_url(cx: &Ctx<'_>, v: &Spanned<String>, key: &str) -> Result<Url, ConfigError> {
    match Url::parse(v.value.trim()) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Ok(u),
        Ok(u) => {
            // A near miss of `https`/`http` (`htps`, `hhtp`) gets the
            // corrected URL as the hint.
            let near = ["https", "http"]
                .into_iter()
                .find(|s| edit_distance(u.scheme(), s) <= 1);
            let hint = match near {
                Some(s) => {
                    let rest = &v.value.trim()[u.scheme().len()..];
                    format!("did you mean `{s}{rest}`?")
                }
                None => "write a full URL such as https://www.federalregister.gov".into(),
            };
            Err(cx.err(
                Some(v.referenced),
                format!(
                    "`{key}` must be an http or https URL, not `{}:`",
                    u.scheme()
                ),
                Some(hint),
            ))
        }
        Err(e) => Err(cx.err(
            Some(v.referenced),
            format!("`{key}` is not a valid URL ({e}): `{}`", v.value),
            Some("write a full URL such as https://www.federalregister.gov".into()),
        )),
    }
}

fn required_url(
    cx: &Ctx<'_>,
    v: &Option<Spanned<String>>,
    key: &str,
    at: Location,
    id: &str,
) -> Result<Url, ConfigError> {
    match v {
        Some(v) => parse_url(cx, v, key),
        None => Err(cx.err(Some(at), format!("feed `{id}` needs `{key}`"), None)),
    }
}

fn base_url(cx: &Ctx<'_>, f: &RawFeed, default: &str) -> Result<Url, ConfigError> {
    match &f.base_url {
        Some(v) => parse_url(cx, v, "base_url"),
        // The defaults are constant, well-formed URLs.
        None => {
            Url::parse(default).map_err(|e| cx.err(None, format!("bad default URL: {e}"), None))
        }
    }
}

fn date(cx: &Ctx<'_>, v: &Option<Spanned<String>>) -> Result<Option<NaiveDate>, ConfigError> {
    match v {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(s.value.trim(), "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                cx.err(
                    Some(s.referenced),
                    format!("`since` is not a date: `{}`", s.value),
                    Some("write dates as YYYY-MM-DD, e.g. 2024-01-01".into()),
                )
            }),
    }
}

fn federal_register(cx: &Ctx<'_>, f: &RawFeed) -> Result<FederalRegisterSpec, ConfigError> {
    let types = match &f.types {
        None => vec![
            "RULE".to_string(),
            "PRORULE".to_string(),
            "NOTICE".to_string(),
        ],
        Some(t) => {
            let mut out = Vec::new();
            for ty in &t.value {
                let up = ty.trim().to_ascii_uppercase();
                if !FR_TYPES.contains(&up.as_str()) {
                    return Err(cx.err(
                        Some(t.referenced),
                        format!("unknown Federal Register document type `{ty}`"),
                        Some(format!("types: {}", FR_TYPES.join(", "))),
                    ));
                }
                out.push(up);
            }
            out
        }
    };
    let per_page = f.per_page.as_ref().map_or(100, |p| p.value);
    if let Some(p) = &f.per_page
        && !(1..=1000).contains(&p.value)
    {
        return Err(cx.err(
            Some(p.referenced),
            "`per_page` must be between 1 and 1000",
            None,
        ));
    }
    Ok(FederalRegisterSpec {
        base_url: base_url(cx, f, "https://www.federalregister.gov")?,
        agencies: f
            .agencies
            .as_ref()
            .map(|a| a.value.clone())
            .unwrap_or_default(),
        types,
        terms: f
            .terms
            .as_ref()
            .map(|a| a.value.clone())
            .unwrap_or_default(),
        since: date(cx, &f.since)?,
        per_page,
        max_documents: f.max_documents.as_ref().map_or(2000, |m| m.value),
    })
}

fn ecfr(cx: &Ctx<'_>, f: &RawFeed, at: Location, id: &str) -> Result<EcfrSpec, ConfigError> {
    let title = match &f.title {
        Some(t) if (1..=50).contains(&t.value) => t.value,
        Some(t) => {
            return Err(cx.err(
                Some(t.referenced),
                "`title` must be a CFR title number, 1 to 50",
                None,
            ));
        }
        None => {
            return Err(cx.err(
                Some(at),
                format!("feed `{id}` (kind ecfr) needs `title`"),
                Some("e.g. `title: 15` for the Export Administration Regulations".into()),
            ));
        }
    };
    let mut parts: Vec<String> = Vec::new();
    let mut part_at = at;
    if let Some(p) = &f.part {
        part_at = p.referenced;
        parts.push(as_part_string(&p.value));
    }
    if let Some(ps) = &f.parts {
        part_at = ps.referenced;
        parts.extend(ps.value.iter().map(as_part_string));
    }
    if parts.is_empty() {
        return Err(cx.err(
            Some(at),
            format!("feed `{id}` (kind ecfr) needs `part` or `parts`"),
            Some("e.g. `part: 740` or `parts: [738, 740, 774]`".into()),
        ));
    }
    for p in &parts {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_alphanumeric()) {
            let hint = if p.contains([',', ' ', ';']) {
                "list several parts as a list: `parts: [740, 774]`"
            } else {
                "a CFR part is a number such as 740"
            };
            return Err(cx.err(
                Some(part_at),
                format!("invalid CFR part `{p}`"),
                Some(hint.into()),
            ));
        }
    }
    let mut dedup = parts.clone();
    dedup.sort();
    dedup.dedup();
    if dedup.len() != parts.len() {
        return Err(cx.err(Some(part_at), "a part is listed twice", None));
    }
    Ok(EcfrSpec {
        base_url: base_url(cx, f, "https://www.ecfr.gov")?,
        title,
        parts,
        since: date(cx, &f.since)?,
    })
}

fn as_part_string(p: &super::raw::StringOrNumber) -> String {
    match p {
        super::raw::StringOrNumber::Number(n) => n.to_string(),
        super::raw::StringOrNumber::String(s) => s.trim().to_string(),
    }
}

/// Checks an entry's `id`: `[a-z0-9-]+`, at most 64 characters.
pub(super) fn check_id(cx: &Ctx<'_>, id: &Spanned<String>, what: &str) -> Result<(), ConfigError> {
    if id.value.is_empty()
        || id.value.len() > 64
        || !id
            .value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(cx.err(
            Some(id.referenced),
            format!("invalid {what} id `{}`", id.value),
            Some("ids use lowercase letters, digits and `-` only, at most 64 characters".into()),
        ));
    }
    Ok(())
}

/// Validates extra request headers (feeds and webhooks).
pub(super) fn headers(
    cx: &Ctx<'_>,
    raw: &Option<Spanned<Vec<super::raw::RawHeader>>>,
) -> Result<Vec<HeaderSpec>, ConfigError> {
    let mut headers = Vec::new();
    if let Some(hs) = raw {
        for h in &hs.value {
            let value = match (&h.value, &h.value_env) {
                (Some(v), None) => HeaderValue::Literal(v.clone()),
                (None, Some(e)) => HeaderValue::Env(e.clone()),
                _ => {
                    return Err(cx.err(
                        Some(hs.referenced),
                        format!(
                            "header `{}` needs exactly one of `value` or `value_env`",
                            h.name
                        ),
                        Some(
                            "put secrets in an environment variable and name it with `value_env`"
                                .into(),
                        ),
                    ));
                }
            };
            if reqwest::header::HeaderName::from_bytes(h.name.as_bytes()).is_err() {
                return Err(cx.err(
                    Some(hs.referenced),
                    format!("invalid header name `{}`", h.name),
                    None,
                ));
            }
            headers.push(HeaderSpec {
                name: h.name.clone(),
                value,
            });
        }
    }
    Ok(headers)
}
