//! The arithmetic (tabular) Islamic calendar, to and from the Gregorian calendar.

use chrono::{Datelike, NaiveDate};

/// Days since the Hijri epoch, as an R.D. day count (day 1 = 1 January of year 1, proleptic
/// Gregorian), in the arithmetic Islamic calendar.
fn hijri_fixed(y: i64, m: i64, d: i64) -> i64 {
    const EPOCH: i64 = 227_015; // 16 July 622 Julian
    EPOCH - 1 + (y - 1) * 354 + (3 + 11 * y).div_euclid(30) + 29 * (m - 1) + m / 2 + d
}

/// Converts a date of the arithmetic Islamic calendar to the Gregorian calendar.
pub fn hijri_to_gregorian(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    if !(1..=9000).contains(&year) || !(1..=12).contains(&month) {
        return None;
    }
    let leap = (14 + 11 * i64::from(year)).rem_euclid(30) < 11;
    let len = if month % 2 == 1 || (month == 12 && leap) {
        30
    } else {
        29
    };
    if day == 0 || day > len {
        return None;
    }
    let rd = hijri_fixed(i64::from(year), i64::from(month), i64::from(day));
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(rd).ok()?)
}

/// Converts a Gregorian date to the arithmetic Islamic calendar: (year, month, day).
pub fn gregorian_to_hijri(date: NaiveDate) -> (i32, u32, u32) {
    const EPOCH: i64 = 227_015;
    let rd = i64::from(date.num_days_from_ce());
    let year = (30 * (rd - EPOCH) + 10646).div_euclid(10631);
    let prior = rd - hijri_fixed(year, 1, 1);
    let month = ((11 * prior + 330).div_euclid(325)).clamp(1, 12);
    let day = rd - hijri_fixed(year, month, 1) + 1;
    (year as i32, month as u32, day as u32)
}

#[cfg(test)]
mod tests {
    use super::super::tests::ymd;
    use super::*;
    use chrono::Days;

    #[test]
    fn hijri_round_trip() {
        assert_eq!(hijri_to_gregorian(1, 1, 1), Some(ymd("0622-07-19")));
        for y in [1, 2, 1300, 1436, 1446, 1447, 1500] {
            for m in 1..=12 {
                for d in [1, 15, 29] {
                    let g = hijri_to_gregorian(y, m, d).unwrap();
                    assert_eq!(gregorian_to_hijri(g), (y, m, d), "{y}-{m}-{d}");
                }
            }
        }
        assert_eq!(hijri_to_gregorian(1436, 2, 30), None, "Safar has 29 days");
        // the day after the last of a year is 1 Muharram of the next
        let last = hijri_to_gregorian(1446, 12, 29).unwrap();
        let next = last.checked_add_days(Days::new(1)).unwrap();
        let (y, m, d) = gregorian_to_hijri(next);
        assert!((y, m, d) == (1447, 1, 1) || (y, m, d) == (1446, 12, 30));
    }
}
