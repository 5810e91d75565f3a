//! The tamper-evident audit log: checking it against every audited row,
//! and its keyed head (anchor) kept outside the database.

use crate::{App, Result};

pub use lantu_store::{AuditAnchor, AuditReport};

impl App {
    /// Checks the hash chain and every audited row against it.
    pub async fn audit_verify(&self) -> Result<AuditReport> {
        Ok(self.store.audit_verify().await?)
    }

    /// [`App::audit_verify`], and that the log still holds the entry
    /// `anchor` names with the same hash (signed with `key`).
    pub async fn audit_verify_anchored(&self, anchor: &AuditAnchor, key: &[u8]) -> Result<AuditReport> {
        Ok(self.store.audit_verify_anchored(anchor, key).await?)
    }

    /// The log's head signed with `key`, once the log verifies.
    pub async fn audit_anchor(&self, key: &[u8]) -> Result<(AuditAnchor, AuditReport)> {
        Ok(self.store.audit_anchor(key).await?)
    }

    /// Whether any account exists (the first `serve` creates one).
    pub async fn has_users(&self) -> Result<bool> {
        Ok(self.store.has_users().await?)
    }
}
