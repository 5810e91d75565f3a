//! What is due (催报): every expected figure of a department that is still
//! open (missing, draft, returned) with its deadline; the completeness
//! table (department × period: expected, entered, submitted, approved,
//! published, overdue); the deadlines; reminders as in-app notices and,
//! when an SMTP server is configured, e-mail.
//!
//! A figure is *expected* for every period of its indicator's frequency
//! that has ended by today, from the plan's first year to its last, for
//! each department that leads (牵头) the indicator, in the plan's own area.
//! Its state is its latest vintage's; the counts are cumulative (an
//! approved figure counts as submitted too). "Today" is a parameter, so
//! that tests fix it.

use crate::mail::{self, SmtpConfig};
use crate::{App, AppError, Result};
use lantu_core::account::Role;
use lantu_core::due::{overdue, periods, Deadline, DueState};
use lantu_core::observation::ObservationState;
use lantu_core::plan::{Frequency, PlanDoc};
use lantu_core::Period;
use lantu_store::{Notice, ObservationQuery, User};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// One expected figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueItem {
    pub department: String,
    pub indicator: String,
    pub name: String,
    pub period: Period,
    pub state: DueState,
    /// `YYYY-MM-DD`.
    pub due: String,
    pub overdue: bool,
}

/// One row of the completeness table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Completeness {
    pub department: String,
    pub department_name: String,
    pub period: String,
    pub expected: usize,
    pub entered: usize,
    pub submitted: usize,
    pub approved: usize,
    pub published: usize,
    pub overdue: usize,
}

/// What a reminder did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReminderReport {
    /// Departments reminded.
    pub departments: Vec<String>,
    /// In-app notices stored.
    pub notices: usize,
    /// E-mails the SMTP server accepted.
    pub emailed: usize,
    /// Why some e-mail was not sent (user: reason).
    pub failures: Vec<String>,
}

/// Whether `period` has ended by `today` (`YYYY-MM-DD`).
fn ended(period: Period, today: &str) -> bool {
    let end = format!("{:04}-{:02}-99", period.calendar_year(), period.end_month());
    today > end.as_str()
}

fn freq_label(f: Frequency) -> &'static str {
    match f {
        Frequency::Annual => "annual",
        Frequency::Quarterly => "quarterly",
        Frequency::Monthly => "monthly",
    }
}

/// Parses `annual`, `quarterly` or `monthly` (or 年度, 季度, 月度).
pub fn parse_frequency(s: &str) -> Option<Frequency> {
    match s.trim() {
        "annual" | "年度" => Some(Frequency::Annual),
        "quarterly" | "季度" => Some(Frequency::Quarterly),
        "monthly" | "月度" => Some(Frequency::Monthly),
        _ => None,
    }
}

fn may_see_completeness(user: &User) -> bool {
    matches!(
        user.role,
        Role::Planner | Role::Reviewer | Role::Administrator | Role::Evaluator
    )
}

fn may_remind(user: &User) -> bool {
    matches!(user.role, Role::Planner | Role::Administrator)
}

impl App {
    /// The deadline rule of each frequency of plan `plan_id` (set, or the
    /// default).
    pub async fn deadlines(&self, plan_id: i64) -> Result<Vec<(Frequency, Deadline)>> {
        let set = self.store.deadlines(plan_id).await?;
        Ok([Frequency::Annual, Frequency::Quarterly, Frequency::Monthly]
            .into_iter()
            .map(|f| (f, set.get(&f).copied().unwrap_or_else(|| Deadline::default_for(f))))
            .collect())
    }

    /// Sets the deadline of plan `plan_id`'s figures of `frequency`
    /// (`annual`: `MM-DD` of the following year; `quarterly`, `monthly`:
    /// days after the period): the planner's or administrator's.
    pub async fn set_deadline(&self, user: &User, plan_id: i64, frequency: &str, rule: &str) -> Result<Deadline> {
        if !may_remind(user) {
            return Err(AppError::Forbidden(
                "只有规划部门可以设置报送期限 / only the planning office sets deadlines".into(),
            ));
        }
        let freq = parse_frequency(frequency).ok_or_else(|| {
            AppError::Invalid(format!(
                "频度“{frequency}”无效：应为 annual、quarterly 或 monthly / unknown frequency `{frequency}`: use annual, quarterly or monthly"
            ))
        })?;
        let d = Deadline::parse(freq, rule).map_err(|e| AppError::Invalid(e.to_string()))?;
        self.store.set_deadline(plan_id, freq, d, &user.username).await?;
        Ok(d)
    }

