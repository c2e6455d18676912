//! The secrets file: `config.toml` in Tracebench's config directory (`$TRACEBENCH_CONFIG_DIR`
//! or the platform's; the caller passes the directory), holding API keys and node credentials
//! per source id. It is created with mode 0600 and refused when group or others may read it.
//! Nothing from it reaches a case, a bundle, a report or a log: the sources send the secrets
//! and store their requests with `***` in their place.
//!
//! ```toml
//! [source."core:http://127.0.0.1:8332"]
//! rpc_user = "analyst"
//! rpc_password = "…"          # or: rpc_cookie = "/home/analyst/.bitcoin/.cookie"
//!
//! [source."graphsense:https://graphsense.example/api"]
//! api_key = "…"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::source::core_rpc::RpcAuth;

/// The file's name inside the config directory.
pub const FILE_NAME: &str = "config.toml";

/// What the file holds for one source.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSecrets {
    /// An API key (Etherscan, GraphSense, …).
    pub api_key: Option<String>,
    /// Bitcoin Core `rpcuser`.
    pub rpc_user: Option<String>,
    /// Bitcoin Core `rpcpassword`.
    pub rpc_password: Option<String>,
    /// Bitcoin Core's cookie file (used when no user and password are given).
    pub rpc_cookie: Option<PathBuf>,
}

impl std::fmt::Debug for SourceSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mask = |o: &Option<String>| o.as_ref().map(|_| "***");
        f.debug_struct("SourceSecrets")
            .field("api_key", &mask(&self.api_key))
            .field("rpc_user", &self.rpc_user)
            .field("rpc_password", &mask(&self.rpc_password))
            .field("rpc_cookie", &self.rpc_cookie)
            .finish()
    }
}

impl SourceSecrets {
    /// Node credentials: user and password when both are given, else the cookie file.
    pub fn rpc_auth(&self) -> Option<RpcAuth> {
        match (&self.rpc_user, &self.rpc_password, &self.rpc_cookie) {
            (Some(user), Some(password), _) => Some(RpcAuth::UserPass {
                user: user.clone(),
                password: password.clone(),
            }),
            (_, _, Some(cookie)) => Some(RpcAuth::Cookie(cookie.clone())),
            _ => None,
        }
    }
}

/// The whole file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Secrets by source id (`core:http://127.0.0.1:8332`, `etherscan`, `graphsense:…`).
    #[serde(default)]
    pub source: BTreeMap<String, SourceSecrets>,
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("{path} may be read by other users (mode {mode:o}); it holds secrets: run `chmod 600 {path}`")]
    Exposed { path: String, mode: u32 },
    #[error("{path} is not a valid Tracebench config, line {line}: {detail}")]
    Invalid {
        path: String,
        line: usize,
        detail: String,
    },
    #[error("{path}: {detail}")]
    Io { path: String, detail: String },
    #[error("{path} already exists; edit it instead")]
    Exists { path: String },
    #[error("source {source_id} is set up incompletely in {path}: {detail}")]
    Incomplete {
        path: String,
        source_id: String,
        detail: String,
    },
}

const TEMPLATE: &str =
    "# Tracebench secrets: API keys and node credentials, one table per source id.\n\
# This file must stay readable by you alone (mode 0600). Nothing in it is ever\n\
# written to a case, a bundle, a report or a log.\n\
#\n\
# [source.\"core:http://127.0.0.1:8332\"]\n\
# rpc_user = \"analyst\"\n\
# rpc_password = \"…\"\n\
# # or: rpc_cookie = \"/home/analyst/.bitcoin/.cookie\"\n\
#\n\
# [source.\"graphsense:https://graphsense.example/api\"]\n\
# api_key = \"…\"\n";

impl Config {
    /// Reads `dir/config.toml`; a missing file is an empty config. Refused when group or others
    /// may read it, or when it does not parse (the error names the line, never a value).
    pub fn load(dir: &Path) -> Result<Config, ConfigError> {
        let path = dir.join(FILE_NAME);
        let shown = path.display().to_string();
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => {
                return Err(ConfigError::Io {
                    path: shown,
                    detail: e.to_string(),
                })
            }
        };
        check_private(&path)?;
        let config: Config = toml::from_str(&text).map_err(|e| ConfigError::Invalid {
            path: shown.clone(),
            line: e
                .span()
                .map(|s| text[..s.start.min(text.len())].lines().count().max(1))
                .unwrap_or(0),
            detail: without_values(e.message()),
        })?;
        for (id, s) in &config.source {
            if s.rpc_user.is_some() != s.rpc_password.is_some() {
                return Err(ConfigError::Incomplete {
                    path: shown,
                    source_id: id.clone(),
                    detail: "rpc_user and rpc_password go together".to_string(),
                });
            }
        }
        Ok(config)
    }

    /// Writes a commented template to `dir/config.toml` with mode 0600 (never over a file).
    pub fn create(dir: &Path) -> Result<PathBuf, ConfigError> {
        let path = dir.join(FILE_NAME);
        let io = |e: std::io::Error| ConfigError::Io {
            path: path.display().to_string(),
            detail: e.to_string(),
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                ConfigError::Exists {
                    path: path.display().to_string(),
                }
            } else {
                io(e)
            }
        })?;
        std::io::Write::write_all(&mut file, TEMPLATE.as_bytes()).map_err(io)?;
        Ok(path)
    }

    /// The secrets for `source_id`, if the file names it.
    pub fn secrets(&self, source_id: &str) -> Option<&SourceSecrets> {
        self.source.get(source_id)
    }
}

#[cfg(unix)]
fn check_private(path: &Path) -> Result<(), ConfigError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .map_err(|e| ConfigError::Io {
            path: path.display().to_string(),
            detail: e.to_string(),
        })?
        .permissions()
        .mode()
        & 0o777;
    if mode & 0o077 != 0 {
        return Err(ConfigError::Exposed {
            path: path.display().to_string(),
            mode,
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path) -> Result<(), ConfigError> {
    Ok(())
}

/// A parser message with every quoted value replaced by `…`, so a mistyped secret is not echoed.
/// Only the field names of "unknown field" and "missing field" messages are kept: they help and
/// are no secret.
fn without_values(message: &str) -> String {
    let names_only = message.starts_with("unknown field") || message.starts_with("missing field");
    let mut out = String::new();
    let mut quote: Option<char> = None;
    for c in message.chars() {
        match quote {
            Some(q) if c == q => {
                out.push('…');
                out.push(c);
                quote = None;
            }
            Some(_) => {}
            None if c == '"' || (c == '`' && !names_only) => {
                out.push(c);
                quote = Some(c);
            }
            None => out.push(c),
        }
    }
    if quote.is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_values_are_not_echoed() {
        assert_eq!(
            without_values("invalid type: string \"hunter2\", expected u32"),
            "invalid type: string \"…\", expected u32",
            "the value is masked, the reason kept"
        );
        assert_eq!(
            without_values("invalid type: integer `12345678`, expected a string"),
            "invalid type: integer `…`, expected a string",
            "serde quotes numbers in backticks: masked too"
        );
        assert_eq!(
            without_values("unknown field `rpc_pasword`, expected one of `api_key`"),
            "unknown field `rpc_pasword`, expected one of `api_key`",
            "field names help the user and are no secret"
        );
    }
}
