//! Choosing the data source for a command: an Esplora URL, the in-process sim, or none.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use tracebench_core::api::{SourceSpec, Workbench};

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
        anyhow::bail!("unknown source {chosen:?}: give an Esplora base URL (https://…) or sim:<scenario>:<seed>");
    }
    let spec = SourceSpec {
        id: format!("esplora:{}", tracebench_core::source::redact_url(&base)),
        base_url: base,
    };
    Ok((crate::open_case(path, Some(spec))?, None))
}
