//! The city's knowledge: corpus model, loaders, validation, and the lookups
//! the skill asks of it (office by name, FAQ answer for a question, events
//! in a range). Built once at cold start; read-only afterwards.

pub mod categories;
pub mod compiled;
pub mod csv;
pub mod events;
pub mod feed;
pub mod load;
pub mod model;
pub mod semantic;
pub mod synthetic;

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use feed::Feed;

use chrono::{DateTime, Utc};

use crate::lang::Lang;
use crate::matching::encoder::{model_sha256, LazyEncoder};
use crate::matching::normalize::fold;
use crate::matching::semantic::DocText;
use crate::matching::thesaurus::Thesaurus;
use crate::matching::{Document, Index, IndexData, Matcher, Scored};
use crate::time::hours::Hours;
use crate::time::ical;
use semantic::Semantic;

use compiled::{Bytes, CompiledError};
pub use events::EventBook;
pub use load::{LoadError, Problem, Sources};
pub use model::{
    Appointment, Certainty, City, Event, EventDates, EventEntry, FaqEntry, FaqText, Localized,
    Office,
};

/// A confidence at or above this answers the question outright.
pub const ACCEPT_SCORE: f64 = 0.56;
/// Below this the matcher does not know; between the two it is unsure.
pub const DOUBT_SCORE: f64 = 0.45;
/// At or above this, an answer needs only a small lead ([`CERTAIN_LEAD`])
/// over the next candidate, not the full [`MARGIN`].
pub const CERTAIN_SCORE: f64 = 0.95;
/// The lead a near-certain answer needs: a tie is still a question.
pub const CERTAIN_LEAD: f64 = 0.005;
/// Two candidates closer than this are both offered ("A oder B?").
pub const MARGIN: f64 = 0.04;
/// Longest spoken FAQ answer, in characters (about 25 seconds of speech);
/// longer details belong on the card.
pub const MAX_ANSWER_CHARS: usize = 400;
/// An office name must match at least this well to count as meant.
const OFFICE_MATCH_MIN: f64 = 0.75;
/// How far a fuzzy office match must lead the next office.
const OFFICE_MATCH_LEAD: f64 = 0.05;

/// What a question about an office asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aspect {
    /// Opening hours ("wann hat … offen").
    Hours,
    /// Address ("wo ist …").
    Address,
    /// Phone number ("Telefonnummer vom …").
    Phone,
}

impl Aspect {
    /// `hours`, `address` or `phone`.
    pub fn as_str(self) -> &'static str {
        match self {
            Aspect::Hours => "hours",
            Aspect::Address => "address",
            Aspect::Phone => "phone",
        }
    }
}

/// Words that say what is asked about an office, by aspect (folded).
const ASPECT_CUES: [(Aspect, &[&str]); 3] = [
    (
        Aspect::Phone,
        &[
            "telefon",
            "telefonnummer",
            "nummer",
            "anrufen",
            "erreiche",
            "erreichen",
            "phone",
            "call",
            "number",
            "ring",
        ],
    ),
    (
        Aspect::Hours,
        &[
            "offen",
            "geoeffnet",
            "oeffnungszeiten",
            "oeffnungszeit",
            "oeffnet",
            "geschlossen",
            "auf",
            "zu",
            "open",
            "opens",
            "opening",
            "hours",
            "closed",
            "close",
            "closes",
        ],
    ),
    (
        Aspect::Address,
        &[
            "wo",
            "adresse",
            "anschrift",
            "liegt",
            "finde",
            "komme",
            "hin",
            "where",
            "address",
            "located",
            "find",
            "directions",
        ],
    ),
];

/// Every name of an office: its id, and its names and synonyms in both
/// languages.
fn office_names(o: &Office) -> Vec<&str> {
    let mut names: Vec<&str> = vec![o.id.as_str()];
    for lang in Lang::ALL {
        names.extend(o.name.get(lang).map(String::as_str));
        names.extend(
            o.synonyms
                .get(lang)
                .into_iter()
                .flatten()
                .map(String::as_str),
        );
    }
    names
}

/// The encoder questions are answered with: the model when
/// `CITY_SKILL_ENCODER` is `1`, `true`, `yes` or `on`; otherwise none
/// (lexical matching, as before the encoder). Off by default until the
/// hybrid match holds the false-accept target on Munich's near misses too
/// (README, "How the matcher reads a question").
fn default_encoder() -> Arc<LazyEncoder> {
    let on = std::env::var("CITY_SKILL_ENCODER")
        .is_ok_and(|v| matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "on"));
    Arc::new(match on {
        true => LazyEncoder::new(),
        false => LazyEncoder::disabled(),
    })
}

/// What the FAQ matcher made of a question.
#[derive(Clone, Debug)]
pub enum FaqMatch<'a> {
    /// One entry answers it.
    Answer {
        /// The entry.
        entry: &'a FaqEntry,
        /// Its score.
        score: f64,
    },
    /// Perhaps one of these; ask the user.
    Unsure {
        /// Best candidates, best first (one or two).
        candidates: Vec<(&'a FaqEntry, f64)>,
    },
    /// Nothing fits.
    NotFound,
}

/// The loaded, validated, indexed corpus.
#[derive(Debug)]
pub struct Knowledge {
    city: City,
    offices: Vec<Office>,
    /// Per office; parsed on first use when read from a compiled corpus
    /// (which was checked when it was compiled).
    hours: Vec<OnceLock<Option<Hours>>>,
    office_by_id: HashMap<String, usize>,
    office_by_name: HashMap<String, usize>,
    /// Close matches of office names, built on the first name that is not
    /// exact (most questions never need it).
    office_index: OnceLock<Index>,
    faq: Faq,
    /// Per language, built on first use: a skill serving one language
    /// never pays for the other's index.
    faq_index: [OnceLock<(Matcher, Vec<usize>)>; 2],
    /// Parsed on first use from `calendars` when read from a compiled corpus.
    events: OnceLock<Vec<ical::Series>>,
    /// `(file, text)` of the calendars not parsed yet.
    calendars: Vec<(String, String)>,
    /// The corpus's own events; decoded on first use from `stored_events`
    /// when read from a compiled corpus.
    event_book: OnceLock<EventBook>,
    /// A compiled corpus's bytes and its events section.
    stored_events: Option<(Bytes, std::ops::Range<usize>)>,
    /// A remote events feed, when one is configured.
    feed: Option<Arc<Feed>>,
    /// The calendars' occurrences of the window around the last day asked.
    occurrences: std::sync::Mutex<Option<Arc<Occurrences>>>,
    /// The sentence encoder, opened on the first question that needs it.
    encoder: Arc<LazyEncoder>,
    /// Per language: the FAQ's vectors and calibration, read from a
    /// compiled corpus or computed on first use; `None` without encoder.
    semantic: [OnceLock<Option<Semantic>>; 2],
    /// Problems that do not stop the corpus from answering.
    warnings: Vec<Problem>,
    /// The hash of the texts this was parsed from (not for a compilation):
    /// the embedded corpus's texts reuse its compilation's vectors.
    texts_hash: Option<u64>,
    /// Set by `compile`: embeds a corpus of any size.
    compiling: bool,
}

