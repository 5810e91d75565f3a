//! `lantu extract --score-dir PLANS --gold-dir GOLD`: every plan of one or
//! more folders read and, where `GOLD/<stem>.gold.json` exists, scored; one
//! table (or JSON object); the lexicon entries that fired in each plan; bars
//! that make the command fail.

use anyhow::{bail, Context, Result};
use lantu_extract::score::{self, score_identity, Gold, IdentityScore, Prf};
use lantu_extract::{Genre, PlanInfo};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::{emit, Format};

/// The arguments of folder scoring (flattened into `lantu extract`).
#[derive(clap::Args, Debug, Default)]
pub(crate) struct DirArgs {
    /// Score every plan (.txt/.md/.html/.docx/.pdf) of this folder (may be
    /// repeated) against the gold files of --gold-dir, matched by file stem
    /// (`X.txt` ↔ `X.gold.json`); prints one table.
    #[arg(long, value_name = "PLANS", requires = "gold_dir")]
    pub score_dir: Vec<PathBuf>,
    /// The folder of gold files for --score-dir.
    #[arg(long, value_name = "GOLD")]
    pub gold_dir: Option<PathBuf>,
    /// Fail when a plan with gold has a numeric-target F1 below this.
    #[arg(long, value_name = "F1")]
    pub min_numeric_f1: Option<f64>,
    /// Fail when a plan whose gold has baselines has a baseline F1 below this.
    #[arg(long, value_name = "F1")]
    pub min_baseline_f1: Option<f64>,
    /// Fail when a plan with gold has a target F1 below this.
    #[arg(long, value_name = "F1")]
    pub min_target_f1: Option<f64>,
    /// Fail when a plan whose gold has links has a link F1 below this.
    #[arg(long, value_name = "F1")]
    pub min_link_f1: Option<f64>,
    /// Fail when the title, region, level, kind or period of a plan with
    /// gold is wrong.
    #[arg(long)]
    pub require_identity: bool,
    /// A bar for one plan, overriding the general one: `STEM:METRIC=F1`
    /// with METRIC one of targets, numeric, baselines, links (may be
    /// repeated).
    #[arg(long = "bar", value_name = "STEM:METRIC=F1")]
    pub bars: Vec<String>,
}

#[derive(Serialize)]
struct PlanRow {
    file: String,
    stem: String,
    genre: Genre,
    genre_reason: String,
    plan: PlanInfo,
    /// Present when a gold file was found.
    scores: Option<Scores>,
    /// The bars this plan fails.
    failures: Vec<String>,
}

#[derive(Serialize)]
struct Scores {
    targets: Prf,
    baselines: Prf,
    links: Prf,
    targets_numeric: Prf,
    identity: Option<IdentityScore>,
}

#[derive(Serialize)]
struct LexiconEntry {
    list: &'static str,
    entry: &'static str,
    plans: Vec<String>,
}

#[derive(Serialize)]
struct Report {
    plans: Vec<PlanRow>,
    lexicon: Vec<LexiconEntry>,
    warnings: Vec<String>,
    failures: Vec<String>,
}

const METRICS: [&str; 4] = ["targets", "numeric", "baselines", "links"];

/// The bars of one plan: general ones, then its overrides.
fn bars_for(args: &DirArgs, stem: &str) -> Result<BTreeMap<&'static str, f64>> {
    let mut bars = BTreeMap::new();
    for (m, v) in METRICS.iter().zip([
        args.min_target_f1,
        args.min_numeric_f1,
        args.min_baseline_f1,
        args.min_link_f1,
    ]) {
        if let Some(v) = v {
            bars.insert(*m, v);
        }
    }
    for b in &args.bars {
        let parsed = b.rsplit_once(':').and_then(|(s, rest)| {
            let (m, v) = rest.split_once('=')?;
            Some((s, METRICS.iter().find(|x| **x == m)?, v.parse::<f64>().ok()?))
        });
        let Some((s, m, v)) = parsed else {
            bail!(
                "--bar {b}: write STEM:METRIC=F1 with METRIC one of {}",
                METRICS.join(", ")
            );
        };
        if s == stem {
            bars.insert(*m, v);
        }
    }
    Ok(bars)
}

