//! The document model: what a regulation *says*, independent of how it was
//! published.
//!
//! Every stored version — a Federal Register rule, an eCFR part, a GPO annual
//! CFR edition, a press page, a news report — is parsed into one
//! [`Document`]. The diff engine compares two `Document`s and the deadline
//! reminders read [`Document::dates`], so neither needs to know about XML,
//! JSON or HTML. The model is plain serde data; its JSON form is documented
//! in `docs/MODEL.md` and carries [`MODEL_VERSION`] so stored models written
//! by an older parser are recognised and rebuilt.
//!
//! Design choices worth knowing:
//! - Provisions are a tree keyed by citation (`§ 740.24(c)(1)`), because
//!   that is how regulations are amended and how users talk about them.
//! - Every extracted fact (a date, an entity, a list) points back to the
//!   provisions it came from and, for dates and lists, the sentence, so a
//!   report can always show its evidence.
//! - Lists are first-class ([`NamedList`]): "who is eligible" matters more
//!   than "who is mentioned", and the diff engine reports entries and exits.

pub mod countries;
pub mod ear_tables;
pub mod vocab;

pub use ear_tables::{ChartFootnote, ChartRow, CountryChart, EntityListEntry, FrCitation};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Version of the model's JSON shape and of the extraction rules behind it.
/// Bump it whenever a parser change would produce a different model for the
/// same input: stored models with another version are rebuilt.
pub const MODEL_VERSION: u32 = 5;

/// One parsed document (or a container of documents, such as a daily
/// Federal Register issue or an API search response).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// [`MODEL_VERSION`] of the parser that wrote this.
    pub model_version: u32,
    /// The input format the model was built from.
    pub format: SourceFormat,
    /// Identifying facts: title, agency, FR number, RINs, CFR parts …
    pub meta: Meta,
    /// Dates with the sentence each came from. Always written, even when
    /// empty: "no dates" is an answer, not a missing one.
    #[serde(default)]
    pub dates: Vec<DateFact>,
    /// Structured API dates that the document's own text contradicts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub date_conflicts: Vec<DateConflict>,
    /// The provision tree, in document order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provisions: Vec<Provision>,
    /// Amendatory instructions (FR rules): what the document changes in the CFR.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub amendments: Vec<Amendment>,
    /// Every export-control entity mentioned, with where.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entities: Vec<Entity>,
    /// Commerce Control List entries, when the document contains the CCL.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub eccn_entries: Vec<EccnEntry>,
    /// Enumerations: eligibility lists, country-group columns, ECCN lists.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lists: Vec<NamedList>,
    /// The Commerce Country Chart, when the document contains it
    /// (Supplement No. 1 to Part 738).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_chart: Option<CountryChart>,
    /// The Entity List's parties, when the document contains it
    /// (Supplement No. 4 to Part 744), one per table row.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entity_list: Vec<EntityListEntry>,
    /// Documents contained in this one (daily issue, search response).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<Document>,
    /// Things the parser noticed but could not settle (never fatal).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl Document {
    /// An empty document of the given format.
    pub fn new(format: SourceFormat) -> Document {
        Document {
            model_version: MODEL_VERSION,
            format,
            meta: Meta::default(),
            dates: Vec::new(),
            date_conflicts: Vec::new(),
            provisions: Vec::new(),
            amendments: Vec::new(),
            entities: Vec::new(),
            eccn_entries: Vec::new(),
            lists: Vec::new(),
            country_chart: None,
            entity_list: Vec::new(),
            documents: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// The authoritative date of a kind for the whole document: a structured
    /// API field wins over text, and a date tied to one provision (an
    /// "except § x" clause) never stands for the document, nor does a date
    /// the text gives for another document (`of_document`: a notice
    /// delaying another rule's effective date).
    pub fn date(&self, kind: DateKind) -> Option<&DateFact> {
        let general =
            |f: &&DateFact| f.kind == kind && f.provision.is_none() && f.of_document.is_none();
        self.dates
            .iter()
            .filter(general)
            .find(|f| f.source == DateSource::Api)
            .or_else(|| self.dates.iter().find(general))
    }

    /// Entities of one kind, in first-seen order.
    pub fn entities_of(&self, kind: EntityKind) -> impl Iterator<Item = &Entity> {
        self.entities.iter().filter(move |e| e.kind == kind)
    }

    /// Finds a provision anywhere in the tree by its id.
    pub fn provision(&self, id: &str) -> Option<&Provision> {
        fn walk<'a>(ps: &'a [Provision], id: &str) -> Option<&'a Provision> {
            for p in ps {
                if p.id == id {
                    return Some(p);
                }
                if let Some(found) = walk(&p.children, id) {
                    return Some(found);
                }
            }
            None
        }
        walk(&self.provisions, id)
    }

    /// Visits every provision, depth first, in document order.
    pub fn walk_provisions(&self, visit: &mut dyn FnMut(&Provision)) {
        fn walk(ps: &[Provision], visit: &mut dyn FnMut(&Provision)) {
            for p in ps {
                visit(p);
                walk(&p.children, visit);
            }
        }
        walk(&self.provisions, visit);
    }
}

