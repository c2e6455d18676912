//! The Etherscan v2 API (one endpoint for every chain, selected by `chainid`): an address's
//! normal transactions (`txlist`), internal transactions (`txlistinternal`) and ERC-20 token
//! transfers (`tokentx`).
//!
//! Etherscan caps how far `page` may go (`page × offset` ≤ the window, 10,000). Paging therefore
//! walks pages inside a block range and, when the window is used up, continues from the last
//! block seen; rows seen twice are dropped by their natural key (hash, kind, position).

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use super::amount::canonical_decimal;
use super::{EvmSourceError, Wire};
use crate::address::EvmAddress;
use crate::chain::EvmChain;
use crate::model::{AccountTransfer, AccountTransferKind};
use crate::source::policy::Gate;
use crate::source::Clock;
use crate::store::{EvmFetch, EvmToken, EvmTx, RawResponse};

/// How an address history is paged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// Rows per page (`offset`).
    pub offset: u32,
    /// Largest `page × offset` the API serves for one block range.
    pub window: u32,
    /// At most this many requests per action, so a busy address cannot flood the case; the
    /// history is marked incomplete when it is reached.
    pub max_requests: u32,
}

impl Default for Paging {
    fn default() -> Paging {
        Paging {
            offset: 1000,
            window: 10_000,
            max_requests: 50,
        }
    }
}

/// The three account lists, in the order they are fetched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Action {
    TxList,
    Internal,
    Token,
}

impl Action {
    fn name(self) -> &'static str {
        match self {
            Action::TxList => "txlist",
            Action::Internal => "txlistinternal",
            Action::Token => "tokentx",
        }
    }
}

#[derive(Debug, Deserialize)]
struct Envelope {
    status: String,
    message: String,
    result: serde_json::Value,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct NormalRow {
    block_number: String,
    time_stamp: String,
    hash: String,
    transaction_index: String,
    from: String,
    to: String,
    value: String,
    #[serde(default)]
    contract_address: String,
    #[serde(default)]
    gas_used: Option<String>,
    #[serde(default)]
    gas_price: Option<String>,
    #[serde(default)]
    is_error: Option<String>,
    #[serde(default, rename = "txreceipt_status")]
    receipt_status: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct InternalRow {
    block_number: String,
    time_stamp: String,
    hash: String,
    from: String,
    to: String,
    value: String,
    #[serde(default)]
    contract_address: String,
    #[serde(default)]
    trace_id: String,
    #[serde(default)]
    is_error: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TokenRow {
    block_number: String,
    time_stamp: String,
    hash: String,
    from: String,
    to: String,
    value: String,
    contract_address: String,
    #[serde(default)]
    token_name: Option<String>,
    #[serde(default)]
    token_symbol: Option<String>,
    #[serde(default)]
    token_decimal: Option<String>,
    transaction_index: String,
    #[serde(default)]
    log_index: Option<String>,
}

fn num<T: std::str::FromStr>(field: &str, text: &str) -> Result<T, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("{field} {text:?} is not a number"))
}

fn addr(field: &str, text: &str) -> Result<String, String> {
    EvmAddress::parse(text)
        .map(|a| a.as_str().to_string())
        .map_err(|e| format!("{field}: {e}"))
}

fn hash(text: &str) -> Result<String, String> {
    crate::address::EvmTxHash::parse(text)
        .map(|h| h.as_str().to_string())
        .map_err(|e| e.to_string())
}

/// An internal row's natural key: (hash, trace path, from, to, value).
type InternalKey = (String, Vec<u64>, String, String, String);

/// A token row's natural key: (hash, log index, contract, from, to, value).
type TokenKey = (String, Option<u32>, String, String, String, String);

/// Parses a `"0_1_2"` trace id into its path, for ordering internal calls.
fn trace_path(id: &str) -> Vec<u64> {
    id.split('_').filter_map(|p| p.parse().ok()).collect()
}

/// A connected Etherscan v2 API for one chain.
#[derive(Debug, Clone)]
pub struct Etherscan {
    wire: Wire,
    base_url: String,
    api_key: Option<String>,
    chain: EvmChain,
    paging: Paging,
}

impl Etherscan {
    /// `base_url` is the API root without `/v2/api` (`https://api.etherscan.io`); the source id
    /// recorded in provenance is `etherscan:<chainid>`.
    pub fn new(
        client: reqwest::Client,
        base_url: &str,
        api_key: Option<String>,
        chain: EvmChain,
        clock: Clock,
    ) -> Etherscan {
        Etherscan {
            wire: Wire::new(client, format!("etherscan:{}", chain.chain_id()), clock),
            base_url: base_url.trim_end_matches('/').to_string(),
            api_key: api_key.filter(|k| !k.trim().is_empty()),
            chain,
            paging: Paging::default(),
        }
    }

