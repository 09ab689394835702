//! Integration tests that run the real `marsad` binary.

#[path = "cli/analyst.rs"]
mod analyst;
mod support;

use std::path::Path;
use support::{example, marsad, run_with_stdin, succeeds};

fn check_offsets(v: &serde_json::Value, text: &str) {
    for t in v["tokens"].as_array().unwrap() {
        let (s, e) = (
            t["start"].as_u64().unwrap() as usize,
            t["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[s..e], t["text"].as_str().unwrap());
    }
    for key in ["sentences", "entities", "places"] {
        for x in v[key].as_array().unwrap() {
            let (s, e) = (
                x["start"].as_u64().unwrap() as usize,
                x["end"].as_u64().unwrap() as usize,
            );
            assert!(
                s <= e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e)
            );
            if let Some(t) = x.get("text").and_then(|t| t.as_str()) {
                assert_eq!(&text[s..e], t, "{key} text matches its span");
            }
        }
    }
}

#[test]
fn annotate_example_article() {
    let path = example("mosul-report.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let out = succeeds(marsad().args(["annotate", path.to_str().unwrap()]));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in ["id", "sentences", "tokens", "entities", "places", "events"] {
        assert!(v.get(key).is_some(), "output has {key}");
    }
    assert!(v["sentences"].as_array().unwrap().len() >= 3);
    check_offsets(&v, &text);
    // Egyptian spelling gets the standard key
    let fi = v["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["text"] == "فى")
        .unwrap();
    assert_eq!(fi["norm"], "في");
}

#[test]
fn annotate_stdin_empty_is_a_valid_empty_result() {
    let out = run_with_stdin(&["annotate", "-"], b"");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["tokens"].as_array().unwrap().len(), 0);
    assert_eq!(v["sentences"].as_array().unwrap().len(), 0);
}

#[test]
fn invalid_utf8_names_the_file_and_offset() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.txt");
    let mut bytes = "قتل جندي".as_bytes().to_vec();
    let at = bytes.len();
    bytes.extend_from_slice(&[0xff, 0xfe]);
    std::fs::write(&p, &bytes).unwrap();
    let out = marsad()
        .args(["annotate", p.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.txt") && err.contains(&format!("byte offset {at}")),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "nothing written half");
    let out = marsad()
        .args(["annotate", "--lossy", p.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
}

#[test]
fn oversized_document_is_refused_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("big.txt");
    std::fs::write(&p, "كلمة ".repeat(1000)).unwrap();
    let out = marsad()
        .args(["annotate", "--max-bytes", "1000", p.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("big.txt") && err.contains("limit"), "{err}");
}

/// `--max-bytes 18446744073709551615` overflowed (`max + 1` wrapped to 0) and refused every file
/// as empty (a huge `--batch` overflowed its allocation); `--offset 9223372036854775808` wrapped to a negative SQL offset and gave page one.
#[test]
fn huge_size_and_offset_options_saturate() {
    let dir = tempfile::tempdir().unwrap();
    let inp = dir.path().join("in");
    std::fs::create_dir(&inp).unwrap();
    std::fs::write(
        inp.join("good.txt"),
        "تظاهر المئات في بيروت احتجاجا على الغلاء وارتفاع الأسعار.",
    )
    .unwrap();
    let db = dir.path().join("m.db");
    let db = db.to_str().unwrap();
    let huge = "18446744073709551615";
    succeeds(
        marsad()
            .args([
                "ingest",
                "--quiet",
                "--max-bytes",
                huge,
                "--batch",
                huge,
                "--db",
                db,
            ])
            .arg(&inp),
    );
    let st = support::stats(db);
    assert_eq!(
        (st["documents"].as_u64(), st["rejected"].as_u64()),
        (Some(1), Some(0)),
        "{st}"
    );
    let out = succeeds(
        marsad()
            .args(["annotate", "--max-bytes", huge])
            .arg(inp.join("good.txt")),
    );
    assert!(!out.stdout.is_empty());

    let search = |offset: &str| {
        let out =
            succeeds(marsad().args(["search", "--json", "--db", db, "--offset", offset, "بيروت"]));
        String::from_utf8(out.stdout).unwrap().lines().count()
    };
    assert_eq!(search("0"), 1);
    assert_eq!(search("9223372036854775808"), 0);
    assert_eq!(search("18446744073709551615"), 0);
    let events = |offset: &str| {
        let out = succeeds(marsad().args([
            "events",
            "--json",
            "--all-modalities",
            "--db",
            db,
            "--offset",
            offset,
        ]));
        String::from_utf8(out.stdout).unwrap().lines().count()
    };
    assert_eq!(events("0"), 1);
    assert_eq!(events("9223372036854775808"), 0);
}

/// `--from 2020-1-1` was compared as text with stored dates; only YYYY-MM-DD is accepted, and the
/// error names the option.
#[test]
fn date_options_must_be_zero_padded_iso_dates() {
    let (_dir, db) = support::server::fresh_db();
    let db = db.to_str().unwrap();
    let ok = marsad()
        .args(["events", "--db", db, "--from", "2018-03-01"])
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    for (opt, v) in [("--from", "2020-1-1"), ("--to", "2020-01-01T00:00")] {
        let out = marsad()
            .args(["events", "--db", db, opt, v])
            .output()
            .unwrap();
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("{opt} {v:?}")), "{err}");
    }
}

#[test]
fn missing_file_is_named() {
    let out = marsad()
        .args(["annotate", "/nonexistent/x.txt"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/x.txt"));
}

#[test]
fn jsonl_bad_lines_are_reported_and_the_rest_processed() {
    let input = concat!(
        "{\"id\": \"a\", \"text\": \"قتل جندي في الموصل.\", \"date\": \"2015-02-20\"}\n",
        "not json\n",
        "{\"id\": \"c\", \"title\": \"no text\"}\n",
        "\n",
        "{\"id\": 7, \"text\": \"تظاهر المئات في بيروت.\"}\n",
        "{\"text\": \"\"}\n",
    );
    let out = run_with_stdin(&["annotate", "--jsonl", "-"], input.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 2") && err.contains("not JSON"), "{err}");
    assert!(err.contains("line 3") && err.contains("text"), "{err}");
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["id"], "a");
    assert_eq!(lines[1]["id"], "7");
    assert_eq!(lines[2]["tokens"].as_array().unwrap().len(), 0);
}

#[test]
fn jsonl_bad_utf8_line_does_not_stop_the_batch() {
    let mut input = b"{\"id\": \"a\", \"text\": \"\xff\"}\n".to_vec();
    input.extend_from_slice("{\"id\": \"b\", \"text\": \"نص\"}\n".as_bytes());
    let out = run_with_stdin(&["annotate", "--jsonl", "-"], &input);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 1"));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
}

#[test]
fn jsonl_oversized_line_is_rejected_and_the_rest_processed() {
    let big = format!(
        "{{\"id\": \"big\", \"text\": \"{}\"}}\n",
        "كلمة ".repeat(2000)
    );
    let input = format!("{big}{{\"id\": \"ok\", \"text\": \"نص قصير\"}}\n");
    let out = run_with_stdin(
        &["annotate", "--jsonl", "--max-bytes", "2000", "-"],
        input.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 1") && err.contains("limit"), "{err}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 1);
    assert!(stdout.contains("\"ok\""));
}

#[test]
fn train_detector_writes_a_pooled_detector_into_the_given_file() {
    let dir = tempfile::tempdir().unwrap();
    let (assault, protest) = tiny_gold_standard(dir.path());
    let model = dir.path().join("det.toml");
    let pool = format!("{}:ASSAULT", assault.display());
    let out = succeeds(
        marsad()
            .args([
                "train",
                "detector",
                "--type",
                "PROTEST",
                "--folds",
                "2",
                "--repeats",
                "2",
            ])
            .arg("--gsr")
            .arg(&protest)
            .args(["--pool", &pool])
            .arg("--model")
            .arg(&model),
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("cross-validated ×2"));
    let written = std::fs::read_to_string(&model).unwrap();
    assert!(written.contains("[models.PROTEST]"), "{written}");
    assert!(!written.contains("[models.ASSAULT]"), "{written}");
    // a pool without its type is refused with the spec named (through the old spelling, which
    // says what it is now)
    let refused = |words: &[&str], model: &Path, pool: &[&str]| {
        let out = marsad()
            .args(words)
            .args(["--type", "PROTEST", "--gsr"])
            .arg(&protest)
            .args(pool)
            .arg("--model")
            .arg(model)
            .output()
            .unwrap();
        assert!(!out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let err = refused(
        &["eval", "events", "--train"],
        &model,
        &["--pool", "nofile.csv"],
    );
    assert!(err.contains("nofile.csv"), "{err}");
    assert!(err.contains("is now `marsad train detector`"), "{err}");
    // a detector file that does not parse is an error naming it, and is left as it was
    let corrupt = dir.path().join("corrupt.toml");
    let bad = "[models.PROTEST\nthreshold = ";
    std::fs::write(&corrupt, bad).unwrap();
    let err = refused(&["train", "detector"], &corrupt, &[]);
    assert!(err.contains("corrupt.toml: not a detector file"), "{err}");
    assert_eq!(std::fs::read_to_string(&corrupt).unwrap(), bad);
}

#[test]
fn bench_pipeline_reports_each_stage() {
    let out = succeeds(
        marsad()
            .args(["bench", "pipeline", "--passes", "1"])
            .arg(example("articles.jsonl")),
    );
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.starts_with("5 articles"), "{s}");
    for stage in ["text", "entities", "places", "events"] {
        assert!(s.lines().any(|l| l.trim_start().starts_with(stage)), "{s}");
    }
    assert!(s.contains("events add"), "{s}");
}

#[test]
fn seed_report_entities_are_all_found_with_their_type_and_name() {
    let Some(shared) = support::shared("seed_report_entities", "seed") else {
        return;
    };
    let text = std::fs::read_to_string(shared.join("article.txt")).unwrap();
    let expected = std::fs::read_to_string(shared.join("expected.json")).unwrap();
    let expected: serde_json::Value = serde_json::from_str(&expected).unwrap();
    let out = run_with_stdin(&["annotate", "-"], text.as_bytes());
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found = v["entities"].as_array().unwrap();
    let want = expected["entities"].as_array().unwrap();
    assert_eq!(want.len(), 14);
    for w in want {
        let hit = found.iter().find(|e| {
            e["type"] == w["type"]
                && e["text"]
                    .as_str()
                    .is_some_and(|t| t.contains(w["text"].as_str().unwrap()))
        });
        let hit = hit.unwrap_or_else(|| panic!("{w} not found"));
        if let Some(en) = w.get("name_en") {
            assert!(
                found
                    .iter()
                    .any(|e| e["type"] == w["type"] && e.get("name_en") == Some(en)),
                "{w}: no mention with that English name (first found: {hit})"
            );
        }
    }
}

#[test]
fn ner_tag_keeps_tokens_and_sentence_breaks_and_eval_picks_the_gold_files_conventions() {
    let dir = tempfile::tempdir().unwrap();
    // extra columns are ignored; -DOCSTART- ends a document and comes back as read
    let input = "قال O x\nالرئيس O x\nالعراقي O x\nفي O x\nبغداد B-LOC x\n. O x\n\n-DOCSTART- O\n\nوصل O\nالوزير O\nإلى O\nدمشق B-LOC\n";
    let conll = dir.path().join("in.conll");
    std::fs::write(&conll, input).unwrap();
    let out = succeeds(marsad().args(["tag", conll.to_str().unwrap(), "--format", "conll"]));
    let text = String::from_utf8(out.stdout).unwrap();
    let (got, want): (Vec<&str>, Vec<&str>) = (text.lines().collect(), input.lines().collect());
    assert_eq!(got.len(), want.len(), "{text}");
    let tags = [
        "O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC",
    ];
    for (g, w) in got.iter().zip(&want) {
        if w.is_empty() {
            assert!(g.is_empty(), "a sentence break moved: {text}");
            continue;
        }
        let f: Vec<&str> = g.split(' ').collect();
        assert_eq!(f.len(), 2, "{g}");
        assert_eq!(f[0], w.split(' ').next().unwrap());
        assert!(tags.contains(&f[1]), "{g}");
    }
    assert!(got.contains(&"بغداد B-LOC"), "{text}");
    assert!(got.contains(&"دمشق B-LOC"), "{text}");
    // eval ner: the tag spelling of the gold file picks the conventions it is scored in
    for (spelling, view) in [("PERS", "anercorp"), ("PER", "aqmar")] {
        let gold = dir.path().join(format!("{view}.conll"));
        std::fs::write(
            &gold,
            format!("قال O\nمحمد B-{spelling}\nإن O\nبغداد B-LOC\nآمنة O\n"),
        )
        .unwrap();
        let out = succeeds(marsad().args(["eval", "ner", "--gold", gold.to_str().unwrap()]));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("scoring in the {view} view")),
            "{err}"
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("| micro |"));
    }
}

#[test]
fn train_ner_refit_ships_a_model_trained_on_train_and_dev() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n).to_str().unwrap().to_string();
    let names = ["محمد", "علي", "أحمد", "سعيد", "خالد"];
    let places = ["بغداد", "دمشق", "القاهرة", "عمان", "بيروت"];
    let mut aner = String::new();
    for i in 0..10 {
        aner.push_str(&format!(
            "قال O\n{} B-PERS\nفي O\n{} B-LOC\n\n",
            names[i % 5],
            places[(i + 1) % 5]
        ));
    }
    std::fs::write(p("aner.txt"), &aner).unwrap();
    std::fs::create_dir(p("aqmar")).unwrap();
    for f in ["train.txt", "dev.txt"] {
        std::fs::write(
            p(&format!("aqmar/{f}")),
            "زار O\nعلي B-PER\nبغداد B-LOC\n\n",
        )
        .unwrap();
    }
    let clusters = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/clusters.bin");
    let clusters = clusters.to_str().unwrap();
    let train = |extra: &[&str]| {
        let mut c = marsad();
        c.args([
            "train",
            "ner",
            "--anercorp",
            &p("aner.txt"),
            "--aqmar",
            &p("aqmar"),
        ])
        .args(["--mix", "anercorp,aqmar", "--views", "--dev-frac", "0.2"])
        .args(["--no-gazetteer", "--clusters", clusters, "--epochs", "2"])
        .args(["--out", &p("ner.bin"), "--card", &p("ner.md")])
        .args(extra);
        c
    };
    let out = succeeds(&mut train(&[
        "--type-bias",
        "0,0,1,1",
        "--aux-pa",
        "100",
        "--refit",
    ]));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("ANERcorp dev (last 2 sentences"),
        "{stdout}"
    );
    let card = std::fs::read_to_string(p("ner.md")).unwrap();
    // the shipped model saw all ten ANERcorp sentences and both AQMAR files
    assert!(card.contains("## Refit"), "{card}");
    assert!(card.contains("anercorp: 10 sentences"), "{card}");
    assert!(card.contains("aqmar: 2 sentences"), "{card}");
    assert!(card.contains("type bias 0,0,1,1"), "{card}");
    assert!(
        card.contains("(PA-I) steps") && card.contains("K = 100"),
        "{card}"
    );
    std::fs::write(p("in.conll"), "قال\nمحمد\nفي\nبغداد\n").unwrap();
    let tagged = succeeds(
        marsad()
            .args(["tag", &p("in.conll"), "--format", "conll"])
            .args(["--model", &p("ner.bin"), "--clusters", clusters]),
    );
    assert_eq!(String::from_utf8_lossy(&tagged.stdout).lines().count(), 4);
    // cross-validation scores every block of the ANERcorp file and writes nothing
    std::fs::remove_file(p("ner.bin")).unwrap();
    let cv = succeeds(&mut train(&["--cv", "2"]));
    let stdout = String::from_utf8_lossy(&cv.stdout);
    assert!(
        stdout.contains("fold 1/2: ANERcorp sentences 0..5"),
        "{stdout}"
    );
    assert!(
        stdout.contains("fold 2/2: ANERcorp sentences 5..10"),
        "{stdout}"
    );
    assert!(stdout.contains("cv 2 — ANERcorp pooled F1"), "{stdout}");
    assert!(
        stdout.contains("| micro |") && stdout.contains("| 10 |"),
        "{stdout}"
    );
    assert!(!Path::new(&p("ner.bin")).exists());
    // one block of the two, its held-out tagging written as `token gold predicted` lines
    let cv = succeeds(&mut train(&[
        "--cv",
        "2",
        "--cv-folds",
        "2",
        "--cv-out",
        &p("cv.tsv"),
    ]));
    let stdout = String::from_utf8_lossy(&cv.stdout);
    assert!(!stdout.contains("fold 1/2"), "{stdout}");
    assert!(stdout.contains("fold 2/2"), "{stdout}");
    let tsv = std::fs::read_to_string(p("cv.tsv")).unwrap();
    let rows: Vec<Vec<&str>> = tsv
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| l.split(' ').collect())
        .collect();
    assert_eq!(rows.len(), 20, "{tsv}");
    assert_eq!(tsv.matches("\n\n").count(), 5, "{tsv}");
    assert!(rows.iter().all(|r| r.len() == 3), "{tsv}");
    assert_eq!(rows[1][0], names[5 % 5]);
    assert_eq!(rows[1][1], "B-PERS");
    // self-training, stacked: each jackknife block's lexicon is counted by a first model that
    // did not see that block, and cached beside the main one; a rerun reads the caches and
    // gives the same scores
    let mut corpus = String::new();
    for i in 0..6 {
        corpus.push_str(&format!(
            "{{\"id\": \"d{i}\", \"text\": \"قال {} في {} أمس.\"}}\n",
            names[i % 5],
            places[(i + 2) % 5]
        ));
    }
    std::fs::write(p("news.jsonl"), corpus).unwrap();
    let stacked = |extra: &[&str]| {
        let mut args = vec![
            "--self-train",
            &p("news.jsonl"),
            "--self-train-min",
            "1",
            "--jackknife",
            "2",
            "--lexicon-cache",
            &p("lex.bin"),
        ]
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>();
        args.extend(extra.iter().map(|s| s.to_string()));
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        succeeds(&mut train(&refs))
    };
    let first = stacked(&["--dry-run"]);
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(stderr.contains("jackknife block 2/2"), "{stderr}");
    for f in ["lex.bin", "lex.bin.jk0of2", "lex.bin.jk1of2"] {
        assert!(Path::new(&p(f)).exists(), "{f} not written");
    }
    let again = stacked(&["--dry-run"]);
    let tables = |o: &std::process::Output| {
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .filter(|l| l.starts_with('|'))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(tables(&first).contains("| micro |"));
    assert_eq!(tables(&first), tables(&again));
    // with --cv, each block caches its own lexicons
    stacked(&["--cv", "2"]);
    for f in ["lex.bin.cv1of2", "lex.bin.cv2of2.jk1of2"] {
        assert!(Path::new(&p(f)).exists(), "{f} not written");
    }
    // a jackknife without self-training, or of one block, is refused
    for extra in [
        &["--jackknife", "3"][..],
        &["--self-train", "x", "--jackknife", "1"],
    ] {
        let bad = train(extra).output().unwrap();
        assert!(!bad.status.success());
        assert!(String::from_utf8_lossy(&bad.stderr).contains("--jackknife"));
    }
    let bad = train(&["--cv", "2", "--cv-folds", "3"]).output().unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--cv-folds"));
    let bad = train(&["--cv", "1"]).output().unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--cv"));
    // a malformed type bias is refused before any training, naming the option
    let bad = train(&["--type-bias", "1,2", "--dry-run"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--type-bias"));
    // so is a negative PA scale
    let bad = train(&["--aux-pa=-1", "--dry-run"]).output().unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--aux-pa"));
}

#[test]
fn eval_articles_scores_whole_articles_and_lists_the_errors() {
    let dir = tempfile::tempdir().unwrap();
    let text = "قتل خمسة أشخاص في هجوم على سوق في مدينة الموصل أمس. وتظاهر المئات في بغداد احتجاجا على الهجوم.";
    let at = |w: &str| {
        let s = text.find(w).unwrap();
        serde_json::json!([s, s + w.len()])
    };
    let articles = dir.path().join("articles.jsonl");
    std::fs::write(
        &articles,
        format!(
            "{}\n",
            serde_json::json!({"id": "a1", "date": "2018-03-05", "text": text})
        ),
    )
    .unwrap();
    let gold = dir.path().join("gold.jsonl");
    let events = serde_json::json!([
        {"type": "ASSAULT", "evidence": at("قتل خمسة أشخاص في هجوم على سوق في مدينة الموصل أمس"),
         "trigger": at("هجوم"), "killed": 5, "modality": "asserted",
         "location": {"country": "IQ", "geonameid": 99072}},
        {"type": "PROTEST", "evidence": at("وتظاهر المئات في بغداد"), "trigger": at("وتظاهر"),
         "modality": "asserted", "location": {"country": "IQ"}}
    ]);
    std::fs::write(
        &gold,
        format!("{}\n", serde_json::json!({"id": "a1", "events": events})),
    )
    .unwrap();
    let errors = dir.path().join("errors.tsv");
    let out = succeeds(
        marsad()
            .args(["eval", "articles", "--gold"])
            .arg(&gold)
            .arg("--articles")
            .arg(&articles)
            .arg("--errors")
            .arg(&errors),
    );
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("events tp="), "{report}");
    assert!(report.contains("1 articles; by type:"), "{report}");
    assert!(report.contains("modality: gold"), "{report}");
    // the same figures from an annotate output given with --pred
    let pred = dir.path().join("pred.jsonl");
    let annotated = succeeds(marsad().args(["annotate", "--jsonl"]).arg(&articles));
    std::fs::write(&pred, &annotated.stdout).unwrap();
    let again = succeeds(
        marsad()
            .args(["eval", "articles", "--gold"])
            .arg(&gold)
            .arg("--articles")
            .arg(&articles)
            .arg("--pred")
            .arg(&pred),
    );
    assert_eq!(String::from_utf8_lossy(&again.stdout), report);
    // every error line names its kind and article
    for line in std::fs::read_to_string(&errors).unwrap().lines() {
        let f: Vec<&str> = line.split('\t').collect();
        assert!(
            ["FN", "FP", "ARG"].contains(&f[0]) && f[1] == "a1",
            "{line}"
        );
    }
    // a detector learned from gold-standard sentences and these articles: every model at once,
    // and cross-validated over the articles
    let (assault, protest) = tiny_gold_standard(dir.path());
    let model = dir.path().join("det.toml");
    let out = succeeds(
        marsad()
            .args(["train", "detector", "--folds", "2", "--assault-gsr"])
            .arg(&assault)
            .arg("--protest-gsr")
            .arg(&protest)
            .arg("--articles")
            .arg(dir.path())
            .arg("--model")
            .arg(&model),
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("ASSAULT gold-standard sentences, 2-fold"),
        "{said}"
    );
    let written = std::fs::read_to_string(&model).unwrap();
    assert!(
        written.contains("[models.ASSAULT]") && written.contains("[models.PROTEST]"),
        "{written}"
    );
    let out = succeeds(
        marsad()
            .args(["eval", "articles", "--cv", "2", "--gold"])
            .arg(&gold)
            .arg("--articles")
            .arg(&articles)
            .arg("--assault-gsr")
            .arg(&assault)
            .arg("--protest-gsr")
            .arg(&protest),
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("events tp="));
}

/// Two tiny gold-standard files (assault and protest sentences) in `dir`.
fn tiny_gold_standard(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let header = "id,event_type,label,accept,reject,total,text\n";
    let (mut p, mut a) = (String::from(header), String::from(header));
    for i in 0..6 {
        p.push_str(&format!(
            "x_20080101.1-{i},PROTEST,yes,3,0,3,تظاهر آلاف المحتجين أمس أمام البرلمان في عمان.\n\
             y_20080101.1-{i},PROTEST,easy no,0,3,3,\"ناقش المؤتمر ظاهرة المظاهرات في التاريخ.\"\n"
        ));
        a.push_str(&format!(
            "z_20080101.1-{i},ASSAULT,yes,3,0,3,قتل مسلحون خمسة جنود أمس في هجوم على حاجز.\n\
             w_20080101.1-{i},ASSAULT,easy no,0,3,3,\"تناول الكتاب جرائم القتل في الروايات.\"\n"
        ));
    }
    let (protest, assault) = (dir.join("protest.csv"), dir.join("assault.csv"));
    std::fs::write(&protest, p).unwrap();
    std::fs::write(&assault, a).unwrap();
    (assault, protest)
}

/// A database of the example articles, ingested by the binary.
fn example_db(dir: &Path) -> String {
    let db = dir.join("m.db").to_str().unwrap().to_string();
    let art = example("articles.jsonl");
    succeeds(marsad().args(["ingest", "--quiet", "--db", &db, art.to_str().unwrap()]));
    db
}

#[test]
fn export_acled_has_acleds_columns_and_csv_quotes_codes_with_an_optional_bom() {
    let dir = tempfile::tempdir().unwrap();
    let db = example_db(dir.path());
    let out = succeeds(marsad().args(["export", "--format", "acled", "--db", &db]));
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,\
         actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,\
         iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,\
         source_scale,notes,fatalities,tags,timestamp"
    );
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    assert!(!rows.is_empty(), "the examples have ACLED-coded events");
    for r in &rows {
        assert_eq!(r.len(), 31);
        assert!(!r[27].is_empty(), "notes hold the evidence");
        assert!(
            r[17].chars().all(|c| !c.is_ascii_digit()),
            "country is a name"
        );
    }
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("events: {} rows", rows.len())),
        "{err}"
    );

    let out = succeeds(marsad().args(["export", "--format", "csv", "--bom", "--db", &db]));
    assert_eq!(&out.stdout[..3], b"\xEF\xBB\xBF", "BOM first");
    let text = String::from_utf8(out.stdout[3..].to_vec()).unwrap();
    assert!(text.starts_with("event_id,event_date,"));
    for line in text.lines().skip(1) {
        assert!(
            line.ends_with('"'),
            "cameo, the last cell, quoted as text: {line}"
        );
    }
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let h = r.headers().unwrap().clone();
    let lat = h.iter().position(|c| c == "latitude").unwrap();
    for row in r.records() {
        let v = row.unwrap()[lat].to_string();
        let decimals = v.split('.').nth(1).map_or(0, str::len);
        assert!(decimals <= 5, "5 decimals at most: {v}");
    }
    let out = succeeds(marsad().args(["export", "--format", "csv", "--db", &db]));
    assert!(out.stdout.starts_with(b"event_id,"), "no BOM unless asked");
}

