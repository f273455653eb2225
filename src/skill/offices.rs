//! Office hours, address and phone.

use super::answer::{Answer, AskFor, Card};
use super::open_now::{open_now, Named};
use super::reply::{hotline, source_line};
use super::session::Session;
use super::texts::{self, capitalize, t};
use super::turn::Turn;
use crate::alexa::Intent;
use crate::knowledge::{Aspect, FaqMatch, Office};
use crate::lang::speech::SayAs;
use crate::lang::speech::{Segment, Speech};
use crate::lang::Lang;
use crate::time::hours::Hours;
use crate::time::{dates, speak};
use chrono::{Datelike, NaiveDate};

/// The office the user means: the slot's resolved id first, then its raw
/// value matched against names and synonyms, then (slot empty) the office
/// of the previous turn.
pub fn resolve<'k>(turn: &Turn<'k>, intent: &Intent) -> Option<&'k Office> {
    let slot = intent.slots.get("office");
    if let Some(o) = slot
        .and_then(|s| s.resolved_id())
        .and_then(|id| turn.k.office(id))
    {
        return Some(o);
    }
    if let Some(v) = slot.and_then(|s| s.spoken()) {
        return turn.k.find_office(v);
    }
    None
}

enum Resolved<'k> {
    Office(&'k Office),
    Missing,
    Unknown(String),
}

/// Words that stand for the office just talked about.
const PRONOUNS: &[&str] = &[
    "das", "es", "dort", "da", "die", "dem", "der", "it", "there", "them", "that", "this",
];

fn office_for<'k>(turn: &Turn<'k>, intent: &Intent) -> Resolved<'k> {
    if let Some(o) = resolve(turn, intent) {
        return Resolved::Office(o);
    }
    // "und wo ist das?": a pronoun is the office of the previous turn.
    let said = intent
        .slot_value("office")
        .filter(|v| !PRONOUNS.contains(&v.trim().to_lowercase().as_str()));
    match said {
        Some(v) => Resolved::Unknown(v.to_string()),
        None => match turn
            .session
            .office
            .as_deref()
            .and_then(|id| turn.k.office(id))
        {
            Some(o) => Resolved::Office(o),
            None => Resolved::Missing,
        },
    }
}

fn remember(office: &Office) -> Session {
    Session::about_office(&office.id)
}

fn link_sentence(turn: &Turn<'_>, office: &Office) -> Speech {
    if office.url.is_some() {
        Speech::text(t(
            turn.lang,
            "Den Link zur Seite habe ich dir in die Alexa-App geschickt.",
            "I've sent the link to the page to your Alexa app.",
        ))
    } else {
        Speech::new()
    }
}

fn card(turn: &Turn<'_>, office: &Office, lines: Vec<String>) -> Card {
    let mut body = lines;
    if let Some(url) = &office.url {
        body.push(url.clone());
    }
    body.push(source_line(turn.lang, &office.source, &office.as_of));
    Card::new(office.name(turn.lang), body.join("\n"))
}

fn missing_or_unknown(turn: &Turn<'_>, intent: &Intent, r: Resolved<'_>) -> Answer {
    match r {
        Resolved::Missing => {
            // Ask for the office; the intent waits in the session, so the
            // answer ("das Bürgerbüro Pasing") completes it whichever way
            // it comes back.
            let q = texts::which_office(turn.lang);
            let waiting = Session {
                waiting_intent: Some(intent.name.clone()),
                ..Session::default()
            };
            turn.ask(Speech::new(), q, waiting)
                .elicit(AskFor::slot_of("office", intent))
        }
        // "Wo ist der nächste Wertstoffhof?": no office of that name, but
        // perhaps a question the FAQ answers.
        Resolved::Unknown(said) => match turn.k.match_question(&said, turn.lang) {
            FaqMatch::Answer { entry, score } => {
                super::question::speak_entry(turn, entry, Some(score))
            }
            _ => turn.answer(
                Speech::text(texts::unknown_office(turn.lang, &said)).then(hotline(turn)),
                None,
                Session::default(),
            ),
        },
        Resolved::Office(_) => turn.ask(
            Speech::new(),
            texts::what_else(turn.lang),
            Session::default(),
        ),
    }
}

