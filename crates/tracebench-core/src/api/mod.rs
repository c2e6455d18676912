//! The API façade: one entry point per use case, shared by the CLI and the desktop app.
//! DTOs live in [`dto`]; nothing here knows about Tauri, IPC or the command line.

mod attribution;
mod demo;
pub mod dto;
mod error;
mod exhibit;
mod view;
mod workbench;

pub use demo::{address_node_id, open_demo};
pub use dto::*;
pub use error::ApiError;
pub use exhibit::{
    label_packs_line, AttributionRow, ExhibitOptions, ExposureCategoryRow, ExposureRow, Paper,
    ReportExtras, ReportSettings,
};
pub use view::{short_id, Finding, FlowDirection, FlowRow, NodeDetails};
pub use workbench::expand_page::{PageOutcome, MAX_PAGE_LIMIT};
pub use workbench::fetch_trace::{
    FetchFailure, FetchedTrace, TraceFetchError, TraceFetchReport, TraceFetchRequest,
    DEFAULT_FETCH_LIMIT,
};
pub use workbench::paste::{PasteOutcome, PastedNode, RejectedLine, MAX_PASTE_LINES};
pub use workbench::{Workbench, MAX_HISTORY_PAGES};

pub use crate::cluster::{Cluster, Clustering, Explanation, Merge};
pub use crate::source::{Clock, SourceSpec};
pub use crate::store::Veto;
