//! Normalization for matching. The original text is never changed; these functions build keys.
//!
//! Two levels:
//! - [`normalize`]: the orthographic form with diacritics, tatweel and invisible controls removed,
//!   alef forms unified, Persian/Urdu look-alikes folded, presentation forms decomposed (NFKC) and
//!   Arabic-Indic/Persian digits turned to ASCII. Keeps ى and ة (clitic analysis needs them).
//! - [`key`]: the matching key: [`normalize`] plus ى→ي, ة→ه and lowercase Latin, so that Egyptian
//!   spelling matches standard spelling (فى = في, كوبانى = كوباني).
//!
//! Both are idempotent: `key(key(x)) == key(x)`.

use unicode_normalization::char::decompose_compatible;

/// Whether `c` is dropped by normalization: harakat, Quranic marks, tatweel, invisible controls.
pub fn is_dropped(c: char) -> bool {
    matches!(c,
        '\u{064B}'..='\u{065F}' // harakat, shadda, sukun, maddah/hamza marks, other marks
        | '\u{0670}'            // superscript alef
        | '\u{0610}'..='\u{061A}' // Quranic honorifics and small marks
        | '\u{06D6}'..='\u{06DC}'
        | '\u{06DF}'..='\u{06E8}'
        | '\u{06EA}'..='\u{06ED}'
        | '\u{08D3}'..='\u{08FF}' // extended Arabic marks
        | '\u{0640}'            // tatweel
        | '\u{061C}'            // Arabic letter mark
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}'
        | '\u{00AD}'            // soft hyphen
    )
}

/// Whether `c` is an invisible formatting control (zero-width, direction marks, BOM).
pub fn is_invisible_control(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{061C}' | '\u{00AD}')
}

/// Whether `c` is an Arabic combining mark or tatweel (part of a word, dropped in keys).
pub fn is_arabic_mark(c: char) -> bool {
    is_dropped(c) && !is_invisible_control(c)
}

/// Whether `c` falls in the Arabic presentation-form blocks that NFKC decomposes.
fn is_presentation_form(c: char) -> bool {
    matches!(c, '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFC}')
}

/// Arabic-block chars have no case: skips the case tables for them.
#[inline]
fn is_uncased_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{08FF}')
}

/// Folds one (already decomposed) char, pushing its replacement (possibly nothing) to `out`.
#[inline]
fn fold_one(c: char, key: bool, out: &mut String) {
    // the Arabic letters that stay as they are, and ASCII that is not uppercase: the common case
    if is_key_identity(c) {
        out.push(c);
        return;
    }
    if is_dropped(c) {
        return;
    }
    let f = match c {
        'أ' | 'إ' | 'آ' | 'ٱ' | '\u{0672}' | '\u{0673}' => 'ا',
        'ک' => 'ك',
        'ی' | 'ې' => 'ي',
        'ھ' | 'ە' | 'ۀ' => 'ه',
        'ى' if key => 'ي',
        'ة' if key => 'ه',
        '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
        '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
        '٫' => '.',
        '٬' => ',',
        c if key && c.is_ascii_uppercase() => c.to_ascii_lowercase(),
        c if key && !c.is_ascii() && !is_uncased_arabic(c) && c.is_uppercase() => {
            out.extend(c.to_lowercase());
            return;
        }
        c => c,
    };
    out.push(f);
}

/// Appends the normalized form of `c` to `out` (`key` selects the matching-key level).
#[inline]
pub fn push_folded(c: char, key: bool, out: &mut String) {
    if is_presentation_form(c) {
        decompose_compatible(c, |d| fold_one(d, key, out));
    } else {
        fold_one(c, key, out);
    }
}

/// The orthographic normal form of `s` (see the module docs); keeps ى and ة.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        push_folded(c, false, &mut out);
    }
    out
}

/// The matching key of `s`: [`normalize`] plus ى→ي, ة→ه and lowercase Latin.
pub fn key(s: &str) -> String {
    let mut out = String::new();
    key_into(s, &mut out);
    out
}

