//! Import and screening benchmarks on the real data in ../shared/data beside the repository (or $TRACEBENCH_SHARED_DATA).
//!
//! `cargo run --release -p tracebench-labels --example bench` prints one JSON object:
//! importing every GraphSense TagPack (target < 10 s), installing the built-in pack, and
//! screening 100,000 addresses against at least 100,000 labels (target < 1 s).

use std::path::{Path, PathBuf};
use std::time::Instant;

use sha2::{Digest, Sha256};
use tracebench_labels::{parse, Builtin, Format, LabelStore, SourceFile};

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, ext, out);
        } else if p.extension().is_some_and(|e| e == ext) {
            out.push(p);
        }
    }
}

/// Imports every file, leaving out (and listing on stderr) the few invalid entries of the real data.
fn import_all(
    store: &mut LabelStore,
    format: Format,
    paths: &[PathBuf],
) -> (usize, usize, usize, usize) {
    let (mut entries, mut imported, mut duplicates, mut invalid) = (0, 0, 0, 0);
    for p in paths {
        let file = SourceFile::read(p, Some("2026-05-12")).expect("readable");
        let mut parsed = parse(format, &file).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        for l in parsed.skip_invalid() {
            eprintln!("{}: {l}", p.display());
            invalid += 1;
        }
        let r = store
            .import(parsed)
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        entries += r.entries;
        imported += r.imported;
        duplicates += r.duplicates;
    }
    (entries, imported, duplicates, invalid)
}

fn main() {
    let data =
        PathBuf::from(std::env::var("TRACEBENCH_SHARED_DATA").unwrap_or_else(|_| {
            concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data").into()
        }));
    let dir = tempfile::tempdir().expect("temp dir");

    // 1. Every GraphSense TagPack into an empty store.
    let mut tagpacks = Vec::new();
    files(
        &data.join("graphsense-tagpacks/packs"),
        "yaml",
        &mut tagpacks,
    );
    let mut store =
        LabelStore::open(&dir.path().join("bench.sqlite"), Builtin::Skip).expect("store");
    let t = Instant::now();
    let (tp_entries, tp_imported, tp_dupes, tp_invalid) =
        import_all(&mut store, Format::Tagpack, &tagpacks);
    let tagpack_secs = t.elapsed().as_secs_f64();

    // 2. More real labels, to screen against at least 100,000.
    let mut ofac = Vec::new();
    files(&data.join("ofac-sanctioned-addresses"), "txt", &mut ofac);
    import_all(&mut store, Format::Ofac, &ofac);
    let mut etherscan = vec![data.join("etherscan-labels/combinedAllLabels.json")];
    files(
        &data.join("etherscan-labels/accounts"),
        "json",
        &mut etherscan,
    );
    import_all(&mut store, Format::Etherscan, &etherscan);
    let (labels, _) = store.counts().expect("counts");

    // 3. Screen 100,000 addresses: every 10th a labelled one (EVM ones upper-cased), the rest
    //    unlabelled addresses of the same shapes.
    let labelled = labelled_addresses(&data, 10_000);
    let mut addresses = Vec::with_capacity(100_000);
    for i in 0..100_000usize {
        if i % 10 == 0 {
            let a = &labelled[(i / 10) % labelled.len()];
            addresses.push(match a.strip_prefix("0x") {
                Some(hex) => format!("0x{}", hex.to_ascii_uppercase()),
                None => a.clone(),
            });
        } else {
            let h = hex::encode(Sha256::digest(i.to_le_bytes()));
            addresses.push(if i % 2 == 0 {
                format!("0x{}", &h[..40])
            } else {
                format!("bc1q{}", &h[..38])
            });
        }
    }
    let t = Instant::now();
    let hits = store.screen(&addresses).expect("screen");
    let screen_secs = t.elapsed().as_secs_f64();
    let mut hit_addresses: Vec<&str> = hits.iter().map(|h| h.address.as_str()).collect();
    hit_addresses.dedup();

    // 4. First use: the built-in pack into a fresh store.
    let t = Instant::now();
    let fresh =
        LabelStore::open(&dir.path().join("fresh.sqlite"), Builtin::Install).expect("fresh");
    let builtin_secs = t.elapsed().as_secs_f64();
    let (builtin_labels, _) = fresh.counts().expect("counts");

    let out = serde_json::json!({
        "tagpack_import": {"files": tagpacks.len(), "entries": tp_entries, "imported": tp_imported,
            "duplicates": tp_dupes, "invalid_left_out": tp_invalid, "seconds": tagpack_secs, "target_seconds": 10.0},
        "screen": {"addresses": addresses.len(), "labels": labels, "hits": hits.len(),
            "addresses_hit": hit_addresses.len(), "seconds": screen_secs, "target_seconds": 1.0},
        "builtin_install": {"labels": builtin_labels, "packs": fresh.packs().expect("packs").len(),
            "seconds": builtin_secs},
    });
    println!("{}", serde_json::to_string_pretty(&out).expect("json"));
}

/// Labelled addresses (BTC and ETH) to screen for, read from four of the imported TagPacks.
fn labelled_addresses(data: &Path, n: usize) -> Vec<String> {
    let mut out = Vec::new();
    for rel in [
        "graphsense-tagpacks/packs/ransomware.yaml",
        "graphsense-tagpacks/packs/ransomwhere.yaml",
        "graphsense-tagpacks/packs/etherscamdb_tagpack.yaml",
        "graphsense-tagpacks/packs/etherscan-label-word-cloud.yaml",
    ] {
        let file = SourceFile::read(&data.join(rel), Some("2026-05-12")).expect("readable");
        let parsed = parse(Format::Tagpack, &file).expect("parses");
        out.extend(parsed.entries.into_iter().map(|e| e.label.address));
        if out.len() >= n {
            break;
        }
    }
    out.truncate(n);
    out
}
