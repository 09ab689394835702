//! Vocabulary: arrest and security-operation phrasing, deaths named by an idiom, and words
//! that are triggers only in some contexts (homographs).

use super::run;
use crate::{Category, Event};

/// The events of `text` of category `c`.
fn of(text: &str, c: Category) -> Vec<Event> {
    run(text)
        .into_iter()
        .filter(|e| e.event_type == c)
        .collect()
}

/// Sentences that report one event of a category, with the trigger's text and the count the
/// trigger fills (arrested or killed), if the sentence gives one.
const REPORTED: &[(&str, Category, &str, Option<u64>)] = &[
    (
        "وألقت قوات الأمن القبض على أربعة مطلوبين في حي السلام.",
        Category::Coerce,
        "وألقت",
        Some(4),
    ),
    (
        "وتم إلقاء القبض على المتهم بعد ساعات من الحادث.",
        Category::Coerce,
        "إلقاء القبض",
        None,
    ),
    (
        "وقبضت الشرطة على سارق المصرف أمس.",
        Category::Coerce,
        "وقبضت",
        None,
    ),
    (
        "وأعلنت الشرطة توقيف ثلاثة أشخاص يشتبه في تورطهم.",
        Category::Coerce,
        "توقيف",
        Some(3),
    ),
    (
        "وضبطت دوريات الأمن 7 متسللين على الحدود.",
        Category::Coerce,
        "وضبطت",
        Some(7),
    ),
    (
        "ونفذت قوات الأمن حملة دهم واسعة في البلدة.",
        Category::Coerce,
        "دهم",
        None,
    ),
    (
        "وأطلقت الشرطة الغاز المسيل للدموع لتفريق المحتجين أمام البرلمان.",
        Category::Coerce,
        "لتفريق",
        None,
    ),
    (
        "وفرقت قوات الأمن المتظاهرين بالقوة.",
        Category::Coerce,
        "وفرقت",
        None,
    ),
    (
        "وأعلن الجيش القضاء على 15 مسلحا في الاشتباكات.",
        Category::Assault,
        "القضاء على",
        Some(15),
    ),
    (
        "ولقي سبعة أشخاص مصرعهم في انفجار عبوة ناسفة.",
        Category::Assault,
        "ولقي",
        Some(7),
    ),
    (
        "لقي جندي حتفه برصاص قناص.",
        Category::Assault,
        "لقي",
        Some(1),
    ),
    (
        "وأودى القصف بحياة 12 مدنيا.",
        Category::Assault,
        "وأودى",
        Some(12),
    ),
    (
        "واستشهد ثلاثة من عناصر الأمن في هجوم مسلح.",
        Category::Assault,
        "واستشهد",
        Some(3),
    ),
    (
        "وأسرت القوات 30 مسلحا في المعارك.",
        Category::Coerce,
        "وأسرت",
        Some(30),
    ),
    (
        "وأطلقت محكمة الاستئناف الأحد سراح الناشطين.",
        Category::Retreat,
        "وأطلقت",
        None,
    ),
];

#[test]
fn arrests_operations_and_deaths_are_reported() {
    for (text, cat, trigger, count) in REPORTED {
        let ev = of(text, *cat);
        let e = ev
            .iter()
            .find(|e| e.trigger.text.starts_with(trigger))
            .unwrap_or_else(|| panic!("{text}: no {cat:?} on {trigger}: {ev:#?}"));
        let got = match cat {
            Category::Coerce => e.counts.arrested,
            _ => e.counts.killed,
        };
        assert_eq!(got.map(|c| c.value), *count, "{text}");
    }
}

