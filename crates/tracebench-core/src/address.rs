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
    /// `found` names every network whose encoding the address has ("testnet or signet": those
    /// two share their address prefixes, so no address tells them apart).
    #[error("'{input}' is a Bitcoin {found} address; this case is Bitcoin {expected}")]
    WrongNetwork {
        input: String,
        expected: &'static str,
        found: String,
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
            let found: Vec<&str> = BtcNetwork::ALL
                .into_iter()
                .filter(|n| unchecked.is_valid_for_network(n.to_bitcoin()))
                .map(|n| n.name())
                .collect();
            let found = if found.is_empty() {
                "unknown-network".to_string()
            } else {
                found.join(" or ")
            };
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

/// Why a string is not a usable EVM address or transaction hash.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum EvmInputError {
    #[error("'{input}' is not an EVM address: {detail}")]
    BadAddress { input: String, detail: String },
    #[error("'{input}' fails its EIP-55 checksum (a character is probably mistyped); the checksummed form of these 40 hex digits is {expected}")]
    BadChecksum { input: String, expected: String },
    #[error("'{input}' is not an EVM transaction hash: {detail}")]
    BadTxHash { input: String, detail: String },
}

fn hex_body(input: &str, len: usize) -> Result<&str, String> {
    let body = input
        .strip_prefix("0x")
        .or_else(|| input.strip_prefix("0X"))
        .ok_or_else(|| "it does not start with 0x".to_string())?;
    if body.len() != len {
        return Err(format!(
            "it has {} hex digits after 0x, expected {len}",
            body.len()
        ));
    }
    if let Some(c) = body.chars().find(|c| !c.is_ascii_hexdigit()) {
        return Err(format!("'{c}' is not a hexadecimal digit"));
    }
    Ok(body)
}

/// EIP-55 mixed-case checksum form of 40 hex digits (any case, without `0x`).
fn eip55_of(hex40: &str) -> String {
    use sha3::{Digest, Keccak256};
    let lower = hex40.to_ascii_lowercase();
    let hash = Keccak256::digest(lower.as_bytes());
    let mut out = String::with_capacity(42);
    out.push_str("0x");
    for (i, c) in lower.chars().enumerate() {
        let nibble = (hash[i / 2] >> (if i % 2 == 0 { 4 } else { 0 })) & 0x0f;
        if c.is_ascii_alphabetic() && nibble >= 8 {
            out.push(c.to_ascii_uppercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// A validated EVM address, stored as `0x` + 40 lower-case hex digits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EvmAddress(String);

impl EvmAddress {
    /// Accepts all-lower or all-upper hex digits as they are; mixed case must match EIP-55.
    pub fn parse(input: &str) -> Result<EvmAddress, EvmInputError> {
        let t = input.trim();
        let body = hex_body(t, 40).map_err(|detail| EvmInputError::BadAddress {
            input: t.to_string(),
            detail,
        })?;
        let has_lower = body.chars().any(|c| c.is_ascii_lowercase());
        let has_upper = body.chars().any(|c| c.is_ascii_uppercase());
        if has_lower && has_upper {
            let expected = eip55_of(body);
            if expected[2..] != *body {
                return Err(EvmInputError::BadChecksum {
                    input: t.to_string(),
                    expected,
                });
            }
        }
        Ok(EvmAddress(format!("0x{}", body.to_ascii_lowercase())))
    }

    /// The stored (lower-case) form.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The EIP-55 checksummed form for display.
    pub fn checksummed(&self) -> String {
        eip55_of(&self.0[2..])
    }
}

impl TryFrom<String> for EvmAddress {
    type Error = EvmInputError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        EvmAddress::parse(&s)
    }
}

impl From<EvmAddress> for String {
    fn from(a: EvmAddress) -> String {
        a.0
    }
}

impl fmt::Display for EvmAddress {
    /// Displays the EIP-55 form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.checksummed())
    }
}

/// A validated EVM transaction hash, stored as `0x` + 64 lower-case hex digits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EvmTxHash(String);

impl EvmTxHash {
    pub fn parse(input: &str) -> Result<EvmTxHash, EvmInputError> {
        let t = input.trim();
        let body = hex_body(t, 64).map_err(|detail| EvmInputError::BadTxHash {
            input: t.to_string(),
            detail,
        })?;
        Ok(EvmTxHash(format!("0x{}", body.to_ascii_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for EvmTxHash {
    type Error = EvmInputError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        EvmTxHash::parse(&s)
    }
}

impl From<EvmTxHash> for String {
    fn from(h: EvmTxHash) -> String {
        h.0
    }
}

impl fmt::Display for EvmTxHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An EVM query: `0x` + 40 hex digits is an address, `0x` + 64 a transaction hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvmQuery {
    Address(EvmAddress),
    Tx(EvmTxHash),
}

impl EvmQuery {
    /// True when `input` looks like an EVM address or hash (starts with `0x`).
    pub fn looks_evm(input: &str) -> bool {
        let t = input.trim();
        t.starts_with("0x") || t.starts_with("0X")
    }

    pub fn parse(input: &str) -> Result<EvmQuery, EvmInputError> {
        let t = input.trim();
        if t.len() == 66 {
            EvmTxHash::parse(t).map(EvmQuery::Tx)
        } else {
            EvmAddress::parse(t).map(EvmQuery::Address)
        }
    }
}
