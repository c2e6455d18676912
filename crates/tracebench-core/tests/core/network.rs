//! A case's Bitcoin network: addresses of another network refused, sources of another network
//! refused, and a testnet case built end to end from the sim on testnet.

use bitcoin::hashes::Hash;
use tracebench_core::address::InputError;
use tracebench_core::api::{ApiError, BtcSourceSpec, NewCase, SourceSpec, Workbench};
use tracebench_core::chain::BtcNetwork;
use tracebench_core::cluster::multi_input;
use tracebench_core::source::Connection;

use crate::core_node::{self, NodeOptions};
use crate::util::{file_digest, rt, t0, Sim};

const TX_100000: &str = "6359f0868171b1d194cbee1af2f16ea598ae8fad666d9b012c8ed2b79a236ec4";

fn case_on(dir: &std::path::Path, network: BtcNetwork, source: Option<SourceSpec>) -> Workbench {
    Workbench::create(
        &dir.join(format!("{}.tbcase", network.name())),
        NewCase {
            title: format!("{} case", network.name()),
            investigator: "I".into(),
            agency: "A".into(),
            network,
        },
        source,
        t0(),
    )
    .unwrap()
}

fn bitcoin_network(n: BtcNetwork) -> bitcoin::Network {
    match n {
        BtcNetwork::Mainnet => bitcoin::Network::Bitcoin,
        BtcNetwork::Testnet => bitcoin::Network::Testnet,
        BtcNetwork::Signet => bitcoin::Network::Signet,
        BtcNetwork::Regtest => bitcoin::Network::Regtest,
    }
}

/// The same key hash as P2WPKH and P2PKH addresses of `n` (encoded by rust-bitcoin, so the
/// checksums are right).
fn addresses_on(n: BtcNetwork) -> [String; 2] {
    let hash = bitcoin::WPubkeyHash::from_byte_array([7u8; 20]);
    let p2wpkh = bitcoin::ScriptBuf::new_p2wpkh(&hash);
    let p2pkh = bitcoin::ScriptBuf::new_p2pkh(&bitcoin::PubkeyHash::from_byte_array([7u8; 20]));
    [p2wpkh, p2pkh].map(|s| {
        bitcoin::Address::from_script(&s, bitcoin_network(n))
            .unwrap()
            .to_string()
    })
}

/// Whether an address of `found` can be told apart from one of `case`: testnet and signet share
/// every prefix; regtest shares testnet's base58 prefixes (not its bech32 hrp `bcrt`).
fn distinguishable(found: BtcNetwork, case: BtcNetwork, bech32: bool) -> bool {
    use BtcNetwork::*;
    let testnets = |n| matches!(n, Testnet | Signet);
    if found == case || (testnets(found) && testnets(case)) {
        return false;
    }
    bech32 || (found == Mainnet || case == Mainnet)
}

#[test]
fn an_address_of_another_network_is_refused_naming_both_and_the_case_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let rt = rt();
    let mut refused = 0;
    for case_net in BtcNetwork::ALL {
        let wb = case_on(dir.path(), case_net, None);
        assert_eq!(
            wb.info().chain,
            case_net.caip2(),
            "the case's chain is the network chosen at creation"
        );
        let path = wb.case().path().to_path_buf();
        drop(wb);
        let before = file_digest(&path);
        let mut wb = Workbench::open(&path, None).unwrap();
        for found in BtcNetwork::ALL {
            for (i, address) in addresses_on(found).into_iter().enumerate() {
                if !distinguishable(found, case_net, i == 0) {
                    continue;
                }
                let e = rt.block_on(wb.add(&address, t0())).unwrap_err();
                let text = e.to_string();
                assert!(
                    matches!(e, ApiError::Input(InputError::WrongNetwork { .. })),
                    "{address} ({}) in a {} case is the wrong network: {text}",
                    found.name(),
                    case_net.name()
                );
                assert!(
                    text.contains(&format!("this case is Bitcoin {}", case_net.name()))
                        && text.contains(found.name()),
                    "the refusal names both networks: {text}"
                );
                refused += 1;
            }
        }
        drop(wb);
        assert_eq!(
            file_digest(&path),
            before,
            "refused addresses leave the {} case byte-identical",
            case_net.name()
        );
    }
    assert_eq!(
        refused, 16,
        "every distinguishable (case, address) pair was tried: mainnet against the three \
         others in both encodings (6 + 6), regtest bech32 against testnet and signet (2 + 2)"
    );
}

