//! The `evm-usdt` scenario: stolen USDT moving through several hops on an EVM chain.
//!
//! The story, block by block (12 s apart, EIP-1559 fees, a base fee that drifts):
//! a token issuer mints a USDT look-alike (6 decimals, at a generated contract address, not the
//! real USDT) and funds an exchange hot wallet. The exchange pays withdrawals (ether and tokens)
//! to ordinary users, to a liquidity provider who seeds an ether/token DEX pool, to the victim
//! and to the thief (who thus holds some clean tokens before the theft). The victim signs a
//! phishing `approve(thief, 2^256-1)`; the thief drains the victim with `transferFrom`, sends
//! each of 3–5 intermediaries some ether for gas and splits the tokens among them, largest share
//! first, keeping a remainder. The first intermediary swaps part of its tokens for ether through
//! the DEX (the ether arrives by an internal call); the second one's swap reverts (status 0, no
//! logs, nothing moves); then every intermediary pays the rest into one exchange deposit address,
//! which the exchange funds with gas and sweeps into its hot wallet. Unrelated users move ether
//! and tokens between themselves and through their own deposit addresses all along.

use super::builder::{Builder, CENT, CHAIN_ID, ETHER, UNIT};
use super::chain::{EvmChain, EvmToken};
use super::hash::{hex_address, Address};
use super::truth::{EvmExpected, EvmRoles, EvmTruth, TokenTruth};
use super::SCENARIO_NAME;

/// An ordinary user with an optional exchange deposit address.
struct User {
    wallet: Address,
    deposit: Option<Address>,
}

