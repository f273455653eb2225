//! `city-skill serve`, the real binary on 127.0.0.1: it answers Alexa
//! envelopes over HTTP, reports health, refuses bad bodies with 400, stops
//! cleanly on SIGTERM, and will not start without verification unless told
//! it is a development setup.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

use crate::helpers::{bin, run_bin};

struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start() -> Self {
        let mut child = Command::new(bin())
            .args(["serve", "--port", "0", "--insecure-skip-verify"])
            .env_remove("AWS_LAMBDA_RUNTIME_API")
            .env_remove("PORT")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let addr = loop {
            let line = lines.next().expect("serve printed its address").unwrap();
            if let Some(rest) = line.split("\"bound\":\"").nth(1) {
                break rest.split('"').next().unwrap().to_string();
            }
        };
        // Keep draining the logs so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Self { child, addr }
    }

    fn request(&self, method: &str, path: &str, body: &str) -> (u16, String) {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        let status = out.split(' ').nth(1).unwrap().parse().unwrap();
        let body = out.split("\r\n\r\n").nth(1).unwrap_or_default().to_string();
        (status, body)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

#[test]
fn serve_answers_an_alexa_envelope_over_http() {
    let server = Server::start();
    let envelope = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/office_hours.json"
    ))
    .unwrap();
    let (status, body) = server.request("POST", "/", &envelope);
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["version"], "1.0");
    assert!(v["response"]["outputSpeech"]["ssml"]
        .as_str()
        .unwrap()
        .contains("Ruppertstraße"));
}

#[test]
fn serve_reports_health_and_refuses_what_is_not_an_envelope() {
    let server = Server::start();
    assert_eq!(
        server.request("GET", "/healthz", ""),
        (200, "ok\n".to_string())
    );
    assert_eq!(server.request("POST", "/", "not json").0, 400);
    assert_eq!(server.request("POST", "/", "{\"version\":\"1.0\"}").0, 400);
    assert_eq!(server.request("GET", "/somewhere", "").0, 404);
}

#[test]
fn serve_stops_cleanly_on_sigterm() {
    let mut server = Server::start();
    assert_eq!(server.request("GET", "/healthz", "").0, 200);
    let pid = server.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let status = server.child.wait().unwrap();
    assert!(status.success(), "{status}");
}

#[test]
fn serve_will_not_start_without_verification_unless_told_it_is_for_development() {
    let out = run_bin(&["serve", "--port", "0"], None);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--insecure-skip-verify"));
}
