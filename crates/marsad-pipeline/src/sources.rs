//! Input sources for `marsad ingest`: plain text, JSONL (optionally gzipped), HTML pages and
//! RSS/Atom feeds, found in files or directories (recursively). Every input either becomes a
//! document or a reject with a reason: nothing is silently lost.

use crate::html;
use crate::input::{self, InputDoc};
use crate::provenance;
use crate::walk::open_regular;
pub use crate::walk::{expand, Found};
use marsad_store::RejectKind;
use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// One input unit read from a source: a document or the reason it is rejected.
pub struct Item {
    /// The file it came from.
    pub source: String,
    /// Line number (JSONL) or entry number (feeds), when there is one.
    pub line: Option<u64>,
    /// The document, or why it is rejected and the message.
    pub doc: Result<InputDoc, (RejectKind, String)>,
    /// Something the user should know about how the document was read.
    pub note: Option<String>,
}

impl Item {
    pub(crate) fn reject(source: &str, line: Option<u64>, kind: RejectKind, msg: String) -> Self {
        Item {
            source: source.to_string(),
            line,
            doc: Err((kind, msg)),
            note: None,
        }
    }
}

/// The kind of a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One document per file.
    Text,
    /// One JSON document per line.
    Jsonl,
    /// An HTML page (main text extracted).
    Html,
    /// An RSS or Atom feed (one document per entry).
    Feed,
}

/// The format of `path`, from its name, or `None` when the name says nothing.
pub fn format_of(path: &Path) -> Option<Format> {
    let name = path.file_name()?.to_string_lossy().to_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let ext = name.rsplit('.').next().unwrap_or("");
    Some(match ext {
        "txt" | "text" => Format::Text,
        "jsonl" | "ndjson" => Format::Jsonl,
        "html" | "htm" | "xhtml" => Format::Html,
        "rss" | "atom" | "xml" => Format::Feed,
        _ => return None,
    })
}

/// A reader that counts the bytes read through it (for progress over compressed files).
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Reads the items of one file, calling `emit` for each; `progress` counts bytes of the file read.
/// The file must be a regular file when it is opened, unless `f` was named on the command line
/// as a pipe ([`Found::named_special`]).
pub fn read_file(f: &Found, max_bytes: u64, progress: &Arc<AtomicU64>, emit: &mut dyn FnMut(Item)) {
    let path = f.path.as_path();
    let src = path.display().to_string();
    let file = match open_regular(path, &src, f.named_special) {
        Ok(f) => f,
        Err(reject) => return emit(*reject),
    };
    let gz = path.extension().is_some_and(|e| e == "gz");
    let counted = Counting {
        inner: file,
        count: progress.clone(),
    };
    let mut reader: Box<dyn std::io::BufRead> = if gz {
        Box::new(std::io::BufReader::new(flate2::read::MultiGzDecoder::new(
            counted,
        )))
    } else {
        Box::new(std::io::BufReader::with_capacity(1 << 16, counted))
    };
    let format = format_of(path).unwrap_or(Format::Text);
    read_from(&src, format, &mut *reader, max_bytes, emit);
}

