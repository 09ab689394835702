//! Who acts and who is acted upon: passives, speakers, clashes, the attack a death is blamed on,
//! verbs of doing, counted people. Every sentence here was written for these tests.

use super::{event, run};
use crate::Category;

fn names(ps: &[crate::Participant]) -> Vec<&str> {
    ps.iter().map(|p| p.text.as_str()).collect()
}

#[test]
fn the_only_noun_after_an_unvowelled_killing_verb_is_its_victim() {
    // قُتل عناصر …: no object after the noun, so not "members killed (someone)"
    let e = event("قتل عناصر من الشرطة في المدينة أمس.", "قتل");
    assert!(e.actors.is_empty(), "{e:#?}");
    assert_eq!(names(&e.recipients), ["عناصر"], "{e:#?}");
    // a count as the subject before the verb, no object after it
    let e = event("وقال مصدر إن ثلاثة من أفراد الشرطة قتلوا أمس.", "قتلوا");
    assert!(e.actors.is_empty(), "{e:#?}");
    assert!(e.recipients[0].text.starts_with("أفراد"), "{e:#?}");
    // armed or not, a noun with no object is the victim; an object keeps the verb active
    let e = event("وقتل مسلح وأصيب شرطي في المدينة.", "وقتل");
    assert!(e.actors.iter().all(|p| p.text != "مسلح"), "{e:#?}");
    assert!(e.recipients.iter().any(|p| p.text == "مسلح"), "{e:#?}");
    let e = event("اعتقلت قوات الأمن ثلاثة ناشطين في المدينة.", "اعتقلت");
    assert_eq!(names(&e.actors), ["قوات الأمن"], "{e:#?}");
    // an agent phrase makes the verb passive: its noun is the recipient
    let e = event("اعتقل ناشط على يد رجال الشرطة.", "اعتقل");
    assert_eq!(names(&e.actors), ["رجال الشرطة"], "{e:#?}");
    assert_eq!(names(&e.recipients), ["ناشط"], "{e:#?}");
    // هاجم is spelled هوجم in the passive: its noun is its subject
    let e = event("هاجم مسلحون القرية.", "هاجم");
    assert_eq!(names(&e.actors), ["مسلحون"], "{e:#?}");
}

#[test]
fn passive_forms_and_light_verbs_name_no_actor() {
    // أصيب is the passive of أصاب, not its first person imperfect
    let e = event("وأصيب ثلاثة جنود بجروح في القصف.", "وأصيب");
    assert!(e.actors.is_empty(), "{e:#?}");
    assert_eq!(names(&e.recipients), ["جنود"], "{e:#?}");
    // تم + verbal noun: the noun before is not the actor, the genitive is the recipient
    let e = event("وقالت الصحيفة إنه تم اعتقال المسلحين في المدينة.", "اعتقال");
    assert!(e.actors.is_empty(), "{e:#?}");
    assert_eq!(names(&e.recipients), ["المسلحين"], "{e:#?}");
}

#[test]
fn the_speaker_is_not_the_actor_unless_it_speaks_of_its_own_act() {
    let e = event("أعلنت الشرطة مقتل أربعة مدنيين في المدينة.", "مقتل");
    assert!(e.actors.is_empty(), "{e:#?}");
    assert!(e.recipients.iter().all(|p| p.text != "الشرطة"), "{e:#?}");
    assert_eq!(e.attribution.as_ref().unwrap().text, "الشرطة", "{e:#?}");
    // an armed party telling of armed men it killed claims its own act: it is the actor
    let e = event("أعلنت الشرطة مقتل أربعة مسلحين في المدينة.", "مقتل");
    assert_eq!(names(&e.actors), ["الشرطة"], "{e:#?}");
    assert_eq!(e.modality, crate::Modality::Claimed, "{e:#?}");
    let e = event(
        "وأعلن المتحدث باسم الجيش مقتل خمسة متمردين في كمين.",
        "مقتل",
    );
    assert_eq!(names(&e.actors), ["الجيش"], "{e:#?}");
    assert_eq!(e.modality, crate::Modality::Claimed, "{e:#?}");
    let e = event("وذكر المتحدث باسم الجيش أن مسلحين هاجموا القرية.", "هاجموا");
    assert_eq!(names(&e.actors), ["مسلحين"], "{e:#?}");
    // a pronoun that agrees with the speech verb: the source's own act
    let e = event("أعلنت الشرطة أنها اعتقلت خمسة مسلحين.", "اعتقلت");
    assert_eq!(names(&e.actors), ["الشرطة"], "{e:#?}");
    // a speaker named after the event it took part in stays its actor
    let e = event("اعتقلت الشرطة خمسة أشخاص وقالت إنهم مسلحون.", "اعتقلت");
    assert_eq!(names(&e.actors), ["الشرطة"], "{e:#?}");
}

