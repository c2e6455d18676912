//! Address and txid validation over real mainnet data.

use std::collections::BTreeSet;

use tracebench_core::address::{AddressKind, BtcAddress, InputError, Query, Txid};
use tracebench_core::chain::BtcNetwork;

use crate::util::tx_captures;

/// Every address that appears in the real captures.
fn real_addresses() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (_, body) in tx_captures() {
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        for o in v["vout"].as_array().unwrap() {
            if let Some(a) = o["scriptpubkey_address"].as_str() {
                out.insert(a.to_string());
            }
        }
        for i in v["vin"].as_array().unwrap() {
            if let Some(a) = i["prevout"]["scriptpubkey_address"].as_str() {
                out.insert(a.to_string());
            }
        }
    }
    out
}

/// Changes one character to another of the same alphabet, so only the checksum can object.
fn mutate(addr: &str) -> String {
    let bech = addr.starts_with("bc1");
    let alphabet: &str = if bech {
        "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
    } else {
        "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    };
    let mut chars: Vec<char> = addr.chars().collect();
    let pos = chars.len() - 3;
    let c = chars[pos];
    let idx = alphabet.find(c).unwrap();
    chars[pos] = alphabet.chars().nth((idx + 1) % alphabet.len()).unwrap();
    chars.into_iter().collect()
}

#[test]
fn every_real_mainnet_address_validates_and_one_changed_character_is_caught() {
    let addrs = real_addresses();
    assert!(
        addrs.len() > 300,
        "the captures hold hundreds of real addresses, found {}",
        addrs.len()
    );
    let mut kinds = BTreeSet::new();
    for a in &addrs {
        let parsed = BtcAddress::parse(a, BtcNetwork::Mainnet)
            .unwrap_or_else(|e| panic!("real mainnet address {a} must validate: {e}"));
        kinds.insert(format!("{:?}", parsed.kind()));
        let bad = mutate(a);
        match BtcAddress::parse(&bad, BtcNetwork::Mainnet) {
            Err(InputError::BadChecksum { .. }) => {}
            other => panic!("{bad} (one character off {a}) must fail its checksum, got {other:?}"),
        }
    }
    for k in ["P2pkh", "P2sh", "P2wpkh", "P2wsh", "P2tr"] {
        assert!(
            kinds.contains(k),
            "the real data covers every address type; {k} missing from {kinds:?}"
        );
    }
}

#[test]
fn the_same_program_is_accepted_on_its_own_network_and_refused_on_others() {
    // BIP-173/350 test vectors and the genesis block's P2PKH address.
    let cases = [
        (
            "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
            BtcNetwork::Mainnet,
            AddressKind::P2wpkh,
        ),
        (
            "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
            BtcNetwork::Testnet,
            AddressKind::P2wsh,
        ),
        (
            "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx",
            BtcNetwork::Signet,
            AddressKind::P2wpkh,
        ),
        (
            "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080",
            BtcNetwork::Regtest,
            AddressKind::P2wpkh,
        ),
        (
            "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
            BtcNetwork::Mainnet,
            AddressKind::P2pkh,
        ),
        (
            "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
            BtcNetwork::Mainnet,
            AddressKind::P2tr,
        ),
    ];
    for (addr, net, kind) in cases {
        let a = BtcAddress::parse(addr, net).unwrap_or_else(|e| panic!("{addr} on {net:?}: {e}"));
        assert_eq!(a.kind(), kind, "{addr} is a {kind:?}");
        let other = if net == BtcNetwork::Mainnet {
            BtcNetwork::Testnet
        } else {
            BtcNetwork::Mainnet
        };
        match BtcAddress::parse(addr, other) {
            Err(e @ InputError::WrongNetwork { .. }) => {
                assert!(
                    e.to_string().contains(other.name()),
                    "the message names the case's network: {e}"
                )
            }
            r => panic!("{addr} must be refused on {other:?} as the wrong network, got {r:?}"),
        }
    }
}

#[test]
fn unknown_formats_and_bad_txids_are_named() {
    for junk in [
        "hello",
        "bc1",
        "0x52908400098527886E0F7030069857D2E4169EE7",
        "1111",
    ] {
        let e = Query::parse(junk, BtcNetwork::Mainnet).unwrap_err();
        assert!(
            matches!(
                e,
                InputError::UnknownFormat { .. } | InputError::BadChecksum { .. }
            ),
            "{junk} is no Bitcoin address: {e:?}"
        );
        assert!(
            e.to_string().contains(junk),
            "the message quotes the input: {e}"
        );
    }
    assert_eq!(
        Query::parse("  ", BtcNetwork::Mainnet),
        Err(InputError::Empty)
    );
    let short = Txid::parse("abcd").unwrap_err();
    assert!(
        short.to_string().contains("64"),
        "says how long a txid is: {short}"
    );
    let nonhex = Txid::parse(&"g".repeat(64)).unwrap_err();
    assert!(
        nonhex.to_string().contains("'g'"),
        "names the bad character: {nonhex}"
    );
    let upper = "F4184FC596403B9D638783CF57ADFE4C75C605F6356FBC91338530E9831E9E16";
    assert_eq!(
        Query::parse(upper, BtcNetwork::Mainnet).unwrap(),
        Query::Tx(Txid::parse(&upper.to_lowercase()).unwrap()),
        "txids are case-insensitive hex and stored lower-case"
    );
}
