//! Times, weekdays and ranges the way people say them, in German and English.
//!
//! "halb acht", "bis 13 Uhr", "von 14 bis 18 Uhr"; "7:30 a.m.", "1 p.m.".

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};

use crate::lang::Lang;

const DE_HOURS: [&str; 13] = [
    "zwölf", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn",
    "elf", "zwölf",
];

/// A clock time as spoken: "halb acht", "13 Uhr", "14:15 Uhr"; "7:30 a.m.", "1 p.m.", "noon".
pub fn time(t: NaiveTime, lang: Lang) -> String {
    let (h, m) = (t.hour(), t.minute());
    match lang {
        Lang::De => {
            if m == 0 {
                format!("{h} Uhr")
            } else if m == 30 && (1..12).contains(&h) {
                // "halb acht" is unambiguous in the morning; in the afternoon
                // "halb drei" could be either, so say 14:30 Uhr there.
                format!("halb {}", DE_HOURS[(h as usize + 1) % 12])
            } else {
                format!("{h}:{m:02} Uhr")
            }
        }
        Lang::En => {
            if h == 12 && m == 0 {
                return "noon".into();
            }
            if h == 0 && m == 0 {
                return "midnight".into();
            }
            let suffix = if h < 12 { "a.m." } else { "p.m." };
            let h12 = match h % 12 {
                0 => 12,
                x => x,
            };
            if m == 0 {
                format!("{h12} {suffix}")
            } else {
                format!("{h12}:{m:02} {suffix}")
            }
        }
    }
}

/// A range: "von halb acht bis 13 Uhr", "von 14 bis 18 Uhr"; "from 7:30 a.m. to 1 p.m.".
pub fn range(from: NaiveTime, to: NaiveTime, lang: Lang) -> String {
    match lang {
        Lang::De if from.minute() == 0 && to.minute() == 0 => {
            format!("von {} bis {} Uhr", from.hour(), hour_or_24(to))
        }
        Lang::De => format!("von {} bis {}", time(from, lang), time(to, lang)),
        Lang::En => format!("from {} to {}", time(from, lang), time(to, lang)),
    }
}

fn hour_or_24(t: NaiveTime) -> u32 {
    if t.hour() == 0 {
        24
    } else {
        t.hour()
    }
}

/// A short written range for cards: "07:30–13:00".
pub fn range_short(from: NaiveTime, to: NaiveTime) -> String {
    let end = if to == NaiveTime::MIN && from != NaiveTime::MIN {
        "24:00".to_string()
    } else {
        to.format("%H:%M").to_string()
    };
    format!("{}–{}", from.format("%H:%M"), end)
}

/// The weekday's name: "Montag", "Monday".
pub fn weekday(d: Weekday, lang: Lang) -> &'static str {
    let i = d.num_days_from_monday() as usize;
    match lang {
        Lang::De => [
            "Montag",
            "Dienstag",
            "Mittwoch",
            "Donnerstag",
            "Freitag",
            "Samstag",
            "Sonntag",
        ][i],
        Lang::En => [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ][i],
    }
}

/// The weekday as a habit: "montags", "on Mondays".
pub fn weekday_plural(d: Weekday, lang: Lang) -> String {
    match lang {
        Lang::De => format!("{}s", weekday(d, lang).to_lowercase()),
        Lang::En => format!("{}s", weekday(d, lang)),
    }
}

/// Joins items as a spoken list: "a, b und c" / "a, b and c".
pub fn join(items: &[String], lang: Lang) -> String {
    let and = match lang {
        Lang::De => "und",
        Lang::En => "and",
    };
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {and} {last}", init.join(", ")),
    }
}

/// A group of weekdays as spoken: "montags, mittwochs und freitags",
/// "dienstags bis freitags"; "on Mondays, Wednesdays and Fridays",
/// "Tuesday to Friday".
pub fn weekdays(days: &[Weekday], lang: Lang) -> String {
    let consecutive = days.len() >= 3
        && days
            .windows(2)
            .all(|w| w[1].num_days_from_monday() == w[0].num_days_from_monday() + 1);
    if let (true, Some(first), Some(last)) = (consecutive, days.first(), days.last()) {
        return match lang {
            Lang::De => format!(
                "{} bis {}",
                weekday_plural(*first, lang),
                weekday_plural(*last, lang)
            ),
            Lang::En => format!("{} to {}", weekday(*first, lang), weekday(*last, lang)),
        };
    }
    let names: Vec<String> = days.iter().map(|d| weekday_plural(*d, lang)).collect();
    match lang {
        Lang::De => join(&names, lang),
        Lang::En => format!("on {}", join(&names, lang)),
    }
}

