//! `lantu review list|approve|return|take-back`: the review queue and the
//! steps of a plan's review chain from the command line, as the account
//! named by `--as` — the same use cases as the review page and the API
//! (`lantu_app::review`): the account sees the queue it would see there and
//! acts at the level of the chain its role (and department) holds.

use crate::table;
use crate::Format;
use anyhow::{Context, Result};
use clap::Subcommand;
use lantu_app::review::{ReviewItem, ReviewQueue};
use lantu_app::App;
use lantu_app::User;
use lantu_core::messages::Lang;
use lantu_core::policy::Step;
use rust_decimal::Decimal;

/// The figures to act on and why.
#[derive(clap::Args, Debug)]
pub struct StepArgs {
    #[arg(long)]
    plan: i64,
    /// The figures' ids (`review list` shows them).
    #[arg(required = true, value_name = "OBS_ID")]
    ids: Vec<i64>,
    /// The reason (意见): needed for a return, kept with every step.
    #[arg(long)]
    reason: Option<String>,
}

#[derive(Subcommand)]
pub enum ReviewCmd {
    /// The figures waiting in the plan's review chain and those approved,
    /// each with its context, as the account sees them.
    List {
        #[arg(long)]
        plan: i64,
        /// Only figures of this calendar year.
        #[arg(long)]
        year: Option<i32>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Approve figures at the level of the chain the account holds.
    Approve(StepArgs),
    /// Return figures to the reporter (needs --reason).
    Return(StepArgs),
    /// Take back the account's level's own approval while the next level
    /// has not acted.
    TakeBack(StepArgs),
}

/// The half of an application message written "中文 / English" that `lang`
/// asks for; a message in one language only is given whole.
pub fn in_lang(message: &str, lang: Lang) -> String {
    message
        .lines()
        .map(|line| match (line.split_once(" / "), lang) {
            (Some((zh, _)), Lang::Zh) => zh,
            (Some((_, en)), Lang::En) => en,
            (None, _) => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

async fn account(app: &App, actor: &str, lang: Lang) -> Result<User> {
    app.user_by_name(actor).await?.with_context(|| {
        lang.pick(
            &format!("--as {actor}：没有该账户；审核命令以账户身份执行"),
            &format!("--as {actor}: no such account; review commands act as an account"),
        )
        .to_string()
    })
}

pub async fn run(app: &App, cmd: ReviewCmd, actor: &str, lang: Lang) -> Result<()> {
    let user = account(app, actor, lang).await?;
    let in_lang_err = |e: lantu_app::AppError| anyhow::anyhow!("{}", in_lang(&e.to_string(), lang));
    let (step, args) = match cmd {
        ReviewCmd::List { plan, year, format } => {
            let q = app.review_queue(plan, &user, year).await.map_err(in_lang_err)?;
            match format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&q)?),
                Format::Table => print!("{}", queue_table(&q, lang)),
            }
            return Ok(());
        }
        ReviewCmd::Approve(a) => (Step::Approve, a),
        ReviewCmd::Return(a) => (Step::Return, a),
        ReviewCmd::TakeBack(a) => (Step::TakeBack, a),
    };
    let moved = app
        .review_step(args.plan, &user, &args.ids, step, args.reason.as_deref())
        .await
        .map_err(in_lang_err)?;
    state_changed(step, &moved, lang);
    Ok(())
}

fn state_changed(step: Step, moved: &[i64], lang: Lang) {
    let what = match step {
        Step::Approve => lang.pick("已审核通过", "approved"),
        Step::Return => lang.pick("已退回", "returned"),
        Step::TakeBack => lang.pick("已撤回审核", "taken back"),
    };
    let ids: Vec<String> = moved.iter().map(i64::to_string).collect();
    println!("{what} {}: {}", moved.len(), ids.join(" "));
}

fn num(d: Decimal) -> String {
    d.normalize().to_string()
}

fn signed(d: Decimal) -> String {
    if d.is_sign_negative() {
        num(d)
    } else {
        format!("+{}", num(d))
    }
}

fn step_word(s: Step, lang: Lang) -> &'static str {
    match s {
        Step::Approve => lang.pick("通过", "approve"),
        Step::Return => lang.pick("退回", "return"),
        Step::TakeBack => lang.pick("撤回", "take-back"),
    }
}

