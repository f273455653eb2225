//! The try page's HTTP side on the real binary (`city-skill try --port 0`,
//! `serve --try-page`): the page with a strict policy and no cookie, the
//! JSON API answering through the skill with the session carried by the
//! client, its limits, and ratings in the opt-in report, without anything
//! about the person. The page in a real browser: `browser.rs`.

use serde_json::{json, Value};

use crate::server::Server;

fn try_server(env: &[(&str, &str)]) -> Server {
    Server::start_command(&["try", "--port", "0"], env)
}

/// POSTs `body` as JSON to `path`; the status and the JSON answer.
fn post(server: &Server, path: &str, body: &Value) -> (u16, Value) {
    let (status, text) = server.request("POST", path, &body.to_string());
    let v = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    (status, v)
}

#[test]
fn try_serves_the_page_with_a_strict_content_security_policy_and_no_cookie() {
    let server = try_server(&[]);
    let (status, head, body) = server.exchange("GET", "/", "", "");
    assert_eq!(status, 200);
    assert!(
        head.contains("content-type: text/html; charset=utf-8"),
        "{head}"
    );
    let csp = head
        .lines()
        .find(|l| l.starts_with("content-security-policy:"))
        .unwrap_or_else(|| panic!("no CSP: {head}"));
    assert!(csp.contains("default-src 'none'") && csp.contains("script-src 'sha256-"));
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(!head.contains("set-cookie"), "{head}");
    assert!(!head.contains("access-control-allow-origin"), "{head}");
    for label in [
        "Frage",
        "Sprache",
        "aria-live=\"polite\"",
        "de-DE",
        "en-US",
        "en-GB",
    ] {
        assert!(body.contains(label), "{label} missing from the page");
    }
}

#[test]
fn try_answers_a_follow_up_from_the_session_the_page_sends_back() {
    let server = try_server(&[]);
    let (status, first) = post(
        &server,
        "/api/ask",
        &json!({"question": "Wann hat das Bürgerbüro Pasing offen?", "locale": "de-DE"}),
    );
    assert_eq!(status, 200, "{first}");
    assert!(
        first["speech"].as_str().unwrap().contains("Pasing"),
        "{first}"
    );
    assert_eq!(first["basis"]["entry"], "buergerbuero-pasing");
    assert_eq!(first["ends_session"], false);
    let (_, second) = post(
        &server,
        "/api/ask",
        &json!({"question": "und wo ist das?", "locale": "de-DE", "session": first["session"]}),
    );
    assert!(
        second["speech"]
            .as_str()
            .unwrap()
            .contains("Landsberger Straße"),
        "{second}"
    );
    let (_, without) = post(
        &server,
        "/api/ask",
        &json!({"question": "und wo ist das?", "locale": "de-DE"}),
    );
    assert!(
        !without["speech"]
            .as_str()
            .unwrap()
            .contains("Landsberger Straße"),
        "a new tab knows nothing of another's conversation: {without}"
    );
}

#[test]
fn try_answers_in_english_with_the_card_split_into_text_links_and_source() {
    let server = try_server(&[]);
    let (status, v) = post(
        &server,
        "/api/ask",
        &json!({"question": "where is the lost property office", "locale": "en-GB"}),
    );
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["locale"], "en-GB");
    assert!(
        v["speech"].as_str().unwrap().contains("Implerstraße"),
        "{v}"
    );
    let card = &v["card"];
    assert!(card["title"].as_str().is_some(), "{v}");
    assert!(
        card["links"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l.as_str().unwrap().starts_with("http")),
        "{v}"
    );
}

#[test]
fn try_refuses_a_body_over_16_kb_with_413_and_keeps_answering() {
    let server = try_server(&[]);
    let big = json!({"question": "x".repeat(20 * 1024)}).to_string();
    let (status, body) = server.request("POST", "/api/ask", &big);
    assert_eq!(status, 413, "{body}");
    let (status, v) = post(&server, "/api/ask", &json!({"question": "Hilfe"}));
    assert_eq!(status, 200, "{v}");
}

