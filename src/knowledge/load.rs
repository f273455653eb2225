//! Reading corpus files: the embedded Munich corpus and corpus directories.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::compiled::{self, Bytes};
use super::model::{City, FaqEntry, Office};

pub use crate::problem::{line_col, Problem};

/// Why a corpus could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The files were read but are not valid.
    #[error("{}", problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Invalid {
        /// Every problem found, in file order.
        problems: Vec<Problem>,
    },
}

/// Where the embedded corpus's compilation lives in the repository.
pub const EMBEDDED_COMPILED: &str = "corpus/munich.cskc";

/// The compilation a corpus directory may hold, used while it matches the
/// directory's texts.
pub const COMPILED_IN_DIR: &str = "compiled.cskc";

/// The raw texts of a corpus, before parsing.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    /// `(display name, contents)` of `city.toml`.
    pub city: Option<(String, String)>,
    /// `offices.toml`.
    pub offices: Option<(String, String)>,
    /// `faq.toml`.
    pub faq: Option<(String, String)>,
    /// A FAQ spreadsheet export (`faq.csv`, or the file given as the corpus).
    pub faq_csv: Option<(String, Vec<u8>)>,
    /// `events.toml`: the corpus's own events.
    pub events: Option<(String, String)>,
    /// `events.ics` and other calendars.
    pub calendars: Vec<(String, String)>,
    /// `(display name, bytes)` of a compiled corpus: the file given as the
    /// corpus, or the compilation of the texts above (used only while it
    /// matches them).
    pub compiled: Option<(String, Bytes)>,
    /// The hash ([`Sources::hash`]) of the texts `compiled` must
    /// have been compiled from, when they are not here to hash (the
    /// embedded corpus's, computed at build time).
    pub compiled_from: Option<u64>,
}

/// The embedded corpus's texts: `(name, text)` of city, offices, FAQ and
/// events. Used at build time, for [`EMBEDDED_HASH`], and by tests; not
/// at run time, so that the binary does not carry them beside their
/// compilation.
const EMBEDDED: [(&str, &str); 4] = [
    (
        "corpus/munich/city.toml",
        include_str!("../../corpus/munich/city.toml"),
    ),
    (
        "corpus/munich/offices.toml",
        include_str!("../../corpus/munich/offices.toml"),
    ),
    (
        "corpus/munich/faq.toml",
        include_str!("../../corpus/munich/faq.toml"),
    ),
    (
        "corpus/munich/events.toml",
        include_str!("../../corpus/munich/events.toml"),
    ),
];

/// The compilation of the embedded corpus ([`EMBEDDED_COMPILED`]).
pub const EMBEDDED_IMAGE: &[u8] = include_bytes!("../../corpus/munich.cskc");

/// [`Sources::hash`] of the embedded texts, computed when the
/// binary is compiled, so that checking the embedded compilation costs a
/// start-up nothing.
pub const EMBEDDED_HASH: u64 = {
    let [city, offices, faq, events] = EMBEDDED;
    compiled::hash_files(&[
        (compiled::CITY_FILE, city.0, city.1.as_bytes()),
        (compiled::OFFICES_FILE, offices.0, offices.1.as_bytes()),
        (compiled::FAQ_FILE, faq.0, faq.1.as_bytes()),
        (compiled::EVENTS_FILE, events.0, events.1.as_bytes()),
    ])
};

impl Sources {
    /// A hash of a corpus's texts (names and contents), to tell whether a
    /// compiled corpus was compiled from them. Not cryptographic: it guards
    /// against forgetting to compile again, not against an attacker.
    pub fn hash(&self) -> u64 {
        let mut files: Vec<(u8, &str, &[u8])> = Vec::new();
        let texts = [
            (compiled::CITY_FILE, &self.city),
            (compiled::OFFICES_FILE, &self.offices),
            (compiled::FAQ_FILE, &self.faq),
            (compiled::EVENTS_FILE, &self.events),
        ];
        for (kind, text) in texts {
            if let Some((name, t)) = text {
                files.push((kind, name, t.as_bytes()));
            }
        }
        if let Some((name, bytes)) = &self.faq_csv {
            files.push((compiled::FAQ_CSV_FILE, name, bytes));
        }
        for (name, t) in &self.calendars {
            files.push((compiled::CALENDAR_FILE, name, t.as_bytes()));
        }
        compiled::hash_files(&files)
    }

