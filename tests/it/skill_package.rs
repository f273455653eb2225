//! The ASK CLI skill package (`ask-resources.json`, `skill-package/`):
//! what `ask deploy` uploads is complete, its models are the ones in
//! `intents/`, and its example phrases are understood as they promise.

use chrono::NaiveDate;
use city_skill::lang::Locale;
use city_skill::local::simulator::Simulator;
use city_skill::matching::normalize::words;
use serde_json::Value;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{ROOT}/{path}")).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn manifest() -> Value {
    let skill: Value = serde_json::from_str(&read("skill-package/skill.json")).unwrap();
    skill["manifest"].clone()
}

/// The intent each example phrase must be understood as.
const ADVERTISED: &[(&str, &str)] = &[
    (
        "Alexa, frag Stadt München, wann hat das Bürgerbüro Ruppertstraße offen?",
        "OfficeHoursIntent",
    ),
    (
        "Alexa, frag Stadt München, wo ist das Fundbüro?",
        "OfficeAddressIntent",
    ),
    (
        "Alexa, frag Stadt München, was ist am Wochenende los?",
        "EventsIntent",
    ),
    (
        "Alexa, ask Munich City when is the lost property office open",
        "OfficeHoursIntent",
    ),
    (
        "Alexa, ask Munich City where is the lost property office",
        "OfficeAddressIntent",
    ),
    (
        "Alexa, ask Munich City what's on this weekend",
        "EventsIntent",
    ),
];

/// Alexa's skill store categories (the manifest's `category` enumeration).
const CATEGORIES: &[&str] = &[
    "ALARMS_AND_CLOCKS",
    "ASTROLOGY",
    "BUSINESS_AND_FINANCE",
    "CALCULATORS",
    "CALENDARS_AND_REMINDERS",
    "CHILDRENS_EDUCATION_AND_REFERENCE",
    "CHILDRENS_GAMES",
    "CHILDRENS_MUSIC_AND_AUDIO",
    "CHILDRENS_NOVELTY_AND_HUMOR",
    "COMMUNICATION",
    "CONNECTED_CAR",
    "COOKING_AND_RECIPE",
    "CURRENCY_GUIDES_AND_CONVERTERS",
    "DATING",
    "DELIVERY_AND_TAKEOUT",
    "DEVICE_TRACKING",
    "EDUCATION_AND_REFERENCE",
    "EVENT_FINDERS",
    "EXERCISE_AND_WORKOUT",
    "FASHION_AND_STYLE",
    "FLIGHT_FINDERS",
    "FRIENDS_AND_FAMILY",
    "GAME_INFO_AND_ACCESSORY",
    "GAMES",
    "HEALTH_AND_FITNESS",
    "HOTEL_FINDERS",
    "KNOWLEDGE_AND_TRIVIA",
    "MOVIE_AND_TV_KNOWLEDGE_AND_TRIVIA",
    "MOVIE_INFO_AND_REVIEWS",
    "MOVIE_SHOWTIMES",
    "MUSIC_AND_AUDIO_ACCESSORIES",
    "MUSIC_AND_AUDIO_KNOWLEDGE_AND_TRIVIA",
    "MUSIC_INFO_REVIEWS_AND_RECOGNITION_SERVICE",
    "NAVIGATION_AND_TRIP_PLANNER",
    "NEWS",
    "NOVELTY",
    "ORGANIZERS_AND_ASSISTANTS",
    "PETS_AND_ANIMAL",
    "PODCAST",
    "PUBLIC_TRANSPORTATION",
    "RELIGION_AND_SPIRITUALITY",
    "RESTAURANT_BOOKING_INFO_AND_REVIEW",
    "SCHOOLS",
    "SCORE_KEEPING",
    "SELF_IMPROVEMENT",
    "SHOPPING",
    "SMART_HOME",
    "SOCIAL_NETWORKING",
    "SPORTS_GAMES",
    "SPORTS_NEWS",
    "STREAMING_SERVICE",
    "TAXI_AND_RIDESHARING",
    "TO_DO_LISTS_AND_NOTES",
    "TRANSLATORS",
    "TV_GUIDES",
    "UNIT_CONVERTERS",
    "WEATHER",
    "WINE_AND_BEVERAGE",
    "ZIP_CODE_LOOKUP",
];

