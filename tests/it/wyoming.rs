//! `city-skill wyoming` against the real Wyoming client: the `wyoming`
//! package from PyPI (pinned, in a venv that tests/wyoming/install.sh
//! makes under target/), driven by tests/wyoming/client.py as Home
//! Assistant's conversation agent drives it, one connection per transcript.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::thread::JoinHandle;

use serde_json::Value;

/// The real binary serving Wyoming on an ephemeral port of 127.0.0.1.
struct Wyoming {
    child: Child,
    port: String,
    logs: Option<JoinHandle<String>>,
}

impl Wyoming {
    fn start() -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_city-skill"))
            .args(["wyoming", "--port", "0"])
            .env_remove("AWS_LAMBDA_RUNTIME_API")
            .env_remove("RUST_LOG")
            .env_remove("SKILL_ID")
            .env_remove("CITY_SKILL_CORPUS")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut seen = String::new();
        let port = loop {
            let line = lines.next().expect("wyoming logs its address").unwrap();
            seen.push_str(&line);
            seen.push('\n');
            if let Some(rest) = line.split("\"bound\":\"127.0.0.1:").nth(1) {
                break rest.split('"').next().unwrap().to_string();
            }
        };
        let logs = std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                seen.push_str(&line);
                seen.push('\n');
            }
            seen
        });
        Self {
            child,
            port,
            logs: Some(logs),
        }
    }

    /// Runs the client in `mode` with `args`, `stdin` fed to it; its JSON lines.
    fn client(&self, mode: &str, args: &[&str], stdin: &str) -> Vec<Value> {
        crate::helpers::install_wyoming_client();
        let python = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/target/wyoming/venv/bin/python"
        );
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/wyoming/client.py");
        let mut child = Command::new(python)
            .args([script, mode, "127.0.0.1", &self.port])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "client {mode} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// One conversation: each turn `(text, language, follow)`.
    fn ask(&self, turns: &[(&str, &str, bool)]) -> Vec<Value> {
        let lines: Vec<String> = turns
            .iter()
            .map(|(text, language, follow)| {
                serde_json::json!({"text": text, "language": language, "follow": follow})
                    .to_string()
            })
            .collect();
        self.client("ask", &[], &lines.join("\n"))
    }

    /// SIGTERM; the exit status and everything logged on stdout.
    fn stop(mut self) -> (std::process::ExitStatus, String) {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        let status = self.child.wait().unwrap();
        (status, self.logs.take().unwrap().join().unwrap())
    }
}

