//! The try page: one HTML page (`GET /`) and a small JSON API on the same
//! port, so citizens can try the skill in a browser, by keyboard or voice,
//! and say whether an answer helped (`city-skill try`, `serve --try-page`).
//!
//! The API answers through the same [`Skill`] as Lambda and renders its
//! [`crate::skill::Answer`] with the plain-text renderer. The session lives
//! in the page: each answer returns the session attributes and the page
//! sends them back with the next question, so the server keeps nothing and
//! one tab is one conversation. Text becomes an intent through an
//! [`Understanding`] (the local simulator of Alexa's language model).
//!
//! Limits: bodies over 16 KB get 413, questions are cut at 500 characters,
//! malformed JSON gets 400 with a short reason, and posts from another
//! origin get 403. The page sets no cookie and is served with a
//! Content-Security-Policy that allows only its own script and style.

use std::sync::{Arc, LazyLock};

use base64::Engine as _;
use chrono::{DateTime, Utc};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderMap, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::alexa::request::RequestEnvelope;
use crate::lang::Locale;
use crate::skill::rating::{self, Rating};
use crate::skill::Skill;
use crate::time::clock;

/// The page: HTML, CSS and JavaScript in one file, no build step.
pub const PAGE: &str = include_str!("try_page.html");
/// Largest request body the API reads; a question and its session
/// attributes (Alexa keeps those under 24 KB, the skill under 2 KB) fit.
pub const MAX_BODY_BYTES: usize = 16 * 1024;
/// Longest question answered, in characters; longer ones are cut.
pub const MAX_QUESTION_CHARS: usize = 500;
/// Longest "what did you expect?" comment kept, in characters.
const MAX_EXPECTED_CHARS: usize = 500;

/// Text to an Alexa request envelope: the language understanding a browser
/// channel needs before the skill can answer.
pub trait Understanding: Send + Sync {
    /// The envelope Alexa would send for `text` said in `locale` at `now`,
    /// as turn `turn` of a session that carries `attributes`.
    fn envelope(
        &self,
        text: &str,
        locale: Locale,
        now: DateTime<Utc>,
        turn: u32,
        attributes: &Map<String, Value>,
    ) -> RequestEnvelope;
}

/// The page and its API over one skill.
pub struct TryPage {
    skill: Arc<Skill>,
    understanding: Box<dyn Understanding>,
}

impl std::fmt::Debug for TryPage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TryPage").finish_non_exhaustive()
    }
}

/// What the page sends to ask.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AskRequest {
    /// What the citizen typed or said.
    pub question: String,
    /// `de-DE`, `en-US` or `en-GB` (others as the skill maps them).
    #[serde(default)]
    pub locale: Option<String>,
    /// The session the last answer left, if any.
    #[serde(default)]
    pub session: PageSession,
}

/// The session as the page carries it from answer to question.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
pub struct PageSession {
    /// 0 for a new session.
    #[serde(default)]
    pub turn: u32,
    /// The session attributes of the last answer.
    #[serde(default)]
    pub attributes: Map<String, Value>,
}

/// What the API answers.
#[derive(Debug, Serialize, PartialEq)]
pub struct AskReply {
    /// The question answered (cut to [`MAX_QUESTION_CHARS`]).
    pub question: String,
    /// The locale answered in.
    pub locale: &'static str,
    /// The spoken answer, as text.
    pub speech: String,
    /// Said again after a silence, when the session stays open.
    pub reprompt: Option<String>,
    /// The card, split into its parts.
    pub card: Option<PageCard>,
    /// True when the skill ended the conversation.
    pub ends_session: bool,
    /// The session to send with the next question.
    pub session: PageSession,
    /// What the answer was based on, for a rating.
    pub basis: PageBasis,
}

/// A card as the page shows it.
#[derive(Debug, Serialize, PartialEq)]
pub struct PageCard {
    /// Title line.
    pub title: String,
    /// The text, without the link and source lines.
    pub text: String,
    /// Web addresses on the card.
    pub links: Vec<String>,
    /// Where the facts come from.
    pub source: Option<String>,
}

/// The entry an answer came from and its score.
#[derive(Debug, Default, Serialize, PartialEq)]
pub struct PageBasis {
    /// Office, FAQ entry or event id.
    pub entry: Option<String>,
    /// The matcher's score, for a FAQ match.
    pub score: Option<f64>,
}

/// What the page sends to rate an answer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateRequest {
    /// The question the answer was to.
    pub question: String,
    /// Its locale.
    #[serde(default)]
    pub locale: Option<String>,
    /// The entry of the answer.
    #[serde(default)]
    pub entry: Option<String>,
    /// Its score.
    #[serde(default)]
    pub score: Option<f64>,
    /// Whether it helped.
    pub helpful: bool,
    /// What the citizen expected (optional).
    #[serde(default)]
    pub expected: Option<String>,
}

