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

/// Resident and peak resident memory of this process, in KiB (Linux).
fn memory_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Questions worded like the synthetic corpus, every fourth word dropped:
/// they share words with thousands of entries, the index's worst case.
fn corpus_like_queries(k: &Knowledge) -> Vec<String> {
    k.faq()
        .iter()
        .step_by(250)
        .filter_map(|e| e.de.as_ref()?.questions.first().cloned())
        .map(|q| {
            q.split_whitespace()
                .enumerate()
                .filter(|(i, _)| i % 4 != 3)
                .map(|(_, w)| w)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn report(name: &str, k: &Knowledge, queries: &[&str]) {
    let mut ours = Vec::new();
    let mut base = Vec::new();
    for _ in 0..30 {
        for q in queries {
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
    default.prepare();
    let (rss_before, _) = memory_kib();
    let big = Knowledge::from_faq(synthetic::faq(10_000, 42));
    // Indexes are built on first use; build them before timing queries.
    big.prepare();
    let (rss_after, _) = memory_kib();
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
    // From the texts (the embedded corpus is read compiled).
    let texts = city_skill::knowledge::Sources {
        compiled: None,
        ..city_skill::knowledge::Sources::read_dir(std::path::Path::new("corpus/munich"))
            .expect("corpus/munich")
    };
    g.bench_function("default", |b| {
        b.iter(|| {
            let k = Knowledge::from_sources(texts.clone()).expect("corpus/munich");
            k.prepare();
            black_box(k)
        })
    });
    g.bench_function("default/compiled", |b| {
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
    g.bench_function("10k/corpus only", |b| {
        b.iter(|| black_box(Knowledge::from_faq(faq.clone())))
    });
    g.bench_function("10k/one language", |b| {
        b.iter(|| {
            let k = Knowledge::from_faq(faq.clone());
            black_box(k.rank("reisepass", Lang::De, 1));
            black_box(k)
        })
    });
    g.finish();
    report("default corpus", &default, QUERIES);
    // The hybrid match (the default): the encoder runs for every
    // question the lexical matcher is not sure of.
    let hybrid = Knowledge::embedded()
        .expect("embedded corpus")
        .with_encoder(std::sync::Arc::new(
            city_skill::matching::encoder::LazyEncoder::new(),
        ));
    hybrid.prepare();
    black_box(hybrid.rank("warm up", Lang::De, 4));
    report("default corpus, hybrid (encoder on)", &hybrid, QUERIES);
    report("10,000 entries", &big, QUERIES);
    let like = corpus_like_queries(&big);
    let like: Vec<&str> = like.iter().map(String::as_str).collect();
    report("10,000 entries, corpus-like questions", &big, &like);
    let (_, peak) = memory_kib();
    println!(
        "memory: 10,000 entries with both languages' indexes add {:.1} MB resident; \
         peak resident size of this whole benchmark process {:.1} MB",
        rss_after.saturating_sub(rss_before) as f64 / 1024.0,
        peak as f64 / 1024.0
    );
}

criterion_group!(matching, benches);
criterion_main!(matching);
