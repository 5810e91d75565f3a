//! The `lantu` binary end to end: `lantu extract` on the bundled plan in
//! every output form, scoring against the bundled gold (the bars of issue 2),
//! the errors a user sees, and `lantu demo`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const PLAN: &str = "data/plans/jinnan-14th-five-year-plan.txt";
const GOLD: &str = "data/gold/jinnan-14th-five-year-plan.gold.json";

/// The workspace root: relative paths in the commands are taken from there.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn lantu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lantu"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the lantu binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs `lantu` and expects success.
fn lantu_ok(args: &[&str]) -> String {
    let o = lantu(args);
    assert!(
        o.status.success(),
        "lantu {args:?} failed ({}):\n{}",
        o.status,
        stderr(&o)
    );
    stdout(&o)
}

fn extract_json(path: &str) -> Value {
    let out = lantu_ok(&["extract", path, "--format", "json"]);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}):\n{out}"))
}

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("lantu-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn file(&self, name: &str, bytes: &[u8]) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, bytes).unwrap();
        path.to_str().unwrap().to_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn plan_text() -> String {
    std::fs::read_to_string(root().join(PLAN)).unwrap()
}

#[test]
fn extract_json_has_the_schema_and_every_quote_comes_from_the_plan() {
    let text = plan_text();
    let chars: Vec<char> = text.chars().collect();
    let v = extract_json(PLAN);
    for key in ["outline", "targets", "baselines", "projects"] {
        assert!(v[key].is_array(), "key {key} missing or not an array");
    }
    let targets = v["targets"].as_array().unwrap();
    assert!(targets.len() >= 60, "only {} targets", targets.len());
    assert!(!v["outline"].as_array().unwrap().is_empty());
    assert!(!v["baselines"].as_array().unwrap().is_empty());

    let mut problems = Vec::new();
    for kind in ["targets", "baselines", "projects"] {
        for r in v[kind].as_array().unwrap() {
            let id = r["id"].as_str().unwrap_or("?");
            let quote = r["quote"].as_str().expect("quote is a string");
            if !text.contains(quote) {
                problems.push(format!("{kind} {id}: quote not in the plan: {quote:?}"));
            }
            let span = r["span"].as_array().expect("span is an array");
            let (s, e) = (span[0].as_u64().unwrap() as usize, span[1].as_u64().unwrap() as usize);
            if s > e || e > chars.len() {
                problems.push(format!(
                    "{kind} {id}: span [{s}, {e}) outside the plan's {} chars",
                    chars.len()
                ));
                continue;
            }
            let selected: String = chars[s..e].iter().collect();
            if !(selected.contains(quote) || selected.trim() == quote.trim()) {
                problems.push(format!(
                    "{kind} {id}: span [{s}, {e}) selects {selected:?}, not the quote {quote:?}"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // Targets carry the fields of the gold schema plus span, node, measure.
    for t in targets {
        for key in [
            "id",
            "indicator",
            "comparator",
            "value",
            "unit",
            "year",
            "quote",
            "kind",
            "measure",
            "span",
            "node",
        ] {
            assert!(t.get(key).is_some(), "target without {key}: {t}");
        }
    }
}

#[test]
fn extract_table_prints_a_header_and_one_line_per_target() {
    let n = extract_json(PLAN)["targets"].as_array().unwrap().len();
    let out = lantu_ok(&["extract", PLAN, "--format", "table"]);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].contains("indicator") && lines[0].contains("quote"),
        "header: {}",
        lines[0]
    );
    assert!(lines[1].starts_with('-'), "rule under the header: {}", lines[1]);
    assert_eq!(
        lines.len(),
        2 + n,
        "expected a header, a rule and {n} target lines:\n{out}"
    );
    assert!(lines[2].starts_with("t"), "first target line: {}", lines[2]);
}

#[test]
fn score_json_meets_the_bars_of_issue_2() {
    let out = lantu_ok(&["extract", PLAN, "--score", GOLD, "--format", "json"]);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}):\n{out}"));
    let f1 = |k: &str| v[k]["f1"].as_f64().unwrap_or_else(|| panic!("no {k}.f1 in {v}"));
    let (t, b, l) = (f1("targets"), f1("baselines"), f1("links"));
    eprintln!("targets F1 {t:.3}, baselines F1 {b:.3}, links F1 {l:.3}");
    assert!(t >= 0.95, "targets F1 {t:.3} < 0.95");
    assert!(b >= 0.90, "baselines F1 {b:.3} < 0.90");
    assert!(l >= 0.80, "links F1 {l:.3} < 0.80");
}

#[test]
fn score_as_text_prints_precision_recall_and_f1() {
    let out = lantu_ok(&["extract", PLAN, "--score", GOLD, "--format", "table"]);
    for what in ["targets", "baselines", "links"] {
        let line = out
            .lines()
            .find(|l| l.starts_with(what))
            .unwrap_or_else(|| panic!("no {what} line in:\n{out}"));
        for field in ["P ", "R ", "F1 "] {
            assert!(line.contains(field), "{what} line without {field:?}: {line}");
        }
    }
}

#[test]
fn a_missing_file_is_an_error_naming_the_path() {
    let o = lantu(&["extract", "no/such/plan-文件.txt"]);
    assert!(!o.status.success());
    assert!(o.stdout.is_empty(), "nothing on stdout: {}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains("no/such/plan-文件.txt"),
        "stderr does not name the path: {err}"
    );

    let o = lantu(&["extract", PLAN, "--score", "no/such/gold.json"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("no/such/gold.json"), "{}", stderr(&o));
}

/// `lantu report`: a mistyped kind or format is refused before anything is
/// opened, with the choices listed (issue 9: no silent fallback).
#[test]
fn a_mistyped_report_kind_or_format_lists_the_choices() {
    let db = "sqlite:///nonexistent-dir-for-lantu/never.db";
    let o = lantu(&[
        "--db", db, "report", "anual", "--plan", "1", "--year", "2023", "--format", "xlsx", "-o", "x.xlsx",
    ]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("anual") && err.contains("annual, midterm, final"), "{err}");
    let o = lantu(&[
        "--db", db, "report", "final", "--plan", "1", "--year", "2023", "--format", "word", "-o", "x.docx",
    ]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("word") && err.contains("docx, xlsx, html, pdf"), "{err}");
}

/// A one-page PDF whose content stream draws a rectangle and no text, like a
/// scanned page (whose image carries the words).
fn pdf_without_text() -> Vec<u8> {
    let content = b"q 0 0 1 rg 72 72 200 200 re f Q";
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>".to_vec(),
        [
            format!("<< /Length {} >>\nstream\n", content.len()).into_bytes(),
            content.to_vec(),
            b"\nendstream".to_vec(),
        ]
        .concat(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        pdf.extend_from_slice(o);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

#[test]
fn a_pdf_without_text_says_it_has_no_text_layer() {
    let dir = TempDir::new("scan");
    let path = dir.file("scanned.pdf", &pdf_without_text());
    let o = lantu(&["extract", &path]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("no text layer"), "stderr: {err}");
    assert!(err.contains("scanned.pdf"), "stderr does not name the file: {err}");
}

/// CRC-32 (IEEE), bit by bit: slow but short, and the bomb is only a few MB.
fn crc32(crc: u32, bytes: &[u8]) -> u32 {
    let mut c = !crc;
    for &b in bytes {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 != 0 { (c >> 1) ^ 0xEDB8_8320 } else { c >> 1 };
        }
    }
    !c
}

/// Writes DEFLATE bits, least significant first.
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn put(&mut self, value: u64, bits: u32) {
        self.acc |= value << self.n;
        self.n += bits;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    fn align(&mut self) {
        if self.n > 0 {
            self.put(0, 8 - self.n);
        }
    }

    /// A stored block (the caller has written its 3 header bits).
    fn stored(&mut self, data: &[u8]) {
        self.align();
        let len = data.len() as u16;
        self.out.extend_from_slice(&len.to_le_bytes());
        self.out.extend_from_slice(&(!len).to_le_bytes());
        self.out.extend_from_slice(data);
    }
}

/// A `.docx` whose `word/document.xml` is `copies` × 3 copies of one
/// 86-byte paragraph, deflated by hand at ≈300:1 (a real zip bomb, built
/// without a compressor: a debug-built deflater is slow).
///
/// The stream: a stored block with the XML head and one paragraph; a
/// dynamic-Huffman block in which every symbol is one bit, repeating
/// "copy 258 bytes from 86 back" (7 bits for 258 bytes); a stored block
/// with the XML tail.
fn zip_bomb_docx(copies: usize) -> Vec<u8> {
    let head = b"<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>";
    let tail = b"</w:body></w:document>";
    let para = b"<w:p><w:r><w:t>00000000000000000000000000000000000000000000000000000</w:t></w:r></w:p>";
    assert_eq!(para.len(), 86);

    let mut bits = Bits {
        out: Vec::new(),
        acc: 0,
        n: 0,
    };
    // Block 1: stored, not final.
    bits.put(0b000, 3);
    bits.stored(&[&head[..], &para[..]].concat());
    // Block 2: dynamic Huffman, not final.
    bits.put(0, 1);
    bits.put(0b10, 2);
    bits.put(286 - 257, 5); // HLIT: literal/length codes 0..=285
    bits.put(13 - 1, 5); // HDIST: distance codes 0..=12
    bits.put(18 - 4, 4); // HCLEN: code-length codes up to symbol 1 in the order
                         // Code-length code lengths in the order 16 17 18 0 8 7 9 6 10 5 11 4 12 3 13 2 14 1:
                         // symbols 1 and 18 get one bit each (1 → code 0, 18 → code 1).
    for sym in [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1] {
        bits.put(if sym == 18 || sym == 1 { 1 } else { 0 }, 3);
    }
    let zeros = |bits: &mut Bits, n: u64| {
        bits.put(1, 1); // symbol 18: a run of 11..=138 zeros
        bits.put(n - 11, 7);
    };
    let one = |bits: &mut Bits| bits.put(0, 1); // symbol 1: length 1
    zeros(&mut bits, 138); // literals 0..=137
    zeros(&mut bits, 118); // literals 138..=255
    one(&mut bits); // 256: end of block
    zeros(&mut bits, 28); // 257..=284
    one(&mut bits); // 285: length 258
    one(&mut bits); // distance code 0
    zeros(&mut bits, 11); // distance codes 1..=11
    one(&mut bits); // distance code 12: 65..=96, 5 extra bits
                    // Codes: 256 → 0, 285 → 1; distance 0 → 0, 12 → 1.
    for _ in 0..copies {
        bits.put(1, 1); // length 258
        bits.put(1, 1); // distance code 12
        bits.put(86 - 65, 5); // distance 86
    }
    bits.put(0, 1); // end of block
                    // Block 3: stored, final.
    bits.put(0b001, 3);
    bits.stored(tail);
    let deflated = bits.out;

    let mut crc = crc32(0, head);
    crc = crc32(crc, para);
    let chunk = para.repeat(3);
    for _ in 0..copies {
        crc = crc32(crc, &chunk);
    }
    crc = crc32(crc, tail);
    let size = (head.len() + para.len() * (1 + 3 * copies) + tail.len()) as u32;

    let name = b"word/document.xml";
    let mut zip = Vec::new();
    let local = |zip: &mut Vec<u8>| {
        zip.extend_from_slice(&[20, 0, 0, 0, 8, 0, 0, 0, 0x21, 0]); // version, flags, deflate, time, date
        zip.extend_from_slice(&crc.to_le_bytes());
        zip.extend_from_slice(&(deflated.len() as u32).to_le_bytes());
        zip.extend_from_slice(&size.to_le_bytes());
        zip.extend_from_slice(&(name.len() as u16).to_le_bytes());
        zip.extend_from_slice(&[0, 0]); // extra field length
    };
    zip.extend_from_slice(b"PK\x03\x04");
    local(&mut zip);
    zip.extend_from_slice(name);
    zip.extend_from_slice(&deflated);
    let central = zip.len() as u32;
    zip.extend_from_slice(b"PK\x01\x02");
    zip.extend_from_slice(&[20, 0]); // made by
    local(&mut zip);
    zip.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
    zip.extend_from_slice(&[0; 4]); // external attributes
    zip.extend_from_slice(&0u32.to_le_bytes()); // offset of the local header
    zip.extend_from_slice(name);
    let central_len = zip.len() as u32 - central;
    zip.extend_from_slice(b"PK\x05\x06");
    zip.extend_from_slice(&[0, 0, 0, 0, 1, 0, 1, 0]);
    zip.extend_from_slice(&central_len.to_le_bytes());
    zip.extend_from_slice(&central.to_le_bytes());
    zip.extend_from_slice(&[0, 0]);
    zip
}

#[test]
fn a_zip_bomb_posing_as_docx_is_refused() {
    // 10 000 × 258 bytes ≈ 2.6 MB of XML in ≈ 9 KB.
    let bytes = zip_bomb_docx(10_000);
    assert!(bytes.len() < 10_000, "the bomb is small: {} bytes", bytes.len());
    let dir = TempDir::new("bomb");
    let path = dir.file("plan.docx", &bytes);
    let o = lantu(&["extract", &path]);
    assert!(!o.status.success(), "a zip bomb was read:\n{}", stdout(&o));
    let err = stderr(&o);
    assert!(err.contains("plan.docx"), "stderr does not name the file: {err}");
    assert!(err.contains("zip bomb"), "stderr does not say why: {err}");
}

#[test]
fn gb18030_plan_gives_the_same_targets_as_utf8() {
    let text = plan_text();
    let (gb, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&gb).is_err(), "the GB18030 bytes are not UTF-8");
    let dir = TempDir::new("gb18030");
    let path = dir.file("plan-gb18030.txt", &gb);
    let utf8 = extract_json(PLAN);
    let gb = extract_json(&path);
    let count = |v: &Value, k: &str| v[k].as_array().unwrap().len();
    assert_eq!(count(&gb, "targets"), count(&utf8, "targets"));
    assert_eq!(count(&gb, "baselines"), count(&utf8, "baselines"));
    assert_eq!(gb["targets"], utf8["targets"], "same targets, field for field");
}

#[test]
fn demo_runs_and_prints_the_score() {
    // The demo also stores the plan: give it a database of its own.
    let dir = TempDir::new("demo");
    let db = format!("sqlite://{}", dir.0.join("demo.db").display());
    let o = Command::new(env!("CARGO_BIN_EXE_lantu"))
        .args(["demo", "--no-serve", "--db", &db])
        .env_remove("LANTU_DATABASE_URL")
        .current_dir(&dir.0)
        .output()
        .expect("the lantu binary runs");
    assert!(o.status.success(), "lantu demo failed ({}):\n{}", o.status, stderr(&o));
    let out = stdout(&o);
    for what in ["targets", "baselines", "links"] {
        let f1 = format!("{what} F1 ");
        assert!(
            out.contains(&f1) || out.lines().any(|l| l.starts_with(what) && l.contains("F1 ")),
            "no {what} F1 in the demo output:\n{out}"
        );
    }
}
