//! Differential test of recurrence expansion: the real binary (`city-skill
//! occurrences`) against the Python package recurring-ical-events
//! (`tests/reference/ical.py`, installed by `tests/reference/install.sh`)
//! on our own calendar (`tests/fixtures/ical/reference/recurrences.ics`):
//! weekly with EXDATE and RDATE, monthly by nth and last weekday, yearly,
//! all-day and all-day over days, daily and weekly across both DST
//! changes, UNTIL and COUNT, a rule in UTC, RDATE alone.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

const FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/ical/reference/recurrences.ics"
);
const FROM: &str = "2026-01-01";
const TO: &str = "2029-01-01";

fn python() -> PathBuf {
    crate::helpers::install_references();
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/reference/venv/bin/python");
    assert!(
        venv.is_file(),
        "recurring-ical-events is not installed at {}: its installation failed",
        venv.display()
    );
    venv
}

/// Each occurrence as `uid start end`, from a command's JSON lines.
fn occurrences(cmd: &mut Command) -> BTreeSet<String> {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            format!(
                "{} {} {}",
                v["uid"].as_str().unwrap(),
                v["start"].as_str().unwrap(),
                v["end"].as_str().unwrap()
            )
        })
        .collect()
}

fn ours(file: &Path) -> BTreeSet<String> {
    occurrences(
        Command::new(env!("CARGO_BIN_EXE_city-skill"))
            .arg("occurrences")
            .arg(file)
            .args(["--from", FROM, "--to", TO]),
    )
}

fn reference(file: &Path) -> BTreeSet<String> {
    occurrences(
        Command::new(python())
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/reference/ical.py"
            ))
            .arg(file)
            .args([FROM, TO]),
    )
}

/// What one side has and the other lacks.
fn differences(ours: &BTreeSet<String>, reference: &BTreeSet<String>) -> Vec<String> {
    let only_ours = ours
        .difference(reference)
        .map(|o| format!("only ours:      {o}"));
    let only_ref = reference
        .difference(ours)
        .map(|o| format!("only reference: {o}"));
    only_ours.chain(only_ref).collect()
}

#[test]
fn the_skill_expands_recurrences_like_recurring_ical_events() {
    let (o, r) = (ours(Path::new(FILE)), reference(Path::new(FILE)));
    eprintln!(
        "iCalendar: {} occurrences from the reference, {} ours",
        r.len(),
        o.len()
    );
    assert!(r.len() > 300, "{}", r.len());
    let diff = differences(&o, &r);
    assert!(diff.is_empty(), "{}", diff.join("\n"));
}

#[test]
fn a_planted_error_in_the_calendar_makes_the_differential_test_fail() {
    // The planted error: the reference reads the calendar without one of
    // its EXDATEs, the skill with it.
    let text = std::fs::read_to_string(FILE).unwrap();
    let planted = text.replace("EXDATE;VALUE=DATE:20261226\n", "");
    assert_ne!(planted, text);
    let path = std::env::temp_dir().join(format!("planted-{}.ics", std::process::id()));
    std::fs::write(&path, planted).unwrap();
    let diff = differences(&ours(Path::new(FILE)), &reference(&path));
    std::fs::remove_file(&path).unwrap();
    assert_eq!(
        diff,
        vec!["only reference: weekly-exceptions 2026-12-26T08:00+01:00 2026-12-26T13:00+01:00"]
    );
}
