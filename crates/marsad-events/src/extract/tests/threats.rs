//! Threats: a threat or a vow is an event in scope only when the act it names is one of force.

use super::run;
use crate::{Category, Event, Modality};

/// The events of `text` of category `c`.
fn of(text: &str, c: Category) -> Vec<Event> {
    run(text)
        .into_iter()
        .filter(|e| e.event_type == c)
        .collect()
}

#[test]
fn a_threat_of_force_is_a_threat() {
    for (text, trigger) in [
        ("وهددت الجماعة بشن هجمات جديدة على المدينة.", "وهددت"),
        ("وتوعد القائد المسلحين بالانتقام لمقتل جنوده.", "وتوعد"),
        ("وتعهد الرئيس بتوسيع نطاق العملية العسكرية شمالا.", "وتعهد"),
        ("وهدد الوزير باعتقال كل من يشارك في الإضراب.", "وهدد"),
        // a response promised hard
        ("وقال إن رد موسكو على القرار سيكون قاسيا.", "رد"),
        // a long subject between the verb and the act
        (
            "وتعهد وزير الدفاع الإسرائيلي أفيغدور ليبرمان يوم الأحد بشن عملية واسعة.",
            "وتعهد",
        ),
    ] {
        let ev = of(text, Category::Threaten);
        assert!(
            ev.iter().any(|e| e.trigger.text == trigger),
            "{text}: {ev:#?}"
        );
    }
}

#[test]
fn a_threat_of_anything_else_is_none() {
    for text in [
        // a threat to resign
        "وهدد وزير المالية بالاستقالة من منصبه.",
        // an inanimate subject and no act of force
        "تهدد المجاعة ملايين السكان في البلاد.",
        "وهو ما يهدد بانهيار الائتلاف الحاكم.",
        // the noun in a list of prospects
        "وقال إن الوضع ينطوي على فرص وتهديدات.",
        // a vow to rebuild
        "وتعهد الوزير بإعادة إعمار المدارس المتضررة.",
        // an answer, a reaction
        "وجاء ذلك ردا على سؤال حول الأوضاع الصعبة.",
        "وكان رد فعل الحكومة عنيفا على الاحتجاجات.",
    ] {
        let ev = of(text, Category::Threaten);
        assert!(ev.is_empty(), "{text}: {ev:#?}");
    }
}

#[test]
fn what_is_threatened_or_brandished_has_not_happened() {
    for text in [
        "ولوح رئيس الحزب بالاستقالة من الحكومة.",
        "وهدد رئيس الحزب بالاستقالة من الحكومة.",
    ] {
        let ev = of(text, Category::Retreat);
        assert!(
            ev.iter().all(|e| !matches!(
                e.modality,
                Modality::Asserted | Modality::Reported | Modality::Claimed
            )),
            "{text}: {ev:#?}"
        );
    }
}

#[test]
fn a_threat_told_by_its_maker_is_made_now() {
    // conditional and in the future tense, in the speaker's own words: asserted, the speaker
    // its actor
    let text = "وقالت الوزارة في بيان إنه إذا لم يقدم تفسير فإن الجانب الروسي سيحتفظ بالحق في \
                اتخاذ إجراء مماثل ضد الشركات البريطانية.";
    let ev = of(text, Category::Threaten);
    let e = ev
        .iter()
        .find(|e| e.trigger.text == "سيحتفظ بالحق")
        .unwrap_or_else(|| panic!("{ev:#?}"));
    assert_eq!(e.modality, Modality::Asserted, "{e:#?}");
    assert!(e.attribution.is_none(), "{e:#?}");
    assert!(e.actors.iter().any(|p| p.text == "الوزارة"), "{e:#?}");
    // a newspaper telling of another's threat reports it
    let ev = of(
        "وذكرت صحيفة محلية أن القائد هدد بشن هجمات على المدينة.",
        Category::Threaten,
    );
    assert_eq!(ev.len(), 1, "{ev:#?}");
    assert_eq!(ev[0].modality, Modality::Reported, "{ev:#?}");
}

#[test]
fn a_negation_before_a_joined_clause_is_not_its_own() {
    // "no one was hurt, and three were killed": the killing is not negated
    let ev = run("لم يصب أحد من السكان وقتل ثلاثة مسلحين في الاشتباك.");
    let e = ev
        .iter()
        .find(|e| e.trigger.text == "وقتل")
        .unwrap_or_else(|| panic!("{ev:#?}"));
    assert_ne!(e.modality, Modality::Negated, "{e:#?}");
    // right before the trigger it is
    let ev = run("لم يقتل أحد في الاشتباك.");
    assert!(
        ev.iter()
            .any(|e| e.trigger.text == "يقتل" && e.modality == Modality::Negated),
        "{ev:#?}"
    );
}
