//! The sections of a report, built from the [`Snapshot`] in order: the
//! summary, the indicator table, early warnings, the comparison against the
//! schedule (mid-term and final), the chapters with their charts, tasks
//! and projects, evaluation comments, and the notes on the data.

use super::model::*;
use super::phrasing::*;
use crate::chart::Chart;
use crate::num::{self, dec};
use crate::words;
use crate::Lang;
use lantu_core::progress::Status;
use lantu_core::series::Series;
use lantu_core::snapshot::{ReportKind, Snapshot};
use lantu_core::{Attribute, Comparator, TargetKind};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

impl Report {
    /// Builds the report `kind` of `s` in `lang`.
    pub fn build(s: &Snapshot, kind: ReportKind, lang: Lang) -> Report {
        let mut b = Builder::new(s, kind, lang);
        b.lines();
        b.sections();
        b.finish()
    }

    /// The indicator table of `lines` (all of them, or one chapter's).
    pub fn indicator_table(&self, which: &[usize]) -> Table {
        let lang = self.lang;
        let mut rows: Vec<Vec<Cell>> = Vec::with_capacity(which.len());
        let mut run_start: Option<(usize, String)> = None;
        for (i, &li) in which.iter().enumerate() {
            let l = &self.lines[li];
            let year = |y: i32| Some(words::year(lang, y));
            let mut category = Cell::new(if l.category.is_empty() { "—" } else { &l.category }).center();
            match &run_start {
                Some((start, cat)) if *cat == l.category && !l.category.is_empty() => {
                    rows[*start][0].rowspan += 1;
                    category.rowspan = 0;
                }
                _ => run_start = Some((i, l.category.clone())),
            }
            let mut status = Cell::new(l.status_label.clone()).center().tone(tone_of(l.status));
            if l.warning {
                status = status.sub(Some(lang.pick("▲预警", "▲ warning").into()));
            }
            rows.push(vec![
                category,
                Cell::new(l.name.clone()),
                Cell::new(if l.unit.is_empty() { "—" } else { &l.unit }).center(),
                Cell::new(l.baseline_text())
                    .right()
                    .sub(l.baseline.and_then(|(_, y)| year(y))),
                Cell::new(l.target.clone()).right().sub(year(l.target_year)),
                Cell::new(l.current_text())
                    .right()
                    .sub(l.current.as_ref().map(|c| period_text(lang, c.period))),
                Cell::new(l.progress_text()).right(),
                status,
                Cell::new(l.attribute_label.clone()).center(),
                Cell::new(if l.departments.is_empty() {
                    "—"
                } else {
                    &l.departments
                }),
            ]);
        }
        Table {
            kind: TableKind::Indicators,
            header: self.table_header.clone(),
            widths: vec![9, 24, 8, 11, 12, 11, 10, 12, 9, 16],
            rows,
        }
    }
}

struct Builder<'a> {
    s: &'a Snapshot,
    kind: ReportKind,
    lang: Lang,
    lines: Vec<Line>,
    charts: Vec<Chart>,
    sections: Vec<Section>,
    chapters: Vec<ChapterGroup>,
    tables: usize,
}

