//! The real binary against a test Lambda Runtime API.
//!
//! A small HTTP/1.1 server (std only, 127.0.0.1, port 0) plays the Runtime
//! API: it hands out queued invocation payloads on `GET …/invocation/next`,
//! records every `POST …/{id}/response` and `POST …/{id}/error`, and when the
//! queue is empty closes the connection without answering (and stops
//! accepting), so that `lambda_runtime::run` fails and the process exits.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use city_skill::alexa::ResponseEnvelope;
use serde_json::{json, Value};

use crate::helpers;

const SKILL_ID: &str = "amzn1.ask.skill.test-0000";
const OTHER_SKILL_ID: &str = "amzn1.ask.skill.someone-else";
const USER_ID: &str = "amzn1.ask.account.SECRETUSER";
const DEVICE_ID: &str = "amzn1.ask.device.SECRETDEVICE";
const API_TOKEN: &str = "SECRETTOKEN";
const FUNCTION_ARN: &str = "arn:aws:lambda:eu-central-1:123456789012:function:city-skill";
const NEXT_PATH: &str = "/2018-06-01/runtime/invocation/next";
const INVOCATION_PREFIX: &str = "/2018-06-01/runtime/invocation/";
const INIT_ERROR_PATH: &str = "/2018-06-01/runtime/init/error";
/// How long one run of the binary may take before it is killed.
const RUN_TIMEOUT: Duration = Duration::from_secs(60);

// ---------------------------------------------------------------------------
// The test Runtime API
// ---------------------------------------------------------------------------

/// Whether the function answered or failed an invocation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Response,
    Error,
}

/// One `POST …/invocation/{id}/response` or `…/error`.
#[derive(Clone, Debug)]
struct Posted {
    request_id: String,
    kind: Kind,
    body: Vec<u8>,
}

impl Posted {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("posted body is not JSON ({e}): {}", self.text()))
    }

    /// `errorType` from the JSON body of an `/error` post.
    fn error_type(&self) -> String {
        self.json()["errorType"]
            .as_str()
            .unwrap_or_else(|| panic!("no errorType in {}", self.text()))
            .to_string()
    }

    fn envelope(&self) -> ResponseEnvelope {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "response for {} is not a ResponseEnvelope ({e}): {}",
                self.request_id,
                self.text()
            )
        })
    }
}

/// What the server saw.
#[derive(Debug, Default)]
struct State {
    /// Invocations still to hand out: (Lambda request id, raw payload).
    queue: VecDeque<(String, Vec<u8>)>,
    /// Request ids handed out on `/next`, in order.
    served: Vec<String>,
    /// Results posted by the function, in arrival order.
    posted: Vec<Posted>,
    /// Bodies of `POST /runtime/init/error`.
    init_errors: Vec<String>,
    /// Requests the server did not expect (method and path).
    unexpected: Vec<String>,
    /// True once a `/next` found the queue empty (the runtime was sent away).
    drained: bool,
}

/// A running test Runtime API.
struct RuntimeApi {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
}

