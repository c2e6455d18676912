//! The same scenario on testnet, signet and regtest: other address strings, the same chain.

use std::str::FromStr;

use tracebench_core::chain::BtcNetwork;
use tracebench_sim::{generate, ScenarioKind};

fn truth_json(network: BtcNetwork) -> String {
    serde_json::to_string(
        &generate(ScenarioKind::Ransomware, 1)
            .on_network(network)
            .truth(),
    )
    .unwrap()
}

#[test]
fn on_mainnet_the_chain_is_the_generated_one_byte_for_byte() {
    assert_eq!(
        truth_json(BtcNetwork::Mainnet),
        serde_json::to_string(&generate(ScenarioKind::Ransomware, 1).truth()).unwrap(),
        "on_network(Mainnet) changes nothing"
    );
}

#[test]
fn off_mainnet_every_address_is_encoded_for_the_network_and_the_story_is_the_same() {
    let mainnet = generate(ScenarioKind::Ransomware, 1);
    let main_truth = mainnet.truth();
    for network in [BtcNetwork::Testnet, BtcNetwork::Signet, BtcNetwork::Regtest] {
        let chain = generate(ScenarioKind::Ransomware, 1).on_network(network);
        assert_eq!(chain.network(), network, "the chain knows its network");
        let truth = chain.truth();
        let target = match network {
            BtcNetwork::Testnet => bitcoin::Network::Testnet,
            BtcNetwork::Signet => bitcoin::Network::Signet,
            _ => bitcoin::Network::Regtest,
        };
        for address in truth.owners.keys().chain([&truth.seed_address]) {
            let parsed = bitcoin::Address::from_str(address).unwrap();
            assert!(
                parsed.is_valid_for_network(target)
                    && !parsed.is_valid_for_network(bitcoin::Network::Bitcoin),
                "{address} is a {} address, not a mainnet one",
                network.name()
            );
        }
        assert_eq!(
            truth.owners.values().collect::<Vec<_>>().len(),
            main_truth.owners.len(),
            "every owner is kept on {}",
            network.name()
        );
        let mut owners: Vec<&String> = truth.owners.values().collect();
        let mut main_owners: Vec<&String> = main_truth.owners.values().collect();
        owners.sort();
        main_owners.sort();
        assert_eq!(
            owners, main_owners,
            "the same owners, whatever the encoding"
        );
        assert_eq!(
            truth.roles.ransom_payment_txids, main_truth.roles.ransom_payment_txids,
            "the transactions are the same on every network"
        );
        assert_eq!(
            truth.expected.multi_input_clusters.len(),
            main_truth.expected.multi_input_clusters.len(),
            "the same clusters, in {} encodings",
            network.name()
        );
        assert_eq!(
            chain.tx_count(),
            mainnet.tx_count(),
            "the same transactions on {}",
            network.name()
        );
    }
}

#[test]
fn the_server_names_its_network_by_the_genesis_block_at_height_zero() {
    let client = reqwest::blocking::Client::new();
    for network in BtcNetwork::ALL {
        let chain = std::sync::Arc::new(generate(ScenarioKind::Ransomware, 1).on_network(network));
        let server = tracebench_sim::serve(chain, "127.0.0.1:0".parse().expect("addr"))
            .expect("server starts");
        let url = format!("{}/block-height/0", server.url());
        let answer = client
            .get(&url)
            .send()
            .unwrap_or_else(|e| panic!("GET {url}: {e}"));
        assert_eq!(
            answer.status().as_u16(),
            200,
            "block 0 is served on {}",
            network.name()
        );
        assert_eq!(
            answer.text().expect("body"),
            network.genesis_hash(),
            "/block-height/0 is {}'s genesis block, so a client can tell the network",
            network.name()
        );
    }
}
