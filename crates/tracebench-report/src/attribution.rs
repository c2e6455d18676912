//! The attribution register (third-party labels and off-chain records, each with its source)
//! and the exposure analyses: claims by others and inferences, styled apart from the on-chain
//! facts by a grey bar in the margin and grey source lines.

use std::collections::BTreeMap;

use crate::display;
use crate::exhibit::{Exhibit, Voice, MARGIN, TEXT_LEADING, TEXT_PT};
use crate::model::{ReportAttribution, ReportExposure};
use crate::sheet::Ink;
use crate::typeset::Face;

pub const REGISTER: &str = "Appendix C · Attribution register";
pub const EXPOSURE: &str = "Exposure";

const LINE_PT: f32 = 8.0;
const LINE_LEADING: f32 = 3.9;
const INDENT: f32 = 5.0;

/// Draws the margin bar that marks third-party text, from `start` down to the current line,
/// when it stayed on one page.
fn bar(ex: &mut Exhibit, start: f32, start_page: usize) {
    if ex.page_number() == start_page {
        let end = ex.y;
        ex.sheet().line(
            &[(MARGIN + 1.5, start), (MARGIN + 1.5, end + 0.8)],
            1.5,
            Ink::Grey(0.55),
        );
    }
}

pub fn register(ex: &mut Exhibit, rows: &[ReportAttribution], label_packs: Option<&str>) {
    ex.chapter(REGISTER);
    ex.subheading("Attributions (third-party labels)", 3.0 * TEXT_LEADING);
    ex.paragraph(
        Face::Regular,
        TEXT_PT,
        TEXT_LEADING,
        0.0,
        "Claims by others, not on-chain facts: each attribution names who says an address belongs \
         to whom (a sanctions list, a label pack, an exchange's records), when they said it, and \
         their confidence (0–100). Corroborate before relying on one.",
        Ink::Black,
    );
    if let Some(packs) = label_packs {
        ex.space(1.0);
        ex.paragraph(
            Face::Regular,
            LINE_PT,
            LINE_LEADING,
            0.0,
            &format!("Screened against: {}", display::one_line(packs)),
            Ink::Grey(0.25),
        );
    }
    ex.space(2.0);
    if rows.is_empty() {
        ex.paragraph(
            Face::Regular,
            TEXT_PT,
            TEXT_LEADING,
            0.0,
            "No address of the case carries an attribution.",
            Ink::Black,
        );
        return;
    }
    let mut by_address: BTreeMap<&str, Vec<&ReportAttribution>> = BTreeMap::new();
    for r in rows {
        by_address.entry(r.address.as_str()).or_default().push(r);
    }
    for (address, mut list) in by_address {
        list.sort_by(|a, b| {
            (
                &a.category,
                &a.label,
                &a.source,
                &a.source_date,
                a.confidence,
            )
                .cmp(&(
                    &b.category,
                    &b.label,
                    &b.source,
                    &b.source_date,
                    b.confidence,
                ))
        });
        list.dedup();
        ex.subheading(&display::one_line(address), 2.0 * LINE_LEADING);
        for r in list {
            let claim = format!(
                "{} — category {}. Source: {} · source date: {} · confidence {}/100",
                display::one_line(&r.label),
                display::one_line(&r.category),
                display::one_line(&r.source),
                r.source_date
                    .as_deref()
                    .map(display::one_line)
                    .unwrap_or_else(|| "undated".to_string()),
                r.confidence
            );
            ex.claim(Voice::Attribution, &claim);
        }
        ex.space(2.0);
    }
}

pub fn exposures(ex: &mut Exhibit, exposures: &[ReportExposure]) {
    ex.chapter(EXPOSURE);
    ex.paragraph(
        Face::Regular,
        TEXT_PT,
        TEXT_LEADING,
        0.0,
        "Inferences from the case's transactions and the attributions above: the value traced from \
         an address (haircut model: tainted value is spread pro rata over a transaction's outputs \
         and fee) that reaches addresses labelled with a category. Tracing stops at services \
         (exchanges, mixers, markets, bridges, …). Direct means one transaction away; a hop is one \
         transaction. Shares are of the value traced and are computed from integer satoshi.",
        Ink::Black,
    );
    ex.space(2.0);
    for e in exposures {
        let heading = format!(
            "{} ({})",
            display::one_line(&e.address),
            display::one_line(&e.direction)
        );
        ex.subheading(&heading, 3.0 * LINE_LEADING);
        let basis = format!(
            "Model {}, up to {} hop(s), {}; {} BTC traced.",
            display::one_line(&e.model),
            e.hops,
            match e.decay_percent {
                Some(p) => format!("decay {p} % per hop after the first"),
                None => "no decay".to_string(),
            },
            display::btc(e.total_sat)
        );
        ex.paragraph(
            Face::Regular,
            LINE_PT,
            LINE_LEADING,
            0.0,
            &basis,
            Ink::Grey(0.25),
        );
        let start = ex.y;
        let start_page = ex.page_number();
        if e.categories.is_empty() {
            ex.paragraph(
                Face::Regular,
                TEXT_PT,
                TEXT_LEADING,
                INDENT,
                "No labelled address was reached.",
                Ink::Black,
            );
        }
        for c in &e.categories {
            let line = format!(
                "{}: {} — direct {} BTC, indirect {} BTC, nearest at hop {}",
                display::one_line(&c.category),
                display::one_line(&c.share),
                display::btc(c.direct_sat),
                display::btc(c.indirect_sat),
                c.min_hops
            );
            ex.paragraph(
                Face::Regular,
                TEXT_PT,
                TEXT_LEADING,
                INDENT,
                &line,
                Ink::Black,
            );
            let via = format!(
                "via {}",
                c.via
                    .iter()
                    .map(|a| display::one_line(a))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            ex.paragraph(Face::Mono, 7.0, 3.5, INDENT, &via, Ink::Grey(0.25));
        }
        bar(ex, start, start_page);
        ex.space(3.0);
    }
}
