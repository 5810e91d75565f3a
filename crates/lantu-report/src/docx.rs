//! The Word report: WordprocessingML written by hand into a zip.
//!
//! A4 with the margins of GB/T 9704 official documents; built-in heading
//! styles (`Heading1`, `Heading2`, so Word's navigation pane and table of
//! contents see them); 宋体 for body text and 黑体 for headings through
//! `w:eastAsia`; real tables with a repeated header row and merged category
//! cells; chart images as PNG; page numbers (`— PAGE —`) in the footer; the
//! sample-data notice in the header of every page when the data are samples.

use crate::chart::{self, esc};
use crate::content::{Align, Block, Cell, Report, Table, TableKind, Tone};
use crate::fonts;
use crate::{Lang, RenderOptions, Rendered, ReportError, Warning};
use std::fmt::Write as _;
use std::io::Write as _;
use zip::write::SimpleFileOptions;

/// Text width of the page in twentieths of a point: A4 (11906) less the
/// left (1588) and right (1474) margins.
const TEXT_WIDTH: u32 = 8844;
/// Chart width in EMU (15 cm).
const CHART_CX: u64 = 15 * 360_000;

const BODY_FONT: &str = "宋体";
const HEADING_FONT: &str = "黑体";
const SUBHEADING_FONT: &str = "楷体";
const LATIN_FONT: &str = "Times New Roman";

const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture""#;

fn run(out: &mut String, text: &str, props: &str) {
    // Line breaks inside a run become <w:br/>.
    out.push_str("<w:r>");
    if !props.is_empty() {
        let _ = write!(out, "<w:rPr>{props}</w:rPr>");
    }
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<w:br/>");
        }
        let _ = write!(out, "<w:t xml:space=\"preserve\">{}</w:t>", esc(line));
    }
    out.push_str("</w:r>");
}

fn para(out: &mut String, style: &str, ppr_extra: &str, text: &str, rpr: &str) {
    out.push_str("<w:p><w:pPr>");
    if !style.is_empty() {
        let _ = write!(out, "<w:pStyle w:val=\"{style}\"/>");
    }
    out.push_str(ppr_extra);
    out.push_str("</w:pPr>");
    run(out, text, rpr);
    out.push_str("</w:p>");
}

fn tone_color(t: Tone) -> Option<&'static str> {
    match t {
        Tone::Good => Some("1B6E3A"),
        Tone::Bad => Some("C00000"),
        Tone::Muted => Some("808080"),
        Tone::Plain => None,
    }
}

fn cell_xml(out: &mut String, c: &Cell, width: u32, header: bool, small: bool) {
    out.push_str("<w:tc><w:tcPr>");
    let _ = write!(out, "<w:tcW w:w=\"{width}\" w:type=\"dxa\"/>");
    match c.rowspan {
        0 => out.push_str("<w:vMerge/>"),
        1 => {}
        _ => out.push_str("<w:vMerge w:val=\"restart\"/>"),
    }
    if header {
        out.push_str("<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"DDE5EF\"/>");
    }
    out.push_str("<w:vAlign w:val=\"center\"/></w:tcPr>");
    let jc = match (header, c.align) {
        (true, _) | (_, Align::Center) => "center",
        (_, Align::Right) => "right",
        (_, Align::Left) => "left",
    };
    let size = if small { 16 } else { 19 };
    let mut rpr = format!("<w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/>");
    if header {
        rpr = format!("<w:rFonts w:eastAsia=\"{HEADING_FONT}\"/><w:b/><w:bCs/>{rpr}");
    }
    if let Some(color) = tone_color(c.tone) {
        let _ = write!(rpr, "<w:color w:val=\"{color}\"/>");
        if c.tone != Tone::Muted {
            rpr.push_str("<w:b/>");
        }
    }
    let ppr = format!("<w:jc w:val=\"{jc}\"/>");
    if c.rowspan == 0 {
        para(out, "TableText", &ppr, "", "");
    } else {
        para(out, "TableText", &ppr, &c.text, &rpr);
        if let Some(sub) = &c.sub {
            let color = if c.tone == Tone::Bad { "C00000" } else { "666666" };
            let sub_rpr = format!("<w:color w:val=\"{color}\"/><w:sz w:val=\"14\"/><w:szCs w:val=\"14\"/>");
            para(out, "TableText", &ppr, sub, &sub_rpr);
        }
    }
    out.push_str("</w:tc>");
}

