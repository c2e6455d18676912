//! The EVM transfers appendix: every account transfer of the case, chain by chain in chain
//! order, each with its chain (CAIP-2 and name), transaction hash, log index or trace position,
//! block, UTC time, sender and receiver, the exact amount (asset units, symbol, base-unit
//! integer and decimals), status and the raw response it was parsed from; then the
//! transactions that failed on chain, which moved nothing.

use crate::display;
use crate::evm_amount;
use crate::evm_model::{ReportEvm, ReportEvmFailedTx, ReportEvmTransfer};
use crate::exhibit::{Exhibit, TEXT_LEADING, TEXT_PT};
use crate::sheet::Ink;
use crate::typeset::Face;

pub const TITLE: &str = "Appendix A2 · EVM transfers";

const ROW_PT: f32 = 6.8;
const ROW_LEADING: f32 = 3.2;

/// Where in its transaction a transfer sits: `log index 3` or `trace position 0 (top-level
/// call)`.
pub fn position(t: &ReportEvmTransfer) -> String {
    match (t.kind.as_str(), t.log_index) {
        ("token", Some(l)) => format!("ERC-20 Transfer log, log index {l}"),
        ("internal", _) => format!("internal call value, trace position {}", t.trace_index),
        _ => format!(
            "native value, trace position {}{}",
            t.trace_index,
            if t.trace_index == 0 {
                " (top-level call)"
            } else {
                ""
            }
        ),
    }
}

/// The lines of one transfer row.
pub fn lines(number: usize, t: &ReportEvmTransfer) -> [String; 4] {
    [
        format!(
            "E{number}  {} ({}) · block {} · {} · {}",
            display::one_line(&t.chain_name),
            display::one_line(&t.chain),
            t.block_height,
            display::utc_from_unix(t.block_time),
            position(t)
        ),
        format!("tx {}", display::one_line(&t.txid)),
        format!(
            "{} → {}",
            display::one_line(&t.from),
            display::one_line(&t.to)
        ),
        format!(
            "{} · status: {} · {} · source {} · raw SHA-256 {}",
            evm_amount::stated(&t.amount_base, &t.symbol, t.decimals),
            display::one_line(&t.status),
            display::one_line(&t.valuation),
            display::one_line(&t.source_id),
            display::one_line(&t.raw_sha256)
        ),
    ]
}

fn failed_lines(f: &ReportEvmFailedTx) -> [String; 3] {
    [
        format!(
            "{} ({}) · block {} · {} · status: FAILED (reverted) — moved no value",
            display::one_line(&f.chain_name),
            display::one_line(&f.chain),
            f.block_height,
            display::utc_from_unix(f.block_time)
        ),
        format!("tx {}", display::one_line(&f.txid)),
        format!(
            "{} → {} · source {} · raw SHA-256 {}",
            display::one_line(&f.from),
            f.to.as_deref()
                .map_or_else(|| "contract creation".to_string(), display::one_line),
            display::one_line(&f.source_id),
            display::one_line(&f.raw_sha256)
        ),
    ]
}

fn block(ex: &mut Exhibit, rows: &[String], shaded: bool) {
    ex.ensure(ROW_LEADING * rows.len() as f32 + 1.0);
    let ink = if shaded { Ink::Grey(0.2) } else { Ink::Black };
    for (i, line) in rows.iter().enumerate() {
        let face = if i == 0 { Face::Bold } else { Face::Mono };
        ex.paragraph(face, ROW_PT, ROW_LEADING, 2.0, line, ink);
    }
    ex.space(1.2);
}

