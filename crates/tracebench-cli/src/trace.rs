//! `tracebench trace`, `tracebench peel` and `tracebench paths <a> <b>`: taint tracing, peel
//! chains and paths over the transactions of a case (read only; nothing is fetched), except
//! `trace --fetch`, which fetches what the trace lacks within its hop limit and stores it.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use anyhow::Context;
use clap::Args;
use tracebench_core::analysis::account_trace::{self, AccountTrace};
use tracebench_core::analysis::paths::{self, Endpoint, Paths};
use tracebench_core::analysis::peel::{self, PeelChain, PeelIndex};
use tracebench_core::analysis::trace::{self, TaintModel, Trace, TraceDirection, TraceStart};
use tracebench_core::analysis::Profile;
use tracebench_core::api::{FetchedTrace, TraceFetchRequest, DEFAULT_FETCH_LIMIT};
use tracebench_core::graph::TxGraph;
use tracebench_core::model::{format_btc, Tx};

use crate::flags::Cli;

#[derive(Debug, Args)]
pub struct TraceArgs {
    /// `<txid>:<vout>` (one output) or an address (every output it received in the case).
    pub start: String,
    /// poison, haircut or fifo.
    #[arg(long, default_value = "haircut", value_parser = ["poison", "haircut", "fifo"])]
    pub model: String,
    /// How many transactions to pass through.
    #[arg(long, default_value_t = 6)]
    pub hops: u32,
    /// Trace where the funds came from instead of where they went.
    #[arg(long)]
    pub backward: bool,
    /// The EVM chain an account start (`0x` address) is traced on; a transfer id
    /// `eip155:<chain>:<txhash>:<logIndex>` names its own.
    #[arg(long, default_value = "eip155:1", value_name = "CAIP-2")]
    pub chain: String,
    /// Fetch from the source, hop by hop, the transactions the trace lacks within the hop
    /// limit (spenders of unresolved outputs; backward, their creators) and store them in the
    /// case with provenance.
    #[arg(long)]
    pub fetch: bool,
    /// With --fetch: fetch at most this many transactions.
    #[arg(long, default_value_t = DEFAULT_FETCH_LIMIT, requires = "fetch", value_name = "N")]
    pub fetch_limit: usize,
}

/// An account-model start: a transfer id, or a `0x` address (on `chain`).
fn account_chain(start: &TraceStart, chain: &str) -> Option<String> {
    match start {
        TraceStart::Transfer { chain, .. } => Some(chain.clone()),
        TraceStart::Address(a)
            if a.len() == 42
                && a.starts_with("0x")
                && a[2..].chars().all(|c| c.is_ascii_hexdigit()) =>
        {
            Some(chain.to_string())
        }
        _ => None,
    }
}

#[derive(Debug, Args)]
pub struct PeelArgs {
    /// A peeling-chain txid, or an address (the earliest peel spending from it).
    pub start: String,
    /// At most this many transactions.
    #[arg(long, default_value_t = 100)]
    pub max_depth: u32,
    /// Stop when the chain pays this address (a labelled service); repeatable.
    #[arg(long = "stop-address", value_name = "ADDRESS")]
    pub stop_addresses: Vec<String>,
}

#[derive(Debug, Args)]
pub struct PathsArgs {
    /// From this address, or `cluster:<addr>` (the entity holding addr) (with TO: paths between
    /// them; without: where Tracebench keeps its data).
    pub from: Option<String>,
    /// To this address or `cluster:<addr>`.
    pub to: Option<String>,
    /// Longest simple path listed, in transactions.
    #[arg(long, default_value_t = 6)]
    pub max_hops: u32,
    /// The clustering that resolves `cluster:<addr>` (the case's vetoes applied):
    /// conservative, all or FILE.toml.
    #[arg(long, default_value = "conservative", value_name = "PROFILE")]
    pub profile: String,
}

impl PathsArgs {
    /// True when two addresses were given (a path search, not the data directories).
    pub fn is_search(&self) -> bool {
        self.from.is_some()
    }
}

fn case_txs(cli: &Cli) -> anyhow::Result<Vec<Tx>> {
    let path = crate::case_path(cli)?;
    let wb = crate::open_case(path, None)?;
    Ok(wb.case().all_txs()?)
}

pub fn run_trace(cli: &Cli, args: &TraceArgs) -> anyhow::Result<()> {
    let model = TaintModel::parse(&args.model)
        .with_context(|| format!("unknown model {:?}: poison, haircut or fifo", args.model))?;
    let direction = if args.backward {
        TraceDirection::Backward
    } else {
        TraceDirection::Forward
    };
    let start = TraceStart::parse(&args.start);
    if args.fetch {
        return run_fetching_trace(cli, args, start, model, direction);
    }
    if let Some(chain) = account_chain(&start, &args.chain) {
        let wb = crate::open_case(crate::case_path(cli)?, None)?;
        let transfers = wb.case().account_transfers(&chain)?;
        let t = account_trace::trace_accounts(&transfers, &start, model, direction, args.hops)?;
        return crate::print(cli, &t, || describe_account_trace(&chain, &t));
    }
    let txs = case_txs(cli)?;
    let t = trace::trace(&txs, &start, model, direction, args.hops)?;
    crate::print(cli, &t, || describe_trace(&t))
}

