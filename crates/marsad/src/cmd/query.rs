//! `marsad search`, `marsad events`, `marsad stats`: queries over the store.

use crate::files::{open_any, DEFAULT_DB};
use anyhow::Result;
use marsad_store::EventFilter;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Event filters shared by `marsad events` and `marsad export`.
#[derive(clap::Args, Clone, Default)]
pub struct Filters {
    /// PLOVER category (ASSAULT, PROTEST, COERCE, …).
    #[arg(long = "type")]
    pub event_type: Option<String>,
    /// A mode of the category (aerial, arrest, defect, …).
    #[arg(long)]
    pub mode: Option<String>,
    /// ISO country code of the event's location (IQ, SY, …).
    #[arg(long)]
    pub country: Option<String>,
    /// First-level admin area of the location.
    #[arg(long)]
    pub admin1: Option<String>,
    /// Actor or recipient (Arabic or English name, substring).
    #[arg(long)]
    pub actor: Option<String>,
    /// Earliest event date, YYYY-MM-DD.
    #[arg(long)]
    pub from: Option<String>,
    /// Latest event date, YYYY-MM-DD.
    #[arg(long)]
    pub to: Option<String>,
    /// Only events found in articles matching this text query.
    #[arg(long)]
    pub query: Option<String>,
    /// Include negated, future, hypothetical, denied and historical mentions.
    #[arg(long)]
    pub all_modalities: bool,
    /// Only events the detector is at least this sure of (0–1): abstain on the rest for higher
    /// precision (`marsad eval articles --min-confidence` shows what each floor costs).
    #[arg(long, value_parser = confidence)]
    pub min_confidence: Option<f64>,
}

/// A confidence floor between 0 and 1.
fn confidence(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(c) if (0.0..=1.0).contains(&c) => Ok(c),
        _ => Err(format!("{s:?} is not a confidence between 0 and 1")),
    }
}

impl Filters {
    /// The store filter for these options; an unknown category, mode or country is an error
    /// that lists the allowed values.
    pub fn to_filter(&self, limit: usize, offset: usize) -> Result<EventFilter> {
        use marsad_serve::vocab;
        let checked =
            |k: &str, v: &Option<String>, check: fn(&str, &str) -> Result<String, String>| {
                v.as_deref()
                    .map(|v| check(k, v).map_err(anyhow::Error::msg))
                    .transpose()
            };
        let f = EventFilter {
            event_type: checked("--type", &self.event_type, |k, v| {
                vocab::check_type(k, v).map(|c| c.name().to_string())
            })?,
            mode: checked("--mode", &self.mode, vocab::check_mode)?,
            country: checked("--country", &self.country, vocab::check_country)?,
            admin1: self.admin1.clone(),
            actor: self.actor.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            query: self.query.clone(),
            bbox: None,
            modality: None,
            precision: None,
            updated_since: None,
            min_confidence: self.min_confidence,
            factual_only: !self.all_modalities,
            limit,
            offset,
        };
        f.check_dates().map_err(|e| anyhow::anyhow!("--{e}"))?;
        Ok(f)
    }
}

/// Arguments of `marsad search`.
#[derive(clap::Args)]
pub struct SearchArgs {
    /// Words to find (normalized and clitic-insensitive: انشقاق finds الانشقاق and بالإنشقاق).
    query: String,
    /// The database: a file, or a PostgreSQL URL (postgres://USER@HOST/DB).
    #[arg(long, default_value = DEFAULT_DB, env = "MARSAD_DB")]
    db: PathBuf,
    /// Number of results.
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Results to skip.
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// JSON lines instead of text.
    #[arg(long)]
    json: bool,
}

/// Runs `marsad search`.
pub fn search(a: SearchArgs) -> Result<ExitCode> {
    let db = open_any(&a.db)?;
    let hits = db.store().search(&a.query, a.limit, a.offset)?;
    let mut out = std::io::stdout().lock();
    for h in &hits {
        if a.json {
            writeln!(out, "{}", serde_json::to_string(h)?)?;
        } else {
            writeln!(
                out,
                "{}  {}  {}\n    {}",
                h.id,
                h.date.as_deref().unwrap_or("-"),
                h.title.as_deref().unwrap_or(""),
                h.snippet.replace('\n', " ")
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `marsad events`.
#[derive(clap::Args)]
pub struct EventsArgs {
    #[command(flatten)]
    filters: Filters,
    /// The database: a file, or a PostgreSQL URL (postgres://USER@HOST/DB).
    #[arg(long, default_value = DEFAULT_DB, env = "MARSAD_DB")]
    db: PathBuf,
    /// Number of events.
    #[arg(long, default_value_t = 50)]
    limit: usize,
    /// Events to skip.
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// Full JSON records, one per line, instead of a table.
    #[arg(long)]
    json: bool,
}

/// Runs `marsad events`.
pub fn events(a: EventsArgs) -> Result<ExitCode> {
    let db = open_any(&a.db)?;
    let evs = db
        .store()
        .events(&a.filters.to_filter(a.limit, a.offset)?)?;
    if evs.is_empty() && !a.json {
        // said on stderr, so that stdout stays the table (empty) for pipes
        eprintln!(
            "marsad: 0 events{}",
            if a.offset > 0 {
                " at this offset"
            } else {
                " match these filters"
            }
        );
    }
    let mut out = std::io::stdout().lock();
    for e in &evs {
        if a.json {
            let rec = marsad_export::WithMentions::from(e);
            writeln!(out, "{}", serde_json::to_string(&rec)?)?;
        } else {
            let r = &e.record;
            let loc = r.location.as_ref();
            writeln!(
                out,
                "{}  {:<10} {:<18} {:<10} {:<3} {:<24} ×{}  {}",
                r.date.as_ref().map_or("-".into(), |d| d.value.to_string()),
                r.event_type.name(),
                r.mode.join(","),
                r.modality.as_str(),
                loc.map_or("-", |l| l.country.as_str()),
                loc.map_or("-", |l| l.name_en.as_str()),
                e.mentions,
                r.trigger.text,
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `marsad stats`.
#[derive(clap::Args)]
pub struct StatsArgs {
    /// The database: a file, or a PostgreSQL URL (postgres://USER@HOST/DB).
    #[arg(long, default_value = DEFAULT_DB, env = "MARSAD_DB")]
    db: PathBuf,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `marsad stats`.
pub fn stats(a: StatsArgs) -> Result<ExitCode> {
    let db = open_any(&a.db)?;
    let st = db.store().stats()?;
    if a.json {
        println!("{}", serde_json::to_string(&st)?);
    } else {
        println!(
            "documents {}\nstories {}\nduplicates {}\nevents {}\nmentions {}\nrejected {}",
            st.documents, st.stories, st.duplicates, st.events, st.mentions, st.rejected
        );
    }
    Ok(ExitCode::SUCCESS)
}
