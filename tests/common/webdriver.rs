//! A small W3C WebDriver client for the browser tests: Debian's chromium
//! driven by its chromedriver on 127.0.0.1, over plain HTTP/1.1 with
//! serde_json. The dozen commands the tests use are each one JSON request;
//! a client crate (fantoccini: about 40 more crates, among them url, icu
//! and webdriver; thirtyfour more) would cost CI build time for that.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// The key W3C WebDriver names "Enter".
pub const ENTER: &str = "\u{E007}";
/// The key W3C WebDriver names "Tab".
pub const TAB: &str = "\u{E004}";
/// The property that carries an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Where chromium and chromedriver are, or why the browser tests cannot
/// run here.
pub fn tools() -> Result<(PathBuf, PathBuf), String> {
    let path = |var: &str, default: &str| {
        PathBuf::from(std::env::var(var).unwrap_or_else(|_| default.to_string()))
    };
    let chromium = path("CITY_SKILL_CHROMIUM", "/usr/bin/chromium");
    let driver = path("CITY_SKILL_CHROMEDRIVER", "/usr/bin/chromedriver");
    for p in [&chromium, &driver] {
        if !p.exists() {
            return Err(format!(
                "{} is missing (apt-get install chromium chromium-driver; .ci/run does)",
                p.display()
            ));
        }
    }
    Ok((chromium, driver))
}

/// A running chromedriver with one headless chromium session.
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
    profile: PathBuf,
}

/// A reference to an element of the page.
#[derive(Clone, Debug)]
pub struct Element(String);

