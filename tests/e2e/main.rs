//! End-to-end tests of the `tracebench` binary against the built-in sim, ripgrep-style: one
//! binary, a module per area. Run through `cargo test --workspace`, which builds the CLI first.

mod analyze;
mod audit;
mod bundle;
mod cli_input;
mod demo;
mod exposure;
mod screen;
mod sim;
mod trace;
mod util;
