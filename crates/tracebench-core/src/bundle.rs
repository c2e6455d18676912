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

mod digest;

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::source::rfc3339;
use crate::store::{check, sha256_hex, Case, CaseError};
use digest::{prefix_and_whole, HashingReader, HashingWriter};

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

/// Writes `case` as a bundle to `out` (refusing to overwrite it). Streams: the database copy is
/// read in chunks and one raw response is in memory at a time, so memory does not grow with the
/// case.
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
        .and_then(|()| write_bundle(out, &case.meta().case_id, now, &snapshot, integrity));
    remove_db(&snapshot);
    result
}

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

/// `VACUUM INTO` a temporary file and switch the copy to a rollback journal (one self-contained
/// file).
fn snapshot_db(case: &Case, snapshot: &Path) -> Result<(), BundleError> {
    let target = snapshot
        .to_str()
        .ok_or_else(|| BundleError::Export(format!("{} is not UTF-8", snapshot.display())))?;
    case.conn()
        .execute("VACUUM INTO ?1", [target])
        .map_err(|e| BundleError::Export(format!("VACUUM INTO failed: {e}")))?;
    let conn = Connection::open_with_flags(
        snapshot,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| BundleError::Export(e.to_string()))?;
    conn.pragma_update(None, "journal_mode", "DELETE")
        .map_err(|e| BundleError::Export(e.to_string()))?;
    conn.close()
        .map_err(|(_, e)| BundleError::Export(e.to_string()))
}

/// Visits every raw response of the database at `conn` in id order, one body at a time, after
/// checking that its body hashes to its stored SHA-256; returns how many there were. `fail`
/// turns a detail into the caller's error (export and import name their errors differently),
/// `mismatch` words a body that does not match its hash.
fn each_raw_response(
    conn: &Connection,
    fail: impl Fn(&str) -> BundleError,
    mismatch: impl Fn(i64) -> String,
    mut visit: impl FnMut(i64, &str, &[u8]) -> Result<(), BundleError>,
) -> Result<usize, BundleError> {
    let sql = |e: rusqlite::Error| fail(&e.to_string());
    let mut st = conn
        .prepare("SELECT id, sha256, body FROM raw_response ORDER BY id")
        .map_err(sql)?;
    let mut rows = st.query([]).map_err(sql)?;
    let mut count = 0usize;
    while let Some(row) = rows.next().map_err(sql)? {
        let id: i64 = row.get(0).map_err(sql)?;
        let sha: String = row.get(1).map_err(sql)?;
        let body = row
            .get_ref(2)
            .map_err(sql)?
            .as_blob()
            .map_err(|e| fail(&format!("raw response {id} has no body: {e}")))?;
        if sha256_hex(body) != sha {
            return Err(fail(&mismatch(id)));
        }
        visit(id, &sha, body)?;
        count += 1;
    }
    Ok(count)
}

fn raw_name(id: i64, sha: &str) -> String {
    format!("raw/{id}-{sha}")
}

/// Writes the archive to a temporary sibling of `out` and links it into place.
fn write_bundle(
    out: &Path,
    case_id: &str,
    now: DateTime<Utc>,
    snapshot: &Path,
    integrity: Integrity,
) -> Result<BundleSummary, BundleError> {
    let tmp = partial(out, "bundle");
    let _ = std::fs::remove_file(&tmp);
    let result = write_archive(&tmp, case_id, now, snapshot, integrity)
        .and_then(|summary| place(&tmp, out).map(|()| summary));
    let _ = std::fs::remove_file(&tmp);
    let mut summary = result?;
    summary.path = out.display().to_string();
    Ok(summary)
}

type Archive = tar::Builder<HashingWriter<BufWriter<File>>>;

