//! `marsad train ner`: the options of the NER training recipe (`marsad_ner::recipe`), the
//! corpora and resources read from files, and the model, card and scores written out.

use super::news_texts;
use crate::cmd::nermodel::{read_conll, FineArgs};
use crate::files::write_atomic;
use anyhow::{anyhow, Context, Result};
use marsad_ner::clusters::Clusters;
use marsad_ner::gazetteer::Gazetteer;
use marsad_ner::lexicon::TypeLexicon;
use marsad_ner::recipe::{self, CardLabels, Corpora, Corpus, Inputs, LexiconCache, News};
use marsad_ner::recipe::{NewsTexts, Recipe};
use marsad_ner::BoxError;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// Arguments of `marsad train ner`.
#[derive(clap::Args)]
pub struct TrainArgs {
    /// ANERcorp train split; its last --dev-frac of sentences is held out as dev.
    #[arg(long, default_value = "../shared/data/ner/anercorp/train.txt")]
    anercorp: String,
    /// Folder with AQMAR train.txt and dev.txt.
    #[arg(long, default_value = "../shared/data/ner/aqmar")]
    aqmar: String,
    /// WikiFANEGold file.
    #[arg(
        long,
        default_value = "../shared/data/ner/wikifane/WikiFANE_Gold_2014_500K.txt"
    )]
    wikifane: String,
    /// Training mix: comma-separated among anercorp, aqmar, wikifane.
    #[arg(long, default_value = "anercorp")]
    mix: String,
    /// Share of ANERcorp's sentences (from the end) held out as dev.
    #[arg(long, default_value_t = 0.1)]
    dev_frac: f64,
    #[command(flatten)]
    fine: FineArgs,
    /// Gazetteer sources: cities500.json and subdivisions.tsv below this folder.
    #[arg(long, default_value = "../shared/data/geo")]
    geo: String,
    /// Person names (arabnamer JSON).
    #[arg(long, default_value = "../shared/data/ner/names/arabnamer-names.json")]
    names: String,
    /// Word clusters (built by `marsad train clusters`).
    #[arg(long, default_value = "models/clusters.bin")]
    clusters: String,
    /// Train without word clusters (ablation).
    #[arg(long)]
    no_clusters: bool,
    /// Train without corpus-private feature copies (ablation).
    #[arg(long)]
    no_domains: bool,
    /// Train without gazetteers (ablation).
    #[arg(long)]
    no_gazetteer: bool,
    /// Keep one weight table per corpus of the mix (shared + corpus-private feature copies), so
    /// the model can tag with each corpus's conventions (`--view` of `marsad eval ner`);
    /// without it, the private copies of non-ANERcorp sentences are dropped.
    #[arg(long)]
    views: bool,
    /// With --views: ship only the first this many views (0: all); `2` keeps ANERcorp's and
    /// AQMAR's and lets WikiFANE help the shared weights without a view of its own.
    #[arg(long, default_value_t = 0)]
    max_views: usize,
    /// Self-training: tag this news corpus (JSONL, optionally gzipped, `text` field) with a
    /// first model, count how often each word is tagged as each type, and train the final model
    /// with those shares as features (the lexicon ships in the model).
    #[arg(long)]
    self_train: Option<String>,
    /// Self-training: use at most this many documents of the corpus.
    #[arg(long, default_value_t = usize::MAX)]
    self_train_docs: usize,
    /// Self-training: words seen fewer times get no shares.
    #[arg(long, default_value_t = 3)]
    self_train_min: u32,
    /// Self-training: read the type lexicon from this file when it exists instead of tagging the
    /// corpus, else write the counted one there (for quick experiments that share a lexicon).
    /// With --cv, each block has its own file (FILE.cvIofK), so reruns stay honest; with
    /// --jackknife, each jackknife lexicon too (….jkBofK). A cache is only valid for the same
    /// data, seed and settings of the first model.
    #[arg(long)]
    lexicon_cache: Option<String>,
    /// Self-training, stacked honestly: cut each corpus into K blocks of consecutive sentences,
    /// count K more lexicons, each by a first model that did not see one block, and let each
    /// training sentence see the lexicon of the model that did not see it (the shipped lexicon
    /// is still the one counted by the first model trained on everything). 0: off.
    #[arg(long, default_value_t = 0)]
    jackknife: usize,
    /// Subtracted from the O weight of the bias feature, per view (comma-separated): trades
    /// precision for recall.
    #[arg(long, default_value = "0")]
    o_penalty: String,
    /// Added to the bias-feature weights of the entity tags of each type in the first view
    /// (ANERcorp's), in the order PERS,LOC,ORG,MISC: raises (or lowers) a type's recall.
    #[arg(long, default_value = "0,0,0,0")]
    type_bias: String,
    /// With a scale K > 0: the sentences of the other corpora of the mix (AQMAR, WikiFANE) are
    /// learned with passive-aggressive steps (PA-I, Hamming loss × K, capped at K) instead of
    /// unit perceptron steps; ANERcorp's keep unit steps. 0: unit steps everywhere.
    #[arg(long, default_value_t = 0.0)]
    aux_pa: f32,
    /// Perceptron epochs.
    #[arg(long, default_value_t = 8)]
    epochs: usize,
    /// Shuffling seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Train this many perceptrons (seeds seed, seed + 1, …) and average their weights.
    #[arg(long, default_value_t = 1)]
    bags: usize,
    /// Keep features seen at least this often.
    #[arg(long, default_value_t = 1)]
    min_count: u32,
    /// Drop features whose averaged weights all stay below this.
    #[arg(long, default_value_t = 0.01)]
    prune: f32,
    /// Where to write the model (nothing is written with --dry-run).
    #[arg(long, default_value = "models/ner.bin")]
    out: String,
    /// Where to write the model card.
    #[arg(long, default_value = "models/ner.md")]
    card: String,
    /// Only report dev scores; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// After scoring on the dev sets, train again with the same settings on train and dev
    /// together (ANERcorp's held-out sentences and AQMAR dev.txt join their corpora) and ship
    /// that model; the card reports the held-out run's dev scores.
    #[arg(long)]
    refit: bool,
    /// Instead of training a model: K-fold cross-validation over the whole ANERcorp file (train
    /// and dev), cut into K blocks of consecutive sentences. Each block is tagged (with the
    /// document pass) by a model trained with these settings on the other blocks and the other
    /// corpora of the mix; prints each block's and the pooled scores, and writes nothing. With
    /// --self-train, each fold counts its own lexicon (cached per block with --lexicon-cache).
    #[arg(long, default_value_t = 0)]
    cv: usize,
    /// With --cv: also write every block's held-out tagging to this file, one `token gold
    /// predicted` line per token, sentences separated by blank lines (for error analysis).
    #[arg(long, requires = "cv")]
    cv_out: Option<String>,
    /// With --cv: run only these blocks (1-based, comma-separated; the pooled scores are theirs),
    /// so that several processes can share the folds.
    #[arg(long, requires = "cv", value_delimiter = ',')]
    cv_folds: Vec<usize>,
}

