//! `lantu`: the command line. Wiring only: parse arguments, call the crates,
//! print. Every error is printed with its whole chain of causes.

mod audit_cmd;
mod demo;
mod departments;
mod evidence_cmd;
mod logging;
mod publication;
mod review_cmd;
mod score_dir;
mod stored;
mod table;
mod users;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use lantu_extract::score::{self, Gold};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Lantu (蓝图): turn a development plan into a monitored blueprint.
#[derive(Parser)]
#[command(name = "lantu", version, about)]
struct Cli {
    /// The database: `sqlite://PATH` (embedded, created when missing) or
    /// `postgres://…`.
    #[arg(long, global = true, env = "LANTU_DATABASE_URL", default_value = "sqlite://lantu.db")]
    db: String,
    /// Who is acting, for the audit log (default: LANTU_USER, then USER).
    #[arg(long = "as", global = true, value_name = "NAME")]
    actor: Option<String>,
    /// The language of messages and reports: `zh` or `en` (default:
    /// LANTU_LANG, then the locale's LC_ALL / LC_MESSAGES / LANG, then zh).
    #[arg(long, global = true, value_parser = ["zh", "en"])]
    lang: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub(crate) enum Format {
    Json,
    Table,
}

/// A report kind on the command line, named by its own code (`annual`,
/// `midterm`, `final`): a typo is an error that lists them.
#[derive(Clone, Copy)]
struct KindArg(lantu_app::ReportKind);

impl ValueEnum for KindArg {
    fn value_variants<'a>() -> &'a [Self] {
        use lantu_app::ReportKind as K;
        const ALL: [KindArg; 3] = [KindArg(K::Annual), KindArg(K::Midterm), KindArg(K::Final)];
        &ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.0.code()))
    }
}

/// A report's file format on the command line, named by its extension.
#[derive(Clone, Copy)]
struct FormatArg(lantu_app::ReportFormat);

impl ValueEnum for FormatArg {
    fn value_variants<'a>() -> &'a [Self] {
        use lantu_app::ReportFormat as F;
        const ALL: [FormatArg; 4] = [
            FormatArg(F::Docx),
            FormatArg(F::Xlsx),
            FormatArg(F::Html),
            FormatArg(F::Pdf),
        ];
        &ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.0.extension()))
    }
}

