//! Participants: entities, role nouns, their genitive chains, nisbas and resolved generic
//! nouns, each with the quantity right before it.

use super::doc::{is_quote, token_range, Doc, Part};
use super::{count_of, Extractor};
use crate::lexicon::RoleHit;
use crate::{Bound, Count};
use marsad_ner::EntityType;
use marsad_text::{Span, TokenKind};

impl Extractor {
    /// Participants: entities, role nouns, their genitive chains, nisbas and resolved
    /// generic nouns (التنظيم).
    pub(super) fn participants(&self, d: &Doc, entities: &[marsad_ner::Entity]) -> Vec<Part> {
        // one slot per token: which raw participant covers it
        let mut raw = self.entity_parts(d, entities);
        self.add_role_parts(d, &mut raw);
        raw.sort_by_key(|p| p.t0);
        let resolved = self.resolve_org_nouns(d, &raw);
        let mut out = self.genitive_chains(d, &resolved);
        quantities_before(d, &mut out);
        self.counted_people(d, &mut out);
        self.duals(d, &mut out);
        // in text order, which the look-ups by position rely on
        debug_assert!(out.windows(2).all(|w| w[0].t0 <= w[1].t0));
        out
    }

    /// Gives a participant named by the dual of a role noun (جنديين، طفلتان) the count two,
    /// when no quantity counts it.
    fn duals(&self, d: &Doc, parts: &mut [Part]) {
        for p in parts.iter_mut().filter(|p| p.count.is_none()) {
            if self.role_at(d, p.t0).is_some_and(|(h, _)| h.dual) {
                p.count = Some(Count {
                    value: 2,
                    approximate: false,
                    bound: Bound::Exact,
                });
            }
        }
    }

    /// Adds the quantities in words that name people by themselves ("تظاهر الآلاف أمام
    /// البرلمان"، "اعتقلت الشرطة خمسة") or with a nisba ("مقتل ثلاثة لبنانيين") as participants
    /// with that count, keeping `parts` in text order. A quantity in digits is left alone (years,
    /// percentages and sums are written so), and so is one followed by a word it may count or by
    /// a partitive من with a noun ("العشرات منهم" stands alone).
    fn counted_people(&self, d: &Doc, parts: &mut Vec<Part>) {
        let n = d.tokens.len();
        let mut added = false;
        for (a, b, q) in &d.quantities {
            let (a, b) = (*a, *b);
            let overlaps = |x: usize, y: usize| x < b && a < y;
            if d.tokens[a].kind != TokenKind::Word
                || parts.iter().any(|p| overlaps(p.t0, p.t1))
                || d.dates.iter().any(|(x, y, _)| overlaps(*x, *y))
            {
                continue;
            }
            let nisba = (b < n && d.clause[b] == d.clause[a])
                .then(|| {
                    let st = d.stem[b];
                    (st.ends_with("ين") || st.ends_with("ون"))
                        .then(|| self.lex.nisba_country(st))
                        .flatten()
                })
                .flatten();
            let alone = b >= n
                || d.clause[b] != d.clause[a]
                || d.tokens[b].kind == TokenKind::Punct
                || (d.is_word(b, &d.words.preps)
                    && (!d.is(b, "من") || !d.tokens[b].suffixes.is_empty()))
                || d.tokens[b]
                    .prefixes
                    .iter()
                    .any(|p| matches!(*p, "ب" | "ل" | "ك"))
                || d.dates.iter().any(|(x, _, _)| *x == b);
            if nisba.is_none() && !alone {
                continue;
            }
            let t1 = if nisba.is_some() { b + 1 } else { b };
            parts.push(Part {
                t0: a,
                t1,
                span: Span::new(d.word_start(a), d.tokens[t1 - 1].end),
                role: None,
                armed: false,
                victim: false,
                singular: false,
                entity_id: None,
                name_en: None,
                country: nisba.map(str::to_string),
                org: false,
                count: Some(count_of(q)),
                named: false,
            });
            added = true;
        }
        if added {
            parts.sort_by_key(|p| p.t0);
        }
    }

