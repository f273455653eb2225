//! Privacy by design, checked on the real binary: whole conversations in
//! German and English, over Lambda and over `serve`, with every id and
//! token Alexa sends filled in, and the logs captured. By default no id, no
//! token and no word the citizen said reaches a log. With the opt-in report
//! of unanswered questions, only questions the FAQ rejected or doubted
//! appear, redacted, and `city-skill report` counts them.

use chrono::{SecondsFormat, Utc};
use serde_json::{json, Value};

use crate::runtime_api::{ids, lambda_id, run_lambda_env, Run};
use crate::serve::Server;

const USER_ID: &str = "amzn1.ask.account.SECRETUSERID0001";
const DEVICE_ID: &str = "amzn1.ask.device.SECRETDEVICEID0001";
const PERSON_ID: &str = "amzn1.ask.person.SECRETPERSONID0001";
const API_TOKEN: &str = "eyJ0eXAiOiJKV1QiSECRETAPITOKEN";
const USER_TOKEN: &str = "Atza|SECRETUSERACCESSTOKEN";
const PERSON_TOKEN: &str = "Atza|SECRETPERSONACCESSTOKEN";
const SESSION_ID: &str = "amzn1.echo-api.session.SECRETSESSIONID";

/// Every id and token, and the marker all of them share.
const SECRETS: [&str; 8] = [
    USER_ID,
    DEVICE_ID,
    PERSON_ID,
    API_TOKEN,
    USER_TOKEN,
    PERSON_TOKEN,
    SESSION_ID,
    "SECRET",
];

/// The phone number a citizen dictates into an unanswerable question.
const PHONE: &str = "0176 5550123";

/// A German conversation: an office, a doubted question and its choice, an
/// answered question, a rejected one carrying a name and a phone number.
fn german() -> Vec<Value> {
    vec![
        launch("de-DE"),
        intent(
            "de-DE",
            "OfficeHoursIntent",
            json!({ "office": slot("office", "Bürgerbüro Ruppertstraße") }),
        ),
        question("de-DE", "Ich brauche etwas für mein Auto"),
        intent("de-DE", "AMAZON.YesIntent", json!({})),
        question("de-DE", "Wohnung anmelden"),
        question(
            "de-DE",
            &format!("Wie melde ich meinen Drachen Quirinus an, meine Nummer ist {PHONE}"),
        ),
        intent("de-DE", "AMAZON.StopIntent", json!({})),
        session_ended("de-DE"),
    ]
}

/// An English conversation: a doubted question declined, a doubted one
/// carrying a name and a phone number, events, help and a fallback.
fn english() -> Vec<Value> {
    vec![
        launch("en-US"),
        question("en-US", "something about my car"),
        intent("en-US", "AMAZON.NoIntent", json!({})),
        question(
            "en-US",
            &format!("where do I register my pet dragon Quirinus call me at {PHONE}"),
        ),
        intent(
            "en-US",
            "EventsIntent",
            json!({ "date": slot("date", "2026-W49-WE") }),
        ),
        intent("en-US", "AMAZON.FallbackIntent", json!({})),
        intent("en-US", "AMAZON.HelpIntent", json!({})),
        intent("en-US", "AMAZON.CancelIntent", json!({})),
    ]
}

/// Words of the utterances that must never be logged by default. (Words
/// that are also entry ids, such as "anmeldung", are left out: the matched
/// id is logged on purpose.)
const SAID: [&str; 10] = [
    "Ruppertstraße",
    "brauche",
    "Auto",
    "Wohnung",
    "Drachen",
    "dragon",
    "Quirinus",
    "Nummer",
    "5550123",
    "0176",
];

fn slot(name: &str, value: &str) -> Value {
    json!({ "name": name, "value": value, "confirmationStatus": "NONE", "source": "USER" })
}

fn launch(locale: &str) -> Value {
    json!({ "type": "LaunchRequest", "locale": locale })
}

fn session_ended(locale: &str) -> Value {
    json!({ "type": "SessionEndedRequest", "locale": locale, "reason": "USER_INITIATED" })
}

fn question(locale: &str, said: &str) -> Value {
    intent(
        locale,
        "QuestionIntent",
        json!({ "query": slot("query", said) }),
    )
}

fn intent(locale: &str, name: &str, slots: Value) -> Value {
    json!({
        "type": "IntentRequest",
        "locale": locale,
        "dialogState": "COMPLETED",
        "intent": { "name": name, "confirmationStatus": "NONE", "slots": slots }
    })
}

/// `request` in a full envelope with every id and token Alexa can send.
fn envelope(n: usize, new: bool, attributes: &Value, request: &Value) -> Value {
    let mut request = request.clone();
    request["requestId"] = json!(format!("amzn1.echo-api.request.privacy-{n}"));
    request["timestamp"] = json!(Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true));
    let app = json!({ "applicationId": "amzn1.ask.skill.privacy-test" });
    json!({
        "version": "1.0",
        "session": {
            "new": new,
            "sessionId": SESSION_ID,
            "application": app,
            "attributes": attributes,
            "user": { "userId": USER_ID, "accessToken": USER_TOKEN }
        },
        "context": {
            "System": {
                "application": app,
                "user": { "userId": USER_ID, "accessToken": USER_TOKEN },
                "person": { "personId": PERSON_ID, "accessToken": PERSON_TOKEN },
                "device": { "deviceId": DEVICE_ID, "supportedInterfaces": {} },
                "apiEndpoint": "https://api.eu.amazonalexa.com",
                "apiAccessToken": API_TOKEN
            }
        },
        "request": request
    })
}

