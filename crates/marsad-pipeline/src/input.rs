//! Reading documents from files, standard input and JSONL, with clear errors for bad input.

use marsad_store::RejectKind;
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::Path;

/// An input that cannot be read, or is not what marsad reads; the message names the input.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// Opening or reading failed.
    #[error("{what}")]
    Io {
        /// The input and what was being done (`x.txt: cannot open`).
        what: String,
        /// The system's error.
        #[source]
        source: std::io::Error,
    },
    /// The input is not a document marsad can take (too large, a directory, not UTF-8).
    #[error("{0}")]
    Bad(String),
}

type Result<T> = std::result::Result<T, InputError>;

fn io(what: String) -> impl FnOnce(std::io::Error) -> InputError {
    move |source| InputError::Io { what, source }
}

/// The largest document accepted by default (bytes); larger ones are refused with a message.
pub const DEFAULT_MAX_BYTES: u64 = 16 * 1024 * 1024;

/// One input document.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct InputDoc {
    /// The caller's id (kept as the document's `external_id`; the store's id is the content hash).
    #[serde(default)]
    pub id: Option<serde_json::Value>,
    /// The article text.
    pub text: String,
    /// Publication date (YYYY-MM-DD or an RFC 3339 timestamp).
    #[serde(default)]
    pub date: Option<String>,
    /// Headline.
    #[serde(default)]
    pub title: Option<String>,
    /// Where it came from.
    #[serde(default)]
    pub url: Option<String>,
    /// The outlet that published it (JSONL `source`; a feed's title, a page's site name).
    #[serde(default, deserialize_with = "crate::provenance::lenient_string")]
    pub source: Option<String>,
    /// A URL or a local path (JSONL `url_or_path`); only a URL is kept.
    #[serde(default, deserialize_with = "crate::provenance::lenient_string")]
    pub url_or_path: Option<String>,
}

impl InputDoc {
    /// The id as a string (numbers are printed, strings kept).
    pub fn id_string(&self) -> Option<String> {
        match &self.id {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(v) => Some(v.to_string()),
        }
    }
}

/// Reads at most `max` bytes from `path` (`-` is standard input), refusing larger inputs.
pub fn read_bytes(path: &str, max: u64) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    if path == "-" {
        std::io::stdin()
            .lock()
            .take(max.saturating_add(1))
            .read_to_end(&mut buf)
            .map_err(io("reading standard input".into()))?;
    } else {
        let f = std::fs::File::open(path).map_err(io(format!("{path}: cannot open")))?;
        if let Ok(m) = f.metadata() {
            if m.is_dir() {
                return Err(InputError::Bad(format!(
                    "{path}: is a directory, not a document"
                )));
            }
            if m.len() > max {
                return Err(InputError::Bad(format!("{path}: {} bytes is larger than the limit of {max} bytes (raise it with --max-bytes)", m.len())));
            }
        }
        f.take(max.saturating_add(1))
            .read_to_end(&mut buf)
            .map_err(io(format!("{path}: cannot read")))?;
    }
    if buf.len() as u64 > max {
        return Err(InputError::Bad(format!(
            "{}: larger than the limit of {max} bytes (raise it with --max-bytes)",
            display_name(path)
        )));
    }
    Ok(buf)
}

/// The name of an input for messages.
pub fn display_name(path: &str) -> &str {
    if path == "-" {
        "<stdin>"
    } else {
        path
    }
}

/// Decodes UTF-8, naming the input and the byte offset of the first invalid byte, or replaces
/// invalid sequences when `lossy` is set.
pub fn decode(name: &str, bytes: Vec<u8>, lossy: bool) -> Result<String> {
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) if lossy => Ok(String::from_utf8_lossy(e.as_bytes()).into_owned()),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            Err(InputError::Bad(format!(
                "{name}: invalid UTF-8 at byte offset {at} (use --lossy to replace invalid bytes)"
            )))
        }
    }
}

/// Opens `path` for line reading, decompressing `.gz` files.
pub fn open_lines(path: &str) -> Result<Box<dyn std::io::BufRead>> {
    if path == "-" {
        return Ok(Box::new(std::io::BufReader::new(std::io::stdin())));
    }
    let f = std::fs::File::open(path).map_err(io(format!("{path}: cannot open")))?;
    if Path::new(path).extension().is_some_and(|e| e == "gz") {
        Ok(Box::new(std::io::BufReader::new(
            flate2::read::MultiGzDecoder::new(f),
        )))
    } else {
        Ok(Box::new(std::io::BufReader::with_capacity(1 << 16, f)))
    }
}

/// What is wrong with a JSONL line: its reject class and a message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct LineError {
    /// The class (`not_json`, `no_text`, `bad_field`).
    pub kind: RejectKind,
    /// What is wrong.
    pub message: String,
}

/// Parses one JSONL line into a document, or says what is wrong with it.
pub fn parse_jsonl_line(line: &str) -> std::result::Result<InputDoc, LineError> {
    let err = |kind, message: String| LineError { kind, message };
    let v: serde_json::Value = serde_json::from_str(line)
        .map_err(|e| err(RejectKind::NotJson, format!("not JSON: {e}")))?;
    if !v.is_object() {
        return Err(err(RejectKind::NotJson, "not a JSON object".into()));
    }
    match v.get("text") {
        None => return Err(err(RejectKind::NoText, "no \"text\" field".into())),
        Some(t) if !t.is_string() => {
            return Err(err(RejectKind::NoText, "\"text\" is not a string".into()))
        }
        _ => {}
    }
    serde_json::from_value(v).map_err(|e| err(RejectKind::BadField, format!("bad field: {e}")))
}

/// One line read by [`read_line_capped`].
pub enum Line {
    /// End of input.
    Eof,
    /// A whole line (without its length limit exceeded), newline included if present.
    Full,
    /// A line longer than the cap: its bytes were skipped, not kept; the value is its length.
    TooLong(u64),
}

/// Reads one line into `buf` (cleared first), keeping at most `cap` bytes in memory: a longer
/// line is consumed and reported as [`Line::TooLong`], so memory stays bounded.
pub fn read_line_capped(
    r: &mut dyn std::io::BufRead,
    buf: &mut Vec<u8>,
    cap: u64,
) -> std::io::Result<Line> {
    buf.clear();
    let mut total: u64 = 0;
    let mut too_long = false;
    loop {
        let chunk = r.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        let (take, done) = match memchr_newline(chunk) {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        total += take as u64;
        if !too_long && total <= cap.saturating_add(1) {
            buf.extend_from_slice(&chunk[..take]);
        } else if !too_long {
            too_long = true;
            buf.clear();
            buf.shrink_to(1 << 16);
        }
        r.consume(take);
        if done {
            break;
        }
    }
    Ok(if total == 0 {
        Line::Eof
    } else if too_long {
        Line::TooLong(total)
    } else {
        Line::Full
    })
}

fn memchr_newline(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'\n')
}
