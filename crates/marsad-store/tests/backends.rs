//! One set of store tests, two stores: every check takes a `&mut dyn Store` and runs against
//! the embedded SQLite store and against a throwaway PostgreSQL server (skipped, with the
//! reason, where none can start).

use marsad_record::Event;
use marsad_store::{EventFilter, NewDocument, Reject, RejectKind, SqliteStore, Store};
use serde_json::json;

/// A shared check of the store's behaviour.
type Check = fn(&mut dyn Store);

/// Every shared check, by name.
const CHECKS: &[(&str, Check)] = &[
    (
        "same_document_twice_is_stored_once",
        same_document_twice_is_stored_once,
    ),
    (
        "search_is_clitic_and_spelling_insensitive",
        search_is_clitic_and_spelling_insensitive,
    ),
    (
        "one_happening_in_two_articles_is_one_event",
        one_happening_in_two_articles_is_one_event,
    ),
    (
        "near_duplicates_join_one_story",
        near_duplicates_join_one_story,
    ),
    ("rejects_are_kept_once", rejects_are_kept_once),
    (
        "provenance_is_kept_and_listed",
        provenance_is_kept_and_listed,
    ),
    ("long_texts_come_back_whole", long_texts_come_back_whole),
];

fn ev(id: &str, date: &str, actor: &str) -> Event {
    marsad_record::testing::event(
        json!({"id": id, "event_type": "ASSAULT", "mode": ["aerial"], "modality": "reported",
           "location": {"geonameid": 99072, "country": "IQ", "admin1": "15", "lat": 36.3, "lon": 43.1},
           "date": {"value": date, "precision": "day"},
           "actors": [{"text": actor, "role": "military"}]}),
    )
}

fn same_document_twice_is_stored_once(s: &mut dyn Store) {
    let d = NewDocument::from_text("a", "قتل جندي في الموصل");
    assert_eq!(s.write_batch(std::slice::from_ref(&d)).unwrap().stored, 1);
    let sum = s.write_batch(&[d]).unwrap();
    assert_eq!((sum.stored, sum.duplicates), (0, 1));
    assert_eq!(s.stats().unwrap().documents, 1);
    assert!(s.contains("a").unwrap());
    assert!(!s.contains("b").unwrap());
}

fn search_is_clitic_and_spelling_insensitive(s: &mut dyn Store) {
    s.write_batch(&[
        NewDocument::from_text("a", "تزايد الإنشقاقات والانشقاق في صفوف التنظيم"),
        NewDocument::from_text("b", "غارة على مواقع فى كوبانى"),
        NewDocument::from_text("c", "انشقاق ضابط عن الجيش"),
    ])
    .unwrap();
    for q in ["انشقاق", "بالإنشقاق", "الانشقاق"] {
        let ids: Vec<String> = s
            .search(q, 10, 0)
            .unwrap()
            .into_iter()
            .map(|h| h.id)
            .collect();
        // newest first
        assert_eq!(ids, ["c", "a"], "{q}");
    }
    let hits = s.search("كوباني", 10, 0).unwrap();
    assert_eq!(hits[0].id, "b");
    assert!(hits[0].snippet.contains("كوبانى"), "{}", hits[0].snippet);
    assert_eq!(s.search("انشقاق", 1, 1).unwrap()[0].id, "a");
    // all words required
    assert!(s.search("انشقاق كوباني", 10, 0).unwrap().is_empty());
    assert!(s.search("", 10, 0).unwrap().is_empty());
    assert!(s.search("!!", 10, 0).unwrap().is_empty());
    // a bare word finds its inflections; a quoted phrase stays exact; hits are counted and marked
    s.write_batch(&[NewDocument::from_text(
        "d",
        "أعلن مسؤول انشقاقات جديدة في صفوف قوات النظام",
    )])
    .unwrap();
    let hits = s.search("الانشقاق", 10, 0).unwrap();
    assert_eq!(
        hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
        ["d", "c", "a"]
    );
    let (a, b) = hits[0].marks[0];
    assert_eq!(&hits[0].snippet[a..b], "انشقاقات");
    assert_eq!(s.search_count("الانشقاق").unwrap(), 3);
    assert_eq!(s.search_count("\"صفوف قوات\"").unwrap(), 1);
    assert_eq!(s.search_count("\"قوات صفوف\"").unwrap(), 0);
    assert_eq!(s.search_count("!!").unwrap(), 0);
}

