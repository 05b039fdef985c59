//! HTML pages (agency press releases, MOFCOM notices): headings and
//! paragraphs, optionally narrowed by a CSS selector first.

use scraper::{ElementRef, Node, Selector};

use super::error::ParseError;
use super::text;
use crate::model::{DocKind, Document, Provision, ProvisionKind, SourceFormat};

/// Deepest element nesting walked recursively.
const MAX_DEPTH: usize = 128;

/// Elements whose text is one paragraph.
const PARAGRAPHS: &[&str] = &[
    "p",
    "li",
    "dd",
    "dt",
    "blockquote",
    "pre",
    "tr",
    "figcaption",
    "address",
];
/// Elements never read.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "head", "nav", "button", "form",
];

/// Parses an HTML page into headed provisions.
pub(crate) fn parse(html: &str, selector: Option<&str>) -> Result<Document, ParseError> {
    // html5ever's work can grow with the square of the page: it is parsed
    // within a bound on that work, and refused past it.
    let page = crate::fetch::html_limit::parse_html(html).map_err(|e| {
        let (line, column) = super::error::line_col(html, e.offset);
        ParseError::TooComplex {
            line,
            column,
            message: e.reason,
        }
    })?;
    let mut doc = Document::new(SourceFormat::Html);
    doc.meta.kind = DocKind::Report;
    if let Some(t) = Selector::parse("title")
        .ok()
        .and_then(|s| page.select(&s).next())
    {
        let t = text::clean(&t.text().collect::<String>());
        if !t.is_empty() {
            doc.meta.title = Some(t);
        }
    }
    let roots: Vec<ElementRef> = match selector {
        Some(css) => {
            let sel = Selector::parse(css).map_err(|e| {
                ParseError::Unrecognized(format!("invalid CSS selector {css:?}: {e}"))
            })?;
            let found: Vec<ElementRef> = page.select(&sel).collect();
            if found.is_empty() {
                return Err(ParseError::Unrecognized(format!(
                    "selector {css:?} matches nothing on the page"
                )));
            }
            found
        }
        None => vec![page.root_element()],
    };
    let mut builder = Builder::default();
    for r in roots {
        builder.walk(r, 0);
    }
    builder.flush();
    if doc.meta.title.is_none() {
        doc.meta.title = builder.first_heading.clone();
    }
    doc.provisions = builder.provisions;
    Ok(doc)
}

#[derive(Default)]
struct Builder {
    provisions: Vec<Provision>,
    /// Open headings: (level, path into `provisions`).
    levels: Vec<u8>,
    loose: String,
    first_heading: Option<String>,
}

impl Builder {
    fn current(&mut self) -> &mut Provision {
        if self.provisions.is_empty() {
            self.provisions
                .push(Provision::new("Page", ProvisionKind::Heading, None));
            self.levels.clear();
        }
        let last = self.provisions.len() - 1;
        self.provisions[last].last_descendant_mut(self.levels.len().saturating_sub(1))
    }

    fn paragraph(&mut self, t: &str) {
        let t = text::clean(t);
        if !t.is_empty() {
            self.current().push_text(&t);
        }
    }

    fn flush(&mut self) {
        let loose = std::mem::take(&mut self.loose);
        self.paragraph(&loose);
    }

    fn heading(&mut self, level: u8, t: &str) {
        self.flush();
        let t = text::heading(t);
        if t.is_empty() {
            return;
        }
        if self.first_heading.is_none() {
            self.first_heading = Some(t.clone());
        }
        let node = Provision::new(t, ProvisionKind::Heading, None);
        while self.levels.last().is_some_and(|l| *l >= level) {
            self.levels.pop();
        }
        if self.levels.is_empty() {
            self.provisions.push(node);
        } else {
            self.current().children.push(node);
        }
        self.levels.push(level);
    }

    fn walk(&mut self, el: ElementRef, depth: usize) {
        // Real pages nest a few dozen levels; hostile ones, thousands. Past
        // the limit the subtree's text is read iteratively as one paragraph
        // instead of recursing (no stack overflow).
        if depth > MAX_DEPTH {
            self.flush();
            self.paragraph(&el.text().collect::<String>());
            return;
        }
        for child in el.children() {
            match child.value() {
                Node::Text(t) => self.loose.push_str(t),
                Node::Element(e) => {
                    let Some(child_el) = ElementRef::wrap(child) else {
                        continue;
                    };
                    let name = e.name();
                    if SKIPPED.contains(&name) {
                        continue;
                    }
                    if let Some(level) = name
                        .strip_prefix('h')
                        .and_then(|n| n.parse::<u8>().ok())
                        .filter(|l| (1..=6).contains(l))
                    {
                        self.heading(level, &child_el.text().collect::<String>());
                    } else if PARAGRAPHS.contains(&name) {
                        self.flush();
                        let sep = if name == "tr" { " | " } else { " " };
                        let t: Vec<String> = if name == "tr" {
                            child_el
                                .children()
                                .filter_map(ElementRef::wrap)
                                .map(|c| text::clean(&c.text().collect::<String>()))
                                .collect()
                        } else {
                            vec![child_el.text().collect::<String>()]
                        };
                        self.paragraph(&t.join(sep));
                    } else if name == "br" {
                        self.flush();
                    } else {
                        let block = matches!(
                            name,
                            "div"
                                | "section"
                                | "article"
                                | "main"
                                | "table"
                                | "tbody"
                                | "ul"
                                | "ol"
                                | "body"
                        );
                        if block {
                            self.flush();
                        }
                        self.walk(child_el, depth + 1);
                        if block {
                            self.flush();
                        }
                    }
                }
                _ => {}
            }
        }
    }
}