impl RuntimeApi {
    fn start(invocations: Vec<(String, Vec<u8>)>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let state = Arc::new(Mutex::new(State {
            queue: invocations.into(),
            ..State::default()
        }));
        let stop = Arc::new(AtomicBool::new(false));
        {
            let state = Arc::clone(&state);
            let stop = Arc::clone(&stop);
            thread::spawn(move || accept_loop(&listener, &state, &stop));
        }
        Self { addr, state, stop }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for RuntimeApi {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// Accepts connections until told to stop (the queue ran out, or the test
/// is over); then the listener is dropped and new connections are refused.
fn accept_loop(listener: &TcpListener, state: &Arc<Mutex<State>>, stop: &Arc<AtomicBool>) {
    let give_up = Instant::now() + RUN_TIMEOUT + Duration::from_secs(30);
    while !stop.load(Ordering::SeqCst) && Instant::now() < give_up {
        match listener.accept() {
            Ok((stream, _)) => {
                let state = Arc::clone(state);
                let stop = Arc::clone(stop);
                thread::spawn(move || serve_connection(stream, &state, &stop));
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                thread::sleep(Duration::from_millis(2));
            }
            Err(_) => thread::sleep(Duration::from_millis(2)),
        }
    }
}

/// One parsed HTTP request.
struct HttpRequest {
    method: String,
    path: String,
    body: Vec<u8>,
}

/// Reads one request; `None` at EOF (or on a broken connection).
fn read_request(reader: &mut BufReader<TcpStream>) -> Option<HttpRequest> {
    let mut line = String::new();
    // Tolerate stray empty lines between requests.
    loop {
        line.clear();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        if !line.trim().is_empty() {
            break;
        }
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let path = parts.next()?.to_string();
    let mut content_length = 0usize;
    let mut chunked = false;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 {
            return None;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => content_length = value.parse().ok()?,
            "transfer-encoding" => chunked = value.to_ascii_lowercase().contains("chunked"),
            _ => {}
        }
    }
    let body = if chunked {
        read_chunked(reader)?
    } else {
        let mut body = vec![0; content_length];
        reader.read_exact(&mut body).ok()?;
        body
    };
    Some(HttpRequest { method, path, body })
}

fn read_chunked(reader: &mut BufReader<TcpStream>) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let mut size_line = String::new();
        if reader.read_line(&mut size_line).ok()? == 0 {
            return None;
        }
        let size_hex = size_line.trim().split(';').next()?.trim();
        let size = usize::from_str_radix(size_hex, 16).ok()?;
        if size == 0 {
            // Trailers, up to the empty line.
            loop {
                let mut trailer = String::new();
                if reader.read_line(&mut trailer).ok()? == 0 || trailer.trim().is_empty() {
                    return Some(body);
                }
            }
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..]).ok()?;
        let mut crlf = [0u8; 2];
        reader.read_exact(&mut crlf).ok()?;
    }
}

fn write_response(
    stream: &mut TcpStream,
    status: &str,
    headers: &[(&str, String)],
    body: &[u8],
) -> std::io::Result<()> {
    let mut out = format!("HTTP/1.1 {status}\r\n");
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    stream.write_all(&bytes)?;
    stream.flush()
}

fn epoch_ms() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis())
}

/// Serves requests on one keep-alive connection until EOF.
fn serve_connection(stream: TcpStream, state: &Arc<Mutex<State>>, stop: &Arc<AtomicBool>) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(RUN_TIMEOUT + Duration::from_secs(30)));
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    while let Some(req) = read_request(&mut reader) {
        let lock = || state.lock().unwrap_or_else(|e| e.into_inner());
        let written = if req.method == "GET" && req.path == NEXT_PATH {
            let next = {
                let mut s = lock();
                let next = s.queue.pop_front();
                match &next {
                    Some((id, _)) => s.served.push(id.clone()),
                    None => s.drained = true,
                }
                next
            };
            let Some((id, payload)) = next else {
                // No more work: send the runtime away without an answer.
                stop.store(true, Ordering::SeqCst);
                let _ = writer.shutdown(Shutdown::Both);
                return;
            };
            let trace = format!(
                "Root=1-{:08x}-0123456789abcdef01234567;Parent=0123456789abcdef;Sampled=0",
                epoch_ms() / 1000
            );
            write_response(
                &mut writer,
                "200 OK",
                &[
                    ("Content-Type", "application/json".to_string()),
                    ("Lambda-Runtime-Aws-Request-Id", id),
                    (
                        "Lambda-Runtime-Deadline-Ms",
                        (epoch_ms() + 30_000).to_string(),
                    ),
                    (
                        "Lambda-Runtime-Invoked-Function-Arn",
                        FUNCTION_ARN.to_string(),
                    ),
                    ("Lambda-Runtime-Trace-Id", trace),
                ],
                &payload,
            )
        } else if req.method == "POST" && req.path == INIT_ERROR_PATH {
            lock()
                .init_errors
                .push(String::from_utf8_lossy(&req.body).into_owned());
            write_response(
                &mut writer,
                "202 Accepted",
                &[("Content-Type", "application/json".to_string())],
                br#"{"status":"OK"}"#,
            )
        } else if let Some((id, kind)) = (req.method == "POST")
            .then(|| invocation_result(&req.path))
            .flatten()
        {
            lock().posted.push(Posted {
                request_id: id,
                kind,
                body: req.body,
            });
            write_response(
                &mut writer,
                "202 Accepted",
                &[("Content-Type", "application/json".to_string())],
                br#"{"status":"OK"}"#,
            )
        } else {
            lock()
                .unexpected
                .push(format!("{} {}", req.method, req.path));
            write_response(
                &mut writer,
                "404 Not Found",
                &[("Content-Type", "application/json".to_string())],
                br#"{"errorType":"NotFound","errorMessage":"unknown path"}"#,
            )
        };
        if written.is_err() {
            return;
        }
    }
}

