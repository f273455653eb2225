//! Checks: no panic in the iCalendar parser, nor in expanding the events it yields (recurrences) over a few ranges.
#![no_main]

use std::sync::LazyLock;

use chrono::{DateTime, TimeZone, Utc};
use city_skill::time::ical;
use libfuzzer_sys::fuzz_target;

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 0, 0, 0)
        .single()
        .expect("a valid instant")
}

/// Ranges a question may ask about: a day, the coming weeks. (A far range
/// costs every recurring series its whole scan budget, which under the
/// sanitizer slows the run tenfold; the `envelope` target asks far dates.)
static RANGES: LazyLock<[(DateTime<Utc>, DateTime<Utc>); 2]> = LazyLock::new(|| {
    [
        (at(2026, 11, 25), at(2026, 11, 26)),
        (at(2026, 11, 25), at(2027, 1, 1)),
    ]
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = ical::parse("events.ics", text, chrono_tz::Europe::Berlin);
    for p in &parsed.problems {
        let _ = p.to_string();
    }
    for s in &parsed.series {
        for (from, to) in RANGES.iter() {
            let _ = s.occurrences(*from, *to);
        }
    }
});
