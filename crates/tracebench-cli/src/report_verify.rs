//! `tracebench report verify --case CASE REPORT.pdf`: re-derives every figure a report states
//! from the case and says, item by item, whether it matches.
//!
//! The report carries a manifest of its figures in its XMP metadata (`tbr:manifest`, see
//! `tracebench_report::pdfa`), whose SHA-256 is stated beside it and printed on the
//! "Integrity" page. Verification checks the manifest against its stated hash, the trailer /ID
//! and XMP document id against the manifest, and then every figure against a fresh derivation
//! from the case: the content hash, the audit-log head (and the log itself, read-only, against
//! truncation after that head), the document id (re-derived from the fresh content hash, the
//! stated settings hash and the stated generation time), and each row of every chapter the
//! report printed — transaction-table rows, clusters, notes, narrative hops, story steps, the
//! money-flow figure's nodes and edges, EVM transfers and traces, and (format 3) the cover's
//! figures, the scope (question, summary of findings, seeds), the methodology and its measured
//! error rates, the fiat values, the attribution register, the audit-log excerpt, the
//! data-provenance table and the coverage statement — against its sealed digest, and (format 3)
//! the page count, from the exhibit laid out again from the fresh figures. The figures
//! are derived by the code that built the exhibit, under the report's own settings (the newest
//! `report.settings` entry up to the report's audit head, the chapters the manifest names as
//! left out) and the methodology's validation datasets `tracebench report` scores; the
//! attribution register from the case alone (a `--no-labels` report) or, when that does not
//! give the sealed register, with the label store read as `report` screened it (`--labels`),
//! which also re-runs the exposure analyses the manifest names.
//! A mismatching row is named by its key (txid, cluster id, "story step 2: <title>", "error
//! rate change peeling_chain <dataset>", "provenance <source> <SHA-256 prefix>") with the row
//! as the case gives it now. Format-2 manifests are compared on their tables only, format-1
//! manifests (every transaction, cluster and note in full) on those three. It does not parse
//! the page text: the printed hashes are the manifest's (tests compare them with `pdftotext`).

use std::path::Path;

use anyhow::Context;
use chrono::{TimeZone, Utc};
use serde::Serialize;
use tracebench_core::api::{ExhibitOptions, ReportExtras, Workbench};
use tracebench_report::{
    document_id, keyed, note_key, printed_rows, read_seal, ReportManifest, SealReading, SealedRow,
    SealedTable, FORMAT_2_TABLES, MANIFEST_FORMAT_1, MANIFEST_FORMAT_2,
};

mod derivation;

use crate::flags::Cli;

/// `tracebench report …` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum ReportCommand {
    /// Re-derive every figure of a report (content hash, audit head, document id, each
    /// printed transaction row, cluster, note, narrative hop, story step, figure element, cover
    /// figure, error rate, fiat value, attribution, audit entry, provenance row and coverage
    /// item) from --case and say which match; exits non-zero on any mismatch.
    Verify {
        #[arg(value_name = "REPORT.pdf")]
        pdf: std::path::PathBuf,
        /// The label store the report screened (default: <data dir>/labels.sqlite); read only
        /// when the case alone does not give the sealed attribution register.
        #[arg(long, value_name = "STORE")]
        labels: Option<std::path::PathBuf>,
    },
}

/// One checked figure.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub item: String,
    pub ok: bool,
    /// What the report states.
    pub stated: String,
    /// What the case gives now.
    pub derived: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    pub ok: bool,
    pub report: String,
    pub case: String,
    pub mismatches: usize,
    pub items: Vec<Item>,
}

fn item(name: impl Into<String>, stated: impl Into<String>, derived: impl Into<String>) -> Item {
    let (stated, derived) = (stated.into(), derived.into());
    Item {
        item: name.into(),
        ok: stated == derived,
        stated,
        derived,
    }
}

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "(none)".to_string())
}

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// Compares one sealed table of the manifest with the fresh rows: the table's row count and
/// digest, then each row by key; a row on one side only, or whose digest differs, is a
/// mismatch named by its key, with the row as the case gives it now.
fn table(items: &mut Vec<Item>, what: &str, stated: Option<&SealedTable>, derived: &[SealedRow]) {
    use std::collections::BTreeSet;
    let fresh = SealedTable::of(derived);
    let empty = SealedTable::default();
    let s = stated.unwrap_or(&empty);
    let summary = |t: &SealedTable| format!("{} row(s), SHA-256 {}", t.rows, t.sha256);
    items.push(item(format!("{what} table"), summary(s), summary(&fresh)));
    let now: std::collections::BTreeMap<&str, &SealedRow> =
        derived.iter().map(|r| (r.key.as_str(), r)).collect();
    let keys: BTreeSet<&str> = s
        .digests
        .keys()
        .map(String::as_str)
        .chain(now.keys().copied())
        .collect();
    for k in keys {
        let stated = s.digests.get(k);
        let derived = fresh.digests.get(k);
        let ok = stated.is_some() && stated == derived;
        items.push(Item {
            item: format!("{what} {k}"),
            ok,
            stated: match stated {
                Some(d) => format!("row digest {d}"),
                None => "(not in the report)".to_string(),
            },
            derived: match (derived, now.get(k)) {
                (Some(d), Some(row)) if !ok => format!("row digest {d}: {}", row.json),
                (Some(d), _) => format!("row digest {d}"),
                _ => "(not in the case)".to_string(),
            },
        });
    }
}

