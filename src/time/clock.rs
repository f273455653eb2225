//! The one place that reads the system clock.
//!
//! Everything else takes "now" as a parameter — normally the request's
//! `timestamp` — so every answer is reproducible in tests.

use chrono::{DateTime, Utc};

/// The current instant, for requests that carry no usable timestamp.
pub fn now() -> DateTime<Utc> {
    Utc::now()
}
