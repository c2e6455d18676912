//! The PDF/A-2b structure (checked point by point with `qpdf --json`, as no validator runs
//! offline), the seal (manifest, settings hash, document id) and the "Integrity" chapter.

use std::collections::BTreeMap;
use std::process::Command;

use serde_json::Value;
use tracebench_report::{
    keyed, read_seal, render_pdf, row_digest, ReportIntegrity, ReportManifest, ReportStoryStep,
    Seal, SealReading, SealedTable, Section, MANIFEST_FORMAT, ROW_DIGEST_HEX, SRGB_ICC,
};

use crate::fixture;
use crate::poppler::{self, Rendered};

const CONTENT: &str = "3f0c6a1d2b9e8f7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b";
const HEAD: &str = "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b";

/// The fixture with the integrity block a case would supply.
fn sealed_input() -> tracebench_report::ReportInput {
    let mut input = fixture::input(true);
    input.integrity = Some(ReportIntegrity {
        content_hash: CONTENT.to_string(),
        audit_head: Some(HEAD.to_string()),
        audit_seq: Some(7),
    });
    input
}

/// `qpdf --json` of the file, stream data inline (base64, filters decoded): the objects by
/// "obj:N G R" key, plus "trailer".
fn qpdf_objects(r: &Rendered) -> BTreeMap<String, Value> {
    let out = Command::new("qpdf")
        .args([
            "--json",
            "--json-key=qpdf",
            "--json-stream-data=inline",
            "--decode-level=generalized",
        ])
        .arg(&r.path)
        .output()
        .expect("qpdf must be installed (scripts/setup.sh installs it)");
    assert!(
        out.status.success(),
        "qpdf must read the report: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("qpdf prints JSON");
    v["qpdf"][1]
        .as_object()
        .expect("qpdf's second element holds the objects")
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// The value of a direct object, or the dictionary of a stream.
fn dict<'a>(objects: &'a BTreeMap<String, Value>, reference: &Value) -> &'a Value {
    let key = format!("obj:{}", reference.as_str().expect("a reference"));
    let o = &objects[&key];
    if o.get("stream").is_some() {
        &o["stream"]["dict"]
    } else {
        &o["value"]
    }
}

fn stream_data(objects: &BTreeMap<String, Value>, reference: &Value) -> Vec<u8> {
    let key = format!("obj:{}", reference.as_str().expect("a reference"));
    let b64 = objects[&key]["stream"]["data"]
        .as_str()
        .expect("stream data inline");
    // base64 decoding without another dependency: qpdf's standard alphabet.
    let table = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => (c - b'A') as u32,
            b'a'..=b'z' => (c - b'a' + 26) as u32,
            b'0'..=b'9' => (c - b'0' + 52) as u32,
            b'+' => 62,
            b'/' => 63,
            _ => 0,
        }
    };
    let mut out = Vec::new();
    let bytes: Vec<u8> = b64.bytes().filter(|c| !c.is_ascii_whitespace()).collect();
    for chunk in bytes.chunks(4) {
        let pad = chunk.iter().filter(|&&c| c == b'=').count();
        let n = chunk.iter().fold(0u32, |acc, &c| (acc << 6) | table(c)) << (6 * (4 - chunk.len()));
        let three = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&three[..3 - pad]);
    }
    out
}

fn catalog(objects: &BTreeMap<String, Value>) -> &Value {
    dict(objects, &objects["trailer"]["value"]["/Root"])
}

/// An XMP element's text.
fn xmp_element(xml: &str, tag: &str) -> String {
    let open = format!("<{tag}>");
    let start = xml
        .find(&open)
        .unwrap_or_else(|| panic!("the XMP packet has <{tag}>"))
        + open.len();
    let end = start + xml[start..].find(&format!("</{tag}>")).expect("closed");
    xml[start..end].to_string()
}

fn xmp(objects: &BTreeMap<String, Value>) -> String {
    let meta = &catalog(objects)["/Metadata"];
    String::from_utf8(stream_data(objects, meta)).expect("XMP is UTF-8")
}