/// A comma-separated list of numbers given to option `opt`.
fn numbers(list: &str, opt: &str) -> Result<Vec<f32>> {
    list.split(',')
        .map(|x| x.trim().parse::<f32>())
        .collect::<Result<_, _>>()
        .with_context(|| format!("{opt}: want numbers separated by commas, got {list:?}"))
}

impl TrainArgs {
    /// The corpora of `--mix`.
    fn mix(&self) -> Result<Vec<Corpus>> {
        (self.mix.split(',').map(str::trim))
            .map(|m| Corpus::from_name(m).ok_or_else(|| anyhow!("--mix: unknown corpus {m}")))
            .collect()
    }

    /// The recipe these options ask for, of the corpora `mix`; a malformed option is refused
    /// with its name.
    fn recipe(&self, mix: Vec<Corpus>) -> Result<Recipe> {
        let o_penalty = numbers(&self.o_penalty, "--o-penalty")?;
        let type_bias = numbers(&self.type_bias, "--type-bias")?;
        let n = type_bias.len();
        let recipe = Recipe {
            mix,
            dev_frac: self.dev_frac,
            no_domains: self.no_domains,
            views: self.views,
            max_views: self.max_views,
            self_train: self.self_train.is_some(),
            self_train_docs: self.self_train_docs,
            self_train_min: self.self_train_min,
            jackknife: self.jackknife,
            o_penalty,
            type_bias: type_bias.try_into().map_err(|_| {
                anyhow!("--type-bias: want four numbers (PERS,LOC,ORG,MISC), got {n}")
            })?,
            aux_pa: self.aux_pa,
            epochs: self.epochs,
            seed: self.seed,
            bags: self.bags,
            min_count: self.min_count,
            prune: self.prune,
            refit: self.refit,
            cv: self.cv,
            cv_folds: self.cv_folds.clone(),
        };
        recipe.check()?;
        Ok(recipe)
    }
}

