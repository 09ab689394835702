//! Finding place mentions in tokens and resolving them from the document's context.
//!
//! 1. **Match**: at each word, try the word with its proclitics (و ف ب ل ك and ال) taken off,
//!    and extend word by word while a longer name could still match (دير الزور، حمام العليل).
//!    A hash set of name keys and one of multi-word prefixes make a miss cost one probe.
//! 2. **Filter**: demonyms (السورية) become country signals, not places; stoplisted and weak
//!    names need place context (a cue word such as مدينة or جنوب, a LOC hint, a demonym after);
//!    a name after أبو/ابن or inside a PER/ORG hint is not a place.
//! 3. **Resolve**: score each candidate by population and kind, the cue before it, a demonym
//!    after it (كوبانى السورية), the place it is said to be in or near (الموصل بالعراق، X جنوب Y),
//!    the document's country context and proximity to the other places; twice, so that
//!    resolved places inform the ambiguous ones.

use crate::artifact::{Entry, Kind, F_ALIAS, F_ARTICLE, F_COMMON, F_WEAK};
use crate::data::Cue;
use crate::hash;
use crate::{distance_km, Gazetteer, Hint, HintKind, Place, Precision};
use crate::{IX_DEMONYM, IX_FULL, IX_PREFIX};
use marsad_text::{TextAnalysis, Token, TokenKind};

/// Longest name in words.
const MAX_WORDS: usize = 6;

/// One reading of a mention: the proclitics taken off its first word and the entries it names.
#[derive(Clone, Copy)]
struct Alt<'g> {
    postings: &'g [u32],
    /// Bytes of proclitics taken off the first word.
    plen: usize,
    /// The proclitics taken off include ب.
    has_b: bool,
    article: bool,
    /// Where the name starts in the original text (after the proclitics, at ال if any).
    start: usize,
}

/// One found mention before resolution.
struct Mention<'g> {
    first: usize,
    last: usize,
    end: usize,
    /// Readings of the same length (وجدة: Oujda, or و + Jeddah); the first takes the fewest
    /// proclitics off.
    alts: Vec<Alt<'g>>,
    cue: Option<Cue>,
    /// Country named by a demonym right after the mention.
    container: Option<[u8; 2]>,
}

impl Mention<'_> {
    fn candidates(&self) -> impl Iterator<Item = (usize, u32)> + '_ {
        self.alts.iter().enumerate().flat_map(|(a, alt)| {
            alt.postings
                .iter()
                // a place whose name opens with the article, read where the text has none
                .filter(move |&&p| alt.article || (p as u8) & F_ARTICLE == 0)
                .map(move |&p| (a, p))
        })
    }
}

/// One way of reading a word: the key left after taking `plen` bytes of proclitics off.
#[derive(Clone, Copy)]
struct Variant<'a> {
    bare: &'a str,
    plen: usize,
    article: bool,
}

/// Up to eight readings of a word (key level): as it is, and with the proclitics و/ف, ب/ل/ك
/// and the article ال (or the elided لل) taken off. No allocation, no string search.
fn variants(norm: &str) -> impl Iterator<Item = Variant<'_>> {
    const WAW: char = 'و';
    let mut out = [None; 8];
    let mut n = 0;
    let mut push = |plen: usize, article: bool| {
        let rest = &norm[plen..];
        // proclitics are Arabic letters, two bytes each, and so are the letters after them
        let ok = if article {
            rest.len() >= 4
        } else {
            rest.len() >= 6
        };
        if ok && !(article && rest.starts_with("ال")) && n < out.len() {
            out[n] = Some(Variant {
                bare: rest,
                plen,
                article,
            });
            n += 1;
        }
    };
    push(0, false);
    let mut cs = norm.char_indices();
    let c: [(usize, char); 5] = std::array::from_fn(|_| cs.next().unwrap_or((norm.len(), ' ')));
    let conj = matches!(c[0].1, WAW | 'ف');
    for s in if conj { 0..2 } else { 0..1 } {
        if s == 1 {
            push(c[1].0, false);
        }
        let (c0, c1, c2) = (c[s].1, c[s + 1].1, c[s + 2].1);
        // ال, or لل (ل + ال with the alef elided)
        if (c0 == 'ا' || c0 == 'ل') && c1 == 'ل' {
            push(c[s + 2].0, true);
        } else if matches!(c0, 'ب' | 'ل' | 'ك') {
            push(c[s + 1].0, false);
            if c1 == 'ا' && c2 == 'ل' {
                push(c[s + 3].0, true);
            }
        }
    }
    out.into_iter().flatten()
}

