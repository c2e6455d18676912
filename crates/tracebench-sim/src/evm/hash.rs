//! Keccak-256 and what Ethereum derives from it: addresses, contract addresses, EIP-55 checksums,
//! event topics and the 2048-bit log bloom.

use sha3::{Digest, Keccak256};

/// A 20-byte account address.
pub type Address = [u8; 20];
/// A 32-byte hash (transaction, block, topic).
pub type H256 = [u8; 32];

/// Keccak-256 (the pre-standard SHA-3 that Ethereum uses).
pub fn keccak(bytes: &[u8]) -> H256 {
    Keccak256::digest(bytes).into()
}

/// The address of a public key: the last 20 bytes of the Keccak-256 of its 64 bytes.
pub fn address_of_pubkey(pubkey: &[u8; 64]) -> Address {
    let hash = keccak(pubkey);
    let mut address = [0u8; 20];
    address.copy_from_slice(&hash[12..]);
    address
}

/// The address of a contract created by `sender` with `nonce` (CREATE):
/// `keccak(rlp([sender, nonce]))[12..]`.
pub fn contract_address(sender: &Address, nonce: u64) -> Address {
    let nonce_rlp: Vec<u8> = match nonce {
        0 => vec![0x80],
        1..=0x7f => vec![nonce as u8],
        _ => {
            let bytes = nonce.to_be_bytes();
            let skip = bytes.iter().take_while(|b| **b == 0).count();
            let mut out = vec![0x80 + (8 - skip) as u8];
            out.extend_from_slice(&bytes[skip..]);
            out
        }
    };
    let payload_len = 21 + nonce_rlp.len();
    let mut rlp = vec![0xc0 + payload_len as u8, 0x80 + 20];
    rlp.extend_from_slice(sender);
    rlp.extend_from_slice(&nonce_rlp);
    let hash = keccak(&rlp);
    let mut address = [0u8; 20];
    address.copy_from_slice(&hash[12..]);
    address
}

/// `0x` + 40 lowercase hex digits, as JSON-RPC and Etherscan print addresses.
pub fn hex_address(address: &Address) -> String {
    format!("0x{}", hex::encode(address))
}

/// `0x` + 64 lowercase hex digits.
pub fn hex_hash(hash: &H256) -> String {
    format!("0x{}", hex::encode(hash))
}

/// The EIP-55 mixed-case checksum form of an address.
pub fn checksum(address: &Address) -> String {
    let lower = hex::encode(address);
    let hash = keccak(lower.as_bytes());
    let mut out = String::from("0x");
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

/// Parses `0x` + 40 hex digits (any case). Mixed case must carry a valid EIP-55 checksum.
pub fn parse_address(s: &str) -> Option<Address> {
    let digits = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X"))?;
    if digits.len() != 40 {
        return None;
    }
    let mut address = [0u8; 20];
    hex::decode_to_slice(digits, &mut address).ok()?;
    let mixed = digits.chars().any(|c| c.is_ascii_uppercase())
        && digits.chars().any(|c| c.is_ascii_lowercase());
    if mixed && checksum(&address)[2..] != *digits {
        return None;
    }
    Some(address)
}

/// Parses `0x` + 64 hex digits.
pub fn parse_hash(s: &str) -> Option<H256> {
    let digits = s.strip_prefix("0x")?;
    let mut hash = [0u8; 32];
    hex::decode_to_slice(digits, &mut hash).ok()?;
    Some(hash)
}

/// The topic of an event signature, e.g. `Transfer(address,address,uint256)`.
pub fn event_topic(signature: &str) -> H256 {
    keccak(signature.as_bytes())
}

/// The 4-byte selector of a function signature.
pub fn selector(signature: &str) -> [u8; 4] {
    let hash = keccak(signature.as_bytes());
    [hash[0], hash[1], hash[2], hash[3]]
}

/// An address as a 32-byte ABI word (left-padded with zeros).
pub fn address_word(address: &Address) -> H256 {
    let mut word = [0u8; 32];
    word[12..].copy_from_slice(address);
    word
}

/// An unsigned amount as a 32-byte ABI word.
pub fn amount_word(amount: u128) -> H256 {
    let mut word = [0u8; 32];
    word[16..].copy_from_slice(&amount.to_be_bytes());
    word
}

/// The 2048-bit bloom filter of logs (Yellow Paper §4.3.1): for the log's address and each
/// topic, three bits chosen by the first three byte pairs of its Keccak-256.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bloom(pub [u8; 256]);

impl Default for Bloom {
    fn default() -> Self {
        Bloom([0u8; 256])
    }
}

impl Bloom {
    /// Adds one item (an address or a topic).
    pub fn accrue(&mut self, item: &[u8]) {
        let hash = keccak(item);
        for pair in 0..3 {
            let bit = (usize::from(hash[2 * pair]) << 8 | usize::from(hash[2 * pair + 1])) & 2047;
            self.0[255 - bit / 8] |= 1 << (bit % 8);
        }
    }

    /// Sets every bit of `other` too.
    pub fn union(&mut self, other: &Bloom) {
        for (a, b) in self.0.iter_mut().zip(other.0.iter()) {
            *a |= b;
        }
    }

    /// `0x` + 512 hex digits.
    pub fn hex(&self) -> String {
        format!("0x{}", hex::encode(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transfer_topic_is_the_erc20_one() {
        assert_eq!(
            hex_hash(&event_topic("Transfer(address,address,uint256)")),
            "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef",
            "keccak must match Ethereum's, or no client would decode our logs"
        );
        assert_eq!(
            selector("transfer(address,uint256)"),
            [0xa9, 0x05, 0x9c, 0xbb],
            "the ERC-20 transfer selector"
        );
    }

    #[test]
    fn eip55_matches_the_specification_examples() {
        // Examples from EIP-55.
        for expected in [
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
            "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
            "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
            "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
        ] {
            let address = parse_address(&expected.to_lowercase()).expect("valid hex");
            assert_eq!(checksum(&address), expected, "EIP-55 test vector");
            assert!(
                parse_address(expected).is_some(),
                "a correct checksum is accepted"
            );
        }
        assert!(
            parse_address("0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed").is_none(),
            "one flipped letter case breaks the checksum"
        );
    }

    #[test]
    fn contract_address_matches_a_known_deployment() {
        // The first contract created by 0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0 (nonce 0) is
        // 0xcd234a471b72ba2f1ccf0a70fcaba648a5eecd8d (the standard CREATE example).
        let sender = parse_address("0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0").expect("hex");
        assert_eq!(
            hex_address(&contract_address(&sender, 0)),
            "0xcd234a471b72ba2f1ccf0a70fcaba648a5eecd8d",
            "CREATE address = keccak(rlp([sender, nonce]))[12..]"
        );
        assert_eq!(
            hex_address(&contract_address(&sender, 1)),
            "0x343c43a37d37dff08ae8c4a11544c718abb4fcf8",
            "nonce 1 of the same sender"
        );
    }
}