impl<'a> Builder<'a> {
    fn new(s: &'a Snapshot, kind: ReportKind, lang: Lang) -> Builder<'a> {
        Builder {
            s,
            kind,
            lang,
            lines: Vec::new(),
            charts: Vec::new(),
            sections: Vec::new(),
            chapters: Vec::new(),
            tables: 0,
        }
    }

    fn t<'b>(&self, zh: &'b str, en: &'b str) -> &'b str {
        self.lang.pick(zh, en)
    }

    fn final_report(&self) -> bool {
        self.kind == ReportKind::Final
    }

    fn lines(&mut self) {
        let lang = self.lang;
        let year = self.s.evaluation_year;
        for row in &self.s.indicators {
            let series = Series::of(row, year, self.s.approx_tolerance);
            let cur = series.current.clone();
            let final_year = year >= row.target.year;
            let said = said(lang, row, cur.as_ref(), final_year);
            let a = &row.assessment;
            let warning_text = a.warning.then(|| {
                let attr = words::attribute(lang, row.attribute);
                let body = said.sentence(lang, true);
                match lang {
                    Lang::Zh => format!("【{attr}】{body}"),
                    Lang::En => format!("[{attr}] {body}"),
                }
            });
            let chart = Chart::of(row, series, lang).map(|c| {
                self.charts.push(c);
                self.charts.len() - 1
            });
            self.lines.push(Line {
                code: row.code.clone(),
                category: row.category.clone().unwrap_or_default(),
                name: row.name.clone(),
                unit: row.unit.clone().unwrap_or_default(),
                chapter: row.chapter.clone(),
                measure: row.measure,
                attribute: row.attribute,
                attribute_label: words::attribute(lang, row.attribute).into(),
                departments: row.departments.join(lang.pick("、", ", ")),
                baseline: row.baseline.as_ref().map(|b| (b.value, b.year)),
                target: target_cell(lang, row),
                target_value: row.target.value.filter(|_| row.target.kind != TargetKind::Relative),
                target_max: row
                    .target
                    .value_max
                    .filter(|_| row.target.comparator == Comparator::Range),
                target_year: row.target.year,
                current: cur,
                progress: a.progress,
                elapsed_share: a.elapsed_share,
                ratio: a.ratio,
                status: a.status,
                status_label: words::status(lang, a.status).into(),
                warning: a.warning,
                narrative: said.sentence(lang, false),
                warning_text,
                chart,
            });
        }
        // Chapters in the plan's order; indicators of no known chapter last.
        let mut placed = vec![false; self.lines.len()];
        for ch in &self.s.chapters {
            let members: Vec<usize> = (0..self.lines.len())
                .filter(|&i| self.lines[i].chapter.as_deref() == Some(ch.id.as_str()))
                .collect();
            members.iter().for_each(|&i| placed[i] = true);
            if !members.is_empty() {
                self.chapters.push(ChapterGroup {
                    id: Some(ch.id.clone()),
                    title: chapter_title(lang, ch.number, &ch.title),
                    lines: members,
                });
            }
        }
        let rest: Vec<usize> = (0..self.lines.len()).filter(|&i| !placed[i]).collect();
        if !rest.is_empty() {
            self.chapters.push(ChapterGroup {
                id: None,
                title: lang.pick("其他指标", "Other indicators").into(),
                lines: rest,
            });
        }
        for (i, c) in self.charts.iter_mut().enumerate() {
            c.number = i + 1;
        }
    }

    fn table_no(&mut self) -> usize {
        self.tables += 1;
        self.tables
    }

    fn caption(&mut self, zh: &str, en: &str) -> Block {
        let n = self.table_no();
        Block::Caption(match self.lang {
            Lang::Zh => format!("表{n}　{zh}"),
            Lang::En => format!("Table {n}. {en}"),
        })
    }

    fn push(&mut self, zh: &str, en: &str, page_break: bool, blocks: Vec<Block>) {
        let n = self.sections.len() + 1;
        let title = format!("{}{}", words::section_no(self.lang, n), self.t(zh, en));
        self.sections.push(Section {
            title,
            page_break,
            blocks,
        });
    }

    fn sub(&self, n: usize, zh: &str, en: &str) -> Block {
        let section = self.sections.len() + 1;
        Block::Heading(format!(
            "{}{}",
            words::subsection_no(self.lang, section, n),
            self.t(zh, en)
        ))
    }

    fn sections(&mut self) {
        self.overview();
        self.indicator_section();
        self.warning_section();
        if matches!(self.kind, ReportKind::Midterm | ReportKind::Final) {
            self.schedule_section();
        }
        self.chapter_section();
        self.work_section();
        self.comments_section();
        self.notes_section();
    }

    fn elapsed_phrase(&self, elapsed: f64) -> &'static str {
        if elapsed >= 1.0 {
            self.t("规划期已满", "the plan period has run its course")
        } else if elapsed >= 0.5 {
            self.t("时间过半", "more than half of the plan period has elapsed")
        } else {
            self.t("时间尚未过半", "less than half of the plan period has elapsed")
        }
    }

