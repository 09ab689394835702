//! Tests of numbers, quantities and their units.

use super::*;

#[test]
fn data_files_parse() {
    let t = Tables::get();
    let n = data_lines(NUMBER_WORDS).count();
    assert_eq!(t.words.len(), n, "every number-words.tsv line parses");
    let m = data_lines(BOUND_PHRASES)
        .filter(|f| f.len() == 4 && parse_bound(f[1]).is_some())
        .count();
    assert_eq!(m, data_lines(BOUND_PHRASES).count());
}

const NUMBERS: &[(&str, Option<f64>)] = &[
    ("15", Some(15.0)),
    ("١٥", Some(15.0)),
    ("۱۵", Some(15.0)),
    ("2٫5", Some(2.5)),
    ("2.5", Some(2.5)),
    ("1,500", Some(1500.0)),
    ("١٬٥٠٠", Some(1500.0)),
    ("1.500.000", Some(1_500_000.0)),
    ("1,500.25", Some(1500.25)),
    ("2,5", Some(2.5)),
    ("2015", Some(2015.0)),
    ("واحد", Some(1.0)),
    ("واحدة", Some(1.0)),
    ("اثنان", Some(2.0)),
    ("اثنين", Some(2.0)),
    ("اثنتين", Some(2.0)),
    ("ثلاث", Some(3.0)),
    ("ثلاثة", Some(3.0)),
    ("ثلاثه", Some(3.0)),
    ("أربعة", Some(4.0)),
    ("ثمانى", Some(8.0)),
    ("عشرة", Some(10.0)),
    ("أحد عشر", Some(11.0)),
    ("إحدى عشرة", Some(11.0)),
    ("اثنا عشر", Some(12.0)),
    ("ثلاثة عشر", Some(13.0)),
    ("تسع عشرة", Some(19.0)),
    ("عشرون", Some(20.0)),
    ("عشرين", Some(20.0)),
    ("تسعين", Some(90.0)),
    ("خمسة وعشرون", Some(25.0)),
    ("خمس و عشرين", Some(25.0)),
    ("وثلاثة", Some(3.0)),
    ("مئة", Some(100.0)),
    ("مائة", Some(100.0)),
    ("مئتان", Some(200.0)),
    ("ثلاثمائة", Some(300.0)),
    ("ثلاث مئة", Some(300.0)),
    ("مئة وخمسون", Some(150.0)),
    ("مائة وخمسة وعشرون", Some(125.0)),
    ("ألف", Some(1000.0)),
    ("ألفين", Some(2000.0)),
    ("ثلاثة آلاف", Some(3000.0)),
    ("15 ألف", Some(15000.0)),
    ("خمسة عشر ألفا", Some(15000.0)),
    ("ألف وخمسمائة", Some(1500.0)),
    ("مئة ألف", Some(100_000.0)),
    ("مليون", Some(1_000_000.0)),
    ("2.5 مليون", Some(2_500_000.0)),
    ("٢٫٥ مليون", Some(2_500_000.0)),
    ("مليون و200 ألف", Some(1_200_000.0)),
    ("ملياري", Some(2e9)),
    ("نصف مليون", Some(500_000.0)),
    ("عشرات", Some(20.0)),
    ("العشرات", Some(20.0)),
    ("مئات", Some(200.0)),
    ("آلاف", Some(2000.0)),
    ("عشرات الآلاف", Some(20_000.0)),
    ("مئات الملايين", Some(200_000_000.0)),
    // not numbers, or not one number
    ("أحد", None),
    ("الاثنين", None),
    ("المئة", None),
    ("نصف", None),
    ("15 و20", None),
    ("لست", None),
    ("دولار", None),
    ("", None),
    ("1.2.3", None),
    ("99999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999", None),
];

#[test]
fn number_table() {
    for (s, want) in NUMBERS {
        assert_eq!(parse_number(s), *want, "parse_number({s:?})");
    }
}

