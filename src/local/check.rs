//! `city-skill check`: everything wrong with a corpus and its interaction
//! models, as `file:line: what is wrong`, or a summary when all is well.

use std::collections::HashSet;

use chrono::NaiveDate;

use crate::alexa::model::{LanguageModel, ModelFile};
use crate::knowledge::load::line_col;
use crate::knowledge::{FaqEntry, Knowledge, Problem};
use crate::lang::{Lang, Locale};
use crate::matching::normalize::words;

/// Checks that a model's slot types are in sync with the corpus: `OFFICE`
/// holds exactly the corpus offices, with every name and synonym of the
/// model's language, and `EVENT_CATEGORY` exactly the calendars' categories.
pub fn model_problems(k: &Knowledge, file: &str, text: &str, locale: Locale) -> Vec<Problem> {
    let model: ModelFile = match serde_json::from_str(text) {
        Ok(m) => m,
        Err(e) => {
            return vec![Problem {
                file: file.into(),
                line: e.line(),
                column: Some(e.column()),
                message: format!("not an interaction model: {e}"),
            }]
        }
    };
    let lm = model.interaction_model.language_model;
    let mut out = office_problems(k, file, text, &lm, locale);
    out.extend(category_problems(k, file, text, &lm));
    out.extend(event_problems(k, file, text, &lm, locale));
    out
}

/// `EVENT` values (by id) against the corpus events and the names they
/// share.
fn event_problems(
    k: &Knowledge,
    file: &str,
    text: &str,
    lm: &LanguageModel,
    locale: Locale,
) -> Vec<Problem> {
    let wanted: Vec<Option<String>> = crate::local::interaction::event_values(k, locale.lang())
        .into_iter()
        .map(|v| v.id)
        .collect();
    let Some(ty) = lm.types.iter().find(|t| t.name == "EVENT") else {
        return match wanted.is_empty() {
            true => Vec::new(),
            false => vec![Problem::file(
                file,
                "no slot type EVENT, but the corpus has events (run `city-skill model`)",
            )],
        };
    };
    let have: Vec<Option<String>> = ty.values.iter().map(|v| v.id.clone()).collect();
    let mut out = Vec::new();
    for id in have.iter().filter(|id| !wanted.contains(id)) {
        let id = id.as_deref().unwrap_or("");
        out.push(Problem::line(
            file,
            line_of(text, &format!("\"id\": \"{id}\"")),
            format!("EVENT value {id:?} is not an event of the corpus"),
        ));
    }
    for id in wanted.iter().filter(|id| !have.contains(id)) {
        out.push(Problem::line(
            file,
            line_of(text, "\"EVENT\""),
            format!(
                "event {:?} of the corpus is missing from slot type EVENT (run `city-skill model`)",
                id.as_deref().unwrap_or("")
            ),
        ));
    }
    out
}

/// What `check` warns about without refusing the corpus: events whose
/// last day is before `today` (stale: their next dates are missing),
/// spoken FAQ answers that only point elsewhere, and more than 10 % of them.
pub fn warnings(k: &Knowledge, today: NaiveDate) -> Vec<String> {
    let mut out = Vec::new();
    for e in k.event_book().entries() {
        let last = e.dates.iter().map(|d| d.last()).max();
        if let Some(last) = last.filter(|l| *l < today) {
            out.push(format!(
                "event {:?} is stale: its last day, {last}, is past; add its next dates when they are published",
                e.id
            ));
        }
    }
    for e in k.faq() {
        for lang in Lang::ALL {
            if let Some(t) = e.text(lang).filter(|t| defers_only(&t.answer)) {
                out.push(format!(
                    "FAQ {:?} ({}): the spoken answer only points elsewhere: {:?}",
                    e.id,
                    lang.code(),
                    t.answer
                ));
            }
        }
    }
    let (deferring, answers) = deferring_share(k);
    if answers > 0 && deferring * 10 > answers {
        out.push(format!(
            "{deferring} of {answers} spoken FAQ answers only point elsewhere, more than 10 %"
        ));
    }
    out
}

/// Words that send the citizen elsewhere instead of answering: a web
/// site, a phone line, "ask", "find it on".
const POINTERS: &[&str] = &[
    "stadt muenchen de",
    "muenchen de",
    "www",
    "website",
    "web site",
    "webseite",
    "internetseite",
    "seite der",
    "seite des",
    "auf der seite",
    "115",
    "ruf",
    "anrufen",
    "erkundige",
    "informier",
    "frag",
    "steht auf",
    "findest du",
    "auskunft",
    "hilft dir",
    "call",
    "ask",
    "find out",
    "youll find",
    "can help",
    "check with",
    "on the page",
    "details are",
];

