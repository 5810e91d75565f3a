//! The PDF report, laid out by typst used as a library. The report model is
//! written as typst markup (every text a string literal, so nothing in the
//! data is read as markup), the charts are SVG files of an in-memory world,
//! and the fonts are the system's CJK fonts where present and the binary's
//! own as the fallback ([`crate::fonts`]), embedded as subsets by typst-pdf.

use crate::content::{Align, Block, Cell, Report, Table, TableKind, Tone};
use crate::fonts::{self, FontSet};
use crate::{Lang, RenderOptions, Rendered, ReportError};
use std::collections::HashMap;
use std::fmt::Write;
use std::sync::{Arc, OnceLock};
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The fonts in typst's terms, made once per [`FontSet`].
pub(crate) struct TypstFonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

/// A font file's bytes shared with the font set.
struct Shared(Arc<Vec<u8>>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        self.0.as_slice()
    }
}

fn typst_fonts(set: &FontSet) -> &TypstFonts {
    set.typst.get_or_init(|| {
        let mut fonts = Vec::new();
        for f in &set.files {
            fonts.extend(Font::iter(Bytes::new(Shared(f.data.clone()))));
        }
        TypstFonts {
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    })
}

fn library() -> &'static LazyHash<Library> {
    static LIB: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIB.get_or_init(|| LazyHash::new(Library::default()))
}

