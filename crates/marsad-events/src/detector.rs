//! A small learned check on top of the rules: does this candidate report a concrete event, or
//! only mention one (a topic, a reference, a metaphor: "التعذيب" in a human-rights debate, "شن
//! هجوما على الحكومة")? Logistic regression over a few general features of the trigger and its
//! sentence, one model per category, trained on the dev third of the gold standard
//! (`marsad train detector`), shipped as `models/events-detector.toml`.

use crate::lexicon::Lexicon;
use crate::{Category, Error, Event};
use marsad_text::{TextAnalysis, TokenKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The shipped weights.
pub const DETECTOR_TOML: &str = include_str!("../../../models/events-detector.toml");

/// Modes with a feature of their own.
const MODES: &[&str] = &[
    "explosives",
    "suicide-attack",
    "aerial",
    "heavy-weapons",
    "firearms",
    "targeted",
    "torture",
    "sexual",
    "abduct",
    "destroy",
    "primitive",
    "demo",
    "riot",
    "strike",
    "hunger",
    "obstruct",
];

/// Words that date a report (keys).
const DATE_WORDS: &[&str] = &[
    "امس",
    "اليوم",
    "سبت",
    "احد",
    "اثنين",
    "ثلاثاء",
    "اربعاء",
    "خميس",
    "جمعه",
    "يناير",
    "فبراير",
    "مارس",
    "ابريل",
    "مايو",
    "يونيو",
    "يوليو",
    "اغسطس",
    "سبتمبر",
    "اكتوبر",
    "نوفمبر",
    "ديسمبر",
    "كانون",
    "شباط",
    "اذار",
    "نيسان",
    "ايار",
    "حزيران",
    "تموز",
    "اب",
    "ايلول",
    "تشرين",
    "صباح",
    "مساء",
    "ليل",
    "فجر",
];

/// Words of talk about violence in general rather than a report of one (keys).
const GENERIC_WORDS: &[&str] = &[
    "سياسه",
    "ظاهره",
    "مكافحه",
    "ضروره",
    "يجب",
    "جرائم",
    "جريمه",
    "انتهاكات",
    "حقوق",
    "مسؤوليه",
    "تحقيق",
    "محكمه",
    "المحكمه",
    "محاكمه",
    "قانون",
    "ملف",
    "قضيه",
    "اتهام",
    "تهمه",
    "ادانه",
    "يدين",
    "ندد",
    "استنكار",
    "مخاوف",
    "تهديد",
    "خطر",
    "فيلم",
    "كتاب",
    "روايه",
    "تاريخ",
];

/// Names of the features, in order (written next to the weights to catch mismatches).
pub fn feature_names() -> Vec<String> {
    let mut v: Vec<String> = [
        "verb_perfect",
        "verb_imperfect",
        "noun",
        "definite",
        "plural_noun",
        "after_preposition",
        "has_actor",
        "has_recipient",
        "armed_participant",
        "has_count",
        "number_in_sentence",
        "casualty_word",
        "date_word",
        "year_number",
        "reported",
        "claimed",
        "triggers_of_category",
        "weak_trigger",
        "sentence_length",
        "quotes",
        "generic_words",
        "early_trigger",
        "protest_cues",
        "in_front_of",
        "protester_participant",
        "crowd_count",
        "gather_perfect",
        "action_verb",
        "protesters_object",
        "protesters_other",
        "relative_before",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.extend(MODES.iter().map(|m| format!("mode_{m}")));
    v
}

/// Features of one event in its sentence.
pub fn features(
    lex: &Lexicon,
    text: &str,
    analysis: &TextAnalysis,
    event: &Event,
    same_category_in_sentence: usize,
) -> Vec<f32> {
    let s = event.evidence.sentence;
    let a = analysis.tokens.partition_point(|t| t.start < s.start);
    let b = analysis.tokens.partition_point(|t| t.start < s.end);
    let toks: Vec<&marsad_text::Token> = analysis.tokens[a..b]
        .iter()
        .filter(|t| t.end <= s.end)
        .collect();
    let ti = toks
        .iter()
        .position(|t| t.start >= event.trigger.span.start)
        .unwrap_or(0);
    let trig = toks.get(ti);
    let trig_key = marsad_text::normalize::key(&event.trigger.text);
    let hits = lex
        .forms
        .get(trig.map(|t| t.stem.as_str()).unwrap_or(""))
        .or_else(|| lex.forms.get(trig_key.as_str()));
    let kind = hits.and_then(|h| h.first()).map(|h| h.kind);
    let entry = hits.and_then(|h| h.first()).map(|h| &lex.entries[h.entry]);
    let weak = entry.is_some_and(|e| e.weak);
    let gather = entry.is_some_and(|e| e.gather);
    use crate::lexicon::FormKind as K;
    let b = |x: bool| if x { 1.0 } else { 0.0 };
    let has = |ws: &[&str]| toks.iter().any(|t| ws.contains(&t.stem.as_str()));
    let prep_before = ti > 0
        && matches!(
            toks[ti - 1].stem.as_str(),
            "في" | "من"
                | "عن"
                | "علي"
                | "الي"
                | "ضد"
                | "منذ"
                | "بعد"
                | "قبل"
                | "اثر"
                | "عقب"
        )
        || trig.is_some_and(|t| t.prefixes.iter().any(|p| matches!(*p, "ب" | "ل" | "ك")));
    let casualty = toks.iter().any(|t| {
        matches!(
            t.stem.as_str(),
            "مقتل"
                | "قتلي"
                | "قتيل"
                | "جرحي"
                | "جريح"
                | "اصابه"
                | "اصابات"
                | "اصيب"
                | "قتل"
        )
    });
    let year = toks.iter().any(|t| {
        t.kind == TokenKind::Number
            && t.norm.len() == 4
            && (t.norm.starts_with("19") || t.norm.starts_with("20"))
    });
    let number = toks
        .iter()
        .any(|t| t.kind == TokenKind::Number && t.norm.len() < 4)
        || toks.iter().any(|t| {
            matches!(
                t.stem.as_str(),
                "عشرات"
                    | "مئات"
                    | "الاف"
                    | "اثنين"
                    | "ثلاثه"
                    | "اربعه"
                    | "خمسه"
                    | "سته"
                    | "سبعه"
                    | "ثمانيه"
                    | "تسعه"
                    | "عشره"
            )
        });
    let armed = event.actors.iter().chain(&event.recipients).any(|p| {
        matches!(
            p.role.as_deref(),
            Some("military" | "police" | "rebels" | "militia")
        )
    });
    let (protesters_object, protesters_other) = protester_positions(lex, &toks);
    let relative_before = toks[ti.saturating_sub(3)..ti]
        .iter()
        .any(|t| is_cue(&lex.cues.relative, t));
    let mut f = vec![
        b(matches!(kind, Some(K::Perfect))),
        b(matches!(kind, Some(K::Imperfect | K::Future))),
        b(matches!(kind, Some(K::Noun) | None)),
        b(trig.is_some_and(|t| t.has_article())),
        b(trig_key.ends_with("ات")),
        b(prep_before),
        b(!event.actors.is_empty()),
        b(!event.recipients.is_empty()),
        b(armed),
        b(!event.counts.is_empty()),
        b(number),
        b(casualty),
        b(has(DATE_WORDS)),
        b(year),
        b(event.modality == crate::Modality::Reported),
        b(event.modality == crate::Modality::Claimed),
        (same_category_in_sentence.min(3) as f32) / 3.0,
        b(weak),
        (toks.len().min(80) as f32) / 40.0,
        b(text[s.start..s.end].contains('«') || text[s.start..s.end].contains('"')),
        (toks
            .iter()
            .filter(|t| GENERIC_WORDS.contains(&t.stem.as_str()))
            .count()
            .min(3) as f32)
            / 3.0,
        b(ti < 4),
        (toks
            .iter()
            .filter(|t| t.start != event.trigger.span.start)
            .filter(|t| is_cue(&lex.cues.protest, t))
            .count()
            .min(3) as f32)
            / 3.0,
        b(has(&["امام", "قبالة", "قباله"])),
        b(event
            .actors
            .iter()
            .chain(&event.recipients)
            .any(|p| p.role.as_deref() == Some("protesters"))),
        b(event.counts.participants.is_some()),
        b(gather && matches!(kind, Some(K::Perfect))),
        b(!gather && matches!(kind, Some(K::Perfect | K::Imperfect | K::Future))),
        b(protesters_object),
        b(protesters_other),
        b(relative_before),
    ];
    for m in MODES {
        f.push(b(event.mode.iter().any(|x| x == m)));
    }
    f
}

/// Whether a token is a one-word cue of `p` (by its stem without the article, or whole).
fn is_cue(p: &crate::lexicon::Phrases, t: &marsad_text::Token) -> bool {
    p.has(&crate::lexicon::strip_article(&t.stem)) || p.has(&t.norm)
}

/// Whether the sentence names protesters as the object of someone else's act (a cue word of
/// `[protest] object` within the two words before them: تفريق المتظاهرين), and whether it names
/// them otherwise (as the side that protests).
fn protester_positions(lex: &Lexicon, toks: &[&marsad_text::Token]) -> (bool, bool) {
    let (mut object, mut other) = (false, false);
    for (i, t) in toks.iter().enumerate() {
        let k = crate::lexicon::strip_article(&t.stem);
        let protesters = lex.role_forms.get(k.as_str()).is_some_and(|hs| {
            hs.iter().any(|h| {
                h.rest.is_empty() && lex.roles[h.entry].role.as_deref() == Some("protesters")
            })
        });
        if !protesters {
            continue;
        }
        let after_cue = toks[i.saturating_sub(2)..i]
            .iter()
            .any(|p| is_cue(&lex.cues.protest_object, p));
        if after_cue {
            object = true;
        } else {
            other = true;
        }
    }
    (object, other)
}

/// The key of the model shared by [`SHARED_CATEGORIES`].
pub const SHARED_MODEL: &str = "*";

/// Categories of concrete happenings with too few gold examples for a model of their own: they
/// share one, learned from all of them (whether a candidate reports a happening looks much the
/// same across them).
pub const SHARED_CATEGORIES: [Category; 5] = [
    Category::Coerce,
    Category::Retreat,
    Category::Threaten,
    Category::Mobilize,
    Category::Sanction,
];

/// One category's model.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Model {
    /// Intercept.
    pub bias: f32,
    /// One weight per feature.
    pub weights: Vec<f32>,
    /// Probability at or above which a candidate is kept.
    pub threshold: f32,
}

impl Model {
    /// The probability that a candidate with features `f` reports a concrete event.
    pub fn prob(&self, f: &[f32]) -> f32 {
        let z: f32 = self.bias + self.weights.iter().zip(f).map(|(w, x)| w * x).sum::<f32>();
        1.0 / (1.0 + (-z).exp())
    }
}

/// The shipped file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Detector {
    /// Feature names the weights were trained with.
    #[serde(default)]
    pub features: Vec<String>,
    /// Models by PLOVER category name.
    #[serde(default)]
    pub models: BTreeMap<String, Model>,
}

