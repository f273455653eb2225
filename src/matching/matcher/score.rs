//! Scoring: candidates from the postings of a question's features, then
//! a rerank by how much of the question each document and its best
//! phrasing explain.

use super::analysis::Term;
use super::*;

/// Strength of `f` in features sorted by feature.
pub(super) fn strength(sorted: &[(Feature, f32)], f: Feature) -> f32 {
    sorted
        .binary_search_by_key(&f, |(g, _)| *g)
        .map_or(0.0, |i| sorted[i].1)
}

impl Matcher {
    pub(super) fn idf(&self, f: Feature) -> f32 {
        self.idf.get(f as usize).copied().unwrap_or(0.05)
    }

    /// Weight of a word nobody in the corpus used: like a word in one document.
    pub(super) fn unknown_weight(&self) -> f32 {
        UNKNOWN_SHARE * ((self.len() as f32 + 1.0) / 1.5).ln().max(1.0)
    }

    /// How much of the question (`terms` with `weights`, summing to
    /// `total`) the features explain: the weighted share, and the features
    /// that explained something.
    pub(super) fn coverage(
        terms: &[Term],
        weights: &[f32],
        total: f32,
        feats: &[(Feature, f32)],
        used: &mut Vec<Feature>,
    ) -> f32 {
        let mut covered = 0.0;
        for (t, w) in terms.iter().zip(weights) {
            let mut best = 0.0f32;
            for &(f, s) in &t.features {
                let m = s * strength(feats, f);
                if m > 0.0 {
                    used.push(f);
                    best = best.max(m);
                }
            }
            covered += w * best;
        }
        covered / total.max(f32::EPSILON)
    }

    /// How well one phrasing fits: mostly the share of the question it
    /// explains, partly the share of the phrasing the question covers.
    pub(super) fn phrasing_score(
        &self,
        terms: &[Term],
        weights: &[f32],
        total: f32,
        feats: &[(Feature, f32)],
    ) -> f32 {
        let mut used = Vec::new();
        let recall = Self::coverage(terms, weights, total, feats, &mut used);
        let stems = feats
            .iter()
            .filter(|(f, _)| self.is_stem.get(*f as usize).copied().unwrap_or(false));
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
        (1.0 - PRECISION_SHARE) * recall
            + PRECISION_SHARE * precision.max(recall.min(precision + PRECISION_SLACK))
    }

    /// The best documents for `query`, best first (at most `limit`), each
    /// with a confidence in 0..=1.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Scored> {
        let query = match query.char_indices().nth(MAX_QUERY_CHARS) {
            Some((cut, _)) => &query[..cut],
            None => query,
        };
        let terms = self.analyse(&words(query));
        if terms.iter().all(|t| t.light) || self.profiles.is_empty() {
            return Vec::new();
        }
        // Weight of each term: its rarest feature, or that of an unknown word.
        let weights: Vec<f32> = terms
            .iter()
            .map(|t| {
                if t.light {
                    return LIGHT_WEIGHT;
                }
                let w = t
                    .features
                    .iter()
                    .map(|(f, _)| self.idf(*f))
                    .fold(None, |m: Option<f32>, x| Some(m.map_or(x, |m| m.max(x))))
                    .unwrap_or_else(|| self.unknown_weight());
                w * t.span as f32
            })
            .collect();
        let total: f32 = weights.iter().sum();
        // Candidates: documents sharing features with the question, by summed weight.
        // A dense accumulator: common words touch thousands of documents.
        let mut acc = vec![0.0f32; self.profiles.len()];
        let mut touched: Vec<u32> = Vec::new();
        for (t, w) in terms.iter().zip(&weights).filter(|(t, _)| !t.light) {
            for (f, s) in &t.features {
                for &(d, ds) in self.postings.row(*f as usize) {
                    if let Some(a) = acc.get_mut(d as usize) {
                        if *a == 0.0 {
                            touched.push(d);
                        }
                        *a += w * s * ds;
                    }
                }
            }
        }
        let mut cands: Vec<(u32, f32)> = touched
            .into_iter()
            .map(|d| (d, acc.get(d as usize).copied().unwrap_or(0.0)))
            .collect();
        if cands.len() > CANDIDATES {
            cands.select_nth_unstable_by(CANDIDATES - 1, |a, b| {
                b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
            });
            cands.truncate(CANDIDATES);
        }
        // Rerank: the share of the question the document explains, and its
        // best phrasing's fit. A phrasing explains no more than its whole
        // document, which bounds the confidence: documents are scored by
        // that bound, best first, until none can enter the top `limit`.
        let mut docs: Vec<(u32, f32)> = cands
            .into_iter()
            .map(|(d, _)| {
                let profile = self.profiles.row(d as usize);
                let doc = Self::coverage(&terms, &weights, total, profile, &mut Vec::new());
                (d, doc)
            })
            .collect();
        docs.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let (share, precision) = (DOC_SHARE, PRECISION_SHARE);
        let mut out: Vec<Scored> = Vec::new();
        // A few more than asked for, for the near ties below.
        let keep = limit.saturating_add(2);
        for (d, doc) in docs {
            let bound =
                share * doc + (1.0 - share) * ((1.0 - precision) * doc + precision).min(1.0);
            if out.len() >= keep && out.iter().all(|s| s.confidence > bound) {
                break;
            }
            let Some(&(a, b)) = self.doc_phrasings.get(d as usize) else {
                continue;
            };
            let phrase = (a as usize..b as usize)
                .map(|p| self.phrasing_score(&terms, &weights, total, self.phrasings.row(p)))
                .fold(0.0f32, f32::max);
            let confidence = (share * doc + (1.0 - share) * phrase).clamp(0.0, 1.0);
            if confidence > 0.0 {
                out.push(Scored {
                    doc: d as usize,
                    confidence,
                });
                out.sort_by(|a, b| {
                    b.confidence
                        .total_cmp(&a.confidence)
                        .then(a.doc.cmp(&b.doc))
                });
                out.truncate(keep);
            }
        }
        // Near ties go to the document listed first: a corpus lists the
        // general entry of a topic before the special cases.
        let tie = NEAR_TIE;
        for i in 1..out.len() {
            let mut j = i;
            while j > 0
                && out[j].doc < out[j - 1].doc
                && out[j - 1].confidence - out[j].confidence <= tie
            {
                out.swap(j, j - 1);
                j -= 1;
            }
        }
        out.truncate(limit);
        out
    }
}
