-- EVM (account-model) chains: transactions, value movements, token metadata and the logs that
-- were not decoded as ERC-20 transfers (with the reason). Amounts are decimal text (uint256).

CREATE TABLE evm_tx (
    chain        TEXT NOT NULL,
    txid         TEXT NOT NULL,
    block_height INTEGER NOT NULL,
    block_time   INTEGER NOT NULL,
    tx_index     INTEGER NOT NULL,
    from_addr    TEXT NOT NULL,
    to_addr      TEXT,
    value        TEXT NOT NULL,
    -- 1 succeeded, 0 failed (moved no value), NULL unknown (pre-Byzantium receipt, no trace).
    status       INTEGER,
    gas_used     INTEGER,
    gas_price    TEXT,
    -- 1 when internal value transfers were read from a trace (or Etherscan's internal list).
    traced       INTEGER NOT NULL,
    raw_id       INTEGER NOT NULL REFERENCES raw_response(id),
    PRIMARY KEY (chain, txid)
) STRICT;

-- One row per model::AccountTransfer; idx is the trace index (native, internal) or the log
-- index (token), so (chain, txid, kind, idx) de-duplicates what several sources report.
CREATE TABLE account_transfer (
    chain        TEXT NOT NULL,
    txid         TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('native', 'internal', 'token')),
    idx          INTEGER NOT NULL,
    block_height INTEGER NOT NULL,
    block_time   INTEGER NOT NULL,
    tx_index     INTEGER NOT NULL,
    log_index    INTEGER,
    trace_index  INTEGER NOT NULL,
    from_addr    TEXT NOT NULL,
    to_addr      TEXT NOT NULL,
    asset        TEXT NOT NULL,
    amount       TEXT NOT NULL,
    raw_id       INTEGER NOT NULL REFERENCES raw_response(id),
    PRIMARY KEY (chain, txid, kind, idx)
) STRICT;
CREATE INDEX account_transfer_from ON account_transfer(chain, from_addr);
CREATE INDEX account_transfer_to ON account_transfer(chain, to_addr);

CREATE TABLE evm_token (
    chain    TEXT NOT NULL,
    contract TEXT NOT NULL,
    symbol   TEXT,
    name     TEXT,
    decimals INTEGER,
    raw_id   INTEGER NOT NULL REFERENCES raw_response(id),
    PRIMARY KEY (chain, contract)
) STRICT;

CREATE TABLE evm_skipped_log (
    chain     TEXT NOT NULL,
    txid      TEXT NOT NULL,
    log_index INTEGER NOT NULL,
    reason    TEXT NOT NULL,
    raw_id    INTEGER NOT NULL REFERENCES raw_response(id),
    PRIMARY KEY (chain, txid, log_index)
) STRICT;
