//! `tracebench-sim`: writes large synthetic case files and synthetic price series directly.
//!
//! ```text
//! tracebench-sim generate --txs 1000000 --seed 1 --out big.tbcase
//! tracebench-sim generate --txs 1000 --seed 1 --network testnet --out drill.tbcase
//! tracebench-sim prices --seed 1 --out btc-usd.csv
//! tracebench-sim canvas --from big.tbcase --nodes 700 --zoom 1 --out canvas.tbcase
//! ```

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};

// mimalloc: the analyses build millions of small strings (clustering results, trace maps), and
// glibc's allocator took about a third of the clustering's CPU time (BENCHMARKS.md, issue #4).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(
    name = "tracebench-sim",
    version,
    about = "Synthetic training data for Tracebench"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write a new case file holding N synthetic transactions (no HTTP); prints a JSON summary.
    Generate {
        /// Number of transactions, coinbases included.
        #[arg(long)]
        txs: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The Bitcoin network of the case (mainnet, testnet, signet or regtest): the addresses
        /// are encoded for it; the transactions are the same on every network.
        #[arg(long, default_value = "mainnet")]
        network: tracebench_core::chain::BtcNetwork,
        /// The case file to create (never overwritten).
        #[arg(long)]
        out: PathBuf,
    },
    /// Copy a generated case with N of its nodes on the canvas at saved grid positions (about
    /// twice as many edges join them), optionally with a saved viewport; prints a JSON summary.
    Canvas {
        /// The generated case to copy (only read).
        #[arg(long)]
        from: PathBuf,
        /// Nodes to put on the canvas.
        #[arg(long)]
        nodes: usize,
        /// Saves a viewport at this zoom, panned to the grid's top-left corner.
        #[arg(long)]
        zoom: Option<f64>,
        /// The case file to create (never overwritten).
        #[arg(long)]
        out: PathBuf,
    },
    /// Write a synthetic BTC/USD daily price series (CSV for `tracebench prices import`)
    /// covering every sim scenario's dates. Not market data: its source column says so.
    Prices {
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The CSV file to create (never overwritten).
        #[arg(long)]
        out: PathBuf,
    },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Generate {
            txs,
            seed,
            network,
            out,
        } => {
            let user = std::env::var("TRACEBENCH_USER")
                .or_else(|_| std::env::var("USER"))
                .unwrap_or_else(|_| "unknown".to_string());
            let summary = tracebench_sim::generate_case(
                &out,
                tracebench_sim::GenerateOptions { txs, seed, network },
                chrono::Utc::now(),
                &user,
            )
            .with_context(|| format!("generating {}", out.display()))?;
            println!("{}", serde_json::to_string_pretty(&summary)?);
        }
        Command::Canvas {
            from,
            nodes,
            zoom,
            out,
        } => {
            let summary = tracebench_sim::canvas_case(
                &from,
                &out,
                tracebench_sim::CanvasOptions { nodes, zoom },
                chrono::Utc::now(),
            )
            .with_context(|| format!("making the canvas case {}", out.display()))?;
            println!("{}", serde_json::to_string_pretty(&summary)?);
        }
        Command::Prices { seed, out } => {
            let csv = tracebench_sim::price_series_csv(seed);
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&out)
                .with_context(|| format!("creating {} (it must not exist)", out.display()))?;
            file.write_all(csv.as_bytes())
                .with_context(|| format!("writing {}", out.display()))?;
            println!(
                "{}: {} synthetic BTC/USD rates, source {:?}",
                out.display(),
                csv.lines().count() - 1,
                tracebench_sim::price_source(seed)
            );
        }
    }
    Ok(())
}
