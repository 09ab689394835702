//! Sentence splitting over tokens: Arabic and Latin sentence ends (. ! ? ؟ …), not inside
//! quotes or brackets, not after abbreviations; paragraph breaks are always sentence breaks.

use crate::token::{Token, TokenKind};
use crate::Span;
use std::collections::HashSet;
use std::sync::OnceLock;

/// Abbreviations (matching keys, without their dot) after which a dot does not end a sentence.
fn abbreviations() -> &'static HashSet<String> {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| {
        include_str!("../../../data/text/abbreviations.txt")
            .lines()
            .map(|l| l.split('#').next().unwrap_or("").trim())
            .filter(|l| !l.is_empty())
            .map(crate::normalize::key)
            .collect()
    })
}

/// How many tokens an open quote may hold before it is taken to be unbalanced.
const MAX_QUOTE_TOKENS: usize = 80;

/// The most tokens one sentence holds: a longer run without a sentence end (a list, or text
/// made to be slow) is cut into pieces of at most this many tokens, at a comma or semicolon in
/// the second half of the piece where there is one. Every stage works sentence by sentence, and
/// some of their work grows with the square of a sentence's length; real news sentences stay far
/// below this (the longest in the bench corpus and the gold articles: see the tests).
pub const MAX_SENTENCE_TOKENS: usize = 1000;

fn is_terminal(t: &Token, text: &str) -> bool {
    t.kind == TokenKind::Punct
        && t.text(text)
            .chars()
            .all(|c| matches!(c, '.' | '!' | '?' | '؟' | '…' | '۔'))
}

fn has_paragraph_break(text: &str) -> bool {
    text.contains('\n') || text.contains('\u{2029}')
}

/// Splits the tokenized `text` into sentences.
pub fn split(text: &str, tokens: &[Token]) -> Vec<Span> {
    let mut out = Vec::new();
    split_into(text, tokens, &mut out);
    out
}

/// Splits the tokenized `text` into sentences, written into `out` (cleared first).
pub fn split_into(text: &str, tokens: &[Token], out: &mut Vec<Span>) {
    out.clear();
    let mut first: Option<usize> = None;
    let mut depth: i32 = 0; // open brackets and « quotes
    let mut ascii_quote_open: Option<usize> = None; // token index of an open "
    let mut quote_start: Option<usize> = None;
    let abbr = abbreviations();
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        // a paragraph break before this token closes the current sentence
        if let Some(f) = first {
            if has_paragraph_break(&text[tokens[i - 1].end..t.start]) {
                push_cut(text, tokens, f, i - 1, out);
                first = None;
                depth = 0;
                ascii_quote_open = None;
                quote_start = None;
            }
        }
        if first.is_none() {
            first = Some(i);
        }
        let s = t.text(text);
        if t.kind == TokenKind::Punct {
            match s {
                "«" | "(" | "[" | "{" | "“" | "﴿" => {
                    depth += 1;
                    quote_start.get_or_insert(i);
                }
                "»" | ")" | "]" | "}" | "”" | "﴾" => {
                    depth = (depth - 1).max(0);
                    if depth == 0 && ascii_quote_open.is_none() {
                        quote_start = None;
                    }
                }
                "\"" => {
                    if ascii_quote_open.take().is_none() {
                        ascii_quote_open = Some(i);
                        quote_start.get_or_insert(i);
                    } else if depth == 0 {
                        quote_start = None;
                    }
                }
                _ => {}
            }
        }
        // an unbalanced quote stops counting after a while
        if quote_start.is_some_and(|q| i - q > MAX_QUOTE_TOKENS) {
            depth = 0;
            ascii_quote_open = None;
            quote_start = None;
        }
        if is_terminal(t, text)
            && quote_start.is_none()
            && !after_abbreviation(text, tokens, i, abbr)
        {
            // closing quotes and brackets right after the end belong to this sentence
            let mut last = i;
            while last + 1 < tokens.len()
                && tokens[last + 1].kind == TokenKind::Punct
                && matches!(tokens[last + 1].text(text), "»" | ")" | "\"" | "”" | "]")
                && tokens[last + 1].start == tokens[last].end
            {
                last += 1;
            }
            push_cut(text, tokens, first.unwrap(), last, out);
            first = None;
            i = last + 1;
            continue;
        }
        i += 1;
    }
    if let Some(f) = first {
        push_cut(text, tokens, f, tokens.len() - 1, out);
    }
}

