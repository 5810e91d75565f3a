//! The phrasing of a report: periods, targets, changes, sources and
//! projections in sentences and table cells, in formal Chinese or in
//! English, with numbers as [`crate::num`] prints them.

use crate::num::{self, dec};
use crate::words::{self, with_unit};
use crate::Lang;
use lantu_core::progress::{Granularity, Period, Projection, Status, StatusCounts};
use lantu_core::series::Current;
use lantu_core::snapshot::{Figure, IndicatorRow};
use lantu_core::{Comparator, Measure, TargetKind};
use rust_decimal::Decimal;

/// A period in running text: `2023年`, `2023年第二季度`, `2023年5月`.
pub(crate) fn period_text(lang: Lang, p: Period) -> String {
    let y = p.calendar_year();
    match (lang, p.granularity()) {
        (Lang::Zh, Granularity::Year) => format!("{y}年"),
        (Lang::Zh, Granularity::Quarter) => {
            format!(
                "{y}年第{}季度",
                words::zh_number(p.quarter_number().unwrap_or(1) as usize)
            )
        }
        (Lang::Zh, Granularity::Month) => format!("{y}年{}月", p.month_number().unwrap_or(1)),
        (Lang::En, _) => p.to_string(),
    }
}

/// What to call the level of a growth or reduction indicator: its unit,
/// unless that unit is the target's percent.
pub(super) fn level_unit(row: &IndicatorRow) -> String {
    let u = row.unit.clone().unwrap_or_default();
    match row.measure {
        Measure::AnnualGrowth | Measure::Reduction if u == "%" => String::new(),
        _ => u,
    }
}

/// The target in a table cell.
pub(super) fn target_cell(lang: Lang, row: &IndicatorRow) -> String {
    let t = &row.target;
    let Some(v) = t.value.filter(|_| t.kind != TargetKind::Relative) else {
        return lang.pick("完成上级下达任务", "Quota set above").into();
    };
    let v = dec(v);
    let core = match t.comparator {
        Comparator::AtLeast => format!("≥{v}"),
        Comparator::AtMost => format!("≤{v}"),
        Comparator::Exact => v,
        Comparator::Range => format!("{v}–{}", t.value_max.map(dec).unwrap_or_default()),
        Comparator::Approx => match lang {
            Lang::Zh => format!("{v}左右"),
            Lang::En => format!("≈{v}"),
        },
    };
    match (row.measure, lang) {
        (Measure::Level, _) => core,
        (Measure::Cumulative, _) => format!("〔{core}〕"),
        (Measure::AnnualGrowth, Lang::Zh) => format!("年均{core}%"),
        (Measure::AnnualGrowth, Lang::En) => format!("{core}% a year"),
        (Measure::Reduction, Lang::Zh) => format!("下降{core}%"),
        (Measure::Reduction, Lang::En) => format!("−{core}%"),
    }
}

/// The target in a sentence: `达到24.5%以上`, `at least 24.5%`.
pub(super) fn target_phrase(lang: Lang, row: &IndicatorRow) -> String {
    let t = &row.target;
    let Some(v) = t.value.filter(|_| t.kind != TargetKind::Relative) else {
        return lang
            .pick("完成上级下达的目标任务", "meet the quota set by the higher authority")
            .into();
    };
    let pct = matches!(row.measure, Measure::AnnualGrowth | Measure::Reduction);
    let unit = if pct {
        "%".to_string()
    } else {
        row.unit.clone().unwrap_or_default()
    };
    let u = |d: Decimal| with_unit(lang, &dec(d), &unit);
    let max = t.value_max.unwrap_or(v);
    match lang {
        Lang::Zh => {
            let range = format!("{}—{}", dec(v), u(max));
            let (prefix, at_least, at_most) = match row.measure {
                Measure::Level => ("", "达到", "控制在"),
                Measure::AnnualGrowth => ("年均增长", "", "控制在"),
                Measure::Cumulative => ("累计", "达到", "控制在"),
                Measure::Reduction => ("累计下降", "", "不超过"),
            };
            match (t.comparator, row.measure) {
                (Comparator::AtLeast, _) => format!("{prefix}{at_least}{}以上", u(v)),
                (Comparator::AtMost, Measure::Reduction) => format!("{prefix}{at_most}{}", u(v)),
                (Comparator::AtMost, _) => format!("{prefix}{at_most}{}以内", u(v)),
                (Comparator::Exact, Measure::Level) => format!("达到{}", u(v)),
                (Comparator::Exact, _) => format!("{prefix}{}", u(v)),
                (Comparator::Range, Measure::Level) => format!("保持在{range}"),
                (Comparator::Range, _) => format!("{prefix}{range}"),
                (Comparator::Approx, Measure::Level) => format!("达到{}左右", u(v)),
                (Comparator::Approx, _) => format!("{prefix}{}左右", u(v)),
            }
        }
        Lang::En => {
            let amount = match t.comparator {
                Comparator::AtLeast => format!("at least {}", u(v)),
                Comparator::AtMost => format!("at most {}", u(v)),
                Comparator::Exact => u(v),
                Comparator::Range => format!("between {} and {}", dec(v), u(max)),
                Comparator::Approx => format!("about {}", u(v)),
            };
            match row.measure {
                Measure::Level => amount,
                Measure::AnnualGrowth => format!("average annual growth of {amount}"),
                Measure::Cumulative => format!("a cumulative total of {amount}"),
                Measure::Reduction => format!("a cumulative reduction of {amount}"),
            }
        }
    }
}

