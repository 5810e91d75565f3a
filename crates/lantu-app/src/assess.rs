//! Where a plan stands in an evaluation year — the one pipeline from
//! stored figures to a status. [`judge`] reads the indicator system with
//! the targets in force in the year and the counted figures (the public:
//! published ones; the office: approved and published ones; a preview:
//! every latest vintage) and runs the core's progress engine on each
//! target; [`build`] turns that judgement into the [`Snapshot`] the
//! dashboard, the API and the reports show, with the tasks and their
//! work-plan entries and the key projects; [`crate::status`] turns the same
//! judgement into `lantu status`.

use crate::{App, AppError, Result};
use lantu_core::observation::ObservationState;
use lantu_core::plan::{IndicatorDoc, OutlineEntry, PlanDoc, TargetDoc};
use lantu_core::policy::Publication;
use lantu_core::progress::{assess, Assessment, Baseline, Observation, Reason, Status, TargetSpec, Tolerances};
use lantu_core::snapshot::{Chapter, CommentNote, DataNotes, Figure, IndicatorRow, ProjectRow, Snapshot, TaskRow};
use lantu_core::Attribute;
use lantu_store::{ObservationQuery, ObservationRecord, ProjectStatus, Store, TargetVersion, User, View, WorkStatus};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::time::{SystemTime, UNIX_EPOCH};

/// Whose eyes a view is for: which figures count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Visibility {
    /// The public portal and anonymous API: published figures only.
    Public,
    /// Logged-in staff: approved and published figures (the evaluation as
    /// it stands). Drafts and submitted figures appear only in data entry
    /// and review.
    Internal,
    /// The office's preview (`lantu status --all`): the latest vintage of
    /// every figure, whatever its state.
    Preview,
}

impl Visibility {
    pub fn view(self) -> View {
        match self {
            Visibility::Public => View::Published,
            Visibility::Internal => View::Reviewed,
            Visibility::Preview => View::Latest,
        }
    }

    /// Which figures are shown, as the API says it: `published`,
    /// `reviewed` or `latest`.
    pub fn figures_shown(self) -> &'static str {
        match self {
            Visibility::Public => "published",
            Visibility::Internal => "reviewed",
            Visibility::Preview => "latest",
        }
    }
}

/// One plan as the pages, the API and the reports see it in one
/// evaluation year.
#[derive(Debug, Clone)]
pub struct Standing {
    /// The indicator system with the targets in force in the year.
    pub doc: PlanDoc,
    pub snapshot: Snapshot,
    /// Titles of outline nodes other than chapters (sections `c3.s1`), when
    /// known.
    pub sections: BTreeMap<String, String>,
    /// The review state of each counted figure, by observation id.
    pub states: HashMap<i64, ObservationState>,
    /// Work-plan entries of the evaluation year, by task code.
    pub work: HashMap<String, Vec<WorkEntry>>,
    /// The evaluation years the reader may choose: the plan period for
    /// staff, the released years for the public.
    pub years: Vec<i32>,
}

/// One work-plan entry of a task with its derived state (`done`,
/// `overdue`, `on_schedule`, `not_started`).
#[derive(Debug, Clone, Serialize, Default)]
pub struct WorkEntry {
    pub id: i64,
    pub year: i32,
    pub milestone: String,
    pub due_date: Option<String>,
    pub state: String,
    /// Filled in by the adapter, in the reader's language.
    pub state_label: &'static str,
    pub overdue: bool,
    pub note: Option<String>,
}

/// The section id of an outline node id (`c3.s1.i2` → `c3.s1`).
pub fn section_of(node: &str) -> Option<String> {
    let parts: Vec<&str> = node.split('.').collect();
    let i = parts.iter().position(|p| {
        p.strip_prefix('s')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    })?;
    Some(parts[..=i].join("."))
}

/// The chapter id of an outline node id (`p1.c3.s1` → `p1.c3`).
pub fn chapter_of(node: &str) -> Option<String> {
    let parts: Vec<&str> = node.split('.').collect();
    let i = parts.iter().position(|p| {
        p.strip_prefix('c')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    })?;
    Some(parts[..=i].join("."))
}

/// Today as `YYYY-MM-DD` (UTC) and the current year.
pub fn today() -> (String, i32) {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (format!("{y:04}-{m:02}-{d:02}"), y as i32)
}

