//! The annual report of a plan of about seventy indicators in all four
//! formats, timed by hand (no harness). The bar: under 2 s for the four
//! together. Run: `cargo bench -p lantu-report`.

#[path = "../tests/report/common.rs"]
mod common;

use lantu_report::content::Report;
use lantu_report::{render_report, Format, Lang, ReportKind};
use std::time::{Duration, Instant};

fn main() {
    let snapshot = common::big(70, 2023);
    let runs = std::env::var("LANTU_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5usize);

    // Fonts are read once per process: the first run pays for it, and is
    // reported on its own.
    let started = Instant::now();
    let report = Report::build(&snapshot, ReportKind::Annual, Lang::Zh);
    for f in Format::ALL {
        render_report(&report, f).unwrap_or_else(|e| panic!("{f}: {e}"));
    }
    let first = started.elapsed();

    let mut per_format = [Duration::ZERO; 4];
    let mut build = Duration::ZERO;
    let mut totals = Vec::with_capacity(runs);
    let mut sizes = [0usize; 4];
    for _ in 0..runs {
        let t0 = Instant::now();
        let report = Report::build(&snapshot, ReportKind::Annual, Lang::Zh);
        build += t0.elapsed();
        for (k, f) in Format::ALL.into_iter().enumerate() {
            let t = Instant::now();
            let bytes = render_report(&report, f).unwrap();
            per_format[k] += t.elapsed();
            sizes[k] = bytes.len();
        }
        totals.push(t0.elapsed());
    }
    totals.sort();
    let n = runs as u32;
    println!(
        "annual report, {} indicators, {} charts, all four formats:",
        snapshot.indicators.len(),
        report.charts.len()
    );
    println!("  first run (fonts read): {:>8.1} ms", first.as_secs_f64() * 1e3);
    println!(
        "  median of {runs} runs:      {:>8.1} ms (min {:.1}, max {:.1})",
        totals[totals.len() / 2].as_secs_f64() * 1e3,
        totals[0].as_secs_f64() * 1e3,
        totals[totals.len() - 1].as_secs_f64() * 1e3
    );
    println!("  model:                  {:>8.1} ms", (build / n).as_secs_f64() * 1e3);
    for (k, f) in Format::ALL.into_iter().enumerate() {
        println!(
            "  {:<5}                   {:>8.1} ms  {:>8} bytes",
            f.extension(),
            (per_format[k] / n).as_secs_f64() * 1e3,
            sizes[k]
        );
    }
    let median = totals[totals.len() / 2];
    assert!(median < Duration::from_secs(2), "over the 2 s bar: {median:?}");
}
