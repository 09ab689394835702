//! The cue words of `data/events/cues.toml`: the file as read, and compiled into phrase lists.

use super::strip_article;
use marsad_text::normalize::key;
use serde::Deserialize;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};
/// Maps keyed by fixed lexicon words: FxHash, much cheaper than SipHash on short keys.
type HashMap<K, V> = marsad_text::fxhash::FxMap<K, V>;

/// Cue words (`cues.toml`), as read.
#[derive(Debug, Clone, Deserialize)]
pub struct CuesFile {
    /// Modality cues.
    pub modality: ModalityCues,
    /// Attribution cues.
    pub attribution: AttributionCues,
    /// Money cues.
    pub money: MoneyCues,
    /// Movement cues.
    pub movement: MovementCues,
    /// Place cues.
    pub place: PlaceCues,
    /// Protest cues.
    pub protest: ProtestCues,
    /// Coreference cues.
    pub coreference: CorefCues,
    /// Trigger cues.
    pub triggers: TriggerCues,
}

/// Cues about triggers themselves.
#[derive(Debug, Clone, Deserialize)]
pub struct TriggerCues {
    /// Words that, right before a verbal noun, make it the name of a kind of act rather than a
    /// happening (شرطة مكافحة الشغب, مكافحة الإرهاب).
    pub not_after: Vec<String>,
    /// Verbs of becoming and remaining (باتت، أصبحت، لا تزال): a verb in the imperfect right
    /// after one tells a state (باتت القوات تحاصر المدينة), not a happening.
    pub state: Vec<String>,
    /// Relative pronouns: a trigger just after one is in a relative clause, background to the
    /// report rather than the report itself.
    pub relative: Vec<String>,
    /// Words the lexicon would build as forms of a trigger that are other words (أسد).
    pub never: Vec<String>,
    /// Disasters and accidents (زلزال، إعصار، حريق، اصطدام): a death or injury in a sentence that
    /// names one, with no attack and no weapon, is not an assault.
    pub accident: Vec<String>,
    /// Explosive devices: detonated by security forces, they are disposed of, not used.
    #[serde(default)]
    pub devices: Vec<String>,
    /// Acts of force: what a threat (هدد ب، توعد ب، تعهد ب) must name to be one.
    pub force: Vec<String>,
    /// Pacts and contests: a withdrawal from one is no retreat from ground.
    pub pacts: Vec<String>,
    /// Companies and investors: their withdrawal is a business leaving, no retreat.
    #[serde(default)]
    pub business: Vec<String>,
    /// Words of ground: what a capture (سيطرة، تحرير) takes when no place is named.
    pub ground: Vec<String>,
    /// Words of the game: three in an article make it a sports report.
    pub sports: Vec<String>,
    /// "No casualties": an attack that caused none killed nobody (لم تسفر عن إصابات).
    pub unharmed: Vec<String>,
    /// Words of a total over many incidents or a period (منذ بداية، في المجمل، الإجمالي).
    #[serde(default)]
    pub cumulative: Vec<String>,
}

/// Modality cue lists.
#[derive(Debug, Clone, Deserialize)]
#[allow(missing_docs)]
pub struct ModalityCues {
    pub negation: Vec<String>,
    pub denial: Vec<String>,
    pub future: Vec<String>,
    pub hypothetical: Vec<String>,
    pub claimed: Vec<String>,
    /// Words of blame before a claim word (تحميل المسؤولية): nothing is claimed.
    pub blame: Vec<String>,
    pub historical: Vec<String>,
    #[serde(default)]
    pub background: Vec<String>,
    #[serde(default)]
    pub accusation: Vec<String>,
    #[serde(default)]
    pub appeal: Vec<String>,
    /// Purpose words right before a verbal noun: the act is aimed at, not told (بهدف حصار).
    #[serde(default)]
    pub purpose: Vec<String>,
    #[serde(default)]
    pub exposed: Vec<String>,
    /// Adjectives of expectation right after the trigger (المقبل، المرتقب): the act is to come.
    #[serde(default)]
    pub expected_after: Vec<String>,
    /// Adjectives of possibility right after a noun trigger (محتمل): the act may happen.
    #[serde(default)]
    pub possible_after: Vec<String>,
    /// Verbs of what a noun trigger would mean, after it (يمثل، يعني): weighed, not told.
    #[serde(default)]
    pub weighed: Vec<String>,
}

