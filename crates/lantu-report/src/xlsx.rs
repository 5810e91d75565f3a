//! The Excel workbook: a summary sheet (conclusions by status, early
//! warnings), the full indicator table, and one sheet per chapter. Cells are
//! typed: values, years, shares and ratios are numbers with number formats;
//! names and labels are text. Headers are styled and frozen; column widths
//! suit Chinese text.

use crate::content::{Line, Report};
use crate::num;
use crate::{Lang, ReportError};
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet};
use std::collections::HashSet;

const BLUE_FILL: u32 = 0xDDE5EF;
const RED: u32 = 0xC00000;
const GREEN: u32 = 0x1B6E3A;
const FONT: &str = "宋体";

struct Formats {
    title: Format,
    info: Format,
    alert: Format,
    header: Format,
    text: Format,
    center: Format,
    number: Format,
    year: Format,
    percent: Format,
    ratio: Format,
    good: Format,
    bad: Format,
    wrap: Format,
    key: Format,
}

impl Formats {
    fn new() -> Formats {
        let base = Format::new()
            .set_font_name(FONT)
            .set_font_size(10.5)
            .set_border(FormatBorder::Thin)
            .set_border_color(Color::RGB(0x9AA5B1))
            .set_align(FormatAlign::VerticalCenter);
        Formats {
            title: Format::new().set_font_name("黑体").set_font_size(15).set_bold(),
            info: Format::new().set_font_name(FONT).set_font_size(10.5),
            alert: Format::new()
                .set_font_name("黑体")
                .set_font_size(11)
                .set_bold()
                .set_font_color(Color::RGB(RED)),
            header: base
                .clone()
                .set_font_name("黑体")
                .set_bold()
                .set_background_color(Color::RGB(BLUE_FILL))
                .set_align(FormatAlign::Center)
                .set_text_wrap(),
            text: base.clone(),
            center: base.clone().set_align(FormatAlign::Center),
            number: base.clone().set_num_format("General"),
            year: base.clone().set_num_format("0").set_align(FormatAlign::Center),
            percent: base.clone().set_num_format("0.0%"),
            ratio: base.clone().set_num_format("0.00"),
            good: base
                .clone()
                .set_align(FormatAlign::Center)
                .set_bold()
                .set_font_color(Color::RGB(GREEN)),
            bad: base
                .clone()
                .set_align(FormatAlign::Center)
                .set_bold()
                .set_font_color(Color::RGB(RED)),
            wrap: base.clone().set_text_wrap(),
            key: base.set_font_name("黑体").set_background_color(Color::RGB(0xF2F4F7)),
        }
    }
}

/// Display width of a text in Excel's character units (a CJK character
/// counts two).
fn text_width(s: &str) -> f64 {
    s.chars().map(|c| if c.is_ascii() { 1.1 } else { 2.05 }).sum::<f64>()
}

/// Keeps the widest text seen per column.
struct Widths(Vec<f64>);

impl Widths {
    fn new(n: usize) -> Widths {
        Widths(vec![0.0; n])
    }

    fn see(&mut self, col: usize, s: &str) {
        if let Some(w) = self.0.get_mut(col) {
            *w = w.max(text_width(s));
        }
    }

    fn apply(&self, ws: &mut Worksheet, min: f64, max: f64) -> Result<(), ReportError> {
        for (c, w) in self.0.iter().enumerate() {
            ws.set_column_width(c as u16, (w + 2.0).clamp(min, max))?;
        }
        Ok(())
    }
}

