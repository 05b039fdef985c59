//! The `notify:` section: who is told about changes, what each recipient
//! cares about (its watch profile), and the channels that reach them.
//!
//! Why recipients rather than global channels: a compliance team, a trade
//! lawyer and a supply-chain analyst watch the same sources for different
//! things. Each recipient gets its own summary (marked or filtered by its
//! profile), its own reminders, and its own delivery record in the outbox.
//! Secrets (SMTP credentials, webhook tokens) are never in the file: only the
//! names of environment variables holding them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_saphyr::{Location, Spanned};
use url::Url;

use super::raw::{BoolOr, RawEmail, RawFileChannel, RawProfile, RawRecipient, RawWebhook};
use super::validate::{Ctx, closest, headers, secs};
use super::{ConfigError, HeaderSpec};
use crate::model::countries;
use crate::model::vocab::exception_by_symbol;

/// Reminder offsets used when a recipient sets no `remind_days`.
pub const DEFAULT_REMIND_DAYS: [u32; 3] = [30, 7, 1];
/// How far ahead a summary lists upcoming deadlines by default.
pub const DEFAULT_DEADLINE_DAYS: u32 = 90;

/// One entry of `notify:`.
#[derive(Debug, Clone, Serialize)]
pub struct Recipient {
    /// Unique, `[a-z0-9-]+`; names the recipient in the outbox.
    pub id: String,
    /// Optional human name, shown in `regwatch check` and the docs.
    pub name: Option<String>,
    /// Feeds this recipient hears about; empty means every feed.
    pub feeds: Vec<String>,
    /// What the recipient cares about.
    pub profile: WatchProfile,
    /// Days before a deadline to send a reminder, largest first.
    pub remind_days: Vec<u32>,
    /// Upcoming deadlines within this many days are listed in summaries.
    pub deadline_days: u32,
    /// Where the messages go; at least one.
    pub channels: Vec<Channel>,
}

impl Recipient {
    /// Whether this recipient hears about `feed`.
    pub fn wants_feed(&self, feed: &str) -> bool {
        self.feeds.is_empty() || self.feeds.iter().any(|f| f == feed)
    }
}

/// A watch profile: the ECCNs, countries, license exceptions and words a
/// recipient cares about. A change touching any of them is marked in the
/// summary; with `only_matching` the rest is left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatchProfile {
    /// ECCNs, upper case (`3B001`); an entry also matches its sub-items
    /// (`3B001` matches `3B001.c.1.a`).
    pub eccns: Vec<String>,
    /// ISO 3166-1 alpha-2 codes (names are accepted in the file and resolved).
    pub countries: Vec<String>,
    /// License exception symbols, upper case (`IEC`).
    pub exceptions: Vec<String>,
    /// Words or phrases, matched case-insensitively in titles, a flag's
    /// evidence and names (never its rendered sentence).
    pub keywords: Vec<String>,
    /// Leave out changes that match nothing (new notices included).
    pub only_matching: bool,
}

impl WatchProfile {
    /// True when the profile names nothing (every change is of interest).
    pub fn is_empty(&self) -> bool {
        self.eccns.is_empty()
            && self.countries.is_empty()
            && self.exceptions.is_empty()
            && self.keywords.is_empty()
    }
}

/// One way to reach a recipient.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "channel", rename_all = "snake_case")]
pub enum Channel {
    /// An email over SMTP.
    Email(EmailChannel),
    /// The summary printed on standard output (for cron's own mail, logs).
    Stdout(StdoutChannel),
    /// Files written into a folder (plus a current `deadlines.ics`).
    File(FileChannel),
    /// A JSON POST to a URL (Slack/Teams incoming webhooks understand it).
    Webhook(WebhookChannel),
}

impl Channel {
    /// The channel's key in feeds.yaml, used in outbox ids and messages.
    pub fn name(&self) -> &'static str {
        match self {
            Channel::Email(_) => "email",
            Channel::Stdout(_) => "stdout",
            Channel::File(_) => "file",
            Channel::Webhook(_) => "webhook",
        }
    }
}

/// `email:`.
#[derive(Debug, Clone, Serialize)]
pub struct EmailChannel {
    /// The SMTP server.
    pub smtp: SmtpSettings,
    /// Sender address (`regwatch@example.com` or `Name <addr>`).
    pub from: String,
    /// Recipients.
    pub to: Vec<String>,
    /// Copy recipients.
    pub cc: Vec<String>,
}