/// The office named in any slot of `intent` (the office slot, or a whole
/// utterance that is an office's name), for an intent waiting for one.
pub fn named_in<'k>(turn: &Turn<'k>, intent: &Intent) -> Option<&'k Office> {
    resolve(turn, intent).or_else(|| {
        intent
            .slots
            .values()
            .filter_map(|s| s.spoken())
            .find_map(|v| turn.k.find_office(v))
    })
}

/// Completes the office intent `waiting` (from [`ELICIT`]) with `office`.
pub fn complete(turn: &Turn<'_>, waiting: &str, office: &Office) -> Answer {
    match waiting {
        "OfficeAddressIntent" => address_of(turn, office),
        "OfficePhoneIntent" => phone_of(turn, office),
        _ => hours_of(turn, office, None),
    }
}

/// OfficeHoursIntent: the hours of the week, or of the day asked about.
pub fn hours(turn: &Turn<'_>, intent: &Intent) -> Answer {
    match office_for(turn, intent) {
        Resolved::Office(o) => hours_of(turn, o, intent.slot_value("date")),
        other => missing_or_unknown(turn, intent, other),
    }
}

/// The answer for one office and aspect (from a free-text question).
pub fn aspect(turn: &Turn<'_>, office: &Office, aspect: Aspect) -> Answer {
    match aspect {
        Aspect::Hours => hours_of(turn, office, None),
        Aspect::Address => address_of(turn, office),
        Aspect::Phone => phone_of(turn, office),
    }
}

fn hours_of(turn: &Turn<'_>, office: &Office, date: Option<&str>) -> Answer {
    hours_said(turn, office, date).matched(&office.id, None)
}

fn hours_said(turn: &Turn<'_>, office: &Office, date: Option<&str>) -> Answer {
    let lang = turn.lang;
    let name = texts::office_name(office, lang);
    let Some(hours) = turn.k.hours(&office.id) else {
        let text = match lang {
            Lang::De => format!(
                "Die Öffnungszeiten {} habe ich leider nicht sicher.",
                texts::office_of(office, lang)
            ),
            Lang::En => format!(
                "Sorry, I don't have confirmed opening hours {}.",
                texts::office_of(office, lang)
            ),
        };
        let mut speech = texts::sentence(&text, lang);
        let mut lines = Vec::new();
        if let Some((s, l)) = appointment(turn, office) {
            speech = speech.then(s);
            lines = l;
        }
        let speech = speech.then(link_sentence(turn, office)).then(hotline(turn));
        return turn.answer_open(speech, Some(card(turn, office, lines)), remember(office));
    };
    // "laut Stand Juli 2019": hours from an old source are said with their date.
    let (st_de, st_en) = match office.hours_as_of {
        Some(d) => (
            format!(
                " laut Stand {}",
                speak::month_year(d.month(), d.year(), Lang::De)
            ),
            format!(
                "As of {}, ",
                speak::month_year(d.month(), d.year(), Lang::En)
            ),
        ),
        None => (String::new(), String::new()),
    };
    let en_name = if st_en.is_empty() {
        capitalize(&name)
    } else {
        name.clone()
    };
    // "Today" is answered like "now": open until when, or when it opens.
    let day = date
        .and_then(|v| dates::parse(v, turn.today))
        .and_then(|r| r.single_day())
        .filter(|d| *d != turn.today);
    let mut call_ahead = false;
    let main = if let Some(day) = day {
        let when = speak::day(day, turn.today, lang);
        let ranges: Vec<String> = hours
            .day(day)
            .iter()
            .map(|(a, b)| speak::range(*a, *b, lang))
            .collect();
        let closed_for = closed_for(hours, day, lang);
        match (lang, ranges.is_empty(), closed_for) {
            (Lang::De, true, Some(why)) => {
                format!("{} ist {why}, da hat {name} geschlossen", capitalize(&when))
            }
            (Lang::En, true, Some(why)) => {
                format!("{} it's {why}, so {name} is closed", capitalize(&when))
            }
            (Lang::De, true, None) => {
                format!("{} hat {when}{st_de} geschlossen", capitalize(&name))
            }
            (Lang::De, false, _) => format!(
                "{} hat {when}{st_de} {} geöffnet",
                capitalize(&name),
                speak::join(&ranges, lang)
            ),
            (Lang::En, true, None) => format!("{st_en}{en_name} is closed {when}"),
            (Lang::En, false, _) => format!(
                "{st_en}{en_name} is open {when} {}",
                speak::join(&ranges, lang)
            ),
        }
    } else {
        // No day asked: answer "is it open now?" first (voice-style.md).
        let of = texts::office_of(office, lang);
        let pronoun = match office.article.as_deref() {
            // "Die Bibliothek … Sie öffnet", "Der Wertstoffhof … Er öffnet".
            Some("die") => "Sie",
            Some("der") => "Er",
            _ => "Es",
        };
        let who = Named {
            name: &name,
            of: &of,
            pronoun,
        };
        let answer = open_now(hours, who, turn.local_now, turn.k.city().timezone, lang);
        call_ahead = answer.call_ahead;
        answer.text
    };
    // Old sources are named with their date.
    let stand = match (office.hours_as_of, day.is_some()) {
        (Some(d), false) => Some(match lang {
            Lang::De => format!(
                "Stand der Öffnungszeiten: {}.",
                speak::month_year(d.month(), d.year(), lang)
            ),
            Lang::En => format!(
                "These hours are as of {}.",
                speak::month_year(d.month(), d.year(), lang)
            ),
        }),
        _ => None,
    };
    let text = texts::period(&main);
    let mut speech = texts::sentence(&text, lang);
    // "Nur mit Termin" right after "open now": without one, open means little.
    let booking = appointment(turn, office);
    if let Some((s, _)) = &booking {
        speech = speech.then(s.clone());
    }
    if let Some(stand) = stand {
        speech = speech.then(texts::sentence(&stand, lang));
    }
    // Hours that say nothing sure ("nach Vereinbarung", `unknown`): the
    // office's phone, or the hotline.
    if call_ahead {
        speech = speech.then(call_first(turn, office));
    }
    if let Some(note) = office.note.as_ref().and_then(|n| n.get_or_other(lang)) {
        speech = speech.then(texts::sentence(&texts::period(note), lang));
    }
    let shown = day.unwrap_or(turn.today);
    let mut lines = hours.card_week(shown, lang);
    if let Some((_, l)) = booking {
        lines.extend(l);
    }
    if let Some(d) = office.hours_as_of {
        lines.push(format!(
            "{}: {}",
            t(lang, "Stand", "As of"),
            d.format("%d.%m.%Y")
        ));
    }
    turn.answer_open(speech, Some(card(turn, office, lines)), remember(office))
}

