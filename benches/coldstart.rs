//! Cold start as Lambda measures it, and memory after a thousand requests.
//!
//! A Runtime API on 127.0.0.1 (std only, one thread per connection) hands
//! one invocation to a freshly executed function; the time from just before
//! `exec` to the moment its response has been posted is one cold start.
//! Measured RUNS times (`COLDSTART_RUNS`, at least 30) each for:
//! hello world (benches/hello-lambda, same runtime crate and release
//! profile), city-skill on its embedded corpus, city-skill on a
//! 10,000-entry corpus read from a CSV file, and on the same corpus
//! compiled (`city-skill compile`) into a file, and on its embedded corpus
//! with the encoder off (`CITY_SKILL_ENCODER=0`: the default maps the
//! model only when a question needs it, so their cold starts should be the
//! same; and its memory is the one of no question needing the encoder).
//! Then each city-skill
//! configuration answers 1,000 mixed Alexa requests, and its peak resident
//! memory (`VmHWM`) is read while it waits for the next one.
//!
//! `COLDSTART_FIRST=launch` makes the first request a LaunchRequest instead
//! of a FAQ question (start-up without any corpus look-up).
//!
//! Run by `benches/results.sh`, which builds the binaries first:
//! `cargo bench --bench coldstart -- <hello> <city-skill> <corpus.csv> <corpus.cskc>`.
//! Prints a table and the same figures as `key=value` lines for the script.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[path = "../tests/common/load.rs"]
mod load_client;

const NEXT: &str = "/2018-06-01/runtime/invocation/next";

/// What the Runtime API tells the measuring thread.
enum Seen {
    /// A response (or error) was posted; `true` if it was an error.
    Posted(bool),
    /// The function asked for work after the queue ran out: it is idle.
    Idle,
}

/// A Runtime API serving `queue`, then holding the next `/next` open.
struct RuntimeApi {
    addr: SocketAddr,
    seen: Receiver<Seen>,
}

impl RuntimeApi {
    fn start(queue: Vec<Vec<u8>>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, seen) = channel();
        let queue = Arc::new(Mutex::new(queue.into_iter().collect::<VecDeque<_>>()));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { break };
                let (queue, tx) = (queue.clone(), tx.clone());
                std::thread::spawn(move || connection(stream, &queue, &tx));
            }
        });
        Self { addr, seen }
    }
}

fn connection(stream: TcpStream, queue: &Mutex<VecDeque<Vec<u8>>>, seen: &Sender<Seen>) {
    let _ = stream.set_nodelay(true);
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    let mut n = 0u64;
    loop {
        let Some((method, path, _body)) = read_request(&mut reader) else {
            return;
        };
        if method == "GET" && path == NEXT {
            let Some(payload) = queue.lock().unwrap().pop_front() else {
                let _ = seen.send(Seen::Idle);
                // Hold the request open: the function waits, alive, until killed.
                std::thread::sleep(Duration::from_secs(3600));
                return;
            };
            n += 1;
            let id = format!("00000000-0000-4000-8000-{n:012x}");
            let deadline = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_millis()
                + 7_000;
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                 Lambda-Runtime-Aws-Request-Id: {id}\r\nLambda-Runtime-Deadline-Ms: {deadline}\r\n\
                 Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:eu-central-1:123456789012:function:f\r\n\
                 Lambda-Runtime-Trace-Id: Root=1-00000000-000000000000000000000000\r\n\
                 Content-Length: {}\r\n\r\n",
                payload.len()
            );
            if writer.write_all(head.as_bytes()).is_err() || writer.write_all(&payload).is_err() {
                return;
            }
        } else {
            let accepted =
                "HTTP/1.1 202 Accepted\r\nContent-Length: 16\r\n\r\n{\"status\":\"OK\"}\n";
            if writer.write_all(accepted.as_bytes()).is_err() {
                return;
            }
            if method == "POST" && path.ends_with("/response") {
                let _ = seen.send(Seen::Posted(false));
            } else if method == "POST" && path.ends_with("/error") {
                let _ = seen.send(Seen::Posted(true));
            }
        }
    }
}

