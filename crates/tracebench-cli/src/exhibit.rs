//! The report's exhibit options on the command line: ids, marking, paper, question, summary;
//! and the datasets its methodology scores, the same ones `tracebench validate` scores.

use std::path::PathBuf;

use anyhow::Context;
use tracebench_core::api::{ExhibitOptions, Paper, ReportSettings};

/// Options of `tracebench report` that shape the exhibit.
#[derive(Debug, Clone, clap::Args)]
pub struct ExhibitArgs {
    /// The exhibit id printed on every page (default: <case id>-EX1).
    #[arg(long, value_name = "ID")]
    pub exhibit_id: Option<String>,
    /// The classification marking on every page (default: "RESTRICTED — LAW ENFORCEMENT").
    #[arg(long, value_name = "MARKING")]
    pub classification: Option<String>,
    /// Paper size: a4 or letter.
    #[arg(long, value_name = "a4|letter", default_value = "a4", value_parser = paper)]
    pub paper: Paper,
    /// The question the examination answers (printed in the scope).
    #[arg(long, value_name = "TEXT")]
    pub question: Option<String>,
    /// The analyst's summary of findings.
    #[arg(long, value_name = "TEXT", conflicts_with = "summary_file")]
    pub summary: Option<String>,
    /// The analyst's summary of findings, read from a UTF-8 text file.
    #[arg(long, value_name = "FILE")]
    pub summary_file: Option<PathBuf>,
}

fn paper(text: &str) -> Result<Paper, String> {
    Paper::parse(text).ok_or_else(|| format!("{text:?} is not a paper size: use a4 or letter"))
}

impl Default for ExhibitArgs {
    fn default() -> Self {
        ExhibitArgs {
            exhibit_id: None,
            classification: None,
            paper: Paper::A4,
            question: None,
            summary: None,
            summary_file: None,
        }
    }
}

impl ExhibitArgs {
    /// The options the core takes, with the simulator's validation dataset added.
    pub fn options(&self) -> anyhow::Result<ExhibitOptions> {
        let summary = match &self.summary_file {
            Some(path) => Some(
                std::fs::read_to_string(path)
                    .with_context(|| format!("reading the summary file {}", path.display()))?,
            ),
            None => self.summary.clone(),
        };
        Ok(ExhibitOptions {
            settings: ReportSettings {
                exhibit_id: self.exhibit_id.clone().unwrap_or_default(),
                classification: self.classification.clone().unwrap_or_default(),
                paper: self.paper,
                question: self.question.clone(),
                summary,
            },
            validation_datasets: vec![crate::analyze::sim_validation_dataset()?],
        })
    }
}
