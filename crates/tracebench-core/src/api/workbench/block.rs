//! `tracebench block`: a whole block from the analyst's own Bitcoin Core node into the case.
//!
//! A height is resolved with `getblockhash`, then `getblock <hash> 3` gives every transaction
//! with each input's `prevout` (Core ≥ 23), so no transaction is fetched on its own; a node older
//! than that answers as verbosity 2 and the spent transactions are fetched for their values (see
//! [`crate::source::core_rpc`]). The answers are stored with their provenance, every transaction
//! joins the case (not the canvas: a block holds thousands of unrelated transactions), and one
//! `add.block` audit entry names the block, all in one SQLite transaction. A block the node does
//! not have, has pruned, or a height above its tip writes nothing.

use chrono::{DateTime, Utc};
use serde::Serialize;
use thiserror::Error;

use super::Workbench;
use crate::address::Txid;
use crate::api::ApiError;
use crate::source::{rfc3339, Source, SourceError, SourceKind};
use crate::store::{AuditAction, Batch, Ingest};

/// Why a block was not imported (besides the source's own errors).
#[derive(Debug, Error)]
pub enum BlockError {
    #[error("'{0}' is not a block height or block hash: give a height such as 50001 or the block's 64-hex hash")]
    NotBlockId(String),
    #[error("importing a block needs a Bitcoin Core source (--source core:http://HOST:PORT); {0}")]
    NeedsCore(String),
    #[error("block height {height} is above the node's tip (node said: {message}); the case is unchanged")]
    AboveTip { height: u64, message: String },
    #[error("the node has pruned block {block}: a pruned node keeps only recent blocks, use an unpruned node (node said: {message}); the case is unchanged")]
    Pruned { block: String, message: String },
    #[error("the node does not have block {block} (node said: {message}); the case is unchanged")]
    NotOnNode { block: String, message: String },
    #[error("the node answered block {got} when asked for height {asked}")]
    WrongHeight { asked: u64, got: u64 },
}

impl BlockError {
    pub fn code(&self) -> &'static str {
        match self {
            BlockError::NotBlockId(_) | BlockError::NeedsCore(_) => "invalid_input",
            BlockError::AboveTip { .. }
            | BlockError::Pruned { .. }
            | BlockError::NotOnNode { .. } => "not_found",
            BlockError::WrongHeight { .. } => "source_error",
        }
    }
}

/// A block as the analyst names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockId {
    Height(u64),
    Hash(String),
}

impl BlockId {
    /// Digits are a height, 64 hex characters a hash.
    pub fn parse(text: &str) -> Result<BlockId, BlockError> {
        let t = text.trim();
        if !t.is_empty() && t.len() <= 10 && t.chars().all(|c| c.is_ascii_digit()) {
            return t
                .parse()
                .map(BlockId::Height)
                .map_err(|_| BlockError::NotBlockId(t.to_string()));
        }
        Txid::parse(t)
            .map(|h| BlockId::Hash(h.as_str().to_string()))
            .map_err(|_| BlockError::NotBlockId(t.to_string()))
    }
}

/// What `import_block` stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BlockImport {
    pub block_hash: String,
    pub height: u64,
    /// Block time, UNIX seconds.
    pub time: i64,
    /// Transactions in the block.
    pub txs: usize,
    /// Of them, the ones the case did not hold before.
    pub added: usize,
    /// SHA-256 of every stored answer: `getblockhash` (for a height), `getblock`, and any the
    /// values rest on.
    pub raw_responses: Vec<String>,
}

