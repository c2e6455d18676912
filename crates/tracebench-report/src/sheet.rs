//! One page's drawing operations, placed in millimetres from the bottom-left corner.

use printpdf::{
    Color, CurTransMat, Greyscale, Line, LineDashPattern, LinePoint, Mm, Op, PaintMode,
    PdfFontHandle, Point, Polygon, PolygonRing, Pt, Rgb, TextItem, WindingOrder,
};

use crate::typeset::{Face, Typeface};

/// A4 portrait, millimetres: the coordinate system every page is drawn in.
pub const PAGE_WIDTH: f32 = 210.0;
pub const PAGE_HEIGHT: f32 = 297.0;

/// How far the bottom of `paper` sits above the bottom of an A4 page drawn on it, in the A4
/// coordinates the pages are drawn in (the top edges are aligned): 0 for A4.
pub fn lift(paper: crate::model::Paper) -> f32 {
    PAGE_HEIGHT - paper.size_mm().1
}

/// The operations of a page drawn in A4 coordinates, placed on `paper`: centred across, top
/// edges aligned. A4 pages are returned unchanged.
pub fn place(paper: crate::model::Paper, ops: Vec<Op>) -> Vec<Op> {
    let (width, _) = paper.size_mm();
    if paper == crate::model::Paper::A4 {
        return ops;
    }
    let dx = Mm((width - PAGE_WIDTH) / 2.0).into_pt();
    let dy = Mm(-lift(paper)).into_pt();
    let mut placed = Vec::with_capacity(ops.len() + 3);
    placed.push(Op::SaveGraphicsState);
    placed.push(Op::SetTransformationMatrix {
        matrix: CurTransMat::Translate(dx, dy),
    });
    placed.extend(ops);
    placed.push(Op::RestoreGraphicsState);
    placed
}

/// Colours used in the report. Everything stays readable in greyscale: meaning is carried by
/// shape and text, never by colour alone.
#[derive(Debug, Clone, Copy)]
pub enum Ink {
    Black,
    Grey(f32),
    White,
    /// The synthetic-data marking (dark red, prints as a dark grey).
    Warning,
}

impl Ink {
    fn color(self) -> Color {
        match self {
            Ink::Black => Color::Greyscale(Greyscale::new(0.0, None)),
            Ink::Grey(level) => Color::Greyscale(Greyscale::new(level, None)),
            Ink::White => Color::Greyscale(Greyscale::new(1.0, None)),
            Ink::Warning => Color::Rgb(Rgb::new(0.72, 0.0, 0.0, None)),
        }
    }
}

/// How a closed shape is painted.
#[derive(Debug, Clone, Copy)]
pub struct Paint {
    pub fill: Option<Ink>,
    pub stroke: Option<(Ink, f32)>,
}

fn point(x: f32, y: f32) -> Point {
    Point::new(Mm(x), Mm(y))
}

fn corner(x: f32, y: f32) -> LinePoint {
    LinePoint {
        p: point(x, y),
        bezier: false,
    }
}

fn handle(x: f32, y: f32) -> LinePoint {
    LinePoint {
        p: point(x, y),
        bezier: true,
    }
}

/// Drawing operations for one page.
pub struct Sheet<'a> {
    faces: &'a Typeface,
    ops: Vec<Op>,
}

impl<'a> Sheet<'a> {
    pub fn new(faces: &'a Typeface) -> Self {
        Sheet {
            faces,
            ops: Vec::new(),
        }
    }

