//! What analysts asked of the API (issue 20): unknown enum values are problems that list the
//! allowed ones, `updated_since`, exports that never stop short silently, aggregates, typed
//! OpenAPI schemas.

use super::{assert_problem, ids};
use crate::support::server::{fresh_db, Server};

/// `type=FOO` or `country=syria` answered 200 with nothing; now 400 listing what is allowed,
/// on every route that takes filters.
#[test]
fn unknown_enum_values_are_problems_listing_the_allowed_ones() {
    let (_dir, db) = fresh_db();
    let srv = Server::start(&db, &[]);
    let routes = [
        "/api/v1/events",
        "/api/v1/places",
        "/api/v1/entities",
        "/api/v1/timeline",
        "/api/v1/exports/csv",
        "/api/v1/places/g163345",
    ];
    let cases = [
        ("type=FOO", "AGREE, CONSULT"),
        ("country=syria", "give SY"),
        ("mode=picnic", "aerial"),
        ("modality=maybe", "asserted, reported"),
        ("precision=town", "exact, near"),
    ];
    for route in routes {
        for (q, listed) in cases {
            let p = assert_problem(&srv.get(&format!("{route}?{q}")), 400);
            let detail = p["detail"].as_str().unwrap();
            assert!(detail.contains(listed), "{route}?{q}: {detail}");
        }
    }
    // known values in any case still filter
    let v = srv.get("/api/v1/events?type=Protest&country=iq").json();
    assert_eq!(ids(&v), ["ev-basra"]);
    let v = srv.get("/api/v1/events?modality=future").json();
    assert_eq!(ids(&v), ["ev-basra-future"]);
    let v = srv.get("/api/v1/events?precision=exact&country=SY").json();
    assert!(ids(&v).contains(&"ev-saraqib".to_string()), "{v}");
}

/// `updated_since` takes a strict date or an RFC 3339 timestamp; events stored by the test
/// (just now) are all after 2020, none after the far future.
#[test]
fn updated_since_filters_by_when_the_record_changed() {
    let (_dir, db) = fresh_db();
    let srv = Server::start(&db, &[]);
    let all = srv.get("/api/v1/events?limit=100").json()["total"].clone();
    for since in [
        "2020-01-01",
        "2020-01-01T00:00:00Z",
        "2020-01-01T03:00:00%2B03:00",
    ] {
        let v = srv
            .get(&format!("/api/v1/events?updated_since={since}"))
            .json();
        assert_eq!(v["total"], all, "{since}");
    }
    let v = srv.get("/api/v1/events?updated_since=2999-01-01").json();
    assert_eq!(v["total"], 0);
    for bad in ["2020-1-1", "yesterday", "2020-01-01T00:00:00"] {
        let p = assert_problem(
            &srv.get(&format!("/api/v1/events?updated_since={bad}")),
            400,
        );
        assert!(p["detail"].as_str().unwrap().contains("RFC 3339"), "{p}");
    }
}

/// An export stops at `limit` only with a `Link: <…>; rel="next"` to the rest and the total:
/// following the links yields every event once.
#[test]
fn exports_page_with_link_headers_and_never_stop_short_silently() {
    let (_dir, db) = fresh_db();
    let srv = Server::start(&db, &[]);
    let total = srv.get("/api/v1/events").json()["total"].as_u64().unwrap();
    for format in ["csv", "jsonl", "geojson"] {
        let mut url = Some(format!("/api/v1/exports/{format}?limit=4"));
        let (mut rows, mut pages) = (0, 0);
        while let Some(u) = url.take() {
            pages += 1;
            assert!(pages <= 10, "paging does not end");
            let r = srv.get(&u);
            assert_eq!(r.status, 200, "{u}: {}", r.text());
            assert_eq!(r.header("x-total-count"), Some(total.to_string().as_str()));
            if format == "jsonl" {
                rows += r.text().lines().count();
            }
            url = r.header("link").map(|l| {
                assert!(l.ends_with(">; rel=\"next\""), "{l}");
                l[1..l.find('>').unwrap()].to_string()
            });
        }
        assert_eq!(pages, total.div_ceil(4) as usize, "{format}");
        if format == "jsonl" {
            assert_eq!(rows as u64, total);
        }
    }
    // one page holds everything: no Link
    let r = srv.get("/api/v1/exports/jsonl");
    assert!(r.header("link").is_none());
}

/// `/api/v1/aggregates`: counted events and fatalities by month or week and group.
#[test]
fn aggregates_count_events_and_fatalities_by_period_and_group() {
    let (_dir, db) = fresh_db();
    let srv = Server::start(&db, &[]);
    let v = srv.get("/api/v1/aggregates?by=month&group=country").json();
    assert_eq!(
        (v["by"].as_str(), v["group"].as_str()),
        (Some("month"), Some("country"))
    );
    let rows = v["rows"].as_array().unwrap();
    let total: u64 = rows.iter().map(|r| r["events"].as_u64().unwrap()).sum();
    assert_eq!(v["total"]["events"], total);
    // counted events with a date: what /events counts, less any without a date
    assert!(total > 0 && total <= 15, "{v}");
    let sy = rows
        .iter()
        .find(|r| r["period"] == "2018-03-01" && r["key"] == "SY")
        .unwrap();
    assert!(sy["fatalities"].as_u64().unwrap() >= 9, "{sy}");
    let v = srv
        .get("/api/v1/aggregates?by=week&group=type&type=protest")
        .json();
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{v}");
    assert_eq!(
        (rows[0]["key"].as_str(), rows[0]["events"].as_u64()),
        (Some("PROTEST"), Some(1))
    );
    assert_eq!(rows[0]["period"], "2018-03-05");
    let v = srv.get("/api/v1/aggregates?group=admin1&country=IQ").json();
    assert!(
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["key"] == "IQ/Nineveh"),
        "{v}"
    );
    let v = srv.get("/api/v1/aggregates?group=actor").json();
    assert!(!v["rows"].as_array().unwrap().is_empty());
    for bad in [
        "by=year",
        "group=city",
        "all=1",
        "modality=future",
        "type=FOO",
    ] {
        assert_problem(&srv.get(&format!("/api/v1/aggregates?{bad}")), 400);
    }
}

/// The served OpenAPI document types the record: enums, required fields, a typed location.
#[test]
fn openapi_types_the_record_and_documents_the_new_routes() {
    let (_dir, db) = fresh_db();
    let srv = Server::start(&db, &[]);
    let doc = srv.get("/api/v1/openapi.json").json();
    let s = &doc["components"]["schemas"];
    assert!(s["Event"]["properties"]["event_type"]["enum"]
        .as_array()
        .unwrap()
        .contains(&"ASSAULT".into()));
    assert_eq!(s["Event"]["properties"]["modality"]["enum"][0], "asserted");
    assert_eq!(s["Location"]["properties"]["precision"]["enum"][0], "exact");
    assert!(s["Location"]["required"]
        .as_array()
        .unwrap()
        .contains(&"lat".into()));
    assert!(doc["paths"]["/aggregates"]["get"].is_object());
    let ex = &doc["paths"]["/exports/{format}"]["get"]["responses"]["200"]["headers"];
    assert!(ex["Link"].is_object() && ex["X-Total-Count"].is_object());
}
