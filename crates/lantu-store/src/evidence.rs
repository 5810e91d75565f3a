//! Evidence files (佐证材料) attached to a figure, a work-plan entry or a
//! project: their description (audited) and their bytes (in the database,
//! or in a folder the application layer keeps). Who may attach, read or
//! publish a file is the application layer's rule; the store keeps the
//! file, its digest and the count cap, in one transaction.

use crate::audit::Audit;
use crate::db::col;
use crate::error::{Ctx, Result, StoreError};
use crate::Store;
use base64::Engine;
use lantu_core::evidence::{FileKind, MAX_EVIDENCE_FILES};
use lantu_core::Period;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;

/// What a file is attached to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "to")]
pub enum EvidenceTarget {
    /// A figure: every vintage of indicator `indicator` (code) for
    /// `period` and `geography` (`None`: the plan's own area).
    Figure {
        indicator: String,
        period: Period,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        geography: Option<String>,
    },
    /// A work-plan entry (a task's annual update), by id.
    WorkEntry { id: i64 },
    /// A project, by code.
    Project { code: String },
}

/// Where a file's bytes are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceStorage {
    Database,
    /// The folder configured for evidence, under the file's SHA-256.
    Folder,
}

impl EvidenceStorage {
    fn as_str(self) -> &'static str {
        match self {
            EvidenceStorage::Database => "database",
            EvidenceStorage::Folder => "folder",
        }
    }
}

/// One stored file's description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub id: i64,
    pub plan_id: i64,
    pub target: EvidenceTarget,
    pub file_name: String,
    pub kind: FileKind,
    pub size: i64,
    pub sha256: String,
    pub storage: EvidenceStorage,
    /// The planner has marked it public (shown with a public figure).
    pub public: bool,
    pub uploaded_at: String,
    pub uploaded_by: String,
}

/// A file to store; `kind` is the one found in `bytes`.
#[derive(Debug, Clone, Copy)]
pub struct NewEvidence<'a> {
    pub file_name: &'a str,
    pub kind: FileKind,
    pub bytes: &'a [u8],
    pub storage: EvidenceStorage,
}

/// SHA-256 of `bytes`, hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

const SELECT: &str = "SELECT e.id, e.plan_id, i.code AS indicator, e.period, e.geography, e.work_entry_id, \
                      p.code AS project, e.file_name, e.kind, e.size, e.sha256, e.storage, e.public, \
                      e.uploaded_at, e.uploaded_by FROM evidence e LEFT JOIN indicators i ON i.id = e.indicator_id \
                      LEFT JOIN projects p ON p.id = e.project_id";

fn corrupt(id: i64, column: &'static str, value: String, what: &str) -> StoreError {
    StoreError::Corrupt {
        table: "evidence",
        id,
        column,
        value,
        what: what.into(),
    }
}

fn evidence_of(r: &AnyRow) -> Result<Evidence> {
    let id: i64 = col(r, "id")?;
    let indicator: Option<String> = col(r, "indicator")?;
    let work: Option<i64> = col(r, "work_entry_id")?;
    let project: Option<String> = col(r, "project")?;
    let target = match (indicator, work, project) {
        (Some(indicator), None, None) => {
            let p: String = col::<Option<String>>(r, "period")?.unwrap_or_default();
            let period = Period::parse(&p).map_err(|e| corrupt(id, "period", p.clone(), &e.to_string()))?;
            let g: String = col::<Option<String>>(r, "geography")?.unwrap_or_default();
            EvidenceTarget::Figure {
                indicator,
                period,
                geography: (!g.is_empty()).then_some(g),
            }
        }
        (None, Some(id), None) => EvidenceTarget::WorkEntry { id },
        (None, None, Some(code)) => EvidenceTarget::Project { code },
        _ => {
            return Err(corrupt(
                id,
                "indicator_id",
                String::new(),
                "attached to nothing, or to more than one thing",
            ))
        }
    };
    let kind: String = col(r, "kind")?;
    let storage: String = col(r, "storage")?;
    Ok(Evidence {
        id,
        plan_id: col(r, "plan_id")?,
        target,
        file_name: col(r, "file_name")?,
        kind: FileKind::parse(&kind).ok_or_else(|| corrupt(id, "kind", kind.clone(), "not a file kind"))?,
        size: col(r, "size")?,
        sha256: col(r, "sha256")?,
        storage: match storage.as_str() {
            "database" => EvidenceStorage::Database,
            "folder" => EvidenceStorage::Folder,
            _ => return Err(corrupt(id, "storage", storage, "not a storage")),
        },
        public: col::<i32>(r, "public")? != 0,
        uploaded_at: col(r, "uploaded_at")?,
        uploaded_by: col(r, "uploaded_by")?,
    })
}

/// The target's columns: indicator id, period, geography, work entry id,
/// project id — resolved in plan `plan_id`.
type Columns = (Option<i64>, Option<String>, Option<String>, Option<i64>, Option<i64>);

