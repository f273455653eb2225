//! The request Alexa would send for an understood utterance, built as the
//! typed envelope the skill reads (no JSON in between: the Lambda and
//! `serve` tests carry the protocol's JSON end to end), and the session
//! the simulator carries from turn to turn.

use chrono::{DateTime, SubsecRound, Utc};
use serde_json::{Map, Value};

use super::{Simulator, Understood};
use crate::alexa::request::{
    Application, ConfirmationStatus, Context, DialogState, IntentRequest, ResolutionAuthority,
    ResolutionCode, ResolutionStatus, ResolutionValue, ResolutionValueWrapper, Resolutions,
    Session, SystemContext,
};
use crate::alexa::{Intent, Request, RequestEnvelope, RequestKind, Slot};
use crate::lang::Locale;

/// What the simulator carries from turn to turn.
#[derive(Clone, Debug)]
pub struct SessionState {
    /// 0 for the first turn.
    pub turn: u32,
    /// Session attributes from the last response.
    pub attributes: Map<String, Value>,
    /// Skill ID put into the envelope.
    pub application_id: String,
}

impl SessionState {
    /// A new session for `application_id`.
    pub fn new(application_id: &str) -> Self {
        Self {
            turn: 0,
            attributes: Map::new(),
            application_id: application_id.to_string(),
        }
    }
}

impl Simulator {
    /// The request envelope Alexa would send for `u` at `now` (whole
    /// seconds, as Alexa's timestamps are) in `session`.
    pub fn envelope(
        &self,
        u: &Understood,
        locale: Locale,
        now: DateTime<Utc>,
        session: &SessionState,
    ) -> RequestEnvelope {
        let (request_type, kind) = match &u.intent {
            None => ("LaunchRequest", RequestKind::Launch),
            Some(name) => (
                "IntentRequest",
                RequestKind::Intent(IntentRequest {
                    dialog_state: Some(DialogState::Started),
                    intent: Intent {
                        name: name.clone(),
                        confirmation_status: ConfirmationStatus::None,
                        slots: (u.slots.iter())
                            .map(|(slot, value, id)| (slot.clone(), filled(slot, value, id)))
                            .collect(),
                    },
                }),
            ),
        };
        let application = || {
            Some(Application {
                application_id: session.application_id.clone(),
            })
        };
        RequestEnvelope {
            version: "1.0".into(),
            session: Some(Session {
                new: session.turn == 0,
                session_id: "amzn1.echo-api.session.local".into(),
                application: application(),
                attributes: Some(session.attributes.clone()),
                user: None,
            }),
            context: Some(Context {
                system: Some(SystemContext {
                    application: application(),
                    api_endpoint: Some("https://api.eu.amazonalexa.com".into()),
                    ..SystemContext::default()
                }),
                viewport: None,
            }),
            request: Request {
                request_type: request_type.into(),
                request_id: format!("amzn1.echo-api.request.local-{}", session.turn),
                timestamp: Some(now.trunc_subsecs(0)),
                locale: Some(locale.tag().into()),
                kind,
            },
        }
    }
}

/// A filled slot; with an id, resolved as entity resolution resolves a
/// custom value.
fn filled(name: &str, value: &str, id: &Option<String>) -> Slot {
    let resolutions = id.as_ref().map(|id| Resolutions {
        resolutions_per_authority: vec![ResolutionAuthority {
            authority: "amzn1.er-authority.echo-sdk.local.OFFICE".into(),
            status: ResolutionStatus {
                code: ResolutionCode::ErSuccessMatch,
            },
            values: vec![ResolutionValueWrapper {
                value: ResolutionValue {
                    name: value.to_string(),
                    id: id.clone(),
                },
            }],
        }],
    });
    Slot {
        name: name.to_string(),
        value: Some(value.to_string()),
        confirmation_status: ConfirmationStatus::None,
        resolutions,
        slot_value: None,
    }
}
