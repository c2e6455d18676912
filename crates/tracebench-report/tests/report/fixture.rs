//! A realistic synthetic case: a peeling chain from a seed address through 36 transactions
//! (each paying a small amount out and sending the change on), two consolidations at the end,
//! two clusters, provenance for every response and an analyst note.

use chrono::{TimeZone, Utc};
use sha2::{Digest, Sha256};
use tracebench_report::{
    GraphEdge, GraphNode, NodeKind, Paper, ReportAuditEntry, ReportCase, ReportCluster,
    ReportCoverage, ReportGraph, ReportHeuristic, ReportHop, ReportInput, ReportLeg, ReportMember,
    ReportMethod, ReportNote, ReportProvenance, ReportSeed, ReportSettings, ReportTx,
    ReportValidationCoverage, ReportValidationRow,
};

pub const EXHIBIT_ID: &str = "EXH-17/A";
pub const QUESTION: &str = "Where did the 4123.45678901 BTC ransom paid on 2024-04-30 go?";
pub const SUMMARY: &str = "The ransom was peeled in 36 steps; the change reached two sweeps.";
/// A cited validation figure: row, dataset and the precision the methodology prints.
pub const VALIDATION_PRECISION: &str = "97.3%";

pub const CASE_ID: &str = "TB-2024-0117";
pub const PEELS: usize = 36;

