//! Organising the canvas: grouping nodes into named entities (compound nodes with a category,
//! collapsible), hiding nodes and removing them from the canvas.
//!
//! Every change is validated before anything is written and is one audited SQLite transaction,
//! so a refused change leaves the case exactly as it was. Removing a node takes it off the
//! canvas only: its transactions, notes and audit entries stay in the case.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use super::Workbench;
use crate::api::dto::GraphView;
use crate::api::ApiError;
use crate::source::rfc3339;

/// The categories an entity can have.
pub const ENTITY_CATEGORIES: [&str; 7] = [
    "exchange", "service", "mixer", "victim", "suspect", "merchant", "other",
];

/// Longest entity name, in characters.
pub const MAX_ENTITY_NAME: usize = 80;

/// `entity:<n>` → n.
pub(super) fn entity_number(id: &str) -> Result<i64, ApiError> {
    id.strip_prefix("entity:")
        .and_then(|n| n.parse::<i64>().ok())
        .ok_or_else(|| ApiError::Canvas(format!("'{id}' is not an entity id (entity:<n>)")))
}

impl Workbench {
    /// Ids of the nodes on the canvas.
    fn on_canvas(&self) -> Result<BTreeSet<String>, ApiError> {
        Ok(self
            .case
            .canvas_nodes()?
            .into_iter()
            .map(|n| n.node_id)
            .collect())
    }

    /// Checks that `ids` is a non-empty list of nodes on the canvas; returns them sorted, once.
    fn canvas_selection(&self, ids: &[String], what: &str) -> Result<Vec<String>, ApiError> {
        if ids.is_empty() {
            return Err(ApiError::Canvas(format!("no nodes selected to {what}")));
        }
        let shown = self.on_canvas()?;
        let wanted: BTreeSet<&String> = ids.iter().collect();
        for id in &wanted {
            if !shown.contains(*id) {
                return Err(ApiError::NotFound {
                    what: "canvas node",
                    id: (*id).clone(),
                });
            }
        }
        Ok(wanted.into_iter().cloned().collect())
    }

