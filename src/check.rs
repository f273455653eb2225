//! `city-skill check`: everything wrong with a corpus and its interaction
//! models, as `file:line: what is wrong`, or a summary when all is well.

use std::collections::HashSet;

use crate::alexa::model::{LanguageModel, ModelFile};
use crate::knowledge::load::line_col;
use crate::knowledge::{Knowledge, Problem};
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
    out
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
        for w in wanted.filter(|w| crate::interaction::speakable(w)) {
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
    s.push_str(&format!(
        "{} FAQ entries ({}), questions: {}\n",
        k.faq().len(),
        per_lang(&|l| k.faq().iter().filter(|e| e.text(l).is_some()).count()),
        per_lang(&|l| k
            .faq()
            .iter()
            .filter_map(|e| e.text(l))
            .map(|t| t.questions.len())
            .sum())
    ));
    s.push_str(&format!("{} event series\n", k.event_series().len()));
    s
}
