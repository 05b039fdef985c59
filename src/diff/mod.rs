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
pub mod policies;
pub mod provisions;
pub mod raw;
pub mod stored;
pub mod terms;
pub mod words;

use serde::{Deserialize, Serialize};

use chrono::NaiveDate;

use crate::model::{DateKind, DocKind, Document, FrCitation, ProvisionKind};
pub use ear_tables::EntityField;
pub use normalize::FormattingKind;
pub use policies::ReviewPolicy;
pub use words::{EditOp, WordEdit};

/// Version of the diff rules and of [`Diff`]'s shape: cached diffs made by
/// other rules are recomputed.
pub const DIFF_VERSION: u32 = 6;

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

/// A semantic finding, and the contained document it concerns.
///
/// The JSON is the finding's fields with its `kind` (docs/DIFF.md), plus
/// `document` inside a collection. There is no English here: `report`
/// words findings (`report::describe`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flag {
    /// What was found.
    #[serde(flatten)]
    pub finding: Finding,
    /// Inside a collection (daily issue, search response): the contained
    /// document it concerns (FR document number or title).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
}

impl From<Finding> for Flag {
    fn from(finding: Finding) -> Flag {
        Flag {
            finding,
            document: None,
        }
    }
}

impl Flag {
    /// `finding` about the contained document `document` (if any).
    pub fn new(finding: Finding, document: Option<&str>) -> Flag {
        Flag {
            finding,
            document: document.map(str::to_string),
        }
    }

    /// The kind of finding.
    pub fn kind(&self) -> FlagKind {
        self.finding.kind()
    }

    /// See [`Finding::rank`].
    pub fn rank(&self) -> u8 {
        self.finding.rank()
    }

    /// See [`Finding::provision`].
    pub fn provision(&self) -> Option<&str> {
        self.finding.provision()
    }

    /// See [`Finding::evidence`].
    pub fn evidence(&self) -> &Evidence {
        self.finding.evidence()
    }
}

