//! The training recipe of `marsad train ner`: the corpora of a mix, a first model, self-training
//! with a type lexicon counted over a news corpus (stacked with a jackknife when asked), the final
//! model, its dev scores, a refit on train and dev together, K-fold cross-validation, and the
//! model card.
//!
//! A [`Recipe`] is plain data: the training options. Its methods take the corpora already read
//! ([`Corpora`]) and the [`Inputs`] (gazetteer, cluster bytes, the news texts, a lexicon cache, a
//! progress log), and give back values: the model's bytes ([`Trained`]), dev scores
//! ([`DevScores`]), a cross-validation report ([`CvReport`]), the card text ([`card`]). Reading
//! files, writing them and printing reports is the caller's.

mod card;
mod cv;
#[cfg(test)]
mod end_to_end;
mod fit;

pub use card::{card, CardLabels};
pub use cv::{CvReport, Fold};
pub use fit::{speed, DevScores, Trained};

use crate::conll::Sentence;
use crate::error::BoxError;
use crate::gazetteer::Gazetteer;
use crate::lexicon::TypeLexicon;
use crate::NerError;

/// A training corpus of a mix; its position in [`Corpus::ALL`] is its domain (view).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Corpus {
    /// ANERcorp (news): domain 0, the conventions the pipeline tags with.
    Anercorp,
    /// AQMAR (Wikipedia): domain 1.
    Aqmar,
    /// WikiFANEGold (Wikipedia, fine types mapped to four): domain 2.
    Wikifane,
}

impl Corpus {
    /// Every corpus, in domain order.
    pub const ALL: [Corpus; 3] = [Corpus::Anercorp, Corpus::Aqmar, Corpus::Wikifane];

    /// The corpus's name in `--mix` (`anercorp`, `aqmar`, `wikifane`).
    pub fn name(self) -> &'static str {
        match self {
            Corpus::Anercorp => "anercorp",
            Corpus::Aqmar => "aqmar",
            Corpus::Wikifane => "wikifane",
        }
    }

    /// The corpus of a `--mix` name.
    pub fn from_name(name: &str) -> Option<Corpus> {
        Corpus::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The index of its view (weight table) in a model trained with views; also its domain.
    pub fn view(self) -> usize {
        self as usize
    }

    /// Its domain: the index of its view.
    fn domain(self) -> u8 {
        self as u8
    }
}

/// The options of `marsad train ner`, as plain data; each field is the option of the same name
/// (`--dev-frac` for `dev_frac`, …) and [`Recipe::default`] is the command line's defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Recipe {
    /// The training corpora, in order.
    pub mix: Vec<Corpus>,
    /// Share of ANERcorp's sentences (from the end) held out as dev.
    pub dev_frac: f64,
    /// Train without corpus-private feature copies (every sentence in domain 0; ablation).
    pub no_domains: bool,
    /// Keep one weight table per corpus of the mix (shared + corpus-private feature copies);
    /// without it, the private copies of non-ANERcorp sentences are dropped.
    pub views: bool,
    /// With `views`: ship only the first this many views (0: all).
    pub max_views: usize,
    /// Self-training: tag the news corpus ([`Inputs::news`]) with a first model, count how often
    /// each word is tagged as each type, and train the final model with those shares as
    /// features (the lexicon ships in the model).
    pub self_train: bool,
    /// Self-training: use at most this many documents of the news corpus.
    pub self_train_docs: usize,
    /// Self-training: words seen fewer times get no shares.
    pub self_train_min: u32,
    /// Stacked self-training: cut each corpus into this many blocks of consecutive sentences and
    /// let each training sentence see the lexicon counted by a first model that did not see its
    /// block (0: off; else 2 to 255, with `self_train`).
    pub jackknife: usize,
    /// Subtracted from the O weight of the bias feature, per view.
    pub o_penalty: Vec<f32>,
    /// Added to the bias-feature weights of the entity tags of each type (PERS, LOC, ORG, MISC)
    /// in the first view.
    pub type_bias: [f32; 4],
    /// With a scale K > 0: the other corpora's sentences take passive-aggressive steps (PA-I,
    /// Hamming loss × K, capped at K); 0: unit perceptron steps everywhere.
    pub aux_pa: f32,
    /// Perceptron epochs.
    pub epochs: usize,
    /// Shuffling seed.
    pub seed: u64,
    /// Train this many perceptrons (seeds `seed`, `seed + 1`, …) and average their weights.
    pub bags: usize,
    /// Keep features seen at least this often.
    pub min_count: u32,
    /// Drop features whose averaged weights all stay below this.
    pub prune: f32,
    /// The model to ship is trained again on train and dev together ([`Recipe::train_on_all`]);
    /// the card reports the held-out run's dev scores.
    pub refit: bool,
    /// K-fold cross-validation over the whole ANERcorp file instead of a model (0: off; else at
    /// least 2): [`Recipe::cross_validate`].
    pub cv: usize,
    /// With `cv`: run only these blocks (1-based; empty: all).
    pub cv_folds: Vec<usize>,
}

