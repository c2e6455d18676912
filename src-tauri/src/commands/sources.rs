//! The Bitcoin source of the open case and the GraphSense instance, chosen in the Sources panel.
//!
//! The Bitcoin source is typed in the CLI's `--source` syntax and parsed by the same parser
//! (`api::BtcSourceSpec`): an Esplora base URL (its network, when the URL names one, must be the
//! case's), a Bitcoin Core node (`core:http://[user@]host:port`; the password comes from the OS
//! keyring or config.toml, never from the text, and is never sent to the UI; a cookie file path
//! may be given apart) or the simulator (started on loopback). A bad text is refused and the
//! source before stays. Every request of the source reports to the `fetch-progress` sink and
//! stops on `cancel_fetch`. GraphSense: a base URL, its API key from the keyring or config.toml
//! (never shown); `graphsense_lookup` stores the answers as evidence through
//! `Workbench::graphsense_lookup`.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{SecondsFormat, Utc};
use serde::Serialize;
use tauri::{AppHandle, Manager, State};
use tokio::sync::Mutex;
use tracebench_core::api::{BtcSourceSpec, SourceSpec, Workbench};
use tracebench_core::chain::BtcNetwork;
use tracebench_core::secrets::Secrets;
use tracebench_core::source::graphsense::{AddressEntity, GraphSense};
use tracebench_core::source::policy::{CancelToken, Policy};
use tracebench_core::source::{Clock, Connection};
use tracebench_sim::SimServer;

use crate::error::CommandError;
use crate::session::Session;

/// The Bitcoin connection the app made (kept to reconnect after a cancel) and GraphSense.
#[derive(Default)]
pub struct SourcesState {
    inner: Mutex<SourcesSettings>,
}

#[derive(Default)]
struct SourcesSettings {
    /// The connection given to the open case (credentials in memory only) and its case file.
    btc: Option<(PathBuf, Connection)>,
    /// A simulator the app started for a `sim:<scenario>:<seed>` source.
    sim: Option<(String, u64, SimServer)>,
    graphsense: Option<GraphSense>,
    graphsense_has_key: bool,
    /// Why the keyring could not be asked, when it could not.
    keyring_note: Option<String>,
}

/// What the Sources panel shows of the Bitcoin source: never a password.
#[derive(Debug, Clone, Serialize)]
pub struct BtcSourceView {
    /// The source id the case's fetches are recorded under; `None` when the case is offline.
    pub source_id: Option<String>,
    /// `esplora`, `bitcoin-core` or `sim`.
    pub kind: Option<String>,
    /// The case's Bitcoin network (`mainnet`, `testnet`, `signet`, `regtest`).
    pub network: String,
    /// How the network was established: `url` (the Esplora URL names it), `case` (taken to be
    /// the case's: the URL does not say, or the source is a node or the simulator).
    pub network_from: String,
    /// How a Core node is authenticated: `cookie`, `user-password`, or `none`.
    pub auth: Option<String>,
    /// Why the OS keyring could not be asked, if it could not.
    pub keyring_note: Option<String>,
}

/// What the Sources panel shows of GraphSense.
#[derive(Debug, Clone, Serialize)]
pub struct GraphSenseView {
    pub source_id: Option<String>,
    /// Whether an API key was found (keyring or config.toml); the key itself is never sent.
    pub has_key: bool,
}

/// A GraphSense answer as the details panel shows it: attributions with their source and the
/// time they were retrieved.
#[derive(Debug, Clone, Serialize)]
pub struct GraphSenseLookupView {
    #[serde(flatten)]
    pub entity: AddressEntity,
    pub retrieved_utc: String,
}

fn network_of(wb: &Workbench) -> BtcNetwork {
    BtcNetwork::from_caip2(&wb.info().chain).unwrap_or(BtcNetwork::Mainnet)
}

