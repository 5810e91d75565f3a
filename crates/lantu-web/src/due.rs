//! What is due (催报): the reporting state of each department's figures
//! for a year, and the reminders sent about it.

use crate::auth::Role;
use crate::entry::{department_indicators, periods, plan_id, year_of};
use crate::{query_param, respond, AppState, Ctx};
use axum::extract::State;
use axum::response::Response;
use lantu_app::assess::today;
use lantu_core::observation::ObservationState;
use lantu_core::plan::DepartmentDoc;
use lantu_core::Period;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Serialize)]
struct ReminderRow {
    code: String,
    name: String,
    expected: usize,
    missing: usize,
    draft: usize,
    submitted: usize,
    approved: usize,
    published: usize,
    due: usize,
    overdue: bool,
    entry_url: String,
}

pub async fn reminders(State(state): State<AppState>, ctx: Ctx) -> Response {
    let r = async {
        let user = ctx.require_internal()?.clone();
        let plan = plan_id(&state, query_param(&ctx.query, "plan").as_deref()).await?;
        let v = state.plan_view(plan, None, ctx.visibility()).await?;
        let doc = &v.doc;
        let year = year_of(query_param(&ctx.query, "year").as_deref(), doc);
        let records = state.latest_records(plan, None).await?;
        let states: HashMap<(&str, Period), ObservationState> = records
            .iter()
            .map(|r| ((r.indicator.as_str(), r.period), r.state))
            .collect();
        let deadline = format!("{}-{}", year + 1, state.config().annual_deadline);
        let (today, _) = today();
        let mut rows = Vec::new();
        let departments: Vec<&DepartmentDoc> = doc
            .departments
            .iter()
            .filter(|d| user.role != Role::Reporter || user.department.as_deref() == Some(d.code.as_str()))
            .collect();
        for d in departments {
            let mut row = ReminderRow {
                code: d.code.clone(),
                name: d.name.clone(),
                expected: 0,
                missing: 0,
                draft: 0,
                submitted: 0,
                approved: 0,
                published: 0,
                due: 0,
                overdue: false,
                entry_url: format!(
                    "/entry?plan={plan}&department={}&year={year}",
                    crate::view::enc(&d.code)
                ),
            };
            for ind in department_indicators(doc, &d.code) {
                for p in periods(ind.frequency, year) {
                    row.expected += 1;
                    match states.get(&(ind.code.as_str(), p)) {
                        None => row.missing += 1,
                        Some(ObservationState::Draft) => row.draft += 1,
                        Some(ObservationState::Submitted) => row.submitted += 1,
                        Some(ObservationState::Approved) => row.approved += 1,
                        Some(ObservationState::Published) => row.published += 1,
                    }
                }
            }
            row.due = row.missing + row.draft;
            row.overdue = row.due > 0 && today.as_str() > deadline.as_str();
            if row.expected > 0 {
                rows.push(row);
            }
        }
        rows.sort_by_key(|r| (!r.overdue, std::cmp::Reverse(r.due), r.code.clone()));
        let years: Vec<i32> = (doc.plan.start_year - 1..=doc.plan.end_year).collect();
        let page = minijinja::context! {
            rows => rows, year => year, years => years, deadline => deadline, plan_id => plan,
        };
        state.page(&ctx, Some(&v), "reminders", "reminders.html", page)
    }
    .await;
    respond(&ctx, r)
}
