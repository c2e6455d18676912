//! Choosing the data source for a command: an Esplora URL, a Bitcoin Core node
//! (`core:http://…`, credentials from --rpc-cookie, the URL or config.toml), the in-process sim,
//! or none; and `tracebench config`, the secrets file.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use clap::Subcommand;
use tracebench_core::api::{SourceSpec, Workbench};
use tracebench_core::config::Config;
use tracebench_core::source::core_rpc::RpcAuth;
use tracebench_core::source::Connection;

use crate::flags::{Cli, ScenarioArgs};

/// The simulator running in this process, kept alive while the command runs.
pub struct Sim {
    pub chain: Arc<tracebench_sim::SimChain>,
    pub server: tracebench_sim::SimServer,
}

impl Sim {
    pub fn start(scenario: &ScenarioArgs, port: u16) -> anyhow::Result<Sim> {
        let chain = Arc::new(tracebench_sim::generate(
            scenario_kind(scenario)?,
            scenario.seed,
        ));
        let server = tracebench_sim::serve(chain.clone(), ([127, 0, 0, 1], port).into())
            .context("starting the simulator on 127.0.0.1")?;
        Ok(Sim { chain, server })
    }

    pub fn spec(&self) -> SourceSpec {
        SourceSpec {
            id: self.chain.source_id(),
            base_url: self.server.url(),
        }
    }
}

pub fn scenario_kind(s: &ScenarioArgs) -> anyhow::Result<tracebench_sim::ScenarioKind> {
    Ok(s.scenario.parse()?)
}

/// Parses `sim:<scenario>:<seed>` (scenario and seed optional).
fn sim_args(spec: &str) -> Option<anyhow::Result<ScenarioArgs>> {
    let rest = spec.strip_prefix("sim")?;
    let mut parts = rest.trim_start_matches(':').split(':');
    let scenario = parts
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or("ransomware");
    let seed = match parts.next() {
        None => Ok(1),
        Some(s) => s
            .parse::<u64>()
            .with_context(|| format!("the sim seed in {spec:?} is not a number")),
    };
    Some(seed.map(|seed| ScenarioArgs {
        scenario: scenario.to_string(),
        seed,
    }))
}

/// Opens the case with the source the flags, or else the case's history, call for.
pub fn open(path: &Path, cli: &Cli) -> anyhow::Result<(Workbench, Option<Sim>)> {
    if cli.offline {
        return Ok((crate::open_case(path, None)?, None));
    }
    let chosen = match &cli.source {
        Some(s) => s.clone(),
        None => {
            // Reuse what the case was built from; a case without data uses the built-in sim.
            let wb = crate::open_case(path, None)?;
            let sources = wb.case().sources()?;
            match sources.first() {
                Some((id, _)) => id.clone(),
                None => "sim:ransomware:1".to_string(),
            }
        }
    };
    if let Some(url) = chosen.strip_prefix("core:") {
        let connection = core_connection(url, cli)?;
        let mut wb = crate::open_case(path, None)?;
        wb.connect_source(Some(connection));
        return Ok((wb, None));
    }
    if let Some(args) = sim_args(&chosen) {
        let sim = Sim::start(&args?, 0)?;
        let wb = crate::open_case(path, Some(sim.spec()))?;
        return Ok((wb, Some(sim)));
    }
    let base = chosen
        .strip_prefix("esplora:")
        .unwrap_or(&chosen)
        .to_string();
    if !(base.starts_with("http://") || base.starts_with("https://")) {
        anyhow::bail!("unknown source {chosen:?}: give an Esplora base URL (https://…), core:http://HOST:PORT (Bitcoin Core JSON-RPC) or sim:<scenario>:<seed>");
    }
    let spec = SourceSpec {
        id: format!("esplora:{}", tracebench_core::source::redact_url(&base)),
        base_url: base,
    };
    Ok((crate::open_case(path, Some(spec))?, None))
}

/// A Bitcoin Core node at `url` (`http://[user:password@]host:port`). Credentials, first found:
/// `--rpc-cookie FILE`, the URL's user and password, then `rpc_user`/`rpc_password` or
/// `rpc_cookie` under `[source."core:<url>"]` in config.toml. The source id never holds them.
fn core_connection(url: &str, cli: &Cli) -> anyhow::Result<Connection> {
    let Some((scheme, rest)) = url
        .split_once("://")
        .filter(|(s, _)| *s == "http" || *s == "https")
    else {
        anyhow::bail!(
            "the Bitcoin Core source {url:?} is not an http:// or https:// URL (e.g. core:http://127.0.0.1:8332)"
        );
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let (userinfo, host) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    if host.is_empty() {
        anyhow::bail!("the Bitcoin Core source {url:?} names no host");
    }
    let base = format!("{scheme}://{host}{}", path.trim_end_matches('/'));
    let id = format!("core:{base}");
    let from_url = userinfo.map(|u| {
        let (user, password) = u.split_once(':').unwrap_or((u, ""));
        RpcAuth::UserPass {
            user: user.to_string(),
            password: password.to_string(),
        }
    });
    let rpc_auth = match (&cli.rpc_cookie, from_url) {
        (Some(cookie), _) => Some(RpcAuth::Cookie(cookie.clone())),
        (None, Some(auth)) => Some(auth),
        (None, None) => {
            let dir = crate::places::config_dir()?;
            let config = Config::load(&dir).context("reading the secrets file")?;
            config.secrets(&id).and_then(|s| s.rpc_auth())
        }
    };
    Ok(Connection {
        rpc_auth,
        ..Connection::new(SourceSpec { id, base_url: base })
    })
}

/// `tracebench config`: the secrets file (API keys, node credentials).
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Create config.toml (mode 0600) with commented examples; never over an existing file.
    Init,
    /// Check config.toml (private, valid) and list the source ids it holds secrets for.
    Check,
}

pub fn config(cli: &Cli, cmd: &ConfigCommand) -> anyhow::Result<()> {
    let dir = crate::places::config_dir()?;
    match cmd {
        ConfigCommand::Init => {
            let path = Config::create(&dir)?;
            let out = serde_json::json!({"path": path.display().to_string(), "mode": "0600"});
            crate::print(cli, &out, || {
                format!(
                    "created {} (mode 0600): add a [source.\"…\"] table per source",
                    path.display()
                )
            })
        }
        ConfigCommand::Check => {
            let config = Config::load(&dir)?;
            // Names of what is set, never the values.
            let sources: Vec<serde_json::Value> = config
                .source
                .iter()
                .map(|(id, s)| {
                    let mut set = Vec::new();
                    for (name, present) in [
                        ("api_key", s.api_key.is_some()),
                        ("rpc_user", s.rpc_user.is_some()),
                        ("rpc_password", s.rpc_password.is_some()),
                        ("rpc_cookie", s.rpc_cookie.is_some()),
                    ] {
                        if present {
                            set.push(name);
                        }
                    }
                    serde_json::json!({"source_id": id, "set": set})
                })
                .collect();
            let out = serde_json::json!({"path": dir.join(tracebench_core::config::FILE_NAME).display().to_string(), "sources": sources});
            crate::print(cli, &out, || {
                let mut text = format!(
                    "{}: private, {} source(s)",
                    out["path"].as_str().unwrap_or_default(),
                    sources.len()
                );
                for s in &sources {
                    text.push_str(&format!(
                        "\n  {}: {}",
                        s["source_id"].as_str().unwrap_or_default(),
                        s["set"]
                    ));
                }
                text
            })
        }
    }
}
