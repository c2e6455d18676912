//! Case bundles: one file that carries a whole case to another machine and proves it arrived
//! unchanged.
//!
//! A bundle is a POSIX ustar archive (the `tar` crate; `tar tf` lists it) whose entries are, in
//! this order:
//!
//! 1. `case.tbcase`: a consistent copy of the case database (`VACUUM INTO`, so an open case with
//!    a WAL is copied whole), in rollback-journal mode;
//! 2. `raw/<id>-<sha256>`: every raw response body, by its `raw_response.id` and SHA-256;
//! 3. `manifest.json`: format, case id, tool version, creation time (UTC) and, for every entry
//!    above, its name, size and SHA-256;
//! 4. `SHA256`: the lower-case hex SHA-256 of every byte before this entry's header, and a
//!    newline;
//!
//! followed by the two zero blocks that end a tar archive. Entry headers carry mode 0644, owner 0
//! and the creation time. Import verifies everything — the archive structure and header
//! checksums, the trailing hash, each entry against the manifest, each raw response against its
//! name and against the database's `raw_response.sha256`, and the database against the case
//! file checks of [`crate::store::check`] — before it writes the case, and writes it through a
//! temporary file that is linked into place only when nothing failed, never over an existing
//! file.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::source::rfc3339;
use crate::store::{check, sha256_hex, Case, CaseError};

pub const FORMAT: &str = "tracebench-bundle/1";
pub const DB_ENTRY: &str = "case.tbcase";
pub const MANIFEST_ENTRY: &str = "manifest.json";
pub const HASH_ENTRY: &str = "SHA256";
const BLOCK: usize = 512;

#[derive(Debug, Error)]
pub enum BundleError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} already exists; refusing to overwrite it")]
    Exists { path: PathBuf },
    #[error("the bundle is truncated or not a Tracebench bundle: {0}; nothing was written")]
    Truncated(String),
    #[error("the bundle is damaged in {entry}: {detail}; nothing was written")]
    Damaged { entry: String, detail: String },
    #[error("exporting the case: {0}")]
    Export(String),
}

fn damaged(entry: impl Into<String>, detail: impl Into<String>) -> BundleError {
    BundleError::Damaged {
        entry: entry.into(),
        detail: detail.into(),
    }
}

/// One entry as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    pub name: String,
    pub size: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    pub case_id: String,
    pub tool_version: String,
    /// RFC 3339 UTC.
    pub created_utc: String,
    pub entries: Vec<ManifestEntry>,
    /// The case's content hash (`store::content_hash`) when it was exported.
    #[serde(default)]
    pub content_hash: Option<String>,
    /// Hash of the newest audit-log entry in the bundled case: `tracebench case verify
    /// --expect-head` with it finds a truncated tail.
    #[serde(default)]
    pub audit_head: Option<String>,
    /// Number of audit-log entries in the bundled case.
    #[serde(default)]
    pub audit_entries: u64,
}

/// What an export wrote or an import verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleSummary {
    /// The bundle (export) or the new case file (import).
    pub path: String,
    pub case_id: String,
    pub raw_responses: usize,
    /// Size of the bundle in bytes.
    pub bundle_bytes: u64,
    /// SHA-256 of the whole bundle file.
    pub bundle_sha256: String,
    pub manifest: Manifest,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BundleError + '_ {
    move |source| BundleError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A sibling of `path` for temporary data: `.<name>.<tag>-<pid>.partial`.
fn partial(path: &Path, tag: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "bundle".to_string());
    path.with_file_name(format!(".{name}.{tag}-{}.partial", std::process::id()))
}

