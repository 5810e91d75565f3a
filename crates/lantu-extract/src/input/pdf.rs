//! PDF text layer to text, with `lopdf` parsing the file and a small text
//! walker here: it follows the text and graphics matrices to put line breaks
//! where lines change and spaces or tabs where text jumps ahead, decodes
//! characters through the fonts' `/ToUnicode` maps (how most Chinese
//! government PDFs carry their text), the predefined GB and UCS-2 CMaps, and
//! simple font encodings.
//!
//! Memory stays bounded: every stream is decompressed under a limit, form
//! XObjects are followed to a bounded depth and count, and the text built is
//! capped at [`MAX_TEXT_BYTES`](super::MAX_TEXT_BYTES).

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::{Dictionary, Document, Encoding, LoadOptions, Object, ObjectId};

use super::text::normalize_text;
use super::{is_cjk, tidy_lines, InputError, MAX_TEXT_BYTES, NO_PATH};

/// Largest size one stream (or one page's content) may decompress to.
const MAX_STREAM: usize = 64 * 1024 * 1024;
/// Largest `/ToUnicode` stream, and most entries kept from one.
const MAX_CMAP_STREAM: usize = 4 * 1024 * 1024;
const MAX_CMAP_ENTRIES: usize = 200_000;
/// Form XObjects: nesting depth, and how many a page may draw.
const MAX_FORM_DEPTH: usize = 8;
const MAX_FORMS_PER_PAGE: usize = 2_000;
/// Deepest graphics-state stack kept (`q` beyond it is counted, not stored).
const MAX_Q_DEPTH: usize = 256;

fn pdf_err(reason: impl Into<String>) -> InputError {
    InputError::Pdf {
        origin: NO_PATH.into(),
        reason: reason.into(),
    }
}

/// Extracts the text layer of a PDF.
pub(super) fn decode_pdf(bytes: &[u8]) -> Result<String, InputError> {
    let options = LoadOptions {
        max_decompressed_size: Some(MAX_STREAM),
        ..LoadOptions::default()
    };
    let doc = Document::load_mem_with_options(bytes, options).map_err(|e| match e {
        lopdf::Error::InvalidPassword | lopdf::Error::Decryption(_) => password_protected(),
        e => pdf_err(format!("it is not a readable PDF ({e})")),
    })?;
    if doc.is_encrypted() && doc.encryption_state.is_none() {
        return Err(password_protected());
    }
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(pdf_err("it has no pages"));
    }
    let mut walker = Walker::new(&doc);
    let mut unreadable_pages = Vec::new();
    for (&number, &page_id) in &pages {
        match walker.page(page_id) {
            Ok(()) => {}
            Err(e) if is_limit(&e) => {
                return Err(pdf_err(format!(
                    "page {number} decompresses to more than 64 MiB (a decompression bomb?)"
                )))
            }
            // A damaged page loses its own text only.
            Err(e) => unreadable_pages.push(format!("page {number}: {e}")),
        }
        if walker.out.text.len() > MAX_TEXT_BYTES {
            return Err(pdf_err("its text is larger than 256 MiB"));
        }
    }
    let text = tidy_lines(&normalize_text(&walker.out.text));
    let readable = text.chars().any(|c| !c.is_whitespace() && c != '\u{FFFD}');
    if !readable && !unreadable_pages.is_empty() {
        return Err(pdf_err(format!(
            "no page could be read ({})",
            unreadable_pages.join("; ")
        )));
    }
    if !readable {
        let detail = if walker.undecodable > 0 {
            format!(
                ", or its fonts have no Unicode map ({} pieces of text could not be decoded)",
                walker.undecodable
            )
        } else {
            String::new()
        };
        return Err(InputError::NoTextLayer {
            origin: NO_PATH.into(),
            detail,
        });
    }
    Ok(text)
}

fn is_limit(e: &lopdf::Error) -> bool {
    matches!(
        e,
        lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. })
    )
}

fn password_protected() -> InputError {
    InputError::Unsupported {
        origin: NO_PATH.into(),
        what: "a password-protected PDF".into(),
        hint: "remove the password (open it and print it to a new PDF) or give the plan as \
               .txt/.docx"
            .into(),
    }
}

// ---------------------------------------------------------------------------
// Matrices: [a b c d e f] as in PDF, row vectors.

