//! What a sentence sets apart from what was told before it: a turn to another matter, a second
//! toll added to a first.

use super::*;

/// The triggers of the mentions of `text` that are told as another happening.
fn set_apart(text: &str) -> Vec<String> {
    found_with(text, &[])
        .into_iter()
        .filter(|f| f.other)
        .map(|f| f.event.trigger.text)
        .collect()
}

#[test]
fn a_toll_added_to_another_is_a_second_happening() {
    let text = "قتل 20 مسلحا في المواجهات قرب المدينة، إضافة إلى مقتل 9 عناصر حاولوا التسلل إلى مواقع الجيش.";
    let ev = run(text);
    assert_eq!(ev.len(), 2, "{ev:#?}");
    assert_eq!(set_apart(text), ["مقتل"]);
}

#[test]
fn what_is_added_without_a_toll_stays_the_same_happening() {
    // the destroyed vehicles are what the raids did
    let text = "شنت طائرات التحالف غارات على مواقع المسلحين، إضافة إلى تدمير عربتين.";
    assert!(set_apart(text).is_empty(), "{:#?}", run(text));
}

#[test]
fn a_sentence_that_turns_to_another_matter_tells_another_happening() {
    let text = "قتل جنديان في هجوم على حاجز للجيش. ومن جهة أخرى، قتل خمسة مسلحين في غارة جوية.";
    assert_eq!(set_apart(text), ["قتل"]);
    assert_eq!(found_with(text, &[]).iter().filter(|f| f.other).count(), 1);
}

#[test]
fn what_goes_alongside_is_set_apart_past_its_clause_only() {
    let text = "وبالتزامن مع المواجهات العنيفة، شنت قوات الجيش قصفا مكثفا استهدف مواقع المسلحين.";
    let apart = set_apart(text);
    assert!(apart.contains(&"قصفا".to_string()), "{apart:?}");
    assert!(!apart.contains(&"المواجهات".to_string()), "{apart:?}");
}

#[test]
fn field_news_after_the_politics_is_another_happening() {
    let text = "وأعلنت القوات أنها عززت سيطرتها على المدينة. ميدانيا، شنت القوات هجمات خلال الليل على مواقع المسلحين.";
    assert_eq!(set_apart(text), ["هجمات"]);
}
