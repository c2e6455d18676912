//! Builds the report model from a case; the report crate renders it.

mod evm;
mod fiat;
mod ledger;
mod method;
mod narrative;
mod sensitivity;
mod story;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use super::dto::CaseInfo;
use super::{ApiError, Workbench};
use crate::analysis::validate::Dataset;
use crate::analysis::{ChainContext, Profile};
use crate::cluster;
use crate::store::Case;

use tracebench_report::Section;
pub use tracebench_report::{Paper, ReportSettings};

/// What the examiner sets for one exhibit beyond the case: ids, marking, paper, the question
/// and the summary, and the datasets the methodology's error rates are measured on besides the
/// embedded real ones (the CLI adds the simulator's, exactly as `tracebench validate` does).
#[derive(Debug, Clone, Default)]
pub struct ExhibitOptions {
    pub settings: ReportSettings,
    pub validation_datasets: Vec<Dataset>,
}

impl Workbench {
    /// The court report as PDF bytes, with the examiner's settings (see [`ExhibitOptions`]).
    pub fn report_pdf_as(
        &self,
        generated_at: DateTime<Utc>,
        extras: ReportExtras,
        options: &ExhibitOptions,
    ) -> Result<Vec<u8>, ApiError> {
        let input = self.report_input_as(generated_at, extras, options)?;
        tracebench_report::render_pdf(&input).map_err(|e| ApiError::Report(e.to_string()))
    }

    /// The report model [`Workbench::report_pdf_as`] renders.
    pub fn report_input_as(
        &self,
        generated_at: DateTime<Utc>,
        extras: ReportExtras,
        options: &ExhibitOptions,
    ) -> Result<tracebench_report::ReportInput, ApiError> {
        report_input_with(self.case(), self.info(), generated_at, extras, options)
    }
}

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

/// The report model with default settings (see [`report_input_with`]).
pub fn report_input(
    case: &Case,
    info: CaseInfo,
    generated_at: DateTime<Utc>,
    extras: ReportExtras,
) -> Result<tracebench_report::ReportInput, ApiError> {
    report_input_with(case, info, generated_at, extras, &ExhibitOptions::default())
}

/// The report model of `case`: what the renderer prints, nothing derived there.
pub fn report_input_with(
    case: &Case,
    info: CaseInfo,
    generated_at: DateTime<Utc>,
    extras: ReportExtras,
    options: &ExhibitOptions,
) -> Result<tracebench_report::ReportInput, ApiError> {
    let v = super::view::visible(case)?;
    let graph = super::view::layout_graph(&v);
    let omit = &options.settings.omit;
    let shown = |s: Section| !omit.contains(&s);
    let ledger::Ledger { txs, raw_of } = ledger::read(case)?;
    let raws = case.raw_responses()?;
    let source_of_raw: BTreeMap<i64, &str> =
        raws.iter().map(|r| (r.id, r.source_id.as_str())).collect();
    let source_of: BTreeMap<String, String> = raw_of
        .iter()
        .map(|(txid, raw)| {
            let source = source_of_raw.get(raw).copied().unwrap_or_default();
            (txid.clone(), source.to_string())
        })
        .collect();
    // The full transaction table is built only when its appendix is printed.
    let transactions = if shown(Section::Transactions) {
        txs.iter()
            .map(|t| tracebench_report::ReportTx {
                txid: t.txid.clone(),
                block_height: t.confirmation.block_height,
                block_time: t.confirmation.block_time,
                input_sat: t.input_sum(),
                output_sat: t.output_sum(),
                fee_sat: t.fee,
                source_id: source_of.get(&t.txid).cloned().unwrap_or_default(),
            })
            .collect()
    } else {
        Vec::new()
    };
    // The clustering `tracebench cluster` shows: the conservative profile, vetoes applied.
    let profile = Profile::conservative();
    let vetoed = case.vetoed_txids(&case.meta().chain)?;
    let clustering = cluster::cluster_with_vetoes(
        &txs,
        &ChainContext::new(&txs, BTreeSet::new()),
        &profile,
        &vetoed,
    );
    let sensitivity = if options.settings.sensitivity {
        Some(sensitivity::annex(
            &txs,
            &case.canvas_nodes()?,
            &profile,
            &vetoed,
        ))
    } else {
        None
    };
    // Cluster membership is built only when its appendix is printed.
    let clusters = if shown(Section::Clusters) {
        clustering
            .clusters
            .iter()
            .map(|c| tracebench_report::ReportCluster {
                id: c.id.clone(),
                heuristic: c.heuristic.clone(),
                addresses: c.addresses.clone(),
                members: narrative::members(c),
            })
            .collect()
    } else {
        Vec::new()
    };
    let audit_log = case.audit_log()?;
    let seeds = narrative::seeds(&case.canvas_nodes()?, &audit_log, &raws);
    let fiat = fiat::Fiat::new(case)?;
    let mut hops = narrative::hops(&graph, &txs, &source_of, &clustering, &profile);
    for hop in &mut hops {
        fiat.value(hop)?;
    }
    let mut method = method::method(
        &txs,
        &raws,
        &clustering,
        &profile,
        &options.validation_datasets,
    )?;
    method
        .chains
        .insert(0, method::case_network(&case.meta().chain));
    method.valuation = fiat.method_text();
    let coverage = narrative::coverage(
        &graph,
        &txs,
        &case.complete_histories()?,
        super::MAX_HISTORY_PAGES,
    );
    let audit = audit_log
        .into_iter()
        .filter(|e| e.action != "export")
        .map(|e| tracebench_report::ReportAuditEntry {
            seq: e.seq,
            at_utc: e.at_utc,
            user: e.user,
            action: e.action,
            detail: e.detail,
            hash: e.hash,
        })
        .collect();
    // EVM (account-model) data: its canvas part joins the figures only now, so the Bitcoin
    // narrative and coverage above read the Bitcoin graph alone.
    let mut graph = graph;
    evm::extend_graph(case, &info, &mut graph)?;
    let evm = evm::part(case, &raws, &graph)?;
    if let Some(e) = &evm {
        // Before the support statement, which is the last chain line.
        let at = method.chains.len().saturating_sub(1);
        method.chains.splice(at..at, e.chain_lines.iter().cloned());
        method.valuation = format!("{} {}", method.valuation, e.valuation);
    }
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
    let mut notes: Vec<tracebench_report::ReportNote> = case
        .notes()?
        .into_iter()
        .map(|n| tracebench_report::ReportNote {
            target: n.target,
            text: n.text,
            created_at: n.created_at,
        })
        .collect();
    notes.extend(story::callout_notes(case)?);
    let story = story::steps(case, &v, &graph, &txs)?;
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
        integrity: Some(case.report_integrity()?),
        settings: options.settings.clone(),
        build: tracebench_report::BUILD_HASH.to_string(),
        seeds,
        hops,
        method,
        audit,
        coverage,
        sensitivity,
        story,
        evm: evm.map(|e| e.report),
    })
}
