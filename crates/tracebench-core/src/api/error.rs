//! The one error type of the API façade, with a stable code the UI and CLI can branch on.

use thiserror::Error;

use crate::address::InputError;
use crate::source::SourceError;
use crate::store::CaseError;

#[derive(Debug, Error)]
pub enum ApiError {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error(transparent)]
    Case(#[from] CaseError),
    #[error("{what} '{id}' is not in this case")]
    NotFound { what: &'static str, id: String },
    #[error("report: {0}")]
    Report(String),
    #[error("veto refused: {0}")]
    Veto(String),
    #[error(transparent)]
    Bundle(#[from] crate::bundle::BundleError),
    #[error("import refused: {0}")]
    Import(String),
    #[error("canvas change refused: {0}")]
    Canvas(String),
    #[error("report settings refused: {0}")]
    Settings(String),
    #[error(transparent)]
    Evm(#[from] super::workbench::evm::EvmError),
    #[error(transparent)]
    Block(#[from] super::workbench::block::BlockError),
}

impl ApiError {
    /// A stable, machine-readable code: `invalid_input`, `not_found`, `offline`,
    /// `source_unavailable`, `source_error`, `case_invalid`, `storage`, `report` or
    /// `bundle_invalid`.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Input(_)
            | ApiError::Veto(_)
            | ApiError::Import(_)
            | ApiError::Canvas(_)
            | ApiError::Settings(_) => "invalid_input",
            ApiError::Bundle(crate::bundle::BundleError::Io { .. }) => "storage",
            ApiError::Bundle(_) => "bundle_invalid",
            ApiError::NotFound { .. } => "not_found",
            ApiError::Source(SourceError::Offline { .. }) => "offline",
            ApiError::Source(SourceError::Unreachable { .. }) => "source_unavailable",
            ApiError::Source(_) => "source_error",
            ApiError::Case(
                CaseError::NotSqlite { .. }
                | CaseError::Foreign { .. }
                | CaseError::TooNew { .. }
                | CaseError::Corrupt { .. }
                | CaseError::NotFound { .. }
                | CaseError::AlreadyExists { .. },
            ) => "case_invalid",
            ApiError::Case(CaseError::Missing { .. }) => "not_found",
            ApiError::Case(_) => "storage",
            ApiError::Report(_) => "report",
            ApiError::Evm(e) => e.code(),
            ApiError::Block(e) => e.code(),
        }
    }
}