/// The FAQ entries: parsed from texts, or a compiled corpus's.
#[derive(Debug)]
enum Faq {
    Parsed(Vec<FaqEntry>),
    Stored(Box<StoredFaq>),
}

/// A compiled corpus, whose FAQ entries are decoded one by one on first
/// use (an answer needs one entry, not ten thousand) and whose indexes
/// are decoded instead of built.
#[derive(Debug)]
struct StoredFaq {
    bytes: Bytes,
    parts: compiled::Parts,
    entries: Vec<OnceLock<Option<Box<FaqEntry>>>>,
    /// Every entry, for the few callers that want them all (`check`).
    all: OnceLock<Vec<FaqEntry>>,
}

impl StoredFaq {
    /// Bytes `start..end` of a section, the ends being `ends[i - 1]` and
    /// `ends[i]` of its table of ends.
    fn item(&self, section: usize, ends: usize, i: usize) -> Option<&[u8]> {
        let ends = self.bytes.get(self.parts.sections.get(ends)?.clone())?;
        let start = match i {
            0 => 0,
            _ => compiled::u32_at(ends, i - 1)?,
        };
        let end = compiled::u32_at(ends, i)?;
        self.bytes
            .get(self.parts.sections.get(section)?.clone())?
            .get(start..end)
    }

    fn decode(&self, i: usize) -> Option<FaqEntry> {
        let bytes = self.item(compiled::FAQ, compiled::FAQ_ENDS, i)?;
        postcard::from_bytes(bytes)
            .map_err(
                |e| tracing::error!(entry = i, error = %e, "compiled FAQ entry does not decode"),
            )
            .ok()
    }

    fn get(&self, i: usize) -> Option<&FaqEntry> {
        let slot = self.entries.get(i)?;
        slot.get_or_init(|| self.decode(i).map(Box::new)).as_deref()
    }

    fn position(&self, id: &str) -> Option<usize> {
        (0..self.entries.len()).find(|&i| {
            self.item(compiled::FAQ_IDS, compiled::FAQ_ID_ENDS, i) == Some(id.as_bytes())
        })
    }
}

impl Faq {
    fn get(&self, i: usize) -> Option<&FaqEntry> {
        match self {
            Faq::Parsed(v) => v.get(i),
            Faq::Stored(s) => s.get(i),
        }
    }

    fn all(&self) -> &[FaqEntry] {
        match self {
            Faq::Parsed(v) => v,
            Faq::Stored(s) => s
                .all
                .get_or_init(|| (0..s.entries.len()).filter_map(|i| s.decode(i)).collect()),
        }
    }

    fn position(&self, id: &str) -> Option<usize> {
        match self {
            Faq::Parsed(v) => v.iter().position(|e| e.id == id),
            Faq::Stored(s) => s.position(id),
        }
    }
}

/// Every calendar occurrence (corpus calendars and one copy of the feed)
/// of a window from the day before a request to [`Occurrences::DAYS`]
/// after it, expanded once and shared by the requests that fall in it:
/// expanding every RRULE on every request made events the slowest intent.
#[derive(Debug)]
struct Occurrences {
    /// The feed's copy they were expanded from.
    feed: Arc<Vec<ical::Series>>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    /// Sorted by start.
    events: Vec<Event>,
}

impl Occurrences {
    /// Days ahead of the first day asked: a year of "what's next" beyond
    /// the longest period a citizen asks about (a month).
    const DAYS: i64 = 400;

    fn window(from: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
        let start = from - chrono::Duration::days(1);
        (start, start + chrono::Duration::days(Self::DAYS + 1))
    }

    /// True when `from..to` lies in this window. Days later, a look-ahead
    /// runs past its end and a new window starts: the cache stays bounded.
    fn covers(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> bool {
        self.from <= from && to <= self.to
    }

    /// The occurrences that overlap `from..to`.
    fn between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Event> {
        let end = self
            .events
            .partition_point(|e| e.start.with_timezone(&Utc) < to);
        (self.events.iter().take(end))
            .filter(|e| e.end.with_timezone(&Utc) > from)
            .cloned()
            .collect()
    }
}

impl Knowledge {
    /// The Munich corpus compiled into the binary.
    ///
    /// # Errors
    /// When `corpus/munich.cskc` was not compiled from the texts in
    /// `corpus/munich/` that this binary was built with (a test rules that
    /// out before a release); the message says how to compile it again.
    pub fn embedded() -> Result<Self, LoadError> {
        Self::from_sources(Sources::embedded())
    }

    /// Parses, validates and indexes a corpus.
    ///
    /// # Errors
    /// [`LoadError::Invalid`] with every problem found.
    pub fn from_sources(mut sources: Sources) -> Result<Self, LoadError> {
        // A compilation beside texts is only a shortcut to them; one on its
        // own is the corpus, and `check` reads it.
        if sources.has_texts() {
            if let Some((file, bytes)) = sources.compiled.take() {
                match Self::from_compiled(bytes, Some(sources.hash())) {
                    Ok(k) => return Ok(k),
                    Err(CompiledError::Stale) => {
                        tracing::warn!(
                            file,
                            "compiled corpus is older than its texts; loading the texts"
                        )
                    }
                    Err(e) => {
                        tracing::warn!(file, error = %e, "compiled corpus not used; loading the texts")
                    }
                }
            }
        }
        let (knowledge, problems) = Self::check(sources);
        match knowledge {
            Some(k) if problems.is_empty() => Ok(k),
            _ => Err(LoadError::Invalid { problems }),
        }
    }

