use tracebench_labels::{parse, Category, Format, LabelError, SourceFile};

use crate::{empty_store, fixture, fixture_file};

fn invalid_lines(e: LabelError) -> Vec<usize> {
    match e {
        LabelError::Invalid { lines, .. } => lines.iter().map(|l| l.line).collect(),
        other => panic!("expected invalid lines, got {other}"),
    }
}

#[test]
fn malformed_tagpack_tags_are_rejected_one_by_one_and_nothing_is_imported() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = empty_store(dir.path());
    let real = std::fs::read_to_string(fixture("lazarus2.yaml")).unwrap();
    // lazarus2.yaml's tags start at line 12; break three of them and keep the rest.
    let broken = real
        .replace(
            "- address: 3LU8wRu4ZnXP4UM8Yo6kkTiGHM9BubgyiG",
            "- address: 3LU8wRu4ZnXP4UM8Yo6kkTiGHM9BubgyiX",
        )
        .replace(
            "- address: 3AAUBbKJorvNhEUFhKnep9YTwmZECxE4Nk\n  currency: BTC",
            "- address: 3AAUBbKJorvNhEUFhKnep9YTwmZECxE4Nk\n  currency: BTC\n  confidence: very_sure",
        )
        .replace(
            "- address: 3NbdrezMzAVVfXv5MTQJn4hWqKhYCTCJoB",
            "- adress: 3NbdrezMzAVVfXv5MTQJn4hWqKhYCTCJoB",
        );
    let at = |needle: &str| broken.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let expected = vec![at("BubgyiX"), at("very_sure"), at("adress:")];
    let file = SourceFile::new("lazarus2.yaml", broken, "2026-05-12");
    let err = store
        .import(parse(Format::Tagpack, &file).unwrap())
        .unwrap_err();
    assert_eq!(
        invalid_lines(err),
        expected,
        "each bad tag is reported with its own line (bad checksum, unknown confidence, no address)"
    );
    assert_eq!(store.counts().unwrap(), (0, 0), "nothing was imported");
    assert!(store.packs().unwrap().is_empty(), "no pack was recorded");

    let syntax = SourceFile::new(
        "bad.yaml",
        "title: x\ntags:\n- address: [unclosed\n  currency: BTC\n".to_string(),
        "2026-05-12",
    );
    let err = parse(Format::Tagpack, &syntax).unwrap_err();
    assert!(
        matches!(&err, LabelError::Invalid { lines, .. } if lines[0].line >= 3),
        "a YAML syntax error names its line: {err}"
    );
}

#[test]
fn the_real_tagpack_imports_with_header_values_applied() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = empty_store(dir.path());
    let r = store
        .import(
            parse(
                Format::Tagpack,
                &fixture_file("lazarus2.yaml", "2026-05-12"),
            )
            .unwrap(),
        )
        .unwrap();
    assert_eq!((r.entries, r.imported, r.duplicates), (6, 6, 0), "six tags");
    let l = &store
        .labels_for("3LU8wRu4ZnXP4UM8Yo6kkTiGHM9BubgyiG")
        .unwrap()[0]
        .label;
    assert_eq!(
        (
            l.label.as_str(),
            l.category,
            l.confidence,
            l.source_date.as_deref()
        ),
        (
            "Lazarus group",
            Category::Sanctioned,
            90,
            Some("2023-08-28")
        ),
        "header label, abuse: sanction, authority_data and lastmod apply to every tag"
    );
    assert_eq!(
        l.caip2.as_deref(),
        Some("bip122:000000000019d6689c085ae165831e93"),
        "BTC maps to its CAIP-2 id"
    );
}

#[test]
fn malformed_csv_lines_are_rejected_one_by_one_and_nothing_is_imported() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = empty_store(dir.path());
    let csv = "address,label,category,source,confidence\n\
               123WBUDmSJv4GctdVEz6Qq6z8nXSKrJ4KX,Hydra,darknet market,case 17,80\n\
               # a comment\n\
               1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb,Typo,exchange,case 17,80\n\
               0x722122dF12D4e14e13Ac3b6895a86e84145b6967,Tornado,mixer,case 17,150\n\
               0x722122dF12D4e14e13Ac3b6895a86e84145b6967,Tornado,casino,case 17,50\n\
               0x722122dF12D4e14e13Ac3b6895a86e84145b6967,Tornado,mixer\n";
    let file = SourceFile::new("analyst.csv", csv.to_string(), "2026-05-12");
    let err = store
        .import(parse(Format::Csv, &file).unwrap())
        .unwrap_err();
    let msg = err.to_string();
    assert_eq!(
        invalid_lines(err),
        vec![4, 5, 6, 7],
        "bad checksum, confidence > 100, unknown category, missing fields: each with its line ({msg})"
    );
    assert_eq!(
        store.counts().unwrap(),
        (0, 0),
        "the good line 2 was not imported either"
    );
}

