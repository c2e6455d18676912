//! The built-in demo case: a synthetic scenario served by tracebench-sim over the Esplora API.

use std::path::Path;

use chrono::{DateTime, Utc};

use super::dto::NewCase;
use super::{ApiError, Workbench};
use crate::graph::NodeRef;
use crate::source::SourceSpec;

/// Opens the demo case at `path` (creating it on first use: the seed address added and
/// expanded one hop) with `source` connected; `user` is named in the audit log.
pub async fn open_demo(
    path: &Path,
    source: SourceSpec,
    seed_address: &str,
    user: &str,
    now: DateTime<Utc>,
) -> Result<Workbench, ApiError> {
    if path.exists() {
        let mut wb = Workbench::open(path, Some(source))?;
        wb.set_user(user);
        return Ok(wb);
    }
    let scenario = source.id.clone();
    let mut wb = Workbench::create_by(
        user,
        path,
        NewCase {
            title: format!("Demo: {scenario} (synthetic training case)"),
            investigator: "Demo analyst".to_string(),
            agency: "Tracebench training".to_string(),
            network: crate::chain::BtcNetwork::Mainnet,
        },
        Some(source),
        now,
    )?;
    let added = wb.add(seed_address, now).await?;
    wb.expand(&added.node_id, 1, now).await?;
    Ok(wb)
}

/// The canvas id of an address on the case's chain.
pub fn address_node_id(wb: &Workbench, address: &str) -> String {
    NodeRef::Address {
        chain: wb.case().meta().chain.clone(),
        address: address.to_string(),
    }
    .id()
}
