//! What the pages show, computed from plain values: the plan's indicator
//! system ([`PlanDoc`]) and where it stands ([`Snapshot`]). Nothing here
//! reads a database or an HTTP request: handlers load a [`PlanView`] and
//! call these functions, templates render the result.

use crate::format::{self, dec, float, percent};
use crate::i18n::{t, Lang};
use crate::search::{self, Doc, Kind};
use lantu_core::observation::ObservationState;
use lantu_core::plan::{Frequency, IndicatorDoc, PlanDoc};
use lantu_core::progress::StatusCounts;
use lantu_core::snapshot::{IndicatorRow, Snapshot};
use lantu_core::{Attribute, Direction, Status};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

pub use lantu_app::{chapter_of, section_of, WorkEntry};

/// One plan as the pages see it.
#[derive(Debug, Clone)]
pub struct PlanView {
    pub doc: PlanDoc,
    pub snapshot: Snapshot,
    /// Titles of outline nodes other than chapters (sections `c3.s1`), when
    /// known.
    pub sections: BTreeMap<String, String>,
    /// The review state of each figure, by observation id, where known.
    pub states: HashMap<i64, ObservationState>,
    pub index: search::Index,
    /// Work-plan entries of the evaluation year, by task code.
    pub work: HashMap<String, Vec<WorkEntry>>,
    /// The evaluation years the visitor may choose: the plan period for
    /// staff, the released years for the public.
    pub years: Vec<i32>,
    docs_by_code: HashMap<String, usize>,
    rows_by_code: HashMap<String, usize>,
}

impl From<lantu_app::Standing> for PlanView {
    fn from(s: lantu_app::Standing) -> PlanView {
        let mut v = PlanView::new(s.doc, s.snapshot, s.sections, s.states);
        v.work = s.work;
        v.years = s.years;
        v
    }
}

impl PlanView {
    pub fn new(
        doc: PlanDoc,
        snapshot: Snapshot,
        sections: BTreeMap<String, String>,
        states: HashMap<i64, ObservationState>,
    ) -> PlanView {
        let docs_by_code = doc
            .indicators
            .iter()
            .enumerate()
            .map(|(i, d)| (d.code.clone(), i))
            .collect();
        let rows_by_code = snapshot
            .indicators
            .iter()
            .enumerate()
            .map(|(i, r)| (r.code.clone(), i))
            .collect();
        let mut v = PlanView {
            doc,
            snapshot,
            sections,
            states,
            index: search::Index::default(),
            work: HashMap::new(),
            years: Vec::new(),
            docs_by_code,
            rows_by_code,
        };
        v.index = v.build_index();
        v
    }

    fn build_index(&self) -> search::Index {
        let mut idx = search::Index::default();
        for r in &self.snapshot.indicators {
            let mut text = r.quote.clone().unwrap_or_default();
            if let Some(c) = &r.category {
                text.push(' ');
                text.push_str(c);
            }
            for d in &r.departments {
                text.push(' ');
                text.push_str(d);
            }
            idx.push(Doc::new(Kind::Indicator, &r.code, &r.name, &text));
        }
        for c in &self.snapshot.chapters {
            idx.push(Doc::new(Kind::Chapter, &c.id, &c.title, ""));
        }
        for (id, title) in &self.sections {
            idx.push(Doc::new(Kind::Chapter, id, title, ""));
        }
        for task in &self.doc.tasks {
            let text = task.source.quote.clone().unwrap_or_else(|| task.title.clone());
            idx.push(Doc::new(Kind::Task, &task.code, &task.title, &text));
        }
        for p in &self.doc.projects {
            let text = p.source.quote.clone().unwrap_or_else(|| p.name.clone());
            idx.push(Doc::new(Kind::Project, &p.code, &p.name, &text));
        }
        idx
    }

    pub fn plan_id(&self) -> i64 {
        self.snapshot.plan.id.or(self.doc.plan.id).unwrap_or(0)
    }

    pub fn indicator_doc(&self, code: &str) -> Option<&IndicatorDoc> {
        self.docs_by_code.get(code).map(|i| &self.doc.indicators[*i])
    }

    pub fn row(&self, code: &str) -> Option<&IndicatorRow> {
        self.rows_by_code.get(code).map(|i| &self.snapshot.indicators[*i])
    }

