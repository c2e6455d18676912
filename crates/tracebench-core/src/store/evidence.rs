//! Sources and raw responses: the evidence every parsed row points back to.

use rusqlite::params;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Case, CaseError};

/// A response as it came off the wire, with its provenance, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawResponse {
    pub source_id: String,
    /// The API route, e.g. `/tx/:txid` with the id filled in.
    pub endpoint: String,
    /// The full request (method and URL) with secrets replaced by `***`.
    pub request: String,
    /// RFC 3339 UTC.
    pub retrieved_at: String,
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

impl RawResponse {
    pub fn sha256(&self) -> String {
        sha256_hex(&self.body)
    }
}

/// Lower-case hex SHA-256 of `bytes`: how every hash in a case and a report is written.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A stored raw response's provenance (the body is read separately).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredRaw {
    pub id: i64,
    pub source_id: String,
    pub endpoint: String,
    pub request: String,
    pub retrieved_at: String,
    pub status: u16,
    pub sha256: String,
}

pub(crate) fn insert_source(
    tx: &rusqlite::Connection,
    source_id: &str,
    kind: &str,
    synthetic: bool,
    now: &str,
) -> Result<(), CaseError> {
    tx.prepare_cached(
        "INSERT OR IGNORE INTO source (source_id, kind, synthetic, first_used_utc) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![source_id, kind, synthetic, now])?;
    Ok(())
}

pub(crate) fn insert_raw(tx: &rusqlite::Connection, raw: &RawResponse) -> Result<i64, CaseError> {
    insert_raw_hashed(tx, raw, &raw.sha256())
}

/// [`insert_raw`] with the body's SHA-256 already computed (`sha256` must be
/// [`RawResponse::sha256`]).
pub(crate) fn insert_raw_hashed(
    tx: &rusqlite::Connection,
    raw: &RawResponse,
    sha256: &str,
) -> Result<i64, CaseError> {
    tx.prepare_cached(
        "INSERT INTO raw_response (source_id, endpoint, request, retrieved_at, status, content_type, sha256, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
            raw.source_id,
            raw.endpoint,
            raw.request,
            raw.retrieved_at,
            raw.status,
            raw.content_type,
            sha256,
            raw.body
        ])?;
    Ok(tx.last_insert_rowid())
}

impl Case {
    /// Provenance of every stored raw response, in storage order.
    pub fn raw_responses(&self) -> Result<Vec<StoredRaw>, CaseError> {
        let mut st = self.conn().prepare(
            "SELECT id, source_id, endpoint, request, retrieved_at, status, sha256 FROM raw_response ORDER BY id",
        )?;
        let rows = st.query_map([], |r| {
            Ok(StoredRaw {
                id: r.get(0)?,
                source_id: r.get(1)?,
                endpoint: r.get(2)?,
                request: r.get(3)?,
                retrieved_at: r.get(4)?,
                status: r.get(5)?,
                sha256: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The exact stored bytes of a raw response.
    pub fn raw_body(&self, id: i64) -> Result<Vec<u8>, CaseError> {
        use rusqlite::OptionalExtension;
        self.conn()
            .query_row("SELECT body FROM raw_response WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or(CaseError::Missing {
                what: "raw response",
                id: id.to_string(),
            })
    }

    /// Source ids the case drew on, with whether each is synthetic.
    pub fn sources(&self) -> Result<Vec<(String, bool)>, CaseError> {
        let mut st = self
            .conn()
            .prepare("SELECT source_id, synthetic FROM source ORDER BY source_id")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