/// `…/invocation/{id}/response` or `…/invocation/{id}/error`.
fn invocation_result(path: &str) -> Option<(String, Kind)> {
    let rest = path.strip_prefix(INVOCATION_PREFIX)?;
    if let Some(id) = rest.strip_suffix("/response") {
        return Some((id.to_string(), Kind::Response));
    }
    rest.strip_suffix("/error")
        .map(|id| (id.to_string(), Kind::Error))
}

// ---------------------------------------------------------------------------
// Running the binary
// ---------------------------------------------------------------------------

/// Everything one run of the binary produced.
#[derive(Debug)]
pub(crate) struct Run {
    status: ExitStatus,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
    served: Vec<String>,
    posted: Vec<Posted>,
    init_errors: Vec<String>,
    unexpected: Vec<String>,
    drained: bool,
}

impl Run {
    /// The single result posted for `id`.
    fn result_for(&self, id: &str) -> &Posted {
        let found: Vec<&Posted> = self.posted.iter().filter(|p| p.request_id == id).collect();
        assert_eq!(
            found.len(),
            1,
            "expected exactly one result for {id}, got {found:?}\n{}",
            self.describe()
        );
        found[0]
    }

    fn describe(&self) -> String {
        format!(
            "exit: {:?}\nserved: {:?}\nposted: {:?}\ninit errors: {:?}\nunexpected: {:?}\n\
             drained: {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.status,
            self.served,
            self.posted
                .iter()
                .map(|p| format!("{:?} {} {}", p.kind, p.request_id, p.text()))
                .collect::<Vec<_>>(),
            self.init_errors,
            self.unexpected,
            self.drained,
            self.stdout,
            self.stderr
        )
    }

    /// The runtime went away because the queue was empty, not because it
    /// crashed: every invocation was served, the last `/next` found the
    /// queue empty, and the process ended by itself with exit code 1 (the
    /// error of `lambda_runtime::run`), not killed and not a panic (101).
    pub(crate) fn assert_ended_when_queue_ran_out(&self, expected_ids: &[String]) {
        assert_eq!(self.served, expected_ids, "{}", self.describe());
        assert!(
            self.drained,
            "the runtime never asked for more work after the last invocation\n{}",
            self.describe()
        );
        assert!(
            self.init_errors.is_empty(),
            "init errors\n{}",
            self.describe()
        );
        assert!(
            self.unexpected.is_empty(),
            "unexpected requests\n{}",
            self.describe()
        );
        assert_eq!(
            self.status.code(),
            Some(1),
            "the process should exit 1 when the Runtime API goes away\n{}",
            self.describe()
        );
    }
}