/// Generates the `evm-usdt` case for `seed`.
pub(crate) fn generate(seed: u64) -> EvmChain {
    let mut b = Builder::new(seed);
    // Genesis: accounts, contracts and ether balances.
    let hot = b.account("exchange-hot-wallet");
    let issuer = b.account("token-issuer");
    let deployer = b.account("dex-deployer");
    b.token = b.contract(issuer, "token-contract");
    b.weth = b.contract(deployer, "dex-wrapped-ether");
    b.router = b.contract(deployer, "dex-router");
    b.pool = b.contract(deployer, "dex-pool");
    let provider = b.account("liquidity-provider");
    let victim = b.account("victim");
    let thief = b.account("thief");
    let user_count = b.pick(5, 8) as usize;
    let mut users = Vec::new();
    for i in 1..=user_count {
        let wallet = b.account(&format!("user-{i}"));
        let deposit = (i <= 3).then(|| b.account(&format!("exchange-deposit-user-{i}")));
        users.push(User { wallet, deposit });
    }
    let hop_count = b.pick(3, 5) as usize;
    let intermediaries: Vec<Address> = (1..=hop_count)
        .map(|i| b.account(&format!("intermediary-{i}")))
        .collect();
    let deposit = b.account("exchange-deposit");
    let hot_wei = b.pick(20_000, 60_000) * ETHER;
    b.endow(hot, hot_wei);
    let issuer_wei = b.pick(20, 80) * ETHER;
    b.endow(issuer, issuer_wei);
    let provider_wei = b.pick(2_000, 4_000) * ETHER;
    b.endow(provider, provider_wei);

    // The amounts of the theft, all multiples of CENT (hence of 5).
    let clean = b.pick(10_000, 40_000) * UNIT + b.pick(0, 99) * CENT;
    let stolen = 4 * clean;
    let kept = b.pick(50, 500) * UNIT;
    let mut splits = vec![2 * clean];
    let mut rest = 3 * clean - kept;
    for _ in 1..hop_count - 1 {
        let share = rest / CENT * b.pick(35, 60) / 100 * CENT;
        splits.push(share);
        rest -= share;
    }
    splits.push(rest);
    let swapped = clean + b.pick(0, clean / 2 / CENT) * CENT;

    // Issue, fund the hot wallet, seed the pool.
    let supply = b.pick(400, 900) * 1_000_000 * UNIT;
    b.issue(issuer, supply);
    b.seal();
    b.send_tokens(issuer, hot, supply);
    b.seal();
    let pool_tokens = b.pick(1_500_000, 3_000_000) * UNIT;
    let price = b.pick(2_900, 3_600);
    b.send_tokens(hot, provider, pool_tokens);
    b.seal();
    b.add_liquidity(
        provider,
        pool_tokens,
        pool_tokens * 1_000_000_000_000 / price,
    );
    b.seal();

    // Withdrawals: users, the victim and the thief.
    for user in &users {
        let wei = b.pick(5, 300) * ETHER / 100;
        b.send_ether(hot, user.wallet, wei);
        let tokens = b.pick(500, 90_000) * UNIT;
        b.send_tokens(hot, user.wallet, tokens);
        if b.pick(0, 1) == 1 {
            b.seal();
        }
    }
    let victim_wei = b.pick(20, 120) * ETHER / 100;
    b.send_ether(hot, victim, victim_wei);
    b.send_tokens(hot, victim, stolen);
    b.seal();
    let thief_wei = b.pick(60, 150) * ETHER / 100;
    b.send_ether(hot, thief, thief_wei);
    b.seal();
    noise(&mut b, hot, &users, 3);
    b.send_tokens(hot, thief, clean);
    b.seal();
    noise(&mut b, hot, &users, 4);

    // The theft.
    let mut roles = EvmRoles {
        victim: hex_address(&victim),
        thief: hex_address(&thief),
        intermediaries: intermediaries.iter().map(hex_address).collect(),
        dex_router: hex_address(&b.router),
        dex_pool: hex_address(&b.pool),
        exchange_deposit: hex_address(&deposit),
        exchange_hot_wallet: hex_address(&hot),
        ..EvmRoles::default()
    };
    b.approve_all(victim, thief);
    roles.approval_txid = b.last_txid();
    b.seal();
    noise(&mut b, hot, &users, 2);
    assert_eq!(
        b.balance(victim),
        stolen,
        "the victim holds exactly the stolen amount"
    );
    b.transfer_from(thief, victim, thief, stolen);
    roles.theft_txid = b.last_txid();
    roles.theft_log_index = b.txs.last().map_or(0, |t| t.logs[0].log_index);
    b.seal();
    for hop in &intermediaries {
        let wei = b.pick(4, 9) * ETHER / 100;
        b.send_ether(thief, *hop, wei);
    }
    b.seal();
    for (hop, amount) in intermediaries.iter().zip(&splits) {
        b.send_tokens(thief, *hop, *amount);
        roles.split_txids.push(b.last_txid());
        b.seal();
        noise(&mut b, hot, &users, 1);
    }
    let router = b.router;
    b.approve_all(intermediaries[0], router);
    b.seal();
    let min_out = b.quote(swapped) * 99 / 100;
    let wei_out = b
        .swap(intermediaries[0], swapped, min_out)
        .unwrap_or_else(|| unreachable!("a 1 % slippage bound on an untouched quote holds"));
    roles.swap_txid = b.last_txid();
    b.seal();
    b.approve_all(intermediaries[1], router);
    b.seal();
    // Asks for twice what the pool pays: the router reverts.
    let failed_in = splits[1] / 2;
    let greedy = b.quote(failed_in) * 2;
    let reverted = b.swap(intermediaries[1], failed_in, greedy);
    assert!(reverted.is_none(), "the greedy swap must revert");
    roles.failed_txid = b.last_txid();
    b.seal();
    noise(&mut b, hot, &users, 2);
    let mut deposited = 0u128;
    for (i, hop) in intermediaries.iter().enumerate() {
        let amount = b.balance(*hop);
        b.send_tokens(*hop, deposit, amount);
        roles.deposit_txids.push(b.last_txid());
        deposited += amount;
        if i % 2 == 1 {
            b.seal();
            noise(&mut b, hot, &users, 1);
        }
    }
    b.seal();
    b.send_ether(hot, deposit, 12 * ETHER / 1_000);
    b.seal();
    b.send_tokens(deposit, hot, deposited);
    roles.sweep_txid = b.last_txid();
    b.seal();
    noise(&mut b, hot, &users, 3);
    sweep_users(&mut b, hot, &users);

    // Expected results, from the construction (all divisions below are exact):
    // - Haircut: the thief held `clean` untainted units when `stolen` = 4 × clean arrived, so
    //   every unit it sent out carried 4/5 taint. The intermediaries received only from the thief
    //   (share 4/5), and a haircut transfer keeps its sender's share, so the swap and the
    //   deposits carry 4/5 too: 4/5 of the deposited total reaches the exchange. Every amount is
    //   a multiple of 0.01 token = 10,000 units, so 4/5 of it is a whole number of units.
    // - FIFO: the thief spends its first-received units first: the clean ones (`clean`) go in
    //   the first split (2 × clean) with `clean` stolen units behind them; every later split is
    //   wholly stolen. The first intermediary's swap (`swapped` ≥ clean) spends those `clean`
    //   clean units first, so what it deposits afterwards is stolen, as are all the other
    //   deposits: under FIFO the whole deposited total is stolen.
    assert!(
        swapped >= clean && splits[0] == 2 * clean,
        "the FIFO argument needs these"
    );
    assert_eq!(deposited % 5, 0, "the haircut share must divide exactly");
    let haircut = deposited / 5 * 4;
    let fifo = deposited;

    let token = EvmToken {
        contract: b.token,
        name: "Tether USD (synthetic)".into(),
        symbol: "USDT".into(),
        decimals: 6,
    };
    let chain = format!("eip155:{CHAIN_ID}");
    let truth = EvmTruth {
        scenario: SCENARIO_NAME.into(),
        seed,
        source_id: format!("sim:{SCENARIO_NAME}:{seed}"),
        synthetic: true,
        chain: chain.clone(),
        seed_address: hex_address(&victim),
        token: TokenTruth {
            contract: hex_address(&token.contract),
            asset: format!("{chain}/erc20:{}", hex_address(&token.contract)),
            name: token.name.clone(),
            symbol: token.symbol.clone(),
            decimals: token.decimals,
        },
        owners: b
            .owners
            .iter()
            .map(|(a, o)| (hex_address(a), o.clone()))
            .collect(),
        genesis_wei: b
            .genesis
            .iter()
            .map(|(a, w)| (hex_address(a), w.to_string()))
            .collect(),
        token_end_holders: b
            .tokens
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(a, n)| (hex_address(a), n.to_string()))
            .collect(),
        roles,
        expected: EvmExpected {
            stolen: stolen.to_string(),
            thief_clean_before_theft: clean.to_string(),
            deposited_at_exchange: deposited.to_string(),
            reaching_exchange_haircut: haircut.to_string(),
            reaching_exchange_fifo: fifo.to_string(),
            swap_wei_out: wei_out.to_string(),
        },
    };
    let by_hash = b
        .txs
        .iter()
        .enumerate()
        .map(|(i, tx)| (tx.hash, i))
        .collect();
    EvmChain {
        chain_id: CHAIN_ID,
        blocks: b.blocks,
        txs: b.txs,
        by_hash,
        token,
        truth,
    }
}

