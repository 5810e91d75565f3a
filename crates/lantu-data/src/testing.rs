//! For tests and fuzzing: a small [`plan`] to fill forms for, and hostile
//! workbooks written byte by byte (the zip container by hand, the deflate
//! streams with flate2), so that every crate that takes an upload can prove
//! it refuses them: a tiny sheet whose range spans the whole grid, and a
//! zip bomb of blank cells. [`fuzz_import`] is the fuzz targets' entry.

use flate2::{Compress, Compression, FlushCompress, Status};
use lantu_core::plan::{
    BaselineDoc, DepartmentDoc, Frequency, IndicatorDoc, PlanDoc, PlanLevel, PlanMeta, PlanSettings, PlanState, Source,
    TargetDoc,
};
use lantu_core::{Attribute, Comparator, Direction, Measure, TargetKind};
use rust_decimal::Decimal;

/// Raw deflate of `data`, byte-aligned at its end; the last segment of a
/// stream is `last`.
fn deflate(data: &[u8], last: bool) -> Vec<u8> {
    let mut c = Compress::new(Compression::best(), false);
    let mut out = Vec::with_capacity(data.len() / 2 + 64);
    let flush = if last {
        FlushCompress::Finish
    } else {
        FlushCompress::Sync
    };
    loop {
        let consumed = c.total_in() as usize;
        out.reserve(64 * 1024);
        let status = c
            .compress_vec(&data[consumed..], &mut out, flush)
            .expect("deflate into memory");
        let flushed = if last {
            status == Status::StreamEnd
        } else {
            out.len() < out.capacity()
        };
        if c.total_in() as usize == data.len() && flushed {
            return out;
        }
    }
}

/// One zip entry: its name, its deflated bytes, and the sizes and CRC its
/// headers declare.
pub struct Entry {
    pub name: String,
    pub deflated: Vec<u8>,
    pub declared_size: u32,
    pub crc: u32,
}

impl Entry {
    /// An entry with honest headers.
    pub fn new(name: &str, data: &[u8]) -> Entry {
        Entry {
            name: name.into(),
            deflated: deflate(data, true),
            declared_size: data.len() as u32,
            crc: crc32(data),
        }
    }
}

/// CRC-32 (IEEE), bit by bit: test data are small.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A zip archive of `entries`, deflated, with the headers as given.
pub fn zip(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let offset = out.len() as u32;
        let fields = |sig: u32, central: bool| {
            let mut h = Vec::new();
            h.extend_from_slice(&sig.to_le_bytes());
            if central {
                h.extend_from_slice(&20u16.to_le_bytes()); // made by
            }
            h.extend_from_slice(&20u16.to_le_bytes()); // version needed
            h.extend_from_slice(&0u16.to_le_bytes()); // flags
            h.extend_from_slice(&8u16.to_le_bytes()); // deflate
            h.extend_from_slice(&[0, 0, 0x21, 0]); // time, date (1980-01-01)
            h.extend_from_slice(&e.crc.to_le_bytes());
            h.extend_from_slice(&(e.deflated.len() as u32).to_le_bytes());
            h.extend_from_slice(&e.declared_size.to_le_bytes());
            h.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes()); // extra
            if central {
                h.extend_from_slice(&[0; 6]); // comment, disk, internal attributes
                h.extend_from_slice(&0u32.to_le_bytes()); // external attributes
                h.extend_from_slice(&offset.to_le_bytes());
            }
            h.extend_from_slice(e.name.as_bytes());
            h
        };
        out.extend(fields(0x0403_4b50, false));
        out.extend_from_slice(&e.deflated);
        central.extend(fields(0x0201_4b50, true));
    }
    let start = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// The parts of a one-sheet workbook but the sheet.
fn package(sheet: Entry) -> Vec<u8> {
    let ct = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let book = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="填报表" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let book_rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
    zip(&[
        Entry::new("[Content_Types].xml", ct.as_bytes()),
        Entry::new("_rels/.rels", rels.as_bytes()),
        Entry::new("xl/workbook.xml", book.as_bytes()),
        Entry::new("xl/_rels/workbook.xml.rels", book_rels.as_bytes()),
        sheet,
    ])
}

