//! Which words are events: accidents, homographs, one event per happening.

use super::found_with;
use super::run;
use crate::{Category, DocInput, Event, Extractor};

#[test]
fn one_happening_one_event() {
    let ev = run("انفجرت سيارة مفخخة في السوق ما أسفر عن مقتل ستة مدنيين وإصابة عشرة آخرين.");
    let a: Vec<&Event> = ev
        .iter()
        .filter(|e| e.event_type == Category::Assault)
        .collect();
    assert_eq!(a.len(), 1, "{a:#?}");
    assert_eq!(a[0].counts.killed.map(|c| c.value), Some(6));
    assert_eq!(a[0].counts.injured.map(|c| c.value), Some(10));
}

#[test]
fn disasters_and_accidents_are_not_assaults_but_attacks_in_them_are() {
    let assault = |t: &str| run(t).iter().any(|e| e.event_type == Category::Assault);
    assert!(!assault(
        "قتل 11 شخصا على الأقل بسبب زلزال ضرب هايتي مساء السبت."
    ));
    assert!(!assault("وأسفر الحريق عن مقتل 6 أشخاص وإصابة عشرة آخرين."));
    assert!(!assault("قتل 3 أشخاص في حادث اصطدام حافلة بشاحنة."));
    assert!(assault(
        "قتل 5 أشخاص في انفجار عبوة ناسفة أدى إلى حريق في السوق."
    ));
    assert!(assault("أحرق مسلحون منزلا ما أدى إلى حريق ومقتل امرأة."));
    assert!(assault("وقتل 20 شخصا في هجوم على القرية."));
    // the ruins of a disaster
    assert!(!assault("ودمرت العاصفة منازل مئات الأشخاص في الولاية."));
}

#[test]
fn in_a_disaster_report_deaths_with_no_attack_are_the_disasters() {
    let assault = |t: &str| run(t).iter().any(|e| e.event_type == Category::Assault);
    let lead = "أودت فيضانات اجتاحت البلاد هذا الأسبوع بحياة عشرات الأشخاص. \
                وقال مسؤولون إن الفيضانات غمرت ولايات عدة.";
    assert!(!assault(&format!(
        "{lead} وقتل 24 شخصا في قرية قريبة من العاصمة."
    )));
    // an attack in such a report is one
    assert!(assault(&format!(
        "{lead} وقتل مسلحون خمسة جنود في هجوم على حاجز."
    )));
    // a single word of disaster later in an article does not make it a disaster report
    assert!(assault(
        "وقتل 24 شخصا في قرية قريبة من العاصمة. وقال مسؤولون إن الفيضانات غمرت ولايات عدة."
    ));
}

#[test]
fn dawn_is_not_a_detonation() {
    let ev = run("ضرب زلزال بقوة 6 درجات فجر الاثنين قبالة السواحل.");
    assert!(ev.iter().all(|e| e.trigger.text != "فجر"), "{ev:#?}");
    let ev = run("فجر انتحاري نفسه في السوق.");
    assert!(ev.iter().any(|e| e.trigger.text == "فجر"), "{ev:#?}");
}

#[test]
fn security_forces_detonating_a_device_dispose_of_it() {
    let assault = |t: &str| run(t).iter().any(|e| e.event_type == Category::Assault);
    assert!(!assault("وفجرت قوات الأمن عبوة ناسفة عثرت عليها قرب السوق."));
    assert!(!assault("وفجر الجيش حزاما ناسفا عثر عليه في المبنى."));
    assert!(assault("فجر مسلحون عبوة ناسفة استهدفت دورية للجيش."));
}

#[test]
fn a_perfect_verb_is_read_before_a_first_person_imperfect_spelled_alike() {
    // وأصيب: the passive أُصيب, not أُصيبُ "I hit" of أصاب
    let ev = run("وأصيب ثلاثة جنود بجروح في القصف.");
    let e = ev.iter().find(|e| e.trigger.text == "وأصيب").unwrap();
    assert!(e.actors.is_empty(), "{e:#?}");
    assert!(e.recipients.iter().any(|p| p.text == "جنود"), "{e:#?}");
}

