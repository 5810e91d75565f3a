//! Departments, task items with their annual work-plan entries (年度工作计划),
//! and the progress of key projects (重大项目): what the office tracks
//! besides the indicators.

use crate::audit::Audit;
use crate::db::{check_date, code_cmp, col, enum_str, parse_enum, parse_opt_dec};
use crate::error::{Ctx, Result, StoreError};
use crate::Store;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// A task item of the plan with its responsible (牵头) and co-responsible
/// (配合) departments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub departments: Vec<String>,
    pub co_departments: Vec<String>,
    /// Outline node (c3.s1.i2).
    pub node: Option<String>,
}

/// Status of a work-plan entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkStatus {
    /// 未开始
    NotStarted,
    /// 推进中
    InProgress,
    /// 已完成
    Completed,
    /// 滞后
    Delayed,
}

/// One entry of a task's annual work plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkPlanEntry {
    pub id: i64,
    pub task_id: i64,
    pub task: String,
    pub year: i32,
    pub milestone: String,
    /// `YYYY-MM-DD`.
    pub due_date: Option<String>,
    pub status: WorkStatus,
    pub progress_note: Option<String>,
    pub updated_at: String,
    pub updated_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewWorkPlanEntry {
    pub year: i32,
    pub milestone: String,
    pub due_date: Option<String>,
    pub status: WorkStatus,
    pub progress_note: Option<String>,
}

/// Fields to change on a work-plan entry; `None` keeps the stored value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkPlanUpdate {
    pub milestone: Option<String>,
    /// `Some(None)` clears the due date.
    pub due_date: Option<Option<String>>,
    pub status: Option<WorkStatus>,
    pub progress_note: Option<Option<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectStatus {
    /// 计划
    Planned,
    /// 在建
    UnderConstruction,
    /// 建成
    Completed,
    /// 暂缓
    Suspended,
}

/// A key project: its definition from the plan and its progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Project {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub action: Option<String>,
    pub capacity: Option<String>,
    pub planned_investment: Option<Decimal>,
    pub start_year: Option<i32>,
    pub finish_year: Option<i32>,
    pub departments: Vec<String>,
    pub completed_investment: Option<Decimal>,
    /// `YYYY-MM-DD`.
    pub started_on: Option<String>,
    pub finished_on: Option<String>,
    pub status: ProjectStatus,
    pub progress_note: Option<String>,
    pub updated_at: Option<String>,
    pub updated_by: Option<String>,
}

/// The progress of a key project as the office records it (replaces the
/// stored progress; the audit log keeps the previous one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectProgress {
    pub completed_investment: Option<Decimal>,
    pub started_on: Option<String>,
    pub finished_on: Option<String>,
    pub status: ProjectStatus,
    pub progress_note: Option<String>,
}

fn entry_of(r: &AnyRow) -> Result<WorkPlanEntry> {
    let id: i64 = col(r, "id")?;
    Ok(WorkPlanEntry {
        id,
        task_id: col(r, "task_id")?,
        task: col(r, "task")?,
        year: col(r, "year")?,
        milestone: col(r, "milestone")?,
        due_date: col(r, "due_date")?,
        status: parse_enum("work_plan_entries", id, "status", &col::<String>(r, "status")?)?,
        progress_note: col(r, "progress_note")?,
        updated_at: col(r, "updated_at")?,
        updated_by: col(r, "updated_by")?,
    })
}

const ENTRY_SELECT: &str = "SELECT e.id, e.task_id, t.code AS task, e.year, e.milestone, e.due_date, e.status, \
                            e.progress_note, e.updated_at, e.updated_by FROM work_plan_entries e \
                            JOIN tasks t ON t.id = e.task_id";

