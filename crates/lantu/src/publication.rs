//! `lantu plan publish|unpublish|release|withdraw`: what the public sees
//! of a plan, decided by the planner (the browser screen comes with the
//! onboarding work). The rule is `lantu_core::policy::Publication`'s: a
//! plan is public once adopted and published, an evaluation year once
//! released, a figure once published; every change is audited.

use crate::emit;
use anyhow::{Context, Result};
use clap::Subcommand;
use lantu_store::Store;

#[derive(Subcommand)]
pub enum PublicationCmd {
    /// Make an adopted plan public (公开): the public portal and anonymous
    /// API then show it, with its released years.
    Publish { id: i64 },
    /// Make a plan private again.
    Unpublish { id: i64 },
    /// Release an evaluation year to the public (发布评估年度).
    Release { id: i64, year: i32 },
    /// Withdraw a released evaluation year.
    Withdraw { id: i64, year: i32 },
}

pub async fn run(store: &Store, cmd: PublicationCmd, actor: &str) -> Result<()> {
    let (id, changed, what) = match cmd {
        PublicationCmd::Publish { id } => (
            id,
            store.set_plan_public(id, true, actor).await,
            "is public".to_string(),
        ),
        PublicationCmd::Unpublish { id } => (
            id,
            store.set_plan_public(id, false, actor).await,
            "is private".to_string(),
        ),
        PublicationCmd::Release { id, year } => (
            id,
            store.set_year_released(id, year, true, actor).await,
            format!("has year {year} released"),
        ),
        PublicationCmd::Withdraw { id, year } => (
            id,
            store.set_year_released(id, year, false, actor).await,
            format!("has year {year} withdrawn"),
        ),
    };
    let changed = changed.with_context(|| format!("cannot change what the public sees of plan {id}"))?;
    let p = store.publication(id).await?;
    let years: Vec<String> = p.released_years.iter().map(i32::to_string).collect();
    emit(&format!(
        "plan {id} {what}{}; public: {}; released years: {}\n",
        if changed { "" } else { " already" },
        if p.plan_public() { "yes" } else { "no" },
        if years.is_empty() {
            "none".to_string()
        } else {
            years.join(", ")
        }
    ))
}
