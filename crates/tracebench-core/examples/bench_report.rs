//! Benchmark: the court report of a large generated case (issue 6: "a 200-page report from the
//! 50,000-transaction sim case in under 3 s, with figures as vectors, fonts subset, and at most
//! 40 KB per page on average"). Opens the case (run it on a copy), builds the report model as
//! `tracebench report --no-labels` does (stored settings, the same validation datasets) and
//! renders it, timing opening, the model (which includes the content hash for the seal) and the
//! rendering apart; `total_s` is what `tracebench report` does. The content hash is then timed
//! once more on its own (outside `total_s`) to say how much of the model it is.
//! Prints one JSON line; `scripts/bench.sh` adds pages, fonts and CPU time.
//!
//! Run: `bench_report CASE.tbcase OUT.pdf [--omit SECTION]...`

use std::path::PathBuf;
use std::time::Instant;

use chrono::TimeZone;
use tracebench_core::api::{ExhibitOptions, ReportExtras, Workbench};

fn main() {
    let mut args = std::env::args().skip(1);
    let case = PathBuf::from(
        args.next()
            .expect("usage: bench_report CASE.tbcase OUT.pdf"),
    );
    let out = PathBuf::from(
        args.next()
            .expect("usage: bench_report CASE.tbcase OUT.pdf"),
    );
    let mut omit = Vec::new();
    while let Some(flag) = args.next() {
        assert_eq!(flag, "--omit", "only --omit SECTION is understood");
        let key = args.next().expect("--omit needs a section");
        omit.push(tracebench_report::Section::parse(&key).expect("a section key"));
    }
    let total = Instant::now();
    let wb = Workbench::open(&case, None).expect("open the case");
    let open_s = total.elapsed().as_secs_f64();

    let mut settings = wb.report_settings().expect("stored settings");
    settings.omit.extend(omit);
    let options = ExhibitOptions {
        settings,
        validation_datasets: vec![tracebench_sim::validation_dataset().expect("sim dataset")],
    };
    let generated_at = chrono::Utc
        .timestamp_opt(1_767_225_600, 0)
        .single()
        .expect("epoch");
    let t = Instant::now();
    let input = wb
        .report_input_as(generated_at, ReportExtras::default(), &options)
        .expect("report model");
    let input_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let pdf = tracebench_report::render_pdf(&input).expect("render");
    let render_s = t.elapsed().as_secs_f64();
    std::fs::write(&out, &pdf).expect("write the PDF");
    let total_s = total.elapsed().as_secs_f64();
    // The content hash once more, after the total: the model computed it for the seal (it is
    // part of `model_s`); timed apart here to say how much of the model it is.
    let t = Instant::now();
    let hash = wb.case().content_hash().expect("content hash");
    let content_hash_s = t.elapsed().as_secs_f64();
    let manifest = tracebench_report::Seal::of(&input).expect("seal");
    println!(
        "{}",
        serde_json::json!({
            "case_txs": input.transactions.len(),
            "clusters": input.clusters.len(),
            "graph_nodes": input.graph.nodes.len(),
            "omit": options.settings.omit.iter().map(|s| s.key()).collect::<Vec<_>>(),
            "story_steps": input.story.len(),
            "narrative_hops": input.hops.len(),
            "content_hash": hash.sha256,
            "open_s": open_s,
            "content_hash_s": content_hash_s,
            "model_s": input_s,
            "render_s": render_s,
            "total_s": total_s,
            "bytes": pdf.len(),
            "manifest_bytes": manifest.manifest_json.len(),
        })
    );
}
