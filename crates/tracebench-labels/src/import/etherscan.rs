//! Etherscan label JSON as brianleect/etherscan-labels publishes it: either one label's accounts
//! (`{address: name}`, the label being the file name) or the combined file
//! (`{address: {"name": …, "labels": […]}}`). Ethereum mainnet.

use serde_json::Value;

use super::{line_of, Draft, Parsed, SourceFile};
use crate::category::Category;
use crate::error::LabelError;
use crate::label::{Format, InvalidLine};

/// Our category for an Etherscan label-cloud slug, riskiest first when several apply.
pub fn category(slug: &str) -> Category {
    match slug {
        "ofac-sanctions-lists" | "ofac-sanctioned" | "blocked" => Category::Sanctioned,
        "tornado-cash" | "ethereum-mixer" | "mixer" => Category::Mixer,
        "phish-hack" | "phishing" | "scam" | "something-fishy" | "flagged-by-sec"
        | "fake-token" | "ponzi" => Category::Scam,
        "exploit" | "hack" | "heist" | "parity-bug" => Category::Hack,
        "bridge" | "cross-chain" => Category::Bridge,
        "gambling" => Category::Gambling,
        "mining" | "mining-pool" => Category::Mining,
        "binance" | "binance-deposit" | "coinbase" | "kraken" | "ftx" | "huobi" | "okx"
        | "okex" | "kucoin" | "bitfinex" | "poloniex" | "bittrex" | "gemini" | "upbit"
        | "exchange" | "hot-wallet" | "cold-wallet" | "bitstamp" | "gate-io" | "crypto-com"
        | "bybit" => Category::Exchange,
        "uniswap" | "sushiswap" | "balancer" | "curve-fi" | "aave" | "compound" | "bancor"
        | "1inch" | "dex" | "defi" | "yield-farming" | "staking" => Category::Defi,
        _ => Category::Other,
    }
}

pub fn parse(file: &SourceFile) -> Result<Parsed, LabelError> {
    let root: serde_json::Map<String, Value> =
        serde_json::from_str(&file.text).map_err(|e| LabelError::Invalid {
            file: file.name.clone(),
            lines: vec![InvalidLine {
                line: e.line(),
                reason: format!("malformed JSON (expected an object keyed by address): {e}"),
            }],
        })?;
    let stem = file.stem().to_string();
    let mut entries = Vec::with_capacity(root.len());
    let mut invalid = Vec::new();
    let mut keys: Vec<&String> = root.keys().collect();
    keys.sort();
    for address in keys {
        let line = || line_of(&file.text, &format!("\"{address}\""), 0).0;
        let (name, slugs): (String, Vec<String>) = match &root[address] {
            Value::String(name) => (name.clone(), vec![stem.clone()]),
            Value::Object(o) => {
                let name = o
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                let slugs = o
                    .get("labels")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default();
                (name, slugs)
            }
            _ => {
                invalid.push(InvalidLine {
                    line: line(),
                    reason: format!(
                        "the value for '{address}' is neither a name nor {{name, labels}}"
                    ),
                });
                continue;
            }
        };
        let category = slugs
            .iter()
            .map(|s| category(s))
            .min()
            .unwrap_or(Category::Other);
        let label = if name.trim().is_empty() {
            slugs.join(", ")
        } else {
            name
        };
        let label = if label.is_empty() {
            stem.clone()
        } else {
            label
        };
        let source = format!("Etherscan label cloud ({})", slugs.join(", "));
        let draft = Draft {
            address,
            chain: "ETH",
            label: &label,
            category,
            source: &source,
            source_date: Some(&file.date),
            confidence: 60,
            notes: format!("etherscan labels: {}", slugs.join(", ")),
        };
        match draft.entry(0) {
            Ok(e) => entries.push(e),
            Err(mut e) => {
                e.line = line();
                invalid.push(e);
            }
        }
    }
    let pack = file.pack(
        format!("etherscan:{stem}"),
        Format::Etherscan,
        format!("Etherscan labels: {stem}"),
        "etherscan.io label cloud via github.com/brianleect/etherscan-labels".to_string(),
        &file.date,
    );
    Ok(Parsed {
        file: file.name.clone(),
        pack,
        entries,
        invalid,
    })
}
