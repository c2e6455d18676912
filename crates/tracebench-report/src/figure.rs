//! The money-flow graph as vector figures, split by hop range when the graph is large, each
//! followed by a key from figure numbers to full node ids.

use std::collections::{BTreeMap, BTreeSet};

use crate::display;
use crate::exhibit::{Exhibit, BODY_WIDTH, MARGIN, TEXT_LEADING, TEXT_PT};
use crate::layout::{flow_layout, COLUMN_SPACING, ROW_SPACING};
use crate::model::{GraphNode, NodeKind, ReportGraph};
use crate::sheet::{Ink, Paint, Sheet};
use crate::typeset::Face;

/// Most nodes one figure shows; larger graphs are split by hop range.
pub const MAX_NODES_PER_FIGURE: usize = 40;

const TITLE: &str = "Money flow graph";
const LABEL_PT: f32 = 5.0;
const KEY_PT: f32 = 6.5;
const KEY_LEADING: f32 = 3.3;
/// Largest distance between two columns / two rows on paper, so small graphs stay compact.
const MAX_COLUMN_MM: f32 = 40.0;
const MAX_ROW_MM: f32 = 18.0;
const MAX_FIGURE_MM: f32 = 175.0;

/// The nodes of one figure (indices into the graph's unique nodes) and the hops they span.
#[derive(Debug, Clone, PartialEq)]
pub struct FigurePart {
    pub nodes: Vec<usize>,
    pub hops: (u32, u32),
    /// (part, of) when a single hop has more nodes than one figure holds.
    pub piece: Option<(usize, usize)>,
}

impl FigurePart {
    pub fn hop_range(&self) -> String {
        let hops = if self.hops.0 == self.hops.1 {
            format!("hop {}", self.hops.0)
        } else {
            format!("hops {}–{}", self.hops.0, self.hops.1)
        };
        match self.piece {
            Some((part, of)) => format!("{hops}, part {part} of {of}"),
            None => hops,
        }
    }
}

/// The graph's nodes with duplicate ids removed, in id order.
pub fn unique_nodes(graph: &ReportGraph) -> Vec<&GraphNode> {
    let mut nodes: Vec<&GraphNode> = graph.nodes.iter().collect();
    nodes.sort_by(|a, b| a.id.cmp(&b.id));
    nodes.dedup_by(|a, b| a.id == b.id);
    nodes
}

/// Consecutive hop ranges of at most `MAX_NODES_PER_FIGURE` nodes each; a single hop larger
/// than that is cut into pieces in time order.
pub fn split_by_hop(nodes: &[&GraphNode]) -> Vec<FigurePart> {
    let mut by_hop: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (i, node) in nodes.iter().enumerate() {
        by_hop.entry(node.hop).or_default().push(i);
    }
    let mut parts = Vec::new();
    let mut current: Option<FigurePart> = None;
    for (hop, mut members) in by_hop {
        if members.len() > MAX_NODES_PER_FIGURE {
            parts.extend(current.take());
            members.sort_by_key(|&i| (nodes[i].time.is_none(), nodes[i].time, i));
            let of = members.len().div_ceil(MAX_NODES_PER_FIGURE);
            for (k, chunk) in members.chunks(MAX_NODES_PER_FIGURE).enumerate() {
                parts.push(FigurePart {
                    nodes: chunk.to_vec(),
                    hops: (hop, hop),
                    piece: Some((k + 1, of)),
                });
            }
            continue;
        }
        if let Some(part) = &current {
            if part.nodes.len() + members.len() > MAX_NODES_PER_FIGURE {
                parts.extend(current.take());
            }
        }
        let part = current.get_or_insert(FigurePart {
            nodes: Vec::new(),
            hops: (hop, hop),
            piece: None,
        });
        part.nodes.extend(members);
        part.hops.1 = hop;
    }
    parts.extend(current);
    parts
}

/// How many figures [`write`] draws for `graph`.
pub fn count(graph: &ReportGraph) -> usize {
    let nodes = unique_nodes(graph);
    if nodes.is_empty() {
        0
    } else {
        split_by_hop(&nodes).len()
    }
}

