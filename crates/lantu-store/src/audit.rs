//! The audit log: every write appends entries (who, when, action, entity,
//! before and after as JSON) in the transaction of the write, and each
//! entry is chained to the one before it:
//!
//! ```text
//! hash(n) = SHA-256( hash(n−1) as hex ‖ seq ‖ at ‖ actor ‖ action ‖ entity ‖ entity_id ‖ before ‖ after )
//! ```
//!
//! with every field length-prefixed (an absent field is a single 0 byte)
//! and hash(0) = 64 zeros. [`Store::audit_verify`] recomputes the chain: an
//! edited entry no longer matches its hash, a deleted one leaves a gap in
//! `seq` and a broken link, an inserted one breaks the link or the hash of
//! the entry after it.
//!
//! An observation import writes one entry, not one per figure: its `after`
//! holds the batch id, the row count and a SHA-256 digest of the vintages
//! it inserted, and verification recomputes that digest from the
//! observations table, so an edited, added or deleted figure is found too.
//!
//! What a hash chain cannot show: the newest entries removed together with
//! nothing after them. Keep [`AuditReport::last_hash`] somewhere else (a
//! report, a signed mail) to detect that.

use crate::db::{col, now};
use crate::error::{Ctx, Result};
use crate::Store;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::{Any, Transaction};
use std::collections::{BTreeMap, HashMap};

pub(crate) const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The action of an observation import, whose `after` carries a digest.
pub(crate) const IMPORT_ACTION: &str = "import_observations";

/// One stored audit entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: i64,
    /// RFC 3339 UTC.
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    /// JSON of the entity before the write (absent for a creation).
    pub before: Option<String>,
    /// JSON of the entity after the write (absent for a removal).
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// What verification found wrong, at which entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditProblemKind {
    /// The entry's contents no longer match its hash: edited (or
    /// renumbered, or forged).
    Edited,
    /// Entries are missing before this one: `seq` jumps.
    Missing,
    /// The entry's `prev_hash` is not the hash of the entry before it: an
    /// entry was inserted or deleted before it.
    BrokenLink,
    /// The observations of an import no longer match the digest audited
    /// for it.
    DataChanged,
    /// Observations belong to a batch that no audit entry records.
    Unaudited,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditProblem {
    /// The audit entry concerned (for [`AuditProblemKind::Unaudited`], the
    /// entry the batch should have had is unknown: 0).
    pub seq: i64,
    pub kind: AuditProblemKind,
    pub message: String,
}

/// The result of [`Store::audit_verify`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditReport {
    pub entries: u64,
    pub last_seq: i64,
    /// The hash of the newest entry: record it elsewhere to detect a
    /// truncated log later.
    pub last_hash: String,
    pub problems: Vec<AuditProblem>,
}

