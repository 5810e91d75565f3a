//! Importing a plan in the browser and its review workbench (导入规划、审核
//! 工作台): `/plans/new` uploads a plan file as a private draft;
//! `/plans/{id}/workbench` shows its text with every record highlighted
//! beside an editable grid of its indicators, and one POST per action
//! (a plain form each, so that everything works without script; the small
//! embedded `/static/workbench.js` adds selecting a sentence to add a
//! target). Each action calls one use case of `lantu_app::workbench`.

use crate::error::WebError;
use crate::i18n::Lang;
use crate::{respond, serde_urlencoded_pairs, AppState, Ctx, PageResult};
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use lantu_app::workbench::{Caller, Flag, IndicatorEdit, Mark, MetaEdit, Missing, NewTarget, Workbench, KINDS, LEVELS};
use lantu_core::review::ReviewState;
use serde::Serialize;

/// The largest plan upload (the file and the form around it).
pub const MAX_PLAN_UPLOAD: usize = lantu_app::workbench::MAX_PLAN_BYTES + (1 << 20);

/// The workbench's script, served at `/static/workbench.js`.
pub const SCRIPT: &str = include_str!("../assets/workbench.js");

/// The pages of this module allow the server's own scripts only.
pub(crate) const CSP: &str = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
     script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

/// Whether `path` takes a plan upload (its own, larger body limit).
pub(crate) fn is_plan_upload(path: &str) -> bool {
    path == "/plans/new" || path == "/api/v1/plans"
}

fn caller(ctx: &Ctx) -> Result<Caller<'_>, WebError> {
    let u = ctx.require_user()?;
    Ok(Caller {
        role: u.role,
        name: &u.username,
    })
}

fn with_csp(mut r: Response) -> Response {
    r.headers_mut()
        .insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    r
}

pub async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        SCRIPT,
    )
        .into_response()
}

// ------------------------------------------------------------ import

fn import_page(state: &AppState, ctx: &Ctx, flash: Option<String>, status: u16) -> PageResult {
    let mut r = state.page_flash(
        ctx,
        None,
        "plans",
        "plan_new.html",
        minijinja::context! { max_mib => lantu_app::workbench::MAX_PLAN_BYTES >> 20 },
        flash.map(|m| (m, false)),
    )?;
    if let Ok(s) = axum::http::StatusCode::from_u16(status) {
        *r.status_mut() = s;
    }
    Ok(with_csp(r))
}

/// `GET /plans/new`
pub async fn new_page(State(state): State<AppState>, ctx: Ctx) -> Response {
    let r = async {
        let c = caller(&ctx)?;
        if !c.role.can_edit_settings() {
            return Err(WebError::Forbidden(format!("{} may not import plans", c.name)));
        }
        import_page(&state, &ctx, None, 200)
    }
    .await;
    respond(&ctx, r)
}

/// `POST /plans/new` (multipart: `csrf`, `file`)
pub async fn import(State(state): State<AppState>, ctx: Ctx, mut multipart: Multipart) -> Response {
    let r = async {
        let c = caller(&ctx)?;
        let mut file: Option<(String, Vec<u8>)> = None;
        while let Some(f) = multipart
            .next_field()
            .await
            .map_err(|e| WebError::BadRequest(format!("无法读取上传的文件 / the upload cannot be read: {e}")))?
        {
            if f.name() == Some("file") {
                let name = f.file_name().unwrap_or("").to_string();
                let bytes = f.bytes().await.map_err(|e| {
                    WebError::BadRequest(format!("无法读取上传的文件 / the upload cannot be read: {e}"))
                })?;
                file = Some((name, bytes.to_vec()));
            }
        }
        let (name, bytes) = file.unwrap_or_default();
        match state.app().import_plan_file(c, &name, &bytes).await {
            Ok(id) => {
                state.changed();
                tracing::info!(user = %c.name, plan = id, file = %name, "plan imported as a draft");
                Ok(Redirect::to(&format!("/plans/{id}/workbench?msg=imported")).into_response())
            }
            Err(lantu_app::AppError::Invalid(m)) => import_page(&state, &ctx, Some(m), 422),
            Err(e) => Err(e.into()),
        }
    }
    .await;
    respond(&ctx, r)
}

// ------------------------------------------------------------ the page

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
}

fn enum_name<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn choices(lang: Lang, list: &[(&str, &str, &str)]) -> Vec<Choice> {
    list.iter()
        .map(|(v, zh, en)| Choice {
            value: v.to_string(),
            label: lang.pick(zh, en).to_string(),
        })
        .collect()
}