fn one_happening_in_two_articles_is_one_event(s: &mut dyn Store) {
    let mut a = NewDocument::from_text(
        "a",
        "غارات للتحالف على الموصل أمس أسفرت عن مقتل عناصر من داعش",
    );
    a.events = vec![ev("e1", "2015-02-20", "التحالف")];
    let mut b = NewDocument::from_text(
        "b",
        "قالت مصادر إن طائرات التحالف قصفت مواقع في مدينة الموصل",
    );
    b.events = vec![ev("e2", "2015-02-21", "التحالف")];
    let mut c = NewDocument::from_text("c", "قصف على الموصل بعد أسبوعين");
    c.events = vec![ev("e3", "2015-03-10", "التحالف")];
    let sum = s.write_batch(&[a, b]).unwrap();
    assert_eq!((sum.events, sum.merged_mentions), (1, 1));
    s.write_batch(&[c]).unwrap();
    let st = s.stats().unwrap();
    assert_eq!((st.events, st.mentions), (2, 3));
    let (e, ms) = s.event("e1").unwrap().unwrap();
    assert_eq!(e.mentions, 2);
    let ids: Vec<&str> = ms.iter().map(|m| m.record.id.as_str()).collect();
    assert_eq!(ids, ["e1", "e2"]);
    assert_eq!(e.record.sources.len(), 2);
    assert_eq!(s.document("b").unwrap().unwrap().events[0].id, "e2");
    assert!(
        s.event("e2").unwrap().is_none(),
        "a mention is no event of its own"
    );
    let all = EventFilter {
        limit: 10,
        ..Default::default()
    };
    let dates: Vec<String> = s
        .events(&all)
        .unwrap()
        .iter()
        .map(|e| e.record.date.as_ref().unwrap().value.to_string())
        .collect();
    assert_eq!(dates, ["2015-03-10", "2015-02-20"], "newest first");
    for (f, n) in [
        (
            EventFilter {
                actor: Some("التحالف".into()),
                ..all.clone()
            },
            2,
        ),
        (
            EventFilter {
                from: Some("2015-03-01".into()),
                ..all.clone()
            },
            1,
        ),
        (
            EventFilter {
                to: Some("2015-02-20".into()),
                ..all.clone()
            },
            1,
        ),
        (
            EventFilter {
                mode: Some("aerial".into()),
                ..all.clone()
            },
            2,
        ),
        (
            EventFilter {
                event_type: Some("protest".into()),
                ..all.clone()
            },
            0,
        ),
        (
            EventFilter {
                country: Some("iq".into()),
                ..all.clone()
            },
            2,
        ),
        (
            EventFilter {
                query: Some("أسبوعين".into()),
                ..all.clone()
            },
            1,
        ),
        (
            EventFilter {
                query: Some("..".into()),
                ..all.clone()
            },
            0,
        ),
        (
            EventFilter {
                min_confidence: Some(1.5),
                ..all.clone()
            },
            0,
        ),
        (
            EventFilter {
                factual_only: true,
                ..all.clone()
            },
            2,
        ),
        (
            EventFilter {
                offset: 1,
                ..all.clone()
            },
            1,
        ),
    ] {
        assert_eq!(s.events(&f).unwrap().len(), n, "{f:?}");
    }
}

fn near_duplicates_join_one_story(s: &mut dyn Store) {
    let text = "أعلنت وزارة الدفاع العراقية اليوم مقتل عشرين مسلحا في غارات جوية على مواقع التنظيم قرب مدينة الموصل شمال البلاد وقالت إن الغارات دمرت مخازن أسلحة";
    let sum = s
        .write_batch(&[
            NewDocument::from_text("a", text),
            NewDocument::from_text("b", &format!("{text}.")),
            NewDocument::from_text("c", "تظاهر المئات في بيروت احتجاجا على الغلاء"),
        ])
        .unwrap();
    assert_eq!((sum.stored, sum.near_duplicates), (3, 1));
    let st = s.stats().unwrap();
    assert_eq!((st.documents, st.stories, st.duplicates), (3, 2, 1));
    let a = s.document("a").unwrap().unwrap();
    assert_eq!(s.document("b").unwrap().unwrap().story, a.story);
}

