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

/// One analysed word of a question: what it can match, and how much it weighs.
#[derive(Clone, Debug)]
struct Term {
    features: Features,
    /// Words of the question this term stands for (a thesaurus phrase
    /// such as "death certificate" is one term of two words).
    span: usize,
    /// A question word or negation.
    light: bool,
}

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

/// Rows of varying length in one allocation (the index holds tens of
/// thousands of short lists; one vector each would dominate its build).
#[derive(Clone, Debug, PartialEq)]
struct Rows<T> {
    items: Vec<T>,
    /// End of each row in `items`.
    ends: Vec<u32>,
}

impl<T> Default for Rows<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            ends: Vec::new(),
        }
    }
}

impl<T> Rows<T> {
    /// Closes the current row: what was pushed to `items` since the last.
    fn end_row(&mut self) {
        self.ends.push(self.items.len() as u32);
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Row `i`, empty if there is none.
    fn row(&self, i: usize) -> &[T] {
        let start = match i {
            0 => 0,
            _ => self.ends.get(i - 1).map_or(usize::MAX, |&e| e as usize),
        };
        let end = self.ends.get(i).map_or(0, |&e| e as usize);
        self.items.get(start..end).unwrap_or_default()
    }
}

/// The corpus as word ids, while the index is built.
#[derive(Default)]
struct Tokens {
    /// Distinct folded words, stop words included.
    lexicon: Vec<String>,
    /// Each text as word ids.
    texts: Rows<u32>,
    /// Strength of each text (phrasing 1, keyword less; context last).
    scales: Vec<f32>,
    /// Per document: the end of its texts in `texts`, context last.
    doc_ends: Vec<u32>,
}

/// A corpus string: borrowed from a compiled corpus that lives as long as
/// the process (no allocation at start-up), or owned.
type Text = Cow<'static, str>;

/// A word of the corpus, with what the fuzzy look-ups need.
#[derive(Debug)]
struct VocabWord {
    word: Text,
    stem: Text,
    sound: Text,
}

/// Strings → numbers: a hash map while an index is built, or, read from
/// a compiled corpus, the strings with their sorted order, looked up by
/// binary search: nothing to construct at start-up.
#[derive(Debug)]
enum Table {
    Map(HashMap<Text, u32>),
    /// `keys[order[0]] < keys[order[1]] < …`; a key's number is its
    /// position in `keys`. Without `order`, `keys` are sorted themselves.
    Sorted {
        keys: Vec<Text>,
        order: Option<Vec<u32>>,
    },
}

impl Default for Table {
    fn default() -> Self {
        Table::Map(HashMap::default())
    }
}

impl Table {
    fn get(&self, key: &str) -> Option<u32> {
        match self {
            Table::Map(m) => m.get(key).copied(),
            Table::Sorted { keys, order: None } => keys
                .binary_search_by(|k| k.as_ref().cmp(key))
                .ok()
                .map(|i| i as u32),
            Table::Sorted {
                keys,
                order: Some(order),
            } => {
                let at = |i: &u32| keys.get(*i as usize).map_or("", |k| k.as_ref());
                let i = order.binary_search_by(|i| at(i).cmp(key)).ok()?;
                order.get(i).copied()
            }
        }
    }

