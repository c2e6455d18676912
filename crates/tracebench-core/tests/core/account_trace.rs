//! Account-model tracing (EVM): hand-built scenarios with worked numbers, real WETH transfers
//! of Ethereum mainnet blocks 17,173,049–17,173,050, and conservation and determinism as
//! properties.

use std::collections::BTreeMap;

use proptest::prelude::*;
use tracebench_core::analysis::account_trace::{trace_accounts, AccountTrace, AccountTraceError};
use tracebench_core::analysis::trace::{TaintModel, TraceDirection, TraceStart};
use tracebench_core::model::{AccountTransfer, AccountTransferKind};

use crate::util::fixtures;

const TOKEN: &str = "eip155:1/erc20:0x00000000000000000000000000000000000000aa";
const WETH: &str = "eip155:1/erc20:0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2";

fn addr(name: u8) -> String {
    format!("0x{:040x}", name)
}

fn hash(n: u64) -> String {
    format!("0x{n:064x}")
}

/// A token transfer in block `block` (one transaction per block, tx index 0).
fn token(block: u64, log: u32, from: u8, to: u8, amount: &str) -> AccountTransfer {
    AccountTransfer {
        chain: "eip155:1".into(),
        txid: hash(block),
        block_height: block,
        block_time: 1_700_000_000 + block as i64,
        tx_index: 0,
        log_index: Some(log),
        trace_index: 0,
        kind: AccountTransferKind::Token,
        from: addr(from),
        to: addr(to),
        asset: TOKEN.into(),
        amount: amount.into(),
    }
}

const S: u8 = 1; // the thief's source
const F: u8 = 2; // a clean funder
const X: u8 = 3; // the mixing address
const Y1: u8 = 11;
const Y2: u8 = 12;
const Y3: u8 = 13;
const Z: u8 = 20;

/// 3,001 stolen (block 1) and 6,999 clean (block 2) into X; block 3: X pays Y1 4,000, Y2 4,000
/// and Y3 2,000 in one transaction; block 4: Y1 pays Z 4,000.
fn scenario() -> Vec<AccountTransfer> {
    vec![
        token(1, 0, S, X, "3001"),
        token(2, 0, F, X, "6999"),
        token(3, 0, X, Y1, "4000"),
        token(3, 1, X, Y2, "4000"),
        token(3, 2, X, Y3, "2000"),
        token(4, 0, Y1, Z, "4000"),
    ]
}

fn stolen() -> TraceStart {
    TraceStart::parse(&format!("eip155:1:{}:0", hash(1)))
}

/// Address → (received, remaining, held at the hop limit) of the only asset.
fn at(t: &AccountTrace) -> BTreeMap<String, (u128, u128, u128)> {
    assert_eq!(t.assets.len(), 1, "one asset traced");
    t.assets[0]
        .addresses
        .iter()
        .map(|a| {
            (
                a.address.clone(),
                (
                    a.received.parse().unwrap(),
                    a.remaining.parse().unwrap(),
                    a.held_at_hop_limit.parse().unwrap(),
                ),
            )
        })
        .collect()
}

#[test]
fn the_transfer_id_parses_as_an_account_start() {
    assert_eq!(
        stolen(),
        TraceStart::Transfer {
            chain: "eip155:1".into(),
            txid: hash(1),
            log_index: 0
        },
        "eip155:<chain>:<txhash>:<logIndex> is a transfer start"
    );
    assert_eq!(
        TraceStart::parse("eip155:1:0x12:0"),
        TraceStart::Address("eip155:1:0x12:0".into()),
        "a malformed id is not taken for a transfer"
    );
    let err = trace_accounts(
        &scenario(),
        &TraceStart::parse("eip155:1:0x12:0"),
        TaintModel::Haircut,
        TraceDirection::Forward,
        3,
    )
    .unwrap_err();
    assert_eq!(
        err,
        AccountTraceError::InvalidStart("eip155:1:0x12:0".into()),
        "and is refused by name"
    );
}

