//! Checks: no panic when matching any question against the Munich FAQ (both languages, lexically and with the encoder, any result limit) or office names.
#![no_main]

use std::sync::LazyLock;

use city_skill::knowledge::Knowledge;
use city_skill::lang::Lang;
use city_skill::matching::{Document, Matcher};
use libfuzzer_sys::fuzz_target;

static KNOWLEDGE: LazyLock<Knowledge> = LazyLock::new(|| {
    let k = Knowledge::embedded().expect("the embedded corpus loads");
    k.prepare();
    k
});

/// The FAQ matchers of both languages, built through the public API.
static MATCHERS: LazyLock<Vec<Matcher>> = LazyLock::new(|| {
    Lang::ALL
        .into_iter()
        .map(|lang| {
            let docs: Vec<Document> = KNOWLEDGE
                .faq()
                .iter()
                .filter_map(|e| e.text(lang))
                .map(|t| Document {
                    phrasings: t.questions.clone(),
                    keywords: Vec::new(),
                    context: t.answer.clone(),
                })
                .collect();
            Matcher::build(lang, &docs)
        })
        .collect()
});

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    let k = &*KNOWLEDGE;
    for lang in Lang::ALL {
        // The hybrid path: the encoder on any text (empty, emoji only,
        // other scripts, past its 512 tokens), then the decision.
        let _ = k.match_question(query, lang);
        if let Some(h) = k.hybrid(query, lang, 4) {
            assert!(h.ranked.iter().all(|r| (0.0..=1.0).contains(&r.confidence)));
        }
    }
    let _ = k.office_question(query);
    let _ = k.event_category(query);
    // Any limit a caller may pass, including "all of them".
    let limit = match data.len() % 4 {
        0 => 0,
        1 => 1,
        2 => 50,
        _ => usize::MAX,
    };
    for m in MATCHERS.iter() {
        let hits = m.search(query, limit);
        assert!(hits.len() <= limit, "more hits than the limit");
        assert!(hits.iter().all(|h| (0.0..=1.0).contains(&h.confidence)));
    }
});