    fn contains(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Adds a key while an index is built (a table read from a compiled
    /// corpus is never added to).
    fn insert(&mut self, key: String, n: u32) {
        if let Table::Map(m) = self {
            m.insert(Cow::Owned(key), n);
        }
    }

    fn len(&self) -> usize {
        match self {
            Table::Map(m) => m.len(),
            Table::Sorted { keys, .. } => keys.len(),
        }
    }

    /// The keys by number (for a map, numbers are taken as positions).
    fn by_number(&self) -> Vec<&str> {
        match self {
            Table::Map(m) => {
                let mut keys = vec![""; m.len()];
                for (k, &n) in m {
                    if let Some(slot) = keys.get_mut(n as usize) {
                        *slot = k;
                    }
                }
                keys
            }
            Table::Sorted { keys, .. } => keys.iter().map(|k| k.as_ref()).collect(),
        }
    }

    /// Read from a compiled corpus: `keys` by number, `order` the numbers
    /// sorted by key (or none when `keys` are sorted), checked.
    fn sorted(keys: Vec<Text>, order: Option<Vec<u32>>) -> Result<Self, IndexDataError> {
        let key = |i: usize| keys.get(i).map(|k| k.as_ref());
        let sorted = match &order {
            None => keys.windows(2).all(|w| w[0] < w[1]),
            Some(o) => {
                o.len() == keys.len()
                    && o.iter().all(|&i| (i as usize) < keys.len())
                    && o.windows(2)
                        .all(|w| key(w[0] as usize) < key(w[1] as usize))
            }
        };
        match sorted {
            true => Ok(Table::Sorted { keys, order }),
            false => Err(IndexDataError("order")),
        }
    }
}

/// `keys`' numbers sorted by key: the order a compiled corpus stores.
fn order_of(keys: &[&str]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..keys.len() as u32).collect();
    order.sort_by_key(|&i| keys.get(i as usize).copied().unwrap_or(""));
    order
}

/// A [`VocabWord`] as stored.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct StoredWord<'a> {
    word: &'a str,
    stem: &'a str,
    sound: &'a str,
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

/// Look-ups for words the corpus does not know.
#[derive(Default)]
struct Fuzzy {
    /// (first byte, length) → words, for near spellings.
    by_shape: HashMap<(u8, usize), Vec<u32>>,
    /// Sound code, and each code with one letter deleted → words.
    sounds: HashMap<String, Vec<u32>>,
}

/// A built matcher without what is quickly derived from it (look-up
/// tables, postings, weights): what a compiled corpus stores, so that a
/// cold start reads an index instead of building one.
/// Its strings are borrowed from the bytes it is read from.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub struct IndexData<'a> {
    /// Feature names, by feature id.
    #[serde(borrow)]
    names: Vec<&'a str>,
    /// Feature ids sorted by name.
    #[serde(with = "raw::numbers")]
    names_order: Vec<u32>,
    #[serde(with = "raw::rows")]
    profiles: Rows<(Feature, f32)>,
    #[serde(with = "raw::rows")]
    phrasings: Rows<(Feature, f32)>,
    doc_phrasings: Vec<(u32, u32)>,
    #[serde(borrow)]
    words: Vec<StoredWord<'a>>,
    /// Word numbers sorted by word.
    #[serde(with = "raw::numbers")]
    words_order: Vec<u32>,
    /// The words' stems, sorted, each once.
    #[serde(borrow)]
    stems: Vec<&'a str>,
    /// The corpus's own stop words.
    #[serde(borrow)]
    stop_words: Vec<&'a str>,
}

/// Numbers stored as little-endian bytes rather than one varint each:
/// reading them back is a copy, not a decode per number.
mod raw {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    fn bytes(values: impl Iterator<Item = [u8; 4]>) -> Vec<u8> {
        values.flatten().collect()
    }

    fn words(b: &[u8]) -> impl Iterator<Item = [u8; 4]> + '_ {
        b.chunks_exact(4).filter_map(|c| c.try_into().ok())
    }

    pub mod numbers {
        use super::*;

        pub fn serialize<S: Serializer>(v: &[u32], s: S) -> Result<S::Ok, S::Error> {
            bytes(v.iter().map(|n| n.to_le_bytes())).serialize(s)
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u32>, D::Error> {
            let b = <&[u8]>::deserialize(d)?;
            Ok(words(b).map(u32::from_le_bytes).collect())
        }
    }

    pub mod rows {
        use super::super::Rows;
        use super::*;

