//! Diff stage: what changed between two versions of a regulation, in the
//! terms its readers use.
//!
//! [`compare`] takes two [`Document`]s (the parse stage's output) and
//! returns one [`Diff`] with three layers:
//! 1. **structural** ([`provisions`]): provisions matched by citation, then
//!    by content for renumbered or moved ones, each change with its
//!    word-level edits ([`words`]);
//! 2. **semantic** ([`Flag`]s): countries entering or leaving named lists,
//!    ECCNs added, removed or modified, license exceptions, moved dates,
//!    documents appearing in a collection — each with its evidence;
//! 3. **formatting** ([`FormattingChange`]): differences that vanish under
//!    [`normalize`] (dashes, quotes, whitespace, page markers, markup).
//!    They are counted and shown, never substantive.
//!
//! The line layer ([`lines`]) serves `diff --format unified` and, through
//! [`raw`], checks the stored bytes for formatting-only edits the model
//! hides. [`stored`] applies all this to versions in the store and
//! [`history`] walks an item's whole history.

pub mod dates;
pub mod documents;
pub mod ear_tables;
pub mod eccns;
pub mod history;
pub mod lines;
pub mod lists;
pub mod normalize;
pub mod provisions;
pub mod raw;
pub mod stored;
pub mod words;

use serde::{Deserialize, Serialize};

use crate::model::{Document, ProvisionKind};
pub use normalize::FormattingKind;
pub use words::{EditOp, WordEdit};

/// Version of the diff rules and of [`Diff`]'s shape: cached diffs made by
/// other rules are recomputed.
pub const DIFF_VERSION: u32 = 3;

/// Everything that differs between two documents.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Diff {
    /// True when anything beyond formatting changed: a flag or a change.
    pub substantive: bool,
    /// Counts, for headlines.
    pub summary: Summary,
    /// Semantic findings, most important first.
    pub flags: Vec<Flag>,
    /// Structural changes to provisions and metadata, in document order.
    pub changes: Vec<Change>,
    /// Differences that are formatting only.
    pub formatting_only: Vec<FormattingChange>,
    /// Things the comparison could not settle (never fatal).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// Counts of a [`Diff`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Semantic flags.
    pub flags: usize,
    /// Provisions added.
    pub added: usize,
    /// Provisions removed.
    pub removed: usize,
    /// Provisions (and metadata fields) whose wording changed.
    pub modified: usize,
    /// Provisions moved to another place.
    pub moved: usize,
    /// Provisions redesignated in place.
    pub renumbered: usize,
    /// Provisions and metadata fields where only formatting changed.
    pub formatting: usize,
    /// Passages of the stored bytes where only formatting changed
    /// (markup, page markers, typography the model already smooths away).
    #[serde(default)]
    pub source_formatting: usize,
}

/// A semantic finding. Keys that do not apply to a kind are omitted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flag {
    /// What was found.
    pub kind: FlagKind,
    /// The finding in plain English.
    pub message: String,
    /// Inside a collection (daily issue, search response): the contained
    /// document it concerns (FR document number or title).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// The provision the evidence sits in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provision: Option<String>,
    /// Country, ISO 3166-1 alpha-2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// How the document names the country or entry ("Korea, South").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The named list concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list: Option<String>,
    /// The ECCN concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eccn: Option<String>,
    /// The license exception symbol concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exception: Option<String>,
    /// Which field changed (`comments_close`, `heading`, `items`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The value before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// The value after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// For moved dates: days later (positive) or earlier (negative).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<i64>,
    /// The text each side says it in.
    pub evidence: Evidence,
}

impl Flag {
    /// Where the flag goes in a report, most newsworthy first: new
    /// documents, moved deadlines, eligibility, exceptions, then CCL entries
    /// and their details.
    pub fn rank(&self) -> u8 {
        match self.kind {
            FlagKind::DocumentAdded => 0,
            FlagKind::DateChanged => 1,
            FlagKind::DateAdded => 2,
            FlagKind::CountryAdded => 3,
            FlagKind::CountryRemoved => 4,
            FlagKind::CountryChartChanged => 5,
            FlagKind::EntityAdded => 6,
            FlagKind::EntityRemoved => 7,
            FlagKind::EntityModified => 8,
            FlagKind::LicenseExceptionAdded if self.eccn.is_none() => 9,
            FlagKind::LicenseExceptionRemoved if self.eccn.is_none() => 10,
            FlagKind::EccnAdded => 11,
            FlagKind::EccnRemoved => 12,
            FlagKind::EccnModified => 13,
            FlagKind::LicenseExceptionAdded => 14,
            FlagKind::LicenseExceptionRemoved => 15,
            FlagKind::ListEntryAdded => 16,
            FlagKind::ListEntryRemoved => 17,
            FlagKind::DateRemoved => 18,
            FlagKind::DocumentRemoved => 19,
        }
    }