#[test]
fn both_sides_of_a_clash_are_actors() {
    let e = event(
        "اندلعت اشتباكات بين الشرطة والمسلحين في المدينة.",
        "اشتباكات",
    );
    assert_eq!(names(&e.actors), ["الشرطة", "المسلحين"], "{e:#?}");
    assert!(e.recipients.is_empty(), "{e:#?}");
    // the dead of a clash are its victims, with the sides as actors
    let e = event("قتل 19 شخصا في اشتباكات بين الشرطة والمسلحين.", "قتل");
    assert_eq!(names(&e.recipients), ["شخصا"], "{e:#?}");
    assert_eq!(names(&e.actors), ["الشرطة", "المسلحين"], "{e:#?}");
    // مع: the other side beside the subject
    let e = event(
        "استعادت قوات الأمن القرية إثر معارك ضارية مع المسلحين.",
        "معارك",
    );
    assert_eq!(names(&e.actors), ["قوات الأمن", "المسلحين"], "{e:#?}");
    assert!(e.recipients.is_empty(), "{e:#?}");
}

#[test]
fn a_death_takes_the_actor_of_the_attack_it_is_blamed_on() {
    // a possessive ل after the attack names its actor
    let e = event("قتل خمسة مدنيين جراء غارة جوية للتحالف.", "قتل");
    assert_eq!(names(&e.recipients), ["مدنيين"], "{e:#?}");
    assert_eq!(names(&e.actors), ["للتحالف"], "{e:#?}");
    // a verb of carrying out with a pronoun for the attack
    let e = event(
        "وقال مصدر إن ثلاثة جنود قتلوا في تفجير نفذه مسلحون.",
        "قتلوا",
    );
    assert_eq!(names(&e.recipients), ["جنود"], "{e:#?}");
    assert_eq!(names(&e.actors), ["مسلحون"], "{e:#?}");
}

#[test]
fn doers_relatives_and_counted_people() {
    // قام X بـ: the subject of the verb of doing acts the verbal noun
    let e = event("قامت امرأة بتفجير نفسها في السوق.", "بتفجير");
    assert_eq!(names(&e.actors), ["امرأة"], "{e:#?}");
    // the antecedent of a relative clause, in a prepositional phrase too
    let e = event("عين الرئيس خلفا للمسؤول الذي استقال أمس.", "استقال");
    assert_eq!(e.event_type, Category::Retreat);
    assert_eq!(names(&e.actors), ["للمسؤول"], "{e:#?}");
    // the noun after the verb of a relative clause is its object, not its subject
    let e = event("ندد بالحملة التي اعتقلت عشرات الآلاف.", "اعتقلت");
    assert!(e.actors.is_empty(), "{e:#?}");
    assert_eq!(names(&e.recipients), ["عشرات الآلاف"], "{e:#?}");
    // a relative that goes on with و does not take the noun before it
    let e = event(
        "شاهد السكان الطائرة التابعة للجيش والتي قصفت السوق.",
        "قصفت",
    );
    assert!(e.actors.iter().all(|p| p.text != "للجيش"), "{e:#?}");
    // a quantity in words that names people by itself, or with a nisba
    let e = event("تظاهر الآلاف أمام البرلمان.", "تظاهر");
    assert_eq!(names(&e.actors), ["الآلاف"], "{e:#?}");
    let e = event("أعلنت الوزارة مقتل ثلاثة لبنانيين برصاص الجيش.", "مقتل");
    assert_eq!(names(&e.recipients), ["ثلاثة لبنانيين"], "{e:#?}");
    assert_eq!(e.recipients[0].country.as_deref(), Some("LB"));
    assert_eq!(names(&e.actors), ["الجيش"], "{e:#?}");
    // victims are not who attacked (the attack that targeted a school is the killing)
    let e = event("قتل 15 طفلا في غارة استهدفت مدرسة.", "قتل");
    assert!(e.actors.is_empty(), "{e:#?}");
}

