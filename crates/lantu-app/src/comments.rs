//! Evaluation comments (评估意见): who reads which.

use lantu_core::plan::PlanDoc;
use lantu_store::{Comment, User};
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
