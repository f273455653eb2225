//! template.yaml: the SAM parameters reach the function as the binary reads
//! them (cfn-lint, in .ci/run, checks the template itself).

use std::process::Command;

use yaml_rust2::{Yaml, YamlLoader};

fn template() -> Yaml {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/template.yaml")).unwrap();
    YamlLoader::load_from_str(&text).unwrap().remove(0)
}

#[test]
fn the_corpus_path_parameter_defaults_to_empty_and_sets_city_skill_corpus() {
    let t = template();
    let p = &t["Parameters"]["CorpusPath"];
    assert_eq!(p["Type"].as_str(), Some("String"));
    assert_eq!(p["Default"].as_str(), Some(""));
    let env = &t["Resources"]["CitySkillFunction"]["Properties"]["Environment"]["Variables"];
    // `!Ref CorpusPath` reads as the tagged scalar "CorpusPath".
    assert_eq!(env["CITY_SKILL_CORPUS"].as_str(), Some("CorpusPath"));
    assert_eq!(
        t["Parameters"]["CorpusLayerArn"]["Default"].as_str(),
        Some("")
    );
    assert!(!t["Conditions"]["HasCorpusLayer"].is_badvalue());
}

#[test]
fn an_empty_city_skill_corpus_means_the_embedded_munich_corpus() {
    let out = Command::new(env!("CARGO_BIN_EXE_city-skill"))
        .args([
            "ask",
            "--time",
            "2026-11-25T09:00:00Z",
            "Wo ist das Fundbüro?",
        ])
        .env_remove("AWS_LAMBDA_RUNTIME_API")
        .env("CITY_SKILL_CORPUS", "")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Implerstraße 11"));
}
