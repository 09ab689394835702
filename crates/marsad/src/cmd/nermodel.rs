//! Options shared by the NER commands (`tag`, `eval ner`, `train ner`): which model, and how
//! WikiFANE's fine types map to the four types.

use anyhow::{Context, Result};
use marsad_ner::conll::{self, Sentence};
use marsad_ner::doc::DocConfig;
use marsad_ner::recipe::Corpus;
use marsad_ner::tags::FineMap;
use marsad_ner::Tagger;
use marsad_pipeline::input;
use std::time::Instant;

/// Which model to use: the built-in one, or files.
#[derive(clap::Args, Clone)]
pub struct ModelArgs {
    /// A model file (default: the model compiled in).
    #[arg(long)]
    model: Option<String>,
    /// The word clusters the model was trained with (with --model).
    #[arg(long, default_value = "models/clusters.bin")]
    clusters: String,
    /// Whose annotation conventions to follow: anercorp (news; what the pipeline uses) or aqmar
    /// (Wikipedia, many more MISC names), when the model was trained with views (`marsad train
    /// ner --views`). auto: for `eval ner`, the conventions the gold file spells its tags in
    /// (AQMAR writes PER and MIS, ANERcorp PERS and MISC); for `tag`, anercorp.
    #[arg(long, default_value = "auto", value_parser = ["auto", "anercorp", "aqmar", "wikifane"])]
    view: String,
    /// Document-level second pass: sentences before and after each sentence that count as its
    /// document context (0: tag each sentence alone; default: the model's setting). Sentences
    /// between `-DOCSTART-` lines form a document.
    #[arg(long)]
    doc_window: Option<usize>,
    /// Document-level second pass: bonus on entity tags a word got nearby (default: the model's).
    #[arg(long)]
    doc_entity: Option<f32>,
    /// Document-level second pass: bonus on O for a word left O nearby (default: the model's).
    #[arg(long)]
    doc_outside: Option<f32>,
}

impl ModelArgs {
    pub fn load(&self) -> Result<&'static Tagger> {
        let t0 = Instant::now();
        let t = match &self.model {
            None => Tagger::builtin()?,
            Some(p) => {
                let m = std::fs::read(p).with_context(|| format!("{p}: cannot read"))?;
                let c = std::fs::read(&self.clusters)
                    .with_context(|| format!("{}: cannot read", self.clusters))?;
                &*Box::leak(Box::new(Tagger::from_bytes(&m, &c)?))
            }
        };
        eprintln!(
            "marsad: NER model loaded in {:.1} ms ({} features, {} view(s))",
            t0.elapsed().as_secs_f64() * 1000.0,
            t.features(),
            t.views()
        );
        let v = view_index(&self.view);
        if v >= t.views() {
            eprintln!(
                "marsad: the model has no {} view; tagging with ANERcorp's conventions",
                self.view
            );
        }
        Ok(t)
    }

    pub fn view(&self) -> usize {
        view_index(&self.view)
    }

    /// The view for scoring against the gold file `path` whose text is `gold`: `auto` follows
    /// the file's tag spelling.
    pub fn view_for_gold(&self, path: &str, gold: &str) -> usize {
        if self.view != "auto" {
            return self.view();
        }
        let view = if conll::aqmar_spelling(gold.lines()) {
            "aqmar"
        } else {
            "anercorp"
        };
        eprintln!("marsad: {path} spells its tags as {view} does; scoring in the {view} view (--view to choose)");
        view_index(view)
    }

    /// The document-level settings: the model's, with the command line's overrides.
    pub fn doc(&self, tagger: &Tagger) -> DocConfig {
        let mut c = tagger.doc_config();
        if let Some(w) = self.doc_window {
            c.window = w;
        }
        if let Some(x) = self.doc_entity {
            c.entity = x;
        }
        if let Some(x) = self.doc_outside {
            c.outside = x;
        }
        c
    }
}

/// The view (weight table) of a corpus's annotation conventions (ANERcorp's for `auto`).
pub fn view_index(corpus: &str) -> usize {
    Corpus::from_name(corpus).map_or(0, Corpus::view)
}

/// How WikiFANE's fine types map to the four types.
#[derive(clap::Args, Clone)]
pub struct FineArgs {
    /// WikiFANE `Group` (peoples, tribes): o, pers, loc, org or misc.
    #[arg(long, default_value = "o")]
    pub wikifane_group: String,
    /// WikiFANE facilities (buildings, roads, airports).
    #[arg(long, default_value = "loc")]
    pub wikifane_facility: String,
    /// WikiFANE products, vehicles, weapons, works.
    #[arg(long, default_value = "misc")]
    pub wikifane_product: String,
}

fn type_arg(s: &str) -> Result<Option<usize>> {
    Ok(match s {
        "o" | "O" => None,
        "pers" | "PERS" | "per" => Some(0),
        "loc" | "LOC" => Some(1),
        "org" | "ORG" => Some(2),
        "misc" | "MISC" => Some(3),
        _ => anyhow::bail!("{s}: want o, pers, loc, org or misc"),
    })
}

impl FineArgs {
    pub fn map(&self) -> Result<FineMap> {
        Ok(FineMap {
            group: type_arg(&self.wikifane_group)?,
            facility: type_arg(&self.wikifane_facility)?,
            product: type_arg(&self.wikifane_product)?,
        })
    }
}

/// Reads a CoNLL file (`.gz` too) into sentences.
pub fn read_conll(path: &str, fine: FineMap) -> Result<Vec<Sentence>> {
    let r = input::open_lines(path)?;
    conll::Reader::new(r, fine)
        .read_all()
        .with_context(|| format!("{path}: cannot read"))
}
