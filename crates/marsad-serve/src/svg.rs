//! Server-side SVG: the map (country outlines and event points) and the timeline (stacked bars
//! per day, week, month or year by category).

use crate::html::{self, esc, CATEGORIES};
use crate::outlines;
use chrono::{Datelike, Duration, NaiveDate};
use marsad_store::{Bucket, Interval, MapPoint};
use std::collections::BTreeMap;
use std::fmt::Write;

/// A bounding box: min lon, min lat, max lon, max lat.
pub type BBox = (f64, f64, f64, f64);

/// The default view: the Middle East and North Africa.
pub const MENA: BBox = (-18.0, 8.0, 64.0, 44.0);

/// Named views offered as links.
pub const REGIONS: &[(&str, &str, &str, BBox)] = &[
    ("mena", "MENA", "الشرق الأوسط وشمال أفريقيا", MENA),
    (
        "levant",
        "Levant & Iraq",
        "بلاد الشام والعراق",
        (33.0, 28.0, 50.0, 38.5),
    ),
    (
        "gulf",
        "Gulf & Yemen",
        "الخليج واليمن",
        (36.0, 11.5, 60.5, 32.0),
    ),
    (
        "maghreb",
        "North Africa",
        "شمال أفريقيا",
        (-18.0, 18.0, 36.0, 38.0),
    ),
    ("world", "World", "العالم", (-180.0, -60.0, 180.0, 80.0)),
];

/// Width of the map in SVG units; the height follows the aspect.
pub const MAP_W: f64 = 1000.0;
/// Height / width of the map.
pub const MAP_ASPECT: f64 = 0.5;

/// A view fitted to the map's aspect (the smaller side grows around the centre).
pub fn fit(b: BBox) -> BBox {
    let (x0, y0, x1, y1) = b;
    let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    let k = cy.to_radians().cos().max(0.2);
    let (mut w, mut h) = ((x1 - x0).max(0.05), (y1 - y0).max(0.05));
    // projected width is w·k; we want h / (w·k) = MAP_ASPECT
    if h / (w * k) > MAP_ASPECT {
        w = h / (MAP_ASPECT * k);
    } else {
        h = w * k * MAP_ASPECT;
    }
    w = w.min(360.0);
    h = h.min(170.0);
    let cy = cy.clamp(-85.0 + h / 2.0, 85.0 - h / 2.0);
    (cx - w / 2.0, cy - h / 2.0, cx + w / 2.0, cy + h / 2.0)
}

/// The view zoomed by `factor` (2: in, 0.5: out) around its centre, moved by `(dx, dy)` widths.
pub fn zoom(b: BBox, factor: f64, dx: f64, dy: f64) -> BBox {
    let (x0, y0, x1, y1) = b;
    let (w, h) = ((x1 - x0) / factor, (y1 - y0) / factor);
    let (cx, cy) = (
        (x0 + x1) / 2.0 + dx * (x1 - x0),
        (y0 + y1) / 2.0 + dy * (y1 - y0),
    );
    let w = w.min(360.0);
    let h = h.min(170.0);
    let cx = cx.clamp(-180.0 + w / 2.0, 180.0 - w / 2.0);
    let cy = cy.clamp(-85.0 + h / 2.0, 85.0 - h / 2.0);
    (cx - w / 2.0, cy - h / 2.0, cx + w / 2.0, cy + h / 2.0)
}

/// `minlon,minlat,maxlon,maxlat` with two decimals.
pub fn bbox_param(b: BBox) -> String {
    format!("{:.2},{:.2},{:.2},{:.2}", b.0, b.1, b.2, b.3)
}

/// Outline names that differ from the gazetteer's English country names, by ISO code.
const OUTLINE_NAMES: &[(&str, &str)] = &[
    ("PS", "Palestine"),
    ("US", "United States of America"),
    ("CD", "Dem. Rep. Congo"),
    ("EH", "W. Sahara"),
    ("KR", "South Korea"),
    ("KP", "North Korea"),
    ("SS", "S. Sudan"),
    ("CF", "Central African Rep."),
    ("BA", "Bosnia and Herz."),
];

/// The view of a country (ISO 3166-1 alpha-2 code), from its outline with a margin; `None`
/// when no outline has its name.
pub fn country_view(iso2: &str) -> Option<BBox> {
    let iso2 = iso2.to_ascii_uppercase();
    let name = OUTLINE_NAMES
        .iter()
        .find(|(c, _)| *c == iso2)
        .map_or_else(|| html::country_name(&iso2), |(_, n)| (*n).to_string());
    let c = outlines::world()
        .countries
        .iter()
        .find(|c| c.name.eq_ignore_ascii_case(&name))?;
    let [x0, y0, x1, y1] = c.bbox.map(f64::from);
    let (mx, my) = (((x1 - x0) * 0.1).max(0.5), ((y1 - y0) * 0.1).max(0.5));
    Some(fit((x0 - mx, y0 - my, x1 + mx, y1 + my)))
}

