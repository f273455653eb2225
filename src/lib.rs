//! city-skill: the backend of a voice assistant skill for city services.
//!
//! A citizen asks a smart speaker about a city office, a service or what is
//! on; Alexa sends a JSON request; the skill answers in the citizen's
//! language from the city's corpus (offices, FAQ, events).
//!
//! Data flows one way: request ([`alexa`], parsed once by the host, or
//! built typed by the local tools) → route ([`skill`]) → knowledge and
//! matching ([`knowledge`], [`matching`], [`time`]) → an answer
//! ([`skill::Answer`], speech as [`lang::speech::Speech`]) → a renderer →
//! response. The protocol module knows nothing of the skill or of cities;
//! the matcher knows nothing of Alexa.
//!
//! ```
//! use city_skill::{knowledge::Knowledge, skill::{Skill, SkillConfig}};
//! let skill = Skill::new(Knowledge::embedded()?, SkillConfig::default());
//! let request = serde_json::json!({
//!     "version": "1.0",
//!     "request": {"type": "LaunchRequest", "requestId": "r1",
//!                 "timestamp": "2026-11-25T09:00:00Z", "locale": "de-DE"}
//! });
//! let response = skill.handle_json(&request, chrono::Utc::now())?;
//! assert_eq!(response.response.should_end_session, Some(false));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

// The tiers, lowest first (each imports only from its own and the ones
// below; scripts/import_graph.py checks it): problem, lang, net < time,
// matching < knowledge < alexa < skill < config, startup, host, local.
pub mod alexa;
pub mod config;
pub mod host;
pub mod knowledge;
pub mod lang;
pub mod local;
pub mod matching;
pub mod net;
pub mod problem;
pub mod skill;
pub mod startup;
pub mod time;
