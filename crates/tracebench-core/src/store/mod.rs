//! The case file: one SQLite database per case (`.tbcase`), the unit of evidence.
//!
//! A file is first opened read-only and checked (SQLite header, our `application_id`, a schema
//! version not newer than ours, `quick_check`) before anything is written to it, so a foreign or
//! damaged file is refused without being touched. Migrations are embedded and append-only; every
//! write is one transaction; the journal is WAL.

mod annotation;
mod attribution;
pub mod audit;
mod canvas;
mod canvas_restore;
mod canvas_state;
pub mod content_hash;
mod evidence;
mod evm;
mod file_check;
mod price;
mod txs;
mod veto;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension};
use rusqlite_migration::{Migrations, M};
use thiserror::Error;

pub use annotation::{Callout, StoryStep};
pub use attribution::{ExchangeRecord, LabelPackUse};
pub use audit::{AuditAction, AuditEntry, AuditFinding, AuditVerdict, FindingKind};
pub use canvas::{CanvasNode, Note};
pub use canvas_restore::{EntityState, NodeState, ViewportState};
pub use canvas_state::Entity;
pub use content_hash::{ContentHash, EXPORT_ACTION};
pub use evidence::{sha256_hex, RawResponse, StoredRaw};
pub use evm::{EvmFetch, EvmIngested, EvmToken, EvmTx, SkippedLog};
pub use file_check::{open_checked, FileCheckError};
pub use txs::{AddressHistory, Batch, Ingest};
pub use veto::Veto;

/// `application_id` of a Tracebench case file: "TBC1".
pub const APPLICATION_ID: i32 = 0x5442_4331;

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("migrations/0001_case.sql")),
        M::up(include_str!("migrations/0002_input_sequence.sql")),
        M::up(include_str!("migrations/0003_veto.sql")),
        M::up(include_str!("migrations/0004_attribution.sql")),
        M::up(include_str!("migrations/0005_audit.sql")),
        M::up(include_str!("migrations/0006_evm.sql")),
        M::up(include_str!("migrations/0007_canvas.sql")),
        M::up(include_str!("migrations/0008_price.sql")),
        M::up(include_str!("migrations/0009_annotation.sql")),
        M::up(include_str!("migrations/0010_viewport.sql")),
    ])
}

/// The newest schema version this build understands.
pub fn schema_version() -> i64 {
    10
}

#[derive(Debug, Error)]
pub enum CaseError {
    #[error("case file {path} does not exist")]
    NotFound { path: PathBuf },
    #[error("case file {path} already exists; refusing to overwrite it")]
    AlreadyExists { path: PathBuf },
    #[error("{path} is not a SQLite database ({detail}); it was not modified")]
    NotSqlite { path: PathBuf, detail: String },
    #[error("{path} is a SQLite database but not a Tracebench case (application_id {found:#x}); it was not modified")]
    Foreign { path: PathBuf, found: i32 },
    #[error("{path} was written by a newer Tracebench (schema {found}, this build reads up to {supported}); it was not modified")]
    TooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("case file {path} is damaged ({detail}); it was not modified")]
    Corrupt { path: PathBuf, detail: String },
    #[error("case storage failed: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("case migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("reading {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the case has no {what} '{id}'")]
    Missing { what: &'static str, id: String },
}

/// Case metadata, written once at creation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CaseMeta {
    pub case_id: String,
    pub title: String,
    pub investigator: String,
    pub agency: String,
    pub created_utc: String,
    /// CAIP-2 id of the case's chain.
    pub chain: String,
}

/// An open case file.
pub struct Case {
    conn: Connection,
    path: PathBuf,
    meta: CaseMeta,
    /// Transactions already read, by (chain, txid). A stored transaction never changes (the
    /// first stored version is kept), so the cache cannot go stale; it is bounded.
    tx_cache: std::cell::RefCell<std::collections::HashMap<(String, String), crate::model::Tx>>,
    /// The action the next write appends to the audit log (see [`Case::audited`]).
    pending_audit: Option<AuditAction>,
}

/// At most this many transactions are kept in a case's read cache.
pub(crate) const TX_CACHE_LIMIT: usize = 200_000;

impl std::fmt::Debug for Case {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Case")
            .field("path", &self.path)
            .field("meta", &self.meta)
            .finish()
    }
}

