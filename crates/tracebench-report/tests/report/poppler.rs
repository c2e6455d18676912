//! Running poppler's command-line tools on a rendered PDF in a temp dir.

use std::path::{Path, PathBuf};
use std::process::Command;

use tracebench_report::{render_pdf, ReportInput};

/// A rendered report on disk, kept until the value is dropped.
pub struct Rendered {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

pub fn render(input: &ReportInput) -> Rendered {
    let bytes = render_pdf(input).expect("the report renders");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, &bytes).expect("write the PDF");
    Rendered { dir, path, bytes }
}

pub fn run(tool: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(tool)
        .args(args)
        .arg(pdf)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| panic!("{tool} must be installed: {e}"));
    assert!(
        out.status.success(),
        "{tool} must accept the PDF: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("poppler writes UTF-8")
}

/// The text of every page (pdftotext -layout), one string per page.
pub fn pages(pdf: &Path) -> Vec<String> {
    let text = run("pdftotext", &["-layout", "-enc", "UTF-8"], pdf);
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// The page count pdfinfo reports.
pub fn page_count(pdf: &Path) -> usize {
    let info = run("pdfinfo", &[], pdf);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo reports a page count")
}
