//! A small XML tree over quick-xml, borrowing from the text it reads.
//!
//! Regulation XML is document-shaped (mixed content, deep but not huge), and
//! every format parser here needs to look ahead (a section's number, its
//! subject, then its paragraphs), so a tree is simpler and fast enough: the
//! 2.4 MB daily FR issue builds in a few milliseconds. Unknown elements are
//! kept like any other, so their text is never dropped.

use std::borrow::Cow;

use quick_xml::events::Event;

use super::error::{ParseError, line_col};

/// Deeper nesting than this is refused (real documents stay below 20), so
/// recursive walkers can never overflow the stack on hostile input.
const MAX_DEPTH: usize = 200;

/// An element with its attributes and children. Names, and text and
/// attribute values without references or line ends to normalise,
/// borrow from the XML text: a 2.4 MB issue no longer copies its text
/// into a hundred thousand small strings only to read and free them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Element<'a> {
    pub name: Cow<'a, str>,
    pub attrs: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    pub children: Vec<Node<'a>>,
}

/// A child: an element or a run of text.
#[derive(Debug, Clone)]
pub(crate) enum Node<'a> {
    Element(Element<'a>),
    Text(Cow<'a, str>),
}

impl<'a> Element<'a> {
    /// The element's (local) name.
    pub fn tag(&self) -> &str {
        &self.name
    }

    /// The element with everything it borrows copied (a tree parsed from
    /// a text that does not outlive it).
    pub fn into_owned(self) -> Element<'static> {
        let own = |c: Cow<'_, str>| Cow::Owned(c.into_owned());
        Element {
            name: own(self.name),
            attrs: self
                .attrs
                .into_iter()
                .map(|(k, v)| (own(k), own(v)))
                .collect(),
            children: self
                .children
                .into_iter()
                .map(|n| match n {
                    Node::Element(e) => Node::Element(e.into_owned()),
                    Node::Text(t) => Node::Text(own(t)),
                })
                .collect(),
        }
    }

    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_ref())
    }

    /// Child elements, in order.
    pub fn elements(&self) -> impl Iterator<Item = &Element<'a>> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// First child element with this name.
    pub fn child(&self, name: &str) -> Option<&Element<'a>> {
        self.elements().find(|e| e.name == name)
    }

    /// First descendant (depth first) with this name.
    pub fn find(&self, name: &str) -> Option<&Element<'a>> {
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
    pub fn find_all<'s>(&'s self, name: &str, out: &mut Vec<&'s Element<'a>>) {
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
                    if matches!(e.tag(), "PRTPAGE" | "GID" | "BILCOD" | "FTREF") {
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
pub(crate) fn parse(text: &str) -> Result<Element<'_>, ParseError> {
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
                stack.push((start(text, &e), kids.len()));
            }
            Event::Empty(e) => kids.push(Node::Element(start(text, &e))),
            Event::End(_) => {
                if stack.len() < 2 {
                    return Err(err(&reader, "closing tag without an opening tag".into()));
                }
                if let Some((mut el, from)) = stack.pop() {
                    el.children = kids.drain(from..).collect();
                    kids.push(Node::Element(el));
                }
            }
            Event::Text(t) => {
                let content = t.xml10_content();
                push_text(&stack, &mut kids, borrowed(text, content.as_bytes()));
            }
            Event::CData(t) => push_text(&stack, &mut kids, borrowed(text, t.as_bytes())),
            Event::GeneralRef(r) => {
                let name = r.to_string();
                match r.resolve_char_ref() {
                    Ok(Some(c)) => push_text(&stack, &mut kids, Cow::Owned(c.to_string())),
                    _ => match quick_xml::escape::resolve_predefined_entity(&name) {
                        Some(s) => push_text(&stack, &mut kids, Cow::Borrowed(s)),
                        None => push_text(&stack, &mut kids, Cow::Owned(format!("&{name};"))),
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

/// `part` as a slice of `text` when it lies inside it (the reader hands
/// out slices of the input wherever nothing had to be rewritten), else a
/// copy. Found by address, without `unsafe`: a slice outside `text`, or
/// not on character boundaries, is simply copied.
fn borrowed<'a>(text: &'a str, part: &[u8]) -> Cow<'a, str> {
    let start = (part.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
    match start
        .checked_add(part.len())
        .and_then(|end| text.get(start..end))
    {
        Some(inner) => Cow::Borrowed(inner),
        None => Cow::Owned(String::from_utf8_lossy(part).into_owned()),
    }
}

fn start<'a>(text: &'a str, e: &quick_xml::events::BytesStart<'_>) -> Element<'a> {
    let attrs = e
        .attributes()
        .flatten()
        .filter_map(|a| {
            let key = borrowed(text, a.key.local_name().as_ref().as_bytes());
            let value = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()?;
            Some((key, borrowed(text, value.as_bytes())))
        })
        .collect();
    Element {
        name: borrowed(text, e.local_name().as_ref().as_bytes()),
        attrs,
        children: Vec::new(),
    }
}

/// Adds text to the innermost open element: to its last child when that
/// is text too (text around a character reference stays one run).
fn push_text<'a>(stack: &[(Element<'a>, usize)], kids: &mut Vec<Node<'a>>, text: Cow<'a, str>) {
    let from = stack.last().map_or(0, |(_, from)| *from);
    if kids.len() > from
        && let Some(Node::Text(prev)) = kids.last_mut()
    {
        prev.to_mut().push_str(&text);
    } else {
        kids.push(Node::Text(text));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_names_borrow_from_the_input_unless_rewritten() {
        let xml = "<FEDREG><P T=\"03\" N=\"a&amp;b\">Line one\r\nline two &amp; more<![CDATA[ <raw> ]]></P><E/></FEDREG>";
        let root = parse(xml).expect("well-formed");
        assert!(matches!(root.name, Cow::Borrowed("FEDREG")));
        let p = root.child("P").expect("P");
        assert_eq!(p.attr("T"), Some("03"));
        assert!(matches!(p.attrs[0].1, Cow::Borrowed("03")));
        // A reference is resolved, so that value is a copy.
        assert_eq!(p.attr("N"), Some("a&b"));
        // CR LF becomes LF, the reference and the CDATA join the run.
        let [Node::Text(run)] = p.children.as_slice() else {
            panic!("one text run, got {:?}", p.children);
        };
        assert_eq!(run, "Line one\nline two & more <raw> ");
        assert_eq!(p.text(), "Line one line two & more <raw>");
        assert!(root.child("E").is_some());
        // A copy outlives its text.
        let owned = {
            let text = String::from("<A B=\"c\">d</A>");
            parse(&text).expect("well-formed").into_owned()
        };
        assert_eq!(
            (owned.tag(), owned.attr("B"), owned.text().as_str()),
            ("A", Some("c"), "d")
        );
    }

    #[test]
    fn a_slice_from_elsewhere_is_copied() {
        let text = "<A/>";
        let other = String::from("A");
        assert!(matches!(
            borrowed(text, &text.as_bytes()[1..2]),
            Cow::Borrowed("A")
        ));
        assert!(matches!(borrowed(text, other.as_bytes()), Cow::Owned(ref s) if s == "A"));
    }
}