impl TryPage {
    /// The page over `skill`, reading text with `understanding`.
    pub fn new(skill: Arc<Skill>, understanding: Box<dyn Understanding>) -> Self {
        Self {
            skill,
            understanding,
        }
    }

    /// Answers one question at `now`.
    ///
    /// # Errors
    /// When the skill refuses the envelope (a skill ID mismatch), with the
    /// reason.
    pub fn ask(&self, req: AskRequest, now: DateTime<Utc>) -> Result<AskReply, String> {
        let question = cut(req.question.trim(), MAX_QUESTION_CHARS);
        let locale = Locale::from_tag(req.locale.as_deref());
        let envelope = self.understanding.envelope(
            &question,
            locale,
            now,
            req.session.turn,
            &req.session.attributes,
        );
        let answer = self
            .skill
            .answer_request(&envelope, now)
            .map_err(|e| e.to_string())?;
        let text = answer.to_text();
        let ends_session = !text.is_open();
        Ok(AskReply {
            question,
            locale: locale.tag(),
            speech: text.speech,
            reprompt: text.reprompt,
            card: text.card.map(|(title, body)| card_parts(title, &body)),
            ends_session,
            session: PageSession {
                turn: if ends_session {
                    0
                } else {
                    req.session.turn.saturating_add(1)
                },
                attributes: if ends_session {
                    Map::new()
                } else {
                    answer.session.to_attributes()
                },
            },
            basis: PageBasis {
                entry: answer.basis.matched.clone(),
                score: answer.basis.score.map(|s| (s * 1000.0).round() / 1000.0),
            },
        })
    }

    /// Stores a rating when the operator has switched the report on;
    /// returns whether it was stored.
    pub fn rate(&self, req: RateRequest) -> bool {
        if !self.skill.config().report_unanswered {
            return false;
        }
        rating::log(&Rating {
            question: cut(req.question.trim(), MAX_QUESTION_CHARS),
            locale: Locale::from_tag(req.locale.as_deref()).tag().to_string(),
            entry: req.entry,
            score: req.score,
            helpful: req.helpful,
            expected: cut(
                req.expected.as_deref().unwrap_or("").trim(),
                MAX_EXPECTED_CHARS,
            ),
        })
    }
}

/// The first `max` characters of `s`.
fn cut(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// A card body split into text, links (lines that are a web address) and
/// source (lines that start with "Quelle"/"Source"), so the page can link
/// the addresses and set the source apart.
pub fn card_parts(title: String, body: &str) -> PageCard {
    let (mut text, mut links, mut source) = (Vec::new(), Vec::new(), Vec::new());
    for line in body.lines() {
        let l = line.trim();
        if (l.starts_with("https://") || l.starts_with("http://"))
            && !l.contains(char::is_whitespace)
        {
            links.push(l.to_string());
        } else if l.starts_with("Quelle") || l.starts_with("Source") {
            source.push(l);
        } else {
            text.push(line);
        }
    }
    PageCard {
        title,
        text: text.join("\n").trim().to_string(),
        links,
        source: (!source.is_empty()).then(|| source.join("\n")),
    }
}

/// Whether `method path` belongs to the page.
pub fn claims(method: &Method, path: &str) -> bool {
    matches!(
        (method, path),
        (&Method::GET, "/" | "/favicon.ico") | (&Method::POST, "/api/ask" | "/api/rate")
    )
}

/// The Content-Security-Policy of the page: its own inline script and
/// style by hash, requests only to itself, no frames, no plugins.
static CSP: LazyLock<String> = LazyLock::new(|| {
    let hash = |open: &str, close: &str| {
        let inner = PAGE
            .split_once(open)
            .and_then(|(_, rest)| rest.split_once(close))
            .map_or("", |(inner, _)| inner);
        let digest = ring::digest::digest(&ring::digest::SHA256, inner.as_bytes());
        format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(digest.as_ref())
        )
    };
    format!(
        "default-src 'none'; script-src {}; style-src {}; connect-src 'self'; img-src 'self'; \
         base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        hash("<script>", "</script>"),
        hash("<style>", "</style>")
    )
});

/// Answers a request the page [`claims`].
pub async fn handle(page: &TryPage, req: Request<Incoming>) -> Response<Full<Bytes>> {
    match (req.method(), req.uri().path()) {
        (&Method::GET, "/") => {
            let mut r = reply(StatusCode::OK, "text/html; charset=utf-8", PAGE);
            if let Ok(v) = HeaderValue::from_str(&CSP) {
                r.headers_mut().insert("content-security-policy", v);
            }
            r
        }
        (&Method::GET, _) => reply(StatusCode::NO_CONTENT, "text/plain", ""),
        (_, path) => {
            let path = path.to_string();
            if !same_origin(req.headers()) {
                return error(StatusCode::FORBIDDEN, "cross-origin requests are refused");
            }
            let json = req
                .headers()
                .get(hyper::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.trim_start().starts_with("application/json"));
            if !json {
                return error(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "the body must be application/json",
                );
            }
            let declared = req
                .headers()
                .get(hyper::header::CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok());
            if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
                return error(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "the request body is over 16 KB",
                );
            }
            let body = match Limited::new(req.into_body(), MAX_BODY_BYTES)
                .collect()
                .await
            {
                Ok(b) => b.to_bytes(),
                Err(_) => {
                    return error(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "the request body is over 16 KB",
                    )
                }
            };
            api(page, &path, &body, clock::now())
        }
    }
}

