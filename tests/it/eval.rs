//! The matcher on labelled questions written the way citizens talk, not
//! from the corpus phrasings.
//!
//! `tests/eval/questions.tsv` is the set of issue 3: top-1 accuracy on its
//! in-scope questions must be at least 90 %, and at most 10 % of its
//! out-of-scope questions may be answered. The matcher and the Munich
//! corpus were tuned while looking at it, so `tests/eval/holdout.tsv`,
//! written later by someone who saw neither the set nor the tuning, keeps
//! the figures honest: it is held to a lower floor that only catches
//! regressions, and both sets print what the skill would do with each
//! question (answer, ask "A oder B?", or fall back to 115).

use city_skill::knowledge::{FaqMatch, Knowledge, Sources};
use city_skill::lang::Locale;
use city_skill::matching::encoder::LazyEncoder;
use std::sync::Arc;

struct Case {
    locale: Locale,
    question: String,
    expected: Option<String>,
}

fn cases(file: &str) -> Vec<Case> {
    let path = format!("{}/tests/eval/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(cols.len(), 3, "bad line {l:?}");
            Case {
                locale: Locale::from_tag(Some(cols[0])),
                question: cols[1].to_string(),
                expected: (cols[2] != "-").then(|| cols[2].to_string()),
            }
        })
        .collect()
}

/// Shares of one evaluation run.
#[derive(Debug)]
struct Score {
    questions: usize,
    /// In scope: the best-ranked entry is the expected one.
    top1: f64,
    /// In scope: answered outright with the expected entry.
    answered: f64,
    /// In scope: "Meinst du A oder B?" with the expected entry first.
    asked: f64,
    /// Out of scope: answered outright (a false accept).
    false_accepts: f64,
    /// Out of scope: a "Meinst du …?" question.
    out_asked: f64,
}

/// The lexical matcher alone (`CITY_SKILL_ENCODER=0`).
fn evaluate(file: &str) -> Score {
    let lexical = Knowledge::embedded()
        .unwrap()
        .with_encoder(Arc::new(LazyEncoder::disabled()));
    evaluate_on(&lexical, file)
}

/// The hybrid match (lexical + encoder), the default.
fn hybrid(k: Knowledge) -> Knowledge {
    k.with_encoder(Arc::new(LazyEncoder::new()))
}

fn evaluate_hybrid(file: &str) -> Score {
    evaluate_on(&hybrid(Knowledge::embedded().unwrap()), file)
}

/// A development corpus of another city (`tests/eval/cities/<city>/`).
fn city(name: &str) -> Knowledge {
    let path = format!(
        "{}/tests/eval/cities/{name}/faq.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    hybrid(
        Knowledge::from_sources(Sources::from_path(std::path::Path::new(&path)).unwrap()).unwrap(),
    )
}

fn evaluate_on(k: &Knowledge, file: &str) -> Score {
    let cases = cases(file);
    let (mut inn, mut top1, mut answered, mut asked) = (0, 0, 0, 0);
    let (mut out, mut false_accepts, mut out_asked) = (0, 0, 0);
    let mut misses = Vec::new();
    for c in &cases {
        let lang = c.locale.lang();
        let best = k
            .rank(&c.question, lang, 1)
            .first()
            .map(|(e, _)| e.id.clone());
        let outcome = k.match_question(&c.question, lang);
        let (answer, first) = match &outcome {
            FaqMatch::Answer { entry, .. } => (Some(entry.id.clone()), None),
            FaqMatch::Unsure { candidates } => {
                (None, candidates.first().map(|(e, _)| e.id.clone()))
            }
            FaqMatch::NotFound | FaqMatch::NoWordShared => (None, None),
        };
        match &c.expected {
            Some(want) => {
                inn += 1;
                top1 += usize::from(best.as_ref() == Some(want));
                answered += usize::from(answer.as_ref() == Some(want));
                asked += usize::from(first.as_ref() == Some(want));
                if best.as_ref() != Some(want) {
                    misses.push(format!(
                        "{} {:?}: want {want}, ranked {best:?} first",
                        c.locale, c.question
                    ));
                }
            }
            None => {
                out += 1;
                false_accepts += usize::from(answer.is_some());
                out_asked += usize::from(first.is_some());
                if let Some(a) = answer {
                    misses.push(format!(
                        "{} {:?}: out of scope, answered {a}",
                        c.locale, c.question
                    ));
                }
            }
        }
    }
    let share = |n: usize, of: usize| n as f64 / of.max(1) as f64;
    let score = Score {
        questions: cases.len(),
        top1: share(top1, inn),
        answered: share(answered, inn),
        asked: share(asked, inn),
        false_accepts: share(false_accepts, out),
        out_asked: share(out_asked, out),
    };
    eprintln!(
        "{file}: {} questions. In scope ({inn}): top-1 {:.1} %, answered right {:.1} %, \
         asked with the right entry first {:.1} %. Out of scope ({out}): answered {:.1} %, asked {:.1} %",
        score.questions,
        score.top1 * 100.0,
        score.answered * 100.0,
        score.asked * 100.0,
        score.false_accepts * 100.0,
        score.out_asked * 100.0
    );
    for m in &misses {
        eprintln!("  {m}");
    }
    score
}

