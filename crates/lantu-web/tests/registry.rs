//! The deployment's department registry over HTTP: two plans share one
//! body, so its reporter sees both plans' forms; the registry page (plain
//! forms) and the API for planners and administrators; refusals for
//! reporters and visitors; errors in Chinese.

mod common;

use common::{start, App, Client, PASSWORD};

fn signed_in(app: &App, user: &str) -> Client {
    let c = app.client();
    assert_eq!(c.login(user, PASSWORD).status, 303, "{user} signs in");
    c
}

#[test]
fn two_plans_share_a_department_and_its_reporter_sees_both_forms() {
    let app = start();
    // A second plan naming the same 区生态环境局 (code sthj), with an
    // indicator of its own.
    let mut doc = app.doc.clone();
    doc.plan.id = None;
    doc.plan.name = "青溪县生态环境保护“十四五”规划".into();
    let own = doc
        .indicators
        .iter_mut()
        .find(|i| i.departments == ["sthj"])
        .expect("an indicator of sthj");
    own.name = "青溪县河湖水质优良比例".into();
    let own_code = own.code.clone();
    let second = app
        .rt
        .block_on(app.state.app().store().import_plan(&doc, "planner"))
        .unwrap();

    // One body in the registry for both plans.
    let reg = app.rt.block_on(app.state.app().registry()).unwrap();
    assert_eq!(reg.iter().filter(|e| e.code == "sthj").count(), 1);
    let choices = app.rt.block_on(app.state.app().department_choices(second)).unwrap();
    assert!(choices.iter().any(|e| e.code == "sthj" && e.name == "区生态环境局"));

    // The reporter of that body sees its form in both plans.
    let rep = signed_in(&app, "sthj");
    let first = rep.get(&format!("/entry?plan={}", app.plan));
    assert_eq!(first.status, 200, "{}", first.body);
    assert!(!first.body.contains("青溪县河湖水质优良比例"));
    assert!(
        first.body.contains(&format!("v|{own_code}|")),
        "its indicator in plan 1"
    );
    let other = rep.get(&format!("/entry?plan={second}"));
    assert_eq!(other.status, 200, "{}", other.body);
    assert!(other.body.contains("青溪县河湖水质优良比例"), "{}", other.body);
    // And no other department's indicator in either.
    let foreign = app.codes_of("fgw")[0].clone();
    for page in [&first, &other] {
        assert!(!page.body.contains(&format!("v|{foreign}|")));
    }
}

fn post(c: &Client, form: &[(&str, &str)]) -> common::Resp {
    let page = c.get("/departments");
    assert_eq!(page.status, 200, "{}", page.body);
    let csrf = page.csrf();
    let mut f = vec![("csrf", csrf.as_str())];
    f.extend_from_slice(form);
    c.post_form("/departments", &f)
}

#[test]
fn the_planner_keeps_the_registry_in_the_browser() {
    let app = start();
    let planner = signed_in(&app, "planner");
    let page = planner.get("/departments");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("部门名录") && page.body.contains("区生态环境局"));
    assert!(page.body.contains("上级单位") && page.body.contains("联系电话"));

    let r = post(
        &planner,
        &[
            ("action", "add"),
            ("code", "kjj"),
            ("name", "区科学技术局"),
            ("short_name", "科技局"),
            ("parent", "区人民政府"),
            ("contact", "李四"),
            ("phone", "022-8888 0000"),
        ],
    );
    assert_eq!(r.status, 200);
    assert!(r.body.contains("区科学技术局 · 已添加"), "{}", r.body);
    let e = app.rt.block_on(app.state.app().store().registry_entry("kjj")).unwrap();
    assert_eq!(
        (e.short_name.as_deref(), e.parent.as_deref(), e.contact.as_deref()),
        (Some("科技局"), Some("区人民政府"), Some("李四"))
    );

    // Errors in Chinese, nothing written.
    let r = post(&planner, &[("action", "add"), ("code", "kjj"), ("name", "重复")]);
    assert!(r.body.contains("已被使用"), "{}", r.body);
    let r = post(&planner, &[("action", "add"), ("code", "科技"), ("name", "区科技局")]);
    assert!(r.body.contains("部门代码须为"), "{}", r.body);
    let r = post(&planner, &[("action", "edit"), ("code", "kjj"), ("name", " ")]);
    assert!(r.body.contains("请填写部门名称"), "{}", r.body);
    assert_eq!(
        app.rt
            .block_on(app.state.app().store().registry_entry("kjj"))
            .unwrap()
            .name,
        "区科学技术局"
    );

    // Edited with another body as its parent.
    let r = post(
        &planner,
        &[
            ("action", "edit"),
            ("code", "kjj"),
            ("name", "区科技局"),
            ("parent", "fgw"),
        ],
    );
    assert!(r.body.contains("区科技局 · 已保存"), "{}", r.body);

    // A body a plan names is not retired; one nobody names is, and comes back.
    let r = post(&planner, &[("action", "retire"), ("code", "sthj")]);
    assert!(r.body.contains("仍被引用，不能停用"), "{}", r.body);
    assert!(app
        .rt
        .block_on(app.state.app().store().registry_entry("sthj"))
        .unwrap()
        .retired_at
        .is_none());
    let r = post(&planner, &[("action", "retire"), ("code", "kjj")]);
    assert!(r.body.contains("区科技局 · 已停用"), "{}", r.body);
    let choices = app.rt.block_on(app.state.app().department_choices(app.plan)).unwrap();
    assert!(
        !choices.iter().any(|e| e.code == "kjj"),
        "a retired body is not offered"
    );
    let r = post(
        &planner,
        &[("action", "restore"), ("code", "kjj"), ("name", "区科技局")],
    );
    assert!(r.body.contains("已恢复"), "{}", r.body);

    // An account's department must be a body of the registry.
    let admin = signed_in(&app, "admin");
    let csrf = admin.get(&format!("/admin?plan={}", app.plan)).csrf();
    let r = admin.post_form(
        "/admin/users",
        &[
            ("csrf", &csrf),
            ("plan", &app.plan.to_string()),
            ("action", "create"),
            ("username", "ghost"),
            ("role", "reporter"),
            ("department", "nowhere"),
            ("password", "a-long-password"),
        ],
    );
    assert!(r.body.contains("部门名录中没有代码"), "{}", r.body);
    assert!(app
        .rt
        .block_on(app.state.app().store().user_by_name("ghost"))
        .unwrap()
        .is_none());

    let log = app.rt.block_on(app.state.app().store().audit_log(10)).unwrap();
    assert!(log
        .iter()
        .any(|e| e.action == "retire_department" && e.actor == "planner"));
}

