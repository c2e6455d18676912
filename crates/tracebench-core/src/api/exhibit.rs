//! Builds the report model from a case; the report crate renders it.

use chrono::{DateTime, Utc};

use super::dto::CaseInfo;
use super::ApiError;
use crate::cluster;
use crate::store::Case;

/// An attribution row of the report (a label or an exchange record, with its source).
pub use tracebench_report::ReportAttribution as AttributionRow;
/// An exposure analysis to print.
pub use tracebench_report::ReportExposure as ExposureRow;
/// One category of an exposure row.
pub use tracebench_report::ReportExposureCategory as ExposureCategoryRow;

/// What the caller adds to a report beyond the case itself: attributions from the label store
/// (the core knows no labels), exposure analyses, and the label-pack line (default: the
/// versions the case recorded).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportExtras {
    pub attributions: Vec<AttributionRow>,
    pub exposures: Vec<ExposureRow>,
    pub label_packs_note: Option<String>,
}

/// The label packs a case recorded, as one line: "id version (first used …); …".
pub fn label_packs_line(case: &Case) -> Result<Option<String>, ApiError> {
    let packs = case.label_packs()?;
    if packs.is_empty() {
        return Ok(None);
    }
    Ok(Some(
        packs
            .iter()
            .map(|p| {
                format!(
                    "{} {} (first used {})",
                    p.pack_id, p.version, p.first_used_utc
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
    ))
}

/// The case's exchange records as attributions: the exchange says the address is (or paid)
/// one of its accounts.
pub fn record_attributions(case: &Case) -> Result<Vec<AttributionRow>, ApiError> {
    let raws: std::collections::BTreeMap<i64, String> = case
        .raw_responses()?
        .into_iter()
        .map(|r| (r.id, r.retrieved_at))
        .collect();
    Ok(case
        .exchange_records()?
        .into_iter()
        .map(|r| AttributionRow {
            label: format!(
                "{} account {} ({} of {} BTC, {} in tx {})",
                r.source,
                r.account_id,
                r.direction,
                tracebench_report::btc(r.amount_sat),
                r.time_utc,
                r.txid
            ),
            address: r.address,
            category: "exchange".to_string(),
            source: format!("exchange records: {}", r.source),
            source_date: raws
                .get(&r.raw_id)
                .map(|t| t.get(..10).unwrap_or(t).to_string()),
            confidence: 100,
        })
        .collect())
}

pub fn report_input(
    case: &Case,
    info: CaseInfo,
    generated_at: DateTime<Utc>,
    extras: ReportExtras,
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
        attributions: {
            let mut rows = extras.attributions;
            rows.extend(record_attributions(case)?);
            rows
        },
        exposures: extras.exposures,
        label_packs: match extras.label_packs_note {
            Some(n) => Some(n),
            None => label_packs_line(case)?,
        },
    })
}
