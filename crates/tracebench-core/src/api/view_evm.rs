//! EVM movements on the canvas: node ids for EVM addresses and transactions, and the nodes and
//! edges [`super::view::graph_view`] draws for them from the case's account transfers.
//!
//! **Ids.** `<prefix>:addr:0x<40 lower-case hex>` and `<prefix>:tx:0x<64 lower-case hex>`, the
//! prefix naming the chain (`eth` Ethereum, `bsc` BNB Smart Chain, `pol` Polygon, `arb`
//! Arbitrum, … see [`evm_prefix`]), the same shape as Bitcoin's `btc:addr:…`/`btc:tx:…` so the
//! UI's id parser needs nothing new. Addresses are lower-case in ids (one id per address) and
//! shown EIP-55 checksummed in labels.
//!
//! **Drawing.** As for UTXO transactions, value goes address → transaction → address: each
//! account transfer whose transaction and sender are on the canvas is an edge `from → tx`, and
//! each whose transaction and receiver are on the canvas an edge `tx → to`. An edge carries the
//! asset (CAIP-19 id, symbol, decimals) and the exact amount in base units as decimal text, so a
//! 256-bit token amount is never rounded.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::dto::{EdgeView, GraphView, NodeKind, NodeView, NoteView};
use super::view::{short_id, FlowDirection, FlowRow, NodeDetails};
use super::ApiError;
use crate::address::EvmAddress;
use crate::chain::EvmChain;
use crate::model::AccountTransfer;
use crate::store::Case;

/// The canvas prefix of an EVM chain's node ids.
pub fn evm_prefix(chain: EvmChain) -> &'static str {
    match chain.chain_id() {
        1 => "eth",
        10 => "op",
        56 => "bsc",
        100 => "gno",
        137 => "pol",
        8453 => "base",
        42161 => "arb",
        43114 => "avax",
        11155111 => "sep",
        // Every supported chain is listed above; `EvmChain::new` refuses any other id.
        _ => "evm",
    }
}

/// An EVM node of the canvas.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum EvmNode {
    /// `address` lower-case `0x…`.
    Address { chain: EvmChain, address: String },
    /// `txid` lower-case `0x…`.
    Tx { chain: EvmChain, txid: String },
}

impl EvmNode {
    pub fn id(&self) -> String {
        match self {
            EvmNode::Address { chain, address } => format!("{}:addr:{address}", evm_prefix(*chain)),
            EvmNode::Tx { chain, txid } => format!("{}:tx:{txid}", evm_prefix(*chain)),
        }
    }

    /// Parses an EVM canvas id; `None` for anything else (Bitcoin ids, entities, malformed).
    pub fn parse(id: &str) -> Option<EvmNode> {
        let (prefix, rest) = id.split_once(':')?;
        let chain = EvmChain::all().find(|c| evm_prefix(*c) == prefix)?;
        if let Some(a) = rest.strip_prefix("addr:") {
            let a = EvmAddress::parse(a).ok()?;
            (a.as_str() == &rest[5..]).then(|| EvmNode::Address {
                chain,
                address: a.as_str().to_string(),
            })
        } else if let Some(t) = rest.strip_prefix("tx:") {
            let h = crate::address::EvmTxHash::parse(t).ok()?;
            (h.as_str() == t).then(|| EvmNode::Tx {
                chain,
                txid: t.to_string(),
            })
        } else {
            None
        }
    }

    pub fn chain(&self) -> EvmChain {
        match self {
            EvmNode::Address { chain, .. } | EvmNode::Tx { chain, .. } => *chain,
        }
    }

    /// The address (EIP-55 checksummed) or the transaction hash.
    pub fn label(&self) -> String {
        match self {
            EvmNode::Address { address, .. } => EvmAddress::parse(address)
                .map(|a| a.checksummed())
                .unwrap_or_else(|_| address.clone()),
            EvmNode::Tx { txid, .. } => txid.clone(),
        }
    }

    pub fn is_tx(&self) -> bool {
        matches!(self, EvmNode::Tx { .. })
    }
}

/// An asset as edges name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetInfo {
    /// CAIP-19 id.
    pub id: String,
    /// ETH, BNB, or the token's symbol (the contract's short form when the token never said).
    pub symbol: String,
    /// `None` for a token whose decimals are not known.
    pub decimals: Option<u32>,
}

