//! Opening hours in OpenStreetMap `opening_hours` syntax, evaluated with the
//! `opening-hours` crate against the city's public holidays (a
//! [`HolidayCalendar`] value), in local (wall clock) time: "open now" is
//! asked of the local time of the request, so daylight-saving changes need
//! no special case.
//!
//! The next change is looked for as far as an expression can change
//! ([`HORIZON_MONTHS`]): an office closed all August opens again in
//! September, one open around the clock closes on the next holiday, and
//! "no regular hours" is said only of an expression that never opens.

use std::sync::Arc;

use chrono::{Datelike, Days, Months, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use opening_hours::{Context, ContextHolidays, OpeningHours};
use opening_hours_syntax::rules::day::{HolidayKind, WeekDayRange};
use opening_hours_syntax::rules::{OpeningHoursExpression, RuleOperator, RuleSequence};
use opening_hours_syntax::RuleKind;

use crate::lang::Lang;
use crate::time::holidays::{Holiday, HolidayCalendar};
use crate::time::speak;

/// How far ahead the next change is looked for: six years, so that any
/// yearly rule (`Aug off`, `Dec 25-Jan 01 off`, `easter`) and a rule of
/// next year or the one after are seen; a change beyond it is "never".
/// The crate skips the days on which nothing can change, so the distance
/// costs nothing for an expression that changes soon.
pub const HORIZON_MONTHS: u32 = 72;

/// An opening-hours expression that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum HoursError {
    /// Not OSM syntax.
    #[error("invalid opening_hours {raw:?}: {message}")]
    Syntax {
        /// The expression.
        raw: String,
        /// The parser's report, on one line.
        message: String,
    },
    /// Uses school holidays (`SH`), whose dates the skill does not have:
    /// answering with them would treat every day alike.
    #[error("opening_hours {raw:?} uses school holidays (SH), which the skill does not know; write the dates out (e.g. \"Aug 03-Sep 14\") or leave the SH rule out")]
    SchoolHolidays {
        /// The expression.
        raw: String,
    },
}

/// Parsed opening hours of one office.
///
/// An expression with fallback rules (`A || B`) is kept as its groups,
/// each evaluated alone: a group applies where the groups before it are
/// closed, at that very time, as opening_hours.js (the reference) reads
/// `||` ("Mo-Fr 08:00-12:00 || \"nach Vereinbarung\"" is by appointment on
/// a Tuesday afternoon). The `opening-hours` crate applies a fallback only
/// to days no earlier rule selects, and its range iterator skips ahead to
/// the end of the search after such a rule.
#[derive(Clone, Debug)]
pub struct Hours {
    raw: String,
    /// Per fallback group, evaluated with the public holidays (`PH`).
    expr: Vec<OpeningHours>,
    /// The same without them: the regular week.
    regular: Vec<OpeningHours>,
    /// The regular week without the rules that close: a day open there
    /// but closed in `expr` is a closing day of the office's own.
    unclosed: Vec<OpeningHours>,
    holidays: HolidayCalendar,
}

/// Most steps from one change to the next that [`Hours::status`] takes
/// for an expression with fallback rules (two a day for six years).
const MAX_FALLBACK_STEPS: usize = 2 * 366 * 6;

/// Open, closed, or what the expression says instead (`unknown`,
/// `"nach Vereinbarung"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Open.
    Open,
    /// Closed.
    Closed,
    /// Neither said: `unknown`, or a rule that is only a comment.
    Unknown,
}

/// Whether an office is open at a moment, and what changes next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    /// Open, closed or unknown now.
    pub state: State,
    /// The expression's comment in force now (`"nach Vereinbarung"`).
    pub comment: Option<Arc<str>>,
    /// When the state or the comment changes next (local time); `None`:
    /// not within [`HORIZON_MONTHS`].
    pub changes: Option<NaiveDateTime>,
    /// When not open: when it opens next; `None`: not within the horizon.
    pub opens: Option<NaiveDateTime>,
}

/// Open intervals of one day, in local time.
pub type DayIntervals = Vec<(NaiveTime, NaiveTime)>;

impl Hours {
    /// Parses an OSM `opening_hours` expression, with `PH` meaning the
    /// holidays of `holidays`.
    ///
    /// # Errors
    /// When the expression does not follow the OSM syntax, or uses school
    /// holidays (`SH`).
    pub fn parse(raw: &str, holidays: &HolidayCalendar) -> Result<Self, HoursError> {
        let parsed = Self::syntax(raw)?;
        let groups = fallback_groups(&parsed, raw, false)?;
        let unclosed = fallback_groups(&parsed, raw, true)?;
        let public = ContextHolidays::new(holidays.table(), Default::default());
        let with_holidays = |g: &OpeningHours| {
            g.clone()
                .with_context(Context::default().with_holidays(public.clone()))
        };
        Ok(Self {
            raw: raw.to_string(),
            expr: groups.iter().map(with_holidays).collect(),
            regular: groups,
            unclosed,
            holidays: holidays.clone(),
        })
    }