/// "Ruf am besten vorher an: 089 233-96000.", or the hotline without a number.
fn call_first(turn: &Turn<'_>, office: &Office) -> Speech {
    let Some(number) = &office.phone else {
        return hotline(turn);
    };
    let mut part = texts::segments(
        t(turn.lang, "Ruf am besten vorher an: ", "Best call ahead: "),
        turn.lang,
    );
    part.push(Segment::SayAs {
        interpret_as: SayAs::Telephone,
        text: number.clone(),
    });
    part.push(Segment::Text(".".into()));
    Speech::new().part(part)
}

/// Why an office that is open on a regular such day is closed on `day`.
fn closed_for(hours: &Hours, day: NaiveDate, lang: Lang) -> Option<String> {
    hours.closed_for(day, lang)
}

/// "Nur mit Termin: online auf stadt.muenchen.de oder unter 089
/// 233-96000.", the number said as a phone number; and the card's lines.
fn appointment(turn: &Turn<'_>, office: &Office) -> Option<(Speech, Vec<String>)> {
    let a = office.appointment.as_ref()?;
    let lang = turn.lang;
    let (only, online, or_phone, call) = match lang {
        Lang::De => ("Nur mit Termin", "online auf", "oder unter", "unter"),
        Lang::En => ("By appointment only", "book online at", "or call", "call"),
    };
    let mut text = match (&a.online, &a.phone) {
        (None, None) => only.to_string(),
        _ => format!("{only}:"),
    };
    if let Some(o) = &a.online {
        text.push_str(&format!(" {online} {o}"));
    }
    let mut part = texts::segments(&text, lang);
    let mut line = text.clone();
    if let Some(p) = &a.phone {
        let join = if a.online.is_some() { or_phone } else { call };
        part.extend(texts::segments(&format!(" {join} "), lang));
        part.push(Segment::SayAs {
            interpret_as: SayAs::Telephone,
            text: p.clone(),
        });
        line.push_str(&format!(" {join} {p}"));
    }
    part.push(Segment::Text(".".into()));
    let mut speech = Speech::new().part(part);
    let mut lines = vec![line];
    if let Some(w) = a.walk_in.as_ref().and_then(|w| w.get_or_other(lang)) {
        speech = speech.then(texts::sentence(&texts::period(w), lang));
        lines.push(w.clone());
    }
    lines.push(format!(
        "{}: {} ({})",
        t(lang, "Quelle (Termine)", "Source (appointments)"),
        a.source,
        a.as_of
    ));
    Some((speech, lines))
}

