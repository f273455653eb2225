//! Sentences and card lines that many answers share: the way out to the
//! hotline, the source of what was said, "I did not understand".

use super::answer::Answer;
use super::texts::{self, capitalize, t};
use super::turn::Turn;
use crate::lang::speech::Speech;
use crate::lang::Lang;

/// The way out when the skill does not know: the hotline and its hours
/// (nothing when the corpus has no hotline).
pub fn hotline(turn: &Turn<'_>) -> Speech {
    let Some(h) = turn.k.hotline() else {
        return Speech::new();
    };
    let name = capitalize(&texts::office_name(h, turn.lang));
    let when = turn
        .k
        .hours(&h.id)
        .map(|hrs| hrs.spoken_week(turn.today, turn.lang).join(", "))
        .filter(|s| !s.is_empty());
    let text = match (turn.lang, when) {
        (Lang::De, Some(w)) => format!("{name} hilft dir weiter, {w}"),
        (Lang::De, None) => format!("{name} hilft dir weiter"),
        (Lang::En, Some(w)) => format!("{name} can help you, {w}"),
        (Lang::En, None) => format!("{name} can help you"),
    };
    let text = texts::period(&text);
    texts::sentence(&text, turn.lang)
}

/// The card's last line: where the text comes from and how old it is
/// ("Quelle: … (2026-11-20)").
pub fn source_line(lang: Lang, source: &str, as_of: &str) -> String {
    format!("{}: {source} ({as_of})", t(lang, "Quelle", "Source"))
}

/// AMAZON.FallbackIntent, and a first utterance that was not understood:
/// say what works, ask again.
pub fn not_understood(turn: &Turn<'_>) -> Answer {
    turn.ask(
        Speech::text(texts::not_understood(turn.lang)),
        texts::reprompt(turn.lang),
        super::session::Session::default(),
    )
}
