//! Tests of the store: writing, duplicates and stories, search, merged events, rejects, files,
//! migrations and compressed text.

use super::*;
use serde_json::json;

fn ev(id: &str, date: &str, actor: &str) -> Event {
    marsad_record::testing::event(
        json!({"id": id, "event_type": "ASSAULT", "mode": ["aerial"], "modality": "reported",
           "location": {"geonameid": 99072, "country": "IQ", "lat": 36.3, "lon": 43.1},
           "date": {"value": date, "precision": "day"},
           "actors": [{"text": actor, "role": "military"}]}),
    )
}

#[test]
fn same_document_twice_is_stored_once() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    let d = NewDocument::from_text("a", "قتل جندي في الموصل");
    assert_eq!(s.write_batch(std::slice::from_ref(&d)).unwrap().stored, 1);
    let sum = s.write_batch(&[d]).unwrap();
    assert_eq!((sum.stored, sum.duplicates), (0, 1));
    assert_eq!(s.stats().unwrap().documents, 1);
}

#[test]
fn search_is_clitic_and_spelling_insensitive() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    s.write_batch(&[
        NewDocument::from_text("a", "تزايد الإنشقاقات والانشقاق في صفوف التنظيم"),
        NewDocument::from_text("b", "غارة على مواقع فى كوبانى"),
    ])
    .unwrap();
    for q in ["انشقاق", "بالإنشقاق", "الانشقاق"] {
        let hits = s.search(q, 10, 0).unwrap();
        assert_eq!(hits.len(), 1, "{q}");
        assert_eq!(hits[0].id, "a");
    }
    assert_eq!(s.search("كوباني", 10, 0).unwrap()[0].id, "b");
    assert!(s.search("", 10, 0).unwrap().is_empty());
}

#[test]
fn search_finds_inflections_counts_and_marks_hits_while_a_phrase_stays_exact() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    s.write_batch(&[
        NewDocument::from_text("a", "أعلن ضابط انشقاقا عن الجيش"),
        NewDocument::from_text("b", "توالت انشقاقات أخرى في صفوف الفصائل"),
        NewDocument::from_text("c", "تحدث عن الانشقاق الكبير"),
        NewDocument::from_text("d", "غارة على مواقع في المدينة"),
    ])
    .unwrap();
    let ids = |q: &str| -> Vec<String> {
        let mut v: Vec<String> = s
            .search(q, 10, 0)
            .unwrap()
            .into_iter()
            .map(|h| h.id)
            .collect();
        v.sort();
        v
    };
    assert_eq!(ids("الانشقاق"), ["a", "b", "c"]);
    assert_eq!(s.search_count("الانشقاق").unwrap(), 3);
    assert_eq!(ids("\"الانشقاق\""), ["c"]);
    assert_eq!(ids("\"انشقاقات أخرى\""), ["b"]);
    assert!(ids("\"أخرى انشقاقات\"").is_empty());
    assert_eq!(s.search_count("\"أخرى انشقاقات\"").unwrap(), 0);
    let hit = &s.search("انشقاق", 10, 0).unwrap()[0];
    let marked: Vec<&str> = hit.marks.iter().map(|&(a, b)| &hit.snippet[a..b]).collect();
    assert_eq!(marked.len(), 1, "{hit:?}");
    assert!(marked[0].contains("انشقاق"), "{marked:?}");
}

#[test]
fn one_happening_in_two_articles_is_one_event_with_two_mentions() {
    let mut s = SqliteStore::open_in_memory().unwrap();
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
    s.write_batch(&[a, b, c]).unwrap();
    let st = s.stats().unwrap();
    assert_eq!((st.events, st.mentions), (2, 3));
    let (e, ms) = s.event("e1").unwrap().unwrap();
    assert_eq!(e.mentions, 2);
    assert_eq!(ms.len(), 2);
    // each mention keeps its own record, though the first is stored only once
    assert_eq!(ms[0].record.id, "e1");
    assert_eq!(ms[1].record.id, "e2");
    // (the event's record adds the articles that report it)
    assert_eq!(e.record.sources.len(), 2);
    assert_eq!(
        ms[0].record,
        Event {
            sources: Vec::new(),
            ..e.record.clone()
        }
    );
    let b = s.document("b").unwrap().unwrap();
    assert_eq!(b.events.len(), 1);
    assert_eq!(b.events[0].id, "e2");
    assert_eq!(s.document("a").unwrap().unwrap().events[0].id, "e1");
    let f = EventFilter {
        actor: Some("تحالف".into()),
        limit: 10,
        ..Default::default()
    };
    assert_eq!(s.events(&f).unwrap().len(), 2);
    let f = EventFilter {
        from: Some("2015-03-01".into()),
        limit: 10,
        ..Default::default()
    };
    assert_eq!(s.events(&f).unwrap().len(), 1);
    let f = EventFilter {
        query: Some("طائرات".into()),
        limit: 10,
        ..Default::default()
    };
    assert_eq!(s.events(&f).unwrap().len(), 1);
}

