//! One normaliser for corpus texts and queries alike.
//!
//! Lower case, German umlauts and ß folded (`Bürgerbüro` → `buergerbuero`), so
//! that "Buergerbuero" typed or recognised without umlauts still matches;
//! punctuation dropped; stop words removed.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Words that say nothing about the topic of a question.
const STOP_DE: &[&str] = &[
    "ich",
    "du",
    "er",
    "sie",
    "es",
    "wir",
    "ihr",
    "mich",
    "mir",
    "dich",
    "dir",
    "mein",
    "meine",
    "meinen",
    "meinem",
    "meiner",
    "dein",
    "deine",
    "der",
    "die",
    "das",
    "den",
    "dem",
    "des",
    "ein",
    "eine",
    "einen",
    "einem",
    "einer",
    "und",
    "oder",
    "aber",
    "wie",
    "wo",
    "was",
    "wann",
    "wer",
    "welche",
    "welcher",
    "welches",
    "kann",
    "koennen",
    "muss",
    "muessen",
    "soll",
    "sollte",
    "will",
    "moechte",
    "hat",
    "habe",
    "hast",
    "haben",
    "ist",
    "bin",
    "sind",
    "wird",
    "werden",
    "gibt",
    "es",
    "zu",
    "zum",
    "zur",
    "im",
    "in",
    "am",
    "an",
    "auf",
    "fuer",
    "mit",
    "von",
    "vom",
    "bei",
    "beim",
    "nach",
    "aus",
    "um",
    "bitte",
    "mal",
    "denn",
    "noch",
    "auch",
    "so",
    "da",
    "dort",
    "hier",
    "man",
    "sich",
    "tun",
    "machen",
    "mache",
    "brauche",
    "brauchen",
    "bekomme",
    "bekommen",
    "kriege",
    "kriegen",
    "alexa",
    "frage",
    "frag",
    "sag",
    "sage",
    "mir",
    "wissen",
    "ob",
    "dass",
    "welchen",
    "wieviel",
    "viel",
    "nicht",
    "kein",
    "keine",
    "jetzt",
    "gerade",
    "eigentlich",
    "genau",
    "schon",
    "einfach",
    "hallo",
    "stadt",
    "muenchen",
];

const STOP_EN: &[&str] = &[
    "i", "me", "my", "you", "your", "we", "our", "it", "its", "the", "a", "an", "and", "or", "but",
    "which", "can", "could", "do", "does", "did", "must", "should", "would", "will", "shall",
    "have", "has", "had", "is", "am", "are", "were", "be", "to", "of", "in", "on", "at", "for",
    "with", "from", "by", "about", "please", "get", "need", "want", "there", "here", "that",
    "this", "tell", "know", "alexa", "ask", "city", "munich", "some", "any", "so", "if", "just",
    "now", "hi", "hello", "s", "d", "ll", "m", "t", "re", "ve", "go", "up",
];

/// Lower-cases, folds umlauts and ß, and turns everything that is not a
/// letter or digit into a space.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            'é' | 'è' | 'ê' => out.push('e'),
            'á' | 'à' | 'â' => out.push('a'),
            c if c.is_alphanumeric() => out.push(c),
            '\'' | '’' => {}
            _ => out.push(' '),
        }
    }
    out
}

/// Question words and negations: kept (they change what is asked — "wo"
/// vs "was kostet", "nicht"), but they weigh little.
const LIGHT: &[&str] = &[
    "wie", "wo", "wohin", "woher", "was", "wann", "wer", "warum", "wieso", "wieviel", "nicht",
    "kein", "keine", "keinen", "how", "where", "what", "when", "who", "why", "not", "no", "never",
];

/// Number words as digits, so "eins eins fünf", "hundertfünfzehn" and
/// "115" are the same word.
fn number(w: &str) -> Option<&'static str> {
    Some(match w {
        "null" | "zero" => "0",
        "eins" | "one" => "1",
        "zwei" | "two" => "2",
        "drei" | "three" => "3",
        "vier" | "four" => "4",
        "fuenf" | "five" => "5",
        "sechs" | "six" => "6",
        "sieben" | "seven" => "7",
        "acht" | "eight" => "8",
        "neun" | "nine" => "9",
        "zehn" | "ten" => "10",
        "elf" | "eleven" => "11",
        "zwoelf" | "twelve" => "12",
        "hundertfuenfzehn" => "115",
        _ => return None,
    })
}

/// All folded words, stop words included; number words as digits, and
/// spelled-out digit sequences joined ("eins eins fünf" → "115").
pub fn words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut digits = String::new();
    for w in fold(text).split_whitespace() {
        match number(w) {
            Some(d) if d.len() == 1 => digits.push_str(d),
            other => {
                if !digits.is_empty() {
                    out.push(std::mem::take(&mut digits));
                }
                out.push(other.map_or_else(|| w.to_string(), str::to_string));
            }
        }
    }
    if !digits.is_empty() {
        out.push(digits);
    }
    out
}

fn set(lists: &[&'static [&'static str]]) -> HashSet<&'static str> {
    lists.iter().flat_map(|l| l.iter().copied()).collect()
}

/// True for words that say nothing about the topic ("ich", "the", "bitte").
pub fn is_stop_word(w: &str) -> bool {
    static STOP: OnceLock<HashSet<&'static str>> = OnceLock::new();
    STOP.get_or_init(|| set(&[STOP_DE, STOP_EN])).contains(w)
}

/// True for question words and negations (kept, weighing little).
pub fn is_light_word(w: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| set(&[LIGHT])).contains(w)
}

/// The folded content words of a text: what a question is about.
pub fn terms(text: &str) -> Vec<String> {
    words(text)
        .into_iter()
        .filter(|w| !is_stop_word(w) && !is_light_word(w))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn umlauts_are_folded_both_ways_alike() {
        assert_eq!(fold("Bürgerbüro Straße"), "buergerbuero strasse");
        assert_eq!(fold("Buergerbuero"), "buergerbuero");
    }

    #[test]
    fn stop_words_are_removed() {
        assert_eq!(terms("Wie kann ich mich abmelden?"), vec!["abmelden"]);
        assert_eq!(terms("How do I get a passport?"), vec!["passport"]);
    }

    #[test]
    fn spelled_out_numbers_become_digits() {
        assert_eq!(words("eins eins fünf"), vec!["115"]);
        assert_eq!(
            words("Behördennummer hundertfünfzehn"),
            vec!["behoerdennummer", "115"]
        );
    }

    #[test]
    fn hyphens_split_words() {
        assert_eq!(words("Kfz-Zulassung"), vec!["kfz", "zulassung"]);
    }
}
