//! A notice that delays another rule's effective date: the rule's deadline
//! moves (same uid, same calendar event), the old date's reminders stop,
//! and the summary carries the finding (issue "Dates you can trust on real
//! Federal Register text", items 2 and 7).

use crate::common::TestEnv;

/// Rule A (FR Doc. 2024-19633), effective 2024-11-05.
const RULE_A: &str = r#"<?xml version="1.0"?>
<RULE><PREAMB><AGENCY>DEPARTMENT OF COMMERCE</AGENCY><SUBAGY>Bureau of Industry and Security</SUBAGY><CFR>15 CFR Part 740</CFR><SUBJECT>Export Administration Regulations: Test Rule</SUBJECT><ACT><HD SOURCE="HED">ACTION:</HD><P>Final rule.</P></ACT>
<DATES><HD SOURCE="HED">DATES:</HD><P>This rule is effective November 5, 2024.</P></DATES></PREAMB>
<SUPLINF><P>Text.</P></SUPLINF>
<FRDOC>[FR Doc. 2024-19633 Filed 9-5-24; 8:45 am]</FRDOC></RULE>
"#;

/// Notice B (FR Doc. 2024-27001) delaying A to 2025-01-06.
const NOTICE_B: &str = r#"<?xml version="1.0"?>
<RULE><PREAMB><AGENCY>DEPARTMENT OF COMMERCE</AGENCY><SUBAGY>Bureau of Industry and Security</SUBAGY><CFR>15 CFR Part 740</CFR><SUBJECT>Export Administration Regulations: Test Rule; Delay of Effective Date</SUBJECT><ACT><HD SOURCE="HED">ACTION:</HD><P>Final rule; delay of effective date.</P></ACT>
<DATES><HD SOURCE="HED">DATES:</HD><P>The effective date of the final rule in FR Doc. 2024-19633 is delayed from November 5, 2024, until January 6, 2025.</P></DATES></PREAMB>
<SUPLINF><P>Text.</P></SUPLINF>
<FRDOC>[FR Doc. 2024-27001 Filed 11-1-24; 8:45 am]</FRDOC></RULE>
"#;

/// A records notice effective only if no comments arrive.
const RECORDS_NOTICE: &str = r#"<?xml version="1.0"?>
<NOTICE><PREAMB><AGENCY>FEDERAL ENERGY REGULATORY COMMISSION</AGENCY><SUBJECT>Privacy Act of 1974; System of Records</SUBJECT><ACT><HD SOURCE="HED">ACTION:</HD><P>Notice of a modified system of records.</P></ACT>
<DATES><HD SOURCE="HED">DATES:</HD><P>If no public comment is received during the period allowed for comment or unless otherwise published in the Federal Register by FERC, the modified system of records will become effective on March 13, 2024.</P></DATES></PREAMB>
<SUPLINF><P>Text.</P></SUPLINF>
<FRDOC>[FR Doc. 2024-02813 Filed 2-9-24; 8:45 am]</FRDOC></NOTICE>
"#;

const CONFIG: &str = "feeds:
  - id: rules
    kind: file
    path: rules
notify:
  - id: desk
    remind_days: [30, 7, 1]
    file: { dir: out, formats: [md, json] }
";

fn put(env: &TestEnv, name: &str, text: &str) {
    let dir = env.path().join("rules");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), text).unwrap();
}

/// The JSON summaries the file channel wrote, oldest first.
fn summaries(env: &TestEnv) -> Vec<serde_json::Value> {
    env.out_json_files()
        .iter()
        .map(|p| serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap())
        .collect()
}

/// The calendar's events as (UID, DTSTART) pairs.
fn events(ics: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut uid = String::new();
    for line in ics.lines() {
        if let Some(u) = line.strip_prefix("UID:") {
            uid = u.trim().to_string();
        }
        if let Some(d) = line.strip_prefix("DTSTART;VALUE=DATE:") {
            out.push((uid.clone(), d.trim().to_string()));
        }
    }
    out
}

/// Deadlines as JSON (`deadlines --all --format json`: one record a line).
fn deadlines(env: &TestEnv, now: &str) -> Vec<serde_json::Value> {
    let r = env.run_at(now, &["deadlines", "--all", "--format", "json"]);
    r.expect_code(0);
    r.stdout()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["type"] == "deadline")
        .map(|v| v["data"].clone())
        .collect()
}

