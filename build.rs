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

fn main() {
    println!("cargo:rerun-if-env-changed=CITY_SKILL_PIE");
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    let keep_pie = std::env::var("CITY_SKILL_PIE").is_ok_and(|v| v == "1");
    if linux && !keep_pie {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
