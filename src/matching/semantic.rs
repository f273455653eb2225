//! Sentence vectors of a corpus's documents, stored compactly, and the
//! cosine of a question to each document.
//!
//! A document has several phrasings and two summary views: its first
//! question with its answer (as an e5 "passage"), and all its questions
//! with its tags. Its semantic score is the mean of the best phrasing's
//! cosine and the two views' cosines: a citizen's question is close to one
//! phrasing, or else to what the answer talks about. On the development
//! corpora of other cities (`tests/eval/cities/`, two phrasings per entry)
//! the mean of the three found the right entry first 5 to 14 points more
//! often than the best phrasing alone.
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
    /// How many of each document's rows, at its end, are summary views
    /// rather than phrasings.
    pub views: u32,
}

/// What a document is embedded from.
#[derive(Clone, Debug, Default)]
pub struct DocText {
    /// Its phrasings (questions).
    pub phrasings: Vec<String>,
    /// The first phrasing with the answer.
    pub passage: String,
    /// Every phrasing and keyword.
    pub summary: String,
}

/// Summary views per document ([`DocText::passage`], [`DocText::summary`]).
pub const VIEWS: u32 = 2;

impl PhraseVectors {
    /// Embeds every phrasing of every document (`docs[d]` are document
    /// `d`'s phrasings).
    pub fn build(encoder: &Encoder, model: &str, docs: &[DocText]) -> Self {
        let mut out = PhraseVectors {
            model: model.to_string(),
            views: VIEWS,
            ..Default::default()
        };
        for d in docs {
            for p in &d.phrasings {
                out.push(&encoder.embed(p, Kind::Query));
            }
            out.push(&encoder.embed(&d.passage, Kind::Passage));
            out.push(&encoder.embed(&d.summary, Kind::Query));
            out.doc_ends
                .push(u32::try_from(out.scales.len()).unwrap_or(u32::MAX));
        }
        out
    }

    /// One document per text, each its own single phrasing (no views).
    pub fn build_plain<'a>(
        encoder: &Encoder,
        model: &str,
        texts: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        let mut out = PhraseVectors {
            model: model.to_string(),
            ..Default::default()
        };
        for t in texts {
            out.push(&encoder.embed(t, Kind::Query));
            out.doc_ends
                .push(u32::try_from(out.scales.len()).unwrap_or(u32::MAX));
        }
        out
    }

    /// The best cosine of `q` to any row.
    pub fn nearest(&self, q: &[f32]) -> f32 {
        (0..self.scales.len())
            .map(|r| self.cos_row(q, r))
            .fold(-1f32, f32::max)
    }

    fn push(&mut self, v: &[f32]) {
        let max = v.iter().fold(0f32, |m, x| m.max(x.abs()));
        let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
        self.rows.extend(
            v.iter()
                .map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8 as u8),
        );
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
        let views = self.views as usize;
        (0..self.docs())
            .map(|d| {
                let rows = self.rows_of(d);
                let split = rows.end.saturating_sub(views).max(rows.start);
                let best = (rows.start..split)
                    .filter(|&r| Some(r) != skip)
                    .map(|r| self.cos_row(q, r))
                    .fold(-1f32, f32::max);
                let summary: f32 = (split..rows.end).map(|r| self.cos_row(q, r)).sum();
                (best + summary) / (1 + rows.end - split) as f32
            })
            .collect()
    }

    /// True when `row` is a phrasing, not a summary view.
    pub fn is_phrasing(&self, row: usize) -> bool {
        let end = self.rows_of(self.doc_of(row)).end;
        row + (self.views as usize) < end
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
