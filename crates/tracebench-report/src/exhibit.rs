//! The flowing body of the report: a cursor running down the page that starts a new page when
//! the next block does not fit, plus the frame (header, footer, synthetic marking) every page
//! gets once the page count is known.

use printpdf::Op;

use crate::display;
use crate::model::ReportInput;
use crate::sheet::{Ink, Paint, Sheet, PAGE_WIDTH};
use crate::typeset::{Face, Typeface};

pub const MARGIN: f32 = 18.0;
pub const BODY_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
pub const BODY_TOP: f32 = 274.0;
pub const BODY_BOTTOM: f32 = 20.0;

pub const SYNTHETIC_MARK: &str = "SYNTHETIC – TRAINING DATA";

/// Size of running text, and its line height in millimetres.
pub const TEXT_PT: f32 = 9.0;
pub const TEXT_LEADING: f32 = 4.4;

/// A section that starts on a page, for the contents list and the PDF outline.
#[derive(Debug, Clone)]
pub struct Chapter {
    pub title: String,
    /// 1-based page number in the finished document (the cover is page 1).
    pub page: usize,
}

/// Body pages under construction. Page 1 (the cover) is made separately, so body page `i`
/// (0-based) becomes page `i + 2`.
pub struct Exhibit<'a> {
    faces: &'a Typeface,
    done: Vec<Vec<Op>>,
    sheet: Sheet<'a>,
    /// Top of the free space on the current page.
    pub y: f32,
    fresh: bool,
    chapters: Vec<Chapter>,
    /// Title of the chapter in progress, repeated as "… (continued)" on its later pages.
    running: Option<String>,
}

impl<'a> Exhibit<'a> {
    pub fn new(faces: &'a Typeface) -> Self {
        Exhibit {
            faces,
            done: Vec::new(),
            sheet: Sheet::new(faces),
            y: BODY_TOP,
            fresh: true,
            chapters: Vec::new(),
            running: None,
        }
    }

    pub fn faces(&self) -> &'a Typeface {
        self.faces
    }

    /// The current page, for drawing. Marks the page as used.
    pub fn sheet(&mut self) -> &mut Sheet<'a> {
        self.fresh = false;
        &mut self.sheet
    }

    /// Number the current page will have in the finished document.
    pub fn page_number(&self) -> usize {
        self.done.len() + 2
    }

    pub fn new_page(&mut self) {
        let full = std::mem::replace(&mut self.sheet, Sheet::new(self.faces));
        self.done.push(full.into_ops());
        self.y = BODY_TOP;
        self.fresh = true;
        if let Some(title) = self.running.clone() {
            self.heading(&format!("{title} (continued)"));
        }
    }

    /// Room left on the current page, in millimetres.
    pub fn room(&self) -> f32 {
        self.y - BODY_BOTTOM
    }

    /// Makes sure `height` millimetres fit, starting a new page if not. Returns true when a
    /// new page was started (callers repeat table headers then).
    pub fn ensure(&mut self, height: f32) -> bool {
        if !self.fresh && height > self.room() {
            self.new_page();
            return true;
        }
        false
    }

    /// Starts a chapter on a fresh page with its title.
    pub fn chapter(&mut self, title: &str) {
        self.running = None;
        if !self.fresh {
            self.new_page();
        }
        self.running = Some(title.to_string());
        self.chapters.push(Chapter {
            title: title.to_string(),
            page: self.page_number(),
        });
        self.heading(title);
    }

    /// A chapter title (also used for "… (continued)" on later pages).
    pub fn heading(&mut self, title: &str) {
        let faces = self.faces;
        let line = faces.truncate(Face::Bold, 15.0, title, BODY_WIDTH);
        let y = self.y - 5.5;
        self.sheet()
            .text(Face::Bold, 15.0, MARGIN, y, &line, Ink::Black);
        self.y -= 10.0;
    }

    /// A sub-heading kept together with at least `keep_with` millimetres of what follows.
    pub fn subheading(&mut self, text: &str, keep_with: f32) {
        self.ensure(6.0 + keep_with);
        let faces = self.faces;
        let line = faces.truncate(Face::Bold, 10.0, &display::one_line(text), BODY_WIDTH);
        let y = self.y - 4.0;
        self.sheet()
            .text(Face::Bold, 10.0, MARGIN, y, &line, Ink::Black);
        self.y -= 6.0;
    }

    /// Wrapped running text, paginated line by line.
    pub fn paragraph(
        &mut self,
        face: Face,
        size_pt: f32,
        leading: f32,
        indent: f32,
        text: &str,
        ink: Ink,
    ) {
        let faces = self.faces;
        let text = faces.printable(face, &text.replace("\r\n", "\n"));
        for line in faces.wrap(face, size_pt, &text, BODY_WIDTH - indent) {
            self.ensure(leading);
            let y = self.y - leading + 1.2;
            self.sheet()
                .text(face, size_pt, MARGIN + indent, y, &line, ink);
            self.y -= leading;
        }
    }

    pub fn space(&mut self, mm: f32) {
        self.y -= mm;
    }

    /// The finished body pages and the chapters that start on them.
    pub fn finish(mut self) -> (Vec<Vec<Op>>, Vec<Chapter>) {
        self.running = None;
        if !self.fresh || self.done.is_empty() {
            self.new_page();
        }
        (self.done, self.chapters)
    }
}