/// The input format a model was built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceFormat {
    /// One document from the Federal Register API (`/api/v1/documents/N.json`).
    FrApiJson,
    /// A Federal Register API search response (`/api/v1/documents.json`).
    FrApiSearch,
    /// One Federal Register document in GPO full-text XML (RULE, NOTICE, …).
    FrXml,
    /// A whole daily Federal Register issue (`FEDREG`), split into documents.
    FrIssueXml,
    /// eCFR XML (bulk `DLPSTEXTCLASS` or versioner `DIV1`…`DIV9`).
    EcfrXml,
    /// GPO annual-edition CFR XML (`CFRGRANULE` / `PART` / `SECTION`).
    CfrXml,
    /// An HTML page.
    Html,
    /// Markdown text.
    Markdown,
    /// Plain text.
    Text,
}

impl SourceFormat {
    /// The name used in JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceFormat::FrApiJson => "fr_api_json",
            SourceFormat::FrApiSearch => "fr_api_search",
            SourceFormat::FrXml => "fr_xml",
            SourceFormat::FrIssueXml => "fr_issue_xml",
            SourceFormat::EcfrXml => "ecfr_xml",
            SourceFormat::CfrXml => "cfr_xml",
            SourceFormat::Html => "html",
            SourceFormat::Markdown => "markdown",
            SourceFormat::Text => "text",
        }
    }
}

/// What kind of document this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// A final or interim final rule (FR "Rule").
    Rule,
    /// A proposed rule.
    ProposedRule,
    /// A notice.
    Notice,
    /// A presidential document (proclamation, executive order, …).
    PresidentialDocument,
    /// A CFR part, title or section (codified regulation text).
    Regulation,
    /// A container: daily issue or search response.
    Collection,
    /// A news report, press release or web page about regulations.
    Report,
    /// Not known.
    #[default]
    Unknown,
}

