//! Writing the evaluation reports (年度监测报告, 中期评估报告, 总结评估报告)
//! from the one assessment ([`crate::assess`]): the command line and the
//! web's downloads both come here.

use crate::{App, AppError, Result, Visibility};
use lantu_core::snapshot::Snapshot;
use lantu_store::User;

pub use lantu_report::{Format, Lang, Rendered, ReportKind, Warning};

/// Writes report `kind` of `snapshot` in `lang` as `format`. Blocking and
/// CPU-bound (run it off the async runtime's threads).
pub fn render(snapshot: &Snapshot, kind: ReportKind, lang: Lang, format: Format) -> Result<Rendered> {
    let report = lantu_report::content::Report::build(snapshot, kind, lang);
    lantu_report::render_with(&report, format, &Default::default())
        .map_err(|e| AppError::Internal(format!("报告无法生成 / cannot write the report: {e}")))
}

impl App {
    /// Adds to `snapshot` the evaluation comments on plan `plan_id` up to
    /// its evaluation year: all of them, or those `reader` may read (with
    /// the plan's document, which says which indicators are its).
    pub async fn add_comments(
        &self,
        plan_id: i64,
        snapshot: &mut Snapshot,
        reader: Option<(&User, &lantu_core::plan::PlanDoc)>,
    ) -> Result<()> {
        crate::assess::add_comments(&self.store, plan_id, snapshot, reader).await
    }

    /// The report of plan `plan_id` in `year` as the office writes it:
    /// reviewed figures (approved or published) and every evaluation
    /// comment.
    pub async fn office_report(
        &self,
        plan_id: i64,
        year: i32,
        kind: ReportKind,
        lang: Lang,
        format: Format,
    ) -> Result<Rendered> {
        let snapshot = self
            .report_snapshot(plan_id, Some(year), Visibility::Internal, false, None)
            .await?;
        tokio::task::spawn_blocking(move || render(&snapshot, kind, lang, format))
            .await
            .map_err(|e| AppError::Internal(format!("the report writer stopped: {e}")))?
    }
}