#[test]
fn near_duplicates_join_one_story() {
    let base = "قتل سبعة مدنيين وأصيب أكثر من عشرين آخرين أمس في غارة جوية استهدفت سوقا شعبية في ريف إدلب شمال غربي سوريا بحسب ما أفاد به المرصد السوري لحقوق الإنسان وقال مسعفون إن فرق الإنقاذ ما زالت تبحث عن مفقودين تحت الأنقاض في المنطقة المنكوبة التي تتعرض لقصف متكرر منذ أسابيع وسط تحذيرات أممية من كارثة إنسانية";
    let copy = format!("{base}.");
    let mut s = SqliteStore::open_in_memory().unwrap();
    let a = NewDocument::from_text("a", base);
    let mut b = NewDocument::from_text("b", &copy);
    b.id = "b".into();
    let sum = s
        .write_batch(&[
            a,
            b,
            NewDocument::from_text("c", "تظاهر المئات في بيروت احتجاجا على الغلاء"),
        ])
        .unwrap();
    assert_eq!(sum.near_duplicates, 1);
    let st = s.stats().unwrap();
    assert_eq!((st.documents, st.stories, st.duplicates), (3, 2, 1));
}

#[test]
fn rejects_are_kept_once() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    let r = Reject {
        source: "x.jsonl".into(),
        line: Some(3),
        kind: crate::RejectKind::NotJson,
        reason: "x.jsonl: line 3: not JSON".into(),
    };
    s.record_rejects(std::slice::from_ref(&r)).unwrap();
    s.record_rejects(&[r]).unwrap();
    assert_eq!(s.stats().unwrap().rejected, 1);
    assert_eq!(s.rejects(10).unwrap()[0].kind, crate::RejectKind::NotJson);
    for k in crate::RejectKind::ALL {
        assert_eq!(crate::RejectKind::parse(k.as_str()), Some(k));
        assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{k}\""));
    }
}

/// A whole-file reject has no line; `UNIQUE (source, line, kind)` never matched NULL, so every
/// rerun of an ingest added it again (3 → 5 → 7).
#[test]
fn whole_file_rejects_are_kept_once() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    let r = Reject {
        source: "bad.bin".into(),
        line: None,
        kind: crate::RejectKind::NotJson,
        reason: "bad.bin: not text".into(),
    };
    for _ in 0..3 {
        s.record_rejects(std::slice::from_ref(&r)).unwrap();
    }
    assert_eq!(s.stats().unwrap().rejected, 1);
    // line 0 and "no line" stay different rejects
    let r0 = Reject {
        line: Some(0),
        ..r.clone()
    };
    s.record_rejects(&[r0]).unwrap();
    assert_eq!(s.stats().unwrap().rejected, 2);
}

#[test]
fn version_3_database_loses_its_duplicate_rejects() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("v3.db");
    {
        let conn = Connection::open(&p).unwrap();
        for sql in &MIGRATIONS[..3] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 3).unwrap();
        conn.execute_batch(
            "INSERT INTO rejects (source, line, kind, reason) VALUES
                ('a', NULL, 'not_json', 'first'), ('a', NULL, 'not_json', 'again'),
                ('a', NULL, 'not_json', 'again'), ('a', 2, 'not_json', 'line 2'),
                ('b', NULL, 'not_json', 'other file');",
        )
        .unwrap();
    }
    let mut s = SqliteStore::open(&p).unwrap();
    assert_eq!(s.schema_version().unwrap(), MIGRATIONS.len() as i64);
    assert_eq!(s.stats().unwrap().rejected, 3);
    let kept: String = s
        .conn
        .query_row(
            "SELECT reason FROM rejects WHERE source = 'a' AND line IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, "first");
    s.record_rejects(&[Reject {
        source: "b".into(),
        line: None,
        kind: crate::RejectKind::NotJson,
        reason: "other file".into(),
    }])
    .unwrap();
    assert_eq!(s.stats().unwrap().rejected, 3);
}