/// `--lexicon-cache FILE`: each lexicon in FILE with its key appended (`FILE.cv1of5.jk0of3`).
struct FileCache<'a>(&'a str);

impl LexiconCache for FileCache<'_> {
    fn load(&self, key: &str) -> Option<TypeLexicon> {
        let b = std::fs::read(format!("{}{key}", self.0)).ok()?;
        TypeLexicon::from_bytes(&b).map(|(l, _)| l)
    }

    fn store(&self, key: &str, lexicon: &TypeLexicon) -> Result<(), BoxError> {
        let mut b = Vec::new();
        lexicon.to_bytes(&mut b);
        Ok(write_atomic(format!("{}{key}", self.0), &b)?)
    }
}

/// Runs `marsad train ner`.
pub fn train(a: TrainArgs) -> Result<ExitCode> {
    let t0 = Instant::now();
    let fine = a.fine.map()?;
    // the corpora are read and described before the other options are checked
    let cut = Recipe {
        mix: a.mix()?,
        dev_frac: a.dev_frac,
        ..Recipe::default()
    };
    let aqmar = Path::new(&a.aqmar);
    let corpora = Corpora {
        anercorp: read_conll(&a.anercorp, fine)?,
        aqmar_train: read_conll(&aqmar.join("train.txt").to_string_lossy(), fine)?,
        aqmar_dev: read_conll(&aqmar.join("dev.txt").to_string_lossy(), fine)?,
        wikifane: if cut.mix.contains(&Corpus::Wikifane) {
            read_conll(&a.wikifane, fine)?
        } else {
            Vec::new()
        },
    };
    for s in cut.sources(&corpora) {
        eprintln!("marsad: train {s}");
    }
    let cluster_bytes = if a.no_clusters {
        Vec::new()
    } else {
        std::fs::read(&a.clusters).with_context(|| format!("{}: cannot read", a.clusters))?
    };
    let clusters = Clusters::from_bytes(cluster_bytes.clone())?;
    let log = |m: &str| eprintln!("marsad: {m}");
    let (gaz, rep) = if a.no_gazetteer {
        (Gazetteer::new(), Default::default())
    } else {
        marsad_ner::sources::build(Path::new(&a.geo), Path::new(&a.names), log)?
    };
    eprintln!(
        "marsad: gazetteer {} keys ({} place names, {} person names, {} hand-listed); {} clustered words",
        gaz.len(),
        rep.places,
        rep.persons,
        rep.hand,
        clusters.len()
    );
    let recipe = a.recipe(cut.mix)?;
    let cache = a.lexicon_cache.as_deref().map(FileCache);
    let inputs = Inputs {
        gazetteer: &gaz,
        cluster_bytes: &cluster_bytes,
        news: a.self_train.as_deref().map(|name| News {
            name,
            texts: Box::new(move || Ok(Box::new(news_texts(name)?) as NewsTexts)),
        }),
        lexicon_cache: cache.as_ref().map(|c| c as &dyn LexiconCache),
        log: &log,
    };
    if recipe.cv > 0 {
        return cross_validate(&a, &recipe, &corpora, &inputs);
    }
    let (mut model, dev) = recipe.train(&corpora, &inputs)?;
    if let Some((fa, fq)) = dev.alone {
        println!("sentence by sentence — ANERcorp dev F1 {fa:.2}, AQMAR dev F1 {fq:.2}");
    }
    println!(
        "ANERcorp dev (last {} sentences of train.txt):\n{}",
        dev.n_dev,
        dev.anercorp.table()
    );
    println!("AQMAR dev:\n{}", dev.aqmar.table());
    println!(
        "mix {} — ANERcorp dev F1 {:.2}, AQMAR dev F1 {:.2}, {} features, {:.1} MB, {:.0} tokens/s, {:.0}s",
        a.mix,
        dev.anercorp.micro().2 * 100.0,
        dev.aqmar.micro().2 * 100.0,
        model.features,
        model.model.len() as f64 / 1e6,
        model.tokens_per_s,
        t0.elapsed().as_secs_f64()
    );
    if a.dry_run {
        return Ok(ExitCode::SUCCESS);
    }
    if recipe.refit {
        model = recipe.train_on_all(&corpora, &inputs)?;
        eprintln!(
            "marsad: refit model: {} features, {:.1} MB, {:.0} tokens/s",
            model.features,
            model.model.len() as f64 / 1e6,
            model.tokens_per_s
        );
    }
    write_atomic(&a.out, &model.model)?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let labels = CardLabels {
        command: format!("marsad {}", args.join(" ")),
        news: a.self_train.clone().unwrap_or_default(),
        o_penalty: a.o_penalty.clone(),
        type_bias: a.type_bias.clone(),
        wikifane: [
            a.fine.wikifane_group.clone(),
            a.fine.wikifane_facility.clone(),
            a.fine.wikifane_product.clone(),
        ],
    };
    let card = recipe::card(&recipe, &labels, &rep, &model, &dev);
    write_atomic(&a.card, card.as_bytes())?;
    eprintln!("marsad: wrote {} and {}", a.out, a.card);
    Ok(ExitCode::SUCCESS)
}

