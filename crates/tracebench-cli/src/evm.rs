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
use tracebench_core::chain::EvmChain;
use tracebench_core::config::Config;
use tracebench_core::source::evm::{Etherscan, EvmRpc};
use tracebench_core::source::{redact_url, Clock};
use tracebench_core::store::{AuditAction, Case};
use tracebench_sim::evm::{generate_evm, serve_evm, EvmServeOptions, CHAIN_ID, SCENARIO_NAME};

use crate::flags::Cli;

/// The environment variable holding the Etherscan API key.
pub const ETHERSCAN_KEY_VAR: &str = "TRACEBENCH_ETHERSCAN_KEY";

const ETHERSCAN_DEFAULT: &str = "https://api.etherscan.io";

/// An EVM source as the `--source` flag names it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum EvmSource {
    Etherscan {
        chain: EvmChain,
        base_url: String,
    },
    Rpc {
        chain: EvmChain,
        url: String,
    },
    /// The EVM simulator: at `url` when given, else started on loopback for this command.
    Sim {
        seed: u64,
        url: Option<String>,
    },
}

impl EvmSource {
    fn chain(&self) -> anyhow::Result<EvmChain> {
        Ok(match self {
            EvmSource::Etherscan { chain, .. } | EvmSource::Rpc { chain, .. } => *chain,
            EvmSource::Sim { .. } => EvmChain::new(CHAIN_ID)?,
        })
    }
}

/// `sim:<scenario>:<seed>[=<url>]`; only the EVM scenario serves EVM data.
fn parse_sim(text: &str, rest: &str) -> anyhow::Result<EvmSource> {
    let (id, url) = match rest.split_once('=') {
        Some((i, u)) => (i, Some(u.trim_end_matches('/').to_string())),
        None => (rest, None),
    };
    let (scenario, seed) = id.split_once(':').with_context(|| {
        format!("--source {text:?}: expected sim:{SCENARIO_NAME}:<seed>[=<url>]")
    })?;
    if scenario != SCENARIO_NAME {
        bail!("--source {text:?}: the simulator serves EVM data only for the {SCENARIO_NAME} scenario, not {scenario:?}");
    }
    let seed = seed
        .parse()
        .with_context(|| format!("--source {text:?}: the seed {seed:?} is not a whole number"))?;
    if let Some(u) = &url {
        if !(u.starts_with("http://") || u.starts_with("https://")) {
            bail!("the URL in --source {text:?} must start with http:// or https://");
        }
    }
    Ok(EvmSource::Sim { seed, url })
}

fn parse_source(text: &str) -> anyhow::Result<EvmSource> {
    let (kind, rest) = text
        .split_once(':')
        .with_context(|| format!("{text:?} is not an EVM source"))?;
    if kind == "sim" {
        return parse_sim(text, rest);
    }
    let (chain, url) = match rest.split_once('=') {
        Some((c, u)) => (c, Some(u.trim_end_matches('/').to_string())),
        None => (rest, None),
    };
    let chain = EvmChain::parse(chain).with_context(|| format!("in --source {text:?}"))?;
    let check = |u: &str| -> anyhow::Result<()> {
        if !(u.starts_with("http://") || u.starts_with("https://")) {
            bail!(
                "the URL in --source {:?} must start with http:// or https://",
                redact_url(text)
            );
        }
        Ok(())
    };
    match (kind, url) {
        ("etherscan", url) => {
            let base_url = url.unwrap_or_else(|| ETHERSCAN_DEFAULT.to_string());
            check(&base_url)?;
            Ok(EvmSource::Etherscan { chain, base_url })
        }
        ("evm-rpc", Some(url)) => {
            check(&url)?;
            Ok(EvmSource::Rpc { chain, url })
        }
        ("evm-rpc", None) => bail!("--source evm-rpc:<chainid>=<url> needs the node's URL"),
        _ => bail!(
            "unknown EVM source {:?}: use etherscan:<chainid>[=<base_url>], evm-rpc:<chainid>=<url> or sim:evm-usdt:<seed>[=<url>]",
            redact_url(text)
        ),
    }
}