/// `email.smtp:`.
#[derive(Debug, Clone, Serialize)]
pub struct SmtpSettings {
    /// Server host name.
    pub host: String,
    /// Server port (default by security: 25, 587, 465).
    pub port: u16,
    /// Transport security.
    pub security: SmtpSecurity,
    /// Environment variable holding the user name (no AUTH when absent).
    pub username_env: Option<String>,
    /// Environment variable holding the password.
    pub password_env: Option<String>,
    /// Time allowed for each SMTP command.
    pub timeout: Duration,
}

/// `email.smtp.security`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SmtpSecurity {
    /// Plain SMTP (only for a relay on the same host or network).
    None,
    /// Plain connection upgraded with STARTTLS (required, not opportunistic).
    Starttls,
    /// TLS from the first byte (SMTPS, usually port 465).
    Tls,
}

impl SmtpSecurity {
    /// The port conventionally used with this security.
    pub fn default_port(self) -> u16 {
        match self {
            SmtpSecurity::None => 25,
            SmtpSecurity::Starttls => 587,
            SmtpSecurity::Tls => 465,
        }
    }
}

/// `stdout:`.
#[derive(Debug, Clone, Serialize)]
pub struct StdoutChannel {
    /// How the summary is printed.
    pub format: SummaryFormat,
}

/// The renderings of a summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SummaryFormat {
    /// Plain text (`.txt`).
    Text,
    /// Markdown (`.md`).
    Markdown,
    /// A standalone HTML page (`.html`).
    Html,
    /// The summary as JSON (`.json`, docs/JSON.md).
    Json,
    /// The whole email as sent, MIME multipart text + HTML (`.eml`).
    Eml,
}

impl SummaryFormat {
    /// File extension (and feeds.yaml spelling).
    pub fn extension(self) -> &'static str {
        match self {
            SummaryFormat::Text => "txt",
            SummaryFormat::Markdown => "md",
            SummaryFormat::Html => "html",
            SummaryFormat::Json => "json",
            SummaryFormat::Eml => "eml",
        }
    }

    fn parse(s: &str) -> Option<SummaryFormat> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "text" | "txt" => SummaryFormat::Text,
            "markdown" | "md" => SummaryFormat::Markdown,
            "html" => SummaryFormat::Html,
            "json" => SummaryFormat::Json,
            "eml" => SummaryFormat::Eml,
            _ => return None,
        })
    }
}

/// `file:`.
#[derive(Debug, Clone, Serialize)]
pub struct FileChannel {
    /// Folder the files go to, resolved against feeds.yaml's folder.
    pub dir: PathBuf,
    /// Renderings written for each message.
    pub formats: Vec<SummaryFormat>,
}

/// `webhook:`.
#[derive(Debug, Clone, Serialize)]
pub struct WebhookChannel {
    /// Where to POST.
    pub url: Url,
    /// Body shape.
    pub style: WebhookStyle,
    /// Extra request headers (tokens via `value_env`).
    pub headers: Vec<HeaderSpec>,
    /// Time allowed for the request.
    pub timeout: Duration,
}

/// `webhook.style`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WebhookStyle {
    /// The summary JSON envelope (docs/JSON.md) plus a `text` field.
    Json,
    /// `{"text": "…"}` with Slack mrkdwn links.
    Slack,
    /// `{"text": "…"}` with Markdown, as Teams incoming webhooks take it.
    Teams,
}

const RECIPIENT_KEYS: [&str; 10] = [
    "id",
    "name",
    "feeds",
    "profile",
    "remind_days",
    "deadline_days",
    "email",
    "stdout",
    "file",
    "webhook",
];

/// Every key the `notify:` section may hold, for "did you mean" hints.
pub(super) const NOTIFY_KEYS: [&str; 29] = [
    "format",
    "links",
    "notify",
    "feeds",
    "profile",
    "remind_days",
    "deadline_days",
    "email",
    "stdout",
    "file",
    "webhook",
    "eccns",
    "countries",
    "exceptions",
    "keywords",
    "only_matching",
    "smtp",
    "from",
    "to",
    "cc",
    "host",
    "port",
    "security",
    "username_env",
    "password_env",
    "allow_plaintext_auth",
    "dir",
    "formats",
    "style",
];

/// The `links:` section: where a summary links each changed item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Links {
    /// Where the diff pages are published (`https://…/diffs/`): each
    /// changed item links to `BASE/FEED--ITEM--N.html`. Unset: items link
    /// their source document.
    pub base_url: Option<Url>,
    /// The folder `run` writes the pages into (resolved against
    /// feeds.yaml's folder). Unset: `diffs/` inside every `file` channel's
    /// folder.
    pub dir: Option<PathBuf>,
}

