//! The "Integrity" chapter: the hashes that tie the exhibit to its case — the case's content
//! hash, the audit-log head, the settings hash, the document id and the SHA-256 of the
//! embedded manifest — and the commands that check them.

use crate::exhibit::{Exhibit, TEXT_LEADING, TEXT_PT};
use crate::pdfa::Seal;
use crate::sheet::Ink;
use crate::typeset::Face;

pub const TITLE: &str = "Integrity";

const VALUE_PT: f32 = 8.0;
const LEADING: f32 = 3.9;
/// Small enough that a command with a 64-digit hash fits one line (a copyable command).
const COMMAND_PT: f32 = 6.5;

pub fn write(ex: &mut Exhibit, seal: &Seal) {
    let m = &seal.manifest;
    ex.chapter(TITLE);
    ex.paragraph(
        Face::Regular,
        TEXT_PT,
        TEXT_LEADING,
        0.0,
        "These values tie this exhibit to the case file it was generated from. The content \
         hash is a SHA-256 over a canonical dump of every table of the case (audit-log entries \
         of exports left out); the audit-log head is the hash of the newest logged analyst \
         action before this export, and each entry of the log is chained to the one before. \
         The manifest lists every figure of the transaction table, the clusters and the notes; \
         it is embedded in the PDF's XMP metadata.",
        Ink::Black,
    );
    ex.space(2.0);
    let rows: [(&str, String); 6] = [
        (
            "Case content hash (SHA-256)",
            m.content_hash
                .clone()
                .unwrap_or_else(|| "not supplied by the caller".to_string()),
        ),
        (
            "Audit-log head",
            match (&m.audit_head, m.audit_seq) {
                (Some(h), Some(seq)) => format!("{h} (entry {seq})"),
                (Some(h), None) => h.clone(),
                _ => "the case has no logged action".to_string(),
            },
        ),
        ("Settings hash (SHA-256)", m.settings_hash.clone()),
        ("Document id", m.document_id.clone()),
        ("Manifest SHA-256", seal.manifest_sha256.clone()),
        ("Manifest format", m.format.clone()),
    ];
    for (label, value) in rows {
        ex.paragraph(Face::Bold, VALUE_PT, LEADING, 0.0, label, Ink::Grey(0.2));
        ex.paragraph(Face::Mono, VALUE_PT, LEADING, 4.0, &value, Ink::Black);
        ex.space(1.0);
    }
    ex.space(2.0);
    let head = m.audit_head.as_deref().unwrap_or("HEAD");
    ex.paragraph(
        Face::Regular,
        TEXT_PT,
        TEXT_LEADING,
        0.0,
        "To check this exhibit against the case file, and the case's audit log against \
         truncation after this report was made:",
        Ink::Black,
    );
    ex.paragraph(
        Face::Mono,
        COMMAND_PT,
        LEADING,
        4.0,
        "tracebench report verify --case CASE.tbcase THIS.pdf",
        Ink::Black,
    );
    ex.paragraph(
        Face::Mono,
        COMMAND_PT,
        LEADING,
        4.0,
        &format!("tracebench case verify --case CASE.tbcase --expect-head {head}"),
        Ink::Black,
    );
}
