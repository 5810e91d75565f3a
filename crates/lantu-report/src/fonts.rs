//! The CJK fonts the PDF embeds and the chart images are drawn with.
//!
//! The binary carries its own: "Lantu Sans CJK" Regular and Bold, a subset
//! of Noto Sans CJK SC to GBK's characters and the punctuation of Chinese
//! reports, renamed as its SIL Open Font License asks (made by
//! `scripts/subset-font`; licence and notice in `assets/fonts/`). They are
//! stored zlib-compressed and inflated at first use, once per process.
//!
//! The system's CJK fonts are used first when present: `LANTU_FONT_DIR`,
//! then the standard places of Debian (`fonts-noto-cjk`, `fonts-wqy-zenhei`),
//! Fedora, Arch and macOS; a serif face (宋体-like, body text) is used when
//! found. The embedded font is always in the set, as the fallback for a
//! character the system's fonts lack; [`FontSource::EmbeddedOnly`] ignores
//! the system's fonts. Nothing is downloaded.
//!
//! Fonts are read once per process and kept (a few tens of MB), keyed by
//! the files found, so a change of `LANTU_FONT_DIR` takes effect.

use crate::ReportError;
use resvg::usvg::fontdb;
use std::collections::BTreeSet;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// The family name of the embedded font.
pub const EMBEDDED_FAMILY: &str = "Lantu Sans CJK";

/// The embedded faces: file name and zlib-compressed OpenType bytes.
const EMBEDDED: [(&str, &[u8]); 2] = [
    (
        "LantuSansCJK-Regular.otf",
        include_bytes!("../../../assets/fonts/LantuSansCJK-Regular.otf.zz"),
    ),
    (
        "LantuSansCJK-Bold.otf",
        include_bytes!("../../../assets/fonts/LantuSansCJK-Bold.otf.zz"),
    ),
];

/// Which fonts a report may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum FontSource {
    /// The system's CJK fonts where found, the embedded font as the
    /// fallback (and alone where none is found).
    #[default]
    SystemThenEmbedded,
    /// The embedded font only: the same output on every machine, and the
    /// tests' proof that the binary needs no system font.
    EmbeddedOnly,
}

/// Folders searched after `LANTU_FONT_DIR`.
const DIRS: &[&str] = &[
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/noto-cjk",
    "/usr/share/fonts/google-noto-cjk",
    "/usr/share/fonts/opentype/noto-cjk",
    "/usr/share/fonts/noto",
    "/usr/share/fonts/OTF",
    "/usr/share/fonts/adobe-source-han-sans",
    "/usr/share/fonts/adobe-source-han-serif",
    "/usr/share/fonts/truetype/wqy",
    "/usr/share/fonts/wqy-zenhei",
    "/usr/share/fonts/wenquanyi/wqy-zenhei",
    "/usr/local/share/fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
];

/// File names by role, best first.
const SANS: &[&str] = &[
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJKsc-Regular.otf",
    "NotoSansSC-Regular.otf",
    "SourceHanSansSC-Regular.otf",
    "SourceHanSans-Regular.ttc",
    "wqy-zenhei.ttc",
    "wqy-microhei.ttc",
    "PingFang.ttc",
];
const SANS_BOLD: &[&str] = &[
    "NotoSansCJK-Bold.ttc",
    "NotoSansCJKsc-Bold.otf",
    "NotoSansSC-Bold.otf",
    "SourceHanSansSC-Bold.otf",
    "SourceHanSans-Bold.ttc",
];
const SERIF: &[&str] = &[
    "NotoSerifCJK-Regular.ttc",
    "NotoSerifCJKsc-Regular.otf",
    "NotoSerifSC-Regular.otf",
    "SourceHanSerifSC-Regular.otf",
    "SourceHanSerif-Regular.ttc",
];

/// One font file, read into memory.
#[derive(Debug, Clone)]
pub struct FontFile {
    /// The file's path, or `embedded:<file name>` for the built-in font.
    pub path: PathBuf,
    pub data: Arc<Vec<u8>>,
}

/// The fonts of a report.
pub struct FontSet {
    pub files: Vec<FontFile>,
    /// Family for headings and charts (`Noto Sans CJK SC`, or the embedded
    /// [`EMBEDDED_FAMILY`] when the system has none).
    pub sans_family: String,
    /// Family for body text; the sans family when no serif face is found.
    pub serif_family: String,
    fontdb: OnceLock<Arc<fontdb::Database>>,
    #[cfg(feature = "pdf")]
    pub(crate) typst: OnceLock<crate::pdf::TypstFonts>,
}

impl std::fmt::Debug for FontSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FontSet")
            .field("files", &self.files.iter().map(|f| &f.path).collect::<Vec<_>>())
            .field("sans_family", &self.sans_family)
            .field("serif_family", &self.serif_family)
            .finish()
    }
}