    /// Parses and validates a corpus, collecting every problem (as
    /// `city-skill check` lists them); builds the knowledge from what loaded.
    pub fn check(sources: Sources) -> (Option<Self>, Vec<Problem>) {
        let texts_hash = sources.hash();
        if !sources.has_texts() {
            if let Some((file, bytes)) = sources.compiled {
                return match Self::from_compiled(bytes, sources.compiled_from) {
                    Ok(k) => (Some(k), Vec::new()),
                    Err(e) => (None, vec![Problem::file(&file, e.to_string())]),
                };
            }
        }
        let mut problems = Vec::new();
        let city_file = sources
            .city
            .as_ref()
            .map_or("city.toml".to_string(), |(f, _)| f.clone());
        let city = match &sources.city {
            Some((f, t)) => load::parse_city(f, t).map_err(|p| problems.push(p)).ok(),
            None => None,
        };
        let offices_file = sources
            .offices
            .as_ref()
            .map_or("offices.toml".to_string(), |(f, _)| f.clone());
        let offices = match &sources.offices {
            Some((f, t)) => load::parse_offices(f, t)
                .map_err(|p| problems.push(p))
                .unwrap_or_default(),
            None => Vec::new(),
        };
        let mut faq: Vec<(FaqEntry, String, usize)> = Vec::new();
        if let Some((f, t)) = &sources.faq {
            match load::parse_faq(f, t) {
                Ok(entries) => {
                    for (e, line) in entries {
                        if e.source.trim().is_empty() || e.as_of.trim().is_empty() {
                            problems.push(Problem::line(
                                f,
                                line,
                                format!("FAQ {:?} has no `source` or `as_of`", e.id),
                            ));
                        }
                        faq.push((e, f.clone(), line));
                    }
                }
                Err(p) => problems.push(p),
            }
        }
        if let Some((f, bytes)) = &sources.faq_csv {
            let parsed = csv::parse(f, bytes);
            problems.extend(parsed.problems);
            faq.extend(
                parsed
                    .entries
                    .into_iter()
                    .map(|(e, line)| (e, f.clone(), line)),
            );
        }
        let mut event_entries = Vec::new();
        if let Some((f, t)) = &sources.events {
            match events::parse(f, t) {
                Ok(entries) => {
                    problems.extend(events::problems(f, &entries));
                    event_entries = entries;
                }
                Err(p) => problems.push(p),
            }
        }
        let city = city.unwrap_or_else(City::unnamed);
        let mut events = Vec::new();
        for (file, text) in &sources.calendars {
            let parsed = ical::parse(file, text, city.timezone);
            events.extend(parsed.series);
            problems.extend(parsed.problems);
        }

        // Which languages the corpus speaks: every entry must speak them all.
        let langs: Vec<Lang> = Lang::ALL
            .into_iter()
            .filter(|l| {
                faq.iter().any(|(e, _, _)| e.text(*l).is_some())
                    || offices.iter().any(|(o, _)| o.name.get(*l).is_some())
            })
            .collect();

        let mut office_by_id: HashMap<String, usize> = HashMap::new();
        let mut hours = Vec::with_capacity(offices.len());
        for (i, (o, line)) in offices.iter().enumerate() {
            if let Some(&first) = office_by_id.get(&o.id) {
                problems.push(Problem::line(
                    &offices_file,
                    *line,
                    format!(
                        "duplicate office id {:?} (first on line {})",
                        o.id, offices[first].1
                    ),
                ));
            } else {
                office_by_id.insert(o.id.clone(), i);
            }
            for l in &langs {
                if o.name.get(*l).is_none_or(|n| n.trim().is_empty()) {
                    problems.push(Problem::line(
                        &offices_file,
                        *line,
                        format!("office {:?} has no {} name", o.id, l.code()),
                    ));
                }
            }
            hours.push(o.opening_hours.as_deref().and_then(|raw| {
                match Hours::parse(raw, &city.holidays) {
                    Ok(h) => Some(h),
                    Err(e) => {
                        problems.push(Problem::line(
                            &offices_file,
                            *line,
                            format!("office {:?}: {e}", o.id),
                        ));
                        None
                    }
                }
            }));
        }
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut warnings = Vec::new();
        for (e, file, line) in &mut faq {
            if let Some(first) = seen.insert(e.id.clone(), *line) {
                problems.push(Problem::line(
                    file,
                    *line,
                    format!("duplicate FAQ id {:?} (first on line {first})", e.id),
                ));
            }
            // A spreadsheet's office column often holds a name or an
            // address: the answer still stands, without the office.
            if let Some(o) = e.office.take_if(|o| !office_by_id.contains_key(o.as_str())) {
                warnings.push(Problem::line(
                    file,
                    *line,
                    format!("FAQ {:?} names office {o:?}, which is not an office id of the corpus; answered without it", e.id),
                ));
            }
            for l in &langs {
                match e.text(*l) {
                    None => problems.push(Problem::line(
                        file,
                        *line,
                        format!("FAQ {:?} has no {} text", e.id, l.code()),
                    )),
                    Some(t) => {
                        if t.questions.iter().all(|q| q.trim().is_empty()) {
                            problems.push(Problem::line(
                                file,
                                *line,
                                format!("FAQ {:?} ({}) has no question", e.id, l.code()),
                            ));
                        }
                        let n = t.answer.chars().count();
                        if t.answer.trim().is_empty() {
                            problems.push(Problem::line(
                                file,
                                *line,
                                format!("FAQ {:?} ({}) has no answer", e.id, l.code()),
                            ));
                        } else if n > MAX_ANSWER_CHARS {
                            warnings.push(Problem::line(
                                file,
                                *line,
                                format!("FAQ {:?} ({}): answer has {n} characters, too long to listen to (limit {MAX_ANSWER_CHARS}); the skill speaks the sentences that fit and shows the whole answer on the card; better: move details to `card`", e.id, l.code()),
                            ));
                        }
                    }
                }
            }
        }
        if let Some((f, _)) = &sources.events {
            for l in &langs {
                for e in &event_entries {
                    if e.entry.name.get(*l).is_none_or(|n| n.trim().is_empty()) {
                        problems.push(Problem::line(
                            f,
                            e.line,
                            format!("event {:?} has no {} name", e.entry.id, l.code()),
                        ));
                    }
                }
            }
        }
        if let Some(h) = &city.hotline {
            if !office_by_id.contains_key(h) {
                problems.push(Problem::file(
                    &city_file,
                    format!("hotline office {h:?} does not exist"),
                ));
            }
        }
        let offices: Vec<Office> = offices.into_iter().map(|(o, _)| o).collect();
        let faq = Faq::Parsed(faq.into_iter().map(|(e, _, _)| e).collect());
        let hours = hours.into_iter().map(OnceLock::from).collect();
        let events = OnceLock::from(events);
        let mut k = Self::build(
            city,
            offices,
            hours,
            office_by_id,
            faq,
            (events, Vec::new()),
        );
        let book = EventBook::new(
            event_entries.into_iter().map(|e| e.entry).collect(),
            &k.city.holidays,
        );
        k.event_book = OnceLock::from(book);
        k.warnings = warnings;
        k.texts_hash = Some(texts_hash);
        (Some(k), problems)
    }