    /// The organizations and persons the NER stage found, in its order.
    fn entity_parts(&self, d: &Doc, entities: &[marsad_ner::Entity]) -> Vec<Part> {
        let mut raw: Vec<Part> = Vec::new();
        for e in entities {
            if !matches!(e.kind, EntityType::Org | EntityType::Per) {
                continue;
            }
            if let Some((a, b)) = token_range(d.tokens, e.start, e.end) {
                // a name the actor list does not know right after equipment (عربة "بي أم
                // بي") is its model; a known side there is its owner (مقاتلات التحالف)
                let quoted = a > 0 && is_quote(d.text, &d.tokens[a - 1]);
                let before = a.checked_sub(if quoted { 2 } else { 1 });
                if e.entity_id.is_none() && before.is_some_and(|j| d.is_word(j, &d.words.equipment))
                {
                    continue;
                }
                let role = if e.kind == EntityType::Org {
                    // a named group the role list knows keeps its role
                    self.role_at(d, a)
                        .and_then(|(r, _)| self.lex.roles[r.entry].role.clone())
                } else {
                    None
                };
                let armed = self
                    .role_at(d, a)
                    .is_some_and(|(r, _)| self.lex.roles[r.entry].armed);
                raw.push(Part {
                    t0: a,
                    t1: b,
                    span: Span::new(e.start, e.end),
                    role,
                    armed,
                    victim: false,
                    singular: e.kind == EntityType::Per,
                    entity_id: e.entity_id.clone(),
                    name_en: e.name_en.clone(),
                    country: None,
                    org: e.kind == EntityType::Org,
                    count: None,
                    named: true,
                });
            }
        }
        raw
    }

    /// Appends the role nouns (الجيش، مسلحون) on the tokens no entity covers, left to right.
    fn add_role_parts(&self, d: &Doc, raw: &mut Vec<Part>) {
        let n = d.tokens.len();
        // the tokens the entities cover (a role noun is added past the one before it)
        let mut covered = vec![false; n];
        for p in raw.iter() {
            covered[p.t0.min(n)..p.t1.min(n)].fill(true);
        }
        let mut i = 0;
        while i < n {
            if covered[i] {
                i += 1;
                continue;
            }
            if let Some((hit, len)) = self.role_at(d, i) {
                let r = &self.lex.roles[hit.entry];
                raw.push(Part {
                    t0: i,
                    t1: i + len,
                    span: Span::new(d.word_start(i), d.tokens[i + len - 1].end),
                    role: r.role.clone(),
                    armed: r.armed,
                    victim: r.victim,
                    singular: hit.singular,
                    entity_id: None,
                    name_en: r.name_en.clone(),
                    country: None,
                    org: r.name_en.is_some(),
                    count: None,
                    named: false,
                });
                i += len;
                continue;
            }
            i += 1;
        }
    }

    /// The participants in text order, with each generic noun (التنظيم) resolved to the
    /// organization the article names with that noun ("تنظيم داعش"), else to the one it names
    /// most often before.
    fn resolve_org_nouns(&self, d: &Doc, raw: &[Part]) -> Vec<Part> {
        let n = d.tokens.len();
        let titled = self.titled_orgs(d, raw);
        let mut seen: Vec<(String, usize, Part)> = Vec::new();
        let mut resolved: Vec<Part> = Vec::new();
        let mut last_org: Option<Part> = None;
        let mut ri = 0;
        let mut i = 0;
        while i < n {
            if ri < raw.len() && raw[ri].t0 == i {
                if raw[ri].org {
                    let id = d.ident(&raw[ri]);
                    match seen.iter_mut().find(|(n, _, _)| *n == id) {
                        Some(x) => x.1 += 1,
                        None => seen.push((id, 1, raw[ri].clone())),
                    }
                    // the most often named so far (the latest among equals)
                    last_org = seen
                        .iter()
                        .rev()
                        .max_by_key(|(_, n, _)| *n)
                        .map(|(_, _, p)| p.clone());
                }
                resolved.push(raw[ri].clone());
                i = raw[ri].t1;
                ri += 1;
                continue;
            }
            let t = &d.tokens[i];
            let next_is_named = raw.get(ri).is_some_and(|p| p.t0 == i + 1 && p.org);
            if t.has_article() && self.lex.cues.org_nouns.has(d.stem[i]) && !next_is_named {
                let titled_org = titled.iter().find(|(n, _)| *n == d.stem[i]).map(|(_, p)| p);
                if let Some(o) = titled_org.or(last_org.as_ref()) {
                    let mut p = o.clone();
                    p.t0 = i;
                    p.t1 = i + 1;
                    p.span = t.span();
                    resolved.push(p);
                }
            }
            i += 1;
        }
        resolved
    }

