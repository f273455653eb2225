//! The corpus as data: city, offices, FAQ entries, events.
//!
//! These types mirror the corpus files one to one (see the README's corpus
//! section), so that an editor's file and the program's view of it never
//! drift apart. Derived lookups live in [`crate::knowledge::Knowledge`].

pub use crate::time::event::{Certainty, Event};
use chrono::NaiveDate;
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::lang::Lang;
use crate::time::holidays::HolidayCalendar;

/// A value in German and English; either may be missing in a city's corpus.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Localized<T> {
    /// German.
    #[serde(default)]
    pub de: Option<T>,
    /// English.
    #[serde(default)]
    pub en: Option<T>,
}

impl<T> Localized<T> {
    /// The value in `lang`, if present.
    pub fn get(&self, lang: Lang) -> Option<&T> {
        match lang {
            Lang::De => self.de.as_ref(),
            Lang::En => self.en.as_ref(),
        }
    }

    /// The value in `lang`, else in the other language.
    pub fn get_or_other(&self, lang: Lang) -> Option<&T> {
        self.get(lang).or_else(|| self.get(lang.other()))
    }
}

/// `city.toml`: who the corpus is for.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct City {
    /// Short id, e.g. `muenchen`.
    pub id: String,
    /// The city's name per language.
    pub name: Localized<String>,
    /// IANA time zone of the city; opening hours and events are in it.
    #[serde(
        default = "default_tz",
        deserialize_with = "de_tz",
        serialize_with = "ser_tz"
    )]
    pub timezone: Tz,
    /// Id of the office named when the skill does not know (e.g. the 115 hotline).
    #[serde(default)]
    pub hotline: Option<String>,
    /// The city's main web site.
    #[serde(default)]
    pub url: Option<String>,
    /// The skill's invocation name per language ("stadt münchen"); the
    /// interaction models take it from here.
    #[serde(default)]
    pub invocation: Localized<String>,
    /// Whose public holidays `PH` means (`[holidays]` country, region,
    /// municipality); Munich's when not given.
    #[serde(default)]
    pub holidays: HolidayCalendar,
    /// The words for the calendars' event categories (`[[event_category]]`).
    #[serde(default, rename = "event_category")]
    pub event_categories: Vec<EventCategory>,
}

/// `[[event_category]]` of `city.toml`: how a calendar category is called
/// and what else citizens say for it, per language.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EventCategory {
    /// The category's folded words ("Märkte" → `maerkte`), as the
    /// calendars' categories fold.
    pub id: String,
    /// Its name per language ("Konzerte", "concerts").
    #[serde(default)]
    pub name: Localized<String>,
    /// Other words for it per language ("Livemusik", "live music").
    #[serde(default)]
    pub synonyms: Localized<Vec<String>>,
}

/// Wake words of the voice assistants the skill answers on: a question
/// typed as it was spoken may start with one.
const WAKE_WORDS: &[&str] = &["alexa"];