type Matrix = [f32; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn mul(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

fn translate(tx: f32, ty: f32, m: &Matrix) -> Matrix {
    mul(&[1.0, 0.0, 0.0, 1.0, tx, ty], m)
}

fn finite(m: Matrix) -> Matrix {
    if m.iter().all(|v| v.is_finite()) {
        m
    } else {
        IDENTITY
    }
}

// ---------------------------------------------------------------------------
// Fonts.

/// A parsed `/ToUnicode` CMap: code (with its length in bytes) to text.
#[derive(Default)]
struct ToUnicode {
    /// (length, low, high) of each code space range.
    spaces: Vec<(u8, u32, u32)>,
    map: HashMap<(u8, u32), String>,
}

impl ToUnicode {
    fn parse(data: &[u8]) -> ToUnicode {
        let tokens = cmap_tokens(data);
        let mut cmap = ToUnicode::default();
        let mut i = 0;
        let hex = |t: &CmapToken| match t {
            CmapToken::Hex(b) if !b.is_empty() && b.len() <= 4 => Some(b.clone()),
            _ => None,
        };
        let code = |b: &[u8]| b.iter().fold(0u32, |acc, &x| (acc << 8) | u32::from(x));
        while i < tokens.len() {
            match &tokens[i] {
                CmapToken::Word(w) if w == "begincodespacerange" => {
                    i += 1;
                    while i + 1 < tokens.len() {
                        let (Some(lo), Some(hi)) = (hex(&tokens[i]), hex(&tokens[i + 1])) else {
                            break;
                        };
                        cmap.spaces.push((lo.len() as u8, code(&lo), code(&hi)));
                        i += 2;
                    }
                }
                CmapToken::Word(w) if w == "beginbfchar" => {
                    i += 1;
                    while i + 1 < tokens.len() && cmap.map.len() < MAX_CMAP_ENTRIES {
                        let Some(src) = hex(&tokens[i]) else { break };
                        if let CmapToken::Hex(dst) = &tokens[i + 1] {
                            cmap.map.insert((src.len() as u8, code(&src)), utf16be(dst));
                        }
                        i += 2;
                    }
                }
                CmapToken::Word(w) if w == "beginbfrange" => {
                    i += 1;
                    while i + 2 < tokens.len() && cmap.map.len() < MAX_CMAP_ENTRIES {
                        let (Some(lo), Some(hi)) = (hex(&tokens[i]), hex(&tokens[i + 1])) else {
                            break;
                        };
                        let len = lo.len() as u8;
                        let (lo, hi) = (code(&lo), code(&hi));
                        // Ranges should stay within their last byte; cap them anyway.
                        let hi = hi.min(lo.saturating_add(0xFFFF));
                        match &tokens[i + 2] {
                            CmapToken::Hex(base) => {
                                let mut units: Vec<u16> = base
                                    .chunks(2)
                                    .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                                    .collect();
                                for c in lo..=hi {
                                    if cmap.map.len() >= MAX_CMAP_ENTRIES {
                                        break;
                                    }
                                    cmap.map.insert((len, c), String::from_utf16_lossy(&units));
                                    if let Some(last) = units.last_mut() {
                                        *last = last.wrapping_add(1);
                                    }
                                }
                            }
                            CmapToken::Array(items) => {
                                for (c, dst) in (lo..=hi).zip(items) {
                                    cmap.map.insert((len, c), utf16be(dst));
                                }
                            }
                            _ => {}
                        }
                        i += 3;
                    }
                }
                _ => i += 1,
            }
        }
        cmap
    }

    /// The length of the code starting `bytes`, from the code space ranges.
    fn code_len(&self, bytes: &[u8]) -> Option<usize> {
        for &(len, lo, hi) in &self.spaces {
            let len = usize::from(len);
            if let Some(b) = bytes.get(..len) {
                let c = b.iter().fold(0u32, |acc, &x| (acc << 8) | u32::from(x));
                if (lo..=hi).contains(&c) {
                    return Some(len);
                }
            }
        }
        None
    }
}

fn utf16be(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
        .collect();
    String::from_utf16_lossy(&units)
}

enum CmapToken {
    Hex(Vec<u8>),
    Word(String),
    Array(Vec<Vec<u8>>),
    Other,
}

/// Tokens of a CMap program: hex strings, words, arrays of hex strings.
fn cmap_tokens(data: &[u8]) -> Vec<CmapToken> {
    let mut tokens = Vec::new();
    let mut i = 0;
    let mut array: Option<Vec<Vec<u8>>> = None;
    while i < data.len() {
        let c = data[i];
        match c {
            b'%' => {
                while i < data.len() && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
            }
            b'<' if data.get(i + 1) == Some(&b'<') => i += 2,
            b'>' if data.get(i + 1) == Some(&b'>') => i += 2,
            b'<' => {
                let end = data[i + 1..]
                    .iter()
                    .position(|&b| b == b'>')
                    .map_or(data.len(), |p| i + 1 + p);
                let digits: Vec<u8> = data[i + 1..end]
                    .iter()
                    .filter_map(|&b| (b as char).to_digit(16).map(|d| d as u8))
                    .collect();
                let bytes: Vec<u8> = digits
                    .chunks(2)
                    .map(|p| (p[0] << 4) | p.get(1).copied().unwrap_or(0))
                    .collect();
                match &mut array {
                    Some(items) => items.push(bytes),
                    None => tokens.push(CmapToken::Hex(bytes)),
                }
                i = end + 1;
            }
            b'[' => {
                array = Some(Vec::new());
                i += 1;
            }
            b']' => {
                if let Some(items) = array.take() {
                    tokens.push(CmapToken::Array(items));
                }
                i += 1;
            }
            b'(' => {
                // Literal strings (e.g. in /CIDSystemInfo) are skipped.
                let mut depth = 0usize;
                while i < data.len() {
                    match data[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
                tokens.push(CmapToken::Other);
            }
            c if c.is_ascii_alphabetic() => {
                let start = i;
                while i < data.len() && data[i].is_ascii_alphanumeric() {
                    i += 1;
                }
                if array.is_none() {
                    tokens.push(CmapToken::Word(String::from_utf8_lossy(&data[start..i]).into_owned()));
                }
            }
            c if c.is_ascii_whitespace() => i += 1,
            _ => {
                i += 1;
                if array.is_none() {
                    tokens.push(CmapToken::Other);
                }
            }
        }
    }
    tokens
}

/// How a Type0 font's codes are written, from its `/Encoding` CMap name.
#[derive(Clone, Copy, PartialEq, Eq)]
enum CidEncoding {
    /// `Identity-H/V`: two-byte codes that are CIDs; text only via ToUnicode.
    Identity,
    /// GB2312/GBK/GB18030 byte codes (`GBK-EUC-H`, `GB-EUC-H`, …).
    Gb,
    /// UCS-2/UTF-16BE codes (`UniGB-UCS2-H`, `UniGB-UTF16-H`, …).
    Utf16,
    /// Another predefined CMap: two-byte codes, text only via ToUnicode.
    Other,
}

/// Glyph widths in thousandths of an em.
enum Widths {
    Simple {
        first: i64,
        widths: Vec<f32>,
    },
    /// Sorted (first CID, last CID, width) ranges and the default width.
    Cid {
        ranges: Vec<(u32, u32, f32)>,
        default: f32,
    },
    Unknown,
}

/// What the walker needs to know of a font.
struct Font<'a> {
    to_unicode: Option<ToUnicode>,
    /// The encoding of a simple (one-byte) font, when it has one lopdf knows.
    simple: Option<Encoding<'a>>,
    /// `Some` for Type0 (composite) fonts.
    cid: Option<CidEncoding>,
    widths: Widths,
    /// Glyph space to text space (1/1000, or a Type3 font's matrix).
    scale: f32,
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map_or(o, |(_, o)| o)
}

fn number(doc: &Document, o: &Object) -> Option<f32> {
    deref(doc, o).as_float().ok().filter(|v| v.is_finite())
}

impl<'a> Font<'a> {
    fn new(doc: &'a Document, dict: &'a Dictionary) -> Font<'a> {
        let name = |key: &[u8]| -> Option<&'a [u8]> {
            dict.get(key).ok().map(|o| deref(doc, o)).and_then(|o| o.as_name().ok())
        };
        let subtype = name(b"Subtype");
        let to_unicode = dict
            .get(b"ToUnicode")
            .ok()
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_stream().ok())
            .and_then(|s| s.get_plain_content_with_limit(MAX_CMAP_STREAM).ok())
            .map(|data| ToUnicode::parse(&data))
            .filter(|t| !t.map.is_empty());
        if matches!(subtype, Some(b"Type0")) {
            let cid = match name(b"Encoding") {
                Some(b"Identity-H" | b"Identity-V") => CidEncoding::Identity,
                Some(n) if n.starts_with(b"GB") => CidEncoding::Gb,
                Some(n)
                    if n.starts_with(b"Uni")
                        && (n.windows(4).any(|w| w == b"UCS2") || n.windows(5).any(|w| w == b"UTF16")) =>
                {
                    CidEncoding::Utf16
                }
                _ => CidEncoding::Other,
            };
            let widths = if cid == CidEncoding::Identity {
                cid_widths(doc, dict)
            } else {
                Widths::Unknown
            };
            return Font {
                to_unicode,
                simple: None,
                cid: Some(cid),
                widths,
                scale: 0.001,
            };
        }
        let simple = dict
            .get_font_encoding_with_limit(doc, MAX_CMAP_STREAM)
            .ok()
            .filter(|e| !matches!(e, Encoding::SimpleEncoding(_)));
        let scale = if matches!(subtype, Some(b"Type3")) {
            dict.get(b"FontMatrix")
                .ok()
                .map(|o| deref(doc, o))
                .and_then(|o| o.as_array().ok())
                .and_then(|a| a.first())
                .and_then(|o| number(doc, o))
                .unwrap_or(0.001)
        } else {
            0.001
        };
        let widths = match (
            dict.get(b"FirstChar").ok().and_then(|o| number(doc, o)),
            dict.get(b"Widths")
                .ok()
                .map(|o| deref(doc, o))
                .and_then(|o| o.as_array().ok()),
        ) {
            (Some(first), Some(w)) => Widths::Simple {
                first: first as i64,
                widths: w.iter().take(256).map(|o| number(doc, o).unwrap_or(0.0)).collect(),
            },
            _ => Widths::Unknown,
        };
        Font {
            to_unicode,
            simple,
            cid: None,
            widths,
            scale,
        }
    }

    /// Splits a shown string into codes: (code bytes, code value).
    fn next_code<'b>(&self, bytes: &'b [u8]) -> &'b [u8] {
        let len = match (&self.to_unicode, self.cid) {
            (Some(t), _) if !t.spaces.is_empty() => t.code_len(bytes),
            _ => None,
        }
        .unwrap_or(match self.cid {
            None => 1,
            Some(CidEncoding::Gb) => match bytes {
                [b0, b1, ..] if *b0 >= 0x81 && (0x30..=0x39).contains(b1) => 4,
                [b0, ..] if *b0 >= 0x81 => 2,
                _ => 1,
            },
            Some(_) => 2,
        });
        &bytes[..len.min(bytes.len()).max(1)]
    }

    /// The text of one code, if the font tells.
    fn text(&self, code: &[u8]) -> Option<String> {
        let value = code.iter().fold(0u32, |acc, &x| (acc << 8) | u32::from(x));
        if let Some(t) = &self.to_unicode {
            if let Some(s) = t.map.get(&(code.len() as u8, value)) {
                return Some(s.clone());
            }
        }
        match self.cid {
            Some(CidEncoding::Gb) => encoding_rs::GB18030
                .decode_without_bom_handling_and_without_replacement(code)
                .map(|s| s.into_owned()),
            Some(CidEncoding::Utf16) => Some(utf16be(code)),
            Some(_) => None,
            None => match &self.simple {
                Some(enc) => Document::decode_text(enc, code).ok(),
                // No encoding lopdf can build (e.g. a font dictionary without
                // /Type): printable ASCII is the usual guess.
                None => match code {
                    [b @ 0x20..=0x7E] => Some(char::from(*b).to_string()),
                    _ => None,
                },
            },
        }
    }

    /// The width of one code in glyph units, if the font tells.
    fn width(&self, code: &[u8]) -> Option<f32> {
        let value = code.iter().fold(0u32, |acc, &x| (acc << 8) | u32::from(x));
        match &self.widths {
            Widths::Simple { first, widths } => {
                let i = i64::from(value) - first;
                usize::try_from(i)
                    .ok()
                    .and_then(|i| widths.get(i))
                    .copied()
                    .filter(|w| *w > 0.0)
            }
            Widths::Cid { ranges, default } => {
                let i = ranges.partition_point(|r| r.0 <= value);
                Some(match i.checked_sub(1).map(|i| ranges[i]) {
                    Some((_, last, w)) if value <= last => w,
                    _ => *default,
                })
            }
            Widths::Unknown => None,
        }
    }
}

