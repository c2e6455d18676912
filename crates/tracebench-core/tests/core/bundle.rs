//! Case bundles: a case built online from the sim is exported (while open, WAL and all),
//! imported elsewhere and reopened offline with the same graph and clusters; any changed or
//! missing byte is refused, naming what failed, and nothing is written.

use std::path::{Path, PathBuf};

use tracebench_core::api::{NewCase, Workbench};

use crate::util::{t0, Sim};

/// A case built from the sim (seed address expanded 3 hops), still open, and its path.
fn sim_case(sim: &Sim, dir: &Path) -> (PathBuf, Workbench) {
    let path = dir.join("sim.tbcase");
    let mut wb = Workbench::create(
        &path,
        NewCase {
            title: "Bundle".into(),
            investigator: "I".into(),
            agency: "A".into(),
            network: tracebench_core::chain::BtcNetwork::Mainnet,
        },
        Some(sim.spec()),
        t0(),
    )
    .unwrap();
    let node = sim
        .rt
        .block_on(wb.add(sim.chain.seed_address(), t0()))
        .unwrap()
        .node_id;
    sim.rt.block_on(wb.expand(&node, 3, t0())).unwrap();
    (path, wb)
}

fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    v.sort();
    v
}

fn find(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len())
        .position(|w| w == needle)
        .unwrap_or_else(|| panic!("{:?} is in the bundle", String::from_utf8_lossy(needle)))
}

#[test]
fn an_exported_case_reopens_offline_with_the_same_graph_and_clusters() {
    let sim = Sim::start();
    let dir = tempfile::tempdir().unwrap();
    let (_, wb) = sim_case(&sim, dir.path());
    let bundle = dir.path().join("case.tbbundle");
    let out = wb.export_bundle(&bundle, t0()).unwrap();
    let raws = wb.case().raw_responses().unwrap();
    assert_eq!(
        out.raw_responses,
        raws.len(),
        "every raw response is bundled"
    );
    assert_eq!(
        out.manifest.entries.len(),
        raws.len() + 1,
        "the manifest lists the database and each raw response"
    );
    assert_eq!(
        out.manifest.case_id,
        wb.info().case_id,
        "manifest names the case"
    );
    let e = wb.export_bundle(&bundle, t0()).unwrap_err();
    assert!(
        e.to_string().contains("already exists"),
        "export never overwrites: {e}"
    );

    let elsewhere = tempfile::tempdir().unwrap();
    let imported = elsewhere.path().join("copy.tbcase");
    let summary = Workbench::import_bundle(&bundle, &imported).unwrap();
    assert_eq!(summary.case_id, wb.info().case_id, "the same case arrives");
    let copy = Workbench::open(&imported, None).unwrap();
    let (g1, g2) = (wb.graph().unwrap(), copy.graph().unwrap());
    assert_eq!(g1.nodes, g2.nodes, "same nodes offline");
    assert_eq!(g1.edges, g2.edges, "same edges offline");
    assert_eq!(
        serde_json::to_string(&wb.clusters().unwrap()).unwrap(),
        serde_json::to_string(&copy.clusters().unwrap()).unwrap(),
        "same clustering JSON"
    );
    for r in &raws {
        assert_eq!(
            wb.case().raw_body(r.id).unwrap(),
            copy.case().raw_body(r.id).unwrap(),
            "raw response {} arrives byte for byte",
            r.id
        );
    }
    drop(copy);
    let e = Workbench::import_bundle(&bundle, &imported).unwrap_err();
    assert!(
        e.to_string().contains("already exists"),
        "import never overwrites: {e}"
    );
}

#[test]
fn a_changed_or_missing_byte_is_refused_naming_what_failed_and_nothing_is_written() {
    let sim = Sim::start();
    let dir = tempfile::tempdir().unwrap();
    let (_, wb) = sim_case(&sim, dir.path());
    let bundle = dir.path().join("case.tbbundle");
    let summary = wb.export_bundle(&bundle, t0()).unwrap();
    let good = std::fs::read(&bundle).unwrap();
    let len = good.len();
    let raw_at = find(&good, b"raw/1-") + 512 + 10;
    let manifest_at = find(&good, b"\"format\"") + 2;
    // The zero padding after raw response 1 (its size is not a multiple of 512).
    let raw1_size = usize::try_from(summary.manifest.entries[1].size).unwrap();
    assert_ne!(raw1_size % 512, 0, "raw response 1 is padded");
    let padding_at = raw_at - 10 + raw1_size + 1;
    let flips: Vec<(&str, usize, &str)> = vec![
        ("start", 0, "first entry header"),
        ("inside the database", 512 + 3000, "case.tbcase"),
        ("inside a raw response", raw_at, "raw/1-"),
        ("inside the manifest", manifest_at, "manifest.json"),
        (
            "in the padding after a raw response",
            padding_at,
            "trailing SHA-256",
        ),
        ("inside the trailing hash", len - 2048 + 512 + 7, "SHA256"),
        (
            "in the trailing hash's header",
            len - 2048 + 1,
            "header after 'manifest.json'",
        ),
    ];
    let target = tempfile::tempdir().unwrap();
    let out = target.path().join("copy.tbcase");
    let bad = target.path().join("bad.tbbundle");
    for (what, at, names) in flips {
        let mut bytes = good.clone();
        bytes[at] ^= 0x01;
        std::fs::write(&bad, &bytes).unwrap();
        let e = Workbench::import_bundle(&bad, &out).unwrap_err();
        assert_eq!(
            e.code(),
            "bundle_invalid",
            "a byte flipped {what} is refused: {e}"
        );
        assert!(
            e.to_string().contains(names),
            "a byte flipped {what} (offset {at}) names {names}: {e}"
        );
        assert_eq!(
            listing(target.path()),
            vec!["bad.tbbundle".to_string()],
            "nothing is written when a byte {what} changed"
        );
    }
    for cut in [0, 511, 1000, len / 2, len - 1024, len - 1] {
        std::fs::write(&bad, &good[..cut]).unwrap();
        let e = Workbench::import_bundle(&bad, &out).unwrap_err();
        assert_eq!(
            e.code(),
            "bundle_invalid",
            "a bundle cut to {cut} bytes is refused: {e}"
        );
        assert_eq!(
            listing(target.path()),
            vec!["bad.tbbundle".to_string()],
            "nothing is written from a truncated bundle"
        );
    }
    std::fs::write(&bad, &good).unwrap();
    Workbench::import_bundle(&bad, &out).expect("the untouched bundle imports");
}
