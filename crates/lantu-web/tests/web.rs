//! The web application over HTTP, against a fresh store with the bundled
//! plan and published sample figures.

mod common;

use common::{start, PASSWORD};

#[test]
fn public_pages_render_in_chinese_and_english() {
    let app = start();
    let c = app.client();
    let home = c.get("/public/");
    assert_eq!(home.status, 303, "one plan: the portal opens it");
    let dash = c.get(&format!("/public/plans/{}", app.plan));
    assert_eq!(dash.status, 200, "{}", dash.body);
    for text in [
        "一张蓝图",
        "津南区",
        "提前实现",
        "快于预期",
        "基本符合预期",
        "滞后",
        "无数据",
        "约束性指标",
        "预警指标",
        "示例数据",
        "本页面仅公开已发布的数据",
        "第三章",
    ] {
        assert!(dash.body.contains(text), "dashboard lacks {text}");
    }
    assert!(!dash.body.contains("数据填报"), "the portal has no staff navigation");
    // One indicator with figures: chart, table, quote, reasoning.
    let code = &app.doc.indicators.iter().find(|i| i.baseline.is_some()).unwrap().code;
    let ind = c.get(&format!("/public/plans/{}/indicators/{code}", app.plan));
    assert_eq!(ind.status, 200, "{}", ind.body);
    for text in [
        "<svg",
        "监测数据",
        "判断依据",
        "规划原文",
        "<mark>",
        "牵头部门",
        "示例数据",
    ] {
        assert!(ind.body.contains(text), "indicator page lacks {text}");
    }
    // English through ?lang=en, remembered by a cookie.
    let en = c.get(&format!("/public/plans/{}?lang=en", app.plan));
    assert!(
        en.body.contains("Blueprint") && en.body.contains("Sample data"),
        "{}",
        &en.body[..500]
    );
    assert!(en.header("set-cookie").is_some_and(|h| h.contains("lang=en")));
    let again = c.get(&format!("/public/plans/{}", app.plan));
    assert!(again.body.contains("Blueprint"), "the language is remembered");
    // Filters and search.
    let f = c.get(&format!(
        "/public/plans/{}?attribute=binding&status=lagging&lang=zh",
        app.plan
    ));
    assert_eq!(f.status, 200);
    let s = c.get(&format!(
        "/public/plans/{}?q=%E6%A3%AE%E6%9E%97%E8%A6%86%E7%9B%96",
        app.plan
    )); // 森林覆盖
    assert!(s.body.contains("<mark>森林覆盖</mark>"), "search marks the match");
    // The stylesheet and a missing page.
    assert_eq!(c.get("/static/style.css").status, 200);
    assert_eq!(c.get("/public/plans/999").status, 404);
    assert_eq!(
        c.get(&format!("/public/plans/{}/indicators/nope", app.plan)).status,
        404
    );
}

#[test]
fn staff_pages_need_a_login() {
    let app = start();
    let c = app.client();
    let r = c.get(&format!("/plans/{}", app.plan));
    assert_eq!(r.status, 303);
    assert!(r.header("location").unwrap().starts_with("/login?next="));
    let login = c.login("planner", PASSWORD);
    assert_eq!(login.status, 303, "{}", login.body);
    let cookie = login.header("set-cookie").unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Secure"),
        "{cookie}"
    );
    for (path, text) in [
        (format!("/plans/{}", app.plan), "一张蓝图"),
        (format!("/plans/{}/tasks", app.plan), "重点任务"),
        (format!("/plans/{}/projects", app.plan), "重大项目"),
        (format!("/reminders?plan={}", app.plan), "催报提醒"),
        (format!("/review?plan={}", app.plan), "数据审核"),
        (format!("/admin?plan={}", app.plan), "规划设置与容差"),
        (format!("/entry?plan={}&department=fgw", app.plan), "数据填报"),
        ("/account".to_string(), "修改密码"),
    ] {
        let r = c.get(&path);
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        assert!(r.body.contains(text), "{path} lacks {text}");
    }
    // A reporter sees no review or administration.
    let rep = app.client();
    rep.login("fgw", PASSWORD);
    assert_eq!(rep.get(&format!("/review?plan={}", app.plan)).status, 403);
    assert_eq!(rep.get(&format!("/admin?plan={}", app.plan)).status, 403);
}

