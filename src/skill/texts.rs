//! Everything the skill says that does not come from the corpus, in German
//! and English. German uses the informal "du", Alexa's convention.

use crate::knowledge::Office;
use crate::lang::speech::{Segment, Speech};
use crate::lang::Lang;

/// Picks the German or English text.
pub fn t(lang: Lang, de: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::De => de,
        Lang::En => en,
    }
}

/// Text segments for a sentence in `lang`. In English, words with German
/// letters (Bürgerbüro, Ruppertstraße) are marked as German so that Alexa
/// pronounces them right.
pub fn segments(text: &str, lang: Lang) -> Vec<Segment> {
    if lang == Lang::De {
        return vec![Segment::Text(text.to_string())];
    }
    let mut out: Vec<Segment> = Vec::new();
    let mut plain = String::new();
    for (i, word) in text.split(' ').enumerate() {
        let sep = if i == 0 { "" } else { " " };
        let (core, tail) = split_trailing_punct(word);
        if core.chars().any(|c| "äöüÄÖÜß".contains(c)) {
            plain.push_str(sep);
            if !plain.is_empty() {
                out.push(Segment::Text(std::mem::take(&mut plain)));
            }
            out.push(Segment::Lang {
                lang: "de-DE".into(),
                text: core.to_string(),
            });
            plain.push_str(tail);
        } else {
            plain.push_str(sep);
            plain.push_str(word);
        }
    }
    if !plain.is_empty() {
        out.push(Segment::Text(plain));
    }
    out
}

fn split_trailing_punct(word: &str) -> (&str, &str) {
    let end = word
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_punctuation())
        .last()
        .map_or(word.len(), |(i, _)| i);
    word.split_at(end)
}

/// A sentence in `lang`, with German words marked in English.
pub fn sentence(text: &str, lang: Lang) -> Speech {
    Speech::new().part(segments(text, lang))
}

/// The leading sentences of `text` that fit in `max` characters (at
/// least the first, cut at a word when it alone is longer).
pub fn fitting_sentences(text: &str, max: usize) -> &str {
    if text.chars().count() <= max {
        return text;
    }
    let limit = text.char_indices().nth(max).map_or(text.len(), |(i, _)| i);
    let mut ends = text[..limit]
        .match_indices(['.', '!', '?'])
        .map(|(i, _)| i + 1)
        .filter(|&e| text[e..].starts_with(char::is_whitespace));
    match ends.next_back() {
        Some(end) => &text[..end],
        None => text[..limit]
            .rsplit_once(' ')
            .map_or(&text[..limit], |(head, _)| head),
    }
}

/// The office's name with its article: "das Bürgerbüro Ruppertstraße",
/// "the Citizens' Office Ruppertstraße".
pub fn office_name(office: &Office, lang: Lang) -> String {
    let name = office.name(lang);
    match lang {
        Lang::De => match office.article.as_deref() {
            Some(a) => format!("{a} {name}"),
            None => name.to_string(),
        },
        Lang::En if office.kind.as_deref() == Some("hotline") => name.to_string(),
        Lang::En => format!("the {name}"),
    }
}

/// "vom Bürgerbüro", "von der Behördennummer 115", "of the Citizens' Office".
pub fn office_of(office: &Office, lang: Lang) -> String {
    let name = office.name(lang);
    match lang {
        Lang::De => match office.article.as_deref() {
            Some("die") => format!("von der {name}"),
            Some(_) => format!("vom {name}"),
            None => format!("von {name}"),
        },
        Lang::En => format!("of {}", office_name(office, lang)),
    }
}

/// Ends a sentence with a period, unless it already ends with one ("6 p.m.").
pub fn period(s: &str) -> String {
    if s.ends_with(['.', '!', '?']) {
        s.to_string()
    } else {
        format!("{s}.")
    }
}