        pub fn serialize<S: Serializer>(r: &Rows<(u32, f32)>, s: S) -> Result<S::Ok, S::Error> {
            let items = bytes(
                r.items
                    .iter()
                    .flat_map(|(f, w)| [f.to_le_bytes(), w.to_le_bytes()]),
            );
            let ends = bytes(r.ends.iter().map(|e| e.to_le_bytes()));
            (items, ends).serialize(s)
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Rows<(u32, f32)>, D::Error> {
            let (items, ends) = <(&[u8], &[u8])>::deserialize(d)?;
            let mut pairs = words(items);
            let mut out = Vec::with_capacity(items.len() / 8);
            while let (Some(f), Some(w)) = (pairs.next(), pairs.next()) {
                out.push((u32::from_le_bytes(f), f32::from_le_bytes(w)));
            }
            Ok(Rows {
                items: out,
                ends: words(ends).map(u32::from_le_bytes).collect(),
            })
        }
    }
}

/// Why stored index data cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("index data out of range: {0}")]
pub struct IndexDataError(&'static str);

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

/// Interns names on the corpus side, looks them up on the question side.
enum Names<'a> {
    Build(&'a mut HashMap<Text, Feature>),
    Lookup(&'a Table),
}

impl Names<'_> {
    fn id(&mut self, name: &str) -> Option<Feature> {
        match self {
            Names::Build(m) => {
                if let Some(&id) = m.get(name) {
                    return Some(id);
                }
                let next = m.len() as Feature;
                m.insert(Cow::Owned(name.to_string()), next);
                Some(next)
            }
            Names::Lookup(t) => t.get(name),
        }
    }

    fn ids(&mut self, named: Vec<(Name, f32)>) -> Features {
        let mut out: Features = Vec::with_capacity(named.len());
        for (n, w) in named {
            if let Some(id) = self.id(&n) {
                add_max(&mut out, id, w);
            }
        }
        out
    }
}

/// Adds a feature, keeping the larger strength if it is there already.
fn add_max(v: &mut Features, f: Feature, s: f32) {
    match v.iter_mut().find(|(g, _)| *g == f) {
        Some(e) => e.1 = e.1.max(s),
        None => v.push((f, s)),
    }
}

/// Strength of `f` in features sorted by feature.
fn strength(sorted: &[(Feature, f32)], f: Feature) -> f32 {
    sorted
        .binary_search_by_key(&f, |(g, _)| *g)
        .map_or(0.0, |i| sorted[i].1)
}

/// Whether near spellings and sound-alikes of `w` are looked for.
fn fuzzy(w: &str) -> bool {
    (MIN_PART..=MAX_WORD).contains(&w.len()) && !w.bytes().any(|b| b.is_ascii_digit())
}

fn stemmer(lang: Lang) -> Stemmer {
    Stemmer::create(match lang {
        Lang::De => Algorithm::German,
        Lang::En => Algorithm::English,
    })
}

/// `code` with each one of its characters deleted (ASCII codes only).
fn deletions(code: &str) -> impl Iterator<Item = String> + '_ {
    (0..code.len())
        .filter(move |&i| code.is_char_boundary(i))
        .map(move |i| format!("{}{}", &code[..i], code.get(i + 1..).unwrap_or("")))
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

    /// What [`Matcher::from_data`] needs to rebuild this matcher.
    pub fn data(&self) -> IndexData<'_> {
        let names = self.names.by_number();
        let words: Vec<&str> = self.words.iter().map(|w| w.word.as_ref()).collect();
        let mut stems: Vec<&str> = self.words.iter().map(|w| w.stem.as_ref()).collect();
        stems.sort_unstable();
        stems.dedup();
        IndexData {
            names_order: order_of(&names),
            words_order: order_of(&words),
            stems,
            stop_words: self.stop_words.iter().map(|w| w.as_ref()).collect(),
            names,
            profiles: self.profiles.clone(),
            phrasings: self.phrasings.clone(),
            doc_phrasings: self.doc_phrasings.clone(),
            words: (self.words.iter())
                .map(|w| StoredWord {
                    word: &w.word,
                    stem: &w.stem,
                    sound: &w.sound,
                })
                .collect(),
        }
    }

    /// The matcher that [`Matcher::data`] was taken from, without
    /// analysing the corpus again; its strings are copied.
    ///
    /// # Errors
    /// When the data refers to features, words or phrasings it does not
    /// hold (a damaged or foreign file).
    pub fn from_data(
        lang: Lang,
        thesaurus: Arc<Thesaurus>,
        data: IndexData<'_>,
    ) -> Result<Self, IndexDataError> {
        Self::from_stored(lang, thesaurus, data, |s| Cow::Owned(s.to_string()))
    }

    /// Like [`Matcher::from_data`], borrowing the strings: for data read
    /// from bytes that live as long as the process (a compiled corpus in
    /// the binary or mapped from a file), so that a cold start allocates
    /// no string.
    ///
    /// # Errors
    /// As [`Matcher::from_data`].
    pub fn from_static_data(
        lang: Lang,
        thesaurus: Arc<Thesaurus>,
        data: IndexData<'static>,
    ) -> Result<Self, IndexDataError> {
        Self::from_stored(lang, thesaurus, data, Cow::Borrowed)
    }

    fn from_stored<'a>(
        lang: Lang,
        thesaurus: Arc<Thesaurus>,
        data: IndexData<'a>,
        text: impl Fn(&'a str) -> Text,
    ) -> Result<Self, IndexDataError> {
        let features = data.names.len();
        let rows = [&data.profiles, &data.phrasings];
        if rows
            .iter()
            .any(|r| r.items.iter().any(|&(f, _)| f as usize >= features))
        {
            return Err(IndexDataError("feature"));
        }
        if rows.iter().any(|r| {
            r.ends.windows(2).any(|w| w[0] > w[1])
                || r.ends.last().is_some_and(|&e| e as usize != r.items.len())
        }) {
            return Err(IndexDataError("row"));
        }
        if data.doc_phrasings.len() != data.profiles.len()
            || data
                .doc_phrasings
                .iter()
                .any(|&(a, b)| a > b || b as usize > data.phrasings.len())
        {
            return Err(IndexDataError("phrasing"));
        }
        let words: Vec<VocabWord> = (data.words.into_iter())
            .map(|w| VocabWord {
                word: text(w.word),
                stem: text(w.stem),
                sound: text(w.sound),
            })
            .collect();
        let vocab = words.iter().map(|w| w.word.clone()).collect();
        let names = data.names.into_iter().map(&text).collect();
        let stems = data.stems.into_iter().map(&text).collect();
        let mut m = Self {
            stemmer: stemmer(lang),
            lang,
            thesaurus,
            names: Table::sorted(names, Some(data.names_order))?,
            profiles: data.profiles,
            phrasings: data.phrasings,
            doc_phrasings: data.doc_phrasings,
            postings: Rows::default(),
            idf: Vec::new(),
            is_stem: Vec::new(),
            vocab: Table::sorted(vocab, Some(data.words_order))?,
            words,
            fuzzy: OnceLock::new(),
            stems: Table::sorted(stems, None)?,
            stop_words: data.stop_words.into_iter().map(&text).collect(),
        };
        m.weigh();
        Ok(m)
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.profiles.len()
    }

