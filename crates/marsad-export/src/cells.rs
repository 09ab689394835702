//! CSV cells and numbers as exports write them: text always quoted (so that codes such as CAMEO
//! "042" read as text), numbers bare, with fixed decimals and no float noise.

use std::io::Write;

/// One CSV cell.
pub(crate) enum Cell {
    /// Text, always quoted.
    Text(String),
    /// A number as already formatted (empty when unknown), never quoted.
    Num(String),
}

impl Cell {
    /// Text from an optional string (empty when absent).
    pub(crate) fn opt(s: Option<impl Into<String>>) -> Cell {
        Cell::Text(s.map(Into::into).unwrap_or_default())
    }
}

/// Text cell.
pub(crate) fn t(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// The UTF-8 byte-order mark Excel looks for.
pub(crate) const BOM: &[u8] = "\u{feff}".as_bytes();

/// Writes the header line: plain names, unquoted.
pub(crate) fn header(out: &mut impl Write, cols: &[&str]) -> std::io::Result<()> {
    out.write_all(cols.join(",").as_bytes())?;
    out.write_all(b"\r\n")
}

/// Writes one row, RFC 4180 style (CRLF line ends, `"` doubled inside quotes).
pub(crate) fn row(out: &mut impl Write, cells: &[Cell]) -> std::io::Result<()> {
    let mut line = String::with_capacity(256);
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        match c {
            Cell::Num(n) => line.push_str(n),
            Cell::Text(s) => {
                line.push('"');
                line.push_str(&s.replace('"', "\"\""));
                line.push('"');
            }
        }
    }
    line.push_str("\r\n");
    out.write_all(line.as_bytes())
}

/// `x` with at most `decimals` decimals, trailing zeros dropped (`48.85341`, `36.335`, `0.9`,
/// `36`); empty for a value that is not finite.
pub fn fixed(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        &s
    };
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// `x` rounded to `decimals` decimals as a float (for JSON numbers without float noise).
pub(crate) fn round(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round() / f
}

/// A coordinate cell: 5 decimals (about a metre).
pub(crate) fn coord(x: Option<f64>) -> Cell {
    Cell::Num(x.map(|x| fixed(x, 5)).unwrap_or_default())
}

/// An integer cell, empty when unknown.
pub(crate) fn int(x: Option<u64>) -> Cell {
    Cell::Num(x.map(|x| x.to_string()).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_fixed_decimals_and_no_noise() {
        assert_eq!(fixed(48.85340881347656, 5), "48.85341");
        assert_eq!(fixed(36.335, 5), "36.335");
        assert_eq!(fixed(f64::from(0.9f32), 2), "0.9");
        assert_eq!(fixed(36.0, 5), "36");
        assert_eq!(fixed(-0.000001, 5), "0");
        assert_eq!(round(48.85340881347656, 5), 48.85341);
    }

    #[test]
    fn text_is_quoted_and_numbers_are_not() {
        let mut b = Vec::new();
        row(&mut b, &[t("042"), Cell::Num("15".into()), t("a \"b\", c")]).unwrap();
        assert_eq!(
            String::from_utf8(b).unwrap(),
            "\"042\",15,\"a \"\"b\"\", c\"\r\n"
        );
    }
}