/// Writes the graph chapter; returns the number of figures drawn.
pub fn write(ex: &mut Exhibit, graph: &ReportGraph) -> usize {
    ex.chapter(TITLE);
    let nodes = unique_nodes(graph);
    ex.paragraph(
        Face::Regular,
        TEXT_PT,
        TEXT_LEADING,
        0.0,
        "Value flows from left to right; columns follow the order of the transactions in time. \
         Circles are addresses, squares are transactions, a thick outline marks a seed of the \
         case (hop 0). Numbers refer to the key after each figure, which gives every node's full id.",
        Ink::Black,
    );
    ex.space(2.0);
    if nodes.is_empty() {
        ex.paragraph(
            Face::Regular,
            TEXT_PT,
            TEXT_LEADING,
            0.0,
            "The case graph has no nodes.",
            Ink::Black,
        );
        return 0;
    }
    let parts = split_by_hop(&nodes);
    let mut next_key = 1;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            ex.new_page();
        }
        next_key = figure(
            ex,
            graph,
            &nodes,
            part,
            i + 1,
            Caption::Of(parts.len()),
            next_key,
        );
    }
    parts.len()
}

/// How a figure's caption starts.
enum Caption<'t> {
    /// "Figure n of m · hops …": one of the money-flow figures.
    Of(usize),
    /// A title of its own, e.g. "Figure 3 — Ransom paid" (a story step, see `story`).
    Titled(&'t str),
}

/// `graph` drawn whole as one figure under `title` (a story step's path), with the legend
/// and the key; returns the next free key number.
pub(crate) fn drawing(
    ex: &mut Exhibit,
    graph: &ReportGraph,
    title: &str,
    number: usize,
    first_key: usize,
) -> usize {
    let nodes = unique_nodes(graph);
    let Some(low) = nodes.iter().map(|n| n.hop).min() else {
        return first_key;
    };
    let high = nodes.iter().map(|n| n.hop).max().unwrap_or(low);
    let part = FigurePart {
        nodes: (0..nodes.len()).collect(),
        hops: (low, high),
        piece: None,
    };
    figure(
        ex,
        graph,
        &nodes,
        &part,
        number,
        Caption::Titled(title),
        first_key,
    )
}