/// Pushes the sentence of tokens `first..=last`, cut into pieces of at most
/// [`MAX_SENTENCE_TOKENS`] tokens when it is longer.
fn push_cut(text: &str, tokens: &[Token], mut first: usize, last: usize, out: &mut Vec<Span>) {
    while last + 1 - first > MAX_SENTENCE_TOKENS {
        let end = first + MAX_SENTENCE_TOKENS - 1; // the last token the piece may hold
        let half = first + MAX_SENTENCE_TOKENS / 2;
        let cut = (half..=end)
            .rev()
            .find(|&j| {
                tokens[j].kind == TokenKind::Punct
                    && matches!(tokens[j].text(text), "،" | "," | "؛" | ";")
            })
            .unwrap_or(end);
        out.push(Span::new(tokens[first].start, tokens[cut].end));
        first = cut + 1;
    }
    out.push(Span::new(tokens[first].start, tokens[last].end));
}

/// Whether the dot at token `i` follows an abbreviation (a listed word or a single letter glued
/// to the dot), and is not followed by a paragraph break.
fn after_abbreviation(text: &str, tokens: &[Token], i: usize, abbr: &HashSet<String>) -> bool {
    if tokens[i].text(text) != "." || i == 0 {
        return false;
    }
    let prev = &tokens[i - 1];
    if prev.end != tokens[i].start || !prev.is_word() {
        return false;
    }
    if i + 1 < tokens.len() && has_paragraph_break(&text[tokens[i].end..tokens[i + 1].start]) {
        return false;
    }
    if i + 1 == tokens.len() {
        return false;
    }
    prev.norm.chars().count() == 1 || abbr.contains(&prev.norm)
}

#[cfg(test)]
mod tests {
    use crate::analyze;

    fn sents(text: &str) -> Vec<&str> {
        analyze(text)
            .sentences
            .iter()
            .map(|s| s.slice(text))
            .collect()
    }

    #[test]
    fn sentence_table() {
        let cases: &[(&str, &[&str])] = &[
            ("قتل جندي. وأصيب آخرون!", &["قتل جندي.", "وأصيب آخرون!"]),
            ("هل انتهى؟ نعم", &["هل انتهى؟", "نعم"]),
            (
                "قال «لن نتراجع. أبدا» ثم غادر.",
                &["قال «لن نتراجع. أبدا» ثم غادر."],
            ),
            ("قال د. أحمد إن الوضع صعب.", &["قال د. أحمد إن الوضع صعب."]),
            (
                "Mr. Smith arrived. He left.",
                &["Mr. Smith arrived.", "He left."],
            ),
            (
                "العنوان الأول\nالفقرة الثانية",
                &["العنوان الأول", "الفقرة الثانية"],
            ),
            ("بلغ 2.5 مليون. ثم", &["بلغ 2.5 مليون.", "ثم"]),
            ("قال: \"انتهى.\" وغادر", &["قال: \"انتهى.\" وغادر"]),
            ("", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(sents(text), *want, "sentences of {text:?}");
        }
    }

    #[test]
    fn a_run_without_a_sentence_end_is_cut_at_commas() {
        use super::MAX_SENTENCE_TOKENS;
        // 2 tokens a piece ("قتل" and "،"): 20,000 tokens in all
        let text = "قتل، ".repeat(10_000);
        let a = analyze(&text);
        let n: Vec<usize> = (0..a.sentences.len())
            .map(|i| a.sentence_tokens(i).len())
            .collect();
        assert!(n.iter().all(|&n| n <= MAX_SENTENCE_TOKENS), "{n:?}");
        assert_eq!(n.iter().sum::<usize>(), a.tokens.len());
        assert_eq!(
            n[0], MAX_SENTENCE_TOKENS,
            "cut after the last comma that fits"
        );
        assert!(a.sentences[0].slice(&text).ends_with('،'));
        // no comma at all: cut every MAX_SENTENCE_TOKENS tokens
        let text = "قتل ".repeat(1_000);
        let a = analyze(&text);
        assert_eq!(a.sentences.len(), 1_000usize.div_ceil(MAX_SENTENCE_TOKENS));
        // the pieces cover the run without a gap
        for w in a.sentences.windows(2) {
            assert!(w[0].end < w[1].start);
        }
        // a sentence of exactly the limit stays whole
        let text = "قتل ".repeat(MAX_SENTENCE_TOKENS);
        assert_eq!(analyze(&text).sentences.len(), 1);
    }
}
