-- The canvas viewport (zoom and pan) the case was last looked at with, so it reopens on the
-- analyst's view. A view setting, not evidence: left out of the content hash.
CREATE TABLE canvas_viewport (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    zoom      REAL NOT NULL,
    pan_x     REAL NOT NULL,
    pan_y     REAL NOT NULL,
    saved_at  TEXT NOT NULL
) STRICT;
