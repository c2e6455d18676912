// Prevents an additional console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

// mimalloc: the analyses build millions of small strings (clustering results, trace maps), and
// glibc's allocator took about a third of the clustering's CPU time (BENCHMARKS.md, issue #4).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    tracebench_app_lib::run();
}