    /// A flag of `kind` with `message`; the caller fills the keys that apply.
    pub fn new(kind: FlagKind, message: String) -> Flag {
        Flag {
            kind,
            message,
            document: None,
            provision: None,
            country: None,
            label: None,
            list: None,
            eccn: None,
            exception: None,
            field: None,
            before: None,
            after: None,
            days: None,
            evidence: Evidence::default(),
        }
    }
}

/// The sentences a flag rests on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// What the old version says (absent for additions).
    pub before: Option<String>,
    /// What the new version says (absent for removals).
    pub after: Option<String>,
}

/// Kinds of semantic flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    /// A document appeared in a collection or feed.
    DocumentAdded,
    /// A document left a collection.
    DocumentRemoved,
    /// A license exception was created (its section of part 740 appeared).
    /// With `eccn`: an ECCN entry gained a license exception line.
    LicenseExceptionAdded,
    /// A license exception (or an ECCN's line for it) was removed.
    LicenseExceptionRemoved,
    /// A country joined a named list (eligibility, country group column).
    CountryAdded,
    /// A country left a named list.
    CountryRemoved,
    /// A cell of the Commerce Country Chart changed (an X came or went,
    /// or a row's note changed).
    CountryChartChanged,
    /// A party was added to the Entity List.
    EntityAdded,
    /// A party left the Entity List.
    EntityRemoved,
    /// A kept Entity List party's row changed (one flag per field).
    EntityModified,
    /// A Commerce Control List entry was added.
    EccnAdded,
    /// A Commerce Control List entry was removed.
    EccnRemoved,
    /// A Commerce Control List entry changed (heading, reasons for control,
    /// license exception text, items).
    EccnModified,
    /// An ECCN joined a list that enumerates ECCNs.
    ListEntryAdded,
    /// An ECCN left such a list.
    ListEntryRemoved,
    /// A date moved (effective, compliance, comment period).
    DateChanged,
    /// A date appeared.
    DateAdded,
    /// A date disappeared.
    DateRemoved,
}

/// Which way a flag points, for symbols and colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Something appeared.
    Added,
    /// Something went away.
    Removed,
    /// Something changed in place.
    Changed,
}

impl FlagKind {
    /// Whether the flag reports an arrival, a departure or a change.
    pub fn direction(self) -> Direction {
        match self {
            FlagKind::DocumentAdded
            | FlagKind::LicenseExceptionAdded
            | FlagKind::CountryAdded
            | FlagKind::EccnAdded
            | FlagKind::ListEntryAdded
            | FlagKind::EntityAdded
            | FlagKind::DateAdded => Direction::Added,
            FlagKind::DocumentRemoved
            | FlagKind::LicenseExceptionRemoved
            | FlagKind::CountryRemoved
            | FlagKind::EccnRemoved
            | FlagKind::ListEntryRemoved
            | FlagKind::EntityRemoved
            | FlagKind::DateRemoved => Direction::Removed,
            FlagKind::EccnModified
            | FlagKind::DateChanged
            | FlagKind::CountryChartChanged
            | FlagKind::EntityModified => Direction::Changed,
        }
    }

    /// Snake-case name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            FlagKind::DocumentAdded => "document_added",
            FlagKind::DocumentRemoved => "document_removed",
            FlagKind::LicenseExceptionAdded => "license_exception_added",
            FlagKind::LicenseExceptionRemoved => "license_exception_removed",
            FlagKind::CountryAdded => "country_added",
            FlagKind::CountryRemoved => "country_removed",
            FlagKind::CountryChartChanged => "country_chart_changed",
            FlagKind::EntityAdded => "entity_added",
            FlagKind::EntityRemoved => "entity_removed",
            FlagKind::EntityModified => "entity_modified",
            FlagKind::EccnAdded => "eccn_added",
            FlagKind::EccnRemoved => "eccn_removed",
            FlagKind::EccnModified => "eccn_modified",
            FlagKind::ListEntryAdded => "list_entry_added",
            FlagKind::ListEntryRemoved => "list_entry_removed",
            FlagKind::DateChanged => "date_changed",
            FlagKind::DateAdded => "date_added",
            FlagKind::DateRemoved => "date_removed",
        }
    }
}