/// One figure, its legend and its key; returns the next free key number.
fn figure(
    ex: &mut Exhibit,
    graph: &ReportGraph,
    nodes: &[&GraphNode],
    part: &FigurePart,
    number: usize,
    caption: Caption<'_>,
    first_key: usize,
) -> usize {
    let faces = ex.faces();
    let members: BTreeSet<&str> = part.nodes.iter().map(|&i| nodes[i].id.as_str()).collect();
    let mut pairs: BTreeSet<(&str, &str)> = BTreeSet::new();
    let mut outside = 0usize;
    for edge in &graph.edges {
        match (
            members.contains(edge.source.as_str()),
            members.contains(edge.target.as_str()),
        ) {
            (true, true) if edge.source != edge.target => {
                pairs.insert((edge.source.as_str(), edge.target.as_str()));
            }
            (true, false) | (false, true) => outside += 1,
            _ => {}
        }
    }
    let sub = ReportGraph {
        nodes: part.nodes.iter().map(|&i| nodes[i].clone()).collect(),
        edges: Vec::new(),
    };
    let sub = ReportGraph {
        edges: graph
            .edges
            .iter()
            .filter(|e| pairs.contains(&(e.source.as_str(), e.target.as_str())))
            .cloned()
            .collect(),
        ..sub
    };
    let positions = flow_layout(&sub);

    // Key numbers in reading order: column by column, top to bottom.
    let mut order: Vec<usize> = (0..sub.nodes.len()).collect();
    order.sort_by(|&a, &b| {
        positions[a]
            .0
            .total_cmp(&positions[b].0)
            .then(positions[a].1.total_cmp(&positions[b].1))
            .then(sub.nodes[a].id.cmp(&sub.nodes[b].id))
    });
    let key: BTreeMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(k, &i)| (sub.nodes[i].id.as_str(), first_key + k))
        .collect();

    // Caption.
    let caption = match caption {
        Caption::Of(figures) => format!(
            "Figure {number} of {figures} · {} · {} nodes, {} edges",
            part.hop_range(),
            sub.nodes.len(),
            pairs.len()
        ),
        Caption::Titled(title) => {
            format!("{title} · {} nodes, {} edges", sub.nodes.len(), pairs.len())
        }
    };
    ex.ensure(60.0);
    let y = ex.y - 4.0;
    ex.sheet()
        .text(Face::Bold, 9.5, MARGIN, y, &caption, Ink::Black);
    ex.y -= 5.5;
    if outside > 0 {
        let note = format!("{outside} edge(s) lead to or from nodes shown in other figures and are not drawn here.");
        let y = ex.y - 3.0;
        ex.sheet()
            .text(Face::Regular, 7.0, MARGIN, y, &note, Ink::Grey(0.3));
        ex.y -= 4.5;
    }

    // Scale the layout into the figure box; a flow too long for one row of columns is cut
    // into bands stacked top to bottom, read like lines of text.
    let top = ex.y;
    let bands = Bands::fit(&positions, (ex.room() - 14.0).min(MAX_FIGURE_MM));
    let spots: Vec<(f32, f32)> = positions.iter().map(|&p| bands.place(p, top)).collect();
    let box_h = bands.height();

    // Node size from the smallest gap between two nodes (saved positions may be anywhere).
    let gap = smallest_gap(&spots).unwrap_or(20.0);
    let r = (gap * 0.22).clamp(1.0, 2.3);
    let labels_beside = gap < 10.0;

    let sheet = ex.sheet();
    sheet.rect(
        MARGIN,
        top - box_h,
        BODY_WIDTH,
        box_h,
        Paint {
            fill: None,
            stroke: Some((Ink::Grey(0.6), 0.4)),
        },
    );
    let index: BTreeMap<&str, usize> = sub
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    for &(source, target) in &pairs {
        let (a, b) = (index[source], index[target]);
        let across = bands.band_of(positions[a].0) != bands.band_of(positions[b].0);
        if across {
            sheet.dashed(true);
        }
        arrow(
            sheet,
            spots[a],
            reach(&sub.nodes[a], r),
            spots[b],
            reach(&sub.nodes[b], r),
        );
        if across {
            sheet.dashed(false);
        }
    }
    for (i, node) in sub.nodes.iter().enumerate() {
        draw_node(sheet, node, spots[i], r);
    }
    for (i, node) in sub.nodes.iter().enumerate() {
        let (x, y) = spots[i];
        let number = key[node.id.as_str()].to_string();
        let short = display::short_id(&node.id);
        if labels_beside {
            let text = format!("{number}  {short}");
            label(sheet, Face::Regular, x + r + 0.8, y - 0.6, &text);
        } else {
            let w = faces.width_mm(Face::Bold, LABEL_PT, &number);
            label(sheet, Face::Bold, x - w / 2.0, y + r + 0.7, &number);
            let w = faces.width_mm(Face::Regular, LABEL_PT, &short);
            label(sheet, Face::Regular, x - w / 2.0, y - r - 2.2, &short);
        }
    }
    ex.y = top - box_h - 1.5;
    legend(ex);
    node_key(ex, number, &sub.nodes, &order, first_key);
    first_key + sub.nodes.len()
}

/// How the layout maps onto the page: horizontal bands of at most `per_band` columns.
struct Bands {
    min_x: f64,
    min_y: f64,
    count: usize,
    /// Layout units of x per band, and the widest x offset drawn inside one band.
    band_span: f64,
    local_max: f64,
    scale_x: f32,
    scale_y: f32,
    left: f32,
    /// Height of one band's drawing, without padding.
    drawn_h: f32,
}

const PAD_X: f32 = 10.0;
const PAD_Y: f32 = 6.0;
/// Closest two columns may come on paper, so that their labels do not collide.
const MIN_COLUMN_MM: f32 = 19.0;

