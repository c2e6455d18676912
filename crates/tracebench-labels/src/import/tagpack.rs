//! GraphSense TagPack YAML: header fields (title, creator, source, lastmod, label, category,
//! abuse, confidence, currency/network, actor…) apply to every tag unless the tag overrides them.
//!
//! Parsed with saphyr, which keeps the position of every node, so each bad tag is reported with
//! its own line; scalars are read as written (no YAML type guessing, so `0x…` stays text).

use std::borrow::Cow;
use std::collections::BTreeMap;

use saphyr::{MarkedYaml, YamlData, YamlLoader};
use saphyr_parser::Parser;

use super::{valid_date, Draft, Parsed, SourceFile};
use crate::category::{graphsense, Category};
use crate::error::LabelError;
use crate::label::{Format, InvalidLine};

/// Confidence levels of the GraphSense confidence vocabulary, as Tracebench scores them (0–100).
pub fn confidence_level(name: &str) -> Option<u8> {
    Some(match name.trim().to_ascii_lowercase().as_str() {
        "ownership" | "ledger_immanent" => 100,
        "authority_data" => 90,
        "forensic" => 80,
        "manual_transaction_check" => 70,
        "service_data" => 60,
        "heuristic" | "heuristics" => 40,
        "untrusted_transaction" => 30,
        "web_crawl" => 20,
        "unknown" => 10,
        _ => return None,
    })
}

/// Confidence when a TagPack gives none.
const DEFAULT_CONFIDENCE: u8 = 50;

type Fields<'a> = BTreeMap<String, (Cow<'a, str>, usize)>;

fn line(node: &MarkedYaml<'_>) -> usize {
    node.span.start.line()
}

fn scalar<'a>(node: &'a MarkedYaml<'a>) -> Option<&'a str> {
    match &node.data {
        YamlData::Representation(s, _, _) => Some(s.as_ref()),
        _ => None,
    }
}

/// The scalar fields of a mapping node (nested values are skipped).
fn fields<'a>(node: &'a MarkedYaml<'a>) -> Option<Fields<'a>> {
    let YamlData::Mapping(map) = &node.data else {
        return None;
    };
    let mut out = BTreeMap::new();
    for (k, v) in map {
        if let (Some(key), Some(value)) = (scalar(k), scalar(v)) {
            out.insert(key.to_string(), (Cow::Borrowed(value), line(v)));
        }
    }
    Some(out)
}

