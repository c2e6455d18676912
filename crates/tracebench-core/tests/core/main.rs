//! Integration tests of tracebench-core: one binary, a module per area.

mod address;
mod analysis;
mod attribution;
mod audit;
mod bundle;
mod case_file;
mod cluster;
mod esplora;
mod trace;
mod util;
mod veto;
mod workbench;