impl AuditReport {
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Entries of one write transaction, chained on the current end of the log
/// and written together before the commit.
pub(crate) struct Audit {
    at: String,
    next_seq: i64,
    prev_hash: String,
    pending: Vec<AuditEntry>,
}

fn put(h: &mut Sha256, field: Option<&str>) {
    match field {
        None => h.update([0u8]),
        Some(s) => {
            h.update([1u8]);
            h.update((s.len() as u64).to_be_bytes());
            h.update(s.as_bytes());
        }
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn entry_hash(e: &AuditEntry) -> String {
    let mut h = Sha256::new();
    h.update(e.prev_hash.as_bytes());
    put(&mut h, Some(&e.seq.to_string()));
    put(&mut h, Some(&e.at));
    put(&mut h, Some(&e.actor));
    put(&mut h, Some(&e.action));
    put(&mut h, Some(&e.entity));
    put(&mut h, e.entity_id.map(|i| i.to_string()).as_deref());
    put(&mut h, e.before.as_deref());
    put(&mut h, e.after.as_deref());
    hex(&h.finalize())
}

/// The digest of the vintages an import inserted, in insertion order.
#[derive(Default)]
pub(crate) struct RowsDigest {
    h: Sha256,
    rows: u64,
}

impl RowsDigest {
    pub(crate) fn add(&mut self, indicator_id: i64, period: &str, geography: &str, vintage: i64, value: &str) {
        put(&mut self.h, Some(&indicator_id.to_string()));
        put(&mut self.h, Some(period));
        put(&mut self.h, Some(geography));
        put(&mut self.h, Some(&vintage.to_string()));
        put(&mut self.h, Some(value));
        self.rows += 1;
    }

    pub(crate) fn finish(self) -> (u64, String) {
        (self.rows, hex(&self.h.finalize()))
    }
}

#[derive(Deserialize)]
struct ImportAfter {
    batch: i64,
    rows: u64,
    digest: String,
}

impl Audit {
    /// Reads the end of the chain. Call inside a write transaction
    /// ([`Store::begin_write`]), which keeps other writers out.
    pub(crate) async fn start(tx: &mut Transaction<'static, Any>) -> Result<Audit> {
        let row = sqlx::query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut **tx)
            .await
            .ctx(|| "reading the end of the audit log".to_string())?;
        let (seq, hash) = match row {
            Some(r) => (col::<i64>(&r, "seq")?, col::<String>(&r, "hash")?),
            None => (0, GENESIS.to_string()),
        };
        Ok(Audit {
            at: now(),
            next_seq: seq + 1,
            prev_hash: hash,
            pending: Vec::new(),
        })
    }

    /// The time every entry of this transaction carries.
    pub(crate) fn at(&self) -> &str {
        &self.at
    }

    pub(crate) fn push<B: Serialize, A: Serialize>(
        &mut self,
        actor: &str,
        action: &str,
        entity: &str,
        entity_id: Option<i64>,
        before: Option<&B>,
        after: Option<&A>,
    ) {
        let mut e = AuditEntry {
            seq: self.next_seq,
            at: self.at.clone(),
            actor: actor.to_string(),
            action: action.to_string(),
            entity: entity.to_string(),
            entity_id,
            before: before.map(to_json),
            after: after.map(to_json),
            prev_hash: std::mem::take(&mut self.prev_hash),
            hash: String::new(),
        };
        e.hash = entry_hash(&e);
        self.prev_hash = e.hash.clone();
        self.next_seq += 1;
        self.pending.push(e);
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// Writes the pending entries.
    pub(crate) async fn write(self, w: &mut crate::WriteTx) -> Result<()> {
        const PER_STATEMENT: usize = 500;
        for chunk in self.pending.chunks(PER_STATEMENT) {
            let values = (0..chunk.len())
                .map(|i| format!("({})", crate::db::params(w.backend, i * 10, 10)))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash) \
                 VALUES {values}"
            );
            let mut q = sqlx::query(&sql);
            for e in chunk {
                q = q
                    .bind(e.seq)
                    .bind(e.at.clone())
                    .bind(e.actor.clone())
                    .bind(e.action.clone())
                    .bind(e.entity.clone())
                    .bind(e.entity_id)
                    .bind(e.before.clone())
                    .bind(e.after.clone())
                    .bind(e.prev_hash.clone())
                    .bind(e.hash.clone());
            }
            q.execute(&mut *w.tx)
                .await
                .ctx(|| format!("appending audit entries from {}", chunk[0].seq))?;
        }
        Ok(())
    }
}

fn to_json<T: Serialize>(v: &T) -> String {
    // The store's own types and serde_json values: serialising cannot fail.
    serde_json::to_string(v).expect("audit entries serialise to JSON")
}

fn entry_of(r: &sqlx::any::AnyRow) -> Result<AuditEntry> {
    Ok(AuditEntry {
        seq: col(r, "seq")?,
        at: col(r, "at")?,
        actor: col(r, "actor")?,
        action: col(r, "action")?,
        entity: col(r, "entity")?,
        entity_id: col(r, "entity_id")?,
        before: col(r, "before")?,
        after: col(r, "after")?,
        prev_hash: col(r, "prev_hash")?,
        hash: col(r, "hash")?,
    })
}

const ENTRY_COLUMNS: &str = "seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash";

impl Store {
    /// The newest `limit` audit entries, newest first.
    pub async fn audit_log(&self, limit: usize) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query(&format!(
            "SELECT {ENTRY_COLUMNS} FROM audit_log ORDER BY seq DESC LIMIT $1"
        ))
        .bind(limit as i64)
        .fetch_all(&self.pool)
        .await
        .ctx(|| "reading the audit log".to_string())?;
        rows.iter().map(entry_of).collect()
    }

