//! `tracebench sim serve`: an Esplora server on loopback, announced on the first line.

use std::io::{Read, Write};

use crate::util::sim_serve;

#[test]
fn sim_serve_prints_its_url_first_and_answers_esplora_routes() {
    let dir = tempfile::tempdir().unwrap();
    let (server, announced) = sim_serve(dir.path(), &["--scenario", "ransomware", "--seed", "1"]);
    let url = announced["url"].as_str().expect("{\"url\": …}").to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "loopback only: {url}");
    let host = url.trim_start_matches("http://");
    let seed = announced["seed_address"].as_str().unwrap();
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    write!(
        stream,
        "GET /address/{seed}/txs HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    drop(server);
    assert!(
        response.starts_with("HTTP/1.1 200"),
        "{}",
        &response[..response.len().min(200)]
    );
    assert!(
        response.contains("\"scriptpubkey_address\""),
        "Esplora-shaped JSON"
    );
}
