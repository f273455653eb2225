//! Sample utterances as patterns of words and `{slot}` gaps, matched
//! against the whole utterance in every way the slots can split it; and
//! the invocation ("frag stadt münchen …") dropped before matching.

use crate::matching::normalize::words;

/// One sample utterance of an intent, as tokens.
#[derive(Debug)]
pub(super) struct Pattern {
    /// Index of the intent in the model.
    pub(super) intent: usize,
    pub(super) tokens: Vec<Token>,
    /// How many literal words the sample has (more is a closer match).
    pub(super) literals: usize,
}

#[derive(Debug)]
pub(super) enum Token {
    Word(String),
    Slot(String),
}

impl Pattern {
    /// The pattern of `sample`, a sample utterance of intent `intent`.
    pub(super) fn new(intent: usize, sample: &str) -> Self {
        let tokens: Vec<Token> = sample
            .split_whitespace()
            .flat_map(|w| {
                if w.starts_with('{') && w.ends_with('}') {
                    vec![Token::Slot(w.trim_matches(['{', '}']).to_string())]
                } else {
                    words(w).into_iter().map(Token::Word).collect()
                }
            })
            .collect();
        let literals = tokens
            .iter()
            .filter(|t| matches!(t, Token::Word(_)))
            .count();
        Pattern {
            intent,
            tokens,
            literals,
        }
    }
}

/// Drops "alexa", "frag stadt münchen", "ask munich city to", …; returns
/// whether the skill was named and the remaining words.
pub(super) fn strip_invocation(tokens: &[String], invocation: &[String]) -> (bool, Vec<String>) {
    let mut t: Vec<String> = tokens.to_vec();
    if t.first().is_some_and(|w| w == "alexa") {
        t.remove(0);
    }
    if invocation.is_empty() {
        return (false, t);
    }
    let pos = t.windows(invocation.len()).position(|w| w == invocation);
    let Some(pos) = pos else {
        return (false, t);
    };
    let before = &t[..pos];
    const LAUNCH: &[&str] = &[
        "frag", "frage", "oeffne", "starte", "ask", "open", "start", "launch", "tell", "bei",
        "von", "die", "der",
    ];
    if !before.iter().all(|w| LAUNCH.contains(&w.as_str())) {
        return (false, t);
    }
    let mut rest: Vec<String> = t[pos + invocation.len()..].to_vec();
    while rest
        .first()
        .is_some_and(|w| ["to", "for", "about", "ob", "nach", "wegen"].contains(&w.as_str()))
    {
        rest.remove(0);
    }
    (true, rest)
}

/// Matches pattern tokens against the whole utterance; slots take one or
/// more words. Returns the slot captures of the first full match.
/// Most splits of one utterance tried against one pattern.
const MAX_SPLITS: usize = 64;

/// All assignments of words to the pattern's slots (at most [`MAX_SPLITS`]).
pub(super) fn match_all(pattern: &[Token], words: &[String]) -> Vec<Vec<(String, String)>> {
    let mut out = Vec::new();
    collect(pattern, words, &mut Vec::new(), &mut out);
    out
}

fn collect(
    pattern: &[Token],
    words: &[String],
    so_far: &mut Vec<(String, String)>,
    out: &mut Vec<Vec<(String, String)>>,
) {
    if out.len() >= MAX_SPLITS {
        return;
    }
    match pattern.first() {
        None => {
            if words.is_empty() {
                out.push(so_far.clone());
            }
        }
        Some(Token::Word(w)) => {
            if words.first() == Some(w) {
                collect(&pattern[1..], &words[1..], so_far, out);
            }
        }
        Some(Token::Slot(name)) => {
            for n in 1..=words.len() {
                so_far.push((name.clone(), words[..n].join(" ")));
                collect(&pattern[1..], &words[n..], so_far, out);
                so_far.pop();
            }
        }
    }
}
