//! The analysis engine: CoinJoin detection, Whirlpool Tx0 recognition, change heuristics,
//! clustering profiles and the validation of all of them against labelled real and synthetic
//! data. Definitions follow heuristics.md (§1–§3); every verdict names its detector or
//! heuristic and carries an integer confidence 0–100.

pub mod account_trace;
pub mod change;
pub mod coinjoin;
pub mod context;
pub mod paths;
pub mod peel;
pub mod profile;
pub mod sensitivity;
pub mod trace;
pub mod txid_order;
pub mod validate;

use serde::{Deserialize, Serialize};

pub use change::{ChangeHeuristic, ChangeParams, ChangeStatus, ChangeVerdict};
pub use coinjoin::{CoinJoinKind, CoinJoinVerdict, PremixVerdict};
pub use context::ChainContext;
pub use profile::{Profile, ProfileError};

use crate::model::Tx;

/// Everything the engine concludes about one transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxAnalysis {
    pub txid: String,
    pub profile: String,
    pub coinjoin: Option<CoinJoinVerdict>,
    pub premix: Option<PremixVerdict>,
    /// One entry per change heuristic of the profile, in a fixed order.
    pub change: Vec<ChangeVerdict>,
    /// The change output the decisive heuristics agree on, if they do.
    pub change_output: Option<ChangeOutput>,
}

/// A change output chosen for clustering: the heuristics that named it alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeOutput {
    pub vout: u32,
    pub address: String,
    pub heuristics: Vec<String>,
    /// The highest confidence among them.
    pub confidence: u8,
}

/// CoinJoin and Tx0 classification: a Tx0 is never a CoinJoin.
pub fn classify(
    tx: &Tx,
    ctx: &ChainContext<'_>,
    profile: &Profile,
) -> (Option<CoinJoinVerdict>, Option<PremixVerdict>) {
    let whirlpool = profile
        .coinjoin_detectors
        .contains(&CoinJoinKind::Whirlpool)
        .then(|| coinjoin::whirlpool(tx))
        .flatten();
    if whirlpool.is_some() {
        return (whirlpool, None);
    }
    let premix = coinjoin::premix(tx, |vout| {
        matches!(
            ctx.spend(&tx.txid, vout, None),
            context::Spend::Spent(s) if coinjoin::whirlpool(s).is_some()
        )
    });
    if premix.is_some() {
        return (None, premix);
    }
    (coinjoin::detect(tx, &profile.coinjoin_detectors), None)
}

/// The CoinJoin half of [`classify`] alone, the same verdict without the context: only a Tx0's
/// confidence asks the context (is a premix output spent into a Whirlpool CoinJoin?), and a Tx0
/// is never a CoinJoin whatever its confidence. When the transaction's shape rules out every
/// detector ([`coinjoin::could_be_coinjoin`]) no detector runs at all. Clustering uses this.
pub fn coinjoin_verdict(tx: &Tx, profile: &Profile) -> Option<CoinJoinVerdict> {
    if !coinjoin::could_be_coinjoin(tx) {
        return None;
    }
    if profile
        .coinjoin_detectors
        .contains(&CoinJoinKind::Whirlpool)
    {
        if let Some(v) = coinjoin::whirlpool(tx) {
            return Some(v);
        }
    }
    if coinjoin::premix(tx, |_| false).is_some() {
        return None;
    }
    coinjoin::detect(tx, &profile.coinjoin_detectors)
}

/// Analyses one transaction under `profile` with what `ctx` knows of the rest of the case.
pub fn analyze_tx(tx: &Tx, ctx: &ChainContext<'_>, profile: &Profile) -> TxAnalysis {
    let (coinjoin, premix) = classify(tx, ctx, profile);
    let heuristics: Vec<ChangeHeuristic> = ChangeHeuristic::ALL
        .into_iter()
        .filter(|h| profile.change.contains(h))
        .collect();
    let change: Vec<ChangeVerdict> = heuristics
        .iter()
        .map(|h| match &coinjoin {
            Some(cj) => ChangeVerdict {
                heuristic: h.as_str().to_string(),
                confidence: h.confidence(),
                status: ChangeStatus::NotApplicable,
                outputs: vec![],
                undetermined: vec![],
                reason: format!(
                    "a {} CoinJoin: change heuristics do not apply",
                    cj.kind.as_str()
                ),
            },
            None => change::run(*h, tx, ctx, &profile.params),
        })
        .collect();
    let change_output = agreed_change(tx, &change);
    TxAnalysis {
        txid: tx.txid.clone(),
        profile: profile.label(),
        coinjoin,
        premix,
        change,
        change_output,
    }
}

/// The single change output when every decisive heuristic names the same one; `None` when
/// none is decisive or they disagree.
pub fn agreed_change(tx: &Tx, verdicts: &[ChangeVerdict]) -> Option<ChangeOutput> {
    let decisive: Vec<(&ChangeVerdict, u32)> = verdicts
        .iter()
        .filter_map(|v| v.unique().map(|o| (v, o)))
        .collect();
    let (_, vout) = *decisive.first()?;
    if decisive.iter().any(|(_, o)| *o != vout) {
        return None;
    }
    let address = tx.outputs.get(vout as usize)?.address.clone()?;
    Some(ChangeOutput {
        vout,
        address,
        heuristics: decisive.iter().map(|(v, _)| v.heuristic.clone()).collect(),
        confidence: decisive
            .iter()
            .map(|(v, _)| v.confidence)
            .max()
            .unwrap_or(0),
    })
}
