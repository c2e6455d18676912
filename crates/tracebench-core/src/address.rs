//! Bitcoin addresses and transaction ids, validated before anything touches a case.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::chain::BtcNetwork;

/// Why a string is not a usable address or txid. Messages name the problem for the analyst.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum InputError {
    #[error("'{input}' has a bad checksum (a character is probably mistyped)")]
    BadChecksum { input: String },
    #[error("'{input}' is a {found} address, but this case is on Bitcoin {expected}")]
    WrongNetwork {
        input: String,
        expected: &'static str,
        found: &'static str,
    },
    #[error("'{input}' is not a Bitcoin address or transaction id: {detail}")]
    UnknownFormat { input: String, detail: String },
    #[error("'{input}' is not a transaction id: {detail}")]
    BadTxid { input: String, detail: String },
    #[error("the input is empty")]
    Empty,
}

/// The script type of an address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AddressKind {
    P2pkh,
    P2sh,
    P2wpkh,
    P2wsh,
    P2tr,
    Other,
}

/// A validated Bitcoin address on a known network.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BtcAddress {
    text: String,
    network: BtcNetwork,
}

impl BtcAddress {
    /// Parses `input` and requires it to belong to `network`.
    pub fn parse(input: &str, network: BtcNetwork) -> Result<BtcAddress, InputError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(InputError::Empty);
        }
        // rust-bitcoin falls back to base58 when bech32 decoding fails and so loses the reason;
        // decode bech32-looking input with the bech32 crate first to keep it.
        let lower = input.to_ascii_lowercase();
        if ["bc1", "tb1", "bcrt1"].iter().any(|p| lower.starts_with(p)) {
            if let Err(e) = bitcoin::bech32::segwit::decode(input) {
                return Err(classify_chain(input, &e));
            }
        }
        let unchecked = bitcoin::Address::from_str(input).map_err(|e| classify(input, e))?;
        if !unchecked.is_valid_for_network(network.to_bitcoin()) {
            let found = BtcNetwork::ALL
                .into_iter()
                .find(|n| unchecked.is_valid_for_network(n.to_bitcoin()))
                .map(|n| n.name())
                .unwrap_or("unknown-network");
            return Err(InputError::WrongNetwork {
                input: input.to_string(),
                expected: network.name(),
                found,
            });
        }
        let checked = unchecked.assume_checked();
        Ok(BtcAddress {
            text: checked.to_string(),
            network,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn network(&self) -> BtcNetwork {
        self.network
    }

    pub fn kind(&self) -> AddressKind {
        let addr = bitcoin::Address::from_str(&self.text)
            .expect("validated at construction")
            .assume_checked();
        match addr.address_type() {
            Some(bitcoin::AddressType::P2pkh) => AddressKind::P2pkh,
            Some(bitcoin::AddressType::P2sh) => AddressKind::P2sh,
            Some(bitcoin::AddressType::P2wpkh) => AddressKind::P2wpkh,
            Some(bitcoin::AddressType::P2wsh) => AddressKind::P2wsh,
            Some(bitcoin::AddressType::P2tr) => AddressKind::P2tr,
            _ => AddressKind::Other,
        }
    }
}

impl fmt::Display for BtcAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Classifies any error by its message chain: a checksum failure, or an unknown format.
fn classify_chain(input: &str, e: &dyn std::error::Error) -> InputError {
    let mut detail = e.to_string();
    let mut checksum = detail.to_lowercase().contains("checksum");
    let mut src = e.source();
    while let Some(s) = src {
        let text = s.to_string();
        checksum |= text.to_lowercase().contains("checksum");
        detail.push_str(": ");
        detail.push_str(&text);
        src = s.source();
    }
    if checksum {
        InputError::BadChecksum {
            input: input.to_string(),
        }
    } else {
        InputError::UnknownFormat {
            input: input.to_string(),
            detail,
        }
    }
}

fn classify(input: &str, e: bitcoin::address::ParseError) -> InputError {
    use bitcoin::address::ParseError as P;
    match &e {
        P::Base58(bitcoin::base58::Error::IncorrectChecksum(_)) => InputError::BadChecksum {
            input: input.to_string(),
        },
        _ => classify_chain(input, &e),
    }
}

/// A validated transaction id: 64 hex characters, stored lower-case.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Txid(String);

impl Txid {
    pub fn parse(input: &str) -> Result<Txid, InputError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(InputError::Empty);
        }
        if input.len() != 64 {
            return Err(InputError::BadTxid {
                input: input.to_string(),
                detail: format!("it has {} characters, a txid has 64", input.len()),
            });
        }
        if let Some(c) = input.chars().find(|c| !c.is_ascii_hexdigit()) {
            return Err(InputError::BadTxid {
                input: input.to_string(),
                detail: format!("'{c}' is not a hexadecimal digit"),
            });
        }
        Ok(Txid(input.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Txid {
    type Error = InputError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Txid::parse(&s)
    }
}

impl From<Txid> for String {
    fn from(t: Txid) -> String {
        t.0
    }
}

impl fmt::Display for Txid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What an analyst typed into the search box or the CLI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    Address(BtcAddress),
    Tx(Txid),
}

impl Query {
    /// A 64-hex string is a txid; anything else must be an address on `network`.
    pub fn parse(input: &str, network: BtcNetwork) -> Result<Query, InputError> {
        let t = input.trim();
        if t.is_empty() {
            return Err(InputError::Empty);
        }
        if t.len() == 64 && t.chars().all(|c| c.is_ascii_hexdigit()) {
            return Ok(Query::Tx(Txid::parse(t)?));
        }
        BtcAddress::parse(t, network).map(Query::Address)
    }
}
