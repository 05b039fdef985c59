//! A small owned XML tree over quick-xml.
//!
//! Regulation XML is document-shaped (mixed content, deep but not huge), and
//! every format parser here needs to look ahead (a section's number, its
//! subject, then its paragraphs), so a tree is simpler and fast enough: the
//! 2.4 MB daily FR issue builds in a few milliseconds. Unknown elements are
//! kept like any other, so their text is never dropped.

use quick_xml::events::Event;

use super::error::{ParseError, line_col};

/// Deeper nesting than this is refused (real documents stay below 20), so
/// recursive walkers can never overflow the stack on hostile input.
const MAX_DEPTH: usize = 200;

/// An element with its attributes and children.
#[derive(Debug, Clone, Default)]
pub(crate) struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

/// A child: an element or a run of text.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    Element(Element),
    Text(String),
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Child elements, in order.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// First child element with this name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    /// First descendant (depth first) with this name.
    pub fn find(&self, name: &str) -> Option<&Element> {
        for e in self.elements() {
            if e.name == name {
                return Some(e);
            }
            if let Some(found) = e.find(name) {
                return Some(found);
            }
        }
        None
    }

    /// All descendants with this name, not descending into matches.
    pub fn find_all<'a>(&'a self, name: &str, out: &mut Vec<&'a Element>) {
        for e in self.elements() {
            if e.name == name {
                out.push(e);
            } else {
                e.find_all(name, out);
            }
        }
    }

    /// The element's text as one line: inline markup flattened, page
    /// markers and graphics ids dropped, whitespace collapsed.
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.collect_text(&mut out);
        super::text::clean(&out)
    }

    fn collect_text(&self, out: &mut String) {
        for child in &self.children {
            match child {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => {
                    if matches!(e.name.as_str(), "PRTPAGE" | "GID" | "BILCOD" | "FTREF") {
                        continue;
                    }
                    let before = out.len();
                    // 2 × 10<SU>8</SU> must not read "2 × 108".
                    if e.name == "SU" && out.ends_with(|c: char| c.is_alphanumeric()) {
                        out.push('^');
                    }
                    if is_block(&e.name) && !out.ends_with(char::is_whitespace) {
                        out.push(' ');
                    }
                    e.collect_text(out);
                    // GPO writes `<E T="03">Effective date:</E>This rule…`
                    // with no space: add one after a label-like run.
                    if out.len() > before
                        && (is_block(&e.name) || out.ends_with([':', '.', ';', ',']))
                    {
                        out.push(' ');
                    }
                }
            }
        }
    }
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "P" | "FP" | "HD" | "HEAD" | "LI" | "ROW" | "TR" | "ENT" | "TD" | "TH" | "CHED"
    )
}

/// Parses a whole XML text into its root element.
///
/// The children of every open element wait in one shared list and move
/// into their element, in a vector of exactly their number, when it
/// closes: no vector grows child by child (on a 2.4 MB issue that growth,
/// and the memory it touched, cost more than reading the XML).
pub(crate) fn parse(text: &str) -> Result<Element, ParseError> {
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    // Open elements, each with where its children start in `kids`.
    let mut stack: Vec<(Element, usize)> = vec![(Element::default(), 0)];
    let mut kids: Vec<Node> = Vec::new();
    let err = |reader: &quick_xml::Reader<&[u8]>, message: String| {
        let (line, column) = line_col(text, reader.error_position() as usize);
        ParseError::Xml {
            line,
            column,
            message,
        }
    };
    loop {
        let event = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => return Err(err(&reader, e.to_string())),
        };
        match event {
            Event::Start(e) => {
                if stack.len() > MAX_DEPTH {
                    return Err(err(
                        &reader,
                        format!("elements nested deeper than {MAX_DEPTH}"),
                    ));
                }
                stack.push((start(&e), kids.len()));
            }
            Event::Empty(e) => kids.push(Node::Element(start(&e))),
            Event::End(_) => {
                if stack.len() < 2 {
                    return Err(err(&reader, "closing tag without an opening tag".into()));
                }
                if let Some((mut el, from)) = stack.pop() {
                    el.children = kids.drain(from..).collect();
                    kids.push(Node::Element(el));
                }
            }
            Event::Text(t) => push_text(&stack, &mut kids, &t.xml10_content()),
            Event::CData(t) => push_text(&stack, &mut kids, &t),
            Event::GeneralRef(r) => {
                let name = r.to_string();
                match r.resolve_char_ref() {
                    Ok(Some(c)) => push_text(&stack, &mut kids, c.encode_utf8(&mut [0; 4])),
                    _ => match quick_xml::escape::resolve_predefined_entity(&name) {
                        Some(s) => push_text(&stack, &mut kids, s),
                        None => push_text(&stack, &mut kids, &format!("&{name};")),
                    },
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
    if stack.len() > 1 {
        let open = stack
            .last()
            .map(|(e, _)| e.name.clone())
            .unwrap_or_default();
        let (line, column) = line_col(text, text.len());
        return Err(ParseError::Xml {
            line,
            column,
            message: format!("input ends inside <{open}> (truncated?)"),
        });
    }
    let mut roots = kids.into_iter().filter_map(|n| match n {
        Node::Element(e) => Some(e),
        Node::Text(_) => None,
    });
    match roots.next() {
        Some(root) => Ok(root),
        None => Err(ParseError::Unrecognized(
            "the XML has no root element".into(),
        )),
    }
}

fn start(e: &quick_xml::events::BytesStart<'_>) -> Element {
    let attrs = e
        .attributes()
        .flatten()
        .filter_map(|a| {
            let key = a.key.local_name().as_ref().to_string();
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| (key, v.into_owned()))
        })
        .collect();
    Element {
        name: e.local_name().as_ref().to_string(),
        attrs,
        children: Vec::new(),
    }
}

/// Adds text to the innermost open element: to its last child when that
/// is text too (text around a character reference stays one run).
fn push_text(stack: &[(Element, usize)], kids: &mut Vec<Node>, text: &str) {
    let from = stack.last().map_or(0, |(_, from)| *from);
    if kids.len() > from
        && let Some(Node::Text(prev)) = kids.last_mut()
    {
        prev.push_str(text);
    } else {
        kids.push(Node::Text(text.to_string()));
    }
}
