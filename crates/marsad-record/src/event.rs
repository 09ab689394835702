//! The event record (`docs/event-record.md`): one happening, who did what to whom, where, when,
//! how many, according to whom, and the words that say so.

use crate::{Bound, DatePrecision, Precision, Span};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A PLOVER event category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Category {
    /// Agree to, promise or indicate willingness to cooperate.
    Agree,
    /// Meet, discuss, visit, negotiate.
    Consult,
    /// Praise, endorse, defend verbally.
    Support,
    /// Yield, ease restrictions, accede to demands.
    Concede,
    /// Material cooperation.
    Cooperate,
    /// Provide aid.
    Aid,
    /// Withdraw, release, disarm, ceasefire, resign.
    Retreat,
    /// Demand, ask, appeal.
    Request,
    /// Disapprove, investigate, allege.
    Accuse,
    /// Reject, refuse.
    Reject,
    /// Threaten.
    Threaten,
    /// Demonstrate, riot, strike, boycott, obstruct.
    Protest,
    /// Convict, expel, withdraw, discontinue; marsad's `defect`.
    Sanction,
    /// Mobilize troops, weapons, police, militia.
    Mobilize,
    /// Seize, restrict, arrest, deport, curfew…
    Coerce,
    /// Physical violence.
    Assault,
}

impl Category {
    /// All categories in PLOVER order.
    pub const ALL: [Category; 16] = [
        Category::Agree,
        Category::Consult,
        Category::Support,
        Category::Concede,
        Category::Cooperate,
        Category::Aid,
        Category::Retreat,
        Category::Request,
        Category::Accuse,
        Category::Reject,
        Category::Threaten,
        Category::Protest,
        Category::Sanction,
        Category::Mobilize,
        Category::Coerce,
        Category::Assault,
    ];

    /// The PLOVER name (`ASSAULT`).
    pub fn name(self) -> &'static str {
        match self {
            Category::Agree => "AGREE",
            Category::Consult => "CONSULT",
            Category::Support => "SUPPORT",
            Category::Concede => "CONCEDE",
            Category::Cooperate => "COOPERATE",
            Category::Aid => "AID",
            Category::Retreat => "RETREAT",
            Category::Request => "REQUEST",
            Category::Accuse => "ACCUSE",
            Category::Reject => "REJECT",
            Category::Threaten => "THREATEN",
            Category::Protest => "PROTEST",
            Category::Sanction => "SANCTION",
            Category::Mobilize => "MOBILIZE",
            Category::Coerce => "COERCE",
            Category::Assault => "ASSAULT",
        }
    }

    /// Parses a PLOVER name, case-insensitively.
    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(s.trim()))
    }
}

/// Whether and how the text says the event happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Modality {
    /// The text states it happened.
    Asserted,
    /// The text attributes it to a source.
    Reported,
    /// A party claims it (responsibility).
    Claimed,
    /// Someone denies it happened.
    Denied,
    /// The text says it did not happen.
    Negated,
    /// It is expected, planned or threatened.
    Future,
    /// A condition, question, fear or allegation.
    Hypothetical,
    /// A past happening recalled as background (منذ اغتيال…).
    Historical,
}

impl Modality {
    /// Every modality.
    pub const ALL: [Modality; 8] = [
        Modality::Asserted,
        Modality::Reported,
        Modality::Claimed,
        Modality::Denied,
        Modality::Negated,
        Modality::Future,
        Modality::Hypothetical,
        Modality::Historical,
    ];

    /// Parses a JSON name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// Whether the event counts in aggregate figures (asserted, reported or claimed).
    pub fn counts(self) -> bool {
        matches!(
            self,
            Modality::Asserted | Modality::Reported | Modality::Claimed
        )
    }

    /// The name used in JSON (`asserted`, `reported`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Modality::Asserted => "asserted",
            Modality::Reported => "reported",
            Modality::Claimed => "claimed",
            Modality::Denied => "denied",
            Modality::Negated => "negated",
            Modality::Future => "future",
            Modality::Hypothetical => "hypothetical",
            Modality::Historical => "historical",
        }
    }
}