fn view(wb: &Workbench, s: &SourcesSettings) -> BtcSourceView {
    let source = wb.source();
    let source_id = source.map(|s| s.spec().id.clone());
    let spec = source_id
        .as_deref()
        .and_then(|id| BtcSourceSpec::parse(id).ok());
    let from_url = spec.as_ref().and_then(BtcSourceSpec::network_in_url);
    let ours = s
        .btc
        .as_ref()
        .filter(|(path, c)| *path == wb.case().path() && Some(&c.spec.id) == source_id.as_ref())
        .map(|(_, c)| c);
    BtcSourceView {
        kind: spec.as_ref().map(|p| {
            match p {
                BtcSourceSpec::Esplora { .. } => "esplora",
                BtcSourceSpec::Core { .. } => "bitcoin-core",
                BtcSourceSpec::Sim { .. } => "sim",
            }
            .to_string()
        }),
        source_id,
        network: network_of(wb).name().to_string(),
        network_from: if from_url.is_some() { "url" } else { "case" }.to_string(),
        auth: ours.filter(|c| c.spec.id.starts_with("core:")).map(|c| {
            match &c.rpc_auth {
                Some(tracebench_core::source::core_rpc::RpcAuth::Cookie(_)) => "cookie",
                Some(_) => "user-password",
                None => "none",
            }
            .to_string()
        }),
        keyring_note: s.keyring_note.clone(),
    }
}

fn secrets(session: &Session) -> Result<Secrets, CommandError> {
    Secrets::load(&session.places.config_dir)
        .map_err(|e| CommandError::invalid(format!("the secrets file could not be read: {e}")))
}

/// The connection `wb` fetches through now, rebuilt with the app's progress sink and a fresh
/// cancel token. Only an Esplora or simulator source (no credentials) is rebuilt from its spec;
/// a node the app connected keeps its credentials from `kept`.
fn wired(wb: &Workbench, kept: Option<&Connection>, app: &AppHandle) -> Option<Connection> {
    let spec = wb.source()?.spec().clone();
    let base = match kept.filter(|c| c.spec.id == spec.id) {
        Some(c) => c.clone(),
        None if spec.id.starts_with("core:") => return None,
        None => Connection::new(spec),
    };
    Some(Connection {
        cancel: CancelToken::new(),
        progress: Some(super::evm::progress_sink(app.clone())),
        ..base
    })
}

/// The open case's Bitcoin source. Its requests are wired to the progress bar and the cancel
/// button here, so the UI calls this whenever a case opens.
#[tauri::command]
pub async fn btc_source(
    app: AppHandle,
    session: State<'_, Session>,
    sources: State<'_, SourcesState>,
    evm: State<'_, super::evm::EvmState>,
) -> Result<BtcSourceView, CommandError> {
    let offline = evm.offline().await;
    let mut s = sources.inner.lock().await;
    let mut case = session.case().await;
    let wb = case.as_mut().ok_or_else(CommandError::no_case)?;
    let wired_now = wb
        .source()
        .is_some_and(|src| src.gate().progress_sink().is_some());
    if !wired_now && !offline {
        if let Some(conn) = wired(wb, s.btc.as_ref().map(|(_, c)| c), &app) {
            wb.connect_source(Some(conn.clone()));
            s.btc = Some((wb.case().path().to_path_buf(), conn));
        }
    }
    Ok(view(wb, &s))
}

