//! The whole pass: outline, then every sentence read as targets (the plan's
//! commitments) or baselines (what the last period achieved), then the links
//! between them.

use crate::lexicon::PAST_MARKERS;
use crate::links;
use crate::model::NodeLevel;
use crate::model::{Baseline, Extraction, Project, Target};
use crate::outline::{self, Outline};
use crate::period::{self, PlanPeriod};
use crate::projects;
use crate::prose::{self, Reading};
use crate::scan::{find, Compact};
use crate::table::{self, Row};
use crate::text::{CharIndex, Covered};

/// Titles of the part of a plan that reviews the last period (发展成就,
/// “十三五”时期发展回顾, 发展基础).
const REVIEW_TITLE_WORDS: &[&str] = &[
    "成就",
    "回顾",
    "成效",
    "发展基础",
    "基础条件",
    "现状",
    "取得",
    "进展",
    "总结",
];

/// For each node of the outline, whether text directly under it lies in the
/// review of the last period, judged by the innermost section (or chapter
/// when it has no sections) on its path. Worked out once per node, not once
/// per sentence.
fn review_nodes(outline: &Outline, prev_period_name: &str) -> Vec<bool> {
    let nodes = outline.nodes();
    let judged = |n: &crate::outline::FlatNode| {
        REVIEW_TITLE_WORDS.iter().any(|w| n.title.contains(w))
            || (!prev_period_name.is_empty() && n.title.contains(prev_period_name) && !n.title.contains("目标"))
    };
    let mut out: Vec<bool> = Vec::with_capacity(nodes.len());
    for n in nodes {
        let v = if matches!(n.level, NodeLevel::Section | NodeLevel::Chapter | NodeLevel::Part) {
            judged(n)
        } else {
            // Parents come before children: the parent's verdict is known.
            n.parent.and_then(|p| out.get(p).copied()).unwrap_or(false)
        };
        out.push(v);
    }
    out
}

fn is_review(outline: &Outline, review: &[bool], byte: usize) -> bool {
    outline
        .innermost_index(byte)
        .and_then(|i| review.get(i).copied())
        .unwrap_or(false)
}

/// “十三五” for a 十四五 plan: the name of the period before.
fn previous_period_name(p: PlanPeriod) -> String {
    let n = (p.start - 1966) / 5 + 3 - 1;
    if !(1..=99).contains(&n) {
        return String::new();
    }
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let tens = if n >= 20 {
        format!("{}十", D[(n / 10) as usize])
    } else if n >= 10 {
        "十".into()
    } else {
        String::new()
    };
    format!("{}{}五", tens, D[(n % 10) as usize])
}

/// The year a sentence opens with when it lies before the plan
/// (`2020年，科技型中小企业入库数量达到1.82万家`): the sentence reports a result
/// of that year.
fn opening_past_year(c: &Compact, from: usize, to: usize, plan_start: i32) -> Option<i32> {
    let s = &c.chars[from..to];
    let digits = s.iter().take_while(|ch| ch.is_ascii_digit()).count();
    if digits != 4 || s.get(4) != Some(&'年') {
        return None;
    }
    let year: i32 = s[..4].iter().collect::<String>().parse().ok()?;
    // 2020年，… / 2020年底，… / 2020年末，…
    let k = 5 + usize::from(matches!(s.get(5), Some('底' | '末')));
    (year < plan_start && year > 1900 && matches!(s.get(k), Some(',' | '，'))).then_some(year)
}

/// A sentence opening with a clause ending in 以来 (“十四五”以来，…, 近年来…)
/// reports what the years before the plan achieved.
fn opens_with_since(c: &Compact, from: usize, to: usize) -> bool {
    let s = &c.chars[from..to];
    s.iter()
        .position(|&ch| matches!(ch, ',' | '，'))
        .is_some_and(|k| k >= 2 && s[k - 2..k] == ['以', '来'])
}

/// The line that issues the document (`……办公室 2021年10月27日印发`): no record.
fn is_issuing_line(c: &Compact, from: usize, to: usize) -> bool {
    to - from <= 60
        && find(&c.chars, from, to, "印发").is_some()
        && find(&c.chars, from, to, "月").is_some()
        && find(&c.chars, from, to, "日").is_some()
}