/// The `/W` and `/DW` widths of a Type0 font's descendant.
fn cid_widths(doc: &Document, font: &Dictionary) -> Widths {
    let descendant = font
        .get(b"DescendantFonts")
        .ok()
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_array().ok())
        .and_then(|a| a.first())
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_dict().ok());
    let Some(descendant) = descendant else {
        return Widths::Unknown;
    };
    let default = descendant
        .get(b"DW")
        .ok()
        .and_then(|o| number(doc, o))
        .unwrap_or(1000.0);
    let mut ranges = Vec::new();
    if let Some(w) = descendant
        .get(b"W")
        .ok()
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_array().ok())
    {
        let mut i = 0;
        while i < w.len() && ranges.len() < MAX_CMAP_ENTRIES {
            let Some(first) = number(doc, &w[i]) else {
                break;
            };
            let first = first.max(0.0) as u32;
            match w.get(i + 1).map(|o| deref(doc, o)) {
                Some(Object::Array(list)) => {
                    for (k, o) in list.iter().enumerate().take(MAX_CMAP_ENTRIES) {
                        let cid = first.saturating_add(k as u32);
                        ranges.push((cid, cid, number(doc, o).unwrap_or(default)));
                    }
                    i += 2;
                }
                Some(o) => {
                    let (Some(last), Some(width)) = (number(doc, o), w.get(i + 2).and_then(|o| number(doc, o))) else {
                        break;
                    };
                    ranges.push((first, last.max(0.0) as u32, width));
                    i += 3;
                }
                None => break,
            }
        }
    }
    ranges.sort_by_key(|r| r.0);
    Widths::Cid { ranges, default }
}