fn read_all(pipe: impl Read + Send + 'static) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut pipe = pipe;
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// Runs the binary against a Runtime API serving `invocations`, until it
/// exits (or [`RUN_TIMEOUT`] passes: then it is killed and the test fails).
fn run_lambda(invocations: Vec<(String, Vec<u8>)>, skill_id: Option<&str>) -> Run {
    run_lambda_with(invocations, skill_id, "1000000000")
}

/// Like [`run_lambda`], with a request timestamp tolerance in seconds.
fn run_lambda_with(
    invocations: Vec<(String, Vec<u8>)>,
    skill_id: Option<&str>,
    tolerance: &str,
) -> Run {
    run_lambda_env(invocations, skill_id, tolerance, &[])
}

/// Like [`run_lambda_with`], with extra environment variables.
pub(crate) fn run_lambda_env(
    invocations: Vec<(String, Vec<u8>)>,
    skill_id: Option<&str>,
    tolerance: &str,
    env: &[(&str, &str)],
) -> Run {
    let api = RuntimeApi::start(invocations);
    let mut cmd = Command::new(helpers::bin());
    cmd.env("AWS_LAMBDA_RUNTIME_API", api.addr.to_string())
        .env("AWS_LAMBDA_FUNCTION_NAME", "city-skill")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_LOG_FORMAT", "JSON")
        // The fixtures carry fixed timestamps; one test sets its own.
        .env("CITY_SKILL_TIMESTAMP_TOLERANCE_SECS", tolerance)
        .env_remove("AWS_LAMBDA_LOG_LEVEL")
        .env_remove("RUST_LOG")
        .env_remove("AWS_LAMBDA_MAX_CONCURRENCY")
        .env_remove("AWS_LAMBDA_INITIALIZATION_TYPE")
        .env_remove("CITY_SKILL_REPORT_UNANSWERED")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    match skill_id {
        Some(id) => cmd.env("SKILL_ID", id),
        None => cmd.env_remove("SKILL_ID"),
    };
    let mut child = cmd.spawn().expect("the binary starts");
    let stdout = read_all(child.stdout.take().expect("stdout"));
    let stderr = read_all(child.stderr.take().expect("stderr"));
    let deadline = Instant::now() + RUN_TIMEOUT;
    let (status, killed) = loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            break (status, false);
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            break (child.wait().expect("wait after kill"), true);
        }
        thread::sleep(Duration::from_millis(10));
    };
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    let run = {
        let mut s = api.lock();
        Run {
            status,
            stdout,
            stderr,
            served: s.served.clone(),
            posted: std::mem::take(&mut s.posted),
            init_errors: s.init_errors.clone(),
            unexpected: s.unexpected.clone(),
            drained: s.drained,
        }
    };
    assert!(
        !killed,
        "the binary did not exit within {RUN_TIMEOUT:?} and was killed\n{}",
        run.describe()
    );
    run
}

// ---------------------------------------------------------------------------
// Alexa envelopes
// ---------------------------------------------------------------------------

/// A realistic envelope around `request`, addressed to `app_id`.
fn envelope(app_id: &str, new_session: bool, request: Value) -> Value {
    json!({
        "version": "1.0",
        "session": {
            "new": new_session,
            "sessionId": "amzn1.echo-api.session.runtime-api-test",
            "application": { "applicationId": app_id },
            "attributes": {},
            "user": { "userId": USER_ID }
        },
        "context": {
            "System": {
                "application": { "applicationId": app_id },
                "user": { "userId": USER_ID },
                "device": {
                    "deviceId": DEVICE_ID,
                    "supportedInterfaces": {}
                },
                "apiEndpoint": "https://api.eu.amazonalexa.com",
                "apiAccessToken": API_TOKEN
            }
        },
        "request": request
    })
}

