//! The audit log (schema 5): every analyst action, appended in the same transaction as the
//! action, each entry chained to the one before by SHA-256, so a changed, removed or reordered
//! entry is found by recomputing the chain ([`verify`]), and a truncated tail by comparing the
//! head with one printed earlier.

use std::path::Path;

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{check, sha256_hex, Case, CaseError};

/// `prev_hash` of the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An action about to be logged: who, what, when; `seq` and the hashes are assigned on append.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditAction {
    /// RFC 3339 UTC.
    pub at_utc: String,
    pub user: String,
    /// `case.create`, `add`, `expand`, `note`, `positions`, `veto`, `records.import`,
    /// `labels.use`, `export`.
    pub action: String,
    pub detail: serde_json::Value,
}

/// One stored entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at_utc: String,
    pub user: String,
    pub action: String,
    /// JSON text, hashed exactly as stored.
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of an entry: SHA-256 (lower-case hex) over the canonical encoding of its fields in
/// the order (seq, at_utc, user, action, detail, prev_hash), each field written as its UTF-8
/// bytes (`seq` in decimal) preceded by their length as an 8-byte big-endian integer.
pub fn entry_hash(
    seq: i64,
    at_utc: &str,
    user: &str,
    action: &str,
    detail: &str,
    prev_hash: &str,
) -> String {
    let mut h = Sha256::new();
    let seq = seq.to_string();
    for field in [seq.as_str(), at_utc, user, action, detail, prev_hash] {
        h.update((field.len() as u64).to_be_bytes());
        h.update(field.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Appends `a` to the log inside `tx` and returns the stored entry.
pub(crate) fn append(tx: &rusqlite::Connection, a: &AuditAction) -> Result<AuditEntry, CaseError> {
    let last: Option<(i64, String)> = tx
        .query_row(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (seq, prev_hash) = match last {
        Some((s, h)) => (s + 1, h),
        None => (1, GENESIS_HASH.to_string()),
    };
    let detail = a.detail.to_string();
    let hash = entry_hash(seq, &a.at_utc, &a.user, &a.action, &detail, &prev_hash);
    tx.execute(
        "INSERT INTO audit_log (seq, at_utc, user, action, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![seq, a.at_utc, a.user, a.action, detail, prev_hash, hash],
    )?;
    Ok(AuditEntry {
        seq,
        at_utc: a.at_utc.clone(),
        user: a.user.clone(),
        action: a.action.clone(),
        detail,
        prev_hash,
        hash,
    })
}

fn read_log(conn: &Connection) -> Result<Vec<AuditEntry>, CaseError> {
    let mut st = conn.prepare(
        "SELECT seq, at_utc, user, action, detail, prev_hash, hash FROM audit_log ORDER BY seq",
    )?;
    let rows = st.query_map([], |r| {
        Ok(AuditEntry {
            seq: r.get(0)?,
            at_utc: r.get(1)?,
            user: r.get(2)?,
            action: r.get(3)?,
            detail: r.get(4)?,
            prev_hash: r.get(5)?,
            hash: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

impl Case {
    /// Runs `f` with `action` staged: the first write `f` makes appends it to the audit log in
    /// the same transaction. Nothing is logged when `f` fails; the staged action never outlives
    /// `f`.
    pub fn audited<T, E>(
        &mut self,
        action: AuditAction,
        f: impl FnOnce(&mut Case) -> Result<T, E>,
    ) -> Result<T, E> {
        self.pending_audit = Some(action);
        let out = f(self);
        self.pending_audit = None;
        out
    }

    /// Appends `action` alone (one transaction).
    pub fn record_audit(&mut self, action: AuditAction) -> Result<AuditEntry, CaseError> {
        self.write(|tx| append(tx, &action))
    }

    /// The whole audit log, in sequence order.
    pub fn audit_log(&self) -> Result<Vec<AuditEntry>, CaseError> {
        read_log(self.conn())
    }

    /// The hash of the newest entry (`None` for an empty log).
    pub fn audit_head(&self) -> Result<Option<String>, CaseError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?)
    }
}

/// What kind of damage a finding names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// The case has no audit log at all (written before schema 5).
    NoAuditLog,
    /// An entry's stored hash does not match its fields.
    Changed,
    /// Entries are missing: a gap in `seq` (or the log does not start at 1).
    Removed,
    /// An entry's `prev_hash` is not the hash of the entry before it.
    Reordered,
    /// The expected head is not in the log: entries after some point were removed.
    Truncated,
    /// A raw response's bytes no longer match their stored SHA-256.
    RawMismatch,
    /// A row cites a row that is not there (`PRAGMA foreign_key_check`): e.g. a transaction
    /// whose raw response was deleted, so its provenance can no longer be shown.
    DanglingReference,
}

/// One problem [`verify`] found, naming the entry (`seq`) or raw response (`raw_id`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFinding {
    pub kind: FindingKind,
    pub seq: Option<i64>,
    pub raw_id: Option<i64>,
    pub message: String,
}

/// The outcome of [`verify`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditVerdict {
    pub ok: bool,
    pub entries: usize,
    /// Hash of the newest entry as stored.
    pub head: Option<String>,
    pub raw_responses: usize,
    pub findings: Vec<AuditFinding>,
}

/// Every row whose declared reference (`REFERENCES`/`FOREIGN KEY` in the schema) names a row
/// that does not exist, grouped per (table, referenced table) with the first few row ids, in
/// table order. A raw response missing under a row is reported with that row's `raw_id`.
fn dangling_references(conn: &Connection) -> Result<Vec<AuditFinding>, CaseError> {
    use std::collections::BTreeMap;
    let mut st = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = st
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<i64>>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut groups: BTreeMap<(String, String), Vec<Option<i64>>> = BTreeMap::new();
    for (table, rowid, parent) in rows {
        groups.entry((table, parent)).or_default().push(rowid);
    }
    let mut findings = Vec::new();
    for ((table, parent), mut rowids) in groups {
        rowids.sort_unstable();
        let raw_id = if parent == "raw_response" {
            raw_ids_of(conn, &table, &rowids)?
        } else {
            None
        };
        let shown: Vec<String> = rowids
            .iter()
            .take(5)
            .map(|r| r.map_or_else(|| "?".to_string(), |r| r.to_string()))
            .collect();
        let more = if rowids.len() > 5 {
            format!(" and {} more", rowids.len() - 5)
        } else {
            String::new()
        };
        let what = match raw_id {
            Some(id) => format!(" (raw response {id} is missing)"),
            None => String::new(),
        };
        findings.push(AuditFinding {
            kind: FindingKind::DanglingReference,
            seq: None,
            raw_id,
            message: format!(
                "{} row(s) of {table} cite a {parent} row that is not in the case{what}: rowid {}{more}",
                rowids.len(),
                shown.join(", ")
            ),
        });
    }
    Ok(findings)
}

/// The smallest `raw_id` that `table`'s dangling rows cite, when the table has that column.
fn raw_ids_of(
    conn: &Connection,
    table: &str,
    rowids: &[Option<i64>],
) -> Result<Option<i64>, CaseError> {
    let has_raw_id: bool = conn
        .prepare(&format!(
            "PRAGMA table_info(\"{}\")",
            table.replace('"', "\"\"")
        ))?
        .query_map([], |r| r.get::<_, String>(1))?
        .collect::<Result<Vec<_>, _>>()?
        .iter()
        .any(|c| c == "raw_id");
    if !has_raw_id {
        return Ok(None);
    }
    let mut ids = Vec::new();
    let mut st = conn.prepare(&format!(
        "SELECT raw_id FROM \"{}\" WHERE rowid = ?1",
        table.replace('"', "\"\"")
    ))?;
    for rowid in rowids.iter().flatten() {
        if let Some(id) = st.query_row([rowid], |r| r.get::<_, i64>(0)).optional()? {
            ids.push(id);
        }
    }
    Ok(ids.into_iter().min())
}

/// Verifies the case at `path` without writing to it (it is checked, then opened read-only):
/// recomputes the audit chain, compares its head with `expect_head`, re-hashes every raw
/// response, and checks that every row's references resolve (a transaction, transfer, price or
/// record whose raw response was deleted has lost its provenance).
pub fn verify(path: &Path, expect_head: Option<&str>) -> Result<AuditVerdict, CaseError> {
    check(path)?;
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let mut findings = Vec::new();
    let has_log: Option<String> = conn
        .query_row(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let log = if has_log.is_some() {
        read_log(&conn)?
    } else {
        findings.push(AuditFinding {
            kind: FindingKind::NoAuditLog,
            seq: None,
            raw_id: None,
            message: "the case has no audit log (it was last opened by a build before schema 5)"
                .to_string(),
        });
        Vec::new()
    };
    let mut expected_seq = 1;
    let mut prev = GENESIS_HASH.to_string();
    for e in &log {
        if e.seq != expected_seq {
            let message = if e.seq == expected_seq + 1 {
                format!(
                    "entry {expected_seq} was removed (the log jumps to entry {})",
                    e.seq
                )
            } else {
                format!(
                    "entries {expected_seq} to {} were removed (the log jumps to entry {})",
                    e.seq - 1,
                    e.seq
                )
            };
            findings.push(AuditFinding {
                kind: FindingKind::Removed,
                seq: Some(expected_seq),
                raw_id: None,
                message,
            });
        }
        let computed = entry_hash(
            e.seq,
            &e.at_utc,
            &e.user,
            &e.action,
            &e.detail,
            &e.prev_hash,
        );
        if computed != e.hash {
            findings.push(AuditFinding {
                kind: FindingKind::Changed,
                seq: Some(e.seq),
                raw_id: None,
                message: format!(
                    "entry {} ({}) was changed: its fields hash to {computed}, not to the stored {}",
                    e.seq, e.action, e.hash
                ),
            });
        }
        if e.prev_hash != prev {
            findings.push(AuditFinding {
                kind: FindingKind::Reordered,
                seq: Some(e.seq),
                raw_id: None,
                message: format!(
                    "entry {} ({}) does not follow the entry before it: prev_hash {} is not {}",
                    e.seq, e.action, e.prev_hash, prev
                ),
            });
        }
        prev = e.hash.clone();
        expected_seq = e.seq + 1;
    }
    let head = log.last().map(|e| e.hash.clone());
    if let Some(expect) = expect_head {
        if !log.iter().any(|e| e.hash == expect) {
            let last = log.last().map(|e| e.seq).unwrap_or(0);
            findings.push(AuditFinding {
                kind: FindingKind::Truncated,
                seq: Some(last + 1),
                raw_id: None,
                message: format!(
                    "the expected head {expect} is not in the log, which ends at entry {last}: entries after it were removed"
                ),
            });
        }
    }
    let mut st = conn.prepare("SELECT id, sha256, body FROM raw_response ORDER BY id")?;
    let raws = st
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Vec<u8>>(2)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    for (id, stored, body) in &raws {
        let actual = sha256_hex(body);
        if &actual != stored {
            findings.push(AuditFinding {
                kind: FindingKind::RawMismatch,
                seq: None,
                raw_id: Some(*id),
                message: format!(
                    "raw response {id}: its bytes hash to {actual}, not to the stored {stored}"
                ),
            });
        }
    }
    findings.extend(dangling_references(&conn)?);
    Ok(AuditVerdict {
        ok: findings.is_empty(),
        entries: log.len(),
        head,
        raw_responses: raws.len(),
        findings,
    })
}
