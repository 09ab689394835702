//! What every backend stores the same way, as pure functions: a document's compressed text, the
//! columns an event is stored and matched by, and the rules that decide whether a new event
//! reports one already stored (the same place and story, or another outlet's report: see
//! [`across`]). The backends only read the candidates and write the outcome.

pub(crate) mod across;

use crate::StoreError;
use marsad_record::{Entity, EntityType, Event, Participant};

/// A document's text as stored: deflate-compressed at the fast level (Arabic news shrinks about
/// 2.4×; the default level, 2.8×, took a tenth of the whole ingest time on the bench file).
pub(crate) fn text_blob(text: &str) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::DeflateEncoder::new(
        Vec::with_capacity(text.len() / 2),
        flate2::Compression::fast(),
    );
    // writing into a Vec cannot fail
    let _ = z.write_all(text.as_bytes());
    z.finish().unwrap_or_default()
}

/// A stored compressed text back ([`text_blob`]).
pub(crate) fn text_unblob(b: &[u8]) -> std::io::Result<String> {
    use std::io::Read;
    let mut out = String::with_capacity(b.len() * 3);
    flate2::read::DeflateDecoder::new(b).read_to_string(&mut out)?;
    Ok(out)
}

/// Events of the same type, place and story, or with shared actors, within this many days are
/// taken to be one happening reported several times.
pub(crate) const MERGE_DAYS: i64 = 2;

/// The names of an event's actors and recipients for filtering (`text|name_en|entity_id|…`),
/// and the keys it is grouped by (see [`participant_key`]): only those that name an actor
/// ([`names_actor`]), so the words that describe victims (أشخاص، المدنيين) are in the record
/// but in no actor list or filter.
fn participant_names(ev: &Event, entities: &[Entity]) -> (String, Vec<String>) {
    let mut text = String::new();
    let mut keys: Vec<String> = Vec::new();
    for p in ev.participants().filter(|p| names_actor(p, entities)) {
        for f in [Some(&p.text), p.name_en.as_ref(), p.entity_id.as_ref()]
            .into_iter()
            .flatten()
        {
            text.push_str(f);
            text.push('|');
        }
        let k = participant_key(p);
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    (text, keys)
}

/// Whether participant `p` names an actor: a listed entity or an agent of an organized sector
/// ([`Participant::is_agent`]), or a name the tagger found there (a person or an organization
/// the list lacks); not words that only describe people (شخصا، مواطنين، عناصر).
pub(crate) fn names_actor(p: &Participant, entities: &[Entity]) -> bool {
    p.is_agent()
        || entities.iter().any(|e| {
            matches!(e.kind, EntityType::Per | EntityType::Org)
                && e.start < p.span.end
                && p.span.start < e.end
        })
}

/// The key a participant is grouped by: its entity id, else the matching key of its words.
pub(crate) fn participant_key(p: &Participant) -> String {
    p.entity_id
        .clone()
        .unwrap_or_else(|| marsad_text::normalize::key(&p.text))
}

/// The absolute difference in days between two `YYYY-MM-DD` dates.
pub(crate) fn days_between(a: &str, b: &str) -> Option<i64> {
    let pa = chrono_like_days(a)?;
    let pb = chrono_like_days(b)?;
    Some((pa - pb).abs())
}

/// Days since 0000-03-01 of a `YYYY-MM-DD` date (no chrono needed for a difference).
fn chrono_like_days(s: &str) -> Option<i64> {
    let y: i64 = s.get(0..4)?.parse().ok()?;
    let m: i64 = s.get(5..7)?.parse().ok()?;
    let d: i64 = s.get(8..10)?.parse().ok()?;
    let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    Some(365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + d - 1)
}

/// A `YYYY-MM-DD` date moved by `days`.
pub(crate) fn shift_date(s: &str, days: i64) -> Option<String> {
    let n = chrono_like_days(s)? + days;
    // inverse of chrono_like_days
    let y = (10000 * n + 14780) / 3652425;
    let mut ddd = n - (365 * y + y / 4 - y / 100 + y / 400);
    let mut y = y;
    if ddd < 0 {
        y -= 1;
        ddd = n - (365 * y + y / 4 - y / 100 + y / 400);
    }
    let mi = (100 * ddd + 52) / 3060;
    let mm = (mi + 2) % 12 + 1;
    let y = y + (mi + 2) / 12;
    let dd = ddd - (mi * 306 + 5) / 10 + 1;
    Some(format!("{y:04}-{mm:02}-{dd:02}"))
}

/// The columns an event is stored, filtered and matched by, derived from its record.
pub(crate) struct EventColumns<'a> {
    /// PLOVER category.
    pub event_type: &'a str,
    /// The event's own id (its first mention's).
    pub mention_id: &'a str,
    /// Whether it counts in aggregates (asserted, reported, claimed).
    pub factual: bool,
    /// `|mode|mode|`, for substring filtering.
    pub modes: String,
    /// Modality name.
    pub modality: &'a str,
    /// ISO country code of the place.
    pub country: Option<&'a str>,
    /// First-level admin area.
    pub admin1: Option<&'a str>,
    /// GeoNames id.
    pub geonameid: Option<i64>,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// The place's key (empty without a place).
    pub geokey: String,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Actor names for filtering ([`participant_names`]).
    pub actors: String,
    /// Participant keys the merge compares.
    pub keys: Vec<String>,
    /// The record as stored: JSON without `sources` (derived from the mentions when read).
    pub record: String,
}

