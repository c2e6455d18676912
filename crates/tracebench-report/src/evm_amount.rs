//! Exact EVM amounts as the report prints them: the asset's units with every decimal place and
//! thousands separators, the symbol, and the base-unit integer with the decimals, e.g.
//! `1,250.000000 USDT (1250000000 base units, 6 decimals)`. Works on the decimal text, so any
//! uint256 (up to 2^256 − 1) is printed exactly; no floats.

/// The digits of `amount` without leading zeros ("0" for zero); `None` when it is not a
/// non-empty string of ASCII digits.
fn digits(amount: &str) -> Option<&str> {
    let t = amount.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let d = t.trim_start_matches('0');
    Some(if d.is_empty() { "0" } else { d })
}

/// `1234567` → `1,234,567`.
fn grouped(int: &str) -> String {
    let mut out = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `amount` base units in the asset's units with all `decimals` places and thousands
/// separators (`1250000000`, 6 → `1,250.000000`); the digits as they are when `decimals` is
/// unknown. Text that is not a whole number is returned as it is, marked.
pub fn units(amount: &str, decimals: Option<u32>) -> String {
    let Some(d) = digits(amount) else {
        return format!("{} (not a whole number of base units)", amount.trim());
    };
    let Some(places) = decimals.map(|p| p as usize) else {
        return grouped(d);
    };
    if places == 0 {
        return grouped(d);
    }
    let padded = format!("{d:0>width$}", width = places + 1);
    let (int, frac) = padded.split_at(padded.len() - places);
    format!("{}.{frac}", grouped(int))
}

/// The full statement of an amount: `1,250.000000 USDT (1250000000 base units, 6 decimals)`;
/// `1250000000 base units of TKN (decimals not known)` when the token never said.
pub fn stated(amount: &str, symbol: &str, decimals: Option<u32>) -> String {
    let base = digits(amount).unwrap_or(amount.trim());
    match decimals {
        Some(d) => format!(
            "{} {symbol} ({base} base units, {d} decimals)",
            units(amount, Some(d))
        ),
        None => format!("{base} base units of {symbol} (decimals not known)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const U256_MAX: &str =
        "115792089237316195423570985008687907853269984665640564039457584007913129639935";

    #[test]
    fn token_amounts_show_every_decimal_with_the_base_units() {
        assert_eq!(
            stated("1250000000", "USDT", Some(6)),
            "1,250.000000 USDT (1250000000 base units, 6 decimals)",
            "the assignment's example, exactly"
        );
        assert_eq!(
            stated("1", "ETH", Some(18)),
            "0.000000000000000001 ETH (1 base units, 18 decimals)",
            "one wei keeps all eighteen places"
        );
        assert_eq!(
            units("000", Some(6)),
            "0.000000",
            "zero is zero, leading zeros dropped"
        );
        assert_eq!(
            units("999999", Some(6)),
            "0.999999",
            "below one unit pads the integer part with 0"
        );
        assert_eq!(
            units("1000000", Some(0)),
            "1,000,000",
            "no decimals: the integer, grouped"
        );
    }

    #[test]
    fn the_largest_uint256_is_printed_exactly() {
        assert_eq!(
            stated(U256_MAX, "TKN", Some(18)),
            format!(
                "115,792,089,237,316,195,423,570,985,008,687,907,853,269,984,665,640,564,039,457.\
                 584007913129639935 TKN ({U256_MAX} base units, 18 decimals)"
            ),
            "2^256 - 1 with 18 decimals: every digit kept, nothing rounded"
        );
        assert_eq!(
            units(U256_MAX, Some(0)).replace(',', ""),
            U256_MAX,
            "the grouped integer is the same digits"
        );
    }

    #[test]
    fn unknown_decimals_and_bad_text_are_said_so() {
        assert_eq!(
            stated("42", "0xdac17f…1ec7", None),
            "42 base units of 0xdac17f…1ec7 (decimals not known)",
            "without decimals only base units can be stated"
        );
        assert_eq!(
            units("1.5", Some(6)),
            "1.5 (not a whole number of base units)",
            "text that is not an integer is never reinterpreted"
        );
    }
}
