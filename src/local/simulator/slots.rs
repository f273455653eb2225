//! Slot filling: the words a pattern's slots captured, turned into slot
//! values as Alexa would give them (dates resolved, custom values resolved
//! to their ids), with what they add to or take from the match's score.

use chrono::NaiveDate;

use super::dates::date_value;
use super::LocaleModel;
use crate::alexa::model::ModelIntent;
use crate::lang::Lang;

/// Articles before a slot value ("das Fundbüro", "the lost property office").
const ARTICLES: &[&str] = &["der", "die", "das", "den", "dem", "the"];

/// What a value that resolves (a date, a custom value) adds to a match.
const RESOLVED_BONUS: i64 = 5;

/// What a free search query costs a match: any words fit one.
const SEARCH_QUERY_COST: i64 = 3;

/// What a custom slot value that resolves to nothing costs a pattern: more
/// than a literal word, so that "hat das {event} {date} offen" does not take
/// an office from "hat {office} {date} offen".
const UNRESOLVED_PENALTY: i64 = 15;

/// A slot's name, spoken (or resolved canonical) value and resolved id.
pub(super) type Filled = (String, String, Option<String>);

/// The slots of `intent` filled from `captures` (slot name → words), and
/// what they add to the match's score; `None` when a date slot captured
/// words that are no date.
pub(super) fn fill(
    model: &LocaleModel,
    intent: &ModelIntent,
    captures: Vec<(String, String)>,
    today: NaiveDate,
    lang: Lang,
) -> Option<(i64, Vec<Filled>)> {
    let mut score = 0;
    let mut slots = Vec::new();
    for (name, value) in captures {
        let ty = intent
            .slots
            .iter()
            .find(|s| s.name == name)
            .map_or("", |s| s.slot_type.as_str());
        match ty {
            "AMAZON.DATE" => {
                let d = date_value(&value, today, lang)?;
                score += RESOLVED_BONUS;
                slots.push((name, d, None));
            }
            "AMAZON.SearchQuery" => {
                score -= SEARCH_QUERY_COST;
                slots.push((name, value, None));
            }
            custom => {
                // "das Bürgerbüro Pasing" resolves like "Bürgerbüro Pasing".
                let bare = value
                    .split_once(' ')
                    .filter(|(a, _)| ARTICLES.contains(a))
                    .map_or(value.as_str(), |(_, rest)| rest);
                let values = model.values.get(custom);
                let hit = values.and_then(|m| m.get(&value).or_else(|| m.get(bare)));
                match hit {
                    Some((canonical, id)) => {
                        score += RESOLVED_BONUS;
                        slots.push((name, canonical.clone(), id.clone()));
                    }
                    None => {
                        // A value of no kind the slot knows: a pattern
                        // whose slot resolves wins even with fewer
                        // literal words.
                        score -= UNRESOLVED_PENALTY;
                        slots.push((name, value, None));
                    }
                }
            }
        }
    }
    Some((score, slots))
}
