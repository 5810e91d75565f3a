//! Evaluation comments (评估意见): what a third-party evaluator — or the
//! office answering it — says about the plan or one indicator, for the
//! mid-term and final evaluations. Append-only: a comment is never edited
//! or deleted, and each is also an entry of the audit log.

use crate::audit::Audit;
use crate::db::col;
use crate::error::{Ctx, Result, StoreError};
use crate::users::User;
use crate::Store;
use lantu_core::account::Role;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;

/// Longest comment, in characters.
pub const MAX_COMMENT: usize = 5000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    pub id: i64,
    pub plan_id: i64,
    /// The indicator (code) it is about; `None`: the plan as a whole.
    pub indicator: Option<String>,
    /// The evaluation year it is about.
    pub year: Option<i32>,
    pub body: String,
    pub author: String,
    pub author_name: String,
    pub author_role: Role,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewComment {
    pub indicator: Option<String>,
    pub year: Option<i32>,
    pub body: String,
}

const SELECT: &str = "SELECT c.id, c.plan_id, i.code AS indicator, c.year, c.body, c.author, c.author_name, \
                      c.author_role, c.created_at FROM comments c LEFT JOIN indicators i ON i.id = c.indicator_id";

fn comment_of(r: &AnyRow) -> Result<Comment> {
    let id: i64 = col(r, "id")?;
    let role: String = col(r, "author_role")?;
    Ok(Comment {
        id,
        plan_id: col(r, "plan_id")?,
        indicator: col(r, "indicator")?,
        year: col(r, "year")?,
        body: col(r, "body")?,
        author: col(r, "author")?,
        author_name: col(r, "author_name")?,
        author_role: Role::parse(&role).ok_or_else(|| StoreError::Corrupt {
            table: "comments",
            id,
            column: "author_role",
            value: role.clone(),
            what: "not a role".into(),
        })?,
        created_at: col(r, "created_at")?,
    })
}

impl Store {
    /// Adds a comment by `author` on plan `plan_id`.
    pub async fn add_comment(&self, plan_id: i64, new: &NewComment, author: &User) -> Result<Comment> {
        let body = new.body.trim();
        if body.is_empty() || body.chars().count() > MAX_COMMENT {
            return Err(StoreError::InvalidInput {
                field: "body",
                value: body.chars().take(40).collect(),
                what: "must be 1–5000 characters / 意见须为 1–5000 字",
            });
        }
        let id = self
            .write(async |w| {
                let meta = sqlx::query("SELECT start_year, end_year FROM plans WHERE id = $1")
                    .bind(plan_id)
                    .fetch_optional(&mut *w.tx)
                    .await
                    .ctx(|| format!("reading plan {plan_id}"))?
                    .ok_or(StoreError::PlanNotFound(plan_id))?;
                if let Some(y) = new.year {
                    let (start, end): (i32, i32) = (col(&meta, "start_year")?, col(&meta, "end_year")?);
                    if y < start - 1 || y > end {
                        return Err(StoreError::InvalidInput {
                            field: "year",
                            value: y.to_string(),
                            what: "is outside the plan period",
                        });
                    }
                }
                let indicator_id: Option<i64> = match &new.indicator {
                    None => None,
                    Some(code) => {
                        let r = sqlx::query(
                            "SELECT id FROM indicators WHERE plan_id = $1 AND code = $2 AND retired_at IS NULL",
                        )
                        .bind(plan_id)
                        .bind(code.clone())
                        .fetch_optional(&mut *w.tx)
                        .await
                        .ctx(|| format!("reading indicator `{code}`"))?
                        .ok_or_else(|| StoreError::IndicatorNotFound {
                            plan_id,
                            code: code.clone(),
                        })?;
                        Some(col(&r, "id")?)
                    }
                };
                let mut audit = Audit::start(&mut w.tx).await?;
                let r = sqlx::query(
                    "INSERT INTO comments (plan_id, indicator_id, year, body, author, author_name, author_role, \
                     created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                )
                .bind(plan_id)
                .bind(indicator_id)
                .bind(new.year)
                .bind(body.to_string())
                .bind(author.username.clone())
                .bind(author.display_name.clone())
                .bind(author.role.as_str())
                .bind(audit.at().to_string())
                .fetch_one(&mut *w.tx)
                .await
                .ctx(|| format!("adding a comment to plan {plan_id}"))?;
                let id: i64 = col(&r, "id")?;
                audit.track_new("comments", "id = $1", &[id]);
                let after = NewComment {
                    indicator: new.indicator.clone(),
                    year: new.year,
                    body: body.to_string(),
                };
                audit.push(
                    &author.username,
                    "add_comment",
                    "comment",
                    Some(id),
                    None::<&()>,
                    Some(&after),
                );
                audit.write(w).await?;
                Ok(id)
            })
            .await?;
        let r = sqlx::query(&format!("{SELECT} WHERE c.id = $1"))
            .bind(id)
            .fetch_one(&self.pool)
            .await
            .ctx(|| format!("reading comment {id}"))?;
        comment_of(&r)
    }

    /// The plan's comments (on one indicator, or all), newest first.
    pub async fn comments(&self, plan_id: i64, indicator: Option<&str>) -> Result<Vec<Comment>> {
        let rows = sqlx::query(&format!(
            "{SELECT} WHERE c.plan_id = $1 AND ($2 IS NULL OR i.code = $2) ORDER BY c.id DESC"
        ))
        .bind(plan_id)
        .bind(indicator.map(str::to_string))
        .fetch_all(&self.pool)
        .await
        .ctx(|| format!("listing the comments of plan {plan_id}"))?;
        rows.iter().map(comment_of).collect()
    }
}
