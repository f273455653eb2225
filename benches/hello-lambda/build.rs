//! Linked like city-skill (see its build.rs): a position-dependent
//! executable on Linux, so that the two cold starts compare like for like.

fn main() {
    println!("cargo:rerun-if-env-changed=CITY_SKILL_PIE");
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    let keep_pie = std::env::var("CITY_SKILL_PIE").is_ok_and(|v| v == "1");
    if linux && !keep_pie {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
