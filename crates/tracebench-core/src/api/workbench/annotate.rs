//! Annotating the canvas: callouts (free text placed on the canvas), notes on edges, retracting
//! a note, and the storyboard (named, ordered paths that the report draws as numbered figures).
//!
//! Every change is validated before anything is written and is one audited SQLite transaction,
//! so a refused change leaves the case exactly as it was. Nothing is deleted: a removed callout
//! or step stays in the case marked removed, a retracted note stays marked retracted, and each
//! of those changes, like its undo, is in the audit log.

use chrono::{DateTime, Utc};

use super::Workbench;
use crate::api::annotation::{story_path, Annotated, StoryStepView};
use crate::api::dto::{GraphView, NoteView};
use crate::api::ApiError;
use crate::source::rfc3339;

/// Longest callout or caption, in characters.
pub const MAX_ANNOTATION_TEXT: usize = 2000;
/// Longest story step title, in characters.
pub const MAX_STEP_TITLE: usize = 120;

/// The trimmed text, or why it is refused.
fn text<'a>(value: &'a str, what: &str, max: usize) -> Result<&'a str, ApiError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(ApiError::Canvas(format!("the {what} is empty")));
    }
    if value.chars().count() > max {
        return Err(ApiError::Canvas(format!(
            "the {what} is longer than {max} characters"
        )));
    }
    Ok(value)
}

fn position(x: f64, y: f64) -> Result<(f64, f64), ApiError> {
    if !x.is_finite() || !y.is_finite() {
        return Err(ApiError::Canvas(format!(
            "the callout position ({x}, {y}) is not a pair of finite numbers"
        )));
    }
    Ok((x, y))
}

impl Workbench {
    fn require_callout(&self, id: i64) -> Result<(), ApiError> {
        if self.case.callouts()?.iter().any(|c| c.id == id) {
            Ok(())
        } else {
            Err(ApiError::NotFound {
                what: "callout",
                id: id.to_string(),
            })
        }
    }

    fn require_step(&self, id: i64) -> Result<usize, ApiError> {
        let steps = self.case.story_steps()?;
        if steps.iter().any(|s| s.id == id) {
            Ok(steps.len())
        } else {
            Err(ApiError::NotFound {
                what: "story step",
                id: id.to_string(),
            })
        }
    }

