use tracebench_core::address::{EvmAddress, EvmInputError, EvmQuery, EvmTxHash};

#[test]
fn eip55_vectors_validate_and_display() {
    // The test vectors of EIP-55 itself.
    for a in [
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ] {
        let parsed = EvmAddress::parse(a).unwrap_or_else(|e| panic!("{a} is valid EIP-55: {e}"));
        assert_eq!(
            parsed.as_str(),
            a.to_ascii_lowercase(),
            "storage form is lower case"
        );
        assert_eq!(parsed.checksummed(), a, "display restores the EIP-55 form");
        assert_eq!(parsed.to_string(), a, "Display is the checksummed form");
    }
}

#[test]
fn single_case_addresses_are_accepted_and_a_mistyped_checksum_is_refused() {
    let lower = EvmAddress::parse("0xdac17f958d2ee523a2206206994597c13d831ec7").unwrap();
    assert_eq!(
        lower.checksummed(),
        "0xdAC17F958D2ee523a2206206994597C13D831ec7",
        "USDT's contract in its well-known EIP-55 form"
    );
    let upper = EvmAddress::parse("0xDAC17F958D2EE523A2206206994597C13D831EC7").unwrap();
    assert_eq!(
        upper, lower,
        "all upper-case carries no checksum and is accepted"
    );
    let err = EvmAddress::parse("0xdAC17F958D2ee523a2206206994597C13D831eC7").unwrap_err();
    assert_eq!(
        err,
        EvmInputError::BadChecksum {
            input: "0xdAC17F958D2ee523a2206206994597C13D831eC7".into(),
            expected: "0xdAC17F958D2ee523a2206206994597C13D831ec7".into(),
        },
        "one flipped letter case fails EIP-55 and the message shows the right form"
    );
    let msg = EvmAddress::parse("0x1234").unwrap_err().to_string();
    assert!(
        msg.contains("4 hex digits") && msg.contains("expected 40"),
        "a short address says how long it is: {msg}"
    );
    let msg = EvmAddress::parse("dac17f958d2ee523a2206206994597c13d831ec7")
        .unwrap_err()
        .to_string();
    assert!(msg.contains("0x"), "the missing prefix is named: {msg}");
    let msg = EvmAddress::parse("0xgac17f958d2ee523a2206206994597c13d831ec7")
        .unwrap_err()
        .to_string();
    assert!(msg.contains("'g'"), "the bad digit is named: {msg}");
}

#[test]
fn queries_tell_hashes_from_addresses() {
    let h = "0x04CBCB236043D8FB7839E07BBC7F5EED692FB2CA55D897F1101EAC3E3AD4FAB8";
    assert_eq!(
        EvmQuery::parse(h).unwrap(),
        EvmQuery::Tx(EvmTxHash::parse(&h.to_ascii_lowercase()).unwrap()),
        "66 characters are a transaction hash, stored lower case"
    );
    assert!(
        matches!(
            EvmQuery::parse("0x0d4a11d5eeaac28ec3f61d100daf4d40471f1852"),
            Ok(EvmQuery::Address(_))
        ),
        "42 characters are an address"
    );
    assert!(EvmQuery::looks_evm("0xabc") && !EvmQuery::looks_evm("bc1qxyz"));
}
