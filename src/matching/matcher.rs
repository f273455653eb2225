//! The FAQ matcher: analysis of questions into features, an inverted index
//! that preselects candidates, and a reranking of the candidates' phrasings.
//!
//! Features of a word: its Snowball stem, its thesaurus concept, and — for
//! compounds — its parts ("wohnsitzanmeldung" → wohnsitz + anmeld). Words
//! the corpus does not know are tried as joined neighbours ("reise pass"),
//! as compounds of known words, and by spelling and sound (Kölner Phonetik)
//! against the corpus vocabulary. Candidate generation touches only the
//! postings of the query's features, so its cost follows the query, not the
//! corpus; reranking looks at a fixed number of candidates.
//!
//! The confidence is the weighted share of the question the best phrasing
//! explains. Words the corpus has never seen weigh like rare words: a
//! question about "Netflix abmelden" is mostly about Netflix, which no entry
//! explains, so it is not answered by the entry on deregistering an address.

use std::collections::{HashMap, HashSet};

use rphonetic::{Cologne, Encoder};
use rust_stemmers::{Algorithm, Stemmer};

use super::normalize::{is_light_word, is_stop_word, words};
use super::thesaurus::Thesaurus;
use crate::lang::Lang;

/// Candidates kept from the index for reranking.
const CANDIDATES: usize = 24;
/// Weight of a feature found through a compound part.
const PART_WEIGHT: f32 = 0.7;
/// Weight of a feature found by near spelling or sound.
const FUZZY_WEIGHT: f32 = 0.75;
/// Jaro-Winkler similarity a near spelling must reach.
const FUZZY_MIN: f64 = 0.9;
/// Shortest word tried as a compound part or by sound.
const MIN_PART: usize = 4;
/// German verb particles that stand apart from their verb ("melde … ab").
const SEPARABLE: &[&str] = &[
    "ab", "an", "um", "aus", "auf", "ein", "zu", "nach", "vor", "zurueck",
];
/// An unknown word weighs this share of the rarest known word: it may be
/// the topic (Netflix) or an everyday word the corpus happens not to use.
const UNKNOWN_SHARE: f32 = 1.0;
/// Fixed weight of question words and negations.
const LIGHT_WEIGHT: f32 = 0.3;
/// Share of the score taken from how much of the phrasing the question covers.
const PRECISION_SHARE: f32 = 0.2;

/// A feature's name while it is built: a stem (`s:…`) or a concept (`c:…`).
type Name = String;
/// An interned feature.
type Feature = u32;

/// One analysed word of a question: what it can match, and how much it weighs.
#[derive(Clone, Debug)]
struct Term {
    /// Features with their strength (1 exact, less for parts and guesses).
    features: Vec<(Feature, f32)>,
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

/// The matcher for one language.
pub struct Matcher {
    lang: Lang,
    stemmer: Stemmer,
    thesaurus: Thesaurus,
    /// Feature names → ids.
    names: HashMap<Name, Feature>,
    /// Phrasings: (document, features with strength).
    phrasings: Vec<(usize, Vec<(Feature, f32)>)>,
    /// Feature → phrasings containing it.
    postings: Vec<Vec<u32>>,
    /// Feature → inverse document frequency.
    idf: Vec<f32>,
    /// Feature is a stem (not a concept).
    is_stem: Vec<bool>,
    /// Folded words of the corpus → their stems.
    vocab: HashMap<String, String>,
    /// Stems of the corpus (for compound parts).
    stems: HashSet<String>,
    /// Kölner Phonetik code → corpus words.
    sounds: HashMap<String, Vec<String>>,
    docs: usize,
}

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matcher")
            .field("lang", &self.lang)
            .field("docs", &self.docs)
            .field("phrasings", &self.phrasings.len())
            .field("features", &self.names.len())
            .finish()
    }
}

/// Interns names on the corpus side, looks them up on the question side.
enum Names<'a> {
    Build(&'a mut HashMap<Name, Feature>),
    Lookup(&'a HashMap<Name, Feature>),
}

impl Names<'_> {
    fn id(&mut self, name: &str) -> Option<Feature> {
        match self {
            Names::Build(m) => {
                if let Some(&id) = m.get(name) {
                    return Some(id);
                }
                let next = m.len() as Feature;
                m.insert(name.to_string(), next);
                Some(next)
            }
            Names::Lookup(m) => m.get(name).copied(),
        }
    }

    fn ids(&mut self, named: Vec<(Name, f32)>) -> Vec<(Feature, f32)> {
        let mut out: Vec<(Feature, f32)> = Vec::with_capacity(named.len());
        for (n, w) in named {
            if let Some(id) = self.id(&n) {
                match out.iter_mut().find(|(g, _)| *g == id) {
                    Some(e) => e.1 = e.1.max(w),
                    None => out.push((id, w)),
                }
            }
        }
        out
    }
}

