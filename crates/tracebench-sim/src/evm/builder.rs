//! The block builder of the EVM scenario: executes the scenario's calls (ether payments, ERC-20
//! calls, DEX swaps) against in-memory balances, refusing any overdraft, and seals them into
//! 12-second blocks with EIP-1559 fees, logs, blooms and call traces.

use std::collections::BTreeMap;

use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

use super::abi::{self, Function, Word};
use super::chain::{CallFrame, CallKind, EvmBlock, EvmLog, EvmTx};
use super::hash::{
    address_of_pubkey, contract_address, event_topic, hex_address, hex_hash, keccak, Address,
    Bloom, H256,
};

/// The chain id the sim answers as. Everything served is synthetic (see [`EvmTruth`]).
pub const CHAIN_ID: u64 = 1;
pub(super) const START_BLOCK: u64 = 19_600_000;
/// 2024-04-06T12:00:11Z.
pub(super) const START_TIME: u64 = 1_712_404_811;
pub(super) const BLOCK_TIME: u64 = 12;
pub(super) const GWEI: u128 = 1_000_000_000;
pub(super) const ETHER: u128 = 1_000_000_000_000_000_000;
/// One whole token (6 decimals).
pub(super) const UNIT: u128 = 1_000_000;
/// 0.01 token: every scenario amount is a multiple of it, hence of 5 (see the haircut proof).
pub(super) const CENT: u128 = 10_000;
pub(super) const BLOCK_GAS_LIMIT: u64 = 30_000_000;
pub(super) const ZERO: Address = [0u8; 20];

/// What a call does, besides the top-level value: its sub-calls, logs and result.
pub(super) struct Execution {
    pub(super) success: bool,
    pub(super) gas_used: u64,
    pub(super) calls: Vec<CallFrame>,
    pub(super) logs: Vec<(Address, Vec<H256>, Vec<u8>)>,
    pub(super) output: Vec<u8>,
    pub(super) revert_reason: Option<String>,
}

impl Execution {
    pub(super) fn ok(gas_used: u64) -> Execution {
        Execution {
            success: true,
            gas_used,
            calls: Vec::new(),
            logs: Vec::new(),
            output: Vec::new(),
            revert_reason: None,
        }
    }
}

pub(super) struct Builder {
    pub(super) seed: u64,
    pub(super) rng: ChaCha20Rng,
    pub(super) counter: u64,
    pub(super) blocks: Vec<EvmBlock>,
    pub(super) txs: Vec<EvmTx>,
    pub(super) pending: Vec<usize>,
    pub(super) base_fee: u128,
    pub(super) parent_hash: H256,
    pub(super) log_index: u32,
    pub(super) cumulative_gas: u64,
    pub(super) nonces: BTreeMap<Address, u64>,
    pub(super) wei: BTreeMap<Address, u128>,
    pub(super) tokens: BTreeMap<Address, u128>,
    pub(super) owners: BTreeMap<Address, String>,
    pub(super) genesis: BTreeMap<Address, u128>,
    pub(super) miner: Address,
    pub(super) token: Address,
    pub(super) router: Address,
    pub(super) pool: Address,
    pub(super) weth: Address,
}

fn add(map: &mut BTreeMap<Address, u128>, who: Address, amount: u128) {
    *map.entry(who).or_default() += amount;
}

fn take(map: &mut BTreeMap<Address, u128>, who: Address, amount: u128, what: &str) {
    let balance = map.entry(who).or_default();
    assert!(
        *balance >= amount,
        "scenario bug: {} would overdraw {what} ({} < {amount})",
        hex_address(&who),
        *balance
    );
    *balance -= amount;
}

fn transfer_log(token: Address, from: Address, to: Address, amount: u128) -> RawLog {
    (
        token,
        vec![
            event_topic("Transfer(address,address,uint256)"),
            super::hash::address_word(&from),
            super::hash::address_word(&to),
        ],
        abi::words(&[Word::Amount(amount)]),
    )
}

pub(super) type RawLog = (Address, Vec<H256>, Vec<u8>);

/// Gas charged for calldata before execution (21,000 + 16 per non-zero and 4 per zero byte).
pub(crate) fn intrinsic_gas(input: &[u8]) -> u64 {
    21_000
        + input
            .iter()
            .map(|b| if *b == 0 { 4 } else { 16 })
            .sum::<u64>()
}