/// The common fields of `request`, plus `extra`.
fn request(request_type: &str, n: u32, locale: &str, extra: Value) -> Value {
    let mut r = json!({
        "type": request_type,
        "requestId": format!("amzn1.echo-api.request.runtime-api-test-{n}"),
        "timestamp": "2026-11-25T09:00:00Z",
        "locale": locale
    });
    if let (Some(r), Value::Object(extra)) = (r.as_object_mut(), extra) {
        r.extend(extra);
    }
    r
}

fn launch(app_id: &str, n: u32, locale: &str) -> Value {
    envelope(app_id, true, request("LaunchRequest", n, locale, json!({})))
}

fn office_hours(n: u32) -> Value {
    envelope(
        SKILL_ID,
        false,
        request(
            "IntentRequest",
            n,
            "de-DE",
            json!({
                "dialogState": "COMPLETED",
                "intent": {
                    "name": "OfficeHoursIntent",
                    "confirmationStatus": "NONE",
                    "slots": {
                        "office": {
                            "name": "office",
                            "value": "Bürgerbüro Ruppertstraße",
                            "confirmationStatus": "NONE",
                            "source": "USER",
                            "resolutions": {
                                "resolutionsPerAuthority": [{
                                    "authority": "amzn1.er-authority.echo-sdk.amzn1.ask.skill.test-0000.OFFICE",
                                    "status": { "code": "ER_SUCCESS_MATCH" },
                                    "values": [{
                                        "value": {
                                            "name": "Bürgerbüro Ruppertstraße",
                                            "id": "buergerbuero-ruppertstrasse"
                                        }
                                    }]
                                }]
                            }
                        },
                        "date": { "name": "date", "confirmationStatus": "NONE" }
                    }
                }
            }),
        ),
    )
}

fn help(n: u32) -> Value {
    envelope(
        SKILL_ID,
        false,
        request(
            "IntentRequest",
            n,
            "en-US",
            json!({
                "intent": {
                    "name": "AMAZON.HelpIntent",
                    "confirmationStatus": "NONE",
                    "slots": {}
                }
            }),
        ),
    )
}

fn session_ended(n: u32) -> Value {
    envelope(
        SKILL_ID,
        false,
        request(
            "SessionEndedRequest",
            n,
            "de-DE",
            json!({ "reason": "USER_INITIATED" }),
        ),
    )
}

fn apl_user_event(n: u32) -> Value {
    envelope(
        SKILL_ID,
        true,
        request(
            "Alexa.Presentation.APL.UserEvent",
            n,
            "de-DE",
            json!({
                "token": "city-skill-apl",
                "arguments": ["open-office", { "office": "buergerbuero-ruppertstrasse" }],
                "source": {
                    "type": "TouchWrapper",
                    "handler": "Press",
                    "id": "officeButton",
                    "value": false
                },
                "components": { "officeButton": { "pressed": true } }
            }),
        ),
    )
}

/// A Lambda request id in the shape Lambda uses (a UUID).
pub(crate) fn lambda_id(test: u32, n: u32) -> String {
    format!("{test:08x}-0000-4000-8000-{n:012x}")
}

fn bytes(v: &Value) -> Vec<u8> {
    serde_json::to_vec(v).expect("serializes")
}

pub(crate) fn ids(invocations: &[(String, Vec<u8>)]) -> Vec<String> {
    invocations.iter().map(|(id, _)| id.clone()).collect()
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

/// The four-request conversation of the first test; shared with the log test.
fn conversation() -> Vec<(String, Vec<u8>)> {
    vec![
        (lambda_id(1, 1), bytes(&launch(SKILL_ID, 1, "de-DE"))),
        (lambda_id(1, 2), bytes(&office_hours(2))),
        (lambda_id(1, 3), bytes(&help(3))),
        (lambda_id(1, 4), bytes(&session_ended(4))),
    ]
}

fn conversation_run() -> &'static (Vec<String>, Run) {
    static RUN: OnceLock<(Vec<String>, Run)> = OnceLock::new();
    RUN.get_or_init(|| {
        let invocations = conversation();
        let expected = ids(&invocations);
        (expected, run_lambda(invocations, Some(SKILL_ID)))
    })
}