/// Talks `turns` to `server`, carrying the session attributes of each
/// answer into the next request as Alexa does; returns the envelopes sent.
fn converse(server: &Server, turns: &[Value]) -> Vec<Value> {
    let mut sent = Vec::new();
    let (mut new, mut attributes) = (true, json!({}));
    for (n, turn) in turns.iter().enumerate() {
        let env = envelope(n, new, &attributes, turn);
        let (status, body) = server.request("POST", "/", &env.to_string());
        assert_eq!(status, 200, "turn {n}: {body}");
        let response: Value = serde_json::from_str(&body).expect("a JSON response");
        let ended = response["response"]["shouldEndSession"] != json!(false);
        attributes = match response.get("sessionAttributes") {
            Some(a) if !ended => a.clone(),
            _ => json!({}),
        };
        new = ended;
        sent.push(env);
    }
    sent
}

/// Both conversations over `serve`, with `env`; the envelopes sent and the
/// logs.
fn over_serve(env: &[(&str, &str)]) -> (Vec<Value>, String) {
    let server = Server::start_env(&["--insecure-skip-verify"], env);
    let mut sent = converse(&server, &german());
    sent.extend(converse(&server, &english()));
    let (stdout, stderr) = server.stop();
    (sent, format!("{stdout}{stderr}"))
}

/// The same envelopes, replayed as Lambda invocations.
fn over_lambda(sent: &[Value], test: u32, env: &[(&str, &str)]) -> String {
    let invocations: Vec<(String, Vec<u8>)> = sent
        .iter()
        .enumerate()
        .map(|(n, e)| (lambda_id(test, n as u32), e.to_string().into_bytes()))
        .collect();
    let expected = ids(&invocations);
    let run: Run = run_lambda_env(invocations, None, "1000000000", env);
    run.assert_ended_when_queue_ran_out(&expected);
    format!("{}{}", run.stdout, run.stderr)
}

fn assert_no_secrets(where_: &str, logs: &str) {
    for secret in SECRETS {
        assert!(
            !logs.contains(secret),
            "{where_}: {secret} was logged:\n{logs}"
        );
    }
}

fn assert_nothing_said(where_: &str, logs: &str) {
    let lower = logs.to_lowercase();
    for word in SAID {
        assert!(
            !lower.contains(&word.to_lowercase()),
            "{where_}: the citizen's word {word:?} was logged:\n{logs}"
        );
    }
}

/// The `"unanswered question"` lines of `logs`, parsed.
fn unanswered(logs: &str) -> Vec<Value> {
    logs.lines()
        .filter(|l| l.contains(city_skill::skill::unanswered::MESSAGE))
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn default_logs_carry_no_id_token_or_utterance_over_serve_and_lambda() {
    let (sent, serve_logs) = over_serve(&[]);
    assert!(
        serve_logs.contains("QuestionIntent") && serve_logs.contains("anmeldung"),
        "the log should still say which intent and entry answered:\n{serve_logs}"
    );
    assert_no_secrets("serve", &serve_logs);
    assert_nothing_said("serve", &serve_logs);
    assert!(unanswered(&serve_logs).is_empty(), "{serve_logs}");

    let lambda_logs = over_lambda(&sent, 21, &[]);
    assert!(lambda_logs.contains("QuestionIntent"), "{lambda_logs}");
    assert_no_secrets("lambda", &lambda_logs);
    assert_nothing_said("lambda", &lambda_logs);
    assert!(unanswered(&lambda_logs).is_empty(), "{lambda_logs}");
}

#[test]
fn the_opt_in_report_logs_only_unanswered_questions_redacted_and_report_counts_them() {
    let on = [("CITY_SKILL_REPORT_UNANSWERED", "1")];
    let (sent, serve_logs) = over_serve(&on);
    let lambda_logs = over_lambda(&sent, 22, &on);
    for (where_, logs) in [("serve", &serve_logs), ("lambda", &lambda_logs)] {
        assert_no_secrets(where_, logs);
        let lines = unanswered(logs);
        let questions: Vec<(&str, &str)> = lines
            .iter()
            .map(|l| {
                let fields = l.get("fields").unwrap_or(l);
                (
                    fields["question"].as_str().unwrap_or_default(),
                    fields["outcome"].as_str().unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(
            questions,
            [
                ("ich brauche etwas fuer mein auto", "doubted"),
                (
                    "wie melde ich meinen drachen quirinus an meine nummer ist #### #######",
                    "rejected"
                ),
                ("something about my car", "doubted"),
                // The encoder hears a pet in it: "Meinst du: dog tax?"
                (
                    "where do i register my pet dragon quirinus call me at #### #######",
                    "doubted"
                ),
            ],
            "{where_}:\n{logs}"
        );
        // Answered questions and office names never appear; digits nowhere.
        let lower = logs.to_lowercase();
        for word in ["wohnung", "ruppertstraße", "5550123", "0176"] {
            assert!(!lower.contains(word), "{where_}: {word:?} logged:\n{logs}");
        }
    }

    let dir = std::env::temp_dir().join(format!("city-skill-privacy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("logs.jsonl");
    std::fs::write(&file, format!("{serve_logs}{lambda_logs}")).unwrap();
    let out = crate::helpers::run_bin(&["report", file.to_str().unwrap()], None);
    let _ = std::fs::remove_dir_all(&dir);
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{table}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let row = table
        .lines()
        .find(|l| l.contains("melde ich meinen drachen quirinus an"))
        .unwrap_or_else(|| panic!("the rejected question is not in the report:\n{table}"));
    assert!(
        row.contains('2') && row.contains("de-DE"),
        "asked twice (serve and Lambda), in German: {row}\n{table}"
    );
    assert!(
        !table.contains("SECRET") && !table.contains("5550123"),
        "{table}"
    );
}