impl City {
    /// Words any question to this city's skill may carry without asking
    /// about anything ("Alexa, frag Stadt München, …"): the city's names,
    /// the invocation names and the wake words, folded.
    pub fn stop_words(&self) -> Vec<String> {
        let names = [
            &self.name.de,
            &self.name.en,
            &self.invocation.de,
            &self.invocation.en,
        ];
        let mut out: Vec<String> = (names.into_iter().flatten())
            .flat_map(|n| crate::matching::normalize::words(n))
            .chain(WAKE_WORDS.iter().map(|w| w.to_string()))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The city of a corpus without `city.toml`: "Stadt"/"City", Europe/Berlin.
    pub fn unnamed() -> Self {
        Self {
            id: "city".into(),
            name: Localized {
                de: Some("Stadt".into()),
                en: Some("City".into()),
            },
            timezone: default_tz(),
            hotline: None,
            url: None,
            invocation: Localized::default(),
            holidays: HolidayCalendar::default(),
            event_categories: Vec::new(),
        }
    }
}

fn default_tz() -> Tz {
    chrono_tz::Europe::Berlin
}

fn ser_tz<S: serde::Serializer>(tz: &Tz, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(tz.name())
}

fn de_tz<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Tz, D::Error> {
    let s = String::deserialize(d)?;
    s.parse::<Tz>()
        .map_err(|_| serde::de::Error::custom(format!("unknown time zone {s:?}")))
}

/// A city office, hotline or other place citizens go to.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Office {
    /// Stable id, also the slot value id in the interaction model.
    pub id: String,
    /// Grouping, e.g. `buergerbuero`, `wertstoffhof`.
    #[serde(default)]
    pub kind: Option<String>,
    /// Spoken name per language.
    pub name: Localized<String>,
    /// German article of the name (`der`, `die`, `das`), so that sentences
    /// can say "das Bürgerbüro" and "vom Bürgerbüro".
    #[serde(default)]
    pub article: Option<String>,
    /// Other ways citizens name the office, per language.
    #[serde(default)]
    pub synonyms: Localized<Vec<String>>,
    /// Postal address, as far as confirmed.
    #[serde(default)]
    pub address: Option<String>,
    /// A remark on the address (entrance, appointments).
    #[serde(default)]
    pub address_note: Option<Localized<String>>,
    /// Phone number as printed.
    #[serde(default)]
    pub phone: Option<String>,
    /// E-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// The office's web page.
    #[serde(default)]
    pub url: Option<String>,
    /// Opening hours in OpenStreetMap `opening_hours` syntax.
    #[serde(default)]
    pub opening_hours: Option<String>,
    /// Date of the source of the opening hours; spoken ("laut Stand Juli 2019").
    #[serde(default)]
    pub hours_as_of: Option<NaiveDate>,
    /// Keywords of what the office handles.
    #[serde(default)]
    pub topics: Vec<String>,
    /// A short spoken remark (e.g. planned closure).
    #[serde(default)]
    pub note: Option<Localized<String>>,
    /// Set when the office serves only by appointment: said in every
    /// hours answer, since "open now" means nothing without one.
    #[serde(default)]
    pub appointment: Option<Appointment>,
    /// Where the facts come from.
    pub source: String,
    /// Date of the newest source, `YYYY-MM` or `YYYY-MM-DD`.
    pub as_of: String,
}

/// How an office that serves only by appointment is booked, and what it
/// does without one.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Appointment {
    /// Where to book online, as said ("stadt.muenchen.de").
    #[serde(default)]
    pub online: Option<String>,
    /// The booking line, as printed.
    #[serde(default)]
    pub phone: Option<String>,
    /// What needs no appointment, where a source names it ("Schlüssel
    /// ansehen im Erdgeschoss").
    #[serde(default)]
    pub walk_in: Option<Localized<String>>,
    /// Where the rule comes from.
    pub source: String,
    /// Date of that source.
    pub as_of: String,
}

impl Office {
    /// The name in `lang`, else in the other language, else the id.
    pub fn name(&self, lang: Lang) -> &str {
        self.name
            .get_or_other(lang)
            .map_or(&self.id, String::as_str)
    }
}

/// The text of a FAQ entry in one language.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FaqText {
    /// Ways citizens ask this question.
    #[serde(default)]
    pub questions: Vec<String>,
    /// The short spoken answer.
    #[serde(default)]
    pub answer: String,
    /// Longer text for the card.
    #[serde(default)]
    pub card: Option<String>,
}

/// The FAQ id of a city's own out-of-scope examples: questions its
/// citizens ask that the city does not answer (a bank's loan, the gym's
/// registration). Their phrasings need no answer, source or `as_of`; the
/// entry is ranked like any other, and a question it wins is not answered
/// (the skill says it does not know, with the 115), so a near miss that
/// shares words with a city topic loses to the example written for it.
pub const OUT_OF_SCOPE_ID: &str = "out-of-scope";

/// A question citizens ask and the city's answer.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FaqEntry {
    /// Stable id.
    pub id: String,
    /// Id of the responsible office.
    #[serde(default)]
    pub office: Option<String>,
    /// Web page with details.
    #[serde(default)]
    pub url: Option<String>,
    /// Keywords.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Where the facts come from.
    #[serde(default)]
    pub source: String,
    /// Date of the newest source.
    #[serde(default)]
    pub as_of: String,
    /// German text.
    #[serde(default)]
    pub de: Option<FaqText>,
    /// English text.
    #[serde(default)]
    pub en: Option<FaqText>,
}

