//! The case's content hash: SHA-256 over a canonical dump of every table of the case file, so
//! two cases with the same evidence, canvas, notes, vetoes, attributions and audit trail have
//! the same hash, and any changed, added or removed row changes it.
//!
//! Audit-log entries whose action is [`EXPORT_ACTION`] are left out: writing a report or a
//! bundle appends such an entry, and leaving it out means exporting does not change what the
//! next export reads (two exports in a row carry the same content hash and document id).
//!
//! # Encoding (version [`CONTENT_HASH_FORMAT`])
//!
//! Every *field* below is its bytes preceded by their length as an 8-byte big-endian integer.
//! The hash input is, in order:
//!
//! 1. the field `tracebench-content/1`;
//! 2. for every table of the database whose name does not start with `sqlite_`, in byte order
//!    of the table name:
//!    - the field `T` and the table name as a field,
//!    - the number of columns (8-byte big-endian) and each column name as a field, in the
//!      table's declared column order (`PRAGMA table_info`),
//!    - for every row, in primary-key order (the columns of the primary key, in key order;
//!      a table without a declared key is ordered by all its columns): the field `R`, then each
//!      value in column order as one tag byte and its payload — `N` (NULL, no payload), `I` and
//!      an 8-byte big-endian two's-complement integer, `F` and the 8-byte big-endian IEEE-754
//!      bits of a real, `S` and a field with the UTF-8 text, `B` and a field with the blob,
//!    - the field `E` and the number of rows written (8-byte big-endian).
//!
//! The tables today (schema 5): `address`, `address_history`, `audit_log` (without `export`
//! entries), `canvas_node`, `case_meta`, `exchange_record`, `label_pack_use`, `note`,
//! `raw_response` (with the exact response bytes), `source`, `transfer`, `tx`, `tx_input`,
//! `tx_output`, `veto`. A table added by a later migration is included automatically, except
//! [`VIEW_ONLY_TABLE`] (the saved canvas viewport), which is no evidence.
//! The analyst's annotations (schema 9: `callout`, `story_step`, `note_retraction`) are
//! included: removed callouts and steps, and retracted notes, stay in the case and in the hash.

use rusqlite::types::ValueRef;
use rusqlite::Connection;
use sha2::{Digest, Sha256};

use super::{Case, CaseError};

/// The audit-log action of an export (`Workbench::record_export`): left out of the hash.
pub const EXPORT_ACTION: &str = "export";

/// The saved canvas viewport (zoom and pan, migration 0010): a view setting, not evidence, left
/// out so that looking around the canvas does not change the hash a report was sealed with.
pub const VIEW_ONLY_TABLE: &str = "canvas_viewport";

/// The first field of the hash input; changes whenever the encoding does.
pub const CONTENT_HASH_FORMAT: &str = "tracebench-content/1";

/// The content hash and what went into it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ContentHash {
    /// Lower-case hex SHA-256.
    pub sha256: String,
    /// Rows hashed per table, by table name.
    pub rows: std::collections::BTreeMap<String, u64>,
}

/// The hash input, gathered in a buffer and handed to SHA-256 in large blocks: the same bytes
/// in the same order (so the same hash) without a hasher call per tag and length.
struct Feed {
    hash: Sha256,
    buf: Vec<u8>,
}

impl Feed {
    const FLUSH_AT: usize = 1 << 16;

    fn new() -> Feed {
        Feed {
            hash: Sha256::new(),
            buf: Vec::with_capacity(Self::FLUSH_AT * 2),
        }
    }

    fn update(&mut self, bytes: impl AsRef<[u8]>) {
        let bytes = bytes.as_ref();
        if bytes.len() >= Self::FLUSH_AT {
            self.hash.update(&self.buf);
            self.buf.clear();
            self.hash.update(bytes);
            return;
        }
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= Self::FLUSH_AT {
            self.hash.update(&self.buf);
            self.buf.clear();
        }
    }

    fn finalize(mut self) -> String {
        self.hash.update(&self.buf);
        hex::encode(self.hash.finalize())
    }
}

fn field(h: &mut Feed, bytes: &[u8]) {
    h.update((bytes.len() as u64).to_be_bytes());
    h.update(bytes);
}

