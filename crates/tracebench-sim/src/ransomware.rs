//! The `ransomware` scenario.
//!
//! A mining pool funds an exchange hot wallet. The exchange pays withdrawals (single and batched)
//! to its users and to 5–8 victims. Each victim pays its own ransom address; some pay with 2–3
//! inputs and all get change at a fresh address. The operator consolidates the ransom addresses
//! in one multi-input transaction and moves the funds along a peel chain of 6–10 hops; the last
//! hop pays an exchange deposit address, which the exchange sweeps, together with other users'
//! deposits, into its hot wallet. Other users' withdrawals and deposits run in between, so the
//! hot wallet ends up with more than 25 confirmed transactions.

use std::collections::BTreeMap;

use bitcoin::Txid;

use crate::chain::SimChain;
use crate::keys::ScriptKind;
use crate::ledger::{KeyId, Ledger, Spend, Style, COINBASE_MATURITY};
use crate::scenario::ScenarioKind;
use crate::truth::Roles;

/// Height of the first block: the fourth halving.
const START_HEIGHT: u32 = 840_000;
/// 2024-05-01T00:00:00Z.
const START_TIME: u32 = 1_714_521_600;
/// Margin kept above a payment when choosing coins, so that any fee (≤ 40 sat/vB) fits.
const FEE_RESERVE: u64 = 200_000;
/// Coinbase outputs that must mature before the story can start.
const FIRST_FUNDING_COINS: u32 = 4;
const BTC: u64 = 100_000_000;

struct Victim {
    kind: ScriptKind,
    receive: Vec<KeyId>,
    ransom_key: KeyId,
    ransom: u64,
    requests_left: usize,
    paid: bool,
}

struct User {
    name: String,
    kind: ScriptKind,
    keys: Vec<KeyId>,
    deposit: KeyId,
}

/// A withdrawal the exchange owes: to whom, how much, and for which victim (if any).
#[derive(Clone, Copy)]
struct Request {
    to: KeyId,
    amount: u64,
    victim: Option<usize>,
}

struct Story {
    ledger: Ledger,
    miners: [KeyId; 2],
    hot: KeyId,
    victims: Vec<Victim>,
    users: Vec<User>,
    operator_deposit: KeyId,
    /// The operator's address holding the bulk of the ransoms (after the consolidation).
    operator_holder: Option<KeyId>,
    roles: Roles,
}

/// Generates the ransomware case for `seed`.
pub(crate) fn generate(seed: u64) -> SimChain {
    let mut ledger = Ledger::new(seed, START_HEIGHT, START_TIME);
    let miners = [
        ledger.new_key("miner", ScriptKind::P2wpkh),
        ledger.new_key("miner", ScriptKind::P2wpkh),
    ];
    let hot = ledger.new_key("exchange-hot-wallet", ScriptKind::P2wpkh);
    let operator_deposit = ledger.new_key("exchange", ScriptKind::P2wpkh);
    let mut story = Story {
        ledger,
        miners,
        hot,
        victims: Vec::new(),
        users: Vec::new(),
        operator_deposit,
        operator_holder: None,
        roles: Roles::default(),
    };
    story.cast();
    story.run();

    let Story {
        ledger,
        roles,
        victims,
        ..
    } = story;
    let owners: BTreeMap<String, String> = ledger
        .keys()
        .iter()
        .map(|k| (k.address.clone(), k.owner.clone()))
        .collect();
    let seed_address = ledger.address(victims[0].ransom_key);
    SimChain::new(
        ScenarioKind::Ransomware,
        seed,
        seed_address,
        ledger.into_blocks(),
        owners,
        roles,
    )
}

