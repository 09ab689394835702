//! Which modes of attack tell two reports apart: a suicide bombing and an explosion are one
//! kind of act, an air strike and a bombing in a mosque are two.

/// The family of an ASSAULT mode, where it has one: air and artillery, explosives (a suicide
/// bomber's too), firearms, a targeted killing, an abduction, blows and torture.
pub fn mode_family(m: &str) -> Option<u8> {
    Some(match m {
        "aerial" | "drone" | "heavy-weapons" => 0,
        "explosives" | "suicide-attack" => 1,
        "firearms" => 2,
        "targeted" => 3,
        "abduct" => 4,
        "torture" | "beat" | "primitive" | "sexual" => 5,
        _ => return None,
    })
}

/// Whether two mode lists cannot describe one act: both name families of attack and share
/// none, or (with no family on one side) both name other modes and share none.
pub fn modes_apart(a: &[String], b: &[String]) -> bool {
    let ka: Vec<u8> = a.iter().filter_map(|m| mode_family(m)).collect();
    let kb: Vec<u8> = b.iter().filter_map(|m| mode_family(m)).collect();
    if !ka.is_empty() && !kb.is_empty() {
        return !ka.iter().any(|k| kb.contains(k));
    }
    fn plain(v: &[String]) -> Vec<&String> {
        v.iter().filter(|m| mode_family(m).is_none()).collect()
    }
    let (pa, pb) = (plain(a), plain(b));
    !pa.is_empty() && !pb.is_empty() && !pa.iter().any(|m| pb.contains(m))
}

/// Whether two mode lists share a mode or an ASSAULT family (a suicide bombing and an
/// explosion): the same kind of act.
pub fn modes_share(a: &[String], b: &[String]) -> bool {
    a.iter().any(|m| {
        b.iter()
            .any(|n| m == n || mode_family(m).is_some_and(|f| mode_family(n) == Some(f)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn a_suicide_bombing_is_a_bombing_and_an_air_strike_is_not() {
        assert!(!modes_apart(&v(&["suicide-attack"]), &v(&["explosives"])));
        assert!(modes_apart(&v(&["aerial"]), &v(&["explosives"])));
        assert!(!modes_apart(&v(&[]), &v(&["explosives"])));
        assert!(!modes_apart(&v(&["demo"]), &v(&["demo", "riot"])));
        assert!(modes_apart(&v(&["arrest"]), &v(&["seize"])));
    }
}
