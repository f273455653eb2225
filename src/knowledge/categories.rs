//! The words for the calendars' event categories: how a category is called
//! in German and in English ("Konzerte" → "concerts"), from the corpus's
//! `city.toml` (`[[event_category]]`), as a city's editors write them. The
//! interaction models' `EVENT_CATEGORY` values and the answers read them
//! here; `city-skill check` validates them ([`problems`]).

use serde::Deserialize;

use super::model::{City, EventCategory};
use crate::lang::Lang;
use crate::matching::normalize::words;
use crate::problem::Problem;

/// The id an `EVENT_CATEGORY` value has for a calendar category: its
/// folded words, joined ("Märkte" → "maerkte").
pub fn category_id(category: &str) -> String {
    words(category).concat()
}

impl City {
    /// The corpus's words for the category with this id, if it has them.
    pub fn event_category(&self, id: &str) -> Option<&EventCategory> {
        self.event_categories.iter().find(|c| c.id == id)
    }

    /// How a calendar category is called in `lang`: the corpus's name for
    /// it, else the category itself.
    pub fn category_name(&self, category: &str, lang: Lang) -> String {
        (self.event_category(&category_id(category)))
            .and_then(|c| c.name.get(lang))
            .map_or_else(|| category.to_string(), String::clone)
    }
}

/// A name a voice model can take as a slot value: words, no digits
/// (Alexa's rule for custom slot values; "HP8" is left to its spoken forms).
pub fn speakable(value: &str) -> bool {
    !value.chars().any(|c| c.is_ascii_digit())
}

/// The problems of `city.toml`'s `[[event_category]]` tables, each at the
/// line its table starts on: an id that is not folded words, an id given
/// twice, a category without a name, a name or synonym that is empty or
/// has digits (Alexa slot values take none).
pub fn problems(file: &str, text: &str) -> Vec<Problem> {
    #[derive(Deserialize)]
    struct Categories {
        #[serde(default)]
        event_category: Vec<toml::Spanned<EventCategory>>,
    }
    let Ok(parsed) = toml::from_str::<Categories>(text) else {
        // The city file's own parse reports what is wrong with it.
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for spanned in &parsed.event_category {
        let line = crate::problem::line_col(text, spanned.span().start).0;
        let c = spanned.get_ref();
        let mut problem = |m: String| out.push(Problem::line(file, line, m));
        if c.id.is_empty() || category_id(&c.id) != c.id {
            problem(format!(
                "event category id {:?} is not folded words (e.g. \"maerkte\" for \"Märkte\")",
                c.id
            ));
        }
        if seen.contains(&c.id.as_str()) {
            problem(format!("event category {:?} is given twice", c.id));
        }
        seen.push(&c.id);
        if c.name.de.is_none() && c.name.en.is_none() {
            problem(format!("event category {:?} has no name", c.id));
        }
        for lang in Lang::ALL {
            let said =
                (c.name.get(lang).into_iter()).chain(c.synonyms.get(lang).into_iter().flatten());
            for w in said {
                if w.trim().is_empty() || !speakable(w) {
                    problem(format!(
                        "event category {:?}: {w:?} is not a word to say (empty, or with digits)",
                        c.id
                    ));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn city(toml: &str) -> City {
        let text = format!("id = \"x\"\nname.de = \"X\"\n{toml}");
        crate::knowledge::load::parse_city("city.toml", &text).unwrap_or_else(|p| panic!("{p}"))
    }

    const KONZERTE: &str =
        "[[event_category]]\nid = \"konzerte\"\nname.de = \"Konzerte\"\nname.en = \"concerts\"\n";

    #[test]
    fn a_category_of_the_corpus_is_named_in_the_answers_language() {
        let c = city(KONZERTE);
        assert_eq!(c.category_name("Konzerte", Lang::En), "concerts");
        assert_eq!(c.category_name("Konzerte", Lang::De), "Konzerte");
    }

    #[test]
    fn an_unknown_category_keeps_its_own_name() {
        assert_eq!(
            city(KONZERTE).category_name("Flohmärkte am See", Lang::En),
            "Flohmärkte am See"
        );
    }

    #[test]
    fn category_ids_are_folded_words() {
        assert_eq!(category_id("Märkte"), "maerkte");
        assert_eq!(category_id("Kinder & Familie"), "kinderfamilie");
    }

    #[test]
    fn a_bad_category_is_reported_at_its_line() {
        let text = format!("id = \"x\"\n{KONZERTE}\n[[event_category]]\nid = \"Märkte\"\nsynonyms.de = [\"Markt 2\"]\n[[event_category]]\nid = \"konzerte\"\nname.de = \"Konzerte\"\n");
        let got: Vec<String> = problems("city.toml", &text)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            got,
            [
                "city.toml:7: event category id \"Märkte\" is not folded words (e.g. \"maerkte\" for \"Märkte\")",
                "city.toml:7: event category \"Märkte\" has no name",
                "city.toml:7: event category \"Märkte\": \"Markt 2\" is not a word to say (empty, or with digits)",
                "city.toml:10: event category \"konzerte\" is given twice",
            ]
        );
    }

    #[test]
    fn the_embedded_corpus_names_every_category_it_lists_in_both_languages() {
        let k = crate::knowledge::Knowledge::embedded().unwrap_or_else(|e| panic!("{e}"));
        assert!(!k.city().event_categories.is_empty());
        for c in &k.city().event_categories {
            assert!(c.name.de.is_some() && c.name.en.is_some(), "{}", c.id);
        }
    }
}