/// Reads the items of one source already opened as `reader` (decompressed), in `format`
/// (`Text` is sniffed for HTML and feeds); `src` names it in items and messages.
pub fn read_from(
    src: &str,
    format: Format,
    reader: &mut dyn std::io::BufRead,
    max_bytes: u64,
    emit: &mut dyn FnMut(Item),
) {
    let src = src.to_string();
    let utf16 = reader.fill_buf().ok().and_then(utf16_bom);
    if let Some(big_endian) = utf16 {
        return read_utf16(&src, format, reader, big_endian, max_bytes, emit);
    }
    if format == Format::Jsonl {
        return read_jsonl(&src, reader, max_bytes, emit);
    }
    let mut bytes = Vec::new();
    if let Err(e) = (&mut *reader)
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
    {
        return emit(Item::reject(
            &src,
            None,
            RejectKind::Unreadable,
            format!("{src}: read error: {e}"),
        ));
    }
    if bytes.len() as u64 > max_bytes {
        return emit(Item::reject(
            &src,
            None,
            RejectKind::TooLarge,
            format!("{src}: larger than the limit of {max_bytes} bytes"),
        ));
    }
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return emit(Item::reject(
            &src,
            None,
            RejectKind::Binary,
            format!("{src}: a binary file, not text"),
        ));
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            return emit(Item::reject(
                &src,
                None,
                RejectKind::NotUtf8,
                format!("{src}: invalid UTF-8 at byte offset {at}"),
            ));
        }
    };
    let format = if format == Format::Text {
        sniff(&text)
    } else {
        format
    };
    match format {
        Format::Text => emit(Item {
            source: src.clone(),
            line: None,
            doc: Ok(InputDoc {
                id: None,
                text,
                date: None,
                title: None,
                url: None,
                source: None,
                url_or_path: None,
            }),
            note: None,
        }),
        Format::Html => emit(html_item(&src, &text)),
        Format::Feed => read_feed(&src, &text, emit),
        Format::Jsonl => unreachable!("handled above"),
    }
}

/// Whether `head` starts with a UTF-16 byte order mark: `Some(true)` big-endian (FE FF),
/// `Some(false)` little-endian (FF FE).
fn utf16_bom(head: &[u8]) -> Option<bool> {
    match head {
        [0xFE, 0xFF, ..] => Some(true),
        [0xFF, 0xFE, ..] => Some(false),
        _ => None,
    }
}

/// Reads a source that starts with a UTF-16 byte order mark: decoded to UTF-8 whole, then read
/// as any other source of its format.
fn read_utf16(
    src: &str,
    format: Format,
    reader: &mut dyn std::io::BufRead,
    big_endian: bool,
    max_bytes: u64,
    emit: &mut dyn FnMut(Item),
) {
    let mut bytes = Vec::new();
    if let Err(e) = (&mut *reader)
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
    {
        return emit(Item::reject(
            src,
            None,
            RejectKind::Unreadable,
            format!("{src}: read error: {e}"),
        ));
    }
    if bytes.len() as u64 > max_bytes {
        return emit(Item::reject(
            src,
            None,
            RejectKind::TooLarge,
            format!("{src}: larger than the limit of {max_bytes} bytes"),
        ));
    }
    let body = &bytes[2..];
    if body.len() % 2 == 1 {
        return emit(Item::reject(
            src,
            None,
            RejectKind::NotUtf8,
            format!("{src}: invalid UTF-16: an odd number of bytes"),
        ));
    }
    let units = body.chunks_exact(2).map(|p| {
        if big_endian {
            u16::from_be_bytes([p[0], p[1]])
        } else {
            u16::from_le_bytes([p[0], p[1]])
        }
    });
    let mut text = String::with_capacity(body.len());
    // the byte offset of the next code unit, the mark included
    let mut at = 2;
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => {
                text.push(c);
                at += 2 * c.len_utf16();
            }
            Err(_) => {
                return emit(Item::reject(
                    src,
                    None,
                    RejectKind::NotUtf8,
                    format!("{src}: invalid UTF-16: an unpaired surrogate at byte offset {at}"),
                ));
            }
        }
    }
    // UTF-8 of text from UTF-16 is at most 3/2 its size: the limit applied above still holds
    let mut decoded = std::io::Cursor::new(text.into_bytes());
    read_from(src, format, &mut decoded, max_bytes.saturating_mul(2), emit);
}

/// A `.txt` that is really HTML or a feed is read as such.
fn sniff(text: &str) -> Format {
    let head: String = text
        .trim_start()
        .chars()
        .take(512)
        .collect::<String>()
        .to_lowercase();
    if head.starts_with("<?xml") && (head.contains("<rss") || head.contains("<feed"))
        || head.starts_with("<rss")
        || head.starts_with("<feed")
    {
        Format::Feed
    } else if head.starts_with("<!doctype html") || head.starts_with("<html") {
        Format::Html
    } else {
        Format::Text
    }
}

