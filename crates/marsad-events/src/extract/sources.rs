//! Sources: who a sentence says its events were reported by — the subject of a speech verb
//! (قال، أعلن), the noun phrase after a source preposition (بحسب، نقلا عن) — and which of them
//! governs each trigger; a sentence that goes on with the last source's account ("وأضاف أن …",
//! "وتابع قائلا", a quote left open) keeps that source.

use super::doc::{is_clause_break, is_quote, Doc};
use super::triggers::Hit;
use super::Extractor;
use crate::Attribution;
use marsad_text::{Span, TokenKind};

/// How many sentences back a continuation may look for its source.
const CARRY_DEPTH: usize = 3;

/// One source phrase and what it governs.
#[derive(Debug, Clone)]
pub(super) struct Source {
    /// The cue's first token: the speech verb or the source preposition.
    pub(super) cue: usize,
    /// The source phrase's tokens `[a, b)`; in an earlier sentence when it was carried.
    pub(super) a: usize,
    pub(super) b: usize,
    /// Whether it governs what comes before it: a source preposition, or a speech verb with no
    /// reported clause after it ("…، قال مسؤول").
    pub(super) postposed: bool,
    /// The complementizer, when it carries a pronoun that agrees with the speech verb ("أعلنت
    /// الشرطة أنها …"): what follows is the source's own act.
    pub(super) own: Option<usize>,
    /// Whether the cue is a source preposition (بحسب).
    pub(super) prep: bool,
    /// Whether its phrase in this sentence only names the source — the subject of a speech verb
    /// or the phrase after a source preposition — so that it is no side of what it reports
    /// (false for a source carried from another sentence).
    pub(super) aside: bool,
    /// The attribution.
    pub(super) attribution: Attribution,
}

/// The sources of one sentence, in text order, and the one it keeps from the sentence before
/// when it continues an open quote.
#[derive(Debug, Clone, Default)]
pub(super) struct Sources {
    /// The sources named (or, for a subjectless speech verb, carried) in the sentence.
    pub(super) list: Vec<Source>,
    /// The source of a quote the sentence before left open.
    pub(super) quoted: Option<Source>,
}

impl Sources {
    /// The source that governs the trigger at token `t`: the nearest speech verb or source
    /// preposition before it whose phrase does not hold it, else a postposed one after it
    /// ("…، بحسب مصادر"), else the source of an open quote.
    pub(super) fn governing(&self, t: usize) -> Option<&Source> {
        self.list
            .iter()
            .rfind(|s| s.cue < t && !(s.a <= t && t < s.b))
            .or_else(|| self.list.iter().find(|s| s.cue > t && s.postposed))
            .or(self.quoted.as_ref())
    }

    /// Whether token `t` lies in a source phrase that stands aside from the trigger at token
    /// `h`: the phrase of a source preposition, or the subject of a speech verb before the
    /// trigger (a speaker is no side of what it reports; "اعتقلت الشرطة خمسة وقالت إن …" keeps
    /// the police the actor of the arrest).
    pub(super) fn in_source(&self, t: usize, h: usize) -> bool {
        self.list
            .iter()
            .any(|s| s.aside && s.a <= t && t < s.b && (s.prep || s.cue < h))
    }
}

impl Source {
    /// The first armed party the phrase names (الجيش in "المتحدث باسم الجيش").
    pub(super) fn armed_party(&self, d: &Doc) -> Option<usize> {
        let from = d.parts.partition_point(|p| p.t0 < self.a);
        (from..d.parts.len())
            .take_while(|&k| d.parts[k].t0 < self.b)
            .find(|&k| d.parts[k].t1 <= self.b && d.parts[k].armed)
    }