/// The assets of `chain` the case knows: the native coin and every stored token.
pub fn assets_of(case: &Case, chain: EvmChain) -> Result<BTreeMap<String, AssetInfo>, ApiError> {
    let mut out = BTreeMap::new();
    out.insert(
        chain.native_asset(),
        AssetInfo {
            id: chain.native_asset(),
            symbol: chain.native_symbol().to_string(),
            decimals: Some(18),
        },
    );
    for t in case.evm_tokens(&chain.caip2())? {
        let id = chain.token_asset(&t.contract);
        out.insert(
            id.clone(),
            AssetInfo {
                id,
                symbol: t.symbol.unwrap_or_else(|| short_id(&t.contract)),
                decimals: t.decimals,
            },
        );
    }
    Ok(out)
}

/// The asset named by `id`, from `known`, or by its id alone when the case has no metadata.
pub fn asset_info(known: &BTreeMap<String, AssetInfo>, id: &str) -> AssetInfo {
    known.get(id).cloned().unwrap_or_else(|| AssetInfo {
        id: id.to_string(),
        symbol: id.rsplit(':').next().map(short_id).unwrap_or_default(),
        decimals: None,
    })
}

/// `amount` base units (decimal text) in the asset's units, exactly: `1234500` with 6 decimals
/// is `1.2345`; without known decimals, `<amount> base units`.
pub fn format_units(amount: &str, decimals: Option<u32>) -> String {
    let digits = amount.trim_start_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    let Some(d) = decimals.map(|d| d as usize) else {
        return format!("{digits} base units");
    };
    if d == 0 {
        return digits.to_string();
    }
    let padded = format!("{digits:0>width$}", width = d + 1);
    let (int, frac) = padded.split_at(padded.len() - d);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        int.to_string()
    } else {
        format!("{int}.{frac}")
    }
}

/// The amount with its symbol, e.g. `72809.96 USDT`.
pub fn amount_text(amount: &str, asset: &AssetInfo) -> String {
    format!("{} {}", format_units(amount, asset.decimals), asset.symbol)
}

/// The per-transfer index that tells two transfers of one transaction apart in edge ids.
fn transfer_key(t: &AccountTransfer) -> String {
    match t.log_index {
        Some(l) if t.kind == crate::model::AccountTransferKind::Token => format!("log{l}"),
        _ => format!("{}{}", t.kind.as_str(), t.trace_index),
    }
}

