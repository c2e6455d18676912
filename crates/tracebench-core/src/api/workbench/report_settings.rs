//! The exhibit settings kept in the case: the question, the analyst's summary, exhibit id,
//! classification, paper, the chapters left out and the sensitivity annex, so the next export
//! (from the app or the command line) uses them.
//!
//! They live in the audit log: saving settings that differ from the ones in force appends one
//! `report.settings` entry whose detail holds them whole, and the newest such entry is in
//! force. So every change is audited, chained by hash and covered by the content hash, and
//! needs no table of its own. Settings are checked before anything is written: refused
//! settings leave the case exactly as it was.

use chrono::{DateTime, Utc};
use tracebench_report::ReportSettings;

use super::Workbench;
use crate::api::ApiError;
use crate::source::rfc3339;

/// The audit-log action that records the exhibit settings.
pub const REPORT_SETTINGS_ACTION: &str = "report.settings";

/// Longest question, in characters.
pub const MAX_QUESTION_CHARS: usize = 2_000;
/// Longest summary, in characters.
pub const MAX_SUMMARY_CHARS: usize = 20_000;
/// Longest exhibit id or classification marking, in characters.
pub const MAX_MARKING_CHARS: usize = 80;

fn refuse(what: String) -> ApiError {
    ApiError::Settings(what)
}

/// Checks settings before they are stored; the error names the field and what is wrong.
pub fn check_settings(s: &ReportSettings) -> Result<(), ApiError> {
    for (name, value) in [
        ("exhibit id", &s.exhibit_id),
        ("classification", &s.classification),
    ] {
        let n = value.chars().count();
        if n > MAX_MARKING_CHARS {
            return Err(refuse(format!(
                "the {name} has {n} characters; at most {MAX_MARKING_CHARS} fit on every page"
            )));
        }
        if value.chars().any(char::is_control) {
            return Err(refuse(format!(
                "the {name} must be one line without control characters"
            )));
        }
    }
    for (name, value, max) in [
        ("question", &s.question, MAX_QUESTION_CHARS),
        ("summary", &s.summary, MAX_SUMMARY_CHARS),
    ] {
        let Some(text) = value else { continue };
        let n = text.chars().count();
        if n > max {
            return Err(refuse(format!(
                "the {name} has {n} characters; at most {max} are accepted"
            )));
        }
        if text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
        {
            return Err(refuse(format!(
                "the {name} contains control characters other than line breaks and tabs"
            )));
        }
    }
    Ok(())
}

/// Empty text fields as `None`, so "no summary" has one form and saving it twice is no change.
fn normalised(mut s: ReportSettings) -> ReportSettings {
    for field in [&mut s.question, &mut s.summary] {
        if field.as_deref().is_some_and(|t| t.trim().is_empty()) {
            *field = None;
        }
    }
    s
}

impl Workbench {
    /// The exhibit settings in force: the newest `report.settings` entry of the audit log, or
    /// the defaults when none was saved.
    pub fn report_settings(&self) -> Result<ReportSettings, ApiError> {
        let log = self.case.audit_log()?;
        let Some(entry) = log
            .iter()
            .rev()
            .find(|e| e.action == REPORT_SETTINGS_ACTION)
        else {
            return Ok(ReportSettings::default());
        };
        let detail: serde_json::Value = serde_json::from_str(&entry.detail).map_err(|e| {
            ApiError::Report(format!(
                "audit entry {} holds unreadable report settings: {e}",
                entry.seq
            ))
        })?;
        serde_json::from_value(detail.get("settings").cloned().unwrap_or_default()).map_err(|e| {
            ApiError::Report(format!(
                "audit entry {} holds unreadable report settings: {e}",
                entry.seq
            ))
        })
    }

    /// Stores `settings` as the ones in force (audited). Returns false, writing nothing, when
    /// they equal the ones in force; refused settings write nothing either.
    pub fn save_report_settings(
        &mut self,
        settings: ReportSettings,
        now: DateTime<Utc>,
    ) -> Result<bool, ApiError> {
        check_settings(&settings)?;
        let settings = normalised(settings);
        if settings == normalised(self.report_settings()?) {
            return Ok(false);
        }
        let detail = serde_json::json!({
            "settings": serde_json::to_value(&settings)
                .map_err(|e| ApiError::Report(e.to_string()))?
        });
        self.case.record_audit(crate::store::AuditAction {
            at_utc: rfc3339(now),
            user: self.user.clone(),
            action: REPORT_SETTINGS_ACTION.to_string(),
            detail,
        })?;
        Ok(true)
    }
}
