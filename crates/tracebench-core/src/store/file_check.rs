//! The read-only check every Tracebench SQLite file (case, label store) passes before anything
//! is written to it: the SQLite header, the application id, a schema version not newer than the
//! reader's, and `quick_check`. Each store maps the failure to its own error and adds its own
//! metadata check on the returned read-only connection.
//!
//! The check comes in two parts: [`open_header_checked`] (the header, the application id and the
//! schema version: a few page reads) and [`quick_check`] (every page of every table and index,
//! the costly part on a big file). [`open_checked`] runs both; a case runs the second on a
//! thread of its own after opening and writes nothing until it passed (`store::integrity`).

use std::io::Read;
use std::path::Path;

use rusqlite::{Connection, OpenFlags};

/// Why a file failed the check. Nothing was written to it.
#[derive(Debug)]
pub enum FileCheckError {
    /// The file could not be read (kind `NotFound` when it does not exist).
    Io(std::io::Error),
    NotSqlite(String),
    Foreign(i32),
    TooNew {
        found: i64,
        supported: i64,
    },
    Corrupt(String),
}

/// Opens `path` read-only and checks it whole; returns the read-only connection.
pub fn open_checked(
    path: &Path,
    application_id: i32,
    supported_version: i64,
) -> Result<Connection, FileCheckError> {
    let conn = open_header_checked(path, application_id, supported_version)?;
    quick_check(&conn)?;
    Ok(conn)
}

/// Opens `path` read-only and checks its header, application id and schema version (not its
/// pages: see [`quick_check`]); returns the read-only connection.
pub fn open_header_checked(
    path: &Path,
    application_id: i32,
    supported_version: i64,
) -> Result<Connection, FileCheckError> {
    let mut header = Vec::with_capacity(16);
    std::fs::File::open(path)
        .and_then(|f| f.take(16).read_to_end(&mut header))
        .map_err(FileCheckError::Io)?;
    if header.as_slice() != b"SQLite format 3\0" {
        return Err(FileCheckError::NotSqlite(if header.is_empty() {
            "the file is empty".to_string()
        } else {
            "its header is not the SQLite header".to_string()
        }));
    }
    let corrupt = |e: rusqlite::Error| FileCheckError::Corrupt(e.to_string());
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(corrupt)?;
    let app_id: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(corrupt)?;
    if app_id != application_id {
        return Err(FileCheckError::Foreign(app_id));
    }
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(corrupt)?;
    if version > supported_version {
        return Err(FileCheckError::TooNew {
            found: version,
            supported: supported_version,
        });
    }
    Ok(conn)
}

/// SQLite's `quick_check` of every page of every table and index the file holds: `Corrupt`
/// with SQLite's first finding when it is not "ok".
pub fn quick_check(conn: &Connection) -> Result<(), FileCheckError> {
    let verdict: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| FileCheckError::Corrupt(e.to_string()))?;
    if verdict != "ok" {
        return Err(FileCheckError::Corrupt(verdict));
    }
    Ok(())
}
