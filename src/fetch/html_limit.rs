//! Parses an HTML page with html5ever within a bound on the parser's work.
//!
//! html5ever's tree builder scans its stack of open elements and its list
//! of active formatting elements for most tags, so a hostile page (deep
//! nesting, misnested `</span>`s that are ignored, formatting elements
//! recreated after each block) costs time that grows with the square of
//! its size. Guessing the tree builder's stack from the bytes misses cases
//! (special elements, adoption agency, foster parenting, integration
//! points), so the parser is measured instead: a tree sink wraps scraper's
//! and counts every call the tree builder makes (each scan of the stack
//! asks the sink for a name or compares nodes) and the depth each element
//! is inserted at. The page is fed in small chunks and refused as soon as
//! a limit is crossed, so the work done is bounded whatever the markup.
//!
//! One cost does not go through the sink: the tokenizer checks each
//! attribute against the tag's earlier ones, so a tag with n attributes
//! costs n² comparisons; a cheap scan of the bytes bounds that first.

use std::borrow::Cow;
use std::cell::{Cell, Ref, RefCell};
use std::collections::HashMap;

use html5ever::interface::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::{Attribute, QualName};
use scraper::{Html, HtmlTreeSink};

/// Deepest element nesting a page may have, as the tree builder inserts
/// elements. Real pages stay below 100 levels.
pub const MAX_HTML_DEPTH: usize = 512;

/// Most elements the tree builder may create for a page (including the
/// ones it creates itself, e.g. formatting elements it reopens).
pub const MAX_HTML_ELEMENTS: usize = 1_000_000;

/// Most calls the tree builder may make into the tree while parsing a
/// page: a few per tag on a real page, and each scan of the open-element
/// stack costs one per element scanned. About a second in a release build.
pub const MAX_HTML_WORK: u64 = 50_000_000;

/// Most attribute comparisons the tokenizer may make (a tag with n
/// attributes costs n²/2).
pub const MAX_HTML_ATTRIBUTE_WORK: u64 = 50_000_000;

/// Bytes fed to the parser between two checks of the limits.
const CHUNK: usize = 512;

/// An HTML page over one of the parser's limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlTooComplex {
    /// Byte offset near which the limit was crossed (the end of the chunk
    /// being parsed, or the tag with too many attributes).
    pub offset: usize,
    /// Which limit, in words.
    pub reason: String,
}

impl std::fmt::Display for HtmlTooComplex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (at byte {})", self.reason, self.offset)
    }
}

type Handle = <HtmlTreeSink as TreeSink>::Handle;

/// scraper's tree sink, counting what the tree builder asks of it.
struct Measured {
    inner: HtmlTreeSink,
    work: Cell<u64>,
    elements: Cell<usize>,
    /// Depth each node was inserted at (the document is 0).
    depth: RefCell<HashMap<Handle, usize>>,
    deepest: Cell<usize>,
    /// Attributes merged into `<html>` and `<body>` by repeated tags; each
    /// merge searches (and shifts) the ones already there.
    merged: Cell<u64>,
}

impl Measured {
    fn step(&self, n: u64) {
        self.work.set(self.work.get().saturating_add(n));
    }

    fn depth_of(&self, node: &Handle) -> usize {
        self.depth.borrow().get(node).copied().unwrap_or(0)
    }

    fn placed(&self, child: &NodeOrText<Handle>, depth: usize) {
        if let NodeOrText::AppendNode(node) = child {
            self.depth.borrow_mut().insert(*node, depth);
            if depth > self.deepest.get() {
                self.deepest.set(depth);
            }
        }
    }

    fn over(&self) -> Option<String> {
        if self.deepest.get() > MAX_HTML_DEPTH {
            Some(format!(
                "HTML elements nested deeper than {MAX_HTML_DEPTH} levels"
            ))
        } else if self.elements.get() > MAX_HTML_ELEMENTS {
            Some(format!(
                "HTML page has more than {MAX_HTML_ELEMENTS} elements"
            ))
        } else if self.work.get() > MAX_HTML_WORK {
            Some(format!(
                "HTML page needs more than {MAX_HTML_WORK} parser steps (misnested or deeply nested markup)"
            ))
        } else {
            None
        }
    }
}

