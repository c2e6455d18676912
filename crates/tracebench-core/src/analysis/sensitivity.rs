//! Sensitivity analysis (issue item 7): re-run a clustering or a trace with each heuristic
//! toggled and report exactly which conclusions change.
//!
//! **Clustering.** The baseline is the clustering under the chosen profile with the analyst's
//! vetoes. Each variant toggles one heuristic relative to that profile (on when the profile has
//! it off, off when on): `multi_input`, every CoinJoin detector (`coinjoin:<kind>`) and every
//! change heuristic (`change:<name>`), in that fixed order. A variant lists
//! - **splits**: baseline clusters whose addresses the variant spreads over several groups, and
//! - **merges**: variant clusters made of addresses that were in several baseline groups,
//!
//! each named by its id (`cluster:<smallest address>`) with its parts (sorted, each sorted; an
//! address in no cluster is a part of its own) and the addresses that **move**: those not in the
//! part holding the cluster's smallest address. A change that moves addresses from one cluster
//! to another shows as both a split and a merge.
//!
//! **Trace.** The baseline is the trace as `tracebench trace` runs it. A trace uses no change
//! or peel heuristic, so what can change its conclusions is the taint model and CoinJoins: the
//! variants are each other taint model (`model:<name>`), and for each CoinJoin detector
//! (`coinjoin-stop:<kind>`) the trace that does not pass through the CoinJoins that detector
//! finds (their taint stays on the coins they spend, status `stopped`). A trace's conclusions
//! are its **destinations**: the addresses where taint comes to rest (every reached output whose
//! taint was not passed on: hop limit, unresolved, stopped, coinbase), with the tainted satoshi
//! summed per address; an output without an address is named `<txid>:<vout>`. A variant lists
//! the destinations that gain and those that lose, with exact before/after amounts.
//!
//! The result types are what the report's sensitivity annex renders; every list is sorted and
//! field order is fixed, so the same case gives byte-identical JSON.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::change::ChangeHeuristic;
use super::coinjoin::CoinJoinKind;
use super::trace::{
    trace_with, Conservation, OutputStatus, TaintModel, Trace, TraceDirection, TraceError,
    TraceSource, TraceStart,
};
use super::{classify, ChainContext, Profile};
use crate::cluster::{cluster_with_vetoes, Clustering};
use crate::model::Tx;

/// One heuristic switched relative to the baseline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Toggle {
    /// `multi_input`, `coinjoin:<kind>`, `change:<name>` (clustering); `model:<name>`,
    /// `coinjoin-stop:<kind>` (trace).
    pub heuristic: String,
    /// Whether the heuristic is on in the variant (the baseline has the opposite).
    pub enabled: bool,
}

/// A cluster that a toggle splits (a baseline cluster) or forms by merging (a variant cluster).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterShift {
    /// `cluster:<smallest address>` of the cluster that splits or forms.
    pub cluster: String,
    /// Its addresses grouped by where they are on the other side, sorted by smallest address.
    pub parts: Vec<Vec<String>>,
    /// The addresses not in the part holding the cluster's smallest address, sorted.
    pub moved: Vec<String>,
}

/// A clustering re-run with one heuristic toggled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterVariant {
    pub toggle: Toggle,
    /// The heuristics that ran in the variant ([`Profile::describe`]).
    pub heuristics: Vec<String>,
    /// Clusters of two or more addresses in the variant.
    pub clusters: usize,
    /// True when any split or merge is listed.
    pub changed: bool,
    /// Baseline clusters the variant splits, sorted by cluster id.
    pub splits: Vec<ClusterShift>,
    /// Variant clusters formed from several baseline groups, sorted by cluster id.
    pub merges: Vec<ClusterShift>,
}

/// What each heuristic changes about a clustering.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterSensitivity {
    /// The baseline profile's label.
    pub profile: String,
    pub heuristics: Vec<String>,
    /// Transactions the analyst vetoed (applied to the baseline and every variant).
    pub vetoed: Vec<String>,
    /// Clusters of two or more addresses in the baseline.
    pub clusters: usize,
    /// Fixed order: multi_input, CoinJoin detectors, change heuristics.
    pub variants: Vec<ClusterVariant>,
}

/// Where taint comes to rest, summed per address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Destination {
    /// The address, or `<txid>:<vout>` for an output without one.
    pub address: String,
    /// Tainted satoshi at rest there.
    pub tainted: u64,
}

/// A destination whose tainted amount differs between the baseline and a variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DestinationChange {
    pub address: String,
    /// Tainted satoshi in the baseline (0 when the baseline does not reach it).
    pub before: u64,
    /// Tainted satoshi in the variant.
    pub after: u64,
    /// |after − before|: gained for a gain, lost for a loss.
    pub amount: u64,
}

