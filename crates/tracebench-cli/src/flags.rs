//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Tracebench: follow funds across blockchains and turn the trail into court-ready evidence.
#[derive(Debug, Parser)]
#[command(name = "tracebench", version, about)]
pub struct Cli {
    /// The case file (.tbcase) to work on.
    #[arg(long, global = true, value_name = "FILE")]
    pub case: Option<PathBuf>,
    /// Print results as JSON.
    #[arg(long, global = true)]
    pub json: bool,
    /// Where to fetch from: an Esplora base URL (https://mempool.space/api), a Bitcoin Core
    /// node `core:http://127.0.0.1:8332` or `sim:<scenario>:<seed>` (served in-process). Default: the source the case used before,
    /// or the built-in sim `sim:ransomware:1` for a case without data.
    #[arg(long, global = true, value_name = "SOURCE")]
    pub source: Option<String>,
    /// Answer only from the case; never fetch.
    #[arg(long, global = true)]
    pub offline: bool,
    /// Bitcoin Core's cookie file for a `core:` source (else the URL's user:password, or
    /// rpc_user/rpc_password or rpc_cookie in config.toml).
    #[arg(long, global = true, value_name = "FILE")]
    pub rpc_cookie: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Case files.
    #[command(subcommand)]
    Case(CaseCommand),
    /// The secrets file config.toml (API keys, node credentials; mode 0600).
    #[command(subcommand)]
    Config(crate::source::ConfigCommand),
    /// Ask a GraphSense instance (whole-chain clustering) about an address; kept as evidence.
    #[command(subcommand)]
    Graphsense(crate::graphsense::GraphsenseCommand),
    /// API keys and node passwords in the OS keyring (values read from stdin, never printed).
    #[command(subcommand)]
    Secret(crate::secret::SecretCommand),
    /// Add an address or txid to the case's canvas.
    Add { query: String },
    /// Store a whole block (height or hash) from a Bitcoin Core node (--source core:URL) in the
    /// case: every transaction, with input values from getblock verbosity 3; not on the canvas.
    Block {
        #[arg(value_name = "HEIGHT|HASH")]
        block: String,
    },
    /// Expand an address or txid (a hop is one transaction).
    Expand {
        /// Address, txid or node id (btc:addr:…, btc:tx:…) on the canvas.
        target: String,
        #[arg(long, default_value_t = 1)]
        hops: u32,
    },
    /// Address clustering over every transaction in the case (CoinJoins excluded).
    Cluster {
        /// conservative (multi-input only), all (also the change heuristics) or FILE.toml.
        #[arg(long, default_value = "conservative", value_name = "PROFILE")]
        profile: String,
        /// Show the chain of merges (txid, heuristic, confidence) that joined two addresses.
        #[arg(long, num_args = 2, value_names = ["ADDR", "ADDR"])]
        explain: Option<Vec<String>>,
        #[command(subcommand)]
        action: Option<ClusterCommand>,
    },
    /// Analyse one transaction: CoinJoin verdict, Whirlpool Tx0, change candidates.
    #[command(subcommand)]
    Analyze(crate::analyze::AnalyzeCommand),
    /// Measure every detector and heuristic (TP/FP/FN) on the embedded real data and the sim.
    Validate,
    /// Write the court report as PDF (the case is screened against the label store first; its
    /// attributions are listed in the attribution register).
    #[command(subcommand_negates_reqs = true, args_conflicts_with_subcommands = true)]
    Report {
        #[command(subcommand)]
        action: Option<crate::report_verify::ReportCommand>,
        #[arg(long, value_name = "FILE.pdf", required = true)]
        out: Option<PathBuf>,
        /// The label store to screen against (default: <data dir>/labels.sqlite).
        #[arg(long, value_name = "STORE", conflicts_with = "no_labels")]
        labels: Option<PathBuf>,
        /// Do not screen the case; list only its exchange records as attributions.
        #[arg(long)]
        no_labels: bool,
        /// Also print the outgoing exposure of this address (repeatable).
        #[arg(long, value_name = "ADDRESS")]
        exposure: Vec<String>,
        /// Hops for --exposure.
        #[arg(long, default_value_t = 10, value_name = "N")]
        exposure_hops: u32,
        #[command(flatten)]
        exhibit: crate::exhibit::ExhibitArgs,
    },
    /// The synthetic-case simulator.
    #[command(subcommand)]
    Sim(SimCommand),
    /// Paths between two addresses in the case (shortest, all simple paths up to --max-hops,
    /// maximum flow); without addresses, where Tracebench keeps data and configuration.
    Paths(crate::trace::PathsArgs),
    /// Taint tracing from an output or an address (poison, haircut or FIFO) over the case;
    /// with --fetch, fetching what the case lacks within the hop limit.
    Trace(crate::trace::TraceArgs),
    /// Follow a peel chain from a transaction or an address, recording each payment.
    Peel(crate::trace::PeelArgs),
    /// Re-run a clustering or a trace with each heuristic toggled; list what changes.
    #[command(subcommand)]
    Sensitivity(crate::sensitivity::SensitivityCommand),
    /// Screen a file of addresses (one per line), or with --case every address of a case,
    /// against sanctions and attribution labels.
    Screen(crate::labels::ScreenArgs),
    /// Exposure of an address to each category of labelled counterparty (haircut tracing over
    /// the case, stopping at services).
    Exposure(crate::labels::ExposureArgs),
    /// Exchange records (an exchange's answer to a request) as off-chain evidence.
    #[command(subcommand)]
    Records(crate::records::RecordsCommand),
    /// Fiat price series: import a CSV with provenance, list the case's series.
    #[command(subcommand)]
    Prices(crate::prices::PricesCommand),
    /// The storyboard: list, add (a named path of the canvas), move or remove story steps.
    #[command(subcommand)]
    Story(crate::story::StoryCommand),
    /// The label store: import label files, list an address's labels, show the packs.
    #[command(subcommand)]
    Labels(crate::labels::LabelsCommand),
    /// Run the whole flow headless on the built-in sim and leave the case and its PDF in DIR.
    Demo {
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        #[command(flatten)]
        scenario: ScenarioArgs,
        /// How far to expand from the seed address.
        #[arg(long, default_value_t = 25)]
        hops: u32,
    },
}

