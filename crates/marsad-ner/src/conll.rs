//! Reading CoNLL-style files: one token per line with its tag in the last column, blank lines
//! (or lines of only whitespace, as WikiFANE's lone TAB) between sentences. A BOM, CRLF line ends
//! and direction marks in tokens are tolerated.

use crate::tags::{self, FineMap};
use std::io::BufRead;

/// One sentence of tokens, with tags when the file has them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sentence {
    /// The tokens (first column) as written.
    pub tokens: Vec<String>,
    /// The tags (last column) as tag indices; empty when the lines have one column.
    pub tags: Vec<u8>,
}

impl Sentence {
    /// Whether the sentence is a `-DOCSTART-` mark (a document boundary in CoNLL files).
    pub fn is_docstart(&self) -> bool {
        self.tokens.first().is_some_and(|t| t == "-DOCSTART-")
    }
}

/// Reads sentences one at a time from a CoNLL file.
pub struct Reader<R> {
    input: R,
    line: String,
    first: bool,
    fine: FineMap,
    with_tags: bool,
}

impl<R: BufRead> Reader<R> {
    /// A reader that also parses tags (last column) with the WikiFANE mapping `fine`.
    pub fn new(input: R, fine: FineMap) -> Self {
        Reader {
            input,
            line: String::new(),
            first: true,
            fine,
            with_tags: true,
        }
    }

    /// A reader of tokens only (the first column); other columns are ignored.
    pub fn tokens_only(input: R) -> Self {
        Reader {
            with_tags: false,
            ..Reader::new(input, FineMap::default())
        }
    }

    /// Reads the next sentence into `out` (cleared first); `false` at the end of input.
    pub fn next_into(&mut self, out: &mut Sentence) -> std::io::Result<bool> {
        out.tokens.clear();
        out.tags.clear();
        loop {
            self.line.clear();
            if self.input.read_line(&mut self.line)? == 0 {
                break;
            }
            let mut l = self.line.as_str();
            if self.first {
                l = l.strip_prefix('\u{feff}').unwrap_or(l);
                self.first = false;
            }
            let l = l.trim_end_matches(['\n', '\r']);
            let mut cols = l.split([' ', '\t']).filter(|c| !c.is_empty());
            let Some(tok) = cols.next() else {
                if out.tokens.is_empty() {
                    continue;
                }
                break;
            };
            out.tokens.push(tok.to_string());
            if self.with_tags {
                let tag = cols
                    .next_back()
                    .map_or(0, |t| tags::parse_tag(t, &self.fine));
                out.tags.push(tag);
            }
        }
        if self.with_tags {
            tags::repair(&mut out.tags);
        }
        Ok(!out.tokens.is_empty())
    }

    /// Reads all remaining sentences.
    pub fn read_all(mut self) -> std::io::Result<Vec<Sentence>> {
        let mut v = Vec::new();
        let mut s = Sentence::default();
        while self.next_into(&mut s)? {
            v.push(std::mem::take(&mut s));
        }
        Ok(v)
    }
}

/// Whether CoNLL lines tag with AQMAR's type names (`B-PER`, `I-MIS`) rather than ANERcorp's
/// (`B-PERS`, `I-MISC`).
pub fn aqmar_spelling<'a>(lines: impl Iterator<Item = &'a str>) -> bool {
    let (mut aqmar, mut anercorp) = (0usize, 0usize);
    for l in lines {
        match l.split_whitespace().last().and_then(|t| t.split_once('-')) {
            Some((_, "PER" | "MIS")) => aqmar += 1,
            Some((_, "PERS" | "MISC")) => anercorp += 1,
            _ => {}
        }
    }
    aqmar > anercorp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_spelling_tells_aqmar_from_anercorp() {
        let lines = |s: &'static str| s.lines();
        assert!(aqmar_spelling(lines(
            "كان O\nفرانكفورت B-LOC\nأتوموس B-MIS\nزيد B-PER\n"
        )));
        assert!(!aqmar_spelling(lines(
            "فرانكفورت B-LOC\nزيد B-PERS\nعمرو I-PERS\n"
        )));
        assert!(!aqmar_spelling(lines("فرانكفورت B-LOC\n\n")));
    }

    #[test]
    fn reads_wikifane_quirks() {
        let text = "\u{feff}\u{200e}جمهورية\tB-Nation\r\n\u{200e}مصر\tI-Nation\r\n\t\r\n\u{200e}زار\tO\r\n\u{200e}محمد\tB-Politician\r\n";
        let s = Reader::new(text.as_bytes(), FineMap::default())
            .read_all()
            .unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].tokens, vec!["\u{200e}جمهورية", "\u{200e}مصر"]);
        assert_eq!(s[0].tags, vec![3, 4]);
        assert_eq!(s[1].tags, vec![0, 1]);
    }

    #[test]
    fn reads_anercorp_and_tokens_only() {
        let text = "فرانكفورت B-LOC\n(د O\n\n\nأعلن O extra\nاتحاد I-ORG\n";
        let s = Reader::new(text.as_bytes(), FineMap::default())
            .read_all()
            .unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].tags, vec![0, 5], "I- after O is repaired to B-");
        let t = Reader::tokens_only(text.as_bytes()).read_all().unwrap();
        assert_eq!(t[1].tokens, vec!["أعلن", "اتحاد"]);
        assert!(t[1].tags.is_empty());
    }
}