#[test]
fn api_lists_plans_and_describes_itself() {
    let app = start();
    let c = app.client();
    let spec = c.get("/api/v1/openapi.json").json();
    assert_eq!(spec["openapi"], "3.0.3");
    assert!(spec["paths"]["/plans/{id}/observations"]["post"].is_object());
    let plans = c.get("/api/v1/plans").json();
    assert_eq!(plans[0]["id"], app.plan);
    for part in [
        "",
        "/outline",
        "/indicators",
        "/targets",
        "/status",
        "/tasks",
        "/projects",
        "/observations",
    ] {
        let r = c.get(&format!("/api/v1/plans/{}{part}", app.plan));
        assert_eq!(r.status, 200, "{part}: {}", r.body);
        r.json();
    }
    let status = c.get(&format!("/api/v1/plans/{}/status", app.plan)).json();
    assert_eq!(status["figures_shown"], "published");
    assert_eq!(status["sample_data"], true);
    assert_eq!(c.get("/api/v1/nope").status, 404);
    assert_eq!(
        c.get(&format!("/api/v1/plans/{}/observations?view=latest", app.plan))
            .status,
        403
    );
}

/// A reporter enters a figure, submits it; the reviewer approves it; it is
/// published. The public sees it only at the end.
#[test]
fn public_never_shows_a_draft_and_the_workflow_publishes() {
    let app = start();
    let code = app.codes_of("fgw")[0].clone();
    // Within 0–100: fgw's first indicator is a share (森林覆盖率).
    let marker = "98.7654321";
    let public = app.client();
    // 2024 released to the public: its figures show there once published.
    app.rt
        .block_on(
            app.state
                .app()
                .store()
                .set_year_released(app.plan, 2024, true, "planner"),
        )
        .unwrap();
    let public_page = format!("/public/plans/{}/indicators/{code}?year=2024", app.plan);
    let public_api = format!("/api/v1/plans/{}/observations?indicator={code}", app.plan);
    let sees = |c: &common::Client| {
        c.get(&public_page).body.contains("98.7654321") || c.get(&public_api).body.contains(marker)
    };

    let rep = app.client();
    assert_eq!(rep.login("fgw", PASSWORD).status, 303);
    let grid = rep.get(&format!("/entry?plan={}&year=2024", app.plan));
    assert_eq!(grid.status, 200, "{}", grid.body);
    let csrf = grid.csrf();
    let field = format!("v|{code}|2024");
    // The marker is far from last year's figure: it needs a comment.
    let comment = format!("c|{code}|2024");
    let saved = rep.post_form(
        "/entry",
        &[
            ("csrf", &csrf),
            ("plan", &app.plan.to_string()),
            ("year", "2024"),
            (&field, marker),
            (&comment, "测试标记"),
        ],
    );
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert!(saved.body.contains("新增 1 条"), "{}", saved.body);
    assert!(!sees(&public), "a draft is not public");

    // A bad value is refused with the import's message, next to its cell.
    let bad = rep.post_form(
        "/entry",
        &[
            ("csrf", &csrf),
            ("plan", &app.plan.to_string()),
            ("year", "2024"),
            (&field, "12,3a"),
        ],
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("class=\"err\""));

    // Submit sends the selected year's drafts (2024 here).
    let submitted = rep.post_form(
        "/entry/submit",
        &[("csrf", &csrf), ("plan", &app.plan.to_string()), ("year", "2024")],
    );
    assert!(submitted.body.contains("已提交 1 条"), "{}", submitted.body);
    assert!(!sees(&public), "a submitted figure is not public");
    // Staff dashboards count reviewed figures only.
    let planner = app.client();
    planner.login("planner", PASSWORD);
    assert!(!planner
        .get(&format!("/plans/{}/indicators/{code}?year=2024", app.plan))
        .body
        .contains(marker));

    let reviewer = app.client();
    reviewer.login("reviewer", PASSWORD);
    let page = reviewer.get(&format!("/review?plan={}", app.plan));
    assert!(page.body.contains(marker), "the reviewer sees the submitted figure");
    let id = {
        let i = page.body.find("name=\"id\" value=\"").unwrap();
        let rest = &page.body[i + 17..];
        rest[..rest.find('"').unwrap()].to_string()
    };
    let csrf_r = page.csrf();
    let returned = reviewer.post_form(
        "/review",
        &[
            ("csrf", &csrf_r),
            ("plan", &app.plan.to_string()),
            ("id", &id),
            ("action", "return"),
        ],
    );
    assert!(returned.body.contains("退回时请填写意见"), "a return needs a comment");
    let approved = reviewer.post_form(
        "/review",
        &[
            ("csrf", &csrf_r),
            ("plan", &app.plan.to_string()),
            ("id", &id),
            ("action", "approve"),
        ],
    );
    assert!(approved.body.contains("已审核通过: 1"), "{}", approved.body);
    assert!(!sees(&public), "an approved figure is not public until published");
    assert!(planner
        .get(&format!("/plans/{}/indicators/{code}?year=2024", app.plan))
        .body
        .contains(marker));

    let published = reviewer.post_form("/review/publish", &[("csrf", &csrf_r), ("plan", &app.plan.to_string())]);
    assert!(published.body.contains("已发布: 1"), "{}", published.body);
    assert!(
        public.get(&public_page).body.contains("98.7654321"),
        "published: public"
    );
    assert!(public.get(&public_api).body.contains(marker));
}