/// Words that carry a figure: a fee, a deadline, a validity, a count.
const FIGURES: &[&str] = &[
    "euro", "euros", "cent", "prozent", "percent", "tag", "tage", "tagen", "day", "days", "woche",
    "wochen", "week", "weeks", "monat", "monate", "monaten", "month", "months", "jahr", "jahre",
    "jahren", "year", "years", "stunden", "hours", "zwei", "drei", "vier", "fuenf", "sechs",
    "sieben", "acht", "neun", "zehn", "elf", "zwoelf", "zwanzig", "hundert", "two", "three",
    "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "twenty",
    "hundred",
];

/// True when a spoken answer points elsewhere (the web site, 115, "frag
/// …", "steht auf …") and what else it says carries no figure: no fee,
/// deadline, validity or count, in digits or words. "Ein Reisepass
/// kostet 70 Euro. Termine auf stadt.muenchen.de." answers; "Einen
/// Reisepass beantragst du im Bürgerbüro. Was er kostet, steht auf
/// stadt.muenchen.de." sends the citizen away for what they asked.
pub fn defers_only(answer: &str) -> bool {
    // Sentences end at a stop followed by a space or the end, so that
    // "stadt.muenchen.de" stays in its sentence.
    let mut sentences: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut chars = answer.chars().peekable();
    while let Some(c) = chars.next() {
        let end =
            matches!(c, '.' | '!' | '?' | ';') && chars.peek().is_none_or(|n| n.is_whitespace());
        match end {
            true => sentences.push(std::mem::take(&mut current)),
            false => current.push(c),
        }
    }
    sentences.push(current);
    let folded: Vec<Vec<String>> = (sentences.iter())
        .map(|s| words(s))
        .filter(|w| !w.is_empty())
        .collect();
    let points = |ws: &[String]| {
        let s = format!(" {} ", ws.join(" "));
        POINTERS.iter().any(|p| s.contains(&format!(" {p}")))
    };
    let figure = |ws: &[String]| {
        ws.iter()
            .any(|w| w.chars().any(|c| c.is_ascii_digit()) || FIGURES.contains(&w.as_str()))
    };
    folded.iter().any(|ws| points(ws))
        && !folded.iter().filter(|ws| !points(ws)).any(|ws| figure(ws))
}

/// The spoken FAQ answers that only defer, and all of them.
pub fn deferring_share(k: &Knowledge) -> (usize, usize) {
    let answers: Vec<&str> = (k.faq().iter())
        .filter(|e| !e.is_out_of_scope())
        .flat_map(|e| Lang::ALL.into_iter().filter_map(|l| e.text(l)))
        .map(|t| t.answer.as_str())
        .collect();
    let deferring = answers.iter().filter(|a| defers_only(a)).count();
    (deferring, answers.len())
}

/// The line of the first occurrence of `needle` in `text`, 0 if none.
fn line_of(text: &str, needle: &str) -> usize {
    text.find(needle).map_or(0, |o| line_col(text, o).0)
}

/// `EVENT_CATEGORY` values (by id, folded) against the calendars' categories.
fn category_problems(k: &Knowledge, file: &str, text: &str, lm: &LanguageModel) -> Vec<Problem> {
    let corpus: Vec<String> = k.event_categories();
    let Some(ty) = lm.types.iter().find(|t| t.name == "EVENT_CATEGORY") else {
        return match corpus.is_empty() {
            true => Vec::new(),
            false => vec![Problem::file(
                file,
                "no slot type EVENT_CATEGORY, but the calendars have categories (run `city-skill model`)",
            )],
        };
    };
    let mut out = Vec::new();
    let ids: Vec<&str> = ty.values.iter().filter_map(|v| v.id.as_deref()).collect();
    for id in &ids {
        if !corpus.iter().any(|c| words(c).concat() == *id) {
            out.push(Problem::line(
                file,
                line_of(text, &format!("\"id\": \"{id}\"")),
                format!("EVENT_CATEGORY value {id:?} is not a category of the calendars"),
            ));
        }
    }
    for c in &corpus {
        if !ids.contains(&words(c).concat().as_str()) {
            out.push(Problem::line(
                file,
                line_of(text, "\"EVENT_CATEGORY\""),
                format!("category {c:?} of the calendars is missing from slot type EVENT_CATEGORY"),
            ));
        }
    }
    out
}