impl Default for Recipe {
    fn default() -> Self {
        Recipe {
            mix: vec![Corpus::Anercorp],
            dev_frac: 0.1,
            no_domains: false,
            views: false,
            max_views: 0,
            self_train: false,
            self_train_docs: usize::MAX,
            self_train_min: 3,
            jackknife: 0,
            o_penalty: vec![0.0],
            type_bias: [0.0; 4],
            aux_pa: 0.0,
            epochs: 8,
            seed: 1,
            bags: 1,
            min_count: 1,
            prune: 0.01,
            refit: false,
            cv: 0,
            cv_folds: Vec::new(),
        }
    }
}

/// The annotated corpora a recipe reads, whole and in file order (the recipe holds dev out).
#[derive(Debug, Clone, Default)]
pub struct Corpora {
    /// ANERcorp train.txt; its last [`Recipe::dev_frac`] of sentences is the dev set.
    pub anercorp: Vec<Sentence>,
    /// AQMAR train.txt.
    pub aqmar_train: Vec<Sentence>,
    /// AQMAR dev.txt (scored, trained on only by a refit).
    pub aqmar_dev: Vec<Sentence>,
    /// WikiFANEGold (may stay empty when the mix leaves it out).
    pub wikifane: Vec<Sentence>,
}

/// The texts of a news corpus, read once through.
pub type NewsTexts = Box<dyn Iterator<Item = String>>;

/// The news corpus that self-training tags.
pub struct News<'a> {
    /// Its name, for progress lines.
    pub name: &'a str,
    /// Opens the corpus afresh and yields its texts; called once per lexicon counted.
    pub texts: Box<dyn Fn() -> Result<NewsTexts, BoxError> + 'a>,
}

/// Where counted self-training lexicons are kept between runs, under keys that a file cache can
/// append to its path: `""` for the lexicon of a training run, `.cvIofK` for block I of K of a
/// cross-validation, and `.jkBofK` appended to either for jackknife block B of K. An entry is
/// only valid for the same data, seed and settings of the first model.
pub trait LexiconCache {
    /// The lexicon stored under `key`, if there is one that reads.
    fn load(&self, key: &str) -> Option<TypeLexicon>;
    /// Stores `lexicon` under `key`.
    fn store(&self, key: &str, lexicon: &TypeLexicon) -> Result<(), BoxError>;
}

/// What a recipe trains with besides its corpora.
pub struct Inputs<'a> {
    /// The name lists (empty to train without).
    pub gazetteer: &'a Gazetteer,
    /// The word clusters' file bytes (empty to train without).
    pub cluster_bytes: &'a [u8],
    /// The news corpus of self-training (needed with [`Recipe::self_train`]).
    pub news: Option<News<'a>>,
    /// Where the counted lexicons are cached, if anywhere.
    pub lexicon_cache: Option<&'a dyn LexiconCache>,
    /// Gets the progress lines.
    pub log: &'a dyn Fn(&str),
}

impl Recipe {
    /// Checks the settings; the message of an error names the option of `marsad train ner`.
    pub fn check(&self) -> Result<(), NerError> {
        let k = self.jackknife;
        if !(k == 0 || ((2..=255).contains(&k) && self.self_train)) {
            return Err(NerError::BadSettings(format!(
                "--jackknife: want 0 (off) or 2 to 255 blocks, with --self-train; got {k}{}",
                if self.self_train {
                    ""
                } else {
                    " without --self-train"
                }
            )));
        }
        if !(self.aux_pa.is_finite() && self.aux_pa >= 0.0) {
            return Err(NerError::BadSettings(format!(
                "--aux-pa: want a scale ≥ 0, got {}",
                self.aux_pa
            )));
        }
        Ok(())
    }

    /// The perceptron's settings.
    pub fn config(&self) -> crate::train::Config {
        crate::train::Config {
            epochs: self.epochs,
            seed: self.seed,
            min_count: self.min_count,
            prune: self.prune,
            views: self.views,
            o_penalty: self.o_penalty.clone(),
            type_bias: self.type_bias,
            bags: self.bags,
            max_views: self.max_views,
            aux_pa: self.aux_pa,
        }
    }

