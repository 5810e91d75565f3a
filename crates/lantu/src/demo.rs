//! The demo: the bundled plan's draft indicator system confirmed the way a
//! planning office would (departments, categories, binding indicators), and
//! illustrative monitoring data. Every figure made here is labelled as sample
//! data wherever it is shown; none of it is a published statistic.

use lantu_app::publication::PublicationChange;
use lantu_core::observation::NewObservation;
use lantu_core::plan::{DepartmentDoc, PlanDoc, PlanState};
use lantu_core::progress::Period;
use lantu_core::{Attribute, Comparator, Measure, TargetKind};
use rust_decimal::prelude::*;

/// Departments of a district government, with the words of the indicators
/// each is usually responsible for. The first match wins; the development
/// and reform commission takes the rest.
const DEPARTMENTS: &[(&str, &str, &[&str])] = &[
    (
        "sthj",
        "区生态环境局",
        &["PM2.5", "浓度", "二氧化碳", "排放", "污染", "地表水", "水体", "土壤"],
    ),
    ("swj", "区水务局", &["污水", "地下水", "供水", "河道"]),
    ("ylj", "区城市管理委", &["垃圾", "绿化", "绿地", "公园", "森林"]),
    (
        "jyj",
        "区教育局",
        &["学校", "中学", "小学", "幼儿园", "高中", "学位", "产教融合"],
    ),
    ("mzj", "区民政局", &["养老", "床位", "老年"]),
    ("rsj", "区人力资源和社会保障局", &["就业", "失业", "收入"]),
    (
        "kjj",
        "区科学技术局",
        &["高新技术", "科技", "研发", "专利", "雏鹰", "瞪羚"],
    ),
    ("gxj", "区工业和信息化局", &["制造业", "工业", "产业集群", "战略性新兴"]),
    (
        "swu",
        "区商务局",
        &["会展", "展会", "外资", "外贸", "企业集团", "住宿", "商业", "服务业"],
    ),
    ("wlj", "区文化和旅游局", &["旅游", "游线", "文体", "健身"]),
    ("zjw", "区住房和城乡建设委员会", &["道路", "小城镇", "村庄", "居住"]),
    ("scj", "区市场监督管理局", &["市场主体", "民营经济"]),
    ("czj", "区财政局", &["债务"]),
    ("fgw", "区发展和改革委员会", &[]),
];

/// Categories of the main indicator table, by the same kind of words.
const CATEGORIES: &[(&str, &[&str])] = &[
    (
        "绿色生态",
        &[
            "PM2.5", "浓度", "排放", "能源", "森林", "绿地", "公园", "垃圾", "水", "土壤", "绿化", "污染",
        ],
    ),
    (
        "创新驱动",
        &["高新技术", "科技", "研发", "专利", "雏鹰", "瞪羚", "产教融合"],
    ),
    (
        "民生福祉",
        &[
            "就业",
            "失业",
            "收入",
            "学校",
            "中学",
            "小学",
            "幼儿园",
            "养老",
            "床位",
            "健身",
            "高中",
            "居住",
        ],
    ),
    ("安全保障", &["债务", "安全"]),
    ("经济发展", &[]),
];

/// Indicators Chinese plans hold as binding (约束性).
const BINDING_WORDS: &[&str] = &[
    "森林覆盖率",
    "PM2.5",
    "能源消耗",
    "二氧化碳",
    "地表水",
    "地下水",
    "污染地块",
    "耕地",
    "粮食",
];

fn first_match<'a, T>(table: &'a [(T, &'a [&'a str])], name: &str) -> &'a T {
    table
        .iter()
        .find(|(_, words)| words.is_empty() || words.iter().any(|w| name.contains(w)))
        .map(|(t, _)| t)
        .unwrap_or(&table[table.len() - 1].0)
}

/// The draft confirmed: departments, categories and attributes set, the
/// plan adopted.
pub fn confirm(mut doc: PlanDoc) -> PlanDoc {
    doc.departments = DEPARTMENTS
        .iter()
        .map(|(code, name, _)| DepartmentDoc {
            code: (*code).into(),
            name: (*name).into(),
        })
        .collect();
    for ind in &mut doc.indicators {
        let dept = DEPARTMENTS
            .iter()
            .find(|(_, _, w)| w.is_empty() || w.iter().any(|w| ind.name.contains(w)))
            .map(|d| d.0)
            .unwrap_or("fgw");
        ind.departments = vec![dept.to_string()];
        ind.co_departments = if dept == "fgw" {
            Vec::new()
        } else {
            vec!["fgw".to_string()]
        };
        ind.category = Some((*first_match(CATEGORIES, &ind.name)).to_string());
        if BINDING_WORDS.iter().any(|w| ind.name.contains(w)) {
            ind.attribute = Attribute::Binding;
        }
        ind.data_source = Some("区统计局".into());
    }
    for task in &mut doc.tasks {
        let dept = DEPARTMENTS
            .iter()
            .find(|(_, _, w)| !w.is_empty() && w.iter().any(|w| task.title.contains(w)))
            .map_or("fgw", |d| d.0);
        task.departments = vec![dept.to_string()];
    }
    doc.plan.state = PlanState::Adopted;
    doc
}