/// Identifying facts about a document. Identifiers are normalised
/// (typographic dashes → `-`) so that formatting-only republications
/// compare equal.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Meta {
    /// Title (FR SUBJECT, API title, CFR part heading, page heading).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Issuing agencies, most specific last as published ("Department of
    /// Commerce", "Bureau of Industry and Security").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agencies: Vec<String>,
    /// Document kind.
    #[serde(default)]
    pub kind: DocKind,
    /// Action line as published ("Interim final rule; request for comments.").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// FR document number (`2024-19633`, `E8-23178`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_number: Option<String>,
    /// FR citation (`89 FR 72926`), when volume and start page are known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fr_citation: Option<String>,
    /// First FR page, when known even without the volume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_page: Option<u32>,
    /// Publication date (FR) or edition date (CFR).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publication_date: Option<NaiveDate>,
    /// Regulation Identifier Numbers (`0694-AJ60`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rins: Vec<String>,
    /// Docket numbers (`ATF-25I`, `BIS-2024-0030`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dockets: Vec<String>,
    /// CFR parts affected or contained (`15 CFR 740`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cfr_parts: Vec<String>,
    /// Summary or abstract.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Where the document lives (HTML page, PDF, XML, API).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub source_urls: Vec<String>,
    /// Main language of the text (`en`, `zh`), when it is not English only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// A date the document states, with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateFact {
    /// What the date is.
    pub kind: DateKind,
    /// The date.
    pub date: NaiveDate,
    /// The sentence (or API field) the date came from.
    pub evidence: String,
    /// The provision the date applies to, when narrower than the document
    /// ("except § 1.16(t), which is effective …").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provision: Option<String>,
    /// Where in the document the evidence sits (provision id such as `DATES`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub found_in: Option<String>,
    /// Structured field or text.
    pub source: DateSource,
    /// A date computed from a relative phrase ("60 days after publication").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub derived: bool,
    /// Which part of the document the date was read from: the DATES
    /// section, the body (a document without DATES, or DATES without this
    /// kind), or a structured API field. Absent in models written before
    /// model version 3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<DateOrigin>,
    /// The date this one replaces, when the text changes or delays a date
    /// ("delays the effective date from August 1, 2015, until October 3,
    /// 2015": the fact is the new date, `changed_from` the old one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed_from: Option<NaiveDate>,
    /// The document whose date this is, when the text names another one
    /// (an FR citation `80 FR 43559`, a document number, a RIN or a quoted
    /// title): a notice that delays another rule's effective date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub of_document: Option<String>,
    /// The date holds only if a stated condition is met ("If no public
    /// comment is received …, will become effective a minimum of 30 days
    /// after publication"); the condition is in `evidence`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub conditional: bool,
}

/// Which part of a document a date was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrigin {
    /// The preamble's DATES (or EFFECTIVE DATE) section, or the API
    /// record's `dates` string.
    DatesSection,
    /// Running text: the body of a document, or a report's paragraphs.
    Body,
    /// A structured field (FR API `effective_on`, a CFR edition date).
    Api,
}

impl DateFact {
    /// A fact with only the required fields set.
    pub fn new(kind: DateKind, date: NaiveDate, evidence: String, source: DateSource) -> DateFact {
        DateFact {
            kind,
            date,
            evidence,
            provision: None,
            found_in: None,
            source,
            derived: false,
            origin: None,
            changed_from: None,
            of_document: None,
            conditional: false,
        }
    }
}

/// Kinds of dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateKind {
    /// Publication (FR) or release date.
    Published,
    /// Effective date.
    Effective,
    /// Delayed compliance date.
    Compliance,
    /// Comment period opens (or reopens).
    CommentsOpen,
    /// Comment period closes.
    CommentsClose,
    /// The date a CFR edition or eCFR version is current as of.
    AsOf,
    /// Any other stated date (signature, a referenced document's date, …).
    Other,
}

impl DateKind {
    /// Snake-case name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            DateKind::Published => "published",
            DateKind::Effective => "effective",
            DateKind::Compliance => "compliance",
            DateKind::CommentsOpen => "comments_open",
            DateKind::CommentsClose => "comments_close",
            DateKind::AsOf => "as_of",
            DateKind::Other => "other",
        }
    }

    /// Human label for cards and reports.
    pub fn label(self) -> &'static str {
        match self {
            DateKind::Published => "Published",
            DateKind::Effective => "Effective",
            DateKind::Compliance => "Compliance",
            DateKind::CommentsOpen => "Comments open",
            DateKind::CommentsClose => "Comments close",
            DateKind::AsOf => "Current as of",
            DateKind::Other => "Other date",
        }
    }
}

/// Where a date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// A structured field (FR API `effective_on`, CFR edition date).
    Api,
    /// A sentence of the document.
    Text,
}

/// A structured API date that the document's text contradicts. The API date
/// still wins ([`Document::date`]); this is reported so a human can look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateConflict {
    /// The kind both sides claim.
    pub kind: DateKind,
    /// The structured field's date.
    pub api: NaiveDate,
    /// The date(s) the text gives instead.
    pub text: Vec<NaiveDate>,
    /// The sentence the text date came from.
    pub evidence: String,
}

