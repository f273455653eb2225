//! Sentence vectors of a corpus's documents, stored compactly, and the
//! cosine of a question to each document.
//!
//! A document has several phrasings, its answer's sentences, and two
//! summary views: its first question with its answer (as an e5
//! "passage"), and all its questions with its tags. Its semantic score is
//! the mean of the best phrasing's cosine and the two views' cosines: a
//! citizen's question is close to one phrasing, or else to what the answer
//! talks about. On the development corpora of other cities
//! (`tests/eval/cities/`, two phrasings per entry) the mean of the three
//! found the right entry first 5 to 14 points more often than the best
//! phrasing alone. That mean is blended with the best answer sentence
//! ([`SENTENCE_WEIGHT`]): the detail that tells two neighbouring entries
//! apart ("wenn Sie umziehen", "bei Verlust") is often one sentence of the
//! answer, drowned in the whole answer's vector.
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
    /// Per document, the first of its rows that is an answer sentence
    /// rather than a phrasing (equal to the views' start when it has none).
    pub sentence_starts: Vec<u32>,
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
    /// Its answer's sentences ([`answer_sentences`]), each an e5 "passage".
    pub sentences: Vec<String>,
    /// The first phrasing with the answer.
    pub passage: String,
    /// Every phrasing and keyword.
    pub summary: String,
}

/// Summary views per document ([`DocText::passage`], [`DocText::summary`]).
pub const VIEWS: u32 = 2;

impl DocText {
    /// How many vector rows [`PhraseVectors::build`] gives this document.
    pub fn rows(&self) -> usize {
        self.phrasings.len() + self.sentences.len() + VIEWS as usize
    }
}

/// The share of the best answer sentence in a document's score. Chosen
/// with the pure encoder on the four development corpora of other cities
/// (`tests/eval/cities/`, top-1 in scope without rejection), where 0.3
/// was best or level on each (Köln 63.8 % without sentences, 68.1 % with;
/// 0.1, 0.2 and 0.5 less); the report-only Hannover and Dresden went the
/// same way when measured after (83.2 → 86.5 %, 92.0 → 93.2 %).
pub const SENTENCE_WEIGHT: f32 = 0.3;

/// At most this many sentences of an answer are embedded: a long answer
/// pasted from a web page would otherwise cost one encoder pass per
/// sentence when the corpus is compiled, and its first sentences say what
/// it is about.
pub const MAX_SENTENCES: usize = 8;

