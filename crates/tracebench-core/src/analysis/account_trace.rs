//! Taint tracing on account-model chains (EVM; heuristics.md §4 "Account model") over the
//! case's [`AccountTransfer`]s: poison, haircut (pro rata) and FIFO, forward and backward, up to
//! N hops, where a hop is one transaction.
//!
//! **Pools.** Every (address, asset) is one pool: a balance and the taint in it (FIFO: an
//! ordered queue of tainted and clean segments). Transfers are applied in
//! [`AccountTransfer::order_key`] order (then txid, kind, id, so equal keys have a fixed order).
//! The data rarely starts at an address's first transfer, so each pool opens with the smallest
//! clean balance that keeps it from going negative (value it held before the data began);
//! FIFO puts that opening balance at the front of the queue.
//!
//! **Rules.** Consecutive transfers of one transaction from one pool in one asset are one
//! debit. Haircut: the debit of A out of a pool of balance B holding T tainted takes
//! `floor(A·T/B)` taint (256-bit intermediate products), split over the receivers pro rata to
//! their amounts with floors; each remainder goes to the largest receiver, ties to the lowest
//! order key, never past a receiver's amount. What a floor leaves stays in the pool, so no pool
//! ever holds more taint than balance. FIFO: each transfer takes its amount from the front of
//! the queue and appends it, segment by segment, to the receiver's queue. Poison: any debit
//! from a pool holding taint is wholly tainted.
//!
//! **Hops.** A seed transfer is hop 0 (its own transaction). Taint leaving a pool in a later
//! transaction is one hop further than the pool's nearest taint; within the transaction that
//! brought it, the same hop. Taint that would go beyond `max_hops` stays counted at the pool's
//! address as held at the hop limit.
//!
//! **Backward** runs the same rules on the reversed data: the transfers in reverse order, each
//! with sender and receiver swapped. So backward haircut attributes a debit pro rata over the
//! credits that preceded it, and backward FIFO maps it onto the credits FIFO says filled it.
//!
//! **Seeds.** A transfer id `eip155:<chain>:<txhash>:<logIndex>` seeds that transfer's amount
//! (forward: at its receiver; backward: at its sender). An address seeds every transfer it
//! received (backward: sent). **Conservation** (haircut, FIFO), per asset: seeded = taint left
//! in pools at the end of the data (`unresolved`: its later transfers are not in the data) +
//! held at the hop limit; checked on every trace, and no pool may hold more taint than balance.
//! Amounts are decimal text in the data; they are parsed to u128 (an amount above 2^128 − 1 or
//! malformed text is refused with the transfer named) and reported as decimal text.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde::{Deserialize, Serialize};

use super::trace::{TaintModel, TraceDirection, TraceStart};
use crate::model::{AccountTransfer, AccountTransferKind};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AccountTraceError {
    #[error("transfer {id}: amount {amount:?} is not a decimal integer")]
    MalformedAmount { id: String, amount: String },
    #[error(
        "transfer {id}: amount {amount} exceeds 2^128 - 1, the largest amount tracing handles"
    )]
    AmountOverflow { id: String, amount: String },
    #[error("the case holds no transfer {0}")]
    UnknownTransfer(String),
    #[error("the case holds no transfer to or from {0}")]
    UnknownAddress(String),
    #[error(
        "{0:?} is neither an account address (0x and 40 hex digits) nor a transfer id \
         (eip155:<chain>:<txhash>:<logIndex>)"
    )]
    InvalidStart(String),
    #[error("the balance of {address} in {asset} exceeds 2^128 - 1")]
    BalanceOverflow { address: String, asset: String },
    #[error("taint conservation violated: {0}")]
    Conservation(String),
}

/// A transfer the taint passed along.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaintedTransfer {
    /// `eip155:<chain>:<txhash>:<logIndex>` for a token transfer,
    /// `eip155:<chain>:<txhash>:call:<traceIndex>` for native or internal value.
    pub id: String,
    pub txid: String,
    /// As in the data (not swapped for a backward trace).
    pub from: String,
    pub to: String,
    /// Base units, decimal.
    pub amount: String,
    /// The tainted part of `amount`, decimal.
    pub tainted: String,
    pub hop: u32,
}

