//! `lantu extract --score-dir`: a folder of plans scored against a folder of
//! gold files, with bars; and the genre note of `lantu extract`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn lantu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lantu"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the lantu binary runs")
}

/// A folder with the bundled plan and a bulletin, and one with the plan's
/// gold (given a `plan` object, as ../shared/gold has).
fn folders() -> (PathBuf, PathBuf, PathBuf) {
    let base = std::env::temp_dir().join(format!("lantu-score-dir-{}", std::process::id()));
    let (plans, gold) = (base.join("plans"), base.join("gold"));
    std::fs::create_dir_all(&plans).unwrap();
    std::fs::create_dir_all(&gold).unwrap();
    let r = root();
    std::fs::copy(
        r.join("data/plans/jinnan-14th-five-year-plan.txt"),
        plans.join("jinnan-14th-five-year-plan.txt"),
    )
    .unwrap();
    std::fs::copy(
        r.join("crates/lantu-extract/tests/fixtures/genre/bulletin.txt"),
        plans.join("bulletin.txt"),
    )
    .unwrap();
    let json = std::fs::read_to_string(r.join("data/gold/jinnan-14th-five-year-plan.gold.json")).unwrap();
    let mut g: serde_json::Value = serde_json::from_str(&json).unwrap();
    g["plan"] = serde_json::json!({
        "titles": ["(天津市)津南区国民经济和社会发展十四五规划(2022年更新)"],
        "region": "天津市津南区", "level": "district", "kind": "master", "start_year": 2021, "end_year": 2025
    });
    std::fs::write(gold.join("jinnan-14th-five-year-plan.gold.json"), g.to_string()).unwrap();
    (base, plans, gold)
}

#[test]
fn a_folder_is_scored_in_one_table_and_bars_fail_the_command() {
    let (base, plans, gold) = folders();
    let (p, g) = (plans.to_str().unwrap(), gold.to_str().unwrap());
    let o = lantu(&[
        "extract",
        "--score-dir",
        p,
        "--gold-dir",
        g,
        "--require-identity",
        "--min-numeric-f1",
        "0.9",
    ]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{out}\n{}", String::from_utf8_lossy(&o.stderr));
    let row = out
        .lines()
        .find(|l| l.starts_with("jinnan-14th-five-year-plan"))
        .expect("a row");
    assert_eq!(row.matches(" ok").count(), 5, "{row}");
    assert!(out.contains("bulletin: 「」"), "{out}");
    assert!(out.contains("NOT A PLAN: statistical bulletin"), "{out}");
    assert!(out.contains("cues") && out.contains("达到"), "{out}");

    let o = lantu(&["extract", "--score-dir", p, "--gold-dir", g, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let plans_json = v["plans"].as_array().unwrap();
    assert_eq!(plans_json.len(), 2);
    let j = plans_json
        .iter()
        .find(|p| p["stem"] == "jinnan-14th-five-year-plan")
        .unwrap();
    assert_eq!(j["scores"]["identity"]["level"], true);
    assert!(j["scores"]["targets"]["f1"].as_f64().unwrap() > 0.9);

    let o = lantu(&[
        "extract",
        "--score-dir",
        p,
        "--gold-dir",
        g,
        "--bar",
        "jinnan-14th-five-year-plan:links=1.01",
    ]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("links F1 1.000 is below 1.010"));
    let o = lantu(&["extract", "--score-dir", p, "--gold-dir", g, "--bar", "nonsense"]);
    assert!(!o.status.success());
    std::fs::remove_dir_all(base).ok();
}

#[test]
fn a_bulletin_is_named_on_stderr_and_yields_no_targets() {
    let o = lantu(&["extract", "crates/lantu-extract/tests/fixtures/genre/bulletin.txt"]);
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("statistical bulletin (统计公报), not a plan"), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["targets"].as_array().unwrap().len(), 0);
    assert_eq!(v["genre"]["genre"], "statistical_bulletin");
}
