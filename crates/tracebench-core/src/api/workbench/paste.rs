//! Adding a pasted list of addresses and txids at once (one per line), and connecting what was
//! added to what is already on the canvas.
//!
//! Every line is validated on its own, so a bad line is reported with its line number and never
//! stops the good ones. The addresses go through the batch path
//! ([`Workbench::add_addresses`]'s: every missing history fetched at once under the source's
//! policy, everything stored in one SQLite transaction with one audit entry); an address whose
//! history cannot be had is reported on its own line and the others are kept. Pasted txids are
//! added one by one ([`Workbench::add`]). Then every newly shown address is connected: each
//! transaction of the case that moved value between it and an address already on the canvas is
//! shown too, so the new node does not float alone (an address and a transaction already on the
//! canvas are joined by their edge anyway). The graph view is built once, at the end.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Workbench;
use crate::address::Query;
use crate::api::dto::GraphView;
use crate::api::ApiError;
use crate::graph::NodeRef;
use crate::source::SourceError;

/// At most this many non-blank lines in one paste: a bigger list is refused whole.
pub const MAX_PASTE_LINES: usize = 500;

/// A line that was added (or was already on the canvas).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "PastedNode.ts")]
pub struct PastedNode {
    /// 1-based line number in the pasted text.
    pub line: u32,
    pub node_id: String,
    /// False when the node was on the canvas before this paste.
    pub new: bool,
}

/// A line that was not added, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "RejectedLine.ts")]
pub struct RejectedLine {
    /// 1-based line number in the pasted text.
    pub line: u32,
    /// The line as pasted (trimmed).
    pub input: String,
    /// The API error code (`invalid_input`, `offline`, `source_error`, …).
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "PasteOutcome.ts")]
pub struct PasteOutcome {
    /// Added lines, in line order.
    pub added: Vec<PastedNode>,
    /// Refused lines, in line order; nothing of theirs reached the case.
    pub rejected: Vec<RejectedLine>,
    /// Transactions shown to connect the new addresses to the canvas, sorted.
    pub connected: Vec<String>,
    pub graph: GraphView,
}