    /// True when no document was added.
    pub fn is_empty(&self) -> bool {
        self.profiles.is_empty()
    }

    fn stem(&self, w: &str) -> String {
        self.stemmer.stem(w).into_owned()
    }

    /// True for a general stop word or one of the corpus's own.
    fn is_stop(&self, w: &str) -> bool {
        is_stop_word(w) || self.stop_words.iter().any(|s| s == w)
    }

    /// The word's phonetic code, from its ASCII letters only: folding has
    /// already spelled out umlauts, the codes mean nothing for other
    /// scripts, and rphonetic's Metaphone panics on multi-byte characters
    /// (found by the property tests: "𖩠s").
    fn sound(&self, w: &str) -> String {
        let ascii;
        let w = if w.is_ascii() {
            w
        } else {
            ascii = w
                .chars()
                .filter(char::is_ascii_alphabetic)
                .collect::<String>();
            &ascii
        };
        match self.lang {
            Lang::De => Cologne.encode(w),
            Lang::En => Metaphone::new(Some(8)).encode(w),
        }
    }

    /// First pass: every word of the corpus, its stem and its sound.
    fn learn_vocabulary(&mut self, docs: &[Document]) -> Tokens {
        let mut t = Tokens::default();
        let mut seen: HashMap<String, u32> = HashMap::default();
        for d in docs {
            let texts = (d.phrasings.iter().map(|p| (p.as_str(), 1.0)))
                .chain(d.keywords.iter().map(|k| (k.as_str(), KEYWORD_WEIGHT)));
            for (text, scale) in texts.chain(std::iter::once((d.context.as_str(), 1.0))) {
                let ids = &mut t.texts.items;
                for_each_word(text, |w| {
                    if let Some(&id) = seen.get(w) {
                        ids.push(id);
                        return;
                    }
                    let id = t.lexicon.len() as u32;
                    seen.insert(w.to_string(), id);
                    ids.push(id);
                    t.lexicon.push(w.to_string());
                    if self.is_stop(w) {
                        return;
                    }
                    let w = w.to_string();
                    let stem = self.stem(&w);
                    self.stems.insert(stem.clone(), 0);
                    let i = self.words.len() as u32;
                    let sound = match fuzzy(&w) {
                        true => self.sound(&w),
                        false => String::new(),
                    };
                    self.vocab.insert(w.clone(), i);
                    self.words.push(VocabWord {
                        word: w.into(),
                        stem: stem.into(),
                        sound: sound.into(),
                    });
                });
                t.texts.end_row();
                t.scales.push(scale);
            }
            t.doc_ends.push(t.texts.len() as u32);
        }
        t
    }

    /// The look-ups for unknown words, built on first use.
    fn fuzzy(&self) -> &Fuzzy {
        self.fuzzy.get_or_init(|| {
            let mut t = Fuzzy::default();
            for (i, v) in self.words.iter().enumerate() {
                if !fuzzy(&v.word) {
                    continue;
                }
                let (w, i) = (v.word.as_bytes(), i as u32);
                t.by_shape.entry((w[0], w.len())).or_default().push(i);
                if v.sound.len() >= 3 {
                    for key in std::iter::once(v.sound.to_string()).chain(deletions(&v.sound)) {
                        t.sounds.entry(key).or_default().push(i);
                    }
                }
            }
            t
        })
    }

    /// Features of one corpus text, added to `out` with `scale`: phrases of
    /// the thesaurus, then each word (its features cached by word id).
    #[allow(clippy::too_many_arguments)]
    fn text_features<'t>(
        &self,
        ids: &[u32],
        t: &'t Tokens,
        names: &mut HashMap<Text, Feature>,
        cache: &mut [Option<Features>],
        scale: f32,
        ws: &mut Vec<&'t str>,
        out: &mut Features,
    ) {
        ws.clear();
        ws.extend(
            ids.iter()
                .map(|&i| t.lexicon.get(i as usize).map_or("", String::as_str)),
        );
        let mut i = 0;
        // The words of a thesaurus phrase count beside its concept, weaker:
        // "fishing licence" still meets a question about fishing.
        let mut phrase_end = 0;
        while i < ws.len() {
            if i >= phrase_end {
                if let Some((c, n)) = self.thesaurus.phrase(&ws[i..]) {
                    if let Some(f) = Names::Build(names).id(&format!("c:{c}")) {
                        add_max(out, f, scale);
                    }
                    phrase_end = i + n;
                }
            }
            let scale = match i < phrase_end {
                true => scale * PART_WEIGHT,
                false => scale,
            };
            let (w, id) = (ws[i], ids[i] as usize);
            i += 1;
            if self.is_stop(w) {
                continue;
            }
            let Some(slot) = cache.get_mut(id) else {
                continue;
            };
            let feats = slot.get_or_insert_with(|| {
                let named = if is_light_word(w) {
                    vec![(format!("s:{w}"), 1.0)]
                } else {
                    self.word_features(w, true)
                };
                Names::Build(names).ids(named)
            });
            for &(f, s) in feats.iter() {
                add_max(out, f, s * scale);
            }
        }
    }

