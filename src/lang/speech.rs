//! Speech as data: what the skill says, as sentences of text, foreign
//! words, numbers read in a special way and pauses, with a closing
//! question. Channel-neutral: the Alexa protocol renders it as SSML
//! ([`crate::alexa::ssml::to_ssml`]), [`Speech::to_plain`] as the text a
//! listener hears, for every channel without markup.

/// One piece of a spoken sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    /// Ordinary text in the response's language.
    Text(String),
    /// Text in another language, e.g. a German proper name inside an English
    /// answer, so that Alexa pronounces it right (`<lang xml:lang="de-DE">`).
    Lang {
        /// BCP 47 tag as Alexa expects it: `de-DE`, `en-US`, `en-GB`.
        lang: String,
        /// The text, escaped on rendering.
        text: String,
    },
    /// Text read in a special way (`<say-as interpret-as="telephone">`).
    SayAs {
        /// One of Alexa's `interpret-as` values.
        interpret_as: SayAs,
        /// The text, escaped on rendering.
        text: String,
    },
    /// A pause.
    Break {
        /// Length in milliseconds, capped at Alexa's 10 s on rendering.
        millis: u32,
    },
}

/// The `interpret-as` values the skill uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SayAs {
    /// A phone number, read in groups.
    Telephone,
    /// Digit by digit.
    Digits,
    /// Letter by letter.
    Characters,
}

impl SayAs {
    /// The name SSML gives it (`interpret-as`).
    pub fn as_str(self) -> &'static str {
        match self {
            SayAs::Telephone => "telephone",
            SayAs::Digits => "digits",
            SayAs::Characters => "characters",
        }
    }
}

/// A sentence: the unit a renderer may drop when speech is too long.
pub type Part = Vec<Segment>;

/// Something to say: sentences in order, and an optional closing question
/// that survives any shortening (a turn that asks must still ask).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Speech {
    parts: Vec<Part>,
    question: Option<Part>,
}

impl Speech {
    /// An empty speech.
    pub fn new() -> Self {
        Self::default()
    }

    /// A speech of one plain sentence.
    pub fn text(text: impl Into<String>) -> Self {
        Self::new().say(text)
    }

    /// Appends a plain sentence.
    pub fn say(mut self, text: impl Into<String>) -> Self {
        self.parts.push(vec![Segment::Text(text.into())]);
        self
    }

    /// Appends a sentence made of several segments.
    pub fn part(mut self, part: Part) -> Self {
        if !part.is_empty() {
            self.parts.push(part);
        }
        self
    }

    /// Appends every part of `other`, and takes its question if it has one.
    pub fn then(mut self, other: Speech) -> Self {
        self.parts.extend(other.parts);
        if other.question.is_some() {
            self.question = other.question;
        }
        self
    }

    /// Sets the closing question, kept when the speech is shortened.
    pub fn ask(mut self, question: impl Into<String>) -> Self {
        self.question = Some(vec![Segment::Text(question.into())]);
        self
    }

    /// True when there is nothing to say.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty() && self.question.is_none()
    }

    /// Number of sentences before the question.
    pub fn sentences(&self) -> usize {
        self.parts.len()
    }

    /// Keeps only the first `n` sentences (the question stays).
    pub fn truncate(&mut self, n: usize) {
        self.parts.truncate(n);
    }

    /// The speech as plain text, as heard: the same text as the SSML
    /// without its tags (line breaks folded to spaces, characters XML
    /// does not allow dropped), for PlainText output and text channels.
    pub fn to_plain(&self) -> String {
        let mut out = String::new();
        // A space goes where the SSML has one: after anything rendered,
        // a tag included.
        let mut rendered = false;
        for part in self.all_parts() {
            if rendered {
                out.push(' ');
            }
            for seg in part {
                let before = out.len();
                match seg {
                    Segment::Text(t) => plain_into(&mut out, t),
                    Segment::Lang { text, .. } | Segment::SayAs { text, .. } => {
                        plain_into(&mut out, text);
                        rendered = true;
                    }
                    Segment::Break { .. } => rendered = true,
                }
                rendered |= out.len() > before;
            }
        }
        out
    }

    /// The sentences in order, then the question.
    pub fn all_parts(&self) -> impl Iterator<Item = &Part> {
        self.parts.iter().chain(self.question.iter())
    }
}

/// Text as heard: line breaks folded to spaces, characters no channel
/// can carry (those XML 1.0 does not allow) dropped.
fn plain_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '\t' | '\n' | '\r' => out.push(' '),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
}

/// XML 1.0 `Char` production, minus the whitespace handled by the caller.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_survives_truncation() {
        let mut s = Speech::text("one").say("two").ask("more?");
        s.truncate(1);
        assert_eq!(s.to_plain(), "one more?");
    }
}
