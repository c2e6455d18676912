//! The simulator's labelled validation dataset: the ransomware scenario (seed 1) as the engine's
//! transaction model, with the owner of every address from its ground truth.
//!
//! `tracebench validate` scores it beside the embedded real datasets, and every report's
//! methodology states the same error rates, whether the CLI or the app renders it: both take
//! the dataset from here, so the same case gives the same exhibit bytes from either.

use std::collections::BTreeMap;

use bitcoin::{Address, Network, Script};
use tracebench_core::analysis::validate::{self, Dataset, SimData};
use tracebench_core::model::{Confirmation, Tx, TxInput, TxOutput};

use crate::{ScenarioKind, SimChain};

/// CAIP-2 id of Bitcoin mainnet, the network the sim's addresses are encoded for.
const MAINNET: &str = "bip122:000000000019d6689c085ae165831e93";

/// Why the sim's chain could not be read as a validation dataset.
#[derive(Debug, thiserror::Error)]
pub enum ValidationDataError {
    /// An input spends an output the chain does not hold (the generator is inconsistent).
    #[error("sim tx {txid} input {input} spends an unknown output")]
    UnknownPrevout { txid: String, input: usize },
    /// The scenario produced no transactions.
    #[error("the sim produced no transactions")]
    Empty,
}

/// The labelled dataset `validate` and every report's methodology score: the ransomware
/// scenario, seed 1.
pub fn validation_dataset() -> Result<Dataset, ValidationDataError> {
    let chain = crate::generate(ScenarioKind::Ransomware, 1);
    Ok(validate::sim_dataset(&sim_data(&chain)?))
}

fn address(script: &Script) -> Option<String> {
    Address::from_script(script, Network::Bitcoin)
        .ok()
        .map(|a| a.to_string())
}

/// The chain's transactions as the engine's model, in chain order, with the owners of every
/// address from its ground truth.
pub fn sim_data(chain: &SimChain) -> Result<SimData, ValidationDataError> {
    let mut txs = Vec::new();
    for block in chain.blocks() {
        let height = block.height();
        for t in &block.block().txdata {
            let txid = t.compute_txid();
            let coinbase = t.is_coinbase();
            let mut inputs = Vec::with_capacity(t.input.len());
            for (k, i) in t.input.iter().enumerate() {
                let prev = if coinbase {
                    None
                } else {
                    Some(chain.prevout(&i.previous_output).ok_or_else(|| {
                        ValidationDataError::UnknownPrevout {
                            txid: txid.to_string(),
                            input: k,
                        }
                    })?)
                };
                inputs.push(TxInput {
                    index: k as u32,
                    prev_txid: (!coinbase).then(|| i.previous_output.txid.to_string()),
                    prev_vout: (!coinbase).then_some(i.previous_output.vout),
                    address: prev.and_then(|p| address(&p.script_pubkey)),
                    value: prev.map_or(0, |p| p.value.to_sat()),
                    is_coinbase: coinbase,
                    sequence: Some(i.sequence.0),
                });
            }
            let outputs = t
                .output
                .iter()
                .enumerate()
                .map(|(k, o)| TxOutput {
                    index: k as u32,
                    address: address(&o.script_pubkey),
                    value: o.value.to_sat(),
                    script_type: crate::esplora::script_type(&o.script_pubkey).to_string(),
                })
                .collect();
            txs.push(Tx {
                chain: MAINNET.to_string(),
                txid: txid.to_string(),
                version: i64::from(t.version.0),
                locktime: i64::from(t.lock_time.to_consensus_u32()),
                size: Some(t.total_size() as u64),
                weight: Some(t.weight().to_wu()),
                fee: chain.fee(&txid),
                confirmation: Confirmation {
                    block_height: Some(u64::from(height)),
                    block_hash: Some(block.hash().to_string()),
                    block_time: Some(i64::from(block.time())),
                },
                inputs,
                outputs,
            });
        }
    }
    if txs.is_empty() {
        return Err(ValidationDataError::Empty);
    }
    let owners: BTreeMap<String, String> = chain.truth().owners;
    Ok(SimData {
        name: chain.source_id(),
        txs,
        owners,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dataset_is_the_labelled_ransomware_chain() {
        let chain = crate::generate(ScenarioKind::Ransomware, 1);
        let data = sim_data(&chain).expect("the sim chain reads as a dataset");
        let chain_txs: usize = chain.blocks().iter().map(|b| b.block().txdata.len()).sum();
        assert_eq!(
            data.txs.len(),
            chain_txs,
            "every transaction of every block is in the dataset"
        );
        assert!(
            data.txs.iter().all(|t| t.chain == MAINNET),
            "the sim encodes mainnet addresses"
        );
        let again = validation_dataset().expect("the dataset builds");
        let first = validate::sim_dataset(&data);
        assert_eq!(
            format!("{again:?}"),
            format!("{first:?}"),
            "the same seed gives the same labelled dataset every time"
        );
    }
}
