//! The Bitcoin source as the user types it, shared by the CLI's `--source` and the app's
//! Sources panel: an Esplora base URL (`https://…` or `esplora:https://…`), a Bitcoin Core node
//! (`core:http://[user[:password]@]host:port`) or the simulator (`sim[:<scenario>[:<seed>]]`).
//!
//! Parsing never reads a secret; [`BtcSourceSpec::connection`] finds the node's credentials
//! (cookie file given, the URL's user and password, else the keyring and config.toml through
//! [`Secrets`]). The source id and [`BtcSourceSpec::describe`] never hold a password.

use std::path::PathBuf;

use thiserror::Error;

use crate::chain::BtcNetwork;
use crate::secrets::Secrets;
use crate::source::core_rpc::RpcAuth;
use crate::source::{redact_url, Connection, SourceSpec};

/// The sim scenario and seed used when `sim` names neither.
pub const DEFAULT_SIM_SCENARIO: &str = "ransomware";

#[derive(Debug, Error, PartialEq, Eq)]
pub enum BtcSourceError {
    #[error("unknown Bitcoin source {0:?}: give an Esplora base URL (https://…), core:http://HOST:PORT (Bitcoin Core JSON-RPC) or sim:<scenario>:<seed>")]
    Unknown(String),
    #[error("the Bitcoin Core source {0:?} is not an http:// or https:// URL (e.g. core:http://127.0.0.1:8332)")]
    CoreScheme(String),
    #[error("the source {0:?} names no host")]
    NoHost(String),
    #[error("the sim seed in {0:?} is not a number")]
    SimSeed(String),
    #[error("the source {url} serves Bitcoin {source_network} but this case is on {case_network}: choose a {case_network} source")]
    WrongNetwork {
        url: String,
        source_network: &'static str,
        case_network: &'static str,
    },
}

/// A Bitcoin source, parsed.
#[derive(Clone, PartialEq, Eq)]
pub enum BtcSourceSpec {
    /// Esplora REST at this base URL (kept as typed, without a trailing `/`).
    Esplora { base_url: String },
    /// Bitcoin Core JSON-RPC at `base_url` (no credentials in it); a user and password the URL
    /// carried are kept apart.
    Core {
        base_url: String,
        user: Option<String>,
        password: Option<String>,
    },
    /// The simulator's scenario and seed.
    Sim { scenario: String, seed: u64 },
}

impl std::fmt::Debug for BtcSourceSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

impl BtcSourceSpec {
    pub fn parse(text: &str) -> Result<BtcSourceSpec, BtcSourceError> {
        let text = text.trim();
        if let Some(url) = text.strip_prefix("core:") {
            return parse_core(url);
        }
        if text == "sim" || text.starts_with("sim:") {
            let mut parts = text["sim".len()..].trim_start_matches(':').split(':');
            let scenario = parts
                .next()
                .filter(|s| !s.is_empty())
                .unwrap_or(DEFAULT_SIM_SCENARIO)
                .to_string();
            let seed = match parts.next() {
                None => 1,
                Some(s) => s
                    .parse::<u64>()
                    .map_err(|_| BtcSourceError::SimSeed(text.to_string()))?,
            };
            if parts.next().is_some() {
                return Err(BtcSourceError::Unknown(text.to_string()));
            }
            return Ok(BtcSourceSpec::Sim { scenario, seed });
        }
        let base = text.strip_prefix("esplora:").unwrap_or(text);
        let Some((_, rest)) = base
            .split_once("://")
            .filter(|(s, _)| *s == "http" || *s == "https")
        else {
            return Err(BtcSourceError::Unknown(text.to_string()));
        };
        if rest.split('/').next().unwrap_or_default().is_empty()
            || base.chars().any(char::is_whitespace)
        {
            return Err(BtcSourceError::NoHost(text.to_string()));
        }
        Ok(BtcSourceSpec::Esplora {
            base_url: base.trim_end_matches('/').to_string(),
        })
    }

    /// The provenance id: `esplora:<url, password as ***>`, `core:<url>`, `sim:<scenario>:<seed>`.
    pub fn source_id(&self) -> String {
        match self {
            BtcSourceSpec::Esplora { base_url } => format!("esplora:{}", redact_url(base_url)),
            BtcSourceSpec::Core { base_url, .. } => format!("core:{base_url}"),
            BtcSourceSpec::Sim { scenario, seed } => format!("sim:{scenario}:{seed}"),
        }
    }

    /// The source as text to show: the id, with `user@` for a node whose URL named a user.
    pub fn describe(&self) -> String {
        match self {
            BtcSourceSpec::Core {
                base_url,
                user: Some(user),
                ..
            } => match base_url.split_once("://") {
                Some((scheme, rest)) => format!("core:{scheme}://{user}@{rest}"),
                None => self.source_id(),
            },
            _ => self.source_id(),
        }
    }

