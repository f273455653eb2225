//! The words for the calendars' event categories: how a category is called
//! in German and in English ("Konzerte" → "concerts"). The interaction-model
//! templates list the same names as `EVENT_CATEGORY` values (a test of
//! `local::interaction` holds them to this table); answers read them here.

use crate::lang::Lang;
use crate::matching::normalize::words;

/// `(id, German, English)` of every category the skill has words for.
const NAMES: &[(&str, &str, &str)] = &[
    ("maerkte", "Märkte", "markets"),
    ("konzerte", "Konzerte", "concerts"),
    ("kinder", "Kinder", "kids"),
    ("ausstellungen", "Ausstellungen", "exhibitions"),
    ("feste", "Feste", "festivals"),
    ("kultur", "Kultur", "culture"),
    ("sport", "Sport", "sports"),
];

/// The id an `EVENT_CATEGORY` value has for a calendar category: its
/// folded words, joined ("Märkte" → "maerkte").
pub fn category_id(category: &str) -> String {
    words(category).concat()
}

/// The name of a known category in `lang`, if it is one.
pub fn known_name(id: &str, lang: Lang) -> Option<&'static str> {
    NAMES
        .iter()
        .find(|(i, _, _)| *i == id)
        .map(|(_, de, en)| match lang {
            Lang::De => *de,
            Lang::En => *en,
        })
}

/// How a calendar category is called in `lang`: its known name, else the
/// category itself.
pub fn category_name(category: &str, lang: Lang) -> String {
    known_name(&category_id(category), lang).map_or_else(|| category.to_string(), str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_category_is_named_in_the_answers_language() {
        assert_eq!(category_name("Konzerte", Lang::En), "concerts");
        assert_eq!(category_name("Märkte", Lang::De), "Märkte");
    }

    #[test]
    fn an_unknown_category_keeps_its_own_name() {
        assert_eq!(
            category_name("Flohmärkte am See", Lang::En),
            "Flohmärkte am See"
        );
    }
}
