//! "Is it open now?": the answer's first sentences for any opening-hours
//! expression, in German and English. Shared by the office answers and by
//! `city-skill hours`, which the differential test against opening_hours.js
//! runs (tests/it/reference_hours.rs).

use chrono::{NaiveDateTime, TimeZone as _};
use chrono_tz::Tz;

use crate::lang::Lang;
use crate::time::holidays::Holiday;
use crate::time::hours::{Hours, State, Status};
use crate::time::speak;

use super::texts::capitalize;

/// How the office is named in the answer.
#[derive(Clone, Copy, Debug)]
pub struct Named<'a> {
    /// With its article: "das Bürgerbüro Pasing", "the Bürgerbüro Pasing".
    pub name: &'a str,
    /// "vom Bürgerbüro Pasing", "of the Bürgerbüro Pasing".
    pub of: &'a str,
    /// The German pronoun for "it opens": "Es", "Sie", "Er".
    pub pronoun: &'a str,
}

/// The answer to "is it open now?" and what it rests on.
#[derive(Clone, Debug)]
pub struct OpenNow {
    /// The sentences, without a final period.
    pub text: String,
    /// The evaluation.
    pub status: Status,
    /// The public holiday the answer names.
    pub holiday: Option<Holiday>,
    /// A holiday today that the answer leaves out because it changes
    /// nothing (closed on such a weekday anyway).
    pub quiet_holiday: bool,
    /// The hours say nothing sure now (`unknown`, a comment): the caller
    /// adds the phone number.
    pub call_ahead: bool,
}

/// Answers "is it open now?" at local time `now` in `tz`.
pub fn open_now(hours: &Hours, who: Named<'_>, now: NaiveDateTime, tz: Tz, lang: Lang) -> OpenNow {
    let mut status = hours.status(now);
    // "until 02:00" on the night clocks go forward is 03:00 summer time.
    status.changes = status.changes.map(|t| existing(t, tz));
    status.opens = status.opens.map(|t| existing(t, tz));
    let today = now.date();
    let name = capitalize(who.name);
    let calendar_holiday = hours.holidays().on(today);
    let mut holiday = None;
    let mut call_ahead = false;
    let mut text = match status.state {
        State::Closed if status.opens.is_none() => match lang {
            Lang::De => format!("{name} hat keine regulären Öffnungszeiten"),
            Lang::En => format!("{name} has no regular opening hours"),
        },
        State::Open => {
            let until = match (status.changes, lang) {
                (None, Lang::De) => "durchgehend".to_string(),
                (None, Lang::En) => "around the clock".to_string(),
                (Some(at), _) => speak::until(at, now, lang),
            };
            let open = match (status.changes, lang) {
                (None, Lang::De) => format!("{name} hat {until} geöffnet"),
                (None, Lang::En) => format!("{name} is open {until}"),
                (Some(_), Lang::De) => format!("{name} hat jetzt geöffnet, {until}"),
                (Some(_), Lang::En) => format!("{name} is open now, {until}"),
            };
            holiday = hours.holiday_on(today);
            match (holiday, lang) {
                (Some(h), Lang::De) => format!("Heute ist {}. {open}", h.name(lang)),
                (Some(h), Lang::En) => format!("Today is {}. {open}", h.name(lang)),
                (None, _) => open,
            }
        }
        State::Closed => {
            let why = hours.closed_for(today, lang);
            holiday = hours.holiday_on(today).filter(|_| why.is_some());
            let first = match (why, lang) {
                (Some(why), Lang::De) => format!("Heute ist {why}, {} hat geschlossen", who.name),
                (Some(why), Lang::En) => format!("Today is {why}, {} is closed", who.name),
                (None, Lang::De) => format!("{name} hat gerade geschlossen"),
                (None, Lang::En) => format!("{name} is closed right now"),
            };
            match (status.opens, lang) {
                (Some(at), Lang::De) => format!(
                    "{first}. {} öffnet wieder {}",
                    who.pronoun,
                    speak::moment(at, now, lang)
                ),
                (Some(at), Lang::En) => {
                    format!("{first}. It opens again {}", speak::moment(at, now, lang))
                }
                (None, _) => first,
            }
        }
        State::Unknown => {
            // The comment is what is said; a holiday only when nothing is.
            call_ahead = true;
            holiday = hours.holiday_on(today).filter(|_| status.comment.is_none());
            let said = match (status.comment.as_deref(), lang) {
                (Some(c), Lang::De) => format!("Für {} gilt gerade: {c}", who.name),
                (Some(c), Lang::En) => format!("For {}, the opening hours say: {c}", who.name),
                (None, Lang::De) => format!("Die Öffnungszeiten {} sind gerade unbekannt", who.of),
                (None, Lang::En) => format!("The opening hours {} are unknown right now", who.of),
            };
            let said = match (holiday, lang) {
                (Some(h), Lang::De) => format!("Heute ist {}. {said}", h.name(lang)),
                (Some(h), Lang::En) => format!("Today is {}. {said}", h.name(lang)),
                (None, _) => said,
            };
            match (status.opens, lang) {
                (Some(at), Lang::De) => format!(
                    "{said}. Regulär geöffnet ist wieder {}",
                    speak::moment(at, now, lang)
                ),
                (Some(at), Lang::En) => format!(
                    "{said}. It has regular hours again {}",
                    speak::moment(at, now, lang)
                ),
                (None, _) => said,
            }
        }
    };
    // A comment beside open or closed hours ("nur mit Termin") is said too.
    if let (Some(c), State::Open | State::Closed) = (status.comment.as_deref(), status.state) {
        text.push_str(&match lang {
            Lang::De => format!(". Hinweis: {c}"),
            Lang::En => format!(". Note: {c}"),
        });
    }
    let quiet_holiday = calendar_holiday.is_some() && holiday.is_none();
    OpenNow {
        text,
        status,
        holiday,
        quiet_holiday,
        call_ahead,
    }
}

/// `t`, or the first minute after it that exists in `tz` (wall-clock times
/// skipped when the clocks go forward).
fn existing(t: NaiveDateTime, tz: Tz) -> NaiveDateTime {
    (0..=180)
        .map(|m| t + chrono::Duration::minutes(m))
        .find(|c| tz.from_local_datetime(c).earliest().is_some())
        .unwrap_or(t)
}
