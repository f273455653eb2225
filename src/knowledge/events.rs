//! The corpus's own events (`events.toml`): events that come back every
//! year, with the names citizens use for them, their place, daily hours
//! and dates, each run `confirmed` or `expected`.
//!
//! A calendar (`*.ics`, the feed) says what happens when; it cannot say
//! that "Wiesn" is the Oktoberfest or that a date is only expected. So
//! these events are kept as a file an editor can read, and join the
//! calendars' events in one list: each run becomes an all-day [`Event`]
//! from its first to its last day. A calendar event that carries an
//! event's name and overlaps one of its runs replaces that run: a city's
//! feed, once it has the year's dates, wins over the shipped ones.

use std::collections::HashMap;

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use super::load::{parse_toml, Problem};
use super::model::{Certainty, Event, EventEntry};
use crate::lang::Lang;
use crate::matching::normalize::words;
use crate::time::holidays::HolidayCalendar;
use crate::time::hours::Hours;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventsFile {
    #[serde(default)]
    event: Vec<toml::Spanned<EventEntry>>,
}

/// An event with the line it starts on and the line of each of its runs.
#[derive(Debug)]
pub struct LinedEntry {
    /// The event.
    pub entry: EventEntry,
    /// Line of its `[[event]]`.
    pub line: usize,
    /// Line of each `[[event.dates]]`, in order (the event's line where a
    /// run is written inline).
    pub date_lines: Vec<usize>,
}

/// Parses `events.toml`; each event with its lines.
///
/// # Errors
/// A syntax or schema error, with line and column.
pub fn parse(file: &str, text: &str) -> Result<Vec<LinedEntry>, Problem> {
    let parsed = parse_toml::<EventsFile>(file, text)?;
    let line_at = |offset: usize| super::load::line_col(text, offset).0;
    // `[[event.dates]]` headers in file order; each belongs to the last
    // `[[event]]` before it.
    let headers: Vec<usize> = text
        .match_indices("[[event.dates]]")
        .map(|(at, _)| at)
        .collect();
    let starts: Vec<usize> = parsed.event.iter().map(|s| s.span().start).collect();
    Ok(parsed
        .event
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let start = s.span().start;
            let end = starts.get(i + 1).copied().unwrap_or(usize::MAX);
            let line = line_at(start);
            let mut own = headers.iter().filter(|&&h| h > start && h < end);
            let entry = s.into_inner();
            let date_lines = (entry.dates.iter())
                .map(|_| own.next().map_or(line, |&h| line_at(h)))
                .collect();
            LinedEntry {
                entry,
                line,
                date_lines,
            }
        })
        .collect())
}

/// Every problem of the events of `file`, as `check` lists them: an
/// event without a name, `source`, `as_of` or dates, a run without a
/// certainty or with an unknown one, a last day before the first, daily
/// hours that do not parse, an id given twice.
pub fn problems(file: &str, entries: &[LinedEntry]) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for LinedEntry {
        entry: e,
        line,
        date_lines,
    } in entries
    {
        let at = |l: usize, m: String| Problem::line(file, l, m);
        if let Some(first) = seen.insert(e.id.as_str(), *line) {
            out.push(at(
                *line,
                format!("duplicate event id {:?} (first on line {first})", e.id),
            ));
        }
        if Lang::ALL.iter().all(|l| e.name.get(*l).is_none()) {
            out.push(at(*line, format!("event {:?} has no name", e.id)));
        }
        if e.source.trim().is_empty() || e.as_of.trim().is_empty() {
            out.push(at(
                *line,
                format!("event {:?} has no `source` or `as_of`", e.id),
            ));
        }
        if e.dates.is_empty() {
            out.push(at(*line, format!("event {:?} has no dates", e.id)));
        }
        if let Some(Err(err)) = e.hours.as_deref().map(Hours::check) {
            out.push(at(*line, format!("event {:?}: {err}", e.id)));
        }
        for (d, l) in e.dates.iter().zip(date_lines) {
            let run = format!("event {:?} from {}", e.id, d.first);
            if d.certainty.trim().is_empty() {
                out.push(at(
                    *l,
                    format!("{run} has no `certainty` (confirmed or expected)"),
                ));
            } else if Certainty::parse(&d.certainty).is_none() {
                out.push(at(
                    *l,
                    format!(
                        "{run}: unknown certainty {:?} (confirmed or expected)",
                        d.certainty
                    ),
                ));
            }
            if d.last() < d.first {
                out.push(at(
                    *l,
                    format!("{run}: last day {} is before the first", d.last()),
                ));
            }
        }
    }
    out
}