/// "D:20240503140509+00'00'" → "2024-05-03T14:05:09+00:00".
fn pdf_date_as_xmp(d: &str) -> String {
    let d = d.trim_start_matches("u:").trim_start_matches("D:");
    format!(
        "{}-{}-{}T{}:{}:{}+00:00",
        &d[0..4],
        &d[4..6],
        &d[6..8],
        &d[8..10],
        &d[10..12],
        &d[12..14]
    )
}

#[test]
fn header_is_pdf_1_7_with_a_binary_comment() {
    let r = poppler::render(&sealed_input());
    assert!(
        r.bytes.starts_with(b"%PDF-1.7\n%"),
        "PDF/A-2 needs a header of version 1.7 or lower, got {:?}",
        String::from_utf8_lossy(&r.bytes[..12])
    );
    let second = &r.bytes[10..14];
    assert!(
        second.iter().all(|&b| b > 127),
        "the second line must be a comment of four bytes above 127 (binary file marker): {second:?}"
    );
    let check = Command::new("qpdf")
        .arg("--check")
        .arg(&r.path)
        .output()
        .expect("qpdf");
    assert!(
        check.status.success(),
        "qpdf --check must find no damage: {}",
        String::from_utf8_lossy(&check.stdout)
    );
}

#[test]
fn info_dictionary_is_plain_and_mirrored_in_the_xmp_packet() {
    let r = poppler::render(&sealed_input());
    let objects = qpdf_objects(&r);
    let info = dict(&objects, &objects["trailer"]["value"]["/Info"]);
    let keys: Vec<&String> = info
        .as_object()
        .expect("Info is a dictionary")
        .keys()
        .collect();
    assert_eq!(
        keys,
        vec![
            "/Author",
            "/CreationDate",
            "/Creator",
            "/Keywords",
            "/ModDate",
            "/Producer",
            "/Subject",
            "/Title"
        ],
        "only standard keys: printpdf's PDF/X GTS_PDFXVersion, Trapped and Identifier must be gone"
    );
    let text = |k: &str| {
        info[k]
            .as_str()
            .expect("a string")
            .trim_start_matches("u:")
            .to_string()
    };
    let xml = xmp(&objects);
    assert_eq!(xmp_element(&xml, "pdfaid:part"), "2", "PDF/A part 2");
    assert_eq!(xmp_element(&xml, "pdfaid:conformance"), "B", "level B");
    assert_eq!(
        xmp_element(&xml, "xmp:CreateDate"),
        pdf_date_as_xmp(&text("/CreationDate")),
        "xmp:CreateDate must equal the Info CreationDate"
    );
    assert_eq!(
        xmp_element(&xml, "xmp:ModifyDate"),
        pdf_date_as_xmp(&text("/ModDate")),
        "xmp:ModifyDate must equal the Info ModDate"
    );
    assert_eq!(
        xmp_element(&xml, "xmp:CreateDate"),
        "2024-05-03T14:05:09+00:00",
        "the dates are the generation time"
    );
    let title = xmp_element(&xml, "dc:title");
    assert!(
        title.contains(&format!(">{}<", text("/Title"))),
        "dc:title must hold the Info Title {:?}: {title}",
        text("/Title")
    );
    assert!(
        text("/Title").contains("Müller"),
        "non-ASCII titles survive the rewrite: {}",
        text("/Title")
    );
    assert_eq!(
        xmp_element(&xml, "xmp:CreatorTool"),
        text("/Creator"),
        "xmp:CreatorTool equals Info Creator"
    );
    assert_eq!(
        xmp_element(&xml, "pdf:Producer"),
        text("/Producer"),
        "pdf:Producer equals Info Producer"
    );
    assert_eq!(
        xmp_element(&xml, "pdf:Keywords"),
        text("/Keywords"),
        "pdf:Keywords equals Info Keywords"
    );
    let meta_dict = dict(&objects, &catalog(&objects)["/Metadata"]);
    assert_eq!(meta_dict["/Type"], "/Metadata", "a metadata stream");
    assert_eq!(meta_dict["/Subtype"], "/XML", "of subtype XML");
    assert!(
        meta_dict.get("/Filter").is_none(),
        "the XMP stream is left uncompressed: {meta_dict}"
    );
}

