//! Pages rasterise cleanly: every page renders with pdftoppm, and nothing is drawn outside the
//! page's margins (checked on the pixels: the outer 4 mm stay white).

use std::process::Command;

use crate::fixture;
use crate::poppler;

#[test]
fn pages_rasterise_and_keep_their_margins_white() {
    margins_stay_white(&fixture::input(true));
}

#[test]
fn us_letter_pages_keep_their_margins_white_too() {
    let mut input = fixture::input(true);
    input.settings.paper = tracebench_report::Paper::Letter;
    margins_stay_white(&input);
}

/// Every page rasterises, and its outer 4 mm carry no ink.
fn margins_stay_white(input: &tracebench_report::ReportInput) {
    let pdf = poppler::render(input);
    let prefix = pdf.dir.path().join("page");
    let status = Command::new("pdftoppm")
        .args(["-r", "60", "-gray"])
        .arg(&pdf.path)
        .arg(&prefix)
        .status()
        .expect("pdftoppm must be installed");
    assert!(status.success(), "pdftoppm must rasterise the PDF");
    let mut images: Vec<_> = std::fs::read_dir(pdf.dir.path())
        .expect("list temp dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pgm"))
        .collect();
    images.sort();
    assert_eq!(
        images.len(),
        poppler::page_count(&pdf.path),
        "one image per page"
    );
    if let Ok(keep) = std::env::var("TRACEBENCH_REPORT_KEEP_PNG") {
        // For looking at the pages by hand: the PDF and its pages as PNG in the named directory.
        std::fs::write(std::path::Path::new(&keep).join("report.pdf"), &pdf.bytes)
            .expect("keep the PDF");
        let status = Command::new("pdftoppm")
            .args(["-r", "60", "-png"])
            .arg(&pdf.path)
            .arg(std::path::Path::new(&keep).join("page"))
            .status()
            .expect("pdftoppm");
        assert!(status.success(), "pdftoppm -png must work too");
    }
    for image in images {
        let (width, height, pixels) = read_pgm(&std::fs::read(&image).expect("read page image"));
        let border = (4.0 / 25.4 * 60.0) as usize; // 4 mm at 60 dpi
        for y in 0..height {
            for x in 0..width {
                let edge = x < border || y < border || x >= width - border || y >= height - border;
                if edge {
                    assert!(
                        pixels[y * width + x] > 240,
                        "{}: ink at ({x}, {y}) inside the 4 mm page edge",
                        image.display()
                    );
                }
            }
        }
    }
}

/// Width, height and grey values of a binary PGM (P5) as pdftoppm writes it.
fn read_pgm(bytes: &[u8]) -> (usize, usize, Vec<u8>) {
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..i]).to_string());
    }
    assert_eq!(fields[0], "P5", "pdftoppm -gray writes binary PGM");
    let width: usize = fields[1].parse().expect("width");
    let height: usize = fields[2].parse().expect("height");
    let pixels = bytes[i + 1..].to_vec();
    assert_eq!(pixels.len(), width * height, "one byte per pixel");
    (width, height, pixels)
}