fn rejects_are_kept_once(s: &mut dyn Store) {
    let r = |source: &str, line: Option<u64>| Reject {
        source: source.into(),
        line,
        kind: RejectKind::NotJson,
        reason: "not a JSON object".into(),
    };
    let batch = [
        r("a.jsonl", Some(3)),
        r("a.jsonl", Some(4)),
        r("b.bin", None),
    ];
    s.record_rejects(&batch).unwrap();
    s.record_rejects(&batch).unwrap();
    assert_eq!(s.stats().unwrap().rejected, 3);
    let got = s.rejects(10).unwrap();
    assert_eq!(got.len(), 3);
    assert_eq!(got[0], batch[2], "newest first");
    assert_eq!(s.rejects(1).unwrap().len(), 1);
}

fn provenance_is_kept_and_listed(s: &mut dyn Store) {
    let doc = |id: &str, outlet: &str, url: &str, date: &str, e: Event| NewDocument {
        source: Some(format!("/tmp/{id}.jsonl:1")),
        external_id: Some(format!("ext-{id}")),
        outlet: Some(outlet.into()),
        url: Some(url.into()),
        title: Some(format!("عنوان {id}")),
        date: Some(date.into()),
        events: vec![e],
        ..NewDocument::from_text(id, &format!("غارة جوية على الموصل {id}"))
    };
    s.write_batch(&[
        doc(
            "x",
            "BBC",
            "https://bbc.example/x",
            "2015-02-21",
            ev("ex", "2015-02-20", "التحالف"),
        ),
        doc(
            "y",
            "",
            "/home/me/y.txt",
            "2015-02-20",
            ev("ey", "2015-02-20", "التحالف"),
        ),
    ])
    .unwrap();
    let d = s.document("x").unwrap().unwrap();
    assert_eq!(d.external_id.as_deref(), Some("ext-x"));
    assert_eq!(d.outlet.as_deref(), Some("BBC"));
    assert_eq!(d.source.as_deref(), Some("/tmp/x.jsonl:1"));
    assert_eq!(d.title.as_deref(), Some("عنوان x"));
    let (e, _) = s.event("ex").unwrap().unwrap();
    // earliest article first; a local path is no web address
    let got: Vec<(String, Option<String>)> = e
        .record
        .sources
        .iter()
        .map(|a| (a.doc_id.clone(), a.url.clone()))
        .collect();
    assert_eq!(
        got,
        [
            ("y".to_string(), None),
            ("x".to_string(), Some("https://bbc.example/x".to_string()))
        ]
    );
}

fn long_texts_come_back_whole(s: &mut dyn Store) {
    let text = "قال مسؤول محلي إن القصف استهدف سوقا شعبيا في المدينة. ".repeat(400);
    let mut d = NewDocument::from_text("long", &text);
    d.entities = vec![marsad_record::Entity {
        start: 4,
        end: 14,
        text: "مسؤول".into(),
        kind: marsad_record::EntityType::Per,
        entity_id: None,
        name_en: Some("official".into()),
    }];
    s.write_batch(&[d]).unwrap();
    let back = s.document("long").unwrap().unwrap();
    assert_eq!(back.text, text);
    assert_eq!(back.entities.len(), 1);
    assert_eq!(back.entities[0].name_en.as_deref(), Some("official"));
}

#[test]
fn sqlite_store() {
    for (name, check) in CHECKS {
        eprintln!("sqlite: {name}");
        check(&mut SqliteStore::open_in_memory().unwrap());
    }
}

#[cfg(feature = "testing")]
mod postgres {
    use super::*;
    use marsad_store::testing::PgCluster;
    use marsad_store::{PgStore, Phase, QueueCounts, QueuedItem};