/// What a semantic finding says, one variant per kind with the fields that
/// kind has. Serialised with its `kind` (`"kind": "country_added"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Finding {
    /// A document appeared in a collection or feed.
    DocumentAdded(DocumentFinding),
    /// A document left a collection.
    DocumentRemoved(DocumentFinding),
    /// A license exception was created (its section of part 740 appeared),
    /// or, with `eccn`, an ECCN entry gained a license exception line.
    LicenseExceptionAdded(ExceptionFinding),
    /// A license exception (or an ECCN's line for it) was removed.
    LicenseExceptionRemoved(ExceptionFinding),
    /// A country joined a named list (eligibility, country group column).
    CountryAdded(CountryFinding),
    /// A country left a named list.
    CountryRemoved(CountryFinding),
    /// A cell of the Commerce Country Chart changed (an X came or went,
    /// or a row's note changed).
    CountryChartChanged {
        /// The country's ISO 3166-1 alpha-2 code, when known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        country: Option<String>,
        /// The country as the chart writes it.
        label: String,
        /// The column (`RS2`), or `note` for the row's note.
        column: String,
        /// The cell before: `X`, empty, or the note text.
        before: String,
        /// The cell after.
        after: String,
        /// The chart's provision.
        provision: String,
    },
    /// A party was added to the Entity List.
    EntityAdded(EntityFinding),
    /// A party left the Entity List.
    EntityRemoved(EntityFinding),
    /// A kept Entity List party's row changed (one finding per field).
    EntityModified {
        /// The party as it now stands.
        #[serde(flatten)]
        entity: EntityFinding,
        /// What changed.
        field: EntityField,
        /// The field before (lists joined with `; `).
        before: String,
        /// The field after.
        after: String,
    },
    /// A Commerce Control List entry was added.
    EccnAdded(EccnFinding),
    /// A Commerce Control List entry was removed.
    EccnRemoved(EccnFinding),
    /// A Commerce Control List entry changed in one aspect (heading,
    /// reasons for control, a license exception line, items, text).
    EccnModified {
        /// The ECCN.
        eccn: String,
        /// The aspect that changed.
        field: EccnField,
        /// For `license_exceptions`: the exception whose line changed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        exception: Option<String>,
        /// Reasons for control or item paragraphs gained.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        added: Vec<String>,
        /// Reasons for control or item paragraphs lost.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        removed: Vec<String>,
        /// Item paragraphs reworded.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        reworded: Vec<String>,
        /// The aspect before (absent when empty).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        before: Option<String>,
        /// The aspect after (absent when empty).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        after: Option<String>,
        /// The entry's provision.
        provision: String,
        /// The text each side says it in.
        evidence: Evidence,
    },
    /// An ECCN joined a list that enumerates ECCNs.
    ListEntryAdded(ListEntryFinding),
    /// An ECCN left such a list.
    ListEntryRemoved(ListEntryFinding),
    /// A kept provision states another license review policy (set of
    /// policies) than before: "case-by-case" → "presumption of denial".
    ReviewPolicyChanged {
        /// The provision.
        provision: String,
        /// The policies it stated, in the order first stated.
        before: Vec<ReviewPolicy>,
        /// The policies it states now.
        after: Vec<ReviewPolicy>,
        /// The sentences stating them, on each side.
        evidence: Evidence,
    },
    /// A term in single quotes that the new version refers to its
    /// definition ("'military end user,' as defined in paragraph (g) of
    /// this section") and the old one never quoted.
    DefinedTermAdded {
        /// The term as written (without the comma inside the quotes).
        term: String,
        /// Where its definition is, as the text says ("paragraph (g) of
        /// this section").
        defined_in: String,
        /// The first provision referring to its definition.
        provision: String,
        /// That sentence (`after`).
        evidence: Evidence,
    },
    /// A date moved (effective, compliance, comment period).
    DateChanged {
        /// Which date.
        field: DateKind,
        /// The date before.
        before: NaiveDate,
        /// The date after.
        after: NaiveDate,
        /// Days later (positive) or earlier (negative).
        days: i64,
        /// The provision the date applies to, when it is not document-wide.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scope: Option<String>,
        /// The provision (or section) the evidence sits in.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        provision: Option<String>,
        /// The text each side says it in.
        evidence: Evidence,
    },
    /// A date appeared.
    DateAdded(DateFinding),
    /// A date disappeared.
    DateRemoved(DateFinding),
    /// A new document changes (delays, brings forward) another rule's
    /// effective date: news about that rule.
    EffectiveDateChanged(OtherDocumentDate),
    /// A new document changes another rule's compliance date.
    ComplianceDateChanged(OtherDocumentDate),
}

/// A date of another document, changed by the document the finding is
/// about ("delays the effective date of 89 FR 72926 from … until …").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OtherDocumentDate {
    /// The document whose date changes, as the text names it (`89 FR
    /// 72926`, `FR Doc. 2024-19633`, `RIN 0694-AJ60` or a quoted title).
    pub of_document: String,
    /// The date before.
    pub before: NaiveDate,
    /// The date after.
    pub after: NaiveDate,
    /// Days later (positive) or earlier (negative).
    pub days: i64,
    /// The changing document (its FR document number, else citation or
    /// title), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// The provision (or section) the evidence sits in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provision: Option<String>,
    /// The sentence saying so (`after`).
    pub evidence: Evidence,
}

/// A document entering or leaving a collection or feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentFinding {
    /// Rule, notice, …; absent for an item whose version could not be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_type: Option<DocKind>,
    /// FR document number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Title (for an unreadable item: its feed title or key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// FR citation (`89 FR 99001`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
    /// Its action line or summary.
    pub evidence: Evidence,
}

/// A license exception defined by a section, or on an ECCN entry's line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExceptionFinding {
    /// The exception's symbol (`IEC`).
    pub exception: String,
    /// The ECCN whose entry gained or lost the line; absent for a section
    /// of part 740.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eccn: Option<String>,
    /// The line's text, for an ECCN's line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<String>,
    /// The section, or the ECCN entry's provision.
    pub provision: String,
    /// The text each side says it in.
    pub evidence: Evidence,
}

/// A country (or a region of one) entering or leaving a named list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountryFinding {
    /// ISO 3166-1 alpha-2; for a region, its country's.
    pub country: String,
    /// For a region of a country (the Crimea region of Ukraine, the
    /// so-called DNR and LNR regions): its regwatch id (`UA-DNR`, see
    /// `model::countries::REGIONS`). Absent for a whole country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// How the document names it ("Korea, South").
    pub label: String,
    /// The list's name.
    pub list: String,
    /// The list's provision.
    pub provision: String,
    /// The list's text on each side.
    pub evidence: Evidence,
}