#[test]
fn a_preposition_with_a_pronoun_or_before_a_demonstrative() {
    // "عليها" is a whole phrase: the noun after it is the verb's subject
    let e = event("سيطر عليها متمردون انشقوا عن الحركة.", "انشقوا");
    assert_eq!(names(&e.actors), ["متمردون"], "{e:#?}");
    // a demonstrative does not end the phrase: "عن هذين الصحفيين" is no subject
    let e = event("أفرج عن هذين الصحفيين.", "أفرج");
    assert!(e.actors.is_empty(), "{e:#?}");
}

#[test]
fn what_is_imposed_on_someone_has_a_target_a_protest_does_not() {
    let e = event("فرضت السلطات حظر التجول على السكان.", "حظر التجول");
    assert_eq!(names(&e.actors), ["السلطات"], "{e:#?}");
    let e = event("طرح الصحفيون أسئلة على الشرطة عن التظاهرة.", "التظاهرة");
    assert!(e.recipients.is_empty(), "{e:#?}");
}

#[test]
fn an_agent_phrase_far_after_the_trigger_with_no_other_event_between() {
    let e = event(
        "أدانت الحكومة عملية خطف صحفيين أجنبيين في الثامن من الشهر الماضي على طريق المطار، من \
         قبل مسلحين مجهولين.",
        "خطف",
    );
    assert_eq!(names(&e.actors), ["مسلحين"], "{e:#?}");
}

#[test]
fn a_noun_with_the_article_heads_no_genitive() {
    // subject and object side by side, not "the police of the protesters"
    let e = event("اعتقلت الشرطة المتظاهرين في الساحة.", "اعتقلت");
    assert_eq!(names(&e.actors), ["الشرطة"], "{e:#?}");
    assert_eq!(names(&e.recipients), ["المتظاهرين"], "{e:#?}");
    // a genitive proper keeps its head: "عناصر الشرطة"
    let e = event("هاجم مسلحون عناصر الشرطة.", "هاجم");
    assert_eq!(names(&e.recipients), ["عناصر الشرطة"], "{e:#?}");
}

#[test]
fn duals_factions_and_a_partitive_with_a_pronoun() {
    let e = event("قتل مدنيان جراء قصف مدفعي للجيش.", "قتل");
    assert_eq!(names(&e.recipients), ["مدنيان"], "{e:#?}");
    assert_eq!(names(&e.actors), ["للجيش"], "{e:#?}");
    let e = event("اندلعت اشتباكات بين قوات الأمن وفصائل مسلحة.", "اشتباكات");
    assert_eq!(names(&e.actors), ["قوات الأمن", "فصائل"], "{e:#?}");
    // a time phrase between the clash and its sides
    let e = event(
        "وتشهد المدينة مواجهات عنيفة منذ يومين بين قوات الأمن وفصائل مسلحة.",
        "مواجهات",
    );
    assert_eq!(names(&e.actors), ["قوات الأمن", "فصائل"], "{e:#?}");
    let e = event("اعتقلت الشرطة العشرات منهم.", "اعتقلت");
    assert_eq!(names(&e.recipients), ["العشرات"], "{e:#?}");
}

