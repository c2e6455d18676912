//! Running the real `tracebench` binary in a temp dir.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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
