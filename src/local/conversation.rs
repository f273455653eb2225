//! Conversation tests as data, in the spirit of Bespoken's `bst test`:
//! YAML files of conversations, each a list of turns (an utterance, or an
//! intent with slots), at a request time, with what the answer must say,
//! what its card must show, and whether the session stays open.
//!
//! `cargo test` runs `tests/conversations/*.yaml`; `city-skill test FILE…`
//! runs any such files against any corpus, so a city can test its data
//! before it deploys. The format:
//!
//! ```yaml
//! locale: de-DE
//! time: "2026-11-25T09:00:00+01:00"
//! conversations:
//!   - name: Öffnungszeiten, dann die Adresse
//!     turns:
//!       - say: Wann hat das Bürgerbüro Pasing offen?
//!         expect: { speech: [hat jetzt geöffnet, 13 Uhr], session: open }
//!       - say: Und wo ist das?
//!         expect: { speech: Landsberger Straße, card: [München] }
//!       - intent: AMAZON.StopIntent
//!         expect: { speech: Tschüss, session: ended }
//! ```

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Map, Value};
use yaml_rust2::{Yaml, YamlLoader};

use crate::lang::Locale;
use crate::local::simulator::{SessionState, Simulator, Understood};
use crate::skill::Skill;

/// Largest session attributes a turn may carry: they travel with every
/// request of the session.
pub const MAX_ATTRIBUTE_BYTES: usize = 2048;

