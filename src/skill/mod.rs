//! The skill: from a request envelope to a response envelope.
//!
//! An entry point parses the envelope once ([`parse_envelope`]; Lambda,
//! which must read its timestamp first) or hands over typed values it
//! built itself (the command line and its simulator), then calls
//! [`Skill::answer_request`] or [`Skill::handle_request`]: the skill ID is
//! checked, the request routed, and one line logged per request — intent,
//! matched entry, score, latency; never user or device ids, never what the
//! user said. [`Skill::handle_json`] does both steps for JSON (`serve`,
//! `invoke`, tests).

pub mod answer;
mod builtin;
mod event_info;
mod events;
mod offices;
pub mod open_now;
mod question;
pub mod rating;
mod reply;
mod router;
pub mod session;
pub mod texts;
mod turn;
pub mod unanswered;

use std::time::Instant;

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::alexa::request::RequestKind;
use crate::alexa::{RequestEnvelope, ResponseEnvelope};
use crate::knowledge::Knowledge;
use crate::lang::Locale;
pub use answer::{Answer, AskFor, Can, Card, CouldAnswer, FollowUp, TextAnswer};
use turn::Turn;

/// Settings of the skill that do not come from the corpus.
#[derive(Clone, Debug)]
pub struct SkillConfig {
    /// The skill ID requests must carry (`amzn1.ask.skill.…`); `None`
    /// accepts any, which is only for local use.
    pub skill_id: Option<String>,
    /// Seconds a request's timestamp may be from now on Lambda (Amazon's
    /// rule is 150; `AlexaSkillEvent.*` requests get an hour).
    pub timestamp_tolerance_secs: u64,
    /// Log questions the FAQ could not answer, redacted, for the city's
    /// editors (`CITY_SKILL_REPORT_UNANSWERED`; off by default).
    pub report_unanswered: bool,
}

impl Default for SkillConfig {
    fn default() -> Self {
        Self {
            skill_id: None,
            timestamp_tolerance_secs: crate::alexa::request::TIMESTAMP_TOLERANCE_SECS,
            report_unanswered: false,
        }
    }
}

/// Why a request was refused instead of answered.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// The payload is not an Alexa request envelope.
    #[error("not a valid Alexa request envelope: {0}")]
    InvalidRequest(String),
    /// The request is addressed to another skill.
    #[error("skill ID verification failed: the request is not for this skill")]
    SkillIdMismatch,
    /// The request's timestamp is missing or outside the tolerance: a
    /// replayed or delayed request.
    #[error("the request timestamp is missing or too far from now")]
    StaleRequest,
}

impl RequestError {
    /// A stable name for the error, used as Lambda's `errorType`.
    pub fn error_type(&self) -> &'static str {
        match self {
            RequestError::InvalidRequest(_) => "InvalidRequest",
            RequestError::SkillIdMismatch => "SkillIdMismatch",
            RequestError::StaleRequest => "StaleRequest",
        }
    }
}

/// The city skill: knowledge plus configuration. Built once, shared by all
/// requests; handling a request does no I/O.
#[derive(Debug)]
pub struct Skill {
    knowledge: Knowledge,
    config: SkillConfig,
}

impl Skill {
    /// A skill over `knowledge`.
    pub fn new(knowledge: Knowledge, config: SkillConfig) -> Self {
        Self { knowledge, config }
    }

    /// The knowledge the skill answers from.
    pub fn knowledge(&self) -> &Knowledge {
        &self.knowledge
    }

    /// The configuration.
    pub fn config(&self) -> &SkillConfig {
        &self.config
    }

    /// Parses, verifies and answers a request given as JSON, as an Alexa
    /// response envelope.
    ///
    /// `clock` is used only when the request has no usable `timestamp`.
    ///
    /// # Errors
    /// [`RequestError::InvalidRequest`] when the payload is not an envelope;
    /// [`RequestError::SkillIdMismatch`] as [`Skill::answer_request`].
    pub fn handle_json(
        &self,
        payload: &Value,
        clock: DateTime<Utc>,
    ) -> Result<ResponseEnvelope, RequestError> {
        self.handle_request(&parse_envelope(payload)?, clock)
    }

    /// Verifies and answers a parsed request, as an Alexa response envelope.
    ///
    /// # Errors
    /// As [`Skill::answer_request`].
    pub fn handle_request(
        &self,
        env: &RequestEnvelope,
        clock: DateTime<Utc>,
    ) -> Result<ResponseEnvelope, RequestError> {
        self.answer_request(env, clock).map(|a| a.to_alexa())
    }

