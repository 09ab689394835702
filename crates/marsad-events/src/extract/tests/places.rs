//! Choosing the place of an event: what the clause tells as a place, and "the city".

use super::{place, run_with};
use crate::{Category, Event};
use marsad_geo::Precision;

/// A town named `text`, found in `doc` from byte `from` on.
fn town_from(text: &str, doc: &str, from: usize, name_en: &str) -> marsad_geo::Place {
    let start = from + doc[from..].find(text).unwrap();
    marsad_geo::Place {
        start,
        end: start + text.len(),
        precision: Precision::Exact,
        feature: "city".into(),
        ..place(text, doc, name_en, "SY")
    }
}

fn town(text: &str, doc: &str, name_en: &str) -> marsad_geo::Place {
    town_from(text, doc, 0, name_en)
}

fn places_of(ev: &[Event], cat: Category) -> Vec<String> {
    ev.iter()
        .filter(|e| e.event_type == cat)
        .map(|e| {
            e.location
                .as_ref()
                .map_or("-".into(), |l| l.name_en.clone())
        })
        .collect()
}

#[test]
fn a_capital_for_its_government_is_not_the_place() {
    // "the capture by Damascus of the town of Duma": the capital right after the verbal noun
    // stands for the government; the town after على بلدة is where it happened
    let doc = "وجاء ذلك بعد يوم من سيطرة دمشق مع فصائل حليفة على بلدة دوما في الغوطة.";
    let places = [town("دمشق", doc, "Damascus"), town("دوما", doc, "Douma")];
    let ev = run_with(doc, &places);
    assert_eq!(places_of(&ev, Category::Assault), ["Douma"], "{ev:#?}");
}

#[test]
fn a_bare_town_after_the_trigger_is_kept_when_nothing_else_is_a_town() {
    // "the shelling of Aleppo in northern Syria": Aleppo is what was shelled
    let doc = "وقتل عشرة مدنيين في قصف حلب في شمال سوريا أمس.";
    let places = [
        town("حلب", doc, "Aleppo"),
        place("سوريا", doc, "Syria", "SY"),
    ];
    let ev = run_with(doc, &places);
    let got = places_of(&ev, Category::Assault);
    assert!(
        !got.is_empty() && got.iter().all(|p| p == "Aleppo"),
        "{ev:#?}"
    );
}

#[test]
fn the_city_refers_back_to_the_town_last_named() {
    let doc = "وقال مسؤول في بغداد إن تعزيزات وصلت إلى مدينة تكريت صباح اليوم. وقتل خمسة \
               مدنيين في قصف على المدينة بعد الظهر.";
    let places = [town("بغداد", doc, "Baghdad"), town("تكريت", doc, "Tikrit")];
    let ev = run_with(doc, &places);
    assert_eq!(places_of(&ev, Category::Assault), ["Tikrit"], "{ev:#?}");
    let l = ev
        .iter()
        .find(|e| e.event_type == Category::Assault)
        .and_then(|e| e.location.as_ref())
        .unwrap();
    assert_eq!(l.text, "تكريت", "the place keeps the name it refers to");
}

#[test]
fn the_village_is_not_a_town_named_before_an_unknown_village() {
    // قرية البو عجيل is no town the gazetteer knows: "the village" is that one, not Tikrit
    let doc = "زار المحافظ مدينة سامراء أمس. وسيطر مسلحون على قرية البو عجيل قرب تكريت. وقتل \
               ثلاثة مدنيين في القرية.";
    let places = [town("سامراء", doc, "Samarra"), town("تكريت", doc, "Tikrit")];
    let ev = run_with(doc, &places);
    let killed = ev
        .iter()
        .find(|e| e.event_type == Category::Assault && e.counts.killed.is_some())
        .expect("the killing");
    assert!(
        killed
            .location
            .as_ref()
            .is_none_or(|l| l.name_en != "Tikrit" || l.span.start > doc.find("قرب").unwrap()),
        "{killed:#?}"
    );
}

