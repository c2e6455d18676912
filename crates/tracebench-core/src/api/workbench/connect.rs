//! Connecting new nodes: an address newly shown on the canvas (added from the search box,
//! dropped onto the canvas, or pasted) brings along each transaction of the case that moved
//! value between it and an address already on the canvas, so it does not float alone. Two
//! addresses shown together are joined by what they share, too. A transaction needs nothing:
//! it is joined to the canvas addresses it touches by its edges anyway. The shown transactions
//! are recorded in the audit log as one `connect` entry.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use super::Workbench;
use crate::api::ApiError;
use crate::graph::NodeRef;
use crate::source::rfc3339;

impl Workbench {
    /// Shows the transactions that join `new_nodes` (canvas ids just shown; only addresses
    /// count) to the canvas, with one `connect` audit entry; returns their ids, sorted.
    pub(crate) fn connect_new(
        &mut self,
        new_nodes: &[String],
        now: DateTime<Utc>,
    ) -> Result<Vec<String>, ApiError> {
        let connected = self.connecting_txs(new_nodes)?;
        if !connected.is_empty() {
            let action = self.action("connect", serde_json::json!({"nodes": connected}), now);
            let at = rfc3339(now);
            self.case
                .audited(action, |c| c.show_nodes(&connected, false, &at))?;
        }
        Ok(connected)
    }

    /// Transactions not on the canvas that join a new address to an address that is (or two
    /// new addresses to each other). Reads only the new addresses' transactions.
    fn connecting_txs(&self, new_nodes: &[String]) -> Result<Vec<String>, ApiError> {
        let chain = self.case.meta().chain.clone();
        let new_addresses: BTreeSet<String> = new_nodes
            .iter()
            .filter_map(|id| match NodeRef::parse(id, &chain) {
                Some(NodeRef::Address { address, .. }) => Some(address),
                _ => None,
            })
            .collect();
        if new_addresses.is_empty() {
            return Ok(Vec::new());
        }
        let visible: BTreeSet<String> = self
            .case
            .canvas_nodes()?
            .into_iter()
            .map(|n| n.node_id)
            .collect();
        let addr_id = |a: &str| {
            NodeRef::Address {
                chain: chain.clone(),
                address: a.to_string(),
            }
            .id()
        };
        let mut txids: BTreeSet<String> = BTreeSet::new();
        for a in &new_addresses {
            txids.extend(self.case.address_txids(&chain, a)?);
        }
        let mut out = BTreeSet::new();
        for txid in txids {
            let tx_id = NodeRef::Tx {
                chain: chain.clone(),
                txid: txid.clone(),
            }
            .id();
            if visible.contains(&tx_id) {
                continue;
            }
            let Some(tx) = self.case.tx(&chain, &txid)? else {
                continue;
            };
            let addresses: BTreeSet<&str> = tx
                .inputs
                .iter()
                .filter_map(|i| i.address.as_deref())
                .chain(tx.outputs.iter().filter_map(|o| o.address.as_deref()))
                .collect();
            let touches_old = addresses
                .iter()
                .any(|a| !new_addresses.contains(*a) && visible.contains(&addr_id(a)));
            let touches_two_new = addresses
                .iter()
                .filter(|a| new_addresses.contains(**a))
                .count()
                >= 2;
            if touches_old || touches_two_new {
                out.insert(tx_id);
            }
        }
        Ok(out.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use bitcoin::{Address, Network};
    use chrono::{TimeZone, Utc};

    use crate::api::view::tests::sim_case_with_seed;

    #[test]
    fn an_address_added_from_the_search_box_connects_to_the_canvas_with_an_audit_entry() {
        let dir = tempfile::tempdir().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap();
        // Only the seed is on the canvas: no transaction yet.
        let (mut wb, seed, chain, (rt, _server)) =
            sim_case_with_seed(&dir.path().join("c.tbcase"), now);
        let seed_address = chain.seed_address().to_string();
        // A counterparty of the seed in the sim's own chain: another output address of the
        // seed's first transaction, or the address it spent from.
        let txid = chain.address_txids(&seed_address)[0];
        let tx = chain.tx(&txid).unwrap();
        let addresses = tx
            .output
            .iter()
            .map(|o| o.script_pubkey.clone())
            .chain(
                tx.input
                    .iter()
                    .filter_map(|i| chain.prevout(&i.previous_output))
                    .map(|o| o.script_pubkey.clone()),
            )
            .filter_map(|s| Address::from_script(&s, Network::Bitcoin).ok())
            .map(|a| a.to_string());
        let other = addresses
            .into_iter()
            .find(|a| *a != seed_address)
            .expect("the seed's first transaction has another party");
        let audit_before = wb.case().audit_log().unwrap().len();
        assert_eq!(
            wb.graph().unwrap().edges.len(),
            0,
            "the seed alone has no edges"
        );

        let out = rt.block_on(wb.add(&other, now)).unwrap();
        let tx_id = format!("btc:tx:{txid}");
        assert!(
            out.connected.contains(&tx_id),
            "the transaction the two share is shown: {:?}",
            out.connected
        );
        for end in [&seed, &out.node_id] {
            assert!(
                out.graph
                    .edges
                    .iter()
                    .any(|e| (&e.source == end && e.target == tx_id)
                        || (e.source == tx_id && &e.target == end)),
                "{end} is joined to the shared transaction by an edge"
            );
        }
        let audit = wb.case().audit_log().unwrap();
        let actions: Vec<&str> = audit[audit_before..]
            .iter()
            .map(|e| e.action.as_str())
            .collect();
        assert_eq!(
            actions,
            ["add", "connect"],
            "the add and the connect are each in the audit log"
        );

        // Adding it again shows nothing new and connects nothing.
        let again = rt.block_on(wb.add(&other, now)).unwrap();
        assert!(
            again.connected.is_empty(),
            "nothing left to connect: {:?}",
            again.connected
        );
    }
}