impl Bands {
    fn fit(positions: &[(f64, f64)], max_height: f32) -> Self {
        let (min_x, max_x) = span(positions.iter().map(|p| p.0));
        let (min_y, max_y) = span(positions.iter().map(|p| p.1));
        let inner_w = BODY_WIDTH - 2.0 * PAD_X;
        let columns = ((max_x - min_x) / COLUMN_SPACING).ceil() as usize + 1;
        let per_band = (inner_w / MIN_COLUMN_MM).floor() as usize + 1;
        let count = columns.div_ceil(per_band).max(1);
        let overhead = 2.0 * PAD_Y + 3.0;
        let room_h = (max_height / count as f32 - overhead).max(0.0);
        let scale_y = scale(max_y - min_y, room_h, MAX_ROW_MM / ROW_SPACING as f32);
        let (band_span, local_max, scale_x, drawn_w) = if count == 1 {
            let sx = scale(
                max_x - min_x,
                inner_w,
                MAX_COLUMN_MM / COLUMN_SPACING as f32,
            );
            (
                max_x - min_x + 1.0,
                max_x - min_x,
                sx,
                (max_x - min_x) as f32 * sx,
            )
        } else {
            let local_max = (per_band - 1) as f64 * COLUMN_SPACING;
            (
                per_band as f64 * COLUMN_SPACING,
                local_max,
                inner_w / local_max as f32,
                inner_w,
            )
        };
        Bands {
            min_x,
            min_y,
            count,
            band_span,
            local_max,
            scale_x,
            scale_y,
            left: MARGIN + (BODY_WIDTH - drawn_w) / 2.0,
            drawn_h: (max_y - min_y) as f32 * scale_y,
        }
    }

    fn band_of(&self, x: f64) -> usize {
        (((x - self.min_x) / self.band_span).floor().max(0.0) as usize).min(self.count - 1)
    }

    fn pitch(&self) -> f32 {
        self.drawn_h + 2.0 * PAD_Y + 3.0
    }

    fn height(&self) -> f32 {
        self.pitch() * self.count as f32
    }

    /// Page position of a layout position, for a figure whose box starts at `top`.
    fn place(&self, (x, y): (f64, f64), top: f32) -> (f32, f32) {
        let band = self.band_of(x);
        let local = (x - self.min_x - band as f64 * self.band_span).min(self.local_max);
        (
            self.left + local as f32 * self.scale_x,
            top - band as f32 * self.pitch() - PAD_Y - (y - self.min_y) as f32 * self.scale_y,
        )
    }
}

fn span(values: impl Iterator<Item = f64>) -> (f64, f64) {
    values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    })
}

/// Millimetres per layout unit: fill `room`, but never spread more than `most` per unit.
fn scale(extent: f64, room: f32, most: f32) -> f32 {
    if extent <= 0.0 {
        0.0
    } else {
        (room / extent as f32).min(most)
    }
}

fn smallest_gap(spots: &[(f32, f32)]) -> Option<f32> {
    let mut best: Option<f32> = None;
    for (i, a) in spots.iter().enumerate() {
        for b in &spots[i + 1..] {
            let d = ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
            best = Some(best.map_or(d, |m| m.min(d)));
        }
    }
    best
}

/// Distance from a node's centre to its outline along the arrow (squares approximated by
/// their half width).
fn reach(node: &GraphNode, r: f32) -> f32 {
    match node.kind {
        NodeKind::Address => r,
        NodeKind::Transaction => r * 1.1,
    }
}

fn arrow(sheet: &mut Sheet, from: (f32, f32), from_reach: f32, to: (f32, f32), to_reach: f32) {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let length = (dx * dx + dy * dy).sqrt();
    if length <= from_reach + to_reach + 1.0 {
        return;
    }
    let (ux, uy) = (dx / length, dy / length);
    let start = (from.0 + ux * from_reach, from.1 + uy * from_reach);
    let tip = (to.0 - ux * (to_reach + 0.2), to.1 - uy * (to_reach + 0.2));
    let head = 1.5;
    let base = (tip.0 - ux * head, tip.1 - uy * head);
    let (nx, ny) = (-uy * 0.6, ux * 0.6);
    sheet.line(&[start, base], 0.5, Ink::Grey(0.35));
    sheet.polygon(
        &[tip, (base.0 + nx, base.1 + ny), (base.0 - nx, base.1 - ny)],
        Paint {
            fill: Some(Ink::Grey(0.2)),
            stroke: None,
        },
    );
}

