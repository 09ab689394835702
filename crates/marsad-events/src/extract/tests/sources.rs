//! Sources: which one governs a trigger, and the source a sentence keeps from the one before.
//! Every text here was written for these tests.

use super::event;
use crate::{Event, Modality};

fn source(e: &Event) -> Option<&str> {
    e.attribution.as_ref().map(|a| a.text.as_str())
}

#[test]
fn the_source_of_the_clause_governs_not_the_first() {
    let text = "وبحسب شهود عيان اعتقلت الشرطة عشرة أشخاص، فيما قالت وزارة الداخلية إن مسلحين \
                اغتالوا ضابطا.";
    assert_eq!(source(&event(text, "اعتقلت")), Some("شهود عيان"));
    assert_eq!(source(&event(text, "اغتالوا")), Some("وزارة الداخلية"));
    // a report inside a report: the nearest speech verb
    let e = event(
        "وقال مسؤول إن وكالة الأنباء ذكرت أن مسلحين هاجموا القرية.",
        "هاجموا",
    );
    assert_eq!(source(&e), Some("وكالة الأنباء"));
    assert_eq!(e.attribution.as_ref().unwrap().kind, "media");
    // a source after the event: a source preposition or a speech verb that reports nothing
    // after it governs it; one with a reported clause of its own does not
    let e = event("اعتقلت الشرطة عشرة أشخاص، بحسب مصادر أمنية.", "اعتقلت");
    assert_eq!(source(&e), Some("مصادر أمنية"));
    let e = event("اعتقلت الشرطة عشرة أشخاص، قال مسؤول.", "اعتقلت");
    assert_eq!(source(&e), Some("مسؤول"));
    let e = event(
        "اعتقلت الشرطة عشرة أشخاص، وقال مسؤول إن التحقيق مستمر.",
        "اعتقلت",
    );
    assert_eq!(source(&e), None, "{e:#?}");
    assert_eq!(e.modality, Modality::Asserted);
}

#[test]
fn the_source_phrase_ends_before_the_event() {
    let e = event("أعلن المتحدث باسم الجيش مقتل أربعة مسلحين.", "مقتل");
    assert_eq!(source(&e), Some("المتحدث باسم الجيش"));
    // "according to what X published": X
    let e = event(
        "اعتقلت الشرطة عشرة أشخاص، وفقا لما أوردته صحيفة محلية.",
        "اعتقلت",
    );
    assert_eq!(source(&e), Some("صحيفة محلية"));
    // what is no one is no source: "وفق الحصيلة الأخيرة"
    let e = event("قتل عشرة أشخاص وفق الحصيلة الأخيرة.", "قتل");
    assert_eq!(source(&e), None, "{e:#?}");
}

#[test]
fn a_continuation_keeps_the_source_of_the_sentence_before() {
    let text = "وقال المتحدث باسم الشرطة إن التحقيق مستمر. وأضاف أن مسلحين اغتالوا ضابطا في \
                المدينة.";
    let e = event(text, "اغتالوا");
    assert_eq!(source(&e), Some("المتحدث باسم الشرطة"));
    assert_eq!(e.modality, Modality::Reported);
    // a prepositional phrase after the verb is no subject
    let text = "وقال قائد الشرطة إن الوضع هادئ. وأضاف في بيان أن مسلحين اغتالوا ضابطا.";
    assert_eq!(source(&event(text, "اغتالوا")), Some("قائد الشرطة"));
    let text = "وقال قائد الشرطة إن الوضع هادئ. وتابع قائلا إن مسلحين اغتالوا ضابطا.";
    assert_eq!(source(&event(text, "اغتالوا")), Some("قائد الشرطة"));
    // a subject before the verb is the source, not the sentence before
    let text = "وقال قائد الشرطة إن الوضع هادئ. وكان المرصد قد أفاد باعتقال عشرة أشخاص.";
    assert_eq!(source(&event(text, "باعتقال")), Some("المرصد"));
    // a sentence that does not continue keeps nothing
    let text = "وقال قائد الشرطة إن الوضع هادئ. واغتال مسلحون ضابطا في المدينة.";
    assert_eq!(source(&event(text, "واغتال")), None);
}

