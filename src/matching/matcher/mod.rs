//! The FAQ matcher: analysis of questions into features, an inverted index
//! that preselects candidate documents, and a reranking of the candidates.
//!
//! Features of a word: its Snowball stem, its thesaurus concept, and — for
//! compounds — its parts ("wohnsitzanmeldung" → wohnsitz + anmeld). Words
//! the corpus does not know are tried as joined neighbours ("reise pass"),
//! as compounds of known words, and by spelling and sound (Kölner Phonetik
//! for German, Metaphone for English) against the corpus vocabulary.
//! Candidate generation touches only the postings of the query's features,
//! so its cost follows the query, not the corpus; reranking looks at a fixed
//! number of candidates.
//!
//! A document is its phrasings (the questions and keywords of an entry) and
//! its context (answer and card text, which explain the topic in other
//! words but weigh less). The confidence is the weighted share of the
//! question the document explains, blended with how well its best phrasing
//! fits. Words the corpus has never seen weigh like rare words: a question
//! about "Netflix abmelden" is mostly about Netflix, which no entry
//! explains, so it is not answered by the entry on deregistering an address.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use rphonetic::{Cologne, Encoder, Metaphone};
use rust_stemmers::{Algorithm, Stemmer};
use serde::{Deserialize, Serialize};

use super::normalize::{for_each_word, is_light_word, is_stop_word, words};
use super::thesaurus::Thesaurus;
use crate::lang::Lang;

mod analysis;
mod fuzzy;
mod rows;
mod score;
mod stored;

use analysis::stemmer;
use fuzzy::Fuzzy;
use rows::{Rows, Table, Text, VocabWord};
pub use stored::{IndexData, IndexDataError};

/// Documents kept from the index for reranking.
const CANDIDATES: usize = 24;
/// Weight of a feature found through a compound part.
const PART_WEIGHT: f32 = 0.7;
/// Weight of a feature found by near spelling or sound.
const FUZZY_WEIGHT: f32 = 0.75;
/// Jaro-Winkler similarity a near spelling must reach.
const FUZZY_MIN: f64 = 0.9;
/// Shortest word tried as a compound part or by sound.
const MIN_PART: usize = 4;
/// Longest word (bytes) split or guessed at: German compounds stay well
/// below; a megabyte "word" must not cost quadratic time.
const MAX_WORD: usize = 64;
/// Longest question (characters) looked at: spoken questions are short,
/// and the rest of a megabyte slot value is ignored.
const MAX_QUERY_CHARS: usize = 500;
/// German verb particles that stand apart from their verb ("melde … ab").
const SEPARABLE: &[&str] = &[
    "ab", "an", "um", "aus", "auf", "ein", "zu", "nach", "vor", "zurueck",
];
/// An unknown word weighs this share of the rarest known word: it may be
/// the topic (Netflix) or an everyday word the corpus happens not to use.
const UNKNOWN_SHARE: f32 = 1.0;
/// Fixed weight of question words and negations.
const LIGHT_WEIGHT: f32 = 0.3;
/// Strength of a keyword (tag): several documents may share one.
const KEYWORD_WEIGHT: f32 = 0.85;
/// Strength of a feature that occurs only in a document's answer or card.
const CONTEXT_WEIGHT: f32 = 0.3;
/// Share of the score from the whole document (the rest from its best phrasing).
const DOC_SHARE: f32 = 0.6;
/// How far below the question's coverage a phrasing's own coverage may be
/// before it costs: long phrasings are not punished for their extra words.
const PRECISION_SLACK: f32 = 0.3;
/// Strength of each part of a compound the corpus does not know.
const QUERY_PART_WEIGHT: f32 = 0.9;
/// Confidences this close count as a tie, won by the document listed first.
const NEAR_TIE: f32 = 0.005;
/// Share of a phrasing's score taken from how much of it the question covers.
const PRECISION_SHARE: f32 = 0.2;

/// A feature's name while it is built: a stem (`s:…`) or a concept (`c:…`).
type Name = String;
/// An interned feature.
type Feature = u32;
/// Features with their strength (1 exact, less for parts, guesses, context).
type Features = Vec<(Feature, f32)>;

/// A ranked answer candidate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scored {
    /// Document number, in insertion order.
    pub doc: usize,
    /// Confidence in 0..=1.
    pub confidence: f32,
}

/// One document to index: the ways it is asked, and text that explains it.
#[derive(Clone, Debug, Default)]
pub struct Document {
    /// Questions and keywords; each is matched on its own.
    pub phrasings: Vec<String>,
    /// Keywords (tags): matched like phrasings, a little weaker, since
    /// several documents may share one.
    pub keywords: Vec<String>,
    /// Answer and card text: its words count, with less strength.
    pub context: String,
}

impl From<Vec<String>> for Document {
    fn from(phrasings: Vec<String>) -> Self {
        Self {
            phrasings,
            keywords: Vec::new(),
            context: String::new(),
        }
    }
}