/// Decimal places used for estimates of this indicator: those of its data,
/// at least one, at most two.
pub(super) fn places(row: &IndicatorRow) -> u32 {
    num::data_places(row).clamp(1, 2)
}

/// The projection in a sentence, in the target's own terms.
pub(super) fn projection_phrase(lang: Lang, row: &IndicatorRow, p: &Projection) -> String {
    let k = places(row);
    let unit = match row.measure {
        Measure::AnnualGrowth | Measure::Reduction => "%".to_string(),
        _ => row.unit.clone().unwrap_or_default(),
    };
    let v = with_unit(lang, &num::estimate(p.value, k), &unit);
    let lo = num::estimate(p.low, k);
    let hi = with_unit(lang, &num::estimate(p.high, k), &unit);
    let likely = words::likelihood(lang, p.likelihood);
    // A fit through points on a straight line has no spread to speak of.
    let same = num::estimate(p.low, k) == num::estimate(p.high, k);
    match lang {
        Lang::Zh => {
            let what = match row.measure {
                Measure::Level => format!("{}年预计达到{v}", p.year),
                Measure::Cumulative => format!("至{}年预计累计{v}", p.year),
                Measure::AnnualGrowth => format!("规划期年均增速预计为{v}"),
                Measure::Reduction => format!("至{}年累计降幅预计为{v}", p.year),
            };
            if same {
                format!("按现有趋势测算，{what}，{likely}。")
            } else {
                format!("按现有趋势测算，{what}（90%预测区间{lo}～{hi}），{likely}。")
            }
        }
        Lang::En => {
            let what = match row.measure {
                Measure::Level => format!("reach {v} in {}", p.year),
                Measure::Cumulative => format!("total {v} by {}", p.year),
                Measure::AnnualGrowth => format!("average {v} a year"),
                Measure::Reduction => format!("fall by {v} by {}", p.year),
            };
            if same {
                format!("On the present trend it would {what}: {}.", likely.to_lowercase())
            } else {
                format!(
                    "On the present trend it would {what} (90% interval {lo} to {hi}): {}.",
                    likely.to_lowercase()
                )
            }
        }
    }
}

/// Reasons worth a sentence of their own (the others repeat the status).
pub(super) fn telling_reason(status: Status, reason: lantu_core::progress::Reason) -> bool {
    use lantu_core::progress::Reason as R;
    match reason {
        R::MovingAway
        | R::NoLongerMet
        | R::AllowanceUsedTooFast
        | R::AllowanceExceeded
        | R::Overshoot
        | R::TargetYearFigureMissing
        | R::NoObservationSinceBaseline => true,
        _ => status == Status::NotAssessable,
    }
}

/// Where the figures of a sentence come from.
pub(super) fn source_phrase(lang: Lang, row: &IndicatorRow, cur: &Current) -> String {
    let used: Vec<&Figure> = row
        .figures
        .iter()
        .filter(|f| match cur.from_year {
            Some(y0) => f.period.calendar_year() >= y0 && f.period <= cur.period,
            None => f.period == cur.period,
        })
        .collect();
    let mut sources: Vec<&str> = Vec::new();
    for f in &used {
        if let Some(s) = f.source.as_deref() {
            if !sources.contains(&s) {
                sources.push(s);
            }
        }
    }
    let revised: u32 = used.iter().map(|f| f.revisions).sum();
    let ids: Vec<String> = used
        .iter()
        .filter_map(|f| f.observation_id)
        .map(|i| format!("#{i}"))
        .collect();
    let mut parts = Vec::new();
    match lang {
        Lang::Zh => {
            if sources.is_empty() {
                parts.push("数据来源未注明".to_string());
            } else {
                parts.push(format!("数据来源：{}", sources.join("、")));
            }
            if !ids.is_empty() {
                parts.push(format!("监测记录{}", ids.join("、")));
            }
            if revised > 0 {
                parts.push(format!("经{revised}次修订"));
            }
            format!("（{}）", parts.join("；"))
        }
        Lang::En => {
            if sources.is_empty() {
                parts.push("source not stated".to_string());
            } else {
                parts.push(format!("source: {}", sources.join(", ")));
            }
            if !ids.is_empty() {
                parts.push(format!("records {}", ids.join(", ")));
            }
            if revised > 0 {
                parts.push(format!("revised {revised} time(s)"));
            }
            format!(" ({})", parts.join("; "))
        }
    }
}

