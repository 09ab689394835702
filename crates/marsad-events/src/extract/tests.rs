//! Extraction tests: arguments, counts, modality, attribution, money, merging.

use super::*;
use crate::{Bound, Modality};
use marsad_geo::Precision;

fn run_with(text: &str, places: &[marsad_geo::Place]) -> Vec<Event> {
    let doc = DocInput {
        id: "t",
        text,
        date: chrono::NaiveDate::from_ymd_opt(2015, 2, 20),
    };
    Extractor::builtin().candidates(&doc, &marsad_text::analyze(text), &[], places)
}

fn run(text: &str) -> Vec<Event> {
    run_with(text, &[])
}

fn place(text: &str, doc: &str, name_en: &str, country: &str) -> marsad_geo::Place {
    let start = doc.find(text).unwrap();
    marsad_geo::Place {
        start,
        end: start + text.len(),
        text: text.to_string(),
        geonameid: None,
        name_en: name_en.to_string(),
        name_ar: text.to_string(),
        country: country.to_string(),
        admin1: None,
        lat: 0.0,
        lon: 0.0,
        precision: Precision::Country,
        feature: "country".into(),
    }
}

#[test]
fn doc_example() {
    let ev = run("وقال مصدر في الشرطة إن مسلحين اغتالوا ضابطا أمس.");
    assert_eq!(ev.len(), 1, "{ev:#?}");
    assert_eq!(ev[0].actors[0].text, "مسلحين");
    assert_eq!(ev[0].recipients[0].text, "ضابطا");
    assert_eq!(ev[0].counts.killed.map(|c| c.value), Some(1));
    let d = ev[0].date.as_ref().unwrap();
    assert_eq!(d.value.to_string(), "2015-02-19");
}

/// (sentence, category, trigger, actor contains, recipient contains, count, modes)
type Case = (
    &'static str,
    Category,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<(&'static str, u64)>,
    &'static [&'static str],
);

const CASES: &[Case] = &[
    (
        "اعتقلت قوات الأمن ثلاثة ناشطين في المدينة.",
        Category::Coerce,
        "اعتقلت",
        Some("قوات الأمن"),
        Some("ناشطين"),
        Some(("arrested", 3)),
        &["arrest"],
    ),
    (
        "قتل 20 شخصا في انفجار سيارة مفخخة.",
        Category::Assault,
        "قتل",
        None,
        Some("شخصا"),
        Some(("killed", 20)),
        &["explosives"],
    ),
    (
        "قتل الصحفي على يد مسلحين مجهولين.",
        Category::Assault,
        "قتل",
        Some("مسلحين"),
        Some("الصحفي"),
        Some(("killed", 1)),
        &[],
    ),
    (
        "شنت طائرات التحالف غارات على مواقع المسلحين.",
        Category::Assault,
        "غارات",
        Some("طائرات التحالف"),
        Some("المسلحين"),
        None,
        &["aerial"],
    ),
    (
        "تظاهر آلاف المحتجين أمام البرلمان.",
        Category::Protest,
        "تظاهر",
        Some("المحتجين"),
        None,
        // آلاف: thousands, at least two (marsad-text's reading of vague plurals)
        Some(("participants", 2000)),
        &["demo"],
    ),
    (
        "أحرق متظاهرون غاضبون إطارات السيارات.",
        Category::Protest,
        "أحرق",
        Some("متظاهرون"),
        None,
        None,
        &["riot"],
    ),
    (
        "أقامت الميليشيات حواجز على الطرق.",
        Category::Coerce,
        "حواجز",
        Some("الميليشيات"),
        None,
        None,
        &["restrict"],
    ),
    (
        "اختطف مسلحون خمسة عمال أجانب.",
        Category::Assault,
        "اختطف",
        Some("مسلحون"),
        Some("عمال"),
        Some(("abducted", 5)),
        &["abduct"],
    ),
];

