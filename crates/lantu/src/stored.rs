//! Commands on the stored plans: plans, monitoring data, status, reports.
//! Wiring only: parse, call one use case of the application, print.

use crate::table;
use crate::{emit, Format};
use anyhow::{bail, Context, Result};
use lantu_app::{Actor, App, Counted, StatusOptions};
use lantu_core::messages::Lang;
use lantu_core::observation::ObservationState;
use lantu_core::plan::PlanDoc;
use std::path::Path;

/// Who is writing, for the audit log: `--as`, else `LANTU_USER`, else the
/// login name.
pub fn actor(explicit: Option<&str>) -> String {
    explicit
        .map(str::to_string)
        .or_else(|| std::env::var("LANTU_USER").ok())
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_else(|| "lantu".into())
}

pub async fn open(url: &str) -> Result<App> {
    App::open(url)
        .await
        .with_context(|| format!("cannot open the database {url}"))
}

/// A plan document from a file: a TOML indicator system, an extraction
/// (JSON from `lantu extract`), or a plan text to read now.
pub fn plan_doc_from(file: &Path) -> Result<PlanDoc> {
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let name = file.file_name().and_then(|n| n.to_str()).map(str::to_string);
    match ext.as_str() {
        "toml" => {
            let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
            let doc: PlanDoc =
                toml::from_str(&text).with_context(|| format!("{} is not an indicator system", file.display()))?;
            Ok(doc)
        }
        "json" => {
            let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
            let ex: lantu_extract::Extraction = serde_json::from_str(&text)
                .with_context(|| format!("{} is not the JSON output of `lantu extract`", file.display()))?;
            Ok(lantu_extract::draft::draft(&ex, name.as_deref()))
        }
        _ => {
            let text = lantu_extract::input::read_path(file)?;
            Ok(lantu_extract::draft::draft(
                &lantu_extract::extract(&text),
                name.as_deref(),
            ))
        }
    }
}

pub async fn plan_import(app: &App, file: &Path, actor: &str) -> Result<()> {
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let (doc, id) = if matches!(ext.as_str(), "toml" | "json") {
        let doc = plan_doc_from(file)?;
        let id = app
            .import_plan(&Actor::operator(actor), &doc)
            .await
            .with_context(|| format!("the indicator system of {} is not valid", file.display()))?;
        (doc, id)
    } else {
        // A plan text: kept with the draft for the review workbench.
        let text = lantu_extract::input::read_path(file)?;
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("plan.txt");
        let drafted = lantu_app::workbench::draft_text(name, text)?;
        let doc = drafted.doc.clone();
        let id = app.store_draft(shell(actor), drafted).await?;
        (doc, id)
    };
    emit(&format!(
        "plan {id}: {} ({}–{}), {} indicators, {} tasks, {} projects, stored as {:?}\n",
        doc.plan.name,
        doc.plan.start_year,
        doc.plan.end_year,
        doc.indicators.len(),
        doc.tasks.len(),
        doc.projects.len(),
        doc.plan.state
    ))
}

/// The command line acts with the shell's full rights (whoever can run
/// it can open the database).
fn shell(actor: &str) -> lantu_app::workbench::Caller<'_> {
    lantu_app::workbench::Caller {
        role: lantu_core::account::Role::Administrator,
        name: actor,
    }
}

/// `lantu plan adopt ID`: adopts a draft once nothing blocks it, else
/// lists every blocker.
pub async fn plan_adopt(app: &App, id: i64, actor: &str) -> Result<()> {
    app.adopt(shell(actor), id).await?;
    emit(&format!("plan {id}: 已采纳 / adopted\n"))
}

pub async fn plan_list(app: &App, format: Format) -> Result<()> {
    let plans = app.plans(lantu_app::Visibility::Internal).await?;
    if format == Format::Json {
        return emit(&(serde_json::to_string_pretty(&plans)? + "\n"));
    }
    let rows: Vec<Vec<String>> = plans
        .iter()
        .map(|p| {
            vec![
                p.id.to_string(),
                p.name.clone(),
                format!("{}–{}", p.start_year, p.end_year),
                format!("{:?}", p.state).to_lowercase(),
                p.indicators.to_string(),
                p.observations.to_string(),
            ]
        })
        .collect();
    emit(&table::render(
        &["id", "规划 plan", "期间", "state", "指标", "observations"],
        &rows,
    ))
}

pub async fn plan_export(app: &App, id: i64, out: Option<&Path>) -> Result<()> {
    let doc = app.plan_doc(id).await?;
    let text = toml::to_string(&doc).context("cannot write the indicator system as TOML")?;
    match out {
        Some(path) => std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display())),
        None => emit(&text),
    }
}

pub async fn plan_apply(app: &App, file: &Path, effective_year: Option<i32>, actor: &str) -> Result<()> {
    let doc = plan_doc_from(file)?;
    let id = doc.plan.id.unwrap_or_default();
    let report = app
        .apply_plan(&Actor::operator(actor), &doc, effective_year)
        .await
        .with_context(|| format!("the indicator system of {} is not applied", file.display()))?;
    if report.is_empty() {
        return emit(&format!("plan {id}: no change\n"));
    }
    let list = |v: &[lantu_app::plans::Change]| {
        v.iter()
            .map(|c| format!("{} {}", c.entity, c.code))
            .collect::<Vec<_>>()
            .join(", ")
    };
    emit(&format!(
        "plan {id}: added [{}]; changed [{}]; removed [{}]; new target versions [{}]\n",
        list(&report.added),
        list(&report.changed),
        list(&report.removed),
        report.target_versions_added.join(", ")
    ))
}