#[test]
fn the_act_an_arrest_or_a_clash_death_is_blamed_on() {
    // an arrest in a raid carried out by the police
    let e = event("اعتقل 15 شخصا في حملة مداهمات نفذتها الشرطة.", "اعتقل");
    assert_eq!(names(&e.recipients), ["شخصا"], "{e:#?}");
    assert_eq!(names(&e.actors), ["الشرطة"], "{e:#?}");
    // a word of fighting before the trigger: both sides
    let e = event(
        "وأصيب شرطي في تبادل لإطلاق النار بين الشرطة ومسلحين.",
        "وأصيب",
    );
    assert_eq!(names(&e.actors), ["الشرطة", "مسلحين"], "{e:#?}");
    // بأن ends the source phrase: the subject after it is the actor
    let e = event(
        "أفاد شهود عيان بأن قوات الأمن أطلقت النار على المحتجين.",
        "أطلقت النار",
    );
    assert_eq!(e.attribution.as_ref().unwrap().text, "شهود عيان");
    assert_eq!(names(&e.actors), ["قوات الأمن"], "{e:#?}");
}

#[test]
fn a_country_right_after_a_verb_stands_for_its_government() {
    let text = "وهددت تركيا بشن عملية عسكرية جديدة ضد المسلحين.";
    let places = [super::place("تركيا", text, "Turkey", "TR")];
    let ev = super::run_with(text, &places);
    let e = ev
        .iter()
        .find(|e| e.event_type == Category::Threaten)
        .unwrap_or_else(|| panic!("{ev:#?}"));
    assert_eq!(names(&e.actors), ["تركيا"], "{e:#?}");
    assert_eq!(e.actors[0].country.as_deref(), Some("TR"));
    // after a preposition it is a place, not a side
    let text = "وهددت الجماعة في تركيا بشن هجمات جديدة.";
    let places = [super::place("تركيا", text, "Turkey", "TR")];
    let ev = super::run_with(text, &places);
    assert!(
        ev.iter()
            .all(|e| e.actors.iter().all(|a| a.text != "تركيا")),
        "{ev:#?}"
    );
}

#[test]
fn who_condemns_or_describes_an_attack_is_no_side_of_it() {
    for text in [
        "استنكر الأمين العام للهيئة التفجير الإرهابي في المسجد.",
        "ووصفت وزارة الخارجية الهجوم على القافلة بأنه جبان.",
    ] {
        let ev = run(text);
        let attack = ev
            .iter()
            .find(|e| e.event_type == Category::Assault)
            .unwrap_or_else(|| panic!("{text}: {ev:#?}"));
        assert!(attack.actors.is_empty(), "{text}: {:#?}", attack.actors);
    }
}

#[test]
fn the_people_after_an_act_that_is_the_subject_are_its_object() {
    let text = "واستهدفت ضربة جوية المسلحين في البلدة الحدودية.";
    let e = event(text, "واستهدفت");
    assert!(names(&e.actors).is_empty(), "{:#?}", e.actors);
    assert_eq!(names(&e.recipients), ["المسلحين"], "{:#?}", e.recipients);
}

/// The event of `text` (with `places`) whose trigger is `trigger`.
fn event_at(text: &str, places: &[marsad_geo::Place], trigger: &str) -> crate::Event {
    let ev = super::run_with(text, places);
    ev.iter()
        .find(|e| e.trigger.text == trigger)
        .cloned()
        .unwrap_or_else(|| panic!("{text}: no trigger {trigger} in {ev:#?}"))
}

#[test]
fn the_subject_of_a_verb_that_carries_out_a_verbal_noun_is_its_actor() {
    // any tense, a time phrase between the subject and the noun
    let e = event(
        "وتشن الميليشيات منذ يومين هجمات على القرى الحدودية.",
        "هجمات",
    );
    assert_eq!(names(&e.actors), ["الميليشيات"], "{e:#?}");
    // a state stands for its government; the place is where the strikes fall, not the state
    let text = "بدأت روسيا أمس غارات جوية على مواقع المعارضة في سوريا.";
    let places = [
        super::place("روسيا", text, "Russia", "RU"),
        super::place("سوريا", text, "Syria", "SY"),
    ];
    let e = event_at(text, &places, "غارات");
    assert_eq!(names(&e.actors), ["روسيا"], "{e:#?}");
    assert_eq!(e.location.as_ref().unwrap().name_en, "Syria", "{e:#?}");
    // what is imposed on someone between the subject and the noun is its recipient
    let e = event("وفرض المسلحون على السكان حظرا للتجول.", "حظرا للتجول");
    assert_eq!(names(&e.actors), ["المسلحون"], "{e:#?}");
    assert_eq!(names(&e.recipients), ["السكان"], "{e:#?}");
}

