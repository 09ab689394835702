//! Content words: what two passages that tell one happening share beyond the words every news
//! sentence has (مسجد، الطوارئ، انتحاري, not الذي، منطقة، أمس). Used to tie reports together,
//! within an article and across outlets.

use std::collections::BTreeSet;
use std::sync::OnceLock;

/// `data/text/function-words.txt`: words too common to tie two reports together.
const FUNCTION_WORDS: &str = include_str!("../../../data/text/function-words.txt");

/// The content words of `s`: Arabic words folded (أ/إ/آ → ا, ة → ه, ى → ي), without one
/// leading و/ف/ب/ل/ك or the article, of four letters or more, function words left out.
pub fn content_words(s: &str) -> BTreeSet<String> {
    s.split(|c: char| !is_arabic_letter(c))
        .filter_map(word_key)
        .filter(|w| !function_words().contains(w))
        .collect()
}

/// How many content words `a` and `b` share that are not in `except`.
pub fn shared(a: &BTreeSet<String>, b: &BTreeSet<String>, except: &BTreeSet<String>) -> usize {
    a.intersection(b).filter(|w| !except.contains(*w)).count()
}

fn is_arabic_letter(c: char) -> bool {
    ('\u{0621}'..='\u{064A}').contains(&c)
}

/// A word's folded key without one leading clitic or the article; `None` under four letters.
fn word_key(w: &str) -> Option<String> {
    let folded: String = w
        .chars()
        .map(|c| match c {
            'أ' | 'إ' | 'آ' => 'ا',
            'ة' => 'ه',
            'ى' => 'ي',
            c => c,
        })
        .collect();
    let mut w = folded.as_str();
    for p in ["وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل"] {
        if let Some(rest) = w.strip_prefix(p) {
            if rest.chars().count() >= 3 {
                w = rest;
                break;
            }
        }
    }
    (w.chars().count() >= 4).then(|| w.to_string())
}

fn function_words() -> &'static BTreeSet<String> {
    static WORDS: OnceLock<BTreeSet<String>> = OnceLock::new();
    WORDS.get_or_init(|| {
        FUNCTION_WORDS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .filter_map(word_key)
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_tellings_of_one_bombing_share_their_distinctive_words() {
        let a = content_words(
            "قال مصدر أمني إن انتحاريا فجر نفسه داخل مسجد لقوات الطوارئ في منطقة عسير أمس",
        );
        let b = content_words(
            "أدان الوزير تفجير المسجد التابع لقوات الطوارئ بمدينة أبها الذي وقع ظهر الخميس",
        );
        let none = BTreeSet::new();
        assert_eq!(shared(&a, &b, &none), 3, "{a:?} {b:?}");
        // function words and words under four letters never count
        assert!(content_words("الذي التي منطقة خلال أمس في من").is_empty());
        // hamza, ta marbuta and the article are folded away
        assert_eq!(content_words("الإنشقاقات"), content_words("انشقاقات"));
    }
}