    #[test]
    fn postgres_store() {
        let cluster = match PgCluster::start() {
            Ok(c) => c,
            Err(why) => return marsad_record::testing::skip("postgres_store", &why),
        };
        for (name, check) in CHECKS {
            eprintln!("postgres: {name}");
            let url = cluster.fresh_db().unwrap();
            check(&mut PgStore::open(&url).unwrap());
        }
        // a second open of a migrated database runs nothing again
        let url = cluster.fresh_db().unwrap();
        let first = PgStore::open(&url).unwrap();
        assert_eq!(first.schema_version().unwrap(), 4);
        drop(first);
        assert_eq!(PgStore::open(&url).unwrap().schema_version().unwrap(), 4);
        concurrent_writers_merge_one_happening_once(&cluster);
        the_queue_leases_orders_and_writes_batches_once(&cluster);
    }

    /// `sslmode=require` connects over TLS: the server refuses every connection without it, and
    /// the store opens, writes and reads through it.
    #[test]
    fn postgres_store_over_tls() {
        let cluster = match PgCluster::start_tls() {
            Ok(c) => c,
            Err(why) => return marsad_record::testing::skip("postgres_store_over_tls", &why),
        };
        let url = cluster.fresh_db().unwrap();
        let plain = PgStore::open(&url)
            .err()
            .expect("the server refuses a plain connection");
        assert!(format!("{plain:?}").contains("no encryption"), "{plain:?}");
        let mut s = PgStore::open(&format!("{url}?sslmode=require")).unwrap();
        same_document_twice_is_stored_once(&mut s);
        assert_eq!(s.schema_version().unwrap(), 4);
    }

    fn item(id: &str) -> QueuedItem {
        QueuedItem {
            doc_id: id.into(),
            source: "in.jsonl".into(),
            line: Some(1),
            payload: format!("{{\"text\":\"{id}\"}}"),
        }
    }

