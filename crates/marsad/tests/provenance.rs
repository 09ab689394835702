//! Provenance through the API and the pages: every event names the outlets and links of the
//! articles that report it, and the local path a document was read from is never shown.

mod support;

use marsad_store::{SqliteStore, Store};
use serde_json::Value;
use std::path::PathBuf;
use support::server::{documents, Server};

/// The path every test document was "read from": it must never come out.
const LOCAL: &str = "/home/analyst/bench3000.jsonl";

/// The test database with provenance: the Saraqib strike reported by two outlets.
fn db_with_provenance() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("prov.db");
    let mut docs = documents();
    for (i, d) in docs.iter_mut().enumerate() {
        d.source = Some(format!("{LOCAL}: line {}", i + 1));
    }
    assert_eq!(docs[0].id, "doc-saraqib");
    docs[0].external_id = Some("ant-SK-1".into());
    docs[0].outlet = Some("skynews".into());
    assert_eq!(docs[1].id, "doc-saraqib-2");
    docs[1].external_id = Some("bbc-2".into());
    docs[1].outlet = Some("BBC".into());
    docs[1].url = Some("https://www.bbc.com/arabic/saraqib".into());
    let mut s = SqliteStore::open(&db).unwrap();
    s.write_batch(&docs).unwrap();
    (dir, db)
}

fn outlets(sources: &Value) -> Vec<&str> {
    sources
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["outlet"].as_str().unwrap_or(""))
        .collect()
}

#[test]
fn events_name_their_outlets_and_links_and_never_a_local_path() {
    let (_dir, db) = db_with_provenance();
    let srv = Server::start(&db, &[]);

    let one = srv.get("/api/v1/events/ev-saraqib");
    assert_eq!(one.status, 200);
    assert!(!one.text().contains(LOCAL), "{}", one.text());
    let v = one.json();
    let src = &v["event"]["sources"];
    assert_eq!(outlets(src), ["skynews", "BBC"]);
    assert_eq!(src[0]["external_id"], "ant-SK-1");
    assert_eq!(src[0]["doc_id"], "doc-saraqib");
    assert_eq!(src[0]["url"], "https://example.invalid/saraqib");
    assert_eq!(src[0]["published"], "2018-03-05");
    assert_eq!(src[1]["url"], "https://www.bbc.com/arabic/saraqib");
    assert_eq!(v["mentions"][1]["outlet"], "BBC");
    assert_eq!(v["mentions"][1]["external_id"], "bbc-2");

    let list = srv.get("/api/v1/events?type=ASSAULT&limit=100");
    assert_eq!(list.status, 200);
    assert!(!list.text().contains(LOCAL));
    let v = list.json();
    let saraqib = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "ev-saraqib")
        .expect("listed");
    assert_eq!(outlets(&saraqib["sources"]), ["skynews", "BBC"]);
    assert_eq!(saraqib["mentions"], 2);

    // the CSV `source` column names the outlets
    let csv = srv.get("/api/v1/exports/csv?type=ASSAULT");
    assert_eq!(csv.status, 200);
    let text = csv.text();
    assert!(!text.contains(LOCAL));
    let row = text
        .lines()
        .find(|l| l.starts_with("\"ev-saraqib\","))
        .expect("a row");
    assert!(row.contains(",\"skynews; BBC\","), "{row}");

    let doc = srv.get("/api/v1/documents/doc-saraqib");
    assert!(!doc.text().contains(LOCAL), "{}", doc.text());
    assert_eq!(doc.json()["outlet"], "skynews");
    assert_eq!(doc.json()["external_id"], "ant-SK-1");

    let page = srv.get("/events/ev-saraqib");
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(!html.contains(LOCAL), "the event page shows the local path");
    assert!(
        html.contains("href=\"https://www.bbc.com/arabic/saraqib\""),
        "no link to the article"
    );
    assert!(html.contains("<bdi>skynews</bdi>") && html.contains("<bdi>BBC</bdi>"));

    let page = srv.get("/documents/doc-saraqib");
    let html = page.text();
    assert!(
        !html.contains(LOCAL),
        "the document page shows the local path"
    );
    assert!(html.contains("<bdi>skynews</bdi>"));
    // a document with no outlet and an unsafe address shows neither
    let page = srv.get("/documents/doc-mosul");
    assert!(!page.text().contains(LOCAL) && !page.text().contains("javascript:"));
}

#[test]
fn ingest_keeps_the_provenance_of_jsonl_html_and_feeds() {
    let dir = tempfile::tempdir().unwrap();
    let t = |place: &str| {
        format!("قصفت طائرات حربية سوقا شعبية في مدينة {place} صباح الاثنين، ما أسفر عن مقتل تسعة مدنيين، بحسب ما أفاد الدفاع المدني.")
    };
    let jsonl = dir.path().join("bench.jsonl");
    let line = serde_json::json!({"id": "ant-SK-1", "source": "skynews",
        "url_or_path": "https://www.skynewsarabia.com/middle-east/1", "date": "2018-03-05",
        "title": "غارة على سوق", "text": t("سراقب"), "corpus": "ant", "category": "news"});
    let local =
        serde_json::json!({"id": 42, "url_or_path": "/home/analyst/raw/a.txt", "text": t("إدلب")});
    std::fs::write(&jsonl, format!("{line}\n{local}\n")).unwrap();
    let html = dir.path().join("page.html");
    std::fs::write(
        &html,
        format!(
            r#"<!doctype html><html><head><title>خبر</title>
            <meta property="og:site_name" content="الشرق الأوسط">
            <link rel="canonical" href="https://aawsat.com/node/7">
            <meta property="article:published_time" content="2018-03-06T08:00:00Z">
            </head><body><article><h1>غارة</h1><p>{}</p><p>{}</p></article></body></html>"#,
            t("حلب"),
            t("حماة")
        ),
    )
    .unwrap();
    let feed = dir.path().join("feed.rss");
    std::fs::write(
        &feed,
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>فرانس 24</title><link>https://www.france24.com/ar/</link>
            <item><title>قصف</title><link>https://www.france24.com/ar/item-9</link><guid>f24-9</guid><pubDate>Wed, 07 Mar 2018 10:00:00 GMT</pubDate><description>{}</description></item>
            </channel></rss>"#,
            t("درعا")
        ),
    )
    .unwrap();
    let db = dir.path().join("m.db");
    let out = support::run(&[
        "ingest",
        "--quiet",
        "--db",
        db.to_str().unwrap(),
        jsonl.to_str().unwrap(),
        html.to_str().unwrap(),
        feed.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = SqliteStore::open_read_only(&db).unwrap();
    let mut st = s
        .connection()
        .prepare("SELECT external_id, outlet, url, date FROM documents ORDER BY outlet")
        .unwrap();
    let rows: Vec<[Option<String>; 4]> = st
        .query_map([], |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?]))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let want = |a: Option<&str>, b: Option<&str>, c: Option<&str>, d: Option<&str>| {
        [a, b, c, d].map(|x| x.map(str::to_string))
    };
    assert_eq!(
        rows,
        [
            // the local path is neither a link nor an outlet
            want(Some("42"), None, None, None),
            want(
                Some("ant-SK-1"),
                Some("skynews"),
                Some("https://www.skynewsarabia.com/middle-east/1"),
                Some("2018-03-05")
            ),
            want(
                None,
                Some("الشرق الأوسط"),
                Some("https://aawsat.com/node/7"),
                Some("2018-03-06")
            ),
            want(
                Some("f24-9"),
                Some("فرانس 24"),
                Some("https://www.france24.com/ar/item-9"),
                Some("2018-03-07")
            ),
        ]
    );
}
