//! The audit log: every write appends entries (who, when, action, entity,
//! before and after as JSON) in the transaction of the write, and each
//! entry is chained to the one before it:
//!
//! ```text
//! hash(n) = SHA-256( hash(n−1) as hex ‖ seq ‖ at ‖ actor ‖ action ‖ entity ‖ entity_id ‖ before ‖ after [‖ rows_digest] )
//! ```
//!
//! with every field length-prefixed (an absent field is a single 0 byte;
//! `rows_digest` is appended only when present, so entries written before
//! it existed keep their hash) and hash(0) = 64 zeros.
//!
//! # Row records: the content of every audited table
//!
//! [`TABLES`] is the registry of audited tables: each with its key columns
//! and its content columns. Every write records, with the last audit entry
//! of its transaction, one *row record* per row it created, changed or
//! deleted: table, key, the digest of the row's canonical content before
//! (`b`, absent for a new row) and after (`d`, null for a deleted row) and,
//! for writes of up to [`CONTENT_ROWS`] rows, the content itself (`c`,
//! without secret columns). A row's canonical content is every registered
//! column read as `CAST(col AS TEXT)`, so that SQLite and PostgreSQL give
//! the same text; its digest is SHA-256 over the table name and each
//! column's name and value, length-prefixed. The records are stored in
//! `audit_rows` in parts of up to [`PART_ROWS`]; the entry's `rows_digest`
//! covers them, so a record edited, added or removed breaks the entry.
//!
//! A write path declares what it touches and the store does the rest:
//! [`Audit::track`] reads rows before a change, [`Audit::track_new`] names
//! rows about to be created, and [`Audit::write`] reads them again and
//! records every difference; a bulk import records the rows it inserted
//! directly ([`Audit::created`]), from the values it bound, without reading
//! them back.
//!
//! [`Store::audit_verify`] recomputes the chain, replays the row records
//! (each record's `b` must be the digest the log last held for that row:
//! otherwise the row was changed behind the store's back before that
//! write) and compares the digest of every current row of every registered
//! table with the latest one the log holds, naming each changed, missing or
//! unexpected row and, where the log holds the content, the columns.
//!
//! A database made before row records existed gets a *baseline* entry
//! (`audit_baseline`) when the store opens it: the digests of every row of
//! every registered table no earlier baseline covers. A table added to the
//! registry later gets its baseline the same way.
//!
//! # Anchors
//!
//! A chain stored in the database can be rewritten whole by whoever can
//! write to the database. [`AuditAnchor`] is the head of the chain (seq and
//! hash) with an HMAC-SHA256 under a key kept outside the database; a later
//! [`Store::audit_verify_anchored`] checks that the chain still holds that
//! entry with that hash, so that neither a rewrite of anything before it
//! nor a log cut short before it goes unnoticed. See docs/operations.md
//! for the threat model.

use crate::db::{col, now};
use crate::error::{Ctx, Result, StoreError};
use crate::Store;
use futures_util::TryStreamExt;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::{Any, AnyConnection, Row, Transaction};
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub(crate) const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The action of an observation import.
pub(crate) const IMPORT_ACTION: &str = "import_observations";

/// The action of a baseline: the digests of rows that existed before the
/// log recorded rows.
pub const BASELINE_ACTION: &str = "audit_baseline";

/// Row records per stored part.
pub(crate) const PART_ROWS: usize = 1000;

/// A write that records more rows than this records their digests only.
pub(crate) const CONTENT_ROWS: usize = 2000;

/// An audited table: its key columns (unique, never null) and its content
/// columns; `secret` ones (password and token hashes) count in the digest
/// but their values are never copied into the log.
#[derive(Debug)]
pub(crate) struct Table {
    pub(crate) name: &'static str,
    pub(crate) key: &'static [&'static str],
    pub(crate) columns: &'static [&'static str],
    pub(crate) secret: &'static [&'static str],
}