/// Projects lon/lat into the map of `view` (equirectangular, true scale at the centre latitude).
struct Proj {
    x0: f64,
    y1: f64,
    sx: f64,
    sy: f64,
}

impl Proj {
    fn new(v: BBox) -> Self {
        let h = MAP_W * MAP_ASPECT;
        Proj {
            x0: v.0,
            y1: v.3,
            sx: MAP_W / (v.2 - v.0),
            sy: h / (v.3 - v.1),
        }
    }
    fn xy(&self, lon: f64, lat: f64) -> (f64, f64) {
        ((lon - self.x0) * self.sx, (self.y1 - lat) * self.sy)
    }
}

/// The circle radius of a point with `n` events.
pub fn radius(n: u64) -> f64 {
    (2.5 + 2.2 * (n as f64).sqrt()).min(28.0)
}

/// One map: outlines, a light graticule, and points linked to `link(point)`.
pub fn map(
    view: BBox,
    points: &[MapPoint],
    link: &dyn Fn(&MapPoint) -> String,
    base_href: &str,
) -> String {
    let p = Proj::new(view);
    let h = MAP_W * MAP_ASPECT;
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        "<svg class=\"map\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {MAP_W} {h}\" role=\"img\" aria-label=\"Map of events · خريطة الأحداث\" data-bbox=\"{}\" data-href=\"{}\">",
        bbox_param(view),
        esc(base_href)
    );
    let _ = write!(
        out,
        "<rect class=\"sea\" width=\"{MAP_W}\" height=\"{h}\"/>"
    );
    // graticule
    let span = view.2 - view.0;
    let step = if span > 120.0 {
        30.0
    } else if span > 40.0 {
        10.0
    } else if span > 12.0 {
        5.0
    } else {
        1.0
    };
    out.push_str("<path class=\"grid\" d=\"");
    let mut lon = (view.0 / step).ceil() * step;
    while lon <= view.2 {
        let (x, _) = p.xy(lon, 0.0);
        let _ = write!(out, "M{x:.1} 0V{h}");
        lon += step;
    }
    let mut lat = (view.1 / step).ceil() * step;
    while lat <= view.3 {
        let (_, y) = p.xy(0.0, lat);
        let _ = write!(out, "M0 {y:.1}H{MAP_W}");
        lat += step;
    }
    out.push_str("\"/>");
    // countries whose box meets the view
    out.push_str("<g class=\"land\">");
    let margin = span * 0.05;
    for c in &outlines::world().countries {
        let [cx0, cy0, cx1, cy1] = c.bbox.map(f64::from);
        if cx1 < view.0 - margin
            || cx0 > view.2 + margin
            || cy1 < view.1 - margin
            || cy0 > view.3 + margin
        {
            continue;
        }
        let _ = write!(out, "<path data-iso=\"{}\" d=\"", esc(&c.id));
        for ring in &c.rings {
            let mut prev: Option<(i64, i64)> = None;
            let mut n = 0;
            for &(lon, lat) in ring {
                let (x, y) = p.xy(f64::from(lon), f64::from(lat));
                let q = ((x * 10.0).round() as i64, (y * 10.0).round() as i64);
                match prev {
                    None => {
                        let _ = write!(out, "M{}", tenths(q.0, q.1));
                    }
                    Some(o) if o == q => continue,
                    Some(o) => {
                        let _ = write!(out, "l{}", tenths(q.0 - o.0, q.1 - o.1));
                    }
                }
                prev = Some(q);
                n += 1;
            }
            if n > 0 {
                out.push('z');
            }
        }
        let _ = write!(out, "\"><title>{}</title></path>", esc(&c.name));
    }
    out.push_str("</g><g class=\"points\">");
    let mut pts: Vec<&MapPoint> = points
        .iter()
        .filter(|m| m.lon >= view.0 && m.lon <= view.2 && m.lat >= view.1 && m.lat <= view.3)
        .collect();
    pts.sort_by(|a, b| b.events.cmp(&a.events).then(a.key.cmp(&b.key)));
    for m in pts {
        let (x, y) = p.xy(m.lon, m.lat);
        // a tooltip is plain text: isolate the names with bidi controls, not markup
        let name = match (&m.name_en, &m.name_ar) {
            (Some(e), Some(a)) => format!("{} · {}", html::isolated(e), html::isolated(a)),
            (Some(e), None) => html::isolated(e),
            (None, Some(a)) => html::isolated(a),
            (None, None) => html::isolated(&m.key),
        };
        let cat = html::category(&m.event_type);
        // events placed only in a country, province or region sit at its centre: say so
        let (class, note) = match m.precision.as_deref() {
            Some("country") => ("pt area", " (located to the country only)"),
            Some("admin1") => ("pt area", " (located to the province only)"),
            Some("region") => ("pt area", " (located to the region only)"),
            _ => ("pt", ""),
        };
        let _ = write!(
            out,
            "<a href=\"{}\"><circle class=\"{class}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{:.1}\" fill=\"{}\"><title>{} — {} {}: {} events, {} mentions{note}</title></circle></a>",
            esc(&link(m)),
            radius(m.events),
            html::colour(&m.event_type),
            esc(&name),
            cat.map_or("", |c| c.en),
            cat.map_or("", |c| c.ar),
            m.events,
            m.mentions
        );
    }
    out.push_str("</g></svg>");
    out
}

