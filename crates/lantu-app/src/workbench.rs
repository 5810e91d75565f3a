//! The review workbench of a draft plan (规划导入与审核工作台): import a plan
//! file as a private draft, show its text with every record it yielded,
//! correct, accept or reject each indicator, add the ones the extractor
//! missed, assign departments, and adopt the plan once nothing blocks it.
//!
//! Every change is one use case here, called alike by the pages, the JSON
//! API and the command line; each writes the indicator system and the
//! reviews in one audited transaction ([`lantu_store::Store::apply_reviewed`]).
//! Messages are Chinese first, English second.

use crate::{App, AppError, Result};
use lantu_core::account::Role;
use lantu_core::plan::{
    BaselineDoc, DepartmentDoc, IndicatorDoc, PlanDoc, PlanKind, PlanLevel, PlanState, Source, TargetDoc,
};
use lantu_core::policy::{Action, Policy, Scope};
use lantu_core::review::{RecordReview, ReviewState};
use lantu_core::{Attribute, Comparator, Direction, Measure, TargetKind};
use lantu_extract::input::{decode, Format};
use lantu_extract::model::{Extraction, Genre};
use lantu_store::{PlanText, StoreError};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::str::FromStr;

/// The largest plan file accepted by an upload (64 MiB), below the
/// extractor's own bound.
pub const MAX_PLAN_BYTES: usize = 64 << 20;

/// File extensions a plan may be uploaded as.
pub const PLAN_EXTENSIONS: [&str; 6] = ["txt", "md", "html", "htm", "docx", "pdf"];

/// Who asks: a role (what the policy allows) and the name the audit log
/// keeps.
#[derive(Debug, Clone, Copy)]
pub struct Caller<'a> {
    pub role: Role,
    pub name: &'a str,
}

impl Caller<'_> {
    /// Importing, correcting and adopting a plan is editing its indicator
    /// system ([`Action::EditPlan`]: planners and administrators).
    fn may_edit(&self) -> Result<()> {
        if Policy::default().allows(self.role, Action::EditPlan, Scope::None, None) {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "{}（{}）无权导入或修改规划 / {} ({}) may not import or edit plans",
                self.name,
                self.role.as_str(),
                self.name,
                self.role.as_str()
            )))
        }
    }
}

fn invalid(zh: impl std::fmt::Display, en: impl std::fmt::Display) -> AppError {
    AppError::Invalid(format!("{zh} / {en}"))
}

// ------------------------------------------------------------ import

/// A plan read from a file, ready to be stored as a draft.
#[derive(Debug, Clone)]
pub struct Drafted {
    pub doc: PlanDoc,
    pub text: PlanText,
    pub reviews: Vec<RecordReview>,
}

/// Reads a plan file's bytes (`file_name` gives the format) into a draft:
/// refuses a file of another type, over [`MAX_PLAN_BYTES`], unreadable,
/// or not a plan (a statistical bulletin, a work report…), naming the file.
pub fn draft_file(file_name: &str, bytes: &[u8]) -> Result<Drafted> {
    let name = file_name.trim();
    if name.is_empty() {
        return Err(invalid("请选择规划文件", "choose a plan file"));
    }
    let ext = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if !PLAN_EXTENSIONS.contains(&ext.as_str()) {
        return Err(invalid(
            format!("文件「{name}」的类型无法导入：规划文件须为 .txt、.md、.html、.docx 或 .pdf"),
            format!("{name}: this type of file cannot be imported; give the plan as .txt, .md, .html, .docx or .pdf"),
        ));
    }
    if bytes.len() > MAX_PLAN_BYTES {
        return Err(invalid(
            format!(
                "文件「{name}」过大（{:.1} MiB）：规划文件最多 {} MiB",
                bytes.len() as f64 / (1 << 20) as f64,
                MAX_PLAN_BYTES >> 20
            ),
            format!(
                "{name} is too large: a plan file may be at most {} MiB",
                MAX_PLAN_BYTES >> 20
            ),
        ));
    }
    let text = decode(bytes, Format::from_path(Path::new(name))).map_err(|e| {
        invalid(
            format!("无法读取文件「{name}」，请另存为 .txt 或 .docx 后重试"),
            format!("{name}: {e}"),
        )
    })?;
    draft_text(name, text)
}

/// [`draft_file`] for text already read.
pub fn draft_text(file_name: &str, text: String) -> Result<Drafted> {
    if text.trim().is_empty() {
        return Err(invalid(
            format!("文件「{file_name}」没有文字内容"),
            format!("{file_name} holds no text"),
        ));
    }
    let ex = lantu_extract::extract(&text);
    if ex.genre.genre != Genre::Plan {
        return Err(invalid(
            format!(
                "文件「{file_name}」不是规划文本，而像是{}：只能导入规划（纲要、专项规划、实施方案）",
                genre_zh(ex.genre.genre)
            ),
            format!(
                "{file_name} is not a plan but a {} ({}); only plans can be imported",
                ex.genre.genre.as_str(),
                ex.genre.reason
            ),
        ));
    }
    let doc = lantu_extract::draft::draft(&ex, Some(file_name));
    let reviews = ex
        .targets
        .iter()
        .map(|t| RecordReview {
            code: t.id.clone(),
            state: ReviewState::Unreviewed,
            attribute_set: t.attribute.is_some(),
            label: t.indicator.clone(),
            span: Some([t.span.start, t.span.end]),
        })
        .collect();
    Ok(Drafted {
        doc,
        text: PlanText {
            file_name: file_name.to_string(),
            body: text,
        },
        reviews,
    })
}

fn genre_zh(g: Genre) -> &'static str {
    match g {
        Genre::Plan => "规划",
        Genre::StatisticalBulletin => "统计公报",
        Genre::WorkReport => "政府工作报告",
        Genre::EvaluationReport => "规划实施评估报告",
    }
}

// ------------------------------------------------------------ suspect flags

/// Why a record looks wrong (可疑), computed from the record, the plan
/// and its outline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// Under a heading that reviews the past (回顾, 发展基础, 成就).
    ReviewSection,
    /// The target year lies before the plan period.
    PastYear,
    /// The sentence is a date or issuing line (印发, 2021年3月5日).
    DateLine,
    /// A number without a unit.
    NoUnit,
    /// The name ends in punctuation or a symbol.
    NameSymbol,
    /// The name is under 2 or over 30 characters.
    NameLength,
    /// The target is over 10× or under a tenth of its baseline.
    FarFromBaseline,
    /// The linked baseline is in another unit.
    OtherUnit,
}