/// A guess at a character's width in ems, for fonts without widths.
fn estimated_em(c: char) -> f32 {
    if is_cjk(c) {
        1.0
    } else if c == ' ' {
        0.25
    } else if c.is_ascii() {
        0.55
    } else {
        0.6
    }
}

// ---------------------------------------------------------------------------
// The text walker.

/// Text state kept in the graphics state (saved by `q`, restored by `Q`).
#[derive(Clone)]
struct GraphicsState {
    ctm: Matrix,
    font: Option<Vec<u8>>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    /// Horizontal scaling, as a fraction.
    scale: f32,
    leading: f32,
}

impl GraphicsState {
    fn new(ctm: Matrix) -> GraphicsState {
        GraphicsState {
            ctm,
            font: None,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            scale: 1.0,
            leading: 0.0,
        }
    }
}

/// Where the last piece of text ended, in device space.
#[derive(Clone, Copy)]
struct Pen {
    x: f32,
    y: f32,
    /// Unit vector of the text direction.
    dir: (f32, f32),
    /// Em sizes along and across the text direction.
    em_h: f32,
    em_v: f32,
}

#[derive(Default)]
struct Out {
    text: String,
}

impl Out {
    fn newline(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.truncate(self.text.trim_end_matches([' ', '\t']).len());
            self.text.push('\n');
        }
    }

    fn gap(&mut self, c: char) {
        if !self.text.is_empty() && !self.text.ends_with([' ', '\t', '\n']) {
            self.text.push(c);
        }
    }
}

/// Fonts and XObjects of the page or form being run.
struct Resources<'a> {
    fonts: HashMap<Vec<u8>, Rc<Font<'a>>>,
    xobjects: Vec<&'a Dictionary>,
}

struct Walker<'a> {
    doc: &'a Document,
    out: Out,
    /// Fonts already parsed, by the address of their dictionary.
    font_cache: HashMap<usize, Rc<Font<'a>>>,
    /// Pieces of text whose characters no font could decode.
    undecodable: usize,
    pen: Option<Pen>,
    /// Form XObjects run, and bytes of their content, on this page.
    forms_run: usize,
    form_bytes: usize,
}

