//! The flowing body of the report: a cursor running down the page that starts a new page when
//! the next block does not fit, plus the frame (header, footer, synthetic marking) every page
//! gets once the page count is known.

use printpdf::Op;

use crate::display;
use crate::model::{Paper, ReportInput};
use crate::sheet::{lift, Ink, Paint, Sheet, PAGE_WIDTH};
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
    /// Lowest y the body may use (higher on US Letter, which is shorter than A4).
    bottom: f32,
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
    pub fn new(faces: &'a Typeface, paper: Paper) -> Self {
        Exhibit {
            faces,
            bottom: BODY_BOTTOM + lift(paper),
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
        self.y - self.bottom
    }

    /// Lowest y the body may use on this paper.
    pub fn bottom(&self) -> f32 {
        self.bottom
    }

    /// Text in one of the four voices of the report, its tag in the left column and its
    /// margin mark beside every line (so the mark follows the text onto the next page).
    pub fn claim(&mut self, voice: Voice, text: &str) {
        let faces = self.faces;
        let text = faces.printable(Face::Regular, &text.replace("\r\n", "\n"));
        let lines = faces.wrap(Face::Regular, CLAIM_PT, &text, BODY_WIDTH - CLAIM_INDENT);
        for (i, line) in lines.iter().enumerate() {
            if i == 0 {
                self.ensure(CLAIM_LEADING * lines.len().min(2) as f32);
            } else {
                self.ensure(CLAIM_LEADING);
            }
            let top = self.y;
            let base = top - CLAIM_LEADING + 1.1;
            let sheet = self.sheet();
            if i == 0 {
                sheet.text(
                    Face::Bold,
                    5.8,
                    MARGIN + 3.2,
                    base + 0.2,
                    voice.tag(),
                    Ink::Grey(0.3),
                );
            }
            sheet.text(
                Face::Regular,
                CLAIM_PT,
                MARGIN + CLAIM_INDENT,
                base,
                line,
                voice.ink(),
            );
            voice.mark(sheet, top, top - CLAIM_LEADING);
            self.y -= CLAIM_LEADING;
        }
        self.y -= 1.2;
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

/// The four kinds of statement the report keeps apart, each with its own tag and margin mark
/// (readable in greyscale: the tag is text, the marks differ in shape).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Voice {
    /// On-chain data as the source returned it: no mark.
    Fact,
    /// What a heuristic or model concluded: a dashed bar.
    Inference,
    /// What a third party says: a solid grey bar.
    Attribution,
    /// The analyst's own words: a double bar.
    Note,
}

const CLAIM_PT: f32 = 8.5;
const CLAIM_LEADING: f32 = 4.1;
const CLAIM_INDENT: f32 = 24.0;

impl Voice {
    pub const ALL: [Voice; 4] = [
        Voice::Fact,
        Voice::Inference,
        Voice::Attribution,
        Voice::Note,
    ];

    pub fn tag(self) -> &'static str {
        match self {
            Voice::Fact => "FACT",
            Voice::Inference => "INFERENCE",
            Voice::Attribution => "ATTRIBUTION",
            Voice::Note => "ANALYST NOTE",
        }
    }

    /// What the style means, for the reading guide.
    pub fn meaning(self) -> &'static str {
        match self {
            Voice::Fact => {
                "On-chain data exactly as the source returned it (txid, block, time, amounts). \
                 No margin mark."
            }
            Voice::Inference => {
                "A conclusion drawn by a named heuristic or model, with its confidence. It can be \
                 wrong and is marked by a dashed bar in the margin."
            }
            Voice::Attribution => {
                "A claim by a third party (sanctions list, label pack, exchange records), with its \
                 source, date and confidence. Marked by a solid grey bar."
            }
            Voice::Note => {
                "The analyst's own observation or opinion, recorded in the case. Marked by a \
                 double bar."
            }
        }
    }

    fn ink(self) -> Ink {
        match self {
            Voice::Fact | Voice::Note => Ink::Black,
            Voice::Inference | Voice::Attribution => Ink::Grey(0.2),
        }
    }

    /// The margin mark beside one line, from `top` down to `bottom`.
    pub fn mark(self, sheet: &mut Sheet, top: f32, bottom: f32) {
        let x = MARGIN + 1.0;
        match self {
            Voice::Fact => {}
            Voice::Inference => {
                sheet.dashed(true);
                sheet.line(&[(x, top), (x, bottom)], 1.2, Ink::Grey(0.35));
                sheet.dashed(false);
            }
            Voice::Attribution => sheet.line(&[(x, top), (x, bottom)], 1.8, Ink::Grey(0.6)),
            Voice::Note => {
                sheet.line(&[(x - 0.6, top), (x - 0.6, bottom)], 0.6, Ink::Black);
                sheet.line(&[(x + 0.6, top), (x + 0.6, bottom)], 0.6, Ink::Black);
            }
        }
    }
}