impl Flag {
    /// (Chinese, English) label.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Flag::ReviewSection => ("出自回顾部分", "from the review section"),
            Flag::PastYear => ("目标年份早于规划期", "target year before the plan period"),
            Flag::DateLine => ("像日期或印发行", "looks like a date or issuing line"),
            Flag::NoUnit => ("没有单位", "no unit"),
            Flag::NameSymbol => ("名称以符号结尾", "name ends in a symbol"),
            Flag::NameLength => ("名称过短或过长", "name too short or too long"),
            Flag::FarFromBaseline => ("与基期值相差十倍以上", "over 10× away from the baseline"),
            Flag::OtherUnit => ("与基期值单位不同", "baseline in another unit"),
        }
    }
}

const REVIEW_HEADINGS: [&str; 6] = ["回顾", "发展基础", "发展成就", "取得", "成效", "现状"];

fn is_date_line(quote: &str) -> bool {
    let chars: Vec<char> = quote.chars().collect();
    let issuing = ["印发", "发布", "办公室文件", "通知", "发文"]
        .iter()
        .any(|w| quote.contains(w));
    // 2021年3月5日 / 二〇二一年三月: a full date.
    let date = chars.windows(3).enumerate().any(|(i, w)| {
        w[0] == '年'
            && i >= 2
            && (w[1].is_ascii_digit() || "一二三四五六七八九十〇".contains(w[1]))
            && chars[i + 1..].iter().take(4).any(|c| *c == '月')
    });
    issuing || date
}

fn ends_in_symbol(name: &str) -> bool {
    name.chars()
        .last()
        .is_some_and(|c| !(c.is_alphanumeric() || matches!(c, '）' | ')' | '%' | '”' | '’')))
}

/// The suspect flags of one indicator. `heading` is the title of its
/// chapter or section (if known); `baseline_unit` the unit of the linked
/// baseline as the text writes it.
pub fn flags(
    plan: &lantu_core::plan::PlanMeta,
    i: &IndicatorDoc,
    heading: Option<&str>,
    baseline_unit: Option<&str>,
) -> Vec<Flag> {
    let mut out = Vec::new();
    if heading.is_some_and(|h| REVIEW_HEADINGS.iter().any(|w| h.contains(w))) {
        out.push(Flag::ReviewSection);
    }
    if i.target.year < plan.start_year {
        out.push(Flag::PastYear);
    }
    if i.source.quote.as_deref().is_some_and(is_date_line) {
        out.push(Flag::DateLine);
    }
    if i.target.kind == TargetKind::Numeric && i.unit.as_deref().is_none_or(|u| u.trim().is_empty()) {
        out.push(Flag::NoUnit);
    }
    if ends_in_symbol(&i.name) {
        out.push(Flag::NameSymbol);
    }
    let n = i.name.chars().count();
    if !(2..=30).contains(&n) {
        out.push(Flag::NameLength);
    }
    if let (Some(b), Some(v)) = (&i.baseline, i.target.value) {
        let ten = Decimal::from(10);
        if i.measure == Measure::Level
            && b.value > Decimal::ZERO
            && v > Decimal::ZERO
            && (v > b.value * ten || v * ten < b.value)
        {
            out.push(Flag::FarFromBaseline);
        }
    }
    if let (Some(bu), Some(u)) = (baseline_unit, i.unit.as_deref()) {
        if !bu.is_empty() && bu != u {
            out.push(Flag::OtherUnit);
        }
    }
    out
}

// ------------------------------------------------------------ blockers

/// What keeps an indicator from adoption.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    /// Neither accepted nor rejected.
    Unreviewed,
    /// A numeric target without a unit.
    Unit,
    /// No target value (and not a relative target).
    Target,
    /// No lead department.
    Lead,
    /// 约束性/预期性 not stated by the text nor chosen.
    Attribute,
}

impl Missing {
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Missing::Unreviewed => ("尚未审核（接受或驳回）", "not reviewed (accept or reject)"),
            Missing::Unit => ("缺少单位", "no unit"),
            Missing::Target => ("缺少目标值", "no target value"),
            Missing::Lead => ("缺少牵头部门", "no lead department"),
            Missing::Attribute => (
                "未确定指标属性（约束性/预期性）",
                "attribute (binding/expected) not set",
            ),
        }
    }
}

/// One indicator that blocks adoption, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Blocker {
    pub code: String,
    pub name: String,
    pub missing: Vec<Missing>,
}

/// What blocks the adoption of `doc` with `reviews`: every kept indicator
/// must be accepted and have a unit (or be relative or a ratio), a
/// target, a lead department and a set attribute.
pub fn blockers(doc: &PlanDoc, reviews: &HashMap<String, RecordReview>) -> Vec<Blocker> {
    doc.indicators
        .iter()
        .filter_map(|i| {
            let r = reviews.get(&i.code);
            let mut missing = Vec::new();
            if r.is_none_or(|r| r.state != ReviewState::Accepted) {
                missing.push(Missing::Unreviewed);
            }
            if i.target.kind == TargetKind::Numeric && i.unit.as_deref().is_none_or(|u| u.trim().is_empty()) {
                missing.push(Missing::Unit);
            }
            if i.target.kind != TargetKind::Relative && i.target.value.is_none() {
                missing.push(Missing::Target);
            }
            if i.departments.is_empty() {
                missing.push(Missing::Lead);
            }
            if !r.is_some_and(|r| r.attribute_set) {
                missing.push(Missing::Attribute);
            }
            (!missing.is_empty()).then(|| Blocker {
                code: i.code.clone(),
                name: i.name.clone(),
                missing,
            })
        })
        .collect()
}

// ------------------------------------------------------------ the view

/// What a highlighted stretch of the text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    Target,
    Baseline,
    Task,
    Project,
    /// A rejected indicator's sentence.
    Rejected,
    /// A number no record took.
    Unread,
}

impl Mark {
    pub fn as_str(self) -> &'static str {
        match self {
            Mark::Target => "target",
            Mark::Baseline => "baseline",
            Mark::Task => "task",
            Mark::Project => "project",
            Mark::Rejected => "rejected",
            Mark::Unread => "unread",
        }
    }
}

/// A highlighted stretch `[start, end)` (characters) of the plan text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Highlight {
    pub start: usize,
    pub end: usize,
    pub mark: Mark,
    /// The record's code (an indicator, task, project or baseline id).
    pub code: Option<String>,
}

/// A baseline the extractor read, offered for linking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaselineChoice {
    pub id: String,
    pub indicator: String,
    pub value: Decimal,
    pub unit: Option<String>,
    pub year: Option<i32>,
    pub span: [usize; 2],
}

/// One indicator of the grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub indicator: IndicatorDoc,
    pub state: ReviewState,
    pub attribute_set: bool,
    /// The chapter node (`c3`) the record sits in.
    pub chapter: Option<String>,
    pub flags: Vec<Flag>,
}