/// The matcher for one language.
pub struct Matcher {
    lang: Lang,
    stemmer: Stemmer,
    thesaurus: Arc<Thesaurus>,
    /// Feature names → ids.
    names: Table,
    /// Per document: features with strength, sorted by feature.
    profiles: Rows<(Feature, f32)>,
    /// Every phrasing's features, sorted by feature.
    phrasings: Rows<(Feature, f32)>,
    /// Per document: its phrasings, as a range into `phrasings`.
    doc_phrasings: Vec<(u32, u32)>,
    /// Feature → documents containing it, with strength.
    postings: Rows<(u32, f32)>,
    /// Feature → inverse document frequency.
    idf: Vec<f32>,
    /// Feature is a stem (not a concept).
    is_stem: Vec<bool>,
    /// Folded words of the corpus → index into `words`.
    vocab: Table,
    words: Vec<VocabWord>,
    /// Built on the first word the corpus does not know: most questions
    /// never need it, and a cold start should not pay for it.
    fuzzy: OnceLock<Fuzzy>,
    /// Stems of the corpus (for compound parts).
    stems: Table,
    /// The corpus's own words that say nothing about a topic (the city's
    /// name, the skill's invocation and wake words), beside the general
    /// stop words.
    stop_words: Vec<Text>,
}

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matcher")
            .field("lang", &self.lang)
            .field("docs", &self.profiles.len())
            .field("phrasings", &self.phrasings.len())
            .field("features", &self.names.len())
            .finish()
    }
}

impl Matcher {
    /// Builds a matcher for `lang` over documents. Document numbers are the
    /// positions in `docs`.
    pub fn build(lang: Lang, docs: &[Document]) -> Self {
        Self::build_with(lang, Thesaurus::builtin_parsed(), &[], docs)
    }

    /// Like [`Matcher::build`], with a given thesaurus and the corpus's own
    /// stop words (folded; "muenchen", "stadt" for a skill opened with
    /// "frag Stadt München"): words every question may carry that must not
    /// pull it towards the entries that happen to name them.
    pub fn build_with(
        lang: Lang,
        thesaurus: Arc<Thesaurus>,
        stop_words: &[String],
        docs: &[Document],
    ) -> Self {
        let mut stop_words: Vec<Text> = (stop_words.iter())
            .filter(|w| !w.is_empty())
            .map(|w| Cow::Owned(w.clone()))
            .collect();
        stop_words.sort_unstable();
        stop_words.dedup();
        let mut m = Self {
            lang,
            stemmer: stemmer(lang),
            thesaurus,
            names: Table::default(),
            profiles: Rows::default(),
            phrasings: Rows::default(),
            doc_phrasings: Vec::new(),
            postings: Rows::default(),
            idf: Vec::new(),
            is_stem: Vec::new(),
            vocab: Table::default(),
            words: Vec::new(),
            fuzzy: OnceLock::new(),
            stems: Table::default(),
            stop_words,
        };
        let tokens = m.learn_vocabulary(docs);
        m.index(&tokens);
        m.weigh();
        m
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.profiles.len()
    }

