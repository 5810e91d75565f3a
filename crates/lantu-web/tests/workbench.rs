//! Importing a plan in the browser and its review workbench, over HTTP:
//! who may import, what a bad file is told (in Chinese), each workbench
//! action, adoption refused with its blockers then granted, a reporter's
//! form afterwards, nothing public before adoption and release; and the
//! same through the JSON API.

mod common;

use common::{start, Client, Resp, PASSWORD};

const FIXTURE: &str = include_str!("fixtures/qingshan-greenway-plan.txt");
const MISSED: &str = "全区公园绿地服务半径覆盖率将在规划期末提升至九成以上。";

fn multipart(csrf: &str, file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----lantuTestBoundary7MA4YWxk";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n").as_bytes(),
    );
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn upload(c: &Client, file_name: &str, bytes: &[u8]) -> Resp {
    let page = c.get("/plans/new");
    assert_eq!(page.status, 200, "{}", page.body);
    let (kind, body) = multipart(&page.csrf(), file_name, bytes);
    c.post_body("/plans/new", &kind, &body, &[])
}

fn location(r: &Resp) -> String {
    r.header("location").unwrap_or_default().to_string()
}

fn plan_of(location: &str) -> i64 {
    location
        .trim_start_matches("/plans/")
        .split('/')
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no plan in {location}"))
}

fn act(c: &Client, plan: i64, fields: &[(&str, &str)]) -> Resp {
    let page = c.get(&format!("/plans/{plan}/workbench"));
    let csrf = page.csrf();
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    c.post_form(&format!("/plans/{plan}/workbench"), &form)
}

#[test]
fn a_reporter_cannot_import_and_bad_files_are_told_in_chinese() {
    let app = start();
    let rep = app.client();
    rep.login("fgw", PASSWORD);
    assert_eq!(rep.get("/plans/new").status, 403);
    assert!(
        !rep.get("/plans").body.contains("/plans/new"),
        "no import button for a reporter"
    );
    let planner = app.client();
    planner.login("planner", PASSWORD);
    let csrf = planner.get("/plans/new").csrf();
    // The reporter's own session token, for a fair refusal.
    let rep_csrf = rep.get("/account").csrf();
    let (kind, body) = multipart(&rep_csrf, "plan.txt", FIXTURE.as_bytes());
    assert_eq!(rep.post_body("/plans/new", &kind, &body, &[]).status, 403);
    assert!(!csrf.is_empty());
    let list = planner.get("/plans");
    assert!(
        list.body.contains("id=\"new-plan\"") && list.body.contains("新建规划"),
        "{}",
        list.body
    );

    let r = upload(&planner, "plan.xlsx", b"PK\x03\x04 not a plan");
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("文件「plan.xlsx」的类型无法导入"), "{}", r.body);
    let mut bulletin = String::from("某区2023年国民经济和社会发展统计公报\n");
    for k in 1..=12 {
        bulletin.push_str(&format!(
            "全年第{k}项产值比上年增长{k}.2%，年末存量比上年末增加{k}万吨。\n"
        ));
    }
    let r = upload(&planner, "公报.txt", bulletin.as_bytes());
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("文件「公报.txt」不是规划文本") && r.body.contains("统计公报"),
        "{}",
        r.body
    );
    let r = upload(&planner, "broken.docx", b"PK\x03\x04garbage");
    assert_eq!(r.status, 422);
    assert!(r.body.contains("无法读取文件「broken.docx」"), "{}", r.body);
    // Nothing was stored.
    assert_eq!(app.rt.block_on(app.state.app().store().plans()).unwrap().len(), 1);
}

