//! Where API keys and node passwords are looked up: the OS keyring first (service `tracebench`,
//! user = the secret's name, e.g. `etherscan.api_key` or
//! `core:http://127.0.0.1:8332.rpc_password`), then `config.toml` ([`crate::config`]).
//!
//! On Linux the keyring is the kernel's key retention service (keyutils, no D-Bus); on macOS the
//! Keychain, on Windows the Credential Manager. Where no keyring can be reached (a container that
//! blocks `keyctl`, for example) a lookup says so in [`Secrets::keyring_note`] and falls back to
//! `config.toml`. The OS keyrings cannot list their entries, so the names stored through
//! [`Keyring::set`] are kept (names only, never values) in `secret-names` beside `config.toml`.
//! A value is never part of an error message.

use std::collections::BTreeSet;
use std::path::Path;

use thiserror::Error;

use crate::config::{Config, ConfigError};
use crate::source::core_rpc::RpcAuth;

/// The keyring service every Tracebench secret is stored under.
pub const KEYRING_SERVICE: &str = "tracebench";

/// Names another keyring service (a separate set of secrets, e.g. for a test run); unset or
/// empty means [`KEYRING_SERVICE`].
pub const KEYRING_SERVICE_ENV: &str = "TRACEBENCH_KEYRING_SERVICE";

/// The file (in the config directory) that names the secrets stored in the keyring.
pub const NAMES_FILE: &str = "secret-names";

/// The fields a source's secrets may have, as in `config.toml`.
pub const FIELDS: [&str; 3] = ["api_key", "rpc_user", "rpc_password"];

#[derive(Debug, Error, PartialEq, Eq)]
pub enum SecretError {
    #[error("the OS keyring is not available here ({0}); keep the secret in config.toml (mode 0600) instead")]
    Unavailable(String),
    #[error("{0:?} is not a secret name: use <source id>.<field>, the field one of api_key, rpc_user, rpc_password (e.g. etherscan.api_key)")]
    BadName(String),
    #[error("the secret for {0} is empty")]
    Empty(String),
    #[error("the keyring refused {name}: {detail}")]
    Keyring { name: String, detail: String },
    #[error("{path}: {detail}")]
    Io { path: String, detail: String },
}

/// The name of a source's secret field: `<source id>.<field>`.
pub fn secret_name(source_id: &str, field: &str) -> String {
    format!("{source_id}.{field}")
}

/// Checks a secret name: a non-empty source id, a dot, one of [`FIELDS`]; no whitespace.
pub fn check_name(name: &str) -> Result<(), SecretError> {
    let bad = || SecretError::BadName(name.to_string());
    let (source, field) = name.rsplit_once('.').ok_or_else(bad)?;
    if source.is_empty()
        || !FIELDS.contains(&field)
        || name.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(bad());
    }
    Ok(())
}

/// The OS keyring under one service: by default [`KEYRING_SERVICE`], or the service
/// `TRACEBENCH_KEYRING_SERVICE` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyring {
    service: String,
}

impl Default for Keyring {
    fn default() -> Keyring {
        match std::env::var(KEYRING_SERVICE_ENV) {
            Ok(s) if !s.trim().is_empty() => Keyring::for_service(s.trim()),
            _ => Keyring::for_service(KEYRING_SERVICE),
        }
    }
}

