//! Issue 13's evidence bar (佐证材料): a PDF attached by the department's
//! reporter reaches the reviewer — served as an attachment with its
//! checked type and `nosniff` — and neither another department's reporter
//! nor the public, until the planner marks it public; an oversized file
//! and an `.exe` renamed `.pdf` are refused with a message naming the
//! file; the API attaches and lists; the audit log stays clean.

mod common;

use common::{start, App, Client, PASSWORD};

fn multipart(csrf: &str, fields: &[(&str, &str)], filename: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "XlantuEvidenceBoundary";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n");
    for (k, v) in fields {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        ));
    }
    body.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n\
         Content-Type: application/pdf\r\n\r\n"
    ));
    let mut body = body.into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// An fgw indicator with a 2023 figure.
fn fgw_indicator(app: &App) -> String {
    let with_figures: Vec<String> = app.rt.block_on(async {
        app.state
            .app()
            .store()
            .observations(app.plan, &Default::default())
            .await
            .unwrap()
            .into_iter()
            .filter(|r| r.period.calendar_year() == 2023)
            .map(|r| r.indicator)
            .collect()
    });
    app.codes_of("fgw")
        .into_iter()
        .find(|c| with_figures.contains(c))
        .expect("fgw leads an indicator with a 2023 figure")
}

fn upload(c: &Client, app: &App, code: &str, name: &str, bytes: &[u8]) -> common::Resp {
    let page = c.get(&format!("/plans/{}/indicators/{code}", app.plan));
    assert_eq!(page.status, 200, "{}", page.body);
    let (ct, body) = multipart(
        &page.csrf(),
        &[
            ("indicator", code),
            ("period", "2023"),
            ("back", &format!("/plans/{}/indicators/{code}", app.plan)),
        ],
        name,
        bytes,
    );
    c.post_body(&format!("/plans/{}/evidence", app.plan), &ct, &body, &[])
}

/// The first evidence link on a page: its path.
fn evidence_link(page: &str, plan: i64) -> Option<String> {
    let page = &page.replace("&#x2f;", "/");
    let needle = format!("/plans/{plan}/evidence/");
    let i = page
        .find(&format!("href=\"{needle}"))
        .or_else(|| page.find(&format!("href=\"/public{needle}")))?;
    let rest = &page[i + 6..];
    Some(rest[..rest.find('"')?].to_string())
}