fn hex(seed: &str) -> String {
    Sha256::digest(seed.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A bech32-shaped P2WPKH address (42 characters) derived from `seed`.
fn address(seed: &str) -> String {
    const CHARSET: &[u8] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    let digest = Sha256::digest(seed.as_bytes());
    let body: String = digest
        .iter()
        .chain(digest.iter())
        .take(38)
        .map(|b| CHARSET[usize::from(b % 32)] as char)
        .collect();
    format!("bc1q{body}")
}

pub fn txid(i: usize) -> String {
    hex(&format!("tx{i}"))
}

fn node(id: String, kind: NodeKind, time: i64, hop: u32) -> GraphNode {
    GraphNode {
        label: id.rsplit(':').next().unwrap_or_default().to_string(),
        id,
        kind,
        time: Some(time),
        hop,
        position: None,
    }
}

fn edge(source: &str, target: &str, amount_sat: u64) -> GraphEdge {
    GraphEdge {
        source: source.to_string(),
        target: target.to_string(),
        amount_sat,
    }
}

pub fn input(synthetic: bool) -> ReportInput {
    let start = 1_714_564_800; // 2024-05-01 12:00:00 UTC
    let mut graph = ReportGraph::default();
    let mut transactions = Vec::new();
    let mut provenance = Vec::new();
    let mut hops = Vec::new();

    let seed = format!("btc:addr:{}", address("seed"));
    graph
        .nodes
        .push(node(seed.clone(), NodeKind::Address, start - 3_600, 0));
    let mut holder = seed.clone();
    let mut balance: u64 = 412_345_678_901; // 4123.45678901 BTC
    for i in 0..PEELS {
        let time = start + 600 * i as i64;
        let hop = i as u32 + 1;
        let tx = format!("btc:tx:{}", txid(i));
        let fee = 1_410 + 37 * i as u64;
        let payment = 1_234_567 * (i as u64 + 1) + 89;
        let change = balance - payment - fee;
        let paid = format!("btc:addr:{}", address(&format!("pay{i}")));
        let rest = format!("btc:addr:{}", address(&format!("change{i}")));
        graph
            .nodes
            .push(node(tx.clone(), NodeKind::Transaction, time, hop));
        graph
            .nodes
            .push(node(paid.clone(), NodeKind::Address, time, hop));
        graph
            .nodes
            .push(node(rest.clone(), NodeKind::Address, time, hop));
        graph.edges.push(edge(&holder, &tx, balance));
        graph.edges.push(edge(&tx, &paid, payment));
        graph.edges.push(edge(&tx, &rest, change));
        let source_id = format!("esplora-{:04}", i + 1);
        let leg = |address: &str, amount_sat: u64| ReportLeg {
            address: address.rsplit(':').next().unwrap_or_default().to_string(),
            amount_sat,
            fiat: None,
        };
        hops.push(ReportHop {
            hop,
            txid: txid(i),
            block_height: Some(842_100 + i as u64),
            block_time: Some(time),
            inputs: vec![leg(&holder, balance)],
            outputs: vec![leg(&paid, payment), leg(&rest, change)],
            fee_sat: Some(fee),
            inferences: if i == 0 {
                vec!["Joins addresses into cluster C-0001 by multi-input (confidence 90).".into()]
            } else {
                Vec::new()
            },
            valuation: None,
            source_id: source_id.clone(),
        });
        transactions.push(ReportTx {
            txid: txid(i),
            block_height: Some(842_100 + i as u64),
            block_time: Some(time),
            input_sat: balance,
            output_sat: payment + change,
            fee_sat: Some(fee),
            source_id: source_id.clone(),
        });
        provenance.push(ReportProvenance {
            source_id,
            endpoint: "http://127.0.0.1:3002/api".to_string(),
            request: format!("GET /tx/{}", txid(i)),
            retrieved_at: format!("2024-05-02T09:{:02}:{:02}Z", i / 6, (i * 7) % 60),
            sha256: hex(&format!("response{i}")),
        });
        holder = rest;
        balance = change;
    }
    // An unconfirmed sweep with unknown fee, and a second one from a large total.
    for (k, i) in [PEELS, PEELS + 1].into_iter().enumerate() {
        let source_id = format!("esplora-{:04}", i + 1);
        transactions.push(ReportTx {
            txid: txid(i),
            block_height: None,
            block_time: None,
            input_sat: 2_100_000_000_000_000 - k as u64,
            output_sat: 2_099_999_999_990_000,
            fee_sat: None,
            source_id: source_id.clone(),
        });
        provenance.push(ReportProvenance {
            source_id,
            endpoint: "https://mempool.example/api".to_string(),
            request: format!("GET /tx/{}?key=***", txid(i)),
            retrieved_at: "2024-05-02T10:15:00+00:00".to_string(),
            sha256: hex(&format!("response{i}")),
        });
    }

    let payments: Vec<String> = (0..6).map(|i| address(&format!("pay{i}"))).collect();
    let changes: Vec<String> = (0..PEELS).map(|i| address(&format!("change{i}"))).collect();
    let mut sorted = changes.clone();
    sorted.sort();
    let members: Vec<ReportMember> = sorted[1..]
        .iter()
        .enumerate()
        .map(|(k, a)| ReportMember {
            address: a.clone(),
            via: sorted[0].clone(),
            txid: txid(k),
            heuristic: "multi-input".to_string(),
            confidence: 90,
        })
        .collect();
    ReportInput {
        case: ReportCase {
            case_id: CASE_ID.to_string(),
            title: "Ransom payment tracing – Müller GmbH incident".to_string(),
            investigator: "Det. Insp. A. Øverland".to_string(),
            agency: "State Criminal Police Office, Cybercrime Unit 3".to_string(),
            created_utc: "2024-05-01T08:30:00Z".to_string(),
        },
        tool: "Tracebench 0.1.0".to_string(),
        generated_at: Utc.with_ymd_and_hms(2024, 5, 3, 14, 5, 9).unwrap(),
        synthetic,
        graph,
        transactions,
        clusters: vec![
            ReportCluster {
                id: "C-0001".to_string(),
                heuristic: "multi-input (common-input-ownership)".to_string(),
                addresses: changes,
                members,
            },
            ReportCluster {
                id: "C-0002".to_string(),
                heuristic: "change address (round payment amount)".to_string(),
                addresses: payments,
                members: Vec::new(),
            },
        ],
        provenance,
        notes: vec![ReportNote {
            target: seed,
            text: "The seed address received the ransom payment named in the victim's \
                   statement of 2024-04-30. From here the funds are peeled in small payments \
                   every ten minutes while the change moves on; this pattern is typical for \
                   a cash-out through several exchange deposit addresses.\nSecond paragraph: \
                   the exchange was asked for KYC records on 2024-05-03."
                .to_string(),
            created_at: "2024-05-02T16:40:00Z".to_string(),
        }],
        attributions: Vec::new(),
        exposures: Vec::new(),
        label_packs: None,
        integrity: None,
        sensitivity: None,
        story: Vec::new(),
        evm: None,
        settings: ReportSettings {
            exhibit_id: EXHIBIT_ID.to_string(),
            classification: String::new(),
            paper: Paper::A4,
            question: Some(QUESTION.to_string()),
            summary: Some(SUMMARY.to_string()),
            ..ReportSettings::default()
        },
        build: "0123456789abcdef0123456789abcdef01234567".to_string(),
        seeds: vec![ReportSeed {
            node_id: format!("btc:addr:{}", address("seed")),
            origin: "Added as a starting point by a.overland at 2024-05-02T09:00:00Z (audit \
                     entry #2); 3 raw response(s) fetched."
                .to_string(),
        }],
        hops,
        method: method(),
        audit: vec![
            ReportAuditEntry {
                seq: 1,
                at_utc: "2024-05-01T08:30:00Z".to_string(),
                user: "a.overland".to_string(),
                action: "case.create".to_string(),
                detail: "{}".to_string(),
                hash: hex("audit1"),
            },
            ReportAuditEntry {
                seq: 2,
                at_utc: "2024-05-02T09:00:00Z".to_string(),
                user: "a.overland".to_string(),
                action: "add".to_string(),
                detail: format!("{{\"node_id\":\"btc:addr:{}\"}}", address("seed")),
                hash: hex("audit2"),
            },
        ],
        coverage: ReportCoverage {
            history_page_limit: 40,
            complete_histories: 3,
            incomplete_histories: vec![address("pay0")],
            unresolved_outputs: vec![format!("{}:0 → {}", txid(PEELS - 1), address("pay35"))],
            off_graph_txs: 2,
        },
    }
}

/// A methodology with one heuristic on, one off and two measured rows.
pub fn method() -> ReportMethod {
    ReportMethod {
        chains: vec!["Chain covered: Bitcoin mainnet".to_string()],
        sources: vec!["Source esplora: 38 raw response(s)".to_string()],
        profile: "conservative".to_string(),
        heuristics: vec![
            ReportHeuristic {
                name: "multi-input".to_string(),
                on: true,
                definition: "Common-input ownership.".to_string(),
                parameters: "none".to_string(),
                confidence: Some(90),
            },
            ReportHeuristic {
                name: "change:power_of_ten".to_string(),
                on: false,
                definition: "Round values are payments.".to_string(),
                parameters: "digits = 6".to_string(),
                confidence: Some(30),
            },
        ],
        datasets: vec!["captures: 20 transaction(s)".to_string()],
        validation: vec![
            ReportValidationRow {
                group: "coinjoin".to_string(),
                name: "whirlpool".to_string(),
                dataset: "captures".to_string(),
                synthetic: false,
                tp: 36,
                fp: 1,
                fn_: 0,
                tn: 12,
                unknown: 0,
                not_applicable: 0,
                precision: VALIDATION_PRECISION.to_string(),
                recall: "100.0%".to_string(),
            },
            ReportValidationRow {
                group: "change".to_string(),
                name: "peeling_chain".to_string(),
                dataset: "sim:ransomware:1".to_string(),
                synthetic: true,
                tp: 5,
                fp: 0,
                fn_: 1,
                tn: 0,
                unknown: 2,
                not_applicable: 3,
                precision: "100.0%".to_string(),
                recall: "83.3%".to_string(),
            },
        ],
        validation_coverage: vec![ReportValidationCoverage {
            name: "peeling_chain".to_string(),
            validated_on: "synthetic-only".to_string(),
            note: "no real labelled peel chain".to_string(),
        }],
        coinjoins: Vec::new(),
        vetoed: Vec::new(),
        valuation: "No price series is held by this case.".to_string(),
    }
}
