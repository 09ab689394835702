//! The article-level event gold (`../shared/data/events/article-gold/`): every in-scope event as a
//! whole article reports it, one record per happening. [`score`] computes what the reference scorer
//! `score.py` computes — event P/R/F1 over counted events of the scored categories, and argument
//! accuracy on matched pairs — and adds figures per type, a modality confusion table and the list
//! of errors for analysis.

use super::GoldError;
use marsad_events::{Category, Event, Modality, Span};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// The categories the article gold codes (SANCTION only with mode `defect`).
const SCOPE: [Category; 7] = [
    Category::Assault,
    Category::Coerce,
    Category::Protest,
    Category::Retreat,
    Category::Mobilize,
    Category::Threaten,
    Category::Sanction,
];

/// Whether a predicted event is of a category the gold codes.
pub fn in_scope(e: &Event) -> bool {
    SCOPE.contains(&e.event_type)
        && (e.event_type != Category::Sanction || e.mode.iter().any(|m| m == "defect"))
}

/// A gold span, `[start, end)` bytes into the article text.
type Pair = [usize; 2];

fn span(p: Pair) -> Span {
    Span {
        start: p[0],
        end: p[1],
    }
}

/// The place of a gold event.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GoldLocation {
    /// The place as written, when the text names it.
    #[serde(default)]
    pub text: Option<Pair>,
    /// ISO country code.
    #[serde(default)]
    pub country: Option<String>,
    /// GeoNames id, when the place has one.
    #[serde(default)]
    pub geonameid: Option<u64>,
    /// Latitude, when known.
    #[serde(default)]
    pub lat: Option<f64>,
    /// Longitude, when known.
    #[serde(default)]
    pub lon: Option<f64>,
}

/// One gold event.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldEvent {
    /// PLOVER category name.
    #[serde(rename = "type")]
    pub kind: String,
    /// Modes.
    #[serde(default)]
    pub mode: Vec<String>,
    /// The clearest mention.
    pub evidence: Pair,
    /// The word that names it.
    #[serde(default)]
    pub trigger: Option<Pair>,
    /// Who did it.
    #[serde(default)]
    pub actors: Vec<Pair>,
    /// Where.
    #[serde(default)]
    pub location: Option<GoldLocation>,
    /// Killed, as stated.
    #[serde(default)]
    pub killed: Option<u64>,
    /// Modality (`None` counts as asserted).
    #[serde(default)]
    pub modality: Option<String>,
    /// Who says so.
    #[serde(default)]
    pub attribution: Option<Pair>,
}

impl GoldEvent {
    /// Whether the event counts (asserted, reported, claimed, or no modality).
    pub fn counted(&self) -> bool {
        matches!(
            self.modality.as_deref(),
            None | Some("asserted" | "reported" | "claimed")
        )
    }
}

/// One article of the gold with its events.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldArticle {
    /// The article id (as in `articles.jsonl`).
    pub id: String,
    /// Its events.
    pub events: Vec<GoldEvent>,
}

/// Reads `gold.jsonl`: article id → its gold.
pub fn read_article_gold(path: &Path) -> Result<HashMap<String, GoldArticle>, GoldError> {
    let text = std::fs::read_to_string(path).map_err(|source| GoldError::Io {
        path: path.display().to_string(),
        source,
    })?;
    let mut out = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let a: GoldArticle = serde_json::from_str(line).map_err(|e| GoldError::Line {
            path: path.display().to_string(),
            line: n + 1,
            message: e.to_string(),
        })?;
        out.insert(a.id.clone(), a);
    }
    Ok(out)
}

/// The events of each article of a `marsad annotate --jsonl` output.
pub fn read_predictions(
    reader: impl std::io::BufRead,
) -> Result<HashMap<String, Vec<Event>>, serde_json::Error> {
    #[derive(Deserialize)]
    struct Annotated {
        id: String,
        #[serde(default)]
        events: Vec<Event>,
    }
    let mut out = HashMap::new();
    for line in reader.lines() {
        let line = line.map_err(serde_json::Error::io)?;
        if line.trim().is_empty() {
            continue;
        }
        let a: Annotated = serde_json::from_str(&line)?;
        out.insert(a.id, a.events);
    }
    Ok(out)
}

