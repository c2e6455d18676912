//! The demo exhibit as an opposing expert receives it: the case travels as a bundle to another
//! machine (another data dir, no network), the report regenerated there under the same
//! `SOURCE_DATE_EPOCH` is the same file byte for byte, `report verify` matches, the exhibit has
//! the PDF/A-2b structure point by point, and every kind of tampering with the case is caught by
//! `case verify` from the command line.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{demo, json, run_ok, tracebench};

const EPOCH: &str = "1767225600";

/// The demo case with one report written by `tracebench report` (labels screened, settings
/// stored), as the examiner would have it when the exhibit is filed. Returns (case, pdf).
fn filed_exhibit(dir: &Path) -> (PathBuf, PathBuf) {
    let summary = demo(dir);
    let case = PathBuf::from(summary["case"].as_str().unwrap());
    let pdf = dir.join("exhibit.pdf");
    run_ok(
        tracebench(dir)
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .args([
                "report",
                "--offline",
                "--exhibit-id",
                "EX-7",
                "--question",
                "Where did the ransom go?",
                "--case",
            ])
            .arg(&case)
            .arg("--out")
            .arg(&pdf),
    );
    (case, pdf)
}

#[test]
fn a_bundled_case_regenerates_the_exhibit_byte_for_byte_on_another_machine() {
    let examiner = tempfile::tempdir().unwrap();
    let (case, pdf) = filed_exhibit(examiner.path());
    let bundle = examiner.path().join("case.tbbundle");
    run_ok(
        tracebench(examiner.path())
            .args(["case", "export", "--case"])
            .arg(&case)
            .arg("--out")
            .arg(&bundle),
    );

    // The opposing expert: a fresh data and config dir, the bundle and the PDF only.
    let expert = tempfile::tempdir().unwrap();
    let imported = expert.path().join("received.tbcase");
    run_ok(
        tracebench(expert.path())
            .args(["case", "import"])
            .arg(&bundle)
            .arg("--out")
            .arg(&imported),
    );
    let verdict = json(&run_ok(
        tracebench(expert.path())
            .args(["report", "verify", "--json", "--case"])
            .arg(&imported)
            .arg(&pdf),
    ));
    assert_eq!(
        verdict["ok"], true,
        "every figure of the filed exhibit re-derives from the received case: {verdict}"
    );
    let again = expert.path().join("again.pdf");
    run_ok(
        tracebench(expert.path())
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .args(["report", "--offline", "--case"])
            .arg(&imported)
            .arg("--out")
            .arg(&again),
    );
    let (a, b) = (std::fs::read(&pdf).unwrap(), std::fs::read(&again).unwrap());
    let first_difference = a.iter().zip(&b).position(|(x, y)| x != y);
    assert!(
        a == b,
        "the same case (stored settings included) and the same SOURCE_DATE_EPOCH give the same \
         bytes on another machine: {} vs {} bytes, first difference at byte {first_difference:?}",
        a.len(),
        b.len()
    );
}

/// `qpdf --json` of a PDF: the objects by "obj:N G R" key plus "trailer".
fn qpdf_objects(pdf: &Path) -> serde_json::Map<String, serde_json::Value> {
    let out = Command::new("qpdf")
        .args(["--json", "--json-key=qpdf"])
        .arg(pdf)
        .output()
        .expect("qpdf must be installed (scripts/setup.sh installs it)");
    assert!(out.status.success(), "qpdf reads the exhibit");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["qpdf"][1].as_object().unwrap().clone()
}

fn value<'a>(
    objects: &'a serde_json::Map<String, serde_json::Value>,
    reference: &serde_json::Value,
) -> &'a serde_json::Value {
    let o = &objects[&format!("obj:{}", reference.as_str().expect("a reference"))];
    o.get("stream").map_or(&o["value"], |s| &s["dict"])
}

/// The text between `<tag>` and `</tag>` in the XMP packet.
fn element<'a>(xml: &'a str, tag: &str) -> &'a str {
    let open = format!("<{tag}>");
    let start = xml
        .find(&open)
        .unwrap_or_else(|| panic!("the XMP packet has <{tag}>"))
        + open.len();
    let end = start + xml[start..].find(&format!("</{tag}>")).unwrap();
    &xml[start..end]
}

