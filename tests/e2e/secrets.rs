//! Secrets stay secret: node credentials planted in config.toml are used to fetch from a
//! loopback Bitcoin Core node (replaying real RPC answers), and then searched for in the case
//! file, the bundle, the CLI's output and the PDF report: never found.

use std::io::{BufRead, BufReader, Read};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::{Arc, Mutex};

use crate::util::{json, pdf_text, reply_json, run_ok, tracebench, write_config_toml};

const TX: &str = "6359f0868171b1d194cbee1af2f16ea598ae8fad666d9b012c8ed2b79a236ec4";
const PASSWORD: &str = "PLANTED-rpc-pw-4e1d8a7c";

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../crates/tracebench-core/tests/fixtures/core-rpc/bitcoingraph")
}

/// `Basic base64(user:password)`.
fn basic(user: &str, password: &str) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = format!("{user}:{password}").into_bytes();
    let mut out = String::from("Basic ");
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            out.push(if i <= chunk.len() {
                ABC[((n >> (18 - 6 * i)) & 63) as usize] as char
            } else {
                '='
            });
        }
    }
    out
}

/// A loopback node answering `getrawtransaction` and `getblockheader` from the bitcoingraph
/// fixtures, only to requests carrying `authorization`; returns its URL and the headers seen.
fn node(authorization: String) -> (String, Arc<Mutex<Vec<String>>>) {
    let mut results = std::collections::BTreeMap::new();
    for entry in std::fs::read_dir(fixture_dir()).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let text = std::fs::read_to_string(entry.path()).unwrap();
        if let Some(txid) = name
            .strip_prefix("tx_")
            .and_then(|n| n.strip_suffix(".json"))
        {
            results.insert(("getrawtransaction".to_string(), txid.to_string()), text);
        } else if name.starts_with("block_") {
            let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
            let hash = v["hash"].as_str().unwrap().to_string();
            let o = v.as_object_mut().unwrap();
            o.remove("tx");
            o.remove("size");
            results.insert(("getblockheader".to_string(), hash), v.to_string());
        }
    }
    // The node is on mainnet, as the fixtures are: asked once per connection.
    results.insert(
        ("getblockchaininfo".to_string(), String::new()),
        r#"{"chain":"main","blocks":100000,"headers":100000,"pruned":false}"#.to_string(),
    );
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let (mut len, mut auth) = (0usize, String::new());
            loop {
                let mut h = String::new();
                let _ = reader.read_line(&mut h);
                let h = h.trim_end().to_string();
                if h.is_empty() {
                    break;
                }
                let (k, v) = h.split_once(':').unwrap_or((&h, ""));
                match k.trim().to_ascii_lowercase().as_str() {
                    "content-length" => len = v.trim().parse().unwrap_or(0),
                    "authorization" => auth = v.trim().to_string(),
                    _ => {}
                }
            }
            let mut body = vec![0u8; len];
            let _ = reader.read_exact(&mut body);
            log.lock().unwrap().push(auth.clone());
            let (status, reply) = if auth != authorization {
                (401, String::new())
            } else {
                let call: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
                let key = (
                    call["method"].as_str().unwrap_or_default().to_string(),
                    call["params"][0].as_str().unwrap_or_default().to_string(),
                );
                match results.get(&key) {
                    Some(r) => (200, format!("{{\"result\":{r},\"error\":null,\"id\":{}}}", call["id"])),
                    None => (500, format!("{{\"result\":null,\"error\":{{\"code\":-5,\"message\":\"No such mempool or blockchain transaction\"}},\"id\":{}}}", call["id"])),
                }
            };
            let mut out = stream;
            reply_json(&mut out, &format!("{status} X"), &reply);
        }
    });
    (url, seen)
}

