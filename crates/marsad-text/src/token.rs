//! Tokens: Arabic and Latin words, numbers, URLs, e-mails, hashtags, mentions and punctuation,
//! each with its byte span in the original text. Glued words stay one token: no split is invented.

use crate::clitic;
use crate::normalize::{self, is_arabic_mark, is_invisible_control};
use serde::Serialize;

/// What kind of token this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// A word with at least one Arabic letter.
    Word,
    /// A word in Latin (or another non-Arabic) script.
    Latin,
    /// Digits (ASCII, Arabic-Indic or Persian) with inner separators: 15, ١٥, 2٫5, 1,500.
    Number,
    /// A web address.
    Url,
    /// An e-mail address.
    Email,
    /// `#` followed by a word.
    Hashtag,
    /// `@` followed by a word.
    Mention,
    /// Punctuation: ، ؛ ؟ « » " ( ) . and the like.
    Punct,
    /// Any other symbol ($, %, +, …).
    Symbol,
}

/// One token with its span in the original text, its matching key and its clitic split.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Token {
    /// First byte in the original text.
    pub start: usize,
    /// One past the last byte in the original text.
    pub end: usize,
    /// The kind of token.
    pub kind: TokenKind,
    /// The matching key of the whole token ([`normalize::key`]).
    pub norm: String,
    /// Proclitics split off the front, in order (for example `["و", "ال"]`), as keys.
    pub prefixes: Vec<&'static str>,
    /// The stem left after clitics are split off, as a key (equals `norm` when nothing is split).
    pub stem: String,
    /// Enclitics split off the end, in order (for example `["ها"]`), as keys.
    pub suffixes: Vec<&'static str>,
}

impl Token {
    /// The token's text in `original`.
    pub fn text<'a>(&self, original: &'a str) -> &'a str {
        &original[self.start..self.end]
    }

    /// The token's span.
    pub fn span(&self) -> crate::Span {
        crate::Span::new(self.start, self.end)
    }

    /// Whether this is a word (Arabic or Latin).
    pub fn is_word(&self) -> bool {
        matches!(self.kind, TokenKind::Word | TokenKind::Latin)
    }

    /// Whether the token has the article ال among its proclitics.
    pub fn has_article(&self) -> bool {
        self.prefixes.contains(&"ال")
    }

    /// The original span of the stem (the token's span without its clitics), found by walking
    /// the original chars alongside the normalized ones.
    pub fn stem_span(&self, original: &str) -> crate::Span {
        let text = self.text(original);
        let pre: usize = self.prefixes.iter().map(|p| p.chars().count()).sum();
        let suf: usize = self.suffixes.iter().map(|p| p.chars().count()).sum();
        // letters are the chars that survive normalization; map letter index -> byte offset
        let mut letters: Vec<(usize, usize)> = Vec::with_capacity(text.len() / 2);
        for (i, c) in text.char_indices() {
            if !normalize::is_dropped(c) {
                letters.push((i, i + c.len_utf8()));
            }
        }
        // "لل" stands for ل + ال with the alef elided: one letter fewer than the parts spell.
        let elided = usize::from(
            self.prefixes.windows(2).any(|w| w == ["ل", "ال"])
                && !self.norm.starts_with("لال")
                && !self.norm.starts_with("ولال")
                && !self.norm.starts_with("فلال"),
        );
        let pre = pre.saturating_sub(elided);
        if letters.is_empty() || pre + suf >= letters.len() {
            return self.span();
        }
        let s = letters[pre].0;
        let e = letters[letters.len() - 1 - suf].1;
        crate::Span::new(self.start + s, self.start + e)
    }
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('٠'..='٩').contains(&c) || ('۰'..='۹').contains(&c)
}

fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0620}'..='\u{064A}' | '\u{0671}'..='\u{06D3}' | '\u{06D5}' | '\u{06EE}'..='\u{06EF}' | '\u{06FA}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08C9}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFC}')
}

/// Chars that continue a word: letters, marks, tatweel and zero-width joiners.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    // the Arabic letters, tatweel and harakat: the common case, without the Unicode tables
    if matches!(c, '\u{0620}'..='\u{065F}') {
        return true;
    }
    // common punctuation: not letters
    if matches!(c, '،' | '؛' | '؟' | '«' | '»' | '\u{2010}'..='\u{2027}') {
        return false;
    }
    c.is_alphabetic()
        || is_arabic_mark(c)
        || matches!(c, '\u{200C}' | '\u{200D}' | '\u{0300}'..='\u{036F}')
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || is_invisible_control(c)
}

/// Chars that end a URL when they follow it.
fn ends_url(c: char) -> bool {
    is_space(c) || matches!(c, '«' | '»' | '"' | '<' | '>' | '،' | '؛' | '“' | '”')
}

