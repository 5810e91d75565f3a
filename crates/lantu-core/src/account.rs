//! The roles of the people who work with a plan (角色) and the rules for
//! their account names. What each role may do is [`crate::policy`]'s; the
//! store keeps the accounts.

use crate::policy::{Action, Policy};
use serde::{Deserialize, Serialize};

/// What a user may do (角色).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 系统管理员: users, departments, plan settings; everything.
    Administrator,
    /// 规划部门: reads everything, publishes, edits plan settings.
    Planner,
    /// 部门填报员: enters and submits its own department's figures only.
    Reporter,
    /// 统计审核: approves or returns submitted figures, publishes.
    Reviewer,
    /// 部门审核: approves or returns its own department's figures at a
    /// review level the plan gives this role (部门初审); enters nothing.
    DepartmentApprover,
    /// 第三方评估: reads everything, writes nothing but comments.
    Evaluator,
    /// 公众: what the public portal shows.
    Public,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Administrator,
        Role::Planner,
        Role::Reporter,
        Role::Reviewer,
        Role::DepartmentApprover,
        Role::Evaluator,
        Role::Public,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::Planner => "planner",
            Role::Reporter => "reporter",
            Role::Reviewer => "reviewer",
            Role::DepartmentApprover => "department_approver",
            Role::Evaluator => "evaluator",
            Role::Public => "public",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    // What each role may do is [`Policy`]'s; these ask it, for menus and
    // page guards (each figure is checked with `Policy::allows`).

    /// Sees the internal site (dashboard with reviewed figures, tasks,
    /// projects).
    pub fn internal(self) -> bool {
        Policy::default().allows_any(self, Action::ReadPlan)
    }

    pub fn can_enter_data(self) -> bool {
        Policy::default().allows_any(self, Action::Enter)
    }

    pub fn can_review(self) -> bool {
        Policy::default().allows_any(self, Action::Approve)
    }

    pub fn can_publish(self) -> bool {
        Policy::default().allows_any(self, Action::Publish)
    }

    pub fn can_admin(self) -> bool {
        Policy::default().allows_any(self, Action::ManageAccounts)
    }

    pub fn can_edit_settings(self) -> bool {
        Policy::default().allows_any(self, Action::EditPlan)
    }

    /// Writes evaluation comments (评估意见): the third-party evaluator,
    /// and the office and the statistics bureau answering it.
    pub fn can_comment(self) -> bool {
        Policy::default().allows_any(self, Action::Comment)
    }

    /// Sees every department's figures, drafts included.
    pub fn sees_all_departments(self) -> bool {
        Policy::default().every_department(self)
    }

    /// Whether the role acts for one department, which must be named.
    pub fn needs_department(self) -> bool {
        matches!(self, Role::Reporter | Role::DepartmentApprover)
    }
}

/// What is wrong with an account as entered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    #[error("用户名须为 1–64 个字符且不含空格 / the user name must be 1–64 characters without spaces: `{0}`")]
    Username(String),
    #[error("部门填报员和部门审核员必须指定部门 / a department reporter or approver needs a department")]
    NoDepartment,
    #[error("显示名称最长 100 个字符 / the display name is at most 100 characters")]
    DisplayName,
}

/// A user name as it is stored: trimmed, 1–64 characters, no spaces or
/// control characters. Names compare without case (`Admin` is `admin`).
pub fn parse_username(s: &str) -> Result<String, AccountError> {
    let t = s.trim();
    if t.is_empty() || t.chars().count() > 64 || t.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(AccountError::Username(s.to_string()));
    }
    Ok(t.to_string())
}

/// The key under which a user name is unique.
pub fn username_key(s: &str) -> String {
    s.trim().to_lowercase()
}

/// The department a role acts for: required for a reporter, dropped for
/// every other role (they see all departments).
pub fn department_for(role: Role, department: Option<&str>) -> Result<Option<String>, AccountError> {
    let d = department.map(str::trim).filter(|d| !d.is_empty());
    match (role.needs_department(), d) {
        (true, None) => Err(AccountError::NoDepartment),
        (true, Some(d)) => Ok(Some(d.to_string())),
        (false, _) => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn usernames() {
        assert_eq!(parse_username("  sthj ").unwrap(), "sthj");
        assert!(parse_username("").is_err());
        assert!(parse_username("a b").is_err());
        assert!(parse_username(&"x".repeat(65)).is_err());
        assert!(parse_username("统计局审核").is_ok());
        assert_eq!(username_key("Admin "), "admin");
    }

    #[test]
    fn only_reporters_have_departments() {
        assert_eq!(department_for(Role::Reporter, None), Err(AccountError::NoDepartment));
        assert_eq!(
            department_for(Role::Reporter, Some(" ")),
            Err(AccountError::NoDepartment)
        );
        assert_eq!(
            department_for(Role::Reporter, Some("kjj")).unwrap().as_deref(),
            Some("kjj")
        );
        assert_eq!(department_for(Role::Planner, Some("kjj")).unwrap(), None);
        assert!(Role::Evaluator.can_comment() && !Role::Reporter.can_comment() && !Role::Public.can_comment());
    }
}
