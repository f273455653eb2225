//! Compiled corpora: a validated corpus and its FAQ indexes in one file
//! (`city-skill compile`), read at start-up instead of parsed and indexed.
//!
//! Parsing and indexing were most of a cold start: 25 ms for the Munich
//! corpus, a fifth of a second for a 10,000-entry spreadsheet. Reading
//! the compiled form decodes what was built. The embedded Munich corpus
//! ships compiled too (`corpus/munich.cskc`), with a hash of the texts it
//! was compiled from, so that an edited text is never answered from a
//! stale compilation.
//!
//! Layout: the 8-byte magic (it carries the format version), the sources'
//! hash (u64, little-endian), then [`SECTIONS`] sections, each a
//! little-endian u32 length and its bytes: the corpus without its FAQ
//! (postcard: city, offices, calendar texts); the FAQ ids and the end of
//! each (u32s); the FAQ entries, each postcard on its own, and the end of
//! each, so that an answer decodes only its own entry; per language, the
//! FAQ entry of each index document (u32s) and the index (postcard
//! [`IndexData`]; empty when the corpus does not speak the language); the
//! corpus's events (postcard); per language, the FAQ's sentence vectors and their calibration (empty when
//! the corpus was compiled without the encoder model).
//! A file is mapped, not read: a cold start touches only the pages its
//! question needs.

use std::ops::{Deref, Range};
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::model::{City, EventEntry, FaqEntry, Office};
use crate::lang::Lang;
use crate::matching::IndexData;

/// The start of every compiled corpus; the last byte is the format version.
pub const MAGIC: &[u8; 8] = b"cskc\0\0\0\x0b";

/// Number of sections after the header.
pub const SECTIONS: usize = 12;
/// The corpus without its FAQ ([`Corpus`]).
pub const CORPUS: usize = 0;
/// FAQ ids, one after the other.
pub const FAQ_IDS: usize = 1;
/// End of each FAQ id in [`FAQ_IDS`] (u32s).
pub const FAQ_ID_ENDS: usize = 2;
/// FAQ entries, postcard one after the other.
pub const FAQ: usize = 3;
/// End of each FAQ entry in [`FAQ`] (u32s).
pub const FAQ_ENDS: usize = 4;

/// The corpus's own events (postcard `Vec<EventEntry>`), decoded on the
/// first events question.
pub const EVENTS: usize = 9;

/// The section with the FAQ entry of each index document in `lang` (u32s).
pub fn docs(lang: Lang) -> usize {
    5 + 2 * lang as usize
}

/// The section with the FAQ index in `lang`.
pub fn index(lang: Lang) -> usize {
    6 + 2 * lang as usize
}

/// The section with the FAQ's sentence vectors and calibration in `lang`
/// (`knowledge::semantic::Semantic::to_bytes`; empty when the corpus does
/// not speak the language or no encoder was there to compile them).
pub fn vectors(lang: Lang) -> usize {
    10 + lang as usize
}

/// What a compiled corpus holds besides its FAQ. Calendars stay text: they
/// are small, and parsed on the first events question.
#[derive(Debug, Serialize, Deserialize)]
pub struct Corpus {
    /// `city.toml`.
    pub city: City,
    /// `offices.toml`.
    pub offices: Vec<Office>,
    /// `(file, text)` of each calendar.
    pub calendars: Vec<(String, String)>,
}

/// Why a compiled corpus cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CompiledError {
    /// Not a compiled corpus, or one of another format version.
    #[error("not a compiled corpus of this version of city-skill; compile it again with `city-skill compile`")]
    NotCompiled,
    /// Compiled from other texts than the corpus's own.
    #[error("compiled from other texts than the corpus's own; compile it again with `city-skill compile`")]
    Stale,
    /// Its sentence vectors come from another encoder model.
    #[error("compiled with encoder model {got}, but this city-skill uses {want}; compile it again with `city-skill compile`")]
    OtherModel {
        /// The model the corpus was compiled with (SHA-256).
        got: String,
        /// This binary's model.
        want: String,
    },
    /// Cut short, or bytes changed.
    #[error("the compiled corpus is damaged ({0}); compile it again with `city-skill compile`")]
    Damaged(String),
}