pub fn parse(file: &SourceFile) -> Result<Parsed, LabelError> {
    let mut loader: YamlLoader<'_, MarkedYaml<'_>> = YamlLoader::default();
    loader.early_parse(false);
    let mut parser = Parser::new_from_str(&file.text);
    let yaml_error = |e: saphyr::ScanError| LabelError::Invalid {
        file: file.name.clone(),
        lines: vec![InvalidLine {
            line: e.marker().line(),
            reason: format!("malformed YAML: {}", e.info()),
        }],
    };
    parser.load(&mut loader, false).map_err(yaml_error)?;
    if let Some(e) = loader.error() {
        return Err(yaml_error(e.clone()));
    }
    let docs = loader.into_documents();
    let root = docs.first().ok_or_else(|| LabelError::Unreadable {
        file: file.name.clone(),
        detail: "the file is empty".to_string(),
    })?;
    let YamlData::Mapping(map) = &root.data else {
        return Err(invalid_file(
            file,
            line(root),
            "a TagPack must be a mapping with a `tags:` list",
        ));
    };
    let header = fields(root).unwrap_or_default();
    let tags = map
        .iter()
        .find(|(k, _)| scalar(k) == Some("tags"))
        .map(|(_, v)| v)
        .ok_or_else(|| invalid_file(file, 1, "the TagPack has no `tags:` list"))?;
    let YamlData::Sequence(tags) = &tags.data else {
        return Err(invalid_file(file, line(tags), "`tags:` is not a list"));
    };
    let get = |k: &str| header.get(k).map(|(v, _)| v.as_ref());
    let title = get("title").unwrap_or(file.stem()).to_string();
    let creator = get("creator").unwrap_or("unknown creator").to_string();
    let pack_date = get("lastmod")
        .and_then(valid_date)
        .unwrap_or(&file.date)
        .to_string();
    let pack_source = get("source").unwrap_or("").to_string();
    let mut pack = file.pack(
        format!("tagpack:{}", file.stem()),
        Format::Tagpack,
        title.clone(),
        format!("GraphSense TagPack by {creator}{}", sep(&pack_source)),
        &pack_date,
    );
    pack.licence = get("license").unwrap_or("").to_string();
    let source = format!("GraphSense TagPack {}: {title}", file.name);

    let mut entries = Vec::with_capacity(tags.len());
    let mut invalid = Vec::new();
    for tag in tags {
        let at = line(tag);
        let Some(t) = fields(tag) else {
            invalid.push(InvalidLine {
                line: at,
                reason: "a tag must be a mapping with an `address:`".to_string(),
            });
            continue;
        };
        let field = |k: &str| t.get(k).map(|(v, _)| v.as_ref()).or_else(|| get(k));
        let Some(address) = t.get("address").map(|(v, _)| v.as_ref()) else {
            invalid.push(InvalidLine {
                line: at,
                reason: "the tag has no `address:`".to_string(),
            });
            continue;
        };
        let chain = field("network").or_else(|| field("currency")).unwrap_or("");
        let label = field("label").unwrap_or("");
        let confidence = match field("confidence") {
            None => DEFAULT_CONFIDENCE,
            Some(c) => match confidence_level(c).or_else(|| c.trim().parse::<u8>().ok()) {
                Some(n) if n <= 100 => n,
                _ => {
                    invalid.push(InvalidLine {
                        line: t.get("confidence").map_or(at, |(_, l)| *l),
                        reason: format!("unknown confidence {c:?}"),
                    });
                    continue;
                }
            },
        };
        let abuse = field("abuse");
        let concept = field("category");
        let mut category = abuse
            .and_then(graphsense)
            .or_else(|| concept.and_then(graphsense))
            .unwrap_or(Category::Other);
        let sanction_words = |s: &str| {
            let s = s.to_ascii_lowercase();
            s.contains("ofac") || s.contains("sanction")
        };
        if matches!(category, Category::Other | Category::Service)
            && (sanction_words(label) || sanction_words(&title))
        {
            category = Category::Sanctioned;
        }
        let mut notes = Vec::new();
        if let Some(c) = concept {
            notes.push(format!("category: {c}"));
        }
        if let Some(a) = abuse {
            notes.push(format!("abuse: {a}"));
        }
        if let Some(a) = field("actor") {
            notes.push(format!("actor: {a}"));
        }
        if let Some(s) = field("source") {
            notes.push(format!("origin: {s}"));
        }
        if let Some(c) = field("context") {
            notes.push(format!("context: {c}"));
        }
        let date = field("lastmod").and_then(valid_date).unwrap_or(&pack_date);
        let draft = Draft {
            address,
            chain,
            label,
            category,
            source: &source,
            source_date: Some(date),
            confidence,
            notes: notes.join("; "),
        };
        match draft.entry(t.get("address").map_or(at, |(_, l)| *l)) {
            Ok(e) => entries.push(e),
            Err(e) => invalid.push(e),
        }
    }
    invalid.sort_by_key(|l| l.line);
    Ok(Parsed {
        file: file.name.clone(),
        pack,
        entries,
        invalid,
    })
}

fn sep(s: &str) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!(" — {s}")
    }
}

fn invalid_file(file: &SourceFile, line: usize, reason: &str) -> LabelError {
    LabelError::Invalid {
        file: file.name.clone(),
        lines: vec![InvalidLine {
            line,
            reason: reason.to_string(),
        }],
    }
}