fn is_plan_file(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let ext = p
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    !name.eq_ignore_ascii_case("README.md") && matches!(ext.as_str(), "txt" | "md" | "html" | "htm" | "docx" | "pdf")
}

/// Runs the command; fails (after printing) when a bar is not met.
pub(crate) fn run(args: &DirArgs, format: Option<Format>) -> Result<()> {
    let gold_dir = args.gold_dir.as_deref().context("--score-dir needs --gold-dir")?;
    let mut files = Vec::new();
    for dir in &args.score_dir {
        let entries = std::fs::read_dir(dir).with_context(|| format!("cannot list the folder {}", dir.display()))?;
        for e in entries {
            let path = e
                .with_context(|| format!("cannot list the folder {}", dir.display()))?
                .path();
            if path.is_file() && is_plan_file(&path) {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut rows = Vec::new();
    let mut fired: BTreeMap<(&'static str, &'static str), Vec<String>> = BTreeMap::new();
    let mut bundled = None;
    for path in &files {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let text = lantu_extract::input::read_path(path)?;
        if text == crate::DEMO_PLAN {
            bundled = Some(stem.clone());
        }
        let (ex, hits) = lantu_extract::lexicon::record(|| lantu_extract::extract(&text));
        for h in hits {
            fired.entry(h).or_default().push(stem.clone());
        }
        let gold_path = gold_dir.join(format!("{stem}.gold.json"));
        let scores = if gold_path.is_file() {
            let gold = Gold::from_path(&gold_path).with_context(|| format!("in {}", gold_path.display()))?;
            let r = score::score(&text, &ex, &gold);
            Some(Scores {
                targets: r.targets,
                baselines: r.baselines,
                links: r.links,
                targets_numeric: r.targets_numeric,
                identity: gold.plan.as_ref().map(|p| score_identity(&ex.plan, p)),
            })
        } else {
            None
        };
        let mut failures = Vec::new();
        if let Some(s) = &scores {
            for (metric, bar) in bars_for(args, &stem)? {
                let prf = match metric {
                    "targets" => &s.targets,
                    "numeric" => &s.targets_numeric,
                    "baselines" => &s.baselines,
                    _ => &s.links,
                };
                // A bar on baselines or links holds only where the gold has some.
                if prf.gold == 0 && matches!(metric, "baselines" | "links") {
                    continue;
                }
                if prf.f1 < bar {
                    failures.push(format!("{stem}: {metric} F1 {:.3} is below {bar:.3}", prf.f1));
                }
            }
            if args.require_identity {
                match &s.identity {
                    Some(id) if !id.all_right() => {
                        failures.push(format!("{stem}: identity wrong: {}", id.wrong().join(", ")))
                    }
                    None => failures.push(format!("{stem}: the gold has no `plan` to check the identity against")),
                    _ => {}
                }
            }
        }
        rows.push(PlanRow {
            file: path.display().to_string(),
            stem,
            genre: ex.genre.genre,
            genre_reason: ex.genre.reason.clone(),
            plan: ex.plan,
            scores,
            failures,
        });
    }
    let plans_read = rows.iter().filter(|r| r.genre == Genre::Plan).count();
    let mut lexicon = Vec::new();
    let mut warnings = Vec::new();
    for (list, words) in lantu_extract::lexicon::recorded_lists() {
        for entry in words {
            let plans = fired.get(&(list, entry)).cloned().unwrap_or_default();
            if let (Some(b), [only]) = (&bundled, plans.as_slice()) {
                if only == b && plans_read > 1 {
                    warnings.push(format!(
                        "lexicon {list} `{entry}` fires only in the bundled plan ({b}): a rule tuned to one text?"
                    ));
                }
            }
            lexicon.push(LexiconEntry { list, entry, plans });
        }
    }
    let failures: Vec<String> = rows.iter().flat_map(|r| r.failures.iter().cloned()).collect();
    let report = Report {
        plans: rows,
        lexicon,
        warnings,
        failures,
    };
    match format {
        Some(Format::Json) => emit(&(serde_json::to_string_pretty(&report)? + "\n"))?,
        _ => emit(&render(&report))?,
    }
    if !report.failures.is_empty() {
        bail!(
            "{} bar(s) not met:\n  {}",
            report.failures.len(),
            report.failures.join("\n  ")
        );
    }
    Ok(())
}

fn f3(p: &Prf) -> String {
    format!("{:.3}", p.f1)
}

fn mark(ok: bool) -> &'static str {
    if ok {
        "ok"
    } else {
        "WRONG"
    }
}

fn period(p: &PlanInfo) -> String {
    format!("{}–{}", p.start_year, p.end_year)
}

fn level_kind(p: &PlanInfo) -> (String, String) {
    let s = |v: Option<String>| v.unwrap_or_else(|| "?".into());
    (
        s(p.level.map(|l| format!("{l:?}").to_lowercase())),
        s(p.kind.map(|k| format!("{k:?}").to_lowercase())),
    )
}

fn render(r: &Report) -> String {
    let header = [
        "plan",
        "targets P/R/F1",
        "baselines F1",
        "links F1",
        "numeric P/R/F1",
        "title",
        "region",
        "level",
        "kind",
        "period",
    ];
    let mut table = Vec::new();
    for p in &r.plans {
        let Some(s) = &p.scores else { continue };
        let prf = |x: &Prf| format!("{:.3}/{:.3}/{:.3}", x.precision, x.recall, x.f1);
        let id = |f: fn(&IdentityScore) -> bool| s.identity.as_ref().map_or("-", |i| mark(f(i))).to_string();
        table.push(vec![
            p.stem.clone(),
            prf(&s.targets),
            f3(&s.baselines),
            f3(&s.links),
            prf(&s.targets_numeric),
            id(|i| i.title),
            id(|i| i.region),
            id(|i| i.level),
            id(|i| i.kind),
            id(|i| i.period),
        ]);
    }
    let mut out = crate::table::render(&header, &table);
    out.push_str("\nIdentity as read:\n");
    for p in &r.plans {
        let (level, kind) = level_kind(&p.plan);
        let genre = if p.genre == Genre::Plan {
            String::new()
        } else {
            format!("  NOT A PLAN: {}", p.genre.as_str())
        };
        out.push_str(&format!(
            "  {}: 「{}」 region {} · {level} · {kind} · {}{}{}\n",
            p.stem,
            p.plan.title,
            if p.plan.region.is_empty() { "?" } else { &p.plan.region },
            period(&p.plan),
            if p.scores.is_none() { "  (no gold)" } else { "" },
            genre
        ));
    }
    out.push_str("\nLexicon entries and the plans they fired in:\n");
    for e in &r.lexicon {
        let plans = if e.plans.is_empty() {
            "(none)".to_string()
        } else {
            e.plans.join(", ")
        };
        out.push_str(&format!("  {:<18} {:<8} {plans}\n", e.list, e.entry));
    }
    for w in &r.warnings {
        out.push_str(&format!("warning: {w}\n"));
    }
    out
}

/// The genre note `lantu extract` prints on stderr for a text that is not a
/// plan.
pub(crate) fn genre_note(file: &Path, ex: &lantu_extract::Extraction) {
    if ex.genre.genre != Genre::Plan {
        eprintln!(
            "note: {} reads as a {}, not a plan, so no targets are read from it: {}",
            file.display(),
            ex.genre.genre.as_str(),
            ex.genre.reason
        );
    }
}
