//! The Tracebench engine: model, case store, sources, graph and analysis.
//!
//! Data flows one way: source → raw store (with provenance) → normalised model → graph →
//! analysis → view / report. This crate knows nothing of Tauri, IPC, the CLI or the UI; time,
//! data directories, HTTP clients and base URLs are passed in. [`api`] is the façade the CLI and
//! the app call.

pub mod address;
pub mod analysis;
pub mod api;
pub mod bundle;
pub mod chain;
pub mod cluster;
pub mod config;
pub mod graph;
pub mod model;
pub mod price;
pub mod secrets;
pub mod source;
pub mod store;

#[cfg(test)]
mod bindings;
