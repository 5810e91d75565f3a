//! Speed of `import::read` on large files generated in memory.
//!
//! Hand-written with `std::time::Instant` (no benchmark framework): each case
//! runs once to warm up, then `LANTU_BENCH_RUNS` times (default 5); the best
//! and mean time and rows per second are printed.
//!
//! The bar (issue 3): importing 1,000,000 observations end to end at
//! ≥ 100,000 rows/s; the parser's own share is held to ≥ 500,000 rows/s.
//!
//! Run with `cargo bench -p lantu-data`; a first argument that is not a flag
//! runs only the cases whose name contains it.

use std::fmt::Write;
use std::hint::black_box;
use std::time::{Duration, Instant};

use lantu_core::plan::{
    BaselineDoc, DepartmentDoc, Frequency, IndicatorDoc, PlanDoc, PlanLevel, PlanMeta, PlanSettings, PlanState, Source,
    TargetDoc,
};
use lantu_core::{Attribute, Comparator, Direction, Measure, Period, TargetKind};
use lantu_data::import;
use rust_decimal::Decimal;

/// Rows per second the parser must reach.
const BAR_ROWS_PER_S: f64 = 500_000.0;
const ROWS: usize = 1_000_000;
const INDICATORS: usize = 200;

fn plan() -> PlanDoc {
    let indicators = (0..INDICATORS)
        .map(|i| IndicatorDoc {
            code: format!("ind{i:03}"),
            name: format!("第{i}项指标：规模以上工业增加值"),
            unit: Some(if i % 3 == 0 { "%" } else { "亿元" }.into()),
            category: None,
            attribute: Attribute::Expected,
            measure: Measure::Level,
            direction: Direction::HigherIsBetter,
            departments: vec!["tj".into()],
            co_departments: vec![],
            data_source: None,
            frequency: Frequency::Monthly,
            target: TargetDoc {
                comparator: Comparator::AtLeast,
                value: Some(Decimal::ONE),
                value_max: None,
                year: 2025,
                kind: TargetKind::Numeric,
                reason: None,
            },
            baseline: Some(BaselineDoc {
                value: Decimal::ONE,
                year: 2020,
            }),
            source: Source::default(),
            rules: Default::default(),
        })
        .collect();
    PlanDoc {
        plan: PlanMeta {
            id: None,
            name: "基准规划".into(),
            region: "某区".into(),
            level: PlanLevel::District,
            kind: lantu_core::plan::PlanKind::Master,
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
        outline: Vec::new(),
        departments: vec![DepartmentDoc {
            code: "tj".into(),
            name: "统计局".into(),
        }],
        indicators,
        tasks: vec![],
        projects: vec![],
        cross_rules: Vec::new(),
    }
}

/// `rows` distinct (indicator, month, town) rows: 200 indicators × 120
/// months (2016–2025) × as many towns as needed. With `full`, all nine
/// template columns, else code, period, area and value only. Every `bad_every`-th
/// row (when non-zero) has a value that is not a number.
fn csv(plan: &PlanDoc, rows: usize, full: bool, bad_every: usize) -> String {
    let months: Vec<String> = (2016..=2025)
        .flat_map(|y| (1..=12u8).map(move |m| Period::month(y, m).unwrap().to_string()))
        .collect();
    let mut out = String::with_capacity(rows * if full { 110 } else { 30 });
    out.push_str(if full {
        "指标代码 Code,指标名称 Indicator,单位 Unit,期间 Period,地区 Area,数值 Value,上期值 Previous,数据来源 Source,备注 Notes\n"
    } else {
        "Code,Period,Area,Value\n"
    });
    let per_town = INDICATORS * months.len();
    for r in 0..rows {
        let ind = &plan.indicators[r % INDICATORS];
        let month = &months[(r / INDICATORS) % months.len()];
        let town = r / per_town;
        let value = (r as u64 * 7919) % 1_000_000;
        let (whole, frac) = (value / 100, value % 100);
        let area = if town == 0 {
            String::new()
        } else {
            format!("第{town}镇")
        };
        if full {
            let unit = ind.unit.as_deref().unwrap_or("");
            let source = if r % 4 == 0 { "统计年鉴" } else { "" };
            let _ = write!(out, "{},{},{unit},{month},{area},", ind.code, ind.name);
            if bad_every > 0 && r % bad_every == 0 {
                out.push_str("n/a");
            } else {
                let _ = write!(out, "{whole}.{frac:02}");
            }
            let _ = writeln!(out, ",{whole},{source},");
        } else {
            let _ = writeln!(out, "{},{month},{area},{whole}.{frac:02}", ind.code);
        }
    }
    out
}

struct Stats {
    best: Duration,
    mean: Duration,
}

fn time<R>(runs: usize, mut f: impl FnMut() -> R) -> Stats {
    black_box(f());
    let mut best = Duration::MAX;
    let start = Instant::now();
    for _ in 0..runs {
        let t = Instant::now();
        black_box(f());
        best = best.min(t.elapsed());
    }
    Stats {
        best,
        mean: start.elapsed() / runs as u32,
    }
}

fn main() {
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let runs: usize = std::env::var("LANTU_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let plan = plan();
    let wanted = |name: &str| filter.as_deref().is_none_or(|f| name.contains(f));
    let mut below_bar = false;
    let mut case = |name: &str, bytes: &[u8], file: &str, rows: usize, expect_ok: bool| {
        if !wanted(name) {
            return;
        }
        let check = import::read(bytes, file, &plan);
        assert_eq!(
            check.is_ok(),
            expect_ok,
            "{name}: {:?}",
            check.as_ref().err().map(|e| e.errors.len())
        );
        drop(check);
        let s = time(runs, || import::read(bytes, file, &plan));
        let rate = |d: Duration| rows as f64 / d.as_secs_f64();
        println!(
            "{name:<34} {rows:>9} rows {:>6.1} MB  best {:>8.1} ms ({:>10.0} rows/s)  mean {:>8.1} ms ({:>10.0} rows/s)",
            bytes.len() as f64 / 1e6,
            s.best.as_secs_f64() * 1e3,
            rate(s.best),
            s.mean.as_secs_f64() * 1e3,
            rate(s.mean),
        );
        if expect_ok && file.ends_with(".csv") && rate(s.mean) < BAR_ROWS_PER_S {
            below_bar = true;
        }
    };

    let full = csv(&plan, ROWS, true, 0);
    case("csv utf-8, template columns", full.as_bytes(), "big.csv", ROWS, true);
    if wanted("gb18030") {
        let (gbk, _, _) = encoding_rs::GB18030.encode(&full);
        case("csv gb18030, template columns", &gbk, "big.csv", ROWS, true);
    }
    let bad = csv(&plan, ROWS, true, 100);
    case("csv utf-8, 1% bad values", bad.as_bytes(), "bad.csv", ROWS, false);
    drop((full, bad));
    let small = csv(&plan, ROWS, false, 0);
    case(
        "csv utf-8, code/period/area/value",
        small.as_bytes(),
        "small.csv",
        ROWS,
        true,
    );
    drop(small);
    if wanted("xlsx") {
        let rows = 100_000;
        let xlsx = xlsx(&plan, rows);
        case("xlsx, template columns", &xlsx, "big.xlsx", rows, true);
    }
    println!(
        "bar: ≥ {BAR_ROWS_PER_S:.0} rows/s parsing valid CSV (mean): {}",
        if below_bar { "MISSED" } else { "met" }
    );
}

/// A workbook of `rows` rows with the template's columns.
fn xlsx(plan: &PlanDoc, rows: usize) -> Vec<u8> {
    let text = csv(plan, rows, true, 0);
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (r, line) in text.lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell.parse::<f64>() {
                Ok(v) if r > 0 && c >= 5 => ws.write_number(r, c, v).map(|_| ()),
                _ if cell.is_empty() => Ok(()),
                _ => ws.write_string(r, c, cell).map(|_| ()),
            }
            .unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}
