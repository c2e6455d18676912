//! The `tracebench` command: headless use of everything the app can do. Each command parses its
//! arguments, calls the core's API façade, and prints the result (as JSON with --json).

mod analyze;
mod block;
mod bundle;
mod cluster;
mod evm;
mod exhibit;
mod flags;
mod graphsense;
mod labels;
mod network;
mod places;
mod prices;
mod records;
mod report_verify;
mod secret;
mod sensitivity;
mod sim_evm;
mod source;
mod story;
mod trace;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use chrono::{DateTime, TimeZone, Utc};
use clap::Parser;
use serde_json::json;
use tracebench_core::api::{NewCase, ReportExtras, Workbench};

use flags::{CaseCommand, Cli, Command, SimCommand};

// mimalloc: the analyses build millions of small strings (clustering results, trace maps), and
// glibc's allocator took about a third of the clustering's CPU time (BENCHMARKS.md, issue #4).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tracebench: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    match &cli.command {
        Command::Case(CaseCommand::New {
            title,
            investigator,
            agency,
            network,
        }) => {
            let path = match &cli.case {
                Some(p) => p.clone(),
                None => places::default_case_path(title)?,
            };
            let path = path.as_path();
            let wb = Workbench::create_by(
                &analyst(),
                path,
                NewCase {
                    title: title.clone(),
                    investigator: investigator.clone(),
                    agency: agency.clone(),
                    network: *network,
                },
                None,
                Utc::now(),
            )?;
            print(&cli, &wb.info(), || {
                format!(
                    "created case {} at {} (Bitcoin {})",
                    wb.info().case_id,
                    path.display(),
                    network.name()
                )
            })
        }
        Command::Case(CaseCommand::Info) => {
            let wb = crate::open_case(case_path(&cli)?, None)?;
            let g = wb.graph()?;
            let raws = wb.case().raw_responses()?.len();
            let head = wb.audit_head()?;
            let content_hash = wb.case().content_hash()?.sha256;
            let out = json!({"case": wb.info(), "network": network::name_of(&wb.info().chain), "nodes": g.nodes.len(), "edges": g.edges.len(), "raw_responses": raws, "audit_head": head, "content_hash": content_hash});
            print(&cli, &out, || {
                let i = wb.info();
                format!(
                    "{} — {}\ninvestigator: {} ({})\ncreated: {}\nnetwork: {}\nnodes: {}, edges: {}, raw responses: {}\naudit log head: {}\ncontent hash: {}{}",
                    i.case_id,
                    i.title,
                    i.investigator,
                    i.agency,
                    i.created_utc,
                    network::line(&i.chain),
                    g.nodes.len(),
                    g.edges.len(),
                    raws,
                    head.as_deref().unwrap_or("(empty log)"),
                    content_hash,
                    if i.synthetic { "\nSYNTHETIC – TRAINING DATA" } else { "" }
                )
            })
        }
        Command::Add { query } if tracebench_core::address::EvmQuery::looks_evm(query) => {
            evm::add(&cli, query, &rt)
        }
        Command::Add { query } => {
            let path = case_path(&cli)?;
            let (mut wb, _sim) = source::open(path, &cli)?;
            let out = rt.block_on(wb.add(query, Utc::now()))?;
            let summary = json!({"node_id": out.node_id, "nodes": out.graph.nodes.len(), "edges": out.graph.edges.len()});
            print(&cli, &summary, || format!("added {}", out.node_id))
        }
        Command::Block { block } => block::run(&cli, block, &rt),
        Command::Expand { target, hops } => {
            let path = case_path(&cli)?;
            let (mut wb, _sim) = source::open(path, &cli)?;
            let node = node_id(&mut wb, target, &rt)?;
            let out = rt.block_on(wb.expand(&node, *hops, Utc::now()))?;
            let summary = json!({"node_id": node, "added": out.added, "missing": out.missing,
                "failed": out.failed, "nodes": out.graph.nodes.len(), "edges": out.graph.edges.len()});
            print(&cli, &summary, || {
                let mut s = format!(
                    "expanded {node} by {hops} hop(s): {} new node(s), {} nodes and {} edges on the canvas",
                    out.added.len(),
                    out.graph.nodes.len(),
                    out.graph.edges.len()
                );
                for m in &out.missing {
                    s.push_str(&format!("\nmissing (offline): {m}"));
                }
                for f in &out.failed {
                    s.push_str(&format!("\nfailed (kept the rest): {f}"));
                }
                s
            })
        }
        Command::Cluster {
            profile,
            explain,
            action,
        } => cluster::run(&cli, profile, explain.as_deref(), action.as_ref()),
        Command::Case(CaseCommand::Export { out }) => bundle::export(&cli, out),
        Command::Case(CaseCommand::Verify { expect_head }) => {
            bundle::verify(&cli, expect_head.as_deref())
        }
        Command::Case(CaseCommand::Import { bundle, out }) => bundle::import(&cli, bundle, out),
        Command::Config(cmd) => source::config(&cli, cmd),
        Command::Graphsense(cmd) => graphsense::run(&cli, cmd),
        Command::Secret(cmd) => secret::run(&cli, cmd),
        Command::Analyze(cmd) => analyze::run(&cli, cmd),
        Command::Validate => analyze::validate(&cli),
        Command::Report {
            action: Some(cmd), ..
        } => report_verify::run(&cli, cmd),
        Command::Report {
            action: None,
            out,
            labels,
            no_labels,
            exposure,
            exposure_hops,
            exhibit,
        } => {
            let out = out.as_deref().context("--out FILE.pdf is required")?;
            let mut wb = crate::open_case(case_path(&cli)?, None)?;
            let options = exhibit.apply(&mut wb, Utc::now())?;
            let extras = if *no_labels {
                ReportExtras::default()
            } else {
                labels::report_extras(&mut wb, labels.as_deref(), exposure, *exposure_hops)?
            };
            let written = write_report_with(&wb, out, extras, &options)?;
            wb.record_export(
                "report",
                written["sha256"].as_str().unwrap_or_default(),
                Utc::now(),
            )?;
            print(&cli, &written, || format!("wrote {}", out.display()))
        }
        Command::Sim(SimCommand::Serve {
            scenario,
            port,
            api_key,
        }) if sim_evm::is_evm(scenario) => sim_evm::serve(scenario, *port, api_key.as_deref()),
        Command::Sim(SimCommand::Truth { scenario }) if sim_evm::is_evm(scenario) => {
            sim_evm::truth(scenario)
        }
        Command::Sim(SimCommand::Serve {
            api_key: Some(_), ..
        }) => bail!("--api-key applies to --scenario evm-usdt only"),
        Command::Sim(SimCommand::Serve { scenario, port, .. }) => {
            let sim = source::Sim::start(scenario, *port)?;
            let mut stdout = std::io::stdout().lock();
            writeln!(
                stdout,
                "{}",
                json!({"url": sim.server.url(), "source_id": sim.chain.source_id(), "seed_address": sim.chain.seed_address()})
            )?;
            stdout.flush()?;
            drop(stdout);
            loop {
                std::thread::park();
            }
        }
        Command::Sim(SimCommand::Truth { scenario }) => {
            let chain = tracebench_sim::generate(source::scenario_kind(scenario)?, scenario.seed)
                .on_network(scenario.network);
            // The truth is data for grading and tests: JSON with or without --json.
            println!("{}", serde_json::to_string_pretty(&chain.truth())?);
            Ok(())
        }
        Command::Paths(args) if args.is_search() => trace::run_paths(&cli, args),
        Command::Trace(args) => trace::run_trace(&cli, args),
        Command::Peel(args) => trace::run_peel(&cli, args),
        Command::Sensitivity(cmd) => sensitivity::run(&cli, cmd),
        Command::Paths(_) => {
            let out = json!({"data_dir": places::data_dir()?, "config_dir": places::config_dir()?});
            print(&cli, &out, || {
                format!(
                    "data:   {}\nconfig: {}",
                    out["data_dir"].as_str().unwrap_or_default(),
                    out["config_dir"].as_str().unwrap_or_default()
                )
            })
        }
        Command::Screen(args) => labels::screen(&cli, args),
        Command::Exposure(args) => labels::exposure(&cli, args),
        Command::Records(cmd) => records::run(&cli, cmd),
        Command::Prices(cmd) => prices::run(&cli, cmd),
        Command::Story(cmd) => story::run(&cli, cmd),
        Command::Labels(cmd) => labels::run(&cli, cmd),
        Command::Demo {
            out,
            scenario,
            hops,
        } => demo(&cli, &rt, out, scenario, *hops),
    }
}

