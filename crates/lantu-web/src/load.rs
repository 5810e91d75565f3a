//! Loading a plan from the store into a [`PlanView`]: the indicator system
//! with the targets in force in the evaluation year, the figures a
//! visitor may see (the public: published ones; the office: approved and
//! published ones), each judged by the core's progress engine, the tasks
//! with their work-plan entries and the key projects. Views are cached for
//! a few seconds and dropped on every write made through the web.

use crate::error::WebError;
use crate::view::{chapter_of, PlanView, WorkEntry};
use crate::AppState;
use lantu_core::observation::ObservationState;
use lantu_core::plan::{OutlineEntry, PlanDoc, TargetDoc};
use lantu_core::policy::Publication;
use lantu_core::progress::{assess, Assessment, Baseline, Observation, Reason, Status, TargetSpec};
use lantu_core::snapshot::{Chapter, CommentNote, DataNotes, Figure, IndicatorRow, ProjectRow, Snapshot, TaskRow};
use lantu_core::{Attribute, TargetKind};
use lantu_store::{ObservationQuery, ObservationRecord, ProjectStatus, Store, View, WorkStatus};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// Whose eyes a view is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Visibility {
    /// The public portal and anonymous API: published figures only.
    Public,
    /// Logged-in staff: approved and published figures (the evaluation as
    /// it stands). Drafts and submitted figures appear only in data entry
    /// and review.
    Internal,
}

