//! Reading plans: the list a reader may see, one plan's document, an
//! indicator's target versions.

use crate::{App, Result, Visibility};
use lantu_core::plan::PlanDoc;
use lantu_store::{PlanSummary, TargetVersion};

impl App {
    /// The stored plans `vis` may see: the public only those adopted and
    /// made public ([`lantu_core::policy::Publication::plan_public`]);
    /// staff every plan, drafts included.
    pub async fn plans(&self, vis: Visibility) -> Result<Vec<PlanSummary>> {
        let mut plans = self.store.plans().await?;
        if vis == Visibility::Public {
            plans.retain(|p| p.publication().plan_public());
        }
        Ok(plans)
    }

    /// The plan shown to staff when none is named: the first stored one.
    pub async fn default_plan(&self) -> Result<Option<i64>> {
        Ok(self.store.plans().await?.first().map(|p| p.id))
    }

    /// Plan `plan_id`'s document (indicator system, settings, outline).
    pub async fn plan_doc(&self, plan_id: i64) -> Result<PlanDoc> {
        Ok(self.store.plan_doc(plan_id).await?)
    }

    /// Every version of indicator `code`'s target, oldest first.
    pub async fn target_versions(&self, plan_id: i64, code: &str) -> Result<Vec<TargetVersion>> {
        Ok(self.store.target_versions(plan_id, code).await?)
    }
}

/// A change to a plan's settings from the administration page.
#[derive(Debug, Clone, PartialEq)]
pub enum SettingsChange {
    /// The thresholds of the judgement (快于预期, 基本符合预期) and the
    /// tolerance of approximate targets.
    Thresholds {
        ahead_ratio: rust_decimal::Decimal,
        on_track_ratio: rust_decimal::Decimal,
        approx_tolerance: rust_decimal::Decimal,
    },
    /// A department the plan names (its code and name).
    AddDepartment {
        code: String,
        name: String,
    },
    RenameDepartment {
        code: String,
        name: String,
    },
}

impl App {
    /// Changes plan `plan_id`'s settings as `user` (a planner or an
    /// administrator); the changed plan passes [`PlanDoc::validate`] (so
    /// the thresholds stay in order) or nothing is stored.
    pub async fn change_settings(&self, user: &lantu_store::User, plan_id: i64, change: SettingsChange) -> Result<()> {
        use lantu_core::policy::{Action, Policy, Scope};
        if !Policy::default().allows(user.role, Action::EditPlan, Scope::None, None) {
            return Err(crate::AppError::Forbidden(
                "只有管理员和规划部门可修改规划设置 / only administrators and planners change plan settings".into(),
            ));
        }
        let invalid = |m: String| crate::AppError::Invalid(m);
        let mut doc = self.store.plan_doc(plan_id).await?;
        match change {
            SettingsChange::Thresholds {
                ahead_ratio,
                on_track_ratio,
                approx_tolerance,
            } => {
                doc.settings.ahead_ratio = ahead_ratio;
                doc.settings.on_track_ratio = on_track_ratio;
                doc.settings.approx_tolerance = approx_tolerance;
            }
            SettingsChange::AddDepartment { code, name } => {
                let (code, name) = (code.trim().to_string(), name.trim().to_string());
                if code.is_empty() || name.is_empty() {
                    return Err(invalid("部门代码和名称不能为空 / code and name are required".into()));
                }
                if doc.departments.iter().any(|d| d.code == code) {
                    return Err(invalid(format!("部门 {code} 已存在 / department {code} exists")));
                }
                doc.departments.push(lantu_core::plan::DepartmentDoc { code, name });
            }
            SettingsChange::RenameDepartment { code, name } => {
                let name = name.trim().to_string();
                if name.is_empty() {
                    return Err(invalid("部门名称不能为空 / the name is required".into()));
                }
                let d = doc
                    .departments
                    .iter_mut()
                    .find(|d| d.code == code.trim())
                    .ok_or_else(|| invalid(format!("没有部门 {code} / no department {code}")))?;
                d.name = name;
            }
        }
        doc.validate().map_err(|e| invalid(e.to_string()))?;
        self.store.apply_plan(plan_id, &doc, &user.username).await?;
        Ok(())
    }
}

pub use lantu_store::{ApplyReport, Change};

impl App {
    /// Stores `doc` (a TOML indicator system or an extraction's draft) as
    /// a new plan, as `actor` (who may edit plans); returns its id.
    pub async fn import_plan(&self, actor: &crate::Actor, doc: &PlanDoc) -> Result<i64> {
        may_edit_plans(actor)?;
        doc.validate().map_err(|e| crate::AppError::Invalid(e.to_string()))?;
        Ok(self.store.import_plan(doc, &actor.name).await?)
    }

    /// Brings a corrected document back to its plan (`doc.plan.id`): new
    /// and changed definitions are stored, missing ones retired, and a
    /// changed target of an adopted plan becomes a new target version from
    /// `effective_year` (default: this year, inside the plan period).
    pub async fn apply_plan(
        &self,
        actor: &crate::Actor,
        doc: &PlanDoc,
        effective_year: Option<i32>,
    ) -> Result<ApplyReport> {
        may_edit_plans(actor)?;
        let id = doc.plan.id.ok_or_else(|| {
            crate::AppError::Invalid(
                "文件没有 plan.id：请先用 `lantu plan export ID` 导出再修改 / the document has no plan.id: export the plan with `lantu plan export ID` and edit that file"
                    .into(),
            )
        })?;
        doc.validate().map_err(|e| crate::AppError::Invalid(e.to_string()))?;
        Ok(self
            .store
            .apply_plan_with(id, doc, &actor.name, lantu_store::ApplyOptions { effective_year })
            .await?)
    }
}

fn may_edit_plans(actor: &crate::Actor) -> Result<()> {
    use lantu_core::policy::{Action, Policy, Scope};
    if Policy::default().allows(actor.role, Action::EditPlan, Scope::None, None) {
        Ok(())
    } else {
        Err(crate::AppError::Forbidden(
            "只有管理员和规划部门可修改规划 / only administrators and planners change plans".into(),
        ))
    }
}
