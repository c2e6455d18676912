use std::path::PathBuf;

use thiserror::Error;

use crate::label::InvalidLine;

#[derive(Debug, Error)]
pub enum LabelError {
    #[error("{path} is not a SQLite database ({detail}); it was not modified")]
    NotSqlite { path: PathBuf, detail: String },
    #[error("{path} is a SQLite database but not a Tracebench label store (application_id {found:#x}); it was not modified")]
    Foreign { path: PathBuf, found: i32 },
    #[error("{path} was written by a newer Tracebench (label schema {found}, this build reads up to {supported}); it was not modified")]
    TooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("label store {path} is damaged ({detail}); it was not modified")]
    Corrupt { path: PathBuf, detail: String },
    #[error("{file}: {} invalid line(s), nothing imported:\n{}", lines.len(), lines.iter().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n"))]
    Invalid {
        file: String,
        lines: Vec<InvalidLine>,
    },
    #[error("{file}: {detail}; nothing imported")]
    Unreadable { file: String, detail: String },
    #[error("the store holds {pack} version {stored}, newer than this file's {incoming}; nothing imported")]
    Older {
        pack: String,
        stored: String,
        incoming: String,
    },
    #[error("label storage failed: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("label store migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("{0}")]
    Options(String),
    #[error(transparent)]
    Case(#[from] tracebench_core::api::ApiError),
    #[error(transparent)]
    Trace(#[from] tracebench_core::analysis::trace::TraceError),
    #[error("reading {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}