impl Story {
    /// Creates victims and exchange users with their keys.
    fn cast(&mut self) {
        let victim_count = self.ledger.range(5, 8) as usize;
        let mut multi_input: Vec<bool> = (0..victim_count).map(|i| i < 2).collect();
        for flag in multi_input.iter_mut().skip(2) {
            *flag = self.ledger.chance(30);
        }
        self.ledger.shuffle(&mut multi_input);
        // Most victims use native segwit; one legacy and one nested-segwit wallet for realism.
        let mut kinds: Vec<ScriptKind> = (0..victim_count)
            .map(|i| match i {
                0 => ScriptKind::P2pkh,
                1 => ScriptKind::P2shP2wpkh,
                _ => ScriptKind::P2wpkh,
            })
            .collect();
        self.ledger.shuffle(&mut kinds);
        for (i, (multi, kind)) in multi_input.into_iter().zip(kinds).enumerate() {
            let name = format!("victim-{}", i + 1);
            let inputs = if multi { self.ledger.range(2, 3) } else { 1 };
            let receive = (0..inputs)
                .map(|_| self.ledger.new_key(&name, kind))
                .collect();
            let ransom_key = self
                .ledger
                .new_key("ransomware-operator", ScriptKind::P2wpkh);
            let ransom = self.ledger.range(5_000_000, 30_000_000);
            self.victims.push(Victim {
                kind,
                receive,
                ransom_key,
                ransom,
                requests_left: 0,
                paid: false,
            });
        }
        self.roles.ransom_addresses = self
            .victims
            .iter()
            .map(|v| self.ledger.address(v.ransom_key))
            .collect();
        self.roles.exchange_hot_wallet = self.ledger.address(self.hot);
        self.roles.exchange_deposit_address = self.ledger.address(self.operator_deposit);

        let user_count = self.ledger.range(6, 9) as usize;
        for i in 0..user_count {
            let name = format!("exchange-user-{}", i + 1);
            let kind = match (i, self.ledger.range(0, 99)) {
                (0, _) => ScriptKind::P2tr,
                (_, 0..=54) => ScriptKind::P2wpkh,
                (_, 55..=74) => ScriptKind::P2tr,
                (_, 75..=89) => ScriptKind::P2shP2wpkh,
                _ => ScriptKind::P2pkh,
            };
            let first = self.ledger.new_key(&name, kind);
            let deposit = self.ledger.new_key("exchange", ScriptKind::P2wpkh);
            self.users.push(User {
                name,
                kind,
                keys: vec![first],
                deposit,
            });
        }
    }

    /// Plays the story from the first block to the last.
    fn run(&mut self) {
        for _ in 0..COINBASE_MATURITY + FIRST_FUNDING_COINS - 1 {
            self.mine();
        }
        self.fund_hot_wallet(12 * BTC);
        self.mine();

        let mut batches = self.plan_withdrawals();
        let total = batches.len();
        let phase_b = total * 45 / 100;
        let phase_c = total - 3;
        let rest = batches.split_off(phase_c);
        let middle = batches.split_off(phase_b);

        // Phase A: victims buy coins and pay as soon as their coins arrive.
        for batch in batches {
            self.withdraw(&batch);
            self.maybe_mine();
            for v in 0..self.victims.len() {
                if self.victims[v].requests_left == 0
                    && !self.victims[v].paid
                    && self.ledger.chance(50)
                {
                    self.pay_ransom(v);
                    self.maybe_mine();
                }
            }
            self.maybe_deposit(25);
        }
        for v in 0..self.victims.len() {
            if !self.victims[v].paid {
                self.pay_ransom(v);
                self.maybe_mine();
            }
        }
        self.mine();

        // Phase B: consolidation, then the peel chain amid ordinary exchange traffic.
        self.consolidate();
        self.maybe_mine();
        let hops = self.ledger.range(6, 10) as usize;
        let mut middle = middle.into_iter();
        let per_hop = middle.len().div_ceil(hops).max(1);
        for hop in 0..hops {
            for batch in middle.by_ref().take(per_hop) {
                self.withdraw(&batch);
                self.maybe_mine();
                self.maybe_deposit(30);
            }
            if hop == hops / 2 {
                self.sweep(false);
                self.maybe_mine();
            }
            self.peel(hop + 1, hop + 1 == hops);
            self.maybe_mine();
        }
        for batch in middle {
            self.withdraw(&batch);
            self.maybe_mine();
        }

        // Phase C: other users deposit, the exchange sweeps, withdrawals go on.
        let mut deposits = 0;
        let mut order: Vec<usize> = (0..self.users.len()).collect();
        self.ledger.shuffle(&mut order);
        for u in order {
            if deposits < 3 && self.deposit(u) {
                deposits += 1;
                self.maybe_mine();
            }
        }
        self.mine();
        self.sweep(true);
        self.maybe_mine();
        for batch in rest {
            self.withdraw(&batch);
            self.maybe_mine();
        }
        self.mine();
    }