#[test]
fn output_intent_is_srgb_with_the_committed_profile() {
    let r = poppler::render(&sealed_input());
    let objects = qpdf_objects(&r);
    let root = catalog(&objects);
    let intents = root["/OutputIntents"]
        .as_array()
        .expect("the catalog has /OutputIntents");
    assert_eq!(intents.len(), 1, "exactly one output intent: {intents:?}");
    let intent = dict(&objects, &intents[0]);
    assert_eq!(intent["/S"], "/GTS_PDFA1", "a PDF/A intent, not PDF/X");
    assert_eq!(
        intent["/OutputConditionIdentifier"], "u:sRGB IEC61966-2.1",
        "names the sRGB condition"
    );
    let profile = &intent["/DestOutputProfile"];
    assert_eq!(dict(&objects, profile)["/N"], 3, "an RGB profile has N 3");
    assert_eq!(
        stream_data(&objects, profile),
        SRGB_ICC,
        "the embedded profile is the committed assets/icc/sRGB.icc"
    );
    assert_eq!(
        root["/PageMode"], "/UseOutlines",
        "PageMode must be a name (printpdf writes a string)"
    );
    for forbidden in ["/AA", "/OpenAction", "/AcroForm"] {
        assert!(
            root.get(forbidden).is_none(),
            "no {forbidden} in the catalog"
        );
    }
    assert!(
        objects["trailer"]["value"].get("/Encrypt").is_none(),
        "PDF/A forbids encryption"
    );
    let gts_pdfx = objects.values().any(|o| o.to_string().contains("GTS_PDFX"));
    assert!(!gts_pdfx, "nothing of printpdf's PDF/X markers is left");
}

#[test]
fn every_font_is_embedded() {
    let r = poppler::render(&sealed_input());
    let objects = qpdf_objects(&r);
    let mut fonts = 0;
    for o in objects.values() {
        let v = &o["value"];
        if v["/Type"] == "/Font" && v["/Subtype"] == "/Type0" {
            fonts += 1;
            let descendant = &v["/DescendantFonts"][0];
            let cid = if descendant.is_string() {
                dict(&objects, descendant)
            } else {
                descendant
            };
            let descriptor = dict(&objects, &cid["/FontDescriptor"]);
            assert!(
                descriptor.get("/FontFile2").is_some(),
                "font {} must carry its program: {descriptor}",
                v["/BaseFont"]
            );
            assert_eq!(
                cid["/CIDToGIDMap"], "/Identity",
                "a CIDFontType2 needs a CIDToGIDMap"
            );
        } else if v["/Type"] == "/Font" {
            panic!("only embedded Type0 fonts are expected, found {v}");
        }
    }
    assert!(fonts >= 3, "the three DejaVu faces are used: {fonts}");
    let pdffonts = poppler::run("pdffonts", &[], &r.path);
    for line in pdffonts.lines().skip(2) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        assert!(
            cols.iter().rev().nth(4) == Some(&"yes"),
            "pdffonts must report every font embedded: {line}"
        );
    }
}

#[test]
fn trailer_id_and_xmp_document_id_come_from_the_seal() {
    let input = sealed_input();
    let r = poppler::render(&input);
    let objects = qpdf_objects(&r);
    let manifest = ReportManifest::of(&input).expect("manifest");
    let ids = objects["trailer"]["value"]["/ID"]
        .as_array()
        .expect("trailer /ID");
    let want = format!("b:{}", manifest.document_id.to_lowercase());
    assert_eq!(ids.len(), 2, "two halves");
    assert_eq!(ids[0], want.as_str(), "first half is the document id");
    assert_eq!(ids[1], want.as_str(), "second half too (never modified)");
    let xml = xmp(&objects);
    assert_eq!(
        xmp_element(&xml, "xmpMM:DocumentID"),
        SealReading::expected_uuid(&manifest.document_id),
        "the XMP document id is the same id as a UUID"
    );
    assert_eq!(
        manifest.document_id,
        tracebench_report::document_id(
            Some(CONTENT),
            &manifest.settings_hash,
            input.generated_at.timestamp()
        ),
        "the id derives from the content hash, the settings hash and the generation time"
    );
}

