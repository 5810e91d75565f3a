//! Review (审核): the queue a reviewer works through — every figure waiting
//! in the plan's review chain with its context (the previous year's value
//! and change, the target and the schedule path, the status the figure
//! would produce, source and note, the reporter's comment on a figure that
//! broke a warning rule with the rule it broke, a correction's reason, the
//! evidence files, the history of earlier vintages) — and
//! the steps of the chain (approve, return with a reason, take back) and
//! publication. Who may take which step at which level is
//! [`lantu_core::policy::Policy::step`]'s; the status is the one pipeline's
//! ([`crate::assess::judge`], [`crate::assess::judge_indicator`]).

use crate::assess::{judge, judge_indicator, target_spec, Visibility, Year};
use crate::{App, AppError, Result};
use lantu_core::account::Role;
use lantu_core::messages::Message;
use lantu_core::observation::{ObservationState, VintageKind};
use lantu_core::plan::{IndicatorDoc, PlanDoc, TargetDoc};
use lantu_core::policy::{Action, Level, Policy, Scope, Stage, Step};
use lantu_core::progress::{schedule_at, Assessment, Baseline, Period};
use lantu_core::rules::Severity;
use lantu_store::{Evidence, EvidenceTarget, Figures, ObservationQuery, ObservationRecord, StageMove, User, View};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::HashMap;

/// One level of a plan's chain as the review page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct LevelView {
    /// 1-based.
    pub number: usize,
    pub name: String,
    pub role: Role,
    pub department: Option<String>,
}

/// What a reviewer sees of plan `plan_id`: the chain, the figures waiting
/// in it and those that passed its last level (waiting for publication).
#[derive(Debug, Clone, Serialize)]
pub struct ReviewQueue {
    pub plan_id: i64,
    pub year: Option<i32>,
    pub levels: Vec<LevelView>,
    pub waiting: Vec<ReviewItem>,
    pub approved: Vec<ReviewItem>,
    /// The reader may publish the approved figures.
    pub may_publish: bool,
}

/// The previous period's counted figure and the change to the figure
/// under review.
#[derive(Debug, Clone, Serialize)]
pub struct Previous {
    pub period: Period,
    pub value: Decimal,
    pub change: Decimal,
    /// The change in per cent of the previous value (`None` for 0).
    pub change_pct: Option<Decimal>,
}

/// A rule of the one validation ([`crate::validation`]) that a figure in
/// review breaks: a warning (its `comment` explains it) or an error.
#[derive(Debug, Clone, Serialize)]
pub struct RuleFinding {
    pub severity: Severity,
    #[serde(flatten)]
    pub message: Message,
}

/// One figure in review with its context.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewItem {
    pub id: i64,
    pub indicator: String,
    pub name: String,
    pub unit: Option<String>,
    /// The lead departments' names.
    pub departments: Vec<String>,
    pub period: Period,
    pub geography: Option<String>,
    pub vintage: i32,
    pub value: Decimal,
    pub source: Option<String>,
    pub note: Option<String>,
    pub state: ObservationState,
    /// A figure, or a correction of a published one.
    pub kind: VintageKind,
    /// Why a published figure is corrected (for a correction).
    pub correction_reason: Option<String>,
    /// The reporter's explanation (异常说明) of a figure that broke a
    /// warning rule.
    pub comment: Option<String>,
    /// The rules the figure breaks, by the one validation re-run now.
    pub findings: Vec<RuleFinding>,
    /// Its evidence files (佐证材料) the reader may open.
    pub evidence: Vec<Evidence>,
    /// Levels of the chain passed.
    pub passed: usize,
    /// The level it waits at (its name), while submitted.
    pub waiting_at: Option<String>,
    /// The body (department or account name) that entered it, and when.
    pub entered_by: String,
    pub entered_at: String,
    pub previous: Option<Previous>,
    pub target: TargetDoc,
    /// The schedule path's value for the figure's year.
    pub schedule: Option<Decimal>,
    /// The figure minus the schedule path's value.
    pub deviation: Option<Decimal>,
    /// The status the plan's indicator would have in the figure's year
    /// with this figure counted (the one pipeline).
    pub assessment: Option<Assessment>,
    /// Every vintage of the figure, oldest first, this one included.
    pub history: Vec<VintageView>,
    /// The steps the reader may take on it.
    pub steps: Vec<Step>,
}

