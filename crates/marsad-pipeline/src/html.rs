//! Guards in front of the HTML article reader: a linear scan that measures how deep a page nests
//! its tags, so that pages too deep (or too large) for the tree-building reader are read with the
//! linear tag stripper instead. The tree builder's cost grows with the cube of the nesting and its
//! recursion overflows the stack on a page of 100,000 nested tags; the scan costs one pass.

/// Pages nesting tags deeper than this are not given to the article reader. Real news pages
/// nest 20–60 levels; the reader's time grows with the cube of the depth.
pub const MAX_DEPTH: usize = 256;

/// Pages larger than this (bytes) are not given to the article reader.
pub const MAX_READER_BYTES: usize = 4 * 1024 * 1024;

/// The most nesting work ([`Nesting::work`]) the article reader is given for a page of `len`
/// bytes: half a unit per byte, and never less than 250,000 (a news page of 5,000 elements
/// 20 levels deep needs 100,000). The reader's time grows with this work (about 1.3 µs a unit
/// on nested `<div>`s), not with the bytes: a page of many blocks each nested 250 deep costs it
/// 15 s a megabyte.
pub fn work_budget(len: usize) -> u64 {
    (len as u64 / 2).max(250_000)
}

/// How a page nests its elements ([`measure`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Nesting {
    /// The deepest nesting, counted up to the cap given to [`measure`] plus one.
    pub depth: usize,
    /// The sum over elements of their depth: what the reader's passes over ancestors cost.
    pub work: u64,
}

/// Elements that never hold content, so never nest.
const VOID: &[&[u8]] = &[
    b"area",
    b"base",
    b"br",
    b"col",
    b"embed",
    b"hr",
    b"img",
    b"input",
    b"keygen",
    b"link",
    b"meta",
    b"param",
    b"source",
    b"track",
    b"wbr",
    b"basefont",
    b"bgsound",
    b"frame",
];

/// Elements whose content is text up to their end tag (no tags inside).
const RAW_TEXT: &[&[u8]] = &[
    b"script",
    b"style",
    b"textarea",
    b"title",
    b"xmp",
    b"iframe",
    b"noembed",
    b"noframes",
];

/// Opening one of these closes an open `<p>` (as the HTML parser does).
const CLOSES_P: &[&[u8]] = &[
    b"address",
    b"article",
    b"aside",
    b"blockquote",
    b"center",
    b"details",
    b"dialog",
    b"dir",
    b"div",
    b"dl",
    b"fieldset",
    b"figcaption",
    b"figure",
    b"footer",
    b"form",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"header",
    b"hgroup",
    b"hr",
    b"main",
    b"menu",
    b"nav",
    b"ol",
    b"p",
    b"pre",
    b"section",
    b"summary",
    b"ul",
    b"li",
    b"dd",
    b"dt",
];

/// Elements an implied end tag does not look past.
const SCOPE: &[&[u8]] = &[
    b"html",
    b"body",
    b"table",
    b"td",
    b"th",
    b"caption",
    b"button",
    b"object",
    b"marquee",
    b"applet",
    b"template",
    b"svg",
    b"math",
    b"ul",
    b"ol",
    b"dl",
    b"select",
];

/// What an open element means to the implied end tags.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    P,
    Li,
    DdDt,
    Cell,
    Row,
    Option,
    /// An implied end tag does not look past it.
    Scope,
    /// `<svg>` or `<math>`: a scope where `/>` closes the tag.
    Foreign,
    Other,
}

impl Kind {
    fn of(name: &[u8]) -> Kind {
        if name.eq_ignore_ascii_case(b"p") {
            Kind::P
        } else if name.eq_ignore_ascii_case(b"li") {
            Kind::Li
        } else if is(&[b"dd", b"dt"], name) {
            Kind::DdDt
        } else if is(&[b"td", b"th"], name) {
            Kind::Cell
        } else if name.eq_ignore_ascii_case(b"tr") {
            Kind::Row
        } else if name.eq_ignore_ascii_case(b"option") {
            Kind::Option
        } else if is(&[b"svg", b"math"], name) {
            Kind::Foreign
        } else if is(SCOPE, name) {
            Kind::Scope
        } else {
            Kind::Other
        }
    }
}

/// The deepest nesting of elements in `html`, counted up to `cap + 1` (the scan stops there).
///
/// Unclosed tags count (as the parser keeps them open) except where the parser closes them
/// itself (`<p>`, `<li>`, `<td>`, `<tr>`, `<option>` and the like); void elements, comments and
/// the text of `<script>`/`<style>` do not. Linear in the length of `html` (each tag costs at
/// most `cap` steps).
pub fn nesting_depth(html: &str, cap: usize) -> usize {
    measure(html, cap).depth
}

