//! PDF/A-2b structure, made in Rust by post-processing printpdf's output with lopdf (no
//! external program). No PDF/A validator runs offline, so this is called "PDF/A-2b structure",
//! not conformance; each point below is checked by a test with `qpdf --json`:
//!
//! * header `%PDF-1.7` followed by a comment of four bytes above 127;
//! * the document information dictionary holds only Title, Author, Subject, Keywords, Creator,
//!   Producer, CreationDate and ModDate (printpdf's PDF/X `GTS_PDFXVersion`, `Trapped` and its
//!   custom `Identifier` are removed); both dates are the generation time;
//! * an XMP metadata stream (uncompressed, `/Type /Metadata /Subtype /XML`) with `pdfaid:part`
//!   2 and `pdfaid:conformance` B whose values equal the information dictionary's;
//! * one output intent, `/S /GTS_PDFA1`, whose DestOutputProfile is the committed sRGB ICC
//!   profile (`assets/icc/sRGB.icc`, `/N 3`); printpdf's PDF/X intents are removed;
//! * no encryption, no JavaScript or additional actions, no embedded files;
//! * the catalog's `/PageMode` a name (printpdf writes a string);
//! * every font embedded (printpdf's subset DejaVu CID fonts with `/FontFile2`);
//! * the trailer `/ID`: the document id of the seal (both halves), derived from the case's
//!   content hash, the settings hash and the generation time (`SOURCE_DATE_EPOCH`), never
//!   from printpdf's process-wide counter.

mod seal;
mod sealed;
mod stated;
mod xmp;

use lopdf::{Dictionary, Document, Object, Stream, StringFormat};

pub use seal::{
    document_id, settings_hash, ExposureAsked, ReportIntegrity, ReportManifest, Seal,
    MANIFEST_FORMAT, MANIFEST_FORMAT_1, MANIFEST_FORMAT_2,
};
pub use sealed::{
    keyed, note_key, printed_rows, row_digest, SealedRow, SealedTable, ROW_DIGEST_HEX,
};
pub use stated::FORMAT_2_TABLES;
pub use xmp::SEAL_NAMESPACE;

use crate::model::ReportInput;
use crate::ReportError;

/// The sRGB profile of the output intent (see `assets/icc/SOURCE.md`).
pub const SRGB_ICC: &[u8] = include_bytes!("../../assets/icc/sRGB.icc");

/// The output condition the intent names.
pub const OUTPUT_CONDITION: &str = "sRGB IEC61966-2.1";

/// Keys of the information dictionary that are kept (each mirrored in the XMP packet).
const INFO_KEYS: [&[u8]; 6] = [
    b"Title",
    b"Author",
    b"Subject",
    b"Keywords",
    b"Creator",
    b"Producer",
];

fn pdf_error(e: lopdf::Error) -> ReportError {
    ReportError::Seal(format!("PDF post-processing: {e}"))
}

/// A PDF text string: PDFDocEncoding/ASCII as is, UTF-16BE after a byte-order mark.
fn decode_text(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        bytes.iter().map(|&b| b as char).collect()
    }
}