/// Capitalises the first letter of a sentence.
pub fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Welcome on launch.
pub fn welcome(lang: Lang, city: &str) -> String {
    match lang {
        Lang::De => format!("Willkommen bei der Stadt {city}!"),
        Lang::En => format!("Welcome to {city} city services!"),
    }
}

/// Two example questions.
pub fn examples(lang: Lang) -> &'static str {
    t(
        lang,
        "Du kannst mich zum Beispiel fragen: Wann hat das Bürgerbüro Ruppertstraße offen? Oder: Was ist am Wochenende los?",
        "You can ask me, for example: When is the Bürgerbüro Ruppertstraße open? Or: What's on this weekend?",
    )
}

/// The standard question back.
pub fn what_else(lang: Lang) -> &'static str {
    t(
        lang,
        "Was möchtest du wissen?",
        "What would you like to know?",
    )
}

/// Asked after an answer inside a running conversation.
pub fn anything_else(lang: Lang) -> &'static str {
    t(
        lang,
        "Kann ich dir sonst noch helfen?",
        "Can I help you with anything else?",
    )
}

/// Reprompt after launch, help or fallback.
pub fn reprompt(lang: Lang) -> &'static str {
    t(
        lang,
        "Frag mich nach Öffnungszeiten, Adressen, Telefonnummern, Behördengängen oder Veranstaltungen. Was möchtest du wissen?",
        "Ask me about opening hours, addresses, phone numbers, city services or events. What would you like to know?",
    )
}

/// Help.
pub fn help(lang: Lang) -> &'static str {
    t(
        lang,
        "Ich kenne die Öffnungszeiten, Adressen und Telefonnummern der städtischen Ämter, beantworte Fragen zu Behördengängen wie Reisepass, Ummeldung oder Sperrmüll, und sage dir, was los ist. Frag zum Beispiel: Wo ist das Fundbüro? Wie melde ich meinen Wohnsitz an? Oder: Was ist heute los?",
        "I know the opening hours, addresses and phone numbers of the city offices, answer questions about city services like passports, registering your address or bulky waste, and tell you what's on. Ask, for example: Where is the lost property office? How do I register my address? Or: What's on today?",
    )
}

/// Goodbye on stop and cancel.
pub fn goodbye(lang: Lang) -> &'static str {
    t(lang, "Tschüss, bis bald!", "Goodbye!")
}

/// Fallback: not understood.
pub fn not_understood(lang: Lang) -> &'static str {
    t(
        lang,
        "Das habe ich leider nicht verstanden.",
        "Sorry, I didn't get that.",
    )
}

/// An intent or request type the skill does not handle.
pub fn cannot_do(lang: Lang) -> &'static str {
    t(
        lang,
        "Das kann ich leider noch nicht.",
        "Sorry, I can't do that yet.",
    )
}

/// Back to the start.
pub fn home(lang: Lang) -> &'static str {
    t(lang, "Okay, zurück zum Anfang.", "Okay, back to the start.")
}

/// Office slot empty.
pub fn which_office(lang: Lang) -> &'static str {
    t(
        lang,
        "Welches Amt meinst du? Sag zum Beispiel: das Bürgerbüro Ruppertstraße oder das Fundbüro.",
        "Which office do you mean? Say, for example: the Bürgerbüro Ruppertstraße or the lost property office.",
    )
}

/// Office named but unknown.
pub fn unknown_office(lang: Lang, said: &str) -> String {
    match lang {
        Lang::De => format!("Ein Amt namens {said} kenne ich leider nicht."),
        Lang::En => format!("Sorry, I don't know an office called {said}."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_answer_is_cut_after_the_last_sentence_that_fits() {
        let text = "Erster Satz. Zweiter Satz! Dritter Satz ist lang.";
        assert_eq!(fitting_sentences(text, 30), "Erster Satz. Zweiter Satz!");
        assert_eq!(fitting_sentences(text, 100), text);
        assert_eq!(
            fitting_sentences("ein sehr langer satz ohne ende", 12),
            "ein sehr"
        );
    }
}
