-- Audit log (schema 5): every analyst action, appended in the same transaction as the action.
-- Each entry chains to the one before: `hash` is the SHA-256 of a canonical encoding of
-- (seq, at_utc, user, action, detail, prev_hash) (see `store::audit`), and `prev_hash` is the
-- previous entry's `hash` (64 zeros for the first entry). `detail` is JSON. Rows are only ever
-- added; `tracebench case verify` recomputes the chain.
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at_utc    TEXT NOT NULL,
    user      TEXT NOT NULL,
    action    TEXT NOT NULL,
    detail    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
) STRICT;