/// (text, [(span text, value, approximate, bound)])
type QCase = (&'static str, &'static [(&'static str, f64, bool, Bound)]);
const QUANTITIES: &[QCase] = &[
    (
        "رشاوى تصل إلى 500 دولار للفرد",
        &[("تصل إلى 500", 500.0, false, Bound::UpTo)],
    ),
    (
        "أن حوالى 15 من قيادات داعش قد هربوا",
        &[("حوالى 15", 15.0, true, Bound::Exact)],
    ),
    (
        "قتل عشرات المدنيين",
        &[("عشرات", 20.0, true, Bound::AtLeast)],
    ),
    (
        "نزح أكثر من 1,500 شخص و ما يزيد على ثلاثة آلاف آخرين",
        &[
            ("أكثر من 1,500", 1500.0, false, Bound::AtLeast),
            ("ما يزيد على ثلاثة آلاف", 3000.0, false, Bound::AtLeast),
        ],
    ),
    (
        "ما لا يقل عن 20 قتيلا وأقل من عشرة جرحى",
        &[
            ("ما لا يقل عن 20", 20.0, false, Bound::AtLeast),
            ("وأقل من عشرة", 10.0, false, Bound::UpTo),
        ],
    ),
    (
        "ارتفع بنحو 2.5 مليون وقرابة ١٥ ألف",
        &[
            ("بنحو 2.5 مليون", 2_500_000.0, true, Bound::Exact),
            ("وقرابة ١٥ ألف", 15000.0, true, Bound::Exact),
        ],
    ),
    (
        "قتل 12 شخصا على الأقل و30 تقريبا",
        &[
            ("12 شخصا على الأقل", 12.0, false, Bound::AtLeast),
            ("30 تقريبا", 30.0, true, Bound::Exact),
        ],
    ),
    (
        "اعتقل خمسة وعشرون شخصا بـ15 دولارا",
        &[
            ("خمسة وعشرون", 25.0, false, Bound::Exact),
            ("15", 15.0, false, Bound::Exact),
        ],
    ),
    ("في 25/11/2026 الساعة 10:30", &[]),
    (
        "زهاء مئات الآلاف",
        &[("زهاء مئات الآلاف", 200_000.0, true, Bound::AtLeast)],
    ),
    ("يصل إلى حتى", &[]),
    ("نحو الموصل", &[]),
    (
        "قال يوم الاثنين إن 10 في المئة",
        &[("10", 10.0, false, Bound::Exact)],
    ),
    ("منذ عام 2015", &[("2015", 2015.0, false, Bound::Exact)]),
];

#[test]
fn quantity_table() {
    for (text, want) in QUANTITIES {
        let toks = crate::token::tokenize(text);
        let got: Vec<_> = find_quantities(text, &toks)
            .iter()
            .map(|q| (&text[q.start..q.end], q.value, q.approximate, q.bound))
            .collect();
        assert_eq!(got, *want, "quantities of {text:?}");
    }
}

#[test]
fn units_after_numbers() {
    let cases: &[(&str, &[Option<Unit>])] = &[
        ("قتل 12 شخصا خلال 48 ساعة", &[None, Some(Unit::Time)]),
        ("أصيب طفل يبلغ من العمر 9 أعوام", &[Some(Unit::Time)]),
        ("منذ ثلاثة أيام", &[Some(Unit::Time)]),
        ("على بعد 20 كلم من المدينة", &[Some(Unit::Length)]),
        ("ارتفعت بنسبة 10 في المئة", &[Some(Unit::Percent)]),
        (
            "ارتفعت 7 بالمئة و3%",
            &[Some(Unit::Percent), Some(Unit::Percent)],
        ),
        ("صادرت 5 أطنان من المخدرات", &[Some(Unit::Weight)]),
        ("غرامة 500 دولار", &[Some(Unit::Money)]),
        ("قصفت المدينة 4 مرات", &[Some(Unit::Times)]),
        ("اعتقل 30 متظاهرا", &[None]),
        ("وقع الانفجار الساعة 10 صباحا", &[Some(Unit::Time)]),
        // a year after a word of time, not a number of people
        (
            "قتل منذ 2011 أكثر من 300 ألف شخص",
            &[Some(Unit::Time), None],
        ),
        ("وفي 2015 قتل 1500 شخص", &[Some(Unit::Time), None]),
        ("قتل في القصف 2015 شخصا", &[None]),
    ];
    for (text, want) in cases {
        let toks = crate::token::tokenize(text);
        let got: Vec<_> = find_quantities(text, &toks)
            .iter()
            .map(|q| q.unit)
            .collect();
        assert_eq!(got, *want, "units of {text:?}");
    }
    let t = Tables::get();
    let n = data_lines(UNITS).count();
    let parsed: usize =
        t.units.values().map(Vec::len).sum::<usize>() + t.units_before.len() + t.years_after.len();
    assert_eq!(parsed, n, "every units.tsv line parses");
}

#[test]
fn serde_names() {
    assert_eq!(
        serde_json::to_string(&Bound::AtLeast).unwrap(),
        "\"at_least\""
    );
    assert_eq!(serde_json::to_string(&Bound::UpTo).unwrap(), "\"up_to\"");
}