fn encode_text(text: &str) -> Object {
    if text.is_ascii() {
        Object::String(text.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        for u in text.encode_utf16() {
            bytes.extend_from_slice(&u.to_be_bytes());
        }
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}

fn uuid(id_hex: &str) -> String {
    let h = id_hex.to_ascii_lowercase();
    format!(
        "uuid:{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// Rewrites printpdf's `bytes` into the PDF/A-2b structure described in the module
/// documentation, sealed with `seal`. Deterministic: the same bytes and seal give the same
/// output.
pub(crate) fn finish(
    bytes: Vec<u8>,
    input: &ReportInput,
    seal: &Seal,
) -> Result<Vec<u8>, ReportError> {
    let mut doc = Document::load_mem(&bytes).map_err(pdf_error)?;
    doc.version = "1.7".to_string();
    doc.binary_mark = vec![0xE2, 0xE3, 0xCF, 0xD3];

    // The information dictionary: printpdf's values, without its PDF/X and custom keys.
    let info_id = doc
        .trailer
        .get(b"Info")
        .and_then(Object::as_reference)
        .map_err(|_| ReportError::Trailer)?;
    let old_info = doc.get_dictionary(info_id).map_err(pdf_error)?.clone();
    let text = |key: &[u8]| -> String {
        old_info
            .get(key)
            .ok()
            .and_then(|o| o.as_str().ok())
            .map(decode_text)
            .unwrap_or_default()
    };
    let values: Vec<(&[u8], String)> = INFO_KEYS.iter().map(|k| (*k, text(k))).collect();
    let when = input.generated_at;
    let pdf_date = format!("D:{}+00'00'", when.format("%Y%m%d%H%M%S"));
    let xmp_date = format!("{}+00:00", when.format("%Y-%m-%dT%H:%M:%S"));
    let mut info = Dictionary::new();
    for (key, value) in &values {
        if !value.is_empty() {
            info.set(key.to_vec(), encode_text(value));
        }
    }
    info.set(
        "CreationDate",
        Object::String(pdf_date.clone().into_bytes(), StringFormat::Literal),
    );
    info.set(
        "ModDate",
        Object::String(pdf_date.into_bytes(), StringFormat::Literal),
    );
    *doc.get_object_mut(info_id).map_err(pdf_error)? = Object::Dictionary(info);

    // The XMP packet, mirroring the information dictionary, with the seal.
    let value = |k: &[u8]| {
        values
            .iter()
            .find(|(key, _)| *key == k)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    let doc_uuid = uuid(&seal.manifest.document_id);
    let packet = xmp::Packet {
        title: value(b"Title"),
        author: value(b"Author"),
        subject: value(b"Subject"),
        keywords: value(b"Keywords"),
        creator_tool: value(b"Creator"),
        producer: value(b"Producer"),
        date: &xmp_date,
        document_id: &doc_uuid,
        manifest_json: &seal.manifest_json,
        manifest_sha256: &seal.manifest_sha256,
    };
    let mut meta = Dictionary::new();
    meta.set("Type", Object::Name(b"Metadata".to_vec()));
    meta.set("Subtype", Object::Name(b"XML".to_vec()));
    let metadata = doc.add_object(Stream::new(meta, packet.to_bytes()).with_compression(false));

    // The sRGB output intent.
    let mut icc_dict = Dictionary::new();
    icc_dict.set("N", Object::Integer(3));
    let mut icc = Stream::new(icc_dict, SRGB_ICC.to_vec());
    icc.compress().map_err(pdf_error)?;
    let icc_id = doc.add_object(icc);
    let mut intent = Dictionary::new();
    intent.set("Type", Object::Name(b"OutputIntent".to_vec()));
    intent.set("S", Object::Name(b"GTS_PDFA1".to_vec()));
    intent.set("OutputConditionIdentifier", encode_text(OUTPUT_CONDITION));
    intent.set("Info", encode_text(OUTPUT_CONDITION));
    intent.set("RegistryName", encode_text("http://www.color.org"));
    intent.set("DestOutputProfile", Object::Reference(icc_id));
    let intent_id = doc.add_object(intent);

    // No JavaScript and no embedded files (PDF/A-2 allows only PDF/A attachments).
    let names = doc
        .catalog()
        .and_then(|c| c.get(b"Names"))
        .and_then(Object::as_reference)
        .ok();
    if let Some(names) = names {
        if let Ok(dict) = doc.get_dictionary_mut(names) {
            dict.remove(b"JavaScript");
            dict.remove(b"EmbeddedFiles");
        }
    }
    let catalog = doc.catalog_mut().map_err(pdf_error)?;
    catalog.remove(b"AA");
    if let Ok(Object::Dictionary(names)) = catalog.get_mut(b"Names") {
        names.remove(b"JavaScript");
        names.remove(b"EmbeddedFiles");
    }
    catalog.set("OutputIntents", vec![Object::Reference(intent_id)]);
    catalog.set("Metadata", Object::Reference(metadata));
    let mode = catalog
        .get(b"PageMode")
        .ok()
        .and_then(|o| o.as_str().or_else(|_| o.as_name()).ok())
        .map(<[u8]>::to_vec);
    if let Some(mode) = mode {
        catalog.set("PageMode", Object::Name(mode));
    }

    // Pages: no additional actions.
    let pages: Vec<lopdf::ObjectId> = doc.get_pages().into_values().collect();
    for page in pages {
        if let Ok(dict) = doc.get_dictionary_mut(page) {
            dict.remove(b"AA");
        }
    }

    let id = hex::decode(&seal.manifest.document_id)
        .map_err(|e| ReportError::Seal(format!("document id: {e}")))?;
    doc.trailer.remove(b"Encrypt");
    doc.trailer.set(
        "ID",
        vec![
            Object::String(id.clone(), StringFormat::Hexadecimal),
            Object::String(id, StringFormat::Hexadecimal),
        ],
    );
    let mut out = Vec::with_capacity(bytes.len() + SRGB_ICC.len() + seal.manifest_json.len());
    doc.save_to(&mut out)
        .map_err(|e| ReportError::Seal(e.to_string()))?;
    Ok(out)
}

/// What a report PDF says about itself: its seal as embedded, and the ids it carries.
#[derive(Debug, Clone, PartialEq)]
pub struct SealReading {
    /// The manifest, parsed from the embedded text (`None` when that text is not a manifest).
    pub manifest: Option<ReportManifest>,
    /// Why the embedded text is not a manifest, when it is not.
    pub manifest_error: Option<String>,
    /// `tbr:manifestSHA256` as stated in the packet.
    pub stated_sha256: String,
    /// SHA-256 of the embedded manifest text as found.
    pub actual_sha256: String,
    /// The trailer /ID (first half), upper-case hex.
    pub trailer_id: Option<String>,
    /// `xmpMM:DocumentID`.
    pub xmp_document_id: Option<String>,
    pub pdfa_part: Option<String>,
    pub pdfa_conformance: Option<String>,
    /// The number of pages in the file: the "y" every page prints in "Page x of y".
    pub pages: usize,
}

impl SealReading {
    /// The XMP document id a report with trailer id `id` must carry.
    pub fn expected_uuid(id: &str) -> String {
        uuid(id)
    }
}

/// Reads the seal of a report PDF (see [`SealReading`]). Fails when the bytes are not a PDF or
/// carry no Tracebench seal.
pub fn read_seal(pdf: &[u8]) -> Result<SealReading, ReportError> {
    use sha2::{Digest, Sha256};
    let doc = Document::load_mem(pdf)
        .map_err(|e| ReportError::Seal(format!("not a readable PDF: {e}")))?;
    let meta_id = doc
        .catalog()
        .and_then(|c| c.get(b"Metadata"))
        .and_then(Object::as_reference)
        .map_err(|_| ReportError::Seal("the PDF has no XMP metadata stream".into()))?;
    let stream = doc
        .get_object(meta_id)
        .and_then(Object::as_stream)
        .map_err(|_| ReportError::Seal("the catalog's /Metadata is not a stream".into()))?;
    let xml = String::from_utf8(stream.content.clone())
        .map_err(|_| ReportError::Seal("the XMP packet is not UTF-8".into()))?;
    let text = xmp::element(&xml, "tbr:manifest").ok_or_else(|| {
        ReportError::Seal(
            "the XMP packet holds no tbr:manifest (not a sealed Tracebench report)".into(),
        )
    })?;
    let stated_sha256 = xmp::element(&xml, "tbr:manifestSHA256")
        .ok_or_else(|| ReportError::Seal("the XMP packet holds no tbr:manifestSHA256".into()))?;
    let actual_sha256 = hex::encode(Sha256::digest(text.as_bytes()));
    let (manifest, manifest_error) = match serde_json::from_str::<ReportManifest>(&text) {
        Ok(m) => (Some(m), None),
        Err(e) => (None, Some(e.to_string())),
    };
    let trailer_id = doc
        .trailer
        .get(b"ID")
        .and_then(Object::as_array)
        .ok()
        .and_then(|a| a.first())
        .and_then(|o| o.as_str().ok())
        .map(hex::encode_upper);
    Ok(SealReading {
        manifest,
        manifest_error,
        stated_sha256,
        actual_sha256,
        trailer_id,
        xmp_document_id: xmp::element(&xml, "xmpMM:DocumentID"),
        pdfa_part: xmp::element(&xml, "pdfaid:part"),
        pdfa_conformance: xmp::element(&xml, "pdfaid:conformance"),
        pages: doc.get_pages().len(),
    })
}