    /// Whether the source tells of its own act, so that the event is claimed rather than
    /// reported: one of the actors is the source or stands in its phrase ("أعلنت الشرطة أنها
    /// اعتقلت"), or is the party the phrase names, by identity or by its words ("المكتب الإعلامي
    /// للجيش" for "قوات الجيش", "قائد هذه القوات" for "القوات الموالية": the head of one
    /// among the words of the other); or, with no actor
    /// named, an armed party in the phrase tells of losses it dealt to armed men ("أعلن المتحدث
    /// باسم الجيش مقتل أربعة مسلحين").
    pub(super) fn claims(&self, d: &Doc, actors: &[usize], recipients: &[usize]) -> bool {
        // the participants are in text order: the phrase's are found by binary search
        let from = d.parts.partition_point(|p| p.t0 < self.a);
        let to = d.parts.partition_point(|p| p.t0 < self.b);
        let inside: Vec<&super::doc::Part> = d.parts[from..to.max(from)]
            .iter()
            .filter(|p| p.t1 <= self.b)
            .collect();
        let content = |j: usize| {
            d.tokens[j].kind == TokenKind::Word
                && d.stem[j].chars().count() > 2
                && !d.is_word(j, &d.words.preps)
        };
        let names = |k: usize| {
            let p = &d.parts[k];
            (p.t0 < self.b && self.a < p.t1)
                || inside.iter().any(|q| d.ident(q) == d.ident(p))
                || inside.iter().any(|q| {
                    // the head of one among the words of the other (not a shared adjective:
                    // "صحيفة الإمارات اليوم" does not name "السلطات الإماراتية")
                    let head_in = |x: &super::doc::Part, y: &super::doc::Part| {
                        (x.t0..x.t1)
                            .find(|&j| content(j))
                            .is_some_and(|j| (y.t0..y.t1).any(|i| d.stem[i] == d.stem[j]))
                    };
                    head_in(p, q) || head_in(q, p)
                })
        };
        if actors.iter().any(|&k| names(k)) {
            return true;
        }
        actors.is_empty()
            && !recipients.is_empty()
            && recipients.iter().all(|&k| d.parts[k].armed)
            && inside.iter().any(|q| q.armed)
    }
}

/// The verb's person: masculine, feminine or plural, by its ending (قال، قالت، قالوا).
fn person(w: &str) -> &'static str {
    if w.ends_with("وا") || w.ends_with("ون") {
        "هم"
    } else if w.ends_with('ت') || (w.starts_with('ت') && w.chars().count() > 3) {
        "ها"
    } else {
        "ه"
    }
}

impl Extractor {
    /// The sources of sentence `si`, whose trigger hits are `hits`.
    pub(super) fn sources(&self, d: &Doc, si: usize, hits: &[Hit]) -> Sources {
        self.sources_at(d, si, hits, CARRY_DEPTH)
    }

