//! Webhooks: the summary POSTed as JSON. `style: slack` and `style: teams`
//! send `{"text": …}`, which both services' incoming webhooks accept;
//! `style: json` sends the summary envelope with the same `text` beside it.

use std::sync::LazyLock;

use serde_json::json;

use super::NotifyError;
use super::outbox::OutboxEntry;
use crate::config::{HeaderValue, WebhookChannel, WebhookStyle};
use crate::report::digest_render;
use crate::report::record::{Record, RecordType};

/// The request body for this channel.
pub fn body(entry: &OutboxEntry, ch: &WebhookChannel) -> serde_json::Value {
    let markdown = digest_render::markdown(&entry.digest);
    match ch.style {
        WebhookStyle::Slack => json!({ "text": slack_text(&markdown) }),
        WebhookStyle::Teams => json!({ "text": markdown }),
        WebhookStyle::Json => {
            let mut v =
                Record::new(RecordType::Summary, &digest_render::worded(&entry.digest)).to_value();
            if let Some(o) = v.as_object_mut() {
                o.insert("id".into(), json!(entry.id));
                o.insert("subject".into(), json!(entry.subject));
                o.insert("text".into(), json!(digest_render::text(&entry.digest)));
            }
            v
        }
    }
}

/// Markdown links `[label](url)` or `[label](<url>)`, rewritten for Slack.
static MARKDOWN_LINK: LazyLock<Option<regex::Regex>> =
    LazyLock::new(|| regex::Regex::new(r"\[([^\]]+)\]\(<?(https?://[^)\s>]+)>?\)").ok());

/// Slack's mrkdwn: `*bold*`, `<url|label>` links, no `#` headings.
fn slack_text(markdown: &str) -> String {
    let link = &*MARKDOWN_LINK;
    markdown
        .lines()
        .map(|l| {
            let l = l.trim_start_matches('#').trim_start();
            let l = l.replace("**", "*");
            match &link {
                Some(re) => re.replace_all(&l, "<$2|$1>").into_owned(),
                None => l,
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// POSTs the body; calls `committing` just before the request goes out.
/// Any 2xx is success; the `Idempotency-Key` header carries the outbox id so
/// a receiver that honours it can drop a repeat. Redirects are not followed:
/// the channel's headers (often a token) and the summary go only to the
/// configured URL, and a 3xx answer is a failed delivery that names where it
/// pointed, so the user can configure the final address.
pub async fn send(
    entry: &OutboxEntry,
    ch: &WebhookChannel,
    user_agent: &str,
    committing: impl FnOnce() -> Result<(), NotifyError>,
) -> Result<(), NotifyError> {
    let client = reqwest::Client::builder()
        .timeout(ch.timeout)
        .user_agent(user_agent)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| NotifyError::Failed(format!("HTTP client: {e}")))?;
    let mut req = client
        .post(ch.url.clone())
        .header("Idempotency-Key", entry.id.as_str())
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body(entry, ch).to_string());
    for h in &ch.headers {
        let value = match &h.value {
            HeaderValue::Literal(v) => v.clone(),
            HeaderValue::Env(name) => std::env::var(name).map_err(|_| {
                NotifyError::Failed(format!(
                    "environment variable {name} is not set (header {})",
                    h.name
                ))
            })?,
        };
        req = req.header(h.name.as_str(), value);
    }
    committing()?;
    let host = ch.url.host_str().unwrap_or("?").to_string();
    let resp = req
        .send()
        .await
        // reqwest errors print the URL, which for Slack/Teams webhooks is
        // the secret: keep only the cause.
        .map_err(|e| NotifyError::Failed(format!("webhook {host}: {}", e.without_url())))?;
    let status = resp.status();
    if status.is_success() {
        Ok(())
    } else if status.is_redirection() {
        let to = resp
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|l| l.to_str().ok())
            .and_then(|l| ch.url.join(l).ok())
            .map(|u| u.host_str().unwrap_or("?").to_string())
            .unwrap_or_else(|| "an unusable Location".to_string());
        Err(NotifyError::Failed(format!(
            "webhook {host} answered {status} (redirect to {to}), not followed: \
             the channel's headers go only to the configured URL; set `url` to the final address"
        )))
    } else {
        let text = resp.text().await.unwrap_or_default();
        let short: String = text.chars().take(200).collect();
        Err(NotifyError::Failed(format!(
            "webhook {host} answered {status}: {short}"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::slack_text;

    /// Both link forms the summary writes become Slack links.
    #[test]
    fn markdown_links_become_slack_links() {
        let md = "- ★ [ECCN 3C909 added — 15 CFR part 774](<https://x.gov/a?part=774>)\n\
                  - **[Notice](https://x.gov/n)**";
        assert_eq!(
            slack_text(md),
            "- ★ <https://x.gov/a?part=774|ECCN 3C909 added — 15 CFR part 774>\n- *<https://x.gov/n|Notice>*"
        );
    }
}
