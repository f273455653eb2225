//! The city's knowledge: corpus model, loaders, validation, and the lookups
//! the skill asks of it (office by name, FAQ answer for a question, events
//! in a range). Built once at cold start; read-only afterwards.

mod calendar;
pub mod categories;
pub mod compiled;
pub mod csv;
pub mod events;
mod faq;
pub mod feed;
pub mod load;
pub mod model;
mod offices;
pub mod semantic;
pub mod synthetic;
mod validate;

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

use calendar::Occurrences;
use compiled::{Bytes, CompiledError};
pub use events::EventBook;
use faq::{default_encoder, Faq, StoredFaq};
pub use faq::{
    FaqMatch, ACCEPT_SCORE, CERTAIN_LEAD, CERTAIN_SCORE, DOUBT_SCORE, MARGIN, MAX_ANSWER_CHARS,
};
pub use load::{LoadError, Problem, Sources};
pub use model::{
    Appointment, Certainty, City, Event, EventDates, EventEntry, FaqEntry, FaqText, Localized,
    Office,
};
use offices::office_names;
pub use offices::Aspect;

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
    pub fn compile(sources: Sources) -> Result<Vec<u8>, Vec<Problem>> {
        Self::compile_with(sources, true)
    }

    /// Like [`Knowledge::compile`]; without `vectors`, for a corpus matched
    /// lexically only: no encoder vectors (embedding 10,000 entries takes
    /// half an hour on two cores).
    ///
    /// # Errors
    /// As [`Knowledge::compile`].
    pub fn compile_with(mut sources: Sources, vectors: bool) -> Result<Vec<u8>, Vec<Problem>> {
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
        k.encoder = Arc::new(match vectors {
            true => LazyEncoder::new(),
            false => LazyEncoder::disabled(),
        });
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
    fn a_question_sharing_no_word_with_the_faq_says_so_itself() {
        let k = knowledge();
        for lang in Lang::ALL {
            assert!(
                matches!(
                    k.match_question("blablub fnord", lang),
                    FaqMatch::NoWordShared
                ),
                "{lang:?}"
            );
        }
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
