//! `lantu plan import` of a plan text keeps the text for the workbench;
//! `lantu plan adopt` lists what blocks adoption, and adopts once nothing
//! does; the draft is never public.

use std::process::{Command, Output};

fn lantu(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lantu"))
        .arg("--db")
        .arg(db)
        .args(["--as", "规划科"])
        .args(args)
        .output()
        .expect("the lantu binary runs")
}

fn text(o: &Output) -> (bool, String) {
    (
        o.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
    )
}

#[test]
fn import_keeps_the_text_and_adopt_lists_its_blockers() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let store = rt.block_on(lantu_store::testing::fresh_store());
    let db = store.url().to_string();
    let plan = format!(
        "{}/../lantu-web/tests/fixtures/qingshan-greenway-plan.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    let (ok, out) = text(&lantu(&db, &["plan", "import", &plan]));
    assert!(ok, "{out}");
    let id = 1;
    let kept = rt
        .block_on(store.store().plan_text(id))
        .unwrap()
        .expect("the text is kept");
    assert_eq!(kept.file_name, "qingshan-greenway-plan.txt");
    assert!(kept.body.contains("生态绿道"));
    let reviews = rt.block_on(store.store().record_reviews(id)).unwrap();
    assert!(
        reviews.iter().any(|r| r.code == "t006" && r.attribute_set),
        "the table's 属性 counts as set"
    );
    assert!(
        reviews.iter().any(|r| r.code == "t001" && !r.attribute_set),
        "the default does not"
    );

    let (ok, out) = text(&lantu(&db, &["plan", "adopt", "1"]));
    assert!(!ok, "{out}");
    assert!(out.contains("规划尚不能采纳") && out.contains("缺少牵头部门"), "{out}");

    // Complete every indicator through the application layer, then adopt.
    let app = lantu_app::App::new(store.store().clone());
    let caller = lantu_app::workbench::Caller {
        role: lantu_core::account::Role::Planner,
        name: "规划科",
    };
    rt.block_on(async {
        app.add_department(caller, id, "区园林局", Some("yl")).await.unwrap();
        let doc = store.store().plan_doc(id).await.unwrap();
        let codes: Vec<String> = doc.indicators.iter().map(|i| i.code.clone()).collect();
        app.assign_departments(caller, id, &codes, Some("yl"), &[])
            .await
            .unwrap();
        for c in &codes {
            let edit = lantu_app::workbench::IndicatorEdit {
                attribute: Some("expected".into()),
                ..Default::default()
            };
            app.edit_record(caller, id, c, &edit).await.unwrap();
        }
    });
    let (ok, out) = text(&lantu(&db, &["plan", "adopt", "1"]));
    assert!(ok, "{out}");
    assert!(out.contains("已采纳"), "{out}");
    let (ok, out) = text(&lantu(&db, &["plan", "adopt", "1"]));
    assert!(!ok && out.contains("已采纳，无需再次采纳"), "{out}");
    // Adopted is not public: the planner decides that.
    let plans = rt.block_on(store.store().plans()).unwrap();
    assert!(!plans[0].publication().plan_public());
}
