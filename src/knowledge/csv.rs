//! FAQ import from CSV, as cities keep their FAQs in spreadsheets.
//!
//! A header row names the columns, in any order: `id`, `locale`,
//! `question`, `answer` are required; `card`, `url`, `office`, `tags`,
//! `source`, `as_of` are optional; others are ignored. Rows with the same
//! `id` and `locale` add phrasings; the answer (and card, url, …) comes from
//! the first row of the group that has one. Comma, semicolon or tab is
//! detected from the header; UTF-8 with or without BOM; quoted fields may
//! hold delimiters and newlines.

use std::collections::HashMap;

use super::load::Problem;
use super::model::{FaqEntry, FaqText};
use crate::lang::Lang;

/// What a CSV file yields: entries (with the line each starts on) and problems.
#[derive(Debug, Default)]
pub struct CsvFaq {
    /// Entries in order of first appearance, with their first line.
    pub entries: Vec<(FaqEntry, usize)>,
    /// Problems, each with its line.
    pub problems: Vec<Problem>,
}

const REQUIRED: [&str; 4] = ["id", "locale", "question", "answer"];

/// Picks the delimiter that occurs most often in the header line, outside quotes.
fn detect_delimiter(header: &str) -> u8 {
    let mut counts = [(b';', 0usize), (b',', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in header.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for c in &mut counts {
                if c.0 == b {
                    c.1 += 1;
                }
            }
        }
    }
    counts
        .iter()
        .max_by_key(|c| c.1)
        .filter(|c| c.1 > 0)
        .map_or(b',', |c| c.0)
}

/// Parses a FAQ CSV file.
pub fn parse(file: &str, bytes: &[u8]) -> CsvFaq {
    let mut out = CsvFaq::default();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            out.problems.push(Problem {
                file: file.into(),
                line,
                column: None,
                message: "not valid UTF-8 (save the spreadsheet as \"CSV UTF-8\")".into(),
            });
            return out;
        }
    };
    let header_line = text.lines().next().unwrap_or("");
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(detect_delimiter(header_line))
        .flexible(true)
        .trim(::csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_lowercase()).collect(),
        Err(e) => {
            out.problems.push(Problem::file(
                file,
                format!("cannot read the header row: {e}"),
            ));
            return out;
        }
    };
    let col = |name: &str| headers.iter().position(|h| h == name);
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|c| col(c).is_none())
        .collect();
    if !missing.is_empty() {
        out.problems.push(Problem {
            file: file.into(),
            line: 1,
            column: None,
            message: format!(
                "missing required column(s) {} (found: {})",
                missing.join(", "),
                headers.join(", ")
            ),
        });
        return out;
    }
    let idx = |name: &str| col(name).unwrap_or(usize::MAX);
    let (c_id, c_locale, c_q, c_a) = (idx("id"), idx("locale"), idx("question"), idx("answer"));
    let optional = ["card", "url", "office", "tags", "source", "as_of"].map(col);
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                out.problems.push(Problem {
                    file: file.into(),
                    line,
                    column: None,
                    message: format!("malformed row: {e}"),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        let get = |i: usize| record.get(i).unwrap_or("").trim();
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let id = get(c_id);
        if id.is_empty() {
            out.problems.push(problem(file, line, "empty id"));
            continue;
        }
        let lang = match get(c_locale).to_lowercase().get(..2) {
            Some("de") => Lang::De,
            Some("en") => Lang::En,
            _ => {
                out.problems.push(problem(
                    file,
                    line,
                    &format!(
                        "unknown locale {:?} (use de-DE, en-US or en-GB)",
                        get(c_locale)
                    ),
                ));
                continue;
            }
        };
        let i = *by_id.entry(id.to_string()).or_insert_with(|| {
            out.entries.push((
                FaqEntry {
                    id: id.to_string(),
                    ..FaqEntry::default()
                },
                line,
            ));
            out.entries.len() - 1
        });
        let entry = &mut out.entries[i].0;
        let first_nonempty = |slot: &mut Option<String>, v: &str| {
            if slot.is_none() && !v.is_empty() {
                *slot = Some(v.to_string());
            }
        };
        let [card, url, office, tags, source, as_of] = optional.map(|c| c.map_or("", get));
        first_nonempty(&mut entry.url, url);
        first_nonempty(&mut entry.office, office);
        if entry.source.is_empty() {
            entry.source = source.to_string();
        }
        if entry.as_of.is_empty() {
            entry.as_of = as_of.to_string();
        }
        for t in tags
            .split([',', ';', '|'])
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            if !entry.tags.iter().any(|x| x == t) {
                entry.tags.push(t.to_string());
            }
        }
        let text = match lang {
            Lang::De => entry.de.get_or_insert_with(FaqText::default),
            Lang::En => entry.en.get_or_insert_with(FaqText::default),
        };
        let q = get(c_q);
        if !q.is_empty() && !text.questions.iter().any(|x| x == q) {
            text.questions.push(q.to_string());
        }
        if text.answer.is_empty() {
            text.answer = get(c_a).to_string();
        }
        first_nonempty(&mut text.card, card);
    }
    for (entry, line) in &out.entries {
        for lang in Lang::ALL {
            if let Some(t) = entry.text(lang) {
                if t.answer.is_empty() && entry.id != super::model::OUT_OF_SCOPE_ID {
                    out.problems.push(problem(
                        file,
                        *line,
                        &format!("FAQ {:?} ({lang}) has no answer in any row", entry.id),
                    ));
                }
                if t.questions.is_empty() {
                    out.problems.push(problem(
                        file,
                        *line,
                        &format!("FAQ {:?} ({lang}) has no question", entry.id),
                    ));
                }
            }
        }
    }
    out
}