impl Drop for Wyoming {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

fn text(reply: &Value) -> &str {
    reply["text"].as_str().unwrap_or_default()
}

fn assert_says(reply: &Value, needle: &str) {
    assert!(text(reply).contains(needle), "{needle:?} not in {reply}");
}

fn assert_plain(reply: &Value) {
    let t = text(reply);
    assert!(!t.is_empty(), "no text: {reply}");
    for markup in ["<", ">", "&amp;", "speak"] {
        assert!(!t.contains(markup), "markup {markup:?} in {t:?}");
    }
}

#[test]
fn describe_names_an_installed_handle_program_for_german_and_english() {
    let w = Wyoming::start();
    let info = &w.client("describe", &[], "")[0];
    assert_eq!(info["type"], "info");
    let program = &info["handle"][0];
    assert_eq!(program["name"], "city-skill");
    assert_eq!(program["installed"], true);
    assert_eq!(program["version"], env!("CARGO_PKG_VERSION"));
    assert!(program["description"].as_str().unwrap().contains("München"));
    let model = &program["models"][0];
    assert_eq!(model["installed"], true);
    assert_eq!(model["languages"], serde_json::json!(["de", "en"]));
}

#[test]
fn german_and_english_questions_are_answered_in_plain_text() {
    let w = Wyoming::start();
    let replies = w.ask(&[
        ("Wo ist das Fundbüro?", "de", false),
        ("Wo ist das Fundbüro?", "de-DE", false),
        ("where is the lost property office", "en", false),
        ("where is the lost property office", "en-US", false),
        (
            "what is the phone number of the Bürgerbüro Pasing",
            "en-GB",
            false,
        ),
    ]);
    for r in &replies {
        assert_eq!(r["type"], "handled", "{r}");
        assert_plain(r);
    }
    assert!(text(&replies[0]).starts_with("Die Adresse vom Fundbüro ist Implerstraße 11"));
    assert_eq!(text(&replies[0]), text(&replies[1]));
    assert!(
        text(&replies[2]).starts_with("The address of the Lost Property Office is Implerstraße 11")
    );
    assert_says(&replies[4], "089 233-96000");
}

#[test]
fn a_follow_up_through_the_returned_context_is_about_the_same_office() {
    let w = Wyoming::start();
    let replies = w.ask(&[
        ("Wann hat das Bürgerbüro Pasing offen?", "de", false),
        ("Und wo ist das?", "de", true),
        ("Und die Telefonnummer?", "de", true),
    ]);
    assert_says(&replies[0], "Bürgerbüro Pasing");
    assert_eq!(
        replies[0]["context"]["city_skill"]["session"]["office"],
        "buergerbuero-pasing"
    );
    assert_says(&replies[1], "Landsberger Straße");
    assert_says(&replies[2], "089 233-96000");
}

#[test]
fn a_follow_up_without_the_context_is_not_about_the_office() {
    let w = Wyoming::start();
    let replies = w.ask(&[
        ("Wann hat das Bürgerbüro Pasing offen?", "de", false),
        ("Und wo ist das?", "de", false),
    ]);
    assert!(
        !text(&replies[1]).contains("Landsberger Straße"),
        "{}",
        replies[1]
    );
}

#[test]
fn home_assistants_conversation_id_carries_the_session_when_the_context_is_not_sent_back() {
    let w = Wyoming::start();
    let turn = |t: &str| {
        serde_json::json!({"text": t, "language": "de",
            "context": {"conversation_id": "01JFAKEULID0000000000000000", "device_id": "d1"}})
        .to_string()
    };
    let stdin = [
        turn("Wann hat das Bürgerbüro Pasing offen?"),
        turn("Und wo ist das?"),
    ]
    .join("\n");
    let replies = w.client("ask", &[], &stdin);
    assert_says(&replies[1], "Landsberger Straße");
    let context = replies[1]["context"].to_string();
    assert!(
        !context.contains("d1"),
        "the device id came back: {context}"
    );
}

#[test]
fn a_question_the_skill_cannot_answer_is_not_handled_and_names_the_hotline() {
    let w = Wyoming::start();
    let replies = w.ask(&[
        ("Wie wird das Wetter morgen?", "de", false),
        ("blub", "de", false),
        ("", "en", false),
    ]);
    for r in &replies {
        assert_eq!(r["type"], "not-handled", "{r}");
        assert!(text(r).contains("115"), "{r}");
        assert_plain(r);
    }
    assert!(text(&replies[2]).contains("Public Administration Number 115"));
}

#[test]
fn hostile_clients_are_closed_and_the_next_client_is_answered() {
    let w = Wyoming::start();
    for (kind, code) in [
        ("huge-header", "too-large"),
        ("big-data", "too-large"),
        ("garbage", "invalid-event"),
        ("no-text", "invalid-event"),
        ("unknown", "unknown-event"),
    ] {
        let r = &w.client("hostile", &[kind], "")[0];
        assert_eq!(r["type"], "error", "{kind}: {r}");
        assert_eq!(r["code"], code, "{kind}: {r}");
        assert_eq!(r["closed"], true, "{kind}: {r}");
        let next = &w.ask(&[("Wo ist das Fundbüro?", "de", false)])[0];
        assert_eq!(next["type"], "handled", "after {kind}: {next}");
        assert!(text(next).contains("Implerstraße"));
    }
}

#[test]
fn sixty_four_concurrent_clients_get_answers_without_errors() {
    let w = Wyoming::start();
    let r = &w.client("concurrent", &["64"], "")[0];
    assert_eq!(r["clients"], 64);
    assert_eq!(r["errors"], 0, "{r}");
}

#[test]
fn sigterm_stops_the_service_cleanly_and_nothing_said_is_logged() {
    let w = Wyoming::start();
    w.ask(&[(
        "Wann hat das Bürgerbüro Pasing offen? Ich heiße Erika Mustermann",
        "de",
        false,
    )]);
    let (status, logs) = w.stop();
    assert!(status.success(), "exit {status:?}\n{logs}");
    assert!(logs.contains("shutting down"), "{logs}");
    assert!(logs.contains("\"handled\""), "{logs}");
    for private in ["Mustermann", "Pasing offen"] {
        assert!(!logs.contains(private), "{private} logged:\n{logs}");
    }
}

#[test]
fn a_raw_client_reads_the_same_framing_as_the_python_package() {
    // The header line, then exactly data_length bytes of JSON.
    let w = Wyoming::start();
    let mut s = std::net::TcpStream::connect(format!("127.0.0.1:{}", w.port)).unwrap();
    s.write_all(b"{\"type\":\"describe\"}\n").unwrap();
    let mut r = BufReader::new(s);
    let mut header = String::new();
    r.read_line(&mut header).unwrap();
    let header: Value = serde_json::from_str(&header).unwrap();
    assert_eq!(header["type"], "info");
    let mut data = vec![0; header["data_length"].as_u64().unwrap() as usize];
    r.read_exact(&mut data).unwrap();
    let data: Value = serde_json::from_slice(&data).unwrap();
    assert_eq!(data["handle"][0]["name"], "city-skill");
}
