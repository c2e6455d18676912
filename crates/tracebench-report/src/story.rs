//! The storyboard: the analyst's story steps as numbered figures ("Figure N — title"), each a
//! vector drawing of the step's path, its caption as an analyst note, and a legend citing every
//! edge of the path (txid, block height, UTC time, exact amount).

use serde::{Deserialize, Serialize};

use crate::display;
use crate::exhibit::{Exhibit, Voice, BODY_WIDTH, MARGIN, TEXT_LEADING, TEXT_PT};
use crate::figure;
use crate::model::ReportGraph;
use crate::sheet::Ink;
use crate::typeset::Face;

pub const TITLE: &str = "Storyboard";

/// One story step: a named path of the graph, in the analyst's order.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ReportStoryStep {
    pub title: String,
    /// The analyst's caption (may be empty).
    pub caption: String,
    /// The path's nodes and edges, drawn as the figure.
    pub graph: ReportGraph,
    /// Every edge of the path with what it cites, in path order.
    pub edges: Vec<ReportStoryEdge>,
}

/// One edge of a story step, with the transaction it belongs to.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReportStoryEdge {
    pub source: String,
    pub target: String,
    pub txid: String,
    pub block_height: Option<u64>,
    /// Unix seconds.
    pub block_time: Option<i64>,
    pub amount_sat: u64,
}

/// The heading of step `number`'s figure.
pub fn figure_title(number: usize, title: &str) -> String {
    format!("Figure {number} — {}", display::one_line(title))
}

/// Writes the storyboard chapter; story figures are numbered after the `figures_before`
/// money-flow figures. Returns the number of figures drawn.
pub fn write(ex: &mut Exhibit, steps: &[ReportStoryStep], figures_before: usize) -> usize {
    if steps.is_empty() {
        return 0;
    }
    ex.chapter(TITLE);
    ex.paragraph(
        Face::Regular,
        TEXT_PT,
        TEXT_LEADING,
        0.0,
        "The analyst's story of the case, step by step, in the analyst's order. Each figure \
         draws the path the analyst highlighted (shapes as in the money flow graph); the \
         caption under it is the analyst's note, and the legend cites each edge of the path \
         from the on-chain data.",
        Ink::Black,
    );
    ex.space(2.0);
    let mut next_key = 1;
    for (i, step) in steps.iter().enumerate() {
        if i > 0 {
            ex.new_page();
        }
        let number = figures_before + i + 1;
        next_key = figure::drawing(
            ex,
            &step.graph,
            &figure_title(number, &step.title),
            number,
            next_key,
        );
        if !step.caption.trim().is_empty() {
            ex.claim(Voice::Note, &step.caption);
        }
        citations(ex, number, &step.edges);
    }
    steps.len()
}

const CITE_PT: f32 = 6.5;
const CITE_LEADING: f32 = 3.3;

/// The step's legend: each edge of the path with its transaction, block, time and amount.
fn citations(ex: &mut Exhibit, number: usize, edges: &[ReportStoryEdge]) {
    ex.subheading(&format!("Edges of figure {number}"), CITE_LEADING * 3.0);
    if edges.is_empty() {
        ex.paragraph(
            Face::Regular,
            CITE_PT,
            CITE_LEADING,
            0.0,
            "The step's path has no edges.",
            Ink::Black,
        );
        return;
    }
    let faces = ex.faces();
    for (k, e) in edges.iter().enumerate() {
        let flow = format!(
            "{}. {} → {}",
            k + 1,
            display::short_id(&e.source),
            display::short_id(&e.target)
        );
        let facts = format!(
            "tx {} · block {} · {} · {} BTC",
            display::one_line(&e.txid),
            e.block_height
                .map_or_else(|| "unconfirmed".to_string(), |h| h.to_string()),
            e.block_time
                .map_or_else(|| "time unknown".to_string(), display::utc_from_unix),
            display::btc(e.amount_sat)
        );
        let lines = faces.wrap(Face::Mono, CITE_PT, &facts, BODY_WIDTH - 8.0);
        ex.ensure((1 + lines.len()) as f32 * CITE_LEADING);
        let y = ex.y - CITE_LEADING + 1.0;
        ex.sheet()
            .text(Face::Regular, CITE_PT, MARGIN, y, &flow, Ink::Black);
        ex.y -= CITE_LEADING;
        for line in &lines {
            let y = ex.y - CITE_LEADING + 1.0;
            ex.sheet()
                .text(Face::Mono, CITE_PT, MARGIN + 4.0, y, line, Ink::Black);
            ex.y -= CITE_LEADING;
        }
    }
    ex.space(3.0);
}
