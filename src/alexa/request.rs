//! The Alexa request envelope.
//!
//! Lenient by design: unknown request types and unknown fields are accepted,
//! a slot may lack `value`, `session` may be absent, and enum-like strings
//! that Amazon adds later parse as `Unknown`. Identifiers of people and
//! devices are wrapped in [`Secret`] so that a stray `{:?}` never logs them.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

/// How far a request's timestamp may be from now, in seconds, before it
/// counts as a replay: Amazon's rule for a skill's endpoint.
pub const TIMESTAMP_TOLERANCE_SECS: u64 = 150;

/// A string that must not appear in logs: user, device and person ids,
/// access tokens. `Debug` prints `<redacted>`.
#[derive(Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// The value, for the rare code that must compare or forward it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The whole request Alexa POSTs to a skill.
#[derive(Clone, Debug, Deserialize)]
pub struct RequestEnvelope {
    /// Protocol version, `"1.0"`.
    #[serde(default, deserialize_with = "null_default")]
    pub version: String,
    /// Absent for some request types (e.g. `CanFulfillIntentRequest` may come without).
    #[serde(default)]
    pub session: Option<Session>,
    /// Device and application context.
    #[serde(default)]
    pub context: Option<Context>,
    /// The request itself.
    pub request: Request,
}

impl RequestEnvelope {
    /// The skill ID to verify: `context.System.application.applicationId`,
    /// falling back to the session's copy.
    pub fn application_id(&self) -> Option<&str> {
        let from_context = self
            .context
            .as_ref()
            .and_then(|c| c.system.as_ref())
            .and_then(|s| s.application.as_ref())
            .map(|a| a.application_id.as_str());
        let from_session = self
            .session
            .as_ref()
            .and_then(|s| s.application.as_ref())
            .map(|a| a.application_id.as_str());
        from_context.or(from_session).filter(|id| !id.is_empty())
    }

    /// The session attributes, empty when there is no session.
    pub fn session_attributes(&self) -> &Map<String, Value> {
        static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
        self.session
            .as_ref()
            .and_then(|s| s.attributes.as_ref())
            .unwrap_or_else(|| EMPTY.get_or_init(Map::new))
    }

    /// True when this request starts a session (or comes without one).
    pub fn is_new_session(&self) -> bool {
        self.session.as_ref().is_none_or(|s| s.new)
    }
}

fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// `session` of the envelope.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    /// True on the first request of a session.
    #[serde(default, deserialize_with = "null_default")]
    pub new: bool,
    /// Opaque session id.
    #[serde(default, deserialize_with = "null_default")]
    pub session_id: String,
    /// The skill the session belongs to.
    #[serde(default)]
    pub application: Option<Application>,
    /// What the skill stored in the previous response.
    #[serde(default)]
    pub attributes: Option<Map<String, Value>>,
    /// The Amazon account.
    #[serde(default)]
    pub user: Option<User>,
}

/// An application (skill) reference.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Application {
    /// `amzn1.ask.skill.…`
    #[serde(default, deserialize_with = "null_default")]
    pub application_id: String,
}

/// The Amazon account that uses the skill. Never logged.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// Per-skill user id.
    #[serde(default)]
    pub user_id: Option<Secret>,
    /// Account-linking token.
    #[serde(default)]
    pub access_token: Option<Secret>,
    /// Granted permissions (with a consent token).
    #[serde(default)]
    pub permissions: Option<Value>,
}

/// `context` of the envelope. Interfaces the skill does not use stay as JSON.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Context {
    /// Application, user, device, person, endpoint.
    #[serde(rename = "System", default)]
    pub system: Option<SystemContext>,
    /// Screen of the device, when it has one.
    #[serde(rename = "Viewport", default)]
    pub viewport: Option<Value>,
}

/// `context.System`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SystemContext {
    /// The skill addressed.
    #[serde(default)]
    pub application: Option<Application>,
    /// The Amazon account.
    #[serde(default)]
    pub user: Option<User>,
    /// The device.
    #[serde(default)]
    pub device: Option<Device>,
    /// The recognised speaker; only its presence matters to us.
    #[serde(default)]
    pub person: Option<RedactedJson>,
    /// Regional API endpoint.
    #[serde(default)]
    pub api_endpoint: Option<String>,
    /// Token for Alexa APIs. Never logged.
    #[serde(default)]
    pub api_access_token: Option<Secret>,
}

/// Any JSON value whose `Debug` is redacted (person objects carry ids).
#[derive(Clone, Default, Deserialize)]
#[serde(transparent)]
pub struct RedactedJson(Value);