/// Whether the tokenizer split the proclitics `prefix` (or more) off `t`, by its own
/// frequency-based judgement.
fn agrees(t: &Token, prefix: &str) -> bool {
    let mut rest = prefix;
    for p in &t.prefixes {
        if rest.is_empty() {
            break;
        }
        match rest.strip_prefix(p) {
            Some(r) => rest = r,
            None => return false,
        }
    }
    rest.is_empty()
}

/// The original span of `tok` without its first `letters` letters.
fn strip_span(tok: &Token, text: &str, letters: usize) -> (usize, usize) {
    if letters == 0 {
        return (tok.start, tok.end);
    }
    let s = tok.text(text);
    let mut seen = 0;
    for (i, c) in s.char_indices() {
        if marsad_text::normalize::is_dropped(c) {
            continue;
        }
        if seen == letters {
            return (tok.start + i, tok.end);
        }
        seen += 1;
    }
    (tok.start, tok.end)
}

fn is_quote(t: &Token, text: &str) -> bool {
    t.kind == TokenKind::Punct && matches!(t.text(text), "\"" | "«" | "»" | "“" | "”" | "'" | "(")
}

impl Gazetteer {
    fn weak_only(&self, postings: &[u32]) -> bool {
        postings.iter().all(|p| (*p as u8) & F_WEAK != 0)
    }

    fn article_only(&self, postings: &[u32]) -> bool {
        postings.iter().all(|p| (*p as u8) & F_ARTICLE != 0)
    }

    fn common_only(&self, postings: &[u32]) -> bool {
        postings.iter().all(|p| (*p as u8) & F_COMMON != 0)
    }

    fn entry(&self, p: u32) -> &Entry {
        &self.entries[(p >> 8) as usize]
    }

    /// The cue a word expresses, trying it with its proclitics taken off.
    fn cue_of(&self, t: &Token) -> Option<Cue> {
        if t.kind != TokenKind::Word {
            return None;
        }
        variants(&t.norm).find_map(|v| self.lex.cues.get(&hash::of(v.bare)).copied())
    }

    fn demonym_of(&self, t: &Token) -> Option<[u8; 2]> {
        if t.kind != TokenKind::Word {
            return None;
        }
        variants(&t.norm)
            .filter(|v| v.plen == 0 || v.article)
            .find_map(|v| {
                let h = hash::of(v.bare);
                let (bits, _) = self.probe(h);
                if bits & IX_DEMONYM != 0 {
                    self.lex.demonyms.get(&h).copied()
                } else {
                    None
                }
            })
    }

