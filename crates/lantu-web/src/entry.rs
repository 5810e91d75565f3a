//! Data entry (数据填报) for a department, review (审核) and publication by
//! the statistics bureau, reminders (催报) and administration. Every write
//! goes through the store, which audits it; the web checks who may do
//! what: a department reporter touches its own department's figures only.

use crate::auth::{NewUser, Role, RoleLabel, User};
use crate::error::WebError;
use crate::format::{dec, with_unit};
use crate::i18n::t;
use crate::view::state_label;
use crate::{query_param, AppState, Ctx};
use axum::extract::{Multipart, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Form;
use lantu_app::assess::today;
use lantu_core::observation::{NewObservation, ObservationState};
use lantu_core::plan::{DepartmentDoc, Frequency, IndicatorDoc, PlanDoc};
use lantu_core::Period;
use lantu_store::{Figures, ObservationRecord, UserUpdate};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::HashMap;
use std::str::FromStr;

use crate::{respond, PageResult};

/// The value of a form or query field.
fn field<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

pub(crate) async fn plan_id(state: &AppState, value: Option<&str>) -> Result<i64, WebError> {
    match value.and_then(|v| v.trim().parse().ok()) {
        Some(id) => Ok(id),
        None => state.default_plan().await?.ok_or(WebError::NotFound),
    }
}

/// The department a user may enter data for: a reporter its own (asking for
/// another is refused), others the one asked for or the plan's first.
pub(crate) fn department_for(user: &User, asked: Option<&str>, doc: &PlanDoc) -> Result<String, WebError> {
    let asked = asked.map(str::trim).filter(|d| !d.is_empty());
    match user.role {
        Role::Reporter => {
            let own = user
                .department
                .clone()
                .ok_or_else(|| WebError::Forbidden("a reporter without a department".into()))?;
            match asked {
                Some(d) if d != own => Err(WebError::Forbidden(format!(
                    "user {} reports for department {own}, not {d}",
                    user.username
                ))),
                _ => Ok(own),
            }
        }
        r if r.can_enter_data() || r.sees_all_departments() => match asked {
            Some(d) if doc.departments.iter().any(|x| x.code == d) => Ok(d.to_string()),
            Some(_) => Err(WebError::NotFound),
            None => doc
                .departments
                .first()
                .map(|d| d.code.clone())
                .ok_or(WebError::NotFound),
        },
        _ => Err(WebError::Forbidden("this role does not enter data".into())),
    }
}

/// Indicators a department leads (牵头), the ones it reports.
pub(crate) fn department_indicators<'a>(doc: &'a PlanDoc, dept: &str) -> Vec<&'a IndicatorDoc> {
    doc.indicators
        .iter()
        .filter(|i| i.departments.iter().any(|d| d == dept))
        .collect()
}

pub(crate) fn periods(freq: Frequency, year: i32) -> Vec<Period> {
    match freq {
        Frequency::Annual => vec![Period::year(year)],
        Frequency::Quarterly => (1..=4).filter_map(|q| Period::quarter(year, q).ok()).collect(),
        Frequency::Monthly => (1..=12).filter_map(|m| Period::month(year, m).ok()).collect(),
    }
}

fn previous(p: Period) -> Period {
    let y = p.calendar_year();
    if let Some(q) = p.quarter_number() {
        return if q == 1 {
            Period::quarter(y - 1, 4).unwrap_or(p)
        } else {
            Period::quarter(y, q - 1).unwrap_or(p)
        };
    }
    if let Some(m) = p.month_number() {
        return if m == 1 {
            Period::month(y - 1, 12).unwrap_or(p)
        } else {
            Period::month(y, m - 1).unwrap_or(p)
        };
    }
    Period::year(y - 1)
}

#[derive(Serialize)]
struct GridRow {
    key: String,
    code: String,
    name: String,
    unit: String,
    period: String,
    previous: Option<String>,
    value: String,
    source: String,
    note: String,
    state: Option<&'static str>,
    state_label: Option<&'static str>,
    locked: bool,
    comment: Option<String>,
    error: Option<String>,
}

pub(crate) fn year_of(ctx_year: Option<&str>, doc: &PlanDoc) -> i32 {
    let (_, now) = today();
    ctx_year
        .and_then(|y| y.trim().parse().ok())
        .unwrap_or(now - 1)
        .clamp(doc.plan.start_year - 1, doc.plan.end_year)
}

