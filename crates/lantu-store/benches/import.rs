//! Importing 1,000,000 observations into a fresh database in one
//! transaction (the bar: ≥ 100,000 rows/s on SQLite), then the same file
//! again (every figure unchanged), then with every 10th value changed.
//!
//! `cargo bench -p lantu-store --bench import`; set
//! `LANTU_BENCH_DATABASE_URL=postgres://…` to run it on PostgreSQL (use a
//! fresh database or schema: the plan is added to what is there).

mod common;

use lantu_core::observation::NewObservation;
use lantu_core::Period;
use lantu_store::Store;
use rust_decimal::Decimal;
use std::time::Instant;

fn main() {
    let full = common::full_size();
    // 250 indicators × 100 months × 40 places (the district and 39 towns).
    let (indicators, months, places) = if full { (250, 100, 40) } else { (10, 10, 10) };
    let towns: Vec<Option<String>> = (0..places)
        .map(|p| if p == 0 { None } else { Some(format!("镇{p:02}")) })
        .collect();
    let mut rows = Vec::with_capacity(indicators * months * places);
    for i in 0..indicators {
        for m in 0..months {
            let period = Period::month(2017 + (m / 12) as i32, (m % 12 + 1) as u8).unwrap();
            for (p, town) in towns.iter().enumerate() {
                rows.push(NewObservation {
                    indicator: format!("i{i:04}"),
                    period,
                    geography: town.clone(),
                    value: Decimal::new((i * 7919 + m * 104_729 + p * 31) as i64 % 1_000_000, 2),
                    source: None,
                    note: None,
                    comment: None,
                });
            }
        }
    }
    let n = rows.len();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let (url, file) = common::database("import");
    rt.block_on(async {
        let store = Store::open(&url).await.unwrap();
        let plan = store.import_plan(&common::plan(indicators), "bench").await.unwrap();

        let start = Instant::now();
        let r = store
            .import_observations(plan, &rows, "bench", "bench.csv", None)
            .await
            .unwrap();
        let first = start.elapsed();
        assert_eq!(r.inserted, n);

        let start = Instant::now();
        let r = store
            .import_observations(plan, &rows, "bench", "bench.csv", None)
            .await
            .unwrap();
        let again = start.elapsed();
        assert_eq!(r.unchanged, n);

        for row in rows.iter_mut().step_by(10) {
            row.value += Decimal::ONE;
        }
        let start = Instant::now();
        let r = store
            .import_observations(plan, &rows, "bench", "bench-revised.csv", Some("修订"))
            .await
            .unwrap();
        let revised = start.elapsed();
        assert_eq!(r.revised, n.div_ceil(10));

        let start = Instant::now();
        let audit = store.audit_verify().await.unwrap();
        let verify = start.elapsed();
        assert!(audit.is_clean());

        let rate = |d: std::time::Duration| n as f64 / d.as_secs_f64();
        println!("import ({}, {n} observations):", store.backend());
        println!(
            "  fresh:            {:>8.2} s  {:>10.0} rows/s",
            first.as_secs_f64(),
            rate(first)
        );
        println!(
            "  same again:       {:>8.2} s  {:>10.0} rows/s (all unchanged)",
            again.as_secs_f64(),
            rate(again)
        );
        println!(
            "  10 % revised:     {:>8.2} s  {:>10.0} rows/s",
            revised.as_secs_f64(),
            rate(revised)
        );
        println!(
            "  audit verify:     {:>8.2} s  ({} vintages re-hashed)",
            verify.as_secs_f64(),
            n + n.div_ceil(10)
        );
        store.close().await;
    });
    common::remove(&file);
}