/// An offset above `i64::MAX` was cast to a negative SQL `OFFSET`, read as 0: page one again.
#[test]
fn offsets_beyond_i64_saturate_to_an_empty_page() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    s.write_batch(&[NewDocument::from_text("a", "قصفت طائرات حربية بلدة سراقب")])
        .unwrap();
    assert_eq!(s.search("طائرات", 10, 0).unwrap().len(), 1);
    let huge = 1usize << 63;
    assert_eq!(s.search("طائرات", 10, huge).unwrap().len(), 0);
    assert_eq!(s.search("طائرات", usize::MAX, 0).unwrap().len(), 1);
    let f = EventFilter {
        offset: huge,
        ..Default::default()
    };
    assert!(s.events(&f).unwrap().is_empty());
}

#[test]
fn file_store_reopens_with_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("m.db");
    {
        let mut s = SqliteStore::open(&p).unwrap();
        s.write_batch(&[NewDocument::from_text("a", "نص")]).unwrap();
    }
    let s = SqliteStore::open(&p).unwrap();
    assert_eq!(s.schema_version().unwrap(), MIGRATIONS.len() as i64);
    assert!(s.contains("a").unwrap());
    let r = SqliteStore::open_read_only(&p).unwrap();
    assert_eq!(r.stats().unwrap().documents, 1);
}

#[test]
fn processes_creating_one_file_at_once_do_not_collide() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("race.db");
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let p = p.clone();
            std::thread::spawn(move || SqliteStore::open(&p).map(|s| s.schema_version()))
        })
        .collect();
    for h in handles {
        let v = h.join().unwrap().unwrap().unwrap();
        assert_eq!(v, MIGRATIONS.len() as i64);
    }
}

#[test]
fn read_only_open_of_a_file_without_schema_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("empty.db");
    Connection::open(&p)
        .unwrap()
        .execute_batch("CREATE TABLE t (x)")
        .unwrap();
    let e = SqliteStore::open_read_only(&p).err().unwrap();
    assert!(matches!(e, StoreError::NoSchema), "{e}");
}

#[test]
fn text_is_stored_compressed_and_read_back_whole() {
    let text = "قالت مصادر إن طائرات التحالف قصفت مواقع في مدينة الموصل. ".repeat(40);
    let mut s = SqliteStore::open_in_memory().unwrap();
    s.write_batch(&[NewDocument::from_text("a", &text)])
        .unwrap();
    let (kind, stored): (String, i64) = s
        .conn
        .query_row(
            "SELECT typeof(text), length(text) FROM documents",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(kind, "blob");
    assert!(
        (stored as usize) < text.len() / 2,
        "{stored} of {}",
        text.len()
    );
    assert_eq!(
        s.document_text("a").unwrap().as_deref(),
        Some(text.as_str())
    );
    assert_eq!(s.document("a").unwrap().unwrap().text, text);
    assert_eq!(s.search("طائرات", 10, 0).unwrap().len(), 1);
    assert_eq!(s.document_text("missing").unwrap(), None);
}

#[test]
fn version_2_database_migrates_and_keeps_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("v2.db");
    {
        // a database as version 2 wrote it: plain text, every mention with its record
        let conn = Connection::open(&p).unwrap();
        for sql in &MIGRATIONS[..2] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 2).unwrap();
        let rec = |id: &str| {
            let e = marsad_record::testing::event(json!({"id": id, "event_type": "ASSAULT"}));
            serde_json::to_string(&e).unwrap()
        };
        let (e1, e2) = (rec("e1"), rec("e2"));
        conn.execute_batch(&format!(
            r#"INSERT INTO documents (rowid, id, text, simhash, story) VALUES (1, 'a', 'نص قديم', 0, 1), (2, 'b', 'نص آخر', 0, 2);
                INSERT INTO events (rowid, id, event_type, modes, factual, geokey, actors, actor_keys, story, record)
                    VALUES (1, 'e1', 'ASSAULT', '|', 1, '', '', '[]', 1, '{e1}');
                INSERT INTO event_mentions VALUES (1, 1, 'e1', '{e1}'), (1, 2, 'e2', '{e2}');"#,
        ))
        .unwrap();
    }
    let s = SqliteStore::open(&p).unwrap();
    assert_eq!(s.schema_version().unwrap(), MIGRATIONS.len() as i64);
    let nulls: i64 = s
        .conn
        .query_row(
            "SELECT count(*) FROM event_mentions WHERE record IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(nulls, 1);
    let (_, ms) = s.event("e1").unwrap().unwrap();
    let ids: Vec<_> = ms.iter().map(|m| m.record.id.as_str()).collect();
    assert_eq!(ids, ["e1", "e2"]);
    assert_eq!(s.document_text("a").unwrap().as_deref(), Some("نص قديم"));
    assert_eq!(s.document("b").unwrap().unwrap().events[0].id, "e2");
}

