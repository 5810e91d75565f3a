//! The validation rules of a plan's indicators, as a planner edits them in
//! the browser or through the API (the TOML of `lantu plan apply` carries
//! them too): changed on the stored plan document, checked and applied
//! with its audit like any other change of the indicator system.

use crate::{App, AppError, Result};
use lantu_core::account::Role;
use lantu_core::policy::{Action, Policy, Scope};
use lantu_core::rules::IndicatorRules;

impl App {
    /// Sets the explicit rules of indicator `code` (an empty set restores
    /// the defaults of its unit and measure). Planners and administrators
    /// only ([`Policy`]).
    pub async fn set_indicator_rules(
        &self,
        plan_id: i64,
        code: &str,
        rules: IndicatorRules,
        role: Role,
        actor: &str,
    ) -> Result<()> {
        if !Policy::default().allows(role, Action::EditPlan, Scope::None, None) {
            return Err(AppError::Forbidden(
                "只有规划人员或管理员可以修改校验规则 / only planners and administrators change validation rules"
                    .into(),
            ));
        }
        if let (Some(min), Some(max)) = (rules.min, rules.max) {
            if min > max {
                return Err(AppError::Invalid(format!(
                    "最小值 {min} 大于最大值 {max} / the lowest value {min} is above the highest {max}"
                )));
            }
        }
        let mut doc = self.store.plan_doc(plan_id).await?;
        let ind = doc
            .indicators
            .iter_mut()
            .find(|i| i.code == code)
            .ok_or(AppError::NotFound)?;
        if ind.rules == rules {
            return Ok(());
        }
        ind.rules = rules;
        doc.validate().map_err(|e| AppError::Invalid(e.to_string()))?;
        self.store.apply_plan(plan_id, &doc, actor).await?;
        Ok(())
    }
}