    /// Second pass: features of every phrasing and document (compounds are
    /// split with the whole vocabulary), postings and idf.
    fn index(&mut self, t: &Tokens) {
        let Table::Map(mut names) = std::mem::take(&mut self.names) else {
            return;
        };
        let mut cache: Vec<Option<Features>> = vec![None; t.lexicon.len()];
        let mut phrasings: Rows<(Feature, f32)> = Rows::default();
        let mut profiles: Rows<(Feature, f32)> = Rows::default();
        let mut doc_phrasings = Vec::with_capacity(t.doc_ends.len());
        let mut profile: Features = Vec::new();
        let mut feats: Features = Vec::new();
        let mut ws: Vec<&str> = Vec::new();
        let mut start = 0usize;
        for &end in &t.doc_ends {
            let end = end as usize;
            let first = phrasings.len() as u32;
            profile.clear();
            // The document's texts: phrasings and keywords, then its context.
            for i in start..end {
                let (ids, scale) = (t.texts.row(i), t.scales.get(i).copied().unwrap_or(1.0));
                if i + 1 == end {
                    self.text_features(
                        ids,
                        t,
                        &mut names,
                        &mut cache,
                        CONTEXT_WEIGHT,
                        &mut ws,
                        &mut profile,
                    );
                    continue;
                }
                feats.clear();
                self.text_features(ids, t, &mut names, &mut cache, scale, &mut ws, &mut feats);
                for &(f, s) in &feats {
                    add_max(&mut profile, f, s);
                }
                feats.sort_by_key(|(f, _)| *f);
                phrasings.items.extend_from_slice(&feats);
                phrasings.end_row();
            }
            start = end;
            profile.sort_by_key(|(f, _)| *f);
            profiles.items.extend_from_slice(&profile);
            profiles.end_row();
            doc_phrasings.push((first, phrasings.len() as u32));
        }
        self.phrasings = phrasings;
        self.profiles = profiles;
        self.doc_phrasings = doc_phrasings;
        self.names = Table::Map(names);
    }

    /// Postings, idf and feature kinds, from the documents' profiles (the
    /// same for a built matcher and one read from a compiled corpus).
    fn weigh(&mut self) {
        let n = self.names.len();
        // Postings in one allocation: count each feature's documents, then
        // place each document at its feature's next free slot.
        let mut ends = vec![0u32; n];
        let mut df = vec![0.0f32; n];
        for &(f, s) in &self.profiles.items {
            if let (Some(e), Some(d)) = (ends.get_mut(f as usize), df.get_mut(f as usize)) {
                *e += 1;
                *d += s;
            }
        }
        let mut total = 0;
        for e in &mut ends {
            total += *e;
            *e = total;
        }
        let mut next: Vec<u32> = std::iter::once(0).chain(ends.iter().copied()).collect();
        let mut items = vec![(0u32, 0.0f32); total as usize];
        for doc in 0..self.profiles.len() {
            for &(f, s) in self.profiles.row(doc) {
                let Some(at) = next.get_mut(f as usize) else {
                    continue;
                };
                if let Some(slot) = items.get_mut(*at as usize) {
                    *slot = (doc as u32, s);
                }
                *at += 1;
            }
        }
        let postings = Rows { items, ends };
        let docs_n = self.profiles.len() as f32;
        self.idf = df
            .iter()
            .map(|d| ((docs_n + 1.0) / (d + 0.5)).ln().max(0.05))
            .collect();
        let mut is_stem = vec![false; n];
        for (s, name) in is_stem.iter_mut().zip(self.names.by_number()) {
            *s = name.starts_with("s:");
        }
        self.is_stem = is_stem;
        self.postings = postings;
    }

    fn idf(&self, f: Feature) -> f32 {
        self.idf.get(f as usize).copied().unwrap_or(0.05)
    }

    /// Weight of a word nobody in the corpus used: like a word in one document.
    fn unknown_weight(&self) -> f32 {
        UNKNOWN_SHARE * ((self.len() as f32 + 1.0) / 1.5).ln().max(1.0)
    }

