//! CSV labels: `address,label,category,source,confidence`, optionally followed by `chain`,
//! `source_date` and `notes`. A header row (first field `address`) may name the columns in any
//! order. `#` lines are comments. Without a chain, addresses shaped like Bitcoin mainnet ones are
//! `BTC` (and validated), `0x…` addresses `EVM` (matched case-insensitively on any EVM chain),
//! anything else `unknown` (kept as given). Give a `chain` column for other chains.

use super::{valid_date, Draft, Parsed, SourceFile};
use crate::category::Category;
use crate::chain::looks_evm;
use crate::error::LabelError;
use crate::label::{Format, InvalidLine};

const COLUMNS: [&str; 8] = [
    "address",
    "label",
    "category",
    "source",
    "confidence",
    "chain",
    "source_date",
    "notes",
];

pub fn parse(file: &SourceFile) -> Result<Parsed, LabelError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(file.text.as_bytes());
    let mut order: Vec<usize> = (0..5).collect();
    let mut entries = Vec::new();
    let mut invalid = Vec::new();
    let mut first = true;
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                invalid.push(InvalidLine {
                    line,
                    reason: format!("unreadable CSV: {e}"),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        // Comments are skipped here, not by the csv reader, whose line count skips them.
        if record.get(0).is_some_and(|f| f.starts_with('#')) {
            continue;
        }
        if first {
            first = false;
            if record
                .get(0)
                .is_some_and(|f| f.eq_ignore_ascii_case("address"))
            {
                order.clear();
                for name in record.iter() {
                    match COLUMNS.iter().position(|c| c.eq_ignore_ascii_case(name)) {
                        Some(i) => order.push(i),
                        None => {
                            return Err(LabelError::Invalid {
                                file: file.name.clone(),
                                lines: vec![InvalidLine {
                                    line,
                                    reason: format!(
                                        "unknown column {name:?} (known: {})",
                                        COLUMNS.join(", ")
                                    ),
                                }],
                            })
                        }
                    }
                }
                if (0..5).any(|i| !order.contains(&i)) {
                    return Err(LabelError::Invalid {
                        file: file.name.clone(),
                        lines: vec![InvalidLine {
                            line,
                            reason: "the header must name address, label, category, source and confidence".to_string(),
                        }],
                    });
                }
                continue;
            }
        }
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() != order.len() {
            invalid.push(InvalidLine {
                line,
                reason: format!(
                    "{} field(s), expected {} ({})",
                    record.len(),
                    order.len(),
                    order
                        .iter()
                        .map(|&i| COLUMNS[i])
                        .collect::<Vec<_>>()
                        .join(",")
                ),
            });
            continue;
        }
        let mut f: [&str; 8] = [""; 8];
        for (value, &i) in record.iter().zip(&order) {
            f[i] = value;
        }
        match row(&f, line) {
            Ok(d) => match d.entry(line) {
                Ok(e) => entries.push(e),
                Err(e) => invalid.push(e),
            },
            Err(reason) => invalid.push(InvalidLine { line, reason }),
        }
    }
    let pack = file.pack(
        format!("csv:{}", file.stem()),
        Format::Csv,
        file.name.clone(),
        format!("CSV file {}", file.name),
        &file.date,
    );
    Ok(Parsed {
        file: file.name.clone(),
        pack,
        entries,
        invalid,
    })
}

/// The shape of a Bitcoin mainnet address: bech32 `bc1…`, or base58 starting with 1 or 3.
fn looks_bitcoin(a: &str) -> bool {
    const BASE58: &str = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    a.to_ascii_lowercase().starts_with("bc1")
        || ((a.starts_with('1') || a.starts_with('3'))
            && (25..=35).contains(&a.len())
            && a.chars().all(|c| BASE58.contains(c)))
}

fn row<'a>(f: &'a [&'a str; 8], _line: usize) -> Result<Draft<'a>, String> {
    let category = Category::parse(f[2]).ok_or_else(|| {
        format!(
            "unknown category {:?} (one of: {})",
            f[2],
            Category::ALL.map(|c| c.as_str()).join(", ")
        )
    })?;
    let confidence = f[4]
        .parse::<u8>()
        .ok()
        .filter(|c| *c <= 100)
        .ok_or_else(|| format!("confidence {:?} is not a whole number from 0 to 100", f[4]))?;
    if f[3].is_empty() {
        return Err("the source is empty".to_string());
    }
    let source_date = match f[6] {
        "" => None,
        d => Some(valid_date(d).ok_or_else(|| format!("source_date {d:?} is not YYYY-MM-DD"))?),
    };
    let chain = if !f[5].is_empty() {
        f[5]
    } else if looks_evm(f[0]) {
        "EVM"
    } else if looks_bitcoin(f[0]) {
        // Validated as Bitcoin: a mistyped address is an invalid line, not an "unknown" chain.
        "BTC"
    } else {
        "unknown"
    };
    Ok(Draft {
        address: f[0],
        chain,
        label: f[1],
        category,
        source: f[3],
        source_date,
        confidence,
        notes: f[7].to_string(),
    })
}
