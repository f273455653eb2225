//! Public holidays as a value: the calendar of one place (country, region,
//! municipality), built from the corpus's `city.toml` and handed to the
//! opening hours that evaluate `PH` against it. Dates come from
//! `holiday_de`; the `opening-hours` crate only knows Germany's nationwide
//! holidays.
//!
//! Bavaria (Bayerisches Feiertagsgesetz Art. 1) is the one region whose
//! holidays depend on the municipality: Mariä Himmelfahrt holds where most
//! people are Catholic (Munich among them; `assumption_day = false`
//! otherwise), and the Augsburger Friedensfest (8 August) only in the city
//! of Augsburg.

use std::sync::{Arc, OnceLock};

use chrono::{Datelike, NaiveDate};
use compact_calendar::CompactCalendar;
use holiday_de::{GermanHoliday, GermanRegion};
use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// First and last year the calendar covers (the opening-hours crate
/// evaluates nothing beyond its own date range anyway).
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// A place whose public holidays are not known.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HolidayError {
    /// Only German holidays are known.
    #[error("holidays of country {0:?} are not known (only \"DE\")")]
    Country(String),
    /// Not one of the 16 German states (ISO 3166-2 code, e.g. "BY").
    #[error("region {0:?} is not a German state (ISO 3166-2, e.g. \"BY\" or \"DE-BY\")")]
    Region(String),
}

/// Where the holidays hold, as `city.toml` says it:
/// `[holidays] country = "DE", region = "BY", municipality = "München"`.
/// Without it: Munich's (the embedded corpus's city).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidayPlace {
    /// ISO 3166-1 code of the country.
    pub country: String,
    /// ISO 3166-2 code of the state ("BY" or "DE-BY").
    pub region: String,
    /// The municipality, for holidays of one city (Augsburg's 8 August).
    #[serde(default)]
    pub municipality: Option<String>,
    /// Bavaria: whether Mariä Himmelfahrt holds (municipalities with a
    /// Catholic majority; the default there).
    #[serde(default)]
    pub assumption_day: Option<bool>,
}

impl Default for HolidayPlace {
    fn default() -> Self {
        Self {
            country: "DE".into(),
            region: "BY".into(),
            municipality: Some("München".into()),
            assumption_day: Some(true),
        }
    }
}

/// The public holidays of one place. Cheap to build and to clone: the
/// table `PH` is evaluated against is computed on first use and shared.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(try_from = "HolidayPlace", into = "HolidayPlace")]
pub struct HolidayCalendar {
    place: HolidayPlace,
    region: GermanRegion,
    assumption_day: bool,
    augsburg: bool,
    table: Arc<OnceLock<Arc<CompactCalendar>>>,
}

impl PartialEq for HolidayCalendar {
    fn eq(&self, other: &Self) -> bool {
        self.place == other.place
    }
}

impl Default for HolidayCalendar {
    /// Munich's.
    fn default() -> Self {
        Self::munich()
    }
}

impl From<HolidayCalendar> for HolidayPlace {
    fn from(c: HolidayCalendar) -> Self {
        c.place
    }
}

impl TryFrom<HolidayPlace> for HolidayCalendar {
    type Error = HolidayError;
    fn try_from(place: HolidayPlace) -> Result<Self, HolidayError> {
        Self::new(place)
    }
}

/// The German states by ISO 3166-2 code.
const STATES: &[(&str, GermanRegion)] = &[
    ("BW", GermanRegion::BadenWuerttemberg),
    ("BY", GermanRegion::Bayern),
    ("BE", GermanRegion::Berlin),
    ("BB", GermanRegion::Brandenburg),
    ("HB", GermanRegion::Bremen),
    ("HH", GermanRegion::Hamburg),
    ("HE", GermanRegion::Hessen),
    ("MV", GermanRegion::MechlenburgVorpommern),
    ("NI", GermanRegion::Niedersachsen),
    ("NW", GermanRegion::NordrheinWestfalen),
    ("RP", GermanRegion::RheinlandPfalz),
    ("SL", GermanRegion::Saarland),
    ("SN", GermanRegion::Sachsen),
    ("ST", GermanRegion::SachsenAnhalt),
    ("SH", GermanRegion::SchleswigHolstein),
    ("TH", GermanRegion::Thueringen),
];

