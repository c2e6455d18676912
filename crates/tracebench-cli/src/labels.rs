//! `tracebench screen` and `tracebench labels …`: attribution labels and sanctions screening
//! over the label store (`<data dir>/labels.sqlite`, or --labels FILE).

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use serde_json::json;
use tracebench_core::api::{ReportExtras, Workbench};
use tracebench_core::model::format_btc;
use tracebench_labels::{
    parse, read_addresses, Builtin, Direction, ExposureOptions, Format, LabelStore, SourceFile,
};

use crate::flags::Cli;

#[derive(Debug, Args)]
pub struct ScreenArgs {
    /// A file of addresses, one per line (blank lines and # comments skipped). Without it,
    /// --case screens every address of the case and records the pack versions used.
    pub file: Option<PathBuf>,
    /// The label store to use (default: <data dir>/labels.sqlite).
    #[arg(long, value_name = "STORE")]
    pub labels: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum LabelsCommand {
    /// Import a label file into the store (all of it, or nothing when any line is invalid).
    Import {
        #[arg(long, value_enum)]
        format: ImportFormat,
        file: PathBuf,
        /// The date the file's content is from (YYYY-MM-DD); default: the file's modification
        /// date, unless the format records one (TagPack `lastmod`).
        #[arg(long, value_name = "YYYY-MM-DD")]
        source_date: Option<String>,
        /// Import the valid lines and report the invalid ones instead of importing nothing.
        #[arg(long)]
        skip_invalid: bool,
        #[arg(long, value_name = "STORE")]
        labels: Option<PathBuf>,
    },
    /// Every label for an address, with its source.
    List {
        address: String,
        #[arg(long, value_name = "STORE")]
        labels: Option<PathBuf>,
    },
    /// The packs in the store, with their versions.
    Packs {
        #[arg(long, value_name = "STORE")]
        labels: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ImportFormat {
    /// GraphSense TagPack YAML.
    Tagpack,
    /// address,label,category,source,confidence[,chain,source_date,notes]
    Csv,
    /// OFAC SDN list: sanctioned_addresses_<ASSET>.txt or .json.
    Ofac,
    /// Etherscan label JSON ({address: name} or {address: {name, labels}}).
    Etherscan,
}

fn open(labels: Option<&Path>) -> anyhow::Result<LabelStore> {
    let path = match labels {
        Some(p) => p.to_path_buf(),
        None => {
            let dir = crate::places::data_dir()?;
            std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
            dir.join("labels.sqlite")
        }
    };
    Ok(LabelStore::open(&path, Builtin::Install)?)
}

#[derive(Debug, Args)]
pub struct ExposureArgs {
    /// The address whose exposure is measured (it must have received value in the case).
    pub address: String,
    /// At most this many transactions from the address.
    #[arg(long, default_value_t = 10)]
    pub hops: u32,
    /// Where the funds came from (default: where they went).
    #[arg(long)]
    pub incoming: bool,
    /// Count value at hop h only (100 − P) % per hop after the first.
    #[arg(long, value_name = "P", value_parser = clap::value_parser!(u32).range(0..=100))]
    pub decay: Option<u32>,
    /// The label store to use (default: <data dir>/labels.sqlite).
    #[arg(long, value_name = "STORE")]
    pub labels: Option<PathBuf>,
}

/// What `tracebench report` adds: see [`tracebench_labels::report_extras`].
pub fn report_extras(
    wb: &mut Workbench,
    labels: Option<&Path>,
    exposures: &[String],
    hops: u32,
) -> anyhow::Result<ReportExtras> {
    let store = open(labels)?;
    Ok(tracebench_labels::report_extras(
        wb,
        &store,
        exposures,
        hops,
        chrono::Utc::now(),
    )?)
}

fn print_hits(head: String, hits: &[tracebench_labels::Hit]) -> String {
    let mut s = head;
    for h in hits {
        s.push_str(&format!(
            "\n{}  [{}] {} — {} ({}, {}, confidence {})",
            h.address,
            h.chain,
            h.category,
            h.label,
            h.source,
            h.source_date.as_deref().unwrap_or("undated"),
            h.confidence
        ));
    }
    s
}

fn screen_case(cli: &Cli, args: &ScreenArgs) -> anyhow::Result<()> {
    let path = cli
        .case
        .as_deref()
        .context("give a FILE of addresses, or --case FILE.tbcase to screen a case")?;
    let mut wb = crate::open_case(path, None)?;
    let store = open(args.labels.as_deref())?;
    let r = tracebench_labels::screen_case(&mut wb, &store, chrono::Utc::now())?;
    crate::print(cli, &r, || {
        let mut s = print_hits(
            format!(
                "screened {} address(es) of case {}: {} hit(s)",
                r.screened,
                wb.info().case_id,
                r.hits.len()
            ),
            &r.hits,
        );
        s.push_str(&format!(
            "\nagainst {} label pack(s): {}",
            r.packs.len(),
            r.packs
                .iter()
                .map(|p| format!("{} {}", p.pack_id, p.version))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        s
    })
}

pub fn exposure(cli: &Cli, args: &ExposureArgs) -> anyhow::Result<()> {
    let path = cli
        .case
        .as_deref()
        .context("no case file given: pass --case FILE.tbcase")?;
    let wb = crate::open_case(path, None)?;
    let store = open(args.labels.as_deref())?;
    let opts = ExposureOptions {
        hops: args.hops,
        direction: if args.incoming {
            Direction::Incoming
        } else {
            Direction::Outgoing
        },
        decay_percent: args.decay,
    };
    let e = tracebench_labels::exposure(&wb, &store, &args.address, &opts)?;
    crate::print(cli, &e, || {
        let mut s = format!(
            "{} exposure of {} ({} model, {} hop(s), {}): {} BTC traced",
            e.direction.as_str(),
            e.address,
            e.model,
            e.hops,
            e.decay_percent
                .map_or_else(|| "no decay".to_string(), |p| format!("decay {p} %")),
            format_btc(e.total_sat)
        );
        if e.categories.is_empty() {
            s.push_str("\nno labelled address reached");
        }
        for c in &e.categories {
            s.push_str(&format!(
                "\n{:<15} {:>8}  direct {} BTC, indirect {} BTC, nearest hop {}, via {}",
                c.category,
                c.share,
                format_btc(c.direct_sat),
                format_btc(c.indirect_sat),
                c.min_hops,
                c.via.join(", ")
            ));
        }
        s
    })
}

pub fn screen(cli: &Cli, args: &ScreenArgs) -> anyhow::Result<()> {
    let Some(file) = &args.file else {
        return screen_case(cli, args);
    };
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let addresses = read_addresses(&text);
    let store = open(args.labels.as_deref())?;
    let hits = store.screen(&addresses)?;
    let out = json!({"screened": addresses.len(), "hits": hits});
    crate::print(cli, &out, || {
        print_hits(
            format!(
                "screened {} address(es): {} hit(s)",
                addresses.len(),
                hits.len()
            ),
            &hits,
        )
    })
}

pub fn run(cli: &Cli, cmd: &LabelsCommand) -> anyhow::Result<()> {
    match cmd {
        LabelsCommand::Import {
            format,
            file,
            source_date,
            skip_invalid,
            labels,
        } => {
            let format = match format {
                ImportFormat::Tagpack => Format::Tagpack,
                ImportFormat::Csv => Format::Csv,
                ImportFormat::Ofac => Format::Ofac,
                ImportFormat::Etherscan => Format::Etherscan,
            };
            let source = SourceFile::read(file, source_date.as_deref())?;
            let mut parsed = parse(format, &source)?;
            let skipped = if *skip_invalid {
                parsed.skip_invalid()
            } else {
                Vec::new()
            };
            let mut store = open(labels.as_deref())?;
            let mut r = store.import(parsed)?;
            r.invalid = skipped;
            crate::print(cli, &r, || {
                let mut s = format!(
                    "{} {}: {} entries, {} imported, {} duplicate(s), {} conflict(s), {} invalid line(s) skipped",
                    r.pack_id,
                    r.pack_version,
                    r.entries,
                    r.imported,
                    r.duplicates,
                    r.conflicts.len(),
                    r.invalid.len()
                );
                for l in &r.invalid {
                    s.push_str(&format!("\nskipped {l}"));
                }
                if let Some(old) = &r.replaced_version {
                    s.push_str(&format!(
                        "\nreplaced version {old}; {} address(es) no longer listed",
                        r.dropped.len()
                    ));
                }
                for c in &r.conflicts {
                    s.push_str(&format!(
                        "\nconflict line {}: {} is {} ({}) here, already {}",
                        c.line,
                        c.address,
                        c.category,
                        c.source,
                        c.existing
                            .iter()
                            .map(|(l, cat, src)| format!("{cat} '{l}' ({src})"))
                            .collect::<Vec<_>>()
                            .join("; ")
                    ));
                }
                s
            })
        }
        LabelsCommand::List { address, labels } => {
            let store = open(labels.as_deref())?;
            let found = store.labels_for(address)?;
            let out = json!({"address": address, "labels": found});
            crate::print(cli, &out, || {
                if found.is_empty() {
                    return format!("{address}: no labels");
                }
                let mut s = format!("{address}: {} label(s)", found.len());
                for l in &found {
                    let x = &l.label;
                    s.push_str(&format!(
                        "\n[{}] {} — {} ({}, {}, confidence {}; pack {} {})",
                        x.chain,
                        x.category,
                        x.label,
                        x.source,
                        x.source_date.as_deref().unwrap_or("undated"),
                        x.confidence,
                        l.pack_id,
                        l.pack_version
                    ));
                }
                s
            })
        }
        LabelsCommand::Packs { labels } => {
            let store = open(labels.as_deref())?;
            let packs = store.packs()?;
            let out = json!({"builtin_version": store.builtin_version()?, "packs": packs});
            crate::print(cli, &out, || {
                packs
                    .iter()
                    .map(|p| format!("{}  {}  {}", p.id, p.version, p.title))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
    }
}