/// Every table whose content the audit log accounts for. A new table of
/// audited content is covered by adding it here (and by its write paths
/// calling [`Audit::track`] / [`Audit::track_new`]); the next open records
/// a baseline of its existing rows.
pub(crate) const TABLES: &[Table] = &[
    Table {
        name: "plans",
        key: &["id"],
        columns: &[
            "name",
            "region",
            "level",
            "start_year",
            "end_year",
            "vision_year",
            "kind",
            "issuer",
            "issued_on",
            "made_public",
            "parent_id",
            "state",
            "source",
            "ahead_ratio",
            "on_track_ratio",
            "approx_tolerance",
            "created_at",
            "created_by",
            "updated_at",
            "cross_rules",
        ],
        secret: &[],
    },
    Table {
        name: "plan_releases",
        key: &["plan_id", "year"],
        columns: &["released_at", "released_by"],
        secret: &[],
    },
    Table {
        name: "outline_nodes",
        key: &["plan_id", "position"],
        columns: &["node", "number", "title"],
        secret: &[],
    },
    Table {
        name: "registry",
        key: &["id"],
        columns: &[
            "code",
            "name",
            "short_name",
            "parent",
            "contact",
            "phone",
            "retired_at",
            "created_at",
            "created_by",
            "updated_at",
        ],
        secret: &[],
    },
    Table {
        name: "departments",
        key: &["id"],
        columns: &["plan_id", "code", "name", "retired_at"],
        secret: &[],
    },
    Table {
        name: "indicators",
        key: &["id"],
        columns: &[
            "plan_id",
            "code",
            "name",
            "unit",
            "category",
            "attribute",
            "measure",
            "direction",
            "data_source",
            "frequency",
            "baseline_value",
            "baseline_year",
            "node",
            "quote",
            "span_start",
            "span_end",
            "retired_at",
            "rules",
        ],
        secret: &[],
    },
    Table {
        name: "indicator_departments",
        key: &["indicator_id", "role", "position"],
        columns: &["department_id"],
        secret: &[],
    },
    Table {
        name: "targets",
        key: &["id"],
        columns: &[
            "indicator_id",
            "version",
            "comparator",
            "value",
            "value_max",
            "year",
            "kind",
            "reason",
            "effective_year",
            "created_at",
            "created_by",
        ],
        secret: &[],
    },
    Table {
        name: "tasks",
        key: &["id"],
        columns: &[
            "plan_id",
            "code",
            "title",
            "node",
            "quote",
            "span_start",
            "span_end",
            "retired_at",
        ],
        secret: &[],
    },
    Table {
        name: "task_departments",
        key: &["task_id", "role", "position"],
        columns: &["department_id"],
        secret: &[],
    },
    Table {
        name: "work_plan_entries",
        key: &["id"],
        columns: &[
            "task_id",
            "year",
            "milestone",
            "due_date",
            "status",
            "progress_note",
            "created_at",
            "created_by",
            "updated_at",
            "updated_by",
        ],
        secret: &[],
    },
    Table {
        name: "projects",
        key: &["id"],
        columns: &[
            "plan_id",
            "code",
            "name",
            "action",
            "capacity",
            "planned_investment",
            "start_year",
            "finish_year",
            "node",
            "quote",
            "span_start",
            "span_end",
            "completed_investment",
            "started_on",
            "finished_on",
            "status",
            "progress_note",
            "updated_at",
            "updated_by",
            "retired_at",
        ],
        secret: &[],
    },
    Table {
        name: "project_departments",
        key: &["project_id", "position"],
        columns: &["department_id"],
        secret: &[],
    },
    Table {
        name: "observation_batches",
        key: &["id"],
        columns: &[
            "plan_id",
            "actor",
            "at",
            "source_name",
            "reason",
            "inserted",
            "revised",
            "unchanged",
        ],
        secret: &[],
    },
    // Keyed by the figure and vintage (unique): an import records its rows
    // from the values it binds, without learning their surrogate ids.
    Table {
        name: "observations",
        key: &["indicator_id", "period", "geography", "vintage"],
        columns: &[
            "year", "value", "source", "note", "state", "batch_id", "comment", "kind",
        ],
        secret: &[],
    },
    Table {
        name: "observation_transitions",
        key: &["id"],
        columns: &["observation_id", "from_state", "to_state", "at", "actor", "comment"],
        secret: &[],
    },
    Table {
        name: "plan_review_levels",
        key: &["plan_id", "position"],
        columns: &["name", "role", "department"],
        secret: &[],
    },
    Table {
        name: "observation_levels",
        key: &["observation_id"],
        columns: &["passed"],
        secret: &[],
    },
    Table {
        name: "transition_levels",
        key: &["transition_id"],
        columns: &["step", "level_name", "from_passed", "to_passed"],
        secret: &[],
    },
    Table {
        name: "users",
        key: &["id"],
        columns: &[
            "username",
            "username_key",
            "display_name",
            "role",
            "department",
            "password_hash",
            "api_token_hash",
            "active",
            "created_at",
            "created_by",
            "updated_at",
            "updated_by",
        ],
        secret: &["password_hash", "api_token_hash"],
    },
    Table {
        name: "comments",
        key: &["id"],
        columns: &[
            "plan_id",
            "indicator_id",
            "year",
            "body",
            "author",
            "author_name",
            "author_role",
            "created_at",
        ],
        secret: &[],
    },
    Table {
        name: "plan_texts",
        key: &["plan_id"],
        columns: &["file_name", "body", "created_at", "created_by"],
        secret: &[],
    },
    Table {
        name: "record_reviews",
        key: &["plan_id", "code"],
        columns: &[
            "state",
            "attribute_set",
            "label",
            "span_start",
            "span_end",
            "updated_at",
            "updated_by",
        ],
        secret: &[],
    },
    Table {
        name: "evidence",
        key: &["id"],
        columns: &[
            "plan_id",
            "indicator_id",
            "period",
            "geography",
            "work_entry_id",
            "project_id",
            "file_name",
            "kind",
            "size",
            "sha256",
            "storage",
            "public",
            "uploaded_at",
            "uploaded_by",
        ],
        secret: &[],
    },
    Table {
        name: "reporting_deadlines",
        key: &["plan_id", "frequency"],
        columns: &["rule", "updated_at", "updated_by"],
        secret: &[],
    },
    Table {
        name: "user_emails",
        key: &["user_id"],
        columns: &["email", "updated_at", "updated_by"],
        secret: &[],
    },
    Table {
        name: "notices",
        key: &["id"],
        columns: &[
            "user_id", "plan_id", "subject", "body", "sent_at", "sent_by", "emailed", "read_at",
        ],
        secret: &[],
    },
];

/// Tables of the schema that are deliberately not audited content, with
/// the reason. A test checks that every table is in one list or the other.
pub const NOT_AUDITED: &[(&str, &str)] = &[
    ("audit_log", "the chain itself"),
    ("audit_rows", "the row records, covered by their entries' rows_digest"),
    ("_sqlx_migrations", "the schema version, kept by sqlx"),
    (
        "evidence_content",
        "evidence bytes: the audited evidence row holds their SHA-256, checked on every read",
    ),
    (
        "sessions",
        "sign-ins: not domain data; revoked by the audited password and deactivation changes",
    ),
    (
        "web_secrets",
        "the servers' signing key: a secret, never copied into the log",
    ),
];

/// The names of the audited tables.
pub fn audited_tables() -> Vec<&'static str> {
    TABLES.iter().map(|t| t.name).collect()
}

/// Each audited table with its key and content columns.
pub fn audited_columns() -> Vec<(&'static str, Vec<&'static str>)> {
    TABLES.iter().map(|t| (t.name, t.all_columns().collect())).collect()
}

pub(crate) fn table(name: &str) -> &'static Table {
    TABLES
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("`{name}` is not a registered audited table"))
}