/// One vintage of a figure with its state changes.
#[derive(Debug, Clone, Serialize)]
pub struct VintageView {
    pub id: i64,
    pub vintage: i32,
    pub value: Decimal,
    pub state: ObservationState,
    /// A figure, a correction (its reason is `reason`) or a withdrawn draft.
    pub kind: VintageKind,
    /// The reporter's explanation of a figure that broke a warning rule.
    pub comment: Option<String>,
    pub entered_by: String,
    pub entered_at: String,
    /// Why its batch was written.
    pub reason: Option<String>,
    pub events: Vec<EventView>,
}

/// One state change: who (the body), when, the reason, and the chain step
/// it was.
#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    pub from: ObservationState,
    pub to: ObservationState,
    pub at: String,
    pub by: String,
    pub comment: Option<String>,
    pub step: Option<Step>,
    pub level: Option<String>,
}

/// The name of level `i` (0-based) of `policy`: its own, or 第 k 级审核.
pub fn level_name(policy: &Policy, i: usize) -> String {
    match policy.levels().get(i) {
        Some(l) if !l.name.trim().is_empty() => l.name.trim().to_string(),
        _ if policy.levels().len() == 1 => "审核".to_string(),
        _ => format!("第 {} 级审核", i + 1),
    }
}

/// The level that acts when `step` is taken at `stage` (0-based).
fn acting_level(policy: &Policy, stage: Stage, step: Step) -> usize {
    let last = policy.levels().len().saturating_sub(1);
    match (stage.state, step) {
        (ObservationState::Submitted, Step::TakeBack) => stage.passed.saturating_sub(1),
        (ObservationState::Submitted, _) => stage.passed,
        _ => last,
    }
}

/// The same period one year earlier.
fn year_before(p: Period) -> Option<Period> {
    let y = p.calendar_year() - 1;
    if let Some(q) = p.quarter_number() {
        return Period::quarter(y, q).ok();
    }
    if let Some(m) = p.month_number() {
        return Period::month(y, m).ok();
    }
    Some(Period::year(y))
}

/// The body an account speaks for: its department's name, else its
/// display name (区统计局 审核员), else the login name.
pub fn body_of(users: &HashMap<String, User>, doc: &PlanDoc, username: &str) -> String {
    let Some(u) = users.get(username) else {
        return username.to_string();
    };
    if let Some(d) = u.department.as_deref() {
        if let Some(dd) = doc.departments.iter().find(|x| x.code == d) {
            return dd.name.clone();
        }
    }
    if u.display_name.trim().is_empty() {
        u.username.clone()
    } else {
        u.display_name.clone()
    }
}

fn scope_of(user: &User, d: Option<&IndicatorDoc>) -> Scope {
    let leads = d.map_or(&[][..], |d| &d.departments[..]);
    Scope::of(user.department.as_deref(), leads)
}

impl App {
    /// The review chain of plan `plan_id` as the policy of that plan.
    pub async fn policy(&self, plan_id: i64) -> Result<Policy> {
        Ok(Policy::with_levels(self.store.review_levels(plan_id).await?).unwrap_or_default())
    }

    /// Sets plan `plan_id`'s review chain (an empty list: the default one
    /// level), for a planner or an administrator.
    pub async fn set_review_levels(&self, plan_id: i64, user: &User, levels: Vec<Level>) -> Result<bool> {
        if !Policy::default().allows(user.role, Action::EditPlan, Scope::None, None) {
            return Err(AppError::Forbidden(
                "只有规划部门和管理员可设置审核层级 / only planners and administrators set the review chain".into(),
            ));
        }
        Ok(self.store.set_review_levels(plan_id, &levels, &user.username).await?)
    }

