use tracebench_labels::{builtin, Builtin, Category, LabelStore};

use crate::builtin_store;

const OFAC_BTC: &str = "123WBUDmSJv4GctdVEz6Qq6z8nXSKrJ4KX";
const OFAC_ETH: &str = "0x722122dF12D4e14e13Ac3b6895a86e84145b6967";
const WANNACRY: &str = "13AM4VW2dhxYgXeQepoHkHSQuy6NgaEb94";
const RECEIPTS: &str = "34YmbPSXRjewgcqVRcrryUtYqzM25VXrNt";
const LOCKBIT: &str = "bc1q5979ns9zrhtq8j2znkf59ldmd4nxc4hamuq8ut";
/// The genesis address and addresses from the core's Esplora fixtures: on no list.
const CLEAN: [&str; 4] = [
    "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
    "bc1qkd9hm2qwvck3mvlul035kl6v4nz04s6dmryeq5",
    "bc1qvhykeqcpdzu0pdvy99xnh9ckhwzcfskct6h6l2",
    "12J1ppRbkRa3fpmJpBCsn2B6jc7T7u1wkg",
];

#[test]
fn a_fresh_store_flags_ofac_and_ransomware_addresses_with_their_source() {
    let dir = tempfile::tempdir().unwrap();
    let store = builtin_store(dir.path());
    let eth_other_case = OFAC_ETH.to_ascii_lowercase();
    let mut input = vec![OFAC_BTC, &eth_other_case, WANNACRY, RECEIPTS, LOCKBIT];
    input.extend(CLEAN);
    let hits = store.screen(&input).unwrap();

    let sorted = hits.windows(2).all(|w| w[0].address <= w[1].address);
    assert!(sorted, "hits come sorted by address");
    for clean in CLEAN {
        assert!(
            hits.iter().all(|h| h.address != clean),
            "{clean} is on no list and must not be flagged"
        );
    }
    let has = |addr: &str, cat: Category, source: &str, chain: &str| {
        hits.iter().any(|h| {
            h.address == addr && h.category == cat && h.source.contains(source) && h.chain == chain
        })
    };
    assert!(
        has(OFAC_BTC, Category::Sanctioned, "OFAC SDN list (XBT)", "XBT"),
        "an OFAC Bitcoin address is flagged as sanctioned, naming the OFAC list and its chain: {hits:#?}"
    );
    assert!(
        has(
            &eth_other_case,
            Category::Sanctioned,
            "OFAC SDN list (ETH)",
            "ETH"
        ),
        "an OFAC Ethereum address given in another case still matches"
    );
    assert!(
        has(WANNACRY, Category::Ransomware, "ransomware.yaml", "BTC"),
        "WannaCry is flagged from the Paquet-Clouston TagPack"
    );
    assert!(
        has(
            RECEIPTS,
            Category::Ransomware,
            "Showing the Receipts",
            "BTC"
        ),
        "the Showing-the-Receipts list is part of the built-in pack"
    );
    assert!(
        has(LOCKBIT, Category::Ransomware, "LockBit", "BTC"),
        "the LockBit leak list is part of the built-in pack"
    );
    let ofac = hits
        .iter()
        .find(|h| h.address == OFAC_BTC && h.source.contains("OFAC SDN"))
        .unwrap();
    assert_eq!(
        (ofac.source_date.as_deref(), ofac.confidence),
        (Some("2024-09-27"), 100),
        "the OFAC hit carries the list's date and full confidence"
    );
}

#[test]
fn the_builtin_pack_is_dated_and_installed_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = builtin_store(dir.path());
    assert_eq!(
        store.builtin_version().unwrap().as_deref(),
        Some(builtin::BUILTIN_VERSION),
        "the store records which built-in version it holds"
    );
    let packs = store.packs().unwrap();
    assert!(
        packs
            .iter()
            .any(|p| p.id == "ofac-sdn:XBT" && p.builtin && p.licence.contains("MIT")),
        "every built-in pack carries its licence"
    );
    let before = store.counts().unwrap();
    assert!(
        before.0 > 70_000,
        "the pack holds the TagPacks and the lists"
    );
    let path = store.path().to_path_buf();
    drop(store);
    let again = LabelStore::open(&path, Builtin::Install).unwrap();
    assert_eq!(
        again.counts().unwrap(),
        before,
        "opening again does not install the pack twice"
    );
}

#[test]
fn an_ofac_address_filed_under_the_wrong_asset_is_kept_as_listed() {
    let dir = tempfile::tempdir().unwrap();
    let store = builtin_store(dir.path());
    // The 2024-09-27 XBT list holds this Tron-form address.
    let hits = store
        .screen(&["TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq"])
        .unwrap();
    assert!(
        hits.iter().any(|h| h.source == "OFAC SDN list (XBT)"),
        "a sanctions list entry is never dropped for being filed under the wrong chain"
    );
}