/// The exhibit id printed on every page: the one set, or "<case id>-EX1".
pub fn exhibit_id(input: &ReportInput) -> String {
    let set = display::one_line(input.settings.exhibit_id.trim());
    if set.is_empty() {
        format!("{}-EX1", display::one_line(&input.case.case_id))
    } else {
        set
    }
}

/// The classification marking: the one set, or the default.
pub fn classification(input: &ReportInput) -> String {
    let set = display::one_line(input.settings.classification.trim());
    if set.is_empty() {
        crate::model::DEFAULT_CLASSIFICATION.to_string()
    } else {
        set
    }
}

/// Header, footer, classification and (for synthetic data) the marking, for page `page` of
/// `total`. Drawn in A4 coordinates; on US Letter the footer is lifted by [`lift`].
pub fn frame(faces: &Typeface, input: &ReportInput, page: usize, total: usize) -> Vec<Op> {
    let mut sheet = Sheet::new(faces);
    let right = PAGE_WIDTH - MARGIN;
    let low = lift(input.settings.paper);

    let marking = faces.truncate(Face::Bold, 7.5, &classification(input), 170.0);
    sheet.text_centred(
        Face::Bold,
        7.5,
        PAGE_WIDTH / 2.0,
        290.3,
        &marking,
        Ink::Black,
    );

    if input.synthetic {
        let width = faces.width_mm(Face::Bold, 8.5, SYNTHETIC_MARK) + 8.0;
        sheet.rect(
            (PAGE_WIDTH - width) / 2.0,
            282.4,
            width,
            5.6,
            Paint {
                fill: Some(Ink::White),
                stroke: Some((Ink::Warning, 1.0)),
            },
        );
        sheet.text_centred(
            Face::Bold,
            8.5,
            PAGE_WIDTH / 2.0,
            284.2,
            SYNTHETIC_MARK,
            Ink::Warning,
        );
    }

    let id = format!(
        "Exhibit {} · Case {}",
        exhibit_id(input),
        display::one_line(&input.case.case_id)
    );
    let id = faces.truncate(Face::Bold, 8.0, &id, 120.0);
    sheet.text(Face::Bold, 8.0, MARGIN, 279.3, &id, Ink::Black);
    sheet.text_right(
        Face::Bold,
        8.0,
        right,
        279.3,
        &format!("Page {page} of {total}"),
        Ink::Black,
    );
    sheet.line(&[(MARGIN, 277.5), (right, 277.5)], 0.5, Ink::Grey(0.4));

    sheet.line(
        &[(MARGIN, 15.0 + low), (right, 15.0 + low)],
        0.5,
        Ink::Grey(0.4),
    );
    let made = format!(
        "{} (build {}) · generated {}",
        display::one_line(&input.tool),
        short_build(&input.build),
        display::utc(&input.generated_at)
    );
    let made = faces.truncate(Face::Regular, 7.0, &made, 110.0);
    sheet.text(
        Face::Regular,
        7.0,
        MARGIN,
        10.5 + low,
        &made,
        Ink::Grey(0.3),
    );
    let title = faces.truncate(
        Face::Regular,
        7.0,
        &display::one_line(&input.case.title),
        60.0,
    );
    sheet.text_right(
        Face::Regular,
        7.0,
        right,
        10.5 + low,
        &title,
        Ink::Grey(0.3),
    );
    sheet.into_ops()
}

/// The first twelve characters of a commit hash; other text as given.
pub fn short_build(build: &str) -> String {
    let build = display::one_line(build.trim());
    if build.is_empty() {
        return "unknown".to_string();
    }
    if build.len() == 40 && build.chars().all(|c| c.is_ascii_hexdigit()) {
        build[..12].to_string()
    } else {
        build
    }
}