impl Links {
    /// The folders `run` writes diff pages into (none without `base_url`).
    pub fn page_dirs(&self, recipients: &[Recipient]) -> Vec<PathBuf> {
        if self.base_url.is_none() {
            return Vec::new();
        }
        if let Some(d) = &self.dir {
            return vec![d.clone()];
        }
        let mut out: Vec<PathBuf> = Vec::new();
        for c in recipients.iter().flat_map(|r| &r.channels) {
            if let Channel::File(f) = c {
                let d = f.dir.join("diffs");
                if !out.contains(&d) {
                    out.push(d);
                }
            }
        }
        out
    }
}

/// Validates `links:`. A `base_url` needs somewhere to write the pages:
/// `dir`, or a `file` channel.
pub(super) fn links(
    cx: &Ctx<'_>,
    raw: Option<Spanned<super::raw::RawLinks>>,
    recipients: &[Recipient],
    base_dir: &Path,
) -> Result<Links, ConfigError> {
    let Some(raw) = raw else {
        return Ok(Links::default());
    };
    let at = raw.referenced;
    let raw = raw.value;
    let dir = match &raw.dir {
        Some(d) if d.value.trim().is_empty() => {
            return Err(cx.err(Some(d.referenced), "`links.dir` is empty", None));
        }
        Some(d) => Some(base_dir.join(d.value.trim())),
        None => None,
    };
    let base_url = match &raw.base_url {
        Some(u) => Some(super::validate::parse_url(cx, u, "links.base_url")?),
        None => None,
    };
    let links = Links { base_url, dir };
    if links.base_url.is_some() && links.page_dirs(recipients).is_empty() {
        return Err(cx.err(
            Some(at),
            "`links.base_url` is set but nothing writes the diff pages",
            Some(
                "add `dir:` (the folder your web server publishes at base_url), or a `file` channel"
                    .into(),
            ),
        ));
    }
    if links.base_url.is_none() && links.dir.is_some() {
        return Err(cx.err(
            Some(at),
            "`links.dir` needs `links.base_url`",
            Some("base_url: the address the folder is published at, e.g. https://regs.example.com/diffs/".into()),
        ));
    }
    Ok(links)
}

/// Validates the `notify:` entries against the known feed ids.
pub(super) fn recipients(
    cx: &Ctx<'_>,
    raw: Vec<Spanned<RawRecipient>>,
    feed_ids: &[String],
    base_dir: &Path,
) -> Result<Vec<Recipient>, ConfigError> {
    let mut out: Vec<Recipient> = Vec::with_capacity(raw.len());
    let mut seen: HashMap<String, Location> = HashMap::new();
    for entry in raw {
        let at = entry.referenced;
        let r = recipient(cx, entry.value, at, feed_ids, base_dir)?;
        if let Some(first) = seen.get(&r.id) {
            return Err(cx.err(
                Some(at),
                format!("duplicate notify id `{}`", r.id),
                Some(format!(
                    "recipient ids must be unique; `{}` is first used on line {}",
                    r.id,
                    first.line()
                )),
            ));
        }
        seen.insert(r.id.clone(), at);
        out.push(r);
    }
    Ok(out)
}