impl RedactedJson {
    /// The JSON, for code that must read it.
    pub fn expose(&self) -> &Value {
        &self.0
    }
}

impl fmt::Debug for RedactedJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// `context.System.device`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Device {
    /// Device id. Never logged.
    #[serde(default)]
    pub device_id: Option<Secret>,
    /// What the device can do (display, audio player, …).
    #[serde(default)]
    pub supported_interfaces: Option<Value>,
}

/// The `request` object: fields every type has, and the type-specific part.
#[derive(Clone, Debug)]
pub struct Request {
    /// The `type` string as sent, also for unknown types.
    pub request_type: String,
    /// Unique id of this request.
    pub request_id: String,
    /// When Alexa sent the request; `None` if absent or unparseable.
    pub timestamp: Option<DateTime<Utc>>,
    /// `de-DE`, `en-US`, …; not guaranteed on every type.
    pub locale: Option<String>,
    /// What kind of request, with its own fields.
    pub kind: RequestKind,
}

/// The request types the skill tells apart.
#[derive(Clone, Debug)]
pub enum RequestKind {
    /// The user opened the skill without a question.
    Launch,
    /// The user said something that matched an intent.
    Intent(IntentRequest),
    /// Alexa asks whether the skill could answer (name-free interaction).
    CanFulfillIntent(IntentRequest),
    /// The session ended; the reply is ignored.
    SessionEnded(SessionEndedRequest),
    /// The skill's previous response caused an error on Alexa's side.
    ExceptionEncountered(ExceptionEncountered),
    /// Any of the ~60 other types (`SessionResumedRequest`, APL events, …).
    Other,
}

impl<'de> Deserialize<'de> for Request {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Common {
            #[serde(rename = "type")]
            request_type: String,
            #[serde(default, deserialize_with = "null_default")]
            request_id: String,
            #[serde(default)]
            timestamp: Option<Value>,
            #[serde(default)]
            locale: Option<String>,
        }
        use serde::de::Error as _;
        let value = Value::deserialize(d)?;
        let common = Common::deserialize(&value).map_err(D::Error::custom)?;
        let kind = match common.request_type.as_str() {
            "LaunchRequest" => RequestKind::Launch,
            "IntentRequest" => {
                RequestKind::Intent(IntentRequest::deserialize(&value).map_err(D::Error::custom)?)
            }
            "CanFulfillIntentRequest" => RequestKind::CanFulfillIntent(
                IntentRequest::deserialize(&value).map_err(D::Error::custom)?,
            ),
            "SessionEndedRequest" => RequestKind::SessionEnded(
                SessionEndedRequest::deserialize(&value).map_err(D::Error::custom)?,
            ),
            "System.ExceptionEncountered" => RequestKind::ExceptionEncountered(
                ExceptionEncountered::deserialize(&value).map_err(D::Error::custom)?,
            ),
            _ => RequestKind::Other,
        };
        Ok(Request {
            request_type: common.request_type,
            request_id: common.request_id,
            timestamp: common.timestamp.as_ref().and_then(parse_timestamp),
            locale: common.locale.filter(|l| !l.is_empty()),
            kind,
        })
    }
}

/// ISO 8601 as Alexa sends it; epoch milliseconds as some test tools send it.
///
/// Milliseconds are taken only within the years an ISO 8601 timestamp can
/// name (0000–9999): near chrono's limits (±262,143) the local time and
/// the date arithmetic of the answer would overflow.
fn parse_timestamp(v: &Value) -> Option<DateTime<Utc>> {
    match v {
        Value::String(s) => DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| t.with_timezone(&Utc)),
        Value::Number(n) => n
            .as_i64()
            .and_then(DateTime::from_timestamp_millis)
            .filter(|t| (0..=9999).contains(&t.year())),
        _ => None,
    }
}

/// `IntentRequest` and `CanFulfillIntentRequest`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IntentRequest {
    /// Where a multi-turn dialog stands.
    #[serde(default)]
    pub dialog_state: Option<DialogState>,
    /// The recognised intent.
    pub intent: Intent,
}

/// Dialog progress of an intent with a dialog model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DialogState {
    /// First turn of the dialog.
    Started,
    /// Later turns.
    InProgress,
    /// All required slots filled and confirmed.
    Completed,
    /// A value Amazon added after this code was written.
    #[serde(other)]
    Unknown,
}

/// Confirmation of an intent or slot.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ConfirmationStatus {
    /// Not asked.
    #[default]
    None,
    /// The user said no.
    Denied,
    /// The user said yes.
    Confirmed,
    /// A value Amazon added after this code was written.
    #[serde(other)]
    Unknown,
}

