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
fn check_lists_every_planted_error_with_file_and_line() {
    let dir = fixture_path("corpora/broken");
    let (out, code) = run(&["check", "--corpus", &dir]);
    assert_eq!(code, 1, "{out}");
    let expected = [
        ("events.ics:8:1:", "not an iCalendar content line"),
        ("offices.toml:9:", "has no en name"),
        ("offices.toml:9:", "invalid opening_hours"),
        ("offices.toml:16:", "duplicate office id \"hotline\""),
        ("faq.toml:1:", "office \"passamt\", which does not exist"),
        ("faq.toml:13:", "too long to speak"),
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
