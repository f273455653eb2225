//! A small lexical index over documents with several phrasings each.
//!
//! Scores a query against every phrasing of every document: IDF-weighted
//! term overlap, where two terms match exactly, as a compound part
//! ("wohnsitzanmeldung" ~ "anmeldung"), or as a near spelling (Jaro-Winkler).
//! Cost: O(documents × phrasings × query terms × phrasing terms), fine for a
//! city's few hundred entries.

use std::collections::HashMap;

use super::normalize::terms;

/// Similarity a near spelling must reach to count ("Reisepas" ~ "reisepass").
const FUZZY_MIN: f64 = 0.92;
/// Weight of a compound-part match relative to an exact one.
const PART_WEIGHT: f64 = 0.8;
/// Shortest term considered as a compound part.
const PART_MIN_LEN: usize = 4;

/// A ranked match.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hit {
    /// Index of the document, in insertion order.
    pub doc: usize,
    /// Score in 0..=1: 1 means every term on both sides matched.
    pub score: f64,
}

/// Documents, each a set of phrasings, ready to be scored.
#[derive(Clone, Debug, Default)]
pub struct Index {
    phrasings: Vec<(usize, Vec<String>)>,
    doc_freq: HashMap<String, usize>,
    docs: usize,
    /// The corpus's own stop words (folded), beside the general ones.
    stop_words: Vec<String>,
}

impl Index {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty index that also ignores `stop_words` (folded): the city's
    /// name and the like, which every question may carry.
    pub fn with_stop_words(stop_words: Vec<String>) -> Self {
        Self {
            stop_words,
            ..Self::default()
        }
    }

    fn terms(&self, text: &str) -> Vec<String> {
        let mut t = terms(text);
        t.retain(|w| !self.stop_words.contains(w));
        t
    }

    /// Adds a document with its phrasings; returns its number.
    pub fn add<'a>(&mut self, phrasings: impl IntoIterator<Item = &'a str>) -> usize {
        let doc = self.docs;
        self.docs += 1;
        let mut seen: Vec<String> = Vec::new();
        for p in phrasings {
            let t = self.terms(p);
            if t.is_empty() {
                continue;
            }
            for term in &t {
                if !seen.contains(term) {
                    seen.push(term.clone());
                }
            }
            self.phrasings.push((doc, t));
        }
        for term in seen {
            *self.doc_freq.entry(term).or_default() += 1;
        }
        doc
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.docs
    }

    /// True when the index holds no document.
    pub fn is_empty(&self) -> bool {
        self.docs == 0
    }

    fn idf(&self, term: &str) -> f64 {
        let df = self.doc_freq.get(term).copied().unwrap_or(0) as f64;
        ((self.docs as f64 + 1.0) / (df + 0.5)).ln().max(0.1)
    }

    /// The best documents for `query`, best first, at most `limit`.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        let q = self.terms(query);
        if q.is_empty() {
            return Vec::new();
        }
        let q_weights: Vec<f64> = q.iter().map(|t| self.idf(t)).collect();
        let q_total: f64 = q_weights.iter().sum();
        let mut best: HashMap<usize, f64> = HashMap::new();
        for (doc, p) in &self.phrasings {
            let p_weights: Vec<f64> = p.iter().map(|t| self.idf(t)).collect();
            let p_total: f64 = p_weights.iter().sum();
            let mut q_hit = 0.0;
            let mut p_used = vec![0.0_f64; p.len()];
            for (qt, qw) in q.iter().zip(&q_weights) {
                let mut best_sim = 0.0;
                let mut best_j = None;
                for (j, pt) in p.iter().enumerate() {
                    let s = term_similarity(qt, pt);
                    if s > best_sim {
                        best_sim = s;
                        best_j = Some(j);
                    }
                }
                if let Some(j) = best_j {
                    q_hit += qw * best_sim;
                    p_used[j] = p_used[j].max(best_sim);
                }
            }
            let p_hit: f64 = p_used.iter().zip(&p_weights).map(|(s, w)| s * w).sum();
            // Harmonic-style blend: the query must be covered, and the
            // phrasing should not be much more specific than the query.
            let recall = q_hit / q_total.max(f64::EPSILON);
            let precision = p_hit / p_total.max(f64::EPSILON);
            let score = 0.7 * recall + 0.3 * precision;
            let e = best.entry(*doc).or_default();
            if score > *e {
                *e = score;
            }
        }
        let mut hits: Vec<Hit> = best
            .into_iter()
            .filter(|(_, s)| *s > 0.0)
            .map(|(doc, score)| Hit { doc, score })
            .collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));
        hits.truncate(limit);
        hits
    }
}

/// How alike two folded terms are: 1 for equal, less for compound parts and
/// near spellings, 0 otherwise.
pub fn term_similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.len() >= PART_MIN_LEN && (long.ends_with(short) || long.starts_with(short)) {
        return PART_WEIGHT;
    }
    let jw = strsim::jaro_winkler(a, b);
    if jw >= FUZZY_MIN && short.len() >= 4 {
        return jw * 0.9;
    }
    0.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> Index {
        let mut i = Index::new();
        i.add(["Wie beantrage ich einen Reisepass?", "Reisepass beantragen"]);
        i.add(["Wie melde ich meinen Wohnsitz ab?", "Wohnsitz abmelden"]);
        i.add(["Wo ist das Fundbüro?", "Ich habe etwas verloren"]);
        i
    }

    #[test]
    fn paraphrase_finds_the_entry() {
        let hits = index().search("wie kann ich mich abmelden", 3);
        assert_eq!(hits.first().map(|h| h.doc), Some(1));
    }

    #[test]
    fn misspelling_still_matches() {
        let hits = index().search("reisepas beantragen", 3);
        assert_eq!(hits.first().map(|h| h.doc), Some(0));
    }

    #[test]
    fn compound_part_matches() {
        assert!(term_similarity("wohnsitzabmeldung", "abmeldung") > 0.0);
    }

    #[test]
    fn unrelated_query_has_no_hit() {
        assert!(index().search("Pizza bestellen", 3).is_empty());
    }
}
