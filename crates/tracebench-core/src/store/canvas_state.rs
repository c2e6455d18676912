//! The analyst's organisation of the canvas: entities (named groups of nodes with a category,
//! drawn as compound nodes, collapsible), hidden nodes, and removing nodes from the canvas.

use std::collections::BTreeSet;

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::{Case, CaseError};

/// A named group of canvas nodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    pub id: i64,
    pub name: String,
    pub category: String,
    pub collapsed: bool,
    pub created_at: String,
    /// Member node ids, sorted.
    pub members: Vec<String>,
}

fn on_canvas(tx: &rusqlite::Transaction<'_>, id: &str) -> Result<bool, CaseError> {
    Ok(tx
        .query_row(
            "SELECT 1 FROM canvas_node WHERE node_id = ?1",
            params![id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

fn require_on_canvas(tx: &rusqlite::Transaction<'_>, ids: &[String]) -> Result<(), CaseError> {
    for id in ids {
        if !on_canvas(tx, id)? {
            return Err(CaseError::Missing {
                what: "canvas node",
                id: id.clone(),
            });
        }
    }
    Ok(())
}

impl Case {
    /// Creates an entity of `members` (each on the canvas); a member leaves any entity it was in.
    /// Entities left without members are removed. Returns the new entity's id.
    pub fn create_entity(
        &mut self,
        name: &str,
        category: &str,
        members: &[String],
        now: &str,
    ) -> Result<i64, CaseError> {
        self.write(|tx| {
            require_on_canvas(tx, members)?;
            tx.execute(
                "INSERT INTO entity (name, category, collapsed, created_at) VALUES (?1, ?2, 0, ?3)",
                params![name, category, now],
            )?;
            let id = tx.last_insert_rowid();
            for m in members {
                tx.execute(
                    "INSERT INTO entity_member (node_id, entity_id) VALUES (?1, ?2)
                     ON CONFLICT (node_id) DO UPDATE SET entity_id = excluded.entity_id",
                    params![m, id],
                )?;
            }
            tx.execute(
                "DELETE FROM entity WHERE id NOT IN (SELECT entity_id FROM entity_member)",
                [],
            )?;
            Ok(id)
        })
    }

    /// Collapses (members drawn as one node) or expands an entity.
    pub fn set_entity_collapsed(&mut self, id: i64, collapsed: bool) -> Result<(), CaseError> {
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE entity SET collapsed = ?2 WHERE id = ?1",
                params![id, collapsed],
            )?;
            if n == 0 {
                return Err(CaseError::Missing {
                    what: "entity",
                    id: format!("entity:{id}"),
                });
            }
            Ok(())
        })
    }

    /// Dissolves an entity; its members stay on the canvas.
    pub fn dissolve_entity(&mut self, id: i64) -> Result<(), CaseError> {
        self.write(|tx| {
            let n = tx.execute("DELETE FROM entity WHERE id = ?1", params![id])?;
            if n == 0 {
                return Err(CaseError::Missing {
                    what: "entity",
                    id: format!("entity:{id}"),
                });
            }
            Ok(())
        })
    }

    /// Every entity with its members, by id.
    pub fn entities(&self) -> Result<Vec<Entity>, CaseError> {
        let mut st = self
            .conn()
            .prepare("SELECT id, name, category, collapsed, created_at FROM entity ORDER BY id")?;
        let mut entities = st
            .query_map([], |r| {
                Ok(Entity {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    category: r.get(2)?,
                    collapsed: r.get(3)?,
                    created_at: r.get(4)?,
                    members: Vec::new(),
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut st = self
            .conn()
            .prepare("SELECT entity_id, node_id FROM entity_member ORDER BY entity_id, node_id")?;
        let rows = st
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        for (entity_id, node_id) in rows {
            if let Some(e) = entities.iter_mut().find(|e| e.id == entity_id) {
                e.members.push(node_id);
            }
        }
        Ok(entities)
    }

    /// Hides (or shows again) canvas nodes; nothing changes if any id is not on the canvas.
    pub fn set_hidden(&mut self, ids: &[String], hidden: bool) -> Result<(), CaseError> {
        self.write(|tx| {
            require_on_canvas(tx, ids)?;
            for id in ids {
                if hidden {
                    tx.execute(
                        "INSERT OR IGNORE INTO canvas_hidden (node_id) VALUES (?1)",
                        params![id],
                    )?;
                } else {
                    tx.execute("DELETE FROM canvas_hidden WHERE node_id = ?1", params![id])?;
                }
            }
            Ok(())
        })
    }

    /// Shows every hidden node again.
    pub fn unhide_all(&mut self) -> Result<(), CaseError> {
        self.write(|tx| {
            tx.execute("DELETE FROM canvas_hidden", [])?;
            Ok(())
        })
    }

    /// Hidden canvas node ids.
    pub fn hidden_nodes(&self) -> Result<BTreeSet<String>, CaseError> {
        let mut st = self.conn().prepare("SELECT node_id FROM canvas_hidden")?;
        let rows = st.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Removes nodes from the canvas (their transactions and the notes stay in the case);
    /// nothing changes if any id is not on the canvas. Emptied entities are removed.
    pub fn remove_nodes(&mut self, ids: &[String]) -> Result<(), CaseError> {
        self.write(|tx| {
            require_on_canvas(tx, ids)?;
            for id in ids {
                tx.execute("DELETE FROM canvas_node WHERE node_id = ?1", params![id])?;
            }
            tx.execute(
                "DELETE FROM entity WHERE id NOT IN (SELECT entity_id FROM entity_member)",
                [],
            )?;
            Ok(())
        })
    }
}