impl HolidayCalendar {
    /// The calendar of `place`.
    ///
    /// # Errors
    /// When the country is not Germany or the region not one of its states.
    pub fn new(place: HolidayPlace) -> Result<Self, HolidayError> {
        if !place.country.eq_ignore_ascii_case("DE") {
            return Err(HolidayError::Country(place.country));
        }
        let code = place.region.trim().to_ascii_uppercase();
        let code = code.strip_prefix("DE-").unwrap_or(&code);
        let Some(&(_, region)) = STATES.iter().find(|(c, _)| *c == code) else {
            return Err(HolidayError::Region(place.region));
        };
        let bavaria = region == GermanRegion::Bayern;
        let augsburg = bavaria
            && place
                .municipality
                .as_deref()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case("augsburg"));
        Ok(Self {
            assumption_day: !bavaria || place.assumption_day.unwrap_or(true),
            region,
            augsburg,
            place,
            table: Arc::default(),
        })
    }

    /// Munich's: Bavaria's holidays with Mariä Himmelfahrt.
    pub fn munich() -> Self {
        Self {
            place: HolidayPlace::default(),
            region: GermanRegion::Bayern,
            assumption_day: true,
            augsburg: false,
            table: Arc::default(),
        }
    }

    /// Where these holidays hold.
    pub fn place(&self) -> &HolidayPlace {
        &self.place
    }

    fn holds(&self, h: GermanHoliday) -> bool {
        match h {
            GermanHoliday::AugsburgerFriedensfest => self.augsburg,
            GermanHoliday::MariaeHimmelfahrt => self.assumption_day,
            _ => true,
        }
    }

    /// The public holiday on `date` here, if any.
    pub fn on(&self, date: NaiveDate) -> Option<Holiday> {
        if self.augsburg && date.month() == 8 && date.day() == 8 {
            return Some(Holiday(GermanHoliday::AugsburgerFriedensfest));
        }
        self.region
            .holiday_from_date(date)
            .filter(|h| self.holds(*h))
            .map(Holiday)
    }

    /// The public holidays of `year` here, in date order.
    pub fn in_year(&self, year: i32) -> Vec<(NaiveDate, Holiday)> {
        let mut days: Vec<(NaiveDate, Holiday)> = (self.region.holiday_dates_in_year(year))
            .into_iter()
            .filter(|(_, h)| self.holds(*h))
            .map(|(d, h)| (d, Holiday(h)))
            .collect();
        if let Some(d) = NaiveDate::from_ymd_opt(year, 8, 8).filter(|_| self.augsburg) {
            if !days.iter().any(|(x, _)| *x == d) {
                days.push((d, Holiday(GermanHoliday::AugsburgerFriedensfest)));
            }
        }
        days.sort_by_key(|(d, _)| *d);
        days
    }

    /// The table `opening-hours` evaluates `PH` against, built on first use.
    pub fn table(&self) -> Arc<CompactCalendar> {
        self.table
            .get_or_init(|| {
                let mut c = CompactCalendar::default();
                for year in YEARS {
                    for (d, _) in self.in_year(year) {
                        c.insert(d);
                    }
                }
                Arc::new(c)
            })
            .clone()
    }

    /// True when `date` lies in the years the calendar covers.
    pub fn covers(&self, date: NaiveDate) -> bool {
        YEARS.contains(&date.year())
    }
}

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
                AugsburgerFriedensfest => "Augsburg's Peace Festival",
                other => other.description(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(date: NaiveDate) -> Option<Holiday> {
        HolidayCalendar::munich().on(date)
    }

    fn in_year(year: i32) -> Vec<(NaiveDate, Holiday)> {
        HolidayCalendar::munich().in_year(year)
    }

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
        let c = HolidayCalendar::munich().table();
        assert!(c.contains(d(2027, 1, 6)));
        assert!(!c.contains(d(2027, 1, 7)));
    }

    fn place(
        region: &str,
        municipality: Option<&str>,
        assumption_day: Option<bool>,
    ) -> HolidayPlace {
        HolidayPlace {
            country: "DE".into(),
            region: region.into(),
            municipality: municipality.map(String::from),
            assumption_day,
        }
    }

    #[test]
    fn augsburg_keeps_its_peace_festival_and_munich_does_not() {
        let augsburg = HolidayCalendar::new(place("BY", Some("Augsburg"), None)).unwrap();
        assert_eq!(
            augsburg.on(d(2026, 8, 8)).map(|h| h.name(Lang::De)),
            Some("Augsburger Friedensfest")
        );
        assert_eq!(augsburg.in_year(2026).len(), 14);
        assert_eq!(HolidayCalendar::munich().on(d(2026, 8, 8)), None);
    }

    #[test]
    fn a_protestant_bavarian_municipality_works_on_the_assumption() {
        let c = HolidayCalendar::new(place("DE-BY", Some("Rothenburg"), Some(false))).unwrap();
        assert_eq!(c.on(d(2026, 8, 15)), None);
        assert_eq!(c.in_year(2026).len(), 12);
    }

    #[test]
    fn another_state_has_its_own_holidays() {
        let berlin = HolidayCalendar::new(place("BE", None, None)).unwrap();
        assert_eq!(berlin.on(d(2026, 1, 6)), None);
        assert!(berlin.on(d(2026, 3, 8)).is_some());
        assert!(!berlin.table().contains(d(2026, 11, 1)));
    }

    #[test]
    fn an_unknown_region_or_country_is_an_error() {
        assert_eq!(
            HolidayCalendar::new(place("XX", None, None)).err(),
            Some(HolidayError::Region("XX".into()))
        );
        let mut at = place("BY", None, None);
        at.country = "AT".into();
        assert!(matches!(
            HolidayCalendar::new(at),
            Err(HolidayError::Country(_))
        ));
    }
}