    /// The readings of the longest name starting at token `i`: its last token and the
    /// readings (prefix, article, postings) that reach it.
    fn match_at<'g>(
        &'g self,
        toks: &[Token],
        i: usize,
        buf: &mut String,
        alts: &mut Vec<(usize, bool, &'g [u32])>,
        demonym: &mut Option<[u8; 2]>,
    ) -> Option<usize> {
        let t = &toks[i];
        alts.clear();
        *demonym = None;
        let mut best_last = 0;
        for v in variants(&t.norm) {
            let h = hash::of(v.bare);
            let (bits, val) = self.probe(h);
            if bits & (IX_FULL | IX_PREFIX | IX_DEMONYM) == 0 {
                continue;
            }
            if bits & IX_DEMONYM != 0 && (v.plen == 0 || v.article) && demonym.is_none() {
                *demonym = self.lex.demonyms.get(&h).copied();
            }
            let mut found: Option<(usize, &'g [u32])> = None;
            if bits & IX_FULL != 0 {
                let p = self.postings_at(val);
                if !p.is_empty() {
                    found = Some((i, p));
                }
            }
            if bits & IX_PREFIX != 0 {
                buf.clear();
                buf.push_str(v.bare);
                let stop = toks.len().min(i + MAX_WORDS);
                for (j, tj) in toks.iter().enumerate().take(stop).skip(i + 1) {
                    if !tj.is_word() {
                        break;
                    }
                    buf.push(' ');
                    buf.push_str(&tj.norm);
                    let hh = hash::of(buf);
                    let (b, val) = self.probe(hh);
                    if b & IX_FULL != 0 {
                        let p = self.postings_at(val);
                        if !p.is_empty() {
                            found = Some((j, p));
                        }
                    }
                    if b & IX_PREFIX == 0 {
                        break;
                    }
                }
            }
            let Some((last, p)) = found else { continue };
            if alts.is_empty() || last > best_last {
                alts.clear();
                best_last = last;
            }
            if last == best_last {
                alts.push((v.plen, v.article, p));
            }
        }
        (!alts.is_empty()).then_some(best_last)
    }
}

/// Finds and resolves the places of one document.
pub(crate) fn places(
    gaz: &Gazetteer,
    text: &str,
    analysis: &TextAnalysis,
    hints: &[Hint],
) -> Vec<Place> {
    let split;
    let toks = if analysis.tokens.iter().any(|t| t.kind == TokenKind::Hashtag) {
        split = crate::hashtag::words(text, &analysis.tokens);
        &split
    } else {
        &analysis.tokens
    };
    // the hints in text order, and how long the longest is: the ones that overlap a mention
    // are found by binary search, not by a pass over all of them per mention
    let mut hints: Vec<&Hint> = hints.iter().collect();
    hints.sort_by_key(|h| h.start);
    let longest = hints
        .iter()
        .map(|h| h.end.saturating_sub(h.start))
        .max()
        .unwrap_or(0);
    let mut mentions: Vec<Mention> = Vec::new();
    let mut signals: Vec<[u8; 2]> = Vec::new();
    let mut buf = String::with_capacity(64);
    let mut alts = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        if !t.is_word() {
            i += 1;
            continue;
        }
        let mut demonym = None;
        let m = gaz.match_at(toks, i, &mut buf, &mut alts, &mut demonym);
        let Some(last) = m else {
            if let Some(c) = demonym {
                signals.push(c);
            }
            i += 1;
            continue;
        };
        let follows = mentions.last().is_some_and(|m| m.last + 1 == i);
        // السورية after a noun is an adjective, not the country
        if last == i && alts.iter().any(|a| a.1) {
            if let Some(c) = demonym {
                let prev = toks[..i].iter().rev().find(|p| p.kind != TokenKind::Punct);
                if prev.is_some_and(|p| p.has_article()) || follows {
                    signals.push(c);
                    if follows {
                        if let Some(m) = mentions.last_mut() {
                            m.container = Some(c);
                        }
                    }
                    i += 1;
                    continue;
                }
            }
        }
        let end = toks[last].end;
        // context before: skip quotes, then one or two cue words (a demonym may sit between:
        // العاصمة الأردنية عمان)
        let mut k = i;
        while k > 0 && is_quote(&toks[k - 1], text) {
            k -= 1;
        }
        if k > 1 && gaz.demonym_of(&toks[k - 1]).is_some() {
            k -= 1;
        }
        let prev = k.checked_sub(1).map(|k| &toks[k]);
        let prev2 = k.checked_sub(2).map(|k| &toks[k]);
        let mut cue = prev.and_then(|p| gaz.cue_of(p));
        // a definite word after a definite town word agrees with it as its adjective ("المدينة
        // المطلة على البحر": the overlooking city), where "مدينة المطلة" names a town
        if cue == Some(Cue::Town)
            && k == i
            && prev.is_some_and(|p| p.has_article())
            && toks[i].has_article()
        {
            cue = None;
        }
        let typed = matches!(cue, Some(Cue::Town | Cue::Admin | Cue::Capital));
        if matches!(cue, Some(Cue::Prep | Cue::Town | Cue::Admin))
            && prev2.and_then(|p| gaz.cue_of(p)) == Some(Cue::Near)
        {
            cue = Some(Cue::Near);
        }
        if cue == Some(Cue::Person) {
            i = last + 1;
            continue;
        }
        // context after: a demonym
        let mut a = last + 1;
        while a < toks.len() && is_quote(&toks[a], text) {
            a += 1;
        }
        let container = toks.get(a).and_then(|n| gaz.demonym_of(n));
        // hints
        let mut loc_hint = false;
        let mut blocked = false;
        let lo = hints.partition_point(|h| h.start + longest < t.start);
        let hi = hints.partition_point(|h| h.start < end);
        for h in &hints[lo..hi.max(lo)] {
            if h.start < end && t.start < h.end {
                match h.kind {
                    HintKind::Loc => loc_hint = true,
                    HintKind::Per => blocked = true,
                    HintKind::Org | HintKind::Misc => {
                        // a place inside a longer ORG name (جامعة بغداد) is not a place mention
                        if h.start < t.start || h.end > end {
                            blocked = true;
                        }
                    }
                }
            }
        }
        if blocked {
            i = last + 1;
            continue;
        }
        let cue_ctx =
            loc_hint || matches!(cue, Some(Cue::Near | Cue::Town | Cue::Admin | Cue::Capital));
        let kept: Vec<Alt> = alts
            .iter()
            .filter(|&&(plen, article, postings)| {
                let prefix = &t.norm[..plen];
                let bare = &t.norm[plen..];
                let single = last == i;
                // a cue word is never a place by itself (مدينة، العاصمة)
                if single && gaz.lex.cues.contains_key(&hash::of(bare)) {
                    return false;
                }
                let hb = hash::of(bare);
                // a name that always opens with the article is not written without it: عين
                // ("eye", or the first word of عين كاوة) is not العين, يمن not اليمن
                if !article && gaz.article_only(postings) {
                    return false;
                }
                // عين كاوة: a head word followed by a word that goes on the name is not the
                // place named by the head alone, where the gazetteer lacks the longer name
                if single && !article && gaz.lex.heads.contains(&hb) && goes_on(gaz, toks, text, i)
                {
                    return false;
                }
                // a name stopped without its article (يمن "may he grant", عقبة "obstacle") is the
                // place only after a word that names one: the tagger's hint is not enough
                if single && !article && gaz.lex.stop_bare.contains(&hb) && !typed {
                    return follows && prefix.starts_with('و');
                }
                let stopped = single && (gaz.lex.stop.contains(&hb) || gaz.common_only(postings));
                let weak = gaz.weak_only(postings);
                // a list of places: وصور after صيدا
                let listed = follows && prefix.starts_with('و');
                let contained = container.is_some_and(|c| {
                    postings
                        .iter()
                        .any(|&p| gaz.entry(p).country.as_bytes() == c)
                });
                // a one-letter proclitic (بحلب، وحلب) is taken off only where the tokenizer
                // took it off too, or where the whole word is not a known word (كبيرة is not
                // ك + بيرة)
                if !prefix.is_empty()
                    && !article
                    && !agrees(t, prefix)
                    && marsad_text::clitic::Lexicon::shared().count(&t.norm) >= 3
                {
                    return false;
                }
                let town_ctx = loc_hint || typed;
                if stopped {
                    return town_ctx || listed;
                }
                !weak || cue_ctx || listed || contained
            })
            .map(|&(plen, article, postings)| {
                let prefix = &t.norm[..plen];
                let n = prefix.chars().count();
                let keep_article = article && prefix != "لل" && prefix.ends_with("ال");
                let (start, _) = strip_span(t, text, n - if keep_article { 2 } else { 0 });
                Alt {
                    postings,
                    plen,
                    has_b: prefix.contains('ب'),
                    article,
                    start,
                }
            })
            .collect();
        if kept.is_empty() {
            i = last + 1;
            continue;
        }
        mentions.push(Mention {
            first: i,
            last,
            end,
            alts: kept,
            cue,
            container,
        });
        i = last + 1;
    }
    if mentions.is_empty() {
        return Vec::new();
    }
    resolve(gaz, toks, &mentions, &signals)
        .into_iter()
        .zip(&mentions)
        .map(|((a, p), m)| {
            let e = gaz.entry(p);
            let start = m.alts[a].start;
            // "near" a town is outside it; "north of" a country or a province is a part of it
            let precision = match e.kind {
                Kind::City if m.cue == Some(Cue::Near) => Precision::Near,
                Kind::City => Precision::Exact,
                Kind::Country => Precision::Country,
                Kind::Admin1 | Kind::Admin2 => Precision::Admin1,
                Kind::Region => Precision::Region,
            };
            Place {
                start,
                end: m.end,
                text: text[start..m.end].to_string(),
                geonameid: (e.geonameid != 0).then_some(u64::from(e.geonameid)),
                name_en: e.name_en.clone(),
                name_ar: e.name_ar.clone(),
                country: e.country.clone(),
                admin1: (!e.admin1.is_empty()).then(|| e.admin1.clone()),
                lat: f64::from(e.lat),
                lon: f64::from(e.lon),
                precision,
                feature: e.kind.as_str().to_string(),
            }
        })
        .collect()
}

