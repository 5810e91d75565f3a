//! Hand-computed cases for the progress engine, one group per measure and
//! comparator. Each expected number is worked out in the comment above it
//! (and, for the first of each kind, in docs/methodology.md).

use lantu_core::progress::{
    assess, Assessment, Baseline, Likelihood, Observation, Period, ProjectionMethod, Reason, Status, TargetSpec,
    Tolerances,
};
use lantu_core::{Comparator, Measure};
use rust_decimal::Decimal;
use std::str::FromStr;

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn target(measure: Measure, cmp: Comparator, value: &str, year: i32) -> TargetSpec {
    TargetSpec::new(measure, cmp, dec(value), year)
}

fn binding(mut t: TargetSpec) -> TargetSpec {
    t.binding = true;
    t
}

fn range(measure: Measure, lo: &str, hi: &str, year: i32) -> TargetSpec {
    let mut t = target(measure, Comparator::Range, lo, year);
    t.value_max = Some(dec(hi));
    t
}

fn obs(items: &[(&str, &str)]) -> Vec<Observation> {
    items
        .iter()
        .map(|(p, v)| Observation::new(Period::parse(p).unwrap(), dec(v)))
        .collect()
}

fn run(t: &TargetSpec, base: Option<(&str, i32)>, o: &[(&str, &str)], eval: i32) -> Assessment {
    let b = base.map(|(v, y)| Baseline::new(dec(v), y));
    assess(t, b.as_ref(), &obs(o), eval, &Tolerances::default())
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

#[track_caller]
fn check(a: &Assessment, status: Status, ratio: Option<f64>) {
    assert_eq!(a.status, status, "{a:#?}");
    match ratio {
        Some(r) => assert!(close(a.ratio, r), "ratio {:?} ≠ {r}: {a:#?}", a.ratio),
        None => assert_eq!(a.ratio, None, "{a:#?}"),
    }
}

// ------------------------------------------------------------ level, ceiling

/// PM2.5 控制在 43 以内 by 2025 from 52 in 2020 (binding).
fn pm25() -> TargetSpec {
    binding(target(Measure::Level, Comparator::AtMost, "43", 2025))
}

#[test]
fn ceiling_on_track_with_projection() {
    // s = 3/5 = 0.6; p = (47 − 52)/(43 − 52) = 5/9; r = p/s = 25/27.
    let a = run(
        &pm25(),
        Some(("52", 2020)),
        &[("2021", "50"), ("2022", "48"), ("2023", "47")],
        2023,
    );
    check(&a, Status::OnTrack, Some(25.0 / 27.0));
    assert!(close(a.progress, 5.0 / 9.0));
    assert!(close(a.elapsed_share, 0.6));
    assert_eq!(a.reason, Reason::OnSchedule);
    assert!(!a.regressing && !a.warning);
    assert_eq!(a.as_of, Some(Period::year(2023)));
    // Weighted trend through (2020,52) w1, (2021,50) w2, (2022,48) w3,
    // (2023,47) w4: slope −1.6, value at 2025 = 48.4 − 1.6·3 = 43.6;
    // σ² = 0.8/2 = 0.4; var = 0.4·(1/6 + 1/10 + 9/10); ± 2.920·√var.
    let p = a.projection.unwrap();
    assert_eq!((p.year, p.method, p.points), (2025, ProjectionMethod::WeightedTrend, 4));
    assert!(close(Some(p.value), 43.6), "{p:?}");
    let half = 2.920 * (0.4f64 * (1.0 / 6.0 + 0.1 + 0.9)).sqrt();
    assert!(
        close(Some(p.high), 43.6 + half) && close(Some(p.low), 43.6 - half),
        "{p:?}"
    );
    assert_eq!(p.likelihood, Likelihood::Uncertain);
}

#[test]
fn ceiling_lagging_binding_warns() {
    // p = 3/9, r = 5/9 < 0.90.
    let a = run(&pm25(), Some(("52", 2020)), &[("2023", "49")], 2023);
    check(&a, Status::Lagging, Some(5.0 / 9.0));
    assert_eq!(a.reason, Reason::BehindSchedule);
    assert!(a.warning && !a.regressing);
    // Two points only: the line through (2020,52) and (2023,49) gives 47 in
    // 2025 (−1 a year), interval 49 − 2·(1 ± 0.5) = [46, 48]: above 43.
    let p = a.projection.unwrap();
    assert_eq!(p.method, ProjectionMethod::TwoPoint);
    assert!(close(Some(p.value), 47.0) && close(Some(p.low), 46.0) && close(Some(p.high), 48.0));
    assert_eq!(p.likelihood, Likelihood::Unlikely);
}

#[test]
fn ceiling_ahead_achieved_and_regressing() {
    // p = 7/9, r = 35/27 ≥ 1.10.
    let a = run(&pm25(), Some(("52", 2020)), &[("2023", "45")], 2023);
    check(&a, Status::Ahead, Some(35.0 / 27.0));
    let a = run(&pm25(), Some(("52", 2020)), &[("2023", "43")], 2023);
    assert_eq!((a.status, a.reason), (Status::Achieved, Reason::MetEarly));
    // p = (55 − 52)/(43 − 52) = −1/3 < 0: lagging and regressing.
    let a = run(&pm25(), Some(("52", 2020)), &[("2023", "55")], 2023);
    check(&a, Status::Lagging, Some(-5.0 / 9.0));
    assert!(a.regressing && a.warning);
    assert_eq!(a.reason, Reason::MovingAway);
}

// ------------------------------------------------------------- level, floor

fn urbanisation() -> TargetSpec {
    target(Measure::Level, Comparator::AtLeast, "65", 2025)
}

#[test]
fn floor_ratio_thresholds_are_exact() {
    // p = (63 − 60)/(65 − 60) = 0.6 = s → r = 1.
    let a = run(&urbanisation(), Some(("60", 2020)), &[("2023", "63")], 2023);
    check(&a, Status::OnTrack, Some(1.0));
    // p = 0.66, r = 1.10 exactly → ahead.
    let a = run(&urbanisation(), Some(("60", 2020)), &[("2023", "63.3")], 2023);
    check(&a, Status::Ahead, Some(1.1));
    // p = 0.54, r = 0.90 exactly → on track.
    let a = run(&urbanisation(), Some(("60", 2020)), &[("2023", "62.7")], 2023);
    check(&a, Status::OnTrack, Some(0.9));
    // p = 0.538, r = 0.8967 → lagging. An expected target, and the two-point
    // projection [63.59, 65.38] straddles 65: no warning.
    let a = run(&urbanisation(), Some(("60", 2020)), &[("2023", "62.69")], 2023);
    assert_eq!(a.status, Status::Lagging);
    assert_eq!(a.projection.unwrap().likelihood, Likelihood::Uncertain);
    assert!(!a.warning);
}

#[test]
fn exact_straight_line_projection_is_likely_or_unlikely() {
    let o = [("2021", "61"), ("2022", "62"), ("2023", "63")];
    let a = run(&urbanisation(), Some(("60", 2020)), &o, 2023);
    let p = a.projection.unwrap();
    assert!(close(Some(p.value), 65.0) && (p.high - p.low).abs() < 1e-9, "{p:?}");
    assert_eq!(p.likelihood, Likelihood::Likely);
    assert!(!a.warning);
    // Same data against 66: p = 3/6, r = 0.833 lagging; trend 65 < 66.
    let t = target(Measure::Level, Comparator::AtLeast, "66", 2025);
    let a = run(&t, Some(("60", 2020)), &o, 2023);
    assert_eq!(a.status, Status::Lagging);
    assert_eq!(a.projection.unwrap().likelihood, Likelihood::Unlikely);
    assert!(a.warning, "an unlikely projection warns even for an expected target");
}

#[test]
fn sub_annual_levels_take_the_latest_period_of_the_year() {
    // 2023-05 is later than 2023Q1: x_t = 63, t = 2023.
    let o = [("2023Q1", "61"), ("2023-05", "63"), ("2022-12", "62")];
    let a = run(&urbanisation(), Some(("60", 2020)), &o, 2023);
    check(&a, Status::OnTrack, Some(1.0));
    assert_eq!(a.as_of, Some(Period::month(2023, 5).unwrap()));
    // An annual figure ranks after the months of its year.
    let o = [("2023", "63"), ("2023-12", "61")];
    let a = run(&urbanisation(), Some(("60", 2020)), &o, 2023);
    check(&a, Status::OnTrack, Some(1.0));
}

// -------------------------------------------------------------------- range

fn beds() -> TargetSpec {
    range(Measure::Level, "45", "50", 2025)
}

#[test]
fn range_uses_the_nearer_bound() {
    // From below: aim 45; p = (44 − 40)/(45 − 40) = 0.8, r = 4/3.
    let a = run(&beds(), Some(("40", 2020)), &[("2023", "44")], 2023);
    check(&a, Status::Ahead, Some(4.0 / 3.0));
    let a = run(&beds(), Some(("40", 2020)), &[("2023", "47")], 2023);
    assert_eq!(a.status, Status::Achieved);
    // Past the range on the far side: ahead, reason overshoot.
    let a = run(&beds(), Some(("40", 2020)), &[("2023", "52")], 2023);
    assert_eq!((a.status, a.reason), (Status::Ahead, Reason::Overshoot));
    // From above: aim 50; p = (52 − 55)/(50 − 55) = 0.6 = s.
    let a = run(&beds(), Some(("55", 2020)), &[("2023", "52")], 2023);
    check(&a, Status::OnTrack, Some(1.0));
    // Baseline inside, latest outside: maintain-type lagging.
    let a = run(&beds(), Some(("46", 2020)), &[("2023", "44")], 2023);
    assert_eq!(
        (a.status, a.reason, a.regressing),
        (Status::Lagging, Reason::NoLongerMet, true)
    );
}

#[test]
fn malformed_ranges_are_not_assessable() {
    let mut t = beds();
    t.value_max = None;
    let a = run(&t, Some(("40", 2020)), &[("2023", "44")], 2023);
    assert_eq!((a.status, a.reason), (Status::NotAssessable, Reason::MissingUpperBound));
    let t = range(Measure::Level, "50", "45", 2025);
    let a = run(&t, Some(("40", 2020)), &[("2023", "44")], 2023);
    assert_eq!((a.status, a.reason), (Status::NotAssessable, Reason::ReversedRange));
}

// ------------------------------------------------------------------- approx

#[test]
fn approx_within_five_percent() {
    let t = target(Measure::Level, Comparator::Approx, "100", 2025);
    // |96 − 100| = 4 ≤ 5 → achieved; 95 and 105 are the edges.
    for x in ["96", "95", "105"] {
        assert_eq!(
            run(&t, Some(("80", 2020)), &[("2023", x)], 2023).status,
            Status::Achieved,
            "{x}"
        );
    }
    // p = 10/20 = 0.5, r = 0.8333 → lagging.
    let a = run(&t, Some(("80", 2020)), &[("2023", "90")], 2023);
    check(&a, Status::Lagging, Some(0.5 / 0.6));
    // p = 13/20 = 0.65, r = 1.0833 → on track.
    let a = run(&t, Some(("80", 2020)), &[("2023", "93")], 2023);
    check(&a, Status::OnTrack, Some(0.65 / 0.6));
    // 106 is beyond the tolerance on the far side.
    let a = run(&t, Some(("80", 2020)), &[("2023", "106")], 2023);
    assert_eq!((a.status, a.reason), (Status::Ahead, Reason::Overshoot));
    // At the target year outside the tolerance is not completed.
    let a = run(&t, Some(("80", 2020)), &[("2025", "106")], 2025);
    assert_eq!(a.status, Status::NotCompleted);
}

// ------------------------------------------------------------- "=" counts

#[test]
fn exact_counts_are_met_at_the_number_or_more() {
    // 新建 3 所学校, as a level from 0 in 2020: p = 2/3, r = 10/9.
    let t = target(Measure::Level, Comparator::Exact, "3", 2025);
    let a = run(&t, Some(("0", 2020)), &[("2023", "2")], 2023);
    check(&a, Status::Ahead, Some(10.0 / 9.0));
    for x in ["3", "4"] {
        assert_eq!(
            run(&t, Some(("0", 2020)), &[("2023", x)], 2023).status,
            Status::Achieved
        );
    }
    // The same as deliveries per year.
    let t = target(Measure::Cumulative, Comparator::Exact, "3", 2025);
    let a = run(
        &t,
        Some(("0", 2020)),
        &[("2021", "1"), ("2022", "0"), ("2023", "1")],
        2023,
    );
    check(&a, Status::Ahead, Some(10.0 / 9.0));
    let a = run(&t, Some(("0", 2020)), &[("2021", "2"), ("2023", "1")], 2023);
    assert_eq!(a.status, Status::Achieved);
}

// ---------------------------------------------------------- maintain-type

#[test]
fn maintain_type_targets() {
    // 耕地保有量保持在 100 以上, baseline 102.
    let t = binding(target(Measure::Level, Comparator::AtLeast, "100", 2025));
    let a = run(&t, Some(("102", 2020)), &[("2023", "101")], 2023);
    assert_eq!(a.status, Status::Achieved);
    let a = run(&t, Some(("102", 2020)), &[("2023", "99")], 2023);
    assert_eq!((a.status, a.reason), (Status::Lagging, Reason::NoLongerMet));
    assert!(a.regressing && a.warning && a.ratio.is_none());
    // Target equal to the baseline: no division by zero.
    let t = urbanisation();
    let a = run(&t, Some(("65", 2020)), &[("2023", "64.5")], 2023);
    assert_eq!((a.status, a.ratio, a.progress), (Status::Lagging, None, None));
    let a = run(&t, Some(("65", 2020)), &[("2023", "65")], 2023);
    assert_eq!(a.status, Status::Achieved);
    // At the target year it is not completed, and regressing.
    let a = run(&t, Some(("65", 2020)), &[("2025", "64")], 2026);
    assert_eq!((a.status, a.regressing), (Status::NotCompleted, true));
}

// --------------------------------------------------------------- cumulative

fn jobs() -> TargetSpec {
    // 累计新增城镇就业 50 万人 over 2021–2025.
    target(Measure::Cumulative, Comparator::AtLeast, "50", 2025)
}

#[test]
fn cumulative_sums_flows_after_the_baseline_year() {
    // 2020's flow is before the count starts; Σ = 30 = 0.6·50, s = 0.6.
    let o = [("2020", "12"), ("2021", "11"), ("2022", "10"), ("2023", "9")];
    let a = run(&jobs(), Some(("0", 2020)), &o, 2023);
    check(&a, Status::OnTrack, Some(1.0));
    assert!(close(a.progress, 0.6));
    let a = run(
        &jobs(),
        Some(("0", 2020)),
        &[("2021", "20"), ("2022", "20"), ("2023", "15")],
        2023,
    );
    assert_eq!(a.status, Status::Achieved);
}

#[test]
fn cumulative_partial_year_counts_the_months_covered() {
    // Σ = 30 + 3 + 2 = 35 = 0.7·50; elapsed = 36 + 6 = 42 of 60 months = 0.7.
    let o = [
        ("2021", "11"),
        ("2022", "10"),
        ("2023", "9"),
        ("2024Q1", "3"),
        ("2024Q2", "2"),
    ];
    let a = run(&jobs(), Some(("0", 2020)), &o, 2024);
    check(&a, Status::OnTrack, Some(1.0));
    assert!(close(a.elapsed_share, 0.7));
    assert_eq!(a.as_of, Some(Period::quarter(2024, 2).unwrap()));
    // Months inside a reported quarter are not counted twice: Q1 3 (its
    // February 5 is ignored) + April 1 + May 1 → Σ = 35, 41 months.
    let o = [
        ("2021", "11"),
        ("2022", "10"),
        ("2023", "9"),
        ("2024Q1", "3"),
        ("2024-02", "5"),
        ("2024-04", "1"),
        ("2024-05", "1"),
    ];
    let a = run(&jobs(), Some(("0", 2020)), &o, 2024);
    check(&a, Status::OnTrack, Some(0.7 * 60.0 / 41.0));
    // An annual figure wins over the months of its year.
    let o = [
        ("2021", "11"),
        ("2022", "10"),
        ("2023", "9"),
        ("2024", "5"),
        ("2024-03", "40"),
    ];
    let a = run(&jobs(), Some(("0", 2020)), &o, 2024);
    check(&a, Status::Lagging, Some(0.7 / 0.8));
}

#[test]
fn cumulative_projection_of_the_total() {
    // Running totals 0, 10, 20, 30 → 50 in 2025 exactly.
    let o = [("2021", "10"), ("2022", "10"), ("2023", "10")];
    let a = run(&jobs(), Some(("0", 2020)), &o, 2023);
    let p = a.projection.unwrap();
    assert!(close(Some(p.value), 50.0), "{p:?}");
    assert_eq!(p.likelihood, Likelihood::Likely);
}

#[test]
fn cumulative_ceiling_is_an_allowance() {
    // 新增建设用地控制在 100 公顷以内.
    let t = binding(target(Measure::Cumulative, Comparator::AtMost, "100", 2025));
    // Used 60 of 100 in 0.6 of the time: pace 1.0.
    let a = run(
        &t,
        Some(("0", 2020)),
        &[("2021", "20"), ("2022", "20"), ("2023", "20")],
        2023,
    );
    check(&a, Status::OnTrack, Some(1.0));
    assert_eq!(a.reason, Reason::WithinAllowance);
    // Used 75 in 0.6: pace 1.25 > 1/0.90.
    let a = run(
        &t,
        Some(("0", 2020)),
        &[("2021", "25"), ("2022", "25"), ("2023", "25")],
        2023,
    );
    check(&a, Status::Lagging, Some(1.25));
    assert_eq!(a.reason, Reason::AllowanceUsedTooFast);
    assert!(a.warning);
    // Used 110: exceeded.
    let a = run(&t, Some(("0", 2020)), &[("2021", "60"), ("2022", "50")], 2023);
    assert_eq!((a.status, a.reason), (Status::Lagging, Reason::AllowanceExceeded));
    // Final: within the ceiling is completed.
    let a = run(&t, Some(("0", 2020)), &[("2021", "20"), ("2025", "20")], 2025);
    assert_eq!(a.status, Status::Completed);
}

// ----------------------------------------------------------- annual growth

fn gdp() -> TargetSpec {
    // 地区生产总值年均增长 6%.
    target(Measure::AnnualGrowth, Comparator::AtLeast, "6", 2025)
}

#[test]
fn growth_ratio_is_cagr_over_g() {
    // 1000 → 1157.625 in 3 years: CAGR 5 %, r = 5/6.
    let a = run(&gdp(), Some(("1000", 2020)), &[("2023", "1157.625")], 2023);
    check(&a, Status::Lagging, Some(5.0 / 6.0));
    // p = ln(1.157625) / (5·ln 1.06).
    assert!(close(a.progress, 1.157625f64.ln() / (5.0 * 1.06f64.ln())));
    let a = run(&gdp(), Some(("1000", 2020)), &[("2023", "1191.016")], 2023);
    check(&a, Status::OnTrack, Some(1.0));
    let a = run(&gdp(), Some(("1000", 2020)), &[("2023", "1225.043")], 2023);
    check(&a, Status::Ahead, Some(7.0 / 6.0));
    // 1000·1.06^5 = 1338.2255776 reached in 2024: achieved early.
    let a = run(&gdp(), Some(("1000", 2020)), &[("2024", "1340")], 2024);
    assert_eq!(a.status, Status::Achieved);
    // Shrinking: regressing.
    let a = run(&gdp(), Some(("1000", 2020)), &[("2023", "990")], 2023);
    assert!(a.status == Status::Lagging && a.regressing);
}

#[test]
fn growth_projection_is_the_cagr() {
    // 5 % a year exactly: the log-linear trend projects CAGR 5 % < 6 %.
    let o = [("2021", "1050"), ("2022", "1102.5"), ("2023", "1157.625")];
    let a = run(&gdp(), Some(("1000", 2020)), &o, 2023);
    let p = a.projection.unwrap();
    assert!((p.value - 5.0).abs() < 1e-9 && (p.high - p.low).abs() < 1e-6, "{p:?}");
    assert_eq!(p.likelihood, Likelihood::Unlikely);
    assert!(a.warning);
}

#[test]
fn growth_at_the_target_year_is_exact() {
    let a = run(&gdp(), Some(("1000", 2020)), &[("2025", "1338.2255776")], 2025);
    assert_eq!((a.status, a.reason), (Status::Completed, Reason::MetInTargetYear));
    let a = run(&binding(gdp()), Some(("1000", 2020)), &[("2025", "1338.2255775")], 2025);
    assert_eq!((a.status, a.warning), (Status::NotCompleted, true));
}

#[test]
fn growth_ceiling_and_approx() {
    // 能源消费总量年均增长控制在 3% 以内: 2 % a year → pace 2/3.
    let t = target(Measure::AnnualGrowth, Comparator::AtMost, "3", 2025);
    let a = run(&t, Some(("100", 2020)), &[("2023", "106.1208")], 2023);
    check(&a, Status::OnTrack, Some(2.0 / 3.0));
    // 4 % a year → pace 4/3 > 1/0.9.
    let a = run(&t, Some(("100", 2020)), &[("2023", "112.4864")], 2023);
    check(&a, Status::Lagging, Some(4.0 / 3.0));
    // 3.2 % → pace 1.0667, within 1/0.9.
    let a = run(&t, Some(("100", 2020)), &[("2023", "109.9104768")], 2023);
    assert_eq!(a.status, Status::OnTrack);
    // 6 % 左右: 5.7–6.3 % meets at the target year.
    let t = target(Measure::AnnualGrowth, Comparator::Approx, "6", 2025);
    let a = run(&t, Some(("100", 2020)), &[("2025", "138")], 2025); // CAGR 6.65 %
    assert_eq!(a.status, Status::NotCompleted);
    let a = run(&t, Some(("100", 2020)), &[("2025", "135")], 2025); // CAGR 6.19 %
    assert_eq!(a.status, Status::Completed);
}

#[test]
fn growth_needs_positive_levels() {
    let a = run(&gdp(), Some(("0", 2020)), &[("2023", "10")], 2023);
    assert_eq!((a.status, a.reason), (Status::NotAssessable, Reason::NonPositiveLevel));
    let a = run(&gdp(), Some(("100", 2020)), &[("2023", "-1")], 2023);
    assert_eq!((a.status, a.reason), (Status::NotAssessable, Reason::NonPositiveLevel));
    let t = target(Measure::AnnualGrowth, Comparator::AtLeast, "-100", 2025);
    let a = run(&t, Some(("100", 2020)), &[("2023", "10")], 2023);
    assert_eq!(a.reason, Reason::GrowthBelowMinus100);
}

// --------------------------------------------------------------- reduction

fn intensity() -> TargetSpec {
    // 单位地区生产总值能源消耗降低 13.5% (binding).
    binding(target(Measure::Reduction, Comparator::AtLeast, "13.5", 2025))
}

fn required(big_r: f64, s: f64) -> f64 {
    1.0 - (1.0 - big_r).powf(s)
}

#[test]
fn reduction_against_the_compounded_requirement() {
    // Required by s = 0.6: 1 − 0.865^0.6 = 0.083338; achieved 1 − 0.92 = 0.08.
    let a = run(&intensity(), Some(("1", 2020)), &[("2023", "0.92")], 2023);
    check(&a, Status::OnTrack, Some(0.08 / required(0.135, 0.6)));
    assert!((a.ratio.unwrap() - 0.95994).abs() < 1e-4);
    assert!(close(a.progress, 0.08 / 0.135));
    let a = run(&intensity(), Some(("1", 2020)), &[("2023", "0.95")], 2023);
    check(&a, Status::Lagging, Some(0.05 / required(0.135, 0.6)));
    assert!(a.warning);
    let a = run(&intensity(), Some(("1", 2020)), &[("2023", "0.90")], 2023);
    check(&a, Status::Ahead, Some(0.10 / required(0.135, 0.6)));
    let a = run(&intensity(), Some(("1", 2020)), &[("2023", "0.865")], 2023);
    assert_eq!(a.status, Status::Achieved);
    let a = run(&intensity(), Some(("1", 2020)), &[("2023", "1.02")], 2023);
    assert!(a.status == Status::Lagging && a.regressing);
    assert_eq!(a.reason, Reason::MovingAway);
}

#[test]
fn reduction_final_and_projection() {
    let a = run(&intensity(), Some(("1", 2020)), &[("2025", "0.865")], 2025);
    assert_eq!(a.status, Status::Completed);
    let a = run(&intensity(), Some(("1", 2020)), &[("2025", "0.87")], 2025);
    assert!(a.status == Status::NotCompleted && a.warning);
    // 3 % a year down: 0.97, 0.9409, 0.912673 → 1 − 0.97^5 = 14.13 % by 2025.
    let o = [("2021", "0.97"), ("2022", "0.9409"), ("2023", "0.912673")];
    let a = run(&intensity(), Some(("1", 2020)), &o, 2023);
    let p = a.projection.unwrap();
    let expect = 100.0 * (1.0 - 0.97f64.powi(5));
    assert!((p.value - expect).abs() < 1e-9, "{p:?}");
    assert_eq!(p.likelihood, Likelihood::Likely);
}

#[test]
fn reduction_ceiling_and_limits() {
    // 耕地面积减少控制在 5% 以内, baseline 1000.
    let t = target(Measure::Reduction, Comparator::AtMost, "5", 2025);
    // a = 0.01; allowed by 0.6: 1 − 0.95^0.6; pace 0.33.
    let a = run(&t, Some(("1000", 2020)), &[("2023", "990")], 2023);
    check(&a, Status::OnTrack, Some(0.01 / required(0.05, 0.6)));
    let a = run(&t, Some(("1000", 2020)), &[("2023", "940")], 2023);
    assert_eq!((a.status, a.reason), (Status::Lagging, Reason::AllowanceExceeded));
    let t = target(Measure::Reduction, Comparator::AtLeast, "120", 2025);
    let a = run(&t, Some(("1", 2020)), &[("2023", "0.5")], 2023);
    assert_eq!((a.status, a.reason), (Status::NotAssessable, Reason::ReductionAbove100));
    // 下降 13.5% 左右: 12.825–14.175 % meets.
    let t = target(Measure::Reduction, Comparator::Approx, "13.5", 2025);
    let a = run(&t, Some(("1", 2020)), &[("2023", "0.87")], 2023);
    assert_eq!(a.status, Status::Achieved);
}

// --------------------------------------------------------- the target year

#[test]
fn target_year_completed_or_not() {
    let a = run(&pm25(), Some(("52", 2020)), &[("2024", "45"), ("2025", "43")], 2025);
    assert_eq!(
        (a.status, a.reason, a.warning),
        (Status::Completed, Reason::MetInTargetYear, false)
    );
    assert!(a.projection.is_none());
    let a = run(&pm25(), Some(("52", 2020)), &[("2025", "44")], 2025);
    assert_eq!(
        (a.status, a.reason, a.warning),
        (Status::NotCompleted, Reason::NotMetInTargetYear, true)
    );
    // p = 8/9 at s = 1.
    assert!(close(a.ratio, 8.0 / 9.0));
    // Evaluated later, the target year's figure missing.
    let a = run(&pm25(), Some(("52", 2020)), &[("2024", "44")], 2026);
    assert_eq!(
        (a.status, a.reason),
        (Status::NotCompleted, Reason::TargetYearFigureMissing)
    );
    // Figures after the target year do not count.
    let a = run(&pm25(), Some(("52", 2020)), &[("2025", "43"), ("2026", "50")], 2026);
    assert_eq!(a.status, Status::Completed);
    assert_eq!(a.as_of, Some(Period::year(2025)));
}

// ------------------------------------------------- missing data and baselines

#[test]
fn missing_data() {
    let a = run(&pm25(), Some(("52", 2020)), &[], 2023);
    assert_eq!((a.status, a.reason), (Status::NoData, Reason::NoObservations));
    // Only figures after the evaluation year.
    let a = run(&pm25(), Some(("52", 2020)), &[("2024", "40")], 2023);
    assert_eq!(a.status, Status::NoData);
    // Only figures before the baseline year.
    let a = run(&pm25(), Some(("52", 2020)), &[("2019", "40")], 2023);
    assert_eq!(
        (a.status, a.reason),
        (Status::NoData, Reason::NoObservationSinceBaseline)
    );
    let a = run(&jobs(), Some(("0", 2020)), &[("2020", "40")], 2023);
    assert_eq!(
        (a.status, a.reason),
        (Status::NoData, Reason::NoObservationSinceBaseline)
    );
}

#[test]
fn missing_baseline() {
    let a = run(&urbanisation(), None, &[("2023", "63")], 2023);
    assert_eq!((a.status, a.reason), (Status::NotAssessable, Reason::NoBaseline));
    assert_eq!(a.as_of, Some(Period::year(2023)));
    let a = run(&urbanisation(), None, &[("2023", "66")], 2023);
    assert_eq!(a.status, Status::Achieved);
    let a = run(&urbanisation(), None, &[("2025", "66")], 2025);
    assert_eq!(a.status, Status::Completed);
    let a = run(&urbanisation(), None, &[("2025", "64")], 2025);
    assert_eq!(a.status, Status::NotCompleted);
    let a = run(&gdp(), None, &[("2023", "1200")], 2023);
    assert_eq!((a.status, a.reason), (Status::NotAssessable, Reason::NoBaseline));
    let a = run(&jobs(), None, &[("2022", "30"), ("2023", "25")], 2023);
    assert_eq!(a.status, Status::Achieved);
}

#[test]
fn degenerate_years() {
    // s = 0: the only figure is from the baseline year.
    let a = run(&urbanisation(), Some(("60", 2020)), &[("2020", "61")], 2022);
    assert_eq!((a.status, a.reason), (Status::NotAssessable, Reason::NoTimeElapsed));
    assert!(close(a.elapsed_share, 0.0));
    // …but a value that already meets the target is achieved.
    let a = run(&urbanisation(), Some(("60", 2020)), &[("2020", "65")], 2022);
    assert_eq!(a.status, Status::Achieved);
    // T ≤ t0.
    let t = target(Measure::Level, Comparator::AtLeast, "65", 2020);
    let a = run(&t, Some(("60", 2020)), &[("2021", "61")], 2021);
    assert_eq!(
        (a.status, a.reason),
        (Status::NotAssessable, Reason::TargetYearNotAfterBaseline)
    );
    // Evaluation before the baseline.
    let a = run(&urbanisation(), Some(("60", 2020)), &[("2019", "61")], 2019);
    assert_eq!(a.reason, Reason::EvaluationBeforeBaseline);
}

#[test]
fn duplicate_periods_later_entry_wins() {
    let a = run(
        &urbanisation(),
        Some(("60", 2020)),
        &[("2023", "61"), ("2023", "63")],
        2023,
    );
    check(&a, Status::OnTrack, Some(1.0));
}

#[test]
fn tolerances_are_settings() {
    let tol = Tolerances {
        ahead_ratio: dec("1.05"),
        on_track_ratio: dec("0.95"),
        approx_tolerance: dec("0.10"),
    };
    let b = Baseline::new(dec("60"), 2020);
    // r = 0.9: lagging under 0.95.
    let a = assess(&urbanisation(), Some(&b), &obs(&[("2023", "62.7")]), 2023, &tol);
    assert_eq!(a.status, Status::Lagging);
    let t = target(Measure::Level, Comparator::Approx, "100", 2025);
    let a = assess(&t, Some(&b), &obs(&[("2023", "91")]), 2023, &tol);
    assert_eq!(a.status, Status::Achieved);
}
