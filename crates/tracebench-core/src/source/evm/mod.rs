//! EVM (account-model) chains: the Etherscan v2 API and a node's JSON-RPC.
//!
//! Both sources keep every response as evidence ([`RawResponse`], secrets redacted) and
//! normalise it into [`crate::store::EvmFetch`]: transactions, [`crate::model::AccountTransfer`]s
//! (native, internal, token), token metadata and the logs that were skipped with a reason.
//! Amounts are exact decimal text in wei or token base units.

pub mod amount;
pub mod etherscan;
pub mod rpc;

use thiserror::Error;

use super::policy::{Gate, Policy};
use super::{body_excerpt, redact_url, Clock, SourceError};
use crate::address::EvmInputError;
use crate::store::RawResponse;

pub use etherscan::{Etherscan, Paging};
pub use rpc::EvmRpc;

/// Why an EVM source could not deliver. Nothing is stored when a fetch fails.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum EvmSourceError {
    #[error("source {source_id} is unreachable at {url}: {detail}")]
    Unreachable {
        source_id: String,
        url: String,
        detail: String,
    },
    /// The answer's body ended before its declared length: reached, but cut off.
    #[error(
        "source {source_id}: the response from {url} ended early, the body was cut off: {} ({detail})",
        super::truncated_size(*got, *expected)
    )]
    Truncated {
        source_id: String,
        url: String,
        got: u64,
        expected: Option<u64>,
        detail: String,
    },
    #[error("source {source_id} is rate limiting us at {url}{}", retry_after.map(|s| format!(" (it asks to retry after {s} s)")).unwrap_or_default())]
    RateLimited {
        source_id: String,
        url: String,
        retry_after: Option<u64>,
    },
    #[error("source {source_id} answered HTTP {status} for {url}: {body}")]
    Http {
        source_id: String,
        url: String,
        status: u16,
        body: String,
    },
    #[error(
        "source {source_id} answered {url} with content type {content_type:?}, not JSON: {body}"
    )]
    NotJson {
        source_id: String,
        url: String,
        content_type: Option<String>,
        body: String,
    },
    #[error(
        "source {source_id} sent a response to {endpoint} that is not valid {api} data: {detail}"
    )]
    Malformed {
        source_id: String,
        api: &'static str,
        endpoint: String,
        detail: String,
    },
    #[error("source {source_id} refused the API key for {endpoint}: {message}")]
    InvalidKey {
        source_id: String,
        endpoint: String,
        message: String,
    },
    #[error("source {source_id} reported an error for {endpoint}: {message}")]
    Api {
        source_id: String,
        endpoint: String,
        message: String,
    },
    #[error("node {source_id} returned JSON-RPC error {code} for {method}: {message}")]
    Rpc {
        source_id: String,
        method: String,
        code: i64,
        message: String,
    },
    #[error("cancelled: the request to {url} of source {source_id} was not completed")]
    Cancelled { source_id: String, url: String },
    #[error("source {source_id} does not know {what}")]
    NotFound { source_id: String, what: String },
    #[error(
        "source {source_id}: more than {window} results in block {block} for {endpoint}; block-range paging cannot split one block"
    )]
    PagingStuck {
        source_id: String,
        endpoint: String,
        block: u64,
        window: u32,
    },
    #[error(transparent)]
    Input(#[from] EvmInputError),
}

/// The HTTP side shared by both EVM sources: every request goes through the source's
/// [`Gate`] (concurrency, rate limit, 429/5xx retries with jitter, `Retry-After`, timeout,
/// cancellation, progress), then status and content-type checks and redaction.
#[derive(Debug, Clone)]
pub(crate) struct Wire {
    pub client: reqwest::Client,
    pub source_id: String,
    pub clock: Clock,
    pub gate: Gate,
}

impl Wire {
    /// A wire under the default [`Policy`].
    pub fn new(client: reqwest::Client, source_id: String, clock: Clock) -> Wire {
        let gate = Gate::new(&source_id, Policy::default(), clock.clone());
        Wire {
            client,
            source_id,
            clock,
            gate,
        }
    }