fn table_xml(out: &mut String, t: &Table) {
    let total: u32 = t.widths.iter().sum::<u32>().max(1);
    let widths: Vec<u32> = t.widths.iter().map(|w| w * TEXT_WIDTH / total).collect();
    let small = t.kind == TableKind::Indicators;
    out.push_str("<w:tbl><w:tblPr><w:tblStyle w:val=\"ReportTable\"/>");
    let _ = write!(out, "<w:tblW w:w=\"{TEXT_WIDTH}\" w:type=\"dxa\"/>");
    out.push_str(
        "<w:jc w:val=\"center\"/><w:tblLayout w:type=\"fixed\"/><w:tblLook w:val=\"0420\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>",
    );
    for w in &widths {
        let _ = write!(out, "<w:gridCol w:w=\"{w}\"/>");
    }
    out.push_str("</w:tblGrid>");
    out.push_str("<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>");
    for (h, w) in t.header.iter().zip(&widths) {
        cell_xml(out, &Cell::new(h.clone()), *w, true, small);
    }
    out.push_str("</w:tr>");
    for row in &t.rows {
        out.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        for (c, w) in row.iter().zip(&widths) {
            cell_xml(out, c, *w, false, small);
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
}

fn image_xml(out: &mut String, rid: &str, id: usize, name: &str, descr: &str) {
    let cy = (CHART_CX as f64 * chart::HEIGHT / chart::WIDTH).round() as u64;
    let cx = CHART_CX;
    let _ = write!(
        out,
        "<w:p><w:pPr><w:pStyle w:val=\"Figure\"/></w:pPr><w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"{cx}\" cy=\"{cy}\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/><wp:docPr id=\"{id}\" name=\"{name}\" descr=\"{}\"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr><a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic><pic:nvPicPr><pic:cNvPr id=\"{id}\" name=\"{name}\"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed=\"{rid}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>",
        esc(descr)
    );
}

fn section_props(out: &mut String) {
    out.push_str(
        "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1588\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/><w:pgNumType w:start=\"0\"/><w:titlePg/><w:docGrid w:linePitch=\"312\"/></w:sectPr>",
    );
}

fn document(r: &Report, image_ids: &[Option<String>]) -> String {
    let mut o = String::with_capacity(256 * 1024);
    let _ = write!(
        o,
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document {NS}><w:body>"
    );
    // Cover.
    para(&mut o, "Title", "", &r.title, "");
    para(&mut o, "Subtitle", "", &r.subtitle, "");
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
        para(&mut o, "CoverMeta", "", &m, "");
    }
    if let Some(n) = &r.sample_notice {
        para(&mut o, "Alert", "", n, "");
    }
    let mut docpr = 0;
    for (i, s) in r.sections.iter().enumerate() {
        let brk = if i == 0 || s.page_break {
            "<w:pageBreakBefore/>"
        } else {
            ""
        };
        para(&mut o, "Heading1", brk, &s.title, "");
        for b in &s.blocks {
            match b {
                Block::Heading(t) => para(&mut o, "Heading2", "", t, ""),
                Block::Para(t) => para(&mut o, "", "", t, ""),
                Block::Lead(t) => para(&mut o, "", "", t, "<w:b/><w:bCs/>"),
                Block::Alert(t) => para(&mut o, "Alert", "", t, ""),
                Block::Caption(t) => para(&mut o, "TableCaption", "", t, ""),
                Block::Note(t) => para(&mut o, "Note", "", t, ""),
                Block::Table(t) => {
                    table_xml(&mut o, t);
                    // Word needs a paragraph between a table and what follows.
                    para(&mut o, "TableAfter", "", "", "");
                }
                Block::Chart(ci) => {
                    let c = &r.charts[*ci];
                    if let Some(Some(rid)) = image_ids.get(*ci) {
                        docpr += 1;
                        image_xml(&mut o, rid, docpr, &format!("chart{}", c.number), &c.caption());
                    }
                    para(&mut o, "FigureCaption", "", &c.caption(), "");
                }
                Block::List(items) => {
                    for (k, it) in items.iter().enumerate() {
                        let text = match r.lang {
                            Lang::Zh => format!("{}．{}", k + 1, it),
                            Lang::En => format!("{}. {}", k + 1, it),
                        };
                        para(&mut o, "", "", &text, "");
                    }
                }
            }
        }
    }
    section_props(&mut o);
    o.push_str("</w:body></w:document>");
    o
}

fn styles() -> String {
    let rfonts = |east: &str| {
        format!(
            "<w:rFonts w:ascii=\"{LATIN_FONT}\" w:hAnsi=\"{LATIN_FONT}\" w:eastAsia=\"{east}\" w:cs=\"{LATIN_FONT}\"/>"
        )
    };
    let body = rfonts(BODY_FONT);
    let head = rfonts(HEADING_FONT);
    let kai = rfonts(SUBHEADING_FONT);
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:docDefaults><w:rPrDefault><w:rPr>{body}<w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="360" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="60" w:line="360" w:lineRule="auto"/><w:ind w:firstLineChars="200" w:firstLine="480"/><w:jc w:val="both"/></w:pPr><w:rPr>{body}<w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:before="1200" w:after="360" w:line="300" w:lineRule="auto"/><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/><w:outlineLvl w:val="9"/></w:pPr><w:rPr>{head}<w:b/><w:bCs/><w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:before="120" w:after="1600"/><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/></w:pPr><w:rPr>{kai}<w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="CoverMeta"><w:name w:val="Cover Meta"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/></w:pPr><w:rPr>{body}<w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="360" w:after="200" w:line="300" w:lineRule="auto"/><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="left"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr>{head}<w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:unhideWhenUsed/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="240" w:after="120" w:line="300" w:lineRule="auto"/><w:ind w:firstLineChars="200" w:firstLine="560"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr>{kai}<w:b/><w:bCs/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="TableText"><w:name w:val="Table Text"/><w:pPr><w:spacing w:before="0" w:after="0" w:line="260" w:lineRule="auto"/><w:ind w:firstLineChars="0" w:firstLine="0"/></w:pPr><w:rPr>{body}<w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="TableCaption"><w:name w:val="Table Caption"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="80"/><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/></w:pPr><w:rPr>{head}<w:sz w:val="22"/><w:szCs w:val="22"/></w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="TableAfter"><w:name w:val="Table After"/><w:pPr><w:spacing w:before="0" w:after="0" w:line="120" w:lineRule="exact"/></w:pPr><w:rPr><w:sz w:val="8"/></w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="Note"><w:name w:val="Table Note"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:before="40" w:after="160" w:line="300" w:lineRule="auto"/><w:ind w:firstLineChars="0" w:firstLine="0"/></w:pPr><w:rPr><w:color w:val="404040"/><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="Figure"><w:name w:val="Figure"/><w:basedOn w:val="Normal"/><w:next w:val="FigureCaption"/><w:pPr><w:keepNext/><w:spacing w:before="120" w:after="0" w:line="240" w:lineRule="auto"/><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/></w:pPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="FigureCaption"><w:name w:val="Figure Caption"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:before="40" w:after="240"/><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/></w:pPr><w:rPr>{head}<w:sz w:val="21"/><w:szCs w:val="21"/></w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="Alert"><w:name w:val="Sample Data Notice"/><w:basedOn w:val="Normal"/><w:pPr><w:pBdr><w:top w:val="single" w:sz="12" w:space="4" w:color="C00000"/><w:left w:val="single" w:sz="12" w:space="4" w:color="C00000"/><w:bottom w:val="single" w:sz="12" w:space="4" w:color="C00000"/><w:right w:val="single" w:sz="12" w:space="4" w:color="C00000"/></w:pBdr><w:shd w:val="clear" w:color="auto" w:fill="FFF5F5"/><w:spacing w:before="240" w:after="240" w:line="300" w:lineRule="auto"/><w:ind w:left="120" w:right="120" w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/></w:pPr><w:rPr>{head}<w:b/><w:bCs/><w:color w:val="C00000"/><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="4" w:space="1" w:color="808080"/></w:pBdr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/></w:pPr><w:rPr><w:color w:val="595959"/><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/></w:pPr><w:rPr><w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" w:eastAsia="{BODY_FONT}"/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>
<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>
<w:style w:type="table" w:customStyle="1" w:styleId="ReportTable"><w:name w:val="Report Table"/><w:basedOn w:val="TableNormal"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="8" w:space="0" w:color="404040"/><w:left w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:bottom w:val="single" w:sz="8" w:space="0" w:color="404040"/><w:right w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="808080"/></w:tblBorders><w:tblCellMar><w:top w:w="30" w:type="dxa"/><w:left w:w="45" w:type="dxa"/><w:bottom w:w="30" w:type="dxa"/><w:right w:w="45" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>
</w:styles>"#
    )
}

