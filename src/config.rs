//! Settings from the environment, read once at start.

/// Environment variable with the skill ID requests must carry.
pub const ENV_SKILL_ID: &str = "SKILL_ID";
/// Environment variable with the corpus to load (a directory or a FAQ `.csv`).
pub const ENV_CORPUS: &str = "CITY_SKILL_CORPUS";
/// Environment variable with the address of a remote iCalendar events feed.
pub const ENV_EVENTS_URL: &str = "CITY_SKILL_EVENTS_URL";
/// Environment variable with the feed's refresh interval in seconds.
pub const ENV_EVENTS_REFRESH: &str = "CITY_SKILL_EVENTS_REFRESH_SECS";
/// Environment variable with a PEM file of the authorities trusted for an
/// `https://` events feed (instead of the public roots).
pub const ENV_EVENTS_CA: &str = "CITY_SKILL_EVENTS_CA";
/// Environment variable with the request timestamp tolerance in seconds.
pub const ENV_TIMESTAMP_TOLERANCE: &str = "CITY_SKILL_TIMESTAMP_TOLERANCE_SECS";
/// Environment variable that turns on the report of unanswered questions
/// (`1`, `true`, `yes` or `on`).
pub const ENV_REPORT_UNANSWERED: &str = "CITY_SKILL_REPORT_UNANSWERED";
/// Environment variable whose presence means "running on Lambda".
pub const ENV_RUNTIME_API: &str = "AWS_LAMBDA_RUNTIME_API";

/// Typed settings.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// Expected skill ID (`SKILL_ID`); empty counts as unset.
    pub skill_id: Option<String>,
    /// Corpus path (`CITY_SKILL_CORPUS` or `--corpus`); `None` is the
    /// embedded Munich corpus.
    pub corpus: Option<std::path::PathBuf>,
    /// Remote events feed (`CITY_SKILL_EVENTS_URL`).
    pub events_url: Option<String>,
    /// Seconds between refreshes of the feed (`CITY_SKILL_EVENTS_REFRESH_SECS`).
    pub events_refresh_secs: Option<u64>,
    /// PEM file of the authorities trusted for the feed (`CITY_SKILL_EVENTS_CA`).
    pub events_ca: Option<std::path::PathBuf>,
    /// Request timestamp tolerance (`CITY_SKILL_TIMESTAMP_TOLERANCE_SECS`).
    pub timestamp_tolerance_secs: Option<u64>,
    /// Log unanswered questions, redacted (`CITY_SKILL_REPORT_UNANSWERED`).
    pub report_unanswered: bool,
}

impl Settings {
    /// Reads the settings from the process environment.
    pub fn from_env() -> Self {
        Self {
            skill_id: std::env::var(ENV_SKILL_ID)
                .ok()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
            corpus: std::env::var_os(ENV_CORPUS)
                .filter(|s| !s.is_empty())
                .map(std::path::PathBuf::from),
            events_url: std::env::var(ENV_EVENTS_URL)
                .ok()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
            events_refresh_secs: std::env::var(ENV_EVENTS_REFRESH)
                .ok()
                .and_then(|s| s.trim().parse().ok())
                .filter(|s| *s > 0),
            timestamp_tolerance_secs: std::env::var(ENV_TIMESTAMP_TOLERANCE)
                .ok()
                .and_then(|s| s.trim().parse().ok()),
            events_ca: std::env::var_os(ENV_EVENTS_CA)
                .filter(|s| !s.is_empty())
                .map(std::path::PathBuf::from),
            report_unanswered: std::env::var(ENV_REPORT_UNANSWERED).is_ok_and(|v| {
                matches!(
                    v.trim().to_ascii_lowercase().as_str(),
                    "1" | "true" | "yes" | "on"
                )
            }),
        }
    }

    /// Seconds a request's timestamp may be from now: the setting, else
    /// Amazon's 150. Lambda and `serve` both use it.
    pub fn timestamp_tolerance(&self) -> u64 {
        self.timestamp_tolerance_secs
            .unwrap_or(crate::alexa::request::TIMESTAMP_TOLERANCE_SECS)
    }

    /// True when the Lambda Runtime API is there to talk to.
    pub fn on_lambda() -> bool {
        std::env::var_os(ENV_RUNTIME_API).is_some()
    }
}
