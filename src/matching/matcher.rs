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
/// Fixed weight of question words and negations.
const LIGHT_WEIGHT: f32 = 0.3;
/// Share of the score taken from how much of the phrasing the question covers.
const PRECISION_SHARE: f32 = 0.2;

/// A feature: a stem (`s:…`) or a concept (`c:…`).
type Feature = String;

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
    /// Phrasings: (document, features with strength).
    phrasings: Vec<(usize, Vec<(Feature, f32)>)>,
    /// Feature → phrasings containing it.
    postings: HashMap<Feature, Vec<u32>>,
    /// Feature → number of documents containing it.
    doc_freq: HashMap<Feature, u32>,
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
            .finish()
    }
}

impl Matcher {
    /// A matcher for `lang` with the built-in thesaurus.
    pub fn new(lang: Lang) -> Self {
        Self::with_thesaurus(lang, Thesaurus::builtin())
    }

    /// A matcher with a given thesaurus.
    pub fn with_thesaurus(lang: Lang, thesaurus: Thesaurus) -> Self {
        Self {
            lang,
            stemmer: Stemmer::create(match lang {
                Lang::De => Algorithm::German,
                Lang::En => Algorithm::English,
            }),
            thesaurus,
            phrasings: Vec::new(),
            postings: HashMap::new(),
            doc_freq: HashMap::new(),
            vocab: HashMap::new(),
            stems: HashSet::new(),
            sounds: HashMap::new(),
            docs: 0,
        }
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

    /// Builds a matcher for `lang` over documents, each a list of phrasings
    /// (questions, and keywords such as tags, which count as one more
    /// phrasing). Document numbers are the positions in `docs`.
    pub fn build(lang: Lang, docs: &[Vec<String>]) -> Self {
        let mut m = Self::new(lang);
        for d in docs {
            m.add(d.iter().map(String::as_str));
        }
        m.finish(docs);
        m
    }

    fn add<'a>(&mut self, phrasings: impl IntoIterator<Item = &'a str>) -> usize {
        let doc = self.docs;
        self.docs += 1;
        for p in phrasings {
            let ws: Vec<String> = words(p).into_iter().filter(|w| !is_stop_word(w)).collect();
            for w in &ws {
                let s = self.stem(w);
                self.stems.insert(s.clone());
                self.vocab.insert(w.clone(), s);
                if w.len() >= MIN_PART {
                    self.sounds
                        .entry(Cologne.encode(w))
                        .or_default()
                        .push(w.clone());
                }
            }
            self.phrasings.push((doc, Vec::new()));
        }
        doc
    }

    /// Analyses every phrasing and builds the postings. Done after all
    /// documents are added, because compounds are split with the whole
    /// corpus vocabulary.
    fn finish(&mut self, texts: &[Vec<String>]) {
        let mut i = 0;
        let mut df: HashMap<Feature, HashSet<usize>> = HashMap::new();
        for (doc, phrasings) in texts.iter().enumerate() {
            for p in phrasings {
                let terms = self.analyse(p, true);
                let mut feats: Vec<(Feature, f32)> = Vec::new();
                for t in terms {
                    for (f, w) in t.features {
                        match feats.iter_mut().find(|(g, _)| *g == f) {
                            Some(e) => e.1 = e.1.max(w),
                            None => feats.push((f, w)),
                        }
                    }
                }
                for (f, _) in &feats {
                    self.postings.entry(f.clone()).or_default().push(i as u32);
                    df.entry(f.clone()).or_default().insert(doc);
                }
                if let Some(slot) = self.phrasings.get_mut(i) {
                    slot.1 = feats;
                }
                i += 1;
            }
        }
        self.doc_freq = df.into_iter().map(|(f, d)| (f, d.len() as u32)).collect();
        for list in self.sounds.values_mut() {
            list.sort();
            list.dedup();
        }
    }

    fn idf(&self, f: &str) -> f32 {
        let df = self.doc_freq.get(f).copied().unwrap_or(0) as f32;
        ((self.docs as f32 + 1.0) / (df + 0.5)).ln().max(0.05)
    }