#[test]
fn document_id_moves_with_each_of_its_inputs() {
    let base = sealed_input();
    let id =
        |i: &tracebench_report::ReportInput| ReportManifest::of(i).expect("manifest").document_id;
    let mut other_case = base.clone();
    other_case.integrity.as_mut().expect("set").content_hash = HEAD.to_string();
    let mut other_time = base.clone();
    other_time.generated_at += chrono::Duration::seconds(1);
    let mut other_settings = base.clone();
    other_settings.label_packs = Some("ofac 2024-05-01".to_string());
    assert_ne!(
        id(&base),
        id(&other_case),
        "another content hash, another id"
    );
    assert_ne!(
        id(&base),
        id(&other_time),
        "another SOURCE_DATE_EPOCH, another id"
    );
    assert_ne!(id(&base), id(&other_settings), "other settings, another id");
    let mut other_head = base.clone();
    other_head.integrity.as_mut().expect("set").audit_head = Some(CONTENT.to_string());
    assert_eq!(
        id(&base),
        id(&other_head),
        "the audit head is printed but the id derives only from content, settings and time"
    );
}

#[test]
fn two_renders_in_one_process_are_byte_identical() {
    let input = sealed_input();
    let a = render_pdf(&input).expect("renders");
    let b = render_pdf(&input).expect("renders");
    assert!(a == b, "the sealed PDF/A rewrite must stay deterministic");
}

#[test]
fn the_seal_reads_back_and_a_changed_manifest_byte_is_caught() {
    let input = sealed_input();
    let r = poppler::render(&input);
    let seal = read_seal(&r.bytes).expect("the report carries a seal");
    let manifest = seal.manifest.clone().expect("the manifest parses");
    assert_eq!(manifest.format, MANIFEST_FORMAT, "the manifest format");
    assert_eq!(
        manifest,
        ReportManifest::of(&input).expect("manifest"),
        "the embedded manifest is exactly what the input states"
    );
    assert_eq!(
        seal.stated_sha256, seal.actual_sha256,
        "the stated manifest hash matches its text"
    );
    assert_eq!(
        seal.trailer_id.as_deref(),
        Some(manifest.document_id.as_str()),
        "the trailer id is the manifest's document id"
    );
    assert_eq!(
        seal.pdfa_part.as_deref(),
        Some("2"),
        "pdfaid:part read back"
    );

    // One digit of the first transaction row's sealed digest, changed in place.
    let row = serde_json::to_string(&input.transactions[0]).expect("row JSON");
    let mut tampered = r.bytes.clone();
    let needle = format!(
        "\"{}\":\"{}\"",
        input.transactions[0].txid,
        row_digest(&row)
    );
    let at = tampered
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
        .expect("the manifest seals the first transaction row by its txid and digest");
    let digit = at + needle.len() - 2;
    tampered[digit] = if tampered[digit] == b'1' { b'2' } else { b'1' };
    let seal = read_seal(&tampered).expect("still a readable PDF");
    assert_ne!(
        seal.stated_sha256, seal.actual_sha256,
        "a changed manifest byte no longer matches the stated hash"
    );
}

