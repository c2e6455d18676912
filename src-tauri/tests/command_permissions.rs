//! Every command the app registers must be declared in build.rs (so tauri-build makes its
//! `allow-<command>` permission) and granted in capabilities/default.json: a command missing
//! from either is refused at run time ("<command> not allowed. Command not found"). The case
//! file's integrity verdict (`case_integrity`) was missing from both, so every opened case was
//! reported damaged and shown read-only.

use std::collections::BTreeSet;

fn read(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// The command names inside `generate_handler![…]` in src/lib.rs (`commands::case::open_case`
/// gives `open_case`).
fn registered() -> BTreeSet<String> {
    let lib = read("src/lib.rs");
    let start = lib
        .find("generate_handler![")
        .expect("src/lib.rs registers its commands with generate_handler!");
    let list = &lib[start..];
    let list = &list[..list.find(']').expect("the handler list is closed")];
    list.split(',')
        .filter_map(|item| item.trim().rsplit("::").next())
        .filter(|name| !name.is_empty() && !name.contains('['))
        .map(str::to_string)
        .collect()
}

/// The quoted names in build.rs's `COMMANDS` list.
fn declared() -> BTreeSet<String> {
    let build = read("build.rs");
    let start = build
        .find("const COMMANDS")
        .expect("build.rs declares COMMANDS");
    let list = &build[start..];
    let list = &list[..list.find("];").expect("the COMMANDS list is closed")];
    list.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// The `allow-…` permissions granted in capabilities/default.json, as command names.
fn granted() -> BTreeSet<String> {
    let caps: serde_json::Value =
        serde_json::from_str(&read("capabilities/default.json")).expect("the capability is JSON");
    caps["permissions"]
        .as_array()
        .expect("the capability lists permissions")
        .iter()
        .filter_map(|p| p.as_str()?.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"))
        .collect()
}

#[test]
fn every_registered_command_is_declared_and_granted() {
    let registered = registered();
    assert!(
        registered.contains("open_case") && registered.contains("case_integrity"),
        "the parser finds the commands of src/lib.rs: {registered:?}"
    );
    let declared = declared();
    let granted = granted();
    let undeclared: Vec<_> = registered.difference(&declared).collect();
    assert!(
        undeclared.is_empty(),
        "registered in src/lib.rs but missing from build.rs COMMANDS (no permission is generated): {undeclared:?}"
    );
    let ungranted: Vec<_> = registered.difference(&granted).collect();
    assert!(
        ungranted.is_empty(),
        "registered in src/lib.rs but not granted in capabilities/default.json (refused at run time): {ungranted:?}"
    );
}