fn tenths(x: i64, y: i64) -> String {
    fn one(v: i64) -> String {
        let sign = if v < 0 { "-" } else { "" };
        let a = v.unsigned_abs();
        if a.is_multiple_of(10) {
            format!("{sign}{}", a / 10)
        } else {
            format!("{sign}{}.{}", a / 10, a % 10)
        }
    }
    let ys = one(y);
    if ys.starts_with('-') {
        format!("{}{}", one(x), ys)
    } else {
        format!("{} {}", one(x), ys)
    }
}

/// The first day of the bucket after `d`.
pub fn next_bucket(d: NaiveDate, iv: Interval) -> NaiveDate {
    match iv {
        Interval::Day => d + Duration::days(1),
        Interval::Week => d + Duration::days(7),
        Interval::Month => {
            let (y, m) = if d.month() == 12 {
                (d.year() + 1, 1)
            } else {
                (d.year(), d.month() + 1)
            };
            NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(d + Duration::days(31))
        }
        Interval::Year => {
            NaiveDate::from_ymd_opt(d.year() + 1, 1, 1).unwrap_or(d + Duration::days(366))
        }
    }
}

/// Most bars a timeline draws.
pub const MAX_BARS: usize = 400;

/// The finest interval that shows `from..=to` in at most about 200 bars.
pub fn auto_interval(from: NaiveDate, to: NaiveDate) -> Interval {
    let days = (to - from).num_days().max(0);
    if days <= 120 {
        Interval::Day
    } else if days <= 7 * 200 {
        Interval::Week
    } else if days <= 31 * 200 {
        Interval::Month
    } else {
        Interval::Year
    }
}

/// Whether the bucket starting at `start` meets the days `range` (all do without one).
pub fn in_range(start: NaiveDate, iv: Interval, range: Option<(NaiveDate, NaiveDate)>) -> bool {
    range.is_none_or(|(lo, hi)| start <= hi && next_bucket(start, iv) > lo)
}