/// Attribution cue lists.
#[derive(Debug, Clone, Deserialize)]
pub struct AttributionCues {
    /// Speech verbs.
    pub verbs: Vec<String>,
    /// Verbs that are speech verbs only right before a complementizer (وبين أن: بين is also
    /// "between").
    pub verbs_before_that: Vec<String>,
    /// Source prepositions.
    pub preps: Vec<String>,
    /// Verbs that go on with what the last source said (وتابع، وأردف): with no subject of their
    /// own they keep the source of the sentence before.
    pub continuation: Vec<String>,
    /// Complementizers that open what a speech verb reports (أن، إن): they end the source phrase.
    pub complementizers: Vec<String>,
    /// Particles between a subject and its speech verb (قد، كان) that are no part of the source.
    pub auxiliaries: Vec<String>,
    /// Words that open another clause (فيما، بينما): they end the source phrase.
    pub phrase_ends: Vec<String>,
    /// The relative ما after a source preposition ("وفقا لما أوردته صحيفة …"): the source is the
    /// subject of the verb after it.
    pub what: Vec<String>,
    /// Source kinds and their words.
    pub kinds: HashMap<String, Vec<String>>,
}

/// Money cue lists.
#[derive(Debug, Clone, Deserialize)]
#[allow(missing_docs)]
pub struct MoneyCues {
    pub currencies: HashMap<String, String>,
    pub up_to: Vec<String>,
    pub at_least: Vec<String>,
    pub per_person: Vec<String>,
}

/// Movement cue lists.
#[derive(Debug, Clone, Deserialize)]
pub struct MovementCues {
    /// Prepositions before a destination.
    pub to: Vec<String>,
}

/// Place cue lists.
#[derive(Debug, Clone, Deserialize)]
pub struct PlaceCues {
    /// Words that make a location approximate.
    pub near: Vec<String>,
    /// Words right before a place that make it a neighbour of where things happen, not the
    /// place (الإقليم المتاخم لإيران).
    #[serde(default)]
    pub beside: Vec<String>,
    /// Words of direction right before a place (باتجاه، نحو): where something heads, not
    /// where things happen.
    #[serde(default)]
    pub toward: Vec<String>,
    /// Words a little before a place that make it someone's home, not where things happen
    /// (التي تسكن في شمال لندن، المقيم في برلين).
    #[serde(default)]
    pub home: Vec<String>,
    /// Definite nouns that refer back to the town last named (المدينة، البلدة).
    #[serde(default)]
    pub anaphoric: Vec<String>,
    /// Words after a wide place that name the town meant (بما في ذلك، ولا سيما).
    #[serde(default)]
    pub narrowing: Vec<String>,
}

/// Protest cue lists.
#[derive(Debug, Clone, Deserialize)]
pub struct ProtestCues {
    /// Words that make a `protest` trigger a protest.
    pub cues: Vec<String>,
    /// Words just before protesters that make them the object of someone else's act (dispersed,
    /// arrested, addressed, clashing with the police) rather than the side that protests.
    pub object: Vec<String>,
}

/// Coreference cue lists.
#[derive(Debug, Clone, Deserialize)]
pub struct CorefCues {
    /// Generic nouns that stand for the organization the article named.
    pub org_nouns: Vec<String>,
    /// Openers of a sentence that turns to another matter.
    pub turn: Vec<String>,
    /// Words right before a toll that add it to another one.
    pub addition: Vec<String>,
}

