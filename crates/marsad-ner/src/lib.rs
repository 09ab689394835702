//! Arabic named-entity recognition for marsad: a trainable sequence tagger (PER, LOC, ORG, MISC)
//! over the tokens of `marsad-text`.
#![deny(missing_docs)]

pub mod clusters;
pub mod conll;
pub mod doc;
pub mod embed;
mod error;
pub mod eval;
pub mod features;
pub mod gazetteer;
pub mod hash;
pub mod lexicon;
pub mod link;
pub mod model;
pub mod recipe;
pub mod sources;
pub mod tags;
pub mod train;

pub use error::{BoxError, NerError};

use clusters::Clusters;
use doc::{DocConfig, DocTagger};
use features::{Resources, WordInfo};
use gazetteer::Gazetteer;
use lexicon::TypeLexicon;
use link::Linker;
use model::{Lattice, Weights};
use std::collections::HashMap;
use std::sync::OnceLock;
use tags::NT;

/// A token as spelled and analysed: its text, stem, proclitics and enclitics.
type Spelling<'a> = (&'a str, &'a str, &'a [&'static str], &'a [&'static str]);

pub use marsad_record::{Entity, EntityType};

/// The entity type of a tag-set type index (PERS, LOC, ORG, MISC).
fn type_of_index(k: usize) -> EntityType {
    match k {
        0 => EntityType::Per,
        1 => EntityType::Loc,
        2 => EntityType::Org,
        _ => EntityType::Misc,
    }
}

/// The model compiled into the crate (`models/ner.bin`, empty until trained).
static MODEL: &[u8] = include_bytes!("../../../models/ner.bin");
/// The word clusters compiled into the crate (`models/clusters.bin`).
static CLUSTERS: &[u8] = include_bytes!("../../../models/clusters.bin");
/// The hand-kept entity list.
static ENTITIES: &str = include_str!("../../../data/ner/entities.tsv");
/// Organization cue words.
pub static ORG_CUES: &str = include_str!("../../../data/ner/org-cues.txt");
/// Words that introduce a quoted title.
pub static TITLE_CUES: &str = include_str!("../../../data/ner/title-cues.txt");
/// Sports words.
pub static SPORT_CUES: &str = include_str!("../../../data/ner/sport-cues.txt");
/// Hand-listed organization names (clubs, bodies, companies, media, parties).
pub static ORG_NAMES: &str = include_str!("../../../data/ner/org-names.txt");
/// Hand-listed names ANERcorp tags MISC (tournaments, prizes, wars, religions, currencies …).
pub static MISC_NAMES: &str = include_str!("../../../data/ner/misc-names.txt");
/// Name-link words (بن، أبو، عبد …): inside a name, always followed by more of it.
pub static NAME_LINKS: &str = include_str!("../../../data/ner/name-links.txt");
/// Hand-listed place names for the gazetteer.
pub static PLACES_EXTRA: &str = include_str!("../../../data/ner/places-extra.txt");

const MAGIC: &[u8; 8] = b"MNER\x00\x00\x00\x02";

/// Most cached word types in a [`Session`] before the cache is emptied (keeps memory flat).
const CACHE_MAX: usize = 400_000;

/// A trained tagger: weights (one table per view), name lists, word clusters and the entity list.
///
/// A view is the annotation convention of one training corpus (see [`train::Config::views`]):
/// view 0 is ANERcorp's (news; what [`Tagger::entities`] and [`Tagger::session`] use), view 1
/// AQMAR's (Wikipedia, with many more MISC names) when the model was trained with it.
pub struct Tagger {
    weights: Vec<Weights>,
    gazetteer: Gazetteer,
    lexicon: TypeLexicon,
    clusters: Clusters,
    clusters_hash: u64,
    linker: Linker,
}

/// The lines of a data file that are not blank or comments.
pub fn data_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

fn builtin_linker() -> Result<Linker, NerError> {
    Linker::parse(ENTITIES, "data/ner/entities.tsv")
}

/// The entry of the built-in entity list with canonical id `id` (country, sector, Wikidata id).
pub fn listed(id: &str) -> Option<&'static link::Listed> {
    static LIST: OnceLock<Option<Linker>> = OnceLock::new();
    // a malformed list fails every tagger's construction with its line; here it lists nothing
    LIST.get_or_init(|| builtin_linker().ok())
        .as_ref()?
        .by_id(id)
}

impl Tagger {
    /// A tagger from trained weights (one table per view, at least one), the gazetteer and the
    /// clusters it was trained with.
    pub fn new(
        weights: Vec<Weights>,
        gazetteer: Gazetteer,
        clusters: Clusters,
        clusters_bytes: &[u8],
    ) -> Result<Self, NerError> {
        if weights.is_empty() {
            return Err(NerError::BadModel("no weights".to_string()));
        }
        Ok(Tagger {
            weights,
            gazetteer,
            lexicon: TypeLexicon::new(),
            clusters,
            clusters_hash: hash::str_hash_bytes(clusters_bytes),
            linker: builtin_linker()?,
        })
    }

    /// Loads a tagger from model bytes ([`Tagger::to_bytes`]) and the cluster bytes it was
    /// trained with.
    pub fn from_bytes(model: &[u8], clusters: &[u8]) -> Result<Self, NerError> {
        if model.is_empty() {
            return Err(NerError::NoModel);
        }
        let bad = |m: &str| NerError::BadModel(m.to_string());
        let rest = model
            .strip_prefix(MAGIC.as_slice())
            .ok_or_else(|| bad("not a marsad NER model of this version"))?;
        let ch = u64::from_le_bytes(
            rest.get(..8)
                .and_then(|b| b.try_into().ok())
                .ok_or_else(|| bad("truncated"))?,
        );
        if ch != hash::str_hash_bytes(clusters) {
            return Err(bad(
                "the model was trained with other word clusters: retrain it",
            ));
        }
        let n_views = *rest.get(8).ok_or_else(|| bad("truncated"))?;
        if n_views == 0 {
            return Err(bad("no weights"));
        }
        let mut rest = &rest[9..];
        let mut weights = Vec::with_capacity(usize::from(n_views));
        for _ in 0..n_views {
            let (w, r) = Weights::from_bytes(rest).ok_or_else(|| bad("truncated weights"))?;
            weights.push(w);
            rest = r;
        }
        let (gazetteer, rest) =
            Gazetteer::from_bytes(rest).ok_or_else(|| bad("truncated gazetteer"))?;
        let (lexicon, rest) =
            TypeLexicon::from_bytes(rest).ok_or_else(|| bad("truncated type lexicon"))?;
        if !rest.is_empty() {
            return Err(bad("trailing bytes"));
        }
        Ok(Tagger {
            weights,
            gazetteer,
            lexicon,
            clusters: Clusters::from_bytes(clusters.to_vec())?,
            clusters_hash: ch,
            linker: builtin_linker()?,
        })
    }

    /// The model file's bytes (the clusters are stored apart, only their hash is kept).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&self.clusters_hash.to_le_bytes());
        out.push(self.weights.len() as u8);
        for w in &self.weights {
            w.to_bytes(&mut out);
        }
        self.gazetteer.to_bytes(&mut out);
        self.lexicon.to_bytes(&mut out);
        out
    }

    /// The tagger with a self-trained type lexicon (its weights must have been trained with it).
    pub fn with_lexicon(mut self, lexicon: TypeLexicon) -> Self {
        self.lexicon = lexicon;
        self
    }

    /// The self-trained type lexicon (empty when the model has none).
    pub fn lexicon(&self) -> &TypeLexicon {
        &self.lexicon
    }

    /// The tagger compiled into the crate, loaded once.
    pub fn builtin() -> Result<&'static Tagger, NerError> {
        static T: OnceLock<Result<Tagger, String>> = OnceLock::new();
        let r = T.get_or_init(|| {
            if MODEL.is_empty() {
                return Err(String::new());
            }
            Tagger::from_bytes(MODEL, CLUSTERS).map_err(|e| e.to_string())
        });
        match r {
            Ok(t) => Ok(t),
            Err(e) if e.is_empty() => Err(NerError::NoModel),
            Err(e) => Err(NerError::BadModel(e.clone())),
        }
    }

    /// The built-in word clusters' bytes.
    pub fn builtin_cluster_bytes() -> &'static [u8] {
        CLUSTERS
    }

    /// What the features look words up in.
    pub fn resources(&self) -> Resources<'_> {
        Resources {
            clusters: &self.clusters,
            gazetteer: &self.gazetteer,
            lexicon: &self.lexicon,
        }
    }

    /// Number of weighted features (of view 0).
    pub fn features(&self) -> usize {
        self.weights[0].len()
    }

    /// Number of views (annotation conventions) the model has.
    pub fn views(&self) -> usize {
        self.weights.len()
    }

    /// The entity list.
    pub fn linker(&self) -> &Linker {
        &self.linker
    }

    /// The emission scores of a sentence given its word infos in view `view` (0 when out of
    /// range): one row of tag scores per word, into `em`.
    pub fn emissions(
        &self,
        infos: &[WordInfo],
        view: usize,
        buf: &mut Buffers,
        em: &mut Vec<[f32; NT]>,
    ) {
        let weights = self.weights.get(view).unwrap_or(&self.weights[0]);
        let infos = if view != 0 && view < self.weights.len() {
            buf.masked.clear();
            buf.masked.extend_from_slice(infos);
            buf.spans
                .compute_without_names(&mut buf.masked, &self.gazetteer);
            &buf.masked[..]
        } else {
            buf.spans.compute(infos, &self.gazetteer);
            infos
        };
        em.clear();
        for i in 0..infos.len() {
            buf.feats.clear();
            features::extract(infos, &buf.spans, i, &mut buf.feats);
            let mut e = [0f32; NT];
            weights.emit(&buf.feats, &mut e);
            em.push(e);
        }
    }

    /// The tag-transition scores of view `view` (0 when out of range).
    pub fn transitions(&self, view: usize) -> &[[f32; NT]; NT + 1] {
        self.weights.get(view).unwrap_or(&self.weights[0]).trans()
    }

    /// Tags a sentence given its word infos in view `view` (0 when out of range); `out` gets one
    /// tag index per word. Names are kept whole across name-link words ([`NAME_LINKS`]).
    pub fn tag_infos(&self, infos: &[WordInfo], view: usize, buf: &mut Buffers, out: &mut Vec<u8>) {
        self.decode(infos, view, true, buf, out);
    }

    /// [`Tagger::tag_infos`], with the name-link constraint only when `links`.
    fn decode(
        &self,
        infos: &[WordInfo],
        view: usize,
        links: bool,
        buf: &mut Buffers,
        out: &mut Vec<u8>,
    ) {
        let mut em = std::mem::take(&mut buf.em);
        self.emissions(infos, view, buf, &mut em);
        model::viterbi(
            &em,
            self.transitions(view),
            |i| links && infos[i].link,
            &mut buf.lattice,
            out,
        );
        buf.em = em;
    }

    /// The document-level settings the model ships with ([`doc::DocConfig`]).
    pub fn doc_config(&self) -> DocConfig {
        DocConfig::default()
    }

    /// A tagging session over raw tokens (view 0), with a word cache and reusable buffers.
    pub fn session(&self) -> Session<'_> {
        self.session_in(0)
    }

    /// A tagging session in view `view` (see [`Tagger`]; 0 when the model has no such view).
    pub fn session_in(&self, view: usize) -> Session<'_> {
        Session {
            tagger: self,
            view: if view < self.weights.len() { view } else { 0 },
            cache: HashMap::default(),
            infos: Vec::new(),
            buf: Buffers::default(),
        }
    }

    /// The entities of a document: the tagger's spans sentence by sentence, linked to the
    /// entity list, plus listed names the tagger missed. Spans leave out proclitics (و ب ل ك ف)
    /// but keep the article as written, and leave out enclitics.
    pub fn entities(&self, text: &str, analysis: &marsad_text::TextAnalysis) -> Vec<Entity> {
        self.entities_with(text, analysis, self.doc_config())
    }

    /// [`Tagger::entities`] with other document-level settings.
    pub fn entities_with(
        &self,
        text: &str,
        analysis: &marsad_text::TextAnalysis,
        cfg: DocConfig,
    ) -> Vec<Entity> {
        let mut out = Vec::new();
        // per entity of `out`: the listed entity it links to and whether by a short form
        let mut links: Vec<Link> = Vec::new();
        let res = self.resources();
        // the whole article is the document: every sentence is tagged in its context first
        let mut doc = DocTagger::new(self, 0, cfg);
        let n = analysis.sentences.len();
        let mut sent_tags: Vec<Vec<u8>> = vec![Vec::new(); n];
        // a word's info depends on its spelling and analysis alone: each one is worked out once
        // per article (في، من and the article's names come back again and again)
        let mut seen: marsad_text::fxhash::FxMap<Spelling<'_>, WordInfo> = Default::default();
        let sent_infos: Vec<Vec<WordInfo>> = (0..n)
            .map(|si| {
                analysis.tokens[analysis.sentence_tokens(si)]
                    .iter()
                    .map(|t| {
                        let key = (
                            t.text(text),
                            t.stem.as_str(),
                            t.prefixes.as_slice(),
                            t.suffixes.as_slice(),
                        );
                        *seen
                            .entry(key)
                            .or_insert_with(|| WordInfo::of_token(t, text, res))
                    })
                    .collect()
            })
            .collect();
        for (si, infos) in sent_infos.iter().enumerate() {
            doc.push(infos, si);
        }
        doc.flush();
        while let Some((i, t)) = doc.pop() {
            sent_tags[i] = t;
        }
        for (si, (tags, infos)) in sent_tags.iter().zip(&sent_infos).enumerate() {
            let toks = &analysis.tokens[analysis.sentence_tokens(si)];
            let mut spans: Vec<(usize, usize, EntityType, Link)> = eval::chunks(tags)
                .into_iter()
                .map(|c| {
                    let linked = self
                        .linker
                        .match_at(infos, c.start, c.end)
                        .filter(|m| m.end == c.end);
                    let kind =
                        linked.map_or(type_of_index(c.kind), |m| self.linker.entity(m.entity).kind);
                    (c.start, c.end, kind, linked.map(|m| (m.entity, m.short)))
                })
                .collect();
            for m in self.linker.matches(infos) {
                if !m.add {
                    continue;
                }
                let overlapping: Vec<usize> = (0..spans.len())
                    .filter(|&j| spans[j].0 < m.end && m.start < spans[j].1)
                    .collect();
                let inside = overlapping
                    .iter()
                    .all(|&j| m.start <= spans[j].0 && spans[j].1 <= m.end);
                let same = overlapping.len() == 1
                    && (spans[overlapping[0]].0, spans[overlapping[0]].1) == (m.start, m.end);
                // an unlinked tagger span around a listed name ("قوات البشمرجة") gives way to it
                let around = overlapping.len() == 1 && {
                    let sp = spans[overlapping[0]];
                    sp.3.is_none() && sp.0 <= m.start && m.end <= sp.1
                };
                if same || !(inside || around) {
                    continue;
                }
                for &j in overlapping.iter().rev() {
                    spans.remove(j);
                }
                let kind = self.linker.entity(m.entity).kind;
                spans.push((m.start, m.end, kind, Some((m.entity, m.short))));
            }
            spans.sort_by_key(|s| s.0);
            for (a, b, kind, linked) in spans {
                let start = entity_start(&toks[a], text);
                let end = entity_end(&toks[b - 1], text).max(start);
                let listed = linked.map(|(e, _)| self.linker.entity(e));
                links.push(linked);
                out.push(Entity {
                    start,
                    end,
                    text: text[start..end].to_string(),
                    kind,
                    entity_id: listed.map(|l| l.id.clone()),
                    name_en: listed.map(|l| l.name_en.clone()),
                });
            }
        }
        self.relink_short_forms(&mut out, &links);
        out
    }

    /// One sense per discourse: a short form (التحالف) of an entity the document names only so
    /// becomes the one listed entity the document names by a longer name that begins with it
    /// (التحالف العربي); with none, or several, it stays as listed.
    fn relink_short_forms(&self, out: &mut [Entity], links: &[Link]) {
        let named: Vec<u32> = links
            .iter()
            .flatten()
            .filter(|(_, short)| !short)
            .map(|(e, _)| *e)
            .collect();
        for (ent, link) in out.iter_mut().zip(links) {
            let Some((e, true)) = *link else { continue };
            if named.contains(&e) {
                continue;
            }
            let mut by = self
                .linker
                .extended_by(e)
                .iter()
                .filter(|b| named.contains(b));
            if let (Some(&b), None) = (by.next(), by.next()) {
                let listed = self.linker.entity(b);
                ent.entity_id = Some(listed.id.clone());
                ent.name_en = Some(listed.name_en.clone());
                ent.kind = listed.kind;
            }
        }
    }
}

