//! The HTTP API and the pages against a real `marsad serve` on loopback.

#[path = "api/analyst.rs"]
mod analyst;
#[path = "api/dashboard.rs"]
mod dashboard;
mod support;

use serde_json::Value;
use support::server::{enc, fresh_db, Server};

fn ids(v: &Value) -> Vec<String> {
    v["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

fn assert_problem(r: &support::server::Response, status: u16) -> Value {
    assert_eq!(r.status, status, "{}", r.text());
    assert_eq!(
        r.header("content-type"),
        Some("application/problem+json"),
        "{:?}",
        r.headers
    );
    let p = r.json();
    assert_eq!(p["status"], status);
    assert!(p["title"].is_string() && p["detail"].is_string(), "{p}");
    p
}

#[test]
fn event_list_filters_and_pages() {
    let (_dir, db) = fresh_db();
    let srv = Server::start(&db, &[]);

    let all = srv.get("/api/v1/events");
    assert_eq!(all.status, 200);
    assert_eq!(all.header("content-type"), Some("application/json"));
    let v = all.json();
    // 15 factual events (the future protest is left out by default), newest first
    assert_eq!(v["total"], 15);
    assert_eq!(ids(&v)[0], "ev-mosul");
    let strike = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "ev-saraqib")
        .unwrap();
    assert_eq!(strike["mentions"], 2);

    let cases: &[(&str, &[&str])] = &[
        ("type=protest", &["ev-basra"]),
        ("type=PROTEST&all=1", &["ev-basra-future", "ev-basra"]),
        ("country=iq", &["ev-mosul", "ev-basra"]),
        ("mode=arrest", &["ev-mosul"]),
        ("admin1=Nineveh", &["ev-mosul"]),
        ("from=2018-03-01&to=2018-03-31", &["ev-basra", "ev-saraqib"]),
        ("bbox=42,29,49,38", &["ev-mosul", "ev-basra"]),
        (
            "type=assault&from=2018-02-11",
            &["ev-saraqib", "ev-village-11", "ev-village-10"],
        ),
    ];
    for (q, want) in cases {
        let v = srv.get(&format!("/api/v1/events?{q}")).json();
        assert_eq!(ids(&v), *want, "{q}");
        assert_eq!(v["total"], want.len(), "{q}");
    }
    // Arabic parameters, percent-encoded: actor substring and words of the article
    let v = srv
        .get(&format!("/api/v1/events?actor={}", enc("الطلاب")))
        .json();
    assert_eq!(ids(&v), ["ev-basra"]);
    let v = srv
        .get(&format!("/api/v1/events?q={}", enc("بالكهرباء")))
        .json();
    assert_eq!(ids(&v), ["ev-basra"]);
    // a place scope
    let v = srv.get("/api/v1/events?place=g163345").json();
    assert_eq!(ids(&v), ["ev-saraqib"]);

    // pages: follow `next` to the end and get every event once
    let mut seen = Vec::new();
    let mut next = Some("/api/v1/events?limit=4".to_string());
    let mut pages = 0;
    while let Some(url) = next.take() {
        pages += 1;
        assert!(pages <= 10, "pagination does not end");
        let v = srv.get(&url).json();
        assert!(v["events"].as_array().unwrap().len() <= 4);
        seen.extend(ids(&v));
        next = v["next"].as_str().map(str::to_string);
    }
    assert_eq!(pages, 4);
    assert_eq!(seen, ids(&srv.get("/api/v1/events?limit=100").json()));
    let v = srv.get("/api/v1/events?limit=4&offset=12").json();
    assert_eq!(
        (v["events"].as_array().unwrap().len(), v["next"].is_null()),
        (3, true)
    );

    // bad parameters are 400 problems
    for q in [
        "limit=501",
        "limit=0",
        "limit=x",
        "from=yesterday",
        "bbox=1,2,3",
        "bbox=10,10,0,0",
        "all=perhaps",
        "interval=hour",
    ] {
        let p = assert_problem(&srv.get(&format!("/api/v1/events?{q}")), 400);
        assert_eq!(p["title"], "Bad request", "{q}");
    }
}

#[test]
fn records_documents_search_and_aggregates() {
    let (_dir, db) = fresh_db();
    let srv = Server::start(&db, &[]);

    let v = srv.get("/api/v1/events/ev-saraqib").json();
    assert_eq!(v["event"]["event_type"], "ASSAULT");
    assert_eq!(v["event"]["mentions"], 2);
    let ms = v["mentions"].as_array().unwrap();
    assert_eq!(ms.len(), 2);
    assert_eq!(ms[0]["doc_id"], "doc-saraqib");
    assert_eq!(ms[0]["trigger"]["text"], "قصفت");
    assert!(ms[0]["evidence"]["text"]
        .as_str()
        .unwrap()
        .starts_with("قصفت طائرات حربية"));
    // the second report's evidence span is an object {start, end}
    assert!(ms[1]["evidence"]["text"]
        .as_str()
        .unwrap()
        .starts_with("أفاد ناشطون"));

    let p = assert_problem(&srv.get("/api/v1/events/no-such-event"), 404);
    assert_eq!(p["title"], "Not found");
    assert_problem(&srv.get("/api/v1/documents/no-such-doc"), 404);
    let p = assert_problem(&srv.get("/api/v1/no-such-route"), 404);
    assert_eq!(p["title"], "No such route");
    assert_problem(&srv.request("DELETE", "/api/v1/events", &[], b""), 405);

    let d = srv.get("/api/v1/documents/doc-mosul").json();
    assert!(d["text"].as_str().unwrap().contains("<script>"));
    assert_eq!(d["events"][0]["id"], "ev-mosul");

    let s = srv
        .get(&format!("/api/v1/search?q={}", enc("الاحتجاجات")))
        .json();
    assert_eq!(s["hits"][0]["id"], "doc-basra");
    assert_problem(&srv.get("/api/v1/search"), 400);

    let st = srv.get("/api/v1/stats").json();
    assert_eq!(
        (
            st["documents"].as_u64(),
            st["events"].as_u64(),
            st["factual_events"].as_u64()
        ),
        (Some(16), Some(16), Some(15))
    );
    assert_eq!(st["event_types"][0]["value"], "ASSAULT");

    let pl = srv.get("/api/v1/places?limit=3").json();
    assert_eq!(pl["places"].as_array().unwrap().len(), 3);
    assert_eq!(pl["places"][0]["key"], "g163345");
    assert_eq!(pl["places"][0]["name_ar"], "سراقب");
    let one = srv.get("/api/v1/places/g99532?interval=day").json();
    assert_eq!(one["place"]["events"], 1);
    assert_eq!(one["timeline"][0]["start"], "2018-03-07");
    assert_problem(&srv.get("/api/v1/places/g1"), 404);

    let en = srv.get("/api/v1/entities").json();
    let army = en["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["text"] == "طائرات حربية")
        .unwrap()
        .clone();
    assert_eq!(army["events"], 1);
    assert_eq!(army["mentions"], 2);
    let key = army["key"].as_str().unwrap();
    let one = srv.get(&format!("/api/v1/entities/{}", enc(key))).json();
    assert_eq!(ids(&one), ["ev-saraqib"]);

    let t = srv.get("/api/v1/timeline?interval=month").json();
    let feb: u64 = t["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["start"] == "2018-02-01")
        .map(|b| b["events"].as_u64().unwrap())
        .sum();
    assert_eq!((t["interval"].as_str(), feb), (Some("month"), 12));

    let csv = srv.get("/api/v1/exports/csv?country=IQ");
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert_eq!(csv.text().lines().count(), 3);
    // the notes column quotes the evidence from the stored article, as `marsad export` does
    let all = srv.get("/api/v1/exports/csv?country=SY").text();
    assert!(
        all.contains("قصفت طائرات حربية سوقا شعبية في مدينة سراقب"),
        "{all}"
    );
    let geo = srv.get("/api/v1/exports/geojson?type=COERCE").json();
    assert_eq!(geo["features"][0]["geometry"]["coordinates"][0], 43.119);
    let jl = srv.get("/api/v1/exports/jsonl?limit=5");
    assert_eq!(jl.text().lines().count(), 5);
    assert_problem(&srv.get("/api/v1/exports/xlsx"), 404);
}

#[test]
fn openapi_documents_every_route_that_answers() {
    let (_dir, db) = fresh_db();
    let srv = Server::start(&db, &[]);
    let doc = srv.get("/api/v1/openapi.json").json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 12);
    let actor = srv.get("/api/v1/entities?limit=1").json()["entities"][0]["key"]
        .as_str()
        .unwrap()
        .to_string();
    let fill = |p: &str| {
        let key = if p.starts_with("/entities/") {
            enc(&actor)
        } else {
            "g163345".into()
        };
        p.replace("{id}", "ev-saraqib")
            .replace("{key}", &key)
            .replace("{format}", "csv")
    };
    for (path, ops) in paths {
        for method in ops.as_object().unwrap().keys() {
            let mut url = format!("/api/v1{}", fill(path));
            if path == "/search" {
                url.push_str("?q=x");
            }
            if path == "/documents/{id}" {
                url = "/api/v1/documents/doc-saraqib".into();
            }
            let r = srv.request(
                &method.to_uppercase(),
                &url,
                &[("Content-Type", "application/json")],
                b"{}",
            );
            assert!(
                r.status < 500 && !r.text().contains("No such route") && r.status != 405,
                "{method} {url}: {} {}",
                r.status,
                r.text()
            );
            if method == "get" {
                assert_eq!(r.status, 200, "{method} {url}: {}", r.text());
            }
        }
    }
}

#[test]
fn writes_need_the_token_and_respect_the_body_limit() {
    let (_dir, db) = fresh_db();
    let doc = serde_json::json!({
        "title": "اشتباكات قرب درعا",
        "date": "2018-05-02",
        "text": "اندلعت اشتباكات عنيفة بين قوات الحكومة ومسلحين معارضين قرب مدينة درعا جنوب سوريا أمس الثلاثاء، وأفاد مصدر طبي بمقتل أربعة أشخاص."
    })
    .to_string();
    let json = ("Content-Type", "application/json");

    // read-only server: no writes at all
    {
        let srv = Server::start(&db, &[]);
        let r = srv.request(
            "POST",
            "/api/v1/documents",
            &[json, ("Authorization", "Bearer whatever-token-123")],
            doc.as_bytes(),
        );
        assert_problem(&r, 403);
    }

    let token = "test-token-0123456789abcdef";
    let srv = Server::start(&db, &["--write-token", token, "--max-body", "4096"]);
    let r = srv.request("POST", "/api/v1/documents", &[json], doc.as_bytes());
    assert_problem(&r, 401);
    assert!(r.header("www-authenticate").unwrap().starts_with("Bearer"));
    let r = srv.request(
        "POST",
        "/api/v1/documents",
        &[json, ("Authorization", "Bearer wrong-token-0123456789")],
        doc.as_bytes(),
    );
    assert_problem(&r, 403);
    let r = srv.request(
        "POST",
        "/api/v1/documents",
        &[json, ("Authorization", "Basic dGVzdA==")],
        doc.as_bytes(),
    );
    assert_problem(&r, 401);

    let auth = format!("Bearer {token}");
    let big = format!("{{\"text\": \"{}\"}}", "نص ".repeat(2000));
    let r = srv.request(
        "POST",
        "/api/v1/documents",
        &[json, ("Authorization", &auth)],
        big.as_bytes(),
    );
    assert_problem(&r, 413);
    let r = srv.request(
        "POST",
        "/api/v1/documents",
        &[json, ("Authorization", &auth)],
        b"{not json",
    );
    assert_problem(&r, 400);
    let r = srv.request(
        "POST",
        "/api/v1/documents",
        &[json, ("Authorization", &auth)],
        br#"{"text": "   "}"#,
    );
    assert_problem(&r, 400);

    let before = srv.get("/api/v1/stats").json()["documents"]
        .as_u64()
        .unwrap();
    let r = srv.request(
        "POST",
        "/api/v1/documents",
        &[json, ("Authorization", &auth)],
        doc.as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let v = r.json();
    assert_eq!(v["summary"]["stored"], 1);
    let id = v["documents"][0]["id"].as_str().unwrap().to_string();
    let d = srv.get(&format!("/api/v1/documents/{id}")).json();
    assert_eq!(d["title"], "اشتباكات قرب درعا");
    assert_eq!(
        srv.get("/api/v1/stats").json()["documents"]
            .as_u64()
            .unwrap(),
        before + 1
    );
    // the same document again is a duplicate, not a second copy
    let r = srv.request(
        "POST",
        "/api/v1/documents",
        &[json, ("Authorization", &auth)],
        doc.as_bytes(),
    );
    assert_eq!(r.json()["summary"]["duplicates"], 1);
}

#[test]
fn pages_render_escaped_html_with_the_evidence() {
    let (_dir, db) = fresh_db();
    let srv = Server::start(&db, &[]);
    let home = srv.get("/");
    assert_eq!(home.status, 200);
    assert!(home
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    assert!(home
        .header("content-security-policy")
        .unwrap()
        .contains("script-src 'self'"));
    let h = home.text();
    assert!(h.contains("<svg class=\"map\""));
    assert!(
        h.matches("<circle class=\"pt\"").count() >= 3,
        "no points on the map"
    );
    assert!(h.contains("<svg class=\"timeline\""));
    assert!(h.contains("الأحداث"));

    let ev = srv.get("/events/ev-mosul").text();
    assert!(
        ev.contains("<mark class=\"evidence\""),
        "no highlighted evidence"
    );
    assert!(ev.contains("<strong class=\"trigger\""));
    assert!(ev.contains("dir=\"rtl\" lang=\"ar\""));
    // the article's markup is shown as text, never run
    assert!(ev.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(!ev.contains("<script>alert"));
    assert!(!ev.contains("<b>"));
    let doc = srv.get("/documents/doc-mosul").text();
    assert!(doc.contains("&lt;script&gt;"));
    assert!(!doc.contains("<script>alert"));
    assert!(
        !doc.contains("href=\"javascript:"),
        "unsafe URL became a link"
    );

    // the second report, chosen by ?doc=, is highlighted in its own text
    let ev2 = srv.get("/events/ev-saraqib?doc=doc-saraqib-2").text();
    assert!(ev2.contains(
        "<strong class=\"trigger\" title=\"trigger · الكلمة الدالة: ASSAULT\">استهدفت</strong>"
    ));

    for (path, needle) in [
        ("/events?type=ASSAULT", "ev-village-0"),
        ("/places", "/places/g163345"),
        ("/places/g163345", "Saraqib"),
        ("/entities", "/entities/"),
        (
            &format!("/search?q={}", enc("الموصل")) as &str,
            "/documents/doc-mosul",
        ),
        ("/?bbox=35,29,49,38", "data-bbox=\""),
    ] {
        let r = srv.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert!(r.text().contains(needle), "{path} lacks {needle}");
    }
    let r = srv.get("/events/nope");
    assert_eq!(r.status, 404);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert_eq!(srv.get("/static/style.css").status, 200);
    // nothing is served from disk
    for p in [
        "/static/../Cargo.toml",
        "/static/%2e%2e%2fCargo.toml",
        "/static/world-outlines.txt",
        "/../../etc/passwd",
    ] {
        assert_eq!(srv.get(p).status, 404, "{p}");
    }
    let r = srv.get("/?from=never");
    assert_eq!(r.status, 400);
}

#[test]
fn a_client_trickling_its_headers_is_cut_off() {
    use std::io::{Read, Write};
    let (_dir, db) = fresh_db();
    let srv = Server::start(&db, &["--header-timeout", "1"]);
    let mut slow = std::net::TcpStream::connect(srv.addr).unwrap();
    slow.set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    slow.write_all(b"GET /api/v1/stats HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let t0 = std::time::Instant::now();
    // the server closes the connection (perhaps after a 408) instead of waiting for the rest
    let mut buf = Vec::new();
    let _ = slow.read_to_end(&mut buf);
    let waited = t0.elapsed();
    assert!(waited < std::time::Duration::from_secs(15), "{waited:?}");
    let head = String::from_utf8_lossy(&buf);
    assert!(buf.is_empty() || head.starts_with("HTTP/1.1 408"), "{head}");
    // and everyone else is still served
    assert_eq!(srv.get("/api/v1/stats").status, 200);
}

/// `from=2020-1-1` was accepted and compared as text with stored dates (7 events instead of 13):
/// only zero-padded YYYY-MM-DD is a date filter, anything else is a 400 naming the parameter.
#[test]
fn date_filters_must_be_zero_padded_iso_dates() {
    let (_dir, db) = fresh_db();
    let srv = Server::start(&db, &[]);
    for q in [
        "from=2018-3-1",
        "to=2018-03-1",
        "from=2018-03-01T00:00",
        "to=2018-02-30",
    ] {
        for route in ["/api/v1/events", "/api/v1/timeline", "/api/v1/entities"] {
            let p = assert_problem(&srv.get(&format!("{route}?{q}")), 400);
            let field = &q[..q.find('=').unwrap()];
            let detail = p["detail"].as_str().unwrap();
            assert!(detail.starts_with(field), "{route}?{q}: {detail}");
        }
    }
    let v = srv.get("/api/v1/events?from=2018-03-01&to=2018-03-31");
    assert_eq!(v.status, 200, "{}", v.text());
}

/// A `q` of punctuation only dropped the filter on `/events` (every event) while `/search` gave
/// no hits: now every route that takes `q` matches nothing.
#[test]
fn a_punctuation_only_query_matches_nothing_on_every_route() {
    let (_dir, db) = fresh_db();
    let srv = Server::start(&db, &[]);
    for q in ["!!!", "،؟.", "\"*()"] {
        let e = srv.get(&format!("/api/v1/events?q={}", enc(q)));
        assert_eq!(e.status, 200, "{q}: {}", e.text());
        let v = e.json();
        assert_eq!(ids(&v), Vec::<String>::new(), "{q}");
        assert_eq!(v["total"], 0, "{q}");
        let s = srv.get(&format!("/api/v1/search?q={}", enc(q)));
        assert_eq!(s.status, 200, "{q}: {}", s.text());
        assert_eq!(s.json()["hits"].as_array().unwrap().len(), 0, "{q}");
    }
    // a blank q is no filter at all (an empty search box)
    let all = srv.get("/api/v1/events").json()["total"].clone();
    assert_eq!(srv.get("/api/v1/events?q=").json()["total"], all);
}

/// A path whose escapes are not UTF-8 got a text/plain 400 from the parameterised routes; it is
/// a problem like every other error, on the API and the pages alike.
#[test]
fn non_utf8_paths_are_problems() {
    let (_dir, db) = fresh_db();
    let srv = Server::start(&db, &[]);
    for p in [
        "/api/v1/events/%FF",
        "/api/v1/documents/%C3%28",
        "/api/v1/places/%80abc",
        "/api/v1/entities/x%FE",
        "/api/v1/exports/%FF",
        "/events/%FF",
        "/static/%FF",
    ] {
        let pb = assert_problem(&srv.get(p), 400);
        assert!(
            pb["detail"].as_str().unwrap().contains("UTF-8"),
            "{p}: {pb}"
        );
    }
    // a valid UTF-8 escape still reaches the route
    assert_problem(
        &srv.get(&format!("/api/v1/places/{}", enc("غزة-لا-توجد"))),
        404,
    );
}

/// A 100 KB URL got hyper's 414 with an empty body: both a long target the router sees and one
/// too long for hyper to parse answer a problem+json 414.
#[test]
fn overlong_urls_are_problems() {
    let (_dir, db) = fresh_db();
    let srv = Server::start(&db, &[]);
    for n in [20_000, 100_000] {
        let r = srv.get(&format!("/api/v1/events?q={}", "a".repeat(n)));
        let pb = assert_problem(&r, 414);
        assert_eq!(pb["title"], "URI too long");
    }
    // the server goes on serving
    assert_eq!(srv.get("/api/v1/stats").status, 200);
}

/// An event's mentions came all at once (6.4 MB for 5,000): they come a page at a time, with
/// the total, and bad page parameters are a 400.
#[test]
fn event_mentions_are_paged() {
    let (_dir, db) = fresh_db();
    let srv = Server::start(&db, &[]);
    let all = srv.get("/api/v1/events/ev-saraqib").json();
    assert_eq!(all["mentions_total"], 2);
    assert_eq!(all["mentions_limit"], 100);
    assert_eq!(all["mentions_offset"], 0);
    assert_eq!(all["mentions"].as_array().unwrap().len(), 2);
    let first = srv.get("/api/v1/events/ev-saraqib?mentions_limit=1").json();
    assert_eq!(first["mentions_total"], 2);
    assert_eq!(first["mentions"].as_array().unwrap().len(), 1);
    assert_eq!(first["mentions"][0]["doc_id"], all["mentions"][0]["doc_id"]);
    let second = srv
        .get("/api/v1/events/ev-saraqib?mentions_limit=1&mentions_offset=1")
        .json();
    assert_eq!(second["mentions_total"], 2);
    assert_eq!(second["mentions"].as_array().unwrap().len(), 1);
    assert_eq!(
        second["mentions"][0]["doc_id"],
        all["mentions"][1]["doc_id"]
    );
    let past = srv
        .get("/api/v1/events/ev-saraqib?mentions_offset=5")
        .json();
    assert_eq!(past["mentions_total"], 2);
    assert!(past["mentions"].as_array().unwrap().is_empty());
    for q in [
        "mentions_limit=0",
        "mentions_limit=1001",
        "mentions_offset=-1",
    ] {
        assert_problem(&srv.get(&format!("/api/v1/events/ev-saraqib?{q}")), 400);
    }
}

const WRITE_TOKEN: &str = "test-token-0123456789abcdef";

/// `POST /api/v1/documents` of one document with the write token.
fn post_doc(srv: &Server, text: &str) -> support::server::Response {
    let body = serde_json::json!({"title": "خبر", "date": "2018-05-02", "text": text}).to_string();
    let auth = format!("Bearer {WRITE_TOKEN}");
    srv.request(
        "POST",
        "/api/v1/documents",
        &[
            ("Content-Type", "application/json"),
            ("Authorization", &auth),
        ],
        body.as_bytes(),
    )
}

/// A write answered 503 Timeout was still committed 30 s later: now it is never committed
/// (the writer asks, inside the transaction, whether the request has given up).
#[test]
fn a_write_past_its_deadline_is_never_committed() {
    let (_dir, db) = fresh_db();
    let srv = Server::start(
        &db,
        &[
            "--write-token",
            WRITE_TOKEN,
            "--timeout",
            "1",
            "--write-hold-ms",
            "2500",
        ],
    );
    let r = post_doc(
        &srv,
        "أعلنت السلطات في مدينة زحلة إغلاق الطريق الدولي بعد انهيار جسر قديم.",
    );
    let p = assert_problem(&r, 503);
    assert_eq!(p["title"], "Timeout");
    assert!(
        srv.wait_for_log("was not stored", std::time::Duration::from_secs(120)),
        "the writer never gave the write up"
    );
    // nothing of it in the store, nor in the API
    let store = marsad_store::SqliteStore::open_read_only(&db).unwrap();
    assert_eq!(marsad_store::Store::stats(&store).unwrap().documents, 16);
    let s = srv.get(&format!("/api/v1/search?q={}", enc("زحلة"))).json();
    assert!(s["hits"].as_array().unwrap().is_empty(), "{s}");
}

/// Ten concurrent writes made a plain event list wait 10 s (writes and reads shared one
/// blocking pool): writes now wait in their own queue for their own thread, reads are
/// answered while the writer is held, and a full queue answers 503 with Retry-After at once.
#[test]
fn reads_go_on_while_writes_wait_and_a_full_queue_says_when_to_retry() {
    let (_dir, db) = fresh_db();
    let srv = Server::start(
        &db,
        &[
            "--write-token",
            WRITE_TOKEN,
            "--timeout",
            "60",
            "--write-workers",
            "1",
            "--write-queue",
            "1",
            "--write-hold-ms",
            "4000",
        ],
    );
    let text = |i: usize| {
        format!(
            "تظاهر مئات العمال أمام مصنع في مدينة حمص للمطالبة برواتبهم، في اليوم {i} من الإضراب."
        )
    };
    std::thread::scope(|sc| {
        let first = sc.spawn(|| post_doc(&srv, &text(0)));
        assert!(
            srv.wait_for_log("holding a write", std::time::Duration::from_secs(120)),
            "the first write never reached the writer"
        );
        // the writer is held: one more write fits the queue, the others find it full
        let more: Vec<_> = (1..5)
            .map(|i| {
                let t = text(i);
                let srv = &srv;
                sc.spawn(move || post_doc(srv, &t))
            })
            .collect();
        // reads are answered meanwhile, and right
        for _ in 0..3 {
            let r = srv.get("/api/v1/events?limit=5");
            assert_eq!(r.status, 200, "{}", r.text());
            let v = r.json();
            assert_eq!(v["events"].as_array().unwrap().len(), 5);
            assert!(v["total"].as_u64().unwrap() >= 15, "{v}");
        }
        assert_eq!(srv.get("/api/v1/events/ev-saraqib").status, 200);
        let r = first.join().unwrap();
        assert_eq!(r.status, 201, "{}", r.text());
        let answers: Vec<_> = more.into_iter().map(|h| h.join().unwrap()).collect();
        let busy: Vec<_> = answers.iter().filter(|r| r.status == 503).collect();
        assert!(!busy.is_empty(), "no write was refused with a full queue");
        for r in &busy {
            let p = assert_problem(r, 503);
            assert_eq!(p["title"], "Writes busy", "{p}");
            let secs: u64 = r.header("retry-after").unwrap().parse().unwrap();
            assert!(secs >= 1);
        }
        for r in answers.iter().filter(|r| r.status != 503) {
            assert_eq!(r.status, 201, "{}", r.text());
        }
    });
}

/// Puts a directory's permissions back (so that it can be removed) when dropped.
struct Writable(std::path::PathBuf);

impl Drop for Writable {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(0o755));
    }
}

/// A database in a directory that cannot be written could not even be read
/// (SQLITE_READONLY_DIRECTORY): `stats`, `search` and `serve` read it immutable, with a note,
/// and leave no file beside it. (A 0555 directory counts as read-only even for root.)
#[test]
fn a_database_in_a_read_only_directory_is_read() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, db) = fresh_db();
    let ro = dir.path().join("read-only");
    std::fs::create_dir(&ro).unwrap();
    let copy = ro.join("test.db");
    std::fs::copy(&db, &copy).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    let _restore = Writable(ro.clone());
    let path = copy.to_str().unwrap();

    let out = support::succeeds(support::marsad().args(["stats", "--json", "--db", path]));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["documents"], 16, "{v}");
    let err = String::from_utf8_lossy(&out.stderr);
    let notes: Vec<_> = err.lines().filter(|l| l.contains("immutable")).collect();
    assert_eq!(notes.len(), 1, "{err}");
    assert!(notes[0].contains("directory is not writable"), "{err}");

    let out =
        support::succeeds(support::marsad().args(["search", "--db", path, "--json", "الاحتجاجات"]));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("doc-basra"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    let srv = Server::start(&copy, &[]);
    let st = srv.get("/api/v1/stats").json();
    assert_eq!(st["documents"], 16, "{st}");
    let v = srv.get("/api/v1/events?limit=3").json();
    assert_eq!(v["total"], 15, "{v}");
    drop(srv);

    let mut left: Vec<String> = std::fs::read_dir(&ro)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["test.db"], "nothing is written beside the database");
}