/// Sentences where a word of the lexicon names no event of that category.
const NOT_EVENTS: &[(&str, Category)] = &[
    ("ودعت الحكومة الطرفين إلى ضبط النفس.", Category::Coerce),
    ("وصدرت مذكرة توقيف بحق رئيس البلدية.", Category::Coerce),
    (
        "ووصلت العائلات إلى مكان احتجاز العسكريين في الجبال.",
        Category::Coerce,
    ),
    ("وزار الوفد أحد مراكز الاعتقال في الشمال.", Category::Coerce),
    ("وكان منفذ الهجوم يسكن في مدينة قريبة.", Category::Assault),
    ("وتوقف القتال في المدينة مساء الأحد.", Category::Coerce),
    ("وأوقفت الشركة العمل في المصنع.", Category::Coerce),
    ("وجاء ذلك في بيان صادر عن وزارة الداخلية.", Category::Coerce),
    // issued: after the document, or before في
    (
        "وذكر بيان صادر النائب العام أن التحقيق مستمر.",
        Category::Coerce,
    ),
    (
        "ويحل القانون الجديد محل قانون صادر في 2003.",
        Category::Coerce,
    ),
    ("وامتنع عن تنفيذ حكم قضائي صادر بحقه.", Category::Coerce),
    // issued: a predicate before منذ
    ("وقال إن التعميم الإداري صادر منذ عامين.", Category::Coerce),
    ("وأحكمت القوات قبضتها على المدينة.", Category::Coerce),
    ("ودعا الوزير إلى القضاء على الفقر.", Category::Assault),
    ("قضت المحكمة بالسجن على ثلاثة متهمين.", Category::Assault),
    ("استشهد الخطيب بآية من القرآن.", Category::Assault),
    ("لقي شخصان مصرعهما في حادث سير.", Category::Assault),
    ("وقتل من جراء العواصف الرملية 12 شخصا.", Category::Assault),
    // أسر "families", not "captured"
    ("وطالبت أسر المعتقلين بالإفراج عنهم.", Category::Coerce),
    ("وراح ضحيتها آلاف بسبب الزلازل المتتالية.", Category::Assault),
    // فجر "dawn" before a date, in a name, after a preposition; فجرا "at dawn"
    ("وصلت التعزيزات فجر 12 مايو إلى المدينة.", Category::Assault),
    ("وتحدث قائد في قوات فجر ليبيا عن الوضع.", Category::Assault),
    ("عرفت المنطقة التجارة منذ فجر التاريخ.", Category::Assault),
    ("ووصل الوفد عند الساعة الثالثة فجرا.", Category::Assault),
    // وفّر "provided", not فرّ "fled"
    ("ووفرت البلدية المأوى للعائلات النازحة.", Category::Retreat),
    ("ووفرت لهم القوات الأمنية الحماية.", Category::Retreat),
    // طالب "student", not "demanded": with a student's attribute, as the subject of a verb,
    // as the genitive of a verbal noun
    ("قتل طالب جامعي في الهجوم على الحافلة.", Category::Request),
    ("أصيب طالب بجروح في الانفجار.", Category::Request),
    (
        "وأدان الاتحاد اعتقال طالب من كلية الهندسة.",
        Category::Request,
    ),
    // ترحيل "carrying over" a thing, not deporting people
    (
        "وقرر القاضي ترحيل الجلسات إلى الشهر المقبل.",
        Category::Coerce,
    ),
    ("وتأخر ترحيل النفايات من الأحياء.", Category::Coerce),
];

#[test]
fn homographs_and_idioms_in_other_senses_are_not_events() {
    for (text, cat) in NOT_EVENTS {
        let ev = of(text, *cat);
        assert!(ev.is_empty(), "{text}: {ev:#?}");
    }
    // the same words in the senses the lexicon lists
    for (text, cat) in [
        ("وصادرت السلطات أسلحة وذخائر من المنزل.", Category::Coerce),
        ("وطالب الرئيس بوقف القتال فورا.", Category::Request),
        ("فجر انتحاري نفسه وسط حشد من الجنود.", Category::Assault),
    ] {
        assert!(!of(text, cat).is_empty(), "{text}: no {cat:?}");
    }
}

#[test]
fn civilians_fleeing_are_displaced_not_retreating() {
    let fled = "وهرب عشرات الآلاف من السكان عبر الممرات إلى مناطق آمنة.";
    let ev = run(fled);
    assert!(
        ev.iter()
            .all(|e| !matches!(e.event_type, Category::Retreat | Category::Sanction)),
        "{fled}: {ev:#?}"
    );
    // armed men fleeing are in scope (a defection when they belong to a group)
    let armed = "وهرب عشرات المسلحين من البلدة باتجاه الحدود.";
    let ev = run(armed);
    assert!(
        ev.iter()
            .any(|e| matches!(e.event_type, Category::Retreat | Category::Sanction)),
        "{armed}: {ev:#?}"
    );
}

