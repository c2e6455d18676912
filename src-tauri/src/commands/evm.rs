//! EVM chains, the offline switch and fetch progress in the app: which EVM source to ask (the
//! CLI's `--source` syntax; the Etherscan key comes from the OS keyring or `config.toml` and is
//! never shown), a `0x…` address or transaction added and expanded through it, account-model
//! tracing from the trace panel, and one switch that makes every source (Bitcoin and EVM) cache-only. Every
//! request's gate reports to a sink that is forwarded to the UI as `fetch-progress` events.

use std::sync::Arc;

use chrono::Utc;
use serde::Serialize;
use tauri::{AppHandle, Emitter, State};
use tokio::sync::Mutex;
use tracebench_core::analysis::trace::TraceDirection;
use tracebench_core::api::{
    etherscan_key, EvmAddOutcome, EvmConnection, EvmSourceSpec, EvmTraceView, PageOutcome,
    DEFAULT_EVM_FETCH_LIMIT, MAX_PAGE_LIMIT,
};
use tracebench_core::chain::EvmChain;
use tracebench_core::secrets::Secrets;
use tracebench_core::source::policy::{ProgressEvent, ProgressSink};
use tracebench_core::source::Clock;
use tracebench_sim::evm::{generate_evm, serve_evm, EvmServeOptions};
use tracebench_sim::SimServer;

use crate::error::CommandError;
use crate::session::Session;

/// The event the UI's progress bar listens to.
pub const PROGRESS_EVENT: &str = "fetch-progress";

/// The EVM source and the offline switch (managed state apart from the open case).
#[derive(Default)]
pub struct EvmState {
    inner: Mutex<EvmSettings>,
}

impl EvmState {
    /// Whether the offline switch is on.
    pub async fn offline(&self) -> bool {
        self.inner.lock().await.offline
    }
}

#[derive(Default)]
struct EvmSettings {
    connection: Option<EvmConnection>,
    /// The simulator the app started for a `sim:evm-usdt:<seed>` source without a URL.
    sim: Option<(u64, SimServer)>,
    offline: bool,
}

/// What the sources setting shows: never a key.
#[derive(Debug, Clone, Serialize)]
pub struct EvmSourceView {
    /// The source as text (secrets in its URL as `***`); `None` when none is set.
    pub spec: Option<String>,
    /// Provenance id, e.g. `etherscan:56` or `sim:evm-usdt:1`.
    pub source_id: Option<String>,
    /// CAIP-2 and name of its chain.
    pub chain: Option<String>,
    pub chain_name: Option<String>,
    /// Whether an API key was found in config.toml for it (the key itself is never sent).
    pub has_key: bool,
    pub offline: bool,
}

fn view(s: &EvmSettings) -> EvmSourceView {
    let spec = s.connection.as_ref().map(|c| &c.spec);
    EvmSourceView {
        spec: spec.map(EvmSourceSpec::describe),
        source_id: spec.map(EvmSourceSpec::source_id),
        chain: spec.map(|p| p.chain().caip2()),
        chain_name: spec.map(|p| p.chain().name().to_string()),
        has_key: s.connection.as_ref().is_some_and(EvmConnection::has_key),
        offline: s.offline,
    }
}

pub(crate) fn progress_sink(app: AppHandle) -> ProgressSink {
    Arc::new(move |event: ProgressEvent| {
        // A closed window cannot be told; the fetch goes on regardless.
        let _ = app.emit(PROGRESS_EVENT, &event);
    })
}

/// The EVM source now set, and the offline switch.
#[tauri::command]
pub async fn evm_source(evm: State<'_, EvmState>) -> Result<EvmSourceView, CommandError> {
    Ok(view(&*evm.inner.lock().await))
}

/// Sets the EVM source from its text (`etherscan:<chainid>[=<base_url>]`,
/// `evm-rpc:<chainid>=<url>`, `sim:evm-usdt:<seed>[=<url>]`); an empty text clears it. A bad
/// text is refused and the source set before stays.
#[tauri::command]
pub async fn set_evm_source(
    app: AppHandle,
    session: State<'_, Session>,
    evm: State<'_, EvmState>,
    spec: String,
) -> Result<EvmSourceView, CommandError> {
    if spec.trim().is_empty() {
        // Audited first, without holding the EVM state (a running fetch holds the case, and
        // its cancel needs the EVM state).
        if let Some(wb) = session.case().await.as_mut() {
            wb.record_source_setting("evm", None, Utc::now())?;
        }
        let mut s = evm.inner.lock().await;
        s.connection = None;
        return Ok(view(&s));
    }
    let mut s = evm.inner.lock().await;
    let parsed = EvmSourceSpec::parse(&spec).map_err(tracebench_core::api::ApiError::from)?;
    let sim_url = match &parsed {
        EvmSourceSpec::Sim { seed, url: None } => {
            if s.sim.as_ref().map(|(k, _)| *k) != Some(*seed) {
                let server = serve_evm(
                    Arc::new(generate_evm(*seed)),
                    ([127, 0, 0, 1], 0).into(),
                    EvmServeOptions::default(),
                )
                .map_err(CommandError::demo)?;
                s.sim = Some((*seed, server));
            }
            s.sim.as_ref().map(|(_, server)| server.url())
        }
        _ => None,
    };
    let key = match &parsed {
        EvmSourceSpec::Etherscan { chain, .. } => {
            // The keyring's `etherscan:<chainid>.api_key` or `etherscan.api_key`, else config.toml.
            let secrets = Secrets::load(&session.places.config_dir).map_err(|e| {
                CommandError::invalid(format!("the secrets file could not be read: {e}"))
            })?;
            [
                format!("etherscan:{}", chain.chain_id()),
                "etherscan".to_string(),
            ]
            .iter()
            .find_map(|id| keyring_key(id))
            .or_else(|| etherscan_key(secrets.config(), *chain))
        }
        _ => None,
    };
    let conn = EvmConnection::open(parsed, sim_url, key, Clock::system())
        .map_err(tracebench_core::api::ApiError::from)?
        .with_progress(progress_sink(app));
    let (source_id, described) = (conn.spec.source_id(), conn.spec.describe());
    s.connection = Some(conn);
    let shown = view(&s);
    // A settings change of the case, audited (never the key) once the EVM state is released: a
    // running fetch holds the case, and its cancel needs the EVM state.
    drop(s);
    if let Some(wb) = session.case().await.as_mut() {
        wb.record_source_setting("evm", Some((&source_id, &described)), Utc::now())?;
    }
    Ok(shown)
}