/// The listed entity a span links to, and whether by a short form.
type Link = Option<(u32, bool)>;

/// Where an entity starting with token `t` starts: after its proclitics other than the article.
fn entity_start(t: &marsad_text::Token, text: &str) -> usize {
    let p = &t.prefixes;
    if p.is_empty() || p.as_slice() == ["ال"] {
        return t.start;
    }
    let elided = p.windows(2).any(|w| w == ["ل", "ال"]) && !t.norm.contains("لال");
    if elided || p.last() != Some(&"ال") {
        return t.stem_span(text).start;
    }
    // skip the one-letter proclitics before the article
    let skip = p.len() - 1;
    let mut seen = 0;
    for (i, c) in t.text(text).char_indices() {
        if marsad_text::normalize::is_dropped(c) {
            continue;
        }
        if seen == skip {
            return t.start + i;
        }
        seen += 1;
    }
    t.start
}

/// Where an entity ending with token `t` ends: before its enclitics.
fn entity_end(t: &marsad_text::Token, text: &str) -> usize {
    if t.suffixes.is_empty() {
        t.end
    } else {
        t.stem_span(text).end
    }
}

/// Buffers reused across sentences.
#[derive(Debug, Default)]
pub struct Buffers {
    spans: features::Marks,
    feats: Vec<u64>,
    em: Vec<[f32; NT]>,
    lattice: Lattice,
    /// The word infos with the hand-listed names hidden, for views other than ANERcorp's.
    masked: Vec<WordInfo>,
}

