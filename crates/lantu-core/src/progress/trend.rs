//! The trend fit behind a projection: weighted least squares with weights
//! growing toward recent years, and a prediction interval. Floats only here.

use super::model::ProjectionMethod;

/// A value carried to a future time, with an interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Fit {
    pub value: f64,
    pub low: f64,
    pub high: f64,
    pub method: ProjectionMethod,
    pub points: usize,
}

/// Weight of a point at time `tau` for a series that starts at `t0`:
/// 1 for the baseline, 2 one year later, and so on (w = 1 + τ − t0).
pub(crate) fn weight(tau: f64, t0: f64) -> f64 {
    1.0 + (tau - t0)
}

/// Two-sided 90 % quantile of Student's t (the 0.95 one-sided quantile) for
/// `dof` degrees of freedom; 1.645 (normal) beyond 30.
pub(crate) fn t90(dof: usize) -> f64 {
    const T: [f64; 30] = [
        6.314, 2.920, 2.353, 2.132, 2.015, 1.943, 1.895, 1.860, 1.833, 1.812, 1.796, 1.782, 1.771, 1.761, 1.753, 1.746,
        1.740, 1.734, 1.729, 1.725, 1.721, 1.717, 1.714, 1.711, 1.708, 1.706, 1.703, 1.701, 1.699, 1.697,
    ];
    match dof {
        0 => f64::INFINITY,
        d if d <= 30 => T[d - 1],
        _ => 1.645,
    }
}

/// Share of the pace so far by which the two-point fallback widens its
/// interval: the future pace is taken to lie between (1 − this) and
/// (1 + this) times the pace so far.
pub(crate) const TWO_POINT_SPREAD: f64 = 0.5;

/// Projects `points` (time, value; sorted by time, the first one the
/// baseline at `t0`) to time `at`. `None` with fewer than two points or when
/// the arithmetic leaves the finite numbers.
pub(crate) fn project(points: &[(f64, f64)], t0: f64, at: f64) -> Option<Fit> {
    // Time is counted from t0, which keeps the sums small and exact.
    let shifted: Vec<(f64, f64)> = points.iter().map(|(t, y)| (t - t0, *y)).collect();
    let fit = match shifted.len() {
        0 | 1 => return None,
        2 => two_point(&shifted, at - t0),
        _ => weighted(&shifted, 0.0, at - t0),
    }?;
    [fit.value, fit.low, fit.high]
        .iter()
        .all(|v| v.is_finite())
        .then_some(fit)
}

fn two_point(points: &[(f64, f64)], at: f64) -> Option<Fit> {
    let (ta, ya) = points[0];
    let (tb, yb) = points[1];
    if tb <= ta {
        return None;
    }
    let change = (yb - ya) / (tb - ta) * (at - tb);
    let a = yb + change * (1.0 - TWO_POINT_SPREAD);
    let b = yb + change * (1.0 + TWO_POINT_SPREAD);
    Some(Fit {
        value: yb + change,
        low: a.min(b),
        high: a.max(b),
        method: ProjectionMethod::TwoPoint,
        points: 2,
    })
}

fn weighted(points: &[(f64, f64)], t0: f64, at: f64) -> Option<Fit> {
    let n = points.len();
    let w: Vec<f64> = points.iter().map(|(t, _)| weight(*t, t0)).collect();
    let sw: f64 = w.iter().sum();
    if w.iter().any(|w| w.is_nan() || *w <= 0.0) {
        return None;
    }
    let tm = points.iter().zip(&w).map(|((t, _), w)| w * t).sum::<f64>() / sw;
    let ym = points.iter().zip(&w).map(|((_, y), w)| w * y).sum::<f64>() / sw;
    let sxx: f64 = points.iter().zip(&w).map(|((t, _), w)| w * (t - tm).powi(2)).sum();
    let sxy: f64 = points.iter().zip(&w).map(|((t, y), w)| w * (t - tm) * (y - ym)).sum();
    if sxx.is_nan() || sxx <= 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    let intercept = ym - slope * tm;
    let sse: f64 = points
        .iter()
        .zip(&w)
        .map(|((t, y), w)| w * (y - intercept - slope * t).powi(2))
        .sum();
    let sigma2 = sse / (n - 2) as f64;
    let w_new = weight(at, t0);
    let var = sigma2 * (1.0 / w_new + 1.0 / sw + (at - tm).powi(2) / sxx);
    let half = t90(n - 2) * var.max(0.0).sqrt();
    let value = intercept + slope * at;
    Some(Fit {
        value,
        low: value - half,
        high: value + half,
        method: ProjectionMethod::WeightedTrend,
        points: n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn weighted_fit_by_hand() {
        // (0,0) w1, (1,1) w2, (2,1) w3: slope 0.4, intercept 0.3,
        // σ² = 0.30 / 1, var at 4 (w 5) = 0.3 · (1/5 + 1/6 + (8/3)² / (10/3)) = 0.75.
        let f = project(&[(0.0, 0.0), (1.0, 1.0), (2.0, 1.0)], 0.0, 4.0).unwrap();
        assert!(close(f.value, 1.9), "{f:?}");
        let half = 6.314 * 0.75f64.sqrt();
        assert!(close(f.high - f.value, half) && close(f.value - f.low, half), "{f:?}");
        assert_eq!(f.method, ProjectionMethod::WeightedTrend);
        assert_eq!(f.points, 3);
    }

    #[test]
    fn exact_line_has_no_spread() {
        let f = project(
            &[(2020.0, 60.0), (2021.0, 61.0), (2022.0, 62.0), (2023.0, 63.0)],
            2020.0,
            2025.0,
        )
        .unwrap();
        assert!(
            close(f.value, 65.0) && close(f.low, 65.0) && close(f.high, 65.0),
            "{f:?}"
        );
    }

    #[test]
    fn two_points_spread_the_pace() {
        let f = project(&[(2020.0, 52.0), (2021.0, 50.0)], 2020.0, 2025.0).unwrap();
        assert!(
            close(f.value, 42.0) && close(f.low, 38.0) && close(f.high, 46.0),
            "{f:?}"
        );
        assert_eq!(f.method, ProjectionMethod::TwoPoint);
        assert!(project(&[(2020.0, 1.0)], 2020.0, 2025.0).is_none());
    }
}
