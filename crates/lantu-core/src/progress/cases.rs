//! Stand-alone cases for `lantu assess FILE.json`: a JSON list of targets
//! with their baselines and observations in, the same list with the
//! engine's judgement added out.
//!
//! ```json
//! [{ "target": {"measure": "level", "comparator": "<=", "value": 43,
//!               "value_max": null, "unit": "μg/m³", "year": 2025, "binding": true},
//!    "baseline": {"value": 52, "year": 2020},
//!    "observations": [{"period": "2023", "value": 47}],
//!    "evaluation_year": 2023 }]
//! ```
//!
//! Any other field of a case (an `id`, a `name`) is kept as it is.

use super::engine::assess;
use super::model::{Assessment, Baseline, TargetSpec, Tolerances};
use super::period::{Observation, Period};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// One stand-alone case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessCase {
    pub target: TargetSpec,
    #[serde(default)]
    pub baseline: Option<Baseline>,
    #[serde(default)]
    pub observations: Vec<Observation>,
    pub evaluation_year: i32,
    /// Fields the engine does not read, kept for the output.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl AssessCase {
    pub fn assess(&self, tolerances: &Tolerances) -> Assessment {
        assess(
            &self.target,
            self.baseline.as_ref(),
            &self.observations,
            self.evaluation_year,
            tolerances,
        )
    }
}

/// A case with the engine's judgement: the case's own fields, then
/// `status`, `ratio`, `progress`, `elapsed_share`, `regressing`,
/// `projection`, `warning`, `reason`, `as_of`, and the labels
/// `status_zh`, `reason_en`, `reason_zh`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssessResult {
    #[serde(flatten)]
    pub case: AssessCase,
    #[serde(flatten)]
    pub assessment: Assessment,
    pub status_zh: &'static str,
    pub reason_en: &'static str,
    pub reason_zh: &'static str,
}

impl AssessResult {
    pub fn new(case: AssessCase, assessment: Assessment) -> AssessResult {
        AssessResult {
            status_zh: assessment.status.label_zh(),
            reason_en: assessment.reason.en(),
            reason_zh: assessment.reason.zh(),
            case,
            assessment,
        }
    }
}

impl From<serde_json::Error> for AssessError {
    fn from(e: serde_json::Error) -> Self {
        AssessError::Json(e)
    }
}

/// What is wrong with a cases file.
#[derive(Debug, thiserror::Error)]
pub enum AssessError {
    #[error(
        "the cases are not valid JSON of the expected shape: {0}; expected a list \
         [{{\"target\": {{\"measure\", \"comparator\", \"value\", \"value_max\", \"unit\", \
         \"year\", \"binding\"}}, \"baseline\": {{\"value\", \"year\"}} or null, \
         \"observations\": [{{\"period\", \"value\"}}], \"evaluation_year\"}}]"
    )]
    // Not a `#[source]`: the message already carries the JSON error with its
    // line and column, and the CLI prints the whole chain.
    Json(serde_json::Error),
    #[error(
        "case {case} (counting from 1): period {period} appears more than once in \
         observations; keep one value per period"
    )]
    DuplicatePeriod { case: usize, period: Period },
}

/// Parses a cases file and checks that no case reports a period twice.
pub fn parse_cases(json: &str) -> Result<Vec<AssessCase>, AssessError> {
    let cases: Vec<AssessCase> = serde_json::from_str(json)?;
    for (i, c) in cases.iter().enumerate() {
        let mut seen = BTreeSet::new();
        for o in &c.observations {
            if !seen.insert(o.period) {
                return Err(AssessError::DuplicatePeriod {
                    case: i + 1,
                    period: o.period,
                });
            }
        }
    }
    Ok(cases)
}

/// Judges every case.
pub fn assess_all(cases: Vec<AssessCase>, tolerances: &Tolerances) -> Vec<AssessResult> {
    cases
        .into_iter()
        .map(|c| {
            let a = c.assess(tolerances);
            AssessResult::new(c, a)
        })
        .collect()
}

/// `lantu assess`: cases JSON in, the same cases with their judgement out
/// (pretty-printed), with the default tolerances.
pub fn assess_cases(json: &str) -> Result<String, AssessError> {
    assess_cases_with(json, &Tolerances::default())
}

/// [`assess_cases`] with the plan's own tolerances.
pub fn assess_cases_with(json: &str, tolerances: &Tolerances) -> Result<String, AssessError> {
    let results = assess_all(parse_cases(json)?, tolerances);
    Ok(serde_json::to_string_pretty(&results)?)
}