/// Sets the open case's Bitcoin source from its text (`https://…` Esplora,
/// `core:http://[user@]host:port`, `sim:<scenario>:<seed>`), with an optional cookie file for a
/// node. A bad text, a password in the text, or a network other than the case's is refused and
/// the source before stays. Applies to every add and expansion from then on.
#[tauri::command]
pub async fn set_btc_source(
    app: AppHandle,
    session: State<'_, Session>,
    sources: State<'_, SourcesState>,
    evm: State<'_, super::evm::EvmState>,
    spec: String,
    cookie: Option<String>,
) -> Result<BtcSourceView, CommandError> {
    let parsed = BtcSourceSpec::parse(&spec).map_err(|e| CommandError::invalid(e.to_string()))?;
    if parsed.has_password_in_url() {
        return Err(CommandError::invalid(format!(
            "the source text holds a password: give {} without it and store the password with `tracebench secret set {}.rpc_password` or in config.toml",
            parsed.source_id(),
            parsed.source_id()
        )));
    }
    let cookie = match cookie.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(_) if !matches!(parsed, BtcSourceSpec::Core { .. }) => {
            return Err(CommandError::invalid(
                "a cookie file is for a Bitcoin Core node (core:http://…) only",
            ))
        }
        Some(c) => {
            let path = PathBuf::from(c);
            if !path.is_file() {
                return Err(CommandError::invalid(format!(
                    "the cookie file {c} does not exist (Bitcoin Core writes <datadir>/.cookie while it runs)"
                )));
            }
            Some(path)
        }
    };
    let offline = evm.offline().await;
    let mut s = sources.inner.lock().await;
    let mut case = session.case().await;
    let wb = case.as_mut().ok_or_else(CommandError::no_case)?;
    parsed
        .check_network(network_of(wb))
        .map_err(|e| CommandError::invalid(e.to_string()))?;
    let connection = match &parsed {
        BtcSourceSpec::Sim { scenario, seed } => {
            let kind: tracebench_sim::ScenarioKind = scenario
                .parse()
                .map_err(|e| CommandError::invalid(format!("{e}")))?;
            if s.sim.as_ref().map(|(k, n, _)| (k.as_str(), *n)) != Some((scenario, *seed)) {
                let chain = Arc::new(tracebench_sim::generate(kind, *seed));
                let server = tracebench_sim::serve(chain, ([127, 0, 0, 1], 0).into())
                    .map_err(CommandError::demo)?;
                s.sim = Some((scenario.clone(), *seed, server));
            }
            let url = s.sim.as_ref().map(|(_, _, server)| server.url());
            Connection::new(SourceSpec {
                id: parsed.source_id(),
                base_url: url.unwrap_or_default(),
            })
        }
        _ => {
            let secrets = secrets(&session)?;
            let conn = parsed
                .connection(&secrets, cookie)
                .ok_or_else(|| CommandError::invalid("this source cannot be connected"))?;
            s.keyring_note = secrets.keyring_note();
            conn
        }
    };
    let conn = Connection {
        progress: Some(super::evm::progress_sink(app)),
        cancel: CancelToken::new(),
        ..connection
    };
    // A settings change of the case: audited before it takes effect (secrets never in it).
    wb.record_source_setting(
        "bitcoin",
        Some((
            &parsed.source_id(),
            &tracebench_core::source::redact_url(&parsed.describe()),
        )),
        chrono::Utc::now(),
    )?;
    wb.connect_source(Some(conn.clone()));
    if offline {
        wb.set_offline(true);
    }
    s.btc = Some((wb.case().path().to_path_buf(), conn));
    Ok(view(wb, &s))
}

/// Stops the Bitcoin fetch under way (what finished before is kept under the core's rule) and
/// reconnects the source with a fresh cancel token once the fetch has let go of the case.
pub async fn cancel_btc(app: &AppHandle) {
    let sources = app.state::<SourcesState>();
    let token = {
        let s = sources.inner.lock().await;
        s.btc.as_ref().map(|(_, c)| c.cancel.clone())
    };
    let Some(token) = token else { return };
    token.cancel();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let session = app.state::<Session>();
        let sources = app.state::<SourcesState>();
        let evm = app.state::<super::evm::EvmState>();
        let offline = evm.offline().await;
        let mut s = sources.inner.lock().await;
        let mut case = session.case().await;
        let (Some(wb), Some((path, conn))) = (case.as_mut(), s.btc.as_mut()) else {
            return;
        };
        if wb.case().path() != path.as_path() || !conn.cancel.is_cancelled() {
            return;
        }
        conn.cancel = CancelToken::new();
        wb.connect_source(Some(conn.clone()));
        if offline {
            wb.set_offline(true);
        }
    });
}

