//! Clusters (heuristic inferences) and analyst notes: each styled as what it is, apart from
//! the on-chain facts.

use crate::display;
use crate::exhibit::{Exhibit, Voice, BODY_WIDTH, MARGIN, TEXT_LEADING, TEXT_PT};
use crate::model::{ReportCluster, ReportMember, ReportNote};
use crate::sheet::Ink;
use crate::typeset::Face;

pub const CLUSTERS: &str = "Appendix B · Clusters and membership";
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
         investigative lead to be corroborated. Under each address is the merge that put it in \
         the cluster: the transaction, the heuristic, its confidence (0–100) and the member it \
         was linked to (breadth-first from the cluster's first address, merges in txid order).",
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
        if !cluster.members.is_empty() {
            membership(ex, cluster);
            ex.space(3.0);
            continue;
        }

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

const MEMBER_LEADING: f32 = 3.3;

/// Each address with the merge that joined it, the first address as the cluster's root.
fn membership(ex: &mut Exhibit, cluster: &ReportCluster) {
    let faces = ex.faces();
    let joined: std::collections::BTreeMap<&str, &ReportMember> = cluster
        .members
        .iter()
        .map(|m| (m.address.as_str(), m))
        .collect();
    let mut addresses: Vec<&String> = cluster.addresses.iter().collect();
    addresses.sort();
    for address in addresses {
        let mut top = ex.y;
        let how = match joined.get(address.as_str()) {
            Some(m) => format!(
                "joined to {} by tx {} · {} · confidence {}",
                display::one_line(&m.via),
                display::one_line(&m.txid),
                display::one_line(&m.heuristic),
                m.confidence
            ),
            None => "first member (the cluster's root)".to_string(),
        };
        let how = faces.wrap(
            Face::Regular,
            6.0,
            &faces.printable(Face::Regular, &how),
            BODY_WIDTH - 10.0,
        );
        let height = (1 + how.len()) as f32 * MEMBER_LEADING;
        if ex.ensure(height) {
            top = ex.y;
        }
        let sheet = ex.sheet();
        let line = faces.truncate(
            Face::Mono,
            ADDRESS_PT,
            &display::one_line(address),
            BODY_WIDTH - 6.0,
        );
        sheet.text(
            Face::Mono,
            ADDRESS_PT,
            MARGIN + 4.0,
            top - MEMBER_LEADING + 1.0,
            &line,
            Ink::Black,
        );
        for (k, part) in how.iter().enumerate() {
            let y = top - (k + 2) as f32 * MEMBER_LEADING + 1.2;
            sheet.text(Face::Regular, 6.0, MARGIN + 8.0, y, part, Ink::Grey(0.3));
        }
        Voice::Inference.mark(sheet, top, top - height);
        ex.y = top - height - 0.6;
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
        let heading = format!(
            "Note {} · {}",
            i + 1,
            display::utc_from_rfc3339(&note.created_at)
        );
        ex.subheading(&heading, 3.0 * TEXT_LEADING + 4.0);
        let target = format!("on {}", display::one_line(&note.target));
        ex.paragraph(Face::Mono, 7.5, 3.6, 0.0, &target, Ink::Grey(0.25));
        ex.space(1.0);
        ex.claim(Voice::Note, &note.text);
        ex.space(3.0);
    }
}