    /// Every expected figure of plan `plan_id` for the departments `user`
    /// acts for (a reporter its own; staff every department, or the one
    /// asked for), as of `today`.
    async fn expected(
        &self,
        user: &User,
        plan_id: i64,
        department: Option<&str>,
        today: &str,
    ) -> Result<(PlanDoc, Vec<DueItem>)> {
        let department = match user.role {
            Role::Reporter => Some(
                user.department
                    .clone()
                    .ok_or_else(|| AppError::Forbidden("填报员未分配部门 / a reporter without a department".into()))?,
            ),
            r if r.internal() => department.map(str::to_string),
            _ => return Err(AppError::Forbidden("仅限内部用户 / staff only".into())),
        };
        let doc = self.store.plan_doc(plan_id).await?;
        let deadlines: HashMap<Frequency, Deadline> = self.deadlines(plan_id).await?.into_iter().collect();
        let latest = self.store.observations(plan_id, &ObservationQuery::default()).await?;
        let states: HashMap<(&str, Period), ObservationState> = latest
            .iter()
            .filter(|r| r.geography.as_deref().unwrap_or("").is_empty())
            .map(|r| ((r.indicator.as_str(), r.period), r.state))
            .collect();
        let returned = self.store.returned_figures(plan_id).await?;
        let mut out = Vec::new();
        for ind in &doc.indicators {
            let rule = deadlines
                .get(&ind.frequency)
                .copied()
                .unwrap_or_else(|| Deadline::default_for(ind.frequency));
            for dept in &ind.departments {
                if department.as_deref().is_some_and(|d| d != dept) {
                    continue;
                }
                for year in doc.plan.start_year..=doc.plan.end_year {
                    for p in periods(ind.frequency, year) {
                        if !ended(p, today) {
                            continue;
                        }
                        let was_returned = returned.contains(&(ind.code.clone(), p, String::new()));
                        let state = DueState::of(states.get(&(ind.code.as_str(), p)).copied(), was_returned);
                        let due = rule.due_on(p);
                        out.push(DueItem {
                            department: dept.clone(),
                            indicator: ind.code.clone(),
                            name: ind.name.clone(),
                            period: p,
                            overdue: overdue(state, &due, today),
                            state,
                            due,
                        });
                    }
                }
            }
        }
        Ok((doc, out))
    }

    /// What is still asked of `user`'s department (or, for staff, of
    /// `department` or every department): the open expected figures,
    /// overdue first, then by deadline.
    pub async fn due(&self, user: &User, plan_id: i64, department: Option<&str>, today: &str) -> Result<Vec<DueItem>> {
        let (_, items) = self.expected(user, plan_id, department, today).await?;
        let mut open: Vec<DueItem> = items.into_iter().filter(|i| i.state.open()).collect();
        open.sort_by(|a, b| {
            (!a.overdue, &a.due, &a.department, &a.indicator).cmp(&(!b.overdue, &b.due, &b.department, &b.indicator))
        });
        Ok(open)
    }

    /// The completeness table (报送完整性): department × period, as of
    /// `today`. For the planner, the reviewer, the evaluator and the
    /// administrator.
    pub async fn completeness(&self, user: &User, plan_id: i64, today: &str) -> Result<Vec<Completeness>> {
        if !may_see_completeness(user) {
            return Err(AppError::Forbidden(
                "报送完整性仅对规划、统计审核、评估和管理人员开放 / the completeness table is for the planner, reviewer, evaluator and administrator".into(),
            ));
        }
        let (doc, items) = self.expected(user, plan_id, None, today).await?;
        let names: HashMap<&str, &str> = doc
            .departments
            .iter()
            .map(|d| (d.code.as_str(), d.name.as_str()))
            .collect();
        let mut rows: BTreeMap<(String, String), Completeness> = BTreeMap::new();
        for i in &items {
            let key = (i.department.clone(), i.period.to_string());
            let row = rows.entry(key).or_insert_with(|| Completeness {
                department: i.department.clone(),
                department_name: names
                    .get(i.department.as_str())
                    .copied()
                    .unwrap_or(&i.department)
                    .to_string(),
                period: i.period.to_string(),
                ..Completeness::default()
            });
            row.expected += 1;
            let s = i.state;
            row.entered += usize::from(s != DueState::Missing);
            row.submitted += usize::from(matches!(
                s,
                DueState::Submitted | DueState::Approved | DueState::Published
            ));
            row.approved += usize::from(matches!(s, DueState::Approved | DueState::Published));
            row.published += usize::from(s == DueState::Published);
            row.overdue += usize::from(i.overdue);
        }
        Ok(rows.into_values().collect())
    }

