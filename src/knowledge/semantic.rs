//! The FAQ's sentence vectors and what they are measured against: the
//! encoder's side of the hybrid match.
//!
//! A corpus's phrasings are embedded once (by `city-skill compile`, or at
//! the first question that needs them for a corpus given as texts) and
//! measured against two references that make a score mean the same on any
//! city's corpus ([`Calibration`]): how close questions no city answers
//! come to this corpus, and how close its own phrasings come to each
//! other.

use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::lang::Lang;
use crate::matching::encoder::{model_sha256, Encoder, Kind};
use crate::matching::semantic::PhraseVectors;
use crate::matching::Matcher;

/// Questions no city answers (banking, shopping, weather, streaming, small
/// talk, and private matters that share words with city services), in
/// German and English: the floor every corpus is measured against.
const OUT_OF_SCOPE: &str = include_str!("../matching/out_of_scope.tsv");

/// Phrasings scored against the others, at most: enough for stable
/// quantiles, bounded for corpora of ten thousand entries.
const SELF_SAMPLE: usize = 300;

/// The shipped out-of-scope questions of `lang`.
pub fn out_of_scope(lang: Lang) -> impl Iterator<Item = &'static str> {
    OUT_OF_SCOPE
        .lines()
        .skip(1)
        .filter_map(move |l| l.split_once('\t'))
        .filter(move |(code, _)| *code == lang.code())
        .map(|(_, q)| q.trim())
        .filter(|q| !q.is_empty())
}

/// How this corpus scores questions it cannot answer and questions it can.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Calibration {
    /// Per out-of-scope question: its best cosine to an entry.
    pub oos_cosine: Vec<f32>,
    /// Per out-of-scope question (as in `oos_cosine`): its best lexical
    /// confidence.
    pub oos_lexical: Vec<f32>,
    /// Per sampled phrasing: its best cosine to its own entry's other
    /// phrasings (sorted).
    pub own_cosine: Vec<f32>,
    /// Per sampled phrasing: its best cosine to another entry (sorted).
    pub other_cosine: Vec<f32>,
}

/// The `q`-quantile of sorted `values` (0 when empty).
pub fn quantile(values: &[f32], q: f32) -> f32 {
    match values.len() {
        0 => 0.0,
        n => values[((n - 1) as f32 * q.clamp(0.0, 1.0)).round() as usize],
    }
}

impl Calibration {
    /// Measures a corpus: the out-of-scope questions (the shipped set and
    /// the corpus's own) against its vectors and lexical index, and a
    /// sample of its phrasings against the others.
    pub fn measure(
        encoder: &Encoder,
        vectors: &PhraseVectors,
        matcher: &Matcher,
        out_of_scope: &[&str],
    ) -> Self {
        let mut c = Calibration::default();
        for q in out_of_scope {
            let v = encoder.embed(q, Kind::Query);
            let best = vectors.scores(&v, None).into_iter().fold(-1f32, f32::max);
            c.oos_cosine.push(best);
            c.oos_lexical
                .push(matcher.search(q, 1).first().map_or(0.0, |s| s.confidence));
        }
        let rows = vectors.scales.len();
        let step = rows.div_ceil(SELF_SAMPLE).max(1);
        for row in (0..rows).step_by(step) {
            let doc = vectors.doc_of(row);
            let scores = vectors.scores(&vectors.row(row), Some(row));
            let own = scores.get(doc).copied().unwrap_or(-1.0);
            let other = (scores.iter().enumerate())
                .filter(|(d, _)| *d != doc)
                .map(|(_, s)| *s)
                .fold(-1f32, f32::max);
            if own > -1.0 {
                c.own_cosine.push(own);
            }
            c.other_cosine.push(other);
        }
        for v in [&mut c.own_cosine, &mut c.other_cosine] {
            v.sort_by(f32::total_cmp);
        }
        c
    }
}

/// A language's vectors and calibration.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Semantic {
    /// Every phrasing's vector, by index document.
    pub vectors: PhraseVectors,
    /// What the scores of this corpus mean.
    pub calibration: Calibration,
}