pub fn write(ex: &mut Exhibit, evm: &ReportEvm) {
    ex.chapter(TITLE);
    ex.paragraph(
        Face::Regular,
        TEXT_PT,
        TEXT_LEADING,
        0.0,
        &format!(
            "{} transfer(s) on account-model (EVM) chains, chain by chain in chain order (block, \
             position in the block, log index, trace position). Each states the exact amount in \
             the asset's units with its symbol, and the integer in base units with the number \
             of decimals it is scaled by (no rounding). Rows are numbered E1, E2, … for the \
             narrative; the raw response each row was parsed from is named by source id and \
             SHA-256 (see “Data provenance”).",
            evm.transfers.len()
        ),
        Ink::Black,
    );
    ex.space(2.0);
    for (i, t) in evm.transfers.iter().enumerate() {
        block(ex, &lines(i + 1, t), i % 2 == 1);
    }
    ex.subheading("Failed transactions", 3.0 * TEXT_LEADING);
    if evm.failed.is_empty() {
        ex.paragraph(
            Face::Regular,
            TEXT_PT,
            TEXT_LEADING,
            0.0,
            "The case holds no failed EVM transaction.",
            Ink::Black,
        );
        return;
    }
    ex.paragraph(
        Face::Regular,
        TEXT_PT,
        TEXT_LEADING,
        0.0,
        &format!(
            "{} transaction(s) failed on chain (reverted): a failed transaction moves no value \
             (only its fee is paid), so no transfer above comes from it.",
            evm.failed.len()
        ),
        Ink::Black,
    );
    ex.space(1.5);
    for (i, f) in evm.failed.iter().enumerate() {
        block(ex, &failed_lines(f), i % 2 == 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transfer() -> ReportEvmTransfer {
        ReportEvmTransfer {
            chain: "eip155:56".to_string(),
            chain_name: "BNB Smart Chain".to_string(),
            txid: format!("0x{}", "ab".repeat(32)),
            kind: "token".to_string(),
            log_index: Some(7),
            trace_index: 0,
            block_height: 38_000_001,
            block_time: 1_714_000_000,
            from: "0x3d53fa7cdc773096E1480B9BCB50af0a4a7bF523".to_string(),
            to: "0xF4Ca737651bBE49930B891372Bb00a684544EB98".to_string(),
            asset: "eip155:56/erc20:0x55d398326f99059ff775485246999027b3197955".to_string(),
            symbol: "USDT".to_string(),
            decimals: Some(18),
            amount_base: "1250000000000000000000".to_string(),
            status: "succeeded".to_string(),
            valuation: "Fiat value: no rate (no series).".to_string(),
            hop: Some(1),
            source_id: "etherscan:56".to_string(),
            raw_sha256: "0f".repeat(32),
        }
    }

    #[test]
    fn a_row_states_chain_position_block_time_amount_status_and_source() {
        let t = transfer();
        let [head, tx, parties, amount] = lines(3, &t);
        assert_eq!(
            head,
            "E3  BNB Smart Chain (eip155:56) · block 38000001 · 2024-04-24 23:06:40 UTC · ERC-20 \
             Transfer log, log index 7",
            "chain name and CAIP-2 id, block, UTC time and log index"
        );
        assert_eq!(tx, format!("tx {}", t.txid), "the full hash");
        assert!(parties.contains(" → "), "sender → receiver: {parties}");
        assert!(
            amount.starts_with(
                "1,250.000000000000000000 USDT (1250000000000000000000 base units, 18 decimals) · \
                 status: succeeded"
            ),
            "exact amount in units and base units, then the status: {amount}"
        );
        assert!(
            amount.ends_with(&format!(
                "source etherscan:56 · raw SHA-256 {}",
                "0f".repeat(32)
            )),
            "the raw response it came from: {amount}"
        );
        assert_eq!(
            t.id(),
            format!("eip155:56:{}:7", t.txid),
            "a token transfer's id is the account-trace id with its log index"
        );
    }

    #[test]
    fn native_and_internal_value_name_their_trace_position() {
        let mut t = transfer();
        t.kind = "native".to_string();
        t.log_index = None;
        assert_eq!(
            position(&t),
            "native value, trace position 0 (top-level call)",
            "the top-level call is said so"
        );
        t.kind = "internal".to_string();
        t.trace_index = 4;
        assert_eq!(
            position(&t),
            "internal call value, trace position 4",
            "an internal call names its frame"
        );
        assert_eq!(
            t.id(),
            format!("eip155:56:{}:call:4", t.txid),
            "call value is keyed by its trace position"
        );
    }
}