#[test]
fn a_pdf_reaches_the_reviewer_only_and_bad_files_are_refused() {
    let app = start();
    let code = fgw_indicator(&app);
    let pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec();

    let fgw = app.client();
    assert_eq!(fgw.login("fgw", PASSWORD).status, 303);
    let r = upload(&fgw, &app, &code, "2023年统计公报.pdf", &pdf);
    assert_eq!(r.status, 303, "{}", r.body);

    // The reviewer sees it on the indicator page and downloads it.
    let reviewer = app.client();
    assert_eq!(reviewer.login("reviewer", PASSWORD).status, 303);
    let page = reviewer.get(&format!("/plans/{}/indicators/{code}", app.plan));
    assert!(page.body.contains("2023年统计公报.pdf"), "{}", page.body);
    let link = evidence_link(&page.body, app.plan).expect("an evidence link");
    let file = reviewer.get(&link);
    assert_eq!(file.status, 200, "{}", file.body);
    assert_eq!(file.body.as_bytes(), pdf.as_slice());
    assert_eq!(file.header("content-type"), Some("application/pdf"));
    assert!(file
        .header("content-disposition")
        .unwrap_or("")
        .starts_with("attachment;"));
    assert_eq!(file.header("x-content-type-options"), Some("nosniff"));

    // Another department's reporter and the public get nothing.
    let sthj = app.client();
    assert_eq!(sthj.login("sthj", PASSWORD).status, 303);
    assert_eq!(sthj.get(&link).status, 404);
    let theirs = sthj.get(&format!("/plans/{}/indicators/{code}", app.plan));
    assert!(!theirs.body.contains("2023年统计公报.pdf"));
    let public = app.client();
    let public_link = format!("/public{link}");
    assert_eq!(public.get(&public_link).status, 404);
    assert_eq!(public.get(&link).status, 404, "the internal link without a session");
    assert!(!public
        .get(&format!("/public/plans/{}/indicators/{code}", app.plan))
        .body
        .contains("2023年统计公报.pdf"));
    // Nor may they attach to it.
    let refused = upload(&sthj, &app, &code, "x.pdf", &pdf);
    assert_eq!(refused.status, 403, "{}", refused.body);

    // Once the planner marks it public, the public may download it.
    let planner = app.client();
    assert_eq!(planner.login("planner", PASSWORD).status, 303);
    let page = planner.get(&format!("/plans/{}/indicators/{code}", app.plan));
    let id = link.rsplit('/').next().unwrap();
    let r = planner.post_form(
        &format!("/plans/{}/evidence/{id}/public", app.plan),
        &[("csrf", &page.csrf()), ("public", "1")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let file = public.get(&public_link);
    assert_eq!(file.status, 200, "{}", file.body);
    assert_eq!(file.header("content-type"), Some("application/pdf"));
    assert!(public
        .get(&format!("/public/plans/{}/indicators/{code}", app.plan))
        .body
        .contains("2023年统计公报.pdf"));
    // Still not to another department's reporter: evidence is the
    // department's material.
    assert_eq!(sthj.get(&link).status, 404);

    // A Windows program renamed .pdf, and a file over the cap.
    let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00This program cannot be run in DOS mode";
    let r = upload(&fgw, &app, &code, "setup.exe.pdf", exe);
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(
        r.body.contains("setup.exe.pdf") && r.body.contains("不是 PDF"),
        "{}",
        r.body
    );
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(11 << 20, b' ');
    let r = upload(&fgw, &app, &code, "太大的扫描件.pdf", &big);
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(
        r.body.contains("太大的扫描件.pdf") && r.body.contains("过大"),
        "{}",
        r.body
    );

    // The API: a PNG attached with a token, listed for the reviewer, not for
    // the other department.
    let token = fgw.issue_token();
    let api = Client::new(&app.base);
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00";
    let r = api.post_body(
        &format!(
            "/api/v1/plans/{}/evidence?indicator={code}&period=2023&file_name=photo.png",
            app.plan
        ),
        "application/octet-stream",
        png,
        &[("Authorization", &format!("Bearer {token}"))],
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["kind"], "png");
    let list = reviewer.get(&format!(
        "/api/v1/plans/{}/evidence?indicator={code}&period=2023",
        app.plan
    ));
    assert_eq!(list.status, 200, "{}", list.body);
    let names: Vec<String> = list
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["file_name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["2023年统计公报.pdf", "photo.png"]);
    let theirs = sthj.get(&format!(
        "/api/v1/plans/{}/evidence?indicator={code}&period=2023",
        app.plan
    ));
    assert_eq!(theirs.json().as_array().map(Vec::len), Some(0), "{}", theirs.body);
    // The public's list holds the public PDF only.
    let public_list = public.get(&format!(
        "/api/v1/plans/{}/evidence?indicator={code}&period=2023",
        app.plan
    ));
    assert_eq!(
        public_list.json().as_array().map(Vec::len),
        Some(1),
        "{}",
        public_list.body
    );

    // The one-call list for the review page agrees.
    let reviewer_user = app
        .rt
        .block_on(app.state.app().store().user_by_name("reviewer"))
        .unwrap()
        .unwrap();
    let target = lantu_store::EvidenceTarget::Figure {
        indicator: code.clone(),
        period: lantu_core::Period::year(2023),
        geography: None,
    };
    let listed = app
        .rt
        .block_on(app.state.app().evidence_of(Some(&reviewer_user), app.plan, &target))
        .unwrap();
    assert_eq!(listed.len(), 2);

    let report = app.rt.block_on(app.state.app().store().audit_verify()).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}