    /// What `check` found worth a warning but not worth refusing the
    /// corpus for (an answer too long to speak, an office name that is not
    /// an office of the corpus). Empty for a compiled corpus.
    pub fn warnings(&self) -> &[Problem] {
        &self.warnings
    }

    /// Reads a compiled corpus ([`compiled`]); with `expect`, only if it
    /// was compiled from texts with that hash. It was validated when it was
    /// compiled; its FAQ indexes, opening hours and calendars are read on
    /// first use, so a cold start pays only for what its question needs.
    ///
    /// # Errors
    /// When the bytes are not a compiled corpus of this version, are
    /// damaged, or were compiled from other texts.
    pub fn from_compiled(bytes: Bytes, expect: Option<u64>) -> Result<Self, CompiledError> {
        let parts = compiled::split(&bytes)?;
        if expect.is_some_and(|h| h != parts.sources) {
            return Err(CompiledError::Stale);
        }
        for lang in Lang::ALL {
            let section = bytes.get(parts.sections[compiled::vectors(lang)].clone());
            let got = section.filter(|b| !b.is_empty()).map(Semantic::model_of);
            if let Some(got) = got.filter(|g| *g != Some(model_sha256())) {
                return Err(CompiledError::OtherModel {
                    got: got.unwrap_or("(unreadable)").to_string(),
                    want: model_sha256().to_string(),
                });
            }
        }
        let corpus: compiled::Corpus =
            compiled::decode(&bytes, parts.sections[compiled::CORPUS].clone())?;
        let count = parts.sections[compiled::FAQ_ENDS].len() / 4;
        if parts.sections[compiled::FAQ_ID_ENDS].len() / 4 != count {
            return Err(CompiledError::Damaged(
                "FAQ ids and entries differ in number".into(),
            ));
        }
        let mut office_by_id = HashMap::with_capacity(corpus.offices.len());
        for (i, o) in corpus.offices.iter().enumerate() {
            office_by_id.entry(o.id.clone()).or_insert(i);
        }
        let hours = corpus.offices.iter().map(|_| OnceLock::new()).collect();
        let stored_events = Some((bytes.clone(), parts.sections[compiled::EVENTS].clone()));
        let faq = Faq::Stored(Box::new(StoredFaq {
            bytes,
            parts,
            entries: (0..count).map(|_| OnceLock::new()).collect(),
            all: OnceLock::new(),
        }));
        let mut k = Self::build(
            corpus.city,
            corpus.offices,
            hours,
            office_by_id,
            faq,
            (OnceLock::new(), corpus.calendars),
        );
        k.event_book = OnceLock::new();
        k.stored_events = stored_events;
        Ok(k)
    }

    /// Compiles a corpus's texts ([`compiled`]): validated, with the FAQ
    /// indexes of the languages it speaks.
    ///
    /// # Errors
    /// Every problem of the corpus, as `city-skill check` lists them.
    pub fn compile(mut sources: Sources) -> Result<Vec<u8>, Vec<Problem>> {
        sources.compiled = None;
        let hash = sources.hash();
        let calendars = sources.calendars.clone();
        let mut k = Self::from_sources(sources).map_err(|e| match e {
            LoadError::Invalid { problems } => problems,
            other => vec![Problem::file("corpus", other.to_string())],
        })?;
        k.compiling = true;
        // A compilation carries the vectors whether or not this process
        // answers with the encoder.
        k.encoder = Arc::new(LazyEncoder::new());
        let indexes = Lang::ALL.map(|lang| {
            let speaks = k.faq().iter().any(|e| e.text(lang).is_some());
            speaks.then(|| {
                let (matcher, docs) = k.faq_index(lang);
                (docs.clone(), matcher.data())
            })
        });
        let vectors = Lang::ALL.map(|lang| {
            (k.semantic(lang))
                .and_then(|s| s.to_bytes().ok())
                .unwrap_or_default()
        });
        if let Some(e) = k.encoder.error() {
            tracing::warn!(
                error = e,
                "compiled without sentence vectors: questions will be matched lexically"
            );
        }
        let corpus = compiled::Corpus {
            city: k.city.clone(),
            offices: k.offices.clone(),
            calendars,
        };
        compiled::write(
            hash,
            &corpus,
            k.faq(),
            indexes,
            k.event_book().entries(),
            vectors,
        )
        .map_err(|e| vec![Problem::file("corpus", e.to_string())])
    }

    fn build(
        city: City,
        offices: Vec<Office>,
        hours: Vec<OnceLock<Option<Hours>>>,
        office_by_id: HashMap<String, usize>,
        faq: Faq,
        (events, calendars): (OnceLock<Vec<ical::Series>>, Vec<(String, String)>),
    ) -> Self {
        let mut office_by_name = HashMap::new();
        for (i, o) in offices.iter().enumerate() {
            for n in office_names(o) {
                office_by_name
                    .entry(fold(n).split_whitespace().collect::<Vec<_>>().join(" "))
                    .or_insert(i);
            }
        }
        let faq_index = [OnceLock::new(), OnceLock::new()];
        Self {
            city,
            offices,
            hours,
            office_by_id,
            office_by_name,
            office_index: OnceLock::new(),
            faq,
            faq_index,
            events,
            calendars,
            event_book: OnceLock::from(EventBook::default()),
            stored_events: None,
            feed: None,
            occurrences: std::sync::Mutex::new(None),
            encoder: default_encoder(),
            semantic: [OnceLock::new(), OnceLock::new()],
            warnings: Vec::new(),
            texts_hash: None,
            compiling: false,
        }
    }

