//! The example directorate's Quarter 2 2012/13 report in each format, from data in a real SQLite
//! database to bytes, beside the baseline of reading the council from the database.
//!
//! Run: `cargo bench -p beacon-reports-pdf --bench report_formats`. Figures and the machine
//! they were measured on: `docs/performance.md`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use beacon_app::{CouncilData, Store};
use beacon_reports::render;
use beacon_reports::{MonitoringQuery, monitoring_report};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn formats(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let db = rt.block_on(beacon_test_support::TempDb::with_halton());
    let council = "halton".parse().unwrap();
    let read = || -> CouncilData {
        rt.block_on(db.store.council_data(&council))
            .unwrap()
            .unwrap()
    };
    let query = MonitoringQuery {
        unit: "CED".parse().unwrap(),
        quarter: "2012/13 Q2".parse().unwrap(),
    };
    let report = || monitoring_report(&read(), &query).unwrap();

    let mut g = c.benchmark_group("ced-2012-13-q2");
    g.sample_size(30);
    g.bench_function("baseline: read the council", |b| {
        b.iter(|| black_box(read()))
    });
    g.bench_function("model", |b| b.iter(|| black_box(report())));
    g.bench_function("html", |b| {
        b.iter(|| black_box(render::html::render(&report()).unwrap()))
    });
    g.bench_function("json", |b| {
        b.iter(|| black_box(render::json::render(&report()).unwrap()))
    });
    g.bench_function("csv (zip)", |b| {
        b.iter(|| black_box(render::csv::zip(&report()).unwrap()))
    });
    g.bench_function("xlsx", |b| {
        b.iter(|| black_box(render::xlsx::render(&report()).unwrap()))
    });
    g.bench_function("docx", |b| {
        b.iter(|| black_box(render::docx::render(&report()).unwrap()))
    });
    g.bench_function("pdf", |b| {
        b.iter(|| black_box(beacon_reports_pdf::render(&report()).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, formats);
criterion_main!(benches);
