//! Checks: no panic in the FAQ spreadsheet (CSV) import, nor in validating and indexing what it yields.
#![no_main]

use city_skill::knowledge::{csv, Knowledge, Sources};
use city_skill::lang::Lang;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let parsed = csv::parse("faq.csv", data);
    for p in &parsed.problems {
        let _ = p.to_string();
    }
    if parsed.entries.is_empty() {
        return;
    }
    // A CSV file given as the corpus: validated and indexed as at start-up.
    let sources = Sources {
        faq_csv: Some(("faq.csv".to_string(), data.to_vec())),
        ..Sources::default()
    };
    if let (Some(k), _) = Knowledge::check(sources) {
        for lang in Lang::ALL {
            let _ = k.match_question("Wie beantrage ich einen Personalausweis?", lang);
        }
    }
});
