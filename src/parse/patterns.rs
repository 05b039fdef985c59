//! Compiled regular expressions shared by the extractors.
//!
//! Patterns are constants, checked by the unit test below; compiling them
//! can still not panic at run time: a pattern that failed to compile would
//! simply match nothing (and the test would have failed first).

use std::sync::LazyLock;

use regex::Regex;

/// A lazily compiled constant pattern.
pub(crate) struct Pattern {
    #[cfg_attr(not(test), allow(dead_code))]
    source: &'static str,
    compiled: LazyLock<Option<Regex>, fn() -> Option<Regex>>,
}

impl Pattern {
    const fn new(source: &'static str, init: fn() -> Option<Regex>) -> Pattern {
        Pattern {
            source,
            compiled: LazyLock::new(init),
        }
    }

    /// The compiled regex (None only if the constant pattern is invalid).
    pub fn get(&self) -> Option<&Regex> {
        self.compiled.as_ref()
    }

    /// Iterates over captures in `text`.
    pub fn captures_iter<'r, 't>(
        &'r self,
        text: &'t str,
    ) -> impl Iterator<Item = regex::Captures<'t>> + 'r
    where
        't: 'r,
    {
        self.get()
            .into_iter()
            .flat_map(move |re| re.captures_iter(text))
    }

    /// First captures in `text`.
    pub fn captures<'t>(&self, text: &'t str) -> Option<regex::Captures<'t>> {
        self.get().and_then(|re| re.captures(text))
    }

    /// Whether `text` matches.
    pub fn is_match(&self, text: &str) -> bool {
        self.get().is_some_and(|re| re.is_match(text))
    }

    #[cfg(test)]
    fn source(&self) -> &'static str {
        self.source
    }
}

