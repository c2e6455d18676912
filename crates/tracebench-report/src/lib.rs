//! Court-ready PDF exhibits of a case, and the deterministic money-flow layout.
//!
//! The engine fills a [`ReportInput`] from a case; [`render_pdf`] turns it into A4 PDF bytes:
//! a cover, the money-flow graph as vector figures, the transactions table, clusters, analyst
//! notes and the data-provenance appendix, every page with the case id, "Page x of y" and,
//! for synthetic data, the "SYNTHETIC – TRAINING DATA" marking. All text is set in embedded,
//! subset DejaVu fonts. The same input always gives the same bytes.

mod attribution;
mod cover;
mod display;
mod exhibit;
mod figure;
mod findings;
mod layout;
mod model;
mod provenance;
mod sheet;
mod transactions;
mod typeset;

use printpdf::{Mm, PageAnnotId, PageAnnotation, PdfDocument, PdfFont, PdfPage, PdfSaveOptions};
use sha2::{Digest, Sha256};

pub use display::btc;
pub use exhibit::SYNTHETIC_MARK;
pub use figure::MAX_NODES_PER_FIGURE;
pub use layout::{flow_layout, COLUMN_SPACING, ROW_SPACING};
pub use model::{
    GraphEdge, GraphNode, NodeKind, ReportAttribution, ReportCase, ReportCluster, ReportExposure,
    ReportExposureCategory, ReportGraph, ReportInput, ReportNote, ReportProvenance, ReportTx,
};

use exhibit::Exhibit;
use sheet::{PAGE_HEIGHT, PAGE_WIDTH};
use typeset::{Face, Typeface};

/// Why a report could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("the embedded font {name} could not be parsed")]
    Font { name: &'static str },
    #[error("the PDF writer produced no document trailer id to make deterministic")]
    Trailer,
    #[error("generation time {0} is outside the range a PDF date can hold")]
    Date(String),
}

/// Renders the exhibit as PDF bytes. Deterministic: the same input gives the same bytes.
pub fn render_pdf(input: &ReportInput) -> Result<Vec<u8>, ReportError> {
    let faces = Typeface::load()?;

    let mut ex = Exhibit::new(&faces);
    let figures = figure::write(&mut ex, &input.graph);
    transactions::write(&mut ex, &input.transactions);
    findings::clusters(&mut ex, &input.clusters);
    if !input.attributions.is_empty() || input.label_packs.is_some() {
        attribution::register(&mut ex, &input.attributions, input.label_packs.as_deref());
    }
    if !input.exposures.is_empty() {
        attribution::exposures(&mut ex, &input.exposures);
    }
    findings::notes(&mut ex, &input.notes);
    provenance::write(&mut ex, &input.provenance);
    let (body, chapters) = ex.finish();

    let total = body.len() + 1;
    let cover = cover::page(
        &faces,
        input,
        &cover::Contents {
            chapters: &chapters,
            figures,
            total_pages: total,
        },
    );
    let pages: Vec<PdfPage> = std::iter::once(cover)
        .chain(body)
        .enumerate()
        .map(|(i, mut ops)| {
            ops.extend(exhibit::frame(&faces, input, i + 1, total));
            PdfPage::new(Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT), ops)
        })
        .collect();

    let mut doc = PdfDocument::new(&display::one_line(&input.case.title));
    for face in Face::ALL {
        // Fixed ids instead of `add_font`, whose ids come from a process-wide counter.
        doc.resources
            .fonts
            .map
            .insert(face.font_id(), PdfFont::new(faces.font(face).clone()));
    }
    let when = printpdf::DateTime::from_unix_timestamp(input.generated_at.timestamp())
        .map_err(|_| ReportError::Date(input.generated_at.to_rfc3339()))?;
    let info = &mut doc.metadata.info;
    info.author = display::one_line(&input.case.investigator);
    info.creator = display::one_line(&input.tool);
    info.producer = format!("tracebench-report {}", env!("CARGO_PKG_VERSION"));
    info.subject = format!("Case {} exhibit", display::one_line(&input.case.case_id));
    info.identifier = display::one_line(&input.case.case_id);
    info.keywords = if input.synthetic {
        vec!["blockchain tracing".into(), SYNTHETIC_MARK.into()]
    } else {
        vec!["blockchain tracing".into()]
    };
    info.creation_date = when;
    info.modification_date = when;
    info.metadata_date = when;
    doc.bookmarks.map.insert(
        PageAnnotId("cover".into()),
        PageAnnotation {
            name: "Cover".into(),
            page: 1,
        },
    );
    for (i, chapter) in chapters.iter().enumerate() {
        doc.bookmarks.map.insert(
            PageAnnotId(format!("chapter{i:03}")),
            PageAnnotation {
                name: chapter.title.clone(),
                page: chapter.page,
            },
        );
    }
    doc.with_pages(pages);

    let options = PdfSaveOptions {
        subset_fonts: true,
        ..PdfSaveOptions::default()
    };
    let mut bytes = doc.save(&options, &mut Vec::new());
    settle_document_id(&mut bytes)?;
    Ok(bytes)
}

/// printpdf writes the trailer's /ID from a process-wide pseudo-random counter. Replace both
/// 32-character ids, in place (so the cross-reference offsets stay valid), with a digest of
/// the document itself: the same content then always carries the same id.
fn settle_document_id(bytes: &mut [u8]) -> Result<(), ReportError> {
    const LEN: usize = 32;
    let at = bytes
        .windows(3)
        .rposition(|w| w == b"/ID")
        .ok_or(ReportError::Trailer)?;
    let mut slots = Vec::new();
    let mut i = at + 3;
    while slots.len() < 2 && i < bytes.len() {
        if bytes[i] == b'(' {
            let end = i + 1 + LEN;
            if bytes.get(end) != Some(&b')') {
                return Err(ReportError::Trailer);
            }
            slots.push(i + 1);
            i = end;
        }
        i += 1;
    }
    if slots.len() != 2 {
        return Err(ReportError::Trailer);
    }
    for &start in &slots {
        bytes[start..start + LEN].fill(b'0');
    }
    let digest = Sha256::digest(&*bytes);
    let id: String = digest[..LEN / 2]
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    for &start in &slots {
        bytes[start..start + LEN].copy_from_slice(id.as_bytes());
    }
    Ok(())
}
