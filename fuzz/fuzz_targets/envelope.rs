//! Checks: no panic on any request body, and an `Ok` response always serialises to JSON.
#![no_main]

use std::sync::LazyLock;

use chrono::{DateTime, TimeZone, Utc};
use city_skill::knowledge::Knowledge;
use city_skill::skill::{Skill, SkillConfig};
use libfuzzer_sys::fuzz_target;

static SKILL: LazyLock<Skill> = LazyLock::new(|| {
    let knowledge = Knowledge::embedded().expect("the embedded corpus loads");
    knowledge.prepare();
    Skill::new(knowledge, SkillConfig::default())
});

/// The clock, used when a request has no usable timestamp.
static NOW: LazyLock<DateTime<Utc>> = LazyLock::new(|| {
    Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0)
        .single()
        .expect("a valid instant")
});

fuzz_target!(|data: &[u8]| {
    // The entry points (Lambda, HTTP) parse the body the same way first.
    let Ok(payload) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    if let Ok(response) = SKILL.handle_json(&payload, *NOW) {
        serde_json::to_vec(&response).expect("a response serialises to JSON");
    }
});
