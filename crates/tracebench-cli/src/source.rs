//! Choosing the data source for a command: an Esplora URL, a Bitcoin Core node
//! (`core:http://…`, credentials from --rpc-cookie, the URL or config.toml), the in-process sim,
//! or none; and `tracebench config`, the secrets file.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use clap::Subcommand;
use tracebench_core::api::{BtcSourceSpec, SourceSpec, Workbench};
use tracebench_core::config::Config;
use tracebench_core::secrets::Secrets;

use crate::flags::{Cli, ScenarioArgs};

/// The simulator running in this process, kept alive while the command runs.
pub struct Sim {
    pub chain: Arc<tracebench_sim::SimChain>,
    pub server: tracebench_sim::SimServer,
}

impl Sim {
    pub fn start(scenario: &ScenarioArgs, port: u16) -> anyhow::Result<Sim> {
        let chain = Arc::new(
            tracebench_sim::generate(scenario_kind(scenario)?, scenario.seed)
                .on_network(scenario.network),
        );
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

/// Opens the case with the source the flags, or else the case's history, call for. The text is
/// parsed by the core's [`BtcSourceSpec`], the same parser the app's Sources panel uses.
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
    let spec = BtcSourceSpec::parse(&chosen)?;
    match &spec {
        BtcSourceSpec::Sim { scenario, seed } => {
            // The in-process sim serves the case's network.
            let network = crate::open_case(path, None)?.network();
            let sim = Sim::start(
                &ScenarioArgs {
                    scenario: scenario.clone(),
                    seed: *seed,
                    network,
                },
                0,
            )?;
            let wb = crate::open_case(path, Some(sim.spec()))?;
            Ok((wb, Some(sim)))
        }
        BtcSourceSpec::Core { .. } => {
            // Credentials, first found: --rpc-cookie FILE, the URL's user and password, then the
            // keyring and config.toml (`[source."core:<url>"]`). The source id never holds them.
            let secrets = if cli.rpc_cookie.is_some() {
                Secrets::default()
            } else {
                crate::secret::load(&crate::places::config_dir()?)?
            };
            let connection = spec
                .connection(&secrets, cli.rpc_cookie.clone())
                .context("a Core source always connects")?;
            let mut wb = crate::open_case(path, None)?;
            wb.connect_source(Some(connection));
            Ok((wb, None))
        }
        BtcSourceSpec::Esplora { base_url } => {
            let wb = crate::open_case(path, None)?;
            spec.check_network(wb.network())?;
            drop(wb);
            let source = SourceSpec {
                id: spec.source_id(),
                base_url: base_url.clone(),
            };
            Ok((crate::open_case(path, Some(source))?, None))
        }
    }
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