    /// The review queue of plan `plan_id` for `user`: the figures of the
    /// plan's own area and towns waiting in the chain (of `year`, or every
    /// year) and those approved, each with its context and the steps
    /// `user` may take. A department approver sees its own department's.
    pub async fn review_queue(&self, plan_id: i64, user: &User, year: Option<i32>) -> Result<ReviewQueue> {
        let policy = self.policy(plan_id).await?;
        let may = |a| policy.allows_any(user.role, a);
        if !(may(Action::Approve) || may(Action::Publish) || may(Action::TakeBack)) {
            return Err(AppError::Forbidden(
                "此角色不参与审核 / this role takes no part in review".into(),
            ));
        }
        let doc = self.store.plan_doc(plan_id).await?;
        let one_department = !policy.every_department(user.role);
        let department = user.department.clone().filter(|_| one_department);
        let years = year.map(|y| (y, y));
        let latest = self
            .store
            .observations(
                plan_id,
                &ObservationQuery {
                    department: department.clone(),
                    years,
                    ..ObservationQuery::default()
                },
            )
            .await?;
        let reviewed = self
            .store
            .observations(
                plan_id,
                &ObservationQuery {
                    view: View::Reviewed,
                    department,
                    ..ObservationQuery::default()
                },
            )
            .await?;
        let counted: HashMap<(&str, Period, Option<&str>), &ObservationRecord> = reviewed
            .iter()
            .map(|r| ((r.indicator.as_str(), r.period, r.geography.as_deref()), r))
            .collect();
        let users: HashMap<String, User> = self
            .store
            .users()
            .await?
            .into_iter()
            .map(|u| (u.username.clone(), u))
            .collect();
        let dept_name = |c: &String| {
            doc.departments
                .iter()
                .find(|d| &d.code == c)
                .map_or_else(|| c.clone(), |d| d.name.clone())
        };
        let in_chain: Vec<&ObservationRecord> = latest
            .iter()
            .filter(|r| matches!(r.state, ObservationState::Submitted | ObservationState::Approved))
            .collect();
        // The rules each figure breaks, against every latest figure of the
        // plan (the previous period and the other side of a cross rule may
        // lie outside the year and the department asked for).
        let everything = self.store.observations(plan_id, &ObservationQuery::default()).await?;
        let findings = crate::validation::findings(&doc, &in_chain, &everything);
        // The judgement of each year the queue's figures fall in, once.
        let mut judged: HashMap<i32, crate::assess::Judgement> = HashMap::new();
        let (mut waiting, mut approved) = (Vec::new(), Vec::new());
        for (r, found) in in_chain.into_iter().zip(findings) {
            let Some(d) = doc.indicators.iter().find(|i| i.code == r.indicator) else {
                continue;
            };
            let scope = scope_of(user, Some(d));
            if !policy.allows(user.role, Action::ReadFigure, scope, Some(r.state)) {
                continue;
            }
            let y = r.period.calendar_year();
            let previous = year_before(r.period)
                .and_then(|p| counted.get(&(r.indicator.as_str(), p, r.geography.as_deref())))
                .map(|p| {
                    let change = r.value - p.value;
                    Previous {
                        period: p.period,
                        value: p.value,
                        change,
                        change_pct: (!p.value.is_zero())
                            .then(|| (change / p.value.abs() * Decimal::ONE_HUNDRED).round_dp(1)),
                    }
                });
            let spec = target_spec(&d.target, d);
            let baseline = d.baseline.as_ref().map(|b| Baseline::new(b.value, b.year));
            let schedule = spec.as_ref().and_then(|s| schedule_at(s, baseline.as_ref(), y));
            // The status with this figure counted: the plan's own area only.
            let assessment = if r.geography.is_none() {
                if let std::collections::hash_map::Entry::Vacant(e) = judged.entry(y) {
                    e.insert(judge(&self.store, plan_id, Year::Exactly(y), Visibility::Internal, None).await?);
                }
                judged.get(&y).and_then(|j| {
                    let figures = j
                        .records
                        .iter()
                        .filter(|x| x.indicator == r.indicator && x.period != r.period)
                        .chain(std::iter::once(r));
                    let mut figures: Vec<&ObservationRecord> = figures.collect();
                    figures.sort_by_key(|x| x.period);
                    judge_indicator(d, figures, y, &j.doc.settings.tolerances())
                })
            } else {
                None
            };
            let history = self.history(plan_id, r, &users, &doc).await?;
            let figure = EvidenceTarget::Figure {
                indicator: r.indicator.clone(),
                period: r.period,
                geography: r.geography.clone(),
            };
            let evidence = self.evidence_in(Some(user), plan_id, &doc, &figure).await?;
            let stage = Stage::new(r.state, r.passed);
            let steps = [Step::Approve, Step::Return, Step::TakeBack]
                .into_iter()
                .filter(|s| {
                    policy
                        .step(user.role, user.department.as_deref(), scope, stage, *s)
                        .is_some()
                })
                .collect();
            let item = ReviewItem {
                id: r.id,
                indicator: r.indicator.clone(),
                name: d.name.clone(),
                unit: d.unit.clone(),
                departments: d.departments.iter().map(dept_name).collect(),
                period: r.period,
                geography: r.geography.clone(),
                vintage: r.vintage,
                value: r.value,
                source: r.source.clone(),
                note: r.note.clone(),
                state: r.state,
                kind: r.kind,
                correction_reason: r.reason.clone().filter(|_| r.kind == VintageKind::Correction),
                comment: r.comment.clone().filter(|c| !c.trim().is_empty()),
                findings: found
                    .into_iter()
                    .map(|p| RuleFinding {
                        severity: p.severity,
                        message: p.message,
                    })
                    .collect(),
                evidence,
                passed: r.passed,
                waiting_at: (r.state == ObservationState::Submitted).then(|| level_name(&policy, r.passed)),
                entered_by: body_of(&users, &doc, &r.recorded_by),
                entered_at: r.recorded_at.clone(),
                previous,
                target: d.target.clone(),
                deviation: schedule.map(|s| r.value - s),
                schedule,
                assessment,
                history,
                steps,
            };
            if r.state == ObservationState::Submitted {
                waiting.push(item);
            } else {
                approved.push(item);
            }
        }
        let levels = (0..policy.levels().len())
            .map(|i| LevelView {
                number: i + 1,
                name: level_name(&policy, i),
                role: policy.levels()[i].role,
                department: policy.levels()[i].department.clone(),
            })
            .collect();
        Ok(ReviewQueue {
            plan_id,
            year,
            levels,
            waiting,
            approved,
            may_publish: policy.allows_any(user.role, Action::Publish),
        })
    }

