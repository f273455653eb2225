//! The two languages the skill speaks, how Alexa locales map onto them,
//! and speech as data ([`speech`]), before any channel renders it.

pub mod speech;

use std::fmt;

/// A spoken language of the skill. Locales (`de-DE`, `en-GB`) map onto these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    /// German.
    De,
    /// English.
    En,
}

impl Lang {
    /// Both languages, German first.
    pub const ALL: [Lang; 2] = [Lang::De, Lang::En];

    /// `de` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }

    /// The other language.
    pub fn other(self) -> Lang {
        match self {
            Lang::De => Lang::En,
            Lang::En => Lang::De,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An Alexa locale the skill supports.
///
/// Any other or a missing locale falls back to [`Locale::EnUs`]: English is
/// what Alexa users everywhere can be assumed to understand best after their
/// own language, and en-US is Alexa's reference locale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Locale {
    /// German (Germany).
    DeDe,
    /// English (United States).
    EnUs,
    /// English (United Kingdom).
    EnGb,
}

impl Locale {
    /// Every supported locale.
    pub const ALL: [Locale; 3] = [Locale::DeDe, Locale::EnUs, Locale::EnGb];

    /// Parses `de-DE`, `en_GB`, `de`, case-insensitively; other German
    /// variants (`de-AT`, `de-CH`) map to de-DE, other English ones to en-US
    /// (en-GB for the Commonwealth variants), everything else to en-US.
    pub fn from_tag(tag: Option<&str>) -> Locale {
        let Some(tag) = tag else {
            return Locale::EnUs;
        };
        let tag = tag.trim().replace('_', "-").to_ascii_lowercase();
        let (lang, region) = tag.split_once('-').unwrap_or((tag.as_str(), ""));
        match (lang, region) {
            ("de", _) => Locale::DeDe,
            ("en", "gb" | "ie" | "au" | "nz" | "in") => Locale::EnGb,
            _ => Locale::EnUs,
        }
    }

    /// The BCP 47 tag Alexa uses.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::DeDe => "de-DE",
            Locale::EnUs => "en-US",
            Locale::EnGb => "en-GB",
        }
    }

    /// The language of the locale.
    pub fn lang(self) -> Lang {
        match self {
            Locale::DeDe => Lang::De,
            Locale::EnUs | Locale::EnGb => Lang::En,
        }
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_or_unknown_locale_falls_back_to_en_us() {
        assert_eq!(Locale::from_tag(None), Locale::EnUs);
        assert_eq!(Locale::from_tag(Some("fr-FR")), Locale::EnUs);
        assert_eq!(Locale::from_tag(Some("")), Locale::EnUs);
    }

    #[test]
    fn german_variants_map_to_de_de() {
        assert_eq!(Locale::from_tag(Some("de-AT")), Locale::DeDe);
        assert_eq!(Locale::from_tag(Some("DE_de")), Locale::DeDe);
    }

    #[test]
    fn british_english_is_kept() {
        assert_eq!(Locale::from_tag(Some("en-GB")), Locale::EnGb);
        assert_eq!(Locale::from_tag(Some("en-IN")), Locale::EnGb);
    }
}