async fn resolve(conn: &mut sqlx::AnyConnection, plan_id: i64, target: &EvidenceTarget) -> Result<Columns> {
    match target {
        EvidenceTarget::Figure {
            indicator,
            period,
            geography,
        } => {
            let r = sqlx::query("SELECT id FROM indicators WHERE plan_id = $1 AND code = $2")
                .bind(plan_id)
                .bind(indicator.clone())
                .fetch_optional(&mut *conn)
                .await
                .ctx(|| format!("reading indicator `{indicator}`"))?
                .ok_or_else(|| StoreError::IndicatorNotFound {
                    plan_id,
                    code: indicator.clone(),
                })?;
            let geo = geography.as_deref().unwrap_or("").trim().to_string();
            Ok((Some(col(&r, "id")?), Some(period.to_string()), Some(geo), None, None))
        }
        EvidenceTarget::WorkEntry { id } => {
            sqlx::query(
                "SELECT w.id FROM work_plan_entries w JOIN tasks t ON t.id = w.task_id WHERE w.id = $1 AND t.plan_id = $2",
            )
            .bind(*id)
            .bind(plan_id)
            .fetch_optional(&mut *conn)
            .await
            .ctx(|| format!("reading work-plan entry {id}"))?
            .ok_or(StoreError::NotFound {
                entity: "work-plan entry",
                id: *id,
            })?;
            Ok((None, None, None, Some(*id), None))
        }
        EvidenceTarget::Project { code } => {
            let r = sqlx::query("SELECT id FROM projects WHERE plan_id = $1 AND code = $2")
                .bind(plan_id)
                .bind(code.clone())
                .fetch_optional(&mut *conn)
                .await
                .ctx(|| format!("reading project `{code}`"))?
                .ok_or(StoreError::InvalidInput {
                    field: "project",
                    value: code.clone(),
                    what: "is not a project of this plan / 规划中没有该项目",
                })?;
            Ok((None, None, None, None, Some(col(&r, "id")?)))
        }
    }
}

const WHERE_TARGET: &str = "e.plan_id = $1 AND (e.indicator_id = $2 OR ($2 IS NULL AND e.indicator_id IS NULL)) \
                            AND (e.period = $3 OR ($3 IS NULL AND e.period IS NULL)) \
                            AND (e.geography = $4 OR ($4 IS NULL AND e.geography IS NULL)) \
                            AND (e.work_entry_id = $5 OR ($5 IS NULL AND e.work_entry_id IS NULL)) \
                            AND (e.project_id = $6 OR ($6 IS NULL AND e.project_id IS NULL))";

impl Store {
    /// Stores a file for `target` of plan `plan_id`, by `actor`. Refused
    /// when the target already carries [`MAX_EVIDENCE_FILES`] files.
    pub async fn add_evidence(
        &self,
        plan_id: i64,
        target: &EvidenceTarget,
        new: NewEvidence<'_>,
        actor: &str,
    ) -> Result<Evidence> {
        let sha = sha256_hex(new.bytes);
        let size = i64::try_from(new.bytes.len()).unwrap_or(i64::MAX);
        let id = self
            .write(async |w| {
                let (ind, period, geo, work, project) = resolve(&mut w.tx, plan_id, target).await?;
                let n = sqlx::query(&format!("SELECT COUNT(*) AS n FROM evidence e WHERE {WHERE_TARGET}"))
                    .bind(plan_id)
                    .bind(ind)
                    .bind(period.clone())
                    .bind(geo.clone())
                    .bind(work)
                    .bind(project)
                    .fetch_one(&mut *w.tx)
                    .await
                    .ctx(|| "counting evidence files".to_string())?;
                if col::<i64>(&n, "n")? >= MAX_EVIDENCE_FILES as i64 {
                    return Err(StoreError::InvalidInput {
                        field: "file",
                        value: new.file_name.to_string(),
                        what: "cannot be added: this item already carries the most files allowed (10) / 该项已有 10 个佐证材料，达到上限",
                    });
                }
                let mut audit = Audit::start(&mut w.tx).await?;
                let r = sqlx::query(
                    "INSERT INTO evidence (plan_id, indicator_id, period, geography, work_entry_id, project_id, \
                     file_name, kind, size, sha256, storage, public, uploaded_at, uploaded_by) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 0, $12, $13) RETURNING id",
                )
                .bind(plan_id)
                .bind(ind)
                .bind(period)
                .bind(geo)
                .bind(work)
                .bind(project)
                .bind(new.file_name.to_string())
                .bind(new.kind.as_str())
                .bind(size)
                .bind(sha.clone())
                .bind(new.storage.as_str())
                .bind(audit.at().to_string())
                .bind(actor.to_string())
                .fetch_one(&mut *w.tx)
                .await
                .ctx(|| format!("adding evidence `{}` to plan {plan_id}", new.file_name))?;
                let id: i64 = col(&r, "id")?;
                audit.track_new("evidence", "id = $1", &[id]);
                if new.storage == EvidenceStorage::Database {
                    sqlx::query("INSERT INTO evidence_content (evidence_id, data) VALUES ($1, $2)")
                        .bind(id)
                        .bind(base64::engine::general_purpose::STANDARD.encode(new.bytes))
                        .execute(&mut *w.tx)
                        .await
                        .ctx(|| format!("storing the bytes of evidence {id}"))?;
                }
                audit.push(
                    actor,
                    "add_evidence",
                    "evidence",
                    Some(id),
                    None::<&()>,
                    Some(&serde_json::json!({
                        "target": target, "file_name": new.file_name, "kind": new.kind, "size": size, "sha256": sha,
                    })),
                );
                audit.write(w).await?;
                Ok(id)
            })
            .await?;
        self.evidence_file(id)
            .await?
            .ok_or(StoreError::NotFound { entity: "evidence", id })
    }