    /// Every vintage of `r`'s figure with its state changes, bodies named.
    async fn history(
        &self,
        plan_id: i64,
        r: &ObservationRecord,
        users: &HashMap<String, User>,
        doc: &PlanDoc,
    ) -> Result<Vec<VintageView>> {
        let vintages = self
            .store
            .observation_history(plan_id, &r.indicator, r.period, r.geography.as_deref())
            .await?;
        let mut out = Vec::with_capacity(vintages.len());
        for v in vintages {
            let transitions = self.store.transitions(v.id).await?;
            let steps = self.store.chain_steps(v.id).await?;
            let events = transitions
                .into_iter()
                .zip(steps.into_iter().chain(std::iter::repeat(None)))
                .map(|(t, s)| EventView {
                    from: t.from,
                    to: t.to,
                    by: body_of(users, doc, &t.actor),
                    at: t.at,
                    comment: t.comment,
                    step: s.as_ref().map(|s| s.step),
                    level: s.map(|s| s.level_name),
                })
                .collect();
            out.push(VintageView {
                id: v.id,
                vintage: v.vintage,
                value: v.value,
                state: v.state,
                kind: v.kind,
                comment: v.comment,
                entered_by: body_of(users, doc, &v.recorded_by),
                entered_at: v.recorded_at,
                reason: v.reason,
                events,
            });
        }
        Ok(out)
    }

    /// Takes `step` on figures `ids` of plan `plan_id` as `user`, at the
    /// level each waits at (or, taking back, the level that approved it),
    /// all or none. A return needs a reason. Returns the ids moved.
    pub async fn review_step(
        &self,
        plan_id: i64,
        user: &User,
        ids: &[i64],
        step: Step,
        reason: Option<&str>,
    ) -> Result<Vec<i64>> {
        self.step_as(plan_id, &crate::Actor::of(user), ids, step, reason).await
    }

