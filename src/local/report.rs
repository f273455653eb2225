//! `city-skill report`: counts the unanswered questions in the skill's logs,
//! so the FAQ can grow where citizens need it. The lines are written by
//! [`crate::skill::unanswered`]; this reader re-redacts what it reads.

use std::collections::HashMap;
use std::fmt;
use std::io::BufRead;

use serde_json::Value;

use crate::skill::unanswered::{redact, Outcome, MESSAGE};

/// One question as the report counts it.
#[derive(Clone, Debug, Default)]
pub struct Row {
    /// How often it was asked.
    pub count: usize,
    /// How often it was rejected (the rest were doubted).
    pub rejected: usize,
    /// The locale it was asked in.
    pub locale: String,
    /// The redacted question.
    pub question: String,
    /// The entry it came closest to most often, if any.
    pub best: Option<String>,
}

/// The unanswered questions found in some logs.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Lines read.
    pub lines: usize,
    /// Unanswered-question lines among them.
    pub unanswered: usize,
    /// Of those, rejected.
    pub rejected: usize,
    /// Distinct questions, most asked first.
    pub rows: Vec<Row>,
}

/// Counts the unanswered questions in log lines, read line by line from
/// each input in turn: the skill's JSON lines as written to stdout, or as
/// exported from CloudWatch (anything before the first `{` of a line is
/// ignored, and so are lines that are not ours). Invalid UTF-8 is replaced,
/// so a log cut mid-character still reports the rest.
///
/// # Errors
/// When reading fails.
pub fn summarise<R: BufRead>(inputs: impl IntoIterator<Item = R>) -> std::io::Result<Report> {
    let mut report = Report::default();
    let mut rows: HashMap<(String, String), (Row, HashMap<String, usize>)> = HashMap::new();
    for line in inputs.into_iter().flat_map(|input| input.split(b'\n')) {
        let line = line?;
        report.lines += 1;
        let Some((locale, question, outcome, best)) = parse_line(&String::from_utf8_lossy(&line))
        else {
            continue;
        };
        report.unanswered += 1;
        let (row, bests) = rows
            .entry((locale.clone(), question.clone()))
            .or_insert_with(|| {
                (
                    Row {
                        locale,
                        question,
                        ..Row::default()
                    },
                    HashMap::new(),
                )
            });
        row.count += 1;
        if outcome == Outcome::Rejected {
            row.rejected += 1;
            report.rejected += 1;
        }
        if let Some(b) = best {
            *bests.entry(b).or_default() += 1;
        }
    }
    report.rows = rows
        .into_values()
        .map(|(mut row, bests)| {
            row.best = bests
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
                .map(|(id, _)| id);
            row
        })
        .collect();
    report.rows.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.locale.cmp(&b.locale))
            .then_with(|| a.question.cmp(&b.question))
    });
    Ok(report)
}

/// (locale, question, outcome, best entry) of an unanswered-question line.
fn parse_line(line: &str) -> Option<(String, String, Outcome, Option<String>)> {
    let json = &line[line.find('{')?..];
    let v: Value = serde_json::from_str(json).ok()?;
    // tracing's JSON puts the fields under "fields"; accept them flat too.
    let f = v.get("fields").unwrap_or(&v);
    if f.get("message").and_then(Value::as_str) != Some(MESSAGE) {
        return None;
    }
    let text = |k: &str| f.get(k).and_then(Value::as_str).unwrap_or("");
    // Re-redact: the report must not repeat what an older or edited log
    // might hold.
    let question = redact(text("question"));
    if question.is_empty() {
        return None;
    }
    let outcome = Outcome::parse(text("outcome"))?;
    let best = Some(text("best"))
        .filter(|b| !b.is_empty())
        .map(str::to_string);
    Some((text("locale").to_string(), question, outcome, best))
}