/// The GraphSense instance set.
#[tauri::command]
pub async fn graphsense_source(
    sources: State<'_, SourcesState>,
) -> Result<GraphSenseView, CommandError> {
    let s = sources.inner.lock().await;
    Ok(graphsense_view(&s))
}

fn graphsense_view(s: &SourcesSettings) -> GraphSenseView {
    GraphSenseView {
        source_id: s.graphsense.as_ref().map(|g| g.spec().id.clone()),
        has_key: s.graphsense.is_some() && s.graphsense_has_key,
    }
}

/// Sets the GraphSense REST base URL (`""` clears it); the API key is looked up in the keyring
/// (`graphsense:<url>.api_key`), then config.toml. A bad URL is refused and the one before stays.
#[tauri::command]
pub async fn set_graphsense(
    session: State<'_, Session>,
    sources: State<'_, SourcesState>,
    url: String,
) -> Result<GraphSenseView, CommandError> {
    let mut s = sources.inner.lock().await;
    let url = url.trim().trim_end_matches('/');
    if url.is_empty() {
        s.graphsense = None;
        return Ok(graphsense_view(&s));
    }
    let host = url
        .split_once("://")
        .filter(|(scheme, _)| *scheme == "http" || *scheme == "https")
        .map(|(_, rest)| rest.split('/').next().unwrap_or_default());
    if host.is_none_or(str::is_empty) || url.chars().any(char::is_whitespace) {
        return Err(CommandError::invalid(format!(
            "{url:?} is not a GraphSense REST base URL (http:// or https://, e.g. https://graphsense.example/api)"
        )));
    }
    let id = format!(
        "graphsense:{}",
        tracebench_core::source::redact_url(url).trim_end_matches('/')
    );
    if tracebench_core::source::redact_url(url) != url {
        return Err(CommandError::invalid(
            "the GraphSense URL holds a password: store the API key with `tracebench secret set graphsense:<url>.api_key` or in config.toml",
        ));
    }
    let secrets = secrets(&session)?;
    let key = secrets.api_key(&id);
    if let Some(wb) = session.case().await.as_mut() {
        wb.record_source_setting("graphsense", Some((&id, &id)), chrono::Utc::now())?;
    }
    s.keyring_note = secrets.keyring_note().or(s.keyring_note.take());
    s.graphsense_has_key = key.is_some();
    s.graphsense = Some(GraphSense::connect(
        SourceSpec {
            id,
            base_url: url.to_string(),
        },
        key,
        Policy::default(),
        Clock::system(),
    ));
    Ok(graphsense_view(&s))
}

/// Asks GraphSense about a Bitcoin address node (`btc:addr:<address>`) of the open case and
/// stores its three answers as evidence (audited); on any failure nothing is stored.
#[tauri::command]
pub async fn graphsense_lookup(
    session: State<'_, Session>,
    sources: State<'_, SourcesState>,
    evm: State<'_, super::evm::EvmState>,
    node_id: String,
) -> Result<GraphSenseLookupView, CommandError> {
    let address = node_id
        .strip_prefix("btc:addr:")
        .filter(|a| !a.is_empty())
        .ok_or_else(|| {
            CommandError::invalid(format!(
                "GraphSense is asked about Bitcoin mainnet addresses only; {node_id} is not one"
            ))
        })?
        .to_string();
    if evm.offline().await {
        return Err(CommandError::invalid(
            "offline: GraphSense is not asked while the offline switch is on",
        ));
    }
    let graphsense = sources
        .inner
        .lock()
        .await
        .graphsense
        .clone()
        .ok_or_else(|| {
            CommandError::invalid("no GraphSense instance is set: give its base URL under Sources")
        })?;
    let mut case = session.case().await;
    let wb = case.as_mut().ok_or_else(CommandError::no_case)?;
    let now = Utc::now();
    let entity = wb
        .graphsense_lookup(&graphsense, "btc", &address, now)
        .await?;
    Ok(GraphSenseLookupView {
        entity,
        retrieved_utc: now.to_rfc3339_opts(SecondsFormat::Secs, true),
    })
}