    /// Places a free-text callout on the canvas at (`x`, `y`), optionally pointing at a node.
    pub fn add_callout(
        &mut self,
        callout: &str,
        x: f64,
        y: f64,
        anchor: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Annotated, ApiError> {
        let callout = text(callout, "callout text", MAX_ANNOTATION_TEXT)?;
        let at = position(x, y)?;
        if let Some(anchor) = anchor {
            if !self
                .case
                .canvas_nodes()?
                .iter()
                .any(|n| n.node_id == anchor)
            {
                return Err(ApiError::NotFound {
                    what: "canvas node",
                    id: anchor.to_string(),
                });
            }
        }
        let action = self.action(
            "callout",
            serde_json::json!({"text": callout, "x": x, "y": y, "anchor": anchor}),
            now,
        );
        let stamp = rfc3339(now);
        let added = self
            .case
            .audited(action, |c| c.add_callout(callout, at, anchor, &stamp))?;
        Ok(Annotated {
            id: added.id,
            graph: self.graph()?,
        })
    }

    /// Changes a callout's text.
    pub fn edit_callout(
        &mut self,
        id: i64,
        callout: &str,
        now: DateTime<Utc>,
    ) -> Result<GraphView, ApiError> {
        let callout = text(callout, "callout text", MAX_ANNOTATION_TEXT)?;
        self.require_callout(id)?;
        let action = self.action(
            "callout-edit",
            serde_json::json!({"callout": id, "text": callout}),
            now,
        );
        let stamp = rfc3339(now);
        self.case
            .audited(action, |c| c.edit_callout(id, callout, &stamp))?;
        self.graph()
    }

    /// Moves a callout on the canvas.
    pub fn move_callout(
        &mut self,
        id: i64,
        x: f64,
        y: f64,
        now: DateTime<Utc>,
    ) -> Result<GraphView, ApiError> {
        let at = position(x, y)?;
        self.require_callout(id)?;
        let action = self.action(
            "callout-move",
            serde_json::json!({"callout": id, "x": x, "y": y}),
            now,
        );
        let stamp = rfc3339(now);
        self.case
            .audited(action, |c| c.move_callout(id, at, &stamp))?;
        self.graph()
    }

    /// Takes a callout off the canvas (`removed`), or puts a removed one back.
    pub fn set_callout_removed(
        &mut self,
        id: i64,
        removed: bool,
        now: DateTime<Utc>,
    ) -> Result<GraphView, ApiError> {
        if removed {
            self.require_callout(id)?;
        }
        let action = self.action(
            if removed {
                "callout-remove"
            } else {
                "callout-restore"
            },
            serde_json::json!({"callout": id}),
            now,
        );
        let stamp = rfc3339(now);
        self.case
            .audited(action, |c| c.set_callout_removed(id, removed, &stamp))?;
        self.graph()
    }

    /// Attaches an analyst note to an edge of the case's graph (`<source>><target>#<index>`).
    pub fn add_edge_note(
        &mut self,
        edge_id: &str,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<NoteView, ApiError> {
        if note.trim().is_empty() {
            return Err(crate::address::InputError::Empty.into());
        }
        let v = crate::api::view::visible(&self.case)?;
        let exists = v.graph.edges().into_iter().any(|(from, to, flow)| {
            format!(
                "{}>{}#{}",
                v.graph.node_ref(from).id(),
                v.graph.node_ref(to).id(),
                flow.index
            ) == edge_id
        });
        if !exists {
            return Err(ApiError::NotFound {
                what: "edge",
                id: edge_id.to_string(),
            });
        }
        let action = self.action(
            "note",
            serde_json::json!({"target": edge_id, "text": note}),
            now,
        );
        let n = self
            .case
            .audited(action, |c| c.add_note(edge_id, note, &rfc3339(now)))?;
        Ok(NoteView {
            id: n.id,
            target: n.target,
            text: n.text,
            created_at: n.created_at,
        })
    }

    /// Retracts a note (how "add note" is undone): the note stays in the case, marked
    /// retracted with the time, and is no longer shown or reported.
    pub fn retract_note(
        &mut self,
        note_id: i64,
        now: DateTime<Utc>,
    ) -> Result<GraphView, ApiError> {
        let Some(note) = self.case.notes()?.into_iter().find(|n| n.id == note_id) else {
            return Err(ApiError::NotFound {
                what: "note",
                id: note_id.to_string(),
            });
        };
        let action = self.action(
            "note-retract",
            serde_json::json!({"note": note_id, "target": note.target}),
            now,
        );
        let stamp = rfc3339(now);
        self.case
            .audited(action, |c| c.retract_note(note_id, &stamp))?;
        self.graph()
    }

    /// The storyboard's steps, in story order.
    pub fn story_steps(&self) -> Result<Vec<StoryStepView>, ApiError> {
        Ok(self
            .case
            .story_steps()?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Appends a story step: a title, a caption (may be empty) and the path it highlights,
    /// from the selected nodes and edges (see [`story_path`]).
    pub fn add_story_step(
        &mut self,
        title: &str,
        caption: &str,
        nodes: &[String],
        edges: &[String],
        now: DateTime<Utc>,
    ) -> Result<Annotated, ApiError> {
        let title = text(title, "story step title", MAX_STEP_TITLE)?;
        let caption = caption.trim();
        if caption.chars().count() > MAX_ANNOTATION_TEXT {
            return Err(ApiError::Canvas(format!(
                "the story step caption is longer than {MAX_ANNOTATION_TEXT} characters"
            )));
        }
        let (nodes, edges) = story_path(&self.graph()?, nodes, edges)?;
        let action = self.action(
            "story-step",
            serde_json::json!({"title": title, "caption": caption, "nodes": nodes, "edges": edges}),
            now,
        );
        let stamp = rfc3339(now);
        let id = self.case.audited(action, |c| {
            c.add_story_step(title, caption, &nodes, &edges, &stamp)
        })?;
        Ok(Annotated {
            id,
            graph: self.graph()?,
        })
    }

    /// Renames a story step and sets its caption.
    pub fn rename_story_step(
        &mut self,
        id: i64,
        title: &str,
        caption: &str,
        now: DateTime<Utc>,
    ) -> Result<GraphView, ApiError> {
        let title = text(title, "story step title", MAX_STEP_TITLE)?;
        let caption = caption.trim();
        if caption.chars().count() > MAX_ANNOTATION_TEXT {
            return Err(ApiError::Canvas(format!(
                "the story step caption is longer than {MAX_ANNOTATION_TEXT} characters"
            )));
        }
        self.require_step(id)?;
        let action = self.action(
            "story-step-rename",
            serde_json::json!({"step": id, "title": title, "caption": caption}),
            now,
        );
        self.case
            .audited(action, |c| c.rename_story_step(id, title, caption))?;
        self.graph()
    }

    /// Moves a story step to 1-based `to_position`; the other steps keep their order.
    pub fn move_story_step(
        &mut self,
        id: i64,
        to_position: i64,
        now: DateTime<Utc>,
    ) -> Result<GraphView, ApiError> {
        let count = self.require_step(id)?;
        if to_position < 1 || to_position > count as i64 {
            return Err(ApiError::Canvas(format!(
                "story position {to_position} is outside 1..={count}"
            )));
        }
        let action = self.action(
            "story-step-move",
            serde_json::json!({"step": id, "to": to_position}),
            now,
        );
        self.case
            .audited(action, |c| c.move_story_step(id, to_position))?;
        self.graph()
    }

    /// Removes a story step (kept in the case, marked removed); the others close up.
    pub fn remove_story_step(
        &mut self,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<GraphView, ApiError> {
        self.require_step(id)?;
        let action = self.action("story-step-remove", serde_json::json!({"step": id}), now);
        let stamp = rfc3339(now);
        self.case
            .audited(action, |c| c.remove_story_step(id, &stamp))?;
        self.graph()
    }

    /// Puts a removed story step back at 1-based `position` (how a removal is undone).
    pub fn restore_story_step(
        &mut self,
        id: i64,
        position: i64,
        now: DateTime<Utc>,
    ) -> Result<GraphView, ApiError> {
        let count = self.case.story_steps()?.len() as i64;
        if position < 1 || position > count + 1 {
            return Err(ApiError::Canvas(format!(
                "story position {position} is outside 1..={}",
                count + 1
            )));
        }
        let action = self.action(
            "story-step-restore",
            serde_json::json!({"step": id, "to": position}),
            now,
        );
        self.case
            .audited(action, |c| c.restore_story_step(id, position))?;
        self.graph()
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use crate::api::view::tests::{address_ids as addresses, demo_case};
    use crate::api::{GraphView, Workbench};

    fn now() -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 9, 30, 0).unwrap()
    }

    /// Two edges sharing a node: a connected path of two steps.
    fn two_edge_path(g: &GraphView) -> Vec<String> {
        for a in &g.edges {
            if let Some(b) = g.edges.iter().find(|b| b.source == a.target) {
                return vec![a.id.clone(), b.id.clone()];
            }
        }
        panic!("the demo graph has a path of two edges");
    }

    #[test]
    fn a_callout_is_placed_edited_moved_removed_and_restored_and_survives_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let (mut wb, seed) = demo_case(dir.path());
        let hash_before = wb.case().content_hash().unwrap().sha256;
        let added = wb
            .add_callout("  Funds split here  ", 120.5, -40.0, Some(&seed), now())
            .unwrap();
        let c = &added.graph.callouts;
        assert_eq!(c.len(), 1, "the new callout is in the graph view");
        assert_eq!(c[0].id, added.id, "the returned id is the callout's");
        assert_eq!(c[0].text, "Funds split here", "the text is stored trimmed");
        assert_eq!((c[0].x, c[0].y), (120.5, -40.0), "the position is stored");
        assert_eq!(
            c[0].anchor.as_deref(),
            Some(seed.as_str()),
            "the anchor is kept"
        );
        assert_ne!(
            wb.case().content_hash().unwrap().sha256,
            hash_before,
            "a callout is analyst work product: it changes the content hash"
        );
        let g = wb
            .edit_callout(added.id, "Split into three", now())
            .unwrap();
        assert_eq!(
            g.callouts[0].text, "Split into three",
            "the text was edited"
        );
        let g = wb.move_callout(added.id, 10.0, 20.0, now()).unwrap();
        assert_eq!((g.callouts[0].x, g.callouts[0].y), (10.0, 20.0), "moved");
        let g = wb.set_callout_removed(added.id, true, now()).unwrap();
        assert!(g.callouts.is_empty(), "a removed callout leaves the canvas");
        assert_eq!(
            wb.case().content_hash().unwrap().rows["callout"],
            1,
            "a removed callout stays in the case file"
        );
        let g = wb.set_callout_removed(added.id, false, now()).unwrap();
        assert_eq!(g.callouts.len(), 1, "restoring puts the callout back");

        let path = wb.case().path().to_path_buf();
        drop(wb);
        let wb = Workbench::open(&path, None).unwrap();
        let g = wb.graph().unwrap();
        assert_eq!(
            g.callouts.len(),
            1,
            "the callout is stored in the case file"
        );
        assert_eq!(
            (
                g.callouts[0].text.as_str(),
                g.callouts[0].x,
                g.callouts[0].y
            ),
            ("Split into three", 10.0, 20.0),
            "its text and position survive reopening"
        );
        let actions: Vec<String> = wb
            .audit_log()
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .filter(|a| a.starts_with("callout"))
            .collect();
        assert_eq!(
            actions,
            vec![
                "callout",
                "callout-edit",
                "callout-move",
                "callout-remove",
                "callout-restore"
            ],
            "every callout action is audited, in order"
        );
    }

    #[test]
    fn a_note_on_an_edge_is_shown_on_the_edge_and_a_retraction_keeps_it_in_the_case() {
        let dir = tempfile::tempdir().unwrap();
        let (mut wb, _) = demo_case(dir.path());
        let edge = wb.graph().unwrap().edges[0].id.clone();
        let note = wb
            .add_edge_note(&edge, "Looks like the payout", now())
            .unwrap();
        assert_eq!(note.target, edge, "the note targets the edge");
        let g = wb.graph().unwrap();
        let on_edge = &g.edges.iter().find(|e| e.id == edge).unwrap().notes;
        assert_eq!(on_edge.len(), 1, "the edge carries its note");
        assert_eq!(on_edge[0].text, "Looks like the payout", "exact text");
        assert!(
            g.nodes.iter().all(|n| n.notes.is_empty()),
            "an edge note is on no node"
        );

        let g = wb.retract_note(note.id, now()).unwrap();
        let on_edge = &g.edges.iter().find(|e| e.id == edge).unwrap().notes;
        assert!(on_edge.is_empty(), "a retracted note is no longer shown");
        let rows = wb.case().content_hash().unwrap().rows;
        assert_eq!(rows["note"], 1, "the retracted note stays in the case");
        assert_eq!(rows["note_retraction"], 1, "the retraction is recorded");
        let err = wb.retract_note(note.id, now()).unwrap_err();
        assert_eq!(err.code(), "not_found", "a note is retracted once: {err}");
        let log = wb.audit_log().unwrap();
        assert!(
            log.iter()
                .any(|e| e.action == "note-retract" && e.detail.contains(&edge)),
            "the retraction is audited with its target"
        );
    }

    #[test]
    fn story_steps_are_added_from_a_selection_ordered_renamed_removed_and_restored() {
        let dir = tempfile::tempdir().unwrap();
        let (mut wb, _) = demo_case(dir.path());
        let g = wb.graph().unwrap();
        let path = two_edge_path(&g);
        let first = wb
            .add_story_step(" Ransom paid ", "The victim pays.", &[], &path, now())
            .unwrap();
        let step = &first.graph.story[0];
        assert_eq!(step.title, "Ransom paid", "the title is stored trimmed");
        assert_eq!(step.position, 1, "the first step is step 1");
        assert_eq!(
            step.edges, path,
            "the selected edges are the path, in order"
        );
        let e0 = g.edges.iter().find(|e| e.id == path[0]).unwrap();
        let e1 = g.edges.iter().find(|e| e.id == path[1]).unwrap();
        assert_eq!(
            step.nodes,
            vec![e0.source.clone(), e0.target.clone(), e1.target.clone()],
            "the path's nodes are the edges' endpoints in path order"
        );
        // Only nodes selected: the canvas edges between them make the path.
        let nodes = vec![e0.source.clone(), e0.target.clone()];
        let second = wb
            .add_story_step("First hop", "", &nodes, &[], now())
            .unwrap();
        let step = second
            .graph
            .story
            .iter()
            .find(|s| s.id == second.id)
            .unwrap();
        assert!(
            step.edges.contains(&e0.id),
            "the edge between the selected nodes joins the path"
        );
        assert_eq!(step.position, 2, "a new step goes last");

        let g = wb.move_story_step(second.id, 1, now()).unwrap();
        let order: Vec<i64> = g.story.iter().map(|s| s.id).collect();
        assert_eq!(order, vec![second.id, first.id], "moved to the front");
        let g = wb
            .rename_story_step(first.id, "Laundering", "Peeled off.", now())
            .unwrap();
        let renamed = g.story.iter().find(|s| s.id == first.id).unwrap();
        assert_eq!(
            (renamed.title.as_str(), renamed.caption.as_str()),
            ("Laundering", "Peeled off."),
            "title and caption changed"
        );
        let g = wb.remove_story_step(second.id, now()).unwrap();
        assert_eq!(g.story.len(), 1, "the removed step left the story");
        assert_eq!(g.story[0].position, 1, "the others close up");
        let g = wb.restore_story_step(second.id, 1, now()).unwrap();
        let order: Vec<(i64, i64)> = g.story.iter().map(|s| (s.id, s.position)).collect();
        assert_eq!(
            order,
            vec![(second.id, 1), (first.id, 2)],
            "restoring puts the step back where it was"
        );
        let case_path = wb.case().path().to_path_buf();
        drop(wb);
        let wb = Workbench::open(&case_path, None).unwrap();
        let titles: Vec<String> = wb
            .story_steps()
            .unwrap()
            .into_iter()
            .map(|s| s.title)
            .collect();
        assert_eq!(
            titles,
            vec!["First hop", "Laundering"],
            "the story and its order are stored in the case file"
        );
    }

    #[test]
    fn bad_annotations_are_refused_with_the_reason_and_change_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (mut wb, seed) = demo_case(dir.path());
        let g = wb.graph().unwrap();
        let path = two_edge_path(&g);
        let step = wb.add_story_step("Kept", "", &[], &path, now()).unwrap();
        let callout = wb.add_callout("Kept", 0.0, 0.0, None, now()).unwrap();
        let before = wb.graph().unwrap();
        let hash_before = wb.case().content_hash().unwrap().sha256;
        let audit_before = wb.audit_log().unwrap().len();
        let addrs = addresses(&before);

        let refused = |r: Result<(), crate::api::ApiError>, code: &str, says: &str| {
            let err = r.expect_err(says);
            assert_eq!(err.code(), code, "{says}: {err}");
            assert!(
                err.to_string().contains(says),
                "the error says '{says}': {err}"
            );
        };
        refused(
            wb.add_callout("   ", 0.0, 0.0, None, now()).map(|_| ()),
            "invalid_input",
            "callout text is empty",
        );
        refused(
            wb.add_callout("x", f64::NAN, 0.0, None, now()).map(|_| ()),
            "invalid_input",
            "not a pair of finite numbers",
        );
        refused(
            wb.add_callout("x", 0.0, 0.0, Some("btc:addr:nowhere"), now())
                .map(|_| ()),
            "not_found",
            "btc:addr:nowhere",
        );
        refused(
            wb.edit_callout(callout.id + 100, "x", now()).map(|_| ()),
            "not_found",
            &(callout.id + 100).to_string(),
        );
        refused(
            wb.add_story_step(" ", "", &[], &path, now()).map(|_| ()),
            "invalid_input",
            "story step title is empty",
        );
        refused(
            wb.add_story_step("T", "", &[], &[], now()).map(|_| ()),
            "invalid_input",
            "needs a path",
        );
        refused(
            wb.add_story_step("T", "", &[seed.clone(), "btc:tx:00ff".into()], &[], now())
                .map(|_| ()),
            "not_found",
            "btc:tx:00ff",
        );
        refused(
            wb.add_story_step("T", "", &[], &["a>b#0".to_string()], now())
                .map(|_| ()),
            "not_found",
            "a>b#0",
        );
        refused(
            wb.add_story_step("T", "", &addrs[..2], &[], now())
                .map(|_| ()),
            "invalid_input",
            "not connected",
        );
        refused(
            wb.move_story_step(step.id, 5, now()).map(|_| ()),
            "invalid_input",
            "outside 1..=1",
        );
        refused(
            wb.move_story_step(step.id + 100, 1, now()).map(|_| ()),
            "not_found",
            "story step",
        );
        refused(
            wb.add_edge_note("btc:addr:x>btc:tx:y#0", "n", now())
                .map(|_| ()),
            "not_found",
            "btc:addr:x>btc:tx:y#0",
        );
        refused(
            wb.add_edge_note(&before.edges[0].id, "  ", now())
                .map(|_| ()),
            "invalid_input",
            "empty",
        );
        refused(
            wb.retract_note(9999, now()).map(|_| ()),
            "not_found",
            "9999",
        );
        assert_eq!(wb.graph().unwrap(), before, "the canvas is as it was");
        assert_eq!(
            wb.case().content_hash().unwrap().sha256,
            hash_before,
            "refused annotations change nothing in the case file"
        );
        assert_eq!(
            wb.audit_log().unwrap().len(),
            audit_before,
            "refused annotations write no audit entry"
        );
    }
}
