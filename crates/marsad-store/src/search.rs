//! A user's search query, read once and used three ways: as an FTS5 query over the indexed
//! stems (see [`crate::search_terms`]), to find the hits in a text, and to cut a snippet with the
//! hits marked.
//!
//! A bare word matches its inflections: its stem (clitics split off, spelling keys) less one
//! plural or case ending (the lossy step [`inflection_base`], for search only) is matched as a
//! prefix, so الانشقاق finds انشقاقا and انشقاقات. A quoted phrase (`"…"`, «…», “…”) stays exact:
//! its stems, in order, with no prefix.

/// Suffixes [`inflection_base`] drops (as keys: ة is ه): sound plurals and duals, the
/// accusative alef, the feminine ending.
const ENDINGS: &[&str] = &["ات", "ين", "ون", "ان", "ه", "ا"];

/// Letters a base keeps at least, so that short words (لبنان, ايران) are not cut to a root
/// that prefixes unrelated words.
const MIN_BASE: usize = 4;

/// The base of an Arabic stem for prefix matching, and whether to match it as a prefix: one
/// ending of [`ENDINGS`] is dropped when at least [`MIN_BASE`] letters stay; words of fewer than
/// [`MIN_BASE`] letters, numbers and Latin words match exactly. Lossy: for search only.
pub fn inflection_base(stem: &str) -> (String, bool) {
    let arabic = stem.chars().all(|c| matches!(c, '\u{0621}'..='\u{064A}'));
    if !arabic || stem.chars().count() < MIN_BASE {
        return (stem.to_string(), false);
    }
    for e in ENDINGS {
        if let Some(b) = stem.strip_suffix(e) {
            if b.chars().count() >= MIN_BASE {
                return (b.to_string(), true);
            }
        }
    }
    (stem.to_string(), true)
}

/// One part of a query: a word matched with its inflections, or an exact phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryPart {
    /// A bare word: its base, matched as a prefix when `prefix`.
    Word {
        /// The stem's base ([`inflection_base`]).
        base: String,
        /// Whether longer stems that begin with the base match.
        prefix: bool,
    },
    /// A quoted phrase: these stems, consecutive and exact.
    Phrase(Vec<String>),
}

/// A parsed query: every part is required.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchQuery {
    /// The parts, in the order written.
    pub parts: Vec<QueryPart>,
}

/// The indexed term of a token (as [`crate::search_terms`] writes it), if it has one.
fn term(t: &marsad_text::Token) -> Option<&str> {
    use marsad_text::TokenKind as K;
    matches!(t.kind, K::Word | K::Latin | K::Number | K::Hashtag)
        .then(|| t.stem.trim_start_matches('#'))
        .filter(|s| !s.is_empty())
}

/// The indexed terms of `s`.
fn terms(s: &str) -> Vec<String> {
    let a = marsad_text::analyze(s);
    a.tokens
        .iter()
        .filter_map(term)
        .map(|t| t.replace('"', ""))
        .filter(|t| !t.is_empty())
        .collect()
}

/// Whether `c` opens or closes a quoted phrase.
fn is_quote(c: char) -> bool {
    matches!(c, '"' | '«' | '»' | '“' | '”' | '„')
}

impl SearchQuery {
    /// Reads a query: quoted runs are phrases, the rest bare words. An unclosed quote runs to
    /// the end.
    pub fn parse(query: &str) -> SearchQuery {
        let mut parts = Vec::new();
        for (i, chunk) in query.split(is_quote).enumerate() {
            let ts = terms(chunk);
            if i % 2 == 1 {
                if !ts.is_empty() {
                    parts.push(QueryPart::Phrase(ts));
                }
            } else {
                for t in ts {
                    let (base, prefix) = inflection_base(&t);
                    parts.push(QueryPart::Word { base, prefix });
                }
            }
        }
        SearchQuery { parts }
    }

    /// Whether the query has nothing to search.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// The FTS5 query: every part required, words as prefixes where they may inflect, phrases
    /// quoted whole. `None` when there is nothing to search.
    pub fn fts(&self) -> Option<String> {
        let parts: Vec<String> = self
            .parts
            .iter()
            .map(|p| match p {
                QueryPart::Word { base, prefix } => {
                    format!("\"{base}\"{}", if *prefix { "*" } else { "" })
                }
                QueryPart::Phrase(ts) => format!("\"{}\"", ts.join(" ")),
            })
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }

    /// The PostgreSQL `to_tsquery` text of the same query: every part required (`&`), words
    /// as prefixes (`:*`) where they may inflect, phrases as consecutive terms (`<->`), every
    /// term quoted. `None` when there is nothing to search.
    pub fn tsquery(&self) -> Option<String> {
        let quote = |t: &str| format!("'{}'", t.replace('\\', "").replace('\'', "''"));
        let parts: Vec<String> = self
            .parts
            .iter()
            .map(|p| match p {
                QueryPart::Word { base, prefix } => {
                    format!("{}{}", quote(base), if *prefix { ":*" } else { "" })
                }
                QueryPart::Phrase(ts) => {
                    let run: Vec<String> = ts.iter().map(|t| quote(t)).collect();
                    format!("({})", run.join(" <-> "))
                }
            })
            .collect();
        (!parts.is_empty()).then(|| parts.join(" & "))
    }