/// `blocks` blocks of unrelated activity: users pay each other ether and tokens, deposit at the
/// exchange, and the exchange pays withdrawals.
fn noise(b: &mut Builder, hot: Address, users: &[User], blocks: usize) {
    for _ in 0..blocks {
        let actions = b.pick(1, 3);
        for _ in 0..actions {
            let from = &users[b.pick(0, users.len() as u128 - 1) as usize];
            let to = &users[b.pick(0, users.len() as u128 - 1) as usize];
            let tokens = b.balance(from.wallet);
            let wei = b.wei.get(&from.wallet).copied().unwrap_or(0);
            match b.pick(0, 3) {
                0 if wei > ETHER / 10 && from.wallet != to.wallet => {
                    let amount = b.pick(1, 50) * wei / 1_000;
                    b.send_ether(from.wallet, to.wallet, amount);
                }
                1 if tokens > 10 * UNIT && wei > ETHER / 50 && from.wallet != to.wallet => {
                    let amount = tokens / CENT * b.pick(5, 40) / 100 * CENT;
                    b.send_tokens(from.wallet, to.wallet, amount);
                }
                2 if tokens > 10 * UNIT && wei > ETHER / 50 && from.deposit.is_some() => {
                    let amount = tokens / CENT * b.pick(10, 60) / 100 * CENT;
                    let deposit = from.deposit.unwrap_or(hot);
                    b.send_tokens(from.wallet, deposit, amount);
                }
                _ => {
                    let amount = b.pick(100, 20_000) * UNIT;
                    b.send_tokens(hot, from.wallet, amount);
                }
            }
        }
        b.seal();
    }
}

/// The exchange funds each user deposit address that holds tokens with gas and sweeps it.
fn sweep_users(b: &mut Builder, hot: Address, users: &[User]) {
    let held: Vec<(Address, u128)> = users
        .iter()
        .filter_map(|u| u.deposit)
        .map(|d| (d, b.balance(d)))
        .filter(|(_, n)| *n > 0)
        .collect();
    if held.is_empty() {
        return;
    }
    for (deposit, _) in &held {
        b.send_ether(hot, *deposit, 12 * ETHER / 1_000);
    }
    b.seal();
    for (deposit, amount) in held {
        b.send_tokens(deposit, hot, amount);
    }
    b.seal();
}
