//! Property tests: for generated input of every kind that reaches the
//! skill (slot values, any JSON in any field of an envelope, spreadsheet
//! bytes, calendar lines, questions), the skill answers validly or refuses
//! clearly, loaders report problems with lines, and nothing panics. The
//! fuzz targets in `fuzz/` search the same ground far longer.

use city_skill::knowledge::csv;
use city_skill::lang::Lang;
use city_skill::skill::unanswered::redact;
use city_skill::time::ical;
use proptest::prelude::*;
use serde_json::{json, Value};

use crate::helpers::{fixture, shared_skill};
use crate::hostile::answers_or_refuses;

/// Text a citizen might say, or anything at all.
fn said() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zäöüßA-Z0-9 ,.?!'-]{0,60}",
        prop::sample::select(vec![
            "Bürgerbüro",
            "Ruppertstraße",
            "reisepass",
            "Hund anmelden",
            "KVR",
            "morgen",
            "<speak>",
            "&amp;",
            "]]>",
            "\u{0}",
            "😀",
        ])
        .prop_map(str::to_string),
    ]
}

/// Any JSON value, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        said().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    "[a-zA-Z]{1,12}",
                    prop::sample::select(vec![
                        "value",
                        "id",
                        "name",
                        "office",
                        "faqChoices",
                        "eventsPage",
                        "type"
                    ])
                    .prop_map(str::to_string),
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

const FIXTURES: [&str; 11] = [
    "launch.json",
    "event_info.json",
    "question.json",
    "office_hours.json",
    "office_address.json",
    "events.json",
    "yes.json",
    "help.json",
    "can_fulfill.json",
    "session_ended.json",
    "session_resumed.json",
];

/// Places in an envelope where Alexa puts values, and a few where it never
/// would.
const POINTERS: [&str; 14] = [
    "/session/attributes",
    "/session/attributes/faqChoices",
    "/session/attributes/office",
    "/session/attributes/eventsPage",
    "/session/attributes/lastSpeech",
    "/session/new",
    "/request/intent/slots",
    "/request/intent/name",
    "/request/locale",
    "/request/dialogState",
    "/request/timestamp",
    "/context",
    "/context/System/application",
    "/version",
];

/// Sets `pointer` in `v` to `value`, creating objects on the way.
fn set(v: &mut Value, pointer: &str, value: Value) {
    let mut at = v;
    let parts: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        if !at.is_object() {
            *at = json!({});
        }
        let Value::Object(map) = at else { return };
        if i + 1 == parts.len() {
            map.insert((*part).to_string(), value);
            return;
        }
        at = map.entry((*part).to_string()).or_insert_with(|| json!({}));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn any_slot_value_gets_a_valid_answer(
        text in said(),
        which in prop::sample::select(vec![
            ("question.json", "query"),
            ("office_hours.json", "office"),
            ("office_address.json", "office"),
            ("events.json", "date"),
            ("events.json", "category"),
            ("event_info.json", "event"),
        ]),
    ) {
        let (name, slot) = which;
        let mut v = fixture(name);
        v["request"]["intent"]["slots"][slot] = json!({ "name": slot, "value": text });
        answers_or_refuses(&v);
    }

    #[test]
    fn any_json_anywhere_in_an_envelope_is_answered_or_refused(
        name in prop::sample::select(FIXTURES.to_vec()),
        pointer in prop::sample::select(POINTERS.to_vec()),
        value in json_value(),
    ) {
        let mut v = fixture(name);
        set(&mut v, pointer, value);
        answers_or_refuses(&v);
    }

    #[test]
    fn a_spreadsheet_of_any_bytes_gets_entries_or_problems_on_real_lines(
        header in prop::sample::select(vec![
            "id;locale;question;answer\n",
            "id,locale,question,answer,tags\n",
            "",
        ]),
        body in prop::collection::vec(any::<u8>(), 0..600),
    ) {
        let mut bytes = header.as_bytes().to_vec();
        bytes.extend_from_slice(&body);
        let lines = bytes.split(|b| *b == b'\n').count();
        let parsed = csv::parse("faq.csv", &bytes);
        for p in &parsed.problems {
            prop_assert!(p.line <= lines, "{}:{}: {} (file has {lines} lines)", p.file, p.line, p.message);
        }
    }

    #[test]
    fn a_calendar_of_any_lines_parses_and_expands_without_panic(
        lines in prop::collection::vec(
            prop_oneof![
                prop::sample::select(vec![
                    "BEGIN:VCALENDAR", "END:VCALENDAR", "BEGIN:VEVENT", "END:VEVENT",
                    "DTSTART:20261128T100000Z", "DTSTART;VALUE=DATE:20261205",
                    "DTSTART;TZID=Europe/Berlin:20261201T180000", "DTEND:20261128T120000Z",
                    "DURATION:PT2H", "RRULE:FREQ=WEEKLY;BYDAY=SA", "RRULE:FREQ=DAILY;COUNT=3",
                    "RRULE:FREQ=SECONDLY", "EXDATE:20261205T100000Z", "SUMMARY:Markt",
                    "UID:x@y", "CATEGORIES:Markt", " folded continuation",
                ]).prop_map(str::to_string),
                "[A-Z;=:0-9TZ/-]{0,40}",
            ],
            0..30,
        ),
    ) {
        let text = lines.join("\r\n");
        let parsed = ical::parse("feed.ics", &text, chrono_tz::Europe::Berlin);
        let from = "2026-11-01T00:00:00Z".parse().unwrap();
        let to = "2027-01-01T00:00:00Z".parse().unwrap();
        for s in &parsed.series {
            let _ = s.occurrences(from, to);
        }
        for p in &parsed.problems {
            prop_assert!(p.line <= lines.len() + 1, "{}:{}: {}", p.file, p.line, p.message);
        }
    }

    #[test]
    fn any_question_is_answered_doubted_or_rejected_with_sane_scores(q in said()) {
        let k = shared_skill().knowledge();
        for lang in [Lang::De, Lang::En] {
            match k.match_question(&q, lang) {
                city_skill::knowledge::FaqMatch::Answer { score, .. } => {
                    prop_assert!((0.0..=1.0).contains(&score), "{q:?}: {score}");
                }
                city_skill::knowledge::FaqMatch::Unsure { candidates } => {
                    prop_assert!(!candidates.is_empty() && candidates.len() <= 2);
                    for (_, s) in candidates {
                        prop_assert!((0.0..=1.0).contains(&s), "{q:?}: {s}");
                    }
                }
                city_skill::knowledge::FaqMatch::NotFound
                | city_skill::knowledge::FaqMatch::NoWordShared => {}
            }
        }
    }

    #[test]
    fn a_redacted_question_has_no_digit_stays_short_and_is_stable(q in said()) {
        let once = redact(&q);
        prop_assert!(!once.chars().any(char::is_numeric), "{once:?}");
        prop_assert!(once.len() <= 200);
        prop_assert_eq!(redact(&once), once);
    }
}