/// Writes the matching key of `s` into `out` (cleared first), reusing its allocation.
pub fn key_into(s: &str, out: &mut String) {
    out.clear();
    // most words are already keys: copy them whole
    if s.chars().all(is_key_identity) {
        out.push_str(s);
        return;
    }
    out.reserve(s.len());
    for c in s.chars() {
        push_folded(c, true, out);
    }
}

/// Chars that [`key`] keeps as they are: most Arabic letters, ASCII other than uppercase.
#[inline]
fn is_key_identity(c: char) -> bool {
    matches!(c, '\u{062A}'..='\u{063A}' | '\u{0641}'..='\u{0648}' | 'ء' | 'ؤ' | 'ئ' | 'ا' | 'ب' | 'ي')
        || (c.is_ascii() && !c.is_ascii_uppercase())
}

/// A normalized text with a map from each of its bytes back to the original text.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    /// The normalized (key-level) text.
    pub text: String,
    /// For each byte of `text`, the offset in the original of the char it came from; one extra
    /// entry at the end holds the original length.
    offsets: Vec<usize>,
}

impl Normalized {
    /// The key-level normalization of `original`, keeping a way back to it.
    pub fn new(original: &str) -> Self {
        let mut text = String::with_capacity(original.len());
        let mut offsets = Vec::with_capacity(original.len() + 1);
        for (i, c) in original.char_indices() {
            let before = text.len();
            push_folded(c, true, &mut text);
            offsets.resize(offsets.len() + (text.len() - before), i);
        }
        offsets.push(original.len());
        Normalized { text, offsets }
    }

    /// Maps a normalized byte range `[start, end)` to the smallest original span covering it.
    ///
    /// `end` maps to the end of the original char that produced byte `end - 1`, so dropped marks
    /// after the last letter stay outside the span.
    pub fn to_original(&self, start: usize, end: usize, original: &str) -> crate::Span {
        let s = self.offsets[start.min(self.offsets.len() - 1)];
        let e = if end == 0 {
            s
        } else {
            let last = self.offsets[(end - 1).min(self.offsets.len() - 1)];
            last + original[last..].chars().next().map_or(0, char::len_utf8)
        };
        crate::Span::new(s, e.max(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: &[(&str, &str)] = &[
        ("فى", "في"),
        ("إنشقاق", "انشقاق"),
        ("كوبانى", "كوباني"),
        ("الرَّئِيسُ", "الرئيس"),
        ("رئيس", "رئيس"), // hamza on yeh survives (no NFD)
        ("مسؤول", "مسؤول"),
        ("قـــتل", "قتل"),
        ("آلاف", "الاف"),
        ("ٱلله", "الله"),
        ("مدرسة", "مدرسه"),
        ("کتاب", "كتاب"),
        ("ھذا", "هذا"),
        ("١٥", "15"),
        ("۲۰۲۶", "2026"),
        ("2٫5", "2.5"),
        ("\u{FEFB}", "لا"), // presentation form lam-alef
        ("دا\u{200F}عش", "داعش"),
        ("ISIS", "isis"),
    ];

    #[test]
    fn keys_table() {
        for (input, want) in KEYS {
            assert_eq!(key(input), *want, "key({input:?})");
        }
    }

    #[test]
    fn normalize_keeps_ta_marbuta_and_alef_maqsura() {
        assert_eq!(normalize("مدرسة"), "مدرسة");
        assert_eq!(normalize("فى"), "فى");
        assert_eq!(normalize("إلى"), "الى");
    }

    #[test]
    fn offsets_map_back() {
        let original = "الرَّئِيسُ قال";
        let n = Normalized::new(original);
        assert_eq!(n.text, "الرئيس قال");
        let sp = n.to_original(0, "الرئيس".len(), original);
        assert_eq!(sp.slice(original), "الرَّئِيس");
        let q = n.text.find("قال").unwrap();
        assert_eq!(
            n.to_original(q, q + "قال".len(), original).slice(original),
            "قال"
        );
    }
}
