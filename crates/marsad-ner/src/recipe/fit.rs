//! Fitting a model: the first model, the self-training lexicons (the jackknifed ones too) and the
//! final model; a training run scored on the dev sets, and the refit on train and dev together.

use super::{Corpora, Inputs, LexiconCache, News, Recipe};
use crate::clusters::Clusters;
use crate::conll::Sentence;
use crate::doc::{DocConfig, DocTagger};
use crate::eval::{score, Scores};
use crate::features::Resources;
use crate::gazetteer;
use crate::lexicon::{Counter, TypeLexicon};
use crate::{NerError, Tagger};
use std::collections::HashMap;
use std::time::Instant;

/// A trained model as it ships.
#[derive(Debug, Clone)]
pub struct Trained {
    /// The model file's bytes ([`Tagger::to_bytes`], quantized).
    pub model: Vec<u8>,
    /// Its number of weighted features (of view 0).
    pub features: usize,
    /// Words in its self-trained type lexicon (0 without self-training).
    pub lexicon_words: usize,
    /// Its tagging speed over ANERcorp's training sentences ([`speed`]).
    pub tokens_per_s: f64,
    /// The corpora it learned from, one `name: N sentences, T tokens` line each.
    pub sources: Vec<String>,
}

/// The dev scores of a training run's model, as shipped (quantized).
#[derive(Debug, Clone)]
pub struct DevScores {
    /// How many of ANERcorp's sentences (from the end) were held out.
    pub n_dev: usize,
    /// ANERcorp dev, with the model's document-level pass.
    pub anercorp: Scores,
    /// AQMAR dev, in AQMAR's view when the model has one, with the document-level pass.
    pub aqmar: Scores,
    /// The model's document-level settings.
    pub doc: DocConfig,
    /// When the document-level pass is on: ANERcorp and AQMAR dev F1 (×100) sentence by
    /// sentence, without it.
    pub alone: Option<(f64, f64)>,
}

/// A lexicon cache and the key of the lexicon of one fit.
type CacheAt<'a> = Option<(&'a dyn LexiconCache, String)>;

impl Recipe {
    /// Trains on the corpora of the mix with ANERcorp's last [`Recipe::dev_frac`] of sentences
    /// held out (and AQMAR dev.txt), then scores the model as it ships on both dev sets. The
    /// self-training lexicon is cached under key `""`.
    pub fn train(&self, c: &Corpora, inp: &Inputs<'_>) -> Result<(Trained, DevScores), NerError> {
        self.check()?;
        let n_dev = self.dev_len(c.anercorp.len());
        let (aner, aner_dev) = c.anercorp.split_at(c.anercorp.len() - n_dev);
        let (data, domains, sources) = self.assemble([aner, &c.aqmar_train, &c.wikifane]);
        let aq_view = self.aqmar_view();
        let dev: Vec<(&str, &[Sentence], u8)> = vec![
            ("ANERcorp dev", aner_dev, 0),
            ("AQMAR dev", &c.aqmar_dev, aq_view as u8),
        ];
        let cache = inp.lexicon_cache.map(|l| (l, String::new()));
        let (tagger, lexicon_words) = self.fit(inp, &data, &domains, &dev, cache)?;
        let model = tagger.to_bytes();
        // score the model as it will be shipped (quantized)
        let shipped = Tagger::from_bytes(&model, inp.cluster_bytes)?;
        let doc = shipped.doc_config();
        let alone = doc.is_on().then(|| {
            let sa = score(&shipped, 0, DocConfig::off(), aner_dev);
            let sq = score(&shipped, aq_view, DocConfig::off(), &c.aqmar_dev);
            (sa.micro().2 * 100.0, sq.micro().2 * 100.0)
        });
        let dev = DevScores {
            n_dev,
            anercorp: score(&shipped, 0, doc, aner_dev),
            aqmar: score(&shipped, aq_view, doc, &c.aqmar_dev),
            doc,
            alone,
        };
        let trained = Trained {
            tokens_per_s: speed(&shipped, aner),
            features: shipped.features(),
            model,
            lexicon_words,
            sources,
        };
        Ok((trained, dev))
    }

    /// Trains again with the same settings, self-training included (no lexicon cache), on train
    /// and dev together: all of ANERcorp, and AQMAR dev.txt joined to train.txt (a refit).
    pub fn train_on_all(&self, c: &Corpora, inp: &Inputs<'_>) -> Result<Trained, NerError> {
        self.check()?;
        let mut aq_all = c.aqmar_train.clone();
        aq_all.extend_from_slice(&c.aqmar_dev);
        let (data, domains, sources) = self.assemble([&c.anercorp, &aq_all, &c.wikifane]);
        (inp.log)(&format!("refit on train and dev: {}", sources.join("; ")));
        let (tagger, lexicon_words) = self.fit(inp, &data, &domains, &[], None)?;
        let model = tagger.to_bytes();
        let shipped = Tagger::from_bytes(&model, inp.cluster_bytes)?;
        Ok(Trained {
            tokens_per_s: speed(&shipped, &c.anercorp),
            features: shipped.features(),
            model,
            lexicon_words,
            sources,
        })
    }