const COMPARATORS: [(&str, &str, &str); 5] = [
    (">=", "不低于 ≥", "at least ≥"),
    ("<=", "不高于 ≤", "at most ≤"),
    ("=", "等于 =", "exactly ="),
    ("range", "区间", "range"),
    ("approx", "约 ≈", "about ≈"),
];
const MEASURES: [(&str, &str, &str); 4] = [
    ("level", "水平值", "level"),
    ("annual_growth", "年均增长", "annual growth"),
    ("cumulative", "累计", "cumulative"),
    ("reduction", "累计下降", "reduction"),
];
const TARGET_KINDS: [(&str, &str, &str); 3] = [
    ("numeric", "数值", "number"),
    ("ratio", "比例", "ratio"),
    ("relative", "相对目标", "relative"),
];
const ATTRIBUTES: [(&str, &str, &str); 2] = [("binding", "约束性", "binding"), ("expected", "预期性", "expected")];
const DIRECTIONS: [(&str, &str, &str); 2] = [
    ("higher_is_better", "越高越好", "higher is better"),
    ("lower_is_better", "越低越好", "lower is better"),
];

#[derive(Serialize)]
struct RowView {
    code: String,
    name: String,
    state: &'static str,
    state_label: &'static str,
    comparator: String,
    value: String,
    value_max: String,
    unit: String,
    year: i32,
    measure: String,
    kind: String,
    attribute: String,
    attribute_set: bool,
    direction: String,
    lead: String,
    co: Vec<String>,
    category: String,
    chapter: String,
    baseline_value: String,
    baseline_year: String,
    flags: Vec<&'static str>,
    has_span: bool,
}

#[derive(Serialize)]
struct BlockerView {
    code: String,
    name: String,
    missing: Vec<&'static str>,
}

#[derive(Serialize)]
struct Prefill {
    start: usize,
    end: usize,
    quote: String,
    name: String,
    comparator: String,
    value: String,
    value_max: String,
    unit: String,
    year: String,
    measure: String,
    kind: String,
}

fn dec(v: Option<rust_decimal::Decimal>) -> String {
    v.map(|d| d.normalize().to_string()).unwrap_or_default()
}

fn escape(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

/// The plan's text as HTML: every stretch its own `<span>` (plain) or
/// `<mark>` (highlighted, one class per kind of record) carrying its first
/// character's offset in `data-o`, so that the script maps a selection to
/// character offsets.
fn text_html(w: &Workbench) -> String {
    let Some(text) = &w.text else {
        return String::new();
    };
    let chars: Vec<char> = text.chars().collect();
    let mut cuts: Vec<usize> = vec![0, chars.len()];
    for h in &w.highlights {
        cuts.push(h.start.min(chars.len()));
        cuts.push(h.end.min(chars.len()));
    }
    cuts.sort_unstable();
    cuts.dedup();
    // Highlights by start; the active ones are few at any point.
    let mut next = 0;
    let mut active: Vec<&lantu_app::workbench::Highlight> = Vec::new();
    let mut out = String::with_capacity(text.len() * 2);
    let mut seg = String::new();
    for pair in cuts.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if a >= b {
            continue;
        }
        active.retain(|h| h.end > a);
        while next < w.highlights.len() && w.highlights[next].start <= a {
            if w.highlights[next].end > a {
                active.push(&w.highlights[next]);
            }
            next += 1;
        }
        seg.clear();
        seg.extend(&chars[a..b]);
        if active.is_empty() {
            out.push_str(&format!("<span data-o=\"{a}\">"));
            escape(&mut out, &seg);
            out.push_str("</span>");
        } else {
            let mut classes: Vec<&str> = active.iter().map(|h| h.mark.as_str()).collect();
            classes.sort_unstable();
            classes.dedup();
            out.push_str(&format!("<mark data-o=\"{a}\" class=\"m-{}\"", classes.join(" m-")));
            // An anchor for the record that starts here.
            if let Some(h) = active
                .iter()
                .find(|h| h.start == a && matches!(h.mark, Mark::Target | Mark::Rejected))
            {
                if let Some(code) = &h.code {
                    out.push_str(" id=\"x-");
                    escape(&mut out, code);
                    out.push('"');
                }
            }
            if let Some(code) = active.iter().rev().find_map(|h| h.code.as_deref()) {
                out.push_str(" title=\"");
                escape(&mut out, code);
                out.push('"');
            }
            out.push('>');
            escape(&mut out, &seg);
            out.push_str("</mark>");
        }
    }
    out
}

fn flag_label(lang: Lang, f: Flag) -> &'static str {
    let (zh, en) = f.label();
    lang.pick(zh, en)
}

