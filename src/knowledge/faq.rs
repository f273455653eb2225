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

/// The encoder questions are answered with: the model, unless
/// `CITY_SKILL_ENCODER` is `0`, `false`, `no` or `off` (lexical matching
/// only). It is mapped on the first question the lexical matcher is not
/// sure of; a missing or broken model file means lexical matching with one
/// warning.
pub(super) fn default_encoder() -> Arc<LazyEncoder> {
    let off = std::env::var("CITY_SKILL_ENCODER").is_ok_and(|v| {
        matches!(
            v.to_ascii_lowercase().as_str(),
            "0" | "false" | "no" | "off"
        )
    });
    Arc::new(match off {
        true => LazyEncoder::disabled(),
        false => LazyEncoder::new(),
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

impl FaqMatch<'_> {
    /// The match without the corpus's out-of-scope examples: a question
    /// closest to one is not answered, and one beside an answer is not
    /// offered ("Meinst du …?" names the answer alone).
    fn in_scope(self) -> Self {
        match self {
            FaqMatch::Answer { entry, .. } if entry.is_out_of_scope() => FaqMatch::NotFound,
            FaqMatch::Unsure { candidates } => {
                match candidates.first().is_some_and(|(e, _)| e.is_out_of_scope()) {
                    true => FaqMatch::NotFound,
                    false => FaqMatch::Unsure {
                        candidates: (candidates.into_iter())
                            .filter(|(e, _)| !e.is_out_of_scope())
                            .collect(),
                    },
                }
            }
            found => found,
        }
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
        let found = self.match_in(query, lang).in_scope();
        match found {
            // Only a clear answer counts from the other language.
            FaqMatch::NotFound | FaqMatch::NoWordShared => {
                match (found, self.match_in(query, lang.other()).in_scope()) {
                    (_, other @ FaqMatch::Answer { .. }) => other,
                    (FaqMatch::NoWordShared, FaqMatch::NoWordShared) => FaqMatch::NoWordShared,
                    _ => FaqMatch::NotFound,
                }
            }
            found => found,
        }
    }

    /// The decision in `lang` alone: the hybrid's, or the lexical
    /// matcher's where the hybrid leaves it to it (or has no encoder).
    fn match_in(&self, query: &str, lang: Lang) -> FaqMatch<'_> {
        match self.hybrid(query, lang, 4).as_ref().and_then(Self::decide) {
            Some(found) => found,
            None => self.match_lexical(query, lang),
        }
    }

    /// The lexical matcher's decision alone (with the encoder on too).
    fn match_lexical(&self, query: &str, lang: Lang) -> FaqMatch<'_> {
        let (hits, shares_words) = self.lexical_ranked(query, lang, 4);
        Self::decide_lexical(query, &hits, shares_words)
    }

    /// What ranked `hits` (best first) make of `query`: an answer, a
    /// question, or nothing.
    fn decide_lexical<'a>(
        query: &str,
        hits: &[(&'a FaqEntry, f64)],
        shares_words: bool,
    ) -> FaqMatch<'a> {
        let found = match hits {
            [] => FaqMatch::NotFound,
            [(first, c1), rest @ ..] if *c1 >= ACCEPT_SCORE => {
                // Near-certain matches are answered even beside a close
                // neighbour: asking "Meinst du: <the very question>?" helps
                // nobody. But one word names a topic, not a question ("Auto",
                // "passport"): every entry it is in is near-certain, so the
                // skill asks which one.
                let mut words = 0;
                crate::matching::normalize::for_each_word(query, |_| words += 1);
                let topic = words < 2;
                let close = |c2: f64| {
                    let gap = c1 - c2;
                    gap < MARGIN && (*c1 < CERTAIN_SCORE || gap < CERTAIN_LEAD || topic)
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
            // The out-of-scope examples are one document each: one entry
            // holding all their words would come close to every question.
            let docs: Vec<usize> = (all.iter().enumerate())
                .filter_map(|(i, e)| Some((i, e, e.text(lang)?)))
                .flat_map(|(i, e, t)| {
                    let n = match e.is_out_of_scope() {
                        true => t.questions.len(),
                        false => 1,
                    };
                    std::iter::repeat_n(i, n)
                })
                .collect();
            let texts: Vec<Document> = Self::doc_texts(&docs, |i| self.faq.get(i), lang)
                .map(|(e, t, question)| match question {
                    Some(q) => Document {
                        phrasings: vec![q.to_string()],
                        keywords: Vec::new(),
                        context: String::new(),
                    },
                    None => {
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
                    }
                })
                .collect();
            let stop_words = self.city.stop_words();
            let matcher =
                Matcher::build_with(lang, Thesaurus::builtin_parsed(), &stop_words, &texts);
            (matcher, docs)
        })
    }

    /// Each index document's entry, text and, for an out-of-scope example,
    /// its one question (the entry's `k`-th document is its `k`-th
    /// question). A document whose entry is gone yields an empty text, so
    /// that documents and texts stay in step.
    fn doc_texts<'a>(
        docs: &'a [usize],
        get: impl Fn(usize) -> Option<&'a FaqEntry> + 'a,
        lang: Lang,
    ) -> impl Iterator<Item = (&'a FaqEntry, &'a FaqText, Option<&'a str>)> + 'a {
        static EMPTY: (FaqEntry, FaqText) = (
            FaqEntry {
                id: String::new(),
                office: None,
                url: None,
                tags: Vec::new(),
                source: String::new(),
                as_of: String::new(),
                de: None,
                en: None,
            },
            FaqText {
                questions: Vec::new(),
                answer: String::new(),
                card: None,
            },
        );
        let mut seen: Option<(usize, usize)> = None;
        docs.iter().map(move |&i| {
            let k = match seen {
                Some((last, k)) if last == i => k + 1,
                _ => 0,
            };
            seen = Some((i, k));
            match get(i).and_then(|e| Some((e, e.text(lang)?))) {
                Some((e, t)) if e.is_out_of_scope() => {
                    (e, t, t.questions.get(k).map(String::as_str))
                }
                Some((e, t)) => (e, t, None),
                None => (&EMPTY.0, &EMPTY.1, None),
            }
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
    /// Each entry once: a city's out-of-scope examples are one index
    /// document each.
    pub fn rank(&self, query: &str, lang: Lang, limit: usize) -> Vec<(&FaqEntry, f64)> {
        let mut ranked = self.ranked(query, lang, limit).0;
        let mut seen: Vec<*const FaqEntry> = Vec::new();
        ranked.retain(|(e, _)| {
            let first = !seen.contains(&std::ptr::from_ref(*e));
            seen.push(std::ptr::from_ref(*e));
            first
        });
        ranked
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
        self.lexical_ranked(query, lang, limit)
    }

    /// [`Knowledge::ranked`] by the lexical matcher alone.
    fn lexical_ranked(
        &self,
        query: &str,
        lang: Lang,
        limit: usize,
    ) -> (Vec<(&FaqEntry, f64)>, bool) {
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
                let (_, docs) = self.faq_index(lang);
                if docs.is_empty() {
                    return None;
                }
                let phrasings: Vec<DocText> = Self::doc_texts(docs, |i| self.faq.get(i), lang)
                    .map(|(e, t, question)| match question {
                        Some(q) => DocText {
                            phrasings: vec![q.to_string()],
                            sentences: Vec::new(),
                            passage: q.to_string(),
                            summary: q.to_string(),
                        },
                        None => {
                            let first = t.questions.first().map_or("", String::as_str);
                            DocText {
                                phrasings: t.questions.clone(),
                                sentences: crate::matching::semantic::answer_sentences(&t.answer),
                                passage: format!("{first} {}", t.answer),
                                summary: format!("{} {}", t.questions.join(" "), e.tags.join(" ")),
                            }
                        }
                    })
                    .collect();
                let examples: Vec<usize> = (docs.iter().enumerate())
                    .filter(|(_, &i)| self.faq.get(i).is_some_and(FaqEntry::is_out_of_scope))
                    .map(|(d, _)| d)
                    .collect();
                let rows: usize = phrasings.iter().map(DocText::rows).sum();
                if self.texts_hash == Some(load::EMBEDDED_HASH) {
                    // The embedded corpus's own texts (tests, `check`,
                    // `compile`): the same vectors as its compilation's.
                    // Only while the compilation is of these texts, with
                    // a row for each of their phrasings, sentences and
                    // views: after an edit, or a change in what is
                    // embedded, `compile` must embed them again.
                    let current = compiled::split(load::EMBEDDED_IMAGE)
                        .ok()
                        .filter(|parts| parts.sources == load::EMBEDDED_HASH);
                    let stored = current.and_then(|parts| {
                        let bytes = load::EMBEDDED_IMAGE.get(parts.sections[compiled::vectors(lang)].clone())?;
                        Semantic::from_bytes(bytes).ok()
                    });
                    let reusable = stored.filter(|s| {
                        s.vectors.model == model_sha256()
                            && s.vectors.docs() == phrasings.len()
                            && s.vectors.scales.len() == rows
                    });
                    if let Some(s) = reusable {
                        // `compile` measures the calibration again: the
                        // shipped out-of-scope questions may have changed.
                        return Some(match self.compiling {
                            true => s.calibrated(lang, &examples),
                            false => s,
                        });
                    }
                }
                if rows > semantic::MAX_TEXTS_AT_RUNTIME && !self.compiling {
                    tracing::warn!(%lang, texts = rows, "too many FAQ texts to embed at run time; compile the corpus (`city-skill compile`) to match with the encoder");
                    return None;
                }
                let encoder = self.encoder.get()?;
                Some(Semantic::build(encoder, lang, &phrasings, &examples))
            })
            .as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "id;locale;question;answer\n";
    const ENTRIES: &str = "\
baugenehmigung;de-DE;Wie beantrage ich eine Baugenehmigung für mein Haus?;Den Bauantrag reichen Sie bei der Bauaufsicht ein.\n\
baugenehmigung;de-DE;Bauantrag für den Hausbau stellen;\n\
hundesteuer;de-DE;Wie melde ich meinen Hund an?;Bei der Steuerstelle, binnen zwei Wochen.\n\
hundesteuer;de-DE;Hundesteuer anmelden;\n";
    const EXAMPLES: &str = "\
out-of-scope;de-DE;Wie beantrage ich einen Kredit für den Hausbau bei der Bank?;\n\
out-of-scope;de-DE;Baufinanzierung bei der Sparkasse beantragen;\n";
    const LOAN: &str = "wie beantrage ich einen kredit für den hausbau";

    fn parsed(rows: &str) -> Knowledge {
        let sources = Sources {
            faq_csv: Some(("faq.csv".into(), format!("{HEADER}{rows}").into_bytes())),
            ..Sources::default()
        };
        Knowledge::from_sources(sources).unwrap_or_else(|e| panic!("{e}"))
    }

    fn corpus(rows: &str) -> Knowledge {
        parsed(rows).with_encoder(Arc::new(LazyEncoder::disabled()))
    }

    #[test]
    fn the_hybrid_match_refuses_a_question_closest_to_an_example_too() {
        let k = parsed(&format!("{ENTRIES}{EXAMPLES}")).with_encoder(Arc::new(LazyEncoder::new()));
        let loan = "brauche ein darlehen von der sparkasse fürs eigenheim";
        let h = k.hybrid(loan, Lang::De, 4).expect("no encoder");
        assert!(!h.lexical_only, "answered without the encoder");
        assert!(
            h.ranked.first().is_some_and(|r| r.entry.is_out_of_scope()),
            "{:?}",
            h.ranked
        );
        assert!(matches!(
            k.match_question(loan, Lang::De),
            FaqMatch::NotFound
        ));
        let found = k.match_question("Bauantrag stellen", Lang::De);
        assert!(
            matches!(found, FaqMatch::Answer { entry, .. } if entry.id == "baugenehmigung"),
            "{found:?}"
        );
    }

    #[test]
    fn one_word_shared_by_two_entries_is_asked_about_not_guessed() {
        let rows = "\
kfz-zulassen;en-US;How do I register a car?;At the vehicle registration office.\n\
kfz-abmelden;en-US;How do I deregister a car?;At the vehicle registration office, with both plates.\n";
        let k2 = corpus(rows);
        assert!(matches!(
            k2.match_question("car", Lang::En),
            FaqMatch::Unsure { .. }
        ));
        assert!(matches!(
            k2.match_question("How do I register a car?", Lang::En),
            FaqMatch::Answer { entry, .. } if entry.id == "kfz-zulassen"
        ));
    }

    #[test]
    fn out_of_scope_examples_need_no_answer_source_or_date() {
        let k = corpus(&format!("{ENTRIES}{EXAMPLES}"));
        assert!(k.warnings().is_empty(), "{:?}", k.warnings());
    }

    #[test]
    fn a_question_closest_to_an_out_of_scope_example_is_not_answered() {
        let with = corpus(&format!("{ENTRIES}{EXAMPLES}"));
        assert!(matches!(
            with.match_question(LOAN, Lang::De),
            FaqMatch::NotFound
        ));
    }

    #[test]
    fn without_the_examples_the_near_miss_wins_a_city_entry() {
        let without = corpus(ENTRIES);
        assert!(!matches!(
            without.match_question(LOAN, Lang::De),
            FaqMatch::NotFound
        ));
    }

    #[test]
    fn the_city_topic_itself_is_still_answered_beside_examples() {
        let k = corpus(&format!("{ENTRIES}{EXAMPLES}"));
        let found = k.match_question("Baugenehmigung beantragen", Lang::De);
        assert!(
            matches!(found, FaqMatch::Answer { entry, .. } if entry.id == "baugenehmigung"),
            "{found:?}"
        );
    }

    #[test]
    fn an_out_of_scope_example_is_never_offered_as_a_candidate() {
        let k = corpus(&format!("{ENTRIES}{EXAMPLES}"));
        for q in [LOAN, "kredit", "hausbau", "bank bauantrag"] {
            match k.match_question(q, Lang::De) {
                FaqMatch::Answer { entry, .. } => assert!(!entry.is_out_of_scope()),
                FaqMatch::Unsure { candidates } => {
                    assert!(candidates.iter().all(|(e, _)| !e.is_out_of_scope()))
                }
                FaqMatch::NotFound | FaqMatch::NoWordShared => {}
            }
        }
    }

    fn embedded_hybrid() -> Knowledge {
        Knowledge::embedded()
            .unwrap_or_else(|e| panic!("{e}"))
            .with_encoder(Arc::new(LazyEncoder::new()))
    }

    #[test]
    fn the_encoder_asks_no_doubt_about_words_no_entry_shares() {
        let k = embedded_hybrid();
        assert!(
            matches!(
                k.match_question("blablub fnord", Lang::De),
                FaqMatch::NoWordShared
            ),
            "{:?}",
            k.match_question("blablub fnord", Lang::De)
        );
    }

    #[test]
    fn a_short_question_both_entries_fit_is_asked_about_with_the_encoder_too() {
        let k = embedded_hybrid();
        let found = k.match_question("something about my car", Lang::En);
        assert!(
            matches!(&found, FaqMatch::Unsure { candidates } if candidates.len() == 2),
            "{found:?}"
        );
    }

    #[test]
    fn a_tie_of_near_certain_entries_is_asked_about_whatever_its_length() {
        let k = embedded_hybrid();
        let found = k.match_question("do i register my address", Lang::En);
        let ids: Vec<&str> = match &found {
            FaqMatch::Unsure { candidates } => {
                candidates.iter().map(|(e, _)| e.id.as_str()).collect()
            }
            other => panic!("{other:?}"),
        };
        assert_eq!(ids, ["anmeldung", "ummeldung"]);
    }

    #[test]
    fn a_near_certain_lexical_answer_is_taken_without_the_encoder() {
        let k = embedded_hybrid();
        let h = k
            .hybrid("Wo kann ich heiraten?", Lang::De, 4)
            .expect("no encoder");
        assert!(h.lexical_only);
        assert!(matches!(
            k.match_question("Wo kann ich heiraten?", Lang::De),
            FaqMatch::Answer { entry, .. } if entry.id == "trauorte"
        ));
    }
}