    fn sources_at(&self, d: &Doc, si: usize, hits: &[Hit], depth: usize) -> Sources {
        let r = d.sents[si].clone();
        let (s0, s1) = (r.start, r.end);
        let cues = &self.lex.cues;
        let complementizer =
            |j: usize| d.phrase(&cues.complementizers, j).is_some() && !d.tokens[j].has_article();
        // what opens a reported clause: أن, or a preposition and أن (شدد المصدر على أن، أشار
        // إلى أن)
        let that = |k: usize| {
            k < s1
                && (complementizer(k)
                    || (d.is_word(k, &d.words.preps) && k + 1 < s1 && complementizer(k + 1)))
        };
        let text = |j: usize| d.tokens[j].text(d.text);
        let stop = |j: usize| {
            that(j)
                || d.phrase(&cues.phrase_ends, j).is_some()
                || is_clause_break(d.text, &d.tokens[j])
                || text(j) == "«"
                || text(j) == "."
                || hits.iter().any(|h| h.t0 == j)
        };
        // the source phrase from `a`: up to a complementizer, a word that opens another
        // clause, a clause break, a quote, a trigger or eight words; it has a word
        // a date after the name ends it too ("قالت اللجنة الدولية الاثنين إن")
        let dated = |j: usize| d.dates.iter().any(|(x, _, _)| *x == j);
        let np = |a: usize| -> Option<(usize, usize)> {
            let mut b = a;
            while b < s1 && b < a + 8 && !stop(b) && !(b > a && dated(b)) {
                b += 1;
            }
            (a..b)
                .any(|k| d.tokens[k].kind == TokenKind::Word)
                .then_some((a, b))
        };
        // the subject of a speech verb: a date first is skipped; a prepositional phrase
        // ("وقال في بيان إن"، "قال لرويترز") is no subject
        let subject = |a: usize| -> Option<(usize, usize)> {
            let mut a = a;
            loop {
                // "يوم" before a date belongs to it ("أعلن يوم أمس الأحد عن")
                if a + 1 < s1 && d.is(a, "يوم") && dated(a + 1) {
                    a += 1;
                }
                let Some((_, b, _)) = d.dates.iter().find(|(x, _, _)| *x == a) else {
                    break;
                };
                a = *b;
            }
            if a < s1
                && (d.is_word(a, &d.words.preps)
                    || d.tokens[a].prefixes.iter().any(|p| matches!(*p, "ل" | "ك")))
            {
                return None;
            }
            np(a)
        };
        let is_source = |j: usize| cues.kinds.iter().any(|(_, ph)| d.phrase(ph, j).is_some());
        let mut list: Vec<Source> = Vec::new();
        let mut j = s0;
        while j < s1 {
            if let Some(len) = d.phrase(&cues.source_preps, j) {
                // "وفقا لما أوردته صحيفة …"، "حسبما أعلنت الوزارة": the subject of the verb after
                let mut start = j + len;
                if start < s1 && d.phrase(&cues.what, start).is_some() {
                    start += 1;
                }
                if start + 1 < s1
                    && (d.phrase(&cues.speech_verbs, start).is_some()
                        || !d.tokens[start].suffixes.is_empty())
                {
                    start += 1;
                }
                // a source names someone (a source word, a participant, a quoted name):
                // "بحسب مصادر"، "حسب «الوكالة»"، not "وفق الحصيلة الأخيرة"
                if let Some((a, b)) = np(start).filter(|&(a, b)| {
                    (a..b).any(|k| {
                        is_source(k)
                            || is_quote(d.text, &d.tokens[k])
                            || d.parts.iter().any(|p| p.t0 == k)
                    })
                }) {
                    let mut s = self.source(d, j, a, b, true, None);
                    s.prep = true;
                    list.push(s);
                    j = b;
                    continue;
                }
            }
            // a speech verb's masdar (تم ذكر، الإعلان) reports nothing
            let masdar =
                d.tokens[j].has_article() || (j > s0 && d.is_word(j - 1, &d.words.passive_light));
            let speech = d
                .phrase(&cues.speech_verbs, j)
                .or_else(|| {
                    // right before أن, or opening the clause with its subject before أن
                    // ("وبين المسؤول أن"), never inside one ("اشتباكات بين الشرطة")
                    let opens = j == s0
                        || d.tokens[j].prefixes.first() == Some(&"و")
                        || is_clause_break(d.text, &d.tokens[j - 1]);
                    d.phrase(&cues.speech_before_that, j).filter(|&n| {
                        that(j + n) || (opens && np(j + n).is_some_and(|(_, b)| that(b)))
                    })
                })
                .filter(|_| !masdar);
            let goes_on = d.phrase(&cues.continuation, j);
            let Some(len) = speech.or(goes_on) else {
                j += 1;
                continue;
            };
            let next = j + len;
            if let Some((a, b)) = speech.and_then(|_| subject(next)) {
                // what follows the phrase: a reported clause (a complementizer, a quote, a colon,
                // perhaps after a parenthesis: "أعلنت الشرطة، في بيان مقتضب، الأحد، أنها
                // …"), or a comma or the end (then it reports what came before: "…، قال
                // مسؤول")
                let opens_report = |k: usize| {
                    complementizer(k) || is_quote(d.text, &d.tokens[k]) || text(k) == ":"
                };
                let comp = (b..(b + 12).min(s1))
                    .take_while(|&k| {
                        k == b
                            || !(hits.iter().any(|h| h.t0 == k)
                                || d.phrase(&cues.speech_verbs, k).is_some()
                                || d.phrase(&cues.source_preps, k).is_some())
                    })
                    .find(|&k| complementizer(k) || (k == b && opens_report(k)));
                let reported = comp.is_some();
                let postposed = b >= s1 || is_clause_break(d.text, &d.tokens[b]) || text(b) == ".";
                let own = comp
                    .filter(|&c| complementizer(c) && d.tokens[c].suffixes.len() == 1)
                    .filter(|&c| d.tokens[c].suffixes[0] == person(&d.tokens[j].stem));
                list.push(self.source(d, j, a, b, postposed && !reported, own));
                j = b;
                continue;
            }
            // no subject ("وأضاف أن …"، "وتابع قائلا"): the subject before the verb ("وكان
            // المرصد قد أفاد"), else a source word before it ("المصدر يقول إن"), else,
            // when the verb opens the sentence, the source the sentence before ends with
            let subjectless = speech.is_some()
                || next >= s1
                || stop(next)
                || is_quote(d.text, &d.tokens[next])
                || d.phrase(&cues.continuation, next).is_some()
                || d.phrase(&cues.speech_verbs, next).is_some();
            if subjectless {
                // the subject before the verb, within five words of it, after the last source
                let cl = d.clause[j];
                let lo = j
                    .saturating_sub(5)
                    .max(s0)
                    .max(list.last().map_or(s0, |s| s.b.max(s.cue + 1)));
                let named = (lo..j)
                    .find(|&k| {
                        d.clause[k] == cl
                            && (is_source(k)
                                || d.parts
                                    .iter()
                                    .any(|p| p.t0 == k && d.prep_before(k).is_none()))
                    })
                    .map(|a| {
                        let mut b = j;
                        while b > a + 1 && d.phrase(&cues.auxiliaries, b - 1).is_some() {
                            b -= 1;
                        }
                        (a, b)
                    });
                // or the subject of a كان that opens the sentence, told at length before
                // the verb ("وكانت إحصائية نشرها موقع الجيش، الاثنين، قالت إن …")
                let named = named.or_else(|| {
                    let k = (s0..j).find(|&k| d.tokens[k].kind != TokenKind::Punct)?;
                    // on the word itself: the analyser may read وكانت as و+ك+انت
                    let w = text(k).trim_start_matches(['و', 'ف']);
                    (cues.auxiliaries.has(&marsad_text::normalize::key(w))
                        && j - k <= 12
                        && list.is_empty())
                    .then_some(())?;
                    np(k + 1).filter(|&(a, b)| b <= j && d.tokens[a].kind == TokenKind::Word)
                });
                let opens = (s0..j).all(|k| d.tokens[k].kind == TokenKind::Punct);
                if let Some((a, b)) = named {
                    list.push(self.source(d, j, a, b, false, None));
                } else if list.is_empty() && opens && depth > 0 && si > 0 {
                    if let Some(mut s) = self.last_source(d, si - 1, depth - 1) {
                        s.cue = j;
                        s.own = None;
                        s.postposed = false;
                        s.prep = false;
                        s.aside = false;
                        list.push(s);
                    }
                }
            }
            j = next;
        }
        let quoted = if si > 0 && depth > 0 {
            self.open_quote(d, si - 1, depth - 1)
        } else {
            None
        };
        Sources { list, quoted }
    }