struct EntryInput {
    plan: i64,
    dept: String,
    year: i32,
    doc: PlanDoc,
    user: User,
}

async fn entry_input(state: &AppState, ctx: &Ctx, pairs: &[(String, String)]) -> Result<EntryInput, WebError> {
    let user = ctx.require_internal()?.clone();
    if !user.role.can_enter_data() {
        return Err(WebError::Forbidden("this role does not enter data".into()));
    }
    let plan = plan_id(state, field(pairs, "plan")).await?;
    let doc = state.store().plan_doc(plan).await?;
    let dept = department_for(&user, field(pairs, "department"), &doc)?;
    let year = year_of(field(pairs, "year"), &doc);
    Ok(EntryInput {
        plan,
        dept,
        year,
        doc,
        user,
    })
}

async fn render_entry(
    state: &AppState,
    ctx: &Ctx,
    input: &EntryInput,
    typed: &HashMap<String, (String, String, String)>,
    errors: &HashMap<String, String>,
    messages: Vec<String>,
    flash: Option<(String, bool)>,
) -> PageResult {
    let records = state.latest_records(input.plan, Some(&input.dept)).await?;
    let by_key: HashMap<(String, Period), &ObservationRecord> =
        records.iter().map(|r| ((r.indicator.clone(), r.period), r)).collect();
    let mut rows = Vec::new();
    let (mut drafts, mut submitted) = (0, 0);
    for r in &records {
        match r.state {
            ObservationState::Draft => drafts += 1,
            ObservationState::Submitted => submitted += 1,
            _ => {}
        }
    }
    for ind in department_indicators(&input.doc, &input.dept) {
        let unit = ind.unit.clone().unwrap_or_default();
        for p in periods(ind.frequency, input.year) {
            let key = format!("{}|{}", ind.code, p);
            let rec = by_key.get(&(ind.code.clone(), p));
            let prev = by_key
                .get(&(ind.code.clone(), previous(p)))
                .map(|r| with_unit(&dec(r.value), &unit));
            let comment = match rec {
                Some(r) if r.state == ObservationState::Draft && r.vintage >= 1 => state
                    .store()
                    .transitions(r.id)
                    .await?
                    .into_iter()
                    .rev()
                    .find(|tr| tr.to == ObservationState::Draft)
                    .and_then(|tr| tr.comment.map(|c| format!("{}: {c}", tr.actor))),
                _ => None,
            };
            let (value, source, note) = match typed.get(&key) {
                Some((v, s, n)) => (v.clone(), s.clone(), n.clone()),
                None => (
                    rec.map(|r| dec(r.value)).unwrap_or_default(),
                    rec.and_then(|r| r.source.clone()).unwrap_or_default(),
                    rec.and_then(|r| r.note.clone()).unwrap_or_default(),
                ),
            };
            rows.push(GridRow {
                error: errors.get(&key).cloned(),
                key,
                code: ind.code.clone(),
                name: ind.name.clone(),
                unit: unit.clone(),
                period: p.to_string(),
                previous: prev,
                value,
                source,
                note,
                state: rec.map(|r| r.state.as_str()),
                state_label: rec.map(|r| state_label(ctx.lang, r.state)),
                locked: rec.is_some_and(|r| r.state == ObservationState::Submitted),
                comment,
            });
        }
    }
    let v = state.plan_view(input.plan, None, ctx.visibility()).await?;
    let departments: Vec<(String, String, bool)> = if input.user.role == Role::Reporter {
        Vec::new()
    } else {
        input
            .doc
            .departments
            .iter()
            .map(|d| (d.code.clone(), d.name.clone(), d.code == input.dept))
            .collect()
    };
    let years: Vec<i32> = (input.doc.plan.start_year - 1..=input.doc.plan.end_year).collect();
    let page = minijinja::context! {
        rows => rows,
        plan_id => input.plan,
        department => input.dept.clone(),
        department_name => v.department_name(&input.dept),
        departments => departments,
        year => input.year,
        years => years,
        drafts => drafts,
        submitted => submitted,
        messages => messages,
    };
    let status = if errors.is_empty() && messages.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut resp = state.page_flash(ctx, Some(&v), "data_entry", "entry.html", page, flash)?;
    *resp.status_mut() = status;
    Ok(resp)
}