    fn overview(&mut self) {
        let s = self.s;
        let lang = self.lang;
        let p = &s.plan;
        let elapsed = s.time_elapsed();
        let years_run = (s.evaluation_year - p.start_year + 1).clamp(0, p.end_year - p.start_year + 1);
        let counts = counts_of(self.lines.iter().map(|l| l.status));
        let total = self.lines.len();
        let binding: Vec<&Line> = self
            .lines
            .iter()
            .filter(|l| l.attribute == Attribute::Binding)
            .collect();
        let binding_lag = binding
            .iter()
            .filter(|l| matches!(l.status, Status::Lagging | Status::NotCompleted))
            .count();
        let warnings = self.lines.iter().filter(|l| l.warning).count();
        let assessable = self.lines.iter().filter(|l| l.status.rank().is_some()).count();
        let good = self
            .lines
            .iter()
            .filter(|l| {
                matches!(
                    l.status,
                    Status::Achieved | Status::Ahead | Status::OnTrack | Status::Completed
                )
            })
            .count();
        let lagging = self
            .lines
            .iter()
            .filter(|l| matches!(l.status, Status::Lagging | Status::NotCompleted))
            .count();
        let completed = self.lines.iter().filter(|l| l.status == Status::Completed).count();
        let not_completed = self.lines.iter().filter(|l| l.status == Status::NotCompleted).count();
        let good_share = if assessable == 0 {
            0.0
        } else {
            good as f64 / assessable as f64
        };

        let mut blocks = Vec::new();
        if let Some(n) = &self.sample_notice() {
            blocks.push(Block::Alert(n.clone()));
        }
        let kind_label = match lang {
            Lang::Zh => self.kind.label_zh(),
            Lang::En => self.kind.label_en(),
        };
        blocks.push(Block::Para(match lang {
            Lang::Zh => format!(
                "《{}》规划期为{}—{}年。本报告为{}年度{}，评估数据截至{}年。截至{}年底，规划实施已满{}年，时间进度为{}，{}。",
                p.name,
                p.start_year,
                p.end_year,
                s.evaluation_year,
                kind_label,
                s.evaluation_year,
                s.evaluation_year,
                years_run,
                num::pct(elapsed),
                self.elapsed_phrase(elapsed)
            ),
            Lang::En => format!(
                "The plan “{}” runs from {} to {}. This is the {} for {}, with figures up to {}. By the end of {}, {} of the plan's years have passed ({} of the period): {}.",
                p.name,
                p.start_year,
                p.end_year,
                kind_label.to_lowercase(),
                s.evaluation_year,
                s.evaluation_year,
                s.evaluation_year,
                years_run,
                num::pct(elapsed),
                self.elapsed_phrase(elapsed)
            ),
        }));
        blocks.push(Block::Para(match lang {
            Lang::Zh => {
                let mut t = format!("纳入监测的{total}项指标中，{}。", count_list(lang, &counts));
                t.push_str(&format!("约束性指标{}项，其中滞后或未完成{binding_lag}项", binding.len()));
                t.push_str(&format!("；发出预警{warnings}项。"));
                t
            }
            Lang::En => format!(
                "Indicators monitored: {total} ({}). Binding targets: {}, of which lagging or not completed: {binding_lag}. Early warnings: {warnings}.",
                count_list(lang, &counts),
                binding.len()
            ),
        }));
        let headline = match (lang, self.final_report()) {
            (Lang::Zh, true) => format!(
                "总体判断：可评估的{assessable}项指标中，完成{completed}项，未完成{not_completed}项，目标完成率{}。{}",
                share(completed, completed + not_completed),
                if not_completed == 0 {
                    "规划目标全面完成。"
                } else if good_share >= 0.8 {
                    "规划目标总体完成，少数指标未达预期。"
                } else {
                    "部分规划目标未能完成，需分析原因、在下一规划期接续推进。"
                }
            ),
            (Lang::Zh, false) => format!(
                "总体判断：可评估的{assessable}项指标中，{good}项提前实现或进展符合预期，占{}；{lagging}项进度滞后。{}",
                share(good, assessable),
                if assessable == 0 {
                    "目前数据尚不足以作出总体判断。"
                } else if good_share >= 0.8 {
                    "规划实施总体顺利，主要指标进展符合预期。"
                } else if good_share >= 0.6 {
                    "规划实施总体平稳，但部分指标进展滞后，需加力推进。"
                } else {
                    "规划实施面临较大压力，滞后指标较多，需采取有力措施。"
                }
            ),
            (Lang::En, true) => format!(
                "In sum: of the {assessable} indicators that can be assessed, {completed} were completed and {not_completed} were not ({} completed). {}",
                share(completed, completed + not_completed),
                if not_completed == 0 {
                    "The plan's targets were met in full."
                } else if good_share >= 0.8 {
                    "The plan's targets were met on the whole; a few fell short."
                } else {
                    "Several targets were not met; their causes need study and the work carries into the next plan."
                }
            ),
            (Lang::En, false) => format!(
                "In sum: of the {assessable} indicators that can be assessed, {good} are achieved or on schedule ({}), {lagging} lag. {}",
                share(good, assessable),
                if assessable == 0 {
                    "There are not yet enough figures for an overall judgement."
                } else if good_share >= 0.8 {
                    "Implementation is going well; the main indicators are on schedule."
                } else if good_share >= 0.6 {
                    "Implementation is steady, but some indicators lag and need more effort."
                } else {
                    "Implementation is under strain: many indicators lag and need decisive measures."
                }
            ),
        };
        blocks.push(Block::Lead(headline));
        blocks.push(self.caption("评估结论汇总", "Conclusions"));
        let mut rows: Vec<Vec<Cell>> = counts
            .iter()
            .map(|(st, n)| {
                vec![
                    Cell::new(words::status(lang, *st)).tone(tone_of(*st)),
                    Cell::new(n.to_string()).right(),
                    Cell::new(share(*n, total)).right(),
                ]
            })
            .collect();
        rows.push(vec![
            Cell::new(self.t("合计", "Total")),
            Cell::new(total.to_string()).right(),
            Cell::new(share(total, total)).right(),
        ]);
        blocks.push(Block::Table(Table {
            kind: TableKind::Other,
            header: vec![
                self.t("评估结论", "Conclusion").into(),
                self.t("指标数（项）", "Indicators").into(),
                self.t("占比", "Share").into(),
            ],
            widths: vec![40, 30, 30],
            rows,
        }));
        self.push("总体情况", "Overview", false, blocks);
    }

    fn sample_notice(&self) -> Option<String> {
        self.s.notes.sample_data.then(|| {
            self.t(
                "特别说明：本报告所用数据为示例数据，非正式统计数据，仅用于演示和测试，不得引用。",
                "Note: the figures in this report are illustrative sample data, not official statistics; do not cite them.",
            )
            .to_string()
        })
    }

    fn indicator_section(&mut self) {
        let lang = self.lang;
        let elapsed = self.s.time_elapsed();
        let mut blocks = vec![Block::Para(match lang {
            Lang::Zh => format!("规划确定的{}项主要指标进展情况见下表。", self.lines.len()),
            Lang::En => format!(
                "The table below shows where the plan's {} main indicators stand.",
                self.lines.len()
            ),
        })];
        blocks.push(self.caption("主要指标进展情况", "Main indicators"));
        // The table itself is built by `Report::indicator_table`; a marker
        // keeps the place.
        blocks.push(Block::Table(Table {
            kind: TableKind::Indicators,
            header: Vec::new(),
            widths: Vec::new(),
            rows: Vec::new(),
        }));
        blocks.push(Block::Note(match lang {
            Lang::Zh => format!(
                "注：基期值、目标值、当前值下方为所属年份（期别）；〔〕内为规划期累计数；进度为自基期起完成目标任务的比例；评估年时间进度为{}；“▲预警”为约束性指标滞后或按趋势难以实现目标的指标。",
                num::pct(elapsed)
            ),
            Lang::En => format!(
                "Note: the year (period) of each value is under it; figures in 〔〕 are totals over the plan period; progress is the share of the way from baseline to target covered so far; {} of the plan period has elapsed; “▲ warning” marks a binding target that lags or a target unlikely to be met on its trend.",
                num::pct(elapsed)
            ),
        }));
        self.push("主要指标进展情况", "Main indicators", true, blocks);
    }