#[test]
fn a_notice_delaying_a_tracked_rule_moves_its_effective_date_and_its_calendar_event() {
    let env = TestEnv::new();
    env.write_config(CONFIG);
    put(&env, "a.xml", RULE_A);
    env.run_at("2024-10-07T06:00:00Z", &["run"]).expect_code(1);
    let ics = std::fs::read_to_string(env.path().join("out/deadlines.ics")).unwrap();
    let before = events(&ics);
    assert_eq!(before.len(), 1, "{ics}");
    assert_eq!(before[0].1, "20241105");
    let uid_a = before[0].0.clone();
    // The 30-day reminder for 2024-11-05 went out.
    assert!(
        summaries(&env)[0]["data"]["reminders"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "reminder" && n["deadline"]["date"] == "2024-11-05")
    );

    put(&env, "b.xml", NOTICE_B);
    env.run_at("2024-10-08T06:00:00Z", &["run"]).expect_code(1);

    // `deadlines`: A's effective date is 2025-01-06, moved from
    // 2024-11-05 by B; B states no effective date of its own.
    let list = deadlines(&env, "2024-10-08T06:00:00Z");
    let effective: Vec<&serde_json::Value> =
        list.iter().filter(|d| d["kind"] == "effective").collect();
    assert_eq!(effective.len(), 1, "{list:?}");
    let a = effective[0];
    assert_eq!(a["document"], "2024-19633");
    assert_eq!(a["date"], "2025-01-06");
    assert_eq!(a["moved_from"], "2024-11-05");
    assert_eq!(a["moved_by"], "FR Doc. 2024-27001");
    assert_eq!(a["uid"], uid_a.as_str());
    assert!(
        a["evidence"]
            .as_str()
            .unwrap()
            .contains("is delayed from November 5, 2024")
    );
    let text = env.run_at("2024-10-08T06:00:00Z", &["deadlines", "--all"]);
    assert!(
        text.stdout()
            .contains("moved from 2024-11-05 by FR Doc. 2024-27001"),
        "{}",
        text.stdout()
    );

    // One calendar event, A's uid, the new date.
    let ics = std::fs::read_to_string(env.path().join("out/deadlines.ics")).unwrap();
    assert_eq!(
        events(&ics),
        vec![(uid_a.clone(), "20250106".to_string())],
        "{ics}"
    );

    // The summary: B is new and carries the finding; the move is announced.
    let s = summaries(&env);
    assert_eq!(s.len(), 2);
    let new_docs = &s[1]["data"]["feeds"][0]["new_documents"];
    let news = &new_docs[0]["news"][0];
    assert_eq!(news["kind"], "effective_date_changed", "{new_docs}");
    assert_eq!(
        news["message"],
        "Effective date of FR Doc. 2024-19633 delayed from 2024-11-05 to 2025-01-06 (62 days later) by FR Doc. 2024-27001"
    );
    let moved: Vec<&serde_json::Value> = s[1]["data"]["reminders"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "moved")
        .collect();
    assert_eq!(moved.len(), 1, "{}", s[1]["data"]["reminders"]);
    assert_eq!(moved[0]["previous"], "2024-11-05");
    assert_eq!(moved[0]["deadline"]["date"], "2025-01-06");

    // `changes` lists the finding with B's new-document flag.
    let r = env.run_at("2024-10-08T06:00:00Z", &["changes", "--format", "json"]);
    assert!(
        r.stdout().contains("\"kind\":\"effective_date_changed\""),
        "{}",
        r.stdout()
    );

    // 2024-10-29 was the 7-day reminder for the old date: nothing now.
    env.run_at("2024-10-29T06:00:00Z", &["run", "--no-fetch"])
        .expect_code(0);
    assert_eq!(summaries(&env).len(), 2);
    // 2024-12-07: 30 days before the new date.
    env.run_at("2024-12-07T06:00:00Z", &["run", "--no-fetch"])
        .expect_code(1);
    let s = summaries(&env);
    assert!(
        s[2]["data"]["reminders"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "reminder"
                && n["offset"] == 30
                && n["deadline"]["date"] == "2025-01-06"),
        "{}",
        s[2]["data"]["reminders"]
    );
}

#[test]
fn a_conditional_effective_date_is_shown_with_its_condition() {
    let env = TestEnv::new();
    env.write_config(CONFIG);
    put(&env, "records.xml", RECORDS_NOTICE);
    env.run_at("2024-02-12T06:00:00Z", &["run"]).expect_code(1);
    let list = deadlines(&env, "2024-02-12T06:00:00Z");
    let eff = list.iter().find(|d| d["kind"] == "effective").unwrap();
    assert_eq!(eff["date"], "2024-03-13");
    let condition = "if no public comment is received during the period allowed for comment or unless otherwise published in the Federal Register by FERC";
    assert_eq!(eff["condition"], condition);
    // The deadlines table, the calendar and the summary say so.
    let text = env
        .run_at("2024-02-12T06:00:00Z", &["deadlines", "--all"])
        .stdout();
    assert!(text.contains(condition), "{text}");
    let ics = std::fs::read_to_string(env.path().join("out/deadlines.ics"))
        .unwrap()
        .replace("\r\n ", "")
        .replace("\n ", "");
    assert!(ics.contains("System of Records (conditional)"), "{ics}");
    assert!(
        ics.contains("DESCRIPTION:Effective date 2024-03-13 if no public comment"),
        "{ics}"
    );
    let md = std::fs::read_dir(env.path().join("out"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .unwrap();
    assert!(
        md.contains("Effective 2024-03-13 if no public comment is received"),
        "{md}"
    );
    // The 30-day reminder says the date is conditional.
    let s = summaries(&env);
    let r = &s[0]["data"]["reminders"][0];
    assert_eq!(r["deadline"]["condition"], condition, "{}", s[0]["data"]);
    assert!(
        md.contains("(2024-03-13 if no public comment is received"),
        "{md}"
    );
}