#[test]
fn a_reporter_cannot_read_or_write_another_departments_figures() {
    let app = start();
    let other = app.codes_of("sthj")[0].clone();
    let rep = app.client();
    rep.login("fgw", PASSWORD);
    let plan = app.plan.to_string();
    // Pages.
    assert_eq!(rep.get(&format!("/entry?plan={plan}&department=sthj")).status, 403);
    let grid = rep.get(&format!("/entry?plan={plan}"));
    assert!(
        !grid.body.contains(&format!("v|{other}|")),
        "the grid holds the own department only"
    );
    let csrf = grid.csrf();
    let w = rep.post_form(
        "/entry",
        &[
            ("csrf", &csrf),
            ("plan", &plan),
            ("department", "sthj"),
            ("year", "2024"),
        ],
    );
    assert_eq!(w.status, 403);
    let field = format!("v|{other}|2024");
    let w = rep.post_form(
        "/entry",
        &[("csrf", &csrf), ("plan", &plan), ("year", "2024"), (&field, "1")],
    );
    assert_eq!(w.status, 403, "{}", w.body);
    assert_eq!(
        rep.post_form(
            "/entry/submit",
            &[("csrf", &csrf), ("plan", &plan), ("department", "sthj")]
        )
        .status,
        403
    );
    assert_eq!(
        rep.get(&format!("/entry/template.xlsx?plan={plan}&department=sthj"))
            .status,
        403
    );

    // The other department's draft.
    let rep2 = app.client();
    rep2.login("sthj", PASSWORD);
    let g2 = rep2.get(&format!("/entry?plan={plan}&year=2024"));
    let f2 = format!("v|{other}|2024");
    let c2 = format!("c|{other}|2024");
    let saved = rep2.post_form(
        "/entry",
        &[
            ("csrf", &g2.csrf()),
            ("plan", &plan),
            ("year", "2024"),
            (&f2, "4242.4242"),
            (&c2, "测试标记"),
        ],
    );
    assert_eq!(saved.status, 200, "{}", saved.body);

    // API: reads.
    for q in [
        format!("/api/v1/plans/{plan}/observations?view=latest&department=sthj"),
        format!("/api/v1/plans/{plan}/observations?view=latest&indicator={other}"),
        format!("/api/v1/plans/{plan}/observations?view=all_vintages&department=sthj"),
    ] {
        let r = rep.get(&q);
        assert_eq!(r.status, 403, "{q}: {}", r.body);
    }
    let own = rep.get(&format!("/api/v1/plans/{plan}/observations?view=latest"));
    assert_eq!(own.status, 200);
    assert!(
        !own.body.contains("4242.4242"),
        "latest view is limited to the own department"
    );
    // API: writes, with a token.
    let token = rep.issue_token();
    let auth = format!("Bearer {token}");
    let body = format!(r#"[{{"indicator":"{other}","period":"2024","value":"1"}}]"#);
    let w = rep.post_body(
        &format!("/api/v1/plans/{plan}/observations"),
        "application/json",
        body.as_bytes(),
        &[("Authorization", &auth)],
    );
    assert_eq!(w.status, 403, "{}", w.body);
    let mine = app.codes_of("fgw")[0].clone();
    let body = format!(r#"[{{"indicator":"{mine}","period":"2024","value":"1","comment":"测试"}}]"#);
    let w = rep.post_body(
        &format!("/api/v1/plans/{plan}/observations"),
        "application/json",
        body.as_bytes(),
        &[("Authorization", &auth)],
    );
    assert_eq!(w.status, 201, "{}", w.body);
    // The evaluator reads everything but writes nothing.
    let ev = app.client();
    ev.login("evaluator", PASSWORD);
    assert!(ev
        .get(&format!("/api/v1/plans/{plan}/observations?view=latest"))
        .body
        .contains("4242.4242"));
    assert_eq!(ev.get(&format!("/entry?plan={plan}")).status, 403);
}

#[test]
fn posts_without_the_csrf_token_are_refused() {
    let app = start();
    let c = app.client();
    // Login without a token.
    let r = c.post_form("/login", &[("username", "admin"), ("password", PASSWORD)]);
    assert_eq!(r.status, 403);
    assert!(r.body.contains("校验码"), "{}", r.body);
    c.login("admin", PASSWORD);
    let plan = app.plan.to_string();
    for path in [
        "/entry",
        "/entry/submit",
        "/review/publish",
        "/admin/users",
        "/admin/settings",
        "/logout",
        "/account",
    ] {
        let r = c.post_form(path, &[("plan", &plan), ("action", "create")]);
        assert_eq!(r.status, 403, "{path} without a token");
        let r = c.post_form(path, &[("plan", &plan), ("csrf", "0000"), ("action", "create")]);
        assert_eq!(r.status, 403, "{path} with a wrong token");
    }
    let body = format!(
        r#"[{{"indicator":"{}","period":"2024","value":"1"}}]"#,
        app.doc.indicators[0].code
    );
    let api = c.post_body(
        &format!("/api/v1/plans/{plan}/observations"),
        "application/json",
        body.as_bytes(),
        &[],
    );
    assert_eq!(api.status, 403, "a cookie-authenticated API write needs X-CSRF-Token");
    // With the token the admin can change settings.
    let page = c.get(&format!("/admin?plan={plan}"));
    let ok = c.post_form(
        "/admin/settings",
        &[
            ("csrf", &page.csrf()),
            ("plan", &plan),
            ("action", "settings"),
            ("ahead_ratio", "1.2"),
            ("on_track_ratio", "0.9"),
            ("approx_tolerance", "0.05"),
        ],
    );
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert!(ok.body.contains("设置已保存"));
}

#[test]
fn ten_wrong_passwords_in_a_row_slow_logins_down() {
    let app = start();
    let c = app.client();
    for i in 0..10 {
        let r = c.login("reviewer", "wrong password");
        assert_eq!(r.status, 401, "attempt {i}");
        assert!(r.body.contains("用户名或密码错误"));
    }
    let r = c.login("reviewer", PASSWORD);
    assert_eq!(r.status, 429, "the right password waits too");
    assert!(r.header("retry-after").is_some_and(|s| s.parse::<u64>().unwrap() >= 1));
    assert!(r.body.contains("请稍后再试"));
    // Another user is not locked out.
    let other = app.client();
    assert_eq!(other.login("planner", PASSWORD).status, 303);
}

#[test]
fn the_form_downloads_and_an_upload_is_validated_like_an_import() {
    let app = start();
    let rep = app.client();
    rep.login("fgw", PASSWORD);
    let plan = app.plan.to_string();
    let xlsx = rep.get(&format!("/entry/template.xlsx?plan={plan}&year=2024"));
    assert_eq!(xlsx.status, 200);
    assert!(xlsx.header("content-type").unwrap().contains("spreadsheetml"));
    let csrf = rep.get(&format!("/entry?plan={plan}")).csrf();
    let upload = |csv: &str| {
        let boundary = "XlantuBoundary";
        // The token is the form's first field (never in the URL).
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"form.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n"
        );
        rep.post_body(
            &format!("/entry/upload?plan={plan}&year=2024"),
            &format!("multipart/form-data; boundary={boundary}"),
            body.as_bytes(),
            &[],
        )
    };
    let mine = app.codes_of("fgw")[0].clone();
    let ok = upload(&format!("指标代码,期间,数值,异常说明\n{mine},2024,12.5,测试\n"));
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert!(ok.body.contains("新增 1 条"), "{}", ok.body);
    let bad = upload(&format!("指标代码,期间,数值\n{mine},2024Q7,x\n"));
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("第 2 行"), "errors name the row: {}", bad.body);
    let other = app.codes_of("sthj")[0].clone();
    let foreign = upload(&format!("指标代码,期间,数值\n{other},2024,1\n"));
    assert_eq!(foreign.status, 403, "another department's indicator");
    // Without the token the upload is refused.
    let r = rep.post_body(
        &format!("/entry/upload?plan={plan}"),
        "multipart/form-data; boundary=x",
        b"--x--\r\n",
        &[],
    );
    assert_eq!(r.status, 403);
}

