//! TypeScript bindings for the UI are generated from the API's DTOs and committed in
//! ui/src/bindings. This test fails when they are stale; `UPDATE_BINDINGS=1 cargo test -p
//! tracebench-core bindings` rewrites them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ts_rs::{Config, TS};

use crate::api::{
    AddOutcome, CaseInfo, Clustering, EdgeView, ExchangeImport, ExchangeRecordView, ExpandOutcome,
    Explanation, GraphView, NewCase, NodeDetails, NodePosition, PageOutcome, PasteOutcome,
    RestoreNode, SourceSpec, Veto, Viewport,
};

fn generate(dir: &Path) {
    let cfg = Config::new().with_large_int("number").with_out_dir(dir);
    AddOutcome::export_all(&cfg).expect("export AddOutcome");
    ExpandOutcome::export_all(&cfg).expect("export ExpandOutcome");
    GraphView::export_all(&cfg).expect("export GraphView");
    CaseInfo::export_all(&cfg).expect("export CaseInfo");
    EdgeView::export_all(&cfg).expect("export EdgeView");
    NewCase::export_all(&cfg).expect("export NewCase");
    NodePosition::export_all(&cfg).expect("export NodePosition");
    SourceSpec::export_all(&cfg).expect("export SourceSpec");
    Clustering::export_all(&cfg).expect("export Clustering");
    Explanation::export_all(&cfg).expect("export Explanation");
    Veto::export_all(&cfg).expect("export Veto");
    ExchangeImport::export_all(&cfg).expect("export ExchangeImport");
    ExchangeRecordView::export_all(&cfg).expect("export ExchangeRecordView");
    NodeDetails::export_all(&cfg).expect("export NodeDetails");
    PasteOutcome::export_all(&cfg).expect("export PasteOutcome");
    PageOutcome::export_all(&cfg).expect("export PageOutcome");
    crate::api::EvmAddOutcome::export_all(&cfg).expect("export EvmAddOutcome");
    crate::api::EvmTraceView::export_all(&cfg).expect("export EvmTraceView");
    crate::api::Annotated::export_all(&cfg).expect("export Annotated");
    RestoreNode::export_all(&cfg).expect("export RestoreNode");
    Viewport::export_all(&cfg).expect("export Viewport");
}

fn read_dir(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if name.ends_with(".ts") {
                out.insert(name, std::fs::read_to_string(e.path()).unwrap_or_default());
            }
        }
    }
    out
}

#[test]
fn ui_bindings_are_current() {
    let committed: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/bindings");
    let tmp = tempfile::tempdir().expect("temp dir");
    generate(tmp.path());
    let fresh = read_dir(tmp.path());
    assert!(!fresh.is_empty(), "ts-rs must generate the bindings");
    if std::env::var("UPDATE_BINDINGS").is_ok_and(|v| v == "1") {
        std::fs::create_dir_all(&committed).expect("create ui/src/bindings");
        for old in read_dir(&committed).keys() {
            std::fs::remove_file(committed.join(old)).expect("remove stale binding");
        }
        for (name, text) in &fresh {
            std::fs::write(committed.join(name), text).expect("write binding");
        }
    }
    let current = read_dir(&committed);
    assert_eq!(
        current, fresh,
        "ui/src/bindings is stale: the UI would compile against old Rust types; \
         run `UPDATE_BINDINGS=1 cargo test -p tracebench-core bindings`"
    );
}
