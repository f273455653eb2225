//! Interaction models from a hand-written template plus the corpus: the
//! `OFFICE` slot values (ids, names and synonyms of every office), the
//! `EVENT` values (the corpus events' names and aliases), the
//! `EVENT_CATEGORY` values (the calendars' categories, with the names and
//! synonyms `city.toml` gives them), the city's name and its invocation name.
//!
//! The templates (`intents/templates/<locale>.json`) hold what a person
//! writes that is not about one city: intents, samples, slots. Where a
//! sample names the city it says `[city]`, replaced by the corpus city's
//! name in the model's language ("was ist in [city] los"); the invocation
//! name is the corpus's, else the template's with the city's name.
//! `city-skill model` writes the models; a test fails when the committed
//! ones are out of date.

use crate::alexa::model::{ModelFile, SlotType, SlotTypeValue, SlotValueName};
use crate::knowledge::Knowledge;
use crate::lang::{Lang, Locale};

/// The templates compiled into the binary, for the embedded corpus and for
/// any corpus that brings none.
pub fn template(locale: Locale) -> &'static str {
    match locale.tag() {
        "de-DE" => include_str!("../../intents/templates/de-DE.json"),
        "en-GB" => include_str!("../../intents/templates/en-GB.json"),
        _ => include_str!("../../intents/templates/en-US.json"),
    }
}

/// A template that is not an interaction model.
#[derive(Debug, thiserror::Error)]
#[error("the interaction model template for {locale} is not valid: {source}")]
pub struct TemplateError {
    locale: String,
    source: serde_json::Error,
}

pub use crate::knowledge::categories::{category_id, speakable};

/// Where a template names the city.
pub const CITY_PLACEHOLDER: &str = "[city]";

/// The model for `locale`: the template with the corpus's slot values and
/// the city's invocation name, as pretty JSON ending in a newline.
///
/// # Errors
/// When the template is not an interaction model.
pub fn generate(k: &Knowledge, locale: Locale, template: &str) -> Result<String, TemplateError> {
    let error = |source| TemplateError {
        locale: locale.tag().to_string(),
        source,
    };
    let lang = locale.lang();
    // The name as it goes inside a JSON string (quotes and backslashes
    // escaped), lower case as Alexa's samples are.
    let city = (k.city().name.get_or_other(lang)).map_or_else(String::new, |n| n.to_lowercase());
    let city = serde_json::to_string(&city).map_err(error)?;
    let city = city.get(1..city.len() - 1).unwrap_or_default();
    let template = template.replace(CITY_PLACEHOLDER, city);
    let mut model: ModelFile = serde_json::from_str(&template).map_err(error)?;
    let lm = &mut model.interaction_model.language_model;
    if let Some(name) = k.city().invocation.get(lang) {
        lm.invocation_name = name.to_lowercase();
    }
    let offices = k
        .offices()
        .iter()
        .filter_map(|o| {
            // Names and synonyms in the model's language, and in English
            // models the German name (people say "Bürgerbüro" in English
            // too); slot
            // values take no digits, so "HP8" is left to its spoken forms.
            let mut said: Vec<String> = Vec::new();
            let candidates = o
                .name
                .get(lang)
                .into_iter()
                .chain(o.synonyms.get(lang).into_iter().flatten())
                .chain(o.name.get(Lang::De).filter(|_| lang == Lang::En));
            for w in candidates {
                let seen = said.iter().any(|s| s.to_lowercase() == w.to_lowercase());
                if speakable(w) && !seen {
                    said.push(w.clone());
                }
            }
            let mut said = said.into_iter();
            Some(SlotTypeValue {
                id: Some(o.id.clone()),
                name: SlotValueName {
                    value: said.next()?,
                    synonyms: said.collect(),
                },
            })
        })
        .collect();
    set_type(&mut lm.types, "OFFICE", offices);
    let events = event_values(k, lang);
    if events.is_empty() {
        // No events of its own: no slot type, and no intent that needs one.
        lm.types.retain(|t| t.name != "EVENT");
        lm.intents.retain(|i| i.name != "EventInfoIntent");
        let dialog = model.interaction_model.dialog.as_mut();
        if let Some(intents) = dialog.and_then(|d| d.get_mut("intents")?.as_array_mut()) {
            intents.retain(|i| i.get("name").and_then(|n| n.as_str()) != Some("EventInfoIntent"));
        }
    } else {
        set_type(&mut lm.types, "EVENT", events);
    }
    let lm = &mut model.interaction_model.language_model;
    let categories: Vec<SlotTypeValue> = k
        .event_categories()
        .iter()
        .map(|c| {
            let id = category_id(c);
            let words = k.city().event_category(&id);
            SlotTypeValue {
                name: SlotValueName {
                    value: k.city().category_name(c, lang),
                    synonyms: (words.and_then(|w| w.synonyms.get(lang)).cloned())
                        .unwrap_or_default(),
                },
                id: Some(id),
            }
        })
        .collect();
    if categories.is_empty() {
        // No categories: no slot type, and no slot that would need one.
        lm.types.retain(|t| t.name != "EVENT_CATEGORY");
        for intent in &mut lm.intents {
            intent.slots.retain(|s| s.slot_type != "EVENT_CATEGORY");
            intent.samples.retain(|s| !s.contains("{category}"));
        }
    } else {
        set_type(&mut lm.types, "EVENT_CATEGORY", categories);
    }
    let mut json = serde_json::to_string_pretty(&model).map_err(error)?;
    json.push('\n');
    Ok(json)
}

