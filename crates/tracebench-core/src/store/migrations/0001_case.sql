-- Tracebench case file, schema 1. Append-only: never edit a released migration, add a new one.

CREATE TABLE case_meta (
    singleton    INTEGER PRIMARY KEY CHECK (singleton = 1),
    case_id      TEXT NOT NULL,
    title        TEXT NOT NULL,
    investigator TEXT NOT NULL,
    agency       TEXT NOT NULL,
    created_utc  TEXT NOT NULL,
    chain        TEXT NOT NULL
) STRICT;

-- Every data source the case has drawn on; `synthetic` marks training data (tracebench-sim).
CREATE TABLE source (
    source_id      TEXT PRIMARY KEY,
    kind           TEXT NOT NULL,
    synthetic      INTEGER NOT NULL,
    first_used_utc TEXT NOT NULL
) STRICT;

-- The evidence: the exact bytes each source answered, with provenance.
CREATE TABLE raw_response (
    id           INTEGER PRIMARY KEY,
    source_id    TEXT NOT NULL REFERENCES source(source_id),
    endpoint     TEXT NOT NULL,
    request      TEXT NOT NULL,
    retrieved_at TEXT NOT NULL,
    status       INTEGER NOT NULL,
    content_type TEXT,
    sha256       TEXT NOT NULL,
    body         BLOB NOT NULL
) STRICT;

CREATE TABLE tx (
    chain        TEXT NOT NULL,
    txid         TEXT NOT NULL,
    version      INTEGER NOT NULL,
    locktime     INTEGER NOT NULL,
    size         INTEGER,
    weight       INTEGER,
    fee          INTEGER,
    block_height INTEGER,
    block_hash   TEXT,
    block_time   INTEGER,
    raw_id       INTEGER NOT NULL REFERENCES raw_response(id),
    PRIMARY KEY (chain, txid)
) STRICT;

CREATE TABLE tx_input (
    chain       TEXT NOT NULL,
    txid        TEXT NOT NULL,
    idx         INTEGER NOT NULL,
    prev_txid   TEXT,
    prev_vout   INTEGER,
    address     TEXT,
    value       INTEGER NOT NULL,
    is_coinbase INTEGER NOT NULL,
    raw_id      INTEGER NOT NULL REFERENCES raw_response(id),
    PRIMARY KEY (chain, txid, idx),
    FOREIGN KEY (chain, txid) REFERENCES tx(chain, txid)
) STRICT;
CREATE INDEX tx_input_address ON tx_input(chain, address);

CREATE TABLE tx_output (
    chain       TEXT NOT NULL,
    txid        TEXT NOT NULL,
    idx         INTEGER NOT NULL,
    address     TEXT,
    value       INTEGER NOT NULL,
    script_type TEXT NOT NULL,
    raw_id      INTEGER NOT NULL REFERENCES raw_response(id),
    PRIMARY KEY (chain, txid, idx),
    FOREIGN KEY (chain, txid) REFERENCES tx(chain, txid)
) STRICT;
CREATE INDEX tx_output_address ON tx_output(chain, address);

-- Chain-neutral value movements; UTXO inputs are addr→tx, outputs tx→addr.
CREATE TABLE transfer (
    chain    TEXT NOT NULL,
    txid     TEXT NOT NULL,
    kind     TEXT NOT NULL,
    idx      INTEGER NOT NULL,
    from_ref TEXT NOT NULL,
    to_ref   TEXT NOT NULL,
    asset    TEXT NOT NULL,
    amount   TEXT NOT NULL,
    raw_id   INTEGER NOT NULL REFERENCES raw_response(id),
    PRIMARY KEY (chain, txid, kind, idx)
) STRICT;
CREATE INDEX transfer_from ON transfer(from_ref);
CREATE INDEX transfer_to ON transfer(to_ref);

CREATE TABLE address (
    chain   TEXT NOT NULL,
    address TEXT NOT NULL,
    raw_id  INTEGER NOT NULL REFERENCES raw_response(id),
    PRIMARY KEY (chain, address)
) STRICT;

-- Which addresses had their transaction history fetched, and whether to the end.
CREATE TABLE address_history (
    chain      TEXT NOT NULL,
    address    TEXT NOT NULL,
    complete   INTEGER NOT NULL,
    tx_count   INTEGER NOT NULL,
    fetched_at TEXT NOT NULL,
    PRIMARY KEY (chain, address)
) STRICT;

-- What the canvas shows: node ids (btc:addr:…, btc:tx:…) with saved positions.
CREATE TABLE canvas_node (
    node_id  TEXT PRIMARY KEY,
    x        REAL,
    y        REAL,
    seed     INTEGER NOT NULL,
    added_at TEXT NOT NULL
) STRICT;

CREATE TABLE note (
    id         INTEGER PRIMARY KEY,
    target     TEXT NOT NULL,
    text       TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
