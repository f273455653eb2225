//! `city-skill compile` and compiled corpora, through the real binary.

use std::path::{Path, PathBuf};

use crate::helpers::run_bin;

fn fixture_path(p: &str) -> String {
    format!("{}/tests/fixtures/{p}", env!("CARGO_MANIFEST_DIR"))
}

/// A fresh directory of this test's own.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("city-skill-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// stdout, stderr and exit code of the binary.
fn run(args: &[&str]) -> (String, String, i32) {
    let out = run_bin(args, None);
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn compile(corpus: &str, output: &Path) {
    let out = output.to_str().unwrap();
    let (stdout, stderr, code) = run(&["compile", "--corpus", corpus, "--output", out]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.starts_with(&format!("wrote {out}")), "{stdout}");
}

fn match_json(corpus: &str, questions: &str) -> String {
    let out = run_bin(&["match", "--corpus", corpus, "--json"], Some(questions));
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_compiled_spreadsheet_answers_like_the_spreadsheet() {
    let csv = fixture_path("faq-spreadsheet.csv");
    let compiled = scratch("compile-csv").join("faq.cskc");
    compile(&csv, &compiled);
    let questions = "reise pass\nWie beantrage ich einen Reisepass?\nwie wird das wetter morgen\n";
    let from_csv = match_json(&csv, questions);
    assert_eq!(from_csv, match_json(compiled.to_str().unwrap(), questions));
    assert!(from_csv.contains("\"id\":\"reisepass\""), "{from_csv}");
}

#[test]
fn check_accepts_a_compiled_corpus() {
    let compiled = scratch("compile-check").join("faq.cskc");
    compile(&fixture_path("faq-spreadsheet.csv"), &compiled);
    let (out, _, code) = run(&["check", "--corpus", compiled.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("2 FAQ entries"), "{out}");
}

#[test]
fn compiling_a_broken_corpus_lists_its_problems_and_writes_nothing() {
    let out_file = scratch("compile-broken").join("broken.cskc");
    let broken = fixture_path("corpora/broken");
    let (stdout, stderr, code) = run(&[
        "compile",
        "--corpus",
        &broken,
        "--output",
        out_file.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.contains("offices.toml:"), "{stdout}");
    assert!(stderr.contains("nothing written"), "{stderr}");
    assert!(!out_file.exists());
}

#[test]
fn a_damaged_compiled_corpus_is_a_clear_error() {
    let compiled = scratch("compile-damaged").join("faq.cskc");
    compile(&fixture_path("faq-spreadsheet.csv"), &compiled);
    let bytes = std::fs::read(&compiled).unwrap();
    std::fs::write(&compiled, &bytes[..bytes.len() / 2]).unwrap();
    let (_, stderr, code) = run(&["ask", "--corpus", compiled.to_str().unwrap(), "Reisepass"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("faq.cskc"), "{stderr}");
    assert!(stderr.contains("compile it again"), "{stderr}");
}

#[test]
fn a_compilation_in_the_corpus_directory_is_used_only_while_it_matches_the_texts() {
    let dir = scratch("compile-dir");
    let munich = format!("{}/corpus/munich", env!("CARGO_MANIFEST_DIR"));
    for f in ["city.toml", "offices.toml", "faq.toml", "events.toml"] {
        std::fs::copy(Path::new(&munich).join(f), dir.join(f)).unwrap();
    }
    let corpus = dir.to_str().unwrap();
    let (out, _, code) = run(&["compile", "--corpus", corpus]);
    assert_eq!(code, 0, "{out}");
    assert!(dir.join("compiled.cskc").exists(), "{out}");
    // With warnings on stderr, to see whether the compilation was used.
    let ask = || {
        let out = std::process::Command::new(crate::helpers::bin())
            .args([
                "ask",
                "--corpus",
                corpus,
                "Wie beantrage ich einen Reisepass?",
            ])
            .env_remove("AWS_LAMBDA_RUNTIME_API")
            .env("RUST_LOG", "warn")
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (fresh, log) = ask();
    assert!(fresh.contains("Reisepass"), "{fresh}");
    assert!(!log.contains("older than its texts"), "{log}");
    let faq = dir.join("faq.toml");
    let text = std::fs::read_to_string(&faq).unwrap();
    std::fs::write(&faq, format!("{text}\n# edited after compiling\n")).unwrap();
    let (edited, log) = ask();
    assert!(log.contains("older than its texts"), "{log}");
    assert_eq!(edited, fresh);
}