    /// The byte spans in `text` that the query matches, in order, not overlapping: words whose
    /// stem the query matches, and whole runs of a phrase.
    pub fn hits(&self, text: &str) -> Vec<(usize, usize)> {
        let a = marsad_text::analyze(text);
        let toks: Vec<(usize, usize, &str)> = a
            .tokens
            .iter()
            .filter_map(|t| term(t).map(|s| (t.start, t.end, s)))
            .collect();
        let mut out = Vec::new();
        for (i, &(s, e, stem)) in toks.iter().enumerate() {
            for p in &self.parts {
                match p {
                    QueryPart::Word { base, prefix } => {
                        let hit = if *prefix {
                            stem.starts_with(base.as_str())
                        } else {
                            stem == base
                        };
                        if hit {
                            out.push((s, e));
                        }
                    }
                    QueryPart::Phrase(ps) => {
                        let run = toks.get(i..i + ps.len());
                        if run.is_some_and(|r| r.iter().zip(ps).all(|(t, p)| t.2 == p)) {
                            out.push((s, toks[i + ps.len() - 1].1));
                        }
                    }
                }
            }
        }
        out.sort_unstable();
        let mut last_end = 0;
        out.retain(|&(s, e)| {
            let keep = s >= last_end;
            if keep {
                last_end = e;
            }
            keep
        });
        out
    }

    /// A passage of `text` around the first hit (the start when none), with the spans of the
    /// hits inside the passage (byte offsets into the passage).
    pub fn snippet(&self, text: &str) -> (String, Vec<(usize, usize)>) {
        let hits = self.hits(text);
        let (s, e) = hits.first().copied().unwrap_or((0, 0));
        let mut from = s.saturating_sub(120);
        while !text.is_char_boundary(from) {
            from -= 1;
        }
        let mut to = (e + 120).min(text.len());
        while !text.is_char_boundary(to) {
            to += 1;
        }
        // trim whitespace at both ends without losing the offsets
        let inner = &text[from..to];
        let lead = inner.len() - inner.trim_start().len();
        let (from, to) = (from + lead, from + inner.trim_end().len());
        let mut out = String::new();
        if from > 0 {
            out.push('…');
        }
        let shift = out.len();
        out.push_str(&text[from..to]);
        let marks = hits
            .into_iter()
            .filter(|&(a, b)| a >= from && b <= to)
            .map(|(a, b)| (a - from + shift, b - from + shift))
            .collect();
        if to < text.len() {
            out.push('…');
        }
        (out, marks)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bases_drop_one_ending_and_keep_short_words_whole() {
        for (stem, want) in [
            ("انشقاق", ("انشقاق", true)),
            ("انشقاقات", ("انشقاق", true)),
            ("انشقاقا", ("انشقاق", true)),
            ("لبنان", ("لبنان", true)),
            ("قتل", ("قتل", false)),
            ("2015", ("2015", false)),
            ("isis", ("isis", false)),
        ] {
            let (b, p) = inflection_base(stem);
            assert_eq!((b.as_str(), p), want, "{stem}");
        }
    }

    #[test]
    fn a_bare_word_finds_its_inflections_and_a_phrase_stays_exact() {
        let text = "أعلن الانشقاق عن الحزب، وتوالت انشقاقات أخرى بعد أن أعلن انشقاقا جديدا.";
        let words = |q: &str| -> Vec<&str> {
            SearchQuery::parse(q)
                .hits(text)
                .into_iter()
                .map(|(s, e)| &text[s..e])
                .collect()
        };
        let all = vec!["الانشقاق", "انشقاقات", "انشقاقا"];
        assert_eq!(words("الانشقاق"), all);
        assert_eq!(words("انشقاقات"), all);
        assert_eq!(words("\"الانشقاق\""), vec!["الانشقاق"]);
        assert_eq!(words("«انشقاقات أخرى»"), vec!["انشقاقات أخرى"]);
        assert!(words("\"أخرى انشقاقات\"").is_empty());
    }

    #[test]
    fn the_fts_query_marks_prefixes_and_quotes_phrases() {
        let q = SearchQuery::parse("الانشقاقات في \"حزب الله\"");
        assert_eq!(q.fts().as_deref(), Some("\"انشقاق\"* \"في\" \"حزب الله\""));
        assert_eq!(SearchQuery::parse("«»!").fts(), None);
    }

    #[test]
    fn the_tsquery_marks_prefixes_chains_phrases_and_escapes_quotes() {
        let q = SearchQuery::parse("الانشقاقات في \"حزب الله\"");
        assert_eq!(
            q.tsquery().as_deref(),
            Some("'انشقاق':* & 'في' & ('حزب' <-> 'الله')")
        );
        let q = SearchQuery {
            parts: vec![QueryPart::Word {
                base: "o'neil\\".into(),
                prefix: false,
            }],
        };
        assert_eq!(q.tsquery().as_deref(), Some("'o''neil'"));
        assert_eq!(SearchQuery::parse("«»!").tsquery(), None);
    }

    #[test]
    fn snippets_mark_the_hits_they_hold() {
        let text = format!("{}قال إن الانشقاقات تزايدت", "مقدمة طويلة ".repeat(20));
        let (snip, marks) = SearchQuery::parse("انشقاق").snippet(&text);
        assert!(snip.starts_with('…'), "{snip}");
        assert_eq!(marks.len(), 1);
        let (a, b) = marks[0];
        assert_eq!(&snip[a..b], "الانشقاقات");
    }
}
