//! The Alexa response envelope and a builder that keeps it valid.
//!
//! [`ResponseBuilder::build`] enforces Alexa's limits itself — speech at most
//! 8000 characters, card text at most 8000, the whole envelope at most 24 KB —
//! by dropping trailing sentences and card lines, never by emitting something
//! Alexa would reject.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::request::Intent;
use super::ssml::to_ssml;
use crate::lang::speech::Speech;

/// Longest `outputSpeech` Alexa accepts, in characters (SSML tags included).
pub const MAX_SPEECH_CHARS: usize = 8000;
/// Longest total card text (title and content), in characters.
pub const MAX_CARD_CHARS: usize = 8000;
/// Largest whole response, in bytes of JSON, session attributes included.
pub const MAX_RESPONSE_BYTES: usize = 24 * 1024;
/// Longest image URL on a Standard card.
pub const MAX_IMAGE_URL_CHARS: usize = 2000;

/// What the skill returns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResponseEnvelope {
    /// Always `"1.0"`.
    pub version: String,
    /// State carried to the next request of the session.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub session_attributes: Map<String, Value>,
    /// The response proper.
    pub response: Response,
}

impl ResponseEnvelope {
    /// The empty response (for `SessionEndedRequest`, `System.ExceptionEncountered`).
    pub fn empty() -> Self {
        Self {
            version: "1.0".into(),
            session_attributes: Map::new(),
            response: Response::default(),
        }
    }

    /// Serialized size in bytes.
    pub fn json_len(&self) -> usize {
        serde_json::to_vec(self).map_or(usize::MAX, |v| v.len())
    }
}

/// `response` of the envelope.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Response {
    /// What Alexa says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_speech: Option<OutputSpeech>,
    /// What the Alexa app shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<Card>,
    /// Said after some seconds of silence when the session stays open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reprompt: Option<Reprompt>,
    /// `true` ends the session, `false` keeps the microphone open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub should_end_session: Option<bool>,
    /// Dialog directives.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub directives: Vec<Directive>,
    /// The answer to a `CanFulfillIntentRequest`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_fulfill_intent: Option<CanFulfillIntent>,
}

/// `outputSpeech`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum OutputSpeech {
    /// Plain text, read as is.
    PlainText {
        /// The text.
        text: String,
    },
    /// SSML, `<speak>…</speak>`.
    #[serde(rename = "SSML")]
    Ssml {
        /// The markup.
        ssml: String,
    },
}

impl OutputSpeech {
    /// Characters as Alexa counts them for the limit.
    pub fn char_len(&self) -> usize {
        match self {
            OutputSpeech::PlainText { text } => text.chars().count(),
            OutputSpeech::Ssml { ssml } => ssml.chars().count(),
        }
    }
}

/// `reprompt`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reprompt {
    /// What to say.
    pub output_speech: OutputSpeech,
}

/// A card in the Alexa app.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Card {
    /// Title and text.
    Simple {
        /// Title line.
        title: String,
        /// Body; lines separated by `\n`.
        content: String,
    },
    /// Title, text and an optional image.
    Standard {
        /// Title line.
        title: String,
        /// Body; lines separated by `\n`.
        text: String,
        /// HTTPS image URLs.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        image: Option<CardImage>,
    },
}

impl Card {
    /// A Simple card.
    pub fn simple(title: impl Into<String>, content: impl Into<String>) -> Self {
        Card::Simple {
            title: title.into(),
            content: content.into(),
        }
    }

    /// The title.
    pub fn title(&self) -> &str {
        match self {
            Card::Simple { title, .. } | Card::Standard { title, .. } => title,
        }
    }

    /// The body text.
    pub fn body(&self) -> &str {
        match self {
            Card::Simple { content, .. } => content,
            Card::Standard { text, .. } => text,
        }
    }

    fn body_mut(&mut self) -> &mut String {
        match self {
            Card::Simple { content, .. } => content,
            Card::Standard { text, .. } => text,
        }
    }

    fn char_len(&self) -> usize {
        self.title().chars().count() + self.body().chars().count()
    }
}

/// Image of a Standard card.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CardImage {
    /// About 720 × 480 px.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub small_image_url: Option<String>,
    /// About 1200 × 800 px.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub large_image_url: Option<String>,
}

/// Dialog directives (they need a dialog model in the interaction model).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Directive {
    /// Let Alexa run the next dialog step; carries no speech.
    #[serde(rename = "Dialog.Delegate", rename_all = "camelCase")]
    Delegate {
        /// The intent with changed slots.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        updated_intent: Option<Intent>,
    },
    /// Ask the user for a slot; the response must carry a prompt.
    #[serde(rename = "Dialog.ElicitSlot", rename_all = "camelCase")]
    ElicitSlot {
        /// The slot to ask for.
        slot_to_elicit: String,
        /// The intent with changed slots.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        updated_intent: Option<Intent>,
    },
    /// Ask the user to confirm a slot.
    #[serde(rename = "Dialog.ConfirmSlot", rename_all = "camelCase")]
    ConfirmSlot {
        /// The slot to confirm.
        slot_to_confirm: String,
        /// The intent with changed slots.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        updated_intent: Option<Intent>,
    },
    /// Ask the user to confirm the whole intent.
    #[serde(rename = "Dialog.ConfirmIntent", rename_all = "camelCase")]
    ConfirmIntent {
        /// The intent with changed slots.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        updated_intent: Option<Intent>,
    },
}