/// A structural change to one provision (or metadata field).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// Added, removed, modified, moved or renumbered.
    pub kind: ChangeKind,
    /// The provision's id in the new version (the old one when removed);
    /// `Title`, `Action` or `Summary` for metadata.
    pub provision: String,
    /// The old id, for moved and renumbered provisions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before_provision: Option<String>,
    /// Inside a collection: the contained document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// Level of the provision (absent for metadata).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<ProvisionKind>,
    /// Heading in the new version (old one when removed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    /// The old heading, when the heading changed (empty when there was none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before_heading: Option<String>,
    /// Old text (for added/removed provisions: with their sub-provisions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// New text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// Word-level edits from `before` to `after` (modified, moved, renumbered).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<WordEdit>,
    /// Sub-provisions included in an added or removed provision.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub descendants: usize,
    /// For content-matched moves: how alike the texts are (0–1, two decimals).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub similarity: Option<f64>,
}

impl Change {
    /// A change of `kind` to `provision`; the caller fills what applies.
    pub fn new(kind: ChangeKind, provision: String) -> Change {
        Change {
            kind,
            provision,
            before_provision: None,
            document: None,
            level: None,
            heading: None,
            before_heading: None,
            before: None,
            after: None,
            words: Vec::new(),
            descendants: 0,
            similarity: None,
        }
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Kinds of structural change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Only in the new version.
    Added,
    /// Only in the old version.
    Removed,
    /// Same id, different wording (or heading).
    Modified,
    /// Same content found under a different parent.
    Moved,
    /// Same content, same parent, new designation (`(b)` → `(c)`).
    Renumbered,
}

impl ChangeKind {
    /// Snake-case name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Modified => "modified",
            ChangeKind::Moved => "moved",
            ChangeKind::Renumbered => "renumbered",
        }
    }
}

/// A place where only formatting changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormattingChange {
    /// A provision, metadata field, or the source bytes as a whole.
    pub scope: FormattingScope,
    /// Inside a collection: the contained document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// The provision (or metadata field) concerned; absent for `source`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provision: Option<String>,
    /// What kinds of formatting changed.
    pub kinds: Vec<FormattingKind>,
    /// How many places: 1 for a provision, changed passages for `source`.
    pub places: usize,
    /// One example, before and after.
    pub example: Evidence,
}

/// Where a formatting change was seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormattingScope {
    /// A provision's text or heading.
    Provision,
    /// A metadata field (title, action, summary).
    Metadata,
    /// The stored bytes: markup, page markers and typography that the
    /// parsed model already smooths away.
    Source,
}

/// Compares two documents (two versions of the same thing).
pub fn compare(before: &Document, after: &Document) -> Diff {
    let mut diff = Diff::default();
    documents::compare_document(before, after, None, &mut diff);
    diff.finish();
    diff
}

impl Diff {
    /// Orders flags by importance and fills `summary` and `substantive`.
    pub fn finish(&mut self) {
        // Stable sort: within a rank, document order is kept.
        self.flags.sort_by_key(Flag::rank);
        let places = |source: bool| -> usize {
            self.formatting_only
                .iter()
                .filter(|f| (f.scope == FormattingScope::Source) == source)
                .map(|f| f.places)
                .sum()
        };
        let mut s = Summary {
            flags: self.flags.len(),
            formatting: places(false),
            source_formatting: places(true),
            ..Summary::default()
        };
        for c in &self.changes {
            match c.kind {
                ChangeKind::Added => s.added += 1,
                ChangeKind::Removed => s.removed += 1,
                ChangeKind::Modified => s.modified += 1,
                ChangeKind::Moved => s.moved += 1,
                ChangeKind::Renumbered => s.renumbered += 1,
            }
        }
        self.summary = s;
        self.substantive = !self.flags.is_empty() || !self.changes.is_empty();
    }

    /// Flags of one kind.
    pub fn flags_of(&self, kind: FlagKind) -> impl Iterator<Item = &Flag> {
        self.flags.iter().filter(move |f| f.kind == kind)
    }
}
