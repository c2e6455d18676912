//! The audit-log excerpt: every logged analyst action but exports, with user, UTC time and the
//! entry's hash, and the head hash to check the case against.

use crate::display;
use crate::exhibit::{Exhibit, MARGIN, TEXT_LEADING, TEXT_PT};
use crate::model::ReportAuditEntry;
use crate::sheet::Ink;
use crate::typeset::Face;

pub const TITLE: &str = "Appendix D · Audit log excerpt";

const LEADING: f32 = 3.4;
/// Longest detail shown, in characters; longer details end in "…".
const DETAIL_CHARS: usize = 300;

pub fn write(ex: &mut Exhibit, entries: &[ReportAuditEntry]) {
    ex.chapter(TITLE);
    ex.paragraph(
        Face::Regular,
        TEXT_PT,
        TEXT_LEADING,
        0.0,
        "Every analyst action on the case is appended to a hash-chained log in the same database \
         transaction as the action: each entry's SHA-256 covers its sequence number, UTC time, \
         user, action, detail and the previous entry's hash. Exports are left out of this \
         excerpt (they do not change the evidence), so exporting again does not change the \
         report. Details longer than 300 characters are cut (…); the case file holds them whole.",
        Ink::Black,
    );
    ex.space(2.0);
    let Some(head) = entries.iter().max_by_key(|e| e.seq) else {
        ex.paragraph(
            Face::Regular,
            TEXT_PT,
            TEXT_LEADING,
            0.0,
            "The case's audit log holds no entry besides exports.",
            Ink::Black,
        );
        return;
    };
    ex.paragraph(
        Face::Bold,
        8.0,
        3.8,
        0.0,
        &format!(
            "Head of this excerpt: entry {} · SHA-256 {}",
            head.seq,
            display::one_line(&head.hash)
        ),
        Ink::Black,
    );
    ex.paragraph(
        Face::Regular,
        8.0,
        3.8,
        0.0,
        &format!(
            "To check that the case still holds this log: tracebench case verify --case CASE \
             --expect-head {}",
            display::one_line(&head.hash)
        ),
        Ink::Black,
    );
    ex.space(2.5);
    let mut ordered: Vec<&ReportAuditEntry> = entries.iter().collect();
    ordered.sort_by_key(|e| e.seq);
    for entry in ordered {
        ex.ensure(3.0 * LEADING);
        let top = ex.y;
        let line = format!(
            "#{} · {} · {} · {}",
            entry.seq,
            display::utc_from_rfc3339(&entry.at_utc),
            display::one_line(&entry.user),
            display::one_line(&entry.action)
        );
        let hash = format!("sha256 {}", display::one_line(&entry.hash));
        let sheet = ex.sheet();
        sheet.text(
            Face::Bold,
            7.0,
            MARGIN,
            top - LEADING + 1.0,
            &line,
            Ink::Black,
        );
        sheet.text_right(
            Face::Mono,
            5.5,
            MARGIN + crate::exhibit::BODY_WIDTH,
            top - LEADING + 1.0,
            &hash,
            Ink::Grey(0.3),
        );
        ex.y -= LEADING;
        let mut detail: String = display::one_line(&entry.detail);
        if detail.chars().count() > DETAIL_CHARS {
            detail = detail.chars().take(DETAIL_CHARS).collect::<String>() + "…";
        }
        ex.paragraph(Face::Mono, 6.0, 2.9, 4.0, &detail, Ink::Grey(0.2));
        ex.space(1.2);
    }
}
