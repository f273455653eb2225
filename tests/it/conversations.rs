//! Every conversation of `tests/conversations/*.yaml`, through the same
//! runner as `city-skill test`, on the embedded corpus.

use city_skill::local::conversation;
use city_skill::local::simulator::Simulator;

use crate::helpers::{run_bin, skill};

fn files() -> Vec<std::path::PathBuf> {
    files_in(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/conversations"))
}

fn files_in(dir: &str) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    files
}

/// Runs every conversation of `files` on `skill`; returns how many ran and
/// what failed.
fn run_all(skill: &city_skill::skill::Skill, files: &[std::path::PathBuf]) -> (usize, Vec<String>) {
    let sim = Simulator::embedded().unwrap();
    let (mut count, mut failures) = (0, Vec::new());
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(path).unwrap();
        let conversations = conversation::parse(&name, &text).unwrap_or_else(|e| panic!("{e}"));
        for c in &conversations {
            count += 1;
            for p in conversation::run(skill, &sim, c) {
                failures.push(format!("{name}: {}: {p}", c.name));
            }
        }
    }
    (count, failures)
}

#[test]
fn every_conversation_goes_as_written() {
    let (count, failures) = run_all(&skill(), &files());
    assert!(count >= 40, "only {count} conversations");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Without the model file (or with `CITY_SKILL_ENCODER=0`) the lexical
/// matcher decides alone, and every conversation still goes as written.
#[test]
fn every_conversation_goes_as_written_with_the_lexical_matcher_alone() {
    use city_skill::knowledge::Knowledge;
    use city_skill::matching::encoder::LazyEncoder;
    let lexical = Knowledge::embedded()
        .unwrap()
        .with_encoder(std::sync::Arc::new(LazyEncoder::disabled()));
    let skill = city_skill::skill::Skill::new(lexical, city_skill::skill::SkillConfig::default());
    let (count, failures) = run_all(&skill, &files());
    assert!(count >= 40, "only {count} conversations");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_sample_calendar_conversations_go_as_written_on_the_sample_calendar() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/conversations/sample-calendar"
    );
    let (count, failures) = run_all(&crate::helpers::sample_calendar_skill(), &files_in(dir));
    assert!(count >= 15, "only {count} conversations");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_test_command_reports_the_failing_turn_and_exits_1() {
    let dir = std::env::temp_dir().join(format!("city-skill-conv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("wrong.yaml");
    std::fs::write(
        &file,
        "locale: de-DE\ntime: \"2026-11-25T09:00:00+01:00\"\nconversations:\n  - name: falsche Erwartung\n    turns:\n      - say: Wann hat das Bürgerbüro Pasing offen?\n        expect: {speech: geschlossen}\n",
    )
    .unwrap();
    let out = run_bin(&["test", file.to_str().unwrap()], None);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("✗") && text.contains("falsche Erwartung"),
        "{text}"
    );
    assert!(
        text.contains(
            "turn 1 (Wann hat das Bürgerbüro Pasing offen?): the answer lacks \"geschlossen\""
        ),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_test_command_passes_the_committed_conversations() {
    let files: Vec<String> = files()
        .iter()
        .map(|p| p.to_string_lossy().to_string())
        .collect();
    let mut args = vec!["test"];
    args.extend(files.iter().map(String::as_str));
    let out = run_bin(&args, None);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.trim_end().ends_with("0 failed"), "{text}");
}

fn corpus_skill(name: &str) -> city_skill::skill::Skill {
    let dir = format!(
        "{}/tests/fixtures/corpora/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let sources = city_skill::knowledge::Sources::from_path(std::path::Path::new(&dir)).unwrap();
    let k =
        city_skill::knowledge::Knowledge::from_sources(sources).unwrap_or_else(|e| panic!("{e}"));
    city_skill::skill::Skill::new(k, city_skill::skill::SkillConfig::default())
}

#[test]
fn the_five_kinds_of_hours_once_answered_wrong_are_answered_right_in_german_and_english() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/conversations/hours-kinds"
    );
    let (count, failures) = run_all(&corpus_skill("hours-kinds"), &files_in(dir));
    assert!(count >= 14, "only {count} conversations");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn hours_with_school_holidays_are_refused_and_the_office_is_answered_without_them() {
    let dir = format!(
        "{}/tests/fixtures/corpora/hours-school",
        env!("CARGO_MANIFEST_DIR")
    );
    let sources = city_skill::knowledge::Sources::from_path(std::path::Path::new(&dir)).unwrap();
    let (k, problems) = city_skill::knowledge::Knowledge::check(sources);
    let said: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(
        said.iter()
            .any(|p| p.contains("offices.toml:1") && p.contains("school holidays (SH)")),
        "{said:?}"
    );
    // What the skill would say if it answered anyway: no hours, the phone.
    let skill =
        city_skill::skill::Skill::new(k.unwrap(), city_skill::skill::SkillConfig::default());
    let text = "locale: de-DE\ntime: \"2026-08-04T10:00:00+02:00\"\nconversations:\n  - name: SH\n    turns:\n      - intent: OfficeHoursIntent\n        slots: {office: Schulamt}\n        expect: {speech: [habe ich leider nicht sicher], not_speech: [geöffnet]}\n  - name: SH, English\n    locale: en-US\n    turns:\n      - intent: OfficeHoursIntent\n        slots: {office: Schulamt}\n        expect: {speech: [\"don't have confirmed opening hours\"], not_speech: [is open]}\n";
    let sim = Simulator::embedded().unwrap();
    for c in conversation::parse("sh.yaml", text).unwrap() {
        assert_eq!(conversation::run(&skill, &sim, &c), Vec::<String>::new());
    }
}