#[test]
fn the_city_as_an_adjective_of_a_name_is_no_reference() {
    // المدينة المنورة is a name; a definite noun before a place it introduces is no anaphor
    let doc = "وصل وفد إلى مدينة جدة. واعتقلت الشرطة ثلاثة أشخاص في المدينة المنورة.";
    let from = doc.find("المدينة المنورة").unwrap();
    let places = [
        town("جدة", doc, "Jeddah"),
        town_from("المدينة المنورة", doc, from, "Medina"),
    ];
    let ev = run_with(doc, &places);
    assert_eq!(places_of(&ev, Category::Coerce), ["Medina"], "{ev:#?}");
}

#[test]
fn a_wide_place_narrowed_to_a_town_is_that_town() {
    let doc = "وقتل عشرة مدنيين في غارات على شمال سوريا، بما في ذلك بلدة سراقب، أمس.";
    let places = [
        place("سوريا", doc, "Syria", "SY"),
        town("سراقب", doc, "Saraqib"),
    ];
    let ev = run_with(doc, &places);
    assert_eq!(places_of(&ev, Category::Assault), ["Saraqib"], "{ev:#?}");
    // with no "including", the country stays
    let doc = "وقتل عشرة مدنيين في غارات على شمال سوريا أمس، وزار الوفد بلدة سراقب.";
    let places = [
        place("سوريا", doc, "Syria", "SY"),
        town("سراقب", doc, "Saraqib"),
    ];
    let ev = run_with(doc, &places);
    assert_eq!(places_of(&ev, Category::Assault), ["Syria"], "{ev:#?}");
}

#[test]
fn the_state_that_leads_a_side_is_not_where_it_struck() {
    let text = "قصفت طائرات التحالف بقيادة السعودية مواقع للمسلحين.";
    let saudi = super::place("السعودية", text, "Saudi Arabia", "SA");
    let ev = super::run_with(text, &[saudi]);
    let e = ev
        .iter()
        .find(|e| e.event_type == crate::Category::Assault)
        .unwrap_or_else(|| panic!("{ev:#?}"));
    assert_ne!(
        e.location.as_ref().map(|l| l.country.as_str()),
        Some("SA"),
        "{:#?}",
        e.location
    );
}

#[test]
fn the_state_that_backs_or_is_allied_with_a_side_is_not_where_it_fought() {
    for (text, name, en, cc) in [
        (
            "قصفت الطائرات مواقع الحوثيين الذين تدعمهم إيران.",
            "إيران",
            "Iran",
            "IR",
        ),
        (
            "هاجمت الفصائل الموالية لتركيا مواقع القوات الكردية.",
            "تركيا",
            "Turkey",
            "TR",
        ),
    ] {
        let p = super::place(name, text, en, cc);
        let ev = super::run_with(text, &[p]);
        let e = ev
            .iter()
            .find(|e| e.event_type == crate::Category::Assault)
            .unwrap_or_else(|| panic!("{text}: {ev:#?}"));
        assert_ne!(
            e.location.as_ref().map(|l| l.country.as_str()),
            Some(cc),
            "{text}: {:#?}",
            e.location
        );
    }
}

#[test]
fn a_town_north_of_another_is_the_place_not_its_reference_point() {
    // "in the province of Lahij, north of Taiz, the spokesman announced four rebels killed in an
    // ambush": Taiz only says where Lahij lies
    let doc = "وفي مدينة لحج، شمال تعز، أعلن المتحدث باسم القوات مقتل أربعة متمردين في كمين.";
    let mut taiz = town("تعز", doc, "Taiz");
    taiz.precision = Precision::Near;
    let places = [town("لحج", doc, "Lahij"), taiz];
    let ev = run_with(doc, &places);
    assert_eq!(places_of(&ev, Category::Assault), ["Lahij"], "{ev:#?}");
}

/// Each mention of a country named `text` in `doc`.
fn countries(text: &str, doc: &str, name_en: &str, code: &str) -> Vec<marsad_geo::Place> {
    doc.match_indices(text)
        .map(|(start, _)| marsad_geo::Place {
            start,
            end: start + text.len(),
            ..place(text, doc, name_en, code)
        })
        .collect()
}

