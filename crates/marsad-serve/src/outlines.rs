//! Country outlines for the dashboard's map, compiled into the binary.
//!
//! The asset `assets/world-outlines.txt` is derived from Natural Earth's countries (the
//! `world-atlas` TopoJSON in `../shared/data/geo/world-atlas/`) by [`build`]: every arc is
//! simplified (Douglas–Peucker) and quantized to 0.01°, and countries refer to shared arcs, so
//! neighbours keep one common border. Rebuild it with
//! `marsad build outlines` (writes `crates/marsad-serve/assets/world-outlines.txt`); a test checks that the
//! committed file equals a rebuild when `../shared` is there.
//!
//! Format (text, one record per line): `#` comments; `a x,y dx,dy …` one arc in hundredths of a
//! degree (first point absolute, then differences); `c ID<TAB>NAME<TAB>POLYGONS` one country, its
//! polygons separated by `|`, rings by `;`, each ring a list of arc numbers where `~n` (written
//! `-n-1`, as in TopoJSON) is arc `n` reversed.

use serde_json::Value;
use std::fmt::Display;
use std::fmt::Write;
use std::sync::OnceLock;

/// An outline file or a TopoJSON source that does not read; the message says where.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct OutlineError(pub String);

impl From<std::fmt::Error> for OutlineError {
    fn from(e: std::fmt::Error) -> Self {
        OutlineError(e.to_string())
    }
}

type Result<T> = std::result::Result<T, OutlineError>;

/// Adds what was being read to a missing value or an error.
trait Context<T> {
    /// The value, or an error saying `what` (and why, for errors).
    fn context(self, what: impl Display) -> Result<T>;
    /// Like [`Context::context`], with the message built only when needed.
    fn with_context(self, what: impl FnOnce() -> String) -> Result<T>;
}

impl<T> Context<T> for Option<T> {
    fn context(self, what: impl Display) -> Result<T> {
        self.ok_or_else(|| OutlineError(what.to_string()))
    }
    fn with_context(self, what: impl FnOnce() -> String) -> Result<T> {
        self.ok_or_else(|| OutlineError(what()))
    }
}

impl<T, E: Display> Context<T> for std::result::Result<T, E> {
    fn context(self, what: impl Display) -> Result<T> {
        self.map_err(|e| OutlineError(format!("{what}: {e}")))
    }
    fn with_context(self, what: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|e| OutlineError(format!("{}: {e}", what())))
    }
}

/// The committed outlines.
pub const ASSET: &str = include_str!("../assets/world-outlines.txt");

/// The source file the asset is built from, relative to the workspace root.
pub const SOURCE: &str = "../shared/data/geo/world-atlas/countries-50m.json";

/// Simplification tolerance of the committed asset, in degrees.
pub const TOLERANCE: f64 = 0.03;

/// One country: its rings as (lon, lat) points.
#[derive(Debug, Clone)]
pub struct Country {
    /// ISO 3166-1 numeric code (empty for areas without one).
    pub id: String,
    /// English name.
    pub name: String,
    /// Closed rings (outer rings and holes), lon/lat degrees.
    pub rings: Vec<Vec<(f32, f32)>>,
    /// Bounding box: min lon, min lat, max lon, max lat.
    pub bbox: [f32; 4],
}

/// All countries.
#[derive(Debug, Clone, Default)]
pub struct World {
    /// The countries in file order.
    pub countries: Vec<Country>,
}

/// The compiled-in world, parsed once.
pub fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| parse(ASSET).unwrap_or_default())
}

