//! Integration tests of tracebench-core: one binary, a module per area.

mod account_trace;
mod address;
mod analysis;
mod attribution;
mod audit;
mod bundle;
mod case_file;
mod cluster;
mod config_file;
mod content_hash;
mod core_node;
mod core_rpc;
mod entity_paths;
mod esplora;
mod graphsense;
mod loopback;
mod price;
mod sensitivity;
mod source_policy;
mod trace;
mod trace_fetch;
mod util;
mod veto;
mod workbench;