/// Whether a batch holds illustrative sample data: its source name starts
/// with `sample` or says 示例 / 演示, or its reason does.
pub fn is_sample(r: &ObservationRecord) -> bool {
    let s = r.source_name.to_lowercase();
    let reason = r.reason.as_deref().unwrap_or("").to_lowercase();
    s.starts_with("sample")
        || s.contains("示例")
        || s.contains("演示")
        || reason.contains("示例数据")
        || reason.contains("sample data")
}

/// The engine's view of a target; `None` for a target without a number
/// (relative targets, 完成上级下达任务), which is judged by hand.
pub fn target_spec(t: &TargetDoc, doc: &IndicatorDoc) -> Option<TargetSpec> {
    t.spec(doc.measure, doc.unit.clone(), doc.attribute == Attribute::Binding)
}

/// The assessment of a target without a number (完成上级下达任务): judged by
/// hand, so not assessable by the engine, with or without figures — the
/// same word `lantu status` and the reports use.
fn by_hand(latest: Option<&Figure>) -> Assessment {
    Assessment {
        status: Status::NotAssessable,
        ratio: None,
        progress: None,
        elapsed_share: None,
        regressing: false,
        projection: None,
        warning: false,
        reason: Reason::NoObservations,
        as_of: latest.map(|f| f.period),
    }
}

fn chapter_number(id: &str) -> Option<u32> {
    id.rsplit('.').next()?.strip_prefix('c')?.parse().ok()
}

/// The evaluation year when none is asked for: the latest year with a
/// visible figure, kept within the plan period; without figures, last year.
pub fn default_year(doc: &PlanDoc, records: &[ObservationRecord]) -> i32 {
    let (_, now) = today();
    let latest = records
        .iter()
        .map(|r| r.period.calendar_year())
        .max()
        .unwrap_or(now - 1);
    latest.clamp(doc.plan.start_year, doc.plan.end_year)
}

/// Adds the evaluation comments about years up to the snapshot's (or no
/// year), oldest first, for a report to staff: those `reader` may read in
/// the plan `doc`, or all (the command line). Public reports never call
/// this.
pub async fn add_comments(
    store: &Store,
    plan_id: i64,
    s: &mut Snapshot,
    reader: Option<(&User, &PlanDoc)>,
) -> Result<()> {
    let mut list = store.comments(plan_id, None).await?;
    if let Some((u, doc)) = reader {
        list = crate::comments::readable(u, doc, list);
    }
    list.reverse();
    let names: HashMap<&str, &str> = s
        .indicators
        .iter()
        .map(|i| (i.code.as_str(), i.name.as_str()))
        .collect();
    let year = s.evaluation_year;
    let notes = list
        .into_iter()
        .filter(|c| c.year.is_none_or(|y| y <= year))
        .map(|c| CommentNote {
            indicator: c
                .indicator
                .map(|code| names.get(code.as_str()).map_or(code.clone(), |n| n.to_string())),
            year: c.year,
            author: c.author_name,
            role: c.author_role,
            date: c.created_at.get(..10).unwrap_or(&c.created_at).to_string(),
            body: c.body,
        })
        .collect();
    s.comments = notes;
    Ok(())
}

/// The evaluation year: the one asked for, or the default year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Year {
    /// Exactly this year (`lantu status --year`).
    Exactly(i32),
    /// This year kept within five years of the plan period, or the default
    /// year when `None` (pages and the API: `?year=`).
    Shown(Option<i32>),
}

/// A plan judged in one evaluation year: what [`judge`] returns.
#[derive(Debug, Clone)]
pub struct Judgement {
    pub year: i32,
    /// The indicator system with the targets in force in `year`.
    pub doc: PlanDoc,
    /// The target version in force in `year`, by indicator code.
    pub targets: HashMap<String, TargetVersion>,
    /// The counted figures up to `year` of the plan's own area (not its
    /// towns'), the latest counted vintage of each.
    pub records: Vec<ObservationRecord>,
    /// One per indicator of `doc`, in its order.
    pub indicators: Vec<Judged>,
    /// For the public: the plan's publication (what was released).
    pub released: Option<Publication>,
}