fn read_jsonl(
    src: &str,
    reader: &mut dyn std::io::BufRead,
    max_bytes: u64,
    emit: &mut dyn FnMut(Item),
) {
    let mut buf = Vec::new();
    let mut n: u64 = 0;
    loop {
        let line = match input::read_line_capped(reader, &mut buf, max_bytes.saturating_add(1024)) {
            Ok(l) => l,
            Err(e) => {
                return emit(Item::reject(
                    src,
                    Some(n + 1),
                    RejectKind::Unreadable,
                    format!("{src}: line {}: read error: {e}", n + 1),
                ))
            }
        };
        n += 1;
        match line {
            input::Line::Eof => return,
            input::Line::TooLong(len) => {
                emit(Item::reject(src, Some(n), RejectKind::TooLarge, format!("{src}: line {n}: {len} bytes is larger than the limit of {max_bytes} bytes")));
                continue;
            }
            input::Line::Full => {}
        }
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let line = match std::str::from_utf8(&buf) {
            Ok(s) => s,
            Err(e) => {
                emit(Item::reject(
                    src,
                    Some(n),
                    RejectKind::NotUtf8,
                    format!(
                        "{src}: line {n}: invalid UTF-8 at byte offset {} of the line",
                        e.valid_up_to()
                    ),
                ));
                continue;
            }
        };
        match input::parse_jsonl_line(line.trim_end()) {
            Ok(d) => emit(Item {
                source: src.to_string(),
                line: Some(n),
                doc: Ok(d),
                note: None,
            }),
            Err(why) => emit(Item::reject(
                src,
                Some(n),
                why.kind,
                format!("{src}: line {n}: {why}"),
            )),
        }
    }
}

/// The article of an HTML page. Pages nesting tags deeper than [`html::MAX_DEPTH`], with more
/// nesting work than [`html::work_budget`] or larger than [`html::MAX_READER_BYTES`] are not
/// given to the article reader (its time grows with the nesting work, the cube of the depth, and
/// its recursion can overflow the stack): their text is read in one linear pass instead, with a
/// note saying so. So is a page the reader panics on.
fn html_item(src: &str, html: &str) -> Item {
    let nesting = html::measure(html, html::MAX_DEPTH);
    if nesting.depth > html::MAX_DEPTH {
        return plain_html_item(
            src,
            html,
            format!(
                "{src}: tags nested deeper than {} levels; read as plain text without the article reader",
                html::MAX_DEPTH
            ),
        );
    }
    if nesting.work > html::work_budget(html.len()) {
        return plain_html_item(
            src,
            html,
            format!(
                "{src}: tags nested too heavily for the article reader ({} element levels in {} bytes); read as plain text",
                nesting.work,
                html.len()
            ),
        );
    }
    if html.len() > html::MAX_READER_BYTES {
        return plain_html_item(
            src,
            html,
            format!(
                "{src}: larger than {} bytes; read as plain text without the article reader",
                html::MAX_READER_BYTES
            ),
        );
    }
    let parsed = std::panic::catch_unwind(|| {
        dom_smoothie::Readability::new(html, None, None).and_then(|mut r| r.parse())
    });
    match parsed {
        Ok(Ok(a)) => {
            let text = a.text_content.trim().to_string();
            let meta = provenance::page_meta(html);
            let title = Some(a.title.trim().to_string())
                .filter(|t| !t.is_empty())
                .or(meta.title);
            Item {
                source: src.to_string(),
                line: None,
                doc: Ok(InputDoc {
                    id: None,
                    text,
                    date: meta.published.or(a.published_time),
                    title,
                    url: meta.url,
                    source: meta.site_name,
                    url_or_path: None,
                }),
                note: None,
            }
        }
        Ok(Err(e)) => Item::reject(
            src,
            None,
            RejectKind::BadHtml,
            format!("{src}: no article text found in the HTML: {e}"),
        ),
        Err(panic) => plain_html_item(
            src,
            html,
            format!(
                "{src}: the article reader failed ({}); read as plain text",
                panic_message(&*panic)
            ),
        ),
    }
}

