//! Near-duplicate detection: a 64-bit SimHash over word 3-shingles, and the band split that lets
//! the store find every earlier document within a small Hamming distance.

use marsad_text::{Token, TokenKind};
use xxhash_rust::xxh3::xxh3_64;

/// Documents whose SimHashes differ in at most this many bits are near-duplicates.
pub const MAX_DISTANCE: u32 = 3;

/// Number of bands; with [`MAX_DISTANCE`] < `BANDS`, two near-duplicates share at least one band
/// exactly (pigeonhole).
pub const BANDS: u32 = 4;

/// The SimHash of a sequence of word keys, over overlapping 3-word shingles (stable across
/// versions: xxh3).
pub fn simhash<'a, I: IntoIterator<Item = &'a str>>(words: I) -> u64 {
    let words: Vec<&str> = words.into_iter().collect();
    let mut acc = [0i32; 64];
    let mut n = 0;
    let mut add = |h: u64| {
        for (bit, a) in acc.iter_mut().enumerate() {
            *a += if h >> bit & 1 == 1 { 1 } else { -1 };
        }
    };
    if words.len() < 3 {
        for w in &words {
            add(xxh3_64(w.as_bytes()));
            n += 1;
        }
    } else {
        let mut buf = String::new();
        for win in words.windows(3) {
            buf.clear();
            buf.push_str(win[0]);
            buf.push(' ');
            buf.push_str(win[1]);
            buf.push(' ');
            buf.push_str(win[2]);
            add(xxh3_64(buf.as_bytes()));
            n += 1;
        }
    }
    if n == 0 {
        return 0;
    }
    acc.iter()
        .enumerate()
        .fold(0u64, |h, (bit, &a)| if a > 0 { h | 1 << bit } else { h })
}

/// The SimHash of a document's word tokens (matching keys).
pub fn simhash_tokens(tokens: &[Token]) -> u64 {
    simhash(
        tokens
            .iter()
            .filter(|t| {
                matches!(
                    t.kind,
                    TokenKind::Word | TokenKind::Latin | TokenKind::Number
                )
            })
            .map(|t| t.norm.as_str()),
    )
}

/// The 16-bit bands of a SimHash, as stored in the band index.
pub fn bands(h: u64) -> [i64; BANDS as usize] {
    [0, 1, 2, 3].map(|b| ((h >> (16 * b)) & 0xffff) as i64)
}

/// Hamming distance between two SimHashes.
pub fn distance(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(text: &str) -> u64 {
        simhash_tokens(&marsad_text::analyze(text).tokens)
    }

    #[test]
    fn small_edits_stay_close_and_other_texts_do_not() {
        let a = "قتل سبعة مدنيين وأصيب أكثر من عشرين آخرين أمس في غارة جوية استهدفت سوقا شعبية في ريف إدلب شمال غربي سوريا بحسب ما أفاد به المرصد السوري لحقوق الإنسان وقال مسعفون إن فرق الإنقاذ ما زالت تبحث عن مفقودين تحت الأنقاض في المنطقة المنكوبة";
        let b = a.replace("سبعة", "ثمانية");
        let c = "تظاهر المئات في وسط بيروت يوم الجمعة احتجاجا على ارتفاع أسعار الوقود والخبز ورفع المحتجون لافتات تطالب الحكومة بالتراجع عن قرارها وذكرت وكالة الأنباء أن قوات الأمن أغلقت الطرق المؤدية إلى مقر الحكومة";
        assert!(
            distance(h(a), h(&b)) <= MAX_DISTANCE + 4,
            "{}",
            distance(h(a), h(&b))
        );
        assert!(distance(h(a), h(c)) > 12);
        assert_eq!(h(a), h(&format!("{a}  ")), "whitespace does not matter");
    }

    #[test]
    fn near_duplicates_share_a_band() {
        let a: u64 = 0x1234_5678_9abc_def0;
        let b = a ^ 0b1011; // three bits in one band
        assert_eq!(distance(a, b), 3);
        assert!(bands(a).iter().zip(bands(b)).any(|(x, y)| *x == y));
    }
}
