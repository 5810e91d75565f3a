//! The HTML page: self-contained, printable, with the table and the charts.

use super::common;
use lantu_report::{render_html, Lang, ReportKind};

#[test]
fn page_is_self_contained_with_table_and_svg_charts() {
    let s = common::snapshot(2023);
    let html = render_html(&s, ReportKind::Midterm, Lang::Zh);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<html lang=\"zh-CN\">"));
    assert!(html.contains("<table class=\"data indicators\">"));
    for h in [
        "类别",
        "指标",
        "单位",
        "基期值",
        "目标值",
        "当前值",
        "进度",
        "状态",
        "属性",
        "责任单位",
    ] {
        assert!(html.contains(&format!("<th>{h}</th>")), "{h}");
    }
    for i in &s.indicators {
        assert!(html.contains(&i.name), "{}", i.name);
        assert!(html.contains(i.assessment.status.label_zh()));
    }
    let charts = html.matches("<svg ").count();
    assert_eq!(charts, 7, "one chart per indicator with data");
    assert!(html.contains("示例数据，非正式统计数据"));
    assert!(html.contains("@media print") && html.contains("break-before: page"));
    assert!(html.contains("Noto Sans CJK SC"), "system CJK font stack");
    // No external request: no script, stylesheet link, image or font URL.
    for bad in [
        "<script",
        "<link",
        "<img",
        "@import",
        "url(",
        "src=\"http",
        "href=\"http",
    ] {
        assert!(!html.contains(bad), "{bad}");
    }
    let outside: Vec<&str> = html
        .match_indices("http")
        .map(|(i, _)| &html[i..(i + 40).min(html.len())])
        .filter(|s| !s.starts_with("http://www.w3.org/2000/svg"))
        .collect();
    assert!(outside.is_empty(), "{outside:?}");
}

#[test]
fn english_page() {
    let s = common::snapshot(2023);
    let html = render_html(&s, ReportKind::Annual, Lang::En);
    assert!(html.contains("<html lang=\"en\">"));
    for i in &s.indicators {
        assert!(html.contains(i.assessment.status.label_en()));
    }
    assert!(html.contains("illustrative sample data"));
}

/// Evaluation comments are quoted in their own section, in order; a
/// snapshot without comments has no such section.
#[test]
fn evaluation_comments_have_their_section() {
    let s = common::snapshot(2023);
    let html = render_html(&s, ReportKind::Midterm, Lang::Zh);
    assert!(html.contains("评估意见"), "the section is there");
    let first = html.find(&s.comments[0].body).expect("the first comment is quoted");
    let second = html.find(&s.comments[1].body).expect("the second comment is quoted");
    assert!(first < second, "oldest first");
    assert!(html.contains("【规划总体·2023年】某评估机构（第三方评估机构，2024-11-20）"));
    assert!(html.contains("其中第三方评估机构1条"));
    let en = render_html(&s, ReportKind::Midterm, Lang::En);
    assert!(en.contains("Evaluation comments") && en.contains("third-party evaluator"));

    let mut quiet = s.clone();
    quiet.comments.clear();
    let html = render_html(&quiet, ReportKind::Midterm, Lang::Zh);
    assert!(!html.contains("评估意见"));
}