/// A list of cue phrases as key word sequences, indexed by first word (and by its hash, for
/// callers that hash each word once: see [`key_hash`]).
#[derive(Debug, Clone, Default)]
pub struct Phrases(
    pub Vec<Vec<String>>,
    HashMap<String, Vec<usize>>,
    std::collections::HashMap<u64, Vec<usize>, BuildHasherDefault<Prehashed>>,
);

/// The hash [`Phrases::at_hashed`] looks a first word up by.
pub fn key_hash(w: &str) -> u64 {
    BuildHasherDefault::<marsad_text::fxhash::FxHasher>::default().hash_one(w)
}

/// A hasher for keys that are hashes already: it keeps the `u64` as it is.
#[derive(Debug, Default, Clone, Copy)]
pub struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // only u64 keys are hashed with it; fold anything else in all the same
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

impl Phrases {
    /// Keys of the phrases' words; the article is dropped from a word when three letters or more
    /// remain, since tokens carry it as a clitic.
    pub fn new(list: &[String]) -> Phrases {
        let words: Vec<Vec<String>> = list
            .iter()
            .map(|p| {
                p.split_whitespace()
                    .map(|w| strip_article(&key(w)))
                    .collect()
            })
            .filter(|p: &Vec<String>| !p.is_empty())
            .collect();
        let mut first: HashMap<String, Vec<usize>> = HashMap::default();
        let mut hashed: std::collections::HashMap<u64, Vec<usize>, BuildHasherDefault<Prehashed>> =
            Default::default();
        for (k, p) in words.iter().enumerate() {
            first.entry(p[0].clone()).or_default().push(k);
            hashed.entry(key_hash(&p[0])).or_default().push(k);
        }
        Phrases(words, first, hashed)
    }

    /// [`Phrases::at`] with each of the `firsts` given with its [`key_hash`].
    pub fn at_hashed(
        &self,
        n: usize,
        i: usize,
        firsts: &[(&str, u64)],
        eq: impl Fn(usize, &str) -> bool,
    ) -> Option<usize> {
        let mut best: Option<usize> = None;
        for (fi, &(f, h)) in firsts.iter().enumerate() {
            if firsts[..fi].iter().any(|&(g, x)| x == h && g == f) {
                continue;
            }
            for &k in self.2.get(&h).map(Vec::as_slice).unwrap_or(&[]) {
                let p = &self.0[k];
                if p[0] == f
                    && p.len() <= n.saturating_sub(i)
                    && p.iter().enumerate().skip(1).all(|(m, w)| eq(i + m, w))
                {
                    best = Some(best.map_or(p.len(), |b: usize| b.max(p.len())));
                }
            }
        }
        best
    }

    /// Whether a phrase starts at word `i` of `n` words, where `firsts` are the keys word `i`
    /// may match and `eq(j, w)` tells whether word `j` is `w`; returns the longest length.
    pub fn at(
        &self,
        n: usize,
        i: usize,
        firsts: &[&str],
        eq: impl Fn(usize, &str) -> bool,
    ) -> Option<usize> {
        let mut best: Option<usize> = None;
        for (fi, f) in firsts.iter().enumerate() {
            if firsts[..fi].contains(f) {
                continue;
            }
            for &k in self.1.get(*f).map(Vec::as_slice).unwrap_or(&[]) {
                let p = &self.0[k];
                if p.len() <= n.saturating_sub(i)
                    && p.iter().enumerate().skip(1).all(|(m, w)| eq(i + m, w))
                {
                    best = Some(best.map_or(p.len(), |b: usize| b.max(p.len())));
                }
            }
        }
        best
    }

    /// Whether a one-word cue equals `w`.
    pub fn has(&self, w: &str) -> bool {
        self.1
            .get(w)
            .is_some_and(|ks| ks.iter().any(|&k| self.0[k].len() == 1))
    }
}

