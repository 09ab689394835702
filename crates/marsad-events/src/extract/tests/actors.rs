//! The participants as the actor list knows them, without repeats, names that end where an
//! organization's begin, and the ACLED type their sides give. Sentences written for the tests.

use super::*;
use crate::Acled;
use marsad_ner::{Entity, EntityType};

/// The names the tagger would find in `text`: `(words, type, listed id)`.
fn entities(text: &str, names: &[(&str, EntityType, Option<&str>)]) -> Vec<Entity> {
    names
        .iter()
        .map(|(w, kind, id)| {
            let start = text.find(w).unwrap_or_else(|| panic!("{w} not in {text}"));
            Entity {
                start,
                end: start + w.len(),
                text: w.to_string(),
                kind: *kind,
                entity_id: id.map(str::to_string),
                name_en: id.and_then(marsad_ner::listed).map(|l| l.name_en.clone()),
            }
        })
        .collect()
}

/// The events of `text` with the whole extraction (detector and article-level steps included).
fn extract(text: &str, names: &[(&str, EntityType, Option<&str>)]) -> Vec<Event> {
    let doc = DocInput {
        id: "t",
        text,
        date: chrono::NaiveDate::from_ymd_opt(2016, 1, 2),
    };
    let ents = entities(text, names);
    Extractor::builtin().expect("built-in data parses").extract(
        &doc,
        &marsad_text::analyze(text),
        &ents,
        &[],
    )
}

fn acled(e: &Event) -> (&str, &str) {
    let a = e.acled.as_ref().expect("an ACLED type");
    (a.event_type.as_str(), a.sub_event_type.as_str())
}

fn assault(ev: &[Event]) -> &Event {
    ev.iter()
        .find(|e| e.event_type == Category::Assault)
        .unwrap_or_else(|| panic!("no assault in {ev:#?}"))
}

#[test]
fn a_listed_army_carries_its_country_and_sector() {
    let text = "قصفت القوات التركية مواقع لحزب العمال الكردستاني قرب الحدود أمس.";
    let ev = extract(
        text,
        &[
            ("القوات التركية", EntityType::Org, Some("turkish-army")),
            ("حزب العمال الكردستاني", EntityType::Org, Some("pkk")),
        ],
    );
    let a = &assault(&ev).actors[0];
    assert_eq!(a.entity_id.as_deref(), Some("turkish-army"));
    assert_eq!(
        (a.country.as_deref(), a.role.as_deref()),
        (Some("TR"), Some("military"))
    );
}

#[test]
fn an_unnamed_agent_takes_the_country_its_nisba_says() {
    let ev = extract("اعتقلت الشرطة المصرية عشرة أشخاص في القاهرة أمس.", &[]);
    let a = &ev[0].actors[0];
    assert_eq!(a.text, "الشرطة المصرية");
    assert_eq!(
        (a.country.as_deref(), a.role.as_deref()),
        (Some("EG"), Some("police"))
    );
}

#[test]
fn a_persons_name_ends_where_an_organizations_begins() {
    let text = "اتهم الناشط كارل هانسن مجلس الأمن الدولي بالتقصير أمس.";
    let names = [
        ("كارل هانسن", EntityType::Per, None),
        ("مجلس الأمن الدولي", EntityType::Org, Some("unsc")),
    ];
    let ev = extract(text, &names);
    let all: Vec<&str> = ev
        .iter()
        .flat_map(|e| e.participants())
        .map(|p| p.text.as_str())
        .collect();
    assert!(all.contains(&"مجلس الأمن الدولي"), "{all:?}");
    assert!(all.iter().all(|t| !t.contains("هانسن مجلس")), "{all:?}");
}

#[test]
fn one_group_named_again_is_one_participant() {
    // داعش named, then referred back to as التنظيم, in one happening
    let text = "هاجم داعش والتنظيم قرية في ريف حلب أمس، وقتل التنظيم خمسة جنود.";
    let ev = extract(text, &[("داعش", EntityType::Org, Some("isis"))]);
    let e = assault(&ev);
    let ids: Vec<_> = e.actors.iter().map(|p| p.entity_id.as_deref()).collect();
    assert_eq!(ids, [Some("isis")], "{:#?}", e.actors);
    assert_eq!(e.actors[0].text, "داعش");
}

#[test]
fn a_clash_between_armed_sides_is_a_battle() {
    let text = "اشتبك الجيش العراقي مع مسلحي داعش في الرمادي أمس.";
    let ev = extract(
        text,
        &[
            ("الجيش العراقي", EntityType::Org, Some("iraqi-army")),
            ("داعش", EntityType::Org, Some("isis")),
        ],
    );
    assert_eq!(acled(assault(&ev)), ("Battles", "Armed clash"));
    // an attack on soldiers is fighting too
    let ev = extract("هاجم مسلحون حاجزا قرب المدينة وقتلوا ثلاثة جنود أمس.", &[]);
    assert_eq!(acled(assault(&ev)), ("Battles", "Armed clash"));
}

