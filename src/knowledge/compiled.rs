//! Compiled corpora: a validated corpus and its FAQ indexes in one file
//! (`city-skill compile`), read at start-up instead of parsed and indexed.
//!
//! Parsing and indexing are most of a cold start: 25 ms for the Munich
//! corpus, a quarter of a second for a 10,000-entry spreadsheet. Reading
//! the compiled form decodes what was built. The embedded Munich corpus
//! ships compiled too (`corpus/munich.cskc`), with a hash of the texts it
//! was compiled from, so that an edited text is never answered from a
//! stale compilation.
//!
//! Layout: the 8-byte magic (it carries the format version), the sources'
//! hash (u64, little-endian), then three sections, each a little-endian
//! u32 length and postcard bytes: the corpus (city, offices, FAQ, calendar
//! texts), the German index, the English index (empty when the corpus does
//! not speak that language).

use std::hash::Hasher as _;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::load::Sources;
use super::model::{City, FaqEntry, Office};
use crate::matching::IndexData;

/// The start of every compiled corpus; the last byte is the format version.
pub const MAGIC: &[u8; 8] = b"cskc\0\0\0\x01";

/// What a compiled corpus holds besides its indexes. Calendars stay text:
/// they are small, and their series are expanded per question anyway.
#[derive(Debug, Serialize, Deserialize)]
pub struct Corpus {
    /// `city.toml`.
    pub city: City,
    /// `offices.toml`.
    pub offices: Vec<Office>,
    /// The FAQ, from `faq.toml` and `faq.csv`.
    pub faq: Vec<FaqEntry>,
    /// `(file, text)` of each calendar.
    pub calendars: Vec<(String, String)>,
}

/// Why a compiled corpus cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CompiledError {
    /// Not a compiled corpus, or one of another format version.
    #[error("not a compiled corpus of this version of city-skill; compile it again with `city-skill compile`")]
    NotCompiled,
    /// Compiled from other texts than the ones beside it.
    #[error("compiled from other texts than the corpus's own")]
    Stale,
    /// Cut short, or bytes changed.
    #[error("the compiled corpus is damaged ({0}); compile it again with `city-skill compile`")]
    Damaged(String),
}

/// A compiled corpus's parts, as ranges of its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parts {
    /// Hash of the sources it was compiled from ([`sources_hash`]).
    pub sources: u64,
    /// The postcard bytes of the [`Corpus`].
    pub corpus: Range<usize>,
    /// The postcard bytes of the German and the English [`IndexData`].
    pub indexes: [Range<usize>; 2],
}

/// True when `bytes` start like a compiled corpus.
pub fn is_compiled(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

/// Finds the parts of a compiled corpus.
///
/// # Errors
/// [`CompiledError::NotCompiled`] for other bytes, [`CompiledError::Damaged`]
/// when a section runs past the end or bytes are left over.
pub fn split(bytes: &[u8]) -> Result<Parts, CompiledError> {
    let rest = bytes
        .strip_prefix(MAGIC.as_slice())
        .ok_or(CompiledError::NotCompiled)?;
    let cut = || CompiledError::Damaged("cut short".into());
    let hash: [u8; 8] = rest
        .get(..8)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(cut)?;
    let mut at = MAGIC.len() + 8;
    let mut section = || -> Result<Range<usize>, CompiledError> {
        let len: [u8; 4] = bytes
            .get(at..at + 4)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(cut)?;
        let start = at + 4;
        let end = start
            .checked_add(u32::from_le_bytes(len) as usize)
            .filter(|&e| e <= bytes.len())
            .ok_or_else(cut)?;
        at = end;
        Ok(start..end)
    };
    let parts = Parts {
        sources: u64::from_le_bytes(hash),
        corpus: section()?,
        indexes: [section()?, section()?],
    };
    match parts.indexes[1].end == bytes.len() {
        true => Ok(parts),
        false => Err(CompiledError::Damaged(
            "bytes after the last section".into(),
        )),
    }
}

/// Writes a compiled corpus.
///
/// # Errors
/// When a section does not fit the format (over 4 GiB).
pub fn write(
    sources: u64,
    corpus: &Corpus,
    indexes: [Option<IndexData>; 2],
) -> Result<Vec<u8>, CompiledError> {
    let damaged = |e: postcard::Error| CompiledError::Damaged(e.to_string());
    let mut sections = vec![postcard::to_stdvec(corpus).map_err(damaged)?];
    for index in &indexes {
        sections.push(match index {
            Some(data) => postcard::to_stdvec(data).map_err(damaged)?,
            None => Vec::new(),
        });
    }
    let mut out = Vec::with_capacity(16 + sections.iter().map(|s| s.len() + 4).sum::<usize>());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&sources.to_le_bytes());
    for s in sections {
        let len = u32::try_from(s.len())
            .map_err(|_| CompiledError::Damaged("a section over 4 GiB".into()))?;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&s);
    }
    Ok(out)
}