/// Compiled cues.
#[derive(Debug, Clone)]
#[allow(missing_docs)]
pub struct Cues {
    pub negation: Phrases,
    pub denial: Phrases,
    pub future: Phrases,
    pub hypothetical: Phrases,
    pub claimed: Phrases,
    /// Words of blame before a claim word (تحميل المسؤولية).
    pub blame: Phrases,
    pub historical: Phrases,
    /// Anywhere in the clause: the event is recalled, not reported (قبل سنوات، سبق أن).
    pub background: Phrases,
    /// Before the trigger in the sentence: the event is reported by the accuser.
    pub accusation: Phrases,
    /// Within four words before a verbal noun: the act is asked for, not told.
    pub appeal: Phrases,
    /// Within two words before a verbal noun: the act is aimed at (بهدف، بغية، سعيا إلى).
    pub purpose: Phrases,
    /// Before لـ + verbal noun: the noun is what befell someone (تعرض للقصف), not an aim.
    pub exposed: Phrases,
    /// Within three words after the trigger: the act is to come (الهجوم المرتقب).
    pub expected_after: Phrases,
    /// Right after a noun trigger: the act may happen (انسحاب محتمل).
    pub possible_after: Phrases,
    /// Within three words after a noun trigger: what the act would mean (تحرير الميناء يمثل).
    pub weighed: Phrases,
    pub speech_verbs: Phrases,
    /// Speech verbs only right before a complementizer (وبين أن).
    pub speech_before_that: Phrases,
    pub source_preps: Phrases,
    pub continuation: Phrases,
    pub complementizers: Phrases,
    pub auxiliaries: Phrases,
    pub phrase_ends: Phrases,
    pub what: Phrases,
    /// (kind, words), most specific first.
    pub kinds: Vec<(String, Phrases)>,
    pub currencies: HashMap<String, String>,
    pub up_to: Phrases,
    pub at_least: Phrases,
    pub per_person: Phrases,
    pub to: Phrases,
    pub near: Phrases,
    /// Before a place: a neighbour, not the place.
    pub beside: Phrases,
    /// Right before a place: where something heads, not the place.
    pub toward: Phrases,
    /// A little before a place: someone's home, not the place.
    pub home: Phrases,
    /// "The city": refers back to the town last named.
    pub anaphoric: Phrases,
    /// "Including": the town after it narrows the wide place before it.
    pub narrowing: Phrases,
    pub protest: Phrases,
    pub org_nouns: Phrases,
    /// A sentence that opens with one turns to another matter (من جهة أخرى).
    pub turn: Phrases,
    /// Right before a toll: it adds to another one (إضافة إلى مقتل).
    pub addition: Phrases,
    pub not_after: Phrases,
    /// Right before an imperfect verb: a state, not a happening (باتت تحاصر).
    pub state: Phrases,
    pub relative: Phrases,
    pub accident: Phrases,
    pub devices: Phrases,
    /// Acts of force that make a threat one (هدد بشن هجوم).
    pub force: Phrases,
    /// Pacts and contests: a withdrawal from one is no retreat from ground.
    pub pacts: Phrases,
    /// Companies and investors: their withdrawal is no retreat.
    pub business: Phrases,
    /// Words of ground that a capture takes.
    pub ground: Phrases,
    /// Words of the game.
    pub sports: Phrases,
    /// "No casualties" after an attack: none killed.
    pub unharmed: Phrases,
    /// A total over many incidents or a period.
    pub cumulative: Phrases,
    pub protest_object: Phrases,
}