#[derive(Subcommand)]
enum Command {
    /// Read a plan (.txt/.md/.html/.docx/.pdf) and print its outline, targets,
    /// baselines and key projects.
    Extract {
        /// The plan file.
        #[arg(required_unless_present = "score_dir")]
        file: Option<PathBuf>,
        /// `json`: the whole extraction as one object (stable schema, see
        /// docs/extraction.md); `table`: the targets as an aligned table.
        /// Default: json, or the readable report with --score.
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// Compare with a gold file (schema of data/gold/README.md) and print
        /// precision, recall and F1 with every miss and false hit instead.
        #[arg(long, value_name = "GOLD.json")]
        score: Option<PathBuf>,
        #[command(flatten)]
        dir: score_dir::DirArgs,
    },
    /// Judge stand-alone cases with the progress engine (for analysts and
    /// tests): a JSON list of {target, baseline, observations,
    /// evaluation_year}; prints the same list with status, ratio,
    /// regressing, projection and warning (docs/methodology.md).
    Assess {
        /// The cases file (JSON).
        file: PathBuf,
    },
    /// Plans and their indicator systems.
    #[command(subcommand)]
    Plan(PlanCmd),
    /// Monitoring data: the department's template, imports, review.
    #[command(subcommand)]
    Data(DataCmd),
    /// Every target's status, ratio, projection and warning in a year.
    Status {
        #[arg(long)]
        plan: i64,
        #[arg(long)]
        year: i32,
        /// Count every figure's latest vintage, reviewed or not (a preview).
        #[arg(long)]
        all: bool,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// The tamper-evident audit log.
    #[command(subcommand)]
    Audit(audit_cmd::AuditCmd),
    /// Write the annual monitoring, mid-term or final evaluation report.
    Report {
        #[arg(value_enum)]
        kind: KindArg,
        #[arg(long)]
        plan: i64,
        #[arg(long)]
        year: i32,
        #[arg(long, value_enum)]
        format: FormatArg,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Manage the accounts of the web application.
    #[command(subcommand)]
    User(UserCmd),
    /// The deployment's department registry (部门名录), shared by every plan.
    #[command(subcommand)]
    Department(departments::DepartmentCmd),
    /// Evidence files (佐证材料) of figures, task updates and projects, as
    /// the account named by --as.
    #[command(subcommand)]
    Evidence(evidence_cmd::EvidenceCmd),
    /// Review (审核) as the account named by --as: the queue with each
    /// figure's context, and one step of the plan's review chain at the
    /// level the account holds.
    #[command(subcommand)]
    Review(review_cmd::ReviewCmd),
    /// Serve the dashboard, data entry, review and the public portal. On
    /// the first start (no account yet) it creates the administrator
    /// `admin` with the password in LANTU_ADMIN_PASSWORD, or a fresh one
    /// it prints.
    Serve {
        #[arg(long, env = "LANTU_ADDR", default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Send session cookies over plain HTTP too (an intranet server
        /// without TLS); by default they are `Secure`.
        #[arg(long)]
        insecure_cookies: bool,
        /// Serve even though demo accounts still have the demo's published
        /// password (a demonstration on a shared machine).
        #[arg(long)]
        allow_demo_passwords: bool,
        #[command(flatten)]
        delivery: Delivery,
    },
    /// The main job: load the bundled plan (天津市津南区“十四五”规划) with its
    /// indicator system confirmed and illustrative sample data into the
    /// database, create an account for each role, and serve the dashboard.
    Demo {
        #[arg(long, env = "LANTU_ADDR", default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Load and print the status table, then exit instead of serving.
        #[arg(long)]
        no_serve: bool,
    },
}

#[derive(Subcommand)]
enum PlanCmd {
    /// Store a plan as a draft: a plan text (read now), the JSON of `lantu
    /// extract`, or an indicator system in TOML.
    Import { file: PathBuf },
    /// The stored plans with their ids.
    List {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Write a plan's indicator system as TOML for a planner to correct.
    Export {
        id: i64,
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Bring a corrected indicator system back; a changed target becomes a
    /// new version.
    Apply {
        file: PathBuf,
        /// First evaluation year a changed target applies to.
        #[arg(long)]
        effective_year: Option<i32>,
    },
    /// Adopt a draft (采纳) once every indicator is accepted and complete
    /// (unit, target, lead department, attribute); lists what blocks it.
    Adopt { id: i64 },
    #[command(flatten)]
    Publication(publication::PublicationCmd),
}

#[derive(Subcommand)]
enum DataCmd {
    /// The xlsx form a department fills.
    Template {
        #[arg(long)]
        plan: i64,
        /// Only this department's indicators (its code).
        #[arg(long)]
        department: Option<String>,
        #[arg(long)]
        from: Option<i32>,
        #[arg(long)]
        to: Option<i32>,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Import figures from a filled template (.xlsx) or .csv; on any error
    /// nothing is imported and every error is listed.
    Import {
        file: PathBuf,
        #[arg(long)]
        plan: i64,
        /// Why these figures come in (annual report, correction…).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Move every figure of a plan one step: submit, approve, publish.
    Review {
        #[arg(long)]
        plan: i64,
        #[arg(long, value_parser = ["submitted", "approved", "published"])]
        to: String,
        #[arg(long)]
        comment: Option<String>,
    },
}

#[derive(Subcommand)]
enum UserCmd {
    /// The accounts of the web application.
    List {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Create an account; the password comes from LANTU_PASSWORD or the
    /// first line of standard input.
    Add {
        username: String,
        /// administrator, planner, reporter, reviewer, evaluator or public.
        #[arg(long)]
        role: String,
        /// The department code a reporter reports for.
        #[arg(long)]
        department: Option<String>,
        #[arg(long)]
        display_name: Option<String>,
    },
    /// Set a password (LANTU_PASSWORD or the first line of standard input).
    Passwd { username: String },
    /// Let an account sign in again.
    Activate { username: String },
    /// Stop an account from signing in (accounts are never deleted).
    Deactivate { username: String },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let log = logging::init();
    let result = run(cli);
    // The log's last lines before the error (written by its own thread).
    drop(log);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    let actor = stored::actor(cli.actor.as_deref());
    let lang = stored::lang(cli.lang.as_deref());
    let db = cli.db.clone();
    let rt = || {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .context("cannot start the async runtime")
    };
    match cli.command {
        Command::Plan(cmd) => rt()?.block_on(async {
            let app = stored::open(&db).await?;
            match cmd {
                PlanCmd::Import { file } => stored::plan_import(&app, &file, &actor).await,
                PlanCmd::List { format } => stored::plan_list(&app, format).await,
                PlanCmd::Export { id, output } => stored::plan_export(&app, id, output.as_deref()).await,
                PlanCmd::Apply { file, effective_year } => {
                    stored::plan_apply(&app, &file, effective_year, &actor).await
                }
                PlanCmd::Adopt { id } => stored::plan_adopt(&app, id, &actor).await,
                PlanCmd::Publication(cmd) => publication::run(&app, cmd, &actor).await,
            }
        }),
        Command::Evidence(cmd) => rt()?.block_on(async {
            let app = stored::open(&db).await?;
            let app = match std::env::var_os("LANTU_EVIDENCE_DIR").filter(|d| !d.is_empty()) {
                Some(dir) => app.with_evidence_dir(PathBuf::from(dir)),
                None => app,
            };
            evidence_cmd::run(&app, cmd, &actor).await
        }),
        Command::Review(cmd) => rt()?.block_on(async {
            let app = stored::open(&db).await?;
            review_cmd::run(&app, cmd, &actor, lang).await
        }),
        Command::Data(cmd) => rt()?.block_on(async {
            let app = stored::open(&db).await?;
            match cmd {
                DataCmd::Template {
                    plan,
                    department,
                    from,
                    to,
                    output,
                } => {
                    let years = match (from, to) {
                        (Some(a), Some(b)) => Some((a, b)),
                        (None, None) => None,
                        _ => anyhow::bail!("give both --from and --to, or neither"),
                    };
                    stored::data_template(&app, plan, department.as_deref(), years, &output).await
                }
                DataCmd::Import { file, plan, reason } => {
                    stored::data_import(&app, plan, &file, reason.as_deref(), &actor, lang).await
                }
                DataCmd::Review { plan, to, comment } => {
                    let to = lantu_core::observation::ObservationState::parse(&to).context("unknown state")?;
                    stored::data_review(&app, plan, to, comment.as_deref(), &actor).await
                }
            }
        }),
        Command::Status {
            plan,
            year,
            all,
            format,
        } => rt()?.block_on(async {
            let app = stored::open(&db).await?;
            stored::status(&app, plan, year, all, format).await
        }),
        Command::Audit(cmd) => rt()?.block_on(async {
            let app = stored::open(&db).await?;
            audit_cmd::run(&app, cmd).await
        }),
        Command::Extract { dir, format, .. } if !dir.score_dir.is_empty() => score_dir::run(&dir, format),
        Command::Extract {
            file, format, score, ..
        } => extract(&file.unwrap_or_default(), format, score.as_deref()),
        Command::Assess { file } => {
            let json = std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let out = lantu_core::progress::assess_cases(&json).with_context(|| format!("in {}", file.display()))?;
            emit(&(out + "\n"))
        }
        Command::Report {
            kind,
            plan,
            year,
            format,
            output,
        } => rt()?.block_on(async {
            let app = stored::open(&db).await?;
            stored::report(&app, plan, year, kind.0, format.0, lang, &output).await
        }),
        Command::Department(cmd) => rt()?.block_on(async {
            let app = stored::open(&db).await?;
            departments::run(&app, cmd, &actor).await
        }),
        Command::User(cmd) => rt()?.block_on(async {
            let app = stored::open(&db).await?;
            match cmd {
                UserCmd::List { format } => users::list(&app, format).await,
                UserCmd::Add {
                    username,
                    role,
                    department,
                    display_name,
                } => {
                    users::add(
                        &app,
                        &username,
                        &role,
                        department.as_deref(),
                        display_name.as_deref(),
                        &actor,
                    )
                    .await
                }
                UserCmd::Passwd { username } => users::passwd(&app, &username, &actor).await,
                UserCmd::Activate { username } => users::set_active(&app, &username, true, &actor).await,
                UserCmd::Deactivate { username } => users::set_active(&app, &username, false, &actor).await,
            }
        }),
        Command::Serve {
            addr,
            insecure_cookies,
            allow_demo_passwords,
            delivery,
        } => serve(&db, addr, insecure_cookies, allow_demo_passwords, delivery),
        Command::Demo { addr, no_serve } => demo(&db, addr, no_serve),
    }
}

/// Prints to stdout; a closed pipe (`lantu … | head`) ends quietly.
pub(crate) fn emit(s: &str) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => Ok(r?),
    }
}

/// Prints a value as pretty JSON and a newline, written straight to stdout
/// through a buffer (an extraction of a long plan is tens of megabytes: no
/// string of it is built); a closed pipe ends quietly, as with [`emit`].
pub(crate) fn emit_json<T: serde::Serialize>(value: &T) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let written = serde_json::to_writer_pretty(&mut out, value)
        .map_err(std::io::Error::from)
        .and_then(|_| out.write_all(b"\n"))
        .and_then(|_| out.flush());
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => Ok(r?),
    }
}

fn extract(file: &Path, format: Option<Format>, gold: Option<&Path>) -> Result<()> {
    let text = lantu_extract::input::read_path(file)?;
    let ex = lantu_extract::extract(&text);
    score_dir::genre_note(file, &ex);
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
        _ => emit_json(&ex),
    }
}

const DEMO_PLAN: &str = include_str!("../../../data/plans/jinnan-14th-five-year-plan.txt");
const DEMO_GOLD: &str = include_str!("../../../data/gold/jinnan-14th-five-year-plan.gold.json");

/// The bundled plan in a store, confirmed and with illustrative data; the
/// plan's id. Reuses the plan when the database already holds it.
async fn demo_load(store: &lantu_store::Store) -> Result<i64> {
    let ex = lantu_extract::extract(DEMO_PLAN);
    let doc = demo::sample_baselines(demo::confirm(lantu_extract::draft::draft(&ex, Some(DEMO_SOURCE))));
    if let Some(p) = store.plans().await?.into_iter().find(|p| p.name == doc.plan.name) {
        // A database made before the store kept outlines gets its headings.
        let mut stored = store.plan_doc(p.id).await?;
        if stored.outline.is_empty() && !doc.outline.is_empty() {
            stored.outline = doc.outline.clone();
            store.apply_plan(p.id, &stored, "demo").await?;
        }
        demo::publish(store, p.id, &doc, &demo::sample_observations(&doc, DEMO_YEAR)).await?;
        return Ok(p.id);
    }
    let id = store.import_plan(&doc, "demo").await?;
    let rows = demo::sample_observations(&doc, DEMO_YEAR);
    store
        .import_observations(
            id,
            &rows,
            "demo",
            "示例数据 sample data",
            Some("illustrative sample data, not statistics"),
        )
        .await?;
    use lantu_core::observation::ObservationState as S;
    for (from, to) in [
        (S::Draft, S::Submitted),
        (S::Submitted, S::Approved),
        (S::Approved, S::Published),
    ] {
        store
            .set_state(
                &lantu_store::Figures::AllIn {
                    plan_id: id,
                    state: from,
                },
                to,
                "demo",
                None,
            )
            .await?;
    }
    demo::publish(store, id, &doc, &rows).await?;
    Ok(id)
}

const DEMO_SOURCE: &str = "jinnan-14th-five-year-plan.txt";
/// The year the demo's illustrative figures run to.
const DEMO_YEAR: i32 = 2023;

/// The demo's accounts: (user name, display name, role, department).
const DEMO_ACCOUNTS: [(&str, &str, lantu_core::account::Role, Option<&str>); 6] = {
    use lantu_core::account::Role;
    [
        ("admin", "系统管理员", Role::Administrator, None),
        ("planner", "区发展改革委 规划科", Role::Planner, None),
        ("sthj", "区生态环境局 填报员", Role::Reporter, Some("sthj")),
        ("kjj", "区科学技术局 填报员", Role::Reporter, Some("kjj")),
        ("reviewer", "区统计局 审核员", Role::Reviewer, None),
        ("evaluator", "第三方评估机构", Role::Evaluator, None),
    ]
};

/// The demo accounts' password: `LANTU_DEMO_PASSWORD`, else `lantu-demo`.
fn demo_password() -> String {
    std::env::var("LANTU_DEMO_PASSWORD").unwrap_or_else(|_| "lantu-demo".into())
}

/// Demo accounts of `store` that still sign in with the demo's published
/// password: a database made by `lantu demo` must not be served as is.
async fn demo_accounts_left(app: &lantu_app::App) -> Result<Vec<String>> {
    let mut left = Vec::new();
    for (name, ..) in DEMO_ACCOUNTS {
        if let Some(u) = app.user_by_name(name).await? {
            let (pw, hash) = (demo_password(), u.password_hash.clone());
            let same = tokio::task::spawn_blocking(move || lantu_app::accounts::verify_password(&pw, &hash)).await?;
            if u.active && same {
                left.push(u.username);
            }
        }
    }
    Ok(left)
}

/// A password that is new on every start (printed, never stored in clear).
fn fresh_password() -> String {
    let mut bytes = [0u8; 9];
    if getrandom::fill(&mut bytes).is_err() {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        bytes.copy_from_slice(&t.to_le_bytes()[..9]);
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Where evidence files go and how reminders are e-mailed.
#[derive(clap::Args, Debug)]
struct Delivery {
    /// Keep new evidence files (佐证材料) in this folder instead of the
    /// database.
    #[arg(long, env = "LANTU_EVIDENCE_DIR")]
    evidence_dir: Option<PathBuf>,
    /// E-mail reminders through this SMTP server (plain SMTP, no TLS: a
    /// relay on the local network or loopback); none: in-app notices only.
    #[arg(long, env = "LANTU_SMTP_HOST")]
    smtp_host: Option<String>,
    #[arg(long, env = "LANTU_SMTP_PORT", default_value_t = 25)]
    smtp_port: u16,
    /// The sender of reminders, e.g. `规划办 <plan@example.gov.cn>`.
    #[arg(long, env = "LANTU_SMTP_FROM", default_value = "lantu@localhost")]
    smtp_from: String,
    /// AUTH PLAIN user; the password is read from LANTU_SMTP_PASSWORD.
    #[arg(long, env = "LANTU_SMTP_USER")]
    smtp_user: Option<String>,
}

impl Delivery {
    fn smtp(&self) -> Option<lantu_app::mail::SmtpConfig> {
        let host = self.smtp_host.clone().filter(|h| !h.is_empty())?;
        Some(lantu_app::mail::SmtpConfig {
            host,
            port: self.smtp_port,
            from: self.smtp_from.clone(),
            auth: self
                .smtp_user
                .clone()
                .map(|u| (u, std::env::var("LANTU_SMTP_PASSWORD").unwrap_or_default())),
        })
    }
}

fn serve(
    db: &str,
    addr: std::net::SocketAddr,
    insecure_cookies: bool,
    allow_demo_passwords: bool,
    delivery: Delivery,
) -> Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    rt.block_on(async {
        let mut app = stored::open(db).await?;
        let config = lantu_web::Config {
            secure_cookies: !insecure_cookies,
            smtp: delivery.smtp(),
            ..Default::default()
        };
        let first_start = !app.has_users().await?;
        let demo_left = if first_start {
            Vec::new()
        } else {
            demo_accounts_left(&app).await?
        };
        if !demo_left.is_empty() && !allow_demo_passwords {
            anyhow::bail!(
                "{db} holds the demo's accounts with its published password ({}); set new passwords \
                 (`lantu user passwd NAME`) or deactivate them (`lantu user deactivate NAME`) before serving it, \
                 or serve the demonstration with `lantu demo`",
                demo_left.join(", ")
            );
        }
        if let Some(dir) = &delivery.evidence_dir {
            app = app.with_evidence_dir(dir);
        }
        if first_start {
            // A password from the environment is never printed: whoever set
            // it knows it, and the console may be logged.
            let (password, shown) = match std::env::var("LANTU_ADMIN_PASSWORD").ok().filter(|p| !p.is_empty()) {
                Some(p) => (p, "from LANTU_ADMIN_PASSWORD".to_string()),
                None => {
                    let p = fresh_password();
                    (p.clone(), p)
                }
            };
            app.add_user(
                lantu_app::accounts::NewAccount {
                    username: "admin".into(),
                    display_name: "系统管理员".into(),
                    role: lantu_core::account::Role::Administrator,
                    department: None,
                    password,
                },
                config.hash_cost,
                "lantu serve",
            )
            .await?;
            emit(&format!(
                "Lantu serves on http://{addr}/  (first start: account admin, password {shown})\n"
            ))?;
        } else {
            emit(&format!(
                "Lantu serves on http://{addr}/  (accounts as stored; `lantu user` manages them)\n"
            ))?;
        }
        lantu_web::serve_state(lantu_web::AppState::new(app, config), addr)
            .await
            .with_context(|| format!("cannot serve on {addr}"))
    })
}

fn demo(db: &str, addr: std::net::SocketAddr, no_serve: bool) -> Result<()> {
    let ex = lantu_extract::extract(DEMO_PLAN);
    let gold = Gold::from_json(DEMO_GOLD).context("the bundled gold file is not in the gold schema")?;
    let report = score::score(DEMO_PLAN, &ex, &gold);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    rt.block_on(async {
        let app = stored::open(db).await?;
        let id = demo_load(app.store()).await?;
        emit(&format!(
            "Read the bundled plan: {} targets, {} baselines, {} key projects (targets F1 {:.3}, baselines F1 {:.3}, links F1 {:.3} against the bundled gold).\n\
             Stored as plan {id} in {db}, with ILLUSTRATIVE SAMPLE DATA (示例数据，非正式统计) up to {DEMO_YEAR}.\n\n",
            ex.targets.len(),
            ex.baselines.len(),
            ex.projects.len(),
            report.targets.f1,
            report.baselines.f1,
            report.links.f1
        ))?;
        let password = demo_password();
        let mut lines = String::new();
        for (user, name, role, dept) in DEMO_ACCOUNTS {
            // A database that already holds the account keeps it (and the
            // password its owner may have changed).
            if app.user_by_name(user).await?.is_some() {
                lines.push_str(&format!("  {user:<10} {name}  (kept as stored, password unchanged)\n"));
                continue;
            }
            app.add_user(
                lantu_app::accounts::NewAccount {
                    username: user.into(),
                    display_name: name.into(),
                    role,
                    department: dept.map(str::to_string),
                    password: password.clone(),
                },
                lantu_app::accounts::HashCost::default(),
                "demo",
            )
            .await?;
            lines.push_str(&format!("  {user:<10} {name}\n"));
        }
        if no_serve {
            emit(&format!("Accounts (password {password}):\n{lines}\n"))?;
            return stored::status(&app, id, DEMO_YEAR, false, Format::Table).await;
        }
        emit(&format!(
            "Dashboard: http://{addr}/\nPublic portal: http://{addr}/public/\nAccounts (password {password}):\n{lines}"
        ))?;
        let config = lantu_web::Config { sample_data: true, ..Default::default() };
        lantu_web::serve_state(lantu_web::AppState::new(app, config), addr)
            .await
            .with_context(|| format!("cannot serve on {addr}"))
    })
}
