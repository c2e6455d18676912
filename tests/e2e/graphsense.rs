//! `tracebench graphsense entity`: an address's entity and tags from a GraphSense instance on
//! loopback (GraphSense REST shapes; the tag is the real TagPack entry of packs/lazarus2.yaml),
//! the API key read from config.toml, sent, and found nowhere in the case or the output.

use std::io::{BufRead, BufReader};

use crate::util::{json, reply_json, run_ok, tracebench, write_config_toml};

const ADDRESS: &str = "3LU8wRu4ZnXP4UM8Yo6kkTiGHM9BubgyiG";
const KEY: &str = "PLANTED-gs-key-61f0a9";

fn server() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let path = line
                .split_whitespace()
                .nth(1)
                .unwrap_or_default()
                .to_string();
            let mut auth = String::new();
            loop {
                let mut h = String::new();
                let _ = reader.read_line(&mut h);
                let h = h.trim_end().to_string();
                if h.is_empty() {
                    break;
                }
                if let Some((k, v)) = h.split_once(':') {
                    if k.eq_ignore_ascii_case("authorization") {
                        auth = v.trim().to_string();
                    }
                }
            }
            let base = format!("/btc/addresses/{ADDRESS}");
            let (status, body) = if auth != KEY {
                (401, r#"{"detail":"Unauthorized"}"#.to_string())
            } else if path == base {
                (
                    200,
                    format!(r#"{{"address":"{ADDRESS}","currency":"btc","entity":271828}}"#),
                )
            } else if path == format!("{base}/entity") {
                (
                    200,
                    format!(
                        r#"{{"entity":271828,"currency":"btc","root_address":"{ADDRESS}","no_addresses":1}}"#
                    ),
                )
            } else if path == format!("{base}/tags") {
                (
                    200,
                    format!(
                        r#"{{"address_tags":[{{"address":"{ADDRESS}","currency":"btc","label":"Lazarus group","category":"user","abuse":"sanction","source":"https://www.fbi.gov/news/press-releases/fbi-identifies-cryptocurrency-funds-stolen-by-dprk","actor":"lazarusgroup","confidence":"authority_data"}}],"next_page":null}}"#
                    ),
                )
            } else {
                (404, r#"{"detail":"not found"}"#.to_string())
            };
            let mut out = stream;
            reply_json(&mut out, &format!("{status} X"), &body);
        }
    });
    url
}

#[test]
fn graphsense_entity_uses_the_configured_key_stores_the_answers_and_never_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let url = server();
    write_config_toml(
        dir.path(),
        &format!("[source.\"graphsense:{url}\"]\napi_key = \"{KEY}\"\n"),
        0o600,
    );
    let case = dir.path().join("gs.tbcase");
    run_ok(
        tracebench(dir.path())
            .args(["case", "new", "--title", "GS", "--case"])
            .arg(&case),
    );
    let out = run_ok(
        tracebench(dir.path())
            .args([
                "graphsense",
                "entity",
                ADDRESS,
                "--graphsense",
                &url,
                "--json",
                "--case",
            ])
            .arg(&case),
    );
    let view = json(&out);
    assert_eq!(view["entity"], 271_828, "the entity GraphSense named");
    assert_eq!(view["tags"][0]["label"], "Lazarus group", "with its tag");
    let info = json(&run_ok(
        tracebench(dir.path())
            .args(["case", "info", "--json", "--case"])
            .arg(&case),
    ));
    assert_eq!(
        info["raw_responses"], 3,
        "address, entity and tags answers are in the case"
    );
    let bytes = std::fs::read(&case).unwrap();
    for (name, hay) in [
        ("case", &bytes),
        ("stdout", &out.stdout),
        ("stderr", &out.stderr),
    ] {
        assert!(
            !hay.windows(KEY.len()).any(|w| w == KEY.as_bytes()),
            "the {name} must not hold the API key"
        );
    }
}
