//! Court-ready PDF exhibits of a case, and the deterministic money-flow layout.
//!
//! The engine fills a [`ReportInput`] from a case; [`render_pdf`] turns it into PDF bytes on A4
//! or US Letter: a cover (case and exhibit ids, examiner, tool, build, UTC time, marking), the
//! scope, the analyst's summary, the money-flow graph as vector figures, a hop-by-hop narrative,
//! the methodology with measured error rates, and the appendices (transactions, cluster
//! membership, attributions, audit-log excerpt, data provenance, coverage). Every page carries
//! the exhibit id, "Page x of y", the classification and, for synthetic data, the
//! "SYNTHETIC – TRAINING DATA" marking. Facts, inferences, attributions and notes are styled
//! apart. All text is set in embedded, subset DejaVu fonts. The same input gives the same bytes.

mod attribution;
mod audit;
mod cover;
mod coverage;
mod display;
mod evm_amount;
mod evm_appendix;
mod evm_coverage;
mod evm_model;
mod evm_narrative;
mod exhibit;
mod figure;
mod findings;
mod integrity;
mod layout;
mod method;
mod model;
mod narrative;
mod pdfa;
mod provenance;
mod scope;
mod sections;
mod sensitivity;
mod sheet;
mod story;
mod table;
mod transactions;
mod typeset;

use printpdf::{Mm, PageAnnotId, PageAnnotation, PdfDocument, PdfFont, PdfPage, PdfSaveOptions};

pub use display::btc;
pub use evm_amount::{stated as evm_amount_stated, units as evm_units};
pub use evm_model::{
    ReportEvm, ReportEvmCoverage, ReportEvmFailedTx, ReportEvmTrace, ReportEvmTraceStep,
    ReportEvmTransfer,
};
pub use exhibit::SYNTHETIC_MARK;
pub use figure::MAX_NODES_PER_FIGURE;
pub use layout::{flow_layout, COLUMN_SPACING, ROW_SPACING};
pub use model::{
    GraphEdge, GraphNode, NodeKind, Paper, ReportAttribution, ReportAuditEntry, ReportCase,
    ReportCluster, ReportCoverage, ReportExposure, ReportExposureCategory, ReportGraph,
    ReportHeuristic, ReportHop, ReportInput, ReportLeg, ReportMember, ReportMethod, ReportNote,
    ReportProvenance, ReportSeed, ReportSettings, ReportTx, ReportValidationCoverage,
    ReportValidationRow, DEFAULT_CLASSIFICATION,
};
pub use pdfa::{
    document_id, keyed, note_key, printed_rows, read_seal, row_digest, settings_hash,
    ExposureAsked, ReportIntegrity, ReportManifest, Seal, SealReading, SealedRow, SealedTable,
    FORMAT_2_TABLES, MANIFEST_FORMAT, MANIFEST_FORMAT_1, MANIFEST_FORMAT_2, OUTPUT_CONDITION,
    ROW_DIGEST_HEX, SEAL_NAMESPACE, SRGB_ICC,
};
pub use sections::{MandatorySection, Section, MANDATORY};
pub use sensitivity::{
    ReportSensitivity, SensitivityAmount, SensitivityClusterToggle, SensitivityShift,
    SensitivityTrace, SensitivityTraceToggle, READING_GUIDE as SENSITIVITY_READING_GUIDE,
    TITLE as SENSITIVITY_TITLE,
};
pub use story::{ReportStoryEdge, ReportStoryStep, TITLE as STORY_TITLE};

/// The git commit this build was made from, or "unknown" (see build.rs).
pub const BUILD_HASH: &str = env!("TRACEBENCH_BUILD_HASH");

use exhibit::Exhibit;
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
    /// The seal (manifest, document id) or the PDF/A post-processing failed, or a PDF read
    /// back carries no readable seal.
    #[error("report seal: {0}")]
    Seal(String),
}

/// Renders the exhibit as PDF bytes. Deterministic: the same input gives the same bytes.
pub fn render_pdf(input: &ReportInput) -> Result<Vec<u8>, ReportError> {
    let faces = Typeface::load()?;
    let seal = pdfa::Seal::of(input)?;

    let paper = input.settings.paper;
    let mut ex = Exhibit::new(&faces, paper);
    let omit = &input.settings.omit;
    let shown = |s: Section| sections::shown(omit, s);
    let figures = if shown(Section::Figures) {
        figure::count(&input.graph)
    } else {
        0
    };
    scope::write(&mut ex, input, figures);
    sections::statement(&mut ex, omit);
    scope::summary(&mut ex, input);
    if shown(Section::Figures) {
        figure::write(&mut ex, &input.graph);
    }
    story::write(&mut ex, &input.story, figures);
    if shown(Section::Narrative) {
        // A case with EVM data only has no Bitcoin narrative to state.
        if !input.hops.is_empty() || input.evm.is_none() {
            narrative::write(&mut ex, &input.hops);
        }
        if let Some(evm) = &input.evm {
            evm_narrative::write(&mut ex, evm);
        }
    }
    if shown(Section::Methodology) {
        method::write(&mut ex, &input.method);
    }
    if shown(Section::Exposure) && !input.exposures.is_empty() {
        attribution::exposures(&mut ex, &input.exposures);
    }
    if shown(Section::Notes) {
        findings::notes(&mut ex, &input.notes);
    }
    if shown(Section::Transactions) {
        if !input.transactions.is_empty() || input.evm.is_none() {
            transactions::write(&mut ex, &input.transactions);
        }
        if let Some(evm) = &input.evm {
            evm_appendix::write(&mut ex, evm);
        }
    }
    if shown(Section::Clusters) {
        findings::clusters(&mut ex, &input.clusters);
    }
    if shown(Section::Attributions) {
        attribution::register(&mut ex, &input.attributions, input.label_packs.as_deref());
    }
    audit::write(&mut ex, &input.audit);
    provenance::write(&mut ex, &input.provenance);
    if shown(Section::Coverage) {
        coverage::write(&mut ex, &input.coverage);
        if let Some(evm) = &input.evm {
            evm_coverage::write(&mut ex, &evm.coverage);
        }
    }
    if let (true, Some(s)) = (input.settings.sensitivity, &input.sensitivity) {
        sensitivity::write(&mut ex, s);
    }
    if input.integrity.is_some() {
        integrity::write(&mut ex, &seal);
    }
    let (body, chapters) = ex.finish();

    let total = body.len() + 1;
    let cover = cover::page(
        &faces,
        input,
        &cover::Contents {
            chapters: &chapters,
            total_pages: total,
        },
    );
    let (width, height) = paper.size_mm();
    let pages: Vec<PdfPage> = std::iter::once(cover)
        .chain(body)
        .enumerate()
        .map(|(i, mut ops)| {
            ops.extend(exhibit::frame(&faces, input, i + 1, total));
            PdfPage::new(Mm(width), Mm(height), sheet::place(paper, ops))
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
    info.subject = format!(
        "Case {} exhibit {}",
        display::one_line(&input.case.case_id),
        exhibit::exhibit_id(input)
    );
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
    let bytes = doc.save(&options, &mut Vec::new());
    // PDF/A-2b structure, the seal, and the trailer /ID from the seal's document id.
    pdfa::finish(bytes, input, &seal)
}
