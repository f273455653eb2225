//! A curated bilingual thesaurus of administrative and everyday words
//! (Lappen → Führerschein, Knöllchen → Bußgeld, flat → apartment), shipped
//! with the matcher so that it works for any city's corpus.
//!
//! `thesaurus.txt`: one concept per line, terms separated by ` | `, the first
//! term names the concept; `#` starts a comment. Multi-word terms are
//! matched as phrases.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::normalize::words;

/// Concept number.
pub type Concept = u32;

/// Terms (folded words or phrases) → concepts.
#[derive(Clone, Debug, Default)]
pub struct Thesaurus {
    single: HashMap<String, Concept>,
    phrases: HashMap<String, Concept>,
    /// First words of phrases: most words start none, and need no look-up.
    starts: HashSet<String>,
    longest_phrase: usize,
}

impl Thesaurus {
    /// The thesaurus compiled into the binary.
    pub fn builtin() -> Self {
        Self::parse(include_str!("thesaurus.txt"))
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
                    n => {
                        t.longest_phrase = t.longest_phrase.max(n);
                        t.starts.insert(w[0].clone());
                        t.phrases.entry(w.join(" ")).or_insert(concept);
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
        if !words
            .first()
            .is_some_and(|w| self.starts.contains(w.as_ref()))
        {
            return None;
        }
        let max = self.longest_phrase.min(words.len());
        (2..=max).rev().find_map(|n| {
            let joined: Vec<&str> = words[..n].iter().map(AsRef::as_ref).collect();
            self.phrases.get(&joined.join(" ")).map(|&c| (c, n))
        })
    }

    /// Number of single-word terms (for tests and statistics).
    pub fn len(&self) -> usize {
        self.single.len() + self.phrases.len()
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
