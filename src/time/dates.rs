//! AMAZON.DATE slot values as date ranges.
//!
//! Alexa sends "today" as a day, "this weekend" as `2026-W48-WE`, "im
//! Dezember" as `2026-12`, and so on (see the forms below). Each becomes a
//! half-open range of local dates `[start, end)`.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

/// A half-open range of dates, `start` included, `end` excluded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateRange {
    /// First day.
    pub start: NaiveDate,
    /// Day after the last day.
    pub end: NaiveDate,
    /// What kind of span the user named; decides how it is spoken.
    pub kind: SpanKind,
}

/// The span an AMAZON.DATE value names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpanKind {
    /// One day.
    Day,
    /// An ISO week.
    Week,
    /// Saturday and Sunday.
    Weekend,
    /// A month.
    Month,
    /// A season.
    Season,
    /// A quarter.
    Quarter,
    /// A year.
    Year,
    /// A decade.
    Decade,
    /// "now".
    Now,
}

impl DateRange {
    fn new(start: NaiveDate, end: NaiveDate, kind: SpanKind) -> Self {
        Self { start, end, kind }
    }

    /// The single day, if the range is one.
    pub fn single_day(&self) -> Option<NaiveDate> {
        (self.end == self.start + Days::new(1)).then_some(self.start)
    }
}

/// Parses an AMAZON.DATE value relative to `today` (in the city's zone).
///
/// Forms: `2026-11-24`, `2026-W48`, `2026-W48-WE`, `2026-11`, `2026-Q4`,
/// `2026-SP|SU|FA|WI`, `2026`, `2026-XX-XX`, `202X`, `PRESENT_REF`, and
/// `XXXX-…` for an unspecified year (the next such date on or after today).
/// Returns `None` for anything else.
pub fn parse(value: &str, today: NaiveDate) -> Option<DateRange> {
    let v = value.trim().to_ascii_uppercase();
    if v == "PRESENT_REF" {
        return Some(DateRange::new(today, today + Days::new(1), SpanKind::Now));
    }
    if let Some(rest) = v.strip_prefix("XXXX") {
        // Unspecified year: the next occurrence on or after today.
        for year in [today.year(), today.year() + 1] {
            let r = parse(&format!("{year}{rest}"), today)?;
            if r.end > today {
                return Some(r);
            }
        }
        return None;
    }
    let parts: Vec<&str> = v.split('-').collect();
    // Years have four digits, as in ISO 8601: near chrono's last year
    // (262,142) the range's end and the answer's look-ahead would overflow.
    if parts.first().is_some_and(|y| y.len() > 4) {
        return None;
    }
    match parts.as_slice() {
        [y] if y.len() == 4 && y.ends_with('X') => {
            let decade: i32 = y[..3].parse().ok()?;
            let start = NaiveDate::from_ymd_opt(decade * 10, 1, 1)?;
            let end = NaiveDate::from_ymd_opt(decade * 10 + 10, 1, 1)?;
            Some(DateRange::new(start, end, SpanKind::Decade))
        }
        [y] => year(y.parse().ok()?),
        [y, "XX", "XX"] => year(y.parse().ok()?),
        [y, s @ ("SP" | "SU" | "FA" | "WI")] => season(y.parse().ok()?, s),
        [y, w] if w.starts_with('W') => week(y.parse().ok()?, w[1..].parse().ok()?, false),
        [y, w, "WE"] if w.starts_with('W') => week(y.parse().ok()?, w[1..].parse().ok()?, true),
        [y, q] if q.starts_with('Q') => {
            let y: i32 = y.parse().ok()?;
            let q: u32 = q[1..].parse().ok()?;
            if !(1..=4).contains(&q) {
                return None;
            }
            let start = NaiveDate::from_ymd_opt(y, (q - 1) * 3 + 1, 1)?;
            Some(DateRange::new(
                start,
                start.checked_add_months(Months::new(3))?,
                SpanKind::Quarter,
            ))
        }
        [y, m] => {
            let start = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)?;
            Some(DateRange::new(
                start,
                start.checked_add_months(Months::new(1))?,
                SpanKind::Month,
            ))
        }
        [y, m, d] => {
            let day = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?;
            Some(DateRange::new(day, day + Days::new(1), SpanKind::Day))
        }
        _ => None,
    }
}