#[test]
fn try_refuses_malformed_json_with_400_and_a_short_reason() {
    let server = try_server(&[]);
    for bad in ["{\"question\": ", "not json", "{\"question\": 5}", "[]"] {
        let (status, body) = server.request("POST", "/api/ask", bad);
        assert_eq!(status, 400, "{bad}: {body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        let reason = v["error"].as_str().unwrap();
        assert!(
            reason.len() < 80 && !reason.contains("question\": "),
            "{reason}"
        );
    }
    let (status, _) = post(&server, "/api/ask", &json!({"question": "Hilfe"}));
    assert_eq!(status, 200);
}

#[test]
fn try_cuts_questions_over_500_characters() {
    let server = try_server(&[]);
    let long = format!("Reisepass {}", "sehr ".repeat(200));
    let (status, v) = post(&server, "/api/ask", &json!({ "question": long }));
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["question"].as_str().unwrap().chars().count(), 500);
}

#[test]
fn try_refuses_posts_from_another_origin_and_allows_no_other_origin() {
    let server = try_server(&[]);
    let body = json!({"question": "Hilfe"}).to_string();
    let (status, head, _) = server.exchange(
        "POST",
        "/api/ask",
        "Origin: https://evil.example\r\n",
        &body,
    );
    assert_eq!(status, 403);
    assert!(!head.contains("access-control-allow-origin"), "{head}");
    let (status, _, _) = server.exchange(
        "POST",
        "/api/rate",
        "Sec-Fetch-Site: cross-site\r\n",
        &json!({"question": "x", "helpful": true}).to_string(),
    );
    assert_eq!(status, 403);
    let (status, _, _) = server.exchange("POST", "/api/ask", "Origin: http://localhost\r\n", &body);
    assert_eq!(status, 200, "its own origin is welcome");
    let (status, _, _) = server.exchange("POST", "/api/ask", "Content-Type: text/plain\r\n", &body);
    assert_eq!(status, 415, "a form post is no JSON request");
}

#[test]
fn try_offers_no_alexa_endpoint_and_serve_offers_the_page_only_when_asked() {
    let tried = try_server(&[]);
    let envelope = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/launch.json"
    ))
    .unwrap();
    assert_eq!(tried.request("POST", "/", &envelope).0, 404);
    let with_page = Server::start_with(&["--insecure-skip-verify", "--try-page"]);
    assert_eq!(with_page.request("GET", "/", "").0, 200);
    assert_eq!(with_page.request("POST", "/", &envelope).0, 200);
    let (status, _) = post(&with_page, "/api/ask", &json!({"question": "Hilfe"}));
    assert_eq!(status, 200);
    let plain = Server::start();
    assert_eq!(plain.request("GET", "/", "").0, 404);
    assert_eq!(plain.request("POST", "/api/ask", "{}").0, 400);
}

/// What a browser would send about the person; none of it may be stored.
const USER_AGENT: &str = "Mozilla/5.0 SecretAgent/7.7";
const COOKIE: &str = "tracker=SECRETCOOKIE77";
const FORWARDED: &str = "203.0.113.77";