/// Whether the word after token `i` goes on a name: a word right after it, opening with no
/// conjunction or preposition (the analyser's ك of كاوة is a name's letter), that is no cue (a
/// preposition, جنوب) and no demonym.
fn goes_on(gaz: &Gazetteer, toks: &[Token], text: &str, i: usize) -> bool {
    let Some(n) = toks.get(i + 1) else {
        return false;
    };
    n.is_word()
        && !n
            .prefixes
            .first()
            .is_some_and(|p| ["و", "ف", "ب", "ل"].iter().any(|c| p.starts_with(c)))
        && text[toks[i].end..n.start].trim_matches(' ').is_empty()
        && gaz.cue_of(n).is_none()
        && gaz.demonym_of(n).is_none()
}

/// How the mention after another relates to it: it contains it, or is near it.
#[derive(Clone, Copy, PartialEq)]
enum Rel {
    /// "X في Y", "X بY", "X، Y", "X بمحافظة Y": Y contains X.
    In,
    /// "X جنوب Y", "X قرب Y": X lies near Y.
    Near,
}

fn relation(gaz: &Gazetteer, toks: &[Token], a: &Mention, b: &Mention) -> Option<Rel> {
    let gap = &toks[a.last + 1..b.first];
    if gap.is_empty() {
        return b.alts[0].has_b.then_some(Rel::In);
    }
    if gap.len() > 3 {
        return None;
    }
    let mut rel = Rel::In;
    for t in gap {
        if t.kind == TokenKind::Punct {
            if gap.len() == 1 && matches!(t.norm.as_str(), "،" | "," | "-" | "(") {
                return Some(Rel::In);
            }
            continue;
        }
        match gaz.cue_of(t) {
            Some(Cue::Near) => rel = Rel::Near,
            Some(Cue::Admin | Cue::Town) => {}
            Some(Cue::Prep) if t.norm == "في" || t.norm == "فى" => {}
            Some(Cue::Prep)
                if matches!(t.norm.as_str(), "التابعه" | "التابع" | "تابع" | "تابعه") =>
                {}
            _ => return None,
        }
    }
    Some(rel)
}

