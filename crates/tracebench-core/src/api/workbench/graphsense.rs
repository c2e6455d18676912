//! Asking a GraphSense instance who an address belongs to (entity, tags), kept as evidence.

use chrono::{DateTime, Utc};

use super::Workbench;
use crate::api::ApiError;
use crate::source::graphsense::{AddressEntity, GraphSense};
use crate::source::rfc3339;
use crate::store::{Batch, Ingest};

impl Workbench {
    /// Asks `graphsense` for `address`'s entity and tags and stores its three answers as raw
    /// responses with provenance, audited, in one transaction; when any request fails or does not
    /// parse, nothing is stored.
    pub async fn graphsense_lookup(
        &mut self,
        graphsense: &GraphSense,
        currency: &str,
        address: &str,
        now: DateTime<Utc>,
    ) -> Result<AddressEntity, ApiError> {
        let (raws, view) = graphsense.lookup(currency, address).await?;
        let at = rfc3339(now);
        let ingest = Ingest {
            source_kind: "graphsense",
            synthetic: false,
            batches: raws.iter().map(|raw| Batch { raw, txs: &[] }).collect(),
            histories: Vec::new(),
            show: Vec::new(),
            show_as_seed: false,
            now: &at,
        };
        let hashes: Vec<String> = raws.iter().map(|r| r.sha256()).collect();
        let action = self.action(
            "graphsense.lookup",
            serde_json::json!({"source": view.source_id, "currency": view.currency,
                "address": address, "entity": view.entity, "raw_responses": hashes}),
            now,
        );
        self.case.audited(action, |c| c.ingest(&ingest))?;
        Ok(view)
    }
}
