//! marsad's CSV: ACLED-like columns plus PLOVER and CAMEO codes. Text cells are quoted (CAMEO
//! "042" stays text), coordinates have 5 decimals and confidence 2, admin1 is a name.

use crate::cells::{self, coord, int, t, Cell};
use crate::{names::Names, outlet, Format, Options, Result, RowWriter, Texts};
use chrono::Datelike;
use marsad_record::{DatePrecision, Participant, Precision};
use marsad_store::{SqliteStore, StoredEvent};
use std::io::Write;

/// The CSV header.
pub const CSV_COLUMNS: &[&str] = &[
    "event_id",
    "event_date",
    "year",
    "time_precision",
    "date_basis",
    "event_type",
    "sub_event_type",
    "plover_type",
    "plover_mode",
    "modality",
    "actor1",
    "actor2",
    "iso",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "injured",
    "arrested",
    "source",
    "notes",
    "mentions",
    "confidence",
    "doc_id",
    "cameo",
];

/// The participants of one role, by display name, `; `-separated.
pub(crate) fn names(list: &[Participant]) -> String {
    list.iter()
        .map(Participant::display_name)
        .collect::<Vec<_>>()
        .join("; ")
}

/// ACLED's time precision code: 1 day, 2 week, 3 month or coarser.
pub(crate) fn time_precision(p: DatePrecision) -> u8 {
    match p {
        DatePrecision::Day => 1,
        DatePrecision::Week => 2,
        DatePrecision::Month | DatePrecision::Year => 3,
    }
}

/// ACLED's geo precision code: 1 exact, 2 near, 3 larger area.
pub(crate) fn geo_precision(p: Precision) -> u8 {
    match p {
        Precision::Exact => 1,
        Precision::Near => 2,
        Precision::Admin1 | Precision::Country | Precision::Region => 3,
    }
}

/// Writes marsad's CSV row by row.
pub struct CsvWriter<W: Write> {
    out: W,
    names: &'static Names,
}

impl<W: Write> CsvWriter<W> {
    /// Writes the BOM (when asked) and the header to `out`.
    pub fn new(mut out: W, bom: bool) -> Result<Self> {
        if bom {
            out.write_all(cells::BOM)?;
        }
        cells::header(&mut out, CSV_COLUMNS)?;
        Ok(CsvWriter {
            out,
            names: Names::builtin(),
        })
    }
}

impl<W: Write> RowWriter for CsvWriter<W> {
    fn row(&mut self, e: &StoredEvent, texts: &mut Texts<'_>) -> Result<bool> {
        let r = &e.record;
        let date = r.date.as_ref();
        let loc = r.location.as_ref();
        let acled = r.acled.as_ref();
        let row = [
            t(&r.id),
            Cell::opt(date.map(|d| d.value.to_string())),
            int(date.map(|d| d.value.year().max(0) as u64)),
            int(date.map(|d| u64::from(time_precision(d.precision)))),
            Cell::opt(date.map(|d| d.basis.as_str().to_string())),
            Cell::opt(acled.map(|a| a.event_type.clone())),
            Cell::opt(acled.map(|a| a.sub_event_type.clone())),
            t(r.event_type.name()),
            t(r.mode.join(";")),
            t(r.modality.as_str()),
            t(names(&r.actors)),
            t(names(&r.recipients)),
            Cell::opt(loc.map(|l| l.country.clone())),
            Cell::opt(loc.map(|l| self.names.country(&l.country))),
            Cell::opt(loc.map(|l| self.names.admin1_of(l))),
            Cell::opt(loc.map(|l| l.name_en.clone())),
            coord(loc.map(|l| l.lat)),
            coord(loc.map(|l| l.lon)),
            int(loc.map(|l| u64::from(geo_precision(l.precision)))),
            int(r.counts.own_killed().map(|c| c.value)),
            int(r.counts.injured.map(|c| c.value)),
            int(r.counts.arrested.map(|c| c.value)),
            Cell::opt(outlet(r)),
            t(texts.evidence(r)),
            int(Some(e.mentions)),
            Cell::Num(cells::fixed(f64::from(r.confidence), 2)),
            t(&r.doc_id),
            Cell::opt(r.cameo.clone()),
        ];
        cells::row(&mut self.out, &row)?;
        Ok(true)
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        Ok(self.out.flush()?)
    }
}

/// Events as marsad's CSV whose notes quote the evidence from the articles in `store`.
pub fn csv_bytes_from(store: &SqliteStore, events: &[StoredEvent]) -> Result<Vec<u8>> {
    crate::to_bytes(
        &Options::new(Format::Csv),
        events,
        &mut Texts::from_store(store),
    )
}

/// Events as marsad's CSV, quoting the evidence from the articles `text_of` returns.
pub fn csv_bytes_with(
    events: &[StoredEvent],
    text_of: &mut dyn FnMut(&str) -> Option<String>,
) -> Result<Vec<u8>> {
    crate::to_bytes(&Options::new(Format::Csv), events, &mut Texts::new(text_of))
}
