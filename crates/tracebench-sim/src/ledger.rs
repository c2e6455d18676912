//! The ledger a scenario writes its story into: keys, unspent coins, pending transactions and
//! mined blocks. It builds real `bitcoin` transactions and blocks (real txids, merkle roots,
//! witness commitments and header hashes) and keeps every amount balanced.

use bitcoin::absolute::LockTime;
use bitcoin::block::{Header, Version as BlockVersion};
use bitcoin::hashes::Hash;
use bitcoin::opcodes::all::OP_RETURN;
use bitcoin::script::Builder;
use bitcoin::transaction::Version;
use bitcoin::{
    Amount, Block, BlockHash, CompactTarget, OutPoint, Sequence, Transaction, TxIn, TxMerkleNode,
    TxOut, Txid, Witness,
};
use rand::seq::SliceRandom;
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

use crate::chain::SimBlock;
use crate::keys::{push_bytes, Key, ScriptKind};

/// Subsidy of the blocks after the fourth halving (height 840,000), in satoshi.
const SUBSIDY: u64 = 312_500_000;
/// Coinbase outputs may be spent only this many blocks after their own block.
pub(crate) const COINBASE_MATURITY: u32 = 100;
/// Outputs below this are never created (change below it is left to the miner).
pub(crate) const DUST: u64 = 546;
/// `bits` of the mainnet difficulty epoch around height 840,000.
const BITS: u32 = 0x1703_4219;
/// Header versions seen on mainnet (BIP9 base with version-rolling bits).
const HEADER_VERSIONS: [i32; 4] = [0x2000_0000, 0x2000_e000, 0x2a00_0000, 0x3fff_e000];
/// Marker in every coinbase scriptSig: the chain is synthetic.
const COINBASE_TAG: &[u8] = b"/tracebench-sim/";

/// Index of a key in the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct KeyId(usize);

/// An unspent output the ledger knows how to spend.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Coin {
    pub(crate) outpoint: OutPoint,
    pub(crate) value: u64,
    pub(crate) key: KeyId,
    coinbase_height: Option<u32>,
}

/// How a wallet shapes its transactions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// Exchange or pool software: locktime 0, final sequences, payments in order, change last.
    Service,
    /// Personal wallet (Core/Electrum-like): anti-fee-sniping locktime, RBF sequences, outputs
    /// shuffled.
    Personal,
}

/// A transaction to build: which coins it spends, whom it pays, where the rest goes.
pub(crate) struct Spend {
    pub(crate) inputs: Vec<Coin>,
    pub(crate) payments: Vec<(KeyId, u64)>,
    pub(crate) change: KeyId,
    pub(crate) style: Style,
}

/// The chain under construction.
pub(crate) struct Ledger {
    rng: ChaCha20Rng,
    keys: Vec<Key>,
    coins: Vec<Coin>,
    pending: Vec<Transaction>,
    pending_fees: u64,
    blocks: Vec<SimBlock>,
    next_height: u32,
    last_time: u32,
    prev_hash: BlockHash,
}

impl Ledger {
    /// An empty ledger whose first block will be at `start_height`, about ten minutes after
    /// `start_time` (Unix seconds).
    pub(crate) fn new(seed: u64, start_height: u32, start_time: u32) -> Ledger {
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let mut prev = [0u8; 32];
        rng.fill_bytes(&mut prev[..24]);
        Ledger {
            rng,
            keys: Vec::new(),
            coins: Vec::new(),
            pending: Vec::new(),
            pending_fees: 0,
            blocks: Vec::new(),
            next_height: start_height,
            last_time: start_time,
            prev_hash: BlockHash::from_byte_array(prev),
        }
    }

    /// A uniform integer in `low..=high`.
    pub(crate) fn range(&mut self, low: u64, high: u64) -> u64 {
        self.rng.random_range(low..=high)
    }

