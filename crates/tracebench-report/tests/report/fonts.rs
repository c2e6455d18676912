//! All text is set in embedded (subset) fonts.

use crate::fixture;
use crate::poppler;

#[test]
fn all_fonts_are_embedded_and_subset() {
    let pdf = poppler::render(&fixture::input(true));
    let listing = poppler::run("pdffonts", &[], &pdf.path);
    let rows: Vec<&str> = listing
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert_eq!(
        rows.len(),
        3,
        "sans, bold and mono, nothing else (no built-in fonts): {listing}"
    );
    for row in rows {
        let columns: Vec<&str> = row.split_whitespace().collect();
        // name type encoding emb sub uni object ID: the three flags sit before the object id.
        let flags = &columns[columns.len() - 5..columns.len() - 2];
        assert_eq!(
            flags,
            ["yes", "yes", "yes"],
            "font must be embedded, subset, with a ToUnicode map: {row}"
        );
        assert!(
            columns[0].contains("DejaVu"),
            "only the bundled DejaVu faces are used: {row}"
        );
    }
}

#[test]
fn subset_fonts_keep_the_file_small() {
    let pdf = poppler::render(&fixture::input(true));
    assert!(
        pdf.bytes.len() < 400_000,
        "three subset fonts must not embed the 1.8 MB of full TTFs: {} bytes",
        pdf.bytes.len()
    );
}
