//! Putting nodes back on the canvas as they were: the core's half of the UI's undo and redo.
//!
//! Undoing a removal, a grouping or an ungrouping, and redoing an addition, needs one operation
//! that puts nodes back with their position, their entity (re-created when it was removed with
//! its last member) and their hidden flag. It is validated whole before anything is written, is
//! one audited SQLite transaction (action `restore`), and only accepts nodes whose data (the
//! transaction, or an address's transactions) is in the case: putting a node back never fetches.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::organise::{entity_number, ENTITY_CATEGORIES, MAX_ENTITY_NAME};
use super::Workbench;
use crate::api::dto::GraphView;
use crate::api::ApiError;
use crate::graph::NodeRef;
use crate::source::rfc3339;
use crate::store::{EntityState, NodeState};

/// A node as it should be put back on the canvas.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "RestoreNode.ts")]
pub struct RestoreNode {
    /// `btc:addr:<address>` or `btc:tx:<txid>`.
    pub id: String,
    pub x: f64,
    pub y: f64,
    /// Added directly by the analyst (a starting point), not by expansion.
    #[serde(default)]
    pub seed: bool,
    #[serde(default)]
    pub hidden: bool,
    /// The entity the node was in, or none.
    #[serde(default)]
    pub entity: Option<RestoreEntity>,
}

/// The entity a node was in, as it was then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "RestoreEntity.ts")]
pub struct RestoreEntity {
    /// `entity:<n>`: the same entity when it still exists with this name and category, else it
    /// is re-created (under this number when it is free).
    pub id: String,
    pub name: String,
    pub category: String,
    pub collapsed: bool,
}

impl Workbench {
    /// Puts `nodes` back on the canvas (or, for nodes already shown, back where and how they
    /// were), in one audited transaction. Refused whole, changing nothing, when a node id is
    /// malformed or listed twice, the case holds no data for a node, a position is not finite,
    /// or an entity is malformed or described two ways.
    pub fn restore_nodes(
        &mut self,
        nodes: &[RestoreNode],
        now: DateTime<Utc>,
    ) -> Result<GraphView, ApiError> {
        let states = self.restorable(nodes)?;
        let ids: Vec<&str> = nodes.iter().map(|n| n.id.as_str()).collect();
        let entities: BTreeSet<&str> = nodes
            .iter()
            .filter_map(|n| n.entity.as_ref().map(|e| e.id.as_str()))
            .collect();
        let action = self.action(
            "restore",
            serde_json::json!({"nodes": ids, "entities": entities}),
            now,
        );
        let at = rfc3339(now);
        self.case
            .audited(action, |c| c.restore_nodes(&states, &at))?;
        self.graph()
    }

    /// Checks every node of a restore and turns it into what the case stores.
    fn restorable(&self, nodes: &[RestoreNode]) -> Result<Vec<NodeState>, ApiError> {
        if nodes.is_empty() {
            return Err(ApiError::Canvas("no nodes to put back".to_string()));
        }
        let chain = self.case.meta().chain.clone();
        let mut seen = BTreeSet::new();
        let mut entities: BTreeMap<i64, EntityState> = BTreeMap::new();
        let mut out = Vec::with_capacity(nodes.len());
        for n in nodes {
            if !seen.insert(n.id.as_str()) {
                return Err(ApiError::Canvas(format!("node '{}' is listed twice", n.id)));
            }
            let node = NodeRef::parse(&n.id, &chain)
                .filter(|r| r.id() == n.id)
                .ok_or_else(|| {
                    ApiError::Canvas(format!(
                        "'{}' is not a node id of this case ({}:addr:… or {}:tx:…)",
                        n.id,
                        crate::chain::node_prefix(&chain),
                        crate::chain::node_prefix(&chain)
                    ))
                })?;
            let has_data = match &node {
                NodeRef::Tx { txid, .. } => self.case.has_tx(&chain, txid)?,
                NodeRef::Address { address, .. } => {
                    !self.case.address_txids(&chain, address)?.is_empty()
                }
            };
            if !has_data {
                return Err(ApiError::NotFound {
                    what: "node with data",
                    id: n.id.clone(),
                });
            }
            if !n.x.is_finite() || !n.y.is_finite() {
                return Err(ApiError::Canvas(format!(
                    "the position of '{}' is not a finite number",
                    n.id
                )));
            }
            let entity = match &n.entity {
                None => None,
                Some(e) => {
                    let state = entity_state(e)?;
                    match entities.get(&state.id) {
                        Some(known) if *known != state => {
                            return Err(ApiError::Canvas(format!(
                                "entity '{}' is described two different ways",
                                e.id
                            )));
                        }
                        Some(_) => {}
                        None => {
                            entities.insert(state.id, state.clone());
                        }
                    }
                    Some(state)
                }
            };
            out.push(NodeState {
                node_id: n.id.clone(),
                x: n.x,
                y: n.y,
                seed: n.seed,
                hidden: n.hidden,
                entity,
            });
        }
        Ok(out)
    }
}

