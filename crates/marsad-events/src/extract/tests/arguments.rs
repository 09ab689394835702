//! Actors, recipients, counts and modes.

use super::{place, run, run_with};
use crate::Category;

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
        // a quantity of the verbal noun between the light verb's subject and the noun
        "نفذ سلاح الجو أكثر من عشرين طلعة جوية على مواقع المسلحين.",
        Category::Assault,
        "طلعة جوية",
        Some("سلاح الجو"),
        Some("المسلحين"),
        None,
        &["aerial"],
    ),
    (
        "وأطلقت المحكمة الثلاثاء سراح الصحفي.",
        Category::Retreat,
        "وأطلقت",
        Some("المحكمة"),
        None,
        None,
        &[],
    ),
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
