//! Public holidays of Bavaria, as Munich keeps them (Bayerisches
//! Feiertagsgesetz Art. 1): the statewide ones plus Mariä Himmelfahrt,
//! which holds in municipalities with a Catholic majority, Munich among
//! them. Dates come from `holiday_de`; the `opening-hours` crate only knows
//! Germany's nationwide holidays, so `PH off` is evaluated against this
//! calendar instead.

use std::sync::{Arc, OnceLock};

use chrono::{Datelike, NaiveDate};
use compact_calendar::CompactCalendar;
use holiday_de::{GermanHoliday, GermanRegion};

use crate::lang::Lang;

/// First and last year the calendar covers (the opening-hours crate
/// evaluates nothing beyond its own date range anyway).
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// A public holiday.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Holiday(GermanHoliday);

impl Holiday {
    /// Its name as said in `lang`: "Allerheiligen", "All Saints' Day".
    pub fn name(self, lang: Lang) -> &'static str {
        use GermanHoliday::*;
        match lang {
            Lang::De => match self.0 {
                ErsterMai => "Tag der Arbeit",
                ErsterWeihnachtsfeiertag => "der erste Weihnachtsfeiertag",
                ZweiterWeihnachtsfeiertag => "der zweite Weihnachtsfeiertag",
                other => other.description(),
            },
            Lang::En => match self.0 {
                Neujahr => "New Year's Day",
                HeiligeDreiKoenige => "Epiphany",
                Karfreitag => "Good Friday",
                Ostersonntag => "Easter Sunday",
                Ostermontag => "Easter Monday",
                ErsterMai => "Labour Day",
                ChristiHimmelfahrt => "Ascension Day",
                Pfingstsonntag => "Whit Sunday",
                Pfingstmontag => "Whit Monday",
                Fronleichnam => "Corpus Christi",
                MariaeHimmelfahrt => "Assumption Day",
                TagDerDeutschenEinheit => "German Unity Day",
                Allerheiligen => "All Saints' Day",
                ErsterWeihnachtsfeiertag => "Christmas Day",
                ZweiterWeihnachtsfeiertag => "Boxing Day",
                other => other.description(),
            },
        }
    }
}

/// The public holiday on `date` in Munich, if any.
pub fn on(date: NaiveDate) -> Option<Holiday> {
    GermanRegion::Bayern
        .holiday_from_date(date)
        .filter(|h| *h != GermanHoliday::AugsburgerFriedensfest)
        .map(Holiday)
}

/// Munich's public holidays of `year`, in date order.
pub fn in_year(year: i32) -> Vec<(NaiveDate, Holiday)> {
    let mut days: Vec<(NaiveDate, Holiday)> = GermanRegion::Bayern
        .holiday_dates_in_year(year)
        .into_iter()
        .filter(|(_, h)| *h != GermanHoliday::AugsburgerFriedensfest)
        .map(|(d, h)| (d, Holiday(h)))
        .collect();
    days.sort_by_key(|(d, _)| *d);
    days
}

/// The holidays as the calendar `opening-hours` evaluates `PH` against,
/// built once.
pub fn calendar() -> Arc<CompactCalendar> {
    static CALENDAR: OnceLock<Arc<CompactCalendar>> = OnceLock::new();
    CALENDAR
        .get_or_init(|| {
            let mut c = CompactCalendar::default();
            for year in YEARS {
                for (d, _) in in_year(year) {
                    c.insert(d);
                }
            }
            Arc::new(c)
        })
        .clone()
}

/// True when `date` lies in the years the calendar covers.
pub fn covered(date: NaiveDate) -> bool {
    YEARS.contains(&date.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn munich_keeps_thirteen_holidays_including_the_assumption() {
        let days = in_year(2026);
        assert_eq!(days.len(), 13, "{days:?}");
        assert_eq!(
            on(d(2026, 8, 15)).map(|h| h.name(Lang::De)),
            Some("Mariä Himmelfahrt")
        );
    }

    #[test]
    fn every_holiday_of_2026_and_2027_falls_on_its_day() {
        let want = [
            "2026-01-01 Neujahr",
            "2026-01-06 Heilige Drei Könige",
            "2026-04-03 Karfreitag",
            "2026-04-06 Ostermontag",
            "2026-05-01 Tag der Arbeit",
            "2026-05-14 Christi Himmelfahrt",
            "2026-05-25 Pfingstmontag",
            "2026-06-04 Fronleichnam",
            "2026-08-15 Mariä Himmelfahrt",
            "2026-10-03 Tag der Deutschen Einheit",
            "2026-11-01 Allerheiligen",
            "2026-12-25 der erste Weihnachtsfeiertag",
            "2026-12-26 der zweite Weihnachtsfeiertag",
            "2027-01-01 Neujahr",
            "2027-01-06 Heilige Drei Könige",
            "2027-03-26 Karfreitag",
            "2027-03-29 Ostermontag",
            "2027-05-01 Tag der Arbeit",
            "2027-05-06 Christi Himmelfahrt",
            "2027-05-17 Pfingstmontag",
            "2027-05-27 Fronleichnam",
            "2027-08-15 Mariä Himmelfahrt",
            "2027-10-03 Tag der Deutschen Einheit",
            "2027-11-01 Allerheiligen",
            "2027-12-25 der erste Weihnachtsfeiertag",
            "2027-12-26 der zweite Weihnachtsfeiertag",
        ];
        let got: Vec<String> = [2026, 2027]
            .into_iter()
            .flat_map(in_year)
            .map(|(d, h)| format!("{d} {}", h.name(Lang::De)))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn easter_dependent_holidays_move_with_easter() {
        // Easter Sunday 2026: 5 April; 2027: 28 March.
        assert_eq!(
            on(d(2026, 4, 3)).map(|h| h.name(Lang::En)),
            Some("Good Friday")
        );
        assert_eq!(
            on(d(2027, 5, 6)).map(|h| h.name(Lang::De)),
            Some("Christi Himmelfahrt")
        );
        assert_eq!(
            on(d(2027, 5, 27)).map(|h| h.name(Lang::De)),
            Some("Fronleichnam")
        );
    }

    #[test]
    fn neither_augsburgs_peace_festival_nor_repentance_day_is_a_holiday_in_munich() {
        assert_eq!(on(d(2026, 8, 8)), None);
        assert_eq!(on(d(2026, 11, 18)), None);
        assert_eq!(on(d(2026, 12, 24)), None);
    }

    #[test]
    fn the_calendar_holds_every_holiday() {
        let c = calendar();
        assert!(c.contains(d(2027, 1, 6)));
        assert!(!c.contains(d(2027, 1, 7)));
    }
}