#[test]
fn work_plans_and_project_progress_are_kept_by_their_owners() {
    let app = start();
    let plan = app.plan;
    let own = app
        .doc
        .tasks
        .iter()
        .find(|t| t.departments == ["fgw"])
        .unwrap()
        .code
        .clone();
    let other = app
        .doc
        .tasks
        .iter()
        .find(|t| t.departments == ["sthj"])
        .unwrap()
        .code
        .clone();
    let rep = app.client();
    rep.login("fgw", PASSWORD);
    let page = rep.get(&format!("/plans/{plan}/tasks"));
    assert!(page.body.contains("添加年度计划"));
    let csrf = page.csrf();
    let add = |code: &str, due: &str| {
        rep.post_form(
            &format!("/plans/{plan}/tasks/{code}/entries"),
            &[
                ("csrf", &csrf),
                ("year", "2023"),
                ("milestone", "完成年度建设任务"),
                ("due_date", due),
                ("status", "in_progress"),
            ],
        )
    };
    assert_eq!(add(&own, "2023-06-30").status, 303);
    assert_eq!(add(&other, "2023-06-30").status, 403, "another department's task");
    let tasks = rep.get(&format!("/plans/{plan}/tasks?year=2023"));
    assert!(tasks.body.contains("完成年度建设任务"));
    assert!(
        tasks.body.contains("w-overdue"),
        "a past due date not completed is overdue"
    );

    let planner = app.client();
    planner.login("planner", PASSWORD);
    let projects = planner.get(&format!("/plans/{plan}/projects"));
    assert_eq!(projects.status, 200);
    if let Some(p) = app.doc.projects.first() {
        let r = planner.post_form(
            &format!("/plans/{plan}/projects/{}/progress", p.code),
            &[
                ("csrf", &projects.csrf()),
                ("status", "completed"),
                ("completed_investment", "12.5"),
                ("note", "已竣工验收"),
            ],
        );
        assert_eq!(r.status, 303, "{}", r.body);
        assert!(planner
            .get(&format!("/plans/{plan}/projects"))
            .body
            .contains("已竣工验收"));
        let r = rep.post_form(
            &format!("/plans/{plan}/projects/{}/progress", p.code),
            &[("csrf", &csrf), ("status", "completed")],
        );
        assert_eq!(r.status, 403, "reporters do not keep project progress");
    }
}

