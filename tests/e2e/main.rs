//! End-to-end tests of the `tracebench` binary against the built-in sim, ripgrep-style: one
//! binary, a module per area. Run through `cargo test --workspace`, which builds the CLI first.

mod account_trace;
mod analyze;
mod audit;
mod block;
mod bundle;
mod cli_input;
mod demo;
mod evm;
mod exhibit;
mod exposure;
mod graphsense;
mod integrity;
mod network;
mod prices;
mod report_evm;
mod report_seal;
mod report_settings;
mod report_verify_all;
mod reproduce;
mod screen;
mod secrets;
mod sensitivity;
mod sim;
mod sim_evm;
mod story;
mod trace;
mod util;