/// One indicator judged.
#[derive(Debug, Clone)]
pub struct Judged {
    /// Indexes into [`Judgement::records`], oldest period first.
    pub figures: Vec<usize>,
    /// The engine's judgement; `None` for a target without a number, which
    /// is judged by hand.
    pub assessment: Option<Assessment>,
}

/// What the public may see of plan `plan_id` in `year` (`None`: the
/// default year), by the one rule of [`Publication`]: a plan that is not
/// public is not found, nor is a year not released; the default is the
/// latest released year (`None` when no year is released yet: the plan is
/// shown without figures). Returns the year and the plan's publication.
pub async fn public_year(store: &Store, plan_id: i64, year: Option<i32>) -> Result<(Option<i32>, Publication)> {
    let p = store.publication(plan_id).await?;
    let year = match year {
        _ if !p.plan_public() => return Err(AppError::NotFound),
        Some(y) if p.year_public(y) => Some(y),
        Some(_) => return Err(AppError::NotFound),
        None => p.default_year(),
    };
    Ok((year, p))
}

/// The one pipeline from stored figures to a status: reads the plan with
/// the targets in force in the year and the figures `vis` counts, and runs
/// the engine on every target with the plan's tolerances (or `tolerances`).
pub async fn judge(
    store: &Store,
    plan_id: i64,
    year: Year,
    vis: Visibility,
    tolerances: Option<Tolerances>,
) -> Result<Judgement> {
    let mut records = store
        .observations(
            plan_id,
            &ObservationQuery {
                view: vis.view(),
                geography: Some(String::new()),
                ..ObservationQuery::default()
            },
        )
        .await?;
    // The public sees a public plan's published figures up to the latest
    // released year, judged in a released year only; with no year
    // released, none: the indicators and targets in the plan's first year.
    let (year, released) = match vis {
        Visibility::Public => {
            let asked = match year {
                Year::Exactly(y) => Some(y),
                Year::Shown(y) => y,
            };
            let (y, p) = public_year(store, plan_id, asked).await?;
            records.retain(|r| p.figure_public(r.period.calendar_year(), r.state));
            let y = match y {
                Some(y) => y,
                None => store.plan_doc(plan_id).await?.plan.start_year,
            };
            (Year::Exactly(y), Some(p))
        }
        _ => (year, None),
    };
    let year = match year {
        Year::Exactly(y) => y,
        Year::Shown(y) => {
            let latest = store.plan_doc(plan_id).await?;
            y.unwrap_or_else(|| default_year(&latest, &records))
                .clamp(latest.plan.start_year - 5, latest.plan.end_year + 5)
        }
    };
    let (doc, targets) = store.plan_at(plan_id, year).await?;
    let tolerances = tolerances.unwrap_or_else(|| doc.settings.tolerances());
    records.retain(|r| r.period.calendar_year() <= year);
    records.sort_by_key(|r| r.period);

    let mut by_code: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, r) in records.iter().enumerate() {
        by_code.entry(r.indicator.as_str()).or_default().push(i);
    }
    let indicators = doc
        .indicators
        .iter()
        .map(|d| {
            let figures = by_code.remove(d.code.as_str()).unwrap_or_default();
            let assessment = judge_indicator(d, figures.iter().map(|&i| &records[i]), year, &tolerances);
            Judged { figures, assessment }
        })
        .collect();
    Ok(Judgement {
        year,
        doc,
        targets,
        records,
        indicators,
        released,
    })
}

/// The engine's judgement of one indicator `d` in `year` on its counted
/// figures (the plan's own area, oldest first) — the step of [`judge`]
/// for one indicator, also used to show a reviewer the status a
/// submitted figure would produce. `None` for a target without a number.
pub fn judge_indicator<'a>(
    d: &IndicatorDoc,
    figures: impl IntoIterator<Item = &'a ObservationRecord>,
    year: i32,
    tolerances: &Tolerances,
) -> Option<Assessment> {
    let observations: Vec<Observation> = figures
        .into_iter()
        .map(|r| Observation::new(r.period, r.value))
        .collect();
    let baseline = d.baseline.as_ref().map(|b| Baseline::new(b.value, b.year));
    target_spec(&d.target, d).map(|s| assess(&s, baseline.as_ref(), &observations, year, tolerances))
}