/// A node of the provision tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provision {
    /// Citation-like key, unique within the document: `§ 740.24(b)`,
    /// `Part 740`, `Supplement No. 1 to Part 774`, `ECCN 3B001.c.1.a`,
    /// `DATES`, `SUPPLEMENTARY INFORMATION`.
    pub id: String,
    /// What level of the hierarchy this is.
    pub kind: ProvisionKind,
    /// Heading or subject, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    /// The provision's own text (not its children's), paragraphs separated
    /// by blank lines, whitespace collapsed.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// Sub-provisions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Provision>,
    /// The parser is not sure of this designation: its marker skips a
    /// number, fits no open level, or repeats one already given (the
    /// repeat's text is then appended here). Never a guessed suffix.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub uncertain: bool,
}

impl Provision {
    /// A provision with no text or children yet.
    pub fn new(id: impl Into<String>, kind: ProvisionKind, heading: Option<String>) -> Provision {
        Provision {
            id: id.into(),
            kind,
            heading,
            text: String::new(),
            children: Vec::new(),
            uncertain: false,
        }
    }

    /// The node `depth` levels down the last-child path (0 = this one),
    /// stopping where the path ends: where the next paragraph or heading
    /// of a document being read in order belongs.
    pub fn last_descendant_mut(&mut self, depth: usize) -> &mut Provision {
        let mut node = self;
        for _ in 0..depth {
            if node.children.is_empty() {
                break;
            }
            let last = node.children.len() - 1;
            node = &mut node.children[last];
        }
        node
    }

    /// Appends a paragraph to this provision's own text.
    pub fn push_text(&mut self, paragraph: &str) {
        let paragraph = paragraph.trim();
        if paragraph.is_empty() {
            return;
        }
        if !self.text.is_empty() {
            self.text.push_str("\n\n");
        }
        self.text.push_str(paragraph);
    }
}

/// Levels of the provision tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProvisionKind {
    /// CFR title.
    Title,
    /// Chapter.
    Chapter,
    /// Subchapter.
    Subchapter,
    /// Part.
    Part,
    /// Subpart.
    Subpart,
    /// Undesignated subject group of sections.
    SubjectGroup,
    /// Section (`§ 740.24`).
    Section,
    /// Lettered/numbered paragraph (`(c)(1)`).
    Paragraph,
    /// Appendix or supplement.
    Supplement,
    /// One ECCN entry of the Commerce Control List.
    Eccn,
    /// An item paragraph inside an ECCN (`3B001.c.1.a`).
    EccnItem,
    /// A preamble block of an FR document (SUMMARY, DATES, ADDRESSES …).
    Preamble,
    /// An amendatory instruction.
    Amendment,
    /// A headed part of a non-CFR text (report, page, FR discussion).
    Heading,
    /// A list item or free paragraph of a non-CFR text.
    Item,
    /// A table (rows as text lines, cells separated by ` | `).
    Table,
    /// A note, editorial note or effective-date note.
    Note,
}

/// An amendatory instruction from an FR rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amendment {
    /// The instruction as published ("2. Section 1.16 is amended by adding paragraph (t) …").
    pub instruction: String,
    /// The CFR title and part it applies to (`37 CFR 1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    /// Sections it touches (`§ 1.16`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<String>,
    /// Verbs found: `add`, `revise`, `remove`, `amend`, `redesignate`, `reserve`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<String>,
}

/// An export-control entity mentioned in the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// What it is.
    pub kind: EntityKind,
    /// Canonical id: ECCN `3B001.c.1.a`, exception symbol `IEC`, group
    /// `D:1`, ISO code `KR`, citation `15 CFR 740.24` / `89 FR 72926`,
    /// technology `quantum computing`.
    pub id: String,
    /// Display name: "Korea, South", "Implemented Export Controls (§ 740.24)".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Provision ids it appears in, in document order.
    pub provisions: Vec<String>,
}

