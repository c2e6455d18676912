//! `tracebench add <0x…>`: EVM addresses through the Etherscan v2 API, EVM transactions
//! through a node's JSON-RPC, stored in the case with their raw responses.
//!
//! Source flags: `--source etherscan:<chainid>[=<base_url>]` (default base
//! `https://api.etherscan.io`), `--source evm-rpc:<chainid>=<url>` and
//! `--source sim:evm-usdt:<seed>[=<url>]` (the simulator at `url`, or started on loopback for
//! the command; provenance `sim:evm-usdt:<seed>`, so the case is marked synthetic). With
//! `--offline` the case answers alone and lists what it lacks ([`offline`]). The Etherscan key comes
//! from `$TRACEBENCH_ETHERSCAN_KEY`, else from config.toml: `api_key` under
//! `[source."etherscan:<chainid>"]` or `[source."etherscan"]`.

mod offline;

use std::sync::Arc;

use anyhow::{bail, Context};
use chrono::Utc;
use serde_json::json;
use tracebench_core::address::EvmQuery;
use tracebench_core::api::{etherscan_key, EvmConnection, EvmSourceSpec};
use tracebench_core::chain::EvmChain;
use tracebench_core::config::Config;
use tracebench_core::source::Clock;
use tracebench_core::store::Case;
use tracebench_sim::evm::{generate_evm, serve_evm, EvmServeOptions};

use crate::flags::Cli;

/// The environment variable holding the Etherscan API key.
pub const ETHERSCAN_KEY_VAR: &str = "TRACEBENCH_ETHERSCAN_KEY";

fn client() -> anyhow::Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(30))
        .user_agent(concat!("Tracebench/", env!("CARGO_PKG_VERSION")))
        .build()
        .context("building the HTTP client")
}

/// The Etherscan API key: the environment first, then the secrets file.
fn api_key(chain: EvmChain) -> anyhow::Result<Option<String>> {
    if let Some(k) = std::env::var(ETHERSCAN_KEY_VAR)
        .ok()
        .filter(|k| !k.trim().is_empty())
    {
        return Ok(Some(k));
    }
    let dir = crate::places::config_dir()?;
    let config = Config::load(&dir).context("reading the secrets file")?;
    Ok(etherscan_key(&config, chain))
}

/// `tracebench add <0x address|0x txhash> --source …`: the core's [`Workbench::add_evm`]
/// (fetched, stored with provenance, shown on the canvas, audited as `evm.add`).
///
/// [`Workbench::add_evm`]: tracebench_core::api::Workbench::add_evm
pub fn add(cli: &Cli, query: &str, rt: &tokio::runtime::Runtime) -> anyhow::Result<()> {
    let parsed = EvmQuery::parse(query)?;
    if cli.offline {
        let chain = match &cli.source {
            Some(s) => Some(EvmSourceSpec::parse(s)?.chain()),
            None => None,
        };
        let case = Case::open(crate::case_path(cli)?)?;
        let answer = offline::answer(&case, &parsed, chain)?;
        return crate::print(cli, &answer, || answer.text());
    }
    let spec = match &cli.source {
        Some(s) => EvmSourceSpec::parse(s)?,
        None => bail!(
            "an EVM address or transaction needs a source: --source etherscan:<chainid>[=<base_url>] (addresses), --source evm-rpc:<chainid>=<url> (transactions) or --source sim:evm-usdt:<seed>[=<url>]"
        ),
    };
    // Kept alive until the fetch is done when the simulator runs inside this command.
    let mut _sim_server = None;
    let sim_url = match &spec {
        EvmSourceSpec::Sim { seed, url: None } => {
            let server = serve_evm(
                Arc::new(generate_evm(*seed)),
                ([127, 0, 0, 1], 0).into(),
                EvmServeOptions::default(),
            )
            .context("starting the EVM simulator on 127.0.0.1")?;
            let u = server.url();
            _sim_server = Some(server);
            Some(u)
        }
        _ => None,
    };
    let key = match &spec {
        EvmSourceSpec::Etherscan { chain, .. } => api_key(*chain)?,
        _ => None,
    };
    let conn = EvmConnection::new(spec, sim_url, key, client()?, Clock::system())?;
    let mut wb = crate::open_case(crate::case_path(cli)?, None)?;
    let out = rt.block_on(wb.add_evm(query, Some(&conn), Utc::now()))?;
    let json = json!({
        "chain": out.chain,
        "chain_name": out.chain_name,
        out.kind.clone(): out.shown,
        "node_id": out.node_id,
        "source_id": out.source_id,
        "raw_responses": out.raw_responses,
        "txs_added": out.txs_added,
        "transfers_added": out.transfers_added,
        "transfers_in_case": out.transfers_in_case,
        "complete": out.complete,
    });
    crate::print(cli, &json, || {
        format!(
            "added {} {} on {} ({}): {} new transaction(s), {} new transfer(s); {} transfer(s) on this chain in the case{}",
            out.kind,
            out.shown,
            out.chain_name,
            out.chain,
            out.txs_added,
            out.transfers_added,
            out.transfers_in_case,
            if out.complete { "" } else { " (history incomplete: request limit reached)" }
        )
    })
}