#[test]
fn the_dashboard_offers_the_report_of_the_year() {
    let app = start();
    let c = app.client();
    let dash = c.get(&format!("/public/plans/{}", app.plan));
    assert!(
        dash.body.contains("下载评估报告"),
        "no download buttons: {}",
        dash.body
            .split("year-form")
            .nth(1)
            .unwrap_or("")
            .chars()
            .take(900)
            .collect::<String>()
    );
    for ext in ["html", "xlsx"] {
        let r = c.get(&format!("/public/plans/{}/report/annual.{ext}", app.plan));
        assert_eq!(r.status, 200, "{ext}: {}", r.body);
    }
    let html = c.get(&format!("/public/plans/{}/report/annual.html", app.plan));
    assert!(
        html.body.contains("年度监测报告") && html.body.contains("<svg"),
        "the html report"
    );
    assert_eq!(
        c.get(&format!("/public/plans/{}/report/weekly.html", app.plan)).status,
        404
    );
    assert_eq!(
        c.get(&format!("/plans/{}/report/annual.html", app.plan)).status,
        303,
        "staff reports need a login"
    );
}

/// Accounts live in the store: what the administrator creates or changes
/// is there for the next server on the same database, and audited.
#[test]
fn accounts_outlive_the_server_and_their_changes_are_audited() {
    let app = start();
    let admin = app.client();
    admin.login("admin", PASSWORD);
    let page = admin.get(&format!("/admin?plan={}", app.plan));
    assert_eq!(page.status, 200, "{}", page.body);
    let csrf = page.csrf();
    let r = admin.post_form(
        "/admin/users",
        &[
            ("csrf", &csrf),
            ("action", "create"),
            ("username", "jyj"),
            ("display_name", "区教育局 填报员"),
            ("role", "reporter"),
            ("department", "jyj"),
            ("password", "jyj-password-1"),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("jyj"));
    let short = admin.post_form(
        "/admin/users",
        &[
            ("csrf", &csrf),
            ("action", "create"),
            ("username", "short"),
            ("role", "planner"),
            ("password", "2short"),
        ],
    );
    assert_eq!(short.status, 400, "a short password is refused");

    // A second server on the same database: the account is there.
    let (store, id) = app.rt.block_on(async {
        let store = app.state.app().store().clone();
        let u = store.user_by_name("jyj").await.unwrap().expect("the account is stored");
        (store, u.id)
    });
    let second = app.rt.block_on(async {
        let state = lantu_web::AppState::new(lantu_app::App::new(store.clone()), app.state.config().clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(lantu_web::serve_on(state, listener));
        format!("http://{addr}")
    });
    let jyj = common::Client::new(&second);
    assert_eq!(jyj.login("jyj", "jyj-password-1").status, 303);
    let me = jyj.get("/api/v1/me").json();
    assert_eq!(me["user"]["role"], "reporter");
    assert_eq!(me["user"]["department"], "jyj");
    assert!(
        me["user"].get("password_hash").is_none(),
        "hashes never leave the server"
    );

    // The administrator makes jyj an evaluator, then deactivates it.
    let r = admin.post_form(
        "/admin/users",
        &[
            ("csrf", &csrf),
            ("action", "update"),
            ("id", &id.to_string()),
            ("role", "evaluator"),
            ("department", ""),
            ("display_name", "评估专家"),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    // The first server forgets its copy at once; the second within the
    // cache's few seconds — read the store instead of waiting.
    let u = app.rt.block_on(store.user(id)).unwrap().unwrap();
    assert_eq!((u.role.as_str(), u.department.as_deref()), ("evaluator", None));
    let r = admin.post_form(
        "/admin/users",
        &[("csrf", &csrf), ("action", "deactivate"), ("id", &id.to_string())],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let again = common::Client::new(&app.base);
    assert_eq!(
        again.login("jyj", "jyj-password-1").status,
        401,
        "a deactivated account cannot sign in"
    );

    let log = app.rt.block_on(store.audit_of("user", id)).unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["add_user", "update_user", "update_user"]);
    assert!(log.iter().all(|e| e.actor == "admin"));
    assert!(log
        .iter()
        .all(|e| !format!("{:?}{:?}", e.before, e.after).contains("argon2")));
}

/// The third-party evaluator comments on an indicator and on the plan;
/// staff read the comments, the public never does, and a reporter cannot
/// write one.
#[test]
fn evaluators_comment_and_the_public_never_sees_it() {
    let app = start();
    let plan = app.plan;
    let code = app.doc.indicators[0].code.clone();
    let ev = app.client();
    ev.login("evaluator", PASSWORD);
    let page = ev.get(&format!("/plans/{plan}/indicators/{code}"));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("评估意见") && page.body.contains("发表意见"));
    let csrf = page.csrf();
    let r = ev.post_form(
        &format!("/plans/{plan}/comments"),
        &[
            ("csrf", &csrf),
            ("indicator", &code),
            ("year", "2023"),
            ("body", "该指标数据口径与上年不一致，建议注明。"),
            ("back", "indicator"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(r.header("location").unwrap().ends_with("#comments"));
    let r = ev.post_form(
        &format!("/plans/{plan}/comments"),
        &[("csrf", &csrf), ("indicator", ""), ("body", "规划总体实施情况良好。")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let markup = ev.post_form(
        &format!("/plans/{plan}/comments"),
        &[
            ("csrf", &csrf),
            ("indicator", &code),
            ("body", "<script>alert(1)</script>"),
        ],
    );
    assert_eq!(markup.status, 303);
    let shown = ev.get(&format!("/plans/{plan}/indicators/{code}"));
    assert!(
        shown.body.contains("&lt;script&gt;alert(1)"),
        "markup in a comment is text"
    );
    assert!(!shown.body.contains("<script>alert(1)"));
    let missing = ev.post_form(&format!("/plans/{plan}/comments"), &[("csrf", &csrf), ("body", "   ")]);
    assert_eq!(missing.status, 422, "an empty comment is refused: {}", missing.body);
    let no_csrf = ev.post_form(&format!("/plans/{plan}/comments"), &[("body", "x")]);
    assert_eq!(no_csrf.status, 403);

    let ind = ev.get(&format!("/plans/{plan}/indicators/{code}"));
    assert!(ind.body.contains("该指标数据口径与上年不一致"));
    assert!(
        !ind.body.contains("规划总体实施情况良好"),
        "the indicator page shows its own comments"
    );
    let all = ev.get(&format!("/plans/{plan}/comments"));
    assert_eq!(all.status, 200, "{}", all.body);
    assert!(all.body.contains("该指标数据口径与上年不一致") && all.body.contains("规划总体实施情况良好"));
    assert!(
        all.body.find("规划总体实施情况良好") < all.body.find("该指标数据口径与上年不一致"),
        "newest first"
    );

    // A reporter reads the comments on the plan and on its department's
    // indicators, never on another department's, and cannot write one.
    assert_eq!(app.doc.indicators[0].departments, ["fgw"]);
    let rep = app.client();
    rep.login("fgw", PASSWORD);
    let p = rep.get(&format!("/plans/{plan}/comments"));
    assert_eq!(p.status, 200);
    assert!(!p.body.contains("comment-form"), "no form for a reporter");
    assert!(p.body.contains("该指标数据口径与上年不一致") && p.body.contains("规划总体实施情况良好"));
    let other = app.client();
    other.login("sthj", PASSWORD);
    let p2 = other.get(&format!("/plans/{plan}/comments"));
    assert!(p2.body.contains("规划总体实施情况良好"));
    assert!(
        !p2.body.contains("该指标数据口径与上年不一致"),
        "another department's indicator"
    );
    let ind2 = other.get(&format!("/plans/{plan}/indicators/{code}"));
    assert!(!ind2.body.contains("该指标数据口径与上年不一致"));
    let api2 = other.get(&format!("/api/v1/plans/{plan}/comments")).json();
    assert!(!api2.to_string().contains("该指标数据口径与上年不一致"), "{api2}");
    let rep2 = other.get(&format!("/plans/{plan}/report/midterm.html?year=2023"));
    assert!(rep2.body.contains("规划总体实施情况良好") && !rep2.body.contains("该指标数据口径与上年不一致"));
    let r = rep.post_form(
        &format!("/plans/{plan}/comments"),
        &[("csrf", &p.csrf()), ("body", "填报员的意见")],
    );
    assert_eq!(r.status, 403);

    // The public: not on the portal, not in the API.
    let public = app.client();
    let pi = public.get(&format!("/public/plans/{plan}/indicators/{code}"));
    assert_eq!(pi.status, 200);
    assert!(!pi.body.contains("该指标数据口径与上年不一致"));
    assert_eq!(
        public.get(&format!("/plans/{plan}/comments")).status,
        303,
        "to the login"
    );
    assert_eq!(public.get(&format!("/api/v1/plans/{plan}/comments")).status, 401);

    // The API, with the evaluator's token.
    let auth = format!("Bearer {}", ev.issue_token());
    let r = public.post_body(
        &format!("/api/v1/plans/{plan}/comments"),
        "application/json",
        br#"{"body": "API: mid-term note", "year": 2023}"#,
        &[("Authorization", &auth)],
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["author_role"], "evaluator");
    let list = public.get_with(&format!("/api/v1/plans/{plan}/comments"), &[("Authorization", &auth)]);
    assert_eq!(list.json().as_array().unwrap().len(), 4);
    let one = public.get_with(
        &format!("/api/v1/plans/{plan}/comments?indicator={code}"),
        &[("Authorization", &auth)],
    );
    assert_eq!(one.json().as_array().unwrap().len(), 2);

    // The staff's report quotes the comments; the public portal's does not.
    let report = ev.get(&format!("/plans/{plan}/report/midterm.html?year=2023"));
    assert_eq!(report.status, 200);
    assert!(report.body.contains("评估意见") && report.body.contains("规划总体实施情况良好"));
    let public_report = public.get(&format!("/public/plans/{plan}/report/midterm.html?year=2023"));
    assert_eq!(public_report.status, 200);
    assert!(!public_report.body.contains("规划总体实施情况良好"));
}

/// The outline's chapter titles come from the store with the plan.
#[test]
fn chapter_titles_come_from_the_stored_outline() {
    let app = start();
    let node = app.doc.indicators[0]
        .source
        .node
        .clone()
        .expect("the indicator has a node");
    let chapter = node
        .split('.')
        .take_while(|p| !p.starts_with('s') && !p.starts_with('i'))
        .collect::<Vec<_>>()
        .join(".");
    let title = &app
        .doc
        .outline
        .iter()
        .find(|n| n.node == chapter)
        .unwrap_or_else(|| panic!("chapter {chapter} in the outline"))
        .title;
    let dash = app.client().get(&format!("/public/plans/{}", app.plan));
    assert!(dash.body.contains(title.as_str()), "dashboard lacks the title {title}");
    let outline = app.client().get(&format!("/api/v1/plans/{}/outline", app.plan)).json();
    assert!(outline.to_string().contains(title.as_str()), "{outline}");
}

/// A session ends for good when its account's password changes or the
/// account is deactivated, wherever that happens (here `lantu user` is
/// played by the store directly); the API token goes with the password.
#[test]
fn a_new_password_or_a_deactivation_ends_sessions_and_tokens_everywhere() {
    let app = start();
    let c = app.client();
    assert_eq!(c.login("planner", PASSWORD).status, 303);
    let token = c.issue_token();
    let auth = format!("Bearer {token}");
    assert_eq!(c.get("/account").status, 200);
    let store = app.state.app().store().clone();
    let id = app.rt.block_on(store.user_by_name("planner")).unwrap().unwrap().id;
    let set_password = |hash: &str| {
        let update = lantu_store::UserUpdate {
            password_hash: Some(hash.to_string()),
            ..Default::default()
        };
        app.rt.block_on(store.update_user(id, &update, "operator")).unwrap();
    };
    // Another process sets a new password (as `lantu user passwd` does).
    let new_hash = lantu_web::auth::hash_password(
        "a-new-password",
        lantu_web::auth::HashCost {
            memory_kib: 1024,
            passes: 1,
        },
    )
    .unwrap();
    set_password(&new_hash);
    let page = c.get("/account");
    assert_eq!(page.status, 303, "signed out: {}", page.body);
    let me = c.get_with("/api/v1/me", &[("Authorization", &auth)]).json();
    assert!(me["user"].is_null(), "the old token no longer works: {me}");

    // Deactivation ends the new session; reactivation does not revive it.
    assert_eq!(c.login("planner", "a-new-password").status, 303);
    assert_eq!(c.get("/account").status, 200);
    let active = |a: bool| {
        let update = lantu_store::UserUpdate {
            active: Some(a),
            ..Default::default()
        };
        app.rt.block_on(store.update_user(id, &update, "operator")).unwrap();
    };
    active(false);
    assert_eq!(c.get("/account").status, 303);
    active(true);
    assert_eq!(c.get("/account").status, 303, "the session stays ended");

    // A token can be revoked from the account page.
    assert_eq!(c.login("planner", "a-new-password").status, 303);
    let token = c.issue_token();
    let auth = format!("Bearer {token}");
    assert_eq!(
        c.get_with("/api/v1/me", &[("Authorization", &auth)]).json()["user"]["username"],
        "planner"
    );
    let page = c.get("/account");
    assert!(page.body.contains("撤销令牌"));
    let r = c.post_form("/account", &[("csrf", &page.csrf()), ("action", "revoke")]);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(c.get_with("/api/v1/me", &[("Authorization", &auth)]).json()["user"].is_null());
}

/// The planning office adds and renames departments on the administration
/// page; the change goes through the plan document and the audit log.
#[test]
fn planners_add_and_rename_departments() {
    let app = start();
    let planner = app.client();
    planner.login("planner", PASSWORD);
    let page = planner.get(&format!("/admin?plan={}", app.plan));
    assert_eq!(page.status, 200, "{}", page.body);
    let csrf = page.csrf();
    let plan = app.plan.to_string();
    let post = |form: &[(&str, &str)]| {
        let mut f = vec![("csrf", csrf.as_str()), ("plan", plan.as_str())];
        f.extend_from_slice(form);
        planner.post_form("/admin/settings", &f)
    };
    let r = post(&[("action", "add_department"), ("code", "wjw"), ("name", "区卫生健康委")]);
    assert_eq!(r.status, 200, "{}", r.body);
    let r = post(&[
        ("action", "rename_department"),
        ("code", "fgw"),
        ("name", "区发展和改革委员会"),
    ]);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("区卫生健康委") && r.body.contains("区发展和改革委员会"));
    let r = post(&[("action", "rename_department"), ("code", "fgw"), ("name", "  ")]);
    assert_eq!(r.status, 400);
    let doc = app.rt.block_on(app.state.app().store().plan_doc(app.plan)).unwrap();
    assert!(doc
        .departments
        .iter()
        .any(|d| d.code == "fgw" && d.name == "区发展和改革委员会"));
    let log = app.rt.block_on(app.state.app().store().audit_log(20)).unwrap();
    assert!(log
        .iter()
        .any(|e| e.action == "update_department" && e.actor == "planner"));
    assert!(log.iter().any(|e| e.action == "add_department" && e.actor == "planner"));
    // A reporter may not.
    let rep = app.client();
    rep.login("fgw", PASSWORD);
    assert_eq!(rep.get(&format!("/admin?plan={}", app.plan)).status, 403);
}
