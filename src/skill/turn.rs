//! One turn of a conversation as the handlers see it, and the three
//! shapes an answer takes (an answer, an answer that invites a follow-up,
//! a question back).

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use super::answer::{Answer, Card};
use super::session::Session;
use super::texts;
use crate::knowledge::Knowledge;
use crate::lang::speech::Speech;
use crate::lang::Lang;

/// Everything a handler needs to know about the turn.
pub struct Turn<'a> {
    pub k: &'a Knowledge,
    pub lang: Lang,
    pub now: DateTime<Utc>,
    /// `now` on the city's wall clock.
    pub local_now: NaiveDateTime,
    pub today: NaiveDate,
    /// True inside a conversation (the session was not new).
    pub in_session: bool,
    pub session: &'a Session,
}

impl Turn<'_> {
    /// An answer: ends the session, or inside a conversation asks whether
    /// there is anything else.
    pub fn answer(&self, speech: Speech, card: Option<Card>, session: Session) -> Answer {
        let mut b = Answer::new();
        if let Some(c) = card {
            b = b.card(c);
        }
        if self.in_session {
            let q = texts::anything_else(self.lang);
            b.speak(speech.ask(q))
                .ask(Speech::text(q))
                .remember(session)
        } else {
            b.speak(speech).end_session()
        }
    }

    /// An answer that invites a follow-up ("und wo ist das?"): the session
    /// stays open with "Noch etwas?" even when the question came in one shot.
    pub fn answer_open(&self, speech: Speech, card: Option<Card>, session: Session) -> Answer {
        let q = texts::anything_else(self.lang);
        let mut b = Answer::new();
        if let Some(c) = card {
            b = b.card(c);
        }
        b.speak(speech.ask(q))
            .ask(Speech::text(q))
            .remember(session)
    }

    /// A question back to the user: session open, reprompt set.
    pub fn ask(&self, speech: Speech, reprompt: &str, session: Session) -> Answer {
        Answer::new()
            .speak(speech.ask(reprompt))
            .ask(Speech::text(reprompt))
            .remember(session)
    }
}
