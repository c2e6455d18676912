//! `tracebench records …`: an exchange's answer to a law-enforcement request (CSV of deposits
//! and withdrawals) imported into the case as off-chain evidence, whole or not at all.

use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::Subcommand;
use tracebench_core::model::format_btc;

use crate::flags::Cli;

#[derive(Debug, Subcommand)]
pub enum RecordsCommand {
    /// Import a CSV (account_id,address,txid,amount,time[,direction]; or amount_sat instead of
    /// amount): every line valid, or nothing is imported.
    Import {
        file: PathBuf,
        /// The exchange the records come from.
        #[arg(long, value_name = "NAME")]
        source: String,
    },
    /// The case's exchange records.
    List,
}

pub fn run(cli: &Cli, cmd: &RecordsCommand) -> anyhow::Result<()> {
    let path = cli
        .case
        .as_deref()
        .context("no case file given: pass --case FILE.tbcase")?;
    match cmd {
        RecordsCommand::Import { file, source } => {
            let bytes =
                std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_else(|| file.display().to_string());
            let mut wb = crate::open_case(path, None)?;
            let r = wb.import_exchange_file(&bytes, source, &name, chrono::Utc::now())?;
            crate::print(cli, &r, || {
                let mut s = format!(
                    "{}: {} record(s) imported from {} ({} linked to the case), SHA-256 {}",
                    name, r.rows, r.source_id, r.linked, r.sha256
                );
                for (line, reason) in &r.invalid {
                    s.push_str(&format!("\nline {line}: {reason}"));
                }
                s
            })?;
            if !r.invalid.is_empty() {
                bail!(
                    "{name}: {} invalid line(s), nothing imported",
                    r.invalid.len()
                );
            }
            Ok(())
        }
        RecordsCommand::List => {
            let wb = crate::open_case(path, None)?;
            let rows = wb.exchange_records()?;
            crate::print(cli, &rows, || {
                if rows.is_empty() {
                    return "no exchange records".to_string();
                }
                rows.iter()
                    .map(|r| {
                        format!(
                            "{}  {}  account {}  {} {} BTC  {}  tx {}{}",
                            r.time_utc,
                            r.source,
                            r.account_id,
                            r.direction,
                            format_btc(r.amount_sat),
                            r.address,
                            r.txid,
                            if r.on_chain {
                                ""
                            } else {
                                "  (not in the case)"
                            }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
    }
}
