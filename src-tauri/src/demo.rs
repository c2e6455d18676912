//! The demo's data source: a synthetic ransomware chain (scenario 1 of tracebench-sim), served
//! in-process over the Esplora REST API on 127.0.0.1, so the demo goes through the core's real
//! HTTP client path with no network beyond loopback.

use std::sync::Arc;

use tracebench_core::api::SourceSpec;
use tracebench_sim::{ScenarioKind, SimChain, SimServer};

use crate::error::CommandError;

/// File stem of the demo case in the data dir: one case per scenario and seed.
pub const CASE_FILE_STEM: &str = "demo-ransomware-1";

pub struct DemoSource {
    chain: Arc<SimChain>,
    server: SimServer,
}

impl DemoSource {
    pub async fn start() -> Result<DemoSource, CommandError> {
        let chain = Arc::new(tracebench_sim::generate(ScenarioKind::Ransomware, 1));
        let addr = "127.0.0.1:0".parse().map_err(CommandError::demo)?;
        let server = tracebench_sim::serve(Arc::clone(&chain), addr).map_err(CommandError::demo)?;
        Ok(DemoSource { chain, server })
    }

    pub fn source(&self) -> SourceSpec {
        SourceSpec {
            id: self.chain.source_id(),
            base_url: self.server.url(),
        }
    }

    pub fn seed_address(&self) -> String {
        self.chain.seed_address().to_string()
    }
}