/// Compares rows stated in full (the sensitivity annex) with the fresh ones by key; a row on one side only is a
/// mismatch named by its key.
fn rows<T: Serialize>(
    items: &mut Vec<Item>,
    what: &str,
    stated: &[T],
    derived: &[T],
    key: impl Fn(&T) -> String,
) {
    use std::collections::BTreeMap;
    let s: BTreeMap<String, String> = stated.iter().map(|r| (key(r), json(r))).collect();
    let d: BTreeMap<String, String> = derived.iter().map(|r| (key(r), json(r))).collect();
    let keys: std::collections::BTreeSet<&String> = s.keys().chain(d.keys()).collect();
    for k in keys {
        let absent = |side: &str| format!("(not in the {side})");
        items.push(item(
            format!("{what} {k}"),
            s.get(k).cloned().unwrap_or_else(|| absent("report")),
            d.get(k).cloned().unwrap_or_else(|| absent("case")),
        ));
    }
    if stated.len() != s.len() || derived.len() != d.len() {
        items.push(item(
            format!("{what} count"),
            stated.len().to_string(),
            derived.len().to_string(),
        ));
    }
}

/// The tables a format-1 manifest held in full, sealed as format 2 seals them.
fn format_1_tables(
    m: &ReportManifest,
) -> anyhow::Result<std::collections::BTreeMap<String, SealedTable>> {
    Ok([
        (
            "transaction",
            keyed(&m.transactions, |_, t| t.txid.clone())?,
        ),
        ("cluster", keyed(&m.clusters, |_, c| c.id.clone())?),
        ("note", keyed(&m.notes, note_key)?),
    ]
    .into_iter()
    .map(|(name, rows)| (name.to_string(), SealedTable::of(&rows)))
    .collect())
}

/// Every item of the verification (see the module documentation).
pub fn verify(case: &Path, pdf: &Path, labels: Option<&Path>) -> anyhow::Result<Verdict> {
    let bytes = std::fs::read(pdf).with_context(|| format!("reading {}", pdf.display()))?;
    let seal: SealReading = read_seal(&bytes)
        .with_context(|| format!("{} is not a sealed Tracebench report", pdf.display()))?;
    let mut items = vec![item(
        "manifest hash",
        seal.stated_sha256.clone(),
        seal.actual_sha256.clone(),
    )];
    let Some(m) = seal.manifest.clone() else {
        items.push(item(
            "manifest",
            format!(
                "unreadable: {}",
                seal.manifest_error.clone().unwrap_or_default()
            ),
            "a manifest",
        ));
        return Ok(finish(case, pdf, items));
    };
    items.push(item(
        "trailer id",
        opt(&seal.trailer_id),
        m.document_id.clone(),
    ));
    items.push(item(
        "XMP document id",
        opt(&seal.xmp_document_id),
        SealReading::expected_uuid(&m.document_id),
    ));

    let wb = crate::open_case(case, None)?;
    let info = wb.info();
    items.push(item("case id", m.case_id.clone(), info.case_id.clone()));
    let generated_at = Utc
        .timestamp_opt(m.generated_unix, 0)
        .single()
        .context("the manifest's generation time is out of range")?;
    // The report's own settings, with the chapters it printed (format 1 knew no choice: all
    // of them), and the validation datasets `tracebench report` scores.
    let mut settings = derivation::settings_at(&wb, m.audit_seq)?;
    let format_1 = m.format == MANIFEST_FORMAT_1;
    settings.omit = if format_1 {
        Default::default()
    } else {
        m.omit.clone()
    };
    let options = crate::exhibit::validation_options(settings)?;
    let mut fresh = wb.report_input_as(generated_at, ReportExtras::default(), &options)?;
    // Not the register of the case alone, or exposure analyses: the report screened the label
    // store.
    let case_only = printed_rows(&fresh)?
        .remove("attribution")
        .unwrap_or_default();
    let screened = m
        .tables
        .get("attribution")
        .is_some_and(|stated| SealedTable::of(&case_only) != *stated);
    if screened || !m.exposures.is_empty() {
        match derivation::label_extras(&wb, labels, &m.exposures) {
            Ok(extras) => fresh = wb.report_input_as(generated_at, extras, &options)?,
            Err(e) => items.push(item(
                "attribution register source",
                "the case and a label store",
                format!("the case alone ({e:#})"),
            )),
        }
    }
    let now = ReportManifest::of(&fresh)?;
    items.push(item(
        "content hash",
        opt(&m.content_hash),
        opt(&now.content_hash),
    ));
    items.push(item(
        "audit head",
        format!("{} (entry {})", opt(&m.audit_head), json(&m.audit_seq)),
        format!("{} (entry {})", opt(&now.audit_head), json(&now.audit_seq)),
    ));
    let log = Workbench::verify(case, m.audit_head.as_deref())?;
    items.push(item(
        "audit log",
        "intact, containing the stated head",
        if log.ok {
            "intact, containing the stated head".to_string()
        } else {
            log.findings
                .iter()
                .map(|f| f.message.clone())
                .collect::<Vec<_>>()
                .join("; ")
        },
    ));
    items.push(item(
        "document id",
        m.document_id.clone(),
        document_id(
            now.content_hash.as_deref(),
            &m.settings_hash,
            m.generated_unix,
        ),
    ));
    let mut fresh_rows = printed_rows(&fresh)?;
    let stated_tables = if format_1 {
        // Format 1 sealed these three tables only.
        fresh_rows.retain(|name, _| ["transaction", "cluster", "note"].contains(&name.as_str()));
        format_1_tables(&m)?
    } else {
        if m.format == MANIFEST_FORMAT_2 {
            // Format 2 sealed the row tables only.
            fresh_rows.retain(|name, _| FORMAT_2_TABLES.contains(&name.as_str()));
        }
        m.tables.clone()
    };
    let names: std::collections::BTreeSet<&String> =
        stated_tables.keys().chain(fresh_rows.keys()).collect();
    for name in names {
        let derived = fresh_rows.get(name).map(Vec::as_slice).unwrap_or_default();
        table(&mut items, name, stated_tables.get(name), derived);
    }
    if let Some(stated) = &m.sensitivity {
        sensitivity(&mut items, &wb, generated_at, stated)?;
    }
    if !format_1 && m.format != MANIFEST_FORMAT_2 {
        // The page count the cover and every header state ("Page x of y"): the exhibit laid
        // out again from the fresh figures. (Earlier formats came from builds whose layout may
        // differ, so their page count is not a figure this build can re-derive.)
        let rendered = tracebench_report::render_pdf(&fresh)?;
        items.push(item(
            "pages",
            seal.pages.to_string(),
            read_seal(&rendered)?.pages.to_string(),
        ));
    }
    Ok(finish(case, pdf, items))
}

