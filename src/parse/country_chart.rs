//! The Commerce Country Chart (Supplement No. 1 to 15 CFR part 738) as a
//! matrix: country × reason-for-control column, X or not.
//!
//! The eCFR publishes it as an HTML-like table: two header rows (reason
//! groups spanning their columns, "Countries" spanning both rows, then the
//! column names `CB 1` … `AT 2`), one body row per country with 16 cells of
//! `X` or nothing, a few rows where one cell spanning all columns says
//! "See part 746 …", footnote marks as `<sup>` on the country name, and the
//! footnotes in `TFOOT`. Column names are taken from the header grid (spans
//! resolved), not from positions, and checked against the 16 known ones.

use super::ear_tables::{cell, cells, rows};
use super::xml::Element;
use crate::model::countries::code_of_any_case;
use crate::model::{ChartFootnote, ChartRow, CountryChart};

/// The chart's columns as the EAR defines them (§ 738.2(d)(2)).
pub(crate) const KNOWN_COLUMNS: [&str; 16] = [
    "CB1", "CB2", "CB3", "NP1", "NP2", "NS1", "NS2", "MT1", "RS1", "RS2", "FC1", "CC1", "CC2",
    "CC3", "AT1", "AT2",
];

/// Reads the chart's `TABLE`; warnings name what did not fit.
pub(crate) fn read(table: &Element, provision: &str) -> (CountryChart, Vec<String>) {
    let mut warnings = Vec::new();
    let header = header_grid(&rows(table, "THEAD"));
    // The first grid column is the countries; the others are the controls.
    let columns: Vec<String> = header
        .iter()
        .skip(1)
        .map(|h| h.split_whitespace().collect::<String>())
        .collect();
    let mut sorted: Vec<&str> = columns.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    let mut known = KNOWN_COLUMNS;
    known.sort_unstable();
    if sorted != known {
        warnings.push(format!(
            "{provision}: the chart's columns are [{}], not the 16 known reasons for control",
            columns.join(", ")
        ));
    }
    let mut chart = CountryChart {
        provision: provision.to_string(),
        columns,
        rows: Vec::new(),
        footnotes: Vec::new(),
    };
    for (n, tr) in rows(table, "TBODY").into_iter().enumerate() {
        if let Some(row) = body_row(tr, &chart.columns, provision, n + 1, &mut warnings) {
            chart.rows.push(row);
        }
    }
    for tr in rows(table, "TFOOT") {
        for (td, _, _) in cells(tr) {
            let c = cell(td, false);
            let text = c.text.replace('\n', " ");
            match c.sups.first() {
                Some(mark) => chart.footnotes.push(ChartFootnote {
                    mark: mark.clone(),
                    text,
                }),
                None if !text.is_empty() => {
                    warnings.push(format!("{provision}: footnote without a mark: {text}"))
                }
                None => {}
            }
        }
    }
    (chart, warnings)
}

/// Wider header grids are cut here (the chart has 17 columns), so a
/// hostile `colspan` cannot make the grid huge.
const MAX_GRID: usize = 256;

/// The bottom-most header text over each grid column, spans resolved.
fn header_grid(trs: &[&Element]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    // Grid columns still covered by a cell from a row above (rows left).
    let mut covered: Vec<usize> = Vec::new();
    for tr in trs {
        let mut col = 0;
        for (th, colspan, rowspan) in cells(tr) {
            while covered.get(col).is_some_and(|r| *r > 0) {
                col += 1;
            }
            if col >= MAX_GRID {
                break;
            }
            let text = cell(th, false).text.replace('\n', " ");
            for c in col..(col + colspan).min(MAX_GRID) {
                if names.len() <= c {
                    names.resize(c + 1, String::new());
                    covered.resize(c + 1, 0);
                }
                names[c] = text.clone();
                // This row's own cell counts now; more rows below stay covered.
                covered[c] = rowspan;
            }
            col += colspan;
        }
        for r in &mut covered {
            *r = r.saturating_sub(1);
        }
    }
    names
}

fn body_row(
    tr: &Element,
    columns: &[String],
    provision: &str,
    n: usize,
    warnings: &mut Vec<String>,
) -> Option<ChartRow> {
    let mut it = cells(tr);
    let (first, _, _) = it.next()?;
    let name_cell = cell(first, false);
    let (country, mut footnotes) = split_marks(&name_cell.text.replace('\n', " "));
    footnotes.splice(0..0, name_cell.sups);
    if country.is_empty() {
        warnings.push(format!("{provision}: row {n} has no country name"));
        return None;
    }
    let mut row = ChartRow {
        iso: code_of_any_case(&country).map(str::to_string),
        country,
        marks: Vec::new(),
        note: None,
        footnotes,
    };
    if row.iso.is_none() {
        warnings.push(format!(
            "{provision}: country “{}” has no ISO code",
            row.country
        ));
    }
    let mut col = 0;
    for (td, colspan, _) in it {
        let text = cell(td, false).text.replace('\n', " ");
        let value = text.trim();
        if value.eq_ignore_ascii_case("x") && colspan == 1 {
            match columns.get(col) {
                Some(c) => row.marks.push(c.clone()),
                None => warnings.push(format!(
                    "{provision}: {}: an X beyond the last column",
                    row.country
                )),
            }
        } else if !value.is_empty() {
            // "See part 746 …" across all columns, or anything unexpected:
            // kept as the row's note, never dropped.
            row.note = Some(match row.note.take() {
                Some(prev) => format!("{prev} {value}"),
                None => value.to_string(),
            });
        }
        col += colspan;
    }
    if col != columns.len() {
        warnings.push(format!(
            "{provision}: {}: the row spans {col} columns, the header {}",
            row.country,
            columns.len()
        ));
    }
    Some(row)
}

/// "Iraq 3" / "Cyprus 2 3 4" → ("Iraq", ["3"]): trailing footnote numbers
/// written as plain text (no country name ends in a number).
fn split_marks(name: &str) -> (String, Vec<String>) {
    let mut words: Vec<&str> = name.split_whitespace().collect();
    let mut marks = Vec::new();
    while words.len() > 1
        && words
            .last()
            .is_some_and(|w| w.len() <= 2 && w.bytes().all(|b| b.is_ascii_digit()))
    {
        if let Some(w) = words.pop() {
            marks.insert(0, w.to_string());
        }
    }
    (words.join(" "), marks)
}

#[cfg(test)]
mod tests {
    use super::split_marks;

    #[test]
    fn plain_text_footnote_marks_leave_the_name() {
        assert_eq!(split_marks("Iraq 3"), ("Iraq".into(), vec!["3".into()]));
        assert_eq!(
            split_marks("Cyprus 2 3 4"),
            ("Cyprus".into(), vec!["2".into(), "3".into(), "4".into()])
        );
        assert_eq!(split_marks("Korea, South"), ("Korea, South".into(), vec![]));
    }
}