/// An ECCN entering or leaving a list that enumerates ECCNs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListEntryFinding {
    /// The ECCN.
    pub eccn: String,
    /// The list's name.
    pub list: String,
    /// The list's provision.
    pub provision: String,
    /// The list's text on each side.
    pub evidence: Evidence,
}

/// A Commerce Control List entry that came or went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EccnFinding {
    /// The ECCN.
    pub eccn: String,
    /// Its heading.
    pub heading: String,
    /// The supplement holding the CCL (`Supplement No. 1 to Part 774`),
    /// when the entry sits in one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<String>,
    /// The entry's provision.
    pub provision: String,
    /// The entry (heading and reasons for control).
    pub evidence: Evidence,
}

/// An Entity List party.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityFinding {
    /// The party's name.
    pub name: String,
    /// Its country's ISO code, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Its country as the list writes it.
    pub country_name: String,
    /// The latest FR citation of the row as it now stands (none for a
    /// removal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<FrCitation>,
    /// The Entity List's provision.
    pub provision: String,
    /// The row as one line, on each side.
    pub evidence: Evidence,
}

/// A date that appeared or disappeared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DateFinding {
    /// Which date.
    pub field: DateKind,
    /// The date.
    pub date: NaiveDate,
    /// The provision the date applies to, when it is not document-wide.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// The provision (or section) the evidence sits in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provision: Option<String>,
    /// The text it is stated in.
    pub evidence: Evidence,
}

/// Aspects of a CCL entry an `eccn_modified` finding names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EccnField {
    /// The heading.
    Heading,
    /// The reasons for control.
    ReasonsForControl,
    /// A license exception line's text.
    LicenseExceptions,
    /// Item paragraphs gained, lost or reworded.
    Items,
    /// Rows of the License Requirements table gained, lost or changed
    /// other than by a country named (that is `country_added`/`_removed`).
    LicenseRequirements,
    /// The Related Controls paragraph.
    RelatedControls,
    /// Notes, technical notes and N.B.s gained, lost or reworded (named by
    /// their headings).
    Notes,
    /// The entry's text, when nothing narrower explains the change.
    Text,
}

impl EccnField {
    /// Snake-case name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            EccnField::Heading => "heading",
            EccnField::ReasonsForControl => "reasons_for_control",
            EccnField::LicenseExceptions => "license_exceptions",
            EccnField::Items => "items",
            EccnField::LicenseRequirements => "license_requirements",
            EccnField::RelatedControls => "related_controls",
            EccnField::Notes => "notes",
            EccnField::Text => "text",
        }
    }
}

/// Evidence of findings that have none of their own (chart cells).
static NO_EVIDENCE: Evidence = Evidence {
    before: None,
    after: None,
};

impl Finding {
    /// The kind of finding.
    pub fn kind(&self) -> FlagKind {
        match self {
            Finding::DocumentAdded(_) => FlagKind::DocumentAdded,
            Finding::DocumentRemoved(_) => FlagKind::DocumentRemoved,
            Finding::LicenseExceptionAdded(_) => FlagKind::LicenseExceptionAdded,
            Finding::LicenseExceptionRemoved(_) => FlagKind::LicenseExceptionRemoved,
            Finding::CountryAdded(_) => FlagKind::CountryAdded,
            Finding::CountryRemoved(_) => FlagKind::CountryRemoved,
            Finding::CountryChartChanged { .. } => FlagKind::CountryChartChanged,
            Finding::EntityAdded(_) => FlagKind::EntityAdded,
            Finding::EntityRemoved(_) => FlagKind::EntityRemoved,
            Finding::EntityModified { .. } => FlagKind::EntityModified,
            Finding::EccnAdded(_) => FlagKind::EccnAdded,
            Finding::EccnRemoved(_) => FlagKind::EccnRemoved,
            Finding::EccnModified { .. } => FlagKind::EccnModified,
            Finding::ListEntryAdded(_) => FlagKind::ListEntryAdded,
            Finding::ListEntryRemoved(_) => FlagKind::ListEntryRemoved,
            Finding::DateChanged { .. } => FlagKind::DateChanged,
            Finding::DateAdded(_) => FlagKind::DateAdded,
            Finding::DateRemoved(_) => FlagKind::DateRemoved,
            Finding::EffectiveDateChanged(_) => FlagKind::EffectiveDateChanged,
            Finding::ComplianceDateChanged(_) => FlagKind::ComplianceDateChanged,
            Finding::ReviewPolicyChanged { .. } => FlagKind::ReviewPolicyChanged,
            Finding::DefinedTermAdded { .. } => FlagKind::DefinedTermAdded,
        }
    }

