//! Evidence files (佐证材料): the kinds of file a figure, a task update or a
//! project's progress may carry, and the limits on them. The kind is always
//! the one found in the file's content (see `lantu_data::filetype`), never
//! the one its name or the uploader's browser claims.

use serde::{Deserialize, Serialize};

/// Largest evidence file, in bytes (under the server's 16 MiB request cap).
pub const MAX_EVIDENCE_BYTES: usize = 10 << 20;

/// Most files one figure (or task update, or project) may carry.
pub const MAX_EVIDENCE_FILES: usize = 10;

/// Longest file name kept, in characters.
pub const MAX_FILE_NAME: usize = 200;

/// A file kind accepted as evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Pdf,
    Png,
    Jpeg,
    Xlsx,
    Docx,
}

impl FileKind {
    pub const ALL: [FileKind; 5] = [
        FileKind::Pdf,
        FileKind::Png,
        FileKind::Jpeg,
        FileKind::Xlsx,
        FileKind::Docx,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Png => "png",
            FileKind::Jpeg => "jpeg",
            FileKind::Xlsx => "xlsx",
            FileKind::Docx => "docx",
        }
    }

    pub fn parse(s: &str) -> Option<FileKind> {
        FileKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The content type the file is served with.
    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }
    }
}

/// A file name as kept: the last path component, control characters and
/// quotes removed, at most [`MAX_FILE_NAME`] characters; `None` if nothing
/// is left.
pub fn clean_file_name(name: &str) -> Option<String> {
    let last = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let kept: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '\'' | ';'))
        .take(MAX_FILE_NAME)
        .collect();
    let kept = kept.trim().to_string();
    (!kept.is_empty() && kept != "." && kept != "..").then_some(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip() {
        for k in FileKind::ALL {
            assert_eq!(FileKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(FileKind::parse("exe"), None);
    }

    #[test]
    fn names_lose_paths_and_quotes() {
        assert_eq!(clean_file_name("C:\\a\\b\\报告.pdf").as_deref(), Some("报告.pdf"));
        assert_eq!(clean_file_name("../x\"y.pdf").as_deref(), Some("xy.pdf"));
        assert_eq!(clean_file_name("/"), None);
        assert_eq!(clean_file_name(".."), None);
    }
}
