//! `lantu department list|add|edit|retire`: the deployment's department
//! registry (部门名录), shared by every plan — the use cases of
//! [`lantu_app::departments`], which the registry page and the JSON API
//! call too. Every change is audited under `--as NAME`.

use crate::{emit, table, Format};
use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use lantu_app::departments::DepartmentChange;
use lantu_app::{Actor, App, RegistryEntry, RegistryFields};

/// What a body says about itself.
#[derive(Args)]
pub struct Fields {
    /// 名称: the full name (区生态环境局).
    #[arg(long)]
    name: String,
    /// 简称.
    #[arg(long)]
    short_name: Option<String>,
    /// 上级单位: another body's code or free text.
    #[arg(long)]
    parent: Option<String>,
    /// 联系人.
    #[arg(long)]
    contact: Option<String>,
    /// 联系电话.
    #[arg(long)]
    phone: Option<String>,
}

impl From<Fields> for RegistryFields {
    fn from(f: Fields) -> RegistryFields {
        RegistryFields {
            name: f.name,
            short_name: f.short_name,
            parent: f.parent,
            contact: f.contact,
            phone: f.phone,
        }
    }
}

#[derive(Subcommand)]
pub enum DepartmentCmd {
    /// Every body of the registry, retired ones too.
    List {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Add a body under a new code (1–32 ASCII letters, digits, - or _).
    Add {
        code: String,
        #[command(flatten)]
        fields: Fields,
    },
    /// Change a body's name, short name, parent body and contact (the code
    /// stays); `--restore` brings a retired body back.
    Edit {
        code: String,
        #[command(flatten)]
        fields: Fields,
        #[arg(long)]
        restore: bool,
    },
    /// Retire a body (refused while a plan or an account names it; bodies
    /// are never deleted).
    Retire { code: String },
}

fn line(e: &RegistryEntry) -> String {
    format!(
        "{} {}{}\n",
        e.code,
        e.name,
        if e.retired_at.is_some() {
            " (已停用 retired)"
        } else {
            ""
        }
    )
}

pub async fn run(app: &App, cmd: DepartmentCmd, actor: &str) -> Result<()> {
    let change = match cmd {
        DepartmentCmd::List { format } => return list(app, format).await,
        DepartmentCmd::Add { code, fields } => DepartmentChange::Add {
            code,
            fields: fields.into(),
        },
        DepartmentCmd::Edit { code, fields, restore } => DepartmentChange::Edit {
            code,
            fields: fields.into(),
            restore,
        },
        DepartmentCmd::Retire { code } => DepartmentChange::Retire { code },
    };
    let e = app
        .change_department(&Actor::operator(actor), change)
        .await
        .context("不能更改部门名录 / cannot change the department registry")?;
    emit(&line(&e))
}

async fn list(app: &App, format: Format) -> Result<()> {
    let all = app.registry().await?;
    if format == Format::Json {
        return emit(&(serde_json::to_string_pretty(&all)? + "\n"));
    }
    let rows: Vec<Vec<String>> = all
        .iter()
        .map(|e| {
            let o = |s: &Option<String>| s.clone().unwrap_or_default();
            vec![
                e.code.clone(),
                e.name.clone(),
                o(&e.short_name),
                o(&e.parent),
                o(&e.contact),
                o(&e.phone),
                if e.retired_at.is_some() {
                    "已停用 retired"
                } else {
                    "在用 active"
                }
                .to_string(),
            ]
        })
        .collect();
    emit(&table::render(
        &[
            "代码 code",
            "名称 name",
            "简称 short",
            "上级单位 parent",
            "联系人 contact",
            "电话 phone",
            "状态 state",
        ],
        &rows,
    ))
}