#[test]
fn a_batch_refused_before_its_commit_leaves_nothing() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    let got = s
        .write_batch_if(&[NewDocument::from_text("a", "نص")], || false)
        .unwrap();
    assert!(got.is_none());
    assert!(!s.contains("a").unwrap());
    assert_eq!(s.stats().unwrap().documents, 0);
    let got = s
        .write_batch_if(&[NewDocument::from_text("a", "نص")], || true)
        .unwrap();
    assert_eq!(got.unwrap().stored, 1);
    assert!(s.contains("a").unwrap());
}

#[test]
fn immutable_uris_escape_what_uris_would_read() {
    assert_eq!(
        immutable_uri(Path::new("/a b/x?y#z%.db")),
        "file:///a%20b/x%3Fy%23z%25.db?immutable=1"
    );
    assert_eq!(
        immutable_uri(Path::new("rel/m.db")),
        "file:rel/m.db?immutable=1"
    );
    assert_eq!(
        immutable_uri(Path::new("//srv/m.db")),
        "file:////srv/m.db?immutable=1"
    );
}

/// A database in a directory that cannot be written is read immutable: no `-wal` or `-shm`
/// file is needed (or made) beside it. Opened as "not writable" whoever runs the test (root
/// may write anywhere).
#[test]
fn a_database_in_a_read_only_directory_is_read_immutable() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("ro dir?#");
    std::fs::create_dir(&sub).unwrap();
    let p = sub.join("m.db");
    {
        let mut s = SqliteStore::open(&p).unwrap();
        s.write_batch(&[NewDocument::from_text("a", "نص")]).unwrap();
    }
    assert!(dir_writable(&p));
    let names = |d: &Path| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    assert_eq!(names(&sub), ["m.db"]);
    let r = SqliteStore::open_read_only_in(&p, false).unwrap();
    assert!(r.is_immutable());
    assert_eq!(r.stats().unwrap().documents, 1);
    assert!(r.contains("a").unwrap());
    assert_eq!(
        names(&sub),
        ["m.db"],
        "immutable reads make no -wal or -shm"
    );
    drop(r);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o555)).unwrap();
        let writable = dir_writable(&p);
        let r = SqliteStore::open_read_only(&p).map(|r| (r.is_immutable(), r.stats()));
        std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert!(!writable, "a 0555 directory counts as not writable");
        let (immutable, stats) = r.unwrap();
        assert!(immutable);
        assert_eq!(stats.unwrap().documents, 1);
    }
}

/// An event's mentions are read a page at a time, in the order of the whole list, with their
/// total.
#[test]
fn event_mentions_are_read_a_page_at_a_time() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    let docs: Vec<NewDocument> = (0..5)
        .map(|i| {
            let mut d = NewDocument::from_text(
                &format!("d{i}"),
                &format!("قصفت طائرات التحالف مواقع في الموصل، التقرير رقم {i} عن الغارة"),
            );
            d.date = Some(format!("2015-02-2{i}"));
            d.events = vec![ev(&format!("e{i}"), "2015-02-20", "التحالف")];
            d
        })
        .collect();
    s.write_batch(&docs).unwrap();
    let (_, all) = s.event("e0").unwrap().unwrap();
    assert_eq!(all.len(), 5);
    let (ev0, total, page) = s.event_page("e0", 2, 1).unwrap().unwrap();
    assert_eq!((ev0.mentions, total), (5, 5));
    let ids = |ms: &[Mention]| ms.iter().map(|m| m.doc_id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&page), ids(&all[1..3]));
    let (_, total, past) = s.event_page("e0", 2, 10).unwrap().unwrap();
    assert_eq!((total, past.len()), (5, 0));
    assert!(s.event_page("no-such", 2, 0).unwrap().is_none());
}