/// Parses the outline format.
pub fn parse(text: &str) -> Result<World> {
    let mut arcs: Vec<Vec<(f32, f32)>> = Vec::new();
    let mut countries = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let n = n + 1;
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("a ") {
            let (mut x, mut y) = (0i64, 0i64);
            let mut pts = Vec::new();
            for (i, p) in rest.split(' ').enumerate() {
                let (a, b) = p
                    .split_once(',')
                    .with_context(|| format!("line {n}: bad point {p:?}"))?;
                let (a, b): (i64, i64) = (
                    a.parse().with_context(|| format!("line {n}: {a:?}"))?,
                    b.parse().with_context(|| format!("line {n}: {b:?}"))?,
                );
                if i == 0 {
                    (x, y) = (a, b);
                } else {
                    x += a;
                    y += b;
                }
                pts.push((x as f32 / 100.0, y as f32 / 100.0));
            }
            arcs.push(pts);
        } else if let Some(rest) = line.strip_prefix("c ") {
            let mut f = rest.splitn(3, '\t');
            let id = f.next().unwrap_or("").to_string();
            let name = f.next().unwrap_or("").to_string();
            let polys = f.next().unwrap_or("");
            let mut rings = Vec::new();
            for ring in polys.split(['|', ';']).filter(|r| !r.is_empty()) {
                let mut pts: Vec<(f32, f32)> = Vec::new();
                for r in ring.split(' ') {
                    let i: i64 = r.parse().with_context(|| format!("line {n}: arc {r:?}"))?;
                    let (idx, rev) = if i < 0 {
                        ((-i - 1) as usize, true)
                    } else {
                        (i as usize, false)
                    };
                    let arc = arcs
                        .get(idx)
                        .with_context(|| format!("line {n}: no arc {idx}"))?;
                    let skip = usize::from(!pts.is_empty());
                    if rev {
                        pts.extend(arc.iter().rev().skip(skip));
                    } else {
                        pts.extend(arc.iter().skip(skip));
                    }
                }
                if pts.len() >= 3 {
                    rings.push(pts);
                }
            }
            let mut bbox = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
            for &(x, y) in rings.iter().flatten() {
                bbox = [
                    bbox[0].min(x),
                    bbox[1].min(y),
                    bbox[2].max(x),
                    bbox[3].max(y),
                ];
            }
            if !rings.is_empty() {
                countries.push(Country {
                    id,
                    name,
                    rings,
                    bbox,
                });
            }
        } else {
            return Err(OutlineError(format!("line {n}: unknown record")));
        }
    }
    Ok(World { countries })
}

/// Perpendicular distance of `p` from the segment `a`–`b`.
fn seg_dist(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
    };
    let (qx, qy) = (a.0 + t * dx, a.1 + t * dy);
    ((p.0 - qx).powi(2) + (p.1 - qy).powi(2)).sqrt()
}

/// Douglas–Peucker: the indices of the points kept (first and last always).
fn simplify(pts: &[(f64, f64)], tol: f64) -> Vec<usize> {
    if pts.len() <= 2 {
        return (0..pts.len()).collect();
    }
    let mut keep = vec![false; pts.len()];
    keep[0] = true;
    keep[pts.len() - 1] = true;
    let mut stack = vec![(0usize, pts.len() - 1)];
    // a closed arc (first == last) is split at its farthest point first
    if pts[0] == pts[pts.len() - 1] {
        let far = (1..pts.len() - 1)
            .max_by(|&i, &j| {
                let di = (pts[i].0 - pts[0].0).hypot(pts[i].1 - pts[0].1);
                let dj = (pts[j].0 - pts[0].0).hypot(pts[j].1 - pts[0].1);
                di.total_cmp(&dj)
            })
            .unwrap_or(1);
        keep[far] = true;
        stack = vec![(0, far), (far, pts.len() - 1)];
    }
    while let Some((a, b)) = stack.pop() {
        if b <= a + 1 {
            continue;
        }
        let mut best = (0.0, 0usize);
        for i in a + 1..b {
            let d = seg_dist(pts[i], pts[a], pts[b]);
            if d > best.0 {
                best = (d, i);
            }
        }
        if best.0 > tol {
            keep[best.1] = true;
            stack.push((a, best.1));
            stack.push((best.1, b));
        }
    }
    (0..pts.len()).filter(|&i| keep[i]).collect()
}