/// Adds the EVM nodes on the canvas, and the edges between them, to `view`.
pub fn extend(case: &Case, view: &mut GraphView) -> Result<(), ApiError> {
    let canvas: Vec<(EvmNode, crate::store::CanvasNode)> = case
        .canvas_nodes()?
        .into_iter()
        .filter_map(|c| EvmNode::parse(&c.node_id).map(|n| (n, c)))
        .collect();
    if canvas.is_empty() {
        return Ok(());
    }
    let on_canvas: BTreeSet<String> = canvas.iter().map(|(_, c)| c.node_id.clone()).collect();
    let chains: BTreeSet<EvmChain> = canvas.iter().map(|(n, _)| n.chain()).collect();
    let mut edges: Vec<EdgeView> = Vec::new();
    let mut times: BTreeMap<String, i64> = BTreeMap::new();
    for chain in &chains {
        let assets = assets_of(case, *chain)?;
        for t in case.account_transfers(&chain.caip2())? {
            let tx = EvmNode::Tx {
                chain: *chain,
                txid: t.txid.clone(),
            }
            .id();
            let from = EvmNode::Address {
                chain: *chain,
                address: t.from.clone(),
            }
            .id();
            let to = EvmNode::Address {
                chain: *chain,
                address: t.to.clone(),
            }
            .id();
            for id in [&tx, &from, &to] {
                let e = times.entry(id.clone()).or_insert(t.block_time);
                *e = (*e).min(t.block_time);
            }
            if !on_canvas.contains(&tx) {
                continue;
            }
            let asset = asset_info(&assets, &t.asset);
            let key = transfer_key(&t);
            for (source, target) in [(&from, &tx), (&tx, &to)] {
                if on_canvas.contains(source) && on_canvas.contains(target) {
                    edges.push(EdgeView {
                        id: format!("{source}>{target}#{key}"),
                        source: source.clone(),
                        target: target.clone(),
                        amount_sat: 0,
                        amount: amount_text(&t.amount, &asset),
                        time: Some(t.block_time),
                        asset: asset.id.clone(),
                        symbol: asset.symbol.clone(),
                        decimals: asset.decimals,
                        amount_base: t.amount.clone(),
                        notes: Vec::new(),
                        fiat: None,
                        no_rate: String::new(),
                    });
                }
            }
        }
    }
    edges.sort_by(|a, b| a.id.cmp(&b.id));
    edges.dedup_by(|a, b| a.id == b.id);
    let mut notes: BTreeMap<String, Vec<NoteView>> = BTreeMap::new();
    for n in case.notes()? {
        notes.entry(n.target.clone()).or_default().push(NoteView {
            id: n.id,
            target: n.target,
            text: n.text,
            created_at: n.created_at,
        });
    }
    for e in &mut edges {
        e.notes = notes.remove(&e.id).unwrap_or_default();
    }

    // Hops from the EVM seeds over the drawn edges, either way.
    let mut neighbours: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for e in &edges {
        neighbours.entry(&e.source).or_default().insert(&e.target);
        neighbours.entry(&e.target).or_default().insert(&e.source);
    }
    let mut hops: BTreeMap<&str, u32> = BTreeMap::new();
    let mut queue: VecDeque<&str> = VecDeque::new();
    for (_, c) in canvas.iter().filter(|(_, c)| c.seed) {
        hops.insert(&c.node_id, 0);
        queue.push_back(&c.node_id);
    }
    while let Some(n) = queue.pop_front() {
        let h = hops[n];
        for m in neighbours.get(n).into_iter().flatten() {
            if !hops.contains_key(m) {
                hops.insert(m, h + 1);
                queue.push_back(m);
            }
        }
    }

    // Unsaved positions: the report's flow layout of the EVM part, below what is drawn already.
    let report = tracebench_report::ReportGraph {
        nodes: canvas
            .iter()
            .map(|(n, c)| tracebench_report::GraphNode {
                id: c.node_id.clone(),
                kind: if n.is_tx() {
                    tracebench_report::NodeKind::Transaction
                } else {
                    tracebench_report::NodeKind::Address
                },
                label: n.label(),
                time: times.get(&c.node_id).copied(),
                hop: hops.get(c.node_id.as_str()).copied().unwrap_or(0),
                position: None,
            })
            .collect(),
        edges: edges
            .iter()
            .map(|e| tracebench_report::GraphEdge {
                source: e.source.clone(),
                target: e.target.clone(),
                amount_sat: 0,
            })
            .collect(),
    };
    let layout = tracebench_report::flow_layout(&report);
    let below = view
        .nodes
        .iter()
        .map(|n| n.y)
        .fold(None, |m: Option<f64>, y| Some(m.map_or(y, |m| m.max(y))))
        .map_or(0.0, |y| y + 160.0);

    let hidden = case.hidden_nodes()?;
    let mut entity_of: BTreeMap<String, String> = BTreeMap::new();
    for e in &view.entities {
        for m in &e.members {
            entity_of.insert(m.clone(), e.id.clone());
        }
    }
    for (i, (node, c)) in canvas.iter().enumerate() {
        let caip2 = node.chain().caip2();
        let complete = match node {
            EvmNode::Address { address, .. } => case
                .address_history(&caip2, address)?
                .is_some_and(|h| h.complete),
            EvmNode::Tx { txid, .. } => case.evm_tx(&caip2, txid)?.is_some(),
        };
        let (x, y) = match c.x.zip(c.y) {
            Some(p) => p,
            None => (layout[i].0, layout[i].1 + below),
        };
        let label = node.label();
        view.nodes.push(NodeView {
            id: c.node_id.clone(),
            kind: if node.is_tx() {
                NodeKind::Transaction
            } else {
                NodeKind::Address
            },
            short: short_id(&label),
            label,
            x,
            y,
            pinned: c.x.is_some() && c.y.is_some(),
            hop: hops.get(c.node_id.as_str()).copied(),
            time: times.get(&c.node_id).copied(),
            notes: notes.remove(&c.node_id).unwrap_or_default(),
            complete,
            entity: entity_of.get(&c.node_id).cloned(),
            hidden: hidden.contains(&c.node_id),
            balance: Vec::new(),
        });
    }
    view.edges.extend(edges);
    Ok(())
}