/// A month and year: "Juli 2019", "July 2019".
pub fn month_year(month: u32, year: i32, lang: Lang) -> String {
    const DE: [&str; 12] = [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let i = (month.clamp(1, 12) - 1) as usize;
    match lang {
        Lang::De => format!("{} {year}", DE[i]),
        Lang::En => format!("{} {year}", EN[i]),
    }
}

/// A day relative to today: "heute", "morgen", "am Samstag", "am 24. Dezember";
/// "today", "tomorrow", "on Saturday", "on 24 December".
pub fn day(date: NaiveDate, today: NaiveDate, lang: Lang) -> String {
    let diff = (date - today).num_days();
    match (lang, diff) {
        (Lang::De, 0) => "heute".into(),
        (Lang::De, 1) => "morgen".into(),
        (Lang::De, 2) => "übermorgen".into(),
        (Lang::En, 0) => "today".into(),
        (Lang::En, 1) => "tomorrow".into(),
        (_, 2..=6) => match lang {
            Lang::De => format!("am {}", weekday(date.weekday(), lang)),
            Lang::En => format!("on {}", weekday(date.weekday(), lang)),
        },
        _ if diff.abs() >= 300 => {
            let d = day(date, date - chrono::Days::new(7), lang);
            format!("{d} {}", date.year())
        }
        _ => match lang {
            Lang::De => format!(
                "am {}. {}",
                date.day(),
                month_year(date.month(), date.year(), lang)
                    .split(' ')
                    .next()
                    .unwrap_or("")
            ),
            Lang::En => format!(
                "on {} {}",
                date.day(),
                month_year(date.month(), date.year(), lang)
                    .split(' ')
                    .next()
                    .unwrap_or("")
            ),
        },
    }
}

/// A moment relative to `now`: "morgen um halb acht", "am Montag um halb
/// acht", "heute um 14 Uhr"; "tomorrow at 7:30 a.m.", "on Monday at 7:30 a.m.".
pub fn moment(at: NaiveDateTime, now: NaiveDateTime, lang: Lang) -> String {
    let when = day(at.date(), now.date(), lang);
    match lang {
        Lang::De => format!("{when} um {}", time(at.time(), lang)),
        Lang::En => format!("{when} at {}", time(at.time(), lang)),
    }
}

/// Until when, relative to `now`: "heute bis 13 Uhr", "morgen bis halb
/// eins"; "until 1 p.m. today". A close at 24:00 belongs to the day that
/// ends: "bis Mitternacht", "until midnight tonight", never "morgen bis 0
/// Uhr" (heard as a day late).
pub fn until(at: NaiveDateTime, now: NaiveDateTime, lang: Lang) -> String {
    let today = now.date();
    if at.time() == NaiveTime::MIN {
        let last = at.date().pred_opt().unwrap_or(at.date());
        let diff = (last - today).num_days();
        return match (lang, diff) {
            (Lang::De, 0) => "bis Mitternacht".into(),
            (Lang::De, _) => format!("{} bis 24 Uhr", day(last, today, lang)),
            (Lang::En, 0) => "until midnight tonight".into(),
            (Lang::En, 1) => "until midnight tomorrow night".into(),
            (Lang::En, _) => {
                let d = day(last, today, lang);
                format!("until the end of {}", d.strip_prefix("on ").unwrap_or(&d))
            }
        };
    }
    match lang {
        Lang::De => format!(
            "{} bis {}",
            day(at.date(), today, lang),
            time(at.time(), lang)
        ),
        Lang::En => format!(
            "until {} {}",
            time(at.time(), lang),
            day(at.date(), today, lang)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()
    }

    #[test]
    fn half_past_in_the_morning_is_halb() {
        assert_eq!(time(t(7, 30), Lang::De), "halb acht");
        assert_eq!(time(t(11, 30), Lang::De), "halb zwölf");
    }

    #[test]
    fn afternoon_half_hours_use_the_24_hour_clock() {
        assert_eq!(time(t(14, 30), Lang::De), "14:30 Uhr");
    }

    #[test]
    fn english_times_use_am_pm() {
        assert_eq!(time(t(7, 30), Lang::En), "7:30 a.m.");
        assert_eq!(time(t(13, 0), Lang::En), "1 p.m.");
        assert_eq!(time(t(12, 0), Lang::En), "noon");
    }

    #[test]
    fn full_hour_ranges_say_uhr_once() {
        assert_eq!(range(t(14, 0), t(18, 0), Lang::De), "von 14 bis 18 Uhr");
        assert_eq!(
            range(t(7, 30), t(13, 0), Lang::De),
            "von halb acht bis 13 Uhr"
        );
    }

    #[test]
    fn consecutive_weekdays_become_a_range() {
        use Weekday::*;
        assert_eq!(
            weekdays(&[Tue, Wed, Thu, Fri], Lang::De),
            "dienstags bis freitags"
        );
        assert_eq!(
            weekdays(&[Mon, Wed, Fri], Lang::De),
            "montags, mittwochs und freitags"
        );
        assert_eq!(
            weekdays(&[Mon, Wed, Fri], Lang::En),
            "on Mondays, Wednesdays and Fridays"
        );
    }
}
