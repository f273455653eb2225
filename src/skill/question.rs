//! QuestionIntent: answers from the FAQ, asks when unsure, admits when it
//! does not know and names the hotline.

use super::answer::{Answer, Card};
use super::reply::{hotline, source_line};
use super::session::Session;
use super::texts::{self, t};
use super::turn::Turn;
use super::unanswered::Outcome;
use crate::knowledge::{FaqEntry, FaqMatch, MAX_ANSWER_CHARS};
use crate::lang::speech::Speech;

/// "What is your question?" when QuestionIntent came without one.
pub fn no_question(turn: &Turn<'_>) -> Answer {
    turn.ask(
        Speech::new(),
        texts::what_else(turn.lang),
        Session::default(),
    )
}

/// "Gern geschehen!"
pub fn thanks(turn: &Turn<'_>) -> Answer {
    turn.answer(
        Speech::text(t(turn.lang, "Gern geschehen!", "You're welcome!")),
        None,
        Session::default(),
    )
}

/// Answers a question from the FAQ: the entry, a "Meinst du …?", or
/// "I don't know" with the hotline.
pub fn answer(turn: &Turn<'_>, query: &str) -> Answer {
    match turn.k.match_question(query, turn.lang) {
        FaqMatch::Answer { entry, score } => speak_entry(turn, entry, Some(score)),
        FaqMatch::Unsure { candidates } => {
            let entries: Vec<&FaqEntry> = candidates.iter().map(|(e, _)| *e).collect();
            let offered = offer(turn, &entries).unanswered(query, Outcome::Doubted);
            match candidates.first() {
                Some((e, s)) => offered.matched(&e.id, Some(*s)),
                None => offered,
            }
        }
        FaqMatch::NotFound => not_found(turn).unanswered(query, Outcome::Rejected),
        // A first utterance that shares no word with the FAQ was not
        // understood (or was noise): say what works and listen, as
        // FallbackIntent does, rather than "I don't know" and goodbye.
        FaqMatch::NoWordShared if !turn.in_session => {
            super::reply::not_understood(turn).unanswered(query, Outcome::Rejected)
        }
        FaqMatch::NoWordShared => not_found(turn).unanswered(query, Outcome::Rejected),
    }
}

/// "Danke", "thank you": not a question, and no reason for "I don't know".
pub fn is_thanks(query: &str) -> bool {
    const THANKS: &[&str] = &[
        "danke",
        "danke schoen",
        "danke sehr",
        "vielen dank",
        "dankeschoen",
        "merci",
        "thank you",
        "thanks",
        "thank you very much",
        "thanks a lot",
        "cheers",
    ];
    let q = crate::matching::normalize::fold(query);
    let q = q.split_whitespace().collect::<Vec<_>>().join(" ");
    THANKS.contains(&q.as_str())
}

/// Speaks an entry's answer; the card carries the longer text and the link.
pub fn speak_entry(turn: &Turn<'_>, entry: &FaqEntry, score: Option<f64>) -> Answer {
    entry_said(turn, entry).matched(&entry.id, score)
}

fn entry_said(turn: &Turn<'_>, entry: &FaqEntry) -> Answer {
    let lang = turn.lang;
    let Some(text) = entry.text(lang).or_else(|| entry.text(lang.other())) else {
        return not_found(turn);
    };
    // An answer too long to listen to (a spreadsheet's pasted web text) is
    // spoken as far as its sentences fit; the card then carries all of it.
    let spoken = texts::fitting_sentences(&text.answer, MAX_ANSWER_CHARS);
    let cut = spoken.len() < text.answer.len();
    let mut body = match (&text.card, cut) {
        (Some(card), true) => vec![text.answer.clone(), card.clone()],
        (Some(card), false) => vec![card.clone()],
        (None, _) => vec![text.answer.clone()],
    };
    if let Some(url) = &entry.url {
        body.push(url.clone());
    }
    body.push(source_line(lang, &entry.source, &entry.as_of));
    let title = title(entry, lang);
    let session = Session {
        office: entry.office.clone(),
        ..Session::default()
    };
    let mut speech = texts::sentence(spoken, lang);
    if cut {
        speech = speech.say(t(
            lang,
            "Mehr dazu steht in der Alexa-App.",
            "There is more in the Alexa app.",
        ));
    }
    turn.answer(speech, Some(Card::new(title, body.join("\n\n"))), session)
}