/// The details of EVM canvas node `node_id`: an address's transfers (in: it received, out: it
/// sent), each against its transaction; a transaction's transfers, each against the address at
/// the other end. Amounts exact, per asset, sorted by time, direction and label.
pub fn node_details(case: &Case, node: &EvmNode, node_id: &str) -> Result<NodeDetails, ApiError> {
    let on_canvas: BTreeSet<String> = case
        .canvas_nodes()?
        .into_iter()
        .map(|c| c.node_id)
        .collect();
    if !on_canvas.contains(node_id) {
        return Err(ApiError::NotFound {
            what: "node",
            id: node_id.to_string(),
        });
    }
    let chain = node.chain();
    let assets = assets_of(case, chain)?;
    let addr = |a: &str| EvmNode::Address {
        chain,
        address: a.to_string(),
    };
    let mut rows = Vec::new();
    for t in case.account_transfers(&chain.caip2())? {
        let asset = asset_info(&assets, &t.asset);
        let tx = EvmNode::Tx {
            chain,
            txid: t.txid.clone(),
        };
        let mut push = |direction, counterpart: EvmNode| {
            let id = counterpart.id();
            rows.push(FlowRow {
                direction,
                on_canvas: on_canvas.contains(&id),
                counterpart: Some(id),
                label: counterpart.label(),
                amount_sat: 0,
                time: Some(t.block_time),
                amount: amount_text(&t.amount, &asset),
                amount_base: t.amount.clone(),
                asset: asset.id.clone(),
            });
        };
        match node {
            EvmNode::Address { address, .. } => {
                if &t.to == address {
                    push(FlowDirection::In, tx.clone());
                }
                if &t.from == address {
                    push(FlowDirection::Out, tx);
                }
            }
            EvmNode::Tx { txid, .. } if txid == &t.txid => {
                push(FlowDirection::In, addr(&t.from));
                push(FlowDirection::Out, addr(&t.to));
            }
            EvmNode::Tx { .. } => {}
        }
    }
    rows.sort_by(|a, b| {
        (a.time, a.direction, &a.label, &a.asset, &a.amount_base).cmp(&(
            b.time,
            b.direction,
            &b.label,
            &b.asset,
            &b.amount_base,
        ))
    });
    let times = rows.iter().filter_map(|r| r.time);
    Ok(NodeDetails {
        id: node_id.to_string(),
        kind: if node.is_tx() {
            NodeKind::Transaction
        } else {
            NodeKind::Address
        },
        label: node.label(),
        first_seen: times.clone().min(),
        last_seen: times.max(),
        rows,
        cluster: None,
        findings: Vec::new(),
        profile: "account model: no clustering heuristics apply".to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_refuse_what_is_not_evm() {
        let a = EvmNode::Address {
            chain: EvmChain::BSC,
            address: "0x52908400098527886e0f7030069857d2e4169ee7".into(),
        };
        assert_eq!(
            a.id(),
            "bsc:addr:0x52908400098527886e0f7030069857d2e4169ee7",
            "a BNB Smart Chain address gets the bsc prefix, lower-case"
        );
        assert_eq!(EvmNode::parse(&a.id()), Some(a.clone()), "ids round-trip");
        assert_eq!(
            a.label(),
            "0x52908400098527886E0F7030069857D2E4169EE7",
            "labels are EIP-55 checksummed (the EIP's own test vector)"
        );
        for bad in [
            "btc:addr:bc1qxyz",
            "eth:addr:0x52908400098527886E0F7030069857D2E4169EE7",
            "eth:addr:0x1234",
            "eth:tx:0xzz",
            "xyz:addr:0x52908400098527886e0f7030069857d2e4169ee7",
            "entity:3",
        ] {
            assert_eq!(
                EvmNode::parse(bad),
                None,
                "{bad} is not a canonical EVM node id"
            );
        }
        let prefixes: BTreeSet<&str> = EvmChain::all().map(evm_prefix).collect();
        assert_eq!(
            prefixes.len(),
            EvmChain::all().count(),
            "every supported chain has its own prefix"
        );
        assert!(
            !prefixes.contains("evm") && !prefixes.contains("btc"),
            "no chain falls through to the fallback or collides with Bitcoin: {prefixes:?}"
        );
    }

    #[test]
    fn amounts_are_formatted_exactly_in_the_assets_units() {
        assert_eq!(
            format_units("72809960000", Some(6)),
            "72809.96",
            "6 decimals"
        );
        assert_eq!(format_units("1", Some(18)), "0.000000000000000001", "1 wei");
        assert_eq!(format_units("0", Some(18)), "0", "zero");
        assert_eq!(
            format_units(
                "115792089237316195423570985008687907853269984665640564039457584007913129639935",
                Some(18)
            ),
            "115792089237316195423570985008687907853269984665640564039457.584007913129639935",
            "2^256 - 1 wei is exact, no float anywhere"
        );
        assert_eq!(
            format_units("500", None),
            "500 base units",
            "unknown decimals say so"
        );
        assert_eq!(format_units("500", Some(0)), "500", "zero decimals");
    }
}
