//! Chains as label sources name them ("XBT", "ETH", "BEP20"…), and their CAIP-2 ids where known.
//!
//! A label keeps the chain exactly as its source named it; the CAIP-2 id is recorded beside it
//! when the name maps to one network without doubt. Token tickers (USDT, USDC) name no single
//! network, so they get none.

/// How addresses of a chain are written, which decides how they are validated and matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressFamily {
    /// Bitcoin mainnet: validated with rust-bitcoin, bech32 matched in lower case.
    Bitcoin,
    /// EVM chains: `0x` + 40 hex digits, EIP-55 checked when mixed case, matched case-insensitively.
    Evm,
    /// Everything else: kept as given and matched exactly.
    Other,
}

const BTC_MAINNET: &str = "bip122:000000000019d6689c085ae165831e93";

/// The CAIP-2 id of a chain name, when the name identifies one network.
pub fn caip2(chain: &str) -> Option<&'static str> {
    Some(match chain.trim().to_ascii_uppercase().as_str() {
        "BTC" | "XBT" | "BITCOIN" => BTC_MAINNET,
        "LTC" | "LITECOIN" => "bip122:12a765e31ffd4059bada1e25190f6e98",
        "BCH" => "bip122:000000000000000000651ef99cb9fcbe",
        "DOGE" => "bip122:1a91e3dace36e2be3bf030a65679fe82",
        "ETH" | "ETHEREUM" => "eip155:1",
        "ETC" => "eip155:61",
        "BSC" | "BNB" | "BEP20" => "eip155:56",
        "ARB" | "ARBITRUM" => "eip155:42161",
        "MATIC" | "POLYGON" => "eip155:137",
        "AVAX" => "eip155:43114",
        _ => return None,
    })
}

/// The address family of a chain name; token tickers follow the address's own form.
pub fn family(chain: &str, address: &str) -> AddressFamily {
    match caip2(chain) {
        Some(BTC_MAINNET) => AddressFamily::Bitcoin,
        Some(id) if id.starts_with("eip155:") => AddressFamily::Evm,
        Some(_) => AddressFamily::Other,
        None if looks_evm(address) => AddressFamily::Evm,
        None => AddressFamily::Other,
    }
}

/// `0x` followed by exactly 40 hex digits (any case).
pub fn looks_evm(address: &str) -> bool {
    let a = address.as_bytes();
    a.len() == 42
        && (a.starts_with(b"0x") || a.starts_with(b"0X"))
        && a[2..].iter().all(u8::is_ascii_hexdigit)
}
