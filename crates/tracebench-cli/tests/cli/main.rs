//! Smoke tests of the `tracebench` binary itself. (The end-to-end flows live in the workspace's
//! tests/ crate; having an integration test here also makes `cargo test` build this binary
//! before those run.)

use std::process::Command;

fn tracebench() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tracebench"))
}

#[test]
fn version_and_help_name_the_commands() {
    let out = tracebench().arg("--version").output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("tracebench {}", env!("CARGO_PKG_VERSION")),
        "--version prints the workspace version"
    );
    let help = tracebench().arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&help.stdout);
    for cmd in ["case", "add", "expand", "cluster", "report", "sim", "demo"] {
        assert!(text.contains(cmd), "--help lists `{cmd}`:\n{text}");
    }
}

#[test]
fn a_missing_case_flag_is_a_clear_error() {
    let out = tracebench().args(["cluster"]).output().unwrap();
    assert!(!out.status.success(), "cluster needs a case");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--case"),
        "the error says which flag is missing"
    );
}

#[test]
fn an_unknown_scenario_is_named() {
    let out = tracebench()
        .args(["sim", "truth", "--scenario", "pig-butchering"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("pig-butchering"),
        "the error quotes the unknown scenario"
    );
}