fn file_id(path: &str) -> FileId {
    // Paths are our own constants and numbers: always valid.
    let vpath = VirtualPath::new(path).unwrap_or_else(|_| VirtualPath::new("/main.typ").expect("valid path"));
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

struct ReportWorld {
    fonts: Arc<FontSet>,
    main: Source,
    files: HashMap<FileId, Bytes>,
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &typst_fonts(&self.fonts).book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotSource)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.text().to_string()));
        }
        self.files
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(id.vpath().get_with_slash().into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        typst_fonts(&self.fonts).fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

/// A typst string literal.
fn lit(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '\r' => {}
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

const RED: &str = "rgb(\"#c00000\")";
const GREEN: &str = "rgb(\"#1b6e3a\")";

fn cell(out: &mut String, c: &Cell, sans: &str) {
    if c.rowspan == 0 {
        return;
    }
    let align = match c.align {
        Align::Left => "left + horizon",
        Align::Center => "center + horizon",
        Align::Right => "right + horizon",
    };
    let _ = write!(out, "table.cell(align: {align}");
    if c.rowspan > 1 {
        let _ = write!(out, ", rowspan: {}", c.rowspan);
    }
    out.push_str(")[");
    let text = lit(&c.text);
    match c.tone {
        Tone::Good => {
            let _ = write!(out, "#text(fill: {GREEN}, weight: \"bold\", font: {sans})[#{text}]");
        }
        Tone::Bad => {
            let _ = write!(out, "#text(fill: {RED}, weight: \"bold\", font: {sans})[#{text}]");
        }
        Tone::Muted => {
            let _ = write!(out, "#text(fill: luma(120))[#{text}]");
        }
        Tone::Plain => {
            let _ = write!(out, "#{text}");
        }
    }
    if let Some(sub) = &c.sub {
        let fill = if c.tone == Tone::Bad { RED } else { "luma(100)" };
        let _ = write!(out, "#linebreak()#text(size: 0.8em, fill: {fill})[#{}]", lit(sub));
    }
    out.push_str("],\n");
}

fn table(out: &mut String, t: &Table, sans: &str) {
    let size = if t.kind == TableKind::Indicators {
        "7.6pt"
    } else {
        "8.6pt"
    };
    let cols: Vec<String> = t.widths.iter().map(|w| format!("{w}fr")).collect();
    let _ = write!(
        out,
        "#block(width: 100%)[#set text(size: {size})\n#table(columns: ({}), fill: (x, y) => if y == 0 {{ rgb(\"#dde5ef\") }},\n",
        cols.join(", ")
    );
    out.push_str("table.header(");
    for h in &t.header {
        let _ = write!(
            out,
            "table.cell(align: center + horizon)[#text(font: {sans}, weight: \"bold\")[#{}]], ",
            lit(h)
        );
    }
    out.push_str("),\n");
    for row in &t.rows {
        for c in row {
            cell(out, c, sans);
        }
    }
    out.push_str(")]\n\n");
}

/// The typst source of the report.
fn markup(r: &Report, fonts: &FontSet) -> String {
    let sans = lit(&fonts.sans_family);
    let serif = lit(&fonts.serif_family);
    let (lang, region) = match r.lang {
        Lang::Zh => ("zh", "cn"),
        Lang::En => ("en", "gb"),
    };
    let mut o = String::with_capacity(128 * 1024);
    let header_text = match &r.sample_notice {
        Some(_) => format!(
            "#text(fill: luma(90))[#{}]#h(1em)#text(fill: {RED}, weight: \"bold\")[#{}]",
            lit(&r.running_head),
            lit(r.lang.pick(
                "示例数据，非正式统计数据",
                "Illustrative sample data, not official statistics"
            ))
        ),
        None => format!("#text(fill: luma(90))[#{}]", lit(&r.running_head)),
    };
    let _ = write!(
        o,
        r##"#set document(title: {title}, author: "Lantu")
#set text(font: ({serif}, {sans}, {embedded}), size: 10.5pt, lang: "{lang}", region: "{region}")
#set page(paper: "a4", margin: (top: 3cm, bottom: 2.6cm, left: 2.6cm, right: 2.4cm),
  header: context {{ if counter(page).get().first() > 0 and here().page() > 1 [
    #set text(size: 8pt, font: {sans})
    #align(center)[{header_text}]
    #v(-4pt)
    #line(length: 100%, stroke: 0.5pt + luma(150))
  ] }},
  footer: context {{ if here().page() > 1 [
    #set text(size: 10pt)
    #align(center)[— #counter(page).display() —]
  ] }})
#set par(justify: true, leading: 0.9em, spacing: 0.95em, first-line-indent: (amount: 2em, all: true))
#show heading: set text(font: {sans}, weight: "bold")
#show heading.where(level: 1): it => block(above: 1.5em, below: 1em, text(size: 15pt, it.body))
#show heading.where(level: 2): it => block(above: 1.2em, below: 0.7em, text(size: 12pt, it.body))
#set table(stroke: 0.5pt + rgb("#9aa5b1"), inset: (x: 3.5pt, y: 3pt))
#show table: set par(first-line-indent: 0pt, justify: false, leading: 0.45em)
#show enum: set par(first-line-indent: 0pt)
#set enum(numbering: "1.", spacing: 0.9em)
"##,
        title = lit(&r.title),
        embedded = lit(fonts::EMBEDDED_FAMILY),
    );

    // Cover.
    o.push_str("#page(header: none, footer: none)[\n#v(3.2cm)\n");
    let _ = writeln!(
        o,
        "#align(center)[#text(font: {sans}, size: 21pt, weight: \"bold\")[#{}]]\n#v(0.6cm)",
        lit(&r.title)
    );
    let _ = writeln!(o, "#align(center)[#text(size: 15pt)[#{}]]\n#v(2.2cm)", lit(&r.subtitle));
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
        let _ = writeln!(o, "#align(center)[#text(size: 12pt)[#{}]]", lit(&m));
    }
    if let Some(n) = &r.sample_notice {
        o.push_str("#v(1.5cm)\n");
        alert(&mut o, n, &sans);
    }
    o.push_str("]\n");

    // Contents.
    let _ = writeln!(
        o,
        "#page(header: none, footer: none)[#align(center)[#text(font: {sans}, size: 16pt, weight: \"bold\")[#{}]]\n#v(0.8em)\n#outline(title: none, depth: 2, indent: 2em)]\n#counter(page).update(1)",
        lit(r.lang.pick("目　录", "Contents"))
    );

    for (i, s) in r.sections.iter().enumerate() {
        if i == 0 || s.page_break {
            o.push_str("#pagebreak(weak: true)\n");
        }
        let _ = writeln!(o, "#heading(level: 1)[#{}]\n", lit(&s.title));
        for b in &s.blocks {
            match b {
                Block::Heading(t) => {
                    let _ = writeln!(o, "#heading(level: 2)[#{}]\n", lit(t));
                }
                Block::Para(t) => {
                    let _ = writeln!(o, "#{}\n", lit(t));
                }
                Block::Lead(t) => {
                    let _ = writeln!(o, "#text(weight: \"bold\", font: {sans})[#{}]\n", lit(t));
                }
                Block::Alert(t) => alert(&mut o, t, &sans),
                Block::Caption(t) => {
                    let _ = writeln!(
                        o,
                        "#block(above: 1.2em, below: 0.5em, sticky: true, width: 100%)[#set par(first-line-indent: 0pt)\n#align(center)[#text(font: {sans}, weight: \"bold\", size: 9.5pt)[#{}]]]",
                        lit(t)
                    );
                }
                Block::Note(t) => {
                    let _ = writeln!(
                        o,
                        "#block(above: 0.4em, below: 1em)[#set par(first-line-indent: 0pt, leading: 0.6em)\n#text(size: 8pt, fill: luma(60))[#{}]]",
                        lit(t)
                    );
                }
                Block::Table(t) => table(&mut o, t, &sans),
                Block::Chart(ci) => {
                    let c = &r.charts[*ci];
                    let _ = writeln!(
                        o,
                        "#block(breakable: false, width: 100%, above: 1em, below: 1.8em)[#set par(first-line-indent: 0pt)\n#align(center)[#image(\"/charts/{}.svg\", width: 88%)]\n#v(-0.3em)\n#align(center)[#text(font: {sans}, size: 9pt, weight: \"bold\")[#{}]]]",
                        ci + 1,
                        lit(&c.caption())
                    );
                }
                Block::List(items) => {
                    o.push_str("#enum(\n");
                    for it in items {
                        let _ = writeln!(o, "[#{}],", lit(it));
                    }
                    o.push_str(")\n\n");
                }
            }
        }
    }
    o
}