/// Who the audit log names: `$TRACEBENCH_USER`, else `$USER`, else "unknown".
pub fn analyst() -> String {
    ["TRACEBENCH_USER", "USER"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .map(|v| v.trim().to_string())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| "unknown".to_string())
}

/// Opens a case for the analyst ([`analyst`] is named in its audit log).
pub fn open_case(
    path: &Path,
    source: Option<tracebench_core::api::SourceSpec>,
) -> anyhow::Result<Workbench> {
    let mut wb = Workbench::open(path, source)?;
    wb.set_user(&analyst());
    Ok(wb)
}

fn case_path(cli: &Cli) -> anyhow::Result<&Path> {
    cli.case
        .as_deref()
        .context("no case file given: pass --case FILE.tbcase")
}

/// Resolves an address, txid or canvas node id to a node id on the canvas (adding it first
/// when it is not there yet).
fn node_id(
    wb: &mut Workbench,
    target: &str,
    rt: &tokio::runtime::Runtime,
) -> anyhow::Result<String> {
    let g = wb.graph()?;
    if g.nodes.iter().any(|n| n.id == target) {
        return Ok(target.to_string());
    }
    if let Some(n) = g.nodes.iter().find(|n| n.label == target) {
        return Ok(n.id.clone());
    }
    let query = target
        .rsplit_once(':')
        .filter(|_| target.starts_with("btc:"))
        .map(|(_, q)| q)
        .unwrap_or(target);
    Ok(rt.block_on(wb.add(query, Utc::now()))?.node_id)
}