impl Builder {
    pub(super) fn new(seed: u64) -> Builder {
        let mut rng = ChaCha20Rng::seed_from_u64(seed ^ 0x6576_6d2d_7573_6474);
        let base_fee = rng.random_range(12..=25u128) * GWEI;
        let mut builder = Builder {
            seed,
            rng,
            counter: 0,
            blocks: Vec::new(),
            txs: Vec::new(),
            pending: Vec::new(),
            base_fee,
            parent_hash: [0u8; 32],
            log_index: 0,
            cumulative_gas: 0,
            nonces: BTreeMap::new(),
            wei: BTreeMap::new(),
            tokens: BTreeMap::new(),
            owners: BTreeMap::new(),
            genesis: BTreeMap::new(),
            miner: ZERO,
            token: ZERO,
            router: ZERO,
            pool: ZERO,
            weth: ZERO,
        };
        builder.parent_hash = builder.hash("parent");
        builder.miner = builder.account("block-builder");
        builder
    }

    /// A deterministic, unique, real-looking 32-byte value.
    pub(super) fn hash(&mut self, tag: &str) -> H256 {
        self.counter += 1;
        let mut preimage = b"tracebench-sim/evm-usdt".to_vec();
        preimage.extend_from_slice(&self.seed.to_be_bytes());
        preimage.extend_from_slice(&self.counter.to_be_bytes());
        preimage.extend_from_slice(tag.as_bytes());
        keccak(&preimage)
    }

    /// A new externally owned account: the address of a random public key.
    pub(super) fn account(&mut self, owner: &str) -> Address {
        let mut pubkey = [0u8; 64];
        self.rng.fill_bytes(&mut pubkey);
        let address = address_of_pubkey(&pubkey);
        self.owners.insert(address, owner.to_string());
        address
    }

    /// A contract deployed before the first block by `deployer` (CREATE address).
    pub(super) fn contract(&mut self, deployer: Address, owner: &str) -> Address {
        let nonce = self.nonces.entry(deployer).or_default();
        let address = contract_address(&deployer, *nonce);
        *nonce += 1;
        self.owners.insert(address, owner.to_string());
        address
    }

    pub(super) fn endow(&mut self, who: Address, wei: u128) {
        add(&mut self.genesis, who, wei);
        add(&mut self.wei, who, wei);
    }

    pub(super) fn pick(&mut self, low: u128, high: u128) -> u128 {
        self.rng.random_range(low..=high)
    }