impl TreeSink for Measured {
    type Output = Html;
    type Handle = Handle;
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Html {
        self.inner.finish()
    }
    fn parse_error(&self, msg: Cow<'static, str>) {
        self.step(1);
        self.inner.parse_error(msg);
    }
    fn get_document(&self) -> Handle {
        self.inner.get_document()
    }
    fn elem_name<'a>(&'a self, target: &'a Handle) -> Ref<'a, QualName> {
        self.step(1);
        self.inner.elem_name(target)
    }
    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> Handle {
        self.step(1 + attrs.len() as u64);
        self.elements.set(self.elements.get() + 1);
        self.inner.create_element(name, attrs, flags)
    }
    fn create_comment(&self, text: StrTendril) -> Handle {
        self.step(1);
        self.inner.create_comment(text)
    }
    fn create_pi(&self, target: StrTendril, data: StrTendril) -> Handle {
        self.step(1);
        self.inner.create_pi(target, data)
    }
    fn append(&self, parent: &Handle, child: NodeOrText<Handle>) {
        self.step(1);
        self.placed(&child, self.depth_of(parent) + 1);
        self.inner.append(parent, child);
    }
    fn append_based_on_parent_node(
        &self,
        element: &Handle,
        prev_element: &Handle,
        child: NodeOrText<Handle>,
    ) {
        self.step(1);
        let depth = self.depth_of(element).max(self.depth_of(prev_element) + 1);
        self.placed(&child, depth);
        self.inner
            .append_based_on_parent_node(element, prev_element, child);
    }
    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        public_id: StrTendril,
        system_id: StrTendril,
    ) {
        self.step(1);
        self.inner
            .append_doctype_to_document(name, public_id, system_id);
    }
    fn mark_script_already_started(&self, node: &Handle) {
        self.inner.mark_script_already_started(node);
    }
    fn pop(&self, node: &Handle) {
        self.step(1);
        self.inner.pop(node);
    }
    fn get_template_contents(&self, target: &Handle) -> Handle {
        self.step(1);
        let contents = self.inner.get_template_contents(target);
        // The contents fragment sits where its template does.
        let depth = self.depth_of(target);
        self.depth.borrow_mut().insert(contents, depth);
        contents
    }
    fn same_node(&self, x: &Handle, y: &Handle) -> bool {
        self.step(1);
        self.inner.same_node(x, y)
    }
    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.inner.set_quirks_mode(mode);
    }
    fn append_before_sibling(&self, sibling: &Handle, new_node: NodeOrText<Handle>) {
        self.step(1);
        self.placed(&new_node, self.depth_of(sibling));
        self.inner.append_before_sibling(sibling, new_node);
    }
    fn add_attrs_if_missing(&self, target: &Handle, attrs: Vec<Attribute>) {
        let n = attrs.len() as u64;
        self.step(1 + n * (1 + self.merged.get()));
        self.merged.set(self.merged.get() + n);
        self.inner.add_attrs_if_missing(target, attrs);
    }
    fn associate_with_form(
        &self,
        target: &Handle,
        form: &Handle,
        nodes: (&Handle, Option<&Handle>),
    ) {
        self.step(1);
        self.inner.associate_with_form(target, form, nodes);
    }
    fn remove_from_parent(&self, target: &Handle) {
        self.step(1);
        self.inner.remove_from_parent(target);
    }
    fn reparent_children(&self, node: &Handle, new_parent: &Handle) {
        self.step(1);
        self.inner.reparent_children(node, new_parent);
    }
    fn is_mathml_annotation_xml_integration_point(&self, handle: &Handle) -> bool {
        self.step(1);
        self.inner
            .is_mathml_annotation_xml_integration_point(handle)
    }
    fn set_current_line(&self, line_number: u64) {
        self.inner.set_current_line(line_number);
    }
    fn allow_declarative_shadow_roots(&self, intended_parent: &Handle) -> bool {
        self.inner.allow_declarative_shadow_roots(intended_parent)
    }
    fn attach_declarative_shadow(
        &self,
        location: &Handle,
        template: &Handle,
        attrs: &[Attribute],
    ) -> bool {
        self.step(1);
        self.inner
            .attach_declarative_shadow(location, template, attrs)
    }
    fn maybe_clone_an_option_into_selectedcontent(&self, option: &Handle) {
        self.step(1);
        self.inner
            .maybe_clone_an_option_into_selectedcontent(option);
    }
}