#[test]
fn ask_resources_deploy_the_skill_package() {
    let r: Value = serde_json::from_str(&read("ask-resources.json")).unwrap();
    assert_eq!(r["askcliResourcesVersion"], "2020-03-31");
    assert_eq!(
        r["profiles"]["default"]["skillMetadata"]["src"],
        "./skill-package"
    );
}

#[test]
fn skill_package_models_equal_the_interaction_models_in_intents() {
    let dir = format!("{ROOT}/skill-package/interactionModels/custom");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        ["de-DE.json", "en-GB.json", "en-US.json"],
        "run `city-skill model`"
    );
    for locale in Locale::ALL {
        let tag = locale.tag();
        assert!(
            read(&format!("skill-package/interactionModels/custom/{tag}.json"))
                == read(&format!("intents/{tag}.json")),
            "skill-package/interactionModels/custom/{tag}.json differs from intents/{tag}.json: run `city-skill model`"
        );
    }
}

#[test]
fn skill_json_has_publishing_information_for_every_locale() {
    let p = &manifest()["publishingInformation"];
    for locale in Locale::ALL {
        let l = &p["locales"][locale.tag()];
        let name = l["name"].as_str().unwrap_or_default();
        assert!(
            (2..=50).contains(&name.chars().count()),
            "{locale} name {name:?}"
        );
        let summary = l["summary"].as_str().unwrap_or_default();
        assert!(
            (10..=160).contains(&summary.chars().count()),
            "{locale} summary"
        );
        let description = l["description"].as_str().unwrap_or_default();
        assert!(
            (50..=4000).contains(&description.chars().count()),
            "{locale} description"
        );
        assert_eq!(
            l["examplePhrases"].as_array().map(Vec::len),
            Some(3),
            "{locale}"
        );
        let keywords = l["keywords"].as_array().cloned().unwrap_or_default();
        assert!(
            !keywords.is_empty() && keywords.len() <= 30,
            "{locale} keywords"
        );
        assert!(keywords
            .iter()
            .all(|k| k.as_str().is_some_and(|k| !k.is_empty())));
    }
    let category = p["category"].as_str().unwrap_or_default();
    assert!(CATEGORIES.contains(&category), "category {category:?}");
    assert_eq!(p["isAvailableWorldwide"], false);
    let countries = p["distributionCountries"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(countries.iter().any(|c| c == "DE"), "{countries:?}");
    assert!(p["testingInstructions"]
        .as_str()
        .is_some_and(|t| !t.is_empty()));
}

#[test]
fn skill_json_declares_no_purchases_personal_info_children_or_ads() {
    let m = manifest();
    let p = &m["privacyAndCompliance"];
    assert_eq!(p["allowsPurchases"], false);
    assert_eq!(p["usesPersonalInfo"], false);
    assert_eq!(p["isChildDirected"], false);
    assert_eq!(p["isExportCompliant"], true);
    assert_eq!(p["containsAds"], false);
    assert_eq!(m["manifestVersion"], "1.0");
}

/// A Lambda function ARN, `arn:aws:lambda:<region>:<account>:function:<name>`.
fn is_function_arn(uri: &str) -> bool {
    let parts: Vec<&str> = uri.split(':').collect();
    parts.len() == 7 && parts[..3] == ["arn", "aws", "lambda"] && parts[5] == "function"
}

#[test]
fn skill_json_is_a_custom_skill_whose_endpoint_the_stack_output_sets() {
    // Committed without an endpoint (the first `ask deploy` creates the
    // skill before the function exists); deploy/skill-endpoint.sh adds it.
    let custom = &manifest()["apis"]["custom"];
    assert!(custom.is_object(), "apis.custom missing");
    match custom["endpoint"]["uri"].as_str() {
        None => assert!(custom.get("endpoint").is_none()),
        Some(uri) => assert!(is_function_arn(uri), "{uri}"),
    }
}

#[test]
fn every_example_phrase_is_a_sample_understood_as_the_intent_it_advertises() {
    let mut sim = Simulator::default();
    for locale in Locale::ALL {
        let model = read(&format!(
            "skill-package/interactionModels/custom/{}.json",
            locale.tag()
        ));
        sim.add(locale, &model).unwrap();
    }
    let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let p = &manifest()["publishingInformation"]["locales"];
    for locale in Locale::ALL {
        let model: Value =
            serde_json::from_str(&read(&format!("intents/{}.json", locale.tag()))).unwrap();
        let invocation = words(
            model["interactionModel"]["languageModel"]["invocationName"]
                .as_str()
                .unwrap(),
        );
        for phrase in p[locale.tag()]["examplePhrases"].as_array().unwrap() {
            let phrase = phrase.as_str().unwrap();
            let said = words(phrase);
            assert!(said.len() > 2 + invocation.len(), "{phrase}");
            assert_eq!(said[0], "alexa", "{phrase}: starts with the wake word");
            assert!(["frag", "ask"].contains(&said[1].as_str()), "{phrase}");
            assert_eq!(
                said[2..2 + invocation.len()],
                invocation[..],
                "{phrase}: names the skill"
            );
            let want = ADVERTISED
                .iter()
                .find(|(p, _)| *p == phrase)
                .unwrap_or_else(|| panic!("{phrase}: add it to ADVERTISED with its intent"))
                .1;
            let u = sim.understand(phrase, locale, today);
            assert_eq!(u.intent.as_deref(), Some(want), "{locale} {phrase}");
            // A whole sample matched: every slot filled with a value the
            // model knows (an office id, or an AMAZON.DATE value).
            assert!(!u.slots.is_empty(), "{phrase}: no slot");
            for (slot, value, id) in &u.slots {
                let known = id.is_some() || value.starts_with("20");
                assert!(
                    known,
                    "{phrase}: slot {slot} = {value:?} resolves to nothing"
                );
            }
        }
    }
}

#[test]
fn the_endpoint_script_writes_the_function_arn_into_a_copy_of_the_manifest() {
    let dir = std::env::temp_dir().join(format!("city-skill-endpoint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let copy = dir.join("skill.json");
    std::fs::write(&copy, read("skill-package/skill.json")).unwrap();
    let arn = "arn:aws:lambda:eu-west-1:123456789012:function:city-skill-CitySkillFunction-X1";
    let out = std::process::Command::new("bash")
        .arg(format!("{ROOT}/deploy/skill-endpoint.sh"))
        .args(["--arn", arn])
        .env("SKILL_JSON", &copy)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&copy).unwrap()).unwrap();
    assert_eq!(
        written["manifest"]["apis"]["custom"]["endpoint"]["uri"],
        arn
    );
    let mut before = manifest();
    before["apis"]["custom"]["endpoint"]["uri"] = arn.into();
    assert_eq!(written["manifest"], before, "only the endpoint changed");
    let bad = std::process::Command::new("bash")
        .arg(format!("{ROOT}/deploy/skill-endpoint.sh"))
        .args(["--arn", "None"])
        .env("SKILL_JSON", &copy)
        .output()
        .unwrap();
    assert!(!bad.status.success(), "a missing stack output must fail");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_model_command_writes_the_skill_package_models_too() {
    let dir = std::env::temp_dir().join(format!("city-skill-package-{}", std::process::id()));
    let (out, package) = (dir.join("intents"), dir.join("skill-package"));
    let out_s = out.to_str().unwrap();
    let package_s = package.to_str().unwrap();
    let run = crate::helpers::run_bin(
        &["model", "--out", out_s, "--skill-package", package_s],
        None,
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    for locale in Locale::ALL {
        let tag = locale.tag();
        let written =
            std::fs::read_to_string(package.join(format!("interactionModels/custom/{tag}.json")));
        assert_eq!(
            written.unwrap(),
            read(&format!("intents/{tag}.json")),
            "{tag}"
        );
        assert_eq!(
            std::fs::read_to_string(out.join(format!("{tag}.json"))).unwrap(),
            read(&format!("intents/{tag}.json"))
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