/// Whether the mention of `trigger` in `text` is stated by a verb in the perfect before it
/// (false where it is no candidate).
fn stated(text: &str, trigger: &str) -> bool {
    found_with(text, &[])
        .iter()
        .find(|f| f.event.trigger.text == trigger)
        .is_some_and(|f| f.stated && f.narrates)
}

#[test]
fn a_verb_in_the_perfect_states_the_act_of_its_noun() {
    assert!(stated(
        "شنت طائرات التحالف عدة غارات على مواقع المسلحين.",
        "غارات"
    ));
    assert!(stated(
        "شنت القوات الموالية للرئيس بدعم جوي هجمات على جيوب المتمردين.",
        "هجمات"
    ));
    assert!(stated(
        "واندلعت اشتباكات عنيفة بين الجيش والمسلحين في المدينة.",
        "اشتباكات"
    ));
    assert!(stated("وتعرضت القرى الحدودية لقصف مدفعي عنيف.", "لقصف"));
    // fighting that goes on now, told by the verb before or after it
    assert!(stated("وتشهد المدينة مواجهات عنيفة منذ أسبوع.", "مواجهات"));
    assert!(stated(
        "وقال مصدر إن المعارك تدور حاليا في محيط المدينة.",
        "المعارك"
    ));
    // the imperfect is habitual or to come; a verb in another clause states nothing of it
    assert!(!stated("تشن الطائرات غارات على المنطقة كل يوم.", "غارات"));
    assert!(!stated("وصل الوزير، وقال إن الغارات ستتوقف.", "الغارات"));
    assert!(!stated("وأدت الغارات إلى مقتل عشرة مدنيين.", "الغارات"));
    // a verbal noun spelled like the verb, and a verb with a pronoun (a relative's)
    assert!(!stated(
        "وثمة خيار آخر هو شن ضربات جوية على المعسكرات.",
        "ضربات جوية"
    ));
    assert!(!stated("لكثرة ما شهدته المنطقة من عمليات خطف وقتل.", "خطف"));
}

#[test]
fn a_stated_act_overrides_the_detector_only_with_who_or_where() {
    let here = |text: &str, trigger: &str| {
        let places: Vec<_> = text
            .contains("حلب")
            .then(|| super::place("حلب", text, "Aleppo", "SY"))
            .into_iter()
            .collect();
        found_with(text, &places)
            .iter()
            .find(|f| f.event.trigger.text == trigger)
            .is_some_and(|f| f.stated_here())
    };
    assert!(here("واندلعت اشتباكات عنيفة في حلب.", "اشتباكات"));
    assert!(!here("واندلعت اشتباكات عنيفة.", "اشتباكات"));
}

#[test]
fn mentions_of_one_trigger_word_share_its_stem_however_inflected() {
    let text = "وقتل مسلحون ثلاثة جنود في هجوم. وقال مصدر إن المسلحين قتلوا الجنود فجرا.";
    let found = found_with(text, &[]);
    let stem = |t: &str| {
        found
            .iter()
            .find(|f| f.event.trigger.text == t)
            .map(|f| f.stem.clone())
            .unwrap_or_else(|| panic!("no trigger {t}"))
    };
    assert_eq!(stem("وقتل"), stem("قتلوا"));
}

#[test]
fn a_verb_that_states_fighting_a_dozen_words_before_it_keeps_it() {
    // the verb and its noun with the place and the time between them: the verb says it took
    // place, so no detector may veto it
    let text =
        "شهدت القرى الواقعة على الطريق بين المدينتين طوال ليل أمس وصباح اليوم مواجهات عنيفة.";
    let found = found_with(text, &[]);
    let f = found
        .iter()
        .find(|f| f.event.event_type == Category::Assault)
        .unwrap_or_else(|| panic!("{text}: no assault"));
    assert!(f.stated, "{text}: {:#?}", f.event);
}

