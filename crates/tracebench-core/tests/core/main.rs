//! Integration tests of tracebench-core: one binary, a module per area.

mod address;
mod analysis;
mod case_file;
mod cluster;
mod esplora;
mod util;
mod workbench;