/// Everything the workbench shows of one plan.
#[derive(Debug, Clone, Serialize)]
pub struct Workbench {
    pub doc: PlanDoc,
    pub file_name: Option<String>,
    /// The plan's text (absent for a plan imported before texts were
    /// kept, or written by hand).
    pub text: Option<String>,
    pub rows: Vec<Row>,
    /// Rejected indicators, retired from the system.
    pub rejected: Vec<RecordReview>,
    /// Sorted by start.
    pub highlights: Vec<Highlight>,
    pub baselines: Vec<BaselineChoice>,
    pub blockers: Vec<Blocker>,
    pub departments: Vec<DepartmentDoc>,
}

fn heading_of<'a>(doc: &'a PlanDoc, node: Option<&str>) -> Option<&'a str> {
    // The innermost heading the node lies under.
    let node = node?;
    doc.outline
        .iter()
        .filter(|o| node == o.node || node.starts_with(&format!("{}.", o.node)))
        .max_by_key(|o| o.node.len())
        .map(|o| o.title.as_str())
}

/// The numbers of `text` no record covers, as char spans.
fn unread_numbers(text: &str, covered: &[Highlight]) -> Vec<Highlight> {
    let c = lantu_extract::scan::Compact::new(text);
    let idx = lantu_extract::text::CharIndex::new(text);
    let mut spans: Vec<(usize, usize)> = covered.iter().map(|h| (h.start, h.end)).collect();
    spans.sort_unstable();
    let inside = |a: usize, b: usize| {
        let k = spans.partition_point(|s| s.0 <= a);
        spans[..k].iter().rev().take(64).any(|s| s.0 <= a && b <= s.1)
    };
    lantu_extract::quantity::lex(&c.chars, 0, c.chars.len())
        .into_iter()
        .filter(|q| !lantu_extract::quantity::is_year_value(q.value) || q.unit.is_some())
        .filter_map(|q| {
            let s = idx.span(text, c.byte_range(q.num_start, q.end));
            (s.end > s.start && !inside(s.start, s.end)).then_some(Highlight {
                start: s.start,
                end: s.end,
                mark: Mark::Unread,
                code: None,
            })
        })
        .collect()
}

fn span_of(s: &Source) -> Option<(usize, usize)> {
    s.span.map(|[a, b]| (a, b)).filter(|(a, b)| b > a)
}

fn build(
    doc: PlanDoc,
    text: Option<PlanText>,
    reviews: Vec<RecordReview>,
    departments: Vec<DepartmentDoc>,
) -> Workbench {
    let by_code: HashMap<String, RecordReview> = reviews.iter().map(|r| (r.code.clone(), r.clone())).collect();
    let ex: Option<Extraction> = text.as_ref().map(|t| lantu_extract::extract(&t.body));
    let baselines: Vec<BaselineChoice> = ex
        .as_ref()
        .map(|ex| {
            ex.baselines
                .iter()
                .map(|b| BaselineChoice {
                    id: b.id.clone(),
                    indicator: b.indicator.clone(),
                    value: b.value,
                    unit: b.unit.clone(),
                    year: b.year,
                    span: [b.span.start, b.span.end],
                })
                .collect()
        })
        .unwrap_or_default();
    let unit_of_baseline = |code: &str| -> Option<String> {
        let ex = ex.as_ref()?;
        ex.baselines
            .iter()
            .find(|b| b.target_ids.iter().any(|t| t == code))
            .and_then(|b| b.unit.clone())
    };
    let rows: Vec<Row> = doc
        .indicators
        .iter()
        .map(|i| {
            let r = by_code.get(&i.code);
            Row {
                flags: flags(
                    &doc.plan,
                    i,
                    heading_of(&doc, i.source.node.as_deref()),
                    unit_of_baseline(&i.code).as_deref(),
                ),
                state: r.map_or(ReviewState::Unreviewed, |r| r.state),
                attribute_set: r.is_some_and(|r| r.attribute_set),
                chapter: i.source.node.as_deref().and_then(crate::chapter_of),
                indicator: i.clone(),
            }
        })
        .collect();
    let rejected: Vec<RecordReview> = reviews
        .into_iter()
        .filter(|r| r.state == ReviewState::Rejected && !doc.indicators.iter().any(|i| i.code == r.code))
        .collect();
    let mut highlights = Vec::new();
    if let Some(t) = &text {
        let mut push = |span: Option<(usize, usize)>, mark: Mark, code: &str| {
            if let Some((a, b)) = span {
                highlights.push(Highlight {
                    start: a,
                    end: b,
                    mark,
                    code: Some(code.to_string()),
                });
            }
        };
        for i in &doc.indicators {
            push(span_of(&i.source), Mark::Target, &i.code);
        }
        for r in &rejected {
            push(r.span.map(|[a, b]| (a, b)), Mark::Rejected, &r.code);
        }
        for b in &baselines {
            push(Some((b.span[0], b.span[1])), Mark::Baseline, &b.id);
        }
        for task in &doc.tasks {
            push(span_of(&task.source), Mark::Task, &task.code);
        }
        for p in &doc.projects {
            push(span_of(&p.source), Mark::Project, &p.code);
        }
        let unread = unread_numbers(&t.body, &highlights);
        highlights.extend(unread);
        let len = t.body.chars().count();
        highlights.retain(|h| h.end <= len);
        highlights.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
    }
    Workbench {
        blockers: blockers(&doc, &by_code),
        file_name: text.as_ref().map(|t| t.file_name.clone()),
        text: text.map(|t| t.body),
        rows,
        rejected,
        highlights,
        baselines,
        departments,
        doc,
    }
}

// ------------------------------------------------------------ edits

/// Adds to `doc` every department its indicators name that it lacks,
/// from `choices`.
fn include_departments(doc: &mut PlanDoc, choices: &[DepartmentDoc]) {
    let used: BTreeSet<String> = doc
        .indicators
        .iter()
        .flat_map(|i| i.departments.iter().chain(&i.co_departments).cloned())
        .collect();
    for c in used {
        if !doc.departments.iter().any(|d| d.code == c) {
            if let Some(d) = choices.iter().find(|d| d.code == c) {
                doc.departments.push(d.clone());
            }
        }
    }
}

/// A correction of one indicator as a form or the API sends it: every
/// field is the text typed (absent: unchanged; empty: cleared where a
/// field may be empty). Enumerations use their stored names (`>=`,
/// `level`, `binding`, `higher_is_better`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct IndicatorEdit {
    pub name: Option<String>,
    pub comparator: Option<String>,
    pub value: Option<String>,
    pub value_max: Option<String>,
    pub unit: Option<String>,
    pub year: Option<String>,
    pub measure: Option<String>,
    pub kind: Option<String>,
    pub attribute: Option<String>,
    pub direction: Option<String>,
    /// Lead department code (`""`: none).
    pub lead: Option<String>,
    pub co: Option<Vec<String>>,
    pub category: Option<String>,
    pub baseline_value: Option<String>,
    pub baseline_year: Option<String>,
    /// Id of an extracted baseline to link (its value and year).
    pub baseline_from: Option<String>,
    /// Why the target changes (needed once the plan is adopted).
    pub reason: Option<String>,
}