#[test]
fn binary_answers_several_invocations_and_exits_when_the_runtime_api_closes() {
    let (expected, run) = conversation_run();
    run.assert_ended_when_queue_ran_out(expected);

    let posted_ids: Vec<&str> = run.posted.iter().map(|p| p.request_id.as_str()).collect();
    assert_eq!(
        posted_ids,
        expected.iter().map(String::as_str).collect::<Vec<_>>(),
        "results out of order or missing\n{}",
        run.describe()
    );
    for p in &run.posted {
        assert_eq!(
            p.kind,
            Kind::Response,
            "{} was not answered\n{}",
            p.request_id,
            run.describe()
        );
        helpers::assert_valid_response(&p.envelope());
    }

    let launch = run.result_for(&expected[0]).envelope();
    assert!(
        !helpers::speech(&launch).is_empty(),
        "launch without speech: {launch:?}"
    );
    let hours = run.result_for(&expected[1]).envelope();
    match &hours.response.output_speech {
        Some(city_skill::alexa::OutputSpeech::Ssml { ssml }) => assert!(
            ssml.contains("Bürgerbüro"),
            "office hours answer does not name the Bürgerbüro: {ssml}"
        ),
        other => panic!("office hours answer without SSML: {other:?}"),
    }
    let help = run.result_for(&expected[2]).envelope();
    assert!(
        !helpers::speech(&help).is_empty(),
        "help without speech: {help:?}"
    );
}

#[test]
fn malformed_envelope_is_reported_as_invalid_request_and_the_next_invocation_is_answered() {
    let invocations = vec![
        (lambda_id(2, 1), bytes(&json!({"hello": "world"}))),
        (lambda_id(2, 2), b"not json at all".to_vec()),
        (lambda_id(2, 3), bytes(&launch(SKILL_ID, 3, "de-DE"))),
    ];
    let expected = ids(&invocations);
    let run = run_lambda(invocations, Some(SKILL_ID));
    run.assert_ended_when_queue_ran_out(&expected);
    assert_eq!(run.posted.len(), 3, "{}", run.describe());

    let first = run.result_for(&expected[0]);
    assert_eq!(first.kind, Kind::Error, "{}", run.describe());
    assert_eq!(first.error_type(), "InvalidRequest", "{}", run.describe());

    let second = run.result_for(&expected[1]);
    assert_eq!(
        second.kind,
        Kind::Error,
        "non-JSON bytes must be an /error (got {:?}: {})",
        second.kind,
        second.text()
    );
    let second_type = second.error_type();
    assert!(
        !second_type.is_empty(),
        "non-JSON bytes got /error with errorType {second_type:?}: {}",
        second.text()
    );

    let third = run.result_for(&expected[2]);
    assert_eq!(
        third.kind,
        Kind::Response,
        "the invocation after two failures was not answered (non-JSON errorType was {second_type:?})\n{}",
        run.describe()
    );
    helpers::assert_valid_response(&third.envelope());
}

#[test]
fn wrong_skill_id_is_refused_and_nothing_is_answered() {
    let invocations = vec![
        (lambda_id(3, 1), bytes(&launch(OTHER_SKILL_ID, 1, "de-DE"))),
        (lambda_id(3, 2), bytes(&launch(SKILL_ID, 2, "de-DE"))),
    ];
    let expected = ids(&invocations);
    let run = run_lambda(invocations, Some(SKILL_ID));
    run.assert_ended_when_queue_ran_out(&expected);

    let refused = run.result_for(&expected[0]);
    assert_eq!(
        refused.kind,
        Kind::Error,
        "a request for another skill was answered\n{}",
        run.describe()
    );
    assert_eq!(
        refused.error_type(),
        "SkillIdMismatch",
        "{}",
        run.describe()
    );
    assert!(
        !run.posted
            .iter()
            .any(|p| p.request_id == expected[0] && p.kind == Kind::Response),
        "{}",
        run.describe()
    );

    let answered = run.result_for(&expected[1]);
    assert_eq!(answered.kind, Kind::Response, "{}", run.describe());
    helpers::assert_valid_response(&answered.envelope());
}