/// One HTTP/1.1 request: method, path and body (Content-Length or chunked).
fn read_request(r: &mut BufReader<TcpStream>) -> Option<(String, String, Vec<u8>)> {
    let mut line = String::new();
    if r.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let (method, path) = (parts.next()?.to_string(), parts.next()?.to_string());
    let (mut length, mut chunked) = (0usize, false);
    loop {
        let mut h = String::new();
        if r.read_line(&mut h).ok()? == 0 {
            return None;
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (name, value) = h.split_once(':')?;
        if name.eq_ignore_ascii_case("content-length") {
            length = value.trim().parse().ok()?;
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = value.to_ascii_lowercase().contains("chunked");
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            let mut size = String::new();
            r.read_line(&mut size).ok()?;
            let size = usize::from_str_radix(size.trim().split(';').next()?, 16).ok()?;
            let mut chunk = vec![0; size + 2];
            r.read_exact(&mut chunk).ok()?;
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    } else {
        body.resize(length, 0);
        r.read_exact(&mut body).ok()?;
    }
    Some((method, path, body))
}

/// A function process: the binary and its extra environment.
struct Function<'a> {
    name: &'a str,
    bin: &'a Path,
    env: Vec<(&'a str, String)>,
}

impl Function<'_> {
    fn spawn(&self, api: &RuntimeApi) -> Child {
        Command::new(self.bin)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("AWS_LAMBDA_RUNTIME_API", api.addr.to_string())
            .env("AWS_LAMBDA_FUNCTION_NAME", "coldstart")
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
            .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
            .env("AWS_LAMBDA_LOG_FORMAT", "JSON")
            .env("CITY_SKILL_TIMESTAMP_TOLERANCE_SECS", "1000000000")
            .envs(self.env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{}: {e}", self.bin.display()))
    }

    /// Time from exec to the first response posted.
    fn cold_start(&self, payload: &[u8]) -> Duration {
        let api = RuntimeApi::start(vec![payload.to_vec()]);
        let started = Instant::now();
        let mut child = self.spawn(&api);
        let seen = api.seen.recv_timeout(Duration::from_secs(30));
        let took = started.elapsed();
        let _ = child.kill();
        let _ = child.wait();
        match seen {
            Ok(Seen::Posted(false)) => took,
            Ok(Seen::Posted(true)) => panic!("{}: the first invocation failed", self.name),
            _ => panic!("{}: no response within 30 s", self.name),
        }
    }

    /// Peak resident memory in KiB after answering `requests`.
    fn peak_rss_kib(&self, requests: Vec<Vec<u8>>) -> (u64, usize) {
        let total = requests.len();
        let api = RuntimeApi::start(requests);
        let mut child = self.spawn(&api);
        let mut errors = 0;
        loop {
            match api.seen.recv_timeout(Duration::from_secs(60)) {
                Ok(Seen::Posted(failed)) => errors += usize::from(failed),
                Ok(Seen::Idle) => break,
                Err(_) => panic!("{}: stalled while answering {total} requests", self.name),
            }
        }
        let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap();
        let _ = child.kill();
        let _ = child.wait();
        let hwm = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        (hwm, errors)
    }
}

/// The 1,000 mixed requests: every kind of request a citizen causes, in
/// turn, in all three locales.
fn mixed(n: usize) -> Vec<Vec<u8>> {
    let kinds: Vec<String> = load_client::alexa_bodies()
        .into_iter()
        .chain([
            load_client::alexa_body("question", Some("en-US")),
            load_client::alexa_body("events", Some("en-GB")),
        ])
        .collect();
    (0..n)
        .map(|i| kinds[i % kinds.len()].clone().into_bytes())
        .collect()
}

struct Stats {
    min: Duration,
    median: Duration,
    max: Duration,
}

fn stats(mut d: Vec<Duration>) -> Stats {
    d.sort_unstable();
    Stats {
        min: d[0],
        median: d[d.len() / 2],
        max: d[d.len() - 1],
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let [hello, city, corpus, compiled] = args.as_slice() else {
        eprintln!(
            "usage: cargo bench --bench coldstart -- <hello-lambda> <city-skill> <corpus.csv> <corpus.cskc>\n\
             (benches/results.sh builds them and passes them in)"
        );
        return;
    };
    let runs: usize = std::env::var("COLDSTART_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30)
        .max(30);
    let (hello, city) = (PathBuf::from(hello), PathBuf::from(city));
    let functions = [
        Function {
            name: "hello world",
            bin: &hello,
            env: vec![],
        },
        Function {
            name: "city-skill, default corpus",
            bin: &city,
            env: vec![],
        },
        Function {
            name: "city-skill, default, lexical",
            bin: &city,
            env: vec![("CITY_SKILL_ENCODER", "0".into())],
        },
        Function {
            name: "city-skill, 10,000 from CSV",
            bin: &city,
            env: vec![("CITY_SKILL_CORPUS", corpus.clone())],
        },
        Function {
            name: "city-skill, 10,000 compiled",
            bin: &city,
            env: vec![("CITY_SKILL_CORPUS", compiled.clone())],
        },
    ];
    // The first request: a FAQ question unless COLDSTART_FIRST names another
    // fixture (`launch` shows what start-up costs before any corpus work).
    let first_kind = std::env::var("COLDSTART_FIRST").unwrap_or_else(|_| "question".into());
    let first = load_client::alexa_body(&first_kind, None).into_bytes();
    // Interleaved, so that a noisy moment of the machine hits all alike.
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); functions.len()];
    for f in &functions {
        f.cold_start(&first); // warm the page cache
    }
    for _ in 0..runs {
        for (f, t) in functions.iter().zip(&mut times) {
            t.push(f.cold_start(&first));
        }
    }
    let stats: Vec<Stats> = times.into_iter().map(stats).collect();
    let hello_median = stats[0].median;
    println!(
        "cold start: exec to first response posted, {runs} runs each, first request {first_kind:?} (de-DE)"
    );
    println!(
        "{:<30} {:>8} {:>8} {:>8} {:>12}",
        "function", "min ms", "median", "max ms", "× hello"
    );
    let keys = ["hello", "default", "lexical", "10k", "10k_compiled"];
    for ((f, s), key) in functions.iter().zip(&stats).zip(keys) {
        let ratio = ms(s.median) / ms(hello_median);
        println!(
            "{:<30} {:>8.2} {:>8.2} {:>8.2} {:>11.2}×",
            f.name,
            ms(s.min),
            ms(s.median),
            ms(s.max),
            ratio
        );
        println!(
            "RESULT coldstart_{key}_min_ms={:.2} coldstart_{key}_median_ms={:.2} coldstart_{key}_max_ms={:.2} coldstart_{key}_ratio={ratio:.2}",
            ms(s.min),
            ms(s.median),
            ms(s.max)
        );
    }

    println!();
    println!("peak resident memory (VmHWM) after 1,000 mixed requests");
    for (f, key) in functions.iter().zip(keys).skip(1) {
        let (kib, errors) = f.peak_rss_kib(mixed(1000));
        println!(
            "{:<30} {:>8.1} MB   ({errors} of 1000 answered with an error)",
            f.name,
            kib as f64 / 1024.0
        );
        println!("RESULT rss_{key}_mb={:.1}", kib as f64 / 1024.0);
    }
    for (name, bin) in [("hello", &hello), ("city", &city)] {
        let bytes = std::fs::metadata(bin).map(|m| m.len()).unwrap_or(0);
        println!("RESULT size_{name}_mb={:.2}", bytes as f64 / 1_048_576.0);
    }
}