#[derive(Debug, Subcommand)]
pub enum CaseCommand {
    /// Create a new case file at --case (default: <data dir>/cases/<title>.tbcase).
    New {
        #[arg(long)]
        title: String,
        #[arg(long, default_value = "")]
        investigator: String,
        #[arg(long, default_value = "")]
        agency: String,
        /// The Bitcoin network of the case: mainnet, testnet, signet or regtest. Addresses of
        /// another network and sources serving another network are refused.
        #[arg(long, default_value = "mainnet", value_parser = parse_network)]
        network: tracebench_core::chain::BtcNetwork,
    },
    /// Show a case's metadata and contents.
    Info,
    /// Write the case (database, every raw response, a manifest, a trailing SHA-256) to one file.
    Export {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Verify the case's audit log (changed, removed, reordered entries; a truncated tail
    /// against --expect-head) and every raw response's SHA-256, without writing to the case.
    /// Exits non-zero on any finding.
    Verify {
        /// A head hash printed earlier (by `case info` or on a report).
        #[arg(long, value_name = "HASH")]
        expect_head: Option<String>,
    },
    /// Verify a bundle completely, then write its case to --out (never over an existing file).
    Import {
        #[arg(value_name = "BUNDLE")]
        bundle: PathBuf,
        #[arg(long, value_name = "CASE.tbcase")]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum ClusterCommand {
    /// Veto the merges of a transaction (e.g. an undetected PayJoin or CoinJoin): it no longer
    /// joins any addresses. ADDR ADDR are two addresses it merged.
    Veto {
        txid: String,
        #[arg(value_name = "ADDR")]
        a: String,
        #[arg(value_name = "ADDR")]
        b: String,
        #[arg(long, default_value = "", value_name = "TEXT")]
        reason: String,
    },
    /// List the case's vetoes.
    Vetoes,
}

#[derive(Debug, Subcommand)]
pub enum SimCommand {
    /// Serve a scenario on 127.0.0.1 (Esplora REST; for evm-usdt Etherscan v2 at <url>/v2/api and
    /// JSON-RPC at POST <url>/); prints {"url": …} first.
    Serve {
        #[command(flatten)]
        scenario: ScenarioArgs,
        /// Port to bind on 127.0.0.1 (0 = a free port).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// evm-usdt only: Etherscan queries must carry apikey=KEY.
        #[arg(long, value_name = "KEY")]
        api_key: Option<String>,
    },
    /// Print a scenario's ground truth.
    Truth {
        #[command(flatten)]
        scenario: ScenarioArgs,
    },
}

#[derive(Debug, Args, Clone)]
pub struct ScenarioArgs {
    #[arg(long, default_value = "ransomware")]
    pub scenario: String,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The Bitcoin network the scenario's addresses are encoded for (mainnet, testnet, signet or
    /// regtest); the transactions are the same on every network.
    #[arg(long, default_value = "mainnet", value_parser = parse_network)]
    pub network: tracebench_core::chain::BtcNetwork,
}

fn parse_network(text: &str) -> Result<tracebench_core::chain::BtcNetwork, String> {
    tracebench_core::chain::BtcNetwork::parse(text).map_err(|e| e.to_string())
}