#[test]
fn unknown_request_type_gets_a_polite_response() {
    let invocations = vec![(lambda_id(4, 1), bytes(&apl_user_event(1)))];
    let expected = ids(&invocations);
    let run = run_lambda(invocations, Some(SKILL_ID));
    run.assert_ended_when_queue_ran_out(&expected);

    let answer = run.result_for(&expected[0]);
    assert_eq!(answer.kind, Kind::Response, "{}", run.describe());
    let envelope = answer.envelope();
    helpers::assert_valid_response(&envelope);
    assert!(
        !helpers::speech(&envelope).trim().is_empty(),
        "no speech for an unknown request type: {envelope:?}"
    );
}

#[test]
fn logs_are_json_and_carry_no_user_or_device_ids() {
    // The conversation of the first test, plus a run through the refusing
    // paths (wrong skill, malformed envelope with ids in it, truncated JSON).
    let (_, conversation) = conversation_run();
    let malformed_with_ids = json!({
        "version": "1.0",
        "session": { "new": true, "user": { "userId": USER_ID } },
        "context": { "System": {
            "user": { "userId": USER_ID },
            "device": { "deviceId": DEVICE_ID },
            "apiAccessToken": API_TOKEN
        } }
    });
    let full = bytes(&office_hours(3));
    let truncated = full[..full.len() / 2].to_vec();
    let invocations = vec![
        (lambda_id(5, 1), bytes(&launch(OTHER_SKILL_ID, 1, "de-DE"))),
        (lambda_id(5, 2), bytes(&malformed_with_ids)),
        (lambda_id(5, 3), truncated),
        (lambda_id(5, 4), bytes(&apl_user_event(4))),
        (lambda_id(5, 5), bytes(&office_hours(5))),
    ];
    let expected = ids(&invocations);
    let refusals = run_lambda(invocations, Some(SKILL_ID));
    refusals.assert_ended_when_queue_ran_out(&expected);

    for (name, run) in [("conversation", conversation), ("refusals", &refusals)] {
        let lines: Vec<&str> = run
            .stdout
            .lines()
            .filter(|l| !l.trim().is_empty())
            .collect();
        assert!(
            !lines.is_empty(),
            "{name}: nothing was logged on stdout\n{}",
            run.describe()
        );
        for line in &lines {
            let parsed: Result<Value, _> = serde_json::from_str(line);
            assert!(
                parsed.as_ref().is_ok_and(Value::is_object),
                "{name}: stdout line is not a JSON object: {line}"
            );
        }
        for secret in [USER_ID, DEVICE_ID, API_TOKEN, "SECRET"] {
            assert!(
                !run.stdout.contains(secret),
                "{name}: {secret} appears on stdout:\n{}",
                run.stdout
            );
            assert!(
                !run.stderr.contains(secret),
                "{name}: {secret} appears on stderr:\n{}",
                run.stderr
            );
        }
    }
}

#[test]
fn a_request_older_than_150_seconds_is_refused_as_stale() {
    let invocations = vec![(lambda_id(9, 1), bytes(&launch(SKILL_ID, 1, "de-DE")))];
    let expected = ids(&invocations);
    // The fixture's timestamp is fixed in the past; the default tolerance holds.
    let run = run_lambda_with(invocations, Some(SKILL_ID), "150");
    run.assert_ended_when_queue_ran_out(&expected);
    let refused = run.result_for(&expected[0]);
    assert_eq!(refused.kind, Kind::Error, "{}", run.describe());
    assert_eq!(refused.error_type(), "StaleRequest", "{}", run.describe());
}
