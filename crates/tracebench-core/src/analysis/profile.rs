//! Clustering profiles: which heuristics run, with which parameters. The profile used is
//! recorded with every result.
//!
//! - `conservative` (the default): multi-input with every CoinJoin detector excluding CoinJoins.
//! - `all`: that plus every change heuristic.
//! - a TOML file:
//!
//! ```toml
//! name = "reuse-only"
//! heuristics = ["multi_input", "address_reuse"]          # multi_input and change heuristics
//! coinjoin_detectors = ["whirlpool", "wasabi2", "wasabi1", "joinmarket", "generic"]  # optional
//! [parameters]
//! power_of_ten_digits = 6                                 # optional
//! ```

use std::collections::BTreeSet;
use std::path::Path;

use serde::Deserialize;
use thiserror::Error;

use super::change::{ChangeHeuristic, ChangeParams};
use super::coinjoin::CoinJoinKind;

pub const MULTI_INPUT: &str = "multi_input";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// `conservative`, `all`, or the file profile's `name`.
    pub name: String,
    /// Where it came from: `built-in` or the file path.
    pub origin: String,
    pub multi_input: bool,
    pub coinjoin_detectors: BTreeSet<CoinJoinKind>,
    pub change: BTreeSet<ChangeHeuristic>,
    pub params: ChangeParams,
}

#[derive(Debug, Error)]
pub enum ProfileError {
    #[error("cannot read profile {path}: {detail}")]
    Read { path: String, detail: String },
    #[error("profile {path}, line {line}: {detail}")]
    Parse {
        path: String,
        line: usize,
        detail: String,
    },
    #[error("profile {path}: {detail}")]
    Invalid { path: String, detail: String },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFile {
    name: String,
    heuristics: Vec<String>,
    coinjoin_detectors: Option<Vec<String>>,
    #[serde(default)]
    parameters: Parameters,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Parameters {
    power_of_ten_digits: Option<u32>,
}

impl Profile {
    pub fn conservative() -> Profile {
        Profile {
            name: "conservative".to_string(),
            origin: "built-in".to_string(),
            multi_input: true,
            coinjoin_detectors: CoinJoinKind::ALL.into_iter().collect(),
            change: BTreeSet::new(),
            params: ChangeParams::default(),
        }
    }

    pub fn all() -> Profile {
        Profile {
            name: "all".to_string(),
            change: ChangeHeuristic::ALL.into_iter().collect(),
            ..Profile::conservative()
        }
    }

    /// `conservative`, `all`, or a path to a TOML profile.
    pub fn resolve(spec: &str) -> Result<Profile, ProfileError> {
        match spec {
            "conservative" => Ok(Profile::conservative()),
            "all" => Ok(Profile::all()),
            path => Profile::load(Path::new(path)),
        }
    }

    pub fn load(path: &Path) -> Result<Profile, ProfileError> {
        let text = std::fs::read_to_string(path).map_err(|e| ProfileError::Read {
            path: path.display().to_string(),
            detail: e.to_string(),
        })?;
        Profile::from_toml(&text, &path.display().to_string())
    }

    /// Parses a TOML profile; errors name the line.
    pub fn from_toml(text: &str, origin: &str) -> Result<Profile, ProfileError> {
        let file: ProfileFile = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
                .unwrap_or(1);
            ProfileError::Parse {
                path: origin.to_string(),
                line,
                detail: e.message().to_string(),
            }
        })?;
        let invalid = |detail: String| ProfileError::Invalid {
            path: origin.to_string(),
            detail,
        };
        let mut p = Profile {
            name: file.name,
            origin: origin.to_string(),
            multi_input: false,
            coinjoin_detectors: CoinJoinKind::ALL.into_iter().collect(),
            change: BTreeSet::new(),
            params: ChangeParams::default(),
        };
        for h in &file.heuristics {
            if h == MULTI_INPUT {
                p.multi_input = true;
            } else if let Some(c) = ChangeHeuristic::parse(h) {
                p.change.insert(c);
            } else {
                let known: Vec<&str> = std::iter::once(MULTI_INPUT)
                    .chain(ChangeHeuristic::ALL.iter().map(|c| c.as_str()))
                    .collect();
                return Err(invalid(format!(
                    "unknown heuristic {h:?} (known: {})",
                    known.join(", ")
                )));
            }
        }
        if let Some(ds) = file.coinjoin_detectors {
            p.coinjoin_detectors = ds
                .iter()
                .map(|d| {
                    CoinJoinKind::parse(d).ok_or_else(|| {
                        invalid(format!(
                            "unknown CoinJoin detector {d:?} (known: whirlpool, wasabi2, wasabi1, joinmarket, generic)"
                        ))
                    })
                })
                .collect::<Result<_, _>>()?;
        }
        if let Some(d) = file.parameters.power_of_ten_digits {
            if !(1..=8).contains(&d) {
                return Err(invalid(format!(
                    "power_of_ten_digits = {d}: must be 1 to 8"
                )));
            }
            p.params.power_of_ten_digits = d;
        }
        Ok(p)
    }

    /// What ran, in words, for the result's `heuristics` field: fixed order.
    pub fn describe(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.multi_input {
            out.push("multi-input".to_string());
        }
        let detectors: Vec<&str> = CoinJoinKind::ALL
            .iter()
            .filter(|k| self.coinjoin_detectors.contains(k))
            .map(|k| k.as_str())
            .collect();
        out.push(format!("coinjoin-exclusion:{}", detectors.join(",")));
        for h in ChangeHeuristic::ALL {
            if self.change.contains(&h) {
                if h == ChangeHeuristic::PowerOfTen {
                    out.push(format!(
                        "change:{}(digits={})",
                        h.as_str(),
                        self.params.power_of_ten_digits
                    ));
                } else {
                    out.push(format!("change:{}", h.as_str()));
                }
            }
        }
        out
    }

    /// The profile's label for results: the name, and the file for a file profile.
    pub fn label(&self) -> String {
        if self.origin == "built-in" {
            self.name.clone()
        } else {
            format!("{} ({})", self.name, self.origin)
        }
    }
}