fn office_problems(
    k: &Knowledge,
    file: &str,
    text: &str,
    lm: &LanguageModel,
    locale: Locale,
) -> Vec<Problem> {
    let line_of = |needle: &str| line_of(text, needle);
    let mut out = Vec::new();
    let Some(ty) = lm.types.iter().find(|t| t.name == "OFFICE") else {
        if !k.offices().is_empty() {
            out.push(Problem::file(
                file,
                "no slot type OFFICE, but the corpus has offices (run `city-skill model`)",
            ));
        }
        return out;
    };
    let type_line = line_of("\"OFFICE\"");
    let corpus: HashSet<&str> = k.offices().iter().map(|o| o.id.as_str()).collect();
    let lang = locale.lang();
    for v in &ty.values {
        let id = v.id.as_deref().unwrap_or("");
        let line = line_of(&format!("\"id\": \"{id}\""));
        let Some(office) = k.office(id) else {
            out.push(Problem::line(
                file,
                line,
                format!("OFFICE value {id:?} is not an office of the corpus"),
            ));
            continue;
        };
        let said: HashSet<String> = std::iter::once(&v.name.value)
            .chain(&v.name.synonyms)
            .map(|s| words(s).concat())
            .collect();
        let wanted = office
            .name
            .get(lang)
            .into_iter()
            .chain(office.synonyms.get(lang).into_iter().flatten());
        for w in wanted.filter(|w| crate::local::interaction::speakable(w)) {
            if !said.contains(&words(w).concat()) {
                out.push(Problem::line(
                    file,
                    line,
                    format!("OFFICE value {id:?} lacks {w:?} from the corpus"),
                ));
            }
        }
    }
    let model_ids: HashSet<&str> = ty.values.iter().filter_map(|v| v.id.as_deref()).collect();
    for id in corpus.difference(&model_ids) {
        out.push(Problem::line(
            file,
            type_line,
            format!("office {id:?} of the corpus is missing from slot type OFFICE"),
        ));
    }
    out
}

/// Counts per kind and language, for a corpus without problems.
pub fn summary(k: &Knowledge) -> String {
    let mut s = String::new();
    let per_lang =
        |f: &dyn Fn(Lang) -> usize| Lang::ALL.map(|l| format!("{l} {}", f(l))).join(", ");
    s.push_str(&format!(
        "{} offices ({}), {} with opening hours\n",
        k.offices().len(),
        per_lang(&|l| k
            .offices()
            .iter()
            .filter(|o| o.name.get(l).is_some())
            .count()),
        k.offices()
            .iter()
            .filter(|o| k.hours(&o.id).is_some())
            .count()
    ));
    let (examples, entries): (Vec<&FaqEntry>, Vec<&FaqEntry>) =
        k.faq().iter().partition(|e| e.is_out_of_scope());
    let questions = |list: &[&FaqEntry], l: Lang| -> usize {
        (list.iter())
            .filter_map(|e| e.text(l))
            .map(|t| t.questions.len())
            .sum()
    };
    s.push_str(&format!(
        "{} FAQ entries ({}), questions: {}\n",
        entries.len(),
        per_lang(&|l| entries.iter().filter(|e| e.text(l).is_some()).count()),
        per_lang(&|l| questions(&entries, l))
    ));
    if !examples.is_empty() {
        s.push_str(&format!(
            "out-of-scope examples: {}\n",
            per_lang(&|l| questions(&examples, l))
        ));
    }
    s.push_str(&format!(
        "{} event series from calendars (.ics, feed)\n",
        k.event_series().len()
    ));
    let book = k.event_book();
    let runs: Vec<_> = book.entries().iter().flat_map(|e| e.dates.iter()).collect();
    let expected = (runs.iter())
        .filter(|d| d.certainty() == crate::knowledge::Certainty::Expected)
        .count();
    s.push_str(&format!(
        "{} events with {} runs ({} confirmed, {} expected)\n",
        book.entries().len(),
        runs.len(),
        runs.len() - expected,
        expected
    ));
    let (deferring, answers) = deferring_share(k);
    let share = match answers {
        0 => 0.0,
        n => 100.0 * deferring as f64 / n as f64,
    };
    s.push_str(&format!(
        "{deferring} of {answers} spoken FAQ answers only point elsewhere ({share:.1} %; at most 10 % wanted)\n"
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::defers_only;

    #[test]
    fn an_answer_that_only_points_to_the_web_site_or_115_defers() {
        assert!(defers_only(
            "Was du mitbringen musst, steht auf stadt.muenchen.de, oder ruf die 115 an."
        ));
        assert!(defers_only(
            "You'll find the fees on stadt.muenchen.de, or call 115."
        ));
    }

    #[test]
    fn an_answer_that_sends_the_citizen_away_for_the_fee_defers() {
        assert!(defers_only(
            "Einen Reisepass beantragst du im Bürgerbüro. Was er kostet, steht auf stadt.muenchen.de."
        ));
    }

    #[test]
    fn an_answer_with_a_figure_besides_its_pointer_does_not_defer() {
        assert!(!defers_only(
            "Ein Reisepass kostet 70 Euro, unter 24 Jahren 37,50 Euro. Mehr auf stadt.muenchen.de."
        ));
        assert!(!defers_only(
            "You have two weeks to register. Book online at stadt.muenchen.de."
        ));
    }

    #[test]
    fn an_answer_that_points_nowhere_does_not_defer() {
        assert!(!defers_only(
            "Den Verlust meldest du sofort im Bürgerbüro, bei Diebstahl auch bei der Polizei."
        ));
    }
}
