//! A plain ruled table: a shaded header row repeated on every page the table runs onto, one
//! line per cell, cells cut with "…" only when a column is too narrow.

use crate::exhibit::{Exhibit, MARGIN};
use crate::sheet::{Ink, Paint};
use crate::typeset::Face;

const PT: f32 = 7.0;
const ROW: f32 = 3.9;

/// One column: title, width in millimetres, face, right-aligned.
pub struct Column {
    pub title: &'static str,
    pub width: f32,
    pub face: Face,
    pub right: bool,
}

pub fn draw(ex: &mut Exhibit, columns: &[Column], rows: &[Vec<String>]) {
    ex.ensure(2.0 * ROW + 1.0);
    header(ex, columns);
    for (i, row) in rows.iter().enumerate() {
        if ex.ensure(ROW) {
            header(ex, columns);
        }
        let top = ex.y;
        let faces = ex.faces();
        let sheet = ex.sheet();
        if i % 2 == 1 {
            let width: f32 = columns.iter().map(|c| c.width).sum();
            sheet.rect(
                MARGIN,
                top - ROW,
                width,
                ROW,
                Paint {
                    fill: Some(Ink::Grey(0.94)),
                    stroke: None,
                },
            );
        }
        let mut x = MARGIN;
        for (column, cell) in columns.iter().zip(row) {
            let text = faces.truncate(column.face, PT, cell, column.width - 1.6);
            let y = top - ROW + 1.1;
            if column.right {
                sheet.text_right(
                    column.face,
                    PT,
                    x + column.width - 0.8,
                    y,
                    &text,
                    Ink::Black,
                );
            } else {
                sheet.text(column.face, PT, x + 0.8, y, &text, Ink::Black);
            }
            x += column.width;
        }
        ex.y -= ROW;
    }
    ex.space(2.0);
}

fn header(ex: &mut Exhibit, columns: &[Column]) {
    let top = ex.y;
    let width: f32 = columns.iter().map(|c| c.width).sum();
    let sheet = ex.sheet();
    sheet.rect(
        MARGIN,
        top - ROW - 0.6,
        width,
        ROW + 0.6,
        Paint {
            fill: Some(Ink::Grey(0.82)),
            stroke: None,
        },
    );
    let mut x = MARGIN;
    for column in columns {
        let y = top - ROW + 0.8;
        if column.right {
            sheet.text_right(
                Face::Bold,
                PT,
                x + column.width - 0.8,
                y,
                column.title,
                Ink::Black,
            );
        } else {
            sheet.text(Face::Bold, PT, x + 0.8, y, column.title, Ink::Black);
        }
        x += column.width;
    }
    ex.y -= ROW + 0.6;
}
