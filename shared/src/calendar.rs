//! Working days of an omgevingsdienst: Monday to Friday, except the Dutch public holidays
//! (feestdagen) on which its offices are closed, so no visit is planned on them and the tablet
//! does not offer them as days. The holidays are those of the CAO Gemeenten that omgevingsdiensten
//! follow: Nieuwjaarsdag, Eerste en Tweede Paasdag, Koningsdag (26 April when the 27th is a
//! Sunday), Bevrijdingsdag (every year), Hemelvaartsdag, Eerste en Tweede Pinksterdag, Eerste en
//! Tweede Kerstdag. Goede Vrijdag is not one. Pure: the date is a parameter.

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveDateTime, Utc, Weekday};

/// Easter Sunday of a year of the Gregorian calendar (the anonymous "Meeus/Jones/Butcher"
/// computus).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    // Always a valid date: month 3 or 4, day 1..=31 within it.
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).unwrap_or(NaiveDate::MIN)
}

/// Whether `date` is a public holiday on which the agency's offices are closed.
pub fn is_public_holiday(date: NaiveDate) -> bool {
    let (month, day) = (date.month(), date.day());
    let fixed = matches!((month, day), (1, 1) | (5, 5) | (12, 25) | (12, 26));
    let kings_day = {
        let on_27 = NaiveDate::from_ymd_opt(date.year(), 4, 27).unwrap_or(NaiveDate::MIN);
        if on_27.weekday() == Weekday::Sun {
            (month, day) == (4, 26)
        } else {
            (month, day) == (4, 27)
        }
    };
    let easter = easter_sunday(date.year());
    let after_easter = |days: u64| easter.checked_add_days(Days::new(days));
    let movable = [0, 1, 39, 49, 50]
        .into_iter()
        .any(|offset| after_easter(offset) == Some(date));
    fixed || kings_day || movable
}

/// Monday to Friday and not a public holiday.
pub fn is_workday(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !is_public_holiday(date)
}

/// `count` working days from `start` on, `start` included when it is one.
pub fn workdays_from(start: NaiveDate, count: usize) -> Vec<NaiveDate> {
    start
        .iter_days()
        .filter(|d| is_workday(*d))
        .take(count)
        .collect()
}

/// The last Sunday of `month` in `year`.
fn last_sunday(year: i32, month: u32) -> Option<NaiveDate> {
    let first_of_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let last = first_of_next.pred_opt()?;
    let back = last.weekday().num_days_from_sunday();
    last.checked_sub_days(Days::new(u64::from(back)))
}