/// A conversation file that cannot be read as one.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// Not YAML.
    #[error("{file}:{line}: {message}")]
    Yaml {
        /// The file.
        file: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// YAML, but not the conversation format.
    #[error("{file}: {message}")]
    Format {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSpec {
    locale: Option<String>,
    time: Option<String>,
    conversations: Vec<Conversation>,
}

/// One conversation of a file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conversation {
    /// Its name, for reports.
    pub name: String,
    locale: Option<String>,
    time: Option<String>,
    turns: Vec<Turn>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Turn {
    say: Option<String>,
    intent: Option<String>,
    #[serde(default)]
    slots: BTreeMap<String, String>,
    time: Option<String>,
    #[serde(default)]
    expect: Expect,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    #[serde(default)]
    speech: OneOrMany,
    #[serde(default)]
    not_speech: OneOrMany,
    #[serde(default)]
    card: OneOrMany,
    session: Option<SessionExpect>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl Default for OneOrMany {
    fn default() -> Self {
        Self::Many(Vec::new())
    }
}

impl OneOrMany {
    fn items(&self) -> &[String] {
        match self {
            Self::One(s) => std::slice::from_ref(s),
            Self::Many(v) => v,
        }
    }
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum SessionExpect {
    Open,
    Ended,
}

/// Reads the conversations of a file; the file's locale and time are
/// given to conversations that set none.
///
/// # Errors
/// When the text is not YAML or not in the conversation format.
pub fn parse(file: &str, text: &str) -> Result<Vec<Conversation>, FileError> {
    let docs = YamlLoader::load_from_str(text).map_err(|e| FileError::Yaml {
        file: file.to_string(),
        line: e.marker().line(),
        message: e.to_string(),
    })?;
    let doc = docs.into_iter().next().unwrap_or(Yaml::Null);
    let spec: FileSpec = serde_json::from_value(to_json(doc)).map_err(|e| FileError::Format {
        file: file.to_string(),
        message: e.to_string(),
    })?;
    let mut out = spec.conversations;
    for c in &mut out {
        c.locale = c.locale.take().or_else(|| spec.locale.clone());
        c.time = c.time.take().or_else(|| spec.time.clone());
        if c.turns
            .iter()
            .any(|t| t.say.is_none() == t.intent.is_none())
        {
            return Err(FileError::Format {
                file: file.to_string(),
                message: format!("{:?}: every turn needs `say` or `intent`, not both", c.name),
            });
        }
    }
    Ok(out)
}

fn to_json(y: Yaml) -> Value {
    match y {
        // Every value of the format is text: `speech: 115` means "115".
        Yaml::Real(r) => Value::String(r),
        Yaml::Integer(i) => Value::String(i.to_string()),
        Yaml::String(s) => Value::String(s),
        Yaml::Boolean(b) => Value::Bool(b),
        Yaml::Array(a) => Value::Array(a.into_iter().map(to_json).collect()),
        Yaml::Hash(h) => Value::Object(
            h.into_iter()
                .map(|(k, v)| {
                    let key = match k {
                        Yaml::String(s) | Yaml::Real(s) => s,
                        Yaml::Integer(i) => i.to_string(),
                        Yaml::Boolean(b) => b.to_string(),
                        _ => String::new(),
                    };
                    (key, to_json(v))
                })
                .collect(),
        ),
        Yaml::Alias(_) | Yaml::Null | Yaml::BadValue => Value::Null,
    }
}

fn time(v: Option<&str>) -> Result<DateTime<Utc>, String> {
    match v {
        None => Ok(crate::time::clock::now()),
        Some(s) => DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| format!("time {s:?} is not RFC 3339: {e}")),
    }
}

/// Runs one conversation; returns what went wrong, turn by turn (empty:
/// it passed). Beyond what a turn expects, every turn must keep its session
/// attributes under 2 KB, and every open turn must carry a reprompt.
pub fn run(skill: &Skill, sim: &Simulator, c: &Conversation) -> Vec<String> {
    let locale = Locale::from_tag(c.locale.as_deref());
    let mut session = SessionState::new("amzn1.ask.skill.conversation-test");
    let mut problems = Vec::new();
    for (i, turn) in c.turns.iter().enumerate() {
        let label = format!(
            "turn {} ({})",
            i + 1,
            turn.say.as_deref().or(turn.intent.as_deref()).unwrap_or("")
        );
        let now = match time(turn.time.as_deref().or(c.time.as_deref())) {
            Ok(t) => t,
            Err(e) => {
                problems.push(format!("{label}: {e}"));
                return problems;
            }
        };
        if i > 0 && session.turn == u32::MAX {
            problems.push(format!("{label}: the session had already ended"));
            return problems;
        }
        let today = now
            .with_timezone(&skill.knowledge().city().timezone)
            .date_naive();
        let understood = match (&turn.say, &turn.intent) {
            (Some(text), _) => sim.understand(text, locale, today),
            (None, name) => Understood {
                intent: name.clone(),
                slots: turn
                    .slots
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone(), None))
                    .collect(),
            },
        };
        let request = sim.envelope(&understood, locale, now, &session);
        let answer = match skill.answer_request(&request, now) {
            Ok(a) => a,
            Err(e) => {
                problems.push(format!("{label}: the skill refused the request: {e}"));
                return problems;
            }
        };
        let text = answer.to_text();
        let speech = &text.speech;
        let lower = speech.to_lowercase();
        for want in turn.expect.speech.items() {
            if !lower.contains(&want.to_lowercase()) {
                problems.push(format!(
                    "{label}: the answer lacks {want:?}; it said {speech:?}"
                ));
            }
        }
        for unwanted in turn.expect.not_speech.items() {
            if lower.contains(&unwanted.to_lowercase()) {
                problems.push(format!("{label}: the answer says {unwanted:?}: {speech:?}"));
            }
        }
        let card = text
            .card
            .as_ref()
            .map(|(title, body)| format!("{title}\n{body}"))
            .unwrap_or_default();
        for want in turn.expect.card.items() {
            if !card.to_lowercase().contains(&want.to_lowercase()) {
                problems.push(format!(
                    "{label}: the card lacks {want:?}; it shows {card:?}"
                ));
            }
        }
        let size = serde_json::to_string(&answer.session.to_attributes()).map_or(0, |j| j.len());
        if size > MAX_ATTRIBUTE_BYTES {
            problems.push(format!(
                "{label}: session attributes of {size} bytes (at most {MAX_ATTRIBUTE_BYTES})"
            ));
        }
        let open = text.is_open();
        if open && text.reprompt.is_none() {
            problems.push(format!(
                "{label}: the session stays open without a reprompt"
            ));
        }
        match turn.expect.session {
            Some(SessionExpect::Open) if !open => {
                problems.push(format!(
                    "{label}: the session ended; expected it to stay open"
                ));
            }
            Some(SessionExpect::Ended) if open => {
                problems.push(format!(
                    "{label}: the session stayed open; expected it to end"
                ));
            }
            _ => {}
        }
        if open {
            session.turn += 1;
            session.attributes = answer.session.to_attributes();
        } else {
            // The next turn would be a new session; a test that goes on
            // after the end is wrong.
            session.turn = u32::MAX;
            session.attributes = Map::new();
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_gives_its_locale_and_time_to_its_conversations() {
        let text = "locale: en-US\ntime: \"2026-11-25T09:00:00+01:00\"\nconversations:\n  - name: a\n    turns:\n      - say: hello\n        expect: {speech: Welcome, session: open}\n";
        let c = parse("t.yaml", text).unwrap();
        assert_eq!(c[0].locale.as_deref(), Some("en-US"));
        assert_eq!(c[0].time.as_deref(), Some("2026-11-25T09:00:00+01:00"));
        assert_eq!(c[0].turns[0].expect.speech.items(), ["Welcome"]);
    }

    #[test]
    fn broken_yaml_names_its_line() {
        let err = parse("t.yaml", "conversations:\n  - name: a\n    turns: [\n").unwrap_err();
        assert!(err.to_string().starts_with("t.yaml:"), "{err}");
    }

    #[test]
    fn a_turn_needs_say_or_intent() {
        let text = "conversations:\n  - name: a\n    turns:\n      - expect: {speech: x}\n";
        assert!(matches!(
            parse("t.yaml", text),
            Err(FileError::Format { .. })
        ));
    }
}
