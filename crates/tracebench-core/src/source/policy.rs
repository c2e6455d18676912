//! How a source is asked: at most `max_in_flight` requests at once, a token-bucket rate limit,
//! a timeout per attempt, retries of 429 and 5xx answers (and of timeouts and dropped
//! connections) with exponential backoff and seeded jitter, `Retry-After` honoured, a cancel
//! token checked before every attempt and during every wait, and progress counts.
//!
//! Every source sends its requests through one [`Gate`], so these rules hold for all of them.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::{Notify, Semaphore};
use tokio::time::Instant;

use super::{body_excerpt, Clock, SourceError};

/// A sustained request rate with a burst allowance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// Requests per second, sustained.
    pub per_second: u32,
    /// Requests that may be sent at once after a quiet spell.
    pub burst: u32,
}

/// The rules one source is asked under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Requests in flight at once (at least 1).
    pub max_in_flight: usize,
    /// The token bucket; `None` sends as fast as `max_in_flight` allows.
    pub rate: Option<Rate>,
    /// Retries after the first attempt of a 429, 5xx, timeout or dropped connection.
    pub max_retries: u32,
    /// The first backoff; each retry doubles it, up to `backoff_max`.
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    /// The longest `Retry-After` that is waited for; a longer one ends the request with an error
    /// that says how long the source asked to wait.
    pub max_retry_after: Duration,
    /// Time allowed for one attempt (connect, answer and body).
    pub timeout: Duration,
    /// Seed of the jitter, so a run (and a test) can be repeated exactly.
    pub jitter_seed: u64,
}

impl Default for Policy {
    /// Polite defaults for public APIs: 4 requests in flight, 10 a second (burst 10), 3 retries
    /// starting at 250 ms, Retry-After waited up to 60 s, 30 s per attempt.
    fn default() -> Policy {
        Policy {
            max_in_flight: 4,
            rate: Some(Rate {
                per_second: 10,
                burst: 10,
            }),
            max_retries: 3,
            backoff_base: Duration::from_millis(250),
            backoff_max: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            timeout: Duration::from_secs(30),
            jitter_seed: 0x7452_4143_4542_4e43,
        }
    }
}

/// Stops a running fetch: checked before every attempt and during every wait.
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<CancelState>);

#[derive(Debug, Default)]
struct CancelState {
    flag: AtomicBool,
    notify: Notify,
}

impl CancelToken {
    pub fn new() -> CancelToken {
        CancelToken::default()
    }

    pub fn cancel(&self) {
        self.0.flag.store(true, Ordering::SeqCst);
        self.0.notify.notify_waiters();
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.flag.load(Ordering::SeqCst)
    }

    /// Completes once [`CancelToken::cancel`] has been called.
    pub async fn cancelled(&self) {
        loop {
            // Created before the check, so a cancel between the check and the await still wakes it.
            let woken = self.0.notify.notified();
            if self.is_cancelled() {
                return;
            }
            woken.await;
        }
    }
}

/// Counts of one gate's requests, for progress bars and tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Progress {
    /// Requests that ended (answered, failed or cancelled).
    pub done: u64,
    /// Attempts sent, retries included.
    pub attempts: u64,
    /// Attempts that were retries.
    pub retries: u64,
    /// Requests that ended in an error.
    pub failed: u64,
}

/// Receives progress: the gate's counts after every finished request, or a batch's done/total.
pub type ProgressSink = Arc<dyn Fn(ProgressEvent) + Send + Sync>;

/// One progress report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ProgressEvent {
    pub source_id: String,
    /// Work items finished so far (requests of a gate, or transactions of a batch).
    pub done: u64,
    /// Work items in all, when known (a batch); `None` for a gate's running count.
    pub total: Option<u64>,
    pub retries: u64,
    pub failed: u64,
    /// Set when the event reports one address's history fetched page by page.
    pub history: Option<HistoryProgress>,
}

/// How far the paging of one address's history has got: pages and transactions fetched of
/// those the source says there are (Esplora's `/address/:a` `tx_count`; `None` when the source
/// cannot say).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HistoryProgress {
    pub address: String,
    /// Pages fetched so far (1 after the first).
    pub pages: u64,
    /// Pages the history should take (capped at the workbench's page limit).
    pub pages_total: Option<u64>,
    /// Distinct transactions fetched so far.
    pub txs: u64,
    /// Transactions the source says the address has (confirmed and in the mempool).
    pub txs_total: Option<u64>,
}

/// What a source sent back, before the source decides whether it is valid.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    /// Attempts it took (1 = no retry).
    pub attempts: u32,
}