#[test]
fn haircut_forward_splits_pro_rata_with_the_remainder_to_the_largest_receiver() {
    let t = trace_accounts(
        &scenario(),
        &stolen(),
        TaintModel::Haircut,
        TraceDirection::Forward,
        1,
    )
    .unwrap();
    // X holds 10,000 of which 3,001 tainted and sends all of it: 3,001 taint leave. Pro rata:
    // 3,001 × 4,000 / 10,000 = 1,200.4 → 1,200 (Y1), 1,200 (Y2); 3,001 × 2,000 / 10,000 = 600.2 →
    // 600 (Y3); 1 left over goes to the largest receiver, Y1 and Y2 tie, the lower order key
    // (log 0) wins: Y1 1,201. Y1's payment to Z is hop 2, beyond the limit: held at Y1.
    let want = BTreeMap::from([
        (addr(X), (3001, 0, 0)),
        (addr(Y1), (1201, 0, 1201)),
        (addr(Y2), (1200, 1200, 0)),
        (addr(Y3), (600, 600, 0)),
    ]);
    assert_eq!(at(&t), want, "the worked haircut numbers");
    let c = &t.assets[0].conservation;
    assert_eq!(
        (
            c.seeded.as_str(),
            c.unresolved.as_str(),
            c.held_at_hop_limit.as_str()
        ),
        ("3001", "1800", "1201"),
        "seeded = unresolved + held at the hop limit"
    );
    assert!(c.balanced, "haircut conserves");
    assert_eq!(c.unresolved_addresses, 2, "Y2 and Y3 still hold taint");
    let hops: Vec<(String, u32)> = t.assets[0]
        .transfers
        .iter()
        .map(|x| (x.id.clone(), x.hop))
        .collect();
    assert_eq!(
        hops,
        vec![
            (format!("eip155:1:{}:0", hash(1)), 0),
            (format!("eip155:1:{}:0", hash(3)), 1),
            (format!("eip155:1:{}:1", hash(3)), 1),
            (format!("eip155:1:{}:2", hash(3)), 1),
        ],
        "the seed is hop 0, X's payments one transaction later hop 1"
    );

    let further = trace_accounts(
        &scenario(),
        &stolen(),
        TaintModel::Haircut,
        TraceDirection::Forward,
        2,
    )
    .unwrap();
    assert_eq!(
        at(&further)[&addr(Z)],
        (1201, 1201, 0),
        "with two hops Y1's 1,201 reach Z"
    );
}

#[test]
fn fifo_and_poison_forward_give_the_textbook_answers() {
    let fifo = trace_accounts(
        &scenario(),
        &stolen(),
        TaintModel::Fifo,
        TraceDirection::Forward,
        2,
    )
    .unwrap();
    // X's queue: 3,001 stolen (block 1) then 6,999 clean. Y1's 4,000 come first: all 3,001
    // stolen and 999 clean; Y2 and Y3 are clean. Y1 passes its queue on to Z.
    let got = at(&fifo);
    assert_eq!(
        got[&addr(Y1)],
        (3001, 0, 0),
        "Y1 takes the stolen coins first"
    );
    assert_eq!(got[&addr(Z)], (3001, 3001, 0), "and passes them to Z");
    assert!(!got.contains_key(&addr(Y2)), "Y2 is paid from clean value");
    assert!(fifo.assets[0].conservation.balanced, "FIFO conserves");

    let poison = trace_accounts(
        &scenario(),
        &stolen(),
        TaintModel::Poison,
        TraceDirection::Forward,
        2,
    )
    .unwrap();
    let got = at(&poison);
    assert_eq!(
        (
            got[&addr(Y1)].0,
            got[&addr(Y2)].0,
            got[&addr(Y3)].0,
            got[&addr(Z)].0
        ),
        (4000, 4000, 2000, 4000),
        "poison: every payment out of a tainted pool is wholly tainted"
    );
}

