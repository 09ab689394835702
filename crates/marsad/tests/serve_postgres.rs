//! `marsad serve` over PostgreSQL answers as it does over SQLite: the same small set of
//! articles is written into both stores, the real binary serves each on loopback, and the same
//! API queries (events with filters, an event, places, participants, aggregates, timeline,
//! search, documents with their sources, exports) answer the same JSON, byte for byte in the
//! values, from both. Two `serve` processes over one PostgreSQL answer alike (stateless).
//! Skipped, with the reason, where no throwaway PostgreSQL server can start.

mod support;

use marsad_store::testing::PgCluster;
use marsad_store::{PgStore, Store};
use serde_json::Value;
use std::path::Path;
use support::server::{build_db, documents, enc, Server};

/// The API queries compared; `{…}` parts are filled in from the SQLite answers.
const QUERIES: &[&str] = &[
    "/api/v1/stats",
    "/api/v1/events",
    "/api/v1/events?all=1",
    "/api/v1/events?type=ASSAULT",
    "/api/v1/events?country=SY",
    "/api/v1/events?from=2018-01-01&to=2018-12-31",
    "/api/v1/events?limit=2&offset=1",
    "/api/v1/events?modality=reported",
    "/api/v1/events?precision=exact",
    "/api/v1/events?bbox=30,20,50,40",
    "/api/v1/places",
    "/api/v1/places?type=ASSAULT",
    "/api/v1/entities",
    "/api/v1/entities?limit=3&offset=1",
    "/api/v1/timeline",
    "/api/v1/timeline?interval=week",
    "/api/v1/timeline?interval=day",
    "/api/v1/aggregates",
    "/api/v1/aggregates?by=week&group=country",
    "/api/v1/aggregates?group=admin1",
    "/api/v1/aggregates?group=actor",
    "/api/v1/indicators",
    "/api/v1/indicators?by=month&dims=type,place",
    "/api/v1/indicators?dims=actor&until=2018-06-30&periods=12",
    "/api/v1/exports/jsonl",
    "/api/v1/exports/geojson",
    "/api/v1/exports/csv",
    "/api/v1/exports/jsonl?limit=2",
];

fn pg_store(url: &str) {
    let mut s = PgStore::open(url).expect("open PostgreSQL store");
    let sum = s.write_batch(&documents()).expect("write");
    assert_eq!(sum.stored, 16, "{sum:?}");
    assert_eq!(sum.merged_mentions, 1, "{sum:?}");
}

/// Status, the headers that carry meaning, and the body (as JSON where it is JSON).
fn answer(server: &Server, path: &str) -> (u16, Option<String>, Option<String>, Value) {
    let r = server.get(path);
    let text = r.text();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (
        r.status,
        r.header("x-total-count").map(str::to_string),
        r.header("link").map(str::to_string),
        body,
    )
}

fn strings(v: &Value, field: &str) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x[field].as_str().map(str::to_string))
        .collect()
}

#[test]
fn serve_answers_the_same_json_from_postgres_as_from_sqlite() {
    let cluster = match PgCluster::start() {
        Ok(c) => c,
        Err(why) => {
            return marsad_record::testing::skip(
                "serve_answers_the_same_json_from_postgres_as_from_sqlite",
                &why,
            )
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("m.db");
    build_db(&file);
    let url = cluster.fresh_db().unwrap();
    pg_store(&url);

    let sqlite = Server::start(&file, &[]);
    let pg = [
        Server::start(Path::new(&url), &[]),
        Server::start(Path::new(&url), &["--connections", "2"]),
    ];

    // the keys and ids to ask about, from the SQLite answers
    let events = sqlite.get("/api/v1/events?all=1&limit=100").json();
    let events = &events["events"];
    let ids = strings(events, "id");
    assert!(ids.len() >= 5, "{events}");
    let docs: Vec<String> = events
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| strings(&e["sources"], "doc_id"))
        .collect();
    assert!(!docs.is_empty(), "no sources in {events}");
    let places = strings(&sqlite.get("/api/v1/places").json()["places"], "key");
    let entities = strings(&sqlite.get("/api/v1/entities").json()["entities"], "key");
    assert!(!places.is_empty() && !entities.is_empty());
    let actor = sqlite.get("/api/v1/entities").json()["entities"][0]["text"]
        .as_str()
        .unwrap()
        .to_string();

    let mut queries: Vec<String> = QUERIES.iter().map(|q| q.to_string()).collect();
    for id in &ids {
        queries.push(format!("/api/v1/events/{}", enc(id)));
        queries.push(format!("/api/v1/events/{}?limit=1&offset=1", enc(id)));
    }
    for d in &docs {
        queries.push(format!("/api/v1/documents/{}", enc(d)));
    }
    for k in &places {
        queries.push(format!("/api/v1/places/{}", enc(k)));
        queries.push(format!("/api/v1/events?place={}", enc(k)));
        queries.push(format!("/api/v1/aggregates?place={}", enc(k)));
    }
    for k in &entities {
        queries.push(format!("/api/v1/entities/{}", enc(k)));
        queries.push(format!("/api/v1/timeline?entity={}", enc(k)));
    }
    for q in ["سراقب", "الموصل", "بالقصف", "تظاهر", "لا-شيء-هنا"] {
        queries.push(format!("/api/v1/search?q={}", enc(q)));
        queries.push(format!("/api/v1/events?q={}", enc(q)));
    }
    queries.push(format!("/api/v1/events?actor={}", enc(&actor)));
    queries.push("/api/v1/events/no-such-event".into());
    queries.push("/api/v1/places/g0".into());

    let mut ok = 0;
    for q in &queries {
        let want = answer(&sqlite, q);
        for (i, server) in pg.iter().enumerate() {
            let got = answer(server, q);
            assert_eq!(got, want, "{q} from PostgreSQL (server {i}) and SQLite");
        }
        ok += usize::from(want.0 == 200);
    }
    assert!(ok + 3 >= queries.len(), "too few answered 200: {ok}");

    // the dashboard's pages answer from PostgreSQL too
    for page in [
        "/",
        "/events",
        "/places",
        "/entities",
        "/search?q=%D8%B3%D8%B1%D8%A7%D9%82%D8%A8",
        "/indicators",
    ] {
        assert_eq!(pg[0].get(page).status, 200, "{page}");
    }
    assert_eq!(pg[0].get(&format!("/events/{}", enc(&ids[0]))).status, 200);
    assert_eq!(
        pg[0].get(&format!("/places/{}", enc(&places[0]))).status,
        200
    );
}

#[test]
fn serve_refuses_writes_into_postgres_with_a_clear_message() {
    let cluster = match PgCluster::start() {
        Ok(c) => c,
        Err(why) => {
            return marsad_record::testing::skip(
                "serve_refuses_writes_into_postgres_with_a_clear_message",
                &why,
            )
        }
    };
    let url = cluster.fresh_db().unwrap();
    let out = support::marsad()
        .args(["serve", "--db", &url, "--addr", "127.0.0.1:0"])
        .args(["--write-token", "0123456789abcdef0123"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--write-token"), "{err}");
}