/// The explanations beside a figure: a correction's reason, the rules it
/// breaks, the reporter's explanation, its evidence files.
fn context(i: &ReviewItem, lang: Lang) -> String {
    let colon = lang.pick("：", ": ");
    let mut out = Vec::new();
    if let Some(r) = &i.correction_reason {
        out.push(format!("{}{colon}{r}", lang.pick("更正原因", "correction")));
    }
    for f in &i.findings {
        out.push(f.message.text(lang));
    }
    if let Some(c) = &i.comment {
        out.push(format!("{}{colon}{c}", lang.pick("异常说明", "explanation")));
    }
    if !i.evidence.is_empty() {
        let files: Vec<String> = i
            .evidence
            .iter()
            .map(|e| format!("{} (#{})", e.file_name, e.id))
            .collect();
        out.push(format!(
            "{}{colon}{}",
            lang.pick("佐证材料", "evidence"),
            files.join(", ")
        ));
    }
    out.join(lang.pick("；", "; "))
}

fn rows(items: &[ReviewItem], lang: Lang) -> Vec<Vec<String>> {
    items
        .iter()
        .map(|i| {
            let unit = i.unit.as_deref().unwrap_or("");
            let previous = i.previous.as_ref().map_or_else(
                || "—".to_string(),
                |p| {
                    let pct = p.change_pct.map(|c| format!(" {}%", signed(c))).unwrap_or_default();
                    format!("{} ({}) {}{pct}", num(p.value), p.period, signed(p.change))
                },
            );
            let target = match (i.target.value, i.target.value_max) {
                (Some(v), Some(m)) => format!("{}–{} ({})", num(v), num(m), i.target.year),
                (Some(v), None) => format!("{}{} ({})", i.target.comparator.as_str(), num(v), i.target.year),
                _ => "—".into(),
            };
            let status = i.assessment.as_ref().map_or("—", |a| match lang {
                Lang::Zh => a.status.label_zh(),
                Lang::En => a.status.label_en(),
            });
            let steps: Vec<&str> = i.steps.iter().map(|s| step_word(*s, lang)).collect();
            vec![
                i.id.to_string(),
                format!("{} {}", i.indicator, i.name),
                match &i.geography {
                    Some(g) => format!("{} {g}", i.period),
                    None => i.period.to_string(),
                },
                format!("{}{unit}", num(i.value)),
                previous,
                target,
                i.schedule.map_or_else(|| "—".into(), num),
                i.deviation.map_or_else(|| "—".into(), signed),
                status.to_string(),
                i.waiting_at.clone().unwrap_or_default(),
                i.entered_by.clone(),
                steps.join("/"),
                i.source.clone().unwrap_or_default(),
                context(i, lang),
            ]
        })
        .collect()
}

/// The queue as two aligned tables: waiting, then approved.
pub fn queue_table(q: &ReviewQueue, lang: Lang) -> String {
    let header: Vec<&str> = [
        ("ID", "id"),
        ("指标", "indicator"),
        ("期间", "period"),
        ("数值", "value"),
        ("上年及变化", "previous, change"),
        ("目标", "target"),
        ("计划路径值", "schedule"),
        ("偏差", "deviation"),
        ("计入后状态", "would be"),
        ("待审层级", "waiting at"),
        ("填报", "entered by"),
        ("可执行", "steps"),
        ("来源", "source"),
        ("说明与佐证", "explanations and evidence"),
    ]
    .into_iter()
    .map(|(zh, en)| lang.pick(zh, en))
    .collect();
    let levels: Vec<String> = q.levels.iter().map(|l| format!("{}. {}", l.number, l.name)).collect();
    let mut out = format!("{}：{}\n\n", lang.pick("审核层级", "review chain"), levels.join(" → "));
    for (title, items) in [
        (lang.pick("待审核", "waiting"), &q.waiting),
        (
            lang.pick("已审核待发布", "approved, waiting for publication"),
            &q.approved,
        ),
    ] {
        out.push_str(&format!("{title} ({})\n", items.len()));
        if !items.is_empty() {
            out.push_str(&table::render(&header, &rows(items, lang)));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_two_language_message_is_given_in_the_one_asked_for() {
        let m = "退回时请填写意见 / a return needs a reason";
        assert_eq!(in_lang(m, Lang::Zh), "退回时请填写意见");
        assert_eq!(in_lang(m, Lang::En), "a return needs a reason");
        assert_eq!(in_lang("only one", Lang::En), "only one");
    }
}