/// A participant (actor or recipient).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Participant {
    /// The words that name it.
    pub text: String,
    /// Their span in the original text.
    pub span: Span,
    /// The canonical entity, when the NER stage linked one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub entity_id: Option<String>,
    /// English name, when known.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub name_en: Option<String>,
    /// ISO 3166-1 alpha-2 country, when known.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub country: Option<String>,
    /// Sector: military, police, government, rebels, militia, civilians, leaders, protesters…
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub role: Option<String>,
}

/// Sectors of organized actors (armed, state or protesting): a participant of one of them is an
/// actor even when unnamed (الشرطة، مسلحون، المتظاهرون).
pub const AGENT_SECTORS: [&str; 9] = [
    "military",
    "police",
    "government",
    "rebels",
    "militia",
    "protesters",
    "parties",
    "international",
    "ngo",
];

impl Participant {
    /// The name to show in one language: the English name when known, else the words as written.
    pub fn display_name(&self) -> &str {
        self.name_en.as_deref().unwrap_or(&self.text)
    }

    /// Whether it is an actor by what the record says of it: a listed entity, a group with an
    /// English name, or an agent of an organized sector ([`AGENT_SECTORS`]). Words that only
    /// describe people (أشخاص، المدنيين، عناصر) are not; nor, by this test alone, a name the
    /// entity list lacks (the caller knows whether the tagger found a name there).
    pub fn is_agent(&self) -> bool {
        self.entity_id.is_some()
            || self.name_en.is_some()
            || self
                .role
                .as_deref()
                .is_some_and(|r| AGENT_SECTORS.contains(&r))
    }
}

/// Where an event happened (or where a movement went).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// The place as written.
    pub text: String,
    /// Its span in the original text.
    pub span: Span,
    /// GeoNames id, when the gazetteer entry has one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub geonameid: Option<u64>,
    /// English name.
    pub name_en: String,
    /// Arabic name.
    pub name_ar: String,
    /// ISO 3166-1 alpha-2 country.
    pub country: String,
    /// First-level admin area, when known.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub admin1: Option<String>,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// How precisely it locates the event.
    pub precision: Precision,
}

impl Location {
    /// The key of the place in lists and links: `g` + GeoNames id, else `c` + country code.
    pub fn key(&self) -> String {
        match self.geonameid {
            Some(g) => format!("g{g}"),
            None => format!("c{}", self.country),
        }
    }
}

/// When an event happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "EventDateWire")]
pub struct EventDate {
    /// The date (for coarser precisions, a day inside the period).
    pub value: NaiveDate,
    /// How precise it is.
    pub precision: DatePrecision,
    /// Where the date comes from: words of the text, or only the article's publication date.
    pub basis: DateBasis,
    /// The words that give it, when the text does.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub text: Option<String>,
    /// Their span, when the text gives it.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub span: Option<Span>,
}

/// Where an event's date comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateBasis {
    /// Words of the text date it (أمس، في الرابع من نيسان).
    Text,
    /// The text gives no date: the event lies on or before the article's publication.
    Publication,
}

impl DateBasis {
    /// Every basis.
    pub const ALL: [DateBasis; 2] = [DateBasis::Text, DateBasis::Publication];

    /// The name used in JSON (`text`, `publication`).
    pub fn as_str(self) -> &'static str {
        match self {
            DateBasis::Text => "text",
            DateBasis::Publication => "publication",
        }
    }
}

/// An `EventDate` as read: records stored before `basis` existed take it from the span.
#[derive(Deserialize)]
struct EventDateWire {
    value: NaiveDate,
    precision: DatePrecision,
    #[serde(default)]
    basis: Option<DateBasis>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    span: Option<Span>,
}

impl From<EventDateWire> for EventDate {
    fn from(w: EventDateWire) -> Self {
        let basis = w.basis.unwrap_or(if w.span.is_some() {
            DateBasis::Text
        } else {
            DateBasis::Publication
        });
        EventDate {
            value: w.value,
            precision: w.precision,
            basis,
            text: w.text,
            span: w.span,
        }
    }
}