    /// Knowledge from FAQ entries alone (no city file, offices or events),
    /// e.g. a synthetic corpus for scale tests. Not validated.
    pub fn from_faq(faq: Vec<FaqEntry>) -> Self {
        let faq = Faq::Parsed(faq);
        Self::build(
            City::unnamed(),
            Vec::new(),
            Vec::new(),
            HashMap::new(),
            faq,
            (OnceLock::from(Vec::new()), Vec::new()),
        )
    }

    /// The city.
    pub fn city(&self) -> &City {
        &self.city
    }

    /// Every office, in file order.
    pub fn offices(&self) -> &[Office] {
        &self.offices
    }

    /// Every FAQ entry, in file order. A compiled corpus decodes them all
    /// on the first call: answering uses [`Knowledge::faq_entry`].
    pub fn faq(&self) -> &[FaqEntry] {
        self.faq.all()
    }

    /// The FAQ entry with this id.
    pub fn faq_entry(&self, id: &str) -> Option<&FaqEntry> {
        self.faq.get(self.faq.position(id)?)
    }

    /// Every event series (a VEVENT, possibly recurring), in file order.
    pub fn event_series(&self) -> &[ical::Series] {
        self.events.get_or_init(|| {
            (self.calendars.iter())
                .flat_map(|(file, text)| ical::parse(file, text, self.city.timezone).series)
                .collect()
        })
    }

    /// The corpus's own events (`events.toml`), their hours and names.
    pub fn event_book(&self) -> &EventBook {
        self.event_book.get_or_init(|| {
            let Some((bytes, part)) = &self.stored_events else {
                return EventBook::default();
            };
            match compiled::decode::<Vec<EventEntry>>(bytes, part.clone()) {
                Ok(entries) => EventBook::new(entries, &self.city.holidays),
                Err(e) => {
                    tracing::error!(error = %e, "compiled events do not decode");
                    EventBook::default()
                }
            }
        })
    }

    /// The office with this id.
    pub fn office(&self, id: &str) -> Option<&Office> {
        self.office_by_id.get(id).map(|&i| &self.offices[i])
    }

    /// The parsed opening hours of an office, if it has any.
    pub fn hours(&self, id: &str) -> Option<&Hours> {
        let &i = self.office_by_id.get(id)?;
        let raw = self.offices.get(i)?.opening_hours.as_deref();
        (self.hours.get(i)?)
            .get_or_init(|| raw.and_then(|r| Hours::parse(r, &self.city.holidays).ok()))
            .as_ref()
    }

    /// The office to name when the skill does not know (e.g. 115).
    pub fn hotline(&self) -> Option<&Office> {
        self.city.hotline.as_deref().and_then(|id| self.office(id))
    }

    /// The office a citizen means by `text`: an exact name or synonym first
    /// (umlauts and case folded), else the best close match.
    pub fn find_office(&self, text: &str) -> Option<&Office> {
        let key = fold(text).split_whitespace().collect::<Vec<_>>().join(" ");
        if let Some(&i) = self.office_by_name.get(&key) {
            return Some(&self.offices[i]);
        }
        let index = self.office_index.get_or_init(|| {
            let mut index = Index::with_stop_words(self.city.stop_words());
            for o in &self.offices {
                index.add(office_names(o));
            }
            index
        });
        let hits = index.search(text, 2);
        let hit = hits.first()?;
        // "der Wertstoffhof" fits eight offices equally: that is no answer.
        let ambiguous = hits
            .get(1)
            .is_some_and(|h| hit.score - h.score < OFFICE_MATCH_LEAD);
        (hit.score >= OFFICE_MATCH_MIN && !ambiguous)
            .then(|| self.offices.get(hit.doc))
            .flatten()
    }

    /// A question about an office's hours, address or phone, asked in free
    /// text ("wann hat das Fundbüro offen"): such questions go to the office,
    /// not to a FAQ entry that shares words with it.
    pub fn office_question(&self, query: &str) -> Option<(&Office, Aspect)> {
        let ws: Vec<String> = crate::matching::normalize::words(query);
        let mut office = None;
        'outer: for n in (1..=ws.len().min(6)).rev() {
            for start in 0..=ws.len() - n {
                if let Some(&i) = self.office_by_name.get(&ws[start..start + n].join(" ")) {
                    office = Some(i);
                    break 'outer;
                }
            }
        }
        let office = &self.offices[office?];
        let aspect = ASPECT_CUES
            .iter()
            .find(|(_, cues)| ws.iter().any(|w| cues.contains(&w.as_str())))
            .map(|(a, _)| *a)?;
        Some((office, aspect))
    }

