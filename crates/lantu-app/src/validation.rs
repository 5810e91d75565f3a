//! The one validation of monitoring figures (数据校验), run on every path a
//! figure comes by — the entry grid, an uploaded file, the JSON API, `lantu
//! data import` — before anything is stored: each figure against its
//! indicator's rules ([`lantu_core::rules`]: range, whole numbers, change
//! from the previous period) and the plan's cross-indicator rules, and a
//! change to a published figure only as a correction with a reason.
//!
//! Errors block the whole batch; a warning (a large change) is satisfied by
//! a comment on the figure, which is kept with it for the reviewer.

use lantu_core::messages::{Lang, Message};
use lantu_core::observation::{NewObservation, ObservationState};
use lantu_core::plan::{IndicatorDoc, PlanDoc};
use lantu_core::rules::{check_value, Severity};
use lantu_core::Period;
use lantu_store::ObservationRecord;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// One thing wrong with one figure of a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Index of the figure in the batch.
    pub row: usize,
    pub indicator: String,
    pub period: Period,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geography: Option<String>,
    pub severity: Severity,
    #[serde(flatten)]
    pub message: Message,
}

impl Problem {
    pub fn text(&self, lang: Lang) -> String {
        self.message.text(lang)
    }
}

/// The problems of a refused batch in `lang`, one per line.
pub fn render(problems: &[Problem], lang: Lang) -> String {
    problems.iter().map(|p| p.text(lang)).collect::<Vec<_>>().join("\n")
}

/// The period before `p` of the same length: the previous year, quarter or
/// month.
pub fn previous_period(p: Period) -> Option<Period> {
    let y = p.calendar_year();
    if let Some(q) = p.quarter_number() {
        return if q == 1 {
            Period::quarter(y - 1, 4).ok()
        } else {
            Period::quarter(y, q - 1).ok()
        };
    }
    if let Some(m) = p.month_number() {
        return if m == 1 {
            Period::month(y - 1, 12).ok()
        } else {
            Period::month(y, m - 1).ok()
        };
    }
    Some(Period::year(y - 1))
}

type Key = (String, Period, String);

fn key(indicator: &str, period: Period, geography: Option<&str>) -> Key {
    (
        indicator.trim().to_string(),
        period,
        geography.unwrap_or("").trim().to_string(),
    )
}

fn blank(s: Option<&str>) -> &str {
    s.map(str::trim).unwrap_or("")
}

/// Checks a batch of figures for plan `doc` against the figures stored now
/// (`stored`: the latest vintage of each, [`lantu_store::View::Latest`]);
/// `reason` is the batch's reason, which a correction of a published figure
/// needs. Figures that would be stored unchanged are not checked again.
/// Returns every problem, errors and unsatisfied warnings alike: the batch
/// may be stored only when this is empty.
pub fn check(
    doc: &PlanDoc,
    rows: &[NewObservation],
    stored: &[ObservationRecord],
    reason: Option<&str>,
) -> Vec<Problem> {
    let indicators: HashMap<&str, &IndicatorDoc> = doc.indicators.iter().map(|i| (i.code.as_str(), i)).collect();
    let stored: HashMap<Key, &ObservationRecord> = stored
        .iter()
        .map(|r| (key(&r.indicator, r.period, r.geography.as_deref()), r))
        .collect();
    let batch: HashMap<Key, &NewObservation> = rows
        .iter()
        .map(|o| (key(&o.indicator, o.period, o.geography.as_deref()), o))
        .collect();
    let value_of = |k: &Key| batch.get(k).map(|o| o.value).or_else(|| stored.get(k).map(|r| r.value));
    let mut out = Vec::new();
    let mut touched: Vec<(usize, Key)> = Vec::new();
    for (row, o) in rows.iter().enumerate() {
        let k = key(&o.indicator, o.period, o.geography.as_deref());
        let Some(ind) = indicators.get(k.0.as_str()) else {
            continue; // The store refuses an unknown code, saying so.
        };
        let before = stored.get(&k);
        let unchanged = before.is_some_and(|r| {
            r.value == o.value
                && blank(r.source.as_deref()) == blank(o.source.as_deref())
                && blank(r.note.as_deref()) == blank(o.note.as_deref())
        });
        if unchanged {
            continue;
        }
        touched.push((row, k.clone()));
        let problem = |severity, message| Problem {
            row,
            indicator: k.0.clone(),
            period: o.period,
            geography: o.geography.clone(),
            severity,
            message,
        };
        if before.is_some_and(|r| r.state == ObservationState::Published) && blank(reason).is_empty() {
            out.push(problem(
                Severity::Error,
                Message::CorrectionNeedsReason {
                    code: ind.code.clone(),
                    name: ind.name.clone(),
                    period: o.period.to_string(),
                },
            ));
        }
        let previous = previous_period(o.period).and_then(|p| {
            let pk = (k.0.clone(), p, k.2.clone());
            value_of(&pk).map(|v| (p.to_string(), v))
        });
        let commented = !blank(o.comment.as_deref()).is_empty();
        for f in check_value(ind, o.value, previous.as_ref().map(|(p, v)| (p.as_str(), *v))) {
            if f.severity == Severity::Warning && commented {
                continue;
            }
            out.push(problem(f.severity, f.message));
        }
    }
    // Cross-indicator rules, once per period and place a figure of the
    // batch touches; reported on the first figure of the batch in it.
    let mut done: HashSet<(usize, Period, String)> = HashSet::new();
    for (rule_index, rule) in doc.cross_rules.iter().enumerate() {
        for (row, k) in &touched {
            let in_rule = rule.whole == k.0 || rule.parts.contains(&k.0);
            if !in_rule || !done.insert((rule_index, k.1, k.2.clone())) {
                continue;
            }
            let name = |c: &str| {
                indicators
                    .get(c)
                    .map(|i| i.name.clone())
                    .unwrap_or_else(|| c.to_string())
            };
            let value = |c: &str| value_of(&(c.to_string(), k.1, k.2.clone()));
            let period = if k.2.is_empty() {
                k.1.to_string()
            } else {
                format!("{} {}", k.1, k.2)
            };
            for f in rule.check(&period, &name, &value) {
                out.push(Problem {
                    row: *row,
                    indicator: k.0.clone(),
                    period: k.1,
                    geography: (!k.2.is_empty()).then(|| k.2.clone()),
                    severity: f.severity,
                    message: f.message,
                });
            }
        }
    }
    out.sort_by_key(|p| p.row);
    out
}

