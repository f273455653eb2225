//! From text to features: the corpus's vocabulary, the features of its
//! texts and the terms of a question (stems, thesaurus concepts, compound
//! parts, joined neighbours, separable verbs).

use super::fuzzy::looked_up_fuzzily;
use super::*;

/// One analysed word of a question: what it can match, and how much it weighs.
#[derive(Clone, Debug)]
pub(super) struct Term {
    pub(super) features: Features,
    /// Words of the question this term stands for (a thesaurus phrase
    /// such as "death certificate" is one term of two words).
    pub(super) span: usize,
    /// A question word or negation.
    pub(super) light: bool,
}

/// The corpus as word ids, while the index is built.
#[derive(Default)]
pub(super) struct Tokens {
    /// Distinct folded words, stop words included.
    pub(super) lexicon: Vec<String>,
    /// Each text as word ids.
    pub(super) texts: Rows<u32>,
    /// Strength of each text (phrasing 1, keyword less; context last).
    pub(super) scales: Vec<f32>,
    /// Per document: the end of its texts in `texts`, context last.
    pub(super) doc_ends: Vec<u32>,
}

/// Interns names on the corpus side, looks them up on the question side.
pub(super) enum Names<'a> {
    Build(&'a mut HashMap<Text, Feature>),
    Lookup(&'a Table),
}

impl Names<'_> {
    pub(super) fn id(&mut self, name: &str) -> Option<Feature> {
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

    pub(super) fn ids(&mut self, named: Vec<(Name, f32)>) -> Features {
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
pub(super) fn add_max(v: &mut Features, f: Feature, s: f32) {
    match v.iter_mut().find(|(g, _)| *g == f) {
        Some(e) => e.1 = e.1.max(s),
        None => v.push((f, s)),
    }
}

pub(super) fn stemmer(lang: Lang) -> Stemmer {
    Stemmer::create(match lang {
        Lang::De => Algorithm::German,
        Lang::En => Algorithm::English,
    })
}

impl Matcher {
    pub(super) fn stem(&self, w: &str) -> String {
        self.stemmer.stem(w).into_owned()
    }

    /// True for a general stop word or one of the corpus's own.
    pub(super) fn is_stop(&self, w: &str) -> bool {
        is_stop_word(w) || self.stop_words.iter().any(|s| s == w)
    }

    /// First pass: every word of the corpus, its stem and its sound.
    pub(super) fn learn_vocabulary(&mut self, docs: &[Document]) -> Tokens {
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
                    let sound = match looked_up_fuzzily(&w) {
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

    /// Features of one corpus text, added to `out` with `scale`: phrases of
    /// the thesaurus, then each word (its features cached by word id).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn text_features<'t>(
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
    pub(super) fn index(&mut self, t: &Tokens) {
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
    pub(super) fn weigh(&mut self) {
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

    /// Splits a folded word into known stems: "wohnsitzanmeldung" →
    /// ["wohnsitz", "anmeld"]. Tries two parts, with German linking s/es/n.
    pub(super) fn split(&self, w: &str) -> Option<Vec<String>> {
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

    pub(super) fn word_features(&self, w: &str, doc_side: bool) -> Vec<(Name, f32)> {
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
    pub(super) fn analyse(&self, ws: &[String]) -> Vec<Term> {
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
}
