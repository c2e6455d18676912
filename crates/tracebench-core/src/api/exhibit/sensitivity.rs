//! The report's sensitivity annex, from the analysis engine's sensitivity check: the report's
//! own clustering (conservative profile, the analyst's vetoes) re-run with each heuristic
//! toggled, and a haircut trace forward over [`TRACE_HOPS`] hops from each seed address re-run
//! with each other taint model and stopping at each detector's CoinJoins.

use std::collections::BTreeSet;

use tracebench_report::{
    ReportSensitivity, SensitivityAmount, SensitivityClusterToggle, SensitivityShift,
    SensitivityTrace, SensitivityTraceToggle,
};

use crate::analysis::sensitivity::{self, ClusterShift, DestinationChange};
use crate::analysis::trace::{TaintModel, TraceDirection, TraceStart};
use crate::analysis::{ChainContext, Profile};
use crate::model::Tx;
use crate::store::CanvasNode;

/// Hops of each seed's trace: the default of `tracebench trace`.
pub const TRACE_HOPS: u32 = 6;

/// The annex for these transactions, seeds and vetoes (the same inputs as the report's
/// clustering, so the baseline is the clustering the report prints).
pub fn annex(
    txs: &[Tx],
    canvas: &[CanvasNode],
    profile: &Profile,
    vetoed: &BTreeSet<String>,
) -> ReportSensitivity {
    let ctx = ChainContext::new(txs, BTreeSet::new());
    let c = sensitivity::cluster_sensitivity(txs, &ctx, profile, vetoed);
    let cluster_toggles = c
        .variants
        .iter()
        .map(|v| SensitivityClusterToggle {
            heuristic: v.toggle.heuristic.clone(),
            enabled: v.toggle.enabled,
            clusters: v.clusters,
            splits: v.splits.iter().map(shift).collect(),
            merges: v.merges.iter().map(shift).collect(),
        })
        .collect();

    let mut traces = Vec::new();
    let mut untraced = Vec::new();
    let mut seeds: Vec<&CanvasNode> = canvas.iter().filter(|n| n.seed).collect();
    seeds.sort_by(|a, b| a.node_id.cmp(&b.node_id));
    for seed in seeds {
        let Some(address) = seed.node_id.split_once(":addr:").map(|(_, a)| a) else {
            untraced.push(format!(
                "{} (a transaction seed: traces start from an address or an output)",
                seed.node_id
            ));
            continue;
        };
        let model = TaintModel::Haircut;
        let direction = TraceDirection::Forward;
        match sensitivity::trace_sensitivity(
            txs,
            &TraceStart::parse(address),
            model,
            direction,
            TRACE_HOPS,
        ) {
            Ok(t) => traces.push(SensitivityTrace {
                start: address.to_string(),
                model: model.as_str().to_string(),
                direction: "forward".to_string(),
                hops: TRACE_HOPS,
                destinations: t.destinations.len(),
                toggles: t
                    .variants
                    .iter()
                    .map(|v| SensitivityTraceToggle {
                        heuristic: v.toggle.heuristic.clone(),
                        enabled: v.toggle.enabled,
                        gains: v.gains.iter().map(amount).collect(),
                        losses: v.losses.iter().map(amount).collect(),
                    })
                    .collect(),
            }),
            Err(e) => untraced.push(format!("{address} ({e})")),
        }
    }
    ReportSensitivity {
        profile: c.profile,
        heuristics: c.heuristics,
        clusters: c.clusters,
        cluster_toggles,
        traces,
        untraced,
    }
}

fn shift(s: &ClusterShift) -> SensitivityShift {
    SensitivityShift {
        cluster: s.cluster.clone(),
        parts: s.parts.len(),
        moved: s.moved.clone(),
    }
}

fn amount(d: &DestinationChange) -> SensitivityAmount {
    SensitivityAmount {
        address: d.address.clone(),
        before_sat: d.before,
        after_sat: d.after,
    }
}
