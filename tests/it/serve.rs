//! `city-skill serve`, the real binary on 127.0.0.1: it answers Alexa
//! envelopes over HTTP, reports health, refuses bad bodies with 400, stops
//! cleanly on SIGTERM, and verifies requests unless told it is a
//! development setup.

use std::process::Command;

pub(crate) use crate::server::Server;

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
fn serve_verifies_by_default_and_refuses_unsigned_or_wrongly_signed_requests_with_400() {
    let server = Server::start_with(&[]);
    let envelope = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/launch.json"
    ))
    .unwrap();
    let (status, body) = server.request("POST", "/", &envelope);
    assert_eq!(
        (status, body.as_str()),
        (400, "the SignatureCertChainUrl header is missing\n")
    );
    let (status, body) = server.request_with(
        "POST",
        "/",
        "SignatureCertChainUrl: https://evil.example.com/echo.api/cert.pem\r\nSignature-256: AAAA\r\n",
        &envelope,
    );
    assert_eq!(status, 400);
    assert!(
        body.contains("SignatureCertChainUrl is not allowed"),
        "{body}"
    );
    let (status, body) = server.request_with(
        "POST",
        "/",
        "SignatureCertChainUrl: https://s3.amazonaws.com/echo.api/echo-api-cert.pem\r\n",
        &envelope,
    );
    assert_eq!(
        (status, body.as_str()),
        (400, "the Signature-256 header is missing\n")
    );
    assert_eq!(server.request("GET", "/healthz", "").0, 200);
}

#[test]
fn serve_answers_a_correctly_signed_request_and_refuses_a_tampered_one() {
    let server = Server::start_verifying();
    let body = crate::load_client::alexa_body("launch", None);
    let headers = crate::pki::signed_headers(body.as_bytes());
    let (status, answer) = server.request_with("POST", "/", &headers, &body);
    assert_eq!(status, 200, "{answer}");
    assert!(answer.contains("\"outputSpeech\""), "{answer}");
    let tampered = body.replace("LaunchRequest", "LaunchRequesT");
    let (status, answer) = server.request_with("POST", "/", &headers, &tampered);
    assert_eq!(
        (status, answer.as_str()),
        (400, "the request signature does not match the body\n")
    );
}

/// A launch request signed as Amazon would, stamped `age_secs` ago.
fn signed_launch(age_secs: i64) -> (String, String) {
    let mut v: serde_json::Value =
        serde_json::from_str(&crate::load_client::alexa_body("launch", None)).unwrap();
    let then = chrono::Utc::now() - chrono::Duration::seconds(age_secs);
    v["request"]["timestamp"] = then
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        .into();
    let body = v.to_string();
    let headers = crate::pki::signed_headers(body.as_bytes());
    (headers, body)
}

#[test]
fn serve_refuses_a_request_older_than_150_seconds_by_default() {
    let server = Server::start_verifying();
    let (headers, body) = signed_launch(600);
    let (status, answer) = server.request_with("POST", "/", &headers, &body);
    assert_eq!(status, 400, "{answer}");
    assert!(answer.contains("timestamp"), "{answer}");
}

#[test]
fn serve_takes_its_timestamp_tolerance_from_the_setting_as_lambda_does() {
    let server = Server::start_verifying_env(&[("CITY_SKILL_TIMESTAMP_TOLERANCE_SECS", "3600")]);
    let (headers, body) = signed_launch(600);
    let (status, answer) = server.request_with("POST", "/", &headers, &body);
    assert_eq!(status, 200, "{answer}");
    let (headers, body) = signed_launch(7200);
    assert_eq!(server.request_with("POST", "/", &headers, &body).0, 400);
}
