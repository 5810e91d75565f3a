//! The application on a random loopback port against a fresh store
//! (SQLite temp file, or PostgreSQL when `LANTU_TEST_DATABASE_URL` is set),
//! with the bundled Jinnan plan, published sample figures and one user per
//! role; and a small HTTP client that keeps cookies.

#![allow(dead_code)]

use lantu_core::observation::{NewObservation, ObservationState};
use lantu_core::plan::{DepartmentDoc, PlanDoc};
use lantu_core::{Measure, TargetKind};
use lantu_store::testing::{fresh_store, TestStore};
use lantu_store::Figures;
use lantu_web::auth::{HashCost, NewUser, Role};
use lantu_web::{AppState, Config};
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::sync::Mutex;

pub const PASSWORD: &str = "lantu-test-pw";

pub struct App {
    pub base: String,
    pub plan: i64,
    pub doc: PlanDoc,
    pub state: AppState,
    pub rt: tokio::runtime::Runtime,
    _store: TestStore,
}

pub const DEPARTMENTS: [(&str, &str); 4] = [
    ("fgw", "区发展改革委"),
    ("sthj", "区生态环境局"),
    ("jyj", "区教育局"),
    ("tjj", "区统计局"),
];

/// The bundled plan's draft indicator system (the committed fixture, not a
/// live extraction) with departments assigned round-robin.
pub fn plan_doc() -> PlanDoc {
    let mut doc: PlanDoc =
        toml::from_str(include_str!("../fixtures/jinnan-draft.toml")).expect("the committed plan fixture reads");
    doc.departments = DEPARTMENTS
        .iter()
        .map(|(c, n)| DepartmentDoc {
            code: c.to_string(),
            name: n.to_string(),
        })
        .collect();
    for (i, ind) in doc.indicators.iter_mut().enumerate() {
        ind.departments = vec![DEPARTMENTS[i % 3].0.to_string()];
        if i % 5 == 0 {
            ind.co_departments = vec!["tjj".into()];
        }
    }
    // Illustrative baselines where the plan states none, so that most
    // indicators get sample figures.
    for ind in doc.indicators.iter_mut() {
        if ind.baseline.is_some() || ind.target.kind == TargetKind::Relative {
            continue;
        }
        let Some(v) = ind.target.value else { continue };
        let value = match ind.measure {
            Measure::Level if ind.direction == lantu_core::Direction::LowerIsBetter => v * Decimal::new(115, 2),
            Measure::Level => v * Decimal::new(85, 2),
            Measure::Cumulative => Decimal::ZERO,
            _ => Decimal::from(100),
        };
        ind.baseline = Some(lantu_core::plan::BaselineDoc {
            value: value.round_dp(2),
            year: 2020,
        });
    }
    for (i, t) in doc.tasks.iter_mut().enumerate() {
        t.departments = vec![DEPARTMENTS[i % 3].0.to_string()];
    }
    doc
}

/// The years of [`sample_figures`], released to the public by [`start`].
pub const SAMPLE_YEARS: std::ops::RangeInclusive<i32> = 2021..=2023;

/// Illustrative figures for 2021–2023: each indicator moves from its
/// baseline toward its target at a pace of 1.3, 1.0 or 0.6 times the
/// schedule, by its position.
pub fn sample_figures(doc: &PlanDoc) -> Vec<NewObservation> {
    let mut out = Vec::new();
    for (i, ind) in doc.indicators.iter().enumerate() {
        let (Some(b), Some(v)) = (&ind.baseline, ind.target.value) else {
            continue;
        };
        if ind.target.kind == TargetKind::Relative || ind.target.year <= b.year {
            continue;
        }
        let pace = [1.3, 1.0, 0.6][i % 3];
        let x0 = b.value.to_f64().unwrap_or(0.0);
        let tv = v.to_f64().unwrap_or(0.0);
        let span = f64::from(ind.target.year - b.year);
        for year in SAMPLE_YEARS {
            let s = f64::from(year - b.year) / span;
            let x = match ind.measure {
                Measure::Level => x0 + (tv - x0) * pace * s,
                Measure::AnnualGrowth => x0 * (1.0 + tv * pace / 100.0).powf(f64::from(year - b.year)),
                Measure::Cumulative => tv / span * pace,
                Measure::Reduction => x0 * (1.0 - tv / 100.0 * pace * s),
            };
            let Some(value) = Decimal::from_f64(x).map(|d| d.round_dp(2)) else {
                continue;
            };
            if year > b.year {
                out.push(NewObservation {
                    indicator: ind.code.clone(),
                    period: lantu_core::Period::year(year),
                    geography: None,
                    value,
                    source: Some("示例数据（非正式统计）".into()),
                    note: None,
                    comment: None,
                });
            }
        }
    }
    out
}