impl<'a> EventColumns<'a> {
    /// The columns of `ev`, found in a document with `entities`.
    pub(crate) fn of(ev: &'a Event, entities: &[Entity]) -> Result<Self, StoreError> {
        let loc = ev.location.as_ref();
        let (actors, keys) = participant_names(ev, entities);
        let record = if ev.sources.is_empty() {
            serde_json::to_string(ev)?
        } else {
            serde_json::to_string(&Event {
                sources: Vec::new(),
                ..ev.clone()
            })?
        };
        Ok(EventColumns {
            event_type: ev.event_type.name(),
            mention_id: ev.id.as_str(),
            factual: ev.modality.counts(),
            modes: ev.mode.iter().map(|m| format!("|{m}")).collect::<String>() + "|",
            modality: ev.modality.as_str(),
            country: loc.map(|l| l.country.as_str()),
            admin1: loc.and_then(|l| l.admin1.as_deref()),
            geonameid: loc.and_then(|l| l.geonameid).map(|g| g as i64),
            lat: loc.map(|l| l.lat),
            lon: loc.map(|l| l.lon),
            geokey: loc.map(|l| l.key()).unwrap_or_default(),
            date: ev.date.as_ref().map(|d| d.value.to_string()),
            actors,
            keys,
            record,
        })
    }

    /// The dates to look for the same place's reports in (`date ± MERGE_DAYS`), when the event
    /// may merge at all (factual and dated).
    pub(crate) fn near_window(&self) -> Option<(String, String)> {
        let date = self.date.as_deref().filter(|_| self.factual)?;
        Some((
            shift_date(date, -MERGE_DAYS).unwrap_or_default(),
            shift_date(date, MERGE_DAYS).unwrap_or_default(),
        ))
    }

    /// Whether a stored event of the same type and place within [`Self::near_window`] is this
    /// happening: dates close, a place, and the same story or shared participants (or no
    /// participants on either side).
    pub(crate) fn same_as_near(
        &self,
        story: i64,
        other_story: i64,
        other_keys: &str,
        other_date: Option<&str>,
    ) -> bool {
        let Some(date) = self.date.as_deref() else {
            return false;
        };
        let other: Vec<String> = serde_json::from_str(other_keys).unwrap_or_default();
        let shared = self.keys.iter().any(|k| other.contains(k));
        let close = other_date
            .and_then(|o| days_between(o, date))
            .is_some_and(|d| d <= MERGE_DAYS);
        close
            && !self.geokey.is_empty()
            && (story == other_story || shared || (self.keys.is_empty() && other.is_empty()))
    }

    /// The keys of the locks a backend that writes concurrently takes before looking for a
    /// match: the (type, place) the near pass looks in and the (type, country, province) the
    /// across pass looks in. Two writers of reports that could merge take a lock in common.
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(crate) fn lock_keys(&self, ev: &Event) -> Vec<String> {
        let mut out = Vec::new();
        if self.near_window().is_none() {
            return out;
        }
        out.push(format!("near|{}|{}", self.event_type, self.geokey));
        if let Some(w) = across::window(ev) {
            out.push(format!(
                "across|{}|{}|{}",
                w.event_type, w.country, w.admin1
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_shift_and_difference() {
        assert_eq!(shift_date("2015-03-01", -1).unwrap(), "2015-02-28");
        assert_eq!(shift_date("2016-02-28", 1).unwrap(), "2016-02-29");
        assert_eq!(shift_date("2026-12-31", 1).unwrap(), "2027-01-01");
        assert_eq!(days_between("2026-11-25", "2026-11-20"), Some(5));
    }

    #[test]
    fn texts_round_trip_compressed() {
        let t = "أعلن الجيش انشقاق عشرات المقاتلين";
        let b = text_blob(t);
        assert_eq!(text_unblob(&b).unwrap(), t);
    }
}