/// Whether `c` is punctuation (as opposed to another symbol).
fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation()
        && !matches!(
            c,
            '$' | '%' | '+' | '<' | '=' | '>' | '^' | '`' | '|' | '~' | '#' | '@' | '&' | '*'
        )
        || matches!(
            c,
            '،' | '؛'
                | '؟'
                | '«'
                | '»'
                | '“'
                | '”'
                | '‘'
                | '’'
                | '…'
                | '–'
                | '—'
                | '٪'
                | '۔'
                | '﴾'
                | '﴿'
                | '‹'
                | '›'
        )
}

/// Splits `text` into tokens, with clitics split by the built-in lexicon.
pub fn tokenize(text: &str) -> Vec<Token> {
    tokenize_with(text, clitic::Lexicon::shared())
}

/// Splits `text` into tokens, using `lexicon` to decide clitic splits.
pub fn tokenize_with(text: &str, lexicon: &clitic::Lexicon) -> Vec<Token> {
    // about one token per 8 bytes of Arabic news (5-letter words of 2-byte letters)
    let mut out = Vec::with_capacity(text.len() / 8 + 1);
    tokenize_into(text, lexicon, &mut out);
    out
}

/// Splits `text` into tokens like [`tokenize_with`], writing them into `out` (replacing what was
/// there) and reusing the string buffers of the tokens already in it: a loop over many documents
/// that keeps one `Vec<Token>` allocates almost nothing.
pub fn tokenize_into(text: &str, lexicon: &clitic::Lexicon, out: &mut Vec<Token>) {
    let mut n = 0;
    let mut scratch = String::new();
    for_each_span(text, |start, end, kind| {
        if n == out.len() {
            out.push(Token {
                start,
                end,
                kind,
                norm: String::new(),
                prefixes: Vec::new(),
                stem: String::new(),
                suffixes: Vec::new(),
            });
        }
        fill_token(&mut out[n], text, start, end, kind, lexicon, &mut scratch);
        n += 1;
    });
    out.truncate(n);
}

/// Writes the token `text[start..end]` into `t`, reusing its buffers.
fn fill_token(
    t: &mut Token,
    text: &str,
    start: usize,
    end: usize,
    kind: TokenKind,
    lexicon: &clitic::Lexicon,
    scratch: &mut String,
) {
    let s = &text[start..end];
    t.start = start;
    t.end = end;
    t.kind = kind;
    normalize::key_into(s, &mut t.norm);
    t.prefixes.clear();
    t.suffixes.clear();
    t.stem.clear();
    if kind != TokenKind::Word {
        t.stem.push_str(&t.norm);
        return;
    }
    let split = clitic::split_key(&t.norm, clitic::Spelling::of(s), lexicon, scratch);
    if split.is_whole() {
        t.stem.push_str(&t.norm);
        return;
    }
    t.stem.push_str(&t.norm[split.stem.clone()]);
    if split.restored_ta {
        t.stem.push('ه');
    }
    t.prefixes.extend_from_slice(split.prefixes);
    t.suffixes.extend(split.suffix);
}

fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// Length in bytes of an e-mail address at the start of `s`, if there is one.
fn email_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let local = b
        .iter()
        .take_while(|&&c| c.is_ascii_alphanumeric() || b"._%+-".contains(&c))
        .count();
    if local == 0 || b.get(local) != Some(&b'@') {
        return None;
    }
    let mut i = local + 1;
    let mut labels = 0;
    loop {
        let l = b[i..]
            .iter()
            .take_while(|&&c| c.is_ascii_alphanumeric() || c == b'-')
            .count();
        if l == 0 {
            break;
        }
        i += l;
        labels += 1;
        if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(|c| c.is_ascii_alphanumeric()) {
            i += 1;
        } else {
            break;
        }
    }
    (labels >= 2).then_some(i)
}

/// The raw token boundaries of `text`: `(start, end, kind)` in order.
pub fn spans(text: &str) -> Vec<(usize, usize, TokenKind)> {
    let mut out = Vec::with_capacity(text.len() / 6);
    for_each_span(text, |s, e, k| out.push((s, e, k)));
    out
}

