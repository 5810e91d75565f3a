//! Who may see and do what (权限规则), stated once: by role, by whether a
//! figure belongs to the caller's own department, and by the figure's
//! state — including which role may move a figure from which state to
//! which — and what the public sees. Every adapter (pages, JSON API,
//! command line) and the store ask this module; none keeps its own copy.
//!
//! The matrix is checked cell by cell against a table written by hand
//! (`tests/fixtures/policy.tsv`, `tests/fixtures/public.tsv`).
//!
//! # Review levels and released years
//!
//! Review is a chain of [`Level`]s, each held by a role and optionally a
//! department. Today every plan has one level held by the statistics
//! bureau's reviewer ([`Policy::default`]): a figure in
//! [`ObservationState::Submitted`] waits for level 0, and
//! [`ObservationState::Approved`] means it has passed the last level and
//! waits for publication. A chain of several levels (部门初审 → 统计局审核 →
//! 发改委确认) keeps the same four states and adds an approval-level index
//! beside the state (a column next to `observations.state`): `Submitted`
//! at level *k* waits for level *k*; approving at the last level makes it
//! `Approved`. [`Policy::with_levels`] takes such a chain and
//! [`Policy::may_approve_at`] answers for one level, so the approval
//! pipeline (the store's `set_state`, the review page) stays one pipeline.
//!
//! A plan's evaluation years are released by the planner one by one
//! ([`Publication::released_years`]); the public sees an evaluation only
//! for a released year ([`Publication::year_public`]), and its default year
//! is the latest released one ([`Publication::default_year`]).

use crate::account::Role;
use crate::observation::ObservationState;
use crate::plan::PlanState;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Something a user asks to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// See the internal site of a plan (dashboard with reviewed figures,
    /// tasks, projects, reminders).
    ReadPlan,
    /// See one figure in its current state (data entry, review, the API's
    /// `latest` view).
    ReadFigure,
    /// Write a new vintage of a figure (grid, upload, API, CLI import).
    Enter,
    /// Draft → submitted.
    Submit,
    /// Submitted → approved (one review level).
    Approve,
    /// Submitted or approved → draft, with a reason (退回).
    Return,
    /// Take back one's own approval (撤回审核) while the next level (or the
    /// publisher, after the last level) has not acted.
    TakeBack,
    /// Approved → published.
    Publish,
    /// Write an evaluation comment (评估意见).
    Comment,
    /// Change the plan's indicator system and settings.
    EditPlan,
    /// Make a plan public or private, release or withdraw an evaluation
    /// year.
    PublishPlan,
    /// Add, change and deactivate accounts.
    ManageAccounts,
    /// Add, edit and retire the bodies of the deployment's department
    /// registry (部门名录).
    ManageDepartments,
    /// Keep a task's annual work plan (年度工作计划): add entries, move their
    /// state, write progress. By the department that leads the task.
    EditWork,
    /// Record a key project's progress (完成投资, 状态).
    EditProject,
}

impl Action {
    pub const ALL: [Action; 15] = [
        Action::ReadPlan,
        Action::ReadFigure,
        Action::Enter,
        Action::Submit,
        Action::Approve,
        Action::Return,
        Action::TakeBack,
        Action::Publish,
        Action::Comment,
        Action::EditPlan,
        Action::PublishPlan,
        Action::ManageAccounts,
        Action::ManageDepartments,
        Action::EditWork,
        Action::EditProject,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::ReadPlan => "read_plan",
            Action::ReadFigure => "read_figure",
            Action::Enter => "enter",
            Action::Submit => "submit",
            Action::Approve => "approve",
            Action::Return => "return",
            Action::TakeBack => "take_back",
            Action::Publish => "publish",
            Action::Comment => "comment",
            Action::EditPlan => "edit_plan",
            Action::PublishPlan => "publish_plan",
            Action::ManageAccounts => "manage_accounts",
            Action::ManageDepartments => "manage_departments",
            Action::EditWork => "edit_work",
            Action::EditProject => "edit_project",
        }
    }

    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// Whether the action is about one figure (so its department and state
    /// matter) rather than the plan as a whole.
    pub fn on_figure(self) -> bool {
        matches!(
            self,
            Action::ReadFigure
                | Action::Enter
                | Action::Submit
                | Action::Approve
                | Action::Return
                | Action::TakeBack
                | Action::Publish
        )
    }

    /// The move a state change is: `None` for a move no one may make.
    pub fn of_move(from: ObservationState, to: ObservationState) -> Option<Action> {
        use ObservationState::*;
        Some(match (from, to) {
            (Draft, Submitted) => Action::Submit,
            (Submitted, Approved) => Action::Approve,
            (Submitted, Draft) | (Approved, Draft) => Action::Return,
            (Approved, Submitted) => Action::TakeBack,
            (Approved, Published) => Action::Publish,
            _ => return None,
        })
    }
}