#[test]
fn reporters_and_visitors_do_not_change_the_registry() {
    let app = start();
    let rep = signed_in(&app, "fgw");
    // Staff read it, without forms.
    let page = rep.get("/departments");
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("value=\"retire\""));
    let csrf = page.csrf();
    let r = rep.post_form(
        "/departments",
        &[("csrf", &csrf), ("action", "add"), ("code", "x1"), ("name", "某局")],
    );
    assert_eq!(r.status, 403);
    let anonymous = app.client();
    assert_ne!(anonymous.get("/departments").status, 200);
    let r = anonymous.post_form("/departments", &[("action", "add"), ("code", "x2"), ("name", "某局")]);
    assert!(matches!(r.status, 401 | 403), "{}", r.status);
    let reg = app.rt.block_on(app.state.app().registry()).unwrap();
    assert!(!reg.iter().any(|e| e.code.starts_with('x')));
}

fn post_json(c: &Client, path: &str, body: &str, auth: &str) -> common::Resp {
    c.post_body(path, "application/json", body.as_bytes(), &[("Authorization", auth)])
}

#[test]
fn the_api_keeps_the_registry() {
    let app = start();
    let planner = signed_in(&app, "planner");
    let auth = format!("Bearer {}", planner.issue_token());
    let c = app.client();
    let r = post_json(
        &c,
        "/api/v1/departments",
        r#"{"code":"mzj","name":"区民政局","contact":"王五","phone":"022-1"}"#,
        &auth,
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["contact"], "王五");
    let r = post_json(&c, "/api/v1/departments/mzj", r#"{"name":"区民政局（改）"}"#, &auth);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["name"], "区民政局（改）");
    assert_eq!(
        post_json(&c, "/api/v1/departments/nope", r#"{"name":"x"}"#, &auth).status,
        404
    );
    let r = post_json(&c, "/api/v1/departments/sthj/retire", "", &auth);
    assert_eq!(r.status, 409, "{}", r.body);
    let r = post_json(&c, "/api/v1/departments/mzj/retire", "", &auth);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.json()["retired_at"].is_string());
    let list = c.get_with("/api/v1/departments", &[("Authorization", &auth)]).json();
    assert!(list.as_array().unwrap().iter().any(|e| e["code"] == "mzj"));
    let choices = c
        .get_with(
            &format!("/api/v1/plans/{}/department-choices", app.plan),
            &[("Authorization", &auth)],
        )
        .json();
    let codes: Vec<&str> = choices
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"sthj") && !codes.contains(&"mzj"), "{codes:?}");

    let rep = signed_in(&app, "fgw");
    let rep_auth = format!("Bearer {}", rep.issue_token());
    assert_eq!(
        post_json(&c, "/api/v1/departments", r#"{"code":"y","name":"某局"}"#, &rep_auth).status,
        403
    );
    assert_eq!(c.get("/api/v1/departments").status, 401);
    let spec = c.get("/api/v1/openapi.json").json();
    for p in ["/departments", "/departments/{code}", "/departments/{code}/retire"] {
        assert!(spec["paths"][p]["post"].is_object(), "{p}");
    }
}