/// `trace --fetch`: the trace over the case completed from the source.
fn run_fetching_trace(
    cli: &Cli,
    args: &TraceArgs,
    start: TraceStart,
    model: TaintModel,
    direction: TraceDirection,
) -> anyhow::Result<()> {
    if cli.offline {
        anyhow::bail!(
            "--fetch and --offline contradict each other: --offline answers only from the case, \
             --fetch asks the source for what the case lacks; drop one of them"
        );
    }
    if account_chain(&start, &args.chain).is_some() {
        anyhow::bail!(
            "--fetch follows Bitcoin outputs; {} is an account-model start, traced over the case only (drop --fetch)",
            args.start
        );
    }
    if args.fetch_limit == 0 {
        anyhow::bail!("--fetch-limit must be at least 1 transaction");
    }
    let path = crate::case_path(cli)?;
    let (mut wb, _sim) = crate::source::open(path, cli)?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let req = TraceFetchRequest {
        start,
        model,
        direction,
        max_hops: args.hops,
        fetch_limit: args.fetch_limit,
    };
    let t = rt.block_on(wb.trace_fetching(&req, chrono::Utc::now()))?;
    crate::print(cli, &t, || describe_fetched_trace(&t))
}

fn describe_fetched_trace(f: &FetchedTrace) -> String {
    let r = &f.fetch;
    let mut s = describe_trace(&f.trace);
    let _ = write!(
        s,
        "\n\nfetched from {}: {} transaction(s) in {} round(s), {} raw response(s) stored; \
         unresolved outputs {} before, {} after",
        r.source,
        r.fetched_txids.len(),
        r.rounds,
        r.raw_responses.len(),
        r.unresolved_before,
        f.trace.conservation.unresolved_outputs
    );
    for txid in &r.fetched_txids {
        let _ = write!(s, "\n  fetched {txid}");
    }
    for o in &r.unspent {
        let _ = write!(s, "\n  unspent (nothing to follow) {o}");
    }
    for o in &r.still_unresolved {
        let _ = write!(
            s,
            "\n  still unresolved (last hop, failed or over the limit) {o}"
        );
    }
    if r.limit_reached {
        let _ = write!(
            s,
            "\nstopped at the fetch limit of {} transaction(s): raise --fetch-limit to go on",
            r.fetch_limit
        );
    }
    for x in &r.failed {
        let _ = write!(s, "\nfailed (kept the rest): {}: {}", x.what, x.error);
    }
    s
}

fn describe_account_trace(chain: &str, t: &AccountTrace) -> String {
    let mut s = format!(
        "{} trace on {chain}, {}, up to {} hop(s); read from the case only\nseeds: {}\n",
        t.model.as_str(),
        match t.direction {
            TraceDirection::Forward => "forward",
            TraceDirection::Backward => "backward",
        },
        t.max_hops,
        t.seeds.join(", ")
    );
    for a in &t.assets {
        let _ = writeln!(s, "\n{} (base units)", a.asset);
        for x in &a.addresses {
            let _ = writeln!(
                s,
                "  {:>3}  {}  received {}  remaining {}  held at the hop limit {}",
                x.hop, x.address, x.received, x.remaining, x.held_at_hop_limit
            );
        }
        let c = &a.conservation;
        let _ = writeln!(
            s,
            "  seeded {} = unresolved {} ({} address(es)) + held at the hop limit {}: {}",
            c.seeded,
            c.unresolved,
            c.unresolved_addresses,
            c.held_at_hop_limit,
            if c.balanced {
                "balanced"
            } else {
                "not balanced (poison taints whole transfers)"
            }
        );
    }
    s
}

fn describe_trace(t: &Trace) -> String {
    let mut s = format!(
        "{} trace, {}, up to {} hop(s); {}\n",
        t.model.as_str(),
        match t.direction {
            TraceDirection::Forward => "forward",
            TraceDirection::Backward => "backward",
        },
        t.max_hops,
        if t.offline {
            "read from the case only (no fetching)"
        } else {
            "over the case, completed from the source (--fetch)"
        }
    );
    for src in &t.sources {
        let _ = writeln!(
            s,
            "source {} {} BTC{}",
            src.outpoint,
            format_btc(src.value),
            src.address
                .as_ref()
                .map(|a| format!(" ({a})"))
                .unwrap_or_default()
        );
    }
    s.push_str("\noutputs reached (hop, outpoint, address, tainted / value, status):\n");
    for o in &t.outputs {
        let _ = writeln!(
            s,
            "  {:>3}  {}  {}  {} / {} BTC  {:?}",
            o.hop,
            o.outpoint,
            o.address.as_deref().unwrap_or("-"),
            format_btc(o.tainted),
            format_btc(o.value),
            o.status
        );
    }
    s.push_str("\naddresses (nearest hop, tainted received):\n");
    for a in &t.addresses {
        let _ = writeln!(
            s,
            "  {:>3}  {}  {} BTC in {} output(s)",
            a.hop,
            a.address,
            format_btc(a.tainted),
            a.outputs
        );
    }
    let c = &t.conservation;
    let _ = write!(
        s,
        "\nseeded {} BTC = fees {} + held at the hop limit {} + unresolved {} ({} output(s)) + coinbase {}: {}",
        format_btc(c.seeded),
        format_btc(c.fees),
        format_btc(c.held_at_hop_limit),
        format_btc(c.unresolved),
        c.unresolved_outputs,
        format_btc(c.coinbase),
        if c.balanced {
            "balanced"
        } else {
            "not balanced (poison taints whole outputs)"
        }
    );
    s
}