fn parse_choice<T: serde::de::DeserializeOwned>(code: &str, field: (&str, &str), s: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(s.trim().to_string())).map_err(|_| {
        invalid(
            format!("指标 {code} 的「{}」取值「{s}」无效", field.0),
            format!("indicator {code}: `{s}` is not a valid {}", field.1),
        )
    })
}

fn parse_decimal(code: &str, field: (&str, &str), s: &str) -> Result<Option<Decimal>> {
    let t = s.trim().replace([',', '，'], "");
    if t.is_empty() {
        return Ok(None);
    }
    Decimal::from_str(&t).map(Some).map_err(|_| {
        invalid(
            format!("指标 {code} 的「{}」须为数字，而不是「{s}」", field.0),
            format!("indicator {code}: {} must be a number, not `{s}`", field.1),
        )
    })
}

fn parse_year(code: &str, field: (&str, &str), s: &str) -> Result<Option<i32>> {
    let t = s.trim().trim_end_matches('年');
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<i32>() {
        Ok(y) if (1900..=2100).contains(&y) => Ok(Some(y)),
        _ => Err(invalid(
            format!("指标 {code} 的「{}」须为年份（如 2025），而不是「{s}」", field.0),
            format!("indicator {code}: {} must be a year such as 2025, not `{s}`", field.1),
        )),
    }
}

fn opt_text(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Applies `e` to `i`; returns whether the attribute was chosen.
fn apply_edit(
    doc: &PlanDoc,
    choices: &[DepartmentDoc],
    i: &mut IndicatorDoc,
    e: &IndicatorEdit,
    baselines: &[BaselineChoice],
) -> Result<bool> {
    let code = i.code.clone();
    if let Some(n) = &e.name {
        let n = n.trim();
        if n.is_empty() {
            return Err(invalid(
                format!("指标 {code} 的名称不能为空"),
                format!("indicator {code}: the name is empty"),
            ));
        }
        i.name = n.to_string();
    }
    if let Some(c) = &e.comparator {
        i.target.comparator = parse_choice::<Comparator>(&code, ("比较方式", "comparator"), c)?;
    }
    if let Some(v) = &e.value {
        i.target.value = parse_decimal(&code, ("目标值", "target value"), v)?;
    }
    if let Some(v) = &e.value_max {
        i.target.value_max = parse_decimal(&code, ("目标上限", "upper target value"), v)?;
    }
    if i.target.comparator != Comparator::Range {
        i.target.value_max = None;
    }
    if let Some(u) = &e.unit {
        i.unit = opt_text(u);
    }
    if let Some(y) = &e.year {
        match parse_year(&code, ("目标年份", "target year"), y)? {
            Some(y) => i.target.year = y,
            None => {
                return Err(invalid(
                    format!("指标 {code} 缺少目标年份"),
                    format!("indicator {code}: the target year is missing"),
                ))
            }
        }
    }
    if let Some(m) = &e.measure {
        i.measure = parse_choice::<Measure>(&code, ("计量方式", "measure"), m)?;
    }
    if let Some(k) = &e.kind {
        i.target.kind = parse_choice::<TargetKind>(&code, ("目标类型", "target kind"), k)?;
    }
    let mut attribute_set = false;
    if let Some(a) = e.attribute.as_deref().filter(|a| !a.trim().is_empty()) {
        i.attribute = parse_choice::<Attribute>(&code, ("指标属性", "attribute"), a)?;
        attribute_set = true;
    }
    if let Some(d) = &e.direction {
        i.direction = parse_choice::<Direction>(&code, ("方向", "direction"), d)?;
    }
    if let Some(c) = &e.category {
        i.category = opt_text(c);
    }
    let known = |d: &str| doc.departments.iter().chain(choices).any(|x| x.code == d);
    if let Some(l) = &e.lead {
        let l = l.trim();
        if !l.is_empty() && !known(l) {
            return Err(invalid(
                format!("部门「{l}」不存在"),
                format!("department `{l}` does not exist"),
            ));
        }
        i.departments = opt_text(l).into_iter().collect();
    }
    if let Some(co) = &e.co {
        let mut set = Vec::new();
        for d in co.iter().map(|d| d.trim()).filter(|d| !d.is_empty()) {
            if !known(d) {
                return Err(invalid(
                    format!("部门「{d}」不存在"),
                    format!("department `{d}` does not exist"),
                ));
            }
            if !i.departments.iter().any(|x| x == d) && !set.iter().any(|x: &String| x == d) {
                set.push(d.to_string());
            }
        }
        i.co_departments = set;
    }
    i.co_departments.retain(|d| !i.departments.contains(d));
    if let Some(id) = e.baseline_from.as_deref().filter(|s| !s.trim().is_empty()) {
        let b = baselines.iter().find(|b| b.id == id.trim()).ok_or_else(|| {
            invalid(
                format!("基期值「{id}」不存在"),
                format!("baseline `{id}` does not exist"),
            )
        })?;
        i.baseline = Some(BaselineDoc {
            value: b.value,
            year: b.year.unwrap_or(doc.plan.start_year - 1),
        });
    } else if e.baseline_value.is_some() || e.baseline_year.is_some() {
        let v = parse_decimal(
            &code,
            ("基期值", "baseline value"),
            e.baseline_value.as_deref().unwrap_or(""),
        )?;
        let y = parse_year(
            &code,
            ("基期年份", "baseline year"),
            e.baseline_year.as_deref().unwrap_or(""),
        )?;
        i.baseline = v.map(|value| BaselineDoc {
            value,
            year: y.unwrap_or(doc.plan.start_year - 1),
        });
    }
    if let Some(r) = &e.reason {
        i.target.reason = opt_text(r);
    }
    check_indicator(i)?;
    Ok(attribute_set)
}

/// The shape rules of [`PlanDoc::validate`] for one indicator, in the
/// user's words.
fn check_indicator(i: &IndicatorDoc) -> Result<()> {
    let code = &i.code;
    let t = &i.target;
    match (t.kind, t.value, t.comparator, t.value_max) {
        (TargetKind::Relative, _, _, _) => Ok(()),
        (_, None, _, _) => Err(invalid(
            format!("指标 {code} 缺少目标值（只有“相对目标”可以没有数值）"),
            format!("indicator {code}: the target has no value (only relative targets may lack one)"),
        )),
        (_, Some(_), Comparator::Range, None) => Err(invalid(
            format!("指标 {code} 是区间目标，须填写目标上限"),
            format!("indicator {code}: a range target needs an upper value"),
        )),
        (_, Some(v), Comparator::Range, Some(m)) if m < v => Err(invalid(
            format!("指标 {code} 的目标上限小于目标值"),
            format!("indicator {code}: the upper value is below the value"),
        )),
        _ => Ok(()),
    }
}

/// A new target the extractor missed, from a stretch of the text.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NewTarget {
    /// `[start, end)` in characters of the plan text.
    pub start: usize,
    pub end: usize,
    #[serde(flatten)]
    pub fields: IndicatorEdit,
}