/// A count of people.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Count {
    /// How many.
    pub value: u64,
    /// Whether the text gives it as approximate (حوالي، نحو، العشرات).
    pub approximate: bool,
    /// Exact or a bound.
    pub bound: Bound,
}

/// The people counts of an event.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    /// Killed.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub killed: Option<Count>,
    /// Injured.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub injured: Option<Count>,
    /// Arrested or detained.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub arrested: Option<Count>,
    /// Abducted.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub abducted: Option<Count>,
    /// Taking part (protesters, defectors).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub participants: Option<Count>,
    /// Whether the counts are a total over many incidents or a long period (a war's toll, a
    /// toll "since …", thousands killed), not this happening's own: sums leave them out.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub aggregate: bool,
}

impl Counts {
    /// The toll of the happening itself: none when the text gives only a total over many
    /// incidents (`aggregate`), which sums and fatality columns must leave out.
    pub fn own_killed(&self) -> Option<Count> {
        self.killed.filter(|_| !self.aggregate)
    }

    /// Whether no count is known.
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }

    /// The known counts with their JSON names (`killed`, `injured`, …), in record order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, Count)> {
        [
            ("killed", self.killed),
            ("injured", self.injured),
            ("arrested", self.arrested),
            ("abducted", self.abducted),
            ("participants", self.participants),
        ]
        .into_iter()
        .filter_map(|(k, c)| Some((k, c?)))
    }
}

/// Money an event involves (ransom, bribe, fine).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Money {
    /// The amount.
    pub amount: f64,
    /// ISO 4217 currency.
    pub currency: String,
    /// What the amount is for (`person`), when the text says.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub per: Option<String>,
    /// Exact or a bound.
    pub bound: Bound,
}

/// Who says so.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attribution {
    /// The source as written.
    pub text: String,
    /// Its span.
    pub span: Span,
    /// media, officials, witnesses, residents, activists, party or unnamed_sources.
    pub kind: String,
}

/// The word or phrase that names the event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trigger {
    /// As written.
    pub text: String,
    /// Its span.
    pub span: Span,
}

/// The passage that supports the record.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The smallest passage that supports the record.
    pub span: Span,
    /// The sentence it is in.
    pub sentence: Span,
}

/// A further mention of the same happening in the article (a headline, a lead, a restatement).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventMention {
    /// The word that names it there.
    pub trigger: Trigger,
    /// The passage there.
    pub evidence: Evidence,
}

/// ACLED event type and sub-event type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acled {
    /// ACLED event type.
    pub event_type: String,
    /// ACLED sub-event type.
    pub sub_event_type: String,
}

/// What the record carries beyond the common fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Extra {
    /// Triggers of other mentions merged into this event, as records written before
    /// [`Event::mentions`] carry them (read, no longer written).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub mentions: Vec<Trigger>,
}

impl Extra {
    /// Whether there is nothing extra.
    pub fn is_empty(&self) -> bool {
        self.mentions.is_empty()
    }
}

/// One event record (`docs/event-record.md`). Absent fields are unknown; absent lists are empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Stable id: xxh3 of document id, evidence span and type, as 16 hex digits.
    pub id: String,
    /// The document it came from.
    pub doc_id: String,
    /// PLOVER category.
    pub event_type: Category,
    /// PLOVER modes (and marsad extensions).
    #[serde(default)]
    pub mode: Vec<String>,
    /// PLOVER contexts.
    #[serde(default)]
    pub context: Vec<String>,
    /// Whether and how the text says it happened.
    pub modality: Modality,
    /// Participants who act.
    #[serde(default)]
    pub actors: Vec<Participant>,
    /// Participants acted upon.
    #[serde(default)]
    pub recipients: Vec<Participant>,
    /// Where it happened.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub location: Option<Location>,
    /// Where a movement went.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub destination: Option<Location>,
    /// When it happened.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub date: Option<EventDate>,
    /// People counts.
    #[serde(skip_serializing_if = "Counts::is_empty", default)]
    pub counts: Counts,
    /// Money involved.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub money: Option<Money>,
    /// Who says so.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub attribution: Option<Attribution>,
    /// The word that names it.
    pub trigger: Trigger,
    /// The supporting passage: the most detailed mention of the happening.
    pub evidence: Evidence,
    /// Further mentions of the same happening in the article.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub mentions: Vec<EventMention>,
    /// 0..1 from the extractor.
    pub confidence: f32,
    /// CAMEO code (crosswalk).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cameo: Option<String>,
    /// ACLED types (crosswalk); absent where ACLED does not code such events.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub acled: Option<Acled>,
    /// Anything else.
    #[serde(skip_serializing_if = "Extra::is_empty", default)]
    pub extra: Extra,
    /// The articles that report it, one per document (filled by the store when read back;
    /// absent from records stored before provenance was kept).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub sources: Vec<crate::ArticleSource>,
}