impl Detector {
    /// Parses a detector file; models whose feature list does not match the code are dropped.
    pub fn parse(text: &str) -> Result<Detector, Error> {
        let mut d: Detector = toml::from_str(text).map_err(|source| Error::Toml {
            file: "models/events-detector.toml",
            source,
        })?;
        let n = feature_names();
        if d.features != n {
            d.models.clear();
        }
        d.models.retain(|_, m| m.weights.len() == n.len());
        Ok(d)
    }

    /// The shipped detector.
    pub fn builtin() -> Result<Detector, Error> {
        Detector::parse(DETECTOR_TOML)
    }

    /// The model of a category: its own, else the shared one for the categories that share
    /// it ([`SHARED_CATEGORIES`]), if one was trained.
    pub fn model(&self, c: Category) -> Option<&Model> {
        self.models.get(c.name()).or_else(|| {
            SHARED_CATEGORIES
                .contains(&c)
                .then(|| self.models.get(SHARED_MODEL))
                .flatten()
        })
    }

    /// The detector as TOML.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }
}

/// Trains logistic regression (batch gradient descent, L2) on `(features, label)` pairs.
pub fn train(examples: &[(Vec<f32>, bool)], l2: f32, epochs: usize) -> Model {
    let n = examples.first().map_or(0, |e| e.0.len());
    let mut w = vec![0f32; n];
    let mut bias = 0f32;
    let pos = examples.iter().filter(|e| e.1).count().max(1) as f32;
    let neg = (examples.len() as f32 - pos).max(1.0);
    // balance the classes so that the threshold, not the prior, decides
    let (wp, wn) = (
        examples.len() as f32 / (2.0 * pos),
        examples.len() as f32 / (2.0 * neg),
    );
    let lr = 0.5f32;
    let m = examples.len().max(1) as f32;
    for _ in 0..epochs {
        let mut gw = vec![0f32; n];
        let mut gb = 0f32;
        for (x, y) in examples {
            let z: f32 = bias + w.iter().zip(x).map(|(a, b)| a * b).sum::<f32>();
            let p = 1.0 / (1.0 + (-z).exp());
            let (t, cw) = if *y { (1.0, wp) } else { (0.0, wn) };
            let g = (p - t) * cw;
            for (gi, xi) in gw.iter_mut().zip(x) {
                *gi += g * xi;
            }
            gb += g;
        }
        for (wi, gi) in w.iter_mut().zip(&gw) {
            *wi -= lr * (gi / m + l2 * *wi);
        }
        bias -= lr * gb / m;
    }
    let mut model = Model {
        bias,
        weights: w,
        threshold: 0.5,
    };
    model.threshold = best_threshold(&model, examples);
    model
}

