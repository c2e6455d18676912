//! `tracebench graphsense entity ADDR`: an address's entity (cluster) and tags from a GraphSense
//! instance, the answers kept in the case as evidence. The API key comes from the OS keyring
//! (`graphsense:<url>.api_key`) or config.toml (`api_key` under `[source."graphsense:<url>"]`).

use anyhow::Context;
use chrono::Utc;
use clap::Subcommand;
use tracebench_core::api::SourceSpec;
use tracebench_core::source::graphsense::GraphSense;
use tracebench_core::source::policy::Policy;
use tracebench_core::source::Clock;

use crate::flags::Cli;

#[derive(Debug, Subcommand)]
pub enum GraphsenseCommand {
    /// The entity (cluster) and attribution tags of an address, stored in the case.
    Entity {
        address: String,
        /// The GraphSense REST base URL (e.g. https://graphsense.example/api).
        #[arg(long, value_name = "URL")]
        graphsense: String,
        /// GraphSense currency code.
        #[arg(long, default_value = "btc")]
        currency: String,
    },
}

pub fn run(cli: &Cli, cmd: &GraphsenseCommand) -> anyhow::Result<()> {
    let GraphsenseCommand::Entity {
        address,
        graphsense,
        currency,
    } = cmd;
    let base = graphsense.trim_end_matches('/').to_string();
    if !(base.starts_with("http://") || base.starts_with("https://")) {
        anyhow::bail!("--graphsense {graphsense:?} is not an http:// or https:// URL");
    }
    let id = format!(
        "graphsense:{}",
        tracebench_core::source::redact_url(&base).trim_end_matches('/')
    );
    // The keyring's `graphsense:<url>.api_key`, else config.toml's.
    let api_key = crate::secret::load(&crate::places::config_dir()?)?.api_key(&id);
    let source = GraphSense::connect(
        SourceSpec { id, base_url: base },
        api_key,
        Policy::default(),
        Clock::system(),
    );
    let mut wb = crate::open_case(
        cli.case
            .as_deref()
            .context("no case file given: pass --case FILE.tbcase")?,
        None,
    )?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let view = rt.block_on(wb.graphsense_lookup(&source, currency, address, Utc::now()))?;
    crate::print(cli, &view, || {
        let mut s = format!(
            "{} ({}) is in GraphSense entity {} ({} address(es)) at {}",
            view.address,
            view.currency,
            view.entity,
            view.no_addresses
                .map(|n| n.to_string())
                .unwrap_or_else(|| "?".into()),
            view.source_id
        );
        for t in &view.tags {
            s.push_str(&format!(
                "\n  tag: {} [{}{}] source {}",
                t.label,
                t.category.as_deref().unwrap_or("-"),
                t.abuse
                    .as_deref()
                    .map(|a| format!(", abuse {a}"))
                    .unwrap_or_default(),
                t.source.as_deref().unwrap_or("-")
            ));
        }
        s
    })
}