const SHEET_START: &str = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#;

/// A workbook whose one sheet (填报表) holds `sheet_data`, the XML inside
/// `<sheetData>`; text cells are written inline (`t="inlineStr"`).
pub fn xlsx(sheet_data: &str) -> Vec<u8> {
    let xml = format!("{SHEET_START}<sheetData>{sheet_data}</sheetData></worksheet>");
    package(Entry::new("xl/worksheets/sheet1.xml", xml.as_bytes()))
}

/// An inline text cell at `at` (`B3`).
pub fn text_cell(at: &str, text: &str) -> String {
    let text = text.replace('&', "&amp;").replace('<', "&lt;");
    format!(r#"<c r="{at}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// The workbook of issue 10 that made the old reader allocate 512 GiB: a
/// header in A1 and one number at XFD1048576, the last cell of the grid
/// (about 1.5 KB).
pub fn sparse_xlsx() -> Vec<u8> {
    let xml = format!(
        r#"{SHEET_START}<dimension ref="A1:XFD1048576"/><sheetData><row r="1">{}</row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>"#,
        text_cell("A1", "指标代码 Code")
    );
    package(Entry::new("xl/worksheets/sheet1.xml", xml.as_bytes()))
}

/// A zip bomb: a sheet with the form's header row and then `bytes` of
/// blank rows (blank cells padded with spaces), deflated at about 1,000:1
/// (3 GiB in about 3 MB). With
/// `honest` headers the archive's directory says how large the sheet is;
/// without, it claims 100 KB and only inflating shows the truth.
pub fn xlsx_bomb(bytes: u64, honest: bool) -> Vec<u8> {
    let mut head = String::from(SHEET_START);
    head.push_str("<sheetData><row r=\"1\">");
    for (i, h) in ["指标代码 Code", "期间 Period", "数值 Value"].iter().enumerate() {
        head.push_str(&text_cell(&format!("{}1", (b'A' + i as u8) as char), h));
    }
    head.push_str("</row>");
    // A row of sixteen blank, styled cells, padded with blanks to 1 MiB
    // (runs of one byte deflate best: about 1,000 to 1).
    let mut chunk = String::from("<row r=\"2\">");
    for c in b'A'..=b'P' {
        chunk.push_str(&format!("<c r=\"{}2\" s=\"0\"/>", c as char));
    }
    chunk.push_str("</row>");
    let pad = (1 << 20) - chunk.len();
    chunk.push_str(&" ".repeat(pad));
    let tail = "</sheetData></worksheet>";
    // Each segment is deflated alone and byte-aligned, so the chunk's
    // compressed bytes can be repeated: they refer to nothing before them.
    let block = deflate(chunk.as_bytes(), false);
    let copies = bytes.div_ceil(chunk.len() as u64);
    let mut deflated = deflate(head.as_bytes(), false);
    for _ in 0..copies {
        deflated.extend_from_slice(&block);
    }
    deflated.extend(deflate(tail.as_bytes(), true));
    let size = head.len() as u64 + copies * chunk.len() as u64 + tail.len() as u64;
    package(Entry {
        name: "xl/worksheets/sheet1.xml".into(),
        deflated,
        declared_size: if honest {
            u32::try_from(size).unwrap_or(u32::MAX)
        } else {
            100_000
        },
        // Never checked: the reader refuses the part long before its end.
        crc: 0,
    })
}

fn indicator(code: &str, name: &str, unit: Option<&str>, dept: &str, frequency: Frequency) -> IndicatorDoc {
    IndicatorDoc {
        code: code.into(),
        name: name.into(),
        unit: unit.map(Into::into),
        category: None,
        attribute: Attribute::Expected,
        measure: Measure::Level,
        direction: Direction::HigherIsBetter,
        departments: vec![dept.into()],
        co_departments: vec![],
        data_source: None,
        frequency,
        target: TargetDoc {
            comparator: Comparator::AtLeast,
            value: Some(Decimal::ONE),
            value_max: None,
            year: 2025,
            kind: TargetKind::Numeric,
            reason: None,
        },
        baseline: Some(BaselineDoc {
            value: Decimal::ONE,
            year: 2020,
        }),
        source: Source::default(),
        rules: Default::default(),
    }
}

/// A small plan to fill forms for: five indicators of three departments,
/// reported annually, quarterly and monthly, for 2021–2025.
pub fn plan() -> PlanDoc {
    let doc = PlanDoc {
        plan: PlanMeta {
            id: Some(1),
            name: "某区国民经济和社会发展第十四个五年规划".into(),
            region: "某区".into(),
            level: PlanLevel::District,
            kind: lantu_core::plan::PlanKind::Master,
            issuer: None,
            issued_on: None,
            start_year: 2021,
            end_year: 2025,
            vision_year: Some(2035),
            parent: None,
            state: PlanState::Adopted,
            source: None,
        },
        settings: PlanSettings::default(),
        outline: Vec::new(),
        departments: vec![
            DepartmentDoc {
                code: "fgw".into(),
                name: "发展改革委".into(),
            },
            DepartmentDoc {
                code: "sthj".into(),
                name: "生态环境局".into(),
            },
            DepartmentDoc {
                code: "tj".into(),
                name: "统计局".into(),
            },
            DepartmentDoc {
                code: "wj".into(),
                name: "卫健委".into(),
            },
        ],
        indicators: vec![
            indicator("gdp", "地区生产总值", Some("亿元"), "fgw", Frequency::Annual),
            indicator("forest", "森林覆盖率", Some("%"), "sthj", Frequency::Annual),
            indicator(
                "pm25",
                "细颗粒物（PM2.5）年均浓度",
                Some("微克/立方米"),
                "sthj",
                Frequency::Monthly,
            ),
            indicator("retail", "社会消费品零售总额", Some("亿元"), "tj", Frequency::Quarterly),
            indicator("parks", "新建口袋公园", None, "fgw", Frequency::Annual),
        ],
        tasks: vec![],
        projects: vec![],
        cross_rules: Vec::new(),
    };
    doc.validate().expect("the test plan is valid");
    doc
}

/// Fuzz entry point: `data` read as an upload in every way it can come —
/// the bytes as a workbook or CSV, and as the XML of a sheet's rows inside
/// a workbook — against [`plan`]. It must return (an error or figures) for
/// any input: no panic, no hang, no memory beyond the limits.
pub fn fuzz_import(data: &[u8]) {
    let p = plan();
    let _ = crate::import::read(data, "fuzz.xlsx", &p);
    let _ = crate::import::read(data, "fuzz.csv", &p);
    let rows = String::from_utf8_lossy(data);
    let _ = crate::import::read(&xlsx(&rows), "fuzz.xlsx", &p);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn the_archives_are_valid_zip() {
        let book = xlsx(&format!("<row r=\"1\">{}</row>", text_cell("A1", "a&b")));
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(book.as_slice())).unwrap();
        let mut s = String::new();
        z.by_name("xl/worksheets/sheet1.xml")
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        assert!(s.contains("<t>a&amp;b</t>"), "{s}");
        assert!(sparse_xlsx().len() < 2_000, "{}", sparse_xlsx().len());
    }

    #[test]
    fn the_bomb_inflates_to_what_it_says() {
        // 8 MiB of blank cells, read through the zip crate to the end.
        let bomb = xlsx_bomb(8 << 20, true);
        assert!(bomb.len() < 12_000, "{}", bomb.len());
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bomb.as_slice())).unwrap();
        let mut f = z.by_name("xl/worksheets/sheet1.xml").unwrap();
        let declared = f.size();
        let mut n = 0u64;
        let mut buf = vec![0; 1 << 16];
        let mut tail = Vec::new();
        loop {
            match f.read(&mut buf) {
                Ok(0) => break,
                Ok(k) => {
                    n += k as u64;
                    tail.extend_from_slice(&buf[..k]);
                    tail.drain(..tail.len().saturating_sub(100));
                }
                // The CRC is left 0: the zip crate says so at the very end.
                Err(_) => break,
            }
        }
        assert!(n >= 8 << 20 && n + 64 * 1024 >= declared, "{n} of {declared}");
        assert!(String::from_utf8_lossy(&tail).ends_with("</sheetData></worksheet>"));
    }
}
