//! Whether an answer helped, as a citizen said on the try page: logged
//! beside the unanswered questions (the same opt-in,
//! `CITY_SKILL_REPORT_UNANSWERED`) for `city-skill report`.
//!
//! A rating carries the question (redacted as [`super::unanswered::redact`]
//! does), the entry answered from, its score, the locale, helpful or not,
//! and what the citizen expected (redacted the same way). Nothing about the
//! person: the channel passes no address, user agent, cookie or id in, so
//! none can come out, and no two lines can be joined.

use super::unanswered::redact;
use crate::lang::Locale;

/// The log message that marks a rating.
pub const MESSAGE: &str = "rating";
/// Longest entry id kept; ids are slugs or calendar UIDs.
const MAX_ENTRY_BYTES: usize = 120;

/// One rating, as the channel received it (untrusted).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rating {
    /// The question that was answered.
    pub question: String,
    /// The locale it was asked in.
    pub locale: String,
    /// The office, FAQ entry or event the answer came from, if any.
    pub entry: Option<String>,
    /// The matcher's score for that entry, if a FAQ match chose it.
    pub score: Option<f64>,
    /// Whether the answer helped.
    pub helpful: bool,
    /// What the citizen expected instead (optional).
    pub expected: String,
}

/// The entry id kept: only what looks like an id (letters, digits and
/// `-_.@:`), so the report never shows free text in the entry column.
pub fn entry_id(id: &str) -> Option<String> {
    let ok = !id.is_empty()
        && id.len() <= MAX_ENTRY_BYTES
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.@:".contains(c));
    ok.then(|| id.to_string())
}

/// Logs one rating (the caller checks the opt-in). Returns false when
/// nothing was left to log (no question after redaction).
pub fn log(rating: &Rating) -> bool {
    let question = redact(&rating.question);
    if question.is_empty() {
        return false;
    }
    let expected = redact(&rating.expected);
    let entry = rating.entry.as_deref().and_then(entry_id);
    let score = rating
        .score
        .filter(|s| s.is_finite())
        .map(|s| (s.clamp(0.0, 1.0) * 1000.0).round() / 1000.0);
    tracing::info!(
        question = question.as_str(),
        locale = Locale::from_tag(Some(&rating.locale)).tag(),
        entry = entry.as_deref().unwrap_or(""),
        score,
        helpful = rating.helpful,
        expected = expected.as_str(),
        "{MESSAGE}"
    );
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_id_keeps_slugs_and_calendar_uids() {
        assert_eq!(entry_id("kfz-zulassung").as_deref(), Some("kfz-zulassung"));
        assert_eq!(
            entry_id("20261201T1000Z-1@stadt.example").as_deref(),
            Some("20261201T1000Z-1@stadt.example")
        );
    }

    #[test]
    fn entry_id_refuses_free_text_and_markup() {
        assert_eq!(entry_id("<img src=x>"), None);
        assert_eq!(entry_id("mein name ist"), None);
        assert_eq!(entry_id(&"a".repeat(200)), None);
        assert_eq!(entry_id(""), None);
    }
}
