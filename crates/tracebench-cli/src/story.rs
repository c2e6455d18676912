//! `tracebench story …`: the storyboard from the command line, so scripts and tests can build
//! the story steps a report draws as numbered figures (`Workbench::add_story_step` and co.).

use anyhow::Context;
use chrono::Utc;
use clap::Subcommand;
use tracebench_core::api::{GraphView, StoryStepView};

use crate::flags::Cli;

#[derive(Debug, Subcommand)]
pub enum StoryCommand {
    /// The case's story steps, in story order.
    List,
    /// Append a story step highlighting a connected path of the canvas.
    Add {
        /// The step's title (its figure is "Figure N — TITLE").
        #[arg(long)]
        title: String,
        /// The analyst's caption, printed under the figure as an analyst note.
        #[arg(long, default_value = "")]
        caption: String,
        /// Comma-separated node ids (`btc:addr:…`, `btc:tx:…`, or a bare address or txid on the
        /// canvas) and edge ids (`<source>><target>#<index>`); with nodes only, the canvas
        /// edges between them make the path.
        #[arg(long, value_delimiter = ',', required = true)]
        path: Vec<String>,
    },
    /// Move a step to a 1-based position; the others keep their order.
    Move {
        id: i64,
        #[arg(long)]
        to: i64,
    },
    /// Remove a step (it stays in the case file, marked removed).
    Remove { id: i64 },
}

/// Node ids and edge ids of a `--path` list, bare addresses and txids resolved on the canvas.
fn split_path(g: &GraphView, items: &[String]) -> (Vec<String>, Vec<String>) {
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    for item in items.iter().map(|i| i.trim()).filter(|i| !i.is_empty()) {
        if item.contains('>') {
            edges.push(item.to_string());
        } else if let Some(n) = g.nodes.iter().find(|n| n.id == item || n.label == item) {
            nodes.push(n.id.clone());
        } else {
            nodes.push(item.to_string());
        }
    }
    (nodes, edges)
}

fn line(s: &StoryStepView) -> String {
    let caption = if s.caption.is_empty() {
        String::new()
    } else {
        format!("\n    {}", s.caption)
    };
    format!(
        "{}. [step {}] {}  ({} node(s), {} edge(s)){caption}",
        s.position,
        s.id,
        s.title,
        s.nodes.len(),
        s.edges.len()
    )
}

fn listing(steps: &[StoryStepView]) -> String {
    if steps.is_empty() {
        return "the case has no story steps".to_string();
    }
    steps.iter().map(line).collect::<Vec<_>>().join("\n")
}

pub fn run(cli: &Cli, cmd: &StoryCommand) -> anyhow::Result<()> {
    let path = cli
        .case
        .as_deref()
        .context("no case file given: pass --case FILE.tbcase")?;
    let mut wb = crate::open_case(path, None)?;
    match cmd {
        StoryCommand::List => {
            let steps = wb.story_steps()?;
            crate::print(cli, &steps, || listing(&steps))
        }
        StoryCommand::Add {
            title,
            caption,
            path,
        } => {
            let (nodes, edges) = split_path(&wb.graph()?, path);
            let added = wb.add_story_step(title, caption, &nodes, &edges, Utc::now())?;
            let step = added
                .graph
                .story
                .into_iter()
                .find(|s| s.id == added.id)
                .context("the new story step is missing from the case")?;
            crate::print(cli, &step, || format!("added {}", line(&step)))
        }
        StoryCommand::Move { id, to } => {
            let g = wb.move_story_step(*id, *to, Utc::now())?;
            crate::print(cli, &g.story, || listing(&g.story))
        }
        StoryCommand::Remove { id } => {
            let g = wb.remove_story_step(*id, Utc::now())?;
            crate::print(cli, &g.story, || listing(&g.story))
        }
    }
}
