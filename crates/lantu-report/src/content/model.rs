//! The document model: what every writer prints — sections of blocks
//! (headings, paragraphs, tables, charts), the indicator table's typed
//! lines — with the numbers already formatted, so that the Word, HTML and
//! PDF reports say exactly the same thing.

use crate::chart::Chart;
use crate::num::{self, dec};
use crate::Lang;
use lantu_core::progress::Status;
use lantu_core::series::Current;
use lantu_core::snapshot::{CommentNote, ReportKind};
use lantu_core::{Attribute, Measure};
use rust_decimal::Decimal;

/// A whole report.
#[derive(Debug, Clone)]
pub struct Report {
    pub lang: Lang,
    pub kind: ReportKind,
    /// 《…》实施情况中期评估报告.
    pub title: String,
    /// （2023年度）.
    pub subtitle: String,
    /// Plan name.
    pub plan_name: String,
    /// The short title in page headers: `示范区规划实施中期评估报告（2023年度）`.
    pub running_head: String,
    pub start_year: i32,
    pub end_year: i32,
    pub evaluation_year: i32,
    /// Share of the plan period run by the end of the evaluation year.
    pub elapsed: f64,
    /// The line that says the figures are sample data, when they are.
    pub sample_notice: Option<String>,
    /// Statuses with their counts, in `Status::ALL` order, zero counts left out.
    pub counts: Vec<(Status, usize)>,
    /// The indicator table, one line per indicator, in the snapshot's order.
    pub lines: Vec<Line>,
    /// Header of the indicator table as the documents print it.
    pub table_header: Vec<String>,
    /// Indicators grouped by chapter (indexes into `lines`).
    pub chapters: Vec<ChapterGroup>,
    /// Indexes into `lines` of the indicators with an early warning.
    pub warnings: Vec<usize>,
    /// The body, section by section.
    pub sections: Vec<Section>,
    /// Charts referred to by [`Block::Chart`].
    pub charts: Vec<Chart>,
    /// Evaluation comments, for the spreadsheet's own sheet (the other
    /// formats quote them in their section).
    pub comments: Vec<CommentNote>,
}

#[derive(Debug, Clone)]
pub struct ChapterGroup {
    pub id: Option<String>,
    pub title: String,
    pub lines: Vec<usize>,
}

/// A top-level section (一、…), shown as Heading 1.
#[derive(Debug, Clone)]
pub struct Section {
    pub title: String,
    /// Starts on a new page in paged formats.
    pub page_break: bool,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone)]
pub enum Block {
    /// A subsection title (（一）…), shown as Heading 2.
    Heading(String),
    Para(String),
    /// A paragraph in bold: the headline of the summary.
    Lead(String),
    /// A boxed, coloured notice (the sample-data line).
    Alert(String),
    /// A table caption, above the table.
    Caption(String),
    /// Small print under a table.
    Note(String),
    Table(Table),
    /// `charts[i]`, with its caption.
    Chart(usize),
    List(Vec<String>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    /// The main indicator table (类别 | 指标 | … | 责任单位).
    Indicators,
    Other,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub kind: TableKind,
    pub header: Vec<String>,
    /// Relative column widths.
    pub widths: Vec<u32>,
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Plain,
    /// Achieved, ahead, completed.
    Good,
    /// Lagging, not completed, a warning.
    Bad,
    /// No data, not assessable.
    Muted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone)]
pub struct Cell {
    pub text: String,
    /// A second, smaller line (the year of a value, a warning mark).
    pub sub: Option<String>,
    pub tone: Tone,
    pub align: Align,
    /// Rows this cell spans (1); 0 for a cell covered by the one above.
    pub rowspan: u32,
}

impl Cell {
    pub fn new(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            sub: None,
            tone: Tone::Plain,
            align: Align::Left,
            rowspan: 1,
        }
    }

    pub(super) fn center(mut self) -> Cell {
        self.align = Align::Center;
        self
    }

    pub(super) fn right(mut self) -> Cell {
        self.align = Align::Right;
        self
    }

    pub(super) fn sub(mut self, sub: Option<String>) -> Cell {
        self.sub = sub;
        self
    }

    pub(super) fn tone(mut self, tone: Tone) -> Cell {
        self.tone = tone;
        self
    }
}

/// One row of the indicator table, typed.
#[derive(Debug, Clone)]
pub struct Line {
    pub code: String,
    pub category: String,
    pub name: String,
    pub unit: String,
    pub chapter: Option<String>,
    pub measure: Measure,
    pub attribute: Attribute,
    pub attribute_label: String,
    pub departments: String,
    pub baseline: Option<(Decimal, i32)>,
    /// The target as the table writes it (`≥24.5`, `45–50`, `〔≥50〕`).
    pub target: String,
    pub target_value: Option<Decimal>,
    pub target_max: Option<Decimal>,
    pub target_year: i32,
    pub current: Option<Current>,
    pub progress: Option<f64>,
    pub elapsed_share: Option<f64>,
    pub ratio: Option<f64>,
    pub status: Status,
    pub status_label: String,
    pub warning: bool,
    /// The sentence of the chapter section.
    pub narrative: String,
    /// The early-warning text, for a line with a warning.
    pub warning_text: Option<String>,
    pub chart: Option<usize>,
}

impl Line {
    /// 基期值 as printed.
    pub fn baseline_text(&self) -> String {
        self.baseline.map(|(v, _)| dec(v)).unwrap_or_else(|| "—".into())
    }

    /// 当前值 as printed (a cumulative total in 〔〕).
    pub fn current_text(&self) -> String {
        match &self.current {
            None => "—".into(),
            Some(c) if self.measure == Measure::Cumulative => format!("〔{}〕", dec(c.value)),
            Some(c) => dec(c.value),
        }
    }

    /// 进度 as printed.
    pub fn progress_text(&self) -> String {
        self.progress.map(num::pct).unwrap_or_else(|| "—".into())
    }
}

pub fn tone_of(status: Status) -> Tone {
    match status {
        Status::Achieved | Status::Ahead | Status::Completed => Tone::Good,
        Status::Lagging | Status::NotCompleted => Tone::Bad,
        Status::NoData | Status::NotAssessable => Tone::Muted,
        Status::OnTrack => Tone::Plain,
    }
}