/// Header, footer and (for synthetic data) the marking, for page `page` of `total`.
pub fn frame(faces: &Typeface, input: &ReportInput, page: usize, total: usize) -> Vec<Op> {
    let mut sheet = Sheet::new(faces);
    let right = PAGE_WIDTH - MARGIN;

    if input.synthetic {
        let width = faces.width_mm(Face::Bold, 9.0, SYNTHETIC_MARK) + 8.0;
        sheet.rect(
            (PAGE_WIDTH - width) / 2.0,
            286.0,
            width,
            6.5,
            Paint {
                fill: Some(Ink::White),
                stroke: Some((Ink::Warning, 1.0)),
            },
        );
        sheet.text_centred(
            Face::Bold,
            9.0,
            PAGE_WIDTH / 2.0,
            288.2,
            SYNTHETIC_MARK,
            Ink::Warning,
        );
    }

    let case = format!("Case {}", display::one_line(&input.case.case_id));
    let case = faces.truncate(Face::Bold, 8.0, &case, 80.0);
    sheet.text(Face::Bold, 8.0, MARGIN, 279.5, &case, Ink::Black);
    let title = faces.truncate(
        Face::Regular,
        8.0,
        &display::one_line(&input.case.title),
        88.0,
    );
    sheet.text_right(Face::Regular, 8.0, right, 279.5, &title, Ink::Grey(0.3));
    sheet.line(&[(MARGIN, 277.5), (right, 277.5)], 0.5, Ink::Grey(0.4));

    sheet.line(&[(MARGIN, 15.0), (right, 15.0)], 0.5, Ink::Grey(0.4));
    let made = format!(
        "{} · generated {}",
        display::one_line(&input.tool),
        display::utc(&input.generated_at)
    );
    let made = faces.truncate(Face::Regular, 7.0, &made, 130.0);
    sheet.text(Face::Regular, 7.0, MARGIN, 10.5, &made, Ink::Grey(0.3));
    sheet.text_right(
        Face::Regular,
        8.0,
        right,
        10.5,
        &format!("Page {page} of {total}"),
        Ink::Black,
    );
    sheet.into_ops()
}

/// Height of a wrapped text block, for keeping blocks together.
pub fn wrapped_height(
    faces: &Typeface,
    face: Face,
    size_pt: f32,
    leading: f32,
    text: &str,
    width: f32,
) -> f32 {
    faces
        .wrap(face, size_pt, &faces.printable(face, text), width)
        .len() as f32
        * leading
}