#[test]
fn a_country_told_elsewhere_is_the_one_town_the_article_names_in_it() {
    // the lead places the crossings near Calais; the injury's sentence names only "the tunnel
    // between France and Britain", in another clause
    let doc = "حاول مئات المهاجرين العبور ليل الأحد قرب مدينة كاليه شمال فرنسا. \
               وأصيب شرطي بحجارة ألقاها مهاجر، بحسب مصدر، ويشهد النفق الذي يربط بين فرنسا \
               وبريطانيا محاولات عبور منذ أسابيع.";
    let calais = marsad_geo::Place {
        country: "FR".into(),
        ..town("كاليه", doc, "Calais")
    };
    let mut places = vec![calais];
    places.extend(countries("فرنسا", doc, "France", "FR"));
    places.extend(countries("وبريطانيا", doc, "United Kingdom", "GB"));
    places.sort_by_key(|p| p.start);
    let ev = run_with(doc, &places);
    assert_eq!(places_of(&ev, Category::Assault), ["Calais"], "{ev:#?}");

    // a town the gazetteer does not know (مدينة بامبلونا) may be the one told of: the country
    // stays
    let doc = "تظاهر الآلاف في مدينة بامبلونا شمال إسبانيا. وكان الرجال الخمسة قد جاؤوا من \
               إشبيلية. وأصيب شرطي بحجارة ألقاها متظاهر، بحسب مصدر، في يوم شهدت فيه إسبانيا \
               مظاهرات عدة.";
    let seville = marsad_geo::Place {
        country: "ES".into(),
        ..town("إشبيلية", doc, "Seville")
    };
    let mut places = vec![seville];
    places.extend(countries("إسبانيا", doc, "Spain", "ES"));
    places.sort_by_key(|p| p.start);
    let ev = run_with(doc, &places);
    let got = places_of(&ev, Category::Assault);
    assert!(
        !got.is_empty() && !got.contains(&"Seville".to_string()),
        "{ev:#?}"
    );
}

#[test]
fn a_place_told_as_one_wins_over_a_name_inside_a_noun_phrase() {
    // "a vigil the Christians of Mosul organised near the UN building in Erbil"
    let doc = "ونظم مسيحيو الموصل أمس وقفة احتجاجية قرب مبنى الأمم المتحدة في أربيل.";
    let places = [town("الموصل", doc, "Mosul"), town("أربيل", doc, "Erbil")];
    let ev = run_with(doc, &places);
    assert_eq!(places_of(&ev, Category::Protest), ["Erbil"], "{ev:#?}");
}

#[test]
fn where_another_clause_heads_is_not_the_place() {
    // the fighting is not at Masoura, which the army is advancing towards: the town is only
    // the article's place, which does not set the clashes apart from those told before
    let doc = "وأكد المركز أن المواجهات مستمرة، وسط تقدم القوات باتجاه منطقة مسورة شرق المدينة.";
    let found = super::found_with(doc, &[town("مسورة", doc, "Masoura")]);
    let f = found
        .iter()
        .find(|f| f.event.trigger.text == "المواجهات")
        .expect("the clashes");
    assert_eq!(
        f.place_from,
        crate::extract::PlaceFrom::Article,
        "{:#?}",
        f.event
    );
}

#[test]
fn where_someone_lives_is_not_the_place() {
    let doc = "اعتقلت الصحفية، التي تسكن في شمال لندن، في مطار طهران الشهر الماضي.";
    let places = [town("لندن", doc, "London"), town("طهران", doc, "Tehran")];
    assert_eq!(
        places_of(&run_with(doc, &places), Category::Coerce),
        ["Tehran"]
    );
}

#[test]
fn the_one_town_is_told_before_the_links_to_other_stories() {
    // the arrest is in Mecca; Riyadh is named by a link to another story after the article
    let doc = "اعتدى رجلان على رجل أمن في مكة بالسعودية. وذكرت الوكالة أن الجهات الأمنية قبضت على المعتدين.\nوأعلنت الرياض أن السعودية قدمت 100 مليون دولار.";
    let sa = |p: marsad_geo::Place| marsad_geo::Place {
        country: "SA".into(),
        ..p
    };
    let places = [
        sa(town("مكة", doc, "Makkah")),
        place("السعودية", doc, "Saudi Arabia", "SA"),
        sa(town("الرياض", doc, "Riyadh")),
        marsad_geo::Place {
            start: doc.rfind("السعودية").unwrap(),
            end: doc.rfind("السعودية").unwrap() + "السعودية".len(),
            ..place("السعودية", doc, "Saudi Arabia", "SA")
        },
    ];
    assert_eq!(
        places_of(&run_with(doc, &places), Category::Coerce),
        ["Makkah"]
    );
}
