//! One normaliser for corpus texts and queries alike.
//!
//! Lower case, German umlauts and ß folded (`Bürgerbüro` → `buergerbuero`), so
//! that "Buergerbuero" typed or recognised without umlauts still matches;
//! punctuation dropped; stop words removed.

use rustc_hash::FxHashSet as HashSet;
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
    "frage",
    "frag",
    "sag",
    "sage",
    "mir",
    "wissen",
    "ob",
    "dass",
    "welchen",
    "viel",
    "jetzt",
    "gerade",
    "eigentlich",
    "genau",
    "schon",
    "einfach",
    "hallo",
];

const STOP_EN: &[&str] = &[
    "i", "me", "my", "you", "your", "we", "our", "it", "its", "the", "a", "an", "and", "or", "but",
    "which", "can", "could", "do", "does", "did", "must", "should", "would", "will", "shall",
    "have", "has", "had", "is", "am", "are", "were", "be", "to", "of", "in", "on", "at", "for",
    "with", "from", "by", "about", "please", "get", "need", "want", "there", "here", "that",
    "this", "tell", "know", "ask", "some", "any", "so", "if", "just", "now", "hi", "hello", "s",
    "d", "ll", "m", "t", "re", "ve", "go", "up",
];

/// Lower-cases, folds umlauts and ß, and turns everything that is not a
/// letter or digit into a space.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        // Fast path: most text is ASCII.
        if c.is_ascii() {
            match c {
                c if c.is_ascii_alphanumeric() => out.push(c.to_ascii_lowercase()),
                '\'' => {}
                _ => out.push(' '),
            }
            continue;
        }
        for c in c.to_lowercase() {
            fold_char(c, &mut out);
        }
    }
    out
}

/// Folds one lower-case non-ASCII character.
fn fold_char(c: char, out: &mut String) {
    match c {
        'ä' => out.push_str("ae"),
        'ö' => out.push_str("oe"),
        'ü' => out.push_str("ue"),
        'ß' => out.push_str("ss"),
        'é' | 'è' | 'ê' => out.push('e'),
        'á' | 'à' | 'â' => out.push('a'),
        c if c.is_alphanumeric() => out.push(c),
        '’' => {}
        _ => out.push(' '),
    }
}

/// Question words and negations: kept (they change what is asked — "wo"
/// vs "was kostet", "nicht"), but they weigh little.
const LIGHT: &[&str] = &[
    "wie", "wo", "wohin", "woher", "was", "wann", "wer", "warum", "wieso", "wieviel", "nicht",
    "kein", "keine", "keinen", "how", "where", "what", "when", "who", "why", "not", "no", "never",
];