#[test]
fn one_mention_is_found_by_its_document() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    let mut a = NewDocument::from_text("a", "غارات للتحالف على الموصل أمس");
    a.events = vec![ev("e1", "2015-02-20", "التحالف")];
    let mut b = NewDocument::from_text("b", "قالت مصادر إن طائرات التحالف قصفت الموصل");
    b.events = vec![ev("e2", "2015-02-21", "التحالف")];
    s.write_batch(&[a, b, NewDocument::from_text("c", "نص آخر")])
        .unwrap();
    let m = s.event_mention("e1", "b").unwrap().unwrap();
    assert_eq!((m.doc_id.as_str(), m.record.id.as_str()), ("b", "e2"));
    assert_eq!(s.event_mention("e1", "a").unwrap().unwrap().record.id, "e1");
    assert!(s.event_mention("e1", "c").unwrap().is_none());
    assert!(s.event_mention("nope", "a").unwrap().is_none());
}

/// A full disk and a refused write (EFBIG past `ulimit -f`) are told apart from other errors,
/// so that the caller can name the problem instead of "disk I/O error".
#[test]
fn writes_without_room_are_recognised() {
    use crate::{NoRoom, StoreError};
    use rusqlite::ffi;
    let failure =
        |code| StoreError::Sqlite(rusqlite::Error::SqliteFailure(ffi::Error::new(code), None));
    assert_eq!(failure(ffi::SQLITE_FULL).no_room(), Some(NoRoom::Full));
    assert_eq!(
        failure(ffi::SQLITE_IOERR_WRITE).no_room(),
        Some(NoRoom::WriteRefused)
    );
    assert_eq!(failure(ffi::SQLITE_IOERR_READ).no_room(), None);
    assert_eq!(failure(ffi::SQLITE_BUSY).no_room(), None);
    assert_eq!(StoreError::NoSchema.no_room(), None);
}

fn asir_report(id: &str, date: &str, town: bool, mode: &[&str], actor: &str) -> Event {
    let location = if town {
        json!({"geonameid": 110690, "name_en": "Abha", "country": "SA", "admin1": "11",
               "precision": "exact", "lat": 18.2, "lon": 42.5})
    } else {
        json!({"geonameid": 108179, "name_en": "Asir", "country": "SA", "admin1": "11",
               "precision": "admin1", "lat": 18.5, "lon": 42.8})
    };
    marsad_record::testing::event(json!({"id": id, "event_type": "ASSAULT", "mode": mode,
        "modality": "asserted", "location": location,
        "date": {"value": date, "precision": "day", "span": {"start": 0, "end": 3}},
        "actors": if actor.is_empty() { json!([]) } else { json!([{"text": actor, "role": "militia"}]) }}))
}

#[test]
fn a_report_with_nothing_to_tie_it_joins_the_story_every_outlet_tells_in_its_province() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    // three outlets tell the bombing, tied by its kind of attack
    let docs: Vec<NewDocument> = ["a", "b", "c"]
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let mut d = NewDocument::from_text(id, &format!("تفجير انتحاري في مسجد بأبها {i}"));
            d.events = vec![asir_report(
                &format!("e{i}"),
                "2015-08-06",
                i == 0,
                &["suicide-attack"],
                "",
            )];
            d
        })
        .collect();
    s.write_batch(&docs).unwrap();
    assert_eq!(s.stats().unwrap().events, 1);
    // a column on it names neither kind nor side: it joins the story
    let mut d = NewDocument::from_text("d", "الاعتداء الذي حصل على مسجد في منطقة عسير");
    d.events = vec![asir_report("e3", "2015-08-07", false, &[], "")];
    s.write_batch(&[d]).unwrap();
    assert_eq!(s.stats().unwrap().events, 1);
    // an air strike is another happening; then an untied report joins neither of two alike
    let mut e = NewDocument::from_text("e", "غارة جوية على قرية في عسير");
    e.events = vec![asir_report(
        "e4",
        "2015-08-06",
        false,
        &["aerial"],
        "التحالف",
    )];
    let mut f = NewDocument::from_text("f", "غارة أخرى على قرية في عسير");
    f.events = vec![asir_report(
        "e5",
        "2015-08-06",
        false,
        &["aerial"],
        "التحالف",
    )];
    let mut g = NewDocument::from_text("g", "هجوم آخر في منطقة عسير");
    g.events = vec![asir_report("e6", "2015-08-07", false, &[], "مسلحون")];
    s.write_batch(&[e, f]).unwrap();
    s.write_batch(&[g]).unwrap();
    assert_eq!(s.stats().unwrap().events, 3);
    // a meeting is no incident many outlets tell: told three times in the province, it still
    // takes no untied report from a town of it
    let visits: Vec<NewDocument> = ["h", "i", "j"]
        .iter()
        .map(|id| {
            let mut d = NewDocument::from_text(id, &format!("زار الأمير مقر القوات في عسير {id}"));
            let mut visit = asir_report(&format!("v{id}"), "2015-08-06", false, &[], "");
            visit.event_type = marsad_record::Category::Consult;
            d.events = vec![visit];
            d
        })
        .collect();
    s.write_batch(&visits).unwrap();
    assert_eq!(s.stats().unwrap().events, 4);
    let mut k = NewDocument::from_text("k", "زيارة الأمير لأبها");
    let mut again = asir_report("v-k", "2015-08-06", true, &[], "");
    again.event_type = marsad_record::Category::Consult;
    k.events = vec![again];
    s.write_batch(&[k]).unwrap();
    assert_eq!(s.stats().unwrap().events, 5);
}

