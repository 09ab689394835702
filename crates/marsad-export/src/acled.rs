//! `--format acled`: ACLED's columns under ACLED's names, for tools written for ACLED data.
//! Rows are the events ACLED codes (the record's ACLED crosswalk) that count (asserted,
//! reported or claimed); the rest are left out and counted in the summary.

use crate::cells::{self, coord, int, t, Cell};
use crate::csv::{geo_precision, names, time_precision};
use crate::{names::Names, outlet, Format, Options, Result, RowWriter, Texts};
use chrono::Datelike;
use marsad_record::Participant;
use marsad_store::StoredEvent;
use std::io::Write;

/// ACLED's columns, in ACLED's order.
pub const ACLED_COLUMNS: &[&str] = &[
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
];

/// ACLED's inter code of a participant sector (`Participant::role`): 1 state forces, 2 rebels,
/// 3 political militias, 4 identity militias, 5 rioters, 6 protesters, 7 civilians, 8 external
/// or other forces; `None` for a sector that says nothing of the kind (members, unknown).
pub fn inter_code(role: &str) -> Option<u8> {
    Some(match role {
        "military" | "police" | "government" | "officials" | "leaders" => 1,
        "rebels" => 2,
        "militia" => 3,
        "identity_militia" | "tribal" | "ethnic" => 4,
        "rioters" => 5,
        "protesters" => 6,
        "civilians" | "media" | "prisoners" => 7,
        "external" | "foreign" => 8,
        _ => return None,
    })
}

/// The inter code of a side: that of its first participant with a known sector; 0 for a side with
/// no participant (ACLED's "no actor 2"); `None` when no sector is known.
fn side_inter(list: &[Participant]) -> Option<u8> {
    if list.is_empty() {
        return Some(0);
    }
    list.iter()
        .find_map(|p| p.role.as_deref().and_then(inter_code))
}

/// ACLED's interaction code: the two inter codes, lower first (`17`); `10`×inter1 for a sole actor.
fn interaction(i1: Option<u8>, i2: Option<u8>) -> Option<u64> {
    let (a, b) = (i1?, i2?);
    if a == 0 {
        return None;
    }
    Some(if b == 0 {
        u64::from(a) * 10
    } else {
        u64::from(a.min(b)) * 10 + u64::from(a.max(b))
    })
}

/// ACLED's disorder type of an ACLED event and sub-event type.
fn disorder_type(event_type: &str, sub: &str) -> &'static str {
    match (event_type, sub) {
        ("Protests", "Excessive force against protesters") => "Political violence; Demonstrations",
        ("Protests", _) | ("Riots", "Violent demonstration") => "Demonstrations",
        ("Strategic developments", _) => "Strategic developments",
        _ => "Political violence",
    }
}

/// ISO 3166-1 numeric code and ACLED region of the countries the corpus reports on most; others
/// get empty cells.
fn iso_region(iso2: &str) -> Option<(u16, &'static str)> {
    const ME: &str = "Middle East";
    const NA: &str = "Northern Africa";
    const EA: &str = "Eastern Africa";
    const WA: &str = "Western Africa";
    const SA: &str = "South Asia";
    const EU: &str = "Europe";
    Some(match iso2 {
        "IQ" => (368, ME),
        "SY" => (760, ME),
        "YE" => (887, ME),
        "SA" => (682, ME),
        "LB" => (422, ME),
        "JO" => (400, ME),
        "PS" => (275, ME),
        "IL" => (376, ME),
        "TR" => (792, ME),
        "IR" => (364, ME),
        "KW" => (414, ME),
        "QA" => (634, ME),
        "AE" => (784, ME),
        "BH" => (48, ME),
        "OM" => (512, ME),
        "EG" => (818, NA),
        "LY" => (434, NA),
        "TN" => (788, NA),
        "DZ" => (12, NA),
        "MA" => (504, NA),
        "SD" => (729, NA),
        "SS" => (728, EA),
        "SO" => (706, EA),
        "ET" => (231, EA),
        "ER" => (232, EA),
        "DJ" => (262, EA),
        "KE" => (404, EA),
        "MR" => (478, WA),
        "ML" => (466, WA),
        "NE" => (562, WA),
        "NG" => (566, WA),
        "TD" => (148, "Middle Africa"),
        "AF" => (4, SA),
        "PK" => (586, SA),
        "IN" => (356, SA),
        "US" => (840, "North America"),
        "CA" => (124, "North America"),
        "RU" => (643, EU),
        "UA" => (804, EU),
        "FR" => (250, EU),
        "GB" => (826, EU),
        "DE" => (276, EU),
        "BE" => (56, EU),
        "IT" => (380, EU),
        "ES" => (724, EU),
        "GR" => (300, EU),
        "CY" => (196, EU),
        "CN" => (156, "East Asia"),
        _ => return None,
    })
}

