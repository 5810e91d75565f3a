//! Data entry (数据填报): which department a user enters for, the
//! indicators and periods its form holds, and figures typed into a form or
//! sent as JSON — read by the same rules as an imported file
//! ([`lantu_data::import::read_rows`]), then saved through the one
//! validation ([`App::save_figures`]).

use crate::{App, AppError, Batch, Result};
use lantu_core::account::Role;
use lantu_core::plan::{Frequency, IndicatorDoc, PlanDoc};
use lantu_core::Period;
use lantu_store::{ImportReport, Transition, User};

pub use lantu_data::import::{FormRow, ImportErrors};

/// The department `user` enters figures for: a reporter its own (asking
/// for another is refused), others the one asked for or the plan's first.
pub fn department_for(user: &User, asked: Option<&str>, doc: &PlanDoc) -> Result<String> {
    let asked = asked.map(str::trim).filter(|d| !d.is_empty());
    match user.role {
        Role::Reporter => {
            let own = user
                .department
                .clone()
                .ok_or_else(|| AppError::Forbidden("填报员未指定部门 / a reporter without a department".into()))?;
            match asked {
                Some(d) if d != own => Err(AppError::Forbidden(format!(
                    "用户 {} 为部门 {own} 填报，不能为 {d} 填报 / user {} reports for department {own}, not {d}",
                    user.username, user.username
                ))),
                _ => Ok(own),
            }
        }
        r if r.can_enter_data() || r.sees_all_departments() => match asked {
            Some(d) if doc.departments.iter().any(|x| x.code == d) => Ok(d.to_string()),
            Some(_) => Err(AppError::NotFound),
            None => doc
                .departments
                .first()
                .map(|d| d.code.clone())
                .ok_or(AppError::NotFound),
        },
        _ => Err(AppError::Forbidden(
            "该角色不填报数据 / this role does not enter data".into(),
        )),
    }
}

/// The indicators department `dept` leads (its form's rows).
pub fn department_indicators<'a>(doc: &'a PlanDoc, dept: &str) -> Vec<&'a IndicatorDoc> {
    doc.indicators
        .iter()
        .filter(|i| i.departments.iter().any(|d| d == dept))
        .collect()
}

/// The periods of `year` an indicator reported at `freq` has.
pub fn periods(freq: Frequency, year: i32) -> Vec<Period> {
    match freq {
        Frequency::Annual => vec![Period::year(year)],
        Frequency::Quarterly => (1..=4).filter_map(|q| Period::quarter(year, q).ok()).collect(),
        Frequency::Monthly => (1..=12).filter_map(|m| Period::month(year, m).ok()).collect(),
    }
}

/// Reads typed rows against plan `doc` (see [`lantu_data::import::read_rows`]).
pub fn read_rows(
    rows: &[FormRow],
    name: &str,
    doc: &PlanDoc,
) -> std::result::Result<Vec<lantu_core::observation::NewObservation>, ImportErrors> {
    lantu_data::import::read_rows(rows, name, doc)
}

impl App {
    /// Stores figures sent as rows (the API): a reporter only its own
    /// department's indicators; each row read as a file's row is, then
    /// the one validation. [`AppError::Unreadable`] lists the rows that
    /// cannot be read (by 1-based position), [`AppError::Refused`] the
    /// figures the validation refuses; nothing is written then.
    pub async fn enter_figures(
        &self,
        user: &User,
        plan_id: i64,
        rows: &[FormRow],
        batch: Batch<'_>,
    ) -> Result<ImportReport> {
        if !user.role.can_enter_data() {
            return Err(AppError::Forbidden(
                "该角色不填报数据 / this role does not enter data".into(),
            ));
        }
        let doc = self.store.plan_doc(plan_id).await?;
        if user.role == Role::Reporter {
            let dept = department_for(user, None, &doc)?;
            let own: Vec<&str> = department_indicators(&doc, &dept)
                .iter()
                .map(|i| i.code.as_str())
                .collect();
            if let Some(r) = rows.iter().find(|r| !own.contains(&r.code.trim())) {
                return Err(AppError::Forbidden(format!(
                    "指标 {} 不由 {dept} 填报 / indicator {} is not reported by {dept}",
                    r.code, r.code
                )));
            }
        }
        let obs = read_rows(rows, batch.source_name, &doc).map_err(AppError::Unreadable)?;
        self.save_figures(plan_id, &obs, batch).await
    }

    /// The state changes of figure `observation_id`, oldest first.
    pub async fn transitions(&self, observation_id: i64) -> Result<Vec<Transition>> {
        Ok(self.store.transitions(observation_id).await?)
    }
}

pub use lantu_data::import::parse_period;

/// Reads a filled form uploaded as `bytes` of a file called `name` (.csv
/// or .xlsx; see [`lantu_data::import::read`]).
pub fn read_file(
    bytes: &[u8],
    name: &str,
    doc: &PlanDoc,
) -> std::result::Result<Vec<lantu_core::observation::NewObservation>, ImportErrors> {
    lantu_data::import::read(bytes, name, doc)
}

impl App {
    /// The form (填报表, .xlsx) of plan `plan_id` for `department` (every
    /// department's indicators when `None`) over `years`, with each
    /// period's previous figure (上期值: the latest vintage of the period
    /// before, the one the validation compares with).
    pub async fn form_template(
        &self,
        plan_id: i64,
        department: Option<&str>,
        years: std::ops::RangeInclusive<i32>,
    ) -> Result<Vec<u8>> {
        let doc = self.store.plan_doc(plan_id).await?;
        let records = self
            .store
            .observations(
                plan_id,
                &lantu_store::ObservationQuery {
                    view: lantu_store::View::Latest,
                    department: department.map(str::to_string),
                    ..Default::default()
                },
            )
            .await?;
        let values: std::collections::HashMap<(&str, Period, &str), rust_decimal::Decimal> = records
            .iter()
            .map(|r| {
                (
                    (r.indicator.as_str(), r.period, r.geography.as_deref().unwrap_or("")),
                    r.value,
                )
            })
            .collect();
        let previous = |code: &str, p: &Period, area: Option<&str>| {
            let before = crate::validation::previous_period(*p)?;
            values.get(&(code, before, area.unwrap_or(""))).copied()
        };
        lantu_data::template::xlsx(&doc, department, years, &previous)
            .map_err(|e| AppError::Invalid(format!("填报表无法生成 / cannot write the form: {e}")))
    }
}
