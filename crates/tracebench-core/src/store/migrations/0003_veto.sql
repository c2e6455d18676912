-- The analyst's vetoes of clustering merges: a vetoed transaction contributes no merge at all
-- (multi-input or change) on every later clustering run. `addr_a`/`addr_b` are the two addresses
-- the analyst named (both were joined by that transaction when the veto was made); `created_utc`
-- is RFC 3339 UTC. Rows are only ever added.
CREATE TABLE veto (
    id          INTEGER PRIMARY KEY,
    chain       TEXT NOT NULL,
    txid        TEXT NOT NULL,
    addr_a      TEXT NOT NULL,
    addr_b      TEXT NOT NULL,
    reason      TEXT NOT NULL,
    created_utc TEXT NOT NULL
) STRICT;
CREATE INDEX veto_txid ON veto(chain, txid);
