//! Block heights of the canvas's transactions, for the time filter's "block heights" mode: the
//! canvas id of every confirmed transaction on the canvas → the height of its block. Addresses
//! have no height of their own (the UI places them by their transfers' transactions).
//!
//! EVM transactions are included under their own ids (`eth:tx:0x…`, `bsc:tx:0x…`): the id's
//! prefix names the chain, and heights of different chains are not comparable, so a height
//! window is applied per chain (`model/timeWindow.ts`).

use std::collections::{BTreeMap, BTreeSet};

use super::view_evm::EvmNode;
use super::ApiError;
use crate::chain::EvmChain;
use crate::graph::NodeRef;
use crate::store::Case;

/// Canvas transaction id → block height, for the confirmed transactions on the canvas whose
/// data the case holds (Bitcoin and EVM); sorted by id.
pub fn canvas_heights(case: &Case) -> Result<BTreeMap<String, u64>, ApiError> {
    let chain = case.meta().chain.clone();
    let mut out = BTreeMap::new();
    let mut evm: Vec<(EvmChain, String, String)> = Vec::new();
    for node in case.canvas_nodes()? {
        if let Some(EvmNode::Tx { chain, txid }) = EvmNode::parse(&node.node_id) {
            evm.push((chain, txid, node.node_id));
            continue;
        }
        let Some(NodeRef::Tx { txid, .. }) = NodeRef::parse(&node.node_id, &chain) else {
            continue;
        };
        if let Some(height) = case
            .tx(&chain, &txid)?
            .and_then(|t| t.confirmation.block_height)
        {
            out.insert(node.node_id, height);
        }
    }
    // An EVM transaction's block: its stored transaction, else its transfers' (a token transfer
    // list names the block without the transaction itself).
    let chains: BTreeSet<EvmChain> = evm.iter().map(|(c, _, _)| *c).collect();
    let mut from_transfers: BTreeMap<(EvmChain, String), u64> = BTreeMap::new();
    for c in chains {
        for t in case.account_transfers(&c.caip2())? {
            from_transfers.entry((c, t.txid)).or_insert(t.block_height);
        }
    }
    for (c, txid, id) in evm {
        let height = match case.evm_tx(&c.caip2(), &txid)? {
            Some(tx) => Some(tx.block_height),
            None => from_transfers.get(&(c, txid)).copied(),
        };
        if let Some(h) = height {
            out.insert(id, h);
        }
    }
    Ok(out)
}
