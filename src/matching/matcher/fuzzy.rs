//! Words the corpus does not know: near spellings (Jaro-Winkler) and
//! sounds (Kölner Phonetik, Metaphone) against the corpus vocabulary.

use super::*;

/// Look-ups for words the corpus does not know.
#[derive(Default)]
pub(super) struct Fuzzy {
    /// (first byte, length) → words, for near spellings.
    pub(super) by_shape: HashMap<(u8, usize), Vec<u32>>,
    /// Sound code, and each code with one letter deleted → words.
    pub(super) sounds: HashMap<String, Vec<u32>>,
}

/// Whether near spellings and sound-alikes of `w` are looked for.
pub(super) fn looked_up_fuzzily(w: &str) -> bool {
    (MIN_PART..=MAX_WORD).contains(&w.len()) && !w.bytes().any(|b| b.is_ascii_digit())
}

/// `code` with each one of its characters deleted (ASCII codes only).
pub(super) fn deletions(code: &str) -> impl Iterator<Item = String> + '_ {
    (0..code.len())
        .filter(move |&i| code.is_char_boundary(i))
        .map(move |i| format!("{}{}", &code[..i], code.get(i + 1..).unwrap_or("")))
}

impl Matcher {
    /// The word's phonetic code, from its ASCII letters only: folding has
    /// already spelled out umlauts, the codes mean nothing for other
    /// scripts, and rphonetic's Metaphone panics on multi-byte characters
    /// (found by the property tests: "𖩠s").
    pub(super) fn sound(&self, w: &str) -> String {
        let ascii;
        let w = if w.is_ascii() {
            w
        } else {
            ascii = w
                .chars()
                .filter(char::is_ascii_alphabetic)
                .collect::<String>();
            &ascii
        };
        match self.lang {
            Lang::De => Cologne.encode(w),
            Lang::En => Metaphone::new(Some(8)).encode(w),
        }
    }

    /// The look-ups for unknown words, built on first use.
    pub(super) fn fuzzy(&self) -> &Fuzzy {
        self.fuzzy.get_or_init(|| {
            let mut t = Fuzzy::default();
            for (i, v) in self.words.iter().enumerate() {
                if !looked_up_fuzzily(&v.word) {
                    continue;
                }
                let (w, i) = (v.word.as_bytes(), i as u32);
                t.by_shape.entry((w[0], w.len())).or_default().push(i);
                if v.sound.len() >= 3 {
                    for key in std::iter::once(v.sound.to_string()).chain(deletions(&v.sound)) {
                        t.sounds.entry(key).or_default().push(i);
                    }
                }
            }
            t
        })
    }

    /// Corpus stems that `w` may be a slip of: near spellings (Jaro-Winkler)
    /// and sound-alikes (codes at most one edit apart, then a loose
    /// spelling check), each with its strength.
    pub(super) fn guesses(&self, w: &str) -> Vec<(String, f32)> {
        let mut out: Vec<(String, f32)> = Vec::new();
        let Some(&first) = w.as_bytes().first() else {
            return out;
        };
        let Fuzzy { by_shape, sounds } = self.fuzzy();
        // Jaro-Winkler ≥ 0.9 needs a shared start and a similar length.
        for len in w.len().saturating_sub(3)..=w.len() + 3 {
            for &i in by_shape.get(&(first, len)).into_iter().flatten() {
                let Some(v) = self.words.get(i as usize) else {
                    continue;
                };
                let sim = strsim::jaro_winkler(w, &v.word);
                if sim >= FUZZY_MIN {
                    out.push((v.stem.to_string(), FUZZY_WEIGHT * sim as f32));
                }
            }
        }
        let code = self.sound(w);
        if code.len() >= 3 {
            let allowed = usize::from(code.len() >= 6);
            let keys = std::iter::once(code.clone()).chain(deletions(&code));
            let mut seen: HashSet<u32> = HashSet::default();
            for key in keys {
                for &i in sounds.get(&key).into_iter().flatten() {
                    let Some(v) = self.words.get(i as usize) else {
                        continue;
                    };
                    if seen.insert(i)
                        && strsim::levenshtein(&code, &v.sound) <= allowed
                        && strsim::normalized_levenshtein(w, &v.word) >= 0.6
                    {
                        out.push((v.stem.to_string(), FUZZY_WEIGHT * 0.9));
                    }
                }
            }
        }
        out
    }
}