/// The JSON API: `/api/ask` and `/api/rate` with a body already read.
pub fn api(page: &TryPage, path: &str, body: &[u8], now: DateTime<Utc>) -> Response<Full<Bytes>> {
    match path {
        "/api/ask" => match serde_json::from_slice::<AskRequest>(body) {
            Err(e) => error(StatusCode::BAD_REQUEST, reason(&e)),
            Ok(req) => match page.ask(req, now) {
                Ok(answer) => json_reply(StatusCode::OK, &answer),
                Err(e) => error(StatusCode::BAD_REQUEST, &e),
            },
        },
        _ => match serde_json::from_slice::<RateRequest>(body) {
            Err(e) => error(StatusCode::BAD_REQUEST, reason(&e)),
            Ok(req) => {
                let stored = page.rate(req);
                json_reply(StatusCode::OK, &serde_json::json!({ "stored": stored }))
            }
        },
    }
}

/// A short reason for a body that is not the JSON expected, without
/// echoing any of it.
fn reason(e: &serde_json::Error) -> &'static str {
    match e.classify() {
        serde_json::error::Category::Data => "a field is missing, unknown or of the wrong type",
        serde_json::error::Category::Eof => "the JSON ends too early",
        _ => "the body is not valid JSON",
    }
}

/// True unless the browser says the request comes from another site:
/// `Sec-Fetch-Site` other than same-origin (or none, typed by the user),
/// or an `Origin` whose host is not the one asked. Clients that send
/// neither (curl, tests) are not browsers acting for another page.
fn same_origin(headers: &HeaderMap) -> bool {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = get("sec-fetch-site") {
        if site != "same-origin" && site != "none" {
            return false;
        }
    }
    match get("origin") {
        None => true,
        Some(origin) => {
            let host = origin
                .strip_prefix("http://")
                .or_else(|| origin.strip_prefix("https://"));
            host.is_some() && host == get("host")
        }
    }
}

fn reply(status: StatusCode, content_type: &str, body: impl Into<Bytes>) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = status;
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        h.insert(hyper::header::CONTENT_TYPE, v);
    }
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    h.insert("cache-control", HeaderValue::from_static("no-store"));
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("microphone=(self), camera=(), geolocation=()"),
    );
    r
}

fn json_reply(status: StatusCode, value: &impl Serialize) -> Response<Full<Bytes>> {
    match serde_json::to_vec(value) {
        Ok(json) => reply(status, "application/json", json),
        Err(_) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "cannot encode the answer",
        ),
    }
}

fn error(status: StatusCode, message: &str) -> Response<Full<Bytes>> {
    let body = serde_json::json!({ "error": message }).to_string();
    reply(status, "application/json", body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_parts_sets_links_and_source_apart() {
        let c = card_parts(
            "Fundbüro".into(),
            "Montag: 08:00–12:00\nhttps://stadt.muenchen.de\nQuelle: Merkur, 2023",
        );
        assert_eq!(c.text, "Montag: 08:00–12:00");
        assert_eq!(c.links, ["https://stadt.muenchen.de"]);
        assert_eq!(c.source.as_deref(), Some("Quelle: Merkur, 2023"));
    }

    #[test]
    fn cut_keeps_whole_characters() {
        assert_eq!(cut("äöü", 2), "äö");
    }

    #[test]
    fn same_origin_refuses_another_site_and_accepts_its_own() {
        let mut h = HeaderMap::new();
        h.insert("host", HeaderValue::from_static("127.0.0.1:8080"));
        assert!(same_origin(&h));
        h.insert("origin", HeaderValue::from_static("http://127.0.0.1:8080"));
        assert!(same_origin(&h));
        h.insert("origin", HeaderValue::from_static("https://evil.example"));
        assert!(!same_origin(&h));
        h.insert("origin", HeaderValue::from_static("null"));
        assert!(!same_origin(&h));
        h.remove("origin");
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(!same_origin(&h));
    }

    #[test]
    fn csp_names_the_hashes_of_the_page_script_and_style() {
        assert_eq!(CSP.matches("'sha256-").count(), 2, "{}", *CSP);
        assert!(!CSP.contains("unsafe-inline"));
    }
}
