//! `city-skill hours`: opening-hours expressions evaluated in a batch, one
//! JSON line in, one out, so that a test can put thousands of instants to
//! the real binary and to a reference evaluator and compare
//! (tests/it/reference_hours.rs).

use std::collections::HashMap;
use std::io::{BufRead, Write};

use chrono::NaiveDateTime;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::lang::Lang;
use crate::skill::open_now::{open_now, Named};
use crate::time::holidays::{HolidayCalendar, HolidayPlace};
use crate::time::hours::{Hours, State};

#[derive(Deserialize)]
struct Query {
    expr: String,
    /// Local time, `2026-04-03T10:00`.
    at: String,
}

/// Answers every line of `input` on `output`; a line that is not a query
/// or an expression that does not parse is answered with `{"error": …}`.
///
/// # Errors
/// When the place's holidays are not known, or reading or writing fails.
pub fn run(
    place: HolidayPlace,
    input: impl BufRead,
    mut output: impl Write,
) -> std::io::Result<()> {
    let calendar = HolidayCalendar::new(place)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    let mut parsed: HashMap<String, Result<Hours, String>> = HashMap::new();
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let answer = match serde_json::from_str::<Query>(&line) {
            Err(e) => json!({ "error": e.to_string() }),
            Ok(q) => {
                let hours = parsed
                    .entry(q.expr.clone())
                    .or_insert_with(|| Hours::parse(&q.expr, &calendar).map_err(|e| e.to_string()));
                match (
                    hours,
                    NaiveDateTime::parse_from_str(&q.at, "%Y-%m-%dT%H:%M"),
                ) {
                    (Err(e), _) => json!({ "error": e }),
                    (_, Err(e)) => json!({ "error": format!("at {:?}: {e}", q.at) }),
                    (Ok(h), Ok(at)) => evaluate(h, at),
                }
            }
        };
        writeln!(output, "{answer}")?;
    }
    output.flush()
}

fn evaluate(hours: &Hours, at: NaiveDateTime) -> Value {
    let de = open_now(
        hours,
        Named {
            name: "das Amt",
            of: "vom Amt",
            pronoun: "Es",
        },
        at,
        chrono_tz::Europe::Berlin,
        Lang::De,
    );
    let en = open_now(
        hours,
        Named {
            name: "the office",
            of: "of the office",
            pronoun: "",
        },
        at,
        chrono_tz::Europe::Berlin,
        Lang::En,
    );
    let time = |t: Option<NaiveDateTime>| t.map(|t| t.format("%Y-%m-%dT%H:%M").to_string());
    let s = &de.status;
    json!({
        "state": match s.state {
            State::Open => "open",
            State::Closed => "closed",
            State::Unknown => "unknown",
        },
        "next": time(s.changes),
        "opens": time(s.opens),
        "comment": s.comment.as_deref(),
        "holiday": de.holiday.map(|h| json!({ "de": h.name(Lang::De), "en": h.name(Lang::En) })),
        "quiet_holiday": de.quiet_holiday,
        "call_ahead": de.call_ahead,
        "speech": { "de-DE": de.text, "en-US": en.text },
    })
}
