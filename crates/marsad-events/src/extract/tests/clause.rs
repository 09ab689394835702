//! Modality, attribution and money.

use super::run;
use crate::{Bound, Category, Modality};

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
    // a relative clause on a definite noun tells what the speaker takes as known
    (
        "وقال الوزير إن العمل الإرهابي الذي استهدف مسجدا في المدينة عمل جبان.",
        Modality::Asserted,
    ),
    (
        "وبحسب شهود عيان اعتقلت الشرطة عشرة أشخاص.",
        Modality::Reported,
    ),
    // an aim: لـ + verbal noun
    ("وحدد القائد موعدا للانسحاب من المدينة.", Modality::Future),
    // what befell someone, what something led to, whose toll is told: happenings
    ("وتعرض المنزل للقصف صباح اليوم.", Modality::Asserted),
    (
        "ونفذت القوات عملية أدت لاعتقال خمسة مسلحين.",
        Modality::Asserted,
    ),
    // "any" makes nothing hypothetical
    (
        "قصفت الطائرات أي موقع يتحرك فيه المسلحون أمس.",
        Modality::Asserted,
    ),
    // recalled as background
    (
        "وكان مسلحون قد اغتالوا ضابطا قبل عدة سنوات في المدينة.",
        Modality::Historical,
    ),
    (
        "سبق أن اعتقلت الشرطة الناشط في المدينة.",
        Modality::Historical,
    ),
    // what an act would mean is weighed, not told
    (
        "وقال المتحدث إن تحرير المطار يمثل بداية النهاية للمسلحين.",
        Modality::Hypothetical,
    ),
    // an adjective of possibility or expectation right after the noun
    (
        "وتحدث الوزير عن انسحاب محتمل للقوات من المدينة.",
        Modality::Hypothetical,
    ),
    (
        "وتحدث المسؤولون عن الهجوم المرتقب على المدينة.",
        Modality::Future,
    ),
    // a hedge on the attacker's motive leaves the attack whose toll is told a happening
    (
        "وقال المدعي إن المهاجم ربما تحرك بمفرده في الهجوم الذي قتل خلاله خمسة أشخاص.",
        Modality::Reported,
    ),
];

#[test]
fn the_b_complement_of_an_appeal_past_a_comma_is_asked_for() {
    let text = "وطالب مئات الأهالي من سكان القرى أمس، بتحرير مناطقهم من المسلحين.";
    let ev = run(text);
    let e = ev
        .iter()
        .find(|e| e.event_type == Category::Assault)
        .unwrap_or_else(|| panic!("{text}: {ev:#?}"));
    assert_eq!(e.modality, Modality::Future, "{e:#?}");
}

#[test]
fn modality_table() {
    for (text, want) in MODALITY {
        let ev = run(text);
        assert!(!ev.is_empty(), "{text}: no event");
        assert_eq!(ev[0].modality, *want, "{text}: {ev:#?}");
    }
}

#[test]
fn an_accusation_reports_what_it_accuses_of() {
    let ev = run("اتهمت الحكومة المسلحين بقتل خمسة مدنيين في القرية.");
    let killing = ev.iter().find(|e| e.event_type == Category::Assault);
    assert_eq!(
        killing.map(|e| e.modality),
        Some(Modality::Reported),
        "{ev:#?}"
    );
}