/// One source's limiter: concurrency, rate, retries, timeout, cancellation and counts.
#[derive(Clone)]
pub struct Gate {
    inner: Arc<GateInner>,
}

struct GateInner {
    source_id: String,
    policy: Policy,
    in_flight: Semaphore,
    bucket: Mutex<Bucket>,
    rng: Mutex<u64>,
    cancel: CancelToken,
    clock: Clock,
    progress: Option<ProgressSink>,
    done: AtomicU64,
    attempts: AtomicU64,
    retries: AtomicU64,
    failed: AtomicU64,
}

struct Bucket {
    tokens: f64,
    last: Option<Instant>,
}

impl std::fmt::Debug for Gate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gate")
            .field("source_id", &self.inner.source_id)
            .field("policy", &self.inner.policy)
            .finish()
    }
}

/// Why an attempt may be repeated.
enum Transient {
    Status(u16, Option<Duration>),
    Timeout,
    Dropped(String),
    /// The body ended before the length the answer declared (or the connection broke in it).
    Cut {
        got: u64,
        expected: Option<u64>,
        detail: String,
    },
}

/// Why reading one answer failed: before a response, or part-way through its body.
enum Failed {
    Request(reqwest::Error),
    Body {
        got: u64,
        expected: Option<u64>,
        error: reqwest::Error,
    },
}

impl From<reqwest::Error> for Failed {
    fn from(e: reqwest::Error) -> Failed {
        Failed::Request(e)
    }
}

impl Gate {
    pub fn new(source_id: &str, policy: Policy, clock: Clock) -> Gate {
        Gate::with(source_id, policy, clock, CancelToken::new(), None)
    }

    pub fn with(
        source_id: &str,
        policy: Policy,
        clock: Clock,
        cancel: CancelToken,
        progress: Option<ProgressSink>,
    ) -> Gate {
        let burst = policy.rate.map(|r| r.burst.max(1)).unwrap_or(1);
        Gate {
            inner: Arc::new(GateInner {
                source_id: source_id.to_string(),
                in_flight: Semaphore::new(policy.max_in_flight.max(1)),
                bucket: Mutex::new(Bucket {
                    tokens: f64::from(burst),
                    last: None,
                }),
                rng: Mutex::new(policy.jitter_seed | 1),
                policy,
                cancel,
                clock,
                progress,
                done: AtomicU64::new(0),
                attempts: AtomicU64::new(0),
                retries: AtomicU64::new(0),
                failed: AtomicU64::new(0),
            }),
        }
    }

    pub fn policy(&self) -> &Policy {
        &self.inner.policy
    }

    pub fn cancel_token(&self) -> &CancelToken {
        &self.inner.cancel
    }

    pub fn progress_sink(&self) -> Option<&ProgressSink> {
        self.inner.progress.as_ref()
    }

    pub fn progress(&self) -> Progress {
        Progress {
            done: self.inner.done.load(Ordering::SeqCst),
            attempts: self.inner.attempts.load(Ordering::SeqCst),
            retries: self.inner.retries.load(Ordering::SeqCst),
            failed: self.inner.failed.load(Ordering::SeqCst),
        }
    }

    /// Sends the request `build` makes (a fresh one per attempt) under the policy. `is_final`
    /// says whether a 429/5xx answer is nevertheless final (a JSON-RPC error the node meant);
    /// `url` is the redacted URL errors name. A final answer is returned whatever its status
    /// (the source judges it); a 429/5xx still failing after the last retry is an error.
    pub async fn send(
        &self,
        url: &str,
        build: impl Fn() -> reqwest::RequestBuilder,
        is_final: impl Fn(u16, &[u8]) -> bool,
    ) -> Result<Answer, SourceError> {
        let out = self.send_inner(url, &build, &is_final).await;
        let g = &self.inner;
        g.done.fetch_add(1, Ordering::SeqCst);
        if out.is_err() {
            g.failed.fetch_add(1, Ordering::SeqCst);
        }
        if let Some(sink) = &g.progress {
            let p = self.progress();
            sink(ProgressEvent {
                source_id: g.source_id.clone(),
                done: p.done,
                total: None,
                retries: p.retries,
                failed: p.failed,
                history: None,
            });
        }
        out
    }