/// Moves every figure of the plan through review to published.
pub async fn publish_all(store: &lantu_store::Store, plan: i64) {
    for (from, to) in [
        (ObservationState::Draft, ObservationState::Submitted),
        (ObservationState::Submitted, ObservationState::Approved),
        (ObservationState::Approved, ObservationState::Published),
    ] {
        store
            .set_state(
                &Figures::AllIn {
                    plan_id: plan,
                    state: from,
                },
                to,
                "test",
                None,
            )
            .await
            .unwrap();
    }
}

pub fn start() -> App {
    start_with(std::time::Duration::from_millis(0))
}

/// The app with views cached for `cache_ttl` (tests see every write at
/// once with 0).
pub fn start_with(cache_ttl: std::time::Duration) -> App {
    start_configured(cache_ttl, |_| {})
}

/// The app with its settings changed by `configure` after the test ones
/// are set.
pub fn start_configured(cache_ttl: std::time::Duration, configure: impl FnOnce(&mut Config)) -> App {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mut doc = plan_doc();
    // Adopted, so that the planner can make it public.
    doc.plan.state = lantu_core::plan::PlanState::Adopted;
    let (store, plan, state, listener) = rt.block_on(async {
        let store = fresh_store().await;
        let plan = store.import_plan(&doc, "test").await.unwrap();
        let figures = sample_figures(&doc);
        assert!(figures.len() > 50, "{} sample figures", figures.len());
        store
            .import_observations(plan, &figures, "test", "sample: 示例数据", Some("示例数据 sample data"))
            .await
            .unwrap();
        publish_all(&store, plan).await;
        // Public, with the years of the sample figures released.
        store.set_plan_public(plan, true, "test").await.unwrap();
        for year in SAMPLE_YEARS {
            store.set_year_released(plan, year, true, "test").await.unwrap();
        }
        let mut config = Config {
            hash_cost: HashCost {
                memory_kib: 1024,
                passes: 1,
            },
            cache_ttl,
            account_ttl: cache_ttl,
            ..Config::default()
        };
        configure(&mut config);
        let state = AppState::new(lantu_app::App::new(store.store().clone()), config);
        for (name, role, dept) in [
            ("admin", Role::Administrator, None),
            ("planner", Role::Planner, None),
            ("reviewer", Role::Reviewer, None),
            ("evaluator", Role::Evaluator, None),
            ("fgw", Role::Reporter, Some("fgw")),
            ("sthj", Role::Reporter, Some("sthj")),
        ] {
            state
                .add_user(
                    NewUser {
                        username: name.into(),
                        display_name: format!("{name} 用户"),
                        role,
                        department: dept.map(str::to_string),
                        password: PASSWORD.into(),
                    },
                    "test",
                )
                .await
                .unwrap();
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        (store, plan, state, listener)
    });
    let addr = listener.local_addr().unwrap();
    rt.spawn(lantu_web::serve_on(state.clone(), listener));
    doc.plan.id = Some(plan);
    App {
        base: format!("http://{addr}"),
        plan,
        doc,
        state,
        rt,
        _store: store,
    }
}

impl App {
    pub fn client(&self) -> Client {
        Client::new(&self.base)
    }

    /// Another server of the same database, with its own connections and an
    /// empty memory (as after a restart, or a second server behind one
    /// address); returns its base URL.
    pub fn another_server(&self) -> String {
        let url = self._store.url().to_string();
        let config = self.state.config().clone();
        self.rt.block_on(async move {
            let store = lantu_store::Store::open(&url).await.unwrap();
            let state = AppState::new(lantu_app::App::new(store), config);
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let base = format!("http://{}", listener.local_addr().unwrap());
            tokio::spawn(lantu_web::serve_on(state, listener));
            base
        })
    }

    /// Codes of the indicators a department leads.
    pub fn codes_of(&self, dept: &str) -> Vec<String> {
        self.doc
            .indicators
            .iter()
            .filter(|i| i.departments.iter().any(|d| d == dept))
            .map(|i| i.code.clone())
            .collect()
    }
}

pub struct Resp {
    pub status: u16,
    pub body: String,
    pub headers: Vec<(String, String)>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first CSRF token in the page.
    pub fn csrf(&self) -> String {
        let i = self
            .body
            .find("name=\"csrf\" value=\"")
            .expect("the page has a CSRF field");
        let rest = &self.body[i + 19..];
        rest[..rest.find('"').unwrap()].to_string()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// A blocking client with a cookie jar; redirects are not followed.
pub struct Client {
    base: String,
    agent: ureq::Agent,
    cookies: Mutex<HashMap<String, String>>,
}

impl Client {
    pub fn new(base: &str) -> Client {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        Client {
            base: base.to_string(),
            agent,
            cookies: Mutex::new(HashMap::new()),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .lock()
            .unwrap()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn finish(&self, r: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Resp {
        let mut r = r.expect("the request reached the server");
        let headers: Vec<(String, String)> = r
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        for (k, v) in &headers {
            if k.eq_ignore_ascii_case("set-cookie") {
                let first = v.split(';').next().unwrap_or("");
                if let Some((name, value)) = first.split_once('=') {
                    let mut jar = self.cookies.lock().unwrap();
                    if value.is_empty() || v.contains("Max-Age=0") {
                        jar.remove(name);
                    } else {
                        jar.insert(name.to_string(), value.to_string());
                    }
                }
            }
        }
        let body = r.body_mut().read_to_string().unwrap_or_default();
        Resp {
            status: r.status().as_u16(),
            body,
            headers,
        }
    }

    pub fn get(&self, path: &str) -> Resp {
        let r = self
            .agent
            .get(format!("{}{path}", self.base))
            .header("Cookie", self.cookie_header())
            .call();
        self.finish(r)
    }

    pub fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Resp {
        let mut req = self
            .agent
            .get(format!("{}{path}", self.base))
            .header("Cookie", self.cookie_header());
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.finish(req.call())
    }

    pub fn post_form(&self, path: &str, form: &[(&str, &str)]) -> Resp {
        let r = self
            .agent
            .post(format!("{}{path}", self.base))
            .header("Cookie", self.cookie_header())
            .send_form(form.iter().copied());
        self.finish(r)
    }

    pub fn post_body(&self, path: &str, content_type: &str, body: &[u8], headers: &[(&str, &str)]) -> Resp {
        let mut req = self
            .agent
            .post(format!("{}{path}", self.base))
            .header("Cookie", self.cookie_header())
            .header("Content-Type", content_type);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.finish(req.send(body))
    }

    /// Issues an API token on the account page and returns it.
    pub fn issue_token(&self) -> String {
        let account = self.get("/account");
        let page = self.post_form("/account", &[("csrf", &account.csrf()), ("action", "token")]);
        let i = page
            .body
            .find("word-break: break-all\">")
            .unwrap_or_else(|| panic!("the token is shown: {}", page.body));
        let token: String = page.body[i + 23..]
            .chars()
            .take_while(|c| c.is_ascii_hexdigit())
            .collect();
        assert_eq!(token.len(), 64, "{}", page.body);
        token
    }

    /// Logs in through the form; returns the response to the POST.
    pub fn login(&self, user: &str, password: &str) -> Resp {
        let form = self.get("/login");
        assert_eq!(form.status, 200, "{}", form.body);
        let csrf = form.csrf();
        self.post_form(
            "/login",
            &[
                ("csrf", &csrf),
                ("username", user),
                ("password", password),
                ("next", "/"),
            ],
        )
    }
}
