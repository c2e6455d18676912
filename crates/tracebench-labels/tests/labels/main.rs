//! Tests of the label store, the built-in pack, the imports and screening, on real data.
//! One binary, a module per area.

mod address;
mod builtin;
mod case;
mod imports;
mod store;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use tracebench_labels::{Builtin, LabelStore, SourceFile};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn fixture_file(name: &str, date: &str) -> SourceFile {
    SourceFile::read(&fixture(name), Some(date)).expect("fixture readable")
}

/// A store with the built-in pack, built once per test run and copied for each test (installing
/// the pack takes a few seconds in a debug build).
pub fn builtin_store(dir: &Path) -> LabelStore {
    static TEMPLATE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_keep, template) = TEMPLATE.get_or_init(|| {
        let d = tempfile::tempdir().expect("temp dir");
        let p = d.path().join("template.sqlite");
        drop(LabelStore::open(&p, Builtin::Install).expect("built-in install"));
        (d, p)
    });
    let path = dir.join("labels.sqlite");
    std::fs::copy(template, &path).expect("copy template store");
    LabelStore::open(&path, Builtin::Install).expect("open copy")
}

/// An empty store (no built-in pack) for import tests.
pub fn empty_store(dir: &Path) -> LabelStore {
    LabelStore::open(&dir.join("labels.sqlite"), Builtin::Skip).expect("empty store")
}