impl Browser {
    /// Starts chromedriver and a headless chromium with a fresh profile,
    /// every network feature that would call out switched off.
    pub fn start(chromium: &std::path::Path, driver: &std::path::Path) -> Self {
        let port = free_port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let profile =
            std::env::temp_dir().join(format!("city-skill-chromium-{}-{port}", std::process::id()));
        let mut browser = Self {
            driver: child,
            port,
            session: String::new(),
            profile,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while browser.raw("GET", "/status", None).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not come up");
            std::thread::sleep(Duration::from_millis(100));
        }
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:loggingPrefs": {"browser": "ALL"},
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1280,800",
                    format!("--user-data-dir={}", browser.profile.display()),
                ]
            }
        }}});
        let v = browser
            .raw("POST", "/session", Some(&caps))
            .expect("session");
        browser.session = v["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {v}"))
            .to_string();
        browser
    }

    fn raw(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).map_err(|e| e.to_string())?;
        s.set_read_timeout(Some(Duration::from_secs(60))).ok();
        let body = body.map(Value::to_string).unwrap_or_default();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.port,
            body.len()
        )
        .map_err(|e| e.to_string())?;
        // chromedriver keeps the connection open: read the head, then
        // Content-Length bytes (or chunks up to the last one).
        let mut out = Vec::new();
        let mut buf = [0u8; 16 * 1024];
        let split = loop {
            if let Some(p) = out.windows(4).position(|w| w == b"\r\n\r\n") {
                break p;
            }
            let n = s.read(&mut buf).map_err(|e| e.to_string())?;
            if n == 0 {
                return Err("connection closed before the response head".into());
            }
            out.extend_from_slice(&buf[..n]);
        };
        let head = String::from_utf8_lossy(&out[..split]).to_ascii_lowercase();
        let length = head.lines().find_map(|l| {
            l.strip_prefix("content-length:")
                .and_then(|v| v.trim().parse::<usize>().ok())
        });
        let chunked = head.contains("transfer-encoding: chunked")
            || head.contains("transfer-encoding:chunked");
        let mut body = out[split + 4..].to_vec();
        loop {
            let complete = match length {
                Some(n) => body.len() >= n,
                None if chunked => body.windows(5).any(|w| w == b"0\r\n\r\n"),
                None => false,
            };
            if complete {
                break;
            }
            let n = s.read(&mut buf).map_err(|e| e.to_string())?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&buf[..n]);
        }
        let body = if chunked { dechunk(&body) } else { body };
        serde_json::from_slice(&body)
            .map_err(|e| format!("{e}: {}", String::from_utf8_lossy(&body)))
    }

    /// A command of this session; panics on a WebDriver error.
    pub fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let path = format!("/session/{}{path}", self.session);
        let v = self
            .raw(method, &path, body.as_ref())
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        if v["value"].get("error").is_some() {
            panic!("{method} {path}: {}", v["value"]);
        }
        v["value"].clone()
    }

    /// Opens `url`.
    pub fn goto(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({ "url": url })));
    }

    /// Runs `script` (a function body; `arguments` are `args`) in the page.
    pub fn js(&self, script: &str, args: Value) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
    }

    /// Runs `script` with a callback as its last argument and waits for it.
    pub fn js_async(&self, script: &str, args: Value) -> Value {
        self.cmd(
            "POST",
            "/execute/async",
            Some(json!({"script": script, "args": args})),
        )
    }

    /// A Chrome DevTools Protocol command.
    pub fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.cmd(
            "POST",
            "/goog/cdp/execute",
            Some(json!({"cmd": cmd, "params": params})),
        )
    }

    /// The element `css` selects; panics when there is none.
    pub fn find(&self, css: &str) -> Element {
        let v = self.cmd(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        Element(
            v[ELEMENT]
                .as_str()
                .unwrap_or_else(|| panic!("no element for {css}: {v}"))
                .to_string(),
        )
    }

    /// Types `text` into `e` (WebDriver keys such as [`ENTER`] included).
    pub fn type_into(&self, e: &Element, text: &str) {
        self.cmd(
            "POST",
            &format!("/element/{}/value", e.0),
            Some(json!({ "text": text })),
        );
    }

    /// Clicks `e`.
    pub fn click(&self, e: &Element) {
        self.cmd("POST", &format!("/element/{}/click", e.0), Some(json!({})));
    }

    /// Presses and releases `key` on whatever has the focus.
    pub fn press(&self, key: &str) {
        self.cmd(
            "POST",
            "/actions",
            Some(
                json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
                    {"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}
                ]}]}),
            ),
        );
    }

    /// Presses `key` while holding `modifier` (Shift+Tab).
    pub fn press_with(&self, modifier: &str, key: &str) {
        self.cmd(
            "POST",
            "/actions",
            Some(
                json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
                    {"type": "keyDown", "value": modifier}, {"type": "keyDown", "value": key},
                    {"type": "keyUp", "value": key}, {"type": "keyUp", "value": modifier}
                ]}]}),
            ),
        );
        self.cmd("DELETE", "/actions", None);
    }

    /// Types `text` key by key into whatever has the focus, as a keyboard
    /// would.
    pub fn keys(&self, text: &str) {
        let actions: Vec<Value> = text
            .chars()
            .flat_map(|c| {
                let k = c.to_string();
                [
                    json!({"type": "keyDown", "value": k}),
                    json!({"type": "keyUp", "value": k}),
                ]
            })
            .collect();
        self.cmd(
            "POST",
            "/actions",
            Some(json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})),
        );
    }

    /// Waits up to 20 s until `script` (an expression) is truthy; returns
    /// its value.
    pub fn wait_for(&self, script: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let v = self.js(&format!("return ({script});"), json!([]));
            if !(v.is_null() || v == json!(false) || v == json!("") || v == json!(0)) {
                return v;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {script}; the page says:\n{}",
                self.js("return document.body.innerText;", json!([]))
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The browser's console log since the last call (level, message).
    pub fn console(&self) -> Vec<(String, String)> {
        let v = self.cmd("POST", "/se/log", Some(json!({"type": "browser"})));
        v.as_array()
            .map(|a| {
                a.iter()
                    .map(|e| {
                        (
                            e["level"].as_str().unwrap_or("").to_string(),
                            e["message"].as_str().unwrap_or("").to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A PNG of the viewport.
    pub fn screenshot(&self) -> Vec<u8> {
        use base64::Engine as _;
        let v = self.cmd("GET", "/screenshot", None);
        base64::engine::general_purpose::STANDARD
            .decode(v.as_str().expect("base64 screenshot"))
            .expect("valid base64")
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let path = format!("/session/{}", self.session);
            let _ = self.raw("DELETE", &path, None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("a free port");
    l.local_addr().expect("bound").port()
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = body.windows(2).position(|w| w == b"\r\n") {
        let size = String::from_utf8_lossy(&body[..eol]);
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        let rest = &body[eol + 2..];
        if n == 0 || rest.len() < n {
            break;
        }
        out.extend_from_slice(&rest[..n]);
        body = rest[n..].strip_prefix(b"\r\n").unwrap_or(&rest[n..]);
    }
    out
}
