//! What the review workbench keeps beside a draft's indicator system: the
//! plan's text (written once, with the import) and the planner's review
//! of each indicator. A workbench change writes the indicator system
//! ([`crate::plans::apply_in`]) and the reviews in one transaction, both
//! audited.

use crate::audit::Audit;
use crate::db::col;
use crate::error::{Ctx, Result, StoreError};
use crate::plans::{apply_in, check_project_departments, import_in, ApplyOptions, ApplyReport};
use crate::Store;
use lantu_core::plan::PlanDoc;
use lantu_core::review::{RecordReview, ReviewState};

/// The text a plan was imported from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanText {
    pub file_name: String,
    pub body: String,
}

async fn write_reviews(
    w: &mut crate::WriteTx,
    plan_id: i64,
    reviews: &[RecordReview],
    actor: &str,
    action: &str,
) -> Result<()> {
    if reviews.is_empty() {
        return Ok(());
    }
    let mut audit = Audit::start(&mut w.tx).await?;
    audit
        .track(&mut w.tx, "record_reviews", "plan_id = $1", &[plan_id])
        .await?;
    for r in reviews {
        let span = r.span.map(|[a, b]| (a as i64, b as i64));
        sqlx::query("DELETE FROM record_reviews WHERE plan_id = $1 AND code = $2")
            .bind(plan_id)
            .bind(r.code.clone())
            .execute(&mut *w.tx)
            .await
            .ctx(|| format!("replacing the review of `{}` in plan {plan_id}", r.code))?;
        sqlx::query(
            "INSERT INTO record_reviews (plan_id, code, state, attribute_set, label, span_start, span_end, \
             updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(plan_id)
        .bind(r.code.clone())
        .bind(r.state.as_str())
        .bind(i32::from(r.attribute_set))
        .bind(r.label.clone())
        .bind(span.map(|s| s.0))
        .bind(span.map(|s| s.1))
        .bind(audit.at().to_string())
        .bind(actor.to_string())
        .execute(&mut *w.tx)
        .await
        .ctx(|| format!("storing the review of `{}` in plan {plan_id}", r.code))?;
    }
    let after: Vec<(&str, &str)> = reviews.iter().map(|r| (r.code.as_str(), r.state.as_str())).collect();
    audit.push(actor, action, "plan", Some(plan_id), None::<&()>, Some(&after));
    audit.write(w).await
}

impl Store {
    /// Stores `doc` as a new plan with the text it was read from and the
    /// first review of each indicator, in one transaction. Returns the new
    /// plan's id.
    pub async fn import_draft(
        &self,
        doc: &PlanDoc,
        text: &PlanText,
        reviews: &[RecordReview],
        actor: &str,
    ) -> Result<i64> {
        doc.validate().map_err(StoreError::InvalidPlan)?;
        check_project_departments(doc)?;
        self.write(async |w| {
            let plan_id = import_in(w, doc, actor).await?;
            let mut audit = Audit::start(&mut w.tx).await?;
            audit.track_new("plan_texts", "plan_id = $1", &[plan_id]);
            sqlx::query(
                "INSERT INTO plan_texts (plan_id, file_name, body, created_at, created_by) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(plan_id)
            .bind(text.file_name.clone())
            .bind(text.body.clone())
            .bind(audit.at().to_string())
            .bind(actor.to_string())
            .execute(&mut *w.tx)
            .await
            .ctx(|| format!("storing the text of plan {plan_id}"))?;
            let after = serde_json::json!({ "file_name": text.file_name, "chars": text.body.chars().count() });
            audit.push(
                actor,
                "store_plan_text",
                "plan",
                Some(plan_id),
                None::<&()>,
                Some(&after),
            );
            audit.write(w).await?;
            write_reviews(w, plan_id, reviews, actor, "review_records").await?;
            Ok(plan_id)
        })
        .await
    }

    /// The text plan `plan_id` was imported from, if it was kept.
    pub async fn plan_text(&self, plan_id: i64) -> Result<Option<PlanText>> {
        let row = sqlx::query("SELECT file_name, body FROM plan_texts WHERE plan_id = $1")
            .bind(plan_id)
            .fetch_optional(&self.pool)
            .await
            .ctx(|| format!("reading the text of plan {plan_id}"))?;
        row.map(|r| {
            Ok(PlanText {
                file_name: col(&r, "file_name")?,
                body: col(&r, "body")?,
            })
        })
        .transpose()
    }

    /// The review of every indicator of plan `plan_id` that has one, by code.
    pub async fn record_reviews(&self, plan_id: i64) -> Result<Vec<RecordReview>> {
        let rows = sqlx::query(
            "SELECT code, state, attribute_set, label, span_start, span_end FROM record_reviews \
             WHERE plan_id = $1 ORDER BY code",
        )
        .bind(plan_id)
        .fetch_all(&self.pool)
        .await
        .ctx(|| format!("reading the reviews of plan {plan_id}"))?;
        rows.iter()
            .map(|r| {
                let state: String = col(r, "state")?;
                let start: Option<i64> = col(r, "span_start")?;
                let end: Option<i64> = col(r, "span_end")?;
                Ok(RecordReview {
                    code: col(r, "code")?,
                    state: ReviewState::parse(&state).ok_or_else(|| StoreError::Corrupt {
                        table: "record_reviews",
                        id: plan_id,
                        column: "state",
                        value: state.clone(),
                        what: "not a review state".into(),
                    })?,
                    attribute_set: col::<i32>(r, "attribute_set")? != 0,
                    label: col(r, "label")?,
                    span: match (start, end) {
                        (Some(a), Some(b)) if a >= 0 && b >= a => Some([a as usize, b as usize]),
                        _ => None,
                    },
                })
            })
            .collect()
    }

    /// Brings the draft in line with `doc` ([`Store::apply_plan`]) and
    /// stores `reviews` (replacing those of the same codes), in one
    /// transaction.
    pub async fn apply_reviewed(
        &self,
        plan_id: i64,
        doc: &PlanDoc,
        reviews: &[RecordReview],
        actor: &str,
    ) -> Result<ApplyReport> {
        doc.validate().map_err(StoreError::InvalidPlan)?;
        check_project_departments(doc)?;
        if let Some(doc_id) = doc.plan.id {
            if doc_id != plan_id {
                return Err(StoreError::PlanIdMismatch { plan_id, doc_id });
            }
        }
        self.write(async |w| {
            let report = apply_in(w, plan_id, doc, actor, ApplyOptions::default()).await?;
            write_reviews(w, plan_id, reviews, actor, "review_records").await?;
            Ok(report)
        })
        .await
    }
}