impl Workbench {
    /// Adds every non-blank line of `text` (an address or a txid each); see the module docs.
    pub async fn add_many(
        &mut self,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<PasteOutcome, ApiError> {
        let lines: Vec<(u32, &str)> = text
            .lines()
            .enumerate()
            .map(|(i, l)| (u32::try_from(i + 1).unwrap_or(u32::MAX), l.trim()))
            .filter(|(_, l)| !l.is_empty())
            .collect();
        if lines.len() > MAX_PASTE_LINES {
            return Err(ApiError::Import(format!(
                "{} lines pasted; at most {MAX_PASTE_LINES} at once (nothing was added)",
                lines.len()
            )));
        }
        if lines.is_empty() {
            return Err(ApiError::Import(
                "nothing to add: paste addresses or transaction ids, one per line".to_string(),
            ));
        }
        let before = self.canvas_ids()?;
        let mut added = Vec::new();
        let mut rejected = Vec::new();
        let reject = |line: u32, input: &str, err: ApiError| RejectedLine {
            line,
            input: input.to_string(),
            code: err.code().to_string(),
            message: err.to_string(),
        };
        // Each line read on its own: addresses for the batch, txids one by one.
        let mut address_lines: Vec<(u32, &str, String)> = Vec::new();
        let mut tx_lines: Vec<(u32, &str)> = Vec::new();
        for (line, input) in lines {
            match Query::parse(input, self.network) {
                Ok(Query::Address(a)) => address_lines.push((line, input, a.as_str().to_string())),
                Ok(Query::Tx(_)) => tx_lines.push((line, input)),
                Err(e) => rejected.push(reject(line, input, ApiError::from(e))),
            }
        }
        if !address_lines.is_empty() {
            let wanted: BTreeSet<String> =
                address_lines.iter().map(|(_, _, a)| a.clone()).collect();
            let shown = self.show_addresses(&wanted, "add_addresses", now).await?;
            let failures: BTreeMap<String, SourceError> = shown.failures.into_iter().collect();
            for (line, input, address) in address_lines {
                let node_id = NodeRef::Address {
                    chain: self.network.caip2().to_string(),
                    address: address.clone(),
                }
                .id();
                match failures.get(&address) {
                    Some(e) => rejected.push(reject(line, input, ApiError::from(e.clone()))),
                    None => added.push(PastedNode {
                        line,
                        new: !before.contains(&node_id),
                        node_id,
                    }),
                }
            }
        }
        for (line, input) in tx_lines {
            match self.add(input, now).await {
                Ok(outcome) => added.push(PastedNode {
                    line,
                    new: !before.contains(&outcome.node_id),
                    node_id: outcome.node_id,
                }),
                Err(err) => rejected.push(reject(line, input, err)),
            }
        }
        added.sort_by_key(|p| p.line);
        rejected.sort_by_key(|r| r.line);
        let new_ids: Vec<String> = added
            .iter()
            .filter(|p| p.new)
            .map(|p| p.node_id.clone())
            .collect();
        let connected = self.connect_new(&new_ids, now)?;
        Ok(PasteOutcome {
            added,
            rejected,
            connected,
            graph: self.graph()?,
        })
    }

    fn canvas_ids(&self) -> Result<BTreeSet<String>, ApiError> {
        Ok(self
            .case
            .canvas_nodes()?
            .into_iter()
            .map(|n| n.node_id)
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use crate::api::view::tests::demo_case_with_source;

    fn now() -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 21, 13, 0, 0).unwrap()
    }

    #[test]
    fn good_lines_are_added_bad_lines_reported_by_number_and_new_addresses_connected() {
        let dir = tempfile::tempdir().unwrap();
        let (mut wb, seed, chain, (rt, _server)) = demo_case_with_source(dir.path());
        let visible: Vec<String> = wb
            .case()
            .canvas_nodes()
            .unwrap()
            .into_iter()
            .map(|n| n.node_id)
            .collect();
        // A victim's address: it paid a ransom address that the demo case shows.
        let victim = chain
            .truth()
            .owners
            .iter()
            .filter(|(a, owner)| {
                owner.starts_with("victim-") && !visible.contains(&format!("btc:addr:{a}"))
            })
            .map(|(a, _)| a.clone())
            .next()
            .expect("the demo chain has victims not yet on the canvas");
        let seed_address = seed.strip_prefix("btc:addr:").unwrap();
        let text = format!("\n{victim}\nnot-an-address\n   \n{seed_address}\n");
        let out = rt.block_on(wb.add_many(&text, now())).unwrap();
        assert_eq!(
            out.added
                .iter()
                .map(|p| (p.line, p.new))
                .collect::<Vec<_>>(),
            vec![(2, true), (5, false)],
            "line numbers count blank lines; the seed was already on the canvas"
        );
        assert_eq!(out.rejected.len(), 1, "one bad line: {:?}", out.rejected);
        let bad = &out.rejected[0];
        assert_eq!(
            (bad.line, bad.code.as_str()),
            (3, "invalid_input"),
            "the bad line is named by its number with the core's code"
        );
        assert!(
            bad.message.contains("not-an-address"),
            "the message quotes the bad input: {}",
            bad.message
        );
        let victim_id = format!("btc:addr:{victim}");
        assert!(
            !out.connected.is_empty(),
            "the victim's payment to a ransom address on the canvas is shown"
        );
        assert!(
            out.graph
                .edges
                .iter()
                .any(|e| e.source == victim_id || e.target == victim_id),
            "the new address is connected to the canvas by an edge"
        );
    }

    #[test]
    fn a_paste_with_nothing_valid_or_too_many_lines_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (mut wb, _, _, (rt, _server)) = demo_case_with_source(dir.path());
        let log = wb.audit_log().unwrap().len();
        let canvas = wb.case().canvas_nodes().unwrap().len();
        let out = rt.block_on(wb.add_many("zzz\n1234\n", now())).unwrap();
        assert_eq!(
            out.rejected.iter().map(|r| r.line).collect::<Vec<_>>(),
            vec![1, 2],
            "each bad line is reported on its own"
        );
        assert!(out.added.is_empty() && out.connected.is_empty());
        let too_many = "bc1qnot\n".repeat(super::MAX_PASTE_LINES + 1);
        let err = rt.block_on(wb.add_many(&too_many, now())).unwrap_err();
        assert!(
            err.to_string().contains("at most 500"),
            "the limit is named: {err}"
        );
        let err = rt.block_on(wb.add_many(" \n\n", now())).unwrap_err();
        assert!(
            err.to_string().contains("nothing to add"),
            "an empty paste says so: {err}"
        );
        assert_eq!(
            (
                wb.audit_log().unwrap().len(),
                wb.case().canvas_nodes().unwrap().len()
            ),
            (log, canvas),
            "refused pastes leave the audit log and the canvas as they were"
        );
    }
}