/// A document with the provenance the pipeline keeps.
fn reported(id: &str, outlet: &str, url: &str, date: &str, event: Event) -> NewDocument {
    let mut d = NewDocument::from_text(id, &format!("قصف التحالف مواقع في الموصل {id}"));
    d.external_id = Some(format!("ext-{id}"));
    d.outlet = Some(outlet.to_string());
    d.url = Some(url.to_string());
    d.title = Some(format!("عنوان {id}"));
    d.date = Some(date.to_string());
    d.source = Some(format!("/data/bench.jsonl: line {id}"));
    d.events = vec![event];
    d
}

#[test]
fn an_event_reported_by_two_documents_lists_both_sources() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    s.write_batch(&[
        reported(
            "a",
            "skynews",
            "https://www.skynewsarabia.com/1",
            "2015-02-20",
            ev("e1", "2015-02-20", "التحالف"),
        ),
        reported(
            "b",
            "BBC",
            "https://www.bbc.com/arabic/2",
            "2015-02-21",
            ev("e2", "2015-02-21", "التحالف"),
        ),
    ])
    .unwrap();
    let (e, _) = s.event("e1").unwrap().unwrap();
    let got: Vec<_> = e
        .record
        .sources
        .iter()
        .map(|x| {
            (
                x.doc_id.as_str(),
                x.external_id.as_deref(),
                x.outlet.as_deref(),
                x.url.as_deref(),
                x.published.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "a",
                Some("ext-a"),
                Some("skynews"),
                Some("https://www.skynewsarabia.com/1"),
                Some("2015-02-20")
            ),
            (
                "b",
                Some("ext-b"),
                Some("BBC"),
                Some("https://www.bbc.com/arabic/2"),
                Some("2015-02-21")
            ),
        ]
    );
    assert_eq!(e.record.sources[1].title.as_deref(), Some("عنوان b"));
    // a document merged into the event by a later batch is listed too, in every read path
    s.write_batch(&[reported(
        "c",
        "france24",
        "https://www.france24.com/ar/3",
        "2015-02-22",
        ev("e3", "2015-02-21", "التحالف"),
    )])
    .unwrap();
    let f = EventFilter {
        limit: 10,
        ..Default::default()
    };
    let listed = s.events(&f).unwrap();
    assert_eq!(listed.len(), 1);
    let outlets: Vec<_> = listed[0]
        .record
        .sources
        .iter()
        .map(|x| x.outlet.as_deref().unwrap())
        .collect();
    assert_eq!(outlets, ["skynews", "BBC", "france24"]);
    let raw = crate::Browse::events_raw(&s, &f, &crate::Scope::default()).unwrap();
    let v: serde_json::Value = serde_json::from_str(&raw[0].0).unwrap();
    assert_eq!(v["sources"].as_array().unwrap().len(), 3);
    assert_eq!(v["sources"][2]["external_id"], "ext-c");
    // the stored record itself carries no sources: they are derived from the mentions
    let stored: String = s
        .conn
        .query_row("SELECT record FROM events", [], |r| r.get(0))
        .unwrap();
    assert!(!stored.contains("sources"), "{stored}");
    // the local path a document was read from is kept but never serialized
    let d = s.document("a").unwrap().unwrap();
    assert_eq!(d.source.as_deref(), Some("/data/bench.jsonl: line a"));
    assert_eq!(d.outlet.as_deref(), Some("skynews"));
    let json = serde_json::to_string(&d).unwrap();
    assert!(!json.contains("bench.jsonl"), "{json}");
    assert!(json.contains("\"external_id\":\"ext-a\""), "{json}");
}