    async fn send_inner(
        &self,
        url: &str,
        build: &impl Fn() -> reqwest::RequestBuilder,
        is_final: &impl Fn(u16, &[u8]) -> bool,
    ) -> Result<Answer, SourceError> {
        let g = &self.inner;
        let mut attempt: u32 = 0;
        loop {
            self.check_cancel(url)?;
            attempt += 1;
            let transient = {
                let _permit = tokio::select! {
                    p = g.in_flight.acquire() => p.expect("the gate's semaphore is never closed"),
                    _ = g.cancel.cancelled() => return Err(self.cancelled(url)),
                };
                self.take_token(url).await?;
                self.check_cancel(url)?;
                g.attempts.fetch_add(1, Ordering::SeqCst);
                if attempt > 1 {
                    g.retries.fetch_add(1, Ordering::SeqCst);
                }
                let once = async {
                    let mut response = build().send().await?;
                    let status = response.status().as_u16();
                    // Only the two headers the gate reads are kept (no copy of the whole map).
                    let header = |name: reqwest::header::HeaderName| {
                        response
                            .headers()
                            .get(name)
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_string)
                    };
                    let content_type = header(reqwest::header::CONTENT_TYPE);
                    let retry_after = header(reqwest::header::RETRY_AFTER);
                    let expected = response.content_length();
                    // Read piece by piece so a body cut short says how much came; the first
                    // piece's buffer becomes the Vec without a copy.
                    let mut body: Vec<u8> = Vec::new();
                    loop {
                        match response.chunk().await {
                            Ok(Some(piece)) if body.is_empty() => body = Vec::from(piece),
                            Ok(Some(piece)) => body.extend_from_slice(&piece),
                            Ok(None) => break,
                            Err(error) => {
                                return Err(Failed::Body {
                                    got: body.len() as u64,
                                    expected,
                                    error,
                                })
                            }
                        }
                    }
                    Ok::<_, Failed>((status, content_type, retry_after, body))
                };
                let result = tokio::select! {
                    r = tokio::time::timeout(g.policy.timeout, once) => r,
                    _ = g.cancel.cancelled() => return Err(self.cancelled(url)),
                };
                match result {
                    Err(_) => Transient::Timeout,
                    Ok(Err(Failed::Request(e) | Failed::Body { error: e, .. }))
                        if e.is_timeout() =>
                    {
                        Transient::Timeout
                    }
                    Ok(Err(Failed::Request(e))) => Transient::Dropped(error_chain(&e)),
                    Ok(Err(Failed::Body {
                        got,
                        expected,
                        error,
                    })) => Transient::Cut {
                        got,
                        expected,
                        detail: error_chain(&error),
                    },
                    Ok(Ok((status, content_type, retry_after_value, body))) => {
                        let retryable = status == 429 || (500..600).contains(&status);
                        if retryable && !is_final(status, &body) && attempt > g.policy.max_retries {
                            return Err(http_error(&g.source_id, url, status, &body, attempt));
                        }
                        if !retryable || is_final(status, &body) {
                            return Ok(Answer {
                                status,
                                content_type,
                                body,
                                attempts: attempt,
                            });
                        }
                        let after = retry_after_value
                            .as_deref()
                            .and_then(|v| retry_after(v, g.clock.now()));
                        Transient::Status(status, after)
                    }
                }
            };
            if attempt > g.policy.max_retries {
                return Err(match transient {
                    Transient::Timeout => SourceError::Timeout {
                        source_id: g.source_id.clone(),
                        url: url.to_string(),
                        millis: g.policy.timeout.as_millis() as u64,
                        attempts: attempt,
                    },
                    Transient::Dropped(detail) => SourceError::Unreachable {
                        source_id: g.source_id.clone(),
                        url: url.to_string(),
                        detail: format!("{detail} (after {attempt} attempt(s))"),
                    },
                    Transient::Cut {
                        got,
                        expected,
                        detail,
                    } => SourceError::Truncated {
                        source_id: g.source_id.clone(),
                        url: url.to_string(),
                        got,
                        expected,
                        detail,
                        attempts: attempt,
                    },
                    Transient::Status(status, _) => {
                        http_error(&g.source_id, url, status, b"", attempt)
                    }
                });
            }
            let wait = match transient {
                Transient::Status(status, Some(after)) => {
                    if after > g.policy.max_retry_after {
                        return Err(SourceError::RetryAfterTooLong {
                            source_id: g.source_id.clone(),
                            url: url.to_string(),
                            status,
                            seconds: after.as_secs(),
                        });
                    }
                    after
                }
                _ => self.backoff(attempt),
            };
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = g.cancel.cancelled() => return Err(self.cancelled(url)),
            }
        }
    }

    /// Exponential backoff with jitter: a uniform pick in [d/2, d] for d = base·2^(n−1), capped.
    fn backoff(&self, attempt: u32) -> Duration {
        let p = &self.inner.policy;
        let factor = 1u32 << (attempt.saturating_sub(1)).min(20);
        let d = p.backoff_base.saturating_mul(factor).min(p.backoff_max);
        let nanos = d.as_nanos() as u64;
        if nanos < 2 {
            return d;
        }
        let mut s = self
            .inner
            .rng
            .lock()
            .expect("the jitter state is never poisoned");
        // xorshift64: small, seeded, and enough for jitter.
        *s ^= *s << 13;
        *s ^= *s >> 7;
        *s ^= *s << 17;
        Duration::from_nanos(nanos / 2 + *s % (nanos / 2 + 1))
    }

    async fn take_token(&self, url: &str) -> Result<(), SourceError> {
        let g = &self.inner;
        let Some(rate) = g.policy.rate else {
            return Ok(());
        };
        let per_second = f64::from(rate.per_second.max(1));
        let burst = f64::from(rate.burst.max(1));
        loop {
            let wait = {
                let mut b = g.bucket.lock().expect("the token bucket is never poisoned");
                let now = Instant::now();
                if let Some(last) = b.last {
                    let refill = now.duration_since(last).as_secs_f64() * per_second;
                    b.tokens = (b.tokens + refill).min(burst);
                }
                b.last = Some(now);
                if b.tokens >= 1.0 {
                    b.tokens -= 1.0;
                    None
                } else {
                    Some(Duration::from_secs_f64((1.0 - b.tokens) / per_second))
                }
            };
            let Some(wait) = wait else {
                return Ok(());
            };
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = g.cancel.cancelled() => return Err(self.cancelled(url)),
            }
        }
    }

    fn check_cancel(&self, url: &str) -> Result<(), SourceError> {
        if self.inner.cancel.is_cancelled() {
            return Err(self.cancelled(url));
        }
        Ok(())
    }

    fn cancelled(&self, url: &str) -> SourceError {
        SourceError::Cancelled {
            source_id: self.inner.source_id.clone(),
            url: url.to_string(),
        }
    }
}

