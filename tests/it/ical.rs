//! A real iCalendar file with the edge cases cities' feeds contain
//! (`tests/fixtures/ical/edge-cases.ics`), read through the same parser
//! the corpus loader uses, in Munich's time zone.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
use city_skill::knowledge::Event;
use city_skill::time::ical::{self, Parsed};

const FILE: &str = "edge-cases.ics";

fn parsed() -> Parsed {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/ical/edge-cases.ics"
    );
    let text = std::fs::read_to_string(path).unwrap();
    ical::parse(FILE, &text, Berlin)
}

fn between(p: &Parsed, from: (i32, u32, u32), to: (i32, u32, u32)) -> Vec<Event> {
    let at = |(y, m, d): (i32, u32, u32)| -> DateTime<Utc> {
        Berlin
            .from_local_datetime(
                &NaiveDate::from_ymd_opt(y, m, d)
                    .unwrap()
                    .and_hms_opt(0, 0, 0)
                    .unwrap(),
            )
            .unwrap()
            .with_timezone(&Utc)
    };
    let mut out: Vec<Event> = p
        .series
        .iter()
        .flat_map(|s| s.occurrences(at(from), at(to)))
        .collect();
    out.sort_by_key(|e| e.start);
    out
}

fn one<'a>(events: &'a [Event], uid: &str) -> &'a Event {
    events
        .iter()
        .find(|e| e.uid == uid)
        .unwrap_or_else(|| panic!("no {uid} in {events:?}"))
}

fn local(e: &Event) -> String {
    e.start
        .with_timezone(&Berlin)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

#[test]
fn a_utc_time_is_shown_in_munich_time_with_its_details() {
    let events = between(&parsed(), (2026, 12, 5), (2026, 12, 6));
    let e = one(&events, "utc@test");
    assert_eq!(local(e), "2026-12-05 19:00");
    assert_eq!(
        e.location.as_deref(),
        Some("Isarphilharmonie, Hans-Preißinger-Straße 8")
    );
    assert_eq!(e.url.as_deref(), Some("https://example.org/konzert"));
    assert_eq!(e.description.as_deref(), Some("Zeile eins\nZeile zwei"));
    assert_eq!(e.categories, vec!["Konzerte", "Musik"]);
}

#[test]
fn a_floating_time_is_taken_as_munich_time() {
    let events = between(&parsed(), (2026, 12, 6), (2026, 12, 7));
    assert_eq!(local(one(&events, "floating@test")), "2026-12-06 10:00");
}

#[test]
fn a_time_in_another_zone_is_converted() {
    let events = between(&parsed(), (2026, 12, 7), (2026, 12, 8));
    // 12:00 in New York is 18:00 in Munich in December.
    assert_eq!(local(one(&events, "tzid@test")), "2026-12-07 18:00");
}

#[test]
fn an_all_day_event_covers_every_day_of_its_span() {
    let p = parsed();
    for day in [10, 11, 12] {
        let events = between(&p, (2026, 12, day), (2026, 12, day + 1));
        assert!(one(&events, "allday@test").all_day);
    }
    assert!(between(&p, (2026, 12, 13), (2026, 12, 14))
        .iter()
        .all(|e| e.uid != "allday@test"));
}

#[test]
fn an_event_spanning_midnight_belongs_to_both_days() {
    let p = parsed();
    assert_eq!(
        local(one(
            &between(&p, (2026, 12, 31), (2027, 1, 1)),
            "midnight@test"
        )),
        "2026-12-31 22:00"
    );
    assert!(between(&p, (2027, 1, 1), (2027, 1, 2))
        .iter()
        .any(|e| e.uid == "midnight@test"));
}

#[test]
fn a_weekly_recurrence_keeps_its_local_time_across_the_dst_change_and_skips_its_exdate() {
    let events = between(&parsed(), (2026, 3, 1), (2026, 5, 1));
    let starts: Vec<String> = events
        .iter()
        .filter(|e| e.uid == "weekly@test")
        .map(local)
        .collect();
    // 16 March (CET), 23 March excluded, 30 March and 6 April (CEST): COUNT=4 includes the excluded one.
    assert_eq!(
        starts,
        vec!["2026-03-16 10:00", "2026-03-30 10:00", "2026-04-06 10:00"]
    );
}

#[test]
fn a_malformed_event_is_reported_with_its_line_and_the_others_still_load() {
    let p = parsed();
    assert_eq!(p.problems.len(), 1, "{:?}", p.problems);
    let msg = p.problems[0].to_string();
    assert!(msg.starts_with("edge-cases.ics:"), "{msg}");
    let line = p.problems[0].line;
    // The broken event's BEGIN:VEVENT or a line inside it.
    assert!((73..=78).contains(&line), "{msg}");
    assert!(between(&p, (2026, 12, 24), (2026, 12, 25))
        .iter()
        .any(|e| e.uid == "after-broken@test"));
    assert_eq!(p.series.len(), 7);
}