    /// Looks a question up in the FAQ of `lang`; when nothing there fits,
    /// in the other language's phrasings too (a German word in an English
    /// question, "Anmeldung", still finds its entry).
    pub fn match_question(&self, query: &str, lang: Lang) -> FaqMatch<'_> {
        let found = match self.hybrid(query, lang, 4) {
            Some(h) => Self::decide(&h),
            None => self.match_in(query, lang),
        };
        match found {
            // Only a clear lexical answer counts from the other language.
            FaqMatch::NotFound => match self.match_in(query, lang.other()) {
                found @ FaqMatch::Answer { .. } => found,
                _ => FaqMatch::NotFound,
            },
            found => found,
        }
    }

    fn match_in(&self, query: &str, lang: Lang) -> FaqMatch<'_> {
        let hits = self.rank(query, lang, 4);
        match hits.as_slice() {
            [] => FaqMatch::NotFound,
            [(first, c1), rest @ ..] if *c1 >= ACCEPT_SCORE => {
                // Near-certain matches are answered even beside a close
                // neighbour: asking "Meinst du: <the very question>?" helps nobody.
                let close = |c2: f64| {
                    let gap = c1 - c2;
                    gap < MARGIN && (*c1 < CERTAIN_SCORE || gap < CERTAIN_LEAD)
                };
                match rest.first().filter(|(_, c2)| close(*c2)) {
                    Some((second, c2)) => FaqMatch::Unsure {
                        candidates: vec![(*first, *c1), (*second, *c2)],
                    },
                    None => FaqMatch::Answer {
                        entry: first,
                        score: *c1,
                    },
                }
            }
            [(first, c1), rest @ ..] if *c1 >= DOUBT_SCORE => FaqMatch::Unsure {
                candidates: std::iter::once((*first, *c1))
                    .chain(
                        rest.first()
                            .filter(|(_, c)| *c >= DOUBT_SCORE)
                            .map(|(e, c)| (*e, *c)),
                    )
                    .collect(),
            },
            _ => FaqMatch::NotFound,
        }
    }

    /// True when `query` shares a word with some FAQ entry of either
    /// language: "blablub fnord" does not, and is no question the FAQ could
    /// have answered.
    pub fn shares_words(&self, query: &str, lang: Lang) -> bool {
        [lang, lang.other()].into_iter().any(|l| {
            let (matcher, _) = self.faq_index(l);
            !matcher.search(query, 1).is_empty()
        })
    }

    /// The entry the skill would answer with, if any: a clear answer, or the
    /// first of two close candidates that are both confident. `None` when
    /// the skill would rather say it does not know (or ask).
    pub fn answer_for(&self, query: &str, lang: Lang) -> Option<(&FaqEntry, f64)> {
        match self.match_question(query, lang) {
            FaqMatch::Answer { entry, score } => Some((entry, score)),
            FaqMatch::Unsure { candidates } => candidates
                .first()
                .copied()
                .filter(|(_, c)| *c >= ACCEPT_SCORE),
            FaqMatch::NotFound => None,
        }
    }

    /// The FAQ matcher for `lang` and its documents' entry numbers.
    fn faq_index(&self, lang: Lang) -> &(Matcher, Vec<usize>) {
        self.faq_index[lang as usize].get_or_init(|| {
            if let Faq::Stored(stored) = &self.faq {
                if let Some(index) = Self::stored_index(stored, lang) {
                    return index;
                }
            }
            let all = self.faq.all();
            let docs: Vec<usize> = (all.iter().enumerate())
                .filter(|(_, e)| e.text(lang).is_some())
                .map(|(i, _)| i)
                .collect();
            let texts: Vec<Document> = (docs.iter())
                .filter_map(|&i| self.faq.get(i))
                .filter_map(|e| e.text(lang).map(|t| (e, t)))
                .map(|(e, t)| {
                    let mut context = t.answer.clone();
                    if let Some(card) = &t.card {
                        context.push(' ');
                        context.push_str(card);
                    }
                    Document {
                        phrasings: t.questions.clone(),
                        keywords: e.tags.clone(),
                        context,
                    }
                })
                .collect();
            let stop_words = self.city.stop_words();
            let matcher =
                Matcher::build_with(lang, Thesaurus::builtin_parsed(), &stop_words, &texts);
            (matcher, docs)
        })
    }

    /// A compiled corpus's FAQ index for `lang` and its documents' entry
    /// numbers, when it has a usable one (a corpus that does not speak
    /// `lang` has none).
    fn stored_index(stored: &StoredFaq, lang: Lang) -> Option<(Matcher, Vec<usize>)> {
        let part = stored.parts.sections.get(compiled::index(lang))?.clone();
        if part.is_empty() {
            return None;
        }
        let docs: Vec<usize> = (stored.parts.sections.get(compiled::docs(lang)))
            .and_then(|r| stored.bytes.get(r.clone()))
            .map(|b| {
                (0..b.len() / 4)
                    .filter_map(|i| compiled::u32_at(b, i))
                    .collect()
            })
            .unwrap_or_default();
        let thesaurus = Thesaurus::builtin();
        let read = match &stored.bytes {
            Bytes::Static(bytes) => compiled::decode::<IndexData<'static>>(bytes, part)
                .map_err(|e| e.to_string())
                .and_then(|d| {
                    Matcher::from_static_data(lang, thesaurus, d).map_err(|e| e.to_string())
                }),
            Bytes::Owned(bytes) => compiled::decode::<IndexData>(bytes, part)
                .map_err(|e| e.to_string())
                .and_then(|d| Matcher::from_data(lang, thesaurus, d).map_err(|e| e.to_string())),
        }
        .and_then(|m| {
            match m.len() == docs.len() && docs.iter().all(|&d| d < stored.entries.len()) {
                true => Ok((m, docs)),
                false => Err(format!("{} documents for {} entries", m.len(), docs.len())),
            }
        });
        match read {
            Ok(m) => Some(m),
            Err(e) => {
                tracing::warn!(%lang, error = %e, "compiled FAQ index not used; building it");
                None
            }
        }
    }

    /// Builds the FAQ indexes of both languages, the opening hours and
    /// the calendars now rather than on first use (for a server that would
    /// rather pay at start-up).
    pub fn prepare(&self) {
        for lang in Lang::ALL {
            self.faq_index(lang);
        }
        for o in &self.offices {
            self.hours(&o.id);
        }
        self.event_series();
        self.event_book();
    }

    /// The best FAQ entries for `query` in `lang` with their confidence,
    /// best first (no threshold applied).
    pub fn rank(&self, query: &str, lang: Lang, limit: usize) -> Vec<(&FaqEntry, f64)> {
        if let Some(h) = self.hybrid(query, lang, limit) {
            return h
                .ranked
                .into_iter()
                .map(|r| (r.entry, r.confidence))
                .collect();
        }
        let (matcher, docs) = self.faq_index(lang);
        matcher
            .search(query, limit)
            .into_iter()
            .filter_map(|Scored { doc, confidence }| {
                let entry = self.faq.get(*docs.get(doc)?)?;
                Some((entry, f64::from(confidence)))
            })
            .collect()
    }

    /// Uses this encoder (shared between reloads of a corpus, or
    /// [`LazyEncoder::disabled`] for lexical matching only).
    pub fn with_encoder(mut self, encoder: Arc<LazyEncoder>) -> Self {
        self.encoder = encoder;
        self.semantic = [OnceLock::new(), OnceLock::new()];
        self
    }

    /// The FAQ's sentence vectors and calibration in `lang`: a compiled
    /// corpus's, or computed now (once) when the encoder is there.
    pub fn semantic(&self, lang: Lang) -> Option<&Semantic> {
        self.semantic[lang as usize]
            .get_or_init(|| {
                if let Faq::Stored(stored) = &self.faq {
                    let section = stored.parts.sections.get(compiled::vectors(lang))?;
                    let bytes = stored.bytes.get(section.clone())?;
                    if !bytes.is_empty() {
                        return Semantic::from_bytes(bytes)
                            .map_err(|e| tracing::error!(%lang, error = %e, "compiled FAQ vectors do not decode"))
                            .ok();
                    }
                }
                if self.texts_hash == Some(load::EMBEDDED_HASH) {
                    // The embedded corpus's own texts (tests, `check`,
                    // `compile`): the same vectors as its compilation's.
                    let stored = compiled::split(load::EMBEDDED_IMAGE).ok().and_then(|parts| {
                        let bytes = load::EMBEDDED_IMAGE.get(parts.sections[compiled::vectors(lang)].clone())?;
                        Semantic::from_bytes(bytes).ok()
                    });
                    if let Some(s) = stored.filter(|s| s.vectors.model == model_sha256()) {
                        return Some(s);
                    }
                }
                let (_, docs) = self.faq_index(lang);
                if docs.is_empty() {
                    return None;
                }
                let texts: usize = (docs.iter())
                    .filter_map(|&i| self.faq.get(i)?.text(lang))
                    .map(|t| t.questions.len() + semantic::VIEWS_PER_ENTRY)
                    .sum();
                if texts > semantic::MAX_TEXTS_AT_RUNTIME && !self.compiling {
                    tracing::warn!(%lang, texts, "too many FAQ texts to embed at run time; compile the corpus (`city-skill compile`) to match with the encoder");
                    return None;
                }
                let encoder = self.encoder.get()?;
                let phrasings: Vec<DocText> = (docs.iter())
                    .map(|&i| {
                        let Some((e, t)) = self.faq.get(i).and_then(|e| Some((e, e.text(lang)?)))
                        else {
                            return DocText::default();
                        };
                        let first = t.questions.first().map_or("", String::as_str);
                        DocText {
                            phrasings: t.questions.clone(),
                            passage: format!("{first} {}", t.answer),
                            summary: format!("{} {}", t.questions.join(" "), e.tags.join(" ")),
                        }
                    })
                    .collect();
                Some(Semantic::build(encoder, lang, &phrasings))
            })
            .as_ref()
    }

    /// Adds a remote events feed: its events join the corpus calendars'.
    pub fn with_feed(mut self, feed: Arc<Feed>) -> Self {
        self.feed = Some(feed);
        self
    }

    /// The corpus calendars' event series and the feed's latest copy.
    fn all_series(&self) -> (&[ical::Series], Arc<Vec<ical::Series>>) {
        let remote = self.feed.as_ref().map(|f| f.events()).unwrap_or_default();
        (self.event_series(), remote)
    }

    /// The event categories of the corpus (`CATEGORIES` of its events,
    /// calendars and feed), each once, sorted.
    pub fn event_categories(&self) -> Vec<String> {
        let (local, remote) = self.all_series();
        let mut out: Vec<String> = local
            .iter()
            .chain(remote.iter())
            .flat_map(|s| s.first.categories.iter().cloned())
            .chain((self.event_book().entries().iter()).flat_map(|e| e.categories.iter().cloned()))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The corpus category a spoken or resolved category names: the same
    /// after folding ("maerkte" = "Märkte"), or the same German stem
    /// ("Markt" = "Märkte").
    pub fn event_category(&self, said: &str) -> Option<String> {
        let stem = |w: &str| {
            rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::German)
                .stem(w.trim().to_lowercase().as_str())
                .into_owned()
        };
        let want = stem(said);
        self.event_categories()
            .into_iter()
            .find(|c| fold(c) == fold(said) || stem(c) == want)
    }

    /// Occurrences of the calendars' and the feed's events overlapping
    /// `[from, to)`.
    /// The calendars' occurrences overlapping `from..to`, from the cached
    /// window when it holds them. `anchor`: a request starting now may
    /// start a new window there; a look at one run far ahead may not (it
    /// would move the window away from the days citizens ask about).
    fn calendar_between(&self, from: DateTime<Utc>, to: DateTime<Utc>, anchor: bool) -> Vec<Event> {
        let (local, remote) = self.all_series();
        let expand = |from, to| -> Vec<Event> {
            (local.iter().chain(remote.iter()))
                .flat_map(|s| s.occurrences(from, to))
                .collect()
        };
        let cached = match self.occurrences.lock() {
            Ok(c) => c.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        };
        // The same feed copy (none is a new empty one each time).
        let same_feed = |c: &Occurrences| {
            Arc::ptr_eq(&c.feed, &remote) || (c.feed.is_empty() && remote.is_empty())
        };
        if let Some(c) = cached.filter(|c| same_feed(c) && c.covers(from, to)) {
            return c.between(from, to);
        }
        let window = Occurrences::window(from);
        if !anchor || to > window.1 {
            return expand(from, to);
        }
        let mut events = expand(window.0, window.1);
        events.sort_by_key(|e| e.start);
        let fresh = Arc::new(Occurrences {
            feed: remote.clone(),
            from: window.0,
            to: window.1,
            events,
        });
        let found = fresh.between(from, to);
        match self.occurrences.lock() {
            Ok(mut c) => *c = Some(fresh),
            Err(poisoned) => *poisoned.into_inner() = Some(fresh),
        }
        found
    }

    /// The runs of a corpus event, in date order: each shipped run, or the
    /// calendar events that carry its name on those dates instead (a
    /// feed's word wins over the shipped dates).
    pub fn runs(&self, e: &EventEntry) -> Vec<Event> {
        let tz = self.city.timezone;
        let mut out = Vec::new();
        for run in events::runs(e, tz) {
            let span = (run.start.with_timezone(&Utc), run.end.with_timezone(&Utc));
            let instead: Vec<Event> = (self.calendar_between(span.0, span.1, false).into_iter())
                .filter(|c| events::replaces(c, e, &run))
                .map(|c| Event {
                    entry: Some(e.id.clone()),
                    ..c
                })
                .collect();
            match instead.is_empty() {
                true => out.push(run),
                false => out.extend(instead),
            }
        }
        out.sort_by_key(|r| r.start);
        out.dedup_by(|a, b| a.uid == b.uid && a.start == b.start);
        out
    }

    /// Event occurrences overlapping `[from, to)`, by start time: the
    /// calendars' and the feed's, and the runs of the corpus's own events
    /// that no calendar event replaces.
    pub fn events_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Event> {
        let mut out = self.calendar_between(from, to, true);
        let tz = self.city.timezone;
        for e in self.event_book().entries() {
            for run in events::runs(e, tz) {
                let (start, end) = (run.start.with_timezone(&Utc), run.end.with_timezone(&Utc));
                if start >= to || end <= from {
                    continue;
                }
                let replaced = (self.calendar_between(start, end, false).iter())
                    .any(|c| events::replaces(c, e, &run));
                if !replaced {
                    out.push(run);
                }
            }
        }
        out.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.title.cmp(&b.title)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn knowledge() -> Knowledge {
        match Knowledge::embedded() {
            Ok(k) => k,
            Err(e) => panic!("embedded corpus is broken:\n{e}"),
        }
    }

    fn parsed() -> Knowledge {
        Knowledge::from_sources(Sources::embedded_texts()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_embedded_compilation_is_of_the_embedded_texts() {
        let fresh = Knowledge::compile(Sources::embedded_texts());
        assert!(
            fresh.as_deref() == Ok(load::EMBEDDED_IMAGE),
            "corpus/munich.cskc is stale: run `cargo run -- compile --corpus corpus/munich \
             --output corpus/munich.cskc` and commit it ({:?})",
            fresh.err()
        );
    }

    #[test]
    fn the_embedded_corpus_is_read_compiled() {
        assert!(matches!(knowledge().faq, Faq::Stored(_)));
    }

    #[test]
    fn a_compiled_corpus_answers_like_the_parsed_one() {
        let (compiled, parsed) = (knowledge(), parsed());
        for (lang, q) in [
            (Lang::De, "Wie beantrage ich einen Reisepass?"),
            (Lang::De, "wohnungsanmeldung nach umzug"),
            (Lang::De, "Persoausweis verlorn"),
            (Lang::En, "how do I register my address"),
            (Lang::En, "lost my pasport"),
        ] {
            let ids = |k: &Knowledge| -> Vec<(String, f64)> {
                (k.rank(q, lang, 5).into_iter())
                    .map(|(e, score)| (e.id.clone(), score))
                    .collect()
            };
            assert_eq!(ids(&compiled), ids(&parsed), "{q}");
        }
        assert_eq!(compiled.offices.len(), parsed.offices.len());
        let debug = |x: &dyn std::fmt::Debug| format!("{x:?}");
        assert_eq!(
            debug(&compiled.event_series()),
            debug(&parsed.event_series())
        );
        for o in &parsed.offices {
            let hours = |k: &Knowledge| debug(&k.hours(&o.id));
            assert_eq!(hours(&compiled), hours(&parsed), "{}", o.id);
        }
    }

    #[test]
    fn a_compiled_corpus_decodes_only_the_entries_asked_for() {
        let k = knowledge();
        let id = parsed().faq()[3].id.clone();
        assert_eq!(k.faq_entry(&id).map(|e| e.id.as_str()), Some(id.as_str()));
        assert!(k.faq_entry("no-such-entry").is_none());
        let Faq::Stored(stored) = &k.faq else {
            panic!("not compiled")
        };
        let decoded = stored.entries.iter().filter(|e| e.get().is_some()).count();
        assert_eq!(decoded, 1);
        assert_eq!(k.faq().len(), parsed().faq().len());
    }

    #[test]
    fn a_stale_compilation_is_not_used() {
        let mut sources = Sources {
            compiled: Sources::embedded().compiled,
            ..Sources::embedded_texts()
        };
        if let Some((_, t)) = &mut sources.faq {
            t.push_str("\n# edited\n");
        }
        let k = Knowledge::from_sources(sources).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(k.faq, Faq::Parsed(_)));
    }

    #[test]
    fn an_embedded_compilation_of_other_texts_is_refused() {
        let sources = Sources {
            compiled_from: Some(load::EMBEDDED_HASH ^ 1),
            ..Sources::embedded()
        };
        let err = Knowledge::from_sources(sources)
            .err()
            .map(|e| e.to_string());
        assert!(
            err.as_deref()
                .is_some_and(|e| e.contains("corpus/munich.cskc")
                    && e.contains("other texts")
                    && e.contains("compile it again")),
            "{err:?}"
        );
    }

    #[test]
    fn a_damaged_compilation_alone_is_a_clear_error() {
        let mut bytes = load::EMBEDDED_IMAGE.to_vec();
        bytes.truncate(bytes.len() / 2);
        let sources = Sources {
            compiled: Some(("x.cskc".into(), Bytes::Owned(bytes.into()))),
            ..Sources::default()
        };
        let err = Knowledge::from_sources(sources)
            .err()
            .map(|e| e.to_string());
        assert!(
            err.as_deref()
                .is_some_and(|e| e.contains("x.cskc") && e.contains("compile it again")),
            "{err:?}"
        );
    }

    #[test]
    fn embedded_corpus_loads_without_problems() {
        let k = knowledge();
        assert!(k.offices().len() >= 20);
        assert!(!k.faq().is_empty());
    }

    #[test]
    fn office_is_found_by_synonym_without_umlauts() {
        let k = knowledge();
        assert_eq!(
            k.find_office("Buergerbuero Ruppertstrasse")
                .map(|o| o.id.as_str()),
            Some("buergerbuero-ruppertstrasse")
        );
    }

    #[test]
    fn every_office_with_hours_parses() {
        let k = knowledge();
        for o in k.offices() {
            if o.opening_hours.is_some() {
                assert!(k.hours(&o.id).is_some(), "{}", o.id);
            }
        }
    }
}
