//! The "Data provenance" appendix: for every raw response, where it came from, what was asked,
//! when, and the SHA-256 of the exact bytes received.

use crate::display;
use crate::exhibit::{Exhibit, BODY_WIDTH, MARGIN, TEXT_LEADING, TEXT_PT};
use crate::model::ReportProvenance;
use crate::sheet::{Ink, Paint};
use crate::typeset::Face;

pub const TITLE: &str = "Appendix E · Data provenance";

const LABEL_WIDTH: f32 = 26.0;
const VALUE_PT: f32 = 7.5;
const LEADING: f32 = 3.6;

pub fn write(ex: &mut Exhibit, records: &[ReportProvenance]) {
    ex.chapter(TITLE);
    ex.paragraph(
        Face::Regular,
        TEXT_PT,
        TEXT_LEADING,
        0.0,
        "Every raw response was stored with its provenance before it was parsed. The SHA-256 is \
         computed over the exact bytes received and lets anyone verify the stored response. \
         Secrets in requests (API keys) are replaced by ***.",
        Ink::Black,
    );
    ex.space(2.0);
    if records.is_empty() {
        ex.paragraph(
            Face::Regular,
            TEXT_PT,
            TEXT_LEADING,
            0.0,
            "No raw responses are recorded.",
            Ink::Black,
        );
        return;
    }
    let mut ordered: Vec<&ReportProvenance> = records.iter().collect();
    // Chronological by the UTC instant (offsets differ between sources), then by text.
    let instant = |r: &ReportProvenance| {
        chrono::DateTime::parse_from_rfc3339(r.retrieved_at.trim())
            .ok()
            .map(|t| t.timestamp_nanos_opt())
    };
    ordered.sort_by(|a, b| {
        (
            instant(a).is_none(),
            instant(a),
            &a.retrieved_at,
            &a.source_id,
        )
            .cmp(&(
                instant(b).is_none(),
                instant(b),
                &b.retrieved_at,
                &b.source_id,
            ))
    });
    let value_width = BODY_WIDTH - LABEL_WIDTH - 2.0;
    for record in ordered {
        let faces = ex.faces();
        let fields: [(&str, Face, String); 5] = [
            (
                "Source id",
                Face::Mono,
                display::one_line(&record.source_id),
            ),
            ("Endpoint", Face::Mono, display::one_line(&record.endpoint)),
            ("Request", Face::Mono, record.request.clone()),
            (
                "Retrieved",
                Face::Regular,
                display::utc_from_rfc3339(&record.retrieved_at),
            ),
            ("SHA-256", Face::Mono, display::one_line(&record.sha256)),
        ];
        let lines: Vec<Vec<String>> = fields
            .iter()
            .map(|(_, face, value)| {
                faces.wrap(*face, VALUE_PT, &faces.printable(*face, value), value_width)
            })
            .collect();
        let height: f32 = lines
            .iter()
            .map(|l| l.len().max(1) as f32 * LEADING)
            .sum::<f32>()
            + 2.5;
        ex.ensure(height.min(60.0));
        let top = ex.y;
        let start_page = ex.page_number();
        for ((label, face, _), value_lines) in fields.iter().zip(&lines) {
            for (k, line) in value_lines.iter().enumerate() {
                ex.ensure(LEADING);
                let y = ex.y - LEADING + 1.0;
                let sheet = ex.sheet();
                if k == 0 {
                    sheet.text(Face::Bold, 7.5, MARGIN + 2.0, y, label, Ink::Grey(0.2));
                }
                sheet.text(*face, VALUE_PT, MARGIN + LABEL_WIDTH, y, line, Ink::Black);
                ex.y -= LEADING;
            }
        }
        // A bar in the margin groups one record (when it did not run onto the next page).
        if ex.page_number() == start_page {
            let bottom = ex.y - 0.8;
            ex.sheet().rect(
                MARGIN,
                bottom,
                0.8,
                top - bottom,
                Paint {
                    fill: Some(Ink::Grey(0.6)),
                    stroke: None,
                },
            );
        }
        ex.space(2.5);
    }
}
