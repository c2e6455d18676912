//! Format 3's further sealed tables: every printed figure of the cover, scope, methodology,
//! error rates, fiat values, attribution register, audit excerpt, provenance and coverage is
//! sealed under the key `report verify` names, and a change to one figure changes that row's
//! digest only.

use tracebench_report::{
    printed_rows, ReportAttribution, ReportAuditEntry, ReportInput, ReportIntegrity, Seal, Section,
    MANIFEST_FORMAT, MANIFEST_FORMAT_2,
};

use crate::fixture;

fn input() -> ReportInput {
    let mut input = fixture::input(true);
    input.integrity = Some(ReportIntegrity {
        content_hash: "ab".repeat(32),
        audit_head: Some("cd".repeat(32)),
        audit_seq: Some(2),
    });
    input.audit = vec![
        ReportAuditEntry {
            seq: 1,
            at_utc: "2024-05-02T09:00:00Z".to_string(),
            user: "examiner".to_string(),
            action: "add".to_string(),
            detail: "{}".to_string(),
            hash: "01".repeat(32),
        },
        ReportAuditEntry {
            seq: 2,
            at_utc: "2024-05-02T09:01:00Z".to_string(),
            user: "examiner".to_string(),
            action: "note".to_string(),
            detail: "{}".to_string(),
            hash: "cd".repeat(32),
        },
    ];
    input.attributions = vec![ReportAttribution {
        address: "bc1qexchange".to_string(),
        label: "Exchange X hot wallet".to_string(),
        category: "exchange".to_string(),
        source: "analyst".to_string(),
        source_date: Some("2024-05-01".to_string()),
        confidence: 80,
    }];
    input
}

/// The keys whose digests differ between the sealed tables of `a` and `b`, as "table key".
fn changed(a: &ReportInput, b: &ReportInput) -> Vec<String> {
    let (sa, sb) = (
        Seal::of(a).expect("seal").manifest.tables,
        Seal::of(b).expect("seal").manifest.tables,
    );
    let mut out = Vec::new();
    for (name, ta) in &sa {
        let tb = &sb[name];
        for (key, digest) in &ta.digests {
            if tb.digests.get(key) != Some(digest) {
                out.push(format!("{name} {key}"));
            }
        }
        for key in tb.digests.keys().filter(|k| !ta.digests.contains_key(*k)) {
            out.push(format!("{name} {key}"));
        }
    }
    out
}

#[test]
fn every_printed_chapter_seals_its_figures_in_format_3() {
    let input = input();
    let seal = Seal::of(&input).expect("seal");
    assert_eq!(
        seal.manifest.format, MANIFEST_FORMAT,
        "this build writes format 3"
    );
    assert_ne!(
        MANIFEST_FORMAT, MANIFEST_FORMAT_2,
        "the added tables bump the format, so a format-2 reader's table set stays known"
    );
    let tables = &seal.manifest.tables;
    for name in [
        "cover",
        "scope",
        "methodology",
        "error rate",
        "attribution",
        "audit entry",
        "provenance",
        "coverage",
    ] {
        assert!(
            tables.contains_key(name),
            "the {name} table is sealed when its chapter prints: {:?}",
            tables.keys()
        );
    }
    assert_eq!(
        tables["audit entry"].rows, 2,
        "one row per audit entry of the excerpt"
    );
    assert_eq!(
        tables["provenance"].rows,
        input.provenance.len() as u64,
        "one row per raw response of the provenance table"
    );
    for key in [
        "exhibit id",
        "content hash",
        "audit log head",
        "generated",
        "classification",
    ] {
        assert!(
            tables["cover"].digests.contains_key(key),
            "the cover's {key} is sealed: {:?}",
            tables["cover"].digests.keys()
        );
    }
    assert!(
        tables["attribution"]
            .digests
            .contains_key("bc1qexchange Exchange X hot wallet"),
        "an attribution is keyed by address and label: {:?}",
        tables["attribution"].digests.keys()
    );
}

#[test]
fn a_changed_figure_changes_only_its_own_row() {
    let base = input();

    let mut rate = base.clone();
    rate.method.validation[0].precision = "97.0%".to_string();
    assert_eq!(
        changed(&base, &rate),
        vec!["error rate coinjoin whirlpool captures".to_string()],
        "a changed measured error rate is named by group, heuristic and dataset"
    );

    let mut confidence = base.clone();
    confidence.attributions[0].confidence = 40;
    assert_eq!(
        changed(&base, &confidence),
        vec!["attribution bc1qexchange Exchange X hot wallet".to_string()],
        "a changed confidence is named by the attribution's address and label"
    );

    let mut retrieved = base.clone();
    retrieved.provenance[0].retrieved_at = "2024-05-03T00:00:00Z".to_string();
    let key = format!(
        "provenance {} {}",
        base.provenance[0].source_id,
        &base.provenance[0].sha256[..16]
    );
    assert_eq!(
        changed(&base, &retrieved),
        vec![key],
        "a changed retrieval time is named by the response's source and SHA-256 prefix"
    );

    let mut fiat = base.clone();
    let hop = fiat
        .hops
        .iter_mut()
        .find(|h| !h.outputs.is_empty())
        .expect("the fixture has a hop with outputs");
    hop.outputs[0].fiat = Some("1.00 USD".to_string());
    let txid = hop.txid.clone();
    let names = changed(&base, &fiat);
    assert!(
        names.contains(&format!("fiat {txid}")),
        "a changed fiat value is named by its txid in the fiat table: {names:?}"
    );
}

#[test]
fn omitted_chapters_seal_none_of_their_figures() {
    let mut input = input();
    for s in [
        Section::Methodology,
        Section::Attributions,
        Section::Coverage,
        Section::Narrative,
    ] {
        input.settings.omit.insert(s);
    }
    let rows = printed_rows(&input).expect("rows");
    for name in [
        "methodology",
        "error rate",
        "attribution",
        "coverage",
        "fiat",
    ] {
        assert!(
            !rows.contains_key(name),
            "an omitted chapter seals no {name} table: {:?}",
            rows.keys()
        );
    }
    for name in ["cover", "scope", "audit entry", "provenance"] {
        assert!(
            rows.contains_key(name),
            "the mandatory chapters always seal their {name} table"
        );
    }
}