#[test]
fn a_bombing_a_relative_clause_describes_with_its_place_and_day_is_an_incident() {
    // the condemnation takes the bombing as known: no detector may drop it
    let text = "أدانت الأمانة بشدة حادث التفجير الانتحاري الجبان الذي استهدف مسجدا في أبها أمس.";
    let mut abha = super::place("أبها", text, "Abha", "SA");
    abha.precision = marsad_geo::Precision::Exact;
    let found = found_with(text, &[abha]);
    let f = found
        .iter()
        .find(|f| f.event.event_type == Category::Assault)
        .unwrap_or_else(|| panic!("{text}: no assault"));
    assert!(f.described, "{text}");
    assert!(f.incident(), "{text}: {:#?}", f.event);
    // a bare definite noun with no clause is no description
    let text = "أدانت الأمانة بشدة التفجير في أبها أمس.";
    let found = found_with(text, &[]);
    assert!(found.iter().all(|f| !f.described), "{text}");
}

#[test]
fn an_attack_on_a_named_person_with_its_place_and_day_is_an_incident() {
    let text = "وتتهم الحكومة المسلحين بالوقوف خلف الهجوم على الصحفي سامر الخطيب في الموصل يوم الرابع من مارس.";
    let name = "سامر الخطيب";
    let start = text.find(name).unwrap();
    let person = marsad_ner::Entity {
        start,
        end: start + name.len(),
        text: name.into(),
        kind: marsad_ner::EntityType::Per,
        entity_id: None,
        name_en: None,
    };
    let mut mosul = super::place("الموصل", text, "Mosul", "IQ");
    mosul.precision = marsad_geo::Precision::Exact;
    let doc = DocInput {
        id: "t",
        text,
        date: chrono::NaiveDate::from_ymd_opt(2015, 3, 20),
    };
    let found =
        Extractor::builtin()
            .unwrap()
            .found(&doc, &marsad_text::analyze(text), &[person], &[mosul]);
    let f = found
        .iter()
        .find(|f| f.event.event_type == Category::Assault)
        .unwrap_or_else(|| panic!("{text}: no assault"));
    assert!(f.named_victim, "{:#?}", f.event.recipients);
    assert!(f.incident(), "{:#?}", f.event);
}

#[test]
fn a_verb_of_commenting_whose_first_letter_is_waw_is_no_killing() {
    // وصفت "described", not و + صفت "and liquidated"
    let ev = run("وصفت الشرطة المسلحين بأنهم إرهابيون.");
    assert!(
        ev.iter().all(|e| e.event_type != crate::Category::Assault),
        "{ev:#?}"
    );
}

#[test]
fn an_imperfect_after_a_verb_of_becoming_is_a_state() {
    // "the forces have come to besiege the city": a state, not a happening
    for text in [
        "وقالت المصادر إن قوات الجيش باتت تحاصر المدينة من ثلاثة محاور.",
        "وأصبحت القوات تحاصر المدينة.",
    ] {
        let ev = run(text);
        assert!(
            ev.iter().all(|e| e.trigger.text != "تحاصر"),
            "{text}: {ev:#?}"
        );
    }
    // the same verb alone tells it
    assert!(run("قوات الجيش تحاصر المدينة منذ الصباح.")
        .iter()
        .any(|e| e.trigger.text == "تحاصر"));
}

#[test]
fn a_bomb_named_as_equipment_is_no_attack() {
    // explosive belts shown or listed are equipment; a bomb that kills is an attack
    let listed = run("وعرض التنظيم في التسجيل الأحزمة الناسفة وأنواعا أخرى من الذخائر.");
    assert!(
        listed.iter().all(|e| e.event_type != Category::Assault),
        "{listed:#?}"
    );
    let used = run("قتل خمسة أشخاص بعبوة ناسفة في السوق.");
    assert!(used.iter().any(|e| e.event_type == Category::Assault));
}

#[test]
fn a_business_leaving_is_no_retreat() {
    for text in [
        "وأعلنت شركات أوروبية أخرى انسحابها من البلاد تحسبا للعقوبات.",
        "وتواجه الحكومة انسحاب الشركات الأجنبية من السوق.",
    ] {
        let ev = run(text);
        assert!(
            ev.iter().all(|e| e.event_type != Category::Retreat),
            "{text}: {ev:#?}"
        );
    }
    let troops = run("وأعلنت القوات الأمريكية انسحابها من البلدة.");
    assert!(troops.iter().any(|e| e.event_type == Category::Retreat));
}