/// The bytes of a compiled corpus: for the life of the process (in the
/// binary, or a file mapped once), or in memory.
#[derive(Clone)]
pub enum Bytes {
    /// In the binary, or mapped from a file: indexes borrow their strings
    /// from these, so that a cold start allocates none.
    Static(&'static [u8]),
    /// Bytes in memory; indexes copy their strings.
    Owned(Arc<[u8]>),
}

impl Bytes {
    /// Maps a file for the rest of the process: a corpus is loaded once,
    /// at start-up, and serves until the process ends, so the mapping is
    /// never unmapped.
    ///
    /// # Errors
    /// When it cannot be opened or mapped.
    pub fn map(path: &Path) -> std::io::Result<Self> {
        let file = std::fs::File::open(path)?;
        // SAFETY: a mapping is undefined behaviour if the file changes
        // while mapped. Corpus files are replaced, not edited in place, by
        // a deploy (a new file, or a new container image); an edit in
        // place would at worst make a compiled corpus fail its checks.
        let map = unsafe { memmap2::Mmap::map(&file)? };
        Ok(Self::Static(Box::leak(Box::new(map))))
    }
}

impl Deref for Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Static(b) => b,
            Bytes::Owned(b) => b,
        }
    }
}

impl std::fmt::Debug for Bytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Bytes({})", self.len())
    }
}

/// A compiled corpus's sections, as ranges of its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parts {
    /// Hash of the sources it was compiled from ([`sources_hash`]).
    pub sources: u64,
    /// Each section.
    pub sections: [Range<usize>; SECTIONS],
}

/// True when `bytes` start like a compiled corpus.
pub fn is_compiled(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

/// Finds the sections of a compiled corpus.
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
    let mut sections: [Range<usize>; SECTIONS] = Default::default();
    for section in &mut sections {
        let len: [u8; 4] = bytes
            .get(at..at + 4)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(cut)?;
        let start = at + 4;
        let end = start
            .checked_add(u32::from_le_bytes(len) as usize)
            .filter(|&e| e <= bytes.len())
            .ok_or_else(cut)?;
        *section = start..end;
        at = end;
    }
    match at == bytes.len() {
        true => Ok(Parts {
            sources: u64::from_le_bytes(hash),
            sections,
        }),
        false => Err(CompiledError::Damaged(
            "bytes after the last section".into(),
        )),
    }
}

/// Little-endian u32s.
fn u32s(values: impl IntoIterator<Item = usize>) -> Result<Vec<u8>, CompiledError> {
    let mut out = Vec::new();
    for v in values {
        let v = u32::try_from(v).map_err(|_| CompiledError::Damaged("over 4 GiB".into()))?;
        out.extend_from_slice(&v.to_le_bytes());
    }
    Ok(out)
}

/// The `i`th little-endian u32 of `bytes`.
pub fn u32_at(bytes: &[u8], i: usize) -> Option<usize> {
    let b = bytes.get(i.checked_mul(4)?..)?.get(..4)?;
    Some(u32::from_le_bytes(b.try_into().ok()?) as usize)
}

/// Writes a compiled corpus; `indexes` holds, per language, the FAQ
/// entry of each document and the index.
///
/// # Errors
/// When a section does not fit the format (over 4 GiB).
pub fn write(
    sources: u64,
    corpus: &Corpus,
    faq: &[FaqEntry],
    indexes: [Option<(Vec<usize>, IndexData)>; 2],
    events: &[EventEntry],
    vectors: [Vec<u8>; 2],
) -> Result<Vec<u8>, CompiledError> {
    let damaged = |e: postcard::Error| CompiledError::Damaged(e.to_string());
    let mut sections: Vec<Vec<u8>> = vec![postcard::to_stdvec(corpus).map_err(damaged)?];
    let (mut ids, mut id_ends) = (String::new(), Vec::with_capacity(faq.len()));
    let (mut entries, mut ends) = (Vec::new(), Vec::with_capacity(faq.len()));
    for e in faq {
        ids.push_str(&e.id);
        id_ends.push(ids.len());
        entries.extend(postcard::to_stdvec(e).map_err(damaged)?);
        ends.push(entries.len());
    }
    sections.extend([ids.into_bytes(), u32s(id_ends)?, entries, u32s(ends)?]);
    for index in indexes {
        match index {
            Some((docs, data)) => {
                sections.push(u32s(docs)?);
                sections.push(postcard::to_stdvec(&data).map_err(damaged)?);
            }
            None => sections.extend([Vec::new(), Vec::new()]),
        }
    }
    sections.push(postcard::to_stdvec(events).map_err(damaged)?);
    sections.extend(vectors);
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

/// Decodes postcard bytes.
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
    // A section must be read to its end: bytes left over mean a layout the
    // reader does not know (another version's), not data to ignore.
    match postcard::take_from_bytes(section) {
        Ok((value, [])) => Ok(value),
        Ok((_, rest)) => Err(CompiledError::Damaged(format!(
            "{} bytes left over in a section",
            rest.len()
        ))),
        Err(e) => Err(CompiledError::Damaged(e.to_string())),
    }
}