impl Keyring {
    /// The keyring under `service`.
    pub fn for_service(service: &str) -> Keyring {
        Keyring {
            service: service.to_string(),
        }
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    fn entry(&self, name: &str) -> Result<keyring::Entry, SecretError> {
        // Linux: an entry holds the process's session keyring and links the user's persistent
        // keyring (which outlives the process) into it. A process without a session keyring of
        // its own gets one only during that link, after the entry took the shared user-session
        // keyring, which it then cannot search. The first entry makes the session keyring; the
        // second one holds it, so what one process stored another finds through the persistent
        // keyring.
        let _ = keyring::Entry::new(&self.service, name);
        keyring::Entry::new(&self.service, name).map_err(|e| unavailable_or(name, e))
    }

    /// The secret stored under `name`, `None` when the keyring holds none.
    pub fn get(&self, name: &str) -> Result<Option<String>, SecretError> {
        check_name(name)?;
        match self.entry(name)?.get_password() {
            Ok(v) => Ok(Some(v)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(unavailable_or(name, e)),
        }
    }

    /// Stores `value` under `name` and records the name in `config_dir/secret-names`.
    pub fn set(&self, config_dir: &Path, name: &str, value: &str) -> Result<(), SecretError> {
        check_name(name)?;
        if value.trim().is_empty() {
            return Err(SecretError::Empty(name.to_string()));
        }
        self.entry(name)?
            .set_password(value)
            .map_err(|e| unavailable_or(name, e))?;
        let mut names = stored_names(config_dir)?;
        names.insert(name.to_string());
        write_names(config_dir, &names)
    }

    /// Deletes the secret `name`; `false` when the keyring held none. The name leaves the list.
    pub fn delete(&self, config_dir: &Path, name: &str) -> Result<bool, SecretError> {
        check_name(name)?;
        let existed = match self.entry(name)?.delete_credential() {
            Ok(()) => true,
            Err(keyring::Error::NoEntry) => false,
            Err(e) => return Err(unavailable_or(name, e)),
        };
        let mut names = stored_names(config_dir)?;
        if names.remove(name) {
            write_names(config_dir, &names)?;
        }
        Ok(existed)
    }
}

fn unavailable_or(name: &str, e: keyring::Error) -> SecretError {
    match e {
        keyring::Error::PlatformFailure(inner) | keyring::Error::NoStorageAccess(inner) => {
            SecretError::Unavailable(inner.to_string())
        }
        other => SecretError::Keyring {
            name: name.to_string(),
            detail: other.to_string(),
        },
    }
}

/// The names recorded in `config_dir/secret-names` (sorted); none when the file is missing.
pub fn stored_names(config_dir: &Path) -> Result<BTreeSet<String>, SecretError> {
    let path = config_dir.join(NAMES_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeSet::new()),
        Err(e) => Err(SecretError::Io {
            path: path.display().to_string(),
            detail: e.to_string(),
        }),
    }
}

fn write_names(config_dir: &Path, names: &BTreeSet<String>) -> Result<(), SecretError> {
    let path = config_dir.join(NAMES_FILE);
    let io = |e: std::io::Error| SecretError::Io {
        path: path.display().to_string(),
        detail: e.to_string(),
    };
    std::fs::create_dir_all(config_dir).map_err(io)?;
    let mut text = String::new();
    for n in names {
        text.push_str(n);
        text.push('\n');
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&path).map_err(io)?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(io)
}

/// The secrets a command may use: the keyring, then `config.toml`.
#[derive(Debug, Clone, Default)]
pub struct Secrets {
    config: Config,
    keyring: Keyring,
    /// Why the keyring could not be asked, the first time it could not.
    keyring_note: std::sync::Arc<std::sync::Mutex<Option<String>>>,
}

impl Secrets {
    /// Reads `config_dir/config.toml` (refused when others may read it or it does not parse).
    pub fn load(config_dir: &Path) -> Result<Secrets, ConfigError> {
        Ok(Secrets::from_config(Config::load(config_dir)?))
    }

    pub fn from_config(config: Config) -> Secrets {
        Secrets {
            config,
            keyring: Keyring::default(),
            keyring_note: Default::default(),
        }
    }