impl Matcher {
    /// Builds a matcher for `lang` over documents, each a list of phrasings
    /// (questions, and keywords such as tags, which count as one more
    /// phrasing). Document numbers are the positions in `docs`.
    pub fn build(lang: Lang, docs: &[Vec<String>]) -> Self {
        Self::build_with(lang, Thesaurus::builtin(), docs)
    }

    /// Like [`Matcher::build`], with a given thesaurus.
    pub fn build_with(lang: Lang, thesaurus: Thesaurus, docs: &[Vec<String>]) -> Self {
        let mut m = Self {
            lang,
            stemmer: Stemmer::create(match lang {
                Lang::De => Algorithm::German,
                Lang::En => Algorithm::English,
            }),
            thesaurus,
            names: HashMap::new(),
            phrasings: Vec::new(),
            postings: Vec::new(),
            idf: Vec::new(),
            is_stem: Vec::new(),
            vocab: HashMap::new(),
            stems: HashSet::new(),
            sounds: HashMap::new(),
            docs: docs.len(),
        };
        m.learn_vocabulary(docs);
        m.index(docs);
        m
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.docs
    }

    /// True when no document was added.
    pub fn is_empty(&self) -> bool {
        self.docs == 0
    }

    fn stem(&self, w: &str) -> String {
        self.stemmer.stem(w).into_owned()
    }

    /// First pass: every word of the corpus, its stem and its sound.
    fn learn_vocabulary(&mut self, docs: &[Vec<String>]) {
        for p in docs.iter().flatten() {
            for w in words(p) {
                if is_stop_word(&w) || self.vocab.contains_key(&w) {
                    continue;
                }
                let s = self.stem(&w);
                self.stems.insert(s.clone());
                if w.len() >= MIN_PART && !w.bytes().any(|b| b.is_ascii_digit()) {
                    self.sounds
                        .entry(Cologne.encode(&w))
                        .or_default()
                        .push(w.clone());
                }
                self.vocab.insert(w, s);
            }
        }
        for list in self.sounds.values_mut() {
            list.sort();
            list.dedup();
        }
    }

    /// Second pass: features of every phrasing (compounds are split with
    /// the whole vocabulary), postings and idf.
    fn index(&mut self, docs: &[Vec<String>]) {
        let mut names = std::mem::take(&mut self.names);
        let mut cache: HashMap<String, Vec<(Feature, f32)>> = HashMap::new();
        let mut phrasings = Vec::new();
        for (doc, texts) in docs.iter().enumerate() {
            for p in texts {
                let terms = self.analyse(p, &mut Names::Build(&mut names), Some(&mut cache));
                let mut feats: Vec<(Feature, f32)> = Vec::new();
                for (f, w) in terms.into_iter().flat_map(|t| t.features) {
                    match feats.iter_mut().find(|(g, _)| *g == f) {
                        Some(e) => e.1 = e.1.max(w),
                        None => feats.push((f, w)),
                    }
                }
                phrasings.push((doc, feats));
            }
        }
        let n = names.len();
        let mut postings: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut df: Vec<(usize, u32)> = vec![(usize::MAX, 0); n];
        for (i, (doc, feats)) in phrasings.iter().enumerate() {
            for (f, _) in feats {
                postings[*f as usize].push(i as u32);
                let e = &mut df[*f as usize];
                if e.0 != *doc {
                    *e = (*doc, e.1 + 1);
                }
            }
        }
        let docs_n = self.docs as f32;
        self.idf = df
            .iter()
            .map(|(_, d)| ((docs_n + 1.0) / (*d as f32 + 0.5)).ln().max(0.05))
            .collect();
        let mut is_stem = vec![false; n];
        for (name, id) in &names {
            is_stem[*id as usize] = name.starts_with("s:");
        }
        self.is_stem = is_stem;
        self.postings = postings;
        self.phrasings = phrasings;
        self.names = names;
    }

    fn idf(&self, f: Feature) -> f32 {
        self.idf.get(f as usize).copied().unwrap_or(0.05)
    }

    /// Weight of a word nobody in the corpus used: like a word in one document.
    fn unknown_weight(&self) -> f32 {
        UNKNOWN_SHARE * ((self.docs as f32 + 1.0) / 1.5).ln().max(1.0)
    }