impl Semantic {
    /// Embeds `docs` (each index document's phrasings) and calibrates.
    pub fn build(
        encoder: &Encoder,
        lang: Lang,
        docs: &[Vec<String>],
        matcher: &Matcher,
        own_out_of_scope: &[String],
    ) -> Self {
        let started = Instant::now();
        let vectors = PhraseVectors::build(encoder, model_sha256(), docs);
        let mut oos: Vec<&str> = out_of_scope(lang).collect();
        oos.extend(own_out_of_scope.iter().map(String::as_str));
        let calibration = Calibration::measure(encoder, &vectors, matcher, &oos);
        tracing::info!(
            %lang,
            phrasings = vectors.scales.len(),
            ms = started.elapsed().as_millis() as u64,
            "FAQ vectors computed"
        );
        Semantic {
            vectors,
            calibration,
        }
    }

    /// Serialised for a compiled corpus: the model's SHA-256 first (64
    /// bytes), so that a start can refuse another model's vectors without
    /// decoding them.
    pub fn to_bytes(&self) -> Result<Vec<u8>, postcard::Error> {
        let mut out = self.vectors.model.as_bytes().to_vec();
        out.extend(postcard::to_stdvec(self)?);
        Ok(out)
    }

    /// The model a serialised [`Semantic`] was made with.
    pub fn model_of(bytes: &[u8]) -> Option<&str> {
        std::str::from_utf8(bytes.get(..64)?).ok()
    }

    /// Reads [`Semantic::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, postcard::Error> {
        let s: Semantic = postcard::from_bytes(bytes.get(64..).unwrap_or_default())?;
        match s.vectors.is_consistent() {
            true => Ok(s),
            false => Err(postcard::Error::DeserializeBadEncoding),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_out_of_scope_set_speaks_both_languages() {
        assert!(out_of_scope(Lang::De).count() >= 200);
        assert!(out_of_scope(Lang::En).count() >= 200);
    }

    #[test]
    fn quantiles_of_sorted_values() {
        let v = [0.1, 0.2, 0.3, 0.4, 0.5];
        assert_eq!(quantile(&v, 0.0), 0.1);
        assert_eq!(quantile(&v, 0.5), 0.3);
        assert_eq!(quantile(&v, 1.0), 0.5);
        assert_eq!(quantile(&[], 0.5), 0.0);
    }
}

/// An entry the hybrid match considers, with both its scores.
#[derive(Clone, Debug)]
pub struct Candidate<'a> {
    /// The entry.
    pub entry: &'a super::FaqEntry,
    /// The lexical matcher's confidence (0 when it did not rank it).
    pub lexical: f64,
    /// The best cosine of the question to one of its phrasings, when the
    /// encoder is there.
    pub semantic: Option<f64>,
}

/// Candidates the lexical matcher is asked for: enough that the entry the
/// encoder prefers is usually among them with its lexical score.
const LEXICAL_CANDIDATES: usize = 24;

impl super::Knowledge {
    /// The best entries for `query` in `lang` by either score, each with
    /// both: the lexical matcher's top ones and the encoder's top ones.
    pub fn candidates(&self, query: &str, lang: Lang, limit: usize) -> Vec<Candidate<'_>> {
        let (matcher, docs) = self.faq_index(lang);
        let lexical = matcher.search(query, LEXICAL_CANDIDATES);
        let semantic = (self.semantic(lang))
            .zip(self.encoder.get())
            .map(|(s, e)| s.vectors.scores(&e.embed(query, Kind::Query), None));
        let mut picked: Vec<usize> = lexical.iter().take(limit).map(|s| s.doc).collect();
        if let Some(scores) = &semantic {
            let mut order: Vec<usize> = (0..scores.len()).collect();
            order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
            picked.extend(order.into_iter().take(limit));
        }
        picked.sort_unstable();
        picked.dedup();
        picked
            .into_iter()
            .filter_map(|doc| {
                let entry = self.faq.get(*docs.get(doc)?)?;
                let lexical = (lexical.iter())
                    .find(|s| s.doc == doc)
                    .map_or(0.0, |s| f64::from(s.confidence));
                let semantic = semantic
                    .as_ref()
                    .and_then(|s| s.get(doc))
                    .map(|&c| f64::from(c));
                Some(Candidate {
                    entry,
                    lexical,
                    semantic,
                })
            })
            .collect()
    }
}