    /// Verifies and answers a parsed request, as an [`Answer`] for any
    /// channel to render; logs the request's line. `clock` is used only
    /// when the request has no `timestamp`.
    ///
    /// # Errors
    /// [`RequestError::SkillIdMismatch`] when a skill ID is configured and
    /// the request carries another (or none).
    pub fn answer_request(
        &self,
        env: &RequestEnvelope,
        clock: DateTime<Utc>,
    ) -> Result<Answer, RequestError> {
        let started = Instant::now();
        if let Some(expected) = &self.config.skill_id {
            if env.application_id() != Some(expected.as_str()) {
                tracing::warn!(
                    request_type = %env.request.request_type,
                    "refused: skill ID does not match"
                );
                return Err(RequestError::SkillIdMismatch);
            }
        }
        let answer = self.answer(env, env.request.timestamp.unwrap_or(clock));
        let intent = match &env.request.kind {
            RequestKind::Intent(ir) | RequestKind::CanFulfillIntent(ir) => ir.intent.name.as_str(),
            _ => "",
        };
        let locale = Locale::from_tag(env.request.locale.as_deref()).tag();
        let basis = &answer.basis;
        tracing::info!(
            request_type = %env.request.request_type,
            intent,
            locale,
            matched = basis.matched.as_deref().unwrap_or(""),
            score = basis.score.map(|s| (s * 1000.0).round() / 1000.0),
            latency_us = started.elapsed().as_micros() as u64,
            "handled"
        );
        if let (true, Some((question, outcome))) =
            (self.config.report_unanswered, &basis.unanswered)
        {
            let best = basis.matched.as_deref().zip(basis.score);
            unanswered::log(question, *outcome, locale, best);
        }
        Ok(answer)
    }

    /// Answers a parsed request at instant `now`, unverified and unlogged.
    fn answer(&self, env: &RequestEnvelope, now: DateTime<Utc>) -> Answer {
        let locale = Locale::from_tag(env.request.locale.as_deref());
        let session = session::Session::from(env.session_attributes());
        let turn = self.turn(locale, now, !env.is_new_session(), &session);
        let answer = match &env.request.kind {
            RequestKind::Launch => router::launch(&turn),
            RequestKind::Intent(ir) => router::intent(&turn, &ir.intent),
            RequestKind::CanFulfillIntent(ir) => router::can_fulfill(&turn, &ir.intent),
            RequestKind::SessionEnded(se) => {
                tracing::info!(
                    reason = se.reason.map_or("", |r| r.as_str()),
                    error_type = se.error.as_ref().map_or("", |e| e.error_type.as_str()),
                    "session ended"
                );
                Answer::new()
            }
            RequestKind::ExceptionEncountered(ex) => {
                tracing::warn!(
                    error_type = ex.error.as_ref().map_or("", |e| e.error_type.as_str()),
                    "Alexa reported an error with an earlier response"
                );
                Answer::new()
            }
            RequestKind::Other => router::unknown(&turn),
        };
        remember_speech(answer)
    }

    /// The way out when the skill does not know, in `locale` at `now`
    /// ("Die Behördennummer 115 hilft dir weiter, …"): for channels that
    /// must say it alongside an answer of their own (Wyoming's
    /// `not-handled`). Empty when the corpus names no hotline.
    pub fn hotline(&self, locale: Locale, now: DateTime<Utc>) -> crate::lang::speech::Speech {
        let session = session::Session::default();
        reply::hotline(&self.turn(locale, now, false, &session))
    }

    /// What a handler knows of a turn in `locale` at `now`.
    fn turn<'a>(
        &'a self,
        locale: Locale,
        now: DateTime<Utc>,
        in_session: bool,
        session: &'a session::Session,
    ) -> Turn<'a> {
        let tz = self.knowledge.city().timezone;
        Turn {
            k: &self.knowledge,
            lang: locale.lang(),
            now,
            local_now: now.with_timezone(&tz).naive_local(),
            today: now.with_timezone(&tz).date_naive(),
            in_session,
            session,
        }
    }
}

/// Keeps what was said in an open turn in the session, for
/// AMAZON.RepeatIntent, unless it would make the attributes large.
fn remember_speech(mut answer: Answer) -> Answer {
    if !answer.keeps_session() || answer.speech.is_empty() {
        return answer;
    }
    let text = answer.speech.to_plain();
    if text.len() <= session::MAX_REPEAT_BYTES {
        answer.session.last_speech = Some(text);
    }
    answer
}

/// Parses the envelope, with an error message that names what is wrong
/// without echoing request content (which may contain what a user said).
///
/// # Errors
/// [`RequestError::InvalidRequest`] when the payload is not an envelope.
pub fn parse_envelope(payload: &Value) -> Result<RequestEnvelope, RequestError> {
    let invalid = |m: &str| RequestError::InvalidRequest(m.to_string());
    let obj = payload
        .as_object()
        .ok_or_else(|| invalid("the payload is not a JSON object"))?;
    let request = obj
        .get("request")
        .and_then(Value::as_object)
        .ok_or_else(|| invalid("`request` is missing or not an object"))?;
    if !request.get("type").is_some_and(Value::is_string) {
        return Err(invalid("`request.type` is missing or not a string"));
    }
    <RequestEnvelope as serde::Deserialize>::deserialize(payload).map_err(|e| {
        let what = match e.classify() {
            serde_json::error::Category::Data => {
                "a field has the wrong type or a required field is missing"
            }
            _ => "the JSON is malformed",
        };
        invalid(what)
    })
}
