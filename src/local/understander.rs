//! What the local channels (`ask`, `chat`, the try page, the Wyoming
//! service) share: text said in a locale at a moment, as turn `n` of a
//! session, turned into the typed request Alexa would send.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::{Map, Value};

use crate::alexa::request::RequestEnvelope;
use crate::config::Settings;
use crate::lang::Locale;
use crate::local::simulator::{SessionState, Simulator};

/// The skill ID of local requests when none is configured.
const LOCAL_APPLICATION_ID: &str = "amzn1.ask.skill.local";

/// The simulator with the city's time zone and the skill ID.
pub struct Understander {
    sim: Simulator,
    timezone: Tz,
    application_id: String,
}

impl Understander {
    /// Understands with `sim` in the city's `timezone`, as the skill ID of
    /// `settings` (or a local one).
    pub fn new(sim: Simulator, timezone: Tz, settings: &Settings) -> Self {
        let application_id =
            (settings.skill_id.clone()).unwrap_or_else(|| LOCAL_APPLICATION_ID.into());
        Self {
            sim,
            timezone,
            application_id,
        }
    }

    /// A new session's state.
    pub fn session(&self) -> SessionState {
        SessionState::new(&self.application_id)
    }

    /// The request for `text` said in `locale` at `now`, in `session`.
    pub fn request(
        &self,
        text: &str,
        locale: Locale,
        now: DateTime<Utc>,
        session: &SessionState,
    ) -> RequestEnvelope {
        let today = now.with_timezone(&self.timezone).date_naive();
        let understood = self.sim.understand(text, locale, today);
        self.sim.envelope(&understood, locale, now, session)
    }

    /// As [`Understander::request`], as turn `turn` of a session that
    /// carries `attributes` (a channel that keeps the session itself).
    pub fn request_in(
        &self,
        text: &str,
        locale: Locale,
        now: DateTime<Utc>,
        turn: u32,
        attributes: &Map<String, Value>,
    ) -> RequestEnvelope {
        let session = SessionState {
            turn,
            attributes: attributes.clone(),
            ..self.session()
        };
        self.request(text, locale, now, &session)
    }
}
