-- Attribution (schema 4).
-- `label_pack_use`: which label-pack versions the case was screened against, so a report can
-- name the lists it was checked against. A (pack, version) pair is recorded once, with the
-- first time it was used (RFC 3339 UTC). Rows are only ever added.
CREATE TABLE label_pack_use (
    pack_id        TEXT NOT NULL,
    version        TEXT NOT NULL,
    first_used_utc TEXT NOT NULL,
    PRIMARY KEY (pack_id, version)
) STRICT;

-- `exchange_record`: an exchange's answer to a law-enforcement request (deposits and
-- withdrawals), off-chain evidence. Each row points at the raw response holding the exact
-- imported file (source_id `exchange:<source>`, endpoint `import:<file name>`) and names the
-- file line it came from. Amounts are integer satoshi; times RFC 3339 UTC.
CREATE TABLE exchange_record (
    id         INTEGER PRIMARY KEY,
    raw_id     INTEGER NOT NULL REFERENCES raw_response(id),
    line       INTEGER NOT NULL,
    source     TEXT NOT NULL,
    account_id TEXT NOT NULL,
    address    TEXT NOT NULL,
    txid       TEXT NOT NULL,
    amount_sat INTEGER NOT NULL CHECK (amount_sat >= 0),
    time_utc   TEXT NOT NULL,
    direction  TEXT NOT NULL CHECK (direction IN ('deposit', 'withdrawal'))
) STRICT;
CREATE INDEX exchange_record_address ON exchange_record(address);
CREATE INDEX exchange_record_txid ON exchange_record(txid);
