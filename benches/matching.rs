#![allow(clippy::expect_used, missing_docs)]
//! Matcher benchmarks: match latency on the default corpus and on 10,000
//! synthetic entries, index build time, and — as a baseline in the same
//! process — a plain strsim scan over every phrasing, the method our index
//! replaces. After criterion's runs, p50/p99 per query are printed as
//! absolute figures and as ratios to the baseline.

use std::hint::black_box;
use std::time::{Duration, Instant};

use city_skill::knowledge::{synthetic, Knowledge};
use city_skill::lang::Lang;
use criterion::{criterion_group, criterion_main, Criterion};

const QUERIES: &[&str] = &[
    "wie beantrage ich einen reisepass",
    "mein perso ist weg",
    "wohnsitz ummelden nach umzug",
    "sperr müll abholen lassen",
    "führerschein umtauschen",
    "hund anmelden steuer",
    "wo kann ich heiraten",
    "knöllchen bezahlen",
    "auto abmelden",
    "netflix abo kündigen",
];

fn baseline_scan(k: &Knowledge, q: &str) -> Option<usize> {
    let mut best = (0.0, None);
    for (i, e) in k.faq().iter().enumerate() {
        for p in e.de.iter().flat_map(|t| t.questions.iter()) {
            let s = strsim::normalized_levenshtein(q, &p.to_lowercase());
            if s > best.0 {
                best = (s, Some(i));
            }
        }
    }
    best.1
}

fn percentiles(mut d: Vec<Duration>) -> (Duration, Duration) {
    d.sort();
    let at = |p: f64| d[((d.len() as f64 - 1.0) * p).round() as usize];
    (at(0.5), at(0.99))
}

fn report(name: &str, k: &Knowledge) {
    let mut ours = Vec::new();
    let mut base = Vec::new();
    for _ in 0..30 {
        for q in QUERIES {
            let t = Instant::now();
            black_box(k.rank(q, Lang::De, 4));
            ours.push(t.elapsed());
            let t = Instant::now();
            black_box(baseline_scan(k, q));
            base.push(t.elapsed());
        }
    }
    let (o50, o99) = percentiles(ours);
    let (b50, b99) = percentiles(base);
    println!(
        "{name}: ours p50 {o50:?} p99 {o99:?} | strsim scan p50 {b50:?} p99 {b99:?} | ratio p50 {:.1}x p99 {:.1}x faster",
        b50.as_secs_f64() / o50.as_secs_f64().max(1e-9),
        b99.as_secs_f64() / o99.as_secs_f64().max(1e-9)
    );
}

fn benches(c: &mut Criterion) {
    let default = Knowledge::embedded().expect("embedded corpus");
    let big = Knowledge::from_faq(synthetic::faq(10_000, 42));
    // Indexes are built on first use; build them before timing queries.
    default.prepare();
    big.prepare();
    c.bench_function("match/default", |b| {
        b.iter(|| {
            for q in QUERIES {
                black_box(default.rank(q, Lang::De, 4));
            }
        })
    });
    c.bench_function("match/10k", |b| {
        b.iter(|| {
            for q in QUERIES {
                black_box(big.rank(q, Lang::De, 4));
            }
        })
    });
    let mut g = c.benchmark_group("build");
    g.sample_size(10);
    g.bench_function("default", |b| {
        b.iter(|| {
            let k = Knowledge::embedded().expect("embedded corpus");
            k.prepare();
            black_box(k)
        })
    });
    let faq = synthetic::faq(10_000, 42);
    g.bench_function("10k", |b| {
        b.iter(|| {
            let k = Knowledge::from_faq(faq.clone());
            k.prepare();
            black_box(k)
        })
    });
    g.finish();
    report("default corpus", &default);
    report("10,000 entries", &big);
}

criterion_group!(matching, benches);
criterion_main!(matching);
