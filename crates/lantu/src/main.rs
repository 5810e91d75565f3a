//! `lantu`: the command line. Wiring only: parse arguments, call the crates,
//! print. Every error is printed with its whole chain of causes.

mod table;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use lantu_extract::score::{self, Gold};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Lantu (蓝图): turn a development plan into a monitored blueprint.
#[derive(Parser)]
#[command(name = "lantu", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Json,
    Table,
}

#[derive(Subcommand)]
enum Command {
    /// Read a plan (.txt/.md/.html/.docx/.pdf) and print its outline, targets,
    /// baselines and key projects.
    Extract {
        /// The plan file.
        file: PathBuf,
        /// `json`: the whole extraction as one object (stable schema, see
        /// docs/extraction.md); `table`: the targets as an aligned table.
        /// Default: json, or the readable report with --score.
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// Compare with a gold file (schema of data/gold/README.md) and print
        /// precision, recall and F1 with every miss and false hit instead.
        #[arg(long, value_name = "GOLD.json")]
        score: Option<PathBuf>,
    },
    /// Judge stand-alone cases with the progress engine (for analysts and
    /// tests): a JSON list of {target, baseline, observations,
    /// evaluation_year}; prints the same list with status, ratio,
    /// regressing, projection and warning (docs/methodology.md).
    Assess {
        /// The cases file (JSON).
        file: PathBuf,
    },
    /// Run Lantu on the bundled plan (天津市津南区“十四五”规划): extract it,
    /// score the extraction against the bundled gold, show the targets.
    Demo,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Extract { file, format, score } => extract(&file, format, score.as_deref()),
        Command::Assess { file } => {
            let json = std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let out = lantu_core::progress::assess_cases(&json).with_context(|| format!("in {}", file.display()))?;
            emit(&(out + "\n"))
        }
        Command::Demo => demo(),
    }
}

/// Prints to stdout; a closed pipe (`lantu … | head`) ends quietly.
fn emit(s: &str) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => Ok(r?),
    }
}

fn extract(file: &Path, format: Option<Format>, gold: Option<&Path>) -> Result<()> {
    let text = lantu_extract::input::read_path(file)?;
    let ex = lantu_extract::extract(&text);
    if let Some(gold_path) = gold {
        let json = std::fs::read_to_string(gold_path)
            .with_context(|| format!("cannot read the gold file {}", gold_path.display()))?;
        let gold = Gold::from_json(&json)
            .with_context(|| format!("the gold file {} is not in the gold schema", gold_path.display()))?;
        let report = score::score(&text, &ex, &gold);
        return match format {
            Some(Format::Json) => emit(&(serde_json::to_string_pretty(&report)? + "\n")),
            _ => emit(&report.to_string()),
        };
    }
    match format {
        Some(Format::Table) => emit(&table::targets(&ex.targets)),
        _ => emit(&(serde_json::to_string_pretty(&ex)? + "\n")),
    }
}

const DEMO_PLAN: &str = include_str!("../../../data/plans/jinnan-14th-five-year-plan.txt");
const DEMO_GOLD: &str = include_str!("../../../data/gold/jinnan-14th-five-year-plan.gold.json");

fn demo() -> Result<()> {
    let ex = lantu_extract::extract(DEMO_PLAN);
    let gold = Gold::from_json(DEMO_GOLD).context("the bundled gold file is not in the gold schema")?;
    emit(&format!(
        "天津市津南区国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要 (bundled)\n\n{}\n{}\n{} chapters, {} targets, {} baselines, {} key projects.\n",
        table::targets(&ex.targets),
        score::score(DEMO_PLAN, &ex, &gold),
        ex.outline.len(),
        ex.targets.len(),
        ex.baselines.len(),
        ex.projects.len()
    ))
}