/// The answer to a `CanFulfillIntentRequest`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CanFulfillIntent {
    /// Whether the skill can answer the intent.
    pub can_fulfill: CanFulfill,
    /// Per slot: understood and fulfillable.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub slots: Map<String, Value>,
}

impl CanFulfillIntent {
    /// An intent-level answer without slot details.
    pub fn new(can_fulfill: CanFulfill) -> Self {
        Self {
            can_fulfill,
            slots: Map::new(),
        }
    }

    /// Adds a slot verdict. Slot-level `canFulfill` may only be YES or NO, so
    /// MAYBE is sent as NO there.
    pub fn slot(mut self, name: &str, can_understand: CanFulfill, can_fulfill: CanFulfill) -> Self {
        let fulfill = if can_fulfill == CanFulfill::Yes {
            CanFulfill::Yes
        } else {
            CanFulfill::No
        };
        self.slots.insert(
            name.to_string(),
            serde_json::json!({ "canUnderstand": can_understand, "canFulfill": fulfill }),
        );
        self
    }
}

/// YES, NO or MAYBE.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CanFulfill {
    /// Can do it.
    Yes,
    /// Cannot.
    No,
    /// Perhaps (e.g. the value is not known yet).
    Maybe,
}

/// How the session continues after this response.
#[derive(Clone, Debug, Default, PartialEq)]
enum Turn {
    /// Leave `shouldEndSession` out (Alexa's default for the device).
    #[default]
    Unset,
    /// End the session.
    End,
    /// Keep the microphone open; speak the reprompt after silence.
    Ask(Speech),
}

/// Builds a [`ResponseEnvelope`] that is always within Alexa's limits.
///
/// ```
/// use city_skill::alexa::{Card, ResponseBuilder};
/// use city_skill::lang::speech::Speech;
/// let env = ResponseBuilder::new()
///     .speak(Speech::text("Hallo & willkommen."))
///     .card(Card::simple("Titel", "Text"))
///     .ask(Speech::text("Was möchtest du wissen?"))
///     .build();
/// assert_eq!(env.response.should_end_session, Some(false));
/// assert!(env.response.reprompt.is_some());
/// ```
#[derive(Clone, Debug, Default)]
pub struct ResponseBuilder {
    speech: Option<Speech>,
    plain: bool,
    card: Option<Card>,
    turn: Turn,
    directives: Vec<Directive>,
    can_fulfill: Option<CanFulfillIntent>,
    attributes: Map<String, Value>,
}

impl ResponseBuilder {
    /// An empty response.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets what is said (rendered as SSML).
    pub fn speak(mut self, speech: Speech) -> Self {
        self.speech = Some(speech);
        self
    }

    /// Renders the speech as PlainText instead of SSML.
    pub fn plain_text(mut self) -> Self {
        self.plain = true;
        self
    }

    /// Sets the card.
    pub fn card(mut self, card: Card) -> Self {
        self.card = Some(card);
        self
    }

    /// Keeps the session open and sets the reprompt. There is no other way to
    /// keep a session open: an open session without a reprompt cannot be built.
    pub fn ask(mut self, reprompt: Speech) -> Self {
        self.turn = Turn::Ask(reprompt);
        self
    }

    /// Ends the session.
    pub fn end_session(mut self) -> Self {
        self.turn = Turn::End;
        self
    }

    /// Adds a directive.
    pub fn directive(mut self, directive: Directive) -> Self {
        self.directives.push(directive);
        self
    }

    /// Sets the `canFulfillIntent` answer.
    pub fn can_fulfill(mut self, answer: CanFulfillIntent) -> Self {
        self.can_fulfill = Some(answer);
        self
    }

    /// Sets the session attributes.
    pub fn attributes(mut self, attributes: Map<String, Value>) -> Self {
        self.attributes = attributes;
        self
    }