fn footer() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:ftr {NS}><w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr><w:r><w:t xml:space=\"preserve\">— </w:t></w:r><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r><w:r><w:t xml:space=\"preserve\"> —</w:t></w:r></w:p></w:ftr>"
    )
}

fn header(r: &Report) -> String {
    let mut o = format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:hdr {NS}>");
    let mut text = r.running_head.clone();
    let mut alert = String::new();
    if r.sample_notice.is_some() {
        alert = r
            .lang
            .pick(
                "示例数据，非正式统计数据",
                "Illustrative sample data, not official statistics",
            )
            .to_string();
        text.push('　');
    }
    o.push_str("<w:p><w:pPr><w:pStyle w:val=\"Header\"/></w:pPr>");
    run(&mut o, &text, "");
    if !alert.is_empty() {
        run(&mut o, &alert, "<w:b/><w:color w:val=\"C00000\"/>");
    }
    o.push_str("</w:p></w:hdr>");
    o
}

fn content_types(images: bool) -> String {
    let png = if images {
        "<Default Extension=\"png\" ContentType=\"image/png\"/>"
    } else {
        ""
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>{png}<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"#
    )
}

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"#;

const SETTINGS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"#;

fn doc_rels(images: &[(String, String)]) -> String {
    let mut o = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rIdHeader" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rIdFooter" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>"#,
    );
    for (rid, target) in images {
        let _ = write!(
            o,
            "<Relationship Id=\"{rid}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"{target}\"/>"
        );
    }
    o.push_str("</Relationships>");
    o
}