    fn warning_section(&mut self) {
        let lang = self.lang;
        let w: Vec<&Line> = self.lines.iter().filter(|l| l.warning).collect();
        let mut blocks = Vec::new();
        if w.is_empty() {
            blocks.push(Block::Para(
                self.t(
                    "本期无预警指标：约束性指标均未滞后，也没有按现有趋势难以实现目标的指标。",
                    "No early warnings: no binding target lags and no target looks unlikely to be met on its trend.",
                )
                .into(),
            ));
        } else {
            let binding = w.iter().filter(|l| l.attribute == Attribute::Binding).count();
            blocks.push(Block::Para(match lang {
                Lang::Zh => format!(
                    "对进度滞后的约束性指标和按现有趋势难以实现目标的指标发出预警。本期预警指标{}项，其中约束性指标{binding}项，具体如下：",
                    w.len()
                ),
                Lang::En => format!(
                    "An early warning is raised for each binding target that lags and each target unlikely to be met on its trend. Early warnings this period: {}, of which {binding} on binding targets:",
                    w.len()
                ),
            }));
            let items = w.iter().filter_map(|l| l.warning_text.clone()).collect();
            blocks.push(Block::List(items));
        }
        self.push("预警指标", "Early warnings", false, blocks);
    }

    fn schedule_section(&mut self) {
        let lang = self.lang;
        let elapsed = self.s.time_elapsed();
        let heading = self.sub(1, "与时序进度对照", "Against the schedule");
        let caption = self.caption(
            "主要指标进度与时序进度对照",
            "Progress against the time-proportional schedule",
        );
        let with_p: Vec<&Line> = self.lines.iter().filter(|l| l.progress.is_some()).collect();
        let keeping = with_p
            .iter()
            .filter(|l| match (l.progress, l.elapsed_share) {
                (Some(p), Some(s)) => p >= s,
                _ => false,
            })
            .count();
        let half = with_p.iter().filter(|l| l.progress.is_some_and(|p| p >= 0.5)).count();
        let mut blocks = vec![Block::Para(match lang {
            Lang::Zh => format!(
                "按照“时间过半、任务过半”的要求，将各指标实际进度与时序进度对照评估。截至{}年底，规划期时间进度为{}，{}。可计算进度的{}项指标中，{keeping}项实际进度达到或快于时序进度，{}项慢于时序进度；{half}项指标完成目标任务过半（进度不低于50%）。",
                self.s.evaluation_year,
                num::pct(elapsed),
                self.elapsed_phrase(elapsed),
                with_p.len(),
                with_p.len() - keeping
            ),
            Lang::En => format!(
                "Progress should keep pace with time (时间过半、任务过半). By the end of {}, {} of the plan period has elapsed: {}. Of the {} indicators whose progress can be measured, {keeping} keep pace with or run ahead of the schedule and {} fall behind it; {half} have covered at least half of the way to their target.",
                self.s.evaluation_year,
                num::pct(elapsed),
                self.elapsed_phrase(elapsed),
                with_p.len(),
                with_p.len() - keeping
            ),
        })];
        blocks.push(heading);
        blocks.push(caption);
        let rows = with_p
            .iter()
            .map(|l| {
                let verdict = match (l.progress, l.elapsed_share) {
                    (Some(p), Some(s)) if p >= s => self.t("达到时序要求", "keeps pace"),
                    (Some(_), Some(_)) => self.t("慢于时序进度", "behind"),
                    _ => "—",
                };
                vec![
                    Cell::new(l.name.clone()),
                    Cell::new(l.elapsed_share.map(num::pct).unwrap_or_else(|| "—".into())).right(),
                    Cell::new(l.progress_text()).right(),
                    Cell::new(l.ratio.map(num::ratio).unwrap_or_else(|| "—".into())).right(),
                    Cell::new(verdict).center(),
                    Cell::new(l.status_label.clone()).center().tone(tone_of(l.status)),
                ]
            })
            .collect();
        blocks.push(Block::Table(Table {
            kind: TableKind::Other,
            header: [
                ("指标", "Indicator"),
                ("时序进度", "Time elapsed"),
                ("实际进度", "Progress"),
                ("进度比", "Ratio"),
                ("对照", "Against schedule"),
                ("评估结论", "Conclusion"),
            ]
            .iter()
            .map(|(z, e)| self.t(z, e).to_string())
            .collect(),
            widths: vec![34, 13, 13, 11, 15, 14],
            rows,
        }));
        blocks.push(Block::Note(
            self.t(
                "注：时序进度为自基期至最新数据期所经过的时间占基期至目标年时间的比例；进度比为实际进度与时序进度之比。",
                "Note: time elapsed is the share of the time from baseline to target year that has passed by the latest figure; the ratio is progress divided by time elapsed.",
            )
            .into(),
        ));
        if self.final_report() {
            blocks.push(self.sub(2, "目标完成情况", "Targets met"));
            let done = self.lines.iter().filter(|l| l.status == Status::Completed).count();
            let not_done = self.lines.iter().filter(|l| l.status == Status::NotCompleted).count();
            blocks.push(Block::Para(match lang {
                Lang::Zh => format!(
                    "规划期末，{}项指标中完成{done}项，未完成{not_done}项，其余{}项无法评估或目标年份晚于评估年。",
                    self.lines.len(),
                    self.lines.len() - done - not_done
                ),
                Lang::En => format!(
                    "At the end of the plan period, of {} indicators {done} were completed and {not_done} were not; {} cannot be assessed or have a later target year.",
                    self.lines.len(),
                    self.lines.len() - done - not_done
                ),
            }));
            blocks.push(self.caption("规划目标完成情况", "Targets met at the end of the plan"));
            let rows = self
                .lines
                .iter()
                .map(|l| {
                    let verdict = match l.status {
                        Status::Completed | Status::NotCompleted => l.status_label.clone(),
                        other => words::status(lang, other).to_string(),
                    };
                    vec![
                        Cell::new(l.name.clone()),
                        Cell::new(l.target.clone())
                            .right()
                            .sub(Some(words::year(lang, l.target_year))),
                        Cell::new(l.current_text())
                            .right()
                            .sub(l.current.as_ref().map(|c| period_text(lang, c.period))),
                        Cell::new(verdict).center().tone(tone_of(l.status)),
                    ]
                })
                .collect();
            blocks.push(Block::Table(Table {
                kind: TableKind::Other,
                header: [
                    ("指标", "Indicator"),
                    ("目标值", "Target"),
                    ("实际值", "Actual"),
                    ("完成情况", "Result"),
                ]
                .iter()
                .map(|(z, e)| self.t(z, e).to_string())
                .collect(),
                widths: vec![40, 20, 20, 20],
                rows,
            }));
        }
        self.push(
            "对照时序进度评估",
            "Progress against the time-proportional schedule",
            false,
            blocks,
        );
    }