#[test]
fn a_planner_imports_reviews_and_adopts_a_plan() {
    let app = start();
    let c = app.client();
    c.login("planner", PASSWORD);
    let r = upload(&c, "青山区生态绿道专项规划.txt", FIXTURE.as_bytes());
    assert_eq!(r.status, 303, "{}", r.body);
    let plan = plan_of(&location(&r));

    // A private draft: neither the portal nor the anonymous API shows it.
    let anon = app.client();
    assert_eq!(anon.get(&format!("/public/plans/{plan}")).status, 404);
    let listed = anon.get("/api/v1/plans").json();
    assert!(listed.as_array().unwrap().iter().all(|p| p["id"] != plan), "{listed}");
    assert_eq!(anon.get(&format!("/api/v1/plans/{plan}")).status, 404);

    // The workbench: metadata read from the text, highlighted text, the
    // grid with flags, the policy that allows the server's script only.
    let w = c.get(&format!("/plans/{plan}/workbench?msg=imported"));
    assert_eq!(w.status, 200, "{}", w.body);
    let csp = w.header("content-security-policy").unwrap_or_default();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-eval"),
        "{csp}"
    );
    for text in [
        "青山区“十四五”生态绿道建设专项规划",
        "区县级",
        "专项规划",
        "class=\"m-target\"",
        "m-baseline",
        "m-unread",
        "/static/workbench.js",
        "row-t001",
        "已导入为草稿",
        "—未定—",
    ] {
        assert!(w.body.contains(text), "the workbench lacks {text}");
    }
    assert!(
        !w.body.contains(">district<"),
        "no English enum names in the Chinese page"
    );
    let js = c.get("/static/workbench.js");
    assert_eq!(js.status, 200);
    assert!(js.header("content-type").unwrap_or_default().contains("javascript"));

    // Metadata is editable.
    let r = act(
        &c,
        plan,
        &[
            ("action", "meta"),
            ("name", "青山区生态绿道建设专项规划（2021—2025年）"),
            ("level", "district"),
            ("kind", "special"),
            ("start_year", "2021"),
            ("end_year", "2025"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let r = act(
        &c,
        plan,
        &[("action", "meta"), ("start_year", "2026"), ("end_year", "2025")],
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains("规划期 2026–2025 无效"), "{}", r.body);

    // Adoption is refused with every blocker listed and linked.
    let r = act(&c, plan, &[("action", "adopt")]);
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("规划尚不能采纳"), "{}", r.body);
    assert!(
        r.body.contains("href=\"#row-t001\"") && r.body.contains("缺少牵头部门"),
        "{}",
        r.body
    );

    // Correct a target (and its attribute); a bad value is refused in Chinese.
    let r = act(&c, plan, &[("action", "save"), ("code", "t001"), ("value", "一百五")]);
    assert_eq!(r.status, 422);
    assert!(r.body.contains("指标 t001 的「目标值」须为数字"), "{}", r.body);
    let r = act(
        &c,
        plan,
        &[
            ("action", "save"),
            ("code", "t001"),
            ("value", "150"),
            ("attribute", "expected"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let doc = app.rt.block_on(app.state.app().store().plan_doc(plan)).unwrap();
    let t1 = doc.indicators.iter().find(|i| i.code == "t001").unwrap();
    assert_eq!(t1.target.value, Some(150.into()));

    // Reject the false ones (a siting standard; the table's duplicate).
    let r = act(&c, plan, &[("action", "reject"), ("code", "t009")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let r = act(&c, plan, &[("action", "reject"), ("code", "t005")]);
    assert_eq!(r.status, 303);
    let w = c.get(&format!("/plans/{plan}/workbench"));
    assert!(!w.body.contains("id=\"row-t009\""), "a rejected record leaves the grid");
    assert!(w.body.contains("m-rejected"), "but stays visible in the text");
    let retired = app.rt.block_on(app.state.app().store().plan_doc(plan)).unwrap();
    assert!(retired.indicators.iter().all(|i| i.code != "t009"));

    // Add the target the extractor missed, by finding its sentence.
    let found = c.get(&format!(
        "/plans/{plan}/workbench?find={}",
        lantu_web::view::enc(MISSED)
    ));
    assert!(found.body.contains("id=\"add-form\""), "{}", found.body);
    let text: Vec<char> = FIXTURE.chars().collect();
    let start = FIXTURE[..FIXTURE.find(MISSED).unwrap()].chars().count();
    let end = start + MISSED.chars().count();
    assert_eq!(text[start..end].iter().collect::<String>(), MISSED);
    let (s, e) = (start.to_string(), end.to_string());
    let r = act(
        &c,
        plan,
        &[
            ("action", "add"),
            ("start", &s),
            ("end", &e),
            ("name", "公园绿地服务半径覆盖率"),
            ("comparator", ">="),
            ("value", "90"),
            ("unit", "%"),
            ("year", "2025"),
            ("attribute", "expected"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(location(&r).contains("#row-m001"), "{}", location(&r));
    let r = act(&c, plan, &[("action", "add"), ("start", "5"), ("end", "99999")]);
    assert_eq!(r.status, 422);
    assert!(r.body.contains("不在原文内"), "{}", r.body);

    // Departments: one added by name; the deployment's others are offered.
    let r = act(
        &c,
        plan,
        &[("action", "department"), ("name", "区园林局"), ("dept_code", "yl")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let doc = app.rt.block_on(app.state.app().store().plan_doc(plan)).unwrap();
    let codes: Vec<(String, &str)> = doc.indicators.iter().map(|i| (i.code.clone(), "x")).collect();
    let mut bulk: Vec<(&str, &str)> = vec![("action", "assign"), ("lead", "yl"), ("co", "fgw")];
    for (code, _) in &codes {
        bulk.push(("codes", code));
    }
    let r = act(&c, plan, &bulk);
    assert_eq!(r.status, 303, "{}", r.body);
    // The reporter's department leads one of them.
    let r = act(
        &c,
        plan,
        &[
            ("action", "save"),
            ("code", "t004"),
            ("lead", "fgw"),
            ("co_sent", "1"),
            ("co", "yl"),
            ("attribute", "binding"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let r = act(&c, plan, &[("action", "assign"), ("lead", "yl")]);
    assert_eq!(r.status, 422, "no selection is refused");
    assert!(r.body.contains("请先勾选"), "{}", r.body);

    // Accept a whole chapter, then set the attributes the text left open.
    let r = act(&c, plan, &[("action", "accept_chapter"), ("chapter", "c2")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let blockers = app.rt.block_on(app.state.app().adoption_blockers(plan)).unwrap();
    assert!(!blockers.is_empty());
    for b in &blockers {
        let r = act(
            &c,
            plan,
            &[("action", "save"), ("code", &b.code), ("attribute", "expected")],
        );
        assert_eq!(r.status, 303, "{}: {}", b.code, r.body);
    }
    assert_eq!(
        app.rt.block_on(app.state.app().adoption_blockers(plan)).unwrap(),
        vec![]
    );

    // Still nothing public; adoption; the audit log names it.
    assert_eq!(anon.get(&format!("/public/plans/{plan}")).status, 404);
    let r = act(&c, plan, &[("action", "adopt")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let summary = app.rt.block_on(app.state.app().store().plans()).unwrap();
    let p = summary.iter().find(|p| p.id == plan).unwrap();
    assert_eq!(p.state, lantu_core::plan::PlanState::Adopted);
    let verify = app.rt.block_on(app.state.app().store().audit_verify()).unwrap();
    assert!(verify.problems.is_empty(), "{:?}", verify.problems);

    // After adoption a target change needs a reason.
    let r = act(&c, plan, &[("action", "save"), ("code", "t001"), ("value", "155")]);
    assert_eq!(r.status, 422);
    assert!(r.body.contains("须填写调整原因"), "{}", r.body);
    let r = act(
        &c,
        plan,
        &[
            ("action", "save"),
            ("code", "t001"),
            ("value", "155"),
            ("reason", "中期调整"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let versions = app
        .rt
        .block_on(app.state.app().store().target_versions(plan, "t001"))
        .unwrap();
    assert_eq!(versions.len(), 2);

    // The reporter of the lead department sees the form.
    let rep = app.client();
    rep.login("fgw", PASSWORD);
    let entry = rep.get(&format!("/entry?plan={plan}"));
    assert_eq!(entry.status, 200, "{}", entry.body);
    assert!(entry.body.contains("森林覆盖率"), "{}", entry.body);

    // Public once made public with a year released.
    assert_eq!(
        anon.get(&format!("/public/plans/{plan}")).status,
        404,
        "adopted, not yet public"
    );
    app.rt
        .block_on(app.state.app().store().set_plan_public(plan, true, "planner"))
        .unwrap();
    app.rt
        .block_on(app.state.app().store().set_year_released(plan, 2023, true, "planner"))
        .unwrap();
    let public = anon.get(&format!("/public/plans/{plan}"));
    assert_eq!(public.status, 200, "{}", public.body);
    assert!(public.body.contains("2023"));
}

#[test]
fn the_workbench_through_the_api() {
    let app = start();
    let c = app.client();
    c.login("planner", PASSWORD);
    let token = c.issue_token();
    let auth = format!("Bearer {token}");
    let h = [("Authorization", auth.as_str())];
    let r = c.post_body("/api/v1/plans?filename=plan.txt", "text/plain", FIXTURE.as_bytes(), &h);
    assert_eq!(r.status, 201, "{}", r.body);
    let plan = r.json()["id"].as_i64().unwrap();
    let spec = c.get("/api/v1/openapi.json").json();
    for path in [
        "/plans",
        "/plans/{id}/workbench",
        "/plans/{id}/workbench/indicators/{code}",
        "/plans/{id}/workbench/review",
        "/plans/{id}/workbench/targets",
        "/plans/{id}/workbench/assign",
        "/plans/{id}/workbench/departments",
        "/plans/{id}/workbench/meta",
        "/plans/{id}/adopt",
    ] {
        assert!(spec["paths"][path].is_object(), "OpenAPI lacks {path}");
    }
    assert!(spec["paths"]["/plans"]["post"].is_object());

    let w = c.get_with(&format!("/api/v1/plans/{plan}/workbench"), &h).json();
    assert_eq!(w["doc"]["plan"]["state"], "draft");
    assert!(w["rows"].as_array().unwrap().len() >= 8, "{w}");
    assert!(w["blockers"].as_array().unwrap().iter().any(|b| b["code"] == "t001"));
    assert!(w["text"].is_null(), "the text only on request");

    let adopt = c.post_body(&format!("/api/v1/plans/{plan}/adopt"), "application/json", b"{}", &h);
    assert_eq!(adopt.status, 409, "{}", adopt.body);
    assert!(!adopt.json()["blockers"].as_array().unwrap().is_empty());

    // Edit through PATCH (needs the ureq verb): go through the review and
    // assignment endpoints, which cover the same use cases.
    let codes: Vec<String> = w["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["indicator"]["code"].as_str().unwrap().to_string())
        .collect();
    let body = serde_json::json!({ "codes": codes, "lead": "fgw" }).to_string();
    let r = c.post_body(
        &format!("/api/v1/plans/{plan}/workbench/assign"),
        "application/json",
        body.as_bytes(),
        &h,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let body = serde_json::json!({ "state": "rejected", "codes": ["t009"] }).to_string();
    let r = c.post_body(
        &format!("/api/v1/plans/{plan}/workbench/review"),
        "application/json",
        body.as_bytes(),
        &h,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let body = serde_json::json!({ "start": 0, "end": 3, "name": "x" }).to_string();
    let r = c.post_body(
        &format!("/api/v1/plans/{plan}/workbench/targets"),
        "application/json",
        body.as_bytes(),
        &h,
    );
    assert_eq!(r.status, 400, "a span without a figure: {}", r.body);
    let body = serde_json::json!({ "name": "区园林局", "code": "yl" }).to_string();
    let r = c.post_body(
        &format!("/api/v1/plans/{plan}/workbench/departments"),
        "application/json",
        body.as_bytes(),
        &h,
    );
    assert_eq!(r.status, 201, "{}", r.body);

    // A reporter's token may not import.
    let rep = app.client();
    rep.login("fgw", PASSWORD);
    let rt = rep.issue_token();
    let ra = format!("Bearer {rt}");
    let r = rep.post_body(
        "/api/v1/plans?filename=plan.txt",
        "text/plain",
        FIXTURE.as_bytes(),
        &[("Authorization", ra.as_str())],
    );
    assert_eq!(r.status, 403, "{}", r.body);
    // Anonymous: 401.
    let r = app
        .client()
        .post_body("/api/v1/plans?filename=plan.txt", "text/plain", FIXTURE.as_bytes(), &[]);
    assert!(r.status == 401 || r.status == 403, "{}", r.status);
}
