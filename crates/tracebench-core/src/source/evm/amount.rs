//! Exact uint256 amounts: hex quantities (JSON-RPC) and decimal text (Etherscan) to canonical
//! decimal text, without floats and without a big-integer dependency.

/// 2^256 - 1, the largest uint256.
const UINT256_MAX: &str =
    "115792089237316195423570985008687907853269984665640564039457584007913129639935";

/// A `0x…` quantity or 32-byte word (at most 64 hex digits) as decimal text.
pub fn hex_to_decimal(hex: &str) -> Result<String, String> {
    let body = hex
        .strip_prefix("0x")
        .ok_or_else(|| format!("'{hex}' is not a 0x-prefixed hex quantity"))?;
    if body.is_empty() {
        return Err(format!("'{hex}' has no digits"));
    }
    let digits = body.trim_start_matches('0');
    if digits.len() > 64 {
        return Err(format!("'{hex}' does not fit in 256 bits"));
    }
    // Little-endian limbs in base 10^9.
    let mut limbs: Vec<u64> = vec![0];
    for c in digits.chars() {
        let d = c
            .to_digit(16)
            .ok_or_else(|| format!("'{c}' in '{hex}' is not a hexadecimal digit"))?;
        let mut carry = u64::from(d);
        for limb in limbs.iter_mut() {
            let v = *limb * 16 + carry;
            *limb = v % 1_000_000_000;
            carry = v / 1_000_000_000;
        }
        while carry > 0 {
            limbs.push(carry % 1_000_000_000);
            carry /= 1_000_000_000;
        }
    }
    let mut out = limbs.last().copied().unwrap_or(0).to_string();
    for limb in limbs.iter().rev().skip(1) {
        out.push_str(&format!("{limb:09}"));
    }
    Ok(out)
}

/// A small hex quantity (block number, index, gas) as u64.
pub fn hex_to_u64(hex: &str) -> Result<u64, String> {
    let body = hex
        .strip_prefix("0x")
        .ok_or_else(|| format!("'{hex}' is not a 0x-prefixed hex quantity"))?;
    u64::from_str_radix(body, 16).map_err(|e| format!("'{hex}' is not a 64-bit quantity: {e}"))
}

/// Decimal text of a uint256 in canonical form (no sign, no leading zeros).
pub fn canonical_decimal(text: &str) -> Result<String, String> {
    let t = text.trim();
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("'{text}' is not a whole decimal amount"));
    }
    let stripped = t.trim_start_matches('0');
    let canonical = if stripped.is_empty() { "0" } else { stripped };
    if canonical.len() > UINT256_MAX.len()
        || (canonical.len() == UINT256_MAX.len() && canonical > UINT256_MAX)
    {
        return Err(format!("'{text}' does not fit in 256 bits"));
    }
    Ok(canonical.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_amounts_convert_exactly_up_to_uint256() {
        assert_eq!(
            hex_to_decimal("0x56bc75e2d63100000").unwrap(),
            "100000000000000000000",
            "100 ether in wei (ethereum-etl block 1,000,000 trace)"
        );
        assert_eq!(hex_to_decimal("0x0").unwrap(), "0");
        assert_eq!(
            hex_to_decimal(&format!("0x{}", "f".repeat(64))).unwrap(),
            UINT256_MAX,
            "the largest word converts without loss"
        );
        assert!(
            hex_to_decimal(&format!("0x1{}", "0".repeat(64))).is_err(),
            "257 bits are refused"
        );
        assert!(hex_to_decimal("12").is_err(), "the 0x prefix is required");
        assert!(
            hex_to_decimal("0xzz").is_err(),
            "non-hex digits are refused"
        );
    }

    #[test]
    fn decimal_text_is_canonical_and_bounded() {
        assert_eq!(canonical_decimal("000150").unwrap(), "150");
        assert_eq!(canonical_decimal("0").unwrap(), "0");
        assert_eq!(canonical_decimal(UINT256_MAX).unwrap(), UINT256_MAX);
        assert!(
            canonical_decimal(
                "115792089237316195423570985008687907853269984665640564039457584007913129639936"
            )
            .is_err(),
            "2^256 overflows"
        );
        assert!(
            canonical_decimal("-1").is_err(),
            "negative amounts do not exist"
        );
        assert!(
            canonical_decimal("1.5").is_err(),
            "fractions are not base units"
        );
    }
}
