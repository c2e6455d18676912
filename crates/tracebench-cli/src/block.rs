//! `tracebench block <height|hash> --case CASE --source core:URL`: a whole block from the
//! analyst's Bitcoin Core node into the case (see `Workbench::import_block`).

use anyhow::bail;
use chrono::Utc;
use tracebench_core::api::BtcSourceSpec;

use crate::flags::Cli;

pub fn run(cli: &Cli, block: &str, rt: &tokio::runtime::Runtime) -> anyhow::Result<()> {
    let path = crate::case_path(cli)?;
    if cli.offline {
        bail!("tracebench block fetches from a node: it cannot run with --offline");
    }
    match cli.source.as_deref().map(BtcSourceSpec::parse) {
        Some(Ok(BtcSourceSpec::Core { .. })) => {}
        Some(Err(e)) => return Err(e.into()),
        _ => bail!(
            "tracebench block needs a Bitcoin Core node: give --source core:http://HOST:PORT (getblock verbosity 3; Esplora and the sim have no such call)"
        ),
    }
    let (mut wb, _sim) = crate::source::open(path, cli)?;
    let out = rt.block_on(wb.import_block(block, Utc::now()))?;
    crate::print(cli, &out, || {
        format!(
            "stored block {} ({}): {} transactions, {} new to the case, in the case but not on the canvas (add a txid or address to show it)",
            out.height, out.block_hash, out.txs, out.added
        )
    })
}