/// Kinds of corpus file, as [`hash_files`] tells them apart.
pub const CITY_FILE: u8 = 1;
/// `offices.toml`.
pub const OFFICES_FILE: u8 = 2;
/// `faq.toml`.
pub const FAQ_FILE: u8 = 3;
/// A FAQ spreadsheet.
pub const FAQ_CSV_FILE: u8 = 4;
/// A calendar.
pub const CALENDAR_FILE: u8 = 5;
/// `events.toml`.
pub const EVENTS_FILE: u8 = 6;

/// The hash of [`Sources::hash`](super::load::Sources::hash) over `(kind, name, contents)` of each file;
/// a `const fn`, so that the embedded corpus's is computed at build time.
pub const fn hash_files(files: &[(u8, &str, &[u8])]) -> u64 {
    let mut h = 0u64;
    let mut i = 0;
    while i < files.len() {
        let (kind, name, bytes) = files[i];
        h = mix(h, kind as u64);
        h = hash_bytes(h, name.as_bytes());
        h = hash_bytes(h, bytes);
        i += 1;
    }
    h
}

/// One step of an FxHash-like hash: quick, and the same on every platform.
const fn mix(h: u64, word: u64) -> u64 {
    (h ^ word)
        .wrapping_mul(0xf135_7aea_2e62_a9c5)
        .rotate_left(26)
}

const fn hash_bytes(mut h: u64, b: &[u8]) -> u64 {
    h = mix(h, b.len() as u64);
    let mut i = 0;
    while i + 8 <= b.len() {
        let w = [
            b[i],
            b[i + 1],
            b[i + 2],
            b[i + 3],
            b[i + 4],
            b[i + 5],
            b[i + 6],
            b[i + 7],
        ];
        h = mix(h, u64::from_le_bytes(w));
        i += 8;
    }
    let (mut tail, mut shift) = (0u64, 0);
    while i < b.len() {
        tail |= (b[i] as u64) << shift;
        shift += 8;
        i += 1;
    }
    mix(h, tail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_with_bytes_left_over_is_damaged() {
        let bytes = postcard::to_allocvec(&7u32).unwrap();
        assert_eq!(decode::<u32>(&bytes, 0..bytes.len()).unwrap(), 7);
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode::<u32>(&longer, 0..longer.len()).is_err());
    }

    fn sample() -> Vec<u8> {
        let corpus = Corpus {
            city: City::unnamed(),
            offices: Vec::new(),
            calendars: Vec::new(),
        };
        let faq = [FaqEntry {
            id: "a".into(),
            ..FaqEntry::default()
        }];
        write(7, &corpus, &faq, [None, None], &[], Default::default()).unwrap_or_default()
    }

    #[test]
    fn a_written_corpus_splits_into_its_sections() {
        let bytes = sample();
        let parts = split(&bytes).map_err(|e| e.to_string());
        assert_eq!(parts.as_ref().map(|p| p.sources), Ok(7));
        let Ok(parts) = parts else { return };
        let corpus: Result<Corpus, _> = decode(&bytes, parts.sections[CORPUS].clone());
        assert_eq!(corpus.map(|c| c.city.id).ok().as_deref(), Some("city"));
        assert_eq!(bytes.get(parts.sections[FAQ_IDS].clone()), Some(&b"a"[..]));
        let end = bytes
            .get(parts.sections[FAQ_ENDS].clone())
            .and_then(|e| u32_at(e, 0));
        assert_eq!(end, Some(parts.sections[FAQ].len()));
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
}