/// Builds where plan `plan_id` stands for `vis` in evaluation year `year`
/// (the default year when `None`).
pub async fn build(
    store: &Store,
    plan_id: i64,
    year: Option<i32>,
    vis: Visibility,
    sample_data: bool,
) -> Result<Standing> {
    let j = judge(store, plan_id, Year::Shown(year), vis, None).await?;
    let Judgement {
        year,
        doc,
        records,
        indicators: judged,
        released,
        ..
    } = j;
    let dept_names: HashMap<&str, &str> = doc
        .departments
        .iter()
        .map(|d| (d.code.as_str(), d.name.as_str()))
        .collect();
    let name_of = |c: &String| dept_names.get(c.as_str()).map_or_else(|| c.clone(), |n| n.to_string());

    let mut states = HashMap::new();
    let mut sources: Vec<String> = Vec::new();
    let mut sample = sample_data;
    for r in &records {
        states.insert(r.id, r.state);
        if let Some(s) = &r.source {
            if !sources.contains(s) {
                sources.push(s.clone());
            }
        }
        sample |= is_sample(r);
    }

    let mut indicators = Vec::with_capacity(doc.indicators.len());
    let mut without_data = Vec::new();
    for (d, judged) in doc.indicators.iter().zip(judged) {
        let figures: Vec<Figure> = judged
            .figures
            .iter()
            .map(|&i| {
                let r = &records[i];
                Figure {
                    period: r.period,
                    value: r.value,
                    source: r.source.clone(),
                    revisions: (r.vintage - 1).max(0) as u32,
                    observation_id: Some(r.id),
                }
            })
            .collect();
        if figures.is_empty() {
            without_data.push(d.code.clone());
        }
        let assessment = judged.assessment.unwrap_or_else(|| by_hand(figures.last()));
        indicators.push(IndicatorRow {
            code: d.code.clone(),
            name: d.name.clone(),
            unit: d.unit.clone(),
            category: d.category.clone(),
            chapter: d.source.node.as_deref().and_then(chapter_of),
            quote: d.source.quote.clone(),
            attribute: d.attribute,
            measure: d.measure,
            departments: d.departments.iter().map(name_of).collect(),
            target: d.target.clone(),
            baseline: d.baseline.clone(),
            figures,
            assessment,
        });
    }

    // Chapters: every chapter an indicator or task points at, with its
    // title where the outline gives one.
    let outline = &doc.outline;
    let titles: HashMap<&str, &OutlineEntry> = outline.iter().map(|n| (n.node.as_str(), n)).collect();
    let mut chapter_ids: BTreeMap<Vec<u32>, String> = BTreeMap::new();
    let nodes = doc
        .indicators
        .iter()
        .filter_map(|i| i.source.node.as_deref())
        .chain(doc.tasks.iter().filter_map(|t| t.source.node.as_deref()))
        .chain(doc.projects.iter().filter_map(|p| p.source.node.as_deref()));
    for n in nodes {
        if let Some(c) = chapter_of(n) {
            let key = c.split('.').map(|p| p[1..].parse().unwrap_or(0)).collect();
            chapter_ids.entry(key).or_insert(c);
        }
    }
    for n in outline
        .iter()
        .filter(|n| chapter_of(&n.node).as_deref() == Some(n.node.as_str()))
    {
        let key = n
            .node
            .split('.')
            .map(|p| p.get(1..).and_then(|x| x.parse().ok()).unwrap_or(0))
            .collect();
        chapter_ids.entry(key).or_insert(n.node.clone());
    }
    let chapters = chapter_ids
        .into_values()
        .map(|id| Chapter {
            number: titles
                .get(id.as_str())
                .and_then(|n| n.number)
                .or_else(|| chapter_number(&id)),
            title: titles.get(id.as_str()).map(|n| n.title.clone()).unwrap_or_default(),
            id,
        })
        .collect();
    let sections: BTreeMap<String, String> = outline
        .iter()
        .filter(|n| section_of(&n.node).as_deref() == Some(n.node.as_str()))
        .map(|n| (n.node.clone(), n.title.clone()))
        .collect();

    // Tasks with this year's work-plan entries.
    let (today, now_year) = today();
    let entries = store.work_plan_entries(plan_id, Some(year)).await?;
    let mut work: HashMap<String, Vec<WorkEntry>> = HashMap::new();
    for e in entries {
        let done = e.status == WorkStatus::Completed;
        let late = !done && e.due_date.as_deref().is_some_and(|d| d < today.as_str());
        let state = match e.status {
            WorkStatus::Completed => "done",
            WorkStatus::Delayed => "overdue",
            _ if late => "overdue",
            WorkStatus::InProgress => "on_schedule",
            WorkStatus::NotStarted => "not_started",
        };
        work.entry(e.task.clone()).or_default().push(WorkEntry {
            id: e.id,
            year: e.year,
            milestone: e.milestone,
            due_date: e.due_date,
            state: state.into(),
            state_label: "",
            overdue: state == "overdue",
            note: e.progress_note,
        });
    }
    let tasks = doc
        .tasks
        .iter()
        .map(|t| {
            let es = work.get(&t.code).map(Vec::as_slice).unwrap_or(&[]);
            let state = if es.is_empty() {
                "not_started"
            } else if es.iter().all(|e| e.state == "done") {
                "done"
            } else if es.iter().any(|e| e.overdue) {
                "overdue"
            } else if es.iter().any(|e| e.state != "not_started") {
                "on_schedule"
            } else {
                "not_started"
            };
            TaskRow {
                code: t.code.clone(),
                title: t.title.clone(),
                departments: t.departments.iter().map(name_of).collect(),
                state: state.into(),
                note: es.iter().rev().find_map(|e| e.note.clone()),
            }
        })
        .collect();
    let projects = store
        .projects(plan_id)
        .await?
        .into_iter()
        .map(|p| ProjectRow {
            state: match p.status {
                ProjectStatus::Completed => "done",
                ProjectStatus::Suspended => "overdue",
                ProjectStatus::UnderConstruction if p.finish_year.is_some_and(|y| y < now_year) => "overdue",
                ProjectStatus::UnderConstruction => "on_schedule",
                ProjectStatus::Planned if p.start_year.is_some_and(|y| y < now_year) => "overdue",
                ProjectStatus::Planned => "not_started",
            }
            .into(),
            code: p.code,
            name: p.name,
            planned_investment: p.planned_investment,
            completed_investment: p.completed_investment,
            note: p.progress_note,
        })
        .collect();

    let mut plan = doc.plan.clone();
    plan.id = Some(plan_id);
    let snapshot = Snapshot {
        plan,
        evaluation_year: year,
        chapters,
        indicators,
        tasks,
        projects,
        notes: DataNotes {
            sources,
            revisions: Vec::new(),
            without_data,
            sample_data: sample,
        },
        comments: Vec::new(),
        approx_tolerance: doc.settings.approx_tolerance,
    };
    let mut doc = doc;
    doc.plan.id = Some(plan_id);
    let years = match released {
        Some(p) => p.released_years.into_iter().collect(),
        None => (doc.plan.start_year..=doc.plan.end_year).collect(),
    };
    Ok(Standing {
        doc,
        snapshot,
        sections,
        states,
        work,
        years,
    })
}

impl App {
    /// Where plan `plan_id` stands for `vis` in evaluation year `year` (the
    /// default year when `None`): the dashboard's, the API's and the
    /// reports' view. `sample_data` labels it as sample data whatever the
    /// batches say.
    pub async fn standing(
        &self,
        plan_id: i64,
        year: Option<i32>,
        vis: Visibility,
        sample_data: bool,
    ) -> Result<Standing> {
        build(&self.store, plan_id, year, vis, sample_data).await
    }

    /// The snapshot a report is written from: reviewed figures, and the
    /// evaluation comments (all of them, or those `reader` may read).
    pub async fn report_snapshot(
        &self,
        plan_id: i64,
        year: Option<i32>,
        vis: Visibility,
        sample_data: bool,
        reader: Option<&User>,
    ) -> Result<Snapshot> {
        let standing = self.standing(plan_id, year, vis, sample_data).await?;
        let mut snapshot = standing.snapshot;
        if vis != Visibility::Public {
            add_comments(&self.store, plan_id, &mut snapshot, reader.map(|u| (u, &standing.doc))).await?;
        }
        Ok(snapshot)
    }
}