impl Table {
    fn all_columns(&self) -> impl Iterator<Item = &'static str> {
        self.key.iter().chain(self.columns.iter()).copied()
    }

    /// `SELECT CAST(c AS TEXT), … FROM table`: the canonical text of every
    /// registered column, identical on SQLite and PostgreSQL.
    fn select(&self) -> String {
        let cols = self
            .all_columns()
            .map(|c| format!("CAST(\"{c}\" AS TEXT)"))
            .collect::<Vec<_>>()
            .join(", ");
        format!("SELECT {cols} FROM {}", self.name)
    }

    fn is_secret(&self, column: &str) -> bool {
        self.secret.contains(&column)
    }

    /// `id=3` / `indicator_id=5, period=2023, geography='', vintage=1`.
    fn describe_key(&self, key: &[Option<String>]) -> String {
        self.key
            .iter()
            .zip(key)
            .map(|(c, v)| format!("{c}={}", show(v.as_deref())))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn show(v: Option<&str>) -> String {
    match v {
        None => "NULL".to_string(),
        Some(s) if s.parse::<f64>().is_ok() && s.bytes().all(|b| b.is_ascii_digit() || b == b'-' || b == b'.') => {
            s.to_string()
        }
        Some(s) => {
            let mut t: String = s.chars().take(60).collect();
            if t.len() < s.len() {
                t.push('…');
            }
            format!("'{t}'")
        }
    }
}

type Values = Vec<Option<String>>;

/// The digest of a row: SHA-256 over the table name and each registered
/// column's name and canonical value.
pub(crate) fn row_digest<'a>(t: &Table, values: impl IntoIterator<Item = Option<&'a str>>) -> String {
    let mut h = Sha256::new();
    put(&mut h, Some(t.name));
    for (c, v) in t.all_columns().zip(values) {
        put(&mut h, Some(c));
        put(&mut h, v);
    }
    hex(&h.finalize())
}

fn key_text(key: &[Option<String>]) -> String {
    serde_json::to_string(key).expect("strings serialise")
}

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
    /// The digest of the row records stored with this entry (the last of
    /// its transaction), if it has any.
    #[serde(default)]
    pub rows_digest: Option<String>,
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
    /// The observations of an import made before row records existed no
    /// longer match the digest audited for it.
    DataChanged,
    /// The row records stored with an entry do not match its
    /// `rows_digest`, or belong to no entry of the log.
    RecordsChanged,
    /// A row's current content is not what the log last recorded for it.
    RowChanged,
    /// The log records a row the table no longer has.
    RowMissing,
    /// A row no audit entry accounts for (written outside the store, or
    /// deleted by the store and put back).
    RowUnexpected,
    /// The entry an anchor vouches for has another hash now: the log up to
    /// it was rewritten.
    Rewritten,
    /// The log ends before the entry an anchor vouches for: it was cut
    /// short.
    Truncated,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditProblem {
    /// The audit entry concerned: for a row, the entry that last recorded
    /// it (0 when none did).
    pub seq: i64,
    pub kind: AuditProblemKind,
    pub message: String,
    /// For a row: its table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// For a row: its key, `column=value, …`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// For a changed row whose content the log holds: the columns that
    /// differ.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<String>,
}

impl AuditProblem {
    fn entry(seq: i64, kind: AuditProblemKind, message: String) -> AuditProblem {
        AuditProblem {
            seq,
            kind,
            message,
            table: None,
            key: None,
            columns: Vec::new(),
        }
    }
}

/// The result of [`Store::audit_verify`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditReport {
    pub entries: u64,
    pub last_seq: i64,
    /// The hash of the newest entry (the head): anchor it
    /// ([`Store::audit_anchor`]) to detect a rewritten or truncated log.
    pub last_hash: String,
    /// Rows of the audited tables compared with the log.
    pub rows_checked: u64,
    pub problems: Vec<AuditProblem>,
}

impl AuditReport {
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }
}

/// The head of the chain, keyed with a secret the operator keeps outside
/// the database (HMAC-SHA256 over format, seq, hash and time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditAnchor {
    /// `lantu-audit-anchor/1`.
    pub format: String,
    pub seq: i64,
    pub hash: String,
    /// When the anchor was made (RFC 3339 UTC).
    pub created_at: String,
    /// HMAC-SHA256, hex.
    pub mac: String,
}

const ANCHOR_FORMAT: &str = "lantu-audit-anchor/1";

impl AuditAnchor {
    /// An anchor of entry `seq` with hash `hash`, keyed with `key`.
    pub fn new(seq: i64, hash: &str, key: &[u8]) -> AuditAnchor {
        let mut a = AuditAnchor {
            format: ANCHOR_FORMAT.to_string(),
            seq,
            hash: hash.to_string(),
            created_at: now(),
            mac: String::new(),
        };
        a.mac = hex(&a.keyed(key).finalize().into_bytes());
        a
    }

    fn keyed(&self, key: &[u8]) -> Hmac<Sha256> {
        let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes a key of any length");
        for field in [
            self.format.as_str(),
            &self.seq.to_string(),
            self.hash.as_str(),
            self.created_at.as_str(),
        ] {
            m.update(&(field.len() as u64).to_be_bytes());
            m.update(field.as_bytes());
        }
        m
    }

    /// Whether `key` made this anchor and nothing in it changed since
    /// (compared in constant time).
    pub fn is_genuine(&self, key: &[u8]) -> bool {
        let Some(mac) = unhex(&self.mac) else {
            return false;
        };
        self.format == ANCHOR_FORMAT && self.keyed(key).verify_slice(&mac).is_ok()
    }
}

/// Hex text → bytes (`None` if it is not hex).
pub fn unhex(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|b| u8::from_str_radix(b, 16).ok()))
        .collect()
}

/// One row's change, as stored in a part.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct RowRecord {
    k: Values,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    b: Option<String>,
    d: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    c: Option<BTreeMap<String, Option<String>>>,
}

#[derive(Serialize, Deserialize)]
struct Part {
    table: String,
    rows: Vec<RowRecord>,
}

/// Rows of one table a write reads before it changes them (`before:
/// None`: rows about to be created), read again when the audit is written.
struct Watch {
    table: &'static Table,
    cond: String,
    binds: Vec<i64>,
    before: Option<Vec<Values>>,
}

