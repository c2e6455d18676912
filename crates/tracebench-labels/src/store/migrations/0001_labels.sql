-- Tracebench label store, schema 1.
CREATE TABLE store_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- A versioned set of labels from one source file (or one file of the built-in pack).
CREATE TABLE pack (
    pack_id      TEXT PRIMARY KEY,
    version      TEXT NOT NULL,
    format       TEXT NOT NULL,
    title        TEXT NOT NULL,
    source       TEXT NOT NULL,
    source_date  TEXT NOT NULL,
    licence      TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    builtin      INTEGER NOT NULL CHECK (builtin IN (0, 1)),
    imported_utc TEXT NOT NULL
);

-- Imported labels. Conflicting labels for one address are all kept, each with its source.
CREATE TABLE label (
    id           INTEGER PRIMARY KEY,
    pack_id      TEXT NOT NULL REFERENCES pack(pack_id) ON DELETE CASCADE,
    address      TEXT NOT NULL,
    match_key    TEXT NOT NULL,
    chain        TEXT NOT NULL,
    caip2        TEXT,
    label        TEXT NOT NULL,
    category     TEXT NOT NULL,
    source       TEXT NOT NULL,
    source_date  TEXT,
    confidence   INTEGER NOT NULL CHECK (confidence BETWEEN 0 AND 100),
    notes        TEXT NOT NULL,
    UNIQUE (match_key, chain, label, category, source)
);
CREATE INDEX label_pack ON label(pack_id);

-- Labels an analyst entered, kept apart from imported ones.
CREATE TABLE analyst_label (
    id           INTEGER PRIMARY KEY,
    address      TEXT NOT NULL,
    match_key    TEXT NOT NULL,
    chain        TEXT NOT NULL,
    caip2        TEXT,
    label        TEXT NOT NULL,
    category     TEXT NOT NULL,
    analyst      TEXT NOT NULL,
    confidence   INTEGER NOT NULL CHECK (confidence BETWEEN 0 AND 100),
    notes        TEXT NOT NULL,
    created_utc  TEXT NOT NULL
);
CREATE INDEX analyst_label_key ON analyst_label(match_key);
