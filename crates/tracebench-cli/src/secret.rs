//! `tracebench secret set|delete|list`: API keys and node passwords in the OS keyring (service
//! `tracebench`, user = the secret's name `<source id>.<field>`, e.g. `etherscan.api_key`). A
//! value is read from standard input, never from the command line, and never printed; `list`
//! prints names only. Lookups ask the keyring first, then config.toml.

use std::io::Read;
use std::path::Path;

use anyhow::Context;
use clap::Subcommand;
use tracebench_core::secrets::{stored_names, Keyring, Secrets};

use crate::flags::Cli;

#[derive(Debug, Subcommand)]
pub enum SecretCommand {
    /// Store a secret in the OS keyring; the value is read from standard input.
    Set {
        /// `<source id>.<field>`, the field one of api_key, rpc_user, rpc_password
        /// (e.g. etherscan.api_key, core:http://127.0.0.1:8332.rpc_password).
        name: String,
    },
    /// Delete a secret from the OS keyring.
    Delete { name: String },
    /// The names of the secrets stored in the keyring (never their values).
    List,
}

/// The secrets commands look up: the keyring, then config.toml.
pub fn load(config_dir: &Path) -> anyhow::Result<Secrets> {
    Secrets::load(config_dir).context("reading the secrets file")
}

pub fn run(cli: &Cli, cmd: &SecretCommand) -> anyhow::Result<()> {
    let dir = crate::places::config_dir()?;
    match cmd {
        SecretCommand::Set { name } => {
            let mut value = String::new();
            std::io::stdin()
                .read_to_string(&mut value)
                .context("reading the secret from standard input")?;
            // One trailing newline (from `echo` or a terminal) is not part of the secret.
            let value = value
                .strip_suffix('\n')
                .map(|v| v.strip_suffix('\r').unwrap_or(v))
                .unwrap_or(&value);
            Keyring::default().set(&dir, name, value)?;
            let out = serde_json::json!({"name": name, "stored": "keyring"});
            crate::print(cli, &out, || format!("stored {name} in the OS keyring"))
        }
        SecretCommand::Delete { name } => {
            let existed = Keyring::default().delete(&dir, name)?;
            let out = serde_json::json!({"name": name, "deleted": existed});
            crate::print(cli, &out, || {
                if existed {
                    format!("deleted {name} from the OS keyring")
                } else {
                    format!("the OS keyring held no {name}")
                }
            })
        }
        SecretCommand::List => {
            let names: Vec<serde_json::Value> = stored_names(&dir)?
                .into_iter()
                .map(|name| {
                    let present = Keyring::default().get(&name);
                    let state = match &present {
                        Ok(Some(_)) => "stored",
                        Ok(None) => "missing (deleted outside Tracebench or expired)",
                        Err(_) => "keyring unavailable",
                    };
                    serde_json::json!({"name": name, "state": state})
                })
                .collect();
            let out = serde_json::json!({"names": names});
            crate::print(cli, &out, || {
                if names.is_empty() {
                    return "no secrets stored in the OS keyring".to_string();
                }
                names
                    .iter()
                    .map(|n| {
                        format!(
                            "{}: {}",
                            n["name"].as_str().unwrap_or_default(),
                            n["state"].as_str().unwrap_or_default()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
    }
}
