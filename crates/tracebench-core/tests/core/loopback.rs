//! A small HTTP/1.1 server on 127.0.0.1 for source tests: every request is recorded and answered
//! by a handler (status, headers, body, an optional delay), one thread per connection.

use std::io::{BufRead, BufReader, Read, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Request {
    /// When the server had read it whole.
    pub at: Instant,
    pub method: String,
    pub path: String,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub delay: Duration,
}

impl Reply {
    pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    pub fn text(status: u16, body: &str) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type".into(), "text/plain".into())],
            body: body.as_bytes().to_vec(),
            delay: Duration::ZERO,
        }
    }

    pub fn with_header(mut self, k: &str, v: &str) -> Reply {
        self.headers.push((k.into(), v.into()));
        self
    }

    pub fn after(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }
}

/// The network check every Esplora connection makes before its first request.
pub const GENESIS_PATH: &str = "/block-height/0";

impl Reply {
    /// A mainnet Esplora's answer to `r` when it is the network check (its genesis block).
    pub fn mainnet_genesis(r: &Request) -> Option<Reply> {
        (r.path == GENESIS_PATH).then(|| {
            Reply::text(
                200,
                tracebench_core::chain::BtcNetwork::Mainnet.genesis_hash(),
            )
        })
    }
}

type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

/// A running loopback server; it lives until the test process ends.
pub struct Loopback {
    pub url: String,
    pub requests: Arc<Mutex<Vec<Request>>>,
    /// The most requests that were being answered at once.
    pub peak_in_flight: Arc<AtomicUsize>,
    /// Replies whose delay had passed and which the server went on to send.
    pub replied: Arc<AtomicUsize>,
}

impl Loopback {
    pub fn serve(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Loopback {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let peak = Arc::new(AtomicUsize::new(0));
        let in_flight = Arc::new(AtomicUsize::new(0));
        let replied = Arc::new(AtomicUsize::new(0));
        let handler: Arc<Handler> = Arc::new(handler);
        let (reqs, pk, rp) = (requests.clone(), peak.clone(), replied.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (handler, reqs, pk, inf, rp) = (
                    handler.clone(),
                    reqs.clone(),
                    pk.clone(),
                    in_flight.clone(),
                    rp.clone(),
                );
                std::thread::spawn(move || {
                    let _ = answer(stream, &*handler, &reqs, &pk, &inf, &rp);
                });
            }
        });
        Loopback {
            url,
            requests,
            peak_in_flight: peak,
            replied,
        }
    }

    /// Replies sent so far (their delay passed).
    pub fn replied(&self) -> usize {
        self.replied.load(Ordering::SeqCst)
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    /// Requests other than the network check (`/block-height/0`).
    pub fn fetches(&self) -> Vec<Request> {
        self.requests()
            .into_iter()
            .filter(|r| r.path != GENESIS_PATH)
            .collect()
    }

    pub fn fetch_count(&self) -> usize {
        self.fetches().len()
    }

    /// Replies sent to requests other than the network check (answered without delay, before
    /// anything else is asked).
    pub fn fetches_replied(&self) -> usize {
        self.replied() - (self.count() - self.fetch_count())
    }
}

fn answer(
    stream: std::net::TcpStream,
    handler: &Handler,
    reqs: &Mutex<Vec<Request>>,
    peak: &AtomicUsize,
    in_flight: &AtomicUsize,
    replied: &AtomicUsize,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let path = parts.next().unwrap_or_default().to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h)?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let len: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; len];
    reader.read_exact(&mut body)?;
    let request = Request {
        at: Instant::now(),
        method,
        path,
        headers,
        body,
    };
    reqs.lock().unwrap().push(request.clone());
    let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    peak.fetch_max(now, Ordering::SeqCst);
    let reply = handler(&request);
    std::thread::sleep(reply.delay);
    replied.fetch_add(1, Ordering::SeqCst);
    in_flight.fetch_sub(1, Ordering::SeqCst);
    let mut out = stream;
    let mut head = format!(
        "HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n",
        reply.status,
        reply.body.len()
    );
    for (k, v) in &reply.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    out.write_all(head.as_bytes())?;
    out.write_all(&reply.body)?;
    out.flush()
}
