//! config.toml: created private, refused when others may read it, never echoing a secret.

use std::os::unix::fs::PermissionsExt;

use tracebench_core::config::{Config, ConfigError, FILE_NAME};
use tracebench_core::source::core_rpc::RpcAuth;

fn write(dir: &std::path::Path, text: &str, mode: u32) -> std::path::PathBuf {
    let path = dir.join(FILE_NAME);
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    path
}

#[test]
fn the_file_is_created_private_and_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = Config::create(&dir.path().join("cfg")).unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "only the analyst may read the secrets file");
    assert_eq!(
        Config::load(&dir.path().join("cfg")).unwrap(),
        Config::default(),
        "the template is all comments: no source set up yet"
    );
    std::fs::write(&path, "[source.x]\napi_key = \"kept\"\n").unwrap();
    let e = Config::create(&dir.path().join("cfg")).unwrap_err();
    assert!(matches!(e, ConfigError::Exists { .. }), "{e:?}");
    assert!(
        std::fs::read_to_string(&path).unwrap().contains("kept"),
        "an existing file is left as it was"
    );
    assert_eq!(
        Config::load(&dir.path().join("absent")).unwrap(),
        Config::default(),
        "no file: no secrets, no error"
    );
}

#[test]
fn credentials_are_read_per_source_and_never_shown_by_debug() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "[source.\"core:http://127.0.0.1:8332\"]\nrpc_user = \"analyst\"\nrpc_password = \"Pw-93be1\"\n\n[source.\"core:http://127.0.0.2:8332\"]\nrpc_cookie = \"/srv/btc/.cookie\"\n\n[source.etherscan]\napi_key = \"KEY-5d2f\"\n",
        0o600,
    );
    let c = Config::load(dir.path()).unwrap();
    assert_eq!(
        c.secrets("core:http://127.0.0.1:8332").unwrap().rpc_auth(),
        Some(RpcAuth::UserPass {
            user: "analyst".into(),
            password: "Pw-93be1".into()
        }),
        "user and password for the first node"
    );
    assert_eq!(
        c.secrets("core:http://127.0.0.2:8332").unwrap().rpc_auth(),
        Some(RpcAuth::Cookie("/srv/btc/.cookie".into())),
        "the cookie file for the second"
    );
    assert_eq!(
        c.secrets("etherscan").unwrap().api_key.as_deref(),
        Some("KEY-5d2f")
    );
    let shown = format!("{c:?}");
    assert!(
        !shown.contains("Pw-93be1") && !shown.contains("KEY-5d2f"),
        "debug output (logs) masks secrets: {shown}"
    );
}

#[test]
fn a_file_others_may_read_is_refused_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "[source.etherscan]\napi_key = \"KEY\"\n", 0o644);
    let e = Config::load(dir.path()).unwrap_err();
    assert!(
        matches!(e, ConfigError::Exposed { mode: 0o644, .. }),
        "group/world-readable is refused: {e:?}"
    );
    assert!(
        e.to_string().contains("chmod 600") && e.to_string().contains(&path.display().to_string()),
        "the message names the file and the fix: {e}"
    );
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    assert!(
        Config::load(dir.path()).is_err(),
        "group-readable alone is refused too"
    );
}

#[test]
fn a_broken_file_names_the_line_and_not_the_secret() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "[source.\"core:x\"]\nrpc_user = \"analyst\"\nrpc_password = 12345678\n",
        0o600,
    );
    let e = Config::load(dir.path()).unwrap_err();
    assert!(
        matches!(e, ConfigError::Invalid { line: 3, .. }),
        "the wrong type is on line 3: {e:?}"
    );
    assert!(
        !e.to_string().contains("12345678"),
        "the value is not echoed: {e}"
    );

    write(
        dir.path(),
        "[source.\"core:x\"]\nrpc_pasword = \"S3cret-x\"\n",
        0o600,
    );
    let e = Config::load(dir.path()).unwrap_err();
    assert!(
        e.to_string().contains("rpc_pasword") && !e.to_string().contains("S3cret-x"),
        "a misspelt key is named, its value is not: {e}"
    );

    write(
        dir.path(),
        "[source.\"core:x\"]\nrpc_user = \"analyst\"\n",
        0o600,
    );
    let e = Config::load(dir.path()).unwrap_err();
    assert!(
        e.to_string()
            .contains("rpc_user and rpc_password go together"),
        "a user without a password is named: {e}"
    );
}
