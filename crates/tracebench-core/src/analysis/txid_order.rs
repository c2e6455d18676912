//! Sorting many strings (txids, addresses) fast and exactly as `str`'s own order would.
//!
//! A string's first 16 bytes, read big-endian into a `u128` and padded with zero bytes, order
//! strings as their bytes do wherever those keys differ: comparing two integers in registers
//! settles almost every comparison, and only equal keys fall back to comparing the strings.
//! The result is the order of a stable sort by the strings themselves, byte for byte.

use crate::model::Tx;

/// The first 16 bytes of `s` as a big-endian integer, padded with zero bytes. For any strings
/// `a` and `b`, `prefix_key(a) < prefix_key(b)` implies `a < b` (a zero pad sorts before every
/// byte, as a shorter string sorts before a longer one it begins).
pub fn prefix_key(s: &str) -> u128 {
    let mut buf = [0u8; 16];
    let bytes = s.as_bytes();
    let n = bytes.len().min(16);
    buf[..n].copy_from_slice(&bytes[..n]);
    u128::from_be_bytes(buf)
}

/// `txs` sorted by txid, the first of duplicate txids kept: what a stable sort by txid followed
/// by `dedup_by` on the txid gives.
pub fn sorted_unique_by_txid(txs: &[Tx]) -> Vec<&Tx> {
    sorted_unique_positions(txs)
        .into_iter()
        .map(|k| &txs[k as usize])
        .collect()
}

/// [`sorted_unique_by_txid`] as positions in `txs`.
pub fn sorted_unique_positions(txs: &[Tx]) -> Vec<u32> {
    let mut keyed: Vec<(u128, u32)> = txs
        .iter()
        .enumerate()
        .map(|(i, t)| (prefix_key(&t.txid), i as u32))
        .collect();
    // Ties between equal txids go to the earlier position, as in a stable sort.
    keyed.sort_unstable_by(|x, y| {
        x.0.cmp(&y.0)
            .then_with(|| txs[x.1 as usize].txid.cmp(&txs[y.1 as usize].txid))
            .then(x.1.cmp(&y.1))
    });
    let mut out: Vec<u32> = Vec::with_capacity(keyed.len());
    for (_, i) in keyed {
        let t = &txs[i as usize];
        if out
            .last()
            .is_none_or(|last| txs[*last as usize].txid != t.txid)
        {
            out.push(i);
        }
    }
    out
}

/// Sorts `strs` into `str` order (equal strings are indistinguishable, so stability does not
/// matter).
pub fn sort_strs(strs: &mut [&str]) {
    if strs.len() <= 8 {
        strs.sort_unstable();
        return;
    }
    strs.sort_by_cached_key(|s| prefix_key(s));
    // Runs of equal keys are sorted by the strings themselves.
    let mut start = 0;
    while start < strs.len() {
        let key = prefix_key(strs[start]);
        let mut end = start + 1;
        while end < strs.len() && prefix_key(strs[end]) == key {
            end += 1;
        }
        if end - start > 1 {
            strs[start..end].sort_unstable();
        }
        start = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (xorshift), so the test needs no dependency.
    fn strings(seed: u64, n: usize) -> Vec<String> {
        let mut x = seed;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        (0..n)
            .map(|_| {
                // Short and long strings over a tiny alphabet, so that shared 16-byte prefixes,
                // prefixes of one another and exact duplicates all occur.
                let len = (next() % 24) as usize;
                (0..len)
                    .map(|_| ['a', 'b', '0'][(next() % 3) as usize])
                    .collect()
            })
            .collect()
    }

    #[test]
    fn prefix_key_never_contradicts_string_order() {
        let s = strings(7, 400);
        for a in &s {
            for b in &s {
                if prefix_key(a) < prefix_key(b) {
                    assert!(a < b, "key order must imply string order: {a:?} vs {b:?}");
                }
            }
        }
    }

    #[test]
    fn sort_strs_gives_the_plain_sort() {
        for seed in 1..20 {
            let owned = strings(seed, 300);
            let mut fast: Vec<&str> = owned.iter().map(String::as_str).collect();
            let mut plain = fast.clone();
            sort_strs(&mut fast);
            plain.sort();
            assert_eq!(
                fast, plain,
                "seed {seed}: prefix-key sort must equal str's sort"
            );
        }
    }

    #[test]
    fn sorted_unique_by_txid_equals_stable_sort_then_dedup() {
        for seed in 1..20 {
            let txs: Vec<Tx> = strings(seed, 300)
                .into_iter()
                .enumerate()
                .map(|(i, txid)| Tx {
                    chain: "bip122:000000000019d6689c085ae165831e93".into(),
                    txid,
                    // The version tells duplicates apart: the first occurrence must win.
                    version: i as i64,
                    locktime: 0,
                    size: None,
                    weight: None,
                    fee: None,
                    confirmation: Default::default(),
                    inputs: Vec::new(),
                    outputs: Vec::new(),
                })
                .collect();
            let mut plain: Vec<&Tx> = txs.iter().collect();
            plain.sort_by(|a, b| a.txid.cmp(&b.txid));
            plain.dedup_by(|a, b| a.txid == b.txid);
            let fast = sorted_unique_by_txid(&txs);
            let key = |v: &[&Tx]| -> Vec<(String, i64)> {
                v.iter().map(|t| (t.txid.clone(), t.version)).collect()
            };
            assert_eq!(
                key(&fast),
                key(&plain),
                "seed {seed}: same txids in the same order, first of duplicates kept"
            );
        }
    }
}