    /// Groups canvas nodes into a new named entity with a category (see [`ENTITY_CATEGORIES`]).
    /// A member leaves the entity it was in; an entity left empty is removed.
    pub fn create_entity(
        &mut self,
        name: &str,
        category: &str,
        members: &[String],
        now: DateTime<Utc>,
    ) -> Result<GraphView, ApiError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(ApiError::Canvas("the entity needs a name".to_string()));
        }
        if name.chars().count() > MAX_ENTITY_NAME {
            return Err(ApiError::Canvas(format!(
                "the entity name is longer than {MAX_ENTITY_NAME} characters"
            )));
        }
        if !ENTITY_CATEGORIES.contains(&category) {
            return Err(ApiError::Canvas(format!(
                "unknown entity category '{category}' (one of: {})",
                ENTITY_CATEGORIES.join(", ")
            )));
        }
        let members = self.canvas_selection(members, "group")?;
        let action = self.action(
            "entity",
            serde_json::json!({"name": name, "category": category, "members": members}),
            now,
        );
        let at = rfc3339(now);
        self.case
            .audited(action, |c| c.create_entity(name, category, &members, &at))?;
        self.graph()
    }

    /// Collapses an entity into one node, or expands it to show its members.
    pub fn set_entity_collapsed(
        &mut self,
        entity_id: &str,
        collapsed: bool,
        now: DateTime<Utc>,
    ) -> Result<GraphView, ApiError> {
        let n = entity_number(entity_id)?;
        let action = self.action(
            if collapsed {
                "entity-collapse"
            } else {
                "entity-expand"
            },
            serde_json::json!({"entity": entity_id}),
            now,
        );
        self.case
            .audited(action, |c| c.set_entity_collapsed(n, collapsed))?;
        self.graph()
    }

    /// Dissolves an entity: its members stay on the canvas, ungrouped.
    pub fn dissolve_entity(
        &mut self,
        entity_id: &str,
        now: DateTime<Utc>,
    ) -> Result<GraphView, ApiError> {
        let n = entity_number(entity_id)?;
        let action = self.action(
            "entity-dissolve",
            serde_json::json!({"entity": entity_id}),
            now,
        );
        self.case.audited(action, |c| c.dissolve_entity(n))?;
        self.graph()
    }

    /// Hides canvas nodes (`hidden`) or shows them again.
    pub fn set_hidden(
        &mut self,
        ids: &[String],
        hidden: bool,
        now: DateTime<Utc>,
    ) -> Result<GraphView, ApiError> {
        let ids = self.canvas_selection(ids, if hidden { "hide" } else { "show" })?;
        let action = self.action(
            if hidden { "hide" } else { "unhide" },
            serde_json::json!({"nodes": ids}),
            now,
        );
        self.case.audited(action, |c| c.set_hidden(&ids, hidden))?;
        self.graph()
    }

    /// Shows every hidden node again.
    pub fn unhide_all(&mut self, now: DateTime<Utc>) -> Result<GraphView, ApiError> {
        let action = self.action("unhide-all", serde_json::json!({}), now);
        self.case.audited(action, |c| c.unhide_all())?;
        self.graph()
    }

    /// Takes nodes off the canvas (their data and notes stay in the case).
    pub fn remove_nodes(
        &mut self,
        ids: &[String],
        now: DateTime<Utc>,
    ) -> Result<GraphView, ApiError> {
        let ids = self.canvas_selection(ids, "remove")?;
        let action = self.action("remove", serde_json::json!({"nodes": ids}), now);
        self.case.audited(action, |c| c.remove_nodes(&ids))?;
        self.graph()
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use crate::api::view::tests::{address_ids as addresses, demo_case};
    use crate::api::Workbench;

    fn now() -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 21, 13, 0, 0).unwrap()
    }

    #[test]
    fn an_entity_groups_nodes_survives_reopening_and_collapses() {
        let dir = tempfile::tempdir().unwrap();
        let (mut wb, _) = demo_case(dir.path());
        let addrs = addresses(&wb.graph().unwrap());
        assert!(addrs.len() >= 2, "the demo shows at least two addresses");
        let members = vec![addrs[1].clone(), addrs[0].clone()];
        let g = wb
            .create_entity("  Ransom wallet ", "suspect", &members, now())
            .unwrap();
        assert_eq!(g.entities.len(), 1, "one entity was created");
        let e = &g.entities[0];
        assert_eq!(e.name, "Ransom wallet", "the name is stored trimmed");
        assert_eq!(e.category, "suspect", "the category is kept");
        assert_eq!(
            e.members,
            vec![addrs[0].clone(), addrs[1].clone()],
            "members are listed sorted"
        );
        for m in &e.members {
            let node = g.nodes.iter().find(|n| &n.id == m).unwrap();
            assert_eq!(
                node.entity.as_deref(),
                Some(e.id.as_str()),
                "{m} names its entity"
            );
        }
        let id = e.id.clone();
        let g = wb.set_entity_collapsed(&id, true, now()).unwrap();
        assert!(g.entities[0].collapsed, "the entity is collapsed");
        let path = wb.case().path().to_path_buf();
        drop(wb);
        let wb = Workbench::open(&path, None).unwrap();
        let g = wb.graph().unwrap();
        assert_eq!(g.entities.len(), 1, "the entity is stored in the case file");
        assert!(
            g.entities[0].collapsed,
            "collapsing is stored in the case file"
        );
    }

    #[test]
    fn bad_entities_are_refused_and_change_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (mut wb, _) = demo_case(dir.path());
        let before = wb.graph().unwrap();
        let audit_before = wb.audit_log().unwrap().len();
        let a = addresses(&before)[0].clone();
        let err = wb
            .create_entity(" ", "suspect", std::slice::from_ref(&a), now())
            .unwrap_err();
        assert!(
            err.to_string().contains("needs a name"),
            "blank name: {err}"
        );
        let err = wb
            .create_entity("X", "pirate", std::slice::from_ref(&a), now())
            .unwrap_err();
        assert!(
            err.to_string().contains("unknown entity category 'pirate'"),
            "bad category: {err}"
        );
        assert_eq!(
            err.code(),
            "invalid_input",
            "a bad category is the analyst's input"
        );
        let err = wb.create_entity("X", "other", &[], now()).unwrap_err();
        assert!(
            err.to_string().contains("no nodes selected"),
            "no members: {err}"
        );
        let ghost = "btc:addr:bcrt1qnotonthecanvas".to_string();
        let err = wb
            .create_entity("X", "other", &[a, ghost.clone()], now())
            .unwrap_err();
        assert_eq!(err.code(), "not_found", "a member must be on the canvas");
        assert!(
            err.to_string().contains(&ghost),
            "the error names the node: {err}"
        );
        let err = wb
            .set_entity_collapsed("entity:99", true, now())
            .unwrap_err();
        assert_eq!(
            err.code(),
            "not_found",
            "an unknown entity is reported: {err}"
        );
        let err = wb.remove_nodes(&[ghost], now()).unwrap_err();
        assert_eq!(
            err.code(),
            "not_found",
            "removing a node not shown is refused"
        );
        assert_eq!(
            wb.graph().unwrap(),
            before,
            "refused changes leave the canvas as it was"
        );
        assert_eq!(
            wb.audit_log().unwrap().len(),
            audit_before,
            "refused changes write no audit entry"
        );
    }

    #[test]
    fn hidden_nodes_stay_in_the_case_and_removed_nodes_leave_the_canvas() {
        let dir = tempfile::tempdir().unwrap();
        let (mut wb, _) = demo_case(dir.path());
        let before = wb.graph().unwrap();
        let addrs = addresses(&before);
        let g = wb.set_hidden(&[addrs[0].clone()], true, now()).unwrap();
        assert_eq!(
            g.nodes.len(),
            before.nodes.len(),
            "a hidden node stays in the view"
        );
        let hidden: Vec<&str> = g
            .nodes
            .iter()
            .filter(|n| n.hidden)
            .map(|n| n.id.as_str())
            .collect();
        assert_eq!(
            hidden,
            vec![addrs[0].as_str()],
            "exactly the chosen node is hidden"
        );
        let g = wb.unhide_all(now()).unwrap();
        assert!(
            g.nodes.iter().all(|n| !n.hidden),
            "show all brings every node back"
        );

        let g = wb
            .create_entity("Pair", "other", &addrs[..2], now())
            .unwrap();
        assert_eq!(g.entities[0].members.len(), 2, "two members grouped");
        let g = wb.remove_nodes(&[addrs[0].clone()], now()).unwrap();
        assert!(
            g.nodes.iter().all(|n| n.id != addrs[0]),
            "the removed node is off the canvas"
        );
        assert_eq!(
            g.entities[0].members,
            vec![addrs[1].clone()],
            "the removed node left its entity"
        );
        assert!(
            g.edges
                .iter()
                .all(|e| e.source != addrs[0] && e.target != addrs[0]),
            "no edge leads to a removed node"
        );
        let g = wb.remove_nodes(&[addrs[1].clone()], now()).unwrap();
        assert!(g.entities.is_empty(), "an entity left empty is removed");
        let log = wb.audit_log().unwrap();
        assert!(
            log.iter().any(|e| e.action == "remove"),
            "removing nodes is audited"
        );
    }
}