/// Bounds the tokenizer's duplicate-attribute checks: the sum over tags of
/// n²/2 for a tag with n attribute names. Counts every whitespace-separated
/// word between `<name` and `>`, so text that only looks like a tag (in a
/// script, a comment) can only over-count.
fn check_attributes(b: &[u8]) -> Result<(), HtmlTooComplex> {
    let mut work = 0u64;
    let mut i = 0;
    while let Some(lt) = b[i..].iter().position(|c| *c == b'<') {
        let at = i + lt;
        i = at + 1;
        // End tags carry attributes for the tokenizer too.
        let name_at = if b.get(i) == Some(&b'/') { i + 1 } else { i };
        if !b.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let mut words = 0u64;
        let mut in_word = false;
        // A quote opens a value only after `=` (spaces between allowed),
        // as in the tokenizer; elsewhere it is part of a name.
        let mut after_eq = false;
        let mut quote = None;
        while i < b.len() {
            let c = b[i];
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if c == b'>' => break,
                None if after_eq && (c == b'"' || c == b'\'') => {
                    quote = Some(c);
                    after_eq = false;
                }
                None if c.is_ascii_whitespace() || c == b'/' => in_word = false,
                None => {
                    after_eq = c == b'=';
                    if !in_word {
                        words += 1;
                    }
                    in_word = true;
                }
            }
            i += 1;
        }
        work = work.saturating_add(words.saturating_mul(words) / 2);
        if work > MAX_HTML_ATTRIBUTE_WORK {
            return Err(HtmlTooComplex {
                offset: at,
                reason: "HTML tags with too many attributes".into(),
            });
        }
    }
    Ok(())
}

