//! An import interrupted in the middle — its process killed (kill -9) or its
//! future dropped — leaves the database exactly as before it.

mod common;

use common::*;
use lantu_core::observation::NewObservation;
use lantu_core::plan::PlanState;
use lantu_store::testing::fresh_store;
use lantu_store::{ImportProgress, Store};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CHILD_URL: &str = "LANTU_CRASH_CHILD_URL";
const CHILD_PLAN: &str = "LANTU_CRASH_CHILD_PLAN";
const MARK: &str = "LANTU-CRASH-CHILD written=";
const FAILED: &str = "LANTU-CRASH-CHILD failed: ";

/// Monthly figures for the plan's level indicators over `years` years.
fn many(years: i32) -> Vec<NewObservation> {
    let mut v = Vec::new();
    for code in ["t001", "t002", "t003", "t010"] {
        for y in 0..years {
            for m in 1..=12 {
                v.push(obs(code, &format!("{}-{m:02}", 1900 + y), &format!("{}.{m}", y + 1)));
            }
        }
    }
    v
}

/// Run only as a child of `a_killed_import_leaves_the_database_as_it_was`:
/// imports, reports the first written batch, then waits to be killed.
#[tokio::test]
#[ignore = "helper process, started by the crash test"]
async fn crash_child() {
    let (Ok(url), Ok(plan)) = (std::env::var(CHILD_URL), std::env::var(CHILD_PLAN)) else {
        return;
    };
    let store = Store::open(&url).await.unwrap();
    let rows = many(30);
    let mut progress = |p: ImportProgress| {
        println!("{MARK}{}", p.written);
        use std::io::Write;
        std::io::stdout().flush().unwrap();
        // Stay in the middle of the transaction until the parent kills us.
        std::thread::sleep(Duration::from_secs(120));
    };
    let result = store
        .import_observations_with_progress(plan.parse().unwrap(), &rows, "child", "big.csv", None, &mut progress)
        .await;
    println!("{FAILED}{result:?}");
    panic!("the child should have been killed before its import finished");
}

#[tokio::test]
async fn a_killed_import_leaves_the_database_as_it_was() {
    let store = fresh_store().await;
    let plan = store
        .import_plan(&sample_doc(PlanState::Adopted), "planner")
        .await
        .unwrap();
    store
        .import_observations(plan, &[obs("t001", "2021", "24.2")], "dept", "a.csv", None)
        .await
        .unwrap();
    let before = (
        count(&store, "observations").await,
        count(&store, "observation_batches").await,
    );
    let audit_before = store.audit_log(1000).await.unwrap();

    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "crash_child", "--ignored", "--nocapture", "--test-threads=1"])
        .env(CHILD_URL, store.url())
        .env(CHILD_PLAN, plan.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            // libtest prints `test crash_child ... ` before the child's output.
            if let Some(at) = line.find(MARK) {
                let _ = tx.send(Ok(line[at + MARK.len()..].trim().parse::<usize>().unwrap()));
                return;
            }
            if line.contains(FAILED) {
                let _ = tx.send(Err(line));
                return;
            }
        }
    });
    let written = rx
        .recv_timeout(Duration::from_secs(120))
        .expect("the child never wrote a batch")
        .unwrap();
    assert!(written > 0);
    child.kill().unwrap(); // SIGKILL: no destructor, no rollback by the child
    child.wait().unwrap();

    assert_eq!(
        (
            count(&store, "observations").await,
            count(&store, "observation_batches").await
        ),
        before
    );
    assert_eq!(store.audit_log(1000).await.unwrap(), audit_before);
    assert!(store.audit_verify().await.unwrap().is_clean());
    // The write lock died with the child: the next import goes through.
    let start = Instant::now();
    let r = store
        .import_observations(plan, &many(1), "dept", "again.csv", None)
        .await
        .unwrap();
    assert_eq!(r.inserted, 48);
    assert!(start.elapsed() < Duration::from_secs(20));
    assert!(store.audit_verify().await.unwrap().is_clean());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_import_future_rolls_back() {
    let store = fresh_store().await;
    let plan = store
        .import_plan(&sample_doc(PlanState::Adopted), "planner")
        .await
        .unwrap();
    let before = count(&store, "observations").await;
    let (tx, rx) = std::sync::mpsc::channel::<usize>();
    let s: Store = (*store).clone();
    let task = tokio::spawn(async move {
        let mut progress = move |p: ImportProgress| {
            let _ = tx.send(p.written);
            std::thread::sleep(Duration::from_millis(300));
        };
        // Eight multi-row inserts, 300 ms apart: the abort lands while most
        // of the import is still to come, however the runtime schedules it.
        s.import_observations_with_progress(plan, &many(150), "dept", "big.csv", None, &mut progress)
            .await
    });
    let written = tokio::task::spawn_blocking(move || rx.recv_timeout(Duration::from_secs(60)).unwrap())
        .await
        .unwrap();
    assert!(written > 0);
    task.abort();
    assert!(task.await.unwrap_err().is_cancelled());

    assert_eq!(count(&store, "observations").await, before);
    assert_eq!(count(&store, "observation_batches").await, 0);
    let r = store
        .import_observations(plan, &many(1), "dept", "small.csv", None)
        .await
        .unwrap();
    assert_eq!(r.inserted, 48);
    assert!(store.audit_verify().await.unwrap().is_clean());
}
