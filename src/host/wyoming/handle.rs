//! What the Wyoming service says: `info` for `describe`, and for a
//! `transcript` either `handled` (the skill's answer as plain text) or
//! `not-handled` (the skill did not know; the text points to the hotline).
//!
//! The conversation's session travels in the context: `handled` returns
//! `{"city_skill": {"turn": n, "session": {…}}}`, and a client that sends
//! that context back with the next transcript continues the conversation
//! ("und wo ist das?"). Home Assistant does not send a returned context
//! back; it sends `{"conversation_id": …}` instead, so open sessions are
//! also kept here under that id, for as long as Alexa keeps a session
//! open without an answer ([`SESSION_TTL`]) and for at most
//! [`MAX_SESSIONS`] conversations. Nothing else about a client is kept.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

use crate::alexa::request::{RequestEnvelope, RequestKind};
use crate::lang::{Lang, Locale};
use crate::skill::unanswered::Outcome;
use crate::skill::Skill;

/// How long a conversation's session is kept after its last answer.
pub const SESSION_TTL: Duration = Duration::from_secs(5 * 60);

/// Most conversations whose sessions are kept at once; the oldest goes
/// first.
pub const MAX_SESSIONS: usize = 10_000;

/// Longest `conversation_id` used as a key (Home Assistant's are ULIDs,
/// 26 characters).
const MAX_CONVERSATION_ID: usize = 128;

/// The key of this service's part of the context.
const CONTEXT_KEY: &str = "city_skill";

/// What was said, for the function that understands it.
#[derive(Clone, Copy, Debug)]
pub struct Said<'a> {
    /// The transcript.
    pub text: &'a str,
    /// The locale of the transcript's language.
    pub locale: Locale,
    /// The instant of the request.
    pub now: DateTime<Utc>,
    /// The session's attributes (empty for a new conversation).
    pub attributes: &'a Map<String, Value>,
    /// 0 for the first turn of the conversation.
    pub turn: u32,
}

/// Turns what was said into the Alexa request envelope the skill answers.
/// Given by the caller (the command line passes the local simulator's
/// understanding), so this host needs nothing above it.
pub type Understand = dyn Fn(&Said<'_>) -> RequestEnvelope + Send + Sync;

/// The reply to one event: its type and data.
#[derive(Clone, Debug, PartialEq)]
pub struct Reply {
    /// `info`, `handled`, `not-handled`.
    pub kind: &'static str,
    /// The event's data.
    pub data: Value,
}

/// The service's answers, shared by every connection.
pub struct Handler {
    skill: Arc<Skill>,
    understand: Box<Understand>,
    sessions: Sessions,
}

impl std::fmt::Debug for Handler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Handler").finish_non_exhaustive()
    }
}

impl Handler {
    /// A handler answering with `skill`, understanding with `understand`.
    pub fn new(skill: Arc<Skill>, understand: Box<Understand>) -> Self {
        Self {
            skill,
            understand,
            sessions: Sessions::default(),
        }
    }

    /// The `info` event's data: one handle program, installed, with one
    /// model for the city's corpus in German and English.
    pub fn info(&self) -> Reply {
        let city = self.skill.knowledge().city();
        let name = |lang| {
            city.name
                .get(lang)
                .cloned()
                .unwrap_or_else(|| city.id.clone())
        };
        let url = city.url.clone().unwrap_or_default();
        let version = env!("CARGO_PKG_VERSION");
        let description = format!(
            "{}: Öffnungszeiten, Adressen und Telefonnummern der Ämter, Behördengänge, \
             Veranstaltungen / {}: city offices, services and events",
            name(Lang::De),
            name(Lang::En)
        );
        let model = json!({
            "name": city.id,
            "attribution": {"name": name(Lang::De), "url": url},
            "installed": true,
            "description": description,
            "version": version,
            "languages": ["de", "en"],
        });
        let program = json!({
            "name": "city-skill",
            "attribution": {"name": "city-skill", "url": url},
            "installed": true,
            "description": description,
            "version": version,
            "models": [model],
            "supports_handled_streaming": false,
            "supports_home_control": false,
        });
        Reply {
            kind: "info",
            data: json!({"asr": [], "tts": [], "handle": [program], "intent": [],
                         "wake": [], "mic": [], "snd": []}),
        }
    }

