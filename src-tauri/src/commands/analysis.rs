//! Reading the case's analysis for the details and trace panels: a node's details, why two
//! addresses are one cluster, the analyst's veto of a merge, and taint tracing.

use chrono::Utc;
use tauri::State;
use tracebench_core::analysis::trace::{self, TaintModel, Trace, TraceDirection, TraceStart};
use tracebench_core::api::{Explanation, NodeDetails, Veto};

use crate::error::CommandError;
use crate::session::Session;

/// What the details panel shows about one canvas node.
#[tauri::command]
pub async fn node_details(
    session: State<'_, Session>,
    node_id: String,
) -> Result<NodeDetails, CommandError> {
    let case = session.case().await;
    let workbench = case.as_ref().ok_or_else(CommandError::no_case)?;
    Ok(workbench.node_details(&node_id)?)
}

/// The chain of merges that put addresses `a` and `b` in one cluster.
#[tauri::command]
pub async fn explain_merge(
    session: State<'_, Session>,
    a: String,
    b: String,
) -> Result<Explanation, CommandError> {
    let case = session.case().await;
    let workbench = case.as_ref().ok_or_else(CommandError::no_case)?;
    Ok(workbench.explain(a.trim(), b.trim())?)
}

/// Records the analyst's veto of transaction `txid`'s merges (naming two addresses it merged).
#[tauri::command]
pub async fn veto_merge(
    session: State<'_, Session>,
    txid: String,
    a: String,
    b: String,
    reason: String,
) -> Result<Veto, CommandError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(CommandError::invalid(
            "a veto needs a reason: say why these addresses are not one owner",
        ));
    }
    let mut case = session.case().await;
    let workbench = case.as_mut().ok_or_else(CommandError::no_case)?;
    Ok(workbench.veto(txid.trim(), a.trim(), b.trim(), reason, Utc::now())?)
}

/// The taint model and hop limit the trace panel sends, checked the same way for UTXO and
/// account-model traces.
pub(crate) fn trace_parameters(model: &str, hops: u32) -> Result<TaintModel, CommandError> {
    let model = TaintModel::parse(model).ok_or_else(|| {
        CommandError::invalid(format!(
            "unknown taint model {model:?}: poison, haircut or fifo"
        ))
    })?;
    if !(1..=50).contains(&hops) {
        return Err(CommandError::invalid(format!(
            "hops must be between 1 and 50 (got {hops})"
        )));
    }
    Ok(model)
}

/// Taint tracing over the case's transactions (nothing is fetched): `start` is `<txid>:<vout>`
/// or an address; `model` poison, haircut or fifo.
#[tauri::command]
pub async fn trace_funds(
    session: State<'_, Session>,
    start: String,
    model: String,
    hops: u32,
    backward: bool,
) -> Result<Trace, CommandError> {
    let model = trace_parameters(&model, hops)?;
    let start = start.trim();
    if start.is_empty() {
        return Err(CommandError::invalid(
            "name where the trace starts: an address or <txid>:<vout>",
        ));
    }
    let case = session.case().await;
    let workbench = case.as_ref().ok_or_else(CommandError::no_case)?;
    let txs = workbench
        .case()
        .all_txs()
        .map_err(tracebench_core::api::ApiError::from)?;
    let direction = if backward {
        TraceDirection::Backward
    } else {
        TraceDirection::Forward
    };
    trace::trace(&txs, &TraceStart::parse(start), model, direction, hops)
        .map_err(|e| CommandError::invalid(format!("trace not run: {e}")))
}