impl<'a> Walker<'a> {
    fn new(doc: &'a Document) -> Walker<'a> {
        Walker {
            doc,
            out: Out::default(),
            font_cache: HashMap::new(),
            undecodable: 0,
            pen: None,
            forms_run: 0,
            form_bytes: 0,
        }
    }

    fn font(&mut self, dict: &'a Dictionary) -> Rc<Font<'a>> {
        let key = dict as *const Dictionary as usize;
        let doc = self.doc;
        self.font_cache
            .entry(key)
            .or_insert_with(|| Rc::new(Font::new(doc, dict)))
            .clone()
    }

    fn resources(&mut self, dicts: &[&'a Dictionary]) -> Resources<'a> {
        let doc = self.doc;
        let mut fonts = HashMap::new();
        let mut xobjects = Vec::new();
        for res in dicts {
            if let Some(font_dict) = res
                .get(b"Font")
                .ok()
                .map(|o| deref(doc, o))
                .and_then(|o| o.as_dict().ok())
            {
                for (name, value) in font_dict.iter() {
                    if fonts.contains_key(name) {
                        continue;
                    }
                    if let Ok(dict) = deref(doc, value).as_dict() {
                        let font = self.font(dict);
                        fonts.insert(name.clone(), font);
                    }
                }
            }
            if let Some(x) = res
                .get(b"XObject")
                .ok()
                .map(|o| deref(doc, o))
                .and_then(|o| o.as_dict().ok())
            {
                xobjects.push(x);
            }
        }
        Resources { fonts, xobjects }
    }

    fn page(&mut self, page_id: ObjectId) -> lopdf::Result<()> {
        let doc = self.doc;
        let (direct, ids) = doc.get_page_resources(page_id).unwrap_or((None, Vec::new()));
        let mut dicts: Vec<&Dictionary> = direct.into_iter().collect();
        dicts.extend(ids.iter().filter_map(|id| doc.get_dictionary(*id).ok()));
        let resources = self.resources(&dicts);
        let content = doc.get_page_content_with_limit(page_id, MAX_STREAM)?;
        self.forms_run = 0;
        self.pen = None;
        self.form_bytes = 0;
        let mut visiting = Vec::new();
        self.run(&content, &resources, GraphicsState::new(IDENTITY), 0, &mut visiting)?;
        self.out.newline();
        self.pen = None;
        Ok(())
    }

    /// Runs a content stream.
    fn run(
        &mut self,
        content: &[u8],
        res: &Resources<'a>,
        mut gs: GraphicsState,
        depth: usize,
        visiting: &mut Vec<ObjectId>,
    ) -> lopdf::Result<()> {
        let mut stack: Vec<GraphicsState> = Vec::new();
        let mut dropped_saves = 0usize;
        let mut tm = IDENTITY;
        let mut tlm = IDENTITY;
        for op in lopdf::content::Content::decode_iter(content) {
            // A syntax error ends the stream; the text before it is kept.
            let Ok(op) = op else { break };
            let nums: Vec<f32> = op
                .operands
                .iter()
                .map(|o| o.as_float().ok().filter(|v| v.is_finite()).unwrap_or(0.0))
                .collect();
            let num = |i: usize| nums.get(i).copied().unwrap_or(0.0);
            match op.operator.as_str() {
                "q" => {
                    if stack.len() < MAX_Q_DEPTH {
                        stack.push(gs.clone());
                    } else {
                        dropped_saves += 1;
                    }
                }
                "Q" => {
                    if dropped_saves > 0 {
                        dropped_saves -= 1;
                    } else if let Some(saved) = stack.pop() {
                        gs = saved;
                    }
                }
                "cm" if nums.len() == 6 => {
                    let m = [num(0), num(1), num(2), num(3), num(4), num(5)];
                    gs.ctm = finite(mul(&m, &gs.ctm));
                }
                "BT" => {
                    tm = IDENTITY;
                    tlm = IDENTITY;
                }
                "Tf" => {
                    gs.font = op.operands.first().and_then(|o| o.as_name().ok()).map(<[u8]>::to_vec);
                    gs.size = num(1);
                }
                "Tc" => gs.char_spacing = num(0),
                "Tw" => gs.word_spacing = num(0),
                "Tz" => gs.scale = num(0) / 100.0,
                "TL" => gs.leading = num(0),
                "Td" => {
                    tlm = finite(translate(num(0), num(1), &tlm));
                    tm = tlm;
                }
                "TD" => {
                    gs.leading = -num(1);
                    tlm = finite(translate(num(0), num(1), &tlm));
                    tm = tlm;
                }
                "Tm" if nums.len() == 6 => {
                    tlm = finite([num(0), num(1), num(2), num(3), num(4), num(5)]);
                    tm = tlm;
                }
                "T*" => {
                    tlm = finite(translate(0.0, -gs.leading, &tlm));
                    tm = tlm;
                }
                "Tj" => {
                    if let Some(Ok(s)) = op.operands.first().map(Object::as_str) {
                        self.show(s, &gs, &mut tm, res);
                    }
                }
                "'" | "\"" => {
                    if op.operator == "\"" {
                        gs.word_spacing = num(0);
                        gs.char_spacing = num(1);
                    }
                    tlm = finite(translate(0.0, -gs.leading, &tlm));
                    tm = tlm;
                    if let Some(Ok(s)) = op.operands.last().map(Object::as_str) {
                        self.show(s, &gs, &mut tm, res);
                    }
                }
                "TJ" => {
                    if let Some(Ok(items)) = op.operands.first().map(Object::as_array) {
                        for item in items {
                            match item {
                                Object::String(s, _) => self.show(s, &gs, &mut tm, res),
                                other => {
                                    let n = other.as_float().unwrap_or(0.0);
                                    let tx = -n / 1000.0 * gs.size * gs.scale;
                                    tm = finite(translate(tx, 0.0, &tm));
                                }
                            }
                        }
                    }
                }
                "Do" if depth < MAX_FORM_DEPTH => {
                    if let Some(name) = op.operands.first().and_then(|o| o.as_name().ok()) {
                        self.form(name, res, &gs, depth, visiting)?;
                    }
                }
                _ => {}
            }
            if self.out.text.len() > MAX_TEXT_BYTES {
                break;
            }
        }
        Ok(())
    }

    /// Runs the form XObject `name`, if it is one.
    fn form(
        &mut self,
        name: &[u8],
        res: &Resources<'a>,
        gs: &GraphicsState,
        depth: usize,
        visiting: &mut Vec<ObjectId>,
    ) -> lopdf::Result<()> {
        let doc = self.doc;
        let Some((id, stream)) = res.xobjects.iter().find_map(|x| {
            let o = x.get(name).ok()?;
            let (id, o) = doc.dereference(o).ok()?;
            Some((id, o.as_stream().ok()?))
        }) else {
            return Ok(());
        };
        let is_form = matches!(
            stream.dict.get(b"Subtype").ok().and_then(|o| o.as_name().ok()),
            Some(b"Form")
        );
        if !is_form || self.forms_run >= MAX_FORMS_PER_PAGE || self.form_bytes > MAX_STREAM {
            return Ok(());
        }
        if let Some(id) = id {
            if visiting.contains(&id) {
                return Ok(());
            }
            visiting.push(id);
        }
        self.forms_run += 1;
        let content = match stream.get_plain_content_with_limit(MAX_STREAM) {
            Ok(c) => c,
            Err(e) if is_limit(&e) => return Err(e),
            // An undecodable form is skipped.
            Err(_) => Vec::new(),
        };
        self.form_bytes += content.len();
        let matrix = stream
            .dict
            .get(b"Matrix")
            .ok()
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_array().ok())
            .filter(|a| a.len() == 6)
            .map(|a| {
                let v: Vec<f32> = a.iter().map(|o| number(doc, o).unwrap_or(0.0)).collect();
                [v[0], v[1], v[2], v[3], v[4], v[5]]
            })
            .unwrap_or(IDENTITY);
        let own = stream
            .dict
            .get(b"Resources")
            .ok()
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_dict().ok());
        // A form inherits the graphics state, text state included.
        let mut form_gs = gs.clone();
        form_gs.ctm = finite(mul(&matrix, &gs.ctm));
        let result = match own {
            Some(dict) => {
                let form_res = self.resources(&[dict]);
                self.run(&content, &form_res, form_gs, depth + 1, visiting)
            }
            None => self.run(&content, res, form_gs, depth + 1, visiting),
        };
        if id.is_some() {
            visiting.pop();
        }
        result
    }

    /// Shows a string: places it relative to the previous text, appends its
    /// characters, and moves the text matrix past it.
    fn show(&mut self, s: &[u8], gs: &GraphicsState, tm: &mut Matrix, res: &Resources<'a>) {
        let font = gs.font.as_ref().and_then(|name| res.fonts.get(name));
        let Some(font) = font.cloned() else {
            if !s.is_empty() {
                self.undecodable += 1;
            }
            return;
        };
        let trm = mul(tm, &gs.ctm);
        let len_h = (trm[0] * trm[0] + trm[1] * trm[1]).sqrt();
        let len_v = (trm[2] * trm[2] + trm[3] * trm[3]).sqrt();
        let em_h = (gs.size * gs.scale * len_h).abs();
        let em_v = (gs.size * len_v).abs();
        let dir = if len_h > 0.0 {
            (trm[0] / len_h, trm[1] / len_h)
        } else {
            (1.0, 0.0)
        };

        // Decode first: whether the text starts with a CJK character decides
        // how large a jump counts as a space.
        let mut text = String::new();
        let mut advance = 0.0f32;
        let mut failed = false;
        let mut rest = s;
        while !rest.is_empty() {
            let code = font.next_code(rest);
            rest = &rest[code.len()..];
            let decoded = font.text(code);
            let em = match font.width(code) {
                Some(w) => w * font.scale,
                None => decoded.as_deref().map_or(1.0, |t| t.chars().map(estimated_em).sum()),
            };
            advance += em * gs.size + gs.char_spacing;
            if code == b" " {
                advance += gs.word_spacing;
            }
            match decoded {
                Some(t) => text.extend(t.chars().filter(|c| *c != '\0')),
                None => failed = true,
            }
        }
        if failed {
            self.undecodable += 1;
        }
        let advance = advance * gs.scale;

        if let (Some(pen), Some(first)) = (self.pen, text.chars().next()) {
            let (dx, dy) = (trm[4] - pen.x, trm[5] - pen.y);
            let along = dx * pen.dir.0 + dy * pen.dir.1;
            let across = -dx * pen.dir.1 + dy * pen.dir.0;
            let line = pen.em_v.max(em_v).max(0.01);
            let em = pen.em_h.max(em_h).max(0.01);
            let before_cjk = self.out.text.chars().next_back().is_some_and(is_cjk);
            let threshold = if before_cjk && is_cjk(first) { 0.8 } else { 0.2 };
            if across.abs() > 0.6 * line {
                self.out.newline();
            } else if along > 3.0 * em {
                self.out.gap('\t');
            } else if along > threshold * em {
                self.out.gap(' ');
            }
        }
        self.out.text.push_str(&text);

        *tm = finite(translate(advance, 0.0, tm));
        if !text.is_empty() {
            let end = mul(tm, &gs.ctm);
            self.pen = Some(Pen {
                x: end[4],
                y: end[5],
                dir,
                em_h,
                em_v,
            });
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::{decode, Format, InputError};
    use super::*;

    /// A PDF file from the bodies of objects 1, 2, …, with a correct
    /// cross-reference table.
    pub(in super::super) fn build_pdf(objects: &[Vec<u8>]) -> Vec<u8> {
        let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
        for off in offsets {
            out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .as_bytes(),
        );
        out
    }

    fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
        let mut s = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
        s.extend_from_slice(data);
        s.extend_from_slice(b"\nendstream");
        s
    }

    /// One page whose font /F1 is `font` (object 4) plus `extra` objects from 6 on.
    fn one_page_pdf(font: &str, content: &[u8], extra: &[Vec<u8>]) -> Vec<u8> {
        let mut objects = vec![
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] \
               /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
                .to_vec(),
            font.as_bytes().to_vec(),
            stream("", content),
        ];
        objects.extend_from_slice(extra);
        build_pdf(&objects)
    }

    /// A one-page PDF in Helvetica showing `content`.
    pub(in super::super) fn simple_pdf(content: &str) -> Vec<u8> {
        one_page_pdf(
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            content.as_bytes(),
            &[],
        )
    }

    const CJK_TEXT: [&str; 3] = ["到2025年，森林覆盖率", "达到24.1%", "（二）主要目标"];

    /// CIDs for the test's characters: digits and punctuation through a
    /// bfrange, Chinese characters through bfchar entries.
    fn cid_of(c: char) -> u16 {
        let all: String = CJK_TEXT.concat();
        let mut chinese: Vec<char> = all.chars().filter(|c| !c.is_ascii()).collect();
        chinese.sort();
        chinese.dedup();
        if c.is_ascii() {
            0x0100 + (c as u16 - 0x20)
        } else {
            0x0010 + chinese.iter().position(|&x| x == c).unwrap() as u16
        }
    }

    fn hex(s: &str) -> String {
        let codes: String = s.chars().map(|c| format!("{:04X}", cid_of(c))).collect();
        format!("<{codes}>")
    }

    /// A PDF in a Type0 Identity-H font whose text is readable only through
    /// its /ToUnicode CMap, as government PDFs from Word or WPS are.
    pub(in super::super) fn cjk_pdf() -> Vec<u8> {
        let all: String = CJK_TEXT.concat();
        let mut chinese: Vec<char> = all.chars().filter(|c| !c.is_ascii()).collect();
        chinese.sort();
        chinese.dedup();
        let mut cmap = String::from(
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
             /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
             /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
             1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
        );
        cmap.push_str(&format!("{} beginbfchar\n", chinese.len()));
        for c in &chinese {
            cmap.push_str(&format!("<{:04X}> <{:04X}>\n", cid_of(*c), *c as u32));
        }
        cmap.push_str("endbfchar\n1 beginbfrange\n<0100> <015E> <0020>\nendbfrange\n");
        cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");

        // Line 1 is shown in three pieces and a second BT block that starts
        // where the first ended (12 + 4×6 + 7×12 = 120 points on): no space.
        // Line 2 moves down with Td and jumps 4 ems inside a TJ: a tab.
        let content = format!(
            "BT /F1 12 Tf 1 0 0 1 72 700 Tm {} Tj {} Tj {} Tj ET\n\
             BT /F1 12 Tf 1 0 0 1 192 700 Tm {} Tj ET\n\
             BT /F1 12 Tf 72 670 Td {} Tj 0 -20 Td [{} -4000 {}] TJ ET",
            hex("到"),
            hex("2025"),
            hex("年，森林覆盖率"),
            hex(CJK_TEXT[1]),
            hex(CJK_TEXT[2]),
            hex("2025"),
            hex("达到")
        );
        one_page_pdf(
            "<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H \
             /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
            content.as_bytes(),
            &[
                b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun \
                   /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
                   /DW 1000 /W [256 350 500] >>"
                    .to_vec(),
                stream("", cmap.as_bytes()),
            ],
        )
    }

    #[test]
    fn helvetica_text() {
        let pdf = simple_pdf("BT /F1 12 Tf 72 720 Td (2025 75%) Tj ET");
        assert_eq!(decode(&pdf, Format::Pdf).unwrap(), "2025 75%");
    }

    #[test]
    fn lines_and_word_gaps_in_a_simple_font() {
        let pdf = simple_pdf(
            "BT /F1 12 Tf 14 TL 72 720 Td (Line one) Tj T* (Line) Tj [(tw) -30 (o)] TJ \
             0 -14 Td [(gap) -600 (here)] TJ (\\(x\\)) ' ET",
        );
        assert_eq!(decode(&pdf, Format::Pdf).unwrap(), "Line one\nLinetwo\ngap here\n(x)");
    }

    #[test]
    fn cjk_text_through_to_unicode() {
        let text = decode(&cjk_pdf(), Format::Pdf).unwrap();
        assert_eq!(text, "到2025年，森林覆盖率达到24.1%\n（二）主要目标\n2025\t达到");
    }

    #[test]
    fn gbk_cmap_without_to_unicode() {
        let (gbk, _, _) = encoding_rs::GBK.encode("单位GDP能耗降低13.5%");
        let hex: String = gbk.iter().map(|b| format!("{b:02X}")).collect();
        let pdf = one_page_pdf(
            "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /GBK-EUC-H \
             /DescendantFonts [6 0 R] >>",
            format!("BT /F1 12 Tf 72 700 Td <{hex}> Tj ET").as_bytes(),
            &[b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light \
                 /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> >>"
                .to_vec()],
        );
        assert_eq!(decode(&pdf, Format::Pdf).unwrap(), "单位GDP能耗降低13.5%");
    }

    #[test]
    fn ucs2_cmap_without_to_unicode() {
        let hex: String = "十四五".encode_utf16().map(|u| format!("{u:04X}")).collect();
        let pdf = one_page_pdf(
            "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H \
             /DescendantFonts [6 0 R] >>",
            format!("BT /F1 12 Tf 72 700 Td <{hex}> Tj ET").as_bytes(),
            &[b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light >>".to_vec()],
        );
        assert_eq!(decode(&pdf, Format::Pdf).unwrap(), "十四五");
    }

    #[test]
    fn page_without_text_has_no_text_layer() {
        let pdf = simple_pdf("0 0 m 100 100 l S 10 10 50 50 re f");
        let e = decode(&pdf, Format::Pdf).unwrap_err();
        assert!(matches!(e, InputError::NoTextLayer { .. }), "{e}");
        let msg = e.to_string();
        assert!(msg.contains("no text layer (a scanned PDF?)"), "{msg}");
        assert!(msg.contains("run OCR first"), "{msg}");

        // Whitespace only is no text either.
        let pdf = simple_pdf("BT /F1 12 Tf 72 720 Td (   ) Tj ET");
        let e = decode(&pdf, Format::Pdf).unwrap_err();
        assert!(matches!(e, InputError::NoTextLayer { .. }), "{e}");
    }

    #[test]
    fn identity_font_without_to_unicode_is_reported() {
        let pdf = one_page_pdf(
            "<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H \
             /DescendantFonts [6 0 R] >>",
            b"BT /F1 12 Tf 72 700 Td <00100011> Tj ET",
            &[b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /X >>".to_vec()],
        );
        let e = decode(&pdf, Format::Pdf).unwrap_err();
        assert!(matches!(e, InputError::NoTextLayer { .. }), "{e}");
        assert!(e.to_string().contains("no Unicode map"), "{e}");
    }

    #[test]
    fn form_xobjects_are_followed() {
        let mut objects = vec![
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] \
               /Resources << /Font << /F1 4 0 R >> /XObject << /X1 6 0 R >> >> /Contents 5 0 R >>"
                .to_vec(),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
            stream(
                "",
                b"BT /F1 12 Tf 72 720 Td (before) Tj ET q /X1 Do Q q 1 0 0 1 0 -100 cm /X1 Do Q",
            ),
        ];
        // The form draws itself: the cycle must be cut.
        objects.push(stream(
            "/Type /XObject /Subtype /Form /BBox [0 0 612 792] \
             /Resources << /Font << /F1 4 0 R >> /XObject << /X1 6 0 R >> >>",
            b"BT /F1 12 Tf 72 600 Td (in form) Tj ET /X1 Do",
        ));
        let pdf = build_pdf(&objects);
        assert_eq!(decode(&pdf, Format::Pdf).unwrap(), "before\nin form\nin form");
    }

    #[test]
    fn compressed_content_written_by_lopdf() {
        use lopdf::dictionary;
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font_id = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        });
        let mut content = lopdf::Stream::new(
            dictionary! {},
            b"BT /F1 12 Tf 72 720 Td (Forest cover 24.1%) Tj ET".to_vec(),
        );
        content.compress().unwrap();
        let content_id = doc.add_object(content);
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
            }),
        );
        let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog_id);
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        assert_eq!(decode(&bytes, Format::Pdf).unwrap(), "Forest cover 24.1%");
    }

    #[test]
    fn random_and_broken_pdfs_are_errors_not_panics() {
        let mut rng = super::super::tests::XorShift(42);
        for n in [0usize, 10, 100, 4000] {
            let mut bytes = b"%PDF-1.7\n".to_vec();
            bytes.extend(rng.bytes(n));
            assert!(decode(&bytes, Format::Pdf).is_err());
        }
        let good = cjk_pdf();
        for cut in [20, good.len() / 3, good.len() / 2, good.len() - 30] {
            let _ = decode(&good[..cut], Format::Pdf);
        }
        let e = decode(&rng.bytes(3000), Format::Pdf).unwrap_err();
        assert!(matches!(e, InputError::Pdf { .. }), "{e}");
        // A catalog without pages.
        let pdf = build_pdf(&[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [] /Count 0 >>".to_vec(),
        ]);
        let e = decode(&pdf, Format::Pdf).unwrap_err();
        assert!(e.to_string().contains("no pages"), "{e}");
    }

    #[test]
    fn to_unicode_parsing() {
        let t = ToUnicode::parse(
            b"1 begincodespacerange <00> <FF> endcodespacerange\n\
              2 beginbfchar <01> <4E2D> <02> <D835DC00> endbfchar\n\
              2 beginbfrange <10> <12> <0041> <20> <21> [<0031> <00320033>] endbfrange",
        );
        let get = |c: u32| t.map.get(&(1, c)).cloned();
        assert_eq!(get(1).as_deref(), Some("中"));
        assert_eq!(get(2).as_deref(), Some("\u{1D400}"));
        assert_eq!(get(0x11).as_deref(), Some("B"));
        assert_eq!(get(0x21).as_deref(), Some("23"));
        assert_eq!(t.code_len(b"\x05\x06"), Some(1));
        // Garbage does not panic.
        let _ = ToUnicode::parse(b"beginbfrange <FFFFFFFF> <00> [ <");
        let _ = ToUnicode::parse(b"<<<>>>]][[ (((\\");
    }
}