/// `SOURCE_DATE_EPOCH` (reproducible builds convention) when set, else now.
fn generation_time() -> anyhow::Result<DateTime<Utc>> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => {
            let secs: i64 = v
                .trim()
                .parse()
                .with_context(|| format!("SOURCE_DATE_EPOCH={v:?} is not a unix time"))?;
            Utc.timestamp_opt(secs, 0)
                .single()
                .with_context(|| format!("SOURCE_DATE_EPOCH={v:?} is out of range"))
        }
        Err(_) => Ok(Utc::now()),
    }
}

fn write_report(wb: &Workbench, out: &Path) -> anyhow::Result<serde_json::Value> {
    let options = exhibit::validation_options(wb.report_settings()?)?;
    write_report_with(wb, out, ReportExtras::default(), &options)
}

fn write_report_with(
    wb: &Workbench,
    out: &Path,
    extras: ReportExtras,
    options: &tracebench_core::api::ExhibitOptions,
) -> anyhow::Result<serde_json::Value> {
    use tracebench_core::store::sha256_hex;
    let pdf = wb.report_pdf_as(generation_time()?, extras, options)?;
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.is_dir() {
            bail!(
                "cannot write the report: {} is not a directory",
                dir.display()
            );
        }
    }
    let tmp = out.with_extension("pdf.partial");
    std::fs::write(&tmp, &pdf).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, out).with_context(|| format!("writing {}", out.display()))?;
    Ok(json!({"path": out.display().to_string(), "bytes": pdf.len(), "sha256": sha256_hex(&pdf)}))
}

fn demo(
    cli: &Cli,
    rt: &tokio::runtime::Runtime,
    out: &Path,
    scenario: &flags::ScenarioArgs,
    hops: u32,
) -> anyhow::Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let sim = source::Sim::start(scenario, 0)?;
    let case: PathBuf = out.join(format!(
        "demo-{}-{}.tbcase",
        scenario.scenario, scenario.seed
    ));
    let now = Utc::now();
    let mut wb = Workbench::create_by(
        &analyst(),
        &case,
        NewCase {
            title: format!(
                "Demo: {} scenario, seed {} (synthetic training case)",
                scenario.scenario, scenario.seed
            ),
            investigator: "Demo analyst".into(),
            agency: "Tracebench training".into(),
            network: scenario.network,
        },
        Some(sim.spec()),
        now,
    )
    .with_context(|| format!("creating the demo case in {}", out.display()))?;
    let seed = sim.chain.seed_address().to_string();
    let added = rt.block_on(wb.add(&seed, now))?;
    let expanded = rt.block_on(wb.expand(&added.node_id, hops, now))?;
    let clusters = wb.clusters()?;
    let report_path = out.join(format!("{}-report.pdf", wb.info().case_id));
    let report = write_report(&wb, &report_path)?;
    wb.record_export("report", report["sha256"].as_str().unwrap_or_default(), now)?;
    let summary = json!({
        "case_id": wb.info().case_id,
        "case": case.display().to_string(),
        "report": report,
        "source_id": sim.chain.source_id(),
        "seed_address": seed,
        "nodes": expanded.graph.nodes.len(),
        "edges": expanded.graph.edges.len(),
        "clusters": clusters.clusters.iter().map(|c| &c.addresses).collect::<Vec<_>>(),
    });
    print(cli, &summary, || {
        format!(
            "demo case {} ({} nodes, {} edges, {} clusters)\n  case:   {}\n  report: {}",
            wb.info().case_id,
            expanded.graph.nodes.len(),
            expanded.graph.edges.len(),
            clusters.clusters.len(),
            case.display(),
            report_path.display()
        )
    })
}

fn print<T: serde::Serialize>(
    cli: &Cli,
    value: &T,
    text: impl FnOnce() -> String,
) -> anyhow::Result<()> {
    if cli.json {
        println!("{}", serde_json::to_string_pretty(value)?);
    } else {
        println!("{}", text());
    }
    Ok(())
}
