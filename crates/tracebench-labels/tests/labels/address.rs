use tracebench_labels::address::{eip55, match_key, screen_key};

#[test]
fn eip55_checksums_are_checked_when_mixed_case() {
    // The EIP-55 specification's own example.
    let good = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
    assert_eq!(
        eip55(&good[2..]),
        good[2..],
        "the checksum of the spec's example must reproduce it"
    );
    assert_eq!(
        match_key(good, "ETH").as_deref(),
        Ok("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"),
        "EVM addresses are keyed in lower case"
    );
    let bad = "0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
    assert!(
        match_key(bad, "ETH").unwrap_err().contains("EIP-55"),
        "one flipped letter breaks the checksum"
    );
    assert!(
        match_key(&good.to_ascii_lowercase(), "ETH").is_ok(),
        "all-lower-case addresses carry no checksum"
    );
    assert!(
        match_key("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA", "BSC").is_err(),
        "an EVM address has 40 hex digits"
    );
}

#[test]
fn bitcoin_addresses_are_validated_and_other_chains_kept_as_given() {
    assert!(
        match_key("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", "BTC").is_err(),
        "a mistyped base58 address fails its checksum"
    );
    assert_eq!(
        match_key("BC1QKD9HM2QWVCK3MVLUL035KL6V4NZ04S6DMRYEQ5", "XBT").as_deref(),
        Ok("bc1qkd9hm2qwvck3mvlul035kl6v4nz04s6dmryeq5"),
        "bech32 is case-insensitive and keyed in lower case"
    );
    assert_eq!(
        match_key("TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq", "TRX").as_deref(),
        Ok("TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq"),
        "chains we cannot validate are kept exactly"
    );
    assert_eq!(
        screen_key("0xABCDEF0123456789ABCDEF0123456789ABCDEF01"),
        "0xabcdef0123456789abcdef0123456789abcdef01",
        "screened EVM addresses match case-insensitively"
    );
}