    /// Submits a transaction into the current block and applies its effects.
    pub(super) fn submit(
        &mut self,
        from: Address,
        to: Address,
        value: u128,
        input: Vec<u8>,
        exec: Execution,
    ) {
        let nonce = {
            let n = self.nonces.entry(from).or_default();
            *n += 1;
            *n - 1
        };
        let priority = self.pick(5, 200) * GWEI / 100;
        let effective = self.base_fee + priority;
        let max_fee = 2 * self.base_fee + priority;
        let gas = if exec.gas_used == 21_000 {
            21_000
        } else {
            (exec.gas_used * 6 / 5).div_ceil(1_000) * 1_000
        };
        take(
            &mut self.wei,
            from,
            u128::from(exec.gas_used) * effective,
            "ether for gas",
        );
        add(
            &mut self.wei,
            self.miner,
            u128::from(exec.gas_used) * priority,
        );
        let mut trace = CallFrame {
            kind: CallKind::Call,
            from,
            to,
            value,
            gas,
            gas_used: exec.gas_used,
            input: input.clone(),
            output: exec.output,
            error: None,
            revert_reason: None,
            calls: exec.calls,
        };
        let mut logs = Vec::new();
        let mut bloom = Bloom::default();
        if exec.success {
            for (_, frame) in trace.flatten() {
                take(&mut self.wei, frame.from, frame.value, "ether");
                add(&mut self.wei, frame.to, frame.value);
            }
            for (address, topics, data) in exec.logs {
                if address == self.token
                    && topics[0] == event_topic("Transfer(address,address,uint256)")
                {
                    let from = word_address(&topics[1]);
                    let to = word_address(&topics[2]);
                    let amount = word_amount(&data);
                    if from != ZERO {
                        take(&mut self.tokens, from, amount, "tokens");
                    }
                    add(&mut self.tokens, to, amount);
                }
                bloom.accrue(&address);
                for topic in &topics {
                    bloom.accrue(topic);
                }
                logs.push(EvmLog {
                    address,
                    topics,
                    data,
                    log_index: self.log_index,
                });
                self.log_index += 1;
            }
        } else {
            trace.error = Some("execution reverted".into());
            trace.revert_reason = exec.revert_reason;
        }
        let mut preimage = Vec::new();
        preimage.extend_from_slice(&CHAIN_ID.to_be_bytes());
        preimage.extend_from_slice(&from);
        preimage.extend_from_slice(&nonce.to_be_bytes());
        preimage.extend_from_slice(&to);
        preimage.extend_from_slice(&value.to_be_bytes());
        preimage.extend_from_slice(&input);
        preimage.extend_from_slice(&self.seed.to_be_bytes());
        let hash = keccak(&preimage);
        self.cumulative_gas += exec.gas_used;
        let r = self.hash("r");
        let s = self.hash("s");
        let y_parity = (self.rng.next_u32() & 1) as u8;
        let index = self.pending.len() as u32;
        self.txs.push(EvmTx {
            hash,
            block_number: START_BLOCK + self.blocks.len() as u64,
            index,
            from,
            to,
            nonce,
            value,
            gas,
            gas_used: exec.gas_used,
            cumulative_gas_used: self.cumulative_gas,
            max_fee_per_gas: max_fee,
            max_priority_fee_per_gas: priority,
            effective_gas_price: effective,
            input,
            success: exec.success,
            logs,
            bloom,
            trace,
            r,
            s,
            y_parity,
        });
        self.pending.push(self.txs.len() - 1);
    }

    /// Seals the current block and starts the next one.
    pub(super) fn seal(&mut self) {
        let number = START_BLOCK + self.blocks.len() as u64;
        let timestamp = START_TIME + BLOCK_TIME * self.blocks.len() as u64;
        let txs = std::mem::take(&mut self.pending);
        let mut bloom = Bloom::default();
        let mut tx_hashes = Vec::new();
        let mut size = 620u64;
        for i in &txs {
            bloom.union(&self.txs[*i].bloom);
            tx_hashes.extend_from_slice(&self.txs[*i].hash);
            size += 115 + self.txs[*i].input.len() as u64;
        }
        let mut preimage = self.parent_hash.to_vec();
        preimage.extend_from_slice(&number.to_be_bytes());
        preimage.extend_from_slice(&timestamp.to_be_bytes());
        preimage.extend_from_slice(&tx_hashes);
        let hash = keccak(&preimage);
        let transactions_root = keccak(&tx_hashes);
        let state_root = self.hash("state");
        let receipts_root = self.hash("receipts");
        let mix_hash = self.hash("mix");
        self.blocks.push(EvmBlock {
            number,
            hash,
            parent_hash: self.parent_hash,
            timestamp,
            miner: self.miner,
            base_fee: self.base_fee,
            gas_limit: BLOCK_GAS_LIMIT,
            gas_used: self.cumulative_gas,
            txs,
            bloom,
            state_root,
            receipts_root,
            transactions_root,
            mix_hash,
            size,
        });
        self.parent_hash = hash;
        self.log_index = 0;
        self.cumulative_gas = 0;
        // The base fee drifts by at most ±6 % a block, within 8–40 gwei.
        let step = self.pick(940, 1_060);
        self.base_fee = (self.base_fee * step / 1_000).clamp(8 * GWEI, 40 * GWEI);
    }

    pub(super) fn send_ether(&mut self, from: Address, to: Address, wei: u128) {
        self.submit(from, to, wei, Vec::new(), Execution::ok(21_000));
    }

    pub(super) fn call_token(
        &mut self,
        from: Address,
        function: Function,
        args: &[Word],
        gas_used: u64,
        logs: Vec<RawLog>,
    ) {
        let input = abi::call(function, args);
        let mut exec = Execution::ok(gas_used);
        exec.output = abi::words(&[Word::Amount(1)]);
        exec.logs = logs;
        let token = self.token;
        self.submit(from, token, 0, input, exec);
    }

