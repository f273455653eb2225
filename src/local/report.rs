//! `city-skill report`: counts the unanswered questions in the skill's logs,
//! so the FAQ can grow where citizens need it, and per entry how often it
//! was answered from and how the try page's visitors rated it. The lines
//! are written by [`crate::skill::unanswered`], [`crate::skill::rating`]
//! and the request log line ("handled"); this reader re-redacts what it
//! reads. [`Report::html`] is the same as a page.

use std::collections::HashMap;
use std::fmt;
use std::io::BufRead;

use serde_json::Value;

use crate::skill::rating;
use crate::skill::unanswered::{redact, Outcome, MESSAGE};

/// The request log line's message; its `matched` field names the entry.
const HANDLED: &str = "handled";
/// The entry column of ratings of answers that came from no entry.
pub const NO_ENTRY: &str = "(no entry)";

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
    /// Ratings read.
    pub ratings: usize,
    /// Entries answered from or rated, the most "not helpful" first.
    pub entries: Vec<EntryRow>,
}

/// One entry (office, FAQ entry or event) as the report counts it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EntryRow {
    /// The entry's id, or [`NO_ENTRY`].
    pub entry: String,
    /// How often an answer came from it ("handled" lines).
    pub asked: usize,
    /// Ratings "helpful".
    pub helpful: usize,
    /// Ratings "not helpful".
    pub not_helpful: usize,
    /// What raters expected (redacted), with how often, most often first.
    pub expected: Vec<(String, usize)>,
}