fn write_archive(
    tmp: &Path,
    case_id: &str,
    now: DateTime<Utc>,
    snapshot: &Path,
    integrity: Integrity,
) -> Result<BundleSummary, BundleError> {
    let mtime = u64::try_from(now.timestamp()).unwrap_or(0);
    let header = |size: u64| {
        let mut h = tar::Header::new_ustar();
        h.set_size(size);
        h.set_mode(0o644);
        h.set_uid(0);
        h.set_gid(0);
        h.set_mtime(mtime);
        h.set_entry_type(tar::EntryType::Regular);
        h
    };
    let append = |b: &mut Archive, name: &str, data: &[u8]| {
        b.append_data(&mut header(data.len() as u64), name, data)
            .map_err(|e| BundleError::Export(format!("writing entry {name}: {e}")))
    };
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(tmp)
        .map_err(io(tmp))?;
    let mut b = tar::Builder::new(HashingWriter::new(BufWriter::with_capacity(1 << 20, file)));
    let mut entries = Vec::new();

    // The database, streamed from its file.
    let db = File::open(snapshot).map_err(io(snapshot))?;
    let db_size = db.metadata().map_err(io(snapshot))?.len();
    let mut reader = HashingReader::new(BufReader::with_capacity(1 << 20, db).take(db_size));
    b.append_data(&mut header(db_size), DB_ENTRY, &mut reader)
        .map_err(|e| BundleError::Export(format!("writing entry {DB_ENTRY}: {e}")))?;
    let (db_sha, db_read) = reader.finish();
    if db_read != db_size {
        return Err(BundleError::Export(format!(
            "the database copy shrank while it was written ({db_read} of {db_size} bytes)"
        )));
    }
    entries.push(ManifestEntry {
        name: DB_ENTRY.to_string(),
        size: db_size,
        sha256: db_sha,
    });

    // The raw responses, one at a time.
    let conn = Connection::open_with_flags(
        snapshot,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| BundleError::Export(e.to_string()))?;
    let raw_responses = each_raw_response(
        &conn,
        |detail| BundleError::Export(detail.to_string()),
        |id| format!("raw response {id} in the case does not match its stored SHA-256"),
        |id, sha, body| {
            let name = raw_name(id, sha);
            append(&mut b, &name, body)?;
            entries.push(ManifestEntry {
                name,
                size: body.len() as u64,
                sha256: sha.to_string(),
            });
            Ok(())
        },
    )?;
    drop(conn);

    let manifest = Manifest {
        format: FORMAT.to_string(),
        case_id: case_id.to_string(),
        tool_version: format!("tracebench {}", env!("CARGO_PKG_VERSION")),
        created_utc: rfc3339(now),
        entries,
        content_hash: Some(integrity.content_hash),
        audit_head: integrity.audit_head,
        audit_entries: integrity.audit_entries,
    };
    let manifest_json = serde_json::to_vec_pretty(&manifest)
        .map_err(|e| BundleError::Export(format!("manifest: {e}")))?;
    append(&mut b, MANIFEST_ENTRY, &manifest_json)?;
    let trailing = format!("{}\n", b.get_ref().hex_so_far());
    append(&mut b, HASH_ENTRY, trailing.as_bytes())?;
    let finished = b
        .into_inner()
        .map_err(|e| BundleError::Export(format!("finishing the archive: {e}")))?;
    let (buffered, bundle_sha256, bundle_bytes) = finished.finish();
    let file = buffered.into_inner().map_err(|e| io(tmp)(e.into_error()))?;
    file.sync_all().map_err(io(tmp))?;
    Ok(BundleSummary {
        path: String::new(),
        case_id: case_id.to_string(),
        raw_responses,
        bundle_bytes,
        bundle_sha256,
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

/// The largest manifest or trailing-hash entry read into memory (a manifest lists a name, a
/// size and a hash per raw response: far below this for any real case).
const MAX_SMALL_ENTRY: u64 = 256 << 20;

/// A bundle whose structure, trailing hash and manifest hashes were verified.
struct Verified {
    manifest: Manifest,
    /// The names of the entries the manifest lists.
    entries: BTreeSet<String>,
    bundle_bytes: u64,
    bundle_sha256: String,
}

/// One entry as a pass over the archive found it.
struct Scanned {
    name: String,
    /// Offset of its header in the archive.
    pos: u64,
    size: u64,
    sha256: String,
    /// The bytes of the manifest and of the trailing hash (the only entries kept in memory).
    data: Option<Vec<u8>>,
}

/// Checks everything that can be checked without the database — archive structure and header
/// checksums, the trailing hash, and every entry against the manifest — in one streaming pass
/// over the archive, then one over its bytes for the trailing hash; the first entry, when it is
/// the database, is written to `db_out` on the way. The most specific failure is reported: a
/// damaged entry is named even when the trailing hash also fails.
fn verify_file(bundle: &Path, db_out: &Path) -> Result<Verified, BundleError> {
    let mut file = File::open(bundle).map_err(io(bundle))?;
    let len = file.metadata().map_err(io(bundle))?.len();
    let block = BLOCK as u64;
    if len < 4 * block + 2 * block || !len.is_multiple_of(block) {
        return Err(BundleError::Truncated(format!(
            "{len} bytes is not a whole archive"
        )));
    }
    let mut parsed = scan(&mut file, db_out)?;
    let Some(hash) = parsed.pop() else {
        return Err(BundleError::Truncated("the archive has no entries".into()));
    };
    if hash.name != HASH_ENTRY {
        return Err(BundleError::Truncated(format!(
            "the last entry is '{}', not the trailing {HASH_ENTRY}",
            hash.name
        )));
    }
    let hash_data = hash.data.unwrap_or_default();
    if len != hash.pos + 4 * block {
        return Err(damaged(
            "the end of the archive",
            "unexpected bytes after the trailing hash",
        ));
    }
    let mut tail = Vec::new();
    file.seek(SeekFrom::Start(hash.pos + block + hash_data.len() as u64))
        .and_then(|_| file.read_to_end(&mut tail))
        .map_err(io(bundle))?;
    if tail.iter().any(|b| *b != 0) {
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
    let Some(manifest_entry) = parsed.pop() else {
        return Err(BundleError::Truncated("no manifest".into()));
    };
    if manifest_entry.name != MANIFEST_ENTRY {
        return Err(damaged(
            &manifest_entry.name,
            format!("expected {MANIFEST_ENTRY} before the trailing hash"),
        ));
    }
    let manifest: Manifest =
        serde_json::from_slice(manifest_entry.data.as_deref().unwrap_or_default())
            .map_err(|e| damaged(MANIFEST_ENTRY, format!("not a valid manifest: {e}")))?;
    if manifest.format != FORMAT {
        return Err(damaged(
            MANIFEST_ENTRY,
            format!("format '{}' is not {FORMAT}", manifest.format),
        ));
    }
    let listed: Vec<&str> = manifest.entries.iter().map(|e| e.name.as_str()).collect();
    let present: Vec<&str> = parsed.iter().map(|e| e.name.as_str()).collect();
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
    for (entry, listed) in parsed.iter().zip(&manifest.entries) {
        if entry.size != listed.size || entry.sha256 != listed.sha256 {
            return Err(damaged(
                &entry.name,
                format!(
                    "{} bytes with SHA-256 {}, the manifest says {} bytes with {}",
                    entry.size, entry.sha256, listed.size, listed.sha256
                ),
            ));
        }
        if let Some(rest) = entry.name.strip_prefix("raw/") {
            let named = rest.split_once('-').map(|(_, sha)| sha).unwrap_or_default();
            if named != entry.sha256 {
                return Err(damaged(&entry.name, "its SHA-256 does not match its name"));
            }
        } else if entry.name != DB_ENTRY {
            return Err(damaged(&entry.name, "not an entry a bundle holds"));
        }
    }
    if present.first().is_none_or(|n| *n != DB_ENTRY) {
        return Err(damaged(
            MANIFEST_ENTRY,
            format!("no {DB_ENTRY} entry first"),
        ));
    }
    let (actual, bundle_sha256) = prefix_and_whole(&mut file, hash.pos).map_err(io(bundle))?;
    if actual != claimed {
        return Err(damaged(
            HASH_ENTRY,
            format!(
                "the trailing SHA-256 {claimed} does not match the bytes before it ({actual}): an entry header or padding was changed"
            ),
        ));
    }
    let entries = parsed.into_iter().map(|e| e.name).collect();
    Ok(Verified {
        manifest,
        entries,
        bundle_bytes: len,
        bundle_sha256,
    })
}

/// One pass over the archive's entries: each hashed as it streams by; the first, when it is the
/// database, copied to `db_out`; the manifest and trailing hash kept.
fn scan(file: &mut File, db_out: &Path) -> Result<Vec<Scanned>, BundleError> {
    let mut archive = tar::Archive::new(BufReader::with_capacity(1 << 20, &*file));
    let mut parsed: Vec<Scanned> = Vec::new();
    let iter = archive
        .entries()
        .map_err(|e| damaged("the archive", e.to_string()))?;
    for entry in iter {
        let after = parsed
            .last()
            .map(|e| format!("the entry header after '{}'", e.name))
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
        let read_err = |e: std::io::Error| damaged(&name, e.to_string());
        let (size, sha256, data) = if name == MANIFEST_ENTRY || name == HASH_ENTRY {
            if entry.size() > MAX_SMALL_ENTRY {
                return Err(damaged(
                    &name,
                    format!("{} bytes is more than such an entry holds", entry.size()),
                ));
            }
            let mut data = Vec::new();
            entry.read_to_end(&mut data).map_err(read_err)?;
            (data.len() as u64, sha256_hex(&data), Some(data))
        } else if name == DB_ENTRY && parsed.is_empty() {
            let out = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(db_out)
                .map_err(io(db_out))?;
            let mut w = HashingWriter::new(BufWriter::with_capacity(1 << 20, out));
            std::io::copy(&mut entry, &mut w).map_err(read_err)?;
            let size = w.written();
            let (buffered, sha, _) = w.finish();
            buffered
                .into_inner()
                .map_err(|e| io(db_out)(e.into_error()))?
                .sync_all()
                .map_err(io(db_out))?;
            (size, sha, None)
        } else {
            let mut w = HashingWriter::new(std::io::sink());
            std::io::copy(&mut entry, &mut w).map_err(read_err)?;
            let (_, sha, size) = w.finish();
            (size, sha, None)
        };
        parsed.push(Scanned {
            name,
            pos,
            size,
            sha256,
            data,
        });
    }
    Ok(parsed)
}

/// Checks the database of a verified bundle, written at `db_path`: the case file checks, the
/// case id, and every raw response against its entry (one body in memory at a time).
fn verify_db(db_path: &Path, v: &Verified) -> Result<usize, BundleError> {
    check(db_path).map_err(|e| damaged(DB_ENTRY, e.to_string()))?;
    let conn = Connection::open_with_flags(
        db_path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| damaged(DB_ENTRY, e.to_string()))?;
    let sql = |e: rusqlite::Error| damaged(DB_ENTRY, e.to_string());
    let case_id: String = conn
        .query_row("SELECT case_id FROM case_meta", [], |r| r.get(0))
        .map_err(sql)?;
    if case_id != v.manifest.case_id {
        return Err(damaged(
            MANIFEST_ENTRY,
            format!(
                "case id {} does not match the database's {case_id}",
                v.manifest.case_id
            ),
        ));
    }
    let raws = each_raw_response(
        &conn,
        |detail| damaged(DB_ENTRY, detail),
        |id| format!("raw response {id} does not match its stored SHA-256"),
        |id, sha, _body| {
            let name = raw_name(id, sha);
            if !v.entries.contains(&name) {
                return Err(damaged(
                    &name,
                    format!("raw response {id} of the database has no entry with its SHA-256"),
                ));
            }
            Ok(())
        },
    )?;
    let raw_entries = v.entries.iter().filter(|n| n.starts_with("raw/")).count();
    if raw_entries != raws {
        return Err(damaged(
            DB_ENTRY,
            format!("the database holds {raws} raw responses, the bundle {raw_entries}"),
        ));
    }
    Ok(raws)
}

/// Verifies the bundle at `bundle` completely and only then writes its case to `out` (never
/// over an existing file). On any failure nothing is left at `out`.
pub fn import(bundle: &Path, out: &Path) -> Result<BundleSummary, BundleError> {
    if out.exists() {
        return Err(BundleError::Exists {
            path: out.to_path_buf(),
        });
    }
    let tmp = partial(out, "import");
    remove_db(&tmp);
    let result = verify_file(bundle, &tmp)
        .and_then(|v| verify_db(&tmp, &v).map(|n| (v, n)))
        .and_then(|(v, n)| place(&tmp, out).map(|()| (v, n)));
    remove_db(&tmp);
    let (verified, raw_responses) = result?;
    Ok(BundleSummary {
        path: out.display().to_string(),
        case_id: verified.manifest.case_id.clone(),
        raw_responses,
        bundle_bytes: verified.bundle_bytes,
        bundle_sha256: verified.bundle_sha256,
        manifest: verified.manifest,
    })
}

/// Verifies a bundle without writing anything but a temporary copy of its database.
pub fn verify(bundle: &Path) -> Result<Manifest, BundleError> {
    let tmp = partial(bundle, "verify");
    remove_db(&tmp);
    let result = verify_file(bundle, &tmp).and_then(|v| verify_db(&tmp, &v).map(|_| v));
    remove_db(&tmp);
    Ok(result?.manifest)
}

impl From<CaseError> for BundleError {
    fn from(e: CaseError) -> Self {
        BundleError::Export(e.to_string())
    }
}
