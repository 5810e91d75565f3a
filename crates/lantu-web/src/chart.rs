//! The indicator chart of a page: the application's chart
//! ([`lantu_app::charts`]), the same drawing and the same points as the
//! reports', inline SVG without script; or, when there is nothing to draw
//! (no baseline and no figure), a placeholder that says so.

use crate::i18n::{t, Lang};
use lantu_core::snapshot::IndicatorRow;
use rust_decimal::Decimal;

/// The chart of `row` in `year`, `approx_tolerance` the plan's band of
/// approximate targets.
pub fn svg(row: &IndicatorRow, year: i32, approx_tolerance: Decimal, lang: Lang) -> String {
    lantu_app::charts::svg(row, year, approx_tolerance, lang).unwrap_or_else(|| {
        format!(
            r##"<svg class="chart" viewBox="0 0 640 300" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg"><text x="320" y="150" text-anchor="middle" fill="#5f6670" font-size="14">{}</text></svg>"##,
            crate::format::escape(&row.name),
            t(lang, "no_data_yet")
        )
    })
}