/// Everyday words that rarely name what a question is about ("ich krieg
/// das nicht hin", "I went there yesterday"): matched when the corpus uses
/// them, but weighing as little as question words, so that a citizen's
/// chatty question is not taken for an unknown topic.
const EVERYDAY: &[&str] = &[
    // German
    "brauch",
    "braeuchte",
    "krieg",
    "kriegt",
    "krieg",
    "mach",
    "macht",
    "machst",
    "gemacht",
    "geht",
    "gehe",
    "gehen",
    "ging",
    "gegangen",
    "komme",
    "kommt",
    "kommen",
    "kam",
    "gekommen",
    "lassen",
    "lasse",
    "laesst",
    "gelassen",
    "stellen",
    "stelle",
    "gestellt",
    "sagen",
    "sagt",
    "gesagt",
    "sehen",
    "sehe",
    "gesehen",
    "geben",
    "gegeben",
    "nehmen",
    "nehme",
    "genommen",
    "wollen",
    "wollte",
    "sollen",
    "darf",
    "duerfen",
    "koennte",
    "muesste",
    "wuerde",
    "haette",
    "waere",
    "war",
    "hatte",
    "hab",
    "hatten",
    "wurde",
    "worden",
    "geworden",
    "tue",
    "tut",
    "weiss",
    "weisst",
    "glaube",
    "denke",
    "heute",
    "gestern",
    "bald",
    "gleich",
    "immer",
    "wieder",
    "mehr",
    "nur",
    "sehr",
    "ganz",
    "etwas",
    "alles",
    "nichts",
    "irgendwo",
    "irgendwie",
    "irgendwas",
    "halt",
    "eben",
    "ja",
    "nun",
    "also",
    "dann",
    "jemand",
    "leute",
    "sowas",
    "so",
    "dies",
    "diese",
    "dieser",
    "diesen",
    "dieses",
    "unser",
    "unsere",
    "unseren",
    "euer",
    "ihre",
    "ihren",
    "seine",
    "seinen",
    "seinem",
    "meines",
    "deinen",
    "oft",
    "sofort",
    "endlich",
    "leider",
    "wirklich",
    "bisschen",
    "wegen",
    "ueber",
    "unter",
    "durch",
    "ohne",
    "gegen",
    "seit",
    "bis",
    "hin",
    "her",
    "hinein",
    "rein",
    "raus",
    "dabei",
    "damit",
    "dafuer",
    "darum",
    "dazu",
    "davon",
    "danach",
    "sonst",
    "gut",
    "schlecht",
    "richtig",
    "moeglich",
    "eigene",
    "eigenen",
    "hilfe",
    "helfen",
    "hilf",
    "frage",
    "fragen",
    // English
    "got",
    "getting",
    "gets",
    "went",
    "going",
    "goes",
    "gone",
    "come",
    "comes",
    "came",
    "make",
    "makes",
    "made",
    "making",
    "let",
    "put",
    "take",
    "took",
    "say",
    "said",
    "see",
    "give",
    "gave",
    "think",
    "like",
    "really",
    "very",
    "much",
    "many",
    "still",
    "again",
    "also",
    "then",
    "than",
    "only",
    "some",
    "something",
    "anything",
    "everything",
    "somewhere",
    "anywhere",
    "someone",
    "somebody",
    "anyone",
    "people",
    "thing",
    "things",
    "yesterday",
    "today",
    "soon",
    "right",
    "actually",
    "basically",
    "sort",
    "way",
    "help",
    "question",
    "okay",
    "ok",
    "hey",
    "well",
    "into",
    "out",
    "over",
    "after",
    "before",
    "they",
    "them",
    "their",
    "he",
    "she",
    "his",
    "her",
    "him",
    "us",
    "what's",
    "whats",
    "i'm",
    "im",
    "dont",
    "don't",
    "cant",
    "can't",
    "wanna",
    "gonna",
    "gotta",
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
    let mut out = Vec::new();
    for_each_word(text, |w| out.push(w.to_string()));
    out
}

/// Calls `f` with each word [`words`] would return, without allocating one
/// string per word (the index build folds every text of the corpus).
pub fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let mut digits = String::new();
    for w in fold(text).split_whitespace() {
        match number(w) {
            Some(d) if d.len() == 1 => digits.push_str(d),
            other => {
                if !digits.is_empty() {
                    f(&digits);
                    digits.clear();
                }
                f(other.unwrap_or(w));
            }
        }
    }
    if !digits.is_empty() {
        f(&digits);
    }
}

fn set(lists: &[&'static [&'static str]]) -> HashSet<&'static str> {
    lists.iter().flat_map(|l| l.iter().copied()).collect()
}

/// True for words that say nothing about the topic ("ich", "the", "bitte").
pub fn is_stop_word(w: &str) -> bool {
    static STOP: OnceLock<HashSet<&'static str>> = OnceLock::new();
    STOP.get_or_init(|| set(&[STOP_DE, STOP_EN])).contains(w)
}

/// True for question words, negations and everyday words (kept, weighing
/// little).
pub fn is_light_word(w: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| set(&[LIGHT, EVERYDAY])).contains(w)
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