fn title(entry: &FaqEntry, lang: crate::lang::Lang) -> String {
    entry
        .text(lang)
        .or_else(|| entry.text(lang.other()))
        .and_then(|t| t.questions.first())
        .cloned()
        .unwrap_or_else(|| entry.id.clone())
}

/// "Meinst du: …?" for the first of `entries`; the rest wait for a "no".
pub fn offer(turn: &Turn<'_>, entries: &[&FaqEntry]) -> Answer {
    let Some(first) = entries.first() else {
        return not_found(turn);
    };
    let plain = |e: &FaqEntry| {
        title(e, turn.lang)
            .trim_end_matches(['?', '.', '!'])
            .to_string()
    };
    let q = plain(first);
    let text = match (entries.get(1), turn.lang) {
        (None, crate::lang::Lang::De) => format!("Meinst du: {q}?"),
        (None, crate::lang::Lang::En) => format!("Do you mean: {q}?"),
        (Some(b), crate::lang::Lang::De) => format!("Meinst du: {q}? Oder: {}?", plain(b)),
        (Some(b), crate::lang::Lang::En) => format!("Do you mean: {q}? Or: {}?", plain(b)),
    };
    let session = Session {
        faq_choices: entries.iter().map(|e| e.id.clone()).collect(),
        ..Session::default()
    };
    Answer::new()
        .speak(texts::sentence(&text, turn.lang))
        .ask(Speech::text(match entries.len() {
            1 => t(turn.lang, "Sag ja oder nein.", "Please say yes or no."),
            _ => t(
                turn.lang,
                "Sag ja für das erste, oder sag, welches du meinst.",
                "Say yes for the first, or tell me which one you mean.",
            ),
        }))
        .remember(session)
}

/// The ids of the entries a "Meinst du …?" offered, in order.
pub fn pending<'a>(turn: &Turn<'a>) -> Vec<&'a str> {
    turn.session
        .faq_choices
        .iter()
        .map(String::as_str)
        .collect()
}

/// The offered entry the user names ("das mit dem Reisepass") among the
/// ids of a "Meinst du A oder B?": the one whose questions and tags share
/// the most words with what was said, if one clearly does.
pub fn chosen<'k>(turn: &Turn<'k>, offered: &[&str], said: &str) -> Option<&'k FaqEntry> {
    use crate::matching::normalize::terms;
    let words: Vec<String> = terms(said);
    // Naming a choice is short; a long utterance is a new question.
    if words.is_empty() || words.len() > 4 {
        return None;
    }
    let mut scored: Vec<(usize, &FaqEntry)> = offered
        .iter()
        .filter_map(|id| turn.k.faq_entry(id))
        .map(|e| {
            let mut known: Vec<String> = e.tags.iter().flat_map(|t| terms(t)).collect();
            if let Some(t) = e.text(turn.lang) {
                known.extend(t.questions.iter().flat_map(|q| terms(q)));
            }
            let hits = words.iter().filter(|w| known.contains(w)).count();
            (hits, e)
        })
        .collect();
    scored.sort_by_key(|(hits, _)| std::cmp::Reverse(*hits));
    match scored.as_slice() {
        [(best, e), rest @ ..] if *best > 0 && rest.first().is_none_or(|(n, _)| n < best) => {
            Some(e)
        }
        _ => None,
    }
}

/// "Das weiß ich leider nicht." and the hotline.
pub fn not_found(turn: &Turn<'_>) -> Answer {
    let speech = Speech::text(t(
        turn.lang,
        "Das weiß ich leider nicht.",
        "Sorry, I don't know that.",
    ))
    .then(hotline(turn));
    turn.answer(speech, None, Session::default())
}