fn recipient(
    cx: &Ctx<'_>,
    r: RawRecipient,
    at: Location,
    feed_ids: &[String],
    base_dir: &Path,
) -> Result<Recipient, ConfigError> {
    let id = match &r.id {
        None => {
            return Err(cx.err(
                Some(at),
                "notify entry has no `id`",
                Some(format!(
                    "add e.g. `id: compliance-team`; keys: {}",
                    RECIPIENT_KEYS.join(", ")
                )),
            ));
        }
        Some(id) => id,
    };
    super::validate::check_id(cx, id, "notify")?;
    let id_s = id.value.clone();
    let mut feeds = Vec::new();
    if let Some(fs) = &r.feeds {
        for f in &fs.value {
            if !feed_ids.iter().any(|k| k == f) {
                let known: Vec<&str> = feed_ids.iter().map(String::as_str).collect();
                let hint = match closest(f, &known) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("feeds: {}", known.join(", ")),
                };
                return Err(cx.err(
                    Some(fs.referenced),
                    format!("recipient `{id_s}` names unknown feed `{f}`"),
                    Some(hint),
                ));
            }
            feeds.push(f.clone());
        }
    }
    let profile = match r.profile {
        None => WatchProfile::default(),
        Some(p) => profile(cx, p.value, p.referenced)?,
    };
    let remind_days = match &r.remind_days {
        None => DEFAULT_REMIND_DAYS.to_vec(),
        Some(d) => {
            let mut days = Vec::new();
            for &n in &d.value {
                if !(0..=365).contains(&n) {
                    return Err(cx.err(
                        Some(d.referenced),
                        format!("`remind_days` entries must be 0 to 365 days, not {n}"),
                        Some("e.g. `remind_days: [30, 7, 1]`; `[]` turns reminders off".into()),
                    ));
                }
                days.push(n as u32);
            }
            days.sort_unstable_by(|a, b| b.cmp(a));
            days.dedup();
            days
        }
    };
    let deadline_days = match &r.deadline_days {
        None => DEFAULT_DEADLINE_DAYS,
        Some(d) if (0..=3650).contains(&d.value) => d.value as u32,
        Some(d) => {
            return Err(cx.err(
                Some(d.referenced),
                "`deadline_days` must be 0 to 3650",
                None,
            ));
        }
    };
    let mut channels = Vec::new();
    if let Some(e) = r.email {
        channels.push(Channel::Email(email(cx, e.value, e.referenced, &id_s)?));
    }
    if let Some(s) = r.stdout {
        match s.value {
            BoolOr::Bool(false) => {}
            BoolOr::Bool(true) => channels.push(Channel::Stdout(StdoutChannel {
                format: SummaryFormat::Text,
            })),
            BoolOr::Table(t) => {
                let format = match &t.format {
                    None => SummaryFormat::Text,
                    Some(f) => match SummaryFormat::parse(&f.value) {
                        Some(SummaryFormat::Eml) | None => {
                            return Err(cx.err(
                                Some(f.referenced),
                                format!("unknown stdout format `{}`", f.value),
                                Some("formats: text, markdown, html, json".into()),
                            ));
                        }
                        Some(x) => x,
                    },
                };
                channels.push(Channel::Stdout(StdoutChannel { format }));
            }
        }
    }
    if let Some(f) = r.file {
        channels.push(Channel::File(file(cx, f.value, f.referenced, base_dir)?));
    }
    if let Some(w) = r.webhook {
        channels.push(Channel::Webhook(webhook(cx, w.value, w.referenced)?));
    }
    if channels.is_empty() {
        return Err(cx.err(
            Some(at),
            format!("recipient `{id_s}` has no channel"),
            Some("add at least one of `email`, `stdout`, `file` or `webhook`".into()),
        ));
    }
    Ok(Recipient {
        id: id_s,
        name: r.name,
        feeds,
        profile,
        remind_days,
        deadline_days,
        channels,
    })
}

fn profile(cx: &Ctx<'_>, p: RawProfile, at: Location) -> Result<WatchProfile, ConfigError> {
    let mut out = WatchProfile {
        only_matching: p.only_matching.unwrap_or(false),
        ..WatchProfile::default()
    };
    for e in p.eccns.unwrap_or_default() {
        let up = e.trim().to_ascii_uppercase();
        let b = up.as_bytes();
        let looks_like_eccn = b.len() >= 5
            && b[0].is_ascii_digit()
            && (b'A'..=b'E').contains(&b[1])
            && b[2..5].iter().all(u8::is_ascii_digit);
        if !looks_like_eccn {
            return Err(cx.err(
                Some(at),
                format!("`{e}` is not an ECCN"),
                Some("ECCNs look like 3B001, 4A906 or 0A501.a".into()),
            ));
        }
        out.eccns.push(up);
    }
    for c in p.countries.unwrap_or_default() {
        let t = c.trim();
        let up = t.to_ascii_uppercase();
        let code = if up.len() == 2 && countries::name_of(&up).is_some() {
            Some(up)
        } else {
            countries::code_of(t).map(str::to_string)
        };
        match code {
            Some(code) => out.countries.push(code),
            None => {
                return Err(cx.err(
                    Some(at),
                    format!("unknown country `{c}`"),
                    Some(
                        "use ISO 3166-1 codes (CN, NL, KR) or EAR names (\"Korea, South\")".into(),
                    ),
                ));
            }
        }
    }
    for x in p.exceptions.unwrap_or_default() {
        let up = x.trim().to_ascii_uppercase();
        if exception_by_symbol(&up).is_none() {
            return Err(cx.err(
                Some(at),
                format!("unknown license exception `{x}`"),
                Some("use the three-letter symbol: IEC, STA, ENC, LVS, GBS, TSR, …".into()),
            ));
        }
        out.exceptions.push(up);
    }
    for k in p.keywords.unwrap_or_default() {
        let k = k.trim().to_lowercase();
        if k.is_empty() {
            return Err(cx.err(Some(at), "a keyword is empty", None));
        }
        out.keywords.push(k);
    }
    for list in [&mut out.eccns, &mut out.countries, &mut out.exceptions] {
        list.sort();
        list.dedup();
    }
    if out.only_matching && out.is_empty() {
        return Err(cx.err(
            Some(at),
            "`only_matching: true` with an empty profile would keep nothing",
            Some("list eccns, countries, exceptions or keywords, or drop only_matching".into()),
        ));
    }
    Ok(out)
}

