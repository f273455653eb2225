//! Launch, the built-in intents, CanFulfill and unknown requests.

use super::answer::{Answer, Can, CouldAnswer};
use super::session::Session;
use super::texts::{self, t};
use super::turn::Turn;
use super::{events, offices, question};
use crate::alexa::Intent;
use crate::knowledge::{FaqMatch, ACCEPT_SCORE};
use crate::lang::speech::Speech;

/// LaunchRequest: welcome, two examples, a question.
pub fn launch(turn: &Turn<'_>) -> Answer {
    let city = turn
        .k
        .city()
        .name
        .get_or_other(turn.lang)
        .cloned()
        .unwrap_or_default();
    let speech = Speech::text(texts::welcome(turn.lang, &city))
        .then(texts::sentence(texts::examples(turn.lang), turn.lang));
    turn.ask(speech, texts::what_else(turn.lang), Session::default())
}

/// AMAZON.HelpIntent: what can be asked, then a question.
pub fn help(turn: &Turn<'_>) -> Answer {
    turn.ask(
        texts::sentence(texts::help(turn.lang), turn.lang),
        texts::what_else(turn.lang),
        Session::default(),
    )
}

/// AMAZON.StopIntent and AMAZON.CancelIntent: a short goodbye.
pub fn goodbye(turn: &Turn<'_>) -> Answer {
    Answer::new()
        .speak(Speech::text(texts::goodbye(turn.lang)))
        .end_session()
}

/// AMAZON.FallbackIntent: say what works, ask again.
pub fn fallback(turn: &Turn<'_>) -> Answer {
    super::reply::not_understood(turn)
}

/// AMAZON.NavigateHomeIntent: back to the start.
pub fn home(turn: &Turn<'_>) -> Answer {
    turn.ask(
        Speech::text(texts::home(turn.lang)),
        texts::what_else(turn.lang),
        Session::default(),
    )
}

/// Unknown intents and request types: polite, and the conversation goes on.
pub fn unknown(turn: &Turn<'_>) -> Answer {
    turn.ask(
        Speech::text(texts::cannot_do(turn.lang)),
        texts::reprompt(turn.lang),
        Session::default(),
    )
}

/// AMAZON.YesIntent: continues what the last turn offered (a FAQ guess, more
/// events), else asks what the user wants.
pub fn yes(turn: &Turn<'_>) -> Answer {
    if let Some(id) = turn.session.faq_choices.first() {
        if let Some(entry) = turn.k.faq_entry(id) {
            return question::speak_entry(turn, entry, None);
        }
    }
    more(turn)
}

/// AMAZON.MoreIntent / NextIntent: the next events of the list being read,
/// else (no list, or one that cannot be read) asks what the user wants.
pub fn more(turn: &Turn<'_>) -> Answer {
    events::next_page(turn)
}

/// AMAZON.RepeatIntent: says the last answer again, with the same state.
pub fn repeat(turn: &Turn<'_>) -> Answer {
    match turn.session.last_speech.as_deref() {
        Some(text) => Answer::new()
            .speak(Speech::text(text))
            .ask(Speech::text(texts::what_else(turn.lang)))
            .remember(turn.session.clone()),
        None => turn.ask(
            Speech::new(),
            texts::what_else(turn.lang),
            Session::default(),
        ),
    }
}

/// AMAZON.NoIntent: declines the offered guess (trying the next one), or ends.
pub fn no(turn: &Turn<'_>) -> Answer {
    let pending = question::pending(turn);
    if let [_, rest @ ..] = pending.as_slice() {
        let rest: Vec<_> = rest.iter().filter_map(|id| turn.k.faq_entry(id)).collect();
        if !rest.is_empty() {
            return question::offer(turn, &rest);
        }
        return question::not_found(turn);
    }
    goodbye(turn)
}

/// CanFulfillIntentRequest: YES when the office or topic is known, MAYBE
/// when it depends on what the user will say, NO otherwise. No speech.
pub fn can_fulfill(turn: &Turn<'_>, intent: &Intent) -> Answer {
    use Can::{Maybe, No, Yes};
    let answer = match intent.name.as_str() {
        "OfficeHoursIntent" | "OfficeAddressIntent" | "OfficePhoneIntent" => {
            match intent
                .slots
                .get("office")
                .filter(|s| s.spoken().is_some() || s.resolved_id().is_some())
            {
                None => CouldAnswer::new(Maybe),
                Some(_) => match offices::resolve(turn, intent) {
                    Some(_) => CouldAnswer::new(Yes).slot("office", Yes, Yes),
                    None => CouldAnswer::new(No).slot("office", No, No),
                },
            }
        }
        "QuestionIntent" => match intent.slot_value("query") {
            None => CouldAnswer::new(Maybe),
            Some(q) => match turn.k.match_question(q, turn.lang) {
                FaqMatch::Answer { .. } => CouldAnswer::new(Yes).slot("query", Yes, Yes),
                // Two confident candidates: a "which one?" away from an
                // answer. A doubtful one is more likely another topic.
                FaqMatch::Unsure { candidates }
                    if candidates.first().is_some_and(|(_, c)| *c >= ACCEPT_SCORE) =>
                {
                    CouldAnswer::new(Maybe).slot("query", Maybe, Yes)
                }
                FaqMatch::Unsure { .. } | FaqMatch::NotFound | FaqMatch::NoWordShared => {
                    CouldAnswer::new(No).slot("query", No, No)
                }
            },
        },
        "EventInfoIntent" => match intent
            .slots
            .get("event")
            .and_then(|s| s.spoken().or(s.resolved_id()))
        {
            None => CouldAnswer::new(Maybe),
            Some(_) => match super::event_info::named(turn, intent).is_empty() {
                false => CouldAnswer::new(Yes).slot("event", Yes, Yes),
                true => CouldAnswer::new(No).slot("event", No, No),
            },
        },
        "EventsIntent" => {
            let c = CouldAnswer::new(Yes);
            match intent.slot_value("date") {
                Some(v) if crate::time::dates::parse(v, turn.today).is_some() => {
                    c.slot("date", Yes, Yes)
                }
                Some(_) => CouldAnswer::new(Maybe).slot("date", No, No),
                None => c,
            }
        }
        "AMAZON.HelpIntent"
        | "AMAZON.StopIntent"
        | "AMAZON.CancelIntent"
        | "AMAZON.FallbackIntent"
        | "AMAZON.NavigateHomeIntent" => CouldAnswer::new(Yes),
        _ => CouldAnswer::new(No),
    };
    let _ = t;
    Answer::new().can_fulfill(answer)
}