/// What the extractor's sentence reader makes of a stretch of text: the
/// prefill of the form that adds a target.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Reading {
    pub start: usize,
    pub end: usize,
    pub quote: String,
    pub name: String,
    pub comparator: Option<Comparator>,
    pub value: Option<Decimal>,
    pub value_max: Option<Decimal>,
    pub unit: Option<String>,
    pub year: Option<i32>,
    pub measure: Option<Measure>,
    pub kind: Option<TargetKind>,
}

/// Reads `[start, end)` of `text` with the extractor's sentence reader.
pub fn read_span(text: &str, start: usize, end: usize) -> Option<Reading> {
    let quote: String = text.chars().skip(start).take(end.saturating_sub(start)).collect();
    if quote.trim().is_empty() || end <= start {
        return None;
    }
    let c = lantu_extract::scan::Compact::new(&quote);
    let n = c.chars.len();
    let first = lantu_extract::prose::read_sentence(&c.chars, 0, n).into_iter().next();
    let year = lantu_extract::period::target_year(&c.chars, 0, n);
    Some(match first {
        Some(r) => Reading {
            start,
            end,
            name: lantu_extract::prose::tidy_name(&r.indicator),
            comparator: Some(r.comparator),
            value: r.value,
            value_max: r.value_max,
            unit: r.unit,
            year,
            measure: Some(r.measure),
            kind: Some(r.kind),
            quote,
        },
        None => Reading {
            start,
            end,
            year,
            quote,
            ..Reading::default()
        },
    })
}

/// The metadata of a plan as its form sends it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct MetaEdit {
    pub name: Option<String>,
    pub issuer: Option<String>,
    pub region: Option<String>,
    /// `national`, `provincial`, `city`, `district`, `town`.
    pub level: Option<String>,
    /// `master`, `special`, `regional`.
    pub kind: Option<String>,
    pub start_year: Option<String>,
    pub end_year: Option<String>,
}

/// (stored name, Chinese, English) of each plan level.
pub const LEVELS: [(PlanLevel, &str, &str); 5] = [
    (PlanLevel::National, "国家级", "national"),
    (PlanLevel::Provincial, "省级", "provincial"),
    (PlanLevel::City, "市级", "city"),
    (PlanLevel::District, "区县级", "district/county"),
    (PlanLevel::Town, "乡镇级", "town"),
];

/// (kind, Chinese, English) of each plan kind.
pub const KINDS: [(PlanKind, &str, &str); 3] = [
    (PlanKind::Master, "总体规划（规划纲要）", "master plan"),
    (PlanKind::Special, "专项规划", "special plan"),
    (PlanKind::Regional, "区域规划", "regional plan"),
];

/// The outcome of an adoption attempt that did not adopt.
pub fn adoption_refused(blockers: &[Blocker]) -> AppError {
    AppError::Incomplete(blockers.to_vec())
}

impl App {
    /// Imports a plan file as a private draft and returns its id.
    pub async fn import_plan_file(&self, caller: Caller<'_>, file_name: &str, bytes: &[u8]) -> Result<i64> {
        caller.may_edit()?;
        let d = draft_file(file_name, bytes)?;
        self.store_draft(caller, d).await
    }

    /// Stores a draft read by [`draft_file`] or [`draft_text`].
    pub async fn store_draft(&self, caller: Caller<'_>, d: Drafted) -> Result<i64> {
        caller.may_edit()?;
        Ok(self
            .store
            .import_draft(&d.doc, &d.text, &d.reviews, caller.name)
            .await?)
    }

    /// The departments plan `plan_id` may assign, as the plan document
    /// names them: the plan's own, then every active body of the
    /// deployment's registry ([`App::department_choices`]) it does not name
    /// yet, so that a new plan uses the codes reporters' accounts name.
    async fn assignable(&self, plan_id: i64) -> Result<Vec<DepartmentDoc>> {
        let mut out = self.store.plan_doc(plan_id).await?.departments;
        for e in self.department_choices(plan_id).await? {
            if !out.iter().any(|x| x.code == e.code) {
                out.push(DepartmentDoc {
                    code: e.code,
                    name: e.name,
                });
            }
        }
        Ok(out)
    }

    /// The workbench of plan `plan_id`.
    pub async fn workbench(&self, caller: Caller<'_>, plan_id: i64) -> Result<Workbench> {
        caller.may_edit()?;
        let doc = self.store.plan_doc(plan_id).await?;
        let text = self.store.plan_text(plan_id).await?;
        let reviews = self.store.record_reviews(plan_id).await?;
        let departments = self.assignable(plan_id).await?;
        // Extraction and highlighting are CPU work: off the async threads.
        tokio::task::spawn_blocking(move || build(doc, text, reviews, departments))
            .await
            .map_err(|e| AppError::Internal(format!("building the workbench: {e}")))
    }

    /// What blocks the adoption of plan `plan_id`.
    pub async fn adoption_blockers(&self, plan_id: i64) -> Result<Vec<Blocker>> {
        let doc = self.store.plan_doc(plan_id).await?;
        let reviews = self.reviews_by_code(plan_id).await?;
        Ok(blockers(&doc, &reviews))
    }

    async fn reviews_by_code(&self, plan_id: i64) -> Result<HashMap<String, RecordReview>> {
        Ok(self
            .store
            .record_reviews(plan_id)
            .await?
            .into_iter()
            .map(|r| (r.code.clone(), r))
            .collect())
    }

    async fn save(&self, caller: Caller<'_>, plan_id: i64, doc: &PlanDoc, reviews: &[RecordReview]) -> Result<()> {
        match self.store.apply_reviewed(plan_id, doc, reviews, caller.name).await {
            Err(StoreError::ReasonRequired { codes, .. }) => Err(invalid(
                format!(
                    "规划已采纳：修改目标值将形成新的目标版本，须填写调整原因（{}）",
                    codes.join("、")
                ),
                format!(
                    "the plan is adopted: a changed target becomes a new version and needs a reason ({})",
                    codes.join(", ")
                ),
            )),
            Err(StoreError::InvalidPlan(e)) => Err(invalid("规划内容无效", e)),
            r => r.map(|_| ()).map_err(AppError::from),
        }
    }

    fn review_of(i: &IndicatorDoc, state: ReviewState, attribute_set: bool) -> RecordReview {
        RecordReview {
            code: i.code.clone(),
            state,
            attribute_set,
            label: i.name.clone(),
            span: i.source.span,
        }
    }