fn project_of(r: &AnyRow, departments: Vec<String>) -> Result<Project> {
    let id: i64 = col(r, "id")?;
    Ok(Project {
        id,
        code: col(r, "code")?,
        name: col(r, "name")?,
        action: col(r, "action")?,
        capacity: col(r, "capacity")?,
        planned_investment: parse_opt_dec("projects", id, "planned_investment", col(r, "planned_investment")?)?,
        start_year: col(r, "start_year")?,
        finish_year: col(r, "finish_year")?,
        departments,
        completed_investment: parse_opt_dec("projects", id, "completed_investment", col(r, "completed_investment")?)?,
        started_on: col(r, "started_on")?,
        finished_on: col(r, "finished_on")?,
        status: parse_enum("projects", id, "status", &col::<String>(r, "status")?)?,
        progress_note: col(r, "progress_note")?,
        updated_at: col(r, "updated_at")?,
        updated_by: col(r, "updated_by")?,
    })
}

const PROJECT_SELECT: &str = "SELECT id, code, name, action, capacity, planned_investment, start_year, finish_year, \
                              completed_investment, started_on, finished_on, status, progress_note, updated_at, \
                              updated_by FROM projects";

impl Store {
    /// The plan's active departments, by code.
    pub async fn departments(&self, plan_id: i64) -> Result<Vec<Department>> {
        let rows = sqlx::query("SELECT id, code, name FROM departments WHERE plan_id = $1 AND retired_at IS NULL")
            .bind(plan_id)
            .fetch_all(&self.pool)
            .await
            .ctx(|| format!("listing the departments of plan {plan_id}"))?;
        let mut out = rows
            .iter()
            .map(|r| {
                Ok(Department {
                    id: col(r, "id")?,
                    code: col(r, "code")?,
                    name: col(r, "name")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        out.sort_by(|a, b| code_cmp(&a.code, &b.code));
        Ok(out)
    }

    /// The plan's active task items, by code.
    pub async fn tasks(&self, plan_id: i64) -> Result<Vec<Task>> {
        let doc = self.plan_doc(plan_id).await?;
        let rows = sqlx::query("SELECT id, code FROM tasks WHERE plan_id = $1")
            .bind(plan_id)
            .fetch_all(&self.pool)
            .await
            .ctx(|| format!("listing the tasks of plan {plan_id}"))?;
        let mut ids = HashMap::new();
        for r in &rows {
            ids.insert(col::<String>(r, "code")?, col::<i64>(r, "id")?);
        }
        Ok(doc
            .tasks
            .into_iter()
            .map(|t| Task {
                id: ids[&t.code],
                code: t.code,
                title: t.title,
                departments: t.departments,
                co_departments: t.co_departments,
                node: t.source.node,
            })
            .collect())
    }

    /// Adds an entry to a task's work plan.
    pub async fn add_work_plan_entry(&self, task_id: i64, entry: &NewWorkPlanEntry, actor: &str) -> Result<i64> {
        if let Some(d) = &entry.due_date {
            check_date("due_date", d)?;
        }
        self.write(async |w| {
            let exists = sqlx::query("SELECT id FROM tasks WHERE id = $1")
                .bind(task_id)
                .fetch_optional(&mut *w.tx)
                .await
                .ctx(|| format!("reading task {task_id}"))?;
            if exists.is_none() {
                return Err(StoreError::NotFound {
                    entity: "task",
                    id: task_id,
                });
            }
            let mut audit = Audit::start(&mut w.tx).await?;
            let r = sqlx::query(
            "INSERT INTO work_plan_entries (task_id, year, milestone, due_date, status, progress_note, created_at, \
             created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7, $8) RETURNING id",
        )
        .bind(task_id)
        .bind(entry.year)
        .bind(entry.milestone.clone())
        .bind(entry.due_date.clone())
        .bind(enum_str(&entry.status))
        .bind(entry.progress_note.clone())
        .bind(audit.at().to_string())
        .bind(actor.to_string())
        .fetch_one(&mut *w.tx)
        .await
        .ctx(|| format!("adding a work-plan entry to task {task_id}"))?;
            let id: i64 = col(&r, "id")?;
            audit.track_new("work_plan_entries", "id = $1", &[id]);
            audit.push(
                actor,
                "add_work_plan_entry",
                "work_plan_entry",
                Some(id),
                None::<&()>,
                Some(entry),
            );
            audit.write(w).await?;
            Ok(id)
        })
        .await
    }

    /// The plan's work-plan entries (of one year, or all), by task code,
    /// year and due date.
    pub async fn work_plan_entries(&self, plan_id: i64, year: Option<i32>) -> Result<Vec<WorkPlanEntry>> {
        let rows = sqlx::query(&format!(
            "{ENTRY_SELECT} WHERE t.plan_id = $1 AND ($2 IS NULL OR e.year = $2)"
        ))
        .bind(plan_id)
        .bind(year)
        .fetch_all(&self.pool)
        .await
        .ctx(|| format!("listing the work plan of plan {plan_id}"))?;
        let mut out = rows.iter().map(entry_of).collect::<Result<Vec<_>>>()?;
        out.sort_by(|a, b| {
            code_cmp(&a.task, &b.task)
                .then(a.year.cmp(&b.year))
                .then(a.due_date.cmp(&b.due_date))
                .then(a.id.cmp(&b.id))
        });
        Ok(out)
    }

    pub async fn work_plan_entry(&self, id: i64) -> Result<WorkPlanEntry> {
        let r = sqlx::query(&format!("{ENTRY_SELECT} WHERE e.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .ctx(|| format!("reading work-plan entry {id}"))?
            .ok_or(StoreError::NotFound {
                entity: "work-plan entry",
                id,
            })?;
        entry_of(&r)
    }

    /// Changes the given fields of a work-plan entry.
    pub async fn update_work_plan_entry(&self, id: i64, update: &WorkPlanUpdate, actor: &str) -> Result<WorkPlanEntry> {
        if let Some(Some(d)) = &update.due_date {
            check_date("due_date", d)?;
        }
        self.write(async |w| {
            let r = sqlx::query(&format!("{ENTRY_SELECT} WHERE e.id = $1"))
                .bind(id)
                .fetch_optional(&mut *w.tx)
                .await
                .ctx(|| format!("reading work-plan entry {id}"))?
                .ok_or(StoreError::NotFound {
                    entity: "work-plan entry",
                    id,
                })?;
            let before = entry_of(&r)?;
            let mut audit = Audit::start(&mut w.tx).await?;
            audit.track(&mut w.tx, "work_plan_entries", "id = $1", &[id]).await?;
            let mut after = before.clone();
            if let Some(m) = &update.milestone {
                after.milestone = m.clone();
            }
            if let Some(d) = &update.due_date {
                after.due_date = d.clone();
            }
            if let Some(s) = update.status {
                after.status = s;
            }
            if let Some(n) = &update.progress_note {
                after.progress_note = n.clone();
            }
            after.updated_at = audit.at().to_string();
            after.updated_by = actor.to_string();
            sqlx::query(
                "UPDATE work_plan_entries SET milestone = $1, due_date = $2, status = $3, progress_note = $4, \
             updated_at = $5, updated_by = $6 WHERE id = $7",
            )
            .bind(after.milestone.clone())
            .bind(after.due_date.clone())
            .bind(enum_str(&after.status))
            .bind(after.progress_note.clone())
            .bind(after.updated_at.clone())
            .bind(actor.to_string())
            .bind(id)
            .execute(&mut *w.tx)
            .await
            .ctx(|| format!("updating work-plan entry {id}"))?;
            audit.push(
                actor,
                "update_work_plan_entry",
                "work_plan_entry",
                Some(id),
                Some(&before),
                Some(&after),
            );
            audit.write(w).await?;
            Ok(after)
        })
        .await
    }

    /// The plan's active key projects with their progress, by code.
    pub async fn projects(&self, plan_id: i64) -> Result<Vec<Project>> {
        let rows = sqlx::query(&format!("{PROJECT_SELECT} WHERE plan_id = $1 AND retired_at IS NULL"))
            .bind(plan_id)
            .fetch_all(&self.pool)
            .await
            .ctx(|| format!("listing the projects of plan {plan_id}"))?;
        let links = sqlx::query(
            "SELECT l.project_id, l.position, d.code FROM project_departments l JOIN projects p ON p.id = l.project_id \
             JOIN departments d ON d.id = l.department_id WHERE p.plan_id = $1",
        )
        .bind(plan_id)
        .fetch_all(&self.pool)
        .await
        .ctx(|| format!("reading the project departments of plan {plan_id}"))?;
        let mut depts: HashMap<i64, Vec<(i32, String)>> = HashMap::new();
        for r in &links {
            depts
                .entry(col(r, "project_id")?)
                .or_default()
                .push((col(r, "position")?, col(r, "code")?));
        }
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: i64 = col(r, "id")?;
            let mut d = depts.remove(&id).unwrap_or_default();
            d.sort();
            out.push(project_of(r, d.into_iter().map(|(_, c)| c).collect())?);
        }
        out.sort_by(|a, b| code_cmp(&a.code, &b.code));
        Ok(out)
    }

    /// Records a key project's progress.
    pub async fn update_project_progress(
        &self,
        project_id: i64,
        progress: &ProjectProgress,
        actor: &str,
    ) -> Result<Project> {
        for (field, d) in [
            ("started_on", &progress.started_on),
            ("finished_on", &progress.finished_on),
        ] {
            if let Some(d) = d {
                check_date(field, d)?;
            }
        }
        self.write(async |w| {
            let r = sqlx::query(&format!("{PROJECT_SELECT} WHERE id = $1"))
                .bind(project_id)
                .fetch_optional(&mut *w.tx)
                .await
                .ctx(|| format!("reading project {project_id}"))?
                .ok_or(StoreError::NotFound {
                    entity: "project",
                    id: project_id,
                })?;
            let before = project_of(&r, Vec::new())?;
            let mut audit = Audit::start(&mut w.tx).await?;
            audit.track(&mut w.tx, "projects", "id = $1", &[project_id]).await?;
            sqlx::query(
                "UPDATE projects SET completed_investment = $1, started_on = $2, finished_on = $3, status = $4, \
             progress_note = $5, updated_at = $6, updated_by = $7 WHERE id = $8",
            )
            .bind(progress.completed_investment.map(|v| v.to_string()))
            .bind(progress.started_on.clone())
            .bind(progress.finished_on.clone())
            .bind(enum_str(&progress.status))
            .bind(progress.progress_note.clone())
            .bind(audit.at().to_string())
            .bind(actor.to_string())
            .bind(project_id)
            .execute(&mut *w.tx)
            .await
            .ctx(|| format!("updating the progress of project {project_id}"))?;
            let old = ProjectProgress {
                completed_investment: before.completed_investment,
                started_on: before.started_on.clone(),
                finished_on: before.finished_on.clone(),
                status: before.status,
                progress_note: before.progress_note.clone(),
            };
            audit.push(
                actor,
                "update_project_progress",
                "project",
                Some(project_id),
                Some(&old),
                Some(progress),
            );
            audit.write(w).await
        })
        .await?;
        self.project(project_id).await
    }

    /// One key project with its progress.
    pub async fn project(&self, project_id: i64) -> Result<Project> {
        let r = sqlx::query(&format!("{PROJECT_SELECT} WHERE id = $1"))
            .bind(project_id)
            .fetch_optional(&self.pool)
            .await
            .ctx(|| format!("reading project {project_id}"))?
            .ok_or(StoreError::NotFound {
                entity: "project",
                id: project_id,
            })?;
        let links = sqlx::query(
            "SELECT d.code FROM project_departments l JOIN departments d ON d.id = l.department_id \
             WHERE l.project_id = $1 ORDER BY l.position",
        )
        .bind(project_id)
        .fetch_all(&self.pool)
        .await
        .ctx(|| format!("reading the departments of project {project_id}"))?;
        let departments = links.iter().map(|r| col(r, "code")).collect::<Result<Vec<String>>>()?;
        project_of(&r, departments)
    }
}
