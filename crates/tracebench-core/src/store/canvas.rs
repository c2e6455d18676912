//! Canvas state (which nodes are shown, where) and analyst notes.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::{Case, CaseError};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CanvasNode {
    pub node_id: String,
    pub x: Option<f64>,
    pub y: Option<f64>,
    /// Added directly by the analyst (a starting point), not by expansion.
    pub seed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub id: i64,
    pub target: String,
    pub text: String,
    pub created_at: String,
}

pub(crate) fn show(
    tx: &rusqlite::Connection,
    ids: &[String],
    seed: bool,
    now: &str,
) -> Result<(), CaseError> {
    for id in ids {
        tx.execute(
            "INSERT INTO canvas_node (node_id, x, y, seed, added_at) VALUES (?1, NULL, NULL, ?2, ?3)
             ON CONFLICT (node_id) DO UPDATE SET seed = MAX(seed, excluded.seed)",
            params![id, seed, now],
        )?;
    }
    Ok(())
}

impl Case {
    /// Shows nodes on the canvas (one transaction); already shown nodes keep their state,
    /// except that `seed` is raised when a node is added directly.
    pub fn show_nodes(&mut self, ids: &[String], seed: bool, now: &str) -> Result<(), CaseError> {
        self.write(|tx| show(tx, ids, seed, now))
    }

    pub fn canvas_nodes(&self) -> Result<Vec<CanvasNode>, CaseError> {
        let mut st = self
            .conn()
            .prepare("SELECT node_id, x, y, seed FROM canvas_node ORDER BY node_id")?;
        let rows = st.query_map([], |r| {
            Ok(CanvasNode {
                node_id: r.get(0)?,
                x: r.get(1)?,
                y: r.get(2)?,
                seed: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Saves node positions; unknown node ids are an error and nothing is saved.
    pub fn set_positions(&mut self, positions: &[(String, f64, f64)]) -> Result<(), CaseError> {
        self.write(|tx| {
            for (id, x, y) in positions {
                let n = tx.execute(
                    "UPDATE canvas_node SET x = ?2, y = ?3 WHERE node_id = ?1",
                    params![id, x, y],
                )?;
                if n == 0 {
                    return Err(CaseError::Missing {
                        what: "canvas node",
                        id: id.clone(),
                    });
                }
            }
            Ok(())
        })
    }

    pub fn add_note(&mut self, target: &str, text: &str, now: &str) -> Result<Note, CaseError> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO note (target, text, created_at) VALUES (?1, ?2, ?3)",
                params![target, text, now],
            )?;
            Ok(Note {
                id: tx.last_insert_rowid(),
                target: target.to_string(),
                text: text.to_string(),
                created_at: now.to_string(),
            })
        })
    }

    /// The notes not retracted, by id.
    pub fn notes(&self) -> Result<Vec<Note>, CaseError> {
        let mut st = self.conn().prepare(
            "SELECT id, target, text, created_at FROM note
                 WHERE id NOT IN (SELECT note_id FROM note_retraction) ORDER BY id",
        )?;
        let rows = st.query_map([], |r| {
            Ok(Note {
                id: r.get(0)?,
                target: r.get(1)?,
                text: r.get(2)?,
                created_at: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