    async fn indicator_of(&self, plan_id: i64, code: &str) -> Result<(PlanDoc, usize, HashMap<String, RecordReview>)> {
        let doc = self.store.plan_doc(plan_id).await?;
        let k = doc.indicators.iter().position(|i| i.code == code).ok_or_else(|| {
            invalid(
                format!("规划 {plan_id} 没有指标 {code}（可能已被驳回）"),
                format!("plan {plan_id} has no indicator `{code}` (rejected?)"),
            )
        })?;
        Ok((doc, k, self.reviews_by_code(plan_id).await?))
    }

    /// Corrects indicator `code` and marks it accepted (a planner who
    /// corrects a record has reviewed it).
    pub async fn edit_record(&self, caller: Caller<'_>, plan_id: i64, code: &str, edit: &IndicatorEdit) -> Result<()> {
        caller.may_edit()?;
        let (mut doc, k, reviews) = self.indicator_of(plan_id, code).await?;
        let baselines = if edit.baseline_from.as_deref().is_some_and(|s| !s.trim().is_empty()) {
            self.workbench(caller, plan_id).await?.baselines
        } else {
            Vec::new()
        };
        let mut ind = doc.indicators[k].clone();
        let choices = self.assignable(plan_id).await?;
        let chosen = apply_edit(&doc, &choices, &mut ind, edit, &baselines)?;
        let attribute_set = chosen || reviews.get(code).is_some_and(|r| r.attribute_set);
        let review = Self::review_of(&ind, ReviewState::Accepted, attribute_set);
        doc.indicators[k] = ind;
        include_departments(&mut doc, &choices);
        self.save(caller, plan_id, &doc, &[review]).await
    }

    /// Accepts or rejects indicators `codes` as they stand; a rejected
    /// indicator leaves the indicator system (retired, kept with its
    /// history).
    pub async fn review_records(
        &self,
        caller: Caller<'_>,
        plan_id: i64,
        codes: &[String],
        state: ReviewState,
    ) -> Result<usize> {
        caller.may_edit()?;
        let mut doc = self.store.plan_doc(plan_id).await?;
        let reviews = self.reviews_by_code(plan_id).await?;
        let wanted: BTreeSet<&str> = codes.iter().map(String::as_str).collect();
        for c in &wanted {
            if !doc.indicators.iter().any(|i| i.code == *c) {
                return Err(invalid(
                    format!("规划 {plan_id} 没有指标 {c}（可能已被驳回）"),
                    format!("plan {plan_id} has no indicator `{c}` (rejected?)"),
                ));
            }
        }
        let out: Vec<RecordReview> = doc
            .indicators
            .iter()
            .filter(|i| wanted.contains(i.code.as_str()))
            .map(|i| Self::review_of(i, state, reviews.get(&i.code).is_some_and(|r| r.attribute_set)))
            .collect();
        if state == ReviewState::Rejected {
            doc.indicators.retain(|i| !wanted.contains(i.code.as_str()));
        }
        self.save(caller, plan_id, &doc, &out).await?;
        Ok(out.len())
    }

    /// Accepts every unreviewed indicator of chapter `chapter` (`c3`).
    pub async fn accept_chapter(&self, caller: Caller<'_>, plan_id: i64, chapter: &str) -> Result<usize> {
        caller.may_edit()?;
        let doc = self.store.plan_doc(plan_id).await?;
        let reviews = self.reviews_by_code(plan_id).await?;
        let codes: Vec<String> = doc
            .indicators
            .iter()
            .filter(|i| i.source.node.as_deref().and_then(crate::chapter_of).as_deref() == Some(chapter))
            .filter(|i| reviews.get(&i.code).is_none_or(|r| r.state == ReviewState::Unreviewed))
            .map(|i| i.code.clone())
            .collect();
        if codes.is_empty() {
            return Ok(0);
        }
        self.review_records(caller, plan_id, &codes, ReviewState::Accepted)
            .await
    }

    /// Sets the lead department (`lead`, if given) and the co-departments
    /// of indicators `codes`.
    pub async fn assign_departments(
        &self,
        caller: Caller<'_>,
        plan_id: i64,
        codes: &[String],
        lead: Option<&str>,
        co: &[String],
    ) -> Result<usize> {
        caller.may_edit()?;
        if codes.is_empty() {
            return Err(invalid("请先勾选要分配的指标", "check the indicators to assign first"));
        }
        if lead.is_none_or(|l| l.trim().is_empty()) && co.is_empty() {
            return Err(invalid("请选择牵头部门或配合部门", "choose a lead or co-department"));
        }
        let mut doc = self.store.plan_doc(plan_id).await?;
        let choices = self.assignable(plan_id).await?;
        let edit = IndicatorEdit {
            lead: lead.filter(|l| !l.trim().is_empty()).map(str::to_string),
            co: (!co.is_empty()).then(|| co.to_vec()),
            ..IndicatorEdit::default()
        };
        let snapshot = doc.clone();
        let mut n = 0;
        for c in codes {
            let i = doc.indicators.iter_mut().find(|i| &i.code == c).ok_or_else(|| {
                invalid(
                    format!("规划 {plan_id} 没有指标 {c}"),
                    format!("plan {plan_id} has no indicator `{c}`"),
                )
            })?;
            apply_edit(&snapshot, &choices, i, &edit, &[])?;
            n += 1;
        }
        include_departments(&mut doc, &choices);
        self.save(caller, plan_id, &doc, &[]).await?;
        Ok(n)
    }

