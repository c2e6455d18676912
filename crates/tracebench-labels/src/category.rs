//! What a labelled address is: the categories screening and exposure reason about.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Sanctioned,
    Ransomware,
    DarknetMarket,
    Mixer,
    Scam,
    Hack,
    Exchange,
    Bridge,
    Gambling,
    Mining,
    Defi,
    Coinjoin,
    Service,
    Other,
}

impl Category {
    pub const ALL: [Category; 14] = [
        Category::Sanctioned,
        Category::Ransomware,
        Category::DarknetMarket,
        Category::Mixer,
        Category::Scam,
        Category::Hack,
        Category::Exchange,
        Category::Bridge,
        Category::Gambling,
        Category::Mining,
        Category::Defi,
        Category::Coinjoin,
        Category::Service,
        Category::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Sanctioned => "sanctioned",
            Category::Ransomware => "ransomware",
            Category::DarknetMarket => "darknet_market",
            Category::Mixer => "mixer",
            Category::Scam => "scam",
            Category::Hack => "hack",
            Category::Exchange => "exchange",
            Category::Bridge => "bridge",
            Category::Gambling => "gambling",
            Category::Mining => "mining",
            Category::Defi => "defi",
            Category::Coinjoin => "coinjoin",
            Category::Service => "service",
            Category::Other => "other",
        }
    }

    /// Parses a category as an analyst or a CSV would write it ("darknet market", "Mixer", …).
    pub fn parse(text: &str) -> Option<Category> {
        let norm: String = text
            .trim()
            .to_ascii_lowercase()
            .chars()
            .map(|c| if c == ' ' || c == '-' { '_' } else { c })
            .collect();
        Category::ALL
            .into_iter()
            .find(|c| c.as_str() == norm)
            .or_else(|| graphsense(&norm))
    }

    /// True for categories of services (exchanges, mixers, markets, bridges, …): exposure
    /// stops there, since value that reaches a service mixes with its other customers'.
    pub fn is_service(self) -> bool {
        matches!(
            self,
            Category::Exchange
                | Category::Mixer
                | Category::DarknetMarket
                | Category::Bridge
                | Category::Gambling
                | Category::Mining
                | Category::Defi
                | Category::Coinjoin
                | Category::Service
        )
    }

    /// True for categories a sanctions/risk screen should flag as high risk.
    pub fn is_risk(self) -> bool {
        matches!(
            self,
            Category::Sanctioned
                | Category::Ransomware
                | Category::DarknetMarket
                | Category::Mixer
                | Category::Scam
                | Category::Hack
        )
    }
}

impl std::fmt::Display for Category {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Maps a GraphSense (INTERPOL DW-VA taxonomy) `abuse` or `category` concept to ours.
pub fn graphsense(concept: &str) -> Option<Category> {
    Some(match concept.trim().to_ascii_lowercase().as_str() {
        "sanction" | "sanctioned" | "terrorism" | "terrorism_financing" => Category::Sanctioned,
        "ransomware" | "sextortion" | "extortion" => Category::Ransomware,
        "market" | "darknet_market" | "dark_market" | "darkweb" => Category::DarknetMarket,
        "mixing_service" | "mixer" | "mixing" | "tumbler" => Category::Mixer,
        "scam" | "phishing" | "investment_fraud" | "ponzi_scheme" | "ponzi" | "fraud" => {
            Category::Scam
        }
        "service_hack" | "hack" | "hacker" | "theft" | "exploit" => Category::Hack,
        "exchange" | "otc_broker" | "atm" => Category::Exchange,
        "bridge" => Category::Bridge,
        "gambling" => Category::Gambling,
        "miner" | "mining" | "mining_service" => Category::Mining,
        "defi" | "defi_dex" | "defi_lending" | "defi_bridge" | "dex" => Category::Defi,
        "coinjoin" => Category::Coinjoin,
        "service" | "wallet_service" | "payment_processor" | "shop" | "donation" | "hosting"
        | "faucet" | "vpn" | "marketplace" | "organization" | "entity" => Category::Service,
        "user" | "other" | "unknown" | "perpetrator" => Category::Other,
        _ => return None,
    })
}
