-- Analyst annotations (schema 9): free-text callouts placed on the canvas, storyboard steps (a
-- named, ordered path of nodes and edges that the report draws as a numbered figure), and
-- retractions of notes. All of it is the analyst's work product, never data from a source.
-- Nothing is deleted: a removed callout or step keeps its row with `removed_at` set, and a
-- retracted note stays in `note` with a row here, so the case keeps what was once stated.
CREATE TABLE callout (
    id         INTEGER PRIMARY KEY,
    text       TEXT NOT NULL,
    x          REAL NOT NULL,
    y          REAL NOT NULL,
    -- The canvas node the callout points at, if any.
    anchor     TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    removed_at TEXT
) STRICT;

-- `position` is 1-based among the steps not removed; the path is two JSON arrays of ids in
-- path order (nodes `btc:addr:…`/`btc:tx:…`, edges `<source>><target>#<index>`).
CREATE TABLE story_step (
    id         INTEGER PRIMARY KEY,
    position   INTEGER NOT NULL,
    title      TEXT NOT NULL,
    caption    TEXT NOT NULL,
    nodes      TEXT NOT NULL,
    edges      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    removed_at TEXT
) STRICT;

CREATE TABLE note_retraction (
    note_id      INTEGER PRIMARY KEY REFERENCES note (id),
    retracted_at TEXT NOT NULL
) STRICT;
