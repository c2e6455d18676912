//! Page furniture: numbering, the case id and the synthetic marking on every page.

use crate::fixture::{self, CASE_ID};
use crate::poppler;
use tracebench_report::SYNTHETIC_MARK;

#[test]
fn every_page_is_numbered_and_carries_the_case_id() {
    let pdf = poppler::render(&fixture::input(true));
    let total = poppler::page_count(&pdf.path);
    let pages = poppler::pages(&pdf.path);
    assert_eq!(
        pages.len(),
        total,
        "pdftotext and pdfinfo must agree on the page count"
    );
    assert!(
        total >= 8,
        "the fixture fills cover, 3 figures, table pages and appendices: {total}"
    );
    for (i, page) in pages.iter().enumerate() {
        let footer = format!("Page {} of {total}", i + 1);
        assert!(page.contains(&footer), "page {} must say {footer:?}", i + 1);
        assert!(
            page.contains(CASE_ID),
            "page {} must carry the case id in its header",
            i + 1
        );
    }
}

#[test]
fn synthetic_marking_is_on_every_page_only_when_synthetic() {
    let synthetic = poppler::render(&fixture::input(true));
    for (i, page) in poppler::pages(&synthetic.path).iter().enumerate() {
        assert!(
            page.contains(SYNTHETIC_MARK),
            "synthetic data: page {} must be marked",
            i + 1
        );
    }
    let real = poppler::render(&fixture::input(false));
    let text = poppler::pages(&real.path).concat();
    assert!(
        !text.contains("SYNTHETIC"),
        "real case data must not carry the synthetic marking"
    );
    let info = poppler::run("pdfinfo", &[], &real.path);
    assert!(!info.contains("SYNTHETIC"), "nor in the document metadata");
}

#[test]
fn transaction_table_repeats_its_header_on_every_page_it_spans() {
    let pdf = poppler::render(&fixture::input(false));
    let pages = poppler::pages(&pdf.path);
    let table: Vec<&String> = pages
        .iter()
        .filter(|p| p.contains("Txid / source id"))
        .collect();
    assert!(
        table.len() >= 2,
        "38 transactions must span at least two pages, got {}",
        table.len()
    );
    let rows: usize = table
        .iter()
        .map(|p| p.matches("source: esplora-").count())
        .sum();
    assert_eq!(
        rows,
        crate::fixture::PEELS + 2,
        "every transaction appears exactly once across the table pages"
    );
}

#[test]
fn metadata_comes_from_the_case_and_generation_time() {
    let pdf = poppler::render(&fixture::input(true));
    let info = poppler::run("pdfinfo", &["-isodates"], &pdf.path);
    assert!(
        info.contains("Müller GmbH"),
        "title is the case title: {info}"
    );
    assert!(
        info.contains("Øverland"),
        "author is the investigator: {info}"
    );
    assert!(
        info.contains("2024-05-03T14:05:09"),
        "creation date is the generation time, not the wall clock: {info}"
    );
    assert!(info.contains("A4"), "pages are A4: {info}");
}
