//! The remote events feed against a real HTTP server on 127.0.0.1 that
//! the test controls: a good feed, then failures of every kind (error
//! status, too slow, too big, not a calendar, unreachable), each of which
//! keeps the last good copy; and the first answer never waits for it.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use chrono_tz::Europe::Berlin;
use city_skill::config::Settings;
use city_skill::knowledge::feed::{Feed, FeedConfig, FeedError};
use city_skill::knowledge::Knowledge;
use city_skill::startup::{build_skill, FeedStart};

use crate::helpers::{fixture, speech};

const FEED: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//feed//DE\r\n\
BEGIN:VEVENT\r\nUID:feed-1@test\r\nDTSTAMP:20260101T000000Z\r\n\
DTSTART;TZID=Europe/Berlin:20261128T190000\r\nDTEND;TZID=Europe/Berlin:20261128T210000\r\n\
SUMMARY:Feed-Konzert im Rathaus\r\nCATEGORIES:Konzerte\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

/// What the server does with the next request.
#[derive(Clone, Copy)]
enum Mode {
    Good = 0,
    ServerError = 1,
    Slow = 2,
    TooBig = 3,
    NotCalendar = 4,
    /// Waits for the test's go-ahead, then serves the good feed.
    Gated = 5,
}

struct Server {
    url: String,
    mode: Arc<AtomicUsize>,
    gate: Sender<()>,
}

impl Server {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/events.ics", listener.local_addr().unwrap());
        let mode = Arc::new(AtomicUsize::new(Mode::Good as usize));
        let (gate, wait): (Sender<()>, Receiver<()>) = channel();
        let wait = Arc::new(Mutex::new(wait));
        let m = Arc::clone(&mode);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let m = m.load(Ordering::SeqCst);
                let wait = Arc::clone(&wait);
                std::thread::spawn(move || serve(stream, m, &wait));
            }
        });
        Self { url, mode, gate }
    }

    fn set(&self, mode: Mode) {
        self.mode.store(mode as usize, Ordering::SeqCst);
    }
}

fn serve(mut s: TcpStream, mode: usize, wait: &Mutex<Receiver<()>>) {
    let mut buf = [0u8; 4096];
    let _ = s.read(&mut buf);
    let reply = |s: &mut TcpStream, status: &str, body: &[u8]| {
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: text/calendar\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        let _ = s.write_all(head.as_bytes());
        let _ = s.write_all(body);
    };
    match mode {
        1 => reply(&mut s, "500 Internal Server Error", b"oops"),
        2 => {
            std::thread::sleep(Duration::from_secs(5));
            reply(&mut s, "200 OK", FEED.as_bytes());
        }
        3 => reply(&mut s, "200 OK", &vec![b'x'; 300_000]),
        4 => reply(&mut s, "200 OK", b"<html>not a calendar</html>"),
        5 => {
            let _ = wait.lock().unwrap().recv_timeout(Duration::from_secs(20));
            reply(&mut s, "200 OK", FEED.as_bytes());
        }
        _ => reply(&mut s, "200 OK", FEED.as_bytes()),
    }
}

fn config(url: &str) -> FeedConfig {
    FeedConfig {
        url: url.to_string(),
        refresh: Duration::from_millis(200),
        timeout: Duration::from_millis(700),
        max_bytes: 100_000,
        ca_pem: None,
    }
}

fn saturday() -> (DateTime<Utc>, DateTime<Utc>) {
    (
        "2026-11-28T00:00:00Z".parse().unwrap(),
        "2026-11-29T00:00:00Z".parse().unwrap(),
    )
}

fn has_feed_event(k: &Knowledge) -> bool {
    let (from, to) = saturday();
    k.events_between(from, to)
        .iter()
        .any(|e| e.uid == "feed-1@test")
}

#[test]
fn a_good_feed_joins_its_events_to_the_corpus_calendars() {
    let server = Server::start();
    let feed = Arc::new(Feed::new(config(&server.url), Berlin).unwrap());
    assert_eq!(feed.refresh().unwrap(), (1, 0));
    let k = Knowledge::embedded().unwrap().with_feed(feed);
    assert!(has_feed_event(&k));
    let (from, to) = saturday();
    assert!(k
        .events_between(from, to)
        .iter()
        .any(|e| e.entry.as_deref() == Some("christkindlmarkt")));
}

