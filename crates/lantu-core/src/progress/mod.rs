//! The progress engine (进度评估): pure judgement of a target against its
//! baseline and observations, by the rules a Chinese planning office uses
//! (时间过半、任务过半 — progress should keep pace with elapsed time).
//!
//! Every formula is written out, with a worked example, in
//! `docs/methodology.md`. In short:
//!
//! * elapsed share s = (t − t0) / (T − t0);
//! * a target whose latest value already meets it is achieved (提前实现);
//! * otherwise progress p = (x_t − x0) / (target − x0) (levels), Σ flows / N
//!   (cumulative), and the ratio r = p / s, or CAGR / g for annual growth,
//!   or achieved / required reduction, with required = 1 − (1 − R)^s;
//! * r ≥ 1.10 ahead, 0.90 ≤ r < 1.10 on track, r < 0.90 lagging;
//! * in or after the target year: completed / not completed;
//! * a weighted trend projects the target-year value with an interval;
//! * binding targets lagging, and targets unlikely to be met, warn (预警).
//!
//! No IO: [`assess`] takes plain values and returns an [`Assessment`].

mod cases;
mod engine;
mod model;
mod period;
mod schedule;
mod status;
mod trend;

pub use cases::{assess_all, assess_cases, assess_cases_with, parse_cases, AssessCase, AssessError, AssessResult};
pub use engine::assess;
pub(crate) use engine::{yearly, YearValue};
pub use model::{Assessment, Baseline, Likelihood, Projection, ProjectionMethod, TargetSpec, Tolerances};
pub use period::{Granularity, Observation, Period, PeriodError};
pub use schedule::schedule_at;
pub use status::{rollup, Reason, Status, StatusCounts};
