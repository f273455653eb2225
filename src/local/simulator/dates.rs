//! AMAZON.DATE slot values from German and English date words, as
//! Alexa's date resolution gives them ("am Wochenende" → `2026-W48-WE`).

use chrono::{Datelike, Days, NaiveDate, Weekday};

use crate::lang::Lang;
use crate::matching::normalize::fold;

/// German and English date words as AMAZON.DATE values.
pub fn date_value(text: &str, today: NaiveDate, lang: Lang) -> Option<String> {
    let t = fold(text).split_whitespace().collect::<Vec<_>>().join(" ");
    let t = t
        .strip_prefix("am ")
        .or_else(|| t.strip_prefix("on "))
        .unwrap_or(&t)
        .to_string();
    let t = t
        .strip_prefix("im ")
        .or_else(|| t.strip_prefix("in "))
        .unwrap_or(&t)
        .to_string();
    let day = |d: NaiveDate| Some(d.format("%Y-%m-%d").to_string());
    let week = |d: NaiveDate, suffix: &str| {
        let w = d.iso_week();
        Some(format!("{}-W{:02}{suffix}", w.year(), w.week()))
    };
    match t.as_str() {
        "heute" | "today" | "heute abend" | "tonight" => return day(today),
        "morgen" | "tomorrow" => return day(today + Days::new(1)),
        "uebermorgen" | "day after tomorrow" | "the day after tomorrow" => {
            return day(today + Days::new(2))
        }
        "jetzt" | "gerade" | "now" | "right now" => return Some("PRESENT_REF".into()),
        "wochenende" | "diesem wochenende" | "dieses wochenende" | "this weekend"
        | "the weekend" | "weekend" | "at the weekend" => return week(today, "-WE"),
        "naechsten wochenende" | "naechstes wochenende" | "next weekend" => {
            return week(today + Days::new(7), "-WE")
        }
        "dieser woche" | "diese woche" | "this week" => return week(today, ""),
        "naechster woche" | "naechste woche" | "next week" => {
            return week(today + Days::new(7), "")
        }
        "diesem monat" | "diesen monat" | "this month" => {
            return Some(today.format("%Y-%m").to_string())
        }
        _ => {}
    }
    const DAYS: [(&str, &str, Weekday); 7] = [
        ("montag", "monday", Weekday::Mon),
        ("dienstag", "tuesday", Weekday::Tue),
        ("mittwoch", "wednesday", Weekday::Wed),
        ("donnerstag", "thursday", Weekday::Thu),
        ("freitag", "friday", Weekday::Fri),
        ("samstag", "saturday", Weekday::Sat),
        ("sonntag", "sunday", Weekday::Sun),
    ];
    for (de, en, wd) in DAYS {
        if t == de || t == en || t == format!("{de}s") || t == format!("this {en}") {
            let ahead =
                (7 + wd.num_days_from_monday() - today.weekday().num_days_from_monday()) % 7;
            return day(today + Days::new(u64::from(ahead)));
        }
    }
    const MONTHS: [(&str, &str); 12] = [
        ("januar", "january"),
        ("februar", "february"),
        ("maerz", "march"),
        ("april", "april"),
        ("mai", "may"),
        ("juni", "june"),
        ("juli", "july"),
        ("august", "august"),
        ("september", "september"),
        ("oktober", "october"),
        ("november", "november"),
        ("dezember", "december"),
    ];
    // "1 juni 2026", "24 dezember", "december 24th", "24th of december".
    let month_of = |w: &str| MONTHS.iter().position(|(de, en)| w == *de || w == *en);
    let number = |w: &str| {
        w.trim_end_matches(|c: char| c.is_ascii_alphabetic())
            .parse::<u32>()
            .ok()
    };
    let ws: Vec<&str> = t.split(' ').filter(|w| *w != "of" && *w != "the").collect();
    // "31 12" (said "am 31.12."): day and month as numbers.
    if let [d, m] = ws.as_slice() {
        if let (Ok(d), Ok(m)) = (d.parse::<u32>(), m.parse::<u32>()) {
            let this_year = NaiveDate::from_ymd_opt(today.year(), m, d);
            if let Some(date) = this_year
                .filter(|x| *x >= today)
                .or_else(|| NaiveDate::from_ymd_opt(today.year() + 1, m, d))
            {
                return day(date);
            }
        }
    }
    let (d, m, y) = match ws.as_slice() {
        [a, b] if month_of(b).is_some() => (number(a), month_of(b), None),
        [a, b] => (number(b), month_of(a), None),
        [a, b, y] if month_of(b).is_some() => (number(a), month_of(b), y.parse::<i32>().ok()),
        [a, b, y] => (number(b), month_of(a), y.parse::<i32>().ok()),
        _ => (None, None, None),
    };
    if let (Some(d), Some(m)) = (d, m) {
        let m = m as u32 + 1;
        let this_year = NaiveDate::from_ymd_opt(today.year(), m, d);
        let date = match y {
            Some(y) => NaiveDate::from_ymd_opt(y, m, d),
            None => this_year
                .filter(|x| *x >= today)
                .or_else(|| NaiveDate::from_ymd_opt(today.year() + 1, m, d)),
        };
        if let Some(date) = date {
            return day(date);
        }
    }
    for (i, (de, en)) in MONTHS.iter().enumerate() {
        if t == *de || t == *en {
            let m = i as u32 + 1;
            let year = if m < today.month() {
                today.year() + 1
            } else {
                today.year()
            };
            return Some(format!("{year}-{m:02}"));
        }
    }
    let _ = lang;
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_words_become_alexa_date_values() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default();
        let cases = [
            ("heute", "2026-11-25"),
            ("morgen", "2026-11-26"),
            ("übermorgen", "2026-11-27"),
            ("am Wochenende", "2026-W48-WE"),
            ("nächste Woche", "2026-W49"),
            ("am Montag", "2026-11-30"),
            ("im Dezember", "2026-12"),
            ("today", "2026-11-25"),
            ("tomorrow", "2026-11-26"),
            ("this weekend", "2026-W48-WE"),
            ("next week", "2026-W49"),
            ("on Saturday", "2026-11-28"),
            ("am 1. Juni 2026", "2026-06-01"),
            ("am 24. Dezember", "2026-12-24"),
            ("am 6. Januar", "2027-01-06"),
            ("december 24th", "2026-12-24"),
            ("the 31st of december", "2026-12-31"),
        ];
        for (text, want) in cases {
            assert_eq!(
                date_value(text, today, Lang::De).as_deref(),
                Some(want),
                "{text}"
            );
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default()
    }

    #[test]
    fn weekend_becomes_the_weeks_we_value() {
        assert_eq!(
            date_value("am Wochenende", today(), Lang::De).as_deref(),
            Some("2026-W48-WE")
        );
        assert_eq!(
            date_value("im Dezember", today(), Lang::De).as_deref(),
            Some("2026-12")
        );
        assert_eq!(
            date_value("tomorrow", today(), Lang::En).as_deref(),
            Some("2026-11-26")
        );
    }
}