fn alert(o: &mut String, text: &str, sans: &str) {
    let _ = writeln!(
        o,
        "#block(width: 100%, stroke: 1.2pt + {RED}, fill: rgb(\"#fff5f5\"), inset: 9pt, radius: 2pt, above: 1em, below: 1em)[#set par(first-line-indent: 0pt)\n#align(center)[#text(fill: {RED}, weight: \"bold\", font: {sans})[#{}]]]",
        lit(text)
    );
}

fn errors(diags: &[SourceDiagnostic]) -> String {
    diags
        .iter()
        .map(|d| {
            let hints: Vec<String> = d.hints.iter().map(|h| h.v.to_string()).collect();
            if hints.is_empty() {
                d.message.to_string()
            } else {
                format!("{} ({})", d.message, hints.join("; "))
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The `.pdf` bytes; the warnings name the characters no font has.
pub fn write(r: &Report, options: &RenderOptions) -> Result<Rendered, ReportError> {
    let fonts = fonts::fonts(options.fonts)?;
    let text = markup(r, &fonts);
    let svgs: Vec<String> = r.charts.iter().map(|c| c.svg(&fonts.sans_stack())).collect();
    // Every text of the report is a string literal of the markup; the rest
    // of the markup is ASCII (and the fonts' own names).
    let warnings = crate::glyph_warnings(
        &fonts,
        std::iter::once(text.as_str()).chain(svgs.iter().map(String::as_str)),
    );
    let mut files = HashMap::new();
    for (i, svg) in svgs.into_iter().enumerate() {
        files.insert(file_id(&format!("/charts/{}.svg", i + 1)), Bytes::from_string(svg));
    }
    let world = ReportWorld {
        fonts: fonts.clone(),
        main: Source::new(file_id("/main.typ"), text),
        files,
    };
    let compiled = typst::compile::<typst_layout::PagedDocument>(&world);
    let doc = match compiled.output {
        Ok(doc) => doc,
        Err(e) => return Err(ReportError::Pdf(errors(&e))),
    };
    let pdf = match typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default()) {
        Ok(pdf) => pdf,
        Err(e) => return Err(ReportError::Pdf(errors(&e))),
    };
    // Every report is a new document: keep no memo caches (they would grow
    // without bound in a server, and make a repeated render look cheap).
    typst::comemo::evict(0);
    Ok(Rendered { bytes: pdf, warnings })
}
