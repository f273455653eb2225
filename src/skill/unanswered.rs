//! Questions the skill could not answer, logged for the city's FAQ editors.
//!
//! With `CITY_SKILL_REPORT_UNANSWERED=1` the skill logs one
//! `"unanswered question"` line for each question the matcher rejected or
//! doubted: the question folded and stripped of anything that could name a
//! person (digits, e-mail and web addresses), the locale, and the entry it
//! came closest to. It carries no user, device, session or request id, so
//! the lines cannot be joined to a person or to each other. The local
//! `city-skill report` reads such lines back (`crate::local::report`).

/// The log message that marks an unanswered question.
pub const MESSAGE: &str = "unanswered question";
/// Longest question kept, in bytes of its folded form.
const MAX_QUESTION_BYTES: usize = 200;

/// Why a question counts as unanswered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    /// No entry came close: the skill pointed to 115.
    Rejected,
    /// Entries came close but none clearly won: the skill asked back.
    Doubted,
}

impl Outcome {
    /// The name used in the log.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Rejected => "rejected",
            Outcome::Doubted => "doubted",
        }
    }

    /// The outcome a log line names.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "rejected" => Some(Outcome::Rejected),
            "doubted" => Some(Outcome::Doubted),
            _ => None,
        }
    }
}

/// What the report keeps of a question: folded words, with every digit
/// turned into `#` and words that look like e-mail or web addresses
/// dropped, cut to 200 bytes. A birth date, a phone number, a case number
/// or an address does not survive; the topic does.
pub fn redact(question: &str) -> String {
    let mut out = String::new();
    for word in question.split_whitespace() {
        if word.contains('@') || word.contains("://") || word.starts_with("www.") {
            continue;
        }
        // `#` stands for a digit already redacted, so redacting twice
        // changes nothing; any script's digits count.
        let word: String = word
            .chars()
            .map(|c| if c == '#' { '0' } else { c })
            .collect();
        for w in crate::matching::normalize::fold(&word).split_whitespace() {
            let w: String = w
                .chars()
                .map(|c| if c.is_numeric() { '#' } else { c })
                .collect();
            if out.len() + w.len() + 1 > MAX_QUESTION_BYTES {
                return out;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&w);
        }
    }
    out
}

/// Logs one unanswered question (the caller checks the opt-in).
pub fn log(question: &str, outcome: Outcome, locale: &str, best: Option<(&str, f64)>) {
    let question = redact(question);
    if question.is_empty() {
        return;
    }
    tracing::info!(
        question = question.as_str(),
        outcome = outcome.as_str(),
        locale,
        best = best.map_or("", |(id, _)| id),
        score = best.map(|(_, s)| (s * 1000.0).round() / 1000.0),
        "{MESSAGE}"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_turns_digits_into_hashes() {
        assert_eq!(
            redact("Mein Ausweis 12345 läuft am 3.4.2027 ab"),
            "mein ausweis ##### laeuft am # # #### ab"
        );
    }

    #[test]
    fn redact_drops_mail_and_web_addresses() {
        assert_eq!(
            redact("schreib an max.muster@example.org oder https://x.de/a?b=1 bitte"),
            "schreib an oder bitte"
        );
    }

    #[test]
    fn redact_twice_is_redact_once() {
        let once = redact("Ruf 0171 an, Zimmer #12, ３ Uhr");
        assert_eq!(once, "ruf #### an zimmer ### # uhr");
        assert_eq!(redact(&once), once);
    }

    #[test]
    fn redact_caps_the_length() {
        let long = "wort ".repeat(1000);
        assert!(redact(&long).len() <= MAX_QUESTION_BYTES);
    }
}
