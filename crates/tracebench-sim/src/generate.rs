//! Large synthetic case files written directly (no HTTP): `tracebench-sim generate`.
//!
//! [`generate_case`] writes a normal `.tbcase` through the core's store API
//! ([`tracebench_core::store::Case::ingest`]): a closed-world mainnet-style chain of exactly
//! `txs` transactions, deterministic per seed. Its structure is that of a busy chain:
//!
//! - one coinbase per block of [`TXS_PER_BLOCK`] transactions (3.125 BTC to a miner);
//! - payments with one to three inputs of one wallet, a payee output and a change output
//!   (mostly to a fresh address of the payer's own address type, sometimes back to an input
//!   address), in random output order;
//! - consolidations (two to ten inputs of one wallet, one output) and batched withdrawals (one
//!   input, five to fifteen payees and change);
//! - CoinJoin-shaped transactions: five to eight wallets each put in one coin and get a coin of
//!   the common denomination and a change coin (BlockSci's `isCoinjoin` shape);
//! - peel chains: every fourth coinbase goes to a peeler, who then peels one to three percent
//!   off to a payee per step and sends the rest on to a fresh address of his own.
//!
//! Every input spends an earlier output of the same chain; every fee is positive; amounts are
//! integers in satoshi. The source is `sim:generated:<seed>`, marked synthetic; each block's
//! transactions point at one raw response whose body is the generator's record of that block
//! (parameters, height, and the SHA-256 over its txids): re-running the generator with the same
//! seed and size reproduces the block exactly. Txids are SHA-256d hashes of the generator's
//! description of each transaction, not consensus serialisations.

use std::path::{Path, PathBuf};

use bitcoin::hashes::{sha256, sha256d, Hash};
use bitcoin::{Address, Network, PubkeyHash, WitnessProgram, WitnessVersion};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use tracebench_core::api::{ApiError, NewCase, Workbench};
use tracebench_core::model::{Confirmation, Tx, TxInput, TxOutput};
use tracebench_core::store::{AuditAction, Batch, Case, CaseError, Ingest, RawResponse};