/// OfficeAddressIntent.
pub fn address(turn: &Turn<'_>, intent: &Intent) -> Answer {
    match office_for(turn, intent) {
        Resolved::Office(o) => address_of(turn, o),
        other => missing_or_unknown(turn, intent, other),
    }
}

fn address_of(turn: &Turn<'_>, office: &Office) -> Answer {
    address_said(turn, office).matched(&office.id, None)
}

fn address_said(turn: &Turn<'_>, office: &Office) -> Answer {
    let lang = turn.lang;
    let of = texts::office_of(office, lang);
    let mut lines = Vec::new();
    let speech = match &office.address {
        Some(addr) => {
            lines.push(addr.clone());
            let street = addr.split(',').next().unwrap_or(addr).trim();
            let complete = street.chars().any(|c| c.is_ascii_digit());
            let note = office
                .address_note
                .as_ref()
                .and_then(|n| n.get_or_other(lang));
            // A note that continues the address ("in der Halle E") joins its
            // sentence; one that stands alone ("Eingang 19A …") is its own.
            let continues = note.is_some_and(|n| n.starts_with(|c: char| c.is_lowercase()));
            let place = match note.filter(|_| continues) {
                Some(n) => format!("{street}, {n}"),
                None => street.to_string(),
            };
            let mut s = texts::sentence(
                &texts::period(&match lang {
                    Lang::De => format!("Die Adresse {of} ist {place}"),
                    Lang::En => format!("The address {of} is {place}"),
                }),
                lang,
            );
            if let Some(note) = note {
                lines.push(note.clone());
                if !continues {
                    s = s.then(texts::sentence(&texts::period(note), lang));
                }
            }
            if !complete {
                s = s
                    .say(t(
                        lang,
                        "Die genaue Hausnummer habe ich nicht.",
                        "I don't have the exact house number.",
                    ))
                    .then(link_sentence(turn, office));
            }
            s
        }
        None => texts::sentence(
            &match lang {
                Lang::De => format!("Die Adresse {of} habe ich leider nicht."),
                Lang::En => format!("Sorry, I don't have the address {of}."),
            },
            lang,
        )
        .then(link_sentence(turn, office))
        .then(hotline(turn)),
    };
    turn.answer_open(speech, Some(card(turn, office, lines)), remember(office))
}

/// OfficePhoneIntent.
pub fn phone(turn: &Turn<'_>, intent: &Intent) -> Answer {
    match office_for(turn, intent) {
        Resolved::Office(o) => phone_of(turn, o),
        other => missing_or_unknown(turn, intent, other),
    }
}

fn phone_of(turn: &Turn<'_>, office: &Office) -> Answer {
    phone_said(turn, office).matched(&office.id, None)
}

fn phone_said(turn: &Turn<'_>, office: &Office) -> Answer {
    let lang = turn.lang;
    let of = texts::office_of(office, lang);
    let mut lines = Vec::new();
    let speech = match &office.phone {
        Some(number) => {
            lines.push(format!("{}: {number}", t(lang, "Telefon", "Phone")));
            let mut part = texts::segments(
                &match lang {
                    Lang::De => format!("Die Telefonnummer {of} ist "),
                    Lang::En => format!("The phone number {of} is "),
                },
                lang,
            );
            part.push(Segment::SayAs {
                interpret_as: SayAs::Telephone,
                text: number.clone(),
            });
            part.push(Segment::Text(".".into()));
            Speech::new().part(part)
        }
        None => texts::sentence(
            &match lang {
                Lang::De => format!("Eine Telefonnummer {of} habe ich leider nicht."),
                Lang::En => format!("Sorry, I don't have a phone number {of}."),
            },
            lang,
        )
        .then(hotline(turn)),
    };
    turn.answer_open(speech, Some(card(turn, office, lines)), remember(office))
}