/// What one log line holds for the report.
enum Line {
    Unanswered(String, String, Outcome, Option<String>),
    Handled(String),
    Rated {
        entry: Option<String>,
        helpful: bool,
        expected: String,
    },
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
    let mut entries: HashMap<String, (EntryRow, HashMap<String, usize>)> = HashMap::new();
    for line in inputs.into_iter().flat_map(|input| input.split(b'\n')) {
        let line = line?;
        report.lines += 1;
        let (locale, question, outcome, best) = match parse_line(&String::from_utf8_lossy(&line)) {
            Some(Line::Unanswered(locale, question, outcome, best)) => {
                (locale, question, outcome, best)
            }
            Some(Line::Handled(entry)) => {
                entry_row(&mut entries, entry).0.asked += 1;
                continue;
            }
            Some(Line::Rated {
                entry,
                helpful,
                expected,
            }) => {
                report.ratings += 1;
                let (row, comments) =
                    entry_row(&mut entries, entry.unwrap_or_else(|| NO_ENTRY.into()));
                match helpful {
                    true => row.helpful += 1,
                    false => row.not_helpful += 1,
                }
                if !expected.is_empty() {
                    *comments.entry(expected).or_default() += 1;
                }
                continue;
            }
            None => continue,
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
    report.entries = entries
        .into_values()
        .map(|(mut row, comments)| {
            row.expected = comments.into_iter().collect();
            row.expected
                .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            row
        })
        .collect();
    report.entries.sort_by(|a, b| {
        (b.not_helpful, b.helpful + b.not_helpful, b.asked, &a.entry).cmp(&(
            a.not_helpful,
            a.helpful + a.not_helpful,
            a.asked,
            &b.entry,
        ))
    });
    Ok(report)
}

fn entry_row(
    entries: &mut HashMap<String, (EntryRow, HashMap<String, usize>)>,
    entry: String,
) -> &mut (EntryRow, HashMap<String, usize>) {
    entries.entry(entry.clone()).or_insert_with(|| {
        (
            EntryRow {
                entry,
                ..EntryRow::default()
            },
            HashMap::new(),
        )
    })
}

/// What a line holds for the report: an unanswered question (locale,
/// question, outcome, best entry), an answer from an entry, or a rating.
fn parse_line(line: &str) -> Option<Line> {
    let json = &line[line.find('{')?..];
    let v: Value = serde_json::from_str(json).ok()?;
    // tracing's JSON puts the fields under "fields"; accept them flat too.
    let f = v.get("fields").unwrap_or(&v);
    let text = |k: &str| f.get(k).and_then(Value::as_str).unwrap_or("");
    match text("message") {
        MESSAGE => {}
        HANDLED => return rating::entry_id(text("matched")).map(Line::Handled),
        rating::MESSAGE => {
            return Some(Line::Rated {
                entry: rating::entry_id(text("entry")),
                helpful: f.get("helpful").and_then(Value::as_bool)?,
                expected: redact(text("expected")),
            })
        }
        _ => return None,
    }
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
    Some(Line::Unanswered(
        text("locale").to_string(),
        question,
        outcome,
        best,
    ))
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

impl Table<'_> {
    /// The entries shown: the first `top`.
    fn entries(&self) -> &[EntryRow] {
        let r = self.report;
        &r.entries[..r.entries.len().min(self.top)]
    }

    /// The comments of `row` said at least `min_count` times, and how many
    /// are hidden.
    fn comments<'r>(&self, row: &'r EntryRow) -> (Vec<&'r (String, usize)>, usize) {
        let shown: Vec<_> = (row.expected.iter())
            .filter(|(_, n)| *n >= self.min_count)
            .collect();
        let hidden = row.expected.len() - shown.len();
        (shown, hidden)
    }

    /// The summary line of the ratings.
    fn ratings_line(&self) -> String {
        let r = self.report;
        let helpful: usize = r.entries.iter().map(|e| e.helpful).sum();
        format!(
            "{} entries answered from or rated; {} ratings ({} helpful, {} not helpful)",
            r.entries.len(),
            r.ratings,
            helpful,
            r.ratings - helpful
        )
    }

    fn write_entries(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = self.report;
        writeln!(f, "{}", self.ratings_line())?;
        if r.entries.is_empty() {
            return writeln!(f);
        }
        writeln!(f)?;
        writeln!(
            f,
            "{:>5}  {:>7}  {:>11}  entry",
            "asked", "helpful", "not helpful"
        )?;
        for row in self.entries() {
            writeln!(
                f,
                "{:>5}  {:>7}  {:>11}  {}",
                row.asked, row.helpful, row.not_helpful, row.entry
            )?;
            let (shown, hidden) = self.comments(row);
            for (comment, n) in shown {
                writeln!(f, "{:>28}expected ({n}×): {comment}", "")?;
            }
            if hidden > 0 {
                writeln!(
                    f,
                    "{:>28}({hidden} comments said fewer than {} times not listed)",
                    "", self.min_count
                )?;
            }
        }
        if r.entries.len() > self.top {
            writeln!(f, "… and {} more entries", r.entries.len() - self.top)?;
        }
        writeln!(f)
    }

    /// The unanswered questions shown, and how many are hidden by
    /// `min_count`.
    fn questions(&self) -> (Vec<&Row>, usize) {
        let r = self.report;
        let shown: Vec<&Row> = (r.rows.iter())
            .filter(|row| row.count >= self.min_count)
            .collect();
        let hidden = r.rows.len() - shown.len();
        (shown.into_iter().take(self.top).collect(), hidden)
    }

    /// The report as an HTML page: the same as the text, with a bar chart
    /// per entry (plain HTML and CSS, no script). Everything from the logs
    /// is escaped.
    pub fn html(&self) -> String {
        let r = self.report;
        let max = (r.entries.iter())
            .map(|e| e.asked.max(e.helpful + e.not_helpful))
            .max()
            .unwrap_or(0)
            .max(1);
        let pct = |n: usize| format!("{:.1}", n as f64 * 100.0 / max as f64);
        let mut h = String::from(HTML_HEAD);
        h.push_str(&format!("<p>{}</p>\n", escape(&self.ratings_line())));
        if !r.entries.is_empty() {
            h.push_str("<ul class=\"legend\" aria-hidden=\"true\"><li><span class=\"bar asked\"></span> asked</li><li><span class=\"bar helpful\"></span> helpful</li><li><span class=\"bar not\"></span> not helpful</li></ul>\n");
        }
        for row in self.entries() {
            h.push_str(&format!(
                "<section class=\"entry\"><h3>{}</h3>\n<dl>\n",
                escape(&row.entry)
            ));
            for (class, label, n) in [
                ("asked", "asked", row.asked),
                ("helpful", "helpful", row.helpful),
                ("not", "not helpful", row.not_helpful),
            ] {
                h.push_str(&format!(
                    "<dt>{label}</dt><dd><span class=\"bar {class}\" style=\"width: {}%\"></span> {n}</dd>\n",
                    pct(n)
                ));
            }
            h.push_str("</dl>\n");
            let (shown, hidden) = self.comments(row);
            if !shown.is_empty() || hidden > 0 {
                h.push_str("<p>What raters expected:</p>\n<ul>\n");
                for (comment, n) in shown {
                    h.push_str(&format!("<li>{} ({n}×)</li>\n", escape(comment)));
                }
                if hidden > 0 {
                    h.push_str(&format!(
                        "<li class=\"muted\">{hidden} said fewer than {} times not listed</li>\n",
                        self.min_count
                    ));
                }
                h.push_str("</ul>\n");
            }
            h.push_str("</section>\n");
        }
        if r.entries.len() > self.top {
            h.push_str(&format!(
                "<p>… and {} more entries</p>\n",
                r.entries.len() - self.top
            ));
        }
        h.push_str(&format!(
            "<h2>Unanswered questions</h2>\n<p>{}</p>\n",
            escape(&self.unanswered_line())
        ));
        let (shown, hidden) = self.questions();
        if hidden > 0 {
            h.push_str(&format!(
                "<p>{hidden} asked fewer than {} times are not listed</p>\n",
                self.min_count
            ));
        }
        if !shown.is_empty() {
            h.push_str("<table>\n<thead><tr><th scope=\"col\">count</th><th scope=\"col\">rejected</th><th scope=\"col\">locale</th><th scope=\"col\">closest entry</th><th scope=\"col\">question</th></tr></thead>\n<tbody>\n");
            for row in shown {
                h.push_str(&format!(
                    "<tr><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                    row.count,
                    row.rejected,
                    escape(&row.locale),
                    escape(row.best.as_deref().unwrap_or("-")),
                    escape(&row.question)
                ));
            }
            h.push_str("</tbody>\n</table>\n");
        }
        h.push_str("</main>\n</body>\n</html>\n");
        h
    }

    fn unanswered_line(&self) -> String {
        let r = self.report;
        format!(
            "{} unanswered questions in {} log lines ({} rejected, {} doubted), {} different",
            r.unanswered,
            r.lines,
            r.rejected,
            r.unanswered - r.rejected,
            r.rows.len()
        )
    }
}

/// The start of the HTML report, up to the entries.
const HTML_HEAD: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>city-skill report</title>
<style>
body { font: 1rem/1.5 system-ui, sans-serif; color: #1a1a1a; margin: 0; }
main { max-width: 50rem; margin: 0 auto; padding: 1rem; }
.entry { border-top: 1px solid #c7c7c7; padding: 0.5rem 0; }
.entry h3 { margin: 0.25rem 0; font-size: 1rem; overflow-wrap: anywhere; }
dl { display: grid; grid-template-columns: 7rem 1fr; gap: 0.25rem 0.5rem; margin: 0; }
dt { color: #4a4a4a; }
dd { margin: 0; display: flex; align-items: center; gap: 0.5rem; }
.bar { display: inline-block; height: 0.9rem; min-width: 2px; border-radius: 2px; }
.asked { background: #5f6368; }
.helpful { background: #0a6b2d; }
.not { background: #b3261e; }
.legend { list-style: none; display: flex; gap: 1rem; padding: 0; }
.legend .bar { width: 1.5rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.25rem 0.5rem; border-bottom: 1px solid #e0e0e0; overflow-wrap: anywhere; }
td.n { text-align: right; }
.muted { color: #4a4a4a; }
</style>
</head>
<body>
<main>
<h1>city-skill report</h1>
<h2>Entries</h2>
"#;

/// `s` safe as HTML text and attribute content.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

impl fmt::Display for Table<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = self.report;
        self.write_entries(f)?;
        writeln!(f, "{}", self.unanswered_line())?;
        let (shown, hidden) = self.questions();
        if hidden > 0 {
            writeln!(
                f,
                "{hidden} asked fewer than {} times are not listed",
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
        for row in &shown {
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
        let listed = r.rows.len() - hidden;
        if listed > self.top {
            writeln!(f, "… and {} more", listed - self.top)?;
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
    fn html_escapes_everything_read_from_the_logs() {
        let logs = r#"{"fields":{"message":"unanswered question","question":"wie","outcome":"rejected","locale":"<script>alert(1)</script>"}}
{"fields":{"message":"rating","question":"x","locale":"de-DE","entry":"","helpful":false,"expected":"<b>fett</b>"}}"#;
        let r = summarise([logs.as_bytes()]).expect("reads");
        let html = r.table(10, 1).html();
        assert!(
            !html.contains("<script>alert") && !html.contains("<b>"),
            "{html}"
        );
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
    }

    #[test]
    fn ratings_count_per_entry_with_the_answers_from_it() {
        let logs = r#"{"fields":{"message":"handled","matched":"reisepass"}}
{"fields":{"message":"handled","matched":"reisepass"}}
{"fields":{"message":"handled","matched":""}}
{"fields":{"message":"rating","question":"pass","locale":"de-DE","entry":"reisepass","helpful":true,"expected":""}}
{"fields":{"message":"rating","question":"pass","locale":"de-DE","entry":"reisepass","helpful":false,"expected":"die Gebühr"}}
{"fields":{"message":"rating","question":"drache","locale":"de-DE","entry":"","helpful":false,"expected":""}}"#;
        let r = summarise([logs.as_bytes()]).expect("reads");
        assert_eq!(r.ratings, 3);
        let pass = r
            .entries
            .iter()
            .find(|e| e.entry == "reisepass")
            .expect("row");
        assert_eq!((pass.asked, pass.helpful, pass.not_helpful), (2, 1, 1));
        assert_eq!(pass.expected, [("die gebuehr".to_string(), 1)]);
        let none = r.entries.iter().find(|e| e.entry == NO_ENTRY).expect("row");
        assert_eq!((none.asked, none.not_helpful), (0, 1));
    }

    #[test]
    fn summarise_redacts_again_what_it_reads() {
        let logs = r#"{"fields":{"message":"unanswered question","question":"ruf 0171 an","outcome":"rejected","locale":"de-DE"}}"#;
        let r = summarise([logs.as_bytes()]).expect("reads");
        assert_eq!(r.rows[0].question, "ruf #### an");
    }
}