/// Where the indicator stands, with the figures: `由2020年的24.1%提高到2023年的24.3%`.
pub(super) fn change_phrase(lang: Lang, row: &IndicatorRow, cur: &Current) -> String {
    let lu = level_unit(row);
    let u = |d: Decimal| with_unit(lang, &dec(d), &lu);
    let at = period_text(lang, cur.period);
    let base = row.baseline.as_ref();
    match row.measure {
        Measure::Cumulative => {
            let from = cur.from_year.unwrap_or(cur.period.calendar_year());
            // The latest period's own flow, which the status table shows.
            let latest = row
                .figures
                .iter()
                .rev()
                .find(|f| f.period == cur.period)
                .filter(|_| from < cur.period.calendar_year())
                .map(|f| u(f.value));
            match (lang, latest) {
                (Lang::Zh, Some(l)) => format!("{from}年至{at}累计{}（其中{at}{l}）", u(cur.value)),
                (Lang::Zh, None) => format!("{from}年至{at}累计{}", u(cur.value)),
                (Lang::En, Some(l)) => format!("totalled {} from {from} to {at} ({l} in {at})", u(cur.value)),
                (Lang::En, None) => format!("totalled {} from {from} to {at}", u(cur.value)),
            }
        }
        _ => match base {
            None => match lang {
                Lang::Zh => format!("{at}为{}", u(cur.value)),
                Lang::En => format!("stood at {} in {at}", u(cur.value)),
            },
            Some(b) => {
                let (x0, xt) = (u(b.value), u(cur.value));
                let y0 = b.year;
                let mut s = match (lang, cur.value.cmp(&b.value)) {
                    (Lang::Zh, std::cmp::Ordering::Greater) => format!("由{y0}年的{x0}提高到{at}的{xt}"),
                    (Lang::Zh, std::cmp::Ordering::Less) => format!("由{y0}年的{x0}下降到{at}的{xt}"),
                    (Lang::Zh, std::cmp::Ordering::Equal) => format!("{at}为{xt}，与{y0}年持平"),
                    (Lang::En, std::cmp::Ordering::Greater) => format!("rose from {x0} in {y0} to {xt} in {at}"),
                    (Lang::En, std::cmp::Ordering::Less) => format!("fell from {x0} in {y0} to {xt} in {at}"),
                    (Lang::En, std::cmp::Ordering::Equal) => format!("stood at {xt} in {at}, as in {y0}"),
                };
                let (x0f, xtf) = (num::f(b.value), num::f(cur.value));
                let months = 12 * (cur.period.calendar_year() - y0 - 1) + i32::from(cur.period.end_month());
                if row.measure == Measure::AnnualGrowth && x0f > 0.0 && xtf > 0.0 && months > 0 {
                    let g = (xtf / x0f).powf(12.0 / f64::from(months)) - 1.0;
                    s.push_str(&match lang {
                        Lang::Zh => format!("，年均增长{}", num::pct(g)),
                        Lang::En => format!(", {} a year on average", num::pct(g)),
                    });
                }
                if row.measure == Measure::Reduction && x0f > 0.0 {
                    let r = 1.0 - xtf / x0f;
                    s.push_str(&match (lang, r >= 0.0) {
                        (Lang::Zh, true) => format!("，累计下降{}", num::pct(r)),
                        (Lang::Zh, false) => format!("，累计上升{}", num::pct(-r)),
                        (Lang::En, true) => format!(", a reduction of {}", num::pct(r)),
                        (Lang::En, false) => format!(", an increase of {}", num::pct(-r)),
                    });
                }
                s
            }
        },
    }
}

/// Pieces of what is said about one indicator.
pub(super) struct Said {
    name: String,
    change: Option<String>,
    target: String,
    target_year: i32,
    progress: Option<String>,
    elapsed: Option<String>,
    ratio: Option<String>,
    status: String,
    projection: Option<String>,
    reason: Option<String>,
    source: Option<String>,
}