/// [`nesting_depth`] and the nesting work of `html` (the work counted until the scan stops).
pub fn measure(html: &str, cap: usize) -> Nesting {
    let b = html.as_bytes();
    let mut work = 0u64;
    let mut stack: Vec<(&[u8], Kind)> = Vec::new();
    let mut deepest = 0usize;
    let mut i = 0usize;
    while let Some(off) = memchr(b'<', &b[i..]) {
        i += off + 1;
        match b.get(i) {
            Some(b'!') => {
                i = if b[i..].starts_with(b"!--") {
                    find(b, i + 3, b"-->").map_or(b.len(), |e| e + 3)
                } else {
                    skip_to_gt(b, i)
                };
            }
            Some(b'?') => i = skip_to_gt(b, i),
            Some(b'/') => {
                let name = tag_name(b, i + 1);
                if !name.is_empty() {
                    if let Some(at) = stack.iter().rposition(|n| n.0.eq_ignore_ascii_case(name)) {
                        stack.truncate(at);
                    }
                }
                i = skip_to_gt(b, i);
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let name = tag_name(b, i);
                let (end, self_closing) = tag_end(b, i + name.len());
                i = end;
                if is(VOID, name) {
                    continue;
                }
                if is(RAW_TEXT, name) {
                    i = end_of_raw_text(b, i, name);
                    continue;
                }
                if name.eq_ignore_ascii_case(b"plaintext") {
                    break;
                }
                if self_closing && stack.iter().any(|n| n.1 == Kind::Foreign) {
                    continue;
                }
                let kind = Kind::of(name);
                close_implied(&mut stack, kind, is(CLOSES_P, name));
                stack.push((name, kind));
                work += stack.len() as u64;
                deepest = deepest.max(stack.len());
                if deepest > cap {
                    break;
                }
            }
            _ => {}
        }
    }
    Nesting {
        depth: deepest,
        work,
    }
}

/// Pops what the parser closes when an element of `kind` opens: an open `<p>` (when `closes_p`),
/// and an open element of the same list item or table cell kind, looking no further than the
/// enclosing scope.
fn close_implied(stack: &mut Vec<(&[u8], Kind)>, kind: Kind, closes_p: bool) {
    if closes_p {
        close_nearest(stack, |open| open == Kind::P);
    }
    match kind {
        Kind::Li | Kind::DdDt | Kind::Cell | Kind::Row | Kind::Option => {
            close_nearest(stack, |open| open == kind)
        }
        _ => {}
    }
}

/// Pops the nearest open element that `hit` picks, and all it holds, unless a scope comes first.
fn close_nearest(stack: &mut Vec<(&[u8], Kind)>, hit: impl Fn(Kind) -> bool) {
    for at in (0..stack.len()).rev() {
        let open = stack[at].1;
        if hit(open) {
            stack.truncate(at);
            return;
        }
        if matches!(open, Kind::Scope | Kind::Foreign) {
            return;
        }
    }
}

fn is(set: &[&[u8]], name: &[u8]) -> bool {
    set.iter().any(|s| s.eq_ignore_ascii_case(name))
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&c| c == needle)
}

fn find(b: &[u8], from: usize, pat: &[u8]) -> Option<usize> {
    let from = from.min(b.len());
    b[from..]
        .windows(pat.len())
        .position(|w| w == pat)
        .map(|p| p + from)
}

fn skip_to_gt(b: &[u8], from: usize) -> usize {
    memchr(b'>', &b[from.min(b.len())..]).map_or(b.len(), |p| from + p + 1)
}

/// The tag name starting at `at` (letters, digits, `-`, `:`).
fn tag_name(b: &[u8], at: usize) -> &[u8] {
    let at = at.min(b.len());
    let len = b[at..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b':' | b'_'))
        .count();
    &b[at..at + len]
}

/// Where the tag whose attributes start at `at` ends (after its `>`), and whether it ends `/>`.
/// A `>` inside a quoted attribute value does not end it.
fn tag_end(b: &[u8], mut at: usize) -> (usize, bool) {
    let mut quote: Option<u8> = None;
    let mut last_non_space = 0u8;
    while at < b.len() {
        let c = b[at];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if (c == b'"' || c == b'\'') && last_non_space == b'=' => quote = Some(c),
            None if c == b'>' => return (at + 1, last_non_space == b'/'),
            None => {}
        }
        if !c.is_ascii_whitespace() {
            last_non_space = c;
        }
        at += 1;
    }
    (b.len(), false)
}

/// Where the text of a raw-text element (`<script>` …) ends: after its end tag.
fn end_of_raw_text(b: &[u8], mut at: usize, name: &[u8]) -> usize {
    while let Some(p) = find(b, at, b"</") {
        let after = p + 2;
        let candidate = &b[after..(after + name.len()).min(b.len())];
        if candidate.eq_ignore_ascii_case(name) {
            return skip_to_gt(b, after);
        }
        at = after;
    }
    b.len()
}

