//! A small HTTP/1.1 load client for `city-skill serve` on 127.0.0.1: a
//! fixed number of requests spread over a fixed number of keep-alive
//! connections, one thread each, every response checked. Shared by the
//! zero-error test in `cargo test` and the load bench (`cargo bench --bench
//! load`), which reports the figures.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One request the client can send: the path, extra header lines (each
/// ending in `\r\n`) and the body. An empty body makes it a GET.
#[derive(Clone, Debug)]
pub struct Req {
    pub path: String,
    pub headers: String,
    pub body: String,
}

impl Req {
    pub fn post(body: String, headers: String) -> Self {
        Self {
            path: "/".into(),
            headers,
            body,
        }
    }

    pub fn get(path: &str) -> Self {
        Self {
            path: path.into(),
            headers: String::new(),
            body: String::new(),
        }
    }

    fn write_to(&self, out: &mut impl Write) -> std::io::Result<()> {
        let method = if self.body.is_empty() { "GET" } else { "POST" };
        write!(
            out,
            "{method} {} HTTP/1.1\r\nHost: 127.0.0.1\r\n{}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{}",
            self.path,
            self.headers,
            self.body.len(),
            self.body
        )?;
        out.flush()
    }
}

/// What a load run measured.
#[derive(Debug, Default)]
pub struct Outcome {
    pub requests: usize,
    pub errors: usize,
    /// The first few errors, for the report.
    pub first_errors: Vec<String>,
    pub elapsed: Duration,
    /// Latency of every successful request, sorted.
    pub latencies: Vec<Duration>,
}

impl Outcome {
    pub fn per_second(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }

    /// The `q` quantile (0..=1) of the latencies, nearest rank.
    pub fn quantile(&self, q: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((q * self.latencies.len() as f64).ceil() as usize).max(1);
        self.latencies[rank.min(self.latencies.len()) - 1]
    }
}

/// Sends `total` requests to `addr` over `connections` keep-alive
/// connections, cycling through `requests`. A response counts as an error
/// unless it is HTTP 200 and `ok(body)` holds; a broken connection is an
/// error and is reopened.
pub fn run(
    addr: &str,
    requests: &[Req],
    total: usize,
    connections: usize,
    ok: fn(&str) -> bool,
) -> Outcome {
    let next = Arc::new(AtomicUsize::new(0));
    let requests = Arc::new(requests.to_vec());
    let started = Instant::now();
    let workers: Vec<_> = (0..connections)
        .map(|_| {
            let (next, requests, addr) = (next.clone(), requests.clone(), addr.to_string());
            std::thread::spawn(move || worker(&addr, &requests, &next, total, ok))
        })
        .collect();
    let mut outcome = Outcome::default();
    for w in workers {
        let (latencies, errors) = w.join().expect("a load worker panicked");
        outcome.requests += latencies.len() + errors.len();
        outcome.errors += errors.len();
        outcome.latencies.extend(latencies);
        for e in errors {
            if outcome.first_errors.len() < 5 {
                outcome.first_errors.push(e);
            }
        }
    }
    outcome.elapsed = started.elapsed();
    outcome.latencies.sort_unstable();
    outcome
}

type Conn = (BufReader<TcpStream>, TcpStream);

fn connect(addr: &str) -> std::io::Result<Conn> {
    let stream = TcpStream::connect(addr)?;
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    Ok((BufReader::new(stream.try_clone()?), stream))
}

fn worker(
    addr: &str,
    requests: &[Req],
    next: &AtomicUsize,
    total: usize,
    ok: fn(&str) -> bool,
) -> (Vec<Duration>, Vec<String>) {
    let (mut latencies, mut errors) = (Vec::new(), Vec::new());
    let mut conn: Option<Conn> = None;
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= total {
            break;
        }
        let req = &requests[i % requests.len()];
        let started = Instant::now();
        let result = match conn.take().map_or_else(|| connect(addr), Ok) {
            Ok(mut c) => exchange(&mut c, req).map(|r| (r, c)),
            Err(e) => Err(e),
        };
        match result {
            Ok(((200, body), c)) if ok(&body) => {
                latencies.push(started.elapsed());
                conn = Some(c);
            }
            Ok(((status, body), c)) => {
                errors.push(format!("request {i}: HTTP {status}: {body}"));
                conn = Some(c);
            }
            Err(e) => errors.push(format!("request {i}: {e}")),
        }
    }
    (latencies, errors)
}

/// Writes `req` and reads one response: (status, body).
fn exchange((reader, writer): &mut Conn, req: &Req) -> std::io::Result<(u16, String)> {
    req.write_to(writer)?;
    let bad = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_string());
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let status = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad(&format!("bad status line {line:?}")))?;
    let mut length = 0usize;
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Err(bad("connection closed in the headers"));
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value
                    .trim()
                    .parse()
                    .map_err(|_| bad("bad Content-Length"))?;
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

/// The Alexa requests of the load runs: the fixtures in tests/fixtures of
/// every kind a citizen causes (launch, each office intent, FAQ answered
/// and not, events, built-ins, CanFulfill, session end), stamped now so a
/// verifying server accepts them.
pub fn alexa_bodies() -> Vec<String> {
    [
        "launch",
        "office_hours",
        "office_address",
        "office_phone",
        "office_hours_raw_value",
        "question",
        "question_unknown",
        "events",
        "help",
        "fallback",
        "can_fulfill",
        "stop",
        "session_ended",
    ]
    .iter()
    .map(|name| alexa_body(name, None))
    .collect()
}

/// The fixture tests/fixtures/`name`.json stamped now, in `locale` if given.
pub fn alexa_body(name: &str, locale: Option<&str>) -> String {
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let path = format!("{}/tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["request"]["timestamp"] = now.into();
    if let Some(locale) = locale {
        v["request"]["locale"] = locale.into();
    }
    v.to_string()
}

/// A successful answer to an Alexa request: a response envelope.
pub fn is_alexa_response(body: &str) -> bool {
    body.starts_with('{') && body.contains("\"version\":\"1.0\"")
}
