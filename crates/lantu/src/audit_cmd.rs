//! `lantu audit`: verify the audit log against every audited table (and an
//! anchor), and export an anchor of its head keyed with a secret the
//! operator keeps outside the database. Wiring only: the checks are the
//! store's.

use crate::{emit, Format};
use anyhow::{bail, Context, Result};
use clap::Subcommand;
use lantu_app::audit::{AuditAnchor, AuditReport};
use lantu_app::App;
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum AuditCmd {
    /// Check the hash chain and every row of every audited table against
    /// the log: an edited, inserted or deleted entry, and a row changed,
    /// added or deleted behind the store's back, are named. Prints the head
    /// of the chain; exits non-zero on any problem.
    Verify {
        /// Also check this anchor (from `lantu audit anchor`): the entry it
        /// vouches for must still be in the log with the same hash.
        #[arg(long, value_name = "ANCHOR.json", requires = "key")]
        anchor: Option<PathBuf>,
        /// The key file the anchor was made with.
        #[arg(long, value_name = "FILE", requires = "anchor")]
        key: Option<PathBuf>,
        /// `table`: readable lines; `json`: the report (entries, last_seq,
        /// last_hash, rows_checked, problems with seq, kind, message, table,
        /// key, columns).
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Verify the log, then write its head (entry and hash) keyed with
    /// HMAC-SHA256: keep the anchor and the key off the database's host;
    /// a later `verify --anchor` detects a log rewritten or cut short up to
    /// that entry.
    Anchor {
        /// The key file (hex, as `--new-key` writes it).
        #[arg(
            long,
            value_name = "FILE",
            required_unless_present = "new_key",
            conflicts_with = "new_key"
        )]
        key: Option<PathBuf>,
        /// Create a new random key in this file (mode 0600; never
        /// overwrites) and use it.
        #[arg(long, value_name = "FILE")]
        new_key: Option<PathBuf>,
        /// Where to write the anchor (default: standard output).
        #[arg(short, long, value_name = "ANCHOR.json")]
        output: Option<PathBuf>,
    },
}

pub async fn run(app: &App, cmd: AuditCmd) -> Result<()> {
    match cmd {
        AuditCmd::Verify { anchor, key, format } => {
            let (report, anchor) = match (anchor, key) {
                (Some(a), Some(k)) => {
                    let key = read_key(&k)?;
                    let anchor = read_anchor(&a)?;
                    let report = app
                        .audit_verify_anchored(&anchor, &key)
                        .await
                        .with_context(|| format!("cannot check the anchor {}", a.display()))?;
                    (report, Some(anchor))
                }
                _ => (app.audit_verify().await?, None),
            };
            print_report(&report, anchor.as_ref(), format)
        }
        AuditCmd::Anchor { key, new_key, output } => {
            let key = match (key, new_key) {
                (_, Some(path)) => create_key(&path)?,
                (Some(path), None) => read_key(&path)?,
                (None, None) => bail!("give --key FILE, or --new-key FILE to create one"),
            };
            let (anchor, report) = app.audit_anchor(&key).await?;
            let json = serde_json::to_string_pretty(&anchor)? + "\n";
            match output {
                Some(path) => {
                    std::fs::write(&path, json).with_context(|| format!("cannot write {}", path.display()))?;
                    eprintln!(
                        "anchored entry {} (hash {}) in {}; {} rows of the audited tables match the log",
                        anchor.seq,
                        anchor.hash,
                        path.display(),
                        report.rows_checked
                    );
                    Ok(())
                }
                None => emit(&json),
            }
        }
    }
}

fn print_report(report: &AuditReport, anchor: Option<&AuditAnchor>, format: Format) -> Result<()> {
    if format == Format::Json {
        emit(&(serde_json::to_string_pretty(report)? + "\n"))?;
    } else {
        let mut text = String::new();
        for p in &report.problems {
            text.push_str(&format!("entry {}: {}\n", p.seq, p.message));
        }
        if report.is_clean() {
            text.push_str(&format!(
                "audit log intact: {} entries, chain verified; {} rows of the audited tables match the log\n",
                report.entries, report.rows_checked
            ));
            if let Some(a) = anchor {
                text.push_str(&format!(
                    "anchor of {} holds: entry {} still has hash {}\n",
                    a.created_at, a.seq, a.hash
                ));
            }
        }
        text.push_str(&format!("head: entry {} hash {}\n", report.last_seq, report.last_hash));
        if anchor.is_none() {
            text.push_str("(anchor it outside the database: `lantu audit anchor --key FILE -o anchor.json`)\n");
        }
        emit(&text)?;
    }
    if !report.is_clean() {
        bail!("the audit log was tampered with: {} problem(s)", report.problems.len())
    }
    Ok(())
}

fn read_anchor(path: &Path) -> Result<AuditAnchor> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read the anchor {}", path.display()))?;
    serde_json::from_str(&text)
        .with_context(|| format!("{} is not an anchor written by `lantu audit anchor`", path.display()))
}

/// The key is hex text (at least 16 bytes) in a file.
fn read_key(path: &Path) -> Result<Vec<u8>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read the key file {}", path.display()))?;
    match lantu_store::unhex(&text) {
        Some(k) if k.len() >= 16 => Ok(k),
        _ => bail!(
            "{} does not hold a key: it should be hex text of at least 16 bytes, as `lantu audit anchor --new-key` \
             writes it",
            path.display()
        ),
    }
}

/// 32 random bytes, written as hex to a new file readable by its owner
/// only.
fn create_key(path: &Path) -> Result<Vec<u8>> {
    use std::io::Write;
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).map_err(|e| anyhow::anyhow!("cannot get random bytes for a key: {e}"))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).with_context(|| {
        format!(
            "cannot create the key file {} (an existing key is never overwritten: use --key to use it)",
            path.display()
        )
    })?;
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    file.write_all(format!("{hex}\n").as_bytes())
        .with_context(|| format!("cannot write the key file {}", path.display()))?;
    Ok(key.to_vec())
}