#[test]
fn version_4_database_migrates_and_names_outlets_by_domain() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("v4.db");
    {
        let conn = Connection::open(&p).unwrap();
        for sql in &MIGRATIONS[..4] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 4).unwrap();
        let e1 = serde_json::to_string(&ev("e1", "2015-02-20", "التحالف")).unwrap();
        conn.execute_batch(&format!(
            r#"INSERT INTO documents (rowid, id, source, url, text, simhash, story) VALUES
                   (1, 'a', 'old.jsonl: line 1', 'https://www.alriyadh.com/1', 'نص قديم', 0, 1),
                   (2, 'b', 'old.jsonl: line 2', '/home/me/news/b.html', 'نص آخر', 0, 2);
                INSERT INTO events (rowid, id, event_type, modes, factual, geokey, actors, actor_keys, story, record)
                    VALUES (1, 'e1', 'ASSAULT', '|', 1, '', '', '[]', 1, '{e1}');
                INSERT INTO event_mentions VALUES (1, 1, 'e1', NULL), (1, 2, 'e2', NULL);"#,
        ))
        .unwrap();
    }
    let s = SqliteStore::open(&p).unwrap();
    assert_eq!(s.schema_version().unwrap(), MIGRATIONS.len() as i64);
    let (e, _) = s.event("e1").unwrap().unwrap();
    let src = &e.record.sources;
    assert_eq!(src.len(), 2);
    assert_eq!(src[0].outlet.as_deref(), Some("alriyadh.com"));
    assert_eq!(src[0].external_id, None);
    // a local path stored as the address is not shown
    assert_eq!(
        (src[1].url.as_deref(), src[1].outlet.as_deref()),
        (None, None)
    );
    assert_eq!(s.document("a").unwrap().unwrap().outlet, None);
}

/// A version 4 database (no `updated_at`) migrates when opened read-only in a writable place:
/// its events take the time their latest document was ingested, and `updated_since` filters.
#[test]
fn version_4_database_gains_updated_at_on_a_read_only_open() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("v4.db");
    {
        let conn = Connection::open(&p).unwrap();
        for sql in &MIGRATIONS[..4] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 4).unwrap();
        let rec = serde_json::to_string(&marsad_record::testing::event(
            json!({"id": "e1", "event_type": "ASSAULT"}),
        ))
        .unwrap();
        conn.execute_batch(&format!(
            r#"INSERT INTO documents (rowid, id, text, simhash, story, ingested_at) VALUES (1, 'a', 'نص', 0, 1, '2019-05-01T10:00:00Z'), (2, 'b', 'نص آخر', 0, 2, '2019-06-01T10:00:00Z');
                INSERT INTO events (rowid, id, event_type, modes, factual, geokey, actors, actor_keys, story, record)
                    VALUES (1, 'e1', 'ASSAULT', '|', 1, '', '', '[]', 1, '{rec}');
                INSERT INTO event_mentions VALUES (1, 1, 'e1', NULL), (1, 2, 'e2', NULL);"#,
        ))
        .unwrap();
    }
    let s = SqliteStore::open_read_only(&p).unwrap();
    assert_eq!(s.schema_version().unwrap(), MIGRATIONS.len() as i64);
    let since = |t: &str| {
        let f = EventFilter {
            updated_since: Some(t.into()),
            limit: 10,
            ..Default::default()
        };
        s.events(&f).unwrap().len()
    };
    assert_eq!(since("2019-06-01T10:00:00.000Z"), 1);
    assert_eq!(since("2019-06-01T10:00:00.001Z"), 0);
    // new events and merged mentions take the time of their write
    drop(s);
    let mut w = SqliteStore::open(&p).unwrap();
    let mut d = NewDocument::from_text("c", "قصف على الموصل");
    d.events = vec![ev("e3", "2015-03-10", "التحالف")];
    w.write_batch(&[d]).unwrap();
    let f = EventFilter {
        updated_since: Some("2020-01-01T00:00:00.000Z".into()),
        limit: 10,
        ..Default::default()
    };
    let got: Vec<_> = w
        .events(&f)
        .unwrap()
        .into_iter()
        .map(|e| e.record.id)
        .collect();
    assert_eq!(got, ["e3"]);
}