    /// Checks an expression as [`Hours::parse`] does, without building a
    /// holiday table.
    ///
    /// # Errors
    /// As [`Hours::parse`].
    pub fn check(raw: &str) -> Result<(), HoursError> {
        Self::syntax(raw).map(|_| ())
    }

    fn syntax(raw: &str) -> Result<OpeningHours, HoursError> {
        let expr = raw
            .parse::<OpeningHours>()
            .map_err(|e| HoursError::Syntax {
                raw: raw.to_string(),
                message: one_line(&e.to_string()),
            })?;
        let school = expr.get_expression().rules.iter().any(|r| {
            r.day_selector.weekday.iter().any(|w| {
                matches!(
                    w,
                    WeekDayRange::Holiday {
                        kind: HolidayKind::School,
                        ..
                    }
                )
            })
        });
        if school {
            return Err(HoursError::SchoolHolidays {
                raw: raw.to_string(),
            });
        }
        Ok(expr)
    }

    /// The expression as written in the corpus.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// Open intervals on `date`, public holidays and closing days applied.
    pub fn day(&self, date: NaiveDate) -> DayIntervals {
        union_of_days(&self.expr, date)
    }

    /// Open intervals on `date` in a regular week (public holidays not applied).
    pub fn regular_day(&self, date: NaiveDate) -> DayIntervals {
        union_of_days(&self.regular, date)
    }

    /// Open, closed or unknown at local time `now`, and what changes next:
    /// consecutive ranges of the same state and comment are one.
    pub fn status(&self, now: NaiveDateTime) -> Status {
        let horizon = now
            .checked_add_months(Months::new(HORIZON_MONTHS))
            .unwrap_or(NaiveDateTime::MAX);
        match self.expr.as_slice() {
            [one] => status_of(one.iter_range(now, horizon).map(Piece::from), horizon),
            groups => {
                let mut at = now;
                let pieces = std::iter::from_fn(move || {
                    (at < horizon).then(|| {
                        let p = piece_at(groups, at, horizon);
                        at = p.end;
                        p
                    })
                })
                .take(MAX_FALLBACK_STEPS);
                status_of(pieces, horizon)
            }
        }
    }

    /// The public holidays `PH` means here.
    pub fn holidays(&self) -> &HolidayCalendar {
        &self.holidays
    }