    /// Where the finding goes in a report, most newsworthy first: new
    /// documents, moved deadlines, eligibility, exceptions, then CCL entries
    /// and their details.
    pub fn rank(&self) -> u8 {
        match self {
            Finding::LicenseExceptionAdded(x) if x.eccn.is_none() => 9,
            Finding::LicenseExceptionRemoved(x) if x.eccn.is_none() => 10,
            f => match f.kind() {
                FlagKind::DocumentAdded => 0,
                FlagKind::DateChanged
                | FlagKind::EffectiveDateChanged
                | FlagKind::ComplianceDateChanged => 1,
                FlagKind::DateAdded => 2,
                FlagKind::CountryAdded => 3,
                FlagKind::CountryRemoved => 4,
                FlagKind::CountryChartChanged
                | FlagKind::ReviewPolicyChanged
                | FlagKind::DefinedTermAdded => 5,
                FlagKind::EntityAdded => 6,
                FlagKind::EntityRemoved => 7,
                FlagKind::EntityModified => 8,
                FlagKind::EccnAdded => 11,
                FlagKind::EccnRemoved => 12,
                FlagKind::EccnModified => 13,
                FlagKind::LicenseExceptionAdded => 14,
                FlagKind::LicenseExceptionRemoved => 15,
                FlagKind::ListEntryAdded => 16,
                FlagKind::ListEntryRemoved => 17,
                FlagKind::DateRemoved => 18,
                FlagKind::DocumentRemoved => 19,
            },
        }
    }

    /// The provision the evidence sits in.
    pub fn provision(&self) -> Option<&str> {
        match self {
            Finding::DocumentAdded(_) | Finding::DocumentRemoved(_) => None,
            Finding::LicenseExceptionAdded(x) | Finding::LicenseExceptionRemoved(x) => {
                Some(&x.provision)
            }
            Finding::CountryAdded(c) | Finding::CountryRemoved(c) => Some(&c.provision),
            Finding::CountryChartChanged { provision, .. }
            | Finding::EccnModified { provision, .. }
            | Finding::ReviewPolicyChanged { provision, .. }
            | Finding::DefinedTermAdded { provision, .. } => Some(provision),
            Finding::EntityAdded(e)
            | Finding::EntityRemoved(e)
            | Finding::EntityModified { entity: e, .. } => Some(&e.provision),
            Finding::EccnAdded(e) | Finding::EccnRemoved(e) => Some(&e.provision),
            Finding::ListEntryAdded(l) | Finding::ListEntryRemoved(l) => Some(&l.provision),
            Finding::DateChanged { provision, .. } => provision.as_deref(),
            Finding::DateAdded(d) | Finding::DateRemoved(d) => d.provision.as_deref(),
            Finding::EffectiveDateChanged(o) | Finding::ComplianceDateChanged(o) => {
                o.provision.as_deref()
            }
        }
    }

    /// The sentences the finding rests on (none for a chart cell).
    pub fn evidence(&self) -> &Evidence {
        match self {
            Finding::DocumentAdded(d) | Finding::DocumentRemoved(d) => &d.evidence,
            Finding::LicenseExceptionAdded(x) | Finding::LicenseExceptionRemoved(x) => &x.evidence,
            Finding::CountryAdded(c) | Finding::CountryRemoved(c) => &c.evidence,
            Finding::CountryChartChanged { .. } => &NO_EVIDENCE,
            Finding::EntityAdded(e)
            | Finding::EntityRemoved(e)
            | Finding::EntityModified { entity: e, .. } => &e.evidence,
            Finding::EccnAdded(e) | Finding::EccnRemoved(e) => &e.evidence,
            Finding::EccnModified { evidence, .. }
            | Finding::DateChanged { evidence, .. }
            | Finding::ReviewPolicyChanged { evidence, .. }
            | Finding::DefinedTermAdded { evidence, .. } => evidence,
            Finding::ListEntryAdded(l) | Finding::ListEntryRemoved(l) => &l.evidence,
            Finding::DateAdded(d) | Finding::DateRemoved(d) => &d.evidence,
            Finding::EffectiveDateChanged(o) | Finding::ComplianceDateChanged(o) => &o.evidence,
        }
    }