/// Whose figure it is, seen from the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// An indicator the caller's department leads (牵头).
    Own,
    /// Another department's indicator.
    Other,
    /// The plan as a whole, no department.
    None,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Own => "own",
            Scope::Other => "other",
            Scope::None => "none",
        }
    }

    pub fn parse(s: &str) -> Option<Scope> {
        [Scope::Own, Scope::Other, Scope::None]
            .into_iter()
            .find(|x| x.as_str() == s)
    }

    /// The scope of an indicator led by `leads` for a caller acting for
    /// `department` (`None`: every department, as all roles but the
    /// reporter do).
    pub fn of(department: Option<&str>, leads: &[String]) -> Scope {
        match department {
            Some(d) if !leads.iter().any(|l| l == d) => Scope::Other,
            _ => Scope::Own,
        }
    }
}

/// One level of the review chain (审核层级): its name and who holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Level {
    /// What the level is called (部门初审, 统计局审核, 发改委确认).
    #[serde(default)]
    pub name: String,
    pub role: Role,
    /// Only this department's holders of `role` act at this level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
}

/// The rules of who may see and do what, with the plan's review chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    levels: Vec<Level>,
}

impl Default for Policy {
    /// One review level, held by the statistics bureau's reviewer.
    fn default() -> Self {
        Policy {
            levels: vec![Level {
                name: String::new(),
                role: Role::Reviewer,
                department: None,
            }],
        }
    }
}

/// A role limited to the indicators its department leads.
fn one_department(role: Role) -> bool {
    matches!(role, Role::Reporter | Role::DepartmentApprover)
}

/// A step a review level takes on a figure in the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Pass the level the figure waits at (to the next, or to approved
    /// after the last).
    Approve,
    /// Send it back to draft with a reason (退回).
    Return,
    /// Take back one's own approval before the next level acts (撤回).
    TakeBack,
}

impl Step {
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Approve => "approve",
            Step::Return => "return",
            Step::TakeBack => "take_back",
        }
    }

    pub fn parse(s: &str) -> Option<Step> {
        [Step::Approve, Step::Return, Step::TakeBack]
            .into_iter()
            .find(|x| x.as_str() == s)
    }

    /// The action of [`Policy::allows`] this step is.
    pub fn action(self) -> Action {
        match self {
            Step::Approve => Action::Approve,
            Step::Return => Action::Return,
            Step::TakeBack => Action::TakeBack,
        }
    }
}

/// Where a figure stands in the review chain: its state and, while
/// submitted, how many levels it has passed (it waits for level
/// `passed`, 0-based). Draft, approved and published figures have
/// `passed` 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Stage {
    pub state: ObservationState,
    pub passed: usize,
}

impl Stage {
    pub fn new(state: ObservationState, passed: usize) -> Stage {
        let passed = if state == ObservationState::Submitted {
            passed
        } else {
            0
        };
        Stage { state, passed }
    }
}

/// Staff: every role but the public.
fn staff(role: Role) -> bool {
    role != Role::Public
}

/// Roles that enter and submit figures (a reporter for its own department).
fn enters(role: Role) -> bool {
    matches!(role, Role::Reporter | Role::Planner | Role::Administrator)
}

impl Policy {
    /// A policy whose review chain is `levels` (at least one).
    pub fn with_levels(levels: Vec<Level>) -> Option<Policy> {
        (!levels.is_empty()).then_some(Policy { levels })
    }

    /// The review chain, first level first.
    pub fn levels(&self) -> &[Level] {
        &self.levels
    }

    /// Whether `role`, acting for `department` (`None`: not bound to one),
    /// holds review level `level`.
    pub fn may_approve_at(&self, role: Role, department: Option<&str>, level: usize) -> bool {
        role == Role::Administrator
            || self
                .levels
                .get(level)
                .is_some_and(|l| l.role == role && l.department.as_deref().is_none_or(|d| department == Some(d)))
    }

