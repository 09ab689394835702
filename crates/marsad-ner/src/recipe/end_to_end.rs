//! The recipe end to end on a tiny corpus: training, self-training with its cache keys, the
//! refit, cross-validation and the card.

use super::*;
use crate::sources::Report;
use crate::Tagger;
use std::cell::RefCell;
use std::collections::BTreeMap;

const NAMES: [&str; 5] = ["محمد", "علي", "أحمد", "سعيد", "خالد"];
const PLACES: [&str; 5] = ["بغداد", "دمشق", "القاهرة", "عمان", "بيروت"];

fn sentence(words: &[(&str, u8)]) -> Sentence {
    Sentence {
        tokens: words.iter().map(|(w, _)| w.to_string()).collect(),
        tags: words.iter().map(|&(_, t)| t).collect(),
    }
}

/// Ten ANERcorp sentences `قال NAME في PLACE`, one AQMAR sentence in train and in dev.
fn tiny() -> Corpora {
    let anercorp = (0..10)
        .map(|i| {
            sentence(&[
                ("قال", 0),
                (NAMES[i % 5], 1),
                ("في", 0),
                (PLACES[(i + 1) % 5], 3),
            ])
        })
        .collect();
    let aq = || vec![sentence(&[("زار", 0), ("علي", 1), ("بغداد", 3)])];
    Corpora {
        anercorp,
        aqmar_train: aq(),
        aqmar_dev: aq(),
        wikifane: Vec::new(),
    }
}

fn news_texts() -> Result<NewsTexts, BoxError> {
    let texts: Vec<String> = (0..6)
        .map(|i| format!("قال {} في {} أمس.", NAMES[i % 5], PLACES[(i + 2) % 5]))
        .collect();
    Ok(Box::new(texts.into_iter()))
}

/// A lexicon cache in memory that remembers which keys were stored.
#[derive(Default)]
struct MemCache {
    map: RefCell<BTreeMap<String, Vec<u8>>>,
    stored: RefCell<Vec<String>>,
}

impl LexiconCache for MemCache {
    fn load(&self, key: &str) -> Option<TypeLexicon> {
        let map = self.map.borrow();
        TypeLexicon::from_bytes(map.get(key)?).map(|(l, _)| l)
    }

    fn store(&self, key: &str, lexicon: &TypeLexicon) -> Result<(), BoxError> {
        let mut b = Vec::new();
        lexicon.to_bytes(&mut b);
        self.map.borrow_mut().insert(key.to_string(), b);
        self.stored.borrow_mut().push(key.to_string());
        Ok(())
    }
}

fn stacked() -> Recipe {
    Recipe {
        mix: vec![Corpus::Anercorp, Corpus::Aqmar],
        views: true,
        dev_frac: 0.2,
        epochs: 2,
        self_train: true,
        self_train_min: 1,
        jackknife: 2,
        refit: true,
        ..Recipe::default()
    }
}

fn inputs<'a>(gaz: &'a Gazetteer, cache: &'a MemCache, log: &'a dyn Fn(&str)) -> Inputs<'a> {
    Inputs {
        gazetteer: gaz,
        cluster_bytes: &[],
        news: Some(News {
            name: "news.jsonl",
            texts: Box::new(news_texts),
        }),
        lexicon_cache: Some(cache),
        log,
    }
}