    /// [`App::review_step`] as `actor`.
    async fn step_as(
        &self,
        plan_id: i64,
        user: &crate::Actor,
        ids: &[i64],
        step: Step,
        reason: Option<&str>,
    ) -> Result<Vec<i64>> {
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if step == Step::Return && reason.is_none() {
            return Err(AppError::Invalid("退回时请填写意见 / a return needs a reason".into()));
        }
        if ids.is_empty() {
            return Err(AppError::Invalid("请先选择数据 / select figures first".into()));
        }
        let policy = self.policy(plan_id).await?;
        let doc = self.store.plan_doc(plan_id).await?;
        // Moves grouped by the level that acts (its name goes with each).
        let mut groups: Vec<(String, Vec<StageMove>)> = Vec::new();
        for &id in ids {
            let r = self.store.observation(id).await?;
            let d = doc.indicators.iter().find(|i| i.code == r.indicator);
            if d.is_none() {
                return Err(AppError::Forbidden(format!(
                    "数据 {id} 不属于规划 {plan_id} 的现行指标 / observation {id} is not a figure of an active indicator of plan {plan_id}"
                )));
            }
            let from = Stage::new(r.state, r.passed);
            let to = policy
                .step(
                    user.role,
                    user.department.as_deref(),
                    Scope::of(user.department.as_deref(), d.map_or(&[][..], |d| &d.departments[..])),
                    from,
                    step,
                )
                .ok_or_else(|| {
                    AppError::Forbidden(format!(
                        "不能对数据 {id}（{} {}，{}）执行“{}” / {} may not {} observation {id} ({} {}, {})",
                        r.indicator,
                        r.period,
                        state_zh(from),
                        step_zh(step),
                        user.role.as_str(),
                        step.as_str(),
                        r.indicator,
                        r.period,
                        r.state.as_str(),
                    ))
                })?;
            let name = level_name(&policy, acting_level(&policy, from, step));
            match groups.iter_mut().find(|(n, _)| *n == name) {
                Some((_, v)) => v.push(StageMove { id, from, to }),
                None => groups.push((name, vec![StageMove { id, from, to }])),
            }
        }
        let mut moved = Vec::new();
        for (name, moves) in groups {
            moved.extend(
                self.store
                    .move_in_chain(plan_id, &moves, step, &name, &user.name, reason)
                    .await?,
            );
        }
        Ok(moved)
    }

    /// Publishes every figure of plan `plan_id` that passed the last level
    /// of its chain, as `user` (the publisher: the statistics bureau, the
    /// planner or the administrator). Returns the ids published.
    pub async fn publish_approved(&self, plan_id: i64, user: &User) -> Result<Vec<i64>> {
        let policy = self.policy(plan_id).await?;
        if !policy.allows(user.role, Action::Publish, Scope::Own, Some(ObservationState::Approved)) {
            return Err(AppError::Forbidden(
                "此角色不能发布数据 / this role does not publish".into(),
            ));
        }
        Ok(self
            .store
            .set_state(
                &Figures::AllIn {
                    plan_id,
                    state: ObservationState::Approved,
                },
                ObservationState::Published,
                &user.username,
                None,
            )
            .await?)
    }
}

fn state_zh(s: Stage) -> String {
    match s.state {
        ObservationState::Draft => "草稿".into(),
        ObservationState::Submitted => format!("待第 {} 级审核", s.passed + 1),
        ObservationState::Approved => "已审核".into(),
        ObservationState::Published => "已发布".into(),
    }
}

fn step_zh(s: Step) -> &'static str {
    match s {
        Step::Approve => "审核通过",
        Step::Return => "退回",
        Step::TakeBack => "撤回审核",
    }
}