#[test]
fn a_withdrawal_from_a_pact_is_no_retreat() {
    for text in [
        "وفرضت العقوبات بعد انسحاب واشنطن من الاتفاق النووي.",
        "وأعلن المرشح انسحابه من السباق الانتخابي.",
    ] {
        assert!(of(text, Category::Retreat).is_empty(), "{text}");
    }
    let ground = "وانسحبت القوات من المدينة بعد معارك عنيفة.";
    assert!(!of(ground, Category::Retreat).is_empty(), "{ground}");
}

#[test]
fn a_ceasefire_is_one_when_it_takes_effect() {
    // announced, or broken through: no happening of retreat
    for text in [
        "وكان التحالف قد أعلن هدنة إنسانية مدتها خمسة أيام.",
        "ويستمر القتال رغم وقف إطلاق نار أعلنته الحكومة.",
    ] {
        assert!(of(text, Category::Retreat).is_empty(), "{text}");
    }
    for text in [
        "ودخلت الهدنة حيز التنفيذ منتصف الليل.",
        "وبدأ سريان وقف إطلاق النار في المدينة صباح الأحد.",
    ] {
        assert!(!of(text, Category::Retreat).is_empty(), "{text}");
    }
}

#[test]
fn captures_clashes_shelling_and_build_ups() {
    for (text, cat, trigger) in [
        (
            "وسيطر مقاتلو المعارضة على بلدة الشيخ مسكين بعد معارك عنيفة.",
            Category::Assault,
            "وسيطر",
        ),
        (
            "وأعلن الجيش السيطرة على مدينة الرمادي بالكامل.",
            Category::Assault,
            "السيطرة",
        ),
        (
            "وتمكنت القوات من تحرير 8 مواقع استراتيجية في الجبهة.",
            Category::Assault,
            "تحرير",
        ),
        (
            "وشهدت المدينة مواجهات عنيفة بين الجيش والمسلحين.",
            Category::Assault,
            "مواجهات",
        ),
        (
            "وتدور المعارك حاليا في محيط المطار.",
            Category::Assault,
            "المعارك",
        ),
        (
            "وشهدت القرية أمس سقوط ثلاث قذائف على منزل لمواطن.",
            Category::Assault,
            "سقوط",
        ),
        (
            "ووصلت تعزيزات عسكرية كبيرة إلى مشارف المدينة.",
            Category::Mobilize,
            "تعزيزات",
        ),
        (
            "ونظم العشرات وقفة احتجاجية أمام مبنى المحافظة.",
            Category::Protest,
            "وقفة احتجاجية",
        ),
        ("وطوق الجيش البلدة من ثلاث جهات.", Category::Coerce, "وطوق"),
        (
            "وأسقطت الدفاعات الجوية طائرة مسيرة فوق المدينة.",
            Category::Assault,
            "وأسقطت",
        ),
    ] {
        let ev = of(text, cat);
        assert!(
            ev.iter().any(|e| e.trigger.text == trigger),
            "{text}: no {cat:?} on {trigger}: {ev:#?}"
        );
    }
}

#[test]
fn states_of_control_or_captivity_and_other_senses_are_no_assault() {
    for text in [
        "ونجحت فرق الإطفاء في السيطرة على الحريق.",
        "وتقع البلدة في مناطق خاضعة لسيطرة الحكومة.",
        "وتبقى المدينة تحت سيطرة المعارضة منذ سنوات.",
        "ويسيطر التنظيم على مساحات واسعة من البلاد.",
        "ودعا الناشطون إلى تحرير الأسرى.",
        "وحذر من سقوط الحكومة.",
        // captives named as such: a state, not the act that made them so
        "ولا يزال المختطفون لدى الجماعة منذ أشهر.",
        "وتطالب العائلات بالإفراج عن الرهائن.",
        // dropping charges, overthrowing a government
        "وأسقطت المحكمة التهم عن المتهمين.",
        "وطالب المحتجون بإسقاط الحكومة.",
    ] {
        let ev = of(text, Category::Assault);
        assert!(ev.is_empty(), "{text}: {ev:#?}");
    }
}

#[test]
fn summoning_an_envoy_or_preventing_an_act_is_no_event() {
    for (text, cat) in [
        ("واستدعت الخارجية السفير الإيراني.", Category::Mobilize),
        ("ويجب منع وقوع هجمات جديدة في المنطقة.", Category::Coerce),
    ] {
        assert!(of(text, cat).is_empty(), "{text}");
    }
}
