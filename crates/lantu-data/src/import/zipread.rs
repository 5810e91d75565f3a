//! A zip archive read under limits: the parts of a workbook are
//! decompressed only up to a cap per part and in total, checked first from
//! the archive's directory and then again while inflating, because the
//! directory can lie.

use std::io::{self, Cursor, Read};

/// Most entries an archive may declare (a workbook has a few dozen).
pub(crate) const MAX_ENTRIES: u64 = 10_000;
/// Highest compression ratio accepted for a part larger than
/// [`RATIO_FLOOR`]: XML of real sheets compresses 5–50 times; a zip bomb
/// of blank cells about 1,000 times.
pub(crate) const MAX_RATIO: u64 = 100;
/// Below this decompressed size, a part is never a bomb.
pub(crate) const RATIO_FLOOR: u64 = 1024 * 1024;
/// Most bytes decompressed from all parts of one archive together.
pub(crate) const MAX_TOTAL: u64 = 320 * 1024 * 1024;

pub(crate) struct Archive<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    /// Bytes that may still be decompressed, over all parts.
    budget: u64,
}

/// Why a part cannot be read.
#[derive(Debug)]
pub(crate) enum PartError {
    /// Decompressing it would pass a limit (a zip bomb, or a form far too
    /// large): the message says which.
    TooLarge(String),
    /// The archive or the part is damaged.
    Damaged(String),
}

fn mib(n: u64) -> String {
    format!("{:.0} MiB", n as f64 / (1024.0 * 1024.0))
}

impl<'a> Archive<'a> {
    pub(crate) fn open(bytes: &'a [u8]) -> Result<Archive<'a>, PartError> {
        if let Some(n) = declared_entries(bytes)? {
            if n > MAX_ENTRIES {
                return Err(PartError::TooLarge(format!(
                    "the archive declares {n} entries, over the limit of {MAX_ENTRIES}"
                )));
            }
        }
        let zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| PartError::Damaged(e.to_string()))?;
        Ok(Archive { zip, budget: MAX_TOTAL })
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.zip.index_for_name(name).is_some()
    }

    /// Part `name` as a reader that fails once it has produced more than
    /// `cap` bytes (or more than the compression ratio or the archive's
    /// total allow); `None` when there is no such part. The declared sizes
    /// are checked before anything is inflated.
    pub(crate) fn open_part(&mut self, name: &str, cap: u64) -> Result<Option<Part<'_>>, PartError> {
        let Some(index) = self.zip.index_for_name(name) else {
            return Ok(None);
        };
        let file = self
            .zip
            .by_index(index)
            .map_err(|e| PartError::Damaged(format!("{name} cannot be opened: {e}")))?;
        let declared = file.size();
        let compressed = file.compressed_size();
        let ratio_cap = compressed.saturating_mul(MAX_RATIO).max(RATIO_FLOOR);
        let limit = cap.min(ratio_cap).min(self.budget);
        if declared > cap {
            return Err(PartError::TooLarge(format!(
                "{name} would decompress to {declared} bytes ({}), over the limit of {} for this part",
                mib(declared),
                mib(cap)
            )));
        }
        if declared > ratio_cap {
            return Err(PartError::TooLarge(format!(
                "{name} would decompress from {compressed} to {declared} bytes, a ratio over {MAX_RATIO}:1"
            )));
        }
        if declared > self.budget {
            return Err(PartError::TooLarge(format!(
                "the workbook's parts would decompress to more than {} in all",
                mib(MAX_TOTAL)
            )));
        }
        Ok(Some(Part {
            inner: Box::new(file),
            declared,
            name: name.to_string(),
            left: limit,
            read: 0,
            over: None,
            budget: &mut self.budget,
            why: if limit == cap {
                format!("over the limit of {} for this part", mib(cap))
            } else if limit == ratio_cap {
                format!("from {compressed} compressed bytes, a ratio over {MAX_RATIO}:1")
            } else {
                format!("past the limit of {} for the whole workbook", mib(MAX_TOTAL))
            },
        }))
    }

    /// Part `name` read whole, under `cap` (see [`Archive::open_part`]).
    pub(crate) fn read_part(&mut self, name: &str, cap: u64) -> Result<Option<Vec<u8>>, PartError> {
        let Some(mut part) = self.open_part(name, cap)? else {
            return Ok(None);
        };
        let mut out = Vec::new();
        match part.read_to_end(&mut out) {
            Ok(_) => Ok(Some(out)),
            Err(e) => Err(part.error(e)),
        }
    }
}

/// A part being decompressed, with its limits.
pub(crate) struct Part<'a> {
    inner: Box<dyn Read + 'a>,
    /// The size the directory declares (the zip reader refuses more).
    declared: u64,
    name: String,
    /// Bytes it may still produce.
    left: u64,
    read: u64,
    /// Set when the limit was passed: what to tell the user.
    over: Option<String>,
    budget: &'a mut u64,
    why: String,
}

impl Part<'_> {
    /// The error to report for an I/O error `e` met while reading.
    pub(crate) fn error(&self, e: io::Error) -> PartError {
        match &self.over {
            Some(msg) => PartError::TooLarge(msg.clone()),
            None => PartError::Damaged(format!("{} is damaged: {e}", self.name)),
        }
    }

    /// Whether the limit was passed (the reader then fails).
    pub(crate) fn over_limit(&self) -> Option<&str> {
        self.over.as_deref()
    }
}

impl Read for Part<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.over.is_some() {
            return Err(io::Error::other("over the limit"));
        }
        // Read one byte past the limit to tell "exactly at" from "over".
        let want = buf
            .len()
            .min(usize::try_from(self.left.saturating_add(1)).unwrap_or(usize::MAX));
        let n = match self.inner.read(&mut buf[..want]) {
            Ok(n) => n,
            Err(_) if self.read + want as u64 > self.declared => {
                self.over = Some(format!(
                    "{} decompresses to more than the {} bytes the archive's directory declares",
                    self.name, self.declared
                ));
                return Err(io::Error::other("over the declared size"));
            }
            Err(e) => return Err(e),
        };
        if n as u64 > self.left {
            self.over = Some(format!(
                "{} decompresses to more than {} bytes, {}",
                self.name,
                self.read + self.left,
                self.why
            ));
            return Err(io::Error::other("over the limit"));
        }
        self.left -= n as u64;
        self.read += n as u64;
        *self.budget = self.budget.saturating_sub(n as u64);
        Ok(n)
    }
}

/// What the end-of-central-directory record declares, read before the zip
/// crate reserves anything for the entries: their number, or `Err` for a
/// zip64 archive, which no form needs (it is for archives over 4 GiB or
/// 65,535 entries) and whose counts are 64-bit.
fn declared_entries(bytes: &[u8]) -> Result<Option<u64>, PartError> {
    let tail = bytes.len().saturating_sub(22 + 0xFFFF);
    let Some(at) = bytes[tail..]
        .windows(4)
        .rposition(|w| w == b"PK\x05\x06")
        .map(|p| p + tail)
    else {
        return Ok(None);
    };
    let zip64 = at >= 20 && bytes[at - 20..].starts_with(b"PK\x06\x07");
    match bytes.get(at + 10..at + 12) {
        _ if zip64 => Err(PartError::TooLarge(
            "it is a zip64 archive, made for more than 4 GiB or 65,535 entries".into(),
        )),
        Some(n) => Ok(Some(u64::from(u16::from_le_bytes([n[0], n[1]])))),
        None => Ok(None),
    }
}
