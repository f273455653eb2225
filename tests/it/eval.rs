//! The matcher on the labelled evaluation set in `tests/eval/questions.tsv`
//! (written the way citizens talk, not from the corpus phrasings): top-1
//! accuracy on in-scope questions must be at least 90 %, and at most 10 %
//! of out-of-scope questions may be answered.

use city_skill::knowledge::Knowledge;
use city_skill::lang::Locale;

const MIN_ACCURACY: f64 = 0.90;
const MAX_FALSE_ACCEPTS: f64 = 0.10;

struct Case {
    locale: Locale,
    question: String,
    expected: Option<String>,
}

fn cases() -> Vec<Case> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/eval/questions.tsv");
    let text = std::fs::read_to_string(path).unwrap();
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

#[test]
#[ignore = "issue 3 in progress: the matcher is below the 90 % target; run with --ignored"]
fn matcher_meets_the_accuracy_and_rejection_targets() {
    let k = Knowledge::embedded().unwrap();
    let cases = cases();
    let (mut in_scope, mut correct, mut out_scope, mut accepted) = (0, 0, 0, 0);
    let mut misses = Vec::new();
    for c in &cases {
        let got = k
            .answer_for(&c.question, c.locale.lang())
            .map(|(e, s)| (e.id.clone(), s));
        match &c.expected {
            Some(want) => {
                in_scope += 1;
                if got.as_ref().map(|(id, _)| id) == Some(want) {
                    correct += 1;
                } else {
                    misses.push(format!(
                        "{} {:?}: want {want}, got {got:?}",
                        c.locale, c.question
                    ));
                }
            }
            None => {
                out_scope += 1;
                if let Some(g) = got {
                    accepted += 1;
                    misses.push(format!(
                        "{} {:?}: out of scope, answered {g:?}",
                        c.locale, c.question
                    ));
                }
            }
        }
    }
    let accuracy = correct as f64 / in_scope.max(1) as f64;
    let false_accepts = accepted as f64 / out_scope.max(1) as f64;
    eprintln!(
        "eval: {} questions; in scope {in_scope}, top-1 {:.1} %; out of scope {out_scope}, answered {:.1} %",
        cases.len(),
        accuracy * 100.0,
        false_accepts * 100.0
    );
    for m in &misses {
        eprintln!("  {m}");
    }
    assert!(cases.len() >= 300, "only {} questions", cases.len());
    assert!(
        accuracy >= MIN_ACCURACY,
        "top-1 accuracy {:.1} % below {:.0} %",
        accuracy * 100.0,
        MIN_ACCURACY * 100.0
    );
    assert!(
        false_accepts <= MAX_FALSE_ACCEPTS,
        "{:.1} % of out-of-scope questions answered (max {:.0} %)",
        false_accepts * 100.0,
        MAX_FALSE_ACCEPTS * 100.0
    );
}
