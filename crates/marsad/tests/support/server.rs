//! For the API and browser tests: a small database built through the store API with
//! hand-written Arabic articles and event records, a `marsad serve` process on loopback, and a
//! minimal HTTP client.

use marsad_record::testing::event;
use marsad_store::{NewDocument, SqliteStore, Store};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

/// Byte span of the first `needle` in `text`, as JSON.
pub fn span(text: &str, needle: &str) -> Value {
    let s = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {text:?}"));
    json!({"start": s, "end": s + needle.len()})
}

/// The span from the start of `text` to the end of the first `needle`, as JSON.
pub fn upto(text: &str, needle: &str) -> Value {
    json!({"start": 0, "end": span(text, needle)["end"]})
}

/// The span of the whole of `text`, as JSON.
pub fn whole(text: &str) -> Value {
    json!({"start": 0, "end": text.len()})
}

/// Hand-made documents: three reports, one reported twice, one with markup in its text, and a
/// run of small events for pagination.
pub fn documents() -> Vec<NewDocument> {
    let mut docs = Vec::new();

    let t1 = "قصفت طائرات حربية سوقا شعبية في مدينة سراقب بريف إدلب صباح الاثنين، ما أسفر عن مقتل تسعة مدنيين، بحسب ما أفاد الدفاع المدني.\nوقال مسعفون إن فرق الإنقاذ ما زالت تبحث عن مفقودين.";
    let ev1 = event(json!({
        "id": "ev-saraqib", "doc_id": "doc-saraqib", "event_type": "ASSAULT", "mode": ["aerial"],
        "modality": "reported", "confidence": 0.9,
        "actors": [{"text": "طائرات حربية", "span": span(t1, "طائرات حربية"), "role": "military"}],
        "recipients": [{"text": "مدنيين", "span": span(t1, "مدنيين"), "role": "civilians"}],
        "location": {"text": "سراقب", "span": span(t1, "سراقب"), "geonameid": 163345, "name_en": "Saraqib", "name_ar": "سراقب",
                     "country": "SY", "admin1": "Idlib", "lat": 35.8647, "lon": 36.8006, "precision": "exact"},
        "date": {"value": "2018-03-05", "precision": "day"},
        "counts": {"killed": {"value": 9, "approximate": false, "bound": "exact"}},
        "trigger": {"text": "قصفت", "span": span(t1, "قصفت")},
        "evidence": {"span": upto(t1, "المدني."), "sentence": upto(t1, "المدني.")},
        "attribution": {"text": "الدفاع المدني", "span": span(t1, "الدفاع المدني"), "kind": "officials"},
        "cameo": "195", "acled": {"event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike"}
    }));
    docs.push(NewDocument {
        title: Some("غارة على سوق في سراقب".into()),
        date: Some("2018-03-05".into()),
        url: Some("https://example.invalid/saraqib".into()),
        events: vec![ev1],
        ..NewDocument::from_text("doc-saraqib", t1)
    });

    // the same strike, reported the next day by another outlet: merged into one event
    let t4 = "أفاد ناشطون بأن طائرات حربية استهدفت سوق سراقب أمس وأدت إلى سقوط قتلى وجرحى.";
    docs.push(NewDocument {
        title: Some("ناشطون: قتلى في سراقب".into()),
        date: Some("2018-03-06".into()),
        events: vec![event(json!({
            "id": "ev-saraqib-2", "doc_id": "doc-saraqib-2", "event_type": "ASSAULT", "mode": ["aerial"], "modality": "reported",
            "actors": [{"text": "طائرات حربية", "span": span(t4, "طائرات حربية"), "role": "military"}],
            "location": {"geonameid": 163345, "name_en": "Saraqib", "name_ar": "سراقب", "country": "SY", "admin1": "Idlib", "lat": 35.8647, "lon": 36.8006, "precision": "exact"},
            "date": {"value": "2018-03-05", "precision": "day"},
            "trigger": {"text": "استهدفت", "span": span(t4, "استهدفت")},
            "evidence": {"span": whole(t4), "sentence": whole(t4)}
        }))],
        ..NewDocument::from_text("doc-saraqib-2", t4)
    });

    let t2 = "تظاهر مئات الطلاب أمام مبنى المحافظة في مدينة البصرة احتجاجا على انقطاع الكهرباء. وقال أحد المنظمين إن الاحتجاجات ستستمر حتى تستجيب الحكومة.";
    docs.push(NewDocument {
        title: Some("احتجاجات في البصرة".into()),
        date: Some("2018-03-07".into()),
        events: vec![
            event(json!({
                "id": "ev-basra", "event_type": "PROTEST", "mode": ["demonstrate"], "modality": "asserted",
                "actors": [{"text": "مئات الطلاب", "span": span(t2, "مئات الطلاب"), "role": "protesters"}],
                "location": {"geonameid": 99532, "name_en": "Basra", "name_ar": "البصرة", "country": "IQ", "admin1": "Basra", "lat": 30.5085, "lon": 47.7804, "precision": "exact"},
                "date": {"value": "2018-03-07", "precision": "day"},
                "counts": {"participants": {"value": 100, "approximate": true, "bound": "at_least"}},
                "trigger": {"text": "تظاهر", "span": span(t2, "تظاهر")},
                "evidence": {"span": upto(t2, "الكهرباء."), "sentence": upto(t2, "الكهرباء.")}
            })),
            event(json!({
                "id": "ev-basra-future", "event_type": "PROTEST", "modality": "future",
                "actors": [{"text": "مئات الطلاب"}],
                "location": {"geonameid": 99532, "name_en": "Basra", "country": "IQ", "lat": 30.5085, "lon": 47.7804},
                "date": {"value": "2018-03-08", "precision": "day"},
                "trigger": {"text": "ستستمر", "span": span(t2, "ستستمر")},
                "evidence": {"span": span(t2, "الاحتجاجات ستستمر"), "sentence": span(t2, "وقال أحد المنظمين إن الاحتجاجات ستستمر حتى تستجيب الحكومة.")}
            })),
        ],
        ..NewDocument::from_text("doc-basra", t2)
    });

    // markup in the article must come out as text
    let t3 = "أعلنت الشرطة في الموصل اعتقال خمسة مشتبه بهم <script>alert('x')</script> في حي الزهراء شرقي المدينة.";
    docs.push(NewDocument {
        title: Some("اعتقالات في الموصل <b>".into()),
        date: Some("2018-04-20".into()),
        url: Some("javascript:alert(1)".into()),
        events: vec![event(json!({
            "id": "ev-mosul", "event_type": "COERCE", "mode": ["arrest"], "modality": "asserted",
            "actors": [{"text": "الشرطة", "span": span(t3, "الشرطة"), "role": "police"}],
            "recipients": [{"text": "خمسة مشتبه بهم", "span": span(t3, "خمسة مشتبه بهم")}],
            "location": {"geonameid": 99072, "name_en": "Mosul", "name_ar": "الموصل", "country": "IQ", "admin1": "Nineveh", "lat": 36.335, "lon": 43.119, "precision": "exact"},
            "date": {"value": "2018-04-20", "precision": "day"},
            "counts": {"arrested": {"value": 5, "approximate": false, "bound": "exact"}},
            "trigger": {"text": "اعتقال", "span": span(t3, "اعتقال")},
            "evidence": {"span": whole(t3), "sentence": whole(t3)}
        }))],
        ..NewDocument::from_text("doc-mosul", t3)
    });

    // a run of small events in different villages, for pagination
    let villages = [
        "كفرنبل",
        "معرة النعمان",
        "خان شيخون",
        "أريحا",
        "جسر الشغور",
        "سرمين",
        "بنش",
        "تفتناز",
        "سلقين",
        "حارم",
        "الدانا",
        "كفر تخاريم",
    ];
    for (i, v) in villages.iter().enumerate() {
        let t = format!(
            "سقطت قذائف على بلدة {v} في ريف إدلب يوم {} من الشهر وأصيب عدد من السكان.",
            i + 1
        );
        let id = format!("doc-village-{i}");
        docs.push(NewDocument {
            date: Some(format!("2018-02-{:02}", i + 1)),
            title: Some(format!("قصف على {v}")),
            events: vec![event(json!({
                "id": format!("ev-village-{i}"), "event_type": "ASSAULT", "mode": ["shelling"], "modality": "asserted",
                "location": {"geonameid": 170000 + i, "name_en": format!("Village {i}"), "name_ar": v, "country": "SY", "admin1": "Idlib",
                             "lat": 35.5 + i as f64 * 0.05, "lon": 36.4 + i as f64 * 0.04, "precision": "exact"},
                "date": {"value": format!("2018-02-{:02}", i + 1), "precision": "day"},
                "trigger": {"text": "سقطت قذائف", "span": span(&t, "سقطت قذائف")},
                "evidence": {"span": whole(&t), "sentence": whole(&t)}
            }))],
            ..NewDocument::from_text(&id, &t)
        });
    }
    docs
}

