//! Page 1: what the exhibit is, whose case, who made it and when, and what it contains.

use printpdf::Op;

use crate::display;
use crate::exhibit::{self, Chapter, BODY_WIDTH, MARGIN, SYNTHETIC_MARK};
use crate::model::ReportInput;
use crate::sheet::{Ink, Paint, Sheet, PAGE_WIDTH};
use crate::typeset::{Face, Typeface};

/// What the cover summarises besides the input itself.
pub struct Contents<'c> {
    pub chapters: &'c [Chapter],
    pub total_pages: usize,
}

pub fn page(faces: &Typeface, input: &ReportInput, contents: &Contents) -> Vec<Op> {
    let mut sheet = Sheet::new(faces);
    let mut y = 262.0;

    sheet.text(
        Face::Regular,
        11.0,
        MARGIN,
        y,
        "Blockchain tracing report · case exhibit",
        Ink::Grey(0.3),
    );
    y -= 10.0;
    let title = display::one_line(&input.case.title);
    let lines = faces.wrap(
        Face::Bold,
        20.0,
        &faces.printable(Face::Bold, &title),
        BODY_WIDTH,
    );
    for (i, line) in lines.iter().take(3).enumerate() {
        let line = if i == 2 && lines.len() > 3 {
            faces.truncate(Face::Bold, 20.0, &format!("{line} …"), BODY_WIDTH)
        } else {
            line.clone()
        };
        sheet.text(Face::Bold, 20.0, MARGIN, y, &line, Ink::Black);
        y -= 9.0;
    }
    y -= 3.0;

    if input.synthetic {
        let height = 22.0;
        sheet.rect(
            MARGIN,
            y - height,
            BODY_WIDTH,
            height,
            Paint {
                fill: Some(Ink::Grey(0.93)),
                stroke: Some((Ink::Warning, 2.5)),
            },
        );
        sheet.text_centred(
            Face::Bold,
            20.0,
            PAGE_WIDTH / 2.0,
            y - 10.0,
            SYNTHETIC_MARK,
            Ink::Warning,
        );
        sheet.text_centred(
            Face::Regular,
            8.0,
            PAGE_WIDTH / 2.0,
            y - 17.0,
            "All data in this report is synthetic, generated for training. It describes no real person or payment.",
            Ink::Black,
        );
        y -= height + 8.0;
    }

    let head = input.audit.iter().max_by_key(|e| e.seq).map_or_else(
        || "no entries".to_string(),
        |e| format!("entry {} · {}", e.seq, e.hash),
    );
    let fields = [
        ("Exhibit ID", exhibit::exhibit_id(input)),
        ("Case ID", input.case.case_id.clone()),
        ("Title", input.case.title.clone()),
        ("Examiner", input.case.investigator.clone()),
        ("Agency", input.case.agency.clone()),
        ("Tool", input.tool.clone()),
        ("Build", exhibit::short_build(&input.build)),
        (
            "Case created",
            display::utc_from_rfc3339(&input.case.created_utc),
        ),
        ("Generated (UTC)", display::utc(&input.generated_at)),
        ("Classification", exhibit::classification(input)),
        ("Audit log head", head),
        ("Pages", contents.total_pages.to_string()),
    ];
    let label_width = 34.0;
    for (label, value) in fields {
        sheet.text(Face::Bold, 9.0, MARGIN, y, label, Ink::Grey(0.25));
        let value = display::one_line(&value);
        let face = if label == "Audit log head" || label == "Build" {
            Face::Mono
        } else {
            Face::Regular
        };
        let size = if face == Face::Mono { 7.5 } else { 9.5 };
        let lines = faces.wrap(
            face,
            size,
            &faces.printable(face, &value),
            BODY_WIDTH - label_width,
        );
        for line in lines.iter().take(2) {
            sheet.text(face, size, MARGIN + label_width, y, line, Ink::Black);
            y -= 4.6;
        }
        y -= 1.2;
    }
    y -= 5.0;

    sheet.text(Face::Bold, 11.0, MARGIN, y, "Contents", Ink::Black);
    y -= 6.5;
    let right = MARGIN + BODY_WIDTH;
    for chapter in contents.chapters {
        sheet.text(
            Face::Regular,
            9.0,
            MARGIN + 3.0,
            y,
            &chapter.title,
            Ink::Black,
        );
        sheet.text_right(
            Face::Regular,
            9.0,
            right,
            y,
            &format!("page {}", chapter.page),
            Ink::Black,
        );
        sheet.line(
            &[
                (
                    MARGIN + 5.0 + faces.width_mm(Face::Regular, 9.0, &chapter.title),
                    y + 0.3,
                ),
                (right - 16.0, y + 0.3),
            ],
            0.3,
            Ink::Grey(0.7),
        );
        y -= 4.6;
    }
    sheet.into_ops()
}