#[test]
fn backward_attributes_a_payment_to_the_credits_that_funded_it() {
    let start = TraceStart::parse(&format!("eip155:1:{}:1", hash(3)));
    let haircut = trace_accounts(
        &scenario(),
        &start,
        TaintModel::Haircut,
        TraceDirection::Backward,
        3,
    )
    .unwrap();
    // Walking back, X holds Y3's, Y2's (4,000, the seed) and Y1's payments: 10,000, 4,000
    // tainted. Block 2's 6,999 from F take floor(6,999 × 4,000 / 10,000) = 2,799; what the floor
    // left stays, so block 1's 3,001 from S take the other 1,201.
    let got = at(&haircut);
    assert_eq!(
        got[&addr(F)],
        (2799, 2799, 0),
        "F funded 2,799 of Y2's 4,000"
    );
    assert_eq!(got[&addr(S)], (1201, 1201, 0), "S the remaining 1,201");
    assert!(
        haircut.assets[0].conservation.balanced,
        "backward haircut conserves"
    );
    let fifo = trace_accounts(
        &scenario(),
        &start,
        TaintModel::Fifo,
        TraceDirection::Backward,
        3,
    )
    .unwrap();
    // Forward FIFO paid Y2 from F's clean 6,999 (Y1 took S's 3,001 and 999 of F's): backward
    // FIFO maps Y2's 4,000 onto F alone.
    let got = at(&fifo);
    assert_eq!(got[&addr(F)], (4000, 4000, 0), "FIFO: Y2 was filled by F");
    assert!(!got.contains_key(&addr(S)), "and by nothing of S's");
    let transfers = &fifo.assets[0].transfers;
    assert_eq!(
        (transfers[1].from.as_str(), transfers[1].to.as_str()),
        (addr(F).as_str(), addr(X).as_str()),
        "transfers are listed as in the data, not reversed"
    );
}

#[test]
fn amounts_beyond_u64_products_stay_exact() {
    // The scenario scaled by 10^27: products need 256 bits. 3,001e27 × 4,000e27 / 10,000e27 =
    // 1,200.4e27 exactly, so no remainder: 12004 × 10^26 to Y1 and Y2, 6002 × 10^26 to Y3.
    let scaled: Vec<AccountTransfer> = scenario()
        .into_iter()
        .map(|mut t| {
            t.amount = format!("{}{}", t.amount, "0".repeat(27));
            t
        })
        .collect();
    let start = TraceStart::parse(&format!("eip155:1:{}:0", hash(1)));
    let t = trace_accounts(
        &scaled,
        &start,
        TaintModel::Haircut,
        TraceDirection::Forward,
        1,
    )
    .unwrap();
    let e26 = 10u128.pow(26);
    let got = at(&t);
    assert_eq!(got[&addr(Y1)].0, 12004 * e26, "Y1: 1,200.4e27 exactly");
    assert_eq!(got[&addr(Y3)].0, 6002 * e26, "Y3: 600.2e27 exactly");
}

#[test]
fn bad_amounts_and_unknown_starts_are_refused_by_name() {
    let mut bad = scenario();
    bad[2].amount = "4000.5".into();
    assert_eq!(
        trace_accounts(
            &bad,
            &stolen(),
            TaintModel::Haircut,
            TraceDirection::Forward,
            2
        )
        .unwrap_err(),
        AccountTraceError::MalformedAmount {
            id: format!("eip155:1:{}:0", hash(3)),
            amount: "4000.5".into()
        },
        "a decimal fraction is not a base-unit amount"
    );
    bad[2].amount = "340282366920938463463374607431768211456".into();
    assert!(
        matches!(
            trace_accounts(
                &bad,
                &stolen(),
                TaintModel::Haircut,
                TraceDirection::Forward,
                2
            ),
            Err(AccountTraceError::AmountOverflow { .. })
        ),
        "2^128 is refused, never wrapped"
    );
    let missing = TraceStart::parse(&format!("eip155:1:{}:7", hash(1)));
    assert_eq!(
        trace_accounts(
            &scenario(),
            &missing,
            TaintModel::Haircut,
            TraceDirection::Forward,
            2
        )
        .unwrap_err(),
        AccountTraceError::UnknownTransfer(format!("eip155:1:{}:7", hash(1))),
        "a transfer the case does not hold is named"
    );
}

