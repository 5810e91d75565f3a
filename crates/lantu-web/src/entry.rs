//! Data entry (数据填报) for a department: the grid, the upload, the
//! submission, the correction of a published figure and the .xlsx form.
//! The use cases of `lantu_app::entry` decide which department a user
//! enters for; every figure passes the application's one validation.

use crate::auth::{Role, User};
use crate::error::WebError;
use crate::format::{dec, with_unit};
use crate::view::state_label;
use crate::{AppState, Ctx};
use axum::extract::{Multipart, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Form;
use lantu_app::assess::today;
use lantu_app::Batch;
use lantu_app::ObservationRecord;
use lantu_core::messages::Lang;
use lantu_core::observation::{NewObservation, ObservationState, VintageKind};
use lantu_core::plan::PlanDoc;
use lantu_core::rules::Severity;
use lantu_core::Period;
use serde::Serialize;
use std::collections::HashMap;

use crate::{respond, PageResult};

/// The value of a form or query field.
pub(crate) fn field<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

pub(crate) async fn plan_id(state: &AppState, value: Option<&str>) -> Result<i64, WebError> {
    match value.and_then(|v| v.trim().parse().ok()) {
        Some(id) => Ok(id),
        None => state.default_plan().await?.ok_or(WebError::NotFound),
    }
}

pub(crate) use lantu_app::entry::{department_for, department_indicators, periods};

/// The period before `p` (the grid's 上期值).
fn previous(p: Period) -> Period {
    lantu_app::validation::previous_period(p).unwrap_or(p)
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
    /// Why a figure that needed a comment is right (typed or stored).
    explanation: String,
    state: Option<&'static str>,
    state_label: Option<&'static str>,
    /// Under review (submitted or approved): read-only until returned.
    locked: bool,
    /// Published: read-only; a change is a correction with a reason.
    published: bool,
    /// The stored vintage is a correction of a published figure.
    correction: bool,
    comment: Option<String>,
    error: Option<String>,
    /// The figure breaks a warning rule: a comment is asked for.
    warning: bool,
}

/// A draft the submit button would send, as listed beside it.
#[derive(Serialize)]
struct Pending {
    code: String,
    name: String,
    period: String,
    value: String,
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
    let doc = state.app().plan_doc(plan).await?;
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

/// What the grid shows again after a refused save: the cells as typed
/// (value, source, note, comment), and per cell its message and whether it
/// is a warning that asks for a comment.
#[derive(Default)]
struct Typed {
    cells: HashMap<String, (String, String, String, String)>,
    errors: HashMap<String, (String, bool)>,
}

async fn render_entry(
    state: &AppState,
    ctx: &Ctx,
    input: &EntryInput,
    typed: &Typed,
    messages: Vec<String>,
    flash: Option<(String, bool)>,
) -> PageResult {
    let records = state.latest_records(input.plan, Some(&input.dept)).await?;
    let by_key: HashMap<(String, Period), &ObservationRecord> =
        records.iter().map(|r| ((r.indicator.clone(), r.period), r)).collect();
    let mut rows = Vec::new();
    let names: HashMap<&str, &str> = input
        .doc
        .indicators
        .iter()
        .map(|i| (i.code.as_str(), i.name.as_str()))
        .collect();
    let drafts: Vec<&ObservationRecord> = records.iter().filter(|r| r.state == ObservationState::Draft).collect();
    let pending: Vec<Pending> = drafts
        .iter()
        .filter(|r| r.period.calendar_year() == input.year)
        .map(|r| Pending {
            code: r.indicator.clone(),
            name: names.get(r.indicator.as_str()).unwrap_or(&"").to_string(),
            period: r.period.to_string(),
            value: dec(r.value),
        })
        .collect();
    let other_years = drafts.len() - pending.len();
    let submitted = records
        .iter()
        .filter(|r| r.state == ObservationState::Submitted)
        .count();
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
                    .app()
                    .transitions(r.id)
                    .await?
                    .into_iter()
                    .rev()
                    .find(|tr| tr.to == ObservationState::Draft)
                    .and_then(|tr| tr.comment.map(|c| format!("{}: {c}", tr.actor))),
                _ => None,
            };
            let (value, source, note, explanation) = match typed.cells.get(&key) {
                Some((v, s, n, c)) => (v.clone(), s.clone(), n.clone(), c.clone()),
                None => (
                    rec.map(|r| dec(r.value)).unwrap_or_default(),
                    rec.and_then(|r| r.source.clone()).unwrap_or_default(),
                    rec.and_then(|r| r.note.clone()).unwrap_or_default(),
                    rec.and_then(|r| r.comment.clone()).unwrap_or_default(),
                ),
            };
            let error = typed.errors.get(&key);
            rows.push(GridRow {
                error: error.map(|e| e.0.clone()),
                warning: error.is_some_and(|e| e.1),
                key,
                code: ind.code.clone(),
                name: ind.name.clone(),
                unit: unit.clone(),
                period: p.to_string(),
                previous: prev,
                value,
                source,
                note,
                explanation,
                state: rec.map(|r| r.state.as_str()),
                state_label: rec.map(|r| state_label(ctx.lang, r.state)),
                locked: rec.is_some_and(|r| r.state.under_review()),
                published: rec.is_some_and(|r| r.state == ObservationState::Published),
                correction: rec.is_some_and(|r| r.kind == VintageKind::Correction),
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
        drafts => drafts.len(),
        pending => pending,
        other_years => other_years,
        submitted => submitted,
        messages => messages,
    };
    let status = if typed.errors.is_empty() && messages.is_empty() {
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
        render_entry(&state, &ctx, &input, &Typed::default(), Vec::new(), None).await
    }
    .await;
    respond(&ctx, r)
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

/// The figures of the grid or an upload that may be written from it: not
/// those under review (locked until returned) nor published ones (changed
/// only by a correction, [`correct`]).
async fn writable(
    state: &AppState,
    input: &EntryInput,
    obs: Vec<NewObservation>,
) -> Result<Vec<NewObservation>, WebError> {
    let records = state.latest_records(input.plan, Some(&input.dept)).await?;
    let read_only: Vec<(String, Period)> = records
        .iter()
        .filter(|r| r.state != ObservationState::Draft)
        .map(|r| (r.indicator.clone(), r.period))
        .collect();
    Ok(obs
        .into_iter()
        .filter(|o| !read_only.contains(&(o.indicator.clone(), o.period)))
        .collect())
}

/// A refused batch's problems, in the interface's language, as
/// `(index of the figure, message, is a warning)`.
fn problems(ctx: &Ctx, e: &lantu_app::AppError) -> Option<Vec<(usize, String, bool)>> {
    match e {
        lantu_app::AppError::Refused(p) => Some(
            p.iter()
                .map(|p| (p.row, p.text(ctx.lang), p.severity == Severity::Warning))
                .collect(),
        ),
        _ => None,
    }
}

fn saved_message(ctx: &Ctx, r: &lantu_app::ImportReport, withdrawn: usize) -> String {
    let mut m = ctx
        .lang
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
        .to_string();
    if withdrawn > 0 {
        m.push_str(&match ctx.lang {
            Lang::Zh => format!("撤回草稿 {withdrawn} 条。"),
            Lang::En => format!(" Withdrew {withdrawn} draft(s)."),
        });
    }
    m
}

pub async fn entry_save(State(state): State<AppState>, ctx: Ctx, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let r = async {
        let input = entry_input(&state, &ctx, &pairs).await?;
        // Rows typed in the grid: v|CODE|PERIOD, s|…, n|…, c|… (comment).
        let mut typed = Typed::default();
        let mut order: Vec<String> = Vec::new();
        for (k, v) in &pairs {
            let Some((kind, key)) = k.split_once('|') else { continue };
            if !matches!(kind, "v" | "s" | "n" | "c") {
                continue;
            }
            let e = typed.cells.entry(key.to_string()).or_insert_with(|| {
                order.push(key.to_string());
                Default::default()
            });
            match kind {
                "v" => e.0 = v.trim().to_string(),
                "s" => e.1 = v.trim().to_string(),
                "n" => e.2 = v.trim().to_string(),
                _ => e.3 = v.trim().to_string(),
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
        // A cleared cell over a draft withdraws the draft.
        let records = state.latest_records(input.plan, Some(&input.dept)).await?;
        let drafts: HashMap<String, &ObservationRecord> = records
            .iter()
            .filter(|r| r.state == ObservationState::Draft)
            .map(|r| (format!("{}|{}", r.indicator, r.period), r))
            .collect();
        let mut withdraw: Vec<(String, Period, Option<String>)> = Vec::new();
        // Read by the same rules as an imported file's rows.
        let mut form: Vec<lantu_app::entry::FormRow> = Vec::new();
        let mut rows: Vec<&String> = Vec::new();
        for key in &order {
            let (v, s, n, c) = &typed.cells[key];
            if v.is_empty() {
                if let Some(r) = drafts.get(key) {
                    withdraw.push((r.indicator.clone(), r.period, None));
                }
                continue;
            }
            let (code, period) = key.split_once('|').unwrap_or((key, ""));
            form.push(lantu_app::entry::FormRow {
                code: code.to_string(),
                period: period.to_string(),
                value: v.clone(),
                source: s.clone(),
                notes: n.clone(),
                comment: c.clone(),
                ..Default::default()
            });
            rows.push(key);
        }
        if rows.is_empty() && withdraw.is_empty() {
            let msg = ctx.lang.pick("没有填写任何数值。", "No value was entered.").to_string();
            return render_entry(&state, &ctx, &input, &typed, Vec::new(), Some((msg, false))).await;
        }
        let obs = match lantu_app::entry::read_rows(&form, "网页填报 web form", &input.doc) {
            Ok(obs) => obs,
            Err(errors) => {
                let mut messages = Vec::new();
                for e in errors.errors {
                    match e.row.and_then(|r| r.checked_sub(1)).and_then(|i| rows.get(i)) {
                        Some(key) => {
                            typed.errors.insert((*key).clone(), (e.message.text(ctx.lang), false));
                        }
                        None => messages.push(e.message.text(ctx.lang)),
                    }
                }
                return render_entry(&state, &ctx, &input, &typed, messages, None).await;
            }
        };
        let keep: Vec<bool> = {
            let w = writable(&state, &input, obs.clone()).await?;
            obs.iter()
                .map(|o| w.iter().any(|x| x.indicator == o.indicator && x.period == o.period))
                .collect()
        };
        let (obs, rows): (Vec<NewObservation>, Vec<&String>) = obs
            .into_iter()
            .zip(rows)
            .zip(keep)
            .filter(|(_, k)| *k)
            .map(|(pair, _)| pair)
            .unzip();
        let batch = Batch {
            actor: &input.user.username,
            source_name: "网页填报 web form",
            reason: None,
        };
        let report = match state.app().save_figures(input.plan, &obs, batch).await {
            Ok(r) => r,
            Err(e) => {
                let Some(found) = problems(&ctx, &e) else {
                    return Err(e.into());
                };
                for (i, msg, warning) in found {
                    if let Some(key) = rows.get(i) {
                        let cell = typed.errors.entry((*key).clone()).or_insert((String::new(), true));
                        if !cell.0.is_empty() {
                            cell.0.push(' ');
                        }
                        cell.0.push_str(&msg);
                        cell.1 &= warning;
                    }
                }
                return render_entry(&state, &ctx, &input, &typed, Vec::new(), None).await;
            }
        };
        let withdrawn = state
            .app()
            .withdraw_drafts(input.plan, Some(&input.dept), &withdraw, &input.user.username)
            .await?;
        state.changed();
        let msg = saved_message(&ctx, &report, withdrawn.len());
        render_entry(&state, &ctx, &input, &Typed::default(), Vec::new(), Some((msg, true))).await
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
            return render_entry(&state, &ctx, &input, &Typed::default(), Vec::new(), Some((msg, false))).await;
        };
        let obs = match lantu_app::entry::read_file(&bytes, &filename, &input.doc) {
            Ok(o) => o,
            Err(errors) => {
                let messages = errors.text(ctx.lang).lines().map(str::to_string).collect();
                return render_entry(&state, &ctx, &input, &Typed::default(), messages, None).await;
            }
        };
        own_only(&input.doc, &input.dept, &obs)?;
        let obs = writable(&state, &input, obs).await?;
        let batch = Batch {
            actor: &input.user.username,
            source_name: &filename,
            reason: None,
        };
        match state.app().save_figures(input.plan, &obs, batch).await {
            Ok(report) => {
                state.changed();
                let msg = saved_message(&ctx, &report, 0);
                render_entry(&state, &ctx, &input, &Typed::default(), Vec::new(), Some((msg, true))).await
            }
            Err(e) => {
                let Some(found) = problems(&ctx, &e) else {
                    return Err(e.into());
                };
                let messages = found
                    .into_iter()
                    .map(|(i, msg, _)| match obs.get(i) {
                        Some(o) => format!("{filename} {} {}: {msg}", o.indicator, o.period),
                        None => msg,
                    })
                    .collect();
                render_entry(&state, &ctx, &input, &Typed::default(), messages, None).await
            }
        }
    }
    .await;
    respond(&ctx, r)
}

/// Submits the department's drafts of the selected year, or of every year
/// when the reporter ticks "all years" (`all_years`); the page lists them
/// beside the button first.
pub async fn submit(State(state): State<AppState>, ctx: Ctx, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let r = async {
        let input = entry_input(&state, &ctx, &pairs).await?;
        let all_years = field(&pairs, "all_years").is_some_and(|v| !v.is_empty());
        let records = state.latest_records(input.plan, Some(&input.dept)).await?;
        let ids: Vec<i64> = records
            .iter()
            .filter(|r| r.state == ObservationState::Draft)
            .filter(|r| all_years || r.period.calendar_year() == input.year)
            .map(|r| r.id)
            .collect();
        let msg = if ids.is_empty() {
            ctx.lang
                .pick("没有需要提交的草稿。", "There are no drafts to submit.")
                .to_string()
        } else {
            let moved = state
                .app()
                .submit_drafts(input.plan, &input.user, &input.dept, ids)
                .await?;
            state.changed();
            ctx.lang
                .pick(
                    &format!("已提交 {} 条数据，等待统计部门审核。", moved.len()),
                    &format!("Submitted {} figures for review.", moved.len()),
                )
                .to_string()
        };
        render_entry(&state, &ctx, &input, &Typed::default(), Vec::new(), Some((msg, true))).await
    }
    .await;
    respond(&ctx, r)
}

/// 提出更正: a new vintage over a published figure, with a required reason
/// (kept with the batch and shown with the figure's history and to the
/// reviewer); it goes through the same validation as any figure.
pub async fn correct(State(state): State<AppState>, ctx: Ctx, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let r = async {
        let input = entry_input(&state, &ctx, &pairs).await?;
        let code = field(&pairs, "code").unwrap_or("").trim().to_string();
        let period = field(&pairs, "period").unwrap_or("").trim();
        let reason = field(&pairs, "reason").unwrap_or("").trim().to_string();
        let value = field(&pairs, "value").unwrap_or("").trim();
        let fail = |zh: &str, en: &str| Some((ctx.lang.pick(zh, en).to_string(), false));
        let period: Period = match lantu_app::entry::parse_period(period) {
            Ok(p) => p,
            Err(_) => return Err(WebError::BadRequest(format!("`{period}` is not a period"))),
        };
        let records = state.latest_records(input.plan, Some(&input.dept)).await?;
        let published = records
            .iter()
            .any(|r| r.indicator == code && r.period == period && r.state == ObservationState::Published);
        if !published {
            let msg = fail(
                "只有已发布的数据才需要提出更正。",
                "Only a published figure is corrected.",
            );
            return render_entry(&state, &ctx, &input, &Typed::default(), Vec::new(), msg).await;
        }
        if reason.is_empty() {
            let msg = fail("请填写更正原因。", "Give the reason for the correction.");
            return render_entry(&state, &ctx, &input, &Typed::default(), Vec::new(), msg).await;
        }
        let opt = |name: &str| field(&pairs, name).unwrap_or("").trim().to_string();
        let row = lantu_app::entry::FormRow {
            code: code.clone(),
            period: period.to_string(),
            value: value.to_string(),
            source: opt("source"),
            notes: opt("note"),
            comment: opt("comment"),
            ..Default::default()
        };
        let obs = match lantu_app::entry::read_rows(&[row], "网页更正 web correction", &input.doc) {
            Ok(o) => o,
            Err(errors) => {
                let messages = errors.errors.iter().map(|e| e.message.text(ctx.lang)).collect();
                return render_entry(&state, &ctx, &input, &Typed::default(), messages, None).await;
            }
        };
        own_only(&input.doc, &input.dept, &obs)?;
        let batch = Batch {
            actor: &input.user.username,
            source_name: "网页更正 web correction",
            reason: Some(&reason),
        };
        match state.app().save_figures(input.plan, &obs, batch).await {
            Ok(_) => {
                state.changed();
                let msg = ctx
                    .lang
                    .pick(
                        "已提出更正，新数据为草稿，提交后由统计部门审核。",
                        "Correction proposed: the new figure is a draft to submit for review.",
                    )
                    .to_string();
                render_entry(&state, &ctx, &input, &Typed::default(), Vec::new(), Some((msg, true))).await
            }
            Err(e) => {
                let Some(found) = problems(&ctx, &e) else {
                    return Err(e.into());
                };
                let messages = found.into_iter().map(|(_, m, _)| m).collect();
                render_entry(&state, &ctx, &input, &Typed::default(), messages, None).await
            }
        }
    }
    .await;
    respond(&ctx, r)
}

pub async fn template(State(state): State<AppState>, ctx: Ctx) -> Response {
    let r = async {
        let pairs = crate::serde_urlencoded_pairs(&ctx.query);
        let input = entry_input(&state, &ctx, &pairs).await?;
        let bytes = state
            .app()
            .form_template(input.plan, Some(&input.dept), input.year..=input.year)
            .await?;
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