/// Decodes a section.
///
/// # Errors
/// [`CompiledError::Damaged`] when the bytes are not what was written.
pub fn decode<'a, T: Deserialize<'a>>(
    bytes: &'a [u8],
    part: Range<usize>,
) -> Result<T, CompiledError> {
    let section = bytes
        .get(part)
        .ok_or_else(|| CompiledError::Damaged("section out of range".into()))?;
    postcard::from_bytes(section).map_err(|e| CompiledError::Damaged(e.to_string()))
}

/// A hash of a corpus's texts (names and contents), to tell whether a
/// compiled corpus was compiled from them. Not cryptographic: it guards
/// against forgetting to compile again, not against an attacker.
pub fn sources_hash(s: &Sources) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    let mut file = |tag: u8, name: &str, bytes: &[u8]| {
        h.write_u8(tag);
        h.write_usize(name.len());
        h.write(name.as_bytes());
        h.write_usize(bytes.len());
        h.write(bytes);
    };
    let texts = [(1, &s.city), (2, &s.offices), (3, &s.faq)];
    for (tag, text) in texts {
        if let Some((name, t)) = text {
            file(tag, name, t.as_bytes());
        }
    }
    if let Some((name, bytes)) = &s.faq_csv {
        file(4, name, bytes);
    }
    for (name, t) in &s.calendars {
        file(5, name, t.as_bytes());
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<u8> {
        let corpus = Corpus {
            city: City::unnamed(),
            offices: Vec::new(),
            faq: Vec::new(),
            calendars: Vec::new(),
        };
        write(7, &corpus, [None, None]).unwrap_or_default()
    }

    #[test]
    fn a_written_corpus_splits_into_its_parts() {
        let bytes = sample();
        let parts = split(&bytes).map_err(|e| e.to_string());
        assert_eq!(parts.as_ref().map(|p| p.sources), Ok(7));
        let corpus: Result<Corpus, _> = parts
            .map_err(|_| CompiledError::NotCompiled)
            .and_then(|p| decode(&bytes, p.corpus));
        assert_eq!(corpus.map(|c| c.city.id).ok().as_deref(), Some("city"));
    }

    #[test]
    fn other_bytes_are_not_a_compiled_corpus() {
        assert!(matches!(
            split(b"id,question\n"),
            Err(CompiledError::NotCompiled)
        ));
    }

    #[test]
    fn a_cut_corpus_is_damaged() {
        let bytes = sample();
        for len in MAGIC.len()..bytes.len() {
            assert!(
                matches!(split(&bytes[..len]), Err(CompiledError::Damaged(_))),
                "cut at {len}"
            );
        }
    }

    #[test]
    fn the_hash_follows_every_text() {
        let a = Sources::embedded();
        let mut b = a.clone();
        if let Some((_, t)) = &mut b.faq {
            t.push(' ');
        }
        assert_ne!(sources_hash(&a), sources_hash(&b));
        assert_eq!(sources_hash(&a), sources_hash(&a.clone()));
    }
}
