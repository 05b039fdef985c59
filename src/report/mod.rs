//! Report stage: turns models and diffs into text for people.
//!
//! Rendering is separate from the CLI so the same card or diff can go to a
//! terminal, an email or a file.

pub mod card;
pub mod describe;
pub mod diff_html;
pub mod diff_text;
pub mod digest_render;
pub mod excerpt;
pub mod output;
pub mod record;
pub mod terminal;
pub mod unified;