/// The `EVENT` slot values: one per corpus event (its name in `lang` and
/// its aliases, in English models also the German name), and one per
/// name several events share ("Auer Dult"), whose id is that name's key
/// ([`crate::knowledge::events::name_key`]) and which no single event
/// carries.
pub fn event_values(k: &Knowledge, lang: Lang) -> Vec<SlotTypeValue> {
    use crate::knowledge::events::name_key;
    let book = k.event_book();
    let shared: Vec<String> = (book.shared_names().iter())
        .map(|(n, _)| name_key(n))
        .collect();
    let spoken = |candidates: Vec<&String>| -> Vec<String> {
        let mut said: Vec<String> = Vec::new();
        for w in candidates {
            // Spellings that fold alike stay apart ("Kirchweih Dult",
            // "Kirchweihdult"): a speech recogniser may give either.
            let seen = said.iter().any(|s| s.to_lowercase() == w.to_lowercase());
            if speakable(w) && !seen && !shared.contains(&name_key(w)) {
                said.push(w.clone());
            }
        }
        said
    };
    let mut out: Vec<SlotTypeValue> = Vec::new();
    for e in book.entries() {
        let candidates = (e.name.get(lang).into_iter())
            .chain(e.aliases.get(lang).into_iter().flatten())
            .chain(e.name.get(Lang::De).filter(|_| lang == Lang::En))
            .collect();
        let mut said = spoken(candidates).into_iter();
        if let Some(value) = said.next() {
            out.push(SlotTypeValue {
                id: Some(e.id.clone()),
                name: SlotValueName {
                    value,
                    synonyms: said.collect(),
                },
            });
        }
    }
    for (name, _) in book.shared_names() {
        let in_lang = book.entries().iter().any(|e| {
            (e.aliases.get(lang).into_iter().flatten()).any(|a| name_key(a) == name_key(name))
        });
        if in_lang && speakable(name) {
            out.push(SlotTypeValue {
                id: Some(name_key(name)),
                name: SlotValueName {
                    value: name.to_string(),
                    synonyms: Vec::new(),
                },
            });
        }
    }
    out
}

fn set_type(types: &mut Vec<SlotType>, name: &str, values: Vec<SlotTypeValue>) {
    match types.iter_mut().find(|t| t.name == name) {
        Some(t) => t.values = values,
        None => types.push(SlotType {
            name: name.to_string(),
            values,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_templates_name_no_city_and_list_no_categories() {
        for locale in [Locale::DeDe, Locale::EnUs, Locale::EnGb] {
            let t = template(locale).to_lowercase();
            assert!(
                !t.contains("münchen") && !t.contains("munich"),
                "{locale:?}"
            );
            let m: ModelFile = serde_json::from_str(template(locale)).expect("template parses");
            let lm = m.interaction_model.language_model;
            let categories = lm.types.iter().find(|t| t.name == "EVENT_CATEGORY");
            assert!(
                categories.is_some_and(|t| t.values.is_empty()),
                "{locale:?}"
            );
        }
    }
}
