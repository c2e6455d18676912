//! `tracebench sim serve|truth --scenario evm-usdt`: the synthetic EVM case, served over the
//! Etherscan v2 API (`<url>/v2/api`) and Ethereum JSON-RPC (`POST <url>/` or `<url>/rpc`).

use std::io::Write;
use std::sync::Arc;

use anyhow::Context;
use serde_json::json;
use tracebench_sim::evm::{generate_evm, serve_evm, EvmServeOptions, SCENARIO_NAME};

use crate::flags::ScenarioArgs;

/// Whether the scenario flags ask for the EVM scenario.
pub fn is_evm(scenario: &ScenarioArgs) -> bool {
    scenario.scenario == SCENARIO_NAME
}

/// Serves the EVM scenario on 127.0.0.1 until killed; the first stdout line is JSON with the
/// URLs.
pub fn serve(scenario: &ScenarioArgs, port: u16, api_key: Option<&str>) -> anyhow::Result<()> {
    let chain = Arc::new(generate_evm(scenario.seed));
    let server = serve_evm(
        chain.clone(),
        ([127, 0, 0, 1], port).into(),
        EvmServeOptions {
            api_key: api_key.map(str::to_string),
        },
    )
    .context("starting the EVM simulator on 127.0.0.1")?;
    let url = server.url();
    let mut stdout = std::io::stdout().lock();
    writeln!(
        stdout,
        "{}",
        json!({
            "url": url,
            "etherscan_url": format!("{url}/v2/api"),
            "rpc_url": url,
            "chain": chain.truth().chain,
            "chain_id": chain.chain_id(),
            "source_id": chain.source_id(),
            "seed_address": chain.seed_address(),
        })
    )?;
    stdout.flush()?;
    drop(stdout);
    loop {
        std::thread::park();
    }
}

/// Prints the EVM scenario's ground truth as JSON.
pub fn truth(scenario: &ScenarioArgs) -> anyhow::Result<()> {
    let chain = generate_evm(scenario.seed);
    println!("{}", serde_json::to_string_pretty(chain.truth())?);
    Ok(())
}