    /// Where `step` by `role`, acting for `department`, takes a figure of
    /// `scope` at `stage`; `None` when it may not take it. The level a
    /// figure waits at approves it (to the next level, or to approved
    /// after the last) or returns it to draft; the last level may still
    /// return an approved figure before it is published; a level takes
    /// back its own approval only while the next level (or, after the
    /// last, publication) has not acted.
    pub fn step(&self, role: Role, department: Option<&str>, scope: Scope, stage: Stage, step: Step) -> Option<Stage> {
        use ObservationState::*;
        let n = self.levels.len();
        if scope == Scope::None || (scope == Scope::Other && one_department(role)) {
            return None;
        }
        let holds = |l: usize| self.may_approve_at(role, department, l);
        let Stage { state, passed } = stage;
        match (step, state) {
            (Step::Approve, Submitted) if passed < n && holds(passed) => Some(if passed + 1 == n {
                Stage::new(Approved, 0)
            } else {
                Stage::new(Submitted, passed + 1)
            }),
            (Step::Return, Submitted) if passed < n && holds(passed) => Some(Stage::new(Draft, 0)),
            (Step::Return, Approved) if holds(n.saturating_sub(1)) => Some(Stage::new(Draft, 0)),
            (Step::TakeBack, Submitted) if passed >= 1 && passed < n && holds(passed - 1) => {
                Some(Stage::new(Submitted, passed - 1))
            }
            (Step::TakeBack, Approved) if holds(n.saturating_sub(1)) => {
                Some(Stage::new(Submitted, n.saturating_sub(1)))
            }
            _ => None,
        }
    }

    /// Whether `role` may do `action` on a figure of `scope` in `state`
    /// (`None`: no figure yet, or an action on the plan as a whole).
    pub fn allows(&self, role: Role, action: Action, scope: Scope, state: Option<ObservationState>) -> bool {
        use ObservationState::*;
        let n = self.levels.len();
        if action.on_figure() {
            if scope == Scope::None {
                return false;
            }
            // A reporter acts on its own department's indicators only; a
            // reporter still reads what review has passed.
            let foreign = scope == Scope::Other && one_department(role);
            return match action {
                Action::ReadFigure => match state {
                    None => false,
                    Some(Published) => true,
                    Some(Approved) => staff(role),
                    Some(Draft | Submitted) => staff(role) && !foreign,
                },
                // A figure under review is locked until it is returned; a
                // published one may be corrected by a new vintage.
                Action::Enter => enters(role) && !foreign && !state.is_some_and(ObservationState::under_review),
                Action::Submit => enters(role) && !foreign && state == Some(Draft),
                // At some level of the chain; [`Policy::step`] answers for
                // the level a figure is at.
                Action::Approve => state == Some(Submitted) && !foreign && self.holds_any(role, 0..n),
                Action::Return => match state {
                    Some(Submitted) => !foreign && self.holds_any(role, 0..n),
                    Some(Approved) => !foreign && self.holds_any(role, n.saturating_sub(1)..n),
                    _ => false,
                },
                Action::TakeBack => match state {
                    Some(Submitted) => !foreign && self.holds_any(role, 0..n.saturating_sub(1)),
                    Some(Approved) => !foreign && self.holds_any(role, n.saturating_sub(1)..n),
                    _ => false,
                },
                Action::Publish => {
                    state == Some(Approved) && matches!(role, Role::Reviewer | Role::Planner | Role::Administrator)
                }
                _ => unreachable!("on_figure covers these"),
            };
        }
        if action == Action::EditWork {
            // A task's department: a reporter keeps its own tasks' work
            // plans; the planning office every task's.
            return state.is_none()
                && match role {
                    Role::Planner | Role::Administrator => true,
                    Role::Reporter => scope == Scope::Own,
                    _ => false,
                };
        }
        if scope != Scope::None || state.is_some() {
            return false;
        }
        match action {
            Action::ReadPlan => staff(role),
            Action::Comment => matches!(
                role,
                Role::Evaluator | Role::Planner | Role::Reviewer | Role::Administrator
            ),
            Action::EditPlan | Action::PublishPlan | Action::ManageDepartments | Action::EditProject => {
                matches!(role, Role::Planner | Role::Administrator)
            }
            Action::ManageAccounts => role == Role::Administrator,
            _ => unreachable!("on_figure covers these"),
        }
    }

    /// Whether `role` holds one of `levels` (for some department).
    fn holds_any(&self, role: Role, mut levels: std::ops::Range<usize>) -> bool {
        levels.any(|l| {
            role == Role::Administrator
                || self
                    .levels
                    .get(l)
                    .is_some_and(|x| x.role == role && (x.department.is_none() || one_department(role)))
        })
    }

    /// Whether `role` may move a figure of `scope` from `from` to `to`.
    pub fn may_move(&self, role: Role, scope: Scope, from: ObservationState, to: ObservationState) -> bool {
        Action::of_move(from, to).is_some_and(|a| self.allows(role, a, scope, Some(from)))
    }

    /// Whether `role` may do `action` somewhere: on some figure (of its own
    /// department) in some state, or on the plan. For menus and page
    /// guards; each figure is still checked with [`Policy::allows`].
    pub fn allows_any(&self, role: Role, action: Action) -> bool {
        if !action.on_figure() {
            return self.allows(role, action, Scope::None, None);
        }
        [
            None,
            Some(ObservationState::Draft),
            Some(ObservationState::Submitted),
            Some(ObservationState::Approved),
            Some(ObservationState::Published),
        ]
        .into_iter()
        .any(|s| self.allows(role, action, Scope::Own, s))
    }

