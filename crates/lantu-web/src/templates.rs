//! The page templates (minijinja), embedded in the binary and parsed once.
//! Every template gets `t(key)`, which looks the label up in the one
//! translation table in the page's language (`lang` in the context).

use crate::i18n::{self, Lang};
use minijinja::{Environment, State, Value};
use std::sync::OnceLock;

/// (name, source) of every template; names ending in `.html` are
/// autoescaped.
pub const SOURCES: &[(&str, &str)] = &[
    ("macros.html", include_str!("../templates/macros.html")),
    ("base.html", include_str!("../templates/base.html")),
    ("plans.html", include_str!("../templates/plans.html")),
    ("error.html", include_str!("../templates/error.html")),
    ("shell.html", include_str!("../templates/shell.html")),
    ("dashboard.html", include_str!("../templates/dashboard.html")),
    ("indicator.html", include_str!("../templates/indicator.html")),
    ("tasks.html", include_str!("../templates/tasks.html")),
    ("projects.html", include_str!("../templates/projects.html")),
    ("login.html", include_str!("../templates/login.html")),
    ("account.html", include_str!("../templates/account.html")),
    ("entry.html", include_str!("../templates/entry.html")),
    ("review.html", include_str!("../templates/review.html")),
    ("review_levels.html", include_str!("../templates/review_levels.html")),
    ("review_context.html", include_str!("../templates/review_context.html")),
    ("reminders.html", include_str!("../templates/reminders.html")),
    ("due.html", include_str!("../templates/due.html")),
    ("admin.html", include_str!("../templates/admin.html")),
    ("comments.html", include_str!("../templates/comments.html")),
    ("publication.html", include_str!("../templates/publication.html")),
    ("departments.html", include_str!("../templates/departments.html")),
    ("plan_new.html", include_str!("../templates/plan_new.html")),
    ("workbench.html", include_str!("../templates/workbench.html")),
];

/// The stylesheet, served at `/static/style.css`.
pub const STYLE: &str = include_str!("../assets/style.css");

fn translate(state: &State, key: &str) -> String {
    let lang = state
        .lookup("lang")
        .and_then(|v| v.as_str().and_then(Lang::parse))
        .unwrap_or_default();
    i18n::t(lang, key).to_string()
}

/// The environment, built on first use.
pub fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        for (name, src) in SOURCES {
            env.add_template(name, src)
                .unwrap_or_else(|e| panic!("template {name} does not parse: {e:#}"));
        }
        env.add_function("t", translate);
        env.add_filter("pct", |v: Value| -> String {
            v.as_i64()
                .map(|x| format!("{x}%"))
                .or_else(|| f64::try_from(v.clone()).ok().map(|x| format!("{x:.0}%")))
                .unwrap_or_default()
        });
        env
    })
}

/// Renders template `name` with `ctx`.
pub fn render(name: &str, ctx: Value) -> Result<String, minijinja::Error> {
    env().get_template(name)?.render(ctx)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_template_parses() {
        let env = super::env();
        for (name, _) in super::SOURCES {
            env.get_template(name).unwrap();
        }
    }
}
