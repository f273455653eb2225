//! Sentence vectors of a corpus's documents, stored compactly, and the
//! cosine of a question to each document.
//!
//! A document has several phrasings; its semantic score is the best cosine
//! of any of them, as a citizen's question is one phrasing, not their mean.
//! Vectors are stored as int8 with one scale per vector: a quarter of the
//! size of f32, and cosines within 0.005 of the exact ones.

use serde::{Deserialize, Serialize};

use super::encoder::{Encoder, Kind, DIM};

/// Every phrasing's vector, grouped by document.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct PhraseVectors {
    /// SHA-256 of the model that made them.
    pub model: String,
    /// Per document, the end (exclusive) of its rows.
    pub doc_ends: Vec<u32>,
    /// `DIM` int8 values per phrasing, as bytes.
    pub rows: Vec<u8>,
    /// Per phrasing, the factor that turns its int8 values back into floats.
    pub scales: Vec<f32>,
}

impl PhraseVectors {
    /// Embeds every phrasing of every document (`docs[d]` are document
    /// `d`'s phrasings).
    pub fn build<S: AsRef<str>>(encoder: &Encoder, model: &str, docs: &[Vec<S>]) -> Self {
        let mut out = PhraseVectors {
            model: model.to_string(),
            ..Default::default()
        };
        for phrasings in docs {
            for p in phrasings {
                out.push(&encoder.embed(p.as_ref(), Kind::Query));
            }
            out.doc_ends.push(u32::try_from(out.scales.len()).unwrap_or(u32::MAX));
        }
        out
    }

    fn push(&mut self, v: &[f32]) {
        let max = v.iter().fold(0f32, |m, x| m.max(x.abs()));
        let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
        self.rows
            .extend(v.iter().map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8 as u8));
        self.scales.push(scale);
    }

    /// Number of documents.
    pub fn docs(&self) -> usize {
        self.doc_ends.len()
    }

    /// True when the rows, scales and document ends agree.
    pub fn is_consistent(&self) -> bool {
        self.rows.len() == self.scales.len() * DIM
            && self.doc_ends.windows(2).all(|w| w[0] <= w[1])
            && self.doc_ends.last().map_or(0, |&e| e as usize) == self.scales.len()
    }

    /// Cosine of `q` with phrasing `row`.
    fn cos_row(&self, q: &[f32], row: usize) -> f32 {
        let Some(r) = self.rows.get(row * DIM..(row + 1) * DIM) else {
            return 0.0;
        };
        let dot: f32 = r.iter().zip(q).map(|(&b, &x)| f32::from(b as i8) * x).sum();
        dot * self.scales.get(row).copied().unwrap_or(0.0)
    }

    /// Rows of document `d`.
    fn rows_of(&self, d: usize) -> std::ops::Range<usize> {
        let start = match d {
            0 => 0,
            _ => self.doc_ends.get(d - 1).map_or(0, |&e| e as usize),
        };
        start..self.doc_ends.get(d).map_or(start, |&e| e as usize)
    }

    /// Per document, the best cosine of `q` with one of its phrasings
    /// (`skip`: a phrasing row left out, for scoring a phrasing against
    /// the others). O(phrasings × DIM).
    pub fn scores(&self, q: &[f32], skip: Option<usize>) -> Vec<f32> {
        (0..self.docs())
            .map(|d| {
                self.rows_of(d)
                    .filter(|&r| Some(r) != skip)
                    .map(|r| self.cos_row(q, r))
                    .fold(-1f32, f32::max)
            })
            .collect()
    }

    /// Phrasing `row` as floats.
    pub fn row(&self, row: usize) -> Vec<f32> {
        let scale = self.scales.get(row).copied().unwrap_or(0.0);
        (self.rows.get(row * DIM..(row + 1) * DIM).unwrap_or(&[]))
            .iter()
            .map(|&b| f32::from(b as i8) * scale)
            .collect()
    }

    /// The document of phrasing `row`.
    pub fn doc_of(&self, row: usize) -> usize {
        self.doc_ends.partition_point(|&e| e as usize <= row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::encoder::cosine;

    fn unit(seed: u32) -> Vec<f32> {
        let v: Vec<f32> = (0..DIM as u32)
            .map(|i| (((i * 7919 + seed * 104729) % 1000) as f32 / 500.0) - 1.0)
            .collect();
        let n = cosine(&v, &v).sqrt();
        v.into_iter().map(|x| x / n).collect()
    }

    fn vectors(docs: &[&[u32]]) -> PhraseVectors {
        let mut p = PhraseVectors::default();
        for d in docs {
            for &s in *d {
                p.push(&unit(s));
            }
            p.doc_ends.push(p.scales.len() as u32);
        }
        p
    }

    #[test]
    fn quantised_cosines_are_close_to_exact_ones() {
        let p = vectors(&[&[1, 2], &[3]]);
        let q = unit(2);
        let s = p.scores(&q, None);
        assert!((s[0] - 1.0).abs() < 0.01, "{s:?}");
        assert!((s[1] - cosine(&q, &unit(3))).abs() < 0.01);
    }

    #[test]
    fn a_skipped_phrasing_does_not_score_for_its_document() {
        let p = vectors(&[&[1, 2], &[3]]);
        let with = p.scores(&unit(2), None)[0];
        let without = p.scores(&unit(2), Some(1))[0];
        assert!(with > without);
    }

    #[test]
    fn rows_know_their_document() {
        let p = vectors(&[&[1, 2], &[], &[3]]);
        assert!(p.is_consistent());
        assert_eq!([p.doc_of(0), p.doc_of(1), p.doc_of(2)], [0, 0, 2]);
    }
}