    /// The files attached to `target`, oldest first.
    pub async fn evidence_for(&self, plan_id: i64, target: &EvidenceTarget) -> Result<Vec<Evidence>> {
        let mut conn = self.pool.acquire().await.ctx(|| "connecting".to_string())?;
        let (ind, period, geo, work, project) = resolve(&mut conn, plan_id, target).await?;
        let rows = sqlx::query(&format!("{SELECT} WHERE {WHERE_TARGET} ORDER BY e.id"))
            .bind(plan_id)
            .bind(ind)
            .bind(period)
            .bind(geo)
            .bind(work)
            .bind(project)
            .fetch_all(&mut *conn)
            .await
            .ctx(|| format!("listing the evidence of plan {plan_id}"))?;
        rows.iter().map(evidence_of).collect()
    }

    /// Every file of plan `plan_id`, oldest first.
    pub async fn plan_evidence(&self, plan_id: i64) -> Result<Vec<Evidence>> {
        let rows = sqlx::query(&format!("{SELECT} WHERE e.plan_id = $1 ORDER BY e.id"))
            .bind(plan_id)
            .fetch_all(&self.pool)
            .await
            .ctx(|| format!("listing the evidence of plan {plan_id}"))?;
        rows.iter().map(evidence_of).collect()
    }

    /// One file's description.
    pub async fn evidence_file(&self, id: i64) -> Result<Option<Evidence>> {
        let r = sqlx::query(&format!("{SELECT} WHERE e.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .ctx(|| format!("reading evidence {id}"))?;
        r.as_ref().map(evidence_of).transpose()
    }

    /// The bytes of a file kept in the database, checked against its
    /// digest (`None` when kept in the folder).
    pub async fn evidence_bytes(&self, e: &Evidence) -> Result<Option<Vec<u8>>> {
        let Some(r) = sqlx::query("SELECT data FROM evidence_content WHERE evidence_id = $1")
            .bind(e.id)
            .fetch_optional(&self.pool)
            .await
            .ctx(|| format!("reading the bytes of evidence {}", e.id))?
        else {
            return Ok(None);
        };
        let text: String = col(&r, "data")?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text.as_bytes())
            .map_err(|err| corrupt(e.id, "data", String::new(), &err.to_string()))?;
        if sha256_hex(&bytes) != e.sha256 {
            return Err(corrupt(
                e.id,
                "data",
                String::new(),
                "the bytes no longer match the audited SHA-256: changed behind the store's back",
            ));
        }
        Ok(Some(bytes))
    }

    /// Marks a file public or not (audited); returns whether it changed.
    pub async fn set_evidence_public(&self, id: i64, public: bool, actor: &str) -> Result<bool> {
        self.write(async |w| {
            let r = sqlx::query("SELECT public FROM evidence WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *w.tx)
                .await
                .ctx(|| format!("reading evidence {id}"))?
                .ok_or(StoreError::NotFound { entity: "evidence", id })?;
            let was = col::<i32>(&r, "public")? != 0;
            if was == public {
                return Ok(false);
            }
            let mut audit = Audit::start(&mut w.tx).await?;
            audit.track(&mut w.tx, "evidence", "id = $1", &[id]).await?;
            sqlx::query("UPDATE evidence SET public = $1 WHERE id = $2")
                .bind(i32::from(public))
                .bind(id)
                .execute(&mut *w.tx)
                .await
                .ctx(|| format!("marking evidence {id}"))?;
            audit.push(
                actor,
                if public {
                    "publish_evidence"
                } else {
                    "unpublish_evidence"
                },
                "evidence",
                Some(id),
                Some(&serde_json::json!({ "public": was })),
                Some(&serde_json::json!({ "public": public })),
            );
            audit.write(w).await?;
            Ok(true)
        })
        .await
    }
}