/// `--cv K`: prints the held-out scores of each block as it is done, then of all pooled, and
/// writes the held-out tagging to `--cv-out`.
fn cross_validate(a: &TrainArgs, r: &Recipe, c: &Corpora, inp: &Inputs<'_>) -> Result<ExitCode> {
    let t0 = Instant::now();
    let report = r.cross_validate(c, inp, a.cv_out.is_some(), |f| {
        println!(
            "fold {}/{}: ANERcorp sentences {}..{}, {} names — F1 {:.2}",
            f.block,
            f.of,
            f.sentences.start,
            f.sentences.end,
            f.scores.gold.iter().sum::<usize>(),
            f.f1()
        );
    })?;
    let (k, (mean, sd)) = (report.k, report.mean_sd());
    println!(
        "ANERcorp {k}-fold cross-validation (all {} sentences of {}):\n{}",
        report.sentences,
        a.anercorp,
        report.pooled.table()
    );
    println!(
        "cv {k} — ANERcorp pooled F1 {:.2}, fold mean {mean:.2} ± {sd:.2}, {:.0}s",
        report.pooled.micro().2 * 100.0,
        t0.elapsed().as_secs_f64()
    );
    if let (Some(path), Some(text)) = (&a.cv_out, &report.tagging) {
        write_atomic(path, text.as_bytes())
            .with_context(|| format!("writing the held-out tagging to {path}"))?;
        println!("held-out tagging of every block written to {path}");
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Train {
        #[command(flatten)]
        args: TrainArgs,
    }

    #[test]
    fn the_default_recipe_is_the_command_lines() {
        let a = Train::parse_from(["train"]).args;
        assert_eq!(a.recipe(a.mix().unwrap()).unwrap(), Recipe::default());
    }
}
