//! The tag set (IOB2 over PERS, LOC, ORG, MISC as in ANERcorp) and the mapping of other corpora's
//! tags onto it.

/// Number of tags: O and B-/I- for four types.
pub const NT: usize = 9;

/// The tags in index order.
pub const TAGS: [&str; NT] = [
    "O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC",
];

/// The four entity types in index order (`type k` has tags `1 + 2k` and `2 + 2k`).
pub const TYPES: [&str; 4] = ["PERS", "LOC", "ORG", "MISC"];

/// The type index of a tag (`None` for O).
#[inline]
pub fn type_of(tag: u8) -> Option<usize> {
    (tag != 0).then(|| (tag as usize - 1) / 2)
}

/// Whether the tag is a B- tag.
#[inline]
pub fn is_begin(tag: u8) -> bool {
    tag != 0 && tag % 2 == 1
}

/// The B- tag of type `k`.
#[inline]
pub fn begin(k: usize) -> u8 {
    (1 + 2 * k) as u8
}

/// Whether `cur` may follow `prev` (`None` = sentence start) in IOB2: I-X only after B-X or I-X.
#[inline]
pub fn allowed(prev: Option<u8>, cur: u8) -> bool {
    if cur == 0 || is_begin(cur) {
        return true;
    }
    matches!(prev, Some(p) if type_of(p) == type_of(cur))
}

/// How WikiFANE's fine-grained types map onto the four types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FineMap {
    /// `Group` (peoples, nationalities, tribes: العرب، المسلمين): mapped to this type or dropped.
    pub group: Option<usize>,
    /// Facilities (Building-Grounds, Path, Airport, Subarea-Facility): a type or dropped.
    pub facility: Option<usize>,
    /// Products, vehicles, weapons, works (Book, Software, Air, …): a type or dropped.
    pub product: Option<usize>,
}

impl Default for FineMap {
    fn default() -> Self {
        FineMap {
            group: None,
            facility: Some(1),
            product: Some(3),
        }
    }
}

/// The type index of a type name: ANERcorp's (PERS, LOC, ORG, MISC), AQMAR's (PER, MIS) and
/// WikiFANE's fine types. `None` for unknown types and types mapped to O.
pub fn map_type(name: &str, fine: &FineMap) -> Option<usize> {
    Some(match name {
        "PERS" | "PER" => 0,
        "LOC" | "GPE" => 1,
        "ORG" => 2,
        "MISC" | "MIS" => 3,
        // WikiFANE persons
        "Politician" | "Artist" | "Scientist" | "Other_PER" | "Religious_PER" | "Athlete"
        | "Businessperson" | "Engineer" | "Lawyer" | "Police" => 0,
        // WikiFANE geo-political entities and locations
        "Nation"
        | "Population-Center"
        | "State-or-Province"
        | "County-or-District"
        | "GPE-Cluster"
        | "Continent"
        | "Water-Body"
        | "Land-Region-Natural"
        | "Celestial"
        | "Address"
        | "Boundary" => 1,
        // WikiFANE organizations
        "Government" | "Commercial" | "Educational" | "Media" | "Non-Governmental" | "Sports"
        | "Religious_ORG" | "Entertainment" | "Medical-Science" => 2,
        "Group" => return fine.group,
        "Building-Grounds" | "Path" | "Airport" | "Subarea-Facility" => return fine.facility,
        "Book" | "Movie" | "Sound" | "Software" | "Hardware" | "Food" | "Drug" | "Plant"
        | "Air" | "Water" | "Land" | "Blunt" | "Exploding" | "Shooting" | "Nuclear"
        | "Projectile" | "Sharp" | "Chemical" | "Biological" => return fine.product,
        _ => return None,
    })
}

/// Parses a tag (`O`, `B-X`, `I-X`, also `E-`/`S-` read as I-/B-) with the type mapping `fine`.
pub fn parse_tag(s: &str, fine: &FineMap) -> u8 {
    let Some((bio, name)) = s.split_once('-') else {
        return 0;
    };
    let Some(k) = map_type(name, fine) else {
        return 0;
    };
    match bio {
        "B" | "S" => begin(k),
        "I" | "E" => begin(k) + 1,
        _ => 0,
    }
}

/// Repairs a tag sequence to valid IOB2: an I-X that does not continue an X becomes B-X.
pub fn repair(tags: &mut [u8]) {
    let mut prev = None;
    for t in tags.iter_mut() {
        if !allowed(prev, *t) {
            *t -= 1;
        }
        prev = Some(*t);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_table() {
        let f = FineMap::default();
        for (s, want) in [
            ("O", "O"),
            ("B-PERS", "B-PERS"),
            ("I-PER", "I-PERS"),
            ("B-MIS", "B-MISC"),
            ("B-Nation", "B-LOC"),
            ("I-Politician", "I-PERS"),
            ("B-Media", "B-ORG"),
            ("B-Group", "O"),
            ("B-Book", "B-MISC"),
            ("B-Unknown", "O"),
        ] {
            assert_eq!(TAGS[parse_tag(s, &f) as usize], want, "{s}");
        }
    }

    #[test]
    fn repair_table() {
        let mut t = [0, 2, 2, 0, 3, 6];
        repair(&mut t);
        assert_eq!(t, [0, 1, 2, 0, 3, 5]);
    }
}