impl Report {
    /// The first `top` rows asked at least `min_count` times, as a table.
    /// A question asked only once is the likeliest to be personal (a name
    /// said in passing); a city can hide those with `min_count` 2 or more.
    pub fn table(&self, top: usize, min_count: usize) -> Table<'_> {
        Table {
            report: self,
            top,
            min_count,
        }
    }
}

/// A [`Report`] shown as text.
pub struct Table<'a> {
    report: &'a Report,
    top: usize,
    min_count: usize,
}

impl fmt::Display for Table<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = self.report;
        writeln!(
            f,
            "{} unanswered questions in {} log lines ({} rejected, {} doubted), {} different",
            r.unanswered,
            r.lines,
            r.rejected,
            r.unanswered - r.rejected,
            r.rows.len()
        )?;
        let shown: Vec<&Row> = r
            .rows
            .iter()
            .filter(|row| row.count >= self.min_count)
            .collect();
        if shown.len() < r.rows.len() {
            writeln!(
                f,
                "{} asked fewer than {} times are not listed",
                r.rows.len() - shown.len(),
                self.min_count
            )?;
        }
        if shown.is_empty() {
            return Ok(());
        }
        writeln!(f)?;
        writeln!(
            f,
            "{:>5}  {:>8}  {:<6}  {:<32}  question",
            "count", "rejected", "locale", "closest entry"
        )?;
        for row in shown.iter().take(self.top) {
            writeln!(
                f,
                "{:>5}  {:>8}  {:<6}  {:<32}  {}",
                row.count,
                row.rejected,
                row.locale,
                row.best.as_deref().unwrap_or("-"),
                row.question
            )?;
        }
        if shown.len() > self.top {
            writeln!(f, "… and {} more", shown.len() - self.top)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summarise_counts_questions_and_ignores_other_lines() {
        let logs = r#"{"timestamp":"t","level":"INFO","fields":{"message":"handled","intent":"QuestionIntent"}}
2026-11-25T10:00:00Z abc {"level":"INFO","fields":{"message":"unanswered question","question":"hund anmelden","outcome":"rejected","locale":"de-DE","best":""}}
{"level":"INFO","fields":{"message":"unanswered question","question":"hund anmelden","outcome":"doubted","locale":"de-DE","best":"hundesteuer","score":0.5}}
{"level":"INFO","fields":{"message":"unanswered question","question":"dog licence","outcome":"doubted","locale":"en-US","best":"hundesteuer","score":0.5}}
not json at all
"#;
        let r = summarise([logs.as_bytes()]).expect("reads");
        assert_eq!((r.lines, r.unanswered, r.rejected), (5, 3, 1));
        assert_eq!(r.rows.len(), 2);
        assert_eq!(r.rows[0].question, "hund anmelden");
        assert_eq!((r.rows[0].count, r.rows[0].rejected), (2, 1));
        assert_eq!(r.rows[0].best.as_deref(), Some("hundesteuer"));
        let text = r.table(10, 1).to_string();
        assert!(text.contains("hund anmelden") && text.contains("dog licence"));
    }

    #[test]
    fn table_hides_questions_asked_fewer_than_min_count_times() {
        let line = |q: &str| {
            format!(
                r#"{{"fields":{{"message":"unanswered question","question":"{q}","outcome":"rejected","locale":"de-DE"}}}}"#
            )
        };
        let logs = [line("hund"), line("hund"), line("xaver huber")].join("\n");
        let r = summarise([logs.as_bytes()]).expect("reads");
        let text = r.table(10, 2).to_string();
        assert!(text.contains("hund"), "{text}");
        assert!(!text.contains("xaver"), "{text}");
        assert!(
            text.contains("1 asked fewer than 2 times are not listed"),
            "{text}"
        );
    }

    #[test]
    fn summarise_redacts_again_what_it_reads() {
        let logs = r#"{"fields":{"message":"unanswered question","question":"ruf 0171 an","outcome":"rejected","locale":"de-DE"}}"#;
        let r = summarise([logs.as_bytes()]).expect("reads");
        assert_eq!(r.rows[0].question, "ruf #### an");
    }
}