/// Checks an entity of a restore: its id, a name as [`Workbench::create_entity`] accepts it, and
/// a known category.
fn entity_state(e: &RestoreEntity) -> Result<EntityState, ApiError> {
    let id = entity_number(&e.id)?;
    let name = e.name.trim();
    if name.is_empty() {
        return Err(ApiError::Canvas(format!("entity '{}' has no name", e.id)));
    }
    if name.chars().count() > MAX_ENTITY_NAME {
        return Err(ApiError::Canvas(format!(
            "the name of entity '{}' is longer than {MAX_ENTITY_NAME} characters",
            e.id
        )));
    }
    if !ENTITY_CATEGORIES.contains(&e.category.as_str()) {
        return Err(ApiError::Canvas(format!(
            "unknown entity category '{}' (one of: {})",
            e.category,
            ENTITY_CATEGORIES.join(", ")
        )));
    }
    Ok(EntityState {
        id,
        name: name.to_string(),
        category: e.category.clone(),
        collapsed: e.collapsed,
    })
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::{RestoreEntity, RestoreNode};
    use crate::api::view::tests::{address_ids as addresses, demo_case};
    use crate::api::{GraphView, Workbench};

    fn now() -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 5, 0, 0).unwrap()
    }

    /// A node as the graph shows it, for putting it back later (what the UI's undo keeps).
    fn snapshot(g: &GraphView, id: &str) -> RestoreNode {
        let node = g.nodes.iter().find(|n| n.id == id).expect("node is shown");
        let entity = node.entity.as_ref().map(|e| {
            let e = g
                .entities
                .iter()
                .find(|v| &v.id == e)
                .expect("entity listed");
            RestoreEntity {
                id: e.id.clone(),
                name: e.name.clone(),
                category: e.category.clone(),
                collapsed: e.collapsed,
            }
        });
        RestoreNode {
            id: id.to_string(),
            x: node.x,
            y: node.y,
            seed: node.hop == Some(0),
            hidden: node.hidden,
            entity,
        }
    }

    #[test]
    fn removed_nodes_come_back_with_position_entity_and_hidden_flag() {
        let dir = tempfile::tempdir().unwrap();
        let (mut wb, _) = demo_case(dir.path());
        let addrs = addresses(&wb.graph().unwrap());
        let pair = vec![addrs[0].clone(), addrs[1].clone()];
        wb.set_positions(&[crate::api::NodePosition {
            id: pair[0].clone(),
            x: 123.5,
            y: -40.25,
        }])
        .unwrap();
        let g = wb.create_entity("Wallet", "suspect", &pair, now()).unwrap();
        let entity_id = g.entities[0].id.clone();
        wb.set_entity_collapsed(&entity_id, true, now()).unwrap();
        let g = wb.set_hidden(&pair[1..], true, now()).unwrap();
        let before: Vec<RestoreNode> = pair.iter().map(|id| snapshot(&g, id)).collect();

        let g = wb.remove_nodes(&pair, now()).unwrap();
        assert!(
            g.entities.is_empty(),
            "removing both members removed the entity"
        );
        let g = wb.restore_nodes(&before, now()).unwrap();

        let back: Vec<RestoreNode> = pair.iter().map(|id| snapshot(&g, id)).collect();
        assert_eq!(
            back, before,
            "each node is back at its position, in its entity, hidden as it was"
        );
        assert_eq!(
            g.entities[0].id, entity_id,
            "the entity is re-created under its old number, which was free"
        );
        assert!(g.entities[0].collapsed, "the entity is collapsed again");
        let log = wb.audit_log().unwrap();
        let last = log.last().unwrap();
        assert_eq!(last.action, "restore", "putting nodes back is audited");
        assert!(
            last.detail.to_string().contains(&pair[0]),
            "the audit entry names the nodes: {}",
            last.detail
        );

        let path = wb.case().path().to_path_buf();
        drop(wb);
        let wb = Workbench::open(&path, None).unwrap();
        let g = wb.graph().unwrap();
        let reopened: Vec<RestoreNode> = pair.iter().map(|id| snapshot(&g, id)).collect();
        assert_eq!(reopened, before, "the restore is stored in the case file");
    }

    #[test]
    fn restoring_shown_nodes_undoes_a_grouping() {
        let dir = tempfile::tempdir().unwrap();
        let (mut wb, _) = demo_case(dir.path());
        let g = wb.graph().unwrap();
        let addrs = addresses(&g);
        let first = vec![addrs[0].clone(), addrs[1].clone()];
        let g = wb.create_entity("Old", "exchange", &first, now()).unwrap();
        let old_id = g.entities[0].id.clone();
        let before = vec![snapshot(&g, &addrs[1]), snapshot(&g, &addrs[2])];

        let g = wb
            .create_entity("New", "mixer", &[addrs[1].clone(), addrs[2].clone()], now())
            .unwrap();
        assert_eq!(g.entities.len(), 2, "the new entity took one member of Old");
        let g = wb.restore_nodes(&before, now()).unwrap();
        assert_eq!(
            g.entities.len(),
            1,
            "the new entity, left empty, is gone: {:?}",
            g.entities
        );
        assert_eq!(g.entities[0].id, old_id, "Old is still the same entity");
        assert_eq!(
            g.entities[0].members, first,
            "the member New took is back in Old"
        );
        let third = g.nodes.iter().find(|n| n.id == addrs[2]).unwrap();
        assert_eq!(
            third.entity, None,
            "the node that was in no entity is in none again"
        );
    }

    #[test]
    fn bad_restores_are_refused_whole_and_change_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (mut wb, _) = demo_case(dir.path());
        let g = wb.graph().unwrap();
        let addrs = addresses(&g);
        let good = snapshot(&g, &addrs[0]);
        let g = wb.remove_nodes(&[addrs[0].clone()], now()).unwrap();
        let hash = wb.case().content_hash().unwrap();
        let audit = wb.audit_log().unwrap().len();

        let cases: Vec<(Vec<RestoreNode>, &str, &str)> = vec![
            (vec![], "no nodes to put back", "invalid_input"),
            (
                vec![RestoreNode {
                    id: "btc:addr:bc1qnotinthiscase0000000000000000000000".to_string(),
                    ..good.clone()
                }],
                "btc:addr:bc1qnotinthiscase",
                "not_found",
            ),
            (
                vec![RestoreNode {
                    id: "wallet-7".to_string(),
                    ..good.clone()
                }],
                "'wallet-7' is not a node id of this case",
                "invalid_input",
            ),
            (
                vec![good.clone(), good.clone()],
                "is listed twice",
                "invalid_input",
            ),
            (
                vec![RestoreNode {
                    x: f64::NAN,
                    ..good.clone()
                }],
                "not a finite number",
                "invalid_input",
            ),
            (
                vec![RestoreNode {
                    entity: Some(RestoreEntity {
                        id: "entity:1".to_string(),
                        name: "X".to_string(),
                        category: "pirate".to_string(),
                        collapsed: false,
                    }),
                    ..good.clone()
                }],
                "unknown entity category 'pirate'",
                "invalid_input",
            ),
            (
                vec![RestoreNode {
                    entity: Some(RestoreEntity {
                        id: "group-1".to_string(),
                        name: "X".to_string(),
                        category: "other".to_string(),
                        collapsed: false,
                    }),
                    ..good.clone()
                }],
                "'group-1' is not an entity id",
                "invalid_input",
            ),
        ];
        for (nodes, message, code) in cases {
            let err = wb.restore_nodes(&nodes, now()).unwrap_err();
            assert!(
                err.to_string().contains(message),
                "the error names what is wrong ({message}): {err}"
            );
            assert_eq!(err.code(), code, "error code for {message}");
        }
        // Two descriptions of one entity, on an otherwise valid request (the second node is good).
        let entity = |name: &str| RestoreEntity {
            id: "entity:9".to_string(),
            name: name.to_string(),
            category: "other".to_string(),
            collapsed: false,
        };
        let mut second = snapshot(&g, &addrs[1]);
        second.entity = Some(entity("B"));
        let mut first = good.clone();
        first.entity = Some(entity("A"));
        let err = wb.restore_nodes(&[first, second], now()).unwrap_err();
        assert!(
            err.to_string().contains("described two different ways"),
            "conflicting entity: {err}"
        );

        assert_eq!(
            wb.case().content_hash().unwrap(),
            hash,
            "a refused restore leaves every table of the case as it was"
        );
        assert_eq!(
            wb.audit_log().unwrap().len(),
            audit,
            "a refused restore writes no audit entry"
        );
        assert!(
            wb.graph().unwrap().nodes.iter().all(|n| n.id != addrs[0]),
            "the removed node is still off the canvas"
        );
    }
}
