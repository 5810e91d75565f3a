//! Status of a plan with 200 indicators and 10 years of monthly figures each
//! (24,000 approved observations): the whole `App::status` call — read the
//! indicator system, the target versions and the counted figures, run the
//! engine for every target (the one pipeline the pages and reports use).
//!
//! `cargo bench -p lantu-app --bench status`.

#[path = "../../lantu-store/benches/common.rs"]
mod common;

use lantu_app::{App, StatusOptions};
use lantu_core::observation::{NewObservation, ObservationState};
use lantu_core::Period;
use lantu_store::{Figures, Store};
use rust_decimal::Decimal;
use std::time::{Duration, Instant};

fn main() {
    let full = common::full_size();
    let (indicators, runs) = if full { (200, 50) } else { (10, 3) };
    let mut rows = Vec::new();
    for i in 0..indicators {
        for m in 0..120 {
            let period = Period::month(2016 + m / 12, (m % 12 + 1) as u8).unwrap();
            // Levels drift up (or down for ceilings); flows are monthly amounts.
            let value = match i % 4 {
                1 => Decimal::from(100) - Decimal::new(i64::from(m) * 3, 1),
                3 => Decimal::from(20 + (i + m as usize) % 50),
                _ => Decimal::from(100) + Decimal::new(i64::from(m) * 4, 1),
            };
            rows.push(NewObservation {
                indicator: format!("i{i:04}"),
                period,
                geography: None,
                value,
                source: None,
                note: None,
                comment: None,
            });
        }
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let (url, file) = common::database("status");
    rt.block_on(async {
        let store = Store::open(&url).await.unwrap();
        let plan = store.import_plan(&common::plan(indicators), "bench").await.unwrap();
        store
            .import_observations(plan, &rows, "bench", "bench.csv", None)
            .await
            .unwrap();
        for (from, to) in [
            (ObservationState::Draft, ObservationState::Submitted),
            (ObservationState::Submitted, ObservationState::Approved),
        ] {
            store
                .set_state(
                    &Figures::AllIn {
                        plan_id: plan,
                        state: from,
                    },
                    to,
                    "bench",
                    None,
                )
                .await
                .unwrap();
        }
        let app = App::new(store.clone());
        let options = StatusOptions::default();
        let first = app.status(plan, 2024, &options).await.unwrap();
        assert_eq!(first.len(), indicators);
        assert!(first.iter().all(|s| s.observations == 108), "figures up to 2024 count");

        let mut times: Vec<Duration> = Vec::with_capacity(runs);
        for _ in 0..runs {
            let start = Instant::now();
            let s = app.status(plan, 2024, &options).await.unwrap();
            times.push(start.elapsed());
            assert_eq!(s.len(), indicators);
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "status ({}, {indicators} indicators × 120 months, {} observations, evaluation year 2024):",
            store.backend(),
            rows.len()
        );
        println!(
            "  median {:.2} ms, fastest {:.2} ms, slowest {:.2} ms over {runs} runs",
            ms(times[runs / 2]),
            ms(times[0]),
            ms(times[runs - 1])
        );
        store.close().await;
    });
    common::remove(&file);
}
