//! Two EAR tables that are data, not prose: the Commerce Country Chart
//! (Supplement No. 1 to 15 CFR part 738) and the Entity List (Supplement
//! No. 4 to 15 CFR part 744). Both are read from the eCFR's own table
//! markup into records, so a diff can say "China gained an X under RS 2"
//! or "Entity added: … (89 FR 72926)" instead of a changed table line.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The Commerce Country Chart: one row per country, one column per reason
/// for control.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountryChart {
    /// The provision holding the chart (`Supplement No. 1 to Part 738`).
    pub provision: String,
    /// Column names as derived from the header rows, spaces removed
    /// (`CB1`, `CB2`, … `AT2`), left to right.
    pub columns: Vec<String>,
    /// Rows in document order.
    pub rows: Vec<ChartRow>,
    /// The chart's footnotes (`TFOOT`), by mark.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub footnotes: Vec<ChartFootnote>,
}

/// One country's row of the chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartRow {
    /// The country as written, footnote marks removed ("Iraq", "Seycheles").
    pub country: String,
    /// ISO 3166-1 alpha-2 code, when the name is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iso: Option<String>,
    /// The columns marked with an X, in column order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub marks: Vec<String>,
    /// Text standing in for the row's cells ("See part 746 of the EAR to
    /// determine whether a license is required …").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Footnote marks on the country name (`1`, `3`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub footnotes: Vec<String>,
}

/// A footnote of the chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartFootnote {
    /// Its mark (`1`).
    pub mark: String,
    /// Its text.
    pub text: String,
}

/// One listed party of the Entity List (one table row).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityListEntry {
    /// The country heading the party is listed under, as written
    /// ("CHINA, PEOPLE'S REPUBLIC OF").
    pub country: String,
    /// ISO 3166-1 alpha-2 code of that country, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iso: Option<String>,
    /// The party's name ("Emal Bilal Construction Company (EBCC)",
    /// "Address 01").
    pub name: String,
    /// Its aliases (the "a.k.a., the following … aliases" list).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Its addresses, one per listed address.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<String>,
    /// The license requirement column.
    pub license_requirement: String,
    /// The license review policy column.
    pub review_policy: String,
    /// The Federal Register citations column, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub citations: Vec<FrCitation>,
}

/// A Federal Register citation as the Entity List writes it
/// ("89 FR 72926, 9/6/24").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrCitation {
    /// FR volume (`89`).
    pub volume: u32,
    /// First page (`72926`).
    pub page: u32,
    /// Publication date, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
}

impl std::fmt::Display for FrCitation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} FR {}", self.volume, self.page)?;
        if let Some(d) = self.date {
            write!(f, ", {}", d.format("%Y-%m-%d"))?;
        }
        Ok(())
    }
}
