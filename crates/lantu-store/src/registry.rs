//! The deployment's department registry (部门名录): every body the plans
//! assign work to, by code, shared by all plans — a plan's `departments`
//! rows name a body by its code, so the same code in two plans is the same
//! 区生态环境局. Importing or applying a plan document adds the codes it
//! brings that the registry lacks; bodies are retired, never deleted, and
//! one still named by an active plan department or account cannot be
//! retired. Every write is audited.

use crate::audit::Audit;
use crate::db::col;
use crate::error::{Ctx, Result, StoreError};
use crate::{Store, WriteTx};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::AnyConnection;

/// One body of the registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryEntry {
    pub id: i64,
    /// Unique code (`sthj`), what plans and accounts name.
    pub code: String,
    pub name: String,
    /// 简称.
    pub short_name: Option<String>,
    /// 上级单位: another entry's code or free text.
    pub parent: Option<String>,
    /// 联系人.
    pub contact: Option<String>,
    /// 联系电话.
    pub phone: Option<String>,
    /// When retired (no longer offered to plans and accounts).
    pub retired_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// The fields a planner or administrator writes (all but the code, which
/// never changes once plans name it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryFields {
    pub name: String,
    #[serde(default)]
    pub short_name: Option<String>,
    #[serde(default)]
    pub parent: Option<String>,
    #[serde(default)]
    pub contact: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

const SELECT: &str =
    "SELECT id, code, name, short_name, parent, contact, phone, retired_at, created_at, updated_at FROM registry";

fn entry(r: &AnyRow) -> Result<RegistryEntry> {
    Ok(RegistryEntry {
        id: col(r, "id")?,
        code: col(r, "code")?,
        name: col(r, "name")?,
        short_name: col(r, "short_name")?,
        parent: col(r, "parent")?,
        contact: col(r, "contact")?,
        phone: col(r, "phone")?,
        retired_at: col(r, "retired_at")?,
        created_at: col(r, "created_at")?,
        updated_at: col(r, "updated_at")?,
    })
}

fn trimmed(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Checks a code: 1–32 ASCII letters, digits, `-` or `_`.
pub(crate) fn check_code(code: &str) -> Result<()> {
    if code.is_empty()
        || code.len() > 32
        || !code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(StoreError::InvalidInput {
            field: "code",
            value: code.to_string(),
            what: "部门代码须为 1–32 个英文字母、数字、- 或 _ / is not a code: 1–32 ASCII letters, digits, - or _",
        });
    }
    Ok(())
}

fn check_fields(f: &RegistryFields) -> Result<RegistryFields> {
    let name = f.name.trim().to_string();
    if name.is_empty() {
        return Err(StoreError::InvalidInput {
            field: "name",
            value: String::new(),
            what: "请填写部门名称 / the department needs a name",
        });
    }
    if let Some(p) = trimmed(&f.phone) {
        if !p.chars().all(|c| c.is_ascii_digit() || " -+()（）转".contains(c)) {
            return Err(StoreError::InvalidInput {
                field: "phone",
                value: p,
                what: "电话只能含数字、空格、-、+ 和括号 / a phone number holds digits, spaces, - + and brackets",
            });
        }
    }
    Ok(RegistryFields {
        name,
        short_name: trimmed(&f.short_name),
        parent: trimmed(&f.parent),
        contact: trimmed(&f.contact),
        phone: trimmed(&f.phone),
    })
}

async fn by_code(conn: &mut AnyConnection, code: &str) -> Result<Option<RegistryEntry>> {
    sqlx::query(&format!("{SELECT} WHERE code = $1"))
        .bind(code.to_string())
        .fetch_optional(conn)
        .await
        .ctx(|| format!("reading department `{code}` of the registry"))?
        .as_ref()
        .map(entry)
        .transpose()
}

/// Adds `code` to the registry with `name` unless it is there; returns the
/// new row's id (for the caller's audit) when it added one. For plan
/// imports and applies, whose audit entry covers the row.
pub(crate) async fn register(
    conn: &mut AnyConnection,
    code: &str,
    name: &str,
    at: &str,
    actor: &str,
) -> Result<Option<i64>> {
    if by_code(&mut *conn, code).await?.is_some() {
        return Ok(None);
    }
    let r = sqlx::query(
        "INSERT INTO registry (code, name, created_at, created_by, updated_at) VALUES ($1, $2, $3, $4, $3) RETURNING id",
    )
    .bind(code.to_string())
    .bind(name.to_string())
    .bind(at.to_string())
    .bind(actor.to_string())
    .fetch_one(conn)
    .await
    .ctx(|| format!("adding department `{code}` to the registry"))?;
    Ok(Some(col(&r, "id")?))
}

/// Who still names `code`: active plan departments and active accounts.
async fn referrers(conn: &mut AnyConnection, code: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for r in sqlx::query(
        "SELECT p.id, p.name FROM departments d JOIN plans p ON p.id = d.plan_id \
         WHERE d.code = $1 AND d.retired_at IS NULL ORDER BY p.id",
    )
    .bind(code.to_string())
    .fetch_all(&mut *conn)
    .await
    .ctx(|| format!("reading the plans that name department `{code}`"))?
    {
        out.push(format!("计划 {} {}", col::<i64>(&r, "id")?, col::<String>(&r, "name")?));
    }
    for r in sqlx::query("SELECT username FROM users WHERE department = $1 AND active = 1 ORDER BY username")
        .bind(code.to_string())
        .fetch_all(&mut *conn)
        .await
        .ctx(|| format!("reading the accounts of department `{code}`"))?
    {
        out.push(format!("账户 {}", col::<String>(&r, "username")?));
    }
    Ok(out)
}