/// Entries of one write transaction, chained on the current end of the log
/// and written together before the commit, with the row records of the
/// transaction.
pub(crate) struct Audit {
    at: String,
    next_seq: i64,
    prev_hash: String,
    pending: Vec<AuditEntry>,
    watches: Vec<Watch>,
    /// Rows recorded directly (bulk inserts, baselines): table and values.
    created: Vec<(&'static Table, Values)>,
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
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

pub(crate) fn entry_hash(e: &AuditEntry) -> String {
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
    if let Some(d) = &e.rows_digest {
        put(&mut h, Some(d));
    }
    hex(&h.finalize())
}

/// The digest of an entry's parts, in order.
#[derive(Default)]
struct PartsDigest {
    h: Sha256,
    parts: u64,
}

impl PartsDigest {
    fn add(&mut self, part: i64, body: &str) {
        put(&mut self.h, Some(&part.to_string()));
        put(&mut self.h, Some(body));
        self.parts += 1;
    }

    fn finish(self) -> String {
        let mut h = self.h;
        put(&mut h, Some(&self.parts.to_string()));
        hex(&h.finalize())
    }
}

/// The digest of the vintages an import inserted, in insertion order, as
/// imports recorded it before row records existed (verified for those
/// old entries only).
#[derive(Default)]
struct RowsDigest {
    h: Sha256,
    rows: u64,
}

impl RowsDigest {
    fn add(&mut self, indicator_id: i64, period: &str, geography: &str, vintage: i64, value: &str) {
        put(&mut self.h, Some(&indicator_id.to_string()));
        put(&mut self.h, Some(period));
        put(&mut self.h, Some(geography));
        put(&mut self.h, Some(&vintage.to_string()));
        put(&mut self.h, Some(value));
        self.rows += 1;
    }

    fn finish(self) -> (u64, String) {
        (self.rows, hex(&self.h.finalize()))
    }
}

#[derive(Deserialize)]
struct ImportAfter {
    batch: i64,
    rows: u64,
    digest: String,
}

/// Reads the canonical rows of `t` matching `cond` (placeholders for
/// `binds`, in order).
async fn read_rows(conn: &mut AnyConnection, t: &'static Table, cond: &str, binds: &[i64]) -> Result<Vec<Values>> {
    let sql = format!("{} WHERE {cond}", t.select());
    let mut q = sqlx::query(&sql);
    for b in binds {
        q = q.bind(*b);
    }
    let rows = q
        .fetch_all(&mut *conn)
        .await
        .ctx(|| format!("reading {} rows to audit them", t.name))?;
    rows.iter().map(|r| values_of(t, r)).collect()
}

fn values_of(t: &Table, r: &sqlx::any::AnyRow) -> Result<Values> {
    (0..t.key.len() + t.columns.len())
        .map(|i| {
            r.try_get::<Option<String>, _>(i)
                .ctx(|| format!("reading the canonical text of a {} row", t.name))
        })
        .collect()
}

/// The content of a row for the log: its non-key, non-secret columns.
fn content_of(t: &Table, values: &[Option<String>]) -> BTreeMap<String, Option<String>> {
    t.columns
        .iter()
        .zip(&values[t.key.len()..])
        .filter(|(c, _)| !t.is_secret(c))
        .map(|(c, v)| (c.to_string(), v.clone()))
        .collect()
}

fn digest_of(t: &Table, values: &[Option<String>]) -> String {
    row_digest(t, values.iter().map(|v| v.as_deref()))
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
            watches: Vec::new(),
            created: Vec::new(),
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
            rows_digest: None,
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

    /// Reads the rows of `table` that `cond` selects (placeholders for
    /// `binds`) before the write changes them; [`Audit::write`] reads them
    /// again and records what changed, was created or deleted among them.
    pub(crate) async fn track(
        &mut self,
        conn: &mut AnyConnection,
        table_name: &str,
        cond: &str,
        binds: &[i64],
    ) -> Result<()> {
        let t = table(table_name);
        let before = read_rows(conn, t, cond, binds).await?;
        self.watches.push(Watch {
            table: t,
            cond: cond.to_string(),
            binds: binds.to_vec(),
            before: Some(before),
        });
        Ok(())
    }

    /// Rows of `table` that `cond` selects are new in this write (none of
    /// them existed before it).
    pub(crate) fn track_new(&mut self, table_name: &str, cond: &str, binds: &[i64]) {
        self.watches.push(Watch {
            table: table(table_name),
            cond: cond.to_string(),
            binds: binds.to_vec(),
            before: None,
        });
    }

    /// Records a row this write inserted, from the values it bound, in
    /// the registry's order (key columns, then content columns), as their
    /// canonical text (what `CAST(col AS TEXT)` gives back). For bulk
    /// inserts, which must not overlap a tracked scope.
    pub(crate) fn created(&mut self, table_name: &'static str, values: Values) {
        let t = table(table_name);
        debug_assert_eq!(values.len(), t.key.len() + t.columns.len(), "{table_name}");
        self.created.push((t, values));
    }

    /// Reads the tracked rows again and builds the row records: first the
    /// tracked scopes (a row in several keeps its first `before` and last
    /// `after`), then the rows recorded directly.
    async fn records(&mut self, conn: &mut AnyConnection) -> Result<Vec<(&'static Table, RowRecord)>> {
        let mut out: Vec<(&'static Table, RowRecord)> = Vec::new();
        let mut index: HashMap<(&'static str, String), usize> = HashMap::new();
        for w in std::mem::take(&mut self.watches) {
            let after = read_rows(conn, w.table, &w.cond, &w.binds).await?;
            let t = w.table;
            let nk = t.key.len();
            let mut rows: BTreeMap<String, (Values, Option<String>, Option<Values>)> = BTreeMap::new();
            for v in w.before.unwrap_or_default() {
                let key = v[..nk].to_vec();
                rows.insert(key_text(&key), (key, Some(digest_of(t, &v)), None));
            }
            for v in after {
                let key = v[..nk].to_vec();
                rows.entry(key_text(&key)).or_insert((key, None, None)).2 = Some(v);
            }
            for (text, (key, b, after)) in rows {
                let d = after.as_deref().map(|v| digest_of(t, v));
                let c = after.as_deref().map(|v| content_of(t, v));
                match index.get(&(t.name, text.clone())) {
                    Some(&i) => {
                        out[i].1.d = d;
                        out[i].1.c = c;
                    }
                    None => {
                        if b == d {
                            continue;
                        }
                        index.insert((t.name, text), out.len());
                        out.push((t, RowRecord { k: key, b, d, c }));
                    }
                }
            }
        }
        out.retain(|(_, r)| r.b != r.d);
        let keep_content = out.len() + self.created.len() <= CONTENT_ROWS;
        for (t, v) in std::mem::take(&mut self.created) {
            let key = v[..t.key.len()].to_vec();
            let d = Some(digest_of(t, &v));
            let c = keep_content.then(|| content_of(t, &v));
            out.push((t, RowRecord { k: key, b: None, d, c }));
        }
        if !keep_content {
            for (_, r) in &mut out {
                r.c = None;
            }
        }
        Ok(out)
    }

    /// Writes the pending entries and the row records of the transaction
    /// (with its last entry).
    pub(crate) async fn write(mut self, w: &mut crate::WriteTx) -> Result<()> {
        let records = self.records(&mut w.tx).await?;
        let mut parts: Vec<String> = Vec::new();
        if !records.is_empty() {
            let Some(last) = self.pending.last_mut() else {
                return Err(StoreError::UnauditedWrite(records[0].0.name));
            };
            let mut start = 0;
            while start < records.len() {
                let t = records[start].0;
                let mut end = start;
                while end < records.len() && end - start < PART_ROWS && std::ptr::eq(records[end].0, t) {
                    end += 1;
                }
                let part = PartRef {
                    table: t.name,
                    rows: records[start..end].iter().map(|(_, r)| r).collect(),
                };
                parts.push(serde_json::to_string(&part).expect("row records serialise"));
                start = end;
            }
            let mut digest = PartsDigest::default();
            for (i, body) in parts.iter().enumerate() {
                digest.add(i as i64, body);
            }
            last.rows_digest = Some(digest.finish());
            last.hash = entry_hash(last);
        }
        let seq_of_parts = self.pending.last().map(|e| e.seq).unwrap_or_default();

        const PER_STATEMENT: usize = 500;
        for chunk in self.pending.chunks(PER_STATEMENT) {
            let values = (0..chunk.len())
                .map(|i| format!("({})", crate::db::params(w.backend, i * 11, 11)))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, before, after, rows_digest, \
                 prev_hash, hash) VALUES {values}"
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
                    .bind(e.rows_digest.clone())
                    .bind(e.prev_hash.clone())
                    .bind(e.hash.clone());
            }
            q.execute(&mut *w.tx)
                .await
                .ctx(|| format!("appending audit entries from {}", chunk[0].seq))?;
        }
        const PARTS_PER_STATEMENT: usize = 20;
        for (n, chunk) in parts.chunks(PARTS_PER_STATEMENT).enumerate() {
            let values = (0..chunk.len())
                .map(|i| format!("({})", crate::db::params(w.backend, i * 3, 3)))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!("INSERT INTO audit_rows (seq, part, body) VALUES {values}");
            let mut q = sqlx::query(&sql);
            for (i, body) in chunk.iter().enumerate() {
                q = q
                    .bind(seq_of_parts)
                    .bind((n * PARTS_PER_STATEMENT + i) as i32)
                    .bind(body.as_str());
            }
            q.execute(&mut *w.tx)
                .await
                .ctx(|| format!("storing the row records of audit entry {seq_of_parts}"))?;
        }
        Ok(())
    }
}

#[derive(Serialize)]
struct PartRef<'a> {
    table: &'static str,
    rows: Vec<&'a RowRecord>,
}

fn to_json<T: Serialize>(v: &T) -> String {
    // The store's own types and serde_json values: serialising cannot fail.
    serde_json::to_string(v).expect("audit entries serialise to JSON")
}

pub(crate) fn entry_of(r: &sqlx::any::AnyRow) -> Result<AuditEntry> {
    Ok(AuditEntry {
        seq: col(r, "seq")?,
        at: col(r, "at")?,
        actor: col(r, "actor")?,
        action: col(r, "action")?,
        entity: col(r, "entity")?,
        entity_id: col(r, "entity_id")?,
        before: col(r, "before")?,
        after: col(r, "after")?,
        rows_digest: col(r, "rows_digest")?,
        prev_hash: col(r, "prev_hash")?,
        hash: col(r, "hash")?,
    })
}

pub(crate) const ENTRY_COLUMNS: &str =
    "seq, at, actor, action, entity, entity_id, before, after, rows_digest, prev_hash, hash";

/// The tables the log's baselines (and a fresh database's first baseline)
/// cover.
async fn baselined(conn: &mut AnyConnection) -> Result<BTreeSet<String>> {
    let rows = sqlx::query("SELECT after FROM audit_log WHERE action = $1")
        .bind(BASELINE_ACTION)
        .fetch_all(&mut *conn)
        .await
        .ctx(|| "reading the audit baselines".to_string())?;
    let mut out = BTreeSet::new();
    for r in &rows {
        let after: Option<String> = col(r, "after")?;
        if let Some(v) = after.and_then(|a| serde_json::from_str::<serde_json::Value>(&a).ok()) {
            if let Some(tables) = v["tables"].as_array() {
                out.extend(tables.iter().filter_map(|t| t.as_str().map(str::to_string)));
            }
        }
    }
    Ok(out)
}

/// Records a baseline for every registered table no baseline covers yet:
/// on a fresh database, one entry with no rows; on a database made before
/// row records, the digest of every existing row.
pub(crate) async fn ensure_baseline(store: &Store) -> Result<()> {
    {
        let mut conn = store
            .pool
            .acquire()
            .await
            .ctx(|| "acquiring a connection".to_string())?;
        let have = baselined(&mut conn).await?;
        if TABLES.iter().all(|t| have.contains(t.name)) {
            return Ok(());
        }
    }
    store
        .write(async |w| {
            let have = baselined(&mut w.tx).await?;
            let missing: Vec<&'static Table> = TABLES.iter().filter(|t| !have.contains(t.name)).collect();
            if missing.is_empty() {
                return Ok(());
            }
            let mut audit = Audit::start(&mut w.tx).await?;
            let mut counts = BTreeMap::new();
            for t in &missing {
                let sql = t.select();
                let mut rows = sqlx::query(&sql).fetch(&mut *w.tx);
                let mut n = 0u64;
                while let Some(r) = rows
                    .try_next()
                    .await
                    .ctx(|| format!("reading {} for the baseline", t.name))?
                {
                    audit.created.push((t, values_of(t, &r)?));
                    n += 1;
                }
                counts.insert(t.name, n);
            }
            let after = serde_json::json!({
                "tables": missing.iter().map(|t| t.name).collect::<Vec<_>>(),
                "rows": counts,
            });
            audit.push("lantu", BASELINE_ACTION, "audit", None, None::<&()>, Some(&after));
            audit.write(w).await
        })
        .await
}

/// What the log last recorded of a row.
struct Known {
    seq: i64,
    digest: Option<String>,
    content: Option<BTreeMap<String, Option<String>>>,
}

fn row_problem(
    t: &Table,
    key: &[Option<String>],
    seq: i64,
    kind: AuditProblemKind,
    columns: Vec<String>,
    what: String,
) -> AuditProblem {
    let k = t.describe_key(key);
    AuditProblem {
        seq,
        kind,
        message: format!("{} ({k}): {what}", t.name),
        table: Some(t.name.to_string()),
        key: Some(k),
        columns,
    }
}

/// The columns in which `now` differs from the logged content, described.
fn column_changes(
    t: &Table,
    logged: &BTreeMap<String, Option<String>>,
    now: &[Option<String>],
) -> (Vec<String>, Vec<String>) {
    let mut names = Vec::new();
    let mut described = Vec::new();
    for (c, v) in t.columns.iter().zip(&now[t.key.len()..]) {
        if t.is_secret(c) {
            continue;
        }
        let was = logged.get(*c).cloned().flatten();
        if was != *v {
            names.push(c.to_string());
            described.push(format!("{c} {} → {}", show(was.as_deref()), show(v.as_deref())));
        }
    }
    if names.is_empty() && !t.secret.is_empty() {
        names.extend(t.secret.iter().map(|s| s.to_string()));
        described.push(format!("a secret column ({})", t.secret.join(" or ")));
    }
    (names, described)
}

impl Store {
    /// The data version: the newest audit entry's sequence number (0 on
    /// an empty log). Every write of domain data appends an entry, in
    /// commit order (appends are serialized), so a cached page or report
    /// built at version `v` is current exactly while this still reads `v`,
    /// whichever process wrote (this server, another one, the CLI).
    pub async fn data_version(&self) -> Result<i64> {
        let v: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM audit_log")
            .fetch_one(&self.pool)
            .await
            .ctx(|| "reading the data version".to_string())?;
        Ok(v.unwrap_or(0))
    }

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

