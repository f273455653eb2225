//! Hostile input, checked in and run by `cargo test`: whatever arrives, the
//! skill answers with a valid response or refuses with a clear error, and
//! never panics; a hostile corpus file gets problems, not a crash.

use city_skill::knowledge::{Knowledge, Sources};
use city_skill::lang::Lang;
use city_skill::skill::RequestError;
use serde_json::Value;

use crate::helpers::{
    assert_valid_response, assert_well_formed_ssml, fixture, shared_skill, wednesday_morning,
};

/// A question envelope whose `query` slot says `text`.
fn asking(text: &str) -> Value {
    let mut v = fixture("question.json");
    v["request"]["intent"]["slots"]["query"]["value"] = Value::String(text.to_string());
    v
}

/// The skill on `payload` bytes as a server would get them: JSON that does
/// not parse is refused before the skill; anything else is answered
/// validly or refused as an invalid request.
pub(crate) fn survives(payload: &[u8]) {
    let Ok(v) = serde_json::from_slice::<Value>(payload) else {
        return;
    };
    answers_or_refuses(&v);
}

/// The skill on an envelope: a valid response with well-formed SSML, or a
/// refusal as an invalid request; never a panic.
pub(crate) fn answers_or_refuses(v: &Value) {
    match shared_skill().handle_json(v, wednesday_morning()) {
        Ok(r) => {
            assert_valid_response(&r);
            if let Some(city_skill::alexa::OutputSpeech::Ssml { ssml }) = &r.response.output_speech
            {
                assert_well_formed_ssml(ssml);
            }
        }
        Err(RequestError::InvalidRequest(_)) => {}
        Err(e) => panic!("unexpected refusal: {e}"),
    }
}

#[test]
fn deeply_nested_json_is_refused_without_a_crash() {
    let deep = "[".repeat(100_000) + &"]".repeat(100_000);
    survives(deep.as_bytes());
    let mut v = fixture("launch.json");
    let mut nested = Value::Null;
    for _ in 0..100 {
        nested = serde_json::json!({ "a": nested });
    }
    v["session"]["attributes"] = nested;
    survives(v.to_string().as_bytes());
}

#[test]
fn megabyte_strings_in_slots_get_a_valid_answer() {
    survives(asking(&"reisepass ".repeat(100_000)).to_string().as_bytes());
    survives(asking(&"x".repeat(1_000_000)).to_string().as_bytes());
}

#[test]
fn nul_bytes_emoji_and_control_characters_get_a_valid_answer() {
    for text in [
        "pass\u{0}port",
        "🙂🙂🙂 reisepass 🚀",
        "\u{202e}ssapsier",
        "\t\r\n",
        "",
        " ",
    ] {
        survives(asking(text).to_string().as_bytes());
    }
}

#[test]
fn ssml_and_xml_injection_in_slot_values_stays_text() {
    for text in [
        "</speak><audio src=\"https://evil.example/x.mp3\"/><speak>",
        "<![CDATA[ x ]]> & &amp; <break time=\"100s\"/>",
        "\"'><script>alert(1)</script>",
    ] {
        survives(asking(text).to_string().as_bytes());
        let mut v = fixture("office_hours.json");
        v["request"]["intent"]["slots"]["office"]["value"] = Value::String(text.to_string());
        v["request"]["intent"]["slots"]["office"]["resolutions"] = Value::Null;
        survives(v.to_string().as_bytes());
    }
}

#[test]
fn huge_and_strange_session_attributes_get_a_valid_answer() {
    for attributes in [
        serde_json::json!({ "faqChoices": ["x".repeat(1_000_000)] }),
        serde_json::json!({ "eventsPage": { "from": "not a date", "offset": -5 } }),
        serde_json::json!({ "office": 42, "elicitOffice": ["array"], "lastSpeech": null }),
    ] {
        for name in ["yes.json", "no.json"] {
            let mut v = fixture(name);
            v["session"]["new"] = false.into();
            v["session"]["attributes"] = attributes.clone();
            survives(v.to_string().as_bytes());
        }
    }
}

#[test]
fn not_json_at_all_is_refused_before_the_skill() {
    survives(b"\xff\xfe\x00garbage");
    survives(b"");
}

