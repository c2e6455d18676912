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
//!
//! For the batch the connection gets a page cache big enough to hold every page the batch
//! changes ([`BATCH_CACHE_KIB`]), so no dirty page is spilled into the WAL before the commit
//! and written again at it, and the WAL auto-checkpoint is deferred: after the commit one
//! passive checkpoint copies the batch into the database file. Both settings are put back when
//! the session ends, committed or not.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::audit::{self, AuditAction};
use super::evidence::{insert_raw_hashed, insert_source, RawResponse};
use super::txs::{insert_tx, store_histories, KnownAddresses, StoredHistory};
use super::{Case, CaseError};
use crate::model::Tx;

/// Page cache of a batch, in KiB (SQLite's negative `cache_size`): room for every page a
/// batch of a few thousand transactions changes, so none is written to the WAL twice.
const BATCH_CACHE_KIB: i64 = 64 * 1024;

/// The connection settings a batch changes, as they were before it.
struct Pragmas {
    cache_size: i64,
    wal_autocheckpoint: i64,
}

impl Pragmas {
    /// Reads the current settings and switches to the batch's.
    fn for_batch(conn: &rusqlite::Connection) -> Result<Pragmas, CaseError> {
        let before = Pragmas {
            cache_size: conn.pragma_query_value(None, "cache_size", |r| r.get(0))?,
            wal_autocheckpoint: conn
                .pragma_query_value(None, "wal_autocheckpoint", |r| r.get(0))?,
        };
        conn.pragma_update(None, "cache_size", -BATCH_CACHE_KIB)?;
        conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        Ok(before)
    }

    /// Puts the settings back.
    fn restore(&self, conn: &rusqlite::Connection) -> Result<(), CaseError> {
        conn.pragma_update(None, "cache_size", self.cache_size)?;
        conn.pragma_update(None, "wal_autocheckpoint", self.wal_autocheckpoint)?;
        Ok(())
    }
}

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
    /// The connection's settings before the batch.
    pragmas: Pragmas,
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
        let pragmas = Pragmas::for_batch(&self.conn)?;
        if let Err(e) = self.conn.execute_batch("BEGIN IMMEDIATE") {
            pragmas.restore(&self.conn)?;
            return Err(e.into());
        }
        Ok(IngestSession {
            case: self,
            source_kind: source_kind.to_string(),
            synthetic,
            now: now.to_string(),
            sources: BTreeSet::new(),
            raw_hashes: Vec::new(),
            added: Vec::new(),
            known: KnownAddresses::default(),
            pragmas,
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
        // The batch is committed: what follows cannot change what it stored, so it reports no
        // error for a batch that landed. The checkpoint is the one the deferred auto-checkpoint
        // would have run at this commit; PASSIVE never waits for readers, and pages it cannot
        // copy now stay in the WAL (part of the case) until a later checkpoint copies them.
        let _ = self.pragmas.restore(conn);
        let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
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
            let _ = self.pragmas.restore(&self.case.conn);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Case, CaseMeta, RawResponse};
    use super::BATCH_CACHE_KIB;

    fn settings(case: &Case) -> (i64, i64) {
        let get = |name: &str| -> i64 {
            case.conn
                .pragma_query_value(None, name, |r| r.get(0))
                .unwrap()
        };
        (get("cache_size"), get("wal_autocheckpoint"))
    }

    fn raw() -> RawResponse {
        RawResponse {
            source_id: "esplora:test".into(),
            endpoint: "/address/x/txs".into(),
            request: "GET /address/x/txs".into(),
            retrieved_at: "2026-11-22T00:00:00Z".into(),
            status: 200,
            content_type: Some("application/json".into()),
            body: b"[]".to_vec(),
        }
    }

    #[test]
    fn a_batch_has_its_own_cache_and_checkpoint_settings_and_puts_them_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut case = Case::create(
            &dir.path().join("c.tbcase"),
            CaseMeta {
                case_id: "c".into(),
                title: "c".into(),
                investigator: String::new(),
                agency: String::new(),
                created_utc: "2026-11-22T00:00:00Z".into(),
                chain: "bip122:000000000019d6689c085ae165831e93".into(),
            },
        )
        .unwrap();
        let before = settings(&case);
        assert_ne!(
            before,
            (-BATCH_CACHE_KIB, 0),
            "the connection's own settings differ from a batch's"
        );

        let mut session = case
            .begin_ingest("esplora", false, "2026-11-22T00:00:00Z")
            .unwrap();
        session.store(&raw(), Vec::new()).unwrap();
        assert_eq!(
            settings(session.case),
            (-BATCH_CACHE_KIB, 0),
            "inside a batch: the big page cache, no auto-checkpoint"
        );
        session.finish(&[], &[], false, None).unwrap();
        assert_eq!(settings(&case), before, "a committed batch puts them back");
        assert_eq!(
            case.raw_responses().unwrap().len(),
            1,
            "the batch was committed"
        );

        let mut session = case
            .begin_ingest("esplora", false, "2026-11-22T00:00:00Z")
            .unwrap();
        session.store(&raw(), Vec::new()).unwrap();
        drop(session);
        assert_eq!(
            settings(&case),
            before,
            "a batch rolled back puts them back too"
        );
        assert_eq!(
            case.raw_responses().unwrap().len(),
            1,
            "the dropped batch left nothing behind"
        );
    }
}