    /// Each organization noun (تنظيم) with the first organization the article names with it
    /// ("تنظيم داعش").
    fn titled_orgs(&self, d: &Doc, raw: &[Part]) -> Vec<(String, Part)> {
        let mut titled: Vec<(String, Part)> = Vec::new();
        for p in raw.iter().filter(|p| p.org && p.t0 >= 1) {
            let prev = &d.stem[p.t0 - 1];
            if !d.tokens[p.t0 - 1].has_article()
                && self.lex.cues.org_nouns.has(prev)
                && !titled.iter().any(|(n, _)| n == prev)
            {
                titled.push((prev.to_string(), p.clone()));
            }
        }
        titled
    }

    /// Genitive chains joined into one participant: قيادات داعش، قوات البشمرجة، الطيار الأردني
    /// "معاذ الكساسبة".
    fn genitive_chains(&self, d: &Doc, resolved: &[Part]) -> Vec<Part> {
        let mut out: Vec<Part> = Vec::new();
        let mut k = 0;
        while k < resolved.len() {
            let mut p = resolved[k].clone();
            k += 1;
            // a person's name heads no genitive: "ستيف بلوك مجلس الأمن" is a name ending where
            // an organization's begins (a second name may go on the first)
            let person = |q: &Part| q.named && !q.org && q.role.is_none();
            let mut ends_in_name = person(&p);
            loop {
                let j = self.skip_nisbas(d, &mut p);
                let Some(next) = resolved.get(k) else {
                    // the last participant keeps its nisbas too
                    extend_to(&mut p, j, d);
                    break;
                };
                // a prepositional or conjoined phrase is not a genitive, and the head of a
                // genitive has neither the article nor the ن of a sound plural ("فرقت الشرطة
                // المتظاهرين"، "هاجم مسلحون عناصر الشرطة" are subject and object) unless a name
                // stands in apposition ("الوزير الأسبق خالد سالم")
                let last = &d.tokens[j - 1];
                let construct = !last.has_article()
                    && (p.named || !(last.stem.ends_with("ون") || last.stem.ends_with("ين")));
                // a definite feminine nisba after a definite plural agrees with it as its
                // adjective: "القوات الحكومية"، "الأجهزة الأمنية" are one participant
                let adjective = last.has_article()
                    && !p.named
                    && !next.named
                    && next.t1 == next.t0 + 1
                    && d.tokens[next.t0].prefixes == ["ال"]
                    && d.stem[next.t0].ends_with("يه");
                let joins = next.t0 == j
                    && d.clause[next.t0] == d.clause[p.t0]
                    && !d.tokens[next.t0].prefixes.iter().any(|x| *x != "ال")
                    && (construct || next.named || adjective)
                    && (!ends_in_name || person(next));
                if !joins {
                    extend_to(&mut p, j, d);
                    break;
                }
                let n2 = next.clone();
                ends_in_name = person(&n2);
                k += 1;
                join_genitive(&mut p, n2);
            }
            // whom it serves belongs to its name: "القوات الموالية لهادي"; named or not, the
            // allegiance is ("أعلن المتحدث باسم القوات الموالية")
            let j = p.t1;
            let allegiance = j < d.tokens.len()
                && p.role.is_some()
                && d.tokens[j - 1].has_article()
                && d.clause[j] == d.clause[p.t0]
                && d.tokens[j].has_article()
                && d.is_word(j, &d.words.affiliations);
            if allegiance
                && !(j + 1 < d.tokens.len()
                    && d.clause[j + 1] == d.clause[p.t0]
                    && d.tokens[j + 1].prefixes.first() == Some(&"ل"))
            {
                p.t1 = j + 1;
                p.span.end = d.tokens[j].end;
            } else if allegiance {
                let end = match resolved.get(k) {
                    Some(q) if q.t0 == j + 1 => {
                        k += 1;
                        q.t1
                    }
                    _ => j + 2,
                };
                p.t1 = end;
                p.span.end = d.tokens[end - 1].end;
            }
            trim_quote_end(&mut p, d);
            out.push(p);
        }
        out
    }