fn draw_node(sheet: &mut Sheet, node: &GraphNode, (x, y): (f32, f32), r: f32) {
    let outline = if node.hop == 0 { 1.6 } else { 0.7 };
    match node.kind {
        NodeKind::Address => sheet.circle(
            x,
            y,
            r,
            Paint {
                fill: Some(Ink::White),
                stroke: Some((Ink::Black, outline)),
            },
        ),
        NodeKind::Transaction => {
            let h = r * 0.9;
            sheet.rect(
                x - h,
                y - h,
                2.0 * h,
                2.0 * h,
                Paint {
                    fill: Some(Ink::Grey(0.75)),
                    stroke: Some((Ink::Black, outline)),
                },
            )
        }
    }
}

/// A small label on a white ground so edges do not run through the text.
fn label(sheet: &mut Sheet, face: Face, x: f32, y: f32, text: &str) {
    let w = sheet.faces().width_mm(face, LABEL_PT, text);
    sheet.rect(
        x - 0.3,
        y - 0.5,
        w + 0.6,
        2.2,
        Paint {
            fill: Some(Ink::White),
            stroke: None,
        },
    );
    sheet.text(face, LABEL_PT, x, y, text, Ink::Black);
}

fn legend(ex: &mut Exhibit) {
    ex.ensure(6.0);
    let y = ex.y - 3.0;
    let sheet = ex.sheet();
    let mut x = MARGIN + 2.0;
    let plain = |ink| Paint {
        fill: Some(ink),
        stroke: Some((Ink::Black, 0.7)),
    };
    sheet.circle(x, y, 1.6, plain(Ink::White));
    sheet.text(Face::Regular, 7.0, x + 3.0, y - 0.9, "Address", Ink::Black);
    x += 22.0;
    sheet.rect(x - 1.5, y - 1.5, 3.0, 3.0, plain(Ink::Grey(0.75)));
    sheet.text(
        Face::Regular,
        7.0,
        x + 3.0,
        y - 0.9,
        "Transaction",
        Ink::Black,
    );
    x += 28.0;
    sheet.circle(
        x,
        y,
        1.6,
        Paint {
            fill: Some(Ink::White),
            stroke: Some((Ink::Black, 1.6)),
        },
    );
    sheet.text(
        Face::Regular,
        7.0,
        x + 3.0,
        y - 0.9,
        "Seed of the case (hop 0)",
        Ink::Black,
    );
    x += 42.0;
    arrow(sheet, (x - 2.0, y), 0.0, (x + 6.0, y), 0.0);
    sheet.text(
        Face::Regular,
        7.0,
        x + 8.0,
        y - 0.9,
        "Flow of value",
        Ink::Black,
    );
    x += 28.0;
    sheet.text(Face::Bold, 7.0, x, y - 0.9, "12", Ink::Black);
    sheet.text(
        Face::Regular,
        7.0,
        x + 4.5,
        y - 0.9,
        "Key number",
        Ink::Black,
    );
    ex.y -= 8.0;
}