/// What the trace left at one address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountAddress {
    pub address: String,
    /// Tainted value that reached it (seeds included), decimal.
    pub received: String,
    /// Tainted value still there at the end of the data, decimal.
    pub remaining: String,
    /// Tainted value it passed on beyond the hop limit (counted here, not followed), decimal.
    pub held_at_hop_limit: String,
    /// The nearest hop at which taint reached it.
    pub hop: u32,
}

/// The conservation account of one asset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountConservation {
    pub seeded: String,
    /// Taint left at addresses whose later transfers are not in the data.
    pub unresolved: String,
    pub unresolved_addresses: usize,
    pub held_at_hop_limit: String,
    /// seeded = unresolved + held at the hop limit (required for haircut and FIFO; poison
    /// taints whole transfers and so exceeds the seed).
    pub balanced: bool,
}

/// The trace of one asset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetTrace {
    /// CAIP-19 asset id.
    pub asset: String,
    /// Tainted transfers, by (hop, position in the data).
    pub transfers: Vec<TaintedTransfer>,
    /// Addresses the taint reached, by address.
    pub addresses: Vec<AccountAddress>,
    pub conservation: AccountConservation,
}

/// An account-model trace, in a fixed order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountTrace {
    pub model: TaintModel,
    pub direction: TraceDirection,
    pub max_hops: u32,
    /// The seed transfers' ids, sorted.
    pub seeds: Vec<String>,
    /// One per asset the taint touched, by asset id.
    pub assets: Vec<AssetTrace>,
}

/// The id of a transfer (see [`TaintedTransfer::id`]).
pub fn transfer_id(t: &AccountTransfer) -> String {
    match (t.kind, t.log_index) {
        (AccountTransferKind::Token, Some(log)) => format!("{}:{}:{log}", t.chain, t.txid),
        _ => format!("{}:{}:call:{}", t.chain, t.txid, t.trace_index),
    }
}

/// Parses a decimal amount to u128, naming the transfer on failure.
pub fn parse_amount(id: &str, text: &str) -> Result<u128, AccountTraceError> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AccountTraceError::MalformedAmount {
            id: id.to_string(),
            amount: text.to_string(),
        });
    }
    text.parse::<u128>()
        .map_err(|_| AccountTraceError::AmountOverflow {
            id: id.to_string(),
            amount: text.to_string(),
        })
}

/// `floor(a·b/c)` with a 256-bit intermediate product; `c > 0`, and the quotient must fit
/// u128 (callers pass `b ≤ c`).
pub fn mul_div(a: u128, b: u128, c: u128) -> u128 {
    if let Some(p) = a.checked_mul(b) {
        return p / c;
    }
    const MASK: u128 = u64::MAX as u128;
    let (a_hi, a_lo) = (a >> 64, a & MASK);
    let (b_hi, b_lo) = (b >> 64, b & MASK);
    let ll = a_lo * b_lo;
    let lh = a_lo * b_hi;
    let hl = a_hi * b_lo;
    let hh = a_hi * b_hi;
    let mid = (ll >> 64) + (lh & MASK) + (hl & MASK);
    let lo = (ll & MASK) | (mid << 64);
    let hi = hh + (lh >> 64) + (hl >> 64) + (mid >> 64);
    let mut rem: u128 = 0;
    let mut q: u128 = 0;
    for i in (0..256u32).rev() {
        let bit = if i >= 128 {
            (hi >> (i - 128)) & 1
        } else {
            (lo >> i) & 1
        };
        let carry = rem >> 127;
        rem = (rem << 1) | bit;
        if carry == 1 || rem >= c {
            rem = rem.wrapping_sub(c);
            if i < 128 {
                q |= 1 << i;
            }
        }
    }
    q
}

