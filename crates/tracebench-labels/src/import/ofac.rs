//! The OFAC SDN digital-currency address lists as 0xB10C's extractor publishes them:
//! `sanctioned_addresses_<ASSET>.txt` (one address per line) or `.json` (an array of strings).
//! Each asset is one pack, `ofac-sdn:<ASSET>`; a newer file replaces it.

use super::{line_of, Draft, Entry, Parsed, SourceFile};
use crate::category::Category;
use crate::error::LabelError;
use crate::label::{Format, InvalidLine, Label};

pub const SOURCE: &str = "OFAC SDN list";

pub fn parse(file: &SourceFile) -> Result<Parsed, LabelError> {
    let asset = file
        .stem()
        .strip_prefix("sanctioned_addresses_")
        .filter(|a| !a.is_empty())
        .ok_or_else(|| LabelError::Unreadable {
            file: file.name.clone(),
            detail: "an OFAC list is named sanctioned_addresses_<ASSET>.txt or .json (the asset names the chain)".to_string(),
        })?
        .to_string();
    let mut lines: Vec<(usize, String)> = Vec::new();
    let mut invalid = Vec::new();
    if file.name.ends_with(".json") {
        let list: Vec<String> =
            serde_json::from_str(&file.text).map_err(|e| LabelError::Invalid {
                file: file.name.clone(),
                lines: vec![InvalidLine {
                    line: e.line(),
                    reason: format!("malformed JSON: {e}"),
                }],
            })?;
        let mut from = 0;
        for a in list {
            let (line, at) = line_of(&file.text, &format!("\"{a}\""), from);
            from = at;
            lines.push((line, a));
        }
    } else {
        for (i, l) in file.text.lines().enumerate() {
            let l = l.trim();
            if !l.is_empty() && !l.starts_with('#') {
                lines.push((i + 1, l.to_string()));
            }
        }
    }
    let source = format!("{SOURCE} ({asset})");
    let mut entries = Vec::with_capacity(lines.len());
    for (line, address) in &lines {
        let draft = Draft {
            address,
            chain: &asset,
            label: "OFAC SDN: sanctioned address",
            category: Category::Sanctioned,
            source: &source,
            source_date: Some(&file.date),
            confidence: 100,
            notes: "US Treasury OFAC Specially Designated Nationals list, digital currency address"
                .to_string(),
        };
        match draft.entry(*line) {
            Ok(e) => entries.push(e),
            // OFAC's list is authoritative even where it files an address under the wrong
            // asset (the 2024-09-27 XBT list holds a Tron address): keep it as listed, matched
            // exactly, and say so.
            Err(e) if !address.chars().any(char::is_whitespace) => entries.push(Entry {
                line: *line,
                key: address.clone(),
                label: Label {
                    address: address.clone(),
                    chain: asset.clone(),
                    caip2: None,
                    label: "OFAC SDN: sanctioned address".to_string(),
                    category: Category::Sanctioned,
                    source: source.clone(),
                    source_date: Some(file.date.clone()),
                    confidence: 100,
                    notes: format!(
                        "listed by OFAC under {asset} but not a valid {asset} address ({}); kept as listed and matched exactly",
                        e.reason
                    ),
                },
            }),
            Err(e) => invalid.push(e),
        }
    }
    let pack = file.pack(
        format!("ofac-sdn:{asset}"),
        Format::Ofac,
        format!("OFAC SDN sanctioned {asset} addresses"),
        "US Treasury OFAC SDN list via github.com/0xB10C/ofac-sanctioned-digital-currency-addresses"
            .to_string(),
        &file.date,
    );
    Ok(Parsed {
        file: file.name.clone(),
        pack,
        entries,
        invalid,
    })
}