/// One column as `PRAGMA table_info` reports it.
struct Column {
    name: String,
    /// 0 when not part of the primary key, else its 1-based position in the key.
    pk: i64,
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn columns(conn: &Connection, table: &str) -> Result<Vec<Column>, CaseError> {
    let mut st = conn.prepare(&format!("PRAGMA table_info({})", quoted(table)))?;
    let cols = st
        .query_map([], |r| {
            Ok(Column {
                name: r.get(1)?,
                pk: r.get(5)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(cols)
}

/// Computes the content hash over the database behind `conn` (see the module documentation).
pub fn content_hash(conn: &Connection) -> Result<ContentHash, CaseError> {
    let mut tables: Vec<String> = {
        let mut st = conn.prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
        )?;
        let names = st
            .query_map([], |r| r.get::<_, String>(0))?
            .filter(|name| !matches!(name.as_deref(), Ok(VIEW_ONLY_TABLE)))
            .collect::<Result<Vec<_>, _>>()?;
        names
    };
    tables.sort();
    // Rows are read in primary-key order, through the key's index and a look-up per row into
    // the table: memory-mapped, those page reads are not copied through a read call each.
    // The connection's setting is put back afterwards.
    let mmap: Option<i64> = conn
        .prepare("PRAGMA mmap_size")?
        .query([])?
        .next()?
        .map(|r| r.get(0))
        .transpose()?;
    set_mmap(conn, HASH_MMAP_BYTES)?;
    let hashed = hash_tables(conn, &tables);
    if let Some(bytes) = mmap {
        set_mmap(conn, bytes)?;
    }
    hashed
}

/// Sets the connection's memory-map size (the pragma answers with a row, or none when the
/// build maps nothing).
fn set_mmap(conn: &Connection, bytes: i64) -> Result<(), CaseError> {
    conn.prepare(&format!("PRAGMA mmap_size = {bytes}"))?
        .query([])?
        .next()?;
    Ok(())
}

/// Bytes of the case file mapped into memory while hashing.
const HASH_MMAP_BYTES: i64 = 1 << 32;

fn hash_tables(conn: &Connection, tables: &[String]) -> Result<ContentHash, CaseError> {
    let mut h = Feed::new();
    field(&mut h, CONTENT_HASH_FORMAT.as_bytes());
    let mut rows = std::collections::BTreeMap::new();
    for table in tables {
        let cols = columns(conn, table)?;
        field(&mut h, b"T");
        field(&mut h, table.as_bytes());
        h.update((cols.len() as u64).to_be_bytes());
        for c in &cols {
            field(&mut h, c.name.as_bytes());
        }
        let mut key: Vec<&Column> = cols.iter().filter(|c| c.pk > 0).collect();
        key.sort_by_key(|c| c.pk);
        let order: Vec<String> = if key.is_empty() {
            cols.iter().map(|c| quoted(&c.name)).collect()
        } else {
            key.iter().map(|c| quoted(&c.name)).collect()
        };
        let filter = if table == "audit_log" {
            format!(" WHERE action <> '{EXPORT_ACTION}'")
        } else {
            String::new()
        };
        let select = format!(
            "SELECT {} FROM {}{filter} ORDER BY {}",
            cols.iter()
                .map(|c| quoted(&c.name))
                .collect::<Vec<_>>()
                .join(", "),
            quoted(table),
            order.join(", ")
        );
        let mut st = conn.prepare(&select)?;
        let mut cursor = st.query([])?;
        let mut n: u64 = 0;
        while let Some(row) = cursor.next()? {
            field(&mut h, b"R");
            for i in 0..cols.len() {
                match row.get_ref(i)? {
                    ValueRef::Null => h.update(b"N"),
                    ValueRef::Integer(v) => {
                        h.update(b"I");
                        h.update(v.to_be_bytes());
                    }
                    ValueRef::Real(v) => {
                        h.update(b"F");
                        h.update(v.to_bits().to_be_bytes());
                    }
                    ValueRef::Text(t) => {
                        h.update(b"S");
                        field(&mut h, t);
                    }
                    ValueRef::Blob(b) => {
                        h.update(b"B");
                        field(&mut h, b);
                    }
                }
            }
            n += 1;
        }
        field(&mut h, b"E");
        h.update(n.to_be_bytes());
        rows.insert(table.clone(), n);
    }
    Ok(ContentHash {
        sha256: h.finalize(),
        rows,
    })
}

impl Case {
    /// The case's content hash (see [`content_hash`]).
    pub fn content_hash(&self) -> Result<ContentHash, CaseError> {
        content_hash(self.conn())
    }

    /// The newest audit-log entry that is not an export, as (seq, hash): the head a report
    /// prints, unchanged by the export that writes it. `None` when there is none.
    pub fn evidence_head(&self) -> Result<Option<(i64, String)>, CaseError> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn()
            .query_row(
                "SELECT seq, hash FROM audit_log WHERE action <> ?1 ORDER BY seq DESC LIMIT 1",
                [EXPORT_ACTION],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }
}

impl Case {
    /// What a report prints and seals about the case: its content hash and the newest
    /// non-export audit-log entry.
    pub fn report_integrity(&self) -> Result<tracebench_report::ReportIntegrity, CaseError> {
        let head = self.evidence_head()?;
        Ok(tracebench_report::ReportIntegrity {
            content_hash: self.content_hash()?.sha256,
            audit_seq: head.as_ref().map(|(seq, _)| *seq),
            audit_head: head.map(|(_, hash)| hash),
        })
    }
}
