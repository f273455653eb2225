#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]
//! End to end, as the Lambda handler sees a request: envelope bytes in
//! (`serde_json` parse), the skill, response bytes out (`serde_json`
//! write), for every intent, on the default corpus and on 10,000 synthetic
//! FAQ entries. Criterion times each; afterwards p50/p99 per intent over
//! 2,000 single requests are printed (`RESULT` lines for
//! benches/results.sh), with the ratio to a baseline measured in the same
//! process: the same envelope only parsed and a fixed response written,
//! the cost of JSON alone.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use city_skill::knowledge::{synthetic, Knowledge};
use city_skill::skill::{Skill, SkillConfig};
use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::Value;

/// The intents, each as a fixture from tests/fixtures (some re-worded).
const INTENTS: &[(&str, &str)] = &[
    ("launch", "launch"),
    ("office hours", "office_hours"),
    ("office address", "office_address"),
    ("office phone", "office_phone"),
    ("question", "question"),
    ("question, unknown", "question_unknown"),
    ("events", "events"),
    ("yes", "yes"),
    ("help", "help"),
    ("fallback", "fallback"),
    ("can fulfill", "can_fulfill"),
    ("stop", "stop"),
    ("session ended", "session_ended"),
];

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("JSON")
}

/// Wednesday 25 November 2026, 10:00 in Munich, as the fixtures say.
fn now() -> DateTime<Utc> {
    "2026-11-25T09:00:00Z".parse().expect("time")
}

/// The request bytes for each intent; on a synthetic corpus the question
/// is worded like its entries (every fourth word dropped), the index's
/// worst case.
fn requests(k: &Knowledge, synthetic: bool) -> Vec<(&'static str, Vec<u8>)> {
    INTENTS
        .iter()
        .map(|(name, file)| {
            let mut v = fixture(file);
            if synthetic && *file == "question" {
                let q = k.faq()[k.faq().len() / 2]
                    .de
                    .as_ref()
                    .and_then(|t| t.questions.first())
                    .cloned()
                    .unwrap_or_default();
                let q: Vec<&str> = q
                    .split_whitespace()
                    .enumerate()
                    .filter(|(i, _)| i % 4 != 3)
                    .map(|(_, w)| w)
                    .collect();
                v["request"]["intent"]["slots"]["query"]["value"] = q.join(" ").into();
            }
            (*name, serde_json::to_vec(&v).expect("bytes"))
        })
        .collect()
}

/// One request end to end.
fn handle(skill: &Skill, bytes: &[u8]) -> Vec<u8> {
    let v: Value = serde_json::from_slice(bytes).expect("request JSON");
    let r = skill.handle_json(&v, now()).expect("answered");
    serde_json::to_vec(&r).expect("response JSON")
}

/// The baseline: the same envelope parsed, a fixed small response written.
fn json_only(bytes: &[u8]) -> Vec<u8> {
    let v: Value = serde_json::from_slice(bytes).expect("request JSON");
    black_box(&v);
    serde_json::to_vec(&serde_json::json!({
        "version": "1.0",
        "response": { "outputSpeech": { "type": "SSML", "ssml": "<speak>ok</speak>" } }
    }))
    .expect("response JSON")
}

fn quantiles(mut d: Vec<Duration>) -> (Duration, Duration) {
    d.sort_unstable();
    let at = |q: f64| d[((d.len() as f64 - 1.0) * q).round() as usize];
    (at(0.5), at(0.99))
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn report(corpus: &str, key: &str, skill: &Skill, reqs: &[(&str, Vec<u8>)]) {
    println!(
        "{corpus}: p50 / p99 over 2,000 requests each, µs; × = p50 over the JSON-only baseline"
    );
    let mut worst = Duration::ZERO;
    for (name, bytes) in reqs {
        let (mut ours, mut base) = (Vec::new(), Vec::new());
        for _ in 0..2_000 {
            let t = Instant::now();
            black_box(handle(skill, bytes));
            ours.push(t.elapsed());
            let t = Instant::now();
            black_box(json_only(bytes));
            base.push(t.elapsed());
        }
        let ((o50, o99), (b50, _)) = (quantiles(ours), quantiles(base));
        worst = worst.max(o99);
        println!(
            "  {name:<20} {:>8.1} {:>8.1}   {:>6.1}×",
            us(o50),
            us(o99),
            us(o50) / us(b50).max(0.001)
        );
        let slug = name.replace([' ', ','], "_").replace("__", "_");
        println!(
            "RESULT e2e_{key}_{slug}_p50_us={:.1} e2e_{key}_{slug}_p99_us={:.1}",
            us(o50),
            us(o99)
        );
    }
    println!("RESULT e2e_{key}_worst_p99_us={:.1}", us(worst));
}

fn benches(c: &mut Criterion) {
    let default = Skill::new(
        Knowledge::embedded().expect("corpus"),
        SkillConfig::default(),
    );
    default.knowledge().prepare();
    let big = Skill::new(
        Knowledge::from_faq(synthetic::faq(10_000, 42)),
        SkillConfig::default(),
    );
    big.knowledge().prepare();
    let default_reqs = requests(default.knowledge(), false);
    let big_reqs = requests(big.knowledge(), true);
    for (corpus, skill, reqs) in [
        ("default", &default, &default_reqs),
        ("10k", &big, &big_reqs),
    ] {
        let mut g = c.benchmark_group(format!("e2e/{corpus}"));
        for (name, bytes) in reqs {
            g.bench_function(*name, |b| b.iter(|| handle(skill, black_box(bytes))));
        }
        g.finish();
    }
    c.bench_function("e2e/baseline: JSON only", |b| {
        b.iter(|| json_only(black_box(&default_reqs[1].1)))
    });
    report("default corpus", "default", &default, &default_reqs);
    report("10,000 entries", "10k", &big, &big_reqs);
}

criterion_group!(e2e, benches);
criterion_main!(e2e);