macro_rules! patterns {
    ($($(#[$doc:meta])* $name:ident = $pat:expr;)*) => {
        $(
            $(#[$doc])*
            pub(crate) static $name: Pattern =
                Pattern::new($pat, || Regex::new($pat).ok());
        )*
        #[cfg(test)]
        pub(crate) static ALL: &[&Pattern] = &[$(&$name),*];
    };
}

patterns! {
    /// Month-name dates ("September 6, 2024", "Sept. 6, 2024", "6 September 2024"),
    /// ISO dates and Chinese dates (`2024年9月5日`).
    DATE = DATE_SOURCE;
    /// "60 days after publication", "thirty (30) days following the date of publication",
    /// "within 60 days of this publication", "12 months from the effective date of this
    /// final rule". `unit` is days, weeks, months or years; `anchor` is the publication
    /// or the effective date.
    RELATIVE = r"(?i)(?-u:\b)(?P<n>[0-9]{1,3}|one hundred (?:and )?(?:twenty|eighty)|[a-z]+(?:-[a-z]+)?)\s*(?:\([0-9]{1,3}\)\s*)?(?:calendar\s+)?(?P<unit>days?|weeks?|months?|years?)\s+(?:after|following|from|of)\s+(?:the\s+)?(?P<anchor>(?:date\s+of\s+)?(?:its\s+|this\s+rule's\s+|this\s+)?publication|effective\s+date)";
    /// A period counted from the date that follows it: "30 days after " (then
    /// "March 11, 2024"), matched against the text just before a date.
    RELATIVE_TO_DATE = r"(?i)(?-u:\b)(?P<n>[0-9]{1,3}|[a-z]+(?:-[a-z]+)?)\s*(?:\([0-9]{1,3}\)\s*)?(?:calendar\s+)?(?P<unit>days?|weeks?|months?|years?)\s+(?:after|following|from)\s+(?:the\s+)?$";
    /// Numeric month/day/year dates ("2/20/24", "2/1/2024"), read only in an FR
    /// document's body (FERC's "Comment Date: 5 p.m. ET 2/20/24").
    NUMERIC_DATE = r"(?-u:\b)(?P<m>[0-9]{1,2})/(?P<d>[0-9]{1,2})/(?P<y>[0-9]{4}|[0-9]{2})(?-u:\b)";
    /// Two days of one month: "May 20 and 21, 2024".
    DATE_PAIR = r"(?-u:\b)(?P<m>January|February|March|April|May|June|July|August|September|October|November|December)\s+(?P<d1>[0-9]{1,2})\s+(?:and|&)\s+(?P<d2>[0-9]{1,2}),?\s+(?P<y>[0-9]{4})(?-u:\b)";
    /// A section citation: `§ 740.24(b)(1)`, `§§ 742.4 and 742.6`.
    SECTION_CITE = r"§+\s*(?P<sec>[0-9]+\.[0-9]+[a-z]?)(?P<par>(?:\([a-zA-Z0-9]{1,4}\))*)";
    /// Section numbers in amendatory instructions: "Section 1.16", "§ 1.445", "sections 742.4 and 742.6".
    AMENDED_SECTION = r"(?:§+|(?-u:\b)[Ss]ections?)\s*(?P<sec>[0-9]+\.[0-9]+[a-z]?)";
    /// ECCNs, with an optional sub-paragraph: `3B001`, `4A906`, `0Y521`, `3B001.c.1.a`.
    ECCN = r"(?-u:\b)(?P<eccn>[0-9][A-EY][0-9]{3})(?P<sub>(?:\.[a-z](?:\.[0-9]{1,2}(?:\.[a-z](?:\.[0-9]{1,2})?)?)?))?(?-u:\b)";
    /// CFR citations: `15 CFR 740.24`, `15 CFR part 740`, `15 CFR parts 740 and 774`.
    CFR_CITE = r"(?-u:\b)(?P<title>[0-9]{1,2})\s+C\.?F\.?R\.?\s+(?:[Pp]arts?\s+|§+\s*)?(?P<part>[0-9]{1,4})(?:\.(?P<sec>[0-9]{1,4}[a-z]?))?";
    /// Further parts after a "Parts" list: ", 742, and 774".
    CFR_MORE_PARTS = r"^(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?P<part>[0-9]{1,4})(?-u:\b)";
    /// FR citations: `89 FR 72926`.
    FR_CITE = r"(?-u:\b)(?P<vol>[0-9]{1,3})\s+FR\s+(?P<page>[0-9]{1,6})(?-u:\b)";
    /// Country group references: `Country Group D:1`, `D:1, D:4, or E:2`, `[A:5]`.
    COUNTRY_GROUP = r"(?-u:\b)(?P<g>[A-E]):(?P<n>[1-6])(?-u:\b)|(?-u:\b)Country Groups? (?P<b>B)(?-u:\b)";
    /// "License Exception IEC", "License Exceptions GOV, TMP, or RPL".
    EXCEPTION_PHRASE = r"(?-u:\b)License Exceptions?\s+(?P<list>[A-Z]{3}(?:(?:\s*,\s*|\s*,?\s+(?:and|or)\s+|\s*/\s*)[A-Z]{3})*)(?-u:\b)";
    /// A symbol inside a parenthesis after a name: "Implemented Export Controls (IEC)".
    EXCEPTION_PAREN = r"\((?P<sym>[A-Z]{3})\)";
    /// RIN: `RIN 0694-AJ60`.
    RIN = r"(?-u:\b)(?P<rin>[0-9]{4}-[A-Z]{2}[0-9]{2})(?-u:\b)";
    /// Paragraph markers at the start of a CFR paragraph: `(a)`, `(1)`, `(iv)`, `(A)`.
    MARKER = r"^\((?P<m>[a-z]{1,4}|[0-9]{1,3}|[A-Z]{1,2})\)\s*";
    /// A CCL item designation: `a. `, `c.1.a. `, `a.1. to a.5.`, `y.2 through y.5.`, `b.1.g.3 Optimized`.
    CCL_ITEM = r"^(?P<item>[a-z](?:\.(?:[0-9]{1,2}|[a-z])){0,7})(?:(?P<dot>\.)(?:\s|$)|\s+(?:through|to)\s|\s)";
    /// FR document number: `2024-19633`, `E8-23178`, `C1-2024-00001`.
    FR_DOC = r"(?P<num>(?-u:\b)(?:(?:[A-Z][0-9]-)?[0-9]{2,4}-[0-9]{3,6}|[A-Z][0-9]-[0-9]{3,6})(?-u:\b))";
}

/// Month-name, day-month-year, ISO and Chinese date forms.
const DATE_SOURCE: &str = concat!(
    r"(?:(?-u:\b)(?P<m>January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|Sep\.?|Oct\.?|Nov\.?|Dec\.?)\s+(?P<d>[0-9]{1,2}),?\s+(?P<y>[0-9]{4})(?-u:\b))",
    r"|(?:(?-u:\b)(?P<d2>[0-9]{1,2})\s+(?P<m2>January|February|March|April|May|June|July|August|September|October|November|December)\s+(?P<y2>[0-9]{4})(?-u:\b))",
    r"|(?:(?-u:\b)(?P<iy>[0-9]{4})-(?P<im>[0-9]{2})-(?P<id>[0-9]{2})(?-u:\b))",
    r"|(?:(?P<cy>[0-9]{4})\s*年\s*(?P<cm>[0-9]{1,2})\s*月\s*(?P<cd>[0-9]{1,2})\s*日)",
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_compiles() {
        for p in ALL {
            assert!(
                p.get().is_some(),
                "pattern does not compile: {}",
                p.source()
            );
        }
    }
}