fn email(cx: &Ctx<'_>, e: RawEmail, at: Location, id: &str) -> Result<EmailChannel, ConfigError> {
    let Some(smtp) = e.smtp else {
        return Err(cx.err(
            Some(at),
            format!("recipient `{id}`: `email` needs `smtp`"),
            Some("e.g. `smtp: { host: smtp.example.com, port: 587, security: starttls }`".into()),
        ));
    };
    let s = smtp.value;
    let host = match &s.host {
        Some(h) if !h.value.trim().is_empty() && !h.value.contains(char::is_whitespace) => {
            h.value.trim().to_string()
        }
        Some(h) => return Err(cx.err(Some(h.referenced), "`host` is not a host name", None)),
        None => {
            return Err(cx.err(Some(smtp.referenced), "`smtp` needs `host`", None));
        }
    };
    let security = one_of(
        cx,
        &s.security,
        SmtpSecurity::Starttls,
        &[
            ("none", SmtpSecurity::None),
            ("starttls", SmtpSecurity::Starttls),
            ("tls", SmtpSecurity::Tls),
        ],
        "SMTP security",
    )?;
    let port = match &s.port {
        Some(p) if p.value == 0 => {
            return Err(cx.err(Some(p.referenced), "`port` must be 1 to 65535", None));
        }
        Some(p) => p.value,
        None => security.default_port(),
    };
    for v in [&s.username_env, &s.password_env].into_iter().flatten() {
        if v.value.is_empty()
            || !v
                .value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            return Err(cx.err(
                Some(v.referenced),
                format!("`{}` is not an environment variable name", v.value),
                Some("name the variable, e.g. `REGWATCH_SMTP_PASSWORD`; never the secret".into()),
            ));
        }
    }
    if s.username_env.is_some() != s.password_env.is_some() {
        return Err(cx.err(
            Some(smtp.referenced),
            "give both `username_env` and `password_env`, or neither",
            None,
        ));
    }
    let allowed = s.allow_plaintext_auth.as_ref().is_some_and(|a| a.value);
    if security == SmtpSecurity::None && s.username_env.is_some() && !allowed && !is_loopback(&host)
    {
        return Err(cx.err(
            Some(
                s.security
                    .as_ref()
                    .map_or(smtp.referenced, |v| v.referenced),
            ),
            format!(
                "recipient `{id}`: `security: none` with `username_env`/`password_env` would send \
                 the SMTP password to {host} in clear text, readable by anyone on the network path"
            ),
            Some(
                "use `security: starttls` (port 587) or `security: tls` (port 465); if the path \
                 to the server is trusted, say so with `allow_plaintext_auth: true` under `smtp:`"
                    .into(),
            ),
        ));
    }
    let timeout = match &s.timeout_secs {
        Some(t) => secs(cx, t, "timeout_secs")?,
        None => Duration::from_secs(30),
    };
    let from = match &e.from {
        Some(f) => address(cx, f)?,
        None => {
            return Err(cx.err(
                Some(at),
                format!("recipient `{id}`: `email` needs `from`"),
                None,
            ));
        }
    };
    let list = |v: &Option<Spanned<Vec<String>>>| -> Result<Vec<String>, ConfigError> {
        let mut out = Vec::new();
        if let Some(v) = v {
            for a in &v.value {
                out.push(address(
                    cx,
                    &Spanned {
                        value: a.clone(),
                        referenced: v.referenced,
                        defined: v.defined,
                    },
                )?);
            }
        }
        Ok(out)
    };
    let to = list(&e.to)?;
    let cc = list(&e.cc)?;
    if to.is_empty() {
        return Err(cx.err(
            Some(e.to.as_ref().map_or(at, |t| t.referenced)),
            format!("recipient `{id}`: `email` needs at least one `to` address"),
            None,
        ));
    }
    Ok(EmailChannel {
        smtp: SmtpSettings {
            host,
            port,
            security,
            username_env: s.username_env.map(|v| v.value),
            password_env: s.password_env.map(|v| v.value),
            timeout,
        },
        from,
        to,
        cc,
    })
}

