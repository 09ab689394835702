//! Counts: duals, sums of conjoined participants, parts of a total, numbers before the verb, and
//! numbers that measure time or are part of a date.

use super::run;
use crate::Category;

/// The killed count of the first assault of `text`.
fn killed(text: &str) -> Option<u64> {
    let ev = run(text);
    let a = ev
        .iter()
        .find(|e| e.event_type == Category::Assault)
        .unwrap_or_else(|| panic!("{text}: no assault: {ev:#?}"));
    a.counts.killed.map(|c| c.value)
}

const KILLED: &[(&str, Option<u64>)] = &[
    // duals
    ("وقتل شرطيان في الهجوم على الحاجز.", Some(2)),
    ("وأعلن الجيش مقتل جنديين في كمين.", Some(2)),
    // sums: a singular and a counted noun, a named one and others, a number and a dual
    ("قتل ضابط وأربعة جنود في الكمين.", Some(5)),
    // a group noun names no one person: no toll of one, and nothing to a sum
    ("وقتل الأهالي في القصف على البلدة.", None),
    ("قتل الصحفي في القصف على البلدة.", Some(1)),
    ("وقتل القائد الميداني و12 آخرين في الغارة.", Some(13)),
    ("قتل 9 رجال وامرأتان في قصف على السوق.", Some(11)),
    // a part of the total (بينهم) is not the total
    ("وقتل 30 شخصا بينهم 8 أطفال في القصف.", Some(30)),
    // numbers before the verb: its subject, when the verb agrees with a plural or a dual
    ("وقال المتحدث إن 14 شخصا قتلوا في الهجوم.", Some(14)),
    (
        "وأكد المصدر أن أكثر من 20 مسلحا، بينهم قادة ميدانيون، لقوا مصرعهم في الغارات.",
        Some(20),
    ),
    ("اثنان من الجنود قتلا وأصيب 11 آخرون في الانفجار.", Some(2)),
    ("ونعى الأهالي الشقيقين اللذين استشهدا في القصف.", Some(2)),
    (
        "وذكرت الوكالة أن جنديا قتل في الهجوم وأصيب ثلاثة جنود آخرون.",
        Some(1),
    ),
    // a day of the month, a year, a duration, an age are no tolls
    ("وقتل في 9 أبريل جنديان في الهجوم على الثكنة.", Some(2)),
    ("وقتل عام 2014 أكثر من 10 جنود في الهجوم.", Some(10)),
    ("وقتل منذ 2011 أكثر من 300 ألف شخص في الحرب.", Some(300_000)),
    ("وقتل خلال 24 ساعة في الغارات على المدينة.", None),
    ("وقتل منذ 3 أيام في القصف على الحي.", None),
];

#[test]
fn killed_counts() {
    for (text, want) in KILLED {
        assert_eq!(killed(text), *want, "{text}");
    }
}

#[test]
fn a_noun_naming_victims_is_counted_by_the_number_before_it() {
    let ev = run("وارتفعت الحصيلة إلى 30 قتيلا بينهم 8 أطفال.");
    let e = ev
        .iter()
        .find(|e| e.trigger.text == "قتيلا")
        .unwrap_or_else(|| panic!("{ev:#?}"));
    assert_eq!(e.counts.killed.map(|c| c.value), Some(30));
}

#[test]
fn ages_are_not_counts_of_the_injured() {
    let ev = run("وأصيب رجل يبلغ من العمر 45 عاما في القصف.");
    let e = ev
        .iter()
        .find(|e| e.event_type == Category::Assault)
        .unwrap_or_else(|| panic!("{ev:#?}"));
    assert_ne!(e.counts.injured.map(|c| c.value), Some(45));
    let ev = run("وأصيب طفلان بجروح في القصف.");
    let e = ev
        .iter()
        .find(|e| e.event_type == Category::Assault)
        .unwrap_or_else(|| panic!("{ev:#?}"));
    assert_eq!(e.counts.injured.map(|c| c.value), Some(2));
}

#[test]
fn an_attack_with_no_casualties_killed_nobody() {
    for (text, trigger) in [
        (
            "وشهدت القرية أمس سقوط ثلاث قذائف، وأصابت منزلا لمواطن، ولم تسفر عن أي إصابات.",
            "سقوط",
        ),
        ("وهاجم مسلحون حاجزا للشرطة دون وقوع إصابات.", "وهاجم"),
    ] {
        let ev = run(text);
        let e = ev
            .iter()
            .find(|e| e.trigger.text == trigger)
            .unwrap_or_else(|| panic!("{text}: {ev:#?}"));
        assert_eq!(e.counts.killed.map(|c| c.value), Some(0), "{text}: {e:#?}");
    }
}

#[test]
fn a_total_over_many_incidents_is_marked_aggregate() {
    let first = |text: &str| {
        let ev = run(text);
        ev.into_iter()
            .find(|e| e.event_type == Category::Assault && e.counts.killed.is_some())
            .unwrap_or_else(|| panic!("{text}: no assault with a toll"))
    };
    // a war's toll in thousands
    let e = first("وقتل أكثر من 350 ألف شخص في الحرب.");
    assert!(e.counts.aggregate, "{e:#?}");
    // a total since the start
    let e = first("وقتل 500 مدني منذ بداية الحملة العسكرية على المدينة.");
    assert!(e.counts.aggregate, "{e:#?}");
    // one attack's toll is its own
    let e = first("وقتل 12 شخصا في الهجوم على السوق أمس.");
    assert!(!e.counts.aggregate, "{e:#?}");
}
