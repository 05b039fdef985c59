//! The Commerce Country Chart and the Entity List in their real eCFR
//! markup: parsed into records (on short committed excerpts, and on the
//! whole files in ../shared/corpus when present) and compared as records.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use regwatch::diff::ear_tables::{EntityField, chart_changes, entity_changes};
use regwatch::diff::{Finding, FlagKind, compare};
use regwatch::model::{Document, FrCitation};
use regwatch::parse::{Input, parse};

use crate::common::corpus;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ear")
        .join(name)
}

fn parse_text(text: &str) -> Document {
    parse(&Input::new(text.as_bytes())).unwrap()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

const CHART_FILE: &str = "ecfr_title15_xml/ECFR-title15-part738-supp1-2026-09-01.xml";
const ENTITY_FILE: &str = "ecfr_title15_xml/ECFR-title15-part744-supp4-2026-09-01.excerpt.xml";

fn cite(volume: u32, page: u32, y: i32, m: u32, d: u32) -> FrCitation {
    FrCitation {
        volume,
        page,
        date: chrono::NaiveDate::from_ymd_opt(y, m, d),
    }
}

#[test]
fn country_chart_excerpt_reads_columns_marks_notes_and_footnotes() {
    let doc = parse_text(&read(&fixture("country-chart-excerpt.xml")));
    let chart = doc.country_chart.as_ref().expect("a country chart");
    assert_eq!(
        chart.columns,
        [
            "CB1", "CB2", "CB3", "NP1", "NP2", "NS1", "NS2", "MT1", "RS1", "RS2", "FC1", "CC1",
            "CC2", "CC3", "AT1", "AT2"
        ]
    );
    let countries: Vec<(&str, Option<&str>)> = chart
        .rows
        .iter()
        .map(|r| (r.country.as_str(), r.iso.as_deref()))
        .collect();
    assert_eq!(
        countries,
        [
            ("Afghanistan", Some("AF")),
            ("Albania", Some("AL")),
            ("Canada", Some("CA")),
            ("China", Some("CN")),
            ("Cuba", Some("CU")),
            ("Iraq", Some("IQ")),
            ("Korea, North", Some("KP")),
            ("Seycheles", Some("SC")),
        ]
    );
    let row = |name: &str| chart.rows.iter().find(|r| r.country == name).unwrap();
    assert_eq!(row("Canada").marks, ["CB1", "FC1"]);
    assert_eq!(row("Albania").footnotes, ["2", "3"]);
    assert_eq!(row("Iraq").footnotes, ["1"]);
    let cuba = row("Cuba");
    assert!(cuba.marks.is_empty());
    assert_eq!(
        cuba.note.as_deref(),
        Some(
            "See part 746 of the EAR to determine whether a license is required in order to \
             export or reexport to this destination."
        )
    );
    assert!(
        row("Korea, North")
            .note
            .as_deref()
            .unwrap()
            .contains("742.19 and 746.4")
    );
    assert_eq!(chart.footnotes.len(), 3);
    assert_eq!(chart.footnotes[1].mark, "2");
    assert!(chart.footnotes[1].text.starts_with("See § 742.4(a)"));
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
}

#[test]
fn country_chart_columns_come_from_the_header_not_positions() {
    let text = read(&fixture("country-chart-excerpt.xml"));
    // Header labels CB 1 and CB 2 swapped: the X in Canada's first
    // control cell is then CB 2 — names follow the header.
    let swapped = text
        .replacen(">CB 1</TH>", ">CB_TMP</TH>", 1)
        .replacen(">CB 2</TH>", ">CB 1</TH>", 1)
        .replacen(">CB_TMP</TH>", ">CB 2</TH>", 1);
    let doc = parse_text(&swapped);
    let chart = doc.country_chart.unwrap();
    assert_eq!(&chart.columns[..2], ["CB2", "CB1"]);
    let canada = chart.rows.iter().find(|r| r.country == "Canada").unwrap();
    assert_eq!(canada.marks, ["CB2", "FC1"]);
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
    // Without "Countries" spanning both header rows, the second row's
    // names shift one column left: the chart says so instead of guessing.
    let no_rowspan = text.replacen(" rowspan=\"2\"", "", 1);
    assert_ne!(no_rowspan, text);
    let doc = parse_text(&no_rowspan);
    assert!(
        doc.warnings.iter().any(|w| w.contains("not the 16 known")),
        "{:?}",
        doc.warnings
    );
    // A header with a column too few is reported too.
    let short = text.replacen(
        "<TH class=\"center border-bottom-single\">AT 2</TH>\n",
        "",
        1,
    );
    assert_ne!(short, text);
    let doc = parse_text(&short);
    assert!(
        doc.warnings.iter().any(|w| w.contains("not the 16 known")),
        "{:?}",
        doc.warnings
    );
}

#[test]
fn real_country_chart_has_200_rows_1788_marks_and_4_see_part_746_rows() {
    let Some(corpus) = corpus() else { return };
    let doc = parse_text(&read(&corpus.join(CHART_FILE)));
    let chart = doc.country_chart.as_ref().unwrap();
    assert_eq!(chart.columns.len(), 16);
    assert_eq!(chart.rows.len(), 200);
    assert_eq!(
        chart.rows.iter().map(|r| r.marks.len()).sum::<usize>(),
        1788
    );
    let noted: Vec<&str> = chart
        .rows
        .iter()
        .filter(|r| r.note.is_some())
        .map(|r| r.country.as_str())
        .collect();
    assert_eq!(noted, ["Cuba", "Iran", "Korea, North", "Syria"]);
    assert!(
        chart.rows.iter().all(|r| r.iso.is_some()),
        "{:?}",
        doc.warnings
    );
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
    assert_eq!(chart.footnotes.len(), 10);
    let row = |iso: &str| {
        chart
            .rows
            .iter()
            .find(|r| r.iso.as_deref() == Some(iso))
            .unwrap()
    };
    assert_eq!(
        row("CN").marks,
        [
            "CB1", "CB2", "CB3", "NP1", "NP2", "NS1", "NS2", "MT1", "RS1", "RS2", "CC1", "CC3"
        ]
    );
    assert_eq!(row("CA").marks, ["CB1", "FC1"]);
    assert_eq!(row("SC").country, "Seycheles");
    assert_eq!(row("AU").footnotes, ["10"]);
    assert_eq!(row("CY").footnotes, ["2", "3", "4"]);
    assert_eq!(row("FM").country, "Micronesia (Federated State of)");
}

#[test]
fn entity_list_excerpt_reads_parties() {
    let doc = parse_text(&read(&fixture("entity-list-excerpt.xml")));
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
    let el = &doc.entity_list;
    let names: Vec<(&str, &str)> = el
        .iter()
        .map(|e| (e.country.as_str(), e.name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("AFGHANISTAN", "Abdul Satar Ghoura"),
            ("AFGHANISTAN", "Emal Bilal Construction Company (EBCC)"),
            ("BURMA", "FISCA Security & Communication Co., Ltd."),
            // Its country cell is self-closing: still Burma.
            ("BURMA", "Naung Yoe Technologies Co., Ltd."),
            ("CHILE", "Huawei Chile S.A."),
            ("CHILE", "Huawei Cloud Chile"),
            ("CHINA, PEOPLE'S REPUBLIC OF", "3-K Electronics Limited"),
            (
                "CHINA, PEOPLE'S REPUBLIC OF",
                "54th Research Institute of China"
            ),
            ("CHINA, PEOPLE'S REPUBLIC OF", "Address 01"),
        ]
    );
    let isos: BTreeSet<&str> = el.iter().filter_map(|e| e.iso.as_deref()).collect();
    assert_eq!(isos, BTreeSet::from(["AF", "CL", "CN", "MM"]));
    let emal = &el[1];
    assert_eq!(
        emal.aliases,
        [
            "Imal Bilal Road Construction Company",
            "Aimal and Balal Company"
        ]
    );
    assert_eq!(
        emal.addresses,
        [
            "Kolola Pushta, Charahi Gul-e-Surkh, Kabul, Afghanistan",
            "Maidan Sahr, Hetefaq Market, Paktiya, Afghanistan"
        ]
    );
    assert_eq!(
        emal.license_requirement,
        "For all items subject to the EAR. (See § 744.11 of the EAR)"
    );
    assert_eq!(emal.review_policy, "Presumption of denial");
    assert_eq!(emal.citations, [cite(79, 44683, 2014, 8, 1)]);
    assert_eq!(el[3].addresses.len(), 5);
    let cloud = &el[5];
    assert_eq!(
        cloud.citations,
        [
            cite(85, 51603, 2020, 8, 20),
            cite(87, 6026, 2022, 2, 3),
            cite(87, 55250, 2022, 9, 9)
        ]
    );
    // Footnote marks in the requirement stay visible.
    assert_eq!(
        cloud.license_requirement,
        "For all items subject to the EAR, see §§ 734.9(e) ^1 and 744.11 of the EAR ^2"
    );
    let cetc = &el[7];
    assert_eq!(cetc.aliases.len(), 3);
    assert_eq!(
        cetc.aliases[1],
        "Communication, Telemetry and Telecontrol Research Institute (CTI)"
    );
    assert!(cetc.addresses.is_empty());
    assert_eq!(cetc.citations.len(), 4);
    assert_eq!(cetc.citations[0], cite(66, 24266, 2001, 5, 14));
    assert_eq!(
        el[8].addresses,
        ["Unit D, 16/F One Capital Place, 18 Luard Rd, Wan Chai, Hong Kong"]
    );
}

#[test]
fn entity_list_row_with_only_an_address_continues_the_party_above() {
    // Constructed from a real row: the same markup with the requirement,
    // policy and citation cells emptied is an address continuation.
    let text = read(&fixture("entity-list-excerpt.xml"));
    let extra = "<TR>\n<TD class=\"left border-right-single\"> </TD>\n\
        <TD class=\"left border-right-single\">Room 5, 1 Example Road, Kowloon, Hong Kong.</TD>\n\
        <TD class=\"left border-right-single\"/>\n<TD class=\"left border-right-single\"/>\n\
        <TD class=\"left\"/>\n</TR>\n</TBODY>";
    let text = text.replacen("</TBODY>", extra, 1);
    let doc = parse_text(&text);
    assert_eq!(doc.entity_list.len(), 9);
    let last = doc.entity_list.last().unwrap();
    assert_eq!(last.name, "Address 01");
    assert_eq!(
        last.addresses,
        [
            "Unit D, 16/F One Capital Place, 18 Luard Rd, Wan Chai, Hong Kong",
            "Room 5, 1 Example Road, Kowloon, Hong Kong"
        ]
    );
}

#[test]
fn real_entity_list_excerpt_has_210_parties_for_16_countries() {
    let Some(corpus) = corpus() else { return };
    let doc = parse_text(&read(&corpus.join(ENTITY_FILE)));
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
    let el = &doc.entity_list;
    // 210 body rows, every one a party with its own requirement, policy
    // and citation (the "Address 01" … "Address 18" rows included: the
    // Consolidated Screening List names them as parties too).
    assert_eq!(el.len(), 210);
    let countries: BTreeSet<&str> = el.iter().map(|e| e.country.as_str()).collect();
    assert_eq!(countries.len(), 16);
    assert!(el.iter().all(|e| e.iso.is_some()));
    assert!(el.iter().all(|e| !e.citations.is_empty()));
    assert_eq!(
        el.iter().filter(|e| e.name.starts_with("Address ")).count(),
        18
    );
    assert_eq!(
        el.iter().filter(|e| e.iso.as_deref() == Some("CN")).count(),
        62
    );
    let khalil = el.iter().find(|e| e.name == "Khalil Zadran").unwrap();
    assert_eq!(khalil.aliases.len(), 8);
    assert_eq!(khalil.aliases[7], "Haji Khalil");
    let plant = el
        .iter()
        .find(|e| e.name == "140 Repair Plant JSC")
        .unwrap();
    assert_eq!(plant.iso.as_deref(), Some("BY"));
    assert_eq!(
        plant.aliases,
        [
            "Open Joint Stock Company 140 Repair Plant",
            "JSC 140 Repair Plant"
        ]
    );
    assert_eq!(
        plant.citations,
        [cite(87, 20299, 2022, 4, 7), cite(87, 34136, 2022, 6, 6)]
    );
    let acteam = el
        .iter()
        .find(|e| e.name == "ACTeam Logistics Ltd.")
        .unwrap();
    assert_eq!(
        acteam.citations,
        [cite(75, 7359, 2010, 2, 19), cite(85, 83769, 2020, 12, 23)]
    );
}

#[test]
fn real_entity_list_names_agree_with_the_screening_list() {
    let Some(corpus) = corpus() else { return };
    let doc = parse_text(&read(&corpus.join(ENTITY_FILE)));
    let csl: serde_json::Value = serde_json::from_str(&read(
        &corpus.join("derived_ecfr_title15/screening-list.csl-2026-07-31.json"),
    ))
    .unwrap();
    // Source 4 is "Entity List (EL) - Bureau of Industry and Security".
    assert!(
        csl["tables"]["sources"][4]
            .as_str()
            .unwrap()
            .starts_with("Entity List")
    );
    let names: BTreeSet<&str> = csl["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["s"] == 4)
        .filter_map(|e| e["n"].as_str())
        .collect();
    assert_eq!(doc.entity_list.len(), 210);
    let missing: Vec<&str> = doc
        .entity_list
        .iter()
        .map(|e| e.name.as_str())
        .filter(|n| !names.contains(n))
        .collect();
    // The screening list is lossy (quotes, accents, commas it drops); the
    // parse must agree on the great majority of names.
    assert!(
        missing.len() <= 15,
        "{} names not in the CSL: {missing:?}",
        missing.len()
    );
}

fn flag_set(before: &Document, after: &Document) -> BTreeSet<(FlagKind, String)> {
    compare(before, after)
        .flags
        .iter()
        .filter(|f| {
            matches!(
                f.kind(),
                FlagKind::CountryChartChanged
                    | FlagKind::EntityAdded
                    | FlagKind::EntityRemoved
                    | FlagKind::EntityModified
            )
        })
        .map(|f| (f.kind(), regwatch::report::describe::headline(f)))
        .collect()
}

#[test]
fn self_diff_of_the_tables_has_no_flags() {
    let has_tables = |d: &Document| d.country_chart.is_some() || !d.entity_list.is_empty();
    for f in ["country-chart-excerpt.xml", "entity-list-excerpt.xml"] {
        let doc = parse_text(&read(&fixture(f)));
        assert!(has_tables(&doc), "{f}");
        // A separately parsed copy, so nothing is shared by reference.
        let again = parse_text(&read(&fixture(f)));
        assert!(compare(&doc, &again).flags.is_empty(), "{f}");
    }
    let Some(corpus) = corpus() else { return };
    for f in [CHART_FILE, ENTITY_FILE] {
        let doc = parse_text(&read(&corpus.join(f)));
        assert!(has_tables(&doc), "{f}");
        let again = parse_text(&read(&corpus.join(f)));
        assert!(compare(&doc, &again).flags.is_empty(), "{f}");
    }
}

/// The Canada row of the real chart, as published.
const CANADA_ROW_START: &str = "<TD class=\"left border-right-single\">Canada</TD>\n<TD class=\"center border-right-single\">X</TD>";

#[test]
fn chart_cell_changes_are_one_flag_each() {
    let text = read(&fixture("country-chart-excerpt.xml"));
    let before = parse_text(&text);
    // Canada loses its CB 1 X; Cuba's "See part 746" row gets its note reworded.
    let after_text = text
        .replacen(
            CANADA_ROW_START,
            "<TD class=\"left border-right-single\">Canada</TD>\n<TD class=\"center border-right-single\"></TD>",
            1,
        )
        .replacen("See part 746 of the EAR to determine", "See § 746.2 of the EAR to determine", 1);
    let after = parse_text(&after_text);
    let findings = chart_changes(
        before.country_chart.as_ref().unwrap(),
        after.country_chart.as_ref().unwrap(),
    );
    let cells: Vec<(&str, &str, &str, &str)> = findings
        .iter()
        .map(|f| match f {
            Finding::CountryChartChanged {
                label,
                column,
                before,
                after,
                ..
            } => (
                label.as_str(),
                column.as_str(),
                before.as_str(),
                after.as_str(),
            ),
            other => panic!("{other:#?}"),
        })
        .collect();
    assert_eq!(cells[0], ("Canada", "CB1", "X", ""));
    assert_eq!(cells.len(), 2);
    assert_eq!(cells[1].0, "Cuba");
    assert_eq!(cells[1].1, "note");
    assert_eq!(
        flag_set(&before, &after),
        BTreeSet::from([
            (
                FlagKind::CountryChartChanged,
                "Commerce Country Chart: Canada, CB1 changed from X to blank".to_string()
            ),
            (
                FlagKind::CountryChartChanged,
                "Commerce Country Chart: Cuba, note changed from See part 746 of the EAR to determine whether a license is required in order to export or reexport to this destination. to See § 746.2 of the EAR to determine whether a license is required in order to export or reexport to this destination.".to_string()
            ),
        ])
    );
}

#[test]
fn real_chart_with_one_x_removed_gives_exactly_that_flag() {
    let Some(corpus) = corpus() else { return };
    let text = read(&corpus.join(CHART_FILE));
    let after_text = text.replacen(
        CANADA_ROW_START,
        "<TD class=\"left border-right-single\">Canada</TD>\n<TD class=\"center border-right-single\"></TD>",
        1,
    );
    assert_ne!(after_text, text);
    let d = compare(&parse_text(&text), &parse_text(&after_text));
    let flags: Vec<_> = d
        .flags
        .iter()
        .map(|f| match &f.finding {
            Finding::CountryChartChanged {
                country, column, ..
            } => (country.as_deref(), column.as_str()),
            other => panic!("{other:#?}"),
        })
        .collect();
    assert_eq!(flags, [(Some("CA"), "CB1")]);
}

/// The real Afghan row of "Gulf Gate Sea Cargo LLC", used to build pairs.
const GULF_GATE: &str =
    "Gulf Gate Sea Cargo LLC, Gulzaad Market Building, 4th Floor, Room 2, Kabul, Afghanistan.";

/// Flags between the real excerpt and an edited copy (None without the corpus).
fn entity_pair_flags(edit: impl Fn(&str) -> String) -> Option<BTreeSet<(FlagKind, String)>> {
    let text = read(&corpus()?.join(ENTITY_FILE));
    let after = edit(&text);
    assert_ne!(after, text, "the edit must change the file");
    let (b, a) = (parse_text(&text), parse_text(&after));
    assert_eq!(b.entity_list.len(), 210);
    Some(flag_set(&b, &a))
}

#[test]
fn real_entity_list_added_row_is_one_entity_added_with_its_citation() {
    // A new Afghan party, written the way the table writes rows.
    let Some(flags) = entity_pair_flags(|t| {
        let row = "<TR>\n<TD class=\"left border-right-single\"> </TD>\n<TD class=\"left border-right-single\">Kabul Example Trading Co., a.k.a., the following one alias:<br/>&#x2014;KET Co.<br/> <br/> Shar-e-Naw, Kabul, Afghanistan.</TD>\n<TD class=\"left border-right-single\">For all items subject to the EAR. (See &#xA7; 744.11 of the EAR)</TD>\n<TD class=\"left border-right-single\">Presumption of denial</TD>\n<TD class=\"left\">89 FR 72926, 9/6/24.\n</TD>\n</TR>\n<TR>\n<TD class=\"left border-right-single\">ARGENTINA</TD>";
        t.replacen(
            "<TR>\n<TD class=\"left border-right-single\">ARGENTINA</TD>",
            row,
            1,
        )
    }) else {
        return;
    };
    assert_eq!(
        flags,
        BTreeSet::from([(
            FlagKind::EntityAdded,
            "Entity List: Kabul Example Trading Co. (AFGHANISTAN) added (89 FR 72926, 2024-09-06)"
                .to_string()
        )])
    );
}

#[test]
fn real_entity_list_changed_address_and_removed_row() {
    let Some(flags) = entity_pair_flags(|t| {
        t.replacen(GULF_GATE, "Gulf Gate Sea Cargo LLC, Gulzaad Market Building, 5th Floor, Room 9, Kabul, Afghanistan.", 1)
    }) else {
        return;
    };
    assert_eq!(
        flags,
        BTreeSet::from([(
            FlagKind::EntityModified,
            "Entity List: Gulf Gate Sea Cargo LLC (AFGHANISTAN): addresses changed (81 FR 40178, 2016-06-21)"
                .to_string()
        )])
    );
    // Removing the whole row.
    let flags = entity_pair_flags(|t| {
        let at = t.find(GULF_GATE).unwrap();
        let start = t[..at].rfind("<TR>").unwrap();
        let end = at + t[at..].find("</TR>").unwrap() + "</TR>\n".len();
        format!("{}{}", &t[..start], &t[end..])
    })
    .unwrap();
    assert_eq!(
        flags,
        BTreeSet::from([(
            FlagKind::EntityRemoved,
            "Entity List: Gulf Gate Sea Cargo LLC (AFGHANISTAN) removed".to_string()
        )])
    );
}

#[test]
fn renamed_entity_whose_alias_matches_is_a_modification() {
    let text = read(&fixture("entity-list-excerpt.xml"));
    // Emal Bilal Construction Company (EBCC) renamed to its first alias,
    // the old name becoming an alias, and a new citation added.
    let after = text
        .replacen(
            "Emal Bilal Construction Company (EBCC), a.k.a., the following two aliases:<br/>&#x2014;Imal Bilal Road Construction Company; <E T=\"03\">and</E><br/>&#x2014;Aimal and Balal Company.",
            "Imal Bilal Road Construction Company, a.k.a., the following two aliases:<br/>&#x2014;Emal Bilal Construction Company (EBCC); <E T=\"03\">and</E><br/>&#x2014;Aimal and Balal Company.",
            1,
        )
        .replacen("79 FR 44683, 8/1/14.", "79 FR 44683, 8/1/14. 89 FR 72926, 9/6/24.", 1);
    assert_ne!(after, text);
    let (b, a) = (parse_text(&text), parse_text(&after));
    let findings = entity_changes(&b.entity_list, &a.entity_list);
    let fields: Vec<EntityField> = findings
        .iter()
        .map(|f| match f {
            Finding::EntityModified { entity, field, .. } => {
                assert_eq!(entity.citation.as_ref(), Some(&cite(89, 72926, 2024, 9, 6)));
                *field
            }
            other => panic!("expected a modification, got {other:?}"),
        })
        .collect();
    assert_eq!(
        fields,
        [
            EntityField::Name,
            EntityField::Aliases,
            EntityField::Citations
        ]
    );
    let d = compare(&b, &a);
    let (entity, before, after) = d
        .flags
        .iter()
        .find_map(|f| match &f.finding {
            Finding::EntityModified {
                entity,
                field: EntityField::Name,
                before,
                after,
            } => Some((entity, before, after)),
            _ => None,
        })
        .unwrap();
    assert_eq!(before, "Emal Bilal Construction Company (EBCC)");
    assert_eq!(after, "Imal Bilal Road Construction Company");
    assert_eq!(entity.country.as_deref(), Some("AF"));
}

#[test]
fn hostile_chart_header_spans_stay_bounded() {
    // Supplement No. 1 to Part 738 with a header of 2,000 cells spanning
    // 1,000 columns each: read without a two-million-column grid.
    let heads = "<TH colspan=\"1000\">CB 1</TH>".repeat(2000);
    let xml = format!(
        "<DIV9 N=\"Supplement No. 1 to Part 738\" TYPE=\"APPENDIX\"><HEAD>Supplement No. 1 to Part 738—Commerce Country Chart</HEAD>\
         <TABLE><THEAD><TR><TH rowspan=\"1000\">Countries</TH>{heads}</TR></THEAD>\
         <TBODY><TR><TD>Canada</TD><TD colspan=\"1000\">X</TD></TR></TBODY></TABLE></DIV9>"
    );
    let doc = parse_text(&xml);
    let chart = doc.country_chart.unwrap();
    assert!(chart.columns.len() < 300, "{} columns", chart.columns.len());
    assert!(doc.warnings.iter().any(|w| w.contains("not the 16 known")));
    assert_eq!(chart.rows[0].country, "Canada");
    assert_eq!(chart.rows[0].note.as_deref(), Some("X"));
}