/// A stacked bar chart of events per bucket and category, of the buckets that meet `range`;
/// each bar links to `link(start, end)`. Axis labels carry the year.
pub fn timeline(
    buckets: &[Bucket],
    iv: Interval,
    range: Option<(NaiveDate, NaiveDate)>,
    link: &dyn Fn(NaiveDate, NaiveDate) -> String,
) -> String {
    let parse = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let mut by: BTreeMap<NaiveDate, Vec<(&str, u64)>> = BTreeMap::new();
    for b in buckets {
        if let Some(d) = parse(&b.start).filter(|&d| in_range(d, iv, range)) {
            by.entry(d)
                .or_default()
                .push((b.event_type.as_str(), b.events));
        }
    }
    let (Some(&first), Some(&last)) = (by.keys().next(), by.keys().next_back()) else {
        return String::from(
            "<p class=\"empty\">No dated events · <span lang=\"ar\">لا أحداث مؤرخة</span></p>",
        );
    };
    // the continuous run of buckets, the latest MAX_BARS of it
    let mut starts = vec![first];
    while let Some(&d) = starts.last() {
        if d >= last {
            break;
        }
        starts.push(next_bucket(d, iv));
    }
    if starts.len() > MAX_BARS {
        starts.drain(..starts.len() - MAX_BARS);
    }
    let total = |d: &NaiveDate| by.get(d).map_or(0, |v| v.iter().map(|x| x.1).sum::<u64>());
    let max = starts.iter().map(total).max().unwrap_or(0).max(1);
    let (w, h, left, bottom, top) = (MAP_W, 170.0, 44.0, 22.0, 8.0);
    let plot_h = h - bottom - top;
    let bw = (w - left) / starts.len() as f64;
    let mut out = String::with_capacity(32 * 1024);
    let _ = write!(
        out,
        "<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"Events over time · الأحداث عبر الزمن\">"
    );
    // y axis: 0, max/2, max
    let mut ticks = vec![0, max / 2, max];
    ticks.dedup();
    for v in ticks {
        let y = top + plot_h * (1.0 - v as f64 / max as f64);
        let _ = write!(
            out,
            "<line class=\"axis\" x1=\"{left}\" x2=\"{w}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/><text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{v}</text>",
            left - 4.0,
            y + 4.0
        );
    }
    let mut last_label = f64::MIN;
    for (i, d) in starts.iter().enumerate() {
        let x = left + i as f64 * bw;
        let end = next_bucket(*d, iv) - Duration::days(1);
        if let Some(v) = by.get(d) {
            let mut y = top + plot_h;
            let _ = write!(out, "<a href=\"{}\"><g class=\"bar\">", esc(&link(*d, end)));
            let mut tip = format!("{d}");
            if iv != Interval::Day {
                let _ = write!(tip, " – {end}");
            }
            // categories in the legend's order, unknown ones last
            let mut parts: Vec<(usize, &str, u64)> = v
                .iter()
                .map(|&(t, n)| {
                    (
                        CATEGORIES.iter().position(|c| c.name == t).unwrap_or(99),
                        t,
                        n,
                    )
                })
                .collect();
            parts.sort();
            for (_, t, n) in &parts {
                let bh = plot_h * *n as f64 / max as f64;
                y -= bh;
                let _ = write!(
                    out,
                    "<rect x=\"{x:.2}\" y=\"{y:.2}\" width=\"{:.2}\" height=\"{bh:.2}\" fill=\"{}\"/>",
                    (bw * 0.85).max(0.5),
                    html::colour(t)
                );
                let _ = write!(tip, "\n{t}: {n}");
            }
            let _ = write!(out, "<title>{}</title></g></a>", esc(&tip));
        }
        // x labels, each with its year, where the month (day and week bars), the quarter
        // (month bars) or the year changes; not too close together
        let label = match (iv, i) {
            (_, 0) => Some(match iv {
                Interval::Day | Interval::Week => d.format("%Y-%m-%d").to_string(),
                Interval::Month => d.format("%Y-%m").to_string(),
                Interval::Year => d.format("%Y").to_string(),
            }),
            (Interval::Day, _) if d.day() == 1 => Some(d.format("%Y-%m").to_string()),
            (Interval::Week, _) if d.day() <= 7 => Some(d.format("%Y-%m").to_string()),
            (Interval::Month, _) if d.month() == 1 => Some(d.format("%Y").to_string()),
            (Interval::Month, _) if d.month() % 3 == 1 => Some(d.format("%Y-%m").to_string()),
            (Interval::Year, _) => Some(d.format("%Y").to_string()),
            _ => None,
        };
        if let Some(l) = label {
            if x - last_label >= 40.0 {
                last_label = x;
                let _ = write!(
                    out,
                    "<text class=\"tick\" x=\"{x:.1}\" y=\"{:.1}\">{}</text>",
                    h - 6.0,
                    esc(&l)
                );
            }
        }
    }
    out.push_str("</svg>");
    out
}

