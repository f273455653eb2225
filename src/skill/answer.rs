//! What a handler returns: the answer as data, before any channel sees it.
//!
//! A handler says what to say (structured [`Speech`], never markup), what
//! the card shows, whether and how the conversation goes on, what the
//! session must remember, and what the answer was based on (for the log).
//! Two renderers turn it into output: [`Answer::to_alexa`] (an Alexa
//! response envelope, SSML, with Alexa's limits) and [`Answer::to_text`]
//! (plain text, for the command line, conversation tests and channels that
//! do not speak SSML). No channel strips markup to get the text back.
//!
//! The answer's types are the skill's own (a [`Card`], a [`CouldAnswer`],
//! an [`AskFor`]); only [`Answer::to_alexa`] maps them onto the Alexa
//! protocol's, and the plain-text renderer needs none of those.

use std::collections::BTreeMap;

use super::session::Session;
use super::unanswered::Outcome;
use crate::alexa::request::{ConfirmationStatus, Slot};
use crate::alexa::{self, Directive, Intent, ResponseBuilder, ResponseEnvelope};
use crate::lang::speech::Speech;

/// The details to read beside the speech: phone numbers, links, the
/// longer text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Card {
    /// The title line.
    pub title: String,
    /// The body; lines separated by `\n`.
    pub text: String,
}

impl Card {
    /// A card with `title` and `text`.
    pub fn new(title: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            text: text.into(),
        }
    }
}

/// Yes, perhaps or no: whether the skill could answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Can {
    /// It could.
    Yes,
    /// Perhaps (it depends on what the user will say).
    Maybe,
    /// It could not.
    No,
}

/// The answer to "could you answer this?", before the user asked it:
/// for the whole request and per slot (understood, answerable).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CouldAnswer {
    /// For the whole request.
    pub can: Can,
    /// Per slot: its name, whether it is understood, whether answerable.
    pub slots: Vec<(String, Can, Can)>,
}

impl CouldAnswer {
    /// A verdict without slot details.
    pub fn new(can: Can) -> Self {
        Self {
            can,
            slots: Vec::new(),
        }
    }

    /// Adds a slot's verdict.
    pub fn slot(mut self, name: &str, understood: Can, answerable: Can) -> Self {
        self.slots.push((name.to_string(), understood, answerable));
        self
    }
}

/// A slot the skill wants the user to fill next, for the intent waiting
/// for it, with the slot values that intent already has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AskFor {
    /// The slot asked for.
    pub slot: String,
    /// The intent waiting for it.
    pub intent: String,
    /// Its slots so far: name, and the value when filled.
    pub slots: BTreeMap<String, Option<String>>,
}

impl AskFor {
    /// Asks for `slot` of the request's `intent`, keeping its values.
    pub fn slot_of(slot: &str, intent: &Intent) -> Self {
        Self {
            slot: slot.to_string(),
            intent: intent.name.clone(),
            slots: (intent.slots.iter())
                .map(|(name, s)| (name.clone(), s.spoken().map(str::to_string)))
                .collect(),
        }
    }
}

/// How the conversation goes on after an answer.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum FollowUp {
    /// Nothing said about it (the empty answer, a CanFulfill answer).
    #[default]
    Unset,
    /// The session ends.
    End,
    /// The session stays open; this is said again after a silence.
    Ask(Speech),
}

/// What one answer was based on, for the log line and the opt-in report.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Basis {
    /// The id of the office, FAQ entry or event answered from.
    pub matched: Option<String>,
    /// The matcher's score, when a FAQ match chose it.
    pub score: Option<f64>,
    /// A question the FAQ rejected or doubted, and which of the two.
    pub unanswered: Option<(String, Outcome)>,
}

/// An answer to one turn, for any channel.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Answer {
    /// What is said.
    pub speech: Speech,
    /// The details to read: phone numbers, links, the longer text.
    pub card: Option<Card>,
    /// Whether the conversation goes on.
    pub follow_up: FollowUp,
    /// What the next turn of the session must know (session attributes).
    pub session: Session,
    /// A slot the channel's dialog should ask for, with the intent waiting
    /// for it (Alexa: `Dialog.ElicitSlot`).
    pub elicit: Option<AskFor>,
    /// The answer to "could you handle this?" (Alexa: `canFulfillIntent`).
    pub can_fulfill: Option<CouldAnswer>,
    /// What the answer was based on.
    pub basis: Basis,
}

/// An answer as plain text: what a channel without SSML shows or says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextAnswer {
    /// The spoken text, as heard.
    pub speech: String,
    /// Said again after a silence, when the session stays open.
    pub reprompt: Option<String>,
    /// The card's title and body.
    pub card: Option<(String, String)>,
    /// `Some(true)`: the session ends; `Some(false)`: it stays open.
    pub ends_session: Option<bool>,
}

