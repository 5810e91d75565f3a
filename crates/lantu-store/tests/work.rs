//! Departments, tasks, annual work plans and key projects.

mod common;

use common::*;
use lantu_core::plan::PlanState;
use lantu_store::testing::fresh_store;
use lantu_store::{NewWorkPlanEntry, ProjectProgress, ProjectStatus, StoreError, WorkPlanUpdate, WorkStatus};

#[tokio::test]
async fn tasks_and_their_annual_work_plans() {
    let store = fresh_store().await;
    let plan = store
        .import_plan(&sample_doc(PlanState::Adopted), "planner")
        .await
        .unwrap();
    let depts = store.departments(plan).await.unwrap();
    assert_eq!(
        depts.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(),
        ["fgw", "hb", "tj", "wj"]
    );
    let tasks = store.tasks(plan).await.unwrap();
    assert_eq!(tasks.iter().map(|t| t.code.as_str()).collect::<Vec<_>>(), ["k1", "k2"]);
    assert_eq!(tasks[1].departments, ["fgw"]);
    assert_eq!(tasks[1].co_departments, ["tj", "hb"]);
    assert_eq!(tasks[0].node.as_deref(), Some("c4.s1.i1"));

    let entry = NewWorkPlanEntry {
        year: 2024,
        milestone: "完成第二污水处理厂主体工程".into(),
        due_date: Some("2024-09-30".into()),
        status: WorkStatus::NotStarted,
        progress_note: None,
    };
    let e1 = store.add_work_plan_entry(tasks[0].id, &entry, "hb").await.unwrap();
    let e2 = store
        .add_work_plan_entry(
            tasks[1].id,
            &NewWorkPlanEntry {
                year: 2023,
                due_date: None,
                ..entry.clone()
            },
            "fgw",
        )
        .await
        .unwrap();
    let bad = NewWorkPlanEntry {
        due_date: Some("2024-02-30".into()),
        ..entry.clone()
    };
    let err = store.add_work_plan_entry(tasks[0].id, &bad, "hb").await.unwrap_err();
    assert!(
        err.to_string().contains("due_date: `2024-02-30` is not a date"),
        "{err}"
    );
    assert!(matches!(
        store.add_work_plan_entry(9999, &entry, "hb").await,
        Err(StoreError::NotFound { .. })
    ));

    let all = store.work_plan_entries(plan, None).await.unwrap();
    assert_eq!(all.iter().map(|e| e.id).collect::<Vec<_>>(), [e1, e2]);
    assert_eq!(all[0].task, "k1");
    let y2023 = store.work_plan_entries(plan, Some(2023)).await.unwrap();
    assert_eq!(y2023.iter().map(|e| e.id).collect::<Vec<_>>(), [e2]);

    let update = WorkPlanUpdate {
        status: Some(WorkStatus::InProgress),
        progress_note: Some(Some("主体结构完成60%".into())),
        ..Default::default()
    };
    let after = store.update_work_plan_entry(e1, &update, "hb-staff").await.unwrap();
    assert_eq!(after.status, WorkStatus::InProgress);
    assert_eq!(after.milestone, entry.milestone);
    assert_eq!(after.due_date.as_deref(), Some("2024-09-30"));
    assert_eq!(after.updated_by, "hb-staff");
    assert_eq!(store.work_plan_entry(e1).await.unwrap(), after);
    let cleared = store
        .update_work_plan_entry(
            e1,
            &WorkPlanUpdate {
                due_date: Some(None),
                ..Default::default()
            },
            "hb",
        )
        .await
        .unwrap();
    assert_eq!(cleared.due_date, None);
    assert_eq!(cleared.progress_note.as_deref(), Some("主体结构完成60%"));
    assert!(matches!(
        store.work_plan_entry(4242).await,
        Err(StoreError::NotFound { .. })
    ));

    let audit = store.audit_of("work_plan_entry", e1).await.unwrap();
    assert_eq!(
        audit.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        [
            "add_work_plan_entry",
            "update_work_plan_entry",
            "update_work_plan_entry"
        ]
    );
    assert!(store.audit_verify().await.unwrap().is_clean());
}

#[tokio::test]
async fn key_projects_record_their_progress() {
    let store = fresh_store().await;
    let plan = store
        .import_plan(&sample_doc(PlanState::Adopted), "planner")
        .await
        .unwrap();
    let projects = store.projects(plan).await.unwrap();
    assert_eq!(
        projects.iter().map(|p| p.code.as_str()).collect::<Vec<_>>(),
        ["p1", "p2"]
    );
    assert_eq!(projects[0].departments, ["wj", "fgw"]);
    assert_eq!(projects[0].planned_investment, Some(dec("12")));
    assert_eq!(projects[0].status, ProjectStatus::Planned);
    assert_eq!(projects[0].completed_investment, None);

    let progress = ProjectProgress {
        completed_investment: Some(dec("3.75")),
        started_on: Some("2022-03-15".into()),
        finished_on: None,
        status: ProjectStatus::UnderConstruction,
        progress_note: Some("主体封顶".into()),
    };
    let p = store
        .update_project_progress(projects[1].id, &progress, "hb")
        .await
        .unwrap();
    assert_eq!(p.completed_investment, Some(dec("3.75")));
    assert_eq!(p.status, ProjectStatus::UnderConstruction);
    assert_eq!(p.started_on.as_deref(), Some("2022-03-15"));
    assert_eq!(p.updated_by.as_deref(), Some("hb"));
    assert_eq!(p.departments, ["hb"]);
    assert_eq!(store.projects(plan).await.unwrap()[1], p);

    let bad = ProjectProgress {
        finished_on: Some("2024-13-01".into()),
        ..progress.clone()
    };
    assert!(matches!(
        store.update_project_progress(projects[1].id, &bad, "hb").await,
        Err(StoreError::InvalidInput {
            field: "finished_on",
            ..
        })
    ));
    assert!(matches!(
        store.update_project_progress(777, &progress, "hb").await,
        Err(StoreError::NotFound { .. })
    ));

    // Re-applying the plan document leaves the progress alone.
    let doc = store.plan_doc(plan).await.unwrap();
    let mut edited = doc.clone();
    edited.projects[1].capacity = Some("12万吨/日".into());
    store.apply_plan(plan, &edited, "planner").await.unwrap();
    let p2 = store.project(projects[1].id).await.unwrap();
    assert_eq!(p2.capacity.as_deref(), Some("12万吨/日"));
    assert_eq!(p2.completed_investment, Some(dec("3.75")));
    assert_eq!(p2.status, ProjectStatus::UnderConstruction);
    let audit = store.audit_of("project", projects[1].id).await.unwrap();
    assert_eq!(audit.len(), 2);
}