    fn chapter_section(&mut self) {
        let lang = self.lang;
        let mut blocks = vec![Block::Para(
            self.t(
                "以下按规划章节逐项说明各指标进展，所引数据均注明期别和来源；图中实线为实际值，虚线为由基期值至目标值的时序进度线，横线（或阴影带）为目标，末端为按趋势测算的目标年预测值及其90%区间。",
                "Each indicator is described chapter by chapter; every figure is cited with its period and source. In the charts the solid line is the actual value, the dashed line the time-proportional path from baseline to target, the horizontal line (or band) the target, and the last mark the trend projection for the target year with its 90% interval.",
            )
            .into(),
        )];
        let chapters = self.chapters.clone();
        for (ci, ch) in chapters.iter().enumerate() {
            blocks.push(self.sub(ci + 1, &ch.title, &ch.title));
            let counts = counts_of(ch.lines.iter().map(|&i| self.lines[i].status));
            blocks.push(Block::Para(match lang {
                Lang::Zh => format!(
                    "本部分共监测{}项指标，其中{}。",
                    ch.lines.len(),
                    count_list(lang, &counts)
                ),
                Lang::En => format!(
                    "Indicators monitored here: {} ({}).",
                    ch.lines.len(),
                    count_list(lang, &counts)
                ),
            }));
            for (k, &li) in ch.lines.iter().enumerate() {
                let l = &self.lines[li];
                blocks.push(Block::Para(match lang {
                    Lang::Zh => format!("{}．{}", k + 1, l.narrative),
                    Lang::En => format!("{}. {}", k + 1, l.narrative),
                }));
                if let Some(c) = l.chart {
                    blocks.push(Block::Chart(c));
                }
            }
        }
        self.push("分领域进展情况", "Progress chapter by chapter", true, blocks);
    }

    /// 评估意见: what the third-party evaluator and the offices said, quoted
    /// in the order they said it. Left out when there is none.
    fn comments_section(&mut self) {
        let lang = self.lang;
        let comments = &self.s.comments;
        if comments.is_empty() {
            return;
        }
        let evaluators = comments
            .iter()
            .filter(|c| c.role == lantu_core::account::Role::Evaluator)
            .count();
        let intro = match lang {
            Lang::Zh => format!(
                "规划实施以来，各方通过蓝图系统提出评估意见{}条，其中第三方评估机构{}条，按提出时间摘录如下。",
                comments.len(),
                evaluators
            ),
            Lang::En => format!(
                "{} evaluation comments have been recorded in Lantu, {} of them by the third-party evaluator; they are quoted below in the order they were made.",
                comments.len(),
                evaluators
            ),
        };
        let items = comments
            .iter()
            .map(|c| {
                let scope = match &c.indicator {
                    Some(name) => name.clone(),
                    None => lang.pick("规划总体", "The plan as a whole").to_string(),
                };
                let year = c.year.map(|y| words::year(lang, y));
                match lang {
                    Lang::Zh => format!(
                        "【{scope}{}】{}（{}，{}）：{}",
                        year.map(|y| format!("·{y}")).unwrap_or_default(),
                        c.author,
                        words::role(lang, c.role),
                        c.date,
                        c.body
                    ),
                    Lang::En => format!(
                        "[{scope}{}] {} ({}, {}): {}",
                        year.map(|y| format!(", {y}")).unwrap_or_default(),
                        c.author,
                        words::role(lang, c.role),
                        c.date,
                        c.body
                    ),
                }
            })
            .collect();
        self.push(
            "评估意见",
            "Evaluation comments",
            false,
            vec![Block::Para(intro), Block::List(items)],
        );
    }