#[test]
fn every_kind_of_failed_refresh_keeps_the_last_good_copy() {
    let server = Server::start();
    let feed = Arc::new(Feed::new(config(&server.url), Berlin).unwrap());
    feed.refresh().unwrap();
    let k = Knowledge::embedded().unwrap().with_feed(Arc::clone(&feed));
    for (mode, what) in [
        (Mode::ServerError, "error status"),
        (Mode::Slow, "timeout"),
        (Mode::TooBig, "size limit"),
        (Mode::NotCalendar, "not a calendar"),
    ] {
        server.set(mode);
        let started = Instant::now();
        let err = feed.refresh().expect_err(what);
        match (mode, &err) {
            (Mode::TooBig, FeedError::TooLarge(100_000)) => {}
            (Mode::NotCalendar, FeedError::NotCalendar(_)) => {}
            (Mode::ServerError | Mode::Slow, FeedError::Fetch(_)) => {}
            _ => panic!("{what}: unexpected {err}"),
        }
        // The slow server answers after 5 s; the fetch gave up long before.
        assert!(
            started.elapsed() < Duration::from_secs(4),
            "{what} took {:?}",
            started.elapsed()
        );
        assert!(has_feed_event(&k), "{what} lost the last good copy");
    }
}

#[test]
fn an_unreachable_feed_is_an_error_and_nothing_else() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let feed = Feed::new(
        config(&format!("http://127.0.0.1:{port}/events.ics")),
        Berlin,
    )
    .unwrap();
    assert!(matches!(feed.refresh(), Err(FeedError::Fetch(_))));
    assert!(feed.events().is_empty());
}

#[test]
fn the_first_answer_does_not_wait_for_the_feed_which_arrives_in_the_background() {
    let server = Server::start();
    server.set(Mode::Gated);
    let settings = Settings {
        events_url: Some(server.url.clone()),
        events_refresh_secs: Some(1),
        ..Settings::default()
    };
    // The server holds its answer until the test releases it.
    let skill = build_skill(&settings, FeedStart::Background).unwrap();
    let now: DateTime<Utc> = "2026-11-25T09:00:00Z".parse().unwrap();
    let office = skill
        .handle_json(&fixture("office_hours.json"), now)
        .unwrap();
    assert!(
        speech(&office).contains("Ruppertstraße"),
        "{}",
        speech(&office)
    );
    assert!(!has_feed_event(skill.knowledge()));
    server.gate.send(()).unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !has_feed_event(skill.knowledge()) {
        assert!(Instant::now() < deadline, "the feed never arrived");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn ask_uses_the_feed_and_answers_offices_without_one() {
    let server = Server::start();
    let out = std::process::Command::new(crate::helpers::bin())
        .args([
            "ask",
            "--time",
            "2026-11-25T09:00:00+01:00",
            "welche Konzerte gibt es am Wochenende",
        ])
        .env("CITY_SKILL_EVENTS_URL", &server.url)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Feed-Konzert im Rathaus"), "{text}");
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = std::process::Command::new(crate::helpers::bin())
        .args([
            "ask",
            "--time",
            "2026-11-25T09:00:00+01:00",
            "Hat das Bürgerbüro Ruppertstraße offen?",
        ])
        .env(
            "CITY_SKILL_EVENTS_URL",
            format!("http://127.0.0.1:{port}/events.ics"),
        )
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("hat jetzt geöffnet"));
}

/// An HTTPS server on 127.0.0.1 with a certificate from a CA made here;
/// returns the feed's address and the CA's PEM.
fn https_server() -> (String, String) {
    use rcgen::{
        BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair, KeyUsagePurpose,
    };
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["127.0.0.1".to_string()])
        .unwrap()
        .signed_by(&leaf_key, &ca)
        .unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = Arc::new(
        rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(
                vec![leaf.der().clone()],
                rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into()),
            )
            .unwrap(),
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("https://{}/events.ics", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for tcp in listener.incoming().flatten() {
            let tls = Arc::clone(&tls);
            std::thread::spawn(move || {
                let conn = rustls::ServerConnection::new(tls).unwrap();
                let mut s = rustls::StreamOwned::new(conn, tcp);
                let mut buf = [0u8; 4096];
                if s.read(&mut buf).is_err() {
                    return; // a client that refused our certificate
                }
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    FEED.len()
                );
                let _ = s.write_all(head.as_bytes());
                let _ = s.write_all(FEED.as_bytes());
                s.conn.send_close_notify();
                let _ = s.flush();
            });
        }
    });
    (url, ca.pem())
}

#[test]
fn an_https_feed_loads_when_its_authority_is_trusted_and_not_otherwise() {
    let (url, ca) = https_server();
    let trusted = Feed::new(
        FeedConfig {
            ca_pem: Some(ca.into_bytes()),
            ..config(&url)
        },
        Berlin,
    )
    .unwrap();
    assert_eq!(trusted.refresh().unwrap(), (1, 0));
    // The public roots do not know the test's CA.
    let public = Feed::new(config(&url), Berlin).unwrap();
    assert!(matches!(public.refresh(), Err(FeedError::Fetch(_))));
    assert!(public.events().is_empty());
}

#[test]
fn a_ca_file_without_certificates_is_a_configuration_error() {
    let err = Feed::new(
        FeedConfig {
            ca_pem: Some(b"not pem".to_vec()),
            ..config("https://127.0.0.1:1/")
        },
        Berlin,
    )
    .unwrap_err();
    assert!(matches!(err, FeedError::Certificates(_)), "{err}");
}
