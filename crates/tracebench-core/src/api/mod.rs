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
    label_packs_line, AttributionRow, ExposureCategoryRow, ExposureRow, ReportExtras,
};
pub use view::short_id;
pub use workbench::{Workbench, MAX_HISTORY_PAGES};

pub use crate::cluster::{Cluster, Clustering, Explanation, Merge};
pub use crate::source::{Clock, SourceSpec};
pub use crate::store::Veto;
