//! Block heights of the canvas's transactions, for the time filter's "block heights" mode: the
//! canvas id of every confirmed transaction on the canvas → the height of its block. Addresses
//! have no height of their own (the UI places them by their transfers' transactions).

use std::collections::BTreeMap;

use super::ApiError;
use crate::graph::NodeRef;
use crate::store::Case;

/// `btc:tx:<txid>` → block height, for the confirmed transactions on the canvas whose data the
/// case holds; sorted by id.
pub fn canvas_heights(case: &Case) -> Result<BTreeMap<String, u64>, ApiError> {
    let chain = case.meta().chain.clone();
    let mut out = BTreeMap::new();
    for node in case.canvas_nodes()? {
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
    Ok(out)
}