    /// Splits the exchange's withdrawals into 26–30 transactions of 1–5 outputs; every victim
    /// request falls into the first 45 %.
    fn plan_withdrawals(&mut self) -> Vec<Vec<Request>> {
        let total = self.ledger.range(26, 30) as usize;
        let early = (total * 45 / 100).max(1);
        let mut batches: Vec<Vec<Request>> = vec![Vec::new(); total];
        for v in 0..self.victims.len() {
            let ransom = self.victims[v].ransom;
            let receive = self.victims[v].receive.clone();
            let n = receive.len() as u64;
            for key in receive {
                let amount = if n == 1 {
                    ransom + self.ledger.range(500_000, 3_000_000)
                } else {
                    ransom / n + self.ledger.range(ransom / (4 * n), ransom / (2 * n))
                };
                let amount = amount.div_ceil(100_000) * 100_000;
                let at = self.ledger.range(0, early as u64 - 1) as usize;
                batches[at].push(Request {
                    to: key,
                    amount,
                    victim: Some(v),
                });
                self.victims[v].requests_left += 1;
            }
        }
        for batch in batches.iter_mut() {
            let size = match self.ledger.range(0, 99) {
                0..=39 => 1,
                40..=64 => 2,
                65..=84 => 3,
                _ => self.ledger.range(4, 5) as usize,
            };
            while batch.len() < size {
                let u = self.ledger.range(0, self.users.len() as u64 - 1) as usize;
                let to = if self.ledger.chance(70) {
                    self.users[u].keys[0]
                } else {
                    let (name, kind) = (self.users[u].name.clone(), self.users[u].kind);
                    let key = self.ledger.new_key(&name, kind);
                    self.users[u].keys.push(key);
                    key
                };
                let amount = self.ledger.range(1, 60) * 500_000;
                batch.push(Request {
                    to,
                    amount,
                    victim: None,
                });
            }
            self.ledger.shuffle(batch);
        }
        batches
    }

    fn mine(&mut self) {
        let miner = self.miners[self.ledger.range(0, 1) as usize];
        self.ledger.mine(miner);
    }

    /// Closes a block now and then, so that blocks hold one to a few transactions.
    fn maybe_mine(&mut self) {
        if self.ledger.pending_len() >= 4 || self.ledger.chance(40) {
            self.mine();
        }
    }

    /// The pool sells mined coins to the exchange: matured coinbases → hot wallet.
    fn fund_hot_wallet(&mut self, wanted: u64) -> Txid {
        let available = self.ledger.balance_of(&self.miners);
        let amount = wanted.min(available.saturating_sub(FEE_RESERVE) / BTC * BTC);
        let inputs = self
            .ledger
            .select(&self.miners, amount + FEE_RESERVE)
            .unwrap_or_else(|| panic!("the pool holds {available} sat, not {amount}"));
        let change = self.miners[self.ledger.range(0, 1) as usize];
        self.ledger.spend(Spend {
            inputs,
            payments: vec![(self.hot, amount)],
            change,
            style: Style::Service,
        })
    }

    /// The exchange pays one withdrawal transaction (change back to the reused hot address).
    fn withdraw(&mut self, batch: &[Request]) {
        let sum: u64 = batch.iter().map(|r| r.amount).sum();
        if self.ledger.balance_of(&[self.hot]) < sum + FEE_RESERVE {
            self.fund_hot_wallet((sum + FEE_RESERVE).div_ceil(BTC) * BTC + 5 * BTC);
        }
        let inputs = self
            .ledger
            .select(&[self.hot], sum + FEE_RESERVE)
            .unwrap_or_else(|| panic!("hot wallet cannot pay {sum}"));
        self.ledger.spend(Spend {
            inputs,
            payments: batch.iter().map(|r| (r.to, r.amount)).collect(),
            change: self.hot,
            style: Style::Service,
        });
        for request in batch {
            if let Some(v) = request.victim {
                self.victims[v].requests_left -= 1;
            }
        }
    }

    /// A victim pays its ransom with every coin it bought; change goes to a fresh address.
    fn pay_ransom(&mut self, v: usize) {
        let name = format!("victim-{}", v + 1);
        let victim = &self.victims[v];
        let (kind, ransom_key, ransom) = (victim.kind, victim.ransom_key, victim.ransom);
        let inputs = self.ledger.coins_of(&victim.receive);
        let change = self.ledger.new_key(&name, kind);
        let txid = self.ledger.spend(Spend {
            inputs,
            payments: vec![(ransom_key, ransom)],
            change,
            style: Style::Personal,
        });
        self.victims[v].paid = true;
        self.roles.ransom_payment_txids.push(txid.to_string());
    }