/// Column headers of the indicator sheets.
fn columns(lang: Lang) -> Vec<&'static str> {
    [
        ("类别", "Category"),
        ("指标", "Indicator"),
        ("单位", "Unit"),
        ("基期值", "Baseline"),
        ("基期年份", "Baseline year"),
        ("目标要求", "Target"),
        ("目标值", "Target value"),
        ("目标上限", "Target upper bound"),
        ("目标年份", "Target year"),
        ("当前值", "Current"),
        ("当前期", "Current period"),
        ("进度", "Progress"),
        ("时序进度", "Time elapsed"),
        ("进度比", "Ratio"),
        ("状态", "Status"),
        ("预警", "Warning"),
        ("属性", "Attribute"),
        ("责任单位", "Responsible"),
        ("指标代码", "Code"),
    ]
    .iter()
    .map(|(z, e)| lang.pick(z, e))
    .collect()
}

/// Writes an indicator table sheet: title, a line of context, the header
/// (frozen) and one row per line.
fn indicator_sheet(
    ws: &mut Worksheet,
    r: &Report,
    title: &str,
    which: &[usize],
    f: &Formats,
) -> Result<(), ReportError> {
    let lang = r.lang;
    let cols = columns(lang);
    let mut widths = Widths::new(cols.len());
    ws.write_string_with_format(0, 0, title, &f.title)?;
    ws.set_row_height(0, 24)?;
    let info = match lang {
        Lang::Zh => format!(
            "评估年度：{}年；规划期：{}—{}年；时间进度：{}",
            r.evaluation_year,
            r.start_year,
            r.end_year,
            num::pct(r.elapsed)
        ),
        Lang::En => format!(
            "Evaluation year {}; plan period {}–{}; time elapsed {}",
            r.evaluation_year,
            r.start_year,
            r.end_year,
            num::pct(r.elapsed)
        ),
    };
    match &r.sample_notice {
        Some(n) => ws.write_string_with_format(1, 0, format!("{info}　{n}"), &f.alert)?,
        None => ws.write_string_with_format(1, 0, info, &f.info)?,
    };
    let head = 2u32;
    for (c, h) in cols.iter().enumerate() {
        ws.write_string_with_format(head, c as u16, *h, &f.header)?;
        widths.see(c, h);
    }
    ws.set_row_height(head, 30)?;
    for (k, &li) in which.iter().enumerate() {
        let l: &Line = &r.lines[li];
        let row = head + 1 + k as u32;
        let mut text = |ws: &mut Worksheet, c: usize, s: &str, fmt: &Format| -> Result<(), ReportError> {
            widths.see(c, s);
            ws.write_string_with_format(row, c as u16, s, fmt)?;
            Ok(())
        };
        text(ws, 0, &l.category, &f.center)?;
        text(ws, 1, &l.name, &f.text)?;
        text(ws, 2, &l.unit, &f.center)?;
        text(ws, 5, &l.target, &f.center)?;
        text(ws, 14, &l.status_label, &status_format(f, l.status))?;
        text(
            ws,
            15,
            if l.warning { lang.pick("预警", "Warning") } else { "" },
            if l.warning { &f.bad } else { &f.center },
        )?;
        text(ws, 16, &l.attribute_label, &f.center)?;
        text(ws, 17, &l.departments, &f.text)?;
        text(ws, 18, &l.code, &f.center)?;
        let number = |ws: &mut Worksheet,
                      widths: &mut Widths,
                      c: usize,
                      v: Option<f64>,
                      shown: String,
                      fmt: &Format|
         -> Result<(), ReportError> {
            match v.filter(|v| v.is_finite()) {
                Some(v) => {
                    widths.see(c, &shown);
                    ws.write_number_with_format(row, c as u16, v, fmt)?;
                }
                None => {
                    ws.write_blank(row, c as u16, fmt)?;
                }
            }
            Ok(())
        };
        number(
            ws,
            &mut widths,
            3,
            l.baseline.map(|b| num::f(b.0)),
            l.baseline_text(),
            &f.number,
        )?;
        number(
            ws,
            &mut widths,
            4,
            l.baseline.map(|b| f64::from(b.1)),
            "2020".into(),
            &f.year,
        )?;
        number(
            ws,
            &mut widths,
            6,
            l.target_value.map(num::f),
            l.target_value.map(num::dec).unwrap_or_default(),
            &f.number,
        )?;
        number(
            ws,
            &mut widths,
            7,
            l.target_max.map(num::f),
            l.target_max.map(num::dec).unwrap_or_default(),
            &f.number,
        )?;
        number(
            ws,
            &mut widths,
            8,
            Some(f64::from(l.target_year)),
            "2025".into(),
            &f.year,
        )?;
        number(
            ws,
            &mut widths,
            9,
            l.current.as_ref().map(|c| num::f(c.value)),
            l.current.as_ref().map(|c| num::dec(c.value)).unwrap_or_default(),
            &f.number,
        )?;
        match &l.current {
            Some(c) if c.period.granularity() == lantu_core::progress::Granularity::Year => {
                number(
                    ws,
                    &mut widths,
                    10,
                    Some(f64::from(c.period.calendar_year())),
                    "2023".into(),
                    &f.year,
                )?;
            }
            Some(c) => {
                let p = c.period.to_string();
                widths.see(10, &p);
                ws.write_string_with_format(row, 10, p, &f.center)?;
            }
            None => {
                ws.write_blank(row, 10, &f.center)?;
            }
        }
        number(ws, &mut widths, 11, l.progress, "100.0%".into(), &f.percent)?;
        number(ws, &mut widths, 12, l.elapsed_share, "100.0%".into(), &f.percent)?;
        number(ws, &mut widths, 13, l.ratio, "0.00".into(), &f.ratio)?;
    }
    widths.0[1] = widths.0[1].min(36.0);
    widths.0[17] = widths.0[17].min(30.0);
    widths.apply(ws, 7.0, 40.0)?;
    ws.set_freeze_panes(head + 1, 2)?;
    if !which.is_empty() {
        ws.autofilter(head, 0, head + which.len() as u32, (cols.len() - 1) as u16)?;
    }
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_repeat_rows(head, head)?;
    Ok(())
}

