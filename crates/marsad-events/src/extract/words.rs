//! The word lists the extractor matches one token against, from plain files under
//! `data/events/`: one word per line in ordinary spelling, `#` comments, kept as matching keys
//! (`marsad_text::normalize::key`) in file order.
//!
//! Reading a list cannot fail: every line that is not blank or a comment is a word. The files
//! are compiled in, and the tests check that each gives words, each a single one.

use marsad_text::normalize::key;
use std::collections::HashSet;
use std::sync::OnceLock;

/// `data/events/prepositions.txt`.
const PREPOSITIONS_TXT: &str = include_str!("../../../../data/events/prepositions.txt");
/// `data/events/noun_hosts.txt`.
const NOUN_HOSTS_TXT: &str = include_str!("../../../../data/events/noun_hosts.txt");
/// `data/events/quantity_words.txt`.
const QUANTITY_WORDS_TXT: &str = include_str!("../../../../data/events/quantity_words.txt");
/// `data/events/relatives.txt`.
const RELATIVES_TXT: &str = include_str!("../../../../data/events/relatives.txt");
/// `data/events/others.txt`.
const OTHERS_TXT: &str = include_str!("../../../../data/events/others.txt");
/// `data/events/subsets.txt`.
const SUBSETS_TXT: &str = include_str!("../../../../data/events/subsets.txt");
/// `data/events/passive_light.txt`.
const PASSIVE_LIGHT_TXT: &str = include_str!("../../../../data/events/passive_light.txt");
/// `data/events/clash.txt`.
const CLASH_TXT: &str = include_str!("../../../../data/events/clash.txt");
/// `data/events/cause_words.txt`.
const CAUSE_WORDS_TXT: &str = include_str!("../../../../data/events/cause_words.txt");
/// `data/events/carried_out.txt`.
const CARRIED_OUT_TXT: &str = include_str!("../../../../data/events/carried_out.txt");
/// `data/events/doers.txt`.
const DOERS_TXT: &str = include_str!("../../../../data/events/doers.txt");
/// `data/events/light_verbs.txt`.
const LIGHT_VERBS_TXT: &str = include_str!("../../../../data/events/light_verbs.txt");
/// `data/events/stance_verbs.txt`.
const STANCE_VERBS_TXT: &str = include_str!("../../../../data/events/stance_verbs.txt");
/// `data/events/launchers.txt`.
const LAUNCHERS_TXT: &str = include_str!("../../../../data/events/launchers.txt");
/// `data/events/affiliations.txt`.
const AFFILIATIONS_TXT: &str = include_str!("../../../../data/events/affiliations.txt");
/// `data/events/craft.txt`.
const CRAFT_TXT: &str = include_str!("../../../../data/events/craft.txt");
/// `data/events/equipment.txt`.
const EQUIPMENT_TXT: &str = include_str!("../../../../data/events/equipment.txt");
/// `data/events/body_adjectives.txt`.
const BODY_ADJECTIVES_TXT: &str = include_str!("../../../../data/events/body_adjectives.txt");
/// `data/events/demonstratives.txt`.
const DEMONSTRATIVES_TXT: &str = include_str!("../../../../data/events/demonstratives.txt");

/// The word lists, as keys.
#[derive(Debug)]
pub(super) struct Words {
    /// Prepositions that keep a noun phrase from being a subject or object.
    pub(super) preps: WordSet,
    /// Words before a noun that make a following homograph a noun rather than a verb.
    pub(super) noun_hosts: WordSet,
    /// Words that stand for a quantity before a counted noun.
    pub(super) quantity: WordSet,
    /// Words that mark the subject of a relative clause as the antecedent (الذين ينشقون).
    pub(super) relatives: WordSet,
    /// "Others" after a number that adds to the participant before (و61 آخرين).
    pub(super) others: WordSet,
    /// Words before a count that make it part of the count before (بينهم 40 طفلا).
    pub(super) subsets: WordSet,
    /// Light verbs of the passive (تم اعتقال): the verbal noun after one names no actor.
    pub(super) passive_light: WordSet,
    /// Words of fighting between two sides (اشتباكات بين X و Y): both sides are actors.
    pub(super) clash: WordSet,
    /// Words that make an attack the cause of a death told before it (قتل 5 في غارة).
    pub(super) cause: WordSet,
    /// Verbs of carrying out with a pronoun for the attack before them (هجوم نفذه X).
    pub(super) carried_out: WordSet,
    /// Verbs of doing whose subject acts the verbal noun after ب/على (قامت امرأة بتفجير).
    pub(super) doers: WordSet,
    /// Demonstratives, which may stand between a preposition and its noun (عن هذين الصحفيين).
    pub(super) demonstratives: WordSet,
    /// Verbs in the perfect that state the act of the verbal noun after them (شنت … غارات).
    pub(super) light: WordSet,
    /// Verbs of commenting on an act (استنكر، أدان، وصف): their subject is no side of it.
    pub(super) stance: WordSet,
    /// Verbs, in any tense, whose subject carries out the verbal noun they take (تشن … حملة).
    pub(super) launchers: WordSet,
    /// Words of allegiance that join the ل phrase after them to a body's name (الموالية ل).
    pub(super) affiliations: WordSet,
    /// Adjectives that, definite, belong to the name of the body before them (القوات الشرعية).
    pub(super) body_adjectives: WordSet,
    /// Craft and guns a side fights with (طائرات، مدفعية): alone, in a حيث clause, the subject's.
    pub(super) craft: WordSet,
    /// Equipment whose name follows it (عربة "بي أم بي"): the name is a model, not a side.
    pub(super) equipment: WordSet,
}

