//! What is due and the reminders about it (催报): each plan's reporting
//! deadlines, users' e-mail addresses and the in-app notices sent to them.
//! Every write is audited.

use crate::audit::Audit;
use crate::db::col;
use crate::error::{Ctx, Result, StoreError};
use crate::Store;
use lantu_core::due::Deadline;
use lantu_core::plan::Frequency;
use lantu_core::Period;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// An in-app notice (a reminder) to one user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub id: i64,
    pub user_id: i64,
    pub plan_id: Option<i64>,
    pub subject: String,
    pub body: String,
    pub sent_at: String,
    pub sent_by: String,
    pub emailed: bool,
    pub read_at: Option<String>,
}

/// A figure, by indicator code, period and geography (`""`: the plan's
/// own area).
pub type DueFigure = (String, Period, String);

fn freq_str(f: Frequency) -> &'static str {
    match f {
        Frequency::Annual => "annual",
        Frequency::Quarterly => "quarterly",
        Frequency::Monthly => "monthly",
    }
}

fn notice_of(r: &sqlx::any::AnyRow) -> Result<Notice> {
    Ok(Notice {
        id: col(r, "id")?,
        user_id: col(r, "user_id")?,
        plan_id: col(r, "plan_id")?,
        subject: col(r, "subject")?,
        body: col(r, "body")?,
        sent_at: col(r, "sent_at")?,
        sent_by: col(r, "sent_by")?,
        emailed: col::<i32>(r, "emailed")? != 0,
        read_at: col(r, "read_at")?,
    })
}

const NOTICE: &str = "SELECT id, user_id, plan_id, subject, body, sent_at, sent_by, emailed, read_at FROM notices";

impl Store {
    /// The deadline rules set for plan `plan_id` (frequencies without one
    /// use [`Deadline::default_for`]).
    pub async fn deadlines(&self, plan_id: i64) -> Result<HashMap<Frequency, Deadline>> {
        let rows = sqlx::query("SELECT frequency, rule FROM reporting_deadlines WHERE plan_id = $1")
            .bind(plan_id)
            .fetch_all(&self.pool)
            .await
            .ctx(|| format!("reading the deadlines of plan {plan_id}"))?;
        let mut out = HashMap::new();
        for r in &rows {
            let f: String = col(r, "frequency")?;
            let rule: String = col(r, "rule")?;
            let freq = [Frequency::Annual, Frequency::Quarterly, Frequency::Monthly]
                .into_iter()
                .find(|x| freq_str(*x) == f);
            let bad = |what: String| StoreError::Corrupt {
                table: "reporting_deadlines",
                id: plan_id,
                column: "rule",
                value: rule.clone(),
                what,
            };
            let freq = freq.ok_or_else(|| bad(format!("unknown frequency `{f}`")))?;
            let d = Deadline::parse(freq, &rule).map_err(|e| bad(e.to_string()))?;
            out.insert(freq, d);
        }
        Ok(out)
    }