    /// The public holiday that changes the hours of `day`, if any: one on
    /// which the office keeps other hours than on such a day otherwise
    /// ("Karfreitag" for `Mo-Fr 08:00-12:00; PH off` on Good Friday, not
    /// for a holiday on a Sunday it is closed anyway).
    pub fn holiday_on(&self, day: NaiveDate) -> Option<Holiday> {
        let h = self.holidays.on(day)?;
        (self.day(day) != self.regular_day(day)).then_some(h)
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
        if !self.day(day).is_empty() {
            return None;
        }
        if let Some(h) = self.holiday_on(day) {
            return Some(h.name(lang).to_string());
        }
        if union_of_days(&self.unclosed, day).is_empty() {
            return None;
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

/// One stretch of time with one state and comment.
struct Piece {
    start: NaiveDateTime,
    end: NaiveDateTime,
    state: State,
    comment: Arc<str>,
}

impl From<opening_hours::DateTimeRange> for Piece {
    fn from(r: opening_hours::DateTimeRange) -> Self {
        Self {
            start: r.range.start,
            end: r.range.end,
            state: state_of(r.kind),
            comment: r.comment,
        }
    }
}

/// The status from consecutive pieces starting now.
fn status_of(mut pieces: impl Iterator<Item = Piece>, horizon: NaiveDateTime) -> Status {
    let Some(first) = pieces.next() else {
        return Status {
            state: State::Closed,
            comment: None,
            changes: None,
            opens: None,
        };
    };
    let state = first.state;
    let mut end = first.end;
    let (mut changes, mut opens) = (None, None);
    for p in pieces {
        if changes.is_none() {
            if p.state == state && p.comment == first.comment && p.start <= end {
                end = end.max(p.end);
                continue;
            }
            changes = Some(end);
        }
        if state == State::Open {
            break;
        }
        if p.state == State::Open {
            opens = Some(p.start);
            break;
        }
    }
    if changes.is_none() && end < horizon {
        changes = Some(end);
    }
    Status {
        state,
        comment: Some(first.comment).filter(|c| !c.is_empty()),
        changes,
        opens,
    }
}

/// The state at `at` of fallback groups: the first group not closed then,
/// until the earliest change of the groups asked.
fn piece_at(groups: &[OpeningHours], at: NaiveDateTime, horizon: NaiveDateTime) -> Piece {
    let mut end = horizon;
    let mut closed_comment: Option<Arc<str>> = None;
    for g in groups {
        let Some(r) = g.iter_range(at, horizon).next() else {
            continue;
        };
        end = end.min(r.range.end);
        if r.kind != RuleKind::Closed {
            return Piece {
                start: at,
                end,
                state: state_of(r.kind),
                comment: r.comment,
            };
        }
        closed_comment.get_or_insert(r.comment);
    }
    Piece {
        start: at,
        end,
        state: State::Closed,
        comment: closed_comment.unwrap_or_else(|| Arc::from("")),
    }
}

/// The expression split at its fallback rules (`||`), each group an
/// expression of its own; and a rule with a comment but no state (`Mo-Fr
/// 08:00-12:00 "nur mit Termin"`) made `unknown`, as the OSM
/// specification and opening_hours.js read it (the crate reads it as
/// open). `strip_closed` leaves out the rules that close (`PH off`,
/// `Aug off`): what the expression would open without them.
fn fallback_groups(
    expr: &OpeningHours,
    raw: &str,
    strip_closed: bool,
) -> Result<Vec<OpeningHours>, HoursError> {
    let whole = expr.get_expression();
    let explicit_open = says_open(raw);
    let unknown =
        |r: &RuleSequence| r.kind == RuleKind::Open && !r.comment.is_empty() && !explicit_open;
    let fallback = whole
        .rules
        .iter()
        .any(|r| r.operator == RuleOperator::Fallback);
    if !fallback && !strip_closed && !whole.rules.iter().any(unknown) {
        return Ok(vec![expr.clone()]);
    }
    let mut groups: Vec<Vec<RuleSequence>> = Vec::new();
    for r in &whole.rules {
        let mut r = r.clone();
        if unknown(&r) {
            r.kind = RuleKind::Unknown;
        }
        let starts_group = r.operator == RuleOperator::Fallback || groups.is_empty();
        if strip_closed && r.kind == RuleKind::Closed {
            if starts_group {
                groups.push(Vec::new());
            }
            continue;
        }
        match groups.last_mut() {
            Some(g) if !starts_group => {
                if g.is_empty() {
                    r.operator = RuleOperator::Normal;
                }
                g.push(r);
            }
            _ => {
                r.operator = RuleOperator::Normal;
                groups.push(vec![r]);
            }
        }
    }
    groups
        .into_iter()
        .filter(|rules| !rules.is_empty())
        .map(|rules| {
            let text = OpeningHoursExpression { rules }.to_string();
            text.parse::<OpeningHours>()
                .map_err(|e| HoursError::Syntax {
                    raw: raw.to_string(),
                    message: one_line(&e.to_string()),
                })
        })
        .collect()
}

/// Whether the expression says `open` outside its comments.
fn says_open(raw: &str) -> bool {
    raw.split('"')
        .step_by(2)
        .flat_map(|part| part.split(|c: char| !c.is_ascii_alphabetic()))
        .any(|w| w.eq_ignore_ascii_case("open"))
}

/// Open intervals of `date` in any group, in time order, overlaps joined.
fn union_of_days(groups: &[OpeningHours], date: NaiveDate) -> DayIntervals {
    let mut all: DayIntervals = groups.iter().flat_map(|g| intervals(g, date)).collect();
    if groups.len() > 1 {
        all.sort();
        all.dedup();
    }
    all
}

fn state_of(kind: RuleKind) -> State {
    match kind {
        RuleKind::Open => State::Open,
        RuleKind::Closed => State::Closed,
        RuleKind::Unknown => State::Unknown,
    }
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
        let h = Hours::parse(BB, &HolidayCalendar::munich()).unwrap_or_else(|e| panic!("{e}"));
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
        let h = Hours::parse(BB, &HolidayCalendar::munich()).unwrap_or_else(|e| panic!("{e}"));
        let lines = h.card_week(date(2026, 11, 25), Lang::En);
        assert_eq!(lines.len(), 7);
        assert_eq!(lines[1], "Tuesday: 08:30–13:00, 14:00–18:00");
        assert_eq!(lines[6], "Sunday: closed");
    }

    #[test]
    fn the_card_marks_christmas_eve_with_its_date_like_a_holiday() {
        let h = Hours::parse(BB, &HolidayCalendar::munich()).unwrap_or_else(|e| panic!("{e}"));
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
        assert!(Hours::check("Mo-Fr 25:99-banana").is_err());
    }
}