/// A country while outlines are built: ISO code, name, rings of projected points.
type RawCountry = (String, String, Vec<Vec<Vec<i64>>>);
/// Builds the outline file from a world-atlas TopoJSON (`countries` object), simplifying arcs to
/// `tolerance` degrees. Deterministic: the same input gives the same bytes.
pub fn build(topojson: &str, tolerance: f64) -> Result<String> {
    let topo: Value = serde_json::from_str(topojson).context("not JSON")?;
    let tr = &topo["transform"];
    let (sx, sy) = (
        tr["scale"][0].as_f64().context("transform.scale")?,
        tr["scale"][1].as_f64().context("transform.scale")?,
    );
    let (tx, ty) = (
        tr["translate"][0].as_f64().context("transform.translate")?,
        tr["translate"][1].as_f64().context("transform.translate")?,
    );
    // decode the quantized, delta-encoded arcs into degrees
    let mut arcs: Vec<Vec<(f64, f64)>> = Vec::new();
    for a in topo["arcs"].as_array().context("no arcs")? {
        let (mut x, mut y) = (0i64, 0i64);
        let mut pts = Vec::new();
        for p in a.as_array().context("arc is not a list")? {
            x += p[0].as_i64().context("arc point")?;
            y += p[1].as_i64().context("arc point")?;
            pts.push((x as f64 * sx + tx, y as f64 * sy + ty));
        }
        arcs.push(pts);
    }
    let geoms = topo["objects"]["countries"]["geometries"]
        .as_array()
        .context("no objects.countries")?;
    // polygons as lists of rings of arc references
    let mut countries: Vec<RawCountry> = Vec::new();
    for g in geoms {
        let ring_list = |v: &Value| -> Vec<Vec<i64>> {
            v.as_array()
                .into_iter()
                .flatten()
                .map(|r| {
                    r.as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_i64)
                        .collect()
                })
                .collect()
        };
        let polys: Vec<Vec<Vec<i64>>> = match g["type"].as_str() {
            Some("Polygon") => vec![ring_list(&g["arcs"])],
            Some("MultiPolygon") => g["arcs"]
                .as_array()
                .into_iter()
                .flatten()
                .map(ring_list)
                .collect(),
            _ => continue,
        };
        let id = g["id"].as_str().unwrap_or("").to_string();
        let name = g["properties"]["name"].as_str().unwrap_or("").to_string();
        countries.push((id, name.replace(['\t', '\n'], " "), polys));
    }
    // simplify and quantize every arc in use; renumber them in order of first use
    let mut new_index: Vec<Option<i64>> = vec![None; arcs.len()];
    let mut out_arcs: Vec<String> = Vec::new();
    let q = |v: f64| (v * 100.0).round() as i64;
    let mut body = String::new();
    for (id, name, polys) in &countries {
        let mut ptxt = Vec::new();
        for poly in polys {
            let mut rtxt = Vec::new();
            for ring in poly {
                let mut refs = Vec::new();
                for &r in ring {
                    let (idx, rev) = if r < 0 {
                        ((-r - 1) as usize, true)
                    } else {
                        (r as usize, false)
                    };
                    let arc = arcs.get(idx).context("arc reference out of range")?;
                    let n = match new_index[idx] {
                        Some(n) => n,
                        None => {
                            let kept = simplify(arc, tolerance);
                            let mut line = String::from("a");
                            let mut prev: Option<(i64, i64)> = None;
                            for i in kept {
                                let p = (q(arc[i].0), q(arc[i].1));
                                match prev {
                                    None => write!(line, " {},{}", p.0, p.1)?,
                                    Some(o) if o == p => continue,
                                    Some(o) => write!(line, " {},{}", p.0 - o.0, p.1 - o.1)?,
                                }
                                prev = Some(p);
                            }
                            let n = out_arcs.len() as i64;
                            out_arcs.push(line);
                            new_index[idx] = Some(n);
                            n
                        }
                    };
                    refs.push(if rev { -n - 1 } else { n }.to_string());
                }
                rtxt.push(refs.join(" "));
            }
            ptxt.push(rtxt.join(";"));
        }
        writeln!(body, "c {id}\t{name}\t{}", ptxt.join("|"))?;
    }
    let mut out = String::new();
    writeln!(
        out,
        "# marsad world outlines: Natural Earth 4.1.0 admin-0 countries (public domain), via the"
    )?;
    writeln!(out, "# world-atlas 2.0.2 TopoJSON countries-50m.json (ISC), arcs simplified to {tolerance} degrees.")?;
    writeln!(out, "# Rebuild: marsad build outlines")?;
    writeln!(out, "# Format: see crates/marsad-serve/src/outlines.rs")?;
    for a in &out_arcs {
        writeln!(out, "{a}")?;
    }
    out.push_str(&body);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_asset_parses_and_has_the_region() {
        let w = parse(ASSET).unwrap();
        assert!(w.countries.len() > 200, "{}", w.countries.len());
        let iraq = w.countries.iter().find(|c| c.id == "368").unwrap();
        assert_eq!(iraq.name, "Iraq");
        let [x0, y0, x1, y1] = iraq.bbox;
        assert!(
            (38.0..40.0).contains(&x0) && (29.0..30.0).contains(&y0),
            "{:?}",
            iraq.bbox
        );
        assert!(
            (48.0..49.0).contains(&x1) && (37.0..38.0).contains(&y1),
            "{:?}",
            iraq.bbox
        );
        // small countries of the region survive simplification
        for id in ["048", "422", "634"] {
            assert!(w.countries.iter().any(|c| c.id == id), "{id}");
        }
    }

    #[test]
    fn the_committed_asset_equals_a_rebuild() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let src = root.join(SOURCE);
        let Ok(topo) = std::fs::read_to_string(&src) else {
            marsad_record::testing::skip(
                "the_committed_asset_equals_a_rebuild",
                &format!("{} is not here", src.display()),
            );
            return;
        };
        let built = build(&topo, TOLERANCE).unwrap();
        assert!(
            built == ASSET,
            "assets/world-outlines.txt is stale: run `marsad build outlines`"
        );
    }

    #[test]
    fn a_tiny_topology_round_trips_with_shared_arcs() {
        // two squares sharing the arc x = 1
        let topo = r#"{"type":"Topology","transform":{"scale":[1,1],"translate":[0,0]},
          "arcs":[[[1,0],[0,1]],[[1,1],[-1,0],[0,-1],[1,0]],[[1,0],[1,0],[0,1],[-1,0]]],
          "objects":{"countries":{"type":"GeometryCollection","geometries":[
            {"type":"Polygon","id":"001","properties":{"name":"West"},"arcs":[[0,1]]},
            {"type":"Polygon","id":"002","properties":{"name":"East"},"arcs":[[2,-1]]}]}}}"#;
        let text = build(topo, 0.0).unwrap();
        let w = parse(&text).unwrap();
        assert_eq!(w.countries.len(), 2);
        assert_eq!(w.countries[0].bbox, [0.0, 0.0, 1.0, 1.0]);
        assert_eq!(w.countries[1].bbox, [1.0, 0.0, 2.0, 1.0]);
        assert_eq!(text.lines().filter(|l| l.starts_with("a ")).count(), 3);
    }

    #[test]
    fn simplification_keeps_ends_and_corners() {
        let line: Vec<(f64, f64)> = (0..=10)
            .map(|i| (i as f64, 0.001 * (i % 2) as f64))
            .collect();
        assert_eq!(simplify(&line, 0.01), vec![0, 10]);
        let corner = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0)];
        assert_eq!(simplify(&corner, 0.01), vec![0, 1, 2]);
    }
}