fn write_config(dir: &Path, url: &str, password: &str, mode: u32) {
    write_config_toml(
        dir,
        &format!(
            "[source.\"core:{url}\"]\nrpc_user = \"analyst\"\nrpc_password = \"{password}\"\n"
        ),
        mode,
    );
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

fn outputs(all: &[Output]) -> Vec<u8> {
    all.iter()
        .flat_map(|o| o.stdout.iter().chain(&o.stderr).copied())
        .collect()
}

#[test]
fn a_node_password_in_config_is_used_and_found_nowhere_else() {
    let dir = tempfile::tempdir().unwrap();
    let (url, seen) = node(basic("analyst", PASSWORD));
    write_config(dir.path(), &url, PASSWORD, 0o600);
    let case = dir.path().join("op.tbcase");
    let bundle = dir.path().join("op.tbbundle");
    let pdf = dir.path().join("op.pdf");
    let source = format!("core:{url}");
    let mut runs = Vec::new();
    runs.push(run_ok(
        tracebench(dir.path())
            .args(["case", "new", "--title", "Secrets", "--case"])
            .arg(&case),
    ));
    let added = run_ok(
        tracebench(dir.path())
            .args(["add", TX, "--json", "--source", &source, "--case"])
            .arg(&case),
    );
    assert_eq!(
        json(&added)["node_id"],
        format!("btc:tx:{TX}"),
        "the transaction came from the node"
    );
    runs.push(added);
    // Without --source the case's own source (the node) is reused, credentials from config.
    runs.push(run_ok(
        tracebench(dir.path())
            .args(["expand", &format!("btc:tx:{TX}"), "--case"])
            .arg(&case),
    ));
    runs.push(run_ok(
        tracebench(dir.path())
            .args(["case", "export", "--case"])
            .arg(&case)
            .arg("--out")
            .arg(&bundle),
    ));
    runs.push(run_ok(
        tracebench(dir.path())
            .args(["report", "--no-labels", "--case"])
            .arg(&case)
            .arg("--out")
            .arg(&pdf),
    ));
    let seen = seen.lock().unwrap().clone();
    assert!(
        !seen.is_empty() && seen.iter().all(|a| *a == basic("analyst", PASSWORD)),
        "every request to the node carried the planted credentials: {seen:?}"
    );
    let secrets = [PASSWORD.to_string(), basic("analyst", PASSWORD)];
    let mut places: Vec<(String, Vec<u8>)> = vec![
        ("the CLI's stdout and stderr".into(), outputs(&runs)),
        ("the bundle".into(), std::fs::read(&bundle).unwrap()),
        ("the PDF bytes".into(), std::fs::read(&pdf).unwrap()),
        ("the PDF text".into(), pdf_text(&pdf).into_bytes()),
    ];
    // The case file and anything beside it (WAL, journal), the data dir included.
    for entry in std::fs::read_dir(dir.path()).unwrap().flatten() {
        if entry.path().is_file() {
            places.push((
                entry.path().display().to_string(),
                std::fs::read(entry.path()).unwrap(),
            ));
        }
    }
    assert!(
        places.iter().any(|(name, _)| name.ends_with("op.tbcase")),
        "the case file is among the places searched"
    );
    for (name, bytes) in &places {
        for secret in &secrets {
            assert!(!contains(bytes, secret), "{name} must not hold {secret:?}");
        }
    }
    assert!(
        contains(&std::fs::read(&case).unwrap(), "Authorization: ***"),
        "the stored request says a credential was sent, as ***"
    );
}

#[test]
fn a_readable_config_is_refused_and_a_wrong_password_is_named_without_echo() {
    let dir = tempfile::tempdir().unwrap();
    let (url, _) = node(basic("analyst", PASSWORD));
    let case = dir.path().join("op.tbcase");
    run_ok(
        tracebench(dir.path())
            .args(["case", "new", "--title", "Secrets", "--case"])
            .arg(&case),
    );
    let before = std::fs::read(&case).unwrap();
    let source = format!("core:{url}");

    write_config(dir.path(), &url, PASSWORD, 0o644);
    let out = tracebench(dir.path())
        .args(["add", TX, "--source", &source, "--case"])
        .arg(&case)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "a world-readable secrets file is refused"
    );
    assert!(
        stderr.contains("chmod 600") && stderr.contains("config.toml"),
        "the message names the file and the fix: {stderr}"
    );

    write_config(dir.path(), &url, "WRONG-pw-0b7c", 0o600);
    let out = tracebench(dir.path())
        .args(["add", TX, "--source", &source, "--case"])
        .arg(&case)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "a refused login fails the command");
    assert!(
        stderr.contains("refused the RPC credentials"),
        "says the node refused the credentials: {stderr}"
    );
    assert!(
        !stderr.contains("WRONG-pw-0b7c")
            && !String::from_utf8_lossy(&out.stdout).contains("WRONG-pw-0b7c"),
        "without printing the password"
    );
    assert_eq!(
        std::fs::read(&case).unwrap(),
        before,
        "both refusals left the case as it was"
    );
}

#[test]
fn config_init_creates_a_private_file_and_check_names_sources_not_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_ok(tracebench(dir.path()).args(["config", "init", "--json"]));
    let path = PathBuf::from(json(&out)["path"].as_str().unwrap());
    assert_eq!(
        path,
        dir.path().join("config/config.toml"),
        "created in $TRACEBENCH_CONFIG_DIR"
    );
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "only the analyst may read it");
    let again = tracebench(dir.path())
        .args(["config", "init"])
        .output()
        .unwrap();
    assert!(
        !again.status.success(),
        "an existing file is not overwritten"
    );
    write_config(dir.path(), "http://127.0.0.1:8332", PASSWORD, 0o600);
    let out = run_ok(tracebench(dir.path()).args(["config", "check", "--json"]));
    let checked = json(&out);
    assert_eq!(
        checked["sources"][0]["source_id"], "core:http://127.0.0.1:8332",
        "the source id is listed"
    );
    assert_eq!(
        checked["sources"][0]["set"],
        serde_json::json!(["rpc_user", "rpc_password"]),
        "with the names of what is set"
    );
    assert!(
        !contains(&out.stdout, PASSWORD) && !contains(&out.stderr, PASSWORD),
        "never the values"
    );
}