    /// The same secrets, looked up in `keyring` before config.toml.
    pub fn with_keyring(mut self, keyring: Keyring) -> Secrets {
        self.keyring = keyring;
        self
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Why the keyring was not asked (unavailable here), if it was not.
    pub fn keyring_note(&self) -> Option<String> {
        self.keyring_note.lock().map(|n| n.clone()).unwrap_or(None)
    }

    fn keyring_value(&self, name: &str) -> Option<String> {
        match self.keyring.get(name) {
            Ok(v) => v.filter(|v| !v.trim().is_empty()),
            Err(e) => {
                if let Ok(mut note) = self.keyring_note.lock() {
                    note.get_or_insert_with(|| e.to_string());
                }
                None
            }
        }
    }

    /// One field of a source's secrets: the keyring's `<source id>.<field>`, else config.toml.
    pub fn field(&self, source_id: &str, field: &str) -> Option<String> {
        self.keyring_value(&secret_name(source_id, field))
            .or_else(|| {
                let s = self.config.secrets(source_id)?;
                match field {
                    "api_key" => s.api_key.clone(),
                    "rpc_user" => s.rpc_user.clone(),
                    "rpc_password" => s.rpc_password.clone(),
                    _ => None,
                }
            })
            .filter(|v| !v.trim().is_empty())
    }

    /// The API key of `source_id`.
    pub fn api_key(&self, source_id: &str) -> Option<String> {
        self.field(source_id, "api_key")
    }

    /// Node credentials of a Core source: user and password (each from the keyring or
    /// config.toml) when both are found, else config.toml's cookie file.
    pub fn rpc_auth(&self, source_id: &str) -> Option<RpcAuth> {
        let user = self.field(source_id, "rpc_user");
        let password = self.field(source_id, "rpc_password");
        match (user, password) {
            (Some(user), Some(password)) => Some(RpcAuth::UserPass { user, password }),
            _ => self
                .config
                .secrets(source_id)
                .and_then(|s| s.rpc_cookie.clone())
                .map(RpcAuth::Cookie),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kernel keyring's session and persistent keyrings are shared by the whole process:
    /// linking keys into them from parallel tests races, so the keyring tests take turns.
    static KEYRING: std::sync::Mutex<()> = std::sync::Mutex::new(());

    fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
        KEYRING
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn nanos() -> u128 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    }

    /// A keyring service of this run alone (never the user's `tracebench`): two runs at once
    /// never see each other's entries.
    fn test_keyring() -> Keyring {
        Keyring::for_service(&format!(
            "tracebench-test-{}-{}",
            std::process::id(),
            nanos()
        ))
    }

    /// A name no other test or user has: the kernel keyring is shared by the session.
    fn unique(field: &str) -> String {
        format!(
            "test-{}-{}:http://127.0.0.1:1.{field}",
            std::process::id(),
            nanos()
        )
    }

    /// Deletes the entry `name` when dropped, so a test that fails half-way leaves no key in
    /// the kernel keyring.
    struct Planted<'a> {
        keyring: &'a Keyring,
        dir: &'a std::path::Path,
        name: String,
    }

    impl Drop for Planted<'_> {
        fn drop(&mut self) {
            // Gone already (the test deleted it) is fine; so is an unreachable keyring.
            let _ = self.keyring.delete(self.dir, &self.name);
        }
    }

    #[test]
    fn names_are_checked_before_the_keyring_is_asked() {
        assert_eq!(
            check_name("etherscan.api_key"),
            Ok(()),
            "the example of the docs is a name"
        );
        assert_eq!(
            check_name("core:http://127.0.0.1:8332.rpc_password"),
            Ok(()),
            "a URL source id with its field is a name"
        );
        for bad in ["etherscan", "etherscan.apikey", ".api_key", "a b.api_key"] {
            assert!(
                matches!(check_name(bad), Err(SecretError::BadName(_))),
                "{bad:?} must be refused as a name"
            );
        }
    }

