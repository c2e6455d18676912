//! The IPC surface: thin `#[tauri::command]` wrappers that call `tracebench_core::api` and map
//! the error. Every command here is listed in build.rs and granted in capabilities/default.json.

pub mod analysis;
pub mod annotate;
pub mod attribution;
pub mod bundle;
pub mod case;
pub mod editing;
pub mod evm;
pub mod export;
pub mod investigate;
pub mod organise;
pub mod report;
pub mod sources;
pub mod timeline;