/// The WETH transfers of the fixture as AccountTransfers. ethereum-etl's token transfers carry
/// no transaction index; log indices grow with it inside a block, so each transaction's index
/// is the rank of its first log in the block (the same order).
fn weth() -> Vec<AccountTransfer> {
    let text = std::fs::read_to_string(
        fixtures().join("ethereum-etl/blocks_17173049_17173050_token_transfers.jsonl"),
    )
    .unwrap();
    let rows: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|r: &serde_json::Value| r["token_address"] == WETH.rsplit(':').next().unwrap())
        .collect();
    let mut first_log: BTreeMap<(u64, String), u64> = BTreeMap::new();
    for r in &rows {
        let key = (
            r["block_number"].as_u64().unwrap(),
            r["transaction_hash"].as_str().unwrap().to_string(),
        );
        let log = r["log_index"].as_u64().unwrap();
        let e = first_log.entry(key).or_insert(log);
        *e = (*e).min(log);
    }
    let mut rank: BTreeMap<(u64, String), u32> = BTreeMap::new();
    let mut by_block: BTreeMap<u64, Vec<(u64, String)>> = BTreeMap::new();
    for ((b, h), l) in &first_log {
        by_block.entry(*b).or_default().push((*l, h.clone()));
    }
    for (b, mut txs) in by_block {
        txs.sort();
        for (k, (_, h)) in txs.into_iter().enumerate() {
            rank.insert((b, h), k as u32);
        }
    }
    rows.iter()
        .map(|r| {
            let block = r["block_number"].as_u64().unwrap();
            let h = r["transaction_hash"].as_str().unwrap().to_string();
            AccountTransfer {
                chain: "eip155:1".into(),
                txid: h.clone(),
                block_height: block,
                block_time: r["block_timestamp"].as_i64().unwrap(),
                tx_index: rank[&(block, h)],
                log_index: Some(r["log_index"].as_u64().unwrap() as u32),
                trace_index: 0,
                kind: AccountTransferKind::Token,
                from: r["from_address"].as_str().unwrap().into(),
                to: r["to_address"].as_str().unwrap().into(),
                asset: WETH.into(),
                // Every WETH amount here fits u64, which serde_json parses exactly.
                amount: r["value"].as_u64().expect("an exact integer").to_string(),
            }
        })
        .collect()
}

const SANDWICH: &str = "0xeb107a40ba73a50c79a9f2026e902d758d1c5e5e211f7a7db1b294f88f118dd0";
const BOT: &str = "0x6b75d8af000000e20b7a7ddf000ba900b4009a80";
const POOL: &str = "0x7054b0f980a7eb5b3a6b3446f3c947d80162775c";

#[test]
fn real_weth_haircut_and_fifo_follow_a_mev_round_trip() {
    let txs = weth();
    assert_eq!(txs.len(), 88, "88 WETH transfers in the two blocks");
    let start = TraceStart::parse(&format!("eip155:1:{SANDWICH}:0"));
    let t = trace_accounts(
        &txs,
        &start,
        TaintModel::Haircut,
        TraceDirection::Forward,
        1,
    )
    .unwrap();
    // Log 0: the bot pays the pool 7,056,176,614,974,947,328 wei (the seed). Log 6: 7.4 WETH
    // more arrive from 0xef1c…. Log 11 (next tx): the pool pays the bot
    // 7,291,558,767,169,110,016. Pro rata: floor(7,291,558,767,169,110,016 ×
    // 7,056,176,614,974,947,328 / 14,456,176,614,974,947,328) = 3,559,068,751,713,877,355 go
    // back to the bot (hop 1); 3,497,107,863,261,069,973 stay in the pool. In block 17,173,050
    // the bot (its pool then 12,803,829,698,773,647,360) pays 5,460,926,062,164,705,280 on:
    // hop 2, beyond the limit: floor(5,460,926,062,164,705,280 × 3,559,068,751,713,877,355 /
    // 12,803,829,698,773,647,360) = 1,517,968,589,127,039,249 are held there, and
    // 2,041,100,162,586,838,106 remain with the bot.
    let got = at(&t);
    assert_eq!(
        got[POOL],
        (7_056_176_614_974_947_328, 3_497_107_863_261_069_973, 0),
        "the pool keeps its pro-rata share"
    );
    assert_eq!(
        got[BOT],
        (
            3_559_068_751_713_877_355,
            2_041_100_162_586_838_106,
            1_517_968_589_127_039_249
        ),
        "the bot gets its share back, and passes some on beyond the hop limit"
    );
    assert!(t.assets[0].conservation.balanced, "real data conserves");

    let fifo = trace_accounts(&txs, &start, TaintModel::Fifo, TraceDirection::Forward, 1).unwrap();
    // FIFO: the pool's first 7,056,176,614,974,947,328 out are the seed itself.
    let got = at(&fifo);
    assert_eq!(got[POOL].1, 0, "FIFO: the pool keeps nothing tainted");
    assert_eq!(
        got[BOT].0, 7_056_176_614_974_947_328,
        "FIFO: the whole seed goes back to the bot"
    );
}

