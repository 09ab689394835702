//! The event detector learned from both gold sets: the sentence-level gold standard (does this
//! sentence report an assault, a protest?) and the article-level gold (which candidates of an
//! article tell a counted happening). Article candidates are labelled by the gold events they
//! overlap; a candidate in an article whose gold has a counted event of its category that it
//! does not overlap is left out (a restatement, or a happening the gold left out: neither a
//! clear yes nor a clear no).

use super::articles::{in_scope, GoldArticle};
use crate::{annotate_staged, Doc, EventStage, Models, StageTimes};
use marsad_events::detector::{self, Detector, Sentence, SHARED_CATEGORIES, SHARED_MODEL};
use marsad_events::{Category, Extractor, Span};
use std::collections::HashMap;

/// One article's labelled candidates: category, features, whether the rules keep it whatever
/// the detector says, and the label.
pub type ArticleExamples = Vec<(Category, Vec<f32>, bool, bool)>;

/// An article to learn from or to score: id, text and publication date.
pub struct ArticleDoc {
    /// Its id (as in the gold).
    pub id: String,
    /// Its text.
    pub text: String,
    /// Its publication date.
    pub date: Option<chrono::NaiveDate>,
}

/// The labelled candidates of each article (in the order of `docs`).
pub fn article_examples(
    models: &Models,
    docs: &[ArticleDoc],
    gold: &HashMap<String, GoldArticle>,
) -> Vec<ArticleExamples> {
    docs.iter()
        .map(|a| {
            let Some(g) = gold.get(&a.id) else {
                return Vec::new();
            };
            let doc = Doc {
                id: a.id.clone(),
                text: &a.text,
                date: a.date,
                title: None,
                url: None,
                outlet: None,
            };
            let ann = annotate_staged(
                models,
                &doc,
                &mut StageTimes::default(),
                EventStage::Candidates,
            );
            let feats = models.events.features(&a.text, &ann.text, &ann.events);
            let mut out = Vec::new();
            for (e, f) in ann.events.iter().zip(feats) {
                if !in_scope(e) || !e.modality.counts() {
                    continue;
                }
                let counted: Vec<Span> = g
                    .events
                    .iter()
                    .filter(|x| x.counted() && x.kind == e.event_type.name())
                    .map(|x| Span::new(x.evidence[0], x.evidence[1]))
                    .collect();
                let hit = counted
                    .iter()
                    .any(|s| e.evidence.span.overlaps(s) || e.trigger.span.overlaps(s));
                if hit || counted.is_empty() {
                    out.push((e.event_type, f, marsad_events::fully_specified(e), hit));
                }
            }
            out
        })
        .collect()
}

/// The examples of a category's model: its own category's, or every shared category's.
fn of_model<'a>(
    articles: impl Iterator<Item = &'a ArticleExamples>,
    cat: Option<Category>,
) -> Vec<Sentence> {
    articles
        .flat_map(|a| a.iter())
        .filter(|(c, ..)| match cat {
            Some(own) => *c == own,
            None => SHARED_CATEGORIES.contains(c),
        })
        .map(|(_, f, kept, y)| (vec![(f.clone(), *kept)], *y))
        .collect()
}

/// What to learn from: the gold-standard sentences of the categories with their own model,
/// with the L2 penalty of each, and the article examples.
pub struct Training<'a> {
    /// Per category with its own model: its gold-standard sentences and L2 penalty.
    pub sentences: Vec<(Category, &'a [Sentence], f32)>,
    /// The L2 penalty of the shared model.
    pub shared_l2: f32,
    /// The labelled candidates of each article.
    pub articles: &'a [ArticleExamples],
}

/// Trains every model on the gold-standard sentences and the article examples of the articles
/// `use_article` admits. A category's model also learns from the other categories' sentences
/// (whether a sentence reports a concrete event looks much the same across them); its threshold
/// maximizes F1 over its own sentences and article candidates together.
pub fn train(t: &Training, use_article: impl Fn(usize) -> bool) -> Detector {
    let epochs = 400;
    let used = || {
        t.articles
            .iter()
            .enumerate()
            .filter(|(i, _)| use_article(*i))
            .map(|(_, a)| a)
    };
    let mut det = Detector {
        features: detector::feature_names(),
        ..Default::default()
    };
    for (cat, own, l2) in &t.sentences {
        let mut scored: Vec<Sentence> = own.to_vec();
        scored.extend(of_model(used(), Some(*cat)));
        let pooled: Vec<Sentence> = t
            .sentences
            .iter()
            .filter(|(c, ..)| c != cat)
            .flat_map(|(_, s, _)| s.iter().cloned())
            .collect();
        det.models.insert(
            cat.name().to_string(),
            detector::fit(&scored, &pooled, *l2, epochs),
        );
    }
    let shared = of_model(used(), None);
    if shared.iter().any(|(_, y)| *y) {
        let pooled: Vec<Sentence> = t
            .sentences
            .iter()
            .flat_map(|(_, s, _)| s.iter().cloned())
            .collect();
        det.models.insert(
            SHARED_MODEL.to_string(),
            detector::fit(&shared, &pooled, t.shared_l2, epochs),
        );
    }
    det
}

/// The models with the events stage run by an extractor with detector `det` (the same
/// lexicons and ontology).
pub fn with_detector(models: &Models, det: Detector) -> Models {
    let x = models.events;
    let events: &'static Extractor = Box::leak(Box::new(Extractor::new(
        x.lexicon().clone(),
        x.ontology().clone(),
        det,
    )));
    Models {
        ner: models.ner,
        geo: models.geo,
        events,
    }
}