/// The sensitivity annex's figures against a fresh sensitivity check of the case: the
/// clustering baseline, each clustering toggle and each trace, keyed by what they name.
fn sensitivity(
    items: &mut Vec<Item>,
    wb: &Workbench,
    generated_at: chrono::DateTime<Utc>,
    stated: &tracebench_report::ReportSensitivity,
) -> anyhow::Result<()> {
    let mut options = ExhibitOptions::default();
    options.settings.sensitivity = true;
    let fresh = wb.report_input_as(generated_at, ReportExtras::default(), &options)?;
    let derived = fresh.sensitivity.unwrap_or_default();
    items.push(item(
        "sensitivity baseline",
        format!(
            "{} {:?} {} cluster(s)",
            stated.profile, stated.heuristics, stated.clusters
        ),
        format!(
            "{} {:?} {} cluster(s)",
            derived.profile, derived.heuristics, derived.clusters
        ),
    ));
    rows(
        items,
        "sensitivity clustering toggle",
        &stated.cluster_toggles,
        &derived.cluster_toggles,
        |t| format!("{} {}", t.heuristic, if t.enabled { "on" } else { "off" }),
    );
    rows(
        items,
        "sensitivity trace from",
        &stated.traces,
        &derived.traces,
        |t| {
            format!(
                "{} ({}, {}, {} hops)",
                t.start, t.model, t.direction, t.hops
            )
        },
    );
    items.push(item(
        "sensitivity seeds not traced",
        json(&stated.untraced),
        json(&derived.untraced),
    ));
    Ok(())
}

fn finish(case: &Path, pdf: &Path, items: Vec<Item>) -> Verdict {
    let mismatches = items.iter().filter(|i| !i.ok).count();
    Verdict {
        ok: mismatches == 0,
        report: pdf.display().to_string(),
        case: case.display().to_string(),
        mismatches,
        items,
    }
}

/// Prints the verdict; any mismatch is an error (non-zero exit) after it is printed.
pub fn run(cli: &Cli, cmd: &ReportCommand) -> anyhow::Result<()> {
    let ReportCommand::Verify { pdf, labels } = cmd;
    let pdf = pdf.as_path();
    let case = crate::case_path(cli)?;
    let v = verify(case, pdf, labels.as_deref())?;
    crate::print(cli, &v, || {
        let mut s = String::new();
        for i in &v.items {
            if i.ok {
                s.push_str(&format!("match     {}\n", i.item));
            } else {
                s.push_str(&format!(
                    "MISMATCH  {}: the report states {}, the case gives {}\n",
                    i.item, i.stated, i.derived
                ));
            }
        }
        if v.ok {
            s.push_str(&format!(
                "ok: all {} items of {} match {}",
                v.items.len(),
                v.report,
                v.case
            ));
        } else {
            s.push_str(&format!(
                "{} of {} items do not match",
                v.mismatches,
                v.items.len()
            ));
        }
        s
    })?;
    if !v.ok {
        anyhow::bail!(
            "report verification failed: {} mismatch(es) between {} and {}",
            v.mismatches,
            pdf.display(),
            case.display()
        );
    }
    Ok(())
}