fn has_past_marker(c: &Compact, a: usize, b: usize) -> bool {
    PAST_MARKERS.iter().any(|m| find(&c.chars, a, b, m).is_some())
}

/// Reads a plan text. Never fails: text it cannot read yields fewer records.
pub fn extract(text: &str) -> Extraction {
    let (c, idx) = Compact::with_index(text);
    let outline = outline::outline(text, &idx);
    let (genre, plan) = (crate::genre::judge(&c.chars), crate::meta::plan_info(text, &c, &idx));
    if genre.genre != crate::model::Genre::Plan {
        return Extraction {
            plan,
            genre,
            ..Extraction::default()
        };
    }
    let period = PlanPeriod {
        start: plan.start_year,
        end: plan.end_year,
    };
    let prev_name = previous_period_name(period);
    let mut targets: Vec<Target> = Vec::new();
    let mut baselines: Vec<Baseline> = Vec::new();
    let mut projects: Vec<Project> = Vec::new();
    let toc = outline.toc();
    let tables = table::read(text, period.end);
    let rows = &tables.rows;
    let review_nodes = review_nodes(&outline, &prev_name);
    let review_of = |byte: usize| is_review(&outline, &review_nodes, byte);
    read_rows(
        text,
        &idx,
        &outline,
        rows,
        &review_of,
        period.start - 1,
        &mut targets,
        &mut baselines,
    );

    // Sentences inside the table of contents or a table were read already.
    let skipped = Covered::new(toc.iter().chain(rows.iter().map(|r| &r.bytes)).chain(&tables.lines));
    // Names of the projects found so far: a project is kept once.
    let mut project_names: std::collections::HashSet<String> = std::collections::HashSet::new();
    for sent in &c.sentences {
        let bytes = c.byte_range(sent.start, sent.end);
        if skipped.contains(bytes.start) {
            continue;
        }
        if is_issuing_line(&c, sent.start, sent.end) {
            continue;
        }
        let future_year = period::target_year(&c.chars, sent.start, sent.end);
        let past_year = opening_past_year(&c, sent.start, sent.end, period.start)
            .filter(|_| future_year.is_none_or(|y| y < period.start))
            .or_else(|| opens_with_since(&c, sent.start, sent.end).then_some(period.start - 1));
        let review = past_year.is_some() || review_of(bytes.start);
        let readings = prose::read_sentence(&c.chars, sent.start, sent.end);
        let (found, relative) = if review {
            (Vec::new(), Vec::new())
        } else {
            (
                projects::read_sentence(&c.chars, sent.start, sent.end),
                prose::read_relative(&c.chars, sent.start, sent.end),
            )
        };
        // Most sentences hold nothing: skip the rest of the work for them.
        if readings.is_empty() && found.is_empty() && relative.is_empty() {
            continue;
        }
        let quote = text[bytes.clone()].trim();
        let span = idx.span(text, bytes.clone());
        let node = outline.innermost(bytes.start).map(|n| n.id.clone());
        // Outside the review, a figure is an achievement only when its own
        // clause says so (截至 2020 年底已建成……).
        let past_clause = |r: &Reading| {
            let (a, b) = prose::clause_bounds(&c.chars, sent.start, sent.end, r.at);
            future_year.is_none() && has_past_marker(&c, a, b)
        };
        let base_year = past_year
            .or_else(|| period::base_year(&c.chars, sent.start, sent.end))
            .unwrap_or(period.start - 1);
        let mut push_baseline = |r: &Reading| {
            if let Some(value) = r.value {
                baselines.push(Baseline {
                    id: format!("b{:03}", baselines.len() + 1),
                    indicator: prose::tidy_name(&r.indicator),
                    value,
                    unit: r.unit.clone(),
                    year: Some(base_year),
                    quote: quote.to_string(),
                    span,
                    node: node.clone(),
                    target_ids: Vec::new(),
                });
            }
        };
        if review {
            readings.iter().for_each(&mut push_baseline);
            continue;
        }
        for f in found {
            if !project_names.insert(f.name.clone()) {
                continue;
            }
            projects.push(Project {
                id: format!("p{:03}", projects.len() + 1),
                name: f.name,
                action: Some(f.action),
                quantities: f.quantities,
                year: future_year,
                quote: quote.to_string(),
                span,
                node: node.clone(),
            });
        }
        let (past, mut all): (Vec<Reading>, Vec<Reading>) = readings.into_iter().partition(past_clause);
        past.iter().for_each(&mut push_baseline);
        all.extend(relative);
        all.sort_by_key(|r| r.at);
        for r in &all {
            if r.from_base {
                push_baseline(r);
                continue;
            }
            targets.push(Target {
                id: format!("t{:03}", targets.len() + 1),
                indicator: prose::tidy_name(&r.indicator),
                comparator: r.comparator,
                value: r.value,
                value_max: r.value_max,
                unit: r.unit.clone(),
                year: Some(future_year.unwrap_or(period.end)),
                quote: quote.to_string(),
                kind: r.kind,
                measure: r.measure,
                attribute: None,
                span,
                node: node.clone(),
            });
        }
    }
    // Rows link their own baseline; prose baselines are linked by name.
    let linked: Vec<bool> = baselines.iter().map(|b| !b.target_ids.is_empty()).collect();
    links::link_unlinked(&mut baselines, &targets, &linked);
    renumber(&mut targets, &mut baselines);
    Extraction {
        plan,
        genre,
        outline: outline.roots,
        targets,
        baselines,
        projects,
    }
}

