//! What a session remembers between turns: the one place that names the
//! session attributes.

/// The office the conversation is about ("und wo ist das?").
pub const OFFICE: &str = "office";
/// The office intent waiting for its office slot ("Welches Amt meinst du?").
pub const ELICIT: &str = "elicitOffice";
/// Ids of FAQ entries offered with "Meinst du …?", in order.
pub const PENDING: &str = "faqChoices";
/// The list of events being read, and where it stands.
pub const PAGE: &str = "eventsPage";
/// The last spoken text, for AMAZON.RepeatIntent.
pub const LAST_SPEECH: &str = "lastSpeech";
/// Longest text kept for repeating (session attributes stay under 2 KB).
pub const MAX_REPEAT_BYTES: usize = 1200;