/// The threshold that maximizes F1 on `examples`.
pub fn best_threshold(model: &Model, examples: &[(Vec<f32>, bool)]) -> f32 {
    best_f1_threshold(|t| {
        let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
        for (x, y) in examples {
            match (model.prob(x) >= t, *y) {
                (true, true) => tp += 1,
                (true, false) => fp += 1,
                (false, true) => fn_ += 1,
                _ => {}
            }
        }
        (tp, fp, fn_)
    })
}

/// The threshold on a grid of 1/40 steps whose `(tp, fp, fn)` counts give the best F1 (the
/// lowest such threshold on ties).
fn best_f1_threshold(counts: impl Fn(f32) -> (usize, usize, usize)) -> f32 {
    let mut best = (0.5f32, -1.0f64);
    for k in 1..40 {
        let t = k as f32 / 40.0;
        let (tp, fp, fn_) = counts(t);
        let f1 = if tp == 0 {
            0.0
        } else {
            2.0 * tp as f64 / (2 * tp + fp + fn_) as f64
        };
        if f1 > best.1 {
            best = (t, f1);
        }
    }
    best.0
}

/// One scored sentence: its candidates of the category (features, and whether the rules keep it
/// whatever the detector says), and the gold label.
pub type Sentence = (Vec<(Vec<f32>, bool)>, bool);