impl Store {
    /// Every body of the registry, retired ones too, by code.
    pub async fn registry(&self) -> Result<Vec<RegistryEntry>> {
        let rows = sqlx::query(&format!("{SELECT} ORDER BY code"))
            .fetch_all(&self.pool)
            .await
            .ctx(|| "reading the department registry".to_string())?;
        rows.iter().map(entry).collect()
    }

    /// One body by its code.
    pub async fn registry_entry(&self, code: &str) -> Result<RegistryEntry> {
        let mut conn = self.pool.acquire().await.ctx(|| "connecting".to_string())?;
        by_code(&mut conn, code)
            .await?
            .ok_or_else(|| StoreError::DepartmentNotFound(code.to_string()))
    }

    /// Adds a body under a new code.
    pub async fn add_registry_entry(&self, code: &str, fields: &RegistryFields, actor: &str) -> Result<RegistryEntry> {
        let code = code.trim();
        check_code(code)?;
        let f = check_fields(fields)?;
        self.write(async |w: &mut WriteTx| {
            if by_code(&mut w.tx, code).await?.is_some() {
                return Err(StoreError::DepartmentTaken(code.to_string()));
            }
            let mut audit = Audit::start(&mut w.tx).await?;
            let r = sqlx::query(
                "INSERT INTO registry (code, name, short_name, parent, contact, phone, created_at, created_by, \
                 updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7) RETURNING id",
            )
            .bind(code.to_string())
            .bind(f.name.clone())
            .bind(f.short_name.clone())
            .bind(f.parent.clone())
            .bind(f.contact.clone())
            .bind(f.phone.clone())
            .bind(audit.at().to_string())
            .bind(actor.to_string())
            .fetch_one(&mut *w.tx)
            .await
            .ctx(|| format!("adding department `{code}` to the registry"))?;
            let id: i64 = col(&r, "id")?;
            audit.track_new("registry", "id = $1", &[id]);
            audit.push(
                actor,
                "add_department",
                "department",
                Some(id),
                None::<&()>,
                Some(&(code, &f)),
            );
            audit.write(w).await?;
            by_code(&mut w.tx, code)
                .await?
                .ok_or_else(|| StoreError::DepartmentNotFound(code.to_string()))
        })
        .await
    }

    /// Changes a body's name, short name, parent body and contact; a
    /// retired body is restored with `restore`.
    pub async fn update_registry_entry(
        &self,
        code: &str,
        fields: &RegistryFields,
        restore: bool,
        actor: &str,
    ) -> Result<RegistryEntry> {
        let f = check_fields(fields)?;
        if f.parent.as_deref() == Some(code) {
            return Err(StoreError::InvalidInput {
                field: "parent",
                value: code.to_string(),
                what: "上级单位不能是本部门 / a body is not its own parent",
            });
        }
        self.write(async |w: &mut WriteTx| {
            let before = by_code(&mut w.tx, code)
                .await?
                .ok_or_else(|| StoreError::DepartmentNotFound(code.to_string()))?;
            let mut audit = Audit::start(&mut w.tx).await?;
            audit.track(&mut w.tx, "registry", "id = $1", &[before.id]).await?;
            sqlx::query(&format!(
                "UPDATE registry SET name = $1, short_name = $2, parent = $3, contact = $4, phone = $5, \
                 updated_at = $6{} WHERE id = $7",
                if restore { ", retired_at = NULL" } else { "" }
            ))
            .bind(f.name.clone())
            .bind(f.short_name.clone())
            .bind(f.parent.clone())
            .bind(f.contact.clone())
            .bind(f.phone.clone())
            .bind(audit.at().to_string())
            .bind(before.id)
            .execute(&mut *w.tx)
            .await
            .ctx(|| format!("changing department `{code}` of the registry"))?;
            let after = by_code(&mut w.tx, code)
                .await?
                .ok_or_else(|| StoreError::DepartmentNotFound(code.to_string()))?;
            audit.push(
                actor,
                "edit_department",
                "department",
                Some(before.id),
                Some(&before),
                Some(&after),
            );
            audit.write(w).await?;
            Ok(after)
        })
        .await
    }

    /// Retires a body: refused while an active plan department or an
    /// active account names it (the message lists them).
    pub async fn retire_registry_entry(&self, code: &str, actor: &str) -> Result<RegistryEntry> {
        self.write(async |w: &mut WriteTx| {
            let before = by_code(&mut w.tx, code)
                .await?
                .ok_or_else(|| StoreError::DepartmentNotFound(code.to_string()))?;
            if before.retired_at.is_some() {
                return Ok(before);
            }
            let by = referrers(&mut w.tx, code).await?;
            if !by.is_empty() {
                return Err(StoreError::DepartmentInUse {
                    code: code.to_string(),
                    by,
                });
            }
            let mut audit = Audit::start(&mut w.tx).await?;
            audit.track(&mut w.tx, "registry", "id = $1", &[before.id]).await?;
            sqlx::query("UPDATE registry SET retired_at = $1, updated_at = $1 WHERE id = $2")
                .bind(audit.at().to_string())
                .bind(before.id)
                .execute(&mut *w.tx)
                .await
                .ctx(|| format!("retiring department `{code}`"))?;
            let after = by_code(&mut w.tx, code)
                .await?
                .ok_or_else(|| StoreError::DepartmentNotFound(code.to_string()))?;
            audit.push(
                actor,
                "retire_department",
                "department",
                Some(before.id),
                Some(&before),
                Some(&after),
            );
            audit.write(w).await?;
            Ok(after)
        })
        .await
    }
}