#[test]
fn a_quote_left_open_keeps_its_source() {
    let text = "وقال شاهد عيان: «كانت الشوارع مزدحمة. ثم أطلق مسلحون النار على المارة».";
    let e = event(text, "أطلق");
    assert_eq!(source(&e), Some("شاهد عيان"), "{e:#?}");
}

#[test]
fn a_party_telling_of_its_own_act_claims_it() {
    // the actor is the source
    let e = event("أعلنت الشرطة أنها اعتقلت عشرة أشخاص في المدينة.", "اعتقلت");
    assert_eq!(e.modality, Modality::Claimed, "{e:#?}");
    // the source speaks for the actor: the head of one among the words of the other
    let e = event(
        "وقال المكتب الإعلامي للجيش إن قوات الجيش قصفت مواقع المسلحين.",
        "قصفت",
    );
    assert_eq!(e.modality, Modality::Claimed, "{e:#?}");
    // no actor named: an armed party telling of losses it dealt to armed men
    let e = event("أعلن المتحدث باسم الجيش مقتل أربعة مسلحين.", "مقتل");
    assert_eq!(e.modality, Modality::Claimed, "{e:#?}");
    // a witness telling of the police's act only reports it
    let e = event("وقال شهود عيان إن الشرطة اعتقلت عشرة أشخاص.", "اعتقلت");
    assert_eq!(e.modality, Modality::Reported, "{e:#?}");
}

#[test]
fn a_date_ends_the_source_phrase_and_one_before_it_is_skipped() {
    let e = event(
        "وقالت منظمة الإغاثة الدولية الاثنين إن غارة جوية أصابت سوقا شعبية.",
        "غارة",
    );
    assert_eq!(source(&e), Some("منظمة الإغاثة الدولية"), "{e:#?}");
    // "يوم" opens the date after the speech verb: the source is who comes after both
    let e = event(
        "وأعلن يوم أمس الأحد التحالف أن المسلحين أطلقوا صواريخ على المدينة.",
        "صواريخ",
    );
    assert_eq!(source(&e), Some("التحالف"), "{e:#?}");
}

#[test]
fn a_subject_told_at_length_after_kana_is_the_source() {
    // "a count the army's site published on Monday said that 40 gunmen were killed"
    let e = event(
        "وكانت إحصائية نشرها موقع الجيش، الاثنين، قالت إن 40 مسلحا قتلوا في غارات على القرية.",
        "قتلوا",
    );
    assert!(
        source(&e).is_some_and(|s| s.starts_with("إحصائية")),
        "{e:#?}"
    );
    assert_eq!(e.modality, Modality::Reported);
}

#[test]
fn stressed_and_explained_report_what_follows() {
    // شدد على أن: the phrase ends before على; بين is a speech verb only before أن
    let e = event(
        "وشدد المصدر الأمني على أن الشرطة اعتقلت خمسة مهربين.",
        "اعتقلت",
    );
    assert_eq!(source(&e), Some("المصدر الأمني"), "{e:#?}");
    let e = event("وبين المسؤول أن الشرطة اعتقلت خمسة مهربين.", "اعتقلت");
    assert_eq!(source(&e), Some("المسؤول"), "{e:#?}");
    // a statement "contained" what follows بأن: its words (a mission in the capital) are the
    // source, not where the arrest was
    let e = event(
        "وتضمن بيان لبعثة اللجنة الدولية في العاصمة بأن الشرطة اعتقلت خمسة مهربين.",
        "اعتقلت",
    );
    assert!(
        source(&e).is_some_and(|s| s.starts_with("بيان لبعثة")),
        "{e:#?}"
    );
    // "between": no source
    let e = event(
        "وقعت اشتباكات بين الشرطة ومهربين أسفرت عن مقتل خمسة.",
        "اشتباكات",
    );
    assert_eq!(e.modality, Modality::Asserted, "{e:#?}");
}

#[test]
fn stressing_a_right_reports_nothing() {
    // "Russia stressed the kingdom's right …, after criticism over the arrest of activists":
    // no reported clause, so the arrest is not Russia's report
    let e = event(
        "شددت روسيا على حق المملكة في التعامل مع القضية إثر انتقادات تتعلق باعتقال ناشطين.",
        "باعتقال",
    );
    assert_eq!(source(&e), None, "{e:#?}");
}
