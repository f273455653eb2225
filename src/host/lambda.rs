//! The AWS Lambda entry: the Runtime API loop around [`Skill::handle_request`].
//!
//! The payload is taken as plain JSON and parsed here, once, so a
//! malformed envelope becomes a typed error (`InvalidRequest`) instead of
//! the runtime's deserializer message; its timestamp is checked on the
//! typed request, which then goes to the skill.

use std::sync::Arc;

use anyhow::Context as _;
use lambda_runtime::{service_fn, Diagnostic, LambdaEvent};
use serde_json::Value;

use crate::alexa::ResponseEnvelope;
use crate::config::Settings;
use crate::skill::{parse_envelope, RequestError, Skill};
use crate::startup::{build_skill, init_json_logs, FeedStart};
use crate::time::clock;

impl From<RequestError> for Diagnostic {
    fn from(e: RequestError) -> Self {
        Diagnostic {
            error_type: e.error_type().to_string(),
            error_message: e.to_string(),
        }
    }
}

/// Answers one invocation.
///
/// # Errors
/// The skill's [`RequestError`], which the runtime posts as the
/// invocation's error with its stable `errorType`.
pub async fn handle(
    skill: &Skill,
    event: LambdaEvent<Value>,
) -> Result<ResponseEnvelope, RequestError> {
    let now = clock::now();
    let env = parse_envelope(&event.payload)?;
    let tolerance = match env.request.request_type.starts_with("AlexaSkillEvent.") {
        true => skill.config().timestamp_tolerance_secs.max(3600),
        false => skill.config().timestamp_tolerance_secs,
    };
    crate::host::verify::within(env.request.timestamp, now, tolerance)
        .map_err(|_| RequestError::StaleRequest)?;
    skill.handle_request(&env, now)
}

/// Runs the Runtime API loop until the runtime goes away.
///
/// # Errors
/// When the Runtime API cannot be reached or closes the connection.
pub async fn run(skill: Arc<Skill>) -> Result<(), lambda_runtime::Error> {
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| {
        let skill = Arc::clone(&skill);
        async move { handle(&skill, event).await }
    }))
    .await
}

/// The Lambda process: logs, skill, then the Runtime API loop.
///
/// # Errors
/// When the corpus does not load (the init fails with the same message as
/// `city-skill check`), or when the Runtime API goes away.
pub fn run_lambda() -> anyhow::Result<()> {
    init_json_logs();
    let settings = Settings::from_env();
    if settings.skill_id.is_none() {
        tracing::warn!("SKILL_ID is not set: requests from any skill are answered");
    }
    let skill = match build_skill(&settings, FeedStart::Background) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "init failed");
            return Err(e);
        }
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    rt.block_on(run(skill))
        .map_err(|e| anyhow::anyhow!("Lambda runtime stopped: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::Knowledge;
    use crate::skill::SkillConfig;
    use lambda_runtime::Context;
    use serde_json::json;

    fn skill(id: Option<&str>) -> Skill {
        let k = Knowledge::embedded().unwrap_or_else(|e| panic!("{e}"));
        Skill::new(
            k,
            SkillConfig {
                skill_id: id.map(str::to_string),
                // The fixtures carry fixed timestamps.
                timestamp_tolerance_secs: u64::MAX / 2,
                report_unanswered: false,
            },
        )
    }

    #[tokio::test]
    async fn malformed_envelope_is_an_invalid_request_error() {
        let ev = LambdaEvent::new(json!({"hello": "world"}), Context::default());
        let err = handle(&skill(None), ev).await.err().map(Diagnostic::from);
        assert_eq!(
            err.map(|d| d.error_type),
            Some("InvalidRequest".to_string())
        );
    }

    #[tokio::test]
    async fn wrong_skill_id_is_refused() {
        let ev = LambdaEvent::new(
            json!({"version":"1.0","context":{"System":{"application":{"applicationId":"amzn1.ask.skill.other"}}},
                   "request":{"type":"LaunchRequest","requestId":"r","locale":"de-DE","timestamp":"2026-11-25T09:00:00Z"}}),
            Context::default(),
        );
        let err = handle(&skill(Some("amzn1.ask.skill.mine")), ev)
            .await
            .err()
            .map(Diagnostic::from);
        assert_eq!(
            err.map(|d| d.error_type),
            Some("SkillIdMismatch".to_string())
        );
    }
}