#[test]
fn export_geojson_counts_events_without_a_place_and_features_are_flat() {
    let dir = tempfile::tempdir().unwrap();
    let db = example_db(dir.path());
    let file = dir.path().join("e.geojson");
    let f = file.to_str().unwrap();
    let out = succeeds(marsad().args(["export", "--format", "geojson", "--db", &db, "-o", f]));
    let g: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let features = g["features"].as_array().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let n = support::run(&["export", "--format", "jsonl", "--db", &db]).stdout;
    let events = n.iter().filter(|&&b| b == b'\n').count();
    assert!(
        err.contains(&format!(
            "{events} events: {} features, {} without a place",
            features.len(),
            events - features.len()
        )),
        "{err}"
    );
    for x in features {
        assert!(x["id"].is_string());
        for (k, v) in x["properties"].as_object().unwrap() {
            assert!(!v.is_object() && !v.is_array(), "{k} is flat");
        }
    }
}

#[test]
fn export_parquet_to_stdout_in_row_groups_with_typed_columns() {
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let dir = tempfile::tempdir().unwrap();
    let db = example_db(dir.path());
    let out = succeeds(marsad().args([
        "export",
        "--format",
        "parquet",
        "--db",
        &db,
        "--row-group-size",
        "2",
        "-o",
        "-",
    ]));
    let b = ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(out.stdout)).unwrap();
    let rows = b.metadata().file_metadata().num_rows();
    assert!(rows > 2, "{rows} rows");
    assert!(b.metadata().num_row_groups() > 1);
    let s = b.schema().clone();
    for (c, want) in [("date", "Date32"), ("lat", "Float64"), ("killed", "Int64")] {
        let t = format!("{:?}", s.field_with_name(c).unwrap().data_type());
        assert_eq!(t, want, "{c}");
    }
    for c in [
        "cameo",
        "acled_event_type",
        "trigger",
        "evidence",
        "sources",
    ] {
        let t = format!("{:?}", s.field_with_name(c).unwrap().data_type());
        assert_eq!(t, "Utf8", "{c}");
    }
}

