//! Events from the sample calendar (a corpus of its own since the default
//! corpus has real events), through the real binary, at many request
//! dates: "heute", "am Wochenende", "im Dezember", and a category.
//!
//! The sample feed (tests/fixtures/corpora/sample-events/events.ics) repeats weekly from January
//! 2026: Tuesday, Wednesday, Thursday (all day), Friday, Saturday and
//! Sunday one event each; the second Saturday and the first Sunday of a
//! month one more each.

use chrono::{Datelike, Days, NaiveDate, Weekday};

fn ask(locale: &str, question: &str, time: &str) -> String {
    let corpus = crate::helpers::sample_calendar();
    crate::helpers::ask_line_in(Some(&corpus), locale, question, time)
}

/// Events of the sample feed on `d`.
fn on(d: NaiveDate) -> usize {
    match d.weekday() {
        Weekday::Mon => 0,
        Weekday::Sat => 1 + usize::from((8..=14).contains(&d.day())),
        Weekday::Sun => 1 + usize::from(d.day() <= 7),
        _ => 1,
    }
}

fn between(from: NaiveDate, to: NaiveDate) -> usize {
    from.iter_days().take_while(|d| *d < to).map(on).sum()
}

/// What the German answer says about the number of events.
fn count_phrase(n: usize) -> String {
    match n {
        0 => "habe ich keine Veranstaltungen".into(),
        1 => "gibt es eine Veranstaltung".into(),
        n => format!("gibt es {n} Veranstaltungen"),
    }
}

/// Request days across 2026 and 2027, every weekday among them; asked at
/// 08:30 (winter) or 09:30 (summer) local time, before any event of the
/// day has ended.
const DAYS: &[&str] = &[
    "2026-02-02",
    "2026-03-10",
    "2026-03-28",
    "2026-03-29",
    "2026-05-13",
    "2026-07-09",
    "2026-08-14",
    "2026-10-10",
    "2026-11-01",
    "2026-11-25",
    "2026-12-05",
    "2026-12-24",
    "2027-01-06",
    "2027-02-13",
    "2027-06-06",
    "2027-09-17",
];

fn at(day: &str) -> String {
    format!("{day}T07:30:00Z")
}

fn date(day: &str) -> NaiveDate {
    day.parse().unwrap()
}