    /// Splits a folded word into known stems: "wohnsitzanmeldung" →
    /// ["wohnsitz", "anmeld"]. Tries two parts, with German linking s/es/n.
    fn split(&self, w: &str) -> Option<Vec<String>> {
        if w.len() < 2 * MIN_PART || w.len() > MAX_WORD || self.lang != Lang::De {
            return None;
        }
        let known = |part: &str| -> Option<String> {
            if part.len() < MIN_PART - 1 {
                return None;
            }
            // Plain look-ups only: stemming every candidate part of every
            // word would dominate the index build.
            if let Some(i) = self.vocab.get(part) {
                return self.words.get(i as usize).map(|v| v.stem.to_string());
            }
            if self.stems.contains(part) || self.thesaurus.word(part).is_some() {
                return Some(part.to_string());
            }
            None
        };
        let mut best: Option<(usize, Vec<String>)> = None;
        for (i, _) in w.char_indices().skip(MIN_PART - 1) {
            let (left, right) = w.split_at(i);
            if right.len() < MIN_PART - 1 {
                break;
            }
            let lefts = [
                Some(left),
                left.strip_suffix('s'),
                left.strip_suffix("es"),
                left.strip_suffix('n'),
            ];
            for l in lefts.into_iter().flatten() {
                if let (Some(a), Some(b)) = (known(l), known(right)) {
                    // Prefer the split with the longest right part (the head).
                    let score = right.len();
                    if best.as_ref().is_none_or(|(s, _)| score > *s) {
                        best = Some((score, vec![a, b]));
                    }
                }
            }
        }
        best.map(|(_, parts)| parts)
    }

    /// Corpus stems that `w` may be a slip of: near spellings (Jaro-Winkler)
    /// and sound-alikes (codes at most one edit apart, then a loose
    /// spelling check), each with its strength.
    fn guesses(&self, w: &str) -> Vec<(String, f32)> {
        let mut out: Vec<(String, f32)> = Vec::new();
        let Some(&first) = w.as_bytes().first() else {
            return out;
        };
        let Fuzzy { by_shape, sounds } = self.fuzzy();
        // Jaro-Winkler ≥ 0.9 needs a shared start and a similar length.
        for len in w.len().saturating_sub(3)..=w.len() + 3 {
            for &i in by_shape.get(&(first, len)).into_iter().flatten() {
                let Some(v) = self.words.get(i as usize) else {
                    continue;
                };
                let sim = strsim::jaro_winkler(w, &v.word);
                if sim >= FUZZY_MIN {
                    out.push((v.stem.to_string(), FUZZY_WEIGHT * sim as f32));
                }
            }
        }
        let code = self.sound(w);
        if code.len() >= 3 {
            let allowed = usize::from(code.len() >= 6);
            let keys = std::iter::once(code.clone()).chain(deletions(&code));
            let mut seen: HashSet<u32> = HashSet::default();
            for key in keys {
                for &i in sounds.get(&key).into_iter().flatten() {
                    let Some(v) = self.words.get(i as usize) else {
                        continue;
                    };
                    if seen.insert(i)
                        && strsim::levenshtein(&code, &v.sound) <= allowed
                        && strsim::normalized_levenshtein(w, &v.word) >= 0.6
                    {
                        out.push((v.stem.to_string(), FUZZY_WEIGHT * 0.9));
                    }
                }
            }
        }
        out
    }

    fn word_features(&self, w: &str, doc_side: bool) -> Vec<(Name, f32)> {
        let mut f: Vec<(Name, f32)> = Vec::new();
        let stem = self.stem(w);
        let concept = self
            .thesaurus
            .word(w)
            .or_else(|| self.thesaurus.word(&stem));
        if let Some(c) = concept {
            f.push((format!("c:{c}"), 1.0));
        }
        let known = self.stems.contains(stem.as_str());
        f.push((format!("s:{stem}"), 1.0));
        if doc_side || !known {
            if let Some(parts) = self.split(w) {
                for p in parts {
                    let c = self.thesaurus.word(&p);
                    f.push((format!("s:{p}"), PART_WEIGHT));
                    if let Some(c) = c {
                        f.push((format!("c:{c}"), PART_WEIGHT));
                    }
                }
            }
        }
        let numeric = w.bytes().any(|b| b.is_ascii_digit());
        if !doc_side
            && !known
            && !numeric
            && concept.is_none()
            && f.len() == 1
            && w.len() >= MIN_PART
            && w.len() <= MAX_WORD
        {
            for (s, wt) in self.guesses(w) {
                let key = format!("s:{s}");
                match f.iter_mut().find(|(g, _)| *g == key) {
                    Some(e) => e.1 = e.1.max(wt),
                    None => f.push((key, wt)),
                }
            }
        }
        f
    }