    /// The Munich corpus compiled into the binary. Only its compilation is
    /// in the binary: the texts (`corpus/munich/`) are in the repository,
    /// checked by `cargo test`, and compiled with
    /// `city-skill compile --corpus corpus/munich --output corpus/munich.cskc`.
    pub fn embedded() -> Self {
        Self {
            compiled: Some((EMBEDDED_COMPILED.into(), Bytes::Static(EMBEDDED_IMAGE))),
            compiled_from: Some(EMBEDDED_HASH),
            ..Self::default()
        }
    }

    /// The embedded corpus's texts (tests only: the binary carries only
    /// their compilation, and their hash).
    #[cfg(test)]
    pub fn embedded_texts() -> Self {
        let [city, offices, faq, events] = EMBEDDED.map(|(n, t)| (n.to_string(), t.to_string()));
        Self {
            city: Some(city),
            offices: Some(offices),
            faq: Some(faq),
            faq_csv: None,
            events: Some(events),
            calendars: Vec::new(),
            compiled: None,
            compiled_from: None,
        }
    }

    /// True when there are texts to parse (not only a compiled corpus).
    pub fn has_texts(&self) -> bool {
        self.city.is_some()
            || self.offices.is_some()
            || self.faq.is_some()
            || self.faq_csv.is_some()
            || self.events.is_some()
            || !self.calendars.is_empty()
    }