    /// Adds a department by name to plan `plan_id`; returns its code.
    pub async fn add_department(
        &self,
        caller: Caller<'_>,
        plan_id: i64,
        name: &str,
        code: Option<&str>,
    ) -> Result<String> {
        caller.may_edit()?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(invalid(
                "部门名称须为 1–100 个字符",
                "a department name has 1–100 characters",
            ));
        }
        let mut doc = self.store.plan_doc(plan_id).await?;
        if let Some(d) = doc.departments.iter().find(|d| d.name == name) {
            return Ok(d.code.clone());
        }
        let code = match code.map(str::trim).filter(|c| !c.is_empty()) {
            Some(c) => {
                if c.chars().count() > 32 || c.chars().any(|ch| ch.is_whitespace() || ch.is_control()) {
                    return Err(invalid(
                        format!("部门代码「{c}」无效：最多 32 个字符，不含空格"),
                        format!("department code `{c}` is not valid: at most 32 characters, no spaces"),
                    ));
                }
                if doc.departments.iter().any(|d| d.code == c) {
                    return Err(invalid(
                        format!("部门代码「{c}」已被使用"),
                        format!("department code `{c}` is taken"),
                    ));
                }
                c.to_string()
            }
            None => (1..)
                .map(|n| format!("d{n:02}"))
                .find(|c| !doc.departments.iter().any(|d| &d.code == c))
                .unwrap_or_default(),
        };
        doc.departments.push(DepartmentDoc {
            code: code.clone(),
            name: name.to_string(),
        });
        self.save(caller, plan_id, &doc, &[]).await?;
        Ok(code)
    }

    /// Adds the target the extractor missed in `[start, end)` of the
    /// plan's text: blank fields are filled from the extractor's reading
    /// of the stretch. Returns the new indicator's code.
    pub async fn add_target(&self, caller: Caller<'_>, plan_id: i64, new: &NewTarget) -> Result<String> {
        caller.may_edit()?;
        let text = self.store.plan_text(plan_id).await?.ok_or_else(|| {
            invalid(
                format!("规划 {plan_id} 没有保存原文"),
                format!("plan {plan_id} has no stored text"),
            )
        })?;
        let len = text.body.chars().count();
        if new.end <= new.start || new.end > len {
            return Err(invalid(
                format!(
                    "所选文字范围 [{}, {}) 不在原文内（原文共 {len} 字）",
                    new.start, new.end
                ),
                format!(
                    "the selection [{}, {}) is not within the text ({len} characters)",
                    new.start, new.end
                ),
            ));
        }
        let reading = read_span(&text.body, new.start, new.end).unwrap_or_default();
        let mut doc = self.store.plan_doc(plan_id).await?;
        let reviews = self.store.record_reviews(plan_id).await?;
        let code = (1..)
            .map(|n| format!("m{n:03}"))
            .find(|c| !doc.indicators.iter().any(|i| &i.code == c) && !reviews.iter().any(|r| &r.code == c))
            .unwrap_or_default();
        let f = &new.fields;
        let blank = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
        let pick = |s: &Option<String>, d: Option<String>| if blank(s) { d } else { s.clone() };
        let filled = IndicatorEdit {
            name: pick(&f.name, Some(reading.name.clone()).filter(|n| !n.is_empty())),
            comparator: pick(&f.comparator, reading.comparator.map(|c| c.as_str().to_string())),
            value: pick(&f.value, reading.value.map(|v| v.normalize().to_string())),
            value_max: pick(&f.value_max, reading.value_max.map(|v| v.normalize().to_string())),
            unit: pick(&f.unit, reading.unit.clone()),
            year: pick(&f.year, reading.year.map(|y| y.to_string())),
            measure: pick(&f.measure, reading.measure.map(|m| m.as_str().to_string())),
            kind: pick(
                &f.kind,
                reading.kind.map(|k| {
                    serde_json::to_value(k)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default()
                }),
            ),
            ..f.clone()
        };
        let node = doc
            .tasks
            .iter()
            .filter(|t| t.source.span.is_some_and(|[a, _]| a <= new.start))
            .max_by_key(|t| t.source.span.map(|s| s[0]))
            .and_then(|t| t.source.node.clone());
        let mut ind = IndicatorDoc {
            code: code.clone(),
            name: String::new(),
            unit: None,
            category: None,
            attribute: Attribute::Expected,
            measure: Measure::Level,
            direction: Direction::HigherIsBetter,
            departments: Vec::new(),
            co_departments: Vec::new(),
            data_source: None,
            frequency: Default::default(),
            rules: Default::default(),
            target: TargetDoc {
                comparator: Comparator::AtLeast,
                value: None,
                value_max: None,
                year: doc.plan.end_year,
                kind: TargetKind::Numeric,
                reason: None,
            },
            baseline: None,
            source: Source {
                node,
                quote: Some(reading.quote.clone()),
                span: Some([new.start, new.end]),
            },
        };
        if filled.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
            return Err(invalid("请填写指标名称", "give the indicator's name"));
        }
        let choices = self.assignable(plan_id).await?;
        let chosen = apply_edit(&doc, &choices, &mut ind, &filled, &[])?;
        if f.direction.is_none() {
            ind.direction = lantu_core::plan::direction_of(ind.target.comparator, ind.measure);
        }
        let review = Self::review_of(&ind, ReviewState::Accepted, chosen);
        doc.indicators.push(ind);
        include_departments(&mut doc, &choices);
        self.save(caller, plan_id, &doc, &[review]).await?;
        Ok(code)
    }

    /// Changes the plan's metadata.
    pub async fn edit_meta(&self, caller: Caller<'_>, plan_id: i64, e: &MetaEdit) -> Result<()> {
        caller.may_edit()?;
        let mut doc = self.store.plan_doc(plan_id).await?;
        let p = &mut doc.plan;
        if let Some(n) = &e.name {
            p.name = opt_text(n).ok_or_else(|| invalid("规划名称不能为空", "the plan's name is empty"))?;
        }
        if let Some(i) = &e.issuer {
            p.issuer = opt_text(i);
        }
        if let Some(r) = &e.region {
            p.region = r.trim().to_string();
        }
        if let Some(l) = e.level.as_deref().filter(|s| !s.is_empty()) {
            p.level = LEVELS
                .iter()
                .find(|(k, _, _)| {
                    serde_json::to_value(k)
                        .ok()
                        .and_then(|v| v.as_str().map(|s| s == l))
                        .unwrap_or(false)
                })
                .map(|x| x.0)
                .ok_or_else(|| invalid(format!("规划层级「{l}」无效"), format!("`{l}` is not a plan level")))?;
        }
        if let Some(k) = e.kind.as_deref().filter(|s| !s.is_empty()) {
            p.kind = KINDS
                .iter()
                .find(|(x, _, _)| {
                    serde_json::to_value(x)
                        .ok()
                        .and_then(|v| v.as_str().map(|s| s == k))
                        .unwrap_or(false)
                })
                .map(|x| x.0)
                .ok_or_else(|| invalid(format!("规划类型「{k}」无效"), format!("`{k}` is not a plan kind")))?;
        }
        let year = |s: &Option<String>, zh: &str, en: &str| -> Result<Option<i32>> {
            match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(t) => t
                    .trim_end_matches('年')
                    .parse::<i32>()
                    .ok()
                    .filter(|y| (1950..=2100).contains(y))
                    .map(Some)
                    .ok_or_else(|| {
                        invalid(
                            format!("{zh}须为年份，而不是「{t}」"),
                            format!("{en} must be a year, not `{t}`"),
                        )
                    }),
            }
        };
        if let Some(y) = year(&e.start_year, "规划起始年", "the start year")? {
            p.start_year = y;
        }
        if let Some(y) = year(&e.end_year, "规划终止年", "the end year")? {
            p.end_year = y;
        }
        if p.start_year >= p.end_year {
            return Err(invalid(
                format!("规划期 {}–{} 无效：起始年须早于终止年", p.start_year, p.end_year),
                format!("the period {}–{} is not a period", p.start_year, p.end_year),
            ));
        }
        self.save(caller, plan_id, &doc, &[]).await
    }

    /// Adopts plan `plan_id` (采纳) once nothing blocks it
    /// ([`AppError::Incomplete`] lists what does): the plan becomes
    /// `adopted`, audited; its lead departments' reporters then see their
    /// forms.
    pub async fn adopt(&self, caller: Caller<'_>, plan_id: i64) -> Result<()> {
        caller.may_edit()?;
        let mut doc = self.store.plan_doc(plan_id).await?;
        if doc.plan.state != PlanState::Draft {
            return Err(invalid(
                format!("规划 {plan_id} 已采纳，无需再次采纳"),
                format!("plan {plan_id} is already adopted"),
            ));
        }
        let reviews = self.reviews_by_code(plan_id).await?;
        let b = blockers(&doc, &reviews);
        if !b.is_empty() {
            return Err(adoption_refused(&b));
        }
        if doc.indicators.is_empty() {
            return Err(invalid(
                "规划没有任何指标，无法采纳",
                "the plan has no indicators to adopt",
            ));
        }
        doc.plan.state = PlanState::Adopted;
        self.save(caller, plan_id, &doc, &[]).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> lantu_core::plan::PlanMeta {
        lantu_core::plan::PlanMeta {
            id: None,
            name: "测试规划".into(),
            region: "某区".into(),
            level: PlanLevel::District,
            kind: PlanKind::Special,
            issuer: None,
            issued_on: None,
            start_year: 2021,
            end_year: 2025,
            vision_year: None,
            parent: None,
            state: PlanState::Draft,
            source: None,
        }
    }

    fn ind(name: &str, value: i64, unit: Option<&str>, quote: &str) -> IndicatorDoc {
        IndicatorDoc {
            code: "t1".into(),
            name: name.into(),
            unit: unit.map(str::to_string),
            category: None,
            attribute: Attribute::Expected,
            measure: Measure::Level,
            direction: Direction::HigherIsBetter,
            departments: vec![],
            co_departments: vec![],
            data_source: None,
            frequency: Default::default(),
            rules: Default::default(),
            target: TargetDoc {
                comparator: Comparator::AtLeast,
                value: Some(Decimal::from(value)),
                value_max: None,
                year: 2025,
                kind: TargetKind::Numeric,
                reason: None,
            },
            baseline: None,
            source: Source {
                node: None,
                quote: Some(quote.into()),
                span: None,
            },
        }
    }

    #[test]
    fn a_plain_target_has_no_flag() {
        let i = ind("森林覆盖率", 30, Some("%"), "到2025年，森林覆盖率达到30%。");
        assert_eq!(flags(&meta(), &i, Some("第三章 主要目标"), Some("%")), vec![]);
    }

    #[test]
    fn each_suspect_is_flagged() {
        let m = meta();
        let i = ind("森林覆盖率", 30, Some("%"), "x");
        assert_eq!(
            flags(&m, &i, Some("第一章 “十三五”发展回顾"), None),
            vec![Flag::ReviewSection]
        );
        let mut past = i.clone();
        past.target.year = 2020;
        assert_eq!(flags(&m, &past, None, None), vec![Flag::PastYear]);
        let date = ind("印发", 2021, Some("年"), "某区人民政府办公室 2021年3月5日印发");
        assert!(flags(&m, &date, None, None).contains(&Flag::DateLine));
        assert_eq!(
            flags(&m, &ind("公园数量", 3, None, "x"), None, None),
            vec![Flag::NoUnit]
        );
        assert_eq!(
            flags(&m, &ind("公园数量：", 3, Some("个"), "x"), None, None),
            vec![Flag::NameSymbol]
        );
        assert_eq!(
            flags(&m, &ind("园", 3, Some("个"), "x"), None, None),
            vec![Flag::NameLength]
        );
        let mut far = i.clone();
        far.baseline = Some(BaselineDoc {
            value: Decimal::from(2),
            year: 2020,
        });
        assert_eq!(flags(&m, &far, None, None), vec![Flag::FarFromBaseline]);
        far.baseline = Some(BaselineDoc {
            value: Decimal::from(400),
            year: 2020,
        });
        assert_eq!(flags(&m, &far, None, None), vec![Flag::FarFromBaseline]);
        far.baseline = Some(BaselineDoc {
            value: Decimal::from(28),
            year: 2020,
        });
        assert_eq!(flags(&m, &far, None, None), vec![]);
        assert_eq!(flags(&m, &i, None, Some("万亩")), vec![Flag::OtherUnit]);
    }

    #[test]
    fn blockers_name_what_is_missing() {
        let doc = PlanDoc {
            plan: meta(),
            settings: Default::default(),
            outline: vec![],
            departments: vec![DepartmentDoc {
                code: "d01".into(),
                name: "区林业局".into(),
            }],
            indicators: vec![ind("森林覆盖率", 30, None, "x")],
            tasks: vec![],
            projects: vec![],
            cross_rules: vec![],
        };
        let mut reviews = HashMap::new();
        let b = blockers(&doc, &reviews);
        assert_eq!(
            b[0].missing,
            vec![Missing::Unreviewed, Missing::Unit, Missing::Lead, Missing::Attribute]
        );
        let mut ok = doc.clone();
        ok.indicators[0].unit = Some("%".into());
        ok.indicators[0].departments = vec!["d01".into()];
        reviews.insert(
            "t1".to_string(),
            RecordReview {
                code: "t1".into(),
                state: ReviewState::Accepted,
                attribute_set: true,
                label: "森林覆盖率".into(),
                span: None,
            },
        );
        assert_eq!(blockers(&ok, &reviews), vec![]);
        // The extractor's default attribute does not count as set.
        if let Some(r) = reviews.get_mut("t1") {
            r.attribute_set = false;
        }
        assert_eq!(blockers(&ok, &reviews)[0].missing, vec![Missing::Attribute]);
    }

    #[test]
    fn a_file_of_another_type_or_not_a_plan_is_refused_in_chinese() {
        let e = draft_file("plan.xlsx", b"x").unwrap_err().to_string();
        assert!(e.starts_with("文件「plan.xlsx」的类型无法导入"), "{e}");
        let mut bulletin = String::from("某区2023年国民经济和社会发展统计公报\n");
        for k in 1..=12 {
            bulletin.push_str(&format!(
                "全年第{k}项产值比上年增长{k}.2%，年末存量比上年末增加{k}万吨。\n"
            ));
        }
        let e = draft_text("bulletin.txt", bulletin).unwrap_err().to_string();
        assert!(e.contains("不是规划文本"), "{e}");
        let e = draft_file("empty.txt", b"   ").unwrap_err().to_string();
        assert!(e.contains("没有文字内容"), "{e}");
    }

    #[test]
    fn a_selection_is_read_by_the_sentence_reader() {
        let text = "前言。到2025年，全区绿道总长度达到120公里。其他。";
        let start = text.chars().position(|c| c == '到').unwrap();
        let end = start + "到2025年，全区绿道总长度达到120公里。".chars().count();
        let r = read_span(text, start, end).unwrap();
        assert_eq!(r.value, Some(Decimal::from(120)));
        assert_eq!(r.unit.as_deref(), Some("公里"));
        assert_eq!(r.year, Some(2025));
        assert!(r.name.contains("绿道"), "{}", r.name);
    }
}
