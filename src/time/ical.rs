//! Events from iCalendar (RFC 5545) files.
//!
//! Each VEVENT is parsed on its own with the `icalendar` crate, so a
//! malformed event is reported with its line and the others still load.
//! Recurrences (RRULE, RDATE, EXDATE) are expanded with `rrule`, lazily, for the
//! range a question asks about.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use icalendar::{CalendarDateTime, Component, DatePerhapsTime};

use crate::problem::Problem;
use crate::time::event::{Certainty, Event};

/// Most occurrences one series yields for one question.
const MAX_OCCURRENCES: usize = 500;
/// Most occurrences of one series looked at, from its first, for one
/// question: `rrule` walks a series from DTSTART, so a far date ("Jahr
/// 9999") or a dense rule (FREQ=SECONDLY) would otherwise cost seconds to
/// minutes. A weekly series is still answered 190 years on, a daily one 27.
const MAX_SCANNED: usize = 10_000;

/// A VEVENT: one event, or a recurring series of them.
#[derive(Clone, Debug)]
pub struct Series {
    /// The first occurrence; later ones copy everything but the times.
    pub first: Event,
    recurrence: Option<rrule::RRuleSet>,
    /// The zone the rule repeats in: UTC for a DTSTART in UTC (17:00Z
    /// stays 17:00Z in summer, RFC 5545 3.3.5), else the city's.
    rule_tz: rrule::Tz,
}