#[test]
fn a_state_before_its_target_is_the_actor_of_the_verbal_noun() {
    let text = "جاء ذلك غداة سيطرة روسيا مع حلفائها على المدينة.";
    let e = event_at(
        text,
        &[super::place("روسيا", text, "Russia", "RU")],
        "سيطرة",
    );
    assert_eq!(names(&e.actors), ["روسيا"], "{e:#?}");
    // with no target after it the name is where: the battle of a town
    let text = "وأسفر هجوم الموصل عن مقتل عشرة جنود.";
    let e = event_at(text, &[super::place("الموصل", text, "Mosul", "IQ")], "هجوم");
    assert!(e.actors.iter().all(|p| p.text != "الموصل"), "{e:#?}");
}

#[test]
fn the_subject_of_a_verb_whose_pronoun_stands_for_rockets_fired_them() {
    let e = event("وسقطت صواريخ أطلقها المسلحون على أطراف البلدة.", "صواريخ");
    assert_eq!(names(&e.actors), ["المسلحون"], "{e:#?}");
}

#[test]
fn a_verb_form_after_a_preposition_is_a_verbal_noun_whose_genitive_is_the_target() {
    let e = event("وقام المحتجون برشق الشرطة بالحجارة أمام البرلمان.", "برشق");
    assert_eq!(names(&e.actors), ["المحتجون"], "{e:#?}");
    assert_eq!(names(&e.recipients), ["الشرطة"], "{e:#?}");
}

#[test]
fn the_victims_of_one_verbal_noun_are_not_the_actor_of_the_next() {
    let e = event(
        "وأسفرت العملية عن مقتل ثلاثة مسلحين واعتقال اثنين آخرين.",
        "واعتقال",
    );
    assert!(e.actors.iter().all(|p| p.text != "مسلحين"), "{e:#?}");
}

#[test]
fn who_holds_a_detainee_arrested_him() {
    let e = event(
        "وتحدثت وسائل إعلام عن توقيف شخص لبناني لدى السلطات التشيكية.",
        "توقيف",
    );
    assert_eq!(names(&e.actors), ["السلطات"], "{e:#?}");
    assert_eq!(names(&e.recipients), ["شخص لبناني"], "{e:#?}");
}

#[test]
fn a_definite_nisba_after_a_definite_plural_is_its_adjective() {
    let e = event("واعتقلت القوات الحكومية خمسة أشخاص في المدينة.", "واعتقلت");
    assert_eq!(names(&e.actors), ["القوات الحكومية"], "{e:#?}");
    // subject and object stay two: a plural in ين is no adjective
    let e = event("وفرقت الشرطة المتظاهرين أمام البرلمان.", "وفرقت");
    assert_eq!(names(&e.actors), ["الشرطة"], "{e:#?}");
}

#[test]
fn whom_a_body_serves_belongs_to_its_name() {
    let e = event("وهاجمت القوات الموالية للحكومة مواقع المسلحين.", "وهاجمت");
    assert_eq!(names(&e.actors), ["القوات الموالية للحكومة"], "{e:#?}");
}

#[test]
fn subjects_joined_after_the_verb_are_all_actors() {
    // "warplanes and helicopters shelled the district": both shelled, neither was shelled, and the
    // conjunction is no part of the name
    let e = event("وقصفت الطائرات الحربية والمروحيات الحي أمس.", "وقصفت");
    assert_eq!(names(&e.actors), ["الطائرات", "المروحيات"], "{e:#?}");
    assert!(e.recipients.is_empty(), "{e:#?}");
    // an object after the subject stays the object
    let e = event("واعتقلت الشرطة المتظاهرين والصحفيين أمس.", "واعتقلت");
    assert_eq!(names(&e.actors), ["الشرطة"], "{e:#?}");
}