/// Removes a temporary SQLite file and its side files.
fn remove_db(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

/// Writes `case` as a bundle to `out` (refusing to overwrite it).
pub fn export(case: &Case, out: &Path, now: DateTime<Utc>) -> Result<BundleSummary, BundleError> {
    if out.exists() {
        return Err(BundleError::Exists {
            path: out.to_path_buf(),
        });
    }
    let snapshot = partial(out, "db");
    remove_db(&snapshot);
    let integrity = integrity(case)?;
    let result = snapshot_db(case, &snapshot)
        .and_then(|(db, raws)| write_bundle(out, &case.meta().case_id, now, &db, &raws, integrity));
    remove_db(&snapshot);
    result
}

type Raws = Vec<(i64, String, Vec<u8>)>;

/// The content hash, audit head and entry count the manifest records.
struct Integrity {
    content_hash: String,
    audit_head: Option<String>,
    audit_entries: u64,
}

fn integrity(case: &Case) -> Result<Integrity, BundleError> {
    let export = |e: crate::store::CaseError| BundleError::Export(e.to_string());
    Ok(Integrity {
        content_hash: case.content_hash().map_err(export)?.sha256,
        audit_head: case.audit_head().map_err(export)?,
        audit_entries: case.audit_log().map_err(export)?.len() as u64,
    })
}

/// `VACUUM INTO` a temporary file, switch the copy to a rollback journal (one self-contained
/// file), and read it and its raw responses back.
fn snapshot_db(case: &Case, snapshot: &Path) -> Result<(Vec<u8>, Raws), BundleError> {
    let target = snapshot
        .to_str()
        .ok_or_else(|| BundleError::Export(format!("{} is not UTF-8", snapshot.display())))?;
    case.conn()
        .execute("VACUUM INTO ?1", [target])
        .map_err(|e| BundleError::Export(format!("VACUUM INTO failed: {e}")))?;
    let raws = {
        let conn = Connection::open_with_flags(
            snapshot,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| BundleError::Export(e.to_string()))?;
        let read = || -> rusqlite::Result<Raws> {
            conn.pragma_update(None, "journal_mode", "DELETE")?;
            let mut st = conn.prepare("SELECT id, sha256, body FROM raw_response ORDER BY id")?;
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            rows.collect()
        };
        read().map_err(|e| BundleError::Export(e.to_string()))?
    };
    let db = std::fs::read(snapshot).map_err(io(snapshot))?;
    for (id, sha, body) in &raws {
        if &sha256_hex(body) != sha {
            return Err(BundleError::Export(format!(
                "raw response {id} in the case does not match its stored SHA-256"
            )));
        }
    }
    Ok((db, raws))
}

fn raw_name(id: i64, sha: &str) -> String {
    format!("raw/{id}-{sha}")
}

fn write_bundle(
    out: &Path,
    case_id: &str,
    now: DateTime<Utc>,
    db: &[u8],
    raws: &Raws,
    integrity: Integrity,
) -> Result<BundleSummary, BundleError> {
    let mtime = u64::try_from(now.timestamp()).unwrap_or(0);
    let mut entries: Vec<(String, &[u8])> = vec![(DB_ENTRY.to_string(), db)];
    for (id, sha, body) in raws {
        entries.push((raw_name(*id, sha), body));
    }
    let manifest = Manifest {
        format: FORMAT.to_string(),
        case_id: case_id.to_string(),
        tool_version: format!("tracebench {}", env!("CARGO_PKG_VERSION")),
        created_utc: rfc3339(now),
        entries: entries
            .iter()
            .map(|(name, data)| ManifestEntry {
                name: name.clone(),
                size: data.len() as u64,
                sha256: sha256_hex(data),
            })
            .collect(),
        content_hash: Some(integrity.content_hash),
        audit_head: integrity.audit_head,
        audit_entries: integrity.audit_entries,
    };
    let manifest_json = serde_json::to_vec_pretty(&manifest)
        .map_err(|e| BundleError::Export(format!("manifest: {e}")))?;
    let append = |b: &mut tar::Builder<Vec<u8>>, name: &str, data: &[u8]| {
        let mut h = tar::Header::new_ustar();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_uid(0);
        h.set_gid(0);
        h.set_mtime(mtime);
        h.set_entry_type(tar::EntryType::Regular);
        b.append_data(&mut h, name, data)
            .map_err(|e| BundleError::Export(format!("writing entry {name}: {e}")))
    };
    let mut b = tar::Builder::new(Vec::new());
    for (name, data) in &entries {
        append(&mut b, name, data)?;
    }
    append(&mut b, MANIFEST_ENTRY, &manifest_json)?;
    let trailing = format!("{}\n", sha256_hex(b.get_ref()));
    append(&mut b, HASH_ENTRY, trailing.as_bytes())?;
    let bytes = b
        .into_inner()
        .map_err(|e| BundleError::Export(format!("finishing the archive: {e}")))?;
    let tmp = partial(out, "bundle");
    std::fs::write(&tmp, &bytes).map_err(io(&tmp))?;
    let placed = place(&tmp, out);
    let _ = std::fs::remove_file(&tmp);
    placed?;
    Ok(BundleSummary {
        path: out.display().to_string(),
        case_id: case_id.to_string(),
        raw_responses: raws.len(),
        bundle_bytes: bytes.len() as u64,
        bundle_sha256: sha256_hex(&bytes),
        manifest,
    })
}

/// Links `tmp` to `out` without ever replacing an existing `out`.
fn place(tmp: &Path, out: &Path) -> Result<(), BundleError> {
    std::fs::hard_link(tmp, out).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            BundleError::Exists {
                path: out.to_path_buf(),
            }
        } else {
            BundleError::Io {
                path: out.to_path_buf(),
                source: e,
            }
        }
    })
}

