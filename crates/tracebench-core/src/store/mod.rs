//! The case file: one SQLite database per case (`.tbcase`), the unit of evidence.
//!
//! A file is first opened read-only and checked (SQLite header, our `application_id`, a schema
//! version not newer than ours, `quick_check`) before anything is written to it, so a foreign or
//! damaged file is refused without being touched. `quick_check` runs on a thread of its own
//! after opening when opening writes nothing (`integrity`): writes wait for its verdict. Migrations are embedded and append-only; every
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
mod ingest_session;
mod integrity;
mod price;
mod tx_cache;
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
pub use file_check::{open_checked, open_header_checked, quick_check, FileCheckError};
pub use ingest_session::IngestSession;
pub use integrity::IntegrityWatch;
pub use txs::{AddressHistory, Batch, Ingest, StoredHistory};
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
    /// Transactions already read (see [`tx_cache`]).
    tx_cache: std::cell::RefCell<tx_cache::TxCache>,
    /// The action the next write appends to the audit log (see [`Case::audited`]).
    pending_audit: Option<AuditAction>,
    /// The page check of the file; no write happens before it passed.
    integrity: IntegrityWatch,
}

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
            integrity: IntegrityWatch::passed(path),
        })
    }

    /// Opens an existing case after checking it read-only: the header, application id, schema
    /// version and metadata before returning; the pages (`quick_check`) before returning too when
    /// opening writes to the file (a migration, a journal switch), else on a thread of its own,
    /// whose verdict every write waits for ([`Case::integrity`]).
    pub fn open(path: &Path) -> Result<Case, CaseError> {
        let integrity = check_opening(path)?;
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
            integrity,
        })
    }

    /// The verdict of the file's page check (`quick_check`), waiting for it while it runs:
    /// `CaseError::Corrupt` when the file is damaged (nothing is then written to it).
    pub fn integrity(&self) -> Result<(), CaseError> {
        self.integrity.wait()
    }

    /// The file's page check, to wait for its verdict without holding the case.
    pub fn integrity_watch(&self) -> IntegrityWatch {
        self.integrity.clone()
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
        self.integrity()?;
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
    // Ingesting a batch runs a dozen insert statements per transaction; keep them all prepared.
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

/// Checks a case file without writing to it (not even its header).
pub fn check(path: &Path) -> Result<(), CaseError> {
    let conn = check_header(path)?;
    quick_check(&conn).map_err(|e| case_error(path, e))
}

/// The checks before a case opens: header, application id, schema version and metadata, and
/// the pages too when opening writes to the file (a migration, or a switch to the WAL journal);
/// else the page check starts on its own thread.
fn check_opening(path: &Path) -> Result<IntegrityWatch, CaseError> {
    let conn = check_header(path)?;
    let corrupt = |e: rusqlite::Error| CaseError::Corrupt {
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(corrupt)?;
    let journal: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .map_err(corrupt)?;
    if version < schema_version() || !journal.eq_ignore_ascii_case("wal") {
        quick_check(&conn).map_err(|e| case_error(path, e))?;
        return Ok(IntegrityWatch::passed(path));
    }
    Ok(IntegrityWatch::start(path))
}

/// The file checks but the page check; returns the read-only connection.
fn check_header(path: &Path) -> Result<Connection, CaseError> {
    let conn = open_header_checked(path, APPLICATION_ID, schema_version())
        .map_err(|e| case_error(path, e))?;
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
    Ok(conn)
}

fn case_error(path: &Path, e: FileCheckError) -> CaseError {
    let path = path.to_path_buf();
    match e {
        FileCheckError::Io(e) if e.kind() == std::io::ErrorKind::NotFound => {
            CaseError::NotFound { path }
        }
        FileCheckError::Io(source) => CaseError::Io { path, source },
        FileCheckError::NotSqlite(detail) => CaseError::NotSqlite { path, detail },
        FileCheckError::Foreign(found) => CaseError::Foreign { path, found },
        FileCheckError::TooNew { found, supported } => CaseError::TooNew {
            path,
            found,
            supported,
        },
        FileCheckError::Corrupt(detail) => CaseError::Corrupt { path, detail },
    }
}
