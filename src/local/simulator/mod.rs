//! A local stand-in for Alexa's language understanding, so the skill can be
//! tried without an Amazon account: text → intent and slots, read from the
//! same interaction models that are uploaded to Alexa, then wrapped in a
//! request envelope exactly as Alexa would send it.
//!
//! Matching: every sample utterance is a pattern of words and `{slot}`
//! gaps; the pattern that matches the whole utterance with the most literal
//! words wins. Custom slot values resolve to their ids like Alexa's entity
//! resolution; AMAZON.DATE values come from German and English date words.
//! Whatever matches nothing goes to `QuestionIntent` as a search query.
//!
//! By job: [`patterns`] (samples as patterns, matched against the words),
//! [`slots`] (filling and resolving the slots of a match, and scoring it),
//! [`dates`] (AMAZON.DATE values from date words), [`builtins`] (the
//! built-in intents' phrases) and [`envelope`] (the typed request Alexa
//! would send, and the session carried from turn to turn). This module
//! reads the models and picks the best match.

mod builtins;
mod dates;
mod envelope;
mod patterns;
mod slots;

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::alexa::model::{ModelFile, ModelIntent};
use crate::lang::Locale;
use crate::matching::normalize::words;
use builtins::BUILTINS;
pub use dates::date_value;
pub use envelope::SessionState;
use patterns::{match_all, strip_invocation, Pattern};

/// An utterance understood: intent name and slot values.
#[derive(Clone, Debug, PartialEq)]
pub struct Understood {
    /// Intent name; `None` means "open the skill" (LaunchRequest).
    pub intent: Option<String>,
    /// Slot name → (spoken value, resolved id).
    pub slots: Vec<(String, String, Option<String>)>,
}

/// One locale's model, prepared for matching.
#[derive(Debug)]
pub(super) struct LocaleModel {
    invocation: Vec<String>,
    intents: Vec<ModelIntent>,
    patterns: Vec<Pattern>,
    /// Slot type → folded value or synonym → (canonical value, id).
    pub(super) values: HashMap<String, HashMap<String, (String, Option<String>)>>,
}

/// The simulator over one or more locales' interaction models.
#[derive(Debug, Default)]
pub struct Simulator {
    models: HashMap<&'static str, LocaleModel>,
}

impl Simulator {
    /// Reads the models embedded in the binary (`intents/*.json`).
    ///
    /// # Errors
    /// When a model file is not valid JSON of the ASK format.
    pub fn embedded() -> Result<Self, serde_json::Error> {
        let mut sim = Self::default();
        sim.add(Locale::DeDe, include_str!("../../../intents/de-DE.json"))?;
        sim.add(Locale::EnUs, include_str!("../../../intents/en-US.json"))?;
        sim.add(Locale::EnGb, include_str!("../../../intents/en-GB.json"))?;
        Ok(sim)
    }

    /// Adds a locale's model from its JSON text.
    ///
    /// # Errors
    /// When the text is not an ASK interaction model.
    pub fn add(&mut self, locale: Locale, json: &str) -> Result<(), serde_json::Error> {
        let file: ModelFile = serde_json::from_str(json)?;
        let lm = file.interaction_model.language_model;
        let mut patterns = Vec::new();
        for (i, intent) in lm.intents.iter().enumerate() {
            patterns.extend(intent.samples.iter().map(|sample| Pattern::new(i, sample)));
        }
        let mut values = HashMap::new();
        for ty in &lm.types {
            let mut map = HashMap::new();
            for v in &ty.values {
                for s in std::iter::once(&v.name.value).chain(&v.name.synonyms) {
                    map.entry(words(s).join(" "))
                        .or_insert((v.name.value.clone(), v.id.clone()));
                }
            }
            values.insert(ty.name.clone(), map);
        }
        self.models.insert(
            locale.tag(),
            LocaleModel {
                invocation: words(&lm.invocation_name),
                intents: lm.intents,
                patterns,
                values,
            },
        );
        Ok(())
    }

    /// Understands an utterance in `locale`; `today` resolves date words.
    pub fn understand(&self, utterance: &str, locale: Locale, today: NaiveDate) -> Understood {
        let Some(model) = self.models.get(locale.tag()) else {
            return Understood {
                intent: Some("AMAZON.FallbackIntent".into()),
                slots: Vec::new(),
            };
        };
        let (opened, tokens) = strip_invocation(&words(utterance), &model.invocation);
        if tokens.is_empty() {
            return Understood {
                intent: if opened {
                    None
                } else {
                    Some("AMAZON.FallbackIntent".into())
                },
                slots: Vec::new(),
            };
        }
        let phrase = tokens.join(" ");
        for (intent, phrases) in BUILTINS {
            if phrases.contains(&phrase.as_str()) && model.intents.iter().any(|i| i.name == *intent)
            {
                return Understood {
                    intent: Some((*intent).to_string()),
                    slots: Vec::new(),
                };
            }
        }
        let lang = locale.lang();
        let mut best: Option<(i64, Understood)> = None;
        for p in &model.patterns {
            // Every way the slots can split the words: "hat {office} {date}
            // offen" must try "das bürgerbüro pasing" + "morgen", not only
            // the first split that fits.
            for captures in match_all(&p.tokens, &tokens) {
                let intent = &model.intents[p.intent];
                let Some((filled, slots)) = slots::fill(model, intent, captures, today, lang)
                else {
                    continue;
                };
                let score = 10 * p.literals as i64 + filled;
                if best.as_ref().is_none_or(|(s, _)| score > *s) {
                    best = Some((
                        score,
                        Understood {
                            intent: Some(intent.name.clone()),
                            slots,
                        },
                    ));
                }
            }
        }
        if let Some((_, u)) = best {
            return u;
        }
        if model.intents.iter().any(|i| i.name == "QuestionIntent") {
            return Understood {
                intent: Some("QuestionIntent".into()),
                slots: vec![("query".into(), phrase, None)],
            };
        }
        Understood {
            intent: Some("AMAZON.FallbackIntent".into()),
            slots: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sim() -> Simulator {
        Simulator::embedded().unwrap_or_else(|e| panic!("models do not parse: {e}"))
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default()
    }

    #[test]
    fn office_hours_question_resolves_office_id() {
        let u = sim().understand(
            "Alexa, frag Stadt München, wann hat das Bürgerbüro Ruppertstraße offen?",
            Locale::DeDe,
            today(),
        );
        assert_eq!(u.intent.as_deref(), Some("OfficeHoursIntent"));
        assert_eq!(u.slots[0].2.as_deref(), Some("buergerbuero-ruppertstrasse"));
    }

    #[test]
    fn opening_the_skill_is_a_launch() {
        let u = sim().understand("Alexa, öffne Stadt München", Locale::DeDe, today());
        assert_eq!(u.intent, None);
    }

    #[test]
    fn anything_else_is_a_search_query() {
        let u = sim().understand("Knöllchen bezahlen", Locale::DeDe, today());
        assert_eq!(u.intent.as_deref(), Some("QuestionIntent"));
    }
}