    pub fn department_name(&self, code: &str) -> String {
        self.doc
            .departments
            .iter()
            .find(|d| d.code == code)
            .map_or_else(|| code.to_string(), |d| d.name.clone())
    }

    /// The department codes responsible for an indicator (lead and co).
    pub fn departments_of(&self, code: &str) -> Vec<String> {
        self.indicator_doc(code)
            .map(|d| d.departments.iter().chain(&d.co_departments).cloned().collect())
            .unwrap_or_default()
    }

    /// The outline node an indicator comes from.
    pub fn node_of(&self, code: &str) -> Option<&str> {
        self.indicator_doc(code).and_then(|d| d.source.node.as_deref())
    }

    pub fn chapter_label(&self, lang: Lang, id: &str) -> String {
        match self.snapshot.chapters.iter().find(|c| c.id == id) {
            Some(c) => chapter_title(lang, c.number, &c.title),
            None => id.to_string(),
        }
    }

    pub fn section_label(&self, lang: Lang, id: &str) -> String {
        let number = id
            .rsplit('.')
            .next()
            .and_then(|s| s.strip_prefix('s'))
            .and_then(|n| n.parse::<u32>().ok());
        let title = self.sections.get(id).map(String::as_str).unwrap_or("");
        match (lang, number) {
            (Lang::Zh, Some(n)) => format!("第{}节 {title}", zh_number(n)).trim_end().to_string(),
            (Lang::En, Some(n)) => format!("Section {n} {title}").trim_end().to_string(),
            _ => title.to_string(),
        }
    }
}

/// `第三章 title` / `Chapter 3 title`.
pub fn chapter_title(lang: Lang, number: Option<u32>, title: &str) -> String {
    match (lang, number) {
        (Lang::Zh, Some(n)) => format!("第{}章 {title}", zh_number(n)),
        (Lang::En, Some(n)) => format!("Chapter {n} {title}"),
        _ => title.to_string(),
    }
}

/// 1–99 in Chinese numerals (第十二章).
pub fn zh_number(n: u32) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n as usize].into(),
        10 => "十".into(),
        11..=19 => format!("十{}", D[(n % 10) as usize]),
        20..=99 => format!(
            "{}十{}",
            D[(n / 10) as usize],
            if n.is_multiple_of(10) { "" } else { D[(n % 10) as usize] }
        ),
        _ => n.to_string(),
    }
}

/// Percent-encodes a path segment.
pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Where a page sits: the internal system or the public portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Site {
    pub public: bool,
}

impl Site {
    pub fn base(self) -> &'static str {
        if self.public {
            "/public"
        } else {
            ""
        }
    }

    pub fn plan_url(self, plan: i64) -> String {
        format!("{}/plans/{plan}", self.base())
    }

    pub fn indicator_url(self, plan: i64, code: &str) -> String {
        format!("{}/plans/{plan}/indicators/{}", self.base(), enc(code))
    }
}

// ------------------------------------------------------------- indicators

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorItem {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub category: Option<String>,
    pub chapter: Option<String>,
    pub section: Option<String>,
    pub attribute: &'static str,
    pub attribute_label: &'static str,
    pub binding: bool,
    pub status: &'static str,
    pub status_label: &'static str,
    pub warning: bool,
    pub latest: Option<String>,
    pub latest_period: Option<String>,
    /// Said when the latest figure is of an earlier year than the one
    /// shown: the status is then read from that figure (本年度尚无数据).
    pub stale: Option<String>,
    pub target: String,
    pub target_year: i32,
    pub departments: Vec<String>,
    pub url: String,
}

/// The latest figure as read against the target: for a cumulative target
/// the running total since the baseline (`累计 2.5 条`).
fn latest_text(lang: Lang, r: &IndicatorRow, year: i32, unit: &str) -> Option<String> {
    let f = r.latest()?;
    if r.measure == lantu_core::Measure::Cumulative {
        // The total the status was judged on (the series model's, exact).
        let total = lantu_app::charts::Series::of(r, year, rust_decimal::Decimal::ZERO)
            .current?
            .value;
        return Some(format!(
            "{} {}",
            format::measure_label(lang, r.measure),
            format::amount(lang, total, unit)
        ));
    }
    Some(format::amount(lang, f.value, unit))
}