    pub(super) fn send_tokens(&mut self, from: Address, to: Address, amount: u128) {
        let gas = if self.tokens.get(&to).copied().unwrap_or(0) == 0 {
            63_209
        } else {
            46_109
        };
        let log = transfer_log(self.token, from, to, amount);
        self.call_token(
            from,
            abi::TRANSFER,
            &[Word::Address(to), Word::Amount(amount)],
            gas,
            vec![log],
        );
    }

    pub(super) fn approve_all(&mut self, owner: Address, spender: Address) {
        let max = [0xffu8; 32];
        let log = (
            self.token,
            vec![
                event_topic("Approval(address,address,uint256)"),
                super::hash::address_word(&owner),
                super::hash::address_word(&spender),
            ],
            max.to_vec(),
        );
        self.call_token(
            owner,
            abi::APPROVE,
            &[Word::Address(spender), Word::Raw(max)],
            46_364,
            vec![log],
        );
    }

    pub(super) fn transfer_from(
        &mut self,
        spender: Address,
        owner: Address,
        to: Address,
        amount: u128,
    ) {
        let log = transfer_log(self.token, owner, to, amount);
        self.call_token(
            spender,
            abi::TRANSFER_FROM,
            &[
                Word::Address(owner),
                Word::Address(to),
                Word::Amount(amount),
            ],
            58_221,
            vec![log],
        );
    }

    pub(super) fn issue(&mut self, issuer: Address, amount: u128) {
        let log = transfer_log(self.token, ZERO, issuer, amount);
        self.call_token(
            issuer,
            abi::ISSUE,
            &[Word::Amount(amount)],
            51_254,
            vec![log],
        );
    }

    pub(super) fn deadline(&self) -> u128 {
        u128::from(START_TIME + BLOCK_TIME * self.blocks.len() as u64 + 1_200)
    }

    pub(super) fn token_frame(
        &self,
        from: Address,
        function: Function,
        args: &[Word],
        gas_used: u64,
    ) -> CallFrame {
        CallFrame {
            kind: CallKind::Call,
            from,
            to: self.token,
            value: 0,
            gas: gas_used + 30_000,
            gas_used,
            input: abi::call(function, args),
            output: abi::words(&[Word::Amount(1)]),
            error: None,
            revert_reason: None,
            calls: Vec::new(),
        }
    }

    pub(super) fn reserves_frame(&self) -> CallFrame {
        let pool_tokens = self.tokens.get(&self.pool).copied().unwrap_or(0);
        let pool_wei = self.wei.get(&self.pool).copied().unwrap_or(0);
        CallFrame {
            kind: CallKind::StaticCall,
            from: self.router,
            to: self.pool,
            value: 0,
            gas: 95_000,
            gas_used: 2_504,
            input: abi::call(abi::GET_RESERVES, &[]),
            output: abi::words(&[
                Word::Amount(pool_tokens),
                Word::Amount(pool_wei),
                Word::Amount(u128::from(START_TIME)),
            ]),
            error: None,
            revert_reason: None,
            calls: Vec::new(),
        }
    }

    pub(super) fn add_liquidity(&mut self, provider: Address, tokens: u128, wei: u128) {
        let (router, pool, token) = (self.router, self.pool, self.token);
        let input = abi::call(
            abi::ADD_LIQUIDITY_ETH,
            &[
                Word::Address(token),
                Word::Amount(tokens),
                Word::Amount(tokens),
                Word::Amount(wei),
                Word::Address(provider),
                Word::Amount(self.deadline()),
            ],
        );
        let pull = self.token_frame(
            router,
            abi::TRANSFER_FROM,
            &[
                Word::Address(provider),
                Word::Address(pool),
                Word::Amount(tokens),
            ],
            31_233,
        );
        let deposit = CallFrame {
            kind: CallKind::Call,
            from: router,
            to: pool,
            value: wei,
            gas: 120_000,
            gas_used: 97_110,
            input: abi::call(abi::POOL_MINT, &[Word::Address(provider)]),
            output: abi::words(&[Word::Amount(tokens / 1_000)]),
            error: None,
            revert_reason: None,
            calls: Vec::new(),
        };
        let exec = Execution {
            success: true,
            gas_used: 178_412,
            calls: vec![self.reserves_frame(), pull, deposit],
            logs: vec![transfer_log(token, provider, pool, tokens)],
            output: abi::words(&[Word::Amount(tokens), Word::Amount(wei)]),
            revert_reason: None,
        };
        self.submit(provider, router, wei, input, exec);
    }

