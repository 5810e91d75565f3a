//! The report's vocabulary in both languages: attributes, task states,
//! target phrases, section numbers. Status labels and reasons come from
//! `lantu-core` (`Status::label_zh`, `Reason::zh`).

use crate::Lang;
use lantu_core::account::Role;
use lantu_core::progress::{Likelihood, Reason, Status};
use lantu_core::Attribute;

pub fn status(lang: Lang, s: Status) -> &'static str {
    match lang {
        Lang::Zh => s.label_zh(),
        Lang::En => s.label_en(),
    }
}

pub fn reason(lang: Lang, r: Reason) -> &'static str {
    match lang {
        Lang::Zh => r.zh(),
        Lang::En => r.en(),
    }
}

pub fn likelihood(lang: Lang, l: Likelihood) -> &'static str {
    match lang {
        Lang::Zh => l.label_zh(),
        Lang::En => l.label_en(),
    }
}

/// 约束性 / 预期性.
pub fn attribute(lang: Lang, a: Attribute) -> &'static str {
    match a {
        Attribute::Binding => lang.pick("约束性", "Binding"),
        Attribute::Expected => lang.pick("预期性", "Expected"),
    }
}

/// Who wrote an evaluation comment.
pub fn role(lang: Lang, r: Role) -> &'static str {
    match r {
        Role::Administrator => lang.pick("系统管理员", "administrator"),
        Role::Planner => lang.pick("规划部门", "planning office"),
        Role::Reporter => lang.pick("责任部门", "responsible department"),
        Role::Reviewer => lang.pick("统计部门", "statistics bureau"),
        Role::DepartmentApprover => lang.pick("责任部门审核", "responsible department's approver"),
        Role::Evaluator => lang.pick("第三方评估机构", "third-party evaluator"),
        Role::Public => lang.pick("公众", "public"),
    }
}

/// The state of a task or project (`done`, `on_schedule`, `overdue`,
/// `not_started`); unknown codes are shown as they are.
pub fn work_state(lang: Lang, code: &str) -> String {
    let (zh, en) = match code {
        "done" | "completed" => ("已完成", "Completed"),
        "on_schedule" | "on_track" | "in_progress" => ("按计划推进", "On schedule"),
        "overdue" | "lagging" | "delayed" => ("滞后", "Overdue"),
        "not_started" => ("未启动", "Not started"),
        other => return other.to_string(),
    };
    lang.pick(zh, en).to_string()
}

/// The order in which task states are counted.
pub const WORK_STATES: [&str; 4] = ["done", "on_schedule", "overdue", "not_started"];

/// The canonical code of a task state (synonyms folded).
pub fn work_state_code(code: &str) -> &str {
    match code {
        "done" | "completed" => "done",
        "on_schedule" | "on_track" | "in_progress" => "on_schedule",
        "overdue" | "lagging" | "delayed" => "overdue",
        "not_started" => "not_started",
        other => other,
    }
}

/// 一, 二, … 九十九 (section numbers of a Chinese report).
pub fn zh_number(n: usize) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n].to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { D[n - 10] }),
        20..=99 => format!("{}十{}", D[n / 10], if n.is_multiple_of(10) { "" } else { D[n % 10] }),
        _ => n.to_string(),
    }
}

/// The number of a section heading: `一、` / `1.`.
pub fn section_no(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("{}、", zh_number(n)),
        Lang::En => format!("{n}. "),
    }
}

/// The number of a subsection heading: `（一）` / `1.2`.
pub fn subsection_no(lang: Lang, section: usize, n: usize) -> String {
    match lang {
        Lang::Zh => format!("（{}）", zh_number(n)),
        Lang::En => format!("{section}.{n} "),
    }
}

/// A year in running text: `2023年` / `2023`.
pub fn year(lang: Lang, y: i32) -> String {
    match lang {
        Lang::Zh => format!("{y}年"),
        Lang::En => y.to_string(),
    }
}

/// A value with its unit: `24.3%`, `35微克/立方米`, `12 km`.
pub fn with_unit(lang: Lang, value: &str, unit: &str) -> String {
    if unit.is_empty() {
        return value.to_string();
    }
    let tight = (lang == Lang::Zh) || unit == "%" || unit.starts_with('‰') || !unit.is_ascii();
    if tight {
        format!("{value}{unit}")
    } else {
        format!("{value} {unit}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers() {
        assert_eq!(zh_number(1), "一");
        assert_eq!(zh_number(10), "十");
        assert_eq!(zh_number(11), "十一");
        assert_eq!(zh_number(20), "二十");
        assert_eq!(zh_number(34), "三十四");
        assert_eq!(section_no(Lang::Zh, 3), "三、");
        assert_eq!(subsection_no(Lang::Zh, 1, 2), "（二）");
        assert_eq!(with_unit(Lang::En, "12", "km"), "12 km");
        assert_eq!(with_unit(Lang::En, "12", "%"), "12%");
        assert_eq!(with_unit(Lang::Zh, "35", "微克/立方米"), "35微克/立方米");
    }
}
