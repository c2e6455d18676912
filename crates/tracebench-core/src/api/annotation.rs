//! What the canvas shows of the analyst's annotations (callouts, story steps), and the rule
//! that turns a selection into a story step's path.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::dto::GraphView;
use super::ApiError;
use crate::store::{Callout, StoryStep};

/// A free-text callout on the canvas: an analyst note, never a fact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "CalloutView.ts")]
pub struct CalloutView {
    pub id: i64,
    pub text: String,
    /// Canvas position (model coordinates).
    pub x: f64,
    pub y: f64,
    /// The canvas node the callout points at, if any.
    pub anchor: Option<String>,
    /// RFC 3339 UTC.
    pub created_at: String,
    pub updated_at: String,
}

impl From<Callout> for CalloutView {
    fn from(c: Callout) -> Self {
        CalloutView {
            id: c.id,
            text: c.text,
            x: c.x,
            y: c.y,
            anchor: c.anchor,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

/// One step of the storyboard: a named path the report draws as a numbered figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "StoryStepView.ts")]
pub struct StoryStepView {
    pub id: i64,
    /// 1-based place in the story.
    pub position: i64,
    pub title: String,
    pub caption: String,
    /// Node ids of the path, in path order.
    pub nodes: Vec<String>,
    /// Edge ids of the path (`<source>><target>#<index>`).
    pub edges: Vec<String>,
    /// RFC 3339 UTC.
    pub created_at: String,
}

impl From<StoryStep> for StoryStepView {
    fn from(s: StoryStep) -> Self {
        StoryStepView {
            id: s.id,
            position: s.position,
            title: s.title,
            caption: s.caption,
            nodes: s.nodes,
            edges: s.edges,
            created_at: s.created_at,
        }
    }
}

/// What an annotation that creates something returns: the new id and the new graph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "Annotated.ts")]
pub struct Annotated {
    pub id: i64,
    pub graph: GraphView,
}

/// The path of a story step from a selection on the canvas: the selected nodes in the order
/// given, then the endpoints of the selected edges; the selected edges, or, when only nodes
/// are selected, every canvas edge between two of them. Every id must be on the canvas and the
/// path must be connected by its edges.
pub fn story_path(
    view: &GraphView,
    nodes: &[String],
    edges: &[String],
) -> Result<(Vec<String>, Vec<String>), ApiError> {
    if nodes.is_empty() && edges.is_empty() {
        return Err(ApiError::Canvas(
            "a story step needs a path: select its nodes and edges".to_string(),
        ));
    }
    let shown: BTreeSet<&str> = view.nodes.iter().map(|n| n.id.as_str()).collect();
    let edge_ends: BTreeMap<&str, (&str, &str)> = view
        .edges
        .iter()
        .map(|e| (e.id.as_str(), (e.source.as_str(), e.target.as_str())))
        .collect();
    let mut path_nodes: Vec<String> = Vec::new();
    let push = |id: &str, list: &mut Vec<String>| {
        if !list.iter().any(|n| n == id) {
            list.push(id.to_string());
        }
    };
    for n in nodes {
        if !shown.contains(n.as_str()) {
            return Err(ApiError::NotFound {
                what: "canvas node",
                id: n.clone(),
            });
        }
        push(n, &mut path_nodes);
    }
    let mut path_edges: Vec<String> = Vec::new();
    for e in edges {
        let Some((source, target)) = edge_ends.get(e.as_str()) else {
            return Err(ApiError::NotFound {
                what: "canvas edge",
                id: e.clone(),
            });
        };
        push(source, &mut path_nodes);
        push(target, &mut path_nodes);
        push(e, &mut path_edges);
    }
    if edges.is_empty() {
        let members: BTreeSet<&str> = path_nodes.iter().map(String::as_str).collect();
        for e in &view.edges {
            if members.contains(e.source.as_str()) && members.contains(e.target.as_str()) {
                path_edges.push(e.id.clone());
            }
        }
    }
    // Connected: every node reaches the first one over the path's edges.
    let mut reached: BTreeSet<&str> = BTreeSet::from([path_nodes[0].as_str()]);
    loop {
        let before = reached.len();
        for e in &path_edges {
            let (s, t) = edge_ends[e.as_str()];
            if reached.contains(s) || reached.contains(t) {
                reached.insert(s);
                reached.insert(t);
            }
        }
        if reached.len() == before {
            break;
        }
    }
    if let Some(apart) = path_nodes.iter().find(|n| !reached.contains(n.as_str())) {
        return Err(ApiError::Canvas(format!(
            "the path is not connected on the canvas: no edge of the step joins '{apart}' to '{}'",
            path_nodes[0]
        )));
    }
    Ok((path_nodes, path_edges))
}