/// An intent with its slots; also sent back as `updatedIntent`.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Intent {
    /// `OfficeHoursIntent`, `AMAZON.HelpIntent`, …
    pub name: String,
    /// Whether the user confirmed the intent.
    #[serde(default, deserialize_with = "null_default")]
    pub confirmation_status: ConfirmationStatus,
    /// Slots by name; a slot the user did not fill has no `value`.
    #[serde(default, deserialize_with = "null_default")]
    pub slots: BTreeMap<String, Slot>,
}

impl Intent {
    /// The slot's spoken value, if the user filled it.
    pub fn slot_value(&self, name: &str) -> Option<&str> {
        self.slots.get(name).and_then(Slot::spoken)
    }
}

/// One slot of an intent.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Slot {
    /// The slot's name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// What the user said; absent when the slot was not filled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Whether the user confirmed the slot.
    #[serde(default, deserialize_with = "null_default")]
    pub confirmation_status: ConfirmationStatus,
    /// Entity resolution against custom slot values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolutions: Option<Resolutions>,
    /// Newer form of the value (`Simple` or `List`); kept as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slot_value: Option<Value>,
}

impl Slot {
    /// The raw value, falling back to `slotValue.value` of a Simple slot value.
    pub fn spoken(&self) -> Option<&str> {
        self.value
            .as_deref()
            .or_else(|| {
                self.slot_value
                    .as_ref()
                    .and_then(|v| v.get("value"))
                    .and_then(Value::as_str)
            })
            .map(str::trim)
            .filter(|v| !v.is_empty())
    }

    /// The id of the first successful entity-resolution match, if any.
    ///
    /// Prefer this over [`Slot::spoken`]: it is what the custom slot type's
    /// value and synonyms resolved to.
    pub fn resolved_id(&self) -> Option<&str> {
        self.resolutions
            .as_ref()?
            .resolutions_per_authority
            .iter()
            .filter(|a| a.status.code == ResolutionCode::ErSuccessMatch)
            .flat_map(|a| a.values.iter())
            .map(|v| v.value.id.as_str())
            .find(|id| !id.is_empty())
    }
}

/// `slot.resolutions`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Resolutions {
    /// One entry per authority (the skill's slot type, dynamic entities).
    #[serde(default, deserialize_with = "null_default")]
    pub resolutions_per_authority: Vec<ResolutionAuthority>,
}

/// Result of resolving a slot value against one authority.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct ResolutionAuthority {
    /// `amzn1.er-authority.echo-sdk.<skill>.<TYPE>`
    #[serde(default, deserialize_with = "null_default")]
    pub authority: String,
    /// Match or no match.
    pub status: ResolutionStatus,
    /// Matched values, best first.
    #[serde(default, deserialize_with = "null_default")]
    pub values: Vec<ResolutionValueWrapper>,
}

/// `status` of a resolution.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct ResolutionStatus {
    /// The status code.
    pub code: ResolutionCode,
}

/// Status codes of entity resolution.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub enum ResolutionCode {
    /// The value matched.
    #[serde(rename = "ER_SUCCESS_MATCH")]
    ErSuccessMatch,
    /// Nothing matched.
    #[serde(rename = "ER_SUCCESS_NO_MATCH")]
    ErSuccessNoMatch,
    /// Resolution timed out.
    #[serde(rename = "ER_ERROR_TIMEOUT")]
    ErErrorTimeout,
    /// Resolution failed.
    #[serde(rename = "ER_ERROR_EXCEPTION")]
    ErErrorException,
    /// A code Amazon added after this code was written.
    #[serde(other)]
    Unknown,
}

/// `{ "value": { "name", "id" } }`
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct ResolutionValueWrapper {
    /// The resolved value.
    pub value: ResolutionValue,
}

/// A resolved canonical value.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct ResolutionValue {
    /// Canonical name of the value.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Id of the value, as defined in the interaction model.
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
}

/// `SessionEndedRequest`.
#[derive(Clone, Debug, Deserialize)]
pub struct SessionEndedRequest {
    /// Why the session ended.
    #[serde(default)]
    pub reason: Option<SessionEndedReason>,
    /// Set when the reason is `ERROR`.
    #[serde(default)]
    pub error: Option<ErrorInfo>,
}

/// Why a session ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SessionEndedReason {
    /// The user said stop, or left.
    UserInitiated,
    /// Something failed.
    Error,
    /// The user did not answer the reprompts.
    ExceededMaxReprompts,
    /// A reason Amazon added after this code was written.
    #[serde(other)]
    Unknown,
}

