//! The analyst's annotations: callouts placed on the canvas, storyboard steps (ordered, named
//! paths the report draws as numbered figures) and retractions of notes (migration 0009).
//!
//! Nothing here deletes a row: removing a callout or a step sets `removed_at`, and retracting a
//! note adds a `note_retraction` row, so undoing any of it is another recorded change.

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::{Case, CaseError};

/// A free-text box placed on the canvas.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Callout {
    pub id: i64,
    pub text: String,
    pub x: f64,
    pub y: f64,
    /// The canvas node it points at, if any.
    pub anchor: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// One step of the storyboard: a named path of nodes and edges, in path order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoryStep {
    pub id: i64,
    /// 1-based place among the steps not removed.
    pub position: i64,
    pub title: String,
    pub caption: String,
    pub nodes: Vec<String>,
    pub edges: Vec<String>,
    pub created_at: String,
}

fn ids_json(ids: &[String]) -> String {
    serde_json::Value::from(ids.to_vec()).to_string()
}

fn ids_from_json(text: &str, column: usize) -> rusqlite::Result<Vec<String>> {
    serde_json::from_str(text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn missing(what: &'static str, id: i64) -> CaseError {
    CaseError::Missing {
        what,
        id: id.to_string(),
    }
}

/// Ids of the steps not removed, by position.
fn live_steps(tx: &rusqlite::Transaction<'_>) -> Result<Vec<i64>, CaseError> {
    let mut st =
        tx.prepare("SELECT id FROM story_step WHERE removed_at IS NULL ORDER BY position, id")?;
    let rows = st.query_map([], |r| r.get::<_, i64>(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Writes positions 1..=n in the order of `ids`.
fn renumber(tx: &rusqlite::Transaction<'_>, ids: &[i64]) -> Result<(), CaseError> {
    for (i, id) in ids.iter().enumerate() {
        tx.execute(
            "UPDATE story_step SET position = ?2 WHERE id = ?1",
            params![id, i as i64 + 1],
        )?;
    }
    Ok(())
}

impl Case {
    /// Places a callout on the canvas.
    pub fn add_callout(
        &mut self,
        text: &str,
        (x, y): (f64, f64),
        anchor: Option<&str>,
        now: &str,
    ) -> Result<Callout, CaseError> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO callout (text, x, y, anchor, created_at, updated_at, removed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5, NULL)",
                params![text, x, y, anchor, now],
            )?;
            Ok(Callout {
                id: tx.last_insert_rowid(),
                text: text.to_string(),
                x,
                y,
                anchor: anchor.map(str::to_string),
                created_at: now.to_string(),
                updated_at: now.to_string(),
            })
        })
    }

    /// Changes the text of a callout on the canvas.
    pub fn edit_callout(&mut self, id: i64, text: &str, now: &str) -> Result<(), CaseError> {
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE callout SET text = ?2, updated_at = ?3 WHERE id = ?1 AND removed_at IS NULL",
                params![id, text, now],
            )?;
            if n == 0 {
                return Err(missing("callout", id));
            }
            Ok(())
        })
    }

    /// Moves a callout on the canvas.
    pub fn move_callout(
        &mut self,
        id: i64,
        (x, y): (f64, f64),
        now: &str,
    ) -> Result<(), CaseError> {
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE callout SET x = ?2, y = ?3, updated_at = ?4 WHERE id = ?1 AND removed_at IS NULL",
                params![id, x, y, now],
            )?;
            if n == 0 {
                return Err(missing("callout", id));
            }
            Ok(())
        })
    }

    /// Takes a callout off the canvas (`removed`) or puts a removed one back.
    pub fn set_callout_removed(
        &mut self,
        id: i64,
        removed: bool,
        now: &str,
    ) -> Result<(), CaseError> {
        self.write(|tx| {
            let n = if removed {
                tx.execute(
                    "UPDATE callout SET removed_at = ?2, updated_at = ?2 WHERE id = ?1 AND removed_at IS NULL",
                    params![id, now],
                )?
            } else {
                tx.execute(
                    "UPDATE callout SET removed_at = NULL, updated_at = ?2 WHERE id = ?1 AND removed_at IS NOT NULL",
                    params![id, now],
                )?
            };
            if n == 0 {
                return Err(missing(
                    if removed {
                        "callout"
                    } else {
                        "removed callout"
                    },
                    id,
                ));
            }
            Ok(())
        })
    }

    /// The callouts on the canvas, by id.
    pub fn callouts(&self) -> Result<Vec<Callout>, CaseError> {
        let mut st = self.conn().prepare(
            "SELECT id, text, x, y, anchor, created_at, updated_at FROM callout
             WHERE removed_at IS NULL ORDER BY id",
        )?;
        let rows = st.query_map([], |r| {
            Ok(Callout {
                id: r.get(0)?,
                text: r.get(1)?,
                x: r.get(2)?,
                y: r.get(3)?,
                anchor: r.get(4)?,
                created_at: r.get(5)?,
                updated_at: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Appends a story step after the last one.
    pub fn add_story_step(
        &mut self,
        title: &str,
        caption: &str,
        nodes: &[String],
        edges: &[String],
        now: &str,
    ) -> Result<i64, CaseError> {
        self.write(|tx| {
            let next = live_steps(tx)?.len() as i64 + 1;
            tx.execute(
                "INSERT INTO story_step (position, title, caption, nodes, edges, created_at, removed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL)",
                params![next, title, caption, ids_json(nodes), ids_json(edges), now],
            )?;
            Ok(tx.last_insert_rowid())
        })
    }

    /// Renames a story step and sets its caption.
    pub fn rename_story_step(
        &mut self,
        id: i64,
        title: &str,
        caption: &str,
    ) -> Result<(), CaseError> {
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE story_step SET title = ?2, caption = ?3 WHERE id = ?1 AND removed_at IS NULL",
                params![id, title, caption],
            )?;
            if n == 0 {
                return Err(missing("story step", id));
            }
            Ok(())
        })
    }

    /// Moves a story step to 1-based `to_position` (clamped to the steps there are); the
    /// others keep their order.
    pub fn move_story_step(&mut self, id: i64, to_position: i64) -> Result<(), CaseError> {
        self.write(|tx| {
            let mut order = live_steps(tx)?;
            let Some(from) = order.iter().position(|s| *s == id) else {
                return Err(missing("story step", id));
            };
            order.remove(from);
            let to = (to_position.max(1) as usize - 1).min(order.len());
            order.insert(to, id);
            renumber(tx, &order)
        })
    }

    /// Removes a story step (kept in the case with `removed_at`); the others close up.
    pub fn remove_story_step(&mut self, id: i64, now: &str) -> Result<(), CaseError> {
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE story_step SET removed_at = ?2 WHERE id = ?1 AND removed_at IS NULL",
                params![id, now],
            )?;
            if n == 0 {
                return Err(missing("story step", id));
            }
            renumber(tx, &live_steps(tx)?)
        })
    }

    /// Puts a removed story step back at 1-based `position` (clamped).
    pub fn restore_story_step(&mut self, id: i64, position: i64) -> Result<(), CaseError> {
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE story_step SET removed_at = NULL WHERE id = ?1 AND removed_at IS NOT NULL",
                params![id],
            )?;
            if n == 0 {
                return Err(missing("removed story step", id));
            }
            let mut order: Vec<i64> = live_steps(tx)?.into_iter().filter(|s| *s != id).collect();
            let to = (position.max(1) as usize - 1).min(order.len());
            order.insert(to, id);
            renumber(tx, &order)
        })
    }

    /// The story steps not removed, in story order.
    pub fn story_steps(&self) -> Result<Vec<StoryStep>, CaseError> {
        let mut st = self.conn().prepare(
            "SELECT id, position, title, caption, nodes, edges, created_at FROM story_step
             WHERE removed_at IS NULL ORDER BY position, id",
        )?;
        let rows = st.query_map([], |r| {
            Ok(StoryStep {
                id: r.get(0)?,
                position: r.get(1)?,
                title: r.get(2)?,
                caption: r.get(3)?,
                nodes: ids_from_json(&r.get::<_, String>(4)?, 4)?,
                edges: ids_from_json(&r.get::<_, String>(5)?, 5)?,
                created_at: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Retracts a note: it stays in the case, marked retracted, and is no longer shown or
    /// reported. A note can be retracted once.
    pub fn retract_note(&mut self, id: i64, now: &str) -> Result<(), CaseError> {
        self.write(|tx| {
            let live: Option<i64> = tx
                .query_row(
                    "SELECT id FROM note WHERE id = ?1
                     AND id NOT IN (SELECT note_id FROM note_retraction)",
                    params![id],
                    |r| r.get(0),
                )
                .optional()?;
            if live.is_none() {
                return Err(missing("note", id));
            }
            tx.execute(
                "INSERT INTO note_retraction (note_id, retracted_at) VALUES (?1, ?2)",
                params![id, now],
            )?;
            Ok(())
        })
    }
}
