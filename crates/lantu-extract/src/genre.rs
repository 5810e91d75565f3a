//! Is the text a plan at all? A statistical bulletin (统计公报) reports a
//! year's results against the year before, a government work report (工作
//! 报告) reviews the past year before this year's tasks, an evaluation
//! report (评估报告) measures a plan's progress; only a plan commits to
//! figures for the years ahead. Judged from the phrasing of the body — never
//! from the title, so a text without its first line is judged the same.

use crate::model::{Genre, GenreVerdict};
use crate::scan::Words;
use std::sync::OnceLock;

/// Phrases of each class, counted over the whole text.
const RESULTS: &[&str] = &["比上年末", "比上年", "上年末", "年末", "全年", "同比"];
const COMMITMENTS: &[&str] = &[
    "力争",
    "确保",
    "推进",
    "推动",
    "加快",
    "着力",
    "强化",
    "深化",
    "完善",
    "健全",
    "构建",
    "打造",
    "约束性",
    "预期性",
    "期末",
    "到20",
    "到“十",
];
const WORK_REPORT: &[&str] = &[
    "各位代表",
    "过去一年",
    "一年来",
    "今年",
    "本届政府",
    "请予审议",
    "政协委员",
];
const EVALUATION: &[&str] = &[
    "规划实施以来",
    "中期评估",
    "总结评估",
    "实施情况",
    "完成情况",
    "进展顺利",
    "符合预期",
    "好于预期",
    "快于预期",
    "滞后于预期",
    "提前完成",
    "提前实现",
    "未完成",
    "完成进度",
    "时序进度",
];

/// Below these counts a text is read as a plan whatever its ratios.
const MIN_RESULTS: usize = 10;
const MIN_WORK_REPORT: usize = 8;
const MIN_EVALUATION: usize = 8;

#[derive(Default, Debug, Clone, Copy, PartialEq, Eq)]
struct Counts {
    results: usize,
    commitments: usize,
    work_report: usize,
    evaluation: usize,
}

fn lists() -> &'static [Words; 4] {
    static W: OnceLock<[Words; 4]> = OnceLock::new();
    W.get_or_init(|| {
        [
            Words::new(RESULTS),
            Words::new(COMMITMENTS),
            Words::new(WORK_REPORT),
            Words::new(EVALUATION),
        ]
    })
}

/// Every word of the four lists, for its first-character filter only: one
/// test turns away a character that starts no word of any list.
fn any_list() -> &'static Words {
    static W: OnceLock<Words> = OnceLock::new();
    W.get_or_init(|| Words::new(&[RESULTS, COMMITMENTS, WORK_REPORT, EVALUATION].concat()))
}

fn count(chars: &[char]) -> Counts {
    let [results, commitments, work, evaluation] = lists();
    let any = any_list();
    let mut n = Counts::default();
    let mut i = 0;
    while i < chars.len() {
        if !any.may_start(chars[i]) {
            i += 1;
            continue;
        }
        let mut step = 1;
        for (w, slot) in [
            (results, &mut n.results),
            (commitments, &mut n.commitments),
            (work, &mut n.work_report),
            (evaluation, &mut n.evaluation),
        ] {
            if let Some(k) = w.at(chars, i) {
                *slot += 1;
                step = step.max(w.len_of(k));
            }
        }
        i += step;
    }
    n
}

/// The genre of a text (the compact characters of [`crate::scan::Compact`])
/// and why.
pub fn judge(chars: &[char]) -> GenreVerdict {
    let n = count(chars);
    let evidence = format!(
        "{} phrases report a year's results against the year before (比上年, 全年, 年末…), {} commit to the years \
         ahead (力争, 确保, 推进, 到20XX年…), {} speak to a congress about the past year and this one (各位代表, \
         过去一年, 今年…), {} measure a plan's progress (规划实施以来, 完成情况, 符合预期…)",
        n.results, n.commitments, n.work_report, n.evaluation
    );
    let genre = if n.results >= MIN_RESULTS && n.results > n.commitments {
        Genre::StatisticalBulletin
    } else if n.work_report >= MIN_WORK_REPORT {
        Genre::WorkReport
    } else if n.evaluation >= MIN_EVALUATION && n.evaluation * 4 > n.commitments {
        Genre::EvaluationReport
    } else {
        Genre::Plan
    };
    GenreVerdict {
        genre,
        reason: evidence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn genre(text: &str) -> Genre {
        judge(&crate::scan::Compact::new(text).chars).genre
    }

    #[test]
    fn the_bundled_plan_is_a_plan() {
        let text = include_str!("../../../data/plans/jinnan-14th-five-year-plan.txt");
        assert_eq!(genre(text), Genre::Plan);
        let body = text.split_once('\n').map_or(text, |(_, b)| b);
        assert_eq!(genre(body), Genre::Plan);
    }

    #[test]
    fn phrases_are_counted_once_each() {
        let c: Vec<char> = "比上年末增长，全年比上年增长".chars().collect();
        assert_eq!(count(&c).results, 3);
    }
}