impl Words {
    /// The built-in lists, read once.
    pub(super) fn builtin() -> &'static Words {
        static WORDS: OnceLock<Words> = OnceLock::new();
        WORDS.get_or_init(|| Words {
            preps: parse(PREPOSITIONS_TXT),
            noun_hosts: parse(NOUN_HOSTS_TXT),
            quantity: parse(QUANTITY_WORDS_TXT),
            relatives: parse(RELATIVES_TXT),
            others: parse(OTHERS_TXT),
            subsets: parse(SUBSETS_TXT),
            passive_light: parse(PASSIVE_LIGHT_TXT),
            clash: parse(CLASH_TXT),
            cause: parse(CAUSE_WORDS_TXT),
            carried_out: parse(CARRIED_OUT_TXT),
            doers: parse(DOERS_TXT),
            demonstratives: parse(DEMONSTRATIVES_TXT),
            light: parse(LIGHT_VERBS_TXT),
            stance: parse(STANCE_VERBS_TXT),
            launchers: parse(LAUNCHERS_TXT),
            affiliations: parse(AFFILIATIONS_TXT),
            body_adjectives: parse(BODY_ADJECTIVES_TXT),
            craft: parse(CRAFT_TXT),
            equipment: parse(EQUIPMENT_TXT),
        })
    }
}

/// A word list in file order, with a set to look words up in.
#[derive(Debug, Default)]
pub(super) struct WordSet {
    list: Vec<String>,
    set: HashSet<String, std::hash::BuildHasherDefault<marsad_text::fxhash::FxHasher>>,
    /// [`crate::lexicon::key_hash`] of each word: most tokens are no word of the list, and a
    /// token's hash is computed once per document.
    hashes: HashSet<u64, std::hash::BuildHasherDefault<crate::lexicon::Prehashed>>,
}

impl std::ops::Deref for WordSet {
    type Target = [String];

    fn deref(&self) -> &[String] {
        &self.list
    }
}

impl WordSet {
    /// Whether the key `w`, whose [`crate::lexicon::key_hash`] is `h`, is in the list.
    pub(super) fn has_hashed(&self, w: &str, h: u64) -> bool {
        self.hashes.contains(&h) && self.set.contains(w)
    }
}

impl FromIterator<String> for WordSet {
    fn from_iter<I: IntoIterator<Item = String>>(it: I) -> WordSet {
        let list: Vec<String> = it.into_iter().collect();
        let set = list.iter().cloned().collect();
        let hashes = list.iter().map(|w| crate::lexicon::key_hash(w)).collect();
        WordSet { list, set, hashes }
    }
}

/// The words of a list file, as keys in file order: each line that is not blank or a `#`
/// comment, trimmed.
fn parse(text: &str) -> WordSet {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(key)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILES: [(&str, &str); 19] = [
        ("craft.txt", CRAFT_TXT),
        ("equipment.txt", EQUIPMENT_TXT),
        ("body_adjectives.txt", BODY_ADJECTIVES_TXT),
        ("prepositions.txt", PREPOSITIONS_TXT),
        ("noun_hosts.txt", NOUN_HOSTS_TXT),
        ("quantity_words.txt", QUANTITY_WORDS_TXT),
        ("relatives.txt", RELATIVES_TXT),
        ("others.txt", OTHERS_TXT),
        ("subsets.txt", SUBSETS_TXT),
        ("passive_light.txt", PASSIVE_LIGHT_TXT),
        ("clash.txt", CLASH_TXT),
        ("cause_words.txt", CAUSE_WORDS_TXT),
        ("carried_out.txt", CARRIED_OUT_TXT),
        ("doers.txt", DOERS_TXT),
        ("demonstratives.txt", DEMONSTRATIVES_TXT),
        ("light_verbs.txt", LIGHT_VERBS_TXT),
        ("stance_verbs.txt", STANCE_VERBS_TXT),
        ("launchers.txt", LAUNCHERS_TXT),
        ("affiliations.txt", AFFILIATIONS_TXT),
    ];

    #[test]
    fn each_list_file_parses_into_single_words() {
        for (name, text) in FILES {
            let words = parse(text);
            assert!(!words.is_empty(), "{name}: no words");
            for w in words.iter() {
                assert!(!w.is_empty(), "{name}: a word with no letters");
                assert!(
                    !w.contains(char::is_whitespace),
                    "{name}: {w:?} is not one word (the lists match single tokens)"
                );
            }
        }
    }

    #[test]
    fn lists_are_keys_in_file_order() {
        let w = Words::builtin();
        // hamza, alef maqsura and ta marbuta are folded as in tokens' keys
        assert_eq!(&w.preps[..5], ["في", "من", "عن", "الي", "علي"]);
        assert!(w.preps.iter().any(|p| p == "امام"));
        assert_eq!(&w.noun_hosts[..2], ["عمليه", "عمليات"]);
        assert!(w.quantity.iter().any(|q| q == "الاف"));
        assert_eq!(w.relatives[0], "الذين");
        let parsed = parse("# a comment\n\n  في  \n#إلى\nعلى\n");
        assert_eq!(&*parsed, ["في".to_string(), "علي".to_string()]);
        let has = |w: &str| parsed.has_hashed(w, crate::lexicon::key_hash(w));
        assert!(has("علي") && !has("الي") && !has("في "));
    }
}