    /// Sets the deadline of plan `plan_id`'s figures of `freq` (audited).
    pub async fn set_deadline(&self, plan_id: i64, freq: Frequency, rule: Deadline, actor: &str) -> Result<()> {
        self.write(async |w| {
            sqlx::query("SELECT id FROM plans WHERE id = $1")
                .bind(plan_id)
                .fetch_optional(&mut *w.tx)
                .await
                .ctx(|| format!("reading plan {plan_id}"))?
                .ok_or(StoreError::PlanNotFound(plan_id))?;
            let f = freq_str(freq);
            let mut audit = Audit::start(&mut w.tx).await?;
            // `f` is one of three fixed words, never user text.
            let cond = format!("plan_id = $1 AND frequency = '{f}'");
            audit.track(&mut w.tx, "reporting_deadlines", &cond, &[plan_id]).await?;
            sqlx::query(&format!("DELETE FROM reporting_deadlines WHERE {cond}"))
                .bind(plan_id)
                .execute(&mut *w.tx)
                .await
                .ctx(|| format!("setting the deadline of plan {plan_id}"))?;
            sqlx::query(
                "INSERT INTO reporting_deadlines (plan_id, frequency, rule, updated_at, updated_by) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(plan_id)
            .bind(f)
            .bind(rule.to_string())
            .bind(audit.at().to_string())
            .bind(actor.to_string())
            .execute(&mut *w.tx)
            .await
            .ctx(|| format!("setting the deadline of plan {plan_id}"))?;
            audit.push(
                actor,
                "set_deadline",
                "plan",
                Some(plan_id),
                None::<&()>,
                Some(&serde_json::json!({ "frequency": f, "rule": rule.to_string() })),
            );
            audit.write(w).await
        })
        .await
    }

    /// Figures of plan `plan_id` whose latest vintage is a draft that
    /// review returned (退回).
    pub async fn returned_figures(&self, plan_id: i64) -> Result<HashSet<DueFigure>> {
        let rows = sqlx::query(
            "SELECT i.code, o.period, o.geography FROM observations o JOIN indicators i ON i.id = o.indicator_id \
             WHERE i.plan_id = $1 AND o.state = 'draft' \
             AND o.vintage = (SELECT MAX(o2.vintage) FROM observations o2 WHERE o2.indicator_id = o.indicator_id \
                              AND o2.period = o.period AND o2.geography = o.geography) \
             AND EXISTS (SELECT 1 FROM observation_transitions t WHERE t.observation_id = o.id AND t.to_state = 'draft')",
        )
        .bind(plan_id)
        .fetch_all(&self.pool)
        .await
        .ctx(|| format!("reading the returned figures of plan {plan_id}"))?;
        let mut out = HashSet::new();
        for r in &rows {
            let p: String = col(r, "period")?;
            let Ok(period) = Period::parse(&p) else { continue };
            out.insert((col(r, "code")?, period, col(r, "geography")?));
        }
        Ok(out)
    }

    /// Every user's e-mail address, by user id.
    pub async fn user_emails(&self) -> Result<HashMap<i64, String>> {
        let rows = sqlx::query("SELECT user_id, email FROM user_emails")
            .fetch_all(&self.pool)
            .await
            .ctx(|| "reading e-mail addresses".to_string())?;
        rows.iter()
            .map(|r| Ok((col(r, "user_id")?, col(r, "email")?)))
            .collect()
    }

    /// Sets (`Some`) or removes a user's e-mail address (audited); the
    /// address is checked by the application layer.
    pub async fn set_user_email(&self, user_id: i64, email: Option<&str>, actor: &str) -> Result<()> {
        self.write(async |w| {
            sqlx::query("SELECT id FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_optional(&mut *w.tx)
                .await
                .ctx(|| format!("reading user {user_id}"))?
                .ok_or(StoreError::NotFound {
                    entity: "user",
                    id: user_id,
                })?;
            let mut audit = Audit::start(&mut w.tx).await?;
            audit
                .track(&mut w.tx, "user_emails", "user_id = $1", &[user_id])
                .await?;
            sqlx::query("DELETE FROM user_emails WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *w.tx)
                .await
                .ctx(|| format!("changing the e-mail of user {user_id}"))?;
            if let Some(e) = email {
                sqlx::query("INSERT INTO user_emails (user_id, email, updated_at, updated_by) VALUES ($1, $2, $3, $4)")
                    .bind(user_id)
                    .bind(e.to_string())
                    .bind(audit.at().to_string())
                    .bind(actor.to_string())
                    .execute(&mut *w.tx)
                    .await
                    .ctx(|| format!("changing the e-mail of user {user_id}"))?;
            }
            audit.push(
                actor,
                "set_email",
                "user",
                Some(user_id),
                None::<&()>,
                Some(&serde_json::json!({ "email": email })),
            );
            audit.write(w).await
        })
        .await
    }

    /// Stores one notice per user in `users` (audited, one transaction);
    /// returns their ids in the same order.
    pub async fn add_notices(
        &self,
        plan_id: Option<i64>,
        users: &[i64],
        subject: &str,
        body: &str,
        actor: &str,
    ) -> Result<Vec<i64>> {
        self.write(async |w| {
            let mut audit = Audit::start(&mut w.tx).await?;
            let mut ids = Vec::new();
            for u in users {
                let r = sqlx::query(
                    "INSERT INTO notices (user_id, plan_id, subject, body, sent_at, sent_by, emailed) \
                     VALUES ($1, $2, $3, $4, $5, $6, 0) RETURNING id",
                )
                .bind(*u)
                .bind(plan_id)
                .bind(subject.to_string())
                .bind(body.to_string())
                .bind(audit.at().to_string())
                .bind(actor.to_string())
                .fetch_one(&mut *w.tx)
                .await
                .ctx(|| format!("adding a notice for user {u}"))?;
                let id: i64 = col(&r, "id")?;
                audit.track_new("notices", "id = $1", &[id]);
                ids.push(id);
            }
            audit.push(
                actor,
                "send_reminder",
                "plan",
                plan_id,
                None::<&()>,
                Some(&serde_json::json!({ "users": users, "subject": subject })),
            );
            audit.write(w).await?;
            Ok(ids)
        })
        .await
    }

    /// Records that notice `id` was also sent by e-mail (audited).
    pub async fn mark_notice_emailed(&self, id: i64, actor: &str) -> Result<()> {
        self.write(async |w| {
            let mut audit = Audit::start(&mut w.tx).await?;
            audit.track(&mut w.tx, "notices", "id = $1", &[id]).await?;
            sqlx::query("UPDATE notices SET emailed = 1 WHERE id = $1")
                .bind(id)
                .execute(&mut *w.tx)
                .await
                .ctx(|| format!("marking notice {id} e-mailed"))?;
            audit.push(actor, "email_notice", "notice", Some(id), None::<&()>, None::<&()>);
            audit.write(w).await
        })
        .await
    }

    /// The unread notices of user `user_id`, oldest first.
    pub async fn unread_notices(&self, user_id: i64) -> Result<Vec<Notice>> {
        let rows = sqlx::query(&format!("{NOTICE} WHERE user_id = $1 AND read_at IS NULL ORDER BY id"))
            .bind(user_id)
            .fetch_all(&self.pool)
            .await
            .ctx(|| format!("reading the notices of user {user_id}"))?;
        rows.iter().map(notice_of).collect()
    }

    /// Marks user `user_id`'s unread notices up to `up_to` read (audited).
    pub async fn mark_notices_read(&self, user_id: i64, up_to: i64, actor: &str) -> Result<()> {
        self.write(async |w| {
            let mut audit = Audit::start(&mut w.tx).await?;
            // Tracked by a condition the update leaves true.
            let cond = "user_id = $1 AND id <= $2";
            audit.track(&mut w.tx, "notices", cond, &[user_id, up_to]).await?;
            sqlx::query(&format!(
                "UPDATE notices SET read_at = $3 WHERE {cond} AND read_at IS NULL"
            ))
            .bind(user_id)
            .bind(up_to)
            .bind(audit.at().to_string())
            .execute(&mut *w.tx)
            .await
            .ctx(|| format!("marking the notices of user {user_id} read"))?;
            audit.push(
                actor,
                "read_notices",
                "user",
                Some(user_id),
                None::<&()>,
                Some(&serde_json::json!({ "up_to": up_to })),
            );
            audit.write(w).await
        })
        .await
    }
}