fn ctx_add(ctx: &mut Vec<([u8; 2], f64)>, c: &str, w: f64) {
    let b = c.as_bytes();
    if b.len() != 2 {
        return;
    }
    let c = [b[0], b[1]];
    match ctx.iter_mut().find(|(k, _)| *k == c) {
        Some((_, v)) => *v += w,
        None => ctx.push((c, w)),
    }
}

fn ctx_get(ctx: &[([u8; 2], f64)], c: &str) -> f64 {
    let b = c.as_bytes();
    ctx.iter()
        .find(|(k, _)| b.len() == 2 && k[0] == b[0] && k[1] == b[1])
        .map_or(0.0, |(_, v)| *v)
}

/// Chooses one reading and posting per mention.
fn resolve(
    gaz: &Gazetteer,
    toks: &[Token],
    ms: &[Mention],
    signals: &[[u8; 2]],
) -> Vec<(usize, u32)> {
    // the country context each mention contributes on its own: when all its readings agree
    let own: Vec<Option<(String, f64)>> = ms
        .iter()
        .map(|m| {
            let (_, p0) = m.candidates().next()?;
            let first = gaz.entry(p0);
            let same = m
                .candidates()
                .all(|(_, p)| gaz.entry(p).country == first.country);
            same.then(|| {
                let w = if first.kind == Kind::Country {
                    2.0
                } else {
                    1.0
                };
                (first.country.clone(), w)
            })
        })
        .collect();
    let mut base: Vec<([u8; 2], f64)> = Vec::new();
    for s in signals {
        ctx_add(&mut base, std::str::from_utf8(s).unwrap_or(""), 1.0);
    }
    for m in ms {
        if let Some(c) = m.container {
            ctx_add(&mut base, std::str::from_utf8(&c).unwrap_or(""), 1.0);
        }
    }
    let rels: Vec<Option<Rel>> = ms
        .windows(2)
        .map(|w| relation(gaz, toks, &w[0], &w[1]))
        .collect();
    let single: Vec<bool> = ms.iter().map(|m| m.candidates().nth(1).is_none()).collect();

    let mut chosen: Vec<(usize, u32)> = Vec::with_capacity(ms.len());
    for pass in 0..2 {
        let mut ctx = base.clone();
        if pass == 0 {
            for (c, w) in own.iter().flatten() {
                ctx_add(&mut ctx, c, *w);
            }
        } else {
            for &(_, p) in &chosen {
                let e = gaz.entry(p);
                let w = if e.kind == Kind::Country { 2.0 } else { 1.0 };
                ctx_add(&mut ctx, &e.country, w);
            }
        }
        let total: f64 = ctx.iter().map(|(_, v)| v).sum();
        let mut next = Vec::with_capacity(ms.len());
        for (mi, m) in ms.iter().enumerate() {
            // this mention's own share leaves the context it is scored against
            let mine: Option<(String, f64)> = if pass == 0 {
                own[mi].clone()
            } else {
                let e = gaz.entry(chosen[mi].1);
                Some((
                    e.country.clone(),
                    if e.kind == Kind::Country { 2.0 } else { 1.0 },
                ))
            };
            let first = m.candidates().next().unwrap_or((0, m.alts[0].postings[0]));
            let mut best = (f64::MIN, first);
            if !single[mi] {
                for (a, p) in m.candidates() {
                    let e = gaz.entry(p);
                    let mut s = score(e, p as u8, m);
                    // a reading that takes a one-letter proclitic off is a little less likely
                    if m.alts[a].plen > 0 && !m.alts[a].article {
                        s -= 0.3;
                    }
                    let mut c = ctx_get(&ctx, &e.country);
                    let mut tot = total;
                    if let Some((mc, w)) = &mine {
                        tot -= w;
                        if *mc == e.country {
                            c -= w;
                        }
                    }
                    if tot > 0.0 {
                        s += 4.0 * c / tot;
                    }
                    if pass == 1 {
                        s += related(gaz, &rels, &chosen, &single, mi, e);
                    }
                    if s > best.0 {
                        best = (s, (a, p));
                    }
                }
            }
            next.push(best.1);
        }
        chosen = next;
    }
    chosen
}