#[test]
fn others_after_a_count_are_more_of_the_victims_before() {
    // "the army announced four gunmen killed and 20 others captured": the captured are gunmen
    // too, and the gunmen killed did not capture anyone
    let text = "أعلن الجيش مقتل أربعة مسلحين وأسر 20 آخرين.";
    let e = event(text, "وأسر");
    assert_eq!(names(&e.recipients), ["مسلحين"], "{e:#?}");
    assert!(e.actors.iter().all(|p| p.text != "مسلحين"), "{e:#?}");
}

#[test]
fn an_allegiance_word_belongs_to_the_body_with_or_without_whom() {
    let e = event("وقالت القوات الموالية إنها اعتقلت خمسة مسلحين.", "اعتقلت");
    assert_eq!(names(&e.actors), ["القوات الموالية"], "{e:#?}");
    let e = event("واعتقلت القوات الموالية للحكومة خمسة مسلحين.", "واعتقلت");
    assert_eq!(names(&e.actors), ["القوات الموالية للحكومة"], "{e:#?}");
}

#[test]
fn a_hidden_subject_after_baada_an_is_the_sentences_subject() {
    // "the government forces advanced on the town, after they had laid a siege to its
    // entrances": the forces laid it; the adjective belongs to their name
    let e = event(
        "باتت القوات الحكومية تتقدم نحو البلدة، في مسعى لطرد المسلحين، بعد أن فرضت حصارا على مداخلها.",
        "حصارا",
    );
    assert_eq!(names(&e.actors), ["القوات الحكومية"], "{e:#?}");
    let e = event(
        "باتت القوات الشرعية تتقدم نحو البلدة، بعد أن فرضت حصارا على مداخلها.",
        "حصارا",
    );
    assert_eq!(names(&e.actors), ["القوات الشرعية"], "{e:#?}");
}

#[test]
fn the_craft_of_a_haythu_clause_are_the_subjects() {
    // "the army stepped up its operations, where warplanes shelled the district": the army's
    // planes; with no such subject the planes stay the actor
    let e = event(
        "وقال التلفزيون إن الجيش كثف عملياته في المنطقة، حيث قصفت طائرات حربية الحي ليلا.",
        "قصفت",
    );
    assert_eq!(names(&e.actors), ["الجيش"], "{e:#?}");
    let e = event("وقصفت طائرات حربية الحي ليلا.", "وقصفت");
    assert_eq!(names(&e.actors), ["طائرات"], "{e:#?}");
}

#[test]
fn a_subjectless_feminine_verb_opening_a_sentence_takes_the_state_before() {
    // "Ankara is angry at … . And it threatened to launch further operations": Ankara threatens
    let text = "وتشعر أنقرة بالغضب من دعم الحلفاء للمقاتلين. وهددت بشن عمليات أخرى ضد المقاتلين.";
    let places = [super::place("أنقرة", text, "Ankara", "TR")];
    let ev = super::run_with(text, &places);
    let threat = ev
        .iter()
        .find(|e| e.event_type == Category::Threaten)
        .unwrap_or_else(|| panic!("{ev:#?}"));
    assert_eq!(names(&threat.actors), ["أنقرة"], "{threat:#?}");
    // a subject of its own keeps it
    let text = "وتشعر أنقرة بالغضب. وهددت الحكومة بشن عمليات أخرى ضد المقاتلين.";
    let places = [super::place("أنقرة", text, "Ankara", "TR")];
    let ev = super::run_with(text, &places);
    let threat = ev.iter().find(|e| e.event_type == Category::Threaten);
    assert!(
        threat.is_some_and(|e| e.actors.iter().all(|p| p.text != "أنقرة")),
        "{ev:#?}"
    );
}