/// The sentences of an answer worth a vector of their own: split after
/// `.`, `!` or `?` followed by a space and not by a lower-case letter or a
/// digit ("z. B. bar", "Nr. 5" go on), at least three words each, at most
/// [`MAX_SENTENCES`].
pub fn answer_sentences(answer: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in answer.char_indices() {
        let end = i + c.len_utf8();
        let rest = &answer[end..];
        let at_break = matches!(c, '.' | '!' | '?')
            && rest.starts_with(char::is_whitespace)
            && !(rest.trim_start().chars().next())
                .is_some_and(|n| n.is_lowercase() || n.is_ascii_digit());
        if at_break || rest.is_empty() {
            let sentence = answer[start..end].trim();
            if sentence.split_whitespace().count() >= 3 {
                out.push(sentence.to_string());
            }
            start = end;
            if out.len() == MAX_SENTENCES {
                break;
            }
        }
    }
    out
}

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
            out.sentence_starts
                .push(u32::try_from(out.scales.len()).unwrap_or(u32::MAX));
            for p in &d.sentences {
                out.push(&encoder.embed(p, Kind::Passage));
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
            out.sentence_starts
                .push(u32::try_from(out.scales.len()).unwrap_or(u32::MAX));
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
            && self.sentence_starts.len() == self.doc_ends.len()
            && (self.sentence_starts.iter().zip(&self.doc_ends)).all(|(s, e)| s <= e)
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

    /// Where document `d`'s answer sentences start (its views' start when
    /// the vectors have none).
    fn sentence_start(&self, d: usize, views_start: usize) -> usize {
        (self.sentence_starts.get(d))
            .map_or(views_start, |&s| s as usize)
            .min(views_start)
    }

    /// Per document, its score for `q`: the mean of the best cosine with
    /// one of its phrasings and its views' cosines, blended with its best
    /// answer sentence ([`SENTENCE_WEIGHT`]; without sentences, the
    /// passage view stands in). `skip`: a phrasing row left out, for
    /// scoring a phrasing against the others. O(rows × DIM).
    pub fn scores(&self, q: &[f32], skip: Option<usize>) -> Vec<f32> {
        let views = self.views as usize;
        (0..self.docs())
            .map(|d| {
                let rows = self.rows_of(d);
                let split = rows.end.saturating_sub(views).max(rows.start);
                let sentences = self.sentence_start(d, split).max(rows.start);
                let best = (rows.start..sentences)
                    .filter(|&r| Some(r) != skip)
                    .map(|r| self.cos_row(q, r))
                    .fold(-1f32, f32::max);
                let passage = (split < rows.end).then(|| self.cos_row(q, split));
                let others: f32 = (split + 1..rows.end).map(|r| self.cos_row(q, r)).sum();
                // Views summed first: the same float sums, so the same
                // compilation, byte for byte, as before.
                let mean =
                    (best + (passage.unwrap_or(0.0) + others)) / (1 + rows.end - split) as f32;
                let sentence = (sentences..split)
                    .map(|r| self.cos_row(q, r))
                    .reduce(f32::max)
                    .or(passage);
                match sentence {
                    Some(s) => (1.0 - SENTENCE_WEIGHT) * mean + SENTENCE_WEIGHT * s,
                    None => mean,
                }
            })
            .collect()
    }

    /// True when `row` is a phrasing, not an answer sentence or a
    /// summary view.
    pub fn is_phrasing(&self, row: usize) -> bool {
        let d = self.doc_of(row);
        let split = self.rows_of(d).end.saturating_sub(self.views as usize);
        row < self.sentence_start(d, split)
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
            p.sentence_starts.push(p.scales.len() as u32);
            p.doc_ends.push(p.scales.len() as u32);
        }
        p
    }

    /// Documents of phrasings and answer sentences (no views).
    fn with_sentences(docs: &[(&[u32], &[u32])]) -> PhraseVectors {
        let mut p = PhraseVectors::default();
        for (phrasings, sentences) in docs {
            phrasings.iter().for_each(|&s| p.push(&unit(s)));
            p.sentence_starts.push(p.scales.len() as u32);
            sentences.iter().for_each(|&s| p.push(&unit(s)));
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

    #[test]
    fn an_answer_sentence_close_to_the_question_lifts_its_document() {
        let p = with_sentences(&[(&[1], &[5]), (&[2], &[6])]);
        let q = unit(5);
        let s = p.scores(&q, None);
        assert!(s[0] > s[1], "{s:?}");
        let expected = (1.0 - SENTENCE_WEIGHT) * cosine(&q, &unit(1)) + SENTENCE_WEIGHT;
        assert!((s[0] - expected).abs() < 0.01, "{s:?}");
    }

    #[test]
    fn answer_sentences_are_not_phrasings() {
        let p = with_sentences(&[(&[1, 2], &[3, 4])]);
        assert!(p.is_consistent());
        assert_eq!(
            (0..4).map(|r| p.is_phrasing(r)).collect::<Vec<_>>(),
            [true, true, false, false]
        );
    }

    #[test]
    fn an_answer_is_split_into_sentences_of_three_words_or_more() {
        let s = answer_sentences("Bitte vereinbaren Sie einen Termin. Danke! Die Gebühr beträgt 37 Euro, z.B. bar oder mit Karte.");
        assert_eq!(
            s,
            [
                "Bitte vereinbaren Sie einen Termin.",
                "Die Gebühr beträgt 37 Euro, z.B. bar oder mit Karte."
            ]
        );
    }

    #[test]
    fn a_long_answer_gives_at_most_max_sentences() {
        let answer = "Das ist ein Satz. ".repeat(MAX_SENTENCES + 3);
        assert_eq!(answer_sentences(&answer).len(), MAX_SENTENCES);
    }
}