impl Visibility {
    pub fn view(self) -> View {
        match self {
            Visibility::Public => View::Published,
            Visibility::Internal => View::Reviewed,
        }
    }
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

fn spec(t: &TargetDoc, doc: &lantu_core::plan::IndicatorDoc) -> Option<TargetSpec> {
    if t.kind == TargetKind::Relative {
        return None;
    }
    Some(TargetSpec {
        measure: doc.measure,
        comparator: t.comparator,
        value: t.value?,
        value_max: t.value_max,
        unit: doc.unit.clone(),
        year: t.year,
        binding: doc.attribute == Attribute::Binding,
    })
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
    reader: Option<(&crate::auth::User, &PlanDoc)>,
) -> Result<(), WebError> {
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

/// What the public may see of plan `plan_id` in `year` (`None`: the
/// default year), by the one rule of [`Publication`]: a plan that is not
/// public is not found, nor is a year not released; the default is the
/// latest released year (`None` when no year is released yet: the plan is
/// shown without figures). Returns the year and the plan's publication.
pub async fn public_year(
    store: &Store,
    plan_id: i64,
    year: Option<i32>,
) -> Result<(Option<i32>, Publication), WebError> {
    let p = store.publication(plan_id).await?;
    let year = match year {
        _ if !p.plan_public() => return Err(WebError::NotFound),
        Some(y) if p.year_public(y) => Some(y),
        Some(_) => return Err(WebError::NotFound),
        None => p.default_year(),
    };
    Ok((year, p))
}

/// Builds the view of plan `plan_id` for `vis` in evaluation year `year`
/// (the default year when `None`).
pub async fn build(
    store: &Store,
    plan_id: i64,
    year: Option<i32>,
    vis: Visibility,
    sample_data: bool,
) -> Result<PlanView, WebError> {
    let (year, released) = match vis {
        Visibility::Public => {
            let (y, p) = public_year(store, plan_id, year).await?;
            (y, Some(p))
        }
        Visibility::Internal => (year, None),
    };
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
    let latest_doc = store.plan_doc(plan_id).await?;
    if let Some(p) = &released {
        // Published figures up to the latest released year; with no year
        // released, none: the plan's indicators and targets in its first
        // year, nothing judged.
        records.retain(|r| p.figure_public(r.period.calendar_year(), r.state));
    }
    let year = year
        .or_else(|| released.as_ref().map(|_| latest_doc.plan.start_year))
        .unwrap_or_else(|| default_year(&latest_doc, &records))
        .clamp(latest_doc.plan.start_year - 5, latest_doc.plan.end_year + 5);
    let doc = store.plan_doc_at(plan_id, year).await?;
    let tolerances = doc.settings.tolerances();
    let dept_names: HashMap<&str, &str> = doc
        .departments
        .iter()
        .map(|d| (d.code.as_str(), d.name.as_str()))
        .collect();
    let name_of = |c: &String| dept_names.get(c.as_str()).map_or_else(|| c.clone(), |n| n.to_string());

    let mut by_code: HashMap<&str, Vec<&ObservationRecord>> = HashMap::new();
    let mut states = HashMap::new();
    let mut sources: Vec<String> = Vec::new();
    let mut sample = sample_data;
    for r in &records {
        if r.period.calendar_year() > year {
            continue;
        }
        by_code.entry(r.indicator.as_str()).or_default().push(r);
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
    for d in &doc.indicators {
        let mut recs = by_code.remove(d.code.as_str()).unwrap_or_default();
        recs.sort_by_key(|r| r.period);
        let figures: Vec<Figure> = recs
            .iter()
            .map(|r| Figure {
                period: r.period,
                value: r.value,
                source: r.source.clone(),
                revisions: (r.vintage - 1).max(0) as u32,
                observation_id: Some(r.id),
            })
            .collect();
        if figures.is_empty() {
            without_data.push(d.code.clone());
        }
        let observations: Vec<Observation> = figures.iter().map(|f| Observation::new(f.period, f.value)).collect();
        let baseline = d.baseline.as_ref().map(|b| Baseline::new(b.value, b.year));
        let assessment = match spec(&d.target, d) {
            Some(s) => assess(&s, baseline.as_ref(), &observations, year, &tolerances),
            None => by_hand(figures.last()),
        };
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
    let outline = &latest_doc.outline;
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
        .filter(|n| crate::view::section_of(&n.node).as_deref() == Some(n.node.as_str()))
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
    };
    let mut doc = doc;
    doc.plan.id = Some(plan_id);
    let mut view = PlanView::new(doc, snapshot, sections, states);
    view.work = work;
    view.years = match released {
        Some(p) => p.released_years.into_iter().collect(),
        None => (view.doc.plan.start_year..=view.doc.plan.end_year).collect(),
    };
    Ok(view)
}

impl AppState {
    /// The cached view of a plan (built when missing or stale).
    pub async fn plan_view(&self, plan_id: i64, year: Option<i32>, vis: Visibility) -> Result<Arc<PlanView>, WebError> {
        let key = (plan_id, year, vis);
        let generation = self.generation();
        if let Some((at, gen, v)) = self.inner.cache.read().unwrap().get(&key) {
            if *gen == generation && at.elapsed() < self.inner.config.cache_ttl {
                return Ok(v.clone());
            }
        }
        let v = Arc::new(build(&self.inner.store, plan_id, year, vis, self.inner.config.sample_data).await?);
        let mut cache = self.inner.cache.write().unwrap();
        if cache.len() > 64 {
            cache.clear();
        }
        cache.insert(key, (std::time::Instant::now(), generation, v.clone()));
        Ok(v)
    }

    /// The states of every latest vintage, for pages that show drafts
    /// (entry, review): not cached.
    pub async fn latest_records(
        &self,
        plan_id: i64,
        department: Option<&str>,
    ) -> Result<Vec<ObservationRecord>, WebError> {
        Ok(self
            .inner
            .store
            .observations(
                plan_id,
                &ObservationQuery {
                    view: View::Latest,
                    department: department.map(str::to_string),
                    geography: Some(String::new()),
                    ..ObservationQuery::default()
                },
            )
            .await?)
    }
}

/// The state labels of a record list, for tests and the API.
pub fn state_of(records: &[ObservationRecord], id: i64) -> Option<ObservationState> {
    records.iter().find(|r| r.id == id).map(|r| r.state)
}
