//! Hashtags as words: news copied from social media tags places (#صعدة، #مطار_هيثرو).

use marsad_text::{Token, TokenKind};

/// The tokens with each hashtag read as the words it joins, at their offsets in `text`.
pub(crate) fn words(text: &str, tokens: &[Token]) -> Vec<Token> {
    let mut out = Vec::with_capacity(tokens.len());
    for t in tokens {
        if t.kind != TokenKind::Hashtag {
            out.push(t.clone());
            continue;
        }
        // '_' and ' ' are one byte each: the offsets stay those of the text
        let body = text[t.start + 1..t.end].replace('_', " ");
        for mut w in marsad_text::token::tokenize(&body) {
            w.start += t.start + 1;
            w.end += t.start + 1;
            out.push(w);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::Gazetteer;

    fn places(text: &str) -> Vec<(String, String)> {
        let gaz = Gazetteer::builtin().expect("built-in gazetteer");
        gaz.places(text, &marsad_text::analyze(text), &[])
            .into_iter()
            .map(|p| (text[p.start..p.end].to_string(), p.country))
            .collect()
    }

    #[test]
    fn a_tagged_place_is_a_place() {
        let got = places("غارات جوية على محافظة #الحسكة و#دير_الزور ليلا");
        assert!(
            got.iter().any(|(t, c)| t.ends_with("الحسكة") && c == "SY"),
            "{got:?}"
        );
        assert!(
            got.iter()
                .any(|(t, c)| t.ends_with("دير_الزور") && c == "SY"),
            "{got:?}"
        );
    }

    #[test]
    fn a_tag_that_names_no_place_is_none() {
        assert!(places("#عاجل قال مسؤول إن الاجتماع انتهى").is_empty());
    }
}
