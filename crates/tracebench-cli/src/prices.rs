//! `tracebench prices …`: fiat price series imported into the case with provenance (whole or not
//! at all), and the series the case holds. Valuation: `tracebench_core::price`.

use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;
use tracebench_core::price;
use tracebench_core::store::Case;

use crate::flags::Cli;

#[derive(Debug, Subcommand)]
pub enum PricesCommand {
    /// Import a price CSV (asset,time_utc,currency,rate,source; rates exact decimals, times UTC):
    /// every line valid, or nothing is imported.
    Import { file: PathBuf },
    /// The price series the case holds (asset, currency, source, extent).
    List,
}

pub fn run(cli: &Cli, cmd: &PricesCommand) -> anyhow::Result<()> {
    let path = cli
        .case
        .as_deref()
        .context("no case file given: pass --case FILE.tbcase")?;
    match cmd {
        PricesCommand::Import { file } => {
            let bytes =
                std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_else(|| file.display().to_string());
            let mut case = Case::open(path)?;
            let r = price::import(
                &mut case,
                &bytes,
                &name,
                chrono::Utc::now(),
                &crate::analyst(),
            )?;
            crate::print(cli, &r, || {
                format!(
                    "{name}: {} rate(s) imported as {}{}, SHA-256 {}",
                    r.rows,
                    r.source_id,
                    if r.synthetic { " (synthetic)" } else { "" },
                    r.sha256
                )
            })
        }
        PricesCommand::List => {
            let case = Case::open(path)?;
            let series = case.price_series()?;
            crate::print(cli, &series, || {
                if series.is_empty() {
                    return "no price series".to_string();
                }
                series
                    .iter()
                    .map(|s| {
                        format!(
                            "{}/{}  {} rate(s) {} … {}  source: {}",
                            s.asset, s.currency, s.rates, s.first_utc, s.last_utc, s.source
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
    }
}