/// Kinds of entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// Export Control Classification Number (with sub-paragraph when cited so).
    Eccn,
    /// License exception, by symbol.
    LicenseException,
    /// EAR country group (`A:1` … `E:2`).
    CountryGroup,
    /// Country or region, ISO 3166-1 alpha-2.
    Country,
    /// CFR citation.
    CfrCitation,
    /// Federal Register citation.
    FrCitation,
    /// Technology category (quantum computing, semiconductor manufacturing equipment, …).
    Technology,
}

impl EntityKind {
    /// Snake-case name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Eccn => "eccn",
            EntityKind::LicenseException => "license_exception",
            EntityKind::CountryGroup => "country_group",
            EntityKind::Country => "country",
            EntityKind::CfrCitation => "cfr_citation",
            EntityKind::FrCitation => "fr_citation",
            EntityKind::Technology => "technology",
        }
    }
}

/// One entry of the Commerce Control List (Supplement No. 1 to Part 774).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EccnEntry {
    /// The ECCN (`3B001`).
    pub eccn: String,
    /// Its heading.
    pub heading: String,
    /// CCL category, the ECCN's first character (`3`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub category: String,
    /// The category's name from its heading ("Electronics"), when the
    /// document gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_heading: Option<String>,
    /// Product group, the ECCN's second character (`B`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub product_group: String,
    /// The product group's name from its heading ("“Test,” “Inspection”
    /// and “Production Equipment”"), when the document gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_group_heading: Option<String>,
    /// Reasons for control (`NS`, `RS`, `AT`, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons_for_control: Vec<String>,
    /// Rows of the License Requirements table: what a control applies to
    /// and its Country Chart column.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub country_chart: Vec<LicenseRequirementRow>,
    /// License exception lines (`LVS: N/A`, `IEC: Yes, …`), including the
    /// Special Conditions for STA (symbol `STA`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub license_exceptions: Vec<ExceptionLine>,
    /// The "Related Controls" paragraph.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub related_controls: Option<String>,
    /// The "Related Definitions" paragraph.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub related_definitions: Option<String>,
    /// Designations of the entry's items in order (`a`, `a.1`, `c.1.a`);
    /// each is also a provision `ECCN 3B001.c.1.a`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<String>,
    /// Notes, technical notes and N.B.s of the entry, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<EccnNote>,
    /// The provision holding the entry (`ECCN 3B001`).
    pub provision: String,
}

/// A row of an ECCN's License Requirements table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LicenseRequirementRow {
    /// What it controls ("NS applies to entire entry").
    pub control: String,
    /// The Country Chart column or other rule ("NS Column 2.").
    pub chart: String,
}

/// A note inside an ECCN entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EccnNote {
    /// Its heading as printed ("Technical Note to 0A501.c", "Note 1", "N.B.").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub heading: String,
    /// The item it follows (`a.1`), if it comes after an item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// Its text.
    pub text: String,
}

/// A license exception line of an ECCN entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExceptionLine {
    /// Exception symbol (`IEC`).
    pub symbol: String,
    /// What the entry says about it ("Yes, for 3B001.c.1.a, c.1.c, and .q").
    pub text: String,
}

/// An enumeration the document makes: who is eligible, who is in a group,
/// which ECCNs a rule adds. The diff engine reports members entering and
/// leaving a list with the same `name`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedList {
    /// Stable name, e.g. "Country Group D:1" or "License Exception
    /// Implemented Export Controls (IEC) — Eligible destinations".
    pub name: String,
    /// What the members are.
    pub kind: ListKind,
    /// The provision that makes the enumeration.
    pub provision: String,
    /// The sentence (or table) it came from.
    pub evidence: String,
    /// Members, in the order given.
    pub members: Vec<ListMember>,
}

/// What a named list enumerates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListKind {
    /// Countries (ISO codes).
    Countries,
    /// ECCNs.
    Eccns,
}

/// A list member: canonical id and the form the document used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListMember {
    /// Canonical id (ISO code, ECCN).
    pub id: String,
    /// As written ("Korea, South").
    pub label: String,
}