#[test]
fn today_lists_the_events_of_the_day_whatever_the_date() {
    let mut wrong = Vec::new();
    for day in DAYS {
        let want = count_phrase(on(date(day)));
        let got = ask("de-DE", "was ist heute los", &at(day));
        if !got.contains(&want) {
            wrong.push(format!("{day}: want {want:?}, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn this_weekend_lists_saturday_and_sunday_whatever_the_date() {
    let mut wrong = Vec::new();
    for day in DAYS {
        let d = date(day);
        let monday = d - Days::new(u64::from(d.weekday().num_days_from_monday()));
        let saturday = monday + Days::new(5);
        let want = count_phrase(between(saturday.max(d), monday + Days::new(7)));
        let got = ask("de-DE", "was ist am Wochenende los", &at(day));
        if !got.contains(&want) {
            wrong.push(format!("{day}: want {want:?}, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn december_counts_every_event_of_the_month_from_now_on() {
    for day in ["2026-06-10", "2026-11-25", "2026-12-05", "2026-12-24"] {
        let d = date(day);
        let first = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let want = count_phrase(between(
            first.max(d),
            NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
        ));
        let got = ask("de-DE", "was ist im Dezember los", &at(day));
        assert!(got.contains(&want), "{day}: want {want:?}, got {got:?}");
    }
}

#[test]
fn a_category_narrows_the_list() {
    let got = ask(
        "de-DE",
        "welche Märkte gibt es am Wochenende",
        "2026-11-25T08:00:00Z",
    );
    assert!(got.starts_with("Am Wochenende gibt es eine Veranstaltung aus der Rubrik Märkte. Am Samstag um 8 Uhr: Wochenmarkt"), "{got}");
    let got = ask(
        "en-US",
        "what concerts are on this weekend",
        "2026-11-25T08:00:00Z",
    );
    assert!(
        got.contains("one event in the category concerts this weekend"),
        "{got}"
    );
    assert!(got.contains("Orgelkonzert"), "{got}");
}

#[test]
fn an_empty_range_names_the_nearest_date_with_events_of_the_category() {
    let got = ask("de-DE", "gibt es heute Konzerte", "2026-11-25T08:00:00Z");
    assert_eq!(
        got,
        "Heute habe ich keine Veranstaltungen aus der Rubrik Konzerte. Die nächste ist übermorgen: Jazz am Abend (Beispieldaten)."
    );
}

#[test]
fn a_monday_without_events_names_the_next_day_with_one() {
    let got = ask("en-US", "what's on today", "2026-11-23T08:00:00Z");
    assert!(
        got.starts_with("I have no events today. The next one is tomorrow: Vorlesestunde"),
        "{got}"
    );
}

#[test]
fn more_next_and_yes_page_through_a_long_list() {
    use crate::helpers::{fixture, sample_calendar_skill, speech};
    let skill = sample_calendar_skill();
    let now = "2026-11-25T08:00:00Z".parse().unwrap();
    // December: far more than three events.
    let mut first = fixture("events.json");
    first["request"]["intent"]["slots"]["date"]["value"] = "2026-12".into();
    let r = skill.handle_json(&first, now).unwrap();
    assert!(
        speech(&r).contains("Soll ich weitere nennen?"),
        "{}",
        speech(&r)
    );
    let attributes = serde_json::to_value(&r.session_attributes).unwrap();
    for intent in ["AMAZON.MoreIntent", "AMAZON.NextIntent", "AMAZON.YesIntent"] {
        let mut next = fixture("yes.json");
        next["request"]["intent"]["name"] = intent.into();
        next["session"]["new"] = false.into();
        next["session"]["attributes"] = attributes.clone();
        let r = skill.handle_json(&next, now).unwrap();
        let s = speech(&r);
        // Page two starts with the fourth event: Friday 4 December, Jazz.
        assert!(
            s.starts_with("Am 4. Dezember um 20 Uhr: Jazz am Abend"),
            "{intent}: {s}"
        );
        assert!(!s.contains("gibt es"), "{intent} repeated the count: {s}");
    }
}

/// The calendars are expanded once for a window around the day asked and
/// the requests of that window share it: what a request is told must be
/// what expanding its own period would give, on the first request, on the
/// next ones, on days later, and for a period far ahead of the window.
#[test]
fn cached_occurrences_are_those_of_the_period_asked() {
    use chrono::{DateTime, Duration, Utc};
    let skill = crate::helpers::sample_calendar_skill();
    let k = skill.knowledge();
    let direct = |from: DateTime<Utc>, to: DateTime<Utc>| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = (k.event_series().iter())
            .flat_map(|s| s.occurrences(from, to))
            .map(|e| (e.uid, e.start.to_rfc3339()))
            .collect();
        v.sort();
        v
    };
    let asked = |from: DateTime<Utc>, to: DateTime<Utc>| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = (k.events_between(from, to).into_iter())
            .filter(|e| e.entry.is_none())
            .map(|e| (e.uid, e.start.to_rfc3339()))
            .collect();
        v.sort();
        v
    };
    let now: DateTime<Utc> = "2026-11-25T08:00:00Z".parse().unwrap();
    for (from, days) in [
        (now, 7),
        (now, 7),
        (now + Duration::hours(5), 30),
        (now + Duration::days(3), 366),
        (now + Duration::days(45), 366),
        (now + Duration::days(800), 31),
        (now, 2),
    ] {
        let to = from + Duration::days(days);
        let got = asked(from, to);
        assert!(!got.is_empty(), "{from} + {days} days");
        assert_eq!(got, direct(from, to), "{from} + {days} days");
    }
}