    /// Whether staff in `role` may read the evidence (佐证材料) of a figure
    /// of `scope` in `state` (`None`: of a task update or project, which
    /// staff read): whoever reads the figure, but a reporter only its own
    /// department's — evidence is the department's material, not a
    /// reviewed figure. The public's rule is [`Publication::evidence_public`].
    pub fn may_read_evidence(&self, role: Role, scope: Scope, state: Option<ObservationState>) -> bool {
        let readable = match state {
            Some(s) => self.allows(role, Action::ReadFigure, scope, Some(s)),
            None => self.allows(role, Action::ReadPlan, Scope::None, None),
        };
        readable && staff(role) && !(scope == Scope::Other && one_department(role))
    }

    /// Whether `role` may attach evidence to an item of `scope`: whoever
    /// enters its figures (a reporter for its own department).
    pub fn may_attach_evidence(&self, role: Role, scope: Scope) -> bool {
        self.allows(role, Action::Enter, scope, None)
    }

    /// Whether `role` acts for every department (reads their drafts,
    /// enters or reviews for any of them).
    pub fn every_department(&self, role: Role) -> bool {
        self.allows(role, Action::ReadFigure, Scope::Other, Some(ObservationState::Draft))
    }
}

/// What the planner has decided to show the public of one plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publication {
    /// The plan's state (draft, adopted, adjusted).
    pub state: PlanState,
    /// The planner has made the plan public (公开).
    pub public: bool,
    /// Evaluation years the planner has released (发布评估年度).
    pub released_years: BTreeSet<i32>,
}

impl Publication {
    /// The one rule for plans: public only when adopted (or adjusted after
    /// adoption) and made public by the planner. A draft is never public.
    pub fn plan_public(&self) -> bool {
        self.public && self.state != PlanState::Draft
    }

    /// An evaluation year is public only in a public plan and once the
    /// planner has released it.
    pub fn year_public(&self, year: i32) -> bool {
        self.plan_public() && self.released_years.contains(&year)
    }

    /// A figure is public only when published, in a public plan, for a
    /// year up to the latest released one: a later year's figures wait for
    /// their year's release, so no page or API answer runs ahead of the
    /// evaluation the planner has released.
    pub fn figure_public(&self, year: i32, state: ObservationState) -> bool {
        self.plan_public() && figure_published(state) && self.released_years.last().is_some_and(|l| year <= *l)
    }

    /// A file the planner marked public is public with what it supports: a
    /// figure's when a published vintage of it is public (`year`, and
    /// whether any vintage is published), a task's or project's when the
    /// plan is public (`None`).
    pub fn evidence_public(&self, marked: bool, figure: Option<(i32, bool)>) -> bool {
        marked
            && match figure {
                Some((year, published)) => published && self.figure_public(year, ObservationState::Published),
                None => self.plan_public(),
            }
    }

    /// The year the public portal opens on: the latest released year.
    /// `None` when the public may see no evaluation at all.
    pub fn default_year(&self) -> Option<i32> {
        if self.plan_public() {
            self.released_years.last().copied()
        } else {
            None
        }
    }
}

/// A figure the public may see when its plan and year are public.
pub fn figure_published(state: ObservationState) -> bool {
    state == ObservationState::Published
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_are_the_store_s_moves() {
        use ObservationState::*;
        let all = [Draft, Submitted, Approved, Published];
        for from in all {
            for to in all {
                assert_eq!(
                    Action::of_move(from, to).is_some(),
                    from.can_move_to(to),
                    "{from:?} → {to:?}"
                );
            }
        }
    }

    #[test]
    fn a_second_level_held_by_a_department() {
        let p = Policy::with_levels(vec![
            Level {
                name: "统计局审核".into(),
                role: Role::Reviewer,
                department: Some("tjj".into()),
            },
            Level {
                name: "发改委确认".into(),
                role: Role::Planner,
                department: None,
            },
        ])
        .unwrap();
        assert!(p.may_approve_at(Role::Reviewer, Some("tjj"), 0));
        assert!(!p.may_approve_at(Role::Reviewer, Some("fgw"), 0));
        assert!(!p.may_approve_at(Role::Reviewer, Some("tjj"), 1));
        assert!(p.may_approve_at(Role::Planner, None, 1));
        assert!(p.may_approve_at(Role::Administrator, None, 1));
        assert!(Policy::with_levels(Vec::new()).is_none());
    }

    #[test]
    fn scope_of_an_indicator() {
        let leads = vec!["sthj".to_string()];
        assert_eq!(Scope::of(Some("sthj"), &leads), Scope::Own);
        assert_eq!(Scope::of(Some("kjj"), &leads), Scope::Other);
        assert_eq!(Scope::of(None, &leads), Scope::Own);
    }
}