    /// Weight of a word nobody in the corpus used: like a word in one document.
    fn unknown_weight(&self) -> f32 {
        ((self.docs as f32 + 1.0) / 1.5).ln().max(1.0)
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
            if let Some(s) = self.vocab.get(part) {
                return Some(s.clone());
            }
            let s = self.stem(part);
            if self.stems.contains(&s) || self.thesaurus.word(part).is_some() {
                return Some(s);
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

    fn word_features(&self, w: &str, doc_side: bool) -> Vec<(Feature, f32)> {
        let mut f: Vec<(Feature, f32)> = Vec::new();
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
        if !doc_side && !known && concept.is_none() && f.len() == 1 && w.len() >= MIN_PART {
            // Near spellings and sound-alikes among the corpus words.
            let mut guesses: Vec<(String, f32)> = Vec::new();
            for (cw, cs) in &self.vocab {
                let sim = strsim::jaro_winkler(w, cw);
                if sim >= FUZZY_MIN {
                    guesses.push((cs.clone(), FUZZY_WEIGHT * sim as f32));
                }
            }
            let code = Cologne.encode(w);
            if code.len() >= 3 {
                for (c, list) in &self.sounds {
                    if strsim::levenshtein(&code, c) <= usize::from(code.len() >= 6) {
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
    fn analyse(&self, text: &str, doc_side: bool) -> Vec<Term> {
        let ws: Vec<String> = words(text);
        let mut terms = Vec::new();
        let mut i = 0;
        while i < ws.len() {
            if let Some((c, n)) = self.thesaurus.phrase(&ws[i..]) {
                terms.push(Term {
                    features: vec![(format!("c:{c}"), 1.0)],
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
                        features: self.word_features(&joined, false),
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
                terms.push(Term {
                    features: vec![(format!("s:{w}"), 1.0)],
                    light: true,
                });
                continue;
            }
            terms.push(Term {
                features: self.word_features(w, doc_side),
                light: false,
            });
        }
        // Separable verbs: "melde … ab" is "abmelden".
        if self.lang == Lang::De {
            for p in ws.iter().filter(|w| SEPARABLE.contains(&w.as_str())) {
                for (t, w) in terms.iter_mut().zip(ws.iter().filter(|w| !is_stop_word(w))) {
                    if t.light {
                        continue;
                    }
                    let s = self.stem(&format!("{p}{w}"));
                    if self.stems.contains(&s) {
                        t.features.push((format!("s:{s}"), 1.0));
                    }
                }
            }
        }
        terms
    }

    /// The best documents for `query`, best first (at most `limit`), each
    /// with a confidence in 0..=1.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Scored> {
        let terms = self.analyse(query, false);
        if terms.iter().all(|t| t.light) || self.phrasings.is_empty() {
            return Vec::new();
        }
        // Weight of each query term: its rarest feature the corpus knows, or
        // the weight of an unknown word.
        let weights: Vec<f32> = terms
            .iter()
            .map(|t| {
                if t.light {
                    return LIGHT_WEIGHT;
                }
                t.features
                    .iter()
                    .filter(|(f, _)| self.doc_freq.contains_key(f))
                    .map(|(f, _)| self.idf(f))
                    .fold(None, |m: Option<f32>, x| Some(m.map_or(x, |m| m.max(x))))
                    .unwrap_or_else(|| self.unknown_weight())
            })
            .collect();
        let total: f32 = weights.iter().sum();
        // Candidates: phrasings sharing features with the query, by summed idf.
        let mut acc: HashMap<u32, f32> = HashMap::new();
        for (t, w) in terms.iter().zip(&weights) {
            for (f, s) in &t.features {
                if let Some(list) = self.postings.get(f) {
                    for &p in list {
                        *acc.entry(p).or_default() += w * s;
                    }
                }
            }
        }
        let mut cands: Vec<(u32, f32)> = acc.into_iter().collect();
        cands.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        cands.truncate(CANDIDATES * 4);
        // Rerank: how much of the question each candidate phrasing explains.
        let mut best: HashMap<usize, f32> = HashMap::new();
        for (p, _) in cands {
            let Some((doc, feats)) = self.phrasings.get(p as usize) else {
                continue;
            };
            let mut covered = 0.0;
            let mut used: HashSet<&str> = HashSet::new();
            for (t, w) in terms.iter().zip(&weights) {
                let mut m = 0.0f32;
                for (f, s) in &t.features {
                    if let Some((g, ps)) = feats.iter().find(|(g, _)| g == f) {
                        if s * ps > m {
                            m = s * ps;
                            used.insert(g.as_str());
                        }
                    }
                }
                covered += w * m;
            }
            let recall = covered / total.max(f32::EPSILON);
            let p_total: f32 = feats
                .iter()
                .filter(|(f, _)| f.starts_with("s:"))
                .map(|(f, _)| self.idf(f))
                .sum();
            let p_hit: f32 = feats
                .iter()
                .filter(|(f, _)| f.starts_with("s:") && used.contains(f.as_str()))
                .map(|(f, _)| self.idf(f))
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