    /// The ECCN concerned, if any.
    pub fn eccn(&self) -> Option<&str> {
        match self {
            Finding::LicenseExceptionAdded(x) | Finding::LicenseExceptionRemoved(x) => {
                x.eccn.as_deref()
            }
            Finding::EccnAdded(e) | Finding::EccnRemoved(e) => Some(&e.eccn),
            Finding::EccnModified { eccn, .. } => Some(eccn),
            Finding::ListEntryAdded(l) | Finding::ListEntryRemoved(l) => Some(&l.eccn),
            _ => None,
        }
    }

    /// The country concerned (ISO code), if any.
    pub fn country(&self) -> Option<&str> {
        match self {
            Finding::CountryAdded(c) | Finding::CountryRemoved(c) => Some(&c.country),
            Finding::CountryChartChanged { country, .. } => country.as_deref(),
            Finding::EntityAdded(e)
            | Finding::EntityRemoved(e)
            | Finding::EntityModified { entity: e, .. } => e.country.as_deref(),
            _ => None,
        }
    }

    /// The license exception concerned, if any.
    pub fn exception(&self) -> Option<&str> {
        match self {
            Finding::LicenseExceptionAdded(x) | Finding::LicenseExceptionRemoved(x) => {
                Some(&x.exception)
            }
            Finding::EccnModified { exception, .. } => exception.as_deref(),
            _ => None,
        }
    }

