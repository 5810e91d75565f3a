//! From an extraction to a draft indicator system (指标体系草案) that a
//! planner then corrects: one indicator per target, its baseline from the
//! linked achievement, the task items of the outline, the key projects.

use crate::lexicon::lower_is_better;
use crate::model::{Extraction, NodeLevel, OutlineNode};
use lantu_core::plan::{
    BaselineDoc, Frequency, IndicatorDoc, OutlineEntry, PlanDoc, PlanLevel, PlanMeta, PlanSettings, PlanState,
    ProjectDoc, Source, TargetDoc, TaskDoc,
};
use lantu_core::{Attribute, Comparator, Direction, Measure};

/// The level of government a region name belongs to (天津市津南区 →
/// district, 北京市 → provincial); a district when the name says nothing.
pub fn level_of(region: &str) -> PlanLevel {
    let chars: Vec<char> = region.chars().collect();
    crate::meta::region_prefix(&chars).2.unwrap_or(PlanLevel::District)
}

fn items(nodes: &[OutlineNode], out: &mut Vec<TaskDoc>) {
    for n in nodes {
        if n.level == NodeLevel::Item {
            out.push(TaskDoc {
                code: n.id.clone(),
                title: n.title.clone(),
                departments: Vec::new(),
                co_departments: Vec::new(),
                source: Source {
                    node: Some(n.id.clone()),
                    quote: None,
                    span: Some([n.span.start, n.span.end]),
                },
            });
        }
        items(&n.children, out);
    }
}

/// The headings (篇、章、节) of the outline, depth first.
fn headings(nodes: &[OutlineNode], out: &mut Vec<OutlineEntry>) {
    for n in nodes {
        if matches!(n.level, NodeLevel::Part | NodeLevel::Chapter | NodeLevel::Section) {
            out.push(OutlineEntry {
                node: n.id.clone(),
                number: n.number,
                title: n.title.clone(),
            });
        }
        headings(&n.children, out);
    }
}

/// The draft indicator system of an extraction; `source` names the plan file.
pub fn draft(ex: &Extraction, source: Option<&str>) -> PlanDoc {
    let info = &ex.plan;
    let name = if info.title.is_empty() {
        "未命名规划".to_string()
    } else {
        info.title.clone()
    };
    let indicators = ex
        .targets
        .iter()
        .map(|t| {
            let baseline = ex
                .baselines
                .iter()
                .find(|b| b.target_ids.contains(&t.id))
                .map(|b| BaselineDoc {
                    value: b.value,
                    year: b.year.unwrap_or(info.start_year - 1),
                });
            let ceiling = t.comparator == Comparator::AtMost && t.measure == Measure::Level;
            IndicatorDoc {
                code: t.id.clone(),
                name: if t.indicator.is_empty() {
                    format!("指标{}", t.id)
                } else {
                    t.indicator.clone()
                },
                unit: t.unit.clone(),
                category: None,
                attribute: t.attribute.unwrap_or(Attribute::Expected),
                measure: t.measure,
                direction: if ceiling || (t.measure == Measure::Level && lower_is_better(&t.indicator)) {
                    Direction::LowerIsBetter
                } else {
                    Direction::HigherIsBetter
                },
                departments: Vec::new(),
                co_departments: Vec::new(),
                data_source: None,
                frequency: Frequency::Annual,
                target: TargetDoc {
                    comparator: t.comparator,
                    value: t.value,
                    value_max: t.value_max,
                    year: t.year.unwrap_or(info.end_year),
                    kind: t.kind,
                    reason: None,
                },
                baseline,
                source: Source {
                    node: t.node.clone(),
                    quote: Some(t.quote.clone()),
                    span: Some([t.span.start, t.span.end]),
                },
                rules: Default::default(),
            }
        })
        .collect();
    let mut tasks = Vec::new();
    items(&ex.outline, &mut tasks);
    let mut outline = Vec::new();
    headings(&ex.outline, &mut outline);
    let projects = ex
        .projects
        .iter()
        .map(|p| ProjectDoc {
            code: p.id.clone(),
            name: p.name.clone(),
            action: p.action.clone(),
            capacity: (!p.quantities.is_empty()).then(|| {
                p.quantities
                    .iter()
                    .map(|q| format!("{}{}", q.value.normalize(), q.unit.as_deref().unwrap_or("")))
                    .collect::<Vec<_>>()
                    .join("、")
            }),
            planned_investment: None,
            start_year: None,
            finish_year: p.year,
            departments: Vec::new(),
            source: Source {
                node: p.node.clone(),
                quote: Some(p.quote.clone()),
                span: Some([p.span.start, p.span.end]),
            },
        })
        .collect();
    PlanDoc {
        plan: PlanMeta {
            id: None,
            name,
            region: info.region.clone(),
            level: info.level.unwrap_or_else(|| level_of(&info.region)),
            kind: info.kind.unwrap_or_default(),
            issuer: info.issuer.clone(),
            issued_on: info.issued_on.clone(),
            start_year: info.start_year,
            end_year: info.end_year,
            vision_year: info.vision_year,
            parent: None,
            state: PlanState::Draft,
            source: source.map(str::to_string),
        },
        settings: PlanSettings::default(),
        outline,
        departments: Vec::new(),
        indicators,
        tasks,
        projects,
        cross_rules: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_plan_drafts_a_valid_system() {
        let text = include_str!("../../../data/plans/jinnan-14th-five-year-plan.txt");
        let doc = draft(&crate::extract(text), Some("jinnan.txt"));
        assert_eq!(doc.validate(), Ok(()));
        assert_eq!(
            (doc.plan.start_year, doc.plan.end_year, doc.plan.level),
            (2021, 2025, PlanLevel::District)
        );
        assert_eq!(doc.plan.region, "天津市津南区");
        assert_eq!(doc.plan.kind, lantu_core::plan::PlanKind::Master);
        assert_eq!(doc.indicators.len(), 68);
        assert!(doc.tasks.len() > 100);
        let hi = doc
            .indicators
            .iter()
            .find(|i| i.name == "国家高新技术企业")
            .expect("高新技术企业");
        assert_eq!(
            hi.baseline.as_ref().map(|b| b.value),
            Some(rust_decimal::Decimal::from(468))
        );
        let pm = doc.indicators.iter().find(|i| i.name.contains("PM2.5")).expect("PM2.5");
        assert_eq!(pm.direction, Direction::LowerIsBetter);
    }
}