/// Transactions per block, the coinbase included.
pub const TXS_PER_BLOCK: u64 = 2_000;
/// Height of the first generated block (the April 2024 halving: a 3.125 BTC subsidy).
pub const FIRST_HEIGHT: u64 = 840_000;
/// Time of the first generated block: 2024-04-20 00:00:00 UTC; blocks follow every 600 s.
pub const FIRST_BLOCK_TIME: i64 = 1_713_571_200;
/// The block subsidy, in satoshi.
pub const SUBSIDY: u64 = 312_500_000;
/// Blocks written per SQLite transaction.
const BLOCKS_PER_WRITE: u64 = 5;
/// Smallest output the generator creates (well above dust).
const MIN_OUTPUT: u64 = 5_000;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenerateOptions {
    /// Number of transactions, coinbases included (at least 1).
    pub txs: u64,
    pub seed: u64,
    /// The case's network; the addresses are encoded for it (the transactions are the same on
    /// every network, and mainnet is what was always generated).
    pub network: tracebench_core::chain::BtcNetwork,
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GenerateSummary {
    pub path: PathBuf,
    pub source_id: String,
    pub txs: u64,
    pub blocks: u64,
    pub inputs: u64,
    pub outputs: u64,
    pub addresses: u64,
    /// Transactions written in the CoinJoin shape.
    pub coinjoins: u64,
    /// Peel steps written (one per peeling transaction).
    pub peel_steps: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error("--txs must be at least 1, got 0")]
    NoTxs,
    #[error("{0} already exists; refusing to overwrite it")]
    Exists(PathBuf),
    #[error("creating the case: {0}")]
    Create(#[from] ApiError),
    #[error("writing the case: {0}")]
    Case(#[from] CaseError),
}

/// The source id of a generated case.
pub fn generated_source_id(seed: u64) -> String {
    format!("sim:generated:{seed}")
}

/// Writes a new case file at `path` holding `options.txs` synthetic transactions; `now` (RFC
/// 3339 UTC) is the case's creation and retrieval time. Refuses to overwrite a file.
pub fn generate_case(
    path: &Path,
    options: GenerateOptions,
    now: chrono::DateTime<chrono::Utc>,
    user: &str,
) -> Result<GenerateSummary, GenerateError> {
    if options.txs == 0 {
        return Err(GenerateError::NoTxs);
    }
    if path.exists() {
        return Err(GenerateError::Exists(path.to_path_buf()));
    }
    let title = format!(
        "Generated synthetic chain ({} txs, seed {})",
        options.txs, options.seed
    );
    let wb = Workbench::create_by(
        user,
        path,
        NewCase {
            title,
            investigator: String::new(),
            agency: String::new(),
            network: options.network,
        },
        None,
        now,
    )?;
    drop(wb);
    let mut case = Case::open(path)?;
    let chain_id = case.meta().chain.clone();
    let now_s = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let source_id = generated_source_id(options.seed);
    let mut world = World::new(options, chain_id);
    let mut summary = GenerateSummary {
        path: path.to_path_buf(),
        source_id: source_id.clone(),
        txs: 0,
        blocks: 0,
        inputs: 0,
        outputs: 0,
        addresses: 0,
        coinjoins: 0,
        peel_steps: 0,
    };
    let blocks = options.txs.div_ceil(TXS_PER_BLOCK);
    let mut height_offset = 0;
    while height_offset < blocks {
        let end = (height_offset + BLOCKS_PER_WRITE).min(blocks);
        let mut made: Vec<(RawResponse, Vec<Tx>)> = Vec::new();
        for b in height_offset..end {
            let count = TXS_PER_BLOCK.min(options.txs - b * TXS_PER_BLOCK);
            let txs = world.block(b, count);
            let raw = block_record(&source_id, &now_s, options, FIRST_HEIGHT + b, &txs);
            made.push((raw, txs));
        }
        let ingest = Ingest {
            source_kind: "sim",
            synthetic: true,
            batches: made.iter().map(|(raw, txs)| Batch { raw, txs }).collect(),
            histories: Vec::new(),
            show: Vec::new(),
            show_as_seed: false,
            now: &now_s,
        };
        summary.txs += case.ingest(&ingest)? as u64;
        for (_, txs) in &made {
            for t in txs {
                summary.inputs += t.inputs.len() as u64;
                summary.outputs += t.outputs.len() as u64;
            }
        }
        height_offset = end;
    }
    summary.blocks = blocks;
    summary.addresses = world.addresses.len() as u64;
    summary.coinjoins = world.coinjoins;
    summary.peel_steps = world.peel_steps;
    case.record_audit(AuditAction {
        at_utc: now_s,
        user: user.to_string(),
        action: "add".to_string(),
        detail: serde_json::json!({
            "generated": source_id,
            "seed": options.seed,
            "txs": summary.txs,
            "blocks": summary.blocks,
        }),
    })?;
    Ok(summary)
}

/// The raw response a generated block's transactions point at: the generator's record of it.
fn block_record(
    source_id: &str,
    now: &str,
    options: GenerateOptions,
    height: u64,
    txs: &[Tx],
) -> RawResponse {
    let mut ids = Vec::with_capacity(txs.len() * 64);
    for t in txs {
        ids.extend_from_slice(t.txid.as_bytes());
    }
    let body = serde_json::json!({
        "generator": "tracebench-sim generate",
        "synthetic": true,
        "seed": options.seed,
        "txs": options.txs,
        "block_height": height,
        "tx_count": txs.len(),
        "txids_sha256": sha256::Hash::hash(&ids).to_string(),
    });
    RawResponse {
        source_id: source_id.to_string(),
        endpoint: format!("generate:block/{height}"),
        request: format!(
            "tracebench-sim generate --txs {} --seed {} (block {height})",
            options.txs, options.seed
        ),
        retrieved_at: now.to_string(),
        status: 200,
        content_type: Some("application/json".to_string()),
        body: serde_json::to_vec(&body).unwrap_or_default(),
    }
}

/// An unspent output the generator may spend.
#[derive(Debug, Clone, Copy)]
struct Coin {
    tx: u32,
    vout: u32,
    address: u32,
    value: u64,
}

#[derive(Debug, Default)]
struct Wallet {
    coins: Vec<Coin>,
    addresses: Vec<u32>,
    legacy: bool,
}

#[derive(Debug)]
struct PeelChain {
    owner: u32,
    coin: Coin,
    steps_left: u32,
}

/// The generator's state: wallets, their coins, and the chain written so far.
struct World {
    seed: u64,
    chain: String,
    /// The network the addresses are encoded for.
    network: Network,
    rng: ChaCha20Rng,
    txids: Vec<String>,
    addresses: Vec<String>,
    address_legacy: Vec<bool>,
    wallets: Vec<Wallet>,
    /// Wallets holding at least one coin, and each wallet's place in that list.
    funded: Vec<u32>,
    funded_at: Vec<u32>,
    miners: u32,
    peels: Vec<PeelChain>,
    coinjoins: u64,
    peel_steps: u64,
}

/// One output being built: (wallet, address, value).
type Pay = (u32, u32, u64);

impl World {
    fn new(options: GenerateOptions, chain: String) -> World {
        let wallet_count = (options.txs / 8).clamp(40, u64::from(u32::MAX / 2)) as u32;
        let mut rng = ChaCha20Rng::seed_from_u64(options.seed);
        let wallets = (0..wallet_count)
            .map(|_| Wallet {
                legacy: rng.random_range(0..10) < 2,
                ..Wallet::default()
            })
            .collect();
        World {
            seed: options.seed,
            chain,
            network: crate::chain::network_of(options.network),
            rng,
            txids: Vec::with_capacity(options.txs as usize),
            addresses: Vec::new(),
            address_legacy: Vec::new(),
            wallets,
            funded: Vec::new(),
            funded_at: vec![u32::MAX; wallet_count as usize],
            miners: 10.min(wallet_count),
            peels: Vec::new(),
            coinjoins: 0,
            peel_steps: 0,
        }
    }

    /// The transactions of block `b`, `count` of them, the coinbase first.
    fn block(&mut self, b: u64, count: u64) -> Vec<Tx> {
        let height = FIRST_HEIGHT + b;
        let time = FIRST_BLOCK_TIME + 600 * b as i64;
        let hash = sha256d::Hash::hash(format!("generate:{}:block:{height}", self.seed).as_bytes())
            .to_string();
        let confirmation = Confirmation {
            block_height: Some(height),
            block_hash: Some(hash),
            block_time: Some(time),
        };
        let mut out = Vec::with_capacity(count as usize);
        // Block 0's coinbase funds the first wallets; from then on every fourth goes to a peeler.
        let peeler_block = b % 4 == 1;
        let miner = if peeler_block {
            // The peeler of this chain: an ordinary wallet beyond the miners.
            self.rng
                .random_range(self.miners..self.wallets.len() as u32)
        } else {
            self.rng.random_range(0..self.miners)
        };
        let address = self.fresh_address(miner);
        let coinbase = self.finish(
            &confirmation,
            Vec::new(),
            vec![(miner, address, SUBSIDY)],
            1,
        );
        if peeler_block {
            let coin = self.take_last_coin(miner);
            let steps_left = self.rng.random_range(20..60);
            self.peels.push(PeelChain {
                owner: miner,
                coin,
                steps_left,
            });
        }
        out.push(coinbase);
        while (out.len() as u64) < count {
            let t = self.next_tx(&confirmation);
            out.push(t);
        }
        out
    }

    fn next_tx(&mut self, confirmation: &Confirmation) -> Tx {
        let roll = self.rng.random_range(0..100);
        if roll < 4 && !self.peels.is_empty() {
            return self.peel_step(confirmation);
        }
        if roll < 7 {
            if let Some(t) = self.coinjoin(confirmation) {
                return t;
            }
        }
        if roll < 20 {
            if let Some(t) = self.consolidation(confirmation) {
                return t;
            }
        }
        if roll < 28 || self.funded.len() < 50 {
            if let Some(t) = self.batch(confirmation) {
                return t;
            }
        }
        self.payment(confirmation)
    }

    fn fresh_address(&mut self, wallet: u32) -> u32 {
        let id = self.addresses.len() as u32;
        let legacy = self.wallets[wallet as usize].legacy;
        let mut pre = Vec::with_capacity(24);
        pre.extend_from_slice(&self.seed.to_be_bytes());
        pre.extend_from_slice(&u64::from(id).to_be_bytes());
        let digest = sha256::Hash::hash(&pre).to_byte_array();
        let mut h = [0u8; 20];
        h.copy_from_slice(&digest[..20]);
        let address = if legacy {
            Address::p2pkh(PubkeyHash::from_byte_array(h), self.network)
        } else {
            match WitnessProgram::new(WitnessVersion::V0, &h) {
                Ok(p) => Address::from_witness_program(p, self.network),
                Err(_) => Address::p2pkh(PubkeyHash::from_byte_array(h), self.network),
            }
        };
        self.addresses.push(address.to_string());
        self.address_legacy.push(legacy);
        self.wallets[wallet as usize].addresses.push(id);
        id
    }

    /// An address of `wallet` to pay: usually fresh, sometimes one it used before.
    fn receiving_address(&mut self, wallet: u32) -> u32 {
        let known = self.wallets[wallet as usize].addresses.len();
        if known > 0 && self.rng.random_range(0..100) < 15 {
            let i = self.rng.random_range(0..known);
            self.wallets[wallet as usize].addresses[i]
        } else {
            self.fresh_address(wallet)
        }
    }

    fn random_wallet(&mut self) -> u32 {
        self.rng.random_range(0..self.wallets.len() as u32)
    }

    fn random_funded(&mut self) -> Option<u32> {
        if self.funded.is_empty() {
            return None;
        }
        let i = self.rng.random_range(0..self.funded.len());
        Some(self.funded[i])
    }

    fn add_coin(&mut self, wallet: u32, coin: Coin) {
        let w = &mut self.wallets[wallet as usize];
        w.coins.push(coin);
        if w.coins.len() == 1 {
            self.funded_at[wallet as usize] = self.funded.len() as u32;
            self.funded.push(wallet);
        }
    }

    fn take_coin(&mut self, wallet: u32, index: usize) -> Coin {
        let w = &mut self.wallets[wallet as usize];
        let coin = w.coins.swap_remove(index);
        if w.coins.is_empty() {
            let at = self.funded_at[wallet as usize] as usize;
            self.funded.swap_remove(at);
            if let Some(moved) = self.funded.get(at).copied() {
                self.funded_at[moved as usize] = at as u32;
            }
            self.funded_at[wallet as usize] = u32::MAX;
        }
        coin
    }

    /// Takes the coin `wallet` received last (the output of the transaction just finished).
    fn take_last_coin(&mut self, wallet: u32) -> Coin {
        let last = self.wallets[wallet as usize].coins.len() - 1;
        self.take_coin(wallet, last)
    }

    /// Up to `n` coins of `wallet`, chosen at random.
    fn take_coins(&mut self, wallet: u32, n: usize) -> Vec<Coin> {
        let mut coins = Vec::with_capacity(n);
        for _ in 0..n {
            let have = self.wallets[wallet as usize].coins.len();
            if have == 0 {
                break;
            }
            let i = self.rng.random_range(0..have);
            coins.push(self.take_coin(wallet, i));
        }
        coins
    }

    fn fee(&mut self, inputs: usize, outputs: usize) -> u64 {
        let vbytes = 11 + 68 * inputs as u64 + 31 * outputs as u64;
        vbytes * self.rng.random_range(2..20)
    }

    fn payment(&mut self, confirmation: &Confirmation) -> Tx {
        loop {
            let Some(payer) = self.random_funded() else {
                unreachable_funding()
            };
            let n = match self.rng.random_range(0..100) {
                0..60 => 1,
                60..85 => 2,
                _ => 3,
            };
            let coins = self.take_coins(payer, n);
            let total: u64 = coins.iter().map(|c| c.value).sum();
            let fee = self.fee(coins.len(), 2);
            if total < fee + 3 * MIN_OUTPUT {
                // Too small to split: sweep it to a payee instead.
                if total > fee + MIN_OUTPUT {
                    let payee = self.random_wallet();
                    let address = self.receiving_address(payee);
                    return self.finish(
                        confirmation,
                        coins,
                        vec![(payee, address, total - fee)],
                        2,
                    );
                }
                // Dust-sized coins are left unspent for good (fees would eat them).
                continue;
            }
            let spendable = total - fee;
            let pct = self.rng.random_range(5..95);
            let amount = (spendable * pct / 100).clamp(MIN_OUTPUT, spendable - MIN_OUTPUT);
            let amount = round_like_a_person(&mut self.rng, amount);
            let change = spendable - amount;
            let payee = self.random_wallet();
            let to = self.receiving_address(payee);
            let change_address = if self.rng.random_range(0..100) < 8 {
                coins[0].address
            } else {
                self.fresh_address(payer)
            };
            let mut pays = vec![(payee, to, amount), (payer, change_address, change)];
            if self.rng.random_bool(0.5) {
                pays.swap(0, 1);
            }
            return self.finish(confirmation, coins, pays, 2);
        }
    }

    fn consolidation(&mut self, confirmation: &Confirmation) -> Option<Tx> {
        for _ in 0..8 {
            let wallet = self.random_funded()?;
            let have = self.wallets[wallet as usize].coins.len();
            if have < 2 {
                continue;
            }
            let n = self.rng.random_range(2..=10).min(have);
            let coins = self.take_coins(wallet, n);
            let total: u64 = coins.iter().map(|c| c.value).sum();
            let fee = self.fee(coins.len(), 1);
            let to = self.fresh_address(wallet);
            if total <= fee + MIN_OUTPUT {
                for c in coins {
                    self.add_coin(wallet, c);
                }
                return None;
            }
            return Some(self.finish(confirmation, coins, vec![(wallet, to, total - fee)], 1));
        }
        None
    }

    fn batch(&mut self, confirmation: &Confirmation) -> Option<Tx> {
        let payer = self.random_funded()?;
        let have = self.wallets[payer as usize].coins.len();
        let i = (0..have).max_by_key(|&i| self.wallets[payer as usize].coins[i].value)?;
        let payees = self.rng.random_range(5..=15usize);
        let value = self.wallets[payer as usize].coins[i].value;
        let fee = self.fee(1, payees + 1);
        if value < fee + (payees as u64 + 1) * 20 * MIN_OUTPUT {
            return None;
        }
        let coin = self.take_coin(payer, i);
        let budget = (value - fee) / 2;
        let mut pays = Vec::with_capacity(payees + 1);
        let mut paid = 0;
        for _ in 0..payees {
            let share = budget / payees as u64;
            let amount = self.rng.random_range(MIN_OUTPUT..=share.max(MIN_OUTPUT));
            let w = self.random_wallet();
            let a = self.receiving_address(w);
            pays.push((w, a, amount));
            paid += amount;
        }
        let change_address = self.fresh_address(payer);
        pays.push((payer, change_address, value - fee - paid));
        Some(self.finish(confirmation, vec![coin], pays, 2))
    }

    fn coinjoin(&mut self, confirmation: &Confirmation) -> Option<Tx> {
        let k = self.rng.random_range(5..=8usize);
        let denomination = [100_000u64, 1_000_000, 5_000_000][self.rng.random_range(0..3)];
        let fee_share = 2_000u64;
        let mut taken: Vec<(u32, Coin)> = Vec::with_capacity(k);
        for _ in 0..k * 6 {
            if taken.len() == k {
                break;
            }
            let Some(w) = self.random_funded() else { break };
            if taken.iter().any(|(o, _)| *o == w) {
                continue;
            }
            let need = denomination + fee_share + 2 * MIN_OUTPUT;
            let coins = &self.wallets[w as usize].coins;
            if let Some(i) = coins.iter().position(|c| c.value >= need) {
                let c = self.take_coin(w, i);
                taken.push((w, c));
            }
        }
        if taken.len() < k {
            for (w, c) in taken {
                self.add_coin(w, c);
            }
            return None;
        }
        let mut mixed = Vec::with_capacity(k);
        let mut changes = Vec::with_capacity(k);
        for (w, c) in &taken {
            let a = self.fresh_address(*w);
            mixed.push((*w, a, denomination));
            let b = self.fresh_address(*w);
            // Change values differ by participant, so the denomination is the one repeated value.
            changes.push((*w, b, c.value - denomination - fee_share));
        }
        mixed.extend(changes);
        self.coinjoins += 1;
        let coins = taken.into_iter().map(|(_, c)| c).collect();
        Some(self.finish(confirmation, coins, mixed, 1))
    }

    fn peel_step(&mut self, confirmation: &Confirmation) -> Tx {
        let i = self.rng.random_range(0..self.peels.len());
        let chain = self.peels.swap_remove(i);
        let value = chain.coin.value;
        let fee = self.fee(1, 2);
        let pct = self.rng.random_range(1..=3);
        let peeled = round_like_a_person(&mut self.rng, (value * pct / 100).max(MIN_OUTPUT));
        let owner = chain.owner;
        if value < fee + peeled + 20 * MIN_OUTPUT || chain.steps_left == 0 {
            // The chain ends: its last coin returns to the peeler's wallet.
            self.add_coin(owner, chain.coin);
            return self.payment(confirmation);
        }
        let payee = self.random_wallet();
        let to = self.receiving_address(payee);
        let next = self.fresh_address(owner);
        let rest = value - fee - peeled;
        let mut pays = vec![(payee, to, peeled), (owner, next, rest)];
        let continuing = if self.rng.random_bool(0.5) {
            pays.swap(0, 1);
            0
        } else {
            1
        };
        let t = self.finish(confirmation, vec![chain.coin], pays, 2);
        // Take the continuing coin back out of the owner's wallet: the chain spends it next.
        let tx = (self.txids.len() - 1) as u32;
        let w = &self.wallets[owner as usize];
        if let Some(at) = w
            .coins
            .iter()
            .rposition(|c| c.tx == tx && c.vout == continuing)
        {
            let coin = self.take_coin(owner, at);
            self.peels.push(PeelChain {
                owner,
                coin,
                steps_left: chain.steps_left - 1,
            });
        }
        self.peel_steps += 1;
        t
    }

    /// Builds the transaction spending `coins` into `pays`, gives its outputs to their wallets
    /// and assigns its txid.
    fn finish(
        &mut self,
        confirmation: &Confirmation,
        coins: Vec<Coin>,
        pays: Vec<Pay>,
        version: i64,
    ) -> Tx {
        let index = self.txids.len() as u32;
        let mut pre = Vec::with_capacity(64 + 40 * (coins.len() + pays.len()));
        pre.extend_from_slice(b"tracebench-sim generate");
        pre.extend_from_slice(&self.seed.to_be_bytes());
        pre.extend_from_slice(&index.to_be_bytes());
        for c in &coins {
            pre.extend_from_slice(&c.tx.to_be_bytes());
            pre.extend_from_slice(&c.vout.to_be_bytes());
        }
        for (_, a, v) in &pays {
            pre.extend_from_slice(&a.to_be_bytes());
            pre.extend_from_slice(&v.to_be_bytes());
        }
        let txid = sha256d::Hash::hash(&pre).to_string();
        let coinbase = coins.is_empty();
        let inputs: Vec<TxInput> = if coinbase {
            vec![TxInput {
                index: 0,
                prev_txid: None,
                prev_vout: None,
                address: None,
                value: 0,
                is_coinbase: true,
                sequence: Some(u32::MAX),
            }]
        } else {
            coins
                .iter()
                .enumerate()
                .map(|(i, c)| TxInput {
                    index: i as u32,
                    prev_txid: Some(self.txids[c.tx as usize].clone()),
                    prev_vout: Some(c.vout),
                    address: Some(self.addresses[c.address as usize].clone()),
                    value: c.value,
                    is_coinbase: false,
                    sequence: Some(0xffff_fffd),
                })
                .collect()
        };
        let outputs: Vec<TxOutput> = pays
            .iter()
            .enumerate()
            .map(|(i, (_, a, v))| TxOutput {
                index: i as u32,
                address: Some(self.addresses[*a as usize].clone()),
                value: *v,
                script_type: if self.address_legacy[*a as usize] {
                    "p2pkh"
                } else {
                    "v0_p2wpkh"
                }
                .to_string(),
            })
            .collect();
        let in_sum: u64 = coins.iter().map(|c| c.value).sum();
        let out_sum: u64 = pays.iter().map(|p| p.2).sum();
        let size = 11 + 68 * inputs.len() as u64 + 31 * outputs.len() as u64;
        self.txids.push(txid.clone());
        for (vout, (w, a, v)) in pays.iter().enumerate() {
            self.add_coin(
                *w,
                Coin {
                    tx: index,
                    vout: vout as u32,
                    address: *a,
                    value: *v,
                },
            );
        }
        Tx {
            chain: self.chain.clone(),
            txid,
            version,
            locktime: 0,
            size: Some(size),
            weight: Some(size * 4),
            fee: Some(if coinbase { 0 } else { in_sum - out_sum }),
            confirmation: confirmation.clone(),
            inputs,
            outputs,
        }
    }
}

/// Block 0's coinbase funds a wallet before any other transaction and every transaction pays
/// wallets, so a funded wallet always exists when a payment is made; reaching this is a bug.
fn unreachable_funding() -> ! {
    panic!("generator invariant broken: no funded wallet after the first coinbase")
}

/// People pay round amounts about a third of the time: rounds `amount` down to 10,000 sat then.
fn round_like_a_person(rng: &mut ChaCha20Rng, amount: u64) -> u64 {
    if rng.random_range(0..3) == 0 && amount > 20_000 {
        amount / 10_000 * 10_000
    } else {
        amount
    }
}