fn missing_label(lang: Lang, m: Missing) -> &'static str {
    let (zh, en) = m.label();
    lang.pick(zh, en)
}

fn message(lang: Lang, key: &str) -> Option<&'static str> {
    Some(match key {
        "imported" => lang.pick(
            "已导入为草稿（不公开）。请逐条审核指标，补充单位、牵头部门与指标属性后采纳。",
            "Imported as a private draft. Review each indicator, complete units, lead departments and attributes, then adopt.",
        ),
        "saved" => lang.pick("已保存并接受该指标。", "Saved and accepted."),
        "accepted" => lang.pick("已接受。", "Accepted."),
        "rejected" => lang.pick("已驳回（该指标已停用，历史记录保留）。", "Rejected (retired; its history is kept)."),
        "added" => lang.pick("已添加目标。", "Target added."),
        "assigned" => lang.pick("已分配部门。", "Departments assigned."),
        "department" => lang.pick("已添加部门。", "Department added."),
        "meta" => lang.pick("已保存规划信息。", "Plan details saved."),
        "chapter" => lang.pick("已接受该章的全部待审核指标。", "Every unreviewed indicator of the chapter accepted."),
        "adopted" => lang.pick(
            "规划已采纳。牵头部门的填报员现在可以填报数据。",
            "The plan is adopted. The lead departments' reporters can now enter figures.",
        ),
        _ => return None,
    })
}