impl Case {
    /// Creates a new case file at `path`; refuses to overwrite an existing file.
    pub fn create(path: &Path, meta: CaseMeta) -> Result<Case, CaseError> {
        Case::create_audited(path, meta, None)
    }

    /// [`Case::create`], appending `audit` (the creation) to the audit log in the same
    /// transaction as the case metadata.
    pub fn create_audited(
        path: &Path,
        meta: CaseMeta,
        audit: Option<AuditAction>,
    ) -> Result<Case, CaseError> {
        if path.exists() {
            return Err(CaseError::AlreadyExists {
                path: path.to_path_buf(),
            });
        }
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        configure(&conn)?;
        migrations().to_latest(&mut conn)?;
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO case_meta (singleton, case_id, title, investigator, agency, created_utc, chain)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)",
            rusqlite::params![
                meta.case_id,
                meta.title,
                meta.investigator,
                meta.agency,
                meta.created_utc,
                meta.chain
            ],
        )?;
        if let Some(action) = &audit {
            audit::append(&tx, action)?;
        }
        tx.commit()?;
        Ok(Case {
            conn,
            path: path.to_path_buf(),
            meta,
            tx_cache: Default::default(),
            pending_audit: None,
        })
    }

    /// Opens an existing case after checking it read-only.
    pub fn open(path: &Path) -> Result<Case, CaseError> {
        check(path)?;
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        configure(&conn)?;
        migrations().to_latest(&mut conn)?;
        let meta = conn.query_row(
            "SELECT case_id, title, investigator, agency, created_utc, chain FROM case_meta",
            [],
            |r| {
                Ok(CaseMeta {
                    case_id: r.get(0)?,
                    title: r.get(1)?,
                    investigator: r.get(2)?,
                    agency: r.get(3)?,
                    created_utc: r.get(4)?,
                    chain: r.get(5)?,
                })
            },
        )?;
        Ok(Case {
            conn,
            path: path.to_path_buf(),
            meta,
            tx_cache: Default::default(),
            pending_audit: None,
        })
    }

    pub fn meta(&self) -> &CaseMeta {
        &self.meta
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// True when any source the case drew on is synthetic (training data).
    pub fn is_synthetic(&self) -> Result<bool, CaseError> {
        let n: i64 =
            self.conn
                .query_row("SELECT COUNT(*) FROM source WHERE synthetic = 1", [], |r| {
                    r.get(0)
                })?;
        Ok(n > 0)
    }

    /// Runs `f` inside one write transaction: all of it lands, or none of it.
    pub(crate) fn write<T>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, CaseError>,
    ) -> Result<T, CaseError> {
        let pending = self.pending_audit.take();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        if let Some(action) = &pending {
            audit::append(&tx, action)?;
        }
        tx.commit()?;
        Ok(out)
    }
}

fn configure(conn: &Connection) -> Result<(), CaseError> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(())
}

/// Checks a case file without writing to it (not even its header).
pub fn check(path: &Path) -> Result<(), CaseError> {
    let path_buf = || path.to_path_buf();
    let conn = open_checked(path, APPLICATION_ID, schema_version()).map_err(|e| match e {
        FileCheckError::Io(e) if e.kind() == std::io::ErrorKind::NotFound => {
            CaseError::NotFound { path: path_buf() }
        }
        FileCheckError::Io(source) => CaseError::Io {
            path: path_buf(),
            source,
        },
        FileCheckError::NotSqlite(detail) => CaseError::NotSqlite {
            path: path_buf(),
            detail,
        },
        FileCheckError::Foreign(found) => CaseError::Foreign {
            path: path_buf(),
            found,
        },
        FileCheckError::TooNew { found, supported } => CaseError::TooNew {
            path: path_buf(),
            found,
            supported,
        },
        FileCheckError::Corrupt(detail) => CaseError::Corrupt {
            path: path_buf(),
            detail,
        },
    })?;
    let corrupt = |e: rusqlite::Error| CaseError::Corrupt {
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    let has_meta: Option<i64> = conn
        .query_row("SELECT singleton FROM case_meta", [], |r| r.get(0))
        .optional()
        .map_err(corrupt)?;
    if has_meta.is_none() {
        return Err(CaseError::Corrupt {
            path: path.to_path_buf(),
            detail: "it has no case metadata".to_string(),
        });
    }
    Ok(())
}