fn status_format(f: &Formats, s: lantu_core::progress::Status) -> Format {
    match crate::content::tone_of(s) {
        crate::content::Tone::Good => f.good.clone(),
        crate::content::Tone::Bad => f.bad.clone(),
        _ => f.center.clone(),
    }
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`,
/// unique in the workbook.
fn sheet_name(raw: &str, used: &mut HashSet<String>) -> String {
    let clean: String = raw
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    let clean = clean.trim_matches('\'').trim().to_string();
    let clean = if clean.is_empty() { "Sheet".to_string() } else { clean };
    let mut name: String = clean.chars().take(31).collect();
    let mut n = 2;
    while used.contains(&name.to_lowercase()) {
        let suffix = format!("({n})");
        name = clean.chars().take(31 - suffix.chars().count()).collect::<String>() + &suffix;
        n += 1;
    }
    used.insert(name.to_lowercase());
    name
}

fn summary_sheet(ws: &mut Worksheet, r: &Report, f: &Formats) -> Result<(), ReportError> {
    let lang = r.lang;
    let mut widths = Widths::new(8);
    ws.write_string_with_format(0, 0, &r.title, &f.title)?;
    ws.set_row_height(0, 24)?;
    ws.write_string_with_format(1, 0, &r.subtitle, &f.info)?;
    let mut row = 2u32;
    if let Some(n) = &r.sample_notice {
        ws.write_string_with_format(row, 0, n, &f.alert)?;
        row += 1;
    }
    row += 1;
    let kind = match lang {
        Lang::Zh => r.kind.label_zh(),
        Lang::En => r.kind.label_en(),
    };
    let facts: Vec<(&str, String)> = vec![
        (lang.pick("规划", "Plan"), r.plan_name.clone()),
        (lang.pick("报告类型", "Report"), kind.to_string()),
    ];
    for (k, v) in facts {
        ws.write_string_with_format(row, 0, k, &f.key)?;
        ws.write_string_with_format(row, 1, &v, &f.text)?;
        widths.see(0, k);
        row += 1;
    }
    let numbers: Vec<(&str, f64, &Format)> = vec![
        (lang.pick("规划起始年", "First year"), f64::from(r.start_year), &f.year),
        (lang.pick("规划终止年", "Last year"), f64::from(r.end_year), &f.year),
        (
            lang.pick("评估年度", "Evaluation year"),
            f64::from(r.evaluation_year),
            &f.year,
        ),
        (lang.pick("时间进度", "Time elapsed"), r.elapsed, &f.percent),
        (lang.pick("指标总数", "Indicators"), r.lines.len() as f64, &f.number),
        (
            lang.pick("预警指标数", "Early warnings"),
            r.warnings.len() as f64,
            &f.number,
        ),
    ];
    for (k, v, fmt) in numbers {
        ws.write_string_with_format(row, 0, k, &f.key)?;
        ws.write_number_with_format(row, 1, v, fmt)?;
        widths.see(0, k);
        row += 1;
    }

    row += 1;
    ws.write_string_with_format(row, 0, lang.pick("评估结论汇总", "Conclusions"), &f.title)?;
    row += 1;
    for (c, h) in [
        lang.pick("评估结论", "Conclusion"),
        lang.pick("指标数（项）", "Indicators"),
        lang.pick("占比", "Share"),
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(row, c as u16, *h, &f.header)?;
        widths.see(c, h);
    }
    row += 1;
    let total = r.lines.len().max(1) as f64;
    for (s, n) in &r.counts {
        let label = crate::words::status(lang, *s);
        ws.write_string_with_format(row, 0, label, &status_format(f, *s))?;
        ws.write_number_with_format(row, 1, *n as f64, &f.number)?;
        ws.write_number_with_format(row, 2, *n as f64 / total, &f.percent)?;
        widths.see(0, label);
        row += 1;
    }
    ws.write_string_with_format(row, 0, lang.pick("合计", "Total"), &f.key)?;
    ws.write_number_with_format(row, 1, r.lines.len() as f64, &f.number)?;
    ws.write_number_with_format(row, 2, if r.lines.is_empty() { 0.0 } else { 1.0 }, &f.percent)?;
    row += 2;

    ws.write_string_with_format(row, 0, lang.pick("预警指标", "Early warnings"), &f.title)?;
    row += 1;
    let head = [
        lang.pick("指标", "Indicator"),
        lang.pick("属性", "Attribute"),
        lang.pick("当前值", "Current"),
        lang.pick("进度", "Progress"),
        lang.pick("时序进度", "Time elapsed"),
        lang.pick("进度比", "Ratio"),
        lang.pick("状态", "Status"),
        lang.pick("说明", "Figures"),
    ];
    for (c, h) in head.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *h, &f.header)?;
        widths.see(c, h);
    }
    row += 1;
    if r.warnings.is_empty() {
        ws.write_string_with_format(row, 0, lang.pick("本期无预警指标", "No early warnings"), &f.text)?;
    }
    for &li in &r.warnings {
        let l = &r.lines[li];
        ws.write_string_with_format(row, 0, &l.name, &f.text)?;
        ws.write_string_with_format(row, 1, &l.attribute_label, &f.center)?;
        match &l.current {
            Some(c) => ws.write_number_with_format(row, 2, num::f(c.value), &f.number)?,
            None => ws.write_blank(row, 2, &f.number)?,
        };
        for (c, v, fmt) in [
            (3u16, l.progress, &f.percent),
            (4, l.elapsed_share, &f.percent),
            (5, l.ratio, &f.ratio),
        ] {
            match v.filter(|v| v.is_finite()) {
                Some(v) => ws.write_number_with_format(row, c, v, fmt)?,
                None => ws.write_blank(row, c, fmt)?,
            };
        }
        ws.write_string_with_format(row, 6, &l.status_label, &status_format(f, l.status))?;
        ws.write_string_with_format(row, 7, l.warning_text.as_deref().unwrap_or(""), &f.wrap)?;
        widths.see(0, &l.name);
        row += 1;
    }
    widths.0[0] = widths.0[0].max(14.0);
    widths.0[1] = widths.0[1].max(30.0);
    widths.0[7] = 70.0;
    widths.apply(ws, 9.0, 72.0)?;
    Ok(())
}

/// Evaluation comments, one row each, oldest first.
fn comments_sheet(ws: &mut Worksheet, r: &Report, f: &Formats) -> Result<(), ReportError> {
    let lang = r.lang;
    let mut widths = Widths::new(6);
    let head = [
        lang.pick("日期", "Date"),
        lang.pick("对象", "About"),
        lang.pick("年度", "Year"),
        lang.pick("提出人", "Author"),
        lang.pick("身份", "Role"),
        lang.pick("意见", "Comment"),
    ];
    for (c, h) in head.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &f.header)?;
        widths.see(c, h);
    }
    for (i, c) in r.comments.iter().enumerate() {
        let row = i as u32 + 1;
        let about = c
            .indicator
            .clone()
            .unwrap_or_else(|| lang.pick("规划总体", "The plan as a whole").to_string());
        let role = crate::words::role(lang, c.role);
        ws.write_string_with_format(row, 0, &c.date, &f.center)?;
        ws.write_string_with_format(row, 1, &about, &f.text)?;
        match c.year {
            Some(y) => ws.write_number_with_format(row, 2, f64::from(y), &f.year)?,
            None => ws.write_blank(row, 2, &f.year)?,
        };
        ws.write_string_with_format(row, 3, &c.author, &f.text)?;
        ws.write_string_with_format(row, 4, role, &f.text)?;
        ws.write_string_with_format(row, 5, &c.body, &f.wrap)?;
        for (col, text) in [
            (0, c.date.as_str()),
            (1, about.as_str()),
            (3, c.author.as_str()),
            (4, role),
        ] {
            widths.see(col, text);
        }
    }
    widths.0[5] = 70.0;
    widths.apply(ws, 9.0, 72.0)?;
    Ok(())
}

/// The `.xlsx` bytes.
pub fn write(r: &Report) -> Result<Vec<u8>, ReportError> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    let mut used = HashSet::new();
    let lang = r.lang;

    let ws = wb.add_worksheet();
    ws.set_name(sheet_name(lang.pick("概况", "Summary"), &mut used))?;
    summary_sheet(ws, r, &f)?;

    let all: Vec<usize> = (0..r.lines.len()).collect();
    let ws = wb.add_worksheet();
    ws.set_name(sheet_name(lang.pick("指标总表", "All indicators"), &mut used))?;
    let title = match lang {
        Lang::Zh => format!("{}　主要指标进展情况", r.plan_name),
        Lang::En => format!("{}: main indicators", r.plan_name),
    };
    indicator_sheet(ws, r, &title, &all, &f)?;

    for ch in &r.chapters {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&ch.title.replace('　', " "), &mut used))?;
        let title = match lang {
            Lang::Zh => format!("{}　指标进展情况", ch.title),
            Lang::En => format!("{}: indicators", ch.title),
        };
        indicator_sheet(ws, r, &title, &ch.lines, &f)?;
    }
    if !r.comments.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(lang.pick("评估意见", "Comments"), &mut used))?;
        comments_sheet(ws, r, &f)?;
    }
    Ok(wb.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut used = HashSet::new();
        assert_eq!(sheet_name("第三章 绿色/低碳", &mut used), "第三章 绿色_低碳");
        let long = "第".repeat(40);
        let a = sheet_name(&long, &mut used);
        let b = sheet_name(&long, &mut used);
        assert_eq!(a.chars().count(), 31);
        assert_eq!(b.chars().count(), 31);
        assert!(b.ends_with("(2)"));
        assert_ne!(a, b);
    }
}
