//! Lantu's domain core: the words a planning office uses for a plan's
//! commitments (comparator, measure, attribute, kind) and, around them, the
//! pure progress engine. Nothing here does IO: no SQL, no HTTP, no files.
//! Everything can be tested with plain values.

pub mod account;
pub mod due;
pub mod evidence;
pub mod messages;
pub mod observation;
pub mod plan;
pub mod policy;
pub mod progress;
pub mod review;
pub mod rules;
pub mod series;
pub mod snapshot;
pub mod target;

pub use progress::{assess, Assessment, Period, Status, Tolerances};
pub use target::{Attribute, Comparator, Direction, Measure, TargetKind};
