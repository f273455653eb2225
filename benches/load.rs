//! Load test of `city-skill serve` on 127.0.0.1: 20,000 Alexa requests
//! over 64 keep-alive connections (`LOAD_REQUESTS`, `LOAD_CONNECTIONS`
//! change that), against the release binary. Three runs in one process:
//! `GET /healthz` (the HTTP stack alone, the baseline), Alexa requests with
//! `--insecure-skip-verify`, and Alexa requests signed and verified as
//! Amazon requires (certificate chain from a CA made here). Prints
//! requests/s, p50/p90/p99/max latency, errors, and each run's ratio to the
//! baseline; exits non-zero on any error.
//!
//! `cargo bench --bench load`

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "../tests/common/load.rs"]
mod load_client;
#[path = "../tests/common/pki.rs"]
mod pki;
#[path = "../tests/common/server.rs"]
mod server;

use std::time::Duration;

use load_client::{alexa_bodies, is_alexa_response, run, Outcome, Req};
use server::Server;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

fn row(name: &str, o: &Outcome, baseline: Option<&Outcome>) {
    let ratio = baseline.map_or("1.00×".to_string(), |b| {
        format!("{:.2}×", b.per_second() / o.per_second())
    });
    println!(
        "{name:<30} {:>8} {:>6} {:>9.0} {:>8} {:>8} {:>8} {:>8} {:>9}",
        o.requests,
        o.errors,
        o.per_second(),
        ms(o.quantile(0.50)),
        ms(o.quantile(0.90)),
        ms(o.quantile(0.99)),
        ms(o.latencies.last().copied().unwrap_or_default()),
        ratio
    );
    for e in &o.first_errors {
        println!("    error: {e}");
    }
}

fn main() {
    // `cargo bench` passes `--bench`; a filter that is not ours skips us.
    if std::env::args()
        .skip(1)
        .any(|a| !a.starts_with('-') && !"load".contains(a.as_str()))
    {
        return;
    }
    let total = env_usize("LOAD_REQUESTS", 20_000);
    let connections = env_usize("LOAD_CONNECTIONS", 64);
    let bodies = alexa_bodies();
    println!(
        "serve on 127.0.0.1: {total} requests per run over {connections} keep-alive connections, \
         {} kinds of Alexa request in turn; {} CPUs",
        bodies.len(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!(
        "{:<30} {:>8} {:>6} {:>9} {:>8} {:>8} {:>8} {:>8} {:>9}",
        "run", "requests", "errors", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "cost"
    );

    let plain = Server::start();
    let health = run(
        &plain.addr,
        &[Req::get("/healthz")],
        total,
        connections,
        |b| b == "ok\n",
    );
    row("GET /healthz (baseline)", &health, None);
    let unsigned: Vec<Req> = bodies
        .iter()
        .map(|b| Req::post(b.clone(), String::new()))
        .collect();
    let skip = run(
        &plain.addr,
        &unsigned,
        total,
        connections,
        is_alexa_response,
    );
    row("Alexa, --insecure-skip-verify", &skip, Some(&health));
    drop(plain);

    let verifying = Server::start_verifying();
    let signed: Vec<Req> = bodies
        .iter()
        .map(|b| Req::post(b.clone(), pki::signed_headers(b.as_bytes())))
        .collect();
    let verified = run(
        &verifying.addr,
        &signed,
        total,
        connections,
        is_alexa_response,
    );
    row("Alexa, signed and verified", &verified, Some(&health));
    drop(verifying);

    println!(
        "cost: requests/s of the baseline divided by the run's (how much slower than HTTP alone)"
    );
    let errors = health.errors + skip.errors + verified.errors;
    if errors > 0 {
        eprintln!("load test: {errors} errors");
        std::process::exit(1);
    }
}