#[test]
fn matcher_meets_the_accuracy_and_rejection_targets() {
    let s = evaluate("questions.tsv");
    assert!(s.questions >= 300, "only {} questions", s.questions);
    assert!(
        s.top1 >= 0.90,
        "top-1 accuracy {:.1} % below 90 %",
        s.top1 * 100.0
    );
    assert!(
        s.false_accepts <= 0.10,
        "{:.1} % of out-of-scope questions answered (max 10 %)",
        s.false_accepts * 100.0
    );
}

#[test]
fn matcher_holds_up_on_questions_nobody_tuned_it_for() {
    let s = evaluate("holdout.tsv");
    assert!(
        s.top1 >= 0.80,
        "held-out top-1 accuracy {:.1} % below 80 %",
        s.top1 * 100.0
    );
    assert!(
        s.false_accepts <= 0.10,
        "{:.1} % of held-out out-of-scope questions answered (max 10 %)",
        s.false_accepts * 100.0
    );
}

/// Munich's out-of-scope questions are near misses written against this
/// corpus ("Netflix abmelden", "Fundstück bei eBay verkaufen"); with the
/// weights chosen on other cities' corpora, the hybrid match answers more
/// of them than the 10 % the lexical matcher was tuned to on this set:
/// why the encoder is not on by default yet.
const MUNICH_HYBRID_FALSE_ACCEPTS: f64 = 0.18;

#[test]
fn hybrid_matcher_ranks_munichs_questions_first() {
    let s = evaluate_hybrid("questions.tsv");
    assert!(
        s.top1 >= 0.92,
        "top-1 accuracy {:.1} % below 92 %",
        s.top1 * 100.0
    );
    assert!(
        s.false_accepts <= MUNICH_HYBRID_FALSE_ACCEPTS,
        "{:.1} % answered out of scope",
        s.false_accepts * 100.0
    );
}

#[test]
fn hybrid_matcher_ranks_munichs_held_out_questions_first() {
    let s = evaluate_hybrid("holdout.tsv");
    assert!(
        s.top1 >= 0.85,
        "held-out top-1 accuracy {:.1} % below 85 %",
        s.top1 * 100.0
    );
    assert!(
        s.false_accepts <= MUNICH_HYBRID_FALSE_ACCEPTS,
        "{:.1} % answered out of scope",
        s.false_accepts * 100.0
    );
}

/// The development corpora of other cities, with the shipped weights.
/// These floors guard against regressions; they are the measured figures
/// less a margin, and below the target (90 % answered at 5 %
/// false accepts), which the README's table reports against. The held-out
/// figures (weights chosen without the corpus) are in the README too
/// (`tests/eval/tune.py`).
fn city_meets_its_floors(name: &str, answered: f64, top1: f64) {
    city_meets(name, answered, top1, 0.08);
}

fn city_meets(name: &str, answered: f64, top1: f64, false_accepts: f64) {
    let k = city(name);
    let s = evaluate_on(&k, &format!("cities/{name}/questions.tsv"));
    assert!(s.questions >= 200, "only {} questions", s.questions);
    assert!(
        s.answered >= answered,
        "{name}: answered {:.1} %",
        s.answered * 100.0
    );
    assert!(s.top1 >= top1, "{name}: top-1 {:.1} %", s.top1 * 100.0);
    assert!(
        s.false_accepts <= false_accepts,
        "{name}: {:.1} % of out-of-scope questions answered",
        s.false_accepts * 100.0
    );
}

#[test]
fn matcher_answers_koeln_from_its_export() {
    city_meets_its_floors("koeln", 0.58, 0.72);
}

#[test]
fn matcher_answers_leipzig_from_its_export() {
    city_meets_its_floors("leipzig", 0.68, 0.84);
}

#[test]
fn matcher_answers_nuernberg_from_its_export() {
    city_meets_its_floors("nuernberg", 0.54, 0.71);
}

#[test]
fn matcher_answers_freiburg_from_its_export() {
    city_meets_its_floors("freiburg", 0.64, 0.80);
}

/// Hannover and Dresden were written later, blind, the way the held-out
/// protocol describes its city (../shared/matching-targets.md), and were
/// never used to choose a weight: report-only corpora. Dresden's export is
/// comma-separated, quoted, without BOM, in de-DE and en-GB.
#[test]
fn matcher_answers_hannover_from_its_export() {
    city_meets("hannover", 0.82, 0.89, 0.06);
}

/// Dresden's false accepts (17 % at the shipped weights) are above the
/// target: the floor records them so that a change that raises them fails.
#[test]
fn matcher_answers_dresden_from_its_export() {
    city_meets("dresden", 0.86, 0.91, 0.18);
}