    /// True with probability `percent`/100 (integer arithmetic only).
    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.rng.random_range(0..100u64) < percent
    }

    /// Shuffles a slice with the ledger's RNG.
    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        items.shuffle(&mut self.rng);
    }

    /// A fresh key of `kind` owned by `owner`.
    pub(crate) fn new_key(&mut self, owner: &str, kind: ScriptKind) -> KeyId {
        let key = Key::draw(&mut self.rng, kind, owner);
        self.keys.push(key);
        KeyId(self.keys.len() - 1)
    }

    /// The key behind an id.
    pub(crate) fn key(&self, id: KeyId) -> &Key {
        &self.keys[id.0]
    }

    /// The address of a key.
    pub(crate) fn address(&self, id: KeyId) -> String {
        self.key(id).address.clone()
    }

    /// Every key created so far, in creation order.
    pub(crate) fn keys(&self) -> &[Key] {
        &self.keys
    }

    /// Coins locked to any of `keys` that can be spent in the next block, oldest first.
    pub(crate) fn coins_of(&self, keys: &[KeyId]) -> Vec<Coin> {
        self.coins
            .iter()
            .filter(|coin| keys.contains(&coin.key))
            .filter(|coin| {
                coin.coinbase_height
                    .is_none_or(|h| h + COINBASE_MATURITY <= self.next_height)
            })
            .copied()
            .collect()
    }

    /// Spendable balance of `keys`.
    pub(crate) fn balance_of(&self, keys: &[KeyId]) -> u64 {
        self.coins_of(keys).iter().map(|c| c.value).sum()
    }

    /// Picks coins of `keys` worth at least `target`: the smallest single coin that covers it,
    /// else largest first. `None` if the keys do not hold enough.
    pub(crate) fn select(&self, keys: &[KeyId], target: u64) -> Option<Vec<Coin>> {
        let mut coins = self.coins_of(keys);
        coins.sort_by(|a, b| a.value.cmp(&b.value).then(a.outpoint.cmp(&b.outpoint)));
        if let Some(coin) = coins.iter().find(|c| c.value >= target) {
            return Some(vec![*coin]);
        }
        let mut picked = Vec::new();
        let mut sum = 0;
        for coin in coins.into_iter().rev() {
            sum += coin.value;
            picked.push(coin);
            if sum >= target {
                return Some(picked);
            }
        }
        None
    }

    /// Builds, records and queues a transaction; returns its txid.
    ///
    /// The fee is a drawn rate (2–40 sat/vB) times the real vsize; the change output takes the
    /// rest, or is left out (its value going to the fee) if it would be dust.
    ///
    /// # Panics
    /// If the inputs cannot pay the payments plus the fee: scenarios size amounts so that this
    /// never happens, and the tests generate many seeds.
    pub(crate) fn spend(&mut self, spend: Spend) -> Txid {
        let Spend {
            inputs,
            payments,
            change,
            style,
        } = spend;
        assert!(!inputs.is_empty(), "a transaction needs inputs");
        let (lock_time, sequence) = match style {
            Style::Service => (LockTime::ZERO, Sequence::MAX),
            Style::Personal => (
                LockTime::from_consensus(self.next_height - 1),
                Sequence::ENABLE_RBF_NO_LOCKTIME,
            ),
        };
        for coin in &inputs {
            let at = self.coins.iter().position(|c| c.outpoint == coin.outpoint);
            match at {
                Some(at) => {
                    self.coins.remove(at);
                }
                None => panic!("coin {} is not unspent", coin.outpoint),
            }
        }
        let input_sum: u64 = inputs.iter().map(|c| c.value).sum();
        let payment_sum: u64 = payments.iter().map(|p| p.1).sum();
        let tx_inputs: Vec<TxIn> = inputs
            .iter()
            .map(|coin| {
                let key = self.keys[coin.key.0].clone();
                key.spend(&mut self.rng, coin.outpoint, sequence)
            })
            .collect();

        // (key, value, is_change) in final output order; the change value is fixed below.
        let mut outputs: Vec<(KeyId, u64, bool)> =
            payments.iter().map(|&(k, v)| (k, v, false)).collect();
        match style {
            Style::Service => outputs.push((change, 0, true)),
            Style::Personal => {
                outputs.push((change, 0, true));
                outputs.shuffle(&mut self.rng);
            }
        }
        let fee_rate = self.range(2, 40);
        let mut tx = Transaction {
            version: Version::TWO,
            lock_time,
            input: tx_inputs,
            output: outputs
                .iter()
                .map(|&(k, v, _)| TxOut {
                    value: Amount::from_sat(v),
                    script_pubkey: self.keys[k.0].script_pubkey.clone(),
                })
                .collect(),
        };
        let vsize = tx.vsize() as u64;
        let fee_with_change = fee_rate * vsize;
        let available = input_sum
            .checked_sub(payment_sum + fee_with_change)
            .unwrap_or_else(|| {
                panic!("inputs {input_sum} cannot pay {payment_sum} + fee {fee_with_change}")
            });
        let change_at = outputs.iter().position(|o| o.2).unwrap_or(0);
        if available >= DUST {
            tx.output[change_at].value = Amount::from_sat(available);
            outputs[change_at].1 = available;
        } else {
            tx.output.remove(change_at);
            outputs.remove(change_at);
        }
        let fee = input_sum - outputs.iter().map(|o| o.1).sum::<u64>();
        let txid = tx.compute_txid();
        for (vout, &(key, value, _)) in outputs.iter().enumerate() {
            self.coins.push(Coin {
                outpoint: OutPoint::new(txid, vout as u32),
                value,
                key,
                coinbase_height: None,
            });
        }
        self.pending.push(tx);
        self.pending_fees += fee;
        txid
    }

    /// Number of transactions waiting for the next block.
    pub(crate) fn pending_len(&self) -> usize {
        self.pending.len()
    }

    /// Mines the pending transactions into a block whose coinbase pays `miner`.
    pub(crate) fn mine(&mut self, miner: KeyId) {
        let height = self.next_height;
        let time = self.last_time + self.range(60, 1140) as u32;
        let mut extranonce = [0u8; 8];
        self.rng.fill_bytes(&mut extranonce);
        let script_sig = Builder::new()
            .push_int(i64::from(height))
            .push_slice(extranonce)
            .push_slice(push_bytes(COINBASE_TAG))
            .into_script();
        let reward = SUBSIDY + self.pending_fees;
        let mut coinbase = Transaction {
            version: Version::TWO,
            lock_time: LockTime::ZERO,
            input: vec![TxIn {
                previous_output: OutPoint::null(),
                script_sig,
                sequence: Sequence::MAX,
                witness: Witness::from_slice(&[[0u8; 32]]),
            }],
            output: vec![TxOut {
                value: Amount::from_sat(reward),
                script_pubkey: self.keys[miner.0].script_pubkey.clone(),
            }],
        };
        let mut txdata = Vec::with_capacity(1 + self.pending.len());
        txdata.push(coinbase.clone());
        txdata.append(&mut self.pending);
        let version = HEADER_VERSIONS[self.range(0, HEADER_VERSIONS.len() as u64 - 1) as usize];
        let nonce = self.rng.next_u32();
        let mut block = Block {
            header: Header {
                version: BlockVersion::from_consensus(version),
                prev_blockhash: self.prev_hash,
                merkle_root: TxMerkleNode::all_zeros(),
                time,
                bits: CompactTarget::from_consensus(BITS),
                nonce,
            },
            txdata,
        };
        // The witness commitment (BIP141) goes into the coinbase, whose own wtxid counts as zero.
        if let Some(witness_root) = block.witness_root() {
            let commitment = Block::compute_witness_commitment(&witness_root, &[0u8; 32]);
            let mut data = vec![0xaa, 0x21, 0xa9, 0xed];
            data.extend_from_slice(commitment.as_byte_array());
            coinbase.output.push(TxOut {
                value: Amount::ZERO,
                script_pubkey: Builder::new()
                    .push_opcode(OP_RETURN)
                    .push_slice(push_bytes(&data))
                    .into_script(),
            });
            block.txdata[0] = coinbase;
        }
        block.header.merkle_root = block
            .compute_merkle_root()
            .unwrap_or_else(|| unreachable!("a block always has its coinbase"));
        let coinbase_txid = block.txdata[0].compute_txid();
        self.coins.push(Coin {
            outpoint: OutPoint::new(coinbase_txid, 0),
            value: reward,
            key: miner,
            coinbase_height: Some(height),
        });
        let mut recent: Vec<u32> = self
            .blocks
            .iter()
            .rev()
            .take(10)
            .map(|b| b.time())
            .chain(std::iter::once(time))
            .collect();
        recent.sort_unstable();
        let median_time = recent[recent.len() / 2];
        let sim_block = SimBlock::new(height, block, median_time);
        self.prev_hash = sim_block.hash();
        self.blocks.push(sim_block);
        self.pending_fees = 0;
        self.next_height += 1;
        self.last_time = time;
    }

    /// Ends the story: the mined blocks (pending transactions must have been mined).
    pub(crate) fn into_blocks(self) -> Vec<SimBlock> {
        assert!(self.pending.is_empty(), "every transaction must be mined");
        self.blocks
    }
}