#[test]
fn a_confidence_floor_abstains_on_the_events_below_it() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    let mut d = NewDocument::from_text("a", "قصف على الموصل وقصف على تكريت");
    let mut sure = ev("e1", "2015-02-20", "التحالف");
    sure.confidence = 0.9;
    let mut unsure = ev("e2", "2015-05-20", "الجيش");
    unsure.confidence = 0.4;
    d.events = vec![sure, unsure];
    s.write_batch(&[d]).unwrap();
    let ids = |c: Option<f64>| -> Vec<String> {
        let f = EventFilter {
            min_confidence: c,
            limit: 10,
            ..Default::default()
        };
        s.events(&f)
            .unwrap()
            .into_iter()
            .map(|e| e.record.id)
            .collect()
    };
    assert_eq!(ids(None).len(), 2);
    assert_eq!(ids(Some(0.6)), ["e1"]);
}

#[test]
fn words_that_describe_victims_are_no_actors_to_browse() {
    use crate::browse::Browse;
    let mut s = SqliteStore::open_in_memory().unwrap();
    let text = "أطلق مسلحون وسامر خليل النار على أشخاص في السوق فقتلوا شخصا";
    let span = |w: &str| {
        let a = text.find(w).unwrap();
        json!({"start": a, "end": a + w.len()})
    };
    let mut d = NewDocument::from_text("a", text);
    let a = text.find("سامر خليل").unwrap();
    d.entities = vec![marsad_record::Entity {
        start: a,
        end: a + "سامر خليل".len(),
        text: "سامر خليل".into(),
        kind: marsad_record::EntityType::Per,
        entity_id: None,
        name_en: None,
    }];
    d.events = vec![marsad_record::testing::event(json!({
        "id": "e1", "event_type": "ASSAULT", "modality": "asserted",
        "actors": [{"text": "مسلحون", "span": span("مسلحون"), "role": "militia"},
                   {"text": "سامر خليل", "span": span("سامر خليل")}],
        "recipients": [{"text": "أشخاص", "span": span("أشخاص")},
                       {"text": "شخصا", "span": span("شخصا")}]}))];
    s.write_batch(&[d]).unwrap();
    let f = EventFilter {
        limit: 10,
        ..Default::default()
    };
    let keys: Vec<String> = s
        .entities(&f, 10, 0)
        .unwrap()
        .into_iter()
        .map(|e| e.key)
        .collect();
    let key = marsad_text::normalize::key;
    assert_eq!(keys.len(), 2, "{keys:?}");
    assert!(keys.contains(&key("مسلحون")) && keys.contains(&key("سامر خليل")));
    let by = |w: &str| EventFilter {
        actor: Some(w.into()),
        ..f.clone()
    };
    assert_eq!(s.events(&by("سامر")).unwrap().len(), 1);
    assert!(s.events(&by("أشخاص")).unwrap().is_empty());
    // the record keeps the victims as the text describes them
    let (e, _) = s.event("e1").unwrap().unwrap();
    assert_eq!(e.record.recipients.len(), 2);
}

#[test]
fn a_record_decoded_and_written_again_keeps_every_digit() {
    // PostgreSQL keeps records as jsonb and writes them again from the record type; without
    // serde_json's exact float parsing (`float_roundtrip`) a coordinate came back one unit in
    // the last place off (-92.7072296142578 for -92.70722961425781) and the API's JSON
    // differed from SQLite's
    let mut e = ev("e1", "2018-01-02", "الجيش");
    e.location.as_mut().unwrap().lon = -92.70722961425781;
    e.location.as_mut().unwrap().lat = 37.60927963256836;
    let text = serde_json::to_string(&e).unwrap();
    assert!(text.contains("-92.70722961425781"), "{text}");
    let again = serde_json::to_string(&decode_record(&text).unwrap()).unwrap();
    assert_eq!(again, text);
}
