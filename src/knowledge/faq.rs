//! The FAQ side of the knowledge: the entries (parsed, or decoded one by
//! one from a compiled corpus), the per-language indexes, and what the
//! matcher makes of a question, with its thresholds.

#[allow(clippy::wildcard_imports)]
use super::*;

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

/// The encoder questions are answered with: the model when
/// `CITY_SKILL_ENCODER` is `1`, `true`, `yes` or `on`; otherwise none
/// (lexical matching, as before the encoder). Off by default until the
/// hybrid match holds the false-accept target on Munich's near misses too
/// (README, "How the matcher reads a question").
pub(super) fn default_encoder() -> Arc<LazyEncoder> {
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
    /// Nothing fits, though some entry shares a word with the question.
    NotFound,
    /// Nothing fits, and no entry of either language shares a word with
    /// the question: "blablub fnord" is no question the FAQ could have
    /// answered (noise, or not understood).
    NoWordShared,
}

/// The FAQ entries: parsed from texts, or a compiled corpus's.
#[derive(Debug)]
pub(super) enum Faq {
    Parsed(Vec<FaqEntry>),
    Stored(Box<StoredFaq>),
}

/// A compiled corpus, whose FAQ entries are decoded one by one on first
/// use (an answer needs one entry, not ten thousand) and whose indexes
/// are decoded instead of built.
#[derive(Debug)]
pub(super) struct StoredFaq {
    pub(super) bytes: Bytes,
    pub(super) parts: compiled::Parts,
    pub(super) entries: Vec<OnceLock<Option<Box<FaqEntry>>>>,
    /// Every entry, for the few callers that want them all (`check`).
    pub(super) all: OnceLock<Vec<FaqEntry>>,
}

impl StoredFaq {
    /// Bytes `start..end` of a section, the ends being `ends[i - 1]` and
    /// `ends[i]` of its table of ends.
    pub(super) fn item(&self, section: usize, ends: usize, i: usize) -> Option<&[u8]> {
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

    pub(super) fn decode(&self, i: usize) -> Option<FaqEntry> {
        let bytes = self.item(compiled::FAQ, compiled::FAQ_ENDS, i)?;
        postcard::from_bytes(bytes)
            .map_err(
                |e| tracing::error!(entry = i, error = %e, "compiled FAQ entry does not decode"),
            )
            .ok()
    }

    pub(super) fn get(&self, i: usize) -> Option<&FaqEntry> {
        let slot = self.entries.get(i)?;
        slot.get_or_init(|| self.decode(i).map(Box::new)).as_deref()
    }

    pub(super) fn position(&self, id: &str) -> Option<usize> {
        (0..self.entries.len()).find(|&i| {
            self.item(compiled::FAQ_IDS, compiled::FAQ_ID_ENDS, i) == Some(id.as_bytes())
        })
    }
}

impl Faq {
    pub(super) fn get(&self, i: usize) -> Option<&FaqEntry> {
        match self {
            Faq::Parsed(v) => v.get(i),
            Faq::Stored(s) => s.get(i),
        }
    }

    pub(super) fn all(&self) -> &[FaqEntry] {
        match self {
            Faq::Parsed(v) => v,
            Faq::Stored(s) => s
                .all
                .get_or_init(|| (0..s.entries.len()).filter_map(|i| s.decode(i)).collect()),
        }
    }

    pub(super) fn position(&self, id: &str) -> Option<usize> {
        match self {
            Faq::Parsed(v) => v.iter().position(|e| e.id == id),
            Faq::Stored(s) => s.position(id),
        }
    }
}

impl Knowledge {
    /// Every FAQ entry, in file order. A compiled corpus decodes them all
    /// on the first call: answering uses [`Knowledge::faq_entry`].
    pub fn faq(&self) -> &[FaqEntry] {
        self.faq.all()
    }

    /// The FAQ entry with this id.
    pub fn faq_entry(&self, id: &str) -> Option<&FaqEntry> {
        self.faq.get(self.faq.position(id)?)
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
            FaqMatch::NotFound | FaqMatch::NoWordShared => {
                match (found, self.match_in(query, lang.other())) {
                    (_, other @ FaqMatch::Answer { .. }) => other,
                    (FaqMatch::NoWordShared, FaqMatch::NoWordShared) => FaqMatch::NoWordShared,
                    _ => FaqMatch::NotFound,
                }
            }
            found => found,
        }
    }

    pub(super) fn match_in(&self, query: &str, lang: Lang) -> FaqMatch<'_> {
        let (hits, shares_words) = self.ranked(query, lang, 4);
        let found = match hits.as_slice() {
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
        };
        match found {
            FaqMatch::NotFound if !shares_words => FaqMatch::NoWordShared,
            found => found,
        }
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
            FaqMatch::NotFound | FaqMatch::NoWordShared => None,
        }
    }

    /// The FAQ matcher for `lang` and its documents' entry numbers.
    pub(super) fn faq_index(&self, lang: Lang) -> &(Matcher, Vec<usize>) {
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
    pub(super) fn stored_index(stored: &StoredFaq, lang: Lang) -> Option<(Matcher, Vec<usize>)> {
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
        self.ranked(query, lang, limit).0
    }

    /// [`Knowledge::rank`], and whether the lexical search found an entry
    /// sharing a word with the question.
    fn ranked(&self, query: &str, lang: Lang, limit: usize) -> (Vec<(&FaqEntry, f64)>, bool) {
        if let Some(h) = self.hybrid(query, lang, limit) {
            let ranked = (h.ranked.into_iter())
                .map(|r| (r.entry, r.confidence))
                .collect();
            return (ranked, h.shares_words);
        }
        let (matcher, docs) = self.faq_index(lang);
        let hits: Vec<(&FaqEntry, f64)> = (matcher.search(query, limit).into_iter())
            .filter_map(|Scored { doc, confidence }| {
                let entry = self.faq.get(*docs.get(doc)?)?;
                Some((entry, f64::from(confidence)))
            })
            .collect();
        let shares_words = !hits.is_empty();
        (hits, shares_words)
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
}