/// The key a name is looked up by: its folded words, joined ("Auer
/// Dult", "Auer-Dult" and "auerdult" are one).
pub fn name_key(name: &str) -> String {
    words(name).concat()
}

/// The corpus's events, ready for questions: their daily hours parsed and
/// their names indexed.
#[derive(Debug, Default)]
pub struct EventBook {
    entries: Vec<EventEntry>,
    hours: Vec<Option<Hours>>,
    /// Name key → the events of that name, in file order.
    by_name: HashMap<String, Vec<usize>>,
    /// Longest name, in words, for scanning a question.
    longest: usize,
}

impl EventBook {
    /// Indexes `entries` (validated before); their hours keep the
    /// public holidays of `holidays`.
    pub fn new(entries: Vec<EventEntry>, holidays: &HolidayCalendar) -> Self {
        let hours = (entries.iter())
            .map(|e| {
                e.hours
                    .as_deref()
                    .and_then(|h| Hours::parse(h, holidays).ok())
            })
            .collect();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        let mut longest = 0;
        for (i, e) in entries.iter().enumerate() {
            for n in e.names() {
                longest = longest.max(words(n).len());
                let ids = by_name.entry(name_key(n)).or_default();
                if !ids.contains(&i) {
                    ids.push(i);
                }
            }
        }
        Self {
            entries,
            hours,
            by_name,
            longest,
        }
    }

    /// Every event, in file order.
    pub fn entries(&self) -> &[EventEntry] {
        &self.entries
    }

    /// The event with this id.
    pub fn entry(&self, id: &str) -> Option<&EventEntry> {
        self.entries.iter().find(|e| e.id == id)
    }

    /// The daily hours of the event with this id.
    pub fn hours(&self, id: &str) -> Option<&Hours> {
        let i = self.entries.iter().position(|e| e.id == id)?;
        self.hours.get(i)?.as_ref()
    }

    /// The events a name stands for: an id, a name or an alias ("Wiesn");
    /// several for a shared name ("Auer Dult").
    pub fn named(&self, name: &str) -> Vec<&EventEntry> {
        (self.by_name.get(&name_key(name)).into_iter().flatten())
            .filter_map(|&i| self.entries.get(i))
            .collect()
    }

    /// The events a question names ("wie lange geht die Wiesn noch"): the
    /// longest run of its words that is a name.
    pub fn named_in(&self, question: &str) -> Vec<&EventEntry> {
        let ws = words(question);
        for n in (1..=ws.len().min(self.longest)).rev() {
            for start in 0..=ws.len() - n {
                let found = self.named(&ws[start..start + n].concat());
                if !found.is_empty() {
                    return found;
                }
            }
        }
        Vec::new()
    }

    /// The names that several events share, with their events.
    pub fn shared_names(&self) -> Vec<(&str, Vec<&EventEntry>)> {
        let mut out: Vec<(&str, Vec<&EventEntry>)> = Vec::new();
        for e in &self.entries {
            for n in e.names() {
                let found = self.named(n);
                let key = name_key(n);
                if found.len() > 1 && !out.iter().any(|(m, _)| name_key(m) == key) {
                    out.push((n, found));
                }
            }
        }
        out
    }
}

/// Local midnight of `d` in `tz`, as an instant.
pub fn midnight(tz: Tz, d: NaiveDate) -> DateTime<Tz> {
    d.and_hms_opt(0, 0, 0)
        .and_then(|n| tz.from_local_datetime(&n).earliest())
        .unwrap_or_else(|| {
            Utc.from_utc_datetime(&d.and_time(chrono::NaiveTime::MIN))
                .with_timezone(&tz)
        })
}

