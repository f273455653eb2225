//! `city-skill check`, `--corpus` and `match` through the real binary.

use crate::helpers::run_bin;

fn fixture_path(p: &str) -> String {
    format!("{}/tests/fixtures/{p}", env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> (String, i32) {
    let out = run_bin(args, None);
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn check_on_the_embedded_corpus_passes_with_a_summary() {
    let (out, code) = run(&["check"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("ok: no problems"), "{out}");
    assert!(out.contains("FAQ entries (de"), "{out}");
    assert!(out.contains("3 interaction model(s) in sync"), "{out}");
}

#[test]
fn check_prints_the_share_of_answers_that_only_defer_and_it_is_at_most_ten_percent() {
    let (out, _) = run(&["check"]);
    let line = (out.lines())
        .find(|l| l.contains("spoken FAQ answers only point elsewhere"))
        .unwrap_or_else(|| panic!("no share line in:\n{out}"));
    let share: f64 = line
        .split('(')
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(share <= 10.0, "{line}");
}

#[test]
fn check_counts_the_events_and_their_runs_by_certainty() {
    let (out, _) = run(&["check"]);
    assert!(
        out.lines().any(|l| l.contains("events with")
            && l.contains("confirmed")
            && l.contains("expected")),
        "{out}"
    );
}

#[test]
fn check_warns_about_an_event_whose_last_day_is_past_but_passes() {
    let dir = fixture_path("corpora/warnings");
    let (out, code) = run(&["check", "--corpus", &dir, "--today", "2026-06-01"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.lines().any(|l| l
            == "warning: event \"fest\" is stale: its last day, 2026-05-03, is past; add its next dates when they are published"),
        "{out}"
    );
}

#[test]
fn check_does_not_call_an_event_stale_on_its_last_day() {
    let dir = fixture_path("corpora/warnings");
    let (out, _) = run(&["check", "--corpus", &dir, "--today", "2026-05-03"]);
    assert!(!out.contains("stale"), "{out}");
}

#[test]
fn check_warns_about_a_spoken_answer_that_only_defers() {
    let dir = fixture_path("corpora/warnings");
    let (out, code) = run(&["check", "--corpus", &dir, "--today", "2026-01-01"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.lines().any(|l| l
            .starts_with("warning: FAQ \"pass\" (de): the spoken answer only points elsewhere")),
        "{out}"
    );
    assert!(!out.contains("FAQ \"pass\" (en)"), "{out}");
}

#[test]
fn check_warns_when_more_than_a_tenth_of_the_answers_only_defer() {
    let dir = fixture_path("corpora/warnings");
    let (out, _) = run(&["check", "--corpus", &dir, "--today", "2026-01-01"]);
    assert!(out.contains("(50.0 %; at most 10 % wanted)"), "{out}");
    assert!(
        out.lines().any(|l| l == "warning: 1 of 2 spoken FAQ answers only point elsewhere, more than 10 %"),
        "{out}"
    );
}

#[test]
fn check_lists_every_planted_error_with_file_and_line() {
    let dir = fixture_path("corpora/broken");
    let (out, code) = run(&["check", "--corpus", &dir]);
    assert_eq!(code, 1, "{out}");
    let expected = [
        ("events.ics:8:1:", "not an iCalendar content line"),
        ("events.toml:10:", "has no `certainty`"),
        ("events.toml:14:", "unknown certainty \"sure\""),
        ("events.toml:19:", "has no `source` or `as_of`"),
        ("events.toml:24:", "last day 2026-07-09 is before the first"),
        ("offices.toml:9:", "has no en name"),
        ("offices.toml:9:", "invalid opening_hours"),
        ("offices.toml:16:", "duplicate office id \"hotline\""),
        // Warnings now: the entries still answer (issue 15, item 5).
        ("warning: ", "office \"passamt\", which is not an office id"),
        ("warning: ", "too long to listen to"),
        ("faq.toml:13:", "has no en text"),
        ("faq.toml:21:", "duplicate FAQ id \"pass\""),
    ];
    for (place, what) in expected {
        assert!(
            out.lines().any(|l| l.contains(place) && l.contains(what)),
            "missing {place} {what} in:\n{out}"
        );
    }
}

#[test]
fn check_reports_a_toml_syntax_error_with_line_and_column() {
    let (out, code) = run(&["check", "--corpus", &fixture_path("corpora/syntax")]);
    assert_eq!(code, 1);
    assert!(out.contains("faq.toml:7:1:"), "{out}");
}

#[test]
fn a_german_spreadsheet_export_loads_as_corpus() {
    let csv = fixture_path("faq-spreadsheet.csv");
    let (out, code) = run(&["check", "--corpus", &csv]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("2 FAQ entries"), "{out}");
}

#[test]
fn match_json_prints_one_object_per_question() {
    let csv = fixture_path("faq-spreadsheet.csv");
    let out = run_bin(
        &["match", "--corpus", &csv, "--json"],
        Some("reise pass\nwie wird das wetter morgen\n"),
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["query"], "reise pass");
    assert_eq!(lines[0]["id"], "reisepass");
    assert!(lines[0]["confidence"].as_f64().unwrap() > 0.5);
    assert!(lines[1]["id"].is_null());
    assert!(lines[1]["alternatives"].is_array());
}

#[test]
fn ask_uses_the_corpus_given_on_the_command_line() {
    let csv = fixture_path("faq-spreadsheet.csv");
    let (out, code) = run(&[
        "ask",
        "--corpus",
        &csv,
        "Wie beantrage ich einen Reisepass?",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("biometrisches Foto"), "{out}");
}

#[test]
fn office_questions_in_free_text_go_to_the_office() {
    let (out, code) = run(&[
        "ask",
        "--time",
        "2026-11-25T09:00:00Z",
        "ich habe eine frage zu wo ist das fundbüro",
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("Implerstraße 11"), "{out}");
}

#[test]
fn a_synthetic_corpus_of_ten_thousand_entries_answers_its_own_questions() {
    use city_skill::knowledge::{synthetic, Knowledge};
    let k = Knowledge::from_faq(synthetic::faq(10_000, 42));
    assert_eq!(k.faq().len(), 10_000);
    let hits = k.rank(
        "Personalausweis verlängern Vorgang 1234",
        city_skill::lang::Lang::De,
        3,
    );
    assert!(!hits.is_empty());
}