impl Series {
    /// Occurrences overlapping `[from, to)`.
    pub fn occurrences(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Event> {
        let duration = self.first.end - self.first.start;
        let Some(set) = &self.recurrence else {
            let e = &self.first;
            return if e.start.with_timezone(&Utc) < to && e.end.with_timezone(&Utc) > from {
                vec![e.clone()]
            } else {
                Vec::new()
            };
        };
        let tz = self.first.start.timezone();
        let rtz = self.rule_tz;
        let after = (from - duration - Duration::seconds(1)).with_timezone(&rtz);
        let before = to.with_timezone(&rtz);
        // The set was built with `limit()`: rrule's guard against rules
        // that never match also holds for its iterator.
        set.into_iter()
            .take(MAX_SCANNED)
            .take_while(|start| *start <= before)
            .filter(|start| *start >= after)
            .take(MAX_OCCURRENCES)
            .map(|start| {
                let start = start.with_timezone(&tz);
                Event {
                    start,
                    end: start + duration,
                    ..self.first.clone()
                }
            })
            .filter(|e| e.start.with_timezone(&Utc) < to && e.end.with_timezone(&Utc) > from)
            .collect()
    }
}

/// What came out of one calendar file.
#[derive(Debug, Default)]
pub struct Parsed {
    /// Events that loaded.
    pub series: Vec<Series>,
    /// Problems, each with its line.
    pub problems: Vec<Problem>,
}

/// Parses an iCalendar text; times without a zone are taken in `tz`.
pub fn parse(file: &str, text: &str, tz: Tz) -> Parsed {
    let mut out = Parsed::default();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut block: Option<(usize, Vec<String>)> = None;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.starts_with(' ') || line.starts_with('\t') {
            if let Some((_, lines)) = &mut block {
                if let Some(last) = lines.last_mut() {
                    last.push_str(&line[1..]);
                }
            }
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        if line.eq_ignore_ascii_case("BEGIN:VEVENT") {
            block = Some((line_no, vec![line.to_string()]));
            continue;
        }
        let Some((start, lines)) = &mut block else {
            continue;
        };
        if !is_content_line(line) {
            out.problems.push(Problem {
                file: file.to_string(),
                line: line_no,
                column: Some(1),
                message: "not an iCalendar content line (expected NAME:value)".into(),
            });
            continue;
        }
        lines.push(line.to_string());
        if line.eq_ignore_ascii_case("END:VEVENT") {
            let start = *start;
            let lines = std::mem::take(lines);
            block = None;
            match parse_event(&lines, tz) {
                Ok(series) => out.series.push(series),
                Err(message) => out.problems.push(Problem {
                    file: file.to_string(),
                    line: start,
                    column: None,
                    message,
                }),
            }
        }
    }
    if let Some((start, _)) = block {
        out.problems.push(Problem {
            file: file.to_string(),
            line: start,
            column: None,
            message: "BEGIN:VEVENT without END:VEVENT".into(),
        });
    }
    out
}

fn is_content_line(line: &str) -> bool {
    let name_end = line.find([':', ';']).unwrap_or(0);
    name_end > 0
        && line[..name_end]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
        && line.contains(':')
}

fn parse_event(lines: &[String], tz: Tz) -> Result<Series, String> {
    let text = format!(
        "BEGIN:VCALENDAR\r\n{}\r\nEND:VCALENDAR\r\n",
        lines.join("\r\n")
    );
    let cal: icalendar::Calendar = text.parse().map_err(|e: String| {
        format!(
            "invalid event: {}",
            e.lines().next().unwrap_or("syntax error")
        )
    })?;
    let ev = cal.events().next().ok_or("invalid event")?;
    let summary = ev
        .get_summary()
        .map(unescape)
        .filter(|s| !s.trim().is_empty())
        .ok_or("event without SUMMARY")?;
    let dtstart = ev.get_start().ok_or("event without valid DTSTART")?;
    let (start, all_day) = to_local(&dtstart, tz).ok_or("DTSTART is not a valid date or time")?;
    let end = match ev.get_end() {
        Some(d) => {
            to_local(&d, tz)
                .ok_or("DTEND is not a valid date or time")?
                .0
        }
        None if all_day => start + Duration::days(1),
        None => start,
    };
    if end < start {
        return Err("DTEND is before DTSTART".into());
    }
    let prop = |k: &str| {
        ev.property_value(k)
            .map(unescape)
            .filter(|s| !s.trim().is_empty())
    };
    let categories = ev
        .multi_properties()
        .get("CATEGORIES")
        .into_iter()
        .flatten()
        .map(|p| p.value().to_string())
        .chain(ev.property_value("CATEGORIES").map(str::to_string))
        .flat_map(|v| split_list(&v))
        .collect();
    let first = Event {
        uid: prop("UID").unwrap_or_else(|| format!("{summary}@{start}")),
        title: summary,
        start,
        end,
        all_day,
        location: prop("LOCATION"),
        url: prop("URL"),
        description: prop("DESCRIPTION"),
        categories,
        certainty: Certainty::Confirmed,
        entry: None,
    };
    let rtz = match dtstart {
        DatePerhapsTime::DateTime(CalendarDateTime::Utc(_)) => rrule::Tz::UTC,
        _ => rrule::Tz::Tz(tz),
    };
    let dates = |name: &str| -> Result<Vec<(DateTime<Tz>, bool)>, String> {
        let mut out = Vec::new();
        let props = ev.multi_properties().get(name).into_iter().flatten();
        for p in props.chain(ev.properties().get(name)) {
            let ptz = p.params().get("TZID").map(|v| v.value().to_string());
            for v in p.value().split(',') {
                out.push(
                    parse_value(v.trim(), ptz.as_deref(), tz)
                        .ok_or_else(|| format!("invalid {name} {v:?}"))?,
                );
            }
        }
        Ok(out)
    };
    // A date without a time stands for the occurrence on that day.
    let at_start_time = |(d, date_only): (DateTime<Tz>, bool)| {
        if date_only {
            tz.from_local_datetime(&d.date_naive().and_time(start.time()))
                .earliest()
                .unwrap_or(d)
        } else {
            d
        }
    };
    let rdates = dates("RDATE")?;
    let recurrence = match ev.property_value("RRULE") {
        None if rdates.is_empty() => None,
        rule => {
            let mut set = match rule {
                Some(rule) => {
                    let rule = until_as_utc(rule, tz);
                    let unvalidated: rrule::RRule<rrule::Unvalidated> =
                        rule.parse().map_err(|e| format!("invalid RRULE: {e}"))?;
                    unvalidated
                        .build(start.with_timezone(&rtz))
                        .map_err(|e| format!("invalid RRULE: {e}"))?
                }
                // RDATE alone: DTSTART and the dates listed.
                None => {
                    rrule::RRuleSet::new(start.with_timezone(&rtz)).rdate(start.with_timezone(&rtz))
                }
            };
            for d in rdates {
                set = set.rdate(at_start_time(d).with_timezone(&rtz));
            }
            for d in dates("EXDATE")? {
                set = set.exdate(at_start_time(d).with_timezone(&rtz));
            }
            Some(set.limit())
        }
    };
    Ok(Series {
        first,
        recurrence,
        rule_tz: rtz,
    })
}

/// `UNTIL=20280101` (a date, as RFC 5545 wants it for an all-day
/// DTSTART) as the UTC time of that day's start in `tz`: `rrule` only takes
/// UTC there once the start has a zone.
fn until_as_utc(rule: &str, tz: Tz) -> String {
    rule.split(';')
        .map(|part| {
            let date = part
                .strip_prefix("UNTIL=")
                .filter(|v| v.len() == 8)
                .and_then(|v| NaiveDate::parse_from_str(v, "%Y%m%d").ok())
                .and_then(|d| local(tz, d.and_hms_opt(0, 0, 0)?));
            match date {
                Some(t) => format!("UNTIL={}", t.with_timezone(&Utc).format("%Y%m%dT%H%M%SZ")),
                None => part.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(";")
}

fn to_local(d: &DatePerhapsTime, tz: Tz) -> Option<(DateTime<Tz>, bool)> {
    match d {
        DatePerhapsTime::Date(date) => local(tz, date.and_hms_opt(0, 0, 0)?).map(|t| (t, true)),
        DatePerhapsTime::DateTime(CalendarDateTime::Utc(t)) => Some((t.with_timezone(&tz), false)),
        DatePerhapsTime::DateTime(CalendarDateTime::Floating(n)) => {
            local(tz, *n).map(|t| (t, false))
        }
        DatePerhapsTime::DateTime(CalendarDateTime::WithTimezone { date_time, tzid }) => {
            let zone: Tz = tzid.parse().ok()?;
            local(zone, *date_time).map(|t| (t.with_timezone(&tz), false))
        }
    }
}

/// A local time in `tz`; a time in the spring-forward gap moves past it.
fn local(tz: Tz, n: NaiveDateTime) -> Option<DateTime<Tz>> {
    tz.from_local_datetime(&n)
        .earliest()
        .or_else(|| tz.from_local_datetime(&(n + Duration::hours(1))).earliest())
}

fn parse_value(v: &str, tzid: Option<&str>, tz: Tz) -> Option<(DateTime<Tz>, bool)> {
    if let Some(utc) = v.strip_suffix('Z') {
        let n = NaiveDateTime::parse_from_str(utc, "%Y%m%dT%H%M%S").ok()?;
        return Some((Utc.from_utc_datetime(&n).with_timezone(&tz), false));
    }
    if let Ok(n) = NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%S") {
        let zone = tzid.and_then(|z| z.parse::<Tz>().ok()).unwrap_or(tz);
        return local(zone, n).map(|t| (t.with_timezone(&tz), false));
    }
    let d = NaiveDate::parse_from_str(v, "%Y%m%d").ok()?;
    local(tz, d.and_hms_opt(0, 0, 0)?).map(|t| (t, true))
}

fn split_list(v: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            ',' => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Resolves RFC 5545 text escapes (`\,` `\;` `\n` `\\`).
fn unescape(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(o) => out.push(o),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Timelike;

    const BERLIN: Tz = chrono_tz::Europe::Berlin;

    fn cal(body: &str) -> String {
        format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\n{body}END:VCALENDAR\r\n")
    }

    fn utc(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 0, 0, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn weekly_recurrence_keeps_local_time_across_dst() {
        let p = parse(
            "t.ics",
            &cal("BEGIN:VEVENT\r\nUID:m\r\nSUMMARY:Markt\r\nDTSTART;TZID=Europe/Berlin:20260321T100000\r\nDTEND;TZID=Europe/Berlin:20260321T120000\r\nRRULE:FREQ=WEEKLY\r\nEND:VEVENT\r\n"),
            BERLIN,
        );
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let occ = p.series[0].occurrences(utc(2026, 3, 20), utc(2026, 4, 5));
        assert_eq!(occ.len(), 3);
        assert!(occ.iter().all(|e| e.start.hour() == 10));
    }

    #[test]
    fn exdate_removes_an_occurrence() {
        let p = parse(
            "t.ics",
            &cal("BEGIN:VEVENT\r\nUID:m\r\nSUMMARY:Markt\r\nDTSTART;TZID=Europe/Berlin:20260104T100000\r\nRRULE:FREQ=DAILY;COUNT=3\r\nEXDATE;TZID=Europe/Berlin:20260105T100000\r\nEND:VEVENT\r\n"),
            BERLIN,
        );
        assert_eq!(
            p.series[0]
                .occurrences(utc(2026, 1, 1), utc(2026, 2, 1))
                .len(),
            2
        );
    }

    #[test]
    fn malformed_line_is_reported_and_other_events_load() {
        let p = parse(
            "t.ics",
            &cal("BEGIN:VEVENT\r\nSUMMARY:A\r\nthis is garbage\r\nDTSTART:20260101T100000Z\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:B\r\nDTSTART;VALUE=DATE:20260102\r\nEND:VEVENT\r\n"),
            BERLIN,
        );
        assert_eq!(p.problems.len(), 1);
        assert_eq!(p.problems[0].line, 6);
        assert_eq!(p.series.len(), 2);
        assert!(p.series[1].first.all_day);
    }

    #[test]
    fn categories_are_split_and_unescaped() {
        assert_eq!(
            split_list("Märkte,Kinder\\, Familie"),
            vec!["Märkte", "Kinder, Familie"]
        );
    }
}