pub async fn data_template(
    app: &App,
    plan: i64,
    department: Option<&str>,
    years: Option<(i32, i32)>,
    out: &Path,
) -> Result<()> {
    let doc = app.plan_doc(plan).await?;
    let (from, to) = years.unwrap_or((doc.plan.start_year, doc.plan.end_year));
    let bytes = app.form_template(plan, department, from..=to).await?;
    std::fs::write(out, bytes).with_context(|| format!("cannot write {}", out.display()))?;
    emit(&format!("wrote {}\n", out.display()))
}

/// The language of messages: `--lang`, then `LANTU_LANG`, then the
/// locale (`LC_ALL`, `LC_MESSAGES`, `LANG`, the first one set), then Chinese.
pub fn lang(flag: Option<&str>) -> Lang {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    if let Some(l) = flag.and_then(Lang::parse) {
        return l;
    }
    if let Some(l) = env("LANTU_LANG").as_deref().and_then(Lang::parse) {
        return l;
    }
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .into_iter()
        .find_map(env)
        .and_then(|v| Lang::parse(&v))
        .unwrap_or_default()
}

pub async fn data_import(
    app: &App,
    plan: i64,
    file: &Path,
    reason: Option<&str>,
    actor: &str,
    lang: Lang,
) -> Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("data");
    let doc = app.plan_doc(plan).await?;
    let not_imported = || match lang {
        Lang::Zh => format!("{} 未导入：没有写入任何数据", file.display()),
        Lang::En => format!("{} was not imported: nothing was written", file.display()),
    };
    let rows = lantu_app::entry::read_file(&bytes, name, &doc)
        .map_err(|e| anyhow::anyhow!("{}", e.text(lang)))
        .with_context(not_imported)?;
    let batch = lantu_app::Batch {
        actor,
        source_name: name,
        reason,
    };
    let report = match app.save_figures(plan, &rows, batch).await {
        Ok(r) => r,
        Err(lantu_app::AppError::Refused(problems)) => {
            let lines: Vec<String> = problems
                .iter()
                .map(|p| format!("{name} {} {}: {}", p.indicator, p.period, p.text(lang)))
                .collect();
            return Err(anyhow::anyhow!("{}", lines.join("\n"))).with_context(not_imported);
        }
        Err(e) => return Err(e.into()),
    };
    emit(&format!(
        "{}: {} new, {} revised (new vintage), {} unchanged\n",
        file.display(),
        report.inserted,
        report.revised,
        report.unchanged
    ))
}

/// Moves every figure of a plan from one state to the next (submit,
/// approve, publish) — the review step for scripts; the web does it figure
/// by figure.
pub async fn data_review(app: &App, plan: i64, to: ObservationState, comment: Option<&str>, actor: &str) -> Result<()> {
    let from = match to {
        ObservationState::Submitted => ObservationState::Draft,
        ObservationState::Approved => ObservationState::Submitted,
        ObservationState::Published => ObservationState::Approved,
        ObservationState::Draft => bail!("to return figures to draft, name them in the web's review page"),
    };
    let moved = app.review_all(plan, &Actor::operator(actor), to, comment).await?;
    emit(&format!(
        "{} figures moved from {} to {}\n",
        moved.len(),
        from.as_str(),
        to.as_str()
    ))
}

pub async fn status(app: &App, plan: i64, year: i32, all: bool, format: Format) -> Result<()> {
    let options = StatusOptions {
        counted: if all { Counted::All } else { Counted::Reviewed },
        tolerances: None,
    };
    let items = app.status(plan, year, &options).await?;
    if format == Format::Json {
        let rollups = lantu_app::rollups(&items);
        return emit(
            &(serde_json::to_string_pretty(
                &serde_json::json!({"plan": plan, "year": year, "indicators": items, "rollups": rollups}),
            )? + "\n"),
        );
    }
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|i| {
            let a = i.assessment.as_ref();
            let t = &i.target.target;
            vec![
                i.code.clone(),
                i.name.chars().take(24).collect(),
                format!(
                    "{} {}{}{}",
                    t.comparator,
                    t.value.map_or("—".into(), |v| v.normalize().to_string()),
                    t.value_max.map_or(String::new(), |m| format!("–{}", m.normalize())),
                    i.unit.as_deref().unwrap_or("")
                ),
                i.latest
                    .as_ref()
                    .map_or("—".into(), |o| format!("{} ({})", o.value.normalize(), o.period)),
                i.status().label_zh().to_string(),
                a.and_then(|a| a.ratio).map_or("—".into(), |r| format!("{r:.2}")),
                a.and_then(|a| a.projection.as_ref()).map_or("—".into(), |p| {
                    format!("{:.2} ({})", p.value, p.likelihood.label_zh())
                }),
                if a.is_some_and(|a| a.warning) {
                    "预警".into()
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    emit(&table::render(
        &["code", "指标", "目标", "最新值", "状态", "比值", "预测", "预警"],
        &rows,
    ))
}

pub async fn report(
    app: &App,
    plan: i64,
    year: i32,
    kind: lantu_app::ReportKind,
    format: lantu_app::ReportFormat,
    lang: Lang,
    out: &Path,
) -> Result<()> {
    // Reviewed (approved or published) figures, the same view the office's
    // dashboard shows, with every evaluation comment.
    let rendered = app
        .office_report(plan, year, kind, lang, format)
        .await
        .with_context(|| format!("cannot write the report of plan {plan} in {year}"))?;
    for w in &rendered.warnings {
        eprintln!("warning: {w}");
    }
    std::fs::write(out, rendered.bytes).with_context(|| format!("cannot write {}", out.display()))?;
    emit(&format!("wrote {}\n", out.display()))
}