    pub fn faces(&self) -> &'a Typeface {
        self.faces
    }

    pub fn into_ops(self) -> Vec<Op> {
        self.ops
    }

    /// Text with its baseline starting at (x, y). Outside text is only ever shown as text.
    pub fn text(&mut self, face: Face, size_pt: f32, x: f32, y: f32, text: &str, ink: Ink) {
        let text = self.faces.printable(face, &crate::display::one_line(text));
        if text.trim().is_empty() {
            return;
        }
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFillColor { col: ink.color() },
            Op::SetFont {
                font: PdfFontHandle::External(face.font_id()),
                size: Pt(size_pt),
            },
            Op::SetTextCursor { pos: point(x, y) },
            Op::ShowText {
                items: vec![TextItem::Text(text)],
            },
            Op::EndTextSection,
        ]);
    }

    /// Text ending at `right`.
    pub fn text_right(
        &mut self,
        face: Face,
        size_pt: f32,
        right: f32,
        y: f32,
        text: &str,
        ink: Ink,
    ) {
        let width = self
            .faces
            .width_mm(face, size_pt, &self.faces.printable(face, text));
        self.text(face, size_pt, right - width, y, text, ink);
    }

    /// Text centred on `centre`.
    pub fn text_centred(
        &mut self,
        face: Face,
        size_pt: f32,
        centre: f32,
        y: f32,
        text: &str,
        ink: Ink,
    ) {
        let width = self
            .faces
            .width_mm(face, size_pt, &self.faces.printable(face, text));
        self.text(face, size_pt, centre - width / 2.0, y, text, ink);
    }

    /// Dashed (true) or solid (false) strokes from here on.
    pub fn dashed(&mut self, on: bool) {
        let dash = if on {
            LineDashPattern::new(0.0, &[2.0, 1.5])
        } else {
            LineDashPattern::solid()
        };
        self.ops.push(Op::SetLineDashPattern { dash });
    }

    /// An open polyline.
    pub fn line(&mut self, points: &[(f32, f32)], width_pt: f32, ink: Ink) {
        self.ops.extend([
            Op::SetOutlineColor { col: ink.color() },
            Op::SetOutlineThickness { pt: Pt(width_pt) },
            Op::DrawLine {
                line: Line {
                    points: points.iter().map(|&(x, y)| corner(x, y)).collect(),
                    is_closed: false,
                },
            },
        ]);
    }

    /// A rectangle with its lower-left corner at (x, y).
    pub fn rect(&mut self, x: f32, y: f32, width: f32, height: f32, paint: Paint) {
        let ring = vec![
            corner(x, y),
            corner(x + width, y),
            corner(x + width, y + height),
            corner(x, y + height),
        ];
        self.shape(ring, paint);
    }

    /// A circle drawn as four cubic Bézier arcs.
    pub fn circle(&mut self, cx: f32, cy: f32, r: f32, paint: Paint) {
        let k = 0.552_284_8 * r;
        let ring = vec![
            corner(cx + r, cy),
            handle(cx + r, cy + k),
            handle(cx + k, cy + r),
            corner(cx, cy + r),
            handle(cx - k, cy + r),
            handle(cx - r, cy + k),
            corner(cx - r, cy),
            handle(cx - r, cy - k),
            handle(cx - k, cy - r),
            corner(cx, cy - r),
            handle(cx + k, cy - r),
            handle(cx + r, cy - k),
            corner(cx + r, cy),
        ];
        self.shape(ring, paint);
    }

    /// A closed polygon through `points`.
    pub fn polygon(&mut self, points: &[(f32, f32)], paint: Paint) {
        self.shape(points.iter().map(|&(x, y)| corner(x, y)).collect(), paint);
    }

    fn shape(&mut self, ring: Vec<LinePoint>, paint: Paint) {
        let mode = match (paint.fill, paint.stroke) {
            (Some(_), Some(_)) => PaintMode::FillStroke,
            (Some(_), None) => PaintMode::Fill,
            (None, Some(_)) => PaintMode::Stroke,
            (None, None) => return,
        };
        if let Some(ink) = paint.fill {
            self.ops.push(Op::SetFillColor { col: ink.color() });
        }
        if let Some((ink, width)) = paint.stroke {
            self.ops.push(Op::SetOutlineColor { col: ink.color() });
            self.ops.push(Op::SetOutlineThickness { pt: Pt(width) });
        }
        self.ops.push(Op::DrawPolygon {
            polygon: Polygon {
                rings: vec![PolygonRing { points: ring }],
                mode,
                winding_order: WindingOrder::NonZero,
            },
        });
    }
}