/// A keyring service name no other run uses (never the user's `tracebench`).
fn keyring_service() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("tracebench-test-{}-{nanos}", std::process::id())
}

/// Deletes the keyring entry `name` of `service` (through `tracebench secret delete`) when
/// dropped, so a test that fails half-way leaves no key behind.
struct Planted<'a> {
    dir: &'a Path,
    service: &'a str,
    name: &'a str,
}

impl Drop for Planted<'_> {
    fn drop(&mut self) {
        // Already deleted by the test is fine: `delete` then says it held none.
        let _ = tracebench(self.dir)
            .env("TRACEBENCH_KEYRING_SERVICE", self.service)
            .args(["secret", "delete", self.name])
            .output();
    }
}

/// The planted-key test with the password in the OS keyring (the kernel keyring here): stored
/// by `tracebench secret set` from standard input, used for a node named with its user only,
/// listed by name, and found nowhere in the outputs, the case, the bundle or the PDF.
#[test]
fn a_node_password_from_the_keyring_is_used_and_found_nowhere_else() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let password = format!("PLANTED-keyring-pw-{}", std::process::id());
    let (url, seen) = node(basic("analyst", &password));
    let name = format!("core:{url}.rpc_password");
    // A keyring service of this run alone, and the entry deleted however the test ends.
    let service = keyring_service();
    let tb = || {
        let mut c = tracebench(dir.path());
        c.env("TRACEBENCH_KEYRING_SERVICE", &service);
        c
    };
    let _planted = Planted {
        dir: dir.path(),
        service: &service,
        name: &name,
    };
    let mut set = tb()
        .args(["secret", "set", &name])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    set.stdin
        .take()
        .unwrap()
        .write_all(format!("{password}\n").as_bytes())
        .unwrap();
    let set = set.wait_with_output().unwrap();
    assert!(
        set.status.success(),
        "the secret is stored in the keyring: {}",
        String::from_utf8_lossy(&set.stderr)
    );
    let case = dir.path().join("kr.tbcase");
    let bundle = dir.path().join("kr.tbbundle");
    let pdf = dir.path().join("kr.pdf");
    let host = url.trim_start_matches("http://");
    let source = format!("core:http://analyst@{host}");
    let mut runs = vec![set];
    runs.push(run_ok(
        tb().args(["case", "new", "--title", "Keyring", "--case"])
            .arg(&case),
    ));
    let added = tb()
        .args(["add", TX, "--json", "--source", &source, "--case"])
        .arg(&case)
        .output()
        .unwrap();
    let listed = run_ok(tb().args(["secret", "list", "--json"]));
    let deleted = run_ok(tb().args(["secret", "delete", &name, "--json"]));
    assert!(
        added.status.success(),
        "the node answered with the keyring's password: {}",
        String::from_utf8_lossy(&added.stderr)
    );
    assert_eq!(
        json(&listed)["names"][0]["name"],
        name.as_str(),
        "list names the secret"
    );
    assert_eq!(
        json(&deleted)["deleted"],
        true,
        "delete removes it from the keyring"
    );
    runs.extend([added, listed, deleted]);
    runs.push(run_ok(
        tb().args(["case", "export", "--case"])
            .arg(&case)
            .arg("--out")
            .arg(&bundle),
    ));
    runs.push(run_ok(
        tb().args(["report", "--no-labels", "--case"])
            .arg(&case)
            .arg("--out")
            .arg(&pdf),
    ));
    let seen = seen.lock().unwrap().clone();
    assert!(
        !seen.is_empty() && seen.iter().all(|a| *a == basic("analyst", &password)),
        "every request to the node carried the keyring's credentials: {seen:?}"
    );
    let secrets = [password.clone(), basic("analyst", &password)];
    let mut places: Vec<(String, Vec<u8>)> = vec![
        ("the CLI's stdout and stderr".into(), outputs(&runs)),
        ("the bundle".into(), std::fs::read(&bundle).unwrap()),
        ("the PDF bytes".into(), std::fs::read(&pdf).unwrap()),
        ("the PDF text".into(), pdf_text(&pdf).into_bytes()),
    ];
    for d in [dir.path().to_path_buf(), dir.path().join("config")] {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            if entry.path().is_file() {
                places.push((
                    entry.path().display().to_string(),
                    std::fs::read(entry.path()).unwrap(),
                ));
            }
        }
    }
    assert!(
        places.iter().any(|(n, _)| n.ends_with("kr.tbcase"))
            && places.iter().any(|(n, _)| n.ends_with("secret-names")),
        "the case file and the keyring's names file are among the places searched"
    );
    for (place, bytes) in &places {
        for secret in &secrets {
            assert!(!contains(bytes, secret), "{place} must not hold {secret:?}");
        }
    }
}