/// A candidate's score from its own qualities and the words around its mention.
fn score(e: &Entry, flags: u8, m: &Mention) -> f64 {
    let mut s = crate::compile::prior(e);
    if flags & F_ALIAS != 0 {
        s += 0.7;
    }
    if flags & F_WEAK != 0 {
        s -= 0.5;
    }
    match (m.cue, e.kind) {
        (Some(Cue::Admin), Kind::Admin1 | Kind::Admin2) => s += 3.5,
        (Some(Cue::Admin), _) => s -= 1.0,
        (Some(Cue::Town), Kind::City) => s += 1.0,
        (Some(Cue::Town), Kind::Country | Kind::Admin1) => s -= 1.5,
        (Some(Cue::Capital), Kind::City) => s += 4.0,
        _ => {}
    }
    if let Some(c) = m.container {
        if c == *e.country.as_bytes() {
            s += 6.0;
        } else {
            s -= 3.0;
        }
    }
    s
}

/// Bonus from the places the mention is said to be in or near, and from proximity.
fn related(
    gaz: &Gazetteer,
    rels: &[Option<Rel>],
    chosen: &[(usize, u32)],
    single: &[bool],
    mi: usize,
    e: &Entry,
) -> f64 {
    let mut s = 0.0;
    // the mention after this one contains or anchors it
    if let Some(Some(rel)) = rels.get(mi) {
        let b = gaz.entry(chosen[mi + 1].1);
        s += anchor_bonus(e, b, *rel);
    }
    // this mention contains or anchors the one before it
    if mi > 0 {
        if let Some(rel) = rels[mi - 1] {
            let a = gaz.entry(chosen[mi - 1].1);
            s += 0.5 * anchor_bonus(a, e, rel);
        }
    }
    // proximity to the unambiguous towns and areas of the document
    let (lat, lon) = (f64::from(e.lat), f64::from(e.lon));
    let close = chosen.iter().enumerate().any(|(j, &(_, p))| {
        let o = gaz.entry(p);
        j != mi
            && single[j]
            && matches!(o.kind, Kind::City | Kind::Admin1 | Kind::Admin2)
            && distance_km(lat, lon, f64::from(o.lat), f64::from(o.lon)) < 200.0
    });
    if close {
        s += 1.5;
    }
    s
}