async fn render(state: &AppState, ctx: &Ctx, plan: i64, flash: Option<(String, bool)>, status: u16) -> PageResult {
    let c = caller(ctx)?;
    let w = state.app().workbench(c, plan).await?;
    let lang = ctx.lang;
    let sel = crate::query_param(&ctx.query, "sel").and_then(|s| {
        let (a, b) = s.split_once('-')?;
        Some((a.parse::<usize>().ok()?, b.parse::<usize>().ok()?))
    });
    let find = crate::query_param(&ctx.query, "find").filter(|f| !f.trim().is_empty());
    let mut flash = flash;
    let sel = match (sel, &find, &w.text) {
        (Some(s), _, _) => Some(s),
        (None, Some(f), Some(t)) => match t.find(f.trim()) {
            Some(byte) => {
                let a = t[..byte].chars().count();
                Some((a, a + f.trim().chars().count()))
            }
            None => {
                flash = Some((
                    format!(
                        "{}「{}」",
                        lang.pick("原文中没有找到这段文字：", "This text is not in the plan: "),
                        f.trim()
                    ),
                    false,
                ));
                None
            }
        },
        _ => None,
    };
    let prefill = match (sel, &w.text) {
        (Some((a, b)), Some(t)) => lantu_app::workbench::read_span(t, a, b).map(|r| Prefill {
            start: r.start,
            end: r.end,
            quote: r.quote,
            name: r.name,
            comparator: r.comparator.map(|c| c.as_str().to_string()).unwrap_or_default(),
            value: dec(r.value),
            value_max: dec(r.value_max),
            unit: r.unit.unwrap_or_default(),
            year: r.year.map(|y| y.to_string()).unwrap_or_default(),
            measure: r.measure.map(|m| m.as_str().to_string()).unwrap_or_default(),
            kind: r.kind.map(|k| enum_name(&k)).unwrap_or_default(),
        }),
        _ => None,
    };
    if flash.is_none() {
        flash = crate::query_param(&ctx.query, "msg")
            .and_then(|k| message(lang, &k))
            .map(|m| (m.to_string(), true));
    }
    let rows: Vec<RowView> = w
        .rows
        .iter()
        .map(|r| {
            let i = &r.indicator;
            let (zh, en) = r.state.label();
            RowView {
                code: i.code.clone(),
                name: i.name.clone(),
                state: r.state.as_str(),
                state_label: lang.pick(zh, en),
                comparator: i.target.comparator.as_str().to_string(),
                value: dec(i.target.value),
                value_max: dec(i.target.value_max),
                unit: i.unit.clone().unwrap_or_default(),
                year: i.target.year,
                measure: i.measure.as_str().to_string(),
                kind: enum_name(&i.target.kind),
                attribute: i.attribute.as_str().to_string(),
                attribute_set: r.attribute_set,
                direction: enum_name(&i.direction),
                lead: i.departments.first().cloned().unwrap_or_default(),
                co: i.co_departments.clone(),
                category: i.category.clone().unwrap_or_default(),
                chapter: r.chapter.clone().unwrap_or_default(),
                baseline_value: i.baseline.as_ref().map(|b| dec(Some(b.value))).unwrap_or_default(),
                baseline_year: i.baseline.as_ref().map(|b| b.year.to_string()).unwrap_or_default(),
                flags: r.flags.iter().map(|f| flag_label(lang, *f)).collect(),
                has_span: i.source.span.is_some() && w.text.is_some(),
            }
        })
        .collect();
    let blockers: Vec<BlockerView> = w
        .blockers
        .iter()
        .map(|b| BlockerView {
            code: b.code.clone(),
            name: b.name.clone(),
            missing: b.missing.iter().map(|m| missing_label(lang, *m)).collect(),
        })
        .collect();
    let chapters: Vec<Choice> = w
        .doc
        .outline
        .iter()
        .filter(|o| lantu_app::chapter_of(&o.node).as_deref() == Some(o.node.as_str()))
        .filter(|o| w.rows.iter().any(|r| r.chapter.as_deref() == Some(o.node.as_str())))
        .map(|o| Choice {
            value: o.node.clone(),
            label: o.title.clone(),
        })
        .collect();
    let departments: Vec<Choice> = w
        .departments
        .iter()
        .map(|d| Choice {
            value: d.code.clone(),
            label: d.name.clone(),
        })
        .collect();
    let baselines: Vec<Choice> = w
        .baselines
        .iter()
        .map(|b| Choice {
            value: b.id.clone(),
            label: format!(
                "{} {}{}{}",
                b.indicator,
                b.value.normalize(),
                b.unit.as_deref().unwrap_or(""),
                b.year.map(|y| format!("（{y}）")).unwrap_or_default()
            ),
        })
        .collect();
    let p = &w.doc.plan;
    let levels: Vec<Choice> = LEVELS
        .iter()
        .map(|(l, zh, en)| Choice {
            value: enum_name(l),
            label: lang.pick(zh, en).to_string(),
        })
        .collect();
    let kinds: Vec<Choice> = KINDS
        .iter()
        .map(|(k, zh, en)| Choice {
            value: enum_name(k),
            label: lang.pick(zh, en).to_string(),
        })
        .collect();
    let draft = p.state == lantu_core::plan::PlanState::Draft;
    let page = minijinja::context! {
        plan_id => plan,
        meta => minijinja::context! {
            name => p.name, issuer => p.issuer.clone().unwrap_or_default(), region => p.region,
            level => enum_name(&p.level), kind => enum_name(&p.kind),
            start_year => p.start_year, end_year => p.end_year,
        },
        draft => draft,
        file_name => w.file_name,
        text_html => text_html(&w),
        has_text => w.text.is_some(),
        rows => rows,
        rejected => w.rejected.iter().map(|r| minijinja::context! { code => r.code, label => r.label }).collect::<Vec<_>>(),
        blockers => blockers,
        chapters => chapters,
        departments => departments,
        baselines => baselines,
        levels => levels,
        kinds => kinds,
        comparators => choices(lang, &COMPARATORS),
        measures => choices(lang, &MEASURES),
        target_kinds => choices(lang, &TARGET_KINDS),
        attributes => choices(lang, &ATTRIBUTES),
        directions => choices(lang, &DIRECTIONS),
        prefill => prefill,
        counts => minijinja::context! {
            total => w.rows.len(),
            accepted => w.rows.iter().filter(|r| r.state == ReviewState::Accepted).count(),
            unreviewed => w.rows.iter().filter(|r| r.state == ReviewState::Unreviewed).count(),
            rejected => w.rejected.len(),
            flagged => w.rows.iter().filter(|r| !r.flags.is_empty()).count(),
        },
    };
    let mut r = state.page_flash(ctx, None, "plans", "workbench.html", page, flash)?;
    if let Ok(s) = axum::http::StatusCode::from_u16(status) {
        *r.status_mut() = s;
    }
    Ok(with_csp(r))
}