fn http_error(source_id: &str, url: &str, status: u16, body: &[u8], attempts: u32) -> SourceError {
    let mut body = body_excerpt(body);
    if attempts > 1 {
        body = format!("{body} (after {attempts} attempts)");
    }
    SourceError::Http {
        source_id: source_id.to_string(),
        url: url.to_string(),
        status,
        body,
    }
}

/// A reqwest error with its causes ("error sending request: … : connection refused").
pub(crate) fn error_chain(e: &reqwest::Error) -> String {
    let mut detail = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        detail.push_str(": ");
        detail.push_str(&s.to_string());
        src = s.source();
    }
    detail
}

/// A `Retry-After` value: delay-seconds or an HTTP-date (RFC 9110), relative to `now`.
pub fn retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = DateTime::parse_from_rfc2822(v).ok()?.with_timezone(&Utc);
    Some((at - now).to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 8, 0, 0).unwrap();
        assert_eq!(
            retry_after("7", now),
            Some(Duration::from_secs(7)),
            "delay-seconds"
        );
        assert_eq!(
            retry_after("Sun, 22 Nov 2026 08:00:30 GMT", now),
            Some(Duration::from_secs(30)),
            "an HTTP-date 30 s ahead"
        );
        assert_eq!(
            retry_after("Sun, 22 Nov 2026 07:59:00 GMT", now),
            Some(Duration::ZERO),
            "a date in the past means: now"
        );
        assert_eq!(retry_after("soon", now), None, "garbage is ignored");
    }

    #[test]
    fn backoff_doubles_with_jitter_and_is_seeded() {
        let policy = Policy {
            backoff_base: Duration::from_millis(100),
            backoff_max: Duration::from_millis(350),
            ..Policy::default()
        };
        let a = Gate::new("t", policy.clone(), Clock::system());
        let b = Gate::new("t", policy, Clock::system());
        let da: Vec<Duration> = (1..=4).map(|n| a.backoff(n)).collect();
        let db: Vec<Duration> = (1..=4).map(|n| b.backoff(n)).collect();
        assert_eq!(da, db, "the same seed gives the same waits");
        let ms = |d: Duration| d.as_millis();
        assert!(
            (50..=100).contains(&ms(da[0])),
            "first wait in [50, 100] ms: {da:?}"
        );
        assert!(
            (100..=200).contains(&ms(da[1])),
            "second in [100, 200] ms: {da:?}"
        );
        assert!(
            (175..=350).contains(&ms(da[2])),
            "third capped at 350 ms: {da:?}"
        );
        assert!((175..=350).contains(&ms(da[3])), "and stays capped: {da:?}");
    }
}
