-- The analyst's organisation of the canvas: named entities (compound nodes) and hidden nodes.
CREATE TABLE entity (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    category   TEXT NOT NULL,
    collapsed  INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
) STRICT;

-- A canvas node belongs to at most one entity.
CREATE TABLE entity_member (
    node_id   TEXT PRIMARY KEY REFERENCES canvas_node (node_id) ON DELETE CASCADE,
    entity_id INTEGER NOT NULL REFERENCES entity (id) ON DELETE CASCADE
) STRICT;

CREATE TABLE canvas_hidden (
    node_id TEXT PRIMARY KEY REFERENCES canvas_node (node_id) ON DELETE CASCADE
) STRICT;