#[test]
fn a_hostile_csv_gets_problems_not_a_crash() {
    let dir = std::env::temp_dir().join(format!("city-skill-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, bytes) in [
        (
            "invalid-utf8.csv",
            b"id;locale;question;answer\nx;de-DE;\xff\xfe;\xc3\x28\n".to_vec(),
        ),
        (
            "nul.csv",
            b"id;locale;question;answer\nx\x00y;de-DE;frage\x00;antwort\n".to_vec(),
        ),
        (
            "quote.csv",
            b"id;locale;question;answer\n\"x;de-DE;\"\"\"frage;antwort\n".to_vec(),
        ),
        (
            "huge-field.csv",
            format!(
                "id;locale;question;answer\nx;de-DE;{};a\n",
                "w ".repeat(500_000)
            )
            .into_bytes(),
        ),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        // Loading either fails with problems or yields a corpus; neither panics.
        if let Ok(sources) = Sources::from_path(&path) {
            let (_, _problems) = Knowledge::check(sources);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_hostile_calendar_gets_problems_not_a_crash() {
    let tz = chrono_tz::Europe::Berlin;
    for text in [
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:99999999T999999\nRRULE:FREQ=SECONDLY;INTERVAL=0\nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR\n",
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nBEGIN:VEVENT\nEND:VCALENDAR\n",
        &("BEGIN:VCALENDAR\n".to_string() + &"BEGIN:VEVENT\nSUMMARY:\u{0}\nEND:VEVENT\n".repeat(1000) + "END:VCALENDAR\n"),
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20260101T100000Z\nRRULE:FREQ=SECONDLY\nSUMMARY:every second\nEND:VEVENT\nEND:VCALENDAR\n",
    ] {
        let parsed = city_skill::time::ical::parse("hostile.ics", text, tz);
        let from = "2026-01-01T00:00:00Z".parse().unwrap();
        let to = "2027-01-01T00:00:00Z".parse().unwrap();
        for s in &parsed.series {
            let _ = s.occurrences(from, to);
        }
    }
}

#[test]
fn words_in_other_scripts_get_a_valid_answer_in_every_locale() {
    // Found by the property tests: rphonetic's Metaphone panicked on "𖩠s".
    for locale in ["de-DE", "en-US", "en-GB"] {
        for text in ["𖩠s", "𖩩ՈS", "Москва паспорт", "東京 passport", "مرحبا"]
        {
            answers_or_refuses(&crate::helpers::with_locale(asking(text), locale));
        }
    }
}

/// A file of tests/fixtures/hostile/fuzz, where inputs found by the fuzz
/// targets (fuzz/README.md) are kept.
fn fuzz_find(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/hostile/fuzz/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn answered(name: &str) {
    let v: Value = serde_json::from_str(&fuzz_find(name)).unwrap();
    let r = shared_skill()
        .handle_json(&v, wednesday_morning())
        .unwrap_or_else(|e| panic!("{name}: refused: {e}"));
    assert_valid_response(&r);
}

#[test]
fn epoch_millisecond_timestamps_at_chronos_limits_get_an_answer() {
    // Panicked converting to local time, and in date arithmetic.
    answered("envelope-epoch-millis-max.json");
    answered("envelope-epoch-millis-min.json");
}

#[test]
fn date_slots_with_years_past_9999_get_an_answer() {
    // Panicked: 262142-12-31 and 262141 overflowed chrono's dates.
    answered("envelope-date-day-262142-12-31.json");
    answered("envelope-date-year-262141.json");
}

#[test]
fn events_in_a_far_year_are_answered_without_walking_every_occurrence() {
    // Took 12 s (year 4052) and 4 s (9999): rrule walked every weekly
    // occurrence from DTSTART; now at most 10,000 per series.
    answered("envelope-date-4052-W48-WE-slow.json");
    answered("envelope-date-year-9999-slow.json");
}

#[test]
fn a_secondly_series_from_2000_expands_without_walking_26_years_of_seconds() {
    let parsed = city_skill::time::ical::parse(
        "secondly.ics",
        &fuzz_find("ical-secondly-since-2000-slow.ics"),
        chrono_tz::Europe::Berlin,
    );
    let from = "2026-11-25T00:00:00Z".parse().unwrap();
    let to = "2027-01-01T00:00:00Z".parse().unwrap();
    for s in &parsed.series {
        assert!(s.occurrences(from, to).len() <= 500);
    }
}

#[test]
fn a_search_for_every_entry_does_not_overflow() {
    let q = fuzz_find("matcher-limit-overflow.txt");
    let k = shared_skill().knowledge();
    for lang in [Lang::De, Lang::En] {
        assert!(k.rank(&q, lang, usize::MAX).len() <= k.faq().len());
    }
}
