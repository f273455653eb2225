//! Opening hours in OpenStreetMap `opening_hours` syntax, evaluated with the
//! `opening-hours` crate against Munich's public holidays, in local (wall
//! clock) time: "open now" is asked of the local time of the request, so
//! daylight-saving changes need no special case.

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Weekday};
use opening_hours::{Context, ContextHolidays, OpeningHours};
use opening_hours_syntax::RuleKind;

use crate::lang::Lang;
use crate::time::{holidays, speak};

/// How far ahead the next opening is looked for.
const LOOKAHEAD_DAYS: i64 = 21;

/// An opening-hours expression that did not parse.
#[derive(Debug, thiserror::Error)]
#[error("invalid opening_hours {raw:?}: {message}")]
pub struct HoursError {
    raw: String,
    message: String,
}

/// Parsed opening hours of one office.
#[derive(Clone, Debug)]
pub struct Hours {
    raw: String,
    /// Evaluated with the public holidays (`PH`).
    expr: OpeningHours,
    /// Evaluated without them: the regular week.
    regular: OpeningHours,
}

/// Whether an office is open at a moment, and until or from when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Open until `until` (local time).
    Open {
        /// When it closes.
        until: NaiveDateTime,
    },
    /// Closed; opens at `opens` (local time), if within three weeks.
    Closed {
        /// When it opens next.
        opens: Option<NaiveDateTime>,
    },
}

/// Open intervals of one day, in local time.
pub type DayIntervals = Vec<(NaiveTime, NaiveTime)>;

impl Hours {
    /// Parses an OSM `opening_hours` expression.
    ///
    /// # Errors
    /// When the expression does not follow the OSM syntax.
    pub fn parse(raw: &str) -> Result<Self, HoursError> {
        let expr = raw.parse::<OpeningHours>().map_err(|e| HoursError {
            raw: raw.to_string(),
            message: one_line(&e.to_string()),
        })?;
        let public = ContextHolidays::new(holidays::calendar(), Default::default());
        Ok(Self {
            raw: raw.to_string(),
            regular: expr.clone(),
            expr: expr.with_context(Context::default().with_holidays(public)),
        })
    }

    /// The expression as written in the corpus.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// Open intervals on `date`, public holidays and closing days applied.
    pub fn day(&self, date: NaiveDate) -> DayIntervals {
        intervals(&self.expr, date)
    }

    /// Open intervals on `date` in a regular week (public holidays not applied).
    pub fn regular_day(&self, date: NaiveDate) -> DayIntervals {
        intervals(&self.regular, date)
    }

    /// Open or closed at local time `now`, and until or from when.
    pub fn status(&self, now: NaiveDateTime) -> Status {
        let horizon = now + TimeDelta::days(LOOKAHEAD_DAYS);
        let mut ranges = self.expr.iter_range(now, horizon);
        match ranges.next() {
            Some(r) if r.kind == RuleKind::Open => Status::Open { until: r.range.end },
            _ => Status::Closed {
                opens: self
                    .expr
                    .iter_range(now, horizon)
                    .find(|r| r.kind == RuleKind::Open)
                    .map(|r| r.range.start),
            },
        }
    }

    /// The regular week containing `date`, Monday first.
    pub fn week_of(&self, date: NaiveDate) -> Vec<(Weekday, DayIntervals)> {
        monday_to_sunday(date)
            .map(|d| (d.weekday(), self.regular_day(d)))
            .collect()
    }

    /// The week as spoken sentences, days with equal hours grouped:
    /// "montags, mittwochs und freitags von halb acht bis 13 Uhr".
    pub fn spoken_week(&self, date: NaiveDate, lang: Lang) -> Vec<String> {
        let week = self.week_of(date);
        let mut groups: Vec<(Vec<Weekday>, DayIntervals)> = Vec::new();
        for (day, intervals) in week.into_iter().filter(|(_, iv)| !iv.is_empty()) {
            match groups.iter_mut().find(|(_, iv)| *iv == intervals) {
                Some((days, _)) => days.push(day),
                None => groups.push((vec![day], intervals)),
            }
        }
        groups
            .into_iter()
            .map(|(days, intervals)| {
                let ranges: Vec<String> = intervals
                    .iter()
                    .map(|(a, b)| speak::range(*a, *b, lang))
                    .collect();
                format!(
                    "{} {}",
                    speak::weekdays(&days, lang),
                    speak::join(&ranges, lang)
                )
            })
            .collect()
    }