#[test]
fn real_weth_one_transaction_is_one_hop() {
    // Tx 0xaf8b491a…: 0x587c… → 0xd174… (log 60) → 0xa888… (log 63) → 0x08b0… (log 65): three
    // transfers, one transaction, so all hop 0 even with no hop allowed. 0xd174… has no other
    // WETH transfer: it sends 274,576,615,229,550,951 of the 296,767,096,723,971,155 received
    // and keeps 22,190,481,494,420,204.
    let start = TraceStart::parse(
        "eip155:1:0xaf8b491ac8d5969bef3d0f63ae2c2bc089efdad04dccb18f64a9bb72022820f5:60",
    );
    let t = trace_accounts(
        &weth(),
        &start,
        TaintModel::Haircut,
        TraceDirection::Forward,
        0,
    )
    .unwrap();
    let got = at(&t);
    assert_eq!(
        got["0xd1742b3c4fbb096990c8950fa635aec75b30781a"].1, 22_190_481_494_420_204,
        "what the router did not forward stays"
    );
    assert_eq!(
        got["0x08b067ad41e45babe5bbb52fc2fe7f692f628b06"],
        (274_576_615_229_550_951, 274_576_615_229_550_951, 0),
        "the end of the in-transaction route gets the rest, at hop 0"
    );
    assert!(
        t.assets[0].transfers.iter().all(|x| x.hop == 0),
        "every transfer of the seed's transaction is hop 0"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Random transfers among six addresses in one token: haircut and FIFO, both directions,
    /// conserve (the engine checks and errors otherwise), and shuffling the input changes no byte.
    #[test]
    fn account_taint_is_conserved_and_order_independent(
        raw in proptest::collection::vec((0u8..6, 0u8..6, 1u64..1_000_000_000, 0u8..3), 2..40),
        rotate in 0usize..40,
        hops in 0u32..5,
    ) {
        let txs: Vec<AccountTransfer> = raw
            .iter()
            .enumerate()
            .map(|(k, (from, to, amount, sub))| {
                let mut t = token(k as u64 / 3 + 1, k as u32, from + 1, to + 1, &amount.to_string());
                t.txid = hash(k as u64 / 3 * 10 + u64::from(*sub));
                t
            })
            .collect();
        let start = TraceStart::Address(addr(1));
        if !txs.iter().any(|t| t.to == addr(1)) {
            return Ok(());
        }
        for model in [TaintModel::Haircut, TaintModel::Fifo] {
            for direction in [TraceDirection::Forward, TraceDirection::Backward] {
                let a = trace_accounts(&txs, &start, model, direction, hops);
                let seeded_somewhere = direction == TraceDirection::Forward
                    || txs.iter().any(|t| t.from == addr(1));
                let Ok(a) = a else {
                    prop_assert!(!seeded_somewhere, "{model:?} {direction:?}: {a:?}");
                    continue;
                };
                for asset in &a.assets {
                    prop_assert!(asset.conservation.balanced, "conservation holds");
                    for x in &asset.addresses {
                        let received: u128 = x.received.parse().unwrap();
                        let remaining: u128 = x.remaining.parse().unwrap();
                        let held: u128 = x.held_at_hop_limit.parse().unwrap();
                        prop_assert!(
                            remaining + held <= received,
                            "{}: taint stays or is held only after it arrived",
                            x.address
                        );
                    }
                }
                let mut shuffled = txs.clone();
                let r = rotate % shuffled.len();
                shuffled.rotate_left(r);
                shuffled.reverse();
                let b = trace_accounts(&shuffled, &start, model, direction, hops).unwrap();
                prop_assert_eq!(
                    serde_json::to_vec(&a).unwrap(),
                    serde_json::to_vec(&b).unwrap(),
                    "the order the data lists its transfers does not matter"
                );
            }
        }
    }
}
