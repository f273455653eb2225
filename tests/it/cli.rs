//! `ask` and `invoke` through the real binary on the embedded corpus.

use city_skill::alexa::ResponseEnvelope;

use crate::helpers::{assert_valid_response, fixture, run_bin};

fn stdout(args: &[&str], stdin: Option<&str>) -> (String, i32) {
    let out = run_bin(args, stdin);
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn ask_prints_the_spoken_answer_and_the_card() {
    let (out, code) = stdout(
        &[
            "ask",
            "--time",
            "2026-11-25T09:00:00Z",
            "Wann hat das Bürgerbüro Ruppertstraße geöffnet?",
        ],
        None,
    );
    assert_eq!(code, 0);
    assert!(out.contains("Das Bürgerbüro Ruppertstraße hat"), "{out}");
    assert!(out.contains("[Bürgerbüro Ruppertstraße]"), "{out}");
    assert!(!out.contains("<speak>"), "tags must be removed: {out}");
}

#[test]
fn ask_in_english_answers_in_english() {
    let (out, code) = stdout(
        &[
            "ask",
            "--locale",
            "en-US",
            "where is the lost property office",
        ],
        None,
    );
    assert_eq!(code, 0);
    assert!(
        out.contains("The address of the Lost Property Office is Implerstraße 11"),
        "{out}"
    );
}

#[test]
fn ask_with_json_prints_a_valid_response_envelope() {
    let (out, code) = stdout(&["ask", "--json", "Was ist am Wochenende los?"], None);
    assert_eq!(code, 0);
    let r: ResponseEnvelope = serde_json::from_str(&out).unwrap();
    assert_valid_response(&r);
}

#[test]
fn invoke_answers_every_fixture_from_stdin() {
    for name in [
        "launch.json",
        "office_hours.json",
        "help.json",
        "session_ended.json",
        "can_fulfill.json",
        "unknown_type.json",
    ] {
        let request = fixture(name).to_string();
        let (out, code) = stdout(&["invoke"], Some(&request));
        assert_eq!(code, 0, "{name}: {out}");
        let r: ResponseEnvelope =
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{name}: {e}: {out}"));
        assert_valid_response(&r);
    }
}

#[test]
fn invoke_reads_a_file_argument() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/launch.json");
    let (out, code) = stdout(&["invoke", path], None);
    assert_eq!(code, 0);
    assert!(out.contains("\"shouldEndSession\": false"), "{out}");
}

#[test]
fn invoke_reports_a_malformed_envelope_as_a_typed_error() {
    let (out, code) = stdout(&["invoke", "-"], Some("{\"request\": 42}"));
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["errorType"], "InvalidRequest");
}

#[test]
fn invoke_reports_non_json_input_as_a_typed_error() {
    let (out, code) = stdout(&["invoke"], Some("this is not json"));
    assert_eq!(code, 1);
    assert!(out.contains("InvalidRequest"), "{out}");
}

#[test]
fn every_command_has_help() {
    for args in [&["--help"][..], &["ask", "--help"], &["invoke", "--help"]] {
        let (out, code) = stdout(args, None);
        assert_eq!(code, 0);
        assert!(out.contains("Usage"), "{out}");
    }
}

#[test]
fn release_profile_unwinds_so_a_panic_becomes_a_lambda_error() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")).unwrap();
    let manifest: toml::Value = toml::from_str(&text).unwrap();
    let release = &manifest["profile"]["release"];
    assert_eq!(release["panic"].as_str(), Some("unwind"));
    assert_eq!(release["codegen-units"].as_integer(), Some(1));
    assert_eq!(release["strip"].as_bool(), Some(true));
    assert!(release.get("lto").is_some());
}

/// A conversation through `chat`, one utterance per line on stdin.
fn chat(locale: &str, lines: &[&str]) -> String {
    let input = lines.join("\n") + "\n";
    let out = crate::helpers::run_bin(
        &[
            "chat",
            "--locale",
            locale,
            "--time",
            "2026-11-25T09:00:00+01:00",
        ],
        Some(&input),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The answer after the prompt line of `said`.
fn reply<'a>(transcript: &'a str, said: &str) -> &'a str {
    let start = transcript
        .find(&format!("> {said}\n"))
        .unwrap_or_else(|| panic!("{said} not in {transcript}"));
    let rest = &transcript[start..];
    rest.lines().nth(1).unwrap_or_default()
}

#[test]
fn chat_carries_the_office_from_turn_to_turn_in_german() {
    let t = chat(
        "de-DE",
        &[
            "Wann hat das Bürgerbüro Pasing offen?",
            "Und wo ist das?",
            "Und die Telefonnummer?",
            "Und am Samstag?",
            "Stopp",
            "Hallo?",
        ],
    );
    assert!(reply(&t, "Wann hat das Bürgerbüro Pasing offen?")
        .starts_with("Das Bürgerbüro Pasing hat jetzt geöffnet"));
    assert!(reply(&t, "Und wo ist das?")
        .starts_with("Die Adresse vom Bürgerbüro Pasing ist Landsberger Straße"));
    assert!(reply(&t, "Und die Telefonnummer?")
        .starts_with("Die Telefonnummer vom Bürgerbüro Pasing ist 089 233-96000"));
    assert!(reply(&t, "Und am Samstag?").starts_with("Das Bürgerbüro Pasing hat am Samstag"));
    assert!(reply(&t, "Stopp").starts_with("Tschüss"));
    // The session ended with "Stopp": nothing after it is answered.
    assert!(!t.contains("> Hallo?"), "{t}");
}

#[test]
fn chat_carries_the_office_from_turn_to_turn_in_english() {
    let t = chat(
        "en-US",
        &[
            "when is the Buergerbuero Pasing open",
            "and where is it",
            "and the phone number",
            "stop",
        ],
    );
    assert!(reply(&t, "when is the Buergerbuero Pasing open")
        .starts_with("The Citizens' Office Pasing is open now"));
    assert!(reply(&t, "and where is it")
        .starts_with("The address of the Citizens' Office Pasing is Landsberger Straße"));
    assert!(reply(&t, "and the phone number")
        .starts_with("The phone number of the Citizens' Office Pasing is 089 233-96000"));
    assert!(reply(&t, "stop").starts_with("Goodbye"));
}