#[test]
fn the_demo_exhibit_has_the_pdf_a_2b_structure() {
    let dir = tempfile::tempdir().unwrap();
    let (_, pdf) = filed_exhibit(dir.path());
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(
        bytes.starts_with(b"%PDF-1.7\n%") && bytes[10..14].iter().all(|&b| b > 127),
        "PDF/A-2 needs version ≤ 1.7 and a binary comment on the second line"
    );
    let check = Command::new("qpdf")
        .arg("--check")
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(check.status.success(), "qpdf --check finds no damage");

    let objects = qpdf_objects(&pdf);
    let trailer = &objects["trailer"]["value"];
    assert!(
        trailer.get("/Encrypt").is_none(),
        "PDF/A forbids encryption"
    );
    let root = value(&objects, &trailer["/Root"]);
    let intents = root["/OutputIntents"]
        .as_array()
        .expect("the catalog has /OutputIntents");
    assert_eq!(intents.len(), 1, "one output intent");
    let intent = if intents[0].is_string() {
        value(&objects, &intents[0])
    } else {
        &intents[0]
    };
    assert_eq!(intent["/S"], "/GTS_PDFA1", "a PDF/A output intent");
    assert!(
        intent.get("/DestOutputProfile").is_some(),
        "the intent embeds its ICC profile"
    );
    for forbidden in ["/OpenAction", "/AA", "/Names"] {
        assert!(
            root.get(forbidden).is_none(),
            "no {forbidden} (no actions or JavaScript) in the catalog"
        );
    }
    let all = String::from_utf8_lossy(&bytes);
    assert!(
        !all.contains("/JavaScript") && !all.contains("/JS "),
        "no JavaScript anywhere"
    );

    // The metadata stream must be unfiltered, so its XMP text is in the file as is.
    let start = all.find("<x:xmpmeta").expect("an XMP packet, unfiltered");
    let end = start + all[start..].find("</x:xmpmeta>").unwrap();
    let xmp = &all[start..end];
    assert_eq!(element(xmp, "pdfaid:part"), "2", "pdfaid:part 2");
    assert_eq!(element(xmp, "pdfaid:conformance"), "B", "conformance B");

    let info = Command::new("pdfinfo")
        .arg("-isodates")
        .arg(&pdf)
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout).to_string();
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}:")))
            .unwrap_or_else(|| panic!("pdfinfo prints {name}"))
            .trim()
            .trim_end_matches('Z')
            .to_string()
    };
    let created = element(xmp, "xmp:CreateDate");
    assert!(
        created.starts_with(&field("CreationDate")),
        "xmp:CreateDate {created} equals the Info CreationDate {}",
        field("CreationDate")
    );
    assert!(
        element(xmp, "xmp:ModifyDate").starts_with(&field("ModDate")),
        "xmp:ModifyDate equals the Info ModDate"
    );
    assert!(
        created.starts_with("2026-01-01T00:00:00"),
        "the dates are SOURCE_DATE_EPOCH: {created}"
    );
    let id = trailer["/ID"][0]
        .as_str()
        .expect("a trailer /ID")
        .trim_start_matches("b:")
        .to_ascii_lowercase();
    let doc_id = element(xmp, "xmpMM:DocumentID").replace('-', "");
    assert!(
        doc_id.ends_with(&id),
        "the XMP DocumentID {doc_id} is the trailer /ID {id}"
    );

    let fonts = Command::new("pdffonts").arg(&pdf).output().unwrap();
    let fonts = String::from_utf8_lossy(&fonts.stdout).to_string();
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "the exhibit uses fonts");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        assert!(
            n >= 5 && cols[n - 5] == "yes" && cols[n - 4] == "yes",
            "every font is embedded and subset: {row}"
        );
    }
}

/// `case verify --json` of a case that must fail; returns its findings.
fn failing_findings(dir: &Path, case: &Path) -> Vec<serde_json::Value> {
    let out = tracebench(dir)
        .args(["case", "verify", "--json", "--case"])
        .arg(case)
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "tampering fails verification with a non-zero exit"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["findings"].as_array().unwrap().clone()
}

fn tampered_copy(dir: &Path, case: &Path, name: &str, sql: &str) -> PathBuf {
    let copy = dir.join(name);
    std::fs::copy(case, &copy).unwrap();
    rusqlite::Connection::open(&copy)
        .unwrap()
        .execute_batch(sql)
        .unwrap();
    copy
}

#[test]
fn case_verify_names_each_kind_of_tampering_of_the_demo_case() {
    let dir = tempfile::tempdir().unwrap();
    let (case, _) = filed_exhibit(dir.path());
    let clean = json(&run_ok(
        tracebench(dir.path())
            .args(["case", "verify", "--json", "--case"])
            .arg(&case),
    ));
    assert_eq!(clean["ok"], true, "the filed case verifies: {clean}");
    let entries = clean["entries"].as_i64().unwrap();
    assert!(
        entries >= 4,
        "the demo and the report left entries: {clean}"
    );

    let deleted = tampered_copy(
        dir.path(),
        &case,
        "deleted.tbcase",
        "DELETE FROM audit_log WHERE seq = 2",
    );
    assert!(
        failing_findings(dir.path(), &deleted)
            .iter()
            .any(|f| f["kind"] == "removed" && f["seq"] == 2),
        "a deleted entry is named by its number"
    );

    // Swap entries 2 and 3 whole (keeping their own hashes), as a reordering would.
    let reordered = tampered_copy(
        dir.path(),
        &case,
        "reordered.tbcase",
        "UPDATE audit_log SET seq = -2 WHERE seq = 2;
         UPDATE audit_log SET seq = 2 WHERE seq = 3;
         UPDATE audit_log SET seq = 3 WHERE seq = -2;",
    );
    assert!(
        failing_findings(dir.path(), &reordered)
            .iter()
            .any(|f| f["kind"] == "reordered"),
        "swapped entries are found out of order"
    );

    let head = clean["head"].as_str().unwrap();
    let truncated = tampered_copy(
        dir.path(),
        &case,
        "truncated.tbcase",
        &format!("DELETE FROM audit_log WHERE seq = {entries}"),
    );
    let out = tracebench(dir.path())
        .args(["case", "verify", "--json", "--expect-head", head, "--case"])
        .arg(&truncated)
        .output()
        .unwrap();
    assert!(!out.status.success(), "a truncated tail fails verification");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["kind"] == "truncated"),
        "against the head printed earlier, a removed last entry is a truncation: {v}"
    );

    let orphaned = tampered_copy(
        dir.path(),
        &case,
        "orphaned.tbcase",
        "PRAGMA foreign_keys = OFF; DELETE FROM raw_response WHERE id = (SELECT min(raw_id) FROM tx)",
    );
    assert!(
        failing_findings(dir.path(), &orphaned)
            .iter()
            .any(|f| f["kind"] == "dangling_reference" && !f["raw_id"].is_null()),
        "a deleted raw response that transactions still cite is named"
    );
}