#[test]
fn shooting_at_civilians_or_unnamed_victims_is_violence_against_civilians() {
    let ev = extract("أطلق مسلحون النار على مدنيين في سوق المدينة أمس.", &[]);
    assert_eq!(
        acled(assault(&ev)),
        ("Violence against civilians", "Attack")
    );
    let ev = extract("هاجم مسلحون قرية نائية وأحرقوا منازلها أمس.", &[]);
    assert_eq!(
        acled(assault(&ev)),
        ("Violence against civilians", "Attack")
    );
}

#[test]
fn strikes_and_bombs_stay_remote_violence_whoever_the_target() {
    let ev = extract("قصفت طائرات حربية حيا سكنيا في المدينة أمس.", &[]);
    assert_eq!(acled(assault(&ev)).0, "Explosions/Remote violence");
    let ev = extract("شنت طائرات التحالف غارات جوية على مواقع للمسلحين أمس.", &[]);
    assert_eq!(
        acled(assault(&ev)),
        ("Explosions/Remote violence", "Air/drone strike")
    );
}

#[test]
fn the_crosswalk_follows_the_sides() {
    let p = |role: &str| Participant {
        text: String::new(),
        span: marsad_text::Span::new(0, 0),
        entity_id: None,
        name_en: None,
        country: None,
        role: Some(role.into()),
    };
    let attack = Some(Acled {
        event_type: "Violence against civilians".into(),
        sub_event_type: "Attack".into(),
    });
    let t = |a: Option<Acled>| a.map(|a| a.event_type);
    let f = crate::extract::actors::assault_acled;
    assert_eq!(
        t(f(attack.clone(), false, &[p("rebels")], &[p("military")])).as_deref(),
        Some("Battles")
    );
    assert_eq!(
        t(f(attack.clone(), false, &[p("rebels")], &[p("civilians")])).as_deref(),
        Some("Violence against civilians")
    );
    assert_eq!(
        t(f(attack.clone(), true, &[p("police")], &[])).as_deref(),
        Some("Battles")
    );
    let abduction = Some(Acled {
        event_type: "Violence against civilians".into(),
        sub_event_type: "Abduction/forced disappearance".into(),
    });
    assert_eq!(
        f(abduction.clone(), false, &[p("rebels")], &[p("military")]),
        abduction
    );
}

#[test]
fn a_persons_attack_on_a_person_with_no_toll_is_words() {
    // "the president stepped up his attack on the opposition leader": criticism, no assault
    let text = "يكثف الرئيس أحمد سالم هجومه على المعارض خالد عمر قبل الانتخابات.";
    let names = [
        ("أحمد سالم", EntityType::Per, None),
        ("خالد عمر", EntityType::Per, None),
    ];
    // the rules' candidates: the detector is not asked
    let candidates = |text: &str| {
        let doc = DocInput {
            id: "t",
            text,
            date: None,
        };
        Extractor::builtin()
            .expect("built-in data parses")
            .candidates(
                &doc,
                &marsad_text::analyze(text),
                &entities(text, &names),
                &[],
            )
    };
    let ev = candidates(text);
    assert!(
        ev.iter().all(|e| e.event_type != Category::Assault),
        "{ev:#?}"
    );
    // with a toll it is force
    let ev = candidates("قتل خالد عمر في هجوم شنه أحمد سالم على منزله.");
    assert!(
        ev.iter().any(|e| e.event_type == Category::Assault),
        "{ev:#?}"
    );
}

/// The events of `text` with one organization entity, `name`, known to the actor list as `id`.
fn with_org(text: &str, name: &str, id: Option<&str>) -> Vec<Event> {
    let start = text.find(name).unwrap();
    let ent = marsad_ner::Entity {
        start,
        end: start + name.len(),
        text: name.into(),
        kind: marsad_ner::EntityType::Org,
        entity_id: id.map(str::to_string),
        name_en: None,
    };
    let doc = DocInput {
        id: "t",
        text,
        date: None,
    };
    Extractor::builtin().unwrap().candidates(
        &doc,
        &marsad_text::analyze(text),
        std::slice::from_ref(&ent),
        &[],
    )
}

/// A name after equipment is its model, not a side: «عربة "بي أم بي"».
#[test]
fn a_name_after_equipment_is_its_model_not_an_actor() {
    let ev = with_org(
        "دمرت القوات عربة \"بي أم بي\" تابعة للمسلحين.",
        "بي أم بي",
        None,
    );
    assert!(!ev.is_empty());
    for e in &ev {
        assert!(
            e.participants().all(|p| !p.text.contains("بي أم بي")),
            "{e:#?}"
        );
    }
}

/// A side the actor list knows after craft owns it: «شنت مقاتلات التحالف غارات».
#[test]
fn a_known_side_after_craft_is_its_owner() {
    let ev = with_org(
        "شنت مقاتلات التحالف غارات على مواقع المسلحين.",
        "التحالف",
        Some("coalition"),
    );
    assert!(
        ev.iter()
            .any(|e| e.actors.iter().any(|p| p.text.contains("التحالف"))),
        "{ev:#?}"
    );
}
