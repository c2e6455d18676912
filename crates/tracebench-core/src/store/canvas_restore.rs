//! Putting canvas nodes back as they were (the inverse of removing, grouping, dissolving and
//! adding): on the canvas at a position, in an entity or in none, hidden or shown; and the saved
//! viewport (zoom and pan) of the canvas.

use std::collections::BTreeMap;

use rusqlite::{params, OptionalExtension};

use super::{Case, CaseError};

/// The entity a restored node belongs to, as it was when the node was taken off or regrouped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityState {
    /// The entity's number (`entity:<n>`) at that time.
    pub id: i64,
    pub name: String,
    pub category: String,
    pub collapsed: bool,
}

/// One node as it should be on the canvas.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeState {
    pub node_id: String,
    pub x: f64,
    pub y: f64,
    /// Added directly by the analyst (a starting point), not by expansion.
    pub seed: bool,
    pub hidden: bool,
    pub entity: Option<EntityState>,
}

/// A saved canvas viewport: zoom level and pan (pixels), as Cytoscape reports them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ViewportState {
    pub zoom: f64,
    pub pan_x: f64,
    pub pan_y: f64,
}

/// The entity row that `state` should go into: the same entity when it still exists under its
/// number with the same name and category, else a re-created one (under its old number when
/// that is free, else a new number).
fn entity_for(
    tx: &rusqlite::Transaction<'_>,
    state: &EntityState,
    now: &str,
) -> Result<i64, CaseError> {
    let existing: Option<(String, String)> = tx
        .query_row(
            "SELECT name, category FROM entity WHERE id = ?1",
            params![state.id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match existing {
        Some((name, category)) if name == state.name && category == state.category => {
            tx.execute(
                "UPDATE entity SET collapsed = ?2 WHERE id = ?1",
                params![state.id, state.collapsed],
            )?;
            Ok(state.id)
        }
        Some(_) => {
            tx.execute(
                "INSERT INTO entity (name, category, collapsed, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![state.name, state.category, state.collapsed, now],
            )?;
            Ok(tx.last_insert_rowid())
        }
        None => {
            tx.execute(
                "INSERT INTO entity (id, name, category, collapsed, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![state.id, state.name, state.category, state.collapsed, now],
            )?;
            Ok(state.id)
        }
    }
}

impl Case {
    /// Puts `nodes` on the canvas as described (a node already shown is moved, regrouped and
    /// hidden or shown to match), in one transaction. Entities left without members are removed.
    /// Returns, per entity number asked for, the number it has now.
    pub fn restore_nodes(
        &mut self,
        nodes: &[NodeState],
        now: &str,
    ) -> Result<BTreeMap<i64, i64>, CaseError> {
        self.write(|tx| {
            let mut entities: BTreeMap<i64, i64> = BTreeMap::new();
            for n in nodes {
                tx.execute(
                    "INSERT INTO canvas_node (node_id, x, y, seed, added_at) VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (node_id) DO UPDATE SET x = excluded.x, y = excluded.y,
                         seed = MAX(seed, excluded.seed)",
                    params![n.node_id, n.x, n.y, n.seed, now],
                )?;
                if n.hidden {
                    tx.execute(
                        "INSERT OR IGNORE INTO canvas_hidden (node_id) VALUES (?1)",
                        params![n.node_id],
                    )?;
                } else {
                    tx.execute(
                        "DELETE FROM canvas_hidden WHERE node_id = ?1",
                        params![n.node_id],
                    )?;
                }
                match &n.entity {
                    None => {
                        tx.execute(
                            "DELETE FROM entity_member WHERE node_id = ?1",
                            params![n.node_id],
                        )?;
                    }
                    Some(state) => {
                        let id = match entities.get(&state.id) {
                            Some(id) => *id,
                            None => {
                                let id = entity_for(tx, state, now)?;
                                entities.insert(state.id, id);
                                id
                            }
                        };
                        tx.execute(
                            "INSERT INTO entity_member (node_id, entity_id) VALUES (?1, ?2)
                             ON CONFLICT (node_id) DO UPDATE SET entity_id = excluded.entity_id",
                            params![n.node_id, id],
                        )?;
                    }
                }
            }
            tx.execute(
                "DELETE FROM entity WHERE id NOT IN (SELECT entity_id FROM entity_member)",
                [],
            )?;
            Ok(entities)
        })
    }

    /// Saves the canvas viewport (replacing the one saved before).
    pub fn set_viewport(&mut self, view: ViewportState, now: &str) -> Result<(), CaseError> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO canvas_viewport (singleton, zoom, pan_x, pan_y, saved_at)
                 VALUES (1, ?1, ?2, ?3, ?4)
                 ON CONFLICT (singleton) DO UPDATE SET zoom = excluded.zoom,
                     pan_x = excluded.pan_x, pan_y = excluded.pan_y, saved_at = excluded.saved_at",
                params![view.zoom, view.pan_x, view.pan_y, now],
            )?;
            Ok(())
        })
    }

    /// The saved canvas viewport, if one was saved.
    pub fn viewport(&self) -> Result<Option<ViewportState>, CaseError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT zoom, pan_x, pan_y FROM canvas_viewport WHERE singleton = 1",
                [],
                |r| {
                    Ok(ViewportState {
                        zoom: r.get(0)?,
                        pan_x: r.get(1)?,
                        pan_y: r.get(2)?,
                    })
                },
            )
            .optional()?)
    }
}
