//! `tracebench cluster`: clusters, the merges that explain them, and the analyst's vetoes.

use chrono::Utc;
use tracebench_core::analysis::Profile;

use crate::flags::{Cli, ClusterCommand};

pub fn run(
    cli: &Cli,
    profile: &str,
    explain: Option<&[String]>,
    action: Option<&ClusterCommand>,
) -> anyhow::Result<()> {
    let path = crate::case_path(cli)?;
    match (action, explain) {
        (Some(ClusterCommand::Veto { txid, a, b, reason }), _) => {
            let mut wb = crate::open_case(path, None)?;
            let v = wb.veto(txid, a, b, reason, Utc::now())?;
            crate::print(cli, &v, || {
                format!(
                    "vetoed the merges of {} (named {} and {}) at {}{}",
                    v.txid,
                    v.a,
                    v.b,
                    v.created_utc,
                    if v.reason.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", v.reason)
                    }
                )
            })
        }
        (Some(ClusterCommand::Vetoes), _) => {
            let wb = crate::open_case(path, None)?;
            let vs = wb.vetoes()?;
            crate::print(cli, &vs, || {
                let mut s = format!("{} veto(es)", vs.len());
                for v in &vs {
                    s.push_str(&format!(
                        "\n{}  {}  {} / {}  {}",
                        v.created_utc, v.txid, v.a, v.b, v.reason
                    ));
                }
                s
            })
        }
        (None, Some([a, b])) => {
            let wb = crate::open_case(path, None)?;
            let e = wb.explain_with(a, b, &Profile::resolve(profile)?)?;
            crate::print(cli, &e, || match &e.cluster_id {
                None => format!("{a} and {b} are not in one cluster"),
                Some(id) => {
                    let mut s = format!(
                        "{a} and {b} are in {id}, joined by {} merge(s):",
                        e.merges.len()
                    );
                    for m in &e.merges {
                        s.push_str(&format!(
                            "\n  {}  {} (confidence {}): {} — {}",
                            m.txid, m.heuristic, m.confidence, m.a, m.b
                        ));
                    }
                    s
                }
            })
        }
        (None, Some(other)) => anyhow::bail!("--explain takes two addresses, got {}", other.len()),
        (None, None) => {
            let wb = crate::open_case(path, None)?;
            let c = wb.clusters_with(&Profile::resolve(profile)?)?;
            crate::print(cli, &c, || {
                let mut s = format!(
                    "profile {} ({}): {} cluster(s)",
                    c.profile,
                    c.heuristics.join(", "),
                    c.clusters.len()
                );
                if !c.vetoed.is_empty() {
                    s.push_str(&format!("\nvetoed by the analyst: {}", c.vetoed.join(", ")));
                }
                for cl in &c.clusters {
                    s.push_str(&format!(
                        "\n{} ({} addresses, via {} tx)",
                        cl.id,
                        cl.addresses.len(),
                        cl.txids.len()
                    ));
                    for a in &cl.addresses {
                        s.push_str(&format!("\n  {a}"));
                    }
                }
                s
            })
        }
    }
}