#[test]
fn extraction_rules() {
    for (text, cat, trig, actor, recip, count, modes) in CASES {
        let ev = run(text);
        let e = ev
            .iter()
            .find(|e| e.event_type == *cat)
            .unwrap_or_else(|| panic!("{text}: no {cat:?} in {ev:#?}"));
        assert_eq!(e.trigger.text, *trig, "{text}");
        if let Some(a) = actor {
            assert!(
                e.actors.iter().any(|p| p.text.contains(a)),
                "{text}: actors {:?}",
                e.actors
            );
        }
        if let Some(r) = recip {
            assert!(
                e.recipients.iter().any(|p| p.text.contains(r)),
                "{text}: recipients {:?}",
                e.recipients
            );
        }
        if let Some((kind, v)) = count {
            let c = match *kind {
                "killed" => e.counts.killed,
                "arrested" => e.counts.arrested,
                "abducted" => e.counts.abducted,
                _ => e.counts.participants,
            };
            assert_eq!(c.map(|c| c.value), Some(*v), "{text}: {:?}", e.counts);
        }
        for m in *modes {
            assert!(e.mode.iter().any(|x| x == m), "{text}: modes {:?}", e.mode);
        }
    }
}

const MODALITY: &[(&str, Modality)] = &[
    ("اغتال مسلحون ضابطا في المدينة.", Modality::Asserted),
    ("لم تعتقل الشرطة أحدا من المحتجين.", Modality::Negated),
    ("نفت الحكومة اعتقال الصحفيين.", Modality::Denied),
    ("سوف تقصف الطائرات المدينة.", Modality::Future),
    ("ستقصف الطائرات المدينة غدا.", Modality::Future),
    (
        "إذا هاجم المسلحون القرية سيرد الجيش.",
        Modality::Hypothetical,
    ),
    ("هل اغتال الجيش القائد؟", Modality::Hypothetical),
    ("تبنى التنظيم تفجير السيارة في السوق.", Modality::Claimed),
    ("منذ اغتيال الرئيس تغيرت البلاد.", Modality::Historical),
    ("قال مسؤول إن الجيش قصف القرية.", Modality::Reported),
    (
        "وبحسب شهود عيان اعتقلت الشرطة عشرة أشخاص.",
        Modality::Reported,
    ),
];

#[test]
fn modality_table() {
    for (text, want) in MODALITY {
        let ev = run(text);
        assert!(!ev.is_empty(), "{text}: no event");
        assert_eq!(ev[0].modality, *want, "{text}: {ev:#?}");
    }
}

#[test]
fn attribution_kinds() {
    let table = [
        ("وبحسب شهود عيان اعتقلت الشرطة عشرة أشخاص.", "witnesses"),
        (
            "وذكرت مصادر من سكان المدينة أن مسلحين هاجموا السوق.",
            "residents",
        ),
        ("وقال ناشطون إن الجيش قصف الحي.", "activists"),
        ("وأفادت وكالة الأنباء بأن انفجارا وقع في السوق.", "media"),
        (
            "وقال المتحدث باسم الشرطة إن مسلحين اغتالوا ضابطا.",
            "officials",
        ),
    ];
    for (text, kind) in table {
        let ev = run(text);
        let a = ev[0]
            .attribution
            .as_ref()
            .unwrap_or_else(|| panic!("{text}"));
        assert_eq!(a.kind, kind, "{text}: {a:?}");
    }
}