/// Calls `f(start, end, kind)` for each raw token of `text`, in order.
fn for_each_span(text: &str, mut f: impl FnMut(usize, usize, TokenKind)) {
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if is_space(c) {
            continue;
        }
        let rest = &text[i..];
        // URLs
        if (c == 'h' || c == 'H' || c == 'w' || c == 'W')
            && (starts_with_ci(rest, "http://")
                || starts_with_ci(rest, "https://")
                || starts_with_ci(rest, "www."))
        {
            let mut end = rest.find(ends_url).map_or(text.len(), |e| i + e);
            while end > i {
                let last = text[..end].chars().next_back().unwrap();
                if matches!(
                    last,
                    '.' | ',' | ';' | ':' | '!' | '?' | '\'' | ')' | ']' | '؟'
                ) {
                    end -= last.len_utf8();
                } else {
                    break;
                }
            }
            f(i, end, TokenKind::Url);
            skip_to(&mut it, end);
            continue;
        }
        // e-mails
        if c.is_ascii_alphanumeric() {
            if let Some(len) = email_len(rest) {
                f(i, i + len, TokenKind::Email);
                skip_to(&mut it, i + len);
                continue;
            }
        }
        if is_digit(c) {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = it.peek() {
                if is_digit(d) {
                    it.next();
                    end = j + d.len_utf8();
                } else if matches!(d, '.' | ',' | '٫' | '٬') {
                    // a separator continues the number only when a digit follows it
                    let after = &text[j + d.len_utf8()..];
                    if after.chars().next().is_some_and(is_digit) {
                        it.next();
                        end = j + d.len_utf8();
                    } else {
                        break;
                    }
                } else {
                    break;
                }
            }
            f(i, end, TokenKind::Number);
            continue;
        }
        if is_word_char(c) {
            let mut end = i + c.len_utf8();
            let mut arabic = is_arabic_letter(c);
            let latin_start = c.is_ascii_alphabetic();
            while let Some(&(j, d)) = it.peek() {
                if is_word_char(d) || (latin_start && !arabic && d.is_ascii_digit()) {
                    arabic |= is_arabic_letter(d);
                    it.next();
                    end = j + d.len_utf8();
                } else {
                    break;
                }
            }
            f(
                i,
                end,
                if arabic {
                    TokenKind::Word
                } else {
                    TokenKind::Latin
                },
            );
            continue;
        }
        if c == '#' || c == '@' {
            let mut end = i + 1;
            while let Some(&(j, d)) = it.peek() {
                if is_word_char(d) || is_digit(d) || d == '_' {
                    it.next();
                    end = j + d.len_utf8();
                } else {
                    break;
                }
            }
            if end > i + 1 {
                f(
                    i,
                    end,
                    if c == '#' {
                        TokenKind::Hashtag
                    } else {
                        TokenKind::Mention
                    },
                );
                continue;
            }
        }
        let mut end = i + c.len_utf8();
        if matches!(c, '.' | '!' | '?' | '؟' | '-') {
            while let Some(&(j, d)) = it.peek() {
                if d == c {
                    it.next();
                    end = j + d.len_utf8();
                } else {
                    break;
                }
            }
        }
        f(
            i,
            end,
            if is_punct(c) {
                TokenKind::Punct
            } else {
                TokenKind::Symbol
            },
        );
    }
}

fn skip_to(it: &mut std::iter::Peekable<std::str::CharIndices<'_>>, end: usize) {
    while it.peek().is_some_and(|&(j, _)| j < end) {
        it.next();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(&str, TokenKind)> {
        spans(text)
            .into_iter()
            .map(|(s, e, k)| (&text[s..e], k))
            .collect()
    }

    #[test]
    fn token_table() {
        use TokenKind::*;
        let cases: &[(&str, &[(&str, TokenKind)])] = &[
            (
                "قتل 15 شخصا",
                &[("قتل", Word), ("15", Number), ("شخصا", Word)],
            ),
            ("١٥ قتيلا", &[("١٥", Number), ("قتيلا", Word)]),
            (
                "2٫5 مليون و1,500 دولار.",
                &[
                    ("2٫5", Number),
                    ("مليون", Word),
                    ("و", Word),
                    ("1,500", Number),
                    ("دولار", Word),
                    (".", Punct),
                ],
            ),
            (
                "«داعش»، (التنظيم) ؟",
                &[
                    ("«", Punct),
                    ("داعش", Word),
                    ("»", Punct),
                    ("،", Punct),
                    ("(", Punct),
                    ("التنظيم", Word),
                    (")", Punct),
                    ("؟", Punct),
                ],
            ),
            (
                "راجع https://example.com/a?b=1. الآن",
                &[
                    ("راجع", Word),
                    ("https://example.com/a?b=1", Url),
                    (".", Punct),
                    ("الآن", Word),
                ],
            ),
            (
                "news@example.org كتب",
                &[("news@example.org", Email), ("كتب", Word)],
            ),
            (
                "#الموصل @marsad_ar",
                &[("#الموصل", Hashtag), ("@marsad_ar", Mention)],
            ),
            ("حملاتهتركز فى", &[("حملاتهتركز", Word), ("فى", Word)]),
            (
                "الرَّئِيسُ ISIS G20",
                &[("الرَّئِيسُ", Word), ("ISIS", Latin), ("G20", Latin)],
            ),
            ("قـــتل...", &[("قـــتل", Word), ("...", Punct)]),
            (
                "50% $500",
                &[
                    ("50", Number),
                    ("%", Symbol),
                    ("$", Symbol),
                    ("500", Number),
                ],
            ),
        ];
        for (text, want) in cases {
            assert_eq!(kinds(text), *want, "tokens of {text:?}");
        }
    }

    #[test]
    fn stem_span_maps_back() {
        let text = "وبالموصل للمدينة";
        let toks = tokenize(text);
        assert_eq!(toks[0].prefixes, vec!["و", "ب", "ال"]);
        assert_eq!(toks[0].stem_span(text).slice(text), "موصل");
        assert_eq!(toks[1].prefixes, vec!["ل", "ال"]);
        assert_eq!(toks[1].stem_span(text).slice(text), "مدينة");
    }
}