/// Right and asked, for one argument.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Right.
    pub right: usize,
    /// Asked (the gold gives the argument).
    pub asked: usize,
}

impl Tally {
    fn add(&mut self, right: bool) {
        self.asked += 1;
        self.right += usize::from(right);
    }
}

/// Event counts of one type (or all).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Gold events found.
    pub tp: usize,
    /// Predictions that match no gold event.
    pub fp: usize,
    /// Gold events not found.
    pub fn_: usize,
}

impl Counts {
    /// Precision.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    /// Recall.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    /// F1.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// One error, for analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorLine {
    /// `FN` (a gold event not found), `FP` (a prediction matching nothing) or `ARG` (a matched
    /// pair with wrong arguments).
    pub kind: &'static str,
    /// The article.
    pub article: String,
    /// The event's category.
    pub event_type: String,
    /// Its modality (the gold's for FN, the prediction's for FP and ARG).
    pub modality: String,
    /// The trigger as written.
    pub trigger: String,
    /// The evidence as written.
    pub evidence: String,
    /// For ARG, which arguments are wrong; for FP and FN, empty.
    pub wrong: Vec<&'static str>,
}

/// What the article scorer found.
#[derive(Debug, Clone, Default)]
pub struct ArticleScores {
    /// Articles scored.
    pub articles: usize,
    /// All types.
    pub all: Counts,
    /// By type.
    pub by_type: BTreeMap<String, Counts>,
    /// Arguments on matched pairs, in `score.py`'s order: location_country, location_place,
    /// killed, actors, attribution, modality.
    pub args: [(&'static str, Tally); 6],
    /// Gold modality → predicted modality (`-` for none) → count, over all gold events of the
    /// scored types (counted or not) and the predictions that match none.
    pub modality: BTreeMap<String, BTreeMap<String, usize>>,
    /// Every false positive, miss and wrong argument.
    pub errors: Vec<ErrorLine>,
}

/// The spans a predicted event is known by: its evidence and trigger, and those of its further
/// mentions in the article.
fn pred_spans(e: &Event) -> Vec<Span> {
    let mut out = vec![e.evidence.span, e.trigger.span];
    for m in &e.mentions {
        out.push(m.evidence.span);
        out.push(m.trigger.span);
    }
    out
}

fn overlaps(a: Span, b: Span) -> bool {
    a.start < b.end && b.start < a.end
}

fn slice(text: &str, s: Span) -> String {
    s.get(text).unwrap_or("").replace(['\n', '\t'], " ")
}

/// Scores predicted events against the gold, article by article: `articles` maps an id to its
/// text, `pred` an id to its predicted events (every category; the scorer keeps those in scope).
pub fn score(
    articles: &[(String, String)],
    gold: &HashMap<String, GoldArticle>,
    pred: &HashMap<String, Vec<Event>>,
) -> ArticleScores {
    let mut s = ArticleScores {
        args: [
            ("location_country", Tally::default()),
            ("location_place", Tally::default()),
            ("killed", Tally::default()),
            ("actors", Tally::default()),
            ("attribution", Tally::default()),
            ("modality", Tally::default()),
        ],
        ..Default::default()
    };
    for (id, text) in articles {
        let Some(g) = gold.get(id) else { continue };
        s.articles += 1;
        let none = Vec::new();
        let p_all: Vec<&Event> = pred
            .get(id)
            .unwrap_or(&none)
            .iter()
            .filter(|e| in_scope(e))
            .collect();
        confusion(&mut s, g, &p_all);
        let p: Vec<&Event> = p_all
            .iter()
            .copied()
            .filter(|e| e.modality.counts())
            .collect();
        let mut used = vec![false; p.len()];
        for ge in g.events.iter().filter(|e| e.counted()) {
            let gs = span(ge.evidence);
            let typed = s.by_type.entry(ge.kind.clone()).or_default();
            let m = (0..p.len()).find(|&i| {
                !used[i]
                    && p[i].event_type.name() == ge.kind
                    && pred_spans(p[i]).into_iter().any(|x| overlaps(gs, x))
            });
            let Some(m) = m else {
                s.all.fn_ += 1;
                typed.fn_ += 1;
                s.errors.push(ErrorLine {
                    kind: "FN",
                    article: id.clone(),
                    event_type: ge.kind.clone(),
                    modality: ge.modality.clone().unwrap_or_default(),
                    trigger: ge.trigger.map(|t| slice(text, span(t))).unwrap_or_default(),
                    evidence: slice(text, gs),
                    wrong: Vec::new(),
                });
                continue;
            };
            s.all.tp += 1;
            typed.tp += 1;
            used[m] = true;
            let wrong = arguments(&mut s.args, ge, p[m]);
            if !wrong.is_empty() {
                s.errors.push(error_of("ARG", id, text, p[m], wrong));
            }
        }
        for (i, e) in p.iter().enumerate() {
            if !used[i] {
                s.all.fp += 1;
                s.by_type
                    .entry(e.event_type.name().to_string())
                    .or_default()
                    .fp += 1;
                s.errors.push(error_of("FP", id, text, e, Vec::new()));
            }
        }
    }
    s
}

fn error_of(
    kind: &'static str,
    id: &str,
    text: &str,
    e: &Event,
    wrong: Vec<&'static str>,
) -> ErrorLine {
    ErrorLine {
        kind,
        article: id.to_string(),
        event_type: e.event_type.name().to_string(),
        modality: e.modality.as_str().to_string(),
        trigger: slice(text, e.trigger.span),
        evidence: slice(text, e.evidence.span),
        wrong,
    }
}

/// Counts the arguments of a matched pair as `score.py` does; returns the names of those wrong.
fn arguments(
    args: &mut [(&'static str, Tally); 6],
    ge: &GoldEvent,
    pe: &Event,
) -> Vec<&'static str> {
    let mut wrong = Vec::new();
    let mut check = |i: usize, right: bool| {
        args[i].1.add(right);
        if !right {
            wrong.push(args[i].0);
        }
    };
    let loc = ge.location.clone().unwrap_or_default();
    let ploc = pe.location.as_ref();
    if let Some(c) = &loc.country {
        check(0, ploc.is_some_and(|p| &p.country == c));
    }
    if loc.geonameid.is_some() || loc.lat.is_some() {
        let same_id = loc.geonameid.is_some() && ploc.and_then(|p| p.geonameid) == loc.geonameid;
        let near = match (loc.lat, loc.lon, ploc) {
            (Some(lat), Some(lon), Some(p)) => {
                let d = 111.0 * (lat - p.lat).hypot((lon - p.lon) * lat.to_radians().cos());
                d <= 50.0
            }
            _ => false,
        };
        check(1, same_id || near);
    }
    if let Some(k) = ge.killed {
        check(2, pe.counts.killed.is_some_and(|c| c.value == k));
    }
    if !ge.actors.is_empty() {
        let right = ge
            .actors
            .iter()
            .any(|&a| pe.actors.iter().any(|p| overlaps(span(a), p.span)));
        check(3, right);
    }
    if let Some(a) = ge.attribution {
        check(
            4,
            pe.attribution
                .as_ref()
                .is_some_and(|p| overlaps(span(a), p.span)),
        );
    }
    check(5, ge.modality.as_deref() == Some(pe.modality.as_str()));
    wrong
}

/// The modality confusion of one article: each gold event of a scored type against the first
/// unused prediction of its type that overlaps it (whatever the modalities), then the
/// predictions left over.
fn confusion(s: &mut ArticleScores, g: &GoldArticle, p: &[&Event]) {
    let mut used = vec![false; p.len()];
    let mut add = |gold: String, pred: String| {
        *s.modality.entry(gold).or_default().entry(pred).or_default() += 1;
    };
    for ge in &g.events {
        let gs = span(ge.evidence);
        let m = (0..p.len()).find(|&i| {
            !used[i]
                && p[i].event_type.name() == ge.kind
                && pred_spans(p[i]).into_iter().any(|x| overlaps(gs, x))
        });
        let gm = ge.modality.clone().unwrap_or_else(|| "asserted".into());
        match m {
            Some(i) => {
                used[i] = true;
                add(gm, p[i].modality.as_str().to_string());
            }
            None => add(gm, "-".into()),
        }
    }
    for (i, e) in p.iter().enumerate() {
        if !used[i] {
            add("-".into(), e.modality.as_str().to_string());
        }
    }
}

/// Every modality name, for the rows and columns of a confusion table.
pub fn modality_names() -> Vec<&'static str> {
    Modality::ALL.iter().map(|m| m.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use marsad_record::testing::event;
    use serde_json::json;

    #[test]
    fn scores_like_the_reference_scorer() {
        let text = "قصفت طائرات حربية سوقا في إدلب. وتظاهر المئات في حمص. واعتقلت الشرطة خمسة.";
        let at = |w: &str| {
            let s = text.find(w).unwrap();
            [s, s + w.len()]
        };
        let gold: GoldArticle = serde_json::from_value(json!({"id": "a", "events": [
            {"type": "ASSAULT", "evidence": at("قصفت طائرات حربية سوقا في إدلب"), "trigger": at("قصفت"),
             "actors": [at("طائرات حربية")], "location": {"country": "SY", "geonameid": 169388}, "modality": "asserted"},
            {"type": "PROTEST", "evidence": at("وتظاهر المئات في حمص"), "modality": "asserted"},
            {"type": "COERCE", "evidence": at("واعتقلت الشرطة خمسة"), "modality": "historical"}
        ]}))
        .unwrap();
        let sp = |w: &str| {
            let [s, e] = at(w);
            json!({"start": s, "end": e})
        };
        let pred = vec![
            // the assault, found, with the actor and place right
            event(
                json!({"id": "p1", "event_type": "ASSAULT", "trigger": {"text": "قصفت", "span": sp("قصفت")},
                "evidence": {"span": sp("قصفت طائرات"), "sentence": sp("قصفت طائرات")},
                "actors": [{"text": "طائرات", "span": sp("طائرات")}],
                "location": {"geonameid": 169388, "country": "SY"}}),
            ),
            // the same assault again: a false positive
            event(
                json!({"id": "p2", "event_type": "ASSAULT", "trigger": {"text": "قصفت", "span": sp("قصفت")},
                "evidence": {"span": sp("سوقا"), "sentence": sp("سوقا")}}),
            ),
            // a statement: out of scope, ignored
            event(
                json!({"id": "p3", "event_type": "CONSULT", "trigger": {"text": "x", "span": sp("حمص")},
                "evidence": {"span": sp("حمص"), "sentence": sp("حمص")}}),
            ),
            // the historical arrest counted as news: a false positive
            event(
                json!({"id": "p4", "event_type": "COERCE", "trigger": {"text": "x", "span": sp("واعتقلت")},
                "evidence": {"span": sp("واعتقلت الشرطة"), "sentence": sp("واعتقلت الشرطة")}}),
            ),
        ];
        let s = score(
            &[("a".into(), text.into())],
            &HashMap::from([("a".to_string(), gold)]),
            &HashMap::from([("a".to_string(), pred)]),
        );
        assert_eq!((s.all.tp, s.all.fp, s.all.fn_), (1, 2, 1));
        assert_eq!(s.by_type["PROTEST"].fn_, 1);
        assert_eq!(s.by_type["ASSAULT"].fp, 1);
        let args: Vec<_> = s.args.iter().map(|(k, t)| (*k, t.right, t.asked)).collect();
        assert_eq!(
            args,
            [
                ("location_country", 1, 1),
                ("location_place", 1, 1),
                ("killed", 0, 0),
                ("actors", 1, 1),
                ("attribution", 0, 0),
                ("modality", 1, 1)
            ]
        );
        assert_eq!(s.modality["historical"]["asserted"], 1);
        assert_eq!(s.modality["asserted"]["-"], 1);
        assert_eq!(s.modality["-"]["asserted"], 1);
        let kinds: Vec<_> = s.errors.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, ["FN", "FP", "FP"]);
        assert!((s.all.f1() - 2.0 * (1.0 / 3.0) * 0.5 / (1.0 / 3.0 + 0.5)).abs() < 1e-12);
    }
}
