//! The indicator chart as the pages show it: the core's one series model
//! (`lantu_core::series`) drawn by the one renderer the reports use
//! (`lantu_report::chart`), so a page and a report of the same year plot
//! the same points. The web reaches the report crate only through here.

use lantu_core::messages::Lang;
use lantu_core::snapshot::IndicatorRow;
use rust_decimal::Decimal;

pub use lantu_core::series::{Current, Series};

/// The chart of `row` in `evaluation_year` as an inline `<svg>` (no script,
/// the page's fonts); `None` when there is nothing to draw: no baseline
/// and no figure. `approx_tolerance` is the plan's band of approximate
/// targets.
pub fn svg(row: &IndicatorRow, evaluation_year: i32, approx_tolerance: Decimal, lang: Lang) -> Option<String> {
    lantu_report::chart::page_svg(row, evaluation_year, approx_tolerance, lang)
}