/// `GET /plans/{id}/workbench[?sel=START-END | ?find=TEXT]`
pub async fn page(State(state): State<AppState>, ctx: Ctx, Path(plan): Path<i64>) -> Response {
    let r = render(&state, &ctx, plan, None, 200).await;
    respond(&ctx, r)
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

fn fields(pairs: &[(String, String)], name: &str) -> Vec<String> {
    pairs
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .filter(|v| !v.trim().is_empty())
        .collect()
}

fn owned(pairs: &[(String, String)], name: &str) -> Option<String> {
    field(pairs, name).map(str::to_string)
}

/// An indicator edit from the fields of a form (`co` repeated).
fn edit_of(pairs: &[(String, String)]) -> IndicatorEdit {
    IndicatorEdit {
        name: owned(pairs, "name"),
        comparator: owned(pairs, "comparator"),
        value: owned(pairs, "value"),
        value_max: owned(pairs, "value_max"),
        unit: owned(pairs, "unit"),
        year: owned(pairs, "year"),
        measure: owned(pairs, "measure"),
        kind: owned(pairs, "kind"),
        attribute: owned(pairs, "attribute"),
        direction: owned(pairs, "direction"),
        lead: owned(pairs, "lead"),
        co: field(pairs, "co_sent").map(|_| fields(pairs, "co")),
        category: owned(pairs, "category"),
        baseline_value: owned(pairs, "baseline_value"),
        baseline_year: owned(pairs, "baseline_year"),
        baseline_from: owned(pairs, "baseline_from"),
        reason: owned(pairs, "reason"),
    }
}

fn position(pairs: &[(String, String)], name: &str) -> Result<usize, WebError> {
    let v = field(pairs, name).unwrap_or("").trim();
    v.parse().map_err(|_| {
        WebError::BadRequest(format!(
            "所选文字的位置「{name}」须为数字，而不是「{v}」 / the selection's `{name}` must be a number, not `{v}`"
        ))
    })
}

/// `POST /plans/{id}/workbench`: one action (`action` field) per form.
pub async fn post(State(state): State<AppState>, ctx: Ctx, Path(plan): Path<i64>, body: String) -> Response {
    let r = async {
        let c = caller(&ctx)?;
        let pairs = serde_urlencoded_pairs(&body);
        let app = state.app();
        let code = field(&pairs, "code").unwrap_or("").to_string();
        let action = field(&pairs, "action").unwrap_or("");
        let done = match action {
            "save" => app
                .edit_record(c, plan, &code, &edit_of(&pairs))
                .await
                .map(|_| ("saved", format!("#row-{code}"))),
            "accept" | "reject" => {
                let st = if action == "accept" {
                    ReviewState::Accepted
                } else {
                    ReviewState::Rejected
                };
                let codes = if code.is_empty() {
                    fields(&pairs, "codes")
                } else {
                    vec![code.clone()]
                };
                app.review_records(c, plan, &codes, st).await.map(|_| {
                    (
                        if action == "accept" { "accepted" } else { "rejected" },
                        format!("#row-{code}"),
                    )
                })
            }
            "accept_chapter" => app
                .accept_chapter(c, plan, field(&pairs, "chapter").unwrap_or(""))
                .await
                .map(|_| ("chapter", String::new())),
            "assign" => app
                .assign_departments(
                    c,
                    plan,
                    &fields(&pairs, "codes"),
                    field(&pairs, "lead"),
                    &fields(&pairs, "co"),
                )
                .await
                .map(|_| ("assigned", String::new())),
            "department" => app
                .add_department(c, plan, field(&pairs, "name").unwrap_or(""), field(&pairs, "dept_code"))
                .await
                .map(|_| ("department", "#departments".to_string())),
            "meta" => {
                let e = MetaEdit {
                    name: owned(&pairs, "name"),
                    issuer: owned(&pairs, "issuer"),
                    region: owned(&pairs, "region"),
                    level: owned(&pairs, "level"),
                    kind: owned(&pairs, "kind"),
                    start_year: owned(&pairs, "start_year"),
                    end_year: owned(&pairs, "end_year"),
                };
                app.edit_meta(c, plan, &e).await.map(|_| ("meta", String::new()))
            }
            "add" => {
                let new = NewTarget {
                    start: position(&pairs, "start")?,
                    end: position(&pairs, "end")?,
                    fields: edit_of(&pairs),
                };
                app.add_target(c, plan, &new)
                    .await
                    .map(|code| ("added", format!("#row-{code}")))
            }
            "adopt" => app.adopt(c, plan).await.map(|_| ("adopted", String::new())),
            other => {
                return Err(WebError::BadRequest(format!(
                    "未知操作「{other}」 / unknown action `{other}`"
                )))
            }
        };
        match done {
            Ok((msg, anchor)) => {
                state.changed();
                tracing::info!(user = %c.name, plan, action, code = %code, "workbench");
                Ok(Redirect::to(&format!("/plans/{plan}/workbench?msg={msg}{anchor}")).into_response())
            }
            Err(lantu_app::AppError::Invalid(m)) => render(&state, &ctx, plan, Some((m, false)), 422).await,
            Err(e @ lantu_app::AppError::Incomplete(_)) => {
                let zh_en = e.to_string();
                let first = zh_en.lines().next().unwrap_or("").to_string();
                render(&state, &ctx, plan, Some((first, false)), 409).await
            }
            Err(e) => Err(e.into()),
        }
    }
    .await;
    respond(&ctx, r)
}
