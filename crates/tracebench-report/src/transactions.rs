//! The transactions table: full txids, block, time and amounts in BTC with eight decimals.
//! The header repeats on every page the table runs onto.

use crate::display;
use crate::exhibit::{Exhibit, BODY_WIDTH, MARGIN, TEXT_LEADING, TEXT_PT};
use crate::model::ReportTx;
use crate::sheet::{Ink, Paint};
use crate::typeset::Face;

pub const TITLE: &str = "Appendix A · Transactions";

const CELL_PT: f32 = 6.5;
const PAD: f32 = 1.2;
const ROW_HEIGHT: f32 = 7.4;
const HEADER_HEIGHT: f32 = 6.0;

/// Column left edges and widths (millimetres from the left margin).
struct Column {
    x: f32,
    width: f32,
    title: &'static str,
    right_aligned: bool,
}

const COLUMNS: [Column; 6] = [
    Column {
        x: 0.0,
        width: 84.0,
        title: "Txid / source id",
        right_aligned: false,
    },
    Column {
        x: 84.0,
        width: 11.0,
        title: "Block",
        right_aligned: true,
    },
    Column {
        x: 95.0,
        width: 17.0,
        title: "Time (UTC)",
        right_aligned: false,
    },
    Column {
        x: 112.0,
        width: 21.0,
        title: "Input BTC",
        right_aligned: true,
    },
    Column {
        x: 133.0,
        width: 21.0,
        title: "Output BTC",
        right_aligned: true,
    },
    Column {
        x: 154.0,
        width: 20.0,
        title: "Fee BTC",
        right_aligned: true,
    },
];

/// Transactions in time order (unconfirmed last), ties by txid.
fn chronological(txs: &[ReportTx]) -> Vec<&ReportTx> {
    let mut rows: Vec<&ReportTx> = txs.iter().collect();
    rows.sort_by(|a, b| {
        (
            a.block_time.is_none(),
            a.block_time,
            a.block_height,
            &a.txid,
        )
            .cmp(&(
                b.block_time.is_none(),
                b.block_time,
                b.block_height,
                &b.txid,
            ))
    });
    rows
}

pub fn write(ex: &mut Exhibit, txs: &[ReportTx]) {
    ex.chapter(TITLE);
    let intro = format!(
        "{} transaction(s) in time order. Amounts are in BTC with eight decimals, converted from \
         integer satoshi. The source id names the raw response each row was parsed from; see \
         “Data provenance”. A dash means the value is not known (unconfirmed, or not reported \
         by the source).",
        txs.len()
    );
    ex.paragraph(
        Face::Regular,
        TEXT_PT,
        TEXT_LEADING,
        0.0,
        &intro,
        Ink::Black,
    );
    ex.space(2.0);
    if txs.is_empty() {
        return;
    }
    header(ex);
    for (i, tx) in chronological(txs).into_iter().enumerate() {
        if ex.y - ROW_HEIGHT < ex.bottom() {
            ex.new_page();
            header(ex);
        }
        row(ex, tx, i % 2 == 1);
    }
    ex.space(3.0);
}

fn header(ex: &mut Exhibit) {
    let top = ex.y;
    let sheet = ex.sheet();
    sheet.rect(
        MARGIN,
        top - HEADER_HEIGHT,
        BODY_WIDTH,
        HEADER_HEIGHT,
        Paint {
            fill: Some(Ink::Grey(0.85)),
            stroke: None,
        },
    );
    let y = top - HEADER_HEIGHT + 2.0;
    for c in &COLUMNS {
        if c.right_aligned {
            sheet.text_right(
                Face::Bold,
                7.0,
                MARGIN + c.x + c.width - PAD,
                y,
                c.title,
                Ink::Black,
            );
        } else {
            sheet.text(Face::Bold, 7.0, MARGIN + c.x + PAD, y, c.title, Ink::Black);
        }
    }
    ex.y -= HEADER_HEIGHT;
}

fn row(ex: &mut Exhibit, tx: &ReportTx, shaded: bool) {
    let faces = ex.faces();
    let top = ex.y;
    let first = top - 3.0;
    let second = top - 6.3;
    let sheet = ex.sheet();
    if shaded {
        sheet.rect(
            MARGIN,
            top - ROW_HEIGHT,
            BODY_WIDTH,
            ROW_HEIGHT,
            Paint {
                fill: Some(Ink::Grey(0.95)),
                stroke: None,
            },
        );
    }
    let inner = |c: &Column| c.width - 2.0 * PAD;

    // Txid in full, monospace, shrunk to fit; source id beneath.
    let txid = display::one_line(&tx.txid);
    let size = faces.fit_size(Face::Mono, CELL_PT, 4.5, &txid, inner(&COLUMNS[0]));
    let txid = faces.truncate(Face::Mono, size, &txid, inner(&COLUMNS[0]));
    sheet.text(Face::Mono, size, MARGIN + PAD, first, &txid, Ink::Black);
    let source = format!("source: {}", display::one_line(&tx.source_id));
    let source = faces.truncate(Face::Regular, 6.0, &source, inner(&COLUMNS[0]));
    sheet.text(
        Face::Regular,
        6.0,
        MARGIN + PAD,
        second,
        &source,
        Ink::Grey(0.35),
    );

    let height = tx
        .block_height
        .map_or_else(|| "—".to_string(), |h| h.to_string());
    let c = &COLUMNS[1];
    let size = faces.fit_size(Face::Regular, CELL_PT, 4.5, &height, inner(c));
    sheet.text_right(
        Face::Regular,
        size,
        MARGIN + c.x + c.width - PAD,
        first,
        &height,
        Ink::Black,
    );

    let c = &COLUMNS[2];
    match tx
        .block_time
        .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
    {
        Some(t) => {
            let date = t.format("%Y-%m-%d").to_string();
            let time = t.format("%H:%M:%S").to_string();
            sheet.text(
                Face::Regular,
                CELL_PT,
                MARGIN + c.x + PAD,
                first,
                &date,
                Ink::Black,
            );
            sheet.text(
                Face::Regular,
                CELL_PT,
                MARGIN + c.x + PAD,
                second,
                &time,
                Ink::Black,
            );
        }
        None => sheet.text(
            Face::Regular,
            CELL_PT,
            MARGIN + c.x + PAD,
            first,
            "—",
            Ink::Black,
        ),
    }

    let amounts = [Some(tx.input_sat), Some(tx.output_sat), tx.fee_sat];
    for (c, sat) in COLUMNS[3..].iter().zip(amounts) {
        let text = sat.map_or_else(|| "—".to_string(), display::btc);
        let size = faces.fit_size(Face::Mono, CELL_PT, 4.0, &text, inner(c));
        sheet.text_right(
            Face::Mono,
            size,
            MARGIN + c.x + c.width - PAD,
            first,
            &text,
            Ink::Black,
        );
    }
    ex.y -= ROW_HEIGHT;
}