    fn work_section(&mut self) {
        let lang = self.lang;
        let s = self.s;
        let mut blocks = Vec::new();
        let count = |states: Vec<&str>| -> String {
            let mut by: BTreeMap<usize, (String, usize)> = BTreeMap::new();
            for st in states {
                let code = words::work_state_code(st);
                let order = words::WORK_STATES.iter().position(|c| *c == code).unwrap_or(99);
                by.entry(order).or_insert_with(|| (words::work_state(lang, code), 0)).1 += 1;
            }
            by.values()
                .map(|(label, n)| match lang {
                    Lang::Zh => format!("{label}{n}项"),
                    Lang::En => format!("{} {n}", label.to_lowercase()),
                })
                .collect::<Vec<_>>()
                .join(lang.pick("、", ", "))
        };
        let tone = |state: &str| match words::work_state_code(state) {
            "done" => Tone::Good,
            "overdue" => Tone::Bad,
            "not_started" => Tone::Muted,
            _ => Tone::Plain,
        };

        blocks.push(self.sub(1, "重点任务", "Key tasks"));
        if s.tasks.is_empty() {
            blocks.push(Block::Para(
                self.t("本期未纳入重点任务监测。", "No key tasks are monitored in this period.")
                    .into(),
            ));
        } else {
            blocks.push(Block::Para(match lang {
                Lang::Zh => format!(
                    "纳入监测的重点任务{}项，其中{}。",
                    s.tasks.len(),
                    count(s.tasks.iter().map(|t| t.state.as_str()).collect())
                ),
                Lang::En => format!(
                    "Key tasks monitored: {} ({}).",
                    s.tasks.len(),
                    count(s.tasks.iter().map(|t| t.state.as_str()).collect())
                ),
            }));
            blocks.push(self.caption("重点任务进展情况", "Key tasks"));
            let rows = s
                .tasks
                .iter()
                .map(|t| {
                    vec![
                        Cell::new(t.code.clone()).center(),
                        Cell::new(t.title.clone()),
                        Cell::new(t.departments.join(lang.pick("、", ", "))),
                        Cell::new(words::work_state(lang, &t.state))
                            .center()
                            .tone(tone(&t.state)),
                        Cell::new(t.note.clone().unwrap_or_default()),
                    ]
                })
                .collect();
            blocks.push(Block::Table(Table {
                kind: TableKind::Other,
                header: [
                    ("编号", "No."),
                    ("任务", "Task"),
                    ("责任单位", "Responsible"),
                    ("进展", "State"),
                    ("说明", "Note"),
                ]
                .iter()
                .map(|(z, e)| self.t(z, e).to_string())
                .collect(),
                widths: vec![12, 34, 22, 11, 21],
                rows,
            }));
        }

        blocks.push(self.sub(2, "重大项目", "Key projects"));
        if s.projects.is_empty() {
            blocks.push(Block::Para(
                self.t(
                    "本期未纳入重大项目监测。",
                    "No key projects are monitored in this period.",
                )
                .into(),
            ));
        } else {
            let planned: Decimal = s.projects.iter().filter_map(|p| p.planned_investment).sum();
            let done: Decimal = s
                .projects
                .iter()
                .filter(|p| p.planned_investment.is_some())
                .filter_map(|p| p.completed_investment)
                .sum();
            let mut text = match lang {
                Lang::Zh => format!(
                    "纳入监测的重大项目{}项，其中{}。",
                    s.projects.len(),
                    count(s.projects.iter().map(|p| p.state.as_str()).collect())
                ),
                Lang::En => format!(
                    "Key projects monitored: {} ({}).",
                    s.projects.len(),
                    count(s.projects.iter().map(|p| p.state.as_str()).collect())
                ),
            };
            if planned > Decimal::ZERO {
                let rate = num::pct(num::f(done) / num::f(planned));
                text.push_str(&match lang {
                    Lang::Zh => format!(
                        "有投资数据的项目计划投资{}，已完成投资{}，投资完成率{rate}。",
                        dec(planned),
                        dec(done)
                    ),
                    Lang::En => format!(
                        " Projects with investment figures plan {} and have invested {} ({rate}).",
                        dec(planned),
                        dec(done)
                    ),
                });
            }
            blocks.push(Block::Para(text));
            blocks.push(self.caption("重大项目进展情况", "Key projects"));
            let rows = s
                .projects
                .iter()
                .map(|p| {
                    let rate = match (p.planned_investment, p.completed_investment) {
                        (Some(a), Some(b)) if a > Decimal::ZERO => num::pct(num::f(b) / num::f(a)),
                        _ => "—".into(),
                    };
                    vec![
                        Cell::new(p.code.clone()).center(),
                        Cell::new(p.name.clone()),
                        Cell::new(words::work_state(lang, &p.state))
                            .center()
                            .tone(tone(&p.state)),
                        Cell::new(opt(p.planned_investment)).right(),
                        Cell::new(opt(p.completed_investment)).right(),
                        Cell::new(rate).right(),
                        Cell::new(p.note.clone().unwrap_or_default()),
                    ]
                })
                .collect();
            blocks.push(Block::Table(Table {
                kind: TableKind::Other,
                header: [
                    ("编号", "No."),
                    ("项目", "Project"),
                    ("进展", "State"),
                    ("计划投资", "Planned investment"),
                    ("已完成投资", "Invested"),
                    ("完成率", "Share"),
                    ("说明", "Note"),
                ]
                .iter()
                .map(|(z, e)| self.t(z, e).to_string())
                .collect(),
                widths: vec![9, 30, 12, 13, 13, 10, 13],
                rows,
            }));
        }
        self.push("重点任务和重大项目", "Key tasks and projects", false, blocks);
    }