/// What the one validation says of stored figures `figures` today, as if
/// each were entered again without its comment: for the reviewer, which
/// rule a figure broke (a warning its comment explains, or an error under
/// rules tightened since). `stored` is the latest vintage of every figure
/// of the plan ([`lantu_store::View::Latest`]). One list per figure, in
/// order.
pub fn findings(doc: &PlanDoc, figures: &[&ObservationRecord], stored: &[ObservationRecord]) -> Vec<Vec<Problem>> {
    let rows: Vec<NewObservation> = figures
        .iter()
        .map(|r| NewObservation {
            indicator: r.indicator.clone(),
            period: r.period,
            geography: r.geography.clone(),
            value: r.value,
            source: r.source.clone(),
            note: r.note.clone(),
            comment: None,
        })
        .collect();
    // Without the figures themselves in `stored`, none is "unchanged" (so
    // each is checked) and none is a correction to be refused for want of
    // the batch's reason; their neighbours still count.
    let keys: HashSet<Key> = rows
        .iter()
        .map(|o| key(&o.indicator, o.period, o.geography.as_deref()))
        .collect();
    let others: Vec<ObservationRecord> = stored
        .iter()
        .filter(|r| !keys.contains(&key(&r.indicator, r.period, r.geography.as_deref())))
        .cloned()
        .collect();
    let mut out = vec![Vec::new(); rows.len()];
    for p in check(doc, &rows, &others, None) {
        if let Some(list) = out.get_mut(p.row) {
            list.push(p);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use lantu_core::plan::{BaselineDoc, DepartmentDoc, Frequency, PlanLevel, PlanMeta, PlanSettings, PlanState};
    use lantu_core::plan::{Source, TargetDoc};
    use lantu_core::rules::{CrossKind, CrossRule, IndicatorRules};
    use lantu_core::{Attribute, Comparator, Direction, Measure, TargetKind};
    use rust_decimal::Decimal;

    fn indicator(code: &str, name: &str, unit: &str, measure: Measure) -> IndicatorDoc {
        IndicatorDoc {
            code: code.into(),
            name: name.into(),
            unit: Some(unit.into()),
            category: None,
            attribute: Attribute::Binding,
            measure,
            direction: Direction::HigherIsBetter,
            departments: vec!["ly".into()],
            co_departments: vec![],
            data_source: None,
            frequency: Frequency::Annual,
            target: TargetDoc {
                comparator: Comparator::AtLeast,
                value: Some(Decimal::from(30)),
                value_max: None,
                year: 2025,
                kind: TargetKind::Numeric,
                reason: None,
            },
            baseline: Some(BaselineDoc {
                value: Decimal::from(20),
                year: 2020,
            }),
            source: Source::default(),
            rules: IndicatorRules::default(),
        }
    }

    fn doc() -> PlanDoc {
        PlanDoc {
            plan: PlanMeta {
                id: Some(1),
                name: "某区规划".into(),
                region: "某区".into(),
                level: PlanLevel::District,
                kind: Default::default(),
                issuer: None,
                issued_on: None,
                start_year: 2021,
                end_year: 2025,
                vision_year: None,
                parent: None,
                state: PlanState::Adopted,
                source: None,
            },
            settings: PlanSettings::default(),
            outline: vec![],
            departments: vec![DepartmentDoc {
                code: "ly".into(),
                name: "林业局".into(),
            }],
            indicators: vec![
                indicator("t001", "森林覆盖率", "%", Measure::Level),
                indicator("pop", "常住人口", "万人", Measure::Level),
                indicator("city", "城镇人口", "万人", Measure::Level),
            ],
            tasks: vec![],
            projects: vec![],
            cross_rules: vec![CrossRule {
                kind: CrossKind::PartOfWhole,
                whole: "pop".into(),
                parts: vec!["city".into()],
                tolerance: None,
                message_zh: None,
                message_en: None,
            }],
        }
    }

    fn obs(code: &str, year: i32, value: i64, comment: Option<&str>) -> NewObservation {
        NewObservation {
            indicator: code.into(),
            period: Period::year(year),
            geography: None,
            value: Decimal::from(value),
            source: None,
            note: None,
            comment: comment.map(str::to_string),
        }
    }

    fn record(code: &str, year: i32, value: i64, state: ObservationState) -> ObservationRecord {
        ObservationRecord {
            id: 1,
            indicator: code.into(),
            period: Period::year(year),
            geography: None,
            vintage: 1,
            value: Decimal::from(value),
            source: None,
            note: None,
            state,
            batch_id: 1,
            recorded_at: String::new(),
            recorded_by: String::new(),
            source_name: String::new(),
            reason: None,
            comment: None,
            kind: Default::default(),
            passed: 0,
        }
    }

    #[test]
    fn a_share_outside_0_to_100_is_refused_in_both_languages() {
        let d = doc();
        for v in [-5, 150] {
            let p = check(&d, &[obs("t001", 2024, v, None)], &[], None);
            assert_eq!(p.len(), 1, "{p:?}");
            assert_eq!(p[0].severity, Severity::Error);
            let zh = p[0].text(Lang::Zh);
            assert!(zh.starts_with("森林覆盖率（t001）的数值"), "{zh}");
            assert!(p[0].text(Lang::En).contains("allowed value"));
        }
        assert!(check(&d, &[obs("t001", 2024, 25, None)], &[], None).is_empty());
    }

    #[test]
    fn a_jump_needs_a_comment_and_passes_with_one() {
        let d = doc();
        let stored = [record("pop", 2023, 100, ObservationState::Published)];
        let p = check(&d, &[obs("pop", 2024, 400, None)], &stored, None);
        assert_eq!(p.iter().map(|p| p.severity).collect::<Vec<_>>(), [Severity::Warning]);
        assert!(p[0].text(Lang::Zh).contains("+300%"), "{}", p[0].text(Lang::Zh));
        assert!(check(&d, &[obs("pop", 2024, 400, Some("行政区划调整"))], &stored, None).is_empty());
        // The previous year from the same batch counts too.
        let both = [obs("pop", 2023, 100, None), obs("pop", 2024, 400, None)];
        assert_eq!(check(&d, &both, &[], None).len(), 1);
    }

    #[test]
    fn the_reviewer_sees_the_rule_a_commented_figure_broke() {
        let d = doc();
        let mut jump = record("pop", 2024, 400, ObservationState::Submitted);
        jump.comment = Some("行政区划调整".into());
        let stored = [record("pop", 2023, 100, ObservationState::Published), jump.clone()];
        let plain = record("t001", 2024, 25, ObservationState::Submitted);
        let f = findings(&d, &[&jump, &plain], &stored);
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].len(), 1, "{f:?}");
        assert_eq!(f[0][0].severity, Severity::Warning);
        assert!(matches!(f[0][0].message, Message::LargeChange { .. }), "{f:?}");
        assert!(f[1].is_empty(), "{f:?}");
    }

    #[test]
    fn a_published_figure_changes_only_with_a_reason() {
        let d = doc();
        let stored = [record("t001", 2024, 25, ObservationState::Published)];
        let p = check(&d, &[obs("t001", 2024, 26, None)], &stored, None);
        assert!(matches!(p[0].message, Message::CorrectionNeedsReason { .. }), "{p:?}");
        assert!(check(&d, &[obs("t001", 2024, 26, None)], &stored, Some("统计年鉴修订")).is_empty());
        // The same figure again is no change.
        assert!(check(&d, &[obs("t001", 2024, 25, None)], &stored, None).is_empty());
    }

    #[test]
    fn a_part_above_its_whole_is_refused_across_stored_figures() {
        let d = doc();
        let stored = [record("pop", 2024, 100, ObservationState::Approved)];
        let p = check(&d, &[obs("city", 2024, 120, None)], &stored, None);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].text(Lang::Zh).contains("部分不能大于整体"),
            "{}",
            p[0].text(Lang::Zh)
        );
        assert!(check(&d, &[obs("city", 2024, 80, None)], &stored, None).is_empty());
    }
}