    /// A question's words → terms: phrases of the thesaurus first, then
    /// joined neighbours the corpus knows ("reise pass" → "reisepass"),
    /// then words.
    fn analyse(&self, ws: &[String]) -> Vec<Term> {
        let mut names = Names::Lookup(&self.names);
        let mut terms = Vec::new();
        // The word behind each term, for separable verbs.
        let mut sources: Vec<&str> = Vec::new();
        let mut i = 0;
        while i < ws.len() {
            if let Some((c, n)) = self.thesaurus.phrase(&ws[i..]) {
                // The concept, and its words beside it, weaker.
                let mut named = vec![(format!("c:{c}"), 1.0)];
                for w in ws.iter().skip(i).take(n) {
                    if !self.is_stop(w) && !is_light_word(w) {
                        let words = self.word_features(w, false);
                        named.extend(words.into_iter().map(|(f, s)| (f, s * PART_WEIGHT)));
                    }
                }
                terms.push(Term {
                    features: names.ids(named),
                    span: n,
                    light: false,
                });
                sources.push("");
                i += n;
                continue;
            }
            if i + 1 < ws.len() {
                let joined = format!("{}{}", ws[i], ws[i + 1]);
                if self.vocab.contains(joined.as_str())
                    || self.stems.contains(self.stem(&joined).as_str())
                    || self.thesaurus.word(&joined).is_some()
                {
                    terms.push(Term {
                        features: names.ids(self.word_features(&joined, false)),
                        span: 1,
                        light: false,
                    });
                    sources.push("");
                    i += 2;
                    continue;
                }
            }
            let w = &ws[i];
            i += 1;
            if self.is_stop(w) {
                continue;
            }
            let light = is_light_word(w);
            // A compound the corpus does not know is its parts, each a term
            // of its own: "wohnungsanmeldung" asks for Wohnung and Anmeldung.
            if !light && !self.vocab.contains(w.as_str()) && self.thesaurus.word(w).is_none() {
                let stem = self.stem(w);
                if !self.stems.contains(stem.as_str()) && self.thesaurus.word(&stem).is_none() {
                    if let Some(parts) = self.split(w) {
                        for p in parts {
                            let mut named = vec![(format!("s:{p}"), QUERY_PART_WEIGHT)];
                            if let Some(c) = self.thesaurus.word(&p) {
                                named.push((format!("c:{c}"), QUERY_PART_WEIGHT));
                            }
                            terms.push(Term {
                                features: names.ids(named),
                                span: 1,
                                light: false,
                            });
                            sources.push("");
                        }
                        continue;
                    }
                }
            }
            let features = if light {
                names.ids(vec![(format!("s:{w}"), 1.0)])
            } else {
                names.ids(self.word_features(w, false))
            };
            terms.push(Term {
                features,
                span: 1,
                light,
            });
            sources.push(w);
        }
        // Separable verbs: "melde … ab" is "abmelden", "läuft … ab" is
        // "abläuft" (and, through the thesaurus, "abgelaufen"). A particle
        // that joined a verb says nothing more on its own.
        if self.lang == Lang::De {
            for (pi, p) in sources.clone().into_iter().enumerate() {
                if !SEPARABLE.contains(&p) {
                    continue;
                }
                let mut joined = false;
                for (t, w) in terms.iter_mut().zip(&sources) {
                    if t.light || w.is_empty() || SEPARABLE.contains(w) {
                        continue;
                    }
                    let whole = format!("{p}{w}");
                    let s = self.stem(&whole);
                    let mut named = Vec::new();
                    if let Some(c) = self
                        .thesaurus
                        .word(&whole)
                        .or_else(|| self.thesaurus.word(&s))
                    {
                        named.push((format!("c:{c}"), 1.0));
                    }
                    if self.stems.contains(s.as_str()) {
                        named.push((format!("s:{s}"), 1.0));
                    }
                    for (id, st) in names.ids(named) {
                        add_max(&mut t.features, id, st);
                        joined = true;
                    }
                }
                if joined {
                    if let Some(t) = terms.get_mut(pi) {
                        t.light = true;
                    }
                }
            }
        }
        terms
    }

    /// How much of the question (`terms` with `weights`, summing to
    /// `total`) the features explain: the weighted share, and the features
    /// that explained something.
    fn coverage(
        terms: &[Term],
        weights: &[f32],
        total: f32,
        feats: &[(Feature, f32)],
        used: &mut Vec<Feature>,
    ) -> f32 {
        let mut covered = 0.0;
        for (t, w) in terms.iter().zip(weights) {
            let mut best = 0.0f32;
            for &(f, s) in &t.features {
                let m = s * strength(feats, f);
                if m > 0.0 {
                    used.push(f);
                    best = best.max(m);
                }
            }
            covered += w * best;
        }
        covered / total.max(f32::EPSILON)
    }