    fn notes_section(&mut self) {
        let lang = self.lang;
        let s = self.s;
        let n = &s.notes;
        let name_of = |code: &str| -> String {
            s.indicators
                .iter()
                .find(|i| i.code == code)
                .map(|i| i.name.clone())
                .unwrap_or_else(|| code.to_string())
        };
        let mut blocks = Vec::new();
        if let Some(notice) = self.sample_notice() {
            blocks.push(Block::Alert(notice));
        }
        blocks.push(self.sub(1, "数据来源", "Sources"));
        let mut sources: Vec<String> = n.sources.clone();
        let seen: BTreeSet<String> = sources.iter().cloned().collect();
        for f in s.indicators.iter().flat_map(|i| &i.figures) {
            if let Some(src) = &f.source {
                if !seen.contains(src) && !sources.contains(src) {
                    sources.push(src.clone());
                }
            }
        }
        blocks.push(Block::Para(match (lang, sources.is_empty()) {
            (Lang::Zh, false) => format!(
                "本报告数据来源于：{}。基期值和目标值取自规划文本。每个数据均可追溯至监测记录，明细见本节数据明细表。",
                sources.join("、")
            ),
            (Lang::Zh, true) => "本报告所用数据未注明来源。基期值和目标值取自规划文本。".into(),
            (Lang::En, false) => format!(
                "Sources of the figures: {}. Baselines and targets are taken from the plan text. Every figure can be traced to its monitoring record; see the detail table in this section.",
                sources.join("; ")
            ),
            (Lang::En, true) => "The figures carry no source. Baselines and targets are taken from the plan text.".into(),
        }));

        blocks.push(self.sub(2, "数据修订", "Revisions"));
        if n.revisions.is_empty() {
            blocks.push(Block::Para(
                self.t(
                    "自上次报告以来无数据修订。",
                    "No figure has been revised since the last report.",
                )
                .into(),
            ));
        } else {
            blocks.push(Block::Para(match lang {
                Lang::Zh => format!("自上次报告以来，共修订数据{}个，见下表。", n.revisions.len()),
                Lang::En => format!("Figures revised since the last report: {}.", n.revisions.len()),
            }));
            blocks.push(self.caption("数据修订情况", "Revised figures"));
            let rows = n
                .revisions
                .iter()
                .map(|r| {
                    vec![
                        Cell::new(name_of(&r.indicator)),
                        Cell::new(period_text(lang, r.period)).center(),
                        Cell::new(dec(r.from)).right(),
                        Cell::new(dec(r.to)).right(),
                        Cell::new(r.reason.clone().unwrap_or_default()),
                    ]
                })
                .collect();
            blocks.push(Block::Table(Table {
                kind: TableKind::Other,
                header: [
                    ("指标", "Indicator"),
                    ("期别", "Period"),
                    ("原值", "Was"),
                    ("修订值", "Now"),
                    ("修订原因", "Reason"),
                ]
                .iter()
                .map(|(z, e)| self.t(z, e).to_string())
                .collect(),
                widths: vec![30, 14, 13, 13, 30],
                rows,
            }));
        }

        blocks.push(self.sub(3, "缺少数据的指标", "Indicators without data"));
        let mut missing: Vec<String> = n.without_data.iter().map(|c| name_of(c)).collect();
        for l in &self.lines {
            if l.current.is_none() && !missing.contains(&l.name) {
                missing.push(l.name.clone());
            }
        }
        if missing.is_empty() {
            blocks.push(Block::Para(
                self.t("所有指标均有监测数据。", "Every indicator has figures.").into(),
            ));
        } else {
            blocks.push(Block::Para(match lang {
                Lang::Zh => format!(
                    "以下{}项指标暂无监测数据，未作进度评估：{}。",
                    missing.len(),
                    missing.join("、")
                ),
                Lang::En => format!(
                    "Indicators without figures, not assessed ({}): {}.",
                    missing.len(),
                    missing.join(", ")
                ),
            }));
        }

        blocks.push(self.sub(4, "评估方法", "Method"));
        let method = match lang {
            Lang::Zh => vec![
                "进度：水平类指标为（当前值－基期值）÷（目标值－基期值）；累计类指标为基期后各年累计值÷规划期目标总量；年均增速和累计降幅类指标按实际增速（降幅）与目标要求之比计算。",
                "时序进度：自基期至最新数据期所经过的时间占基期至目标年时间的比例，体现“时间过半、任务过半”的要求。",
                "评估结论：最新值已达到目标的为“提前实现”；否则按进度与时序进度之比，依规划设定的阈值判定为“快于预期”“基本符合预期”或“滞后”；目标年及以后评估为“完成”或“未完成”。",
                "预警：约束性指标滞后或未完成，以及按趋势测算难以实现目标的指标。趋势测算采用加权最小二乘（近期权重较大），给出90%预测区间。",
            ],
            Lang::En => vec![
                "Progress: for a level, (current − baseline) ÷ (target − baseline); for a cumulative target, the total since the baseline ÷ the target total; for growth and reduction targets, the achieved rate against the required one.",
                "Time elapsed: the share of the time from the baseline to the target year that has passed by the latest figure (时间过半、任务过半).",
                "Conclusion: achieved early when the latest value meets the target; otherwise ahead of schedule, on track or lagging by the ratio of progress to time elapsed, with the plan's thresholds; completed or not completed in and after the target year.",
                "Early warning: a binding target lagging or not completed, and any target that its trend says is unlikely to be met. The trend is a weighted least-squares fit (recent years weigh more) with a 90% prediction interval.",
            ],
        };
        blocks.push(Block::List(method.into_iter().map(String::from).collect()));

        blocks.push(self.sub(5, "数据明细", "Figures used"));
        blocks.push(self.caption("监测数据明细", "Monitoring figures"));
        let mut rows = Vec::new();
        for row in &s.indicators {
            let cap = s.evaluation_year;
            if let Some(b) = &row.baseline {
                rows.push(vec![
                    Cell::new(row.name.clone()),
                    Cell::new(words::year(lang, b.year)).center(),
                    Cell::new(dec(b.value)).right(),
                    Cell::new(self.t("规划文本（基期值）", "plan text (baseline)")),
                    Cell::new("—").center(),
                    Cell::new("—").center(),
                ]);
            }
            for f in row.figures.iter().filter(|f| f.period.calendar_year() <= cap) {
                rows.push(vec![
                    Cell::new(row.name.clone()),
                    Cell::new(period_text(lang, f.period)).center(),
                    Cell::new(dec(f.value)).right(),
                    Cell::new(f.source.clone().unwrap_or_else(|| "—".into())),
                    Cell::new(f.observation_id.map(|i| format!("#{i}")).unwrap_or_else(|| "—".into())).center(),
                    Cell::new(f.revisions.to_string()).center(),
                ]);
            }
        }
        blocks.push(Block::Table(Table {
            kind: TableKind::Other,
            header: [
                ("指标", "Indicator"),
                ("期别", "Period"),
                ("数值", "Value"),
                ("来源", "Source"),
                ("记录号", "Record"),
                ("修订次数", "Revisions"),
            ]
            .iter()
            .map(|(z, e)| self.t(z, e).to_string())
            .collect(),
            widths: vec![30, 14, 14, 22, 10, 10],
            rows,
        }));
        self.push("数据说明", "Notes on the data", true, blocks);
    }

