//! The offline switch: a workbench that is offline answers every add and expansion from the
//! case alone (what it lacks is listed as missing) while keeping its connection, so switching
//! back online reconnects the same source with the same credentials, policy and progress sink.

use super::Workbench;
use crate::source::Source;

impl Workbench {
    /// Makes every fetch cache-only (`true`) or reconnects the source (`false`).
    pub fn set_offline(&mut self, offline: bool) {
        self.source = if offline {
            None
        } else {
            self.connection
                .clone()
                .map(|c| Source::connect(c, self.network, self.clock.clone()))
        };
    }

    /// True when a source is configured but switched off.
    pub fn is_offline(&self) -> bool {
        self.source.is_none() && self.connection.is_some()
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use crate::api::view::tests::sim_case_with_seed;

    #[test]
    fn offline_answers_from_the_case_and_online_fetches_again() {
        let dir = tempfile::tempdir().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap();
        let (mut wb, seed, _chain, (rt, _server)) =
            sim_case_with_seed(&dir.path().join("o.tbcase"), now);
        assert!(
            !wb.is_offline(),
            "a case opened with a source starts online"
        );
        wb.set_offline(true);
        assert!(wb.is_offline(), "the switch takes the source away");
        let raws = wb.case().raw_responses().unwrap().len();
        let out = rt.block_on(wb.expand(&seed, 2, now)).unwrap();
        assert!(
            !out.missing.is_empty(),
            "offline, the transactions the case lacks are listed as missing"
        );
        assert_eq!(
            wb.case().raw_responses().unwrap().len(),
            raws,
            "offline, nothing was fetched"
        );
        wb.set_offline(false);
        assert!(!wb.is_offline(), "back online");
        let out = rt.block_on(wb.expand(&seed, 2, now)).unwrap();
        assert!(
            out.missing.is_empty() && !out.added.is_empty(),
            "online again, the same source fills what was missing: {:?}",
            out.missing
        );
    }
}
