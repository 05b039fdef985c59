//! Email over SMTP: the summary as a MIME multipart (plain text + HTML)
//! message, sent with lettre over rustls.
//!
//! The connection is driven step by step (connect, TLS, EHLO, AUTH, then the
//! mail transaction) rather than through a transport's one-shot `send`, so
//! the outbox can be told the moment the irrevocable part begins: a failure
//! before it is retried next run, a run killed during it is not (see
//! [`super::outbox`]).

use std::time::SystemTime;

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;

use super::NotifyError;
use super::outbox::OutboxEntry;
use crate::config::{EmailChannel, SmtpSecurity};
use crate::report::digest_render;

/// Builds the message exactly as it will be sent (also written as `.eml`).
/// `Message-ID` is derived from the outbox id and `Date` from the time the
/// message was composed, so a retried message is recognisably the same one.
pub fn build(entry: &OutboxEntry, ch: &EmailChannel) -> Result<lettre::Message, NotifyError> {
    let mailbox = |s: &str| -> Result<Mailbox, NotifyError> {
        s.parse::<Mailbox>()
            .map_err(|e| NotifyError::Message(format!("bad address `{s}`: {e}")))
    };
    let mut b = lettre::Message::builder()
        .from(mailbox(&ch.from)?)
        .subject(entry.subject.clone())
        .message_id(Some(format!("<{}@regwatch>", entry.id)))
        .date(SystemTime::from(entry.created_at))
        .user_agent(format!("regwatch/{}", env!("CARGO_PKG_VERSION")));
    for to in &ch.to {
        b = b.to(mailbox(to)?);
    }
    for cc in &ch.cc {
        b = b.cc(mailbox(cc)?);
    }
    let text = digest_render::text(&entry.digest);
    let html = digest_render::html(&entry.digest);
    b.multipart(MultiPart::alternative_plain_html(text, html))
        .map_err(|e| NotifyError::Message(e.to_string()))
}

/// Builds a message for a channel-less preview (`.eml` files, the demo):
/// the recipient's email settings when it has them, placeholders otherwise.
pub fn preview(entry: &OutboxEntry, ch: Option<&EmailChannel>) -> Result<Vec<u8>, NotifyError> {
    let fallback;
    let ch = match ch {
        Some(c) => c,
        None => {
            fallback = EmailChannel {
                smtp: crate::config::SmtpSettings {
                    host: "localhost".into(),
                    port: 25,
                    security: SmtpSecurity::None,
                    username_env: None,
                    password_env: None,
                    timeout: std::time::Duration::from_secs(30),
                },
                from: "regwatch <regwatch@localhost>".into(),
                to: vec![format!(
                    "{} <{}@localhost>",
                    entry.recipient, entry.recipient
                )],
                cc: Vec::new(),
            };
            &fallback
        }
    };
    Ok(build(entry, ch)?.formatted())
}

fn env_secret(name: &str) -> Result<String, NotifyError> {
    std::env::var(name).map_err(|_| {
        NotifyError::Failed(format!(
            "environment variable {name} is not set (SMTP credentials are read from it)"
        ))
    })
}

/// Sends the message; calls `committing` once the connection is open and
/// authenticated, just before the mail transaction. An error from
/// `committing` aborts the send (nothing has been transmitted yet).
pub async fn send(
    ch: &EmailChannel,
    message: &lettre::Message,
    committing: impl FnOnce() -> Result<(), NotifyError>,
) -> Result<(), NotifyError> {
    let s = &ch.smtp;
    let fail = |what: &str, e: lettre::transport::smtp::Error| {
        NotifyError::Failed(format!("SMTP {what} {}:{}: {e}", s.host, s.port))
    };
    let hello = ClientId::default();
    // lettre bounds only the TCP connect; a server that stops answering
    // mid-conversation would stall a cron run for ever, so each phase has
    // the configured timeout.
    let stalled = |what: &str| {
        NotifyError::Failed(format!(
            "SMTP server {}:{} did not answer {what} within {} s",
            s.host,
            s.port,
            s.timeout.as_secs_f64()
        ))
    };
    let mut conn = tokio::time::timeout(s.timeout, open(ch, &hello))
        .await
        .map_err(|_| stalled("while connecting and authenticating"))??;
    if let Err(e) = committing() {
        conn.abort().await;
        return Err(e);
    }
    let bytes = message.formatted();
    match tokio::time::timeout(s.timeout, conn.send(message.envelope(), &bytes)).await {
        Ok(Ok(_)) => {
            let _ = tokio::time::timeout(s.timeout, conn.quit()).await;
            Ok(())
        }
        // A reply code means the server refused the message: safe to retry.
        Ok(Err(e)) if e.is_permanent() || e.is_transient() => {
            let _ = tokio::time::timeout(s.timeout, conn.abort()).await;
            Err(fail("delivery to", e))
        }
        // A broken or stalled connection mid-transaction is ambiguous.
        Ok(Err(e)) => Err(NotifyError::Uncertain(format!(
            "SMTP connection to {}:{} broke while sending: {e}",
            s.host, s.port
        ))),
        Err(_) => Err(NotifyError::Uncertain(format!(
            "SMTP server {}:{} did not confirm the message within {} s",
            s.host,
            s.port,
            s.timeout.as_secs_f64()
        ))),
    }
}

/// Connects, secures and authenticates: everything before the mail
/// transaction, so any failure here is safe to retry.
async fn open(ch: &EmailChannel, hello: &ClientId) -> Result<AsyncSmtpConnection, NotifyError> {
    let s = &ch.smtp;
    let fail = |what: &str, e: lettre::transport::smtp::Error| {
        NotifyError::Failed(format!("SMTP {what} {}:{}: {e}", s.host, s.port))
    };
    let tls = || {
        TlsParameters::new(s.host.clone())
            .map_err(|e| NotifyError::Failed(format!("TLS setup for {}: {e}", s.host)))
    };
    let first_tls = match s.security {
        SmtpSecurity::Tls => Some(tls()?),
        _ => None,
    };
    let mut conn = AsyncSmtpConnection::connect_tokio1(
        (s.host.as_str(), s.port),
        Some(s.timeout),
        hello,
        first_tls,
        None,
    )
    .await
    .map_err(|e| fail("connect to", e))?;
    if s.security == SmtpSecurity::Starttls {
        if !conn.can_starttls() {
            conn.abort().await;
            return Err(NotifyError::Failed(format!(
                "SMTP server {}:{} does not offer STARTTLS (security: starttls requires it)",
                s.host, s.port
            )));
        }
        conn.starttls(tls()?, hello)
            .await
            .map_err(|e| fail("STARTTLS with", e))?;
    }
    if let (Some(user), Some(pass)) = (&s.username_env, &s.password_env) {
        let creds = Credentials::new(env_secret(user)?, env_secret(pass)?);
        if let Err(e) = conn
            .auth(&[Mechanism::Plain, Mechanism::Login], &creds)
            .await
        {
            conn.abort().await;
            return Err(fail("authentication at", e));
        }
    }
    Ok(conn)
}
