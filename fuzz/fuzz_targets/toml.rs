//! Checks: no panic in the corpus TOML loaders (city, offices, FAQ), the validation and indexing of what they load, nor in the conversation YAML loader.
#![no_main]

use chrono::NaiveDate;
use city_skill::knowledge::{load, Knowledge, Sources};
use city_skill::lang::Lang;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let city = load::parse_city("city.toml", text).is_ok();
    let offices = load::parse_offices("offices.toml", text).is_ok_and(|o| !o.is_empty());
    let faq = load::parse_faq("faq.toml", text).is_ok_and(|f| !f.is_empty());
    let _ = city_skill::local::conversation::parse("conversation.yaml", text);
    if !(city || offices || faq) {
        return;
    }
    // What parsed goes through validation (opening hours, ids, languages)
    // and indexing, as `city-skill check` and a cold start do.
    let file = |name: &str, ok: bool| ok.then(|| (name.to_string(), text.to_string()));
    let sources = Sources {
        city: file("city.toml", city),
        offices: file("offices.toml", offices),
        faq: file("faq.toml", faq),
        ..Sources::default()
    };
    let (knowledge, _problems) = Knowledge::check(sources);
    let Some(k) = knowledge else {
        return;
    };
    let day = NaiveDate::from_ymd_opt(2026, 11, 25).expect("a valid date");
    let noon = day.and_hms_opt(12, 0, 0).expect("a valid time");
    for o in k.offices() {
        if let Some(h) = k.hours(&o.id) {
            let _ = h.status(noon);
            let _ = h.spoken_week(day, Lang::De);
            let _ = h.card_week(day, Lang::En);
        }
    }
    for lang in Lang::ALL {
        let _ = k.match_question("Wie beantrage ich einen Personalausweis?", lang);
    }
    let _ = k.find_office("Bürgerbüro");
});