/// 本年度尚无数据 with the period of the latest figure, when that figure is
/// of a year before `year`: no page judges a year on an earlier year's
/// figure without saying so.
pub fn stale_note(lang: Lang, r: &IndicatorRow, year: i32) -> Option<String> {
    let f = r.latest().filter(|f| f.period.calendar_year() < year)?;
    Some(match lang {
        Lang::Zh => format!("本年度尚无数据（最新：{}）", f.period),
        Lang::En => format!("No figure for this year yet; latest: {}", f.period),
    })
}

pub fn item(v: &PlanView, site: Site, lang: Lang, r: &IndicatorRow) -> IndicatorItem {
    let unit = r.unit.clone().unwrap_or_default();
    IndicatorItem {
        code: r.code.clone(),
        name: r.name.clone(),
        unit: unit.clone(),
        category: r.category.clone(),
        chapter: r.chapter.clone(),
        section: v.node_of(&r.code).and_then(section_of),
        attribute: r.attribute.as_str(),
        attribute_label: format::attribute_label(lang, r.attribute),
        binding: r.attribute == Attribute::Binding,
        status: r.assessment.status.as_str(),
        status_label: format::status_label(lang, r.assessment.status),
        warning: r.assessment.warning,
        latest: latest_text(lang, r, v.snapshot.evaluation_year, &unit),
        latest_period: r.latest().map(|f| f.period.to_string()),
        stale: stale_note(lang, r, v.snapshot.evaluation_year),
        target: format::target_text(lang, &r.target, r.measure, r.unit.as_deref()),
        target_year: r.target.year,
        departments: r.departments.clone(),
        url: site.indicator_url(v.plan_id(), &r.code),
    }
}

/// The dashboard's filters, as GET parameters.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Filters {
    #[serde(default)]
    pub chapter: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub attribute: Option<String>,
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub q: Option<String>,
}

impl Filters {
    /// Empty parameters count as absent.
    pub fn clean(mut self) -> Filters {
        for f in [
            &mut self.chapter,
            &mut self.category,
            &mut self.attribute,
            &mut self.department,
            &mut self.status,
            &mut self.q,
        ] {
            if f.as_deref().is_some_and(|s| s.trim().is_empty() || s == "all") {
                *f = None;
            }
        }
        self
    }

    pub fn active(&self) -> bool {
        self.chapter.is_some()
            || self.category.is_some()
            || self.attribute.is_some()
            || self.department.is_some()
            || self.status.is_some()
    }

