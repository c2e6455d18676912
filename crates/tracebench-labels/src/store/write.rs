//! Writing a pack into the store: one transaction, all of it or nothing.

use std::collections::BTreeSet;

use rusqlite::{params, OptionalExtension};

use super::{category_from, now_utc, LabelStore};
use crate::error::LabelError;
use crate::import::Parsed;
use crate::label::{Conflict, ImportReport, Label, Pack};

impl LabelStore {
    /// Imports a parsed file as one pack. A file with any invalid line imports nothing; a
    /// failure part-way leaves the store as it was (one transaction). A pack already in the store
    /// is replaced by a newer file (its version changes); an older file is refused.
    pub fn import(&mut self, parsed: Parsed) -> Result<ImportReport, LabelError> {
        if !parsed.invalid.is_empty() {
            return Err(LabelError::Invalid {
                file: parsed.file,
                lines: parsed.invalid,
            });
        }
        self.write_pack(&parsed, true)
    }

    pub(crate) fn write_pack(
        &mut self,
        parsed: &Parsed,
        detect_conflicts: bool,
    ) -> Result<ImportReport, LabelError> {
        let tx = self
            .conn_mut()
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let report = write_pack(&tx, parsed, detect_conflicts)?;
        tx.commit()?;
        Ok(report)
    }
}

/// Writes one pack inside the caller's transaction.
pub(crate) fn write_pack(
    tx: &rusqlite::Transaction<'_>,
    parsed: &Parsed,
    detect_conflicts: bool,
) -> Result<ImportReport, LabelError> {
    let pack = &parsed.pack;
    let existing: Option<(String, String, String)> = tx
        .query_row(
            "SELECT version, sha256, source_date FROM pack WHERE pack_id = ?1",
            [&pack.id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let mut report = ImportReport {
        pack_id: pack.id.clone(),
        pack_version: pack.version.clone(),
        replaced_version: None,
        entries: parsed.entries.len(),
        imported: 0,
        duplicates: 0,
        conflicts: Vec::new(),
        dropped: Vec::new(),
        invalid: Vec::new(),
    };
    let mut old_addresses = BTreeSet::new();
    if let Some((version, sha256, source_date)) = existing {
        if sha256 == pack.sha256 {
            // The same file again: nothing changes.
            report.pack_version = version;
            report.duplicates = parsed.entries.len();
            return Ok(report);
        }
        if source_date > pack.source_date {
            return Err(LabelError::Older {
                pack: pack.id.clone(),
                stored: version,
                incoming: pack.version.clone(),
            });
        }
        let mut stmt = tx.prepare("SELECT address FROM label WHERE pack_id = ?1")?;
        for a in stmt.query_map([&pack.id], |r| r.get::<_, String>(0))? {
            old_addresses.insert(a?);
        }
        drop(stmt);
        tx.execute("DELETE FROM pack WHERE pack_id = ?1", [&pack.id])?;
        report.replaced_version = Some(version);
    }
    insert_pack(tx, pack)?;
    {
        let mut insert = tx.prepare(
            "INSERT INTO label (pack_id, address, match_key, chain, caip2, label, category,
                                    source, source_date, confidence, notes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                 ON CONFLICT (match_key, chain, label, category, source) DO NOTHING",
        )?;
        let mut others = tx.prepare(
            "SELECT label, category, source FROM label
                 WHERE match_key = ?1 AND category <> ?2 AND id <> ?3
                 UNION ALL
                 SELECT label, category, 'analyst: ' || analyst FROM analyst_label
                 WHERE match_key = ?1 AND category <> ?2
                 ORDER BY 1, 2, 3",
        )?;
        for e in &parsed.entries {
            let l: &Label = &e.label;
            let n = insert.execute(params![
                pack.id,
                l.address,
                e.key,
                l.chain,
                l.caip2,
                l.label,
                l.category.as_str(),
                l.source,
                l.source_date,
                l.confidence,
                l.notes
            ])?;
            if n == 0 {
                report.duplicates += 1;
                continue;
            }
            report.imported += 1;
            if detect_conflicts {
                let id = tx.last_insert_rowid();
                let existing = others
                    .query_map(params![e.key, l.category.as_str(), id], |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            category_from(&r.get::<_, String>(1)?),
                            r.get::<_, String>(2)?,
                        ))
                    })?
                    .collect::<Result<Vec<_>, _>>()?;
                if !existing.is_empty() {
                    report.conflicts.push(Conflict {
                        line: e.line,
                        address: l.address.clone(),
                        label: l.label.clone(),
                        category: l.category,
                        source: l.source.clone(),
                        existing,
                    });
                }
            }
        }
    }
    if !old_addresses.is_empty() {
        let now: BTreeSet<&str> = parsed
            .entries
            .iter()
            .map(|e| e.label.address.as_str())
            .collect();
        report.dropped = old_addresses
            .into_iter()
            .filter(|a| !now.contains(a.as_str()))
            .collect();
    }
    Ok(report)
}

fn insert_pack(tx: &rusqlite::Transaction<'_>, pack: &Pack) -> Result<(), LabelError> {
    tx.execute(
        "INSERT INTO pack (pack_id, version, format, title, source, source_date, licence, sha256,
                           builtin, imported_utc)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            pack.id,
            pack.version,
            pack.format.as_str(),
            pack.title,
            pack.source,
            pack.source_date,
            pack.licence,
            pack.sha256,
            pack.builtin,
            now_utc()
        ],
    )?;
    Ok(())
}