fn problem(file: &str, line: usize, message: &str) -> Problem {
    Problem {
        file: file.into(),
        line,
        column: None,
        message: message.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_spreadsheet_export_loads() {
        let text = "\u{feff}Frage;ID;Sprache;question;answer;locale;id;Extra\r\nx;y;z;Wie melde ich mich an?;Im Bürgerbüro.;de-DE;anmeldung;egal\r\nx;y;z;Wohnsitz anmelden;;de-DE;anmeldung;egal\r\n";
        // Duplicate header names: the first `id`/`locale` column wins, so use
        // a clean export for the assertion below.
        let _ = parse("t.csv", text.as_bytes());
        let clean = "\u{feff}Extra;answer;question;locale;id\r\negal;\"Im Bürgerbüro; mit Termin.\";Wie melde ich mich an?;de-DE;anmeldung\r\n;;Wohnsitz anmelden;de-DE;anmeldung\r\n";
        let r = parse("t.csv", clean.as_bytes());
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        assert_eq!(r.entries.len(), 1);
        let de = r.entries[0].0.de.clone().unwrap_or_default();
        assert_eq!(de.questions.len(), 2);
        assert_eq!(de.answer, "Im Bürgerbüro; mit Termin.");
    }

    #[test]
    fn quoted_fields_may_hold_commas_and_newlines() {
        let text =
            "id,locale,question,answer\na,en-US,\"Where, exactly?\",\"Line one\nline two\"\n";
        let r = parse("t.csv", text.as_bytes());
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        assert_eq!(
            r.entries[0].0.en.clone().unwrap_or_default().answer,
            "Line one\nline two"
        );
    }

    #[test]
    fn missing_column_is_reported_on_line_one() {
        let r = parse("t.csv", b"id;question;answer\n");
        assert_eq!(r.problems[0].line, 1);
        assert!(r.problems[0].message.contains("locale"));
    }

    #[test]
    fn invalid_utf8_names_its_line() {
        let r = parse("t.csv", b"id,locale,question,answer\na,de,\xff,b\n");
        assert_eq!(r.problems[0].line, 2);
    }

    #[test]
    fn unknown_locale_is_a_problem_with_its_line() {
        let r = parse("t.csv", b"id,locale,question,answer\na,fr-FR,q,a\n");
        assert_eq!(r.problems[0].line, 2);
    }
}