/// The list from key numbers to full node ids, hops and times.
fn node_key(
    ex: &mut Exhibit,
    number: usize,
    nodes: &[GraphNode],
    order: &[usize],
    first_key: usize,
) {
    let faces = ex.faces();
    let columns = [
        (MARGIN, "No."),
        (MARGIN + 9.0, "Kind"),
        (MARGIN + 27.0, "Node id"),
        (MARGIN + 131.0, "Hop"),
        (MARGIN + 140.0, "Time (UTC)"),
    ];
    let id_width = 102.0;
    let header = |ex: &mut Exhibit, continued: bool| {
        let title = if continued {
            format!("Key to figure {number} (continued)")
        } else {
            format!("Key to figure {number}")
        };
        ex.subheading(&title, KEY_LEADING * 3.0);
        let y = ex.y - 2.6;
        let sheet = ex.sheet();
        for (x, name) in columns {
            sheet.text(Face::Bold, KEY_PT, x, y, name, Ink::Grey(0.25));
        }
        ex.y -= KEY_LEADING + 0.6;
    };
    header(ex, false);
    for (k, &i) in order.iter().enumerate() {
        let node = &nodes[i];
        let size = faces.fit_size(Face::Mono, KEY_PT, 5.0, &node.id, id_width);
        let id_lines = faces.wrap(Face::Mono, size, &node.id, id_width);
        let label = display::one_line(&node.label);
        let id_part = node.id.rsplit(':').next().unwrap_or_default();
        let show_label = !label.trim().is_empty()
            && label != node.id
            && label != id_part
            && label != display::short_id(&node.id);
        let label_lines = if show_label {
            faces.wrap(
                Face::Regular,
                KEY_PT,
                &faces.printable(Face::Regular, &label),
                id_width,
            )
        } else {
            Vec::new()
        };
        let height = (id_lines.len() + label_lines.len()) as f32 * KEY_LEADING;
        if ex.y - height < ex.bottom() {
            ex.new_page();
            header(ex, true);
        }
        let y = ex.y - 2.6;
        let sheet = ex.sheet();
        sheet.text(
            Face::Bold,
            KEY_PT,
            columns[0].0,
            y,
            &(first_key + k).to_string(),
            Ink::Black,
        );
        let kind = match node.kind {
            NodeKind::Address => "Address",
            NodeKind::Transaction => "Transaction",
        };
        sheet.text(Face::Regular, KEY_PT, columns[1].0, y, kind, Ink::Black);
        let mut line_y = y;
        for line in &id_lines {
            sheet.text(Face::Mono, size, columns[2].0, line_y, line, Ink::Black);
            line_y -= KEY_LEADING;
        }
        for line in &label_lines {
            sheet.text(
                Face::Regular,
                KEY_PT,
                columns[2].0,
                line_y,
                line,
                Ink::Grey(0.3),
            );
            line_y -= KEY_LEADING;
        }
        sheet.text(
            Face::Regular,
            KEY_PT,
            columns[3].0,
            y,
            &node.hop.to_string(),
            Ink::Black,
        );
        let time = node
            .time
            .map_or_else(|| "—".to_string(), display::utc_from_unix);
        let time = faces.truncate(Face::Regular, KEY_PT, &time.replace(" UTC", ""), 34.0);
        sheet.text(Face::Regular, KEY_PT, columns[4].0, y, &time, Ink::Black);
        ex.y -= height;
    }
    ex.space(3.0);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(i: u32, hop: u32) -> GraphNode {
        GraphNode {
            id: format!("btc:addr:a{i:03}"),
            kind: NodeKind::Address,
            label: String::new(),
            time: Some(i64::from(i)),
            hop,
            position: None,
        }
    }

    #[test]
    fn large_graphs_split_by_hop_range_within_the_limit() {
        let mut graph = ReportGraph::default();
        for i in 0..25 {
            graph.nodes.push(node(i, i / 5)); // hops 0..4, five nodes each
        }
        for i in 25..70 {
            graph.nodes.push(node(i, 5)); // one hop with 45 nodes
        }
        let nodes = unique_nodes(&graph);
        let parts = split_by_hop(&nodes);
        let ranges: Vec<String> = parts.iter().map(FigurePart::hop_range).collect();
        assert_eq!(
            ranges,
            ["hops 0–4", "hop 5, part 1 of 2", "hop 5, part 2 of 2"],
            "consecutive hops fill a figure; an oversized hop is cut into pieces"
        );
        assert!(
            parts.iter().all(|p| p.nodes.len() <= MAX_NODES_PER_FIGURE),
            "no figure may exceed {MAX_NODES_PER_FIGURE} nodes"
        );
        let shown: usize = parts.iter().map(|p| p.nodes.len()).sum();
        assert_eq!(shown, 70, "every node appears in exactly one figure");
    }
}