    /// How well one phrasing fits: mostly the share of the question it
    /// explains, partly the share of the phrasing the question covers.
    fn phrasing_score(
        &self,
        terms: &[Term],
        weights: &[f32],
        total: f32,
        feats: &[(Feature, f32)],
    ) -> f32 {
        let mut used = Vec::new();
        let recall = Self::coverage(terms, weights, total, feats, &mut used);
        let stems = feats
            .iter()
            .filter(|(f, _)| self.is_stem.get(*f as usize).copied().unwrap_or(false));
        let p_total: f32 = stems.clone().map(|(f, _)| self.idf(*f)).sum();
        let p_hit: f32 = stems
            .filter(|(f, _)| used.contains(f))
            .map(|(f, _)| self.idf(*f))
            .sum();
        let precision = if p_total > 0.0 {
            (p_hit / p_total).min(1.0)
        } else {
            0.0
        };
        (1.0 - PRECISION_SHARE) * recall
            + PRECISION_SHARE * precision.max(recall.min(precision + PRECISION_SLACK))
    }

    /// The best documents for `query`, best first (at most `limit`), each
    /// with a confidence in 0..=1.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Scored> {
        let query = match query.char_indices().nth(MAX_QUERY_CHARS) {
            Some((cut, _)) => &query[..cut],
            None => query,
        };
        let terms = self.analyse(&words(query));
        if terms.iter().all(|t| t.light) || self.profiles.is_empty() {
            return Vec::new();
        }
        // Weight of each term: its rarest feature, or that of an unknown word.
        let weights: Vec<f32> = terms
            .iter()
            .map(|t| {
                if t.light {
                    return LIGHT_WEIGHT;
                }
                let w = t
                    .features
                    .iter()
                    .map(|(f, _)| self.idf(*f))
                    .fold(None, |m: Option<f32>, x| Some(m.map_or(x, |m| m.max(x))))
                    .unwrap_or_else(|| self.unknown_weight());
                w * t.span as f32
            })
            .collect();
        let total: f32 = weights.iter().sum();
        // Candidates: documents sharing features with the question, by summed weight.
        // A dense accumulator: common words touch thousands of documents.
        let mut acc = vec![0.0f32; self.profiles.len()];
        let mut touched: Vec<u32> = Vec::new();
        for (t, w) in terms.iter().zip(&weights).filter(|(t, _)| !t.light) {
            for (f, s) in &t.features {
                for &(d, ds) in self.postings.row(*f as usize) {
                    if let Some(a) = acc.get_mut(d as usize) {
                        if *a == 0.0 {
                            touched.push(d);
                        }
                        *a += w * s * ds;
                    }
                }
            }
        }
        let mut cands: Vec<(u32, f32)> = touched
            .into_iter()
            .map(|d| (d, acc.get(d as usize).copied().unwrap_or(0.0)))
            .collect();
        if cands.len() > CANDIDATES {
            cands.select_nth_unstable_by(CANDIDATES - 1, |a, b| {
                b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
            });
            cands.truncate(CANDIDATES);
        }
        // Rerank: the share of the question the document explains, and its
        // best phrasing's fit. A phrasing explains no more than its whole
        // document, which bounds the confidence: documents are scored by
        // that bound, best first, until none can enter the top `limit`.
        let mut docs: Vec<(u32, f32)> = cands
            .into_iter()
            .map(|(d, _)| {
                let profile = self.profiles.row(d as usize);
                let doc = Self::coverage(&terms, &weights, total, profile, &mut Vec::new());
                (d, doc)
            })
            .collect();
        docs.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let (share, precision) = (DOC_SHARE, PRECISION_SHARE);
        let mut out: Vec<Scored> = Vec::new();
        // A few more than asked for, for the near ties below.
        let keep = limit.saturating_add(2);
        for (d, doc) in docs {
            let bound =
                share * doc + (1.0 - share) * ((1.0 - precision) * doc + precision).min(1.0);
            if out.len() >= keep && out.iter().all(|s| s.confidence > bound) {
                break;
            }
            let Some(&(a, b)) = self.doc_phrasings.get(d as usize) else {
                continue;
            };
            let phrase = (a as usize..b as usize)
                .map(|p| self.phrasing_score(&terms, &weights, total, self.phrasings.row(p)))
                .fold(0.0f32, f32::max);
            let confidence = (share * doc + (1.0 - share) * phrase).clamp(0.0, 1.0);
            if confidence > 0.0 {
                out.push(Scored {
                    doc: d as usize,
                    confidence,
                });
                out.sort_by(|a, b| {
                    b.confidence
                        .total_cmp(&a.confidence)
                        .then(a.doc.cmp(&b.doc))
                });
                out.truncate(keep);
            }
        }
        // Near ties go to the document listed first: a corpus lists the
        // general entry of a topic before the special cases.
        let tie = NEAR_TIE;
        for i in 1..out.len() {
            let mut j = i;
            while j > 0
                && out[j].doc < out[j - 1].doc
                && out[j - 1].confidence - out[j].confidence <= tie
            {
                out.swap(j, j - 1);
                j -= 1;
            }
        }
        out.truncate(limit);
        out
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
