//! Conditional dates in words: "effective 2024-03-13 if no public comment
//! is received …", the condition taken from the date's own sentence.

/// Clauses that state a condition, as the parser recognises them
/// (`parse::dates`' condition phrases that open a clause).
const OPENERS: &[&str] = &[
    "if no ",
    "if adverse",
    "if significant adverse",
    "if we receive",
    "unless ",
];

/// The condition a conditional date's `evidence` states, as a clause to
/// follow the date: "if no public comment is received during the period
/// allowed for comment …", "at the earliest" (a minimum of N days after
/// publication), "or later" (whichever is later).
pub fn condition(evidence: &str) -> String {
    let text = evidence.split_whitespace().collect::<Vec<_>>().join(" ");
    let lower = text.to_lowercase();
    let opener = OPENERS.iter().filter_map(|o| lower.find(o)).min();
    if let Some(start) = opener {
        // The clause runs to the next comma (not a date's "14, 2024"),
        // semicolon or full stop.
        let rest = &text[start..];
        let end = rest
            .char_indices()
            .find(|&(i, ch)| {
                ch == ';'
                    || (ch == ','
                        && !rest[i + 1..]
                            .trim_start()
                            .starts_with(|d: char| d.is_ascii_digit()))
            })
            .map_or(rest.len(), |(i, _)| i);
        let clause = rest[..end].trim().trim_end_matches('.');
        let mut c = clause.chars();
        if let Some(first) = c.next() {
            return first.to_lowercase().collect::<String>() + c.as_str();
        }
    }
    if lower.contains("whichever is later") {
        "or later (whichever is later)".to_string()
    } else if lower.contains("a minimum of") {
        "at the earliest".to_string()
    } else {
        "if the condition stated is met".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::condition;

    #[test]
    fn the_condition_is_the_clause_of_the_sentence_that_states_it() {
        // FERC system of records notice 2024-02813 (FR 2024-02-12).
        assert_eq!(
            condition(
                "If no public comment is received during the period allowed for comment or unless otherwise published in the Federal Register by FERC, the modified system of records will become effective a minimum of 30 days after date of publication in the Federal Register."
            ),
            "if no public comment is received during the period allowed for comment or unless otherwise published in the Federal Register by FERC"
        );
        // A direct final rule.
        assert_eq!(
            condition(
                "This rule is effective March 15, 2024, without further action, unless significant adverse comment is received by February 14, 2024."
            ),
            "unless significant adverse comment is received by February 14, 2024"
        );
        assert_eq!(
            condition("The notice will become effective a minimum of 30 days after publication."),
            "at the earliest"
        );
    }
}
