//! Report stage: turns models (and, later, diffs) into text for people.
//!
//! Rendering is separate from the CLI so the same card can go to a
//! terminal, an email or a file.

pub mod card;