impl FontSet {
    /// The fonts as a fontdb database (for the chart images).
    pub fn fontdb(&self) -> Arc<fontdb::Database> {
        self.fontdb
            .get_or_init(|| {
                let mut db = fontdb::Database::new();
                for f in &self.files {
                    let data: Arc<dyn AsRef<[u8]> + Send + Sync> = f.data.clone();
                    db.load_font_source(fontdb::Source::Binary(data));
                }
                db.set_sans_serif_family(self.sans_family.clone());
                db.set_serif_family(self.serif_family.clone());
                Arc::new(db)
            })
            .clone()
    }

    /// The sans family, then the embedded one, as a CSS font-family list
    /// (for the SVG charts).
    pub fn sans_stack(&self) -> String {
        if self.sans_family == EMBEDDED_FAMILY {
            format!("'{EMBEDDED_FAMILY}'")
        } else {
            format!("'{}', '{EMBEDDED_FAMILY}'", self.sans_family)
        }
    }

    /// The characters of `texts` that no font of the set has a glyph for
    /// (whitespace, controls and invisible format characters aside), in
    /// code point order.
    pub fn missing<'a>(&self, texts: impl IntoIterator<Item = &'a str>) -> Vec<char> {
        let wanted: BTreeSet<char> = texts.into_iter().flat_map(str::chars).filter(|&c| drawn(c)).collect();
        if wanted.is_empty() {
            return Vec::new();
        }
        let faces: Vec<ttf_parser::Face<'_>> = self
            .files
            .iter()
            .flat_map(|f| {
                let n = ttf_parser::fonts_in_collection(&f.data).unwrap_or(1);
                (0..n).filter_map(|i| ttf_parser::Face::parse(&f.data, i).ok())
            })
            .collect();
        wanted
            .into_iter()
            .filter(|&c| !faces.iter().any(|face| face.glyph_index(c).is_some()))
            .collect()
    }
}

/// Whether `c` is drawn with a glyph (not whitespace, a control, a joiner
/// or a variation selector).
fn drawn(c: char) -> bool {
    !(c.is_whitespace()
        || c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'))
}

fn search_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(d) = std::env::var_os("LANTU_FONT_DIR").filter(|d| !d.is_empty()) {
        dirs.push(PathBuf::from(d));
    }
    dirs.extend(DIRS.iter().map(PathBuf::from));
    dirs
}

