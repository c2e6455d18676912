//! Address validation and the key an address is matched by.

use sha3::{Digest, Keccak256};
use tracebench_core::address::BtcAddress;
use tracebench_core::chain::BtcNetwork;

use crate::chain::{family, looks_evm, AddressFamily};

/// Validates `address` for `chain` and returns its match key: the lower-case hex for EVM
/// addresses, the canonical form for Bitcoin, the address as given otherwise.
pub fn match_key(address: &str, chain: &str) -> Result<String, String> {
    let address = address.trim();
    if address.is_empty() {
        return Err("the address is empty".to_string());
    }
    if address.chars().any(char::is_whitespace) {
        return Err(format!("'{address}' contains white space"));
    }
    match family(chain, address) {
        AddressFamily::Bitcoin => BtcAddress::parse(address, BtcNetwork::Mainnet)
            .map(|a| a.as_str().to_string())
            .map_err(|e| e.to_string()),
        AddressFamily::Evm => evm_key(address),
        AddressFamily::Other => Ok(address.to_string()),
    }
}

/// The key a screened address (of unknown chain) is looked up by.
pub fn screen_key(address: &str) -> String {
    let address = address.trim();
    if looks_evm(address) {
        return address.to_ascii_lowercase();
    }
    let lower = address.to_ascii_lowercase();
    if lower.starts_with("bc1") {
        // Bech32 is case-insensitive; stored Bitcoin keys are canonical lower case.
        return lower;
    }
    address.to_string()
}

fn evm_key(address: &str) -> Result<String, String> {
    if !looks_evm(address) {
        return Err(format!(
            "'{address}' is not an EVM address (0x followed by 40 hex digits)"
        ));
    }
    let hex = &address[2..];
    let has_upper = hex.bytes().any(|b| b.is_ascii_uppercase());
    let has_lower = hex.bytes().any(|b| b.is_ascii_lowercase());
    if has_upper && has_lower && eip55(hex) != hex {
        return Err(format!(
            "'{address}' has a bad EIP-55 checksum (a character is probably mistyped)"
        ));
    }
    Ok(format!("0x{}", hex.to_ascii_lowercase()))
}

/// The EIP-55 mixed-case form of 40 hex digits.
pub fn eip55(hex: &str) -> String {
    let lower = hex.to_ascii_lowercase();
    let hash = Keccak256::digest(lower.as_bytes());
    lower
        .chars()
        .enumerate()
        .map(|(i, c)| {
            let nibble = (hash[i / 2] >> if i % 2 == 0 { 4 } else { 0 }) & 0x0f;
            if c.is_ascii_alphabetic() && nibble >= 8 {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect()
}
