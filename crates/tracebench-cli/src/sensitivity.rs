//! `tracebench sensitivity cluster|trace`: re-run a clustering or a trace with each heuristic
//! toggled and list the conclusions that change (read only; nothing is fetched).

use std::fmt::Write as _;

use anyhow::Context;
use clap::Subcommand;
use tracebench_core::analysis::sensitivity::{
    self, ClusterSensitivity, ClusterShift, DestinationChange, TraceSensitivity,
};
use tracebench_core::analysis::trace::{TaintModel, TraceDirection, TraceStart};
use tracebench_core::analysis::Profile;
use tracebench_core::model::format_btc;

use crate::flags::Cli;

#[derive(Debug, Subcommand)]
pub enum SensitivityCommand {
    /// Cluster under --profile and with each heuristic toggled: which clusters split or merge.
    Cluster {
        /// conservative (the default), all, or FILE.toml.
        #[arg(long, default_value = "conservative", value_name = "PROFILE")]
        profile: String,
    },
    /// Trace as `tracebench trace` does, then with each other taint model and stopping at the
    /// CoinJoins of each detector: which destinations gain or lose tainted value.
    Trace(crate::trace::TraceArgs),
}

pub fn run(cli: &Cli, cmd: &SensitivityCommand) -> anyhow::Result<()> {
    let path = crate::case_path(cli)?;
    match cmd {
        SensitivityCommand::Cluster { profile } => {
            let profile = Profile::resolve(profile)?;
            let wb = crate::open_case(path, None)?;
            let s = wb.cluster_sensitivity(&profile)?;
            crate::print(cli, &s, || describe_cluster(&s))
        }
        SensitivityCommand::Trace(args) => {
            let wb = crate::open_case(path, None)?;
            let txs = wb.case().all_txs()?;
            let model = TaintModel::parse(&args.model).with_context(|| {
                format!("unknown model {:?}: poison, haircut or fifo", args.model)
            })?;
            let direction = if args.backward {
                TraceDirection::Backward
            } else {
                TraceDirection::Forward
            };
            let s = sensitivity::trace_sensitivity(
                &txs,
                &TraceStart::parse(&args.start),
                model,
                direction,
                args.hops,
            )?;
            crate::print(cli, &s, || describe_trace(&s))
        }
    }
}

fn shift_lines(s: &mut String, verb: &str, shifts: &[ClusterShift]) {
    for sh in shifts {
        let _ = writeln!(
            s,
            "    {} {} into {} part(s); moved: {}",
            sh.cluster,
            verb,
            sh.parts.len(),
            sh.moved.join(", ")
        );
    }
}

fn describe_cluster(s: &ClusterSensitivity) -> String {
    let mut out = format!(
        "baseline: profile {} ({}), {} cluster(s){}\n",
        s.profile,
        s.heuristics.join(", "),
        s.clusters,
        if s.vetoed.is_empty() {
            String::new()
        } else {
            format!(", vetoed: {}", s.vetoed.join(", "))
        }
    );
    for v in &s.variants {
        let _ = writeln!(
            out,
            "{} {}: {} cluster(s), {}",
            v.toggle.heuristic,
            if v.toggle.enabled { "on" } else { "off" },
            v.clusters,
            if v.changed { "changed" } else { "no change" }
        );
        shift_lines(&mut out, "splits", &v.splits);
        for m in &v.merges {
            let _ = writeln!(
                out,
                "    {} forms from {} part(s); joined: {}",
                m.cluster,
                m.parts.len(),
                m.moved.join(", ")
            );
        }
    }
    out
}

fn change_lines(s: &mut String, sign: &str, changes: &[DestinationChange]) {
    for c in changes {
        let _ = writeln!(
            s,
            "    {sign}{} BTC  {}  ({} → {})",
            format_btc(c.amount),
            c.address,
            format_btc(c.before),
            format_btc(c.after)
        );
    }
}

fn describe_trace(s: &TraceSensitivity) -> String {
    let mut out = format!(
        "baseline: {} trace, {}, up to {} hop(s), {} destination(s); read from the case only\n",
        s.model.as_str(),
        match s.direction {
            TraceDirection::Forward => "forward",
            TraceDirection::Backward => "backward",
        },
        s.max_hops,
        s.destinations.len()
    );
    for d in &s.destinations {
        let _ = writeln!(out, "  {}  {} BTC", d.address, format_btc(d.tainted));
    }
    for v in &s.variants {
        let _ = writeln!(
            out,
            "{}: {}{}",
            v.toggle.heuristic,
            if v.changed { "changed" } else { "no change" },
            if v.stopped_at.is_empty() {
                String::new()
            } else {
                format!(" (stopped at {})", v.stopped_at.join(", "))
            }
        );
        change_lines(&mut out, "+", &v.gains);
        change_lines(&mut out, "-", &v.losses);
    }
    out
}