    /// The source sentence `si` ends with: its last, or the one it keeps.
    fn last_source(&self, d: &Doc, si: usize, depth: usize) -> Option<Source> {
        let r = d.sents[si].clone();
        let hits = self.triggers(d, r.start, r.end);
        let s = self.sources_at(d, si, &hits, depth);
        s.list.last().cloned().or(s.quoted)
    }

    /// The source of a quote that sentence `si` opens after its source and leaves open.
    fn open_quote(&self, d: &Doc, si: usize, depth: usize) -> Option<Source> {
        let mut open = None;
        for j in d.sents[si].clone() {
            match d.tokens[j].text(d.text) {
                "«" | "“" => open = Some(j),
                "»" | "”" => open = None,
                "\"" => open = if open.is_some() { None } else { Some(j) },
                _ => {}
            }
        }
        let at = open?;
        let mut s = self.last_source(d, si, depth)?;
        if s.cue > at {
            return None;
        }
        s.own = None;
        s.postposed = false;
        s.prep = false;
        s.aside = false;
        Some(s)
    }

    /// A source with its attribution: the phrase `[a, b)` after the cue at `cue`, trailing
    /// punctuation off (a closing quote that belongs to a name stays), and its kind.
    fn source(
        &self,
        d: &Doc,
        cue: usize,
        a: usize,
        b: usize,
        postposed: bool,
        own: Option<usize>,
    ) -> Source {
        let cues = &self.lex.cues;
        let mut b = b;
        while b > a + 1
            && d.tokens[b - 1].kind == TokenKind::Punct
            && !is_quote(d.text, &d.tokens[b - 1])
        {
            b -= 1;
        }
        let kind = cues
            .kinds
            .iter()
            .find(|(_, ph)| (a..b).any(|j| d.phrase(ph, j).is_some()))
            .map(|(k, _)| k.clone())
            .or_else(|| {
                d.parts
                    .iter()
                    .any(|p| p.t0 >= a && p.t1 <= b && p.entity_id.is_some())
                    .then(|| "officials".to_string())
            })
            .unwrap_or_else(|| "unnamed_sources".to_string());
        let span = Span::new(d.tokens[a].start, d.tokens[b - 1].end);
        Source {
            cue,
            a,
            b,
            postposed,
            own,
            prep: false,
            aside: true,
            attribution: Attribution {
                text: d.text[span.start..span.end].to_string(),
                span,
                kind,
            },
        }
    }
}
