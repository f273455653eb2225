//! The interaction models in `intents/` follow Alexa's rules and match the
//! corpus and the code.

use std::collections::{HashMap, HashSet};

use city_skill::alexa::model::ModelFile;
use city_skill::knowledge::Knowledge;
use city_skill::lang::Locale;

const CUSTOM: [&str; 6] = [
    "OfficeHoursIntent",
    "OfficeAddressIntent",
    "OfficePhoneIntent",
    "QuestionIntent",
    "EventsIntent",
    "EventInfoIntent",
];
const BUILTIN: [&str; 10] = [
    "AMAZON.HelpIntent",
    "AMAZON.StopIntent",
    "AMAZON.CancelIntent",
    "AMAZON.FallbackIntent",
    "AMAZON.NavigateHomeIntent",
    "AMAZON.YesIntent",
    "AMAZON.NoIntent",
    "AMAZON.MoreIntent",
    "AMAZON.NextIntent",
    "AMAZON.RepeatIntent",
];

fn model(locale: Locale) -> ModelFile {
    let path = format!(
        "{}/intents/{}.json",
        env!("CARGO_MANIFEST_DIR"),
        locale.tag()
    );
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

#[test]
fn every_intent_has_enough_natural_samples() {
    for locale in Locale::ALL {
        let m = model(locale).interaction_model.language_model;
        for name in CUSTOM {
            let intent = m
                .intents
                .iter()
                .find(|i| i.name == name)
                .unwrap_or_else(|| panic!("{locale}: {name} missing"));
            assert!(
                intent.samples.len() >= 15,
                "{locale} {name}: {} samples",
                intent.samples.len()
            );
        }
        for name in BUILTIN {
            assert!(
                m.intents.iter().any(|i| i.name == name),
                "{locale}: {name} missing"
            );
        }
    }
}

#[test]
fn samples_use_only_allowed_characters_and_no_numerals() {
    for locale in Locale::ALL {
        let m = model(locale).interaction_model.language_model;
        for i in &m.intents {
            let slots: HashSet<&str> = i.slots.iter().map(|s| s.name.as_str()).collect();
            for s in &i.samples {
                let mut rest = s.as_str();
                while let Some(start) = rest.find('{') {
                    let end = rest[start..]
                        .find('}')
                        .map(|e| start + e)
                        .unwrap_or_else(|| panic!("{s}"));
                    assert!(
                        slots.contains(&rest[start + 1..end]),
                        "{locale} {}: undeclared slot in {s:?}",
                        i.name
                    );
                    rest = &rest[end + 1..];
                }
                let bare: String = s
                    .split(['{', '}'])
                    .enumerate()
                    .filter(|(n, _)| n % 2 == 0)
                    .map(|(_, p)| p)
                    .collect();
                assert!(
                    bare.chars()
                        .all(|c| c.is_alphabetic() || " '.-".contains(c)),
                    "{locale} {}: {s:?}",
                    i.name
                );
            }
        }
    }
}

#[test]
fn no_utterance_is_in_two_intents() {
    for locale in Locale::ALL {
        let m = model(locale).interaction_model.language_model;
        let mut seen: HashMap<String, &str> = HashMap::new();
        for i in &m.intents {
            for s in &i.samples {
                let key = s
                    .to_lowercase()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                if let Some(other) = seen.insert(key, &i.name) {
                    assert_eq!(other, i.name, "{locale}: {s:?} in {other} and {}", i.name);
                }
            }
        }
    }
}

#[test]
fn search_query_samples_have_a_carrier_phrase() {
    for locale in Locale::ALL {
        let m = model(locale).interaction_model.language_model;
        let q = m
            .intents
            .iter()
            .find(|i| i.name == "QuestionIntent")
            .unwrap();
        for s in &q.samples {
            assert_ne!(s.trim(), "{query}", "{locale}");
        }
    }
}

#[test]
fn invocation_names_follow_the_rules() {
    for locale in Locale::ALL {
        let name = model(locale)
            .interaction_model
            .language_model
            .invocation_name;
        assert!((2..=50).contains(&name.chars().count()));
        assert!(name.chars().all(|c| c.is_lowercase() || c == ' '), "{name}");
        for banned in [
            "alexa", "echo", "amazon", "skill", "app", "launch", "ask", "tell", "computer",
        ] {
            assert!(!name.split(' ').any(|w| w == banned), "{name}");
        }
    }
}

#[test]
fn office_slot_values_are_the_corpus_offices_with_their_ids() {
    let k = Knowledge::embedded().unwrap();
    let ids: HashSet<&str> = k.offices().iter().map(|o| o.id.as_str()).collect();
    for locale in Locale::ALL {
        let m = model(locale).interaction_model.language_model;
        let ty = m
            .types
            .iter()
            .find(|t| t.name == "OFFICE")
            .expect("OFFICE type");
        let model_ids: HashSet<&str> = ty.values.iter().filter_map(|v| v.id.as_deref()).collect();
        assert_eq!(
            model_ids, ids,
            "{locale}: OFFICE ids differ from the corpus"
        );
        for v in &ty.values {
            let office = k.office(v.id.as_deref().unwrap()).unwrap();
            for s in std::iter::once(&v.name.value).chain(&v.name.synonyms) {
                assert!(
                    !s.chars().any(|c| c.is_ascii_digit()),
                    "{locale}: digit in {s:?}"
                );
                let back = k.find_office(s).map(|o| o.id.as_str());
                assert!(
                    back == Some(office.id.as_str()) || s.chars().any(char::is_alphabetic),
                    "{locale}: {s:?} resolves to {back:?}"
                );
            }
        }
    }
}

#[test]
fn event_slot_values_are_the_corpus_events_names_and_aliases() {
    let k = Knowledge::embedded().unwrap();
    let book = k.event_book();
    for locale in Locale::ALL {
        let m = model(locale).interaction_model.language_model;
        let ty = m
            .types
            .iter()
            .find(|t| t.name == "EVENT")
            .expect("EVENT type");
        for e in book.entries() {
            assert!(
                ty.values
                    .iter()
                    .any(|v| v.id.as_deref() == Some(e.id.as_str())),
                "{locale}: event {:?} has no EVENT value",
                e.id
            );
        }
        for v in &ty.values {
            for s in std::iter::once(&v.name.value).chain(&v.name.synonyms) {
                assert!(!book.named(s).is_empty(), "{locale}: {s:?} names no event");
            }
        }
    }
}

#[test]
fn every_custom_intent_of_the_model_is_handled_by_the_code() {
    // Each custom intent answers something other than the "cannot do" reply.
    let skill = crate::helpers::skill();
    for locale in Locale::ALL {
        let m = model(locale).interaction_model.language_model;
        for i in &m.intents {
            let req = serde_json::json!({"version":"1.0","request":{"type":"IntentRequest","requestId":"r",
                "timestamp":"2026-11-25T09:00:00Z","locale":locale.tag(),"intent":{"name":i.name,"slots":{}}}});
            let r = skill
                .handle_json(&req, crate::helpers::wednesday_morning())
                .unwrap();
            let s = crate::helpers::speech(&r);
            assert!(
                !s.contains("kann ich leider noch nicht") && !s.contains("can't do that yet"),
                "{locale} {}: {s}",
                i.name
            );
        }
    }
}

#[test]
fn committed_models_are_what_the_corpus_and_templates_make() {
    let k = Knowledge::embedded().unwrap();
    for locale in Locale::ALL {
        let path = format!(
            "{}/intents/{}.json",
            env!("CARGO_MANIFEST_DIR"),
            locale.tag()
        );
        let committed = std::fs::read_to_string(&path).unwrap();
        let made = city_skill::local::interaction::generate(
            &k,
            locale,
            city_skill::local::interaction::template(locale),
        )
        .unwrap();
        assert!(
            committed == made,
            "{path} is out of date with the corpus or its template: run `cargo run -- model`"
        );
    }
}

/// A copy of the Munich corpus with its models, in a fresh directory.
fn corpus_copy(name: &str) -> std::path::PathBuf {
    let root = env!("CARGO_MANIFEST_DIR");
    let dir = std::env::temp_dir().join(format!("city-skill-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("intents")).unwrap();
    for entry in std::fs::read_dir(format!("{root}/corpus/munich")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
    }
    for locale in Locale::ALL {
        let file = format!("{}.json", locale.tag());
        std::fs::copy(
            format!("{root}/intents/{file}"),
            dir.join("intents").join(&file),
        )
        .unwrap();
    }
    dir
}

#[test]
fn a_new_office_synonym_fails_check_until_model_writes_it_into_the_models() {
    let dir = corpus_copy("synonym");
    let offices = dir.join("offices.toml");
    let text = std::fs::read_to_string(&offices).unwrap();
    let text = text.replacen(
        "synonyms.de = [\n",
        "synonyms.de = [\n  \"Amt am Poccistraßen-Eck\",\n",
        1,
    );
    std::fs::write(&offices, text).unwrap();
    let corpus = dir.to_str().unwrap();

    let check = crate::helpers::run_bin(&["check", "--corpus", corpus], None);
    assert_eq!(check.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&check.stdout).contains("lacks \"Amt am Poccistraßen-Eck\""));

    let model = crate::helpers::run_bin(&["model", "--corpus", corpus], None);
    assert!(
        model.status.success(),
        "{}",
        String::from_utf8_lossy(&model.stderr)
    );
    let de = std::fs::read_to_string(dir.join("intents/de-DE.json")).unwrap();
    assert!(de.contains("\"Amt am Poccistraßen-Eck\""));

    let check = crate::helpers::run_bin(&["check", "--corpus", corpus], None);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn slot_values_are_words_without_digits() {
    for locale in Locale::ALL {
        for t in model(locale).interaction_model.language_model.types {
            for v in t.values {
                for w in std::iter::once(&v.name.value).chain(&v.name.synonyms) {
                    assert!(
                        !w.chars().any(|c| c.is_ascii_digit()),
                        "{locale} {}: {w:?}",
                        t.name
                    );
                }
            }
        }
    }
}

#[test]
fn a_model_written_for_another_city_names_that_city_and_not_munich() {
    let root = env!("CARGO_MANIFEST_DIR");
    let dir = std::env::temp_dir().join(format!("city-skill-hannover-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        format!("{root}/tests/eval/cities/hannover/faq.csv"),
        dir.join("faq.csv"),
    )
    .unwrap();
    // No invocation name of its own: the templates' with the city's name.
    std::fs::write(
        dir.join("city.toml"),
        "id = \"hannover\"\n[name]\nde = \"Hannover\"\nen = \"Hanover\"\n",
    )
    .unwrap();
    let corpus = dir.to_str().unwrap();

    let model = crate::helpers::run_bin(&["model", "--corpus", corpus], None);

    assert!(
        model.status.success(),
        "{}",
        String::from_utf8_lossy(&model.stderr)
    );
    for (locale, name) in [
        ("de-DE", "hannover"),
        ("en-US", "hanover"),
        ("en-GB", "hanover"),
    ] {
        let json = std::fs::read_to_string(dir.join(format!("intents/{locale}.json"))).unwrap();
        let lower = json.to_lowercase();
        assert!(
            !lower.contains("münchen") && !lower.contains("munich") && !lower.contains("[city]"),
            "{locale}"
        );
        assert!(lower.contains(&format!(" in {name}")), "{locale}");
        let m: ModelFile = serde_json::from_str(&json).unwrap();
        assert!(
            m.interaction_model
                .language_model
                .invocation_name
                .contains(name),
            "{locale}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
