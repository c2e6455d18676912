//! Data sources. Each stores what it fetched as raw responses with provenance; parsing happens
//! on the stored bytes, and both land in the case in one transaction.

pub mod core_rpc;
pub mod esplora;
pub mod evm;
pub mod graphsense;
pub mod policy;
mod redact;
mod select;

use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};
use thiserror::Error;

pub use redact::{describe_request, redact_url};
pub use select::{Connection, Source, SourceKind, TxFetch};

/// Where time comes from; injected so tests and reproducible runs can fix it.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>);

impl Clock {
    pub fn system() -> Clock {
        Clock(Arc::new(Utc::now))
    }

    pub fn fixed(at: DateTime<Utc>) -> Clock {
        Clock(Arc::new(move || at))
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.0)()
    }

    /// RFC 3339 UTC with seconds precision ("2024-05-01T12:00:00Z").
    pub fn now_rfc3339(&self) -> String {
        rfc3339(self.now())
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Clock")
    }
}

pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Configuration of a source as the user chose it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export_to = "SourceSpec.ts")]
pub struct SourceSpec {
    /// Stable id recorded in provenance, e.g. `sim:ransomware:1` or `esplora:mempool.space`.
    pub id: String,
    /// Base URL of the Esplora REST API, without a trailing slash.
    pub base_url: String,
}

impl SourceSpec {
    /// Synthetic training data comes from tracebench-sim, whose ids start with `sim:`.
    pub fn is_synthetic(&self) -> bool {
        self.id.starts_with("sim:")
    }

    /// The same source with the trailing slashes of its base URL removed.
    pub(crate) fn without_trailing_slash(mut self) -> SourceSpec {
        while self.base_url.ends_with('/') {
            self.base_url.pop();
        }
        self
    }
}

/// The start of a refused answer's body as an error message shows it: at most 200 characters,
/// trimmed.
pub(crate) fn body_excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    text.chars()
        .take(200)
        .collect::<String>()
        .trim()
        .to_string()
}

/// "got 26 of 4096 bytes", or without a declared length "got 26 bytes before the body broke off".
pub(crate) fn truncated_size(got: u64, expected: Option<u64>) -> String {
    match expected {
        Some(n) => format!("got {got} of {n} bytes"),
        None => format!("got {got} bytes before the body broke off"),
    }
}

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum SourceError {
    #[error("source {source_id} is unreachable at {url}: {detail}")]
    Unreachable {
        source_id: String,
        url: String,
        detail: String,
    },
    /// The answer's body ended before its declared length (the connection closed part-way):
    /// the source was reached, so this is not unreachability.
    #[error(
        "source {source_id}: the response from {url} ended early: {} ({detail}; after {attempts} attempt(s))",
        truncated_size(*got, *expected)
    )]
    Truncated {
        source_id: String,
        url: String,
        /// Body bytes received before it ended.
        got: u64,
        /// The Content-Length the answer declared, when it declared one.
        expected: Option<u64>,
        /// The HTTP client's error, as it names it.
        detail: String,
        attempts: u32,
    },
    #[error("source {source_id} answered HTTP {status} for {url}: {body}")]
    Http {
        source_id: String,
        url: String,
        status: u16,
        body: String,
    },
    #[error(
        "source {source_id} sent a response to {endpoint} that is not valid Esplora data: {detail}"
    )]
    Malformed {
        source_id: String,
        endpoint: String,
        detail: String,
    },
    #[error("offline: {what} is not in the case and no source is connected")]
    Offline { what: String },
    #[error(
        "source {source_id} did not answer {url} within {millis} ms (after {attempts} attempt(s))"
    )]
    Timeout {
        source_id: String,
        url: String,
        millis: u64,
        attempts: u32,
    },
    #[error("source {source_id} answered HTTP {status} for {url} and asked to wait {seconds} s before retrying, longer than Tracebench waits; try again later")]
    RetryAfterTooLong {
        source_id: String,
        url: String,
        status: u16,
        seconds: u64,
    },
    #[error("cancelled: the request to {url} of source {source_id} was not completed")]
    Cancelled { source_id: String, url: String },
    #[error("source {source_id} cannot {what}: {why}")]
    Unsupported {
        source_id: String,
        what: String,
        why: String,
    },
    #[error("source {source_id} answered {method} with RPC error {code}: {message}")]
    Rpc {
        source_id: String,
        method: String,
        code: i64,
        message: String,
    },
    #[error("source {source_id}: {detail}")]
    Credentials { source_id: String, detail: String },
}