/// Every run of `e` as an all-day event, in date order.
pub fn runs(e: &EventEntry, tz: Tz) -> Vec<Event> {
    let mut out: Vec<Event> = (e.dates.iter())
        .map(|d| {
            let after = d.last().checked_add_days(Days::new(1)).unwrap_or(d.last());
            Event {
                uid: format!("{}/{}", e.id, d.first),
                title: e.name(Lang::De).to_string(),
                start: midnight(tz, d.first),
                end: midnight(tz, after),
                all_day: true,
                location: e.place.clone(),
                url: e.url.clone(),
                description: None,
                categories: e.categories.clone(),
                certainty: d.certainty(),
                entry: Some(e.id.clone()),
            }
        })
        .collect();
    out.sort_by_key(|r| r.start);
    out
}

/// True when a calendar event names `e` in its title ("Oktoberfest
/// 2027", "Wiesn") and overlaps its run `run`: the calendar's word on
/// those dates wins.
pub fn replaces(calendar: &Event, e: &EventEntry, run: &Event) -> bool {
    let title = format!(" {} ", words(&calendar.title).join(" "));
    let named = e.names().any(|n| {
        let n = words(n).join(" ");
        !n.is_empty() && title.contains(&format!(" {n} "))
    });
    named && calendar.start < run.end && calendar.end > run.start
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"
[[event]]
id = "wiesn"
name.de = "Oktoberfest"
aliases.de = ["Wiesn"]
source = "s"
as_of = "2026"

[[event.dates]]
first = "2026-09-19"
last = "2026-10-04"
certainty = "expected"

[[event.dates]]
first = "2027-09-18"
last = "2027-10-03"
certainty = "maybe"

[[event]]
id = "dult"
name.de = "Maidult"
aliases.de = ["Auer Dult"]

[[event.dates]]
first = "2026-04-25"
last = "2026-04-20"
"#;

    fn parsed() -> Vec<LinedEntry> {
        parse("events.toml", FILE).unwrap_or_else(|p| panic!("{p}"))
    }

    #[test]
    fn every_run_carries_the_line_of_its_table() {
        let e = parsed();
        assert_eq!(e[0].line, 2);
        assert_eq!(e[0].date_lines, [9, 14]);
        assert_eq!(e[1].date_lines, [24]);
    }

    #[test]
    fn a_missing_or_unknown_certainty_source_or_order_is_a_problem_on_its_line() {
        let p: Vec<String> = problems("events.toml", &parsed())
            .iter()
            .map(ToString::to_string)
            .collect();
        let has = |s: &str| p.iter().any(|l| l.contains(s));
        assert!(
            has("events.toml:14: event \"wiesn\" from 2027-09-18: unknown certainty \"maybe\""),
            "{p:?}"
        );
        assert!(
            has("events.toml:19: event \"dult\" has no `source` or `as_of`"),
            "{p:?}"
        );
        assert!(
            has("events.toml:24: event \"dult\" from 2026-04-25 has no `certainty`"),
            "{p:?}"
        );
        assert!(has("events.toml:24: event \"dult\" from 2026-04-25: last day 2026-04-20 is before the first"), "{p:?}");
    }

    #[test]
    fn an_alias_finds_its_event_whatever_the_spelling() {
        let book = EventBook::new(
            parsed().into_iter().map(|l| l.entry).collect(),
            &HolidayCalendar::munich(),
        );
        for said in ["Wiesn", "wiesn", "die Wiesn", "Oktoberfest"] {
            let found = book.named_in(&format!("wann ist {said}"));
            assert_eq!(
                found.first().map(|e| e.id.as_str()),
                Some("wiesn"),
                "{said}"
            );
        }
        assert_eq!(book.named("Auer-Dult").len(), 1);
        assert!(book.named_in("wann hat das Fundbüro offen").is_empty());
    }

    #[test]
    fn a_calendar_event_of_the_same_name_replaces_the_overlapping_run() {
        let tz = chrono_tz::Europe::Berlin;
        let book = EventBook::new(
            parsed().into_iter().map(|l| l.entry).collect(),
            &HolidayCalendar::munich(),
        );
        let Some(e) = book.entry("wiesn") else {
            panic!("no wiesn")
        };
        let runs = runs(e, tz);
        let mut feed = runs[0].clone();
        feed.title = "Oktoberfest 2026".into();
        feed.entry = None;
        assert!(replaces(&feed, e, &runs[0]));
        assert!(!replaces(&feed, e, &runs[1]));
        feed.title = "Oktoberfestzelt-Führung".into();
        assert!(!replaces(&feed, e, &runs[0]));
    }
}