    /// Trains a tagger on `data`: a first model, then (with self-training) the news corpus's type
    /// lexicon (read from the cache when it holds one, else counted and stored there) and the
    /// final model. Returns it with the lexicon size.
    pub(super) fn fit(
        &self,
        inp: &Inputs<'_>,
        data: &[Sentence],
        domains: &[u8],
        dev: &[(&str, &[Sentence], u8)],
        cache: CacheAt<'_>,
    ) -> Result<(Tagger, usize), NerError> {
        let news = self.news(inp)?;
        let cfg = self.config();
        let log = inp.log;
        let cached = news.and(cache.as_ref()).and_then(|(c, key)| c.load(key));
        let clusters = Clusters::from_bytes(inp.cluster_bytes.to_vec())?;
        let no_lexicon = TypeLexicon::new();
        // the model that counts the self-training lexicon does not see the hand-listed
        // organization and MISC names: with them its lexicon follows ANERcorp's conventions for
        // those names, which costs AQMAR dev about 3 points (`models/ner.experiments.md`)
        let plain;
        let first_gaz = if news.is_some() {
            plain = inp
                .gazetteer
                .without(gazetteer::ORG_NAME | gazetteer::MISC_NAME);
            &plain
        } else {
            inp.gazetteer
        };
        let res = Resources {
            clusters: &clusters,
            gazetteer: first_gaz,
            lexicon: &no_lexicon,
        };
        // with a cached lexicon the first-pass model is not needed
        let weights = if cached.is_some() {
            vec![crate::model::Weights::new(
                Vec::new(),
                [[0.0; crate::tags::NT]; crate::tags::NT + 1],
            )]
        } else {
            crate::train::train(data, domains, dev, res, &cfg, log).0
        };
        let tagger = Tagger::new(weights, first_gaz.clone(), clusters, inp.cluster_bytes)?;
        let Some(news) = news else {
            return Ok((tagger, 0));
        };
        let t1 = Instant::now();
        let lexicon: TypeLexicon = match cached {
            Some(l) => l,
            None => self.count_lexicon(&tagger, news, cache.as_ref())?,
        };
        let words = lexicon.len();
        log(&format!(
            "self-training: type shares of {words} words from {} in {:.0}s",
            news.name,
            t1.elapsed().as_secs_f64()
        ));
        let k = self.jackknife;
        let mut fold = Vec::new();
        let mut lexicons = Vec::new();
        if k >= 2 {
            // block of each sentence: its position within its own corpus, cut into k runs
            let mut size = HashMap::<u8, usize>::new();
            for &d in domains {
                *size.entry(d).or_default() += 1;
            }
            let mut seen = HashMap::<u8, usize>::new();
            for &d in domains {
                let p = seen.entry(d).or_default();
                fold.push((*p * k / size[&d]) as u8);
                *p += 1;
            }
            for b in 0..k {
                let t2 = Instant::now();
                let cache = cache
                    .as_ref()
                    .map(|(c, key)| (*c, format!("{key}.jk{b}of{k}")));
                // a cached lexicon needs no first model
                let l = match cache.as_ref().and_then(|(c, key)| c.load(key)) {
                    Some(l) => l,
                    None => {
                        let (sub, sub_domains): (Vec<Sentence>, Vec<u8>) = data
                            .iter()
                            .zip(domains)
                            .zip(&fold)
                            .filter(|(_, &f)| usize::from(f) != b)
                            .map(|((s, &d), _)| (s.clone(), d))
                            .unzip();
                        let cl = Clusters::from_bytes(inp.cluster_bytes.to_vec())?;
                        let first = Resources {
                            clusters: &cl,
                            gazetteer: first_gaz,
                            lexicon: &no_lexicon,
                        };
                        let w = crate::train::train(&sub, &sub_domains, &[], first, &cfg, log).0;
                        let t = Tagger::new(w, first_gaz.clone(), cl, inp.cluster_bytes)?;
                        self.count_lexicon(&t, news, cache.as_ref())?
                    }
                };
                log(&format!(
                    "jackknife block {}/{k}: lexicon of the first model without it, {} words, {:.0}s",
                    b + 1,
                    l.len(),
                    t2.elapsed().as_secs_f64()
                ));
                lexicons.push(l);
            }
        }
        let clusters = Clusters::from_bytes(inp.cluster_bytes.to_vec())?;
        let res = Resources {
            clusters: &clusters,
            gazetteer: inp.gazetteer,
            lexicon: &lexicon,
        };
        let jk = (k >= 2).then_some(crate::train::Jackknife {
            lexicons: &lexicons,
            fold: &fold,
        });
        let (weights, _) = crate::train::train_jackknifed(data, domains, dev, res, jk, &cfg, log);
        let tagger = Tagger::new(weights, inp.gazetteer.clone(), clusters, inp.cluster_bytes)?
            .with_lexicon(lexicon);
        Ok((tagger, words))
    }

    /// Tags the news corpus (its first [`Recipe::self_train_docs`] documents) with `tagger` and
    /// counts its type lexicon (stored in `cache` when given).
    fn count_lexicon(
        &self,
        tagger: &Tagger,
        news: &News<'_>,
        cache: Option<&(&dyn LexiconCache, String)>,
    ) -> Result<TypeLexicon, NerError> {
        let texts = (news.texts)().map_err(NerError::External)?;
        let mut counter = Counter::new();
        counter.add_texts(tagger, texts.take(self.self_train_docs));
        let l = counter.finish(self.self_train_min);
        if let Some((c, key)) = cache {
            c.store(key, &l).map_err(NerError::External)?;
        }
        Ok(l)
    }
}

/// Tagging speed (tokens per second, one thread, word cache warm after the first pass, with the
/// model's document-level pass, the whole of `data` one document) over `data`, three passes.
pub fn speed(tagger: &Tagger, data: &[Sentence]) -> f64 {
    let mut session = tagger.session();
    let mut doc = DocTagger::new(tagger, 0, tagger.doc_config());
    let t0 = Instant::now();
    let mut n = 0usize;
    for _ in 0..3 {
        for s in data {
            let infos = session.infos_of(&s.tokens);
            doc.push(infos, ());
            n += s.tokens.len();
            while doc.pop().is_some() {}
        }
        doc.flush();
        while doc.pop().is_some() {}
    }
    n as f64 / t0.elapsed().as_secs_f64().max(1e-9)
}
