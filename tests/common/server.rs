//! The real binary running `city-skill serve` on an ephemeral port of
//! 127.0.0.1, with its logs collected: shared by the integration tests and
//! the load bench (`#[path]`-included, so it is compiled into both).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;

/// The real binary running `serve` on an ephemeral port of 127.0.0.1.
pub struct Server {
    pub child: Child,
    pub addr: String,
    stdout: Option<JoinHandle<String>>,
    stderr: Option<JoinHandle<String>>,
    /// The test CA's files of [`Server::start_verifying`], removed on drop.
    pki_dir: Option<PathBuf>,
}

impl Server {
    pub fn start() -> Self {
        Self::start_with(&["--insecure-skip-verify"])
    }

    pub fn start_with(flags: &[&str]) -> Self {
        Self::start_env(flags, &[])
    }

    /// `serve` verifying every request as in production, but trusting a CA
    /// made here and holding its `echo-api.amazon.com` chain instead of
    /// downloading one: requests signed with [`crate::pki::signed_headers`]
    /// pass.
    pub fn start_verifying() -> Self {
        Self::start_verifying_env(&[])
    }

    /// [`Server::start_verifying`] with extra environment variables.
    pub fn start_verifying_env(env: &[(&str, &str)]) -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = crate::pki::pki("echo-api.amazon.com", (2020, 1, 1), (2040, 1, 1));
        let n = N.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("city-skill-pki-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (root, chain) = (dir.join("root.pem"), dir.join("chain.pem"));
        std::fs::write(&root, &p.ca_pem).unwrap();
        std::fs::write(&chain, &p.chain_pem).unwrap();
        let mut server = Self::start_env(
            &[
                "--test-root-ca",
                root.to_str().unwrap(),
                "--test-cert-chain",
                chain.to_str().unwrap(),
            ],
            env,
        );
        server.pki_dir = Some(dir);
        server
    }

    /// Starts `serve` with `flags` and extra environment variables; its
    /// logs are collected for [`Server::stop`].
    pub fn start_env(flags: &[&str], env: &[(&str, &str)]) -> Self {
        let mut args = vec!["serve", "--port", "0"];
        args.extend(flags);
        Self::start_command(&args, env)
    }

    /// Starts the binary with `args` (a command that listens and logs its
    /// `bound` address, such as `serve` or `try --port 0`).
    pub fn start_command(args: &[&str], env: &[(&str, &str)]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_city-skill"))
            .args(args)
            .env_remove("AWS_LAMBDA_RUNTIME_API")
            .env_remove("PORT")
            .env_remove("RUST_LOG")
            .env_remove("CITY_SKILL_REPORT_UNANSWERED")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let mut seen = String::new();
        let addr = loop {
            let line = lines.next().expect("serve printed its address").unwrap();
            seen.push_str(&line);
            seen.push('\n');
            if let Some(rest) = line.split("\"bound\":\"").nth(1) {
                break rest.split('"').next().unwrap().to_string();
            }
        };
        // Keep draining the logs so the server never blocks on a full pipe.
        let stdout = std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                seen.push_str(&line);
                seen.push('\n');
            }
            seen
        });
        let mut pipe = child.stderr.take().unwrap();
        let stderr = std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            String::from_utf8_lossy(&bytes).into_owned()
        });
        Self {
            child,
            addr,
            stdout: Some(stdout),
            stderr: Some(stderr),
            pki_dir: None,
        }
    }

    /// Stops the server with SIGTERM and returns everything it logged on
    /// stdout and stderr.
    pub fn stop(mut self) -> (String, String) {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let _ = self.child.wait();
        let out = self.stdout.take().map(|h| h.join().unwrap_or_default());
        let err = self.stderr.take().map(|h| h.join().unwrap_or_default());
        (out.unwrap_or_default(), err.unwrap_or_default())
    }

    pub fn request(&self, method: &str, path: &str, body: &str) -> (u16, String) {
        self.request_with(method, path, "", body)
    }

    pub fn request_with(
        &self,
        method: &str,
        path: &str,
        headers: &str,
        body: &str,
    ) -> (u16, String) {
        let (status, _, body) = self.exchange(method, path, headers, body);
        (status, body)
    }

    /// One request with extra `headers` (each ending in CRLF); the status,
    /// the response head (lower-cased) and the body.
    pub fn exchange(
        &self,
        method: &str,
        path: &str,
        headers: &str,
        body: &str,
    ) -> (u16, String, String) {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: localhost\r\n{headers}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        let status = out.split(' ').nth(1).unwrap().parse().unwrap();
        let (head, body) = out.split_once("\r\n\r\n").unwrap_or((&out, ""));
        (status, head.to_ascii_lowercase(), body.to_string())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        if let Some(dir) = &self.pki_dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}
