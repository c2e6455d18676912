//! Reading label files: GraphSense TagPack YAML, CSV, the OFAC SDN address lists, Etherscan
//! label JSON (and, for the built-in pack, the ransomware address lists).
//!
//! Parsing never touches the store: it yields the pack, its entries and every invalid line
//! (with its line number); [`crate::LabelStore::import`] then writes all of it or nothing.

mod csv;
mod etherscan;
mod ofac;
mod ransomware;
mod tagpack;

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::address::match_key;
use crate::category::Category;
use crate::chain::caip2;
use crate::error::LabelError;
use crate::label::{Format, InvalidLine, Label, Pack};

/// One usable entry of a file.
#[derive(Debug, Clone)]
pub struct Entry {
    pub line: usize,
    /// The key the address is matched by.
    pub key: String,
    pub label: Label,
}

/// A parsed file: the pack it becomes, its entries, and the lines that cannot be used.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The file's name, for messages.
    pub file: String,
    pub pack: Pack,
    pub entries: Vec<Entry>,
    pub invalid: Vec<InvalidLine>,
}

impl Parsed {
    /// Drops the invalid lines so the rest can be imported, returning them. Imports are strict
    /// by default; this is for data known to carry a few bad entries (the built-in pack) and for
    /// an analyst who explicitly asks for it (`--skip-invalid`).
    pub fn skip_invalid(&mut self) -> Vec<InvalidLine> {
        std::mem::take(&mut self.invalid)
    }
}

/// A label file's bytes and what is known of it before parsing.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// File name (no directory).
    pub name: String,
    pub text: String,
    /// The date the file's content is from (ISO `YYYY-MM-DD`), when the format does not say.
    pub date: String,
    pub sha256: String,
    pub builtin: bool,
}

impl SourceFile {
    pub fn new(name: &str, text: String, date: &str) -> SourceFile {
        let sha256 = hex::encode(Sha256::digest(text.as_bytes()));
        SourceFile {
            name: name.to_string(),
            text,
            date: date.to_string(),
            sha256,
            builtin: false,
        }
    }

    /// Reads `path`; the date is `date` when given, else the file's modification date (UTC).
    pub fn read(path: &Path, date: Option<&str>) -> Result<SourceFile, LabelError> {
        let io = |e| LabelError::Io {
            path: path.to_path_buf(),
            source: e,
        };
        let bytes = std::fs::read(path).map_err(io)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let text = String::from_utf8(bytes).map_err(|e| LabelError::Unreadable {
            file: name.clone(),
            detail: format!("not UTF-8 text ({e})"),
        })?;
        let date = match date {
            Some(d) => {
                valid_date(d).ok_or_else(|| LabelError::Unreadable {
                    file: name.clone(),
                    detail: format!("source date {d:?} is not YYYY-MM-DD"),
                })?;
                d.to_string()
            }
            None => {
                let modified = std::fs::metadata(path)
                    .and_then(|m| m.modified())
                    .map_err(io)?;
                chrono::DateTime::<chrono::Utc>::from(modified)
                    .format("%Y-%m-%d")
                    .to_string()
            }
        };
        Ok(SourceFile::new(&name, text, &date))
    }

    /// The file name without its extension.
    pub fn stem(&self) -> &str {
        self.name.split('.').next().unwrap_or(&self.name)
    }

    fn pack(&self, id: String, format: Format, title: String, source: String, date: &str) -> Pack {
        Pack {
            id,
            version: format!("{date}.{}", &self.sha256[..8]),
            format,
            title,
            source,
            source_date: date.to_string(),
            licence: String::new(),
            sha256: self.sha256.clone(),
            builtin: self.builtin,
        }
    }
}

/// Parses a file of the given format.
pub fn parse(format: Format, file: &SourceFile) -> Result<Parsed, LabelError> {
    match format {
        Format::Tagpack => tagpack::parse(file),
        Format::Csv => csv::parse(file),
        Format::Ofac => ofac::parse(file),
        Format::Etherscan => etherscan::parse(file),
        Format::Ransomware => ransomware::parse(file),
    }
}

/// The fields of a label before validation.
pub(crate) struct Draft<'a> {
    pub address: &'a str,
    pub chain: &'a str,
    pub label: &'a str,
    pub category: Category,
    pub source: &'a str,
    pub source_date: Option<&'a str>,
    pub confidence: u8,
    pub notes: String,
}

impl Draft<'_> {
    /// Validates the address for its chain and builds the entry, or says why it cannot be used.
    pub fn entry(self, line: usize) -> Result<Entry, InvalidLine> {
        let invalid = |reason: String| InvalidLine { line, reason };
        if self.label.trim().is_empty() {
            return Err(invalid("the label is empty".to_string()));
        }
        if self.chain.trim().is_empty() {
            return Err(invalid(format!(
                "no chain/currency for '{}'",
                self.address.trim()
            )));
        }
        let key = match_key(self.address, self.chain).map_err(invalid)?;
        Ok(Entry {
            line,
            key,
            label: Label {
                address: self.address.trim().to_string(),
                chain: self.chain.trim().to_string(),
                caip2: caip2(self.chain).map(str::to_string),
                label: self.label.trim().to_string(),
                category: self.category,
                source: self.source.trim().to_string(),
                source_date: self.source_date.map(str::to_string),
                confidence: self.confidence.min(100),
                notes: self.notes,
            },
        })
    }
}

/// `YYYY-MM-DD` at the start of `s` (a time after it is ignored).
pub(crate) fn valid_date(s: &str) -> Option<&str> {
    let d = s.trim().get(..10)?;
    chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()?;
    Some(d)
}

/// The 1-based line of the first occurrence of `needle` in `text` at or after byte `from`.
pub(crate) fn line_of(text: &str, needle: &str, from: usize) -> (usize, usize) {
    let at = text
        .get(from..)
        .and_then(|t| t.find(needle))
        .map(|i| i + from)
        .unwrap_or(from.min(text.len()));
    (text[..at].bytes().filter(|&b| b == b'\n').count() + 1, at)
}
