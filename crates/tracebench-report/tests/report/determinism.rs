//! The same input gives byte-identical PDFs, within one process and across processes.

use std::process::Command;

use crate::fixture;
use tracebench_report::render_pdf;

/// Set by `identical_across_processes` for the child it spawns.
const OUT_VAR: &str = "TRACEBENCH_REPORT_DETERMINISM_OUT";

#[test]
fn identical_within_one_process() {
    let input = fixture::input(true);
    let first = render_pdf(&input).expect("renders");
    let second = render_pdf(&input).expect("renders");
    assert!(
        first == second,
        "two renders in one process must be byte-identical"
    );
    if let Ok(path) = std::env::var(OUT_VAR) {
        std::fs::write(path, &first).expect("child writes its render");
    }
}

#[test]
fn identical_across_processes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("child.pdf");
    let status = Command::new(std::env::current_exe().expect("test binary path"))
        .args([
            "--exact",
            "determinism::identical_within_one_process",
            "--quiet",
        ])
        .env(OUT_VAR, &out)
        .status()
        .expect("spawn the test binary");
    assert!(status.success(), "the child render must succeed");
    let child = std::fs::read(&out).expect("the child wrote its PDF");
    // Render a few other documents first so printpdf's process-wide counters differ.
    for synthetic in [false, true] {
        render_pdf(&fixture::input(synthetic)).expect("renders");
    }
    let here = render_pdf(&fixture::input(true)).expect("renders");
    assert!(
        child == here,
        "a render in another process must be byte-identical"
    );
}

#[test]
fn different_input_gives_a_different_document_id() {
    let a = render_pdf(&fixture::input(true)).expect("renders");
    let b = render_pdf(&fixture::input(false)).expect("renders");
    let id = |pdf: &[u8]| {
        let at = pdf
            .windows(3)
            .rposition(|w| w == b"/ID")
            .expect("trailer has an /ID");
        pdf[at..(at + 80).min(pdf.len())].to_vec()
    };
    assert_ne!(
        id(&a),
        id(&b),
        "the document id is derived from the content"
    );
}