    /// Skips the nisbas and quote marks after the head (up to three tokens), giving `p` the
    /// country of the first nisba when it has none; returns the token after them.
    fn skip_nisbas(&self, d: &Doc, p: &mut Part) -> usize {
        let n = d.tokens.len();
        let mut j = p.t1;
        while j < n && j < p.t1 + 3 {
            if let Some(c) = self.lex.nisba_country(d.stem[j]) {
                if p.country.is_none() {
                    p.country = Some(c.to_string());
                }
                j += 1;
            } else if is_quote(d.text, &d.tokens[j]) {
                j += 1;
            } else if p.role.is_some()
                && d.tokens[j - 1].has_article()
                && d.tokens[j].prefixes == ["ال"]
                && d.clause[j] == d.clause[p.t0]
                && d.is_word(j, &d.words.body_adjectives)
            {
                // a definite feminine adjective agrees with a definite body: "القوات الشرعية"
                j += 1;
            } else {
                break;
            }
        }
        j
    }

    /// The role noun starting at token `i`: the longest one, and its length in tokens.
    fn role_at<'l>(&'l self, d: &Doc, i: usize) -> Option<(&'l RoleHit, usize)> {
        let mut best: Option<(&RoleHit, usize)> = None;
        for k in [&d.stem[i], &d.alt[i]] {
            let Some(hits) = self.lex.role_forms.get(*k) else {
                continue;
            };
            for h in hits {
                if h.article && !d.tokens[i].has_article() && !d.tokens[i].norm.contains("ال") {
                    continue;
                }
                if h.rest.iter().enumerate().all(|(m, w)| d.is(i + 1 + m, w)) {
                    let len = 1 + h.rest.len();
                    if best.is_none_or(|(_, l)| len > l) {
                        best = Some((h, len));
                    }
                }
            }
        }
        best
    }
}

/// Extends the head `p` of a genitive chain over the participant `n2` right after it.
fn join_genitive(p: &mut Part, n2: Part) {
    p.t1 = n2.t1;
    p.span.end = n2.span.end;
    // the head's role, the named one's identity
    if p.role.is_none() || p.role.as_deref() == Some("members") {
        p.role = n2.role.clone().or(p.role.take());
    }
    p.armed |= n2.armed;
    if n2.name_en.is_some() || n2.entity_id.is_some() {
        p.name_en = n2.name_en.clone();
        p.entity_id = n2.entity_id.clone();
        p.org |= n2.org;
    }
    p.country = p.country.take().or(n2.country);
    p.victim &= n2.victim;
}

/// Gives each participant the quantity right before it (15 من قيادات، ستة مدنيين), or the one
/// that takes the noun in ("10 أشخاص"); the last such quantity wins.
fn quantities_before(d: &Doc, parts: &mut [Part]) {
    // the quantities are in text order and do not overlap: the ones that end right before a
    // participant or hold its first word are the last one or two that start before it
    for p in parts {
        let upto = d.quantities.partition_point(|(a, _, _)| *a < p.t0);
        let from = (0..upto)
            .rev()
            .take_while(|&k| d.quantities[k].1 + 1 >= p.t0)
            .last()
            .unwrap_or(upto);
        for (a, b, q) in d.quantities[from..upto]
            .iter()
            .filter(|(_, _, q)| q.is_count())
        {
            let (a, b) = (*a, *b);
            // or a quantity that takes the noun in ("10 أشخاص")
            if b == p.t0 || (b + 1 == p.t0 && d.is(b, "من")) || (a < p.t0 && p.t0 < b) {
                p.count = Some(count_of(q));
            }
        }
    }
}

/// Extends `p` over the nisbas and adjectives after it, up to token `j`.
fn extend_to(p: &mut Part, j: usize, d: &Doc) {
    if j > p.t1 {
        p.t1 = j;
        p.span.end = d.tokens[j - 1].end;
        trim_quote_end(p, d);
    }
}

fn trim_quote_end(p: &mut Part, d: &Doc) {
    // keep a closing quote only when the phrase has an opening one
    while p.t1 > p.t0 + 1 && is_quote(d.text, &d.tokens[p.t1 - 1]) {
        let opens = (p.t0..p.t1 - 1)
            .filter(|&j| is_quote(d.text, &d.tokens[j]))
            .count();
        if opens % 2 == 1 {
            break;
        }
        p.t1 -= 1;
        p.span.end = d.tokens[p.t1 - 1].end;
    }
}