/// A trace re-run with one heuristic toggled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceVariant {
    pub toggle: Toggle,
    pub model: TaintModel,
    /// The transactions the variant did not pass through (`coinjoin-stop`), sorted.
    pub stopped_at: Vec<String>,
    pub conservation: Conservation,
    /// True when any destination gains or loses.
    pub changed: bool,
    /// Sorted by address.
    pub gains: Vec<DestinationChange>,
    /// Sorted by address.
    pub losses: Vec<DestinationChange>,
}

/// What each heuristic changes about a trace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceSensitivity {
    pub model: TaintModel,
    pub direction: TraceDirection,
    pub max_hops: u32,
    pub sources: Vec<TraceSource>,
    /// The baseline's destinations, sorted by address.
    pub destinations: Vec<Destination>,
    pub conservation: Conservation,
    /// Fixed order: the other models (poison, haircut, fifo order), then the CoinJoin
    /// detectors in precedence order.
    pub variants: Vec<TraceVariant>,
}

/// Every clustered address's group: its cluster's id, or the address itself when in no cluster.
fn groups(c: &Clustering) -> BTreeMap<&str, &str> {
    let mut out = BTreeMap::new();
    for cl in &c.clusters {
        for a in &cl.addresses {
            out.insert(a.as_str(), cl.id.as_str());
        }
    }
    out
}

/// The clusters of `from` that `to` spreads over several groups.
fn shifts(from: &Clustering, to: &Clustering) -> Vec<ClusterShift> {
    let to_group = groups(to);
    let mut out: Vec<ClusterShift> = Vec::new();
    for cl in &from.clusters {
        let mut parts: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for a in &cl.addresses {
            let g = to_group.get(a.as_str()).copied().unwrap_or(a.as_str());
            parts.entry(g).or_default().push(a.clone());
        }
        if parts.len() < 2 {
            continue;
        }
        let mut parts: Vec<Vec<String>> = parts.into_values().collect();
        parts.sort();
        let first = &cl.addresses[0];
        let moved: BTreeSet<String> = parts
            .iter()
            .filter(|p| !p.contains(first))
            .flatten()
            .cloned()
            .collect();
        out.push(ClusterShift {
            cluster: cl.id.clone(),
            parts,
            moved: moved.into_iter().collect(),
        });
    }
    out.sort_by(|a, b| a.cluster.cmp(&b.cluster));
    out
}

/// The profiles one toggle away from `base`, with their toggles, in the fixed order.
fn cluster_toggles(base: &Profile) -> Vec<(Toggle, Profile)> {
    let mut out = Vec::new();
    let mut p = base.clone();
    p.multi_input = !base.multi_input;
    out.push((
        Toggle {
            heuristic: "multi_input".to_string(),
            enabled: p.multi_input,
        },
        p,
    ));
    for k in CoinJoinKind::ALL {
        let mut p = base.clone();
        let enabled = !base.coinjoin_detectors.contains(&k);
        if enabled {
            p.coinjoin_detectors.insert(k);
        } else {
            p.coinjoin_detectors.remove(&k);
        }
        out.push((
            Toggle {
                heuristic: format!("coinjoin:{}", k.as_str()),
                enabled,
            },
            p,
        ));
    }
    for h in ChangeHeuristic::ALL {
        let mut p = base.clone();
        let enabled = !base.change.contains(&h);
        if enabled {
            p.change.insert(h);
        } else {
            p.change.remove(&h);
        }
        out.push((
            Toggle {
                heuristic: format!("change:{}", h.as_str()),
                enabled,
            },
            p,
        ));
    }
    out
}

/// Clusters `txs` under `profile` (with `vetoed`) and under each one-heuristic toggle of it,
/// and reports the clusters each toggle splits or merges. The order of `txs` does not matter.
pub fn cluster_sensitivity(
    txs: &[Tx],
    ctx: &ChainContext<'_>,
    profile: &Profile,
    vetoed: &BTreeSet<String>,
) -> ClusterSensitivity {
    let base = cluster_with_vetoes(txs, ctx, profile, vetoed);
    let variants = cluster_toggles(profile)
        .into_iter()
        .map(|(toggle, p)| {
            let v = cluster_with_vetoes(txs, ctx, &p, vetoed);
            let splits = shifts(&base, &v);
            let merges = shifts(&v, &base);
            ClusterVariant {
                toggle,
                heuristics: p.describe(),
                clusters: v.clusters.len(),
                changed: !splits.is_empty() || !merges.is_empty(),
                splits,
                merges,
            }
        })
        .collect();
    ClusterSensitivity {
        profile: base.profile.clone(),
        heuristics: base.heuristics.clone(),
        vetoed: base.vetoed.clone(),
        clusters: base.clusters.len(),
        variants,
    }
}