impl App {
    /// Moves figure `obs_id` of plan `plan_id` to state `to` as `user` (the
    /// API's one state change): a step of the review chain goes level by
    /// level ([`App::review_step`]); submitting and publishing are judged
    /// by the policy for the figure's own department; a return needs a
    /// comment. Returns the ids moved.
    pub async fn move_figure(
        &self,
        plan_id: i64,
        user: &User,
        obs_id: i64,
        to: ObservationState,
        comment: Option<&str>,
    ) -> Result<Vec<i64>> {
        let rec = self.store.observation(obs_id).await?;
        let step = match Action::of_move(rec.state, to) {
            Some(Action::Approve) => Some(Step::Approve),
            Some(Action::Return) => Some(Step::Return),
            Some(Action::TakeBack) => Some(Step::TakeBack),
            _ => None,
        };
        if let Some(step) = step {
            return self.review_step(plan_id, user, &[obs_id], step, comment).await;
        }
        let doc = self.store.plan_doc(plan_id).await?;
        let scope = scope_of(user, doc.indicators.iter().find(|i| i.code == rec.indicator));
        let policy = self.policy(plan_id).await?;
        // Impossible moves are the store's to refuse (with the states named).
        if Action::of_move(rec.state, to).is_some() && !policy.may_move(user.role, scope, rec.state, to) {
            return Err(AppError::Forbidden(format!(
                "{} 不能将数据 {obs_id} 从“{}”改为“{}” / a {} may not move observation {obs_id} from {} to {}",
                user.role.as_str(),
                rec.state.as_str(),
                to.as_str(),
                user.role.as_str(),
                rec.state.as_str(),
                to.as_str()
            )));
        }
        if to == ObservationState::Draft && comment.is_none_or(|c| c.trim().is_empty()) {
            return Err(AppError::Invalid(
                "退回时请填写意见 / returning a figure needs a comment".into(),
            ));
        }
        Ok(self
            .store
            .set_state(
                // The store checks that the figure is this plan's, and the
                // reporter's department's.
                &Figures::Ids {
                    plan_id,
                    department: user.department.clone().filter(|_| user.role == Role::Reporter),
                    ids: vec![obs_id],
                },
                to,
                &user.username,
                comment,
            )
            .await?)
    }

    /// Submits draft figures `ids` of department `department` for review
    /// (提交审核), as `user`. Returns the ids moved.
    pub async fn submit_drafts(&self, plan_id: i64, user: &User, department: &str, ids: Vec<i64>) -> Result<Vec<i64>> {
        if !Policy::default().allows(user.role, Action::Submit, Scope::Own, Some(ObservationState::Draft)) {
            return Err(AppError::Forbidden(
                "该角色不提交数据 / this role does not submit figures".into(),
            ));
        }
        Ok(self
            .store
            .set_state(
                &Figures::Ids {
                    plan_id,
                    department: Some(department.to_string()),
                    ids,
                },
                ObservationState::Submitted,
                &user.username,
                None,
            )
            .await?)
    }

    /// The review levels stored for plan `plan_id` (empty: the default one
    /// level).
    pub async fn review_levels(&self, plan_id: i64) -> Result<Vec<Level>> {
        Ok(self.store.review_levels(plan_id).await?)
    }
}

impl App {
    /// Moves every figure of plan `plan_id` one step towards `to`, as
    /// `actor` (the command line's `data review`, for scripts): drafts are
    /// submitted; submitted figures pass the level each waits at; figures
    /// past the last level are published. Returns the ids moved.
    pub async fn review_all(
        &self,
        plan_id: i64,
        actor: &crate::Actor,
        to: ObservationState,
        comment: Option<&str>,
    ) -> Result<Vec<i64>> {
        let policy = self.policy(plan_id).await?;
        let from =
            match to {
                ObservationState::Submitted => ObservationState::Draft,
                ObservationState::Approved => ObservationState::Submitted,
                ObservationState::Published => ObservationState::Approved,
                ObservationState::Draft => return Err(AppError::Invalid(
                    "退回须逐条填写意见，请在审核页面操作 / to return figures to draft, name them in the review page"
                        .into(),
                )),
            };
        if to == ObservationState::Approved {
            let ids: Vec<i64> = self
                .store
                .observations(
                    plan_id,
                    &ObservationQuery {
                        view: View::Latest,
                        ..ObservationQuery::default()
                    },
                )
                .await?
                .into_iter()
                .filter(|r| r.state == ObservationState::Submitted)
                .map(|r| r.id)
                .collect();
            if ids.is_empty() {
                return Ok(ids);
            }
            return self.step_as(plan_id, actor, &ids, Step::Approve, comment).await;
        }
        let action = if to == ObservationState::Published {
            Action::Publish
        } else {
            Action::Submit
        };
        if !policy.allows(actor.role, action, Scope::Own, Some(from)) {
            return Err(AppError::Forbidden(format!(
                "{} 不能执行“{}” / a {} may not {}",
                actor.role.as_str(),
                action.as_str(),
                actor.role.as_str(),
                action.as_str()
            )));
        }
        Ok(self
            .store
            .set_state(&Figures::AllIn { plan_id, state: from }, to, &actor.name, comment)
            .await?)
    }
}