pub(super) fn said(lang: Lang, row: &IndicatorRow, cur: Option<&Current>, final_year: bool) -> Said {
    let a = &row.assessment;
    Said {
        name: row.name.clone(),
        change: cur.map(|c| change_phrase(lang, row, c)),
        target: target_phrase(lang, row),
        target_year: row.target.year,
        progress: a.progress.map(num::pct),
        elapsed: a.elapsed_share.map(num::pct),
        ratio: a.ratio.map(num::ratio),
        status: words::status(lang, a.status).to_string(),
        projection: a
            .projection
            .as_ref()
            .filter(|_| !final_year)
            .map(|p| projection_phrase(lang, row, p)),
        reason: telling_reason(a.status, a.reason).then(|| words::reason(lang, a.reason).to_string()),
        source: cur.map(|c| source_phrase(lang, row, c)),
    }
}

impl Said {
    /// The chapter sentence: `森林覆盖率由2020年的24.1%提高到2023年的24.3%，目标2025年达到24.5%以上，进度50.0%，快于预期。`
    pub(super) fn sentence(&self, lang: Lang, with_ratio: bool) -> String {
        let mut s = String::new();
        match lang {
            Lang::Zh => {
                s.push_str(&self.name);
                match &self.change {
                    Some(c) => s.push_str(c),
                    None => s.push_str("暂无监测数据"),
                }
                s.push_str(&format!("，目标{}年{}", self.target_year, self.target));
                if let Some(p) = &self.progress {
                    s.push_str(&format!("，进度{p}"));
                    if let Some(e) = &self.elapsed {
                        s.push_str(&format!("（时序进度{e}"));
                        if let (true, Some(r)) = (with_ratio, &self.ratio) {
                            s.push_str(&format!("，进度比{r}"));
                        }
                        s.push('）');
                    }
                }
                if self.change.is_some() {
                    s.push_str(&format!("，{}。", self.status));
                } else {
                    s.push('。');
                }
                if let Some(src) = &self.source {
                    // The source closes the sentence it documents.
                    s.pop();
                    s.push_str(src);
                    s.push('。');
                }
            }
            Lang::En => {
                s.push_str(&self.name);
                match &self.change {
                    Some(c) => s.push_str(&format!(" {c}")),
                    None => s.push_str(" has no figures yet"),
                }
                if let Some(src) = &self.source {
                    s.push_str(src);
                }
                s.push_str(&format!("; the target is {} by {}.", self.target, self.target_year));
                if let Some(p) = &self.progress {
                    s.push_str(&format!(" Progress {p}"));
                    if let Some(e) = &self.elapsed {
                        s.push_str(&format!(" against {e} of time elapsed"));
                        if let (true, Some(r)) = (with_ratio, &self.ratio) {
                            s.push_str(&format!(" (ratio {r})"));
                        }
                    }
                    s.push(':');
                    s.push_str(&format!(" {}.", self.status.to_lowercase()));
                } else if self.change.is_some() {
                    s.push_str(&format!(" Status: {}.", self.status.to_lowercase()));
                }
            }
        }
        if let Some(p) = &self.projection {
            if lang == Lang::En {
                s.push(' ');
            }
            s.push_str(p);
        }
        if let Some(r) = &self.reason {
            if lang == Lang::En {
                s.push(' ');
            }
            s.push_str(r);
        }
        s
    }
}

pub(super) fn chapter_title(lang: Lang, number: Option<u32>, title: &str) -> String {
    match (number, lang) {
        (Some(n), Lang::Zh) if !title.starts_with('第') => format!("第{}章　{title}", words::zh_number(n as usize)),
        (Some(n), Lang::En) if !title.to_ascii_lowercase().starts_with("chapter") => {
            format!("Chapter {n}: {title}")
        }
        _ => title.to_string(),
    }
}

pub(super) fn count_list(lang: Lang, counts: &[(Status, usize)]) -> String {
    let items: Vec<String> = counts
        .iter()
        .map(|(s, n)| match lang {
            Lang::Zh => format!("{}{n}项", s.label_zh()),
            Lang::En => format!("{} {n}", s.label_en().to_lowercase()),
        })
        .collect();
    items.join(lang.pick("、", ", "))
}

pub(super) fn counts_of(statuses: impl IntoIterator<Item = Status>) -> Vec<(Status, usize)> {
    let c: StatusCounts = statuses.into_iter().collect();
    Status::ALL
        .into_iter()
        .map(|s| (s, c.get(s)))
        .filter(|(_, n)| *n > 0)
        .collect()
}

pub(super) fn share(part: usize, whole: usize) -> String {
    if whole == 0 {
        "—".into()
    } else {
        num::pct(part as f64 / whole as f64)
    }
}

pub(super) fn opt(v: Option<Decimal>) -> String {
    v.map(dec).unwrap_or_else(|| "—".into())
}
