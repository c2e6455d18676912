//! Fault injection over real HTTP for the Bitcoin sources: a loopback server that answers every
//! request with one fault (a timeout, 429 with and without Retry-After, 500, malformed JSON, a
//! body cut short of its Content-Length, a wrong content type). Each must end in a clear error
//! that names the source and what was wrong, and leave the case file byte-identical.

use std::io::{BufRead, BufReader, Read, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tracebench_core::api::{SourceSpec, Workbench};
use tracebench_core::source::policy::Policy;
use tracebench_core::source::Connection;

use crate::util::{current_rt, file_digest, sourceless_case, t0};

const TX_100000: &str = "6359f0868171b1d194cbee1af2f16ea598ae8fad666d9b012c8ed2b79a236ec4";
const ADDRESS: &str = "1H8ANdafjpqYntniT3Ddxh4xPBMCSz33pj";

/// One kind of broken answer.
#[derive(Clone)]
struct Fault {
    status: &'static str,
    content_type: &'static str,
    body: &'static [u8],
    /// The Content-Length sent; more than `body.len()` cuts the body short.
    declared_len: Option<usize>,
    retry_after: Option<&'static str>,
    delay: Duration,
}

impl Fault {
    fn new(status: &'static str, content_type: &'static str, body: &'static [u8]) -> Fault {
        Fault {
            status,
            content_type,
            body,
            declared_len: None,
            retry_after: None,
            delay: Duration::ZERO,
        }
    }
}

/// A server answering every request with `fault`; returns its URL and a request counter.
fn faulty_server(fault: Fault) -> (String, Arc<AtomicUsize>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (fault, seen) = (fault.clone(), seen.clone());
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut len = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some((k, v)) = line.split_once(':') {
                        if k.eq_ignore_ascii_case("content-length") {
                            len = v.trim().parse().unwrap_or(0);
                        }
                    }
                }
                let mut body = vec![0u8; len];
                let _ = reader.read_exact(&mut body);
                seen.fetch_add(1, Ordering::SeqCst);
                std::thread::sleep(fault.delay);
                let mut s = stream;
                let mut head = format!(
                    "HTTP/1.1 {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n",
                    fault.status,
                    fault.content_type,
                    fault.declared_len.unwrap_or(fault.body.len())
                );
                if let Some(ra) = fault.retry_after {
                    head.push_str(&format!("Retry-After: {ra}\r\n"));
                }
                head.push_str("\r\n");
                let _ = s.write_all(head.as_bytes());
                let _ = s.write_all(fault.body);
                let _ = s.flush();
                // Closing here with fewer bytes than declared is the truncation.
            });
        }
    });
    (url, count)
}

fn policy() -> Policy {
    Policy {
        rate: None,
        max_retries: 2,
        backoff_base: Duration::from_millis(5),
        backoff_max: Duration::from_millis(20),
        max_retry_after: Duration::from_secs(5),
        timeout: Duration::from_millis(400),
        ..Policy::default()
    }
}

/// The faults of the list, each with the error code the user gets, words its message
/// must contain, and whether the source is expected to retry it.
fn faults() -> Vec<(&'static str, Fault, &'static str, &'static str, bool)> {
    vec![
        (
            "timeout",
            Fault {
                delay: Duration::from_secs(2),
                ..Fault::new("200 OK", "application/json", b"{}")
            },
            "source_error",
            "did not answer",
            true,
        ),
        (
            "429 without Retry-After",
            Fault::new("429 Too Many Requests", "text/plain", b"slow down"),
            "source_error",
            "429",
            true,
        ),
        (
            "429 with Retry-After",
            Fault {
                retry_after: Some("1"),
                ..Fault::new("429 Too Many Requests", "text/plain", b"slow down")
            },
            "source_error",
            "429",
            true,
        ),
        (
            "500",
            Fault::new(
                "500 Internal Server Error",
                "text/plain",
                b"database locked",
            ),
            "source_error",
            "500",
            true,
        ),
        (
            "malformed JSON",
            Fault::new(
                "200 OK",
                "application/json",
                b"{\"result\": {\"txid\": \"ab",
            ),
            "source_error",
            "",
            false,
        ),
        (
            "truncated body",
            Fault {
                declared_len: Some(4096),
                ..Fault::new(
                    "200 OK",
                    "application/json",
                    b"{\"result\": {\"txid\": \"6359",
                )
            },
            // Reached but cut short: its own error naming the bytes that came, not "unreachable".
            "source_error",
            "ended early: got 25 of 4096 bytes",
            true,
        ),
        (
            "wrong content type",
            Fault::new(
                "200 OK",
                "text/html",
                b"<html><body>Maintenance</body></html>",
            ),
            "source_error",
            "",
            false,
        ),
    ]
}

/// Runs `attempt` against a fresh server for each fault and checks the error and the case.
fn each_fault_is_clear_and_harmless(kind: &str, id_prefix: &str, query: &str) {
    let dir = tempfile::tempdir().unwrap();
    let (path, wb) = sourceless_case(dir.path(), "faults.tbcase", "Faults");
    drop(wb);
    let before = file_digest(&path);
    let rt = current_rt();
    for (name, fault, code, says, retried) in faults() {
        let (url, count) = faulty_server(fault);
        let source_id = format!("{id_prefix}:{url}");
        let connection = Connection {
            policy: policy(),
            ..Connection::new(SourceSpec {
                id: source_id.clone(),
                base_url: url.clone(),
            })
        };
        let mut wb = Workbench::open(&path, None).unwrap();
        wb.connect_source(Some(connection));
        let e = rt
            .block_on(wb.add(query, t0()))
            .expect_err(&format!("{kind}: {name} must fail"));
        let message = e.to_string();
        assert_eq!(
            e.code(),
            code,
            "{kind}: {name}: the error's code: {message}"
        );
        assert!(
            !message.is_empty() && message.contains(name_word(name, kind)),
            "{kind}: {name}: the message says what was wrong: {message}"
        );
        assert!(
            message.contains(&source_id) || message.contains(&url),
            "{kind}: {name}: the message names the source: {message}"
        );
        assert!(
            message.contains(says),
            "{kind}: {name}: the message says what was wrong ({says:?}): {message}"
        );
        if name == "truncated body" {
            assert!(
                !message.contains("unreachable")
                    && message.contains("end of file before message length reached"),
                "{kind}: a cut body is not called unreachable and names the HTTP client's error: \
                 {message}"
            );
        }
        let n = count.load(Ordering::SeqCst);
        if retried {
            assert_eq!(
                n, 3,
                "{kind}: {name} is transient: the first attempt and max_retries (2) retries"
            );
        } else {
            assert_eq!(n, 1, "{kind}: {name} is final: not retried ({message})");
        }
        drop(wb);
        assert_eq!(
            file_digest(&path),
            before,
            "{kind}: {name} left the case file byte-identical"
        );
    }
}

/// A word each message must contain beyond the source: what kind of answer it was.
fn name_word(name: &str, kind: &str) -> &'static str {
    match (name, kind) {
        ("malformed JSON", "Esplora") | ("wrong content type", "Esplora") => "not valid Esplora",
        ("malformed JSON", _) | ("wrong content type", _) => "not",
        _ => "",
    }
}

#[test]
fn core_rpc_faults_are_clear_errors_and_leave_the_case_as_it_was() {
    each_fault_is_clear_and_harmless("Bitcoin Core RPC", "core", TX_100000);
}

#[test]
fn esplora_faults_are_clear_errors_and_leave_the_case_as_it_was() {
    each_fault_is_clear_and_harmless("Esplora", "esplora", ADDRESS);
}