    /// The queue's rules at the store: a document is queued once; a claimed batch is nobody
    /// else's until its lease runs out, then the next claimer's (and the first holder can no
    /// longer complete it); batches are written in queue order; a completed batch is gone.
    fn the_queue_leases_orders_and_writes_batches_once(cluster: &PgCluster) {
        use std::time::Duration;
        let url = cluster.fresh_db().unwrap();
        let s = PgStore::open(&url).unwrap();
        assert_eq!(s.enqueue(&[item("a"), item("b")]).unwrap(), 2);
        // queued already: no new batch
        assert_eq!(s.enqueue(&[item("b")]).unwrap(), 0);
        assert_eq!(s.enqueue(&[item("c")]).unwrap(), 1);
        let q = s.queue_counts().unwrap();
        assert_eq!((q.batches, q.items, q.leased), (2, 3, 0));
        let long = Duration::from_secs(600);
        let first = s.claim("w1", long, None).unwrap().unwrap();
        let ids: Vec<_> = first.items.iter().map(|i| i.item.doc_id.as_str()).collect();
        assert_eq!((ids, first.attempts), (vec!["a", "b"], 1));
        // w2 gets the next batch, then nothing (both leased)
        let second = s.claim("w2", long, None).unwrap().unwrap();
        assert!(second.batch > first.batch);
        assert!(s.claim("w3", long, None).unwrap().is_none());
        // the second batch waits for the first
        assert!(s.turn(first.batch).unwrap());
        assert!(!s.turn(second.batch).unwrap());
        // w1's lease runs out (renewed to nothing): w3 takes the batch over, w1 cannot write it
        s.renew("w1", &[first.batch], Duration::ZERO).unwrap();
        std::thread::sleep(Duration::from_millis(20));
        let again = s.claim("w3", long, None).unwrap().unwrap();
        assert_eq!((again.batch, again.attempts), (first.batch, 2));
        let docs = [NewDocument::from_text("a", "خبر أول عن الموصل")];
        assert_eq!(s.complete("w1", first.batch, &docs, &[]).unwrap(), None);
        assert!(!s.contains("a").unwrap());
        let rejects = [Reject {
            source: "in.jsonl".into(),
            line: Some(2),
            kind: RejectKind::NotArabic,
            reason: "in.jsonl: line 2: not Arabic text".into(),
        }];
        let sum = s
            .complete("w3", first.batch, &docs, &rejects)
            .unwrap()
            .unwrap();
        assert_eq!(sum.stored, 1);
        assert!(s.contains("a").unwrap());
        assert_eq!(s.stats().unwrap().rejected, 1);
        assert!(s.turn(second.batch).unwrap());
        assert!(s.complete("w2", second.batch, &[], &[]).unwrap().is_some());
        assert_eq!(s.queue_counts().unwrap(), QueueCounts::default());
        // a stored document is not queued again
        assert_eq!(s.enqueue(&[item("a")]).unwrap(), 0);

        // blame: a claim of a batch whose holder died counts the death against what the holder
        // recorded it had in hand (the whole batch, one document, or nothing while waiting)
        assert_eq!(s.enqueue(&[item("d"), item("e")]).unwrap(), 2);
        let b = s.claim("w4", long, None).unwrap().unwrap();
        let deaths =
            |c: &marsad_store::Claimed| c.items.iter().map(|i| i.deaths).collect::<Vec<_>>();
        assert_eq!((b.lost, deaths(&b)), (0, vec![0, 0]));
        let again = |from: &str, to: &str| {
            s.renew(from, &[b.batch], Duration::ZERO).unwrap();
            std::thread::sleep(Duration::from_millis(20));
            s.claim(to, long, None).unwrap().unwrap()
        };
        // died annotating the whole batch (the claim's phase)
        let c = again("w4", "w5");
        assert_eq!((c.batch, c.lost, deaths(&c)), (b.batch, 1, vec![0, 0]));
        // died annotating the second document alone
        s.set_phase("w5", b.batch, Phase::Item(c.items[1].pos))
            .unwrap();
        let c = again("w5", "w6");
        assert_eq!((c.lost, deaths(&c)), (1, vec![0, 1]));
        // died while the batch only waited for its turn: not its doing
        s.set_phase("w6", b.batch, Phase::Waiting).unwrap();
        let c = again("w6", "w7");
        assert_eq!((c.lost, deaths(&c), c.attempts), (1, vec![0, 1], 4));
        // a worker that lost the batch records nothing; died writing it
        s.set_phase("w6", b.batch, Phase::Item(c.items[0].pos))
            .unwrap();
        s.set_phase("w7", b.batch, Phase::Writing).unwrap();
        let c = again("w7", "w8");
        assert_eq!((c.lost, deaths(&c)), (2, vec![0, 1]));
    }

    /// Two writers storing reports of the same happenings at the same moment: the database
    /// decides the merge (advisory locks), so each happening is one event with every mention.
    fn concurrent_writers_merge_one_happening_once(cluster: &PgCluster) {
        let url = cluster.fresh_db().unwrap();
        drop(PgStore::open(&url).unwrap());
        let rounds = 20;
        let barrier = std::sync::Barrier::new(2);
        std::thread::scope(|sc| {
            for w in 0..2 {
                let (url, barrier) = (&url, &barrier);
                sc.spawn(move || {
                    let mut s = PgStore::open(url).unwrap();
                    for r in 0..rounds {
                        // happenings weeks apart: each round is its own
                        let date = format!("2015-{:02}-{:02}", 1 + r / 2, 1 + (r % 2) * 19);
                        let mut d = NewDocument::from_text(
                            &format!("w{w}r{r}"),
                            &format!("غارة على الموصل في اليوم {r} يرويها الكاتب {w}"),
                        );
                        d.events = vec![ev(&format!("w{w}r{r}"), &date, "التحالف")];
                        barrier.wait();
                        s.write_batch(&[d]).unwrap();
                    }
                });
            }
        });
        let s = PgStore::open(&url).unwrap();
        let st = s.stats().unwrap();
        assert_eq!(
            (st.documents, st.events, st.mentions),
            (40, 20, 40),
            "{st:?}"
        );
    }
}

#[cfg(not(feature = "testing"))]
#[test]
fn postgres_store() {
    marsad_record::testing::skip(
        "postgres_store",
        "marsad-store built without its `testing` feature (cargo test --workspace enables it)",
    );
}
