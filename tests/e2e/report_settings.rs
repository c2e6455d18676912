//! Exhibit settings kept in the case (issue 6 item 7): the question, summary, chapters left out
//! and the sensitivity annex given once to `tracebench report` are stored (audited) and used by
//! the next export without flags, giving the same bytes; `report verify` re-derives the
//! sensitivity annex; refused settings name what is wrong and leave the case untouched.

use std::path::Path;

use crate::util::{demo, json, pdf_text, run_ok, tracebench};

const EPOCH: &str = "1767225600";
const QUESTION: &str = "Where did the ransom paid on the first day go?";
const SUMMARY: &str = "The ransom moved in four hops to one exchange deposit address.";

fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn report(dir: &Path, case: &str, out: &Path, extra: &[&str]) {
    run_ok(
        tracebench(dir)
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .args(["report", "--no-labels", "--case", case, "--out"])
            .arg(out)
            .args(extra),
    );
}

/// The audit log's `report.settings` entries, read straight from the case file.
fn settings_entries(case: &str) -> Vec<String> {
    let db =
        rusqlite::Connection::open_with_flags(case, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open the case read-only");
    let mut st = db
        .prepare("SELECT detail FROM audit_log WHERE action = 'report.settings' ORDER BY seq")
        .expect("the audit log is a table");
    st.query_map([], |r| r.get::<_, String>(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

#[test]
fn stored_settings_carry_over_to_the_next_export_with_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let summary = demo(dir.path());
    let case = summary["case"].as_str().unwrap();
    let first = dir.path().join("first.pdf");
    report(
        dir.path(),
        case,
        &first,
        &[
            "--question",
            QUESTION,
            "--summary",
            SUMMARY,
            "--sensitivity",
            "--omit",
            "coverage",
        ],
    );
    let stored = settings_entries(case);
    assert_eq!(stored.len(), 1, "the new settings are one audited entry");
    assert!(
        stored[0].contains(SUMMARY) && stored[0].contains("coverage"),
        "the entry holds the settings whole: {}",
        stored[0]
    );

    let second = dir.path().join("second.pdf");
    report(dir.path(), case, &second, &[]);
    assert_eq!(
        settings_entries(case).len(),
        1,
        "an export without flags changes no setting and logs none"
    );
    assert!(
        std::fs::read(&first).unwrap() == std::fs::read(&second).unwrap(),
        "without flags the stored settings apply: the same case gives the same bytes"
    );

    let text = flat(&pdf_text(&second));
    for expected in [
        QUESTION,
        SUMMARY,
        "Annex · Sensitivity of the conclusions",
        "How to read this annex.",
        "Left out of this exhibit at the examiner's choice: Appendix F · Coverage.",
    ] {
        assert!(
            text.contains(expected),
            "the stored settings shape the exhibit: {expected:?}"
        );
    }
    assert_eq!(
        text.matches("Appendix F · Coverage").count(),
        1,
        "the coverage appendix is named only in the statement that it was left out"
    );

    let verdict = json(&run_ok(
        tracebench(dir.path())
            .args(["report", "verify", "--json", "--case", case])
            .arg(&second),
    ));
    assert_eq!(verdict["ok"], true, "every figure re-derives: {verdict}");
    let items = verdict["items"].as_array().unwrap();
    assert!(
        items.iter().any(|i| i["item"]
            .as_str()
            .unwrap()
            .starts_with("sensitivity clustering toggle")),
        "report verify re-derives the sensitivity annex too"
    );

    let third = dir.path().join("third.pdf");
    report(
        dir.path(),
        case,
        &third,
        &["--no-sensitivity", "--all-sections"],
    );
    let text = flat(&pdf_text(&third));
    assert!(
        !text.contains("Annex · Sensitivity") && text.contains("Appendix F · Coverage"),
        "flags given replace the stored choice"
    );
    assert!(
        text.contains(SUMMARY),
        "a flag not given keeps its stored value"
    );
    assert_eq!(settings_entries(case).len(), 2, "the change is audited");
}

#[test]
fn refused_settings_name_the_field_and_leave_the_case_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let summary = demo(dir.path());
    let case = summary["case"].as_str().unwrap();
    let before = std::fs::read(case).unwrap();
    let out = dir.path().join("bad.pdf");
    let long = "X".repeat(81);
    for (args, names) in [
        (vec!["--classification", long.as_str()], "classification"),
        (vec!["--omit", "cover"], "cover"),
        (vec!["--exhibit-id", "EX\u{7}1"], "exhibit id"),
    ] {
        let result = tracebench(dir.path())
            .args(["report", "--no-labels", "--case", case, "--out"])
            .arg(&out)
            .args(&args)
            .output()
            .unwrap();
        assert!(!result.status.success(), "{args:?} must be refused");
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert!(
            stderr.contains(names),
            "the error names what was wrong ({names}): {stderr}"
        );
        assert!(!out.exists(), "no report is written for {args:?}");
        assert_eq!(
            std::fs::read(case).unwrap(),
            before,
            "refused settings leave the case file byte for byte as it was"
        );
    }
}
