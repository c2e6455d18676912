//! Running the real `tracebench` binary in a temp dir.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

/// The `tracebench` binary built beside this test binary (target/<profile>/tracebench).
pub fn bin() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>");
    let bin = dir.join(format!("tracebench{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} is missing: run the tests with `cargo test --workspace`, which builds the CLI",
        bin.display()
    );
    bin
}

/// A command with a hermetic environment: data and config dirs inside `dir`.
pub fn tracebench(dir: &Path) -> Command {
    let mut c = Command::new(bin());
    c.env("TRACEBENCH_DATA_DIR", dir.join("data"))
        .env("TRACEBENCH_CONFIG_DIR", dir.join("config"))
        .env_remove("SOURCE_DATE_EPOCH")
        .current_dir(dir);
    c
}

pub fn run_ok(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("run tracebench");
    assert!(
        out.status.success(),
        "{cmd:?} failed:\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

pub fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// `tracebench report verify --json --case CASE PDF`: (exit success, verdict).
pub fn report_verify(dir: &Path, case: &Path, pdf: &Path) -> (bool, serde_json::Value) {
    let out = tracebench(dir)
        .args(["report", "verify", "--json", "--case"])
        .arg(case)
        .arg(pdf)
        .output()
        .expect("run tracebench");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "report verify prints JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.success(), v)
}

/// The names of a verify verdict's items that matched (`ok`) or did not.
pub fn verdict_items(v: &serde_json::Value, ok: bool) -> Vec<String> {
    v["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|i| i["ok"] == ok)
        .map(|i| i["item"].as_str().unwrap().to_string())
        .collect()
}

/// Text of a PDF, by poppler's pdftotext (installed by the setup script).
pub fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed");
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        pdf.display()
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

pub fn digest(path: &Path) -> Vec<u8> {
    std::fs::read(path).expect("read file")
}

/// Runs the demo into `dir/out` and returns its JSON summary.
pub fn demo(dir: &Path) -> serde_json::Value {
    json(&run_ok(
        tracebench(dir)
            .args(["demo", "--out"])
            .arg(dir.join("out"))
            .arg("--json"),
    ))
}

/// A scenario's ground truth for seed 1 (`tracebench sim truth --scenario NAME --seed 1 --json`).
pub fn sim_truth(dir: &Path, scenario: &str) -> serde_json::Value {
    json(&run_ok(tracebench(dir).args([
        "sim",
        "truth",
        "--scenario",
        scenario,
        "--seed",
        "1",
        "--json",
    ])))
}

/// A running `tracebench sim serve`, killed when dropped.
pub struct SimServer(Child);

impl Drop for SimServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `tracebench sim serve ARGS` and returns it with the JSON it announces on its first line.
pub fn sim_serve(dir: &Path, args: &[&str]) -> (SimServer, serde_json::Value) {
    let mut child = tracebench(dir)
        .args(["sim", "serve"])
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let server = SimServer(child);
    let announced = serde_json::from_str(&first).expect("first line is JSON");
    (server, announced)
}

/// Writes the hermetic config file `dir/config/config.toml` with `toml` and Unix mode `mode`;
/// returns its path.
pub fn write_config_toml(dir: &Path, toml: &str, mode: u32) -> PathBuf {
    let config = dir.join("config");
    std::fs::create_dir_all(&config).unwrap();
    let path = config.join("config.toml");
    std::fs::write(&path, toml).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    path
}

/// Answers one HTTP/1.1 request of a loopback test server with the JSON `body` and closes.
pub fn reply_json(out: &mut impl Write, status: &str, body: &str) {
    let _ = write!(
        out,
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}