    /// How many of ANERcorp's `n` sentences are held out as dev.
    pub fn dev_len(&self, n: usize) -> usize {
        ((n as f64) * self.dev_frac).round() as usize
    }

    /// The corpora a training run ([`Recipe::train`]) learns from, one `name: N sentences, T
    /// tokens` line each, in mix order.
    pub fn sources(&self, c: &Corpora) -> Vec<String> {
        let n_dev = self.dev_len(c.anercorp.len());
        let aner = &c.anercorp[..c.anercorp.len() - n_dev];
        let parts = [aner, &c.aqmar_train[..], &c.wikifane[..]];
        self.mix.iter().map(|&m| describe(m, parts)).collect()
    }

    /// The view AQMAR dev is tagged in: its own with views (and domains), else ANERcorp's.
    fn aqmar_view(&self) -> usize {
        usize::from(self.views && !self.no_domains)
    }

    /// The training sentences of a mix, with their domains and one description each.
    fn assemble(&self, parts: [&[Sentence]; 3]) -> (Vec<Sentence>, Vec<u8>, Vec<String>) {
        let mut data: Vec<Sentence> = Vec::new();
        let mut domains: Vec<u8> = Vec::new();
        let mut sources = Vec::new();
        for &m in &self.mix {
            let part = parts[usize::from(m.domain())];
            sources.push(describe(m, parts));
            let d = if self.no_domains { 0 } else { m.domain() };
            domains.extend(std::iter::repeat_n(d, part.len()));
            data.extend_from_slice(part);
        }
        (data, domains, sources)
    }

    /// The news corpus, which self-training needs.
    fn news<'i>(&self, inp: &'i Inputs<'_>) -> Result<Option<&'i News<'i>>, NerError> {
        match (&inp.news, self.self_train) {
            (_, false) => Ok(None),
            (Some(n), true) => Ok(Some(n)),
            (None, true) => Err(NerError::BadSettings(
                "self-training needs a news corpus".to_string(),
            )),
        }
    }
}

/// `name: N sentences, T tokens` of corpus `m` among `parts` (in domain order).
fn describe(m: Corpus, parts: [&[Sentence]; 3]) -> String {
    let part = parts[usize::from(m.domain())];
    let toks: usize = part.iter().map(|s| s.tokens.len()).sum();
    format!("{}: {} sentences, {toks} tokens", m.name(), part.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(n: usize, len: usize) -> Vec<Sentence> {
        (0..n)
            .map(|i| Sentence {
                tokens: vec![format!("w{i}"); len],
                tags: vec![0; len],
            })
            .collect()
    }

    #[test]
    fn mix_is_assembled_in_order_with_its_domains() {
        let c = Corpora {
            anercorp: sentences(10, 2),
            aqmar_train: sentences(3, 1),
            aqmar_dev: sentences(1, 1),
            wikifane: sentences(2, 4),
        };
        let r = Recipe {
            mix: vec![Corpus::Wikifane, Corpus::Anercorp],
            dev_frac: 0.2,
            ..Recipe::default()
        };
        assert_eq!(r.dev_len(10), 2);
        assert_eq!(
            r.sources(&c),
            [
                "wikifane: 2 sentences, 8 tokens",
                "anercorp: 8 sentences, 16 tokens"
            ]
        );
        let (data, domains, _) = r.assemble([&c.anercorp, &c.aqmar_train, &c.wikifane]);
        assert_eq!(data.len(), 12);
        assert_eq!(domains, [2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let flat = Recipe {
            no_domains: true,
            ..r
        };
        let (_, domains, _) = flat.assemble([&c.anercorp, &c.aqmar_train, &c.wikifane]);
        assert!(domains.iter().all(|&d| d == 0));
        assert_eq!(Corpus::from_name("aqmar"), Some(Corpus::Aqmar));
        assert_eq!(Corpus::from_name("conll"), None);
    }

    #[test]
    fn settings_are_checked_naming_the_option() {
        assert!(Recipe::default().check().is_ok());
        let jk = Recipe {
            jackknife: 3,
            ..Recipe::default()
        };
        let e = jk.check().unwrap_err().to_string();
        assert!(
            e.starts_with("--jackknife") && e.ends_with("without --self-train"),
            "{e}"
        );
        let one = Recipe {
            jackknife: 1,
            self_train: true,
            ..Recipe::default()
        };
        assert!(one.check().is_err());
        let pa = Recipe {
            aux_pa: -1.0,
            ..Recipe::default()
        };
        assert!(pa.check().unwrap_err().to_string().contains("--aux-pa"));
    }
}
