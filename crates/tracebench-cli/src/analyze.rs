//! `tracebench analyze tx <txid | file.json>`, `tracebench validate` and the clustering profile
//! flag: CoinJoin verdicts, Tx0, change candidates, and the engine's measured error rates.

use std::path::Path;

use anyhow::Context;
use clap::Subcommand;
use tracebench_core::analysis::validate::{self, Validation};
use tracebench_core::analysis::{analyze_tx, ChainContext, ChangeStatus, Profile, TxAnalysis};
use tracebench_core::model::Tx;
use tracebench_core::source::esplora::parse_tx;

use crate::flags::Cli;

const MAINNET: &str = "bip122:000000000019d6689c085ae165831e93";

#[derive(Debug, Subcommand)]
pub enum AnalyzeCommand {
    /// CoinJoin verdict, Whirlpool Tx0 and change candidates of one transaction: a 64-hex txid
    /// in the case (--case), or an Esplora `/tx` JSON file (offline, no case needed).
    Tx {
        /// txid or path to an Esplora /tx JSON file (also `{"tx": …}` wrappers).
        target: String,
        /// conservative, all (default here: every change heuristic is shown) or FILE.toml.
        #[arg(long, default_value = "all")]
        profile: String,
    },
}

pub fn run(cli: &Cli, cmd: &AnalyzeCommand) -> anyhow::Result<()> {
    let AnalyzeCommand::Tx { target, profile } = cmd;
    let profile = Profile::resolve(profile)?;
    let is_txid = target.len() == 64 && target.chars().all(|c| c.is_ascii_hexdigit());
    let analysis = if is_txid && !Path::new(target).exists() {
        let path = cli.case.as_deref().context(
            "a txid is looked up in a case: pass --case FILE.tbcase (or give a JSON file)",
        )?;
        let wb = crate::open_case(path, None)?;
        wb.analyze_tx(&target.to_ascii_lowercase(), &profile)?
            .with_context(|| format!("the case does not hold transaction {target}"))?
    } else {
        let tx = read_tx_file(Path::new(target))?;
        analyze_tx(&tx, &ChainContext::empty(), &profile)
    };
    crate::print(cli, &analysis, || describe(&analysis))
}

/// Reads an Esplora `/tx` JSON file, or a `{"tx": …, "hex": …}` capture.
fn read_tx_file(path: &Path) -> anyhow::Result<Tx> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let v: serde_json::Value = serde_json::from_slice(&bytes)
        .with_context(|| format!("{} is not JSON", path.display()))?;
    let body = match v.get("tx") {
        Some(inner) if inner.is_object() => serde_json::to_vec(inner)?,
        _ => bytes,
    };
    parse_tx(MAINNET, &body)
        .map_err(|e| anyhow::anyhow!("{} is not an Esplora /tx response: {e}", path.display()))
}

fn describe(a: &TxAnalysis) -> String {
    let mut s = format!("tx {}\nprofile: {}\n", a.txid, a.profile);
    match &a.coinjoin {
        Some(c) => s.push_str(&format!(
            "CoinJoin: {} ({}, confidence {})\n  {}\n",
            c.kind.as_str(),
            c.detector,
            c.confidence,
            c.reason
        )),
        None => s.push_str("CoinJoin: none\n"),
    }
    if let Some(p) = &a.premix {
        s.push_str(&format!(
            "Whirlpool Tx0 (premix): {} confidence {}\n  {}\n",
            p.detector, p.confidence, p.reason
        ));
    }
    s.push_str("change candidates:\n");
    for v in &a.change {
        let what = match v.status {
            ChangeStatus::Ok if v.outputs.is_empty() => "none".to_string(),
            ChangeStatus::Ok => format!(
                "vout {}",
                v.outputs
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            ChangeStatus::Unknown => "unknown".to_string(),
            ChangeStatus::NotApplicable => "not applicable".to_string(),
        };
        s.push_str(&format!(
            "  {:<17} {:>3}  {:<16} {}\n",
            v.heuristic, v.confidence, what, v.reason
        ));
    }
    match &a.change_output {
        Some(c) => s.push_str(&format!(
            "change output: vout {} {} (by {})",
            c.vout,
            c.address,
            c.heuristics.join(", ")
        )),
        None => s.push_str("change output: undecided"),
    }
    s
}

/// `tracebench validate`: scores on the embedded real data and the built-in sim.
pub fn validate(cli: &Cli) -> anyhow::Result<()> {
    let mut sets = validate::real_datasets()?;
    sets.push(sim_validation_dataset()?);
    let v = validate::score(&sets);
    crate::print(cli, &v, || validation_text(&v))
}

/// The simulator's labelled dataset `validate` scores besides the embedded real ones (the
/// report's methodology, from the CLI or the app, scores the same).
pub fn sim_validation_dataset() -> anyhow::Result<validate::Dataset> {
    Ok(tracebench_sim::validation_dataset()?)
}

fn validation_text(v: &Validation) -> String {
    let mut s = String::from("datasets:\n");
    for d in &v.datasets {
        s.push_str(&format!(
            "  {:<18} {:>4} txs, {:>4} CoinJoin-labelled, {:>3} change-labelled{}\n",
            d.name,
            d.transactions,
            d.coinjoin_labelled,
            d.change_labelled,
            if d.synthetic { "  (SYNTHETIC)" } else { "" }
        ));
    }
    for (title, rows) in [
        ("CoinJoin detectors", &v.coinjoin),
        ("change heuristics", &v.change),
    ] {
        s.push_str(&format!(
            "\n{title}:\n  {:<17} {:<18} {:>4} {:>4} {:>4} {:>4} {:>4} {:>4} {:>9} {:>9}\n",
            "name", "dataset", "TP", "FP", "FN", "TN", "unk", "n/a", "precision", "recall"
        ));
        for r in rows.iter() {
            let c = &r.counts;
            s.push_str(&format!(
                "  {:<17} {:<18} {:>4} {:>4} {:>4} {:>4} {:>4} {:>4} {:>9} {:>9}\n",
                r.name,
                r.dataset,
                c.tp,
                c.fp,
                c.fn_,
                c.tn,
                c.unknown,
                c.not_applicable,
                c.precision,
                c.recall
            ));
        }
    }
    s.push_str("\ncoverage:\n");
    for c in &v.coverage {
        s.push_str(&format!(
            "  {:<17} {:<15} {}\n",
            c.name, c.validated_on, c.note
        ));
    }
    s.push_str("\nnotes:\n");
    for n in &v.notes {
        s.push_str(&format!("  - {n}\n"));
    }
    s.trim_end().to_string()
}
