//! Evidence files (佐证材料): attaching a file to a figure, a task update
//! or a project, listing and serving them to whoever may see them. The
//! file's kind is found in its content ([`lantu_data::filetype::sniff`]);
//! who may attach and read is [`lantu_core::policy`]'s.

use crate::{App, AppError, Result};
use lantu_core::account::Role;
use lantu_core::evidence::{clean_file_name, FileKind, MAX_EVIDENCE_BYTES};
use lantu_core::observation::ObservationState;
use lantu_core::plan::PlanDoc;
use lantu_core::policy::{Policy, Scope};
use lantu_store::{sha256_hex, Evidence, EvidenceStorage, EvidenceTarget, NewEvidence, User};
use std::path::Path;

/// What an item's readers are decided by: its lead departments and, for a
/// figure, its latest state, the year and whether a vintage is published.
struct Item {
    leads: Vec<String>,
    figure: Option<(ObservationState, i32, bool)>,
}

fn scope_for(user: &User, leads: &[String]) -> Scope {
    let dept = if user.role == Role::Reporter {
        Some(user.department.as_deref().unwrap_or(""))
    } else {
        None
    };
    Scope::of(dept, leads)
}

impl App {
    async fn item(&self, plan_id: i64, doc: &PlanDoc, target: &EvidenceTarget) -> Result<Option<Item>> {
        Ok(match target {
            EvidenceTarget::Figure {
                indicator,
                period,
                geography,
            } => {
                let Some(ind) = doc.indicators.iter().find(|i| &i.code == indicator) else {
                    return Ok(None);
                };
                let history = self
                    .store
                    .observation_history(plan_id, indicator, *period, geography.as_deref())
                    .await?;
                let Some(last) = history.last() else { return Ok(None) };
                let published = history.iter().any(|r| r.state == ObservationState::Published);
                Some(Item {
                    leads: ind.departments.clone(),
                    figure: Some((last.state, period.calendar_year(), published)),
                })
            }
            EvidenceTarget::WorkEntry { id } => {
                let entry = match self.store.work_plan_entry(*id).await {
                    Ok(e) => e,
                    Err(lantu_store::StoreError::NotFound { .. }) => return Ok(None),
                    Err(e) => return Err(e.into()),
                };
                let tasks = self.store.tasks(plan_id).await?;
                let Some(task) = tasks.into_iter().find(|t| t.id == entry.task_id) else {
                    return Ok(None);
                };
                Some(Item {
                    leads: task.departments,
                    figure: None,
                })
            }
            EvidenceTarget::Project { code } => {
                let projects = self.store.projects(plan_id).await?;
                let Some(p) = projects.into_iter().find(|p| &p.code == code) else {
                    return Ok(None);
                };
                Some(Item {
                    leads: p.departments,
                    figure: None,
                })
            }
        })
    }

    /// Whether `user` (`None`: the public) may read a file of `item`.
    async fn may_read(&self, plan_id: i64, user: Option<&User>, item: &Item, e: &Evidence) -> Result<bool> {
        match user {
            Some(u) if u.role.internal() => {
                Ok(Policy::default().may_read_evidence(u.role, scope_for(u, &item.leads), item.figure.map(|f| f.0)))
            }
            _ => {
                let publication = self.store.publication(plan_id).await?;
                Ok(publication.evidence_public(e.public, item.figure.map(|(_, y, p)| (y, p))))
            }
        }
    }