impl SessionEndedReason {
    /// The reason as Alexa spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            SessionEndedReason::UserInitiated => "USER_INITIATED",
            SessionEndedReason::Error => "ERROR",
            SessionEndedReason::ExceededMaxReprompts => "EXCEEDED_MAX_REPROMPTS",
            SessionEndedReason::Unknown => "UNKNOWN",
        }
    }
}

/// `error` of `SessionEndedRequest` and `System.ExceptionEncountered`.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ErrorInfo {
    /// E.g. `INVALID_RESPONSE`, `DEVICE_COMMUNICATION_ERROR`, `INTERNAL_ERROR`.
    #[serde(rename = "type", default, deserialize_with = "null_default")]
    pub error_type: String,
    /// Human-readable detail.
    #[serde(default, deserialize_with = "null_default")]
    pub message: String,
}

/// `System.ExceptionEncountered`.
#[derive(Clone, Debug, Deserialize)]
pub struct ExceptionEncountered {
    /// What went wrong.
    #[serde(default)]
    pub error: Option<ErrorInfo>,
    /// The request that caused it.
    #[serde(default)]
    pub cause: Option<Cause>,
}

/// `cause` of `System.ExceptionEncountered`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Cause {
    /// Id of the request whose response failed.
    #[serde(default, deserialize_with = "null_default")]
    pub request_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(v: Value) -> RequestEnvelope {
        match serde_json::from_value(v) {
            Ok(env) => env,
            Err(e) => panic!("does not parse: {e}"),
        }
    }

    #[test]
    fn unknown_request_type_parses_as_other() {
        let env = parse(
            json!({"version":"1.0","request":{"type":"Alexa.Presentation.APL.UserEvent","requestId":"r","timestamp":"2026-11-24T12:33:07Z","arguments":[1]}}),
        );
        assert!(matches!(env.request.kind, RequestKind::Other));
        assert_eq!(env.request.request_type, "Alexa.Presentation.APL.UserEvent");
    }

    #[test]
    fn slot_without_value_is_unfilled() {
        let env = parse(
            json!({"request":{"type":"IntentRequest","requestId":"r","intent":{"name":"OfficeHoursIntent","slots":{"office":{"name":"office","confirmationStatus":"NONE"}}}}}),
        );
        let RequestKind::Intent(ir) = env.request.kind else {
            panic!("not an intent")
        };
        assert_eq!(ir.intent.slot_value("office"), None);
    }

    #[test]
    fn resolved_id_is_taken_from_first_successful_authority() {
        let slot: Slot = serde_json::from_value(json!({"name":"office","value":"meldeamt","resolutions":{"resolutionsPerAuthority":[
            {"authority":"a","status":{"code":"ER_SUCCESS_NO_MATCH"}},
            {"authority":"b","status":{"code":"ER_SUCCESS_MATCH"},"values":[{"value":{"name":"Bürgerbüro","id":"bb"}}]}]}}))
        .unwrap_or_default();
        assert_eq!(slot.resolved_id(), Some("bb"));
    }

    #[test]
    fn slot_value_simple_form_is_read_when_value_is_absent() {
        let slot: Slot = serde_json::from_value(
            json!({"name":"q","slotValue":{"type":"Simple","value":"reisepass"}}),
        )
        .unwrap_or_default();
        assert_eq!(slot.spoken(), Some("reisepass"));
    }

    #[test]
    fn epoch_millisecond_timestamps_are_accepted() {
        let env = parse(
            json!({"request":{"type":"LaunchRequest","requestId":"r","timestamp":1764000000000_i64}}),
        );
        assert!(env.request.timestamp.is_some());
    }

    #[test]
    fn secrets_are_redacted_in_debug_output() {
        let env = parse(
            json!({"session":{"new":true,"user":{"userId":"amzn1.ask.account.SECRET"}},
            "context":{"System":{"device":{"deviceId":"amzn1.ask.device.SECRET"},"apiAccessToken":"SECRET","person":{"personId":"SECRET"}}},
            "request":{"type":"LaunchRequest","requestId":"r"}}),
        );
        assert!(!format!("{env:?}").contains("SECRET"));
    }

    #[test]
    fn application_id_comes_from_context_before_session() {
        let env = parse(json!({"session":{"application":{"applicationId":"s"}},
            "context":{"System":{"application":{"applicationId":"c"}}},
            "request":{"type":"LaunchRequest","requestId":"r"}}));
        assert_eq!(env.application_id(), Some("c"));
    }
}