    /// The audit entries about one entity (`plan`, `indicator`, `target`,
    /// `observation`, …), oldest first.
    pub async fn audit_of(&self, entity: &str, entity_id: i64) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query(&format!(
            "SELECT {ENTRY_COLUMNS} FROM audit_log WHERE entity = $1 AND entity_id = $2 ORDER BY seq"
        ))
        .bind(entity.to_string())
        .bind(entity_id)
        .fetch_all(&self.pool)
        .await
        .ctx(|| format!("reading the audit entries of {entity} {entity_id}"))?;
        rows.iter().map(entry_of).collect()
    }

    /// Recomputes the whole chain and the digest of every import; lists
    /// every entry that was edited, inserted or deleted, and every import
    /// whose figures changed afterwards.
    pub async fn audit_verify(&self) -> Result<AuditReport> {
        const PAGE: i64 = 5000;
        let mut problems = Vec::new();
        let mut expected_seq = 1i64;
        let mut prev_hash = GENESIS.to_string();
        let mut entries = 0u64;
        let mut imports: BTreeMap<i64, (i64, ImportAfter)> = BTreeMap::new();
        loop {
            let rows = sqlx::query(&format!(
                "SELECT {ENTRY_COLUMNS} FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2"
            ))
            .bind(expected_seq)
            .bind(PAGE)
            .fetch_all(&self.pool)
            .await
            .ctx(|| format!("reading the audit log from entry {expected_seq}"))?;
            let n = rows.len();
            for r in &rows {
                let e = entry_of(r)?;
                entries += 1;
                if e.seq != expected_seq {
                    problems.push(AuditProblem {
                        seq: e.seq,
                        kind: AuditProblemKind::Missing,
                        message: if e.seq == expected_seq + 1 {
                            format!(
                                "entry {expected_seq} is missing (deleted): the log goes from {} to {}",
                                expected_seq - 1,
                                e.seq
                            )
                        } else {
                            format!(
                                "entries {expected_seq}–{} are missing (deleted): the log goes from {} to {}",
                                e.seq - 1,
                                expected_seq - 1,
                                e.seq
                            )
                        },
                    });
                } else if e.prev_hash != prev_hash {
                    problems.push(AuditProblem {
                        seq: e.seq,
                        kind: AuditProblemKind::BrokenLink,
                        message: format!(
                            "entry {}: the chain is broken, its prev_hash is not the hash of entry {}: an entry was \
                             inserted or deleted before it",
                            e.seq,
                            e.seq - 1
                        ),
                    });
                }
                if entry_hash(&e) != e.hash {
                    problems.push(AuditProblem {
                        seq: e.seq,
                        kind: AuditProblemKind::Edited,
                        message: format!(
                            "entry {} ({} {} {} by {} at {}) was edited or forged: its contents no longer match its hash",
                            e.seq,
                            e.action,
                            e.entity,
                            e.entity_id.map_or_else(|| "-".to_string(), |i| i.to_string()),
                            e.actor,
                            e.at
                        ),
                    });
                }
                if e.action == IMPORT_ACTION {
                    if let Some(a) = e
                        .after
                        .as_deref()
                        .and_then(|a| serde_json::from_str::<ImportAfter>(a).ok())
                    {
                        imports.insert(a.batch, (e.seq, a));
                    }
                }
                prev_hash = e.hash.clone();
                expected_seq = e.seq + 1;
            }
            if (n as i64) < PAGE {
                break;
            }
        }
        self.verify_imports(&imports, &mut problems).await?;
        Ok(AuditReport {
            entries,
            last_seq: expected_seq - 1,
            last_hash: prev_hash,
            problems,
        })
    }

    async fn verify_imports(
        &self,
        imports: &BTreeMap<i64, (i64, ImportAfter)>,
        problems: &mut Vec<AuditProblem>,
    ) -> Result<()> {
        const PAGE: i64 = 50_000;
        let mut digests: HashMap<i64, RowsDigest> = HashMap::new();
        let mut after_id = 0i64;
        loop {
            let rows = sqlx::query(
                "SELECT id, batch_id, indicator_id, period, geography, vintage, value FROM observations \
                 WHERE id > $1 ORDER BY id LIMIT $2",
            )
            .bind(after_id)
            .bind(PAGE)
            .fetch_all(&self.pool)
            .await
            .ctx(|| format!("reading observations after id {after_id} to verify import digests"))?;
            for r in &rows {
                after_id = col(r, "id")?;
                let batch: i64 = col(r, "batch_id")?;
                let period: String = col(r, "period")?;
                let geography: String = col(r, "geography")?;
                let value: String = col(r, "value")?;
                digests.entry(batch).or_default().add(
                    col(r, "indicator_id")?,
                    &period,
                    &geography,
                    col(r, "vintage")?,
                    &value,
                );
            }
            if (rows.len() as i64) < PAGE {
                break;
            }
        }
        let mut digests: BTreeMap<i64, RowsDigest> = digests.into_iter().collect();
        for (batch, (seq, audited)) in imports {
            let (rows, digest) = digests.remove(batch).unwrap_or_default().finish();
            if rows != audited.rows || digest != audited.digest {
                problems.push(AuditProblem {
                    seq: *seq,
                    kind: AuditProblemKind::DataChanged,
                    message: format!(
                        "the figures of import batch {batch} (audit entry {seq}) changed after the import: {} vintages \
                         were recorded, {rows} are stored{}",
                        audited.rows,
                        if rows == audited.rows { ", and their contents differ" } else { "" }
                    ),
                });
            }
        }
        for (batch, d) in digests {
            problems.push(AuditProblem {
                seq: 0,
                kind: AuditProblemKind::Unaudited,
                message: format!(
                    "{} observation vintages belong to batch {batch}, which no audit entry records: they were \
                     written outside the store",
                    d.rows
                ),
            });
        }
        Ok(())
    }
}