/// One transfer as the walk sees it (swapped for a backward trace).
struct Move<'a> {
    t: &'a AccountTransfer,
    id: String,
    /// Position in forward data order.
    position: usize,
    from: &'a str,
    to: &'a str,
    amount: u128,
}

#[derive(Default)]
struct Pool {
    balance: u128,
    taint: u128,
    /// FIFO: (tainted, amount), front first.
    queue: VecDeque<(bool, u128)>,
    /// The nearest hop of its taint and the transaction that brought it.
    hop: Option<(u32, String)>,
    received: u128,
    held: u128,
}

impl Pool {
    fn reach(&mut self, hop: u32, txid: &str) {
        if self.hop.as_ref().is_none_or(|(h, _)| hop < *h) {
            self.hop = Some((hop, txid.to_string()));
        }
    }

    fn push(&mut self, tainted: bool, amount: u128) {
        if amount == 0 {
            return;
        }
        match self.queue.back_mut() {
            Some((t, a)) if *t == tainted => *a += amount,
            _ => self.queue.push_back((tainted, amount)),
        }
    }

    /// Takes `amount` from the front; returns the segments taken.
    fn take_front(&mut self, mut amount: u128) -> Vec<(bool, u128)> {
        let mut out = Vec::new();
        while amount > 0 {
            let Some((t, a)) = self.queue.front_mut() else {
                break;
            };
            let part = (*a).min(amount);
            out.push((*t, part));
            *a -= part;
            amount -= part;
            if *a == 0 {
                self.queue.pop_front();
            }
        }
        out
    }
}

fn lower(s: &str) -> String {
    s.to_ascii_lowercase()
}

fn is_account_address(s: &str) -> bool {
    s.len() == 42 && s.starts_with("0x") && s[2..].chars().all(|c| c.is_ascii_hexdigit())
}

