//! The kinds of synthetic case the simulator can generate.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A kind of synthetic case. New scenarios are added as new variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScenarioKind {
    /// Victims buy coins at an exchange and pay a ransomware operator, who consolidates the
    /// ransoms, peels them off along a chain and cashes part of them in at the same exchange.
    Ransomware,
}

impl ScenarioKind {
    /// Every scenario, in a stable order.
    pub const ALL: [ScenarioKind; 1] = [ScenarioKind::Ransomware];

    /// The scenario's stable name, as used in source ids (`sim:<name>:<seed>`).
    pub fn name(self) -> &'static str {
        match self {
            ScenarioKind::Ransomware => "ransomware",
        }
    }
}

impl fmt::Display for ScenarioKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of parsing an unknown scenario name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown scenario `{0}` (known: ransomware; the EVM scenario evm-usdt is served by `tracebench sim serve --scenario evm-usdt`)")]
pub struct UnknownScenario(pub String);

impl FromStr for ScenarioKind {
    type Err = UnknownScenario;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ScenarioKind::ALL
            .into_iter()
            .find(|kind| kind.name() == s)
            .ok_or_else(|| UnknownScenario(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for kind in ScenarioKind::ALL {
            assert_eq!(
                kind.name().parse::<ScenarioKind>(),
                Ok(kind),
                "CLI names must parse back"
            );
        }
        assert!(
            "mixer".parse::<ScenarioKind>().is_err(),
            "unknown names are rejected"
        );
    }
}