#[test]
fn stacked_self_training_caches_each_lexicon_and_reads_them_back() {
    let (c, gaz, cache) = (tiny(), Gazetteer::new(), MemCache::default());
    let lines = RefCell::new(Vec::new());
    let log = |m: &str| lines.borrow_mut().push(m.to_string());
    let r = stacked();
    let (first, dev) = r.train(&c, &inputs(&gaz, &cache, &log)).unwrap();
    assert_eq!(*cache.stored.borrow(), ["", ".jk0of2", ".jk1of2"]);
    assert!(lines
        .borrow()
        .iter()
        .any(|l| l.starts_with("jackknife block 2/2")));
    assert!(lines.borrow().iter().any(|l| l.contains("from news.jsonl")));
    assert!(first.lexicon_words > 0);
    assert_eq!(
        first.sources,
        [
            "anercorp: 8 sentences, 32 tokens",
            "aqmar: 1 sentences, 3 tokens"
        ]
    );
    assert_eq!((dev.n_dev, dev.anercorp.gold.iter().sum::<usize>()), (2, 4));
    // a rerun reads the three lexicons instead of counting them: the same model
    let (again, _) = r.train(&c, &inputs(&gaz, &cache, &log)).unwrap();
    assert_eq!(cache.stored.borrow().len(), 3);
    assert_eq!(again.model, first.model);
    Tagger::from_bytes(&first.model, &[]).unwrap();
    // the refit learns from train and dev together and caches nothing
    let all = r.train_on_all(&c, &inputs(&gaz, &cache, &log)).unwrap();
    assert_eq!(
        all.sources,
        [
            "anercorp: 10 sentences, 40 tokens",
            "aqmar: 2 sentences, 6 tokens"
        ]
    );
    assert_eq!(cache.stored.borrow().len(), 3);
    let labels = CardLabels {
        command: "marsad train ner --refit".to_string(),
        news: "news.jsonl".to_string(),
        o_penalty: "0".to_string(),
        type_bias: "0,0,1,1".to_string(),
        wikifane: ["o", "loc", "misc"].map(String::from),
    };
    let text = card(&r, &labels, &Report::default(), &all, &dev);
    for want in [
        "## Refit",
        "anercorp: 10 sentences",
        "type bias 0,0,1,1",
        "`--jackknife 2`",
        "self-trained on news.jsonl",
        "marsad train clusters\nmarsad train ner --refit\n",
    ] {
        assert!(text.contains(want), "{want} not in\n{text}");
    }
}

#[test]
fn self_training_without_a_news_corpus_is_refused() {
    let (c, gaz) = (tiny(), Gazetteer::new());
    let inp = Inputs {
        gazetteer: &gaz,
        cluster_bytes: &[],
        news: None,
        lexicon_cache: None,
        log: &|_| {},
    };
    assert!(matches!(
        stacked().train(&c, &inp),
        Err(NerError::BadSettings(_))
    ));
    let plain = Recipe {
        epochs: 1,
        ..Recipe::default()
    };
    let (model, dev) = plain.train(&c, &inp).unwrap();
    assert_eq!((model.lexicon_words, dev.n_dev), (0, 1));
}

#[test]
fn cross_validation_scores_the_asked_blocks_with_their_own_lexicons() {
    let (c, gaz, cache) = (tiny(), Gazetteer::new(), MemCache::default());
    let r = Recipe {
        cv: 2,
        cv_folds: vec![2],
        ..stacked()
    };
    let mut seen = Vec::new();
    let report = r
        .cross_validate(&c, &inputs(&gaz, &cache, &|_| {}), true, |f| {
            seen.push((f.block, f.of, f.sentences.clone()))
        })
        .unwrap();
    assert_eq!(seen, [(2, 2, 5..10)]);
    assert_eq!(
        *cache.stored.borrow(),
        [".cv2of2", ".cv2of2.jk0of2", ".cv2of2.jk1of2"]
    );
    assert_eq!((report.k, report.sentences, report.folds.len()), (2, 10, 1));
    assert_eq!(report.pooled.gold.iter().sum::<usize>(), 10);
    let (mean, sd) = report.mean_sd();
    assert_eq!((mean, sd), (report.folds[0].f1(), 0.0));
    // `token gold predicted` lines, a blank line after each of the five sentences
    let tagging = report.tagging.unwrap();
    assert_eq!(tagging.lines().filter(|l| !l.is_empty()).count(), 20);
    assert_eq!(tagging.matches("\n\n").count(), 5);
    assert!(tagging.starts_with("قال O "), "{tagging}");
    for (cv, folds, want) in [
        (1, vec![], "--cv:"),
        (2, vec![3], "--cv-folds: no block 3 of 2"),
    ] {
        let bad = Recipe {
            cv,
            cv_folds: folds,
            ..r.clone()
        };
        let e = bad
            .cross_validate(&c, &inputs(&gaz, &cache, &|_| {}), false, |_| {})
            .unwrap_err();
        assert!(e.to_string().starts_with(want), "{e}");
    }
}