fn client() -> anyhow::Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(30))
        .user_agent(concat!("Tracebench/", env!("CARGO_PKG_VERSION")))
        .build()
        .context("building the HTTP client")
}

/// The Etherscan API key: the environment first, then the secrets file.
fn etherscan_key(chain: EvmChain) -> anyhow::Result<Option<String>> {
    if let Some(k) = std::env::var(ETHERSCAN_KEY_VAR)
        .ok()
        .filter(|k| !k.trim().is_empty())
    {
        return Ok(Some(k));
    }
    let dir = crate::places::config_dir()?;
    let config = Config::load(&dir).context("reading the secrets file")?;
    let id = format!("etherscan:{}", chain.chain_id());
    Ok([id.as_str(), "etherscan"]
        .iter()
        .find_map(|id| config.secrets(id).and_then(|s| s.api_key.clone())))
}

/// `tracebench add <0x address|0x txhash> --source …`.
pub fn add(cli: &Cli, query: &str, rt: &tokio::runtime::Runtime) -> anyhow::Result<()> {
    let query = EvmQuery::parse(query)?;
    if cli.offline {
        let chain = match &cli.source {
            Some(s) => Some(parse_source(s)?.chain()?),
            None => None,
        };
        let case = Case::open(crate::case_path(cli)?)?;
        let answer = offline::answer(&case, &query, chain)?;
        return crate::print(cli, &answer, || answer.text());
    }
    let source = match &cli.source {
        Some(s) => parse_source(s)?,
        None => bail!(
            "an EVM address or transaction needs a source: --source etherscan:<chainid>[=<base_url>] (addresses), --source evm-rpc:<chainid>=<url> (transactions) or --source sim:evm-usdt:<seed>[=<url>]"
        ),
    };
    let path = crate::case_path(cli)?;
    let mut case = Case::open(path)?;
    let clock = Clock::system();
    // Kept alive until the fetch is done when the simulator runs inside this command.
    let mut _sim_server = None;
    let (fetch, chain, source_id) = match (&query, &source) {
        (_, EvmSource::Sim { seed, url }) => {
            let chain = source.chain()?;
            let url = match url {
                Some(u) => u.clone(),
                None => {
                    let server = serve_evm(
                        Arc::new(generate_evm(*seed)),
                        ([127, 0, 0, 1], 0).into(),
                        EvmServeOptions::default(),
                    )
                    .context("starting the EVM simulator on 127.0.0.1")?;
                    let u = server.url();
                    _sim_server = Some(server);
                    u
                }
            };
            let id = format!("sim:{SCENARIO_NAME}:{seed}");
            let fetch = match &query {
                EvmQuery::Address(a) => rt.block_on(
                    Etherscan::new(client()?, &url, None, chain, clock)
                        .with_source_id(&id)
                        .address_history(a),
                )?,
                EvmQuery::Tx(h) => rt.block_on(
                    EvmRpc::new(client()?, &url, chain, clock)
                        .with_source_id(&id)
                        .transaction(h),
                )?,
            };
            (fetch, chain, id)
        }
        (EvmQuery::Address(a), EvmSource::Etherscan { chain, base_url }) => {
            let key = etherscan_key(*chain)?;
            let es = Etherscan::new(client()?, base_url, key, *chain, clock);
            let id = es.source_id().to_string();
            (rt.block_on(es.address_history(a))?, *chain, id)
        }
        (EvmQuery::Tx(h), EvmSource::Rpc { chain, url }) => {
            let node = EvmRpc::new(client()?, url, *chain, clock);
            let id = node.source_id().to_string();
            (rt.block_on(node.transaction(h))?, *chain, id)
        }
        (EvmQuery::Address(_), EvmSource::Rpc { .. }) => bail!(
            "a node's JSON-RPC cannot list an address's history: use --source etherscan:<chainid>[=<base_url>]"
        ),
        (EvmQuery::Tx(_), EvmSource::Etherscan { .. }) => bail!(
            "transactions are read from a node: use --source evm-rpc:<chainid>=<url>"
        ),
    };
    let (subject, kind) = match &query {
        EvmQuery::Address(a) => (a.as_str().to_string(), "address"),
        EvmQuery::Tx(h) => (h.as_str().to_string(), "transaction"),
    };
    let now = Utc::now();
    let at = tracebench_core::source::rfc3339(now);
    let action = AuditAction {
        at_utc: at.clone(),
        user: crate::analyst(),
        action: "evm.add".to_string(),
        detail: json!({"chain": chain.caip2(), kind: subject, "source": source_id, "raw_responses": fetch.raws.len()}),
    };
    let added = case.audited(action, |c| c.ingest_evm(&fetch, &at))?;
    let total = case.account_transfers(&chain.caip2())?.len();
    let complete = fetch.histories.iter().all(|h| h.2);
    let shown = match &query {
        EvmQuery::Address(a) => a.checksummed(),
        EvmQuery::Tx(h) => h.as_str().to_string(),
    };
    let out = json!({
        "chain": chain.caip2(),
        "chain_name": chain.name(),
        kind: shown,
        "source_id": source_id,
        "raw_responses": fetch.raws.len(),
        "txs_added": added.txs,
        "transfers_added": added.transfers,
        "transfers_in_case": total,
        "complete": complete,
    });
    crate::print(cli, &out, || {
        format!(
            "added {kind} {shown} on {} ({}): {} new transaction(s), {} new transfer(s); {} transfer(s) on this chain in the case{}",
            chain.name(),
            chain.caip2(),
            added.txs,
            added.transfers,
            total,
            if complete { "" } else { " (history incomplete: request limit reached)" }
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_flags_parse_with_clear_errors() {
        assert_eq!(
            parse_source("etherscan:56=http://127.0.0.1:9/").unwrap(),
            EvmSource::Etherscan {
                chain: EvmChain::BSC,
                base_url: "http://127.0.0.1:9".into()
            },
            "chain id and base URL, trailing slash dropped"
        );
        assert_eq!(
            parse_source("etherscan:1").unwrap(),
            EvmSource::Etherscan {
                chain: EvmChain::ETHEREUM,
                base_url: ETHERSCAN_DEFAULT.into()
            },
            "the public API is the default"
        );
        let err = format!(
            "{:#}",
            parse_source("etherscan:31337=http://x").unwrap_err()
        );
        assert!(
            err.contains("31337"),
            "an unsupported chain is named: {err}"
        );
        let err = format!("{:#}", parse_source("evm-rpc:1").unwrap_err());
        assert!(err.contains("URL"), "a node needs its URL: {err}");
        let err = format!("{:#}", parse_source("evm-rpc:1=ftp://x").unwrap_err());
        assert!(err.contains("http://"), "only HTTP(S) URLs: {err}");
    }

    #[test]
    fn the_simulator_is_a_source_with_or_without_a_url() {
        assert_eq!(
            parse_source("sim:evm-usdt:7=http://127.0.0.1:9/").unwrap(),
            EvmSource::Sim {
                seed: 7,
                url: Some("http://127.0.0.1:9".into())
            },
            "a running simulator's URL, trailing slash dropped"
        );
        assert_eq!(
            parse_source("sim:evm-usdt:1").unwrap(),
            EvmSource::Sim { seed: 1, url: None },
            "without a URL the simulator is started for the command"
        );
        assert_eq!(
            parse_source("sim:evm-usdt:1").unwrap().chain().unwrap(),
            EvmChain::new(CHAIN_ID).unwrap(),
            "the simulator's chain is its EIP-155 chain id"
        );
        let err = format!("{:#}", parse_source("sim:ransomware:1").unwrap_err());
        assert!(
            err.contains("evm-usdt") && err.contains("ransomware"),
            "a Bitcoin scenario is refused, naming the EVM one: {err}"
        );
        let err = format!("{:#}", parse_source("sim:evm-usdt:one").unwrap_err());
        assert!(err.contains("\"one\""), "a bad seed is named: {err}");
        let err = format!("{:#}", parse_source("sim:evm-usdt:1=ftp://x").unwrap_err());
        assert!(err.contains("http://"), "only HTTP(S) URLs: {err}");
    }
}