fn anchor_bonus(inner: &Entry, outer: &Entry, rel: Rel) -> f64 {
    match outer.kind {
        Kind::Country => {
            if inner.country == outer.country {
                6.0
            } else {
                -3.0
            }
        }
        Kind::Admin1 => {
            if inner.country != outer.country {
                -3.0
            } else if inner.admin1 == outer.admin1 {
                4.0
            } else {
                2.0
            }
        }
        _ => {
            let d = distance_km(
                f64::from(inner.lat),
                f64::from(inner.lon),
                f64::from(outer.lat),
                f64::from(outer.lon),
            );
            let near = if rel == Rel::Near { 150.0 } else { 80.0 };
            if d < near {
                5.0
            } else if inner.country == outer.country {
                1.0
            } else {
                -2.0
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Gazetteer, Hint, HintKind, Place, Precision};

    fn places(text: &str) -> Vec<Place> {
        let gaz = Gazetteer::builtin().expect("built-in gazetteer");
        gaz.places(text, &marsad_text::analyze(text), &[])
    }

    /// (text, mention as written, geonameid or 0 for an alias entry without one, country)
    const FOUND: &[(&str, &str, u64, &str)] = &[
        // clitics
        ("وصلت التعزيزات بالموصل امس", "الموصل", 99072, "IQ"),
        ("قصف على مواقع وحلب تحت الحصار", "حلب", 170063, "SY"),
        ("عاد الوفد لدمشق مساء", "دمشق", 170654, "SY"),
        // with the article it is the country (يمن alone is stoplisted: "may God grant")
        ("وصل المبعوث إلى اليمن أمس", "اليمن", 69543, "YE"),
        ("وصل الوفد للموصل", "موصل", 99072, "IQ"),
        // ال dropped or added, and the spelling variants the key folds
        ("اشتباكات في الفلوجه", "الفلوجه", 99454, "IQ"),
        ("اشتباكات في الفلوجة", "الفلوجة", 99454, "IQ"),
        ("اجتماع في اربيل", "اربيل", 95446, "IQ"),
        ("اجتماع في أربيل", "أربيل", 95446, "IQ"),
        ("معارك فى مدينة رقة السورية", "رقة", 172955, "SY"),
        // multi-word names
        ("قصف على دير الزور", "دير الزور", 170794, "SY"),
        ("هجوم فى الشيخ زويد", "الشيخ زويد", 353471, "EG"),
        ("سكان حمام العليل", "حمام العليل", 0, "IQ"),
        // local spellings from the alias file
        ("هزيمة فى كوبانى", "كوبانى", 172256, "SY"),
        ("النازحون من البوكمال", "البوكمال", 174448, "SY"),
    ];

    #[test]
    fn finds_names() {
        for (text, mention, id, country) in FOUND {
            let ps = places(text);
            let p = ps
                .iter()
                .find(|p| p.text == *mention)
                .unwrap_or_else(|| panic!("{text}: {mention} not found in {ps:?}"));
            assert_eq!(p.geonameid.unwrap_or(0), *id, "{text}");
            assert_eq!(p.country, *country, "{text}");
        }
    }

    /// The ambiguous names, resolved from context: (text, mention, geonameid).
    const AMBIGUOUS: &[(&str, &str, u64)] = &[
        ("اشتباكات في طرابلس الليبية", "طرابلس", 2210247),
        ("اشتباكات في طرابلس شمال لبنان", "طرابلس", 266826),
        ("تحركات في طرابلس وصيدا", "طرابلس", 266826),
        ("وصل الوفد إلى طرابلس", "طرابلس", 2210247),
        ("قصف منازل في رفح جنوب قطاع غزة", "رفح", 281102),
        ("حملة في الشيخ زويد ورفح المصرية", "رفح", 350350),
        ("قصف على الرقة بسوريا", "الرقة", 172955),
        ("أعلنت الكويت إغلاق منطقة الرقة", "الرقة", 285728),
        ("معارك في القصير بريف حمص", "القصير", 173322),
        ("السياح في القصير على ساحل مصر", "القصير", 360531),
        ("عاد الإيزيديون إلى سنجار غرب نينوى", "سنجار", 448149),
        ("غارات على سنجار في ريف إدلب", "سنجار", 164094),
        ("استضافت العاصمة الأردنية عمان الاجتماع", "عمان", 250441),
        ("زار الوزير سلطنة عمان", "سلطنة عمان", 286963),
        ("جرحى في الرياض وجدة", "جدة", 105343),
        ("غارات على مواقع في محافظة حجة", "حجة", 6201195),
        ("أمطار غزيرة في منطقة الباحة", "الباحة", 109954),
        ("ضرب الإعصار ولاية كارولينا الشمالية", "كارولينا", 4482348),
    ];

    #[test]
    fn ambiguous_names() {
        for (text, mention, id) in AMBIGUOUS {
            let ps = places(text);
            let p = ps
                .iter()
                .find(|p| p.text.contains(mention))
                .unwrap_or_else(|| panic!("{text}: {mention} not found in {ps:?}"));
            assert_eq!(
                p.geonameid,
                Some(*id),
                "{text}: got {} {}",
                p.name_en,
                p.country
            );
        }
    }

    /// Words that must not become places.
    const NOT_PLACES: &[&str] = &[
        "أعلنت الحكومة السورية أمس أن القوات العراقية والمصرية انسحبت",
        "وقال مسؤول إن المدينة شهدت هدوءا بين الطرفين",
        "فتح الباب أمام الحوار مع السلطات",
        "ناقش البنك المركزي الخطة",
        "تحدث أبو بكر عن الإسلام والدين",
        "قال إنه كبيرة جدا وأن الأمر صعب",
        // يمن "may (God) grant", not اليمن
        "ونقل تمنياته بأن يمن الله عليهم بالشفاء العاجل",
        "اعتقلت الشرطة الناشط بحجة الإخلال بالأمن",
        "وقف الطلاب في باحة المدرسة",
        // an adjective (طائرات سعودية), not the country (السعودية)
        "حلقت طائرات سعودية فوق الحدود",
        // a definite adjective after a definite town word: the overlooking city
        "وصلت القوات إلى المدينة المطلة على البحر",
        // عين ("eye", a spring) without its article is not العين
        "نظموا وقفة قرب مبنى الأمم المتحدة في منطقة عين كاوة",
        "أصيب الجندي في عين وفقد الأخرى",
        // the right flank of a front, not Maymana
        "وتقدمت القوات في الميمنة والميسرة على جبهة نهم",
        // the first word of a compound name the gazetteer lacks
        "سيطرت القوات على قرية تل ذياب جنوب البلدة",
    ];

    #[test]
    fn demonyms_and_common_words_are_not_places() {
        for text in NOT_PLACES {
            let ps = places(text);
            assert!(ps.is_empty(), "{text}: {ps:?}");
        }
    }

    #[test]
    fn demonym_right_after_a_place_sets_its_country() {
        let ps = places("هزيمة فى كوبانى السورية");
        assert_eq!(ps.len(), 1);
        assert_eq!(ps[0].country, "SY");
    }

    #[test]
    fn relative_places_are_near() {
        for (text, mention, id) in [
            ("حواجز خارج الموصل", "الموصل", 99072),
            ("مدينة حمام العليل جنوب الموصل", "الموصل", 99072),
            ("قصف على ريف إدلب", "إدلب", 169389),
            ("اشتباكات بريف حلب الشمالي", "حلب", 170063),
        ] {
            let ps = places(text);
            let p = ps.iter().find(|p| p.text == mention).expect(text);
            assert_eq!(p.geonameid, Some(id), "{text}");
            assert_eq!(p.precision, Precision::Near, "{text}");
        }
        let ps = places("اشتباكات في الموصل");
        assert_eq!(ps[0].precision, Precision::Exact);
        // north of a country is in it: the country holds the town the report names later
        let ps = places("اشتباكات في شمال بورما قرب الحدود");
        assert_eq!(ps[0].precision, Precision::Country);
        assert_eq!(places("في العراق")[0].precision, Precision::Country);
        assert_eq!(places("في محافظة نينوى")[0].precision, Precision::Admin1);
        assert_eq!(places("في الشرق الأوسط")[0].precision, Precision::Region);
    }

    #[test]
    fn spans_point_into_the_original() {
        let text = "وصلت التعزيزات بالموصل وحمّام العليل";
        for p in places(text) {
            assert_eq!(&text[p.start..p.end], p.text);
        }
    }

    #[test]
    fn hints_gate_matches() {
        let gaz = Gazetteer::builtin().unwrap();
        // صور (pictures / Tyre) needs place evidence: a LOC hint gives it
        let text = "وصلت صور من هناك";
        let a = marsad_text::analyze(text);
        assert!(gaz.places(text, &a, &[]).is_empty());
        let s = text.find("صور").unwrap();
        let loc = [Hint {
            start: s,
            end: s + "صور".len(),
            kind: HintKind::Loc,
        }];
        assert_eq!(gaz.places(text, &a, &loc)[0].geonameid, Some(267008));
        // a PER hint stops a match
        let text = "قال حلب للصحفيين";
        let a = marsad_text::analyze(text);
        let per = [Hint {
            start: 4,
            end: 4 + "حلب".len(),
            kind: HintKind::Per,
        }];
        assert!(gaz.places(text, &a, &per).is_empty());
    }
}
