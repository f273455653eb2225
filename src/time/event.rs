//! One occurrence of an event, and how sure its dates are: what the
//! iCalendar reader yields and the knowledge tier stores and answers from.

use chrono::DateTime;
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// How sure the dates of an event are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Certainty {
    /// Announced by the city or the organiser (and every event of a
    /// calendar: a city's feed is its own announcement).
    #[default]
    Confirmed,
    /// Derived from a published rule ("the 16 days up to the first Sunday
    /// in October"): spoken as "voraussichtlich" / "expected".
    Expected,
}

impl Certainty {
    /// The certainty a corpus names: `confirmed` or `expected`.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "confirmed" => Some(Self::Confirmed),
            "expected" => Some(Self::Expected),
            _ => None,
        }
    }
}

/// One occurrence of an event, in the city's time zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// `UID` of the VEVENT.
    pub uid: String,
    /// `SUMMARY`.
    pub title: String,
    /// Start of this occurrence.
    pub start: DateTime<Tz>,
    /// End of this occurrence (exclusive).
    pub end: DateTime<Tz>,
    /// True for events given as dates without times.
    pub all_day: bool,
    /// `LOCATION`.
    pub location: Option<String>,
    /// `URL`.
    pub url: Option<String>,
    /// `DESCRIPTION`.
    pub description: Option<String>,
    /// `CATEGORIES`.
    pub categories: Vec<String>,
    /// How sure the dates are.
    pub certainty: Certainty,
    /// Id of the corpus event (`events.toml`) this is a run of; `None` for
    /// an event of a calendar.
    pub entry: Option<String>,
}
