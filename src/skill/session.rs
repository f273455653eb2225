//! What a session remembers between turns, typed: the one place that names
//! the session attributes and reads them.
//!
//! Attributes come back from the client with every request, so they are
//! input: a value of the wrong shape is read as absent (the turn then goes
//! on as if nothing was pending), never as an error the user hears.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{json, Map, Value};

/// The office the conversation is about ("und wo ist das?").
const OFFICE: &str = "office";
/// The office intent waiting for its office slot ("Welches Amt meinst du?").
const ELICIT: &str = "elicitOffice";
/// Ids of FAQ entries offered with "Meinst du …?", in order.
const CHOICES: &str = "faqChoices";
/// The list of events being read, and where it stands.
const PAGE: &str = "eventsPage";
/// The last spoken text, for AMAZON.RepeatIntent.
const LAST_SPEECH: &str = "lastSpeech";
/// Longest text kept for repeating (session attributes stay under 2 KB).
pub const MAX_REPEAT_BYTES: usize = 1200;

/// The session state a turn starts from and an answer leaves behind.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Session {
    /// The office the conversation is about.
    pub office: Option<String>,
    /// The office intent waiting for its office slot.
    pub waiting_intent: Option<String>,
    /// FAQ entries offered with "Meinst du …?", in order.
    pub faq_choices: Vec<String>,
    /// The list of events being read.
    pub events_page: Option<EventsPage>,
    /// The last spoken text, for AMAZON.RepeatIntent.
    pub last_speech: Option<String>,
}

/// Where a list of events being read stands ("Soll ich weitere nennen?").
#[derive(Clone, Debug, PartialEq)]
pub struct EventsPage {
    /// The instants the events were looked for between.
    pub from: DateTime<Utc>,
    /// End of that window.
    pub to: DateTime<Utc>,
    /// The days asked about, first and (exclusive) last.
    pub start: NaiveDate,
    /// End of those days.
    pub end: NaiveDate,
    /// How many were already read.
    pub offset: usize,
    /// The category asked about, if any.
    pub category: Option<String>,
}

impl Session {
    /// A session about `office`.
    pub fn about_office(id: &str) -> Self {
        Self {
            office: Some(id.to_string()),
            ..Self::default()
        }
    }

    /// The session attributes of a response.
    pub fn to_attributes(&self) -> Map<String, Value> {
        let mut m = Map::new();
        if let Some(o) = &self.office {
            m.insert(OFFICE.into(), Value::String(o.clone()));
        }
        if let Some(w) = &self.waiting_intent {
            m.insert(ELICIT.into(), Value::String(w.clone()));
        }
        if !self.faq_choices.is_empty() {
            m.insert(
                CHOICES.into(),
                Value::Array(
                    self.faq_choices
                        .iter()
                        .cloned()
                        .map(Value::String)
                        .collect(),
                ),
            );
        }
        if let Some(p) = &self.events_page {
            m.insert(
                PAGE.into(),
                json!({
                    "from": p.from.to_rfc3339(), "to": p.to.to_rfc3339(),
                    "start": p.start.to_string(), "end": p.end.to_string(),
                    "offset": p.offset, "category": p.category,
                }),
            );
        }
        if let Some(s) = &self.last_speech {
            m.insert(LAST_SPEECH.into(), Value::String(s.clone()));
        }
        m
    }
}

impl From<&Map<String, Value>> for Session {
    /// Reads the attributes a request carries; what does not have the
    /// shape this module writes is left out.
    fn from(a: &Map<String, Value>) -> Self {
        let text = |k: &str| a.get(k).and_then(Value::as_str).map(str::to_string);
        Self {
            office: text(OFFICE),
            waiting_intent: text(ELICIT),
            faq_choices: a
                .get(CHOICES)
                .and_then(Value::as_array)
                .map(|v| {
                    v.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
            events_page: a.get(PAGE).and_then(EventsPage::read),
            last_speech: text(LAST_SPEECH),
        }
    }
}

impl EventsPage {
    fn read(p: &Value) -> Option<Self> {
        let instant = |k: &str| {
            p.get(k)
                .and_then(Value::as_str)
                .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
                .map(|t| t.with_timezone(&Utc))
        };
        let day = |k: &str| {
            p.get(k)
                .and_then(Value::as_str)
                .and_then(|s| s.parse::<NaiveDate>().ok())
        };
        Some(Self {
            from: instant("from")?,
            to: instant("to")?,
            start: day("start")?,
            end: day("end")?,
            offset: p.get("offset").and_then(Value::as_u64).unwrap_or(0) as usize,
            category: p
                .get("category")
                .and_then(Value::as_str)
                .map(str::to_string),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_a_session_writes_it_reads_back() {
        let s = Session {
            office: Some("kvr".into()),
            waiting_intent: Some("OfficePhoneIntent".into()),
            faq_choices: vec!["reisepass".into(), "personalausweis".into()],
            events_page: Some(EventsPage {
                from: "2026-11-25T09:00:00Z".parse().unwrap(),
                to: "2026-11-30T09:00:00Z".parse().unwrap(),
                start: "2026-11-25".parse().unwrap(),
                end: "2026-11-30".parse().unwrap(),
                offset: 3,
                category: None,
            }),
            last_speech: Some("Hallo.".into()),
        };
        assert_eq!(Session::from(&s.to_attributes()), s);
    }

    #[test]
    fn attributes_of_the_wrong_shape_are_read_as_absent() {
        let a = json!({"office": 7, "faqChoices": "x", "eventsPage": {"from": "gestern"}, "lastSpeech": null});
        let a = a.as_object().unwrap();
        assert_eq!(Session::from(a), Session::default());
    }
}