/// True for a host on this machine (`localhost`, 127.0.0.0/8, `::1`): a
/// password sent there in clear text never crosses a network.
fn is_loopback(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    if h.eq_ignore_ascii_case("localhost") || h.eq_ignore_ascii_case("localhost.") {
        return true;
    }
    match h.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(v4)) => v4.is_loopback(),
        Ok(std::net::IpAddr::V6(v6)) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Err(_) => false,
    }
}

fn address(cx: &Ctx<'_>, v: &Spanned<String>) -> Result<String, ConfigError> {
    match v.value.trim().parse::<lettre::message::Mailbox>() {
        Ok(_) => Ok(v.value.trim().to_string()),
        Err(e) => Err(cx.err(
            Some(v.referenced),
            format!("`{}` is not an email address ({e})", v.value),
            Some("write `name@example.com` or `Team <name@example.com>`".into()),
        )),
    }
}

fn file(
    cx: &Ctx<'_>,
    f: RawFileChannel,
    at: Location,
    base_dir: &Path,
) -> Result<FileChannel, ConfigError> {
    let dir = match &f.dir {
        Some(d) if !d.value.trim().is_empty() => base_dir.join(d.value.trim()),
        Some(d) => return Err(cx.err(Some(d.referenced), "`dir` is empty", None)),
        None => {
            return Err(cx.err(
                Some(at),
                "`file` needs `dir`",
                Some("a folder, relative to feeds.yaml, e.g. `dir: reports`".into()),
            ));
        }
    };
    let formats = match &f.formats {
        None => vec![
            SummaryFormat::Markdown,
            SummaryFormat::Html,
            SummaryFormat::Json,
            SummaryFormat::Eml,
        ],
        Some(fs) => {
            let mut out = Vec::new();
            for s in &fs.value {
                match SummaryFormat::parse(s) {
                    Some(x) => out.push(x),
                    None => {
                        return Err(cx.err(
                            Some(fs.referenced),
                            format!("unknown file format `{s}`"),
                            Some("formats: md, html, json, eml, txt".into()),
                        ));
                    }
                }
            }
            let mut seen = Vec::new();
            out.retain(|f| {
                let first = !seen.contains(f);
                seen.push(*f);
                first
            });
            out
        }
    };
    Ok(FileChannel { dir, formats })
}

fn webhook(cx: &Ctx<'_>, w: RawWebhook, at: Location) -> Result<WebhookChannel, ConfigError> {
    let url = match &w.url {
        Some(u) => super::validate::parse_url(cx, u, "url")?,
        None => return Err(cx.err(Some(at), "`webhook` needs `url`", None)),
    };
    let style = one_of(
        cx,
        &w.style,
        WebhookStyle::Json,
        &[
            ("json", WebhookStyle::Json),
            ("slack", WebhookStyle::Slack),
            ("teams", WebhookStyle::Teams),
        ],
        "webhook style",
    )?;
    let timeout = match &w.timeout_secs {
        Some(t) => secs(cx, t, "timeout_secs")?,
        None => Duration::from_secs(30),
    };
    Ok(WebhookChannel {
        url,
        style,
        headers: headers(cx, &w.headers)?,
        timeout,
    })
}

/// Reads a value that must be one of `options` (case-insensitive), or
/// `default` when absent; the error lists the choices.
fn one_of<T: Copy>(
    cx: &Ctx<'_>,
    v: &Option<Spanned<String>>,
    default: T,
    options: &[(&str, T)],
    what: &str,
) -> Result<T, ConfigError> {
    let Some(v) = v else {
        return Ok(default);
    };
    let want = v.value.trim().to_ascii_lowercase();
    match options.iter().find(|(name, _)| *name == want) {
        Some((_, value)) => Ok(*value),
        None => {
            let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
            Err(cx.err(
                Some(v.referenced),
                format!("unknown {what} `{want}`"),
                Some(format!("choose one of: {}", names.join(", "))),
            ))
        }
    }
}
