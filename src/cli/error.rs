//! The error boundary: every failure that reaches `main` passes here once,
//! to be printed with hints and mapped to an exit code.

use regwatch::config::ConfigError;
use regwatch::store::StoreError;

use super::exit_code;
use super::ui::Ui;

/// An error the CLI raises itself, with advice on what to do.
#[derive(Debug)]
pub struct Advised {
    /// What is wrong, and why.
    pub message: String,
    /// What to do about it (printed as `hint:`).
    pub hint: String,
}

impl std::fmt::Display for Advised {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Advised {}

/// Prints `err` with hints and returns the exit code for it.
pub fn report(ui: &Ui, err: &anyhow::Error) -> u8 {
    let mut hints = Vec::new();
    if let Some(a) = err.downcast_ref::<Advised>() {
        hints.push(a.hint.clone());
    }
    if let Some(c) = err.downcast_ref::<ConfigError>() {
        if let Some(h) = c.hint() {
            hints.push(h.to_string());
        }
        if let ConfigError::Io { path, .. } = c {
            hints.push(format!(
                "create {} (see the README), pass --config FILE, or try `regwatch demo`",
                path.display()
            ));
        }
    }
    if let Some(s) = err.downcast_ref::<StoreError>() {
        match s {
            StoreError::Locked { .. } => {
                hints.push("wait for that run to finish, or pass --wait".into())
            }
            StoreError::Corrupt { .. } => {
                hints.push("run `regwatch verify` to see every damaged file".into())
            }
            StoreError::Format { .. } => {
                hints.push("use the regwatch version that wrote this store".into())
            }
            StoreError::Unmarked { root } => hints.push(format!(
                "restore {} from a backup or git (for this regwatch it reads {{\"format\": {}}}), then run `regwatch verify`; or pass --store for another folder",
                root.join("STORE.json").display(),
                regwatch::store::FORMAT
            )),
            _ => {}
        }
    }
    let mut msg = err.to_string();
    for cause in err.chain().skip(1) {
        let c = cause.to_string();
        if !msg.contains(&c) {
            msg.push_str(": ");
            msg.push_str(&c);
        }
    }
    ui.error(&msg, &hints);
    exit_code::ERROR
}