    /// Answers a `transcript` event's data at `now`; `None` when it has no
    /// `text` (not a transcript).
    pub fn transcript(&self, data: &Map<String, Value>, now: DateTime<Utc>) -> Option<Reply> {
        let text = data.get("text")?.as_str()?;
        let locale = Locale::from_tag(data.get("language").and_then(Value::as_str));
        let context = data.get("context").and_then(Value::as_object);
        let conversation = context
            .and_then(|c| c.get("conversation_id"))
            .and_then(Value::as_str)
            .filter(|id| !id.is_empty() && id.len() <= MAX_CONVERSATION_ID);
        let (turn, attributes) = match context.and_then(carried) {
            Some(carried) => carried,
            None => conversation
                .and_then(|id| self.sessions.take(id))
                .unwrap_or_default(),
        };
        let said = Said {
            text: text.trim(),
            locale,
            now,
            attributes: &attributes,
            turn,
        };
        let envelope = (self.understand)(&said);
        let fallback = matches!(&envelope.request.kind,
            RequestKind::Intent(ir) if ir.intent.name == "AMAZON.FallbackIntent");
        let answer = match self.skill.answer_request(&envelope, now) {
            Ok(a) => a,
            Err(e) => {
                tracing::warn!(error = %e, "wyoming: the skill refused the request");
                return Some(self.not_handled(String::new(), locale, now, None));
            }
        };
        let rejected = matches!(answer.basis.unanswered, Some((_, Outcome::Rejected)));
        let said = answer.to_text();
        let mut out_context = Map::new();
        if let Some(id) = conversation {
            out_context.insert("conversation_id".into(), id.into());
        }
        if said.is_open() {
            let session = answer.session.to_attributes();
            out_context.insert(
                CONTEXT_KEY.into(),
                json!({"turn": turn.saturating_add(1), "session": session}),
            );
            if let Some(id) = conversation {
                self.sessions.put(id, turn.saturating_add(1), session);
            }
        }
        let out_context = Value::Object(out_context);
        if rejected || fallback || said.speech.is_empty() {
            return Some(self.not_handled(said.speech, locale, now, Some(out_context)));
        }
        Some(Reply {
            kind: "handled",
            data: json!({"text": said.speech, "context": out_context}),
        })
    }

    /// `not-handled`: what the skill said, with the way out to the hotline
    /// when it did not already name it.
    fn not_handled(
        &self,
        speech: String,
        locale: Locale,
        now: DateTime<Utc>,
        context: Option<Value>,
    ) -> Reply {
        let hotline = self.skill.hotline(locale, now).to_plain();
        let text = match (
            speech.is_empty(),
            hotline.is_empty() || speech.contains(&hotline),
        ) {
            (true, _) => hotline,
            (false, true) => speech,
            (false, false) => format!("{speech} {hotline}"),
        };
        let mut data = json!({ "text": text });
        if let Some(c) = context {
            data["context"] = c;
        }
        Reply {
            kind: "not-handled",
            data,
        }
    }
}

/// The turn and session a client sent back in its context.
fn carried(context: &Map<String, Value>) -> Option<(u32, Map<String, Value>)> {
    let ours = context.get(CONTEXT_KEY)?.as_object()?;
    let session = ours.get("session")?.as_object()?.clone();
    let turn = ours
        .get("turn")
        .and_then(Value::as_u64)
        .and_then(|t| u32::try_from(t).ok())
        .unwrap_or(1);
    Some((turn, session))
}

/// Open sessions by conversation id, for clients that do not send the
/// context back (Home Assistant).
#[derive(Debug, Default)]
struct Sessions {
    map: Mutex<HashMap<String, Kept>>,
}

#[derive(Debug)]
struct Kept {
    at: Instant,
    turn: u32,
    attributes: Map<String, Value>,
}

impl Sessions {
    /// The session of `id`, removed (the answer puts it back if it stays
    /// open); `None` when unknown or expired.
    fn take(&self, id: &str) -> Option<(u32, Map<String, Value>)> {
        let mut map = self.map.lock().ok()?;
        let kept = map.remove(id)?;
        (kept.at.elapsed() < SESSION_TTL).then_some((kept.turn, kept.attributes))
    }

    fn put(&self, id: &str, turn: u32, attributes: Map<String, Value>) {
        let Ok(mut map) = self.map.lock() else { return };
        if map.len() >= MAX_SESSIONS && !map.contains_key(id) {
            map.retain(|_, k| k.at.elapsed() < SESSION_TTL);
            if map.len() >= MAX_SESSIONS {
                let oldest = map
                    .iter()
                    .min_by_key(|(_, k)| k.at)
                    .map(|(id, _)| id.clone());
                if let Some(oldest) = oldest {
                    map.remove(&oldest);
                }
            }
        }
        map.insert(
            id.to_string(),
            Kept {
                at: Instant::now(),
                turn,
                attributes,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_is_kept_under_its_conversation_id_until_taken() {
        let s = Sessions::default();
        let mut attrs = Map::new();
        attrs.insert("office".into(), "fundbuero".into());
        s.put("c1", 2, attrs.clone());
        assert_eq!(s.take("c1"), Some((2, attrs)));
        assert_eq!(s.take("c1"), None);
    }

    #[test]
    fn no_more_than_max_sessions_are_kept() {
        let s = Sessions::default();
        for i in 0..MAX_SESSIONS + 5 {
            s.put(&format!("c{i}"), 1, Map::new());
        }
        let len = s.map.lock().map(|m| m.len()).unwrap_or(0);
        assert_eq!(len, MAX_SESSIONS);
        assert_eq!(s.take("c0"), None);
    }

    #[test]
    fn a_context_of_the_wrong_shape_carries_nothing() {
        let bad = json!({"city_skill": {"session": [1, 2]}});
        assert_eq!(bad.as_object().and_then(carried), None);
        let ok = json!({"city_skill": {"turn": 3, "session": {"a": 1}}});
        assert_eq!(ok.as_object().and_then(carried).map(|c| c.0), Some(3));
    }
}