/// Traces taint through `transfers` (the case's account transfers of one chain) from `start`
/// (an address or a [`TraceStart::Transfer`]). The order of `transfers` does not matter.
pub fn trace_accounts(
    transfers: &[AccountTransfer],
    start: &TraceStart,
    model: TaintModel,
    direction: TraceDirection,
    max_hops: u32,
) -> Result<AccountTrace, AccountTraceError> {
    // Parse every amount before anything else: a bad row is refused whatever the start.
    let mut moves: Vec<Move<'_>> = transfers
        .iter()
        .map(|t| {
            let id = transfer_id(t);
            let amount = parse_amount(&id, &t.amount)?;
            Ok(Move {
                t,
                id,
                position: 0,
                from: t.from.as_str(),
                to: t.to.as_str(),
                amount,
            })
        })
        .collect::<Result<_, AccountTraceError>>()?;
    moves.sort_by(|a, b| {
        (a.t.order_key(), &a.t.txid, a.t.kind, &a.id).cmp(&(
            b.t.order_key(),
            &b.t.txid,
            b.t.kind,
            &b.id,
        ))
    });
    moves.dedup_by(|a, b| a.id == b.id);
    for (k, m) in moves.iter_mut().enumerate() {
        m.position = k;
    }
    if direction == TraceDirection::Backward {
        moves.reverse();
        for m in &mut moves {
            std::mem::swap(&mut m.from, &mut m.to);
        }
    }

    let seeds: BTreeSet<usize> = match start {
        TraceStart::Transfer {
            chain,
            txid,
            log_index,
        } => {
            let k = moves
                .iter()
                .position(|m| {
                    m.t.chain == *chain
                        && lower(&m.t.txid) == lower(txid)
                        && m.t.kind == AccountTransferKind::Token
                        && m.t.log_index == Some(*log_index)
                })
                .ok_or_else(|| {
                    AccountTraceError::UnknownTransfer(format!("{chain}:{txid}:{log_index}"))
                })?;
            BTreeSet::from([k])
        }
        TraceStart::Address(a) if is_account_address(a) => {
            let a = lower(a);
            let found: BTreeSet<usize> = moves
                .iter()
                .enumerate()
                .filter(|(_, m)| lower(m.to) == a)
                .map(|(k, _)| k)
                .collect();
            if found.is_empty() {
                return Err(AccountTraceError::UnknownAddress(a));
            }
            found
        }
        TraceStart::Address(a) => return Err(AccountTraceError::InvalidStart(a.clone())),
        TraceStart::Outputs(o) => {
            let text: Vec<String> = o.iter().map(|(t, v)| format!("{t}:{v}")).collect();
            return Err(AccountTraceError::InvalidStart(text.join(", ")));
        }
        TraceStart::Entity { id, .. } => return Err(AccountTraceError::InvalidStart(id.clone())),
    };

    // Debits: consecutive moves of one transaction from one pool in one asset.
    let mut groups: Vec<std::ops::Range<usize>> = Vec::new();
    let mut k = 0;
    while k < moves.len() {
        let first = &moves[k];
        let mut end = k + 1;
        while end < moves.len()
            && moves[end].t.txid == first.t.txid
            && moves[end].from == first.from
            && moves[end].t.asset == first.t.asset
        {
            end += 1;
        }
        groups.push(k..end);
        k = end;
    }

    // Opening balances: the least clean value each pool must have held before the data.
    let mut opening: BTreeMap<(&str, &str), (i128, i128)> = BTreeMap::new();
    for g in &groups {
        let first = &moves[g.start];
        let total: u128 = moves[g.clone()].iter().map(|m| m.amount).sum();
        let d = opening
            .entry((first.from, first.t.asset.as_str()))
            .or_default();
        d.0 =
            d.0.saturating_sub(i128::try_from(total).unwrap_or(i128::MAX));
        d.1 = d.1.min(d.0);
        for m in &moves[g.clone()] {
            let c = opening.entry((m.to, m.t.asset.as_str())).or_default();
            c.0 =
                c.0.saturating_add(i128::try_from(m.amount).unwrap_or(i128::MAX));
        }
    }
    let mut pools: BTreeMap<(String, String), Pool> = BTreeMap::new();
    for ((address, asset), (_, min)) in &opening {
        let open = u128::try_from(-*min).unwrap_or(0);
        let mut p = Pool {
            balance: open,
            ..Pool::default()
        };
        p.push(false, open);
        pools.insert((address.to_string(), asset.to_string()), p);
    }

    let mut seeded: BTreeMap<String, u128> = BTreeMap::new();
    let mut tainted: Vec<(u32, usize, String, TaintedTransfer)> = Vec::new();
    for range in &groups {
        let k = range.start;
        let group = &moves[range.clone()];
        let first = &moves[k];
        let asset = first.t.asset.clone();
        let txid = first.t.txid.clone();
        let sender_key = (first.from.to_string(), asset.clone());
        let total: u128 = group.iter().map(|m| m.amount).sum();
        let sender = pools.get_mut(&sender_key).expect("every sender has a pool");
        let next_hop = sender
            .hop
            .as_ref()
            .map(|(h, via)| if *via == txid { *h } else { h + 1 });
        let passes = next_hop.is_some_and(|h| h <= max_hops);
        // Per receiver: tainted amount (FIFO: the segments) carried.
        let mut carried: Vec<u128> = vec![0; group.len()];
        let mut segments: Vec<Vec<(bool, u128)>> = vec![Vec::new(); group.len()];
        if sender.balance < total {
            return Err(AccountTraceError::Conservation(format!(
                "{} sends {total} of {asset} but holds {}",
                first.from, sender.balance
            )));
        }
        match model {
            TaintModel::Haircut => {
                let take = if sender.balance == 0 {
                    0
                } else {
                    mul_div(total, sender.taint, sender.balance)
                };
                sender.taint -= take;
                sender.balance -= total;
                if passes {
                    carried = split(take, group);
                } else {
                    sender.held += take;
                }
            }
            TaintModel::Fifo => {
                for (j, m) in group.iter().enumerate() {
                    let segs = sender.take_front(m.amount);
                    let t: u128 = segs.iter().filter(|(t, _)| *t).map(|(_, a)| a).sum();
                    sender.taint -= t;
                    if passes {
                        carried[j] = t;
                        segments[j] = segs;
                    } else {
                        sender.held += t;
                        segments[j] = vec![(false, m.amount)];
                    }
                }
                sender.balance -= total;
            }
            TaintModel::Poison => {
                let poisoned = sender.taint > 0;
                sender.balance -= total;
                if poisoned {
                    if passes {
                        carried = group.iter().map(|m| m.amount).collect();
                    } else {
                        sender.held += total;
                    }
                }
                sender.taint = if poisoned { sender.balance } else { 0 };
            }
        }
        for (j, m) in group.iter().enumerate() {
            let is_seed = seeds.contains(&(k + j));
            let (amount_tainted, hop) = if is_seed {
                *seeded.entry(asset.clone()).or_default() += m.amount - carried[j];
                segments[j] = vec![(true, m.amount)];
                (m.amount, 0)
            } else {
                (carried[j], next_hop.unwrap_or(0))
            };
            let receiver = pools
                .get_mut(&(m.to.to_string(), asset.clone()))
                .expect("every receiver has a pool");
            receiver.balance = receiver.balance.checked_add(m.amount).ok_or_else(|| {
                AccountTraceError::BalanceOverflow {
                    address: m.to.to_string(),
                    asset: asset.clone(),
                }
            })?;
            match model {
                TaintModel::Fifo => {
                    if segments[j].is_empty() {
                        receiver.push(false, m.amount);
                    }
                    for (t, a) in &segments[j] {
                        receiver.push(*t, *a);
                    }
                    receiver.taint += amount_tainted;
                }
                TaintModel::Haircut => receiver.taint += amount_tainted,
                TaintModel::Poison => {
                    if amount_tainted > 0 {
                        receiver.taint = receiver.balance;
                    }
                }
            }
            if amount_tainted > 0 {
                receiver.received += amount_tainted;
                receiver.reach(hop, &m.t.txid);
                let (from, to) = match direction {
                    TraceDirection::Forward => (m.from, m.to),
                    TraceDirection::Backward => (m.to, m.from),
                };
                tainted.push((
                    hop,
                    m.position,
                    asset.clone(),
                    TaintedTransfer {
                        id: m.id.clone(),
                        txid: m.t.txid.clone(),
                        from: from.to_string(),
                        to: to.to_string(),
                        amount: m.amount.to_string(),
                        tainted: amount_tainted.to_string(),
                        hop,
                    },
                ));
            }
            if receiver.taint > receiver.balance {
                return Err(AccountTraceError::Conservation(format!(
                    "{} holds {} tainted of a balance of {} in {asset}",
                    m.to, receiver.taint, receiver.balance
                )));
            }
        }
    }

    tainted.sort_by_key(|(hop, position, _, _)| (*hop, *position));
    let mut by_asset: BTreeMap<String, AssetTrace> = BTreeMap::new();
    for ((address, asset), p) in &pools {
        if p.received == 0 && p.held == 0 {
            continue;
        }
        let a = by_asset.entry(asset.clone()).or_insert_with(|| AssetTrace {
            asset: asset.clone(),
            transfers: Vec::new(),
            addresses: Vec::new(),
            conservation: AccountConservation {
                seeded: String::new(),
                unresolved: String::new(),
                unresolved_addresses: 0,
                held_at_hop_limit: String::new(),
                balanced: false,
            },
        });
        a.addresses.push(AccountAddress {
            address: address.clone(),
            received: p.received.to_string(),
            remaining: p.taint.to_string(),
            held_at_hop_limit: p.held.to_string(),
            hop: p.hop.as_ref().map_or(0, |(h, _)| *h),
        });
    }
    for (_, _, asset, t) in tainted {
        if let Some(a) = by_asset.get_mut(&asset) {
            a.transfers.push(t);
        }
    }
    for (asset, a) in by_asset.iter_mut() {
        let (mut unresolved, mut held, mut at) = (0u128, 0u128, 0usize);
        for ((_, pool_asset), p) in &pools {
            if pool_asset == asset {
                unresolved += p.taint;
                held += p.held;
                at += usize::from(p.taint > 0);
            }
        }
        let seed = seeded.get(asset).copied().unwrap_or(0);
        let balanced = seed == unresolved + held;
        if !balanced && model != TaintModel::Poison {
            return Err(AccountTraceError::Conservation(format!(
                "{asset}: seeded {seed} ≠ unresolved {unresolved} + held at the hop limit {held}"
            )));
        }
        a.conservation = AccountConservation {
            seeded: seed.to_string(),
            unresolved: unresolved.to_string(),
            unresolved_addresses: at,
            held_at_hop_limit: held.to_string(),
            balanced,
        };
    }
    let mut seed_ids: Vec<String> = seeds.iter().map(|k| moves[*k].id.clone()).collect();
    seed_ids.sort();
    Ok(AccountTrace {
        model,
        direction,
        max_hops,
        seeds: seed_ids,
        assets: by_asset.into_values().collect(),
    })
}