/// Writes the test database at `path`.
pub fn build_db(path: &Path) {
    let mut s = SqliteStore::open(path).expect("open store");
    let sum = s.write_batch(&documents()).expect("write");
    assert_eq!(sum.stored, 16, "{sum:?}");
    assert_eq!(sum.merged_mentions, 1, "{sum:?}");
}

/// A running `marsad serve`, stopped when dropped.
pub struct Server {
    child: Child,
    /// The address it listens on.
    pub addr: SocketAddr,
    /// The lines it has written to stderr after its address.
    log: Arc<Mutex<Vec<String>>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts `marsad serve --db DB --addr 127.0.0.1:0 EXTRA…` and waits for its address.
    pub fn start(db: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_marsad"))
            .arg("serve")
            .arg("--db")
            .arg(db)
            .args(["--addr", "127.0.0.1:0"])
            .args(extra)
            .env_remove("MARSAD_WRITE_TOKEN")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start marsad serve");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, rx) = mpsc::channel();
        let log = Arc::new(Mutex::new(Vec::new()));
        let lines = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().take(1000) {
                let Ok(line) = line else { break };
                if let Some(i) = line.find("at http://") {
                    let rest = &line[i + "at http://".len()..];
                    let end = rest.find('/').unwrap_or(rest.len());
                    let _ = tx.send(rest[..end].to_string());
                } else {
                    eprintln!("server: {line}");
                    if let Ok(mut l) = lines.lock() {
                        l.push(line);
                    }
                }
            }
        });
        let addr = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(a) => a.parse().expect("address"),
            Err(_) => {
                let _ = child.kill();
                panic!("marsad serve did not start within 60 s");
            }
        };
        Server { child, addr, log }
    }

    /// Waits (up to `limit`) for a line of the server's stderr that contains `needle`.
    pub fn wait_for_log(&self, needle: &str, limit: Duration) -> bool {
        let end = std::time::Instant::now() + limit;
        loop {
            if self
                .log
                .lock()
                .is_ok_and(|l| l.iter().any(|x| x.contains(needle)))
            {
                return true;
            }
            if std::time::Instant::now() >= end {
                return false;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sends one request and reads the whole response.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Response {
        let mut s =
            TcpStream::connect_timeout(&self.addr, Duration::from_secs(10)).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(60))).ok();
        let mut req = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        req.push_str("\r\n");
        s.write_all(req.as_bytes()).expect("send");
        // a server may answer (413) before reading a large body: ignore a reset while sending it
        let _ = s.write_all(body);
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
        Response::parse(&raw)
    }

    /// `GET path`.
    pub fn get(&self, path: &str) -> Response {
        self.request("GET", path, &[], b"")
    }
}

/// A parsed HTTP response.
#[derive(Debug)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// Body (chunked encoding removed).
    pub body: Vec<u8>,
}

impl Response {
    fn parse(raw: &[u8]) -> Response {
        let end = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(raw)));
        let head = String::from_utf8_lossy(&raw[..end]).into_owned();
        let mut lines = head.split("\r\n");
        let status: u16 = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .expect("status line");
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let mut body = raw[end + 4..].to_vec();
        if headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
        {
            let mut out = Vec::new();
            let mut rest = &body[..];
            while let Some(i) = rest.windows(2).position(|w| w == b"\r\n") {
                let size = usize::from_str_radix(String::from_utf8_lossy(&rest[..i]).trim(), 16)
                    .unwrap_or(0);
                if size == 0 {
                    break;
                }
                out.extend_from_slice(&rest[i + 2..i + 2 + size]);
                rest = &rest[i + 2 + size + 2..];
            }
            body = out;
        }
        Response {
            status,
            headers,
            body,
        }
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

/// A fresh temporary directory with the test database in it.
pub fn fresh_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("test.db");
    build_db(&db);
    (dir, db)
}

/// Percent-encodes a query value.
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
