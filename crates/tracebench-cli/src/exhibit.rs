//! The report's exhibit options on the command line: ids, marking, paper, question, summary,
//! chapters left out, the sensitivity annex; and the datasets its methodology scores, the same
//! ones `tracebench validate` scores (and the app's export).
//!
//! The settings are kept in the case (audited, see `Workbench::save_report_settings`): a flag
//! given here replaces the stored value and is saved, a flag not given keeps it, so the next
//! export, from here or from the app, uses the same settings.

use std::path::PathBuf;

use anyhow::Context;
use chrono::{DateTime, Utc};
use tracebench_core::api::{ExhibitOptions, Paper, ReportSettings, Workbench};
use tracebench_report::Section;

/// Options of `tracebench report` that shape the exhibit.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ExhibitArgs {
    /// The exhibit id printed on every page (default: <case id>-EX1; kept in the case).
    #[arg(long, value_name = "ID")]
    pub exhibit_id: Option<String>,
    /// The classification marking on every page (default: "RESTRICTED — LAW ENFORCEMENT").
    #[arg(long, value_name = "MARKING")]
    pub classification: Option<String>,
    /// Paper size: a4 or letter (default a4; kept in the case).
    #[arg(long, value_name = "a4|letter", value_parser = paper)]
    pub paper: Option<Paper>,
    /// The question the examination answers (printed in the scope; kept in the case).
    #[arg(long, value_name = "TEXT")]
    pub question: Option<String>,
    /// The analyst's summary of findings (kept in the case).
    #[arg(long, value_name = "TEXT", conflicts_with = "summary_file")]
    pub summary: Option<String>,
    /// The analyst's summary of findings, read from a UTF-8 text file.
    #[arg(long, value_name = "FILE")]
    pub summary_file: Option<PathBuf>,
    /// Add the sensitivity annex: which conclusions change with each heuristic toggled.
    #[arg(long, conflicts_with = "no_sensitivity")]
    pub sensitivity: bool,
    /// Leave the sensitivity annex out.
    #[arg(long)]
    pub no_sensitivity: bool,
    /// Leave an optional chapter out (repeatable; replaces the stored choice): figures,
    /// narrative, methodology, exposure, notes, transactions, clusters, attributions, coverage.
    #[arg(long, value_name = "SECTION", value_parser = section, conflicts_with = "all_sections")]
    pub omit: Vec<Section>,
    /// Print every optional chapter again (clears a stored --omit).
    #[arg(long)]
    pub all_sections: bool,
}

fn paper(text: &str) -> Result<Paper, String> {
    Paper::parse(text).ok_or_else(|| format!("{text:?} is not a paper size: use a4 or letter"))
}

fn section(text: &str) -> Result<Section, String> {
    Section::parse(text).ok_or_else(|| {
        let keys: Vec<&str> = Section::ALL.iter().map(|s| s.key()).collect();
        format!(
            "{text:?} is not a chapter one can leave out: use one of {}",
            keys.join(", ")
        )
    })
}

/// The datasets every report's methodology scores: the embedded real ones and the sim's, the
/// same for the CLI and the app.
pub fn validation_options(settings: ReportSettings) -> anyhow::Result<ExhibitOptions> {
    Ok(ExhibitOptions {
        settings,
        validation_datasets: vec![crate::analyze::sim_validation_dataset()?],
    })
}

impl ExhibitArgs {
    /// `stored` with the flags given here applied.
    pub fn settings(&self, stored: ReportSettings) -> anyhow::Result<ReportSettings> {
        let mut s = stored;
        if let Some(id) = &self.exhibit_id {
            s.exhibit_id = id.clone();
        }
        if let Some(marking) = &self.classification {
            s.classification = marking.clone();
        }
        if let Some(paper) = self.paper {
            s.paper = paper;
        }
        if let Some(q) = &self.question {
            s.question = Some(q.clone());
        }
        match &self.summary_file {
            Some(path) => {
                s.summary = Some(
                    std::fs::read_to_string(path)
                        .with_context(|| format!("reading the summary file {}", path.display()))?,
                )
            }
            None => {
                if let Some(text) = &self.summary {
                    s.summary = Some(text.clone());
                }
            }
        }
        if self.sensitivity {
            s.sensitivity = true;
        }
        if self.no_sensitivity {
            s.sensitivity = false;
        }
        if self.all_sections {
            s.omit.clear();
        } else if !self.omit.is_empty() {
            s.omit = self.omit.iter().copied().collect();
        }
        Ok(s)
    }

    /// The options the core takes: the case's stored settings with these flags applied and
    /// saved in the case (audited, only when they change anything), and the validation datasets.
    pub fn apply(&self, wb: &mut Workbench, now: DateTime<Utc>) -> anyhow::Result<ExhibitOptions> {
        let settings = self.settings(wb.report_settings()?)?;
        wb.save_report_settings(settings, now)?;
        validation_options(wb.report_settings()?)
    }
}