    /// Whether the URL carried a password (the app refuses that: passwords belong in the keyring
    /// or config.toml, never in text that is shown).
    pub fn has_password_in_url(&self) -> bool {
        match self {
            BtcSourceSpec::Core { password, .. } => password.is_some(),
            BtcSourceSpec::Esplora { base_url } => base_url
                .split_once("://")
                .and_then(|(_, rest)| rest.split('/').next())
                .and_then(|authority| authority.rsplit_once('@'))
                .is_some_and(|(userinfo, _)| userinfo.contains(':')),
            BtcSourceSpec::Sim { .. } => false,
        }
    }

    /// The network an Esplora URL names by its path (`…/testnet/api`, `…/signet/api`,
    /// `…/regtest/api`), as mempool.space and Blockstream lay theirs out; `None` when the URL
    /// does not say (mainnet at those hosts, or a self-hosted server) or names `testnet4`, a
    /// chain of its own that no case is on (see [`BtcSourceSpec::check_network`]).
    pub fn network_in_url(&self) -> Option<BtcNetwork> {
        match self.url_network()? {
            "testnet" => Some(BtcNetwork::Testnet),
            "signet" => Some(BtcNetwork::Signet),
            "regtest" => Some(BtcNetwork::Regtest),
            _ => None,
        }
    }

    /// The network segment of an Esplora URL's path, as written.
    fn url_network(&self) -> Option<&'static str> {
        let BtcSourceSpec::Esplora { base_url } = self else {
            return None;
        };
        let path = base_url.split_once("://")?.1.split_once('/')?.1;
        path.split('/').find_map(|seg| {
            ["testnet", "testnet4", "signet", "regtest"]
                .into_iter()
                .find(|n| *n == seg)
        })
    }

    /// Refuses a source whose URL names another network than the case's (a `testnet4` URL is
    /// refused for every case: its chain is not the `testnet` (testnet3) a case means). A URL
    /// that names none is taken to serve the case's network (the caller states that it was not
    /// checked).
    pub fn check_network(&self, case: BtcNetwork) -> Result<(), BtcSourceError> {
        match self.url_network() {
            Some(n) if n != case.name() => Err(BtcSourceError::WrongNetwork {
                url: self.source_id(),
                source_network: n,
                case_network: case.name(),
            }),
            _ => Ok(()),
        }
    }

    /// The connection for an Esplora or Core source (`None` for the simulator, which the caller
    /// starts and names itself). A Core node's credentials, first found: `cookie`, the URL's user
    /// and password, the URL's user with the password from `secrets`, then `secrets`' user and
    /// password or cookie file for `core:<url>`.
    pub fn connection(&self, secrets: &Secrets, cookie: Option<PathBuf>) -> Option<Connection> {
        match self {
            BtcSourceSpec::Esplora { base_url } => Some(Connection::new(SourceSpec {
                id: self.source_id(),
                base_url: base_url.clone(),
            })),
            BtcSourceSpec::Core {
                base_url,
                user,
                password,
            } => {
                let id = self.source_id();
                let rpc_auth = match (cookie, user, password) {
                    (Some(cookie), _, _) => Some(RpcAuth::Cookie(cookie)),
                    (None, Some(user), Some(password)) => Some(RpcAuth::UserPass {
                        user: user.clone(),
                        password: password.clone(),
                    }),
                    (None, Some(user), None) => {
                        secrets
                            .field(&id, "rpc_password")
                            .map(|password| RpcAuth::UserPass {
                                user: user.clone(),
                                password,
                            })
                    }
                    (None, None, _) => secrets.rpc_auth(&id),
                };
                Some(Connection {
                    rpc_auth,
                    ..Connection::new(SourceSpec {
                        id,
                        base_url: base_url.clone(),
                    })
                })
            }
            BtcSourceSpec::Sim { .. } => None,
        }
    }
}