impl FaqEntry {
    /// True for the corpus's out-of-scope examples ([`OUT_OF_SCOPE_ID`]):
    /// matched like an entry, never answered.
    pub fn is_out_of_scope(&self) -> bool {
        self.id == OUT_OF_SCOPE_ID
    }

    /// The text in `lang`, if the entry has one.
    pub fn text(&self, lang: Lang) -> Option<&FaqText> {
        match lang {
            Lang::De => self.de.as_ref(),
            Lang::En => self.en.as_ref(),
        }
    }
}

/// One run of an event (`[[event.dates]]` of `events.toml`): first and
/// last day, and how sure they are.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EventDates {
    /// First day, `YYYY-MM-DD`.
    pub first: NaiveDate,
    /// Last day (included); the first day when left out.
    #[serde(default)]
    pub last: Option<NaiveDate>,
    /// `confirmed` or `expected`; kept as written so that `check` can name
    /// a wrong one with its line ([`EventDates::certainty`] reads it).
    #[serde(default)]
    pub certainty: String,
    /// Where these dates come from, when not from the event's `source`
    /// (a press release of that year, the rule they follow).
    #[serde(default)]
    pub source: Option<String>,
    /// Date of that source.
    #[serde(default)]
    pub as_of: Option<String>,
}

impl EventDates {
    /// The last day (the first for a one-day event).
    pub fn last(&self) -> NaiveDate {
        self.last.unwrap_or(self.first)
    }

    /// How sure the dates are; an unknown word (which `check` refuses)
    /// counts as expected, the weaker claim.
    pub fn certainty(&self) -> Certainty {
        Certainty::parse(&self.certainty).unwrap_or(Certainty::Expected)
    }
}

/// An event of the corpus (`[[event]]` of `events.toml`): one that comes
/// back every year, with the names people use for it, its place, its
/// daily hours, and its dates year by year.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EventEntry {
    /// Stable id, also the `EVENT` slot value id.
    pub id: String,
    /// Its name per language.
    pub name: Localized<String>,
    /// German article of the name (`der`, `die`, `das`): "der
    /// Christkindlmarkt", "die Wiesn".
    #[serde(default)]
    pub article: Option<String>,
    /// Other names citizens use ("Wiesn", "Weihnachtsmarkt"), per
    /// language. A name several events share ("Auer Dult") stands for the
    /// next of them.
    #[serde(default)]
    pub aliases: Localized<Vec<String>>,
    /// Where, as said after the name: "am Marienplatz", "on Marienplatz".
    #[serde(default)]
    pub at: Localized<String>,
    /// The place as written on the card.
    #[serde(default)]
    pub place: Option<String>,
    /// The organiser's or the city's page.
    #[serde(default)]
    pub url: Option<String>,
    /// Categories, as in `CATEGORIES` of a calendar.
    #[serde(default)]
    pub categories: Vec<String>,
    /// Daily hours in OpenStreetMap `opening_hours` syntax.
    #[serde(default)]
    pub hours: Option<String>,
    /// Year of the source of the hours; said for the dates of other years
    /// ("laut Stand 2025").
    #[serde(default)]
    pub hours_year: Option<i32>,
    /// A remark for the card ("Eintritt frei").
    #[serde(default)]
    pub note: Option<Localized<String>>,
    /// Its runs, in date order.
    #[serde(default)]
    pub dates: Vec<EventDates>,
    /// Where the facts (name, place, hours) come from.
    #[serde(default)]
    pub source: String,
    /// Date of the newest source.
    #[serde(default)]
    pub as_of: String,
}

impl EventEntry {
    /// The name in `lang`, else in the other language, else the id.
    pub fn name(&self, lang: Lang) -> &str {
        self.name
            .get_or_other(lang)
            .map_or(&self.id, String::as_str)
    }

    /// Every name: id, names and aliases in both languages.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id.as_str()).chain(Lang::ALL.into_iter().flat_map(|l| {
            (self.name.get(l).into_iter())
                .chain(self.aliases.get(l).into_iter().flatten())
                .map(String::as_str)
        }))
    }
}
