//! Property tests for the progress engine's invariants.

use lantu_core::progress::{
    assess, rollup, Assessment, Baseline, Likelihood, Observation, Period, Status, TargetSpec, Tolerances,
};
use lantu_core::{Comparator, Measure};
use proptest::prelude::*;
use rust_decimal::Decimal;

const MEASURES: [Measure; 4] = [
    Measure::Level,
    Measure::AnnualGrowth,
    Measure::Cumulative,
    Measure::Reduction,
];
const COMPARATORS: [Comparator; 5] = [
    Comparator::AtLeast,
    Comparator::AtMost,
    Comparator::Exact,
    Comparator::Range,
    Comparator::Approx,
];

fn measure() -> impl Strategy<Value = Measure> {
    prop::sample::select(MEASURES.to_vec())
}

fn comparator() -> impl Strategy<Value = Comparator> {
    prop::sample::select(COMPARATORS.to_vec())
}

/// Any decimal, ordinary ones most often, extremes sometimes.
fn any_dec() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        8 => (-1_000_000i64..1_000_000, 0u32..5).prop_map(|(m, s)| Decimal::new(m, s)),
        1 => any::<i64>().prop_map(Decimal::from),
        1 => prop::sample::select(vec![
            Decimal::MAX,
            Decimal::MIN,
            Decimal::ZERO,
            Decimal::new(1, 28),
            Decimal::new(-1, 28),
            Decimal::ONE_HUNDRED,
            Decimal::from(-100),
        ]),
    ]
}

fn any_year() -> impl Strategy<Value = i32> {
    prop_oneof![9 => 2015i32..2035, 1 => any::<i32>()]
}

fn any_period() -> impl Strategy<Value = Period> {
    (any_year(), 0u8..17).prop_map(|(y, k)| match k {
        0 => Period::year(y),
        1..=4 => Period::quarter(y, k).unwrap(),
        _ => Period::month(y, k - 4).unwrap(),
    })
}

fn any_target() -> impl Strategy<Value = TargetSpec> {
    (
        measure(),
        comparator(),
        any_dec(),
        proptest::option::of(any_dec()),
        any_year(),
        any::<bool>(),
    )
        .prop_map(|(m, c, v, vmax, year, binding)| {
            let mut t = TargetSpec::new(m, c, v, year);
            t.value_max = vmax;
            t.binding = binding;
            t
        })
}

fn any_tolerances() -> impl Strategy<Value = Tolerances> {
    prop_oneof![
        3 => Just(Tolerances::default()),
        1 => (0u32..300, 0u32..300, 0u32..50).prop_map(|(a, o, t)| Tolerances {
            ahead_ratio: Decimal::new(a.into(), 2),
            on_track_ratio: Decimal::new(o.into(), 2),
            approx_tolerance: Decimal::new(t.into(), 2),
        }),
    ]
}

fn finite_or_none(x: Option<f64>) -> bool {
    x.is_none_or(f64::is_finite)
}

