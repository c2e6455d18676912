//! The label store: one SQLite file (`labels.sqlite`), application id "TBL1".
//!
//! As with case files, an existing file is checked read-only first (SQLite header, our
//! `application_id`, a schema not newer than ours, `quick_check`, metadata present), so a foreign
//! or damaged file is refused without being touched. Migrations are embedded and append-only;
//! every write is one transaction; the journal is WAL.

mod write;

pub(crate) use write::write_pack;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension};
use rusqlite_migration::{Migrations, M};

use crate::address::{match_key, screen_key};
use crate::category::Category;
use crate::chain::caip2;
use crate::error::LabelError;
use crate::label::{Format, Label, Pack, StoredLabel};
use crate::screen::Hit;

/// `application_id` of a Tracebench label store: "TBL1".
pub const APPLICATION_ID: i32 = 0x5442_4C31;

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![M::up(include_str!("migrations/0001_labels.sql"))])
}

/// The newest label-store schema this build understands.
pub fn schema_version() -> i64 {
    1
}

/// Whether opening a store installs (or updates) the built-in pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    Install,
    Skip,
}

/// A label an analyst enters by hand.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AnalystLabel {
    pub address: String,
    pub chain: String,
    pub label: String,
    pub category: Category,
    pub analyst: String,
    pub confidence: u8,
    pub notes: String,
}

/// An open label store.
pub struct LabelStore {
    conn: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for LabelStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LabelStore")
            .field("path", &self.path)
            .finish()
    }
}