/// Tags sentences of raw tokens with a cache of word infos.
pub struct Session<'a> {
    tagger: &'a Tagger,
    view: usize,
    cache: HashMap<String, WordInfo, xxhash_rust::xxh3::Xxh3DefaultBuilder>,
    infos: Vec<WordInfo>,
    buf: Buffers,
}

impl Session<'_> {
    /// Tags one sentence of raw tokens; `out` gets one tag index per token ([`tags::TAGS`]).
    pub fn tag<S: AsRef<str>>(&mut self, tokens: &[S], out: &mut Vec<u8>) {
        self.infos_of(tokens);
        self.tagger
            .tag_infos(&self.infos, self.view, &mut self.buf, out);
    }

    /// [`Session::tag`] without the name-link constraint: the model's own decisions, which the
    /// self-training lexicon counts (`models/ner.experiments.md`: counted with the constraint,
    /// the lexicon scored lower on every measure).
    pub fn tag_unlinked<S: AsRef<str>>(&mut self, tokens: &[S], out: &mut Vec<u8>) {
        self.infos_of(tokens);
        self.tagger
            .decode(&self.infos, self.view, false, &mut self.buf, out);
    }

    /// The word infos of one sentence of raw tokens (through the session's cache), e.g. for a
    /// [`DocTagger`].
    pub fn infos_of<S: AsRef<str>>(&mut self, tokens: &[S]) -> &[WordInfo] {
        if self.cache.len() > CACHE_MAX {
            self.cache.clear();
        }
        let res = self.tagger.resources();
        self.infos.clear();
        for t in tokens {
            let t = t.as_ref();
            let info = match self.cache.get(t) {
                Some(i) => *i,
                None => {
                    let i = WordInfo::of_raw(t, res);
                    self.cache.insert(t.to_string(), i);
                    i
                }
            };
            self.infos.push(info);
        }
        &self.infos
    }

    /// The stem-key hashes of the tokens of the sentence last tagged.
    pub fn stems(&self) -> impl Iterator<Item = u64> + '_ {
        self.infos.iter().map(|i| i.stem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_spans_drop_proclitics_but_keep_the_article() {
        let text = "رسوم معادية لداعش ووالبشمرجة وبالموصل";
        let a = marsad_text::analyze(text);
        let want = ["رسوم", "معادية", "داعش"];
        for (t, w) in a.tokens.iter().zip(want) {
            assert_eq!(&text[entity_start(t, text)..entity_end(t, text)], w);
        }
        let t = a
            .tokens
            .iter()
            .find(|t| t.text(text) == "وبالموصل")
            .unwrap();
        assert_eq!(&text[entity_start(t, text)..t.end], "الموصل");
    }

    #[test]
    fn hand_listed_names_count_in_anercorps_view_only() {
        let mut g = Gazetteer::new();
        g.add("الزمالك", gazetteer::ORG_NAME);
        let clusters = Clusters::empty();
        let lexicon = TypeLexicon::new();
        let res = Resources {
            clusters: &clusters,
            gazetteer: &g,
            lexicon: &lexicon,
        };
        let words = ["فاز", "الزمالك", "وفاز", "الأهلي"];
        let infos: Vec<WordInfo> = words.iter().map(|w| WordInfo::of_raw(w, res)).collect();
        assert_ne!(infos[1].gaz & gazetteer::ORG_NAME, 0);
        // every feature the words can have, the name flags included, votes for B-ORG
        let mut marks = features::Marks::default();
        marks.compute(&infos, &g);
        let mut rows = std::collections::BTreeMap::new();
        let mut feats = Vec::new();
        for i in 0..infos.len() {
            feats.clear();
            features::extract(&infos, &marks, i, &mut feats);
            for &f in &feats {
                let mut r = [0f32; NT];
                r[tags::begin(2) as usize] = 1.0;
                rows.insert(f, r);
            }
        }
        let w = Weights::new(rows.into_iter().collect(), [[0.0; NT]; NT + 1]);
        let t = Tagger::new(vec![w.clone(), w], g.clone(), Clusters::empty(), &[]).unwrap();
        let (mut buf, mut e0, mut e1) = (Buffers::default(), Vec::new(), Vec::new());
        t.emissions(&infos, 0, &mut buf, &mut e0);
        t.emissions(&infos, 1, &mut buf, &mut e1);
        let b = tags::begin(2) as usize;
        // in AQMAR's view the words around the listed name do not see it
        for i in [0, 2, 3] {
            assert!(
                e0[i][b] > e1[i][b],
                "word {i}: {} vs {}",
                e0[i][b],
                e1[i][b]
            );
        }
        // a sentence without listed names scores the same in both views
        let plain = &infos[2..];
        t.emissions(plain, 0, &mut buf, &mut e0);
        t.emissions(plain, 1, &mut buf, &mut e1);
        assert_eq!(e0, e1);
    }

    /// The built-in tagger, or `None` (the test says it is skipped) when none is compiled in.
    fn builtin_or_skip(test: &str) -> Option<&'static Tagger> {
        let t = Tagger::builtin().ok();
        if t.is_none() {
            marsad_record::testing::skip(test, "no built-in NER model (run `marsad train ner`)");
        }
        t
    }

    #[test]
    fn builtin_tagger_finds_listed_names() {
        let Some(t) = builtin_or_skip("builtin_tagger_finds_listed_names") else {
            return;
        };
        let text = "قصفت طائرات التحالف مواقع لداعش قرب الموصل، وقال التحالف العربي إنه لم يشارك.";
        let a = marsad_text::analyze(text);
        let e = t.entities(text, &a);
        let find = |s: &str| e.iter().find(|x| x.text == s);
        assert_eq!(
            find("داعش").and_then(|x| x.name_en.as_deref()),
            Some("Islamic State (ISIS)")
        );
        assert_eq!(find("التحالف").map(|x| x.kind), Some(EntityType::Org));
        assert_eq!(
            find("التحالف العربي").and_then(|x| x.entity_id.as_deref()),
            Some("saudi-led-coalition")
        );
        assert_eq!(find("الموصل").map(|x| x.kind), Some(EntityType::Loc));
    }

    #[test]
    fn a_short_form_is_the_longer_name_its_document_uses() {
        let Some(t) = builtin_or_skip("a_short_form_is_the_longer_name_its_document_uses") else {
            return;
        };
        let coalition = |text: &str| {
            let a = marsad_text::analyze(text);
            t.entities(text, &a)
                .into_iter()
                .find(|x| x.text == "التحالف")
                .and_then(|x| x.entity_id)
        };
        // a Yemen report: the bare coalition is the Arab one the report names
        assert_eq!(
            coalition("شن طيران التحالف غارات على صعدة، وقال المتحدث باسم التحالف العربي إن الغارات استهدفت مخازن أسلحة."),
            Some("saudi-led-coalition".into())
        );
        // named by its own longer name too, or by nothing longer: it stays as listed
        for text in [
            "شن طيران التحالف غارات على الموصل، وقال التحالف الدولي إن التحالف العربي لم يشارك.",
            "شن طيران التحالف غارات على مواقع داعش قرب الموصل.",
        ] {
            assert_eq!(
                coalition(text),
                Some("anti-isis-coalition".into()),
                "{text}"
            );
        }
    }

    #[test]
    fn builtin_tagger_keeps_names_whole_across_link_words() {
        let Some(t) = builtin_or_skip("builtin_tagger_keeps_names_whole_across_link_words") else {
            return;
        };
        let mut s = t.session();
        let mut out = Vec::new();
        // a name the model alone cuts after بن (شرقي is also "eastern")
        for (sentence, from, to) in [
            ("مرر المغربي أشرف بن شرقي ليواجه المرمى", 2, 5),
            ("دخل سعد بن أبي وقاص المدائن", 1, 5),
        ] {
            let toks: Vec<&str> = sentence.split(' ').collect();
            s.tag(&toks, &mut out);
            assert!(tags::is_begin(out[from]), "{sentence}: {out:?}");
            let want: Vec<u8> = (from..to)
                .map(|i| if i == from { out[from] } else { out[from] + 1 })
                .collect();
            assert_eq!(&out[from..to], &want[..], "{sentence}: {out:?}");
        }
    }
}
