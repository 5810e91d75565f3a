//! The CJK fonts the PDF embeds and the chart images are drawn with, found
//! at run time: first in `LANTU_FONT_DIR`, then in the standard places of
//! Debian (`fonts-noto-cjk`, `fonts-wqy-zenhei`), Fedora, Arch and macOS.
//! Nothing is downloaded. A sans face (黑体-like, headings and charts) is
//! required; a serif face (宋体-like, body text) is used when present.
//!
//! Fonts are read once per process and kept (a few tens of MB), keyed by
//! the files found, so a change of `LANTU_FONT_DIR` takes effect.

use crate::ReportError;
use resvg::usvg::fontdb;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// The Debian package to install when no font is found.
pub const PACKAGE: &str = "fonts-noto-cjk";

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
    pub path: PathBuf,
    pub data: Arc<Vec<u8>>,
}

/// The fonts of a report.
pub struct FontSet {
    pub files: Vec<FontFile>,
    /// Family for headings and charts (`Noto Sans CJK SC`).
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

/// The font files that would be used: sans, then sans bold and serif where
/// found. (Bold text is always set in the sans face, so no serif bold is read.)
pub fn locate() -> Result<Vec<PathBuf>, ReportError> {
    locate_in(&search_dirs())
}

/// [`locate`] in the given folders only.
pub fn locate_in(dirs: &[PathBuf]) -> Result<Vec<PathBuf>, ReportError> {
    let Some(sans) = find(dirs, SANS) else {
        return Err(ReportError::FontMissing {
            searched: dirs
                .iter()
                .map(|d| d.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            package: PACKAGE,
        });
    };
    let mut out = vec![sans];
    for names in [SANS_BOLD, SERIF] {
        if let Some(p) = find(dirs, names) {
            out.push(p);
        }
    }
    Ok(out)
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
    let files: Vec<FontFile> = paths.iter().map(|p| read(p)).collect::<Result<_, _>>()?;
    let name_of = |f: &FontFile| {
        let names = families(&f.data);
        pick_family(&names)
    };
    let sans_family = name_of(&files[0]).unwrap_or_else(|| "Noto Sans CJK SC".into());
    let serif = files.iter().find(|f| {
        f.path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| SERIF.contains(&n))
    });
    let serif_family = serif.and_then(name_of).unwrap_or_else(|| sans_family.clone());
    Ok(FontSet {
        files,
        sans_family,
        serif_family,
        fontdb: OnceLock::new(),
        #[cfg(feature = "pdf")]
        typst: OnceLock::new(),
    })
}

/// The fonts, read once per set of files.
pub fn fonts() -> Result<Arc<FontSet>, ReportError> {
    static CACHE: Mutex<Option<(Vec<PathBuf>, Arc<FontSet>)>> = Mutex::new(None);
    let paths = locate()?;
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
    fn a_missing_font_names_the_package_to_install() {
        let empty = std::env::temp_dir().join(format!("lantu-no-fonts-{}", std::process::id()));
        std::fs::create_dir_all(&empty).unwrap();
        let err = locate_in(std::slice::from_ref(&empty)).unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, ReportError::FontMissing { .. }));
        assert!(
            msg.contains("fonts-noto-cjk") && msg.contains("LANTU_FONT_DIR"),
            "{msg}"
        );
        assert!(msg.contains(&empty.display().to_string()), "{msg}");
        let _ = std::fs::remove_dir(&empty);
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