/// The wall-clock time in the Netherlands (Europe/Amsterdam) at `at`: CET (UTC+1), and CEST (UTC+2)
/// from 01:00 UTC on the last Sunday of March until 01:00 UTC on the last Sunday of October, the EU
/// rule in force since 1996. Office pages and the tablet show every time this way.
pub fn amsterdam(at: DateTime<Utc>) -> NaiveDateTime {
    let year = at.year();
    let summer = match (last_sunday(year, 3), last_sunday(year, 10)) {
        (Some(start), Some(end)) => {
            let from = start.and_hms_opt(1, 0, 0).map(|t| t.and_utc());
            let until = end.and_hms_opt(1, 0, 0).map(|t| t.and_utc());
            from.zip(until).is_some_and(|(f, u)| at >= f && at < u)
        }
        _ => false,
    };
    let offset = chrono::Duration::hours(if summer { 2 } else { 1 });
    (at + offset).naive_utc()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn easter_falls_on_the_published_dates() {
        for (year, date) in [
            (2000, "2000-04-23"),
            (2019, "2019-04-21"),
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2026, "2026-04-05"),
            (2027, "2027-03-28"),
            (2038, "2038-04-25"),
        ] {
            assert_eq!(easter_sunday(year), day(date), "{year}");
        }
    }

    #[test]
    fn the_holidays_of_2026_are_the_ones_on_the_calendar() {
        let holidays: Vec<String> = day("2026-01-01")
            .iter_days()
            .take_while(|d| d.year() == 2026)
            .filter(|d| is_public_holiday(*d))
            .map(|d| d.to_string())
            .collect();
        assert_eq!(
            holidays,
            [
                "2026-01-01", // Nieuwjaarsdag
                "2026-04-05", // Eerste Paasdag
                "2026-04-06", // Tweede Paasdag
                "2026-04-27", // Koningsdag
                "2026-05-05", // Bevrijdingsdag
                "2026-05-14", // Hemelvaartsdag
                "2026-05-24", // Eerste Pinksterdag
                "2026-05-25", // Tweede Pinksterdag
                "2026-12-25", // Eerste Kerstdag
                "2026-12-26", // Tweede Kerstdag
            ]
        );
    }

    #[test]
    fn kings_day_moves_to_saturday_when_the_27th_is_a_sunday() {
        assert!(is_public_holiday(day("2025-04-26")));
        assert!(!is_public_holiday(day("2025-04-27")));
        assert!(!is_public_holiday(day("2026-04-26")));
    }

    #[test]
    fn good_friday_is_a_workday() {
        assert!(is_workday(day("2026-04-03")));
    }

    #[test]
    fn workdays_skip_weekends_and_holidays_and_start_on_the_given_day_when_it_is_one() {
        let days = |start: &str, n| {
            workdays_from(day(start), n)
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            days("2026-11-27", 3),
            ["2026-11-27", "2026-11-30", "2026-12-01"]
        );
        assert_eq!(
            days("2026-12-24", 3),
            ["2026-12-24", "2026-12-28", "2026-12-29"]
        );
        assert_eq!(days("2026-05-13", 2), ["2026-05-13", "2026-05-15"]);
        assert!(days("2026-11-28", 0).is_empty());
    }

    #[test]
    fn every_year_has_ten_holidays_unless_ascension_is_liberation_day() {
        for year in 2020..2060 {
            let start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
            let holidays: Vec<NaiveDate> = start
                .iter_days()
                .take_while(|d| d.year() == year)
                .filter(|d| is_public_holiday(*d))
                .collect();
            let ascension_on_may_5 =
                easter_sunday(year) + Days::new(39) == NaiveDate::from_ymd_opt(year, 5, 5).unwrap();
            let expected = if ascension_on_may_5 { 9 } else { 10 };
            assert_eq!(holidays.len(), expected, "{year}: {holidays:?}");
            assert!(holidays.iter().all(|d| !is_workday(*d)));
        }
    }

    #[test]
    fn amsterdam_time_follows_the_eu_summer_time_rule() {
        let utc = |text: &str| text.parse::<DateTime<Utc>>().unwrap();
        let local = |text: &str| amsterdam(utc(text)).format("%d-%m-%Y %H:%M").to_string();
        // Winter: UTC+1; a late evening in UTC is the next day in Amsterdam.
        assert_eq!(local("2026-01-15T23:30:00Z"), "16-01-2026 00:30");
        // Summer: UTC+2.
        assert_eq!(local("2026-07-01T08:00:00Z"), "01-07-2026 10:00");
        // 2026: summer time from Sunday 29 March 01:00 UTC to Sunday 25 October 01:00 UTC.
        assert_eq!(local("2026-03-29T00:59:00Z"), "29-03-2026 01:59");
        assert_eq!(local("2026-03-29T01:00:00Z"), "29-03-2026 03:00");
        assert_eq!(local("2026-10-25T00:59:00Z"), "25-10-2026 02:59");
        assert_eq!(local("2026-10-25T01:00:00Z"), "25-10-2026 02:00");
        // A leap-year February and a December change of year.
        assert_eq!(local("2028-02-29T12:00:00Z"), "29-02-2028 13:00");
        assert_eq!(local("2026-12-31T23:15:00Z"), "01-01-2027 00:15");
    }
}
