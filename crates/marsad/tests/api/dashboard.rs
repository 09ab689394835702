//! What analysts found on the dashboard (issue 20), as HTML the server sends: isolated names,
//! counts labelled for what they count, event pages that list their sources and point at the
//! evidence, search that matches inflections and marks its hits, timelines with years, and a
//! map that zooms to the chosen country.

use crate::support::server::{enc, fresh_db, Server};

/// The numbers of a map's `data-bbox`.
fn bbox_of(html: &str) -> [f64; 4] {
    let at = html.find("data-bbox=\"").expect("a map") + "data-bbox=\"".len();
    let end = at + html[at..].find('"').unwrap();
    let v: Vec<f64> = html[at..end]
        .split(',')
        .map(|x| x.parse().unwrap())
        .collect();
    [v[0], v[1], v[2], v[3]]
}

#[test]
fn the_event_page_lists_its_sources_and_points_at_the_evidence() {
    let (_dir, db) = fresh_db();
    let srv = Server::start(&db, &[]);
    let ev = srv.get("/events/ev-saraqib").text();
    // the evidence is the page's anchor, and the page links to it
    assert_eq!(ev.matches("id=\"evidence\"").count(), 1, "{ev}");
    assert!(ev.contains("<mark class=\"evidence\" id=\"evidence\""));
    assert!(ev.contains("href=\"#evidence\""));
    // the sources: both articles, each with its outlet, headline, date and a way to its evidence
    let table = &ev[ev
        .find("<table class=\"sources\">")
        .expect("a sources table")..];
    let table = &table[..table.find("</table>").unwrap()];
    assert_eq!(table.matches("<tr").count(), 3, "{table}"); // header + two articles
    assert!(
        table.contains("href=\"https://example.invalid/saraqib\""),
        "{table}"
    );
    assert!(table.contains("example.invalid"), "{table}");
    assert!(table.contains("غارة على سوق في سراقب"));
    assert!(table.contains("ناشطون: قتلى في سراقب"));
    assert!(table.contains("2018-03-05") && table.contains("2018-03-06"));
    assert!(table.contains("/events/ev-saraqib?doc=doc-saraqib-2#evidence"));
    assert!(
        table.contains("<tr aria-current=\"true\">"),
        "the article shown is marked"
    );
    // counts say what they count
    assert!(ev.contains("<bdi class=\"n\">2</bdi> articles"), "{ev}");
    // names are isolated from the text around them
    assert!(ev.contains("<bdi lang=\"ar\">طائرات حربية</bdi>"), "{ev}");
    assert!(!ev.contains("<span lang=\"ar\">طائرات"), "{ev}");

    // lists link each event to its evidence, and label articles and mentions apart
    let list = srv.get("/events?type=ASSAULT").text();
    assert!(list.contains("/events/ev-saraqib#evidence"));
    assert!(list.contains("Articles (mentions)"));
    let places = srv.get("/places").text();
    assert!(
        places.contains("Mentions") && !places.contains(">Articles <"),
        "{places}"
    );
    // countries by name, with the code beside it
    assert!(
        places.contains("<bdi>Syria</bdi> <span class=\"cc\">SY</span>"),
        "{places}"
    );
    let home = srv.get("/").text();
    assert!(
        home.contains(">Iraq · IQ ("),
        "the country filter names countries"
    );
}

#[test]
fn search_matches_inflections_counts_and_marks_hits_while_a_phrase_stays_exact() {
    let (_dir, db) = fresh_db();
    let srv = Server::start(&db, &[]);
    // الاحتجاج finds احتجاجا and الاحتجاجات in the Basra article
    let page = srv.get(&format!("/search?q={}", enc("الاحتجاج"))).text();
    assert!(
        page.contains("<bdi class=\"n\">1</bdi> articles match"),
        "{page}"
    );
    assert!(
        page.contains("<mark class=\"hit\">احتجاجا</mark>"),
        "{page}"
    );
    assert!(
        page.contains("<mark class=\"hit\">الاحتجاجات</mark>"),
        "{page}"
    );
    assert!(page.contains("/documents/doc-basra"));
    let v = srv
        .get(&format!("/api/v1/search?q={}", enc("الاحتجاج")))
        .json();
    assert_eq!(v["total"], 1, "{v}");
    let hit = &v["hits"][0];
    let snippet = hit["snippet"].as_str().unwrap();
    let marked: Vec<&str> = hit["marks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| &snippet[m[0].as_u64().unwrap() as usize..m[1].as_u64().unwrap() as usize])
        .collect();
    assert_eq!(marked, ["احتجاجا", "الاحتجاجات"], "{v}");
    // quoted, the word is matched exactly: no article has الاحتجاج itself
    let exact = srv.get(&format!("/search?q={}", enc("\"الاحتجاج\""))).text();
    assert!(
        exact.contains("<bdi class=\"n\">0</bdi> articles match"),
        "{exact}"
    );
    assert!(exact.contains("No articles match."));
    let v = srv
        .get(&format!("/api/v1/search?q={}", enc("\"الاحتجاجات ستستمر\"")))
        .json();
    assert_eq!(v["total"], 1, "{v}");
    // the value typed is shown escaped in the form
    let hostile = srv
        .get(&format!("/search?q={}", enc("\"><script>x</script>")))
        .text();
    assert!(!hostile.contains("<script>x"), "{hostile}");
}

#[test]
fn timelines_carry_years_and_the_map_zooms_to_the_chosen_country() {
    let (_dir, db) = fresh_db();
    let srv = Server::start(&db, &[]);
    let home = srv.get("/").text();
    let tl = &home[home.find("<svg class=\"timeline\"").expect("a timeline")..];
    let tl = &tl[..tl.find("</svg>").unwrap()];
    let ticks: Vec<&str> = tl
        .split("<text class=\"tick\"")
        .skip(1)
        .filter_map(|t| t.split('>').nth(1)?.strip_suffix("</text"))
        .filter(|t| t.contains('-'))
        .collect();
    assert!(!ticks.is_empty(), "{tl}");
    assert!(ticks.iter().all(|t| t.starts_with("2018")), "{ticks:?}");
    // the default view is the region; with a country chosen, the view is that country
    let mena = bbox_of(&home);
    let iq = bbox_of(&srv.get("/?country=IQ").text());
    assert!(
        iq[2] - iq[0] < (mena[2] - mena[0]) / 2.0,
        "{iq:?} vs {mena:?}"
    );
    assert!(
        iq[0] < 44.4 && 44.4 < iq[2] && iq[1] < 33.3 && 33.3 < iq[3],
        "{iq:?}"
    );
    // a bbox asked for still wins
    let b = bbox_of(&srv.get("/?country=IQ&bbox=35,29,49,38").text());
    assert!((b[0] - 35.0).abs() < 5.0, "{b:?}");
}