fn check_invariants(t: &TargetSpec, a: &Assessment, eval: i32) -> Result<(), TestCaseError> {
    prop_assert!(finite_or_none(a.ratio), "ratio {:?}", a.ratio);
    prop_assert!(finite_or_none(a.progress), "progress {:?}", a.progress);
    prop_assert!(finite_or_none(a.elapsed_share), "s {:?}", a.elapsed_share);
    if let Some(p) = a.projection {
        prop_assert!(p.value.is_finite() && p.low.is_finite() && p.high.is_finite(), "{p:?}");
        prop_assert!(p.low <= p.value + 1e-9 * p.value.abs().max(1.0), "{p:?}");
        prop_assert!(p.value <= p.high + 1e-9 * p.value.abs().max(1.0), "{p:?}");
    }
    let final_eval = eval >= t.year;
    match a.status {
        Status::Completed | Status::NotCompleted => prop_assert!(final_eval),
        Status::Achieved | Status::Ahead | Status::OnTrack | Status::Lagging => {
            prop_assert!(!final_eval)
        }
        Status::NoData | Status::NotAssessable => {
            prop_assert!(a.ratio.is_none() && a.projection.is_none() && !a.warning)
        }
    }
    let unlikely = a.projection.is_some_and(|p| p.likelihood == Likelihood::Unlikely);
    let expected_warning = (t.binding && matches!(a.status, Status::Lagging | Status::NotCompleted)) || unlikely;
    prop_assert_eq!(a.warning, expected_warning);
    if a.regressing {
        prop_assert!(matches!(a.status, Status::Lagging | Status::NotCompleted));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// No panic on any finite input; every number given back is finite.
    #[test]
    fn never_panics_and_numbers_are_finite(
        t in any_target(),
        base in proptest::option::of((any_dec(), any_year())),
        obs in prop::collection::vec((any_period(), any_dec()), 0..12),
        eval in any_year(),
        tol in any_tolerances(),
    ) {
        let b = base.map(|(v, y)| Baseline::new(v, y));
        let o: Vec<Observation> = obs.into_iter().map(|(p, v)| Observation::new(p, v)).collect();
        let a = assess(&t, b.as_ref(), &o, eval, &tol);
        check_invariants(&t, &a, eval)?;
        // Serialises to JSON (ratios are finite).
        prop_assert!(serde_json::to_string(&a).is_ok());
    }

    /// Moving the latest value toward the target never worsens the status
    /// (Lagging < OnTrack < Ahead < Achieved; NotCompleted < Completed).
    #[test]
    fn moving_toward_the_target_never_worsens(
        m in measure(),
        c in comparator(),
        v in -300i64..300,
        width in 0i64..50,
        x0 in 1i64..300,
        path in prop::collection::vec(-400i64..400, 1..6),
        span in 2i32..8,
        final_eval in any::<bool>(),
        lambda in 0u32..=100,
        binding in any::<bool>(),
    ) {
        let t0 = 2020;
        let big_t = t0 + span;
        let scale = |x: i64| Decimal::new(x, 1);
        let mut target = TargetSpec::new(m, c, scale(v), big_t);
        target.value_max = Some(scale(v + width));
        target.binding = binding;
        // Observation years t0+1 …, the last one before T (or at T when final).
        let n = path.len().min(span as usize - 1).max(1);
        let mut years: Vec<i32> = (1..=n as i32).map(|k| t0 + k).collect();
        if final_eval {
            *years.last_mut().unwrap() = big_t;
        }
        let eval = *years.last().unwrap();
        let positive = matches!(m, Measure::AnnualGrowth | Measure::Reduction);
        let value = |x: i64| {
            if positive { Decimal::new(x.abs().max(1), 1) } else if m == Measure::Cumulative { scale(x.abs()) } else { scale(x) }
        };
        let mut obs: Vec<Observation> = years
            .iter()
            .zip(&path)
            .map(|(y, x)| Observation::annual(*y, value(*x)))
            .collect();
        let base = Baseline::new(scale(x0), t0);
        let tol = Tolerances::default();

        // The point to move toward, in terms of the latest observation.
        let lo = target.value;
        let hi = if c == Comparator::Range { lo + scale(width) } else { lo };
        let mid = (lo + hi) / Decimal::TWO;
        let pace = c == Comparator::AtMost && m != Measure::Level && match m {
            Measure::Cumulative | Measure::AnnualGrowth | Measure::Reduction => lo >= Decimal::ZERO,
            Measure::Level => false,
        };
        let last = obs.len() - 1;
        let latest = obs[last].value;
        let sum_before: Decimal = obs[..last].iter().map(|o| o.value).sum();
        let horizon = if final_eval { eval - t0 } else { big_t - t0 };
        let goal: Option<Decimal> = match m {
            Measure::Level => Some(mid),
            // Move the total toward the aim (or toward nothing used, for a
            // ceiling) by changing the latest flow.
            Measure::Cumulative => Some(if pace { Decimal::ZERO } else { mid } - sum_before),
            Measure::AnnualGrowth => {
                // x0·(1 + g/100)^horizon, exactly as the engine computes it.
                let g = if pace { Decimal::ZERO } else { mid };
                let factor = (Decimal::ONE + g / Decimal::ONE_HUNDRED).max(Decimal::ZERO);
                (0..horizon).try_fold(scale(x0), |acc, _| acc.checked_mul(factor))
            }
            Measure::Reduction => {
                let r = if pace { Decimal::ZERO } else { mid };
                Some(scale(x0) * (Decimal::ONE - r / Decimal::ONE_HUNDRED))
            }
        };
        let Some(goal) = goal else { return Ok(()) };
        let l = Decimal::new(lambda.into(), 2);
        let moved = latest + l * (goal - latest);

        let before = assess(&target, Some(&base), &obs, eval, &tol);
        obs[last].value = moved;
        let after = assess(&target, Some(&base), &obs, eval, &tol);
        check_invariants(&target, &before, eval)?;
        check_invariants(&target, &after, eval)?;
        if let (Some(rb), Some(ra)) = (before.status.rank(), after.status.rank()) {
            prop_assert!(
                ra >= rb,
                "{:?} {:?} {} → {}: {:?} → {:?}\nbefore {:#?}\nafter {:#?}",
                m, c, latest, moved, before.status, after.status, before, after
            );
        }
    }

    #[test]
    fn periods_round_trip(y in 1000i32..=9999, k in 0u8..17) {
        let p = match k {
            0 => Period::year(y),
            1..=4 => Period::quarter(y, k).unwrap(),
            _ => Period::month(y, k - 4).unwrap(),
        };
        prop_assert_eq!(Period::parse(&p.to_string()), Ok(p));
    }

    #[test]
    fn period_parse_never_panics(s in "\\PC{0,12}") {
        let _ = Period::parse(&s);
    }

    #[test]
    fn rollup_counts_everything(items in prop::collection::vec((0u8..5, 0usize..8), 0..50)) {
        let n = items.len();
        let r = rollup(items.into_iter().map(|(k, s)| (k, Status::ALL[s])));
        prop_assert_eq!(r.values().map(|c| c.total()).sum::<usize>(), n);
    }
}
