//! Indicators: `GET /api/v1/indicators` (weekly or monthly series per category × place × actor,
//! with the spike test of `marsad_store::indicators`) and the dashboard page `/indicators`
//! (small multiples as inline SVG sparklines, and the alert rules' recent alerts).

use crate::html::{bi, category_label, label, page};
use crate::pages::PageError;
use crate::params::{parse_query, Params, Query, DEFAULT_LIMIT, MAX_LIMIT};
use crate::problem::Problem;
use crate::AppState;
use axum::extract::{RawQuery, State};
use axum::response::{Html, IntoResponse, Response};
use marsad_store::indicators::{Dims, IndicatorQuery, Series, SpikeTest};
use marsad_store::{AlertRow, EventFilter, Interval};
use maud::{html, Markup, PreEscaped};
use serde_json::json;

/// The query of the indicators from the request's parameters (`by`, `dims`, `periods`,
/// `until`, `top`, `baseline`, `k`, `min_count`) and its filter (the usual ones).
fn indicator_query(q: &Query) -> Result<(EventFilter, IndicatorQuery), Problem> {
    let p = Params::from_query(q, DEFAULT_LIMIT, MAX_LIMIT)?;
    if !p.filter.factual_only {
        return Err(Problem::bad_request(
            "indicators count only counted events (asserted, reported, claimed): leave out all and modality",
        ));
    }
    let d = IndicatorQuery::default();
    let by = match q.get("by").map(String::as_str) {
        None | Some("week") => Interval::Week,
        Some("month") => Interval::Month,
        Some(v) => {
            return Err(Problem::bad_request(format!(
                "by {v:?} is not a period; allowed: week, month"
            )))
        }
    };
    let dims = match q.get("dims") {
        None => d.dims,
        Some(v) => Dims::parse(v).map_err(|e| Problem::bad_request(format!("dims: {e}")))?,
    };
    let until = match q.get("until") {
        None => None,
        Some(v) => Some(
            chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .ok()
                .filter(|_| marsad_store::is_iso_date(v))
                .ok_or_else(|| {
                    Problem::bad_request(format!("until {v:?} is not a YYYY-MM-DD date"))
                })?,
        ),
    };
    let uint = crate::params::uint;
    let t = SpikeTest::default();
    let k = match q.get("k") {
        None => t.k,
        Some(v) => v
            .parse::<f64>()
            .ok()
            .filter(|k| k.is_finite() && *k >= 0.0 && *k <= 100.0)
            .ok_or_else(|| {
                Problem::bad_request(format!("k {v:?} is not a number from 0 to 100"))
            })?,
    };
    let baseline = uint(q, "baseline", t.baseline, 520)?.max(2);
    let periods = uint(q, "periods", d.periods.max(baseline + 1), 530)?.max(baseline + 1);
    Ok((
        p.filter,
        IndicatorQuery {
            by,
            dims,
            periods,
            until,
            top: uint(q, "top", d.top, 500)?.max(1),
            test: SpikeTest {
                baseline,
                k,
                min_count: uint(q, "min_count", t.min_count as usize, 1_000_000)? as u64,
            },
        },
    ))
}

/// The series for a request, cached like the other aggregates.
async fn series(st: &AppState, q: &Query) -> Result<(IndicatorQuery, Vec<Series>), Problem> {
    let (f, iq) = indicator_query(q)?;
    let key = format!("indicators|{:?}|{:?}", f, iq);
    let q2 = iq.clone();
    let rows = st
        .db
        .cached(key, move |s| Ok(s.indicators(&f, &q2)?))
        .await?;
    Ok((iq, (*rows).clone()))
}

/// `GET /api/v1/indicators`: weekly (or monthly) series of counted events per category ×
/// place × actor (`dims`), with fatalities (aggregate tolls left out), distinct outlets, and a
/// spike test of the last period each, under the usual filters.
pub async fn api(State(st): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let q = parse_query(raw.as_deref());
    match series(&st, &q).await {
        Ok((iq, rows)) => axum::Json(json!({
            "by": if iq.by == Interval::Month { "month" } else { "week" },
            "dims": {"type": iq.dims.event_type, "place": iq.dims.place, "actor": iq.dims.actor},
            "test": {
                "baseline": iq.test.baseline, "k": iq.test.k, "min_count": iq.test.min_count,
                "rule": "the last period is a spike when its count ≥ min_count and > mean + k·sd of the baseline periods before it",
            },
            "series": rows,
        }))
        .into_response(),
        Err(p) => p.into_response(),
    }
}