#[test]
fn conflicting_labels_for_one_address_are_all_kept_with_their_sources() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = empty_store(dir.path());
    let tornado = store
        .import(
            parse(
                Format::Tagpack,
                &fixture_file("tornado_cash.yaml", "2026-05-12"),
            )
            .unwrap(),
        )
        .unwrap();
    assert!(
        tornado.conflicts.is_empty(),
        "the first pack conflicts with nothing"
    );
    let ofac = store
        .import(
            parse(
                Format::Ofac,
                &fixture_file("sanctioned_addresses_ETH.txt", "2024-09-27"),
            )
            .unwrap(),
        )
        .unwrap();
    let address = "0x8589427373D6D84E98730D7795D8f6f8731FDA16";
    assert!(
        ofac.conflicts.iter().any(|c| c.address == address
            && c.category == Category::Sanctioned
            && c.existing.iter().any(|(_, cat, _)| *cat == Category::Mixer)),
        "OFAC's 'sanctioned' for a Tornado pool is reported against the TagPack's 'mixer'"
    );
    let labels = store.labels_for(&address.to_ascii_lowercase()).unwrap();
    let sources: Vec<(&str, Category)> = labels
        .iter()
        .map(|l| (l.label.source.as_str(), l.label.category))
        .collect();
    assert!(
        sources.contains(&("OFAC SDN list (ETH)", Category::Sanctioned))
            && sources
                .iter()
                .any(|(s, c)| s.contains("tornado_cash.yaml") && *c == Category::Mixer),
        "both labels are kept, each with its own source: {sources:?}"
    );
}

#[test]
fn a_newer_ofac_file_updates_the_pack_and_an_older_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = empty_store(dir.path());
    let first = store
        .import(
            parse(
                Format::Ofac,
                &fixture_file("sanctioned_addresses_ETH.txt", "2024-09-27"),
            )
            .unwrap(),
        )
        .unwrap();
    assert_eq!(
        (first.entries, first.imported),
        (152, 152),
        "152 ETH addresses"
    );
    let again = store
        .import(
            parse(
                Format::Ofac,
                &fixture_file("sanctioned_addresses_ETH.txt", "2024-09-27"),
            )
            .unwrap(),
        )
        .unwrap();
    assert_eq!(
        (again.imported, again.duplicates, again.pack_version.clone()),
        (0, 152, first.pack_version.clone()),
        "the same file again changes nothing"
    );
    // A newer list: the first address delisted, everything else kept.
    let real = std::fs::read_to_string(fixture("sanctioned_addresses_ETH.txt")).unwrap();
    let delisted = real.lines().next().unwrap().to_string();
    let newer: String = real.lines().skip(1).map(|l| format!("{l}\n")).collect();
    let file = SourceFile::new("sanctioned_addresses_ETH.txt", newer.clone(), "2025-03-21");
    let update = store.import(parse(Format::Ofac, &file).unwrap()).unwrap();
    assert_eq!(
        update.replaced_version.as_deref(),
        Some(first.pack_version.as_str()),
        "the update names the version it replaced"
    );
    assert!(
        update.pack_version.starts_with("2025-03-21."),
        "new version"
    );
    assert_eq!(
        update.dropped,
        vec![delisted.clone()],
        "the delisted address is reported"
    );
    assert!(
        store.screen(&[delisted.as_str()]).unwrap().is_empty(),
        "a delisted address is no longer flagged by this pack"
    );
    let old = SourceFile::new("sanctioned_addresses_ETH.txt", real, "2023-01-01");
    let err = store
        .import(parse(Format::Ofac, &old).unwrap())
        .unwrap_err();
    assert!(
        matches!(err, LabelError::Older { .. }),
        "an older list is refused: {err}"
    );
    assert_eq!(store.counts().unwrap().0, 151, "and changes nothing");
}

#[test]
fn etherscan_label_json_imports_as_ethereum_mixer_labels() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = empty_store(dir.path());
    let r = store
        .import(
            parse(
                Format::Etherscan,
                &fixture_file("tornado-cash.json", "2023-06-18"),
            )
            .unwrap(),
        )
        .unwrap();
    assert!(
        r.imported > 10,
        "the Tornado.Cash label file holds the pools"
    );
    let hits = store
        .screen(&["0x47CE0C6ED5B0CE3D3A51FDB1C52DC66A7C3C2936"])
        .unwrap();
    assert_eq!(
        hits.len(),
        1,
        "upper-case input matches the lower-case label"
    );
    assert_eq!(
        (
            hits[0].chain.as_str(),
            hits[0].category,
            hits[0].label.as_str()
        ),
        ("ETH", Category::Mixer, "Tornado.Cash: 1 ETH"),
        "the name becomes the label and the slug the category"
    );
}