/// A table row is a target and, when it gives a base-year figure, a baseline
/// linked to it. In the review of the last period a table reports what was
/// achieved (指标完成情况): the figures of its last column are baselines of
/// `base_year`, and its planned figures are the last plan's, not targets.
#[allow(clippy::too_many_arguments)]
fn read_rows(
    text: &str,
    idx: &CharIndex,
    outline: &Outline,
    rows: &[Row],
    review: &dyn Fn(usize) -> bool,
    base_year: i32,
    targets: &mut Vec<Target>,
    baselines: &mut Vec<Baseline>,
) {
    for r in rows {
        let quote = text[r.bytes.clone()].to_string();
        let span = idx.span(text, r.bytes.clone());
        let node = outline.innermost(r.bytes.start).map(|n| n.id.clone());
        if review(r.bytes.start) {
            for a in &r.achieved {
                baselines.push(Baseline {
                    id: format!("b{:03}", baselines.len() + 1),
                    indicator: a.indicator.clone(),
                    value: a.value,
                    unit: a.unit.clone(),
                    year: Some(base_year),
                    quote: quote.clone(),
                    span,
                    node: node.clone(),
                    target_ids: Vec::new(),
                });
            }
            continue;
        }
        if r.target.is_none() && r.kind == lantu_core::TargetKind::Numeric {
            // `—`: the row states no figure for the period.
            continue;
        }
        let id = format!("t{:03}", targets.len() + 1);
        if let Some((value, year)) = r.baseline {
            baselines.push(Baseline {
                id: format!("b{:03}", baselines.len() + 1),
                indicator: r.indicator.clone(),
                value,
                unit: r.unit.clone(),
                year,
                quote: quote.clone(),
                span,
                node: node.clone(),
                target_ids: vec![id.clone()],
            });
        }
        targets.push(Target {
            id,
            indicator: r.indicator.clone(),
            comparator: r.comparator,
            value: r.target,
            value_max: r.target_max,
            unit: r.unit.clone(),
            year: r.year,
            quote,
            kind: r.kind,
            measure: r.measure,
            attribute: r.attribute,
            span,
            node,
        });
    }
}

/// Puts records in document order and gives them running ids (table rows
/// were read before the prose).
fn renumber(targets: &mut [Target], baselines: &mut [Baseline]) {
    targets.sort_by_key(|t| t.span.start);
    baselines.sort_by_key(|b| b.span.start);
    let mut map = std::collections::HashMap::new();
    for (i, t) in targets.iter_mut().enumerate() {
        let id = format!("t{:03}", i + 1);
        map.insert(std::mem::replace(&mut t.id, id.clone()), id);
    }
    for (i, b) in baselines.iter_mut().enumerate() {
        b.id = format!("b{:03}", i + 1);
        for t in &mut b.target_ids {
            if let Some(n) = map.get(t) {
                t.clone_from(n);
            }
        }
    }
}