/// The ids and dates (`None`: no date) of the rows of one Parquet file.
fn parquet_ids_and_dates(bytes: Vec<u8>) -> Vec<(String, Option<i32>)> {
    use arrow_array::{Array, Date32Array, StringArray};
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let reader = ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(bytes)).unwrap();
    let mut out = Vec::new();
    for batch in reader.build().unwrap() {
        let batch = batch.unwrap();
        let ids = batch.column_by_name("id").unwrap();
        let dates = batch.column_by_name("date").unwrap();
        let ids = ids.as_any().downcast_ref::<StringArray>().unwrap();
        let dates = dates.as_any().downcast_ref::<Date32Array>().unwrap();
        for i in 0..batch.num_rows() {
            let d = (!dates.is_null(i)).then(|| dates.value(i));
            out.push((ids.value(i).to_string(), d));
        }
    }
    out
}

#[test]
fn export_parquet_partitioned_by_date_reads_back_and_replaces_whole() {
    let dir = tempfile::tempdir().unwrap();
    let db = example_db(dir.path());
    let whole = succeeds(marsad().args(["export", "--format", "parquet", "--db", &db]));
    let mut want = parquet_ids_and_dates(whole.stdout);
    want.sort();
    assert!(!want.is_empty());
    let parts = dir.path().join("events");
    for round in 0..2 {
        // the second round replaces the first folder
        let out = succeeds(marsad().args([
            "export",
            "--format",
            "parquet",
            "--partition",
            "date",
            "--db",
            &db,
            "-o",
            parts.to_str().unwrap(),
        ]));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("date partitions"), "{err}");
        let mut got = Vec::new();
        for folder in std::fs::read_dir(&parts).unwrap() {
            let folder = folder.unwrap().path();
            let name = folder.file_name().unwrap().to_str().unwrap().to_string();
            let value = name.strip_prefix("date=").expect("date=… folders only");
            let files: Vec<_> = std::fs::read_dir(&folder).unwrap().collect();
            assert_eq!(files.len(), 1, "{name}: one part");
            let rows = parquet_ids_and_dates(std::fs::read(folder.join("part-0.parquet")).unwrap());
            assert!(!rows.is_empty());
            for (id, d) in &rows {
                let day = d.map(|d| {
                    (chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()
                        + chrono::Duration::days(d.into()))
                    .to_string()
                });
                let want_value = day.as_deref().unwrap_or("__HIVE_DEFAULT_PARTITION__");
                assert_eq!(value, want_value, "{id} in {name}");
            }
            got.extend(rows);
        }
        got.sort();
        assert_eq!(got, want, "round {round}: the same events as one file");
        // nothing half-written is left beside it
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }
    // a folder of files needs a name, and is Parquet
    let out = marsad()
        .args([
            "export",
            "--format",
            "parquet",
            "--partition",
            "date",
            "--db",
            &db,
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("-o DIR"));
    let out = marsad()
        .args([
            "export",
            "--format",
            "csv",
            "--partition",
            "date",
            "--db",
            &db,
            "-o",
            "x",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
}