    /// Recomputes the whole chain, replays the row records and compares
    /// every row of every audited table with what the log last recorded
    /// of it; lists every entry that was edited, inserted or deleted and
    /// every row that changed, appeared or disappeared behind the store's
    /// back.
    pub async fn audit_verify(&self) -> Result<AuditReport> {
        self.verify(None).await
    }

    /// [`Store::audit_verify`], and checks that the log still holds the
    /// entry `anchor` vouches for, with the same hash. Fails with
    /// [`StoreError::AnchorMismatch`] when `key` did not make the anchor.
    pub async fn audit_verify_anchored(&self, anchor: &AuditAnchor, key: &[u8]) -> Result<AuditReport> {
        if !anchor.is_genuine(key) {
            return Err(StoreError::AnchorMismatch);
        }
        self.verify(Some(anchor)).await
    }

    /// Verifies the log and returns an anchor of its head keyed with
    /// `key`; refuses a log with problems.
    pub async fn audit_anchor(&self, key: &[u8]) -> Result<(AuditAnchor, AuditReport)> {
        let report = self.audit_verify().await?;
        if !report.is_clean() {
            return Err(StoreError::AuditNotClean(report.problems.len()));
        }
        Ok((AuditAnchor::new(report.last_seq, &report.last_hash, key), report))
    }