    /// Why the office is closed on `day` although it opens on such a
    /// weekday: a public holiday ("Allerheiligen") or a closing day of its
    /// own ("Heiligabend", "Silvester", or a day the expression closes).
    pub fn closed_for(&self, day: NaiveDate, lang: Lang) -> Option<String> {
        // Open on this weekday as a rule (a week or more before, if this
        // date is itself one of the expression's closing days, like 24
        // December).
        let usually_open = (0..4u64).any(|weeks| {
            day.checked_sub_days(Days::new(7 * weeks))
                .is_some_and(|d| !self.regular_day(d).is_empty())
        });
        if !self.day(day).is_empty() || !usually_open {
            return None;
        }
        if let Some(h) = holidays::on(day) {
            return Some(h.name(lang).to_string());
        }
        let name = match (day.month(), day.day(), lang) {
            (12, 24, Lang::De) => "Heiligabend",
            (12, 24, Lang::En) => "Christmas Eve",
            (12, 31, Lang::De) => "Silvester",
            (12, 31, Lang::En) => "New Year's Eve",
            (_, _, Lang::De) => "Schließtag",
            (_, _, Lang::En) => "a closing day",
        };
        Some(name.to_string())
    }

    /// One card line per day of the week containing `date`, holidays and
    /// closing days applied: "Tuesday: 08:30–13:00, 14:00–18:00",
    /// "Sunday: closed", and a closed day that is usually open with its
    /// date and why: "Thursday, 24.12.: closed (Christmas Eve)".
    pub fn card_week(&self, date: NaiveDate, lang: Lang) -> Vec<String> {
        monday_to_sunday(date)
            .map(|d| {
                let name = speak::weekday(d.weekday(), lang);
                let intervals = self.day(d);
                if intervals.is_empty() {
                    let closed = match lang {
                        Lang::De => "geschlossen",
                        Lang::En => "closed",
                    };
                    match self.closed_for(d, lang) {
                        Some(why) => format!("{name}, {}: {closed} ({why})", d.format("%d.%m.")),
                        None => format!("{name}: {closed}"),
                    }
                } else {
                    let r: Vec<String> = intervals
                        .iter()
                        .map(|(a, b)| speak::range_short(*a, *b))
                        .collect();
                    format!("{name}: {}", r.join(", "))
                }
            })
            .collect()
    }
}

/// Monday to Sunday of the week containing `date`.
fn monday_to_sunday(date: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    let monday = date - Days::new(u64::from(date.weekday().num_days_from_monday()));
    (0..7u64).map(move |i| monday + Days::new(i))
}

fn intervals(expr: &OpeningHours, date: NaiveDate) -> DayIntervals {
    expr.schedule_at(date)
        .into_iter()
        .filter(|r| r.kind == RuleKind::Open)
        .map(|r| (to_time(r.range.start), to_time(r.range.end)))
        .collect()
}

/// The parser's multi-line report as one line: "at column 16: expected …".
fn one_line(report: &str) -> String {
    let column = report
        .lines()
        .find_map(|l| l.trim().strip_prefix("--> "))
        .and_then(|pos| pos.split(':').nth(1))
        .map(|c| format!("at column {c}: "))
        .unwrap_or_default();
    let what = report
        .lines()
        .find_map(|l| l.trim().strip_prefix("= "))
        .unwrap_or("syntax error");
    format!("{column}{what}")
}

fn to_time(t: opening_hours_syntax::ExtendedTime) -> NaiveTime {
    NaiveTime::from_hms_opt(u32::from(t.hour() % 24), u32::from(t.minute()), 0)
        .unwrap_or(NaiveTime::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BB: &str =
        "Mo,We,Fr 07:30-13:00; Tu,Th 08:30-13:00,14:00-18:00; PH off; Dec 24,Dec 31 off";

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn buergerbuero_week_is_spoken_in_two_groups() {
        let h = Hours::parse(BB).unwrap_or_else(|e| panic!("{e}"));
        let s = h.spoken_week(date(2026, 11, 25), Lang::De);
        assert_eq!(
            s,
            vec![
                "montags, mittwochs und freitags von halb acht bis 13 Uhr",
                "dienstags und donnerstags von halb neun bis 13 Uhr und von 14 bis 18 Uhr"
            ]
        );
    }

    #[test]
    fn card_lists_every_weekday() {
        let h = Hours::parse(BB).unwrap_or_else(|e| panic!("{e}"));
        let lines = h.card_week(date(2026, 11, 25), Lang::En);
        assert_eq!(lines.len(), 7);
        assert_eq!(lines[1], "Tuesday: 08:30–13:00, 14:00–18:00");
        assert_eq!(lines[6], "Sunday: closed");
    }

    #[test]
    fn the_card_marks_christmas_eve_with_its_date_like_a_holiday() {
        let h = Hours::parse(BB).unwrap_or_else(|e| panic!("{e}"));
        let lines = h.card_week(date(2026, 12, 24), Lang::De);
        assert_eq!(lines[3], "Donnerstag, 24.12.: geschlossen (Heiligabend)");
        assert_eq!(
            lines[4],
            "Freitag, 25.12.: geschlossen (der erste Weihnachtsfeiertag)"
        );
        let lines = h.card_week(date(2026, 12, 31), Lang::En);
        assert_eq!(lines[3], "Thursday, 31.12.: closed (New Year's Eve)");
    }

    #[test]
    fn invalid_expression_is_an_error() {
        assert!(Hours::parse("Mo-Fr 25:99-banana").is_err());
    }
}