fn parse_core(url: &str) -> Result<BtcSourceSpec, BtcSourceError> {
    let Some((scheme, rest)) = url
        .split_once("://")
        .filter(|(s, _)| *s == "http" || *s == "https")
    else {
        return Err(BtcSourceError::CoreScheme(url.to_string()));
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let (userinfo, host) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    if host.is_empty() || url.chars().any(char::is_whitespace) {
        return Err(BtcSourceError::NoHost(format!("core:{url}")));
    }
    let (user, password) = match userinfo {
        None => (None, None),
        Some(u) => match u.split_once(':') {
            Some((user, password)) => (Some(user.to_string()), Some(password.to_string())),
            None => (Some(u.to_string()), None),
        },
    };
    Ok(BtcSourceSpec::Core {
        base_url: format!("{scheme}://{host}{}", path.trim_end_matches('/')),
        user: user.filter(|u| !u.is_empty()),
        password,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn esplora_urls_parse_with_or_without_their_prefix() {
        let a = BtcSourceSpec::parse("https://mempool.space/api/").unwrap();
        let b = BtcSourceSpec::parse("esplora:https://mempool.space/api").unwrap();
        assert_eq!(
            a, b,
            "the esplora: prefix is optional and a trailing / is dropped"
        );
        assert_eq!(
            a.source_id(),
            "esplora:https://mempool.space/api",
            "the id is the URL"
        );
        assert!(
            !a.has_password_in_url(),
            "an Esplora URL without userinfo holds no password"
        );
        let bare = BtcSourceSpec::parse("http://127.0.0.1:3000").unwrap();
        assert!(
            !bare.has_password_in_url(),
            "a bare host (which URL parsing would give a trailing /) holds no password"
        );
        assert!(
            BtcSourceSpec::parse("https://u:p@esplora.example/api")
                .unwrap()
                .has_password_in_url(),
            "user:password@ in an Esplora URL is noticed"
        );
    }

    #[test]
    fn a_core_url_keeps_its_credentials_out_of_the_id() {
        let spec = BtcSourceSpec::parse("core:http://alice:hunter2@127.0.0.1:8332/").unwrap();
        assert_eq!(
            spec.source_id(),
            "core:http://127.0.0.1:8332",
            "user and password never enter the source id"
        );
        assert!(
            !spec.describe().contains("hunter2") && !format!("{spec:?}").contains("hunter2"),
            "nor what is shown or logged"
        );
        assert!(spec.has_password_in_url(), "the password is noticed");
        let auth = spec.connection(&Secrets::default(), None).unwrap().rpc_auth;
        assert_eq!(
            auth,
            Some(RpcAuth::UserPass {
                user: "alice".into(),
                password: "hunter2".into()
            }),
            "the URL's credentials are used when nothing better is given"
        );
        let cookie = spec
            .connection(&Secrets::default(), Some("/c/.cookie".into()))
            .unwrap()
            .rpc_auth;
        assert_eq!(
            cookie,
            Some(RpcAuth::Cookie("/c/.cookie".into())),
            "a cookie file given explicitly wins"
        );
    }

    #[test]
    fn sim_specs_default_their_scenario_and_seed() {
        assert_eq!(
            BtcSourceSpec::parse("sim").unwrap(),
            BtcSourceSpec::Sim {
                scenario: "ransomware".into(),
                seed: 1
            },
            "bare sim is the demo's scenario"
        );
        assert_eq!(
            BtcSourceSpec::parse("sim:peel:7").unwrap().source_id(),
            "sim:peel:7",
            "scenario and seed are kept"
        );
    }

    #[test]
    fn bad_text_is_refused_with_a_reason() {
        for (text, want) in [
            (
                "mempool.space",
                BtcSourceError::Unknown("mempool.space".into()),
            ),
            (
                "core:127.0.0.1:8332",
                BtcSourceError::CoreScheme("127.0.0.1:8332".into()),
            ),
            (
                "https:///api",
                BtcSourceError::NoHost("https:///api".into()),
            ),
            ("sim:peel:x", BtcSourceError::SimSeed("sim:peel:x".into())),
            ("", BtcSourceError::Unknown(String::new())),
        ] {
            assert_eq!(BtcSourceSpec::parse(text), Err(want), "{text:?}");
        }
    }

    #[test]
    fn the_network_an_esplora_url_names_must_be_the_cases() {
        let signet = BtcSourceSpec::parse("https://mempool.space/signet/api").unwrap();
        assert_eq!(
            signet.network_in_url(),
            Some(BtcNetwork::Signet),
            "mempool's signet path"
        );
        let err = signet.check_network(BtcNetwork::Mainnet).unwrap_err();
        assert!(
            err.to_string().contains("signet") && err.to_string().contains("mainnet"),
            "the refusal names both networks: {err}"
        );
        assert_eq!(
            signet.check_network(BtcNetwork::Signet),
            Ok(()),
            "a signet case takes it"
        );
        let testnet4 = BtcSourceSpec::parse("https://mempool.space/testnet4/api").unwrap();
        for case in BtcNetwork::ALL {
            let e = testnet4.check_network(case).unwrap_err().to_string();
            assert!(
                e.contains("serves Bitcoin testnet4") && e.contains(case.name()),
                "testnet4 is another chain than any case's, {}: {e}",
                case.name()
            );
        }
        let testnet = BtcSourceSpec::parse("https://blockstream.info/testnet/api").unwrap();
        assert_eq!(
            testnet.network_in_url(),
            Some(BtcNetwork::Testnet),
            "Blockstream's testnet path"
        );
        let mainnet = BtcSourceSpec::parse("https://blockstream.info/api").unwrap();
        assert_eq!(
            mainnet.network_in_url(),
            None,
            "a URL without a network path names none"
        );
        assert_eq!(
            mainnet.check_network(BtcNetwork::Mainnet),
            Ok(()),
            "and is taken as the case's"
        );
    }
}