    /// True when no document was added.
    pub fn is_empty(&self) -> bool {
        self.profiles.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn de() -> Matcher {
        let docs = vec![
            vec![
                "Wie beantrage ich einen Reisepass?".to_string(),
                "reisepass".into(),
            ],
            vec![
                "Wie melde ich meinen Wohnsitz ab?".into(),
                "abmeldung".into(),
            ],
            vec![
                "Wohnsitzanmeldung nach dem Umzug".into(),
                "anmeldung".into(),
            ],
            vec!["Personalausweis verloren".into()],
        ];
        let docs: Vec<Document> = docs.into_iter().map(Document::from).collect();
        Matcher::build(Lang::De, &docs)
    }

    fn top(m: &Matcher, q: &str) -> Option<usize> {
        m.search(q, 3).first().map(|s| s.doc)
    }

    fn stored(m: &Matcher) -> Result<Matcher, IndexDataError> {
        let bytes = postcard::to_stdvec(&m.data()).unwrap_or_default();
        let data: IndexData =
            postcard::from_bytes(&bytes).map_err(|_| IndexDataError("postcard"))?;
        Matcher::from_data(m.lang, Thesaurus::builtin(), data)
    }

    #[test]
    fn a_stored_index_answers_like_the_built_one() {
        let built = de();
        let read = stored(&built).unwrap_or_else(|e| panic!("{e}"));
        for q in [
            "reisepass beantragen",
            "Wohnsitz abmelden",
            "wohnungsanmeldung",
            "Reisepas",
            "Persoausweis verlorn",
            "Netflix abmelden",
        ] {
            assert_eq!(built.search(q, 5), read.search(q, 5), "{q}");
        }
        assert_eq!(built.data(), read.data());
    }

    #[test]
    fn stored_data_out_of_order_is_refused() {
        let m = de();
        let mut data = m.data();
        data.names_order.reverse();
        assert!(Matcher::from_data(Lang::De, Thesaurus::builtin(), data).is_err());
    }

    #[test]
    fn stored_data_naming_a_missing_feature_is_refused() {
        let m = de();
        let mut data = m.data();
        data.names.truncate(1);
        assert!(Matcher::from_data(Lang::De, Thesaurus::builtin(), data).is_err());
    }

    #[test]
    fn split_words_are_joined() {
        assert_eq!(top(&de(), "reise pass"), Some(0));
    }

    #[test]
    fn compounds_match_their_parts() {
        assert_eq!(top(&de(), "wohnsitz anmelden"), Some(2));
    }

    #[test]
    fn inflections_match_by_stem() {
        assert_eq!(top(&de(), "meinen personalausweises verloren"), Some(3));
    }

    #[test]
    fn typos_match_by_spelling_or_sound() {
        assert_eq!(top(&de(), "reisepas beantragen"), Some(0));
        assert_eq!(top(&de(), "personalausweiss verlohren"), Some(3));
    }

    #[test]
    fn unknown_topic_words_lower_the_confidence() {
        let m = de();
        let own = m.search("wohnsitz abmelden", 1)[0].confidence;
        let other = m
            .search("netflix abo abmelden", 1)
            .first()
            .map_or(0.0, |s| s.confidence);
        assert!(own > 0.7, "{own}");
        assert!(other < 0.5, "{other}");
    }

    #[test]
    fn separable_verbs_are_put_back_together() {
        assert_eq!(top(&de(), "ich melde meinen wohnsitz ab"), Some(1));
    }

    #[test]
    fn an_unknown_compound_asks_for_all_its_parts() {
        let docs: Vec<Document> = vec![
            vec!["Wohnung anmelden".to_string()].into(),
            vec!["Wohnung kündigen".to_string()].into(),
        ];
        let m = Matcher::build(Lang::De, &docs);
        assert_eq!(top(&m, "wohnungsanmeldung"), Some(0));
    }

    #[test]
    fn a_thesaurus_phrase_keeps_the_words_it_stands_for() {
        let docs: Vec<Document> = vec![
            vec!["How do I get a fishing licence?".to_string()].into(),
            vec!["How do I get a parking permit?".to_string()].into(),
        ];
        let m = Matcher::build(Lang::En, &docs);
        assert_eq!(top(&m, "where can i go fishing"), Some(0));
    }

    #[test]
    fn the_corpus_own_stop_words_pull_towards_no_entry() {
        let docs: Vec<Document> = vec![
            vec!["Wie melde ich meinen Hund an?".to_string()].into(),
            vec!["Was kostet eine Stadtführung durch Köln?".to_string()].into(),
        ];
        let plain = Matcher::build(Lang::De, &docs);
        let own = ["koeln".to_string(), "stadt".to_string()];
        let m = Matcher::build_with(Lang::De, Thesaurus::builtin_parsed(), &own, &docs);
        let q = "Stadt Köln, ich habe einen Hund";
        assert_eq!(top(&m, q), Some(0));
        let with = |m: &Matcher| {
            m.search(q, 2)
                .iter()
                .find(|s| s.doc == 1)
                .map_or(0.0, |s| s.confidence)
        };
        assert!(with(&m) < with(&plain), "{} {}", with(&m), with(&plain));
    }

    #[test]
    fn stored_data_keeps_the_corpus_own_stop_words() {
        let docs: Vec<Document> = vec![vec!["Köln Hund anmelden".to_string()].into()];
        let own = ["koeln".to_string()];
        let m = Matcher::build_with(Lang::De, Thesaurus::builtin_parsed(), &own, &docs);
        let back = Matcher::from_data(Lang::De, Thesaurus::builtin(), m.data()).unwrap();
        assert!(back.search("koeln", 1).is_empty());
    }

    #[test]
    fn near_ties_go_to_the_document_listed_first() {
        let docs: Vec<Document> = vec![
            vec!["Reisepass beantragen".to_string()].into(),
            vec!["Reisepass verlängern".to_string()].into(),
        ];
        let m = Matcher::build(Lang::De, &docs);
        assert_eq!(top(&m, "reisepass"), Some(0));
    }

    #[test]
    fn answer_text_explains_a_question_less_than_a_phrasing() {
        let docs = vec![
            Document {
                phrasings: vec!["Sperrmüll abholen lassen".into()],
                keywords: vec![],
                context: "Sofas und Schränke holt der Abfallwirtschaftsbetrieb ab.".into(),
            },
            Document {
                phrasings: vec!["Sofa entsorgen".into()],
                keywords: vec![],
                context: String::new(),
            },
        ];
        let m = Matcher::build(Lang::De, &docs);
        assert_eq!(top(&m, "sofa"), Some(1));
        assert!(m.search("sofa", 2).iter().any(|s| s.doc == 0));
    }
}