impl Answer {
    /// The empty answer: nothing said, nothing decided.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets what is said.
    pub fn speak(mut self, speech: Speech) -> Self {
        self.speech = speech;
        self
    }

    /// Sets the card.
    pub fn card(mut self, card: Card) -> Self {
        self.card = Some(card);
        self
    }

    /// Keeps the session open, with `reprompt` after a silence.
    pub fn ask(mut self, reprompt: Speech) -> Self {
        self.follow_up = FollowUp::Ask(reprompt);
        self
    }

    /// Ends the session.
    pub fn end_session(mut self) -> Self {
        self.follow_up = FollowUp::End;
        self
    }

    /// Sets what the session remembers for the next turn.
    pub fn remember(mut self, session: Session) -> Self {
        self.session = session;
        self
    }

    /// Asks the dialog for a slot.
    pub fn elicit(mut self, ask: AskFor) -> Self {
        self.elicit = Some(ask);
        self
    }

    /// Sets the answer to a CanFulfill request.
    pub fn can_fulfill(mut self, answer: CouldAnswer) -> Self {
        self.can_fulfill = Some(answer);
        self
    }

    /// Notes the office, entry or event answered from, for the log.
    pub fn matched(mut self, id: &str, score: Option<f64>) -> Self {
        self.basis.matched = Some(id.to_string());
        self.basis.score = score;
        self
    }

    /// Notes a question the FAQ rejected or doubted, for the opt-in report.
    pub fn unanswered(mut self, question: &str, outcome: Outcome) -> Self {
        self.basis.unanswered = Some((question.to_string(), outcome));
        self
    }

    /// True when the session stays open after this answer.
    pub fn keeps_session(&self) -> bool {
        matches!(self.follow_up, FollowUp::Ask(_))
    }

    /// The Alexa response envelope: speech as SSML, shortened with the card
    /// and the attributes until Alexa's limits hold.
    pub fn to_alexa(&self) -> ResponseEnvelope {
        let mut b = ResponseBuilder::new()
            .speak(self.speech.clone())
            .attributes(self.session.to_attributes());
        if let Some(c) = &self.card {
            b = b.card(alexa::Card::simple(c.title.clone(), c.text.clone()));
        }
        b = match &self.follow_up {
            FollowUp::Unset => b,
            FollowUp::End => b.end_session(),
            FollowUp::Ask(r) => b.ask(r.clone()),
        };
        if let Some(ask) = &self.elicit {
            b = b.directive(Directive::ElicitSlot {
                slot_to_elicit: ask.slot.clone(),
                updated_intent: Some(updated_intent(ask)),
            });
        }
        if let Some(c) = &self.can_fulfill {
            b = b.can_fulfill(can_fulfill_intent(c));
        }
        b.build()
    }

    /// The answer as plain text.
    pub fn to_text(&self) -> TextAnswer {
        let (reprompt, ends_session) = match &self.follow_up {
            FollowUp::Unset => (None, None),
            FollowUp::End => (None, Some(true)),
            FollowUp::Ask(r) => (Some(r.to_plain()), Some(false)),
        };
        TextAnswer {
            speech: self.speech.to_plain(),
            reprompt,
            card: (self.card.as_ref()).map(|c| (c.title.clone(), c.text.clone())),
            ends_session,
        }
    }
}

/// The intent an `ElicitSlot` hands back: the waiting intent with its
/// values.
fn updated_intent(ask: &AskFor) -> Intent {
    let slots = (ask.slots.iter())
        .map(|(name, value)| {
            let slot = Slot {
                name: name.clone(),
                value: value.clone(),
                ..Slot::default()
            };
            (name.clone(), slot)
        })
        .collect();
    Intent {
        name: ask.intent.clone(),
        confirmation_status: ConfirmationStatus::None,
        slots,
    }
}

/// Alexa's `canFulfillIntent` for a [`CouldAnswer`].
fn can_fulfill_intent(c: &CouldAnswer) -> alexa::CanFulfillIntent {
    let alexa = |can: Can| match can {
        Can::Yes => alexa::CanFulfill::Yes,
        Can::Maybe => alexa::CanFulfill::Maybe,
        Can::No => alexa::CanFulfill::No,
    };
    (c.slots.iter()).fold(
        alexa::CanFulfillIntent::new(alexa(c.can)),
        |out, (name, understood, answerable)| {
            out.slot(name, alexa(*understood), alexa(*answerable))
        },
    )
}

impl TextAnswer {
    /// True when the session stays open.
    pub fn is_open(&self) -> bool {
        self.ends_session == Some(false)
    }
}