    async fn verify(&self, anchor: Option<&AuditAnchor>) -> Result<AuditReport> {
        const PAGE: i64 = 5000;
        let mut problems = Vec::new();
        let mut expected_seq = 1i64;
        let mut prev_hash = GENESIS.to_string();
        let mut entries = 0u64;
        let mut imports: BTreeMap<i64, (i64, ImportAfter)> = BTreeMap::new();
        // seq → (rows_digest, action) of entries with row records.
        let mut with_rows: BTreeMap<i64, (String, bool)> = BTreeMap::new();
        let mut anchored_hash: Option<String> = None;
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
                    problems.push(AuditProblem::entry(
                        e.seq,
                        AuditProblemKind::Missing,
                        if e.seq == expected_seq + 1 {
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
                    ));
                } else if e.prev_hash != prev_hash {
                    problems.push(AuditProblem::entry(
                        e.seq,
                        AuditProblemKind::BrokenLink,
                        format!(
                            "entry {}: the chain is broken, its prev_hash is not the hash of entry {}: an entry was \
                             inserted or deleted before it",
                            e.seq,
                            e.seq - 1
                        ),
                    ));
                }
                if entry_hash(&e) != e.hash {
                    problems.push(AuditProblem::entry(
                        e.seq,
                        AuditProblemKind::Edited,
                        format!(
                            "entry {} ({} {} {} by {} at {}) was edited or forged: its contents no longer match its hash",
                            e.seq,
                            e.action,
                            e.entity,
                            e.entity_id.map_or_else(|| "-".to_string(), |i| i.to_string()),
                            e.actor,
                            e.at
                        ),
                    ));
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
                if let Some(d) = &e.rows_digest {
                    with_rows.insert(e.seq, (d.clone(), e.action == BASELINE_ACTION));
                }
                if anchor.is_some_and(|a| a.seq == e.seq) {
                    anchored_hash = Some(e.hash.clone());
                }
                prev_hash = e.hash.clone();
                expected_seq = e.seq + 1;
            }
            if (n as i64) < PAGE {
                break;
            }
        }
        let last_seq = expected_seq - 1;
        if let Some(a) = anchor {
            match anchored_hash {
                None if a.seq > last_seq => problems.push(AuditProblem::entry(
                    a.seq,
                    AuditProblemKind::Truncated,
                    format!(
                        "the log ends at entry {last_seq}, but the anchor made at {} vouches for entry {}: entries \
                         {}–{} were cut off",
                        a.created_at,
                        a.seq,
                        last_seq + 1,
                        a.seq
                    ),
                )),
                None => problems.push(AuditProblem::entry(
                    a.seq,
                    AuditProblemKind::Truncated,
                    format!(
                        "entry {} that the anchor made at {} vouches for is not in the log",
                        a.seq, a.created_at
                    ),
                )),
                Some(h) if h != a.hash => problems.push(AuditProblem::entry(
                    a.seq,
                    AuditProblemKind::Rewritten,
                    format!(
                        "entry {} has hash {h}, but the anchor made at {} says {}: the log up to entry {} was \
                         rewritten",
                        a.seq, a.created_at, a.hash, a.seq
                    ),
                )),
                Some(_) => {}
            }
        }
        let known = self.replay(&with_rows, &mut problems).await?;
        let rows_checked = self.compare_rows(known, &mut problems).await?;
        if !imports.is_empty() {
            self.verify_old_imports(&imports, &mut problems).await?;
        }
        Ok(AuditReport {
            entries,
            last_seq,
            last_hash: prev_hash,
            rows_checked,
            problems,
        })
    }

