//! A curated bilingual thesaurus of administrative and everyday words
//! (Lappen → Führerschein, Knöllchen → Bußgeld, flat → apartment), shipped
//! with the matcher so that it works for any city's corpus.
//!
//! `thesaurus.txt`: one concept per line, terms separated by ` | `, the first
//! term names the concept; `#` starts a comment. Multi-word terms are
//! matched as phrases.
//!
//! The builtin thesaurus is also kept parsed, as sorted tables in
//! `thesaurus_table.rs` that are read in place: parsing it costs a cold
//! start a millisecond or more. A test regenerates the tables from the text
//! (`CITY_SKILL_UPDATE_TABLES=1 cargo test thesaurus`) and fails while
//! they differ.

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
    /// Look terms up in the builtin tables instead (the maps are empty).
    builtin: bool,
}

impl Thesaurus {
    /// The thesaurus compiled into the binary, read in place from its
    /// tables; shared by every matcher.
    pub fn builtin() -> Arc<Self> {
        static BUILTIN: OnceLock<Arc<Thesaurus>> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                Arc::new(Self {
                    builtin: true,
                    phrase_count: table::PHRASES.len(),
                    ..Self::default()
                })
            })
            .clone()
    }

    /// The builtin thesaurus in hash maps: quicker to look up than its
    /// tables, for building an index (a 10,000-entry corpus looks up terms
    /// a million times), at a fraction of a millisecond to fill them.
    pub fn builtin_parsed() -> Arc<Self> {
        static PARSED: OnceLock<Arc<Thesaurus>> = OnceLock::new();
        PARSED
            .get_or_init(|| {
                let mut t = Self {
                    single: (table::SINGLE.iter())
                        .map(|&(term, c)| (term.to_string(), c))
                        .collect(),
                    phrase_count: table::PHRASES.len(),
                    ..Self::default()
                };
                for &(first, rest, c) in &table::PHRASES {
                    let rest = rest.iter().map(|w| w.to_string()).collect();
                    t.phrases
                        .entry(first.to_string())
                        .or_default()
                        .push((rest, c));
                }
                Arc::new(t)
            })
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
        if self.builtin {
            let i = table::SINGLE.binary_search_by(|(t, _)| (*t).cmp(w)).ok()?;
            return table::SINGLE.get(i).map(|(_, c)| *c);
        }
        self.single.get(w).copied()
    }

    /// The longest phrase starting at `words[0]`: (concept, number of words).
    pub fn phrase<S: AsRef<str>>(&self, words: &[S]) -> Option<(Concept, usize)> {
        let (first, rest) = words.split_first()?;
        let fits = |want: &[&str], c: Concept| {
            let here = rest.get(..want.len())?;
            want.iter()
                .zip(here)
                .all(|(a, b)| *a == b.as_ref())
                .then_some((c, want.len() + 1))
        };
        if self.builtin {
            let first = first.as_ref();
            let start = table::PHRASES.partition_point(|(f, _, _)| *f < first);
            return (table::PHRASES.get(start..)?.iter())
                .take_while(|(f, _, _)| *f == first)
                .find_map(|(_, want, c)| fits(want, *c));
        }
        self.phrases
            .get(first.as_ref())?
            .iter()
            .find_map(|(want, c)| {
                let want: Vec<&str> = want.iter().map(String::as_str).collect();
                fits(&want, *c)
            })
    }

    /// Number of terms (for tests and statistics).
    pub fn len(&self) -> usize {
        match self.builtin {
            true => table::SINGLE.len() + self.phrase_count,
            false => self.single.len() + self.phrase_count,
        }
    }

    /// The tables of `thesaurus_table.rs` for this (parsed) thesaurus.
    #[cfg(test)]
    fn table_source(&self) -> String {
        use std::fmt::Write as _;
        let mut single: Vec<(&String, &Concept)> = self.single.iter().collect();
        single.sort();
        let mut phrases: Vec<_> = self.phrases.iter().collect();
        phrases.sort_by(|a, b| a.0.cmp(b.0));
        let mut out = String::from(
            "//! The builtin thesaurus as sorted tables (see thesaurus.rs), generated from\n\
             //! thesaurus.txt by `CITY_SKILL_UPDATE_TABLES=1 cargo test thesaurus`. Do not edit.\n\n\
             /// Single-word terms and their concepts, sorted by term.\n",
        );
        let _ = writeln!(
            out,
            "pub static SINGLE: [(&str, u32); {}] = [",
            single.len()
        );
        for (t, c) in single {
            let _ = writeln!(out, "    ({t:?}, {c}),");
        }
        out.push_str(
            "];\n\n/// Phrases: first word, the other words, concept; sorted by first word,\n\
             /// longest first within one.\n",
        );
        let n: usize = phrases.iter().map(|(_, l)| l.len()).sum();
        let _ = writeln!(out, "pub static PHRASES: [(&str, &[&str], u32); {n}] = [");
        for (first, list) in phrases {
            for (rest, c) in list {
                let _ = writeln!(out, "    ({first:?}, &{rest:?}, {c}),");
            }
        }
        out.push_str("];\n");
        out
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[path = "thesaurus_table.rs"]
#[rustfmt::skip]
mod table;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_tables_are_the_parsed_text() {
        let text = include_str!("thesaurus.txt");
        let source = Thesaurus::parse(text).table_source();
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src/matching/thesaurus_table.rs"
        );
        if std::env::var_os("CITY_SKILL_UPDATE_TABLES").is_some() {
            std::fs::write(path, &source).unwrap_or_else(|e| panic!("{path}: {e}"));
        }
        let current = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            current == source,
            "{path} is stale: run `CITY_SKILL_UPDATE_TABLES=1 cargo test thesaurus`"
        );
    }

    #[test]
    fn the_builtin_tables_answer_like_the_parsed_text() {
        let parsed = Thesaurus::parse(include_str!("thesaurus.txt"));
        let builtin = Thesaurus::builtin();
        let maps = Thesaurus::builtin_parsed();
        assert_eq!(maps.single, parsed.single);
        assert_eq!(maps.phrases, parsed.phrases);
        assert_eq!(parsed.len(), builtin.len());
        for (term, c) in &parsed.single {
            assert_eq!(builtin.word(term), Some(*c), "{term}");
        }
        for (first, list) in &parsed.phrases {
            for (rest, _) in list {
                let mut ws = vec![first.clone()];
                ws.extend(rest.iter().cloned());
                ws.push("danach".into());
                assert_eq!(builtin.phrase(&ws), parsed.phrase(&ws), "{ws:?}");
            }
        }
        assert_eq!(builtin.word("kein-begriff"), None);
    }

    #[test]
    fn words_and_phrases_map_to_the_first_term_of_their_line() {
        let t = Thesaurus::parse("# c\nführerschein | lappen | driving licence\nauto | karre\n");
        assert_eq!(t.word("lappen"), t.word("fuehrerschein"));
        assert_ne!(t.word("karre"), t.word("lappen"));
        let w: Vec<String> = vec!["driving".into(), "licence".into(), "renew".into()];
        assert_eq!(t.phrase(&w), Some((1, 2)));
    }
}