/// Parses an HTML page as [`Html::parse_document`] does, or refuses it
/// once it crosses one of the limits above, after a bounded amount of work.
pub fn parse_html(html: &str) -> Result<Html, HtmlTooComplex> {
    check_attributes(html.as_bytes())?;
    let sink = Measured {
        inner: HtmlTreeSink::new(Html::new_document()),
        work: Cell::new(0),
        elements: Cell::new(0),
        depth: RefCell::new(HashMap::new()),
        deepest: Cell::new(0),
        merged: Cell::new(0),
    };
    let mut parser = html5ever::parse_document(sink, Default::default());
    let mut start = 0;
    while start < html.len() {
        let mut end = (start + CHUNK).min(html.len());
        while !html.is_char_boundary(end) {
            end += 1;
        }
        parser.process(StrTendril::from_slice(&html[start..end]));
        if let Some(reason) = parser.tokenizer.sink.sink.over() {
            return Err(HtmlTooComplex {
                offset: start,
                reason,
            });
        }
        start = end;
    }
    Ok(parser.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(page: &str) -> String {
        match parse_html(page) {
            Err(e) => e.reason,
            Ok(_) => panic!("accepted: {}", &page[..page.len().min(60)]),
        }
    }

    #[test]
    fn deep_pages_are_refused_as_the_tree_builder_nests_them() {
        let deep = format!("{}x", "<div>".repeat(MAX_HTML_DEPTH + 1));
        assert!(refused(&deep).contains("nested deeper than 512"));
        // Closed, void, implied-end and raw-text elements do not nest.
        let flat = [
            "<div>x</div>".repeat(2000),
            "<p>para".repeat(2000),
            "<ul>".to_string() + &"<li>item".repeat(2000) + "</ul>",
            "<table>".to_string() + &"<tr><td>a<td>b".repeat(2000) + "</table>",
            "<br><img src=x>".repeat(2000),
            "<dl>".to_string() + &"<dt>t<dd>d".repeat(2000) + "</dl>",
            "<script>".to_string() + &"<div>".repeat(2000) + "</script>",
            "<!--".to_string() + &"<div>".repeat(2000) + "-->",
            "<a href=\"x>\">a".repeat(2000),
            "<b>bold</b> <i>it</i> <a href=x>l</a> ".repeat(5000),
        ];
        for page in flat {
            let html = parse_html(&page).unwrap_or_else(|e| panic!("{e}: {}", &page[..40]));
            assert!(html.root_element().children().count() > 0);
        }
        // Fed in chunks, a page makes the same tree as in one piece: CRLF,
        // multi-byte characters, tags and entities across chunk boundaries.
        let page = "<p class=\"x\">Ausfuhr\r\n<b>kontrolle</b> &amp; 出口管制 &eacute;\r\n"
            .repeat(300)
            + "<table><tr><td>a<td>b</table><svg><title><i>t</i></title></svg>";
        let measured = parse_html(&page).map(|h| h.html()).unwrap_or_default();
        assert_eq!(measured, Html::parse_document(&page).html());
        let divs = "<div/>".repeat(MAX_HTML_DEPTH + 1);
        assert!(parse_html(&divs).is_err());
        let svg = format!("<svg>{}</svg>", "<g/>".repeat(MAX_HTML_DEPTH + 1));
        assert!(parse_html(&svg).is_ok());
        let lists = "<ul><li>".repeat(MAX_HTML_DEPTH);
        assert!(parse_html(&lists).is_err());
    }

    /// Pages a scan of the bytes takes for shallow but html5ever nests (or
    /// works on) deeply. Each must be refused after a bounded amount of
    /// work, so this test is quick when the bound holds.
    #[test]
    fn misnested_and_foreign_markup_cannot_outrun_the_bound() {
        let pages = [
            // `</span>` is ignored above a special element: 2 levels a repeat.
            "<span><div></span>x".repeat(16_000),
            // <title> in SVG is an integration point: its content is markup.
            "<svg><title>".to_string() + &"<div>x".repeat(16_000),
            // Formatting elements reopened inside each new block.
            "<div>".to_string()
                + &(0..400).map(|i| format!("<b id={i}>")).collect::<String>()
                + "</div>"
                + &"<div>x</div>".repeat(20_000),
            // Foster parenting out of a table.
            "<table>".to_string() + &"<div><span>".repeat(16_000),
            // Template contents and unclosed list items.
            "<template>".repeat(2000) + &"<li><ul>".repeat(8000),
        ];
        for page in pages {
            refused(&page);
        }
        // Misnested formatting elements (adoption agency) stay shallow in
        // html5ever: parsed, within the bound, with every text node kept.
        let misnested = "<b><p></b>x".repeat(16_000);
        let html = parse_html(&misnested).map_err(|e| e.to_string());
        let text: String = html
            .map(|h| h.root_element().text().collect())
            .unwrap_or_default();
        assert_eq!(text.matches('x').count(), 16_000);
        // Attribute names, however written: after a stray quote (part of a
        // name, not a value), in an end tag, with quoted values.
        let names = |f: &dyn Fn(usize) -> String| (0..20_000).map(f).collect::<String>();
        for attrs in [
            format!("<p {}>", names(&|i| format!("a{i} "))),
            format!("<p x\" {}>", names(&|i| format!("a{i} "))),
            format!("</p {}>", names(&|i| format!("a{i} "))),
            format!("<p {}>", names(&|i| format!("a{i} = 'v w' "))),
        ] {
            assert!(refused(&attrs).contains("attributes"), "{}", &attrs[..12]);
        }
        let values = format!("<p a=\"{}\">", "w ".repeat(100_000));
        assert!(parse_html(&values).is_ok());
        // Repeated `<html>` tags merge their attributes into one element,
        // each merge searching all the earlier ones.
        let merged: String = (0..300_000).map(|i| format!("<html a{i}>")).collect();
        assert!(refused(&merged).contains("parser steps"));
    }
}
