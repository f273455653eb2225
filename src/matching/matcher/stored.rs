//! A built index as a compiled corpus stores it ([`IndexData`]), and the
//! matcher rebuilt from it without analysing the corpus again.

use super::rows::order_of;
use super::*;

/// A [`VocabWord`] as stored.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct StoredWord<'a> {
    pub(super) word: &'a str,
    pub(super) stem: &'a str,
    pub(super) sound: &'a str,
}

/// A built matcher without what is quickly derived from it (look-up
/// tables, postings, weights): what a compiled corpus stores, so that a
/// cold start reads an index instead of building one.
/// Its strings are borrowed from the bytes it is read from.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub struct IndexData<'a> {
    /// Feature names, by feature id.
    #[serde(borrow)]
    pub(super) names: Vec<&'a str>,
    /// Feature ids sorted by name.
    #[serde(with = "raw::numbers")]
    pub(super) names_order: Vec<u32>,
    #[serde(with = "raw::rows")]
    pub(super) profiles: Rows<(Feature, f32)>,
    #[serde(with = "raw::rows")]
    pub(super) phrasings: Rows<(Feature, f32)>,
    pub(super) doc_phrasings: Vec<(u32, u32)>,
    #[serde(borrow)]
    pub(super) words: Vec<StoredWord<'a>>,
    /// Word numbers sorted by word.
    #[serde(with = "raw::numbers")]
    pub(super) words_order: Vec<u32>,
    /// The words' stems, sorted, each once.
    #[serde(borrow)]
    pub(super) stems: Vec<&'a str>,
    /// The corpus's own stop words.
    #[serde(borrow)]
    pub(super) stop_words: Vec<&'a str>,
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
pub struct IndexDataError(pub(super) &'static str);

impl Matcher {
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

    pub(super) fn from_stored<'a>(
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
}
