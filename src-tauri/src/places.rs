//! Where the app keeps things, and the ambient inputs it passes to the core.
//!
//! Read once at start from the environment, so tests can point everything into a temp dir:
//! `TRACEBENCH_DATA_DIR` (case files), `TRACEBENCH_CONFIG_DIR` (recent cases),
//! `TRACEBENCH_EXPORT_DIR` (reports are written there without a dialog), `TRACEBENCH_TEST=1`
//! (the UI installs its test hooks) and `SOURCE_DATE_EPOCH` (a fixed report time, for
//! reproducible PDFs). Unset directories fall back to the platform's usual places.

use std::path::PathBuf;

use anyhow::{anyhow, Context};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone)]
pub struct Places {
    pub data_dir: PathBuf,
    pub config_dir: PathBuf,
    pub export_dir: Option<PathBuf>,
    pub test_mode: bool,
    pub report_epoch: Option<DateTime<Utc>>,
    /// Who the audit log names: `$TRACEBENCH_USER`, else `$USER`, else "unknown".
    pub user: String,
}

impl Places {
    pub fn from_env() -> anyhow::Result<Places> {
        let project = directories::ProjectDirs::from("org", "Tracebench", "tracebench");
        let data_dir = match env_path("TRACEBENCH_DATA_DIR") {
            Some(dir) => dir,
            None => project
                .as_ref()
                .map(|p| p.data_dir().to_path_buf())
                .ok_or_else(|| anyhow!("no home directory: set TRACEBENCH_DATA_DIR"))?,
        };
        let config_dir = match env_path("TRACEBENCH_CONFIG_DIR") {
            Some(dir) => dir,
            None => project
                .as_ref()
                .map(|p| p.config_dir().to_path_buf())
                .ok_or_else(|| anyhow!("no home directory: set TRACEBENCH_CONFIG_DIR"))?,
        };
        let report_epoch = match std::env::var("SOURCE_DATE_EPOCH") {
            Ok(secs) => Some(parse_epoch(&secs)?),
            Err(_) => None,
        };
        Ok(Places {
            data_dir,
            config_dir,
            export_dir: env_path("TRACEBENCH_EXPORT_DIR"),
            test_mode: std::env::var("TRACEBENCH_TEST").is_ok_and(|v| v == "1"),
            report_epoch,
            user: ["TRACEBENCH_USER", "USER"]
                .iter()
                .filter_map(|k| std::env::var(k).ok())
                .map(|v| v.trim().to_string())
                .find(|v| !v.is_empty())
                .unwrap_or_else(|| "unknown".to_string()),
        })
    }

    /// The demo case's file: one per scenario and seed, reopened on every `--demo`.
    pub fn demo_case(&self, scenario_file_stem: &str) -> PathBuf {
        self.data_dir.join(format!("{scenario_file_stem}.tbcase"))
    }

    /// The label store screening and exposure use: `<data dir>/labels.sqlite`, as the CLI's.
    pub fn label_store(&self) -> PathBuf {
        self.data_dir.join("labels.sqlite")
    }

    /// The time stamped into a report: `SOURCE_DATE_EPOCH` when set, else now.
    pub fn report_time(&self) -> DateTime<Utc> {
        self.report_epoch.unwrap_or_else(Utc::now)
    }
}

fn env_path(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

fn parse_epoch(secs: &str) -> anyhow::Result<DateTime<Utc>> {
    let secs: i64 = secs
        .trim()
        .parse()
        .with_context(|| format!("SOURCE_DATE_EPOCH {secs:?} is not a number of seconds"))?;
    DateTime::from_timestamp(secs, 0)
        .ok_or_else(|| anyhow!("SOURCE_DATE_EPOCH {secs} is out of range"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_date_epoch_is_whole_seconds_utc() {
        let t = parse_epoch("1700000000").unwrap();
        assert_eq!(
            t.to_rfc3339(),
            "2023-11-14T22:13:20+00:00",
            "epoch seconds map to UTC"
        );
        assert!(
            parse_epoch("yesterday").is_err(),
            "a non-number must be refused, not ignored"
        );
    }
}