/// Where a trace's taint comes to rest, per address.
fn destinations(t: &Trace) -> BTreeMap<String, u64> {
    let mut out: BTreeMap<String, u64> = BTreeMap::new();
    for o in t
        .outputs
        .iter()
        .filter(|o| o.status != OutputStatus::Passed)
    {
        if o.tainted == 0 {
            continue;
        }
        let key = o.address.clone().unwrap_or_else(|| o.outpoint.clone());
        *out.entry(key).or_default() += o.tainted;
    }
    out
}

fn compare(
    before: &BTreeMap<String, u64>,
    after: &BTreeMap<String, u64>,
) -> (Vec<DestinationChange>, Vec<DestinationChange>) {
    let keys: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    let (mut gains, mut losses) = (Vec::new(), Vec::new());
    for k in keys {
        let b = before.get(k).copied().unwrap_or(0);
        let a = after.get(k).copied().unwrap_or(0);
        let change = |amount| DestinationChange {
            address: k.clone(),
            before: b,
            after: a,
            amount,
        };
        if a > b {
            gains.push(change(a - b));
        } else if b > a {
            losses.push(change(b - a));
        }
    }
    (gains, losses)
}

/// The CoinJoins `kind` alone finds among `txs`, sorted.
fn coinjoins(txs: &[Tx], ctx: &ChainContext<'_>, kind: CoinJoinKind) -> BTreeSet<String> {
    let only = Profile {
        coinjoin_detectors: BTreeSet::from([kind]),
        ..Profile::conservative()
    };
    txs.iter()
        .filter(|t| classify(t, ctx, &only).0.is_some())
        .map(|t| t.txid.clone())
        .collect()
}

/// Traces `txs` from `start` (the baseline, as [`super::trace::trace`]) and once per toggle,
/// and reports which destinations gain or lose tainted value. Errors are the baseline's or a
/// variant's trace error (an unknown start, a conservation violation).
pub fn trace_sensitivity(
    txs: &[Tx],
    start: &TraceStart,
    model: TaintModel,
    direction: TraceDirection,
    max_hops: u32,
) -> Result<TraceSensitivity, TraceError> {
    let none = BTreeSet::new();
    let base = trace_with(txs, start, model, direction, max_hops, &none, &none)?;
    let before = destinations(&base);
    let ctx = ChainContext::new(txs, BTreeSet::new());
    let mut runs: Vec<(Toggle, TaintModel, BTreeSet<String>)> = Vec::new();
    for m in [TaintModel::Poison, TaintModel::Haircut, TaintModel::Fifo] {
        if m != model {
            runs.push((
                Toggle {
                    heuristic: format!("model:{}", m.as_str()),
                    enabled: true,
                },
                m,
                BTreeSet::new(),
            ));
        }
    }
    for k in CoinJoinKind::ALL {
        runs.push((
            Toggle {
                heuristic: format!("coinjoin-stop:{}", k.as_str()),
                enabled: true,
            },
            model,
            coinjoins(txs, &ctx, k),
        ));
    }
    let mut variants = Vec::with_capacity(runs.len());
    for (toggle, m, stops) in runs {
        let t = trace_with(txs, start, m, direction, max_hops, &none, &stops)?;
        let (gains, losses) = compare(&before, &destinations(&t));
        // Only the CoinJoins the walk reached and did not pass through.
        let stopped_at: Vec<String> = stops
            .iter()
            .filter(|s| stopped_before(&t, txs, s, direction))
            .cloned()
            .collect();
        variants.push(TraceVariant {
            toggle,
            model: m,
            stopped_at,
            conservation: t.conservation,
            changed: !gains.is_empty() || !losses.is_empty(),
            gains,
            losses,
        });
    }
    Ok(TraceSensitivity {
        model,
        direction,
        max_hops,
        sources: base.sources,
        destinations: before
            .into_iter()
            .map(|(address, tainted)| Destination { address, tainted })
            .collect(),
        conservation: base.conservation,
        variants,
    })
}

/// Whether `t` holds taint stopped on a coin that transaction `txid` would have taken next
/// (forward: a coin it spends; backward: a coin it created).
fn stopped_before(t: &Trace, txs: &[Tx], txid: &str, direction: TraceDirection) -> bool {
    let Some(tx) = txs.iter().find(|x| x.txid == txid) else {
        return false;
    };
    let next: BTreeSet<String> = match direction {
        TraceDirection::Forward => tx
            .inputs
            .iter()
            .filter_map(|i| Some(format!("{}:{}", i.prev_txid.as_ref()?, i.prev_vout?)))
            .collect(),
        TraceDirection::Backward => tx
            .outputs
            .iter()
            .map(|o| format!("{}:{}", tx.txid, o.index))
            .collect(),
    };
    t.outputs
        .iter()
        .any(|o| o.status == OutputStatus::Stopped && next.contains(&o.outpoint))
}