#[test]
fn money_with_bound_and_per_person() {
    let ev = run("وفرض المسلحون على السكان رشاوى تصل إلى 500 دولار للفرد.");
    let e = ev
        .iter()
        .find(|e| e.event_type == Category::Coerce)
        .unwrap();
    let m = e.money.as_ref().unwrap();
    assert_eq!((m.amount, m.currency.as_str()), (500.0, "USD"));
    assert_eq!((m.per.as_deref(), m.bound), (Some("person"), Bound::UpTo));
    assert!(
        e.actors.iter().any(|p| p.text == "المسلحون"),
        "{:?}",
        e.actors
    );
    assert!(
        e.recipients.iter().any(|p| p.text == "السكان"),
        "{:?}",
        e.recipients
    );
}

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
fn organization_noun_resolves_and_flight_is_defection() {
    let text = "سيطر تنظيم داعش على المدينة. وقد هرب 15 من قيادات التنظيم إلى تركيا.";
    let tr = place("تركيا", text, "Turkey", "TR");
    let ev = run_with(text, &[tr]);
    let e = ev.iter().find(|e| e.trigger.text == "هرب").unwrap();
    assert_eq!(e.event_type, Category::Sanction);
    assert_eq!(e.mode, vec!["withdraw".to_string(), "defect".to_string()]);
    let a = &e.actors[0];
    assert_eq!(a.name_en.as_deref(), Some("Islamic State (ISIS)"));
    assert_eq!(a.role.as_deref(), Some("leaders"));
    assert_eq!(
        e.destination.as_ref().map(|d| d.country.as_str()),
        Some("TR")
    );
    assert!(e.location.is_none(), "the destination is not the location");
    assert_eq!(e.counts.participants.map(|c| c.value), Some(15));
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
}

#[test]
fn dawn_is_not_a_detonation() {
    let ev = run("ضرب زلزال بقوة 6 درجات فجر الاثنين قبالة السواحل.");
    assert!(ev.iter().all(|e| e.trigger.text != "فجر"), "{ev:#?}");
    let ev = run("فجر انتحاري نفسه في السوق.");
    assert!(ev.iter().any(|e| e.trigger.text == "فجر"), "{ev:#?}");
}

#[test]
fn verb_phrases_match_with_the_article_and_around_the_subject() {
    for (text, actor, recip) in [
        (
            "أطلق الجيش النار على المتظاهرين في بغداد.",
            "الجيش",
            "المتظاهرين",
        ),
        (
            "وأطلقت قوات الأمن النار على المحتجين.",
            "قوات الأمن",
            "المحتجين",
        ),
        ("أطلق مسلحون مجهولون النار على الشرطة.", "مسلحون", "الشرطة"),
    ] {
        let ev = run(text);
        let e = ev
            .iter()
            .find(|e| e.event_type == Category::Assault && e.trigger.text.contains("أطلق"))
            .unwrap_or_else(|| panic!("{text}: {ev:#?}"));
        assert!(
            e.actors.iter().any(|p| p.text.starts_with(actor)),
            "{text}: {e:#?}"
        );
        assert!(
            e.recipients.iter().any(|p| p.text == recip),
            "{text}: {e:#?}"
        );
    }
    assert!(run("وأعلنت السلطات تسليم أسد الله أسدي إلى بلجيكا.").is_empty());
    assert!(run("أسقطت الدفاعات الطائرات المسيرة.")
        .iter()
        .all(|e| e.event_type != Category::Protest));
    assert!(run("أطلقت السلطات سراح المعتقلين.")
        .iter()
        .all(|e| e.event_type != Category::Assault));
    let ev = run("وقال الحاكم إن 10 أشخاص على الأقل قتلوا في الهجوم.");
    let e = ev.iter().find(|e| e.trigger.text == "قتلوا").unwrap();
    assert!(e.actors.is_empty(), "{e:#?}");
    assert_eq!(e.recipients[0].text, "أشخاص", "{e:#?}");
    assert_eq!(e.counts.killed.map(|c| c.value), Some(10), "{e:#?}");
    let ev = run("وقال الحاكم إن مواطنين قتلوا جنديا في الهجوم.");
    let e = ev.iter().find(|e| e.trigger.text == "قتلوا").unwrap();
    assert_eq!(e.actors[0].text, "مواطنين", "{e:#?}");
    let ev = run("قتل شاب فلسطيني برصاص الجيش الإسرائيلي في الخليل.");
    assert!(ev[0].actors[0].text.starts_with("الجيش"), "{ev:#?}");
    assert_eq!(ev[0].recipients[0].text, "شاب فلسطيني", "{ev:#?}");
}

#[test]
fn ids_are_stable() {
    let a = run("قتل 20 شخصا في انفجار سيارة مفخخة.");
    let b = run("قتل 20 شخصا في انفجار سيارة مفخخة.");
    assert_eq!(a[0].id, b[0].id);
    assert_eq!(a[0].id.len(), 16);
}
