//! SSML: [`Speech`] rendered as Alexa's markup.
//!
//! Skill code never writes markup by hand: it builds a [`Speech`] from
//! [`Segment`]s, and rendering escapes every piece of dynamic text. One
//! unescaped `&` makes Alexa reject the whole response ("Invalid SSML Output
//! Speech"), so escaping is not left to callers.

use std::fmt::Write as _;

use crate::lang::speech::{is_xml_char, Segment, Speech};

/// The whole speech as `<speak>…</speak>`, every text escaped.
pub fn to_ssml(speech: &Speech) -> String {
    let mut out = String::from("<speak>");
    for part in speech.all_parts() {
        if out.len() > "<speak>".len() {
            out.push(' ');
        }
        for seg in part {
            render_segment(&mut out, seg);
        }
    }
    out.push_str("</speak>");
    out
}

fn render_segment(out: &mut String, seg: &Segment) {
    match seg {
        Segment::Text(t) => escape_into(out, t),
        Segment::Lang { lang, text } => {
            out.push_str("<lang xml:lang=\"");
            escape_into(out, lang);
            out.push_str("\">");
            escape_into(out, text);
            out.push_str("</lang>");
        }
        Segment::SayAs { interpret_as, text } => {
            out.push_str("<say-as interpret-as=\"");
            out.push_str(interpret_as.as_str());
            out.push_str("\">");
            escape_into(out, text);
            out.push_str("</say-as>");
        }
        Segment::Break { millis } => {
            let _ = write!(out, "<break time=\"{}ms\"/>", (*millis).min(10_000));
        }
    }
}

/// Escapes text for SSML content or attribute values.
///
/// Replaces `& < > " '` with entities and drops characters that XML 1.0 does
/// not allow at all (most C0 controls, U+FFFE, U+FFFF), so that any string
/// yields well-formed SSML. Escaping is done once, here: text is never
/// escaped twice.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
}

/// Removes SSML tags and resolves the five entities: what a listener hears,
/// as text. Used by the command line to print the spoken answer.
pub fn strip_tags(ssml: &str) -> String {
    let mut out = String::with_capacity(ssml.len());
    let mut in_tag = false;
    for c in ssml.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::speech::SayAs;

    #[test]
    fn ampersand_in_office_name_is_escaped() {
        let s = Speech::text("Bürger- & Ordnungsamt");
        assert_eq!(to_ssml(&s), "<speak>Bürger- &amp; Ordnungsamt</speak>");
    }

    #[test]
    fn apostrophe_is_escaped_once() {
        assert_eq!(escape("what's &apos;"), "what&apos;s &amp;apos;");
    }

    #[test]
    fn control_characters_are_dropped() {
        assert_eq!(escape("a\u{0}b\u{1b}c\nd"), "abc d");
    }

    #[test]
    fn lang_and_telephone_render_as_tags() {
        let s = Speech::new().part(vec![
            Segment::Text("Call ".into()),
            Segment::SayAs {
                interpret_as: SayAs::Telephone,
                text: "089 233-96000".into(),
            },
            Segment::Text(" at the ".into()),
            Segment::Lang {
                lang: "de-DE".into(),
                text: "Bürgerbüro".into(),
            },
        ]);
        assert_eq!(
            to_ssml(&s),
            "<speak>Call <say-as interpret-as=\"telephone\">089 233-96000</say-as> at the \
             <lang xml:lang=\"de-DE\">Bürgerbüro</lang></speak>"
        );
    }

    #[test]
    fn plain_text_is_the_ssml_without_its_tags() {
        let s = Speech::new()
            .part(vec![Segment::Break { millis: 300 }])
            .say("A & B\n<c>\u{0}")
            .part(vec![Segment::SayAs {
                interpret_as: SayAs::Digits,
                text: "115".into(),
            }])
            .ask("noch etwas?");
        assert_eq!(s.to_plain(), strip_tags(&to_ssml(&s)));
    }

    #[test]
    fn strip_tags_gives_back_the_text() {
        let s = Speech::text("A & B <c>").say("d");
        assert_eq!(strip_tags(&to_ssml(&s)), "A & B <c> d");
    }

    /// Parses SSML as XML; panics with the reason when it is not well-formed.
    fn check_well_formed(ssml: &str) {
        use quick_xml::events::Event;
        let mut r = quick_xml::Reader::from_str(ssml);
        let mut depth = 0i32;
        loop {
            match r.read_event() {
                Ok(Event::Start(_)) => depth += 1,
                Ok(Event::End(_)) => depth -= 1,
                Ok(Event::Text(t)) => {
                    let _ = t.into_inner();
                }
                Ok(Event::GeneralRef(g)) => {
                    let n = g.into_inner();
                    assert!(
                        ["amp", "lt", "gt", "quot", "apos"].contains(&n.as_ref()),
                        "{ssml}"
                    );
                }
                Ok(Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("malformed ({e}): {ssml}"),
            }
            assert!(depth >= 0, "{ssml}");
        }
        assert_eq!(depth, 0, "{ssml}");
    }

    proptest::proptest! {
        #[test]
        fn any_text_yields_well_formed_ssml(text in proptest::prelude::any::<String>()) {
            let s = Speech::text(text.clone()).part(vec![
                Segment::Lang { lang: text.clone(), text: text.clone() },
                Segment::SayAs { interpret_as: SayAs::Telephone, text: text.clone() },
            ]).ask(text.clone());
            check_well_formed(&to_ssml(&s));
        }

        #[test]
        fn ssml_like_text_stays_text(
            text in "[<>&\"'a-z /=]{0,40}",
            tag in proptest::sample::select(vec!["<speak>", "</speak>", "<break time=\"1s\"/>", "&amp;", "]]>", "<!--", "<?xml", "&#x0;"]),
        ) {
            let input = format!("{text}{tag}{text}");
            let s = Speech::text(input.clone());
            let ssml = to_ssml(&s);
            check_well_formed(&ssml);
            // What is heard is exactly the input (after whitespace folding).
            proptest::prop_assert_eq!(strip_tags(&ssml), input.replace(['\t', '\n', '\r'], " "));
        }
    }
}