/// Writes ACLED-shaped CSV row by row.
pub struct AcledWriter<W: Write> {
    out: W,
    names: &'static Names,
    timestamp: u64,
}

impl<W: Write> AcledWriter<W> {
    /// Writes the BOM (when asked) and ACLED's header to `out`; admin and country names come
    /// from `names`.
    pub fn new(mut out: W, bom: bool, names: &'static Names) -> Result<Self> {
        if bom {
            out.write_all(cells::BOM)?;
        }
        cells::header(&mut out, ACLED_COLUMNS)?;
        let timestamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Ok(AcledWriter {
            out,
            names,
            timestamp,
        })
    }
}

/// The first participant's name and the others' `; `-joined (ACLED's actor and assoc_actor).
fn actor_and_assoc(list: &[Participant]) -> (String, String) {
    match list.split_first() {
        Some((first, rest)) => (first.display_name().to_string(), names(rest)),
        None => (String::new(), String::new()),
    }
}

impl<W: Write> RowWriter for AcledWriter<W> {
    fn row(&mut self, e: &StoredEvent, texts: &mut Texts<'_>) -> Result<bool> {
        let r = &e.record;
        let Some(acled) = r.acled.as_ref().filter(|_| r.modality.counts()) else {
            return Ok(false);
        };
        let date = r.date.as_ref();
        let loc = r.location.as_ref();
        let iso2 = loc.map_or("", |l| l.country.as_str());
        let iso = iso_region(iso2);
        let (actor1, assoc1) = actor_and_assoc(&r.actors);
        let (actor2, assoc2) = actor_and_assoc(&r.recipients);
        let (i1, i2) = (side_inter(&r.actors), side_inter(&r.recipients));
        let civilians = r
            .recipients
            .iter()
            .any(|p| p.role.as_deref() == Some("civilians"));
        let tags = match r.modality.as_str() {
            "asserted" | "reported" => String::new(),
            m => m.to_string(),
        };
        let row = [
            t(format!(
                "{}{}",
                if iso2.is_empty() { "XX" } else { iso2 },
                r.id
            )),
            Cell::opt(date.map(|d| d.value.to_string())),
            int(date.map(|d| d.value.year().max(0) as u64)),
            int(date.map(|d| u64::from(time_precision(d.precision)))),
            t(disorder_type(&acled.event_type, &acled.sub_event_type)),
            t(&acled.event_type),
            t(&acled.sub_event_type),
            t(actor1),
            t(assoc1),
            int(i1.filter(|&c| c > 0).map(u64::from)),
            t(actor2),
            t(assoc2),
            int(i2.map(u64::from)),
            int(interaction(i1, i2)),
            t(if civilians { "Civilian targeting" } else { "" }),
            int(iso.map(|(n, _)| u64::from(n))),
            t(iso.map_or("", |(_, reg)| reg)),
            Cell::opt(loc.map(|l| self.names.country(&l.country))),
            Cell::opt(loc.map(|l| self.names.admin1_of(l))),
            t(""),
            t(""),
            Cell::opt(loc.map(|l| l.name_en.clone())),
            coord(loc.map(|l| l.lat)),
            coord(loc.map(|l| l.lon)),
            int(loc.map(|l| u64::from(geo_precision(l.precision)))),
            Cell::opt(outlet(r)),
            t(""),
            t(texts.evidence(r)),
            int(Some(r.counts.own_killed().map_or(0, |c| c.value))),
            t(tags),
            int(Some(self.timestamp)),
        ];
        cells::row(&mut self.out, &row)?;
        Ok(true)
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        Ok(self.out.flush()?)
    }
}

/// Events as ACLED-shaped CSV, quoting the evidence from the articles in `texts`.
pub fn acled_bytes(events: &[StoredEvent], texts: &mut Texts<'_>) -> Result<Vec<u8>> {
    crate::to_bytes(&Options::new(Format::Acled), events, texts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inter_codes_and_interaction() {
        assert_eq!(inter_code("police"), Some(1));
        assert_eq!(inter_code("civilians"), Some(7));
        assert_eq!(inter_code("members"), None);
        assert_eq!(interaction(Some(2), Some(1)), Some(12));
        assert_eq!(interaction(Some(1), Some(0)), Some(10));
        assert_eq!(interaction(None, Some(7)), None);
    }
}