/// Baselines for the indicators the plan text gives none for, as an office
/// would fill them in from the statistics of the base year. Illustrative,
/// like the rest of the demo's figures: a level somewhat short of the target
/// (past a ceiling), and zero for counts of things to deliver.
pub fn sample_baselines(mut doc: PlanDoc) -> PlanDoc {
    let base_year = doc.plan.start_year - 1;
    for ind in &mut doc.indicators {
        let Some(goal) = ind.target.value else { continue };
        if ind.baseline.is_some() || ind.target.kind == TargetKind::Relative {
            continue;
        }
        let value = match (ind.measure, ind.target.comparator) {
            (Measure::Cumulative, _) | (_, Comparator::Exact) => Decimal::ZERO,
            (Measure::Level, Comparator::AtMost) => (goal * Decimal::new(12, 1)).round_dp(2),
            (Measure::Level, _) => (goal * Decimal::new(8, 1)).round_dp(2),
            _ => continue,
        };
        ind.baseline = Some(lantu_core::plan::BaselineDoc { value, year: base_year });
    }
    doc
}

/// A small deterministic generator (xorshift), so the demo is the same on
/// every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Illustrative yearly figures from the year after the baseline up to
/// `last_year`, each indicator moving toward its target at its own pace
/// (some ahead, some on schedule, some lagging, a few regressing).
pub fn sample_observations(doc: &PlanDoc, last_year: i32) -> Vec<NewObservation> {
    let mut rng = Rng(0x5eed_1a47_u64);
    let mut out = Vec::new();
    let start = doc.plan.start_year;
    for ind in &doc.indicators {
        let t = &ind.target;
        let Some(goal) = t.value.and_then(|v| v.to_f64()) else {
            continue;
        };
        if t.kind == TargetKind::Relative || !matches!(ind.measure, Measure::Level | Measure::Cumulative) {
            continue;
        }
        let goal = match (t.comparator, t.value_max.and_then(|m| m.to_f64())) {
            (Comparator::Range, Some(m)) => (goal + m) / 2.0,
            _ => goal,
        };
        let base_year = ind.baseline.as_ref().map_or(start - 1, |b| b.year);
        let span = (t.year - base_year).max(1) as f64;
        // Pace: 1.0 keeps to the schedule; spread from regressing to ahead.
        let pace: f64 = [1.3, 1.05, 0.95, 0.6, -0.2][(rng.next() * 5.0) as usize % 5];
        let whole = ind
            .unit
            .as_deref()
            .is_some_and(|u| !matches!(u, "%" | "平方米" | "微克/立方米" | "元" | "吨/日"));
        let x0 = ind.baseline.as_ref().and_then(|b| b.value.to_f64());
        for year in base_year + 1..=last_year.min(t.year) {
            let s = (year - base_year) as f64 / span;
            let noise = 1.0 + (rng.next() - 0.5) * 0.04;
            let v = match (ind.measure, x0) {
                // A flow each year: the total spread over the period.
                (Measure::Cumulative, _) => (goal / span * pace.max(0.1) * noise).max(0.0),
                (_, Some(x0)) => x0 + (goal - x0) * s * pace * noise,
                // No baseline: a level somewhere short of, or just past, the target.
                (_, None) => goal * (0.8 + 0.25 * s * pace.max(0.0)) * noise,
            };
            let v = if whole { v.round() } else { v };
            let Some(value) = Decimal::from_f64(v).map(|d| d.round_dp(2).normalize()) else {
                continue;
            };
            out.push(NewObservation {
                indicator: ind.code.clone(),
                period: Period::year(year),
                geography: None,
                value,
                source: Some("示例数据（非正式统计）".into()),
                note: None,
                comment: None,
            });
        }
    }
    out
}

/// Makes the demo's plan public and releases the years of the plan period
/// its sample figures cover (the planner's decisions: `lantu plan publish`
/// / `release`), so the public portal opens on the latest of them.
pub async fn publish(
    store: &lantu_store::Store,
    plan: i64,
    doc: &PlanDoc,
    rows: &[NewObservation],
) -> lantu_app::Result<()> {
    let app = lantu_app::App::new(store.clone());
    let demo = lantu_app::Actor::operator("demo");
    app.change_publication(&demo, plan, PublicationChange::Public(true))
        .await?;
    let years: std::collections::BTreeSet<i32> = rows
        .iter()
        .map(|r| r.period.calendar_year())
        .filter(|y| (doc.plan.start_year..=doc.plan.end_year).contains(y))
        .collect();
    for year in years {
        app.change_publication(&demo, plan, PublicationChange::Year(year, true))
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_system_is_valid_and_has_data() {
        let text = include_str!("../../../data/plans/jinnan-14th-five-year-plan.txt");
        let doc = confirm(lantu_extract::draft::draft(&lantu_extract::extract(text), None));
        assert_eq!(doc.validate(), Ok(()));
        assert!(doc
            .indicators
            .iter()
            .all(|i| !i.departments.is_empty() && i.category.is_some()));
        assert!(doc.indicators.iter().any(|i| i.attribute == Attribute::Binding));
        let obs = sample_observations(&doc, 2023);
        assert!(obs.len() >= 10, "{}", obs.len());
        assert!(obs
            .iter()
            .all(|o| o.source.as_deref().is_some_and(|s| s.contains("示例"))));
        assert_eq!(obs, sample_observations(&doc, 2023), "deterministic");
    }
}
