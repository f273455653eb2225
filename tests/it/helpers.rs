//! Shared test helpers: the skill, fixtures, and checks every response must pass.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use chrono::{DateTime, Utc};
use city_skill::alexa::response::{MAX_CARD_CHARS, MAX_RESPONSE_BYTES, MAX_SPEECH_CHARS};
use city_skill::alexa::{OutputSpeech, ResponseEnvelope};
use city_skill::knowledge::Knowledge;
use city_skill::skill::{Skill, SkillConfig};
use serde_json::Value;

/// The real binary built by cargo for these tests.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_city-skill"))
}

/// Runs the binary with `args` and `stdin`, without Lambda variables.
pub fn run_bin(args: &[&str], stdin: Option<&str>) -> Output {
    use std::io::Write as _;
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .env_remove("AWS_LAMBDA_RUNTIME_API")
        .env_remove("SKILL_ID")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("binary starts");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("binary finishes")
}

/// The first line (the spoken answer) of `ask` at request time `time`.
pub fn ask_line(locale: &str, question: &str, time: &str) -> String {
    ask_line_in(None, locale, question, time)
}

/// The sample calendar (weekly markets, concerts, …) that the default
/// corpus shipped before it had real events: a corpus of its own now.
pub fn sample_calendar() -> String {
    format!(
        "{}/tests/fixtures/corpora/sample-events",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// [`ask_line`] on the corpus at `corpus` (the embedded one for `None`).
pub fn ask_line_in(corpus: Option<&str>, locale: &str, question: &str, time: &str) -> String {
    let mut args = vec!["ask", "--locale", locale, "--time", time, question];
    if let Some(c) = corpus {
        args.extend(["--corpus", c]);
    }
    let out = run_bin(&args, None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8 output");
    text.lines().next().unwrap_or_default().to_string()
}

/// The skill on the embedded corpus, no skill-ID check.
pub fn skill() -> Skill {
    Skill::new(
        Knowledge::embedded().expect("embedded corpus loads"),
        SkillConfig::default(),
    )
}

/// The skill on the sample calendar ([`sample_calendar`]).
pub fn sample_calendar_skill() -> Skill {
    let sources =
        city_skill::knowledge::Sources::from_path(std::path::Path::new(&sample_calendar()))
            .expect("sample calendar reads");
    Skill::new(
        Knowledge::from_sources(sources).expect("sample calendar loads"),
        SkillConfig::default(),
    )
}

/// One skill on the embedded corpus for the whole test run, for tests that
/// ask it thousands of times (property tests).
pub fn shared_skill() -> &'static Skill {
    static SKILL: std::sync::OnceLock<Skill> = std::sync::OnceLock::new();
    SKILL.get_or_init(skill)
}

/// A fixture from `tests/fixtures/`.
pub fn fixture(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A fixture with its locale replaced (when the request has one).
pub fn with_locale(mut v: Value, locale: &str) -> Value {
    if v["request"].get("locale").is_some() {
        v["request"]["locale"] = Value::String(locale.into());
    }
    v
}

/// A fixed instant: Wednesday 25 November 2026, 10:00 in Munich.
pub fn wednesday_morning() -> DateTime<Utc> {
    "2026-11-25T09:00:00Z".parse().expect("valid time")
}

/// The spoken text of a response, tags removed.
pub fn speech(r: &ResponseEnvelope) -> String {
    match &r.response.output_speech {
        Some(OutputSpeech::Ssml { ssml }) => city_skill::alexa::ssml::strip_tags(ssml),
        Some(OutputSpeech::PlainText { text }) => text.clone(),
        None => String::new(),
    }
}

/// Checks that SSML is well-formed XML with a `<speak>` root.
pub fn assert_well_formed_ssml(ssml: &str) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(ssml);
    let mut depth = 0i32;
    let mut roots = 0;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                if depth == 0 {
                    roots += 1;
                    assert_eq!(e.name().as_ref(), "speak", "root is not <speak>: {ssml}");
                }
                depth += 1;
            }
            Ok(Event::End(_)) => depth -= 1,
            Ok(Event::Text(t)) => {
                assert!(depth > 0 || t.is_empty(), "text outside <speak>: {ssml}");
                let _ = t.into_inner();
            }
            Ok(Event::GeneralRef(r)) => {
                let name = r.into_inner();
                assert!(
                    ["amp", "lt", "gt", "quot", "apos"].contains(&name.as_ref()),
                    "unknown entity &{name}; in {ssml}"
                );
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("malformed SSML ({e}): {ssml}"),
        }
    }
    assert_eq!(depth, 0, "unclosed tags: {ssml}");
    assert_eq!(roots, 1, "not exactly one root: {ssml}");
}

/// Every rule a response must keep: well-formed SSML, limits, and an open
/// session only with a reprompt.
pub fn assert_valid_response(r: &ResponseEnvelope) {
    assert_eq!(r.version, "1.0");
    let json = serde_json::to_vec(r).expect("serializes");
    assert!(
        json.len() <= MAX_RESPONSE_BYTES,
        "response is {} bytes",
        json.len()
    );
    let mut speeches = Vec::new();
    speeches.extend(r.response.output_speech.iter());
    speeches.extend(r.response.reprompt.iter().map(|p| &p.output_speech));
    for s in speeches {
        assert!(s.char_len() <= MAX_SPEECH_CHARS);
        if let OutputSpeech::Ssml { ssml } = s {
            assert_well_formed_ssml(ssml);
        }
    }
    if let Some(card) = &r.response.card {
        assert!(card.title().chars().count() + card.body().chars().count() <= MAX_CARD_CHARS);
    }
    if r.response.should_end_session == Some(false) {
        assert!(
            r.response.reprompt.is_some(),
            "open session without reprompt: {r:?}"
        );
        assert!(
            r.response.output_speech.is_some(),
            "open session without speech: {r:?}"
        );
    }
}

/// Installs the reference implementations of the differential tests
/// (`tests/reference/install.sh`: pinned npm and PyPI packages under
/// target/reference/) once per test run, so that a plain `cargo test` on a
/// fresh machine needs nothing installed by hand.
pub fn install_references() {
    static DONE: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    install_once(
        &DONE,
        "tests/reference/install.sh",
        "node with npm and python3 with venv",
    );
}

/// The pinned `wyoming` client package (`tests/wyoming/install.sh`, a venv
/// under target/wyoming/) once per test run, for tests/it/wyoming.rs.
pub fn install_wyoming_client() {
    static DONE: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    install_once(&DONE, "tests/wyoming/install.sh", "python3 with venv");
}

/// Runs the install `script` (relative to the crate) the first time
/// `done` is asked; fails the test with its stderr and `needs` if it fails.
fn install_once(done: &std::sync::OnceLock<()>, script: &str, needs: &str) {
    done.get_or_init(|| {
        let script = format!("{}/{script}", env!("CARGO_MANIFEST_DIR"));
        let out = std::process::Command::new("bash")
            .arg(&script)
            .output()
            .expect("bash runs");
        assert!(
            out.status.success(),
            "{script} failed (needs {needs}):\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    });
}
