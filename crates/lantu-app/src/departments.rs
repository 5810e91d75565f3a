//! The deployment's department registry (部门名录): the bodies every plan
//! assigns indicators, tasks and projects to, and the departments accounts
//! report for — one use case per step, called alike by `lantu department`,
//! the registry page and the JSON API. Who may change it is
//! [`Action::ManageDepartments`] of the policy (planners and
//! administrators); the store audits each change.

use crate::{Actor, App, AppError, Result};
use lantu_core::policy::{Action, Policy, Scope};
use lantu_store::{RegistryEntry, RegistryFields};

/// A change of the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DepartmentChange {
    /// A new body under a new code.
    Add { code: String, fields: RegistryFields },
    /// New name, short name, parent body or contact; `restore` brings a
    /// retired body back.
    Edit {
        code: String,
        fields: RegistryFields,
        restore: bool,
    },
    /// No longer offered to plans and accounts (refused while one names it).
    Retire { code: String },
}

/// Whether `actor` may change the registry.
pub fn may_manage(actor: &Actor) -> bool {
    Policy::default().allows(actor.role, Action::ManageDepartments, Scope::None, None)
}

impl App {
    /// Every body of the registry, retired ones too, by code.
    pub async fn registry(&self) -> Result<Vec<RegistryEntry>> {
        Ok(self.store.registry().await?)
    }

    /// The bodies plan `plan_id` may assign indicators, tasks and projects
    /// to: every body of the registry that is not retired (the registry is
    /// the deployment's, shared by all its plans).
    pub async fn department_choices(&self, plan_id: i64) -> Result<Vec<RegistryEntry>> {
        if !self.store.plans().await?.iter().any(|p| p.id == plan_id) {
            return Err(AppError::NotFound);
        }
        let mut all = self.store.registry().await?;
        all.retain(|e| e.retired_at.is_none());
        Ok(all)
    }

    /// Changes the registry as `actor`; returns the body as stored after.
    pub async fn change_department(&self, actor: &Actor, change: DepartmentChange) -> Result<RegistryEntry> {
        if !may_manage(actor) {
            return Err(AppError::Forbidden(format!(
                "只有规划人员和管理员能维护部门名录 / only planners and administrators keep the department registry \
                 ({} is a {})",
                actor.name,
                actor.role.as_str()
            )));
        }
        Ok(match change {
            DepartmentChange::Add { code, fields } => {
                self.store.add_registry_entry(&code, &fields, &actor.name).await?
            }
            DepartmentChange::Edit { code, fields, restore } => {
                self.store
                    .update_registry_entry(&code, &fields, restore, &actor.name)
                    .await?
            }
            DepartmentChange::Retire { code } => self.store.retire_registry_entry(&code, &actor.name).await?,
        })
    }

    /// Refuses a department an account may not name: one the registry
    /// lacks or has retired.
    pub(crate) async fn check_account_department(&self, code: Option<&str>) -> Result<()> {
        let Some(code) = code else { return Ok(()) };
        match self.store.registry_entry(code).await {
            Ok(e) if e.retired_at.is_none() => Ok(()),
            Ok(_) => Err(AppError::Invalid(format!(
                "部门 `{code}` 已停用 / department `{code}` is retired"
            ))),
            Err(lantu_store::StoreError::DepartmentNotFound(_)) => Err(AppError::Invalid(format!(
                "部门名录中没有代码 `{code}`，请先添加该部门（lantu department add）/ no department `{code}` in the \
                 registry; add it first (lantu department add)"
            ))),
            Err(e) => Err(e.into()),
        }
    }
}