/// Splits `take` over the moves pro rata to their amounts: floors, then each remainder unit to
/// the largest receiver with room (ties: the earliest in the data), never past an amount.
fn split(take: u128, group: &[Move<'_>]) -> Vec<u128> {
    let total: u128 = group.iter().map(|m| m.amount).sum();
    if take == 0 || total == 0 {
        return vec![0; group.len()];
    }
    let mut parts: Vec<u128> = group
        .iter()
        .map(|m| mul_div(take, m.amount, total))
        .collect();
    let mut rest = take - parts.iter().sum::<u128>();
    let mut by_size: Vec<usize> = (0..group.len()).collect();
    by_size.sort_by(|a, b| {
        group[*b]
            .amount
            .cmp(&group[*a].amount)
            .then(group[*a].position.cmp(&group[*b].position))
    });
    for j in by_size {
        if rest == 0 {
            break;
        }
        let room = group[j].amount - parts[j];
        let give = room.min(rest);
        parts[j] += give;
        rest -= give;
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::{mul_div, parse_amount, AccountTraceError};

    #[test]
    fn mul_div_is_exact_beyond_u128_products() {
        assert_eq!(mul_div(7, 3, 2), 10, "floor(21 / 2)");
        assert_eq!(
            mul_div(u128::MAX, u128::MAX, u128::MAX),
            u128::MAX,
            "a·b/b = a even when a·b needs 256 bits"
        );
        let e30 = 10u128.pow(30);
        assert_eq!(
            mul_div(e30, e30, 10 * e30),
            e30 / 10,
            "10^60 / 10^31 = 10^29"
        );
        assert_eq!(
            mul_div(e30 + 1, e30 - 1, e30),
            e30 - 1,
            "(10^60 - 1) / 10^30 floors to 10^30 - 1"
        );
    }

    #[test]
    fn amounts_parse_exactly_or_are_refused_by_name() {
        assert_eq!(
            parse_amount("t", "340282366920938463463374607431768211455"),
            Ok(u128::MAX)
        );
        assert_eq!(
            parse_amount("t", "340282366920938463463374607431768211456"),
            Err(AccountTraceError::AmountOverflow {
                id: "t".into(),
                amount: "340282366920938463463374607431768211456".into()
            }),
            "2^128 does not fit: refused, not wrapped"
        );
        for bad in ["", "-5", "1e18", "0x10", " 7"] {
            assert!(
                matches!(
                    parse_amount("t", bad),
                    Err(AccountTraceError::MalformedAmount { .. })
                ),
                "{bad:?} is not a decimal integer"
            );
        }
    }
}
