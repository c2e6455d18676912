//! Source and offline switches of the app as audited settings changes of the open case: which
//! source the next fetches go to, and whether they go anywhere, shape what the case will hold, so
//! the change is appended to the audit log (`source.set`, `offline.set`) like any analyst action.
//! The detail names the source by its id and redacted description only, never a key or a
//! password. Setting what is already in force appends nothing.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::Workbench;
use crate::api::ApiError;
use crate::store::AuditEntry;

/// The audit-log action of a source chosen for the case.
pub const SOURCE_SET_ACTION: &str = "source.set";
/// The audit-log action of the offline switch.
pub const OFFLINE_SET_ACTION: &str = "offline.set";

impl Workbench {
    /// Records that fetches of `kind` (`bitcoin`, `evm`, `graphsense`) now go to `source_id`
    /// (`described`: the source as text with secrets as `***`), or to none (`None`). Returns the
    /// new entry, or `None` when this was already the setting in force.
    pub fn record_source_setting(
        &mut self,
        kind: &str,
        source: Option<(&str, &str)>,
        now: DateTime<Utc>,
    ) -> Result<Option<AuditEntry>, ApiError> {
        let detail = match source {
            Some((source_id, described)) => {
                json!({"kind": kind, "source_id": source_id, "source": described})
            }
            None => json!({"kind": kind, "source_id": null}),
        };
        let same_kind = |d: &Value| d.get("kind").and_then(Value::as_str) == Some(kind);
        self.record_setting(SOURCE_SET_ACTION, detail, same_kind, now)
    }

    /// Records the offline switch. Returns the new entry, or `None` when it was already so (a
    /// case with no `offline.set` entry counts as online).
    pub fn record_offline_setting(
        &mut self,
        offline: bool,
        now: DateTime<Utc>,
    ) -> Result<Option<AuditEntry>, ApiError> {
        if !offline && !self.has_setting(OFFLINE_SET_ACTION, |_| true)? {
            return Ok(None);
        }
        self.record_setting(
            OFFLINE_SET_ACTION,
            json!({"offline": offline}),
            |_| true,
            now,
        )
    }

    fn has_setting(
        &self,
        action: &str,
        applies: impl Fn(&Value) -> bool,
    ) -> Result<bool, ApiError> {
        Ok(self.setting_in_force(action, applies)?.is_some())
    }

    /// The detail of the newest `action` entry that `applies` to.
    fn setting_in_force(
        &self,
        action: &str,
        applies: impl Fn(&Value) -> bool,
    ) -> Result<Option<Value>, ApiError> {
        Ok(self
            .audit_log()?
            .into_iter()
            .rev()
            .filter(|e| e.action == action)
            .filter_map(|e| serde_json::from_str::<Value>(&e.detail).ok())
            .find(|d| applies(d)))
    }

    fn record_setting(
        &mut self,
        action: &str,
        detail: Value,
        applies: impl Fn(&Value) -> bool,
        now: DateTime<Utc>,
    ) -> Result<Option<AuditEntry>, ApiError> {
        if self.setting_in_force(action, applies)?.as_ref() == Some(&detail) {
            return Ok(None);
        }
        let action = self.action(action, detail, now);
        Ok(Some(self.case.record_audit(action)?))
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use crate::api::view::tests::sim_case_with_seed;

    #[test]
    fn source_and_offline_changes_are_audited_once_and_verify() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.tbcase");
        let now = Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap();
        let (mut wb, _seed, _chain, _sim) = sim_case_with_seed(&path, now);
        let before = wb.audit_log().unwrap().len();
        let entry = wb
            .record_source_setting(
                "evm",
                Some((
                    "etherscan:56",
                    "etherscan:56=https://api.etherscan.io/v2/api?apikey=***",
                )),
                now,
            )
            .unwrap()
            .expect("a new source is a settings change");
        assert_eq!(entry.action, "source.set");
        assert!(
            entry.detail.contains("etherscan:56") && entry.detail.contains("***"),
            "the entry names the source, secrets redacted: {}",
            entry.detail
        );
        assert!(
            wb.record_source_setting(
                "evm",
                Some((
                    "etherscan:56",
                    "etherscan:56=https://api.etherscan.io/v2/api?apikey=***"
                )),
                now,
            )
            .unwrap()
            .is_none(),
            "the same source again is no change and appends nothing"
        );
        assert!(
            wb.record_source_setting(
                "bitcoin",
                Some(("esplora:http://127.0.0.1:1", "http://127.0.0.1:1")),
                now
            )
            .unwrap()
            .is_some(),
            "a Bitcoin source is tracked apart from the EVM one"
        );
        assert!(
            wb.record_offline_setting(false, now).unwrap().is_none(),
            "a case starts online: switching online is no change"
        );
        assert!(
            wb.record_offline_setting(true, now).unwrap().is_some(),
            "offline is audited"
        );
        assert!(
            wb.record_offline_setting(true, now).unwrap().is_none(),
            "once"
        );
        assert!(
            wb.record_offline_setting(false, now).unwrap().is_some(),
            "and back online is audited too"
        );
        assert_eq!(
            wb.audit_log().unwrap().len(),
            before + 4,
            "four changes, four entries"
        );
        drop(wb);
        let v = crate::api::Workbench::verify(&path, None).unwrap();
        assert!(
            v.ok,
            "the entries are chained like any other: {:?}",
            v.findings
        );
    }
}