pub async fn entry(State(state): State<AppState>, ctx: Ctx) -> Response {
    let r = async {
        let pairs = crate::serde_urlencoded_pairs(&ctx.query);
        let input = entry_input(&state, &ctx, &pairs).await?;
        render_entry(&state, &ctx, &input, &HashMap::new(), &HashMap::new(), Vec::new(), None).await
    }
    .await;
    respond(&ctx, r)
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Checks that every figure belongs to the department's indicators.
fn own_only(doc: &PlanDoc, dept: &str, obs: &[NewObservation]) -> Result<(), WebError> {
    let own: Vec<&str> = department_indicators(doc, dept)
        .iter()
        .map(|i| i.code.as_str())
        .collect();
    match obs.iter().find(|o| !own.contains(&o.indicator.as_str())) {
        Some(o) => Err(WebError::Forbidden(format!(
            "indicator {} is not reported by department {dept}",
            o.indicator
        ))),
        None => Ok(()),
    }
}

/// Stores a department's figures from the grid or an upload: its own
/// indicators only, and figures under review (submitted) are left as they
/// are; then shows the grid again with what was saved.
async fn save(state: &AppState, ctx: &Ctx, input: &EntryInput, obs: Vec<NewObservation>, source: &str) -> PageResult {
    own_only(&input.doc, &input.dept, &obs)?;
    let records = state.latest_records(input.plan, Some(&input.dept)).await?;
    let locked: Vec<(String, Period)> = records
        .iter()
        .filter(|r| r.state == ObservationState::Submitted)
        .map(|r| (r.indicator.clone(), r.period))
        .collect();
    let obs: Vec<NewObservation> = obs
        .into_iter()
        .filter(|o| !locked.contains(&(o.indicator.clone(), o.period)))
        .collect();
    let report = state
        .store()
        .import_observations(input.plan, &obs, &input.user.username, source, None)
        .await?;
    state.changed();
    let msg = saved_message(ctx, &report);
    render_entry(
        state,
        ctx,
        input,
        &HashMap::new(),
        &HashMap::new(),
        Vec::new(),
        Some((msg, true)),
    )
    .await
}

fn saved_message(ctx: &Ctx, r: &lantu_store::ImportReport) -> String {
    ctx.lang
        .pick(
            &format!(
                "已保存：新增 {} 条，修订 {} 条，未变 {} 条。",
                r.inserted, r.revised, r.unchanged
            ),
            &format!(
                "Saved: {} new, {} revised, {} unchanged.",
                r.inserted, r.revised, r.unchanged
            ),
        )
        .to_string()
}

pub async fn entry_save(State(state): State<AppState>, ctx: Ctx, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let r = async {
        let input = entry_input(&state, &ctx, &pairs).await?;
        // Rows typed in the grid: v|CODE|PERIOD, s|…, n|….
        let mut typed: HashMap<String, (String, String, String)> = HashMap::new();
        let mut order: Vec<String> = Vec::new();
        for (k, v) in &pairs {
            let Some((kind, key)) = k.split_once('|') else { continue };
            if !matches!(kind, "v" | "s" | "n") {
                continue;
            }
            let e = typed.entry(key.to_string()).or_insert_with(|| {
                order.push(key.to_string());
                Default::default()
            });
            match kind {
                "v" => e.0 = v.trim().to_string(),
                "s" => e.1 = v.trim().to_string(),
                _ => e.2 = v.trim().to_string(),
            }
        }
        let own: Vec<&str> = department_indicators(&input.doc, &input.dept)
            .iter()
            .map(|i| i.code.as_str())
            .collect();
        for key in &order {
            let code = key.split('|').next().unwrap_or("");
            if !own.contains(&code) {
                return Err(WebError::Forbidden(format!(
                    "indicator {code} is not reported by department {}",
                    input.dept
                )));
            }
        }
        // The same validation as an imported file: the grid becomes a CSV.
        let mut csv = String::from("指标代码 Code,期间 Period,数值 Value,数据来源 Source,备注 Notes\n");
        let mut rows: Vec<&String> = Vec::new();
        for key in &order {
            let (v, s, n) = &typed[key];
            if v.is_empty() {
                continue;
            }
            let (code, period) = key.split_once('|').unwrap_or((key, ""));
            csv.push_str(&format!(
                "{},{},{},{},{}\n",
                csv_field(code),
                csv_field(period),
                csv_field(v),
                csv_field(s),
                csv_field(n)
            ));
            rows.push(key);
        }
        if rows.is_empty() {
            let msg = ctx.lang.pick("没有填写任何数值。", "No value was entered.").to_string();
            return render_entry(
                &state,
                &ctx,
                &input,
                &typed,
                &HashMap::new(),
                Vec::new(),
                Some((msg, false)),
            )
            .await;
        }
        let obs = match lantu_data::import::read(csv.as_bytes(), "web-form.csv", &input.doc) {
            Ok(obs) => obs,
            Err(errors) => {
                let mut cells = HashMap::new();
                let mut messages = Vec::new();
                for e in errors.errors {
                    match e.row.and_then(|r| r.checked_sub(2)).and_then(|i| rows.get(i)) {
                        Some(key) => {
                            cells.insert((*key).clone(), e.message.clone());
                        }
                        None => messages.push(e.message.clone()),
                    }
                }
                return render_entry(&state, &ctx, &input, &typed, &cells, messages, None).await;
            }
        };
        save(&state, &ctx, &input, obs, "网页填报 web form").await
    }
    .await;
    respond(&ctx, r)
}

pub async fn upload(State(state): State<AppState>, ctx: Ctx, mut multipart: Multipart) -> Response {
    let r = async {
        let mut pairs = crate::serde_urlencoded_pairs(&ctx.query);
        let mut file: Option<(String, Vec<u8>)> = None;
        while let Some(f) = multipart
            .next_field()
            .await
            .map_err(|e| WebError::BadRequest(format!("the upload cannot be read: {e}")))?
        {
            let name = f.name().unwrap_or("").to_string();
            if name == "file" {
                let filename = f.file_name().unwrap_or("upload.xlsx").to_string();
                let bytes = f.bytes().await.map_err(|e| WebError::BadRequest(e.to_string()))?;
                file = Some((filename, bytes.to_vec()));
            } else if let Ok(text) = f.text().await {
                pairs.push((name, text));
            }
        }
        let input = entry_input(&state, &ctx, &pairs).await?;
        let Some((filename, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
            let msg = ctx
                .lang
                .pick("请选择要上传的文件。", "Choose a file to upload.")
                .to_string();
            return render_entry(
                &state,
                &ctx,
                &input,
                &HashMap::new(),
                &HashMap::new(),
                Vec::new(),
                Some((msg, false)),
            )
            .await;
        };
        let obs = match lantu_data::import::read(&bytes, &filename, &input.doc) {
            Ok(o) => o,
            Err(errors) => {
                let messages = errors.to_string().lines().map(str::to_string).collect();
                return render_entry(&state, &ctx, &input, &HashMap::new(), &HashMap::new(), messages, None).await;
            }
        };
        save(&state, &ctx, &input, obs, &filename).await
    }
    .await;
    respond(&ctx, r)
}

pub async fn submit(State(state): State<AppState>, ctx: Ctx, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let r = async {
        let input = entry_input(&state, &ctx, &pairs).await?;
        let records = state.latest_records(input.plan, Some(&input.dept)).await?;
        let ids: Vec<i64> = records
            .iter()
            .filter(|r| r.state == ObservationState::Draft)
            .map(|r| r.id)
            .collect();
        let msg = if ids.is_empty() {
            ctx.lang
                .pick("没有需要提交的草稿。", "There are no drafts to submit.")
                .to_string()
        } else {
            let moved = state
                .store()
                .set_state(
                    &Figures::Ids {
                        plan_id: input.plan,
                        department: Some(input.dept.clone()),
                        ids,
                    },
                    ObservationState::Submitted,
                    &input.user.username,
                    None,
                )
                .await?;
            state.changed();
            ctx.lang
                .pick(
                    &format!("已提交 {} 条数据，等待统计部门审核。", moved.len()),
                    &format!("Submitted {} figures for review.", moved.len()),
                )
                .to_string()
        };
        render_entry(
            &state,
            &ctx,
            &input,
            &HashMap::new(),
            &HashMap::new(),
            Vec::new(),
            Some((msg, true)),
        )
        .await
    }
    .await;
    respond(&ctx, r)
}

pub async fn template(State(state): State<AppState>, ctx: Ctx) -> Response {
    let r = async {
        let pairs = crate::serde_urlencoded_pairs(&ctx.query);
        let input = entry_input(&state, &ctx, &pairs).await?;
        let records = state.latest_records(input.plan, Some(&input.dept)).await?;
        let values: HashMap<(String, Period), Decimal> = records
            .iter()
            .map(|r| ((r.indicator.clone(), r.period), r.value))
            .collect();
        let prev = |code: &str, p: &Period, _area: Option<&str>| values.get(&(code.to_string(), previous(*p))).copied();
        let bytes = lantu_data::template::xlsx(&input.doc, Some(&input.dept), input.year..=input.year, &prev)
            .map_err(|e| WebError::BadRequest(e.to_string()))?;
        let name = format!("lantu-{}-{}-{}.xlsx", input.plan, input.dept, input.year);
        Ok((
            [
                (
                    header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
                ),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            ],
            bytes,
        )
            .into_response())
    }
    .await;
    respond(&ctx, r)
}

// ------------------------------------------------------------------- admin

#[derive(Serialize)]
struct UserRow {
    id: i64,
    username: String,
    display_name: String,
    role: &'static str,
    role_label: &'static str,
    /// Code, for the edit form.
    department: Option<String>,
    active: bool,
}

async fn render_admin(state: &AppState, ctx: &Ctx, plan: i64, flash: Option<(String, bool)>) -> PageResult {
    let user = ctx.require_internal()?;
    if !(user.role.can_admin() || user.role.can_edit_settings()) {
        return Err(WebError::Forbidden(
            "administration is for administrators and planners".into(),
        ));
    }
    let v = state.plan_view(plan, None, ctx.visibility()).await?;
    let users: Vec<UserRow> = if user.role.can_admin() {
        state
            .users()
            .await?
            .into_iter()
            .map(|u| UserRow {
                id: u.id,
                role: u.role.as_str(),
                role_label: u.role.label(ctx.lang),
                department: u.department,
                username: u.username,
                display_name: u.display_name,
                active: u.active,
            })
            .collect()
    } else {
        Vec::new()
    };
    let roles: Vec<(&str, &str)> = Role::ALL.iter().map(|r| (r.as_str(), r.label(ctx.lang))).collect();
    let s = &v.doc.settings;
    let page = minijinja::context! {
        plan_id => plan,
        users => users,
        roles => roles,
        is_admin => user.role.can_admin(),
        departments => v.doc.departments.iter().map(|d| (d.code.clone(), d.name.clone())).collect::<Vec<_>>(),
        department_codes => v.doc.departments.iter().map(|d| d.code.clone()).collect::<Vec<_>>(),
        ahead_ratio => dec(s.ahead_ratio),
        on_track_ratio => dec(s.on_track_ratio),
        approx_tolerance => dec(s.approx_tolerance),
    };
    state.page_flash(ctx, Some(&v), "admin", "admin.html", page, flash)
}

pub async fn admin(State(state): State<AppState>, ctx: Ctx) -> Response {
    let r = async {
        let plan = plan_id(&state, query_param(&ctx.query, "plan").as_deref()).await?;
        render_admin(&state, &ctx, plan, None).await
    }
    .await;
    respond(&ctx, r)
}

pub async fn admin_users(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let r = async {
        let me = ctx.require_internal()?.clone();
        if !me.role.can_admin() {
            return Err(WebError::Forbidden("only administrators manage users".into()));
        }
        let plan = plan_id(&state, field(&pairs, "plan")).await?;
        let get = |k: &str| field(&pairs, k).unwrap_or("").trim().to_string();
        let msg = match get("action").as_str() {
            "create" => {
                let role = Role::parse(&get("role")).ok_or_else(|| WebError::BadRequest("unknown role".into()))?;
                let u = state
                    .add_user(
                        NewUser {
                            username: get("username"),
                            display_name: get("display_name"),
                            role,
                            department: Some(get("department")).filter(|d| !d.is_empty() && role == Role::Reporter),
                            password: field(&pairs, "password").unwrap_or("").to_string(),
                        },
                        &me.username,
                    )
                    .await?;
                tracing::info!(admin = %me.username, user = %u.username, role = u.role.as_str(), "user created");
                format!("{} {}", t(ctx.lang, "add"), u.username)
            }
            a @ ("activate" | "deactivate") => {
                let id: i64 = get("id").parse().map_err(|_| WebError::BadRequest("id".into()))?;
                if id == me.id {
                    return Err(WebError::BadRequest("you cannot deactivate yourself".into()));
                }
                let active = a == "activate";
                let update = UserUpdate {
                    active: Some(active),
                    ..Default::default()
                };
                let u = state
                    .inner
                    .users
                    .update(state.store(), id, &update, &me.username)
                    .await?;
                tracing::info!(admin = %me.username, user = %u.username, active, "user changed");
                format!("{} {}", t(ctx.lang, "updated"), u.username)
            }
            "reset" => {
                let id: i64 = get("id").parse().map_err(|_| WebError::BadRequest("id".into()))?;
                let pw = field(&pairs, "password").unwrap_or("");
                let u = state
                    .inner
                    .users
                    .set_password(state.store(), id, pw, state.config().hash_cost, &me.username)
                    .await?;
                tracing::info!(admin = %me.username, user = %u.username, "password reset");
                format!("{} {}", t(ctx.lang, "updated"), u.username)
            }
            "update" => {
                let id: i64 = get("id").parse().map_err(|_| WebError::BadRequest("id".into()))?;
                let role = Role::parse(&get("role")).ok_or_else(|| WebError::BadRequest("unknown role".into()))?;
                if id == me.id && role != me.role {
                    return Err(WebError::BadRequest("you cannot change your own role".into()));
                }
                let update = UserUpdate {
                    display_name: Some(get("display_name")).filter(|n| !n.is_empty()),
                    role: Some(role),
                    department: Some(Some(get("department")).filter(|d| !d.is_empty())),
                    ..Default::default()
                };
                let u = state
                    .inner
                    .users
                    .update(state.store(), id, &update, &me.username)
                    .await?;
                tracing::info!(admin = %me.username, user = %u.username, role = u.role.as_str(), "user changed");
                format!("{} {}", t(ctx.lang, "updated"), u.username)
            }
            _ => return Err(WebError::BadRequest("unknown action".into())),
        };
        render_admin(&state, &ctx, plan, Some((msg, true))).await
    }
    .await;
    respond(&ctx, r)
}

pub async fn admin_settings(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let r = async {
        let me = ctx.require_internal()?.clone();
        if !me.role.can_edit_settings() {
            return Err(WebError::Forbidden("only administrators and planners change plan settings".into()));
        }
        let plan = plan_id(&state, field(&pairs, "plan")).await?;
        let mut doc = state.store().plan_doc(plan).await?;
        let get = |k: &str| field(&pairs, k).unwrap_or("").trim().to_string();
        match get("action").as_str() {
            "settings" => {
                let num = |k: &str| {
                    Decimal::from_str(&get(k)).map_err(|_| WebError::BadRequest(format!("{k}: `{}` is not a number", get(k))))
                };
                let (a, o, x) = (num("ahead_ratio")?, num("on_track_ratio")?, num("approx_tolerance")?);
                if !(o > Decimal::ZERO && a > o && x >= Decimal::ZERO && x < Decimal::ONE) {
                    return Err(WebError::BadRequest(
                        "需要 0 < 基本符合阈值 < 快于预期阈值，0 ≤ 容差 < 1 / need 0 < on-track < ahead and 0 ≤ tolerance < 1"
                            .into(),
                    ));
                }
                doc.settings.ahead_ratio = a;
                doc.settings.on_track_ratio = o;
                doc.settings.approx_tolerance = x;
            }
            "add_department" => {
                let (code, name) = (get("code"), get("name"));
                if code.is_empty() || name.is_empty() {
                    return Err(WebError::BadRequest("部门代码和名称不能为空 / code and name are required".into()));
                }
                if doc.departments.iter().any(|d| d.code == code) {
                    return Err(WebError::BadRequest(format!("department {code} exists")));
                }
                doc.departments.push(DepartmentDoc { code, name });
            }
            "rename_department" => {
                let (code, name) = (get("code"), get("name"));
                if name.is_empty() {
                    return Err(WebError::BadRequest("部门名称不能为空 / the name is required".into()));
                }
                let d = doc
                    .departments
                    .iter_mut()
                    .find(|d| d.code == code)
                    .ok_or_else(|| WebError::BadRequest(format!("no department {code}")))?;
                d.name = name;
            }
            _ => return Err(WebError::BadRequest("unknown action".into())),
        }
        state.store().apply_plan(plan, &doc, &me.username).await?;
        state.changed();
        render_admin(&state, &ctx, plan, Some((t(ctx.lang, "settings_saved").to_string(), true))).await
    }
    .await;
    respond(&ctx, r)
}