impl Workbench {
    /// Fetches block `block` (height or hash) from the connected Core node and stores it and all
    /// its transactions in the case, off the canvas, with one `add.block` audit entry.
    pub async fn import_block(
        &mut self,
        block: &str,
        now: DateTime<Utc>,
    ) -> Result<BlockImport, ApiError> {
        let id = BlockId::parse(block)?;
        let core = match &self.source {
            Some(Source::CoreRpc(core)) => core.clone(),
            Some(other) => {
                return Err(BlockError::NeedsCore(format!(
                    "{} has no whole-block call Tracebench uses",
                    other.spec().id
                ))
                .into())
            }
            None => return Err(BlockError::NeedsCore("no source is connected".into()).into()),
        };
        let mut raws = Vec::new();
        let hash = match &id {
            BlockId::Hash(h) => h.clone(),
            BlockId::Height(height) => {
                let (raw, hash) = core
                    .block_hash(*height)
                    .await
                    .map_err(|e| node_refusal(e, &id))?;
                raws.push(raw);
                hash
            }
        };
        let (block_raws, txs) = core.block(&hash).await.map_err(|e| node_refusal(e, &id))?;
        let height = txs
            .first()
            .and_then(|t| t.confirmation.block_height)
            .unwrap_or_default();
        if let BlockId::Height(asked) = id {
            if asked != height {
                return Err(BlockError::WrongHeight { asked, got: height }.into());
            }
        }
        let time = txs
            .first()
            .and_then(|t| t.confirmation.block_time)
            .unwrap_or_default();
        let chain = self.network.caip2();
        let mut before = 0;
        for t in &txs {
            if self.case.has_tx(chain, &t.txid)? {
                before += 1;
            }
        }
        // The block's own answer comes first in what `block` returns; the transactions rest on it.
        let block_index = raws.len();
        raws.extend(block_raws);
        let batches: Vec<Batch> = raws
            .iter()
            .enumerate()
            .map(|(i, raw)| Batch {
                raw,
                txs: if i == block_index { &txs } else { &[] },
            })
            .collect();
        let outcome = BlockImport {
            block_hash: hash.clone(),
            height,
            time,
            txs: txs.len(),
            added: txs.len() - before,
            raw_responses: raws.iter().map(|r| r.sha256()).collect(),
        };
        let at = rfc3339(now);
        let ingest = Ingest {
            source_kind: SourceKind::CoreRpc.as_str(),
            synthetic: false,
            batches,
            histories: Vec::new(),
            show: Vec::new(),
            show_as_seed: false,
            now: &at,
        };
        let action = AuditAction {
            at_utc: at.clone(),
            user: self.user.clone(),
            action: "add.block".to_string(),
            detail: serde_json::json!({
                "block_hash": outcome.block_hash,
                "height": outcome.height,
                "chain": chain,
                "txs": outcome.txs,
                "added": outcome.added,
                "raw_responses": outcome.raw_responses,
            }),
        };
        self.case.audited(action, |c| c.ingest(&ingest))?;
        Ok(outcome)
    }
}

/// The node's refusals of a block, in the analyst's terms.
fn node_refusal(e: SourceError, id: &BlockId) -> ApiError {
    let SourceError::Rpc { code, message, .. } = &e else {
        return e.into();
    };
    let block = match id {
        BlockId::Height(h) => format!("at height {h}"),
        BlockId::Hash(h) => h.clone(),
    };
    let message = message.clone();
    let lower = message.to_ascii_lowercase();
    let refusal = if lower.contains("pruned") {
        BlockError::Pruned { block, message }
    } else if *code == -8 && lower.contains("out of range") {
        match id {
            BlockId::Height(height) => BlockError::AboveTip {
                height: *height,
                message,
            },
            BlockId::Hash(_) => BlockError::NotOnNode { block, message },
        }
    } else if *code == -5 {
        BlockError::NotOnNode { block, message }
    } else {
        return e.into();
    };
    refusal.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_is_named_by_height_or_hash() {
        assert_eq!(
            BlockId::parse(" 50001 ").unwrap(),
            BlockId::Height(50_001),
            "digits are a height"
        );
        let hash = "000000001C920D495E1EEEF2452B6D1C6C229A919B28196C103ECFFEBABEE141";
        assert_eq!(
            BlockId::parse(hash).unwrap(),
            BlockId::Hash(hash.to_ascii_lowercase()),
            "64 hex characters are a hash, kept lower-case"
        );
        for bad in ["", "-1", "12ab", "99999999999"] {
            let e = BlockId::parse(bad).unwrap_err().to_string();
            assert!(
                e.contains("not a block height or block hash"),
                "{bad:?} is refused with the reason: {e}"
            );
        }
    }
}
