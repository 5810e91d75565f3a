//! The report as a format-neutral model: what every writer prints, built
//! once from the [`Snapshot`](lantu_core::snapshot::Snapshot). Numbers are
//! formatted here, so that the Word, HTML and PDF reports say exactly the
//! same thing; the Excel writer reads the typed [`Line`]s instead of the
//! formatted cells.
//!
//! `model` holds the document, `phrasing` the words and numbers of
//! sentences and cells, `sections` the building of each section.

mod model;
mod phrasing;
mod sections;

pub use model::*;
pub(crate) use phrasing::period_text;
