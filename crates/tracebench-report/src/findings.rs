//! Clusters (heuristic inferences) and analyst notes: each styled as what it is, apart from
//! the on-chain facts.

use crate::display;
use crate::exhibit::{wrapped_height, Exhibit, BODY_WIDTH, MARGIN, TEXT_LEADING, TEXT_PT};
use crate::model::{ReportCluster, ReportNote};
use crate::sheet::Ink;
use crate::typeset::Face;

pub const CLUSTERS: &str = "Clusters";
pub const NOTES: &str = "Analyst notes";

const ADDRESS_PT: f32 = 7.0;
const ADDRESS_LEADING: f32 = 3.5;

pub fn clusters(ex: &mut Exhibit, clusters: &[ReportCluster]) {
    ex.chapter(CLUSTERS);
    ex.paragraph(
        Face::Regular,
        TEXT_PT,
        TEXT_LEADING,
        0.0,
        "Inferences, not on-chain facts: each cluster groups addresses that the named heuristic \
         attributes to one controlling party. A heuristic can be wrong; treat membership as an \
         investigative lead to be corroborated.",
        Ink::Black,
    );
    ex.space(2.0);
    if clusters.is_empty() {
        ex.paragraph(
            Face::Regular,
            TEXT_PT,
            TEXT_LEADING,
            0.0,
            "No clusters were inferred for this case.",
            Ink::Black,
        );
        return;
    }
    let mut ordered: Vec<&ReportCluster> = clusters.iter().collect();
    ordered.sort_by(|a, b| a.id.cmp(&b.id));
    for cluster in ordered {
        let faces = ex.faces();
        ex.subheading(&format!("Cluster {}", cluster.id), 3.0 * ADDRESS_LEADING);
        let facts = format!(
            "Inference by heuristic: {} · {} address(es)",
            display::one_line(&cluster.heuristic),
            cluster.addresses.len()
        );
        ex.paragraph(Face::Regular, 8.0, 3.8, 0.0, &facts, Ink::Grey(0.25));
        ex.space(0.8);

        // Addresses in as many columns as the longest one allows.
        let mut addresses: Vec<String> = cluster
            .addresses
            .iter()
            .map(|a| display::one_line(a))
            .collect();
        addresses.sort();
        let widest = addresses
            .iter()
            .map(|a| faces.width_mm(Face::Mono, ADDRESS_PT, a))
            .fold(0.0_f32, f32::max);
        let slot = widest + 5.0;
        let per_line = ((BODY_WIDTH - 4.0 + 5.0) / slot).floor().max(1.0) as usize;
        let slot = if per_line > 1 { slot } else { BODY_WIDTH - 4.0 };
        for chunk in addresses.chunks(per_line) {
            ex.ensure(ADDRESS_LEADING);
            let y = ex.y - ADDRESS_LEADING + 1.0;
            let sheet = ex.sheet();
            for (k, address) in chunk.iter().enumerate() {
                let text = faces.truncate(Face::Mono, ADDRESS_PT, address, slot);
                sheet.text(
                    Face::Mono,
                    ADDRESS_PT,
                    MARGIN + 4.0 + k as f32 * slot,
                    y,
                    &text,
                    Ink::Black,
                );
            }
            ex.y -= ADDRESS_LEADING;
        }
        ex.space(3.0);
    }
}

pub fn notes(ex: &mut Exhibit, notes: &[ReportNote]) {
    ex.chapter(NOTES);
    ex.paragraph(
        Face::Regular,
        TEXT_PT,
        TEXT_LEADING,
        0.0,
        "Notes are the analyst's own observations and opinions, recorded in the case. They are \
         not data from a source.",
        Ink::Black,
    );
    ex.space(2.0);
    if notes.is_empty() {
        ex.paragraph(
            Face::Regular,
            TEXT_PT,
            TEXT_LEADING,
            0.0,
            "The case has no notes.",
            Ink::Black,
        );
        return;
    }
    for (i, note) in notes.iter().enumerate() {
        let faces = ex.faces();
        let heading = format!(
            "Note {} · {}",
            i + 1,
            display::utc_from_rfc3339(&note.created_at)
        );
        let body_height = wrapped_height(
            faces,
            Face::Regular,
            TEXT_PT,
            TEXT_LEADING,
            &note.text,
            BODY_WIDTH - 5.0,
        );
        ex.subheading(&heading, body_height.min(3.0 * TEXT_LEADING) + 4.0);
        let target = format!("on {}", display::one_line(&note.target));
        ex.paragraph(Face::Mono, 7.5, 3.6, 0.0, &target, Ink::Grey(0.25));
        ex.space(1.0);
        let start = ex.y;
        let start_page = ex.page_number();
        ex.paragraph(
            Face::Regular,
            TEXT_PT,
            TEXT_LEADING,
            5.0,
            &note.text,
            Ink::Black,
        );
        // A bar in the margin marks analyst text (on the page where the note starts).
        if ex.page_number() == start_page {
            let end = ex.y;
            ex.sheet().line(
                &[(MARGIN + 1.5, start), (MARGIN + 1.5, end + 0.8)],
                1.5,
                Ink::Grey(0.55),
            );
        }
        ex.space(3.0);
    }
}