/// An HTML page read by the linear tag stripper ([`html::page_text`]), with `note` saying why.
fn plain_html_item(src: &str, html: &str, note: String) -> Item {
    let (title, text) = html::page_text(html);
    let meta = provenance::page_meta(html);
    Item {
        source: src.to_string(),
        line: None,
        doc: Ok(InputDoc {
            id: None,
            text,
            date: meta.published,
            title: title.or(meta.title),
            url: meta.url,
            source: meta.site_name,
            url_or_path: None,
        }),
        note: Some(note),
    }
}

/// The message of a caught panic.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_string())
}

fn read_feed(src: &str, xml: &str, emit: &mut dyn FnMut(Item)) {
    let feed = match feed_rs::parser::parse(xml.as_bytes()) {
        Ok(f) => f,
        Err(e) => {
            return emit(Item::reject(
                src,
                None,
                RejectKind::BadFeed,
                format!("{src}: not a valid RSS/Atom feed: {e}"),
            ))
        }
    };
    // the feed's title names the outlet of its entries
    let outlet = feed
        .title
        .as_ref()
        .map(|t| html_to_text(&t.content))
        .filter(|t| !t.is_empty());
    for (i, e) in feed.entries.into_iter().enumerate() {
        let n = i as u64 + 1;
        let body = e
            .content
            .and_then(|c| c.body)
            .or_else(|| e.summary.map(|s| s.content))
            .unwrap_or_default();
        let text = html_to_text(&body);
        let title = e.title.map(|t| html_to_text(&t.content));
        let date = e
            .published
            .or(e.updated)
            .map(|d| d.format("%Y-%m-%d").to_string());
        let url = e.links.first().map(|l| l.href.clone());
        // the entry's own id (guid); feed-rs makes one up when there is none
        let id = Some(e.id.trim().to_string())
            .filter(|i| !i.is_empty())
            .map(serde_json::Value::String);
        emit(Item {
            source: src.to_string(),
            line: Some(n),
            doc: Ok(InputDoc {
                id,
                text,
                date,
                title,
                url,
                source: outlet.clone(),
                url_or_path: None,
            }),
            note: None,
        });
    }
}