impl Cues {
    /// The compiled cues of a cues file.
    pub fn new(c: &CuesFile) -> Cues {
        let order = [
            "residents",
            "witnesses",
            "activists",
            "media",
            "officials",
            "party",
            "unnamed_sources",
        ];
        let kinds = order
            .iter()
            .filter_map(|k| {
                c.attribution
                    .kinds
                    .get(*k)
                    .map(|v| (k.to_string(), Phrases::new(v)))
            })
            .collect();
        Cues {
            negation: Phrases::new(&c.modality.negation),
            denial: Phrases::new(&c.modality.denial),
            future: Phrases::new(&c.modality.future),
            hypothetical: Phrases::new(&c.modality.hypothetical),
            claimed: Phrases::new(&c.modality.claimed),
            blame: Phrases::new(&c.modality.blame),
            historical: Phrases::new(&c.modality.historical),
            background: Phrases::new(&c.modality.background),
            accusation: Phrases::new(&c.modality.accusation),
            appeal: Phrases::new(&c.modality.appeal),
            purpose: Phrases::new(&c.modality.purpose),
            exposed: Phrases::new(&c.modality.exposed),
            expected_after: Phrases::new(&c.modality.expected_after),
            possible_after: Phrases::new(&c.modality.possible_after),
            weighed: Phrases::new(&c.modality.weighed),
            speech_verbs: Phrases::new(&c.attribution.verbs),
            speech_before_that: Phrases::new(&c.attribution.verbs_before_that),
            source_preps: Phrases::new(&c.attribution.preps),
            continuation: Phrases::new(&c.attribution.continuation),
            complementizers: Phrases::new(&c.attribution.complementizers),
            auxiliaries: Phrases::new(&c.attribution.auxiliaries),
            phrase_ends: Phrases::new(&c.attribution.phrase_ends),
            what: Phrases::new(&c.attribution.what),
            kinds,
            currencies: c
                .money
                .currencies
                .iter()
                .map(|(k, v)| (key(k), v.clone()))
                .collect(),
            up_to: Phrases::new(&c.money.up_to),
            at_least: Phrases::new(&c.money.at_least),
            per_person: Phrases::new(&c.money.per_person),
            to: Phrases::new(&c.movement.to),
            near: Phrases::new(&c.place.near),
            beside: Phrases::new(&c.place.beside),
            toward: Phrases::new(&c.place.toward),
            home: Phrases::new(&c.place.home),
            anaphoric: Phrases::new(&c.place.anaphoric),
            narrowing: Phrases::new(&c.place.narrowing),
            protest: Phrases::new(&c.protest.cues),
            org_nouns: Phrases::new(&c.coreference.org_nouns),
            turn: Phrases::new(&c.coreference.turn),
            addition: Phrases::new(&c.coreference.addition),
            not_after: Phrases::new(&c.triggers.not_after),
            state: Phrases::new(&c.triggers.state),
            relative: Phrases::new(&c.triggers.relative),
            accident: Phrases::new(&c.triggers.accident),
            devices: Phrases::new(&c.triggers.devices),
            force: Phrases::new(&c.triggers.force),
            pacts: Phrases::new(&c.triggers.pacts),
            business: Phrases::new(&c.triggers.business),
            ground: Phrases::new(&c.triggers.ground),
            sports: Phrases::new(&c.triggers.sports),
            unharmed: Phrases::new(&c.triggers.unharmed),
            cumulative: Phrases::new(&c.triggers.cumulative),
            protest_object: Phrases::new(&c.protest.object),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phrase_is_found_alike_by_word_and_by_hash() {
        let p = Phrases::new(&["من أجل".to_string(), "بهدف".to_string(), "من".to_string()]);
        let words = ["من", "اجل", "بهدف", "اجل", "غير"];
        let eq = |j: usize, w: &str| words.get(j) == Some(&w);
        for i in 0..words.len() {
            let by_word = p.at(words.len(), i, &[words[i]], eq);
            let by_hash = p.at_hashed(words.len(), i, &[(words[i], key_hash(words[i]))], eq);
            assert_eq!(by_word, by_hash, "word {i}");
        }
        assert_eq!(p.at_hashed(5, 0, &[("من", key_hash("من"))], eq), Some(2));
        // a hash with another word is no match
        assert_eq!(p.at_hashed(5, 4, &[("غير", key_hash("من"))], eq), None);
    }
}