/// An inline SVG sparkline of counts, the last point marked (red when a spike).
fn sparkline(values: &[u64], spike: bool) -> Markup {
    let (w, h) = (160.0_f64, 36.0_f64);
    let max = values.iter().copied().max().unwrap_or(0).max(1) as f64;
    let n = values.len().max(2) as f64 - 1.0;
    let pts: Vec<(f64, f64)> = values
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            (
                2.0 + i as f64 * (w - 4.0) / n,
                h - 2.0 - v as f64 * (h - 4.0) / max,
            )
        })
        .collect();
    let line: String = pts
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect::<Vec<_>>()
        .join(" ");
    let last = pts.last().copied().unwrap_or((0.0, h));
    html! {
        svg.spark width=(w) height=(h) viewBox=(format!("0 0 {w} {h}")) role="img"
            aria-label=(format!("counts {}", values.iter().map(u64::to_string).collect::<Vec<_>>().join(", "))) {
            polyline points=(line) fill="none" stroke="currentColor" stroke-width="1.5" {}
            circle cx=(format!("{:.1}", last.0)) cy=(format!("{:.1}", last.1)) r="3"
                fill=(if spike { "#c0392b" } else { "currentColor" }) {}
        }
    }
}

/// A series' place key (`IQ/15`, `IQ`) in words: `Nineveh (IQ)`.
fn place_label(key: &str) -> String {
    match key.split_once('/') {
        _ if key.is_empty() => "?".to_string(),
        Some((c, a)) => format!("{} ({c})", crate::html::admin1_name(c, a)),
        None => crate::html::country_name(key),
    }
}

/// The title of a series: its category, place and actor.
fn series_title(s: &Series) -> Markup {
    html! {
        @if let Some(t) = &s.event_type { (PreEscaped(category_label(t))) " " }
        @if let Some(p) = &s.place { bdi { (place_label(p)) } " " }
        @if let Some(a) = &s.actor { "· " bdi { (a) } }
    }
}

/// `GET /indicators`: small multiples of the series, and the alerts that fired.
pub async fn page_handler(
    State(st): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, PageError> {
    let q = parse_query(raw.as_deref());
    let (iq, rows) = series(&st, &q).await?;
    // a database written before the watch tables has no alerts: none to show
    let alerts: Vec<AlertRow> = st
        .db
        .run(|s| Ok(s.alerts(None, 20).unwrap_or_default()))
        .await?;
    let by = if iq.by == Interval::Month {
        bi("months", "أشهر")
    } else {
        bi("weeks", "أسابيع")
    };
    let body = html! {
        h1 { (label("Indicators", "المؤشرات")) }
        p.note {
            (rows.len()) " " (PreEscaped(bi("series of counted events over the last", "سلسلة من الأحداث المحسوبة خلال آخر")))
            " " (iq.periods) " " (PreEscaped(by)) ". "
            (PreEscaped(bi("A red dot: the last period exceeds the mean + k·sd of the periods before it", "النقطة الحمراء: تجاوز آخر فترة المتوسط + k·الانحراف المعياري لما قبلها")))
            " (k = " (iq.test.k) ", " (iq.test.baseline) " " (PreEscaped(bi("periods", "فترات"))) ", ≥ " (iq.test.min_count) "). "
            a href="/api/v1/indicators" { "JSON" }
        }
        div.multiples {
            @for s in &rows {
                figure.multiple {
                    figcaption { (series_title(s)) }
                    (sparkline(&s.points.iter().map(|p| p.events).collect::<Vec<_>>(), s.spike.spike))
                    p.n {
                        (s.spike.last) " " (PreEscaped(bi("last", "الأخيرة")))
                        " · " (s.total) " " (PreEscaped(bi("in all", "المجموع")))
                        " · " (s.points.iter().map(|p| p.fatalities).sum::<u64>()) " " (PreEscaped(bi("killed", "قتيلا")))
                        " · " (s.points.last().map_or(0, |p| p.outlets)) " " (PreEscaped(bi("outlets", "مصادر")))
                    }
                }
            }
        }
        h2 { (label("Recent alerts", "التنبيهات الأخيرة")) }
        @if alerts.is_empty() {
            p.note { (PreEscaped(bi("No alert has fired (rules run in `marsad watch`).", "لم يصدر أي تنبيه."))) }
        } @else {
            table {
                thead { tr {
                    th { (label("Fired", "وقت الإطلاق")) }
                    th { (label("Rule", "القاعدة")) }
                    th { (label("What", "ماذا")) }
                    th { (label("Events", "الأحداث")) }
                } }
                tbody {
                    @for a in &alerts {
                        tr {
                            td { (a.fired_at) }
                            td { bdi { (a.rule) } }
                            td { bdi { (a.summary) } }
                            td {
                                @for id in a.payload["events"].as_array().into_iter().flatten().filter_map(|e| e["id"].as_str()) {
                                    a href=(format!("/events/{}", crate::params::encode(id))) { "↗" } " "
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(Html(page("Indicators", "/indicators", &body.into_string())))
}
