//! Parquet: typed columns for the whole record (crosswalks, trigger, evidence text, counts,
//! coordinates, sources as JSON), written in batches into row groups of [`ROW_GROUP_SIZE`] rows,
//! to any writer (a file or standard output).

use crate::{names::Names, outlet, sources_json, url, Format, Options, Result, RowWriter, Texts};
use arrow_array::builder::{
    ArrayBuilder, BooleanBuilder, Date32Builder, Float32Builder, Float64Builder, Int64Builder,
    ListBuilder, StringBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use marsad_record::{Count, Participant};
use marsad_store::StoredEvent;
use std::io::Write;
use std::sync::Arc;

/// Rows per Parquet row group by default.
pub const ROW_GROUP_SIZE: usize = 10_000;

/// Rows buffered before they are handed to the Parquet writer.
const BATCH: usize = 1024;

/// The type of a column.
#[derive(Clone, Copy)]
enum Ty {
    Str,
    Int,
    F64,
    F32,
    Bool,
    Date,
    List,
}

/// The columns: name, type, nullable.
const COLUMNS: &[(&str, Ty, bool)] = &[
    ("id", Ty::Str, false),
    ("doc_id", Ty::Str, false),
    ("event_type", Ty::Str, false),
    ("mode", Ty::List, false),
    ("context", Ty::List, false),
    ("modality", Ty::Str, false),
    ("counted", Ty::Bool, false),
    ("cameo", Ty::Str, true),
    ("acled_event_type", Ty::Str, true),
    ("acled_sub_event_type", Ty::Str, true),
    ("date", Ty::Date, true),
    ("date_precision", Ty::Str, true),
    ("date_basis", Ty::Str, true),
    ("date_text", Ty::Str, true),
    ("iso", Ty::Str, true),
    ("country", Ty::Str, true),
    ("admin1_code", Ty::Str, true),
    ("admin1", Ty::Str, true),
    ("location", Ty::Str, true),
    ("location_ar", Ty::Str, true),
    ("location_text", Ty::Str, true),
    ("geonameid", Ty::Int, true),
    ("lat", Ty::F64, true),
    ("lon", Ty::F64, true),
    ("geo_precision", Ty::Str, true),
    ("destination", Ty::Str, true),
    ("destination_iso", Ty::Str, true),
    ("actors", Ty::List, false),
    ("actor_names_ar", Ty::List, false),
    ("actor_ids", Ty::List, false),
    ("actor_sectors", Ty::List, false),
    ("actor_countries", Ty::List, false),
    ("recipients", Ty::List, false),
    ("recipient_names_ar", Ty::List, false),
    ("recipient_ids", Ty::List, false),
    ("recipient_sectors", Ty::List, false),
    ("recipient_countries", Ty::List, false),
    ("killed", Ty::Int, true),
    ("killed_approximate", Ty::Bool, true),
    ("killed_bound", Ty::Str, true),
    ("killed_aggregate", Ty::Bool, false),
    ("injured", Ty::Int, true),
    ("arrested", Ty::Int, true),
    ("abducted", Ty::Int, true),
    ("participants", Ty::Int, true),
    ("money_amount", Ty::F64, true),
    ("money_currency", Ty::Str, true),
    ("attribution", Ty::Str, true),
    ("attribution_kind", Ty::Str, true),
    ("outlet", Ty::Str, true),
    ("url", Ty::Str, true),
    ("trigger", Ty::Str, false),
    ("trigger_start", Ty::Int, false),
    ("trigger_end", Ty::Int, false),
    ("evidence", Ty::Str, false),
    ("evidence_start", Ty::Int, false),
    ("evidence_end", Ty::Int, false),
    ("other_triggers", Ty::List, false),
    ("confidence", Ty::F32, false),
    ("mentions", Ty::Int, false),
    ("sources", Ty::Str, false),
];

/// One cell of a row.
enum V {
    S(Option<String>),
    I(Option<i64>),
    F(Option<f64>),
    F32(f32),
    B(Option<bool>),
    D(Option<i32>),
    L(Vec<Option<String>>),
}

/// The Parquet (Arrow) schema of an export.
pub fn parquet_schema() -> Schema {
    let item = Arc::new(Field::new("item", DataType::Utf8, true));
    Schema::new(
        COLUMNS
            .iter()
            .map(|&(name, ty, nullable)| {
                let dt = match ty {
                    Ty::Str => DataType::Utf8,
                    Ty::Int => DataType::Int64,
                    Ty::F64 => DataType::Float64,
                    Ty::F32 => DataType::Float32,
                    Ty::Bool => DataType::Boolean,
                    Ty::Date => DataType::Date32,
                    Ty::List => DataType::List(item.clone()),
                };
                Field::new(name, dt, nullable)
            })
            .collect::<Vec<_>>(),
    )
}

/// A participant list's values, one per participant (`None` where unknown).
fn part(list: &[Participant], f: impl Fn(&Participant) -> Option<String>) -> V {
    V::L(list.iter().map(f).collect())
}

/// A count's value.
fn count(c: Option<Count>) -> V {
    V::I(c.map(|c| i64::try_from(c.value).unwrap_or(i64::MAX)))
}

/// The cells of one event, in [`COLUMNS`] order.
fn values(e: &StoredEvent, names: &Names, texts: &mut Texts<'_>) -> Vec<V> {
    let r = &e.record;
    let loc = r.location.as_ref();
    let date = r.date.as_ref();
    let acled = r.acled.as_ref();
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");
    let s = |x: &str| V::S(Some(x.to_string()));
    let o = |x: Option<&str>| V::S(x.map(str::to_string));
    vec![
        s(&r.id),
        s(&r.doc_id),
        s(r.event_type.name()),
        V::L(r.mode.iter().cloned().map(Some).collect()),
        V::L(r.context.iter().cloned().map(Some).collect()),
        s(r.modality.as_str()),
        V::B(Some(r.modality.counts())),
        o(r.cameo.as_deref()),
        o(acled.map(|a| a.event_type.as_str())),
        o(acled.map(|a| a.sub_event_type.as_str())),
        V::D(date.map(|d| (d.value - epoch).num_days() as i32)),
        o(date.map(|d| d.precision.as_str())),
        o(date.map(|d| d.basis.as_str())),
        o(date.and_then(|d| d.text.as_deref())),
        o(loc.map(|l| l.country.as_str())),
        V::S(loc.map(|l| names.country(&l.country))),
        o(loc.and_then(|l| l.admin1.as_deref())),
        V::S(loc.and_then(|l| l.admin1.as_ref().map(|_| names.admin1_of(l)))),
        o(loc.map(|l| l.name_en.as_str())),
        o(loc.map(|l| l.name_ar.as_str())),
        o(loc.map(|l| l.text.as_str())),
        V::I(loc.and_then(|l| l.geonameid).map(|g| g as i64)),
        V::F(loc.map(|l| l.lat)),
        V::F(loc.map(|l| l.lon)),
        o(loc.map(|l| l.precision.as_str())),
        o(r.destination.as_ref().map(|l| l.name_en.as_str())),
        o(r.destination.as_ref().map(|l| l.country.as_str())),
        part(&r.actors, |p| Some(p.display_name().to_string())),
        part(&r.actors, |p| Some(p.text.clone())),
        part(&r.actors, |p| p.entity_id.clone()),
        part(&r.actors, |p| p.role.clone()),
        part(&r.actors, |p| p.country.clone()),
        part(&r.recipients, |p| Some(p.display_name().to_string())),
        part(&r.recipients, |p| Some(p.text.clone())),
        part(&r.recipients, |p| p.entity_id.clone()),
        part(&r.recipients, |p| p.role.clone()),
        part(&r.recipients, |p| p.country.clone()),
        count(r.counts.killed),
        V::B(r.counts.killed.map(|c| c.approximate)),
        o(r.counts.killed.map(|c| c.bound.as_str())),
        V::B(Some(r.counts.aggregate)),
        count(r.counts.injured),
        count(r.counts.arrested),
        count(r.counts.abducted),
        count(r.counts.participants),
        V::F(r.money.as_ref().map(|m| m.amount)),
        o(r.money.as_ref().map(|m| m.currency.as_str())),
        o(r.attribution.as_ref().map(|a| a.text.as_str())),
        o(r.attribution.as_ref().map(|a| a.kind.as_str())),
        V::S(outlet(r)),
        V::S(url(r)),
        s(&r.trigger.text),
        V::I(Some(r.trigger.span.start as i64)),
        V::I(Some(r.trigger.span.end as i64)),
        V::S(Some(texts.evidence(r))),
        V::I(Some(r.evidence.span.start as i64)),
        V::I(Some(r.evidence.span.end as i64)),
        V::L(
            r.mentions
                .iter()
                .map(|m| Some(m.trigger.text.clone()))
                .chain(r.extra.mentions.iter().map(|t| Some(t.text.clone())))
                .collect(),
        ),
        V::F32(r.confidence),
        V::I(Some(i64::try_from(e.mentions).unwrap_or(i64::MAX))),
        V::S(Some(sources_json(r))),
    ]
}

/// A column's builder.
fn builder(ty: Ty) -> Box<dyn ArrayBuilder> {
    match ty {
        Ty::Str => Box::new(StringBuilder::new()),
        Ty::Int => Box::new(Int64Builder::new()),
        Ty::F64 => Box::new(Float64Builder::new()),
        Ty::F32 => Box::new(Float32Builder::new()),
        Ty::Bool => Box::new(BooleanBuilder::new()),
        Ty::Date => Box::new(Date32Builder::new()),
        Ty::List => Box::new(ListBuilder::new(StringBuilder::new())),
    }
}

/// Appends one cell to its column's builder (types follow [`COLUMNS`]).
fn append(b: &mut dyn ArrayBuilder, v: V) {
    let any = b.as_any_mut();
    let bad = "cell type follows COLUMNS";
    match v {
        V::S(x) => any
            .downcast_mut::<StringBuilder>()
            .expect(bad)
            .append_option(x),
        V::I(x) => any
            .downcast_mut::<Int64Builder>()
            .expect(bad)
            .append_option(x),
        V::F(x) => any
            .downcast_mut::<Float64Builder>()
            .expect(bad)
            .append_option(x),
        V::F32(x) => any
            .downcast_mut::<Float32Builder>()
            .expect(bad)
            .append_value(x),
        V::B(x) => any
            .downcast_mut::<BooleanBuilder>()
            .expect(bad)
            .append_option(x),
        V::D(x) => any
            .downcast_mut::<Date32Builder>()
            .expect(bad)
            .append_option(x),
        V::L(items) => {
            let l = any.downcast_mut::<ListBuilder<StringBuilder>>().expect(bad);
            for i in items {
                l.values().append_option(i);
            }
            l.append(true);
        }
    }
}

/// Writes Parquet in batches, row group by row group.
pub struct ParquetWriter<W: Write + Send> {
    w: ::parquet::arrow::ArrowWriter<W>,
    schema: SchemaRef,
    cols: Vec<Box<dyn ArrayBuilder>>,
    rows: usize,
    names: &'static Names,
}

impl<W: Write + Send> ParquetWriter<W> {
    /// A snappy-compressed Parquet writer over `out` with `row_group_size` rows per group.
    pub fn new(out: W, row_group_size: usize) -> Result<Self> {
        let schema = Arc::new(parquet_schema());
        let props = ::parquet::file::properties::WriterProperties::builder()
            .set_compression(::parquet::basic::Compression::SNAPPY)
            .set_max_row_group_size(row_group_size.max(1))
            .build();
        let w = ::parquet::arrow::ArrowWriter::try_new(out, schema.clone(), Some(props))?;
        Ok(ParquetWriter {
            w,
            schema,
            cols: COLUMNS.iter().map(|c| builder(c.1)).collect(),
            rows: 0,
            names: Names::builtin(),
        })
    }

    /// Hands the buffered rows to the Parquet writer.
    fn flush_batch(&mut self) -> Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let arrays: Vec<ArrayRef> = self.cols.iter_mut().map(|b| b.finish()).collect();
        self.w
            .write(&RecordBatch::try_new(self.schema.clone(), arrays)?)?;
        self.rows = 0;
        Ok(())
    }
}

impl<W: Write + Send> RowWriter for ParquetWriter<W> {
    fn row(&mut self, e: &StoredEvent, texts: &mut Texts<'_>) -> Result<bool> {
        for (b, v) in self.cols.iter_mut().zip(values(e, self.names, texts)) {
            append(b.as_mut(), v);
        }
        self.rows += 1;
        if self.rows >= BATCH {
            self.flush_batch()?;
        }
        Ok(true)
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        self.flush_batch()?;
        let mut out = self.w.into_inner()?;
        Ok(out.flush()?)
    }
}

/// Events as Parquet bytes (snappy-compressed), without article texts (evidence falls back to
/// the trigger).
pub fn parquet_bytes(events: &[StoredEvent]) -> Result<Vec<u8>> {
    crate::to_bytes(&Options::new(Format::Parquet), events, &mut Texts::none())
}