    /// Builds the envelope, shortening speech, card and finally session
    /// attributes until every limit holds.
    pub fn build(self) -> ResponseEnvelope {
        let ResponseBuilder {
            speech,
            plain,
            card,
            turn,
            directives,
            can_fulfill,
            attributes,
        } = self;
        let render = |s: &Speech| {
            if plain {
                OutputSpeech::PlainText { text: s.to_plain() }
            } else {
                OutputSpeech::Ssml { ssml: to_ssml(s) }
            }
        };
        let fit = |s: &Speech, max: usize| -> OutputSpeech {
            let mut s = s.clone();
            let mut out = render(&s);
            while out.char_len() > max && s.sentences() > 0 {
                s.truncate(s.sentences() - 1);
                out = render(&s);
            }
            out
        };
        // Dialog.Delegate carries no speech: the dialog model speaks.
        let delegates = directives
            .iter()
            .any(|d| matches!(d, Directive::Delegate { .. }));
        let (speech, turn) = if delegates {
            (None, Turn::Unset)
        } else {
            (speech.filter(|s| !s.is_empty()), turn)
        };
        let mut speech_budget = MAX_SPEECH_CHARS;
        let mut card = card.map(|c| fit_card(c, MAX_CARD_CHARS));
        let mut attributes = attributes;
        loop {
            let env = ResponseEnvelope {
                version: "1.0".into(),
                session_attributes: attributes.clone(),
                response: Response {
                    output_speech: speech.as_ref().map(|s| fit(s, speech_budget)),
                    card: card.clone(),
                    reprompt: match &turn {
                        Turn::Ask(r) => Some(Reprompt {
                            output_speech: fit(r, speech_budget),
                        }),
                        _ => None,
                    },
                    should_end_session: match &turn {
                        Turn::Unset => None,
                        Turn::End => Some(true),
                        Turn::Ask(_) => Some(false),
                    },
                    directives: directives.clone(),
                    can_fulfill_intent: can_fulfill.clone(),
                },
            };
            let size = env.json_len();
            if size <= MAX_RESPONSE_BYTES {
                return env;
            }
            // Too big: give up the card first, then speech, then the state.
            if let Some(c) = card.take() {
                let half = c.char_len() / 2;
                if half > 40 {
                    card = Some(fit_card(c, half));
                }
            } else if speech_budget > 500 {
                speech_budget /= 2;
            } else if !attributes.is_empty() {
                attributes = Map::new();
            } else {
                return ResponseEnvelope::empty();
            }
        }
    }
}

/// Shortens a card to `max` characters by dropping whole trailing lines, or
/// cutting the last line at a character boundary when one line is too long.
fn fit_card(mut card: Card, max: usize) -> Card {
    if card.char_len() <= max {
        return card;
    }
    let title_len = card.title().chars().count();
    let budget = max.saturating_sub(title_len + 1);
    let body = card.body_mut();
    let mut kept = String::new();
    let mut used = 0;
    for line in body.lines() {
        let n = line.chars().count() + 1;
        if used + n > budget {
            if kept.is_empty() {
                kept = line.chars().take(budget.saturating_sub(1)).collect();
                kept.push('…');
            } else {
                kept.push('…');
            }
            break;
        }
        kept.push_str(line);
        kept.push('\n');
        used += n;
    }
    *body = kept.trim_end_matches('\n').to_string();
    card
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ask_keeps_session_open_with_reprompt() {
        let env = ResponseBuilder::new()
            .speak(Speech::text("Hi"))
            .ask(Speech::text("Und?"))
            .build();
        assert_eq!(env.response.should_end_session, Some(false));
        assert!(env.response.reprompt.is_some());
    }

    #[test]
    fn over_long_speech_is_cut_at_sentence_boundaries() {
        let mut s = Speech::new();
        for i in 0..2000 {
            s = s.say(format!("Satz {i}."));
        }
        let env = ResponseBuilder::new().speak(s.ask("Weiter?")).build();
        let Some(OutputSpeech::Ssml { ssml }) = env.response.output_speech else {
            panic!("no speech")
        };
        assert!(ssml.chars().count() <= MAX_SPEECH_CHARS);
        assert!(ssml.ends_with("Weiter?</speak>"));
    }

    #[test]
    fn whole_response_stays_under_24_kb() {
        let card = Card::simple("T", "Zeile mit Text\n".repeat(3000));
        let mut attrs = Map::new();
        attrs.insert("big".into(), Value::String("x".repeat(30_000)));
        let env = ResponseBuilder::new()
            .speak(Speech::text("ä".repeat(7000)))
            .card(card)
            .attributes(attrs)
            .build();
        assert!(env.json_len() <= MAX_RESPONSE_BYTES);
    }

    #[test]
    fn delegate_carries_no_speech() {
        let env = ResponseBuilder::new()
            .speak(Speech::text("x"))
            .ask(Speech::text("y"))
            .directive(Directive::Delegate {
                updated_intent: None,
            })
            .build();
        assert!(env.response.output_speech.is_none());
        assert!(env.response.reprompt.is_none());
    }

    #[test]
    fn directives_serialize_with_their_dialog_type() {
        let d = Directive::ElicitSlot {
            slot_to_elicit: "office".into(),
            updated_intent: None,
        };
        let v = serde_json::to_value(&d).unwrap_or_default();
        assert_eq!(v["type"], "Dialog.ElicitSlot");
        assert_eq!(v["slotToElicit"], "office");
    }

    #[test]
    fn slot_level_maybe_is_sent_as_no() {
        let c = CanFulfillIntent::new(CanFulfill::Maybe).slot(
            "office",
            CanFulfill::Maybe,
            CanFulfill::Maybe,
        );
        let v = serde_json::to_value(&c).unwrap_or_default();
        assert_eq!(v["canFulfill"], "MAYBE");
        assert_eq!(v["slots"]["office"]["canFulfill"], "NO");
        assert_eq!(v["slots"]["office"]["canUnderstand"], "MAYBE");
    }
}