    /// The ether the pool pays for `amount_in` tokens (constant product, 0.3 % fee).
    pub(super) fn quote(&self, amount_in: u128) -> u128 {
        let pool_tokens = self.tokens.get(&self.pool).copied().unwrap_or(0);
        let pool_wei = self.wei.get(&self.pool).copied().unwrap_or(0);
        amount_in * 997 * pool_wei / (pool_tokens * 1_000 + amount_in * 997)
    }

    /// Swaps `amount_in` tokens for at least `min_out` wei; reverts (moving nothing) when the
    /// pool pays less. Returns the wei paid out, if the swap succeeded.
    pub(super) fn swap(&mut self, who: Address, amount_in: u128, min_out: u128) -> Option<u128> {
        let (router, pool, token, weth) = (self.router, self.pool, self.token, self.weth);
        let out = self.quote(amount_in);
        let deadline = self.deadline();
        let input = abi::call(
            abi::SWAP_EXACT_TOKENS_FOR_ETH,
            &[
                Word::Amount(amount_in),
                Word::Amount(min_out),
                Word::Amount(0xa0),
                Word::Address(who),
                Word::Amount(deadline),
                Word::Amount(2),
                Word::Address(token),
                Word::Address(weth),
            ],
        );
        if out < min_out {
            let reason = "UniswapV2Router: INSUFFICIENT_OUTPUT_AMOUNT";
            let exec = Execution {
                success: false,
                gas_used: 31_842,
                calls: vec![self.reserves_frame()],
                logs: Vec::new(),
                output: abi::error_string(reason),
                revert_reason: Some(reason.to_string()),
            };
            self.submit(who, router, 0, input, exec);
            return None;
        }
        let pull = self.token_frame(
            router,
            abi::TRANSFER_FROM,
            &[
                Word::Address(who),
                Word::Address(pool),
                Word::Amount(amount_in),
            ],
            29_962,
        );
        let payout = CallFrame {
            kind: CallKind::Call,
            from: pool,
            to: who,
            value: out,
            gas: 2_300,
            gas_used: 0,
            input: Vec::new(),
            output: Vec::new(),
            error: None,
            revert_reason: None,
            calls: Vec::new(),
        };
        let pool_swap = CallFrame {
            kind: CallKind::Call,
            from: router,
            to: pool,
            value: 0,
            gas: 80_000,
            gas_used: 41_655,
            input: abi::call(
                abi::POOL_SWAP,
                &[
                    Word::Amount(0),
                    Word::Amount(out),
                    Word::Address(who),
                    Word::Amount(0x80),
                    Word::Amount(0),
                ],
            ),
            output: Vec::new(),
            error: None,
            revert_reason: None,
            calls: vec![payout],
        };
        let exec = Execution {
            success: true,
            gas_used: 124_531,
            calls: vec![self.reserves_frame(), pull, pool_swap],
            logs: vec![transfer_log(token, who, pool, amount_in)],
            output: abi::words(&[
                Word::Amount(0x20),
                Word::Amount(2),
                Word::Amount(amount_in),
                Word::Amount(out),
            ]),
            revert_reason: None,
        };
        self.submit(who, router, 0, input, exec);
        Some(out)
    }

    pub(super) fn last_txid(&self) -> String {
        self.txs
            .last()
            .map(|t| hex_hash(&t.hash))
            .unwrap_or_default()
    }

    pub(super) fn balance(&self, who: Address) -> u128 {
        self.tokens.get(&who).copied().unwrap_or(0)
    }
}

fn word_address(word: &H256) -> Address {
    let mut address = [0u8; 20];
    address.copy_from_slice(&word[12..]);
    address
}

fn word_amount(data: &[u8]) -> u128 {
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&data[16..32]);
    u128::from_be_bytes(bytes)
}
