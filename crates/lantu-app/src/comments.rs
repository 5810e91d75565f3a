//! Evaluation comments (评估意见): who reads which.

use crate::AppError;
use lantu_core::plan::PlanDoc;
use lantu_core::policy::{Action, Policy, Scope};
use lantu_store::{Comment, NewComment, User};
use std::collections::HashSet;

/// The comments `user` may read: staff all of them; a department reporter
/// those on the plan as a whole and on indicators its department leads or
/// supports (a comment may quote another department's unreviewed figure).
pub fn readable(user: &User, doc: &PlanDoc, comments: Vec<Comment>) -> Vec<Comment> {
    if user.role.sees_all_departments() {
        return comments;
    }
    let Some(dept) = user.department.as_deref() else {
        return comments.into_iter().filter(|c| c.indicator.is_none()).collect();
    };
    let own: HashSet<&str> = doc
        .indicators
        .iter()
        .filter(|i| i.departments.iter().chain(&i.co_departments).any(|d| d == dept))
        .map(|i| i.code.as_str())
        .collect();
    comments
        .into_iter()
        .filter(|c| c.indicator.as_deref().is_none_or(|code| own.contains(code)))
        .collect()
}

impl crate::App {
    /// The comments on plan `plan_id` (on indicator `indicator` only, when
    /// given) that `user` may read.
    pub async fn comments(
        &self,
        user: &User,
        plan_id: i64,
        doc: &PlanDoc,
        indicator: Option<&str>,
    ) -> crate::Result<Vec<Comment>> {
        Ok(readable(user, doc, self.store.comments(plan_id, indicator).await?))
    }

    /// Adds `user`'s evaluation comment (评估意见) to plan `plan_id`, on
    /// indicator `indicator` (empty: the plan as a whole), about year
    /// `year` as typed (empty: no year).
    pub async fn add_comment(
        &self,
        user: &User,
        plan_id: i64,
        indicator: &str,
        year: &str,
        body: &str,
    ) -> crate::Result<Comment> {
        if !Policy::default().allows(user.role, Action::Comment, Scope::None, None) {
            return Err(AppError::Forbidden(format!(
                "{} 不能撰写评估意见 / {} ({}) may not write evaluation comments",
                user.username,
                user.username,
                user.role.as_str()
            )));
        }
        let year = match year.trim() {
            "" => None,
            y => Some(
                y.parse::<i32>()
                    .map_err(|_| AppError::Invalid(format!("年份：“{y}”不是年份 / year: `{y}` is not a year")))?,
            ),
        };
        let new = NewComment {
            indicator: Some(indicator.trim().to_string()).filter(|c| !c.is_empty()),
            year,
            body: body.to_string(),
        };
        Ok(self.store.add_comment(plan_id, &new, user).await?)
    }
}