#[test]
fn testnet_and_signet_addresses_cannot_be_told_apart_so_both_are_named() {
    let [tb, _] = addresses_on(BtcNetwork::Testnet);
    let dir = tempfile::tempdir().unwrap();
    let mut wb = case_on(dir.path(), BtcNetwork::Mainnet, None);
    let e = rt().block_on(wb.add(&tb, t0())).unwrap_err().to_string();
    assert!(
        e.contains("Bitcoin testnet or signet address; this case is Bitcoin mainnet"),
        "a tb1 address is testnet's and signet's alike, and the message says so: {e}"
    );
}

#[test]
fn an_esplora_url_of_another_network_is_refused_for_the_case() {
    for (url, serves) in [
        ("https://mempool.space/testnet/api", BtcNetwork::Testnet),
        ("https://mempool.space/signet/api", BtcNetwork::Signet),
        ("https://blockstream.info/testnet/api", BtcNetwork::Testnet),
    ] {
        let spec = BtcSourceSpec::parse(url).unwrap();
        for case in BtcNetwork::ALL {
            let checked = spec.check_network(case);
            if case == serves {
                assert_eq!(checked, Ok(()), "{url} serves a {} case", case.name());
            } else {
                let e = checked.unwrap_err().to_string();
                assert!(
                    e.contains(serves.name()) && e.contains(&format!("on {}", case.name())),
                    "{url} refused for a {} case, naming both networks: {e}",
                    case.name()
                );
            }
        }
    }
}