fn year(y: i32) -> Option<DateRange> {
    Some(DateRange::new(
        NaiveDate::from_ymd_opt(y, 1, 1)?,
        NaiveDate::from_ymd_opt(y + 1, 1, 1)?,
        SpanKind::Year,
    ))
}

fn week(y: i32, w: u32, weekend: bool) -> Option<DateRange> {
    let monday = NaiveDate::from_isoywd_opt(y, w, Weekday::Mon)?;
    Some(if weekend {
        DateRange::new(
            monday + Days::new(5),
            monday + Days::new(7),
            SpanKind::Weekend,
        )
    } else {
        DateRange::new(monday, monday + Days::new(7), SpanKind::Week)
    })
}

/// Meteorological seasons; winter runs from December of `y` into `y + 1`.
fn season(y: i32, s: &str) -> Option<DateRange> {
    let (sm, sy, em, ey) = match s {
        "SP" => (3, y, 6, y),
        "SU" => (6, y, 9, y),
        "FA" => (9, y, 12, y),
        _ => (12, y, 3, y + 1),
    };
    Some(DateRange::new(
        NaiveDate::from_ymd_opt(sy, sm, 1)?,
        NaiveDate::from_ymd_opt(ey, em, 1)?,
        SpanKind::Season,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn every_form_parses() {
        let today = d(2026, 11, 25);
        let cases = [
            ("2026-11-24", d(2026, 11, 24), d(2026, 11, 25)),
            ("2026-W48", d(2026, 11, 23), d(2026, 11, 30)),
            ("2026-W48-WE", d(2026, 11, 28), d(2026, 11, 30)),
            ("2026-12", d(2026, 12, 1), d(2027, 1, 1)),
            ("2026-Q4", d(2026, 10, 1), d(2027, 1, 1)),
            ("2026-WI", d(2026, 12, 1), d(2027, 3, 1)),
            ("2027-SP", d(2027, 3, 1), d(2027, 6, 1)),
            ("2027-SU", d(2027, 6, 1), d(2027, 9, 1)),
            ("2026-FA", d(2026, 9, 1), d(2026, 12, 1)),
            ("2026-Q1", d(2026, 1, 1), d(2026, 4, 1)),
            ("XXXX-12", d(2026, 12, 1), d(2027, 1, 1)),
            ("XXXX-03", d(2027, 3, 1), d(2027, 4, 1)),
            ("XXXX-W49-WE", d(2026, 12, 5), d(2026, 12, 7)),
            ("2027-W01", d(2027, 1, 4), d(2027, 1, 11)),
            ("2027", d(2027, 1, 1), d(2028, 1, 1)),
            ("2027-XX-XX", d(2027, 1, 1), d(2028, 1, 1)),
            ("202X", d(2020, 1, 1), d(2030, 1, 1)),
            ("PRESENT_REF", d(2026, 11, 25), d(2026, 11, 26)),
            ("XXXX-12-24", d(2026, 12, 24), d(2026, 12, 25)),
            ("XXXX-01-06", d(2027, 1, 6), d(2027, 1, 7)),
        ];
        for (v, s, e) in cases {
            let r = parse(v, today).unwrap_or_else(|| panic!("{v} did not parse"));
            assert_eq!((r.start, r.end), (s, e), "{v}");
        }
    }

    #[test]
    fn garbage_is_none() {
        assert_eq!(parse("next tuesday", d(2026, 1, 1)), None);
        assert_eq!(parse("2026-13", d(2026, 1, 1)), None);
    }
}
