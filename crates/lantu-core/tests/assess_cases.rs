//! The stand-alone cases behind `lantu assess FILE.json`.

use lantu_core::progress::{assess_cases, assess_cases_with, parse_cases, AssessError, Tolerances};
use serde_json::{json, Value};

const CASES: &str = r#"[
  {
    "id": "pm25",
    "target": {"measure": "level", "comparator": "<=", "value": 43, "value_max": null,
               "unit": "μg/m³", "year": 2025, "binding": true},
    "baseline": {"value": 52, "year": 2020},
    "observations": [{"period": "2021", "value": 50}, {"period": "2022", "value": 48},
                     {"period": "2023", "value": 49}],
    "evaluation_year": 2023
  },
  {
    "target": {"measure": "annual_growth", "comparator": ">=", "value": 6, "value_max": null,
               "unit": "%", "year": 2025, "binding": false},
    "baseline": {"value": 1000, "year": 2020},
    "observations": [{"period": "2025", "value": 1338.2255776}],
    "evaluation_year": 2025
  },
  {
    "target": {"measure": "cumulative", "comparator": ">=", "value": 50, "value_max": null,
               "unit": "万人", "year": 2025, "binding": false},
    "baseline": {"value": 0, "year": 2020},
    "observations": [{"period": "2021", "value": 11}, {"period": "2022", "value": 10},
                     {"period": "2023", "value": 9}, {"period": "2024Q1", "value": 3},
                     {"period": "2024Q2", "value": 2}],
    "evaluation_year": 2024
  },
  {
    "target": {"measure": "level", "comparator": "range", "value": 45, "value_max": 50,
               "unit": "张", "year": 2025, "binding": false},
    "baseline": null,
    "observations": [{"period": 2023, "value": 44}],
    "evaluation_year": 2023
  },
  {
    "target": {"measure": "reduction", "comparator": ">=", "value": 13.5, "value_max": null,
               "unit": "%", "year": 2025, "binding": true},
    "baseline": {"value": 1, "year": 2020},
    "observations": [],
    "evaluation_year": 2023
  }
]"#;

#[test]
fn output_is_the_input_with_the_judgement_added() {
    let out: Value = serde_json::from_str(&assess_cases(CASES).unwrap()).unwrap();
    let out = out.as_array().unwrap();
    assert_eq!(out.len(), 5);

    let pm = &out[0];
    assert_eq!(pm["id"], "pm25", "unknown fields are kept");
    assert_eq!(pm["target"]["comparator"], "<=");
    assert_eq!(pm["target"]["value"], json!(43.0));
    assert_eq!(pm["observations"][2]["period"], "2023");
    assert_eq!(pm["status"], "lagging");
    assert_eq!(pm["status_zh"], "滞后");
    assert_eq!(pm["warning"], true);
    assert_eq!(pm["regressing"], false);
    assert_eq!(pm["reason"], "behind_schedule");
    assert!((pm["ratio"].as_f64().unwrap() - 5.0 / 9.0).abs() < 1e-12);
    assert!((pm["progress"].as_f64().unwrap() - 1.0 / 3.0).abs() < 1e-12);
    let proj = &pm["projection"];
    assert_eq!(proj["year"], 2025);
    assert!(["likely", "unlikely", "uncertain"].contains(&proj["likelihood"].as_str().unwrap()));
    for k in ["value", "low", "high"] {
        assert!(proj[k].is_f64(), "{k}");
    }

    assert_eq!(out[1]["status"], "completed");
    assert_eq!(out[1]["projection"], Value::Null);
    assert_eq!(out[2]["status"], "on_track");
    assert_eq!(out[2]["as_of"], "2024Q2");
    assert_eq!(out[3]["status"], "not_assessable");
    assert_eq!(out[3]["reason"], "no_baseline");
    assert!(out[3]["reason_en"].as_str().unwrap().contains("baseline"));
    assert_eq!(out[4]["status"], "no_data");
    assert_eq!(out[4]["warning"], false);
}

#[test]
fn tolerances_can_be_the_plans_own() {
    let tol = Tolerances {
        on_track_ratio: "0.5".parse().unwrap(),
        ..Tolerances::default()
    };
    let out: Value = serde_json::from_str(&assess_cases_with(CASES, &tol).unwrap()).unwrap();
    assert_eq!(out[0]["status"], "on_track");
}

#[test]
fn errors_say_what_and_where() {
    let bad_period = r#"[{"target": {"measure": "level", "comparator": ">=", "value": 1, "year": 2025},
        "baseline": null, "observations": [{"period": "2023Q5", "value": 1}], "evaluation_year": 2023}]"#;
    let e = assess_cases(bad_period).unwrap_err().to_string();
    assert!(
        e.contains("2023Q5") && e.contains("Q1, Q2, Q3 or Q4") && e.contains("line 2"),
        "{e}"
    );

    let bad_measure = r#"[{"target": {"measure": "levels", "comparator": ">=", "value": 1, "year": 2025},
        "observations": [], "evaluation_year": 2023}]"#;
    let e = assess_cases(bad_measure).unwrap_err().to_string();
    assert!(e.contains("levels") && e.contains("annual_growth"), "{e}");

    let not_a_list = r#"{"target": 1}"#;
    assert!(matches!(assess_cases(not_a_list), Err(AssessError::Json(_))));

    let twice = r#"[{"target": {"measure": "level", "comparator": ">=", "value": 1, "year": 2025},
        "observations": [{"period": "2023", "value": 1}, {"period": 2023, "value": 2}],
        "evaluation_year": 2023}]"#;
    let e = parse_cases(twice).unwrap_err();
    assert!(matches!(e, AssessError::DuplicatePeriod { case: 1, .. }));
    assert!(e.to_string().contains("period 2023 appears more than once"), "{e}");
}

#[test]
fn minimal_case_defaults() {
    // value_max, unit, binding and baseline may be left out.
    let minimal = r#"[{"target": {"measure": "level", "comparator": ">=", "value": 65, "year": 2025},
        "observations": [{"period": "2023", "value": 66}], "evaluation_year": 2023}]"#;
    let out: Value = serde_json::from_str(&assess_cases(minimal).unwrap()).unwrap();
    assert_eq!(out[0]["status"], "achieved");
    assert_eq!(out[0]["target"]["binding"], false);
}