    /// The same wire under another source id, keeping the gate's policy.
    pub fn renamed(self, source_id: &str) -> Wire {
        let gate = Gate::new(source_id, self.gate.policy().clone(), self.clock.clone());
        Wire {
            source_id: source_id.to_string(),
            gate,
            ..self
        }
    }

    /// Maps the gate's error into the EVM source's terms (the URL is already redacted).
    fn gate_error(&self, e: SourceError) -> EvmSourceError {
        match e {
            SourceError::Http {
                source_id,
                url,
                status: 429,
                ..
            } => EvmSourceError::RateLimited {
                source_id,
                url,
                retry_after: None,
            },
            SourceError::RetryAfterTooLong {
                source_id,
                url,
                status: 429,
                seconds,
            } => EvmSourceError::RateLimited {
                source_id,
                url,
                retry_after: Some(seconds),
            },
            SourceError::RetryAfterTooLong {
                source_id,
                url,
                status,
                seconds,
            } => EvmSourceError::Http {
                source_id,
                url,
                status,
                body: format!("asked to retry after {seconds} s, longer than Tracebench waits"),
            },
            SourceError::Http {
                source_id,
                url,
                status,
                body,
            } => EvmSourceError::Http {
                source_id,
                url,
                status,
                body,
            },
            SourceError::Timeout {
                source_id,
                url,
                millis,
                attempts,
            } => EvmSourceError::Unreachable {
                source_id,
                url,
                detail: format!("timed out after {millis} ms ({attempts} attempt(s))"),
            },
            SourceError::Unreachable {
                source_id,
                url,
                detail,
            } => EvmSourceError::Unreachable {
                source_id,
                url,
                detail,
            },
            SourceError::Cancelled { source_id, url } => {
                EvmSourceError::Cancelled { source_id, url }
            }
            SourceError::Truncated {
                source_id,
                url,
                got,
                expected,
                detail,
                attempts,
            } => EvmSourceError::Truncated {
                source_id,
                url,
                got,
                expected,
                detail: format!("{detail}; after {attempts} attempt(s)"),
            },
            other => EvmSourceError::Unreachable {
                source_id: self.source_id.clone(),
                url: String::new(),
                detail: other.to_string(),
            },
        }
    }

    /// Sends the request `build` makes (a fresh one per attempt) through the gate and returns
    /// the response as evidence. `url` is the full URL (secrets included; it is redacted before
    /// it is stored or shown), `request_text` what is recorded after the method and URL (a
    /// JSON-RPC body; never a secret). `is_final` says whether a 5xx answer is nevertheless
    /// the source's final word (a JSON-RPC error object), so it is not retried.
    pub async fn send(
        &self,
        build: impl Fn() -> reqwest::RequestBuilder,
        is_final: impl Fn(u16, &[u8]) -> bool,
        method: &str,
        url: &str,
        endpoint: String,
        request_text: Option<&str>,
    ) -> Result<RawResponse, EvmSourceError> {
        let shown = redact_url(url);
        let retrieved_at = self.clock.now_rfc3339();
        let answer = self
            .gate
            .send(&shown, build, &is_final)
            .await
            .map_err(|e| self.gate_error(e))?;
        let status = answer.status;
        let content_type = answer.content_type;
        let body = answer.body;
        let snippet = || body_excerpt(&body);
        if !(200..300).contains(&status) && !is_final(status, &body) {
            return Err(EvmSourceError::Http {
                source_id: self.source_id.clone(),
                url: shown,
                status,
                body: snippet(),
            });
        }
        if !content_type
            .as_deref()
            .is_some_and(|c| c.to_ascii_lowercase().contains("json"))
        {
            return Err(EvmSourceError::NotJson {
                source_id: self.source_id.clone(),
                url: shown,
                content_type,
                body: snippet(),
            });
        }
        let request = match request_text {
            Some(t) => format!("{method} {shown} {t}"),
            None => format!("{method} {shown}"),
        };
        Ok(RawResponse {
            source_id: self.source_id.clone(),
            endpoint,
            request,
            retrieved_at,
            status,
            content_type,
            body,
        })
    }
}