    pub fn with_paging(mut self, paging: Paging) -> Etherscan {
        self.paging = paging;
        self
    }

    /// Records provenance under `source_id` instead of `etherscan:<chainid>` (a `sim:` id
    /// marks the data synthetic). Resets the gate to a fresh one with the same policy.
    pub fn with_source_id(mut self, source_id: &str) -> Etherscan {
        self.wire = self.wire.renamed(source_id);
        self
    }

    /// Sends every request through `gate` (rate limit, retries, timeout, cancel, progress).
    pub fn with_gate(mut self, gate: Gate) -> Etherscan {
        self.wire.gate = gate;
        self
    }

    pub fn gate(&self) -> &Gate {
        &self.wire.gate
    }

    pub fn source_id(&self) -> &str {
        &self.wire.source_id
    }

    pub fn chain(&self) -> EvmChain {
        self.chain
    }

    fn malformed(&self, endpoint: &str, detail: String) -> EvmSourceError {
        EvmSourceError::Malformed {
            source_id: self.wire.source_id.clone(),
            api: "Etherscan",
            endpoint: endpoint.to_string(),
            detail,
        }
    }

    /// One page; returns the raw response and the rows (empty for "No transactions found").
    async fn page(
        &self,
        action: Action,
        address: &str,
        start: u64,
        page: u32,
    ) -> Result<(RawResponse, Vec<serde_json::Value>), EvmSourceError> {
        let endpoint = format!(
            "/v2/api?chainid={}&module=account&action={}&address={address}&startblock={start}&endblock=99999999&page={page}&offset={}&sort=asc",
            self.chain.chain_id(),
            action.name(),
            self.paging.offset
        );
        let mut url = format!("{}{endpoint}", self.base_url);
        if let Some(k) = &self.api_key {
            url.push_str("&apikey=");
            url.push_str(k);
        }
        let raw = self
            .wire
            .send(
                || self.wire.client.get(&url),
                |_, _| false,
                "GET",
                &url,
                endpoint.clone(),
                None,
            )
            .await?;
        let env: Envelope = serde_json::from_slice(&raw.body)
            .map_err(|e| self.malformed(&endpoint, e.to_string()))?;
        match (env.status.as_str(), env.result) {
            ("1", serde_json::Value::Array(rows)) => Ok((raw, rows)),
            ("0", serde_json::Value::Array(rows))
                if rows.is_empty() && env.message.starts_with("No transactions found") =>
            {
                Ok((raw, rows))
            }
            ("0", result) => {
                let detail = match &result {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                let lower = format!("{} {}", env.message, detail).to_ascii_lowercase();
                if lower.contains("rate limit") {
                    Err(EvmSourceError::RateLimited {
                        source_id: self.wire.source_id.clone(),
                        url: crate::source::redact_url(&url),
                        retry_after: None,
                    })
                } else if lower.contains("api key") || lower.contains("apikey") {
                    Err(EvmSourceError::InvalidKey {
                        source_id: self.wire.source_id.clone(),
                        endpoint,
                        message: detail,
                    })
                } else {
                    Err(EvmSourceError::Api {
                        source_id: self.wire.source_id.clone(),
                        endpoint,
                        message: format!("{}: {detail}", env.message),
                    })
                }
            }
            (status, _) => Err(self.malformed(
                &endpoint,
                format!("status {status:?} with a result that is not a list"),
            )),
        }
    }

    /// All pages of one action: (raw responses, rows each tagged with its raw's position, and
    /// whether the list was read to its end).
    async fn all_pages(
        &self,
        action: Action,
        address: &str,
    ) -> Result<(Vec<RawResponse>, Vec<(usize, serde_json::Value)>, bool), EvmSourceError> {
        let mut raws = Vec::new();
        let mut rows = Vec::new();
        let mut start = 0u64;
        let mut page = 1u32;
        let pages_per_window = (self.paging.window / self.paging.offset.max(1)).max(1);
        for _ in 0..self.paging.max_requests {
            let (raw, got) = self.page(action, address, start, page).await?;
            let endpoint = raw.endpoint.clone();
            raws.push(raw);
            let full = got.len() as u32 >= self.paging.offset;
            let mut last_block = start;
            for r in got {
                if let Some(b) = r.get("blockNumber").and_then(|b| b.as_str()) {
                    last_block = num("blockNumber", b).map_err(|e| self.malformed(&endpoint, e))?;
                }
                rows.push((raws.len() - 1, r));
            }
            if !full {
                return Ok((raws, rows, true));
            }
            if page < pages_per_window {
                page += 1;
            } else {
                if last_block == start {
                    return Err(EvmSourceError::PagingStuck {
                        source_id: self.wire.source_id.clone(),
                        endpoint,
                        block: start,
                        window: self.paging.window,
                    });
                }
                start = last_block;
                page = 1;
            }
        }
        Ok((raws, rows, false))
    }

    /// An address's whole history on this chain: normal, internal and token movements. Failed
    /// transactions (isError=1) are kept as transactions but move no value; failed internal
    /// calls are left out.
    pub async fn address_history(&self, address: &EvmAddress) -> Result<EvmFetch, EvmSourceError> {
        let a = address.as_str();
        let mut fetch = EvmFetch {
            source_kind: "etherscan".to_string(),
            ..EvmFetch::default()
        };
        let mut complete = true;
        let mut lists = BTreeMap::new();
        for action in [Action::TxList, Action::Internal, Action::Token] {
            let (raws, rows, done) = self.all_pages(action, a).await?;
            complete &= done;
            let base = fetch.raws.len();
            fetch.raws.extend(raws);
            lists.insert(
                action,
                rows.into_iter()
                    .map(|(i, r)| (base + i, r))
                    .collect::<Vec<_>>(),
            );
        }
        self.normalise(&mut fetch, &lists)?;
        let hashes: BTreeSet<&str> = fetch
            .transfers
            .iter()
            .map(|(_, t)| t.txid.as_str())
            .chain(fetch.txs.iter().map(|(_, t)| t.txid.as_str()))
            .collect();
        let count = hashes.len() as u64;
        fetch
            .histories
            .push((self.chain.caip2(), a.to_string(), complete, count));
        Ok(fetch)
    }

    fn normalise(
        &self,
        fetch: &mut EvmFetch,
        lists: &BTreeMap<Action, Vec<(usize, serde_json::Value)>>,
    ) -> Result<(), EvmSourceError> {
        let chain = self.chain.caip2();
        let endpoint_of = |raw: usize| fetch.raws[raw].endpoint.clone();
        let mut tx_index: BTreeMap<String, u32> = BTreeMap::new();
        let mut failed: BTreeSet<String> = BTreeSet::new();
        // Normal transactions, de-duplicated by hash.
        let mut seen = BTreeSet::new();
        let mut txs = Vec::new();
        for (raw, v) in lists.get(&Action::TxList).into_iter().flatten() {
            let row: NormalRow = serde_json::from_value(v.clone())
                .map_err(|e| self.malformed(&endpoint_of(*raw), e.to_string()))?;
            let t = (|| -> Result<EvmTx, String> {
                let ok = row.is_error.as_deref() != Some("1")
                    && row.receipt_status.as_deref() != Some("0");
                let to = if row.to.is_empty() {
                    (!row.contract_address.is_empty())
                        .then(|| addr("contractAddress", &row.contract_address))
                        .transpose()?
                } else {
                    Some(addr("to", &row.to)?)
                };
                Ok(EvmTx {
                    chain: chain.clone(),
                    txid: hash(&row.hash)?,
                    block_height: num("blockNumber", &row.block_number)?,
                    block_time: num("timeStamp", &row.time_stamp)?,
                    tx_index: num("transactionIndex", &row.transaction_index)?,
                    from: addr("from", &row.from)?,
                    to,
                    value: canonical_decimal(&row.value)?,
                    status: Some(ok),
                    gas_used: row
                        .gas_used
                        .as_deref()
                        .map(|g| num("gasUsed", g))
                        .transpose()?,
                    gas_price: row
                        .gas_price
                        .as_deref()
                        .map(canonical_decimal)
                        .transpose()?,
                    traced: true,
                })
            })()
            .map_err(|e| self.malformed(&endpoint_of(*raw), e))?;
            if seen.insert(t.txid.clone()) {
                tx_index.insert(t.txid.clone(), t.tx_index);
                if t.status == Some(false) {
                    failed.insert(t.txid.clone());
                }
                txs.push((*raw, t));
            }
        }
        // Token transfers: their rows also name the transaction's position.
        let mut token_rows = Vec::new();
        for (raw, v) in lists.get(&Action::Token).into_iter().flatten() {
            let row: TokenRow = serde_json::from_value(v.clone())
                .map_err(|e| self.malformed(&endpoint_of(*raw), e.to_string()))?;
            let h = hash(&row.hash).map_err(|e| self.malformed(&endpoint_of(*raw), e))?;
            let idx: u32 = num("transactionIndex", &row.transaction_index)
                .map_err(|e| self.malformed(&endpoint_of(*raw), e))?;
            tx_index.entry(h).or_insert(idx);
            token_rows.push((*raw, row));
        }
        for (raw, t) in &txs {
            if t.status == Some(true) && t.value != "0" {
                fetch.transfers.push((
                    *raw,
                    AccountTransfer {
                        chain: chain.clone(),
                        txid: t.txid.clone(),
                        block_height: t.block_height,
                        block_time: t.block_time,
                        tx_index: t.tx_index,
                        log_index: None,
                        trace_index: 0,
                        kind: AccountTransferKind::Native,
                        from: t.from.clone(),
                        to: t.to.clone().unwrap_or_default(),
                        asset: self.chain.native_asset(),
                        amount: t.value.clone(),
                    },
                ));
            }
        }
        fetch.txs.extend(txs);
        // Internal value: successful frames only, numbered 1.. in trace order within each tx.
        let mut internal: BTreeMap<InternalKey, (usize, InternalRow)> = BTreeMap::new();
        for (raw, v) in lists.get(&Action::Internal).into_iter().flatten() {
            let row: InternalRow = serde_json::from_value(v.clone())
                .map_err(|e| self.malformed(&endpoint_of(*raw), e.to_string()))?;
            if row.is_error == "1" {
                continue;
            }
            let h = hash(&row.hash).map_err(|e| self.malformed(&endpoint_of(*raw), e))?;
            let key = (
                h,
                trace_path(&row.trace_id),
                row.from.to_ascii_lowercase(),
                row.to.to_ascii_lowercase(),
                row.value.clone(),
            );
            internal.entry(key).or_insert((*raw, row));
        }
        let mut ordinal: BTreeMap<String, u32> = BTreeMap::new();
        for ((h, _, _, _, _), (raw, row)) in internal {
            let t = (|| -> Result<Option<AccountTransfer>, String> {
                let amount = canonical_decimal(&row.value)?;
                let n = ordinal.entry(h.clone()).or_insert(0);
                *n += 1;
                if amount == "0" || failed.contains(&h) {
                    return Ok(None);
                }
                let to = if row.to.is_empty() {
                    addr("contractAddress", &row.contract_address)?
                } else {
                    addr("to", &row.to)?
                };
                Ok(Some(AccountTransfer {
                    chain: chain.clone(),
                    txid: h.clone(),
                    block_height: num("blockNumber", &row.block_number)?,
                    block_time: num("timeStamp", &row.time_stamp)?,
                    // txlistinternal does not name the transaction's position; it comes from the
                    // txlist or tokentx row of the same hash, else 0 (then only block order holds).
                    tx_index: tx_index.get(&h).copied().unwrap_or(0),
                    log_index: None,
                    trace_index: *n,
                    kind: AccountTransferKind::Internal,
                    from: addr("from", &row.from)?,
                    to,
                    asset: self.chain.native_asset(),
                    amount,
                }))
            })()
            .map_err(|e| self.malformed(&endpoint_of(raw), e))?;
            if let Some(t) = t {
                fetch.transfers.push((raw, t));
            }
        }
        // Token transfers, de-duplicated by (hash, log index); rows without a log index by
        // their whole content, counted per page so repeated identical transfers survive.
        let mut by_key: BTreeMap<TokenKey, (usize, TokenRow, u32)> = BTreeMap::new();
        let mut per_page: BTreeMap<(usize, String, String, String, String, String), u32> =
            BTreeMap::new();
        for (raw, row) in token_rows {
            let parsed = (|| -> Result<(String, Option<u32>), String> {
                Ok((
                    hash(&row.hash)?,
                    row.log_index
                        .as_deref()
                        .map(|l| num("logIndex", l))
                        .transpose()?,
                ))
            })()
            .map_err(|e| self.malformed(&endpoint_of(raw), e))?;
            let (h, log_index) = parsed;
            let content = (
                row.contract_address.to_ascii_lowercase(),
                row.from.to_ascii_lowercase(),
                row.to.to_ascii_lowercase(),
                row.value.clone(),
            );
            let occurrence = if log_index.is_some() {
                0
            } else {
                let c = per_page
                    .entry((
                        raw,
                        h.clone(),
                        content.0.clone(),
                        content.1.clone(),
                        content.2.clone(),
                        content.3.clone(),
                    ))
                    .or_insert(0);
                *c += 1;
                *c
            };
            let key = (h, log_index, content.0, content.1, content.2, content.3);
            match by_key.get_mut(&key) {
                Some(existing) => existing.2 = existing.2.max(occurrence),
                None => {
                    by_key.insert(key, (raw, row, occurrence));
                }
            }
        }
        let mut token_ordinal: BTreeMap<String, u32> = BTreeMap::new();
        let mut tokens: BTreeMap<String, (usize, EvmToken)> = BTreeMap::new();
        for ((h, log_index, ..), (raw, row, count)) in by_key {
            let made = (|| -> Result<Vec<AccountTransfer>, String> {
                let contract = addr("contractAddress", &row.contract_address)?;
                let decimals = row
                    .token_decimal
                    .as_deref()
                    .filter(|d| !d.is_empty())
                    .map(|d| num::<u32>("tokenDecimal", d))
                    .transpose()?;
                tokens.entry(contract.clone()).or_insert((
                    raw,
                    EvmToken {
                        chain: chain.clone(),
                        contract: contract.clone(),
                        symbol: row.token_symbol.clone().filter(|s| !s.is_empty()),
                        name: row.token_name.clone().filter(|s| !s.is_empty()),
                        decimals,
                    },
                ));
                let base = AccountTransfer {
                    chain: chain.clone(),
                    txid: h.clone(),
                    block_height: num("blockNumber", &row.block_number)?,
                    block_time: num("timeStamp", &row.time_stamp)?,
                    tx_index: num("transactionIndex", &row.transaction_index)?,
                    log_index,
                    trace_index: 0,
                    kind: AccountTransferKind::Token,
                    from: addr("from", &row.from)?,
                    to: addr("to", &row.to)?,
                    asset: self.chain.token_asset(&contract),
                    amount: canonical_decimal(&row.value)?,
                };
                let mut out = Vec::new();
                for _ in 0..count.max(1) {
                    let mut t = base.clone();
                    if log_index.is_none() {
                        // No log index from the API: number the transfers within the tx.
                        let n = token_ordinal.entry(h.clone()).or_insert(0);
                        t.trace_index = *n;
                        *n += 1;
                    }
                    out.push(t);
                }
                Ok(out)
            })()
            .map_err(|e| self.malformed(&endpoint_of(raw), e))?;
            fetch.transfers.extend(made.into_iter().map(|t| (raw, t)));
        }
        fetch.tokens.extend(tokens.into_values());
        fetch
            .transfers
            .sort_by(|a, b| (a.1.order_key(), &a.1.txid).cmp(&(b.1.order_key(), &b.1.txid)));
        Ok(())
    }
}