    /// Reads a corpus directory: `city.toml`, `offices.toml`, `faq.toml`,
    /// `events.toml` and every `*.ics` file; each is optional. A `compiled.cskc` beside
    /// them (`city-skill compile`) is used while it matches them.
    ///
    /// # Errors
    /// When a file exists but cannot be read.
    pub fn read_dir(dir: &Path) -> Result<Self, LoadError> {
        let read = |name: &str| -> Result<Option<(String, String)>, LoadError> {
            let path = dir.join(name);
            if !path.exists() {
                return Ok(None);
            }
            std::fs::read_to_string(&path)
                .map(|s| Some((path.display().to_string(), s)))
                .map_err(|source| LoadError::Io { path, source })
        };
        let mut calendars = Vec::new();
        let entries = std::fs::read_dir(dir).map_err(|source| LoadError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let mut ics: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("ics")))
            .collect();
        ics.sort();
        for path in ics {
            let text = std::fs::read_to_string(&path).map_err(|source| LoadError::Io {
                path: path.clone(),
                source,
            })?;
            calendars.push((path.display().to_string(), text));
        }
        let csv_path = dir.join("faq.csv");
        let faq_csv = if csv_path.exists() {
            let bytes = std::fs::read(&csv_path).map_err(|source| LoadError::Io {
                path: csv_path.clone(),
                source,
            })?;
            Some((csv_path.display().to_string(), bytes))
        } else {
            None
        };
        let compiled_path = dir.join(COMPILED_IN_DIR);
        let compiled = match compiled_path.exists() {
            true => Some((
                compiled_path.display().to_string(),
                Bytes::map(&compiled_path).map_err(|source| LoadError::Io {
                    path: compiled_path.clone(),
                    source,
                })?,
            )),
            false => None,
        };
        Ok(Self {
            city: read("city.toml")?,
            offices: read("offices.toml")?,
            faq: read("faq.toml")?,
            faq_csv,
            events: read("events.toml")?,
            calendars,
            compiled,
            compiled_from: None,
        })
    }

    /// Reads a corpus from a path: a corpus directory, a compiled corpus
    /// (`city-skill compile`), or a single FAQ `.csv` file (then without
    /// offices or events).
    ///
    /// # Errors
    /// When the path does not exist or cannot be read.
    pub fn from_path(path: &Path) -> Result<Self, LoadError> {
        let meta = std::fs::metadata(path).map_err(|source| LoadError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        if meta.is_dir() {
            return Self::read_dir(path);
        }
        let io = |source| LoadError::Io {
            path: path.to_path_buf(),
            source,
        };
        let name = path.display().to_string();
        // Only a compiled corpus is mapped (for good): a spreadsheet is
        // read once and parsed.
        let mut head = [0u8; compiled::MAGIC.len()];
        let starts = std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut head));
        if starts.is_ok() && compiled::is_compiled(&head) {
            return Ok(Self {
                compiled: Some((name, Bytes::map(path).map_err(io)?)),
                ..Self::default()
            });
        }
        let bytes = std::fs::read(path).map_err(io)?;
        Ok(Self {
            faq_csv: Some((name, bytes)),
            ..Self::default()
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OfficesFile {
    #[serde(default)]
    office: Vec<toml::Spanned<Office>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FaqFile {
    #[serde(default)]
    faq: Vec<toml::Spanned<FaqEntry>>,
}

/// Items with the line each starts on.
pub type Lined<T> = Vec<(T, usize)>;

/// Counts lines from one item to the next (items come in file order), so
/// that numbering a file's items reads it once, not once per item.
fn lined<T>(text: &str, items: Vec<toml::Spanned<T>>) -> Lined<T> {
    let (mut at, mut line) = (0usize, 1usize);
    items
        .into_iter()
        .map(|s| {
            let start = s.span().start.min(text.len());
            if start < at {
                (at, line) = (0, 1);
            }
            let between = text.as_bytes().get(at..start).unwrap_or_default();
            line += between.iter().filter(|&&b| b == b'\n').count();
            at = start;
            (s.into_inner(), line)
        })
        .collect()
}

/// Parses a TOML file, turning a syntax or schema error into a [`Problem`]
/// with line and column.
pub fn parse_toml<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> Result<T, Problem> {
    toml::from_str::<T>(text).map_err(|e| {
        let message = e.message().to_string();
        match e.span() {
            Some(span) => Problem::at_offset(file, text, span.start, message),
            None => Problem::file(file, message),
        }
    })
}

/// Parses `city.toml`.
pub fn parse_city(file: &str, text: &str) -> Result<City, Problem> {
    parse_toml(file, text)
}

/// Parses `offices.toml`; each office with its line.
pub fn parse_offices(file: &str, text: &str) -> Result<Lined<Office>, Problem> {
    parse_toml::<OfficesFile>(file, text).map(|f| lined(text, f.office))
}

/// Parses `faq.toml`; each entry with its line.
pub fn parse_faq(file: &str, text: &str) -> Result<Lined<FaqEntry>, Problem> {
    parse_toml::<FaqFile>(file, text).map(|f| lined(text, f.faq))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_error_reports_line_and_column() {
        let err = parse_offices("offices.toml", "[[office]]\nid = \"a\"\nname = {de = }\n")
            .err()
            .map(|p| p.to_string())
            .unwrap_or_default();
        assert!(err.starts_with("offices.toml:3:"), "{err}");
    }

    #[test]
    fn unknown_field_is_a_problem() {
        let text = "[[office]]\nid = \"a\"\nname = {de = \"A\"}\nsource = \"s\"\nas_of = \"2020\"\nfoo = 1\n";
        let err = parse_offices("o.toml", text)
            .err()
            .map(|p| p.to_string())
            .unwrap_or_default();
        assert!(err.contains("foo"), "{err}");
    }

    #[test]
    fn each_item_carries_the_line_it_starts_on() {
        let office =
            "[[office]]\nid = \"ID\"\nname = {de = \"A\"}\nsource = \"s\"\nas_of = \"2020\"\n\n";
        let text: String = ["a", "b", "c"].map(|id| office.replace("ID", id)).concat();
        let lines: Vec<usize> = parse_offices("o.toml", &text)
            .map(|v| v.into_iter().map(|(_, line)| line).collect())
            .unwrap_or_default();
        assert_eq!(lines, [1, 7, 13]);
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ä\nbü", 5), (2, 3));
    }

    #[test]
    fn the_hash_follows_every_text() {
        let a = Sources::embedded_texts();
        let mut b = a.clone();
        if let Some((_, t)) = &mut b.faq {
            t.push(' ');
        }
        assert_ne!(a.hash(), b.hash());
        assert_eq!(a.hash(), a.clone().hash());
    }

    #[test]
    fn the_embedded_hash_is_computed_like_any_other() {
        let embedded = EMBEDDED_HASH;
        assert_eq!(embedded, Sources::embedded_texts().hash());
    }
}
