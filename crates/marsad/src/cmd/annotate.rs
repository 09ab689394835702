//! `marsad annotate`: one document (or JSONL documents) in, JSON with spans out.

use anyhow::{Context, Result};
use marsad_pipeline::input;
use marsad_pipeline::{self as pipeline, Doc, Models};
use rayon::prelude::*;
use std::io::Write;
use std::process::ExitCode;

/// Arguments of `marsad annotate`.
#[derive(clap::Args)]
pub struct Args {
    /// The document to annotate (`-` or nothing for standard input).
    #[arg(default_value = "-")]
    file: String,
    /// Read JSONL lines `{"id", "text", "date"?, "title"?, "url"?, "source"?, "url_or_path"?}`
    /// and write one line per input (with the outlet and web address found).
    #[arg(long)]
    jsonl: bool,
    /// Replace invalid UTF-8 instead of refusing the input.
    #[arg(long)]
    lossy: bool,
    /// Publication date of a plain-text document (YYYY-MM-DD), for relative dates.
    #[arg(long)]
    date: Option<String>,
    /// Largest document accepted, in bytes; larger ones are refused with a message.
    #[arg(long, default_value_t = input::DEFAULT_MAX_BYTES)]
    max_bytes: u64,
    /// Pretty-print (plain-text input only).
    #[arg(long)]
    pretty: bool,
}

/// Runs `marsad annotate`.
pub fn run(args: Args) -> Result<ExitCode> {
    let models = Models::load()?;
    if args.jsonl {
        return run_jsonl(&args, &models);
    }
    let name = input::display_name(&args.file).to_string();
    let bytes = input::read_bytes(&args.file, args.max_bytes)?;
    let text = input::decode(&name, bytes, args.lossy)?;
    let date = match &args.date {
        Some(d) => Some(
            pipeline::parse_date(d)
                .with_context(|| format!("--date {d:?}: not a YYYY-MM-DD date"))?,
        ),
        None => None,
    };
    let doc = Doc {
        id: pipeline::content_id(&text),
        text: &text,
        date,
        title: None,
        url: None,
        outlet: None,
    };
    let json = guarded(|| pipeline::annotate(&models, &doc).to_json())
        .map_err(|why| anyhow::anyhow!("{name}: {why}"))?;
    let mut out = std::io::stdout().lock();
    if args.pretty {
        let v: serde_json::Value = serde_json::from_str(&json)?;
        // formatted first and written with `write_all`, so that a closed pipe (`| head`) is an
        // io::Error that `main` recognises and ends quietly on
        out.write_all(serde_json::to_string_pretty(&v)?.as_bytes())?;
    } else {
        out.write_all(json.as_bytes())?;
    }
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Lines read and annotated together; output keeps the input order.
const BATCH: usize = 256;

fn run_jsonl(args: &Args, models: &Models) -> Result<ExitCode> {
    let name = input::display_name(&args.file).to_string();
    let mut reader = input::open_lines(&args.file)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = 0usize;
    let mut line_no = 0usize;
    let mut batch: Vec<(usize, Vec<u8>)> = Vec::with_capacity(BATCH);
    let mut done = false;
    // a line over the limit is skipped while it is read, so memory stays bounded
    let cap = args.max_bytes.saturating_add(1024);
    while !done {
        batch.clear();
        while batch.len() < BATCH {
            let mut buf = Vec::new();
            let line = input::read_line_capped(&mut *reader, &mut buf, cap)
                .with_context(|| format!("{name}: read error after line {line_no}"))?;
            match line {
                input::Line::Eof => {
                    done = true;
                    break;
                }
                input::Line::TooLong(n) => {
                    line_no += 1;
                    failed += 1;
                    eprintln!(
                        "marsad: {name}: line {line_no}: line of {n} bytes is larger than the limit of {} bytes",
                        args.max_bytes
                    );
                    continue;
                }
                input::Line::Full => line_no += 1,
            }
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            batch.push((line_no, buf));
        }
        let results: Vec<Result<String, String>> = batch
            .par_iter()
            .map(|(_, bytes)| annotate_line(models, bytes, args.lossy, args.max_bytes))
            .collect();
        for ((n, _), r) in batch.iter().zip(results) {
            match r {
                Ok(line) => {
                    out.write_all(line.as_bytes())?;
                    out.write_all(b"\n")?;
                }
                Err(why) => {
                    failed += 1;
                    eprintln!("marsad: {name}: line {n}: {why}");
                }
            }
        }
    }
    out.flush()?;
    if failed > 0 {
        eprintln!("marsad: {name}: {failed} line(s) rejected, the others annotated");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn annotate_line(models: &Models, bytes: &[u8], lossy: bool, max: u64) -> Result<String, String> {
    if bytes.len() as u64 > max {
        return Err(format!(
            "document of {} bytes is larger than the limit of {max} bytes",
            bytes.len()
        ));
    }
    let line = match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) if lossy => String::from_utf8_lossy(bytes),
        Err(e) => {
            return Err(format!(
                "invalid UTF-8 at byte offset {} of the line",
                e.valid_up_to()
            ))
        }
    };
    let d = input::parse_jsonl_line(line.trim_end()).map_err(|e| e.message)?;
    let date = match &d.date {
        Some(s) if !s.is_empty() => {
            Some(pipeline::parse_date(s).ok_or_else(|| format!("\"date\" {s:?} is not a date"))?)
        }
        _ => None,
    };
    let id = d
        .id_string()
        .unwrap_or_else(|| pipeline::content_id(&d.text));
    // the caller's id, the outlet and the web address (`url`, or `url_or_path` when it is one)
    let prov = pipeline::provenance::of(&d);
    let doc = Doc {
        id,
        text: &d.text,
        date,
        title: d.title.clone(),
        url: prov.url,
        outlet: prov.outlet,
    };
    guarded(|| pipeline::annotate(models, &doc).to_json())
}

/// Runs `f`, turning a panic inside it (a bug met on one document) into an error message, so
/// that the other documents are still annotated.
fn guarded(f: impl FnOnce() -> String) -> Result<String, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|panic| {
        format!(
            "annotation failed inside marsad (a bug): {}",
            pipeline::sources::panic_message(&*panic)
        )
    })
}