/// The legend of categories present in `types`.
pub fn legend(types: &[(String, u64)]) -> String {
    let mut out = String::from("<ul class=\"legend\">");
    for (t, n) in types {
        let _ = write!(
            out,
            "<li><svg width=\"12\" height=\"12\" aria-hidden=\"true\"><circle cx=\"6\" cy=\"6\" r=\"5\" fill=\"{}\"/></svg> {} <span class=\"n\">{n}</span></li>",
            html::colour(t),
            html::category_label(t)
        );
    }
    out.push_str("</ul>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_keep_the_aspect_and_stay_on_the_globe() {
        let v = fit(MENA);
        let k = ((v.1 + v.3) / 2.0).to_radians().cos();
        assert!(((v.3 - v.1) / ((v.2 - v.0) * k) - MAP_ASPECT).abs() < 1e-9);
        let z = zoom(v, 2.0, 0.0, 0.0);
        assert!(((z.2 - z.0) * 2.0 - (v.2 - v.0)).abs() < 1e-9);
        let out = zoom((-180.0, -80.0, 180.0, 80.0), 0.25, 1.0, 1.0);
        assert!(
            out.0 >= -180.0 && out.2 <= 180.0 && out.1 >= -85.0 && out.3 <= 85.0,
            "{out:?}"
        );
    }

    #[test]
    fn the_map_draws_outlines_and_points() {
        let pts = vec![MapPoint {
            key: "g99072".into(),
            event_type: "ASSAULT".into(),
            lat: 36.34,
            lon: 43.13,
            name_en: Some("Mosul <x>".into()),
            name_ar: Some("الموصل".into()),
            events: 4,
            mentions: 9,
            precision: Some("exact".into()),
        }];
        let svg = map(fit(MENA), &pts, &|m| format!("/places/{}", m.key), "/?");
        assert!(svg.contains("<circle class=\"pt\""));
        let country = vec![MapPoint {
            key: "cIQ".into(),
            precision: Some("country".into()),
            ..pts[0].clone()
        }];
        let svg2 = map(fit(MENA), &country, &|m| format!("/places/{}", m.key), "/?");
        assert!(svg2.contains("<circle class=\"pt area\""));
        assert!(svg2.contains("(located to the country only)"));
        assert!(svg.contains("fill=\"#c62828\""));
        assert!(svg.contains("\u{2068}Mosul &lt;x&gt;\u{2069} · \u{2068}الموصل\u{2069}"));
        assert!(svg.contains("<title>Iraq</title>"));
        assert!(!svg.contains("<title>Brazil</title>"));
        assert!(svg.len() < 400_000, "{}", svg.len());
    }

    #[test]
    fn a_country_has_a_view_around_it() {
        let iq = country_view("iq").expect("Iraq has an outline");
        // Baghdad is inside, Tripoli and Paris are not
        let inside = |b: BBox, lon: f64, lat: f64| lon > b.0 && lon < b.2 && lat > b.1 && lat < b.3;
        assert!(inside(iq, 44.4, 33.3), "{iq:?}");
        assert!(
            !inside(iq, 13.2, 32.9) && !inside(iq, 2.35, 48.85),
            "{iq:?}"
        );
        assert!(country_view("PS").is_some());
        assert!(country_view("ZZ").is_none());
    }

    #[test]
    fn buckets_start_and_step() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            next_bucket(d("2018-12-01"), Interval::Month),
            d("2019-01-01")
        );
        assert_eq!(
            auto_interval(d("2015-01-01"), d("2015-02-01")),
            Interval::Day
        );
        assert_eq!(
            auto_interval(d("2015-01-01"), d("2018-12-31")),
            Interval::Month
        );
    }

    #[test]
    fn the_timeline_stacks_bars_with_links() {
        let b = |s: &str, t: &str, n| Bucket {
            start: s.into(),
            event_type: t.into(),
            events: n,
        };
        let link = |a, e| format!("/events?from={a}&to={e}");
        let svg = timeline(
            &[
                b("2018-03-05", "ASSAULT", 3),
                b("2018-03-05", "PROTEST", 1),
                b("2018-03-19", "ASSAULT", 2),
                b("2018-04-02", "ASSAULT", 1),
            ],
            Interval::Week,
            None,
            &link,
        );
        assert_eq!(svg.matches("<rect").count(), 4);
        assert!(svg.contains("/events?from=2018-03-05&amp;to=2018-03-11"));
        assert!(svg.contains("ASSAULT: 3"));
        // every tick carries its year: the first day, then each month
        assert!(svg.contains(">2018-03-05</text>"), "{svg}");
        assert!(svg.contains(">2018-04</text>"), "{svg}");
        assert!(!svg.contains(">04</text>"), "{svg}");
        assert!(
            timeline(&[], Interval::Day, None, &|_, _| String::new()).contains("No dated events")
        );
    }

    #[test]
    fn the_timeline_spans_its_range_not_a_stray_date() {
        let b = |s: &str, n| Bucket {
            start: s.into(),
            event_type: "ASSAULT".into(),
            events: n,
        };
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let buckets = [
            b("1631-01-01", 1),
            b("2015-01-01", 9),
            b("2016-01-01", 7),
            b("2030-01-01", 1),
        ];
        let range = Some((d("2015-03-02"), d("2016-06-30")));
        let svg = timeline(&buckets, Interval::Year, range, &|_, _| String::new());
        assert_eq!(svg.matches("<rect").count(), 2, "{svg}");
        assert!(!svg.contains(">1631<") && !svg.contains(">2030<"), "{svg}");
        assert!(svg.contains(">2015<") && svg.contains(">2016<"), "{svg}");
    }
}
