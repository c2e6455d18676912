//! Storing a batch while it is still being fetched.
//!
//! [`Case::begin_ingest`] opens the one write transaction of a batch (`BEGIN IMMEDIATE`) and
//! returns an [`IngestSession`]; the caller stores each response with the transactions parsed
//! from it as soon as it has it ([`IngestSession::store`]), so storing overlaps the fetches still
//! in flight, and [`IngestSession::finish`] adds the address histories, the canvas change and the
//! audit entry and commits. All of it lands, or none of it: a session dropped before `finish`
//! (an error, a cancelled future) rolls back and leaves the case exactly as it was.
//!
//! The session holds the case, not a borrowed `rusqlite::Transaction`, so the future that
//! fetches and stores stays `Send` across its awaits. Each body's SHA-256 is computed once and
//! serves both the stored row and the audit entry; the transactions stored are put in the read
//! cache after the commit, so the graph view built next reads none of them back from the file.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::audit::{self, AuditAction};
use super::evidence::{insert_raw_hashed, insert_source, RawResponse};
use super::txs::{insert_tx, store_histories, KnownAddresses, StoredHistory};
use super::{Case, CaseError};
use crate::model::Tx;

/// An open batch write; see the module docs.
pub struct IngestSession<'a> {
    case: &'a mut Case,
    source_kind: String,
    synthetic: bool,
    now: String,
    /// Sources already recorded in this session.
    sources: BTreeSet<String>,
    /// SHA-256 of each stored response, in storage order.
    raw_hashes: Vec<String>,
    /// Transactions this session added to the case, for the read cache after the commit.
    added: Vec<Arc<Tx>>,
    /// Addresses recorded in this session.
    known: KnownAddresses,
    /// False once committed (or rolled back).
    open: bool,
}

impl Case {
    /// Opens the write transaction of a batch from a source of kind `source_kind`; `now` is the
    /// time recorded for first use of a source and for the histories and canvas change.
    pub fn begin_ingest(
        &mut self,
        source_kind: &str,
        synthetic: bool,
        now: &str,
    ) -> Result<IngestSession<'_>, CaseError> {
        self.integrity()?;
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        Ok(IngestSession {
            case: self,
            source_kind: source_kind.to_string(),
            synthetic,
            now: now.to_string(),
            sources: BTreeSet::new(),
            raw_hashes: Vec::new(),
            added: Vec::new(),
            known: KnownAddresses::default(),
            open: true,
        })
    }
}

impl IngestSession<'_> {
    /// Stores one response with the transactions parsed from it. A transaction already in the
    /// case keeps its first stored version.
    pub fn store(&mut self, raw: &RawResponse, txs: Vec<Tx>) -> Result<(), CaseError> {
        let conn = &self.case.conn;
        if !self.sources.contains(&raw.source_id) {
            insert_source(
                conn,
                &raw.source_id,
                &self.source_kind,
                self.synthetic,
                &self.now,
            )?;
            self.sources.insert(raw.source_id.clone());
        }
        let sha256 = raw.sha256();
        let raw_id = insert_raw_hashed(conn, raw, &sha256)?;
        for t in txs {
            if insert_tx(conn, &t, raw_id, &mut self.known)? {
                self.added.push(Arc::new(t));
            }
        }
        self.raw_hashes.push(sha256);
        Ok(())
    }

    /// SHA-256 of every response stored so far, in storage order.
    pub fn raw_hashes(&self) -> &[String] {
        &self.raw_hashes
    }

    /// Transactions stored so far that the case did not hold.
    pub fn added(&self) -> usize {
        self.added.len()
    }

    /// Records the address histories, shows `show` on the canvas, appends `audit` and commits;
    /// returns how many transactions the batch added to the case.
    pub fn finish(
        mut self,
        histories: &[StoredHistory],
        show: &[String],
        show_as_seed: bool,
        audit: Option<&AuditAction>,
    ) -> Result<usize, CaseError> {
        let conn = &self.case.conn;
        store_histories(conn, histories, &self.now)?;
        super::canvas::show(conn, show, show_as_seed, &self.now)?;
        if let Some(action) = audit {
            audit::append(conn, action)?;
        }
        conn.execute_batch("COMMIT")?;
        self.open = false;
        let added = std::mem::take(&mut self.added);
        let count = added.len();
        let mut cache = self.case.tx_cache.borrow_mut();
        for t in added {
            cache.insert(t);
        }
        Ok(count)
    }
}

impl Drop for IngestSession<'_> {
    fn drop(&mut self) {
        if self.open {
            // Nothing of an unfinished batch is kept. A failed rollback leaves SQLite to roll
            // the transaction back when the connection closes; there is no one to tell here.
            let _ = self.case.conn.execute_batch("ROLLBACK");
        }
    }
}