fn core(r: &Report) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dc:subject>{}</dc:subject><dc:creator>Lantu</dc:creator><dc:language>{}</dc:language></cp:coreProperties>"#,
        esc(&r.title),
        esc(&r.subtitle),
        match r.lang {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    )
}

const APP: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Lantu</Application></Properties>"#;

/// Renders every chart to PNG, on as many threads as there are cores; the
/// warnings name the characters of the charts no font has.
fn chart_pngs(r: &Report, options: &RenderOptions) -> Result<(Vec<Vec<u8>>, Vec<Warning>), ReportError> {
    if r.charts.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let fonts = fonts::fonts(options.fonts)?;
    let svgs: Vec<String> = r.charts.iter().map(|c| c.svg(&fonts.sans_stack())).collect();
    let warnings = crate::glyph_warnings(&fonts, svgs.iter().map(String::as_str));
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    let chunk = r.charts.len().div_ceil(threads);
    let results: Vec<Result<Vec<Vec<u8>>, ReportError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = r
            .charts
            .chunks(chunk)
            .zip(svgs.chunks(chunk))
            .map(|(charts, svgs)| {
                let fonts = &fonts;
                scope.spawn(move || {
                    charts
                        .iter()
                        .zip(svgs)
                        .map(|(c, svg)| c.png_of(svg, fonts, 2.0))
                        .collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(ReportError::Chart("chart thread panicked".into())))
            })
            .collect()
    });
    let mut out = Vec::with_capacity(r.charts.len());
    for res in results {
        out.extend(res?);
    }
    Ok((out, warnings))
}

/// The `.docx` bytes.
pub fn write(r: &Report, options: &RenderOptions) -> Result<Rendered, ReportError> {
    let (pngs, warnings) = chart_pngs(r, options)?;
    let mut rels = Vec::new();
    let mut image_ids = Vec::new();
    for (i, _) in pngs.iter().enumerate() {
        let rid = format!("rIdImg{}", i + 1);
        rels.push((rid.clone(), format!("media/chart{}.png", i + 1)));
        image_ids.push(Some(rid));
    }
    let doc = document(r, &image_ids);

    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflate = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let parts: Vec<(&str, String)> = vec![
        ("[Content_Types].xml", content_types(!pngs.is_empty())),
        ("_rels/.rels", ROOT_RELS.to_string()),
        ("docProps/core.xml", core(r)),
        ("docProps/app.xml", APP.to_string()),
        ("word/document.xml", doc),
        ("word/styles.xml", styles()),
        ("word/settings.xml", SETTINGS.to_string()),
        ("word/header1.xml", header(r)),
        ("word/footer1.xml", footer()),
        ("word/_rels/document.xml.rels", doc_rels(&rels)),
    ];
    for (name, text) in parts {
        zip.start_file(name, deflate)?;
        zip.write_all(text.as_bytes())?;
    }
    for (i, png) in pngs.iter().enumerate() {
        // PNG is compressed already.
        zip.start_file(format!("word/media/chart{}.png", i + 1), stored)?;
        zip.write_all(png)?;
    }
    Ok(Rendered {
        bytes: zip.finish()?.into_inner(),
        warnings,
    })
}