impl Event {
    /// Actors, then recipients.
    pub fn participants(&self) -> impl Iterator<Item = &Participant> {
        self.actors.iter().chain(&self.recipients)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_iterate_in_record_order_and_skip_unknown() {
        let c = Count {
            value: 3,
            approximate: false,
            bound: Bound::Exact,
        };
        let counts = Counts {
            injured: Some(c),
            killed: Some(c),
            ..Default::default()
        };
        let names: Vec<_> = counts.iter().map(|(k, _)| k).collect();
        assert_eq!(names, ["killed", "injured"]);
        assert!(Counts::default().is_empty());
        assert_eq!(
            serde_json::to_value(counts).unwrap(),
            serde_json::json!({"killed": {"value": 3, "approximate": false, "bound": "exact"},
                               "injured": {"value": 3, "approximate": false, "bound": "exact"}})
        );
    }

    #[test]
    fn a_record_reads_back_as_written_and_absent_lists_are_empty() {
        let json = r#"{"id":"e1","doc_id":"d1","event_type":"SANCTION","mode":["defect"],"context":[],"modality":"reported","actors":[{"text":"قيادات داعش","span":{"start":10,"end":31},"entity_id":"isis","name_en":"Islamic State (ISIS)","role":"leaders"}],"recipients":[],"destination":{"text":"تركيا","span":{"start":60,"end":70},"geonameid":298795,"name_en":"Turkey","name_ar":"تركيا","country":"TR","lat":39.0,"lon":35.0,"precision":"country"},"date":{"value":"2015-02-15","precision":"week","basis":"publication"},"counts":{"participants":{"value":15,"approximate":true,"bound":"exact"}},"trigger":{"text":"هربوا","span":{"start":40,"end":50}},"evidence":{"span":{"start":0,"end":80},"sentence":{"start":0,"end":90}},"confidence":0.85,"cameo":"161"}"#;
        let e: Event = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::to_string(&e).unwrap(), json);
        assert_eq!(e.actors[0].display_name(), "Islamic State (ISIS)");
        assert_eq!(e.destination.as_ref().unwrap().key(), "g298795");
        let bare = r#"{"id":"e2","doc_id":"d1","event_type":"PROTEST","modality":"asserted","trigger":{"text":"تظاهر","span":{"start":0,"end":10}},"evidence":{"span":{"start":0,"end":10},"sentence":{"start":0,"end":10}},"confidence":0.5}"#;
        let e: Event = serde_json::from_str(bare).unwrap();
        assert!(e.mode.is_empty() && e.actors.is_empty() && e.counts.is_empty());
        assert_eq!(e.participants().count(), 0);
    }

    #[test]
    fn a_date_stored_without_a_basis_takes_it_from_its_span() {
        let told: EventDate = serde_json::from_str(
            r#"{"value":"2015-02-14","precision":"day","text":"أمس","span":{"start":0,"end":6}}"#,
        )
        .unwrap();
        assert_eq!(told.basis, DateBasis::Text);
        let published: EventDate =
            serde_json::from_str(r#"{"value":"2015-02-15","precision":"week"}"#).unwrap();
        assert_eq!(published.basis, DateBasis::Publication);
        let v = serde_json::to_value(&published).unwrap();
        assert_eq!(v["basis"], "publication");
    }
}