    /// Replays the row records in order: what the log last holds of each
    /// row. Checks each entry's records against its `rows_digest` and each
    /// record's `before` against what the log held until then.
    async fn replay(
        &self,
        with_rows: &BTreeMap<i64, (String, bool)>,
        problems: &mut Vec<AuditProblem>,
    ) -> Result<HashMap<(&'static str, String), Known>> {
        let mut known: HashMap<(&'static str, String), Known> = HashMap::new();
        let mut rows = sqlx::query("SELECT seq, part, body FROM audit_rows ORDER BY seq, part").fetch(&self.pool);
        let mut current: Option<(i64, PartsDigest)> = None;
        let mut seen: BTreeSet<i64> = BTreeSet::new();
        let finish = |cur: Option<(i64, PartsDigest)>, problems: &mut Vec<AuditProblem>| {
            if let Some((seq, d)) = cur {
                if let Some((expected, _)) = with_rows.get(&seq) {
                    if d.finish() != *expected {
                        problems.push(AuditProblem::entry(
                            seq,
                            AuditProblemKind::RecordsChanged,
                            format!(
                                "the row records of entry {seq} were edited, added or removed: they no longer match \
                                 its rows_digest"
                            ),
                        ));
                    }
                }
            }
        };
        while let Some(r) = rows.try_next().await.ctx(|| "reading the row records".to_string())? {
            let seq: i64 = col(&r, "seq")?;
            let part: i32 = col(&r, "part")?;
            let body: String = col(&r, "body")?;
            if current.as_ref().is_none_or(|(s, _)| *s != seq) {
                finish(current.take(), problems);
                current = Some((seq, PartsDigest::default()));
                seen.insert(seq);
            }
            if let Some((_, d)) = current.as_mut() {
                d.add(i64::from(part), &body);
            }
            let Some((_, baseline)) = with_rows.get(&seq) else {
                if part == 0 {
                    problems.push(AuditProblem::entry(
                        seq,
                        AuditProblemKind::RecordsChanged,
                        format!(
                            "row records are stored for entry {seq}, which the log does not hold with row records: \
                             the entry was cut off, deleted or edited"
                        ),
                    ));
                }
                continue;
            };
            let Ok(p) = serde_json::from_str::<Part>(&body) else {
                problems.push(AuditProblem::entry(
                    seq,
                    AuditProblemKind::RecordsChanged,
                    format!("part {part} of the row records of entry {seq} cannot be read"),
                ));
                continue;
            };
            let Some(t) = TABLES.iter().find(|t| t.name == p.table) else {
                continue;
            };
            for rec in p.rows {
                let text = key_text(&rec.k);
                let prior = known.get(&(t.name, text.clone()));
                let agrees = if *baseline {
                    prior.is_none_or(|k| k.digest == rec.d)
                } else {
                    prior.and_then(|k| k.digest.clone()) == rec.b
                };
                if !agrees {
                    let since = prior.map_or(0, |k| k.seq);
                    let what = match (prior.map(|k| k.digest.is_some()), &rec.b) {
                        _ if *baseline => format!(
                            "changed behind the store's back between entry {since} and the baseline of entry {seq}"
                        ),
                        (None, _) => format!(
                            "existed before entry {seq} changed it, but no earlier entry recorded it: it was written \
                             behind the store's back"
                        ),
                        (Some(false), _) => format!(
                            "entry {since} recorded it deleted, but it was there when entry {seq} changed it: it was \
                             put back behind the store's back"
                        ),
                        (Some(true), None) => format!(
                            "entry {seq} created it, but the log held it already (entry {since}): it was deleted \
                             behind the store's back before"
                        ),
                        (Some(true), Some(_)) => format!(
                            "changed behind the store's back between entry {since} and entry {seq} (which then \
                             changed it further)"
                        ),
                    };
                    problems.push(row_problem(
                        t,
                        &rec.k,
                        seq,
                        AuditProblemKind::RowChanged,
                        Vec::new(),
                        what,
                    ));
                }
                known.insert(
                    (t.name, text),
                    Known {
                        seq,
                        digest: rec.d,
                        content: rec.c,
                    },
                );
            }
        }
        finish(current.take(), problems);
        for (seq, _) in with_rows.iter().filter(|(s, _)| !seen.contains(s)) {
            problems.push(AuditProblem::entry(
                *seq,
                AuditProblemKind::RecordsChanged,
                format!("the row records of entry {seq} are missing (deleted)"),
            ));
        }
        Ok(known)
    }

    /// Compares every current row of every audited table with the log.
    async fn compare_rows(
        &self,
        mut known: HashMap<(&'static str, String), Known>,
        problems: &mut Vec<AuditProblem>,
    ) -> Result<u64> {
        let mut checked = 0u64;
        for t in TABLES {
            let sql = t.select();
            let mut rows = sqlx::query(&sql).fetch(&self.pool);
            while let Some(r) = rows
                .try_next()
                .await
                .ctx(|| format!("reading {} to verify it", t.name))?
            {
                checked += 1;
                let v = values_of(t, &r)?;
                let key = &v[..t.key.len()];
                match known.remove(&(t.name, key_text(key))) {
                    None => problems.push(row_problem(
                        t,
                        key,
                        0,
                        AuditProblemKind::RowUnexpected,
                        Vec::new(),
                        "no audit entry records this row: it was written behind the store's back".to_string(),
                    )),
                    Some(Known { seq, digest: None, .. }) => problems.push(row_problem(
                        t,
                        key,
                        seq,
                        AuditProblemKind::RowUnexpected,
                        Vec::new(),
                        format!("entry {seq} recorded this row deleted, but it is there: it was put back"),
                    )),
                    Some(Known {
                        seq,
                        digest: Some(d),
                        content,
                    }) => {
                        if d == digest_of(t, &v) {
                            continue;
                        }
                        let (columns, what) = match &content {
                            Some(c) => {
                                let (names, described) = column_changes(t, c, &v);
                                (
                                    names,
                                    format!("changed since entry {seq} recorded it: {}", described.join(", ")),
                                )
                            }
                            None => (
                                Vec::new(),
                                format!(
                                    "changed since entry {seq} recorded it (the log holds its digest only: compare \
                                     with the entries about it)"
                                ),
                            ),
                        };
                        problems.push(row_problem(t, key, seq, AuditProblemKind::RowChanged, columns, what));
                    }
                }
            }
        }
        let mut missing: Vec<_> = known
            .into_iter()
            .filter(|(_, k)| k.digest.is_some())
            .map(|((name, text), k)| (name, text, k.seq))
            .collect();
        missing.sort_by(|a, b| (a.0, a.2, &a.1).cmp(&(b.0, b.2, &b.1)));
        for (name, text, seq) in missing {
            let t = table(name);
            let key: Values = serde_json::from_str(&text).unwrap_or_default();
            problems.push(row_problem(
                t,
                &key,
                seq,
                AuditProblemKind::RowMissing,
                Vec::new(),
                format!("entry {seq} recorded this row, but the table no longer has it: it was deleted"),
            ));
        }
        Ok(checked)
    }

    /// Imports made before row records existed carry a digest of their
    /// vintages: recomputed from the observations table.
    async fn verify_old_imports(
        &self,
        imports: &BTreeMap<i64, (i64, ImportAfter)>,
        problems: &mut Vec<AuditProblem>,
    ) -> Result<()> {
        let mut digests: HashMap<i64, RowsDigest> = HashMap::new();
        let mut rows = sqlx::query(
            "SELECT id, batch_id, indicator_id, period, geography, vintage, value FROM observations ORDER BY id",
        )
        .fetch(&self.pool);
        while let Some(r) = rows
            .try_next()
            .await
            .ctx(|| "reading observations to verify import digests".to_string())?
        {
            let batch: i64 = col(&r, "batch_id")?;
            if !imports.contains_key(&batch) {
                continue;
            }
            let period: String = col(&r, "period")?;
            let geography: String = col(&r, "geography")?;
            let value: String = col(&r, "value")?;
            digests.entry(batch).or_default().add(
                col(&r, "indicator_id")?,
                &period,
                &geography,
                col(&r, "vintage")?,
                &value,
            );
        }
        for (batch, (seq, audited)) in imports {
            let (rows, digest) = digests.remove(batch).unwrap_or_default().finish();
            if rows != audited.rows || digest != audited.digest {
                problems.push(AuditProblem::entry(
                    *seq,
                    AuditProblemKind::DataChanged,
                    format!(
                        "the figures of import batch {batch} (audit entry {seq}) changed after the import: {} vintages \
                         were recorded, {rows} are stored{}",
                        audited.rows,
                        if rows == audited.rows { ", and their contents differ" } else { "" }
                    ),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_are_keyed() {
        let a = AuditAnchor::new(7, &"ab".repeat(32), b"secret key");
        assert!(a.is_genuine(b"secret key"));
        assert!(!a.is_genuine(b"another key"));
        let mut b = a.clone();
        b.seq = 8;
        assert!(!b.is_genuine(b"secret key"));
        let mut c = a.clone();
        c.hash = "cd".repeat(32);
        assert!(!c.is_genuine(b"secret key"));
        assert_eq!(unhex("00ff10"), Some(vec![0, 255, 16]));
        assert_eq!(unhex("0g"), None);
    }

    #[test]
    fn row_digests_name_their_columns() {
        let t = table("users");
        let a = row_digest(t, [Some("1"), Some("x")]);
        // The same values under another table give another digest.
        let b = row_digest(table("plans"), [Some("1"), Some("x")]);
        assert_ne!(a, b);
        assert_ne!(row_digest(t, [Some("1"), None]), row_digest(t, [Some("1"), Some("")]));
    }

    #[test]
    fn registered_tables_are_distinct() {
        let names: BTreeSet<_> = TABLES.iter().map(|t| t.name).collect();
        assert_eq!(names.len(), TABLES.len());
        for t in TABLES {
            assert!(!t.key.is_empty(), "{}", t.name);
            for s in t.secret {
                assert!(t.columns.contains(s), "{}: {s}", t.name);
            }
        }
    }
}