impl LabelStore {
    /// Opens the store at `path`, creating it when missing; an existing file is checked
    /// read-only first. With [`Builtin::Install`] the built-in pack is installed on first use
    /// and brought up to date when this build ships a newer one.
    pub fn open(path: &Path, builtin: Builtin) -> Result<LabelStore, LabelError> {
        let fresh = !path.exists();
        if !fresh {
            check(path)?;
        }
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if fresh {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let mut conn = Connection::open_with_flags(path, flags)?;
        if fresh {
            conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrations().to_latest(&mut conn)?;
        conn.execute(
            "INSERT OR IGNORE INTO store_meta (key, value) VALUES ('created_utc', ?1)",
            [now_utc()],
        )?;
        let mut store = LabelStore {
            conn,
            path: path.to_path_buf(),
        };
        if builtin == Builtin::Install {
            crate::builtin::ensure(&mut store)?;
        }
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    pub(crate) fn meta(&self, key: &str) -> Result<Option<String>, LabelError> {
        Ok(self
            .conn
            .query_row("SELECT value FROM store_meta WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// The built-in pack version installed in this store, if any.
    pub fn builtin_version(&self) -> Result<Option<String>, LabelError> {
        self.meta("builtin_version")
    }

    /// Every pack in the store, by id.
    pub fn packs(&self) -> Result<Vec<Pack>, LabelError> {
        let mut stmt = self.conn.prepare(
            "SELECT pack_id, version, format, title, source, source_date, licence, sha256, builtin
             FROM pack ORDER BY pack_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Pack {
                id: r.get(0)?,
                version: r.get(1)?,
                format: format_from(&r.get::<_, String>(2)?),
                title: r.get(3)?,
                source: r.get(4)?,
                source_date: r.get(5)?,
                licence: r.get(6)?,
                sha256: r.get(7)?,
                builtin: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many imported and analyst labels the store holds.
    pub fn counts(&self) -> Result<(usize, usize), LabelError> {
        let imported: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM label", [], |r| r.get(0))?;
        let analyst: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM analyst_label", [], |r| r.get(0))?;
        Ok((imported as usize, analyst as usize))
    }

    /// Every label for `address` (any chain; EVM case-insensitive): imported first (by pack),
    /// then the analysts'.
    pub fn labels_for(&self, address: &str) -> Result<Vec<StoredLabel>, LabelError> {
        let key = screen_key(address);
        let mut out = Vec::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT l.address, l.chain, l.caip2, l.label, l.category, l.source, l.source_date,
                    l.confidence, l.notes, l.pack_id, p.version
             FROM label l JOIN pack p ON p.pack_id = l.pack_id
             WHERE l.match_key = ?1 ORDER BY l.pack_id, l.chain, l.label, l.source",
        )?;
        let rows = stmt.query_map([&key], |r| {
            Ok(StoredLabel {
                label: Label {
                    address: r.get(0)?,
                    chain: r.get(1)?,
                    caip2: r.get(2)?,
                    label: r.get(3)?,
                    category: category_from(&r.get::<_, String>(4)?),
                    source: r.get(5)?,
                    source_date: r.get(6)?,
                    confidence: r.get(7)?,
                    notes: r.get(8)?,
                },
                pack_id: r.get(9)?,
                pack_version: r.get(10)?,
                analyst: false,
            })
        })?;
        for row in rows {
            out.push(row?);
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT address, chain, caip2, label, category, analyst, created_utc, confidence, notes
             FROM analyst_label WHERE match_key = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([&key], |r| {
            Ok(StoredLabel {
                label: Label {
                    address: r.get(0)?,
                    chain: r.get(1)?,
                    caip2: r.get(2)?,
                    label: r.get(3)?,
                    category: category_from(&r.get::<_, String>(4)?),
                    source: format!("analyst: {}", r.get::<_, String>(5)?),
                    source_date: Some(r.get::<_, String>(6)?.chars().take(10).collect()),
                    confidence: r.get(7)?,
                    notes: r.get(8)?,
                },
                pack_id: "analyst".to_string(),
                pack_version: String::new(),
                analyst: true,
            })
        })?;
        for row in rows {
            out.push(row?);
        }
        Ok(out)
    }

    /// Screens addresses against every label in the store: the hits only, sorted by address
    /// (then chain, category, label, source). Each distinct address is looked up once.
    pub fn screen<S: AsRef<str>>(&self, addresses: &[S]) -> Result<Vec<Hit>, LabelError> {
        let mut distinct: Vec<&str> = addresses.iter().map(|a| a.as_ref().trim()).collect();
        distinct.retain(|a| !a.is_empty());
        distinct.sort_unstable();
        distinct.dedup();
        let mut hits = Vec::new();
        let (_, analyst) = self.counts()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT chain, label, category, source, source_date, confidence
             FROM label WHERE match_key = ?1",
        )?;
        for address in distinct {
            let key = screen_key(address);
            let mut rows = stmt.query([&key])?;
            while let Some(r) = rows.next()? {
                hits.push(Hit {
                    address: address.to_string(),
                    chain: r.get(0)?,
                    label: r.get(1)?,
                    category: category_from(r.get_ref(2)?.as_str().unwrap_or("other")),
                    source: r.get(3)?,
                    source_date: r.get(4)?,
                    confidence: r.get(5)?,
                });
            }
            if analyst > 0 {
                for stored in self.labels_for(address)?.into_iter().filter(|l| l.analyst) {
                    let l = stored.label;
                    hits.push(Hit {
                        address: address.to_string(),
                        chain: l.chain,
                        label: l.label,
                        category: l.category,
                        source: l.source,
                        source_date: l.source_date,
                        confidence: l.confidence,
                    });
                }
            }
        }
        hits.sort();
        hits.dedup();
        Ok(hits)
    }

    /// Adds an analyst's label (validated like imported ones). One transaction.
    pub fn add_analyst_label(&mut self, l: &AnalystLabel) -> Result<(), LabelError> {
        let key = match_key(&l.address, &l.chain).map_err(|reason| LabelError::Invalid {
            file: "analyst label".to_string(),
            lines: vec![crate::label::InvalidLine { line: 1, reason }],
        })?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO analyst_label (address, match_key, chain, caip2, label, category, analyst,
                                        confidence, notes, created_utc)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            rusqlite::params![
                l.address.trim(),
                key,
                l.chain,
                caip2(&l.chain),
                l.label,
                l.category.as_str(),
                l.analyst,
                l.confidence.min(100),
                l.notes,
                now_utc()
            ],
        )?;
        tx.commit()?;
        Ok(())
    }
}

pub(crate) fn now_utc() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn category_from(s: &str) -> Category {
    Category::parse(s).unwrap_or(Category::Other)
}

fn format_from(s: &str) -> Format {
    match s {
        "tagpack" => Format::Tagpack,
        "csv" => Format::Csv,
        "ofac" => Format::Ofac,
        "etherscan" => Format::Etherscan,
        _ => Format::Ransomware,
    }
}

/// Checks a label store without writing to it (not even its header).
pub fn check(path: &Path) -> Result<(), LabelError> {
    use tracebench_core::store::{open_checked, FileCheckError};
    let path_buf = || path.to_path_buf();
    let conn = open_checked(path, APPLICATION_ID, schema_version()).map_err(|e| match e {
        FileCheckError::Io(source) => LabelError::Io {
            path: path_buf(),
            source,
        },
        FileCheckError::NotSqlite(detail) => LabelError::NotSqlite {
            path: path_buf(),
            detail,
        },
        FileCheckError::Foreign(found) => LabelError::Foreign {
            path: path_buf(),
            found,
        },
        FileCheckError::TooNew { found, supported } => LabelError::TooNew {
            path: path_buf(),
            found,
            supported,
        },
        FileCheckError::Corrupt(detail) => LabelError::Corrupt {
            path: path_buf(),
            detail,
        },
    })?;
    let corrupt = |e: rusqlite::Error| LabelError::Corrupt {
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    let created: Option<String> = conn
        .query_row(
            "SELECT value FROM store_meta WHERE key = 'created_utc'",
            [],
            |r| r.get(0),
        )
        .optional()
        .map_err(corrupt)?;
    if created.is_none() {
        return Err(LabelError::Corrupt {
            path: path.to_path_buf(),
            detail: "it has no store metadata".to_string(),
        });
    }
    Ok(())
}