    #[test]
    fn a_secret_round_trips_through_the_kernel_keyring_and_wins_over_config_toml() {
        let _turn = one_at_a_time();
        let dir = tempfile::tempdir().unwrap();
        let name = unique("api_key");
        let source_id = name.trim_end_matches(".api_key").to_string();
        let keyring = test_keyring();
        let _planted = Planted {
            keyring: &keyring,
            dir: dir.path(),
            name: name.clone(),
        };
        match keyring.get(&name) {
            Err(SecretError::Unavailable(why)) => {
                panic!("the kernel keyring must work on this machine (keyctl succeeds): {why}")
            }
            other => assert_eq!(other, Ok(None), "a fresh name holds nothing"),
        }
        keyring.set(dir.path(), &name, "kr-secret-1").unwrap();
        assert_eq!(
            keyring.get(&name),
            Ok(Some("kr-secret-1".to_string())),
            "what was stored is read back"
        );
        assert!(
            stored_names(dir.path()).unwrap().contains(&name),
            "the name is listed"
        );
        let listed = std::fs::read_to_string(dir.path().join(NAMES_FILE)).unwrap();
        assert!(
            !listed.contains("kr-secret-1"),
            "the names file never holds a value"
        );

        let mut config = Config::default();
        config.source.insert(
            source_id.clone(),
            crate::config::SourceSecrets {
                api_key: Some("from-config".into()),
                ..Default::default()
            },
        );
        let secrets = Secrets::from_config(config.clone()).with_keyring(keyring.clone());
        assert_eq!(
            secrets.api_key(&source_id).as_deref(),
            Some("kr-secret-1"),
            "the keyring is asked before config.toml"
        );

        assert_eq!(
            keyring.delete(dir.path(), &name),
            Ok(true),
            "the entry existed"
        );
        assert_eq!(keyring.get(&name), Ok(None), "deleted means gone");
        assert!(
            !stored_names(dir.path()).unwrap().contains(&name),
            "a deleted name leaves the list"
        );
        assert_eq!(
            Secrets::from_config(config)
                .with_keyring(keyring.clone())
                .api_key(&source_id)
                .as_deref(),
            Some("from-config"),
            "without a keyring entry config.toml answers"
        );
        assert_eq!(
            keyring.delete(dir.path(), &name),
            Ok(false),
            "deleting twice says nothing was there"
        );
    }

    #[test]
    fn an_empty_secret_is_refused_and_stores_nothing() {
        let _turn = one_at_a_time();
        let dir = tempfile::tempdir().unwrap();
        let name = unique("rpc_password");
        let keyring = test_keyring();
        let _planted = Planted {
            keyring: &keyring,
            dir: dir.path(),
            name: name.clone(),
        };
        assert_eq!(
            keyring.set(dir.path(), &name, "  \n"),
            Err(SecretError::Empty(name.clone())),
            "an empty value is a mistake, not a secret"
        );
        assert_eq!(keyring.get(&name), Ok(None), "nothing was stored");
        assert!(
            !dir.path().join(NAMES_FILE).exists(),
            "no names file was written for a refused secret"
        );
    }

    #[test]
    fn node_credentials_mix_keyring_password_and_config_user() {
        let _turn = one_at_a_time();
        let dir = tempfile::tempdir().unwrap();
        let name = unique("rpc_password");
        let source_id = name.trim_end_matches(".rpc_password").to_string();
        let keyring = test_keyring();
        let _planted = Planted {
            keyring: &keyring,
            dir: dir.path(),
            name: name.clone(),
        };
        keyring.set(dir.path(), &name, "node-pw").unwrap();
        let mut config = Config::default();
        config.source.insert(
            source_id.clone(),
            crate::config::SourceSecrets {
                rpc_user: Some("analyst".into()),
                rpc_password: Some("stale".into()),
                ..Default::default()
            },
        );
        let auth = Secrets::from_config(config)
            .with_keyring(keyring.clone())
            .rpc_auth(&source_id);
        assert_eq!(
            keyring.delete(dir.path(), &name),
            Ok(true),
            "the entry is there to delete"
        );
        assert_eq!(
            auth,
            Some(RpcAuth::UserPass {
                user: "analyst".into(),
                password: "node-pw".into()
            }),
            "the keyring's password wins over config.toml's, the user comes from config.toml"
        );
    }
}
