//! The ransomware address lists of the built-in pack: Cable, Gray & McCoy's "Showing the
//! Receipts" (`address,type,amountReceivedUSD,amountReceivedBTC`) and the LockBit panel leak
//! (one quoted bc1 address per line, trailing commas). Bitcoin mainnet.

use super::{Draft, Parsed, SourceFile};
use crate::category::Category;
use crate::error::LabelError;
use crate::label::{Format, InvalidLine};

pub fn parse(file: &SourceFile) -> Result<Parsed, LabelError> {
    let receipts = file.name.starts_with("showing-the-receipts");
    let (title, source, date) = if receipts {
        (
            "Showing the Receipts: ransomware payment addresses",
            "Cable, Gray & McCoy (2024), Showing the Receipts, eCrime 2024 (github.com/cablej/showing-the-receipts)",
            "2024-08",
        )
    } else {
        (
            "LockBit panel leak: active ransom addresses",
            "LockBit panel leak 2025 (github.com/nathandebalthasar/ransomware-payments-analysis)",
            "2025-05",
        )
    };
    let mut entries = Vec::new();
    let mut invalid = Vec::new();
    for (i, raw) in file.text.lines().enumerate() {
        let line = i + 1;
        let l = raw.trim().trim_end_matches(',').trim_matches('"');
        if l.is_empty() || (receipts && line == 1 && l.starts_with("address")) {
            continue;
        }
        let (address, label, confidence) = if receipts {
            let mut f = l.split(',');
            let address = f.next().unwrap_or("");
            match f.next() {
                Some("origCluster") => (address, "ransomware payment address (seed cluster)", 90),
                Some("ransomwhere") => (
                    address,
                    "ransomware payment address (Ransomwhere report)",
                    80,
                ),
                Some("expandedCluster") => {
                    (address, "ransomware payment address (expanded cluster)", 60)
                }
                other => {
                    invalid.push(InvalidLine {
                        line,
                        reason: format!("unknown type {other:?}"),
                    });
                    continue;
                }
            }
        } else {
            (l, "LockBit ransom address (panel leak)", 90)
        };
        let draft = Draft {
            address,
            chain: "BTC",
            label,
            category: Category::Ransomware,
            source,
            source_date: Some(date),
            confidence,
            notes: String::new(),
        };
        match draft.entry(line) {
            Ok(e) => entries.push(e),
            Err(e) => invalid.push(e),
        }
    }
    let stem = file.stem().to_string();
    let pack = file.pack(
        format!("ransomware:{stem}"),
        Format::Ransomware,
        title.to_string(),
        source.to_string(),
        date,
    );
    Ok(Parsed {
        file: file.name.clone(),
        pack,
        entries,
        invalid,
    })
}
