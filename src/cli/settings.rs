//! Resolves where the config and the store are, in one stated order:
//! flag, then environment variable, then config file, then default.

use std::path::PathBuf;

use anyhow::Context;
use chrono::{DateTime, Utc};
use regwatch::config::Config;

use super::args::GlobalArgs;

/// Returns the config file path: `--config`, `REGWATCH_CONFIG`, `./feeds.yaml`.
pub fn config_path(g: &GlobalArgs) -> PathBuf {
    g.config
        .clone()
        .or_else(|| std::env::var_os("REGWATCH_CONFIG").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("feeds.yaml"))
}

/// Returns the loaded configuration.
pub fn load_config(g: &GlobalArgs) -> anyhow::Result<Config> {
    Ok(Config::load(&config_path(g))?)
}

/// Returns the store directory: `--store`, `REGWATCH_STORE`, the config's
/// `store`, else `./snapshots`. The config is read only when needed.
pub fn store_dir(g: &GlobalArgs, config: Option<&Config>) -> anyhow::Result<PathBuf> {
    if let Some(s) = &g.store {
        return Ok(s.clone());
    }
    if let Some(s) = std::env::var_os("REGWATCH_STORE") {
        return Ok(PathBuf::from(s));
    }
    if let Some(c) = config {
        return Ok(c.store.clone());
    }
    let path = config_path(g);
    if path.exists() {
        return Ok(load_config(g)?.store);
    }
    Ok(PathBuf::from("snapshots"))
}

/// Returns "now": `REGWATCH_NOW` (RFC 3339) when set, for reproducible
/// tests and demos, else the system clock.
pub fn now() -> anyhow::Result<DateTime<Utc>> {
    match std::env::var("REGWATCH_NOW") {
        Ok(s) => Ok(DateTime::parse_from_rfc3339(&s)
            .with_context(|| format!("REGWATCH_NOW is not an RFC 3339 time: `{s}`"))?
            .with_timezone(&Utc)),
        Err(_) => Ok(Utc::now()),
    }
}
