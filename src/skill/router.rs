//! The router: which handler answers a request. Free-text questions are
//! routed here too: one that names an office or an event goes to that
//! handler, the rest to the FAQ.

use super::answer::Answer;
use super::turn::Turn;
use super::{builtin, event_info, events, offices, question};
use crate::alexa::Intent;

/// LaunchRequest.
pub fn launch(turn: &Turn<'_>) -> Answer {
    builtin::launch(turn)
}

/// CanFulfillIntentRequest.
pub fn can_fulfill(turn: &Turn<'_>, intent: &Intent) -> Answer {
    builtin::can_fulfill(turn, intent)
}

/// A request type the skill does not know.
pub fn unknown(turn: &Turn<'_>) -> Answer {
    builtin::unknown(turn)
}

/// Routes an intent: a pending dialog first (an office asked for, a choice
/// offered), then by name.
pub fn intent(turn: &Turn<'_>, intent: &Intent) -> Answer {
    // An office intent asked "Welches Amt meinst du?": an answer that
    // names an office completes it.
    if let Some(waiting) = turn.session.waiting_intent.as_deref() {
        let builtin = intent.name.starts_with("AMAZON.");
        if let Some(office) = offices::named_in(turn, intent).filter(|_| !builtin) {
            return offices::complete(turn, waiting, office);
        }
    }
    // "Meinst du A oder B?" answered with a name: "das mit dem Reisepass".
    if !intent.name.starts_with("AMAZON.") {
        let offered = question::pending(turn);
        let said: Vec<&str> = intent.slots.values().filter_map(|s| s.spoken()).collect();
        if offered.len() > 1 {
            if let Some(e) = question::chosen(turn, &offered, &said.join(" ")) {
                return question::speak_entry(turn, e, None);
            }
        }
    }
    match intent.name.as_str() {
        "OfficeHoursIntent" => offices::hours(turn, intent),
        "OfficeAddressIntent" => offices::address(turn, intent),
        "OfficePhoneIntent" => offices::phone(turn, intent),
        "QuestionIntent" => free_text(turn, intent),
        "EventsIntent" => events::answer(turn, intent),
        "EventInfoIntent" => event_info::answer(turn, intent),
        "AMAZON.HelpIntent" => builtin::help(turn),
        "AMAZON.StopIntent" | "AMAZON.CancelIntent" => builtin::goodbye(turn),
        "AMAZON.FallbackIntent" => builtin::fallback(turn),
        "AMAZON.NavigateHomeIntent" => builtin::home(turn),
        "AMAZON.YesIntent" => builtin::yes(turn),
        "AMAZON.MoreIntent" | "AMAZON.NextIntent" => builtin::more(turn),
        "AMAZON.RepeatIntent" => builtin::repeat(turn),
        "AMAZON.NoIntent" => builtin::no(turn),
        _ => builtin::unknown(turn),
    }
}

/// QuestionIntent: "Wann hat das KVR offen?" is an office question, "wie
/// lange geht die Wiesn noch" one about an event (answered from the event,
/// not from a FAQ entry sharing its words); anything else asks the FAQ.
fn free_text(turn: &Turn<'_>, intent: &Intent) -> Answer {
    let Some(query) = intent.slot_value("query") else {
        return question::no_question(turn);
    };
    if question::is_thanks(query) {
        return question::thanks(turn);
    }
    if let Some((office, aspect)) = turn.k.office_question(query) {
        return offices::aspect(turn, office, aspect);
    }
    let named = turn.k.event_book().named_in(query);
    if !named.is_empty() {
        return event_info::speak_events(turn, &named, None);
    }
    question::answer(turn, query)
}
