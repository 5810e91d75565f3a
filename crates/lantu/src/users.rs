//! `lantu user`: the accounts of the web application, from the command
//! line — for the first administrator of a server, and for a forgotten
//! password. Passwords are read from `LANTU_PASSWORD` or from the first
//! line of standard input, never from an argument (which `ps` shows).

use crate::{emit, table, Format};
use anyhow::{bail, Context, Result};
use lantu_app::accounts::{hash_password, HashCost, MIN_PASSWORD};
use lantu_app::{App, UserUpdate};
use lantu_core::account::Role;

/// The password to set: `LANTU_PASSWORD`, else a line of standard input.
fn read_password() -> Result<String> {
    let pw = match std::env::var("LANTU_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .context("cannot read the password from standard input")?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    if pw.chars().count() < MIN_PASSWORD {
        bail!("the password needs at least {MIN_PASSWORD} characters (give it in LANTU_PASSWORD or on standard input)");
    }
    Ok(pw)
}

fn hash(pw: &str) -> Result<String> {
    hash_password(pw, HashCost::default()).map_err(|e| anyhow::anyhow!("{e}"))
}

async fn find(app: &App, name: &str) -> Result<lantu_app::User> {
    app.user_by_name(name)
        .await?
        .with_context(|| format!("there is no user `{name}`; `lantu user list` shows them"))
}

pub async fn list(app: &App, format: Format) -> Result<()> {
    let users = app.users().await?;
    if format == Format::Json {
        return emit(&(serde_json::to_string_pretty(&users)? + "\n"));
    }
    let rows: Vec<Vec<String>> = users
        .iter()
        .map(|u| {
            vec![
                u.username.clone(),
                u.display_name.clone(),
                u.role.as_str().to_string(),
                u.department.clone().unwrap_or_default(),
                if u.active { "active" } else { "deactivated" }.to_string(),
            ]
        })
        .collect();
    emit(&table::render(
        &["user", "名称 name", "role", "department", "state"],
        &rows,
    ))
}

pub async fn add(
    app: &App,
    username: &str,
    role: &str,
    department: Option<&str>,
    display_name: Option<&str>,
    actor: &str,
) -> Result<()> {
    let role = Role::parse(role).with_context(|| {
        format!(
            "unknown role `{role}`; one of: {}",
            Role::ALL.map(Role::as_str).join(", ")
        )
    })?;
    let password = read_password()?;
    // The application's use case: the same checks as the administration
    // page (name, department in the registry, password length).
    let u = app
        .add_user(
            lantu_app::accounts::NewAccount {
                username: username.to_string(),
                display_name: display_name.unwrap_or("").to_string(),
                role,
                department: department.map(str::to_string),
                password,
            },
            HashCost::default(),
            actor,
        )
        .await?;
    emit(&format!("added user {} ({})\n", u.username, u.role.as_str()))
}

pub async fn passwd(app: &App, username: &str, actor: &str) -> Result<()> {
    let u = find(app, username).await?;
    let password = read_password()?;
    let update = UserUpdate {
        password_hash: Some(hash(&password)?),
        ..Default::default()
    };
    app.update_user(u.id, &update, actor).await?;
    emit(&format!("set the password of {}\n", u.username))
}

pub async fn set_active(app: &App, username: &str, active: bool, actor: &str) -> Result<()> {
    let u = find(app, username).await?;
    let update = UserUpdate {
        active: Some(active),
        ..Default::default()
    };
    app.update_user(u.id, &update, actor).await?;
    emit(&format!(
        "{} {}\n",
        if active { "activated" } else { "deactivated" },
        u.username
    ))
}