pub fn run_peel(cli: &Cli, args: &PeelArgs) -> anyhow::Result<()> {
    let txs = case_txs(cli)?;
    let index = PeelIndex::new(&txs);
    let is_txid = args.start.len() == 64 && args.start.chars().all(|c| c.is_ascii_hexdigit());
    let start = if is_txid {
        args.start.to_ascii_lowercase()
    } else {
        peel::start_for_address(&index, &args.start)?
    };
    let stops: BTreeSet<String> = args.stop_addresses.iter().cloned().collect();
    let chain = peel::follow(&index, &start, args.max_depth, &stops)?;
    crate::print(cli, &chain, || describe_peel(&chain))
}

fn describe_peel(c: &PeelChain) -> String {
    let mut s = format!(
        "peel chain from {}: {} transaction(s), {} payment(s) totalling {} BTC\n",
        c.start,
        c.steps.len(),
        c.payments.len(),
        format_btc(c.total_peeled())
    );
    for st in &c.steps {
        let _ = writeln!(
            s,
            "  hop {:>3}  {}  continues via {}",
            st.hop,
            st.txid,
            match (st.continuing, &st.continuing_address, st.continuing_value) {
                (Some(v), a, Some(value)) => format!(
                    "vout {v} ({}, {} BTC)",
                    a.as_deref().unwrap_or("-"),
                    format_btc(value)
                ),
                _ => "-".to_string(),
            }
        );
    }
    s.push_str("payments:\n");
    for p in &c.payments {
        let _ = writeln!(
            s,
            "  hop {:>3}  {}:{}  {}  {} BTC",
            p.hop,
            p.txid,
            p.vout,
            p.address.as_deref().unwrap_or("-"),
            format_btc(p.amount)
        );
    }
    for p in &c.undetermined {
        let _ = writeln!(
            s,
            "  undetermined  {}:{}  {}  {} BTC",
            p.txid,
            p.vout,
            p.address.as_deref().unwrap_or("-"),
            format_btc(p.amount)
        );
    }
    let _ = write!(s, "stopped: {:?}: {}", c.stop, c.stop_reason);
    s
}

pub fn run_paths(cli: &Cli, args: &PathsArgs) -> anyhow::Result<()> {
    let (Some(from), Some(to)) = (&args.from, &args.to) else {
        anyhow::bail!("paths between addresses need two: tracebench paths <from> <to>");
    };
    let wb = crate::open_case(crate::case_path(cli)?, None)?;
    let txs = wb.case().all_txs()?;
    let graph = TxGraph::build(&txs);
    let (from, to) = if from.starts_with("cluster:") || to.starts_with("cluster:") {
        let clustering = wb.clusters_with(&Profile::resolve(&args.profile)?)?;
        (
            Endpoint::resolve(from, &clustering),
            Endpoint::resolve(to, &clustering),
        )
    } else {
        (Endpoint::address(from), Endpoint::address(to))
    };
    let p = paths::paths_between(&graph, &from, &to, args.max_hops)?;
    crate::print(cli, &p, || describe_paths(&p))
}

fn describe_paths(p: &Paths) -> String {
    let mut s = format!("paths from {} to {}\n", p.from, p.to);
    for (id, members) in [(&p.from, &p.from_members), (&p.to, &p.to_members)] {
        if members.len() > 1 || members.first() != Some(id) {
            let _ = writeln!(s, "{id}: {}", members.join(", "));
        }
    }
    match &p.shortest {
        Some(sh) => {
            let _ = writeln!(s, "shortest: {} hop(s)", sh.hops);
            for (k, a) in sh.addresses.iter().enumerate() {
                let _ = writeln!(s, "  {a}");
                if let Some(t) = sh.txids.get(k) {
                    let _ = writeln!(s, "    via tx {t}");
                }
            }
        }
        None => s.push_str("shortest: no path\n"),
    }
    let _ = writeln!(
        s,
        "simple paths up to {} hop(s): {}{}",
        p.max_hops,
        p.all.len(),
        if p.truncated { " (truncated)" } else { "" }
    );
    for path in &p.all {
        let _ = writeln!(s, "  {} hop(s): {}", path.hops, path.addresses.join(" → "));
    }
    let _ = write!(
        s,
        "maximum flow: {} BTC over {} edge(s)",
        format_btc(p.max_flow.value),
        p.max_flow.edges.len()
    );
    s
}
