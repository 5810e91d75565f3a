//! `lantu evidence add|list|get`: evidence files (佐证材料) from the command
//! line, as the account named by `--as` (the same rules as on the web:
//! a reporter attaches to its own department's figures only).

use anyhow::{Context, Result};
use clap::Subcommand;
use lantu_app::{App, EvidenceTarget};
use lantu_core::Period;
use std::path::PathBuf;

/// What a file supports.
#[derive(clap::Args, Debug)]
pub struct Target {
    /// A figure: the indicator's code (with --period).
    #[arg(long, requires = "period", conflicts_with_all = ["work", "project"])]
    indicator: Option<String>,
    /// The figure's period: 2023, 2023Q1, 2023-01.
    #[arg(long)]
    period: Option<String>,
    /// A town or street (the plan's own area when absent).
    #[arg(long)]
    geography: Option<String>,
    /// A work-plan entry (task update), by id.
    #[arg(long, conflicts_with = "project")]
    work: Option<i64>,
    /// A project, by code.
    #[arg(long)]
    project: Option<String>,
}

impl Target {
    fn target(&self) -> Result<EvidenceTarget> {
        if let Some(indicator) = &self.indicator {
            let p = self.period.as_deref().unwrap_or("");
            return Ok(EvidenceTarget::Figure {
                indicator: indicator.clone(),
                period: Period::parse(p).with_context(|| format!("期间“{p}”无效 / invalid period `{p}`"))?,
                geography: self.geography.clone(),
            });
        }
        if let Some(id) = self.work {
            return Ok(EvidenceTarget::WorkEntry { id });
        }
        if let Some(code) = &self.project {
            return Ok(EvidenceTarget::Project { code: code.clone() });
        }
        anyhow::bail!(
            "请指明 --indicator 与 --period、--work 或 --project / give --indicator and --period, --work or --project"
        )
    }
}

#[derive(Subcommand)]
pub enum EvidenceCmd {
    /// Attach a file (pdf, png, jpeg, xlsx, docx; checked by content).
    Add {
        #[arg(long)]
        plan: i64,
        #[command(flatten)]
        target: Target,
        file: PathBuf,
    },
    /// List the files of a figure, task update or project.
    List {
        #[arg(long)]
        plan: i64,
        #[command(flatten)]
        target: Target,
    },
    /// Write file ID to OUTPUT.
    Get {
        #[arg(long)]
        plan: i64,
        id: i64,
        #[arg(short, long)]
        output: PathBuf,
    },
}

pub async fn run(app: &App, cmd: EvidenceCmd, actor: &str) -> Result<()> {
    let user = app
        .user_by_name(actor)
        .await?
        .with_context(|| format!("--as {actor}: 没有该账户；佐证材料命令以账户身份执行 / no such account; evidence commands act as an account"))?;
    match cmd {
        EvidenceCmd::Add { plan, target, file } => {
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            let e = app
                .attach_evidence(&user, plan, &target.target()?, &name, &bytes)
                .await?;
            println!("{}", serde_json::to_string_pretty(&e)?);
        }
        EvidenceCmd::List { plan, target } => {
            let list = app.evidence_of(Some(&user), plan, &target.target()?).await?;
            println!("{}", serde_json::to_string_pretty(&list)?);
        }
        EvidenceCmd::Get { plan, id, output } => {
            let (e, bytes) = app.evidence_download(Some(&user), plan, id).await?;
            std::fs::write(&output, &bytes).with_context(|| format!("cannot write {}", output.display()))?;
            eprintln!(
                "{} ({}, {} bytes) → {}",
                e.file_name,
                e.kind.as_str(),
                bytes.len(),
                output.display()
            );
        }
    }
    Ok(())
}