#[test]
fn an_appeal_asks_for_the_act() {
    for text in [
        "وطالب الرئيس القوات الأجنبية بالانسحاب من البلاد.",
        "ودعت الأمم المتحدة إلى الإفراج عن المعتقلين في المدينة.",
        // the complement of the appeal, past its subject, a day and its object
        "وطالبت وزارة الخارجية الاثنين القوات الأجنبية بالانسحاب من المدينة.",
        // a stipulation
        "وينص القرار على انسحاب القوات من المدن.",
    ] {
        let ev = run(text);
        let asked = ev.iter().find(|e| e.event_type == Category::Retreat);
        assert_eq!(
            asked.map(|e| e.modality),
            Some(Modality::Future),
            "{text}: {ev:#?}"
        );
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
fn an_aim_or_an_ability_is_no_report() {
    for (text, cat) in [
        (
            "وتقدمت القوات نحو المدينة بهدف حصار المسلحين في أحيائها الشرقية.",
            Category::Coerce,
        ),
        (
            "وأعرب عن ثقته في قدرة الأجهزة الأمنية على القبض على الجناة.",
            Category::Coerce,
        ),
        // an appeal whose object is the verbal noun itself, far from it
        (
            "وطالب محامي الضحايا السلطات اللبنانية أمس إلقاء القبض على الوزير السابق.",
            Category::Coerce,
        ),
        // "whoever attacked us": a prayer names no attacker and no attack
        (
            "ونسأل الله أن ينصرنا على من عادانا واعتدى علينا.",
            Category::Assault,
        ),
        // what a group seeks to do
        (
            "وأشار الوزير إلى الجماعات التي تسعى إلى اغتيال القادة في البلاد.",
            Category::Assault,
        ),
        // a truce that has not begun
        (
            "وتقدمت القوات قبل ساعات على بدء تنفيذ الحكومة هدنة لثلاثة أيام في المدينة.",
            Category::Retreat,
        ),
        // a verbal noun joined by و to the aim, past a parenthesis
        (
            "وقال القائد إن الهدف هو التقدم نحو البلدة (جنوب المدينة) وتطويق المسلحين في المطار.",
            Category::Coerce,
        ),
    ] {
        let ev = run(text);
        assert!(
            ev.iter()
                .filter(|e| e.event_type == cat)
                .all(|e| !e.modality.counts()),
            "{text}: {ev:#?}"
        );
    }
}

#[test]
fn a_verbal_noun_among_notions_is_no_happening() {
    // "the language of blood and killing", "the circle of hatred, evil and killing"
    for text in [
        "ودعا الكاتب إلى ألا يتخلى الخطاب عن لغة الدم والقتل.",
        "وسعى التنظيم إلى تعزيز مكانته في دائرة الحقد والشر والخراب والقتل والسحل.",
    ] {
        let ev = run(text);
        assert!(
            ev.iter().all(|e| e.event_type != Category::Assault),
            "{text}: {ev:#?}"
        );
    }
    // a list of acts with a place of their own is told
    let ev = run("وقتل خمسة مدنيين في القصف والاشتباكات في حلب أمس.");
    assert!(
        ev.iter().any(|e| e.event_type == Category::Assault),
        "{ev:#?}"
    );
}

#[test]
fn a_sports_report_has_no_attacks() {
    let text = "وقاد المدرب فريقه إلى الفوز في مباراة الأمس، وخطف اللاعب الأضواء بتسديدة رائعة \
                في المرمى، فيما بدا هجوم الفريق الضيف عاجزا.";
    let ev = run(text);
    assert!(
        ev.iter().all(|e| e.event_type != Category::Assault),
        "{ev:#?}"
    );
}

#[test]
fn a_protest_where_a_demand_was_made_is_a_happening() {
    let text = "جاءت هذه المطالبة في وقفة احتجاجية نظمها الأهالي قرب مبنى المحافظة في أربيل.";
    let ev = run(text);
    let protest = ev
        .iter()
        .find(|e| e.event_type == Category::Protest)
        .unwrap_or_else(|| panic!("{text}: {ev:#?}"));
    assert_eq!(protest.modality, Modality::Asserted, "{protest:#?}");
}

#[test]
fn a_cue_is_found_on_a_word_whose_waw_the_analyser_left_on() {
    // وتحذره: the analyser keeps the و on the stem; the warning still makes the act hypothetical
    let text = "وقال الجيش إن القوات تحمل النظام المسؤولية وتحذره من أي عمل آخر يستهدف جنودها.";
    let ev = run(text);
    let attack = ev
        .iter()
        .find(|e| e.event_type == Category::Assault)
        .unwrap_or_else(|| panic!("{text}: {ev:#?}"));
    assert_eq!(attack.modality, Modality::Hypothetical, "{attack:#?}");
}

#[test]
fn a_claim_is_made_in_the_triggers_clause_and_blame_is_no_claim() {
    // a party adopting a project in another clause claims no arrest
    let ev = run("تبنى الحزب مشروعا جديدا، واعتقلت الشرطة أمس خمسة أشخاص.");
    let arrest = ev.iter().find(|e| e.event_type == Category::Coerce);
    assert_eq!(
        arrest.map(|e| e.modality),
        Some(Modality::Asserted),
        "{ev:#?}"
    );
    // holding someone responsible is blame, not a claim
    let ev = run("فرضت الحكومة عقوبات على الجماعة بعد تحميلها مسؤولية اغتيال الضابط.");
    let killing = ev.iter().find(|e| e.event_type == Category::Assault);
    assert!(
        killing.is_some_and(|e| e.modality != Modality::Claimed),
        "{ev:#?}"
    );
    // a claim in the clause still is one
    let ev = run("وأعلن التنظيم مسؤوليته عن تفجير السيارة في السوق.");
    let bombing = ev.iter().find(|e| e.event_type == Category::Assault);
    assert_eq!(
        bombing.map(|e| e.modality),
        Some(Modality::Claimed),
        "{ev:#?}"
    );
}

#[test]
fn a_relative_clause_on_the_trigger_dates_it() {
    // "the sermon today is about the bombing that happened yesterday noon": the bombing was
    // yesterday (the run's article date is 20 February 2015)
    let ev = run("وتقرر تخصيص خطبة الجمعة اليوم عن حادث التفجير الذي وقع ظهر أمس في المدينة.");
    let bombing = ev
        .iter()
        .find(|e| e.event_type == Category::Assault)
        .unwrap_or_else(|| panic!("{ev:#?}"));
    let date = bombing.date.as_ref().unwrap();
    assert_eq!(date.value.to_string(), "2015-02-19", "{bombing:#?}");
    // with no relative clause the nearest date in the clause stays
    let ev = run("وقع التفجير في المدينة أمس.");
    let date = ev[0].date.as_ref().unwrap();
    assert_eq!(date.value.to_string(), "2015-02-19", "{ev:#?}");
}

#[test]
fn a_statements_date_does_not_date_what_a_relative_clause_in_it_recalls() {
    // "the police announced yesterday the identity of the gunman who carried out the attack on
    // the mosque last Monday": the attack was on Monday 16 February (the run's article date is
    // Friday 20 February 2015), not yesterday
    let text = "وأعلنت الشرطة، أمس، عن هوية المسلح الذي نفذ الهجوم على المسجد في المدينة الاثنين \
                الماضي.";
    let attack = super::event(text, "الهجوم");
    let date = attack.date.as_ref().unwrap();
    assert_eq!(date.value.to_string(), "2015-02-16", "{attack:#?}");
    // "they said in a statement yesterday that the city stands with the families in the
    // calamity that struck the police": no day of its own
    let text = "وقالوا في بيان وقعه عشرات الوجهاء أمس إن المدينة تقف مع الأسر في المصاب الذي \
                استهدف رجال الأمن.";
    let attack = super::event(text, "استهدف");
    assert!(
        attack.date.as_ref().is_none_or(|d| d.span.is_none()),
        "{attack:#?}"
    );
}

/// The date the text gives for the event whose trigger is `trigger`, if any.
fn text_date(text: &str, trigger: &str) -> Option<String> {
    let ev = run(text);
    let e = ev
        .iter()
        .find(|e| e.trigger.text == trigger || e.mentions.iter().any(|m| m.trigger.text == trigger))
        .unwrap_or_else(|| panic!("{text}: no {trigger} in {ev:#?}"));
    e.date.as_ref().and_then(|d| d.text.clone())
}

#[test]
fn a_described_happening_is_not_dated_by_the_sentences_own_act() {
    // the prince received the families this evening; the bombing was days before
    let text =
        "وأعلن الأمير مساء اليوم أسماء ضحايا حادث التفجير الإرهابي الذي طال المصلين في المسجد.";
    assert_eq!(text_date(text, "التفجير"), None);
    // its relative clause dates it
    let text = "وأدان الأمير حادث التفجير الذي وقع ظهر أمس في المسجد.";
    assert_eq!(text_date(text, "التفجير").as_deref(), Some("أمس"));
}

#[test]
fn a_date_across_a_quotation_mark_is_the_quoted_words_own() {
    let text = "وعلق الشيخ عقب تفجيرات المحيا: \"اليوم نرى أهل الفتنة على حقيقتهم\".";
    assert_eq!(text_date(text, "تفجيرات"), None);
}

#[test]
fn god_forbid_makes_it_hypothetical() {
    let ev = run("وسنصحو لا سمح الله على تفجيرات في بيوتنا.");
    let e = ev
        .iter()
        .find(|e| e.trigger.text == "تفجيرات")
        .expect("the bombings");
    assert!(!e.modality.counts(), "{e:#?}");
}

#[test]
fn those_a_relative_clause_names_died_before_the_sentences_own_act() {
    // the prince received this evening the families of those killed in the bombing days before
    let text = "استقبل الأمير مساء اليوم ذوي الجنود الذين قتلوا.";
    assert_eq!(text_date(text, "قتلوا"), None);
    let text = "استقبل الأمير مساء اليوم ذوي الجنود الذين قتلوا في حادث التفجير الذي طال المسجد.";
    assert_eq!(text_date(text, "قتلوا"), None);
}

#[test]
fn a_date_past_someones_quoted_words_is_not_the_events() {
    let text =
        "وعلق الشيخ عقب تفجيرات المحيا: \"إنهم أهل فتنة\"، ولكأنه يرى ما يحصل اليوم من أحداث.";
    assert_eq!(text_date(text, "تفجيرات"), None);
}
