//! How much of the way people ask for hours, addresses, phone numbers and
//! events the interaction models' sample utterances cover, as the local
//! simulator understands them: `tests/eval/intents/utterances.tsv`, 365
//! utterances written by someone who had not seen the models.

use chrono::NaiveDate;
use city_skill::lang::Locale;
use city_skill::local::simulator::Simulator;

/// Share of utterances whose intent (and office, where one is named) the
/// simulator gets right, per locale.
fn coverage() -> Vec<(Locale, usize, usize)> {
    let sim = Simulator::embedded().unwrap();
    let path = format!(
        "{}/tests/eval/intents/utterances.tsv",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
    let mut out: Vec<(Locale, usize, usize)> = Locale::ALL.iter().map(|l| (*l, 0, 0)).collect();
    for line in text
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let cols: Vec<&str> = line.split('\t').collect();
        let locale = Locale::from_tag(Some(cols[0]));
        let u = sim.understand(cols[1], locale, today);
        let office = u
            .slots
            .iter()
            .find(|(name, _, _)| name == "office")
            .and_then(|(_, _, id)| id.clone());
        let right = u.intent.as_deref() == Some(cols[2])
            && (cols[3] == "-" || office.as_deref() == Some(cols[3]));
        if !right {
            eprintln!(
                "  {} {:?}: want {} {}, got {:?} {:?}",
                cols[0], cols[1], cols[2], cols[3], u.intent, office
            );
        }
        let row = out.iter_mut().find(|(l, _, _)| *l == locale).unwrap();
        row.1 += 1;
        row.2 += usize::from(right);
    }
    out
}

#[test]
fn the_models_understand_most_natural_phrasings_of_office_and_event_questions() {
    for (locale, all, right) in coverage() {
        let share = right as f64 / all.max(1) as f64;
        eprintln!(
            "{}: {right} of {all} understood ({:.1} %)",
            locale.tag(),
            share * 100.0
        );
        // The measured figure less a margin: a floor against regressions.
        assert!(
            share >= FLOOR,
            "{}: only {:.1} %",
            locale.tag(),
            share * 100.0
        );
    }
}

/// Lowest share of any locale, measured 2026-12-03 after samples written
/// from general knowledge of how people ask (not from this set) were added
/// to the templates: de-DE 32.5 %, en-US 37.2 %, en-GB 28.9 % (before:
/// 24 %, 28 %, 19 %). Still far too few ways of asking; less a margin.
const FLOOR: f64 = 0.25;