/// Text of an HTML fragment: tags dropped (block tags become line breaks), entities decoded.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&decode_entities(&rest[..i]));
        let Some(j) = rest[i..].find('>') else {
            rest = "";
            break;
        };
        let tag = rest[i + 1..i + j]
            .trim_start_matches('/')
            .to_ascii_lowercase();
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if matches!(
            name.as_str(),
            "p" | "br" | "div" | "li" | "h1" | "h2" | "h3" | "h4" | "tr"
        ) {
            out.push('\n');
        }
        rest = &rest[i + j + 1..];
    }
    out.push_str(&decode_entities(rest));
    let lines: Vec<&str> = out
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("\n")
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let ent = &after[..e];
            let c = match ent {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ if ent.starts_with("#x") || ent.starts_with("#X") => {
                    u32::from_str_radix(&ent[2..], 16)
                        .ok()
                        .and_then(char::from_u32)
                }
                _ if ent.starts_with('#') => ent[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            }?;
            Some((c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` as UTF-16 with a byte order mark.
    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        let mut out = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for u in text.encode_utf16() {
            out.extend(if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            });
        }
        out
    }

    /// The items of `bytes` read as a source of `format`.
    fn items(format: Format, bytes: &[u8]) -> Vec<Item> {
        let mut out = Vec::new();
        let mut reader = std::io::Cursor::new(bytes.to_vec());
        read_from("t", format, &mut reader, 1 << 20, &mut |i| out.push(i));
        out
    }

    #[test]
    fn utf16_with_a_bom_is_decoded_not_rejected_as_binary() {
        let text = "تظاهر المئات في بيروت احتجاجا على الغلاء.";
        for big_endian in [false, true] {
            let got = items(Format::Text, &utf16(text, big_endian));
            assert_eq!(got.len(), 1);
            let doc = got[0].doc.as_ref().map_err(|e| e.1.clone()).unwrap();
            assert_eq!(doc.text, text, "big-endian: {big_endian}");
        }
        let jsonl = format!("{{\"text\": \"{text}\"}}\n{{\"text\": \"{text}\"}}\n");
        let got = items(Format::Jsonl, &utf16(&jsonl, false));
        assert_eq!(got.len(), 2);
        for item in got {
            assert_eq!(
                item.doc.as_ref().map_err(|e| e.1.clone()).unwrap().text,
                text
            );
        }
        let html = format!("<html><body><p>{text}</p></body></html>");
        let got = items(Format::Html, &utf16(&html, false));
        assert!(got[0].doc.as_ref().unwrap().text.contains("بيروت"));
    }

    #[test]
    fn broken_utf16_is_rejected_with_a_reason() {
        let mut odd = utf16("قتل", false);
        odd.push(b'x');
        let got = items(Format::Text, &odd);
        let (kind, why) = got[0].doc.as_ref().err().unwrap();
        assert_eq!(*kind, RejectKind::NotUtf8);
        assert!(why.contains("UTF-16"), "{why}");
        let lone = [0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00];
        let got = items(Format::Text, &lone);
        let (_, why) = got[0].doc.as_ref().err().unwrap();
        assert!(why.contains("surrogate at byte offset 2"), "{why}");
    }

    #[test]
    fn formats_by_name() {
        assert_eq!(format_of(Path::new("a/b.jsonl.gz")), Some(Format::Jsonl));
        assert_eq!(format_of(Path::new("x.HTML")), Some(Format::Html));
        assert_eq!(format_of(Path::new("feed.xml")), Some(Format::Feed));
        assert_eq!(format_of(Path::new("a.txt")), Some(Format::Text));
        assert_eq!(format_of(Path::new("a.png")), None);
    }

    #[test]
    fn html_fragments_to_text() {
        assert_eq!(
            html_to_text("<p>قتل &amp; جرح</p><p>ثم&#32;غادر&nbsp;</p>"),
            "قتل & جرح\nثم غادر"
        );
        assert_eq!(html_to_text("بلا وسوم"), "بلا وسوم");
        assert_eq!(html_to_text("<b>غير مغلق"), "غير مغلق");
        assert_eq!(html_to_text("&bogus; &#xZZ;"), "&bogus; &#xZZ;");
    }

    #[test]
    fn deeply_nested_html_is_read_without_the_article_reader() {
        let html = format!(
            "<html><head><title>خبر</title></head><body>{}قتل جندي قرب الموصل.</body></html>",
            "<b><i>".repeat(100_000)
        );
        let item = html_item("deep.html", &html);
        let doc = item.doc.expect("read, not rejected");
        assert_eq!(doc.text, "قتل جندي قرب الموصل.");
        assert_eq!(doc.title.as_deref(), Some("خبر"));
        let note = item.note.expect("a note says why");
        assert!(
            note.starts_with("deep.html: tags nested deeper than 256"),
            "{note}"
        );
    }

    #[test]
    fn shallow_html_goes_to_the_article_reader() {
        let html = "<html><body><article><p>قتل جندي في هجوم على حاجز عسكري قرب الموصل أمس.</p></article></body></html>";
        let item = html_item("a.html", html);
        assert!(item.note.is_none());
        assert!(item.doc.unwrap().text.contains("حاجز"));
    }
}