/// Sentence-level counts `(tp, fp, fn)`: a sentence is positive when any candidate reaches the
/// threshold.
pub fn sentence_counts(model: &Model, sentences: &[Sentence], t: f32) -> (usize, usize, usize) {
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    for (cands, y) in sentences {
        let pred = cands.iter().any(|(f, kept)| *kept || model.prob(f) >= t);
        match (pred, *y) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fn_ += 1,
            _ => {}
        }
    }
    (tp, fp, fn_)
}

/// Trains on every candidate of `sentences` and `pooled` (each labelled with its sentence's
/// label) and picks the threshold that maximizes sentence-level F1 on `sentences` alone.
pub fn fit(sentences: &[Sentence], pooled: &[Sentence], l2: f32, epochs: usize) -> Model {
    let ex: Vec<(Vec<f32>, bool)> = sentences
        .iter()
        .chain(pooled)
        .flat_map(|(c, y)| c.iter().map(move |(f, _)| (f.clone(), *y)))
        .collect();
    let mut m = train(&ex, l2, epochs);
    m.threshold = best_f1_threshold(|t| sentence_counts(&m, sentences, t));
    m
}

/// k-fold cross-validation of `sentences`, with `pooled` always in the training side: summed
/// `(tp, fp, fn)` over the held-out folds. Repeat 0 puts sentence `i` in fold `i mod k`; each
/// further repeat reshuffles the folds (deterministically), and the counts of all repeats are
/// summed, so that a figure on few positives depends less on one split.
pub fn cross_validate(
    sentences: &[Sentence],
    pooled: &[Sentence],
    k: usize,
    repeats: usize,
    l2: f32,
    epochs: usize,
) -> (usize, usize, usize) {
    let k = k.max(2);
    let mut sum = (0, 0, 0);
    for r in 0..repeats.max(1) {
        let fold_of = |i: usize| {
            if r == 0 {
                i % k
            } else {
                (xxhash_rust::xxh3::xxh3_64_with_seed(&(i as u64).to_le_bytes(), r as u64)
                    % k as u64) as usize
            }
        };
        for fold in 0..k {
            let (mut train_set, mut test) = (Vec::new(), Vec::new());
            for (i, s) in sentences.iter().enumerate() {
                if fold_of(i) == fold {
                    test.push(s.clone());
                } else {
                    train_set.push(s.clone());
                }
            }
            let m = fit(&train_set, pooled, l2, epochs);
            let (tp, fp, fn_) = sentence_counts(&m, &test, m.threshold);
            sum = (sum.0 + tp, sum.1 + fp, sum.2 + fn_);
        }
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_separable_toy_problem() {
        let ex: Vec<(Vec<f32>, bool)> = (0..40)
            .map(|i| {
                let y = i % 2 == 0;
                (vec![if y { 1.0 } else { 0.0 }, (i % 3) as f32 / 3.0], y)
            })
            .collect();
        let m = train(&ex, 0.001, 300);
        assert!(m.prob(&[1.0, 0.0]) > m.threshold);
        assert!(m.prob(&[0.0, 0.0]) < m.threshold);
    }

    #[test]
    fn shipped_file_parses() {
        let d = Detector::builtin().unwrap();
        for name in d.models.keys() {
            assert!(Category::parse(name).is_some() || name == SHARED_MODEL);
        }
        // a feature list out of step with the code would drop the models silently
        assert!(d.model(Category::Assault).is_some() && d.model(Category::Protest).is_some());
    }

    fn positions(text: &str) -> (bool, bool) {
        let lex = Lexicon::builtin().unwrap();
        let a = marsad_text::analyze(text);
        let toks: Vec<&marsad_text::Token> = a.tokens.iter().collect();
        protester_positions(&lex, &toks)
    }

    #[test]
    fn protesters_dispersed_are_the_object_and_protesters_marching_are_not() {
        assert_eq!(positions("وفرقت الشرطة المتظاهرين بالغاز"), (true, false));
        assert_eq!(positions("اشتباكات بين الشرطة والمتظاهرين"), (true, false));
        assert_eq!(positions("وخرج آلاف المتظاهرين إلى الشوارع"), (false, true));
        assert_eq!(positions("وخرج الناس إلى الشوارع"), (false, false));
    }
}