#[test]
fn a_core_node_on_another_chain_is_refused_once_asked_and_the_case_is_unchanged() {
    let node = core_node::start(NodeOptions {
        chain: Some("test".into()),
        ..NodeOptions::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let wb = case_on(dir.path(), BtcNetwork::Mainnet, None);
    let path = wb.case().path().to_path_buf();
    drop(wb);
    let before = file_digest(&path);
    let mut wb = Workbench::open(&path, None).unwrap();
    wb.connect_source(Some(Connection::new(SourceSpec {
        id: format!("core:{}", node.url),
        base_url: node.url.clone(),
    })));
    let e = rt()
        .block_on(wb.add(TX_100000, t0()))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("the node is on Bitcoin testnet")
            && e.contains("serve this case on Bitcoin mainnet")
            && e.contains("chain \"test\""),
        "the refusal names the node's network, its chain and the case's: {e}"
    );
    let asked: Vec<String> = node
        .requests()
        .iter()
        .map(|r| r.json()["method"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        asked,
        ["getblockchaininfo"],
        "nothing else is asked of a node on the wrong chain"
    );
    drop(wb);
    assert_eq!(file_digest(&path), before, "the case is byte-identical");
}

#[test]
fn a_core_node_on_the_cases_chain_is_asked_once_and_its_answer_kept() {
    let node = core_node::start(NodeOptions::default());
    let dir = tempfile::tempdir().unwrap();
    let mut wb = case_on(dir.path(), BtcNetwork::Mainnet, None);
    wb.connect_source(Some(Connection::new(SourceSpec {
        id: format!("core:{}", node.url),
        base_url: node.url.clone(),
    })));
    let rt = rt();
    rt.block_on(wb.add(TX_100000, t0())).unwrap();
    rt.block_on(wb.import_block("1", t0())).unwrap();
    let asked = node
        .requests()
        .iter()
        .filter(|r| r.json()["method"] == "getblockchaininfo")
        .count();
    assert_eq!(asked, 1, "the chain is checked once per connection");
    let stored: Vec<String> = wb
        .case()
        .raw_responses()
        .unwrap()
        .into_iter()
        .filter(|r| r.endpoint.starts_with("getblockchaininfo"))
        .map(|r| r.source_id)
        .collect();
    assert_eq!(
        stored,
        [format!("core:{}", node.url)],
        "the node's answer naming its chain is kept once, with its provenance"
    );
}

#[test]
fn a_testnet_case_from_the_sim_on_testnet_adds_expands_and_clusters_as_the_truth_says() {
    let sim = Sim::on(BtcNetwork::Testnet);
    let (rt, chain) = (&sim.rt, &sim.chain);
    let seed = chain.seed_address().to_string();
    assert!(
        seed.starts_with("tb1") || seed.starts_with(['m', 'n', '2']),
        "the sim encodes its seed for testnet: {seed}"
    );
    let dir = tempfile::tempdir().unwrap();
    let mut wb = case_on(dir.path(), BtcNetwork::Testnet, Some(sim.spec()));
    let added = rt.block_on(wb.add(&seed, t0())).unwrap();
    assert_eq!(
        added.node_id,
        format!("tbtc:addr:{seed}"),
        "a testnet address is a testnet node"
    );
    let expanded = rt.block_on(wb.expand(&added.node_id, 1, t0())).unwrap();
    assert!(
        !expanded.added.is_empty() && expanded.failed.is_empty(),
        "expanding the testnet seed shows its transactions: {expanded:?}"
    );
    let mainnet = tracebench_sim::generate(tracebench_sim::ScenarioKind::Ransomware, 1);
    let path = wb.case().path().to_path_buf();
    drop(wb);
    let before = file_digest(&path);
    let mut wb = Workbench::open(&path, Some(sim.spec())).unwrap();
    let e = rt
        .block_on(wb.add(mainnet.seed_address(), t0()))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("mainnet address; this case is Bitcoin testnet"),
        "the mainnet seed is refused in the testnet case: {e}"
    );
    drop(wb);
    assert_eq!(file_digest(&path), before, "and the case is unchanged");
    let mut wb = Workbench::open(&path, Some(sim.spec())).unwrap();
    let txids: Vec<String> = chain
        .transactions()
        .map(|t| t.compute_txid().to_string())
        .collect();
    for txid in &txids {
        rt.block_on(wb.add(txid, t0())).unwrap();
    }
    let txs = wb.case().all_txs().unwrap();
    assert_eq!(
        txs.len(),
        txids.len(),
        "the whole testnet chain is in the case"
    );
    assert!(
        txs.iter().all(|t| t.chain == BtcNetwork::Testnet.caip2()),
        "every transaction is stored on the case's chain"
    );
    let found: Vec<Vec<String>> = multi_input(&txs)
        .clusters
        .into_iter()
        .map(|c| c.addresses)
        .collect();
    assert_eq!(
        found,
        chain.truth().expected.multi_input_clusters,
        "the engine's clusters of the testnet case equal the sim's testnet truth"
    );
    assert_ne!(
        chain.truth().expected.multi_input_clusters,
        mainnet.truth().expected.multi_input_clusters,
        "the truth lists the testnet encodings, not the mainnet ones"
    );
    let report = wb
        .report_input_as(
            t0(),
            tracebench_core::api::ReportExtras::default(),
            &tracebench_core::api::ExhibitOptions::default(),
        )
        .unwrap();
    assert!(
        report.method.chains[0].starts_with(&format!(
            "Bitcoin network of this case: testnet ({})",
            BtcNetwork::Testnet.caip2()
        )),
        "the methodology states the case's network first: {:?}",
        report.method.chains
    );
    assert!(
        !report
            .method
            .chains
            .iter()
            .any(|l| l.contains("created on Bitcoin mainnet")),
        "and no longer says cases are mainnet only"
    );
}
