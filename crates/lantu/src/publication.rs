//! `lantu plan publish|unpublish|release|withdraw`: what the public sees
//! of a plan, decided by the planner — the use case
//! [`lantu_app::App::change_publication`], which the publication screen
//! and the JSON API call too. The rule is
//! `lantu_core::policy::Publication`'s: a plan is public once adopted and
//! made public, an evaluation year once released, a figure once published;
//! every change is audited.

use crate::emit;
use anyhow::{Context, Result};
use clap::Subcommand;
use lantu_app::publication::PublicationChange;
use lantu_app::{Actor, App};

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

pub async fn run(app: &App, cmd: PublicationCmd, actor: &str) -> Result<()> {
    let (id, change, what) = match cmd {
        PublicationCmd::Publish { id } => (id, PublicationChange::Public(true), "is public".to_string()),
        PublicationCmd::Unpublish { id } => (id, PublicationChange::Public(false), "is private".to_string()),
        PublicationCmd::Release { id, year } => (
            id,
            PublicationChange::Year(year, true),
            format!("has year {year} released"),
        ),
        PublicationCmd::Withdraw { id, year } => (
            id,
            PublicationChange::Year(year, false),
            format!("has year {year} withdrawn"),
        ),
    };
    let out = app
        .change_publication(&Actor::operator(actor), id, change)
        .await
        .with_context(|| format!("不能更改计划 {id} 的公开内容 / cannot change what the public sees of plan {id}"))?;
    let p = &out.publication;
    let years: Vec<String> = p
        .years
        .iter()
        .filter(|y| y.released)
        .map(|y| format!("{} ({})", y.year, y.kind.evaluation_zh()))
        .collect();
    emit(&format!(
        "plan {id} {what}{}; public: {}; released years: {}\n",
        if out.changed { "" } else { " already" },
        if p.public { "yes" } else { "no" },
        if years.is_empty() {
            "none".to_string()
        } else {
            years.join(", ")
        }
    ))
}
