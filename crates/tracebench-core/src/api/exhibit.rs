//! Builds the report model from a case; the report crate renders it.

use chrono::{DateTime, Utc};

use super::dto::CaseInfo;
use super::ApiError;
use crate::cluster;
use crate::store::Case;

pub fn report_input(
    case: &Case,
    info: CaseInfo,
    generated_at: DateTime<Utc>,
) -> Result<tracebench_report::ReportInput, ApiError> {
    let v = super::view::visible(case)?;
    let graph = super::view::layout_graph(&v);
    let txs = case.all_txs()?;
    let raws = case.raw_responses()?;
    let source_of_raw: std::collections::BTreeMap<i64, String> =
        raws.iter().map(|r| (r.id, r.source_id.clone())).collect();
    let mut transactions = Vec::with_capacity(txs.len());
    for t in &txs {
        let raw_id = case.tx_raw_id(&t.chain, &t.txid)?;
        transactions.push(tracebench_report::ReportTx {
            txid: t.txid.clone(),
            block_height: t.confirmation.block_height,
            block_time: t.confirmation.block_time,
            input_sat: t.input_sum(),
            output_sat: t.output_sum(),
            fee_sat: t.fee,
            source_id: raw_id
                .and_then(|id| source_of_raw.get(&id).cloned())
                .unwrap_or_default(),
        });
    }
    let clusters = cluster::multi_input(&txs)
        .clusters
        .into_iter()
        .map(|c| tracebench_report::ReportCluster {
            id: c.id,
            heuristic: c.heuristic,
            addresses: c.addresses,
        })
        .collect();
    let provenance = raws
        .into_iter()
        .map(|r| tracebench_report::ReportProvenance {
            source_id: r.source_id,
            endpoint: r.endpoint,
            request: r.request,
            retrieved_at: r.retrieved_at,
            sha256: r.sha256,
        })
        .collect();
    let notes = case
        .notes()?
        .into_iter()
        .map(|n| tracebench_report::ReportNote {
            target: n.target,
            text: n.text,
            created_at: n.created_at,
        })
        .collect();
    Ok(tracebench_report::ReportInput {
        case: tracebench_report::ReportCase {
            case_id: info.case_id,
            title: info.title,
            investigator: info.investigator,
            agency: info.agency,
            created_utc: info.created_utc,
        },
        tool: format!("Tracebench {}", env!("CARGO_PKG_VERSION")),
        generated_at,
        synthetic: info.synthetic,
        graph,
        transactions,
        clusters,
        provenance,
        notes,
    })
}