/// A bundle whose structure, trailing hash and manifest hashes were verified.
struct Verified {
    manifest: Manifest,
    entries: BTreeMap<String, Vec<u8>>,
}

/// Checks everything that can be checked without the database: archive structure and header
/// checksums, the trailing hash, and every entry against the manifest. The most specific
/// failure is reported: a damaged entry is named even when the trailing hash also fails.
fn verify_bytes(bytes: &[u8]) -> Result<Verified, BundleError> {
    if bytes.len() < 4 * BLOCK + 2 * BLOCK || !bytes.len().is_multiple_of(BLOCK) {
        return Err(BundleError::Truncated(format!(
            "{} bytes is not a whole archive",
            bytes.len()
        )));
    }
    let mut archive = tar::Archive::new(bytes);
    let mut parsed: Vec<(String, u64, Vec<u8>)> = Vec::new();
    let iter = archive
        .entries()
        .map_err(|e| damaged("the archive", e.to_string()))?;
    for entry in iter {
        let after = parsed
            .last()
            .map(|(n, _, _)| format!("the entry header after '{n}'"))
            .unwrap_or_else(|| "the first entry header".to_string());
        let mut entry = entry.map_err(|e| damaged(after.clone(), e.to_string()))?;
        let name = entry
            .path()
            .map_err(|e| damaged(after.clone(), e.to_string()))?
            .to_string_lossy()
            .to_string();
        if entry.header().entry_type() != tar::EntryType::Regular {
            return Err(damaged(&name, "not a regular file entry"));
        }
        let pos = entry.raw_header_position();
        let mut data = Vec::new();
        entry
            .read_to_end(&mut data)
            .map_err(|e| damaged(&name, e.to_string()))?;
        parsed.push((name, pos, data));
    }
    let Some((hash_name, hash_pos, hash_data)) = parsed.pop() else {
        return Err(BundleError::Truncated("the archive has no entries".into()));
    };
    if hash_name != HASH_ENTRY {
        return Err(BundleError::Truncated(format!(
            "the last entry is '{hash_name}', not the trailing {HASH_ENTRY}"
        )));
    }
    let hash_pos = usize::try_from(hash_pos).map_err(|e| damaged(HASH_ENTRY, e.to_string()))?;
    if bytes.len() != hash_pos + 4 * BLOCK {
        return Err(damaged(
            "the end of the archive",
            "unexpected bytes after the trailing hash",
        ));
    }
    if bytes[hash_pos + BLOCK + hash_data.len()..]
        .iter()
        .any(|b| *b != 0)
    {
        return Err(damaged(
            "the end of the archive",
            "padding after the trailing hash is not zero",
        ));
    }
    let claimed = std::str::from_utf8(&hash_data)
        .ok()
        .and_then(|s| s.strip_suffix('\n'))
        .filter(|s| s.len() == 64 && s.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')))
        .ok_or_else(|| damaged(HASH_ENTRY, "not a lower-case hex SHA-256 and a newline"))?
        .to_string();
    let Some((manifest_name, _, manifest_bytes)) = parsed.pop() else {
        return Err(BundleError::Truncated("no manifest".into()));
    };
    if manifest_name != MANIFEST_ENTRY {
        return Err(damaged(
            &manifest_name,
            format!("expected {MANIFEST_ENTRY} before the trailing hash"),
        ));
    }
    let manifest: Manifest = serde_json::from_slice(&manifest_bytes)
        .map_err(|e| damaged(MANIFEST_ENTRY, format!("not a valid manifest: {e}")))?;
    if manifest.format != FORMAT {
        return Err(damaged(
            MANIFEST_ENTRY,
            format!("format '{}' is not {FORMAT}", manifest.format),
        ));
    }
    let listed: Vec<&str> = manifest.entries.iter().map(|e| e.name.as_str()).collect();
    let present: Vec<&str> = parsed.iter().map(|(n, _, _)| n.as_str()).collect();
    if listed != present {
        let first = listed
            .iter()
            .zip(present.iter())
            .find(|(l, p)| l != p)
            .map(|(l, p)| format!("the manifest lists '{l}' where the bundle has '{p}'"))
            .unwrap_or_else(|| {
                format!(
                    "the manifest lists {} entries, the bundle has {}",
                    listed.len(),
                    present.len()
                )
            });
        return Err(damaged(MANIFEST_ENTRY, first));
    }
    for ((name, _, data), listed) in parsed.iter().zip(&manifest.entries) {
        let actual = sha256_hex(data);
        if data.len() as u64 != listed.size || actual != listed.sha256 {
            return Err(damaged(
                name,
                format!(
                    "{} bytes with SHA-256 {actual}, the manifest says {} bytes with {}",
                    data.len(),
                    listed.size,
                    listed.sha256
                ),
            ));
        }
        if let Some(rest) = name.strip_prefix("raw/") {
            let named = rest.split_once('-').map(|(_, sha)| sha).unwrap_or_default();
            if named != actual {
                return Err(damaged(name, "its SHA-256 does not match its name"));
            }
        } else if name != DB_ENTRY {
            return Err(damaged(name, "not an entry a bundle holds"));
        }
    }
    if present.first().is_none_or(|n| *n != DB_ENTRY) {
        return Err(damaged(
            MANIFEST_ENTRY,
            format!("no {DB_ENTRY} entry first"),
        ));
    }
    let actual = sha256_hex(&bytes[..hash_pos]);
    if actual != claimed {
        return Err(damaged(
            HASH_ENTRY,
            format!(
                "the trailing SHA-256 {claimed} does not match the bytes before it ({actual}): an entry header or padding was changed"
            ),
        ));
    }
    Ok(Verified {
        manifest,
        entries: parsed.into_iter().map(|(n, _, d)| (n, d)).collect(),
    })
}

/// Checks the database of a verified bundle, written at `db_path`: the case file checks, the
/// case id, and every raw response against its entry.
fn verify_db(db_path: &Path, v: &Verified) -> Result<usize, BundleError> {
    check(db_path).map_err(|e| damaged(DB_ENTRY, e.to_string()))?;
    let conn = Connection::open_with_flags(
        db_path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| damaged(DB_ENTRY, e.to_string()))?;
    let read = || -> rusqlite::Result<(String, Raws)> {
        let case_id: String = conn.query_row("SELECT case_id FROM case_meta", [], |r| r.get(0))?;
        let mut st = conn.prepare("SELECT id, sha256, body FROM raw_response ORDER BY id")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok((case_id, rows.collect::<rusqlite::Result<Raws>>()?))
    };
    let (case_id, raws) = read().map_err(|e| damaged(DB_ENTRY, e.to_string()))?;
    if case_id != v.manifest.case_id {
        return Err(damaged(
            MANIFEST_ENTRY,
            format!(
                "case id {} does not match the database's {case_id}",
                v.manifest.case_id
            ),
        ));
    }
    for (id, sha, body) in &raws {
        if &sha256_hex(body) != sha {
            return Err(damaged(
                DB_ENTRY,
                format!("raw response {id} does not match its stored SHA-256"),
            ));
        }
        let name = raw_name(*id, sha);
        if !v.entries.contains_key(&name) {
            return Err(damaged(
                &name,
                format!("raw response {id} of the database has no entry with its SHA-256"),
            ));
        }
    }
    let raw_entries = v.entries.keys().filter(|n| n.starts_with("raw/")).count();
    if raw_entries != raws.len() {
        return Err(damaged(
            DB_ENTRY,
            format!(
                "the database holds {} raw responses, the bundle {raw_entries}",
                raws.len()
            ),
        ));
    }
    Ok(raws.len())
}

/// Verifies the bundle at `bundle` completely and only then writes its case to `out` (never
/// over an existing file). On any failure nothing is left at `out`.
pub fn import(bundle: &Path, out: &Path) -> Result<BundleSummary, BundleError> {
    if out.exists() {
        return Err(BundleError::Exists {
            path: out.to_path_buf(),
        });
    }
    let bytes = std::fs::read(bundle).map_err(io(bundle))?;
    let verified = verify_bytes(&bytes)?;
    let tmp = partial(out, "import");
    remove_db(&tmp);
    let result = std::fs::write(&tmp, &verified.entries[DB_ENTRY])
        .map_err(io(&tmp))
        .and_then(|()| verify_db(&tmp, &verified))
        .and_then(|n| place(&tmp, out).map(|()| n));
    remove_db(&tmp);
    let raw_responses = result?;
    Ok(BundleSummary {
        path: out.display().to_string(),
        case_id: verified.manifest.case_id.clone(),
        raw_responses,
        bundle_bytes: bytes.len() as u64,
        bundle_sha256: sha256_hex(&bytes),
        manifest: verified.manifest,
    })
}

/// Verifies a bundle without writing anything but a temporary copy of its database.
pub fn verify(bundle: &Path) -> Result<Manifest, BundleError> {
    let bytes = std::fs::read(bundle).map_err(io(bundle))?;
    let verified = verify_bytes(&bytes)?;
    let tmp = partial(bundle, "verify");
    remove_db(&tmp);
    let result = std::fs::write(&tmp, &verified.entries[DB_ENTRY])
        .map_err(io(&tmp))
        .and_then(|()| verify_db(&tmp, &verified));
    remove_db(&tmp);
    result?;
    Ok(verified.manifest)
}

impl From<CaseError> for BundleError {
    fn from(e: CaseError) -> Self {
        BundleError::Export(e.to_string())
    }
}