/// An API key from the OS keyring alone (config.toml is asked after, by `etherscan_key`).
fn keyring_key(source_id: &str) -> Option<String> {
    let name = tracebench_core::secrets::secret_name(source_id, "api_key");
    tracebench_core::secrets::Keyring::default()
        .get(&name)
        .ok()
        .flatten()
        .filter(|k| !k.trim().is_empty())
}

/// The offline switch: on, every add, expansion and trace answers from the case alone.
#[tauri::command]
pub async fn set_offline(
    session: State<'_, Session>,
    evm: State<'_, EvmState>,
    offline: bool,
) -> Result<EvmSourceView, CommandError> {
    // Audited first, without holding the EVM state (see `set_evm_source`).
    if let Some(wb) = session.case().await.as_mut() {
        wb.record_offline_setting(offline, Utc::now())?;
    }
    let mut s = evm.inner.lock().await;
    s.offline = offline;
    session.set_offline(offline).await;
    Ok(view(&s))
}

/// Stops the fetches under way, EVM and Bitcoin; the next fetch starts afresh.
#[tauri::command]
pub async fn cancel_fetch(app: AppHandle, evm: State<'_, EvmState>) -> Result<(), CommandError> {
    {
        let mut s = evm.inner.lock().await;
        if let Some(c) = &mut s.connection {
            c.cancel_token().cancel();
            c.reset_cancel();
        }
    }
    super::sources::cancel_btc(&app).await;
    Ok(())
}

/// The connection to fetch through: `None` offline.
async fn connection(evm: &EvmState) -> Option<EvmConnection> {
    let s = evm.inner.lock().await;
    if s.offline {
        None
    } else {
        s.connection.clone()
    }
}

/// Adds a `0x…` address or transaction hash (EIP-55 checked) through the EVM source.
#[tauri::command]
pub async fn evm_add(
    session: State<'_, Session>,
    evm: State<'_, EvmState>,
    query: String,
) -> Result<EvmAddOutcome, CommandError> {
    let conn = connection(&evm).await;
    if conn.is_none() && !evm.inner.lock().await.offline {
        // Online without a source: say which setting is missing rather than "not in the case".
        tracebench_core::address::EvmQuery::parse(query.trim())
            .map_err(|e| CommandError::invalid(e.to_string()))?;
        return Err(CommandError::invalid(
            "no EVM source is set: choose one under Sources (Etherscan, a node's JSON-RPC or the simulator)",
        ));
    }
    let mut case = session.case().await;
    let workbench = case.as_mut().ok_or_else(CommandError::no_case)?;
    Ok(workbench
        .add_evm(query.trim(), conn.as_ref(), Utc::now())
        .await?)
}

/// Shows the next page of an EVM node's neighbours.
#[tauri::command]
pub async fn evm_expand_page(
    session: State<'_, Session>,
    evm: State<'_, EvmState>,
    node_id: String,
    offset: u32,
    limit: u32,
) -> Result<PageOutcome, CommandError> {
    if !(1..=MAX_PAGE_LIMIT).contains(&limit) {
        return Err(CommandError::invalid(format!(
            "the expansion limit must be 1 to {MAX_PAGE_LIMIT} (got {limit})"
        )));
    }
    let conn = connection(&evm).await;
    let mut case = session.case().await;
    let workbench = case.as_mut().ok_or_else(CommandError::no_case)?;
    Ok(workbench
        .expand_evm_page(&node_id, offset, limit, conn.as_ref(), Utc::now())
        .await?)
}

/// Account-model tracing from an EVM address or transfer id, fetching the histories the taint
/// reaches while online.
#[tauri::command]
pub async fn evm_trace(
    session: State<'_, Session>,
    evm: State<'_, EvmState>,
    start: String,
    model: String,
    hops: u32,
    backward: bool,
) -> Result<EvmTraceView, CommandError> {
    let model = super::analysis::trace_parameters(&model, hops)?;
    let conn = connection(&evm).await;
    let chain = {
        let s = evm.inner.lock().await;
        s.connection
            .as_ref()
            .map_or(EvmChain::ETHEREUM, |c| c.spec.chain())
    };
    let direction = if backward {
        TraceDirection::Backward
    } else {
        TraceDirection::Forward
    };
    let mut case = session.case().await;
    let workbench = case.as_mut().ok_or_else(CommandError::no_case)?;
    Ok(workbench
        .trace_evm(
            start.trim(),
            chain,
            model,
            direction,
            hops,
            conn.as_ref(),
            DEFAULT_EVM_FETCH_LIMIT,
            Utc::now(),
        )
        .await?)
}