    pub fn matches(&self, r: &IndicatorRow) -> bool {
        self.chapter.as_ref().is_none_or(|c| r.chapter.as_ref() == Some(c))
            && self.category.as_ref().is_none_or(|c| r.category.as_ref() == Some(c))
            && self.attribute.as_ref().is_none_or(|a| r.attribute.as_str() == a)
            && self
                .department
                .as_ref()
                .is_none_or(|d| r.departments.iter().any(|x| x == d))
            && self.status.as_ref().is_none_or(|s| match s.as_str() {
                "warning" => r.assessment.warning,
                s => r.assessment.status.as_str() == s,
            })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct CountItem {
    pub code: &'static str,
    pub label: &'static str,
    pub count: usize,
    /// Share of the total, for the bar: 0–100.
    pub pct: f64,
}

/// The statuses to show, in the office's order; the final-evaluation and
/// not-assessable ones only when they occur.
pub fn counts(lang: Lang, c: &StatusCounts) -> Vec<CountItem> {
    let total = c.total().max(1) as f64;
    Status::ALL
        .into_iter()
        .filter(|s| {
            matches!(
                s,
                Status::Achieved | Status::Ahead | Status::OnTrack | Status::Lagging | Status::NoData
            ) || c.get(*s) > 0
        })
        .map(|s| CountItem {
            code: s.as_str(),
            label: format::status_label(lang, s),
            count: c.get(s),
            pct: (c.get(s) as f64 / total * 1000.0).round() / 10.0,
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionNode {
    pub id: String,
    pub label: String,
    pub items: Vec<IndicatorItem>,
    pub tasks: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChapterNode {
    pub id: String,
    pub label: String,
    pub counts: Vec<CountItem>,
    pub total: usize,
    pub items: Vec<IndicatorItem>,
    pub sections: Vec<SectionNode>,
    pub tasks: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub year: i32,
    pub elapsed: String,
    pub report_kind: &'static str,
    /// `annual`, `midterm` or `final`: the report of the year, for downloads.
    pub report_code: &'static str,
    /// Where the reports of this plan are downloaded (`/public/plans/1/report`).
    pub report_base: String,
    pub total: usize,
    pub counts: Vec<CountItem>,
    pub binding_total: usize,
    pub binding_counts: Vec<CountItem>,
    pub binding: Vec<IndicatorItem>,
    pub warnings: Vec<IndicatorItem>,
    pub tree: Vec<ChapterNode>,
    pub filters: Filters,
    pub filtered: bool,
    pub shown: usize,
    pub chapters: Vec<Opt>,
    pub categories: Vec<Opt>,
    pub attributes: Vec<Opt>,
    pub departments: Vec<Opt>,
    pub statuses: Vec<Opt>,
    pub hits: Vec<SearchHit>,
    pub tasks_total: usize,
    pub projects_total: usize,
    /// Every chapter's status counts, unfiltered.
    pub by_chapter: Vec<ChapterCount>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChapterCount {
    pub id: String,
    pub label: String,
    pub total: usize,
    pub counts: Vec<CountItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    pub kind: Kind,
    pub kind_label: &'static str,
    pub code: String,
    pub title: String,
    pub snippet: String,
    pub url: String,
    pub status: Option<&'static str>,
    pub status_label: Option<&'static str>,
}

pub fn search(v: &PlanView, site: Site, lang: Lang, q: &str) -> Vec<SearchHit> {
    v.index
        .search(q, 50)
        .into_iter()
        .map(|h| {
            let row = (h.kind == Kind::Indicator).then(|| v.row(&h.code)).flatten();
            let plan = site.plan_url(v.plan_id());
            let url = match h.kind {
                Kind::Indicator => site.indicator_url(v.plan_id(), &h.code),
                Kind::Task => format!("{plan}/tasks#{}", enc(&h.code)),
                Kind::Project => format!("{plan}/projects#{}", enc(&h.code)),
                Kind::Chapter => {
                    let ch = chapter_of(&h.code).unwrap_or_else(|| h.code.clone());
                    format!("{plan}?chapter={}", enc(&ch))
                }
            };
            SearchHit {
                kind: h.kind,
                kind_label: match h.kind {
                    Kind::Indicator => t(lang, "indicator"),
                    Kind::Task => t(lang, "tasks"),
                    Kind::Project => t(lang, "projects"),
                    Kind::Chapter => t(lang, "chapter"),
                },
                code: h.code,
                title: h.title,
                snippet: h.snippet,
                url,
                status: row.map(|r| r.assessment.status.as_str()),
                status_label: row.map(|r| format::status_label(lang, r.assessment.status)),
            }
        })
        .collect()
}

fn options(values: impl IntoIterator<Item = (String, String)>, selected: &Option<String>) -> Vec<Opt> {
    values
        .into_iter()
        .map(|(value, label)| Opt {
            selected: selected.as_deref() == Some(value.as_str()),
            value,
            label,
        })
        .collect()
}

/// Sorting key of a section id: its numbers (`c3.s10` after `c3.s9`).
fn node_key(id: &str) -> Vec<u32> {
    id.split('.')
        .map(|p| {
            p.trim_start_matches(|c: char| c.is_ascii_alphabetic())
                .parse()
                .unwrap_or(0)
        })
        .collect()
}

/// Binding targets first, then warnings, then by status rank (worst
/// first), then by code.
fn sort_attention(items: &mut [IndicatorItem]) {
    items.sort_by_key(|i| {
        (
            !i.binding,
            !i.warning,
            Status::from_code(i.status).and_then(Status::rank),
            i.code.clone(),
        )
    });
}

pub fn dashboard(v: &PlanView, site: Site, lang: Lang, filters: Filters) -> Dashboard {
    let s = &v.snapshot;
    let all: StatusCounts = s.indicators.iter().map(|r| r.assessment.status).collect();
    let binding: StatusCounts = s
        .indicators
        .iter()
        .filter(|r| r.attribute == Attribute::Binding)
        .map(|r| r.assessment.status)
        .collect();
    let mut warnings: Vec<IndicatorItem> = s
        .indicators
        .iter()
        .filter(|r| r.assessment.warning)
        .map(|r| item(v, site, lang, r))
        .collect();
    sort_attention(&mut warnings);
    let mut binding_items: Vec<IndicatorItem> = s
        .indicators
        .iter()
        .filter(|r| r.attribute == Attribute::Binding)
        .map(|r| item(v, site, lang, r))
        .collect();
    sort_attention(&mut binding_items);

    // Tasks per section and chapter.
    let mut tasks_in: HashMap<String, usize> = HashMap::new();
    for task in &v.doc.tasks {
        if let Some(node) = task.source.node.as_deref() {
            if let Some(sec) = section_of(node) {
                *tasks_in.entry(sec).or_default() += 1;
            }
            if let Some(ch) = chapter_of(node) {
                *tasks_in.entry(ch).or_default() += 1;
            }
        }
    }

    let shown_rows: Vec<&IndicatorRow> = s.indicators.iter().filter(|r| filters.matches(r)).collect();
    let mut tree: Vec<ChapterNode> = Vec::new();
    let mut chapter_ids: Vec<Option<String>> = s.chapters.iter().map(|c| Some(c.id.clone())).collect();
    chapter_ids.push(None);
    for ch in chapter_ids {
        let rows: Vec<&&IndicatorRow> = shown_rows
            .iter()
            .filter(|r| match &ch {
                Some(id) => r.chapter.as_ref() == Some(id),
                None => r
                    .chapter
                    .as_ref()
                    .is_none_or(|c| !s.chapters.iter().any(|x| &x.id == c)),
            })
            .collect();
        if rows.is_empty() && (filters.active() || ch.is_none()) {
            continue;
        }
        let c: StatusCounts = rows.iter().map(|r| r.assessment.status).collect();
        let mut sections: BTreeMap<Vec<u32>, SectionNode> = BTreeMap::new();
        let mut direct = Vec::new();
        for r in &rows {
            let it = item(v, site, lang, r);
            match &it.section {
                Some(sec) => sections
                    .entry(node_key(sec))
                    .or_insert_with(|| SectionNode {
                        id: sec.clone(),
                        label: v.section_label(lang, sec),
                        items: Vec::new(),
                        tasks: tasks_in.get(sec).copied().unwrap_or(0),
                    })
                    .items
                    .push(it),
                None => direct.push(it),
            }
        }
        let (id, label) = match &ch {
            Some(id) => (id.clone(), v.chapter_label(lang, id)),
            None => ("none".to_string(), t(lang, "unassigned").to_string()),
        };
        tree.push(ChapterNode {
            tasks: tasks_in.get(&id).copied().unwrap_or(0),
            id,
            label,
            counts: counts(lang, &c).into_iter().filter(|x| x.count > 0).collect(),
            total: c.total(),
            items: direct,
            sections: sections.into_values().collect(),
        });
    }

    let mut categories: Vec<String> = s.indicators.iter().filter_map(|r| r.category.clone()).collect();
    categories.sort();
    categories.dedup();
    let mut departments: Vec<String> = s.indicators.iter().flat_map(|r| r.departments.clone()).collect();
    departments.sort();
    departments.dedup();
    let mut statuses: Vec<(String, String)> = counts(lang, &all)
        .into_iter()
        .map(|c| (c.code.to_string(), c.label.to_string()))
        .collect();
    statuses.push(("warning".into(), t(lang, "warning").into()));
    let hits = filters
        .q
        .as_deref()
        .map(|q| search(v, site, lang, q))
        .unwrap_or_default();

    let by_chapter = s
        .chapters
        .iter()
        .filter_map(|c| {
            let sc: StatusCounts = s
                .indicators
                .iter()
                .filter(|r| r.chapter.as_ref() == Some(&c.id))
                .map(|r| r.assessment.status)
                .collect();
            (sc.total() > 0).then(|| ChapterCount {
                id: c.id.clone(),
                label: v.chapter_label(lang, &c.id),
                total: sc.total(),
                counts: counts(lang, &sc).into_iter().filter(|x| x.count > 0).collect(),
            })
        })
        .collect();
    Dashboard {
        by_chapter,
        year: s.evaluation_year,
        elapsed: percent(s.time_elapsed()),
        report_kind: lang.pick(s.default_kind().label_zh(), s.default_kind().label_en()),
        report_base: format!("{}/plans/{}/report", site.base(), s.plan.id.unwrap_or(0)),
        report_code: s.default_kind().code(),
        total: all.total(),
        counts: counts(lang, &all),
        binding_total: binding.total(),
        binding_counts: counts(lang, &binding).into_iter().filter(|c| c.count > 0).collect(),
        binding: binding_items,
        warnings,
        tree,
        filtered: filters.active(),
        shown: shown_rows.len(),
        chapters: options(
            s.chapters.iter().map(|c| (c.id.clone(), v.chapter_label(lang, &c.id))),
            &filters.chapter,
        ),
        categories: options(categories.into_iter().map(|c| (c.clone(), c)), &filters.category),
        attributes: options(
            [Attribute::Binding, Attribute::Expected]
                .into_iter()
                .map(|a| (a.as_str().to_string(), format::attribute_label(lang, a).to_string())),
            &filters.attribute,
        ),
        departments: options(departments.into_iter().map(|d| (d.clone(), d)), &filters.department),
        statuses: options(statuses, &filters.status),
        filters,
        hits,
        tasks_total: v.doc.tasks.len(),
        projects_total: v.doc.projects.len(),
    }
}

// --------------------------------------------------------- indicator page

#[derive(Debug, Clone, Serialize)]
pub struct FigureRow {
    pub period: String,
    pub value: String,
    pub source: Option<String>,
    pub state: Option<&'static str>,
    pub state_label: Option<&'static str>,
    pub revisions: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorPage {
    pub item: IndicatorItem,
    pub measure_label: &'static str,
    pub direction_label: &'static str,
    pub frequency_label: &'static str,
    pub target_reason: Option<String>,
    pub baseline: Option<String>,
    pub lead_departments: Vec<String>,
    pub co_departments: Vec<String>,
    pub data_source: Option<String>,
    pub reasoning: Vec<String>,
    pub projection: Option<String>,
    pub progress: Option<String>,
    pub ratio: Option<String>,
    pub elapsed: Option<String>,
    pub chart: String,
    pub figures: Vec<FigureRow>,
    pub quote: Option<String>,
    pub chapter_label: Option<String>,
    pub section_label: Option<String>,
    pub chapter_url: Option<String>,
    pub prev: Option<(String, String)>,
    pub next: Option<(String, String)>,
}

pub fn state_label(lang: Lang, s: ObservationState) -> &'static str {
    match s {
        ObservationState::Draft => t(lang, "draft"),
        ObservationState::Submitted => t(lang, "submitted"),
        ObservationState::Approved => t(lang, "approved"),
        ObservationState::Published => t(lang, "published"),
    }
}

pub fn indicator_page(v: &PlanView, site: Site, lang: Lang, code: &str) -> Option<IndicatorPage> {
    let r = v.row(code)?;
    let d = v.indicator_doc(code);
    let a = &r.assessment;
    let pos = v.snapshot.indicators.iter().position(|x| x.code == code)?;
    let neighbour = |i: usize| {
        v.snapshot
            .indicators
            .get(i)
            .map(|x| (site.indicator_url(v.plan_id(), &x.code), x.name.clone()))
    };
    let node = d.and_then(|d| d.source.node.clone());
    let section = node.as_deref().and_then(section_of);
    let figures = r
        .figures
        .iter()
        .rev()
        .map(|f| {
            let state = f.observation_id.and_then(|id| v.states.get(&id)).copied();
            FigureRow {
                period: f.period.to_string(),
                value: format::amount(lang, f.value, r.unit.as_deref().unwrap_or("")),
                source: f.source.clone(),
                state: state.map(|s| s.as_str()),
                state_label: state.map(|s| state_label(lang, s)),
                revisions: f.revisions,
            }
        })
        .collect();
    let lead: Vec<String> = d
        .map(|d| d.departments.iter().map(|c| v.department_name(c)).collect())
        .unwrap_or_else(|| r.departments.clone());
    Some(IndicatorPage {
        item: item(v, site, lang, r),
        measure_label: format::measure_label(lang, r.measure),
        direction_label: match d.map(|d| d.direction) {
            Some(Direction::LowerIsBetter) => t(lang, "direction_lower"),
            _ => t(lang, "direction_higher"),
        },
        frequency_label: match d.map(|d| d.frequency).unwrap_or_default() {
            Frequency::Annual => t(lang, "frequency_annual"),
            Frequency::Quarterly => t(lang, "frequency_quarterly"),
            Frequency::Monthly => t(lang, "frequency_monthly"),
        },
        target_reason: r.target.reason.clone(),
        baseline: r
            .baseline
            .as_ref()
            .map(|b| format::baseline_text(b, r.unit.as_deref(), lang)),
        lead_departments: lead,
        co_departments: d
            .map(|d| d.co_departments.iter().map(|c| v.department_name(c)).collect())
            .unwrap_or_default(),
        data_source: d.and_then(|d| d.data_source.clone()),
        reasoning: format::reasoning(lang, a, &v.doc.settings.tolerances()),
        projection: a
            .projection
            .as_ref()
            .map(|p| format::projection_text(lang, p, r.measure, r.unit.as_deref())),
        progress: a.progress.map(percent),
        ratio: a.ratio.map(float),
        elapsed: a.elapsed_share.map(percent),
        chart: crate::chart::svg(r, v.snapshot.evaluation_year, v.doc.settings.approx_tolerance, lang),
        figures,
        quote: r.quote.as_deref().map(|q| format::highlight_quote(q, &r.name)),
        chapter_label: r.chapter.as_deref().map(|c| v.chapter_label(lang, c)),
        section_label: section.as_deref().map(|s| v.section_label(lang, s)),
        chapter_url: r
            .chapter
            .as_deref()
            .map(|c| format!("{}?chapter={}", site.plan_url(v.plan_id()), enc(c))),
        prev: pos.checked_sub(1).and_then(neighbour),
        next: neighbour(pos + 1),
    })
}

// ------------------------------------------------------ tasks and projects

pub fn work_state_label(lang: Lang, state: &str) -> &'static str {
    match state {
        "done" | "completed" => t(lang, "done"),
        "on_schedule" | "in_progress" | "on_track" => t(lang, "on_schedule"),
        "overdue" | "delayed" => t(lang, "overdue"),
        _ => t(lang, "not_started"),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TaskItem {
    pub code: String,
    pub title: String,
    pub departments: Vec<String>,
    pub state: String,
    pub state_label: &'static str,
    pub overdue: bool,
    pub note: Option<String>,
    pub entries: Vec<WorkEntry>,
    /// The viewer may add and update work-plan entries.
    pub editable: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaskGroup {
    pub id: String,
    pub label: String,
    pub tasks: Vec<TaskItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TasksPage {
    pub groups: Vec<TaskGroup>,
    pub total: usize,
    pub overdue: usize,
    pub done: usize,
    pub departments: Vec<Opt>,
}

pub fn tasks_page(
    v: &PlanView,
    lang: Lang,
    department: Option<String>,
    editable: impl Fn(&lantu_core::plan::TaskDoc) -> bool,
) -> TasksPage {
    let rows: HashMap<&str, &lantu_core::snapshot::TaskRow> =
        v.snapshot.tasks.iter().map(|t| (t.code.as_str(), t)).collect();
    let mut groups: Vec<TaskGroup> = Vec::new();
    let (mut total, mut overdue, mut done) = (0, 0, 0);
    let mut all_departments: Vec<String> = Vec::new();
    for task in &v.doc.tasks {
        let row = rows.get(task.code.as_str());
        let departments: Vec<String> = match row {
            Some(r) if !r.departments.is_empty() => r.departments.clone(),
            _ => task.departments.iter().map(|c| v.department_name(c)).collect(),
        };
        all_departments.extend(departments.iter().cloned());
        if department.as_ref().is_some_and(|d| !departments.contains(d)) {
            continue;
        }
        let state = row.map_or("not_started".to_string(), |r| r.state.clone());
        let item = TaskItem {
            code: task.code.clone(),
            title: task.title.clone(),
            departments,
            state_label: work_state_label(lang, &state),
            overdue: state == "overdue",
            note: row.and_then(|r| r.note.clone()),
            editable: editable(task),
            entries: v
                .work
                .get(&task.code)
                .map(|es| {
                    es.iter()
                        .map(|e| WorkEntry {
                            state_label: work_state_label(lang, &e.state),
                            ..e.clone()
                        })
                        .collect()
                })
                .unwrap_or_default(),
            state,
        };
        total += 1;
        overdue += usize::from(item.overdue);
        done += usize::from(item.state == "done");
        let ch = task
            .source
            .node
            .as_deref()
            .and_then(chapter_of)
            .unwrap_or_else(|| "none".into());
        match groups.iter_mut().find(|g| g.id == ch) {
            Some(g) => g.tasks.push(item),
            None => groups.push(TaskGroup {
                label: if ch == "none" {
                    t(lang, "unassigned").to_string()
                } else {
                    v.chapter_label(lang, &ch)
                },
                id: ch,
                tasks: vec![item],
            }),
        }
    }
    all_departments.sort();
    all_departments.dedup();
    TasksPage {
        groups,
        total,
        overdue,
        done,
        departments: options(all_departments.into_iter().map(|d| (d.clone(), d)), &department),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ProjectItem {
    pub code: String,
    /// The stored state word (planned, under_construction, completed,
    /// suspended) for the progress form.
    pub status: Option<String>,
    pub name: String,
    pub action: Option<String>,
    pub capacity: Option<String>,
    pub years: Option<String>,
    pub departments: Vec<String>,
    pub planned: Option<String>,
    pub completed: Option<String>,
    pub progress: Option<String>,
    pub progress_pct: Option<f64>,
    pub state: String,
    pub state_label: &'static str,
    pub overdue: bool,
    pub note: Option<String>,
}

pub fn projects_page(v: &PlanView, lang: Lang, statuses: &HashMap<&str, String>) -> Vec<ProjectItem> {
    let rows: HashMap<&str, &lantu_core::snapshot::ProjectRow> =
        v.snapshot.projects.iter().map(|p| (p.code.as_str(), p)).collect();
    v.doc
        .projects
        .iter()
        .map(|p| {
            let row = rows.get(p.code.as_str());
            let planned = row.and_then(|r| r.planned_investment).or(p.planned_investment);
            let completed = row.and_then(|r| r.completed_investment);
            let pct = match (planned, completed) {
                (Some(pl), Some(c)) if !pl.is_zero() => {
                    use rust_decimal::prelude::ToPrimitive;
                    (c / pl).to_f64().map(|x| (x * 100.0).clamp(0.0, 100.0))
                }
                _ => None,
            };
            let state = row.map_or("not_started".to_string(), |r| r.state.clone());
            ProjectItem {
                status: statuses.get(p.code.as_str()).cloned(),
                code: p.code.clone(),
                name: p.name.clone(),
                action: p.action.clone(),
                capacity: p.capacity.clone(),
                years: match (p.start_year, p.finish_year) {
                    (Some(a), Some(b)) => Some(format!("{a}–{b}")),
                    (None, Some(b)) => Some(format!("–{b}")),
                    (Some(a), None) => Some(format!("{a}–")),
                    _ => None,
                },
                departments: p.departments.iter().map(|c| v.department_name(c)).collect(),
                planned: planned.map(dec),
                completed: completed.map(dec),
                progress: pct.map(|x| format!("{x:.0}%")),
                progress_pct: pct,
                state_label: work_state_label(lang, &state),
                overdue: state == "overdue",
                note: row.and_then(|r| r.note.clone()),
                state,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outline_ids() {
        assert_eq!(section_of("c3.s1.i2").as_deref(), Some("c3.s1"));
        assert_eq!(section_of("c3.b1"), None);
        assert_eq!(chapter_of("p1.c3.s1.i2").as_deref(), Some("p1.c3"));
        assert_eq!(zh_number(3), "三");
        assert_eq!(zh_number(12), "十二");
        assert_eq!(zh_number(20), "二十");
        assert_eq!(enc("c3.s1 x"), "c3.s1%20x");
    }
}