    /// Splits a folded word into known stems: "wohnsitzanmeldung" →
    /// ["wohnsitz", "anmeld"]. Tries two parts, with German linking s/es/n.
    fn split(&self, w: &str) -> Option<Vec<String>> {
        if w.len() < 2 * MIN_PART || self.lang != Lang::De {
            return None;
        }
        let known = |part: &str| -> Option<String> {
            if part.len() < MIN_PART - 1 {
                return None;
            }
            // Plain look-ups only: stemming every candidate part of every
            // word would dominate the index build.
            if let Some(s) = self.vocab.get(part) {
                return Some(s.clone());
            }
            if self.stems.contains(part) || self.thesaurus.word(part).is_some() {
                return Some(part.to_string());
            }
            None
        };
        let chars: Vec<(usize, char)> = w.char_indices().collect();
        let mut best: Option<(usize, Vec<String>)> = None;
        for &(i, _) in chars.iter().skip(MIN_PART - 1) {
            let (left, right) = w.split_at(i);
            if right.len() < MIN_PART - 1 {
                break;
            }
            let lefts = [
                left,
                left.strip_suffix('s').unwrap_or(""),
                left.strip_suffix("es").unwrap_or(""),
                left.strip_suffix('n').unwrap_or(""),
            ];
            for l in lefts.iter().filter(|l| !l.is_empty()) {
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
        let known = self.stems.contains(&stem);
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
        {
            // Near spellings and sound-alikes among the corpus words.
            let mut guesses: Vec<(String, f32)> = Vec::new();
            let first = w.as_bytes()[0];
            for (cw, cs) in &self.vocab {
                // Jaro-Winkler ≥ 0.9 needs a shared start and a similar length.
                if cw.as_bytes().first() != Some(&first) || cw.len().abs_diff(w.len()) > 3 {
                    continue;
                }
                let sim = strsim::jaro_winkler(w, cw);
                if sim >= FUZZY_MIN {
                    guesses.push((cs.clone(), FUZZY_WEIGHT * sim as f32));
                }
            }
            let code = Cologne.encode(w);
            if code.len() >= 3 {
                for (c, list) in &self.sounds {
                    if c.len().abs_diff(code.len()) > 1
                        || strsim::levenshtein(&code, c) > usize::from(code.len() >= 6)
                    {
                        continue;
                    }
                    {
                        for cw in list {
                            if let Some(cs) = self.vocab.get(cw) {
                                if strsim::normalized_levenshtein(w, cw) >= 0.6 {
                                    guesses.push((cs.clone(), FUZZY_WEIGHT * 0.9));
                                }
                            }
                        }
                    }
                }
            }
            for (s, wt) in guesses {
                let key = format!("s:{s}");
                match f.iter_mut().find(|(g, _)| *g == key) {
                    Some(e) => e.1 = e.1.max(wt),
                    None => f.push((key, wt)),
                }
            }
        }
        f
    }

    /// Words → terms: phrases of the thesaurus first, then joined
    /// neighbours the corpus knows ("reise pass" → "reisepass"), then words.
    /// `cache` is given on the corpus side (the features of a word do not
    /// change while the index is built).
    fn analyse(
        &self,
        text: &str,
        names: &mut Names<'_>,
        mut cache: Option<&mut HashMap<String, Vec<(Feature, f32)>>>,
    ) -> Vec<Term> {
        let doc_side = cache.is_some();
        let ws: Vec<String> = words(text);
        let mut terms = Vec::new();
        let mut i = 0;
        while i < ws.len() {
            if let Some((c, n)) = self.thesaurus.phrase(&ws[i..]) {
                terms.push(Term {
                    features: names.ids(vec![(format!("c:{c}"), 1.0)]),
                    light: false,
                });
                i += n;
                continue;
            }
            if !doc_side && i + 1 < ws.len() {
                let joined = format!("{}{}", ws[i], ws[i + 1]);
                let js = self.stem(&joined);
                if self.stems.contains(&js) || self.thesaurus.word(&joined).is_some() {
                    terms.push(Term {
                        features: names.ids(self.word_features(&joined, false)),
                        light: false,
                    });
                    i += 2;
                    continue;
                }
            }
            let w = &ws[i];
            i += 1;
            if is_stop_word(w) {
                continue;
            }
            if is_light_word(w) {
                let features = match cache.as_deref_mut() {
                    Some(c) => c
                        .entry(w.clone())
                        .or_insert_with(|| names.ids(vec![(format!("s:{w}"), 1.0)]))
                        .clone(),
                    None => names.ids(vec![(format!("s:{w}"), 1.0)]),
                };
                terms.push(Term {
                    features,
                    light: true,
                });
                continue;
            }
            let features = match cache.as_deref_mut() {
                Some(c) => match c.get(w) {
                    Some(f) => f.clone(),
                    None => {
                        let f = names.ids(self.word_features(w, true));
                        c.insert(w.clone(), f.clone());
                        f
                    }
                },
                None => names.ids(self.word_features(w, false)),
            };
            terms.push(Term {
                features,
                light: false,
            });
        }
        // Separable verbs: "melde … ab" is "abmelden".
        if self.lang == Lang::De {
            let content: Vec<&String> = ws.iter().filter(|w| !is_stop_word(w)).collect();
            for p in ws.iter().filter(|w| SEPARABLE.contains(&w.as_str())) {
                for (t, w) in terms.iter_mut().zip(&content) {
                    if t.light {
                        continue;
                    }
                    let s = self.stem(&format!("{p}{w}"));
                    if self.stems.contains(&s) {
                        if let Some(id) = names.id(&format!("s:{s}")) {
                            t.features.push((id, 1.0));
                        }
                    }
                }
            }
        }
        terms
    }

    /// The best documents for `query`, best first (at most `limit`), each
    /// with a confidence in 0..=1.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Scored> {
        let terms = self.analyse(query, &mut Names::Lookup(&self.names), None);
        if terms.iter().all(|t| t.light) || self.phrasings.is_empty() {
            return Vec::new();
        }
        // Weight of each term: its rarest feature, or that of an unknown word.
        let weights: Vec<f32> = terms
            .iter()
            .map(|t| {
                if t.light {
                    return LIGHT_WEIGHT;
                }
                t.features
                    .iter()
                    .map(|(f, _)| self.idf(*f))
                    .fold(None, |m: Option<f32>, x| Some(m.map_or(x, |m| m.max(x))))
                    .unwrap_or_else(|| self.unknown_weight())
            })
            .collect();
        let total: f32 = weights.iter().sum();
        // Candidates: phrasings sharing features with the question, by summed idf.
        let mut acc = vec![0.0f32; self.phrasings.len()];
        let mut touched: Vec<u32> = Vec::new();
        for (t, w) in terms.iter().zip(&weights).filter(|(t, _)| !t.light) {
            for (f, s) in &t.features {
                for &p in &self.postings[*f as usize] {
                    let a = &mut acc[p as usize];
                    if *a == 0.0 {
                        touched.push(p);
                    }
                    *a += w * s;
                }
            }
        }
        let mut cands: Vec<(u32, f32)> =
            touched.into_iter().map(|p| (p, acc[p as usize])).collect();
        let keep = (CANDIDATES * 4).min(cands.len());
        if keep > 0 && keep < cands.len() {
            cands.select_nth_unstable_by(keep - 1, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            cands.truncate(keep);
        }
        // Rerank: how much of the question each candidate phrasing explains.
        let mut best: HashMap<usize, f32> = HashMap::new();
        for (p, _) in cands {
            let Some((doc, feats)) = self.phrasings.get(p as usize) else {
                continue;
            };
            let mut covered = 0.0;
            let mut used: Vec<Feature> = Vec::new();
            for (t, w) in terms.iter().zip(&weights) {
                let mut m = 0.0f32;
                for (f, s) in &t.features {
                    if let Some((g, ps)) = feats.iter().find(|(g, _)| g == f) {
                        if s * ps > m {
                            m = s * ps;
                            used.push(*g);
                        }
                    }
                }
                covered += w * m;
            }
            let recall = covered / total.max(f32::EPSILON);
            let stems = feats.iter().filter(|(f, _)| self.is_stem[*f as usize]);
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
            let score = (1.0 - PRECISION_SHARE) * recall
                + PRECISION_SHARE * precision.max(recall.min(precision + 0.3));
            let e = best.entry(*doc).or_default();
            if score > *e {
                *e = score;
            }
        }
        let mut out: Vec<Scored> = best
            .into_iter()
            .filter(|(_, c)| *c > 0.0)
            .map(|(doc, confidence)| Scored {
                doc,
                confidence: confidence.clamp(0.0, 1.0),
            })
            .collect();
        out.sort_by(|a, b| {
            b.confidence
                .total_cmp(&a.confidence)
                .then(a.doc.cmp(&b.doc))
        });
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
        Matcher::build(Lang::De, &docs)
    }

    fn top(m: &Matcher, q: &str) -> Option<usize> {
        m.search(q, 3).first().map(|s| s.doc)
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
}