    /// The operator merges every ransom address into one fresh address.
    fn consolidate(&mut self) {
        let ransom_keys: Vec<KeyId> = self.victims.iter().map(|v| v.ransom_key).collect();
        let inputs = self.ledger.coins_of(&ransom_keys);
        let to = self
            .ledger
            .new_key("ransomware-operator", ScriptKind::P2wpkh);
        let txid = self.ledger.spend(Spend {
            inputs,
            payments: Vec::new(),
            change: to,
            style: Style::Personal,
        });
        self.operator_holder = Some(to);
        self.roles.consolidation_txid = txid.to_string();
    }

    /// One peel hop: a round-ish payment off the operator's coin, the bulk to a fresh address.
    /// The last hop pays the operator's exchange deposit address.
    fn peel(&mut self, hop: usize, last: bool) {
        let holder = self
            .operator_holder
            .unwrap_or_else(|| panic!("the peel chain starts after the consolidation"));
        let coin = self
            .ledger
            .coins_of(&[holder])
            .into_iter()
            .max_by_key(|c| (c.value, c.outpoint))
            .unwrap_or_else(|| panic!("the operator has nothing to peel"));
        let (to, amount) = if last {
            let share = self.ledger.range(35, 60);
            (
                self.operator_deposit,
                coin.value * share / 100 / 1_000_000 * 1_000_000,
            )
        } else {
            let share = self.ledger.range(5, 14);
            let kind = match self.ledger.range(0, 9) {
                0..=5 => ScriptKind::P2wpkh,
                6 | 7 => ScriptKind::P2tr,
                8 => ScriptKind::P2shP2wpkh,
                _ => ScriptKind::P2pkh,
            };
            let payee = self.ledger.new_key(&format!("peel-payee-{hop}"), kind);
            (
                payee,
                (coin.value * share / 100 / 100_000 * 100_000).max(100_000),
            )
        };
        let change = self
            .ledger
            .new_key("ransomware-operator", ScriptKind::P2wpkh);
        let txid = self.ledger.spend(Spend {
            inputs: vec![coin],
            payments: vec![(to, amount)],
            change,
            style: Style::Personal,
        });
        self.operator_holder = Some(change);
        self.roles.peel_chain_txids.push(txid.to_string());
    }

    /// With probability `percent`, a random user deposits at the exchange.
    fn maybe_deposit(&mut self, percent: u64) {
        if self.ledger.chance(percent) {
            let u = self.ledger.range(0, self.users.len() as u64 - 1) as usize;
            if self.deposit(u) {
                self.maybe_mine();
            }
        }
    }

    /// A user sends part of its coins to its deposit address; false if it has too little.
    fn deposit(&mut self, u: usize) -> bool {
        let keys = self.users[u].keys.clone();
        let balance = self.ledger.balance_of(&keys);
        if balance < 3 * FEE_RESERVE {
            return false;
        }
        let share = self.ledger.range(30, 90);
        let amount = (balance * share / 100)
            .min(balance - 2 * FEE_RESERVE)
            .max(10_000)
            / 10_000
            * 10_000;
        let Some(inputs) = self.ledger.select(&keys, amount + FEE_RESERVE) else {
            return false;
        };
        let (name, kind) = (self.users[u].name.clone(), self.users[u].kind);
        let change = self.ledger.new_key(&name, kind);
        self.users[u].keys.push(change);
        let deposit = self.users[u].deposit;
        self.ledger.spend(Spend {
            inputs,
            payments: vec![(deposit, amount)],
            change,
            style: Style::Personal,
        });
        true
    }

    /// The exchange sweeps deposit addresses into the hot wallet. The final sweep includes the
    /// operator's deposit and is the case's `sweep_txid`; an earlier one needs two deposits.
    fn sweep(&mut self, with_operator: bool) {
        let mut deposits: Vec<KeyId> = self.users.iter().map(|u| u.deposit).collect();
        if with_operator {
            deposits.push(self.operator_deposit);
        }
        let inputs = self.ledger.coins_of(&deposits);
        if inputs.len() < 2 {
            return;
        }
        let txid = self.ledger.spend(Spend {
            inputs,
            payments: Vec::new(),
            change: self.hot,
            style: Style::Service,
        });
        if with_operator {
            self.roles.sweep_txid = txid.to_string();
        }
    }
}