    /// Attaches `bytes` (named `file_name` by the uploader) to `target` of
    /// plan `plan_id`, for `user`. Refused, with a message naming the file,
    /// when it is empty, larger than the cap, or not a PDF, PNG, JPEG,
    /// xlsx or docx by its content.
    pub async fn attach_evidence(
        &self,
        user: &User,
        plan_id: i64,
        target: &EvidenceTarget,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<Evidence> {
        let name = clean_file_name(file_name).unwrap_or_else(|| "file".to_string());
        if bytes.is_empty() {
            return Err(AppError::Invalid(format!(
                "文件“{name}”是空的 / the file `{name}` is empty"
            )));
        }
        if bytes.len() > MAX_EVIDENCE_BYTES {
            return Err(AppError::Invalid(format!(
                "文件“{name}”过大（{:.1} MiB）：佐证材料每个最多 {} MiB / the file `{name}` is too large ({:.1} MiB): \
                 evidence files may be at most {} MiB",
                bytes.len() as f64 / 1048576.0,
                MAX_EVIDENCE_BYTES >> 20,
                bytes.len() as f64 / 1048576.0,
                MAX_EVIDENCE_BYTES >> 20
            )));
        }
        let kind = lantu_data::filetype::sniff(bytes).ok_or_else(|| {
            AppError::Invalid(format!(
                "文件“{name}”不是 PDF、PNG、JPEG、xlsx 或 docx 文件（按文件内容判断，与扩展名无关），未上传 / \
                 the file `{name}` is not a PDF, PNG, JPEG, xlsx or docx file by its content (whatever its name says); \
                 it was not stored"
            ))
        })?;
        let doc = self.store.plan_doc(plan_id).await?;
        let item = self.item(plan_id, &doc, target).await?.ok_or_else(|| {
            AppError::Invalid(match target {
                EvidenceTarget::Figure { indicator, period, .. } => format!(
                    "指标 {indicator} {period} 尚无数值：请先填报数值，再上传佐证材料 / indicator {indicator} has no \
                     figure for {period} yet: enter the figure first, then attach evidence"
                ),
                _ => "没有该任务进展或项目 / no such task update or project".to_string(),
            })
        })?;
        if !Policy::default().may_attach_evidence(user.role, scope_for(user, &item.leads)) {
            return Err(AppError::Forbidden(format!(
                "用户 {} 不能为其他部门的事项上传佐证材料 / user {} may not attach evidence to another department's item",
                user.username, user.username
            )));
        }
        let storage = match &self.evidence_dir {
            Some(dir) => {
                write_file(dir, &sha256_hex(bytes), bytes)?;
                EvidenceStorage::Folder
            }
            None => EvidenceStorage::Database,
        };
        let new = NewEvidence {
            file_name: &name,
            kind,
            bytes,
            storage,
        };
        Ok(self.store.add_evidence(plan_id, target, new, &user.username).await?)
    }

    /// The files of `target` that `user` (`None`: the public) may read —
    /// for the review page, the indicator, task and project pages, the API.
    pub async fn evidence_of(
        &self,
        user: Option<&User>,
        plan_id: i64,
        target: &EvidenceTarget,
    ) -> Result<Vec<Evidence>> {
        let doc = self.store.plan_doc(plan_id).await?;
        self.evidence_in(user, plan_id, &doc, target).await
    }

    /// [`App::evidence_of`] with the plan's document already read (the
    /// review queue lists the files of many figures).
    pub(crate) async fn evidence_in(
        &self,
        user: Option<&User>,
        plan_id: i64,
        doc: &PlanDoc,
        target: &EvidenceTarget,
    ) -> Result<Vec<Evidence>> {
        let Some(item) = self.item(plan_id, doc, target).await? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for e in self.store.evidence_for(plan_id, target).await? {
            if self.may_read(plan_id, user, &item, &e).await? {
                out.push(e);
            }
        }
        Ok(out)
    }

    /// File `id` of plan `plan_id` with its bytes, if `user` may read it;
    /// otherwise not found (the reader may not know it exists).
    pub async fn evidence_download(&self, user: Option<&User>, plan_id: i64, id: i64) -> Result<(Evidence, Vec<u8>)> {
        let e = self.store.evidence_file(id).await?.ok_or(AppError::NotFound)?;
        if e.plan_id != plan_id {
            return Err(AppError::NotFound);
        }
        let doc = self.store.plan_doc(plan_id).await?;
        let item = self.item(plan_id, &doc, &e.target).await?.ok_or(AppError::NotFound)?;
        if !self.may_read(plan_id, user, &item, &e).await? {
            return Err(AppError::NotFound);
        }
        let bytes = match e.storage {
            EvidenceStorage::Database => self.store.evidence_bytes(&e).await?.ok_or_else(|| {
                AppError::Internal(format!("the bytes of evidence {id} are missing from the database"))
            })?,
            EvidenceStorage::Folder => {
                let dir = self.evidence_dir.as_deref().ok_or_else(|| {
                    AppError::Internal(format!(
                        "evidence {id} is kept in the evidence folder, but no folder is configured (--evidence-dir)"
                    ))
                })?;
                let bytes = std::fs::read(dir.join(&e.sha256)).map_err(|err| {
                    AppError::Internal(format!("reading evidence {id} from {}: {err}", dir.display()))
                })?;
                if sha256_hex(&bytes) != e.sha256 {
                    return Err(AppError::Internal(format!(
                        "evidence {id} in {} no longer matches its audited SHA-256",
                        dir.display()
                    )));
                }
                bytes
            }
        };
        Ok((e, bytes))
    }

    /// Marks file `id` public or not: the planner's (or administrator's)
    /// decision. Returns whether it changed.
    pub async fn set_evidence_public(&self, user: &User, plan_id: i64, id: i64, public: bool) -> Result<bool> {
        if !matches!(user.role, Role::Planner | Role::Administrator) {
            return Err(AppError::Forbidden(
                "只有规划部门可以公开佐证材料 / only the planning office makes evidence public".into(),
            ));
        }
        let e = self.store.evidence_file(id).await?.ok_or(AppError::NotFound)?;
        if e.plan_id != plan_id {
            return Err(AppError::NotFound);
        }
        Ok(self.store.set_evidence_public(id, public, &user.username).await?)
    }
}

/// The content type a file of `kind` is served with.
pub fn content_type(kind: FileKind) -> &'static str {
    kind.mime()
}

/// Writes `bytes` to `dir/name` through a temporary file, so that a
/// reader never sees half a file.
fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let fail = |e: std::io::Error| AppError::Internal(format!("writing evidence to {}: {e}", dir.display()));
    std::fs::create_dir_all(dir).map_err(fail)?;
    let tmp = dir.join(format!(".{name}.tmp"));
    std::fs::write(&tmp, bytes).map_err(fail)?;
    std::fs::rename(&tmp, dir.join(name)).map_err(fail)
}