#[test]
fn ratings_are_stored_without_ip_user_agent_or_cookie_and_appear_in_report_and_report_html() {
    let server = try_server(&[("CITY_SKILL_REPORT_UNANSWERED", "1")]);
    let person =
        format!("User-Agent: {USER_AGENT}\r\nCookie: {COOKIE}\r\nX-Forwarded-For: {FORWARDED}\r\n");
    let ask = |q: &str| {
        let (status, head, body) = server.exchange(
            "POST",
            "/api/ask",
            &person,
            &json!({"question": q, "locale": "de-DE"}).to_string(),
        );
        assert_eq!(status, 200, "{body}");
        assert!(!head.contains("set-cookie"), "{head}");
        serde_json::from_str::<Value>(&body).unwrap()
    };
    let rate = |answer: &Value, helpful: bool, expected: &str| {
        let rating = json!({"question": answer["question"], "locale": "de-DE",
            "entry": answer["basis"]["entry"], "score": answer["basis"]["score"],
            "helpful": helpful, "expected": expected});
        let (status, head, body) =
            server.exchange("POST", "/api/rate", &person, &rating.to_string());
        assert_eq!(status, 200, "{body}");
        assert!(!head.contains("set-cookie"), "{head}");
        assert_eq!(
            serde_json::from_str::<Value>(&body).unwrap()["stored"],
            true
        );
    };
    let office = ask("Wann hat das Bürgerbüro Pasing offen?");
    rate(&office, true, "");
    let passport = ask("Wie beantrage ich einen Reisepass?");
    rate(&passport, false, "Ich wollte die Gebühr wissen");
    rate(&passport, false, "Ich wollte die Gebühr wissen");
    let own = server.addr.clone();
    let (logs, errors) = server.stop();

    // The client's address is 127.0.0.1 too: only the server's own
    // address, which it logs when it starts, may name it.
    let (logs_, errors_) = (logs.replace(&own, "SERVER"), errors.replace(&own, "SERVER"));
    for secret in [
        USER_AGENT,
        "SecretAgent",
        COOKIE,
        "SECRETCOOKIE",
        FORWARDED,
        "127.0.0.1",
    ] {
        assert!(
            !logs_.contains(secret),
            "{secret:?} reached the log:\n{logs}"
        );
        assert!(!errors_.contains(secret), "{secret:?} on stderr:\n{errors}");
    }
    let ratings: Vec<Value> = logs
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["fields"]["message"] == "rating")
        .collect();
    assert_eq!(ratings.len(), 3, "{logs}");
    let first = &ratings[0]["fields"];
    assert_eq!(first["entry"], "buergerbuero-pasing");
    assert_eq!(first["locale"], "de-DE");
    assert_eq!(first["helpful"], true);
    assert!(
        first["question"].as_str().unwrap().contains("pasing"),
        "{first}"
    );
    let allowed = [
        "message", "question", "locale", "entry", "score", "helpful", "expected",
    ];
    for r in &ratings {
        for key in r["fields"].as_object().unwrap().keys() {
            assert!(
                allowed.contains(&key.as_str()),
                "unexpected field {key}: {r}"
            );
        }
    }

    let dir = std::env::temp_dir().join(format!("city-skill-ratings-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (log_file, html_file) = (dir.join("logs.jsonl"), dir.join("report.html"));
    std::fs::write(&log_file, &logs).unwrap();
    let out = crate::helpers::run_bin(
        &[
            "report",
            log_file.to_str().unwrap(),
            "--html",
            html_file.to_str().unwrap(),
        ],
        None,
    );
    let html = std::fs::read_to_string(&html_file).unwrap_or_default();
    let _ = std::fs::remove_dir_all(&dir);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pasing = text
        .lines()
        .find(|l| l.ends_with("buergerbuero-pasing"))
        .unwrap_or_else(|| panic!("no row for the office:\n{text}"));
    let numbers: Vec<&str> = pasing.split_whitespace().take(3).collect();
    assert_eq!(
        numbers,
        ["1", "1", "0"],
        "asked, helpful, not helpful: {text}"
    );
    let entry = passport["basis"]["entry"].as_str().unwrap();
    let row = text
        .lines()
        .find(|l| l.ends_with(entry))
        .unwrap_or_else(|| panic!("no row for {entry}:\n{text}"));
    let numbers: Vec<&str> = row.split_whitespace().take(3).collect();
    assert_eq!(numbers, ["1", "0", "2"], "{text}");
    assert!(
        text.contains("expected (2×): ich wollte die gebuehr wissen"),
        "{text}"
    );
    assert!(
        text.contains("3 ratings (1 helpful, 2 not helpful)"),
        "{text}"
    );
    assert!(html.contains("<h3>buergerbuero-pasing</h3>"), "{html}");
    assert!(
        html.contains("ich wollte die gebuehr wissen (2×)"),
        "{html}"
    );
    assert!(
        html.contains("class=\"bar not\" style=\"width: 100.0%\""),
        "{html}"
    );
    for secret in ["SecretAgent", "SECRETCOOKIE", FORWARDED] {
        assert!(!text.contains(secret) && !html.contains(secret));
    }
}
