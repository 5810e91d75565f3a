//! The HTML report: one self-contained page (inline CSS, charts as inline
//! SVG, no script, no external request), readable on screen and printable
//! (A4, sections on new pages, table headers repeated).

use crate::chart::esc;
use crate::content::{Align, Block, Cell, Report, Table, TableKind, Tone};
use crate::Lang;
use std::fmt::Write;

/// The system CJK font stacks.
pub const SERIF: &str =
    "\"Noto Serif CJK SC\", \"Source Han Serif SC\", \"Songti SC\", \"SimSun\", \"宋体\", \"Noto Serif\", serif";
pub const SANS: &str = "\"Noto Sans CJK SC\", \"Source Han Sans SC\", \"PingFang SC\", \"Microsoft YaHei\", \"SimHei\", \"黑体\", \"WenQuanYi Zen Hei\", sans-serif";

const CSS: &str = r#"
:root { --ink: #1a1a1a; --blue: #1f4e79; --red: #c00000; --green: #1b6e3a; --muted: #808080; --line: #9aa5b1; }
* { box-sizing: border-box; }
html { background: #eef0f3; }
body { margin: 0; color: var(--ink); font-family: SERIF; font-size: 15px; line-height: 1.85; }
.page { max-width: 210mm; margin: 16px auto; background: #fff; padding: 18mm 20mm; box-shadow: 0 1px 4px rgba(0,0,0,.12); }
h1, h2, h3, th, figcaption, .caption, .lead, .banner, .toc, .subtitle, .meta { font-family: SANS; }
.cover { text-align: center; padding-top: 30mm; padding-bottom: 24mm; }
.cover h1 { font-size: 30px; line-height: 1.5; margin: 0 0 14px; color: #111; letter-spacing: .02em; }
.cover .subtitle { font-size: 20px; margin: 0 0 28px; }
.cover .meta { color: #444; font-size: 15px; margin: 4px 0; }
.banner { border: 2px solid var(--red); color: var(--red); background: #fff5f5; font-weight: bold; padding: 8px 14px; margin: 14px 0; text-indent: 0; text-align: center; }
.toc { text-align: left; max-width: 120mm; margin: 26px auto 0; }
.toc h2 { font-size: 18px; text-align: center; border: 0; }
.toc ol { list-style: none; padding: 0; }
.toc a { color: var(--ink); text-decoration: none; }
h2 { font-size: 21px; margin: 1.4em 0 .6em; color: #111; border-bottom: 2px solid var(--blue); padding-bottom: 4px; }
h3 { font-size: 17px; margin: 1.1em 0 .5em; color: var(--blue); }
p { margin: .45em 0; text-indent: 2em; text-align: justify; }
p.lead { font-weight: bold; }
p.note { font-size: 12.5px; color: #444; text-indent: 0; line-height: 1.6; }
p.caption { text-align: center; text-indent: 0; font-weight: bold; font-size: 14px; margin: 1em 0 .3em; }
ol.items { margin: .4em 0 .4em 2em; padding: 0; }
ol.items li { margin: .3em 0; text-align: justify; }
table { border-collapse: collapse; width: 100%; margin: .3em 0 .6em; font-size: 13px; line-height: 1.45; }
th, td { border: 1px solid var(--line); padding: 4px 6px; vertical-align: middle; }
th { background: #dde5ef; font-weight: bold; text-align: center; }
table.indicators { font-size: 12.5px; }
td.c { text-align: center; } td.r { text-align: right; font-variant-numeric: tabular-nums; }
td .sub { display: block; font-size: 11px; color: #666; }
td.good { color: var(--green); font-weight: bold; }
td.bad { color: var(--red); font-weight: bold; }
td.bad .sub { color: var(--red); }
td.muted { color: var(--muted); }
figure.chart { margin: .6em auto 1.2em; text-align: center; }
figure.chart svg { width: 100%; max-width: 160mm; height: auto; }
figure.chart figcaption { font-size: 13.5px; font-weight: bold; }
@media print {
  html { background: #fff; }
  body { font-size: 11pt; }
  .page { margin: 0; padding: 0; box-shadow: none; max-width: none; }
  .cover { break-after: page; }
  section.break { break-before: page; }
  thead { display: table-header-group; }
  tr, figure.chart, .banner { break-inside: avoid; }
  h2, h3, p.caption { break-after: avoid; }
  @page { size: A4; margin: 24mm 20mm 22mm; }
}
"#;

fn cell_html(out: &mut String, c: &Cell) {
    if c.rowspan == 0 {
        return;
    }
    let mut class = Vec::new();
    match c.align {
        Align::Center => class.push("c"),
        Align::Right => class.push("r"),
        Align::Left => {}
    }
    match c.tone {
        Tone::Good => class.push("good"),
        Tone::Bad => class.push("bad"),
        Tone::Muted => class.push("muted"),
        Tone::Plain => {}
    }
    out.push_str("<td");
    if !class.is_empty() {
        let _ = write!(out, " class=\"{}\"", class.join(" "));
    }
    if c.rowspan > 1 {
        let _ = write!(out, " rowspan=\"{}\"", c.rowspan);
    }
    out.push('>');
    out.push_str(&esc(&c.text));
    if let Some(sub) = &c.sub {
        let _ = write!(out, "<span class=\"sub\">{}</span>", esc(sub));
    }
    out.push_str("</td>");
}

fn table_html(out: &mut String, t: &Table) {
    let class = if t.kind == TableKind::Indicators {
        "data indicators"
    } else {
        "data"
    };
    let total: u32 = t.widths.iter().sum::<u32>().max(1);
    let _ = write!(out, "<table class=\"{class}\"><colgroup>");
    for w in &t.widths {
        let _ = write!(
            out,
            "<col style=\"width:{:.1}%\">",
            f64::from(*w) * 100.0 / f64::from(total)
        );
    }
    out.push_str("</colgroup><thead><tr>");
    for h in &t.header {
        let _ = write!(out, "<th>{}</th>", esc(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in &t.rows {
        out.push_str("<tr>");
        for c in row {
            cell_html(out, c);
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
}

/// The page.
pub fn write(r: &Report) -> String {
    let mut o = String::with_capacity(64 * 1024 + r.charts.len() * 8 * 1024);
    let lang = match r.lang {
        Lang::Zh => "zh-CN",
        Lang::En => "en",
    };
    let css = CSS.replace("SERIF", SERIF).replace("SANS", SANS);
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"Lantu\">\n<title>{}</title>\n<style>{css}</style>\n</head>\n<body>\n",
        esc(&r.title)
    );
    o.push_str("<div class=\"page cover\">");
    if let Some(n) = &r.sample_notice {
        let _ = write!(o, "<p class=\"banner\">{}</p>", esc(n));
    }
    let _ = write!(
        o,
        "<h1>{}</h1><p class=\"subtitle\">{}</p>",
        esc(&r.title),
        esc(&r.subtitle)
    );
    let meta = match r.lang {
        Lang::Zh => vec![
            format!("规划期：{}—{}年", r.start_year, r.end_year),
            format!("评估年度：{}年", r.evaluation_year),
        ],
        Lang::En => vec![
            format!("Plan period: {}–{}", r.start_year, r.end_year),
            format!("Evaluation year: {}", r.evaluation_year),
        ],
    };
    for m in meta {
        let _ = write!(o, "<p class=\"meta\">{}</p>", esc(&m));
    }
    let _ = write!(
        o,
        "<nav class=\"toc\"><h2>{}</h2><ol>",
        r.lang.pick("目　录", "Contents")
    );
    for (i, s) in r.sections.iter().enumerate() {
        let _ = write!(o, "<li><a href=\"#s{}\">{}</a></li>", i + 1, esc(&s.title));
    }
    o.push_str("</ol></nav></div>\n<div class=\"page\">\n");
    for (i, s) in r.sections.iter().enumerate() {
        let _ = write!(
            o,
            "<section id=\"s{}\"{}>\n<h2>{}</h2>\n",
            i + 1,
            if s.page_break && i > 0 { " class=\"break\"" } else { "" },
            esc(&s.title)
        );
        for b in &s.blocks {
            match b {
                Block::Heading(t) => {
                    let _ = writeln!(o, "<h3>{}</h3>", esc(t));
                }
                Block::Para(t) => {
                    let _ = writeln!(o, "<p>{}</p>", esc(t));
                }
                Block::Lead(t) => {
                    let _ = writeln!(o, "<p class=\"lead\">{}</p>", esc(t));
                }
                Block::Alert(t) => {
                    let _ = writeln!(o, "<p class=\"banner\">{}</p>", esc(t));
                }
                Block::Caption(t) => {
                    let _ = writeln!(o, "<p class=\"caption\">{}</p>", esc(t));
                }
                Block::Note(t) => {
                    let _ = writeln!(o, "<p class=\"note\">{}</p>", esc(t));
                }
                Block::Table(t) => {
                    table_html(&mut o, t);
                    o.push('\n');
                }
                Block::Chart(i) => {
                    let c = &r.charts[*i];
                    let _ = writeln!(
                        o,
                        "<figure class=\"chart\">{}<figcaption>{}</figcaption></figure>",
                        c.svg(SANS),
                        esc(&c.caption())
                    );
                }
                Block::List(items) => {
                    o.push_str("<ol class=\"items\">");
                    for it in items {
                        let _ = write!(o, "<li>{}</li>", esc(it));
                    }
                    o.push_str("</ol>\n");
                }
            }
        }
        o.push_str("</section>\n");
    }
    o.push_str("</div>\n</body>\n</html>\n");
    o
}