    /// Names the finding carries besides its evidence (a list's name, a
    /// document's title, an entry's heading, a party's name), for
    /// keyword matching.
    pub fn names(&self) -> Vec<&str> {
        match self {
            Finding::DocumentAdded(d) | Finding::DocumentRemoved(d) => {
                d.title.iter().map(String::as_str).collect()
            }
            Finding::CountryAdded(c) | Finding::CountryRemoved(c) => vec![&c.list],
            Finding::ListEntryAdded(l) | Finding::ListEntryRemoved(l) => vec![&l.list],
            Finding::EccnAdded(e) | Finding::EccnRemoved(e) => vec![&e.heading],
            Finding::EntityAdded(e)
            | Finding::EntityRemoved(e)
            | Finding::EntityModified { entity: e, .. } => vec![&e.name],
            Finding::CountryChartChanged { label, .. } => vec![label],
            Finding::DefinedTermAdded { term, .. } => vec![term],
            _ => Vec::new(),
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
    /// A new document changes another rule's effective date.
    EffectiveDateChanged,
    /// A new document changes another rule's compliance date.
    ComplianceDateChanged,
    /// A kept provision states another license review policy.
    ReviewPolicyChanged,
    /// A quoted term newly referred to its definition.
    DefinedTermAdded,
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
            | FlagKind::DateAdded
            | FlagKind::DefinedTermAdded => Direction::Added,
            FlagKind::DocumentRemoved
            | FlagKind::LicenseExceptionRemoved
            | FlagKind::CountryRemoved
            | FlagKind::EccnRemoved
            | FlagKind::ListEntryRemoved
            | FlagKind::EntityRemoved
            | FlagKind::DateRemoved => Direction::Removed,
            FlagKind::EccnModified
            | FlagKind::DateChanged
            | FlagKind::EffectiveDateChanged
            | FlagKind::ComplianceDateChanged
            | FlagKind::CountryChartChanged
            | FlagKind::EntityModified
            | FlagKind::ReviewPolicyChanged => Direction::Changed,
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
            FlagKind::EffectiveDateChanged => "effective_date_changed",
            FlagKind::ComplianceDateChanged => "compliance_date_changed",
            FlagKind::ReviewPolicyChanged => "review_policy_changed",
            FlagKind::DefinedTermAdded => "defined_term_added",
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
    // Two different FR documents are not two versions of one: say so, as
    // a date "moved" between them is only a difference.
    if let (Some(a), Some(b)) = (
        before.meta.document_number.as_deref(),
        after.meta.document_number.as_deref(),
    ) && a != b
    {
        diff.warnings.push(format!(
            "the two sides are different Federal Register documents (FR Doc. {a} and FR Doc. {b}), \
             not two versions of one: read moved dates and changed text as differences between them"
        ));
    }
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
        self.flags.iter().filter(move |f| f.kind() == kind)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn ev(before: Option<&str>, after: Option<&str>) -> Evidence {
        Evidence {
            before: before.map(str::to_string),
            after: after.map(str::to_string),
        }
    }

    /// One finding of every kind (also for `report::describe`'s tests).
    pub(crate) fn every_kind() -> Vec<Flag> {
        let day = |d| NaiveDate::from_ymd_opt(2024, 11, d).unwrap_or_default();
        let doc = DocumentFinding {
            doc_type: Some(DocKind::Notice),
            number: Some("2024-99001".into()),
            title: Some("Extension".into()),
            citation: Some("89 FR 99001".into()),
            evidence: ev(None, Some("Interim final rule.")),
        };
        let x = ExceptionFinding {
            exception: "IEC".into(),
            eccn: Some("3B001".into()),
            line: Some("Yes, for 3B001.c".into()),
            provision: "ECCN 3B001".into(),
            evidence: ev(None, Some("IEC: Yes")),
        };
        let c = CountryFinding {
            country: "KR".into(),
            region: None,
            label: "Korea, South".into(),
            list: "IEC — Eligible destinations".into(),
            provision: "§ 740.24(b)".into(),
            evidence: ev(Some("A; B."), Some("A; B; Korea, South.")),
        };
        let e = EntityFinding {
            name: "Gulf Gate Sea Cargo LLC".into(),
            country: Some("AF".into()),
            country_name: "AFGHANISTAN".into(),
            citation: Some(FrCitation {
                volume: 89,
                page: 72926,
                date: Some(day(6)),
            }),
            provision: "Supplement No. 4 to Part 744".into(),
            evidence: ev(None, Some("Gulf Gate | For all items")),
        };
        let eccn = EccnFinding {
            eccn: "3C909".into(),
            heading: "Silicon".into(),
            within: Some("Supplement No. 1 to Part 774".into()),
            provision: "ECCN 3C909".into(),
            evidence: ev(None, Some("3C909 Silicon")),
        };
        let l = ListEntryFinding {
            eccn: "4D906".into(),
            list: "ECCNs (ECCN 4E906.a)".into(),
            provision: "ECCN 4E906.a".into(),
            evidence: ev(Some("4A906.b, 4D906"), None),
        };
        let d = DateFinding {
            field: DateKind::Compliance,
            date: day(1),
            scope: Some("§ 1.16(t)".into()),
            provision: Some("DATES".into()),
            evidence: ev(None, Some("Compliance by …")),
        };
        let findings = vec![
            Finding::DocumentAdded(doc.clone()),
            Finding::DocumentRemoved(doc),
            Finding::LicenseExceptionAdded(x.clone()),
            Finding::LicenseExceptionRemoved(x),
            Finding::CountryAdded(c.clone()),
            Finding::CountryRemoved(c),
            Finding::CountryChartChanged {
                country: Some("CA".into()),
                label: "Canada".into(),
                column: "CB1".into(),
                before: "X".into(),
                after: String::new(),
                provision: "Supplement No. 1 to Part 738".into(),
            },
            Finding::EntityAdded(e.clone()),
            Finding::EntityRemoved(e.clone()),
            Finding::EntityModified {
                entity: e,
                field: EntityField::Addresses,
                before: "Kabul".into(),
                after: "Herat".into(),
            },
            Finding::EccnAdded(eccn.clone()),
            Finding::EccnRemoved(eccn),
            Finding::EccnModified {
                eccn: "3B001".into(),
                field: EccnField::Items,
                exception: None,
                added: vec!["c.1.a".into(), "q".into()],
                removed: Vec::new(),
                reworded: vec!["d".into()],
                before: None,
                after: Some("q. EUV masks".into()),
                provision: "ECCN 3B001".into(),
                evidence: ev(None, Some("q. EUV masks")),
            },
            Finding::ListEntryAdded(l.clone()),
            Finding::ListEntryRemoved(l),
            Finding::DateChanged {
                field: DateKind::CommentsClose,
                before: day(5),
                after: day(20),
                days: 15,
                scope: None,
                provision: None,
                evidence: ev(Some("by November 5"), Some("by November 20")),
            },
            Finding::DateAdded(d.clone()),
            Finding::DateRemoved(d),
            Finding::EffectiveDateChanged(OtherDocumentDate {
                of_document: "89 FR 72926".into(),
                before: day(5),
                after: day(20),
                days: 15,
                by: Some("2024-27001".into()),
                provision: Some("DATES".into()),
                evidence: ev(
                    None,
                    Some(
                        "The effective date of the rule published at 89 FR 72926 is delayed from November 5, 2024, to November 20, 2024.",
                    ),
                ),
            }),
            Finding::ComplianceDateChanged(OtherDocumentDate {
                of_document: "RIN 0694-AJ60".into(),
                before: day(20),
                after: day(5),
                days: -15,
                by: None,
                provision: Some("DATES".into()),
                evidence: ev(
                    None,
                    Some(
                        "The compliance date of the rule published at 89 FR 72926 is moved from November 20, 2024, to November 5, 2024.",
                    ),
                ),
            }),
            Finding::ReviewPolicyChanged {
                provision: "§ 744.21(e)(1)".into(),
                before: vec![ReviewPolicy::CaseByCase],
                after: vec![
                    ReviewPolicy::PresumptionOfDenial,
                    ReviewPolicy::PolicyOfDenial,
                ],
                evidence: ev(
                    Some("Applications … will be reviewed on a case-by-case basis …"),
                    Some("Applications … will be reviewed with a presumption of denial. …"),
                ),
            },
            Finding::DefinedTermAdded {
                term: "military end user".into(),
                defined_in: "paragraph (g) of this section".into(),
                provision: "§ 744.21(a)(1)".into(),
                evidence: ev(
                    None,
                    Some(
                        "… a Burmese 'military end user,' as defined in paragraph (g) of this section, wherever located.",
                    ),
                ),
            },
        ];
        findings
            .into_iter()
            .enumerate()
            .map(|(i, f)| Flag::new(f, (i % 2 == 0).then_some("2024-19633")))
            .collect()
    }

    /// Every kind reads back as written (the diff cache relies on it), and
    /// its JSON carries `kind` beside its own fields.
    #[test]
    fn every_finding_round_trips_through_json() -> Result<(), serde_json::Error> {
        let flags = every_kind();
        assert_eq!(flags.len(), 22, "one per FlagKind");
        for f in &flags {
            let json = serde_json::to_value(f)?;
            assert_eq!(json["kind"], f.kind().as_str(), "{json}");
            assert_eq!(json["document"].as_str(), f.document.as_deref(), "{json}");
            let back: Flag = serde_json::from_value(json)?;
            assert_eq!(&back, f);
        }
        // A date brought forward: negative days survive the flattening.
        let mut earlier = flags[15].clone();
        if let Finding::DateChanged { days, .. } = &mut earlier.finding {
            *days = -14;
        }
        let back: Flag = serde_json::from_str(&serde_json::to_string(&earlier)?)?;
        assert_eq!(back, earlier);
        let json = serde_json::to_value(&flags[9])?;
        assert_eq!(json["field"], "addresses");
        assert_eq!(json["name"], "Gulf Gate Sea Cargo LLC");
        assert_eq!(json["citation"]["page"], 72926);
        Ok(())
    }

    #[test]
    fn rank_puts_a_defined_exception_before_ccl_entries_and_an_eccn_line_after() {
        let flags = every_kind();
        let rank = |k: FlagKind| flags.iter().find(|f| f.kind() == k).map(Flag::rank);
        assert_eq!(rank(FlagKind::DocumentAdded), Some(0));
        assert_eq!(rank(FlagKind::LicenseExceptionAdded), Some(14));
        let mut defined = flags[2].clone();
        if let Finding::LicenseExceptionAdded(x) = &mut defined.finding {
            x.eccn = None;
        }
        assert_eq!(defined.rank(), 9);
    }
}