#[test]
fn non_ascii_story_titles_survive_the_manifest() {
    let mut input = sealed_input();
    let title = "Zahlung an Müller & Söhne <GmbH> – 😀 \"quoted\"";
    input.story.push(ReportStoryStep {
        title: title.to_string(),
        ..ReportStoryStep::default()
    });
    let r = poppler::render(&input);
    let seal = read_seal(&r.bytes).expect("seal");
    let text = String::from_utf8_lossy(&r.bytes).into_owned();
    let manifest = text
        .split("<tbr:manifest>")
        .nth(1)
        .and_then(|rest| rest.split("</tbr:manifest>").next())
        .expect("the XMP packet holds the manifest as element text");
    assert!(
        manifest.is_ascii() && manifest.contains("M\\u00fcller"),
        "the manifest in the XMP packet is ASCII only (non-ASCII escaped as \\uXXXX)"
    );
    let steps = seal.manifest.expect("parses").tables["story step"].clone();
    assert_eq!(
        steps.digests.keys().cloned().collect::<Vec<_>>(),
        vec![format!("1: {title}")],
        "escaped JSON in XML gives back the exact step title as the row's key"
    );
}

#[test]
fn the_manifest_seals_only_the_printed_chapters() {
    let mut input = sealed_input();
    let txid = input.transactions[0].txid.clone();
    let full = Seal::of(&input).expect("seal");
    assert_eq!(
        full.manifest.tables["transaction"].rows,
        input.transactions.len() as u64,
        "with the appendix printed, every transaction row is sealed"
    );
    assert!(
        full.manifest_json.contains(&txid),
        "a printed transaction row is sealed under its txid"
    );
    input.settings.omit.insert(Section::Transactions);
    input.settings.omit.insert(Section::Narrative);
    input.settings.omit.insert(Section::Figures);
    let short = Seal::of(&input).expect("seal");
    assert!(
        !short.manifest.tables.contains_key("transaction"),
        "without the appendix no transaction table is sealed: {:?}",
        short.manifest.tables.keys()
    );
    assert!(
        !short.manifest_json.contains(&txid),
        "a txid the exhibit does not print is not in its manifest"
    );
    assert_eq!(
        short.manifest.omit, input.settings.omit,
        "the manifest names the chapters left out, so verify derives the same ones"
    );
    assert_eq!(
        short.manifest.format, MANIFEST_FORMAT,
        "the compact manifest is format 3"
    );
}

#[test]
fn each_sealed_row_digest_is_the_digest_of_its_json() {
    let input = sealed_input();
    let seal = Seal::of(&input).expect("seal");
    let rows = keyed(&input.transactions, |_, t| t.txid.clone()).expect("rows");
    assert_eq!(
        seal.manifest.tables["transaction"],
        SealedTable::of(&rows),
        "the transaction table is sealed row by row from the printed rows"
    );
    let mut changed = input.clone();
    changed.transactions[0].output_sat += 1;
    let after = Seal::of(&changed).expect("seal");
    let before_row = &seal.manifest.tables["transaction"].digests[&input.transactions[0].txid];
    let after_row = &after.manifest.tables["transaction"].digests[&input.transactions[0].txid];
    assert_ne!(
        before_row, after_row,
        "a changed amount changes that row's digest, so verify can name the txid"
    );
    assert_eq!(
        before_row.len(),
        ROW_DIGEST_HEX,
        "row digests are 128-bit prefixes"
    );
}

#[test]
fn the_integrity_chapter_prints_every_hash() {
    let input = sealed_input();
    let r = poppler::render(&input);
    let seal = read_seal(&r.bytes).expect("seal");
    let manifest = seal.manifest.expect("parses");
    let text = poppler::pages(&r.path).join("\n");
    assert!(text.contains("Integrity"), "the chapter is there");
    for (what, value) in [
        ("content hash", CONTENT),
        ("audit head", HEAD),
        ("settings hash", manifest.settings_hash.as_str()),
        ("document id", manifest.document_id.as_str()),
        ("manifest hash", seal.stated_sha256.as_str()),
    ] {
        assert!(
            text.contains(value),
            "the {what} {value} must be printed as text"
        );
    }
    assert!(
        text.contains(&format!("--expect-head {HEAD}")),
        "the case-verify command with the head is printed"
    );
    let plain = poppler::pages(&poppler::render(&fixture::input(true)).path).join("\n");
    assert!(
        !plain.contains("Case content hash"),
        "without integrity data from a case the chapter is left out"
    );
}