    /// Sends reminders about open items to the active reporters of
    /// `department` (or of every department with open items): an in-app
    /// notice each, and an e-mail to those with an address when `smtp` is
    /// given. The planner's or administrator's.
    pub async fn send_reminders(
        &self,
        user: &User,
        plan_id: i64,
        department: Option<&str>,
        today: &str,
        smtp: Option<&SmtpConfig>,
    ) -> Result<ReminderReport> {
        if !may_remind(user) {
            return Err(AppError::Forbidden(
                "只有规划部门可以发送催报提醒 / only the planning office sends reminders".into(),
            ));
        }
        let (doc, items) = self.expected(user, plan_id, department, today).await?;
        if let Some(d) = department {
            if !doc.departments.iter().any(|x| x.code == d) {
                return Err(AppError::Invalid(format!(
                    "规划中没有部门“{d}” / the plan has no department `{d}`"
                )));
            }
        }
        let mut open: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for i in items.iter().filter(|i| i.state.open()) {
            let e = open.entry(i.department.as_str()).or_default();
            e.0 += 1;
            e.1 += usize::from(i.overdue);
        }
        let users = self.store.users().await?;
        let emails = self.store.user_emails().await?;
        let mut report = ReminderReport::default();
        for (dept, (n, late)) in open {
            let name = doc
                .departments
                .iter()
                .find(|d| d.code == dept)
                .map_or(dept, |d| d.name.as_str());
            let subject = format!("催报提醒：{name}尚有 {n} 项数据待报送 / Reminder: {n} figures due");
            let body = format!(
                "{name}：《{}》尚有 {n} 项监测数据待报送，其中 {late} 项已逾期。请登录 Lantu 查看“待办”页面并尽快填报。\n\n\
                 {name}: {n} figures of \"{}\" are still due, {late} of them overdue. Sign in to Lantu and open the Due page.\n\n— {}",
                doc.plan.name, doc.plan.name, user.display_name
            );
            let recipients: Vec<&User> = users
                .iter()
                .filter(|u| u.active && u.role == Role::Reporter && u.department.as_deref() == Some(dept))
                .collect();
            if recipients.is_empty() {
                report
                    .failures
                    .push(format!("{dept}: 该部门没有填报员账户 / no reporter account"));
                continue;
            }
            let ids: Vec<i64> = recipients.iter().map(|u| u.id).collect();
            let notices = self
                .store
                .add_notices(Some(plan_id), &ids, &subject, &body, &user.username)
                .await?;
            report.departments.push(dept.to_string());
            report.notices += notices.len();
            let Some(smtp) = smtp else { continue };
            for (u, notice) in recipients.iter().zip(&notices) {
                let Some(to) = emails.get(&u.id) else { continue };
                match mail::send(smtp, to, &subject, &body).await {
                    Ok(()) => {
                        self.store.mark_notice_emailed(*notice, &user.username).await?;
                        report.emailed += 1;
                    }
                    Err(e) => report.failures.push(format!("{}: {e}", u.username)),
                }
            }
        }
        Ok(report)
    }

    /// `user`'s unread notices.
    pub async fn notices(&self, user: &User) -> Result<Vec<Notice>> {
        Ok(self.store.unread_notices(user.id).await?)
    }

    /// Marks `user`'s notices up to `up_to` read.
    pub async fn mark_notices_read(&self, user: &User, up_to: i64) -> Result<()> {
        Ok(self.store.mark_notices_read(user.id, up_to, &user.username).await?)
    }

    /// Every user's e-mail address, by user id (for the administrator).
    pub async fn emails(&self) -> Result<HashMap<i64, String>> {
        Ok(self.store.user_emails().await?)
    }

    /// Sets or clears (empty) the e-mail address of user `user_id`: the
    /// user's own, or any by the administrator.
    pub async fn set_email(&self, actor: &User, user_id: i64, email: &str) -> Result<()> {
        if actor.id != user_id && actor.role != Role::Administrator {
            return Err(AppError::Forbidden(
                "只能修改自己的邮箱 / you may change your own e-mail address only".into(),
            ));
        }
        let email = email.trim();
        if !email.is_empty() && !mail::valid_address(email) {
            return Err(AppError::Invalid(format!(
                "“{email}”不是有效的电子邮箱地址 / `{email}` is not an e-mail address"
            )));
        }
        let email = (!email.is_empty()).then_some(email);
        Ok(self.store.set_user_email(user_id, email, &actor.username).await?)
    }
}

/// The frequency's name as the API writes it.
pub fn frequency_name(f: Frequency) -> &'static str {
    freq_label(f)
}