fn find(dirs: &[PathBuf], names: &[&str]) -> Option<PathBuf> {
    for d in dirs {
        for n in names {
            let p = d.join(n);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// The system's font files that would be used: sans, then sans bold and
/// serif where found (bold text is always set in the sans face, so no
/// serif bold is read). Empty when the system has no CJK font.
pub fn locate() -> Vec<PathBuf> {
    locate_in(&search_dirs())
}

/// [`locate`] in the given folders only.
pub fn locate_in(dirs: &[PathBuf]) -> Vec<PathBuf> {
    let Some(sans) = find(dirs, SANS) else {
        return Vec::new();
    };
    let mut out = vec![sans];
    for names in [SANS_BOLD, SERIF] {
        if let Some(p) = find(dirs, names) {
            out.push(p);
        }
    }
    out
}

/// The embedded faces, inflated once per process.
fn embedded() -> Result<Vec<FontFile>, ReportError> {
    static FILES: OnceLock<Vec<FontFile>> = OnceLock::new();
    if let Some(files) = FILES.get() {
        return Ok(files.clone());
    }
    let mut files = Vec::with_capacity(EMBEDDED.len());
    for (name, packed) in EMBEDDED {
        let mut data = Vec::with_capacity(packed.len() * 5 / 4);
        flate2::read::ZlibDecoder::new(packed)
            .read_to_end(&mut data)
            .map_err(|source| ReportError::FontRead {
                path: format!("embedded:{name}"),
                source,
            })?;
        files.push(FontFile {
            path: PathBuf::from(format!("embedded:{name}")),
            data: Arc::new(data),
        });
    }
    Ok(FILES.get_or_init(|| files).clone())
}

fn read(path: &Path) -> Result<FontFile, ReportError> {
    let data = std::fs::read(path).map_err(|source| ReportError::FontRead {
        path: path.display().to_string(),
        source,
    })?;
    Ok(FontFile {
        path: path.to_path_buf(),
        data: Arc::new(data),
    })
}

/// Family names in a font file (every face of a collection), in
/// English where the file has an English name.
fn families(data: &Arc<Vec<u8>>) -> Vec<String> {
    let mut db = fontdb::Database::new();
    let source: Arc<dyn AsRef<[u8]> + Send + Sync> = data.clone();
    db.load_font_source(fontdb::Source::Binary(source));
    let mut out = Vec::new();
    for face in db.faces() {
        for (name, _) in &face.families {
            if !out.contains(name) {
                out.push(name.clone());
            }
        }
    }
    out
}

/// The best family for Simplified Chinese among `names`.
fn pick_family(names: &[String]) -> Option<String> {
    let prefs = [
        "Noto Sans CJK SC",
        "Noto Serif CJK SC",
        "Source Han Sans SC",
        "Source Han Serif SC",
    ];
    for p in prefs {
        if let Some(n) = names.iter().find(|n| n.as_str() == p) {
            return Some(n.clone());
        }
    }
    names
        .iter()
        .find(|n| n.ends_with(" SC"))
        .or_else(|| names.first())
        .cloned()
}

fn load(paths: &[PathBuf]) -> Result<FontSet, ReportError> {
    let mut files: Vec<FontFile> = paths.iter().map(|p| read(p)).collect::<Result<_, _>>()?;
    let name_of = |f: &FontFile| {
        let names = families(&f.data);
        pick_family(&names)
    };
    let sans_family = files
        .first()
        .and_then(name_of)
        .unwrap_or_else(|| EMBEDDED_FAMILY.into());
    let serif = files.iter().find(|f| {
        f.path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| SERIF.contains(&n))
    });
    let serif_family = serif.and_then(name_of).unwrap_or_else(|| sans_family.clone());
    files.extend(embedded()?);
    Ok(FontSet {
        files,
        sans_family,
        serif_family,
        fontdb: OnceLock::new(),
        #[cfg(feature = "pdf")]
        typst: OnceLock::new(),
    })
}

/// The fonts of `source`, read once per set of files.
pub fn fonts(source: FontSource) -> Result<Arc<FontSet>, ReportError> {
    static CACHE: Mutex<Option<(Vec<PathBuf>, Arc<FontSet>)>> = Mutex::new(None);
    static EMBEDDED_ONLY: OnceLock<Arc<FontSet>> = OnceLock::new();
    if source == FontSource::EmbeddedOnly {
        if let Some(set) = EMBEDDED_ONLY.get() {
            return Ok(set.clone());
        }
        let set = Arc::new(load(&[])?);
        return Ok(EMBEDDED_ONLY.get_or_init(|| set).clone());
    }
    let paths = locate();
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((key, set)) = cache.as_ref() {
        if *key == paths {
            return Ok(set.clone());
        }
    }
    let set = Arc::new(load(&paths)?);
    *cache = Some((paths, set.clone()));
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_system_fonts_the_embedded_font_is_used_and_covers_gbk() {
        let empty = std::env::temp_dir().join(format!("lantu-no-fonts-{}", std::process::id()));
        std::fs::create_dir_all(&empty).unwrap();
        assert!(locate_in(std::slice::from_ref(&empty)).is_empty());
        let _ = std::fs::remove_dir(&empty);

        let set = fonts(FontSource::EmbeddedOnly).unwrap();
        assert_eq!(set.sans_family, EMBEDDED_FAMILY);
        assert_eq!(set.serif_family, EMBEDDED_FAMILY);
        assert!(
            set.files
                .iter()
                .all(|f| f.path.to_string_lossy().starts_with("embedded:")),
            "{set:?}"
        );
        // Regular and Bold, both named Lantu Sans CJK, none a Reserved Font Name.
        let db = set.fontdb();
        let faces: Vec<_> = db.faces().collect();
        assert_eq!(faces.len(), 2);
        for face in &faces {
            assert!(
                face.families.iter().all(|(n, _)| n == EMBEDDED_FAMILY),
                "{:?}",
                face.families
            );
            assert!(!face.post_script_name.contains("Noto") && !face.post_script_name.contains("Source"));
        }
        let mut weights: Vec<u16> = faces.iter().map(|f| f.weight.0).collect();
        weights.sort();
        assert_eq!(weights, [400, 700]);

        // GBK beyond GB 2312 (place names), report punctuation, units, ASCII.
        let text = "甪直镇 浡泥 ①⑳〔〕［］【】《》“”‘’…—·℃‰≤≥㎡ m² 、。；：！？ AZaz09%";
        assert_eq!(set.missing([text]), Vec::<char>::new());
        // A character outside the subset is named.
        assert_eq!(set.missing(["好😀\u{200B}"]), vec!['😀']);
    }

    #[test]
    fn simplified_chinese_faces_are_preferred() {
        let names: Vec<String> = ["Noto Sans CJK JP", "Noto Sans CJK SC", "Noto Sans CJK TC"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(pick_family(&names).as_deref(), Some("Noto Sans CJK SC"));
        let wqy = vec!["WenQuanYi Zen Hei".to_string()];
        assert_eq!(pick_family(&wqy).as_deref(), Some("WenQuanYi Zen Hei"));
    }
}