/// Text of a whole HTML page without the tree-building reader, in one linear pass: the
/// `<title>`, and the text of the rest with `<head>`, `<script>`, `<style>` and the like dropped.
pub fn page_text(html: &str) -> (Option<String>, String) {
    let lower_title = find_ci(html, "<title");
    let title = lower_title.and_then(|t| {
        let open_end = html[t..].find('>')? + t + 1;
        let close = find_ci(&html[open_end..], "</title")? + open_end;
        let t = crate::sources::html_to_text(&html[open_end..close]);
        Some(t.trim().to_string()).filter(|t| !t.is_empty())
    });
    let mut body = String::with_capacity(html.len());
    let b = html.as_bytes();
    let mut i = 0usize;
    // copy everything but the raw-text elements and the head
    let mut copied = 0usize;
    while let Some(off) = memchr(b'<', &b[i..]) {
        let lt = i + off;
        i = lt + 1;
        let name = tag_name(b, i);
        if is(RAW_TEXT, name) || name.eq_ignore_ascii_case(b"head") {
            body.push_str(&html[copied..lt]);
            let (end, _) = tag_end(b, i + name.len());
            i = if name.eq_ignore_ascii_case(b"head") {
                find_ci(&html[end..], "</head").map_or(end, |p| skip_to_gt(b, end + p))
            } else {
                end_of_raw_text(b, end, name)
            };
            // a cut inside a multi-byte character cannot happen: tags are ASCII
            copied = i;
        }
    }
    body.push_str(&html[copied..]);
    (title, crate::sources::html_to_text(&body))
}

/// The byte offset of `needle` (ASCII, lower case) in `hay`, ignoring ASCII case.
fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let n = needle.as_bytes();
    hay.as_bytes()
        .windows(n.len())
        .position(|w| w.eq_ignore_ascii_case(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_table() {
        let deep_b_i = "<b><i>".repeat(1000);
        let cases: &[(&str, usize)] = &[
            ("", 0),
            ("نص بلا وسوم", 0),
            ("<html><body><div><p>نص</p></div></body></html>", 4),
            // void elements and self-closed tags outside SVG
            (
                "<div><br><img src=x><meta charset=utf-8><hr/><input></div>",
                1,
            ),
            // unclosed tags count
            ("<div><span><b>نص", 3),
            // the parser closes <p>, <li> and table cells itself
            ("<body><p>أ<p>ب<p>ج<p>د", 2),
            ("<ul><li>أ<li>ب<li>ج</ul>", 2),
            ("<table><tr><td>أ<td>ب<tr><td>ج</table>", 3),
            // nested lists do nest
            ("<ul><li><ul><li>أ</li></ul></li></ul>", 4),
            // comments, doctype, scripts and quoted attributes hold no tags
            ("<!doctype html><!-- <div><div> --><div></div>", 1),
            (
                "<script>if (a<b) document.write('<div><div>')</script><p>",
                1,
            ),
            ("<div title='a>b<div>'><span>", 2),
            // self-closing inside SVG
            ("<svg><path/><path/><g><rect/></g></svg>", 2),
            // a mismatched end tag closes nothing
            ("<div><span></i></span></div>", 2),
            // a stray end tag of an open element closes what it holds
            ("<div><b></div><div><b></div><div><b></div>", 2),
            ("a < b and c <3", 0),
        ];
        for (html, want) in cases {
            assert_eq!(nesting_depth(html, 10_000), *want, "depth of {html:?}");
        }
        assert_eq!(nesting_depth(&deep_b_i, 10_000), 2000);
        // the scan stops just past the cap
        assert_eq!(nesting_depth(&deep_b_i, 256), 257);
        let divs = "<div>".repeat(300) + &"</div>".repeat(300);
        assert_eq!(nesting_depth(&divs, 10_000), 300);
        assert_eq!(nesting_depth(&divs.repeat(3), 10_000), 300);
    }

    #[test]
    fn work_sums_the_depth_of_every_element() {
        let html = "<div><p>أ</p><p>ب</p></div><div></div>";
        assert_eq!(
            measure(html, 100),
            Nesting {
                depth: 2,
                work: 1 + 2 + 2 + 1
            }
        );
        // blocks each nested 200 deep, one after the other: shallow enough, too much work
        let block = "<div>".repeat(200) + "نص" + &"</div>".repeat(200);
        let page = block.repeat(100);
        let m = measure(&page, MAX_DEPTH);
        assert_eq!(m.depth, 200);
        assert_eq!(m.work, 100 * 200 * 201 / 2);
        assert!(m.work > work_budget(page.len()));
    }

    #[test]
    fn page_text_drops_head_and_scripts() {
        let html = "<html><head><title>عنوان &amp; آخر</title><style>p{}</style></head>\
                    <body><script>var x = '<p>لا</p>';</script><p>قتل جندي</p><p>ثم غادر</p></body></html>";
        let (title, text) = page_text(html);
        assert_eq!(title.as_deref(), Some("عنوان & آخر"));
        assert_eq!(text, "قتل جندي\nثم غادر");
    }
}
