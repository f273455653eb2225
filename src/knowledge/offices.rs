//! Office lookup: by id, by name or synonym (exact, then close), the
//! hotline, and which office and what about it a free question asks.

#[allow(clippy::wildcard_imports)]
use super::*;

/// An office name must match at least this well to count as meant.
pub(super) const OFFICE_MATCH_MIN: f64 = 0.75;
/// How far a fuzzy office match must lead the next office.
pub(super) const OFFICE_MATCH_LEAD: f64 = 0.05;

/// What a question about an office asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aspect {
    /// Opening hours ("wann hat … offen").
    Hours,
    /// Address ("wo ist …").
    Address,
    /// Phone number ("Telefonnummer vom …").
    Phone,
}

impl Aspect {
    /// `hours`, `address` or `phone`.
    pub fn as_str(self) -> &'static str {
        match self {
            Aspect::Hours => "hours",
            Aspect::Address => "address",
            Aspect::Phone => "phone",
        }
    }
}

/// Words that say what is asked about an office, by aspect (folded).
pub(super) const ASPECT_CUES: [(Aspect, &[&str]); 3] = [
    (
        Aspect::Phone,
        &[
            "telefon",
            "telefonnummer",
            "nummer",
            "anrufen",
            "erreiche",
            "erreichen",
            "phone",
            "call",
            "number",
            "ring",
        ],
    ),
    (
        Aspect::Hours,
        &[
            "offen",
            "geoeffnet",
            "oeffnungszeiten",
            "oeffnungszeit",
            "oeffnet",
            "geschlossen",
            "auf",
            "zu",
            "open",
            "opens",
            "opening",
            "hours",
            "closed",
            "close",
            "closes",
        ],
    ),
    (
        Aspect::Address,
        &[
            "wo",
            "adresse",
            "anschrift",
            "liegt",
            "finde",
            "komme",
            "hin",
            "where",
            "address",
            "located",
            "find",
            "directions",
        ],
    ),
];

/// Every name of an office: its id, and its names and synonyms in both
/// languages.
pub(super) fn office_names(o: &Office) -> Vec<&str> {
    let mut names: Vec<&str> = vec![o.id.as_str()];
    for lang in Lang::ALL {
        names.extend(o.name.get(lang).map(String::as_str));
        names.extend(
            o.synonyms
                .get(lang)
                .into_iter()
                .flatten()
                .map(String::as_str),
        );
    }
    names
}

impl Knowledge {
    /// The office with this id.
    pub fn office(&self, id: &str) -> Option<&Office> {
        self.office_by_id.get(id).map(|&i| &self.offices[i])
    }

    /// The parsed opening hours of an office, if it has any.
    pub fn hours(&self, id: &str) -> Option<&Hours> {
        let &i = self.office_by_id.get(id)?;
        let raw = self.offices.get(i)?.opening_hours.as_deref();
        (self.hours.get(i)?)
            .get_or_init(|| raw.and_then(|r| Hours::parse(r, &self.city.holidays).ok()))
            .as_ref()
    }

    /// The office to name when the skill does not know (e.g. 115).
    pub fn hotline(&self) -> Option<&Office> {
        self.city.hotline.as_deref().and_then(|id| self.office(id))
    }

    /// The office a citizen means by `text`: an exact name or synonym first
    /// (umlauts and case folded), else the best close match.
    pub fn find_office(&self, text: &str) -> Option<&Office> {
        let key = fold(text).split_whitespace().collect::<Vec<_>>().join(" ");
        if let Some(&i) = self.office_by_name.get(&key) {
            return Some(&self.offices[i]);
        }
        let index = self.office_index.get_or_init(|| {
            let mut index = Index::with_stop_words(self.city.stop_words());
            for o in &self.offices {
                index.add(office_names(o));
            }
            index
        });
        let hits = index.search(text, 2);
        let hit = hits.first()?;
        // "der Wertstoffhof" fits eight offices equally: that is no answer.
        let ambiguous = hits
            .get(1)
            .is_some_and(|h| hit.score - h.score < OFFICE_MATCH_LEAD);
        (hit.score >= OFFICE_MATCH_MIN && !ambiguous)
            .then(|| self.offices.get(hit.doc))
            .flatten()
    }

    /// A question about an office's hours, address or phone, asked in free
    /// text ("wann hat das Fundbüro offen"): such questions go to the office,
    /// not to a FAQ entry that shares words with it.
    pub fn office_question(&self, query: &str) -> Option<(&Office, Aspect)> {
        let ws: Vec<String> = crate::matching::normalize::words(query);
        let mut office = None;
        'outer: for n in (1..=ws.len().min(6)).rev() {
            for start in 0..=ws.len() - n {
                if let Some(&i) = self.office_by_name.get(&ws[start..start + n].join(" ")) {
                    office = Some(i);
                    break 'outer;
                }
            }
        }
        let office = &self.offices[office?];
        let aspect = ASPECT_CUES
            .iter()
            .find(|(_, cues)| ws.iter().any(|w| cues.contains(&w.as_str())))
            .map(|(a, _)| *a)?;
        Some((office, aspect))
    }
}
