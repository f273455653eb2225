//! A curated bilingual thesaurus of administrative and everyday words
//! (Lappen → Führerschein, Knöllchen → Bußgeld, flat → apartment), shipped
//! with the matcher so that it works for any city's corpus.
//!
//! `thesaurus.txt`: one concept per line, terms separated by ` | `, the first
//! term names the concept; `#` starts a comment. Multi-word terms are
//! matched as phrases.

use std::sync::{Arc, OnceLock};

use rustc_hash::FxHashMap as HashMap;

use super::normalize::words;

/// Concept number.
pub type Concept = u32;

/// Terms (folded words or phrases) → concepts.
#[derive(Clone, Debug, Default)]
pub struct Thesaurus {
    single: HashMap<String, Concept>,
    /// Phrases by their first word: the other words and the concept,
    /// longest first.
    phrases: HashMap<String, Vec<(Vec<String>, Concept)>>,
    phrase_count: usize,
}

impl Thesaurus {
    /// The thesaurus compiled into the binary.
    /// Parsed once per process and shared by every matcher.
    pub fn builtin() -> Arc<Self> {
        static BUILTIN: OnceLock<Arc<Thesaurus>> = OnceLock::new();
        BUILTIN
            .get_or_init(|| Arc::new(Self::parse(include_str!("thesaurus.txt"))))
            .clone()
    }

    /// Parses thesaurus text; a term already taken by an earlier concept
    /// keeps its first concept.
    pub fn parse(text: &str) -> Self {
        let mut t = Self::default();
        let mut concept: Concept = 0;
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            concept += 1;
            for term in line.split('|') {
                let w = words(term.trim());
                match w.len() {
                    0 => {}
                    1 => {
                        t.single.entry(w[0].clone()).or_insert(concept);
                    }
                    _ => {
                        let list = t.phrases.entry(w[0].clone()).or_default();
                        if !list.iter().any(|(rest, _)| rest[..] == w[1..]) {
                            list.push((w[1..].to_vec(), concept));
                            list.sort_by_key(|(rest, _)| std::cmp::Reverse(rest.len()));
                            t.phrase_count += 1;
                        }
                    }
                }
            }
        }
        t
    }

    /// The concept of one folded word.
    pub fn word(&self, w: &str) -> Option<Concept> {
        self.single.get(w).copied()
    }

    /// The longest phrase starting at `words[0]`: (concept, number of words).
    pub fn phrase<S: AsRef<str>>(&self, words: &[S]) -> Option<(Concept, usize)> {
        let (first, rest) = words.split_first()?;
        self.phrases
            .get(first.as_ref())?
            .iter()
            .find_map(|(want, c)| {
                let here = rest.get(..want.len())?;
                want.iter()
                    .zip(here)
                    .all(|(a, b)| a == b.as_ref())
                    .then_some((*c, want.len() + 1))
            })
    }

    /// Number of single-word terms (for tests and statistics).
    pub fn len(&self) -> usize {
        self.single.len() + self.phrase_count
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_phrases_map_to_the_first_term_of_their_line() {
        let t = Thesaurus::parse("# c\nführerschein | lappen | driving licence\nauto | karre\n");
        assert_eq!(t.word("lappen"), t.word("fuehrerschein"));
        assert_ne!(t.word("karre"), t.word("lappen"));
        let w: Vec<String> = vec!["driving".into(), "licence".into(), "renew".into()];
        assert_eq!(t.phrase(&w), Some((1, 2)));
    }
}
