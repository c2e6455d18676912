-- Fiat price series (schema 8). Each rate points at the raw response holding the exact imported
-- CSV file (source_id `prices:<sha256 prefix>`, endpoint `import:<file name>`) and names the file
-- line it came from. Rates are exact decimals kept as text (never floats); times are RFC 3339
-- UTC with their unix seconds for look-ups. One rate per (asset, currency, time) in a case, so
-- the daily close of a date is never ambiguous. Rows are only ever added.
CREATE TABLE price_rate (
    id        INTEGER PRIMARY KEY,
    raw_id    INTEGER NOT NULL REFERENCES raw_response(id),
    line      INTEGER NOT NULL,
    asset     TEXT NOT NULL,
    time_utc  TEXT NOT NULL,
    unix_time INTEGER NOT NULL,
    currency  TEXT NOT NULL,
    rate      TEXT NOT NULL,
    source    TEXT NOT NULL,
    UNIQUE (asset, currency, unix_time)
) STRICT;