    fn finish(self) -> Report {
        let s = self.s;
        let lang = self.lang;
        let title = match lang {
            Lang::Zh => format!("《{}》实施情况{}", s.plan.name, self.kind.label_zh()),
            Lang::En => format!("{}: {}", self.kind.label_en(), s.plan.name),
        };
        let subtitle = match lang {
            Lang::Zh => format!("（{}年度）", s.evaluation_year),
            Lang::En => format!("Evaluation year {}", s.evaluation_year),
        };
        let table_header = [
            ("类别", "Category"),
            ("指标", "Indicator"),
            ("单位", "Unit"),
            ("基期值", "Baseline"),
            ("目标值", "Target"),
            ("当前值", "Current"),
            ("进度", "Progress"),
            ("状态", "Status"),
            ("属性", "Attribute"),
            ("责任单位", "Responsible"),
        ]
        .iter()
        .map(|(z, e)| lang.pick(z, e).to_string())
        .collect();
        let warnings = (0..self.lines.len()).filter(|&i| self.lines[i].warning).collect();
        let counts = counts_of(self.lines.iter().map(|l| l.status));
        let sample_notice = self.sample_notice();
        let mut report = Report {
            lang,
            kind: self.kind,
            title,
            subtitle,
            plan_name: s.plan.name.clone(),
            running_head: match lang {
                Lang::Zh => format!(
                    "{}规划实施{}（{}年度）",
                    s.plan.region,
                    self.kind.label_zh(),
                    s.evaluation_year
                ),
                Lang::En => format!("{} {}", self.kind.label_en(), s.evaluation_year),
            },
            start_year: s.plan.start_year,
            end_year: s.plan.end_year,
            evaluation_year: s.evaluation_year,
            elapsed: s.time_elapsed(),
            sample_notice,
            counts,
            lines: self.lines,
            table_header,
            chapters: self.chapters,
            warnings,
            sections: self.sections,
            charts: self.charts,
            comments: s.comments.clone(),
        };
        // Fill the indicator table's place.
        let all: Vec<usize> = (0..report.lines.len()).collect();
        let table = report.indicator_table(&all);
        for sec in &mut report.sections {
            for b in &mut sec.blocks {
                if let Block::Table(t) = b {
                    if t.kind == TableKind::Indicators && t.rows.is_empty() && t.header.is_empty() {
                        *t = table.clone();
                    }
                }
            }
        }
        report
    }
}
