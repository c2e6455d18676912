//! `tracebench trace`, `tracebench peel` and `tracebench paths <a> <b>`: taint tracing, peel
//! chains and paths over the transactions of a case (read only; nothing is fetched).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use anyhow::Context;
use clap::Args;
use tracebench_core::analysis::paths::{self, Paths};
use tracebench_core::analysis::peel::{self, PeelChain, PeelIndex};
use tracebench_core::analysis::trace::{self, TaintModel, Trace, TraceDirection, TraceStart};
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
    /// From this address (with TO: paths between two addresses; without: where Tracebench keeps
    /// its data).
    pub from: Option<String>,
    /// To this address.
    pub to: Option<String>,
    /// Longest simple path listed, in transactions.
    #[arg(long, default_value_t = 6)]
    pub max_hops: u32,
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
    let txs = case_txs(cli)?;
    let model = TaintModel::parse(&args.model)
        .with_context(|| format!("unknown model {:?}: poison, haircut or fifo", args.model))?;
    let direction = if args.backward {
        TraceDirection::Backward
    } else {
        TraceDirection::Forward
    };
    let t = trace::trace(
        &txs,
        &TraceStart::parse(&args.start),
        model,
        direction,
        args.hops,
    )?;
    crate::print(cli, &t, || describe_trace(&t))
}

fn describe_trace(t: &Trace) -> String {
    let mut s = format!(
        "{} trace, {}, up to {} hop(s); read from the case only (no fetching)\n",
        t.model.as_str(),
        match t.direction {
            TraceDirection::Forward => "forward",
            TraceDirection::Backward => "backward",
        },
        t.max_hops
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
    let txs = case_txs(cli)?;
    let graph = TxGraph::build(&txs);
    let p = paths::paths(&graph, from, to, args.max_hops)?;
    crate::print(cli, &p, || describe_paths(&p))
}

fn describe_paths(p: &Paths) -> String {
    let mut s = format!("paths from {} to {}\n", p.from, p.to);
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
