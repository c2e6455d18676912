//! The API façade: one entry point per use case, shared by the CLI and the desktop app.
//! DTOs live in [`dto`]; nothing here knows about Tauri, IPC or the command line.

pub mod annotation;
mod attribution;
pub mod btc_source;
mod demo;
pub mod dto;
mod error;
mod exhibit;
pub mod layout_journal;
mod view;
pub mod view_balance;
mod view_csv;
pub mod view_evm;
pub mod view_fiat;
mod view_heights;
mod workbench;

pub use annotation::{Annotated, CalloutView, StoryStepView};
pub use btc_source::{BtcSourceError, BtcSourceSpec};
pub use demo::{address_node_id, open_demo};
pub use dto::*;
pub use error::ApiError;
pub use exhibit::{
    label_packs_line, AttributionRow, ExhibitOptions, ExposureCategoryRow, ExposureRow, Paper,
    ReportExtras, ReportSettings,
};
pub use view::{short_id, Finding, FlowDirection, FlowRow, NodeDetails};
pub use view_csv::{transfers_csv, TransfersCsv, TRANSFERS_CSV_HEADER};
pub use view_heights::canvas_heights;
pub use workbench::block::{BlockError, BlockId, BlockImport};
pub use workbench::evm::{
    etherscan_key, EvmAddOutcome, EvmConnection, EvmError, EvmSourceSpec, ETHERSCAN_DEFAULT,
    EVM_SIM_SCENARIO,
};
pub use workbench::evm_trace::{EvmAssetTrace, EvmTaintAt, EvmTraceView, DEFAULT_EVM_FETCH_LIMIT};
pub use workbench::expand_page::{PageOutcome, MAX_PAGE_LIMIT};
pub use workbench::fetch_trace::{
    FetchFailure, FetchedTrace, TraceFetchError, TraceFetchReport, TraceFetchRequest,
    DEFAULT_FETCH_LIMIT,
};
pub use workbench::paste::{PasteOutcome, PastedNode, RejectedLine, MAX_PASTE_LINES};
pub use workbench::report_settings::{
    check_settings as check_report_settings, MAX_MARKING_CHARS, MAX_QUESTION_CHARS,
    MAX_SUMMARY_CHARS, REPORT_SETTINGS_ACTION,
};
pub use workbench::restore::{RestoreEntity, RestoreNode};
pub use workbench::viewport::{Viewport, VIEWPORT_ZOOM};
pub use workbench::{Workbench, MAX_HISTORY_PAGES};

pub use crate::cluster::{Cluster, Clustering, Explanation, Merge};
pub use crate::source::{Clock, SourceSpec};
pub use crate::store::Veto;
