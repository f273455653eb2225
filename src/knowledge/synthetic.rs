//! A deterministic synthetic FAQ of any size, for scale tests and
//! benchmarks: the same `(n, seed)` always gives the same corpus.

use super::model::{FaqEntry, FaqText};

const OBJECTS_DE: &[&str] = &[
    "Reisepass",
    "Personalausweis",
    "Führerschein",
    "Wohnsitz",
    "Hund",
    "Auto",
    "Parkausweis",
    "Sperrmüll",
    "Geburtsurkunde",
    "Heiratsurkunde",
    "Gewerbe",
    "Baugenehmigung",
    "Fischereischein",
    "Wohngeld",
    "Kitaplatz",
    "Bibliotheksausweis",
    "Führungszeugnis",
    "Aufenthaltstitel",
    "Meldebescheinigung",
    "Kennzeichen",
    "Mülltonne",
    "Sterbeurkunde",
    "Zweitwohnung",
    "Grundsteuer",
    "Sondernutzung",
    "Straßenfest",
    "Lärmschutz",
    "Baumfällung",
    "Schulanmeldung",
    "Briefwahl",
    "Fundsache",
    "Anwohnerparken",
    "Hausnummer",
    "Spielplatz",
    "Taxischein",
];
const OBJECTS_EN: &[&str] = &[
    "passport",
    "identity card",
    "driving licence",
    "address",
    "dog",
    "car",
    "parking permit",
    "bulky waste",
    "birth certificate",
    "marriage certificate",
    "business",
    "building permit",
    "fishing licence",
    "housing benefit",
    "daycare place",
    "library card",
    "certificate of good conduct",
    "residence permit",
    "registration certificate",
    "number plate",
    "waste bin",
    "death certificate",
    "second home",
    "property tax",
    "special use permit",
    "street party",
    "noise protection",
    "tree felling",
    "school enrolment",
    "postal vote",
    "found item",
    "residents' parking",
    "house number",
    "playground",
    "taxi licence",
];
const ACTIONS_DE: &[&str] = &[
    "beantragen",
    "verlängern",
    "abmelden",
    "ändern",
    "ersetzen",
    "prüfen lassen",
    "bezahlen",
    "zurückgeben",
];
const ACTIONS_EN: &[&str] = &[
    "apply for",
    "renew",
    "cancel",
    "change",
    "replace",
    "have checked",
    "pay for",
    "return",
];
const PLACES_DE: &[&str] = &[
    "in der Altstadt",
    "im Norden",
    "im Süden",
    "für Senioren",
    "für Firmen",
    "für Studierende",
    "online",
    "im Ausland",
];
const PLACES_EN: &[&str] = &[
    "in the old town",
    "in the north",
    "in the south",
    "for seniors",
    "for companies",
    "for students",
    "online",
    "abroad",
];

/// Small deterministic generator (LCG), so no dependency is needed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// `n` FAQ entries with German and English texts, three phrasings each.
pub fn faq(n: usize, seed: u64) -> Vec<FaqEntry> {
    let mut r = Lcg(seed);
    (0..n)
        .map(|i| {
            let o = r.next(OBJECTS_DE.len());
            let a = r.next(ACTIONS_DE.len());
            let p = r.next(PLACES_DE.len());
            let k = i / (OBJECTS_DE.len() * ACTIONS_DE.len() * PLACES_DE.len()) + 1;
            let (od, ad, pd) = (OBJECTS_DE[o], ACTIONS_DE[a], PLACES_DE[p]);
            let (oe, ae, pe) = (OBJECTS_EN[o], ACTIONS_EN[a], PLACES_EN[p]);
            FaqEntry {
                id: format!("synthetic-{i:05}"),
                source: "synthetic".into(),
                as_of: "2026-01".into(),
                tags: vec![format!("bereich{k}")],
                de: Some(FaqText {
                    questions: vec![
                        format!("Wie kann ich {od} {pd} {ad}? (Fall {i})"),
                        format!("{od} {ad} {pd} Vorgang {i}"),
                        format!("Was muss ich tun, um {od} {pd} zu {ad}, Nummer {i}?"),
                    ],
                    answer: format!("Für {od} {pd} ist Vorgang {i} zuständig."),
                    card: None,
                }),
                en: Some(FaqText {
                    questions: vec![
                        format!("How can I {ae} a {oe} {pe}? (case {i})"),
                        format!("{ae} {oe} {pe} procedure {i}"),
                        format!("What do I need to {ae} my {oe} {pe}, number {i}?"),
                    ],
                    answer: format!("Procedure {i} handles {oe} {pe}."),
                    card: None,
                }),
                ..FaqEntry::default()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_corpus() {
        let a = faq(50, 7);
        let b = faq(50, 7);
        assert_eq!(
            a.iter()
                .map(|e| e.de.as_ref().map(|t| t.questions[0].clone()))
                .collect::<Vec<_>>(),
            b.iter()
                .map(|e| e.de.as_ref().map(|t| t.questions[0].clone()))
                .collect::<Vec<_>>()
        );
        assert_eq!(a.len(), 50);
    }
}
